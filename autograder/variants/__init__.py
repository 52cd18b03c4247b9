"""Realistic wrong answers (mutants) and correct answers written differently.

Each ``autograder/variants/<assignment>.py`` defines ``VARIANTS``: a list made with
``wrong(...)`` and ``right(...)``.  A variant's ``source`` defines the graded
function; it is run in a namespace holding the reference module's names (so it
can call the same helpers a student's notebook imports: ``relu``,
``sigmoid``, ``np``...), replacing the reference's version of that function.

They ship in the package because ``diagnose`` names a student's bug by
matching it with a wrong variant.  tests/test_mutants.py grades every variant
with the hidden graders:
- ``wrong``: scored below full marks for its function, and one failing
  message contains ``expect`` (case-insensitive): the message names the problem.
- ``right``: full marks for its function.
- ``wrong(..., pending=reason)``: a bug the graders are written to catch but
  cannot see until something outside them changes (``reason`` says what);
  tests/test_mutants.py marks it an expected failure (strict: once it is
  caught, the mark must go).

``define(variant, namespace)`` is the one way the kit's tests put a variant in
a namespace.  A wrong variant runs with numpy's floating-point warnings and
RuntimeWarnings off:
its NaN or inf (a wrong Adam dividing by 0) is the bug under test, and the
graders say so; a right variant keeps them, so a warning means something.
"""
import textwrap
import types
import warnings
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Variant:
    name: str            # what the variant does, e.g. "He factor uses n[l] not n[l-1]"
    function: str        # the graded function it replaces
    source: str          # Python source defining that function
    expect: str | None   # substring of a failing message; None for a right answer
    pending: str | None = None  # why the graders cannot see this bug yet (an expected failure)


def wrong(function, name, expect, source, pending=None):
    return Variant(name, function, textwrap.dedent(source), expect, pending)


def right(function, name, source):
    return Variant(name, function, textwrap.dedent(source), None)


def _quiet(fn):
    errstate = np.errstate      # closures, not globals: see define()
    catch_warnings, simplefilter = warnings.catch_warnings, warnings.simplefilter

    def quiet(*args, **kwargs):
        # numpy's floating-point warnings, and the RuntimeWarnings numpy raises
        # with warnings.warn (np.var with ddof=1 on one example)
        with errstate(all="ignore"), catch_warnings():
            simplefilter("ignore", RuntimeWarning)
            return fn(*args, **kwargs)
    return quiet


def define(variant, namespace):
    """Run ``variant.source`` in ``namespace`` (a dict holding the reference's
    names) and return it.  A wrong variant's function is wrapped to run
    without numpy's floating-point warnings; the wrapper's globals are
    ``namespace``, where the graders' overrides (probes) are bound."""
    exec(compile(variant.source, f"<variant {variant.name}>", "exec"), namespace)
    if variant.expect is not None:
        wrapper = _quiet(namespace[variant.function])
        namespace[variant.function] = types.FunctionType(
            wrapper.__code__, namespace, variant.function, None, wrapper.__closure__)
    return namespace
