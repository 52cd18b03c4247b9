"""The kit's one relative-error definition and its one gradient-check recipe.

Everything in the kit that compares numbers or checks a gradient goes through
this module: the hidden graders, the tests of the kit, and the public checks
students run (this file is linked into every assignment folder, so it imports
numpy and nothing else).

Relative error, elementwise::

    rel_error(a, d) = |a - d| / max(|a| + |d|, SCALE_FLOOR * scale)

where ``scale`` is the largest ``|a| + |d|`` over the whole array.  The floor
keeps entries that are tiny next to the rest of the array (a gradient entry of
1e-12 beside entries of 1) from failing on round-off alone.

Gradient check: centred differences in float64,
``(f(x + h) - f(x - h)) / (2 h)`` with ``h = GRADCHECK_STEP``, one entry at a
time.
"""
import numpy as np

# Entries smaller than this fraction of the array's largest entry are judged
# against the array's scale instead of their own size.
SCALE_FLOOR = 1e-3

# Two float64 computations of the same formula, written differently
# (np.dot vs @, sum orders): they agree to ~1e-15, allow plenty of slack.
EXACT_RTOL = 1e-9

# Centred differences with h = 1e-6 in float64: truncation error ~ h^2 * f''',
# round-off ~ eps * |f| / h ~ 1e-10.  Measured on the 3-layer ReLU/sigmoid
# cost with L2 (weights ~ N(0, 0.5^2), 1,800 gradient arrays): median 2e-9,
# worst 5e-6.  1e-4 leaves a 20x margin; a real bug is off by 1e-2 or more.
# A larger h makes ReLU kinks (a pre-activation within h of 0) fail more
# often, and saturated sigmoids (|Z3| >> 1) blow up round-off: graders keep
# their random weights moderate and pre-activations away from 0.
GRADCHECK_STEP = 1e-6
GRADCHECK_RTOL = 1e-4


def rel_error(actual, desired):
    """Elementwise relative error of ``actual`` against ``desired``.

    actual, desired: arrays (or scalars) of the same shape, any shape.
    Returns a float64 array of that shape, each entry in [0, 1]; where values
    are NaN or infinite, NaN entries (no tolerance accepts them), without a
    RuntimeWarning.
    """
    a = np.asarray(actual, dtype=np.float64)
    d = np.asarray(desired, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        size = np.abs(a) + np.abs(d)
        scale = float(size.max()) if size.size else 0.0
        floor = max(SCALE_FLOOR * scale, np.finfo(np.float64).tiny)
        return np.abs(a - d) / np.maximum(size, floor)


def numerical_gradient(f, x, h=GRADCHECK_STEP):
    """Centred-difference gradient of a scalar function at ``x``.

    f: callable taking no arguments that reads ``x`` and returns a float.
    x: float64 array of any shape; perturbed in place, one entry at a time,
       and restored exactly before returning.
    Returns an array of x's shape: d f / d x.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        f_plus = float(f())
        x[i] = old - h
        f_minus = float(f())
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def worst(actual, desired):
    """Where ``actual`` is furthest from ``desired``.

    actual, desired: arrays of the same shape.
    Returns (index tuple, its relative error, rel_error array).
    """
    err = rel_error(actual, desired)
    if err.size == 0:
        return (), 0.0, err
    flat = int(np.nanargmax(np.where(np.isnan(err), np.inf, err)))
    index = np.unravel_index(flat, err.shape)
    return tuple(int(i) for i in index), float(err.flat[flat]), err
