"""Grade the reference and every mutant under many salts; list verdicts that move.

Grader inputs are drawn from the submission's salt (``run_tests(..., salt=)``),
so a grader whose check depends on a lucky draw gives some students the wrong
verdict.  tests/test_mutants.py tries ~10 fresh salts per run; this sweep tries
many, and prints per assignment how many (salt, variant) verdicts were wrong,
with the first salt and message of each, to reproduce and fix at the cause.

    OPENBLAS_NUM_THREADS=1 python bench/salt_sweep.py [--salts 30] [ID ...]
"""
import argparse
import collections
import contextlib
import importlib
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder.grading import PASSED, run_tests, total  # noqa: E402
from autograder.student import local_submission  # noqa: E402
from autograder.variants import define  # noqa: E402

IDS = ("initialization", "regularization", "gradient_checking", "optimization")


def verdict_is_right(results, variant):
    score, max_score = total(results)
    if variant is None or variant.expect is None:
        return score == max_score
    return score < max_score and any(variant.expect.lower() in r.message.lower() for r in results)


def sweep(assignment, n_salts):
    reference = importlib.import_module(f"autograder.reference.{assignment}")
    variants = [None] + [v for v in importlib.import_module(f"autograder.variants.{assignment}").VARIANTS
                         if not v.pending]      # pending: known to pass until the channel changes
    wrong, first = collections.Counter(), {}
    for i in range(n_salts):
        salt = f"sweep-{i}"
        for variant in variants:
            namespace = dict(vars(reference))
            if variant is not None:
                define(variant, namespace)
            with contextlib.redirect_stdout(io.StringIO()):
                results = run_tests(assignment, local_submission(namespace),
                                    function=variant and variant.function, salt=salt)
            if not verdict_is_right(results, variant):
                key = "the reference" if variant is None else (
                    f"{variant.function}: {variant.name} ({'right' if variant.expect is None else 'wrong'})")
                wrong[key] += 1
                first.setdefault(key, (salt, [r.message for r in results if r.status != PASSED][:1]))
    return len(variants), wrong, first


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--salts", type=int, default=30)
    args = parser.parse_args()
    for assignment in args.ids or IDS:
        started = time.perf_counter()
        n, wrong, first = sweep(assignment, args.salts)
        print(f"{assignment}: {sum(wrong.values())} wrong verdicts out of {n * args.salts} "
              f"({n} submissions x {args.salts} salts, {time.perf_counter() - started:.0f} s)",
              flush=True)
        for key, count in wrong.most_common():
            salt, messages = first[key]
            print(f"    {count:3d} x {key}; first with salt {salt!r}: {messages}")


if __name__ == "__main__":
    main()
