"""Where the hidden tests and the solution sit in a cell's source.

The delimiters are nbgrader's (matched anywhere in a line, as nbgrader does):
``### BEGIN HIDDEN TESTS`` ... ``### END HIDDEN TESTS`` and
``### BEGIN SOLUTION`` ... ``### END SOLUTION``.
"""
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"


def split_hidden(source):
    """(visible lines, hidden lines) of a cell's source, or None without hidden tests.

    The hidden lines include both delimiter lines; the visible lines are every
    other line, in order.
    """
    visible, hidden, inside = [], [], False
    for line in source.split("\n"):
        if BEGIN_HIDDEN in line:
            inside = True
        (hidden if inside else visible).append(line)
        if END_HIDDEN in line:
            inside = False
    return (visible, hidden) if hidden else None


def without_hidden(source):
    """The source with its hidden-test block removed (trailing blank lines too)."""
    parts = split_hidden(source)
    return source if parts is None else "\n".join(parts[0]).rstrip()


def without_solution_delimiters(source):
    """The complete answer: the source minus its solution delimiter lines."""
    return "\n".join(line for line in source.split("\n")
                     if BEGIN_SOLUTION not in line and END_SOLUTION not in line)


def solution_lines(source):
    """The lines between the solution delimiters (the answer a release must not hold)."""
    lines, inside = [], False
    for line in source.split("\n"):
        if END_SOLUTION in line:
            inside = False
        if inside:
            lines.append(line)
        if BEGIN_SOLUTION in line:
            inside = True
    return lines


def grade_cell_source(function):
    """The source of a graded function's test cell: its visible checks only.

    The hidden graders are not in the notebook: autograde runs them out of
    process (autograde.py) and gives the cell their score.
    """
    return (f"# Public checks for {function}; hidden graders run when the notebook is graded.\n"
            f"check_{function}({function})")
