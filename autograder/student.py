"""The student's functions, as the graders see them: plain callables.

A grader never holds the student's function object.  It holds a
``StudentFunction`` from a ``Submission``; calling it runs the student's code
through a backend and hands back plain data (``plain.py``):

    student.compute_cost_with_regularization(A3, Y, parameters, 0.7)  # -> value
    student.forward_propagation_with_dropout.call((X, params, 0.8), rng_seed=3, again=True)
        # -> Call(value, again): again is the answer of a second call on the
        #    same argument objects; a function that changes its inputs answers
        #    differently, and the grader sees it in its own process.

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
``call(name, args, kwargs, rng_seed, overrides, again) -> Call``, and
raises ``StudentError`` (the student's code raised, is missing or returned
non-plain data) or ``StudentTimeout`` (a limit tripped).
"""
import copy
from typing import Any, NamedTuple

import numpy as np

from .checks import StudentError
from .plain import NotPlain, to_plain


class Call(NamedTuple):
    value: Any                  # the plain return value
    again: Any = None           # with again=True: the value of a second call on the
                                # same argument objects (RNG state put back first)
    args_after: Any = None      # with read_args=True: the positional arguments as the
                                # function left them.  An ANSWER to check (train_step
                                # updates its parameters in place), never a proof that
                                # inputs were left alone: that is expect_inputs_kept's job


class StudentFunction:
    """One graded function of a submission, by name."""

    def __init__(self, backend, name):
        self.backend = backend
        self.name = name

    def call(self, args=(), kwargs=None, rng_seed=None, overrides=None, again=None,
             read_args=False):
        """Run the function on copies of ``args``/``kwargs``; returns a Call.

        again: call it a second time on the same (possibly changed) argument
        objects and return that value as ``Call.again``.  ``True``: the same
        arguments, numpy's RNG put back as before the first call.  A dict
        ``{position or keyword: new plain value, "rng_seed": seed}`` replaces
        those arguments (and reseeds) for the second call and keeps every
        other argument object: the grader then checks the second answer
        against the reference on the original objects, so neither a changed
        input nor a replayed first answer can pass.  Both answers are checked
        in the grader's process."""
        spec = again_spec(again)
        if read_args:
            return self.backend.call(self.name, tuple(args), dict(kwargs or {}), rng_seed,
                                     dict(overrides or {}), spec, read_args=True)
        return self.backend.call(self.name, tuple(args), dict(kwargs or {}), rng_seed,
                                 dict(overrides or {}), spec)

    def __call__(self, *args, **kwargs):
        return self.call(args, kwargs).value

    def __repr__(self):
        return f"<student function {self.name}>"


def again_spec(again):
    """``again`` as {"args": {i: v}, "kwargs": {k: v}, "rng_seed": seed or None}, or None."""
    if not again:
        return None
    spec = {"args": {}, "kwargs": {}, "rng_seed": None}
    for key, value in ({} if again is True else dict(again)).items():
        if key == "rng_seed":
            spec["rng_seed"] = value
        elif type(key) is int:
            spec["args"][key] = value
        else:
            spec["kwargs"][key] = value
    return spec


def second_arguments(args, kwargs, spec):
    """The argument objects of the second call: replaced ones new, the rest the same."""
    args = [spec["args"][i] if i in spec["args"] else a for i, a in enumerate(args)]
    return args, dict(kwargs, **spec["kwargs"])


class Submission:
    """The graded functions of one submission: ``submission.<function name>``,
    and ``submission.pipeline`` (no graded function may be called that)."""

    def __init__(self, backend):
        self._backend = backend

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return StudentFunction(self._backend, name)

    def pipeline(self, inputs, steps):
        """Run several of the student's functions in a row on shared objects,
        as the notebook's own code uses them; returns each step's result as
        plain data, taken right after that step.

        inputs: tuple of plain values, made into objects once.
        steps:  [(function name, [arg...], {name: arg})]; an arg is
                ("input", i), ("result", j) (the object step j returned),
                ("result", j, k) (item k of it) or ("value", plain value).
        A function that changes what it was given (zeroes the caller's
        parameters, returns one dict as both v and s) shows it in what a later
        step computes, and the grader checks that in its own process.
        """
        return self._backend.pipeline(tuple(inputs), [(n, list(a), dict(k)) for n, a, k in steps])


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

    def call(self, name, args, kwargs, rng_seed, overrides=None, again=None, read_args=False):
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
        state = np.random.get_state()
        values, after = [], None
        try:
            for turn in range(2 if again else 1):
                if turn:
                    args, kwargs = second_arguments(args, kwargs, copy.deepcopy(again))
                    if again["rng_seed"] is not None:
                        np.random.seed(again["rng_seed"])
                    else:
                        np.random.set_state(state)
                value = fn(*args, **kwargs)
                try:
                    values.append(to_plain(value, f"{name}'s return value"))
                    if read_args and not turn:
                        after = to_plain(tuple(args), f"{name}'s arguments after the call")
                except NotPlain as exc:
                    raise StudentError(str(exc)) from None
        except (KeyboardInterrupt, SystemExit) as exc:
            raise StudentError(f"{name} {describe_exception(exc)}") from None
        except StudentError:
            raise
        except Exception as exc:  # noqa: BLE001 - any student error is reported
            raise StudentError(f"{name} {describe_exception(exc)}") from exc
        finally:
            for k in overrides or {}:
                if k in saved:
                    scope[k] = saved[k]
                else:
                    scope.pop(k, None)
        return Call(values[0], values[1] if again else None, after)


    def pipeline(self, inputs, steps):
        objects = {"input": list(copy.deepcopy(inputs)), "result": []}
        out = []
        for name, args, kwargs in steps:
            fn = self.namespace.get(name)
            if not callable(fn):
                raise StudentError(f"{name} is not defined" if fn is None
                                   else f"{name} is {type(fn).__name__}, not a function")
            try:
                value = fn(*[resolve_arg(a, objects) for a in args],
                           **{k: resolve_arg(a, objects) for k, a in kwargs.items()})
            except (KeyboardInterrupt, SystemExit) as exc:
                raise StudentError(f"{name} {describe_exception(exc)}") from None
            except Exception as exc:  # noqa: BLE001 - any student error is reported
                raise StudentError(f"{name} {describe_exception(exc)}") from exc
            objects["result"].append(value)
            try:
                out.append(to_plain(value, f"{name}'s return value"))
            except NotPlain as exc:
                raise StudentError(str(exc)) from None
        return out


def resolve_arg(spec, objects):
    """A pipeline argument (see Submission.pipeline) -> the object it names."""
    kind = spec[0]
    if kind == "value":
        return spec[1]
    target = objects[kind][spec[1]]
    if len(spec) == 3:
        try:
            target = target[spec[2]]
        except (TypeError, IndexError, KeyError):
            raise StudentError(f"a result has no item {spec[2]!r}") from None
    return target


def local_submission(namespace):
    """A Submission over functions in ``namespace`` (dict), run in process."""
    return Submission(LocalBackend(namespace))
