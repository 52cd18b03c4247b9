"""The feedback page nbgrader's ``generate_feedback`` writes, as the kit wants it.

- ``RenderMathOffline`` turns the ``$...$`` and ``$$...$$`` of markdown cells
  into MathML (``latex2mathml``), which browsers draw themselves: the page
  needs no MathJax, no CDN, no internet.
- ``FeedbackStyle`` adds the kit's CSS to the page: long output lines wrap.
- The template ``dlkit_feedback`` (templates/) names each graded function in
  the summary ("initialize_parameters_he (Score: 2 / 6)", not "Test cell"),
  and loads no MathJax.
Configured in nbgrader_config.py: ``TEMPLATE_NAME``, ``TEMPLATE_DIRS``.
"""
import html
import re
from pathlib import Path

import nbgrader
from nbgrader.preprocessors import NbGraderPreprocessor

TEMPLATE_NAME = "dlkit_feedback"
TEMPLATE_FILE = "dlkit_index.html.j2"   # extends nbgrader's feedback index.html.j2
TEMPLATE_DIRS = [str(Path(__file__).with_name("templates")),
                 str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates")]

# Code (fenced blocks, then inline spans) is left as written; maths is looked
# for in the text between.
CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)((?:\\\$|[^$])+?)(?<!\\)\$")

FEEDBACK_CSS = """
/* dlkit: outputs and code wrap instead of running off the right edge */
div.output_area pre, div.output_text pre, div.input_area pre {
  white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-word;
}
math[display="block"] { margin: 0.6em 0; overflow-x: auto; max-width: 100%; }
"""


def to_mathml(latex, display):
    """MathML for one formula; the formula as code if it cannot be converted."""
    from latex2mathml.converter import convert
    try:
        return convert(latex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - an unknown macro shows as its source, not a crash
        return f"<code>{html.escape(latex.strip())}</code>"


def render_math(markdown):
    """``markdown`` with every formula outside code replaced by MathML."""
    parts = CODE.split(markdown)
    for i in range(0, len(parts), 2):       # even parts are text, odd ones code
        text = DISPLAY_MATH.sub(lambda m: to_mathml(m.group(1), True), parts[i])
        parts[i] = INLINE_MATH.sub(lambda m: to_mathml(m.group(1), False), text)
    return "".join(parts)


class RenderMathOffline(NbGraderPreprocessor):
    """Markdown cells' maths as MathML (see module docstring)."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and "$" in cell.source:
            cell.source = render_math(cell.source)
        return cell, resources


class FeedbackStyle(NbGraderPreprocessor):
    """The kit's CSS in the page's inlined styles (after CSSHTMLHeaderPreprocessor)."""

    def preprocess(self, nb, resources):
        resources.setdefault("inlining", {}).setdefault("css", []).append(FEEDBACK_CSS)
        return nb, resources
