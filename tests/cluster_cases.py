"""``grade --scheduler``: the same grading on a Dask cluster (a LocalCluster of
worker processes on loopback): the same JSON as a local run, nothing lost to
a killed worker, and a rerun after a killed client reuses every finished
record.

Run by tests/test_cluster.py, all cases in one pytest of their own: they
share the module's LocalCluster, one batch of slow submissions (small, but
work is still queued when a worker or the client is killed) and one local
run of it to compare with.  Importing
distributed changes what ``importlib.metadata`` returns for the whole process
(it brings the importlib_metadata backport), which the in-kernel tamper
check of tests/test_hidden_cells.py would then see as a patched numpy.
"""
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from autograder import assignments, cli
from tests.hostile import notebook, write

distributed = pytest.importorskip("distributed")

ASSIGNMENT = "initialization"
FULL = assignments.get(ASSIGNMENT).max_points
REPO = assignments.ROOT
SLOW_CELL = "# a slow setup cell\nimport time\ntime.sleep(1)\n"


@pytest.fixture(scope="module", autouse=True)
def secret(tmp_path_factory):
    """One course secret for the module: every case grades the same batch."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DLKIT_SECRET_FILE", str(tmp_path_factory.mktemp("secret") / "secret"))
        yield


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None,
                                  silence_logs=40) as lc:
        yield lc


@pytest.fixture(scope="module")
def subs(tmp_path_factory):
    """4 slow submissions (one wrong) on 2 workers: when the first record
    appears, both workers are busy and work is still queued."""
    folder = tmp_path_factory.mktemp("subs")
    for i in range(4):
        wrong = {"initialize_parameters_he": "def initialize_parameters_he(layers_dims):\n"
                                             "    return {}\n"} if i % 3 == 1 else None
        nb = notebook(ASSIGNMENT, replace=wrong, extra=[(None, SLOW_CELL)])
        write(nb, folder / f"student{i}" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    return folder


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """A folder holding one notebook that is not JSON."""
    folder = tmp_path_factory.mktemp("broken")
    (folder / "broken" / ASSIGNMENT).mkdir(parents=True)
    (folder / "broken" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").write_text("{")
    return folder


@pytest.fixture(scope="module")
def local(tmp_path_factory, subs, broken):
    """The JSON of a local, serial run of ``subs`` and ``broken`` (the reference)."""
    out = tmp_path_factory.mktemp("local") / "local.json"
    assert grade(subs, broken, "--json", out, "--jobs", "1") == 1
    return json.loads(out.read_text())


def without_broken(data):
    return dict(data, submissions=[r for r in data["submissions"] if r["student"] != "broken"])


def grade(*args):
    return cli.main(["grade", *map(str, args)])


def test_cluster_json_equals_local_json(tmp_path, cluster, subs, broken, local, capsys):
    remote = tmp_path / "cluster.json"
    assert grade(subs, broken, "--json", remote, "--scheduler", cluster.scheduler_address) == 1
    assert local == json.loads(remote.read_text())
    scores = {r["student"]: r["score"] for r in json.loads(remote.read_text())["submissions"]}
    assert scores == {"broken": 0, "student0": FULL, "student1": scores["student1"],
                      "student2": FULL, "student3": FULL} and scores["student1"] < FULL


def test_a_killed_worker_loses_nothing(tmp_path, cluster, subs, local, capsys):
    out = tmp_path / "cluster.json"
    results = Path(str(out) + ".results")
    client = distributed.Client(cluster.scheduler_address)
    killed = []

    def kill_a_worker():
        deadline = time.monotonic() + 300
        while not list(results.glob("*.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
        pids = client.run(os.getpid)
        victim = sorted(pids.values())[0]
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)

    thread = threading.Thread(target=kill_a_worker)
    thread.start()
    try:
        code = grade(subs, "--json", out, "--scheduler", cluster.scheduler_address)
    finally:
        thread.join()
        client.close()
    assert killed and code == 0
    assert without_broken(local) == json.loads(out.read_text())
    cluster.wait_for_workers(2, timeout=120)


def test_a_rerun_after_a_killed_client_reuses_finished_records(tmp_path, cluster, subs, capsys):
    out = tmp_path / "cluster.json"
    results = Path(str(out) + ".results")
    proc = subprocess.Popen([sys.executable, "-m", "autograder", "grade", str(subs), "--json",
                             str(out), "--scheduler", cluster.scheduler_address], cwd=REPO,
                            env=dict(os.environ, OPENBLAS_NUM_THREADS="1"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not list(results.glob("*.json")) and time.monotonic() < deadline:
        assert proc.poll() is None, "the client ended before it could be killed"
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = len(list(results.glob("*.json")))
    assert 1 <= finished < 4
    capsys.readouterr()
    assert grade(subs, "--json", out, "--scheduler", cluster.scheduler_address) == 0
    printed = capsys.readouterr().out
    assert f"{finished} kept from an earlier run" in printed
    records = json.loads(out.read_text())["submissions"]
    assert len(records) == 4 and all(r["max_score"] == FULL for r in records)
