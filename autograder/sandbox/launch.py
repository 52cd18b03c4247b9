"""Start one sandbox child under bubblewrap: the few steps bwrap cannot do itself.

STANDALONE (standard library only; the parent copies it into the batch's
workspace and runs ``python -I -S -B launch.py CONFIG_JSON``).  CONFIG_JSON
comes from the trusted parent:

    {"bwrap": path, "args": [bwrap options...], "command": [argv of the child],
     "seccomp": path of the compiled filter,
     "stage": {"root": dir, "mounts": [[source, target], ...]} or null,
     "uid": int or null, "gid": int or null}

Steps, in this order:

1. join a new, empty session keyring, so nothing of the grader's keyring
   (a login session's, a container runtime's) is even possessed by the child
   (the child's seccomp filter also denies every keyring call);
2. when run as root (``stage`` given): enter a private mount namespace and
   bind each runtime source (the Python installation, site-packages entries,
   the assignment files) read-only under ``stage.root``, a directory the
   unprivileged sandbox uid can traverse: the sources may lie under
   directories it cannot (``/root/.pyenv``), and bwrap resolves paths with the
   caller's rights;
3. drop to the sandbox uid/gid (root only; supplementary groups cleared),
   then ask for SIGKILL when the grader dies (after the uid change, which
   would clear it);
4. open the filter, pass the options through a pipe (``--args``: nothing of
   the layout shows in the child's /proc) and exec bwrap.
"""
import ctypes
import json
import os
import signal
import sys

KEYCTL_JOIN_SESSION_KEYRING = 1
SYS_KEYCTL = {"x86_64": 250, "aarch64": 219}
CLONE_NEWNS = 0x00020000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = (
    1, 2, 4, 32, 4096, 16384, 1 << 18)
PR_SET_PDEATHSIG = 1


def fail(message):
    sys.stderr.write(f"dlkit launcher: {message}\n")
    os._exit(121)


def libc():
    return ctypes.CDLL(None, use_errno=True)


def new_session_keyring(lib):
    number = SYS_KEYCTL.get(os.uname().machine)
    if number is None:
        return          # the seccomp filter still denies every keyring call
    if lib.syscall(number, KEYCTL_JOIN_SESSION_KEYRING, None) < 0:
        err = ctypes.get_errno()
        if err != 38:   # ENOSYS: a kernel without keyrings has nothing to leak
            fail(f"could not join a new session keyring: {os.strerror(err)}")


def mount(lib, source, target, fstype, flags, data=None):
    enc = (lambda s: None if s is None else s.encode())
    if lib.mount(enc(source), enc(target), enc(fstype), flags, enc(data)) != 0:
        fail(f"mount {source} on {target}: {os.strerror(ctypes.get_errno())}")


def stage_sources(lib, stage):
    """Private mount namespace; each source bound read-only at its target."""
    if lib.unshare(CLONE_NEWNS) != 0:
        fail(f"unshare(CLONE_NEWNS): {os.strerror(ctypes.get_errno())}")
    mount(lib, None, "/", None, MS_REC | MS_PRIVATE)
    mount(lib, "tmpfs", stage["root"], "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    for source, target in stage["mounts"]:
        if os.path.isdir(source):
            os.makedirs(target, mode=0o755, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
            open(target, "a").close()
        mount(lib, source, target, None, MS_BIND | MS_REC)
        mount(lib, None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def main():
    config = json.loads(sys.argv[1])
    lib = libc()
    new_session_keyring(lib)
    if config["stage"] is not None:
        stage_sources(lib, config["stage"])
    if config["uid"] is not None:
        os.setgroups([])
        os.setresgid(config["gid"], config["gid"], config["gid"])
        os.setresuid(config["uid"], config["uid"], config["uid"])
    lib.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:
        fail("the grader is gone")
    seccomp = os.open(config["seccomp"], os.O_RDONLY)
    options = config["args"] + ["--seccomp", str(seccomp)]
    data = b"".join(arg.encode() + b"\0" for arg in options)
    read_end, write_end = os.pipe()
    if len(data) > 60000:       # a pipe holds 64 KiB without a reader
        fail("too many bwrap options")
    os.write(write_end, data)
    os.close(write_end)
    for fd in (seccomp, read_end):
        os.set_inheritable(fd, True)
    os.execv(config["bwrap"], [config["bwrap"], "--args", str(read_end), *config["command"]])


if __name__ == "__main__":
    main()
