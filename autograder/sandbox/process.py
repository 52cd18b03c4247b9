"""One sandbox child process: start it, send it requests, kill it.

Under bubblewrap, ``forked_child(workspace, stage, limits)`` gives a child
forked by a warm ``Zygote`` (one bwrap sandbox that has imported numpy and
matplotlib once, and TensorFlow for its assignment; see child.py): each child
still gets its own mount, pid, IPC, UTS, network and cgroup namespaces, a
fresh tmpfs, its own limits and the full seccomp filter, in ~25 ms instead of
the ~0.5 s of a new interpreter.  A zygote serves one child at a time
(concurrent submissions never share its user namespace's thread count) and
goes back to the workspace's pool when its child is reaped.

With ``--isolation none``, ``Child(workspace, stage, limits)`` starts
``child.py`` as a plain process of its own, without waiting for it
(``wait_ready``), so a spare child can start ahead of time.

Both talk over two dedicated pipes (the child's own stdout/stderr never carry
the protocol).  ``request`` sends one frame and waits for the reply until a
deadline; every reply must echo the request's random nonce, so nothing the
student's code writes early can pass for the answer to a later request.  On
a timeout the whole child is killed with SIGKILL (a forked child's pid
namespace takes every thread with it).  No ``preexec_fn`` runs in the
sandboxed path, so children may be started from several threads at once.
"""
import ctypes
import json
import os
import secrets
import select
import shutil
import signal
import socket
import subprocess
import time

from . import channel
from .isolation import BIN, FILES, WORKDIR

PR_SET_PDEATHSIG = 1
STARTUP_SECONDS = 60      # python + numpy start in ~0.3 s; a loaded machine is slow
LAUNCHER_FAILED = 121     # launch.py's and child.py's exit code when they could not set the child up
DEATH_GRACE = 5           # seconds a child that closed its channel has to end by itself


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


def _config(workspace, stage, limits, sandboxed, workdir, files, child_id, fds=(None, None)):
    """The CONFIG_JSON of a child (see child.py)."""
    return {
        "id": child_id, "req_fd": fds[0], "resp_fd": fds[1], "sandboxed": sandboxed,
        "files": files, "workdir": workdir, "output_bytes": limits.output_bytes,
        "sys_path": (workspace.layout.child_sys_path() if sandboxed
                     else [workdir, *workspace.stdlib, *workspace.sites]),
        "rlimits": {"as": limits.memory_bytes, "cpu": int(limits.cpu_seconds),
                    "fsize": limits.disk_bytes, "nofile": limits.open_files,
                    "nproc": limits.processes if sandboxed else None},
    }


def _death(code, sandboxed, stderr):
    """The ChildDied for a child's exit code (None: still running)."""
    if code is None:
        return ChildDied("closed the grading channel")
    if code == LAUNCHER_FAILED and sandboxed:
        return ChildDied(f"could not be started by the sandbox: {stderr()}", code=code)
    if code > 128 and sandboxed:
        code = -(code - 128)       # the zygote reports 128 + the signal
    if code < 0:
        name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else -code
        return ChildDied(f"killed the grading process (signal {name})", signum=-code)
    return ChildDied(f"ended the grading process (exit code {code})", code=code)


class _Channel:
    """The request/reply side every kind of child shares: ``req``/``resp``
    fds (non-blocking), ``limits``, and ``_died``/``kill``/``_stderr`` of its own."""

    def _open_pipes(self):
        """(read end of the request pipe, write end of the reply pipe) for the child."""
        req_r, self.req = os.pipe()
        self.resp, resp_w = os.pipe()
        return req_r, resp_w

    def _pipes_given(self, req_r, resp_w):
        os.close(req_r)
        os.close(resp_w)
        os.set_blocking(self.req, False)
        os.set_blocking(self.resp, False)
        self.ready = False

    def _close_pipes(self):
        for fd in (self.req, self.resp):
            try:
                os.close(fd)
            except OSError:
                pass
        self.req = self.resp = -1

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
            return reply, channel.load_arrays(raw, self.limits.reply_bytes)
        except channel.ChannelClosed:
            raise self._died() from None
        except channel.ChannelError:
            self.kill()
            raise


class Child(_Channel):
    """A child with a process of its own, unsandboxed (``--isolation none``)."""

    def __init__(self, workspace, stage, limits):
        self.limits = limits
        scratch = workspace.new_dir("scratch")
        self.dirs = [scratch]
        (scratch / "tmp").mkdir()
        req_r, resp_w = self._open_pipes()
        self.id = secrets.token_hex(8)      # in the child's command line: findable in /proc
        config = _config(workspace, stage, limits, False, str(scratch), str(stage), self.id,
                         (req_r, resp_w))
        self.errlog = workspace.base / f"stderr-{self.id}"
        try:
            with open(self.errlog, "wb") as err:
                self.proc = subprocess.Popen(
                    [workspace.python, "-I", "-S", "-B", str(workspace.script), json.dumps(config)],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                    pass_fds=(req_r, resp_w), env=child_env(str(scratch), str(scratch / "tmp")),
                    cwd=scratch, start_new_session=True, preexec_fn=_die_with_parent)
        except OSError as exc:
            for fd in (req_r, resp_w, self.req, self.resp):
                os.close(fd)
            raise SandboxBroken(f"the child could not start ({exc})") from None
        self._pipes_given(req_r, resp_w)

    def _died(self):
        try:
            self.proc.wait(timeout=DEATH_GRACE)
        except subprocess.TimeoutExpired:
            pass
        self.kill()
        return _death(self.proc.returncode, False, self._stderr)

    def _stderr(self):
        return _tail(self.errlog)

    def kill(self):
        """SIGKILL the child's process group; idempotent."""
        _kill_tree(self.proc)
        self._close_pipes()
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


def _tail(log):
    """The last lines of a stderr log (a child's or a zygote's), as text."""
    try:
        return log.read_bytes()[-2000:].decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _kill_tree(proc):
    """SIGKILL ``proc``'s process group (a bwrap sandbox: its pid namespace goes with it)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.kill()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


class Zygote:
    """A warm bwrap sandbox that forks one child at a time (see module docstring).

    ``spawn(config, fds)`` asks for a child; ``reap(grace)`` kills it and
    returns its exit status.  Any failure to talk to the zygote kills the
    whole sandbox (``broken``); the caller then starts another.
    """

    CONTROL_SECONDS = 30    # a spawn or reap takes milliseconds; a loaded machine is slow

    def __init__(self, workspace, stage):
        self.key = str(stage)       # limits are each child's own: one zygote serves any
        self.broken = False
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.ctl = ours
        config = {"mode": "zygote", "ctl_fd": theirs.fileno(), "child_filter": f"{BIN}/child.bpf",
                  "sys_path": workspace.layout.child_sys_path(), "files": FILES,
                  "workdir": WORKDIR, "preload": workspace.preload(stage)}
        argv = workspace.bwrap_command(stage, [workspace.python, "-I", "-S", "-B",
                                               f"{BIN}/child.py", json.dumps(config)],
                                       child_env(WORKDIR, f"{WORKDIR}/tmp"), zygote=True)
        self.errlog = workspace.base / f"stderr-zygote-{secrets.token_hex(8)}"
        try:
            with open(self.errlog, "wb") as err:
                self.proc = subprocess.Popen(
                    argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                    pass_fds=(theirs.fileno(),), env={"PATH": "/usr/bin:/bin"},
                    cwd=workspace.base, start_new_session=True)
        except OSError as exc:
            ours.close()
            raise SandboxBroken(f"the sandbox could not start ({exc})") from None
        finally:
            theirs.close()

    def _ask(self, message, fds=(), timeout=CONTROL_SECONDS):
        """One message and its reply; None (and the zygote killed) on any failure."""
        try:
            socket.send_fds(self.ctl, [json.dumps(message).encode()], list(fds))
            poller = select.poll()          # not select(): fds above 1024 are fine
            poller.register(self.ctl, select.POLLIN)
            data = self.ctl.recv(1 << 16) if poller.poll(int(timeout * 1000)) else b""
            reply = json.loads(data) if data else None
        except (OSError, ValueError):
            reply = None
        if type(reply) is not dict:
            self.kill()
            return None
        return reply

    def spawn(self, config, fds):
        """Fork a child with ``config`` serving on ``fds``; False if that failed."""
        if self.broken:
            return False
        reply = self._ask({"op": "spawn", "config": config}, fds, STARTUP_SECONDS)
        return bool(reply and reply.get("ok") is True)

    def reap(self, grace):
        """Kill the current child after ``grace`` s; its exit status, or None."""
        if self.broken:
            return None
        reply = self._ask({"op": "reap", "grace": grace}, timeout=self.CONTROL_SECONDS + grace)
        status = reply.get("status") if reply else None
        return status if type(status) is int else None

    def stderr(self):
        return _tail(self.errlog)

    def kill(self, grace=0):
        """End the zygote: with ``grace``, close its socket and give it that
        many seconds to end by itself (its processes' CPU time then reaches
        the grader's accounts); then SIGKILL.  Idempotent."""
        self.broken = True
        self.ctl.close()
        if grace:
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        _kill_tree(self.proc)
        try:
            self.errlog.unlink()
        except OSError:
            pass


class ForkedChild(_Channel):
    """A child forked by a ``Zygote``: the same requests as ``Child``."""

    def __init__(self, workspace, stage, limits, zygote):
        self.limits, self.zygote, self.maker = limits, zygote, zygote
        self.workspace = workspace
        self.id = secrets.token_hex(8)      # its process name (comm) starts with dlc + 12 of it
        req_r, resp_w = self._open_pipes()
        config = _config(workspace, stage, limits, True, WORKDIR, FILES, self.id)
        try:
            ok = zygote.spawn(config, (req_r, resp_w))
        finally:
            self._pipes_given(req_r, resp_w)
        self.status = None
        if not ok:
            self._close_pipes()
            raise SandboxBroken(f"the sandbox did not start a child: {zygote.stderr()}")

    def _stderr(self):
        return self.maker.stderr()

    def _died(self):
        self._end(DEATH_GRACE)
        return _death(self.status, True, self._stderr)

    def _end(self, grace):
        """Reap the child (once); the zygote goes back to the pool if it answered."""
        if self.zygote is None:
            return
        zygote, self.zygote = self.zygote, None
        self._close_pipes()
        self.status = zygote.reap(grace)
        if self.status is None:
            zygote.kill()
        give_back(self.workspace, zygote)

    def kill(self):
        """SIGKILL the child (its pid namespace goes with it); idempotent."""
        self._end(0)

    @property
    def alive(self):
        return self.req >= 0 and self.zygote is not None


def give_back(workspace, zygote):
    """Return an idle zygote to the workspace's pool (a broken one is dropped)."""
    with workspace.lock:
        if not zygote.broken and not workspace.closed:
            workspace.zygotes.setdefault(zygote.key, []).append(zygote)
            return
    zygote.kill()


def forked_child(workspace, stage, limits):
    """A child with ``limits``, forked by an idle zygote of ``workspace`` for
    ``stage``; a zygote is started when none is idle, and once more if it fails."""
    key = str(stage)
    for attempt in range(2):
        with workspace.lock:
            pool = workspace.zygotes.setdefault(key, [])
            zygote = pool.pop() if pool else None
        if zygote is None or zygote.proc.poll() is not None:
            if zygote is not None:
                zygote.kill()
            zygote = Zygote(workspace, stage)
            with workspace.lock:
                workspace.all_zygotes.append(zygote)
        try:
            return ForkedChild(workspace, stage, limits, zygote)
        except SandboxBroken:
            zygote.kill()
            if attempt:
                raise
