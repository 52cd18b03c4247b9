"""The out-of-process backend: a submission's functions, run in a sandbox child.

``RemoteBackend(cells, stage, workspace, limits)`` has the one backend method
of ``autograder.student``: ``call(name, args, kwargs, rng_seed, overrides) ->
Call``.  The first call starts a child and executes the notebook's cells in
it, one request per cell; the child then stays alive for every later call of
the submission.  When a limit trips (or the child dies), the child is killed
and the call raises ``StudentTimeout``/``StudentError`` naming the limit and
the function; the next call starts a fresh child and re-executes the cells,
leaving out any cell that tripped a limit.  A function that tripped a limit
keeps failing with the same message without running again, so an infinite
loop costs one timeout, not one per test.

All checks run in the parent: replies are decoded by ``channel.decode`` and
checked again with ``plain.to_plain``.
"""
import contextlib
import time

from ..bounded import bounded
from ..checks import StudentError, StudentTimeout
from ..notebook import code_to_run, read_notebook
from ..plain import NotPlain, to_plain
from ..student import Call, Submission
from . import channel
from .isolation import Workspace
from .limits import Limits, seconds, size
from .process import Child, ChildDied, SandboxBroken, forked_child

MAX_MESSAGE = 300       # characters of a message from the child that we keep


def _text(value):
    """A message from the child: a string, capped, control characters (terminal
    escapes) replaced; anything else is dropped."""
    if type(value) is not str:
        return "(no message)"
    return bounded(value.replace("\n", " "), MAX_MESSAGE)


def take_child(workspace, stage, limits):
    """A new child for ``stage``: forked by a warm zygote under bubblewrap
    (process.py); with ``--isolation none`` a process of its own, and a spare
    started for the next one.

    The spare (kept in ``workspace.spares``, at most ``workspace.max_spares``
    per stage and limits, killed by ``workspace.close``)
    starts its interpreter and imports while this submission is graded: on
    two cores that takes the start-up off the next submission's clock.  Every
    child serves one submission only; a spare has run no student code.
    """
    if workspace.isolation.protected:
        return forked_child(workspace, stage, limits)
    key = (str(stage), limits)
    with workspace.lock:
        pool = workspace.spares.setdefault(key, [])
        child = pool.pop() if pool else None
    if child is None or not child.alive:
        child = Child(workspace, stage, limits)
    try:
        spare = Child(workspace, stage, limits)
    except SandboxBroken:
        return child
    with workspace.lock:
        pool = workspace.spares.setdefault(key, [])
        if len(pool) < workspace.max_spares:
            pool.append(spare)
            spare = None
    if spare is not None:       # enough spares already (other threads made them)
        spare.kill()
    return child


class RemoteBackend:
    """See module docstring.  ``cell_errors``: {cell index: message}."""

    def __init__(self, cells, stage, workspace, limits):
        self.cells, self.stage, self.workspace, self.limits = cells, stage, workspace, limits
        self.child = None
        self.skip = set()           # cells left out of every fresh child
        self.cell_errors = {}
        self.tripped = {}           # function -> the exception it raised for good
        self.children = 0
        self.deadline = None
        self.broken = None          # the sandbox could not start: every call fails fast

    # -- time
    def _left(self):
        if self.deadline is None:
            self.deadline = time.monotonic() + self.limits.submission_seconds
        return self.deadline - time.monotonic()

    def _budget_gone(self, what):
        return StudentTimeout(f"the submission used up its {seconds(self.limits.submission_seconds)} "
                              f"time budget before {what} could finish")

    def _limit_message(self, died, where):
        """A ChildDied as the limit it most likely was, for ``where``."""
        if died.signal in (24, 9):     # SIGXCPU, or SIGKILL at the hard CPU limit
            return StudentTimeout(f"used up its CPU time limit ({self.limits.cpu_seconds} s) in {where}"
                                  if died.signal == 24 else
                                  f"was killed by SIGKILL in {where} (how the CPU time limit "
                                  f"of {self.limits.cpu_seconds} s ends a process that "
                                  f"ignores SIGXCPU)")
        return StudentError(f"{where} {died}")

    # -- the child
    def _start(self):
        """A child with the notebook's cells executed (see module docstring)."""
        while True:
            if self._left() <= 0:
                raise self._budget_gone("the notebook")
            self.children += 1
            try:
                child = take_child(self.workspace, self.stage, self.limits)
                child.wait_ready()
            except SandboxBroken as exc:
                self.broken = StudentError(f"the grader could not run the notebook: {exc}")
                raise self.broken from None
            for cell in self.cells:
                if cell.index in self.skip:
                    continue
                problem = self._run_cell(child, cell)
                if problem is not None:
                    self.cell_errors[cell.index] = f"{problem} (left out when grading)"
                    self.skip.add(cell.index)
                    child.kill()
                    break
            else:
                return child

    def _run_cell(self, child, cell):
        """Execute one cell; returns a message if the child had to be killed."""
        left = self._left()
        timeout = min(self.limits.cell_seconds, left)
        where = f"cell {cell.index}"
        try:
            reply, _ = child.request({"op": "exec", "cell": cell.index, "source": cell.source},
                                     [], timeout)
        except channel.ChannelTimeout:
            child.kill()
            if timeout < self.limits.cell_seconds:
                return str(self._budget_gone(where))
            return f"{where} timed out after {seconds(timeout)}"
        except ChildDied as died:
            return str(self._limit_message(died, where))
        except channel.ChannelError as exc:
            return f"{where} broke the grading channel ({exc})"
        if reply.get("ok") is not True:
            message = f"{where} {_text(reply.get('error'))}"
            if reply.get("kind") == "memory":
                message = f"{where} ran out of memory ({size(self.limits.memory_bytes)})"
            self.cell_errors.setdefault(cell.index, message)
        return None

    # -- the backend method
    def call(self, name, args, kwargs, rng_seed, overrides=None, again=None, read_args=False):
        if name in self.tripped:
            raise self.tripped[name]
        if self.broken is not None:
            raise self.broken
        blobs = []
        request = {"op": "call", "name": name, "rng_seed": rng_seed,
                   "args": channel.encode(tuple(args), blobs),
                   "kwargs": channel.encode(dict(kwargs), blobs),
                   "overrides": dict(overrides or {}),
                   "again": None if not again else {
                       "args": [[i, channel.encode(v, blobs)] for i, v in again["args"].items()],
                       "kwargs": channel.encode(dict(again["kwargs"]), blobs),
                       "rng_seed": again["rng_seed"]},
                   "read_args": bool(read_args)}
        if self.child is None or not self.child.alive:
            self.child = self._start()
        left = self._left()
        if left <= 0:
            raise self._budget_gone(name)
        timeout = min(self.limits.call_seconds, left)
        try:
            reply, arrays = self.child.request(request, blobs, timeout)
        except channel.ChannelTimeout:
            self.child.kill()
            exc = (self._budget_gone(name) if timeout < self.limits.call_seconds
                   else StudentTimeout(f"timed out after {seconds(timeout)} in {name}"))
            raise self._trip(name, exc) from None
        except ChildDied as died:
            raise self._trip(name, self._limit_message(died, name)) from None
        except channel.ChannelError as exc:
            raise self._trip(name, StudentError(f"{name} broke the grading channel ({exc})")) from None
        return self._result(name, reply, arrays, again, read_args)

    def pipeline(self, inputs, steps):
        """See ``Submission.pipeline``: one request, one child, shared objects."""
        names = [name for name, _, _ in steps]
        where = " then ".join(names)
        for name in names:
            if name in self.tripped:
                raise self.tripped[name]
        if self.broken is not None:
            raise self.broken
        blobs = []
        wire_steps = [[name, [_wire_arg(a, blobs) for a in args],
                       {k: _wire_arg(a, blobs) for k, a in kwargs.items()}]
                      for name, args, kwargs in steps]
        request = {"op": "pipeline", "inputs": channel.encode(tuple(inputs), blobs),
                   "steps": wire_steps}
        if self.child is None or not self.child.alive:
            self.child = self._start()
        left = self._left()
        if left <= 0:
            raise self._budget_gone(where)
        timeout = min(self.limits.call_seconds * len(steps), left)
        try:
            reply, arrays = self.child.request(request, blobs, timeout)
        except channel.ChannelTimeout:
            self.child.kill()
            self.child = None
            raise StudentTimeout(f"timed out after {seconds(timeout)} in {where}") from None
        except ChildDied as died:
            self.child = None
            raise self._limit_message(died, where) from None
        except channel.ChannelError as exc:
            self.child = None
            raise StudentError(f"{where} broke the grading channel ({exc})") from None
        if reply.get("ok") is not True:
            raise StudentError(_text(reply.get("error")))
        results = reply.get("results")
        if type(results) is not list or len(results) != len(steps):
            raise StudentError(f"{where} sent back a malformed answer")
        try:
            return [to_plain(channel.decode(tree, arrays), f"{name}'s return value")
                    for name, tree in zip(names, results)]
        except (channel.ChannelError, NotPlain) as exc:
            raise StudentError(f"{where} sent back something that is not plain data ({exc})") from None

    def _trip(self, name, exc):
        self.tripped[name] = exc
        self.child = None
        return exc

    def _result(self, name, reply, arrays, again, read_args=False):
        if reply.get("ok") is not True:
            if reply.get("kind") == "memory":
                self.child.kill()
                raise self._trip(name, StudentTimeout(
                    f"ran out of memory ({size(self.limits.memory_bytes)}) in {name}"))
            raise StudentError(_text(reply.get("error")))
        try:
            value = to_plain(channel.decode(reply.get("value"), arrays), f"{name}'s return value")
            second = (to_plain(channel.decode(reply.get("again"), arrays),
                               f"{name}'s return value") if again else None)
            after = (to_plain(channel.decode(reply.get("args_after"), arrays),
                              f"{name}'s arguments after the call") if read_args else None)
        except (channel.ChannelError, NotPlain) as exc:
            raise StudentError(f"{name} sent back something that is not plain data ({exc})") from None
        return Call(value, second, after)

    def close(self):
        if self.child is not None:
            self.child.kill()
            self.child = None


def _wire_arg(spec, blobs):
    """A pipeline argument for the child: references stay references."""
    if spec[0] == "value":
        return ["value", channel.encode(spec[1], blobs)]
    return [spec[0], *spec[1:]]


@contextlib.contextmanager
def remote_submission(notebook_path, assignment, limits=None, workspace=None):
    """A Submission whose functions run out of process, from a notebook file.

    Yields ``Submission``; its backend (``submission._backend``) holds
    ``cell_errors`` afterwards.  Raises notebook.NotebookError for a file
    that is not a gradable notebook.
    """
    limits = limits or Limits()
    cells = code_to_run(read_notebook(notebook_path))
    own = workspace is None
    workspace = workspace or Workspace(limits)
    backend = RemoteBackend(cells, workspace.stage(assignment), workspace, limits)
    try:
        yield Submission(backend)
    finally:
        backend.close()
        if own:
            workspace.close()
