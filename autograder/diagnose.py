"""Name the bug: match a failing answer with the kit's known wrong variants.

While the graders run, ``Recorder`` (a backend wrapper) keeps every call the
graders made of the student's functions: the grader's inputs (trusted, made
by the grader), the seed, the probes, and what came back (plain data, already
checked by the backend).  When a function fails, ``name_the_bug`` replays
those calls, in this process, on each wrong variant of that function
(``autograder/variants/<id>.py``: our own code, run beside the reference's
helpers) and compares outputs and arguments-after-the-call:

- exactly one wrong variant matches every replayed call -> its name, said to
  the student ("your answer behaves like ...");
- none, several, or the reference / a right variant also matches (the outputs
  seen were right) -> ``None``: no diagnosis rather than a guess.

Calls made without a seed are replayed only when the reference gives the same
result under two different global seeds (the function does not draw random
numbers there), since the student's generator state is unknown.  numpy's
global generator is saved and restored around every replay.
"""
import contextlib
import copy
import functools
import importlib
import io
import warnings
from typing import NamedTuple

import numpy as np

from .checks import StudentError, StudentTimeout
from .student import LocalBackend

# Replayed calls per function (the first ones the graders made).  4 names 196
# of the 218 wrong variants, 8 names 198 at twice the cost (gradient_check_n:
# 0.4 s instead of 0.8 s a failing submission, measured on two loaded cores).
MAX_CALLS = 4
# Outputs of two implementations of the same formula differ by rounding only
# (float64, a few dozen operations): 1e-7 relative is far above that and far
# below what any variant changes (a factor, a term, a mask).
MATCH_RTOL = 1e-7
MATCH_ATOL = 1e-12


class Recorded(NamedTuple):
    name: str
    args: tuple
    kwargs: dict
    rng_seed: object
    overrides: dict
    again: object       # the second-call spec (student.again_spec) or None
    result: object      # the student's Call(value, again)


class Recorder:
    """A backend that forwards to ``inner`` and keeps the first MAX_CALLS
    successful calls of each function."""

    def __init__(self, inner):
        self.inner = inner
        self.calls = {}

    def call(self, name, args, kwargs, rng_seed, overrides=None, again=None, **more):
        kept = self.calls.setdefault(name, [])
        before = (copy.deepcopy(args), copy.deepcopy(kwargs)) if len(kept) < MAX_CALLS else None
        result = self.inner.call(name, args, kwargs, rng_seed, overrides, again, **more)
        if before is not None:
            kept.append(Recorded(name, before[0], before[1], rng_seed, dict(overrides or {}),
                                 copy.deepcopy(again), result))
        return result

    def __getattr__(self, attr):          # cell_errors, close... of the wrapped backend
        return getattr(self.inner, attr)


def same(a, b):
    """Plain values equal up to rounding (lists and tuples alike)."""
    if isinstance(a, dict) or isinstance(b, dict):
        return (isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys()
                and all(same(a[k], b[k]) for k in a))
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple))
                and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b)))
    if a is None or b is None or isinstance(a, str) or isinstance(b, str):
        return a == b
    if isinstance(a, np.ndarray) != isinstance(b, np.ndarray):
        return False
    x, y = np.asarray(a), np.asarray(b)
    if x.shape != y.shape or (x.dtype.kind == "b") != (y.dtype.kind == "b"):
        return False
    try:
        x, y = x.astype(float), y.astype(float)
        return bool(np.allclose(x, y, rtol=MATCH_RTOL, atol=MATCH_ATOL, equal_nan=True))
    except (TypeError, ValueError, OverflowError):     # e.g. an int past float64's range
        return False


@functools.lru_cache(maxsize=None)
def _catalogue(assignment):
    try:
        return importlib.import_module(f"autograder.variants.{assignment}").VARIANTS
    except ModuleNotFoundError:
        return []


def _backend(assignment, source):
    """A LocalBackend over the reference's names, with ``source`` (a
    variant's definition) run on top; None for the reference itself."""
    namespace = dict(vars(importlib.import_module(f"autograder.reference.{assignment}")))
    if source is not None:
        exec(compile(source, "<variant>", "exec"), namespace)
    return LocalBackend(namespace)


def _replay(backend, call, seed):
    """The variant's Call on the recorded inputs (None if it raised).  Its
    prints and warnings are swallowed: the student sees only the diagnosis."""
    state = np.random.get_state()
    sink = io.StringIO()
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"), \
                contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            warnings.simplefilter("ignore")
            return backend.call(call.name, copy.deepcopy(call.args),
                                copy.deepcopy(call.kwargs), seed, call.overrides,
                                copy.deepcopy(call.again))
    except (StudentError, StudentTimeout):
        return None
    finally:
        np.random.set_state(state)


def _matches(backend, calls):
    for call in calls:
        got = _replay(backend, call, call.rng_seed)
        if got is None or not (same(got.value, call.result.value)
                               and same(got.again, call.result.again)):
            return False
    return True


def replayable(assignment, calls):
    """The recorded calls a replay can reproduce: seeded ones, and unseeded
    ones on which the reference does not depend on the global generator."""
    reference = _backend(assignment, None)
    kept = []
    for call in calls:
        if call.rng_seed is not None:
            kept.append(call)
            continue
        a, b = _replay(reference, call, 12345), _replay(reference, call, 54321)
        if a is not None and b is not None and same(a.value, b.value):
            kept.append(call)
    return kept


def name_the_bug(assignment, function, calls, catalogue=None):
    """The name of the one wrong variant of ``function`` that reproduces every
    recorded call, or None (see module docstring).  ``catalogue`` defaults to
    autograder/variants/<assignment>.py's VARIANTS."""
    variants = [v for v in (_catalogue(assignment) if catalogue is None else catalogue)
                if v.function == function]
    calls = replayable(assignment, [c for c in calls if c.name == function])
    if not calls or not variants:
        return None
    if _matches(_backend(assignment, None), calls):
        return None                   # right outputs on everything seen
    found = []
    for v in variants:
        try:
            backend = _backend(assignment, v.source)
        except Exception:  # noqa: BLE001 - a broken catalogue entry names nothing
            continue
        if _matches(backend, calls):
            if v.expect is None:      # a right answer matches: the outputs seen are right
                return None
            found.append(v.name)
            if len(found) > 1:
                return None
    return found[0] if found else None


def sentence(bug):
    """What the student reads for a diagnosed bug."""
    return (f"Likely bug: on every input the graders tried, your function gives exactly "
            f"what this known mistake gives: {bug}.")


def recorded_calls(assignment, namespace, function):
    """Grade ``function`` in ``namespace`` (a dict of Python objects: the
    reference with one variant swapped in) and return the calls the graders
    made, as ``run_tests`` records them."""
    from .grading import run_tests
    from .student import Submission
    recorder = Recorder(LocalBackend(namespace))
    sink = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(sink), \
            contextlib.redirect_stderr(sink):
        warnings.simplefilter("ignore")
        run_tests(assignment, Submission(recorder), function=function, diagnose=False)
    return recorder.calls.get(function, [])


def evaluate(assignment, leave_one_out=False):
    """[(variant, named)] for every variant of the assignment's catalogue:
    what ``name_the_bug`` says when that variant is the student's answer,
    asked whether or not the answer failed (so right variants are tried too).
    leave_one_out: the variant itself is taken out of the catalogue first
    (the student's bug is not a known one: anything named is then wrong,
    unless the named variant computes the very same thing)."""
    reference = importlib.import_module(f"autograder.reference.{assignment}")
    catalogue = _catalogue(assignment)
    out = []
    for v in catalogue:
        namespace = dict(vars(reference))
        exec(compile(v.source, f"<variant {v.name}>", "exec"), namespace)
        calls = recorded_calls(assignment, namespace, v.function)
        known = [w for w in catalogue if w is not v] if leave_one_out else catalogue
        out.append((v, name_the_bug(assignment, v.function, calls, known)))
    return out
