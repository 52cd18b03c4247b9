"""Running a student's notebook out of process, in a sandbox (the CLI's backend).

- limits.py     what a submission may use (``Limits``), with safe defaults
- isolation.py  the sandbox (bubblewrap) and what a child sees; the batch ``Workspace``
- seccomp.py    the child's system-call filter (libseccomp)
- launch.py     the standalone script that sets a child up and execs bwrap
- channel.py    frames and the wire form of plain data (parent side)
- child.py      the standalone child script (stdlib + numpy, never this package)
- process.py    one child process: start, request with a deadline, kill
- backend.py    ``RemoteBackend`` and ``remote_submission``: graders run unchanged

    with remote_submission("alice.ipynb", "regularization") as student:
        results = run_tests("regularization", student)
"""
from .backend import RemoteBackend, remote_submission
from .isolation import SandboxUnavailable, Workspace, assignment_files_dir, detect
from .limits import Limits

__all__ = ["Limits", "RemoteBackend", "SandboxUnavailable", "Workspace", "assignment_files_dir", "detect",
           "remote_submission"]
