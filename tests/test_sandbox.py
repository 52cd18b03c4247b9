"""The out-of-process backend (autograder/sandbox): channel, child, limits, isolation.

The backend must be indistinguishable from ``LocalBackend`` for the graders
(same values, same RNG stream after ``rng_seed``, same messages), while the
student's code runs in a child that can send back plain data only.
"""
import ast
import importlib.util
import io
import math
import os
import shutil
import tempfile
import struct
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

from autograder.checks import StudentError, StudentTimeout
from autograder.notebook import Cell
from autograder.plain import MAX_DEPTH, NotPlain, to_plain
from autograder.sandbox import Limits, RemoteBackend, Workspace, detect, remote_submission
from autograder.sandbox import channel
from autograder.sandbox.isolation import CHILD_SCRIPT, REPO
from autograder.student import LocalBackend, again_spec

MODES = ["none", "bwrap"]        # bwrap must work here: .ci/run installs bubblewrap
BEST = "bwrap"
STDLIB_USED = {"builtins", "io", "json", "os", "resource", "signal", "struct", "sys", "types",
               "ctypes", "mmap", "socket", "time"}

STUDENT = '''
import numpy as np
COUNT = 0

def add(a, b=1):
    return a + b

def scale_in_place(params, k):
    params["W1"] *= k
    return params["W1"].sum()

def draw(n):
    return np.random.rand(n), np.random.randint(0, 10, size=(2, 3))

def boom():
    raise ValueError("bad value\\nsecond line")

def int_keys():
    return {1: 2}

def masked():
    return np.ma.masked_array([1.0, 2.0])

def complex_out():
    return np.array([1j])

def helper():
    return "original"

def uses_helper(x):
    return helper() if x is None else helper() * x

def count():
    global COUNT
    COUNT += 1
    return COUNT

def spin():
    while True:
        pass

def nap():
    import time
    time.sleep(3600)

def pair():
    v = s = {"x": np.zeros(2)}
    shared = np.ones(3)
    return v, s, [shared, shared]

def grow(values):
    values.append(len(values))
    return len(values)

def big():
    return np.ones(2**31)

def wide(n):
    return np.zeros(n)

def returns_nan():
    return {"a": np.array([np.nan, np.inf, -np.inf]), "b": float("nan"), "c": (True, None, "s")}

not_a_function = 3
'''


@pytest.fixture(scope="module", params=MODES)
def workspace(request):
    with Workspace(Limits(isolation=request.param)) as ws:
        yield ws


@pytest.fixture(scope="module")
def best():
    with Workspace(Limits(isolation=BEST)) as ws:
        yield ws


def backend(workspace, source=STUDENT, **limits):
    limits = Limits(isolation=workspace.limits.isolation, **limits)
    return RemoteBackend([Cell(0, source)], workspace.stage("initialization"), workspace, limits)


def load_child():
    spec = importlib.util.spec_from_file_location("dlkit_child_under_test", CHILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.bind_numpy()
    return module


def same(a, b):
    """Plain values equal in type and content (NaN equal to NaN)."""
    if type(a) is not type(b):
        return False
    if type(a) is np.ndarray:
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if type(a) is float and math.isnan(a):
        return math.isnan(b)
    return a == b


PLAIN_VALUES = [
    None, True, 0, -3, 2**70, 1.5, float("nan"), float("inf"), "text", "",
    np.arange(6.0).reshape(2, 3), np.array([[True, False]]), np.arange(4, dtype=np.int32),
    np.zeros((0, 3)), np.array(2.5), np.float64(1.25), np.int16(7), np.bool_(True),
    np.float32(0.5), np.asfortranarray(np.ones((3, 2))), np.arange(10.0)[::3],
    (1, [2.0, (np.ones(1),)], {"W1": np.eye(2), "nested": {"x": None}}), [], (), {},
]
with warnings.catch_warnings():
    warnings.simplefilter("ignore", PendingDeprecationWarning)
    MATRIX = np.matrix([[1.0]])
NOT_PLAIN = [
    np.ma.masked_array([1.0]), MATRIX, {1: 2}, {"a": {("t",): 1}},
    np.array([1j]), np.array(["a"]), np.array([object()]), np.zeros(2, dtype=[("x", "f8")]),
    np.complex128(1j), object(), {1, 2}, b"bytes", 1j, [[[[[[[[[[[1]]]]]]]]]]],
    list(range(10_001)),
]


def test_child_script_imports_only_stdlib_numpy_and_matplotlib():
    tree = ast.parse(CHILD_SCRIPT.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add((node.module or ".").split(".")[0])
    assert names <= STDLIB_USED | {"numpy", "matplotlib"}, names


@pytest.mark.parametrize("value", PLAIN_VALUES, ids=lambda v: type(v).__name__)
def test_child_encoding_decodes_to_what_to_plain_gives(value):
    child, blobs = load_child(), []
    tree = child.to_wire(value, "v", blobs)
    decoded = channel.decode(channel.json.loads(channel.json.dumps(tree)),
                             [channel.load_array(b) for b in blobs])
    assert same(decoded, to_plain(value, "v"))


@pytest.mark.parametrize("value", NOT_PLAIN, ids=lambda v: type(v).__name__)
def test_child_rejects_what_to_plain_rejects_with_the_same_message(value):
    child = load_child()
    with pytest.raises(NotPlain) as parent:
        to_plain(value, "the return value")
    with pytest.raises(child.NotPlain) as remote:
        child.to_wire(value, "the return value", [])
    assert str(remote.value) == str(parent.value)


@pytest.mark.parametrize("value", PLAIN_VALUES[10:], ids=lambda v: type(v).__name__)
def test_parent_encoding_reaches_the_child_intact(value):
    child, blobs = load_child(), []
    tree = channel.encode(to_plain(value), blobs)
    assert same(to_plain(child.from_wire(channel.json.loads(channel.json.dumps(tree)), blobs)),
                to_plain(value))


def _npy(array, **kw):
    buf = io.BytesIO()
    np.save(buf, array, **kw)
    return buf.getvalue()


def _blob(dtype, shape, data):
    """A blob in the channel's array format with any header (see channel.py)."""
    return b"".join([bytes([len(dtype)]), dtype.encode(), bytes([len(shape)]),
                     struct.pack(f"<{len(shape)}Q", *shape), data])


@pytest.mark.parametrize("array", [np.arange(6.0).reshape(2, 3), np.array(2.5),
                                   np.zeros((0, 3)), np.arange(6).reshape(3, 2).T,
                                   np.array([True, False]), np.ones(3, dtype=">f8"),
                                   np.ones(2, dtype=np.float32)], ids=str)
def test_arrays_cross_as_writable_arrays_of_the_same_values(array):
    back = channel.load_array(channel.array_blob(array))
    assert back.shape == array.shape and np.array_equal(back, array)
    assert back.dtype == array.dtype.newbyteorder("=") and back.flags.writeable
    child = load_child()
    child.bind_numpy()
    there = child.read_blob(channel.array_blob(array))
    assert np.array_equal(there, array) and there.flags.writeable


@pytest.mark.parametrize("blob", [
    _npy(np.array([object()], dtype=object), allow_pickle=True),
    _blob("|O", (1,), b"\0" * 8), _blob("<c16", (1,), b"\0" * 16), _blob("<U4", (1,), b"\0" * 16),
    _blob("|V8", (1,), b"\0" * 8), _blob(">f8" if sys.byteorder == "little" else "<f8", (1,), b"\0" * 8),
    _blob("<f8", (2,), b"\0" * 8), _blob("<f8", (1,), b"\0" * 16), _blob("<f8", (0, 2**41), b""),
    _blob("<f8", (1,) * 40, b"\0" * 8), _blob("<f8", (3,), b"")[:-9],
    b"PK\x03\x04 a zip file", b"\x93NUMPY garbage", b"",
])
def test_arrays_must_be_numbers_in_the_channel_format(blob):
    with pytest.raises(channel.ChannelError):
        channel.load_array(blob)


def test_frames_round_trip_and_reject_garbage():
    r, w = os.pipe()
    try:
        channel.write_frame(w, {"x": [1, "a"]}, [b"12", b""])
        header, blobs = channel.read_frame(r, time.monotonic() + 5)
        assert header == {"x": [1, "a"], "blobs": [2, 0]} and blobs == [b"12", b""]
        os.write(w, b"JUNKJUNK")
        with pytest.raises(channel.ChannelError, match="garbage"):
            channel.read_frame(r, time.monotonic() + 5)
        os.write(w, channel.MAGIC + struct.pack(">I", channel.MAX_HEADER_BYTES + 1))
        with pytest.raises(channel.ChannelError, match="too large"):
            channel.read_frame(r, time.monotonic() + 5)
        channel.write_frame(w, {}, [b"x" * 100])
        with pytest.raises(channel.ChannelError, match="the limit is"):
            channel.read_frame(r, time.monotonic() + 5, max_bytes=10)
        os.read(r, 100)
        with pytest.raises(channel.ChannelTimeout):
            channel.read_frame(r, time.monotonic() + 0.2)
    finally:
        os.close(w)
    with pytest.raises(channel.ChannelClosed):
        channel.read_frame(r, time.monotonic() + 5)
    os.close(r)


def _outcome(backend_, name, args=(), kwargs=None, rng_seed=None, overrides=None):
    try:
        return "ok", backend_.call(name, args, kwargs or {}, rng_seed, overrides or {})
    except StudentError as exc:
        return type(exc).__name__, str(exc)


CALLS = [
    ("add", (np.arange(3.0),), {"b": 2.5}, None, None),
    ("add", (1,), {}, None, None),
    ("scale_in_place", ({"W1": np.ones((2, 2)), "b1": np.zeros((2, 1))}, 3.0), {}, None, None),
    ("draw", (4,), {}, 5, None),
    ("draw", (4,), {}, 5, None),
    ("boom", (), {}, None, None),
    ("int_keys", (), {}, None, None),
    ("masked", (), {}, None, None),
    ("complex_out", (), {}, None, None),
    ("uses_helper", (None,), {}, None, {"helper": "def helper():\n    return np.float64(2.5)\n"}),
    ("uses_helper", (None,), {}, None, None),
    ("uses_helper", (2,), {}, None, {"helper": "def helper():\n    return np.arange(2.0)\n"}),
    ("returns_nan", (), {}, None, None),
    ("not_a_function", (), {}, None, None),
    ("missing", (), {}, None, None),
]


def test_remote_calls_match_local_calls(best):
    """Values, arguments after the call, the RNG stream and messages are the
    same whichever backend runs the student's code."""
    namespace = {}
    exec(compile(STUDENT, "<student>", "exec"), namespace)
    local, remote = LocalBackend(namespace), backend(best)
    try:
        for call in CALLS:
            want, got = _outcome(local, *call), _outcome(remote, *call)
            assert got[0] == want[0], (call[0], got, want)
            if want[0] == "ok":
                assert same(got[1].value, want[1].value), call[0]
                assert same(got[1].again, want[1].again), call[0]
            else:
                assert got[1] == want[1]
        assert remote.children == 1                 # one child served every call
    finally:
        remote.close()


def test_rng_carries_on_without_a_seed(best):
    remote = backend(best)
    try:
        first = remote.call("draw", (3,), {}, 11, {}).value[0]
        second = remote.call("draw", (3,), {}, None, {}).value[0]
        np.random.seed(11)
        assert np.array_equal(first, np.random.rand(3))
        np.random.randint(0, 10, size=(2, 3))
        assert np.array_equal(second, np.random.rand(3))
    finally:
        remote.close()


def test_timeout_kills_the_child_and_the_next_call_gets_a_fresh_one(best):
    remote = backend(best, call_seconds=4)
    try:
        assert remote.call("count", (), {}, None, {}).value == 1
        assert remote.call("count", (), {}, None, {}).value == 2
        with pytest.raises(StudentTimeout, match=r"^timed out after 4 s in nap$"):
            remote.call("nap", (), {}, None, {})
        assert remote.call("count", (), {}, None, {}).value == 1    # cells ran again
        with pytest.raises(StudentTimeout, match="timed out after 4 s in nap"):
            remote.call("nap", (), {}, None, {})
        assert remote.children == 2          # not run a second time: no third child
    finally:
        remote.close()


def test_cpu_limit(best):
    remote = backend(best, cpu_seconds=2, call_seconds=30)
    try:
        with pytest.raises(StudentTimeout, match=r"CPU time limit \(2 s\) in spin"):
            remote.call("spin", (), {}, None, {})
    finally:
        remote.close()


def test_memory_limit(best):
    remote = backend(best, memory_bytes=768 * 2**20)
    try:
        with pytest.raises(StudentTimeout, match=r"^ran out of memory \(768 MiB\) in big$"):
            remote.call("big", (), {}, None, {})
        assert remote.call("add", (1,), {}, None, {}).value == 2
    finally:
        remote.close()


def test_reply_size_limit(best):
    remote = backend(best, reply_bytes=2**20)
    try:
        assert remote.call("wide", (1000,), {}, None, {}).value.shape == (1000,)
        with pytest.raises(StudentError, match=r"wide broke the grading channel .*the limit is 1 MiB"):
            remote.call("wide", (2**18,), {}, None, {})
    finally:
        remote.close()


def test_submission_budget(best):
    """A budget far above what a child forked by the warm zygote and one call
    cost (~0.05 s; the zygote is started first, off the budget), far below the
    call that sleeps for an hour."""
    warm = backend(best)
    try:
        assert warm.call("add", (1,), {}, None, {}).value == 2
    finally:
        warm.close()
    remote = backend(best, submission_seconds=5, call_seconds=3600)
    try:
        assert remote.call("add", (1,), {}, None, {}).value == 2
        with pytest.raises(StudentTimeout, match=r"used up its 5 s time budget before nap"):
            remote.call("nap", (), {}, None, {})
        with pytest.raises(StudentTimeout, match="time budget"):
            remote.call("add", (1,), {}, None, {})
    finally:
        remote.close()


def test_a_sandbox_that_cannot_start_fails_every_call_fast():
    with Workspace(Limits(isolation=BEST)) as ws:
        ws.python = "/nonexistent/python3"
        remote = backend(ws)
        with pytest.raises(StudentError, match="the grader could not run the notebook"):
            remote.call("add", (1,), {}, None, {})
        with pytest.raises(StudentError, match="the grader could not run the notebook"):
            remote.call("count", (), {}, None, {})
        assert remote.children == 1         # the second call did not try again


PROBE = '''
import os, sys

def probe():
    try:
        import autograder
        found = autograder.__file__
    except ImportError:
        found = None
    return {"cwd": os.getcwd(), "files": sorted(os.listdir(".")), "path": list(sys.path),
            "env": dict(os.environ), "uid": os.getuid(), "autograder": found,
            "flags": [sys.flags.isolated, sys.flags.no_site],
            "repo_visible": os.path.exists(os.path.join(REPO, "autograder")),
            "stdout_is_null": os.path.samefile("/proc/self/fd/1", os.devnull)
                              if os.path.exists("/proc/self/fd/1") else True}
'''


def test_child_environment_and_isolation(workspace):
    remote = backend(workspace, f"REPO = {str(REPO)!r}\n" + PROBE)
    try:
        seen = remote.call("probe", (), {}, None, {}).value
    finally:
        remote.close()
    assert seen["autograder"] is None
    assert seen["flags"] == [1, 1]
    assert not [p for p in seen["path"] if p == str(REPO) or p.startswith(str(REPO / "autograder"))]
    env = seen["env"]
    assert env["NBGRADER_EXECUTION"] == "autograde" and env["MPLBACKEND"] == "Agg"
    assert env["HOME"] == seen["cwd"] and "PYTHONPATH" not in env
    assert set(env) <= {"PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "MPLBACKEND", "MPLCONFIGDIR",
                        "NBGRADER_EXECUTION", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                        "MKL_NUM_THREADS", "LC_CTYPE", "PWD", "TF_NUM_INTRAOP_THREADS",
                        "TF_NUM_INTEROP_THREADS", "TF_CPP_MIN_LOG_LEVEL"}
    assert {"init_utils.py", "numerics.py", "checks.py"} <= set(seen["files"])
    assert not [f for f in seen["files"] if f.endswith(".ipynb")]
    assert seen["stdout_is_null"]
    if workspace.isolation.protected:
        assert seen["uid"] == 65534 and seen["cwd"] == "/sandbox"
        assert not seen["repo_visible"]


def test_printing_is_capped_and_does_not_block(best):
    remote = backend(best, "import os\ndef shout():\n    for _ in range(20):\n"
                           "        print('x' * 2**20)\n        os.write(1, b'y' * 2**20)\n"
                           "    return 1\n")
    try:
        assert remote.call("shout", (), {}, None, {}).value == 1
    finally:
        remote.close()


def _processes_with(token):
    """Host pids whose command line or name holds ``token`` (a child forked
    by a zygote shares the zygote's command line; its name says its id)."""
    out = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        for what in ("cmdline", "comm"):
            try:
                with open(f"/proc/{pid}/{what}", "rb") as f:
                    if token.encode() in f.read():
                        out.append(int(pid))
                        break
            except OSError:
                pass
    return out


def test_closing_kills_the_child_and_its_threads(workspace):
    source = ("import threading, time\ndef linger():\n    for _ in range(3):\n"
              "        threading.Thread(target=time.sleep, args=(3600,)).start()\n    return 3\n")
    remote = backend(workspace, source)
    assert remote.call("linger", (), {}, None, {}).value == 3
    token = remote.child.id[:12]
    assert _processes_with(token)
    remote.close()
    deadline = time.monotonic() + 30        # only how long we wait for the kernel
    while _processes_with(token) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_with(token) == []


def test_identity_survives_the_channel_and_again_sees_changed_inputs(workspace):
    """``v = s = {}`` arrives as one dict; an array returned twice is one array;
    a function that changes its argument answers differently the second time."""
    namespace = {}
    exec(compile(STUDENT, "<student>", "exec"), namespace)
    for runner in (LocalBackend(namespace), backend(workspace)):
        try:
            v, s, shared = runner.call("pair", (), {}, None, {}).value
            assert v is s and shared[0] is shared[1]
            call = runner.call("grow", ([1, 2],), {}, None, {}, again_spec(True))
            assert (call.value, call.again) == (3, 4)
            call = runner.call("add", (1,), {}, None, {}, again_spec({0: 5, "b": 10}))
            assert (call.value, call.again) == (2, 15)     # replaced: a positional and a keyword
            first = runner.call("draw", (3,), {}, None, {}, again_spec(True))
            assert same(first.value, first.again)      # the RNG is put back in between
            other = runner.call("draw", (3,), {}, 4, {}, again_spec({"rng_seed": 5}))
            np.random.seed(5)
            assert same(other.again[0], np.random.rand(3))
        finally:
            getattr(runner, "close", lambda: None)()


def test_remote_submission_grades_a_notebook(tmp_path):
    from autograder.grading import run_tests, total
    from tests.hostile import notebook, write
    path = write(notebook("initialization"), tmp_path / "initialization.ipynb")
    with remote_submission(path, "initialization", Limits(isolation=BEST)) as student:
        score, most = total(run_tests("initialization", student))
        assert student._backend.cell_errors == {}
    assert score == most > 0


def test_messages_from_the_child_cannot_drive_the_terminal(best):
    remote = backend(best, "def shout():\n    raise ValueError('\\x1b[2J\\x07cleared' + 'x' * 1000)\n")
    try:
        with pytest.raises(StudentError) as exc:
            remote.call("shout", (), {}, None, {})
    finally:
        remote.close()
    assert str(exc.value).startswith("shout raised ValueError: ?[2J?cleared")
    assert str(exc.value).isprintable() and len(str(exc.value)) < 310


def test_the_child_sees_site_packages_entries_only(best):
    """numpy, matplotlib and what they need, at /dlkit/site; no other entry of
    the grader's site-packages (the kit's editable finder, the kit itself)."""
    remote = backend(best, "import os, sys\ndef look():\n    return sorted(os.listdir('/dlkit/site'))"
                           ", [p for p in sys.path]\n")
    try:
        entries, path = remote.call("look", (), {}, None, {}).value
    finally:
        remote.close()
    assert {"numpy", "matplotlib", "contourpy"} <= set(entries)
    assert not [e for e in entries if "autograder" in e or "editable" in e or "dlkit" in e]
    assert not [p for p in path if "-packages" in p]


def test_a_small_graph_of_references_cannot_stand_for_a_huge_value():
    """Six levels of 1000 references to the level below are 1000**6 values to
    any grader that walks them: refused, in the channel and in to_plain."""
    assert channel.decode(json_round_trip(_dag_tree(2, 10)), [])[5][3] == [0.0]  # small: fine
    with pytest.raises(channel.ChannelError, match="too many"):
        channel.decode(json_round_trip(_dag_tree(6, 1000)), [])
    leaf = [0.0]
    for _ in range(6):
        leaf = [leaf] * 1000
    with pytest.raises(NotPlain, match="too many"):
        to_plain(leaf)


def _dag_tree(levels, width):
    """The wire form of [[...[0.0] * width ...] * width]: each level one list
    referenced ``width`` times (references number containers depth first)."""
    node = {"t": "list", "v": [0.0]}
    for _ in range(levels):
        node = {"t": "list", "v": [node] + [{"t": "ref", "i": "INNER"}] * (width - 1)}
    # containers are numbered depth first: the outermost 0, its first item 1...
    def fix(tree, depth):
        if type(tree) is dict and tree.get("t") == "list":
            for item in tree["v"]:
                if type(item) is dict and item.get("i") == "INNER":
                    item["i"] = depth + 1
                fix(item, depth + 1)
    fix(node, 0)
    return node


def json_round_trip(tree):
    import json
    return json.loads(json.dumps(tree))


def test_children_of_one_zygote_do_not_share_numpys_random_state(best):
    """Each child forked by the warm zygote reseeds numpy's global RNG from
    fresh entropy, as a new process would: an unseeded draw differs."""
    draws = []
    for _ in range(2):
        remote = backend(best, "import numpy as np\ndef draw():\n    return np.random.rand(4)\n")
        try:
            draws.append(remote.call("draw", (), {}, None, {}).value)
        finally:
            remote.close()
    assert not np.array_equal(*draws)
