"""``python -m autograder grade PATH... [--json FILE] [--feedback DIR]``

Grades submitted notebooks out of process (``autograder.sandbox``), one
sandbox child per submission, and prints a score table.  A folder means every
.ipynb in it, recursively, sorted.  Each submission's result is written as
soon as it is graded, atomically, to a results directory (``FILE.results/``
beside ``--json``); a rerun of the same command skips submissions whose
notebook bytes and grader version are unchanged, so a batch killed halfway
finishes where it stopped.  Exit code 0 once grading completed, whatever the
scores; 2 for usage errors.
"""
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from .. import report
from ..grading import ERROR, TestResult, max_points, run_tests, tests_of, grader_module, total
from ..notebook import MAX_NOTEBOOK_BYTES, NotebookError, assignment_of, code_to_run, parse_notebook
from ..sandbox import Limits, RemoteBackend, Workspace
from ..sandbox.isolation import PACKAGE, assignment_files_dir
from ..student import Submission

HELP = "grade submitted notebooks in a sandbox; print a score table, write JSON and feedback"


def add_arguments(parser):
    d = Limits()
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="a notebook, or a folder of notebooks (searched recursively)")
    parser.add_argument("--json", metavar="FILE", help="write all results to FILE")
    parser.add_argument("--feedback", metavar="DIR", help="write one Markdown feedback file "
                        "per submission to DIR")
    parser.add_argument("--results-dir", metavar="DIR", help="where each submission's result "
                        "is kept as it is graded (default: FILE.results beside --json)")
    parser.add_argument("--regrade", action="store_true",
                        help="grade every submission again, ignoring kept results")
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
    limits.add_argument("--isolation", choices=("auto", "namespace", "process"),
                        default=d.isolation, help="namespace: require namespaces and a "
                        "private root (root on Linux); process: a plain child process; "
                        "auto: the strongest available (default)")


def limits_of(args):
    return Limits(call_seconds=args.call_timeout, cell_seconds=args.cell_timeout,
                  submission_seconds=args.submission_timeout, cpu_seconds=args.cpu_limit,
                  memory_bytes=args.memory_limit * 2**20, processes=args.max_processes,
                  isolation=args.isolation)


def known_assignments():
    """Assignment ids: the modules of autograder/graders (not conftest, not _private)."""
    folder = PACKAGE / "graders"
    return sorted(p.stem for p in folder.glob("*.py")
                  if not p.stem.startswith("_") and p.stem != "conftest")


def find_notebooks(paths):
    """Every notebook named or found under ``paths``, sorted per folder; raises
    FileNotFoundError for a path that does not exist."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb")
                            if p.is_file() and ".ipynb_checkpoints" not in p.parts)
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {raw}")
    unique, seen = [], set()
    for p in found:
        if p.resolve() not in seen:
            seen.add(p.resolve())
            unique.append(p)
    return unique


def grader_version(assignment):
    """A hash of everything that decides a grade: the assignment's graders,
    reference, student-visible files, and the kit's core and sandbox."""
    files = [PACKAGE / f for f in ("checks.py", "numerics.py", "plain.py", "grading.py",
                                   "student.py", "notebook.py")]
    files += sorted((PACKAGE / "sandbox").glob("*.py"))
    files += sorted((PACKAGE / "graders").glob("_*.py"))
    if assignment:
        files += [PACKAGE / "graders" / f"{assignment}.py", PACKAGE / "reference" / f"{assignment}.py"]
        folder = assignment_files_dir(assignment)
        if folder is not None:
            files += sorted(folder.glob("*.py"))
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode())
        try:
            digest.update(f.read_bytes())
        except OSError:
            digest.update(b"(missing)")
    return digest.hexdigest()[:16]


def _file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_atomically(path, text):
    """Write ``text`` to ``path`` so a reader sees the old or the new file, never half."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _unscored(assignment, message, status=ERROR):
    """Every grader of ``assignment`` at 0 with ``message`` (for an ungradable notebook)."""
    return [TestResult(t.__name__, t.grading.function, 0.0, t.grading.points, status, message)
            for t in tests_of(grader_module(assignment))]


def grade_submission(path, known, workspace, limits, max_bytes):
    """Grade one notebook; returns its record (see report.py).  Never raises
    for anything in the notebook."""
    record = {"submission": str(path), "assignment": None, "score": 0.0, "max_score": 0.0,
              "tests": []}
    notebook, error = None, None
    try:
        size = path.stat().st_size
        if size > max_bytes:
            error = (f"the notebook is {size / 2**20:.1f} MiB; the grader reads at most "
                     f"{max_bytes / 2**20:g} MiB (clear the cell outputs and resubmit)")
        else:
            notebook = parse_notebook(path.read_bytes(), path)
    except NotebookError as exc:
        error = str(exc)
    except OSError as exc:
        error = f"the notebook could not be read ({exc.strerror})"
    try:
        record["assignment"] = assignment_of(path, notebook, known)
    except NotebookError as exc:
        error = error or str(exc)
    assignment = record["assignment"]
    if error is not None:
        results = _unscored(assignment, f"not graded: {error}") if assignment else []
        record["error"] = error
    else:
        backend = RemoteBackend(code_to_run(notebook), workspace.stage(assignment),
                                workspace, limits)
        try:
            results = run_tests(assignment, Submission(backend))
        finally:
            backend.close()
        record["cell_errors"] = [{"cell": i, "message": m}
                                 for i, m in sorted(backend.cell_errors.items())]
        record["protections"] = workspace.isolation.protections(limits)
    record["tests"] = [r.to_json() for r in results]
    record["score"], record["max_score"] = total(results)
    if assignment and not results:
        record["max_score"] = max_points(assignment)
    return record


def main(args):
    limits = limits_of(args)
    try:
        notebooks = find_notebooks(args.paths)
    except FileNotFoundError as exc:
        print(f"grade: {exc}", file=sys.stderr)
        return 2
    if args.results_dir:
        results_dir = Path(args.results_dir)
    elif args.json:
        results_dir = Path(args.json + ".results")
    else:
        results_dir = None
    try:
        workspace = Workspace(limits)
    except RuntimeError as exc:      # --isolation namespace on a machine without them
        print(f"grade: {exc}", file=sys.stderr)
        return 2
    known = known_assignments()
    started = time.monotonic()
    records, reused = [], 0
    try:
        if results_dir is not None:
            results_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        for path in notebooks:
            record = None
            assignment = _assignment_hint(path, known)
            key = f"{grader_version(assignment)}-{_file_digest(path)}"
            store = None
            if results_dir is not None:
                name = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]
                store = results_dir / f"{name}.json"
                record = _kept(store, key, path) if not args.regrade else None
                reused += record is not None
            if record is None:
                record = grade_submission(path, known, workspace, limits,
                                          args.max_notebook_mb * 2**20)
                record["key"] = key
                if store is not None:
                    write_atomically(store, json.dumps(record, indent=1))
            records.append(record)
            _progress(record)
    finally:
        workspace.close()
    protections = workspace.isolation.protections(limits)
    footer = [f"{len(records)} submission(s) graded in {time.monotonic() - started:.1f} s"
              + (f" ({reused} kept from an earlier run)" if reused else ""),
              "protections: " + "; ".join(protections)]
    print(report.table(records, footer))
    if args.json:
        out = {"submissions": [report.public(r) for r in records], "protections": protections}
        write_atomically(args.json, json.dumps(out, indent=1) + "\n")
    if args.feedback:
        folder = Path(args.feedback)
        folder.mkdir(parents=True, exist_ok=True)
        for record in records:
            write_atomically(folder / report.feedback_name(record["submission"]),
                             report.feedback(record))
    return 0


def _assignment_hint(path, known):
    """The assignment for the result key (None if unknown); cheap, no grading."""
    try:
        notebook = parse_notebook(path.read_bytes(), path) if path.stat().st_size <= 64 * 2**20 else None
    except (NotebookError, OSError):
        notebook = None
    try:
        return assignment_of(path, notebook, known)
    except NotebookError:
        return None


def _kept(store, key, path):
    """The kept record of ``path`` if its key matches (notebook and graders unchanged)."""
    try:
        record = json.loads(store.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("key") != key or record.get("submission") != str(path):
        return None
    return record


def _progress(record):
    print(f"graded {record['submission']}: {report.points(record['score'])}/"
          f"{report.points(record['max_score'])}", file=sys.stderr, flush=True)
