"""Hidden graders of the `gradient_checking` assignment.

Graded functions (shapes: X (n0, m), Y (1, m), W[l] (n[l], n[l-1]), b[l] (n[l], 1)):

- ``forward_propagation(x, theta)``: J = theta * x; ``backward_propagation(x, theta)``:
  dJ/dtheta = x.  x, theta are real numbers (the course's 1-D example); arrays
  are not part of the signature's contract, so they are not graded.
- ``gradient_check(x, theta, epsilon=1e-7, print_msg=False)`` and
  ``gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False)``:
  the relative difference ||grad - gradapprox||_2 / (||grad||_2 + ||gradapprox||_2)
  between a backward pass and centred differences of the cost.
- ``forward_propagation_n(X, Y, parameters) -> (cost, cache)``, the 3-layer
  LINEAR->RELU->LINEAR->RELU->LINEAR->SIGMOID net with mean cross-entropy;
  cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3).
- ``backward_propagation_n(X, Y, cache)`` -> dZ3, dW3, db3, dA2, dZ2, dW2, db2,
  dA1, dZ1, dW1, db1 (the notebook's draft with planted mistakes, fixed).

The gradient checkers are graded as checkers, never against one stored
number.  Their notebook globals (``forward_propagation``...) are rebound for
each call to probes from ``_gc_probes``: curved costs with backward functions
known to be right or wrong.  Each result is compared with the reference
checker's on the same probe, inputs and epsilon, and the verdict (above or
below the course's 2e-7) must come out right.  Three regimes:

- right backward, epsilon = 1e-7: the difference is round-off, ~1e-9;
- right backward, epsilon = 1e-3: the difference is the centred difference's
  O(epsilon^2) truncation error, ~1e-7, a deterministic number that a one-sided
  difference (O(epsilon)), an ignored epsilon or a wrong step misses;
- wrong backward: the difference is O(0.01..1) and fixed by the formula, so a
  difference of norms, a missing denominator or a squared norm shows.

Helpers: ``gradient_check_n`` is expected to call gc_utils'
``dictionary_to_vector``, ``vector_to_dictionary`` and ``gradients_to_vector``;
the graders rebind those too, to trusted copies (the reference's), so a grade
never depends on a gc_utils.py the student edited.  ``vector_to_dictionary``
cannot read shapes from a flat vector, so the checkers are graded on the
notebook's network (reference.LAYER_DIMS = (4, 5, 3, 1), 47 parameters) with
fresh values and several m; a checker that does not use the helpers (its own
flattening in the same order) is graded the same way.

A checker that computes the cost itself (its own forward pass, not the
notebook's ``forward_propagation_n``) never reaches the probes.  Each checker
test first asks whether it does (``_probes_nd``: one call with a
``forward_propagation_n`` that raises a sentinel); if not, the same test runs
on the notebook's network, where the checker's own forward pass computes the
real cost, with right and wrong gradients, against the reference's verdict and
value.  Likewise the 1-D checker may compute J = theta * x or its derivative
itself (``_cases_1d``); a "checker" that calls neither function checks nothing
the grader can vary, and gets no point.
"""

import numpy as np

from autograder.checks import context as _context
from autograder.checks import (StudentError, expect, expect_array, expect_close, expect_keys,
                               expect_same_again, expect_scalar, expect_scalar_close,
                               expect_sequence, fail)
from autograder.graders import _gc_probes as probes
from autograder.graders import VALUE_RTOL, grader_rng
from autograder.grading import graded
from autograder.numerics import EXACT_RTOL, GRADCHECK_RTOL, numerical_gradient, rel_error
from autograder.reference import gradient_checking as reference
from autograder.student import local_submission

# --- Tolerances ------------------------------------------------------------------
# The course's verdict: above this relative difference "there is a mistake".
COURSE_THRESHOLD = reference.COURSE_THRESHOLD

# Right backward, epsilon = 1e-7: the difference is round-off, ~ulp(J) /
# (epsilon |grad|), and which ulp depends on how a right answer perturbs theta
# ((theta + eps) - 2 eps is not always theta - eps): measured over 3,000 draws
# per 1-D probe, a restore-in-place checker and the reference differ by up to
# 3e-9 (one is sometimes 1000x the other, both tiny); the network probes give up
# to 7.5e-9.  So the comparison is absolute: within ROUNDOFF_ATOL, 4x the
# largest measured, still below the course's 2e-7 verdict.
ROUNDOFF_ATOL = 3e-8

# Right backward, epsilon = 1e-3: the difference is truncation error ~1e-7
# (measured 5e-8..1e-6), determined to ~1e-16 * |J| / epsilon / |grad| ~ 1e-13
# absolute, i.e. ~1e-6 relative.  1e-3 leaves a 1000x margin; a one-sided
# difference is off by ~1 (measured min 0.47 on these probes).
TRUNCATION_RTOL = 1e-3
LARGE_EPSILONS = (1e-3, 1e-2)

# Wrong backward: the difference is O(0.05..1) (wrong gradients are drawn at
# least MIN_WRONG apart), and round-off moves it by as much as it is for a right
# backward (up to ~7.5e-9 measured, absolute), so a value passes within
# WRONG_RTOL relative or ROUNDOFF_ATOL absolute.  A formula bug (squared norms,
# one norm in the denominator) is off by a factor: 1e6x the allowance.
WRONG_RTOL = 1e-6

# Inputs of the 1-D probes: |x|, |theta| in [0.5, 2], resampled until the right
# derivative is at least MIN_GRAD_1D in size (the relative difference of a
# near-zero gradient is round-off over round-off; with |grad| >= 0.3 every probe
# has |J| / |grad| <= 9 and the round-off difference stays below ~5e-9, measured)
# and a wrong backward is at least MIN_WRONG apart from the right one (so is a
# network probe's wrong gradient vector, _checker_inputs): a wrong difference is
# then >= ~0.05, and its round-off (< 1e-8 absolute) < 2e-7 of it, within WRONG_RTOL.
MIN_GRAD_1D = 0.3
MIN_WRONG = 0.05

# The notebook's network and two others, with the numbers of examples m.
NET_CONFIGS = (((4, 5, 3, 1), 3), ((3, 6, 4, 1), 8), ((5, 2, 7, 1), 1))
# The gradient checkers see the notebook's network only: gc_utils'
# vector_to_dictionary rebuilds that network's shapes (reference.LAYER_DIMS).
CHECKER_CONFIGS = ((reference.LAYER_DIMS, 3), (reference.LAYER_DIMS, 7))

# ReLU kinks: numerical gradients with h = GRADCHECK_STEP = 1e-6 are wrong for
# a pre-activation within ~h * |input| of 0.  Draws with any |Z1|, |Z2| below
# this margin are redrawn (a few percent of draws).
KINK_MARGIN = 1e-3

# Output pre-activations: |Z3| <= MAX_Z3, so A3 stays in [0.018, 0.982].  A
# checker computing the cost with its own forward pass may use the course's
# log(1 - A3), whose round-off grows as A3 nears 1: at Z3 ~ 10 it took a right
# checker's difference to 4.4e-7, over the course's 2e-7 (bench/salt_sweep.py,
# 1 salt in 30).  Draws with a larger |Z3| (~10% of them) are redrawn.
MAX_Z3 = 4.0

CACHE_NAMES = ("Z1", "A1", "W1", "b1", "Z2", "A2", "W2", "b2", "Z3", "A3", "W3", "b3")
GRAD_KEYS = ("dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1")
PARAM_KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")

_REFERENCE = local_submission(vars(reference))


# --- Helpers -------------------------------------------------------------------

def _draw_scalars(rng, case):
    """(x, theta) for a 1-D case, as Python floats (see MIN_GRAD_1D)."""
    while True:
        x, theta = (float(v) for v in rng.choice([-1.0, 1.0], 2) * rng.uniform(0.5, 2.0, 2))
        right = float(case.right_grad(x, theta))
        given = float(case.grad(x, theta))
        apart = abs(given - right) / (abs(given) + abs(right))
        if abs(right) >= MIN_GRAD_1D and (case.right or apart >= MIN_WRONG):
            return x, theta


def _draw_network(rng, dims, m):
    """parameters, X (n0, m), Y (1, m) for layer sizes ``dims``.

    Weights ~ N(0, 1.5^2 / n[l-1]) and biases ~ N(0, 0.5^2) keep Z3 moderate,
    and draws with |Z3| > MAX_Z3 (a saturated sigmoid) are redrawn; so are
    draws near a ReLU kink (KINK_MARGIN),
    and so are draws where a hidden layer's units are all on or all off: a
    backward pass that forgets a ReLU mask (db2 from dA2, not dZ2) is right
    when every unit is on (seen: 1 salt in 30 on the notebook's net, m=3).
    With m >= 2, Z3 takes both signs too: a ReLU before the output's sigmoid
    changes A3 only where Z3 < 0, and with every Z3 > 0 the cache test passed
    it (bench/salt_sweep.py: 10 salts in 200 named the cost only).
    """
    while True:
        params = {}
        for l in range(1, len(dims)):
            params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * 1.5 / np.sqrt(dims[l - 1])
            params[f"b{l}"] = rng.standard_normal((dims[l], 1)) * 0.5
        X = rng.standard_normal((dims[0], m))
        Y = (rng.random((1, m)) < 0.5).astype(np.float64)
        cache = reference.forward_propagation_n(X, Y, params)[1]
        Z1, Z2, Z3 = cache[0], cache[4], cache[8]
        away_from_kinks = min(np.abs(Z1).min(), np.abs(Z2).min()) > KINK_MARGIN
        masks_matter = all((Z < 0).any() and (Z > 0).any()
                           for Z in ((Z1, Z2, Z3) if m >= 2 else (Z1, Z2)))
        if away_from_kinks and masks_matter and np.abs(Z3).max() <= MAX_Z3:
            return params, X, Y


def _expect_difference(value, function, print_msg):
    """The checker's return value: a real number >= 0.  Returns it as a float."""
    if value is None:
        fail(f"{function} returned None (print_msg={print_msg}): it must return the "
             f"difference, a float, whether or not it prints")
    if type(value) is bool:
        fail(f"{function} returned a bool ({value}): return the difference itself (a float), "
             f"not whether it is small")
    difference = expect_scalar(value, f"{function}'s return value")
    expect(np.isfinite(difference), f"{function} returned {difference}")
    expect(difference >= 0,
           f"{function} returned {difference:.3g}, a negative difference: the numerator is "
           f"the norm of the difference, ||grad - gradapprox||_2, never negative "
           f"(np.linalg.norm, not np.sum)")
    return difference


def _reaches(student, function, args, kwargs, overrides):
    """Does the student's ``function`` call what ``overrides`` rebinds to a
    sentinel (``probes.sentinel``)?  Another error of the student's code is
    theirs: it propagates (a stub's NotImplementedError is graded as such)."""
    try:
        value = getattr(student, function).call(args, dict(kwargs, print_msg=False),
                                                overrides=overrides).value
    except StudentError as exc:
        if probes.SENTINEL in str(exc):
            return True
        raise
    _expect_difference(value, function, False)     # None, junk: said as such
    return False


def _both(student, function, args, kwargs, overrides, print_msg=False):
    """(the student's difference, the reference's) on one probe call.  The
    reference never prints (the CLI's stdout is its report)."""
    got = getattr(student, function).call(args, dict(kwargs, print_msg=print_msg),
                                          overrides=overrides).value
    want = getattr(_REFERENCE, function).call(args, dict(kwargs, print_msg=False),
                                              overrides=overrides).value
    return _expect_difference(got, function, print_msg), want


_WHY_CENTRED = ("is gradapprox the centred difference (J(theta + epsilon) - J(theta - epsilon)) "
                "/ (2 epsilon), with the epsilon argument?")
_WHY_FORMULA = ("the difference is the norm of the difference over the sum of the norms, "
                "||grad - gradapprox||_2 / (||grad||_2 + ||gradapprox||_2)")
_WHY_ORDER = ("And are grad and gradapprox in the same order (W1, b1, W2, b2, W3, b3, as "
              "dictionary_to_vector and gradients_to_vector give them), and does entry i of "
              "gradapprox perturb theta[i] alone, from an unchanged copy of theta?")


def _check_right(function, where, got, want):
    """A right backward at the default epsilon: round-off regime."""
    expect(got <= COURSE_THRESHOLD,
           f"{where}: returned {got:.3g} for a backward pass that is right; a right check "
           f"gives about {want:.1e}, below the course's threshold {COURSE_THRESHOLD:g}: "
           + _WHY_CENTRED + (" " + _WHY_ORDER if function == "gradient_check_n" else ""))
    expect(abs(got - want) <= ROUNDOFF_ATOL,
           f"{where}: returned {got:.3g} for a backward pass that is right, expected about "
           f"{want:.1e} (round-off; allowed difference {ROUNDOFF_ATOL:g}): {_WHY_CENTRED}")


def _check_truncation(where, got, want):
    err = float(rel_error(got, want))
    expect(err <= TRUNCATION_RTOL,
           f"{where}: returned {got:.4g}, expected {want:.4g} (rel. error {err:.1e} > tol "
           f"{TRUNCATION_RTOL:g}); at a large epsilon a centred difference is still off by "
           f"only O(epsilon^2), a one-sided one by O(epsilon): {_WHY_CENTRED}")


def _expect_wrong_verdict(where, got, want):
    assert want > COURSE_THRESHOLD, f"grader bug: the wrong backward at {where} looks right"
    expect(got > COURSE_THRESHOLD,
           f"{where}: returned {got:.3g} for a backward pass that is wrong (expected "
           f"{want:.4g}, above the course's threshold {COURSE_THRESHOLD:g}): {_WHY_FORMULA}")


def _check_wrong(where, got, want):
    """A wrong backward: the verdict, then the value of the formula."""
    _expect_wrong_verdict(where, got, want)
    err = float(rel_error(got, want))
    expect(err <= WRONG_RTOL or abs(got - want) <= ROUNDOFF_ATOL,
           f"{where}: returned {got:.4g} for a backward pass that is wrong, expected "
           f"{want:.4g} (rel. error {err:.1e} > tol {WRONG_RTOL:g}, and off by "
           f"{abs(got - want):.1e} > {ROUNDOFF_ATOL:g}, more than round-off): {_WHY_FORMULA}")


# --- forward_propagation / backward_propagation (1-D) ----------------------------

def _scalar_inputs(test_name):
    rng = grader_rng(test_name)
    pairs = [(2.0, 4.0), (-3.0, 0.5), (0.0, 1.7), (1.25, 0.0)]
    pairs += [tuple(float(v) for v in rng.normal(0, 3, 2)) for _ in range(6)]
    return pairs


@graded("forward_propagation", points=1)
def test_forward_propagation_value(student):
    for x, theta in _scalar_inputs("test_forward_propagation_value"):
        J = student.forward_propagation(x, theta)
        expect_scalar_close(J, theta * x, f"forward_propagation(x={x:.4g}, theta={theta:.4g}) "
                                          f"(J = theta * x)", VALUE_RTOL)


@graded("backward_propagation", points=1)
def test_backward_propagation_value(student):
    for x, theta in _scalar_inputs("test_backward_propagation_value"):
        dtheta = student.backward_propagation(x, theta)
        expect_scalar_close(dtheta, x, f"backward_propagation(x={x:.4g}, theta={theta:.4g}) "
                                       f"(dJ/dtheta of J = theta * x)", VALUE_RTOL)


# --- gradient_check (1-D) --------------------------------------------------------

def _cases_1d(student):
    """(right, curved, wrong) cases of ``probes.CASES_1D`` for what the
    student's gradient_check calls; fails if it calls neither function."""
    linear = probes.RIGHT_1D[0]
    calls = tuple(
        _reaches(student, "gradient_check", (1.5, 0.75), {"epsilon": 1e-7},
                 dict(probes.overrides_1d(linear), **{name: probes.sentinel(name)}))
        for name in ("forward_propagation", "backward_propagation"))
    if calls not in probes.CASES_1D:
        fail("gradient_check calls neither forward_propagation nor backward_propagation: it "
             "must check backward_propagation(x, theta) against centred differences of "
             "forward_propagation(x, theta), the functions it is given")
    return probes.CASES_1D[calls]


def _where_1d(case, x, theta, epsilon):
    return f"gradient_check on {case.label}, x={x:.4g}, theta={theta:.4g}, epsilon={epsilon:g}"


def _check_print_msg(function, where, values, want):
    """Same difference with print_msg False and True, and the right one
    (``want``, a wrong backward's O(1) difference)."""
    expect(values[False] == values[True] or rel_error(values[False], values[True]) <= EXACT_RTOL,
           f"{where}: returned {values[False]:.4g} with print_msg=False but "
           f"{values[True]:.4g} with print_msg=True; print_msg only decides whether to print")
    _check_wrong(where, values[False], want)


@graded("gradient_check", points=1)
def test_gradient_check_returns_the_difference(student):
    """A float whatever print_msg says, and the right one."""
    rng = grader_rng("test_gradient_check_returns_the_difference")
    case = _cases_1d(student)[2][0]  # its difference depends on x and theta: no stub can guess it
    while True:                 # ... unless x and theta have opposite signs (difference 1)
        x, theta = _draw_scalars(rng, case)
        given, right = float(case.grad(x, theta)), float(case.right_grad(x, theta))
        if 0.05 <= abs(given - right) / (abs(given) + abs(right)) <= 0.95:
            break
    values = {}
    for print_msg in (False, True):
        values[print_msg], want = _both(student, "gradient_check", (x, theta),
                                        {"epsilon": 1e-7}, probes.overrides_1d(case), print_msg)
    _check_print_msg("gradient_check", _where_1d(case, x, theta, 1e-7), values, want)


@graded("gradient_check", points=1)
def test_gradient_check_tells_right_from_wrong(student):
    """Right backward: round-off, below 2e-7.  Wrong backward: above 2e-7."""
    rng = grader_rng("test_gradient_check_tells_right_from_wrong")
    right, _, wrong = _cases_1d(student)
    for case in right + wrong:
        for _ in range(2 if case.right else 1):
            x, theta = _draw_scalars(rng, case)
            got, want = _both(student, "gradient_check", (x, theta), {"epsilon": 1e-7},
                              probes.overrides_1d(case))
            where = _where_1d(case, x, theta, 1e-7)
            if case.right:
                _check_right("gradient_check", where, got, want)
            else:
                _expect_wrong_verdict(where, got, want)


@graded("gradient_check", points=1)
def test_gradient_check_centred_difference(student):
    """Curved costs at large epsilons: the centred difference's truncation error.
    A checker with its own forward pass (J = theta * x, no curvature) or its
    own derivative: the right case and the wrong ones at large epsilons."""
    rng = grader_rng("test_gradient_check_centred_difference")
    right, curved, wrong = _cases_1d(student)
    for case in curved or right + wrong:
        for epsilon in LARGE_EPSILONS:
            x, theta = _draw_scalars(rng, case)
            got, want = _both(student, "gradient_check", (x, theta), {"epsilon": epsilon},
                              probes.overrides_1d(case))
            where = _where_1d(case, x, theta, epsilon)
            if case in curved:
                _check_truncation(where, got, want)
            elif case.right:
                _check_right("gradient_check", where, got, want)
            else:
                _check_wrong(where, got, want)


@graded("gradient_check", points=1)
def test_gradient_check_wrong_backward(student):
    rng = grader_rng("test_gradient_check_wrong_backward")
    for case in _cases_1d(student)[2]:
        x, theta = _draw_scalars(rng, case)
        got, want = _both(student, "gradient_check", (x, theta), {"epsilon": 1e-7},
                          probes.overrides_1d(case))
        _check_wrong(_where_1d(case, x, theta, 1e-7), got, want)


# --- forward_propagation_n -------------------------------------------------------

def _net_where(function, dims, m):
    return f"{function} with layer sizes {list(dims)} and m={m}"


def _call_forward_n(student, params, X, Y, where):
    call = student.forward_propagation_n.call((X, Y, params), again=True)
    with _context(where):
        result = expect_sequence(call.value, 2, "forward_propagation_n's return value (cost, cache)")
        expect_same_again(call, "forward_propagation_n", inputs="X, Y or parameters")
    return result


@graded("forward_propagation_n", points=1)
def test_forward_propagation_n_cost(student):
    rng = grader_rng("test_forward_propagation_n_cost")
    for dims, m in NET_CONFIGS:
        params, X, Y = _draw_network(rng, dims, m)
        where = _net_where("forward_propagation_n", dims, m)
        cost, _ = _call_forward_n(student, params, X, Y, where)
        # Independent of the reference's log(sigmoid) path: log(sigmoid(z)) =
        # -logaddexp(0, -z) and log(1 - sigmoid(z)) = -logaddexp(0, z).
        Z3 = reference.forward_propagation_n(X, Y, params)[1][8]
        expected = float(np.sum(Y * np.logaddexp(0, -Z3) + (1 - Y) * np.logaddexp(0, Z3)) / m)
        with _context(where):
            expect_scalar_close(cost, expected, "cost (mean cross-entropy over the m examples)",
                                VALUE_RTOL)


@graded("forward_propagation_n", points=1)
def test_forward_propagation_n_cache(student):
    rng = grader_rng("test_forward_propagation_n_cache")
    for dims, m in NET_CONFIGS:
        params, X, Y = _draw_network(rng, dims, m)
        where = _net_where("forward_propagation_n", dims, m)
        _, cache = _call_forward_n(student, params, X, Y, where)
        _, want = reference.forward_propagation_n(X, Y, params)
        with _context(where):
            expect_sequence(cache, len(CACHE_NAMES),
                            "the cache (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)")
            for i, (name, desired) in enumerate(zip(CACHE_NAMES, want)):
                label = f"cache[{i}] ({name})"
                expect_array(cache[i], label, desired.shape)
                expect_close(cache[i], desired, label, VALUE_RTOL)


# --- backward_propagation_n ------------------------------------------------------

def _call_backward_n(student, X, Y, cache, where, again=False):
    call = student.backward_propagation_n.call((X, Y, cache), again=again)
    with _context(where):
        grads = expect_keys(call.value, GRAD_KEYS, "backward_propagation_n's return value")
        for key in GRAD_KEYS:
            expect_array(grads[key], key, cache[CACHE_NAMES.index(key[1:])].shape)
    return call


@graded("backward_propagation_n", points=2)
def test_backward_propagation_n_parameter_gradients(student):
    """dW/db against centred differences of the reference cost."""
    rng = grader_rng("test_backward_propagation_n_parameter_gradients")
    for dims, m in NET_CONFIGS:
        params, X, Y = _draw_network(rng, dims, m)
        _, cache = reference.forward_propagation_n(X, Y, params)
        where = _net_where("backward_propagation_n", dims, m)
        grads = _call_backward_n(student, X, Y, cache, where).value
        for key in PARAM_KEYS:
            numeric = numerical_gradient(
                lambda: reference.forward_propagation_n(X, Y, params)[0], params[key])
            with _context(f"{where}: d{key} does not match centred differences of the cost"):
                expect_close(grads[f"d{key}"], numeric, f"d{key}", GRADCHECK_RTOL)


@graded("backward_propagation_n", points=1)
def test_backward_propagation_n_intermediates(student):
    """dZ3, dA2, dZ2, dA1, dZ1 as the chain rule gives them (not divided by m)."""
    rng = grader_rng("test_backward_propagation_n_intermediates")
    for dims, m in NET_CONFIGS:
        params, X, Y = _draw_network(rng, dims, m)
        _, cache = reference.forward_propagation_n(X, Y, params)
        where = _net_where("backward_propagation_n", dims, m)
        call = _call_backward_n(student, X, Y, cache, where, again={1: 1 - Y})
        want = reference.backward_propagation_n(X, Y, cache)
        with _context(where):
            for key in ("dZ3", "dA2", "dZ2", "dA1", "dZ1"):
                expect_close(call.value[key], want[key], key, VALUE_RTOL)
        # again on the same X and cache with the labels flipped, against the
        # reference on the original objects: a changed input shows
        want = reference.backward_propagation_n(X, 1 - Y, cache)
        second = expect_keys(call.again, GRAD_KEYS, "backward_propagation_n's return value")
        with _context(f"{where}, called a second time on the same X and cache with the labels "
                      "flipped: if the first answer was right, this one differs because the "
                      "first call changed X, Y or the cache in place"):
            for key in ("dZ3", "dA2", "dZ2", "dA1", "dZ1", *GRAD_KEYS):
                expect_close(second[key], want[key], key, VALUE_RTOL)


# --- gradient_check_n ------------------------------------------------------------

def _apart(grads, other):
    """||g - g'|| / (||g|| + ||g'||) over dW1..db3: how far two gradients are."""
    return reference._relative_difference(reference.gradients_to_vector(grads),
                                          reference.gradients_to_vector(other))


def _checker_inputs(rng, probe, dims, m, wrong=None, apart=None):
    """parameters, gradients (right, or ``wrong`` of the right ones), X, Y.
    Redrawn until ``wrong`` (and ``apart``, a wrong the caller applies later)
    is at least MIN_WRONG apart from the right gradients, as the 1-D probes
    are: a wrong entry tiny next to the rest (db3 three times too large with b3
    near 0) made a difference of 6e-5, whose round-off (~1e-10) exceeded
    WRONG_RTOL for a right checker; two all-zero rows of dW1 (units off for
    every example) swapped are no wrong at all (bench/salt_sweep.py)."""
    for _ in range(1000):
        params, X, Y = _draw_network(rng, dims, m)
        grads = probe.gradients(X, Y, params)
        if all(_apart(grads, w(grads)) >= MIN_WRONG for w in (wrong, apart) if w):
            return params, (grads if wrong is None else wrong(grads)), X, Y
    raise RuntimeError(f"could not draw gradients that {probe.label} makes wrong enough")


def _probes_nd(student):
    """The probes if the student's gradient_check_n calls forward_propagation_n,
    else the notebook's network, where its own forward pass is the cost."""
    rng = grader_rng("gradient_check_n calls forward_propagation_n")
    args = _checker_inputs(rng, probes.TANH_NET, *CHECKER_CONFIGS[0])
    if _reaches(student, "gradient_check_n", args, {"epsilon": 1e-7}, probes.SENTINEL_ND):
        return probes.PROBES_ND
    return (probes.REAL_NET,)


def _where_nd(probe, m, epsilon, wrong_label=None):
    text = f"gradient_check_n on {probe.label} (m={m}, epsilon={epsilon:g})"
    return text + (f" with {wrong_label}" if wrong_label else "")


@graded("gradient_check_n", points=1)
def test_gradient_check_n_returns_the_difference(student):
    """A float whatever print_msg says, and the right one."""
    rng = grader_rng("test_gradient_check_n_returns_the_difference")
    dims, m = CHECKER_CONFIGS[0]
    wrong_label, wrong = probes.WRONG_GRADIENTS[0]
    probe = _probes_nd(student)[0]
    args = _checker_inputs(rng, probe, dims, m, wrong)
    values = {}
    for print_msg in (False, True):
        values[print_msg], want = _both(student, "gradient_check_n", args, {"epsilon": 1e-7},
                                        probes.overrides_nd(probe), print_msg)
    _check_print_msg("gradient_check_n", _where_nd(probe, m, 1e-7, wrong_label), values, want)


@graded("gradient_check_n", points=1)
def test_gradient_check_n_tells_right_from_wrong(student):
    """Right gradients: round-off, below 2e-7, inputs left as they were.
    Wrong gradients: above 2e-7."""
    rng = grader_rng("test_gradient_check_n_tells_right_from_wrong")
    for probe in _probes_nd(student):
        for dims, m in CHECKER_CONFIGS:
            # called a second time on the same parameters, X and Y with a wrong
            # backward's gradients: a checker that left the parameters changed, or
            # replays its first answer, does not give the wrong-backward verdict
            wrong_label, wrong = probes.WRONG_GRADIENTS[-1]
            params, grads, X, Y = _checker_inputs(rng, probe, dims, m, apart=wrong)
            where = _where_nd(probe, m, 1e-7)
            call = student.gradient_check_n.call((params, grads, X, Y), {"epsilon": 1e-7},
                                                 overrides=probes.overrides_nd(probe),
                                                 again={1: wrong(grads)})
            got = _expect_difference(call.value, "gradient_check_n", False)
            want = _REFERENCE.gradient_check_n.call((params, grads, X, Y), {"epsilon": 1e-7},
                                                    overrides=probes.overrides_nd(probe)).value
            _check_right("gradient_check_n", where, got, want)
            again = _expect_difference(call.again, "gradient_check_n", False)
            want = _REFERENCE.gradient_check_n.call((params, wrong(grads), X, Y),
                                                    {"epsilon": 1e-7},
                                                    overrides=probes.overrides_nd(probe)).value
            _expect_wrong_verdict(f"{where}, called a second time on the same parameters with "
                                  f"{wrong_label} (perturb a copy of theta, never the "
                                  "parameters or gradients themselves)", again, want)
        wrong_label, wrong = probes.WRONG_GRADIENTS[-1]
        args = _checker_inputs(rng, probe, *CHECKER_CONFIGS[0], wrong)
        got, want = _both(student, "gradient_check_n", args, {"epsilon": 1e-7},
                          probes.overrides_nd(probe))
        _expect_wrong_verdict(_where_nd(probe, CHECKER_CONFIGS[0][1], 1e-7, wrong_label),
                              got, want)


@graded("gradient_check_n", points=1)
def test_gradient_check_n_centred_difference(student):
    rng = grader_rng("test_gradient_check_n_centred_difference")
    dims, m = CHECKER_CONFIGS[0]
    for probe in _probes_nd(student):
        for epsilon in LARGE_EPSILONS:
            args = _checker_inputs(rng, probe, dims, m)
            got, want = _both(student, "gradient_check_n", args, {"epsilon": epsilon},
                              probes.overrides_nd(probe))
            _check_truncation(_where_nd(probe, m, epsilon), got, want)


@graded("gradient_check_n", points=1)
def test_gradient_check_n_wrong_backward(student):
    rng = grader_rng("test_gradient_check_n_wrong_backward")
    dims, m = CHECKER_CONFIGS[1]
    for probe in _probes_nd(student):
        for wrong_label, wrong in probes.WRONG_GRADIENTS:
            args = _checker_inputs(rng, probe, dims, m, wrong)
            got, want = _both(student, "gradient_check_n", args, {"epsilon": 1e-7},
                              probes.overrides_nd(probe))
            _check_wrong(_where_nd(probe, m, 1e-7, wrong_label), got, want)
