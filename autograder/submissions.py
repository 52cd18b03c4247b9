"""Finding submitted notebooks, naming their students, reading their bytes safely.

Submissions arrive from zips, tarballs and git, so a folder may hold symbolic
links (to a solution, to another student's notebook).  Links are never
followed, files or folders: ``find`` walks with ``os.walk(followlinks=False)``
and reports each link as a submission of its own (``Found.link``), which the
grader records as "not graded: ... is a symbolic link" with score 0.  Nothing
is de-duplicated by resolved path: two paths are two submissions.

``read(path, max_bytes)`` checks the size with ``lstat`` before anything is
read, opens with ``O_NOFOLLOW`` and reads at most ``max_bytes``: a 60 MiB
notebook costs a stat, not a parse.

The student of a submission: ``<student>`` in nbgrader's
``submitted/<student>/<id>/<file>.ipynb`` layout, else the file name without
``.ipynb``; ``--id-pattern REGEX`` overrides both (its group ``student``, or
its first group, searched in the path relative to the folder given).
"""
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

SKIPPED_FOLDERS = {".ipynb_checkpoints", "__pycache__", ".git"}


@dataclass(frozen=True)
class Found:
    path: Path           # as found (never resolved)
    student: str
    link: bool = False   # a symbolic link (file or folder): never followed, never graded


class ReadError(Exception):
    """The submission's bytes could not be read; the message says why, for the student."""


def find(paths, known=(), id_pattern=None):
    """Every submission under ``paths`` (notebooks, folders searched recursively,
    sorted per argument), links included as ``Found(link=True)``.

    known: assignment ids (for nbgrader's submitted/<student>/<id>/ layout).
    Raises FileNotFoundError for a path that does not exist.
    """
    pattern = re.compile(id_pattern) if id_pattern else None
    found, seen = [], set()
    for raw in paths:
        top = Path(raw)
        if not os.path.lexists(top):
            raise FileNotFoundError(f"no such file or folder: {raw}")
        if top.is_symlink():
            items = [(top, True)]
        elif top.is_dir():
            items = _walk(top)
        else:
            items = [(top, False)]
        for path, link in items:
            if str(path) not in seen:          # the same path named twice; never by target
                seen.add(str(path))
                found.append(Found(path, student_of(path, top, known, pattern), link))
    return found


def _walk(top):
    """(path, is a link) under ``top``, sorted; links to folders are listed, not entered."""
    items = []
    for folder, dirs, files in os.walk(top, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS)
        for d in list(dirs):
            if (here / d).is_symlink():
                dirs.remove(d)
                items.append((here / d, True))
        for name in files:
            path = here / name
            if path.is_symlink():
                if name.endswith(".ipynb") or path.is_dir():
                    items.append((path, True))
            elif name.endswith(".ipynb"):
                items.append((path, False))
    return sorted(items)


def student_of(path, top, known=(), pattern=None):
    """The student id of ``path`` found under ``top`` (see module docstring)."""
    path = Path(path)
    if pattern is not None:
        try:
            relative = path.relative_to(top).as_posix() if path != Path(top) else path.name
        except ValueError:
            relative = path.as_posix()
        match = pattern.search(relative) or pattern.search(path.as_posix())
        if match:
            groups = match.groupdict()
            value = groups.get("student") or (match.group(1) if match.groups() else match.group(0))
            if value:
                return value
    parent = path.parent
    if parent.name in known and parent.parent.name and parent.parent != parent:
        return parent.parent.name
    return path.name.removesuffix(".ipynb")


def read(path, max_bytes):
    """The bytes of the notebook at ``path``; raises ReadError (a link, not a
    regular file, larger than ``max_bytes``, unreadable).  Nothing larger than
    ``max_bytes`` is ever read."""
    path = Path(path)
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise ReadError(f"the notebook could not be read ({exc.strerror})") from None
    if stat.S_ISLNK(info.st_mode):
        raise ReadError(f"{path.name} is a symbolic link (links are never followed: "
                        "submit the notebook itself)")
    if not stat.S_ISREG(info.st_mode):
        raise ReadError(f"{path.name} is not a regular file")
    _check_size(info.st_size, max_bytes)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ReadError(f"the notebook could not be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise ReadError(f"{path.name} is not a regular file")
        raw = f.read(int(max_bytes) + 1)
    _check_size(len(raw), max_bytes)       # it grew between the stat and the read
    return raw


def _check_size(size, max_bytes):
    if size > max_bytes:
        raise ReadError(f"the notebook is {size / 2**20:.1f} MiB; the grader reads at most "
                        f"{max_bytes / 2**20:g} MiB (clear the cell outputs and resubmit)")
