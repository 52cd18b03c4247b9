"""In-process grading time of the reference, per assignment and per grader test.

Grades the reference implementation (``autograder/reference/<id>.py``) with
its hidden graders in this process (``LocalBackend``, as nbgrader's hidden
cells do) and prints, per assignment, the median over the runs of the whole
grading, then the median of each grader test.  Target: every grader test
under 0.5 s on a quiet 2-core machine (gradient_check_n's graders run ~100
costs per call), the whole assignment under 2 s.

    OPENBLAS_NUM_THREADS=1 python bench/bench_graders.py [--runs 5] [ID ...]

(The kit's tests check that graders pass and reject bugs, never how fast they
are: a loaded machine must not turn a timing into a failure.)
"""
import argparse
import contextlib
import importlib
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder import grading  # noqa: E402
from autograder.student import local_submission  # noqa: E402

TEST_TARGET_S = 0.5
ASSIGNMENT_TARGET_S = 2.0


def assignment_ids():
    graders = Path(grading.__file__).parent / "graders"
    return sorted(p.stem for p in graders.glob("*.py") if p.stem[0] != "_" and p.stem != "conftest")


def seconds(test, submission):
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):   # what print_msg=True prints
        result = grading.run_test(test, submission)
    elapsed = time.perf_counter() - started
    if result.status != grading.PASSED:
        raise SystemExit(f"{test.__name__} does not pass on the reference: {result.message}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for assignment in args.ids or assignment_ids():
        reference = importlib.import_module(f"autograder.reference.{assignment}")
        submission = local_submission(dict(vars(reference)))
        tests = grading.tests_of(grading.grader_module(assignment))
        runs = {t.__name__: [seconds(t, submission) for _ in range(args.runs)] for t in tests}
        whole = [sum(r[i] for r in runs.values()) for i in range(args.runs)]
        median = statistics.median(whole)
        flag = "" if median <= ASSIGNMENT_TARGET_S else f"  over the {ASSIGNMENT_TARGET_S:g} s target"
        print(f"{assignment}: {median * 1000:.0f} ms median of {args.runs} runs "
              f"({len(tests)} grader tests){flag}", flush=True)
        for name, times in runs.items():
            m = statistics.median(times)
            flag = "" if m <= TEST_TARGET_S else f"  over the {TEST_TARGET_S:g} s target"
            print(f"    {name:76} {m * 1000:7.1f} ms{flag}")


if __name__ == "__main__":
    main()
