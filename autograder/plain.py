"""Plain data: the only values that cross from student code to the graders.

A plain value is ``None``, ``bool``, ``int``, ``float``, ``str``, a numpy
ndarray of exactly type ``np.ndarray`` with a bool, integer or float dtype,
or a ``list``, ``tuple`` or ``dict`` (string keys) of plain values.

``to_plain`` copies a value into that form or raises ``NotPlain`` with a
message a student understands.  Identity is kept: an array, list, tuple or
dict met twice in ``value`` is copied once and appears twice (``v = s = {}``
stays one dict, so a grader can see the bug); a value that contains itself
is not plain data.  Both grading paths use it: in process (the
nbgrader path) and out of process (the CLI), so a grader never touches an
object whose methods the student wrote (an ndarray subclass that lies, an
object whose ``__eq__`` is always true).
"""
import numpy as np

from .checks import describe

MAX_DEPTH = 8
MAX_ITEMS = 10_000
MAX_NODES = 200_000     # values in one answer, counted as a grader walks them
MAX_INT = 2**1023       # an int past float64's range is no answer, and float() raises on it


class NotPlain(TypeError):
    """A value that is not plain data; the message names what and where."""


_BUSY = object()


def to_plain(value, where="the return value", _depth=0, _memo=None):
    """Copy ``value`` into plain data (see module docstring).

    Numpy scalars become Python ``bool``/``int``/``float``; arrays are copied.
    Raises NotPlain naming ``where`` (e.g. "the return value[1]['W2']").
    """
    memo = {"#nodes": 0} if _memo is None else _memo
    memo["#nodes"] += 1
    if memo["#nodes"] > MAX_NODES:
        raise NotPlain(f"{where} has more than {MAX_NODES} parts; too many")
    if _depth > MAX_DEPTH:
        raise NotPlain(f"{where} is nested too deeply")
    kind = type(value)
    if kind is int and not -MAX_INT <= value <= MAX_INT:
        raise NotPlain(f"{where} is an integer of {len(str(abs(value)))} digits; "
                       "too large for a float")
    if value is None or kind in (bool, int, float, str):
        return value
    if kind in (np.ndarray, list, tuple, dict) and id(value) in memo:
        _, copy, size = memo[id(value)]
        if copy is _BUSY:
            raise NotPlain(f"{where} contains itself")
        memo["#nodes"] += size          # walked again by whoever reads it
        if memo["#nodes"] > MAX_NODES:
            raise NotPlain(f"{where} has more than {MAX_NODES} parts; too many")
        return copy
    if kind is np.ndarray:
        if value.dtype.kind not in "biuf" or value.dtype.fields is not None:
            raise NotPlain(f"{where} is an array of dtype {value.dtype}; expected numbers")
        copy = np.array(value, copy=True, subok=False)
        memo[id(value)] = (value, copy, 1)
        return copy
    if (isinstance(value, np.generic) and kind.__module__ == "numpy"
            and value.dtype.kind in "biuf"):
        return value.item()
    if kind in (list, tuple):
        if len(value) > MAX_ITEMS:
            raise NotPlain(f"{where} has {len(value)} items; too many")
        start = memo["#nodes"]
        memo[id(value)] = (value, _BUSY, 0)
        items = [to_plain(v, f"{where}[{i}]", _depth + 1, memo) for i, v in enumerate(value)]
        copy = items if kind is list else tuple(items)
        memo[id(value)] = (value, copy, memo["#nodes"] - start + 1)
        return copy
    if kind is dict:
        if len(value) > MAX_ITEMS:
            raise NotPlain(f"{where} has {len(value)} keys; too many")
        start = memo["#nodes"]
        memo[id(value)] = (value, _BUSY, 0)
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                raise NotPlain(f"{where} has a key {describe(k)}; expected string keys")
            out[k] = to_plain(v, f"{where}[{k!r}]", _depth + 1, memo)
        memo[id(value)] = (value, out, memo["#nodes"] - start + 1)
        return out
    if isinstance(value, np.ndarray):
        raise NotPlain(f"{where} is {describe(value)}, an ndarray subclass; "
                       "return a plain numpy array (np.asarray)")
    raise NotPlain(f"{where} is {describe(value)}; expected numbers, arrays, "
                   "lists, tuples or dicts")
