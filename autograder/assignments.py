"""The one registry of assignments: what exists, and where each part lives.

An assignment ``<id>`` is a hidden grader module ``autograder/graders/<id>.py``
(its ``@graded`` tests declare the graded functions and their points) with a
trusted ``autograder/reference/<id>.py``; its student-visible files are
``release/<id>/`` once built, else ``source/<id>/``.  Adding an assignment
means adding those files and nothing else: every entry point (the CLI, the
demo, the build, the benches, the tests) asks this module.

    for a in assignments.all_assignments():
        a.id, a.functions          # {"initialize_parameters_he": 6.0, ...}
    assignments.get("regularization").max_points

``ROOT`` is the course directory (the repository holding the kit): the one
place it is found.
"""
import functools
import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent          # autograder/
ROOT = PACKAGE.parent                               # the course directory


class UnknownAssignment(KeyError):
    """No grader module of that id."""

    def __str__(self):
        return f"unknown assignment {self.args[0]!r} (known: {', '.join(ids())})"


@dataclass(frozen=True)
class Assignment:
    id: str

    @property
    def graders(self):
        """The hidden grader module, autograder.graders.<id>."""
        return importlib.import_module(f"autograder.graders.{self.id}")

    @property
    def reference(self):
        """The trusted implementations, autograder.reference.<id>."""
        return importlib.import_module(f"autograder.reference.{self.id}")

    def tests(self, function=None):
        """The graded tests in file order, optionally of one function."""
        from .grading import tests_of
        return tests_of(self.graders, function)

    @property
    def functions(self):
        """{graded function: its points}, in grader order (from the @graded declarations)."""
        return _functions(self.id)

    @property
    def max_points(self):
        return sum(self.functions.values())

    @property
    def files(self):
        """The folder of student-visible files: release/<id>/ if built, else
        source/<id>/ (None if neither)."""
        for kind in ("release", "source"):
            folder = ROOT / kind / self.id
            if folder.is_dir():
                return folder
        return None

    def notebook(self, kind="source"):
        """``ROOT``/<kind>/<id>/<id>.ipynb (kind: source, release, solutions)."""
        return ROOT / kind / self.id / f"{self.id}.ipynb"


@functools.lru_cache(maxsize=None)
def _functions(assignment):
    points = {}
    for test in Assignment(assignment).tests():
        g = test.grading
        points[g.function] = points.get(g.function, 0.0) + g.points
    return points


@functools.lru_cache(maxsize=1)
def _ids():
    from . import graders, reference
    have_reference = {m.name for m in pkgutil.iter_modules(reference.__path__)}
    return tuple(sorted(m.name for m in pkgutil.iter_modules(graders.__path__)
                        if not m.name.startswith("_") and m.name != "conftest"
                        and m.name in have_reference))


def ids():
    """Every assignment id, sorted."""
    return list(_ids())


def all_assignments():
    return [Assignment(i) for i in _ids()]


def get(assignment):
    """The Assignment of an id; raises UnknownAssignment."""
    if assignment not in _ids():
        raise UnknownAssignment(assignment)
    return Assignment(assignment)
