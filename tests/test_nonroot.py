"""Grading as an ordinary user gets the same protection as grading as root (issue 7).

When the tests run as root, an unprivileged user is created and the CLI runs
as that user; otherwise it runs as the current (ordinary) user.  The attacks
are the ones that worked against the old non-root fallback: SIGKILL to the
grader, escaping the process-group kill with setsid and a double fork,
appending to the kit's own report.py, editing the batch's copy of the child
script, and writing to the results and feedback.
"""
import hashlib
import json
import os
import pwd
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograder.sandbox.isolation import PACKAGE, REPO
from tests.hostile import notebook, write
from tests.test_hostile import ASSIGNMENT, CHEAT, HONEST, cheat

USER = "dlkit-nonroot-grader"
REPORT = PACKAGE / "report.py"

ATTACKS = {
    "kill_grader": """
        import os, signal

        def initialize_parameters_he(layers_dims):
            for pid in {os.getppid(), 1, os.getpgid(0)}:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            raise RuntimeError("attack failed: still here")
        """,
    "escape": """
        import os, time

        def initialize_parameters_he(layers_dims):
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    time.sleep(600)
                os._exit(0)
            raise RuntimeError("attack failed: forked")
        """,
    "edit_the_kit": f"""
        import glob, os

        def initialize_parameters_he(layers_dims):
            why = []
            targets = [{str(REPORT)!r}, "/dlkit/bin/child.py", "/dlkit/bin/launch.py",
                       *glob.glob("/tmp/dlkit-sandbox-*/bin/*.py")]
            for path in targets:
                try:
                    with open(path, "a") as f:
                        f.write("\\nFORGED = True\\n")
                    why.append("wrote " + path)
                except OSError as exc:
                    why.append(f"{{path}}: {{exc.strerror}}")
            raise RuntimeError("attack failed: " + "; ".join(why))
        """,
}


def _needs_bind(path):
    """The highest ancestor of ``path`` another user cannot pass through, if any."""
    for parent in [*reversed(Path(path).parents), Path(path)]:
        if parent != Path("/") and not os.stat(parent).st_mode & 0o001:
            return parent
    return None


def _as_user_command(argv, env):
    """A shell command that runs ``argv`` as USER (or as is, when not root).

    As root: a private mount namespace in which any directory on the way to
    the Python installation or the course that others cannot pass through is
    replaced by a tmpfs showing just the path needed (as on a machine where
    Python lives in /usr or /opt), then runuser.
    """
    command = " ".join(shlex.quote(a) for a in argv)
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    if os.geteuid() != 0:
        return f"env {exports} {command}"
    steps = ["mount --make-rprivate /"]
    for needed in {os.path.realpath(sys.base_prefix), str(REPO)}:
        closed = _needs_bind(needed)
        if closed is None:
            continue
        saved = tempfile.mkdtemp(prefix="dlkit-nonroot-save-")
        steps += [f"mount --bind {shlex.quote(needed)} {saved}",
                  f"mount -t tmpfs -o mode=0755 tmpfs {shlex.quote(str(closed))}",
                  f"mkdir -p {shlex.quote(needed)}",
                  f"mount --bind {saved} {shlex.quote(needed)}"]
    steps.append(f"exec runuser -u {USER} -- env {exports} {command}")
    return "unshare -m sh -c " + shlex.quote(" && ".join(steps))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "-M", "-s", "/usr/sbin/nologin", USER],
                           check=True)
    uid = pwd.getpwnam(USER).pw_uid if os.geteuid() == 0 else os.getuid()
    tmp = Path(tempfile.mkdtemp(prefix="dlkit-nonroot-"))
    os.chmod(tmp, 0o777)
    folder = tmp / "submissions"
    write(notebook(ASSIGNMENT), folder / "honest.ipynb")
    for name, source in ATTACKS.items():
        write(notebook(ASSIGNMENT, replace=cheat(source)), folder / f"{name}.ipynb")
    for path in [folder, *folder.iterdir()]:
        os.chmod(path, 0o777 if path.is_dir() else 0o666)
    report_before = hashlib.sha256(REPORT.read_bytes()).hexdigest()
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp),
           "OPENBLAS_NUM_THREADS": "1", "TMPDIR": str(tmp),
           "DLKIT_SECRET_FILE": str(tmp / "secret"), "PYTHONPATH": str(REPO)}
    argv = [sys.executable, "-m", "autograder", "grade", str(folder), "--json",
            str(tmp / "grades.json"), "--feedback", str(tmp / "feedback"),
            "--call-timeout", "20", "--cell-timeout", "30"]
    done = subprocess.run(_as_user_command(argv, env), shell=True, capture_output=True,
                          text=True, cwd=tmp, timeout=1800)
    records = {}
    if (tmp / "grades.json").exists():
        for r in json.loads((tmp / "grades.json").read_text())["submissions"]:
            records[Path(r["submission"]).stem] = r
    left = [p for p in tmp.iterdir() if p.name.startswith("dlkit-sandbox-")]
    procs = _live_processes(uid) if os.geteuid() == 0 else ""
    yield {"done": done, "records": records, "uid": uid, "left": left, "procs": procs,
           "report_changed": hashlib.sha256(REPORT.read_bytes()).hexdigest() != report_before}
    subprocess.run(["rm", "-rf", str(tmp)])


def _live_processes(uid):
    """Processes of ``uid`` that are not zombies (a dead sandbox's processes
    wait for the machine's init to reap them), after the kernel has had a
    moment to deliver the kills."""
    deadline = time.monotonic() + 30
    while True:
        rows = subprocess.run(["ps", "-o", "pid=,stat=,args=", "-u", str(uid)],
                              capture_output=True, text=True).stdout.splitlines()
        live = [r for r in rows if not r.split()[1].startswith("Z")]
        if not live or time.monotonic() > deadline:
            return "\n".join(live)
        time.sleep(0.2)


def _score(record, function):
    tests = [t for t in record["tests"] if t["function"] == function]
    return sum(t["score"] for t in tests), sum(t["max_score"] for t in tests)


def test_the_batch_completes_as_an_ordinary_user_with_the_sandbox(run):
    done = run["done"]
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    honest = run["records"]["honest"]
    assert honest["score"] == honest["max_score"] > 0
    assert any("bubblewrap sandbox" in p for p in honest["protections"])
    assert any(f"unprivileged uid {run['uid']}" in p for p in honest["protections"])


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_attacks_that_worked_without_root_earn_nothing(run, attack):
    record = run["records"][attack]
    score, most = _score(record, CHEAT)
    assert most > 0 and score == 0, record["tests"]
    for fn in HONEST:
        score, most = _score(record, fn)
        assert score == most, (fn, record["tests"])


def test_the_kit_and_the_batch_files_are_untouched(run):
    assert not run["report_changed"]
    messages = " ".join(t["message"] for t in run["records"]["edit_the_kit"]["tests"])
    assert "wrote " not in messages
    assert "Read-only file system" in messages


def test_nothing_is_left_behind(run):
    assert run["left"] == []
    assert run["procs"] == ""
