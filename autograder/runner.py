"""Grading many submissions: in this process, or in a pool of worker processes.

A ``Task`` is what a worker needs to grade one submission: its bytes (read
once, by the parent), name, student and inputs salt, never a path to read
again.  ``grade_task`` grades one in this process's ``Workspace`` (one per
process and limits, marked for ``tempdirs.clean_stale``, closed at exit) and
returns the plain record; ``run_local`` grades a stream of tasks with
``jobs`` worker processes and yields ``(task, record)`` as each finishes.

Why processes, not threads: the graders run in the parent of the sandbox
child and some keep state in their module (a reference whose globals are
patched for one call), so two submissions graded by threads of one process
could see each other's state.  One process grades one submission at a time
(``_ONE_AT_A_TIME``, also on a Dask worker with several threads), so a
parallel batch grades exactly like a serial one.  Every submission still gets
its own sandbox child, with its own limits.
"""
import atexit
import concurrent.futures as cf
import ctypes
import multiprocessing
import multiprocessing.util
import os
import signal
import socket
import threading
from dataclasses import dataclass

from . import records, submissions, tempdirs

_ONE_AT_A_TIME = threading.Lock()
PR_SET_PDEATHSIG = 1
_MAKING = threading.Lock()
_WORKSPACES = {}           # limits -> Workspace, in this process
_AT_EXIT = []              # close_workspaces registered to run at exit (once)


@dataclass(frozen=True)
class Task:
    index: int             # position in the batch
    name: str              # the submission as shown (its path)
    student: str
    raw: bytes             # the notebook's bytes
    salt: str              # its inputs salt


def workspace_for(limits):
    """This process's Workspace for ``limits`` (made on first use)."""
    from .sandbox import Workspace
    with _MAKING:
        workspace = _WORKSPACES.get(limits)
        if workspace is None:
            if not _WORKSPACES:
                tempdirs.clean_stale()          # left by a killed grader on this machine
            workspace = Workspace(limits)
            tempdirs.mark(workspace.base)
            _WORKSPACES[limits] = workspace
            if not _AT_EXIT:
                _AT_EXIT.append(atexit.register(close_workspaces))
                multiprocessing.util.Finalize(None, close_workspaces, exitpriority=10)
    return workspace


def close_workspaces():
    """Close this process's workspaces (their temp dirs, zygotes and spare children go)."""
    while _WORKSPACES:
        _, workspace = _WORKSPACES.popitem()
        workspace.close()


def is_protected(workspace):
    """Whether the sandbox isolates the child from the grader's files (bubblewrap)."""
    return workspace.isolation.protected


def grade_task(task, limits, protected=True):
    """The record of one Task, graded in this process (one at a time).

    protected: the batch requires isolation; a machine (a cluster worker)
    that has none refuses, and the record says so.
    """
    with _ONE_AT_A_TIME:
        workspace = workspace_for(limits)
        if protected and not is_protected(workspace):
            return records.grade_notebook(
                submissions.ReadError(f"the grading machine {socket.gethostname()} has no "
                                      "isolation; it refused to grade"), None, None,
                name=task.name, student=task.student, protected=protected)
        return records.grade_notebook(task.raw, workspace, limits, name=task.name,
                                      student=task.student, salt=task.salt,
                                      protected=protected)


def _worker_init(batch_pid, checked):
    """In each pool worker: die with the batch (SIGKILL when it dies, even by
    SIGKILL), so a killed batch leaves no worker behind; sandbox children die
    with their worker (process.py), and the next batch's
    ``tempdirs.clean_stale`` removes the dirs they leave.  ``checked``: what
    the batch process already checked and built (``isolation.checked_once``)."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != batch_pid:          # the batch is already gone
        os._exit(1)
    from .sandbox import isolation
    isolation.trust_checked(checked)


def _checked(limits):
    """The batch's sandbox audit and font list, done once here for every worker."""
    from .sandbox import isolation
    try:
        workspace_for(limits).font_cache()
    except (RuntimeError, ValueError):      # no sandbox here: each worker says so itself
        pass
    return isolation.checked_once()


def _pool(jobs, checked):
    # spawn: workers are children of the batch itself (a forkserver would
    # outlive a killed batch), each a fresh interpreter
    context = multiprocessing.get_context("spawn")
    return cf.ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                  initializer=_worker_init, initargs=(os.getpid(), checked))


def run_local(tasks, limits, protected=True, jobs=1):
    """Yield (task, record) for every Task of the iterable ``tasks``, ``jobs``
    at a time; at most 2 x ``jobs`` tasks are read ahead (memory stays flat)."""
    if jobs <= 1:
        for task in tasks:
            yield task, grade_task(task, limits, protected)
        return
    tasks = iter(tasks)
    checked = _checked(limits)
    pool = _pool(jobs, checked)
    pending, retried = {}, set()
    try:
        while True:
            while len(pending) < 2 * jobs:
                task = next(tasks, None)
                if task is None:
                    break
                pending[pool.submit(grade_task, task, limits, protected)] = task
            if not pending:
                break
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for future in done:
                task = pending.pop(future)
                try:
                    yield task, future.result()
                except cf.process.BrokenProcessPool:
                    # a worker died (killed from outside): start a new pool and
                    # grade its submissions again, once
                    if task.index in retried:
                        yield task, _failed(task, protected)
                        continue
                    retried.add(task.index)
                    pool.shutdown(wait=False, cancel_futures=True)
                    again = [task] + [t for f, t in pending.items()]
                    pending.clear()
                    pool = _pool(jobs, checked)
                    for t in again:
                        pending[pool.submit(grade_task, t, limits, protected)] = t
                    break
    except BaseException:
        # interrupted (Ctrl-C, SIGTERM): do not wait for running submissions; the
        # workers die with this process and the next batch removes their dirs
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _failed(task, protected):
    error = submissions.ReadError("the grader's worker process died twice while grading "
                                  "this submission")
    return records.grade_notebook(error, None, None, name=task.name, student=task.student,
                                  protected=protected)
