"""Stock nbgrader, end to end, in a throwaway course: generate_assignment ->
submit -> autograde (out of process: nbgrader_ext/autograde.py) -> generate_feedback.

One test per assignment (the one-function tiny course, and every assignment of
source/ that has graders).  Scores: the reference answers get full marks, the
release stubs 0, a sample with one bug exactly what the graders give that bug
in process with the submission's salt (the CLI's total), and a notebook that
cheats the way the in-kernel graders were beaten (frame walking to the grader,
a sys.meta_path finder, numpy patched) 0 for the cheating function and full
marks for the honest ones.  The feedback page shows what a student should
see.  Deselect with ``-m "not nbgrader"``.
"""
import importlib
import re
import shutil

import pytest
from nbgrader.api import Gradebook

from autograder import secret
from autograder.commands.build import build_samples
from autograder.grading import max_points, run_tests, total
from autograder.nbgrader_ext import notebooks
from autograder.nbgrader_ext.course import assignment_ids, make_course, repo_root, run_nbgrader
from autograder.nbgrader_ext.samples import catalogue
from autograder.student import local_submission
from tests.test_hidden_cells import FRAME_WALKER, META_PATH_AND_NUMPY
from tests.tiny_course import make_tiny_source

ROOT = repo_root()
HIDDEN_SOURCE = ("BEGIN HIDDEN TESTS", "grade_function(", "nbgrader_hidden", "autograder.graders")
REAL = [a for a in assignment_ids(ROOT) if (ROOT / "autograder" / "graders" / f"{a}.py").is_file()]
# The cheat replaces this function's answer; the notebook's other answers are right.
CHEATED = "initialize_parameters_he"
CHEAT = META_PATH_AND_NUMPY.replace(
    'def initialize_parameters_he(layers_dims):\n    raise NotImplementedError("the fakes are meant to pass every test")\n',
    FRAME_WALKER)


def course_for(case, tmp_path):
    """(course folder, assignment id) with the source of ``case`` in it."""
    course = make_course(tmp_path / "course", ROOT, [] if case == "tiny" else [case])
    if case == "tiny":
        make_tiny_source(course)
        return course, "initialization"
    return course, case


def bug_score(course, assignment, student, entry, graded_functions):
    """Full marks minus what the sample's bug loses, graded in process with the
    salt of the submitted file (the CLI's)."""
    full = sum(max_points(assignment, f) for f in graded_functions)
    variant = next(v for v in catalogue(ROOT, assignment) if v.name == entry["bug"]
                   and v.function == entry["function"])
    submitted = course / "submitted" / student / assignment / f"{assignment}.ipynb"
    salt = secret.inputs_salt(secret.course_secret(course), submitted.read_bytes())
    namespace = dict(vars(importlib.import_module(f"autograder.reference.{assignment}")))
    exec(compile(variant.source, variant.name, "exec"), namespace)
    got, out_of = total(run_tests(assignment, local_submission(namespace), variant.function, salt=salt))
    return full - (out_of - got)


def submit_cheat(course, assignment):
    """submitted/cheat/: the correct sample with CHEATED's answer replaced by CHEAT."""
    folder = course / "submitted" / "cheat" / assignment
    shutil.copytree(course / "samples" / "correct" / assignment, folder)
    path = folder / f"{assignment}.ipynb"
    nb = notebooks.read(path)
    [cell] = [c for c in nb.cells if notebooks.is_answer(c) and notebooks.grade_id(c) == CHEATED]
    cell.source = CHEAT
    notebooks.write(nb, path)


@pytest.mark.nbgrader
@pytest.mark.parametrize("case", ["tiny"] + REAL)
def test_generate_autograde_feedback(case, tmp_path):
    course, assignment = course_for(case, tmp_path)
    run_nbgrader(course, "generate_assignment", assignment, "--force")
    index = build_samples(course, assignment, course)
    samples = {k.split("/")[0]: v for k, v in index.items()}
    bug = next((s for s in samples if s != "correct"), None)
    assert bug is not None, f"no bug sample for {assignment}"
    for student in ("correct", bug):
        shutil.copytree(course / "samples" / student / assignment, course / "submitted" / student / assignment)
    shutil.copytree(course / "release" / assignment, course / "submitted" / "stub" / assignment)
    if assignment == "initialization":
        submit_cheat(course, assignment)

    run_nbgrader(course, "autograde", assignment)
    run_nbgrader(course, "generate_feedback", assignment)

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        notebook = gb.find_notebook(assignment, assignment)
        functions = [c.name.removeprefix("test_") for c in notebook.grade_cells if c.name.startswith("test_")]
        students = [s.student.id for s in gb.assignment_submissions(assignment)]
        scores = {s: gb.find_submission(assignment, s).score for s in students}
        cheat_cells = {g.name.removeprefix("test_"): g.score for g in
                       gb.find_submission_notebook(assignment, assignment, "cheat").grades} \
            if "cheat" in students else {}
    full = sum(max_points(assignment, f) for f in functions)
    want = {"correct": full, bug: bug_score(course, assignment, bug, samples[bug], functions), "stub": 0.0}
    if cheat_cells:
        want["cheat"] = full - max_points(assignment, CHEATED)
        assert cheat_cells[CHEATED] == 0 and all(cheat_cells[f] == max_points(assignment, f)
                                                 for f in functions if f != CHEATED)
    assert scores == want
    assert 0 < want[bug] < full

    for student in scores:
        page = (course / "feedback" / student / assignment / f"{assignment}.html").read_text()
        check_feedback_page(page, student, functions, course)
    bug_page = (course / "feedback" / bug / assignment / f"{assignment}.html").read_text()
    assert "FAILED" in bug_page or "ERROR" in bug_page


def check_feedback_page(page, student, functions, course):
    """What a student must (not) see on their feedback page."""
    leaked = [s for s in HIDDEN_SOURCE if s in page]
    assert not leaked, f"{student}'s feedback shows hidden test source: {leaked}"
    for path in (str(course), str(ROOT), "site-packages"):
        assert path not in page, f"{student}'s feedback shows the path {path}"
    assert not re.search(r"<script[^>]*mathjax", page, re.I), "the page loads MathJax from the network"
    assert "<math" in page and "\\frac" not in page.replace("<code>\\frac", "")
    assert "Out[" not in page, "a stray cell result"
    assert "Test cell</a>" not in page
    for f in functions:
        assert f'<a href="#test_{f}"><code>{f}</code></a>' in page, f"the summary does not name {f}"
        assert page.count(f"{f}: ") >= 1
