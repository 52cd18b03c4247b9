"""Notebook transformations of the build: solutions, filled-in submissions, and
the normal form every generated notebook is written in (so a rebuild is
byte-identical and a sync test can compare)."""
import nbformat

from .cells import without_hidden, without_solution_delimiters

# Cell metadata that changes from run to run (nbclient's timings, Jupyter's).
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled")


def read(path):
    return nbformat.read(str(path), as_version=4)


def normalise(nb):
    """Drop volatile metadata in place; give cells stable ids.  Returns nb."""
    info = nb.metadata.get("language_info")
    if info:
        info.pop("version", None)
    for i, cell in enumerate(nb.cells):
        for key in VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        if nb.nbformat_minor >= 5:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            cell["id"] = cell.get("id") or f"{grade_id or 'cell'}-{i}"
    return nb


def write(nb, path):
    """Write ``nb`` in the kit's normal form (sorted keys, no volatile metadata)."""
    nbformat.write(normalise(nb), str(path))


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def is_answer(cell):
    """An autograded-answer cell (where the student writes a graded function)."""
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and meta.get("solution") and not meta.get("grade")


def answers(source_nb):
    """{grade_id: complete answer} of a source notebook's answer cells."""
    return {grade_id(c): without_solution_delimiters(c.source) for c in source_nb.cells
            if is_answer(c)}


def solution(source_nb):
    """The self-learner's notebook: complete answers, no delimiters, no hidden
    tests, no nbgrader metadata, no outputs (execute it afterwards)."""
    nb = nbformat.from_dict(source_nb)
    for cell in nb.cells:
        cell.source = without_hidden(without_solution_delimiters(cell.source))
        cell.metadata.pop("nbgrader", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def filled(release_nb, sources):
    """A submission: the release notebook with answer cells replaced, by grade_id."""
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        if is_answer(cell) and grade_id(cell) in sources:
            cell.source = sources[grade_id(cell)]
    return nb
