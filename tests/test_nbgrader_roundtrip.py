"""Stock nbgrader, end to end, in a throwaway course: generate_assignment ->
submit -> autograde -> generate_feedback.

One test per assignment (the one-function tiny course, and every assignment of
source/ that has graders).  Scores: the reference answers get full marks, the
release stubs 0, and a sample with one bug exactly what the graders give that
bug in process -- the CLI's total.  Deselect with ``-m "not nbgrader"``.
"""
import re
import shutil

import pytest
from nbgrader.api import Gradebook

from autograder.commands.build import build_samples
from autograder.grading import max_points, total
from autograder.nbgrader_ext.course import assignment_ids, make_course, repo_root, run_nbgrader
from autograder.nbgrader_ext.samples import catalogue
from tests.test_mutants import grade_variant
from tests.tiny_course import make_tiny_source

ROOT = repo_root()
HIDDEN_SOURCE = ("BEGIN HIDDEN TESTS", "grade_function(", "nbgrader_hidden")
REAL = [a for a in assignment_ids(ROOT) if (ROOT / "autograder" / "graders" / f"{a}.py").is_file()]


def course_for(case, tmp_path):
    """(course folder, assignment id) with the source of ``case`` in it."""
    course = make_course(tmp_path / "course", ROOT, [] if case == "tiny" else [case])
    if case == "tiny":
        make_tiny_source(course)
        return course, "initialization"
    return course, case


def expected_score(assignment, index_entry, graded_functions):
    """Full marks minus what the sample's bug loses, graded in process."""
    full = sum(max_points(assignment, f) for f in graded_functions)
    if index_entry["function"] is None:
        return full
    variant = next(v for v in catalogue(ROOT, assignment) if v.name == index_entry["bug"]
                   and v.function == index_entry["function"])
    got, out_of = total(grade_variant(assignment, variant))
    return full - (out_of - got)


@pytest.mark.nbgrader
@pytest.mark.parametrize("case", ["tiny"] + REAL)
def test_generate_autograde_feedback(case, tmp_path):
    course, assignment = course_for(case, tmp_path)
    run_nbgrader(course, "generate_assignment", assignment, "--force")
    index = build_samples(course, assignment, course)
    samples = {k.split("/")[0]: v for k, v in index.items()}
    correct_and_one_bug = ["correct"] + [s for s in samples if s != "correct"][:1]
    assert len(correct_and_one_bug) == 2, f"no bug sample for {assignment}"
    for student in correct_and_one_bug:
        shutil.copytree(course / "samples" / student / assignment, course / "submitted" / student / assignment)
    shutil.copytree(course / "release" / assignment, course / "submitted" / "stub" / assignment)

    # The kernel gets one BLAS thread from nbgrader_config.py, whatever nbgrader was given.
    run_nbgrader(course, "autograde", assignment, env={"OPENBLAS_NUM_THREADS": "4"})
    run_nbgrader(course, "generate_feedback", assignment)

    graded = None
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        notebook = gb.find_notebook(assignment, assignment)
        graded = {c.name.removeprefix("test_") for c in notebook.grade_cells if c.name.startswith("test_")}
        scores = {s: gb.find_submission(assignment, s).score for s in correct_and_one_bug + ["stub"]}
    want = {s: expected_score(assignment, samples[s], graded) for s in correct_and_one_bug}
    assert scores == {**want, "stub": 0.0}
    assert want[correct_and_one_bug[1]] < want["correct"]

    for student in scores:
        html = (course / "feedback" / student / assignment / f"{assignment}.html").read_text()
        leaked = [s for s in HIDDEN_SOURCE if s in html]
        assert not leaked, f"{student}'s feedback shows hidden test source: {leaked}"
    if case == "tiny":
        autograded = (course / "autograded" / "stub" / assignment / f"{assignment}.ipynb").read_text()
        assert re.search(r"OPENBLAS_NUM_THREADS = 1\b", autograded)
