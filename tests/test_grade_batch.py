"""Grading a class with ``python -m autograder grade``: links, student ids,
exports, accumulation, exit codes, parallel = serial, fresh inputs, the
results cache's key, bounded student text, safe file names, failing closed,
stale temp dirs."""
import csv
import json
import os
import tempfile
import time

import pytest

from autograder import assignments, cache, cli, exports, tempdirs
from autograder.commands import grade as grade_command
from tests.hostile import notebook, write

ASSIGNMENT = "initialization"
FULL = assignments.get(ASSIGNMENT).max_points
WRONG_ZEROS = """
def initialize_parameters_zeros(layers_dims):
    params = {}
    for l in range(1, len(layers_dims)):
        params[f"W{l}"] = np.ones((layers_dims[l], layers_dims[l - 1]))
        params[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return params
"""


@pytest.fixture(autouse=True)
def secret(tmp_path, monkeypatch):
    path = tmp_path / "secret"
    monkeypatch.setenv("DLKIT_SECRET_FILE", str(path))
    return path


def grade(capsys, *args):
    code = cli.main(["grade", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def records_of(path):
    return {r["submission"]: r for r in json.loads(path.read_text())["submissions"]}


def test_links_are_never_followed_and_no_submission_is_dropped(tmp_path, capsys):
    """A link to the solution, a link to another student's notebook, a linked
    folder: each is its own record, not graded, 0; the linked-to student keeps
    her own record."""
    subs = tmp_path / "submitted"
    alice = write(notebook(ASSIGNMENT), subs / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    (subs / "aaron" / ASSIGNMENT).mkdir(parents=True)
    (subs / "aaron" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").symlink_to(alice)
    solution = write(notebook(ASSIGNMENT), tmp_path / "solutions" / f"{ASSIGNMENT}.ipynb")
    (subs / "bob" / ASSIGNMENT).mkdir(parents=True)
    (subs / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").symlink_to(solution)
    (subs / "carol").symlink_to(tmp_path / "solutions", target_is_directory=True)
    code, out, _ = grade(capsys, subs, "--json", tmp_path / "g.json", "-j", "1")
    assert code == 1
    records = records_of(tmp_path / "g.json")
    assert records[str(alice)]["score"] == FULL and records[str(alice)]["student"] == "alice"
    for linked in (subs / "aaron" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                   subs / "bob" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", subs / "carol"):
        record = records[str(linked)]
        assert record["score"] == 0 and "is a symbolic link" in record["error"], record
    assert records[str(subs / "aaron" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")]["student"] == "aaron"
    assert len(records) == 4 and "3 could not be graded" in out


def test_student_ids_from_the_layout_the_file_name_or_a_pattern(tmp_path):
    from autograder.submissions import find
    subs = tmp_path / "in"
    for rel in ("submitted/zoë/initialization/initialization.ipynb", "loose/work-7.ipynb",
                "hw/Smith, Bob/hw1.ipynb"):
        write(notebook(ASSIGNMENT), subs / rel)
    found = {f.path.relative_to(subs).as_posix(): f.student for f in find([subs], assignments.ids())}
    assert found == {"submitted/zoë/initialization/initialization.ipynb": "zoë",
                     "loose/work-7.ipynb": "work-7", "hw/Smith, Bob/hw1.ipynb": "hw1"}
    found = find([subs / "hw"], assignments.ids(), id_pattern=r"^(?P<student>[^/]+)/")
    assert [f.student for f in found] == ["Smith, Bob"]


def test_csv_and_gradescope_for_a_known_batch_and_accumulation(tmp_path, capsys):
    subs = tmp_path / "submitted"
    right = notebook(ASSIGNMENT)
    wrong = notebook(ASSIGNMENT, replace={"initialize_parameters_zeros": WRONG_ZEROS})
    write(right, subs / 'Smith, "Bob"' / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    write(wrong, subs / "=carol" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    out_csv, out_json, gs = tmp_path / "grades.csv", tmp_path / "g.json", tmp_path / "gs"
    code, _, _ = grade(capsys, subs, "--csv", out_csv, "--json", out_json, "--gradescope", gs,
                       "-j", "1")
    assert code == 0
    with open(out_csv, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    functions = list(assignments.get(ASSIGNMENT).functions)
    assert list(rows[0]) == ["student", "assignment", "total", "max", *functions, "status"]
    bob = next(r for r in rows if r["student"] == 'Smith, "Bob"')
    carol = next(r for r in rows if r["student"] == "'=carol")        # no formula in a sheet
    assert bob["total"] == bob["max"] == f"{FULL:g}" and bob["status"] == "graded"
    assert carol["initialize_parameters_zeros"] == "1" and float(carol["total"]) == FULL - 1
    assert all(carol[f] == f"{p:g}" for f, p in assignments.get(ASSIGNMENT).functions.items()
               if f != "initialize_parameters_zeros")
    results = sorted(gs.glob("*/results.json"))
    assert len(results) == 2
    for path in results:
        data = json.loads(path.read_text())
        assert set(data) == {"score", "tests"} and data["tests"]
        assert data["score"] == sum(t["score"] for t in data["tests"])
        for t in data["tests"]:
            assert set(t) == {"name", "score", "max_score", "output", "visibility"}
    carol_gs = json.loads(next(gs.glob("*-carol/results.json")).read_text())
    failed = [t for t in carol_gs["tests"] if t["score"] < t["max_score"]]
    assert failed and all(t["output"] for t in failed)

    # carol resubmits a correct notebook: her rows change, Bob's stay
    only_carol = tmp_path / "again"
    write(right, only_carol / "=carol" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    code, _, _ = grade(capsys, only_carol, "--csv", out_csv, "--json", out_json, "-j", "1")
    assert code == 0
    with open(out_csv, newline="", encoding="utf-8") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert set(rows) == {'Smith, "Bob"', "'=carol"}
    assert rows["'=carol"]["total"] == rows['Smith, "Bob"']["total"] == f"{FULL:g}"
    students = sorted(r["student"] for r in json.loads(out_json.read_text())["submissions"])
    assert students == ["=carol", "=carol", 'Smith, "Bob"']   # two paths of carol's: both kept


def test_exit_codes_for_each_bad_input(tmp_path, capsys):
    ok = write(notebook(ASSIGNMENT), tmp_path / "ok" / f"{ASSIGNMENT}.ipynb")
    # one results store: ok is graded once, then kept beside each bad input
    kept = ("--json", tmp_path / "g.json", "--max-notebook-mb", "1", "-j", "1")
    assert grade(capsys, ok, *kept)[0] == 0
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "initialization.ipynb").write_text("{not json")
    bogus = notebook(ASSIGNMENT)
    bogus["metadata"]["dlkit"]["assignment"] = "bogus"
    write(bogus, bad / "bogus.ipynb")
    big = notebook(ASSIGNMENT)
    big["cells"][0]["source"] = "x" * (2 * 2**20)
    write(big, bad / "big" / f"{ASSIGNMENT}.ipynb")
    for name, says in (("initialization.ipynb", "not valid JSON"),
                       ("bogus.ipynb", "names the assignment 'bogus'"),
                       (f"big/{ASSIGNMENT}.ipynb", "the grader reads at most 1 MiB")):
        code, out, _ = grade(capsys, ok, bad / name, *kept)
        assert code == 1 and says in out and "1 kept from an earlier run" in out, (name, out)
    assert grade(capsys, tmp_path / "missing")[0] == 2
    assert grade(capsys, ok, "--id-pattern", "(")[0] == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["grade", str(ok), "--isolation", "bogus"])
    assert exc.value.code == 2


def test_too_large_notebooks_are_never_read(tmp_path, capsys, monkeypatch):
    """The size check comes before the first read: nothing opens the file."""
    big = notebook(ASSIGNMENT)
    big["cells"][0]["source"] = "x" * (2 * 2**20)
    path = write(big, tmp_path / f"{ASSIGNMENT}.ipynb")
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda p, *a, **k: opened.append(str(p)) or real_open(p, *a, **k))
    code, out, _ = grade(capsys, path, "--max-notebook-mb", "1", "-j", "1")
    assert code == 1 and "reads at most 1 MiB" in out
    assert str(path) not in opened


def test_metadata_naming_another_assignment_than_the_folder_warns(tmp_path, capsys):
    path = write(notebook(ASSIGNMENT), tmp_path / "alice" / "regularization" / "regularization.ipynb")
    code, out, _ = grade(capsys, path, "--json", tmp_path / "g.json")
    record = records_of(tmp_path / "g.json")[str(path)]
    assert code == 0 and record["assignment"] == ASSIGNMENT and record["score"] == FULL
    assert any("says regularization" in w for w in record["warnings"])
    assert "warning: the notebook's metadata says initialization" in out


def test_parallel_results_equal_serial(tmp_path, capsys):
    subs = tmp_path / "subs"
    for i in range(3):
        nb = notebook(ASSIGNMENT, replace={"initialize_parameters_zeros": WRONG_ZEROS} if i % 2 else None)
        write(nb, subs / f"s{i}" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    (subs / "s9").mkdir()
    (subs / "s9" / "broken.ipynb").write_text("[]")
    serial, parallel = tmp_path / "serial.json", tmp_path / "parallel.json"
    assert grade(capsys, subs, "--json", serial, "--jobs", "1")[0] == 1
    assert grade(capsys, subs, "--json", parallel, "--jobs", "2")[0] == 1
    assert json.loads(serial.read_text()) == json.loads(parallel.read_text())
    scores = [r["score"] for r in json.loads(serial.read_text())["submissions"]]
    assert scores == [FULL, FULL - 1, FULL, 0]


def test_inputs_are_salted_per_submission_and_reproducible(tmp_path, capsys, secret):
    subs = tmp_path / "subs"
    write(notebook(ASSIGNMENT), subs / "a" / f"{ASSIGNMENT}.ipynb")
    write(notebook(ASSIGNMENT, extra=[(None, "# another cell\nx = 1\n")]),
          subs / "b" / f"{ASSIGNMENT}.ipynb")
    first = tmp_path / "first.json"
    grade(capsys, subs, "--json", first, "-j", "1")
    salts = [r["inputs_salt"] for r in json.loads(first.read_text())["submissions"]]
    assert len(set(salts)) == 2 and all(len(s) == 32 for s in salts)
    again = tmp_path / "again.json"
    grade(capsys, subs, "--json", again, "-j", "1")   # the same secret: the same record
    assert json.loads(again.read_text()) == json.loads(first.read_text())
    secret.write_text("f" * 64 + "\n")            # another course secret: other inputs
    code, out, _ = grade(capsys, subs, "--json", again, "-j", "1")
    assert "2 graded, 0 kept" in out
    other = [r["inputs_salt"] for r in json.loads(again.read_text())["submissions"]]
    assert not set(other) & set(salts)


def test_the_cache_key_covers_what_can_change_a_record(tmp_path, capsys, monkeypatch):
    kit = {p.relative_to(assignments.PACKAGE).as_posix() for p in cache.kit_files()
           if assignments.PACKAGE in p.parents}
    for needed in ("report.py", "commands/grade.py", "records.py", "sandbox/child.py",
                   "graders/initialization.py", "reference/initialization.py", "checks.py"):
        assert needed in kit
    assert any(p.name == "init_utils.py" for p in cache.kit_files())
    path = write(notebook(ASSIGNMENT), tmp_path / f"{ASSIGNMENT}.ipynb")
    out_json = tmp_path / "g.json"
    grade(capsys, path, "--json", out_json)
    assert "0 graded, 1 kept" in grade(capsys, path, "--json", out_json)[1]
    assert "1 graded, 0 kept" in grade(capsys, path, "--json", out_json, "--call-timeout", "9")[1]
    monkeypatch.setattr(cache, "kit_fingerprint", lambda: "another kit")
    assert "1 graded, 0 kept" in grade(capsys, path, "--json", out_json)[1]


def test_student_text_is_bounded_where_records_are_made(tmp_path, capsys):
    huge = notebook(ASSIGNMENT)
    huge["metadata"]["dlkit"]["assignment"] = "z" * 500_000
    name = "n" * 200
    path = write(huge, tmp_path.joinpath(*["s" * 200] * 10) / f"{name}.ipynb")
    out_json = tmp_path / "g.json"
    code, out, _ = grade(capsys, path, "--json", out_json, "--feedback", tmp_path / "fb")
    assert code == 1
    record = json.loads(out_json.read_text())["submissions"][0]
    assert len(record["error"]) < 3000 and "cut:" in record["error"]
    assert len(record["student"]) <= 300 and len(record["submission"]) < 400
    assert out_json.stat().st_size < 20_000 and len(out) < 20_000
    assert all(len(p.name) < 120 for p in (tmp_path / "fb").iterdir())


def test_feedback_files_never_collide_and_the_table_is_safe(tmp_path, capsys):
    subs = tmp_path / "subs"
    paths = [write(notebook(ASSIGNMENT), subs / rel) for rel in (
        "bob/smith.ipynb", "bob_smith.ipynb", "zoë.ipynb", "zoé.ipynb",
        "evil\n\x1b[31mred.ipynb")]
    code, out, _ = grade(capsys, subs, "--feedback", tmp_path / "fb", "--json", tmp_path / "g.json",
                         "-j", "1")
    assert code == 0
    assert len(list((tmp_path / "fb").iterdir())) == len(paths)
    assert "\x1b" not in out and "evil\n" not in out and "evil\u21b5?[31mred" in out
    for p in (tmp_path / "fb").iterdir():
        assert str(tmp_path) not in p.read_text()


def test_refuses_to_grade_without_isolation_unless_asked(tmp_path, capsys, monkeypatch):
    path = write(notebook(ASSIGNMENT), tmp_path / f"{ASSIGNMENT}.ipynb")
    monkeypatch.setattr(grade_command, "is_protected", lambda workspace: False)
    code, out, err = grade(capsys, path, "--json", tmp_path / "g.json")
    assert code == 2 and "refusing to grade" in err and not (tmp_path / "g.json").exists()
    monkeypatch.undo()
    monkeypatch.setenv("DLKIT_SECRET_FILE", str(tmp_path / "secret"))
    code, out, _ = grade(capsys, path, "--json", tmp_path / "g.json", "--isolation", "none")
    assert code == 0
    data = json.loads((tmp_path / "g.json").read_text())
    record = data["submissions"][0]
    assert record["protected"] is False and record["score"] == FULL
    assert any("WITHOUT isolation" in w for w in record["warnings"])
    assert "UNPROTECTED" in out and data["protections"][0].startswith("UNPROTECTED")


def test_stale_temp_dirs_of_dead_graders_are_removed(tmp_path):
    dead = tmp_path / "dlkit-sandbox-dead"
    dead.mkdir()
    (dead / tempdirs.OWNER).write_text("999999999 123\n")
    alive = tmp_path / "dlkit-sandbox-alive"
    alive.mkdir()
    tempdirs.mark(alive)
    unmarked = tmp_path / "dlkit-sandbox-starting"
    unmarked.mkdir()
    other = tmp_path / "someone-else"
    other.mkdir()
    (other / tempdirs.OWNER).write_text("999999999 1\n")
    assert tempdirs.clean_stale(tmp_path) == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dlkit-sandbox-alive", "dlkit-sandbox-starting", "someone-else"]


def test_a_run_leaves_nothing_in_the_temp_dir(tmp_path, capsys, monkeypatch):
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    path = write(notebook(ASSIGNMENT), tmp_path / f"{ASSIGNMENT}.ipynb")
    assert grade(capsys, path, "-j", "1")[0] == 0
    deadline = time.monotonic() + 30
    while list(temp.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not list(temp.iterdir())


def test_file_stems_are_unique_per_exact_path():
    stems = {exports.file_stem({"student": s, "assignment": "a", "submission": p})
             for s, p in (("bob", "x/bob/smith.ipynb"), ("bob", "x/bob_smith.ipynb"),
                          ("zoë", "x/zoë.ipynb"), ("zoé", "x/zoé.ipynb"))}
    assert len(stems) == 4


def test_a_sandbox_that_cannot_start_is_not_a_grade(tmp_path, capsys):
    """1 MiB of address space: no interpreter starts.  That is the grader's
    failure, so the submission is "not graded" (exit 1), not scored 0."""
    path = write(notebook(ASSIGNMENT), tmp_path / f"{ASSIGNMENT}.ipynb")
    code, out, _ = grade(capsys, path, "--json", tmp_path / "g.json", "--memory-limit", "1",
                         "-j", "1")
    record = json.loads((tmp_path / "g.json").read_text())["submissions"][0]
    assert code == 1 and "could not run the notebook" in record["error"], record.get("error")


def test_a_killed_pool_worker_loses_nothing(tmp_path, capsys):
    """SIGKILL one of the --jobs worker processes mid-batch: its submissions are
    graded again by a new pool, and the JSON equals a serial run's."""
    import signal
    import threading
    psutil = pytest.importorskip("psutil")      # comes with the [test] extra (distributed)
    subs = tmp_path / "subs"
    for i in range(3):      # 2 workers: both busy when the first record appears
        write(notebook(ASSIGNMENT, extra=[(None, "# slow setup\nimport time\ntime.sleep(1)\n")]),
              subs / f"s{i}" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    out = tmp_path / "parallel.json"
    results = tmp_path / "parallel.json.results"
    killed = []

    def kill_a_worker():
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not killed:
            workers = [p for p in psutil.Process().children()
                       if "multiprocessing" in " ".join(p.cmdline())
                       and "resource_tracker" not in " ".join(p.cmdline())]
            if workers and list(results.glob("*.json")):
                os.kill(workers[0].pid, signal.SIGKILL)
                killed.append(workers[0].pid)
            time.sleep(0.05)
    thread = threading.Thread(target=kill_a_worker)
    thread.start()
    try:
        code = grade(capsys, subs, "--json", out, "--jobs", "2")[0]
    finally:
        killed.append(None)
        thread.join()
    assert killed[0] is not None and code == 0
    serial = tmp_path / "serial.json"
    grade(capsys, subs, "--json", serial, "--jobs", "1")
    assert json.loads(out.read_text()) == json.loads(serial.read_text())
