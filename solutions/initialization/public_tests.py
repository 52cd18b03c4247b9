"""Public checks for the initialization notebook: one check_<function>(fn) each.

They test what any right answer must satisfy (keys, shapes, float arrays,
zero biases, the spread the notebook asks for, the use of numpy's global
RNG) and say what is wrong.  They do not hold expected outputs, and they put
numpy's global RNG back as they found it, so running them changes nothing
in the notebook.  The graders run more checks when the notebook is graded.
"""
from contextlib import contextmanager

import numpy as np

from checks import fit_public_checks
from checks import expect, expect_array, expect_keys, fail

# Small layer lists: the course's network, 1-unit layers, a single layer.
LAYOUTS = ([2, 10, 5, 1], [3, 1, 1], [4, 1], [6, 8, 4, 3, 1])

# A layer list for the spread checks: every fan-in n[l-1] differs from the
# fan-out n[l], and W1 and W2 hold 30,000 and 20,000 weights, so a sample std
# is within 0.5% (one standard error) of the true one; SPREAD_RTOL (15%, 30
# standard errors) is far outside that noise yet catches a wrong factor:
# fan-out instead of fan-in is off by +73% on W1 and -29% on W2, sqrt(1/n) by -29%.
SPREAD_DIMS = [300, 100, 200, 1]
SPREAD_RTOL = 0.15
# The sample mean of 20,000 draws has standard error std / 141: 0.05 * std is 7 of them.
MEAN_RTOL = 0.05
# A normal draw puts 4.55% of its values beyond 2 std (standard error 0.15% on
# 20,000 draws); a uniform one puts none there.  2% is 17 standard errors below.
MIN_TAIL = 0.02


@contextmanager
def _seeded(seed):
    """Seed numpy's global RNG for a check, then restore its previous state."""
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


def _call(fn, dims, seed=0):
    """fn(dims) under a seed, with its layout checked; returns the dict."""
    name = getattr(fn, "__name__", "your function")
    arg = list(dims)
    with _seeded(seed):
        params = fn(arg)
    where = f"{name}({dims})"
    expect(arg == list(dims), f"{where} changed its argument layers_dims to {arg}")
    L = len(dims) - 1
    keys = [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]
    if params is None:
        fail(f"{where} returned None: did you forget `return parameters`?")
    expect_keys(params, keys, f"{where}'s return value")
    extra = sorted(set(params) - set(keys))
    expect(not extra, f"{where} has unexpected key(s) {', '.join(extra)}: "
                      f"one W and one b per layer, for l = 1 .. {L}")
    for l in range(1, L + 1):
        expect_array(params[f"W{l}"], f"{where}: W{l}", (dims[l], dims[l - 1]))
        expect_array(params[f"b{l}"], f"{where}: b{l}", (dims[l], 1))
    return params


def _check_zero_biases(params, dims, name):
    for l in range(1, len(dims)):
        expect(not np.any(params[f"b{l}"]),
               f"{name}({dims}): b{l} is not all zeros; biases must start at zero")


def _check_random_draws(fn, std_of_fan_in, how):
    """Shared by the two random initializers: layout, zero biases, spread, seeding."""
    name = getattr(fn, "__name__", "your function")
    for dims in LAYOUTS:
        _check_zero_biases(_call(fn, dims), dims, name)

    params = _call(fn, SPREAD_DIMS)
    for l in range(1, len(SPREAD_DIMS) - 1):       # the two big layers
        W, fan_in = params[f"W{l}"], SPREAD_DIMS[l - 1]
        want = std_of_fan_in(fan_in)
        got = float(W.std())
        expect(abs(float(W.mean())) <= MEAN_RTOL * got,
               f"{name}({SPREAD_DIMS}): the weights of W{l} average {float(W.mean()):.4g}; "
               f"they should be centred at 0 (np.random.randn, not np.random.rand)")
        expect(abs(got / want - 1) <= SPREAD_RTOL,
               f"{name}({SPREAD_DIMS}): W{l} {W.shape} has standard deviation {got:.4g}, "
               f"but {how} gives {want:.4g} for this layer")
        beyond = float(np.mean(np.abs(W - W.mean()) > 2 * got))
        expect(beyond >= MIN_TAIL,
               f"{name}({SPREAD_DIMS}): only {beyond:.2%} of W{l} lies beyond 2 standard "
               f"deviations (a normal draw puts 4.55% there): draw with np.random.randn")
        expect(len({row.tobytes() for row in W}) == W.shape[0],
               f"{name}({SPREAD_DIMS}): some rows of W{l} are identical; every unit needs "
               f"its own random weights")

    dims = [5, 4, 3]
    first, again, other = _call(fn, dims, seed=1), _call(fn, dims, seed=1), _call(fn, dims, seed=2)
    expect(np.array_equal(first["W1"], again["W1"]),
           f"{name}: two calls after np.random.seed(1) gave different W1: draw from "
           f"numpy's global RNG (np.random.randn)")
    expect(not np.array_equal(first["W1"], other["W1"]),
           f"{name}: two calls after different seeds gave identical W1: are you calling "
           f"np.random.seed inside the function? Don't reseed: the notebook seeds once")


def check_initialize_parameters_zeros(fn):
    """Every array zero, with the right keys, shapes and float dtype."""
    for dims in LAYOUTS:
        params = _call(fn, dims)
        for key, value in params.items():
            expect(not np.any(value), f"initialize_parameters_zeros({dims}): {key} is not all zeros")
    print("initialize_parameters_zeros: all public checks passed")


def check_initialize_parameters_random(fn):
    """N(0, 1) * 10 weights, zero biases, drawn from numpy's global RNG."""
    _check_random_draws(fn, lambda fan_in: 10.0, "np.random.randn(...) * 10")
    print("initialize_parameters_random: all public checks passed")


def check_initialize_parameters_he(fn):
    """N(0, 1) * sqrt(2 / n[l-1]) weights, zero biases, drawn from the global RNG."""
    _check_random_draws(fn, lambda fan_in: np.sqrt(2.0 / fan_in),
                        "He's factor sqrt(2 / n[l-1]), with n[l-1] this layer's fan-in,")
    print("initialize_parameters_he: all public checks passed")


# Every check's failure message is wrapped to fit nbgrader validate's lines.
fit_public_checks(globals())
