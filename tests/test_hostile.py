"""Submissions that try to cheat or to break the grader, graded in one batch.

Every fixture is a realistic notebook made from the reference (tests/hostile):
one graded function replaced by the attack, or an extra cell.  One CLI run
grades them all together with an honest submission, then each test checks
its submission's record: the attacking function scores 0 (or, when the
attack is just a wrong answer, exactly what the in-process grader gives),
the honest functions of the same notebook keep full marks, the message says
what happened, and the rest of the batch is graded normally.
"""
import importlib
import json
import re
import socket
import textwrap

import pytest

from autograder import cli, report
from autograder.grading import run_tests, total
from autograder.sandbox import Limits, detect
from autograder.sandbox.isolation import REPO
from autograder.student import local_submission
from tests.hostile import _split_reference, graded_functions, notebook, write

ASSIGNMENT = "initialization"
CHEAT = "initialize_parameters_he"
HONEST = ("initialize_parameters_zeros", "initialize_parameters_random")
NAMESPACE = detect(Limits()).protected
CALL_TIMEOUT, CELL_TIMEOUT = 2, 4       # seconds: short, so the suite stays fast
MAX_PROCESSES = 32
FORKS_TRIED = 300                       # the fork bomb stops itself here at worst
needs_namespace = pytest.mark.skipif(not NAMESPACE, reason="needs root and unshare "
                                     "(namespace isolation)")


def reference_source(function, assignment=ASSIGNMENT):
    return _split_reference(assignment)[1][function]


def _body(function, indent):
    """The reference function's body, indented by ``indent`` spaces, to paste
    under a cheat's own def line (the f-strings below are dedented later)."""
    lines = reference_source(function).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("def ")) + 1
    return textwrap.indent(textwrap.dedent("\n".join(lines[start:])), " " * indent)


def cheat(source):
    """{CHEAT: source} for notebook(replace=...)."""
    return {CHEAT: source}


def build_cases(folder, port, json_path, results_dir):
    """{case name: notebook path}; the paths the attacks aim at are real ones."""
    nb = {}
    nb["honest"] = notebook(ASSIGNMENT)
    nb["numpy_patched"] = notebook(ASSIGNMENT, replace=cheat("""
        def initialize_parameters_he(layers_dims):
            return {}
        """), extra=[(None, """
        # make every comparison succeed
        import numpy.testing
        np.allclose = lambda *a, **k: True
        np.array_equal = lambda *a, **k: True
        np.isclose = lambda *a, **k: True
        np.testing.assert_allclose = lambda *a, **k: None
        np.testing.assert_array_equal = lambda *a, **k: None
        """)])
    nb["builtins_patched"] = notebook(ASSIGNMENT, replace=cheat("""
        def initialize_parameters_he(layers_dims):
            import builtins
            builtins.isinstance = lambda *a: True
            return None
        """), extra=[(None, """
        # make type checks, sizes and errors lie
        import builtins
        builtins.isinstance = lambda *a: True
        builtins.abs = lambda x: 0
        builtins.len = lambda x: 0
        """)])
    nb["always_equal"] = notebook(ASSIGNMENT, replace=cheat("""
        class AlwaysEqual:
            shape = (10, 5)
            dtype = np.dtype(float)
            def __eq__(self, other):
                return True
            def __array__(self, dtype=None, copy=None):
                return np.zeros(self.shape)
            def __float__(self):
                return 0.0

        def initialize_parameters_he(layers_dims):
            return {f"{p}{l}": AlwaysEqual() for l in range(1, len(layers_dims)) for p in "Wb"}
        """))
    nb["ndarray_subclass"] = notebook(ASSIGNMENT, replace=cheat(f"""
        class Liar(np.ndarray):
            def __eq__(self, other):
                return np.ones(self.shape, dtype=bool)
            def __sub__(self, other):
                return np.zeros(self.shape)

        def _honest(layers_dims):
{_body(CHEAT, 12)}

        def initialize_parameters_he(layers_dims):
            return {{k: (v * 0).view(Liar) for k, v in _honest(layers_dims).items()}}
        """))
    nb["nan_inf"] = notebook(ASSIGNMENT, replace=cheat(NAN_INF))
    nb["reseeds"] = notebook(ASSIGNMENT, replace=cheat(RESEEDS))
    nb["exits"] = notebook(ASSIGNMENT, replace={
        CHEAT: "import sys\n\ndef initialize_parameters_he(layers_dims):\n    sys.exit(0)\n",
        "initialize_parameters_random":
            "def initialize_parameters_random(layers_dims):\n    raise KeyboardInterrupt\n"})
    nb["hard_exit"] = notebook(ASSIGNMENT, replace={
        CHEAT: "import os\n\ndef initialize_parameters_he(layers_dims):\n    os._exit(0)\n",
        "initialize_parameters_random":
            "def initialize_parameters_random(layers_dims):\n    raise SystemExit('bye')\n"})
    nb["signal"] = notebook(ASSIGNMENT, replace=cheat("""
        import os, signal

        def initialize_parameters_he(layers_dims):
            os.kill(os.getpid(), signal.SIGTERM)
        """))
    nb["exiting_cells"] = notebook(ASSIGNMENT, extra=[
        ("initialize_parameters_zeros", "# leave early\nimport os\nos._exit(3)\n"),
        ("initialize_parameters_random", "# leave early, politely\nraise SystemExit\n")])
    nb["infinite_loop"] = notebook(ASSIGNMENT, replace=cheat("""
        def initialize_parameters_he(layers_dims):
            while True:
                pass
        """))
    nb["looping_cell"] = notebook(ASSIGNMENT, extra=[(
        "initialize_parameters_zeros", "# wait for ever\nwhile True:\n    pass\n")])
    nb["memory_bomb"] = notebook(ASSIGNMENT, replace={
        CHEAT: "def initialize_parameters_he(layers_dims):\n    return np.ones(2**31)\n",
        "initialize_parameters_random": """
        def initialize_parameters_random(layers_dims):
            hoard = []
            while True:
                hoard.append(np.zeros(2**26))      # 512 MiB each
        """})
    nb["fork_bomb"] = notebook(ASSIGNMENT, replace=cheat(f"""
        import os, time

        def initialize_parameters_he(layers_dims):
            forked = 0
            for _ in range({FORKS_TRIED}):
                try:
                    pid = os.fork()
                except OSError:
                    break
                if pid == 0:
                    time.sleep(60)
                    os._exit(0)
                forked += 1
            raise RuntimeError(f"forked {{forked}} processes")
        """))
    nb["print_flood"] = notebook(ASSIGNMENT, replace=cheat(f"""
        import os

        def initialize_parameters_he(layers_dims):
            for _ in range(5):
                print("x" * 2**20)
                os.write(1, b"y" * 2**20)
                os.write(2, b"z" * 2**20)
{_body(CHEAT, 12)}
        """))
    fake = json.dumps({"submissions": [{"submission": "fake", "assignment": ASSIGNMENT,
                                        "score": 14, "max_score": 14, "tests": []}]})
    nb["fake_results"] = notebook(ASSIGNMENT, replace=cheat("""
        def initialize_parameters_he(layers_dims):
            return {}
        """), extra=[(None, f"""
        # claim full marks everywhere a result could be
        import os
        FAKE = {fake!r}
        print(FAKE)
        os.write(1, FAKE.encode())
        for target in [{str(json_path)!r}, {str(results_dir / "fake.json")!r}, "results.json",
                       "../grades.json", "/tmp/grades.json"]:
            try:
                with open(target, "w") as f:
                    f.write(FAKE)
            except OSError:
                pass
        """)])
    secret_paths = [REPO / "autograder" / "graders" / f"{ASSIGNMENT}.py",
                    REPO / "autograder" / "reference" / f"{ASSIGNMENT}.py",
                    REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                    REPO / "gradebook.db", json_path, results_dir, folder / "honest.ipynb"]
    relative = ["../autograder/graders/initialization.py",
                "../../autograder/reference/initialization.py",
                "../../../work/main/autograder/graders/initialization.py", "gradebook.db",
                "../gradebook.db", "../source/initialization/initialization.ipynb"]
    nb["snoops"] = notebook(ASSIGNMENT, replace=cheat(f"""
        import os, time

        def initialize_parameters_he(layers_dims):
            found = []
            for path in {[str(p) for p in secret_paths] + relative!r}:
                if os.path.exists(path):
                    found.append(path)
            for name in ("autograder.graders.initialization", "autograder.reference.initialization"):
                try:
                    __import__(name)
                    found.append(name)
                except Exception:
                    pass
            try:
                import __editable___dlkit_autograder_0_1_0_finder as finder
                finder.install()
                import autograder.graders.initialization
                found.append("the editable finder")
            except Exception:
                pass
            start = time.monotonic()
            for top in ("/", "/work", "/root", "/home", "/tmp", "/srv", "/var", "/opt"):
                for root, dirs, files in os.walk(top):
                    if root.count("/") > 4 or time.monotonic() - start > 1:
                        dirs[:] = []
                    if root.startswith(("/proc", "/sys", "/usr", "/dev")):
                        dirs[:] = []
                        continue
                    hits = {{"graders", "reference", "autograder"}} & set(dirs)
                    hits |= {{"gradebook.db", "initialization.ipynb"}} & set(files)
                    if hits and "site-packages" not in root:
                        found.append(root)
            if found:
{_body(CHEAT, 16)}
            raise RuntimeError("found nothing to read")
        """))
    nb["network"] = notebook(ASSIGNMENT, replace=cheat(f"""
        import socket

        def initialize_parameters_he(layers_dims):
            try:
                socket.create_connection(("127.0.0.1", {port}), timeout=1).close()
            except OSError as exc:
                raise RuntimeError(f"no network: {{exc}}")
{_body(CHEAT, 12)}
        """))
    nb["missing_function"] = notebook(ASSIGNMENT, drop=[CHEAT])
    edited = notebook(ASSIGNMENT, replace=cheat("""
        def initialize_parameters_he(layers_dims):
            return {}
        """))
    cells = edited["cells"]
    for cell in cells:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id == f"test_{CHEAT}":          # the check cell says all is well
            del cell["metadata"]["nbgrader"]
            cell["source"] = f'print("{CHEAT}: all public checks passed")\n'
    edited["cells"] = [c for c in cells if c["metadata"].get("nbgrader", {}).get(
        "grade_id") != "test_initialize_parameters_zeros"]        # a check cell deleted
    nb["edited_checks"] = edited
    nb["dropout_reseeds"] = notebook("regularization", replace={
        "forward_propagation_with_dropout": DROPOUT_RESEEDS})
    paths = {name: write(data, folder / f"{name}.ipynb") for name, data in nb.items()}
    broken = folder / ASSIGNMENT                  # named by the folder: assignment known
    broken.mkdir()
    (broken / "not_json.ipynb").write_text('{"cells": [', encoding="utf-8")
    (broken / "no_cells.ipynb").write_text('{"cells": [], "nbformat": 4}', encoding="utf-8")
    (broken / "not_utf8.ipynb").write_bytes(b'{"cells": ["\xff\xfe"]}')
    huge = notebook(ASSIGNMENT)
    huge["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout",
                                    "text": "x" * (21 * 2**20)}]
    write(huge, broken / "very_large.ipynb")
    for name in ("not_json", "no_cells", "not_utf8", "very_large"):
        paths[name] = broken / f"{name}.ipynb"
    return paths


NAN_INF = """
def initialize_parameters_he(layers_dims):
    params = {}
    for l in range(1, len(layers_dims)):
        params[f"W{l}"] = np.full((layers_dims[l], layers_dims[l - 1]), np.nan)
        params[f"b{l}"] = np.full((layers_dims[l], 1), np.inf)
    return params
"""

RESEEDS = """
def initialize_parameters_he(layers_dims):
    np.random.seed(3)
    params = {}
    for l in range(1, len(layers_dims)):
        params[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2 / layers_dims[l - 1])
        params[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return params
"""

DROPOUT_RESEEDS = """
def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    np.random.seed(1)
    W1, b1, W2, b2, W3, b3 = (parameters[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    A1 = relu(Z1)
    D1 = (np.random.rand(*A1.shape) < keep_prob).astype(float)
    A1 = A1 * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = relu(Z2)
    D2 = (np.random.rand(*A2.shape) < keep_prob).astype(float)
    A2 = A2 * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = sigmoid(Z3)
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
"""


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Grade every case in one CLI run; {case name: record}, plus the raw outputs."""
    tmp = tmp_path_factory.mktemp("hostile")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    json_path = tmp / "grades.json"
    results_dir = tmp / "grades.json.results"
    paths = build_cases(tmp / "submissions", listener.getsockname()[1], json_path, results_dir)
    code = cli.main(["grade", str(tmp / "submissions"), "--json", str(json_path),
                     "--feedback", str(tmp / "feedback"), "--call-timeout", str(CALL_TIMEOUT),
                     "--cell-timeout", str(CELL_TIMEOUT), "--max-processes", str(MAX_PROCESSES)])
    try:
        connection = listener.accept()[0]
        connection.close()
        connected = True
    except BlockingIOError:
        connected = False
    listener.close()
    out = json.loads(json_path.read_text())
    kept = [json.loads(p.read_text()) for p in results_dir.glob("*.json")]
    assert sorted(report.public(r)["submission"] for r in kept) == sorted(
        r["submission"] for r in out["submissions"])
    by_path = {r["submission"]: r for r in kept}          # full records: with cell_errors
    records = {name: by_path[str(path)] for name, path in paths.items()}
    return {"code": code, "records": records, "json": out, "tmp": tmp, "connected": connected}


def functions(record):
    out = {}
    for t in record["tests"]:
        s, m = out.get(t["function"], (0, 0))
        out[t["function"]] = (s + t["score"], m + t["max_score"])
    return out


def messages(record, function):
    return " | ".join(t["message"] for t in record["tests"] if t["function"] == function)


def expect_cheat_zero(record, function=CHEAT, says=None):
    score, most = functions(record)[function]
    assert most > 0 and score == 0, f"{function} scored {score}/{most}: {messages(record, function)}"
    if says is not None:
        assert re.search(says, messages(record, function), re.I), messages(record, function)


def expect_honest_full(record, honest=HONEST):
    for fn in honest:
        score, most = functions(record)[fn]
        assert score == most, f"honest {fn} lost points: {messages(record, fn)}"


def local_results(function, source, assignment=ASSIGNMENT, salt=""):
    """The in-process grade of ``source`` in place of the reference ``function``,
    with the inputs salt of the record it is compared with."""
    namespace = dict(vars(importlib.import_module(f"autograder.reference.{assignment}")))
    exec(compile(textwrap.dedent(source), "<variant>", "exec"), namespace)
    return run_tests(assignment, local_submission(namespace), function=function, salt=salt)


def test_batch_completes_and_the_honest_submission_is_untouched(batch):
    assert batch["code"] == 1          # exit 1: the batch holds notebooks that cannot be graded
    honest = batch["records"]["honest"]
    assert honest["score"] == honest["max_score"] > 0
    assert not honest.get("cell_errors")
    assert all(r["submission"] != "fake" for r in batch["json"]["submissions"])


def test_patching_numpy_changes_nothing(batch):
    record = batch["records"]["numpy_patched"]
    expect_cheat_zero(record, says="missing key")
    expect_honest_full(record)


def test_patching_builtins_changes_nothing(batch):
    record = batch["records"]["builtins_patched"]
    expect_cheat_zero(record, says="None")
    expect_honest_full(record)


def test_always_equal_objects_are_not_plain_data(batch):
    record = batch["records"]["always_equal"]
    expect_cheat_zero(record, says=r"is an AlwaysEqual; expected numbers")
    expect_honest_full(record)


def test_ndarray_subclasses_are_rejected(batch):
    record = batch["records"]["ndarray_subclass"]
    expect_cheat_zero(record, says="ndarray subclass")
    expect_honest_full(record)


@pytest.mark.parametrize("case,function,source", [
    ("nan_inf", CHEAT, NAN_INF), ("reseeds", CHEAT, RESEEDS)])
def test_wrong_answers_score_as_in_process(batch, case, function, source):
    """NaN/inf and a reseeding initializer are plain wrong answers: the sandbox
    grades them exactly as the in-process grader does, below full marks."""
    record = batch["records"][case]
    remote = [(t["name"], t["status"], t["score"], t["message"]) for t in record["tests"]
              if t["function"] == function]
    local = [(r.name, r.status, r.score, r.message)
             for r in local_results(function, source, salt=record["inputs_salt"])]
    assert remote == local
    score, most = total_of(remote), functions(record)[function][1]
    assert score < most
    expect_honest_full(record)


def total_of(rows):
    return sum(row[2] for row in rows)


def test_reseeding_dropout_masks_loses_points(batch):
    record = batch["records"]["dropout_reseeds"]
    fn = "forward_propagation_with_dropout"
    score, most = functions(record)[fn]
    assert score < most
    assert re.search(r"seed", messages(record, fn), re.I)
    local = local_results(fn, DROPOUT_RESEEDS, "regularization", salt=record["inputs_salt"])
    assert score == total(local)[0]
    others = [f for f in graded_functions("regularization") if f != fn]
    expect_honest_full(record, others)


def test_exits_and_interrupts_are_errors_of_the_function(batch):
    record = batch["records"]["exits"]
    expect_cheat_zero(record, says=r"raised SystemExit")
    expect_cheat_zero(record, "initialize_parameters_random", says="raised KeyboardInterrupt")
    expect_honest_full(record, ["initialize_parameters_zeros"])
    record = batch["records"]["hard_exit"]
    expect_cheat_zero(record, says=r"ended the grading process \(exit code 0\)")
    expect_cheat_zero(record, "initialize_parameters_random", says="raised SystemExit: bye")
    expect_honest_full(record, ["initialize_parameters_zeros"])
    record = batch["records"]["signal"]
    expect_cheat_zero(record, says=r"killed the grading process \(signal SIGTERM\)")
    expect_honest_full(record)


def test_cells_that_exit_are_left_out(batch):
    record = batch["records"]["exiting_cells"]
    assert record["score"] == record["max_score"]
    problems = " | ".join(e["message"] for e in record["cell_errors"])
    assert "ended the grading process (exit code 3)" in problems
    assert "raised SystemExit" in problems


def test_infinite_loops_time_out(batch):
    record = batch["records"]["infinite_loop"]
    expect_cheat_zero(record, says=f"timed out after {CALL_TIMEOUT:g} s in {CHEAT}")
    expect_honest_full(record)
    record = batch["records"]["looping_cell"]
    assert record["score"] == record["max_score"]
    assert any(f"timed out after {CELL_TIMEOUT:g} s" in e["message"]
               for e in record["cell_errors"])


def test_memory_bombs_run_out_of_memory(batch):
    record = batch["records"]["memory_bomb"]
    expect_cheat_zero(record, says=r"ran out of memory \(2 GiB\) in initialize_parameters_he")
    expect_cheat_zero(record, "initialize_parameters_random",
                      says=r"ran out of memory \(2 GiB\) in initialize_parameters_random")
    expect_honest_full(record, ["initialize_parameters_zeros"])


def test_fork_bomb_is_stopped_by_the_process_limit(batch):
    record = batch["records"]["fork_bomb"]
    expect_cheat_zero(record, says="forked")
    expect_honest_full(record)
    if NAMESPACE:
        forked = [int(n) for n in re.findall(r"forked (\d+) processes", messages(record, CHEAT))]
        assert forked and max(forked) < MAX_PROCESSES < FORKS_TRIED


def test_printing_megabytes_is_harmless(batch):
    record = batch["records"]["print_flood"]
    assert record["score"] == record["max_score"], record["tests"]


def test_fake_results_change_nothing(batch):
    record = batch["records"]["fake_results"]
    expect_cheat_zero(record, says="missing key")
    expect_honest_full(record)
    assert record["score"] < record["max_score"]
    assert not (batch["tmp"] / "grades.json.results" / "fake.json").exists()


@needs_namespace
def test_hidden_files_cannot_be_read(batch):
    record = batch["records"]["snoops"]
    expect_cheat_zero(record, says="found nothing to read")
    expect_honest_full(record)


@needs_namespace
def test_no_network(batch):
    record = batch["records"]["network"]
    expect_cheat_zero(record, says="no network")
    expect_honest_full(record)
    assert not batch["connected"], "the child connected to a socket on the host's loopback"


def test_missing_function_is_not_defined(batch):
    record = batch["records"]["missing_function"]
    expect_cheat_zero(record, says=f"{CHEAT} is not defined")
    expect_honest_full(record)


def test_edited_check_cells_do_not_matter(batch):
    record = batch["records"]["edited_checks"]
    expect_cheat_zero(record, says="missing key")
    expect_honest_full(record)


@pytest.mark.parametrize("case,says", [
    ("not_json", "not valid JSON"), ("no_cells", "no cells"), ("not_utf8", "not UTF-8"),
    ("very_large", r"21\.\d MiB; the grader reads at most 20 MiB")])
def test_broken_notebooks_score_zero_with_a_reason(batch, case, says):
    record = batch["records"][case]
    assert record["assignment"] == ASSIGNMENT
    assert re.search(says, record["error"]), record["error"]
    assert record["score"] == 0
    assert record["max_score"] == sum(graded_functions(ASSIGNMENT).values())
    assert len(record["tests"]) == len(run_tests_names())
    assert all(t["score"] == 0 and t["status"] == "error" for t in record["tests"])


def run_tests_names():
    from autograder.grading import grader_module, tests_of
    return [t.__name__ for t in tests_of(grader_module(ASSIGNMENT))]


def test_feedback_written_for_every_submission(batch):
    folder = batch["tmp"] / "feedback"
    assert len(list(folder.glob("*.md"))) == len(batch["records"])
    text = (folder / next(p.name for p in folder.glob("*infinite_loop.md"))).read_text()
    assert "timed out" in text and "def " not in text
