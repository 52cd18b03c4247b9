"""Public checks of the regularization assignment: one check_<function>(fn) each.

A check runs your function on fresh random inputs and tests what every right
answer has in common: types, shapes, keys, invariants (the cost is never
negative, the L2 term grows with lambd, masks hold only 0s and 1s...) and a
gradient check of your backward pass against centred differences of a cost
built from the helper forward pass.  It never compares with stored answers.
On success it prints one line; otherwise it raises AssertionError saying what
is wrong.  The hidden graders check more, on other inputs.

Every check leaves numpy's global RNG as it found it, so running the checks
does not change what the rest of the notebook computes.
"""
import contextlib
import io

import numpy as np

from checks import fit_public_checks
from checks import (CheckFailed, expect, expect_array, expect_close, expect_finite,
                    expect_keys, expect_scalar, expect_sequence)
from numerics import GRADCHECK_RTOL, numerical_gradient

# What a right answer computed another way (a float32 step, another summation
# order) can differ by; every bug these checks look for differs by far more.
EXACT_RTOL = 1e-4
from reg_utils import compute_cost, forward_propagation, relu, sigmoid

GRAD_KEYS = ("dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1")
INTERMEDIATE_KEYS = ("dZ3", "dA2", "dZ2", "dA1", "dZ1")
CACHE_NAMES = ("Z1", "A1", "W1", "b1", "Z2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3")
DROPOUT_CACHE_NAMES = ("Z1", "D1", "A1", "W1", "b1", "Z2", "D2", "A2", "W2", "b2",
                       "Z3", "A3", "W3", "b3")

# Inputs are drawn from a generator of their own, never numpy's global RNG.
PUBLIC_SEED = 2024
# Gradient checks: a small network, so 2 costs per entry stay fast.
SMALL_DIMS = (3, 5, 4, 1)
M_SMALL = 6
# Mask statistics: wide layers give many draws (400*200 for D1, 300*200 for D2).
WIDE_DIMS = (4, 400, 300, 1)
M_WIDE = 200
# Not 0.5, so that keeping with probability keep_prob and dropping with it differ.
KEEP_PROB = 0.7
# The kept fraction of N Bernoulli(keep_prob) draws has standard error
# sqrt(p (1 - p) / N) (~0.0016 for D1 here); a right answer lands more than
# 6 standard errors off with probability < 2e-9.
KEPT_FRACTION_SIGMAS = 6
LAMBD = 0.7
# The worked example the notebook states in words (section 4): m = 5 examples,
# lambd = 0.7, W1 = [[1, -2], [0, 1]], W2 = [[2, 1]], W3 = [[-1]]; the squares
# add up to 12, so the L2 term is 0.7 / (2 * 5) * 12 = 0.84.  A stated fact,
# not a graded function's output: it pins the 1/2 that no invariant can see.
WORKED_M, WORKED_LAMBD, WORKED_SQUARES = 5, 0.7, 12
WORKED_WEIGHTS = {"W1": [[1.0, -2.0], [0.0, 1.0]], "W2": [[2.0, 1.0]], "W3": [[-1.0]]}
WORKED_L2 = WORKED_LAMBD / (2 * WORKED_M) * WORKED_SQUARES


@contextlib.contextmanager
def _global_rng_restored():
    """Run a block, then put numpy's global RNG back in the state it had."""
    state = np.random.get_state()
    try:
        yield
    finally:
        np.random.set_state(state)


def _hint(hint, check, *args, **kwargs):
    """Run an expect_* helper; if it fails, add ``hint`` to its message."""
    try:
        return check(*args, **kwargs)
    except CheckFailed as exc:
        raise CheckFailed(f"{exc}\n  hint: {hint}") from None


def _number(value, name):
    """A Python float from a float, an int, a numpy scalar or a size-1 array."""
    if isinstance(value, np.generic) and not isinstance(value, np.bool_):
        value = value.item()
    return expect_scalar(value, name)


def _network(rng, dims, m):
    """Random X (n_x, m), labels Y (1, m) and parameters W{l} (n[l], n[l-1]), b{l} (n[l], 1).

    Biases are small but not zero, so that a bug that ignores them shows."""
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    parameters = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * np.sqrt(2 / dims[l - 1])
        parameters[f"b{l}"] = 0.1 * rng.standard_normal((dims[l], 1))
    return X, Y, parameters


def _copy(parameters):
    return {k: v.copy() for k, v in parameters.items()}


def _expect_unchanged(before, after, fn_name):
    """The function must not write into the arrays it was given."""
    for key, value in before.items():
        expect(np.array_equal(value, after[key]),
               f"{fn_name} changed its input {key} in place; work on new arrays instead")


def _masks(rng, dims, m, keep_prob):
    """Random 0/1 float masks D1 (n1, m), D2 (n2, m), each holding 0s and 1s."""
    while True:
        D1 = (rng.random((dims[1], m)) < keep_prob).astype(float)
        D2 = (rng.random((dims[2], m)) < keep_prob).astype(float)
        if 0 < D1.mean() < 1 and 0 < D2.mean() < 1:
            return D1, D2


def _cost_from(stage, value, parameters, Y, masks=(1.0, 1.0), keep_prob=1.0):
    """Cross-entropy of the network computed from an intermediate array onwards.

    stage: "Z1", "A1", "Z2", "A2" or "Z3"; value: that array, (n[l], m).
    A1 and A2 are the ReLU outputs BEFORE dropout; masks (D1, D2) and keep_prob
    apply inverted dropout to them (the defaults mean no dropout).
    """
    order = ("Z1", "A1", "Z2", "A2", "Z3")
    h = value
    for name in order[order.index(stage):]:
        layer = int(name[1])
        if name == "Z3":
            h = sigmoid(h)
        elif name[0] == "Z":
            h = relu(h)
        else:
            h = h * masks[layer - 1] / keep_prob
            h = parameters[f"W{layer + 1}"] @ h + parameters[f"b{layer + 1}"]
    return compute_cost(h, Y)


def _numerical_grads(X, Y, parameters, masks=(1.0, 1.0), keep_prob=1.0):
    """Centred-difference gradients of the plain cross-entropy, the 11 keys.

    Parameters are perturbed in a copy, one entry at a time; dA1/dA2 are the
    gradients with respect to the ReLU outputs before dropout."""
    params = _copy(parameters)

    def cost():
        return _cost_from("Z1", params["W1"] @ X + params["b1"], params, Y, masks, keep_prob)

    grads = {f"d{k}": numerical_gradient(cost, params[k]) for k in params}
    Z1 = params["W1"] @ X + params["b1"]
    stages = {"Z1": Z1, "A1": relu(Z1)}
    stages["Z2"] = params["W2"] @ (stages["A1"] * masks[0] / keep_prob) + params["b2"]
    stages["A2"] = relu(stages["Z2"])
    stages["Z3"] = params["W3"] @ (stages["A2"] * masks[1] / keep_prob) + params["b3"]
    for stage, value in stages.items():
        value = value.copy()
        grads[f"d{stage}"] = numerical_gradient(
            lambda: _cost_from(stage, value, params, Y, masks, keep_prob), value)
    return grads


def _expect_grads_layout(grads, parameters, m, fn_name):
    """grads holds the 11 keys, each a float array shaped like what it differentiates."""
    expect_keys(grads, GRAD_KEYS, f"{fn_name}'s return value")
    shapes = {f"d{k}": v.shape for k, v in parameters.items()}
    for l in (1, 2, 3):
        n = parameters[f"W{l}"].shape[0]
        shapes[f"dZ{l}"] = (n, m)
        if l < 3:
            shapes[f"dA{l}"] = (n, m)
    for key in GRAD_KEYS:
        expect_array(grads[key], key, shapes[key])
        expect_finite(grads[key], key)


def _expect_gradients_match(grads, numeric, m, context):
    """dW and db equal the numerical gradients; every dZ and dA too, up to one
    shared factor that is either 1 or m (both scalings of the course are fine)."""
    for key in GRAD_KEYS:
        if key not in INTERMEDIATE_KEYS:
            _hint(f"{key} does not match the numerical gradient of the cost {context}; "
                  "check the matching line of your backward pass (transposes, 1/m, sums over axis=1).",
                  expect_close, grads[key], numeric[key], key, GRADCHECK_RTOL)
    ratio = np.sum(grads["dZ3"] * numeric["dZ3"]) / np.sum(numeric["dZ3"] ** 2)
    scale = m if abs(ratio - m) < abs(ratio - 1) else 1
    for key in INTERMEDIATE_KEYS:
        _hint(f"{key} does not match the numerical gradient {context}. The dZ and dA may be "
              "the gradients of the mean cost (dZ3 = (A3 - Y) / m) or m times them "
              f"(dZ3 = A3 - Y, as in the course), but all in the same way; yours look like "
              f"{'m times' if scale == m else 'the gradients of the mean cost'}.",
              expect_close, grads[key], scale * numeric[key], key, GRADCHECK_RTOL)


# ------------------------------------------------------------------------ L2

def check_compute_cost_with_regularization(fn):
    """Public checks of compute_cost_with_regularization(A3, Y, parameters, lambd)."""
    name = "compute_cost_with_regularization"
    rng = np.random.default_rng(PUBLIC_SEED)
    _, Y, params = _network(rng, SMALL_DIMS, M_SMALL)
    A3 = rng.uniform(0.05, 0.95, size=(1, M_SMALL))
    before = _copy(params)

    def cost(A3=A3, Y=Y, parameters=params, lambd=LAMBD):
        return _number(fn(A3, Y, parameters, lambd), f"{name}'s return value")

    total = cost()
    _expect_unchanged(before, params, name)
    expect(np.isfinite(total), f"{name} returned {total}, expected a finite number")
    expect(total >= 0, f"{name} returned a negative cost ({total:.4g}). Cross-entropy and the "
           "L2 term are both >= 0, so their sum can never be negative: look for a sign error.")
    cross_entropy = compute_cost(A3, Y)
    expect(total > cross_entropy, f"with lambd = {LAMBD} the cost ({total:.4g}) must be larger "
           f"than the plain cross-entropy compute_cost(A3, Y) ({cross_entropy:.4g}): "
           "the L2 term of non-zero weights is positive.")
    at_zero = cost(lambd=0)
    expect(abs(at_zero - cross_entropy) <= EXACT_RTOL * cross_entropy,
           f"with lambd = 0 the cost must be the plain cross-entropy compute_cost(A3, Y) "
           f"({cross_entropy:.6g}); got {at_zero:.6g}")

    term = total - cross_entropy
    doubled = cost(lambd=2 * LAMBD) - cross_entropy
    expect(abs(doubled - 2 * term) <= EXACT_RTOL * term,
           "the L2 term must be proportional to lambd: doubling lambd must double it "
           f"(lambd = {LAMBD}: {term:.6g}; lambd = {2 * LAMBD}: {doubled:.6g})")
    for l in (1, 2, 3):
        without = _copy(params)
        without[f"W{l}"] = np.zeros_like(without[f"W{l}"])
        expect(cost(parameters=without) - cross_entropy < term * (1 - 1e-6),
               f"setting W{l} to zero did not lower the L2 term: it must add up the "
               "squares of ALL three weight matrices W1, W2 and W3")
    flipped = {k: -v if k.startswith("W") else v for k, v in params.items()}
    moved_biases = {k: v + 1.0 if k.startswith("b") else v for k, v in params.items()}
    for other, what in ((flipped, "flipping the sign of every weight"),
                        (moved_biases, "changing the biases")):
        changed = cost(parameters=other) - cross_entropy
        expect(abs(changed - term) <= EXACT_RTOL * term,
               f"{what} changed the L2 term ({term:.6g} -> {changed:.6g}); it must be a sum "
               "of squared weights only (np.square(W) or W * W; biases are not regularized)")
    doubled_weights = {k: 2 * v if k.startswith("W") else v for k, v in params.items()}
    quadrupled = cost(parameters=doubled_weights) - cross_entropy
    expect(abs(quadrupled - 4 * term) <= EXACT_RTOL * term,
           "doubling every weight must multiply the L2 term by 4 (it is a sum of squares); "
           f"it went from {term:.6g} to {quadrupled:.6g}")
    padded = dict(params, W1=np.hstack([params["W1"], np.zeros((params["W1"].shape[0], 1))]))
    with_zeros = cost(parameters=padded) - cross_entropy
    expect(abs(with_zeros - term) <= EXACT_RTOL * term,
           "giving W1 an extra column of zeros changed the L2 term "
           f"({term:.6g} -> {with_zeros:.6g}): zero weights add nothing to a SUM of squares "
           "(np.sum, not np.mean)")
    twice_m = cost(A3=np.hstack([A3, A3]), Y=np.hstack([Y, Y])) - cross_entropy
    expect(abs(2 * twice_m - term) <= EXACT_RTOL * term,
           "with every example repeated twice (m doubled, same weights) the L2 term must halve: "
           f"divide it by m = Y.shape[1] (it went from {term:.6g} to {twice_m:.6g})")
    _expect_worked_example(cost, rng)
    print(f"{name}: all public checks passed")


def _expect_worked_example(cost, rng):
    """The L2 term of the notebook's worked example is the number the notebook states."""
    params = {}
    for l in (1, 2, 3):
        W = np.array(WORKED_WEIGHTS[f"W{l}"])
        params[f"W{l}"], params[f"b{l}"] = W, np.zeros((W.shape[0], 1))
    A3 = rng.uniform(0.05, 0.95, size=(1, WORKED_M))
    Y = (rng.random((1, WORKED_M)) < 0.5).astype(float)
    term = cost(A3=A3, Y=Y, parameters=params, lambd=WORKED_LAMBD) - compute_cost(A3, Y)
    ratio = term / WORKED_L2
    hint = (" It is twice that: the 1/2 of lambd / (2 m) is missing." if abs(ratio - 2) < 1e-6
            else " It is half that: lambd / (2 m) has its 1/2 twice." if abs(ratio - 0.5) < 1e-6
            else "")
    expect(abs(term - WORKED_L2) <= EXACT_RTOL * WORKED_L2,
           f"for the worked example of section 4 (m = {WORKED_M}, lambd = {WORKED_LAMBD}, weights "
           f"whose squares add up to {WORKED_SQUARES}) the L2 term must be {WORKED_LAMBD} / "
           f"(2 * {WORKED_M}) * {WORKED_SQUARES} = {WORKED_L2:.4g}; yours is {term:.6g}.{hint}")


def _own_cost(fn):
    """The student's compute_cost_with_regularization beside ``fn``, checked first.

    Returns (cost, None) when it passes its own public checks, (None, why) when
    it is not written yet; raises CheckFailed ("fix ... first") when it is
    written but wrong, since the rest of the check would then blame ``fn``."""
    cost = getattr(fn, "__globals__", {}).get("compute_cost_with_regularization")
    if not callable(cost):
        return None, "compute_cost_with_regularization is not defined"
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            check_compute_cost_with_regularization(cost)
    except NotImplementedError:
        return None, "your compute_cost_with_regularization is not written yet"
    except Exception as exc:  # noqa: BLE001 - any failure of the cost's own check
        raise CheckFailed("fix compute_cost_with_regularization first: this check uses it (the "
                          "gradient of the L2 term is compared with your cost), and its own "
                          f"public check fails: {exc}") from None
    return cost, None


def check_backward_propagation_with_regularization(fn):
    """Public checks of backward_propagation_with_regularization(X, Y, cache, lambd).

    Its gradients are also checked against centred differences of YOUR
    compute_cost_with_regularization (found beside fn), when that one runs."""
    name = "backward_propagation_with_regularization"
    rng = np.random.default_rng(PUBLIC_SEED + 1)
    X, Y, params = _network(rng, SMALL_DIMS, M_SMALL)
    _, cache = forward_propagation(X, params)
    before = dict(zip(CACHE_NAMES, (a.copy() for a in cache)))

    def grads(lambd, X=X, Y=Y, cache=cache):
        result = fn(X, Y, cache, lambd)
        _expect_grads_layout(result, params, X.shape[1], name)
        return result

    plain = grads(0)
    _expect_unchanged(before, dict(zip(CACHE_NAMES, cache)), name)
    _expect_gradients_match(plain, _numerical_grads(X, Y, params), M_SMALL,
                            "with lambd = 0 (the plain cross-entropy)")

    regularized = grads(LAMBD)
    for key in GRAD_KEYS:
        if not key.startswith("dW"):
            _hint(f"{key} changed when lambd went from 0 to {LAMBD}: the L2 term depends on "
                  "the weights only, so only dW1, dW2 and dW3 get a regularization term.",
                  expect_close, regularized[key], plain[key], key, EXACT_RTOL)
    factors = []
    for l in (1, 2, 3):
        W, key = params[f"W{l}"], f"dW{l}"
        extra = regularized[key] - plain[key]
        factor = np.sum(extra * W) / np.sum(W * W)
        _hint(f"the regularization term of {key} (its change from lambd = 0) must be a "
              f"multiple of W{l}, the same number times every entry",
              expect_close, extra, factor * W, f"{key} - ({key} at lambd = 0)", GRADCHECK_RTOL)
        expect(abs(factor) > 1e-12, f"{key} did not change when lambd went from 0 to {LAMBD}: "
               f"add the gradient of the L2 term, a multiple of W{l}")
        expect(factor > 0, f"the regularization term of {key} points against W{l}: weight decay "
               "adds a positive multiple of W (it pulls the weights towards zero)")
        factors.append(factor)
    expect(np.ptp(factors) <= GRADCHECK_RTOL * max(factors),
           "dW1, dW2 and dW3 got different multiples of their W as regularization term "
           f"({', '.join(f'{f:.4g}' for f in factors)}); all three layers share one lambd / m")
    expect(abs(factors[0] - LAMBD / M_SMALL) <= GRADCHECK_RTOL * LAMBD / M_SMALL,
           f"the regularization term of dW1 is {factors[0]:.6g} times W1; the formula of the "
           f"markdown, lambd / m * W, gives lambd / m = {LAMBD} / {M_SMALL} = "
           f"{LAMBD / M_SMALL:.6g} (the 1/2 of the cost's lambd / (2 m) cancels the 2 of "
           "d(w^2)/dw)")
    factor2 = np.sum((grads(2 * LAMBD)["dW1"] - plain["dW1"]) * params["W1"]) / np.sum(params["W1"] ** 2)
    expect(abs(factor2 - 2 * factors[0]) <= GRADCHECK_RTOL * factor2,
           "the regularization term of dW1 must be proportional to lambd: doubling lambd "
           "must double it")
    X2, Y2 = np.hstack([X, X]), np.hstack([Y, Y])
    _, cache2 = forward_propagation(X2, params)
    twice_m = grads(LAMBD, X2, Y2, cache2)
    extra2 = twice_m["dW1"] - grads(0, X2, Y2, cache2)["dW1"]
    factor_m = np.sum(extra2 * params["W1"]) / np.sum(params["W1"] ** 2)
    expect(abs(2 * factor_m - factors[0]) <= GRADCHECK_RTOL * factors[0],
           "with every example repeated twice (m doubled) the regularization term of dW1 must "
           "halve: it is lambd / m times W1, with m = X.shape[1]")

    own_cost, skipped = _own_cost(fn)
    if own_cost is not None:
        check_params = _copy(params)

        def total_cost():
            A3, _ = forward_propagation(X, check_params)
            return _number(own_cost(A3, Y, check_params, LAMBD), "compute_cost_with_regularization")

        for key in ("W1", "W2", "W3"):
            numeric = numerical_gradient(total_cost, check_params[key])
            _hint(f"d{key} at lambd = {LAMBD} does not match the numerical gradient of the cost "
                  "computed by your compute_cost_with_regularization: the factor of the L2 term "
                  "in the cost (lambd / (2 m)) and in its gradient (lambd / m) must agree.",
                  expect_close, regularized[f"d{key}"], numeric, f"d{key}", GRADCHECK_RTOL)
        print(f"{name}: all public checks passed")
    else:
        print(f"{name}: all public checks passed (the check against your cost was skipped: "
              f"{skipped})")


# ------------------------------------------------------------------ dropout

def _expect_dropout_cache(A3, cache, X, parameters, m, keep_prob, fn_name):
    """Shapes of the 14-entry cache, binary masks, and every step of the forward pass."""
    expect_sequence(cache, 14, f"{fn_name}'s cache")
    named = dict(zip(DROPOUT_CACHE_NAMES, cache))
    for l in (1, 2, 3):
        n = parameters[f"W{l}"].shape[0]
        expect_array(named[f"Z{l}"], f"Z{l} (in the cache)", (n, m))
        expect_array(named[f"A{l}"], f"A{l} (in the cache)", (n, m))
        for p in "Wb":
            _hint(f"the cache must hold the parameters {p}{l} as they were given",
                  expect_close, named[f"{p}{l}"], parameters[f"{p}{l}"], f"{p}{l} (in the cache)",
                  EXACT_RTOL)
    for l in (1, 2):
        D = expect_array(named[f"D{l}"], f"D{l}", named[f"Z{l}"].shape, kind="biuf")
        values = np.unique(D)
        expect(np.all((values == 0) | (values == 1)),
               f"D{l} must hold only 0s and 1s (drop or keep a unit); it holds "
               f"{values[:5]}: compare, np.random.rand(...) < keep_prob, instead of scaling")
    expect_array(A3, "A3", (1, m))
    steps = (
        ("Z1", X, "Z1 must be W1 @ X + b1: dropout is never applied to the input X"),
        ("A1", None, "A1 must be relu(Z1) * D1 / keep_prob (inverted dropout)"),
        ("Z2", "A1", "Z2 must be W2 @ A1 + b2, with A1 after dropout"),
        ("A2", None, "A2 must be relu(Z2) * D2 / keep_prob (inverted dropout)"),
        ("Z3", "A2", "Z3 must be W3 @ A2 + b3, with A2 after dropout"),
    )
    for key, source, hint in steps:
        l = int(key[1])
        if key[0] == "Z":
            below = X if l == 1 else named[source]
            desired = parameters[f"W{l}"] @ below + parameters[f"b{l}"]
        else:
            desired = relu(named[f"Z{l}"]) * named[f"D{l}"] / keep_prob
        _hint(hint, expect_close, named[key], desired, f"{key} (in the cache)", EXACT_RTOL)
    _hint("A3 must be sigmoid(Z3): no dropout on the output layer",
          expect_close, named["A3"], sigmoid(named["Z3"]), "A3 (in the cache)", EXACT_RTOL)
    _hint("the A3 you return must be the A3 in the cache",
          expect_close, A3, named["A3"], "A3", EXACT_RTOL)
    return named


def check_forward_propagation_with_dropout(fn):
    """Public checks of forward_propagation_with_dropout(X, parameters, keep_prob)."""
    name = "forward_propagation_with_dropout"
    rng = np.random.default_rng(PUBLIC_SEED + 2)
    X, _, params = _network(rng, WIDE_DIMS, M_WIDE)
    before = _copy(params)
    before["X"] = X.copy()

    def run(keep_prob=KEEP_PROB):
        out = fn(X, params, keep_prob)
        expect_sequence(out, 2, f"{name}'s return value (A3, cache)")
        return _expect_dropout_cache(out[0], out[1], X, params, M_WIDE, keep_prob, name)

    with _global_rng_restored():
        np.random.seed(PUBLIC_SEED)
        first = run()
        _expect_unchanged(before, dict(params, X=X), name)
        for l in (1, 2):
            D = first[f"D{l}"]
            kept = float(np.mean(D))
            error = np.sqrt(KEEP_PROB * (1 - KEEP_PROB) / D.size)
            expect(abs(kept - KEEP_PROB) <= KEPT_FRACTION_SIGMAS * error,
                   f"D{l} kept {kept:.1%} of the units with keep_prob = {KEEP_PROB}: keep_prob "
                   "is the probability of KEEPING a unit, so use np.random.rand(...) < keep_prob, "
                   "one draw per unit and per example")

        second = run()
        for l in (1, 2):
            expect(not np.array_equal(first[f"D{l}"], second[f"D{l}"]),
                   f"two calls gave identical masks D{l}: are you reseeding the RNG "
                   "(np.random.seed) inside the function? Every call must draw new masks.")
        np.random.seed(PUBLIC_SEED)
        again = run()
        for l in (1, 2):
            expect(np.array_equal(first[f"D{l}"], again[f"D{l}"]),
                   f"after seeding numpy's global RNG the same way, D{l} came out different: "
                   "draw the masks with np.random (e.g. np.random.rand), not a new Generator, "
                   "so that np.random.seed makes training repeatable")

        everything = run(keep_prob=1.0)
        for l in (1, 2):
            expect(np.all(everything[f"D{l}"] == 1),
                   f"with keep_prob = 1 every unit must be kept, but D{l} dropped some")
    print(f"{name}: all public checks passed")


def check_backward_propagation_with_dropout(fn):
    """Public checks of backward_propagation_with_dropout(X, Y, cache, keep_prob)."""
    name = "backward_propagation_with_dropout"
    rng = np.random.default_rng(PUBLIC_SEED + 3)
    X, Y, params = _network(rng, SMALL_DIMS, M_SMALL)
    D1, D2 = _masks(rng, SMALL_DIMS, M_SMALL, KEEP_PROB)
    Z1 = params["W1"] @ X + params["b1"]
    A1 = relu(Z1) * D1 / KEEP_PROB
    Z2 = params["W2"] @ A1 + params["b2"]
    A2 = relu(Z2) * D2 / KEEP_PROB
    Z3 = params["W3"] @ A2 + params["b3"]
    cache = (Z1, D1, A1, params["W1"], params["b1"], Z2, D2, A2, params["W2"], params["b2"],
             Z3, sigmoid(Z3), params["W3"], params["b3"])
    before = dict(zip(DROPOUT_CACHE_NAMES, (a.copy() for a in cache)))

    grads = fn(X, Y, cache, KEEP_PROB)
    _expect_grads_layout(grads, params, M_SMALL, name)
    _expect_unchanged(before, dict(zip(DROPOUT_CACHE_NAMES, cache)), name)
    for l, D in ((1, D1), (2, D2)):
        dropped = D == 0
        expect(np.all(grads[f"dA{l}"][dropped] == 0),
               f"dA{l} is not zero where D{l} dropped a unit: a dropped unit passes no "
               f"gradient back, so multiply dA{l} by D{l} (and divide by keep_prob)")
        expect(np.all(grads[f"dZ{l}"][dropped] == 0),
               f"dZ{l} is not zero where D{l} dropped a unit: compute it from the masked dA{l}")
    _expect_gradients_match(grads, _numerical_grads(X, Y, params, (D1, D2), KEEP_PROB), M_SMALL,
                            f"under the cached masks with keep_prob = {KEEP_PROB}")
    print(f"{name}: all public checks passed")


# Every check's failure message is wrapped to fit nbgrader validate's lines.
fit_public_checks(globals())
