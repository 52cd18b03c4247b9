"""Batch temp dirs that outlive a killed grader, found and removed.

A ``Workspace`` removes its ``dlkit-sandbox-*`` dir when it closes; a grader
killed with SIGKILL cannot.  ``mark(workspace)`` writes the owner's pid and
process start time into the dir; ``clean_stale()`` (run when a batch starts)
removes every marked dir of this user whose owner is gone.  Unmarked dirs
are left alone: they may belong to a grader that is starting right now.
"""
import os
import shutil
import tempfile
from pathlib import Path

PREFIX = "dlkit-sandbox-"
OWNER = ".dlkit-owner"


def _start_time(pid):
    """The kernel's start time of process ``pid`` (None if there is no such process)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def mark(base):
    """Record this process as the owner of the batch dir ``base``."""
    pid = os.getpid()
    (Path(base) / OWNER).write_text(f"{pid} {_start_time(pid)}\n")


def _alive(text):
    try:
        pid, started = text.split()
        pid = int(pid)
    except ValueError:
        return False
    now = _start_time(pid)
    return now is not None and (started == "None" or now == started)


def clean_stale(folder=None):
    """Remove this user's marked batch dirs whose owner process is gone; returns them."""
    folder = Path(folder or tempfile.gettempdir())
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for path in entries:
        if not path.name.startswith(PREFIX) or path.is_symlink():
            continue
        try:
            if path.lstat().st_uid != os.geteuid():
                continue
            owner = (path / OWNER).read_text()
        except OSError:
            continue
        if not _alive(owner):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
