"""Which protections this machine allows, and the files a child may see.

Namespace mode needs root on Linux and util-linux ``unshare``: the child gets
private mount, network and pid namespaces, a chroot holding only the python
runtime, site-packages and the assignment's student-visible files, and runs
as an unprivileged uid with RLIMIT_NPROC.  Otherwise (process mode) it runs
as a separate process in a scratch dir with a scrubbed environment,
``python -I -S``, rlimits and a process-group kill: good against accidents,
not against a student who goes looking for the grader's files.

``Workspace`` is one batch's temporary directory: the child script, the
assignment files (staged once per assignment), a prebuilt matplotlib font
cache, and the children's scratch dirs and root mount points.
"""
import functools
import itertools
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .limits import seconds, size

PACKAGE = Path(__file__).resolve().parents[1]     # autograder/
REPO = PACKAGE.parent                              # the course directory
CHILD_SCRIPT = Path(__file__).with_name("child.py")
NAMESPACE_FLAGS = ["--mount", "--net", "--pid", "--fork", "--kill-child",
                   "--propagation", "private"]
WORKDIR = "/sandbox"         # the child's working directory in namespace mode


@dataclass(frozen=True)
class Isolation:
    namespace: bool          # private mount/net/pid namespaces and chroot
    uid: int | None          # the child's uid (namespace mode), None: unchanged
    gid: int | None

    def protections(self, limits):
        """What protects the grader, in words, for the JSON and the table footer."""
        items = ["separate process per submission, killed and restarted after a tripped limit",
                 "python -I -S with an explicit sys.path and a scrubbed environment "
                 "(the course directory is not importable)",
                 f"limits: {seconds(limits.call_seconds)} per call, "
                 f"{seconds(limits.cell_seconds)} per cell, "
                 f"{seconds(limits.submission_seconds)} per submission, "
                 f"{limits.cpu_seconds} s CPU, {size(limits.memory_bytes)} address space, "
                 f"{size(limits.disk_bytes)} files, {size(limits.output_bytes)} output kept",
                 "results travel as JSON and .npy (no pickle) and are checked in the parent"]
        if self.namespace:
            items += ["private filesystem (chroot on a size-limited tmpfs): the course "
                      "directory, hidden graders, reference solutions, gradebook and results "
                      "are not visible",
                      "no network (network namespace)",
                      "pid namespace: every process the submission starts dies with it",
                      f"unprivileged uid {self.uid} with at most {limits.processes} processes"]
        else:
            items += ["process-group kill (no namespaces: the child can read files the "
                      "grader's user can read)"]
        return items


@functools.lru_cache(maxsize=None)
def _namespaces_work():
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    try:
        done = subprocess.run(["unshare", *NAMESPACE_FLAGS, "--", "true"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def detect(limits):
    """The Isolation to use under ``limits.isolation`` ("auto", "namespace", "process")."""
    if limits.isolation not in ("auto", "namespace", "process"):
        raise ValueError(f"unknown isolation {limits.isolation!r}")
    if limits.isolation == "process" or not _namespaces_work():
        if limits.isolation == "namespace":
            raise RuntimeError("namespace isolation needs root on Linux and util-linux unshare")
        return Isolation(False, None, None)
    try:
        gid = pwd.getpwuid(limits.uid).pw_gid
    except KeyError:
        gid = limits.uid
    return Isolation(True, limits.uid, gid)


def python_layout():
    """(interpreter, stdlib sys.path entries, site dirs for numpy and matplotlib).

    The interpreter is the real file behind the venv's python, so ``-I -S``
    starts it without the venv's .pth files (which would import this kit
    through its editable finder); the site dirs are added by hand.
    """
    prefix = os.path.realpath(sys.base_prefix)
    stdlib = [p for p in map(os.path.realpath, sys.path)
              if p.startswith(prefix + os.sep) and "site-packages" not in p]
    sites = []
    for name in ("numpy", "matplotlib"):
        try:
            module = __import__(name)
        except ImportError:
            continue
        site = os.path.realpath(os.path.dirname(os.path.dirname(module.__file__)))
        if site not in sites:
            sites.append(site)
    for path in stdlib + sites:
        if path == str(REPO) or str(PACKAGE).startswith(path + os.sep):
            raise RuntimeError(f"{path} on the child's sys.path would expose the grader")
    return os.path.realpath(sys.executable), stdlib, sites


def assignment_files_dir(assignment):
    """Where the student-visible files of an assignment live: release/<id>/ if
    built, else source/<id>/ (None if neither)."""
    for root in ("release", "source"):
        folder = REPO / root / assignment
        if folder.is_dir():
            return folder
    return None


class Workspace:
    """One batch's temporary directory (see module docstring); ``close()`` removes it."""

    def __init__(self, limits):
        self.limits = limits
        self.isolation = detect(limits)
        self.python, self.stdlib, self.sites = python_layout()
        self.base = Path(tempfile.mkdtemp(prefix="dlkit-sandbox-"))
        self.script = self.base / "dlkit_child.py"
        shutil.copyfile(CHILD_SCRIPT, self.script)
        self._stages = {}
        self._count = itertools.count()
        self._fonts = None
        self.spares = {}         # (stage, limits) -> a started, unused child (backend.py)

    def binds(self):
        """Host paths the private root shows read-only, besides /usr and /etc."""
        return [os.path.realpath(sys.base_prefix), os.path.dirname(self.python), *self.sites]

    def new_dir(self, kind):
        path = self.base / f"{kind}-{next(self._count)}"
        path.mkdir()
        return path

    def stage(self, assignment):
        """A dir holding the assignment's student-visible .py files and the font cache."""
        if assignment not in self._stages:
            stage = self.new_dir(f"files-{assignment}")
            source = assignment_files_dir(assignment)
            files = sorted(source.iterdir()) if source is not None else []
            if not files:       # the two files linked into every assignment folder
                files = [PACKAGE / "numerics.py", PACKAGE / "checks.py"]
            for path in files:
                if path.suffix == ".py" and path.is_file():         # follows the symlinks
                    shutil.copyfile(path, stage / path.name)
            for cache in self._font_cache():
                shutil.copyfile(cache, stage / cache.name)
            self._stages[assignment] = stage
        return self._stages[assignment]

    def _font_cache(self):
        """matplotlib's font list, built once per batch (saves ~0.4 s per child)."""
        if self._fonts is None:
            folder = self.new_dir("mplconfig")
            code = f"import sys; sys.path[:] = {self.stdlib + self.sites!r}; import matplotlib.font_manager"
            env = {"PATH": "/usr/bin:/bin", "MPLCONFIGDIR": str(folder), "HOME": str(folder)}
            try:
                subprocess.run([self.python, "-I", "-S", "-c", code], env=env, timeout=120,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except (OSError, subprocess.SubprocessError):
                pass
            self._fonts = sorted(folder.glob("fontlist-*.json"))
        return self._fonts

    def close(self):
        for child in self.spares.values():
            child.kill()
        self.spares.clear()
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
