"""What a batch grading run shows: the score table, the JSON, feedback files.

A *record* is one submission's result as ``python -m autograder grade`` keeps
it (one JSON file per submission in the results directory)::

    {"submission": PATH, "assignment": ID or None, "score": S, "max_score": M,
     "tests": [TestResult.to_json(), ...], "error": MESSAGE (only if ungradable),
     "cell_errors": [{"cell": i, "message": ...}], "protections": [...],
     "key": HASH}

``public`` keeps the fields of the published JSON.  Feedback files show scores
and messages per function (never grader source).
"""
import html
import re
from collections import OrderedDict

PUBLIC_FIELDS = ("submission", "assignment", "score", "max_score", "tests", "error",
                 "protections")


def public(record):
    """The record as it appears in the --json file."""
    return {k: record[k] for k in PUBLIC_FIELDS if k in record}


def points(x):
    """2.0 -> '2', 1.5 -> '1.5'."""
    return f"{x:g}"


def by_function(tests):
    """OrderedDict {function: (score, max_score)} in grader order."""
    out = OrderedDict()
    for t in tests:
        score, most = out.get(t["function"], (0.0, 0.0))
        out[t["function"]] = (score + t["score"], most + t["max_score"])
    return out


def table(records, footer=()):
    """The readable score table: one line per submission, one per function under it.

    Every cell is printed as one safe line: newlines, terminal escapes and
    other control characters in a name or message become visible marks.
    """
    rows = [("submission", "assignment", "function", "score")]
    for r in records:
        total = f"{points(r['score'])}/{points(r['max_score'])}"
        rows.append((_cell(r["submission"]), _cell(r["assignment"] or "-"), "(total)", total))
        if "error" in r:
            rows.append(("", "", f"not graded: {_cell(r['error'])}", ""))
        for warning in r.get("warnings", ()):
            rows.append(("", "", f"warning: {_cell(warning)}", ""))
        for fn, (score, most) in by_function(r["tests"]).items():
            rows.append(("", "", _cell(fn), f"{points(score)}/{points(most)}"))
    widths = [max(len(row[i]) for row in rows if row[i]) for i in range(3)]
    widths = [min(w, 60) for w in widths]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[i].ljust(widths[i]) for i in range(3)]
        if row[2].startswith(("not graded", "warning:")):
            lines.append(f"{cells[0]}  {cells[1]}  {row[2]}")
        else:
            lines.append(f"{cells[0]}  {cells[1]}  {cells[2]}  {row[3]:>7}")
        if n == 0:
            lines.append("  ".join("-" * w for w in widths) + "  -------")
    return "\n".join(lines + [""] + [_cell(f, 4000) for f in footer])


def _cell(text, limit=300):
    """One printable line of at most ~``limit`` characters: a newline shows as
    a visible mark, control characters (ANSI escapes, NUL) as '?'."""
    text = str(text)
    cut = len(text) > limit
    text = "".join(ch if ch.isprintable() else ("\u21b5" if ch == "\n" else "?")
                   for ch in text[:limit])
    return text + ("..." if cut else "")


def feedback_name(submission):
    """A file name for a submission's feedback: its path with safe characters."""
    stem = re.sub(r"\.ipynb$", "", submission)
    return re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("_.") + ".md"


def feedback(record):
    """One submission's feedback as Markdown."""
    lines = [f"# Feedback on {record['submission']}", ""]
    assignment = record["assignment"] or "unknown"
    lines.append(f"Assignment **{assignment}**: score **{points(record['score'])} / "
                 f"{points(record['max_score'])}**.")
    if "error" in record:
        lines += ["", f"This notebook could not be graded: {record['error']}"]
    functions = by_function(record["tests"])
    if functions:
        lines += ["", "| function | score |", "|---|---|"]
        lines += [f"| `{fn}` | {points(s)} / {points(m)} |" for fn, (s, m) in functions.items()]
    for fn in functions:
        lines += ["", f"## `{fn}`", ""]
        for t in (t for t in record["tests"] if t["function"] == fn):
            what = t["name"].removeprefix(f"test_{fn}_").replace("_", " ")
            score = f"{points(t['score'])}/{points(t['max_score'])}"
            message = f": {_one_line(t['message'])}" if t["message"] else ""
            lines.append(f"- {what} ({score}) **{t['status']}**{message}")
    if record.get("cell_errors"):
        lines += ["", "## Notebook cells that failed", "",
                  "Cells are counted from 0, markdown cells included."]
        lines += [f"- {_one_line(e['message'])}" for e in record["cell_errors"]]
    return "\n".join(lines) + "\n"


def _one_line(text):
    """One line, with <, > and & escaped so a student's text stays text."""
    return html.escape(" ".join(str(text).split()), quote=False)
