"""GradeHiddenTests: nbgrader's Execute, but a test cell's hidden graders always run.

A test cell is ``check_<f>(<f>)`` (the visible check) followed by the hidden
block calling ``grade_function``, which publishes the graders' score as the
cell's result (nbgrader's partial credit).  Stock execution stops at the
visible check when it fails, so the cell would score 0 where the graders (and
the CLI) give partial credit.  Here the visible part runs inside ``try:`` and
the hidden block in its ``finally:``; the cell's stored source is unchanged.
"""
import textwrap

from nbgrader.preprocessors import Execute

from .cells import split_hidden


def guarded_source(source):
    """The source to run for a cell: visible part in try, hidden block in finally."""
    parts = split_hidden(source)
    if parts is None:
        return source
    visible, hidden = ("\n".join(p) for p in parts)
    # "pass" keeps the try block valid when the visible part is only comments.
    return ("try:\n" + textwrap.indent(visible + "\npass", "    ", lambda line: True)
            + "\nfinally:\n" + textwrap.indent(hidden, "    ", lambda line: True) + "\n")


class GradeHiddenTests(Execute):
    """Execute (same options: timeout, kernel...) with guarded hidden-test cells."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or split_hidden(cell.source) is None:
            return super().preprocess_cell(cell, resources, index)
        original = cell.source
        cell.source = guarded_source(original)
        try:
            return super().preprocess_cell(cell, resources, index)
        finally:
            cell.source = original
