"""``grade --scheduler`` on a Dask LocalCluster: the cases are in
tests/cluster_cases.py, run together by one pytest of their own, which shares
one LocalCluster between them (see there why distributed is never imported in
this process); each case here reads its own outcome."""
import importlib.util
import os
import subprocess
import sys

import pytest

from autograder import assignments

CASES = ["test_cluster_json_equals_local_json", "test_a_killed_worker_loses_nothing",
         "test_a_rerun_after_a_killed_client_reuses_finished_records"]


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    """The cluster cases' pytest run: its output (with one PASSED/FAILED line per case)."""
    temp = tmp_path_factory.mktemp("cluster")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider",
                           *[f"tests/cluster_cases.py::{case}" for case in CASES],
                           "--basetemp", str(temp / "t")],
                          cwd=assignments.ROOT, capture_output=True, text=True,
                          env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    return done.stdout, done.stderr


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                    reason="the [cluster] extra (distributed) is not installed")
@pytest.mark.parametrize("case", CASES)
def test_cluster(case, outcome):
    out, err = outcome
    assert f"PASSED tests/cluster_cases.py::{case}" in out.splitlines(), out[-4000:] + err[-2000:]
