"""What the sandbox itself costs per submission: a child under bubblewrap
against a plain child (``--isolation none``) doing the same work.

For each way of making a child, N times: get a child, run one notebook
cell, make one call, kill it.  Ways: a plain process (``--isolation none``:
interpreter, numpy, matplotlib started for each child) and a child forked
by the warm zygote under bubblewrap (new namespaces, tmpfs, limits and
seccomp filter for each child).  Prints medians and the ratio.

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
    for label, mode in (("plain process", "none"), ("forked by the zygote", "bwrap")):
        limits = Limits(isolation=mode)
        with Workspace(limits) as ws:
            ws.max_spares = 0               # every plain child started on the clock
            one(ws, limits)                 # warm the file cache (and start the zygote)
            times = [one(ws, limits) for _ in range(args.runs)]
        medians[label] = statistics.median(times)
        print(f"{label:>21}: child + cell + call, median of {args.runs}: "
              f"{medians[label] * 1000:.0f} ms (min {min(times) * 1000:.0f}, "
              f"max {max(times) * 1000:.0f})")
    plain, forked = medians.values()
    print(f"a sandboxed child forked by the zygote is {plain / forked:.1f}x cheaper than a "
          f"plain process")


if __name__ == "__main__":
    main()
