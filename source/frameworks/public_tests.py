"""Public checks of the frameworks assignment (Part 1): one check_<function>(fn) each.

A check runs your function on fresh random inputs and tests what every right
answer has in common: types, shapes, bounds, invariants (softmax columns sum
to 1, a normalized row has mean 0...) and gradient checks of your backward
passes against centred differences.  It never compares with stored answers.
On success it prints one line; otherwise it raises AssertionError saying
what is wrong.  The hidden graders check more, on other inputs.

Every check leaves numpy's global RNG as it found it.
"""
import contextlib

import numpy as np

from checks import fit_public_checks
from checks import (expect, expect_array, expect_close, expect_finite, expect_keys,
                    expect_scalar, expect_sequence)
from numerics import EXACT_RTOL, GRADCHECK_RTOL, numerical_gradient
from fw_utils import one_hot

PUBLIC_SEED = 2025


@contextlib.contextmanager
def _global_rng_restored():
    state = np.random.get_state()
    try:
        yield
    finally:
        np.random.set_state(state)


def _number(value, name):
    if isinstance(value, np.generic) and not isinstance(value, np.bool_):
        value = value.item()
    return expect_scalar(value, name)


def _passed(name):
    print(f"{name}: all public checks passed")


# ---------------------------------------------------------- hyperparameters

def check_sample_hyperparameters(fn):
    name = "sample_hyperparameters"
    with _global_rng_restored():
        np.random.seed(PUBLIC_SEED)
        draws = fn(2000, (5, 9))
        again = fn(2000, (5, 9))
    expect_keys(draws, ("learning_rate", "beta", "n_h"), f"{name}'s return value")
    lr = expect_array(draws["learning_rate"], "learning_rate", (2000,))
    beta = expect_array(draws["beta"], "beta", (2000,))
    n_h = expect_array(draws["n_h"], "n_h", (2000,), kind="iuf")
    expect(lr.min() >= 1e-4 and lr.max() <= 1, "learning_rate must stay inside [1e-4, 1]")
    expect(beta.min() >= 0.9 and beta.max() <= 0.999, "beta must stay inside [0.9, 0.999]")
    expect(np.array_equal(n_h, np.round(n_h)) and n_h.min() >= 5 and n_h.max() <= 9,
           "n_h must be whole numbers inside n_h_range, both ends included")
    expect(set(np.unique(n_h)) == {5, 6, 7, 8, 9},
           "2000 draws of n_h with n_h_range = (5, 9) should hit every value 5..9")
    below = float(np.mean(lr < 1e-2))
    expect(0.4 < below < 0.6, f"{below:.0%} of the learning rates are below 1e-2; on a log "
           "scale from 1e-4 to 1, about half should be")
    expect(not np.array_equal(draws["learning_rate"], again["learning_rate"]),
           "two calls in a row gave the same draws: do not reseed inside the function")
    _passed(name)


# ---------------------------------------------------------------- softmax

def check_softmax(fn):
    name = "softmax"
    rng = np.random.default_rng(PUBLIC_SEED)
    Z = rng.normal(0, 2, (5, 7))
    A = expect_array(fn(Z.copy()), "softmax(Z)", Z.shape)
    expect_finite(A, "softmax(Z)")
    expect(np.all(A >= 0), "softmax(Z) has negative entries; probabilities are >= 0")
    expect(np.allclose(A.sum(axis=0), 1), "the columns of softmax(Z) must each sum to 1 "
           "(one column per example)")
    shifted = expect_array(fn(Z + rng.normal(0, 10, (1, 7))), "softmax(Z + c)", Z.shape)
    expect_close(shifted, A, "softmax(Z + c)", EXACT_RTOL,
                 what="rel. error vs softmax(Z) (adding a constant to a column changes nothing)")
    big = Z + 1000
    expect_finite(expect_array(fn(big), "softmax(Z + 1000)", Z.shape), "softmax(Z + 1000)")
    _passed(name)


def check_compute_softmax_cost(fn):
    name = "compute_softmax_cost"
    rng = np.random.default_rng(PUBLIC_SEED)
    Z = rng.normal(size=(4, 6))
    AL = np.exp(Z) / np.exp(Z).sum(axis=0)
    Y = one_hot(rng.integers(0, 4, 6), 4)
    cost = _number(fn(AL, Y), "the cost")
    expect(np.isfinite(cost) and cost > 0, f"the cost is {cost:.4g}; cross-entropy of "
           "probabilities below 1 is positive")
    tiled = _number(fn(np.tile(AL, 2), np.tile(Y, 2)), "the cost")
    expect(abs(tiled - cost) <= 1e-9 * cost, "the cost of the examples twice differs from the "
           "cost of the examples once: average over the m examples")
    _passed(name)


def check_softmax_backward(fn):
    """Centred differences of the mean cost of softmax(Z), times m, against dZ."""
    name = "softmax_backward"
    rng = np.random.default_rng(PUBLIC_SEED)
    C, m = 4, 5
    Z = rng.normal(size=(C, m))
    Y = one_hot(rng.integers(0, C, m), C)

    AL = np.exp(Z) / np.exp(Z).sum(axis=0)
    dZ = expect_array(fn(AL, Y), "dZ", (C, m))
    Zp = Z.copy()   # perturbed by the gradient check

    def mean_cost():
        log_probs = Zp - Zp.max(axis=0) - np.log(np.exp(Zp - Zp.max(axis=0)).sum(axis=0))
        return -np.sum(Y * log_probs) / m

    expect_close(dZ, m * numerical_gradient(mean_cost, Zp), "dZ", GRADCHECK_RTOL,
                 what="rel. error vs m times the numerical gradient of the mean cost "
                 "(this notebook's convention dZ = AL - Y)")
    _passed(name)


# -------------------------------------------------------------- batch norm

def _bn_inputs(rng, n=4, m=8):
    Z = rng.normal(rng.normal(0, 3, (n, 1)), 2, (n, m))
    return Z, rng.uniform(0.5, 2, (n, 1)), rng.normal(0, 1, (n, 1))


def check_batchnorm_forward(fn):
    name = "batchnorm_forward"
    rng = np.random.default_rng(PUBLIC_SEED)
    Z, gamma, beta = _bn_inputs(rng)
    before = Z.copy()
    value = fn(Z, np.ones_like(gamma), np.zeros_like(beta), 1e-8)
    expect_sequence(value, 2, f"{name}'s return value (Z_out, cache)")
    Z_out, cache = value
    expect_array(Z_out, "Z_out", Z.shape)
    expect_sequence(cache, 7, "cache (Z, Z_norm, mu, var, gamma, beta, eps)")
    expect(np.array_equal(Z, before), f"{name} changed Z in place; work on new arrays")
    expect(np.allclose(Z_out.mean(axis=1), 0), "with gamma = 1 and beta = 0 every row of Z_out "
           "must have mean 0 (statistics over the m examples: axis=1)")
    expect(np.allclose(Z_out.var(axis=1), 1, rtol=1e-6), "with gamma = 1, beta = 0 and a tiny "
           "eps every row of Z_out must have variance 1")
    scaled, _ = fn(Z, gamma, beta, 1e-8)
    expect_close(scaled, gamma * Z_out + beta, "Z_out", EXACT_RTOL,
                 what="rel. error vs gamma * Z_norm + beta, unit by unit")
    constant = np.repeat(Z[:, :1], 3, axis=1)
    expect_finite(fn(constant, gamma, beta, 1e-5)[0], "Z_out of constant rows")
    _passed(name)


def _bn_reference_forward(Z, gamma, beta, eps):
    """The forward pass written out in the notebook, for the gradient check."""
    mu = Z.mean(axis=1, keepdims=True)
    var = ((Z - mu) ** 2).mean(axis=1, keepdims=True)
    Z_norm = (Z - mu) / np.sqrt(var + eps)
    return gamma * Z_norm + beta, (Z, Z_norm, mu, var, gamma, beta, eps)


def check_batchnorm_backward(fn):
    """Gradient check through the notebook's forward formula, L = sum(G * Z_out)."""
    name = "batchnorm_backward"
    rng = np.random.default_rng(PUBLIC_SEED)
    Z, gamma, beta = _bn_inputs(rng, 3, 5)
    G = rng.normal(size=Z.shape)
    _, cache = _bn_reference_forward(Z, gamma, beta, 1e-5)
    value = fn(G, cache)
    expect_sequence(value, 3, f"{name}'s return value (dZ, dgamma, dbeta)")
    dZ, dgamma, dbeta = value
    expect_array(dZ, "dZ", Z.shape)
    expect_array(dgamma, "dgamma", gamma.shape)
    expect_array(dbeta, "dbeta", beta.shape)
    for key, got, x in (("dbeta", dbeta, beta), ("dgamma", dgamma, gamma), ("dZ", dZ, Z)):
        x_copy = x.copy()
        args = {"dbeta": (Z, gamma, x_copy), "dgamma": (Z, x_copy, beta), "dZ": (x_copy, gamma, beta)}[key]
        numerical = numerical_gradient(lambda: np.sum(G * _bn_reference_forward(*args, 1e-5)[0]),
                                       x_copy)
        expect_close(got, numerical, key, GRADCHECK_RTOL,
                     what="rel. error vs the numerical gradient")
    _passed(name)


def check_update_running_averages(fn):
    name = "update_running_averages"
    rng = np.random.default_rng(PUBLIC_SEED)
    r_mu, r_var, mu, var = rng.normal(size=(3, 1)), rng.uniform(1, 2, (3, 1)), \
        rng.normal(size=(3, 1)), rng.uniform(1, 2, (3, 1))
    before = [a.copy() for a in (r_mu, r_var, mu, var)]
    value = fn(r_mu, r_var, mu, var, 0.8)
    expect_sequence(value, 2, f"{name}'s return value (running_mu, running_var)")
    new_mu = expect_array(value[0], "running_mu", (3, 1))
    new_var = expect_array(value[1], "running_var", (3, 1))
    expect(all(np.array_equal(a, b) for a, b in zip(before, (r_mu, r_var, mu, var))),
           f"{name} changed its inputs in place; return new arrays")
    for got, old, new, key in ((new_mu, r_mu, mu, "running_mu"), (new_var, r_var, var, "running_var")):
        expect(np.all((got - old) * (got - new) <= 1e-12), f"{key} must lie between the old "
               "running value and the batch statistic (a weighted average of the two)")
        expect(np.all(np.abs(got - old) < np.abs(got - new) + 1e-12), f"with momentum = 0.8 "
               f"{key} must stay closer to the old running value than to the batch statistic")
    _passed(name)


def check_batchnorm_inference(fn):
    name = "batchnorm_inference"
    rng = np.random.default_rng(PUBLIC_SEED)
    Z, gamma, beta = _bn_inputs(rng)
    r_mu, r_var = rng.normal(size=(4, 1)), rng.uniform(0.5, 2, (4, 1))
    out = expect_array(fn(Z, gamma, beta, r_mu, r_var, 1e-5), "Z_out", Z.shape)
    alone = expect_array(fn(Z[:, :1], gamma, beta, r_mu, r_var, 1e-5), "Z_out", (4, 1))
    expect_close(alone, out[:, :1], "Z_out of one example alone", EXACT_RTOL,
                 what="rel. error vs the same example in a batch (at test time an example's "
                 "output must not depend on the rest of the batch)")
    at_mean = fn(r_mu, gamma, beta, r_mu, r_var, 1e-5)
    expect_close(at_mean, beta, "Z_out at Z = running_mu", EXACT_RTOL,
                 what="rel. error vs beta (an input equal to the running mean normalizes to 0)")
    _passed(name)


# ------------------------------------------------- Part 2: TensorFlow
# Your Part 2 functions carry @numpy_io, so these checks call them with numpy
# arrays and get numpy arrays back.

def _numpy_logits(X, params):
    """The network of Part 2 written in numpy (float64), from the notebook's formulas."""
    P = {k: np.asarray(v, dtype=np.float64) for k, v in params.items()}
    A1 = np.maximum(P["W1"] @ X + P["b1"], 0)
    A2 = np.maximum(P["W2"] @ A1 + P["b2"], 0)
    return P["W3"] @ A2 + P["b3"]


def _numpy_total_loss(logits, Y):
    top = logits.max(axis=0)
    return float(-np.sum(Y * (logits - top - np.log(np.exp(logits - top).sum(axis=0)))))


def _normwise(actual, desired):
    return float(np.max(np.abs(np.asarray(actual, dtype=np.float64) - desired))
                 / max(np.max(np.abs(desired)), 1e-300))


def _tf_inputs(rng, dims=(8, 5, 4, 3), m=6):
    X = rng.normal(size=(dims[0], m)).astype(np.float32)
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = (rng.normal(size=(dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])).astype(np.float32)
        params[f"b{l}"] = rng.normal(0, 0.3, (dims[l], 1)).astype(np.float32)
    Y = one_hot(rng.integers(0, dims[-1], m), dims[-1]).astype(np.float32)
    return X, Y, params


def check_one_hot_matrix(fn):
    name = "one_hot_matrix"
    labels = np.array([2, 0, 5, 5, 1])
    got = expect_array(fn(labels, 6), "one_hot_matrix(labels, 6)", (6, 5), kind="fiu")
    expect(set(np.unique(got)) <= {0, 1} and np.all(got.sum(axis=0) == 1),
           "every column must hold a single 1 and zeros (one column per example)")
    expect(np.array_equal(got.argmax(axis=0), labels), "column j must have its 1 in row labels[j]")
    _passed(name)


def check_initialize_parameters(fn):
    name = "initialize_parameters"
    dims = [200, 100, 6]
    params = fn(dims, 3)
    expect_keys(params, ("W1", "b1", "W2", "b2"), f"{name}'s return value")
    for l in (1, 2):
        W = expect_array(params[f"W{l}"], f"W{l}", (dims[l], dims[l - 1]))
        b = expect_array(params[f"b{l}"], f"b{l}", (dims[l], 1))
        expect(W.dtype == np.float32, f"W{l} should be float32 (TensorFlow's default)")
        expect(not b.any(), f"b{l} should be zeros")
    ratio = float(params["W1"].std() / np.sqrt(2 / 300))
    expect(0.9 < ratio < 1.1, f"W1's standard deviation is {ratio:.2f} times "
           "sqrt(2 / (n[l-1] + n[l])): use Glorot normal")
    again = fn(dims, 3)
    expect(np.array_equal(params["W1"], again["W1"]), "the same seed must give the same weights")
    _passed(name)


def check_forward_propagation(fn):
    name = "forward_propagation"
    X, _, params = _tf_inputs(np.random.default_rng(PUBLIC_SEED))
    got = expect_array(fn(X, params), "the logits", (3, X.shape[1]))
    err = _normwise(got, _numpy_logits(X, params))
    expect(err <= 1e-5, f"the logits differ from LINEAR -> RELU -> LINEAR -> RELU -> LINEAR "
           f"computed in numpy (error {err:.1e}); no activation after the last LINEAR")
    _passed(name)


def check_compute_total_loss(fn):
    name = "compute_total_loss"
    rng = np.random.default_rng(PUBLIC_SEED)
    logits = rng.normal(0, 3, (6, 8)).astype(np.float32)
    Y = one_hot(rng.integers(0, 6, 8), 6).astype(np.float32)
    got = _number(fn(logits, Y), "the total loss")
    want = _numpy_total_loss(logits.astype(np.float64), Y)
    expect(abs(got - want) <= 1e-5 * np.abs(logits).max(axis=0).sum(),
           f"the total loss is {got:.6g}; the cross-entropy from the logits, summed over the "
           "examples, is not that (sum, not mean; from_logits=True; examples are columns)")
    big = logits + 200 * one_hot(np.zeros(8, int), 6).astype(np.float32)
    expect(np.isfinite(_number(fn(big, Y), "the total loss")),
           "the loss of large logits is not finite: compute it from the logits")
    _passed(name)


def check_train_step(fn):
    """One SGD step moves the parameters against the gradient of the total loss
    (the gradient checked with centred differences of the numpy network)."""
    name = "train_step"
    X, Y, params = _tf_inputs(np.random.default_rng(PUBLIC_SEED))
    before = {k: v.copy() for k, v in params.items()}
    loss = _number(fn(X, Y, params, 0.5), "the loss returned by train_step")
    expect(abs(loss - _numpy_total_loss(_numpy_logits(X, before), Y)) <= 1e-4 * max(1, loss),
           "train_step should return the total loss before the step")
    for key in ("W3", "b1"):
        expect(not np.array_equal(params[key], before[key]), f"{key} did not change")
        probe = {k: v.astype(np.float64) for k, v in before.items()}
        numerical = numerical_gradient(lambda: _numpy_total_loss(_numpy_logits(X, probe), Y),
                                       probe[key])
        step = (before[key].astype(np.float64) - params[key]) / 0.5
        err = _normwise(step, numerical)
        expect(err <= 1e-3, f"the step of {key} is not 0.5 times the gradient of the total loss "
               f"(error {err:.1e}): apply the tape's gradients of every parameter")
    _passed(name)


# Every check's failure message is wrapped to fit nbgrader validate's lines.
fit_public_checks(globals())
