"""Every hidden grader rejects realistic bugs and accepts correct variants.

See autograder/variants/__init__.py for what a variant is.  Graders draw their
inputs from the submission's salt (``run_tests(..., salt=)``): the verdicts
must not depend on it, which test_verdicts_hold_under_fresh_salts checks with
salts drawn afresh on every run (a failure names its salt, to reproduce it).
"""
import contextlib
import importlib
import io
import pkgutil
import secrets

import pytest

import autograder.variants as mutants
from autograder.variants import define
from autograder import grading
from autograder.grading import PASSED, run_test, run_tests, total
from autograder.graders import inputs_salt
from autograder.student import local_submission


def _variants():
    for info in pkgutil.iter_modules(mutants.__path__):
        module = importlib.import_module(f"autograder.variants.{info.name}")
        for v in module.VARIANTS:
            marks = [pytest.mark.xfail(strict=True, reason=v.pending)] if v.pending else []
            yield pytest.param(info.name, v, id=f"{info.name}:{v.function}:{v.name}", marks=marks)


def _assignments():
    return [info.name for info in pkgutil.iter_modules(mutants.__path__)]


def _submission(assignment, variant=None):
    """The reference, with ``variant`` swapped in if given."""
    namespace = dict(vars(importlib.import_module(f"autograder.reference.{assignment}")))
    return local_submission(define(variant, namespace) if variant else namespace)


def grade_variant(assignment, variant):
    """Results of the graders of variant.function on the reference with it swapped in."""
    return run_tests(assignment, _submission(assignment, variant), function=variant.function)


@pytest.mark.parametrize("assignment,variant", list(_variants()))
def test_variant(assignment, variant):
    results = grade_variant(assignment, variant)
    assert results, f"no graders for {variant.function}"
    score, max_score = total(results)
    messages = [f"{r.name}: {r.status}: {r.message}" for r in results if r.status != "passed"]
    if variant.expect is None:
        assert score == max_score, "a correct variant lost points:\n" + "\n".join(messages)
    else:
        assert score < max_score, f"the bug '{variant.name}' got full marks"
        assert any(variant.expect.lower() in r.message.lower() for r in results), (
            f"no message names the problem ({variant.expect!r}):\n" + "\n".join(messages))


def test_enough_variants_per_function():
    """The issue asks >= 8 wrong and >= 3 right variants per graded function
    (fewer for one-liners, listed in the mutant module's ONE_LINERS)."""
    for info in pkgutil.iter_modules(mutants.__path__):
        module = importlib.import_module(f"autograder.variants.{info.name}")
        grader = importlib.import_module(f"autograder.graders.{info.name}")
        functions = {t.grading.function for t in grading.tests_of(grader)}
        one_liners = getattr(module, "ONE_LINERS", {})
        for fn in functions:
            n_wrong = sum(v.function == fn and v.expect is not None for v in module.VARIANTS)
            n_right = sum(v.function == fn and v.expect is None for v in module.VARIANTS)
            need_wrong, need_right = one_liners.get(fn, (8, 3))
            assert n_wrong >= need_wrong, f"{info.name}.{fn}: {n_wrong} wrong variants"
            assert n_right >= need_right, f"{info.name}.{fn}: {n_right} right variants"


# The graders' VALUE_RTOL (autograder/graders/__init__.py) with its margins on
# both sides: every right variant passes at a third of it, every wrong one is
# still caught at 100 times it.  The gradient checkers' graders compare with
# their own tolerances (round-off, truncation), not VALUE_RTOL.
VALUE_RIGHT_AT, VALUE_WRONG_AT = 1 / 3, 100
NOT_VALUE_CHECKED = ("gradient_check", "gradient_check_n")


@pytest.mark.parametrize("assignment", ["regularization", "gradient_checking", "optimization"])
def test_value_tolerance_margins(assignment, monkeypatch):
    from autograder.graders import VALUE_RTOL
    module = grading.grader_module(assignment)
    assert module.VALUE_RTOL == VALUE_RTOL
    variants = [v for v in importlib.import_module(f"autograder.variants.{assignment}").VARIANTS
                if not v.pending and v.function not in NOT_VALUE_CHECKED]
    problems = []
    for factor, kind in ((VALUE_RIGHT_AT, "right"), (VALUE_WRONG_AT, "wrong")):
        monkeypatch.setattr(module, "VALUE_RTOL", VALUE_RTOL * factor)
        for variant in (v for v in variants if (v.expect is None) == (kind == "right")):
            submission = _submission(assignment, variant)
            full = all(run_test(test, submission).status == PASSED
                       for test in grading.tests_of(module, variant.function))
            if full != (kind == "right"):
                problems.append(f"{variant.function}: {variant.name!r} "
                                f"{'lost points' if kind == 'right' else 'got full marks'} "
                                f"at VALUE_RTOL * {factor:.3g}")
    assert not problems, "\n".join(problems)


# Fresh salts per run, as many per assignment as the issue asks (~10).  The
# reference is graded under each; every variant under one of them (variant i
# under salt i % N_SALTS), which keeps the test to a few seconds: over runs,
# every variant meets many salts.  A sweep of every variant under 30 salts
# (bench/salt_sweep.py) found one salt-fragile grader, fixed at its cause.
N_SALTS = 10


@pytest.mark.parametrize("assignment", _assignments())
def test_verdicts_hold_under_fresh_salts(assignment):
    salts = [secrets.token_hex(16) for _ in range(N_SALTS)]
    module = grading.grader_module(assignment)
    variants = [v for v in importlib.import_module(f"autograder.variants.{assignment}").VARIANTS
                if not v.pending]
    problems = []
    with contextlib.redirect_stdout(io.StringIO()):     # what print_msg=True prints
        for salt in salts:
            results = run_tests(assignment, _submission(assignment), salt=salt)
            problems += [f"reference, salt {salt!r}: {r.name}: {r.message}"
                         for r in results if r.status != PASSED]
        for i, variant in enumerate(variants):
            salt = salts[i % N_SALTS]
            submission = _submission(assignment, variant)
            with inputs_salt(salt):
                statuses = []
                for test in grading.tests_of(module, variant.function):
                    statuses.append(run_test(test, submission).status)
                    if variant.expect is not None and statuses[-1] != PASSED:
                        break       # below full marks: enough for a wrong variant
            full = all(status == PASSED for status in statuses)
            if full != (variant.expect is None):
                problems.append(f"{variant.function}: {variant.name!r} "
                                f"{'lost points' if variant.expect is None else 'got full marks'} "
                                f"with salt {salt!r}")
    assert not problems, "\n".join(problems)
