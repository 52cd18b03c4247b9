"""The registry of assignments is the one place that says what exists."""
import io
import tomllib

import pytest

from autograder import assignments, progress
from autograder import grading
from autograder.nbgrader_ext.course import assignment_ids, repo_root


def test_every_grader_module_with_a_reference_is_an_assignment():
    graders = {p.stem for p in (assignments.PACKAGE / "graders").glob("*.py")
               if not p.stem.startswith("_") and p.stem != "conftest"}
    references = {p.stem for p in (assignments.PACKAGE / "reference").glob("*.py")
                  if not p.stem.startswith("_")}
    assert assignments.ids() == sorted(graders & references) and assignments.ids()


@pytest.mark.parametrize("assignment", assignments.ids())
def test_functions_and_points_come_from_the_graded_declarations(assignment):
    a = assignments.get(assignment)
    declared = {}
    for test in grading.tests_of(a.graders):
        declared[test.grading.function] = declared.get(test.grading.function, 0) + test.grading.points
    assert a.functions == declared and all(p > 0 for p in declared.values())
    assert a.max_points == sum(declared.values())
    assert a.files is not None and (a.files / f"{assignment}.ipynb").is_file()


def test_unknown_ids_say_what_exists():
    with pytest.raises(assignments.UnknownAssignment, match="known: .*initialization"):
        assignments.get("bogus")


def test_the_course_and_pytest_ask_the_registry():
    assert repo_root() == assignments.ROOT
    assert assignment_ids() == assignment_ids(assignments.ROOT) == [
        a for a in assignments.ids() if assignments.get(a).notebook().is_file()]
    config = tomllib.loads((assignments.ROOT / "pyproject.toml").read_text())
    python_files = config["tool"]["pytest"]["ini_options"]["python_files"]
    assert not [f for f in python_files if f.removesuffix(".py") in assignments.ids()]


def test_progress_lines_when_not_a_terminal_and_the_summary():
    out = io.StringIO()
    bar = progress.Progress(2, out)
    bar.update({"submission": "a\n\x1b[2Jb.ipynb", "score": 3.0, "max_score": 4.0, "tests": []})
    bar.update({"submission": "c.ipynb", "score": 0.0, "max_score": 4.0, "tests": [],
                "error": "not valid JSON"}, reused=False)
    bar.close()
    lines = out.getvalue().splitlines()
    assert lines == ["[1/2] graded a ?[2Jb.ipynb: 3/4", "[2/2] not graded c.ipynb: 0/4"]
    summary = progress.summary([{"submission": "x", "score": 1, "max_score": 1},
                                {"submission": "c.ipynb", "error": "not valid JSON"}], 0, 2.0)
    assert summary[0] == "2 submission(s) in 2.0 s: 1 graded, 0 kept from an earlier run, 1 could not be graded"
    assert summary[1] == "  not graded: c.ipynb: not valid JSON"


def test_progress_bar_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True
    out = Terminal()
    bar = progress.Progress(3, out)
    bar.update({"submission": "a", "score": 1.0, "max_score": 1.0, "tests": []})
    bar.close()
    assert "1/3" in out.getvalue() and "not graded 0" in out.getvalue()
