"""A notebook graded out of process, with what each test cell should show.

This is the nbgrader path's grading, with no nbgrader in it (``autograde.py``
puts it in nbgrader's pipeline).  The notebook's code runs in the kit's sandbox
exactly as the CLI runs it (``notebook.code_to_run``, ``RemoteBackend``,
``grading.run_tests`` with the submission's inputs salt); scores come only
from those graders, in this process.  Then, in the same sandbox child, each
test cell's visible checks run, so the feedback keeps their hints; what they
say is text to show, never a score.

    graded = grade_notebook(notebook_dict, "regularization", salt, workspace, limits)
    graded.results          # [grading.TestResult], the CLI's
    graded.scores()         # {function: (score, max_score)}
    graded.visible          # {grade_id: VisibleCheck}
    graded.cell_errors      # {cell index: message}
"""
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..bounded import bounded
from ..checks import StudentError, StudentTimeout
from ..grading import PASSED, run_tests, total
from ..notebook import Cell, Notebook, code_to_run, cell_text, is_test_cell
from ..sandbox import RemoteBackend
from ..student import Submission
from .cells import without_hidden

# The one name the grader adds to the child's namespace, after the student's
# cells: it runs a test cell's visible part and returns what it printed and
# raised, capped (the text is the student's: it is shown, never trusted).
VISIBLE_CHECK = "dlkit_visible_check"
VISIBLE_CHECK_CELL = f'''\
# Added by the grader: run a test cell's visible checks, return what they said.
def {VISIBLE_CHECK}(source):
    import contextlib

    class Capped:
        def __init__(self):
            self.parts, self.left = [], 4000

        def write(self, text):
            text = str(text)
            self.parts.append(text[:max(self.left, 0)])
            self.left -= len(text)
            return len(text)

        def flush(self):
            pass

    out = Capped()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(source, "<visible checks>", "exec"), globals())
    except BaseException as exc:  # the check's verdict, whatever it is
        try:
            said = type(exc).__name__ + ": " + str(exc)[:4000]
        except BaseException:
            said = type(exc).__name__
        return [False, "".join(out.parts), said]
    return [True, "".join(out.parts), ""]
'''


@dataclass
class VisibleCheck:
    passed: bool        # the visible checks ran to the end without raising
    printed: str        # what they printed (bounded)
    error: str          # "CheckFailed: ... hint: ..." when they raised, or why they could not run


@dataclass
class Graded:
    results: list                                   # grading.TestResult, in grader order
    visible: dict = field(default_factory=dict)     # grade_id -> VisibleCheck
    cell_errors: dict = field(default_factory=dict)  # cell index -> message
    protections: list = field(default_factory=list)

    def scores(self):
        """{function: (score, max_score)} of the graders' results."""
        functions = dict.fromkeys(r.function for r in self.results)
        return {f: total([r for r in self.results if r.function == f]) for f in functions}


def grade_cells(data):
    """[(cell index, grade_id, visible source)] of a notebook's nbgrader test cells."""
    found = []
    for index, cell in enumerate(data["cells"]):
        if isinstance(cell, dict) and cell.get("cell_type") == "code" and is_test_cell(cell):
            grade_id = cell["metadata"]["nbgrader"].get("grade_id")
            if isinstance(grade_id, str):
                found.append((index, grade_id, without_hidden(cell_text(cell))))
    return found


def function_of(grade_id):
    """The graded function a test cell is about: test_<function> -> <function>."""
    return grade_id[len("test_"):] if grade_id.startswith("test_") else None


def grade_notebook(data, assignment, salt, workspace, limits, path="notebook.ipynb"):
    """Grade a parsed notebook (``data``: its JSON as a dict) in the sandbox.

    The graders see the same cells and salt as ``python -m autograder grade``;
    the visible checks run after the graders, so they cannot change a score.
    """
    notebook = Notebook(Path(path), json.loads(json.dumps(data)))
    cells = code_to_run(notebook)
    checker = Cell(len(notebook.cells), VISIBLE_CHECK_CELL)
    backend = RemoteBackend(cells + [checker], workspace.stage(assignment), workspace, limits)
    try:
        results = run_tests(assignment, Submission(backend), salt=salt)
        visible = {grade_id: _visible_check(backend, source)
                   for _, grade_id, source in grade_cells(notebook.data)}
    finally:
        backend.close()
    errors = {i: m for i, m in backend.cell_errors.items() if i != checker.index}
    return Graded(results, visible, errors, workspace.isolation.protections(limits))


def _visible_check(backend, source):
    """Run one test cell's visible part in the child; a VisibleCheck."""
    if not source.strip():
        return VisibleCheck(True, "", "")
    try:
        reply = backend.call(VISIBLE_CHECK, (source,), {}, None).value
    except (StudentError, StudentTimeout) as exc:
        return VisibleCheck(False, "", bounded(f"the visible checks could not run: {exc}"))
    if not (isinstance(reply, (list, tuple)) and len(reply) == 3 and isinstance(reply[0], bool)
            and all(isinstance(x, str) for x in reply[1:])):
        return VisibleCheck(False, "", "the visible checks sent back something unexpected")
    return VisibleCheck(reply[0], bounded(reply[1]), bounded(reply[2]))


# -- what a test cell shows ---------------------------------------------------------

def what_is_checked(name, function):
    """A test's name as a student reads it: test_<function>_scale_he -> 'scale he'."""
    return name.removeprefix(f"test_{function}_").replace("_", " ")


def cell_report(function, results, visible):
    """The text under a test cell: the graders' verdict, one line per test, then
    what the visible checks said (their hint included).

    results: the TestResults of ``function``; visible: its VisibleCheck or None.
    """
    score, most = total(results)
    lines = [f"{function}: {score:g} / {most:g} points from the hidden tests"]
    for r in results:
        mark = "passed" if r.status == PASSED else {"failed": "FAILED"}.get(r.status, r.status.upper())
        lines.append(f"  {mark:7} {what_is_checked(r.name, function)} ({r.score:g}/{r.max_score:g})"
                     + (f": {r.message}" if r.message else ""))
    if visible is not None:
        if visible.passed:
            said = visible.printed.strip()
            lines.append("Visible checks: passed" + (f" ({said})" if said else ""))
        else:
            lines.append("Visible checks: failed (they do not change the score above)")
            lines += ["  " + line for line in visible.printed.strip().splitlines()]
            lines += ["  " + line for line in visible.error.splitlines()]
    return "\n".join(lines) + "\n"


def not_graded_report(reason):
    return f"Not graded automatically: {reason}\n"
