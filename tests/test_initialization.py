"""Tests of the `initialization` assignment beyond the mutant suite.

- the graders (the generic checks, for every assignment, are in
  tests/test_graders_common.py): full marks for the notebook's own solution
  cells, no grader crash on non-finite answers of the right shapes;
- the statistics: the bounds are what the module says, correct draws pass
  under many seeds, the wrong scales nearest the bounds fail under all of them;
- the public checks: accept every right variant, catch every wrong one,
  import nothing from the kit, leave numpy's global RNG as they found it;
- the helpers (init_utils): backward matches centred differences, the data
  are as documented;
- the notebook's layout follows docs/conventions.md.
"""
import ast
import contextlib
import importlib
import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from autograder import grading
from autograder.grading import PASSED, total
from autograder.graders import initialization as graders
from autograder.nbgrader_ext.cells import grade_cell_source
from autograder.numerics import GRADCHECK_RTOL, numerical_gradient, worst
from autograder.reference import initialization as ref
from autograder.student import local_submission
from autograder.variants import define
from autograder.variants.initialization import VARIANTS
from tests.test_graders_common import SETTINGS

ID = "initialization"
FUNCTIONS = SETTINGS[ID].functions
SOURCE = Path(__file__).resolve().parents[1] / "source" / ID
# Seeds for the statistical soundness and power tests: a sanity check of the
# derivation in the grader module (which bounds a false failure by 1e-7), not a
# measurement of that rate.
N_SEEDS = 8


def _namespace(source=None):
    namespace = dict(vars(ref))
    if source:
        exec(compile(source, "<variant>", "exec"), namespace)
    return namespace


def _variant(function, name):
    return next(v for v in VARIANTS if v.function == function and v.name == name)


# ------------------------------------------------------------- graders ---

def test_full_marks_for_the_notebook_solution():
    """The solution cells of the source notebook, run alone with numpy, earn every point."""
    namespace = {"np": np}
    for cell in _notebook()["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution"):
            exec(compile("".join(cell["source"]), "<solution cell>", "exec"), namespace)
    results = grading.run_tests(ID, local_submission(namespace))
    assert [r.message for r in results if r.status != PASSED] == []


# Answers of the right shapes holding NaN or inf (the layout check may pass them).
NON_FINITE = [
    "{f'{p}{l}': np.full((layers_dims[l], layers_dims[l - 1] if p == 'W' else 1), np.nan)"
    " for l in range(1, len(layers_dims)) for p in 'Wb'}",
    "{f'{p}{l}': np.full((layers_dims[l], layers_dims[l - 1] if p == 'W' else 1), np.inf)"
    " for l in range(1, len(layers_dims)) for p in 'Wb'}"]


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("junk", NON_FINITE)
def test_non_finite_answers_are_graded_not_crashed(function, junk):
    namespace = _namespace(f"def {function}(layers_dims):\n    return {junk}\n")
    results = grading.run_tests(ID, local_submission(namespace), function)
    assert total(results)[0] < total(results)[1]
    for r in results:
        assert "grader could not check" not in r.message, r.message


# ---------------------------------------------------------- statistics ---

def test_bounds_are_sound_by_construction():
    """At least 5 standard errors; every statistics layer big enough for the
    normal approximation and with fan-in != fan-out; distinct fan-ins."""
    assert graders.Z_BOUND >= 5
    dims = graders.STAT_DIMS
    for l in range(1, len(dims)):
        assert dims[l] * dims[l - 1] >= graders.MIN_STAT_SAMPLES
        assert dims[l] != dims[l - 1]
    assert len(set(dims[:-1])) == len(dims) - 1


# The reference and the first right variant (np.random.normal) of each random
# initializer; the mutant suite runs every right variant under one seed.
RIGHT = [(f, None) for f in FUNCTIONS[1:]]
RIGHT += [(f, next(v.source for v in VARIANTS if v.function == f and v.expect is None))
          for f in FUNCTIONS[1:]]


def _statistical_checks(namespace, function, seed_label):
    """The scale and draws checks under a seed chosen by ``seed_label``."""
    student = local_submission(namespace)
    if function == "initialize_parameters_he":
        graders._check_scale(student, function, graders._he_std, str, seed_label)
    else:
        graders._check_scale(student, function, lambda n: graders.RANDOM_STD, str, seed_label)
    graders._check_draws(student, function, seed_label)


@pytest.mark.parametrize("function,source", RIGHT)
def test_correct_draws_pass_under_many_seeds(function, source):
    namespace = _namespace(source)
    for i in range(N_SEEDS):
        _statistical_checks(namespace, function, f"soundness {i}")


NEAR_MISSES = [("initialize_parameters_he", "Glorot sqrt(2 / (n[l-1] + n[l]))"),
               ("initialize_parameters_he", "fan-out n[l] instead of fan-in n[l-1]"),
               ("initialize_parameters_he", "He-uniform (Keras he_uniform): right variance, wrong shape"),
               ("initialize_parameters_random", "uniform draw with the right variance"),
               ("initialize_parameters_random", "randn * sqrt(10)")]


@pytest.mark.parametrize("function,name", NEAR_MISSES)
def test_wrong_draws_fail_under_every_seed(function, name):
    namespace = define(_variant(function, name), _namespace())
    for i in range(N_SEEDS):
        with pytest.raises(AssertionError):
            _statistical_checks(namespace, function, f"power {i}")


def test_seeding_check_rejects_a_reseed_only_in_later_calls():
    """Reseeding once the first layer is drawn still makes seeds collide on W2."""
    source = _variant("initialize_parameters_he", "np.random.normal with scale").source
    source = source.replace('p["b" + str(l)] = np.zeros((layers_dims[l], 1))',
                            'p["b" + str(l)] = np.zeros((layers_dims[l], 1))\n'
                            '        np.random.seed(0)')
    results = grading.run_tests(ID, local_submission(_namespace(source)),
                                "initialize_parameters_he")
    assert any("np.random.seed" in r.message for r in results)


# -------------------------------------------------------- public checks ---

@pytest.fixture(scope="module")
def public():
    """source/initialization/public_tests.py, imported as the notebook does."""
    sys.path.insert(0, str(SOURCE))
    try:
        for name in ("public_tests", "checks", "numerics", "init_utils"):
            sys.modules.pop(name, None)
        yield importlib.import_module("public_tests")
    finally:
        sys.path.remove(str(SOURCE))
        for name in ("public_tests", "checks", "numerics", "init_utils"):
            sys.modules.pop(name, None)


def _run_public(public, function, fn):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        getattr(public, f"check_{function}")(fn)
    return out.getvalue()


def test_public_checks_import_nothing_from_the_kit():
    tree = ast.parse((SOURCE / "public_tests.py").read_text())
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(m.split(".")[0] == "autograder" for m in modules), modules


@pytest.mark.parametrize("function", FUNCTIONS)
def test_public_checks_pass_the_reference_and_restore_the_rng(public, function):
    np.random.seed(123)
    before = np.random.get_state()
    printed = _run_public(public, function, getattr(ref, function))
    assert printed.strip() == f"{function}: all public checks passed"
    after = np.random.get_state()
    assert before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2:] == after[2:]


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: f"{v.function}:{v.name}")
def test_public_checks_on_variants(public, variant):
    fn = define(variant, _namespace())[variant.function]
    if variant.expect is None:
        _run_public(public, variant.function, fn)
    else:
        with pytest.raises(Exception):     # AssertionError, or the student's own error
            _run_public(public, variant.function, fn)


# --------------------------------------------------------------- helpers ---

@pytest.fixture(scope="module")
def utils(public):
    return importlib.import_module("init_utils")


def test_backward_matches_centred_differences(utils):
    rng = np.random.default_rng(7)
    X = rng.standard_normal((2, 15))
    Y = (rng.random((1, 15)) > 0.5).astype(float)
    params = {}
    for l, (n_prev, n) in enumerate(zip([2, 10, 5], [10, 5, 1]), start=1):
        params[f"W{l}"] = rng.standard_normal((n, n_prev))
        params[f"b{l}"] = rng.standard_normal((n, 1)) * 0.1
    _, cache = utils.forward_propagation(X, params)
    grads = utils.backward_propagation(X, Y, cache)
    for key, value in params.items():
        numeric = numerical_gradient(
            lambda: utils.compute_loss(utils.forward_propagation(X, params)[0], Y), value)
        index, err, _ = worst(grads["d" + key], numeric)
        assert err <= GRADCHECK_RTOL, (key, index, err)


def test_dataset_is_as_documented_and_leaves_the_global_rng_alone(utils):
    np.random.seed(5)
    expected = np.random.rand()
    np.random.seed(5)
    train_X, train_Y, test_X, test_Y = utils.load_dataset()
    assert np.random.rand() == expected
    assert train_X.shape == (2, 300) and train_Y.shape == (1, 300)
    assert test_X.shape == (2, 100) and test_Y.shape == (1, 100)
    assert set(np.unique(train_Y)) == {0.0, 1.0} and train_Y.mean() == 0.5
    radius = np.linalg.norm(train_X, axis=0)
    assert radius[train_Y[0] == 1].mean() < 0.85 < radius[train_Y[0] == 0].mean()


def test_he_keeps_a_deep_relu_net_stable_and_large_weights_do_not(utils):
    rng = np.random.default_rng(0)
    dims = [64] * 16
    X, dA = rng.standard_normal((64, 128)), rng.standard_normal((64, 128))
    np.random.seed(0)
    act, grad, _ = utils.deep_relu_stds(ref.initialize_parameters_he(dims), X, dA)
    assert max(act) / min(act) < 4 and max(grad) / min(grad) < 4
    act, grad, _ = utils.deep_relu_stds(ref.initialize_parameters_random(dims), X, dA)
    assert act[-1] / act[0] > 1e20 and grad[0] / grad[-1] > 1e20


# -------------------------------------------------------------- notebook ---

def _notebook():
    return json.loads((SOURCE / f"{ID}.ipynb").read_text())


def test_notebook_layout():
    nb = _notebook()
    assert nb["nbformat"] == 4
    assert nb["metadata"]["dlkit"] == {"assignment": ID}
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    cells = nb["cells"]
    ids = [c["metadata"].get("nbgrader", {}).get("grade_id") for c in cells]
    for function in FUNCTIONS:
        i = ids.index(function)
        answer, test = cells[i], cells[i + 1]
        assert answer["metadata"]["nbgrader"] == {"grade": False, "solution": True, "locked": False,
                                                  "grade_id": function, "schema_version": 3}
        src = "".join(answer["source"])
        assert src.index(f"def {function}(") < src.index("### BEGIN SOLUTION") < src.index("### END SOLUTION")
        assert test["metadata"]["nbgrader"] == {
            "grade": True, "solution": False, "locked": True, "grade_id": f"test_{function}",
            "points": grading.max_points(ID, function), "schema_version": 3}
        assert "".join(test["source"]) == grade_cell_source(function)
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        assert src.startswith("# "), src[:60]
        demo = "demo" in cell["metadata"].get("tags", [])
        trains_or_plots = "plt.show()" in src or "model(" in src or "update_parameters(" in src
        assert demo or not trains_or_plots, "training and plotting cells are tagged demo: " + src[:60]
        if "np.random.seed" in src:
            assert src.count("\n") == 1, "seeding has its own cell: " + src
