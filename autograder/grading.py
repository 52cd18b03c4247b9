"""Grading metadata on tests, the runner, and the one place scores add up.

A grader is a plain pytest-style test that takes the student's functions::

    @graded("initialize_parameters_he", points=2)
    def test_initialize_parameters_he_variance(student):
        params = student.initialize_parameters_he([500, 400, 1])
        ...

``graded`` only attaches metadata.  ``run_tests`` runs the tests of a grader
module against a Submission and returns one ``TestResult`` each; a failing
check, a crash in the student's code and a tripped limit each get their own
status.  ``total`` is where points are added up, for every path (CLI, nbgrader
hidden cells, the kit's tests).
"""
import contextvars
import importlib
import traceback
from dataclasses import asdict, dataclass

from .bounded import bounded
from .checks import StudentError, StudentTimeout

PASSED, FAILED, ERROR, TIMEOUT = "passed", "failed", "error", "timeout"


@dataclass(frozen=True)
class Grading:
    function: str      # the graded function this test is about
    points: float      # what the test is worth


def graded(function, points):
    """Declare a test as grading ``function`` for ``points``."""
    def mark(test):
        test.grading = Grading(function, float(points))
        return test
    return mark


@dataclass
class TestResult:
    name: str
    function: str
    score: float
    max_score: float
    status: str
    message: str
    diagnosis: str = ""   # name of the known mistake the answer reproduces (diagnose.py)
    figure: dict = None   # plain numbers for a picture in the feedback (figures.py), if one

    def to_json(self):
        """A dict; ``diagnosis`` and ``figure`` only when there is one."""
        out = asdict(self)
        for key in ("diagnosis", "figure"):
            if not out[key]:
                del out[key]
        return out


_FIGURE = contextvars.ContextVar("dlkit_figure", default=None)


def figure(kind, **numbers):
    """Called by a grader test: attach a picture's data (plain numbers, see
    figures.py) to the test's result; shown if the test fails."""
    slot = _FIGURE.get()
    if slot is not None:
        slot.clear()
        slot.update(kind=kind, **numbers)


def grader_module(assignment):
    """The grader module of an assignment id: autograder.graders.<id>."""
    return importlib.import_module(f"autograder.graders.{assignment}")


def tests_of(module, function=None):
    """The graded tests of ``module`` in file order, optionally for one function."""
    tests = [obj for name, obj in vars(module).items()
             if name.startswith("test_") and callable(obj) and hasattr(obj, "grading")]
    return [t for t in tests if function is None or t.grading.function == function]


def run_test(test, submission):
    """Run one graded test; never raises (but for KeyboardInterrupt of the grader).
    The message is bounded here, where results are made (``bounded.py``)."""
    slot = {}
    token = _FIGURE.set(slot)
    try:
        result = _run_test(test, submission)
    finally:
        _FIGURE.reset(token)
    result.message = bounded(result.message)
    result.figure = (slot or None) if result.status != PASSED else None   # for failures only
    return result


def _run_test(test, submission):
    g = test.grading
    try:
        test(submission)
    except StudentTimeout as exc:
        return TestResult(test.__name__, g.function, 0.0, g.points, TIMEOUT, str(exc))
    except StudentError as exc:
        return TestResult(test.__name__, g.function, 0.0, g.points, ERROR, str(exc))
    except AssertionError as exc:   # CheckFailed, or a bare assert in a grader
        return TestResult(test.__name__, g.function, 0.0, g.points, FAILED, str(exc))
    except Exception as exc:  # noqa: BLE001 - a grader bug must not stop a batch
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return TestResult(test.__name__, g.function, 0.0, g.points, ERROR,
                          f"the grader could not check this ({type(exc).__name__}: {exc} "
                          f"at {where.name}:{where.lineno})")
    return TestResult(test.__name__, g.function, g.points, g.points, PASSED, "")


def run_tests(assignment, submission, function=None, salt="", diagnose=True):
    """Run an assignment's graders (or one function's) against a Submission.

    salt: the submission's inputs salt (``secret.inputs_salt``); the graders'
    random inputs are drawn from it.  "" (the default) is what the kit's own
    tests use.  diagnose: name the bug of each failing function when exactly
    one known wrong variant reproduces the student's outputs (``diagnose.py``);
    its name goes into the ``diagnosis`` of that function's failed tests.
    """
    from . import diagnose as diagnosis
    from .graders import inputs_salt
    from .student import Submission
    module = grader_module(assignment)
    recorder = None
    if diagnose and isinstance(submission, Submission):
        recorder = diagnosis.Recorder(submission._backend)
        submission = Submission(recorder)
    with inputs_salt(salt):
        results = [run_test(t, submission) for t in tests_of(module, function)]
    if recorder is not None:
        failing = {r.function for r in results if r.status != PASSED}
        for fn in sorted(failing):
            try:
                bug = diagnosis.name_the_bug(assignment, fn, recorder.calls.get(fn, []))
            except Exception:  # noqa: BLE001 - a diagnosis names a bug or nothing, never fails grading
                bug = None
            for r in results:
                if bug and r.function == fn and r.status != PASSED:
                    r.diagnosis = bug
    return results


def total(results):
    """(score, max_score) of a list of TestResult: the one place points add up."""
    return (sum(r.score for r in results), sum(r.max_score for r in results))


def max_points(assignment, function=None):
    """What an assignment (or one of its functions) is worth."""
    return sum(t.grading.points for t in tests_of(grader_module(assignment), function))
