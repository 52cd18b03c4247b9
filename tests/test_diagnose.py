"""Naming the bug (autograder/diagnose.py): right when it speaks, silent otherwise.

bench/diagnosis.py prints the same figures per variant.
"""
import numpy as np
import pytest

from autograder import diagnose
from autograder.assignments import ids as known_assignments
from autograder.grading import PASSED, run_tests
from autograder.reference import regularization as ref
from autograder.student import local_submission

# Measured 196/218 (90%) on the catalogue of the base commit; the floor makes a
# diagnosis that silently stopped naming things fail.
MIN_SHARE_NAMED = 0.8


@pytest.mark.parametrize("assignment", known_assignments())
def test_never_names_a_wrong_bug_nor_a_right_answer(assignment):
    rows = diagnose.evaluate(assignment)
    wrongly = [(v.name, n) for v, n in rows if v.expect is not None and n not in (None, v.name)]
    on_right = [(v.name, n) for v, n in rows if v.expect is None and n is not None]
    assert not wrongly, f"named the wrong bug: {wrongly}"
    assert not on_right, f"diagnosed a right answer: {on_right}"
    wrong = [(v, n) for v, n in rows if v.expect is not None]
    share = sum(n == v.name for v, n in wrong) / len(wrong)
    assert share >= MIN_SHARE_NAMED, f"only {share:.0%} of the wrong variants named"


def _namespace(**functions):
    namespace = dict(vars(ref))
    namespace.update(functions)
    return namespace


def test_unknown_bug_is_not_named_and_rng_is_left_alone():
    def cost(A3, Y, parameters, lambd):      # a bug no variant has: the L2 term tripled
        return 3 * ref.compute_cost_with_regularization(A3, Y, parameters, lambd) \
            - 2 * ref.compute_cost(A3, Y)
    np.random.seed(7)
    state = np.random.get_state()[1].copy()
    results = run_tests("regularization", local_submission(_namespace(
        compute_cost_with_regularization=cost)), "compute_cost_with_regularization")
    assert any(r.status != PASSED for r in results)
    assert all(r.diagnosis == "" for r in results)
    assert np.array_equal(np.random.get_state()[1], state)


def test_known_bug_named_on_failed_tests_only():
    def cost(A3, Y, parameters, lambd):      # the 1/2 forgotten
        m = Y.shape[1]
        squares = sum(np.sum(parameters[k] ** 2) for k in ("W1", "W2", "W3"))
        return ref.compute_cost(A3, Y) + lambd / m * squares
    results = run_tests("regularization", local_submission(_namespace(
        compute_cost_with_regularization=cost)), "compute_cost_with_regularization")
    named = [r for r in results if r.diagnosis]
    assert named and all(r.status != PASSED for r in named)
    assert all("the 1/2 forgotten" in r.diagnosis for r in named)
    assert any(r.status == PASSED and not r.diagnosis for r in results)


def test_reference_is_never_diagnosed():
    results = run_tests("regularization", local_submission(_namespace()))
    assert all(r.status == PASSED and not r.diagnosis for r in results)


def test_same_compares_structure_and_rounding():
    a = {"W1": np.ones((2, 2)), "b": [1.0, (2.0, None)]}
    assert diagnose.same(a, {"W1": np.ones((2, 2)) * (1 + 1e-12), "b": (1.0, [2.0, None])})
    assert not diagnose.same(a, {"W1": np.ones((2, 2)) * 1.001, "b": [1.0, (2.0, None)]})
    assert not diagnose.same(a, {"W1": np.ones((2, 1)), "b": [1.0, (2.0, None)]})
    assert not diagnose.same(np.ones(2), [1.0, 1.0])
    assert not diagnose.same(np.array([True]), np.array([1.0]))
