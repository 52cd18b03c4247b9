"""``python -m autograder grade PATH... [--json FILE] [--csv FILE] [--gradescope DIR] [--feedback DIR]``

Grades submitted notebooks out of process, each in its own sandbox child
(``records.grade_notebook``), ``--jobs`` at a time (default: every core), or
on a Dask cluster (``--scheduler tcp://HOST:8786``, see cluster.py).  A folder
means every .ipynb in it, recursively, sorted; symbolic links are never
followed and are reported as not graded.  Each notebook is read once, after
a size check.

Each record is kept as soon as it is made (``cache.py``: ``FILE.results/``
beside ``--json``); a rerun reuses a kept record when nothing that could
change it changed, so a batch killed halfway finishes where it stopped.
The JSON and the CSV accumulate: grading one student again updates that
student's rows and keeps everyone else's.

Isolation fails closed: ``--isolation auto`` (the default) uses the strongest
the machine allows and refuses to grade (exit 2) if none works; ``none``
grades anyway, and every record and the table say the grades are unprotected.

Exit status: 0 when every submission was graded (whatever the scores), 1
when any could not be (the table and the JSON say which and why), 2 for
usage errors and a machine where grading would not be protected.
"""
import os
import re
import signal
import sys
import threading
from pathlib import Path

from .. import assignments, cache, exports, progress, report, runner, submissions
from ..notebook import MAX_NOTEBOOK_BYTES
from ..records import grade_notebook
from ..sandbox import Limits
from ..secret import course_secret, inputs_salt

HELP = "grade submitted notebooks in a sandbox; print a score table, write JSON, CSV and feedback"
# --isolation: what the instructor asks for -> what the sandbox calls it.  "none"
# is a plain child process (no sandbox: not a protection).
SANDBOX_MODE = {"auto": "auto", "none": "none"}


def add_arguments(parser):
    d = Limits()
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="a notebook, or a folder of notebooks (searched recursively)")
    parser.add_argument("--json", metavar="FILE", help="write all results to FILE (accumulates)")
    parser.add_argument("--csv", metavar="FILE", help="one row per student and assignment: "
                        "total, max, one column per graded function (accumulates)")
    parser.add_argument("--gradescope", metavar="DIR", help="one Gradescope results.json "
                        "per submission, in DIR/<assignment>-<hash>-<student>/")
    parser.add_argument("--feedback", metavar="DIR", help="write one Markdown feedback file "
                        "per submission to DIR")
    parser.add_argument("--results-dir", metavar="DIR", help="where each submission's result "
                        "is kept as it is graded (default: FILE.results beside --json)")
    parser.add_argument("--regrade", action="store_true",
                        help="grade every submission again, ignoring kept results")
    parser.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                        help="submissions graded at once (default: every core)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="grade on a Dask cluster "
                        "(tcp://HOST:8786); needs the [cluster] extra")
    parser.add_argument("--id-pattern", metavar="REGEX", help="the student id: the group "
                        "'student' (or the first group) of REGEX in the path below PATH "
                        "(default: <student> of submitted/<student>/<id>/, else the file name)")
    parser.add_argument("--course-dir", type=Path, default=None, metavar="DIR",
                        help="where the course secret .dlkit_secret lives (default: the "
                        "repository holding the kit; env DLKIT_SECRET_FILE overrides)")
    limits = parser.add_argument_group("limits")
    limits.add_argument("--call-timeout", type=float, default=d.call_seconds, metavar="S",
                        help="seconds per call of a graded function (default %(default)s)")
    limits.add_argument("--cell-timeout", type=float, default=d.cell_seconds, metavar="S",
                        help="seconds per notebook cell (default %(default)s)")
    limits.add_argument("--submission-timeout", type=float, default=d.submission_seconds,
                        metavar="S", help="seconds per submission (default %(default)s)")
    limits.add_argument("--cpu-limit", type=int, default=d.cpu_seconds, metavar="S",
                        help="CPU seconds per sandbox process (default %(default)s)")
    limits.add_argument("--memory-limit", type=int, default=d.memory_bytes // 2**20,
                        metavar="MIB", help="address space per sandbox process in MiB "
                        "(default %(default)s)")
    limits.add_argument("--max-processes", type=int, default=d.processes, metavar="N",
                        help="processes of the sandbox uid (default %(default)s)")
    limits.add_argument("--max-notebook-mb", type=float, default=MAX_NOTEBOOK_BYTES / 2**20,
                        metavar="MIB", help="largest notebook read (default %(default)s)")
    limits.add_argument("--isolation", choices=tuple(SANDBOX_MODE), default="auto",
                        help="auto: the strongest isolation the machine allows, and refuse "
                        "to grade if there is none (default); none: grade without "
                        "isolation, every grade marked unprotected")


def limits_of(args):
    return Limits(call_seconds=args.call_timeout, cell_seconds=args.cell_timeout,
                  submission_seconds=args.submission_timeout, cpu_seconds=args.cpu_limit,
                  memory_bytes=args.memory_limit * 2**20, processes=args.max_processes,
                  isolation=SANDBOX_MODE[args.isolation])


def is_protected(workspace):
    """Whether the sandbox isolates the child from the grader's files."""
    return runner.is_protected(workspace)


def usage_error(message):
    print(f"grade: {message}", file=sys.stderr)
    return 2


def main(args):
    if threading.current_thread() is not threading.main_thread():
        return _main(args)
    before = signal.signal(signal.SIGTERM, _terminate)      # so `finally` cleans up on kill
    try:
        return _main(args)
    finally:
        signal.signal(signal.SIGTERM, before)


def _main(args):
    limits = limits_of(args)
    jobs = args.jobs if args.jobs > 0 else len(os.sched_getaffinity(0))
    known = assignments.ids()
    try:
        found = submissions.find(args.paths, known, args.id_pattern)
    except FileNotFoundError as exc:
        return usage_error(exc)
    except re.error as exc:
        return usage_error(f"--id-pattern is not a regular expression ({exc})")
    jobs = max(1, min(jobs, len(found)))
    try:
        workspace = runner.workspace_for(limits)
    except (RuntimeError, ValueError) as exc:
        return usage_error(exc)
    try:
        protected = is_protected(workspace)
        if not protected and args.isolation != "none":
            return usage_error("no isolation works on this machine (namespaces need root "
                               "or unprivileged user namespaces); refusing to grade. Use "
                               "--isolation none to grade anyway, unprotected")
        protections = list(workspace.isolation.protections(limits))
        if not protected:
            protections.insert(0, "UNPROTECTED: --isolation none")
        secret = course_secret(args.course_dir or assignments.ROOT)
        results_dir = Path(args.results_dir) if args.results_dir else \
            Path(args.json + ".results") if args.json else None
        if results_dir is not None:
            results_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        batch = Batch(found, limits, protections, protected, secret, results_dir, args)
        records = batch.run(jobs)
    finally:
        runner.close_workspaces()
    return publish(records, batch, protections, args)


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


class Batch:
    """One run over the found submissions: reads, reuses kept records, grades the rest."""

    def __init__(self, found, limits, protections, protected, secret, results_dir, args):
        self.found, self.limits, self.protections = found, limits, protections
        self.protected, self.secret, self.results_dir = protected, secret, results_dir
        self.args, self.records, self.reused = args, [None] * len(found), 0
        self.progress = None

    def tasks(self):
        """Tasks to grade; records made without grading (unreadable, kept) are filed here."""
        for index, item in enumerate(self.found):
            try:
                raw = submissions.read(item.path, self.args.max_notebook_mb * 2**20)
            except submissions.ReadError as exc:      # recorded at once, no sandbox needed
                key = cache.key(str(exc).encode(), name=str(item.path), student=item.student,
                                salt="(not read)", limits=self.limits,
                                protections=self.protections)
                self.file(index, grade_notebook(exc, None, None, name=str(item.path),
                                                student=item.student, protected=self.protected),
                          key=key)
                continue
            salt = inputs_salt(self.secret, raw)
            key = cache.key(raw, name=str(item.path), student=item.student, salt=salt,
                            limits=self.limits, protections=self.protections)
            if self.results_dir is not None and not self.args.regrade:
                kept = cache.load(cache.store_of(self.results_dir, item.path), key)
                if kept is not None:
                    self.file(index, kept, reused=True)
                    continue
            yield runner.Task(index, str(item.path), item.student, raw, salt), key

    def file(self, index, record, key=None, reused=False):
        if key is not None:
            record["key"] = key
            if self.results_dir is not None:
                cache.save(cache.store_of(self.results_dir, self.found[index].path), record)
        self.records[index] = record
        self.reused += reused
        self.progress.update(record, reused=reused)

    def run(self, jobs):
        self.progress = progress.Progress(len(self.found))
        keys = {}

        def tasks():
            for task, key in self.tasks():
                keys[task.index] = key
                yield task
        try:
            if self.args.scheduler:
                from ..cluster import run_cluster
                results = run_cluster(tasks(), self.limits, self.protected, self.args.scheduler)
            else:
                results = runner.run_local(tasks(), self.limits, self.protected, jobs)
            for task, record in results:
                self.file(task.index, record, key=keys.pop(task.index))
        finally:
            self.progress.close()
        return self.records


def publish(records, batch, protections, args):
    """The table, summary, exports and feedback; returns the exit status."""
    footer = progress.summary(records, batch.reused, batch.progress.seconds())
    footer.append("protections: " + "; ".join(protections))
    print(report.table(records, footer))
    if args.json:
        exports.merge_json(args.json, records, protections)
    if args.csv:
        exports.write_csv(args.csv, records)
    if args.gradescope:
        exports.write_gradescope(args.gradescope, records)
    if args.feedback:
        folder = Path(args.feedback)
        folder.mkdir(parents=True, exist_ok=True)
        for record in records:
            shown = dict(record, submission=f"{record['student']} / "
                                            f"{record['assignment'] or 'unknown assignment'}")
            cache.write_atomically(folder / f"{exports.file_stem(record)}.md",
                                   report.feedback(shown))
    return 1 if any("error" in r for r in records) else 0
