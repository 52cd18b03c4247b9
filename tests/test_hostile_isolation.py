"""What namespaces leave shared, and what a reply can cost (issues 7 and 12).

Each cheat is a realistic notebook made from the reference: the cheating
function returns the right answer only if its attack worked, and raises
"attack failed: ..." otherwise, so a cheat that works shows as points.  One
CLI batch grades them with an honest submission; each test checks that the
cheat scored 0, the honest functions of the same notebook kept full marks,
nothing secret reached the feedback, and nothing was left on the host.
"""
import ctypes
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from autograder import cli
from autograder.sandbox import Limits, SandboxUnavailable, isolation
from autograder.sandbox.isolation import REPO
from tests.hostile import notebook, write
from tests.test_hostile import (ASSIGNMENT, CHEAT, HONEST, _body, cheat, expect_cheat_zero,
                                expect_honest_full, functions)

KEY_SECRET = "dlkit-hostile-keyring-secret-7f3a"
SHM_KEY = 0x5EED7
MQ_NAME = "/dlkit_hostile_answers"


def _right_answer_if(condition_source, indent=16):
    """The reference body of CHEAT under ``if <condition>:``, else raise."""
    return (f"{' ' * (indent - 4)}if {condition_source}:\n{_body(CHEAT, indent)}\n"
            f"{' ' * (indent - 4)}raise RuntimeError(f'attack failed: {{why}}')\n")


CASES = {
    # 7.1: the child's own encoder replaced; one array referenced 10,000 times
    "reply_bomb": [(None, """
        # answer every call with one 16 MiB array referenced 10,000 times
        import sys, io
        child = sys.modules["__main__"]
        def to_wire(value, where, blobs, depth=0, memo=None):
            big = io.BytesIO()
            np.lib.format.write_array(big, np.zeros(2 * 2**20))
            blobs.append(big.getvalue())
            return {"t": "list", "v": [{"t": "array", "i": 0}] * 10_000}
        child.to_wire = to_wire
        """)],
    # 7.1: a padded header
    "header_bomb": [(None, """
        # a 64 MiB header on every reply
        import sys, json, struct, os
        child = sys.modules["__main__"]
        def write_frame(fd, header, blobs=()):
            body = json.dumps(dict(header, pad="x" * (64 * 2**20), blobs=[])).encode()
            data = b"DLKF" + struct.pack(">I", len(body)) + body
            while data:
                data = data[os.write(fd, data):]
        child.write_frame = write_frame
        """)],
}

CHEATS = {
    # 7.2 / 12.3: answers kept in System V shared memory and a POSIX queue
    "ipc_store": f"""
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)

        def initialize_parameters_he(layers_dims):
            why = []
            seg = libc.syscall(29, {SHM_KEY}, 4096, 0o1666)          # shmget(IPC_CREAT)
            why.append(f"shmget: {{os.strerror(ctypes.get_errno())}}" if seg < 0 else "shm ok")
            q = libc.syscall(240, b"{MQ_NAME}", 0o100 | 2, 0o666, None)  # mq_open(O_CREAT)
            why.append(f"mq_open: {{os.strerror(ctypes.get_errno())}}" if q < 0 else "mq ok")
{_right_answer_if("seg >= 0 or q >= 0")}""",
    # 7.2 (a later run): a stub that looks the answers up
    "ipc_lookup": f"""
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)

        def initialize_parameters_he(layers_dims):
            why = []
            seg = libc.syscall(29, {SHM_KEY}, 0, 0)                   # shmget, no create
            q = libc.syscall(240, b"{MQ_NAME}", 0, 0, None)           # mq_open, no create
            why.append(f"shmget {{seg}}, mq_open {{q}}")
{_right_answer_if("seg >= 0 or q >= 0")}""",
    # 12.1: the grader's session keyring
    "keyring": f"""
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)

        def initialize_parameters_he(layers_dims):
            why = []
            found = libc.syscall(250, 10, -3, b"user", b"{KEY_SECRET}", 0)   # KEYCTL_SEARCH
            why.append(f"search: {{os.strerror(ctypes.get_errno())}}" if found < 0 else "found")
            if found >= 0:
                buf = ctypes.create_string_buffer(256)
                libc.syscall(250, 11, found, buf, 256)                       # KEYCTL_READ
                raise RuntimeError("the grader's key says " + buf.value.decode())
            stored = libc.syscall(248, b"user", b"dlkit-answers", b"x", 1, -4)  # add_key @u
            why.append(f"add_key: {{os.strerror(ctypes.get_errno())}}" if stored < 0 else "stored")
{_right_answer_if("stored >= 0")}""",
    # 12.2: socket families the network namespace does not cover (and unix/inet:
    # their buffers are memory outside the child's limit)
    "socket_families": f"""
        import socket

        def initialize_parameters_he(layers_dims):
            why, opened = [], []
            for family, kind in ((40, socket.SOCK_STREAM), (16, socket.SOCK_RAW),
                                 (17, socket.SOCK_RAW), (4, socket.SOCK_DGRAM),
                                 (1, socket.SOCK_STREAM), (2, socket.SOCK_STREAM)):
                try:
                    socket.socket(family, kind).close()
                    opened.append(family)
                except OSError as exc:
                    why.append(f"{{family}}: {{exc}}")
{_right_answer_if("opened")}""",
    # 7.5: memory across processes: forked workers, each under its own limit
    "forked_workers": f"""
        import os

        def initialize_parameters_he(layers_dims):
            why, pids = [], []
            for _ in range(6):
                try:
                    pid = os.fork()
                except OSError as exc:
                    why.append(str(exc))
                    break
                if pid == 0:
                    hoard = bytearray(1500 * 2**20)
                    os._exit(0)
                pids.append(pid)
{_right_answer_if("len(pids) == 6")}""",
    # 7.6: the grader's probe source and the kit's path, from frames and /proc
    "frame_snoop": f"""
        import os, sys

        def initialize_parameters_he(layers_dims):
            why, seen = [], []
            frame = sys._getframe(1)
            while frame is not None:
                for value in frame.f_locals.values():
                    text = repr(value)
                    if "def " in text or {str(REPO)!r} in text:
                        seen.append(text[:200])
                frame = frame.f_back
            for path in ("/proc/1/cmdline", "/proc/self/environ", "/proc/self/mountinfo"):
                try:
                    seen.append(open(path, "rb").read()[:200].decode("utf-8", "replace"))
                except OSError as exc:
                    why.append(f"{{path}}: {{exc.strerror}}")
            seen += [p for p in sys.path if {str(REPO)!r} in p]
            if seen:
                raise RuntimeError("found " + " | ".join(seen))
{_right_answer_if("False")}""",
}


# 7.4: an in-place bug, alone and hidden behind a replay of the first answer
IN_PLACE = """
def compute_cost_with_regularization(A3, Y, parameters, lambd):
    m = Y.shape[1]
    total = 0.0
    for k in ("W1", "W2", "W3"):
        W = parameters[k]
        W **= 2
        total += np.sum(W)
    return compute_cost(A3, Y) + lambd / (2 * m) * total
"""
REPLAY = IN_PLACE + """

_first_answers = {}
_in_place = compute_cost_with_regularization

def compute_cost_with_regularization(A3, Y, parameters, lambd):
    key = (id(A3), id(Y), id(parameters))
    if key not in _first_answers:       # a second call on the same objects gets the first answer
        _first_answers[key] = _in_place(A3, Y, parameters, lambd)
    return _first_answers[key]
"""


@pytest.fixture(scope="module")
def keyring_secret():
    """A key in a fresh session keyring of this process, as a login session or
    a container runtime gives the grader; the children inherit it."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.syscall(250, 1, None) < 0:                       # KEYCTL_JOIN_SESSION_KEYRING
        pytest.fail(f"cannot make a session keyring: {os.strerror(ctypes.get_errno())}")
    serial = libc.syscall(248, b"user", KEY_SECRET.encode(), b"TOPSECRET-KEY", 13, -3)
    assert serial > 0, os.strerror(ctypes.get_errno())
    yield serial
    libc.syscall(250, 21, serial)                            # KEYCTL_INVALIDATE


def _ipc_objects():
    """SysV segments and queues, and POSIX queues, on the host."""
    found = []
    for table in ("shm", "msg", "sem"):
        try:
            found += Path(f"/proc/sysvipc/{table}").read_text().splitlines()[1:]
        except OSError:
            pass
    if os.path.isdir("/dev/mqueue"):
        found += sorted(os.listdir("/dev/mqueue"))
    return found


def _grade(folder, out):
    code = cli.main(["grade", str(folder), "--json", str(out / "grades.json"),
                     "--feedback", str(out / "feedback"), "--call-timeout", "20",
                     "--cell-timeout", "30"])
    kept = [json.loads(p.read_text()) for p in (out / "grades.json.results").glob("*.json")]
    return code, {Path(r["submission"]).stem: r for r in kept}


@pytest.fixture(scope="module")
def batch(tmp_path_factory, keyring_secret):
    tmp = tmp_path_factory.mktemp("isolation")
    before = _ipc_objects()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    folder = tmp / "submissions"
    write(notebook(ASSIGNMENT), folder / "honest.ipynb")
    for name, extra in CASES.items():
        write(notebook(ASSIGNMENT, extra=extra), folder / f"{name}.ipynb")
    for name, source in CHEATS.items():
        if name != "ipc_lookup":
            write(notebook(ASSIGNMENT, replace=cheat(source)), folder / f"{name}.ipynb")
    for name, source in (("in_place", IN_PLACE), ("in_place_replayed", REPLAY)):
        write(notebook("regularization", replace={"compute_cost_with_regularization": source}),
              folder / f"{name}.ipynb")
    code, records = _grade(folder, tmp / "first")
    later = tmp / "later"                                     # a later run, another batch
    write(notebook(ASSIGNMENT, replace=cheat(CHEATS["ipc_lookup"])), later / "ipc_lookup.ipynb")
    later_code, later_records = _grade(later, tmp / "second")
    records.update(later_records)
    feedback = "\n".join(p.read_text() for p in tmp.glob("*/feedback/*"))
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before   # KiB on Linux
    return {"codes": (code, later_code), "records": records, "feedback": feedback,
            "ipc_before": before, "ipc_after": _ipc_objects(), "grown_kib": grown}


def test_the_batches_complete_and_the_honest_notebook_keeps_full_marks(batch):
    assert batch["codes"] == (0, 0)
    honest = batch["records"]["honest"]
    assert honest["score"] == honest["max_score"] > 0


def test_a_forged_reply_costs_its_functions_and_a_bounded_amount_of_memory(batch):
    """Every graded call goes through the forged encoder (one array referenced
    10,000 times, which once cost the grader gigabytes): every function scores
    0 and the grader stays well under a fixed budget."""
    record = batch["records"]["reply_bomb"]
    assert record["score"] == 0 and record["max_score"] > 0
    assert all(re.search(r"grading channel|not plain data", t["message"]) for t in record["tests"])
    assert batch["grown_kib"] < 1024 * 1024, f"the grader grew by {batch['grown_kib'] / 1024:.0f} MiB"


def test_a_cell_that_forges_huge_headers_is_left_out(batch):
    """The cell's own reply comes through the forged writer: refused unread
    (headers are at most 4 MiB), the cell is left out, and the functions are
    graded without it."""
    record = batch["records"]["header_bomb"]
    problems = " | ".join(e["message"] for e in record["cell_errors"])
    assert re.search(r"broke the grading channel \(a header of \d+ bytes; too large\)", problems)
    assert record["score"] == record["max_score"] > 0


def test_a_replayed_answer_does_not_hide_an_in_place_bug(batch):
    """The child reports nothing the grade trusts about its arguments: the
    second call changes lambd and is checked against the reference on the
    original objects, so replaying the first answer fails like the bug."""
    fn = "compute_cost_with_regularization"
    lost, score = {}, {}
    for case in ("in_place", "in_place_replayed"):
        tests = [t for t in batch["records"][case]["tests"] if t["function"] == fn]
        lost[case] = {t["name"] for t in tests if t["score"] < t["max_score"]}
        score[case] = sum(t["score"] for t in tests)
    assert lost["in_place"] == {f"test_{fn}_inputs_unmodified"}
    assert f"test_{fn}_inputs_unmodified" in lost["in_place_replayed"]
    assert score["in_place_replayed"] <= score["in_place"]


def test_answers_kept_in_ipc_objects_reach_no_later_run(batch):
    for case in ("ipc_store", "ipc_lookup"):
        record = batch["records"][case]
        expect_cheat_zero(record, says="attack failed")
        expect_honest_full(record)
    assert "Operation not permitted" in " ".join(t["message"] for t in
                                                 batch["records"]["ipc_store"]["tests"])


def test_no_ipc_objects_are_left_on_the_host(batch):
    assert batch["ipc_after"] == batch["ipc_before"]


def test_the_graders_keyring_is_out_of_reach(batch):
    record = batch["records"]["keyring"]
    expect_cheat_zero(record, says="attack failed")
    expect_honest_full(record)
    assert "TOPSECRET" not in batch["feedback"]
    assert "TOPSECRET" not in json.dumps(batch["records"])


@pytest.mark.parametrize("case,says", [
    ("socket_families", "Address family not supported"),   # 12.2: no socket of any family
    ("forked_workers", "Operation not permitted"),          # 7.5: no new process
    ("frame_snoop", "attack failed"),                       # 7.6: no probe source, no kit path
])
def test_what_the_sandbox_refuses_earns_nothing(batch, case, says):
    record = batch["records"][case]
    expect_cheat_zero(record, says=says)
    expect_honest_full(record)


def test_grader_probe_source_is_not_in_the_childs_frames():
    """gradient_check's probes travel as source; the student's checker runs
    after they are compiled and dropped (7.6)."""
    from autograder.grading import run_tests
    from autograder.sandbox import remote_submission
    snoop = textwrap.dedent("""
        import sys

        def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
            frame, seen = sys._getframe(1), []
            while frame is not None:
                seen += [repr(v)[:100] for v in frame.f_locals.values() if "def " in repr(v)]
                frame = frame.f_back
            raise RuntimeError("seen: " + " | ".join(seen) if seen else "nothing seen")
        """)
    path = write(notebook("gradient_checking", replace={"gradient_check": snoop}),
                 Path(os.environ.get("TMPDIR", "/tmp")) / f"dlkit-snoop-{os.getpid()}.ipynb")
    try:
        with remote_submission(path, "gradient_checking") as student:
            results = run_tests("gradient_checking", student, function="gradient_check")
    finally:
        path.unlink()
    messages = " ".join(r.message for r in results)
    assert "nothing seen" in messages and "seen: " not in messages


@pytest.mark.skipif(os.geteuid() != 0, reason="places files under /usr (CI runs as root)")
def test_a_copy_of_the_kit_under_usr_is_hidden_or_refused():
    """An old `sudo pip install .` left a copy of the kit in a system
    site-packages dir: masked.  A copy anywhere else the sandbox can read:
    the start-up audit refuses to grade (7.7)."""
    masked = Path("/usr/lib/python3/dist-packages/autograder/graders")
    loose = Path("/usr/lib/dlkit-hostile-copy/autograder/graders")
    made = []                               # the topmost folder we created, per copy
    try:
        with isolation.Workspace(Limits()) as ws:          # audited before the copies exist
            for folder in (masked, loose):
                top = next(p for p in [*reversed(folder.parents), folder] if not p.exists())
                folder.mkdir(parents=True)
                made.append(top)
                (folder / "initialization.py").write_text("SECRET = 1\n")
            isolation._AUDITED.clear()
            with pytest.raises(SandboxUnavailable) as refused:
                isolation._audit(ws)
        assert str(loose.parent) in str(refused.value)
        assert "dist-packages/autograder" not in str(refused.value)
    finally:
        isolation._AUDITED.clear()
        for top in made:
            shutil.rmtree(top, ignore_errors=True)


NO_WORK = [
    ("regularization", "forward_propagation_with_dropout", """
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    W1, W2, W3 = parameters["W1"], parameters["W2"], parameters["W3"]
    m = X.shape[1]
    D1 = (np.random.rand(W1.shape[0], m) < keep_prob).astype(float)
    D2 = (np.random.rand(W2.shape[0], m) < keep_prob).astype(float)
    z1, z2, z3 = np.zeros((W1.shape[0], m)), np.zeros((W2.shape[0], m)), np.zeros((1, m))
    return z3, (z1, D1, z1, W1, parameters["b1"], z2, D2, z2, W2, parameters["b2"],
                z3, z3, W3, parameters["b3"])
"""),
    ("optimization", "schedule_lr_decay", """
def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return -(epoch_num // time_interval)
"""),
]


@pytest.mark.parametrize("assignment,function,source", NO_WORK, ids=[f for _, f, _ in NO_WORK])
def test_properties_a_non_answer_has_earn_nothing(assignment, function, source):
    """7.8: masks drawn for a forward pass that returns zeros (was 5/9), and a
    'schedule' that steps every interval below zero (was 1/2)."""
    import importlib
    from autograder.grading import run_tests, total
    from autograder.student import local_submission
    namespace = dict(vars(importlib.import_module(f"autograder.reference.{assignment}")))
    exec(compile(source, "<non-answer>", "exec"), namespace)
    results = run_tests(assignment, local_submission(namespace), function=function)
    assert total(results)[0] == 0, [(r.name, r.score) for r in results if r.score]


# What a child forked by the warm zygote could leave for the next child of the
# same zygote, or do to the zygote: files, a patched numpy, the environment,
# signals to every pid and process group it can name, and the capabilities the
# zygote holds to make namespaces.
ZYGOTE_FIRST = r"""
import ctypes, os, signal
import numpy as np

PLACES = ("/sandbox/left", "/tmp/left", "/dev/shm/left", "/dlkit/files/left", "/dlkit/bin/left")

def leave():
    libc = ctypes.CDLL(None, use_errno=True)
    left, powers = [], []
    for path in PLACES:
        try:
            with open(path, "w") as f:
                f.write("answers")
            left.append(path)
        except OSError:
            pass
    np.left_answers = {"W1": 1}
    np.dot = lambda *args, **kwargs: "patched"
    os.environ["DLKIT_LEFT"] = "answers"
    signal.signal(signal.SIGTERM, lambda *args: None)
    signal.signal(signal.SIGINT, lambda *args: None)
    for pid in (0, -1, 1, os.getppid(), *range(3, 64)):
        for sig in (signal.SIGTERM, signal.SIGINT):
            try:
                os.kill(pid, sig)
            except OSError:
                pass

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    caps = (Data * 2)()
    libc.capget(ctypes.byref(Header(0x20080522, 0)), caps)
    if any(c.effective or c.permitted or c.inheritable for c in caps):
        powers.append("holds capabilities")
    full = (Data * 2)(Data(2**32 - 1, 2**32 - 1, 2**32 - 1), Data(2**32 - 1, 2**32 - 1, 2**32 - 1))
    if libc.capset(ctypes.byref(Header(0x20080522, 0)), full) == 0:
        powers.append("capset")
    if libc.prctl(47, 2, 21, 0, 0) == 0:             # PR_CAP_AMBIENT_RAISE CAP_SYS_ADMIN
        powers.append("ambient")
    if libc.unshare(0x00020000) == 0:                # CLONE_NEWNS
        powers.append("unshare")
    if libc.mount(b"tmpfs", b"/sandbox", b"tmpfs", 0, None) == 0:
        powers.append("mount")
    return left, powers
"""

ZYGOTE_NEXT = r"""
import os
import numpy as np

def find():
    return {"files": [p for p in ("/sandbox/left", "/tmp/left", "/dev/shm/left",
                                  "/dlkit/files/left", "/dlkit/bin/left") if os.path.exists(p)],
            "numpy": hasattr(np, "left_answers") or not isinstance(np.dot(np.ones(2), np.ones(2)), float),
            "env": os.environ.get("DLKIT_LEFT")}
"""


def test_a_forked_child_leaves_nothing_for_the_next_and_cannot_touch_its_zygote():
    """Two submissions in a row from one warm zygote: the first writes where it
    can, patches numpy, sets the environment, signals every pid and process
    group it can name and tries to use the zygote's capabilities; the second
    finds nothing of it, and the same zygote (alive) forked both."""
    from autograder.notebook import Cell
    from autograder.sandbox import RemoteBackend, Workspace
    limits = Limits(isolation="bwrap")
    with Workspace(limits) as workspace:
        stage = workspace.stage(ASSIGNMENT)
        assert workspace.isolation.protected          # children are forked by a zygote
        first = RemoteBackend([Cell(0, ZYGOTE_FIRST)], stage, workspace, limits)
        try:
            left, powers = first.call("leave", (), {}, None, {}).value
        finally:
            first.close()
        second = RemoteBackend([Cell(0, ZYGOTE_NEXT)], stage, workspace, limits)
        try:
            found = second.call("find", (), {}, None, {}).value
        finally:
            second.close()
        zygotes = list(workspace.all_zygotes)
        assert len(zygotes) == 1 and zygotes[0].proc.poll() is None
    assert left == ["/sandbox/left", "/tmp/left"]          # its own tmpfs only
    assert powers == []
    assert found == {"files": [], "numpy": False, "env": None}


# ---------------------------------------------------------------- the zygote, attacked
# A student who has read child.py and process.py: what a forked child can
# leave anywhere for the next child of the same zygote, the fds it was given,
# signals that would stop or kill its namespace's init, and replies that
# break the parent's array decoding.  Each test names the defence it keeps.

LEFT_MARK = "dlkit-zattack-left"

WALK = r"""
import ctypes, os

MARK = "dlkit-zattack-left"

def _dirs():
    # first uncover what lies under the child's tmpfs (the zygote's /sandbox)
    libc = ctypes.CDLL(None)
    for _ in range(3):
        libc.umount2(b"/sandbox", 2)            # MNT_DETACH
    for top, dirs, files in os.walk("/"):
        yield top, dirs, files

def leave_everywhere():
    # a file, a directory and a fifo in every directory that takes one
    written = []
    for top, _, _ in _dirs():
        for i, make in enumerate((lambda p: open(p, "w").close(), os.mkdir, os.mkfifo)):
            path = os.path.join(top, f"{MARK}-{i}-{len(written)}")
            try:
                make(path)
            except OSError:
                continue
            written.append(top)
            break
    return sorted(set(written))

def find_left():
    return sorted(os.path.join(top, n) for top, dirs, files in _dirs()
                  for n in dirs + files if n.startswith(MARK))
"""


def _forked_calls(*steps, limits=None):
    """Run each (source, function) as a submission of its own, in a row, on
    one workspace; returns ([value or the exception raised], [zygotes alive])."""
    from autograder.notebook import Cell
    from autograder.sandbox import RemoteBackend, Workspace
    limits = limits or Limits(isolation="bwrap")
    out = []
    with Workspace(limits) as workspace:
        stage = workspace.stage(ASSIGNMENT)
        assert workspace.isolation.protected          # children are forked by a zygote
        for source, function in steps:
            backend = RemoteBackend([Cell(0, source)], stage, workspace, limits)
            try:
                out.append(backend.call(function, (), {}, None, {}).value)
            except Exception as exc:  # noqa: BLE001 - what the grader would see
                out.append(exc)
            finally:
                backend.close()
        alive = [z.proc.poll() is None for z in workspace.all_zygotes]
    return out, alive


def test_a_forked_child_can_write_only_its_own_tmpfs_and_the_next_finds_nothing():
    """Every directory of the child's file system is tried (a file, a
    directory, a fifo), after trying to unmount its tmpfs: only its own fresh
    tmpfs takes one, and the next child of the same zygote finds no mark
    anywhere.  Defences: the tmpfs child.py's ``_child`` mounts on /sandbox
    for each child (without it both children share the zygote's /sandbox and
    the second finds the first's files); and against the unmount, the zygote
    filter's umount2 denial, the child's capability drop and its own filter
    (all three removed: the same)."""
    (written, found), alive = _forked_calls((WALK, "leave_everywhere"), (WALK, "find_left"))
    assert written == ["/sandbox", "/sandbox/tmp"], written
    assert found == [], found
    assert alive == [True]


FDS = r"""
import os, stat

def open_fds():
    null = os.stat("/dev/null").st_rdev
    out = []
    for fd in range(4096):
        try:
            st = os.fstat(fd)
        except OSError:
            continue
        kind = ("null" if stat.S_ISCHR(st.st_mode) and st.st_rdev == null else
                "fifo" if stat.S_ISFIFO(st.st_mode) else
                "socket" if stat.S_ISSOCK(st.st_mode) else
                "file" if stat.S_ISREG(st.st_mode) else oct(st.st_mode))
        out.append([fd, kind])
    return out
"""


def test_a_forked_child_holds_only_its_two_pipes_and_dev_null():
    """The zygote's control socket and its stderr log (shared by every child
    of the zygote, and quoted in a later student's feedback when a child
    could not start) must not reach the student.  Defences: ``ctl.close()``
    and ``os.closerange`` in ``_child`` (both removed: the socket shows), and
    ``silence_fds()`` (removed: fd 2 is the zygote's log file)."""
    (fds,), alive = _forked_calls((FDS, "open_fds"))
    assert [kind for _, kind in fds] == ["null", "null", "null", "fifo", "fifo"], fds
    assert alive == [True]


INIT_SIGNALS = r"""
import os, signal

def stop_init_then_exit():
    # stop the namespace's init, interrupt it, then end: if init were stopped
    # or killed, the exit status would not come back as 7
    for pid in (1, -1):         # -1: every process it may signal but itself
        for sig in (signal.SIGSTOP, signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU,
                    signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1,
                    signal.SIGQUIT, signal.SIGPIPE, signal.SIGALRM, signal.SIGCHLD):
            try:
                os.kill(pid, sig)
            except OSError:
                pass
    os._exit(7)
"""

ALIVE = r"""
import os

def still_here():
    return os.getpid()
"""


def test_signals_to_init_neither_stop_nor_kill_it_and_the_zygote_serves_on():
    """The child stops, interrupts and terminates pid 1 (and every process it
    can signal), then exits 7: init relays that status (the grader says exit
    code 7, not a sandbox failure) and the same zygote forks the next child.
    Defence: ``_init`` ignores every signal it can (removed: SIGINT reaches
    Python's handler in init, which dies with 121 and the message blames the
    sandbox)."""
    (died, pid), alive = _forked_calls((INIT_SIGNALS, "stop_init_then_exit"), (ALIVE, "still_here"))
    assert "exit code 7" in str(died), died
    assert pid == 2
    assert alive == [True]


def _blob(dtype, shape, payload=b""):
    return (bytes([len(dtype)]) + dtype + bytes([len(shape)])
            + b"".join(n.to_bytes(8, "little") for n in shape) + payload)


BAD_BLOBS = {
    "object": _blob(b"|O", (1,), b"\0" * 8),
    "complex": _blob(b"<c16", (1,), b"\0" * 16),
    "unicode": _blob(b"<U1", (1,), b"\0" * 4),
    "bytes": _blob(b"|S8", (1,), b"\0" * 8),
    "void": _blob(b"|V8", (1,), b"\0" * 8),
    "datetime": _blob(b"<M8[s]", (1,), b"\0" * 8),
    "big_endian": _blob(b">f8", (1,), b"\0" * 8),
    "structured": _blob(b"[('a', '<f8')]", (1,), b"\0" * 8),
    "short": _blob(b"<f8", (2,), b"\0" * 8),
    "long": _blob(b"<f8", (1,), b"\0" * 16),
    "huge_claim": _blob(b"<f8", (2**40,), b"\0" * 8),
    "product_claim": _blob(b"<f8", (2**39, 2**39), b""),
    "too_many_dims": _blob(b"<f8", (1,) * 33, b"\0" * 8),
    "truncated_shape": _blob(b"<f8", (1,))[:-3],
    "empty": b"",
    "not_ascii": _blob(b"<f\xff", (1,), b"\0" * 8),
    "dtype_past_end": bytes([200]) + b"<f8",
}


@pytest.mark.parametrize("name", sorted(BAD_BLOBS))
def test_load_array_refuses_what_is_not_a_plain_numeric_array(name):
    """Object, complex, string, structured, byte-swapped and date dtypes, sizes
    that do not match the shape (or claim 2**80 values) and truncated headers:
    a ChannelError, never an array or another exception.  Defences: the
    DTYPES whitelist (removed: the object blob raises numpy's ValueError, the
    complex one is accepted) and the exact size check (removed: 'long' and
    'short' give arrays or ValueError)."""
    from autograder.sandbox import channel
    with pytest.raises(channel.ChannelError):
        channel.load_array(BAD_BLOBS[name])


# a zero-length side makes the byte count 0, so the size check passes; the
# other sides' product overflows numpy's index type and reshape raises
# ValueError, which no caller of load_array expects
ZERO_BUT_HUGE = _blob(b"<f8", (0, 2**39, 2**39))


def test_load_array_refuses_a_zero_size_shape_numpy_cannot_make():
    from autograder.sandbox import channel
    with pytest.raises(channel.ChannelError):
        channel.load_array(ZERO_BUT_HUGE)


def test_load_array_keeps_zero_size_arrays_numpy_can_make():
    """The fix above must not refuse an honest empty array."""
    import numpy as np
    from autograder.sandbox import channel
    for shape in ((0,), (3, 0), (0, 5, 2)):
        array = np.zeros(shape)
        back = channel.load_array(channel.array_blob(array))
        assert back.shape == shape and back.dtype == np.float64


ZERO_BUT_HUGE_REPLY = r"""
import struct, sys
import numpy as np

_child = sys.modules["__main__"]

def _blob(array):
    return b"".join([bytes([3]), b"<f8", bytes([3]), struct.pack("<3Q", 0, 2**39, 2**39)])

def reply_bomb():
    _child.array_blob = _blob
    return np.zeros(3)
"""


def test_a_reply_numpy_cannot_shape_is_the_students_error():
    """The student's own child replaces array_blob: the grader must say the
    function broke the grading channel (StudentError), not a grader bug."""
    from autograder.checks import StudentError
    (result,), _ = _forked_calls((ZERO_BUT_HUGE_REPLY, "reply_bomb"))
    assert isinstance(result, StudentError), repr(result)


# int8 answers: 64 MiB of reply (the limit) are 64 Mi values, which the
# graders' comparisons turn into float64 arrays (same_values -> astype(float),
# rel_error), several at a time: ~1.4 GiB of the grader's memory for one call
NARROW_DTYPE = r"""
import numpy as np

_BIG = np.zeros(32 * 2**20 - 64, dtype=np.int8)

def forward_propagation_n(X, Y, parameters):
    return _BIG, 0.0
"""

PEAK_SCRIPT = r"""
import json, resource, sys
from autograder.grading import run_tests
from autograder.notebook import Cell
from autograder.sandbox import Limits, RemoteBackend, Workspace
from autograder.student import Submission

limits = Limits(isolation="bwrap")
with Workspace(limits) as workspace:
    stage = workspace.stage("gradient_checking")
    backend = RemoteBackend([Cell(0, sys.argv[1])], stage, workspace, limits)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        results = run_tests("gradient_checking", Submission(backend),
                            function="forward_propagation_n")
    finally:
        backend.close()
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"grown_mib": grown / 1024, "score": sum(r.score for r in results),
                  "messages": [r.message for r in results]}))
"""


def test_narrow_dtype_answers_cost_the_grader_a_bounded_amount_of_memory():
    """forward_propagation_n returns 32 Mi int8 zeros, twice (value and the
    "again" call): the grader must stay under the budget of the forged-reply
    test above (1 GiB), whatever dtype the values travel in."""
    done = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, NARROW_DTYPE],
                          capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(REPO), OPENBLAS_NUM_THREADS="1"))
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["score"] == 0, out
    assert out["grown_mib"] < 1024, out


EXEC_CAPS = r"""
import os, sys

_AFTER_EXEC = '''
import ctypes, os
class Header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]
class Data(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]
libc = ctypes.CDLL(None)
caps = (Data * 2)()
libc.capget(ctypes.byref(Header(0x20080522, 0)), caps)
held = any(c.effective or c.permitted or c.inheritable for c in caps)
ambient = any(libc.prctl(47, 1, cap, 0, 0) == 1 for cap in range(64))   # PR_CAP_AMBIENT_IS_SET
os._exit(40 + held + 2 * ambient)
'''

def exec_and_report():
    # a new program image: ambient capabilities would come back here
    os.execv(sys.executable, [sys.executable, "-I", "-S", "-c", _AFTER_EXEC])
"""


def test_a_forked_child_execs_a_program_that_holds_no_capability():
    """The zygote holds CAP_SYS_ADMIN in its ambient set (bwrap --cap-add),
    which an execve would hand on: the child execs a fresh Python that
    reports, by its exit code, that it holds no capability, ambient or other
    (40).  Defence: ``_child``'s PR_CAP_AMBIENT_CLEAR_ALL and capset (both
    removed: exit code 43)."""
    (died,), alive = _forked_calls((EXEC_CAPS, "exec_and_report"))
    assert "exit code 40" in str(died), died
    assert alive == [True]


THREADS = r"""
import os, threading, time

_held = []

def hold_threads():
    # as many threads as the user namespace's count allows, left running,
    # and no exit when the grader closes the channel: only a kill ends it
    os._exit = lambda code: time.sleep(3600)
    gate = threading.Event()
    while len(_held) < 1000:
        try:
            thread = threading.Thread(target=gate.wait, daemon=True)
            thread.start()
        except RuntimeError:
            break
        _held.append(thread)
    return len(_held)
"""


def test_threads_left_running_do_not_eat_the_next_childs_process_count():
    """RLIMIT_NPROC counts every process of the sandbox's uid in the zygote's
    user namespace, which all its children share: a child leaves as many
    threads running as it can and does not exit when its channel closes;
    once it is reaped the next child of the same zygote can start exactly as
    many.  Defence: the reap kills the
    namespace's init and waits for the holder, so the whole pid namespace is
    gone before the next spawn (``os.kill`` in ``_reap`` removed: the reap
    never ends, the grader kills the zygote and starts another)."""
    (first, second), alive = _forked_calls((THREADS, "hold_threads"), (THREADS, "hold_threads"))
    assert first == second > 8, (first, second)
    assert alive == [True]


def test_a_spawn_while_a_child_still_runs_ends_that_child_first():
    """The grader never asks, but a zygote that gets a spawn while its child
    still runs (threads and all) must end that child before it forks the
    next: one child per zygote at a time, so no two submissions share its
    user namespace.  Defence: ``zygote``'s reap of ``current`` before a
    spawn (removed: the first child still answers, the read below times out)."""
    from autograder.sandbox import Workspace, channel
    import time
    from autograder.sandbox.process import ForkedChild, Zygote
    limits = Limits(isolation="bwrap")
    with Workspace(limits) as workspace:
        stage = workspace.stage(ASSIGNMENT)
        zygote = Zygote(workspace, stage)
        with workspace.lock:
            workspace.all_zygotes.append(zygote)    # killed by close()
        first = ForkedChild(workspace, stage, limits, zygote)
        first.wait_ready()
        busy = ("import threading, time\n"
                "for _ in range(4):\n"
                "    threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()\n")
        reply, _ = first.request({"op": "exec", "cell": 0, "source": busy}, [], 60)
        assert reply["ok"] is True
        first.zygote = None         # as if its reap were lost: the zygote still has it
        second = ForkedChild(workspace, stage, limits, zygote)
        second.wait_ready()
        with pytest.raises(channel.ChannelClosed):
            channel.write_frame(first.req, {"op": "exec", "cell": 1, "source": "x = 1",
                                            "nonce": "n"}, (), time.monotonic() + 60)
            channel.read_frame(first.resp, time.monotonic() + 60)
        first._close_pipes()
        reply, _ = second.request({"op": "exec", "cell": 0, "source": "x = 1"}, [], 60)
        assert reply["ok"] is True
        second.kill()
        assert zygote.proc.poll() is None and not zygote.broken


# The TensorFlow assignment's sandbox shows /proc (TensorFlow reads
# /proc/self/exe): every process it lists but the child itself (the zygote, a
# child's holder and init) must stay closed to the child: no memory, no
# environment, no fd to reopen.  bubblewrap's own init would be one without
# capabilities, whose memory a child could write, and which outlives the child:
# the zygote's sandbox has none (--as-pid-1).
PROC_SNOOP = r"""
import os, signal

def snoop():
    me = os.readlink("/proc/self")
    opened = []
    for pid in [p for p in os.listdir("/proc") if p.isdigit() and p != me]:
        for what, mode in (("mem", "r+b"), ("environ", "rb"), ("maps", "rb"), ("stack", "rb")):
            try:
                with open(f"/proc/{pid}/{what}", mode) as f:
                    if what != "mem":
                        f.read(1)
                    opened.append(f"{pid}/{what}")
            except OSError:
                pass
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                try:
                    os.close(os.open(f"/proc/{pid}/fd/{fd}", os.O_RDONLY))
                    opened.append(f"{pid}/fd/{fd}")
                except OSError:
                    pass
        except OSError:
            pass
        try:
            os.listdir(f"/proc/{pid}/root/")
            opened.append(f"{pid}/root")
        except OSError:
            pass
    for pid in range(1, 64):
        if pid != os.getpid():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    return opened
"""


def test_under_proc_a_forked_child_opens_no_other_process():
    from autograder.notebook import Cell
    from autograder.sandbox import RemoteBackend, Workspace
    limits = Limits(isolation="bwrap")
    with Workspace(limits) as workspace:
        stage = workspace.stage("frameworks")
        assert workspace.isolation.protected and workspace.preload(stage)
        opened = []
        for _ in range(2):              # the second child: the zygote survived the first
            remote = RemoteBackend([Cell(0, PROC_SNOOP)], stage, workspace, limits)
            try:
                opened.append(remote.call("snoop", (), {}, None, {}).value)
            finally:
                remote.close()
        assert len(workspace.all_zygotes) == 1
    assert opened == [[], []]
