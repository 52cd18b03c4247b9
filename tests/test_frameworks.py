"""Tests of the `frameworks` graders beyond the mutant suite and the generic
checks of tests/test_graders_common.py: shaped stubs earn nothing, the
statistical bounds hold for many seeds, the gradient checks keep margin, and
the reference mirrors the students' fw_utils."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from autograder import grading, numerics
from autograder.grading import FAILED, PASSED, run_test
from autograder.graders import frameworks as graders
from autograder.graders import inputs_salt
from autograder.reference import frameworks as ref
from autograder.student import local_submission

FOLDER = Path(__file__).resolve().parents[1] / "source" / "frameworks"
PART1 = ("sample_hyperparameters", "softmax", "compute_softmax_cost", "softmax_backward",
         "batchnorm_forward", "batchnorm_backward", "update_running_averages",
         "batchnorm_inference")


def _with(**functions):
    namespace = dict(vars(ref))
    namespace.update(functions)
    return local_submission(namespace)


def _zero_bn_forward(Z, gamma, beta, eps=1e-5):
    n = Z.shape[0]
    zeros = np.zeros((n, 1))
    return np.zeros_like(Z), (Z, np.zeros_like(Z), zeros, zeros.copy(), gamma, beta, eps)


def test_shaped_stubs_earn_nothing():
    """Stubs returning zeros (or their input) of the right shapes fail every test."""
    submission = _with(
        sample_hyperparameters=lambda n, n_h_range=(10, 100): {
            "learning_rate": np.full(n, 1e-2), "beta": np.full(n, 0.99),
            "n_h": np.full(n, n_h_range[0])},
        softmax=lambda Z: np.full(Z.shape, 1 / Z.shape[0]),
        compute_softmax_cost=lambda AL, Y: 0.0,
        softmax_backward=lambda AL, Y: np.zeros_like(AL),
        batchnorm_forward=_zero_bn_forward,
        batchnorm_backward=lambda dZ_out, cache: (np.zeros_like(dZ_out),
                                                  np.zeros((dZ_out.shape[0], 1)),
                                                  np.zeros((dZ_out.shape[0], 1))),
        update_running_averages=lambda r_mu, r_var, mu, var, momentum=0.9: (r_mu.copy(), r_var.copy()),
        batchnorm_inference=lambda Z, gamma, beta, r_mu, r_var, eps=1e-5: Z.copy(),
        one_hot_matrix=lambda labels, depth=6: np.zeros((depth, len(labels)), np.float32),
        initialize_parameters=lambda dims, seed=1: {
            f"{p}{l}": np.zeros((dims[l], dims[l - 1] if p == "W" else 1), np.float32)
            for l in range(1, len(dims)) for p in "Wb"},
        forward_propagation=lambda X, parameters: np.zeros(
            (parameters["W3"].shape[0], X.shape[1]), np.float32),
        compute_total_loss=lambda logits, labels: 0.0,
        train_step=lambda X, Y, parameters, optimizer: 0.0)
    for test in grading.tests_of(graders):
        result = run_test(test, submission)
        assert result.status == FAILED, (test.__name__, result.status, result.message)


@pytest.mark.parametrize("test", [graders.test_sample_hyperparameters_bounds,
                                  graders.test_sample_hyperparameters_learning_rate_log_uniform,
                                  graders.test_sample_hyperparameters_beta_log_scale,
                                  graders.test_sample_hyperparameters_n_h_uniform,
                                  graders.test_sample_hyperparameters_independent_draws],
                         ids=lambda t: t.__name__)
def test_statistical_bounds_hold_for_many_seeds(monkeypatch, test):
    """The DKW and correlation bounds do not fail a right answer by bad luck."""
    submission = _with()
    for seed in range(30):
        monkeypatch.setattr(graders, "SEED", 7919 * seed + 11)
        result = run_test(test, submission)
        assert result.status == PASSED, (seed, result.message)


def test_dkw_bound_is_what_the_comment_says():
    eps = graders._dkw_eps(graders.N_DRAWS)
    assert 2 * np.exp(-2 * graders.N_DRAWS * eps ** 2) == pytest.approx(graders.DKW_FAIL_PROB)
    assert eps < 0.05     # a linear-scale learning rate is >= 0.2 away


def test_gradient_checks_have_margin():
    """The reference's worst centred-difference error on the graders' shapes
    (many salts) stays 10x under GRADCHECK_RTOL."""
    worst = 0.0
    for k in range(20):
        rng = np.random.default_rng(k)
        for n, m, eps in graders.BN_BACKWARD_CASES:
            Z, gamma, beta = graders._bn_inputs(rng, n, m)
            G = rng.normal(size=(n, m))
            _, cache = ref.batchnorm_forward(Z, gamma, beta, eps)
            got = dict(zip(("dZ", "dgamma", "dbeta"), ref.batchnorm_backward(G, cache)))
            for name, x in (("dbeta", beta), ("dgamma", gamma), ("dZ", Z)):
                num = numerics.numerical_gradient(
                    lambda: float(np.sum(G * ref.batchnorm_forward(Z, gamma, beta, eps)[0])), x)
                worst = max(worst, numerics.worst(got[name], num)[1])
        for C, m in graders.SM_BACKWARD_CASES:
            Z, Y = rng.normal(size=(C, m)), graders._labels(rng, C, m)
            num = m * numerics.numerical_gradient(
                lambda: ref.compute_softmax_cost(ref.softmax(Z), Y), Z)
            worst = max(worst, numerics.worst(ref.softmax_backward(ref.softmax(Z), Y), num)[1])
    assert worst < numerics.GRADCHECK_RTOL / 10, worst


def test_full_marks_under_other_salts():
    """Fresh inputs per submission (salts) keep a right answer at full marks."""
    for salt in ("a", "b", "c"):
        with inputs_salt(salt):
            results = [run_test(t, _with()) for t in grading.tests_of(graders)]
        assert [r.message for r in results if r.status != PASSED] == []


def test_a_guarded_log_keeps_full_marks_and_the_tolerance_catches_slips():
    guarded = _with(compute_softmax_cost=lambda AL, Y: float(-np.sum(Y * np.log(AL + 1e-10)) / Y.shape[1]))
    assert all(run_test(t, guarded).status == PASSED
               for t in grading.tests_of(graders, "compute_softmax_cost"))


@pytest.fixture(scope="module")
def fw_utils():
    import matplotlib
    matplotlib.use("Agg")
    spec = importlib.util.spec_from_file_location("fw_utils_under_test", FOLDER / "fw_utils.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_helpers_match_fw_utils(fw_utils):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4, 5))
    assert np.array_equal(ref.relu(x), fw_utils.relu(x))
    labels = rng.integers(0, 6, 9)
    assert np.array_equal(ref.one_hot(labels, 6), fw_utils.one_hot(labels, 6))


def test_reference_repeats_the_tensorflow_boundary_of_fw_utils(fw_utils):
    """Mutants and right variants run with the reference's numpy_io: it must be
    fw_utils' (what a student's notebook has), word for word."""
    import inspect
    for name in ("_is_tensorflow", "_to_numpy", "numpy_io"):
        assert inspect.getsource(getattr(ref, name)) == inspect.getsource(getattr(fw_utils, name)), name


def test_network_helpers_train_with_the_reference(fw_utils):
    """fw_utils' deep network, run on the reference functions, learns the
    stroke images and its backward pass is the gradient of its cost."""
    ops = {name: getattr(ref, name) for name in PART1 if name != "sample_hyperparameters"}
    X, labels = fw_utils.make_shapes_dataset(n_per_class=20, seed=5)
    Y = fw_utils.one_hot(labels, 6)
    np.random.seed(0)
    params = fw_utils.initialize_network([X.shape[0], 5, 4, 6], use_bn=True)
    Xs, Ys = X[:, :7], Y[:, :7]
    AL, caches = fw_utils.forward(Xs, params, ops)
    grads = fw_utils.backward(AL, Ys, params, caches, ops)
    for key in ("W1", "gamma1", "beta2", "b3"):
        num = numerics.numerical_gradient(
            lambda: ref.compute_softmax_cost(fw_utils.forward(Xs, params, ops)[0], Ys), params[key])
        assert numerics.worst(grads["d" + key], num)[1] < 1e-5, key
    np.random.seed(1)
    params, costs, spread = fw_utils.train_network(X, labels, [X.shape[0], 16, 16, 6], ops,
                                                   True, 0.2, epochs=10, batch_size=32,
                                                   watch_layer=2)
    assert costs[-5:].mean() < 0.5 * costs[:5].mean() and spread.shape == (11, 3)
    assert fw_utils.accuracy(X, labels, params, ops) > 0.8


def test_float32_tolerances_have_margin():
    """TensorFlow's float32 results against the numpy reference, over the
    graders' cases and 20 input draws: 10x under the tolerances."""
    pytest.importorskip("tensorflow")
    worst = {"logits": 0.0, "loss": 0.0, "update": 0.0}
    for k in range(20):
        rng = np.random.default_rng(100 + k)
        for dims, m in graders.TF_CASES:
            X, Y, params = graders._tf_network(rng, dims, m)
            want, _ = ref.forward_numpy(X, params)
            worst["logits"] = max(worst["logits"],
                                  graders._normwise(ref.forward_propagation(X, params), want)[0])
            logits = rng.normal(0, 3, (dims[-1], m)).astype(np.float32)
            scale = np.abs(logits.astype(np.float64)).max(axis=0).sum()
            worst["loss"] = max(worst["loss"], abs(ref.compute_total_loss(logits, Y)
                                                   - ref.total_loss_numpy(logits, Y)) / scale)
            before = {key: v.copy() for key, v in params.items()}
            ref.train_step(X, Y, params, graders.LEARNING_RATE)
            grads = ref.total_loss_gradients_numpy(X, Y, before)
            for key in params:
                step = (before[key].astype(np.float64) - params[key]) / graders.LEARNING_RATE
                worst["update"] = max(worst["update"], graders._normwise(step, grads[key])[0])
    assert worst["logits"] < graders.FLOAT32_RTOL / 10, worst
    assert worst["loss"] < graders.FLOAT32_RTOL / 10, worst
    assert worst["update"] < graders.UPDATE_RTOL / 10, worst


def test_glorot_bounds_hold_for_many_seeds():
    """The variance and kurtosis bounds do not fail keras' GlorotNormal by bad luck."""
    pytest.importorskip("tensorflow")
    for salt in range(15):
        with inputs_salt(f"glorot-{salt}"):
            for test in (graders.test_initialize_parameters_glorot_variance,
                         graders.test_initialize_parameters_normal_not_uniform):
                result = run_test(test, _with(initialize_parameters=_seeded_init(salt)))
                assert result.status == PASSED, (salt, result.message)


def _seeded_init(offset):
    """The reference initializer with its seeds moved by ``offset`` (other draws)."""
    def initialize_parameters(layer_dims, seed=1):
        return ref.initialize_parameters(layer_dims, seed + 1000 * (offset + 1))
    return initialize_parameters


def test_without_tensorflow_part_2_says_what_to_install(monkeypatch):
    """find_spec('tensorflow') is None: every Part 2 test is an error naming the
    install command; Part 1 grades as usual."""
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "tensorflow" else real(name, *a))
    for test in grading.tests_of(graders):
        result = run_test(test, _with())
        if test.grading.function in PART1:
            assert result.status == PASSED, result.message
        else:
            assert result.status == "error" and "pip install -e '.[tensorflow]'" in result.message


@pytest.fixture(scope="module")
def public_tests():
    import sys
    sys.path.insert(0, str(FOLDER))
    try:
        spec = importlib.util.spec_from_file_location("frameworks_public_tests",
                                                      FOLDER / "public_tests.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(FOLDER))
    return module


def _variant(function, name):
    from autograder.variants.frameworks import VARIANTS
    variant = next(v for v in VARIANTS if (v.function, v.name) == (function, name))
    namespace = dict(vars(ref))
    exec(compile(variant.source, name, "exec"), namespace)
    return namespace[function]


@pytest.mark.parametrize("function", PART1 + ("one_hot_matrix", "initialize_parameters",
                                              "forward_propagation", "compute_total_loss",
                                              "train_step"))
def test_public_checks_pass_the_reference(public_tests, function, capsys):
    if function not in PART1:
        pytest.importorskip("tensorflow")
    getattr(public_tests, f"check_{function}")(getattr(ref, function))
    assert capsys.readouterr().out.strip() == f"{function}: all public checks passed"


@pytest.mark.parametrize("function,name", [
    ("sample_hyperparameters", "learning rate uniform on [1e-4, 1] (linear scale)"),
    ("softmax", "no max subtracted: overflows at 1000"),
    ("compute_softmax_cost", "sum instead of mean"),
    ("softmax_backward", "dZ = (AL - Y) / m"),
    ("batchnorm_forward", "statistics over the units (axis=0)"),
    ("batchnorm_backward", "mu and var treated as constants"),
    ("update_running_averages", "momentum and 1 - momentum swapped"),
    ("batchnorm_inference", "the batch's own statistics"),
    ("forward_propagation", "softmax at the end"),
    ("compute_total_loss", "the mean over the examples"),
    ("train_step", "the gradient added (ascent)"),
])
def test_public_checks_catch_a_typical_bug(public_tests, function, name):
    if function in ("forward_propagation", "compute_total_loss", "train_step"):
        pytest.importorskip("tensorflow")
    with pytest.raises(AssertionError):
        with np.errstate(all="ignore"):
            getattr(public_tests, f"check_{function}")(_variant(function, name))
