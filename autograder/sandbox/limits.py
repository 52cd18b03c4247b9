"""What a submission may use: one dataclass, safe defaults, readable names.

Measured on the course machine (numpy 2.4, matplotlib, OPENBLAS_NUM_THREADS=1):
importing numpy and matplotlib.pyplot takes ~0.5 s and ~150 MiB of address
space, so 2 GiB of address space leaves room for the assignments' arrays
(the largest is a few MiB) while a memory bomb stops long before the machine
(24 GiB) notices.
"""
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Limits:
    call_seconds: float = 10.0          # wall clock for one call of a graded function
    cell_seconds: float = 30.0          # wall clock for one notebook cell
    submission_seconds: float = 300.0   # wall clock for everything of one submission
    cpu_seconds: int = 120              # RLIMIT_CPU of one child process
    memory_bytes: int = 2 * 2**30       # RLIMIT_AS of the child (see module docstring)
    processes: int = 64                 # threads of the child (RLIMIT_NPROC, counted in the
                                        # sandbox's user namespace, which holds only the child,
                                        # its init and the zygote); it may start no process
    open_files: int = 256               # RLIMIT_NOFILE
    output_bytes: int = 64 * 2**10      # stdout/stderr kept per child; the rest is dropped
    disk_bytes: int = 256 * 2**20       # the child's private tmpfs, and RLIMIT_FSIZE
    reply_bytes: int = 64 * 2**20       # largest reply accepted from the child (the largest
                                        # real one is a few MiB); the parent holds at most
                                        # ~3 copies of one reply while checking it
    uid: int = 65534                    # the child's uid when the grader runs as root (nobody)
    isolation: str = "auto"             # "auto"/"bwrap": the sandbox, or refuse to grade;
                                        # "none": no sandbox, and every record says so

    def to_json(self):
        return asdict(self)


def size(n):
    """Bytes as a student reads them: '2 GiB', '512 MiB', '64 KiB'."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def seconds(t):
    """'5 s', '0.5 s'."""
    return f"{t:g} s"
