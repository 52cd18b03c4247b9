"""``python -m autograder build``: release/, solutions/ and samples/ from source/.

For each assignment (every source/<id>/<id>.ipynb, or the ids given):
- release/<id>/    the student version, made by nbgrader's generate_assignment
                   (one run for every id) in a throwaway course (the
                   repository's gradebook is not touched); linked helper
                   files become regular files;
- solutions/<id>/  complete answers without delimiters, hidden tests or nbgrader
                   metadata, executed in full (``--no-execute`` to skip);
- samples/<student>/<id>/<id>.ipynb  sample submissions laid out like nbgrader's
                   submitted/: ``correct`` and ``bug-<function>`` (one function
                   replaced by a realistic bug from autograder/variants/<id>.py);
                   samples/index.json says what each one is.
Every notebook is written in a normal form, so a rebuild is byte-identical
(executed outputs aside).
"""
import json
import os
import shutil
import tempfile
from pathlib import Path

from ..nbgrader_ext.course import ONE_THREAD, assignment_ids, copy_folder, make_course, repo_root, \
    run_nbgrader

# nbformat, nbclient and nbgrader take seconds to import: the functions below
# import them, so that every other verb of the CLI (which lists this one)
# starts fast.

HELP = "Generate release/, solutions/ and samples/ from source/ (all assignments or the ids given)."
# Full-length training in the solutions; the whole notebook must stay well
# under this (the target is 20 s per notebook).
SOLUTION_CELL_TIMEOUT_S = 600
CORRECT = "correct"


def add_arguments(parser):
    parser.add_argument("ids", nargs="*", help="assignment ids (default: every folder of source/)")
    parser.add_argument("--root", type=Path, default=None,
                        help="the course (default: the repository holding the kit)")
    parser.add_argument("--out", type=Path, default=None,
                        help="write release/, solutions/, samples/ under this folder instead of --root")
    parser.add_argument("--no-execute", action="store_true",
                        help="do not run the solution notebooks (quick checks only; commit executed ones)")


def build_releases(root, ids, out):
    """release/<id>/ of every id via nbgrader's generate_assignment in one
    throwaway course (one nbgrader run for all: the repository's gradebook is
    not touched); returns the folders."""
    from ..nbgrader_ext import notebooks
    dests = []
    with tempfile.TemporaryDirectory(prefix="dlkit-build-") as tmp:
        course = make_course(tmp, root, ids)
        # "*": every assignment of the throwaway course, which holds just ``ids``
        run_nbgrader(course, "generate_assignment", "*", "--force", "--no-db")
        for assignment in ids:
            dest = Path(out) / "release" / assignment
            shutil.rmtree(dest, ignore_errors=True)
            copy_folder(course / "release" / assignment, dest)
            dests.append(dest)
    for dest in dests:
        notebook = dest / f"{dest.name}.ipynb"
        notebooks.write(notebooks.read(notebook), notebook)
        for path in dest.iterdir():
            path.chmod(0o644)
    return dests


def execute(nb, folder):
    """Run ``nb`` in ``folder`` at full length with one BLAS thread."""
    from nbclient import NotebookClient
    saved = dict(os.environ)
    os.environ.update(ONE_THREAD)
    os.environ.pop("NBGRADER_EXECUTION", None)
    try:
        NotebookClient(nb, timeout=SOLUTION_CELL_TIMEOUT_S, kernel_name="python3",
                       resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def build_solution(root, assignment, out, run=True):
    """solutions/<id>/: helper files and the complete notebook (executed if ``run``)."""
    from ..nbgrader_ext import notebooks
    dest = Path(out) / "solutions" / assignment
    shutil.rmtree(dest, ignore_errors=True)
    copy_folder(Path(root) / "source" / assignment, dest)
    source = dest / f"{assignment}.ipynb"
    nb = notebooks.solution(notebooks.read(source))
    if run:
        execute(nb, dest)
    notebooks.write(nb, source)
    return dest


def build_samples(root, assignment, out):
    """samples/<student>/<id>/<id>.ipynb from the release; returns index entries."""
    from ..nbgrader_ext import notebooks
    from ..nbgrader_ext.samples import bug_samples
    source_nb = notebooks.read(Path(root) / "source" / assignment / f"{assignment}.ipynb")
    release_nb = notebooks.read(Path(out) / "release" / assignment / f"{assignment}.ipynb")
    answer_cells = {notebooks.grade_id(c): c.source for c in source_nb.cells if notebooks.is_answer(c)}
    code = [c.source for c in source_nb.cells if c.cell_type == "code"]
    folder = Path(root) / "source" / assignment
    samples = [(CORRECT, {}, {"function": None, "bug": None, "expect": "full marks"})]
    for function, name, expect, cell in bug_samples(repo_root(), assignment, answer_cells, code, folder):
        samples.append((f"bug-{function}", {function: cell},
                        {"function": function, "bug": name, "expect": "below full marks",
                         "message_names": expect}))
    index = {}
    for student, bugs, about in samples:
        nb = notebooks.filled(release_nb, {**notebooks.answers(source_nb), **bugs})
        dest = Path(out) / "samples" / student / assignment
        dest.mkdir(parents=True, exist_ok=True)
        notebooks.write(nb, dest / f"{assignment}.ipynb")
        index[f"{student}/{assignment}"] = {"assignment": assignment, **about}
    return index


def write_index(out, entries):
    """samples/index.json, merged with entries of assignments not rebuilt."""
    path = Path(out) / "samples" / "index.json"
    index = json.loads(path.read_text()) if path.is_file() else {}
    rebuilt = {e["assignment"] for e in entries.values()}
    index = {k: v for k, v in index.items() if v["assignment"] not in rebuilt}
    index.update(entries)
    path.write_text(json.dumps(dict(sorted(index.items())), indent=1) + "\n")


def clear_samples(out, assignment):
    for folder in (Path(out) / "samples").glob(f"*/{assignment}"):
        shutil.rmtree(folder)
        if not any(folder.parent.iterdir()):
            folder.parent.rmdir()


def main(args):
    root = (args.root or repo_root()).resolve()
    out = (args.out or root).resolve()
    ids = args.ids or assignment_ids(root)
    if not ids:
        print(f"no assignments in {root / 'source'} (expected source/<id>/<id>.ipynb)")
        return 1
    entries = {}
    print(f"release: {', '.join(ids)}", flush=True)
    build_releases(root, ids, out)
    for assignment in ids:
        print(f"{assignment}: solutions" + ("" if args.no_execute else " (executing)"), flush=True)
        build_solution(root, assignment, out, run=not args.no_execute)
        clear_samples(out, assignment)
        entries.update(build_samples(root, assignment, out))
        print(f"{assignment}: samples", flush=True)
    write_index(out, entries)
    return 0
