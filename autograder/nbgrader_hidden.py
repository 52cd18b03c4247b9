"""Hidden graders run inside the student's kernel: the nbgrader path.

A test cell's hidden block calls::

    from autograder.nbgrader_hidden import grade_function
    grade_function("<assignment>", "<function>", globals())

``grade_function`` runs the graders of that function (autograder.grading)
against the functions in the notebook's globals, prints one line per test
(name, points, message), publishes the score as the cell's result, and raises
``GradingFailed`` (an AssertionError listing the failures) if any test failed.

Scoring: partial credit.  The score is published through IPython's display
hook (an ``execute_result``, which nbgrader reads as the cell's partial
credit) before the error is raised, so nbgrader's score for a function is the
sum of the points of its graders that passed -- the same sum the CLI reports
(``grading.total``).  The kit's autograde executor (nbgrader_ext.execute) runs
the hidden block even when the visible check before it fails.

Hardening, as far as it goes in process (the CLI, out of process, is the path
for grades that count):
- the kit's modules are imported afresh from disk for every call, so a
  notebook that patched ``autograder.checks`` or ``autograder.grading`` grades
  with the real ones;
- numpy, math, copy and builtins are compared against fingerprints taken in a
  fresh interpreter; if the notebook replaced any of their functions (or a
  function's code or defaults), grading is refused with score 0;
- students' values cross as plain data (plain.py): no ndarray subclasses or
  objects with their own ``__eq__``;
- numpy warnings and anything the student's code writes to stdout/stderr
  while graded are swallowed (nbgrader scores 0 a cell that writes to stderr);
- tracebacks never quote grader source: the exceptions render as one message.
It does not stop a notebook that replaces this machinery itself (entries of
``sys.modules``, IPython's display hook, the kernel), edits files on disk,
or reads the graders' source from the installed package.
"""
import contextlib
import hashlib
import importlib
import io
import json
import subprocess
import sys
import types
import warnings

# Modules whose functions the graders rely on.  Every numpy submodule the
# fresh interpreter loads while importing these is watched too.
WATCHED_MODULES = ("builtins", "copy", "math", "numpy", "numpy.linalg", "numpy.random",
                   "numpy.testing")
# Builtins that ipykernel legitimately replaces in a kernel (measured).
KERNEL_BUILTINS = {"exit", "quit", "input"}
KEPT_DUNDERS = {"__import__", "__build_class__"}
# Reading numpy's fingerprints in a fresh interpreter takes ~0.3 s; a minute
# means something is badly wrong.
FINGERPRINT_TIMEOUT_S = 60
MAX_REPORTED = 5


class GradingFailed(AssertionError):
    """Some hidden tests failed; the message lists them.  Rendered without a
    traceback, so nothing of the graders' source is quoted."""

    def _render_traceback_(self):
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}"]


class GradingRefused(GradingFailed):
    """The notebook changed functions the graders rely on: not graded."""


def _code_digest(code):
    """A digest of a code object that is the same in every process."""
    def const(c):
        if isinstance(c, types.CodeType):
            return _code_digest(c)
        if isinstance(c, frozenset):
            return sorted(repr(x) for x in c)
        return repr(c)
    text = repr((code.co_code.hex(), code.co_names, code.co_varnames, [const(c) for c in code.co_consts]))
    return hashlib.sha256(text.encode()).hexdigest()


def _identity(obj):
    """Type and names of an object (numbers and strings by value): no addresses."""
    kind = type(obj)
    parts = [kind.__module__, kind.__qualname__]
    if obj is None or kind in (bool, int, float, complex, str):
        parts.append(repr(obj))
    elif isinstance(obj, types.ModuleType):
        parts.append(obj.__name__)
    elif callable(obj):
        parts += [str(getattr(obj, "__module__", "")), str(getattr(obj, "__qualname__", ""))]
    return parts


def _fingerprint(obj):
    """What identifies an object across processes: its identity and, for
    Python functions (also those wrapped by numpy's dispatchers), their code
    and defaults."""
    parts = _identity(obj)
    if callable(obj) and not isinstance(obj, types.ModuleType):
        for inner in (obj, getattr(obj, "_implementation", None), getattr(obj, "__wrapped__", None),
                      getattr(obj, "__func__", None)):
            code = getattr(inner, "__code__", None)
            if isinstance(code, types.CodeType):
                kwdefaults = getattr(inner, "__kwdefaults__", None) or {}
                parts += [_code_digest(code),
                          [_identity(d) for d in getattr(inner, "__defaults__", None) or ()],
                          sorted((k, _identity(v)) for k, v in kwdefaults.items())]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _watched_names(module):
    names = sorted(vars(module))
    if module.__name__ == "builtins":
        return [n for n in names if n not in KERNEL_BUILTINS
                and (not n.startswith("__") or n in KEPT_DUNDERS)]
    return [n for n in names if not n.startswith("__")]


def fingerprints(modules=None):
    """{"module.name": digest} for every watched module attribute.

    modules: module names, default WATCHED_MODULES plus the numpy submodules
    loaded after importing them.
    """
    if modules is None:
        for name in WATCHED_MODULES:
            importlib.import_module(name)
        modules = sorted(set(WATCHED_MODULES) | {m for m in sys.modules if m.startswith("numpy.")})
    found = {}
    loaded = [importlib.import_module(name) for name in modules]
    for name, module in zip(modules, loaded):
        for attr in _watched_names(module):
            found[f"{name}.{attr}"] = _fingerprint(vars(module)[attr])
    return found


def fresh_fingerprints():
    """fingerprints() as computed by a fresh interpreter (this one's executable)."""
    code = "import json, autograder.nbgrader_hidden as h; print(json.dumps(h.fingerprints()))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=FINGERPRINT_TIMEOUT_S, check=True)
    return json.loads(done.stdout)


_expected = {}


def tampered():
    """Names of watched functions this process changed (empty if none).

    The fresh interpreter's fingerprints are read once per kernel (~0.5 s)
    and kept: they do not change, and a notebook able to overwrite the kept
    copy could as well replace this module (see the module docstring).
    """
    if not _expected:
        _expected.update(fresh_fingerprints())
    expected = _expected
    modules = sorted({key.rsplit(".", 1)[0] for key in expected})
    actual = fingerprints(modules)
    return sorted(k for k, v in expected.items() if actual.get(k) != v)


@contextlib.contextmanager
def fresh_kit():
    """Import the kit's modules afresh from disk for the duration of the block
    (whatever the notebook did to the loaded ones), then put the loaded ones back."""
    loaded = {n: sys.modules.pop(n) for n in list(sys.modules)
              if n == "autograder" or n.startswith("autograder.")}
    try:
        yield importlib.import_module("autograder.grading"), importlib.import_module("autograder.student")
    finally:
        for n in [n for n in sys.modules if n == "autograder" or n.startswith("autograder.")]:
            del sys.modules[n]
        sys.modules.update(loaded)


@contextlib.contextmanager
def quiet():
    """No warnings and no stdout/stderr from the student's code while graded."""
    import numpy as np
    with warnings.catch_warnings(), np.errstate(all="ignore"), \
            contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def grade(assignment, function, namespace):
    """Run the graders of ``function``: (results, (score, max_score), tampered names).

    results: list of grading.TestResult (empty when refused).
    """
    try:
        problems = tampered()
    except Exception as exc:  # noqa: BLE001 - a broken interpreter is refused, not trusted
        problems = [f"the check itself failed: {type(exc).__name__}"]
    if problems:
        return [], (0.0, 0.0), problems
    with fresh_kit() as (grading, student), quiet():
        results = grading.run_tests(assignment, student.local_submission(namespace), function)
        return results, grading.total(results), []


def report(function, results, totals):
    """The lines printed under the cell: a summary, then one line per test."""
    lines = [f"Hidden tests of {function}: {totals[0]:g} / {totals[1]:g} points"]
    for r in results:
        mark = "passed" if r.status == "passed" else r.status.upper()
        lines.append(f"  {mark:7} {r.name} ({r.score:g}/{r.max_score:g})"
                     + (f": {r.message}" if r.message else ""))
    return lines


def _publish(score):
    """Make ``score`` the cell's result (nbgrader's partial credit), in IPython."""
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    if shell is not None:
        shell.displayhook(float(score))


def grade_function(assignment, function, namespace):
    """Grade one function of a notebook in this kernel (see module docstring).

    namespace: the notebook's globals().  Prints the results, publishes the
    score, and raises GradingFailed/GradingRefused unless every test passed.
    """
    results, totals, problems = grade(assignment, function, namespace)
    if problems:
        shown = ", ".join(problems[:MAX_REPORTED]) + (" ..." if len(problems) > MAX_REPORTED else "")
        message = (f"{function} not graded: the notebook replaced functions the graders rely on "
                   f"({shown}). Restart the kernel, remove the code that changes them, and run all.")
    elif not results:
        message = f"{function} not graded: {assignment} has no hidden tests for it"
    else:
        print("\n".join(report(function, results, totals)))
        _publish(totals[0])
        failed = [r for r in results if r.status != "passed"]
        if failed:
            raise GradingFailed("\n".join(f"{r.name}: {r.message}" for r in failed))
        return
    print(message)
    _publish(0)
    raise GradingRefused(message)
