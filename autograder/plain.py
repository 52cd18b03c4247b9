"""Plain data: the only values that cross from student code to the graders.

A plain value is ``None``, ``bool``, ``int``, ``float``, ``str``, a numpy
ndarray of exactly type ``np.ndarray`` with a bool, integer or float dtype,
or a ``list``, ``tuple`` or ``dict`` (string keys) of plain values.

``to_plain`` copies a value into that form or raises ``NotPlain`` with a
message a student understands.  Both grading paths use it: in process (the
nbgrader path) and out of process (the CLI), so a grader never touches an
object whose methods the student wrote (an ndarray subclass that lies, an
object whose ``__eq__`` is always true).
"""
import numpy as np

from .checks import describe

MAX_DEPTH = 8
MAX_ITEMS = 10_000


class NotPlain(TypeError):
    """A value that is not plain data; the message names what and where."""


def to_plain(value, where="the return value", _depth=0):
    """Copy ``value`` into plain data (see module docstring).

    Numpy scalars become Python ``bool``/``int``/``float``; arrays are copied.
    Raises NotPlain naming ``where`` (e.g. "the return value[1]['W2']").
    """
    if _depth > MAX_DEPTH:
        raise NotPlain(f"{where} is nested too deeply")
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is np.ndarray:
        if value.dtype.kind not in "biuf" or value.dtype.fields is not None:
            raise NotPlain(f"{where} is an array of dtype {value.dtype}; expected numbers")
        return np.array(value, copy=True, subok=False)
    if (isinstance(value, np.generic) and kind.__module__ == "numpy"
            and value.dtype.kind in "biuf"):
        return value.item()
    if kind in (list, tuple):
        if len(value) > MAX_ITEMS:
            raise NotPlain(f"{where} has {len(value)} items; too many")
        items = [to_plain(v, f"{where}[{i}]", _depth + 1) for i, v in enumerate(value)]
        return items if kind is list else tuple(items)
    if kind is dict:
        if len(value) > MAX_ITEMS:
            raise NotPlain(f"{where} has {len(value)} keys; too many")
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                raise NotPlain(f"{where} has a key {describe(k)}; expected string keys")
            out[k] = to_plain(v, f"{where}[{k!r}]", _depth + 1)
        return out
    if isinstance(value, np.ndarray):
        raise NotPlain(f"{where} is {describe(value)}, an ndarray subclass; "
                       "return a plain numpy array (np.asarray)")
    raise NotPlain(f"{where} is {describe(value)}; expected numbers, arrays, "
                   "lists, tuples or dicts")
