"""Feedback per submission (report.feedback_text / feedback_html), the class
page, and fair scoring.  What a browser shows is tests/test_browser.py."""
import re

import numpy as np
import pytest

from autograder import classpage, report
from autograder.checks import CheckFailed, expect_scalar_close, numbers_apart
from autograder.feedback_content import student_of, without_paths
from autograder.grading import PASSED, run_tests
from autograder.reference import regularization as ref
from autograder.student import local_submission
from tests import feedback_records as records

RENDERERS = [report.feedback_text, report.feedback_html]


@pytest.fixture(scope="module")
def made():
    return {"correct": records.correct(), "buggy": records.buggy(),
            "ungradable": records.ungradable(), "hostile": records.hostile()}


@pytest.mark.parametrize("render", RENDERERS)
def test_title_is_student_and_assignment_never_a_path(made, render):
    for kind, record in made.items():
        out = render(record)
        assert "/home/teacher" not in out and "submitted/" not in out, kind
        assert "regularization" in out.splitlines()[0] or "<title>regularization" in out


def test_student_id_from_record_or_nbgrader_layout():
    assert student_of({"student": "zoe", "submission": "/x/y.ipynb"}) == "zoe"
    assert student_of({"submission": "/srv/s/yan/optimization/optimization.ipynb",
                       "assignment": "optimization"}) == "yan"
    assert student_of({"submission": "/srv/s/hw.ipynb", "assignment": "optimization"}) == "hw"


def test_feedback_name_has_no_path(made):
    assert report.feedback_name(made["buggy"]) == "bob-regularization.md"
    assert report.feedback_name(made["buggy"], ".html") == "bob-regularization.html"
    name = report.feedback_name("/home/teacher/submitted/bob/regularization/regularization.ipynb")
    assert "home" not in name and "teacher" not in name and name.endswith(".md")


@pytest.mark.parametrize("render", RENDERERS)
def test_every_failure_message_and_the_diagnosis_appear_once(made, render):
    record = made["buggy"]
    out = render(record)
    failed = [t for t in record["tests"] if t["status"] != PASSED]
    assert failed
    for t in failed:
        probe = t["message"][:40]
        shown = probe if render is report.feedback_text else probe.replace(">", "&gt;")
        shown = report.md(probe) if render is report.feedback_text else shown
        assert out.count(shown) == 1, (t["name"], shown)
    assert out.count("the 1/2 forgotten") == 1
    assert out.count("Likely bug") == 1


@pytest.mark.parametrize("render", RENDERERS)
def test_correct_submission_full_marks_and_no_diagnosis(made, render):
    out = render(made["correct"])
    assert "28 / 28" in out and "Likely bug" not in out and "failed" not in out


@pytest.mark.parametrize("render", RENDERERS)
def test_ungradable_says_why_once(made, render):
    out = render(made["ungradable"])
    assert "could not be graded" in out
    assert out.count("not valid JSON") == 1


def test_html_escapes_student_text(made):
    out = report.feedback_html(made["hostile"])
    assert "<img" not in out and "<script" not in out and "<b>dave" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out and "&lt;b&gt;dave" in out
    assert "**score 6/6**" in out                       # shown as typed, not bold
    assert "http://example.com/x" in out and "<a href=\"http" not in out
    assert "/home/teacher" not in out and "/tmp/sandbox" not in out and "secret.py" in out


def test_text_escapes_markdown_without_entities(made):
    out = report.feedback_text(made["hostile"])
    assert r"\*\*score 6/6\*\*" in out and r"[click\](" in out and r"\<img" in out
    assert "&lt;" not in out and "&gt;" not in out and "&amp;" not in out
    assert "/home/teacher" not in out and "/tmp/sandbox" not in out


def test_long_values_are_kept_for_wrapping_not_cut_mid_page(made):
    html = report.feedback_html(made["hostile"])
    assert records.LONG_VALUE[:500] in html
    assert "overflow-wrap: anywhere" in html


def test_markdown_escaping_keeps_plain_text_readable():
    assert report.md("n_x = 5, got 1 > tol") == "n_x = 5, got 1 > tol"
    assert report.md("# 1. x") == r"\# 1. x"
    assert report.md("3. x") == r"3\. x"
    assert report.md("2 / n[l-1] and [a](b) [c]: d") == r"2 / n[l-1] and [a\](b) [c\]: d"


def test_without_paths_keeps_formulas():
    assert without_paths("lambd / (2 m) and dZ A^T / m and 1/m") == \
        "lambd / (2 m) and dZ A^T / m and 1/m"
    assert without_paths('File "/usr/lib/python3/x.py", line 2') == 'File "x.py", line 2'


def test_html_is_self_contained(made):
    for kind, record in made.items():
        out = report.feedback_html(record)
        assert not re.search(r"""(?:src|href)=["']?(?:https?:|//)""", out)
        assert "<link" not in out and "<script" not in out
        if kind != "hostile":             # a student's own "$" is shown as typed
            assert "$" not in out, kind


def test_figures_are_embedded_png_and_malformed_ones_skipped():
    record = records.with_figures()
    out = report.feedback_html(record)
    assert out.count('src="data:image/png;base64,') == 3
    broken = records.with_figures()
    for t in broken["tests"]:
        if "figure" in t:
            t["figure"]["values" if "values" in t["figure"] else "keys"] = "junk"
    assert report.feedback_html(broken).count("data:image/png") <= 1


@pytest.mark.parametrize("assignment,bug,kind", [
    ("initialization", "2 / n[l-1] without the square root", "weights_histogram"),
    ("regularization", "mask built with > keep_prob (keeps 1 - keep_prob)", "kept_fraction"),
    ("regularization", "lambd forgotten in dW1", "gradient_errors"),
])
def test_graders_leave_figures_on_failures(assignment, bug, kind):
    import importlib
    from autograder.variants import initialization, regularization
    catalogue = {"initialization": initialization, "regularization": regularization}[assignment]
    variant = next(v for v in catalogue.VARIANTS if v.name == bug)
    namespace = dict(vars(importlib.import_module(f"autograder.reference.{assignment}")))
    exec(compile(variant.source, "<variant>", "exec"), namespace)
    results = [r.to_json() for r in run_tests(assignment, local_submission(namespace))]
    kinds = [t["figure"]["kind"] for t in results if "figure" in t]
    assert kind in kinds
    assert all(t["status"] != PASSED for t in results if "figure" in t)
    html = report.feedback_html({"student": "x", "assignment": assignment, "score": 0,
                                 "max_score": 1, "tests": results})
    assert 'src="data:image/png;base64,' in html


# ------------------------------------------------------------------ fair scoring

def _cost_results(cost):
    namespace = dict(vars(ref))
    namespace["compute_cost_with_regularization"] = cost
    results = run_tests("regularization", local_submission(namespace),
                        "compute_cost_with_regularization")
    return {r.name.removeprefix("test_compute_cost_with_regularization_"): r for r in results}


def test_wrong_answer_leaving_inputs_alone_keeps_that_point():
    def cost(A3, Y, parameters, lambd):            # the 1/2 forgotten, inputs untouched
        squares = sum(np.sum(parameters[k] ** 2) for k in ("W1", "W2", "W3"))
        return ref.compute_cost(A3, Y) + lambd / Y.shape[1] * squares
    results = _cost_results(cost)
    assert results["l2_term"].status != PASSED
    assert results["inputs_unmodified"].status == PASSED


def test_stub_still_earns_nothing_for_inputs_unmodified():
    results = _cost_results(lambda A3, Y, parameters, lambd: 0.693)
    assert results["inputs_unmodified"].status != PASSED
    assert "computes something" in results["inputs_unmodified"].message


def test_wrong_answer_modifying_inputs_loses_that_point():
    def cost(A3, Y, parameters, lambd):
        A3 *= 1.0                                   # harmless value, but in place on
        parameters["W1"] *= 1.0                     # the inputs; still modifies nothing
        parameters["W1"] += 1e-3                    # ...this one does
        return ref.compute_cost_with_regularization(A3, Y, parameters, lambd)
    assert _cost_results(cost)["inputs_unmodified"].status != PASSED


def test_close_numbers_are_printed_with_the_digits_that_differ():
    with pytest.raises(CheckFailed) as info:
        expect_scalar_close(-0.18452712, -0.18452705, "the cost", 1e-9)
    got, expected = re.search(r"got (\S+), expected (\S+);", str(info.value)).groups()
    assert got != expected
    assert numbers_apart(1.0, 1.0) == ("1", "1")
    assert numbers_apart(1.5, 2.5) == ("1.5", "2.5")


def test_per_weight_l2_message_reads_as_a_factor():
    def cost(A3, Y, parameters, lambd):            # W2 twice, W3 never
        m = Y.shape[1]
        W1, W2 = parameters["W1"], parameters["W2"]
        return ref.compute_cost(A3, Y) + lambd / (2 * m) * (np.sum(W1 ** 2) + 2 * np.sum(W2 ** 2))
    message = _cost_results(cost)["l2_term_counts_each_weight"].message
    assert "the part from W3 is missing" in message
    assert "the part from W2 is 2 times what it should be" in message
    assert "W1" not in message.split(":")[0]


# ------------------------------------------------------------------ class page

def test_class_page_counts(made):
    second_bug = records.buggy()
    second_bug["student"] = "erin"
    html = classpage.pages({"submissions": [made["correct"], made["buggy"], second_bug,
                                            made["ungradable"]]})["regularization"]
    assert "4 submission(s): 3 graded, 1 could not be graded" in html
    row = re.search(r"the 1/2 forgotten.*?</td><td class=\"num\">(\d+)</td>", html)
    assert row and row.group(1) == "2"
    assert "carol" in html and "not valid JSON" in html
    assert re.search(r"compute_cost_with_regularization</code></td><td>.*?1/3", html)
    assert "/home/teacher" not in html


def test_class_page_escapes(made):
    html = classpage.pages([made["hostile"], {**made["ungradable"], "student": "<i>x</i>"}])
    page = html["regularization"]
    assert "<img" not in page and "<i>x</i>" not in page and "&lt;i&gt;x" in page


@pytest.mark.parametrize("function,bug", [
    ("initialize_velocity", "ones instead of zeros"),
    ("update_parameters_with_gd", "+= instead of -="),
    ("update_parameters_with_momentum", "beta and 1 - beta swapped"),
    ("random_mini_batches", "last partial batch forgotten"),
])
def test_optimization_wrong_answers_keep_the_arguments_point(function, bug):
    """One bug costs the points of the properties it breaks, not also the
    'arguments unmodified' point when it leaves them alone."""
    from autograder.reference import optimization as opt_ref
    from autograder.variants import optimization
    variant = next(v for v in optimization.VARIANTS if v.function == function and v.name == bug)
    namespace = dict(vars(opt_ref))
    exec(compile(variant.source, "<variant>", "exec"), namespace)
    results = {r.name: r for r in run_tests("optimization", local_submission(namespace), function)}
    assert any(r.status != PASSED for r in results.values())
    assert results[f"test_{function}_arguments"].status == PASSED, \
        results[f"test_{function}_arguments"].message
