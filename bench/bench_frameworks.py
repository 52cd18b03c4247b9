"""Benchmarks of the `frameworks` assignment (Part 2 uses TensorFlow).

    OPENBLAS_NUM_THREADS=1 python bench/bench_frameworks.py [--runs 3] [--copies 3] [--skip-notebook]

Prints medians of R runs of:
- TensorFlow's start-up in a fresh interpreter set up like a sandbox child
  (RLIMIT_AS of the sandbox's default Limits, numpy and matplotlib imported
  first, one intra-op and one inter-op thread): import seconds, first
  tape + optimizer step seconds, peak address space (VmPeak) and threads;
- the CLI's time per `frameworks` submission (bench_cli.time_cli on N copies
  of the source notebook, which holds the reference answers), and the cost of
  one more submission;
- solutions/frameworks run-all at full length (bench_notebooks).
Targets: CLI <= 1 s per submission for numpy assignments (a TensorFlow one pays
TensorFlow's start-up once per submission's child); run-all of the TensorFlow
training <= 60 s.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

PROBE = r"""
import json, resource, sys, time
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import numpy, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot
start = time.perf_counter()
import tensorflow as tf
tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
imported = time.perf_counter()
v = tf.Variable(tf.ones((25, 144)))
opt = tf.keras.optimizers.Adam(0.001)
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(tf.nn.relu(v @ tf.ones((144, 64))))
opt.apply_gradients(zip(tape.gradient(loss, [v]), [v]))
stepped = time.perf_counter()
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line)
print(json.dumps({"import_s": imported - start, "first_step_s": stepped - imported,
                  "vm_peak_mib": int(status["VmPeak"].split()[0]) / 1024,
                  "threads": int(status["Threads"])}))
"""


def tensorflow_startup(limit_bytes):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
               TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-c", PROBE, str(limit_bytes)], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"TensorFlow did not start under RLIMIT_AS {limit_bytes >> 20} MiB:\n"
                         f"{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--skip-notebook", action="store_true")
    args = parser.parse_args()
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    from autograder.sandbox import Limits
    limit = Limits().memory_bytes

    probes = [tensorflow_startup(limit) for _ in range(args.runs)]
    med = {k: statistics.median(p[k] for p in probes) for k in probes[0]}
    print(f"TensorFlow in a child (RLIMIT_AS {limit >> 20} MiB, median of {args.runs}): "
          f"import {med['import_s']:.1f} s, first step {med['first_step_s']:.2f} s, "
          f"VmPeak {med['vm_peak_mib']:.0f} MiB, {med['threads']:.0f} threads", flush=True)

    from bench_cli import reference_notebook, time_cli
    text, _ = reference_notebook("frameworks")
    tmp = Path(tempfile.mkdtemp(prefix="bench-frameworks-"))
    try:
        one, many = [], []
        for n in (1, args.copies):
            folder = tmp / f"n{n}" / "frameworks"
            folder.mkdir(parents=True)
            for i in range(n):
                (folder / f"student{i:03d}.ipynb").write_text(text, encoding="utf-8")
        for run in range(args.runs):
            one.append(time_cli(tmp / "n1", tmp / f"one{run}.json"))
            many.append(time_cli(tmp / f"n{args.copies}", tmp / f"many{run}.json"))
        tn = statistics.median(many)
        marginal = statistics.median((m - o) / (args.copies - 1) for m, o in zip(many, one))
        print(f"CLI, frameworks: {tn / args.copies:.2f} s per submission, marginal "
              f"{marginal:.2f} s ({args.copies} copies, median of {args.runs} runs)", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    if not args.skip_notebook:
        from bench_notebooks import run_all_seconds
        path = REPO / "solutions" / "frameworks" / "frameworks.ipynb"
        runs = [run_all_seconds(path) for _ in range(args.runs)]
        print(f"run-all, solutions/frameworks: {statistics.median(runs):.1f} s median "
              f"({' '.join(f'{r:.1f}' for r in runs)})")


if __name__ == "__main__":
    main()
