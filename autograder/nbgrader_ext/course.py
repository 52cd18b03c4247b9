"""Stock nbgrader commands on a course directory, and throwaway copies of the course.

nbgrader runs ``alembic`` when it first creates a gradebook, so the
environment's ``bin/`` goes on PATH; kernels get one BLAS thread.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .. import assignments
from ..assignments import ROOT

IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def repo_root():
    """The repository holding this package (source/, release/, nbgrader_config.py):
    ``assignments.ROOT``."""
    return ROOT


def assignment_ids(root=None):
    """Ids of the assignments with a source notebook (``root``/source/<id>/<id>.ipynb).

    root None: the kit's own course, whose assignments are the registry's
    (``assignments.ids()``) that have a source notebook.  Another root (a
    throwaway course of the tests) is read from its source/ folder.
    """
    if root is None or Path(root).resolve() == ROOT:
        return [a for a in assignments.ids()
                if (ROOT / "source" / a / f"{a}.ipynb").is_file()]
    source = Path(root) / "source"
    return sorted(p.name for p in source.iterdir() if (p / f"{p.name}.ipynb").is_file()) \
        if source.is_dir() else []


def tool_env(extra=None):
    """os.environ with this interpreter's bin/ first on PATH, one BLAS thread,
    then ``extra``."""
    env = dict(os.environ, **ONE_THREAD)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env.update(extra or {})
    return env


def run_nbgrader(course, *args, env=None, timeout=1800):
    """Run ``nbgrader ARGS`` in ``course``; returns its combined log, raises on failure.

    env: extra environment variables (over tool_env()'s).
    """
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=tool_env(env),
                          capture_output=True, text=True, timeout=timeout)
    log = done.stdout + done.stderr
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed ({done.returncode}):\n{log[-3000:]}")
    return log


def copy_folder(src, dst):
    """Copy a folder, links followed (numerics.py/checks.py become regular files)."""
    shutil.copytree(src, dst, symlinks=False, ignore=IGNORED, dirs_exist_ok=True)


def make_course(course, root, ids):
    """A throwaway course in ``course``: root's nbgrader_config.py and source/<id>."""
    course = Path(course)
    course.mkdir(parents=True, exist_ok=True)
    shutil.copy(Path(root) / "nbgrader_config.py", course / "nbgrader_config.py")
    for id_ in ids:
        copy_folder(Path(root) / "source" / id_, course / "source" / id_)
    return course
