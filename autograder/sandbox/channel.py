"""The channel between the grader (parent) and the sandbox child: framing and
the wire form of plain data, parent side.

A frame on a pipe is::

    b"DLKF" | header length (4 bytes, big-endian) | header (UTF-8 JSON) | blobs

The header is a JSON object; its ``"blobs"`` entry lists the byte length of
each blob that follows.  A blob is one numpy array of numbers::

    dtype length (1 byte) | dtype (ASCII, e.g. "<f8") | ndim (1 byte) |
    shape (ndim x 8 bytes, little-endian) | the values, C order

(a few bytes of header: ``.npy``'s text header, parsed with ``ast``, cost
more than the numbers of most arrays here).  Only native-order bool, integer
and float dtypes are accepted, and the byte count must be exactly what the
shape says.  A value travels as a JSON tree:

- ``null``, ``true``/``false``, numbers (NaN and inf as JSON's NaN/Infinity),
  strings stand for themselves;
- ``{"t": "list" | "tuple", "v": [...]}``, ``{"t": "dict", "v": [[key, value], ...]}``
  (string keys), ``{"t": "array", "i": n}`` (the n-th blob);
- ``{"t": "ref", "i": k}``: the k-th array, list, tuple or dict of the same
  value, in the order they first appear (depth first): the same object again.
  ``v = s = {}`` arrives as one dict twice; an array returned under ten
  thousand keys is sent, decoded and stored once.

``decode`` works within a fixed budget whatever the reply says: at most
``MAX_NODES`` values counted as the graders will walk them (a reference counts
the whole value it points to again, so a small graph of references cannot
stand for an exponentially large tree), each blob decoded at most once (a
second use must be a reference), no reference to a container that is still
being decoded (no cycles), headers of at most ``MAX_HEADER_BYTES``.

The child (``child.py``) has its own copy of this format, because it must not
import this package.  Everything the child sends is untrusted: ``decode``
accepts exactly the shapes above and builds plain data (``plain.py``) from
them, nothing else.  Nothing is unpickled or evaluated.
"""
import json
import os
import select
import struct
import time

import numpy as np

from ..plain import MAX_DEPTH, MAX_ITEMS

MAGIC = b"DLKF"
MAX_HEADER_BYTES = 4 * 2**20    # structure only: the numbers travel as blobs
MAX_NODES = 200_000             # values in one reply
MAX_DIMS = 32
# native-order numbers only: what np.dtype(...).str says for them
DTYPES = {np.dtype(f"{kind}{size}").str for kind, sizes in
          (("b", (1,)), ("i", (1, 2, 4, 8)), ("u", (1, 2, 4, 8)), ("f", (2, 4, 8)))
          for size in sizes}


class ChannelError(Exception):
    """The other side broke the protocol (garbage, too large, wrong shape)."""


class ChannelClosed(ChannelError):
    """The other side closed its end (the child exited)."""


class ChannelTimeout(ChannelError):
    """No complete frame before the deadline."""


# ---------------------------------------------------------------- values

def encode(value, blobs, _depth=0):
    """Plain ``value`` -> JSON tree; arrays are appended to ``blobs`` as .npy bytes.

    The parent only sends plain data it made itself (grader inputs), so this
    raises TypeError for anything else (a grader bug, not a student's).
    """
    if _depth > MAX_DEPTH + 2:
        raise TypeError("value nested too deeply to send to the sandbox")
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is np.ndarray:
        blobs.append(array_blob(value))
        return {"t": "array", "i": len(blobs) - 1}
    if isinstance(value, np.generic):
        return encode(value.item(), blobs, _depth)
    if kind in (list, tuple):
        return {"t": kind.__name__, "v": [encode(v, blobs, _depth + 1) for v in value]}
    if kind is dict and all(type(k) is str for k in value):
        return {"t": "dict", "v": [[k, encode(v, blobs, _depth + 1)] for k, v in value.items()]}
    raise TypeError(f"cannot send a {kind.__name__} to the sandbox (plain data only)")


_BUSY = object()


def decode(tree, arrays):
    """JSON tree from the child -> plain data; raises ChannelError on anything else.

    arrays: the frame's blobs already decoded by ``load_array``.  See the
    module docstring for references and the budget.
    """
    state = {"nodes": 0, "table": [], "sizes": [], "used": set()}
    return _decode(tree, arrays, state, 0)


def _count(state, n):
    state["nodes"] += n
    if state["nodes"] > MAX_NODES:
        raise ChannelError(f"a value of more than {MAX_NODES} parts; too many")


def _decode(tree, arrays, state, depth):
    if depth > MAX_DEPTH + 2:
        raise ChannelError("value nested too deeply")
    _count(state, 1)
    kind = type(tree)
    if tree is None or kind in (bool, int, float, str):
        return tree
    if kind is not dict or type(tree.get("t")) is not str:
        raise ChannelError(f"unexpected {kind.__name__} in a value")
    tag, table = tree["t"], state["table"]
    if tag == "ref" and set(tree) == {"t", "i"} and type(tree["i"]) is int:
        if not 0 <= tree["i"] < len(table) or table[tree["i"]] is _BUSY:
            raise ChannelError("a reference to nothing, or to a value that contains it")
        _count(state, state["sizes"][tree["i"]])
        return table[tree["i"]]
    if tag == "array" and set(tree) == {"t", "i"} and type(tree["i"]) is int:
        if not 0 <= tree["i"] < len(arrays) or tree["i"] in state["used"]:
            raise ChannelError("array reference out of range or used twice")
        state["used"].add(tree["i"])
        table.append(arrays[tree["i"]])
        state["sizes"].append(1)
        return arrays[tree["i"]]
    if tag in ("list", "tuple", "dict") and set(tree) == {"t", "v"} and type(tree["v"]) is list:
        items = tree["v"]
        if len(items) > MAX_ITEMS:
            raise ChannelError(f"a {tag} of {len(items)} items; too many")
        slot, start = len(table), state["nodes"]
        table.append(_BUSY)
        state["sizes"].append(0)
        if tag == "dict":
            out = {}
            for pair in items:
                if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str:
                    raise ChannelError("malformed dict entry")
                out[pair[0]] = _decode(pair[1], arrays, state, depth + 1)
        else:
            values = [_decode(v, arrays, state, depth + 1) for v in items]
            out = values if tag == "list" else tuple(values)
        table[slot] = out
        state["sizes"][slot] = state["nodes"] - start + 1
        return out
    raise ChannelError(f"unknown value tag {tag!r}")


def array_blob(array):
    """A numeric np.ndarray -> its blob (see module docstring)."""
    if not array.dtype.isnative:
        array = array.astype(array.dtype.newbyteorder("="))
    if not array.flags.c_contiguous:
        array = array.copy(order="C")
    dtype = array.dtype.str.encode()
    return b"".join([bytes([len(dtype)]), dtype, bytes([array.ndim]),
                     struct.pack(f"<{array.ndim}Q", *array.shape), array.tobytes()])


def load_array(blob):
    """A blob -> a (writable) bool/int/float np.ndarray; raises ChannelError
    for anything else (see module docstring)."""
    try:
        view = memoryview(blob)
        size = view[0]
        dtype = bytes(view[1:1 + size]).decode("ascii")
        ndim = view[1 + size]
        start = 2 + size + 8 * ndim
        shape = struct.unpack(f"<{ndim}Q", view[2 + size:start])
    except (IndexError, UnicodeDecodeError, struct.error):
        raise ChannelError("a malformed array") from None
    if dtype not in DTYPES or ndim > MAX_DIMS or any(n >= 2**40 for n in shape):
        raise ChannelError("an array of an unsupported dtype or shape")
    dtype = np.dtype(dtype)
    count = 1
    for n in shape:
        count *= n
    if count * dtype.itemsize != len(view) - start:
        raise ChannelError("an array whose size does not match its shape")
    try:        # a zero-length side passes the size check whatever the others say
        return np.frombuffer(bytearray(view[start:]), dtype=dtype).reshape(shape)
    except ValueError:      # numpy: the other sides overflow its index type
        raise ChannelError("an array of an unsupported dtype or shape") from None


def load_arrays(blobs, max_bytes):
    """A frame's blobs -> arrays (``load_array``), at most ``max_bytes`` of
    them counted as float64: the graders' comparisons turn values into float64
    (several copies at a time), so a reply of int8 or bool values may cost no
    more than one of floats.  Raises ChannelError."""
    arrays = [load_array(b) for b in blobs]
    values = sum(a.size for a in arrays)
    if values * 8 > max_bytes:
        raise ChannelError(f"a reply of {values} values; the limit is {max_bytes // 8} "
                           "(whatever their dtype)")
    return arrays


# ---------------------------------------------------------------- frames

def pack_frame(header, blobs=()):
    """Header dict + list of bytes -> one frame (bytes)."""
    header = dict(header, blobs=[len(b) for b in blobs])
    body = json.dumps(header).encode()
    return b"".join([MAGIC, struct.pack(">I", len(body)), body, *blobs])


def write_frame(fd, header, blobs=(), deadline=None):
    """Write one frame to ``fd`` (blocking or not) before ``deadline`` (monotonic)."""
    data, blocking = memoryview(pack_frame(header, blobs)), os.get_blocking(fd)
    while data:
        if blocking:
            _wait(fd, select.POLLOUT, deadline)
        try:
            n = os.write(fd, data[: 1 << 20])
        except BlockingIOError:
            _wait(fd, select.POLLOUT, deadline)
            continue
        except (BrokenPipeError, ConnectionResetError):
            raise ChannelClosed("the child closed the channel") from None
        data = data[n:]


def read_frame(fd, deadline=None, max_bytes=256 * 2**20):
    """Read one frame from ``fd``; returns (header dict, list of blob bytes).

    At most ``max_bytes`` of blobs are accepted; raises ChannelClosed on EOF,
    ChannelTimeout past ``deadline``, ChannelError on anything malformed.
    """
    prefix = _read_exact(fd, 8, deadline)
    if prefix[:4] != MAGIC:
        raise ChannelError("garbage on the channel")
    (size,) = struct.unpack(">I", prefix[4:])
    if size > MAX_HEADER_BYTES:
        raise ChannelError(f"a header of {size} bytes; too large")
    try:
        header = json.loads(_read_exact(fd, size, deadline).decode())
    except (ValueError, RecursionError):
        raise ChannelError("a header that is not JSON") from None
    sizes = header.get("blobs") if type(header) is dict else None
    if type(sizes) is not list or not all(type(n) is int and n >= 0 for n in sizes):
        raise ChannelError("a header without a valid blob list")
    if sum(sizes) > max_bytes:
        raise ChannelError(f"a reply of {sum(sizes) / 2**20:.0f} MiB; the limit is "
                           f"{max_bytes / 2**20:.0f} MiB")
    return header, [_read_exact(fd, n, deadline) for n in sizes]


def _wait(fd, event, deadline):
    poller = select.poll()
    poller.register(fd, event | select.POLLHUP | select.POLLERR)
    while True:
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            raise ChannelTimeout("deadline passed")
        if poller.poll(None if left is None else max(1, int(left * 1000))):
            return


def _read_exact(fd, n, deadline):
    """n bytes from ``fd``; a non-blocking fd is read first and polled only
    when empty (one system call per read instead of two)."""
    chunks, got, blocking = [], 0, os.get_blocking(fd)
    while got < n:
        if blocking:
            _wait(fd, select.POLLIN, deadline)
        try:
            chunk = os.read(fd, min(n - got, 1 << 20))
        except BlockingIOError:
            _wait(fd, select.POLLIN, deadline)
            continue
        if not chunk:
            raise ChannelClosed("the child closed the channel")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)
