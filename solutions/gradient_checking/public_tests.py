"""Public checks of the gradient-checking assignment: one check_<function>(fn) each.

A check runs your function on fresh random inputs and tests what every right
answer has in common: types, shapes, invariants, and gradient checks of your
backward passes against centred differences of your own forward passes.
The two gradient checkers are tried as checkers: on small costs whose
derivative is known, with a right and a wrong derivative, at two step sizes.
A checker that computes the cost (or the derivative) itself, instead of
calling your forward (backward) function, is tried on the notebook's cost.
Nothing is compared with stored answers.  On success a check prints one line;
otherwise it raises AssertionError saying what is wrong.  The hidden graders
check more, on other inputs and other costs.

The checks draw from a generator of their own, never numpy's global RNG.
"""
import contextlib
import io

import numpy as np

from checks import fit_public_checks
from checks import (CheckFailed, expect, expect_array, expect_close, expect_finite,
                    expect_keys, expect_scalar, expect_sequence)
from gc_utils import LAYER_DIMS, relu, sigmoid
from numerics import EXACT_RTOL, GRADCHECK_RTOL, numerical_gradient

PUBLIC_SEED = 7
CACHE_NAMES = ("Z1", "A1", "W1", "b1", "Z2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3")
GRAD_KEYS = ("dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1")
PARAM_KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")

# The course's verdict: a right backward pass gives a difference below this.
THRESHOLD = 2e-7
# A derivative off by a factor of 2 gives a difference of 1/3; anything below
# this means the check cannot see a wrong derivative.
WRONG_AT_LEAST = 1e-2
# With a step of 1e-3 a centred difference of the cubic costs below is off by
# ~1e-7 (relative); a one-sided one by ~1e-3.
LARGE_STEP, LARGER_STEP = 1e-3, 1e-2
LARGE_STEP_BOUND = 1e-5
# Going from 1e-3 to 1e-2, a centred difference's error grows 100x (O(eps^2));
# one that stays put does not use epsilon.
MIN_GROWTH = 20
# A right checker given every derivative with its sign flipped returns 1 up to
# round-off (||-g - g'|| / (||g|| + ||g'||) with g' = g(1 + d) is 1 + O(d^2):
# measured within 1e-12 on the right variants); the bugs it catches (no
# denominator, a difference of norms, squared norms) return 0, 2 or ||2g||.
SIGN_FLIP_TOL = 1e-6
# ReLU kinks: inputs with a pre-activation this close to 0 are redrawn, so a
# numerical gradient with a step of 1e-6 never crosses one.
KINK_MARGIN = 1e-3
# Output pre-activations at most this large: A3 in [0.018, 0.982], where the
# round-off of log(1 - A3) stays far below THRESHOLD.
MAX_Z3 = 4.0
# A checker that computes the network's cost itself is tried on the network
# at epsilon = 1e-3 and 1e-2 (REAL_STEP, REAL_LARGER_STEP).  Its pre-activations
# are kept this far from 0, so a step of 1e-2 crosses no ReLU kink (on the
# check's network a step moves one by at most 0.026).
REAL_KINK_MARGIN = 0.1
REAL_STEP, REAL_LARGER_STEP = 1e-3, 1e-2
# There a right checker's difference is 1.5e-8 at epsilon = 1e-3 (measured on
# the right variants; 1.5e-6 at 1e-2: the 100x of O(epsilon^2)) and a
# one-sided one's 2.2e-4 (10x more at 1e-2): the bound is 67x above the first,
# 220x below the second.
REAL_STEP_BOUND = 1e-6
# The cost of forward_propagation_n against the mean cross-entropy of its A3,
# |cost - cross-entropy| / cross-entropy.  A right cost summed or averaged in
# float32 is off by 1.5e-7 (measured), the closest wrong cost by 0.1 (b2 not
# added; a cost without 1/m, with a swapped log or without the (1 - Y) term
# by 0.6 or more): 1e-5 is 67x above the first, 10,000x below the second.
# (The cache is compared at EXACT_RTOL: its Z and A are float64 in every right
# answer, and centred differences of the cost need them so.)
COST_RTOL = 1e-5


@contextlib.contextmanager
def _prefix(text):
    try:
        yield
    except CheckFailed as exc:
        raise CheckFailed(f"{text}: {exc}") from None


@contextlib.contextmanager
def _rebound(fn, **names):
    """Make ``fn`` see other functions under some global names (e.g. a small
    test cost as forward_propagation) for the duration of a block."""
    scope = fn.__globals__
    saved = {k: scope[k] for k in names if k in scope}
    scope.update(names)
    try:
        yield
    finally:
        for k in names:
            if k in saved:
                scope[k] = saved[k]
            else:
                scope.pop(k, None)


def _quietly(fn, *args, **kwargs):
    """Call fn with anything it prints swallowed."""
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args, **kwargs)


def _number(value, name):
    """One real number (Python or numpy scalar, or a size-1 array) as a float."""
    if isinstance(value, np.generic) and value.dtype.kind in "fiu":
        value = value.item()
    return expect_scalar(value, name)


def _difference(value, name):
    if value is None:
        raise CheckFailed(f"{name} returned None: return the difference (a float), "
                          f"whether or not print_msg is True")
    if type(value) in (bool, np.bool_):
        raise CheckFailed(f"{name} returned a bool: return the difference itself, "
                          f"not whether it is small")
    value = _number(value, f"{name}'s return value")
    expect(np.isfinite(value) and value >= 0,
           f"{name} returned {value}: a relative difference is a norm over a sum of norms, "
           f"never negative")
    return value


def _network(rng, dims, m, margin=None):
    """parameters, X (n0, m), Y (1, m), every |Z1|, |Z2| above ``margin``
    (KINK_MARGIN by default) and |Z3| at most MAX_Z3."""
    margin = KINK_MARGIN if margin is None else margin
    while True:
        params = {}
        for l in range(1, len(dims)):
            params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) / np.sqrt(dims[l - 1])
            params[f"b{l}"] = rng.standard_normal((dims[l], 1)) * 0.5
        X = rng.standard_normal((dims[0], m))
        Y = (rng.random((1, m)) < 0.5).astype(np.float64)
        Z1 = params["W1"] @ X + params["b1"]
        Z2 = params["W2"] @ relu(Z1) + params["b2"]
        Z3 = params["W3"] @ relu(Z2) + params["b3"]
        if min(np.abs(Z1).min(), np.abs(Z2).min()) > margin and np.abs(Z3).max() <= MAX_Z3:
            return params, X, Y


# --- 1-D -------------------------------------------------------------------------

def check_forward_propagation(fn):
    rng = np.random.default_rng(PUBLIC_SEED)
    for x, theta in rng.normal(0, 2, (5, 2)):
        x, theta = float(x), float(theta)
        where = f"forward_propagation(x={x:.3g}, theta={theta:.3g})"
        J = _number(fn(x, theta), where)
        expect(_number(fn(x, 0.0), "J at theta = 0") == 0,
               f"forward_propagation(x={x:.3g}, theta=0) is not 0; J = theta * x")
        J2 = _number(fn(x, 2 * theta), where)
        expect(abs(J2 - 2 * J) <= 1e-12 * (abs(J2) + 1),
               f"{where}: doubling theta must double J (J = theta * x is linear in theta)")
        Jx = _number(fn(2 * x, theta), where)
        expect(abs(Jx - 2 * J) <= 1e-12 * (abs(Jx) + 1),
               f"{where}: doubling x must double J (J = theta * x is linear in x)")
    expect(_number(fn(1.0, 1.0), "forward_propagation(1, 1)") == 1,
           "forward_propagation(x=1, theta=1) must be 1 (J = theta * x)")
    print("forward_propagation: all public checks passed")


def _uses(fn, name, check):
    """The graded function ``name`` beside ``fn``, once it passes its own public
    check ``check``; otherwise CheckFailed saying to fix that one first, so that
    its mistake is never blamed on ``fn``."""
    other = getattr(fn, "__globals__", {}).get(name)
    expect(callable(other), f"define {name} first: this check uses it")
    try:
        _quietly(check, other)
    except NotImplementedError:
        raise CheckFailed(f"write {name} first: this check uses it") from None
    except Exception as exc:  # noqa: BLE001 - any failure of the other function's check
        raise CheckFailed(f"fix {name} first: this check uses it, and its own public check "
                          f"fails: {exc}") from None
    return other


def check_backward_propagation(fn):
    forward = _uses(fn, "forward_propagation", check_forward_propagation)
    rng = np.random.default_rng(PUBLIC_SEED + 1)
    for x, theta in rng.normal(0, 2, (5, 2)):
        x = float(x)
        where = f"backward_propagation(x={x:.3g}, theta={theta:.3g})"
        dtheta = _number(fn(x, float(theta)), where)
        t = np.array([theta])
        numeric = numerical_gradient(lambda: forward(x, t[0]), t)[0]
        expect(abs(dtheta - numeric) <= GRADCHECK_RTOL * (abs(dtheta) + abs(numeric)) + 1e-12,
               f"{where} = {dtheta:.6g}, but centred differences of your forward_propagation "
               f"give {numeric:.6g}: dJ/dtheta of J = theta * x")
    print("backward_propagation: all public checks passed")


# Small costs for trying a gradient checker: J = x * theta^3 and its derivatives.
def _cube(x, theta):
    return x * theta ** 3


def _cube_derivative(x, theta):
    return 3 * x * theta ** 2


def _cube_half_derivative(x, theta):       # wrong by a factor of 2
    return 1.5 * x * theta ** 2


def _cube_negated_derivative(x, theta):    # wrong sign, right size
    return -3 * x * theta ** 2


def _scaled(f, factor=-1000.0):
    """f times ``factor``: the same cost in other units."""
    return lambda *args: factor * f(*args)


def _expect_wrong(difference):
    expect(difference > WRONG_AT_LEAST,
           f"the difference is {difference:.3g}: a wrong derivative must give a large one. "
           f"difference = ||grad - gradapprox|| / (||grad|| + ||gradapprox||): the norm of "
           f"the difference, not a difference of norms")
    expect(difference <= 1 + 1e-12,
           f"the difference is {difference:.3g}, above 1: ||grad - gradapprox|| can never "
           f"exceed ||grad|| + ||gradapprox||; are the norms square-rooted?")


def _expect_scale_free(difference, scaled):
    expect(abs(difference - scaled) <= 1e-6 * difference,
           f"the difference is {difference:.6g}, but {scaled:.6g} once the cost and its "
           f"derivative are multiplied by -1000: a relative difference does not depend on "
           f"the cost's units. Divide by ||grad|| + ||gradapprox||, and take the norm of "
           f"the difference (never negative)")


def _calls(fn, args, **names):
    """The global names among ``names`` (name -> function) that ``fn`` calls
    in one call ``fn(*args)``, with each name bound to its function."""
    called = set()

    def recording(name, f):
        def wrapper(*a, **k):
            called.add(name)
            return f(*a, **k)
        return wrapper

    with _rebound(fn, **{n: recording(n, f) for n, f in names.items()}):
        _quietly(fn, *args)
    return called


def _expect_print_msg_only_prints(fn, args, name):
    """fn(*args) returns the same difference with print_msg False or True."""
    quiet = _difference(fn(*args, print_msg=False), name)
    loud = _difference(_quietly(fn, *args, print_msg=True), name)
    expect(quiet == loud, f"returned {quiet:.3g} with print_msg=False but {loud:.3g} with "
                          f"print_msg=True: print_msg only decides whether to print")
    return quiet


def _expect_centred(fn, args, name, small, large, bound, right="a right derivative"):
    """With right gradients, fn's difference at epsilon=small stays below
    ``bound`` and grows >= MIN_GROWTH times at epsilon=large."""
    at_small = _difference(fn(*args, epsilon=small), name)
    expect(at_small < bound,
           f"with epsilon={small:g} and {right} the difference is {at_small:.3g}; "
           f"a centred difference stays below {bound:g} there (its error is O(epsilon^2)); "
           f"a one-sided one does not")
    at_large = _difference(fn(*args, epsilon=large), name)
    expect(at_large > MIN_GROWTH * at_small,
           f"the difference hardly changes between epsilon={small:g} ({at_small:.3g}) "
           f"and epsilon={large:g} ({at_large:.3g}): does your check use the "
           f"epsilon argument?")


def _expect_one(difference):
    """A sign-flipped gradient: ||-g - g|| / (||g|| + ||g||) = 1 exactly."""
    expect(abs(difference - 1) <= SIGN_FLIP_TOL,
           f"with every derivative's sign flipped the difference is {difference:.6g}, "
           f"not 1: ||-g - g|| / (||g|| + ||g||) = 1. Take the norm of the difference "
           f"and divide by the sum of the norms")


def check_gradient_check(fn):
    rng = np.random.default_rng(PUBLIC_SEED + 2)
    x, theta = (float(v) for v in rng.choice([-1, 1], 2) * rng.uniform(0.7, 1.5, 2))
    calls = _calls(fn, (x, theta), forward_propagation=_cube,
                   backward_propagation=_cube_derivative)
    if calls == {"forward_propagation", "backward_propagation"}:
        _check_gradient_check_on_cube(fn, x, theta)
    elif calls == {"backward_propagation"}:
        _check_gradient_check_own_forward(fn, x, theta)
    elif calls == {"forward_propagation"}:
        _check_gradient_check_own_derivative(fn, x, theta)
    else:
        raise CheckFailed("gradient_check calls neither forward_propagation nor "
                          "backward_propagation: it must compare your backward pass "
                          "with centred differences of your forward pass")
    print("gradient_check: all public checks passed")


def _check_gradient_check_on_cube(fn, x, theta):
    where = f"gradient_check on J = x * theta^3 (x={x:.3g}, theta={theta:.3g})"
    with _prefix(where), _rebound(fn, forward_propagation=_cube,
                                  backward_propagation=_cube_derivative):
        quiet = _expect_print_msg_only_prints(fn, (x, theta), "gradient_check")
        expect(quiet < THRESHOLD,
               f"the derivative is right, yet the difference is {quiet:.3g} > {THRESHOLD:g}: "
               f"is gradapprox (J(theta + eps) - J(theta - eps)) / (2 eps)?")
        _expect_centred(fn, (x, theta), "gradient_check", LARGE_STEP, LARGER_STEP,
                        LARGE_STEP_BOUND)
    for label, derivative in (("off by a factor of 2", _cube_half_derivative),
                              ("with the wrong sign", _cube_negated_derivative)):
        with _prefix(f"{where} with a derivative {label}"):
            with _rebound(fn, forward_propagation=_cube, backward_propagation=derivative):
                wrong = _difference(fn(x, theta), "gradient_check")
            _expect_wrong(wrong)
            # Multiplying the cost (and so every derivative) by -1000 leaves a
            # relative difference as it was.
            with _rebound(fn, forward_propagation=_scaled(_cube),
                          backward_propagation=_scaled(derivative)):
                scaled = _difference(fn(x, theta), "gradient_check")
            _expect_scale_free(wrong, scaled)


# A checker that computes J = theta * x itself is tried with right and wrong
# derivatives of that cost (a linear J hides a one-sided difference, unless it
# is divided by 2 epsilon: then it is half the derivative and shows).
_LINEAR_WRONG = (("dJ/dtheta = theta (the derivative in x)", lambda x, theta: theta),
                 ("dJ/dtheta = 2 x", lambda x, theta: 2 * x))


def _check_gradient_check_own_forward(fn, x, theta):
    where = (f"gradient_check computes J itself (it does not call forward_propagation), so "
             f"it is tried on J = theta * x (x={x:.3g}, theta={theta:.3g})")
    with _prefix(where):
        with _rebound(fn, backward_propagation=lambda x, theta: x):
            quiet = _expect_print_msg_only_prints(fn, (x, theta), "gradient_check")
        expect(quiet < THRESHOLD,
               f"with the right derivative x the difference is {quiet:.3g} > {THRESHOLD:g}: "
               f"is gradapprox (J(theta + eps) - J(theta - eps)) / (2 eps), J = theta * x?")
        for label, derivative in _LINEAR_WRONG:
            with _prefix(f"with {label}"), _rebound(fn, backward_propagation=derivative):
                _expect_wrong(_difference(fn(x, theta), "gradient_check"))
        with _rebound(fn, backward_propagation=lambda x, theta: -x):
            _expect_one(_difference(fn(x, theta), "gradient_check"))


def _check_gradient_check_own_derivative(fn, x, theta):
    where = (f"gradient_check computes dJ/dtheta itself (it does not call "
             f"backward_propagation): x, right for J = theta * x (x={x:.3g}, "
             f"theta={theta:.3g})")

    def curved(x, theta, theta0=theta):      # derivative x at theta0, curved around it
        return x * theta + x * (theta - theta0) ** 2 + x * (theta - theta0) ** 3

    with _prefix(where):
        with _rebound(fn, forward_propagation=lambda x, theta: theta * x):
            quiet = _expect_print_msg_only_prints(fn, (x, theta), "gradient_check")
        expect(quiet < THRESHOLD,
               f"the difference is {quiet:.3g} > {THRESHOLD:g}: is gradapprox "
               f"(J(theta + eps) - J(theta - eps)) / (2 eps)?")
        with _prefix(f"on J = x theta + x (theta - theta0)^2 + x (theta - theta0)^3, whose "
                     f"derivative at theta0 = {theta:.3g} is x"), \
                _rebound(fn, forward_propagation=curved):
            _expect_centred(fn, (x, theta), "gradient_check", LARGE_STEP, LARGER_STEP,
                            LARGE_STEP_BOUND)
        with _prefix("on J = x * theta^3, whose derivative is not x"), \
                _rebound(fn, forward_propagation=_cube):
            _expect_wrong(_difference(fn(x, theta), "gradient_check"))
        with _prefix("on J = -theta * x, whose derivative is -x"), \
                _rebound(fn, forward_propagation=lambda x, theta: -theta * x):
            _expect_one(_difference(fn(x, theta), "gradient_check"))


# --- N-D -------------------------------------------------------------------------

def _check_unchanged(before, after, name):
    for k, v in before.items():
        expect(k in after and np.array_equal(after[k], v),
               f"{name} changed its argument's {k} in place")


def check_forward_propagation_n(fn):
    rng = np.random.default_rng(PUBLIC_SEED + 3)
    for dims, m in ((LAYER_DIMS, 5), ((3, 6, 2, 1), 1)):
        params, X, Y = _network(rng, dims, m)
        kept = {k: v.copy() for k, v in params.items()}
        with _prefix(f"forward_propagation_n with layer sizes {list(dims)}, m={m}"):
            result = expect_sequence(fn(X, Y, params), 2, "the return value (cost, cache)")
            cost = _number(result[0], "cost")
            cache = expect_sequence(result[1], 12, "cache (Z1, A1, W1, b1, Z2, A2, W2, b2, "
                                                   "Z3, A3, W3, b3)")
            _check_unchanged(kept, params, "forward_propagation_n")
            shapes = {"Z1": (dims[1], m), "A1": (dims[1], m), "Z2": (dims[2], m),
                      "A2": (dims[2], m), "Z3": (1, m), "A3": (1, m)}
            c = {}
            for i, name in enumerate(CACHE_NAMES):
                c[name] = expect_array(cache[i], f"cache[{i}] ({name})",
                                       params[name].shape if name in params else shapes[name])
                expect_finite(c[name], f"cache[{i}] ({name})")
            for name in PARAM_KEYS:
                expect(np.array_equal(c[name], params[name]),
                       f"cache's {name} is not the parameter {name}")
            for l, (Zl, Al, act) in enumerate(((c["Z1"], c["A1"], relu), (c["Z2"], c["A2"], relu),
                                               (c["Z3"], c["A3"], sigmoid)), start=1):
                A_prev = X if l == 1 else c[f"A{l - 1}"]
                expect_close(Zl, params[f"W{l}"] @ A_prev + params[f"b{l}"], f"Z{l}", EXACT_RTOL)
                expect_close(Al, act(Zl), f"A{l} (the activation of Z{l})", EXACT_RTOL)
            expect(cost > 0, f"the cost is {cost:.4g}: a cross-entropy is positive")
            cross_entropy = _cross_entropy(c["A3"], Y)
            expect(abs(cost - cross_entropy) <= COST_RTOL * cross_entropy,
                   f"the cost {cost:.6g} is not the mean cross-entropy of A3 and Y")
    print("forward_propagation_n: all public checks passed")


def check_backward_propagation_n(fn):
    forward = _uses(fn, "forward_propagation_n", check_forward_propagation_n)
    rng = np.random.default_rng(PUBLIC_SEED + 4)
    for dims, m in ((LAYER_DIMS, 4), ((2, 3, 4, 1), 6)):
        params, X, Y = _network(rng, dims, m)
        with _prefix(f"backward_propagation_n with layer sizes {list(dims)}, m={m}"):
            _, cache = forward(X, Y, params)
            grads = expect_keys(fn(X, Y, cache), GRAD_KEYS, "the return value")
            for key in GRAD_KEYS:
                shape = (params[key[1:]].shape if key[1:] in params
                         else (dims[int(key[-1])], m))
                expect_array(grads[key], key, shape)
            for l in (1, 2):
                Z = cache[CACHE_NAMES.index(f"Z{l}")]
                leak = np.abs(grads[f"dZ{l}"][Z < 0]).max(initial=0.0)
                expect(leak == 0, f"dZ{l} is not 0 where Z{l} < 0: ReLU passes no gradient there")
            # The cost as the mean cross-entropy of the cache's A3, in float64:
            # a cost returned in float32 (right too) is too coarse for a step of 1e-6.
            for key in PARAM_KEYS:
                numeric = numerical_gradient(
                    lambda: _cross_entropy(forward(X, Y, params)[1][CACHE_NAMES.index("A3")], Y),
                    params[key])
                with _prefix(f"d{key} against centred differences of your forward_propagation_n's cost"):
                    expect_close(grads[f"d{key}"], numeric, f"d{key}", GRADCHECK_RTOL)
    print("backward_propagation_n: all public checks passed")


# A small cost of the parameters for trying gradient_check_n: cubic in every
# weight, so a one-sided difference shows at a large step.
def _cubic_cost(X, Y, parameters):
    cost = sum(np.sum(parameters[f"W{l}"] ** 3) / 3 + np.sum(parameters[f"b{l}"] ** 2) * l
               for l in (1, 2, 3))
    return float(cost), None


def _cubic_gradients(parameters, m):
    """dW, db of _cubic_cost, plus dZ/dA entries (zeros) as a backward pass
    returns them: a checker must use only dW1..db3."""
    grads = {}
    for l in (3, 2, 1):
        W = parameters[f"W{l}"]
        grads[f"dZ{l}"] = np.zeros((W.shape[0], m))
        grads[f"dW{l}"] = W ** 2
        grads[f"db{l}"] = 2 * l * parameters[f"b{l}"]
        if l > 1:
            grads[f"dA{l - 1}"] = np.zeros((W.shape[1], m))
    return grads


def _scaled_cost(cost_fn, factor=-1000.0):
    def scaled(X, Y, parameters):
        cost, cache = cost_fn(X, Y, parameters)
        return factor * cost, cache
    return scaled


def check_gradient_check_n(fn):
    rng = np.random.default_rng(PUBLIC_SEED + 5)
    params, X, Y = _network(rng, LAYER_DIMS, 3)
    grads = _cubic_gradients(params, X.shape[1])
    if _calls(fn, (params, grads, X, Y), forward_propagation_n=_cubic_cost):
        _check_gradient_check_n_on_cubic(fn, params, grads, X, Y)
    else:
        _check_gradient_check_n_own_forward(fn)
    print("gradient_check_n: all public checks passed")


def _check_gradient_check_n_on_cubic(fn, params, grads, X, Y):
    kept = {k: v.copy() for k, v in params.items()}
    where = "gradient_check_n on J = sum(W^3) / 3 + l * sum(b^2) over the layers l"
    with _prefix(where), _rebound(fn, forward_propagation_n=_cubic_cost):
        quiet = _expect_print_msg_only_prints(fn, (params, grads, X, Y), "gradient_check_n")
        _check_unchanged(kept, params, "gradient_check_n")
        expect(quiet < THRESHOLD,
               f"the gradients are right, yet the difference is {quiet:.3g} > {THRESHOLD:g}: "
               f"is gradapprox[i] a centred difference that perturbs theta[i] alone, and are "
               f"grad and gradapprox in the same order (W1, b1, W2, b2, W3, b3)?")
        _expect_centred(fn, (params, grads, X, Y), "gradient_check_n", LARGE_STEP,
                        LARGER_STEP, LARGE_STEP_BOUND, "right gradients")
    for label, wrong in (("dW2 twice too large", dict(grads, dW2=2 * grads["dW2"])),
                         ("every gradient with the wrong sign",
                          {k: -v for k, v in grads.items()})):
        with _prefix(f"{where}, {label}"):
            with _rebound(fn, forward_propagation_n=_cubic_cost):
                off = _difference(fn(params, wrong, X, Y), "gradient_check_n")
            _expect_wrong(off)
            with _rebound(fn, forward_propagation_n=_scaled_cost(_cubic_cost)):
                scaled = _difference(fn(params, {k: -1000.0 * v for k, v in wrong.items()}, X, Y),
                                     "gradient_check_n")
            _expect_scale_free(off, scaled)


def _cross_entropy(A3, Y):
    """Mean cross-entropy of predictions A3 (1, m) against labels Y (1, m), in float64."""
    return float(-np.mean(Y * np.log(A3) + (1 - Y) * np.log(1 - A3)))


def _network_gradients(forward, params, X, Y):
    """dW1..db3 of the cost of ``forward``'s cache (its A3, in float64) by
    centred differences, plus zero dZ/dA entries as a backward pass returns them."""
    def cost():
        return _cross_entropy(forward(X, Y, params)[1][CACHE_NAMES.index("A3")], Y)

    grads = {f"d{k}": numerical_gradient(cost, params[k]) for k in PARAM_KEYS}
    for l in (1, 2, 3):
        grads[f"dZ{l}"] = np.zeros((params[f"W{l}"].shape[0], X.shape[1]))
        if l > 1:
            grads[f"dA{l - 1}"] = np.zeros((params[f"W{l}"].shape[1], X.shape[1]))
    return grads


def _check_gradient_check_n_own_forward(fn):
    """A checker that computes the cost itself, tried on the notebook's network
    with gradients from centred differences of your forward_propagation_n."""
    forward = _uses(fn, "forward_propagation_n", check_forward_propagation_n)
    rng = np.random.default_rng(PUBLIC_SEED + 6)
    params, X, Y = _network(rng, LAYER_DIMS, 3, margin=REAL_KINK_MARGIN)
    grads = _network_gradients(forward, params, X, Y)
    kept = {k: v.copy() for k, v in params.items()}
    where = ("gradient_check_n computes the cost itself (it does not call "
             "forward_propagation_n), so it is tried on the notebook's network, m=3")
    with _prefix(where):
        quiet = _expect_print_msg_only_prints(fn, (params, grads, X, Y), "gradient_check_n")
        _check_unchanged(kept, params, "gradient_check_n")
        expect(quiet < THRESHOLD,
               f"the gradients are right (centred differences of your forward_propagation_n), "
               f"yet the difference is {quiet:.3g} > {THRESHOLD:g}: is gradapprox[i] a centred "
               f"difference of the network's cost that perturbs theta[i] alone, in the order "
               f"W1, b1, W2, b2, W3, b3?")
        _expect_centred(fn, (params, grads, X, Y), "gradient_check_n", REAL_STEP,
                        REAL_LARGER_STEP, REAL_STEP_BOUND, "right gradients")
        with _prefix("with dW2 twice too large"):
            _expect_wrong(_difference(fn(params, dict(grads, dW2=2 * grads["dW2"]), X, Y),
                                      "gradient_check_n"))
        _expect_one(_difference(fn(params, {k: -v for k, v in grads.items()}, X, Y),
                                "gradient_check_n"))


# Every check's failure message is wrapped to fit nbgrader validate's lines.
fit_public_checks(globals())
