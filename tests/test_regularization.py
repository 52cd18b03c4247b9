"""Tests of the `regularization` graders beyond the mutant suite and the
generic checks of tests/test_graders_common.py: shaped stubs earn nothing,
the tolerances and statistical bounds keep margin, and the reference mirrors
the students' reg_utils."""
import importlib
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from autograder import numerics
from autograder import grading
from autograder.grading import FAILED, PASSED, run_test, run_tests
from autograder.graders import regularization as graders
from autograder.reference import regularization as ref
from autograder.student import local_submission
from autograder.variants import define
from autograder.variants.regularization import VARIANTS

TESTS = grading.tests_of(graders)
REG_UTILS = Path(__file__).resolve().parents[1] / "source" / "regularization" / "reg_utils.py"


def _reference():
    return local_submission(dict(vars(ref)))


def _with(**functions):
    """The reference with some graded functions replaced."""
    namespace = dict(vars(ref))
    namespace.update(functions)
    return local_submission(namespace)


def _zero_grads(X, cache):
    """Right keys and shapes, all zeros.  cache: either layout."""
    m = X.shape[1]
    W1, W2, W3 = cache[2 if len(cache) == 12 else 3], cache[-6], cache[-2]
    grads = {}
    for l, W in ((1, W1), (2, W2), (3, W3)):
        grads.update({f"dZ{l}": np.zeros((W.shape[0], m)), f"dA{l}": np.zeros((W.shape[0], m)),
                      f"dW{l}": np.zeros_like(W), f"db{l}": np.zeros((W.shape[0], 1))})
    return grads


def _zero_forward(X, parameters, keep_prob=0.5):
    m = X.shape[1]
    cache = []
    for l in (1, 2, 3):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        zeros = np.zeros((W.shape[0], m))
        cache += [zeros, zeros.copy(), zeros.copy(), W, b] if l < 3 else [zeros, zeros.copy(), W, b]
    return np.zeros((1, m)), tuple(cache)


def test_shaped_zero_stubs_earn_nothing():
    """Stubs returning zeros of the right shapes fail every test."""
    submission = _with(
        compute_cost_with_regularization=lambda A3, Y, parameters, lambd: 0.0,
        backward_propagation_with_regularization=lambda X, Y, cache, lambd: _zero_grads(X, cache),
        forward_propagation_with_dropout=_zero_forward,
        backward_propagation_with_dropout=lambda X, Y, cache, kp: _zero_grads(X, cache))
    for test in TESTS:
        result = run_test(test, submission)
        assert result.status == FAILED, (test.__name__, result.status, result.message)


def test_list_instead_of_array_is_named():
    def backward(X, Y, cache, lambd):
        grads = ref.backward_propagation_with_regularization(X, Y, cache, lambd)
        grads["dW2"] = grads["dW2"].tolist()
        return grads
    results = [run_test(t, _with(backward_propagation_with_regularization=backward))
               for t in grading.tests_of(graders, "backward_propagation_with_regularization")]
    assert any("dW2 is a list, expected a numpy array" in r.message for r in results)


def test_kept_fraction_bound_holds_for_many_seeds(monkeypatch):
    """The 6-standard-error bound does not fail a right answer by bad luck."""
    submission = _reference()
    for seed in range(40):
        monkeypatch.setattr(graders, "SEED", 1000 * seed + 7)
        result = run_test(graders.test_forward_propagation_with_dropout_kept_fraction, submission)
        assert result.status == PASSED, result.message


def test_gradient_checks_have_margin():
    """The reference's worst centred-difference error on the graders' own
    case shapes (many draws) stays 10x under GRADCHECK_RTOL."""
    rng = np.random.default_rng(5)
    worst = 0.0
    for _ in range(25):
        for n_x, n1, n2, m, lambd in graders.L2_CASES:
            X, Y, params = graders._smooth_network(rng, n_x, n1, n2, m)
            _, cache = ref.forward_propagation(X, params)
            grads = ref.backward_propagation_with_regularization(X, Y, cache, lambd)

            def cost():
                return ref.compute_cost_with_regularization(
                    ref.forward_propagation(X, params)[0], Y, params, lambd)

            num = graders._numerical_gradients(cost, params)
            worst = max(worst, *(numerics.worst(grads[k], num[k])[1] for k in num))
        for n_x, n1, n2, m, kp in graders.BACKWARD_CASES:
            X, Y, params, D1, D2 = graders._masked_network(rng, n_x, n1, n2, m, kp)
            _, cache = ref.forward_propagation_with_masks(X, params, D1, D2, kp)
            grads = ref.backward_propagation_with_dropout(X, Y, cache, kp)

            def cost():
                return ref.compute_cost(
                    ref.forward_propagation_with_masks(X, params, D1, D2, kp)[0], Y)

            num = graders._numerical_gradients(cost, params)
            worst = max(worst, *(numerics.worst(grads[k], num[k])[1] for k in num))
    assert worst < numerics.GRADCHECK_RTOL / 10, worst


def test_smooth_networks_avoid_relu_kinks():
    rng = np.random.default_rng(0)
    for n_x, n1, n2, m, _ in graders.L2_CASES:
        X, _, params = graders._smooth_network(rng, n_x, n1, n2, m)
        _, cache = ref.forward_propagation(X, params)
        assert np.abs(cache[0]).min() > graders.KINK_MARGIN
        assert np.abs(cache[4]).min() > graders.KINK_MARGIN


def test_backward_masks_drop_and_keep():
    """The masks of the backward graders always have a dropped and a kept unit,
    so a missing mask shows on every case."""
    rng = np.random.default_rng(0)
    for _ in range(200):
        D = graders._masks(rng, (5, 1), 0.86)
        assert D.any() and not D.all()
    assert graders._masks(rng, (4, 3), 1.0).all()


@pytest.fixture(scope="module")
def reg_utils():
    assert REG_UTILS.is_file(), f"{REG_UTILS} is missing: the students' helpers are part of the kit"
    import matplotlib
    matplotlib.use("Agg")
    spec = importlib.util.spec_from_file_location("reg_utils_under_test", REG_UTILS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_helpers_match_reg_utils(reg_utils, capsys):
    """Mutants and right variants call the reference's helpers as students
    call reg_utils': same names, same results."""
    rng = np.random.default_rng(1)
    X, Y, params = graders._smooth_network(rng, 3, 5, 4, 7)
    x = rng.normal(size=(3, 4))
    for name in ("sigmoid", "relu"):
        assert np.array_equal(getattr(ref, name)(x), getattr(reg_utils, name)(x)), name
    A3, cache = ref.forward_propagation(X, params)
    A3_u, cache_u = reg_utils.forward_propagation(X, params)
    assert np.array_equal(A3, A3_u) and len(cache) == len(cache_u) == 12
    assert all(np.array_equal(a, b) for a, b in zip(cache, cache_u))
    assert ref.compute_cost(A3, Y) == pytest.approx(reg_utils.compute_cost(A3, Y), rel=1e-15)
    grads, grads_u = ref.backward_propagation(X, Y, cache), reg_utils.backward_propagation(X, Y, cache)
    assert set(grads) == set(grads_u)
    for k in grads:
        assert numerics.worst(grads[k], grads_u[k])[1] <= numerics.EXACT_RTOL, k
    new, new_u = (mod.update_parameters(params, grads, 0.1) for mod in (ref, reg_utils))
    assert set(new) == set(new_u) and all(np.array_equal(new[k], new_u[k]) for k in new)
    assert ref.predict(X, Y, params) == reg_utils.predict(X, Y, params)
    capsys.readouterr()
    np.random.seed(4)
    a = ref.initialize_parameters([3, 5, 1])
    np.random.seed(4)
    b = reg_utils.initialize_parameters([3, 5, 1])
    assert all(np.array_equal(a[k], b[k]) for k in a)


# ------------------------------------------------------- public checks ---

PUBLIC = REG_UTILS.parent


@pytest.fixture(scope="module")
def public():
    """source/regularization/public_tests.py, imported as the notebook does."""
    import sys
    names = ("public_tests", "checks", "numerics", "reg_utils")
    sys.path.insert(0, str(PUBLIC))
    try:
        for name in names:
            sys.modules.pop(name, None)
        yield importlib.import_module("public_tests")
    finally:
        sys.path.remove(str(PUBLIC))
        for name in names:
            sys.modules.pop(name, None)


def _namespace(*variants):
    """The reference's names with the variants' functions swapped in (as in a notebook)."""
    namespace = dict(vars(ref))
    for variant in variants:
        exec(compile(variant.source, f"<variant {variant.name}>", "exec"), namespace)
    return namespace


def _variant(function, name):
    from autograder.variants.regularization import VARIANTS
    return next(v for v in VARIANTS if v.function == function and v.name == name)


def test_public_checks_pass_right_variants(public, capsys):
    from autograder.variants.regularization import VARIANTS
    for variant in (v for v in VARIANTS if v.expect is None):
        getattr(public, f"check_{variant.function}")(_namespace(variant)[variant.function])
        assert "all public checks passed" in capsys.readouterr().out, variant.name


@pytest.mark.parametrize("function,name,words", [
    ("compute_cost_with_regularization", "lambd / m, the 1/2 forgotten", "1/2 of lambd / (2 m) is missing"),
    ("backward_propagation_with_regularization",
     "2 * lambd / m (differentiated the cost's 1/2 away twice)", "lambd / m"),
    ("backward_propagation_with_regularization", "lambd / (2 m) copied from the cost", "lambd / m"),
])
def test_public_checks_catch_the_factor_of_the_l2_term(public, function, name, words):
    """The 1/2 of the L2 term is pinned by the notebook's worked example (a
    stated fact), the lambd / m of its gradient by the markdown's formula."""
    check = getattr(public, f"check_{function}")
    with pytest.raises(AssertionError) as failed:
        check(_namespace(_variant(function, name))[function])
    # the message is wrapped to fit nbgrader validate's lines
    assert words in " ".join(str(failed.value).split())


def test_backward_check_says_fix_the_cost_first(public):
    """A right backward pass beside a wrong cost is told to fix the cost first,
    never blamed for the cost's mistake; a cost not written yet is skipped."""
    from autograder.variants.regularization import VARIANTS
    wrong_cost = _variant("compute_cost_with_regularization", "lambd / m, the 1/2 forgotten")
    right_backward = next(v for v in VARIANTS if v.function == "backward_propagation_with_regularization"
                          and v.expect is None)
    public.check_backward_propagation_with_regularization(
        _namespace(right_backward)["backward_propagation_with_regularization"])
    namespace = _namespace(wrong_cost, right_backward)
    with pytest.raises(AssertionError) as failed:
        public.check_backward_propagation_with_regularization(
            namespace["backward_propagation_with_regularization"])
    assert "fix compute_cost_with_regularization first" in " ".join(str(failed.value).split())

    def not_written(*args):
        raise NotImplementedError("Replace this line with your code")
    namespace = dict(vars(ref), compute_cost_with_regularization=not_written)
    exec(compile("def backward(X, Y, cache, lambd):\n"
                 "    return backward_propagation_with_regularization(X, Y, cache, lambd)\n",
                 "<wrapper>", "exec"), namespace)
    public.check_backward_propagation_with_regularization(namespace["backward"])


# Salts under which a dropout backward pass without the masks (ReLU derivative
# from Z > 0) failed the gradient check on db2 only, never naming a dW: an
# example whose whole first hidden layer was off or dropped hid the wrong dZ2
# from dW2 (20 salts in 200 of bench/salt_sweep.py, before _masked_network kept
# a unit on in every column of A1).  Six of those, and four others.
@pytest.mark.parametrize("salt", ["sweep-0", "sweep-9", "sweep-10", "sweep-15", "sweep-17",
                                  "sweep-37", "sweep-1", "sweep-2", "sweep-3", "sweep-4"])
def test_dropout_backward_without_masks_is_named_under_every_salt(salt):
    variant = next(v for v in VARIANTS
                   if v.name == "forgets the masks (ReLU derivative from Z > 0)")
    results = run_tests("regularization", local_submission(define(variant, dict(vars(ref)))),
                        variant.function, salt=salt)
    failed = [r.message for r in results if r.status == FAILED]
    assert any(variant.expect in message for message in failed), failed
