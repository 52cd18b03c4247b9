"""The sandbox child: runs a student's notebook cells and graded functions.

STANDALONE: this file uses the standard library and numpy only, and must
never import ``autograder`` (the child must not be able to find the hidden
graders).  The parent copies it out of the package and starts it (under
bubblewrap, see isolation.py and launch.py) as::

    python -I -S -B child.py CONFIG_JSON

CONFIG_JSON (from the trusted parent) says which pipe fds to use, where the
assignment's files are (read-only), the work dir, the sys.path to set and the
resource limits.  The child copies the files into its work dir, sets its
rlimits (RLIMIT_NPROC caps its threads: the sandbox's seccomp filter allows
no new process), imports numpy and matplotlib (under bubblewrap a zygote
does this once, see below), points fds 0-2 at /dev/null (prints go
to a capped in-memory buffer), says "ready", and serves requests until EOF:

- ``{"op": "exec", "cell": i, "source": ...}``: run one notebook cell in the
  notebook namespace; an exception is reported, never fatal.
- ``{"op": "pipeline", "inputs", "steps"}``: several graded functions in a
  row on shared objects (``autograder.student.Submission.pipeline``); each
  result is sent as it was right after its step.
- ``{"op": "call", "name", "args", "kwargs", "rng_seed", "overrides",
  "again"}``: call a graded function on the decoded arguments and reply with
  its return value as plain data; with ``again``, call it a second time on
  the same argument objects (numpy's global RNG put back as it was before
  the first call) and reply with that value too: a function that changes its
  inputs shows it in its second answer, which the parent checks.

Under bubblewrap the same file first runs as a **zygote** (``"mode":
"zygote"`` in CONFIG_JSON): it imports numpy and matplotlib once, then, for
each "spawn" message on its control socket (a SOCK_SEQPACKET pair made by
the parent; the message carries the child's two pipe fds), forks a process
that enters new mount, pid, IPC, UTS, network and cgroup namespaces and
forks their init, which forks the child: pid 2 of its own pid namespace, on
a fresh tmpfs, which
drops every capability, sets its rlimits, loads the child's seccomp filter
and only then serves the requests above.  A child serves one submission;
"reap" kills it and answers with its exit status (128 + signal when a
signal ended it).  The zygote runs no student code and a child cannot reach
it: no fd, no pid, no shared writable memory.

Frames and the wire form of values are described in channel.py; this file
holds its own copy of both.  Builtins are restored after every cell and call
so a student's patch of ``len``/``isinstance`` cannot break the protocol.
Nothing this process reports is trusted by the parent: it is the student's
process.
"""
import builtins
import ctypes
import io
import json
import mmap
import os
import resource
import signal
import struct
import sys
import time
import types

MAGIC = b"DLKF"
MAX_DEPTH = 8            # as autograder/plain.py
MAX_ITEMS = 10_000
_type, _len, _str, _repr = type, len, str, repr
_BUILTINS = dict(vars(builtins))


# ------------------------------------------------------------ setting up

PR_SET_NO_NEW_PRIVS = 38


def copy_files(source, work):
    """Copy the assignment's files (read-only in the sandbox) into the work dir."""
    for name in os.listdir(source):
        src = os.path.join(source, name)
        if os.path.isfile(src):
            with open(src, "rb") as f, open(os.path.join(work, name), "wb") as g:
                g.write(f.read())


def become_worker(config):
    """Limits (no raising them later: soft = hard), then sys.path."""
    lim = config["rlimits"]
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (lim["as"], lim["as"]))
    resource.setrlimit(resource.RLIMIT_CPU, (lim["cpu"], lim["cpu"] + 2))
    resource.setrlimit(resource.RLIMIT_FSIZE, (lim["fsize"], lim["fsize"]))
    resource.setrlimit(resource.RLIMIT_NOFILE, (lim["nofile"], lim["nofile"]))
    if lim["nproc"] is not None:     # counted in the sandbox's own user namespace
        resource.setrlimit(resource.RLIMIT_NPROC, (lim["nproc"], lim["nproc"]))
    if ctypes.CDLL(None).prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        os._exit(121)
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


def to_wire(value, where, blobs, depth=0, memo=None):
    """Plain value -> JSON tree (+ .npy blobs); the rules of autograder/plain.py.

    Identity is kept within one value: an array, list, tuple or dict met a
    second time is sent as ``{"t": "ref", "i": k}``, the k-th container met
    (so ``v = s = {}`` arrives as one dict twice, and one array is sent once).
    """
    memo = {} if memo is None else memo
    if depth > MAX_DEPTH:
        raise NotPlain(f"{where} is nested too deeply")
    kind = _type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind in (np.ndarray, list, tuple, dict) and id(value) in memo:
        return {"t": "ref", "i": memo[id(value)][0]}
    if kind is np.ndarray:
        if value.dtype.kind not in "biuf" or value.dtype.fields is not None:
            raise NotPlain(f"{where} is an array of dtype {value.dtype}; expected numbers")
        memo[id(value)] = (_len(memo), value)
        blobs.append(array_blob(value))
        return {"t": "array", "i": _len(blobs) - 1}
    if (_issubclass(kind, np.generic) and kind.__module__ == "numpy"
            and value.dtype.kind in "biuf"):
        return value.item()
    if kind in (list, tuple):
        if _len(value) > MAX_ITEMS:
            raise NotPlain(f"{where} has {_len(value)} items; too many")
        memo[id(value)] = (_len(memo), value)
        return {"t": kind.__name__,
                "v": [to_wire(v, f"{where}[{i}]", blobs, depth + 1, memo)
                      for i, v in enumerate(value)]}
    if kind is dict:
        if _len(value) > MAX_ITEMS:
            raise NotPlain(f"{where} has {_len(value)} keys; too many")
        memo[id(value)] = (_len(memo), value)
        items = []
        for k, v in value.items():
            if _type(k) is not str:
                raise NotPlain(f"{where} has a key {_describe(k)}; expected string keys")
            items.append([k, to_wire(v, f"{where}[{k!r}]", blobs, depth + 1, memo)])
        return {"t": "dict", "v": items}
    if _issubclass(kind, np.ndarray):
        raise NotPlain(f"{where} is {_describe(value)}, an ndarray subclass; "
                       "return a plain numpy array (np.asarray)")
    raise NotPlain(f"{where} is {_describe(value)}; expected numbers, arrays, "
                   "lists, tuples or dicts")


def array_blob(array):
    """A numeric array -> its blob: dtype length, dtype, ndim, shape (uint64
    little-endian), the values in C order (as channel.array_blob)."""
    if not array.dtype.isnative:
        array = array.astype(array.dtype.newbyteorder("="))
    if not array.flags.c_contiguous:
        array = array.copy(order="C")
    dtype = array.dtype.str.encode()
    return b"".join([bytes([_len(dtype)]), dtype, bytes([array.ndim]),
                     struct.pack(f"<{array.ndim}Q", *array.shape), array.tobytes()])


def read_blob(blob):
    """A blob from the trusted parent -> a writable array."""
    size = blob[0]
    ndim = blob[1 + size]
    start = 2 + size + 8 * ndim
    shape = struct.unpack(f"<{ndim}Q", blob[2 + size:start])
    return _frombuffer(bytearray(blob[start:]), dtype=blob[1:1 + size].decode()).reshape(shape)


def from_wire(tree, blobs):
    """JSON tree (+ blobs) from the trusted parent -> Python values."""
    if _type(tree) is not dict:
        return tree
    tag = tree["t"]
    if tag == "array":
        return read_blob(blobs[tree["i"]])
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


def compile_overrides(sources):
    """{name: grader probe source} -> {name: function}; no source kept."""
    defined = {}
    while sources:
        key, text = sources.popitem()
        probe = {"np": np}
        exec(compile(text, f"<grader probe {key}>", "exec"), probe)
        defined[key] = probe[key]
    return defined


def run_call(header, arrays, namespace):
    """Call one graded function (twice with ``again``); returns (reply header, blobs)."""
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
    # the probes' source leaves this frame before the student's code runs
    # (a function can read its caller's frame): compiled, then dropped
    overrides = compile_overrides(header.pop("overrides"))
    saved = {k: scope[k] for k in overrides if k in scope}
    blobs, reply = [], {"ok": True}
    try:
        scope.update(overrides)
        if header["rng_seed"] is not None:
            _seed(header["rng_seed"])
        state, again = _get_state(), header.get("again")
        for key in ("value", "again") if again else ("value",):
            if key == "again":      # replaced arguments new, every other object the same
                args = [a for a in args]
                for i, tree in again["args"]:
                    args[i] = from_wire(tree, arrays)
                kwargs = dict(kwargs, **from_wire(again["kwargs"], arrays))
                if again["rng_seed"] is not None:
                    _seed(again["rng_seed"])
                else:
                    _set_state(state)
            value = fn(*args, **kwargs)
            restore_builtins()
            reply[key] = to_wire(value, f"{name}'s return value", blobs)
            if key == "value" and header.get("read_args"):
                reply["args_after"] = to_wire(args, f"{name}'s arguments after the call", blobs)
    except MemoryError:
        return {"ok": False, "kind": "memory", "error": "ran out of memory"}, []
    except NotPlain as exc:
        return {"ok": False, "kind": "notplain", "error": _str(exc)}, []
    except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt too
        return {"ok": False, "kind": "exception", "error": f"{name} {describe_exception(exc)}"}, []
    finally:
        for key in overrides:
            if key in saved:
                scope[key] = saved[key]
            else:
                scope.pop(key, None)
        restore_builtins()
    return reply, blobs


def run_pipeline(header, arrays, namespace):
    """Several calls in a row on shared objects (autograder.student.Submission.pipeline)."""
    objects = {"input": list(from_wire(header["inputs"], arrays)), "result": []}

    def resolve(spec):
        if spec[0] == "value":
            return from_wire(spec[1], arrays)
        target = objects[spec[0]][spec[1]]
        return target[spec[2]] if _len(spec) == 3 else target

    blobs, results = [], []
    for name, args, kwargs in header["steps"]:
        fn = namespace.get(name)
        if not callable(fn):
            return {"ok": False, "kind": "missing", "error": f"{name} is not defined"
                    if fn is None else f"{name} is {_type(fn).__name__}, not a function"}, []
        try:
            value = fn(*[resolve(a) for a in args], **{k: resolve(a) for k, a in kwargs.items()})
            restore_builtins()
            objects["result"].append(value)
            results.append(to_wire(value, f"{name}'s return value", blobs))
        except MemoryError:
            return {"ok": False, "kind": "memory", "error": "ran out of memory"}, []
        except NotPlain as exc:
            return {"ok": False, "kind": "notplain", "error": _str(exc)}, []
        except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt too
            return {"ok": False, "kind": "exception",
                    "error": f"{name} {describe_exception(exc)}"}, []
        finally:
            restore_builtins()
    return {"ok": True, "results": results}, blobs


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
        elif header["op"] == "pipeline":
            reply, out_blobs = run_pipeline(header, blobs, namespace)
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
    global np, _seed, _frombuffer, _issubclass, _get_state, _set_state
    import numpy as np  # noqa: F811 - after the limits, from the configured sys.path
    _seed, _issubclass = np.random.seed, issubclass
    _get_state, _set_state = np.random.get_state, np.random.set_state
    _frombuffer = np.frombuffer


def warm_up():
    """Import what every assignment's notebook imports (matplotlib, Agg
    backend) before saying ready: a zygote does it once for all its children."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot  # noqa: F401
    except Exception:  # noqa: BLE001 - the student's own import will report it
        pass


# ------------------------------------------------------------ the zygote

NEW_NAMESPACES = (0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x20000000
                  | 0x40000000)     # CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWPID, NEWNET
MS_NOSUID, MS_NODEV = 2, 4
PR_SET_PDEATHSIG, PR_SET_NAME, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 1, 15, 22, 2
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
CAPABILITY_VERSION_3 = 0x20080522
SETUP_FAILED = 121          # as launch.py: the sandbox could not set the child up
ROOM_NEEDED = 16 * 2**20    # bytes a child must be able to allocate once its limits are set


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def zygote(config):
    """Fork one child per "spawn" message until the parent closes the socket.

    Messages (JSON, one per datagram): ``{"op": "spawn", "config": {...}}``
    with the child's request and reply fds attached -> ``{"ok": bool}``;
    ``{"op": "reap", "grace": s}`` -> ``{"ok": true, "status": code}``: wait
    up to ``grace`` seconds for the child to end by itself, else SIGKILL it.
    """
    import socket
    libc = ctypes.CDLL(None, use_errno=True)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.path[:] = config["sys_path"]
    copy_files(config["files"], config["workdir"])      # matplotlib's font list, for warm_up
    bind_numpy()
    warm_up()
    for name in config.get("preload", ()):     # TensorFlow for its assignment
        try:
            __import__(name)
        except Exception:  # noqa: BLE001 - the student's own import will report it
            pass
    with open(config["child_filter"], "rb") as f:
        program = f.read()
    ctl = socket.socket(fileno=config["ctl_fd"])
    current = None                  # (pids of the namespace holder and of its init)
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(ctl, 1 << 16, 2)
        except OSError:
            data, fds = b"", []
        if not data:
            if current is not None:
                _reap(current, 0)
            os._exit(0)
        message = json.loads(data)
        reply = {"ok": False}
        if current is not None:     # one child at a time
            status = _reap(current, message.get("grace", 0) if message["op"] == "reap" else 0)
            current = None
            if message["op"] == "reap":
                reply = {"ok": True, "status": status}
        if message["op"] == "spawn" and _len(fds) == 2:
            config = dict(message["config"], req_fd=fds[0], resp_fd=fds[1])
            current = _spawn(libc, ctl, config, program)
            reply = {"ok": current is not None}
        for fd in fds:
            os.close(fd)
        ctl.send(json.dumps(reply).encode())


def _spawn(libc, ctl, config, program):
    """Fork the namespace holder, which enters new namespaces and forks their
    init (pid 1), which forks the child (pid 2: a process like any other, so
    that SIGXCPU and the student's own signals act as usual).  Returns the pids
    of the holder and the init as the zygote sees them, or None."""
    report_r, report_w = os.pipe()
    holder = os.fork()
    if holder == 0:
        try:
            os.close(report_r)
            if libc.unshare(NEW_NAMESPACES) != 0:
                os._exit(SETUP_FAILED)
            init = os.fork()
            if init == 0:
                os.close(report_w)
                _init(libc, ctl, config, program)
            os.write(report_w, struct.pack("=i", init))
            os.close(report_w)
            _exit_as(init, ctl, config)
        finally:
            os._exit(SETUP_FAILED)
    os.close(report_w)
    raw = _read_exact(report_r, 4)
    os.close(report_r)
    if raw is None:
        os.waitpid(holder, 0)
        return None
    return holder, struct.unpack("=i", raw)[0]


def _exit_as(pid, ctl, config):
    """Close what the child must hold alone, wait for ``pid`` and exit with
    its status (128 + signal when a signal ended it)."""
    os.close(config["req_fd"])
    os.close(config["resp_fd"])
    ctl.close()
    _, status = os.waitpid(pid, 0)
    os._exit(128 + os.WTERMSIG(status) if os.WIFSIGNALED(status)
             else os.WEXITSTATUS(status) & 0xFF)


def _init(libc, ctl, config, program):
    """pid 1 of the child's namespaces: fork the child, wait for it; when this
    process ends (or is killed by the zygote) the kernel kills the whole
    namespace.  Never returns."""
    try:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        # deaf to the child's signals (as init it gets only those it handles)
        handlers = {}
        for sig in signal.valid_signals():
            if sig not in (signal.SIGCHLD, signal.SIGKILL, signal.SIGSTOP):
                try:
                    handlers[sig] = signal.signal(sig, signal.SIG_IGN)
                except (OSError, ValueError):
                    pass
        child = os.fork()
        if child == 0:
            for sig, handler in handlers.items():
                if handler is not None:
                    signal.signal(sig, handler)
            _child(libc, ctl, config, program)
        _exit_as(child, ctl, config)
    finally:
        os._exit(SETUP_FAILED)


def _reap(current, grace):
    """The child's exit status (see ``zygote``), SIGKILLing its namespace's
    init after ``grace`` s (the kernel then kills the child; the holder ends
    once the namespace is empty)."""
    holder, init = current
    end = time.monotonic() + grace
    while time.monotonic() < end:
        done, status = os.waitpid(holder, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.005)
    try:
        os.kill(init, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _, status = os.waitpid(holder, 0)
    return os.waitstatus_to_exitcode(status)


def _setup_failed(why):
    """End a child whose setup failed, saying why on stderr (the zygote's log)."""
    try:
        os.write(2, f"dlkit child setup: {why}\n".encode())
    finally:
        os._exit(SETUP_FAILED)


def _child(libc, ctl, config, program):
    """In the forked child (pid 2 of new namespaces; CAP_SYS_ADMIN in the
    sandbox's user namespace): a fresh tmpfs, no capabilities, the limits and
    the seccomp filter, then serve.  Never returns."""
    try:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        libc.prctl(PR_SET_NAME, b"dlc" + config["id"][:12].encode(), 0, 0, 0)
        os.setsid()         # its own process group: kill(0, ...) reaches no zygote
        ctl.close()
        keep = sorted((config["req_fd"], config["resp_fd"]))
        os.closerange(3, keep[0])
        os.closerange(keep[0] + 1, keep[1])
        os.closerange(keep[1] + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
        work = config["workdir"]
        if libc.mount(b"tmpfs", work.encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
                      f"size={config['rlimits']['fsize']},mode=0755".encode()) != 0:
            _setup_failed(f"mount tmpfs: {os.strerror(ctypes.get_errno())}")
        os.mkdir(os.path.join(work, "tmp"))
        copy_files(config["files"], work)
        os.chdir(work)
        _seed(None)         # numpy's global RNG from fresh entropy, as in a new process
        # no capability left, none to regain (ambient set cleared, no_new_privs)
        if (libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0
                or libc.capset(ctypes.byref(_CapHeader(CAPABILITY_VERSION_3, 0)),
                               (_CapData * 2)()) != 0):
            _setup_failed(f"dropping capabilities: {os.strerror(ctypes.get_errno())}")
        become_worker(config)
        try:                # a limit below what the warm runtime holds: the grader's fault
            mmap.mmap(-1, ROOM_NEEDED).close()      # a new mapping, never reused heap
        except OSError:
            _setup_failed("the memory limit leaves no room to run")
        code = ctypes.create_string_buffer(program, _len(program))
        fprog = _SockFprog(_len(program) // 8, ctypes.addressof(code))
        if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
            _setup_failed(f"loading the seccomp filter: {os.strerror(ctypes.get_errno())}")
        silence_fds()
    except BaseException as exc:  # noqa: BLE001 - nothing may run on after a failed setup
        _setup_failed(f"{_type(exc).__name__}: {exc}")
    serve(config)
    os._exit(0)


def main():
    config = json.loads(sys.argv[1])
    if config.get("mode") == "zygote":
        zygote(config)
    copy_files(config["files"], config["workdir"])
    os.chdir(config["workdir"])
    become_worker(config)
    bind_numpy()
    warm_up()
    silence_fds()
    serve(config)


if __name__ == "__main__":
    main()
