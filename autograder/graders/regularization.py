"""Hidden graders of the `regularization` assignment.

Four graded functions: compute_cost_with_regularization,
backward_propagation_with_regularization, forward_propagation_with_dropout,
backward_propagation_with_dropout.  Every test draws fresh inputs from
grader_rng(test name) over several network shapes (m = 1 included) and checks
what makes an answer right:

- costs against an independent formula, and the L2 term by its increment
  cost(lambd) - cost(0), weight by weight;
- backward passes by gradient checking: centred differences of the REFERENCE
  cost, as a function of every W and b with the forward pass recomputed from X,
  against the student's dW and db;
- dropout masks by recovering them from the cache of a seeded call (never by
  drawing our own and comparing), then checking every cached value follows
  from X under those masks, and the masks' statistics.

Two scalings of dZ and dA are right and both are accepted: the course's graded
functions use dZ3 = A3 - Y (the 1/m goes into dW and db), the helper
backward_propagation of reg_utils uses dZ3 = (A3 - Y) / m, the true dJ/dZ3.
A result must use one factor for all its dZ and dA; see _intermediate_factor.

Structure (keys, shapes, types, the 14-entry cache, 0/1 masks) is validated by
every test before use and earns no points of its own.  Properties a stub has
for free (inputs left unmodified, biases not counted, reproducible masks) are
judged on a working answer only (one that computes something: a wrong answer
that leaves its inputs alone keeps that point), so a stub earns nothing; the kit's
tests/test_regularization.py holds the graders to that.
"""

import numpy as np

from autograder import numerics
from autograder.checks import (CheckFailed, context, expect, expect_array, expect_close,
                               expect_keys, expect_scalar, expect_scalar_close, expect_sequence,
                               fail, numbers_apart)
from autograder.graders import VALUE_RTOL, expect_inputs_kept, grader_rng
from autograder.grading import figure, graded
from autograder.numerics import GRADCHECK_RTOL
from autograder.reference import regularization as ref

# Pre-activations of gradient-checked networks are kept at least this far from
# the ReLU kink: a step h = 1e-6 moves a pre-activation by <= h * max|input|
# (~1e-5 here), so no centred difference straddles the kink.
KINK_MARGIN = 1e-3

# The kept fraction of a mask of N entries has standard error
# sqrt(kp (1 - kp) / N).  A right answer stays within 6 of them with
# probability 1 - 2e-9 (normal tail); a mask keeping 1 - kp instead of kp is
# >= 100 of them away on the layers used here when kp != 0.5.
KEPT_FRACTION_SES = 6

# Cost inputs: probabilities away from 0 and 1, so log() is well conditioned.
PROB_RANGE = (0.05, 0.95)

PARAMS = ("W1", "b1", "W2", "b2", "W3", "b3")
WEIGHTS = ("W1", "W2", "W3")
GRAD_KEYS = ("dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1")
INTERMEDIATES = ("dZ3", "dA2", "dZ2", "dA1", "dZ1")
DROPOUT_CACHE = ("Z1", "D1", "A1", "W1", "b1", "Z2", "D2", "A2", "W2", "b2",
                 "Z3", "A3", "W3", "b3")


# ------------------------------------------------------------------ inputs

def _parameters(rng, n_x, n1, n2):
    """W{l} ~ N(0, 1 / n[l-1]) (moderate, so sigmoid does not saturate),
    b{l} ~ N(0, 0.5^2) (non-zero, so a regularized db shows)."""
    params = {}
    for l, (rows, cols) in enumerate(((n1, n_x), (n2, n1), (1, n2)), start=1):
        params[f"W{l}"] = rng.normal(size=(rows, cols)) / np.sqrt(cols)
        params[f"b{l}"] = rng.normal(0, 0.5, size=(rows, 1))
    return params


def _labels(rng, m):
    """Y: (1, m) float labels 0/1."""
    return (rng.random((1, m)) < 0.5).astype(np.float64)


def _smooth_network(rng, n_x, n1, n2, m):
    """X: (n_x, m), Y: (1, m), parameters, with every Z1, Z2 at least
    KINK_MARGIN from 0 (redrawn until so), for gradient checks."""
    for _ in range(1000):
        X = rng.normal(size=(n_x, m))
        params = _parameters(rng, n_x, n1, n2)
        _, cache = ref.forward_propagation(X, params)
        if min(np.abs(cache[0]).min(), np.abs(cache[4]).min()) > KINK_MARGIN:
            return X, _labels(rng, m), params
    raise RuntimeError("could not draw a network away from the ReLU kinks")


def _masks(rng, shape, keep_prob):
    """A boolean mask (like the course's `rand < keep_prob`) with at least one
    unit kept and, if keep_prob < 1, at least one dropped, so a missing mask
    shows on every network."""
    D = rng.random(shape) < keep_prob
    D.flat[rng.integers(D.size)] = True
    if keep_prob < 1 and D.all():
        D.flat[rng.integers(D.size)] = False
    return D


def _describe(n_x, n1, n2, m, **extra):
    more = "".join(f", {k} = {v}" for k, v in extra.items())
    return f"n_x = {n_x}, layers {n1}, {n2}, 1, m = {m}{more}"


# ----------------------------------------------------------- check helpers

def _case(description):
    """Append the inputs a failure happened on to its message."""
    return context(suffix=description)

def _close(actual, desired, name, rtol, rule, what="rel. error"):
    """expect_close, and on failure say what the entry should be."""
    try:
        expect_close(actual, desired, name, rtol, what)
    except CheckFailed as exc:
        raise CheckFailed(f"{exc}; {rule}") from None


def _expect_working(values, what):
    """A property a stub has for free (inputs left unmodified) earns its
    points only on an answer that computes something: its return values
    (validated before) are not one constant everywhere.  A wrong answer that
    works keeps the point; a stub returning zeros or a fixed number does not."""
    numbers = np.concatenate([np.ravel(np.asarray(v, dtype=np.float64)) for v in values])
    expect(numbers.size > 1 and np.ptp(numbers) > 0,
           f"{what} earns its point only on an answer that computes something, and every "
           f"value returned here is {_num_or_constant(numbers)} whatever the inputs")


def _num_or_constant(numbers):
    return f"{numbers[0]:g}" if numbers.size else "empty"


def _gradients(value, shapes, function):
    """Validate a gradients dict: the 11 keys, each an array of its shape."""
    expect_keys(value, GRAD_KEYS, f"{function}'s return value")
    for key in GRAD_KEYS:
        expect_array(value[key], key, shapes[key], kind="fiu")
    return value


def _grad_shapes(X, params):
    """{"dZ3": (1, m), "dW3": W3's shape, ...} for a network on X: (n_x, m)."""
    m = X.shape[1]
    shapes = {}
    for l in (1, 2, 3):
        rows = params[f"W{l}"].shape[0]
        shapes[f"dZ{l}"] = shapes[f"dA{l}"] = (rows, m)
        shapes[f"dW{l}"] = params[f"W{l}"].shape
        shapes[f"db{l}"] = (rows, 1)
    return shapes


def _numerical_gradients(cost, params):
    """{"dW1": ..., "db1": ..., ...}: centred differences of cost() (which
    reads `params`) with respect to every parameter."""
    return {"d" + k: numerics.numerical_gradient(cost, params[k]) for k in PARAMS}


def _gradient_check(grads, numerical, rule):
    """The student's dW and db against numerical gradients of the reference cost."""
    keys = ("dW3", "db3", "dW2", "db2", "dW1", "db1")
    figure("gradient_errors", keys=list(keys), tol=GRADCHECK_RTOL,
           errors=[numerics.worst(np.asarray(grads[k], dtype=np.float64), numerical[k])[1]
                   for k in keys])
    for key in keys:
        _close(grads[key], numerical[key], key, GRADCHECK_RTOL, rule(key),
               what="rel. error vs the numerical gradient")


def _check_dW_db(grads, expected):
    """dW and db against an analytic reference (one right scaling for these)."""
    for key in ("dW3", "db3", "dW2", "db2", "dW1", "db1"):
        expect_close(grads[key], expected[key], key, VALUE_RTOL)


def _intermediate_factor(dZ3, course_dZ3, m):
    """Which right scaling the student's dZ and dA use, relative to the
    course's (dZ3 = A3 - Y): 1, or 1 / m (dZ3 = (A3 - Y) / m, the true
    dJ/dZ3, as reg_utils.backward_propagation has it).  Fails if neither."""
    dZ3 = expect_array(dZ3, "dZ3", course_dZ3.shape, kind="fiu")
    for factor in (1.0, 1.0 / m):
        if numerics.worst(dZ3, factor * course_dZ3)[1] <= VALUE_RTOL:
            return factor
    _close(dZ3, course_dZ3, "dZ3", VALUE_RTOL, "dZ3 should be A3 - Y (or (A3 - Y) / m)")
    raise AssertionError("unreachable")


def _check_intermediates(grads, course, m, rules):
    """dZ and dA entries against the reference's (course scaling `course`),
    with the scaling the student chose for dZ3."""
    factor = _intermediate_factor(grads["dZ3"], course["dZ3"], m)
    scaling = "A3 - Y" if factor == 1.0 else "(A3 - Y) / m"
    for key in INTERMEDIATES[1:]:
        _close(grads[key], factor * course[key], key, VALUE_RTOL,
               f"{rules[key]} (with dZ3 = {scaling}, as yours)")


def _cost(value, name):
    """The student's cost: a float, a numpy scalar or a size-1 array."""
    cost = expect_scalar(value, name)
    expect(np.isfinite(cost), f"{name} is {cost}, expected a finite number")
    return cost


def _expected_cost(A3, Y, params, lambd):
    """Mean cross-entropy + lambd / (2 m) * sum of squared weights, computed
    independently of the reference.  A3, Y: (1, m)."""
    m = Y.shape[1]
    cross = -np.mean(np.where(Y == 1, np.log(A3), np.log1p(-A3)))
    return cross + lambd / (2 * m) * sum(np.vdot(params[w], params[w]) for w in WEIGHTS)


# ============================================ compute_cost_with_regularization

COST = "compute_cost_with_regularization"
# (n_x, n1, n2, m, lambd)
COST_CASES = ((2, 20, 3, 1, 0.7), (5, 4, 3, 10, 0.1), (3, 7, 6, 40, 3.0), (4, 4, 4, 7, 1.0))


def _cost_inputs(rng, n_x, n1, n2, m):
    """A3: (1, m) probabilities, Y: (1, m) labels, parameters."""
    return rng.uniform(*PROB_RANGE, size=(1, m)), _labels(rng, m), _parameters(rng, n_x, n1, n2)


@graded(COST, points=1)
def test_compute_cost_with_regularization_value(student):
    rng = grader_rng("test_compute_cost_with_regularization_value")
    for n_x, n1, n2, m, lambd in COST_CASES:
        A3, Y, params = _cost_inputs(rng, n_x, n1, n2, m)
        with _case(_describe(n_x, n1, n2, m, lambd=lambd)):
            expect_scalar_close(student.compute_cost_with_regularization(A3, Y, params, lambd),
                                _expected_cost(A3, Y, params, lambd), "the cost", VALUE_RTOL)


@graded(COST, points=1)
def test_compute_cost_with_regularization_lambd_zero_is_cross_entropy(student):
    rng = grader_rng("test_compute_cost_with_regularization_lambd_zero_is_cross_entropy")
    for n_x, n1, n2, m, _ in COST_CASES:
        A3, Y, params = _cost_inputs(rng, n_x, n1, n2, m)
        with _case(_describe(n_x, n1, n2, m, lambd=0)):
            expect_scalar_close(student.compute_cost_with_regularization(A3, Y, params, 0.0),
                                _expected_cost(A3, Y, params, 0.0),
                                "the cost with lambd = 0 (the plain mean cross-entropy)",
                                VALUE_RTOL)


def _l2_term(student, A3, Y, params, lambd):
    """cost(lambd) - cost(0): the student's L2 term alone."""
    with_l2 = _cost(student.compute_cost_with_regularization(A3, Y, params, lambd), "the cost")
    without = _cost(student.compute_cost_with_regularization(A3, Y, params, 0.0), "the cost")
    return with_l2 - without


@graded(COST, points=1)
def test_compute_cost_with_regularization_l2_term(student):
    """The increment cost(lambd) - cost(0) is lambd / (2 m) * (sum W1^2 +
    sum W2^2 + sum W3^2), whatever the cross-entropy part does."""
    rng = grader_rng("test_compute_cost_with_regularization_l2_term")
    for n_x, n1, n2, m, lambd in COST_CASES:
        A3, Y, params = _cost_inputs(rng, n_x, n1, n2, m)
        want = lambd / (2 * m) * sum(np.sum(params[w] ** 2) for w in WEIGHTS)
        got = _l2_term(student, A3, Y, params, lambd)
        shown = numbers_apart(got, want)
        expect(numerics.rel_error(got, want) <= VALUE_RTOL,
               f"the L2 term cost(lambd) - cost(0) is {shown[0]}, expected {shown[1]} "
               f"({got / want:.3g} times it; rel. error {float(numerics.rel_error(got, want)):.1e} "
               f"> tol {VALUE_RTOL:.0e}): it is lambd / (2 m) * (sum W1^2 + sum W2^2 + sum W3^2) "
               f"[{_describe(n_x, n1, n2, m, lambd=lambd)}]")


@graded(COST, points=1)
def test_compute_cost_with_regularization_l2_term_counts_each_weight(student):
    """With only one of W1, W2, W3 non-zero, the increment is lambd / (2 m)
    times the sum of that weight's squares: each counts once."""
    rng = grader_rng("test_compute_cost_with_regularization_l2_term_counts_each_weight")
    for n_x, n1, n2, m, lambd in COST_CASES:
        A3, Y, params = _cost_inputs(rng, n_x, n1, n2, m)
        wrong, ratios = [], []
        for w in WEIGHTS:
            alone = {k: (v if k == w or k[0] == "b" else np.zeros_like(v))
                     for k, v in params.items()}
            want = lambd / (2 * m) * np.sum(params[w] ** 2)
            got = _l2_term(student, A3, Y, alone, lambd)
            if not numerics.rel_error(got, want) <= VALUE_RTOL:
                ratio = got / want
                ratios.append(f"{ratio:.3g}")
                wrong.append(f"the part from {w} is missing" if ratio == 0 else
                             f"the part from {w} is {ratio:.3g} times what it should be")
        if len(wrong) == len(WEIGHTS) and len(set(ratios)) == 1 and ratios[0] != "0":
            wrong = [f"the part from each of W1, W2, W3 is {ratios[0]} times what it should be"]
        expect(not wrong, "in the L2 term, " + ", and ".join(wrong) + ": each of W1, W2, W3 "
               "adds lambd / (2 m) * (the sum of its squared entries), once; tried with only "
               f"that weight non-zero [{_describe(n_x, n1, n2, m, lambd=lambd)}]")


@graded(COST, points=1)
def test_compute_cost_with_regularization_biases_not_regularized(student):
    rng = grader_rng("test_compute_cost_with_regularization_biases_not_regularized")
    for n_x, n1, n2, m, lambd in COST_CASES:
        A3, Y, params = _cost_inputs(rng, n_x, n1, n2, m)
        zero_b = {k: (np.zeros_like(v) if k[0] == "b" else v) for k, v in params.items()}
        big_b = {k: (5.0 + 3 * v if k[0] == "b" else v) for k, v in params.items()}
        double_w = {k: (2 * v if k[0] == "W" else v) for k, v in zero_b.items()}
        expect(_cost(student.compute_cost_with_regularization(A3, Y, zero_b, lambd), "the cost")
               != _cost(student.compute_cost_with_regularization(A3, Y, double_w, lambd),
                        "the cost"),
               "the cost does not change when the weights double (lambd > 0), so whether "
               f"the biases count cannot be told [{_describe(n_x, n1, n2, m, lambd=lambd)}]")
        costs = [_cost(student.compute_cost_with_regularization(A3, Y, p, lambd), "the cost")
                 for p in (zero_b, big_b)]
        expect(numerics.rel_error(costs[1], costs[0]) <= VALUE_RTOL,
               f"the cost changes with the biases ({costs[0]:.6g} with b = 0, {costs[1]:.6g} "
               "with large b): only the weights W1, W2, W3 are regularized, not the biases "
               f"[{_describe(n_x, n1, n2, m, lambd=lambd)}]")


@graded(COST, points=1)
def test_compute_cost_with_regularization_inputs_unmodified(student):
    rng = grader_rng("test_compute_cost_with_regularization_inputs_unmodified")
    costs = []
    for n_x, n1, n2, m, lambd in COST_CASES:
        args = (*_cost_inputs(rng, n_x, n1, n2, m), lambd)
        call = expect_inputs_kept(student.compute_cost_with_regularization, args,
                                  {3: 2 * lambd}, "A3, Y and parameters",
                                  f"lambd = {2 * lambd:g}")
        costs.append(_cost(call.value, "the cost"))
    _expect_working(costs, "leaving the inputs unmodified")


# ==================================== backward_propagation_with_regularization

L2_BACKWARD = "backward_propagation_with_regularization"
# (n_x, n1, n2, m, lambd): W1 and W2 share a shape in the first (a term
# with the wrong W fits there, and tests stop at their first failing case),
# m = 1 in the third.
L2_CASES = ((3, 3, 3, 4, 0.3), (3, 4, 3, 5, 0.7), (2, 5, 2, 1, 1.5), (4, 2, 5, 8, 0.1))

L2_RULES = {
    "dW3": "dW3 = dZ3 A2^T / m + lambd / m * W3 (course scaling)",
    "dW2": "dW2 = dZ2 A1^T / m + lambd / m * W2 (course scaling)",
    "dW1": "dW1 = dZ1 X^T / m + lambd / m * W1 (course scaling)",
    "db3": "db3 = sum of dZ3 over the examples / m; biases get no L2 term",
    "db2": "db2 = sum of dZ2 over the examples / m; biases get no L2 term",
    "db1": "db1 = sum of dZ1 over the examples / m; biases get no L2 term",
    "dA2": "dA2 = W3^T dZ3",
    "dZ2": "dZ2 = dA2 * (Z2 > 0)",
    "dA1": "dA1 = W2^T dZ2",
    "dZ1": "dZ1 = dA1 * (Z1 > 0)",
}


def _l2_call(student, X, Y, params, lambd):
    """The student's gradients at a network (validated) and the forward cache."""
    _, cache = ref.forward_propagation(X, params)
    grads = student.backward_propagation_with_regularization(X, Y, cache, lambd)
    return _gradients(grads, _grad_shapes(X, params), L2_BACKWARD), cache


@graded(L2_BACKWARD, points=3)
def test_backward_propagation_with_regularization_gradient_check(student):
    """dW, db against centred differences of the reference regularized cost."""
    rng = grader_rng("test_backward_propagation_with_regularization_gradient_check")
    for n_x, n1, n2, m, lambd in L2_CASES:
        X, Y, params = _smooth_network(rng, n_x, n1, n2, m)
        with _case(_describe(n_x, n1, n2, m, lambd=lambd)):
            grads, _ = _l2_call(student, X, Y, params, lambd)

            def cost():
                A3, _ = ref.forward_propagation(X, params)
                return ref.compute_cost_with_regularization(A3, Y, params, lambd)

            _gradient_check(grads, _numerical_gradients(cost, params),
                            lambda key: "it should be the gradient of the regularized cost: "
                            + L2_RULES[key])


@graded(L2_BACKWARD, points=1)
def test_backward_propagation_with_regularization_intermediates(student):
    """dZ3, dA2, dZ2, dA1, dZ1 as backprop defines them (no lambd in them)."""
    rng = grader_rng("test_backward_propagation_with_regularization_intermediates")
    for n_x, n1, n2, m, lambd in L2_CASES:
        X, Y, params = _smooth_network(rng, n_x, n1, n2, m)
        with _case(_describe(n_x, n1, n2, m, lambd=lambd)):
            grads, cache = _l2_call(student, X, Y, params, lambd)
            course = ref.backward_propagation_with_regularization(X, Y, cache, lambd)
            _check_intermediates(grads, course, m, L2_RULES)


@graded(L2_BACKWARD, points=1)
def test_backward_propagation_with_regularization_lambd_zero_is_plain_backprop(student):
    rng = grader_rng("test_backward_propagation_with_regularization_lambd_zero_is_plain_backprop")
    for n_x, n1, n2, m, _ in L2_CASES:
        X, Y, params = _smooth_network(rng, n_x, n1, n2, m)
        with _case(_describe(n_x, n1, n2, m, lambd=0)):
            grads, cache = _l2_call(student, X, Y, params, 0.0)
            plain = ref.backward_propagation(X, Y, cache)    # dZ3 = (A3 - Y) / m
            for key in ("dW3", "db3", "dW2", "db2", "dW1", "db1"):
                _close(grads[key], plain[key], key, VALUE_RTOL,
                       "with lambd = 0 the gradients are those of plain backpropagation")
            _check_intermediates(grads, {k: m * plain[k] for k in INTERMEDIATES}, m, L2_RULES)


@graded(L2_BACKWARD, points=1)
def test_backward_propagation_with_regularization_inputs_unmodified(student):
    rng = grader_rng("test_backward_propagation_with_regularization_inputs_unmodified")
    for n_x, n1, n2, m, lambd in L2_CASES:
        X, Y, params = _smooth_network(rng, n_x, n1, n2, m)
        _, cache = ref.forward_propagation(X, params)
        args = (X, Y, cache, lambd)
        call = expect_inputs_kept(student.backward_propagation_with_regularization, args,
                                  {3: 2 * lambd}, "X, Y and cache", f"lambd = {2 * lambd:g}")
        grads = _gradients(call.value, _grad_shapes(X, params), L2_BACKWARD)
        _expect_working([grads[k] for k in GRAD_KEYS], "leaving the inputs unmodified")


# ============================================ forward_propagation_with_dropout

DROPOUT_FORWARD = "forward_propagation_with_dropout"
# (n_x, n1, n2, m, keep_prob): keep_prob != 0.5 tells 1 / keep_prob from
# 1 / (1 - keep_prob); m = 1 in the second.
FORWARD_CASES = ((3, 5, 4, 6, 0.8), (2, 6, 6, 1, 0.86), (4, 10, 7, 20, 0.5), (3, 4, 3, 8, 0.7))
# Large layers for the mask statistics: 20,000 and 15,000 mask entries.
LARGE = (5, 400, 300, 50)
SEED = 20240                 # rng_seed of the student's calls; any value works

FORWARD_RULES = {
    "Z1": "Z1 = W1 X + b1 (no dropout on the input X)",
    "A1": "A1 = relu(Z1) * D1 / keep_prob",
    "Z2": "Z2 = W2 A1 + b2",
    "A2": "A2 = relu(Z2) * D2 / keep_prob",
    "Z3": "Z3 = W3 A2 + b3",
    "A3": "A3 = sigmoid(Z3), no dropout on the output",
}


def _dropout_forward(student, X, params, keep_prob, rng_seed=None):
    """Call the student's forward (seeded if rng_seed is given) and validate:
    (A3, cache) with the 14 cache entries of their shapes, masks 0/1, and a
    forward pass that does the work (``_expect_forward_work``): the mask tests
    give no point to a function that only draws masks.
    Returns (A3, {"Z1": ..., "D1": ..., ...}); masks as float 0.0 / 1.0."""
    value = student.forward_propagation_with_dropout.call(
        (X, params, keep_prob), rng_seed=rng_seed).value
    A3, got = _forward_layout(value, X, params)
    _expect_forward_work(got, X, params)
    return A3, got


# How far a forward pass may be from the work for its masks to be judged: a
# scale bug (1/keep_prob forgotten or doubled) passes, zeros or noise do not.
WORK_RTOL = 1e-4


def _expect_forward_work(got, X, params):
    """Z1 = W1 X + b1, A1 = c * relu(Z1) * D1 for one c > 0, and the same for
    layer 2 from A1: the masks are judged only on a pass that computes."""
    with np.errstate(all="ignore"):         # a student's NaN/inf is judged, not warned about
        _forward_work(got, X, params)


def _forward_work(got, X, params):
    below = X
    for l in (1, 2):
        Z, D, A = got[f"Z{l}"], got[f"D{l}"], got[f"A{l}"]
        linear = params[f"W{l}"] @ below + params[f"b{l}"]
        kept = np.maximum(linear, 0) * D
        live = kept > 1e-6 * max(1.0, float(np.abs(kept).max(initial=0)))
        if live.any():          # no unit both active and kept: A must be all zero
            scale = float(np.median(A[live] / kept[live]))
            scaled_right = scale > 0 and bool(np.all(numerics.rel_error(A, scale * kept)
                                                     <= WORK_RTOL))
        else:
            scaled_right = not np.any(A)
        works = bool(np.all(numerics.rel_error(Z, linear) <= WORK_RTOL)) and scaled_right
        expect(works, f"the masks are judged on a forward pass that does the work, and this one "
                      f"does not: Z{l} must be W{l} A{l - 1} + b{l} (A0 = X) and A{l} the "
                      f"kept units of relu(Z{l}), scaled (the values test says how)")
        below = A


def _forward_layout(value, X, params):
    """Validate a dropout forward's return value (see _dropout_forward)."""
    expect_sequence(value, 2, f"{DROPOUT_FORWARD}'s return value (A3, cache)")
    A3, cache = value
    expect_sequence(cache, 14, "the cache (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)")
    m = X.shape[1]
    n1, n2 = params["W1"].shape[0], params["W2"].shape[0]
    shapes = {"Z1": (n1, m), "D1": (n1, m), "A1": (n1, m), "Z2": (n2, m), "D2": (n2, m),
              "A2": (n2, m), "Z3": (1, m), "A3": (1, m),
              **{k: params[k].shape for k in PARAMS}}
    entries = {}
    for name, item in zip(DROPOUT_CACHE, cache):
        entries[name] = expect_array(item, f"{name} (in the cache)", shapes[name],
                                     kind="biuf" if name[0] == "D" else "fiu")
    for name in ("D1", "D2"):
        D = entries[name]
        bad = ~((D == 0) | (D == 1))
        if bad.any():
            at = tuple(int(i) for i in np.argwhere(bad)[0])
            fail(f"{name} is not a 0/1 mask: it holds {D[at]:.6g} at {list(at)}; "
                 f"{name} is 1 where a unit is kept and 0 where it is dropped")
        entries[name] = D.astype(np.float64)
    return expect_array(A3, "A3 (returned)", (1, m), kind="fiu"), entries


def _check_forward_values(A3, got, X, params, kp):
    """Every cached value follows from X and the parameters under the
    student's own masks got["D1"], got["D2"] (see _dropout_forward)."""
    want_A3, want = ref.forward_propagation_with_masks(X, params, got["D1"], got["D2"], kp)
    for name, expected in zip(DROPOUT_CACHE, want):
        if name[0] in "ZA":
            _close(got[name], expected, name, VALUE_RTOL, FORWARD_RULES[name])
        elif name[0] in "Wb":
            _close(got[name], expected, name, VALUE_RTOL,
                   f"the cache holds the parameter {name} as given")
    _close(A3, want_A3, "A3", VALUE_RTOL, FORWARD_RULES["A3"])


@graded(DROPOUT_FORWARD, points=2)
def test_forward_propagation_with_dropout_values(student):
    """Every cached value follows from X and the parameters under the
    student's own masks; W and b in the cache are the parameters."""
    rng = grader_rng("test_forward_propagation_with_dropout_values")
    for i, (n_x, n1, n2, m, kp) in enumerate(FORWARD_CASES):
        X, params = rng.normal(size=(n_x, m)), _parameters(rng, n_x, n1, n2)
        with _case(_describe(n_x, n1, n2, m, keep_prob=kp)):
            _check_forward_values(*_dropout_forward(student, X, params, kp, rng_seed=SEED + i),
                                  X, params, kp)


@graded(DROPOUT_FORWARD, points=2)
def test_forward_propagation_with_dropout_kept_fraction(student):
    """Each unit is kept with probability keep_prob (binomial bound)."""
    rng = grader_rng("test_forward_propagation_with_dropout_kept_fraction")
    n_x, n1, n2, m = LARGE
    for i, kp in enumerate((0.5, 0.8, 0.86)):
        X, params = rng.normal(size=(n_x, m)), _parameters(rng, n_x, n1, n2)
        _, got = _dropout_forward(student, X, params, kp, rng_seed=SEED + i)
        figure("kept_fraction", keys=["D1", "D2"], keep_prob=kp,
               kept=[float(got[d].mean()) for d in ("D1", "D2")],
               margin=float(KEPT_FRACTION_SES * np.sqrt(kp * (1 - kp) / got["D1"].size)))
        for name in ("D1", "D2"):
            D = got[name]
            kept = D.mean()
            bound = KEPT_FRACTION_SES * np.sqrt(kp * (1 - kp) / D.size)
            expect(abs(kept - kp) <= bound,
                   f"{name} keeps {kept:.1%} of the units, expected keep_prob = {kp:.0%} "
                   f"(within {bound:.1%}): each unit is kept (mask 1) with probability "
                   f"keep_prob [{_describe(n_x, n1, n2, m, keep_prob=kp)}]")


@graded(DROPOUT_FORWARD, points=1)
def test_forward_propagation_with_dropout_fresh_masks_each_call(student):
    """Two calls in a row (no reseeding in between), or with different seeds,
    drop different units."""
    rng = grader_rng("test_forward_propagation_with_dropout_fresh_masks_each_call")
    n_x, n1, n2, m = 4, 30, 20, 20
    X, params = rng.normal(size=(n_x, m)), _parameters(rng, n_x, n1, n2)
    for kp in (0.8, 0.5):
        _, first = _dropout_forward(student, X, params, kp, rng_seed=SEED)
        _, second = _dropout_forward(student, X, params, kp)
        _, other_seed = _dropout_forward(student, X, params, kp, rng_seed=SEED + 1)
        for label, masks in (("two calls in a row", second),
                             ("calls with different seeds", other_seed)):
            expect(not all(np.array_equal(first[d], masks[d]) for d in ("D1", "D2")),
                   f"{label} dropped the same units (same D1 and D2): the function must not "
                   "reseed numpy's RNG (no np.random.seed inside it), so each call draws "
                   f"fresh masks [{_describe(n_x, n1, n2, m, keep_prob=kp)}]")


@graded(DROPOUT_FORWARD, points=1)
def test_forward_propagation_with_dropout_masks_differ_between_layers(student):
    """Each hidden layer draws its own mask (layers of equal width here)."""
    rng = grader_rng("test_forward_propagation_with_dropout_masks_differ_between_layers")
    n_x, n1, n2, m = 3, 25, 25, 16
    for i, kp in enumerate((0.5, 0.8)):
        X, params = rng.normal(size=(n_x, m)), _parameters(rng, n_x, n1, n2)
        _, got = _dropout_forward(student, X, params, kp, rng_seed=SEED + i)
        expect(not np.array_equal(got["D1"], got["D2"]),
               "D1 and D2 are the same mask: draw a separate mask for each hidden layer "
               f"[{_describe(n_x, n1, n2, m, keep_prob=kp)}]")


@graded(DROPOUT_FORWARD, points=1)
def test_forward_propagation_with_dropout_same_seed_same_masks(student):
    """np.random.seed before the call fixes the masks: they come from numpy's
    global RNG (the course's notebooks rely on it to reproduce a run)."""
    rng = grader_rng("test_forward_propagation_with_dropout_same_seed_same_masks")
    n_x, n1, n2, m = 4, 30, 20, 20
    X, params = rng.normal(size=(n_x, m)), _parameters(rng, n_x, n1, n2)
    for kp in (0.8, 0.5):
        A3_a, first = _dropout_forward(student, X, params, kp, rng_seed=SEED)
        A3_b, again = _dropout_forward(student, X, params, kp, rng_seed=SEED)
        expect(all(0 < first[d].mean() < 1 for d in ("D1", "D2")),
               "D1 or D2 keeps all units or none with keep_prob = "
               f"{kp}: there is no random mask to reproduce")
        expect(all(np.array_equal(first[d], again[d]) for d in ("D1", "D2"))
               and np.array_equal(A3_a, A3_b),
               "two calls after the same np.random.seed gave different masks: draw them from "
               "numpy's global RNG (np.random.rand, np.random.random, np.random.binomial...), "
               "not from a Generator or another library "
               f"[{_describe(n_x, n1, n2, m, keep_prob=kp)}]")


@graded(DROPOUT_FORWARD, points=1)
def test_forward_propagation_with_dropout_keep_prob_one(student):
    """keep_prob = 1 keeps every unit: the plain forward pass."""
    rng = grader_rng("test_forward_propagation_with_dropout_keep_prob_one")
    for i, (n_x, n1, n2, m, _) in enumerate(FORWARD_CASES):
        X, params = rng.normal(size=(n_x, m)), _parameters(rng, n_x, n1, n2)
        with _case(_describe(n_x, n1, n2, m, keep_prob=1)):
            A3, got = _dropout_forward(student, X, params, 1.0, rng_seed=SEED + i)
            for name in ("D1", "D2"):
                expect(got[name].all(), f"{name} drops units with keep_prob = 1")
            want_A3, want = ref.forward_propagation(X, params)
            plain = dict(zip(("Z1", "A1", "W1", "b1", "Z2", "A2", "W2", "b2", "Z3", "A3",
                              "W3", "b3"), want))
            for name in ("Z1", "A1", "Z2", "A2", "Z3", "A3"):
                _close(got[name], plain[name], name, VALUE_RTOL,
                       "with keep_prob = 1 it is the plain forward pass")
            _close(A3, want_A3, "A3", VALUE_RTOL, "with keep_prob = 1 it is the plain forward pass")


@graded(DROPOUT_FORWARD, points=1)
def test_forward_propagation_with_dropout_inputs_unmodified(student):
    rng = grader_rng("test_forward_propagation_with_dropout_inputs_unmodified")
    for i, (n_x, n1, n2, m, kp) in enumerate(FORWARD_CASES):
        args = (rng.normal(size=(n_x, m)), _parameters(rng, n_x, n1, n2), kp)
        kp2 = round(1 - (1 - kp) / 2, 3)
        call = expect_inputs_kept(student.forward_propagation_with_dropout, args, {2: kp2},
                                  "X and parameters", f"keep_prob = {kp2:g}",
                                  rng_seed=SEED + i, again_seed=SEED + 50 + i)
        A3, entries = _forward_layout(call.value, *args[:2])
        _expect_working([A3] + [entries[k] for k in ("Z1", "A1", "Z2", "A2", "Z3")],
                        "leaving the inputs unmodified")


# ========================================== backward_propagation_with_dropout

DROPOUT_BACKWARD = "backward_propagation_with_dropout"
# (n_x, n1, n2, m, keep_prob): equal hidden widths in the first (a mask of the
# wrong layer fits there), m = 1 in the third.
BACKWARD_CASES = ((3, 4, 4, 5, 0.8), (3, 4, 3, 6, 0.5), (2, 5, 3, 1, 0.86), (3, 3, 5, 4, 0.7))

DROPOUT_RULES = {
    "dW3": "dW3 = dZ3 A2^T / m (course scaling)",
    "dW2": "dW2 = dZ2 A1^T / m (course scaling)",
    "dW1": "dW1 = dZ1 X^T / m (course scaling)",
    "db3": "db3 = sum of dZ3 over the examples / m",
    "db2": "db2 = sum of dZ2 over the examples / m",
    "db1": "db1 = sum of dZ1 over the examples / m",
    "dA2": "dA2 = (W3^T dZ3) * D2 / keep_prob: the mask of layer 2 and the same 1 / keep_prob",
    "dZ2": "dZ2 = dA2 * (Z2 > 0)",
    "dA1": "dA1 = (W2^T dZ2) * D1 / keep_prob: the mask of layer 1 and the same 1 / keep_prob",
    "dZ1": "dZ1 = dA1 * (Z1 > 0)",
}


def _masked_network(rng, n_x, n1, n2, m, kp):
    """X, Y, parameters (away from kinks), boolean masks D1: (n1, m), D2: (n2, m).

    Redrawn until every example keeps a unit on in layer 1 (no column of A1 is
    all zero) and, with kp < 1, each mask drops a unit that was on.  An example
    whose A1 is all zero hides a wrong dZ2 of that example from dW2: a backward
    pass without the masks then showed in db2 alone, never in a dW (20 salts in
    200 of bench/salt_sweep.py); a unit dropped where ReLU is off anyway hides a
    missing mask altogether."""
    for _ in range(1000):
        X, Y, params = _smooth_network(rng, n_x, n1, n2, m)
        D1, D2 = _masks(rng, (n1, m), kp), _masks(rng, (n2, m), kp)
        cache = ref.forward_propagation_with_masks(X, params, D1, D2, kp)[1]
        Z1, A1, Z2 = cache[0], cache[2], cache[5]
        drops_matter = kp == 1 or all((~D & (Z > 0)).any() for D, Z in ((D1, Z1), (D2, Z2)))
        if A1.any(axis=0).all() and drops_matter:
            return X, Y, params, D1, D2
    raise RuntimeError("could not draw masks that every example passes and that drop a unit on")


def _dropout_backward(student, X, Y, cache, kp, shapes):
    grads = student.backward_propagation_with_dropout(X, Y, cache, kp)
    return _gradients(grads, shapes, DROPOUT_BACKWARD)


@graded(DROPOUT_BACKWARD, points=3)
def test_backward_propagation_with_dropout_gradient_check(student):
    """With the cache's masks held fixed the network is deterministic: dW, db
    against centred differences of the reference cost under those masks."""
    rng = grader_rng("test_backward_propagation_with_dropout_gradient_check")
    for n_x, n1, n2, m, kp in BACKWARD_CASES:
        X, Y, params, D1, D2 = _masked_network(rng, n_x, n1, n2, m, kp)
        _, cache = ref.forward_propagation_with_masks(X, params, D1, D2, kp)
        with _case(_describe(n_x, n1, n2, m, keep_prob=kp)):
            grads = _dropout_backward(student, X, Y, cache, kp, _grad_shapes(X, params))

            def cost():
                A3, _ = ref.forward_propagation_with_masks(X, params, D1, D2, kp)
                return ref.compute_cost(A3, Y)

            _gradient_check(grads, _numerical_gradients(cost, params),
                            lambda key: "it should be the gradient of the cost with the "
                            "cache's masks held fixed: " + DROPOUT_RULES[key])


@graded(DROPOUT_BACKWARD, points=2)
def test_backward_propagation_with_dropout_dA_masked_and_scaled(student):
    """dA2 = (W3^T dZ3) * D2 / keep_prob, dA1 likewise, and the dZ that follow."""
    rng = grader_rng("test_backward_propagation_with_dropout_dA_masked_and_scaled")
    for n_x, n1, n2, m, kp in BACKWARD_CASES:
        X, Y, params, D1, D2 = _masked_network(rng, n_x, n1, n2, m, kp)
        _, cache = ref.forward_propagation_with_masks(X, params, D1, D2, kp)
        with _case(_describe(n_x, n1, n2, m, keep_prob=kp)):
            grads = _dropout_backward(student, X, Y, cache, kp, _grad_shapes(X, params))
            course = ref.backward_propagation_with_dropout(X, Y, cache, kp)
            _check_intermediates(grads, course, m, DROPOUT_RULES)


@graded(DROPOUT_BACKWARD, points=1)
def test_backward_propagation_with_dropout_keep_prob_one_is_plain_backprop(student):
    rng = grader_rng("test_backward_propagation_with_dropout_keep_prob_one_is_plain_backprop")
    for n_x, n1, n2, m, _ in BACKWARD_CASES:
        X, Y, params, D1, D2 = _masked_network(rng, n_x, n1, n2, m, 1.0)
        _, cache = ref.forward_propagation_with_masks(X, params, D1, D2, 1.0)
        with _case(_describe(n_x, n1, n2, m, keep_prob=1)):
            grads = _dropout_backward(student, X, Y, cache, 1.0, _grad_shapes(X, params))
            _, plain_cache = ref.forward_propagation(X, params)
            plain = ref.backward_propagation(X, Y, plain_cache)    # dZ3 = (A3 - Y) / m
            for key in ("dW3", "db3", "dW2", "db2", "dW1", "db1"):
                _close(grads[key], plain[key], key, VALUE_RTOL,
                       "with keep_prob = 1 and all-ones masks the gradients are those of "
                       "plain backpropagation")
            _check_intermediates(grads, {k: m * plain[k] for k in INTERMEDIATES}, m,
                                 DROPOUT_RULES)


@graded(DROPOUT_BACKWARD, points=1)
def test_backward_propagation_with_dropout_inputs_unmodified(student):
    rng = grader_rng("test_backward_propagation_with_dropout_inputs_unmodified")
    for n_x, n1, n2, m, kp in BACKWARD_CASES:
        X, Y, params, D1, D2 = _masked_network(rng, n_x, n1, n2, m, kp)
        _, cache = ref.forward_propagation_with_masks(X, params, D1, D2, kp)
        args = (X, Y, cache, kp)
        call = expect_inputs_kept(student.backward_propagation_with_dropout, args, {1: 1 - Y},
                                  "X and cache", "the labels Y flipped")
        grads = _gradients(call.value, _grad_shapes(X, params), DROPOUT_BACKWARD)
        _expect_working([grads[k] for k in GRAD_KEYS], "leaving the inputs unmodified")
