"""``python -m autograder grade``: discovery, assignment detection, the JSON,
the table, feedback files, which cells run, and finishing a killed batch."""
import json
import os
import shutil
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograder import cli, tempdirs
from autograder.grading import ERROR, FAILED, PASSED, TIMEOUT
from autograder.sandbox.isolation import REPO
from tests.hostile import graded_functions, notebook, write

ASSIGNMENT = "initialization"
FULL = sum(graded_functions(ASSIGNMENT).values())
WRONG_HE = """
def initialize_parameters_he(layers_dims):
    params = {}
    for l in range(1, len(layers_dims)):
        params[f"W{l}"] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(1 / layers_dims[l - 1])
        params[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return params
"""
TEST_KEYS = {"name", "function", "score", "max_score", "status", "message"}
OPTIONAL_TEST_KEYS = {"diagnosis", "figure"}     # only when there is one (grading.TestResult)


@pytest.fixture(autouse=True)
def course_secret(tmp_path, monkeypatch):
    """A course secret of the test's own (not the repository's)."""
    monkeypatch.setenv("DLKIT_SECRET_FILE", str(tmp_path / "secret"))


def grade(capsys, *args):
    code = cli.main(["grade", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def anonymous(nb):
    """The notebook without its dlkit metadata: the assignment comes from the path."""
    nb["metadata"].pop("dlkit")
    return nb


def test_json_table_and_assignment_detection(tmp_path, capsys):
    subs = tmp_path / "subs"
    write(anonymous(notebook(ASSIGNMENT)), subs / "alice" / "initialization.ipynb")
    write(anonymous(notebook(ASSIGNMENT, replace={"initialize_parameters_he": WRONG_HE})),
          subs / "initialization" / "bob.ipynb")
    write(notebook(ASSIGNMENT), subs / "carol" / "anything.ipynb")
    write(anonymous(notebook(ASSIGNMENT)), subs / "dave" / "work.ipynb")
    write(notebook(ASSIGNMENT), subs / "alice" / ".ipynb_checkpoints" / "initialization.ipynb")
    (subs / "notes.txt").write_text("not a notebook")
    code, out, err = grade(capsys, subs, "--json", tmp_path / "grades.json", "-j", "1")
    assert code == 1                                   # dave could not be graded
    data = json.loads((tmp_path / "grades.json").read_text())
    assert set(data) == {"submissions", "protections"} and data["protections"]
    records = data["submissions"]
    assert [r["submission"] for r in records] == [str(subs / p) for p in (
        "alice/initialization.ipynb", "carol/anything.ipynb", "dave/work.ipynb",
        "initialization/bob.ipynb")]
    alice, carol, dave, bob = records
    assert [r["student"] for r in records] == ["initialization", "anything", "work", "subs"]
    for r in (alice, carol, bob):
        assert set(r) == {"submission", "student", "assignment", "score", "max_score", "tests",
                          "protections", "protected", "inputs_salt"}
        assert r["protected"] is True and len(r["inputs_salt"]) == 32
        assert r["assignment"] == ASSIGNMENT and r["max_score"] == FULL
        assert r["score"] == sum(t["score"] for t in r["tests"])
        for t in r["tests"]:
            assert TEST_KEYS <= set(t) <= TEST_KEYS | OPTIONAL_TEST_KEYS
            assert t["status"] in (PASSED, FAILED, ERROR, TIMEOUT)
            assert (t["score"] == t["max_score"]) == (t["status"] == PASSED)
    assert alice["score"] == carol["score"] == FULL
    he = [t for t in bob["tests"] if t["function"] == "initialize_parameters_he"]
    assert 0 < sum(t["score"] for t in he) < sum(t["max_score"] for t in he)
    assert any("2 / n[l-1]" in t["message"] for t in he)
    assert set(dave) == {"submission", "student", "assignment", "score", "max_score", "tests",
                         "error", "protected"}
    assert dave["assignment"] is None and dave["score"] == dave["max_score"] == 0
    assert "cannot tell which assignment" in dave["error"] and dave["tests"] == []
    for r in records:                                  # the table names everything
        assert r["submission"] in out
    for fn in graded_functions(ASSIGNMENT):
        assert fn in out
    assert f"{FULL:g}/{FULL:g}" in out and "protections:" in out
    assert "not graded: cannot tell which assignment" in out


def test_feedback_files_show_scores_and_messages_not_grader_source(tmp_path, capsys):
    subs = tmp_path / "subs"
    write(notebook(ASSIGNMENT, replace={"initialize_parameters_he": WRONG_HE}), subs / "bob.ipynb")
    (subs / "broken.ipynb").write_text("{")
    code, _, _ = grade(capsys, subs, "--feedback", tmp_path / "feedback", "-j", "1")
    assert code == 1                                   # broken.ipynb could not be graded
    files = sorted(p.name for p in (tmp_path / "feedback").iterdir())
    assert len(files) == 2
    bob = next((tmp_path / "feedback").glob("initialization-*-bob.md")).read_text()
    assert bob.startswith("# initialization: feedback for bob") and str(tmp_path) not in bob
    assert "initialize_parameters_he" in bob and "failed" in bob and "2 / n[l-1]" in bob
    assert re.search(r"score:? \*\*\d+ / 14\*\*", bob, re.IGNORECASE)
    for leak in ("def test_", "@graded", "grader_rng", "expect_close(", "import "):
        assert leak not in bob
    broken = next((tmp_path / "feedback").glob("*-broken.md")).read_text()
    assert "could not be graded" in broken and "not valid JSON" in broken


def test_only_the_right_cells_run(tmp_path, capsys):
    """Test cells and demo cells are left out (here both would sabotage the
    grade), magics are stripped, and a cell that raises does not stop the rest."""
    nb = notebook(ASSIGNMENT, extra=[
        (None, "%matplotlib inline\n!pip install numpy\nimport os\n"),
        (None, "# a typo the student left in\nraise ValueError('oops')\n"),
        ("initialize_parameters_he", "%%bash\nexit 1\n")])
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade"):
            cell["source"] = "initialize_parameters_he = initialize_parameters_zeros = None\n"
    nb["cells"].append({"cell_type": "code", "metadata": {"tags": ["demo"]}, "outputs": [],
                        "execution_count": None, "source": "initialize_parameters_random = None\n"})
    path = write(nb, tmp_path / "initialization.ipynb")
    code, _, _ = grade(capsys, path, "--json", tmp_path / "g.json")
    assert code == 0
    record = json.loads(next((tmp_path / "g.json.results").glob("*.json")).read_text())
    assert record["score"] == FULL, record["tests"]
    assert [e["message"] for e in record["cell_errors"]] == ["cell 3 raised ValueError: oops"]


def test_usage_errors_exit_non_zero(tmp_path, capsys):
    code, _, err = grade(capsys, tmp_path / "missing")
    assert code == 2 and "no such file or folder" in err
    with pytest.raises(SystemExit) as exc:
        cli.main(["grade"])
    assert exc.value.code == 2


def test_rerun_keeps_unchanged_results_and_regrades_changed_ones(tmp_path, capsys):
    subs = tmp_path / "subs"
    for name in ("a", "b"):
        write(notebook(ASSIGNMENT), subs / f"{name}.ipynb")
    json_path = tmp_path / "g.json"
    grade(capsys, subs, "--json", json_path, "-j", "1")
    first = json_path.read_text()
    _, out, _ = grade(capsys, subs, "--json", json_path, "-j", "1")
    assert "0 graded, 2 kept from an earlier run" in out and json_path.read_text() == first
    write(notebook(ASSIGNMENT, replace={"initialize_parameters_he": WRONG_HE}), subs / "b.ipynb")
    _, out, _ = grade(capsys, subs, "--json", json_path, "-j", "1")
    assert "1 graded, 1 kept from an earlier run" in out
    scores = [r["score"] for r in json.loads(json_path.read_text())["submissions"]]
    assert scores[0] == FULL > scores[1]
    _, out, _ = grade(capsys, subs, "--json", json_path, "--regrade", "-j", "1")
    assert "2 graded, 0 kept from an earlier run" in out


def test_a_batch_killed_halfway_finishes_on_rerun(tmp_path, capsys, monkeypatch, request):
    """SIGKILL the CLI (grading two at a time) after its first result file
    appears; running the same command again finishes the batch with the
    results of an uninterrupted run, and leaves nothing in the temp dir: not
    its own dirs, not the killed run's."""
    subs = tmp_path / "subs"
    for i in range(3):
        variant = {"initialize_parameters_he": WRONG_HE} if i % 2 else None
        write(notebook(ASSIGNMENT, replace=variant), subs / f"s{i}.ipynb")
    killed = tmp_path / "killed.json"
    results = Path(str(killed) + ".results")
    # a temp dir the sandbox's uid can pass through (as root, pytest's own is 0700 and
    # the grader would put its workspaces in /tmp instead)
    temp = Path(tempfile.mkdtemp(prefix="dlkit-killed-", dir="/tmp"))
    os.chmod(temp, 0o755)
    request.addfinalizer(lambda: shutil.rmtree(temp, ignore_errors=True))
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", TMPDIR=str(temp))
    proc = subprocess.Popen([sys.executable, "-m", "autograder", "grade", str(subs),
                             "--json", str(killed), "--jobs", "2"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(results.glob("*.json")) and time.monotonic() < deadline:
        assert proc.poll() is None, "the grader ended before it could be killed"
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(list(results.glob("*.json")))
    assert 1 <= done_before < 3 and not killed.exists()
    left = list(temp.glob("dlkit-sandbox-*"))
    assert left, "a killed run leaves its temp dirs (this test checks they are cleaned)"
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    deadline = time.monotonic() + 60      # the killed run's workers die with it
    while any(tempdirs._alive((p / tempdirs.OWNER).read_text()) for p in left
              if (p / tempdirs.OWNER).exists()) and time.monotonic() < deadline:
        time.sleep(0.1)
    code, out, _ = grade(capsys, subs, "--json", killed, "--jobs", "1")
    assert code == 0 and f"{3 - done_before} graded, {done_before} kept from an earlier run" in out, \
        out[-3000:]
    assert not list(temp.iterdir())
    clean = tmp_path / "clean.json"
    grade(capsys, subs, "--json", clean, "--jobs", "1")
    assert json.loads(killed.read_text()) == json.loads(clean.read_text())
    assert len(list(results.glob("*.json"))) == 3
    assert not [p for p in results.iterdir() if not p.name.endswith(".json")]
    assert not list(temp.iterdir())
