"""The sandbox child's system-call filter, compiled with libseccomp.

bubblewrap loads a compiled BPF program (``bwrap --seccomp FD``) into the
child right before it starts Python.  The filter allows everything a numpy
notebook needs and denies, with an errno (never a kill, so the student sees
an ordinary ``OSError``/``PermissionError``):

- new processes: ``fork``, ``vfork``, ``clone`` without ``CLONE_THREAD``,
  ``clone3`` (ENOSYS, so the C library falls back to ``clone``).  Threads
  stay allowed.  With one process per submission, RLIMIT_AS, RLIMIT_CPU and
  RLIMIT_NPROC (threads) bound the submission as a whole;
- the kernel keyring (``add_key``, ``keyctl``, ``request_key``): keyrings are
  not covered by namespaces;
- sockets of every family (``socket``, ``socketpair``: EAFNOSUPPORT): a
  notebook needs none, the network namespace covers only some families
  (AF_VSOCK reaches a VM's host), and socket buffers are kernel memory that
  RLIMIT_AS does not count; io_uring too (it opens sockets without ``socket``);
- System V IPC and POSIX message queues (also private to the IPC namespace),
  ``memfd_create`` (memory outside RLIMIT_AS);
- kernel-facing calls a notebook never makes: ptrace, process_vm_*, bpf,
  perf_event_open, userfaultfd, mount and namespace calls, kexec, modules,
  swap, reboot, acct, quotactl, handles.

Calls of other architectures (x32, i386 on x86_64) are killed by libseccomp's
architecture check.  ``compile_filter(path)`` writes the program; it raises
``SeccompUnavailable`` when libseccomp cannot be loaded (the sandbox then
refuses to start: it fails closed).

``compile_filter(path, zygote=True)`` writes the filter of the warm process
that forks one child per submission (child.py's zygote): the same, but for
the three calls that making a child takes (``clone`` of a process,
``unshare``, ``mount``).  Each child stacks the full filter on top before it
runs a line of the student's code; filters only ever add denials.
"""
import ctypes
import ctypes.util
import errno
import os

SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_CMP_MASKED_EQ = 7
CLONE_THREAD = 0x00010000

DENIED = {
    errno.EPERM: [
        "fork", "vfork",
        "add_key", "keyctl", "request_key",
        "io_uring_setup", "io_uring_enter", "io_uring_register",
        "shmget", "shmat", "shmctl", "shmdt", "msgget", "msgsnd", "msgrcv", "msgctl",
        "semget", "semop", "semtimedop", "semctl",
        "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr",
        "memfd_create", "memfd_secret",
        "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
        "bpf", "perf_event_open", "userfaultfd", "fanotify_init",
        "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "move_mount",
        "open_tree", "fsopen", "fsmount", "fsconfig", "fspick", "mount_setattr",
        "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
        "swapon", "swapoff", "reboot", "acct", "quotactl", "quotactl_fd",
        "open_by_handle_at", "name_to_handle_at", "lookup_dcookie",
        "personality", "syslog", "vhangup", "iopl", "ioperm",
    ],
    errno.ENOSYS: ["clone3"],
}


class SeccompUnavailable(RuntimeError):
    """libseccomp is missing or refused the filter."""


class _ArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int),
                ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


def _errno_action(code):
    return 0x00050000 | code


def _library():
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError as exc:
        raise SeccompUnavailable(f"libseccomp could not be loaded ({exc}); install libseccomp2") from None
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int,
                                           ctypes.c_uint, ctypes.POINTER(_ArgCmp)]
    lib.seccomp_export_bpf.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    return lib


ZYGOTE_ALLOWED = ("unshare", "mount")        # and clone without CLONE_THREAD


def _rules(zygote=False):
    """(action, syscall name, [(arg, op, a, b)...]) for every rule of the filter."""
    rules = [(_errno_action(code), name, []) for code, names in DENIED.items() for name in names
             if not (zygote and name in ZYGOTE_ALLOWED)]
    if not zygote:      # clone without CLONE_THREAD is a new process: (flags & CLONE_THREAD) == 0
        rules.append((_errno_action(errno.EPERM), "clone",
                      [(0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0)]))
    for call in ("socket", "socketpair"):
        rules.append((_errno_action(errno.EAFNOSUPPORT), call, []))
    return rules


def compile_filter(path, zygote=False):
    """Write the compiled BPF program to ``path`` (see module docstring)."""
    lib = _library()
    ctx = lib.seccomp_init(SCMP_ACT_ALLOW)
    if not ctx:
        raise SeccompUnavailable("seccomp_init failed")
    try:
        for action, name, comparisons in _rules(zygote):
            number = lib.seccomp_syscall_resolve_name(name.encode())
            if number < 0:          # not a system call of this architecture
                continue
            args = (_ArgCmp * max(1, len(comparisons)))(*[_ArgCmp(*c) for c in comparisons])
            err = lib.seccomp_rule_add_array(ctx, action, number, len(comparisons), args)
            if err < 0:
                raise SeccompUnavailable(f"libseccomp refused the rule for {name} "
                                         f"({os.strerror(-err)})")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            err = lib.seccomp_export_bpf(ctx, fd)
        finally:
            os.close(fd)
        if err < 0:
            raise SeccompUnavailable(f"seccomp_export_bpf failed ({os.strerror(-err)})")
    finally:
        lib.seccomp_release(ctx)
    return path
