"""Tests of the `gradient_checking` graders beyond the mutant suite and the
generic checks of tests/test_graders_common.py: constant and shaped stubs earn
nothing, the tolerances keep margin; the probes are what they claim; the
reference mirrors gc_utils; the notebook's draft backward pass is caught; the
public checks accept every right variant."""
import contextlib
import importlib.util
import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from autograder import grading
from autograder.grading import FAILED, max_points, run_test, run_tests, total
from autograder.graders import _gc_probes as probes
from autograder.graders import gradient_checking as graders
from autograder.nbgrader_ext.cells import grade_cell_source
from autograder.numerics import GRADCHECK_RTOL, numerical_gradient, rel_error
from autograder.reference import gradient_checking as ref
from autograder.student import define_overrides, local_submission
from autograder.variants import define
from autograder.variants import gradient_checking as mutants
from tests.test_graders_common import SETTINGS

ID = "gradient_checking"
FUNCTIONS = SETTINGS[ID].functions
TESTS = grading.tests_of(graders)
FOLDER = Path(__file__).resolve().parents[1] / "source" / ID
NOTEBOOK = FOLDER / f"{ID}.ipynb"


def _load(name):
    """A module of source/gradient_checking, imported from its folder."""
    sys.path.insert(0, str(FOLDER))
    try:
        spec = importlib.util.spec_from_file_location(f"_gc_{name}", FOLDER / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(FOLDER))


def _with(**functions):
    """The reference with some graded functions replaced."""
    namespace = dict(vars(ref))
    namespace.update(functions)
    return local_submission(namespace)


def _variant_namespace(source):
    namespace = dict(vars(ref))
    exec(compile(source, "<variant>", "exec"), namespace)
    return namespace


# --- the graders as a whole ------------------------------------------------------

def _zero_forward_n(X, Y, parameters):
    m = X.shape[1]
    cache = []
    for l in (1, 2, 3):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        cache += [np.zeros((W.shape[0], m)), np.zeros((W.shape[0], m)), W, b]
    return 0.0, tuple(cache)


def _zero_backward_n(X, Y, cache):
    m = X.shape[1]
    grads = {}
    for l, (W, b) in zip((1, 2, 3), ((cache[2], cache[3]), (cache[6], cache[7]),
                                     (cache[10], cache[11]))):
        grads.update({f"dZ{l}": np.zeros((W.shape[0], m)), f"dA{l}": np.zeros((W.shape[0], m)),
                      f"dW{l}": np.zeros_like(W), f"db{l}": np.zeros_like(b)})
    return grads


@pytest.mark.parametrize("constant", [0.0, 1e-9, 0.5, 1.0])
def test_constant_and_shaped_zero_stubs_earn_nothing(constant):
    """Stubs returning a constant difference, or zeros of the right shapes, fail every test
    (a checker that always says 'fine', or always 'wrong', gets no point)."""
    submission = _with(
        forward_propagation=lambda x, theta: 0.0,
        backward_propagation=lambda x, theta: 0.0,
        gradient_check=lambda *a, **k: constant,
        forward_propagation_n=_zero_forward_n,
        backward_propagation_n=_zero_backward_n,
        gradient_check_n=lambda *a, **k: constant)
    for test in TESTS:
        result = run_test(test, submission)
        assert result.status == FAILED, (test.__name__, result.status, result.message)


def test_list_instead_of_array_is_named():
    def forward(X, Y, parameters):
        cost, cache = ref.forward_propagation_n(X, Y, parameters)
        return cost, (cache[0].tolist(),) + cache[1:]
    results = run_tests(ID, _with(forward_propagation_n=forward), "forward_propagation_n")
    assert any("cache[0] (Z1) is a list, expected a numpy array" in r.message for r in results)


# --- the probes ------------------------------------------------------------------

def test_probe_sources_define_the_same_functions():
    """Each override source runs with numpy alone and computes what the probe does."""
    rng = np.random.default_rng(0)
    for case in probes.RIGHT_1D + probes.WRONG_1D:
        defined = define_overrides(probes.overrides_1d(case))
        for x, theta in rng.normal(0, 1.5, (5, 2)):
            assert defined["forward_propagation"](x, theta) == case.cost(x, theta)
            assert defined["backward_propagation"](x, theta) == case.grad(x, theta)
    params, X, Y = graders._draw_network(rng, ref.LAYER_DIMS, 4)
    assert probes.REAL_NET.cost(X, Y, params)[0] == pytest.approx(
        ref.forward_propagation_n(X, Y, params)[0], rel=1e-13)
    sentinel = define_overrides(probes.SENTINEL_ND)["forward_propagation_n"]
    with pytest.raises(LookupError, match=probes.SENTINEL):
        sentinel(X, Y, params)
    for probe in probes.PROBES_ND + (probes.REAL_NET,):
        defined = define_overrides(probes.overrides_nd(probe))
        assert defined["forward_propagation_n"](X, Y, params) == probe.cost(X, Y, params)
        theta, keys = defined["dictionary_to_vector"](params)
        assert theta.shape == (47, 1) and keys[0] == "W1" and keys[-1] == "b3"
        back = defined["vector_to_dictionary"](theta)
        assert all(np.array_equal(back[k], params[k]) for k in params)


def test_right_probes_are_right_and_wrong_probes_are_wrong():
    rng = np.random.default_rng(1)
    cases = {case for right, _, wrong in probes.CASES_1D.values() for case in right + wrong}
    for case in sorted(cases, key=lambda c: c.label):     # the same draws every run
        for _ in range(20):
            x, theta = graders._draw_scalars(rng, case)
            t = np.array([theta])
            numeric = numerical_gradient(lambda: case.cost(x, t[0]), t)[0]
            err = float(rel_error(case.grad(x, theta), numeric))
            if case.right:
                assert err <= GRADCHECK_RTOL, (case.label, x, theta, err)
            else:
                assert err >= graders.MIN_WRONG / 2, (case.label, x, theta, err)
    for probe in probes.PROBES_ND + (probes.REAL_NET,):
        params, grads, X, Y = graders._checker_inputs(rng, probe, ref.LAYER_DIMS, 5)
        for key in graders.PARAM_KEYS:
            numeric = numerical_gradient(lambda: probe.cost(X, Y, params)[0], params[key])
            assert float(rel_error(grads[f"d{key}"], numeric).max()) <= GRADCHECK_RTOL, key
        for label, wrong in probes.WRONG_GRADIENTS:
            params, bad, X, Y = graders._checker_inputs(rng, probe, ref.LAYER_DIMS, 5, wrong)
            with_probe = local_submission(vars(ref)).gradient_check_n.call(
                (params, bad, X, Y), overrides=probes.overrides_nd(probe)).value
            # far above the verdict threshold (2e-7) a checker must cross for it
            assert with_probe > 1000 * graders.COURSE_THRESHOLD, (probe.label, label, with_probe)


def test_checker_tolerances_have_margin():
    """On fresh draws, right checkers written differently (the course's layout and
    the restore-in-place one) stay well inside the named tolerances."""
    names = ("the course's layout", "CS231n style: += eps, -= 2 eps, += eps on theta",
             "the course's layout, with messages",
             "perturbs an array in place: += eps, -= 2 eps, += eps")
    variants = [v for v in mutants.VARIANTS if v.name in names]
    assert len(variants) == 4
    reference = local_submission(vars(ref))
    rng = np.random.default_rng(2)
    worst = {"roundoff": 0.0, "truncation": 0.0}
    for v in variants:
        student = local_submission(_variant_namespace(v.source))
        fn = v.function
        for _ in range(15):
            if fn == "gradient_check":
                case = probes.CURVED_1D[int(rng.integers(len(probes.CURVED_1D)))]
                args, overrides = graders._draw_scalars(rng, case), probes.overrides_1d(case)
            else:
                probe = probes.PROBES_ND[int(rng.integers(2))]
                params, X, Y = graders._draw_network(rng, ref.LAYER_DIMS, int(rng.integers(1, 8)))
                args = (params, probe.gradients(X, Y, params), X, Y)
                overrides = probes.overrides_nd(probe)
            for epsilon, kind in ((1e-7, "roundoff"), (1e-3, "truncation")):
                got, want = (getattr(s, fn).call(args, {"epsilon": epsilon},
                                                 overrides=overrides).value
                             for s in (student, reference))
                off = abs(got - want) if kind == "roundoff" else float(rel_error(got, want))
                worst[kind] = max(worst[kind], off)
    assert worst["roundoff"] <= graders.ROUNDOFF_ATOL / 3, worst
    assert worst["truncation"] <= graders.TRUNCATION_RTOL / 10, worst


def test_network_draws_avoid_relu_kinks_and_need_the_masks():
    """Away from kinks, and every hidden layer has units on and units off, so a
    backward pass without a ReLU mask (db2 from dA2) is wrong on every draw; no
    saturated sigmoid (a checker's own log(1 - A3) stays accurate)."""
    rng = np.random.default_rng(3)
    for _ in range(30):
        for dims, m in graders.NET_CONFIGS + graders.CHECKER_CONFIGS:
            params, X, Y = graders._draw_network(rng, dims, m)
            cache = ref.forward_propagation_n(X, Y, params)[1]
            assert min(np.abs(cache[0]).min(), np.abs(cache[4]).min()) > graders.KINK_MARGIN
            for Z in (cache[0], cache[4]):
                assert (Z < 0).any() and (Z > 0).any()
            assert np.abs(cache[8]).max() <= graders.MAX_Z3


# --- gc_utils and the reference ---------------------------------------------------

def test_reference_helpers_match_gc_utils():
    gc_utils = _load("gc_utils")
    assert tuple(gc_utils.LAYER_DIMS) == tuple(ref.LAYER_DIMS)
    rng = np.random.default_rng(4)
    for dims in (ref.LAYER_DIMS, (2, 3, 1), (3, 4, 2, 5, 1)):
        params = {}
        for l in range(1, len(dims)):
            params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
            params[f"b{l}"] = rng.standard_normal((dims[l], 1))
        mine, keys = gc_utils.dictionary_to_vector(params)
        theirs, ref_keys = ref.dictionary_to_vector(params)
        assert np.array_equal(mine, theirs) and keys == ref_keys
        grads = {f"d{k}": v for k, v in params.items()} | {"dZ1": np.ones((dims[1], 3))}
        assert np.array_equal(gc_utils.gradients_to_vector(grads), ref.gradients_to_vector(grads))
        assert np.array_equal(gc_utils.gradients_to_vector(grads), mine)
        back = gc_utils.vector_to_dictionary(mine, dims)
        assert all(np.array_equal(back[k], params[k]) for k in params)
        back[next(iter(back))][0, 0] += 1.0      # fresh copies, not views of theta
        assert np.array_equal(mine, theirs)
    with pytest.raises(ValueError, match="needs 47"):
        gc_utils.vector_to_dictionary(np.zeros((46, 1)))
    Z = rng.standard_normal((3, 4))
    assert np.array_equal(gc_utils.relu(Z), ref.relu(Z))
    assert np.array_equal(gc_utils.sigmoid(Z), ref.sigmoid(Z))


# --- the notebook ------------------------------------------------------------------

def _notebook():
    return json.loads(NOTEBOOK.read_text())


def _code(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _draft_source():
    for cell in _notebook()["cells"]:
        if cell["cell_type"] == "code" and "def backward_propagation_n_draft" in _code(cell):
            return _code(cell).replace("backward_propagation_n_draft", "backward_propagation_n")
    raise AssertionError("no backward_propagation_n_draft cell in the notebook")


def test_the_notebooks_draft_is_caught_by_graders_checker_and_public_check():
    source = _draft_source()
    namespace = _variant_namespace(source)
    score, max_score = total(run_tests(ID, local_submission(namespace), "backward_propagation_n"))
    assert score < max_score
    # The reference checker flags it on the notebook's own example.
    np.random.seed(1)
    X, Y, parameters = _load("gc_utils").make_example(m=3)
    cache = ref.forward_propagation_n(X, Y, parameters)[1]
    draft = namespace["backward_propagation_n"](X, Y, cache)
    assert ref.gradient_check_n(parameters, draft, X, Y) > 1e-2
    assert ref.gradient_check_n(parameters, ref.backward_propagation_n(X, Y, cache), X, Y) < 2e-7
    # Its mistakes are the ones the mutant catalogue lists (same gradients).
    planted = next(v for v in mutants.VARIANTS if v.name.startswith("the notebook's planted"))
    planted_ns = define(planted, dict(vars(ref)))
    assert all(np.array_equal(a, b) for a, b in zip(
        planted_ns["backward_propagation_n"](X, Y, cache).values(), draft.values()))
    with pytest.raises(AssertionError, match="db2"):
        with contextlib.redirect_stdout(io.StringIO()):
            _load("public_tests").check_backward_propagation_n(namespace["backward_propagation_n"])


def test_notebook_cells_follow_the_conventions():
    nb = _notebook()
    assert nb["metadata"]["dlkit"] == {"assignment": ID}
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    cells = nb["cells"]
    answers = [i for i, c in enumerate(cells) if c["metadata"].get("nbgrader", {}).get("solution")]
    assert [cells[i]["metadata"]["nbgrader"]["grade_id"] for i in answers] == [
        "forward_propagation", "backward_propagation", "gradient_check",
        "forward_propagation_n", "gradient_check_n", "backward_propagation_n"]
    for i in answers:
        function = cells[i]["metadata"]["nbgrader"]["grade_id"]
        assert "### BEGIN SOLUTION" in _code(cells[i]) and "### END SOLUTION" in _code(cells[i])
        test = cells[i + 1]
        assert test["metadata"]["nbgrader"] == {
            "grade": True, "solution": False, "locked": True, "points": max_points(ID, function),
            "grade_id": f"test_{function}", "schema_version": 3}
        assert _code(test) == grade_cell_source(function)
    for cell in cells:
        if cell["cell_type"] == "code":
            assert _code(cell).startswith("# "), _code(cell)[:60]
            if "plt.show()" in _code(cell):
                assert "demo" in cell["metadata"].get("tags", []), _code(cell)[:60]


# Salts under which the cache test passed a ReLU on the output layer while every
# Z3 it drew was positive (the cost test failed it, naming the cost only):
# 10 salts in 200 of bench/salt_sweep.py before draws with m >= 2 had Z3 of both
# signs.  The first five of those, and five others.
@pytest.mark.parametrize("salt", ["sweep-33", "sweep-35", "sweep-39", "sweep-58", "sweep-69",
                                  "sweep-0", "sweep-1", "sweep-2", "sweep-3", "sweep-4"])
def test_relu_on_the_output_is_named_under_every_salt(salt):
    variant = next(v for v in mutants.VARIANTS if v.name == "ReLU on the output layer too")
    with contextlib.redirect_stdout(io.StringIO()):
        results = run_tests(ID, local_submission(define(variant, dict(vars(ref)))),
                            "forward_propagation_n", salt=salt)
    failed = [r.message for r in results if r.status == FAILED]
    assert any(variant.expect in message for message in failed), failed


# Salts under which a right checker lost a point to a wrong gradient that was
# hardly wrong.  The CS231n-style checker (+= eps, -= 2 eps, += eps): db3 three
# times too large with b3 near 0 made a wrong difference of ~6e-5, whose
# round-off exceeded WRONG_RTOL (2 salts in 200 of bench/salt_sweep.py on the
# draws of before, 3 in 100 on the draws with Z3 of both signs).  The checker
# with its own forward pass: dW1's rows reversed, on the notebook's network
# with two all-zero rows, is no wrong at all ("grader bug ... looks right",
# 3 salts in 100 before, 1 on the new draws).  Wrong gradients are now at
# least MIN_WRONG apart from the right ones.
@pytest.mark.parametrize("name,salt", [
    *(("CS231n style", salt) for salt in ("sweep-79", "sweep-85", "sweep-4", "sweep-23",
                                          "sweep-90")),
    *(("its own forward pass and its own packing", salt)
      for salt in ("sweep-65", "sweep-72", "sweep-90", "sweep-48")),
])
def test_a_right_checker_keeps_full_marks_under_every_salt(name, salt):
    variant = next(v for v in mutants.VARIANTS if v.name.startswith(name))
    with contextlib.redirect_stdout(io.StringIO()):
        results = run_tests(ID, local_submission(define(variant, dict(vars(ref)))),
                            "gradient_check_n", salt=salt)
    score, max_score = total(results)
    assert score == max_score, [r.message for r in results if r.status == FAILED]


# --- the public checks -------------------------------------------------------------

def test_public_checks_accept_every_right_variant_and_catch_the_common_bugs():
    public = _load("public_tests")
    caught, rejected = {}, []
    for v in mutants.VARIANTS:
        fn = define(v, dict(vars(ref)))[v.function]
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                getattr(public, f"check_{v.function}")(fn)
            passed = True
        except Exception:   # noqa: BLE001 - a failed check, or the student's own error
            passed = False
        if v.expect is None:
            if not passed:
                rejected.append((v.function, v.name))
        else:
            caught[(v.function, v.name)] = not passed
    # Every right answer passes, however it is organised inside: a checker that
    # computes the cost (or the derivative) itself is tried on the real cost, and
    # a cost rounded through float32 is within COST_RTOL.
    assert rejected == [], rejected
    missed = sorted(k for k, c in caught.items() if not c)
    # Public checks need not catch everything; these two are left to the hidden graders.
    assert missed == [("backward_propagation_n", "dZ3 computed in place in the cache's A3"),
                      ("forward_propagation_n", "ReLU on the output layer too")], missed


@pytest.mark.parametrize("dependent", [
    ("backward_propagation_n", "the course's layout (np.dot, np.int64 mask)"),
    ("gradient_check_n", "its own forward pass and its own packing helpers"),
])
def test_public_checks_of_right_answers_pass_beside_every_right_forward_pass(dependent):
    """A check that uses forward_propagation_n passes a right answer beside any
    right forward pass, a cost rounded through float32 included (its centred
    differences are taken of the cache's A3, in float64)."""
    public = _load("public_tests")
    function, name = dependent
    right = next(v for v in mutants.VARIANTS if v.function == function and v.name == name)
    for forward in (v for v in mutants.VARIANTS
                    if v.function == "forward_propagation_n" and v.expect is None):
        namespace = _variant_namespace(forward.source + "\n" + right.source)
        with contextlib.redirect_stdout(io.StringIO()):
            getattr(public, f"check_{function}")(namespace[function])


def test_public_checks_leave_the_global_rng_and_globals_alone():
    public = _load("public_tests")
    np.random.seed(5)
    state = np.random.get_state()[1].copy()
    before = dict(vars(ref))
    with contextlib.redirect_stdout(io.StringIO()):
        for f in FUNCTIONS:
            getattr(public, f"check_{f}")(getattr(ref, f))
    assert np.array_equal(np.random.get_state()[1], state)
    assert all(vars(ref)[k] is v for k, v in before.items())


@pytest.mark.parametrize("backward,forward,name", [
    ("backward_propagation", "forward_propagation", "adds instead of multiplying"),
    ("backward_propagation_n", "forward_propagation_n", "cost without 1/m"),
])
def test_a_check_that_uses_another_function_says_fix_that_one_first(backward, forward, name):
    """A right backward pass beside a wrong forward pass is told to fix the
    forward pass first, never blamed for its mistake."""
    public = _load("public_tests")
    wrong = next(v for v in mutants.VARIANTS if v.function == forward and v.name == name)
    right = next(v for v in mutants.VARIANTS if v.function == backward and v.expect is None)
    namespace = _variant_namespace(wrong.source + "\n" + right.source)
    with contextlib.redirect_stdout(io.StringIO()):
        getattr(public, f"check_{backward}")(_variant_namespace(right.source)[backward])
    with pytest.raises(AssertionError) as failed:
        with contextlib.redirect_stdout(io.StringIO()):
            getattr(public, f"check_{backward}")(namespace[backward])
    # the message is wrapped to fit nbgrader validate's lines
    assert f"fix {forward} first: this check uses it" in " ".join(str(failed.value).split())
