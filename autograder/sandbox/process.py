"""One sandbox child process: start it, send it requests, kill it.

``Child(workspace, stage, limits)`` starts ``child.py`` (namespace or process
mode, see isolation.py) with two dedicated pipes as the channel, without
waiting for it (``wait_ready``), so a spare child can start ahead of time; the child's
own stdout/stderr never carry the protocol.  ``request`` sends one frame and
waits for the reply until a deadline; every reply must echo the request's
random nonce, so nothing the student's code writes early can pass for the
answer to a later request.  On a timeout the whole child (its process group,
and in namespace mode its pid namespace) is killed with SIGKILL.
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
from .isolation import NAMESPACE_FLAGS, WORKDIR

PR_SET_PDEATHSIG = 1
STARTUP_SECONDS = 60      # python + numpy start in ~0.3 s; a loaded machine is slow


class ChildDied(Exception):
    """The child exited or was killed; ``signal`` names the signal, if any."""

    def __init__(self, description, signum=None, code=None):
        super().__init__(description)
        self.signal, self.code = signum, code


class SandboxBroken(Exception):
    """The sandbox itself could not start (a problem of the grader, not the student)."""


def _die_with_parent():
    """In the forked child before exec: SIGKILL when the grader dies."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class Child:
    """A running sandbox child (see module docstring)."""

    def __init__(self, workspace, stage, limits):
        self.limits = limits
        iso = workspace.isolation
        self.dirs = []
        req_r, self.req = os.pipe()
        self.resp, resp_w = os.pipe()
        if iso.namespace:
            root = workspace.new_dir("root")
            self.dirs.append(root)
            workdir, tmp = WORKDIR, "/tmp"
        else:
            scratch = workspace.new_dir("scratch")
            self.dirs.append(scratch)
            for path in stage.iterdir():
                shutil.copyfile(path, scratch / path.name)
            (scratch / "tmp").mkdir()
            workdir, tmp = str(scratch), str(scratch / "tmp")
        config = {
            "req_fd": req_r, "resp_fd": resp_w, "namespace": iso.namespace,
            "newroot": str(root) if iso.namespace else None, "binds": workspace.binds(),
            "stage": str(stage), "workdir": workdir, "uid": iso.uid, "gid": iso.gid,
            "disk_bytes": limits.disk_bytes, "output_bytes": limits.output_bytes,
            "sys_path": [workdir, *workspace.stdlib, *workspace.sites],
            "rlimits": {"as": limits.memory_bytes, "cpu": int(limits.cpu_seconds),
                        "fsize": limits.disk_bytes, "nofile": limits.open_files,
                        "nproc": limits.processes},
        }
        env = {"PATH": "/usr/bin:/bin", "HOME": workdir, "TMPDIR": tmp,
               "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg",
               "MPLCONFIGDIR": workdir, "NBGRADER_EXECUTION": "autograde",
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        argv = [workspace.python, "-I", "-S", "-B", str(workspace.script), json.dumps(config)]
        if iso.namespace:
            argv = ["unshare", *NAMESPACE_FLAGS, "--", *argv]
        self.errlog = workspace.base / f"stderr-{os.path.basename(self.dirs[0])}"
        try:
            with open(self.errlog, "wb") as err:
                self.proc = subprocess.Popen(
                    argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                    pass_fds=(req_r, resp_w), env=env, cwd=self.dirs[0],
                    start_new_session=True, preexec_fn=_die_with_parent)
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
        if code > 128 and self.proc.args[0] == "unshare":
            code = -(code - 128)       # pid 1 of the namespace reports 128 + signal
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
