"""``python -m autograder check NOTEBOOK [--hidden]``: where do I stand before submitting?

Runs the notebook out of process (the CLI's sandbox) and, per graded
function, its visible checks, the lines of its test cell that a student sees:
prints "passed" or the check's whole message (no cut at 90 characters).
From inside the notebook, in a cell (save the notebook first: the file on
disk is what is checked)::

    from autograder.commands.check import run; run("initialization.ipynb")

``--hidden`` also runs the hidden graders, exactly as ``grade`` does, and
prints the feedback an instructor would send (self-learners: the graders
ship in the package anyway).  Exit code 0 when everything checked passed,
1 otherwise, 2 when the notebook cannot be read.
"""
import sys
import textwrap
from pathlib import Path

HELP = "run a notebook's visible checks out of process (--hidden: the hidden graders too)"

# Defined in the sandbox beside the student's code, one per graded function:
# runs the test cell's visible lines and returns [status, message, printed].
WRAPPER = '''
def {name}():
    import contextlib as _contextlib, io as _io
    _printed = _io.StringIO()
    try:
        with _contextlib.redirect_stdout(_printed):
{body}
    except Exception as _exc:
        return ["failed", type(_exc).__name__ + ": " + str(_exc), _printed.getvalue()]
    return ["passed", "", _printed.getvalue()]
'''
PREFIX = "dlkit_visible_check_"


def add_arguments(parser):
    parser.add_argument("notebook", type=Path, help="the .ipynb file to check")
    parser.add_argument("--hidden", action="store_true",
                        help="also run the hidden graders and print the full feedback")


def visible_checks(notebook):
    """[(function, Cell defining its wrapper)] for every test cell: the cell's
    visible lines (hidden block and magics removed) inside ``WRAPPER``."""
    from ..nbgrader_ext.cells import without_hidden
    from ..notebook import Cell, cell_text, is_test_cell, strip_magics
    checks = []
    for index, cell in enumerate(notebook.cells):
        if not isinstance(cell, dict) or not is_test_cell(cell):
            continue
        grade_id = str(cell["metadata"]["nbgrader"].get("grade_id", ""))
        function = grade_id.removeprefix("test_")
        source = strip_magics(without_hidden(cell_text(cell)))
        if not function.isidentifier() or source is None:
            continue
        body = textwrap.indent(source.strip() or "pass", " " * 12)
        checks.append((function, Cell(index, WRAPPER.format(name=PREFIX + function, body=body))))
    return checks


def run_visible(path, notebook, assignment, limits):
    """{function: (status, message)} and the notebook's cell errors."""
    from ..checks import StudentError, StudentTimeout
    from ..notebook import code_to_run
    from ..sandbox import RemoteBackend, Workspace
    checks = visible_checks(notebook)
    workspace = Workspace(limits)
    try:
        cells = code_to_run(notebook) + [cell for _, cell in checks]
        backend = RemoteBackend(cells, workspace.stage(assignment), workspace, limits)
        verdicts = {}
        try:
            for function, _ in checks:
                try:
                    value = backend.call(PREFIX + function, (), {}, None, {}).value
                    status, message = str(value[0]), str(value[1])
                except (StudentError, StudentTimeout) as exc:
                    status, message = "failed", str(exc).replace(PREFIX, "visible check of ")
                except (TypeError, IndexError, KeyError):
                    status, message = "failed", "the visible check did not run"
                verdicts[function] = (status, message)
        finally:
            backend.close()
        errors = {i: m for i, m in backend.cell_errors.items()
                  if i not in {cell.index for _, cell in checks}}
    finally:
        workspace.close()
    return verdicts, errors


def main(args):
    from .. import report
    from ..notebook import NotebookError, assignment_of, read_notebook
    from ..sandbox import Limits
    from .. import assignments
    try:
        notebook = read_notebook(args.notebook)
        assignment = assignment_of(args.notebook, notebook, assignments.ids())
    except (NotebookError, OSError) as exc:
        print(f"check: {args.notebook}: {exc}", file=sys.stderr)
        return 2
    limits = Limits()
    verdicts, errors = run_visible(args.notebook, notebook, assignment, limits)
    print(f"Visible checks of {assignment} ({args.notebook.name}):")
    for function, (status, message) in verdicts.items():
        if status == "passed":
            print(f"  ✓ {function}: passed")
        else:
            print(f"  ✗ {function}: not yet\n" + textwrap.indent(message.strip(), "      "))
    for index, message in sorted(errors.items()):
        print(f"  cell {index} raised an error: {message}")
    ok = all(s == "passed" for s, _ in verdicts.values())
    if args.hidden:
        from ..records import grade_file
        from ..sandbox import Workspace
        from ..secret import course_secret
        workspace = Workspace(limits)
        try:
            record = grade_file(args.notebook, workspace, limits,
                                secret=course_secret(assignments.ROOT))
        finally:
            workspace.close()
        record["student"] = "your notebook"
        print("\nHidden graders (the grade an instructor would see):\n")
        print(report.feedback_text(record))
        ok = ok and record["score"] == record["max_score"]
    else:
        print("\nPassing these is a good sign, not the grade: the hidden graders check more "
              "(run with --hidden to see them).")
    return 0 if ok else 1


def run(notebook, hidden=False):
    """The check from Python (a notebook cell): prints the same, returns the exit code."""
    import argparse
    return main(argparse.Namespace(notebook=Path(notebook), hidden=hidden))
