"""Checks every assignment's hidden graders (autograder/graders/<id>.py) must pass.

For each assignment id found there: every graded function has tests named
``test_<function>_...``; the reference gets full marks, and grading it
leaves numpy's global RNG and the reference's globals as they were; a wrong
answer gets the same verdict every time; junk return values, None, a stub
that raises and a missing function each get a verdict with a message, never
"the grader could not check" (a grader crash).

What depends on an assignment is in SETTINGS; the checks that only make sense
for one assignment stay in tests/test_<id>.py.  How fast the graders are is
measured by bench/bench_graders.py, never asserted here (a loaded machine).
"""
import importlib
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

from autograder import grading
from autograder.grading import ERROR, FAILED, PASSED, run_test, run_tests, total
from autograder.student import local_submission
from autograder.variants import define

GRADERS = Path(grading.__file__).parent / "graders"
IDS = sorted(p.stem for p in GRADERS.glob("*.py") if p.stem[0] != "_" and p.stem != "conftest")


class Settings(NamedTuple):
    functions: tuple    # the graded functions, as the notebook asks for them
    none_says: str      # regex every message must match when the functions return None
    seeded: tuple       # functions whose graders seed numpy's global RNG (rng_seed=, or
                        # the function's own seed argument); the others must not touch it
    wrong: tuple        # (function, name) of a wrong variant in autograder/variants/<id>.py
    junk: list          # return values shaped like this assignment's, on top of JUNK


SETTINGS = {
    "initialization": Settings(
        ("initialize_parameters_zeros", "initialize_parameters_random",
         "initialize_parameters_he"),
        r"is None", ("initialize_parameters_random", "initialize_parameters_he"),
        ("initialize_parameters_he", "Glorot sqrt(2 / (n[l-1] + n[l]))"),
        [3, "W1", {"W1": [[0.0]]}, np.zeros(3)]),
    "regularization": Settings(
        ("compute_cost_with_regularization", "backward_propagation_with_regularization",
         "forward_propagation_with_dropout", "backward_propagation_with_dropout"),
        r"is None", ("forward_propagation_with_dropout",),
        ("backward_propagation_with_dropout", "forgets / keep_prob"),
        [(np.zeros((1, 3)), [None] * 14), (np.zeros((1, 2)), tuple([np.zeros(2)] * 14))]),
    "gradient_checking": Settings(
        ("forward_propagation", "backward_propagation", "gradient_check",
         "forward_propagation_n", "backward_propagation_n", "gradient_check_n"),
        r"is None|returned None", (),
        ("gradient_check_n", "one-sided difference"),
        [0.0, True, -1.0, np.float64(np.nan), (0.0, [None] * 12),
         (np.zeros((1, 1)), tuple([np.zeros(2)] * 12))]),
    "optimization": Settings(
        ("update_parameters_with_gd", "random_mini_batches", "initialize_velocity",
         "update_parameters_with_momentum", "initialize_adam", "update_parameters_with_adam",
         "update_lr", "schedule_lr_decay"),
        r"is None|returned None", ("random_mini_batches",),
        ("update_parameters_with_adam", "epsilon inside the square root"),
        [({}, {}), [None], [(None, None)], [([1.0], [2.0])], ({"W1": [1.0]}, {}),
         tuple({} for _ in range(5)), np.zeros((1, 1)), (np.zeros((3, 2)), np.zeros((1, 2)))]),
    "frameworks": Settings(
        ("sample_hyperparameters", "softmax", "compute_softmax_cost", "softmax_backward",
         "batchnorm_forward", "batchnorm_backward", "update_running_averages",
         "batchnorm_inference", "one_hot_matrix", "initialize_parameters",
         "forward_propagation", "compute_total_loss", "train_step"),
        r"is None|returned None", ("sample_hyperparameters",),
        ("batchnorm_backward", "mu and var treated as constants"),
        [(np.zeros((2, 2)), [None] * 7), (np.zeros((1, 1)), (np.zeros(1),) * 3),
         {"learning_rate": [1.0], "beta": 0.9, "n_h": None}]),
}

# Wrong return values, each a check failure with a message (plus SETTINGS' junk).
# Every assignment also passes with all assignments' junk (tried), but the
# gradient_check_n graders take ~25 ms a value, so each keeps its own shapes.
JUNK = [None, 0, 1.5, "x", [], {}, (None, None), {"dW1": [1.0]}, np.full((3, 3), np.nan)]
# Not plain data (plain.py): the student's error, said with a message.
NOT_PLAIN = [{k: np.zeros((2, 2), dtype=complex) for k in ("W1", "b1", "W2", "b2")}]


def _tests(assignment, function=None):
    return grading.tests_of(grading.grader_module(assignment), function)


def _namespace(assignment):
    return dict(vars(importlib.import_module(f"autograder.reference.{assignment}")))


def _with(assignment, stub):
    """The reference with every graded function replaced by ``stub``."""
    namespace = _namespace(assignment)
    namespace.update({f: stub for f in SETTINGS[assignment].functions})
    return local_submission(namespace)


def _functions():
    return [(a, f) for a in IDS for f in SETTINGS[a].functions]


def test_every_assignment_has_settings():
    assert IDS and set(SETTINGS) == set(IDS)


@pytest.mark.parametrize("assignment", IDS)
def test_every_function_is_graded(assignment):
    tests = _tests(assignment)
    assert {t.grading.function for t in tests} == set(SETTINGS[assignment].functions)
    for t in tests:
        assert t.__name__.startswith(f"test_{t.grading.function}_"), t.__name__


def _same_bindings(scope, bindings):
    return scope.keys() == bindings.keys() and all(scope[k] is v for k, v in bindings.items())


@pytest.mark.parametrize("assignment", IDS)
def test_reference_gets_full_marks_leaving_rng_and_globals_alone(assignment):
    """Full marks.  Only rng_seed= (and a function's own seed argument) touch
    numpy's global RNG: the other graders draw their inputs from grader_rng.
    Overrides (a probe rebinding a helper for one call) are undone in the
    functions' module globals, where they apply.  One grading run for the three
    checks: the gradient_check_n graders are slow."""
    namespace = _namespace(assignment)
    module_globals = vars(importlib.import_module(f"autograder.reference.{assignment}"))
    bindings = dict(namespace)
    submission = local_submission(namespace)
    seeded = [t for t in _tests(assignment) if t.grading.function in SETTINGS[assignment].seeded]
    np.random.seed(123)
    before = np.random.get_state()
    results = [run_test(t, submission) for t in _tests(assignment) if t not in seeded]
    assert all(np.array_equal(a, b) for a, b in zip(before, np.random.get_state()))
    results += [run_test(t, submission) for t in seeded]
    assert [r.message for r in results if r.status != PASSED] == []
    assert total(results) == (grading.max_points(assignment),) * 2 and total(results)[0] > 0
    assert _same_bindings(namespace, bindings) and _same_bindings(module_globals, bindings)


def _junk():
    return ([pytest.param(a, j, FAILED, id=f"{a}-{j!r}")
             for a in IDS for j in JUNK + SETTINGS[a].junk]
            + [pytest.param(a, j, ERROR, id=f"{a}-not plain") for a in IDS for j in NOT_PLAIN])


@pytest.mark.parametrize("assignment,junk,status", _junk())
def test_junk_is_graded_not_crashed(assignment, junk, status):
    submission = _with(assignment, lambda *args, **kwargs: junk)
    for test in _tests(assignment):
        result = run_test(test, submission)
        assert result.status == status, (test.__name__, result.status, result.message)
        assert result.message and "could not check" not in result.message, result.message


@pytest.mark.parametrize("assignment", IDS)
def test_none_says_none(assignment):
    submission = _with(assignment, lambda *args, **kwargs: None)
    for test in _tests(assignment):
        message = run_test(test, submission).message
        assert re.search(SETTINGS[assignment].none_says, message), (test.__name__, message)


def _raise(*args, **kwargs):
    raise NotImplementedError()


@pytest.mark.parametrize("assignment,function", _functions())
def test_stub_gets_nothing(assignment, function):
    results = run_tests(assignment, _with(assignment, _raise), function)
    assert results and total(results)[0] == 0
    assert all(r.status == ERROR and "NotImplementedError" in r.message for r in results)


@pytest.mark.parametrize("assignment,function", _functions())
def test_missing_function_is_an_error(assignment, function):
    namespace = _namespace(assignment)
    del namespace[function]
    results = run_tests(assignment, local_submission(namespace), function)
    assert results and all(r.status == ERROR and "is not defined" in r.message for r in results)


@pytest.mark.parametrize("assignment", IDS)
def test_grading_is_deterministic(assignment):
    variants = importlib.import_module(f"autograder.variants.{assignment}").VARIANTS
    variant = next(v for v in variants if (v.function, v.name) == SETTINGS[assignment].wrong)
    submission = local_submission(define(variant, _namespace(assignment)))
    runs = [[(r.name, r.status, r.message) for r in run_tests(assignment, submission)]
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert any(status == FAILED for _, status, _ in runs[0])
