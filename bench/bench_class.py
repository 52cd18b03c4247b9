"""Grading a class: N submissions of one assignment with the CLI, and nbgrader beside it.

    OPENBLAS_NUM_THREADS=1 python bench/bench_class.py [--n 1000] [--assignment regularization]
        [--jobs 0] [--nbgrader 10] [--profile 12]

The batch is a mix of the samples (samples/*/<id>/): the correct notebook,
each bug, the release stub, and 1 in 100 that loops forever in a graded
function (a timeout; the call limit is set to --call-timeout, 2 s by default,
so the mix stays a class, not a wait).  Printed:

- the batch: wall time of ``python -m autograder grade DIR --regrade``,
  submissions per second, the peak memory of the grader's processes (the
  command and its workers, summed; sandbox children are limited apart), and
  the same for a batch a quarter the size (memory must stay flat in N);
- the marginal cost of a submission: (T(N) - T(N/4)) / (N - N/4), in wall
  time and in CPU time summed over every process of the run (the CLI, its
  workers, their sandboxes), which a busy machine does not inflate;
- where a submission's time goes (medians over --profile submissions graded
  in this process): the first call (a child forked by the warm zygote + the
  notebook's cells), the other calls, and the graders' own work;
- nbgrader: ``nbgrader autograde`` on --nbgrader of the same notebooks and on
  one, its marginal cost per submission, and the ratio to the CLI's: with
  nbgrader's own pipeline (a kernel executes each notebook: what a hand-made
  nbgrader course costs) and with the kit's config (out of process).
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

LOOP = "def {fn}(*args, **kwargs):\n    while True:\n        pass\n"


def mix(assignment):
    """[(label, notebook text)] of the samples of ``assignment`` plus the stub and a loop."""
    from autograder import assignments
    items = []
    for folder in sorted((REPO / "samples").glob(f"*/{assignment}")):
        items.append((folder.parent.name, (folder / f"{assignment}.ipynb").read_text()))
    items.append(("stub", assignments.get(assignment).notebook("release").read_text()))
    correct = json.loads(dict(items)["correct"])
    first = next(iter(assignments.get(assignment).functions))
    for cell in correct["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == first:
            cell["source"] = LOOP.format(fn=first)
    return items, ("loop", json.dumps(correct))


def make_batch(folder, n, assignment):
    """n submissions in nbgrader's layout, 1 in 100 a loop; returns the labels' counts."""
    items, loop = mix(assignment)
    counts = {}
    for i in range(n):
        label, text = loop if i % 100 == 99 else items[i % len(items)]
        dest = folder / f"student{i:04d}" / assignment
        dest.mkdir(parents=True)
        (dest / f"{assignment}.ipynb").write_text(text)
        counts[label] = counts.get(label, 0) + 1
    return counts


def tree_rss(pid):
    """RSS (bytes) of ``pid`` and its descendants that are the grader's own
    processes (not sandbox children: they run as another uid or another program)."""
    import psutil
    try:
        root = psutil.Process(pid)
        procs = [root] + root.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            cmdline = " ".join(p.cmdline())
            if ("dlkit_child" in cmdline or "/dlkit/bin/child.py" in cmdline
                    or p.name() in ("unshare", "bwrap")):
                continue                    # a sandbox child: limited on its own
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def children_cpu():
    """CPU seconds of every finished descendant of this process (the CLI, its
    workers, their sandboxes: each is waited for by its parent)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_cli(folder, out, jobs, call_timeout):
    """(wall seconds, CPU seconds of all its processes, peak summed RSS of the
    grader's processes, records)."""
    cpu = children_cpu()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    cmd = [sys.executable, "-m", "autograder", "grade", str(folder), "--json", str(out),
           "--regrade", "--call-timeout", str(call_timeout)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    peak = [0]

    def watch():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.25)
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    proc.wait()
    took = time.perf_counter() - start
    watcher.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"grade exited {proc.returncode}")
    return (took, children_cpu() - cpu, peak[0],
            json.loads(Path(out).read_text())["submissions"])


def profile(folder, k, call_timeout):
    """Medians (s) of first call, other calls, graders, over k submissions in process."""
    from autograder.grading import run_tests
    from autograder.notebook import code_to_run, parse_notebook
    from autograder.sandbox import Limits, RemoteBackend, Workspace
    from autograder.student import Submission
    limits = Limits(call_seconds=call_timeout)
    rows = []
    paths = sorted(folder.glob("*/*/*.ipynb"))[:k]
    with Workspace(limits) as workspace:
        for path in paths:
            assignment = path.parent.name
            cells = code_to_run(parse_notebook(path.read_bytes(), path))
            backend = RemoteBackend(cells, workspace.stage(assignment), workspace, limits)
            calls = []
            real = backend.call

            def timed(*a, **kw):
                t = time.perf_counter()
                try:
                    return real(*a, **kw)
                finally:
                    calls.append(time.perf_counter() - t)
            backend.call = timed
            t = time.perf_counter()
            try:
                run_tests(assignment, Submission(backend))
            finally:
                backend.close()
            total = time.perf_counter() - t
            if calls:
                rows.append((calls[0], sum(calls[1:]), total - sum(calls), len(calls)))
    med = [statistics.median(r[i] for r in rows) for i in range(4)]
    return med


def nbgrader_seconds(assignment, folder, n, stock=False):
    """(T(1), T(n)) of ``nbgrader autograde`` on the first n notebooks of ``folder``.

    stock: with nbgrader's own autograde pipeline (each notebook executed in a
    Jupyter kernel, as in a hand-made nbgrader course) instead of the kit's
    (graded out of process, like the CLI)."""
    from autograder.nbgrader_ext.course import make_course, repo_root, run_nbgrader
    times = {}
    with tempfile.TemporaryDirectory(prefix="dlkit-bench-") as tmp:
        course = make_course(tmp, repo_root(), [assignment])
        if stock:
            config = course / "nbgrader_config.py"
            text = config.read_text()
            start = text.index("c.Autograde.autograde_preprocessors = [")
            config.write_text(text[:start] + text[text.index("]", start) + 1:])
        run_nbgrader(course, "generate_assignment", assignment, "--force")
        notebooks = sorted(folder.glob(f"*/{assignment}/{assignment}.ipynb"))
        for count in (1, n):
            shutil.rmtree(course / "autograded", ignore_errors=True)
            shutil.rmtree(course / "submitted", ignore_errors=True)
            for nb in notebooks[:count]:
                dest = course / "submitted" / nb.parent.parent.name / assignment
                shutil.copytree(course / "release" / assignment, dest)
                shutil.copyfile(nb, dest / f"{assignment}.ipynb")
            start = time.perf_counter()
            run_nbgrader(course, "autograde", assignment, "--force")
            times[count] = time.perf_counter() - start
    return times[1], times[n]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--assignment", default="regularization")
    parser.add_argument("--jobs", type=int, default=0, help="grade --jobs (0: every core)")
    parser.add_argument("--call-timeout", type=float, default=2.0)
    parser.add_argument("--nbgrader", type=int, default=10, metavar="K")
    parser.add_argument("--profile", type=int, default=12, metavar="K")
    args = parser.parse_args()
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    quarter = max(2, args.n // 4)
    tmp = Path(tempfile.mkdtemp(prefix="bench-class-"))
    try:
        counts = make_batch(tmp / "big", args.n, args.assignment)
        make_batch(tmp / "small", quarter, args.assignment)
        print(f"{args.n} {args.assignment} submissions: "
              + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())), flush=True)
        ts, cs, ms, _ = run_cli(tmp / "small", tmp / "small.json", args.jobs, args.call_timeout)
        tn, cn, mn, records = run_cli(tmp / "big", tmp / "big.json", args.jobs, args.call_timeout)
        graded = sum("error" not in r for r in records)
        marginal = (tn - ts) / (args.n - quarter)
        cpu = (cn - cs) / (args.n - quarter)
        print(f"CLI, {args.n}: {tn:.1f} s wall, {args.n / tn:.2f} submissions/s, peak memory "
              f"{mn / 2**20:.0f} MiB ({graded} graded)")
        print(f"CLI, {quarter}: {ts:.1f} s wall, peak memory {ms / 2**20:.0f} MiB")
        print(f"CLI marginal cost: {marginal:.3f} s per submission", flush=True)
        cores = os.cpu_count() or 1
        print(f"CPU per submission, every process (CLI, workers, sandboxes), marginal: "
              f"{cpu:.3f} s; {cores} idle cores would grade {args.n} in about "
              f"{args.n * cpu / cores:.0f} s (a machine shared with other work takes longer: "
              f"see the wall times above)", flush=True)
        if args.profile:
            first, rest, graders, calls = profile(tmp / "big", args.profile, args.call_timeout)
            print(f"where a submission's time goes (median of {args.profile}, in process, one at a "
                  f"time): first call (child forked by the zygote + cells) {first:.2f} s, other "
                  f"{calls - 1:.0f} calls {rest:.2f} s, graders' own work {graders:.2f} s",
                  flush=True)
        if args.nbgrader:
            for stock, label in ((True, "nbgrader autograde, its own pipeline (a Jupyter kernel "
                                        "runs each notebook)"),
                                 (False, "nbgrader autograde with the kit's config (graded out "
                                         "of process, like the CLI)")):
                t1, tk = nbgrader_seconds(args.assignment, tmp / "big", args.nbgrader, stock)
                nb_marginal = (tk - t1) / (args.nbgrader - 1)
                print(f"{label}: 1 in {t1:.1f} s, {args.nbgrader} in {tk:.1f} s: marginal "
                      f"{nb_marginal:.2f} s per submission; ratio to the CLI's marginal "
                      f"{nb_marginal / marginal:.1f}x", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
