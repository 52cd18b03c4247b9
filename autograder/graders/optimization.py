"""Hidden graders of the `optimization` assignment.

Every test builds fresh inputs from ``grader_rng(<test name>)`` and checks
properties: update values against the formula written out here (not the
reference module), invariants (a zero gradient moves nothing, Adam's first
step is learning_rate * sign(grad), momentum's velocity on a constant
gradient), and how the functions treat their arguments.  Arguments cover
L = 1, 2, 3 layers, beta != 0.5 (0.5 hides swapped beta and 1 - beta), t > 1
(t = 1 hides a bias correction by beta instead of beta**t), m a multiple of
the batch size, not a multiple, and smaller than it.

Argument policy (the ``*_arguments`` tests): ``grads`` is never modified.  An
optimizer step may update ``parameters``, ``v`` and ``s`` in place (the
course's loops assign into the caller's dicts) provided it returns those same
updated values: after the call each holds either its input values or exactly
the returned ones.  Initializers and ``random_mini_batches`` leave their
arguments untouched.

``random_mini_batches``: its signature takes a seed, so the course's shuffle
is the spec: ``np.random.seed(seed)`` then ``np.random.permutation(m)``
(``np.random.shuffle(np.arange(m))`` and ``np.random.choice(m, m,
replace=False)`` give the same order after that seed).  Only
``test_random_mini_batches_permutation`` checks the order itself; the
partition, pairing, batch-size and seeding tests accept any shuffle.

Points go to behaviour, never to structure alone: keys, shapes and types
are validated by every test before use.  Properties an identity stub has for
free are judged on a working answer only: a zero gradient moving nothing
after a right step; arguments left unmodified by an answer that does the
work (returns what it should, in structure, and takes a step), right or not,
so one bug does not also cost that point while ``return parameters`` earns
nothing (tests/test_optimization.py holds the graders to that).

``initialize_adam`` returning one dict twice (``v = s = {}``: Adam's two
moments then overwrite each other) is checked against the channel's identity
contract: within one return value, two references to one object arrive as two
references to one plain copy, in process and out of process.  Until the
channel keeps that contract the check cannot see the bug (the test of the
mutant is an expected failure, tests/test_mutants.py).  Also checked:
``update_parameters_with_adam`` keeps v, s and their corrected versions apart
(``test_update_parameters_with_adam_v_s_independent``).
"""

import itertools

import numpy as np

from autograder.checks import context as _when
from autograder.checks import (describe, expect, expect_array, expect_close, expect_keys,
                               expect_scalar, expect_scalar_close,
                               expect_sequence, fail, same_values)
from autograder.checks import StudentError
from autograder.graders import VALUE_RTOL, expect_inputs_kept, grader_rng
from autograder.grading import graded
from autograder.numerics import EXACT_RTOL, rel_error

# Layer sizes [n0, n1, ..., nL] for L = 1, 2, 3.
DIMS = ([3, 1], [4, 3, 1], [5, 4, 3, 2])

# Gradient entries are drawn with |g| >= GRAD_FLOOR, so that with Adam's
# epsilon = 1e-8 the first step lr * |g| / (|g| + eps) is lr to within
# eps / GRAD_FLOOR = 1e-7 relative.  ADAM_SIGN_RTOL leaves 10x room (and is
# far below any real bug, which moves the step by a factor, not 1e-6).
GRAD_FLOOR = 0.1
ADAM_SIGN_RTOL = 1e-6


# ---------------------------------------------------------------- inputs ---

def _params(rng, dims):
    """W{l}: (n[l], n[l-1]), b{l}: (n[l], 1), entries N(0, 1)."""
    return {f"{p}{l}": rng.standard_normal((dims[l], dims[l - 1] if p == "W" else 1))
            for l in range(1, len(dims)) for p in "Wb"}


def _grads(rng, params):
    """dW{l}, db{l} shaped like W{l}, b{l}: random signs, GRAD_FLOOR <= |g| <= 1."""
    return {"d" + k: rng.choice([-1.0, 1.0], size=w.shape) * rng.uniform(GRAD_FLOOR, 1, w.shape)
            for k, w in params.items()}


def _zeros(params):
    """dW{l}, db{l}: zeros shaped like W{l}, b{l}."""
    return {"d" + k: np.zeros_like(w) for k, w in params.items()}


def _copy(d):
    return {k: np.array(v) for k, v in d.items()}


# ---------------------------------------------------------------- checks ---

def _label(name, key):
    return key if name == "parameters" else f"{name}[{key!r}]"


def _expect_dict(value, template, name):
    """``value`` is a dict with exactly ``template``'s keys and array shapes."""
    expect_keys(value, list(template), name)
    extra = sorted(set(value) - set(template))
    expect(not extra, f"{name} has unexpected key(s) {', '.join(extra)}; "
                      f"expected exactly {', '.join(template)}")
    for k, t in template.items():
        expect_array(value[k], _label(name, k), np.shape(t))
    return value


def _expect_dict_close(actual, desired, name):
    _expect_dict(actual, desired, name)
    for k, d in desired.items():
        expect_close(actual[k], d, _label(name, k), VALUE_RTOL)


def _copy(state):
    """A fresh, separate copy of a dict of arrays (no two keys share an array)."""
    return {k: np.array(a, copy=True) for k, a in state.items()}


def _expect_states_kept(function, call, args, positions, returned, change, changed):
    """The state policy of an update function, judged from ``call.again``: the
    answer of a second call on the same objects with ``change`` (another
    learning rate or t, so no first answer can be replayed).  It must equal
    the student's own answer on fresh copies where each state argument
    (``positions``: {name: position}) is the original or, if the first call
    updated it in place, what the first call returned (``returned``); grads
    are only read.  A wrong formula that keeps to the policy passes."""
    names = list(positions)
    for updated in itertools.product((False, True), repeat=len(names)):
        fresh = list(args)
        for name, u in zip(names, updated):
            fresh[positions[name]] = _copy(returned[name] if u else args[positions[name]])
        for i, value in change.items():
            fresh[i] = value
        if same_values(call.again, function.call(fresh).value, 1e-12):
            return
    fail(f"{function.name} answered differently when called again on the same objects (with "
         f"{changed}) than on fresh copies of them: leave {' and '.join(names)} unchanged, or "
         "update them in place to exactly the values you return; never change grads")


def _pipeline(student, inputs, steps, consumer):
    """``student.pipeline`` with no keyword arguments; when the consumer
    (a later step) fails, say to fix it first: this check uses it."""
    try:
        return student.pipeline(inputs, [(name, args, {}) for name, args in steps])
    except StudentError as exc:
        if str(exc).startswith(consumer):
            fail(f"fix {consumer} first: this check uses it ({exc})")
        raise


def _expect_moved(returned, params, fn):
    """The working-answer gate of the *_arguments tests of update functions:
    the returned parameters (validated before) differ from the inputs after a
    step on a non-zero gradient (an identity stub does not)."""
    expect(any(not np.array_equal(returned[k], params[k]) for k in params),
           f"{fn} returned the parameters unchanged after a step on a non-zero gradient: "
           "leaving the arguments unmodified earns its point only on an answer that takes a step")


def _unpack(value, names, fn):
    """A returned tuple (or list) of dicts, one per name."""
    if len(names) == 1:
        return (value,)
    expect(value is not None, f"{fn} returned None, expected ({', '.join(names)})")
    expect_sequence(value, len(names), f"{fn}'s return value ({', '.join(names)})")
    return tuple(value)


# ------------------------------------------------------ gradient descent ---

@graded("update_parameters_with_gd", points=2)
def test_update_parameters_with_gd_formula(student):
    rng = grader_rng("test_update_parameters_with_gd_formula")
    for dims, lr in zip(DIMS, (0.1, 0.007, 1.3)):
        params = _params(rng, dims)
        grads = _grads(rng, params)
        want = {k: w - lr * grads["d" + k] for k, w in params.items()}
        got = student.update_parameters_with_gd(params, grads, lr)
        with _when(f"update_parameters_with_gd, L={len(dims) - 1}, learning_rate={lr}"):
            _expect_dict_close(got, want, "parameters")


def _gd_step(student, params, grads, lr, context, again=False):
    """A working gradient-descent step is the precondition of the property tests."""
    with _when(f"update_parameters_with_gd, L={len(params) // 2}, learning_rate={lr}{context}"):
        call = student.update_parameters_with_gd.call((params, grads, lr), again=again)
        _expect_dict_close(call.value, {k: w - lr * grads["d" + k] for k, w in params.items()},
                           "parameters")
    return call


@graded("update_parameters_with_gd", points=1)
def test_update_parameters_with_gd_zero_gradient(student):
    rng = grader_rng("test_update_parameters_with_gd_zero_gradient")
    for dims in DIMS:
        params = _params(rng, dims)
        _gd_step(student, params, _grads(rng, params), 0.5, " (before the zero-gradient check)")
        got = student.update_parameters_with_gd(params, _zeros(params), 0.5)
        with _when(f"a zero gradient must leave the parameters unchanged (L={len(dims) - 1})"):
            _expect_dict_close(got, params, "parameters")


@graded("update_parameters_with_gd", points=1)
def test_update_parameters_with_gd_arguments(student):
    rng = grader_rng("test_update_parameters_with_gd_arguments")
    fn = "update_parameters_with_gd"
    for dims in DIMS[1:]:
        params = _params(rng, dims)
        grads = _grads(rng, params)
        with _when(f"update_parameters_with_gd, L={len(params) // 2}, learning_rate=0.1"):
            call = student.update_parameters_with_gd.call((params, grads, 0.1), again={2: 0.3})
            _expect_dict(call.value, params, "parameters")
            _expect_moved(call.value, params, fn)
        _expect_states_kept(student.update_parameters_with_gd, call, (params, grads, 0.1),
                            {"parameters": 0}, {"parameters": call.value}, {2: 0.3},
                            "learning_rate = 0.3")


# ----------------------------------------------------------- mini-batches ---

def _examples(rng, n_x, m):
    """X: (n_x, m) and Y: (1, m) whose every column / entry is distinct, so a
    mini-batch column tells which example it is."""
    return rng.standard_normal((n_x, m)), rng.permutation(m).reshape(1, m) + rng.uniform(0.1, 0.9)


def _batches(value, n_x, size, context):
    """Validate a returned list of (mini_batch_X, mini_batch_Y), each holding
    1..size examples; returns it as a list of (X_k: (n_x, k), Y_k: (1, k))."""
    with _when(context):
        expect(value is not None, "returned None, expected a list of (mini_batch_X, mini_batch_Y)")
        expect(type(value) in (list, tuple),
               f"returned {describe(value)}, expected a list of (mini_batch_X, mini_batch_Y)")
        out = []
        for i, item in enumerate(value):
            bx, by = expect_sequence(item, 2, f"mini-batch {i}")
            expect_array(bx, f"mini_batch_X of batch {i}")
            expect(bx.ndim == 2 and bx.shape[0] == n_x,
                   f"mini_batch_X of batch {i} has shape {bx.shape}, expected ({n_x}, k): "
                   "examples are columns")
            k = bx.shape[1]
            expect_array(by, f"mini_batch_Y of batch {i}", (1, k))
            expect(k > 0, f"batch {i} is empty (0 examples); every mini-batch must hold examples")
            expect(k <= size, f"batch {i} holds {k} examples, more than mini_batch_size={size}")
            out.append((bx, by))
        return out


def _positions(batches, X, Y, context):
    """Which example (column of X) each returned column is, batch by batch;
    fails unless X and Y columns stay paired and every example is used once."""
    column = {X[:, j].tobytes(): j for j in range(X.shape[1])}
    label = {float(y): j for j, y in enumerate(Y[0])}
    seen, order = {}, []
    with _when(context):
        for i, (bx, by) in enumerate(batches):
            for c in range(bx.shape[1]):
                j = column.get(np.ascontiguousarray(bx[:, c], dtype=np.float64).tobytes())
                expect(j is not None, f"column {c} of mini_batch_X in batch {i} is not a column "
                                      "of X: shuffle whole columns (examples), not rows or entries")
                expect(j not in seen,
                       f"example {j} is in batch {seen.get(j)} and again in batch {i}")
                seen[j] = i
                y = label.get(float(by[0, c]))
                expect(y == j, f"batch {i}, column {c}: mini_batch_X holds example {j} but "
                               f"mini_batch_Y holds the label of "
                               f"{'no example' if y is None else f'example {y}'}: "
                               "shuffle X and Y with the same permutation")
                order.append(j)
        missing = sorted(set(range(X.shape[1])) - seen.keys())
        expect(not missing, f"{len(missing)} of the {X.shape[1]} examples are in no mini-batch "
                            f"(first: example {missing[0] if missing else ''})")
    return order


# (m, mini_batch_size or None for the default 64, seed or None for the default 0)
BATCH_CASES = ((148, None, None), (256, 64, 3), (10, 64, 1), (7, 7, 2),
               (100, 32, 5), (33, 1, 4), (50, 16, 11))


def _call_batches(student, X, Y, size, seed, rng_seed=None, again=False):
    kwargs = {}
    if size is not None:
        kwargs["mini_batch_size"] = size
    if seed is not None:
        kwargs["seed"] = seed
    described = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    context = f"random_mini_batches(X: {X.shape}, Y: {Y.shape}{', ' if kwargs else ''}{described})"
    call = student.random_mini_batches.call((X, Y), kwargs, rng_seed=rng_seed, again=again)
    return call, _batches(call.value, X.shape[0], size or 64, context), context


@graded("random_mini_batches", points=1)
def test_random_mini_batches_partition(student):
    """Every example lands in exactly one batch, X and Y columns stay paired."""
    rng = grader_rng("test_random_mini_batches_partition")
    for m, size, seed in BATCH_CASES:
        X, Y = _examples(rng, 3, m)
        _, batches, context = _call_batches(student, X, Y, size, seed)
        _positions(batches, X, Y, context)


@graded("random_mini_batches", points=1)
def test_random_mini_batches_sizes(student):
    """All full batches first, then one batch with the remainder if any."""
    rng = grader_rng("test_random_mini_batches_sizes")
    for m, size, seed in BATCH_CASES:
        X, Y = _examples(rng, 2, m)
        _, batches, context = _call_batches(student, X, Y, size, seed)
        full = 64 if size is None else size
        want = [full] * (m // full) + ([m % full] if m % full else [])
        got = [bx.shape[1] for bx, _ in batches]
        with _when(context):
            expect(got == want, f"batch sizes are {got}, expected {want}: "
                                f"{m // full} full batch(es) of {full} first, then "
                                + (f"one batch with the {m % full} left over"
                                   if m % full else f"nothing more ({m} is a multiple of {full})"))


@graded("random_mini_batches", points=2)
def test_random_mini_batches_follows_seed(student):
    """Same seed -> same batches whatever the RNG did before; shuffled at all;
    another seed -> another order."""
    rng = grader_rng("test_random_mini_batches_follows_seed")
    X, Y = _examples(rng, 3, 100)
    _, first, context = _call_batches(student, X, Y, 32, 7, rng_seed=1)
    _, again, _ = _call_batches(student, X, Y, 32, 7, rng_seed=2)
    _, other, other_context = _call_batches(student, X, Y, 32, 8, rng_seed=1)
    order = _positions(first, X, Y, context)
    with _when(context):
        expect(order == _positions(again, X, Y, context),
               "two calls with seed=7 gave different mini-batches: seed numpy's RNG with "
               "np.random.seed(seed) inside the function, before shuffling")
        expect(order != list(range(100)), "the examples come out in their original order: "
                                          "shuffle them before cutting mini-batches")
        expect(order != _positions(other, X, Y, other_context),
               "seeds 7 and 8 gave the same order: seed with the seed argument")


@graded("random_mini_batches", points=1)
def test_random_mini_batches_permutation(student):
    """The order is the course's: np.random.seed(seed); np.random.permutation(m)."""
    rng = grader_rng("test_random_mini_batches_permutation")
    for m, size, seed in ((148, None, None), (90, 30, 21), (45, 8, 9)):
        X, Y = _examples(rng, 2, m)
        _, batches, context = _call_batches(student, X, Y, size, seed)
        order = np.array(_positions(batches, X, Y, context))
        # RandomState(seed) is what np.random.seed(seed) makes the global RNG.
        want = np.random.RandomState(0 if seed is None else seed).permutation(m)
        first = int(np.argmax(order != want)) if (order != want).any() else None
        with _when(context):
            expect(first is None, f"the examples' order differs from np.random.permutation(m) "
                                  f"taken right after np.random.seed(seed), from position {first} "
                                  "on: shuffle with one call to np.random.permutation(m)")


@graded("random_mini_batches", points=1)
def test_random_mini_batches_arguments(student):
    rng = grader_rng("test_random_mini_batches_arguments")
    X, Y = _examples(rng, 3, 70)
    call, batches, context = _call_batches(student, X, Y, 16, 5)   # valid mini-batches first
    with _when(context):
        expect(len(batches) > 0, "returned no mini-batches: leaving X and Y unmodified earns "
                                 "its point only on an answer that makes mini-batches")
    expect_inputs_kept(student.random_mini_batches, (X, Y), {"seed": 6}, "X and Y "
                       "(index a shuffled copy, X[:, permutation], instead of shuffling in "
                       "place)", "seed = 6", kwargs={"mini_batch_size": 16, "seed": 5})


# --------------------------------------------------------------- momentum ---

@graded("initialize_velocity", points=2)
def test_initialize_velocity_zeros(student):
    rng = grader_rng("test_initialize_velocity_zeros")
    for dims in DIMS:
        params = _params(rng, dims)
        with _when(f"initialize_velocity, L={len(dims) - 1}: the velocity starts at zero"):
            _expect_dict_close(student.initialize_velocity(params), _zeros(params), "v")


@graded("initialize_velocity", points=1)
def test_initialize_velocity_arguments(student):
    rng = grader_rng("test_initialize_velocity_arguments")
    params = _params(rng, DIMS[2])
    grads = _grads(rng, params)
    call = student.initialize_velocity.call((params,))
    with _when("initialize_velocity (judged on an answer returning v of the right keys and shapes)"):
        _expect_dict(call.value, _zeros(params), "v")
    # as the training loop uses it: the velocity, then your momentum step on the
    # same objects, against your momentum step on fresh copies of the parameters
    # and of the v returned: a v that shares (or zeroed) the parameters' arrays
    # makes the two differ
    v, (stepped, _) = _pipeline(student, (params, grads), [
        ("initialize_velocity", [("input", 0)]),
        ("update_parameters_with_momentum", [("input", 0), ("input", 1), ("result", 0),
                                             ("value", 0.9), ("value", 0.1)])],
        "update_parameters_with_momentum")
    fresh, _ = _unpack(student.update_parameters_with_momentum(
        params, grads, _copy(call.value), 0.9, 0.1), ("parameters", "v"),
        "update_parameters_with_momentum")
    expect(same_values(stepped, fresh, 1e-12),
           "initialize_velocity, then your update_parameters_with_momentum on the same objects "
           "(as the training loop does) lands elsewhere than the same step from a fresh copy of "
           "the parameters: initialize_velocity changed the parameters or made v share their "
           "arrays; build v as a new dict of new arrays")


def _momentum_step(student, params, grads, v, beta, lr):
    value = student.update_parameters_with_momentum(params, grads, v, beta, lr)
    got_params, got_v = _unpack(value, ("parameters", "v"), "update_parameters_with_momentum")
    _expect_dict(got_params, params, "parameters")
    _expect_dict(got_v, v, "v")
    return got_params, got_v


def _momentum_want(params, grads, v, beta, lr):
    v1 = {k: beta * v[k] + (1 - beta) * grads[k] for k in v}
    return {k: w - lr * v1["d" + k] for k, w in params.items()}, v1


def _momentum_working(student, params, grads, v, beta, lr, context="", again=False):
    """One momentum step from a random v, checked against the formula.
    Returns the Call (value = (parameters, v))."""
    want_v = {k: beta * v[k] + (1 - beta) * grads[k] for k in v}
    want = {k: w - lr * want_v["d" + k] for k, w in params.items()}
    with _when(f"update_parameters_with_momentum, L={len(params) // 2}, beta={beta}, "
               f"learning_rate={lr}, from a random v{context}"):
        call = student.update_parameters_with_momentum.call((params, grads, v, beta, lr),
                                                            again=again)
        got_params, got_v = _unpack(call.value, ("parameters", "v"),
                                    "update_parameters_with_momentum")
        _expect_dict_close(got_v, want_v, "v")
        _expect_dict_close(got_params, want, "parameters")
    return call


@graded("update_parameters_with_momentum", points=2)
def test_update_parameters_with_momentum_formula(student):
    rng = grader_rng("test_update_parameters_with_momentum_formula")
    for dims, beta, lr in zip(DIMS, (0.9, 0.7, 0.95), (0.1, 0.03, 0.6)):
        params = _params(rng, dims)
        _momentum_working(student, params, _grads(rng, params), _grads(rng, params), beta, lr)


@graded("update_parameters_with_momentum", points=1)
def test_update_parameters_with_momentum_zero_gradient(student):
    rng = grader_rng("test_update_parameters_with_momentum_zero_gradient")
    for dims in DIMS:
        params = _params(rng, dims)
        _momentum_working(student, params, _grads(rng, params), _grads(rng, params), 0.9, 0.5,
                          " (before the zero-gradient check)")
        with _when(f"a zero gradient from a zero velocity must change nothing "
                   f"(L={len(dims) - 1}, beta=0.9)"):
            got_params, got_v = _momentum_step(student, params, _zeros(params), _zeros(params),
                                               0.9, 0.5)
            _expect_dict_close(got_v, _zeros(params), "v")
            _expect_dict_close(got_params, params, "parameters")


@graded("update_parameters_with_momentum", points=1)
def test_update_parameters_with_momentum_constant_gradient(student):
    """From v = 0 on a constant gradient g, v_k = (1 - beta**k) g and
    W_k = W_0 - lr * sum_{i<=k} (1 - beta**i) g."""
    rng = grader_rng("test_update_parameters_with_momentum_constant_gradient")
    beta, lr = 0.8, 0.05
    params = _params(rng, DIMS[1])
    grads = _grads(rng, params)
    v, travelled = _zeros(params), 0.0
    current = params
    for k in range(1, 5):
        travelled += 1 - beta ** k
        with _when(f"step {k} of momentum (beta={beta}) from v = 0 on a constant gradient, "
                   f"where v should be (1 - beta**{k}) * grad"):
            current, v = _momentum_step(student, current, grads, v, beta, lr)
            _expect_dict_close(v, {g: (1 - beta ** k) * d for g, d in grads.items()}, "v")
            _expect_dict_close(current, {p: w - lr * travelled * grads["d" + p]
                                         for p, w in params.items()}, "parameters")


@graded("update_parameters_with_momentum", points=1)
def test_update_parameters_with_momentum_arguments(student):
    rng = grader_rng("test_update_parameters_with_momentum_arguments")
    fn = "update_parameters_with_momentum"
    params = _params(rng, DIMS[2])
    grads, v = _grads(rng, params), _grads(rng, params)
    with _when(f"update_parameters_with_momentum, L={len(params) // 2}, beta=0.9, "
               "learning_rate=0.1, from a random v"):
        call = student.update_parameters_with_momentum.call((params, grads, v, 0.9, 0.1),
                                                            again={4: 0.3})
        got_params, got_v = _unpack(call.value, ("parameters", "v"), fn)
        _expect_dict(got_params, params, "parameters")
        _expect_dict(got_v, v, "v")
        _expect_moved(got_params, params, fn)
    _expect_states_kept(student.update_parameters_with_momentum, call,
                        (params, grads, v, 0.9, 0.1), {"parameters": 0, "v": 2},
                        {"parameters": got_params, "v": got_v}, {4: 0.3}, "learning_rate = 0.3")


# ------------------------------------------------------------------- Adam ---

def _init_adam(student, params, context):
    with _when(context):
        v, s = _unpack(student.initialize_adam(params), ("v", "s"), "initialize_adam")
        _expect_dict(v, _zeros(params), "v")
        _expect_dict(s, _zeros(params), "s")
    return v, s


@graded("initialize_adam", points=2)
def test_initialize_adam_zeros(student):
    rng = grader_rng("test_initialize_adam_zeros")
    for dims in DIMS:
        params = _params(rng, dims)
        context = f"initialize_adam, L={len(dims) - 1}: v and s start at zero"
        v, s = _init_adam(student, params, context)
        with _when(context):
            _expect_dict_close(v, _zeros(params), "v")
            _expect_dict_close(s, _zeros(params), "s")


@graded("initialize_adam", points=1)
def test_initialize_adam_arguments(student):
    rng = grader_rng("test_initialize_adam_arguments")
    params = _params(rng, DIMS[2])
    grads = _grads(rng, params)
    call = student.initialize_adam.call((params,))
    with _when("initialize_adam (judged on an answer returning v and s of the right keys and "
               "shapes)"):
        v0, s0 = _unpack(call.value, ("v", "s"), "initialize_adam")
        for name, value in zip("vs", (v0, s0)):
            _expect_dict(value, _zeros(params), name)
    expect(v0 is not s0, "initialize_adam returned one dictionary as both v and s (v = s = {}?): "
                         "Adam's two moments would overwrite each other; build two dictionaries")
    # as the training loop uses it: v, s, then your Adam step on the same
    # objects, against your Adam step on fresh, separate copies of the
    # parameters, v and s: v and s that are one dict (v = s = {}), or that
    # share the parameters' arrays, make the two differ
    _, stepped = _pipeline(student, (params, grads), [
        ("initialize_adam", [("input", 0)]),
        ("update_parameters_with_adam", [("input", 0), ("input", 1), ("result", 0, 0),
                                         ("result", 0, 1), ("value", 1)])],
        "update_parameters_with_adam")
    fresh = student.update_parameters_with_adam(params, grads, _copy(v0), _copy(s0), 1)
    got = _unpack(stepped, ADAM_RETURNS, "update_parameters_with_adam")
    want = _unpack(fresh, ADAM_RETURNS, "update_parameters_with_adam")
    expect(same_values(tuple(got[:3]), tuple(want[:3]), 1e-12),
           "initialize_adam, then your update_parameters_with_adam on the same objects (as the "
           "training loop does) lands elsewhere than the same step from fresh, separate copies: "
           "v and s must be two separate dicts of new arrays (v = s = {} makes Adam's two "
           "moments overwrite each other), and the parameters untouched")


ADAM_RETURNS = ("parameters", "v", "s", "v_corrected", "s_corrected")


def _adam_want(params, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999,
               epsilon=1e-8):
    """Adam's step written out: the five dicts the function returns."""
    v1 = {k: beta1 * v[k] + (1 - beta1) * grads[k] for k in v}
    s1 = {k: beta2 * s[k] + (1 - beta2) * np.square(grads[k]) for k in s}
    vc = {k: x / (1 - beta1 ** t) for k, x in v1.items()}
    sc = {k: x / (1 - beta2 ** t) for k, x in s1.items()}
    p1 = {k: w - learning_rate * vc["d" + k] / (np.sqrt(sc["d" + k]) + epsilon)
          for k, w in params.items()}
    return dict(zip(ADAM_RETURNS, (p1, v1, s1, vc, sc)))


def _adam_step(student, params, grads, v, s, t, **kwargs):
    """Call the student's Adam step; returns {name: dict} for ADAM_RETURNS, validated."""
    value = student.update_parameters_with_adam(params, grads, v, s, t, **kwargs)
    got = dict(zip(ADAM_RETURNS, _unpack(value, ADAM_RETURNS, "update_parameters_with_adam")))
    _expect_dict(got["parameters"], params, "parameters")
    for name in ADAM_RETURNS[1:]:
        _expect_dict(got[name], v, name)
    return got


def _expect_adam(got, want, names=("v", "s", "v_corrected", "s_corrected", "parameters")):
    """The state first, so the message names the first quantity that goes wrong."""
    for name in names:
        _expect_dict_close(got[name], want[name], name)


def _adam_state(rng, params):
    """Random v and s >= 0 (s is a running mean of squares) keyed like grads."""
    v = _grads(rng, params)
    s = {k: np.square(rng.standard_normal(x.shape)) for k, x in v.items()}
    return v, s


@graded("update_parameters_with_adam", points=2)
def test_update_parameters_with_adam_formula(student):
    rng = grader_rng("test_update_parameters_with_adam_formula")
    for dims, t, kw in zip(DIMS, (2, 5, 13), (
            dict(learning_rate=0.02, beta1=0.8, beta2=0.99, epsilon=1e-8),
            dict(learning_rate=0.1, beta1=0.7, beta2=0.95, epsilon=1e-6),
            dict(learning_rate=0.003, beta1=0.9, beta2=0.999, epsilon=1e-8))):
        params = _params(rng, dims)
        grads = _grads(rng, params)
        v, s = _adam_state(rng, params)
        settings = ", ".join(f"{k}={x}" for k, x in kw.items())
        with _when(f"update_parameters_with_adam, L={len(dims) - 1}, t={t}, {settings}, "
                   f"from random v and s (bias correction divides by 1 - beta**t)"):
            _expect_adam(_adam_step(student, params, grads, v, s, t, **kw),
                         _adam_want(params, grads, v, s, t, **kw))


@graded("update_parameters_with_adam", points=1)
def test_update_parameters_with_adam_defaults(student):
    rng = grader_rng("test_update_parameters_with_adam_defaults")
    params = _params(rng, DIMS[1])
    grads = _grads(rng, params)
    v, s = _adam_state(rng, params)
    with _when("update_parameters_with_adam(parameters, grads, v, s, t=3) with the default "
               "learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8"):
        _expect_adam(_adam_step(student, params, grads, v, s, 3),
                     _adam_want(params, grads, v, s, 3))


@graded("update_parameters_with_adam", points=1)
def test_update_parameters_with_adam_epsilon_outside_sqrt(student):
    """A large epsilon next to a small s tells sqrt(s) + eps from sqrt(s + eps)."""
    rng = grader_rng("test_update_parameters_with_adam_epsilon_outside_sqrt")
    params = _params(rng, DIMS[1])
    grads = _grads(rng, params)
    v, s = _adam_state(rng, params)
    s = {k: x * 1e-4 for k, x in s.items()}
    kw = dict(learning_rate=0.05, beta1=0.9, beta2=0.999, epsilon=0.01)
    with _when("update_parameters_with_adam with epsilon=0.01, t=4: epsilon is added outside "
               "the square root, W -= learning_rate * v_corrected / (sqrt(s_corrected) + epsilon)"):
        _expect_adam(_adam_step(student, params, grads, v, s, 4, **kw),
                     _adam_want(params, grads, v, s, 4, **kw), names=("parameters",))


@graded("update_parameters_with_adam", points=1)
def test_update_parameters_with_adam_first_step_is_sign(student):
    """From v = s = 0 at t = 1, v_corrected = g and s_corrected = g**2, so each
    entry moves by lr * |g| / (|g| + eps) ~ lr against the sign of g."""
    rng = grader_rng("test_update_parameters_with_adam_first_step_is_sign")
    for dims, lr in zip(DIMS, (0.01, 0.2, 0.03)):
        params = _params(rng, dims)
        grads = _grads(rng, params)
        got = _adam_step(student, params, grads, _zeros(params), _zeros(params), 1,
                         learning_rate=lr)
        with _when(f"the first Adam step (t=1, v = s = 0, learning_rate={lr}) must move every "
                   f"entry by learning_rate against the sign of its gradient"):
            for k, w in params.items():
                expect_close(got["parameters"][k] - w, -lr * np.sign(grads["d" + k]),
                             f"{k} - {k}_before", ADAM_SIGN_RTOL)


@graded("update_parameters_with_adam", points=1)
def test_update_parameters_with_adam_constant_gradient(student):
    """On a constant gradient g from v = s = 0 the bias-corrected moments are
    exactly g and g**2 at every t, and every step is lr * g / (|g| + eps)."""
    rng = grader_rng("test_update_parameters_with_adam_constant_gradient")
    kw = dict(learning_rate=0.02, beta1=0.8, beta2=0.95, epsilon=1e-8)
    params = _params(rng, DIMS[2])
    grads = _grads(rng, params)
    current, v, s = params, _zeros(params), _zeros(params)
    for t in range(1, 6):
        with _when(f"Adam step t={t} on a constant gradient from v = s = 0 (beta1=0.8, "
                   f"beta2=0.95): v_corrected must equal grad, s_corrected grad**2"):
            got = _adam_step(student, current, grads, v, s, t, **kw)
            _expect_dict_close(got["v_corrected"], grads, "v_corrected")
            _expect_dict_close(got["s_corrected"], {k: g ** 2 for k, g in grads.items()},
                               "s_corrected")
            step = {k: kw["learning_rate"] * t * grads["d" + k] / (np.abs(grads["d" + k])
                                                                   + kw["epsilon"])
                    for k in params}
            _expect_dict_close(got["parameters"], {k: w - step[k] for k, w in params.items()},
                               "parameters")
        current, v, s = got["parameters"], got["v"], got["s"]


@graded("update_parameters_with_adam", points=1)
def test_update_parameters_with_adam_zero_gradient(student):
    rng = grader_rng("test_update_parameters_with_adam_zero_gradient")
    for dims in DIMS:
        params = _params(rng, dims)
        grads = _grads(rng, params)
        v, s = _adam_state(rng, params)
        with _when(f"update_parameters_with_adam, L={len(dims) - 1}, t=3, from random v and s "
                   f"(before the zero-gradient check)"):
            _expect_adam(_adam_step(student, params, grads, v, s, 3),
                         _adam_want(params, grads, v, s, 3))
        zero = _zeros(params)
        with _when(f"a zero gradient from v = s = 0 must change nothing (L={len(dims) - 1}, t=3)"):
            _expect_adam(_adam_step(student, params, zero, zero, zero, 3),
                         {"parameters": params, "v": zero, "s": zero,
                          "v_corrected": zero, "s_corrected": zero})


@graded("update_parameters_with_adam", points=1)
def test_update_parameters_with_adam_v_s_independent(student):
    """After a step with beta1 != beta2, v differs from s and v_corrected from
    s_corrected: one dict used for both would hold the same values."""
    rng = grader_rng("test_update_parameters_with_adam_v_s_independent")
    params = _params(rng, DIMS[1])
    grads = _grads(rng, params)
    got = _adam_step(student, params, grads, _zeros(params), _zeros(params), 2,
                     beta1=0.8, beta2=0.99)
    for a, b in (("v", "s"), ("v_corrected", "s_corrected")):
        expect(not same_values(got[a], got[b], EXACT_RTOL),
               f"{a} and {b} hold the same values after a step with beta1=0.8, beta2=0.99: "
               f"keep them in two separate dicts (one dict for both makes each write "
               f"overwrite the other)")
    want = _adam_want(params, grads, _zeros(params), _zeros(params), 2, beta1=0.8, beta2=0.99)
    with _when("update_parameters_with_adam, t=2, beta1=0.8, beta2=0.99, from v = s = 0"):
        _expect_adam(got, want)


@graded("update_parameters_with_adam", points=1)
def test_update_parameters_with_adam_arguments(student):
    rng = grader_rng("test_update_parameters_with_adam_arguments")
    fn = "update_parameters_with_adam"
    params = _params(rng, DIMS[2])
    grads = _grads(rng, params)
    v, s = _adam_state(rng, params)
    call = student.update_parameters_with_adam.call((params, grads, v, s, 3), again={4: 5})
    got = _unpack(call.value, ADAM_RETURNS, fn)
    with _when("update_parameters_with_adam, t=3, from random v and s"):
        for name, value, template in zip(ADAM_RETURNS, got, (params, v, v, v, v)):
            _expect_dict(value, template, name)
        _expect_moved(got[0], params, fn)
    _expect_states_kept(student.update_parameters_with_adam, call, (params, grads, v, s, 3),
                        {"parameters": 0, "v": 2, "s": 3},
                        dict(zip(("parameters", "v", "s"), got[:3])), {4: 5}, "t = 5")


# --------------------------------------------------- learning-rate decay ---

# (learning_rate0, epoch_num, decay_rate)
def _drawn_lr_cases(test_name, n=3):
    """(learning_rate0, epoch_num, decay_rate) drawn per submission (salted): the
    fixed cases above are the edges, these make a table of answers useless."""
    rng = grader_rng(test_name)
    return [(float(rng.uniform(0.01, 2.0)), int(rng.integers(0, 5000)),
             float(10 ** rng.uniform(-3, 0))) for _ in range(n)]


def _drawn_schedule_cases(test_name, n=3):
    """As _drawn_lr_cases, with a time_interval (or the default, None)."""
    rng = grader_rng(test_name)
    return [(lr0, epoch, decay, None if rng.random() < 0.3 else int(rng.integers(1, 3000)))
            for lr0, epoch, decay in _drawn_lr_cases(test_name + ":cases", n)]


LR_CASES = ((0.5, 0, 1.0), (0.5, 2, 1.0), (0.1, 10, 0.3), (1.0, 7, 0.05),
            (0.01, 100, 1e-3), (2, 3, 0.5))


@graded("update_lr", points=1)
def test_update_lr_values(student):
    for lr0, epoch, decay in (*LR_CASES, *_drawn_lr_cases("test_update_lr_values")):
        expect_scalar_close(student.update_lr(lr0, epoch, decay), lr0 / (1 + decay * epoch),
                            f"update_lr({lr0}, epoch_num={epoch}, decay_rate={decay}) "
                            f"[lr0 / (1 + decay_rate * epoch_num)]", VALUE_RTOL)


# (learning_rate0, epoch_num, decay_rate, time_interval or None for the default 1000)
SCHEDULE_CASES = ((0.5, 0, 1.0, None), (0.5, 999, 1.0, None), (0.5, 1000, 1.0, None),
                  (0.5, 2500, 0.3, None), (0.1, 25, 0.3, 10), (0.1, 30, 0.3, 10),
                  (1.0, 7, 0.05, 1), (0.02, 13, 2.0, 4), (0.02, 3, 2.0, 4))


@graded("schedule_lr_decay", points=1)
def test_schedule_lr_decay_values(student):
    for lr0, epoch, decay, interval in (*SCHEDULE_CASES,
                                        *_drawn_schedule_cases("test_schedule_lr_decay_values")):
        args = (lr0, epoch, decay) + (() if interval is None else (interval,))
        want = lr0 / (1 + decay * np.floor(epoch / (interval or 1000)))
        expect_scalar_close(student.schedule_lr_decay(*args), want,
                            f"schedule_lr_decay{args} "
                            f"[lr0 / (1 + decay_rate * floor(epoch_num / time_interval)), "
                            f"default time_interval=1000]", VALUE_RTOL)


@graded("schedule_lr_decay", points=1)
def test_schedule_lr_decay_steps_every_interval(student):
    """Constant within each interval, lower at each multiple of time_interval."""
    rng = grader_rng("test_schedule_lr_decay_steps_every_interval")    # salted: no table
    interval, lr0, decay = (int(rng.integers(4, 10)), float(rng.uniform(0.1, 1.0)),
                            float(rng.uniform(0.2, 1.0)))
    rates = [expect_scalar(student.schedule_lr_decay(lr0, e, decay, interval),
                           f"schedule_lr_decay({lr0:.4g}, {e}, {decay:.4g}, {interval})")
             for e in range(0, 3 * interval)]
    # judged on a schedule that does the work: it starts at learning_rate0
    # and stays a positive rate (-(epoch // interval) also steps every interval)
    expect(rel_error(rates[0], lr0) <= VALUE_RTOL and min(rates) > 0,
           f"schedule_lr_decay({lr0:.4g}, 0, {decay:.4g}, {interval}) returned {rates[0]:.6g} "
           f"and the rates "
           f"go down to {min(rates):.6g}: the schedule starts at learning_rate0 and stays "
           "positive, lr0 / (1 + decay_rate * floor(epoch_num / time_interval))")
    for e in range(1, len(rates)):
        if e % interval:
            expect(rates[e] == rates[e - 1],
                   f"the learning rate changed from epoch {e - 1} to {e} (time_interval="
                   f"{interval}): it may only change when epoch_num reaches a multiple of "
                   f"time_interval (floor of epoch_num / time_interval)")
        else:
            expect(rates[e] < rates[e - 1],
                   f"the learning rate did not drop at epoch {e}, a multiple of "
                   f"time_interval={interval}")
