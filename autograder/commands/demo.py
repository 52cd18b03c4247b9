"""``python -m autograder demo``: grade the bundled sample submissions.

samples/ (made by ``python -m autograder build``) holds, per assignment, one
correct submission and a few with one typical bug each, laid out like
nbgrader's submitted/<student>/<id>/<id>.ipynb.  The demo grades them all in
this process through the kit's one grading call (``records.grade_file``, each
in its own sandbox child), prints the score table, then checks every sample
against what samples/index.json says it is (correct: full marks; bug: below
full marks).  Results and Markdown feedback go to ``--out`` (default
demo_output/).  Exit code 1 if a sample did not score as expected.
"""
import importlib.util
import json
import sys
from pathlib import Path

from .. import assignments, exports, report, runner, submissions
from ..cache import write_atomically
from ..records import grade_file
from ..sandbox import Limits, SandboxUnavailable
from ..secret import course_secret
from ..grading import grader_module

HELP = "grade the bundled sample submissions in a sandbox and print the scores"


def add_arguments(parser):
    parser.add_argument("--samples", type=Path, default=None,
                        help="sample submissions (default: the repository's samples/)")
    parser.add_argument("--out", type=Path, default=Path("demo_output"),
                        help="folder for results.json and feedback/ (default: %(default)s)")


def expectations(samples, records):
    """Rows (sample, score text, expected, ok) from index.json and the graded records."""
    index = json.loads((samples / "index.json").read_text())
    by_key = {}
    for record in records:
        path = Path(record["submission"])
        by_key[f"{path.parent.parent.name}/{path.parent.name}"] = record
    rows = []
    for key, about in sorted(index.items()):
        record = by_key.get(key)
        if record is None:
            rows.append((key, "not graded", about["expect"], False))
            continue
        score, most = record["score"], record["max_score"]
        ok = score == most if about["function"] is None else score < most
        what = about["expect"] + ("" if about["bug"] is None else f" (bug: {about['bug']})")
        rows.append((key, f"{score:g}/{most:g}", what, ok))
    return rows


def missing_requirements(samples):
    """{assignment: message} for the assignments of the samples whose graders
    declare an optional package (REQUIRES) that is not installed."""
    index = json.loads((samples / "index.json").read_text())
    missing = {}
    for assignment in sorted({about["assignment"] for about in index.values()}):
        try:
            module = grader_module(assignment)
        except ImportError:
            continue
        for package, message in getattr(module, "REQUIRES", {}).items():
            if importlib.util.find_spec(package) is None:
                missing[assignment] = message
    return missing


def grade_samples(samples):
    """The records of every sample notebook, graded one by one in this process."""
    limits = Limits()
    secret = course_secret(assignments.ROOT)
    skipped = missing_requirements(samples)
    for assignment, why in sorted(skipped.items()):
        print(f"demo: skipping the {assignment} samples: {why}")
    found = [f for f in submissions.find([samples], assignments.ids())
             if f.path.parent.name not in skipped]
    try:
        try:
            workspace = runner.workspace_for(limits)
        except SandboxUnavailable as exc:
            # the demo grades the kit's own samples: they need no protection
            print(f"demo: {exc}\ndemo: grading the bundled samples without a sandbox "
                  "(--isolation none); they are the kit's own notebooks, not students'.\n",
                  file=sys.stderr)
            limits = Limits(isolation="none")
            workspace = runner.workspace_for(limits)
        return [grade_file(f.path, workspace, limits, secret=secret, student=f.student,
                           protected=workspace.isolation.protected)
                for f in found]
    finally:
        runner.close_workspaces()


def main(args):
    samples = (args.samples or assignments.ROOT / "samples").resolve()
    if not (samples / "index.json").is_file():
        print(f"demo: no samples in {samples}; run `python -m autograder build` first")
        return 1
    out = args.out
    feedback = out / "feedback"
    feedback.mkdir(parents=True, exist_ok=True)
    records = grade_samples(samples)
    print(report.table(records))
    results = out / "results.json"
    write_atomically(results, json.dumps({"submissions": [exports.public(r) for r in records]},
                                         indent=1) + "\n")
    for record in records:
        shown = dict(record, submission=f"{record['student']} / {record['assignment']}")
        write_atomically(feedback / f"{exports.file_stem(record)}.md", report.feedback(shown))
    skipped = missing_requirements(samples)
    rows = [r for r in expectations(samples, records) if r[0].split("/")[-1] not in skipped]
    width = max(len(r[0]) for r in rows)
    print("\nSample submissions against what they are:")
    for key, score, what, ok in rows:
        print(f"  {'ok ' if ok else 'BAD'}  {key:{width}}  {score:>9}  expected {what}")
    print(f"\nScores in {results}; feedback per submission in {feedback}/")
    return 0 if all(r[3] for r in rows) else 1
