"""What the sandbox itself costs per submission: a child under bubblewrap
against a plain child (``--isolation none``) doing the same work.

For each mode, N times: start a child (interpreter, numpy, matplotlib), run
one notebook cell, make one call, kill it.  Prints medians and the
difference, which is the isolation's own cost (launcher, namespaces, mounts,
seccomp).  The CLI hides most of a child's start behind the previous
submission (a spare child starts ahead), so this is an upper bound.

    OPENBLAS_NUM_THREADS=1 python bench/bench_isolation.py [--runs N]
"""
import argparse
import statistics
import time

from autograder.notebook import Cell
from autograder.sandbox import Limits, RemoteBackend, Workspace

CELL = Cell(0, "import numpy as np\ndef f(x):\n    return x * 2\n")


def one(workspace, limits):
    start = time.perf_counter()
    backend = RemoteBackend([CELL], workspace.stage("initialization"), workspace, limits)
    backend.call("f", (1.5,), {}, None, {})
    backend.close()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    medians = {}
    for mode in ("none", "bwrap"):
        limits = Limits(isolation=mode)
        with Workspace(limits) as ws:
            ws.max_spares = 0               # every child started on the clock
            one(ws, limits)                 # warm the file cache
            times = [one(ws, limits) for _ in range(args.runs)]
        medians[mode] = statistics.median(times)
        print(f"{mode:>5}: child start + cell + call, median of {args.runs}: "
              f"{medians[mode]:.3f} s (min {min(times):.3f}, max {max(times):.3f})")
    extra = medians["bwrap"] - medians["none"]
    print(f"isolation's own cost per child: {extra * 1000:.0f} ms "
          f"(ratio bwrap / none {medians['bwrap'] / medians['none']:.2f})")


if __name__ == "__main__":
    main()
