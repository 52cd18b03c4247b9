"""The nbgrader path's grading, without nbgrader: ``nbgrader_ext.sandboxed``
(a notebook graded in the sandbox, what each test cell shows) and the
feedback page's helpers (``nbgrader_ext.feedback``).

The end-to-end runs through stock nbgrader are in test_nbgrader_roundtrip.py.
"""
import nbformat
import pytest

from autograder.grading import max_points, run_tests, total
from autograder.nbgrader_ext.cells import grade_cell_source, split_hidden, without_hidden
from autograder.nbgrader_ext.feedback import render_math
from autograder.nbgrader_ext.sandboxed import cell_report, grade_notebook, grade_cells
from autograder.sandbox import Limits, Workspace
from autograder.student import local_submission
from tests.tiny_course import ANSWER, ASSIGNMENT, FUNCTION, tiny_notebook

RIGHT = ANSWER.replace("    ### BEGIN SOLUTION\n", "").replace("\n    ### END SOLUTION", "")
# W transposed: fails the layout, scale, draws and seeding graders, passes zero biases.
TRANSPOSED = RIGHT.replace("np.random.randn(layers_dims[l], layers_dims[l - 1])",
                           "np.random.randn(layers_dims[l - 1], layers_dims[l])")
SALT = "a-salt-for-these-tests"


@pytest.fixture(scope="module")
def workspace():
    limits = Limits()
    with Workspace(limits) as ws:
        yield ws, limits


def notebook_with(answer, test=grade_cell_source(FUNCTION)):
    return dict(nbformat.from_dict(tiny_notebook(answer, test)))


def in_process_total(source, salt=SALT):
    """The graders' total for a function source, graded in this process."""
    import numpy as np
    scope = {"np": np}
    exec(source, scope)
    return total(run_tests(ASSIGNMENT, local_submission(scope), FUNCTION, salt=salt))


def graded(workspace, answer, **kw):
    ws, limits = workspace
    return grade_notebook(notebook_with(answer, **kw), ASSIGNMENT, SALT, ws, limits)


# --- cell sources ---------------------------------------------------------------

def test_test_cells_hold_only_the_visible_checks():
    assert grade_cell_source(FUNCTION) == (
        f"# Public checks for {FUNCTION}; hidden graders run when the notebook is graded.\n"
        f"check_{FUNCTION}({FUNCTION})")
    [(index, grade_id, source)] = grade_cells(notebook_with(RIGHT))
    assert (grade_id, source) == (f"test_{FUNCTION}", grade_cell_source(FUNCTION))


def test_an_instructors_own_hidden_block_is_not_run_as_a_visible_check():
    cell = grade_cell_source(FUNCTION) + "\n### BEGIN HIDDEN TESTS\nassert False\n### END HIDDEN TESTS"
    visible, hidden = split_hidden(cell)
    assert hidden[0].endswith("BEGIN HIDDEN TESTS") and "assert False" in hidden
    assert without_hidden(cell) == grade_cell_source(FUNCTION)
    [(_, _, source)] = grade_cells(notebook_with(RIGHT, test=cell))
    assert source == grade_cell_source(FUNCTION)


# --- scores: the graders', out of process ---------------------------------------

def test_a_correct_notebook_gets_full_marks_and_its_visible_checks_pass(workspace):
    result = graded(workspace, RIGHT)
    full = max_points(ASSIGNMENT, FUNCTION)
    assert result.scores()[FUNCTION] == (full, full)
    check = result.visible[f"test_{FUNCTION}"]
    assert check.passed and "all public checks passed" in check.printed
    assert result.cell_errors == {} and result.protections


def test_a_bug_scores_what_the_graders_give_it_with_the_same_salt(workspace):
    result = graded(workspace, TRANSPOSED)
    got = result.scores()[FUNCTION]
    assert got == in_process_total(TRANSPOSED) and 0 < got[0] < got[1]


def test_a_failing_visible_check_keeps_its_hint_and_does_not_zero_the_score(workspace):
    result = graded(workspace, TRANSPOSED)
    check = result.visible[f"test_{FUNCTION}"]
    assert not check.passed and "W1" in check.error, check
    text = cell_report(FUNCTION, [r for r in result.results if r.function == FUNCTION], check)
    score, most = result.scores()[FUNCTION]
    assert text.startswith(f"{FUNCTION}: {score:g} / {most:g} points") and score > 0
    assert check.error.splitlines()[0] in text and "Visible checks: failed" in text
    assert text.count(check.error.splitlines()[0]) == 1          # each message once


def test_a_visible_check_that_hangs_costs_the_feedback_not_the_score(workspace):
    ws, _ = workspace
    slow = RIGHT + "\n\n_calls = []\n" \
                   "def check_slowly(fn):\n    while True:\n        pass\n"
    limits = Limits(call_seconds=5)   # the check never ends; honest calls take milliseconds
    result = grade_notebook(notebook_with(slow, test="check_slowly(initialize_parameters_he)"),
                            ASSIGNMENT, SALT, ws, limits)
    full = max_points(ASSIGNMENT, FUNCTION)
    assert result.scores()[FUNCTION] == (full, full)
    check = result.visible[f"test_{FUNCTION}"]
    assert not check.passed and "could not run" in check.error and "timed out" in check.error


# --- hostile notebooks: what beat the in-kernel graders -----------------------------

FRAME_WALKER = '''\
def initialize_parameters_he(layers_dims):
    """Answers with the kit's own reference: found on the grader's stack, or imported."""
    import importlib, sys
    frame = sys._getframe()
    while frame is not None:
        for scope in (frame.f_locals, frame.f_globals):
            ref = scope.get("ref")
            if ref is not None and hasattr(ref, "initialize_parameters_he"):
                return ref.initialize_parameters_he(layers_dims)
        frame = frame.f_back
    try:
        ref = importlib.import_module("autograder.reference.initialization")
    except ImportError:
        raise RuntimeError("no grader to copy from") from None
    return ref.initialize_parameters_he(layers_dims)
'''

META_PATH_AND_NUMPY = '''\
import sys, types, numpy as np

class Everything(types.ModuleType):
    def __getattr__(self, name):
        return lambda *a, **k: None

class FakeKit:
    """Answers every import of the kit with a module whose checks do nothing."""
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "autograder":
            import importlib.util
            return importlib.util.spec_from_loader(name, self)
    def create_module(self, spec):
        return Everything(spec.name)
    def exec_module(self, module):
        pass

sys.meta_path.insert(0, FakeKit())
np.allclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
np.abs = lambda x: 0 * x

def initialize_parameters_he(layers_dims):
    raise NotImplementedError("the fakes are meant to pass every test")
'''


def test_the_grader_walker_is_a_real_cheat_when_graded_in_process():
    """What the test below guards against: in the grader's process it scores full marks."""
    full = max_points(ASSIGNMENT, FUNCTION)
    assert in_process_total(FRAME_WALKER) == (full, full)


@pytest.mark.parametrize("cheat", [FRAME_WALKER, META_PATH_AND_NUMPY], ids=["frames", "meta_path+numpy"])
def test_cheats_that_beat_the_in_kernel_graders_score_nothing(workspace, cheat):
    result = graded(workspace, cheat)
    assert result.scores()[FUNCTION] == (0.0, max_points(ASSIGNMENT, FUNCTION))


# --- the feedback page -------------------------------------------------------------

def test_maths_become_mathml_and_code_is_left_alone():
    text = render_math("Cost $J = \\frac{1}{m}$, then\n$$\\sum_i x_i$$ and `$PATH` or\n```\necho $HOME $X\n```")
    assert "$" not in text.replace("`$PATH`", "").replace("echo $HOME $X", "")
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in text
    assert 'display="block"' in text and "<mfrac>" in text
    assert "`$PATH`" in text and "echo $HOME $X" in text


def test_a_formula_that_cannot_be_converted_shows_as_code_not_as_an_error():
    assert render_math("$\\left( x <b>$") == "<code>\\left( x &lt;b&gt;</code>"
    assert "<b>" not in render_math("$\\notamacro{<b>}$")
