"""The class at a glance: one HTML page per assignment, from the results JSON.

``pages(records)`` -> {assignment: HTML}.  A page shows the score
histogram, the pass rate per graded function (full marks) and per test, the
diagnosed bugs with how many submissions have each, and the submissions that
could not be graded.  It reads only the records (``report.public`` fields),
so it also works on a results JSON copied from a cluster.  Bars are plain
HTML: no script, no image, no network.
"""
from collections import Counter, OrderedDict
from html import escape

from .feedback_content import content, student_of
from .feedback_html import page, points

BINS = 10


def _bar_rows(rows, label_head, value_head):
    """A table of (label HTML, share 0..1, value text) with a bar per row."""
    out = [f"<table><thead><tr><th>{label_head}</th><th>{value_head}</th></tr></thead><tbody>"]
    for label, share, value in rows:
        out.append(f"<tr><td>{label}</td><td><div class=\"bar\"><span style=\"width:"
                   f"{100 * share:.0f}%\"></span></div>{escape(value)}</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def histogram(scores, max_score):
    """Rows (range, share of the largest bin, count) over BINS equal ranges."""
    counts = [0] * BINS
    for s in scores:
        share = s / max_score if max_score else 0.0
        counts[min(int(share * BINS), BINS - 1)] += 1
    top = max(counts) or 1
    rows = []
    for i, n in enumerate(counts):
        lo, hi = max_score * i / BINS, max_score * (i + 1) / BINS
        closing = "]" if i == BINS - 1 else ")"
        rows.append((f"[{lo:.3g}, {hi:.3g}{closing}", n / top, f"{n} submission(s)"))
    return rows


def page_of(assignment, records):
    """The HTML page of one assignment's records."""
    graded = [r for r in records if not r.get("error")]
    ungradable = [r for r in records if r.get("error")]
    max_score = max((r.get("max_score") or 0.0 for r in records), default=0.0)
    scores = [float(r.get("score") or 0.0) for r in graded]
    title = f"{assignment}: the class at a glance"
    body = [f"<h1>{escape(title)}</h1>",
            f"<p class=\"total\">{len(records)} submission(s): {len(graded)} graded, "
            f"{len(ungradable)} could not be graded.</p>"]
    if scores:
        mean = sum(scores) / len(scores)
        full = sum(s == max_score for s in scores)
        body.append(f"<p>Mean score {mean:.3g} / {points(max_score)}; {full} of {len(scores)} "
                    "graded submission(s) have full marks.</p>")
        body += ["<h2>Scores</h2>", _bar_rows(histogram(scores, max_score), "score", "submissions")]
    functions, tests = OrderedDict(), OrderedDict()
    bugs = Counter()
    for r in graded:
        fb = content(r)
        for fn in fb.functions:
            functions.setdefault(fn.name, []).append(fn.passed)
            if fn.bug:
                bugs[(fn.name, fn.bug)] += 1
        for t in r.get("tests") or []:
            tests.setdefault((t["function"], t["name"]), []).append(t["status"] == "passed")
    if functions:
        body += ["<h2>Pass rate per graded function (full marks)</h2>", _bar_rows(
            [(f"<code>{escape(fn)}</code>", sum(v) / len(v), f"{sum(v)}/{len(v)}")
             for fn, v in functions.items()], "function", "full marks")]
        body += ["<h2>Pass rate per test</h2>", _bar_rows(
            [(f"<code>{escape(fn)}</code>: {escape(name.removeprefix(f'test_{fn}_').replace('_', ' '))}",
              sum(v) / len(v), f"{sum(v)}/{len(v)}") for (fn, name), v in tests.items()],
            "test", "passed")]
    body.append("<h2>Most frequent diagnosed bugs</h2>")
    if bugs:
        body.append("<table><thead><tr><th>function</th><th>the answer behaves like</th>"
                    "<th class=\"num\">count</th></tr></thead><tbody>")
        for (fn, text), n in bugs.most_common():
            body.append(f"<tr><td><code>{escape(fn)}</code></td><td>{escape(text)}</td>"
                        f"<td class=\"num\">{n}</td></tr>")
        body.append("</tbody></table>")
    else:
        body.append("<p class=\"muted\">No failing function matched a known mistake.</p>")
    body.append("<h2>Submissions that could not be graded</h2>")
    if ungradable:
        body.append("<ul>" + "".join(
            f"<li><strong>{escape(student_of(r))}</strong>: <pre>{escape(content(r).error)}</pre></li>"
            for r in ungradable) + "</ul>")
    else:
        body.append("<p class=\"muted\">None.</p>")
    return page(title, "\n".join(body))


def pages(records):
    """{assignment: HTML} for every assignment in ``records`` (a list of
    records, or the results JSON's dict with "submissions")."""
    if isinstance(records, dict):
        records = records.get("submissions") or []
    by_assignment = OrderedDict()
    for r in records:
        by_assignment.setdefault(r.get("assignment") or "unknown", []).append(r)
    return {a: page_of(a, rs) for a, rs in sorted(by_assignment.items())}
