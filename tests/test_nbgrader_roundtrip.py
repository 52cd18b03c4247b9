"""Stock nbgrader, end to end, in a throwaway course: generate_assignment ->
submit -> autograde (out of process: nbgrader_ext/autograde.py) -> generate_feedback.

One course holds every case (every assignment of source/ that has graders,
and a one-function assignment "tiny" whose notebook is initialization.ipynb:
the kit grades it by the notebook's name), and each nbgrader step runs once
for all of them (nbgrader's assignment id "*"); then one test per case.
Scores: the reference answers get full marks, the release stubs 0, a sample
with one bug exactly what the graders give that bug in process with the
submission's salt (the CLI's total), and a notebook that cheats the way the
in-kernel graders were beaten (frame walking to the grader, a sys.meta_path
finder, numpy patched) 0 for the cheating function and full marks for the
honest ones.  The feedback page shows what a student should
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
from autograder.nbgrader_ext.course import (assignment_ids, copy_folder, make_course, repo_root,
                                            run_nbgrader)
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


TINY = "tiny"   # nbgrader's id of the one-function assignment; its notebook is initialization.ipynb
CASES = [TINY] + REAL


def notebook_of(case):
    """The nbgrader notebook id of ``case``, which is also the kit's assignment id."""
    return "initialization" if case == TINY else case


def submit(course, case, scratch):
    """submitted/<student>/<case>/: the correct sample, one bug sample, the
    release stub and, for initialization, the cheat.  Returns the samples'
    index entries by student."""
    notebook = notebook_of(case)
    work = course
    if case == TINY:
        # build_samples reads source/<id>/<id>.ipynb: the tiny notebook under the kit's id
        work = scratch
        copy_folder(course / "release" / TINY, work / "release" / notebook)
    index = build_samples(work, notebook, work)
    samples = {k.split("/")[0]: v for k, v in index.items()}
    bug = next((s for s in samples if s != "correct"), None)
    assert bug is not None, f"no bug sample for {case}"
    for student in ("correct", bug):
        shutil.copytree(work / "samples" / student / notebook, course / "submitted" / student / case)
    shutil.copytree(course / "release" / case, course / "submitted" / "stub" / case)
    if notebook == "initialization":
        submit_cheat(course, case)
    return samples


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """(course folder, {case: its samples' index entries by student}): one
    throwaway course holding every case (the tiny assignment beside the real
    ones), taken through each nbgrader step once for all of them."""
    root = tmp_path_factory.mktemp("nbgrader")
    course = make_course(root / "course", ROOT, REAL)
    copy_folder(make_tiny_source(root / "tiny"), course / "source" / TINY)
    run_nbgrader(course, "generate_assignment", "*", "--force")
    samples = {case: submit(course, case, root / "tiny") for case in CASES}
    run_nbgrader(course, "autograde", "*")
    run_nbgrader(course, "generate_feedback", "*")
    return course, samples


def bug_score(course, case, student, entry, graded_functions):
    """Full marks minus what the sample's bug loses, graded in process with the
    salt of the submitted file (the CLI's)."""
    assignment = notebook_of(case)
    full = sum(max_points(assignment, f) for f in graded_functions)
    variant = next(v for v in catalogue(ROOT, assignment) if v.name == entry["bug"]
                   and v.function == entry["function"])
    submitted = course / "submitted" / student / case / f"{assignment}.ipynb"
    salt = secret.inputs_salt(secret.course_secret(course), submitted.read_bytes())
    namespace = dict(vars(importlib.import_module(f"autograder.reference.{assignment}")))
    exec(compile(variant.source, variant.name, "exec"), namespace)
    got, out_of = total(run_tests(assignment, local_submission(namespace), variant.function, salt=salt))
    return full - (out_of - got)


def submit_cheat(course, case):
    """submitted/cheat/: the correct sample with CHEATED's answer replaced by CHEAT."""
    folder = course / "submitted" / "cheat" / case
    shutil.copytree(course / "submitted" / "correct" / case, folder)
    path = folder / f"{notebook_of(case)}.ipynb"
    nb = notebooks.read(path)
    [cell] = [c for c in nb.cells if notebooks.is_answer(c) and notebooks.grade_id(c) == CHEATED]
    cell.source = CHEAT
    notebooks.write(nb, path)


@pytest.mark.nbgrader
@pytest.mark.parametrize("case", CASES)
def test_generate_autograde_feedback(case, course):
    course, samples = course
    samples, assignment = samples[case], notebook_of(case)
    bug = next(s for s in samples if s != "correct")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        notebook = gb.find_notebook(assignment, case)
        functions = [c.name.removeprefix("test_") for c in notebook.grade_cells if c.name.startswith("test_")]
        students = [s.student.id for s in gb.assignment_submissions(case)]
        scores = {s: gb.find_submission(case, s).score for s in students}
        cheat_cells = {g.name.removeprefix("test_"): g.score for g in
                       gb.find_submission_notebook(assignment, case, "cheat").grades} \
            if "cheat" in students else {}
    full = sum(max_points(assignment, f) for f in functions)
    want = {"correct": full, bug: bug_score(course, case, bug, samples[bug], functions), "stub": 0.0}
    if assignment == "initialization":
        assert cheat_cells, f"the cheat was not graded in {case}"
        want["cheat"] = full - max_points(assignment, CHEATED)
        assert cheat_cells[CHEATED] == 0 and all(cheat_cells[f] == max_points(assignment, f)
                                                 for f in functions if f != CHEATED)
    assert scores == want
    assert 0 < want[bug] < full

    for student in scores:
        page = (course / "feedback" / student / case / f"{assignment}.html").read_text()
        check_feedback_page(page, student, functions, course)
    bug_page = (course / "feedback" / bug / case / f"{assignment}.html").read_text()
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
