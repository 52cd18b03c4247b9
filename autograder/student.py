"""The student's functions, as the graders see them: plain callables.

A grader never holds the student's function object.  It holds a
``StudentFunction`` from a ``Submission``; calling it runs the student's code
through a backend and hands back plain data (``plain.py``):

    student.compute_cost_with_regularization(A3, Y, parameters, 0.7)  # -> value
    student.forward_propagation_with_dropout.call((X, params, 0.8), rng_seed=3)
        # -> Call(value, args_after): args_after is the arguments as they were
        #    after the call, to check the student did not modify them.

``rng_seed`` seeds numpy's global RNG right before the call, in whichever
process runs the student's code.  Without it the RNG carries on from where the
previous call left it.

``overrides`` ({name: Python source defining that name}) rebinds names in the
student function's module globals for the duration of one call, then restores
them.  That is how a grader makes a student's gradient checker call a cost of
the grader's choosing (``forward_propagation`` -> a non-linear probe).  The
source runs with ``np`` available; it comes from the grader (trusted), never
from the student.

Backends:
- ``LocalBackend`` runs the functions in this process (nbgrader hidden cells,
  the kit's own tests of mutants).  No time limit: nbgrader's cell timeout is it.
- the out-of-process backend of the CLI (``autograder/sandbox``) runs them in
  a child and sends back plain data; graders cannot tell the difference.

A backend has one method,
``call(name, args, kwargs, rng_seed, overrides) -> Call``, and
raises ``StudentError`` (the student's code raised, is missing or returned
non-plain data) or ``StudentTimeout`` (a limit tripped).
"""
import copy
from typing import Any, NamedTuple

import numpy as np

from .checks import StudentError
from .plain import NotPlain, to_plain


class Call(NamedTuple):
    value: Any          # the plain return value
    args_after: tuple   # plain copies of the positional arguments after the call


class StudentFunction:
    """One graded function of a submission, by name."""

    def __init__(self, backend, name):
        self.backend = backend
        self.name = name

    def call(self, args=(), kwargs=None, rng_seed=None, overrides=None):
        """Run the function on copies of ``args``/``kwargs``; returns a Call."""
        return self.backend.call(self.name, tuple(args), dict(kwargs or {}), rng_seed,
                                 dict(overrides or {}))

    def __call__(self, *args, **kwargs):
        return self.call(args, kwargs).value

    def __repr__(self):
        return f"<student function {self.name}>"


class Submission:
    """The graded functions of one submission: ``submission.<function name>``."""

    def __init__(self, backend):
        self._backend = backend

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return StudentFunction(self._backend, name)


def describe_exception(exc):
    """'raised ZeroDivisionError: division by zero', one line, capped."""
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    if len(first) > 200:
        first = first[:200] + "..."
    return f"raised {type(exc).__name__}" + (f": {first}" if first else "")


def define_overrides(overrides):
    """{name: source} -> {name: object}: run each source with numpy as ``np``."""
    defined = {}
    for name, source in overrides.items():
        scope = {"np": np}
        exec(compile(source, f"<grader probe {name}>", "exec"), scope)
        defined[name] = scope[name]
    return defined


class LocalBackend:
    """Runs functions found in ``namespace`` (a dict, e.g. a notebook's
    globals or a module's ``vars()``) in this process."""

    def __init__(self, namespace):
        self.namespace = namespace

    def call(self, name, args, kwargs, rng_seed, overrides=None):
        fn = self.namespace.get(name)
        if fn is None:
            raise StudentError(f"{name} is not defined")
        if not callable(fn):
            raise StudentError(f"{name} is {type(fn).__name__}, not a function")
        args = copy.deepcopy(args)
        kwargs = copy.deepcopy(kwargs)
        scope = getattr(fn, "__globals__", self.namespace)
        saved = {k: scope[k] for k in overrides or {} if k in scope}
        scope.update(define_overrides(overrides or {}))
        if rng_seed is not None:
            np.random.seed(rng_seed)
        try:
            value = fn(*args, **kwargs)
        except (KeyboardInterrupt, SystemExit) as exc:
            raise StudentError(f"{name} {describe_exception(exc)}") from None
        except Exception as exc:  # noqa: BLE001 - any student error is reported
            raise StudentError(f"{name} {describe_exception(exc)}") from exc
        finally:
            for k in overrides or {}:
                if k in saved:
                    scope[k] = saved[k]
                else:
                    scope.pop(k, None)
        try:
            value = to_plain(value, f"{name}'s return value")
        except NotPlain as exc:
            raise StudentError(str(exc)) from None
        return Call(value, to_plain(args, f"{name}'s arguments"))


def local_submission(namespace):
    """A Submission over functions in ``namespace`` (dict), run in process."""
    return Submission(LocalBackend(namespace))
