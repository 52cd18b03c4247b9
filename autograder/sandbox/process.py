"""One sandbox child process: start it, send it requests, kill it.

``Child(workspace, stage, limits)`` starts ``child.py`` (under bubblewrap
through ``launch.py``, or as a plain process with ``--isolation none``; see
isolation.py) with two dedicated pipes as the channel, without waiting for it
(``wait_ready``), so a spare child can start ahead of time; the child's own
stdout/stderr never carry the protocol.  ``request`` sends one frame and
waits for the reply until a deadline; every reply must echo the request's
random nonce, so nothing the student's code writes early can pass for the
answer to a later request.  On a timeout the whole child is killed with
SIGKILL (bubblewrap's pid namespace takes every thread and process with it).
No ``preexec_fn`` runs in the sandboxed path, so children may be started from
several threads at once.
"""
import ctypes
import json
import os
import secrets
import shutil
import signal
import subprocess
import time

from . import channel
from .isolation import BIN, FILES, WORKDIR

PR_SET_PDEATHSIG = 1
STARTUP_SECONDS = 60      # python + numpy start in ~0.3 s; a loaded machine is slow
LAUNCHER_FAILED = 121     # launch.py's exit code when it could not set the child up


class ChildDied(Exception):
    """The child exited or was killed; ``signal`` names the signal, if any."""

    def __init__(self, description, signum=None, code=None):
        super().__init__(description)
        self.signal, self.code = signum, code


class SandboxBroken(Exception):
    """The sandbox itself could not start (a problem of the grader, not the student)."""


def _die_with_parent():
    """In the forked child before exec (--isolation none only): SIGKILL when the grader dies."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def child_env(workdir, tmp):
    return {"PATH": "/usr/bin:/bin", "HOME": workdir, "TMPDIR": tmp,
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": workdir, "NBGRADER_EXECUTION": "autograde",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            # TensorFlow (the frameworks assignment): one thread per pool, quiet start
            "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1",
            "TF_CPP_MIN_LOG_LEVEL": "2"}


def run_probe(workspace, command, timeout=120):
    """Run ``command`` (argv inside the sandbox) in a sandbox of ``workspace``
    with an empty stage; returns its stdout, or None if the sandbox failed."""
    stage = workspace.new_dir("probe")
    argv = workspace.bwrap_command(stage, command, child_env(WORKDIR, f"{WORKDIR}/tmp"))
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              env={"PATH": "/usr/bin:/bin"}, start_new_session=True)
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    if done.returncode != 0:
        print(f"sandbox probe failed ({done.returncode}): {done.stderr[-1500:]}", flush=True)
        return None
    return done.stdout


class Child:
    """A running sandbox child (see module docstring)."""

    def __init__(self, workspace, stage, limits):
        self.limits = limits
        self.bwrap = workspace.isolation.protected
        self.dirs = []
        req_r, self.req = os.pipe()
        self.resp, resp_w = os.pipe()
        if self.bwrap:
            workdir, tmp, files = WORKDIR, f"{WORKDIR}/tmp", FILES
        else:
            scratch = workspace.new_dir("scratch")
            self.dirs.append(scratch)
            (scratch / "tmp").mkdir()
            workdir, tmp, files = str(scratch), str(scratch / "tmp"), str(stage)
        self.id = secrets.token_hex(8)      # in the child's command line: findable in /proc
        config = {
            "id": self.id, "req_fd": req_r, "resp_fd": resp_w, "sandboxed": self.bwrap,
            "files": files, "workdir": workdir, "output_bytes": limits.output_bytes,
            "sys_path": (workspace.layout.child_sys_path() if self.bwrap
                         else [workdir, *workspace.stdlib, *workspace.sites]),
            "rlimits": {"as": limits.memory_bytes, "cpu": int(limits.cpu_seconds),
                        "fsize": limits.disk_bytes, "nofile": limits.open_files,
                        "nproc": limits.processes if self.bwrap else None},
        }
        env = child_env(workdir, tmp)
        if self.bwrap:
            argv = workspace.bwrap_command(stage, [workspace.python, "-I", "-S", "-B",
                                                   f"{BIN}/child.py", json.dumps(config)], env)
            env, preexec, cwd = {"PATH": "/usr/bin:/bin"}, None, workspace.base
        else:
            argv = [workspace.python, "-I", "-S", "-B", str(workspace.script), json.dumps(config)]
            preexec, cwd = _die_with_parent, self.dirs[0]
        self.errlog = workspace.base / f"stderr-{self.id}"
        try:
            with open(self.errlog, "wb") as err:
                self.proc = subprocess.Popen(
                    argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                    pass_fds=(req_r, resp_w), env=env, cwd=cwd,
                    start_new_session=True, preexec_fn=preexec)
        except OSError as exc:
            for fd in (req_r, resp_w, self.req, self.resp):
                os.close(fd)
            raise SandboxBroken(f"the sandbox could not start ({exc})") from None
        os.close(req_r)
        os.close(resp_w)
        os.set_blocking(self.req, False)
        os.set_blocking(self.resp, False)
        self.ready = False

    def wait_ready(self):
        """Wait for the child's "ready" message (it has started, imported numpy
        and matplotlib).  Raises SandboxBroken if it does not come."""
        if self.ready:
            return
        try:
            ready, _ = channel.read_frame(self.resp, time.monotonic() + STARTUP_SECONDS, 2**16)
        except channel.ChannelError as exc:
            self.kill()
            raise SandboxBroken(f"the sandbox did not start ({exc}): {self._stderr()}") from None
        if ready.get("nonce") != "ready":
            self.kill()
            raise SandboxBroken("the sandbox did not start (no ready message)")
        self.ready = True

    def request(self, header, blobs, timeout):
        """Send one request; returns (reply header dict, list of np.ndarray).

        Raises channel.ChannelTimeout (child killed), ChildDied, or
        channel.ChannelError for a malformed reply (child killed).
        Call ``wait_ready`` first.
        """
        nonce = secrets.token_hex(8)
        deadline = time.monotonic() + timeout
        try:
            channel.write_frame(self.req, dict(header, nonce=nonce), blobs, deadline)
            reply, raw = channel.read_frame(self.resp, deadline, self.limits.reply_bytes)
            if reply.get("nonce") != nonce:
                raise channel.ChannelError("a reply to another request")
            return reply, [channel.load_array(b) for b in raw]
        except channel.ChannelClosed:
            raise self._died() from None
        except channel.ChannelError:
            self.kill()
            raise

    def _died(self):
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self.kill()
        code = self.proc.returncode
        if code is None:
            return ChildDied("closed the grading channel")
        if code == LAUNCHER_FAILED and self.bwrap:
            return ChildDied(f"could not be started by the sandbox: {self._stderr()}", code=code)
        if code > 128 and self.bwrap:
            code = -(code - 128)       # bwrap reports 128 + the signal that ended the child
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else -code
            return ChildDied(f"killed the grading process (signal {name})", signum=-code)
        return ChildDied(f"ended the grading process (exit code {code})", code=code)

    def _stderr(self):
        try:
            return self.errlog.read_bytes()[-2000:].decode("utf-8", "replace").strip()
        except OSError:
            return ""

    def kill(self):
        """SIGKILL the child's process group (its namespace goes with it); idempotent."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.proc.kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        for fd in (self.req, self.resp):
            try:
                os.close(fd)
            except OSError:
                pass
        self.req = self.resp = -1
        for folder in self.dirs:
            shutil.rmtree(folder, ignore_errors=True)
        self.dirs = []
        try:
            self.errlog.unlink()
        except OSError:
            pass

    @property
    def alive(self):
        return self.req >= 0 and self.proc.poll() is None
