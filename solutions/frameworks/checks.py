"""Assertion helpers for the graders, with short numpy.testing-like messages.

Every helper raises ``CheckFailed`` (an AssertionError) whose message says
what is wrong: which key, its shape, the worst index, the relative error and
the tolerance.  Helpers take plain values (see ``plain.py``); they never call
methods of objects the student made.

This file is linked into every assignment folder (with numerics.py), so the
public checks students run give the same messages; it imports numpy and
numerics only.

The exception types here are also how the runner tells a failed check from a
crash in student code (``StudentError``) and a tripped limit
(``StudentTimeout``).
"""
import contextlib
import functools
import math
import textwrap

import numpy as np

try:
    from .numerics import rel_error, worst
except ImportError:   # linked into an assignment folder, beside numerics.py
    from numerics import rel_error, worst


class CheckFailed(AssertionError):
    """A grader check did not hold; the message says why."""


class StudentError(Exception):
    """The student's code raised, returned non-plain data, or is missing."""


class StudentTimeout(StudentError):
    """The student's code ran past a limit (time, memory, processes...)."""


def describe(value):
    """A short name for a value's type, as a student would say it: 'a list'."""
    if value is None:
        return "None"
    if type(value) is np.ndarray:
        return f"a numpy array of shape {value.shape}"
    name = type(value).__name__
    article = "an" if name[:1].lower() in "aeiou" else "a"
    return f"{article} {name}"


def fail(message):
    raise CheckFailed(message)


@contextlib.contextmanager
def context(prefix=None, suffix=None):
    """Name the situation in the message of any check failing inside the block:
    "<prefix>: <message>" and/or "<message> [<suffix>]"."""
    try:
        yield
    except CheckFailed as exc:
        message = str(exc)
        if prefix:
            message = f"{prefix}: {message}"
        if suffix:
            message = f"{message} [{suffix}]"
        raise CheckFailed(message) from None


def expect(condition, message):
    """Fail with ``message`` unless ``condition`` holds."""
    if not condition:
        raise CheckFailed(message)


def _shape(shape):
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def expect_array(value, name, shape=None, kind="f"):
    """``value`` is a numpy array of ``shape`` with a float (or ``kind``) dtype.

    value: any plain value.  name: what the student calls it, e.g. "W2".
    shape: expected shape tuple, or None to skip.  kind: numpy dtype kinds
    accepted ("f" float, "fiu" any number, "b" bool...).
    Returns the array.
    """
    if value is None:
        fail(f"{name} is None, expected a numpy array")
    if type(value) is not np.ndarray:
        fail(f"{name} is {describe(value)}, expected a numpy array")
    if shape is not None and tuple(value.shape) != tuple(shape):
        fail(f"{name} has shape {_shape(value.shape)}, expected {_shape(shape)}")
    if value.dtype.kind not in kind:
        want = {"f": "a float dtype", "fiu": "a numeric dtype"}.get(kind, f"dtype kind {kind!r}")
        fail(f"{name} has dtype {value.dtype}, expected {want}")
    return value


_NUMPY_REALS = (np.float16, np.float32, np.float64, np.int8, np.int16, np.int32,
                np.int64, np.uint8, np.uint16, np.uint32, np.uint64)


def expect_scalar(value, name):
    """``value`` is one real number: a float, an int, a numpy int or float
    scalar, or a size-1 array.  (Graders get numpy scalars already turned into
    Python numbers by plain.to_plain; public checks get them as they are.)

    Returns it as a Python float.
    """
    if value is None:
        fail(f"{name} is None, expected a number")
    if type(value) is bool or isinstance(value, str):
        fail(f"{name} is {describe(value)}, expected a number")
    if type(value) in (int, float) or type(value) in _NUMPY_REALS:
        return float(value)
    if type(value) is np.ndarray and value.size == 1 and value.dtype.kind in "fiu":
        return float(value.reshape(()))
    fail(f"{name} is {describe(value)}, expected a number")


def expect_finite(array, name):
    """No NaN or inf in ``array`` (any shape)."""
    arr = np.asarray(array, dtype=np.float64)
    bad = ~np.isfinite(arr)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        fail(f"{name} has {int(bad.sum())} NaN/inf entries, first at {list(index)}: {arr[index]}")


def expect_keys(value, keys, name):
    """``value`` is a dict holding every key in ``keys`` (extra keys allowed)."""
    if value is None:
        fail(f"{name} is None, expected a dict")
    if type(value) is not dict:
        fail(f"{name} is {describe(value)}, expected a dict")
    missing = [k for k in keys if k not in value]
    if missing:
        fail(f"{name} is missing key(s) {', '.join(missing)}")
    return value


def expect_sequence(value, length, name):
    """``value`` is a tuple or list of ``length`` items."""
    if type(value) not in (tuple, list):
        fail(f"{name} is {describe(value)}, expected a tuple of {length}")
    if len(value) != length:
        fail(f"{name} has {len(value)} items, expected {length}")
    return value


def expect_close(actual, desired, name, rtol, what="rel. error"):
    """``actual`` matches ``desired`` entrywise to relative error ``rtol``.

    actual: plain value checked to be a float array of desired's shape.
    desired: float64 array (any shape).  name: the key, e.g. "dW2".
    rtol: a named tolerance from numerics.  NaN anywhere fails.
    """
    desired = np.asarray(desired, dtype=np.float64)
    actual = expect_array(actual, name, desired.shape, kind="fiu")
    index, err, errors = worst(actual, desired)
    if not err <= rtol:   # also catches NaN
        off = int(np.count_nonzero(~(errors <= rtol)))
        at = f" at {list(index)}" if index else ""
        got, want = numbers_apart(actual[index], desired[index])
        fail(f"{name} {_shape(desired.shape)}: worst{at}: got {got}, "
             f"expected {want}; {what} {err:.1e} > tol {rtol:.0e} "
             f"({off}/{errors.size} entries off)")


def expect_scalar_close(actual, desired, name, rtol):
    """One number ``actual`` (see expect_scalar) within ``rtol`` of ``desired``."""
    got = expect_scalar(actual, name)
    index, err, _ = worst(np.float64(got), np.float64(desired))
    if not err <= rtol:
        shown = numbers_apart(got, desired)
        fail(f"{name}: got {shown[0]}, expected {shown[1]}; rel. error {err:.1e} > tol {rtol:.0e}")
    return got


def _num(x):
    x = float(x) + 0.0          # -0.0 shows as 0
    if math.isnan(x) or math.isinf(x):
        return str(x)
    return f"{x:.6g}"


def same_values(a, b, rtol=0.0):
    """Plain values ``a`` and ``b`` alike: same types and structure (dict keys
    in any order, same array shapes), numbers within ``rtol`` (numerics'
    relative error; NaN matches NaN)."""
    if type(a) is not type(b):
        return False
    if type(a) is np.ndarray:
        if a.shape != b.shape:
            return False
        nan = np.isnan(a.astype(float)) & np.isnan(b.astype(float))
        err = rel_error(np.where(nan, 0, a), np.where(nan, 0, b))
        return bool(np.all(nan == (np.isnan(a.astype(float)) | np.isnan(b.astype(float))))
                    and np.all(err <= rtol))
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(same_values(x, y, rtol) for x, y in zip(a, b))
    if type(a) is dict:
        return set(a) == set(b) and all(same_values(a[k], b[k], rtol) for k in a)
    if type(a) in (int, float):
        return same_values(np.array(float(a)), np.array(float(b)), rtol)
    return a == b


def expect_same_again(call, function, rtol=1e-12, inputs="its arguments"):
    """``call.again`` (the answer of a second call on the same argument objects,
    ``StudentFunction.call(..., again=True)``) is ``call.value``: a function
    that changes its inputs in place answers differently the second time.
    Both answers are checked here, in the grader's process."""
    expect(same_values(call.value, call.again, rtol),
           f"{function} gave a different answer when called a second time on the same "
           f"inputs: it changes {inputs} in place (work on a copy, e.g. "
           "parameters = copy.deepcopy(parameters), instead of changing what the caller passed)")


def numbers_apart(actual, desired):
    """Two numbers with enough digits to tell them apart (6 at least, 17 at
    most): -0.184527 and -0.184527 become -0.18452712 and -0.18452705."""
    a, d = float(actual) + 0.0, float(desired) + 0.0     # -0.0 shows as 0
    if not (math.isfinite(a) and math.isfinite(d)):
        return _num(a), _num(d)
    for digits in range(6, 18):
        shown = f"{a:.{digits}g}", f"{d:.{digits}g}"
        if shown[0] != shown[1]:
            return shown
    return shown


# --- public checks' messages as nbgrader validate prints them ------------------

# `nbgrader validate` prints a failing test cell's traceback with every line
# indented by 4 spaces and cut to Validator.width - 3 = 87 characters, "..."
# appended (nbgrader 0.9, validator.py: Validator._indent); the exception's
# line starts with its class name, "CheckFailed: ".
VALIDATE_WIDTH = 90
VALIDATE_INDENT = 4
MESSAGE_PREFIX = "CheckFailed: "


def fit_lines(message, first_prefix=MESSAGE_PREFIX):
    """``message`` wrapped at spaces so that no line is cut once nbgrader
    validate indents it, the first line coming after ``first_prefix``.  A
    line's own indentation is kept and its continuation lines get 2 more."""
    room = VALIDATE_WIDTH - 3 - VALIDATE_INDENT
    out = []
    for i, line in enumerate(str(message).split("\n")):
        body = line.lstrip(" ")
        lead = " " * (len(line) - len(body))
        skip = len(first_prefix) if i == 0 else 0
        wrapped = textwrap.wrap(body, width=room, initial_indent=" " * skip + lead,
                                subsequent_indent=lead + "  ", break_on_hyphens=False)
        out.extend([w[skip:] for w in wrapped[:1]] + wrapped[1:] if wrapped else [""])
    return "\n".join(out)


def fitted(check):
    """``check`` (a public check), raising its CheckFailed with the message
    wrapped by ``fit_lines``: nbgrader validate shows all of it."""
    @functools.wraps(check)
    def run(*args, **kwargs):
        try:
            return check(*args, **kwargs)
        except CheckFailed as exc:
            raise CheckFailed(fit_lines(str(exc))) from None
    return run


def fit_public_checks(namespace):
    """Wrap every ``check_<function>`` of a public_tests module's globals with
    ``fitted`` (called once, at the end of the module)."""
    for name, value in list(namespace.items()):
        if name.startswith("check_") and callable(value):
            namespace[name] = fitted(value)
