"""``python -m autograder demo``: grade the bundled sample submissions.

samples/ (made by ``python -m autograder build``) holds, per assignment, one
correct submission and a few with one typical bug each, laid out like
nbgrader's submitted/<student>/<id>/<id>.ipynb.  The demo grades them all
with the out-of-process CLI grader (``python -m autograder grade``), prints
its score table, then checks every sample against what samples/index.json
says it is (correct: full marks; bug: below full marks).  Results and
Markdown feedback go to ``--out`` (default demo_output/).  Exit code 1 if a
sample did not score as expected.
"""
import importlib.util
import json
from pathlib import Path

from ..cli import main as cli_main
from ..grading import grader_module
from ..nbgrader_ext.course import repo_root

HELP = "grade the bundled sample submissions with the CLI grader and print the scores"


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


def main(args):
    samples = (args.samples or repo_root() / "samples").resolve()
    if not (samples / "index.json").is_file():
        print(f"demo: no samples in {samples}; run `python -m autograder build` first")
        return 1
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    results = out / "results.json"
    skipped = missing_requirements(samples)
    for assignment, why in sorted(skipped.items()):
        print(f"demo: skipping the {assignment} samples: {why}")
    notebooks = sorted(str(p) for p in samples.glob("*/*/*.ipynb") if p.parent.name not in skipped)
    cli_main(["grade", *notebooks, "--json", str(results), "--feedback", str(out / "feedback")])
    rows = [r for r in expectations(samples, json.loads(results.read_text())["submissions"])
            if r[0].split("/")[-1] not in skipped]
    width = max(len(r[0]) for r in rows)
    print("\nSample submissions against what they are:")
    for key, score, what, ok in rows:
        print(f"  {'ok ' if ok else 'BAD'}  {key:{width}}  {score:>9}  expected {what}")
    print(f"\nScores in {results}; feedback per submission in {out / 'feedback'}/")
    return 0 if all(r[3] for r in rows) else 1
