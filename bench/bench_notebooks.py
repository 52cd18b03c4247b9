"""Time each solution notebook's run-all at full length (median of a few runs).

Runs solutions/<id>/<id>.ipynb in its folder exactly as the build executes
solutions (``build.execute``: one BLAS thread, NBGRADER_EXECUTION unset,
full-length training).  Target: <= 20 s per notebook.

    python bench/bench_notebooks.py [ids...] [--runs 3]
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder.commands.build import execute  # noqa: E402
from autograder.nbgrader_ext.course import assignment_ids, repo_root  # noqa: E402

TARGET_S = 20.0


def run_all_seconds(path):
    nb = nbformat.read(str(path), as_version=4)
    started = time.perf_counter()
    execute(nb, path.parent)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = repo_root()
    print(f"{'notebook':20} {'median s':>8}  runs (s)   (kernel start included)")
    for assignment in args.ids or assignment_ids(root):
        path = root / "solutions" / assignment / f"{assignment}.ipynb"
        runs = [run_all_seconds(path) for _ in range(args.runs)]
        median = statistics.median(runs)
        flag = "" if median <= TARGET_S else f"  over the {TARGET_S:g} s target"
        print(f"{assignment:20} {median:8.1f}  " + " ".join(f"{r:.1f}" for r in runs) + flag, flush=True)


if __name__ == "__main__":
    main()
