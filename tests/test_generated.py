"""release/, solutions/ and samples/ are what `python -m autograder build` makes
from source/ today, and hold what they should (and nothing they should not).

The build is run once into a temporary folder (without executing the
solutions) and compared: release/ and samples/ byte for byte, solutions/ by
cell type and source (outputs come from a full run)."""
import argparse
import filecmp
from pathlib import Path

import pytest

from autograder.commands import build
from autograder.nbgrader_ext import notebooks
from autograder.nbgrader_ext.cells import solution_lines, split_hidden
from autograder.nbgrader_ext.course import assignment_ids, repo_root

ROOT = repo_root()
IDS = assignment_ids(ROOT)
REBUILD = "run `python -m autograder build` and commit release/, solutions/ and samples/"
HIDDEN_TEXT = ("HIDDEN TESTS", "grade_function", "nbgrader_hidden")
DELIMITERS = ("BEGIN SOLUTION", "END SOLUTION")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    assert build.main(argparse.Namespace(ids=[], root=ROOT, out=out, no_execute=True)) == 0
    return out


def files(folder):
    return sorted(p.relative_to(folder) for p in Path(folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts)


def assert_same_tree(committed, fresh_tree):
    assert committed.is_dir(), f"{committed} is missing: {REBUILD}"
    assert files(committed) == files(fresh_tree), f"{committed} has other files than a build makes: {REBUILD}"
    _, mismatch, errors = filecmp.cmpfiles(committed, fresh_tree, [str(f) for f in files(committed)],
                                           shallow=False)
    assert not mismatch and not errors, f"out of date in {committed}: {mismatch + errors}: {REBUILD}"


def test_there_are_assignments():
    assert IDS, "no source/<id>/<id>.ipynb found"


@pytest.mark.parametrize("assignment", IDS)
def test_release_is_up_to_date(assignment, fresh):
    assert_same_tree(ROOT / "release" / assignment, fresh / "release" / assignment)


def test_samples_are_up_to_date(fresh):
    assert_same_tree(ROOT / "samples", fresh / "samples")


@pytest.mark.parametrize("assignment", IDS)
def test_solutions_are_up_to_date_and_executed(assignment, fresh):
    committed = ROOT / "solutions" / assignment
    assert committed.is_dir(), f"{committed} is missing: {REBUILD}"
    assert files(committed) == files(fresh / "solutions" / assignment), REBUILD
    for name in files(committed):
        if name.suffix != ".ipynb":
            assert filecmp.cmp(committed / name, fresh / "solutions" / assignment / name, shallow=False), \
                f"solutions/{assignment}/{name} is out of date: {REBUILD}"
    nb = notebooks.read(committed / f"{assignment}.ipynb")
    want = notebooks.read(fresh / "solutions" / assignment / f"{assignment}.ipynb")
    assert [(c.cell_type, c.source) for c in nb.cells] == [(c.cell_type, c.source) for c in want.cells], \
        f"solutions/{assignment} cells differ from source/: {REBUILD}"
    unrun = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.execution_count is None]
    assert not unrun, f"solutions/{assignment} cells {unrun} were not executed: {REBUILD} (without --no-execute)"


@pytest.mark.parametrize("assignment", IDS)
def test_release_holds_no_solution_code_and_no_hidden_tests(assignment):
    source = notebooks.read(ROOT / "source" / assignment / f"{assignment}.ipynb")
    release = notebooks.read(ROOT / "release" / assignment / f"{assignment}.ipynb")
    released = {notebooks.grade_id(c): set(c.source.split("\n")) for c in release.cells}
    for cell in source.cells:
        if not notebooks.is_answer(cell):
            continue
        given = set(cell.source.split("\n")) - set(solution_lines(cell.source))
        answer = {line for line in solution_lines(cell.source)
                  if line.strip() and not line.strip().startswith("#") and line not in given}
        leaked = answer & released.get(notebooks.grade_id(cell), set())
        assert not leaked, f"release/{assignment} shows solution lines of {notebooks.grade_id(cell)}: {leaked}"
        assert answer, f"{notebooks.grade_id(cell)} has no solution lines in source/{assignment}"
    for name in files(ROOT / "release" / assignment):
        text = (ROOT / "release" / assignment / name).read_text()
        found = [t for t in HIDDEN_TEXT + DELIMITERS if t in text]
        assert not found, f"release/{assignment}/{name} holds {found}"


@pytest.mark.parametrize("assignment", IDS)
def test_solutions_hold_no_hidden_tests_delimiters_or_nbgrader_metadata(assignment):
    nb = notebooks.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb")
    for i, cell in enumerate(nb.cells):
        found = [t for t in HIDDEN_TEXT + DELIMITERS if t in cell.source]
        assert not found and split_hidden(cell.source) is None, f"solutions/{assignment} cell {i} holds {found}"
        assert "nbgrader" not in cell.metadata, f"solutions/{assignment} cell {i} has nbgrader metadata"
