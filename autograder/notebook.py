"""A submitted notebook, read into the code the grader runs.

``read_notebook(path)`` checks the file is a notebook we can grade (size,
UTF-8, JSON, a list of cells) and raises ``NotebookError`` with a message a
student understands otherwise.  ``code_to_run(notebook)`` lists the code cells
to execute, in order, leaving out

- nbgrader test cells (``grade: true, solution: false``): the visible checks,
  which the grader replaces by the hidden graders;
- cells tagged ``demo``: training runs and plots;
- IPython magics and shell lines (``%``, ``%%``, ``!``), which plain Python
  cannot run.  A line magic becomes ``pass`` at its indentation, so blocks and
  line numbers survive; a ``%%time``-like cell magic is dropped and its body
  kept; any other cell magic (``%%bash``, ``%%html``...) drops the cell.

``assignment_of(path, notebook, known)`` says which assignment a notebook is;
``path_assignment(path, known)`` which one its file or folder names (for a
warning when the two differ).
Nothing here runs the student's code.
"""
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .bounded import MAX_NAME_CHARS, bounded

MAX_NOTEBOOK_BYTES = 20 * 2**20     # executed notebooks with plots are ~1 MiB
CELL_MAGICS_WITH_PYTHON_BODY = {"time", "timeit", "capture", "prun", "debug"}
_MAGIC_LINE = re.compile(r"^(\s*)[%!]")


class NotebookError(ValueError):
    """The file cannot be graded as a notebook; the message says why."""


@dataclass(frozen=True)
class Cell:
    index: int          # position among all cells of the notebook (0-based)
    source: str         # Python source, magics stripped


@dataclass(frozen=True)
class Notebook:
    path: Path
    data: dict          # the parsed JSON

    @property
    def cells(self):
        return self.data["cells"]

    @property
    def metadata(self):
        meta = self.data.get("metadata")
        return meta if isinstance(meta, dict) else {}


def read_notebook(path, max_bytes=MAX_NOTEBOOK_BYTES):
    """Parse ``path`` as a notebook; raises NotebookError saying what is wrong."""
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise NotebookError(f"the notebook is {size / 2**20:.1f} MiB; the grader reads at most "
                            f"{max_bytes / 2**20:.0f} MiB (clear the cell outputs and resubmit)")
    raw = path.read_bytes()
    return parse_notebook(raw, path)


def parse_notebook(raw, path="<notebook>"):
    """Parse notebook bytes ``raw``; raises NotebookError."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"the notebook is not UTF-8 text (byte {exc.start} is invalid)") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise NotebookError("the notebook is not valid JSON (nested too deeply)") from None
    except ValueError as exc:
        raise NotebookError(f"the notebook is not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotebookError("the notebook has no list of cells (is it a .ipynb file of nbformat 4?)")
    if not data["cells"]:
        raise NotebookError("the notebook has no cells")
    return Notebook(Path(path), data)


def cell_text(cell):
    """A cell's source as one string (nbformat allows a string or a list of lines)."""
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    if isinstance(source, list):
        return "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def is_test_cell(cell):
    """An nbgrader autograder-test cell: graded, not a solution."""
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
    return isinstance(nbg, dict) and nbg.get("grade") is True and nbg.get("solution") is not True


def is_demo_cell(cell):
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    tags = meta.get("tags") if isinstance(meta, dict) else None
    return isinstance(tags, list) and "demo" in tags


def strip_magics(source):
    """Python source without IPython magics and shell escapes; None if the
    whole cell is in another language (``%%bash``...)."""
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        name = lines[0].lstrip()[2:].split(maxsplit=1)
        if not name or name[0] not in CELL_MAGICS_WITH_PYTHON_BODY:
            return None
        lines = ["pass"] + lines[1:]
    out = []
    for line in lines:
        match = _MAGIC_LINE.match(line)
        out.append(f"{match.group(1)}pass" if match else line)
    return "\n".join(out) + "\n"


def code_to_run(notebook):
    """The code cells the grader executes, in order (see module docstring)."""
    cells = []
    for index, cell in enumerate(notebook.cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        if is_test_cell(cell) or is_demo_cell(cell):
            continue
        source = strip_magics(cell_text(cell))
        if source is not None and source.strip():
            cells.append(Cell(index, source))
    return cells


def assignment_of(path, notebook, known):
    """The assignment id of a submission: the notebook metadata
    ``dlkit.assignment``, else the file stem, else the nearest parent folder
    named like an assignment.  Raises NotebookError if none matches ``known``."""
    dlkit = notebook.metadata.get("dlkit") if notebook is not None else None
    if isinstance(dlkit, dict) and "assignment" in dlkit:
        claimed = dlkit["assignment"]
        if isinstance(claimed, str) and claimed in known:
            return claimed
        raise NotebookError(f"the notebook metadata names the assignment "
                            f"{bounded(repr(claimed), MAX_NAME_CHARS)}, which does not exist "
                            f"(known: {', '.join(sorted(known))})")
    named = path_assignment(path, known)
    if named is not None:
        return named
    raise NotebookError("cannot tell which assignment this is: no dlkit.assignment in the "
                        "notebook metadata, and neither the file name nor a folder name is one "
                        f"of {', '.join(sorted(known))}")


def path_assignment(path, known):
    """The assignment the file stem, else the nearest parent folder, is named
    after (None if none is)."""
    path = Path(path)
    for name in [path.stem] + [p.name for p in path.parents]:
        if name in known:
            return name
    return None
