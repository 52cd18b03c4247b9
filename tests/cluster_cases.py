"""``grade --scheduler``: the same grading on a Dask cluster (a LocalCluster of
worker processes on loopback): the same JSON as a local run, nothing lost to
a killed worker, and a rerun after a killed client reuses every finished
record.

Run by tests/test_cluster.py, all cases in one pytest of their own (they
share the module's LocalCluster; batches are small but keep work queued when
a worker or the client is killed): importing
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
SLOW_CELL = "# a slow setup cell\nimport time\ntime.sleep(1.5)\n"


@pytest.fixture(autouse=True)
def secret(tmp_path, monkeypatch):
    monkeypatch.setenv("DLKIT_SECRET_FILE", str(tmp_path / "secret"))


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None,
                                  silence_logs=40) as lc:
        yield lc


def batch(folder, n, slow=False):
    for i in range(n):
        wrong = {"initialize_parameters_he": "def initialize_parameters_he(layers_dims):\n"
                                             "    return {}\n"} if i % 3 == 1 else None
        nb = notebook(ASSIGNMENT, replace=wrong, extra=[(None, SLOW_CELL)] if slow else ())
        write(nb, folder / f"student{i}" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    return folder


def grade(*args):
    return cli.main(["grade", *map(str, args)])


def test_cluster_json_equals_local_json(tmp_path, cluster, capsys):
    subs = batch(tmp_path / "subs", 3)
    (subs / "broken" / ASSIGNMENT).mkdir(parents=True)
    (subs / "broken" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").write_text("{")
    local, remote = tmp_path / "local.json", tmp_path / "cluster.json"
    assert grade(subs, "--json", local, "--jobs", "2") == 1
    assert grade(subs, "--json", remote, "--scheduler", cluster.scheduler_address) == 1
    assert json.loads(local.read_text()) == json.loads(remote.read_text())
    scores = {r["student"]: r["score"] for r in json.loads(remote.read_text())["submissions"]}
    assert scores == {"broken": 0, "student0": FULL, "student1": scores["student1"],
                      "student2": FULL} and scores["student1"] < FULL


def test_a_killed_worker_loses_nothing(tmp_path, cluster, capsys):
    # 4 slow submissions on 2 workers: when the first record appears, both are busy
    subs = batch(tmp_path / "subs", 4, slow=True)
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
    local = tmp_path / "local.json"
    assert grade(subs, "--json", local, "--jobs", "2") == 0
    assert json.loads(local.read_text()) == json.loads(out.read_text())
    cluster.wait_for_workers(2, timeout=120)


def test_a_rerun_after_a_killed_client_reuses_finished_records(tmp_path, cluster, capsys):
    subs = batch(tmp_path / "subs", 4, slow=True)
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
