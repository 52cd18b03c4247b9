"""``python -m autograder classpage RESULTS.json [--out DIR]``: the class at a glance.

Writes ``DIR/class-<assignment>.html`` per assignment in the results JSON that
``python -m autograder grade --json`` wrote (see ``autograder/classpage.py``).
"""
import json
import sys
from pathlib import Path

HELP = "one HTML overview per assignment (scores, pass rates, diagnosed bugs) from a results JSON"


def add_arguments(parser):
    parser.add_argument("results", type=Path, help="the JSON written by grade --json")
    parser.add_argument("--out", type=Path, default=Path("."),
                        help="folder for class-<assignment>.html (default: here)")


def main(args):
    from ..classpage import pages
    try:
        results = json.loads(args.results.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"classpage: cannot read {args.results}: {exc}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for assignment, html in pages(results).items():
        safe = "".join(c if c.isalnum() or c in "_-" else "_" for c in assignment)
        path = args.out / f"class-{safe}.html"
        path.write_text(html, encoding="utf-8")
        print(f"wrote {path}")
    return 0
