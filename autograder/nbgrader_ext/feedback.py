"""ScrubHiddenTests: feedback without the hidden tests' source.

Stock ``generate_feedback`` renders the autograded notebook, whose test cells
hold the hidden block, and tracebacks that quote it.  This preprocessor (in the
feedback pipeline, after GetGrades) removes the block from the source and
drops every traceback entry quoting one of its lines, keeping the error's
name and message.
"""
import re

from nbgrader.preprocessors import NbGraderPreprocessor

from .cells import split_hidden

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def scrub_traceback(output, hidden_lines):
    """Drop traceback entries quoting any of ``hidden_lines``; keep 'ename: evalue'."""
    kept = [entry for entry in output.get("traceback", [])
            if not any(h in ANSI.sub("", entry) for h in hidden_lines)]
    last = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
    if not kept or output.get("ename", "") not in ANSI.sub("", kept[-1]):
        kept.append(last)
    output["traceback"] = kept


class ScrubHiddenTests(NbGraderPreprocessor):
    """Remove hidden-test source (and tracebacks quoting it) from code cells.
    (An NbGraderPreprocessor: enabled by default, unlike nbconvert's.)"""

    def preprocess_cell(self, cell, resources, index):
        parts = split_hidden(cell.source) if cell.cell_type == "code" else None
        if parts is None:
            return cell, resources
        visible, hidden = parts
        cell.source = "\n".join(visible).rstrip()
        hidden_lines = [line.strip() for line in hidden if line.strip()]
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                scrub_traceback(output, hidden_lines)
        return cell, resources
