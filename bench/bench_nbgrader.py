"""Time ``nbgrader autograde``: seconds per submission, median of several runs.

A throwaway course per assignment (source/ and nbgrader_config.py copied), the
samples as submissions (correct, each bug, and the release stub).  One run
autogrades them all; seconds per submission = run time / submissions (the
command's start-up included).  The time of a 1-submission run is printed
beside it.  Target: <= 10 s per submission.  Run with OPENBLAS_NUM_THREADS=1.

    python bench/bench_nbgrader.py [ids...] [--runs 3]
"""
import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder.commands.build import build_samples  # noqa: E402
from autograder.nbgrader_ext.course import assignment_ids, make_course, repo_root, run_nbgrader  # noqa: E402

TARGET_S = 10.0


def autograde_seconds(course, assignment, students):
    """Wall time of one ``nbgrader autograde`` over ``students`` (fresh outputs)."""
    shutil.rmtree(course / "autograded", ignore_errors=True)
    shutil.rmtree(course / "submitted", ignore_errors=True)
    for student in students:
        src = course / "release" / assignment if student == "stub" else course / "samples" / student / assignment
        shutil.copytree(src, course / "submitted" / student / assignment)
    started = time.perf_counter()
    run_nbgrader(course, "autograde", assignment, "--force")
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = repo_root()
    print(f"{'assignment':20} {'subs':>4} {'median s/sub':>12} {'1 sub, s':>9}  runs (s)")
    for assignment in args.ids or assignment_ids(root):
        with tempfile.TemporaryDirectory(prefix="dlkit-bench-") as tmp:
            course = make_course(tmp, root, [assignment])
            run_nbgrader(course, "generate_assignment", assignment, "--force")
            students = [k.split("/")[0] for k in build_samples(course, assignment, course)] + ["stub"]
            single = statistics.median(autograde_seconds(course, assignment, students[:1])
                                       for _ in range(args.runs))
            runs = [autograde_seconds(course, assignment, students) for _ in range(args.runs)]
            per = statistics.median(runs) / len(students)
            flag = "" if per <= TARGET_S else f"  over the {TARGET_S:g} s target"
            print(f"{assignment:20} {len(students):4d} {per:12.1f} {single:9.1f}  "
                  + " ".join(f"{r:.1f}" for r in runs) + flag, flush=True)


if __name__ == "__main__":
    main()
