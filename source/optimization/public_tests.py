"""Public checks of the optimization assignment: one check_<function>(fn) each.

They test what must hold for any correct answer (types, shapes, keys, a zero
gradient moving nothing, mini-batches that cover every example once...) and
never compare with stored answers.  Each prints one line when it passes and
raises AssertionError saying what is wrong when it does not.  Passing them
does not prove an answer right: the hidden graders check more.
Inputs come from a private generator; numpy's global RNG is not touched
(except by random_mini_batches itself, which seeds it by design).
"""
import copy

import numpy as np

from checks import fit_public_checks
from checks import expect, expect_array, expect_finite, expect_keys, expect_scalar, expect_sequence
from numerics import rel_error

# Values the checks compare (steps, bias-corrected moments), as rel_error
# measures them.  Right answers agree to 1e-14 in float64 and to 2.2e-8 when a
# bias correction is rounded through float32 (the worst right variant); a
# float32 step would be off by ~1e-7.  The closest bug a value check sees is off
# by 0.1 (epsilon inside Adam's square root), the next by 0.33.  1e-5 is 450x
# above the float32 answer and 10,000x below that bug.
VALUE_RTOL = 1e-5

DIMS = [3, 4, 2, 1]          # a 3-layer network: W1 (4, 3), W2 (2, 4), W3 (1, 2)


def _params(rng, dims=DIMS):
    return {f"{p}{l}": rng.standard_normal((dims[l], dims[l - 1] if p == "W" else 1))
            for l in range(1, len(dims)) for p in "Wb"}


def _grads(rng, params):
    """dW{l}, db{l}: random signs, 0.1 <= |g| <= 1."""
    return {"d" + k: rng.choice([-1.0, 1.0], w.shape) * rng.uniform(0.1, 1, w.shape)
            for k, w in params.items()}


def _zeros(params):
    return {"d" + k: np.zeros_like(w) for k, w in params.items()}


def _expect_dict(value, template, name):
    """A dict with exactly template's keys, each a float array of its shape."""
    expect_keys(value, list(template), name)
    extra = sorted(set(value) - set(template))
    expect(not extra, f"{name} has unexpected key(s) {', '.join(extra)}")
    for k, t in template.items():
        expect_array(value[k], k if name == "parameters" else f"{name}[{k!r}]", t.shape)
        expect_finite(value[k], f"{name}[{k!r}]")


def _close(a, b):
    return bool(np.all(rel_error(a, b) <= VALUE_RTOL))


def _same_dict(a, b):
    return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)


def _unchanged(before, after, fn, name):
    expect(_same_dict(before, after), f"{fn} modified its argument {name}: read it, don't write it")


def _number(value, name):
    """One real number (a numpy scalar counts) as a Python float."""
    if isinstance(value, np.generic):
        value = value.item()
    return expect_scalar(value, name)


def _passed(fn):
    print(f"{fn}: all public checks passed")


# ------------------------------------------------------------------------

def check_update_parameters_with_gd(update_parameters_with_gd):
    name = "update_parameters_with_gd"
    rng = np.random.default_rng(10)
    params = _params(rng)
    grads = _grads(rng, params)
    kept = copy.deepcopy(grads)
    new = update_parameters_with_gd(copy.deepcopy(params), grads, 0.1)
    expect(new is not None, f"{name} returned None: return the updated parameters")
    _expect_dict(new, params, "parameters")
    _unchanged(kept, grads, name, "grads")
    for k, w in params.items():
        expect(np.all(np.sign(new[k] - w) == -np.sign(grads["d" + k])),
               f"{k} did not move against its gradient: a descent step subtracts")
    twice = update_parameters_with_gd(copy.deepcopy(params), grads, 0.2)
    for k, w in params.items():
        expect(_close(twice[k] - w, 2 * (new[k] - w)),
               f"{k}: doubling learning_rate should double the step")
    same = update_parameters_with_gd(copy.deepcopy(params), _zeros(params), 0.1)
    expect(_same_dict(same, params), "a zero gradient must leave the parameters unchanged")
    _passed(name)


def _batch_checks(random_mini_batches, X, Y, size, seed):
    """Run one call; check structure, sizes, partition and X/Y pairing."""
    n_x, m = X.shape
    X_in, Y_in = X.copy(), Y.copy()
    batches = random_mini_batches(X_in, Y_in, size, seed)
    where = f"random_mini_batches with m={m}, mini_batch_size={size}"
    expect(batches is not None, f"{where} returned None: return the list of mini-batches")
    expect(type(batches) in (list, tuple), f"{where} should return a list of (X, Y) tuples")
    expect(np.array_equal(X_in, X) and np.array_equal(Y_in, Y),
           f"{where} modified X or Y: shuffle a copy (X[:, permutation]), not X itself")
    sizes, columns = [], []
    for i, item in enumerate(batches):
        bx, by = expect_sequence(item, 2, f"mini-batch {i}")
        expect_array(bx, f"mini_batch_X of batch {i}")
        expect(bx.ndim == 2 and bx.shape[0] == n_x,
               f"mini_batch_X of batch {i} has shape {bx.shape}; examples are columns, "
               f"so it should be ({n_x}, k)")
        expect_array(by, f"mini_batch_Y of batch {i}", (1, bx.shape[1]))
        sizes.append(bx.shape[1])
        columns.extend(zip(bx.T.tolist(), by[0].tolist()))
    want = [size] * (m // size) + ([m % size] if m % size else [])
    expect(sizes == want, f"{where}: batch sizes {sizes}; expected every batch full "
                          f"({size}) except one smaller last batch when m is not a multiple")
    pairs = sorted(zip(X.T.tolist(), Y[0].tolist()))
    expect(sorted(columns) == pairs,
           f"{where}: the mini-batches should hold every (x, y) column pair of X, Y exactly "
           "once: shuffle columns, with the same permutation for X and Y")
    return [np.asarray(bx) for bx, _ in batches]


def check_random_mini_batches(random_mini_batches):
    name = "random_mini_batches"
    rng = np.random.default_rng(11)
    for m, size in ((148, 64), (128, 32), (10, 64)):
        X = rng.standard_normal((3, m))
        Y = rng.permutation(m).reshape(1, m) / m      # distinct labels show the pairing
        first = _batch_checks(random_mini_batches, X, Y, size, 5)
        again = _batch_checks(random_mini_batches, X, Y, size, 5)
        expect(all(np.array_equal(a, b) for a, b in zip(first, again)),
               "two calls with the same seed gave different mini-batches: "
               "call np.random.seed(seed) inside the function, before shuffling")
    X = np.arange(100.0).reshape(1, 100)
    batches = random_mini_batches(X.copy(), X.copy(), 100, 3)
    expect(not np.array_equal(batches[0][0], X), "the examples come out in their original "
                                                 "order: shuffle them first")
    other = random_mini_batches(X.copy(), X.copy(), 100, 4)
    expect(not np.array_equal(batches[0][0], other[0][0]),
           "seeds 3 and 4 gave the same order: seed numpy's RNG with the seed argument")
    _passed(name)


def check_initialize_velocity(initialize_velocity):
    name = "initialize_velocity"
    params = _params(np.random.default_rng(12))
    kept = copy.deepcopy(params)
    v = initialize_velocity(params)
    expect(v is not None, f"{name} returned None: return the dict v")
    _expect_dict(v, _zeros(params), "v")
    for k, x in v.items():
        expect(not np.any(x), f"v[{k!r}] should start at zero")
    _unchanged(kept, params, name, "parameters")
    _passed(name)


def check_update_parameters_with_momentum(update_parameters_with_momentum):
    name = "update_parameters_with_momentum"
    rng = np.random.default_rng(13)
    params = _params(rng)
    grads = _grads(rng, params)
    kept = copy.deepcopy(grads)
    out = update_parameters_with_momentum(copy.deepcopy(params), grads, _zeros(params), 0.9, 0.1)
    expect(out is not None, f"{name} returned None: return (parameters, v)")
    new, v = expect_sequence(out, 2, f"{name}'s return value (parameters, v)")
    _expect_dict(new, params, "parameters")
    _expect_dict(v, _zeros(params), "v")
    _unchanged(kept, grads, name, "grads")
    for k, g in grads.items():
        expect(np.all(np.sign(v[k]) == np.sign(g)) and np.all(np.abs(v[k]) < np.abs(g)),
               f"v[{k!r}] after one step from v = 0 should point like the gradient and be "
               "shorter than it (a weighted average with the zero start)")
    for k, w in params.items():
        expect(np.all(np.sign(new[k] - w) == -np.sign(grads["d" + k])),
               f"{k} did not move against its gradient")
    new0, _ = update_parameters_with_momentum(copy.deepcopy(params), grads, _zeros(params),
                                              0.0, 0.1)
    for k, w in params.items():
        expect(_close(new0[k] - w, -0.1 * grads["d" + k]),
               f"with beta = 0 momentum is plain gradient descent, but {k} moved differently")
    same, v0 = update_parameters_with_momentum(copy.deepcopy(params), _zeros(params),
                                               _zeros(params), 0.9, 0.1)
    expect(_same_dict(same, params) and not any(np.any(x) for x in v0.values()),
           "a zero gradient from v = 0 must change neither the parameters nor v")
    _passed(name)


def check_initialize_adam(initialize_adam):
    name = "initialize_adam"
    params = _params(np.random.default_rng(14))
    kept = copy.deepcopy(params)
    out = initialize_adam(params)
    expect(out is not None, f"{name} returned None: return (v, s)")
    v, s = expect_sequence(out, 2, f"{name}'s return value (v, s)")
    for label, d in (("v", v), ("s", s)):
        _expect_dict(d, _zeros(params), label)
        for k, x in d.items():
            expect(not np.any(x), f"{label}[{k!r}] should start at zero")
    _unchanged(kept, params, name, "parameters")
    _passed(name)


def check_update_parameters_with_adam(update_parameters_with_adam):
    name = "update_parameters_with_adam"
    rng = np.random.default_rng(15)
    params = _params(rng)
    grads = _grads(rng, params)
    kept = copy.deepcopy(grads)
    lr = 0.01
    out = update_parameters_with_adam(copy.deepcopy(params), grads, _zeros(params),
                                      _zeros(params), 1, lr)
    expect(out is not None, f"{name} returned None")
    new, v, s, v_corr, s_corr = expect_sequence(
        out, 5, f"{name}'s return value (parameters, v, s, v_corrected, s_corrected)")
    _expect_dict(new, params, "parameters")
    for label, d in (("v", v), ("s", s), ("v_corrected", v_corr), ("s_corrected", s_corr)):
        _expect_dict(d, _zeros(params), label)
        if label.startswith("s"):
            expect(all(np.all(x >= 0) for x in d.values()),
                   f"{label} holds negative entries: it averages squared gradients")
    _unchanged(kept, grads, name, "grads")
    for k, w in params.items():
        step = new[k] - w
        expect(np.all(np.sign(step) == -np.sign(grads["d" + k])),
               f"{k} did not move against its gradient")
        # |step| = lr * |g| / (|g| + 1e-8): within 1e-7 of lr (|g| >= 0.1)
        expect(np.all(np.abs(np.abs(step) - lr) <= VALUE_RTOL * lr),
               f"{k}: the first Adam step (t = 1, v = s = 0) moves every entry by about "
               "learning_rate, whatever the gradient's size; check the bias correction "
               "1 - beta**t and the square root")
    # The notebook's first fact: at t = 1 every entry moves by lr * |g| / (|g| + epsilon).
    # With epsilon as large as the gradients its place shows: inside the square root the
    # step would be lr * |g| / sqrt(g**2 + epsilon) instead.
    eps = 0.5
    first = update_parameters_with_adam(copy.deepcopy(params), grads, _zeros(params),
                                        _zeros(params), 1, lr, 0.9, 0.999, eps)
    expect(first is not None, f"{name} returned None")
    for k, w in params.items():
        g = np.abs(grads["d" + k])
        expect(_close(np.abs(first[0][k] - w), lr * g / (g + eps)),
               f"{k}: with epsilon = {eps}, the first step (t = 1, v = s = 0) must move every "
               f"entry by learning_rate * |dW| / (|dW| + epsilon); is epsilon added outside "
               "the square root, np.sqrt(s_corrected) + epsilon?")
    for t in (2, 3):   # keep stepping on the same gradient, feeding v and s back
        out = update_parameters_with_adam(out[0], grads, out[1], out[2], t, lr)
        expect(out is not None, f"{name} returned None")
        for k, g in grads.items():
            expect(_close(out[3][k], g),
                   f"v_corrected[{k!r}] at t={t}: on a constant gradient from v = 0 the "
                   "bias-corrected first moment equals the gradient at every t; check the "
                   "bias correction 1 - beta1**t and that v (not v_corrected) is returned")
            expect(_close(out[4][k], g ** 2),
                   f"s_corrected[{k!r}] at t={t}: on a constant gradient from s = 0 the "
                   "bias-corrected second moment equals gradient**2 at every t; check the "
                   "bias correction 1 - beta2**t")
    zero = _zeros(params)
    same = update_parameters_with_adam(copy.deepcopy(params), zero, _zeros(params),
                                       _zeros(params), 3, lr)
    expect(_same_dict(same[0], params),
           "a zero gradient from v = s = 0 must leave the parameters unchanged "
           "(is epsilon in the denominator?)")
    _passed(name)


def check_update_lr(update_lr):
    name = "update_lr"
    rates = [_number(update_lr(0.5, e, 0.3), f"update_lr(0.5, {e}, 0.3)")
             for e in range(6)]
    expect(abs(rates[0] - 0.5) <= 1e-12, "at epoch_num = 0 the rate must be learning_rate0")
    expect(all(0 < b < a for a, b in zip(rates, rates[1:])),
           f"the rate should shrink, and stay positive, as epoch_num grows: got {rates}")
    _passed(name)


def check_schedule_lr_decay(schedule_lr_decay):
    name = "schedule_lr_decay"
    rates = [_number(schedule_lr_decay(0.5, e, 0.3, 10), f"schedule_lr_decay(0.5, {e}, 0.3, 10)")
             for e in range(30)]
    expect(abs(rates[0] - 0.5) <= 1e-12, "at epoch_num = 0 the rate must be learning_rate0")
    for e in range(1, 30):
        if e % 10:
            expect(rates[e] == rates[e - 1], f"with time_interval=10 the rate changed between "
                                             f"epochs {e - 1} and {e}: it should only change "
                                             "every time_interval epochs")
        else:
            expect(rates[e] < rates[e - 1], f"with time_interval=10 the rate should drop at "
                                            f"epoch {e}")
    expect(_number(schedule_lr_decay(0.5, 999, 0.3), "schedule_lr_decay(0.5, 999, 0.3)")
           == 0.5, "with the default time_interval (1000) the rate is still learning_rate0 "
                   "at epoch 999")
    _passed(name)


# Every check's failure message is wrapped to fit nbgrader validate's lines.
fit_public_checks(globals())
