"""What a batch grading run shows: the score table, the JSON, feedback files.

A *record* is one submission's result as ``python -m autograder grade`` keeps
it (one JSON file per submission in the results directory)::

    {"submission": PATH, "student": ID (optional), "assignment": ID or None,
     "score": S, "max_score": M, "tests": [TestResult.to_json(), ...],
     "error": MESSAGE (only if ungradable), "cell_errors": [{"cell": i, "message": ...}],
     "protections": [...], "key": HASH}

``public`` keeps the fields of the published JSON.  Feedback (``feedback_text``
as Markdown that reads as plain text, ``feedback_html`` as one self-contained
page) shows per function its points, one line per test, the failure messages
and a diagnosed bug, never grader source nor the instructor's paths; both
render ``feedback_content.content(record)``.  The class page is classpage.py.
"""
import re
from collections import OrderedDict
from pathlib import PurePath

from .feedback_content import content

PUBLIC_FIELDS = ("submission", "student", "assignment", "score", "max_score", "tests", "error",
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


def feedback_name(record_or_path, suffix=".md"):
    """A file name for a submission's feedback: ``<student>-<assignment>.md``
    for a record; for a path, its last three parts (student/id/file) joined
    with safe characters, never the whole absolute path."""
    if isinstance(record_or_path, dict):
        fb = content(record_or_path)
        stem = f"{fb.student}-{fb.assignment}"
    else:
        parts = PurePath(re.sub(r"\.ipynb$", "", str(record_or_path))).parts
        stem = "_".join(p for p in parts[-3:] if p not in ("/", ""))
    return (re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("_.") or "submission") + suffix


# What can make Markdown act: backslash, code, emphasis, HTML and autolinks,
# strike; a "]" that would close a link ("](", "][", "]:"), so n[l-1] stays
# as is; an underscore only at a word's edge (n_x stays as is); at a line's
# start also headings, quotes and list marks.
_MARKDOWN_ANYWHERE = re.compile(r"([\\`*<~]|\](?=[(\[:])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])", re.MULTILINE)


def md(text):
    """Text shown literally by a Markdown renderer and readable as plain
    text: the characters Markdown would act on get a backslash, nothing
    becomes an HTML entity."""
    text = _MARKDOWN_ANYWHERE.sub(r"\\\1", str(text))
    def mark(m):
        lead, sign = m.group(1), m.group(2)
        return lead + (sign[:-1] + "\\" + sign[-1] if sign[0].isdigit() else "\\" + sign)
    return _MARKDOWN_LINE_START.sub(mark, text)


def feedback_text(record):
    """One submission's feedback as Markdown that reads as plain text."""
    fb = content(record)
    lines = [f"# {md(fb.title)}", "",
             f"Score: **{points(fb.score)} / {points(fb.max_score)}**"]
    if fb.error:
        lines += ["", f"**This notebook could not be graded.** {md(fb.error)}"]
    if fb.functions:
        lines += ["", "| graded function | points |", "|---|---|"]
        lines += [f"| `{fn.name}` | {'✓' if fn.passed else '✗'} {points(fn.score)} / "
                  f"{points(fn.max_score)} |" for fn in fb.functions]
    for fn in fb.graded_functions:
        lines += ["", f"## `{fn.name}`: {points(fn.score)} / {points(fn.max_score)}", ""]
        if fn.diagnosis:
            lines += [f"> {md(fn.diagnosis)}", ""]
        for line in fn.lines:
            lines.append(f"- {'✓' if line.passed else '✗'} {line.what} "
                         f"({points(line.score)}/{points(line.max_score)}): "
                         f"{md(line.status_words)}")
            if line.message:
                lines += [f"  {md(part)}" for part in line.message.splitlines() if part.strip()]
    if fb.cell_errors:
        lines += ["", "## Notebook cells that raised an error", "",
                  "Cells are counted from 0, text cells included.", ""]
        lines += [f"- cell {cell}: {md(' '.join(msg.split()))}" for cell, msg in fb.cell_errors]
    return "\n".join(lines) + "\n"


def feedback_html(record):
    """One submission's feedback as a self-contained HTML page."""
    from .feedback_html import feedback_html as render
    return render(record)


feedback = feedback_text        # the name grade.py used before HTML existed
