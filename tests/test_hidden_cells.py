"""The nbgrader path's in-kernel grading (autograder/nbgrader_hidden.py) and
the nbgrader extensions around it (autograder/nbgrader_ext): what they stop,
what the student sees, and that the score is the graders' total."""
import textwrap

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

import autograder.checks
from autograder import nbgrader_hidden
from autograder.grading import max_points, run_tests, total
from autograder.nbgrader_ext.cells import split_hidden, without_hidden
from autograder.nbgrader_ext.execute import guarded_source
from autograder.nbgrader_ext.feedback import ScrubHiddenTests
from autograder.student import local_submission
from tests.tiny_course import ANSWER, ASSIGNMENT, FUNCTION, TEST

RIGHT = ANSWER.replace("    ### BEGIN SOLUTION\n", "").replace("\n    ### END SOLUTION", "")
# W transposed: fails the layout, scale, draws and seeding graders, passes zero biases.
TRANSPOSED = RIGHT.replace("np.random.randn(layers_dims[l], layers_dims[l - 1])",
                           "np.random.randn(layers_dims[l - 1], layers_dims[l])")
HIDDEN = f'from autograder.nbgrader_hidden import grade_function\ngrade_function("{ASSIGNMENT}", "{FUNCTION}", globals())'


def namespace_of(source):
    scope = {"np": np}
    exec(source, scope)
    return scope


def expected_total(source):
    """The graders' total for a function source, graded in process (the CLI's sum)."""
    return total(run_tests(ASSIGNMENT, local_submission(namespace_of(source)), FUNCTION))


# --- cell sources -----------------------------------------------------------

def test_split_hidden_finds_the_block_and_keeps_the_visible_part():
    visible, hidden = split_hidden(TEST)
    assert visible == TEST.split("\n")[:2]
    assert hidden[0].endswith("BEGIN HIDDEN TESTS") and hidden[-1].endswith("END HIDDEN TESTS")
    assert "grade_function" not in without_hidden(TEST)
    assert split_hidden("x = 1") is None


def test_guarded_source_runs_the_hidden_block_when_the_visible_check_fails():
    ran = []
    scope = {"check_initialize_parameters_he": lambda fn: 1 / 0, FUNCTION: None}
    source = guarded_source(TEST.replace(HIDDEN, "ran.append('hidden')"))
    scope["ran"] = ran
    with pytest.raises(ZeroDivisionError):
        exec(source, scope)
    assert ran == ["hidden"]


# --- in process: integrity, fresh kit, quiet ------------------------------------

def test_a_correct_function_gets_full_marks_and_a_bug_what_the_graders_give():
    results, totals, problems = nbgrader_hidden.grade(ASSIGNMENT, FUNCTION, namespace_of(RIGHT))
    assert problems == [] and totals == (max_points(ASSIGNMENT, FUNCTION),) * 2
    results, totals, problems = nbgrader_hidden.grade(ASSIGNMENT, FUNCTION, namespace_of(TRANSPOSED))
    assert totals == expected_total(TRANSPOSED) and 0 < totals[0] < totals[1]


@pytest.mark.parametrize("module,name,fake", [
    (np, "allclose", lambda *a, **k: True),
    (np.testing, "assert_allclose", lambda *a, **k: None),
    (np, "abs", lambda x: 0 * x),
    (__import__("builtins"), "abs", lambda x: 0),
])
def test_grading_is_refused_when_numpy_or_builtins_were_replaced(monkeypatch, module, name, fake):
    monkeypatch.setattr(module, name, fake)
    results, totals, problems = nbgrader_hidden.grade(ASSIGNMENT, FUNCTION, namespace_of(RIGHT))
    assert results == [] and totals == (0.0, 0.0)
    assert f"{module.__name__}.{name}" in problems


def test_grading_is_refused_when_a_numpy_function_code_or_defaults_changed(monkeypatch):
    monkeypatch.setattr(np.isclose._implementation, "__defaults__", (1.0, 1.0, False))
    assert "numpy.isclose" in nbgrader_hidden.tampered()


def test_patched_kit_modules_do_not_change_the_grade(monkeypatch):
    """A notebook that turns the kit's checks into no-ops still gets the real grade."""
    real = expected_total(TRANSPOSED)
    monkeypatch.setattr(autograder.checks, "expect_array", lambda value, *a, **k: value)
    monkeypatch.setattr(autograder.checks, "fail", lambda message: None)
    _, totals, _ = nbgrader_hidden.grade(ASSIGNMENT, FUNCTION, namespace_of(TRANSPOSED))
    assert totals == real and real[0] < real[1]
    assert expected_total(TRANSPOSED)[0] == real[1]   # graded with the patched kit: full marks
    assert autograder.checks.fail("x") is None   # the loaded modules are put back


def test_nothing_reaches_stdout_or_stderr_while_graded(capfd):
    noisy = RIGHT.replace("    params = {}", textwrap.indent(textwrap.dedent("""\
        import sys, warnings
        print("debug", file=sys.stderr); print("debug")
        warnings.warn("careful"); np.log(np.zeros(1))
        params = {}"""), "    "))
    _, totals, _ = nbgrader_hidden.grade(ASSIGNMENT, FUNCTION, namespace_of(noisy))
    out, err = capfd.readouterr()
    assert (out, err) == ("", "") and totals[0] == totals[1]


# --- feedback ------------------------------------------------------------------

def test_feedback_scrub_removes_the_block_and_tracebacks_quoting_it():
    cell = nbformat.v4.new_code_cell(TEST)
    cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="W1 has shape (3, 2)",
                                           traceback=["\x1b[0;31mAssertionError\x1b[0m Traceback",
                                                      "Cell In[3], line 4\n----> 4 " + HIDDEN.split("\n")[1],
                                                      "\x1b[0;31mAssertionError\x1b[0m: W1 has shape (3, 2)"])]
    cell, _ = ScrubHiddenTests().preprocess_cell(cell, {}, 0)
    assert cell.source == "\n".join(TEST.split("\n")[:2])
    text = "\n".join(cell.outputs[0].traceback)
    assert "grade_function" not in text and "W1 has shape (3, 2)" in text and "AssertionError" in text


# --- in a kernel -----------------------------------------------------------------

def run_cells(*sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    NotebookClient(nb, timeout=120, allow_errors=True).execute()
    return nb.cells


def kinds(cell):
    return [o.output_type + (f":{o.name}" if o.output_type == "stream" else "") for o in cell.outputs]


def test_in_a_kernel_scores_are_published_and_nothing_of_the_graders_is_quoted():
    imports = "import numpy as np"
    right, bug, tamper = run_cells(imports, RIGHT + "\n" + HIDDEN, TRANSPOSED + "\n" + HIDDEN,
                                   "np.allclose = lambda *a, **k: True\n" + RIGHT + "\n" + HIDDEN)[1:]
    full = max_points(ASSIGNMENT, FUNCTION)
    # right: one stdout report and the score as the cell's result, no error
    assert kinds(right) == ["stream:stdout", "execute_result"]
    assert float(right.outputs[1].data["text/plain"]) == full
    # bug: the report, the graders' partial score, then the error listing failures
    assert kinds(bug) == ["stream:stdout", "execute_result", "error"]
    assert float(bug.outputs[1].data["text/plain"]) == expected_total(TRANSPOSED)[0] < full
    error = bug.outputs[2]
    assert error.ename == "GradingFailed" and "W1 has shape" in error.evalue
    assert len(error.traceback) == 1 and "autograder" not in error.traceback[0]
    # tampered numpy: refused, score 0
    assert kinds(tamper) == ["stream:stdout", "execute_result", "error"]
    assert float(tamper.outputs[1].data["text/plain"]) == 0
    assert tamper.outputs[2].ename == "GradingRefused" and "numpy.allclose" in tamper.outputs[2].evalue
