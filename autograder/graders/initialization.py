"""Hidden graders of the `initialization` assignment.

Three graded functions, each ``f(layers_dims) -> {"W1", "b1", ..., "WL", "bL"}``
with ``W[l]: (n[l], n[l-1])`` and ``b[l]: (n[l], 1)``, float arrays:

- ``initialize_parameters_zeros``: everything zero;
- ``initialize_parameters_random``: ``W[l] ~ N(0, 1) * 10``, zero biases;
- ``initialize_parameters_he``: ``W[l] ~ N(0, 1) * sqrt(2 / n[l-1])`` (fan-in),
  zero biases.

Nothing here compares with numbers stored from a reference run.  The random
initializers are graded on what makes them right: layout, zero biases, each
layer's sample mean and variance against its own target (statistical bounds
derived below), the shape of the distribution (normal, not uniform), units
that differ from one another, and the use of numpy's global RNG (reproducible
under a seed, different across seeds, never reseeded inside).
"""

import numpy as np

from autograder.checks import context as _context
from autograder.checks import expect, expect_array, expect_finite, expect_keys, fail
from autograder.graders import grader_rng
from autograder.grading import figure, graded

# --- Statistical bounds ------------------------------------------------------
# For N independent draws w_i ~ N(0, s^2):
#   sample mean            : standard error s / sqrt(N)
#   sample variance / s^2  : chi2_{N-1} / (N-1), standard error sqrt(2 / (N-1))
#   sample excess kurtosis : standard error sqrt(24 / N)   (0 for a normal)
# With N >= MIN_STAT_SAMPLES these are normal to a very good approximation (the
# skewness of chi2_{N-1}/(N-1) is sqrt(8/(N-1)) < 0.03).  A two-sided bound of
# Z_BOUND = 6 standard errors is exceeded by a correct answer with probability
# 2e-9 per statistic; the graders below test fewer than 40 statistics per
# submission, so a correct answer loses points with probability < 1e-7.
Z_BOUND = 6.0
MIN_STAT_SAMPLES = 10_000

# Layers for the statistics: every layer has n[l] != n[l-1] (ratios 1/3, 9/4,
# 2/9), so a scale computed from the fan-out n[l] misses the fan-in target by a
# factor >= 2.25 in variance; fan-ins 600, 200, 450 all differ, so one factor for
# every layer fails somewhere.  The smallest layer has 45,000 weights: its
# variance bound is 6 * sqrt(2 / 45,000) = 4.0%, which still rejects
# sqrt(1/n) (Xavier: -50%), sqrt(2/(n[l-1]+n[l])) (Glorot: -25% on W1, -69% on W2),
# 2/n without sqrt, x0.01, and a missing or extra x10 by orders of magnitude.
STAT_DIMS = (600, 200, 450, 100)

# Layer lists for the layout checks: a deep net, 1-unit layers (inside, at the
# input, at the output), a single layer (len(layers_dims) == 2), and the
# course's [2, 10, 5, 1].
LAYOUT_DIMS = ([2, 10, 5, 1], [3, 1, 1], [1, 4, 1], [5, 1],
               [7, 30, 20, 10, 4, 1], [4, 6, 3, 8, 2, 5, 1])

def _stat_dims(test_name):
    """STAT_DIMS moved by up to 10% per submission (salted, see grader_rng): no
    stored sample of fixed shapes fits, and fan-in still differs from fan-out."""
    rng = grader_rng(test_name + ":dims")
    return tuple(int(n + rng.integers(-n // 10, n // 10 + 1)) for n in STAT_DIMS)


def _drawn_layout(test_name):
    """One more layer list per submission: 2 to 5 layers of 1 to 12 units."""
    rng = grader_rng(test_name + ":layout")
    return [int(n) for n in rng.integers(1, 13, size=int(rng.integers(2, 6)))]


# Layer list for the seeding checks: small, several layers.
SEED_DIMS = (20, 15, 10, 1)

RANDOM_STD = 10.0   # initialize_parameters_random: N(0, 1) * 10


# Entries of a weight matrix kept for the feedback's histogram (figures.py).
FIGURE_VALUES = 2000


def _he_std(fan_in):
    """He et al. (2015): std sqrt(2 / n[l-1]), the layer's own fan-in."""
    return float(np.sqrt(2.0 / fan_in))


# --- Helpers -----------------------------------------------------------------

def _keys(L, parts="Wb"):
    return [f"{p}{l}" for l in range(1, L + 1) for p in parts]


def _check_layout(params, layers_dims, function, parts="Wb", exact=False):
    """The keys W1, b1, ..., WL, bL; float arrays of the right shapes.

    parts: "Wb" checks every array; "W" or "b" only the arrays a test uses, so
    that one bug (say biases of shape (n,)) costs the tests about biases, not
    every test.  exact: also no other keys (the layout tests).
    """
    L = len(layers_dims) - 1
    keys = _keys(L, parts)
    expect_keys(params, keys, f"{function}'s return value")
    if exact:
        extra = sorted(k for k in params if k not in keys)
        expect(not extra, f"{function}'s return value has unexpected key(s) {', '.join(extra)}; "
                          f"expected exactly {', '.join(keys)} (one W and one b per layer, "
                          f"L = len(layers_dims) - 1 = {L})")
    for l in range(1, L + 1):
        if "W" in parts:
            expect_array(params[f"W{l}"], f"W{l}", (layers_dims[l], layers_dims[l - 1]))
        if "b" in parts:
            expect_array(params[f"b{l}"], f"b{l}", (layers_dims[l], 1))


def _layout(value):
    """{key: shape} of a returned dict (None for anything else)."""
    if type(value) is not dict:
        return None
    return {k: getattr(v, "shape", type(v).__name__) for k, v in value.items()}


def _initialize(student, function, dims, rng_seed, parts="Wb", exact=False):
    """Call ``function(dims)`` under ``rng_seed``; check its layout (see
    _check_layout for ``parts``); return the dict."""
    dims = list(dims)
    with _context(f"layers_dims={dims}"):
        call = getattr(student, function).call((dims,), rng_seed=rng_seed, again=True)
        _check_layout(call.value, dims, function, parts, exact)
        # a second call on the same list: a function that changed layers_dims
        # builds another layout (reproducibility has its own tests)
        expect(_layout(call.again) == _layout(call.value),
               f"{function} built other arrays when called a second time with the same "
               "layers_dims: it changes its argument layers_dims (work on a copy)")
    return call.value


def _seed(test_name):
    return int(grader_rng(test_name).integers(2**31))


def _expect_all_zero(array, name, why):
    nonzero = np.argwhere(array != 0)
    if nonzero.size:
        index = tuple(int(i) for i in nonzero[0])
        fail(f"{name} is not all zeros: {len(nonzero)}/{array.size} entries are not, "
             f"e.g. {name}{list(index)} = {array[index]:.4g} ({why})")


def _expect_normal_scale(W, name, std, target):
    """Sample mean ~ 0 and sample variance ~ std**2, within Z_BOUND standard errors.

    W: (n[l], n[l-1]) float array with at least MIN_STAT_SAMPLES entries.
    std: the standard deviation the weights must be drawn with.
    target: how the expected variance reads to a student, e.g. "2 / 600".
    """
    n = W.size
    assert n >= MIN_STAT_SAMPLES, "grader bug: layer too small for the statistical bounds"
    expect_finite(W, name)
    w = W.astype(np.float64).ravel()
    # The mean is judged against the sample's own spread (a t-test), so a wrong
    # scale is reported by the variance check below, not as an off-centre mean.
    mean_bound = Z_BOUND * float(w.std()) / np.sqrt(n)
    mean = float(w.mean())
    expect(abs(mean) <= mean_bound,
           f"{name} {W.shape}: sample mean {mean:.4g} over {n} weights, expected 0 within "
           f"±{mean_bound:.3g} ({Z_BOUND:g} standard errors): draw weights centred at 0 "
           f"(np.random.randn is N(0, 1); np.random.rand is uniform on [0, 1))")
    var = float(w.var())
    rel_bound = Z_BOUND * np.sqrt(2.0 / (n - 1))
    expect(np.isfinite(var) and abs(var / std**2 - 1) <= rel_bound,
           f"{name} {W.shape}: sample variance {var:.4g} over {n} weights, expected "
           f"{target} = {std**2:.4g} within ±{rel_bound:.1%} ({Z_BOUND:g} standard errors); "
           f"ratio got/expected = {var / std**2:.3g}")


def _standardized(W):
    w = W.astype(np.float64).ravel()
    sd = w.std()
    return (w - w.mean()) / (sd if sd > 0 else 1.0)


def _expect_normal_shape(params, L, function):
    """The weights, each layer standardized, have the kurtosis of a normal.

    Why test the shape at all: the assignment asks for np.random.randn, a
    normal draw.  A uniform draw with the right variance (Keras' he_uniform)
    keeps activations stable just as well, but it is not what was asked, so it
    loses this test's point only.  Excess kurtosis tells them apart: 0 for a
    normal, -1.2 for a uniform, -2 for random signs, about -0.6 for a normal
    truncated at 2 std; its standard error is sqrt(24 / N), 0.0097 for the
    255,000 weights of STAT_DIMS, so the bound is ±0.058.
    """
    z = np.concatenate([_standardized(params[f"W{l}"]) for l in range(1, L + 1)])
    kurtosis = float(np.mean(z**4) - 3.0)
    bound = Z_BOUND * np.sqrt(24.0 / z.size)
    expect(abs(kurtosis) <= bound,
           f"the weights of {function} do not look normally distributed: excess kurtosis "
           f"{kurtosis:.3g} over {z.size} weights, expected 0 within ±{bound:.3f} "
           f"({Z_BOUND:g} standard errors; a uniform draw gives -1.2): "
           f"use np.random.randn, a standard normal")


def _expect_distinct_rows(W, name):
    """No two units (rows of W) start with the same weights (symmetry breaking)."""
    seen = {}
    for i, row in enumerate(W):
        key = row.tobytes()
        if key in seen:
            fail(f"{name} {W.shape}: rows {seen[key]} and {i} are identical: every unit "
                 f"must start with its own random weights, or the units stay symmetric")
        seen[key] = i


def _check_zero_biases(student, function):
    for dims in (*LAYOUT_DIMS, _drawn_layout(f"zero biases {function}")):
        params = _initialize(student, function, dims, rng_seed=_seed(f"{function}{dims}"),
                             parts="b")
        with _context(f"layers_dims={dims}"):
            for l in range(1, len(dims)):
                _expect_all_zero(params[f"b{l}"], f"b{l}", "biases start at zero")


def _check_scale(student, function, std_of_layer, target_of_layer, test_name):
    dims = _stat_dims(test_name)
    params = _initialize(student, function, dims, rng_seed=_seed(test_name), parts="W")
    with _context(f"layers_dims={list(dims)}"):
        for l in range(1, len(dims)):
            figure("weights_histogram", key=f"W{l}", fan_in=dims[l - 1],
                   std=std_of_layer(dims[l - 1]),
                   values=[float(v) for v in np.ravel(params[f"W{l}"])[:FIGURE_VALUES]])
            _expect_normal_scale(params[f"W{l}"], f"W{l}", std_of_layer(dims[l - 1]),
                                 target_of_layer(dims[l - 1]))


def _check_draws(student, function, test_name):
    dims = _stat_dims(test_name)
    params = _initialize(student, function, dims, rng_seed=_seed(test_name), parts="W")
    L = len(dims) - 1
    with _context(f"layers_dims={list(dims)}"):
        for l in range(1, L + 1):
            expect_finite(params[f"W{l}"], f"W{l}")
            _expect_distinct_rows(params[f"W{l}"], f"W{l}")
        _expect_normal_shape(params, L, function)


def _check_seeding(student, function, test_name):
    seed_a, seed_b = (int(s) for s in grader_rng(test_name).choice(2**31, 2, replace=False))
    first = _initialize(student, function, SEED_DIMS, rng_seed=seed_a, parts="W")
    again = _initialize(student, function, SEED_DIMS, rng_seed=seed_a, parts="W")
    other = _initialize(student, function, SEED_DIMS, rng_seed=seed_b, parts="W")
    weights = [f"W{l}" for l in range(1, len(SEED_DIMS))]
    for key in weights:
        expect(np.array_equal(first[key], again[key]),
               f"two calls after the same np.random.seed gave different {key}: draw from "
               f"numpy's global RNG (np.random.randn), not from a generator of your own")
    same = [key for key in weights if np.array_equal(first[key], other[key])]
    expect(not same,
           f"two calls after different np.random.seed values gave the same {', '.join(same)}: "
           f"is your function calling np.random.seed? Graded functions must not reseed "
           f"the global RNG")


# --- initialize_parameters_zeros ---------------------------------------------

@graded("initialize_parameters_zeros", points=1)
def test_initialize_parameters_zeros_layout(student):
    for dims in (*LAYOUT_DIMS, _drawn_layout("test_initialize_parameters_zeros_layout")):
        _initialize(student, "initialize_parameters_zeros", dims, rng_seed=None, exact=True)


@graded("initialize_parameters_zeros", points=1)
def test_initialize_parameters_zeros_all_zero(student):
    for dims in (*LAYOUT_DIMS, _drawn_layout("test_initialize_parameters_zeros_all_zero")):
        params = _initialize(student, "initialize_parameters_zeros", dims, rng_seed=None)
        with _context(f"layers_dims={dims}"):
            for key in _keys(len(dims) - 1):
                _expect_all_zero(params[key], key, "the zeros initializer sets every "
                                                   "weight and bias to 0")


# --- initialize_parameters_random --------------------------------------------

@graded("initialize_parameters_random", points=1)
def test_initialize_parameters_random_layout(student):
    for dims in (*LAYOUT_DIMS, _drawn_layout("test_initialize_parameters_random_layout")):
        _initialize(student, "initialize_parameters_random", dims,
                    rng_seed=_seed(f"random_layout{dims}"), exact=True)


@graded("initialize_parameters_random", points=1)
def test_initialize_parameters_random_zero_biases(student):
    _check_zero_biases(student, "initialize_parameters_random")


@graded("initialize_parameters_random", points=2)
def test_initialize_parameters_random_scale(student):
    _check_scale(student, "initialize_parameters_random",
                 std_of_layer=lambda fan_in: RANDOM_STD,
                 target_of_layer=lambda fan_in: "10² (np.random.randn * 10)",
                 test_name="test_initialize_parameters_random_scale")


@graded("initialize_parameters_random", points=1)
def test_initialize_parameters_random_draws(student):
    _check_draws(student, "initialize_parameters_random",
                 "test_initialize_parameters_random_draws")


@graded("initialize_parameters_random", points=1)
def test_initialize_parameters_random_seeding(student):
    _check_seeding(student, "initialize_parameters_random",
                   "test_initialize_parameters_random_seeding")


# --- initialize_parameters_he ------------------------------------------------

@graded("initialize_parameters_he", points=1)
def test_initialize_parameters_he_layout(student):
    for dims in (*LAYOUT_DIMS, _drawn_layout("test_initialize_parameters_he_layout")):
        _initialize(student, "initialize_parameters_he", dims,
                    rng_seed=_seed(f"he_layout{dims}"), exact=True)


@graded("initialize_parameters_he", points=1)
def test_initialize_parameters_he_zero_biases(student):
    _check_zero_biases(student, "initialize_parameters_he")


@graded("initialize_parameters_he", points=2)
def test_initialize_parameters_he_scale(student):
    _check_scale(student, "initialize_parameters_he",
                 std_of_layer=_he_std,
                 target_of_layer=lambda fan_in: f"2 / n[l-1] = 2 / {fan_in}",
                 test_name="test_initialize_parameters_he_scale")


@graded("initialize_parameters_he", points=1)
def test_initialize_parameters_he_draws(student):
    _check_draws(student, "initialize_parameters_he", "test_initialize_parameters_he_draws")


@graded("initialize_parameters_he", points=1)
def test_initialize_parameters_he_seeding(student):
    _check_seeding(student, "initialize_parameters_he", "test_initialize_parameters_he_seeding")
