"""Median CLI grading time per submission, per assignment.

    OPENBLAS_NUM_THREADS=1 python bench/bench_cli.py [--copies N] [--runs R] [ID ...]

For each assignment, a folder of N copies of the reference-filled notebook
(``source/<id>/<id>.ipynb``, whose solution cells hold the reference, else a
notebook built from ``autograder/reference/<id>.py`` by tests/hostile) is
graded R times with ``python -m autograder grade DIR --json FILE --regrade``,
and a folder of one copy likewise.  Printed, as medians over the runs:

- ``per run``: wall time of the whole command for N copies;
- ``per submission``: that divided by N;
- ``marginal``: (T(N) - T(1)) / (N - 1), the cost of one more submission,
  without the command's start-up (imports, workspace, matplotlib font cache).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def reference_notebook(assignment):
    source = REPO / "source" / assignment / f"{assignment}.ipynb"
    if source.exists():
        return source.read_text(encoding="utf-8"), "source notebook"
    from tests.hostile import notebook
    return json.dumps(notebook(assignment)), "built from the reference"


def time_cli(folder, out):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", str(folder), "--json",
                           str(out), "--regrade"], cwd=REPO, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"grading failed: {done.stderr[-2000:]}")
    data = json.loads(Path(out).read_text())
    for record in data["submissions"]:
        if record["score"] != record["max_score"]:
            raise SystemExit(f"{record['submission']} scored {record['score']}/{record['max_score']}")
    return took


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    from autograder import assignments
    ids = args.assignments or assignments.ids()
    print(f"{'assignment':<18} {'notebook':<25} {'per run':>8} {'per submission':>15} "
          f"{'marginal':>9}   ({args.copies} copies, median of {args.runs} runs)")
    for assignment in ids:
        text, kind = reference_notebook(assignment)
        tmp = Path(tempfile.mkdtemp(prefix="bench-cli-"))
        try:
            for n in (1, args.copies):
                folder = tmp / f"n{n}" / assignment
                folder.mkdir(parents=True)
                for i in range(n):
                    (folder / f"student{i:03d}.ipynb").write_text(text, encoding="utf-8")
            one, many = [], []
            for run in range(args.runs):
                one.append(time_cli(tmp / "n1", tmp / f"one{run}.json"))
                many.append(time_cli(tmp / f"n{args.copies}", tmp / f"many{run}.json"))
            tn = statistics.median(many)
            marginal = statistics.median((m - o) / (args.copies - 1) for m, o in zip(many, one))
            print(f"{assignment:<18} {kind:<25} {tn:>7.2f}s {tn / args.copies:>14.2f}s "
                  f"{marginal:>8.2f}s", flush=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
