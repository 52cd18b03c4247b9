"""Self-contained HTML pages: one submission's feedback, and the shared frame.

A page has its CSS inline, no script, no external resource (fonts, images
and maths included: formulas are written in Unicode, pictures are PNG data
URIs), so it reads the same offline, from a mail attachment or a cluster's
file system.  Every text that comes from a record is escaped with
``html.escape``: a message holding "<img ...>" or "**score 6/6**" shows as
those characters.  Long values wrap (``overflow-wrap: anywhere``): nothing
scrolls sideways.
"""
from html import escape

from .feedback_content import content

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: #1d232a; background: #f6f7f9; margin: 0; padding: 1.5rem; }
main { max-width: 58rem; margin: 0 auto; background: #fff; padding: 1.5rem 2rem;
       border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; overflow-wrap: anywhere; }
p, li, td, th, pre, code { overflow-wrap: anywhere; word-break: break-word; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .92em; }
pre { white-space: pre-wrap; margin: .3rem 0 0; }
.total { font-size: 1.3rem; margin: .5rem 0 1rem; }
.bar { height: .6rem; background: #e4e7eb; border-radius: .3rem; overflow: hidden; }
.bar span { display: block; height: 100%; background: #2e7d32; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: .5rem 0; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e4e7eb;
         vertical-align: top; }
th { background: #f0f2f5; }
td.num, th.num { text-align: right; width: 7rem; }
ul.tests { list-style: none; padding: 0; margin: 0; }
ul.tests li { padding: .45rem .6rem; margin: .3rem 0; border-radius: 6px;
              border-left: 4px solid #2e7d32; background: #f3f8f3; }
ul.tests li.bad { border-left-color: #c62828; background: #fdf3f3; }
.mark { font-weight: 600; }
.why { color: #333; }
.diagnosis, .error, .hint { padding: .6rem .8rem; border-radius: 6px; margin: .6rem 0; }
.diagnosis { background: #fff8e1; border: 1px solid #f0c36d; }
.error { background: #fdecea; border: 1px solid #e0a3a0; }
.hint { background: #eef4fb; border: 1px solid #b3cde8; }
.muted { color: #5b6570; font-size: .9rem; }
img.figure { max-width: 100%; height: auto; display: block; margin: .5rem 0; }
a { color: #1a5fb4; }
"""


def page(title, body):
    """A whole HTML document: ``title`` (escaped here) and ``body`` (HTML)."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def points(x):
    return f"{x:g}"


def bar(score, max_score):
    share = 100 * score / max_score if max_score else 0
    return f'<div class="bar" aria-hidden="true"><span style="width:{share:.0f}%"></span></div>'


def anchor(name):
    return "fn-" + "".join(c if c.isalnum() else "-" for c in name)


def render(fb, figures=()):
    """HTML of a ``feedback_content.Feedback``.  figures: [(function, caption,
    PNG data URI)] shown under their function."""
    out = [f"<h1>{escape(fb.title)}</h1>",
           f'<p class="total">Score: <strong>{points(fb.score)} / {points(fb.max_score)}</strong>'
           f"</p>", bar(fb.score, fb.max_score)]
    if fb.error:
        out.append(f'<div class="error"><strong>This notebook could not be graded.</strong> '
                   f"{escape(fb.error)}</div>")
    if fb.functions:
        out.append('<table><thead><tr><th>graded function</th><th class="num">points</th>'
                   "</tr></thead><tbody>")
        for fn in fb.functions:
            mark = "✓" if fn.passed else "✗"
            name = f"<code>{escape(fn.name)}</code>"
            if not fb.error:
                name = f'<a href="#{anchor(fn.name)}">{name}</a>'
            out.append(f'<tr><td>{name}</td><td class="num">{mark} {points(fn.score)} / '
                       f"{points(fn.max_score)}</td></tr>")
        out.append("</tbody></table>")
    for fn in fb.graded_functions:
        out.append(f'<h2 id="{anchor(fn.name)}"><code>{escape(fn.name)}</code>: '
                   f"{points(fn.score)} / {points(fn.max_score)}</h2>")
        if fn.diagnosis:
            out.append(f'<div class="diagnosis">{escape(fn.diagnosis)}</div>')
        out.append('<ul class="tests">')
        for line in fn.lines:
            cls = "" if line.passed else ' class="bad"'
            mark = "✓" if line.passed else "✗"
            item = (f'<li{cls}><span class="mark">{mark} {escape(line.what)}</span> '
                    f"({points(line.score)}/{points(line.max_score)}): "
                    f"{escape(line.status_words)}")
            if line.message:
                item += f'<pre class="why">{escape(line.message)}</pre>'
            out.append(item + "</li>")
        out.append("</ul>")
        for function, caption, uri in figures:
            if function == fn.name:
                out.append(f'<img class="figure" alt="{escape(caption)}" src="{uri}">'
                           f'<p class="muted">{escape(caption)}</p>')
    if fb.cell_errors:
        out.append("<h2>Notebook cells that raised an error</h2>"
                   '<p class="muted">Cells are counted from 0, text cells included.</p><ul>')
        out += [f"<li>cell {escape(str(cell))}: <pre>{escape(msg)}</pre></li>"
                for cell, msg in fb.cell_errors]
        out.append("</ul>")
    out.append('<p class="muted">Hidden graders run your functions on fresh inputs; each line '
               "above is one property they check.  Fix the first failing line of a function "
               "first: later lines often fail for the same reason.</p>")
    return page(fb.title, "\n".join(out))


def feedback_html(record):
    """One submission's feedback page (see report.py for the record)."""
    from .figures import figures_of
    return render(content(record), figures_of(record))
