"""The sandbox child: runs a student's notebook cells and graded functions.

STANDALONE: this file uses the standard library and numpy only, and must
never import ``autograder`` (the child must not be able to find the hidden
graders).  The parent copies it out of the package and starts it as::

    python -I -S -B child.py CONFIG_JSON

CONFIG_JSON (from the trusted parent) says which pipe fds to use, the
sys.path to set, the resource limits, and whether to build a private root:

1. namespace mode (root on Linux, inside ``unshare --mount --net --pid``):
   mount a size-limited tmpfs as the new root, bind the python runtime,
   site-packages, /usr and /etc into it read-only, add /dev/null & co., /proc,
   /tmp and the work dir /sandbox with the assignment's files; chroot there.
   This process stays as pid 1 of the namespace (it only reaps) and forks the
   worker, which drops to an unprivileged uid.
2. process mode: run in the scratch dir the parent prepared.

The worker then sets its rlimits, imports numpy and matplotlib (a spare child
does this while the previous submission is graded), points fds 0-2 at
/dev/null (prints go to a capped in-memory buffer), says "ready", and serves
requests until EOF:

- ``{"op": "exec", "cell": i, "source": ...}``: run one notebook cell in the
  notebook namespace; an exception is reported, never fatal.
- ``{"op": "call", "name", "args", "kwargs", "rng_seed", "overrides"}``: call
  a graded function on the decoded arguments; reply with its return value and
  its arguments after the call, both as plain data.

Frames and the wire form of values are described in channel.py; this file
holds its own copy of both.  Builtins are restored after every cell and call
so a student's patch of ``len``/``isinstance`` cannot break the protocol.
"""
import builtins
import io
import json
import os
import resource
import signal
import struct
import sys
import types

MAGIC = b"DLKF"
MAX_DEPTH = 8            # as autograder/plain.py
MAX_ITEMS = 10_000
_type, _len, _str, _repr = type, len, str, repr
_BUILTINS = dict(vars(builtins))


# ------------------------------------------------------------ private root

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC = 32, 4096, 16384
PR_SET_NO_NEW_PRIVS = 38


def _libc():
    import ctypes
    return ctypes.CDLL(None, use_errno=True)


def _mount(libc, source, target, fstype, flags, data=None):
    import ctypes
    enc = (lambda s: None if s is None else s.encode())
    if libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {source} on {target}: {os.strerror(err)}")


def build_root(config):
    """Mount the private root described in the module docstring and chroot."""
    libc = _libc()
    root = config["newroot"]
    _mount(libc, "tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV,
           f"size={config['disk_bytes']},mode=0755")

    def inside(path):
        return os.path.join(root, path.lstrip("/"))

    def bind(path, writable=False):
        target = inside(path)
        if os.path.isdir(path):
            os.makedirs(target, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            open(target, "a").close()
        _mount(libc, path, target, None, MS_BIND | MS_REC)
        flags = MS_BIND | MS_REMOUNT | MS_NOSUID | (0 if writable else MS_RDONLY | MS_NODEV)
        _mount(libc, None, target, None, flags)

    for path in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(path):
            os.symlink(os.readlink(path), inside(path))
        elif os.path.isdir(path):
            bind(path)
    done = []
    for path in ["/usr", "/etc"] + sorted(config["binds"], key=len):
        if os.path.exists(path) and not any(path == d or path.startswith(d + "/") for d in done):
            bind(path)
            done.append(path)
    for name in ("null", "zero", "random", "urandom"):
        bind(f"/dev/{name}", writable=True)
    os.makedirs(inside("/proc"))
    _mount(libc, "proc", inside("/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    # /tmp may exist already: a venv under /tmp (a fresh clone in CI) has its
    # site-packages bound at /tmp/.../site-packages above.
    os.makedirs(inside("/tmp"), exist_ok=True)
    os.chmod(inside("/tmp"), 0o1777)
    work = inside(config["workdir"])
    os.makedirs(work)
    _copy_files(config["stage"], work, config["uid"], config["gid"])
    os.chroot(root)
    os.chdir(config["workdir"])


def _copy_files(stage, work, uid, gid):
    """Copy the assignment's files into the work dir, owned by the worker."""
    for name in os.listdir(stage):
        src = os.path.join(stage, name)
        if os.path.isfile(src):
            with open(src, "rb") as f, open(os.path.join(work, name), "wb") as g:
                g.write(f.read())
            os.chown(os.path.join(work, name), uid, gid)
    os.chown(work, uid, gid)
    os.chmod(work, 0o700)


def reap(worker, fds):
    """pid 1 of the namespace: wait for the worker, exit like it.  When this
    process exits the kernel kills every other process of the namespace."""
    for fd in fds:
        os.close(fd)
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            os._exit(125)
        if pid == worker:
            code = os.waitstatus_to_exitcode(status)
            os._exit(128 - code if code < 0 else code)


def become_worker(config):
    """Limits, then the unprivileged uid (namespace mode), then fds 0-2."""
    lim = config["rlimits"]
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (lim["as"], lim["as"]))
    resource.setrlimit(resource.RLIMIT_CPU, (lim["cpu"], lim["cpu"] + 2))
    resource.setrlimit(resource.RLIMIT_FSIZE, (lim["fsize"], lim["fsize"]))
    resource.setrlimit(resource.RLIMIT_NOFILE, (lim["nofile"], lim["nofile"]))
    if config["uid"] is not None:
        os.setgroups([])
        os.setgid(config["gid"])
        os.setuid(config["uid"])
        resource.setrlimit(resource.RLIMIT_NPROC, (lim["nproc"], lim["nproc"]))
        _libc().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a too-large file: OSError, not death
    sys.path[:] = config["sys_path"]


def silence_fds():
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


class CappedText(io.TextIOBase):
    """sys.stdout/sys.stderr: keeps the first ``cap`` characters, drops the
    rest; ``.buffer`` takes bytes the same way."""

    def __init__(self, cap):
        self.cap, self.kept = cap, []
        self.size = 0
        self.buffer = self

    def writable(self):
        return True

    def write(self, text):
        if self.size < self.cap:
            self.kept.append(text[: self.cap - self.size])
        self.size += _len(text)
        return _len(text)


# ------------------------------------------------------------ wire format

class NotPlain(Exception):
    pass


def _describe(value):
    if value is None:
        return "None"
    name = _type(value).__name__
    return ("an " if name[:1].lower() in "aeiou" else "a ") + name


def to_wire(value, where, blobs, depth=0):
    """Plain value -> JSON tree (+ .npy blobs); the rules of autograder/plain.py."""
    if depth > MAX_DEPTH:
        raise NotPlain(f"{where} is nested too deeply")
    kind = _type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is np.ndarray:
        if value.dtype.kind not in "biuf" or value.dtype.fields is not None:
            raise NotPlain(f"{where} is an array of dtype {value.dtype}; expected numbers")
        buf = io.BytesIO()
        _write_array(buf, value, allow_pickle=False)
        blobs.append(buf.getvalue())
        return {"t": "array", "i": _len(blobs) - 1}
    if (_issubclass(kind, np.generic) and kind.__module__ == "numpy"
            and value.dtype.kind in "biuf"):
        return value.item()
    if kind in (list, tuple):
        if _len(value) > MAX_ITEMS:
            raise NotPlain(f"{where} has {_len(value)} items; too many")
        return {"t": kind.__name__,
                "v": [to_wire(v, f"{where}[{i}]", blobs, depth + 1) for i, v in enumerate(value)]}
    if kind is dict:
        if _len(value) > MAX_ITEMS:
            raise NotPlain(f"{where} has {_len(value)} keys; too many")
        items = []
        for k, v in value.items():
            if _type(k) is not str:
                raise NotPlain(f"{where} has a key {_describe(k)}; expected string keys")
            items.append([k, to_wire(v, f"{where}[{k!r}]", blobs, depth + 1)])
        return {"t": "dict", "v": items}
    if _issubclass(kind, np.ndarray):
        raise NotPlain(f"{where} is {_describe(value)}, an ndarray subclass; "
                       "return a plain numpy array (np.asarray)")
    raise NotPlain(f"{where} is {_describe(value)}; expected numbers, arrays, "
                   "lists, tuples or dicts")


def from_wire(tree, blobs):
    """JSON tree (+ blobs) from the trusted parent -> Python values."""
    if _type(tree) is not dict:
        return tree
    tag = tree["t"]
    if tag == "array":
        return _read_array(io.BytesIO(blobs[tree["i"]]), allow_pickle=False)
    if tag == "dict":
        return {k: from_wire(v, blobs) for k, v in tree["v"]}
    items = [from_wire(v, blobs) for v in tree["v"]]
    return items if tag == "list" else tuple(items)


def read_frame(fd):
    """One frame from the parent; None at EOF."""
    prefix = _read_exact(fd, 8)
    if prefix is None:
        return None
    if prefix[:4] != MAGIC:
        raise SystemExit("garbage from the parent")
    header = json.loads(_read_exact(fd, struct.unpack(">I", prefix[4:])[0]))
    return header, [_read_exact(fd, n) for n in header["blobs"]]


def _read_exact(fd, n):
    chunks, got = [], 0
    while got < n:
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += _len(chunk)
    return b"".join(chunks)


def write_frame(fd, header, blobs=()):
    header = dict(header, blobs=[_len(b) for b in blobs])
    body = json.dumps(header).encode()
    data = memoryview(b"".join([MAGIC, struct.pack(">I", _len(body)), body, *blobs]))
    while data:
        data = data[os.write(fd, data):]


# ------------------------------------------------------------ serving

def describe_exception(exc):
    """'raised ValueError: first line of the message' (as autograder/student.py)."""
    try:
        lines = _str(exc).strip().splitlines()
    except BaseException:  # noqa: BLE001 - a student's __str__ may raise
        lines = []
    first = lines[0] if lines else ""
    if _len(first) > 200:
        first = first[:200] + "..."
    return f"raised {_type(exc).__name__}" + (f": {first}" if first else "")


def restore_builtins():
    """Undo a student's patch of builtins (len, isinstance, abs...)."""
    current = vars(builtins)
    for name, value in _BUILTINS.items():
        if current.get(name) is not value:
            current[name] = value


def run_cell(header, namespace):
    source, index = header["source"], header["cell"]
    try:
        code = compile(source, f"<cell {index}>", "exec")
    except SyntaxError as exc:
        return {"ok": False, "kind": "exception",
                "error": f"has a syntax error: {exc.msg} (line {exc.lineno})"}
    try:
        exec(code, namespace)
    except MemoryError:
        return {"ok": False, "kind": "memory", "error": "ran out of memory"}
    except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt too
        return {"ok": False, "kind": "exception", "error": describe_exception(exc)}
    return {"ok": True}


def run_call(header, arrays, namespace):
    """Call one graded function; returns (reply header, blobs)."""
    name = header["name"]
    fn = namespace.get(name)
    if fn is None:
        return {"ok": False, "kind": "missing", "error": f"{name} is not defined"}, []
    if not callable(fn):
        return {"ok": False, "kind": "missing",
                "error": f"{name} is {_type(fn).__name__}, not a function"}, []
    args = from_wire(header["args"], arrays)
    kwargs = from_wire(header["kwargs"], arrays)
    scope = fn.__globals__ if _type(fn) is types.FunctionType else namespace
    saved = {k: scope[k] for k in header["overrides"] if k in scope}
    try:
        for key, source in header["overrides"].items():
            probe = {"np": np}
            exec(compile(source, f"<grader probe {key}>", "exec"), probe)
            scope[key] = probe[key]
        if header["rng_seed"] is not None:
            _seed(header["rng_seed"])
        value = fn(*args, **kwargs)
    except MemoryError:
        return {"ok": False, "kind": "memory", "error": "ran out of memory"}, []
    except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt too
        return {"ok": False, "kind": "exception", "error": f"{name} {describe_exception(exc)}"}, []
    finally:
        for key in header["overrides"]:
            if key in saved:
                scope[key] = saved[key]
            else:
                scope.pop(key, None)
        restore_builtins()
    blobs = []
    try:
        tree = to_wire(value, f"{name}'s return value", blobs)
        after = to_wire(args, f"{name}'s arguments after the call", blobs)
    except NotPlain as exc:
        return {"ok": False, "kind": "notplain", "error": _str(exc)}, []
    except BaseException as exc:  # noqa: BLE001 - a student's object misbehaved
        return {"ok": False, "kind": "notplain",
                "error": f"{name}'s return value could not be read ({describe_exception(exc)})"}, []
    return {"ok": True, "value": tree, "args_after": after}, blobs


def serve(config):
    """Answer requests until the parent closes the channel."""
    req, resp = config["req_fd"], config["resp_fd"]
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    out = CappedText(config["output_bytes"])
    sys.stdout = sys.stderr = out
    write_frame(resp, {"nonce": "ready", "ok": True, "uid": os.getuid(), "pid": os.getpid()})
    while True:
        frame = read_frame(req)
        if frame is None:
            os._exit(0)
        header, blobs = frame
        if header["op"] == "exec":
            reply, out_blobs = run_cell(header, namespace), []
        else:
            reply, out_blobs = run_call(header, blobs, namespace)
        restore_builtins()
        sys.stdout = sys.stderr = out
        reply["nonce"] = header["nonce"]
        try:
            write_frame(resp, reply, out_blobs)
        except BaseException:  # noqa: BLE001 - e.g. NaN keys, huge ints: report plainly
            write_frame(resp, {"nonce": header["nonce"], "ok": False, "kind": "notplain",
                               "error": "the value could not be sent back (not plain data)"})


def bind_numpy():
    """Import numpy and keep our own references to what the protocol uses,
    before any student code can patch them."""
    global np, _seed, _write_array, _read_array, _issubclass
    import numpy as np  # noqa: F811 - after the limits, from the configured sys.path
    _seed, _issubclass = np.random.seed, issubclass
    _write_array, _read_array = np.lib.format.write_array, np.lib.format.read_array


def warm_up():
    """Import what every assignment's notebook imports (matplotlib, Agg
    backend) before saying ready: a spare child does it ahead of time."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot  # noqa: F401
    except Exception:  # noqa: BLE001 - the student's own import will report it
        pass


def main():
    config = json.loads(sys.argv[1])
    fds = (config["req_fd"], config["resp_fd"])
    if config["namespace"]:
        build_root(config)
        worker = os.fork()
        if worker:
            reap(worker, fds)
    become_worker(config)
    bind_numpy()
    warm_up()
    silence_fds()
    serve(config)


if __name__ == "__main__":
    main()
