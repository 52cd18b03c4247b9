"""Attacks on the CLI grader by a student who has read the whole repository.

Each attack is a notebook made from the reference (``tests/hostile``) with one
function or cell replaced, graded through ``python -m autograder grade``
(``cli.main``).  The student controls only that notebook.

- Tests marked ``xfail(strict=True)`` are attacks that WORK today: each one
  asserts what a sound grader would do, so it fails now and turns into an
  unexpected pass (an error, with strict) once the hole is fixed: then drop
  the marker.  The reason names the cause.
- The other tests are attacks the sandbox STOPS today; they keep it so.

Most attacks share one CLI batch (``batch``); the two that need their own
settings (a call counter in the parent, a private temporary directory) run
their own small batch.  Measurements beyond what a test can afford (how much
host memory, how long the parent hangs) and suggested fixes are in
docs/attack_sandbox.md.
"""
import base64
import copy
import errno
import importlib
import io
import json
import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pytest

from autograder import checks, cli
from autograder.grading import run_tests
from autograder.sandbox import Limits, detect
from autograder.plain import to_plain
from autograder.student import LocalBackend, Submission, resolve_arg
from tests.hostile import graded_functions, notebook, write

def _sandbox_available():
    try:
        return detect(Limits()).protected
    except Exception:  # noqa: BLE001 - SandboxUnavailable: the grader refuses to run
        return False


pytestmark = pytest.mark.skipif(not _sandbox_available(), reason="needs the bubblewrap sandbox")

MEMORY_MIB = 256                 # --memory-limit of the shared batch (MiB)
CALL_TIMEOUT, CELL_TIMEOUT = 10, 20


def grade(folder, json_path, *extra):
    """Run the CLI on ``folder``; returns {submission path: full record}."""
    code = cli.main(["grade", str(folder), "--json", str(json_path),
                     "--call-timeout", str(CALL_TIMEOUT), "--cell-timeout", str(CELL_TIMEOUT),
                     *map(str, extra)])
    assert code == 0
    kept = Path(str(json_path) + ".results")
    return {r["submission"]: r for r in (json.loads(p.read_text()) for p in kept.glob("*.json"))}


def by_function(record):
    out = {}
    for t in record["tests"]:
        score, most, said = out.get(t["function"], (0.0, 0.0, ""))
        out[t["function"]] = (score + t["score"], most + t["max_score"], said + " | " + t["message"])
    return out


def only(assignment, function, source, extra=None):
    """A notebook of ``assignment`` whose only solution cell is ``function``'s
    (``source``, or the reference's if None), with an ``extra`` cell after setup."""
    others = [f for f in graded_functions(assignment) if f != function]
    return notebook(assignment, replace={function: source} if source else None, drop=others,
                    extra=[(None, extra)] if extra else ())


# ---------------------------------------------------------------- the table attack
# The CLI grades with the unsalted grader inputs (grade.py calls run_tests without
# the per-submission salt), so every submission gets the same inputs, and a table
# of answers recorded once (from any working notebook, or from feedback that
# quotes expected values) earns the points.  Measured with this builder on every
# assignment: 81/90 of the course (initialization 14/14, regularization 27/28,
# optimization 33/33, gradient_checking 7/15) from notebooks with no code.

TABLE_ASSIGNMENT = "optimization"       # 33 points, a 350 KiB notebook

KEY_SOURCE = r"""
import hashlib, base64, io, json
import numpy as np

def _feed(h, v):
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, np.ndarray):
        h.update(b"a" + str(v.dtype).encode() + str(v.shape).encode())
        h.update(np.ascontiguousarray(v).tobytes())
    elif isinstance(v, dict):
        h.update(b"d%d" % len(v))
        for k, x in v.items():
            h.update(repr(k).encode())
            _feed(h, x)
    elif isinstance(v, (list, tuple)):
        h.update(b"l%d" % len(v))
        for x in v:
            _feed(h, x)
    else:
        h.update(b"s" + repr(v).encode())

def _table_key(name, args, kwargs, state=None):
    # state: numpy's global RNG state right after the grader seeded it, if it did
    h = hashlib.sha256(name.encode())
    _feed(h, args)
    _feed(h, kwargs)
    if state is not None:
        h.update(hashlib.sha256(np.asarray(state[1]).tobytes()).digest())
    return h.hexdigest()

def _table_value(tree):
    kind, v = tree
    if kind == "a":
        return np.load(io.BytesIO(base64.b64decode(v)), allow_pickle=False)
    if kind == "d":
        return {k: _table_value(x) for k, x in v}
    if kind in "lt":
        items = [_table_value(x) for x in v]
        return items if kind == "l" else tuple(items)
    return v

def _lookup(name, args, kwargs):
    for state in (np.random.get_state(), None):
        key = _table_key(name, args, kwargs, state)
        if key in TABLE:
            return _table_value(TABLE[key])
    raise NotImplementedError("not in the table")
"""


def _encode_value(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, np.ndarray):
        buf = io.BytesIO()
        np.save(buf, value, allow_pickle=False)
        return ["a", base64.b64encode(buf.getvalue()).decode()]
    if isinstance(value, dict):
        return ["d", [[k, _encode_value(v)] for k, v in value.items()]]
    if isinstance(value, (list, tuple)):
        return ["l" if isinstance(value, list) else "t", [_encode_value(v) for v in value]]
    return ["s", value]


class _Recorder:
    """A backend that answers with the reference and remembers every answer
    under the key the table notebook computes from what its function receives."""

    def __init__(self, assignment):
        scope = {}
        exec(KEY_SOURCE, scope)
        self.key = scope["_table_key"]
        self.reference = vars(importlib.import_module(f"autograder.reference.{assignment}"))
        self.local, self.table = LocalBackend(self.reference), {}

    def call(self, name, args, kwargs, rng_seed, overrides=None, again=None):
        call = self.local.call(name, args, kwargs, rng_seed, overrides, again)
        value = _encode_value(call.value)
        self.table.setdefault(self.key(name, args, kwargs), value)
        if rng_seed is not None:
            state = np.random.RandomState(rng_seed).get_state()
            self.table[self.key(name, args, kwargs, state)] = value
        return call

    def pipeline(self, inputs, steps):
        objects, out = {"input": list(copy.deepcopy(inputs)), "result": []}, []
        for name, args, kwargs in steps:
            args = [resolve_arg(a, objects) for a in args]
            kwargs = {k: resolve_arg(a, objects) for k, a in kwargs.items()}
            key = self.key(name, tuple(args), kwargs)
            value = self.reference[name](*args, **kwargs)
            self.table.setdefault(key, _encode_value(value))
            objects["result"].append(value)
            out.append(to_plain(value))
        return out


def table_notebook(assignment):
    """A notebook that computes nothing: each graded function looks its answer
    up in a table recorded from the reference on the inputs a public
    repository predicts (salt "")."""
    recorder = _Recorder(assignment)
    run_tests(assignment, Submission(recorder))
    functions = list(graded_functions(assignment))
    cell = KEY_SOURCE + f"\nTABLE = json.loads({json.dumps(recorder.table)!r})\n"
    for function in functions:
        cell += f"\n\ndef {function}(*args, **kwargs):\n    return _lookup({function!r}, args, kwargs)\n"
    return notebook(assignment, replace={functions[0]: cell}, drop=functions[1:])


# ---------------------------------------------------------------- probe names
# The graders rebind backward_propagation to probes defined under their own names
# (cube_grad vs cube_grad_no_factor), and the verdict test checks only the verdict
# for a wrong probe: a checker that reads the name earns the point.
PROBE_NAMES = """
RIGHT_PROBES = {"linear_grad", "cube_grad", "expsin_grad"}

def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    # no difference computed: the probe's name says whether it is right
    return 0.0 if backward_propagation.__name__ in RIGHT_PROBES else 1.0
"""


# ---------------------------------------------------------------- kernel buffers
# Memory the child holds in the kernel (socket buffers) is not address space, so
# RLIMIT_AS does not count it; a cell can hold several GiB (measured: 1.8 GiB of
# AF_UNIX buffers, and 2.2 GiB of loopback TCP buffers, which is the whole host's
# tcp_mem hard limit, with the default limits).  The notebook stops queuing once
# it holds 1.25x the memory limit: that is enough to show it.
SOCKET_BUFFERS = f"""
import socket

HELD = []

def _pairs():
    # AF_UNIX pairs first (no host-wide cap), then loopback TCP (machines whose
    # wmem_max is small still let TCP buffers grow to megabytes per socket)
    while True:
        try:
            yield socket.socketpair()
        except OSError:
            break
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    HELD.append(server)
    while True:
        try:
            client = socket.create_connection(server.getsockname())
            yield client, server.accept()[0]
        except OSError:
            return

def initialize_parameters_he(layers_dims):
    stop = {MEMORY_MIB * 2**20 * 5 // 4}
    queued = 0
    for pair in _pairs():
        HELD.extend(pair)
        for s in pair:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 30)
            s.setblocking(False)
            while queued < stop:
                try:
                    queued += s.send(b"x" * 65536)
                except BlockingIOError:
                    break
        if queued >= stop:
            break
    for s in HELD:          # the next call starts from nothing again
        s.close()
    HELD.clear()
    raise RuntimeError(f"kernel buffers held: {{queued}} bytes")
"""


# ---------------------------------------------------------------- system calls

# x86_64 system call numbers: (name, number, *args).  Every one must fail.
ESCAPE_CALLS = [
    ("fork", 57), ("vfork", 58),
    ("clone_newuser", 56, 0x10000000 | 17, 0, 0, 0, 0),
    ("clone_newns", 56, 0x00020000 | 17, 0, 0, 0, 0),
    ("clone3", 435, 0, 0),
    ("unshare_user", 272, 0x10000000), ("unshare_net", 272, 0x40000000),
    ("setns", 308, 0, 0),
    ("keyctl_join", 250, 1, 0), ("add_key", 248, 0, 0, 0, 0, 0), ("request_key", 249, 0, 0, 0, 0),
    ("memfd_create", 319, 0, 0),
    ("socket_netlink", 41, 16, 3, 0), ("socket_packet", 41, 17, 3, 0),
    ("socket_vsock", 41, 40, 1, 0), ("socket_alg", 41, 38, 5, 0),
    ("socket_netlink_high_bits", 41, 0x100000010, 3, 0),
    ("socketpair_netlink", 53, 16, 3, 0, 0),
    ("shmget", 29, 0, 4096, 0o1600), ("msgget", 68, 0, 0o1600), ("semget", 64, 0, 1, 0o1600),
    ("mq_open", 240, 0, 0, 0, 0),
    ("ptrace", 101, 16, 1, 0, 0), ("process_vm_readv", 310, 1, 0, 0, 0, 0, 0),
    ("bpf", 321, 0, 0, 0), ("perf_event_open", 298, 0, 0, -1, -1, 0),
    ("userfaultfd", 323, 0), ("io_uring_setup", 425, 1, 0),
    ("mount", 165, 0, 0, 0, 0, 0), ("umount2", 166, 0, 0), ("chroot", 161, 0),
    ("pivot_root", 155, 0, 0), ("open_tree", 428, -100, 0, 0), ("fsopen", 430, 0, 0),
    ("personality", 135, 0xffffffff), ("open_by_handle_at", 304, -100, 0, 0),
    ("init_module", 175, 0, 0, 0), ("kexec_load", 246, 0, 0, 0, 0), ("reboot", 169, 0, 0, 0, 0),
]
ESCAPES = f"""
import ctypes

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

def _errno_of(number, *args):
    ctypes.set_errno(0)
    r = _libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in args])
    return ctypes.get_errno() if r < 0 else 0

def initialize_parameters_he(layers_dims):
    # one errno per call (0: it worked), in order: short enough for one message
    got = [_errno_of(*c[1:]) for c in {ESCAPE_CALLS!r}]
    raise RuntimeError("errnos " + ",".join(map(str, got)))
"""
MAY_FAIL_WITH = {errno.EPERM, errno.EAFNOSUPPORT, errno.ENOSYS, errno.EACCES, errno.EINVAL}

# x32 and i386 system calls: libseccomp's architecture check kills the child.
X32 = """
import ctypes

def initialize_parameters_he(layers_dims):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall(ctypes.c_long(0x40000000 | 57))        # fork, x32 ABI
    raise RuntimeError("still alive after an x32 fork")
"""
I386 = """
import ctypes, mmap

def initialize_parameters_random(layers_dims):
    # mov eax, 2 (i386 fork); int 0x80; ret
    code = bytes([0xB8, 2, 0, 0, 0, 0xCD, 0x80, 0xC3])
    page = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    page.write(code)
    address = ctypes.addressof(ctypes.c_char.from_buffer(page))
    result = ctypes.CFUNCTYPE(ctypes.c_int)(address)()
    raise RuntimeError(f"still alive after an i386 fork: {result}")
"""

# ---------------------------------------------------------------- forged replies
# The child's own protocol code is the student's too: this cell replaces it
# (child.py runs as __main__) so every call answers with a pickled object array
# (an __reduce__ that would run code in the parent) behind an "ok".
FORGER = """
import sys, io, struct, json
import numpy as np

_child = sys.modules["__main__"]

class _Payload:
    def __reduce__(self):
        return (print, ("the grader unpickled me",))

def _forged_call(header, arrays, namespace):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.array([_Payload()], dtype=object), allow_pickle=True)
    return {"ok": True, "value": {"t": "dict", "v": [["W1", {"t": "array", "i": 0}]]},
            "again": {"t": "ref", "i": 0}}, [buf.getvalue()]

_child.run_call = _forged_call
"""


# ---------------------------------------------------------------- between submissions
# a_plants (graded first) leaves what it can where the next child might look;
# b_finds (graded next, possibly by the spare child started during a_plants)
# looks for it.  Its honest functions only stay honest if it finds nothing.
PLANT = """
import os, socket, threading, time

def _plant():
    planted = []
    for path in ("/tmp/dlkit-plant", "/sandbox/tmp/dlkit-plant", "/sandbox/dlkit-plant",
                 "/dev/shm/dlkit-plant", "/dlkit/files/dlkit-plant", "/dlkit/bin/dlkit-plant",
                 "/dlkit/site/dlkit-plant"):
        try:
            with open(path, "w") as f:
                f.write("planted")
            planted.append(path)
        except OSError:
            pass
    for target in ("/dlkit/files/init_utils.py", "/sandbox/init_utils.py"):
        try:
            with open(target, "a") as f:
                f.write("\\nPLANTED = True\\n")
            planted.append(target)
        except OSError:
            pass
    for name in ("\\0dlkit-plant", "/sandbox/tmp/dlkit-plant.sock"):
        try:
            s = socket.socket(socket.AF_UNIX)
            s.bind(name)
            s.listen(8)
            KEEP.append(s)
            planted.append(name)
        except OSError:
            pass
    for port in (4242, 8888):
        try:
            s = socket.socket()
            s.bind(("127.0.0.1", port))
            s.listen(8)
            KEEP.append(s)
            planted.append(port)
        except OSError:
            pass
    return planted

KEEP = []
PLANTED = _plant()
threading.Thread(target=lambda: time.sleep(3600), daemon=True).start()
"""
FIND = """
import os, socket

def _found():
    found = [p for p in ("/tmp/dlkit-plant", "/sandbox/tmp/dlkit-plant", "/sandbox/dlkit-plant",
                         "/dev/shm/dlkit-plant", "/dlkit/files/dlkit-plant",
                         "/dlkit/bin/dlkit-plant", "/dlkit/site/dlkit-plant")
             if os.path.exists(p)]
    for name in ("init_utils.py", "/dlkit/files/init_utils.py"):
        if "PLANTED" in open(name).read():
            found.append(name)
    for name in ("\\0dlkit-plant", "/sandbox/tmp/dlkit-plant.sock"):
        try:
            s = socket.socket(socket.AF_UNIX)
            s.connect(name)
            found.append(name)
        except OSError:
            pass
    for port in (4242, 8888):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            found.append(port)
        except OSError:
            pass
    return found

FOUND = _found()
if FOUND:
    raise RuntimeError(f"found what another submission left: {FOUND}")
"""


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One CLI run over every attack notebook; {case: record}."""
    tmp = tmp_path_factory.mktemp("attack")
    subs = tmp / "submissions"
    paths = {}

    def add(name, nb, where=None):
        paths[name] = write(nb, subs / (where or f"{name}.ipynb"))

    add("table", table_notebook(TABLE_ASSIGNMENT))
    add("probe_names", only("gradient_checking", "gradient_check", PROBE_NAMES))
    # a finished initialization notebook handed in where optimization is collected
    add("wrong_assignment", only("initialization", "initialize_parameters_zeros", None),
        "optimization/optimization.ipynb")
    add("socket_buffers", only("initialization", "initialize_parameters_he", SOCKET_BUFFERS))
    add("escapes", only("initialization", "initialize_parameters_he", ESCAPES))
    add("foreign_abi", notebook("initialization", replace={"initialize_parameters_he": X32,
                                                           "initialize_parameters_random": I386}))
    add("forger", only("initialization", "initialize_parameters_zeros", None, extra=FORGER))
    add("a_plants", only("initialization", "initialize_parameters_zeros", None, extra=PLANT
                         + "\nif len(PLANTED) < 4:\n    raise RuntimeError(f'planted only {PLANTED}')\n"))
    add("b_finds", only("initialization", "initialize_parameters_zeros", None, extra=FIND))
    records = grade(subs, tmp / "grades.json", "--memory-limit", MEMORY_MIB)
    return {name: records[str(path)] for name, path in paths.items()}


# ---------------------------------------------------------------- attacks that work

def test_a_table_of_recorded_answers_scores_nothing(batch):
    record = batch["table"]
    assert record["max_score"] > 0
    assert record["score"] == 0, (f"a notebook without code scored {record['score']}/"
                                  f"{record['max_score']} on {TABLE_ASSIGNMENT} from a table: "
                                  + ", ".join(t["name"] for t in record["tests"] if t["score"]))


def test_a_checker_that_reads_the_probe_names_scores_nothing(batch):
    score, most, said = by_function(batch["probe_names"])["gradient_check"]
    assert score == 0, f"a stub scored {score}/{most} on gradient_check"


@pytest.mark.xfail(strict=True, reason="notebook.py:140 assignment_of lets the notebook's own "
                   "metadata win over the folder the instructor collected it in: an "
                   "initialization notebook handed in as optimization is graded (full marks) "
                   "as initialization")
def test_a_notebook_cannot_choose_the_assignment_it_is_graded_as(batch):
    record = batch["wrong_assignment"]
    assert record["assignment"] == "optimization" or record["score"] == 0, (
        f"graded as {record['assignment']}: {record['score']}/{record['max_score']}")


def test_kernel_buffers_count_against_the_memory_limit(batch):
    """Socket buffers are kernel memory RLIMIT_AS does not count (1.8 GiB of
    AF_UNIX buffers were held under a 2 GiB limit): every socket family is
    now refused, so the attack cannot hold any."""
    said = by_function(batch["socket_buffers"])["initialize_parameters_he"][2]
    assert "Address family not supported" in said, said
    assert not [w for w in said.replace(":", " ").split() if w.isdigit() and int(w) > 2**20]


def test_a_reply_built_from_references_costs_the_parent_little(tmp_path, monkeypatch):
    budget = 10**5            # an honest forward_propagation_n reply needs ~60 calls
    calls = {"n": 0}
    real = checks.same_values

    class Runaway(Exception):
        pass

    def counted(a, b, rtol=0.0):
        calls["n"] += 1
        if calls["n"] > budget:
            raise Runaway("same_values ran past its budget")
        return real(a, b, rtol)

    monkeypatch.setattr(checks, "same_values", counted)
    write(only("gradient_checking", "forward_propagation_n", """
        def forward_propagation_n(X, Y, parameters):
            level = [0.0]
            for _ in range(6):
                level = [level] * 1000      # 6,000 references on the wire
            return (level, level)
        """), tmp_path / "subs" / "dag.ipynb")
    grade(tmp_path / "subs", tmp_path / "grades.json")
    assert calls["n"] <= budget, f"the parent compared {calls['n']:,}+ values for one reply"


@pytest.mark.xfail(strict=True, reason="notebook.py:144 quotes the notebook's claimed assignment "
                   "(any JSON value, up to the 20 MiB notebook cap) in the error; grade.py:176 "
                   "keeps it unbounded in the record, and report.py:78 writes it into the "
                   "feedback without escaping markup")
def test_notebook_metadata_cannot_put_megabytes_or_markup_in_the_records(tmp_path):
    markup = "<img src=x onerror=alert(document.cookie)>"
    nb = notebook("initialization")
    nb["metadata"]["dlkit"]["assignment"] = markup + "x" * 2**20
    path = write(nb, tmp_path / "subs" / "claims.ipynb")
    record = grade(tmp_path / "subs", tmp_path / "grades.json", "--feedback", tmp_path / "fb")[str(path)]
    feedback = next((tmp_path / "fb").iterdir()).read_text()
    assert len(record["error"]) <= 4000, f"an error of {len(record['error']):,} characters"
    assert markup not in feedback, "the student's markup is in the feedback as markup"


# ---------------------------------------------------------------- attacks that are stopped

def test_forged_replies_are_refused_by_the_parent(batch):
    score, most, said = by_function(batch["forger"])["initialize_parameters_zeros"]
    assert score == 0 and most > 0, said
    assert "broke the grading channel" in said, said


def test_escape_system_calls_are_refused(batch):
    said = by_function(batch["escapes"])["initialize_parameters_he"][2]
    assert "errnos " in said, said
    codes = [int(c) for c in said.split("errnos ", 1)[1].split()[0].split(",")]
    assert len(codes) == len(ESCAPE_CALLS), said
    allowed = {call[0]: errno.errorcode.get(code, code) for call, code in zip(ESCAPE_CALLS, codes)
               if code not in MAY_FAIL_WITH}
    assert not allowed, f"these calls were not refused (0: they worked): {allowed}"


def test_foreign_system_call_abis_kill_the_child_only(batch):
    functions = by_function(batch["foreign_abi"])
    for function in ("initialize_parameters_he", "initialize_parameters_random"):
        score, most, said = functions[function]
        assert score == 0 and ("SIGSYS" in said or "SIGSEGV" in said), said
        assert "still alive" not in said, said
    score, most, _ = functions["initialize_parameters_zeros"]
    assert score == most


def test_nothing_crosses_from_one_submission_to_the_next(batch):
    for name in ("a_plants", "b_finds"):
        record = batch[name]
        score, most, said = by_function(record)["initialize_parameters_zeros"]
        assert score == most, (name, said)
        assert not record["cell_errors"], (name, record["cell_errors"])


def test_nothing_is_left_behind_after_a_batch(tmp_path, monkeypatch, request):
    """Threads that never end, files and sockets, no parent-death signal: gone
    with the batch."""
    # a temporary dir of its own, that the sandbox uid can traverse (tmp_path's
    # parents are 0700: the sandbox would refuse to start under them)
    private = Path(tempfile.mkdtemp(prefix="dlkit-attack-"))
    private.chmod(0o711)
    request.addfinalizer(lambda: shutil.rmtree(private, ignore_errors=True))
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    write(only("initialization", "initialize_parameters_zeros", PLANT + """
def initialize_parameters_zeros(layers_dims):
    import ctypes, signal, threading
    libc = ctypes.CDLL(None)
    libc.prctl(1, 0, 0, 0, 0)                      # PR_SET_PDEATHSIG: none
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, signal.SIG_IGN)
    threading.Thread(target=lambda: [None for _ in iter(int, 1)], daemon=True).start()
    raise RuntimeError(f"planted {PLANTED}")
"""), tmp_path / "subs" / "leaver.ipynb")
    records = grade(tmp_path / "subs", tmp_path / "grades.json")
    said = by_function(records[str(tmp_path / "subs" / "leaver.ipynb")])["initialize_parameters_zeros"][2]
    assert "planted [" in said, said          # the attack ran
    assert list(private.iterdir()) == []
    mine = []           # the launcher's argv and bwrap's working dir name the workspace
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            continue
        if str(private).encode() in cmdline or cwd.startswith(str(private)):
            mine.append(pid)
    assert mine == [], f"processes of the batch still running: {mine}"


# ---------------------------------------------------------------- a number too big for a float
# A Python int travels as JSON text (up to 4300 digits): 10**400 reaches the
# graders as an int that float() cannot take.  run_test turns the grader's
# OverflowError into "the grader could not check this"; then run_tests names
# the bug of the failing function (diagnose.same -> np.asarray(...).astype(float))
# outside any guard, and the OverflowError ends the whole CLI batch: no record
# for any submission, honest ones included.
HUGE_INT = """
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    return 10 ** 400
"""


def test_a_number_beyond_float_range_costs_its_function_not_the_batch(tmp_path):
    folder = tmp_path / "subs"
    write(notebook("regularization"), folder / "honest.ipynb")
    write(notebook("regularization", replace={"compute_cost_with_regularization": HUGE_INT}),
          folder / "huge.ipynb")
    records = grade(folder, tmp_path / "grades.json")
    honest, huge = records[str(folder / "honest.ipynb")], records[str(folder / "huge.ipynb")]
    assert honest["score"] == honest["max_score"] > 0
    functions = by_function(huge)
    score, most, said = functions.pop("compute_cost_with_regularization")
    assert score == 0 < most
    assert "grader could not check" not in said, said
    assert all(s == m for s, m, _ in functions.values()), functions
