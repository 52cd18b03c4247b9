"""Hidden graders: one pytest module per assignment id.

Each test takes ``student`` (a ``student.Submission``), is declared with
``@graded(function, points)``, and is named ``test_<function>_<what it checks>``.
``pytest autograder/graders`` grades the reference implementations.
"""
import contextlib
import contextvars
import hashlib

import numpy as np

# The tolerance of the graders' value checks (costs, caches, gradients,
# updated parameters, learning rates), as numerics.rel_error measures it.
# A sound answer may compute in another order (np.mean for / m, @ for np.dot,
# sums split by layer: ~1e-15) or round once through float32 (a float32
# learning rate, mask, 1 / m or bias correction): 2^-24 ~ 6e-8 of the
# operands, which rel_error's floor (1e-3 of the array's scale) can magnify
# 1000x, so at most ~6e-5 < 1e-4.  Measured on the right variants of
# autograder/variants (5 salts each): the float32 ones need 1e-5 (optimization's
# float32 learning rate fails at 3e-6, regularization's float32 1 / keep_prob
# too), the float64 ones 1e-9.  Known bugs: with every value check at 1e-2 the
# mutant suite still catches every wrong variant (optimization; the first to
# escape is epsilon inside Adam's square root, at 3e-2), at 1e-1 in
# regularization and gradient_checking.  So 1e-4: 10x above the worst sound
# answer measured, 100x below the closest bug (tests/test_mutants.py holds
# both margins: test_value_tolerance_margins).
VALUE_RTOL = 1e-4

# The salt of the submission being graded (see ``inputs_salt``): grader inputs
# differ per submission and per course secret, so no stored answer table, and
# no answer learned from one submission's feedback, fits another submission.
_SALT = contextvars.ContextVar("dlkit_inputs_salt", default="")


@contextlib.contextmanager
def inputs_salt(salt):
    """Within the block, ``grader_rng`` draws from ``salt`` (a string; "" is
    the unsalted default the kit's own tests use)."""
    token = _SALT.set(str(salt or ""))
    try:
        yield
    finally:
        _SALT.reset(token)


def grader_rng(test_name):
    """A Generator for a test's fresh random inputs: the same for the same
    test and salt (a re-run grades identically), different for every test and
    every salt."""
    digest = hashlib.sha256(f"{_SALT.get()}\0{test_name}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "big"))


def expect_inputs_kept(function, args, change, what, changed, kwargs=None, rng_seed=None,
                       again_seed=None):
    """A student function leaves its inputs alone: checked by what a change does.

    function: a ``StudentFunction``; args: its arguments (plain data).
    change: {position or keyword: another value} for a second call, said in
    words by ``changed`` ("lambd = 1.4"); what: the inputs, in words.
    Calls ``function(args)``, then again on the SAME objects with ``change``
    (and ``again_seed``), then on fresh copies with ``change``: the last two
    answers agree unless the first call changed its inputs in place.  A
    replayed first answer disagrees too (the change alters the answer), and a
    wrong answer that leaves its inputs alone passes.  Everything is compared
    here, in the grader's process.  Returns the first Call.
    """
    from autograder.checks import expect, same_values
    spec = dict(change)
    if again_seed is not None:
        spec["rng_seed"] = again_seed
    call = function.call(args, kwargs, rng_seed=rng_seed, again=spec or True)
    fresh_args = [change.get(i, a) for i, a in enumerate(args)]
    fresh_kwargs = dict(kwargs or {}, **{k: v for k, v in change.items() if type(k) is str})
    fresh = function.call(fresh_args, fresh_kwargs,
                          rng_seed=again_seed if again_seed is not None else rng_seed).value
    expect(same_values(call.again, fresh, 1e-12),
           f"{function.name} answered differently when called again on the same {what} "
           f"than on fresh copies of them (both with {changed}): its first call changed "
           f"{what} in place; work on copies instead of changing what the caller passed")
    return call
