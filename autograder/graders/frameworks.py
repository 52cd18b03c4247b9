"""Hidden graders of the `frameworks` assignment.

Part 2 (TensorFlow; one_hot_matrix, initialize_parameters, forward_propagation,
compute_total_loss, train_step) is at the end of the file: its graders use
numpy only and compare with the reference's float64 numpy network.

Part 1 (numpy), eight graded functions: sample_hyperparameters, softmax, compute_softmax_cost,
softmax_backward, batchnorm_forward, batchnorm_backward,
update_running_averages, batchnorm_inference.  Every test draws fresh inputs
from grader_rng(test name) and checks what makes an answer right:

- random draws by statistics: bounds, the Dvoretzky-Kiefer-Wolfowitz bound on
  the distance between the empirical and the wanted distribution (of log10 of
  the learning rate, of log10(1 - beta), of n_h), independence of the three
  draws, fresh draws on every call and the same draws after the same seed;
- softmax by its invariants (columns sum to 1, a constant added to a column
  changes nothing, no overflow at |Z| = 1000) and an independent formula;
- the cost against an independent formula and by what it depends on;
- backward passes by gradient checks of the REFERENCE forward pass (centred
  differences, autograder.numerics) against the student's output;
- batch norm's forward by its invariants (per-unit mean 0 and variance
  var / (var + eps) before gamma and beta, gamma and beta per unit, m = 1 and
  constant rows handled by eps) and its cache;
- running averages against the closed form of the recursion, and inference
  against the formula with running statistics (not the batch's).

Structure (types, shapes, keys) is validated before use and earns nothing of
its own; "inputs unmodified" is judged on a right answer only, so a stub
earns nothing.
"""
import importlib.util
from contextlib import contextmanager

import numpy as np

from autograder import numerics
from autograder.checks import (CheckFailed, StudentError, context, expect, expect_array,
                               expect_close, expect_finite, expect_keys, expect_scalar,
                               expect_scalar_close, expect_sequence, fail)
from autograder.graders import expect_inputs_kept, grader_rng
from autograder.grading import graded
from autograder.numerics import EXACT_RTOL, GRADCHECK_RTOL
from autograder.reference import frameworks as ref

# Draws per call of sample_hyperparameters in the statistical tests.
N_DRAWS = 4000
# DKW: P(sup |F_n - F| > eps) <= 2 exp(-2 n eps^2).  With this eps a right
# answer fails with probability <= 1e-7 per distribution; the usual slips
# (linear instead of log scale, a range off by a decade) are >= 0.2 away.
DKW_FAIL_PROB = 1e-7
# Correlation of two independent samples: standard error ~ 1 / sqrt(n); a
# right answer exceeds 6 of them with probability < 2e-9 (normal tail); the
# same uniform reused for two draws gives |r| ~ 1.
CORRELATION_SES = 6
# A guard inside the log (log(AL + 1e-10), or clipping at 1e-10) changes the
# cost by <= 1e-10 / min(AL) relative to |log AL| >= 1e-3 here: < 1e-6.
# Slips (sum instead of mean, a binary term, log base 10) are off by >= 1e-1.
COST_RTOL = 1e-6
# Probabilities the cost and softmax_backward graders use, away from 0.
MIN_PROB = 1e-2
SEED = 1234

HYPER_KEYS = ("learning_rate", "beta", "n_h")


def _case(description):
    return context(suffix=description)


@contextmanager
def _judged_on_a_right_answer(what):
    """A property like "inputs unmodified" earns its points only on an answer
    that is right otherwise (a stub returning a constant modifies nothing)."""
    try:
        yield
    except CheckFailed as exc:
        raise CheckFailed(f"{what} is judged on a right answer only, and this one is not "
                          f"right yet: {exc}") from None


def _dkw_eps(n):
    """The DKW deviation a right answer exceeds with probability <= DKW_FAIL_PROB."""
    return float(np.sqrt(np.log(2 / DKW_FAIL_PROB) / (2 * n)))


def _ks_distance(sample, cdf):
    """sup |F_n(x) - F(x)| of a continuous cdf (callable), sample: (n,)."""
    x = np.sort(sample)
    n = x.size
    F = cdf(x)
    return float(max(np.max(np.arange(1, n + 1) / n - F), np.max(F - np.arange(n) / n)))


# ================================================== sample_hyperparameters

HYPER = "sample_hyperparameters"
# (n_h_range) for the statistical tests: the default and a narrow one.
HYPER_RANGES = ((10, 100), (3, 7))


def _hyper(student, n, n_h_range=None, rng_seed=None):
    """Call and validate: {"learning_rate": (n,), "beta": (n,), "n_h": (n,) ints}."""
    args = (n,) if n_h_range is None else (n, n_h_range)
    value = student.sample_hyperparameters.call(args, rng_seed=rng_seed).value
    expect_keys(value, HYPER_KEYS, f"{HYPER}'s return value")
    expect_array(value["learning_rate"], "learning_rate", (n,))
    expect_array(value["beta"], "beta", (n,))
    expect_array(value["n_h"], "n_h", (n,), kind="iuf")
    for key in HYPER_KEYS:
        expect_finite(value[key], key)
    n_h = value["n_h"]
    fractional = n_h[n_h != np.round(n_h)]
    if fractional.size:
        fail(f"n_h holds non-integers (e.g. {fractional[0]:.4g}): a layer has a whole "
             "number of units (np.random.randint)")
    return value


@graded(HYPER, points=1)
def test_sample_hyperparameters_bounds(student):
    with _case("n = 1"):
        _hyper(student, 1, rng_seed=SEED - 1)
    for i, (low, high) in enumerate(HYPER_RANGES):
        with _case(f"n = {N_DRAWS}, n_h_range = ({low}, {high})"):
            value = _hyper(student, N_DRAWS, (low, high), rng_seed=SEED + i)
            lr, beta, n_h = value["learning_rate"], value["beta"], value["n_h"]
            expect(lr.min() >= 1e-4 and lr.max() <= 1,
                   f"learning_rate ranges over [{lr.min():.3g}, {lr.max():.3g}], expected "
                   "inside [1e-4, 1]")
            expect(beta.min() >= 0.9 and beta.max() <= 0.999,
                   f"beta ranges over [{beta.min():.6g}, {beta.max():.6g}], expected inside "
                   "[0.9, 0.999] (beta = 1 - 10**u, u in [-3, -1])")
            expect(n_h.min() >= low and n_h.max() <= high,
                   f"n_h ranges over [{n_h.min():g}, {n_h.max():g}], expected inside "
                   f"[{low}, {high}], both ends included")
            # Each of the <= 91 values is missed by 4000 draws with probability
            # (1 - 1/91)^4000 < 1e-19: a right answer draws both ends.
            expect(n_h.min() == low and n_h.max() == high,
                   f"n_h never took the value {low if n_h.min() != low else high} in "
                   f"{N_DRAWS} draws: both ends of n_h_range are allowed "
                   "(np.random.randint's high is excluded: use high + 1)")


@graded(HYPER, points=2)
def test_sample_hyperparameters_learning_rate_log_uniform(student):
    """log10(learning_rate) is uniform on [-4, 0]: each decade equally likely."""
    value = _hyper(student, N_DRAWS, rng_seed=SEED + 10)
    r = np.log10(value["learning_rate"])
    distance = _ks_distance(r, lambda x: np.clip((x + 4) / 4, 0, 1))
    per_decade = np.histogram(r, bins=[-np.inf, -3, -2, -1, np.inf])[0] / N_DRAWS
    expect(distance <= _dkw_eps(N_DRAWS),
           f"log10(learning_rate) is not uniform on [-4, 0]: its distribution is "
           f"{distance:.3f} away from it (tol {_dkw_eps(N_DRAWS):.3f}); fractions per decade "
           f"[1e-4, 1e-3), ..., [0.1, 1]: {', '.join(f'{p:.2f}' for p in per_decade)}, "
           "expected 0.25 each: sample the exponent (r = -4 * np.random.rand(); 10**r), "
           "not the rate itself")


@graded(HYPER, points=2)
def test_sample_hyperparameters_beta_log_scale(student):
    """log10(1 - beta) is uniform on [-3, -1]."""
    value = _hyper(student, N_DRAWS, rng_seed=SEED + 11)
    gap = 1 - value["beta"]
    expect(gap.min() > 0, "beta reaches 1: beta = 1 - 10**u with u in [-3, -1] stays <= 0.999")
    u = np.log10(gap)
    distance = _ks_distance(u, lambda x: np.clip((x + 3) / 2, 0, 1))
    expect(distance <= _dkw_eps(N_DRAWS),
           f"log10(1 - beta) is not uniform on [-3, -1]: its distribution is {distance:.3f} "
           f"away from it (tol {_dkw_eps(N_DRAWS):.3f}; median of 1 - beta "
           f"{np.median(gap):.3g}, expected 0.01): beta = 1 - 10**u, u uniform on [-3, -1]")


@graded(HYPER, points=1)
def test_sample_hyperparameters_n_h_uniform(student):
    """n_h uniform on the integers of the range (DKW holds for discrete laws too)."""
    for i, (low, high) in enumerate(HYPER_RANGES):
        value = _hyper(student, N_DRAWS, (low, high), rng_seed=SEED + 20 + i)
        n_h = value["n_h"]
        k = np.arange(low, high + 1)
        empirical = np.searchsorted(np.sort(n_h), k, side="right") / N_DRAWS
        distance = float(np.max(np.abs(empirical - (k - low + 1) / (high - low + 1))))
        expect(distance <= _dkw_eps(N_DRAWS),
               f"n_h is not uniform on the integers {low}..{high}: its distribution is "
               f"{distance:.3f} away from it (tol {_dkw_eps(N_DRAWS):.3f}; mean {n_h.mean():.3g}, "
               f"expected {(low + high) / 2:g}) [n_h_range = ({low}, {high})]")


@graded(HYPER, points=1)
def test_sample_hyperparameters_independent_draws(student):
    """The three hyperparameters are drawn independently of each other."""
    value = _hyper(student, N_DRAWS, rng_seed=SEED + 30)
    series = {"log10(learning_rate)": np.log10(value["learning_rate"]),
              "log10(1 - beta)": np.log10(np.maximum(1 - value["beta"], 1e-300)),
              "n_h": value["n_h"].astype(np.float64)}
    names = list(series)
    bound = CORRELATION_SES / np.sqrt(N_DRAWS)
    for a in range(3):
        for b in range(a + 1, 3):
            x, y = series[names[a]], series[names[b]]
            if x.std() == 0 or y.std() == 0:
                fail(f"{names[a] if x.std() == 0 else names[b]} is the same in every draw")
            r = float(np.corrcoef(x, y)[0, 1])
            expect(abs(r) <= bound,
                   f"{names[a]} and {names[b]} are correlated (r = {r:.3f}, tol {bound:.3f}): "
                   "draw a fresh random number for each hyperparameter")


@graded(HYPER, points=1)
def test_sample_hyperparameters_global_rng(student):
    """Fresh draws on every call; the same draws after the same np.random.seed."""
    first = _hyper(student, 50, rng_seed=SEED + 40)
    again = _hyper(student, 50, rng_seed=SEED + 40)
    following = _hyper(student, 50)      # the global RNG carries on from `again`
    expect(all(np.array_equal(first[k], again[k]) for k in HYPER_KEYS),
           "two calls after the same np.random.seed gave different draws: use numpy's global "
           "RNG (np.random.rand, np.random.uniform, np.random.randint), not a Generator")
    expect(not np.array_equal(first["learning_rate"], following["learning_rate"]),
           "two calls in a row gave the same learning rates: do not reseed the RNG inside "
           "the function (the caller seeds it once)")


# ================================================================= softmax

SOFTMAX = "softmax"
SOFTMAX_CASES = ((4, 7), (3, 1), (6, 20), (1, 5))   # (C, m)


def _softmax(student, Z):
    return expect_array(student.softmax(Z), "softmax(Z)", Z.shape)


def _expected_softmax(Z):
    """exp(Z - logsumexp(Z)) per column, written apart from the reference."""
    top = Z.max(axis=0)
    lse = top + np.log(np.exp(Z - top).sum(axis=0))
    return np.exp(Z - lse)


@graded(SOFTMAX, points=2)
def test_softmax_value(student):
    rng = grader_rng("test_softmax_value")
    for C, m in SOFTMAX_CASES:
        Z = rng.normal(0, 2, size=(C, m))
        with _case(f"Z: ({C}, {m}) entries ~ N(0, 2^2)"):
            expect_close(_softmax(student, Z), _expected_softmax(Z), "softmax(Z)", EXACT_RTOL)


@graded(SOFTMAX, points=1)
def test_softmax_columns_sum_to_one(student):
    rng = grader_rng("test_softmax_columns_sum_to_one")
    for C, m in SOFTMAX_CASES:
        Z = rng.normal(0, 3, size=(C, m)) + rng.normal(0, 5, size=(1, m))
        with _case(f"Z: ({C}, {m})"):
            A = _softmax(student, Z)
            expect(C == 1 or not np.array_equal(A, _softmax(student, 2 * Z)),
                   "softmax(Z) does not depend on Z (the same for Z and 2 Z)")
            expect_finite(A, "softmax(Z)")
            sums = A.sum(axis=0)
            j = int(np.argmax(np.abs(sums - 1)))
            expect(np.all(A >= 0) and abs(sums[j] - 1) <= 1e-12 * C,
                   f"column {j} of softmax(Z) sums to {sums[j]:.6g}, expected 1 (every column "
                   "is one example's class probabilities: normalize over axis=0)")


@graded(SOFTMAX, points=1)
def test_softmax_invariant_to_a_constant_per_column(student):
    rng = grader_rng("test_softmax_invariant_to_a_constant_per_column")
    for C, m in SOFTMAX_CASES:
        Z = rng.normal(size=(C, m))
        shift = rng.normal(0, 10, size=(1, m))
        with _case(f"Z: ({C}, {m}), column j shifted by c_j ~ N(0, 10^2)"):
            expect_close(_softmax(student, Z + shift), _expected_softmax(Z),
                         "softmax(Z + c)", EXACT_RTOL,
                         what="rel. error vs softmax(Z) (a constant per column changes nothing)")


@graded(SOFTMAX, points=2)
def test_softmax_large_inputs_no_overflow(student):
    """Z = +-1000 in some columns: exp overflows unless the column max is subtracted."""
    rng = grader_rng("test_softmax_large_inputs_no_overflow")
    for C, m in ((4, 6), (3, 1)):
        Z = rng.normal(size=(C, m))
        Z[:, ::2] += 1000
        Z[:, 1::2] -= 1000
        Z[0, 0] = 1000.0
        with _case(f"Z: ({C}, {m}), columns near +1000 and -1000"):
            A = _softmax(student, Z)
            try:
                expect_finite(A, "softmax(Z)")
            except CheckFailed as exc:
                raise CheckFailed(f"{exc}: exp(1000) overflows; subtract each column's max "
                                  "first (softmax(Z) = softmax(Z - max))") from None
            expect_close(A, _expected_softmax(Z), "softmax(Z)", EXACT_RTOL)


@graded(SOFTMAX, points=1)
def test_softmax_input_unmodified(student):
    rng = grader_rng("test_softmax_input_unmodified")
    Z = rng.normal(size=(5, 8))
    value = expect_inputs_kept(student.softmax, (Z,), {}, "Z", "nothing else changed").value
    with _judged_on_a_right_answer("leaving Z unmodified"):
        expect_close(expect_array(value, "softmax(Z)", Z.shape), _expected_softmax(Z),
                     "softmax(Z)", EXACT_RTOL)
    # Z -= Z.max(axis=0) in place changes no later softmax (it is shift-invariant), so
    # no second call shows it: Z as the student's process reports it after the call.
    # That catches the honest bug; a forged report could hide it (docs: a known limit)
    after = student.softmax.call((Z,), read_args=True).args_after[0]
    expect(type(after) is np.ndarray and after.shape == Z.shape and np.array_equal(after, Z),
           f"{SOFTMAX} modified its argument Z in place; work on a new array "
           "(Z - Z.max(axis=0), not Z -= ...)")


# ==================================================== compute_softmax_cost

COST = "compute_softmax_cost"
COST_CASES = ((4, 7), (3, 1), (6, 30), (2, 5))


def _probabilities(rng, C, m):
    """AL: (C, m) columns on the simplex with entries >= MIN_PROB."""
    A = rng.dirichlet(np.ones(C), size=m).T
    return MIN_PROB + (1 - C * MIN_PROB) * A


def _labels(rng, C, m):
    return ref.one_hot(rng.integers(0, C, m), C)


def _expected_cost(AL, Y):
    """-1/m sum of log AL at each column's true class (independent of the reference)."""
    return float(-np.mean(np.log(AL[Y.argmax(axis=0), np.arange(Y.shape[1])])))


def _expect_cost_depends_on_AL(student, cost, Y, rng):
    """A property of the cost (scaling with m, ...) is only worth points for a
    cost that depends on AL at all (a constant has every such property)."""
    C, m = Y.shape
    other = expect_scalar(student.compute_softmax_cost(_probabilities(rng, C, m), Y), "the cost")
    expect(other != cost, f"the cost is {cost:.6g} whatever AL is: it is -1/m sum Y log(AL)")


@graded(COST, points=2)
def test_compute_softmax_cost_value(student):
    rng = grader_rng("test_compute_softmax_cost_value")
    for C, m in COST_CASES:
        AL, Y = _probabilities(rng, C, m), _labels(rng, C, m)
        with _case(f"C = {C}, m = {m}"):
            expect_scalar_close(student.compute_softmax_cost(AL, Y), _expected_cost(AL, Y),
                                "the cost", COST_RTOL)


@graded(COST, points=1)
def test_compute_softmax_cost_is_a_mean_over_examples(student):
    """Repeating every example three times leaves the cost unchanged."""
    rng = grader_rng("test_compute_softmax_cost_is_a_mean_over_examples")
    for C, m in COST_CASES:
        AL, Y = _probabilities(rng, C, m), _labels(rng, C, m)
        one = expect_scalar(student.compute_softmax_cost(AL, Y), "the cost")
        _expect_cost_depends_on_AL(student, one, Y, rng)
        three = expect_scalar(student.compute_softmax_cost(np.tile(AL, 3), np.tile(Y, 3)),
                              "the cost")
        expect(numerics.rel_error(three, one) <= COST_RTOL,
               f"the cost of the examples repeated 3 times is {three:.6g}, the cost of the "
               f"examples once {one:.6g}: the cost is a mean over the m examples "
               f"(divide by m = Y.shape[1]) [C = {C}, m = {m}]")


@graded(COST, points=1)
def test_compute_softmax_cost_only_the_true_class_counts(student):
    """Moving probability between the wrong classes changes nothing."""
    rng = grader_rng("test_compute_softmax_cost_only_the_true_class_counts")
    for C, m in ((4, 7), (3, 1), (6, 30)):
        AL, Y = _probabilities(rng, C, m), _labels(rng, C, m)
        true_p = (Y * AL).sum(axis=0, keepdims=True)
        rest = (1 - Y) * AL * rng.uniform(0.5, 1.5, AL.shape)
        moved = Y * AL + rest / rest.sum(axis=0, keepdims=True) * (1 - true_p)
        a = expect_scalar(student.compute_softmax_cost(AL, Y), "the cost")
        _expect_cost_depends_on_AL(student, a, Y, rng)
        b = expect_scalar(student.compute_softmax_cost(moved, Y), "the cost")
        expect(numerics.rel_error(a, b) <= COST_RTOL,
               f"the cost changed from {a:.6g} to {b:.6g} when probability moved between "
               "wrong classes: only log AL at the true class (Y = 1) counts, "
               f"-1/m sum Y * log(AL) [C = {C}, m = {m}]")


@graded(COST, points=1)
def test_compute_softmax_cost_perfect_prediction_is_zero(student):
    rng = grader_rng("test_compute_softmax_cost_perfect_prediction_is_zero")
    Y = _labels(rng, 5, 9)
    AL = 0.999 * Y + 0.00025 * (1 - Y)
    got = expect_scalar(student.compute_softmax_cost(AL, Y), "the cost")
    want = -np.log(0.999)
    expect(abs(got - want) <= 1e-6,
           f"the cost of near-perfect predictions (AL = 0.999 at the true class) is {got:.6g}, "
           f"expected {want:.6g}: the cost is -1/m sum Y log(AL) (sign, log base e)")


# ========================================================= softmax_backward

SM_BACKWARD = "softmax_backward"
SM_BACKWARD_CASES = ((4, 7), (3, 1), (6, 12))


@graded(SM_BACKWARD, points=2)
def test_softmax_backward_gradient_check(student):
    """m * d(mean cost of softmax(Z))/dZ by centred differences, against dZ."""
    rng = grader_rng("test_softmax_backward_gradient_check")
    for C, m in SM_BACKWARD_CASES:
        Z, Y = rng.normal(size=(C, m)), _labels(rng, C, m)
        AL = ref.softmax(Z)
        with _case(f"C = {C}, m = {m}"):
            dZ = expect_array(student.softmax_backward(AL, Y), "dZ", (C, m), kind="fiu")
            numerical = m * numerics.numerical_gradient(
                lambda: ref.compute_softmax_cost(ref.softmax(Z), Y), Z)
            if m > 1 and numerics.worst(dZ, numerical / m)[1] <= GRADCHECK_RTOL:
                fail("dZ is (AL - Y) / m, the gradient of the mean cost; this notebook's "
                     "convention is dZ = AL - Y (m times it), with the 1/m in dW = dZ A^T / m "
                     f"[C = {C}, m = {m}]")
            expect_close(dZ, numerical, "dZ", GRADCHECK_RTOL,
                         what="rel. error vs m times the numerical gradient of the mean cost")


@graded(SM_BACKWARD, points=1)
def test_softmax_backward_value(student):
    rng = grader_rng("test_softmax_backward_value")
    for C, m in SM_BACKWARD_CASES:
        AL, Y = _probabilities(rng, C, m), _labels(rng, C, m)
        with _case(f"C = {C}, m = {m}"):
            expect_close(student.softmax_backward(AL, Y), AL - Y, "dZ", EXACT_RTOL)


# ======================================================== batchnorm_forward

BN_FORWARD = "batchnorm_forward"
# (n, m, eps): m = 1 and a large eps (where eps inside or outside the root differ).
BN_CASES = ((4, 9, 1e-5), (3, 1, 1e-5), (5, 16, 0.5), (2, 3, 1e-8))
CACHE_NAMES = ("Z", "Z_norm", "mu", "var", "gamma", "beta", "eps")


def _bn_inputs(rng, n, m):
    """Z: (n, m) with per-unit offsets and scales; gamma, beta: (n, 1) distinct per unit."""
    Z = rng.normal(rng.normal(0, 3, (n, 1)), rng.uniform(0.5, 3, (n, 1)), size=(n, m))
    return Z, rng.uniform(0.5, 2, (n, 1)), rng.normal(0, 1, (n, 1))


def _bn_forward(student, Z, gamma, beta, eps):
    """Call and validate: (Z_out (n, m), cache of 7 entries)."""
    value = student.batchnorm_forward(Z, gamma, beta, eps)
    expect_sequence(value, 2, f"{BN_FORWARD}'s return value (Z_out, cache)")
    Z_out, cache = value
    expect_array(Z_out, "Z_out", Z.shape, kind="fiu")
    expect_finite(Z_out, "Z_out")
    expect_sequence(cache, 7, "cache (Z, Z_norm, mu, var, gamma, beta, eps)")
    return Z_out, cache


def _expected_bn(Z, gamma, beta, eps):
    mu = Z.sum(axis=1, keepdims=True) / Z.shape[1]
    var = np.mean(np.square(Z - mu), axis=1, keepdims=True)
    return gamma * ((Z - mu) / np.sqrt(var + eps)) + beta


@graded(BN_FORWARD, points=2)
def test_batchnorm_forward_value(student):
    rng = grader_rng("test_batchnorm_forward_value")
    for n, m, eps in BN_CASES:
        Z, gamma, beta = _bn_inputs(rng, n, m)
        with _case(f"Z: ({n}, {m}), eps = {eps}"):
            Z_out, _ = _bn_forward(student, Z, gamma, beta, eps)
            expect_close(Z_out, _expected_bn(Z, gamma, beta, eps), "Z_out", EXACT_RTOL)


@graded(BN_FORWARD, points=2)
def test_batchnorm_forward_normalizes_each_unit(student):
    """gamma = 1, beta = 0: every row has mean 0 and variance var / (var + eps)
    (biased variance, eps inside the square root)."""
    rng = grader_rng("test_batchnorm_forward_normalizes_each_unit")
    for n, m, eps in ((4, 9, 1e-5), (5, 16, 0.5), (3, 6, 2.0)):
        Z, _, _ = _bn_inputs(rng, n, m)
        with _case(f"Z: ({n}, {m}), gamma = 1, beta = 0, eps = {eps}"):
            Z_out, _ = _bn_forward(student, Z, np.ones((n, 1)), np.zeros((n, 1)), eps)
            mean = Z_out.mean(axis=1)
            scale = np.abs(Z_out).max()
            i = int(np.argmax(np.abs(mean)))
            expect(abs(mean[i]) <= 1e-12 * max(scale, 1),
                   f"row {i} of Z_out has mean {mean[i]:.3g}, expected 0: subtract each "
                   "unit's mean over the m examples (axis=1)")
            var = Z.var(axis=1)
            got, want = Z_out.var(axis=1), var / (var + eps)
            i, err, _ = numerics.worst(got, want)
            if err > EXACT_RTOL:
                hint = ("the variance divides by m (the mean of (Z - mu)^2, not m - 1), and "
                        "eps goes inside the square root: (Z - mu) / sqrt(var + eps)")
                fail(f"row {i[0]} of Z_out has variance {got[i]:.6g}, expected "
                     f"var / (var + eps) = {want[i]:.6g} (rel. error {err:.1e} > tol "
                     f"{EXACT_RTOL:.0e}): {hint}")


@graded(BN_FORWARD, points=1)
def test_batchnorm_forward_gamma_beta_per_unit(student):
    """Z_out = gamma * Z_norm + beta with unit i scaled by gamma[i], shifted by beta[i]."""
    rng = grader_rng("test_batchnorm_forward_gamma_beta_per_unit")
    for n, m, eps in ((4, 9, 1e-5), (6, 3, 1e-5)):
        Z, gamma, beta = _bn_inputs(rng, n, m)
        with _case(f"Z: ({n}, {m})"):
            plain, _ = _bn_forward(student, Z, np.ones((n, 1)), np.zeros((n, 1)), eps)
            Z_out, _ = _bn_forward(student, Z, gamma, beta, eps)
            expect_close(Z_out, gamma * plain + beta, "Z_out", EXACT_RTOL,
                         what="rel. error vs gamma * (Z_out with gamma = 1, beta = 0) + beta")


@graded(BN_FORWARD, points=1)
def test_batchnorm_forward_one_example_and_constant_rows(student):
    """m = 1 or a constant row: var = 0, Z_norm = 0 / sqrt(eps) = 0, Z_out = beta."""
    rng = grader_rng("test_batchnorm_forward_one_example_and_constant_rows")
    for n, m in ((4, 1), (3, 5)):
        Z, gamma, beta = _bn_inputs(rng, n, m)
        Z = np.repeat(Z[:, :1], m, axis=1)
        with _case(f"Z: ({n}, {m}), every row constant, eps = 1e-5"):
            Z_out, _ = _bn_forward(student, Z, gamma, beta, 1e-5)
            with _judged_on_a_right_answer("handling constant rows"):
                Z2, _, _ = _bn_inputs(rng, n, 4)
                expect_close(_bn_forward(student, Z2, gamma, beta, 1e-5)[0],
                             _expected_bn(Z2, gamma, beta, 1e-5), "Z_out", EXACT_RTOL)
            expect_close(Z_out, np.repeat(beta, m, axis=1), "Z_out", EXACT_RTOL,
                         what="rel. error vs beta (a constant row normalizes to 0)")


@graded(BN_FORWARD, points=1)
def test_batchnorm_forward_cache(student):
    rng = grader_rng("test_batchnorm_forward_cache")
    for n, m, eps in BN_CASES:
        Z, gamma, beta = _bn_inputs(rng, n, m)
        with _case(f"Z: ({n}, {m}), eps = {eps}"):
            _, cache = _bn_forward(student, Z, gamma, beta, eps)
            _, want = ref.batchnorm_forward(Z, gamma, beta, eps)
            for name, got, expected in zip(CACHE_NAMES, cache, want):
                if name == "eps":
                    expect_scalar_close(got, eps, "cache entry eps", EXACT_RTOL)
                else:
                    expect_close(got, expected, f"cache entry {name}", EXACT_RTOL)


@graded(BN_FORWARD, points=1)
def test_batchnorm_forward_inputs_unmodified(student):
    rng = grader_rng("test_batchnorm_forward_inputs_unmodified")
    Z, gamma, beta = _bn_inputs(rng, 4, 7)
    args = (Z, gamma, beta, 1e-5)
    value = expect_inputs_kept(student.batchnorm_forward, args, {3: 1e-3}, "Z, gamma and beta",
                               "eps = 0.001").value
    with _judged_on_a_right_answer("leaving the inputs unmodified"):
        expect_sequence(value, 2, f"{BN_FORWARD}'s return value (Z_out, cache)")
        expect_close(value[0], _expected_bn(*args), "Z_out", EXACT_RTOL)


# ======================================================= batchnorm_backward

BN_BACKWARD = "batchnorm_backward"
# m = 2 is left out: there Z_norm = +-sqrt(var / (var + eps)) whatever Z, dZ ~ eps / var is
# round-off-sized and a centred difference cannot check it to GRADCHECK_RTOL.
BN_BACKWARD_CASES = ((4, 9, 1e-5), (3, 1, 1e-5), (5, 6, 0.5), (2, 3, 1e-3))


def _bn_backward(student, G, cache, n, m):
    value = student.batchnorm_backward(G, cache)
    expect_sequence(value, 3, f"{BN_BACKWARD}'s return value (dZ, dgamma, dbeta)")
    dZ, dgamma, dbeta = value
    expect_array(dZ, "dZ", (n, m), kind="fiu")
    expect_array(dgamma, "dgamma", (n, 1), kind="fiu")
    expect_array(dbeta, "dbeta", (n, 1), kind="fiu")
    return dZ, dgamma, dbeta


BN_RULES = {
    "dbeta": "dbeta = sum of dZ_out over the examples (axis=1, keepdims=True)",
    "dgamma": "dgamma = sum of dZ_out * Z_norm over the examples",
    "dZ": "mu and var depend on Z too: dZ = (dZ_norm - mean(dZ_norm) - Z_norm * "
          "mean(dZ_norm * Z_norm)) / sqrt(var + eps), dZ_norm = gamma * dZ_out, means over axis=1",
}


@graded(BN_BACKWARD, points=3)
def test_batchnorm_backward_gradient_check(student):
    """L = sum(G * Z_out(Z, gamma, beta)) with the reference forward: its
    centred differences against the student's dZ, dgamma, dbeta for dZ_out = G."""
    rng = grader_rng("test_batchnorm_backward_gradient_check")
    for n, m, eps in BN_BACKWARD_CASES:
        Z, gamma, beta = _bn_inputs(rng, n, m)
        G = rng.normal(size=(n, m))
        _, cache = ref.batchnorm_forward(Z, gamma, beta, eps)
        with _case(f"Z: ({n}, {m}), eps = {eps}"):
            got = dict(zip(("dZ", "dgamma", "dbeta"), _bn_backward(student, G, cache, n, m)))

            def loss():
                return float(np.sum(G * ref.batchnorm_forward(Z, gamma, beta, eps)[0]))

            for name, x in (("dbeta", beta), ("dgamma", gamma), ("dZ", Z)):
                numerical = numerics.numerical_gradient(loss, x)
                try:
                    expect_close(got[name], numerical, name, GRADCHECK_RTOL,
                                 what="rel. error vs the numerical gradient")
                except CheckFailed as exc:
                    raise CheckFailed(f"{exc}; {BN_RULES[name]}") from None


@graded(BN_BACKWARD, points=1)
def test_batchnorm_backward_dZ_sums_to_zero(student):
    """Shifting a whole row of Z changes nothing after normalization, so every
    row of dZ sums to 0 (whatever dZ_out)."""
    rng = grader_rng("test_batchnorm_backward_dZ_sums_to_zero")
    for n, m, eps in ((4, 9, 1e-5), (5, 6, 0.5)):
        Z, gamma, beta = _bn_inputs(rng, n, m)
        G = rng.normal(1, 1, size=(n, m))
        _, cache = ref.batchnorm_forward(Z, gamma, beta, eps)
        dZ, _, _ = _bn_backward(student, G, cache, n, m)
        with _judged_on_a_right_answer("rows of dZ summing to 0"):
            expect_close(dZ, ref.batchnorm_backward(G, cache)[0], "dZ", EXACT_RTOL)
        sums = dZ.sum(axis=1)
        scale = np.abs(dZ).sum(axis=1)
        i = int(np.argmax(np.abs(sums) / np.maximum(scale, 1e-300)))
        expect(abs(sums[i]) <= 1e-9 * max(scale[i], 1e-12),
               f"row {i} of dZ sums to {sums[i]:.3g}, expected 0: Z_out does not change when a "
               "row of Z is shifted by a constant, so the gradient through mu must cancel "
               f"the direct one [Z: ({n}, {m})]")


@graded(BN_BACKWARD, points=1)
def test_batchnorm_backward_inputs_unmodified(student):
    rng = grader_rng("test_batchnorm_backward_inputs_unmodified")
    Z, gamma, beta = _bn_inputs(rng, 4, 7)
    G = rng.normal(size=(4, 7))
    _, cache = ref.batchnorm_forward(Z, gamma, beta, 1e-5)
    value = expect_inputs_kept(student.batchnorm_backward, (G, cache), {}, "dZ_out and the cache",
                               "nothing else changed").value
    with _judged_on_a_right_answer("leaving the inputs unmodified"):
        expect_sequence(value, 3, f"{BN_BACKWARD}'s return value (dZ, dgamma, dbeta)")
        for name, got, want in zip(("dZ", "dgamma", "dbeta"), value,
                                   ref.batchnorm_backward(G, cache)):
            expect_close(got, want, name, EXACT_RTOL)


# ================================================== update_running_averages

RUNNING = "update_running_averages"


def _run_recursion(student, batches, momentum, r_mu, r_var):
    """Feed the student's update its own outputs over the batches' statistics."""
    for mu, var in batches:
        value = student.update_running_averages(r_mu, r_var, mu, var, momentum)
        expect_sequence(value, 2, f"{RUNNING}'s return value (running_mu, running_var)")
        r_mu = expect_array(value[0], "running_mu", mu.shape, kind="fiu")
        r_var = expect_array(value[1], "running_var", var.shape, kind="fiu")
    return r_mu, r_var


def _closed_form(start, values, momentum):
    """momentum^T start + (1 - momentum) sum_t momentum^(T - t) x_t: the recursion unrolled."""
    T = len(values)
    weights = (1 - momentum) * momentum ** np.arange(T - 1, -1, -1)
    return momentum ** T * start + sum(w * x for w, x in zip(weights, values))


@graded(RUNNING, points=2)
def test_update_running_averages_match_the_unrolled_recursion(student):
    rng = grader_rng("test_update_running_averages_match_the_unrolled_recursion")
    for n, T, momentum in ((4, 6, 0.9), (3, 1, 0.7), (2, 12, 0.99)):
        batches = [(rng.normal(0, 2, (n, 1)), rng.uniform(0.1, 4, (n, 1))) for _ in range(T)]
        r_mu, r_var = rng.normal(size=(n, 1)), rng.uniform(0.5, 2, (n, 1))
        with _case(f"n = {n}, {T} batches, momentum = {momentum}"):
            got_mu, got_var = _run_recursion(student, batches, momentum, r_mu, r_var)
            rule = ("running = momentum * running + (1 - momentum) * batch statistic, "
                    "mu and var each with their own average")
            for name, got, start, k in (("running_mu", got_mu, r_mu, 0),
                                        ("running_var", got_var, r_var, 1)):
                try:
                    expect_close(got, _closed_form(start, [b[k] for b in batches], momentum),
                                 name, EXACT_RTOL)
                except CheckFailed as exc:
                    raise CheckFailed(f"{exc}; {rule}") from None


@graded(RUNNING, points=1)
def test_update_running_averages_inputs_unmodified(student):
    rng = grader_rng("test_update_running_averages_inputs_unmodified")
    args = (rng.normal(size=(3, 1)), rng.uniform(1, 2, (3, 1)), rng.normal(size=(3, 1)),
            rng.uniform(1, 2, (3, 1)), 0.9)
    value = expect_inputs_kept(student.update_running_averages, args, {4: 0.8},
                               "the running and batch statistics", "momentum = 0.8").value
    with _judged_on_a_right_answer("leaving the inputs unmodified"):
        expect_sequence(value, 2, f"{RUNNING}'s return value (running_mu, running_var)")
        for got, want, name in zip(value, ref.update_running_averages(*args),
                                   ("running_mu", "running_var")):
            expect_close(got, want, name, EXACT_RTOL)


# ===================================================== batchnorm_inference

BN_TEST = "batchnorm_inference"


def _running_stats(rng, n):
    """running_mu, running_var: (n, 1), unlike any batch's statistics."""
    return rng.normal(0, 2, (n, 1)), rng.uniform(0.3, 3, (n, 1))


@graded(BN_TEST, points=2)
def test_batchnorm_inference_value(student):
    rng = grader_rng("test_batchnorm_inference_value")
    for n, m, eps in ((4, 9, 1e-5), (3, 1, 1e-5), (5, 6, 0.5)):
        Z, gamma, beta = _bn_inputs(rng, n, m)
        r_mu, r_var = _running_stats(rng, n)
        with _case(f"Z: ({n}, {m}), eps = {eps}"):
            got = student.batchnorm_inference(Z, gamma, beta, r_mu, r_var, eps)
            want = gamma * (Z - r_mu) / np.sqrt(r_var + eps) + beta
            expect_finite(expect_array(got, "Z_out", Z.shape, kind="fiu"), "Z_out")
            if m > 1 and numerics.worst(got, _expected_bn(Z, gamma, beta, eps))[1] <= 1e-6:
                fail("Z_out was normalized with this batch's mean and variance: at test time "
                     "use running_mu and running_var (the averages over training)"
                     f" [Z: ({n}, {m})]")
            expect_close(got, want, "Z_out", EXACT_RTOL)


@graded(BN_TEST, points=1)
def test_batchnorm_inference_examples_are_independent(student):
    """At test time an example's output does not depend on the rest of its batch."""
    rng = grader_rng("test_batchnorm_inference_examples_are_independent")
    n, m = 4, 8
    Z, gamma, beta = _bn_inputs(rng, n, m)
    r_mu, r_var = _running_stats(rng, n)
    whole = expect_array(student.batchnorm_inference(Z, gamma, beta, r_mu, r_var, 1e-5),
                         "Z_out", (n, m), kind="fiu")
    with _judged_on_a_right_answer("examples independent of their batch"):
        expect_close(whole, gamma * (Z - r_mu) / np.sqrt(r_var + 1e-5) + beta, "Z_out", EXACT_RTOL)
    for j in (0, m - 1):
        alone = expect_array(
            student.batchnorm_inference(Z[:, j:j + 1], gamma, beta, r_mu, r_var, 1e-5),
            "Z_out", (n, 1), kind="fiu")
        expect_close(alone, whole[:, j:j + 1], f"Z_out of example {j} alone", EXACT_RTOL,
                     what="rel. error vs the same example in a batch of 8 (the batch's "
                     "statistics must not be used at test time)")


# ======================================================================
# Part 2: TensorFlow.  The student's functions run with TensorFlow (in the
# sandbox child, or the kernel); the graders here use numpy only, comparing
# with the float64 numpy network of the reference on fresh float32 inputs.

# TensorFlow computes in float32 (unit round-off 6e-8), so its results are
# compared NORMWISE: the largest difference over the largest entry of the
# numpy (float64) result; the loss's difference over the sum of every
# example's largest |logit| (its error grows with the logits' size, while the
# loss itself can be near 0).  Measured on the reference over the cases below
# and 20 input draws: logits 2.4e-7, loss 1.2e-7 (tests/test_frameworks.py).
# 1e-5 leaves a 40x margin; the slips we catch (a missing ReLU, the mean
# instead of the sum, from_logits forgotten) are off by 1e-2 or more.
FLOAT32_RTOL = 1e-5
# train_step: the gradient is read back as (W_before - W_after) / lr from
# float32 weights, so the subtraction loses the digits W and lr dW share.
# With lr = 0.5 measured worst 1.8e-6 (normwise); 1e-4 leaves a 50x margin,
# and a wrong gradient (sign, a missing term, the mean loss) is off by >= 1e-1.
UPDATE_RTOL = 1e-4
# Glorot normal weights: the sample variance of N entries has standard error
# <= var * sqrt(2 / N) (kurtosis <= 3); 6 of them leave a right answer failing
# with probability < 2e-9.  He (2 / fan_in) is >= 30 of them away here.
GLOROT_SES = 6
# Kurtosis E[w^4] / E[w^2]^2: 3 for a normal, 2.37 for keras' truncated normal
# (measured), 1.8 for a uniform.  Its standard error on the 80,000 entries of W1
# and W2 below is < 0.02: 2.1 is > 10 of them from both.
MIN_NORMAL_KURTOSIS = 2.1
TF_INSTALL = "this assignment needs TensorFlow: pip install -e '.[tensorflow]'"
# Optional packages some of this module's graded functions need (the demo
# skips this assignment's samples when one is missing, and says so).
REQUIRES = {"tensorflow": TF_INSTALL}
KEEP_DECORATOR = ("keep the @numpy_io line above the function: it gives the grader "
                  "numpy arrays instead of tensors")
PARAM_KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")


def _tensorflow_call(function, args, read_args=False):
    """Run a Part 2 function; say what to install, or to keep @numpy_io."""
    if importlib.util.find_spec("tensorflow") is None:
        raise StudentError(TF_INSTALL)
    try:
        return function.call(args, read_args=read_args)
    except StudentError as exc:
        if "Tensor" in str(exc) or "Variable" in str(exc):
            raise StudentError(f"{exc}; {KEEP_DECORATOR}") from None
        raise


def _normwise(actual, desired):
    """max |actual - desired| / max |desired|, and the index of the largest difference."""
    diff = np.abs(np.asarray(actual, dtype=np.float64) - desired)
    if np.isnan(diff).any():
        return float("nan"), tuple(int(i) for i in np.argwhere(np.isnan(diff))[0])
    index = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.size else ()
    scale = max(float(np.max(np.abs(desired))) if desired.size else 0.0, 1e-300)
    return float(diff.max() / scale) if diff.size else 0.0, tuple(int(i) for i in index)


def _expect_close_float32(actual, desired, name, rtol, what):
    """A float32 result against float64 numpy, normwise (see FLOAT32_RTOL)."""
    desired = np.asarray(desired, dtype=np.float64)
    actual = expect_array(actual, name, desired.shape, kind="fiu")
    err, index = _normwise(actual, desired)
    if not err <= rtol:
        fail(f"{name} {tuple(desired.shape)}: worst at {list(index)}: got "
             f"{float(actual[index]):.6g}, expected {float(desired[index]):.6g}; {what} "
             f"{err:.1e} > tol {rtol:.0e} (largest difference over the largest entry)")


def _expect_loss_close(got, want, logits, name):
    """A float32 loss against float64 numpy: |got - want| over the sum of every
    example's largest |logit| (see FLOAT32_RTOL)."""
    scale = float(np.abs(np.asarray(logits, dtype=np.float64)).max(axis=0).sum())
    err = abs(got - want) / max(scale, 1e-300)
    expect(err <= FLOAT32_RTOL, f"{name} is {got:.6g}, expected {want:.6g} (difference "
           f"{err:.1e} of the logits' size > tol {FLOAT32_RTOL:.0e})")


def _tf_parameters(rng, dims, scale=1.0):
    """float32 W{l}: (n[l], n[l-1]) ~ N(0, scale^2 / n[l-1]), b{l}: (n[l], 1) ~ N(0, 0.3^2)."""
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = (rng.normal(size=(dims[l], dims[l - 1])) * scale
                           / np.sqrt(dims[l - 1])).astype(np.float32)
        params[f"b{l}"] = rng.normal(0, 0.3, (dims[l], 1)).astype(np.float32)
    return params


def _tf_network(rng, dims, m):
    """X: (n_x, m) float32, one-hot Y: (C, m) float32 and parameters whose hidden
    pre-activations are all >= 1e-3 away from 0 (redrawn until so)."""
    for _ in range(1000):
        X = rng.normal(size=(dims[0], m)).astype(np.float32)
        params = _tf_parameters(rng, dims)
        _, (Z1, _, Z2, _) = ref.forward_numpy(X, params)
        if min(np.abs(Z1).min(), np.abs(Z2).min()) > 1e-3:
            return X, _labels(rng, dims[-1], m).astype(np.float32), params
    raise RuntimeError("could not draw a network away from the ReLU kinks")


def _describe_tf(dims, m):
    return f"layer_dims {list(dims)}, m = {m}"


# ========================================================== one_hot_matrix

ONE_HOT = "one_hot_matrix"


@graded(ONE_HOT, points=2)
def test_one_hot_matrix_columns(student):
    rng = grader_rng("test_one_hot_matrix_columns")
    for depth, m in ((6, 10), (3, 1), (10, 25)):
        labels = rng.integers(0, depth, m)
        with _case(f"depth = {depth}, m = {m}"):
            got = _tensorflow_call(student.one_hot_matrix, (labels, depth)).value
            expect_array(got, "one_hot_matrix(labels, depth)", (depth, m), kind="fiu")
            expect_close(got, ref.one_hot(labels, depth), "one_hot_matrix(labels, depth)",
                         EXACT_RTOL, what="rel. error (column j has a single 1, in row labels[j])")


# =================================================== initialize_parameters

TF_INIT = "initialize_parameters"


def _initialized(student, dims, seed):
    value = _tensorflow_call(student.initialize_parameters, (list(dims), seed)).value
    keys = [f"{p}{l}" for l in range(1, len(dims)) for p in ("W", "b")]
    expect_keys(value, keys, f"{TF_INIT}'s return value")
    for l in range(1, len(dims)):
        expect_array(value[f"W{l}"], f"W{l}", (dims[l], dims[l - 1]))
        expect_array(value[f"b{l}"], f"b{l}", (dims[l], 1))
        expect_finite(value[f"W{l}"], f"W{l}")
    return value


@graded(TF_INIT, points=1)
def test_initialize_parameters_random_weights_zero_biases_float32(student):
    for dims in ((12, 7, 5, 6), (3, 1)):
        with _case(f"layer_dims {list(dims)}"):
            value = _initialized(student, dims, 3)
            for key, array in value.items():
                expect(array.dtype == np.float32, f"{key} has dtype {array.dtype}, expected "
                       "float32 (TensorFlow's default; the data are float32 too)")
            for l in range(1, len(dims)):
                expect(value[f"W{l}"].std() > 0, f"W{l} has all its entries equal: draw the "
                       "weights at random (Glorot normal)")
                expect(not value[f"b{l}"].any(), f"b{l} is not all zeros")


@graded(TF_INIT, points=1)
def test_initialize_parameters_glorot_variance(student):
    dims = (300, 200, 100, 60)
    value = _initialized(student, dims, 7)
    for l in range(1, len(dims)):
        W = value[f"W{l}"].astype(np.float64)
        want = 2 / (dims[l] + dims[l - 1])
        bound = GLOROT_SES * want * np.sqrt(2 / W.size)
        got = float(np.mean(W ** 2))
        expect(abs(got - want) <= bound,
               f"W{l} has variance {got:.4g}, expected 2 / (n[l-1] + n[l]) = {want:.4g} "
               f"(tol {bound:.2g}, {got / want:.3g} times it): Glorot normal "
               f"(tf.keras.initializers.GlorotNormal) [layer_dims {list(dims)}]")


@graded(TF_INIT, points=1)
def test_initialize_parameters_normal_not_uniform(student):
    dims = (300, 200, 100, 60)
    value = _initialized(student, dims, 8)
    W = np.concatenate([value[f"W{l}"].ravel() for l in (1, 2)]).astype(np.float64)
    expect(np.mean(W ** 2) > 0, "the weights are all zero")
    kurtosis = float(np.mean(W ** 4) / np.mean(W ** 2) ** 2)
    expect(kurtosis >= MIN_NORMAL_KURTOSIS,
           f"the weights look uniformly distributed (kurtosis {kurtosis:.2f}; a normal has 3, "
           "keras' truncated normal 2.4, a uniform 1.8): Glorot *normal*, not GlorotUniform")


@graded(TF_INIT, points=1)
def test_initialize_parameters_seeded_by_the_caller(student):
    """The same seed gives the same weights, another seed others, and layers of
    the same shape get their own draws."""
    dims = (8, 8, 8, 8)
    first, again, other = (_initialized(student, dims, s) for s in (5, 5, 6))
    with _judged_on_a_right_answer("seeding"):
        expect(np.mean(first["W1"] ** 2) > 0, "W1 is all zeros")
    expect(all(np.array_equal(first[k], again[k]) for k in first),
           "two calls with the same seed gave different weights: draw from the seed argument "
           "(GlorotNormal(seed=...))")
    expect(not np.array_equal(first["W1"], other["W1"]),
           "seeds 5 and 6 gave the same W1: the seed argument must change the draws")
    expect(not (np.array_equal(first["W1"], first["W2"]) or np.array_equal(first["W2"], first["W3"])),
           "layers of the same shape got identical weights: a seeded initializer returns the "
           "same values on every call, so give each layer its own seed (e.g. seed + l)")


# ===================================================== forward_propagation

TF_FORWARD = "forward_propagation"
TF_CASES = ((12, 7, 5, 6), 9), ((5, 4, 3, 2), 1), ((40, 25, 12, 6), 30)


@graded(TF_FORWARD, points=3)
def test_forward_propagation_matches_numpy(student):
    rng = grader_rng("test_forward_propagation_matches_numpy")
    for dims, m in TF_CASES:
        X, _, params = _tf_network(rng, dims, m)
        with _case(_describe_tf(dims, m) + ", float32 inputs"):
            got = _tensorflow_call(student.forward_propagation, (X, params)).value
            expect_array(got, "the logits", (dims[-1], m))
            want, _ = ref.forward_numpy(X, params)
            if _normwise(got, ref.softmax(want))[0] <= FLOAT32_RTOL:
                fail("forward_propagation returned softmax probabilities: return the logits "
                     "Z3 (the loss applies softmax itself, from_logits=True)")
            if _normwise(got, ref.relu(want))[0] <= FLOAT32_RTOL and (want < 0).any():
                fail("the logits went through a ReLU: the last layer is LINEAR only")
            _expect_close_float32(got, want, "the logits", FLOAT32_RTOL,
                                  "error vs numpy's LINEAR -> RELU -> LINEAR -> RELU -> LINEAR")


# ====================================================== compute_total_loss

TF_LOSS = "compute_total_loss"


@graded(TF_LOSS, points=2)
def test_compute_total_loss_matches_numpy(student):
    rng = grader_rng("test_compute_total_loss_matches_numpy")
    for C, m in ((6, 10), (3, 1), (6, 40)):
        logits = rng.normal(0, 3, (C, m)).astype(np.float32)
        Y = _labels(rng, C, m).astype(np.float32)
        with _case(f"logits, labels: ({C}, {m})"):
            got = expect_scalar(_tensorflow_call(student.compute_total_loss, (logits, Y)).value,
                                "the total loss")
            want = ref.total_loss_numpy(logits, Y)
            if m > 1 and abs(got - want / m) <= FLOAT32_RTOL * abs(want / m):
                fail(f"the loss is the mean over the examples ({got:.6g}); this function "
                     f"returns their sum ({want:.6g}): tf.reduce_sum, not reduce_mean")
            _expect_loss_close(got, want, logits, "the total loss")


@graded(TF_LOSS, points=1)
def test_compute_total_loss_large_logits(student):
    """Logits of +-200: exact from logits, inf or NaN through softmax then log."""
    rng = grader_rng("test_compute_total_loss_large_logits")
    C, m = 6, 8
    logits = rng.normal(0, 1, (C, m)).astype(np.float32)
    logits[0, :] += 200
    logits[1, :] -= 200
    Y = _labels(rng, C, m).astype(np.float32)
    got = expect_scalar(_tensorflow_call(student.compute_total_loss, (logits, Y)).value,
                        "the total loss")
    expect(np.isfinite(got), f"the total loss of logits near +-200 is {got}: compute the "
           "cross-entropy from the logits (from_logits=True, or "
           "tf.nn.softmax_cross_entropy_with_logits), not log(softmax(...))")
    _expect_loss_close(got, ref.total_loss_numpy(logits, Y), logits, "the total loss")


# ============================================================== train_step

TF_STEP = "train_step"
LEARNING_RATE = 0.5    # large, so the step stands out of float32's round-off (UPDATE_RTOL)


def _stepped(student, dims, m, rng):
    X, Y, params = _tf_network(rng, dims, m)
    call = _tensorflow_call(student.train_step, (X, Y, params, LEARNING_RATE), read_args=True)
    expect_scalar(call.value, "the loss returned by train_step")
    after = expect_sequence(call.args_after, 4, "train_step's arguments after the call")[2]
    expect_keys(after, PARAM_KEYS, "parameters after train_step")
    for k in PARAM_KEYS:
        expect_array(after[k], k, params[k].shape)
    return X, Y, params, after, call.value


@graded(TF_STEP, points=3)
def test_train_step_moves_by_the_gradient(student):
    """With SGD, (W_before - W_after) / learning_rate is the gradient the tape
    computed: it must equal numpy backpropagation of the total loss."""
    rng = grader_rng("test_train_step_moves_by_the_gradient")
    for dims, m in TF_CASES:
        with _case(_describe_tf(dims, m) + f", SGD with learning rate {LEARNING_RATE}"):
            X, Y, params, after, _ = _stepped(student, dims, m, rng)
            want = ref.total_loss_gradients_numpy(X, Y, params)
            for k in ("W3", "b3", "W2", "b2", "W1", "b1"):
                step = (params[k].astype(np.float64) - after[k]) / LEARNING_RATE
                expect(np.any(step != 0) or not np.any(want[k]),
                       f"{k} did not change: apply the gradients of every parameter "
                       "(optimizer.apply_gradients(zip(grads, variables)))")
                _expect_close_float32(step, want[k], f"the gradient applied to {k}",
                                      UPDATE_RTOL, "error vs numpy backpropagation of the "
                                      "total loss")


@graded(TF_STEP, points=1)
def test_train_step_returns_the_loss(student):
    rng = grader_rng("test_train_step_returns_the_loss")
    for dims, m in TF_CASES[:2]:
        with _case(_describe_tf(dims, m)):
            X, Y, params, _, value = _stepped(student, dims, m, rng)
            logits, _ = ref.forward_numpy(X, params)
            _expect_loss_close(expect_scalar(value, "the loss"), ref.total_loss_numpy(logits, Y),
                               logits, "the loss returned by train_step (before the step)")
