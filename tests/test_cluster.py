"""``grade --scheduler`` on a Dask LocalCluster: the cases are in
tests/cluster_cases.py, each run by a pytest of its own (see there why
distributed is never imported in this process)."""
import importlib.util
import os
import subprocess
import sys

import pytest

from autograder import assignments

CASES = ["test_cluster_json_equals_local_json", "test_a_killed_worker_loses_nothing",
         "test_a_rerun_after_a_killed_client_reuses_finished_records"]


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                    reason="the [cluster] extra (distributed) is not installed")
@pytest.mark.parametrize("case", CASES)
def test_cluster(case, tmp_path):
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           f"tests/cluster_cases.py::{case}", "--basetemp", str(tmp_path / "t")],
                          cwd=assignments.ROOT, capture_output=True, text=True,
                          env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout[-4000:] + done.stderr[-2000:]
