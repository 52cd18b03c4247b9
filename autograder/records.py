"""One submission graded: the one library call every entry point uses.

    record = grade_file("submitted/alice/regularization/regularization.ipynb",
                        workspace, limits, secret=course_secret(course_dir))

``grade_file`` reads the notebook once (``submissions.read``: no links, size
checked before the read), derives the submission's inputs salt from the
course secret and those bytes, and calls ``grade_notebook``, which grades the
bytes in a sandbox child of ``workspace`` and returns the record::

    {"submission": NAME, "student": ID, "assignment": ID or None,
     "score": S, "max_score": M, "tests": [TestResult.to_json(), ...],
     "error": WHY (only if not graded), "warnings": [...] (only if any),
     "cell_errors": [{"cell": i, "message": ...}], "protections": [...],
     "protected": bool, "inputs_salt": SALT}

Every field that can carry text a student chose (the name, the id, the
error, cell errors) is bounded here (``bounded.py``); test messages are
bounded where tests run (``grading.run_test``).  Nothing here raises for
anything in the notebook.
"""
from . import assignments, submissions
from .bounded import MAX_NAME_CHARS, bounded
from .grading import ERROR, TestResult, run_tests, total
from .notebook import MAX_NOTEBOOK_BYTES, NotebookError, assignment_of, code_to_run, \
    parse_notebook, path_assignment
from .secret import inputs_salt
from .student import Submission

UNPROTECTED = ("graded WITHOUT isolation (--isolation none): the submission's code ran "
               "with the grader's rights, so this grade is not protected against tampering")


def grade_file(path, workspace, limits, *, secret=None, max_bytes=MAX_NOTEBOOK_BYTES,
               student=None, protected=True):
    """Read ``path`` once and grade it (see module docstring).

    secret: the course secret (bytes) the inputs salt is derived from; None
    grades with the unsalted inputs the kit's own tests use.
    """
    try:
        raw = submissions.read(path, max_bytes)
    except submissions.ReadError as exc:
        raw = exc
    salt = inputs_salt(secret, raw) if secret and isinstance(raw, bytes) else ""
    return grade_notebook(raw, workspace, limits, name=str(path), student=student,
                          salt=salt, protected=protected)


def grade_notebook(raw, workspace, limits, *, name, student=None, salt="", protected=True):
    """The record of one notebook (see module docstring).

    raw: the notebook's bytes, or the ReadError that kept them from being read.
    name: the submission as shown (its path); student: its student id
    (default: the file name).  salt: its inputs salt (``secret.inputs_salt``).
    protected: False when graded with no isolation (said in the record).
    """
    name = str(name)
    record = {"submission": bounded(name, MAX_NAME_CHARS),
              "student": bounded(student or _stem(name), MAX_NAME_CHARS),
              "assignment": None, "score": 0.0, "max_score": 0.0, "tests": []}
    known = assignments.ids()
    notebook, error, warnings = None, None, []
    if isinstance(raw, Exception):
        error = str(raw)
    else:
        try:
            notebook = parse_notebook(raw, name)
        except NotebookError as exc:
            error = str(exc)
    try:
        record["assignment"] = assignment_of(name, notebook, known)
    except NotebookError as exc:
        error = error or str(exc)
    assignment = record["assignment"]
    named = path_assignment(name, known)
    if notebook is not None and assignment and named and named != assignment:
        warnings.append(f"the notebook's metadata says {assignment} but its file or folder "
                        f"says {named}: graded as {assignment}")
    if error is not None:
        results = _unscored(assignment, f"not graded: {bounded(error)}") if assignment else []
        record["error"] = bounded(error)
    else:
        results, cell_errors, broken = _run(notebook, assignment, workspace, limits, salt)
        if broken is not None:          # the sandbox itself failed: not the student's grade
            record["error"] = bounded(broken)
        record["cell_errors"] = cell_errors
        record["protections"] = list(workspace.isolation.protections(limits))
        record["inputs_salt"] = salt
    record["tests"] = [r.to_json() for r in results]
    record["score"], record["max_score"] = total(results)
    if assignment and not results:
        record["max_score"] = assignments.get(assignment).max_points
    record["protected"] = bool(protected)
    if not protected:
        warnings.append(UNPROTECTED)
    if warnings:
        record["warnings"] = warnings
    return record


def _run(notebook, assignment, workspace, limits, salt):
    """(test results, cell errors, why the sandbox could not run, or None) of a
    parsed notebook graded in a sandbox child."""
    from .sandbox import RemoteBackend
    backend = RemoteBackend(code_to_run(notebook), workspace.stage(assignment), workspace, limits)
    try:
        results = run_tests(assignment, Submission(backend), salt=salt)
    finally:
        backend.close()
    cell_errors = [{"cell": i, "message": bounded(m)} for i, m in sorted(backend.cell_errors.items())]
    broken = getattr(backend, "broken", None)
    return results, cell_errors, (str(broken) if broken is not None else None)


def _unscored(assignment, message, status=ERROR):
    """Every grader of ``assignment`` at 0 with ``message`` (for an ungradable notebook)."""
    return [TestResult(t.__name__, t.grading.function, 0.0, t.grading.points, status, message)
            for t in assignments.get(assignment).tests()]


def _stem(name):
    return name.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".ipynb")


def graded(record):
    """Whether the record is a grade (False: not graded, with ``record["error"]``)."""
    return "error" not in record
