"""Through the CLI (out of process), for every assignment: the untouched
release notebook scores 0 with a message saying the stub is not written, and
the solution notebook and the instructor's source notebook (solutions filled
in, delimiters kept) get full marks.  One batch grades all of them; a missing
notebook fails the batch (never skipped)."""
import json

import pytest

from autograder import assignments, cli
from autograder.grading import ERROR, PASSED

ROOT = assignments.ROOT
IDS = assignments.ids()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """{(folder, assignment): the submission's JSON record}."""
    out = tmp_path_factory.mktemp("grades") / "grades.json"
    notebooks = [assignments.get(a).notebook(folder) for folder in ("release", "solutions", "source")
                 for a in IDS]
    assert cli.main(["grade", *map(str, notebooks), "--json", str(out)]) == 0
    records = json.loads(out.read_text())["submissions"]
    return {(p.parent.parent.name, p.parent.name): r for p, r in zip(notebooks, records)}


@pytest.mark.parametrize("assignment", IDS)
def test_release_stubs_score_zero_with_a_clear_message(graded, assignment):
    record = graded[("release", assignment)]
    assert record["assignment"] == assignment
    assert record["score"] == 0 and record["max_score"] == assignments.get(assignment).max_points > 0
    for test in record["tests"]:
        assert test["status"] == ERROR, test
        assert f"{test['function']} raised NotImplementedError" in test["message"], test


@pytest.mark.parametrize("assignment", IDS)
def test_solutions_get_full_marks(graded, assignment):
    record = graded[("solutions", assignment)]
    assert record["assignment"] == assignment
    failed = [f"{t['name']}: {t['message']}" for t in record["tests"] if t["status"] != "passed"]
    assert record["score"] == record["max_score"] == assignments.get(assignment).max_points, failed


@pytest.mark.parametrize("assignment", IDS)
def test_source_notebooks_get_full_marks(graded, assignment):
    """The instructor's notebooks (solutions filled in), graded like submissions."""
    record = graded[("source", assignment)]
    assert record["assignment"] == assignment
    lost = [f"{t['name']}: {t['message']}" for t in record["tests"] if t["status"] != PASSED]
    assert record["score"] == record["max_score"] > 0, (record["submission"], lost)
