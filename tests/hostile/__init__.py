"""Submission notebooks made from the reference source, for the CLI tests.

``template(assignment)`` builds a notebook the way the course lays one out:
a markdown title, a setup cell (the reference module's imports, constants and
helpers), a seeding cell, then for each graded function its solution cell and
its nbgrader test cell, and a training cell tagged ``demo``.  The reference
code fills the solution cells, so the template earns full marks.

``notebook(assignment, replace={fn: source}, extra=[(after_fn, source)])``
swaps one function's solution for other code, or adds a cell after a
function's cells (``after_fn=None``: after the setup cell): that is how every
hostile fixture is made.  Fixtures are built in code, never stored as JSON,
so they follow the reference and the graders as those change.
"""
import ast
import importlib
import inspect
import json
import textwrap

from autograder.grading import grader_module, tests_of


def graded_functions(assignment):
    """Graded function names in grader order, with their points."""
    points = {}
    for test in tests_of(grader_module(assignment)):
        g = test.grading
        points[g.function] = points.get(g.function, 0) + g.points
    return points


def _split_reference(assignment):
    """(setup source, {graded function: its source}) from the reference module."""
    source = inspect.getsource(importlib.import_module(f"autograder.reference.{assignment}"))
    source = source.replace("from autograder.", "from ")     # numerics.py sits beside the notebook
    lines = source.splitlines(keepends=True)
    graded = graded_functions(assignment)
    setup, functions = [], {}
    for node in ast.parse(source).body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
        text = "".join(lines[start:node.end_lineno])
        if isinstance(node, ast.FunctionDef) and node.name in graded:
            functions[node.name] = text
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            setup.append(text)                                  # skip the module docstring
    return "\n\n".join(setup), functions


def _code(source, nbgrader=None, tags=None):
    metadata = {}
    if nbgrader is not None:
        metadata["nbgrader"] = dict(nbgrader, schema_version=3)
    if tags:
        metadata["tags"] = list(tags)
    return {"cell_type": "code", "execution_count": None, "metadata": metadata,
            "outputs": [], "source": source}


def _markdown(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def notebook(assignment, replace=None, extra=(), drop=()):
    """A submission notebook (dict); see module docstring.

    replace: {function: source} used instead of the reference solution.
    extra: [(function or None, source)]: a plain code cell after that
           function's test cell (None: after the setup cell).
    drop: functions whose solution cell is left out.
    """
    replace = {k: textwrap.dedent(v) for k, v in (replace or {}).items()}
    setup, functions = _split_reference(assignment)
    points = graded_functions(assignment)
    extras = {}
    for after, source in extra:
        extras.setdefault(after, []).append(_code(textwrap.dedent(source)))
    cells = [_markdown(f"# {assignment}: submission made from the reference"),
             _code("# Imports, constants and helpers\n" + setup)]
    cells += extras.get(None, [])
    cells.append(_code("# Seed numpy's global RNG once, for reproducible demos\n"
                       "np.random.seed(1)\n"))
    for fn in functions:
        if fn not in drop:
            cells.append(_code(replace.get(fn, functions[fn]), nbgrader={
                "grade": False, "solution": True, "locked": False, "grade_id": fn}))
        cells.append(_code(f"# Visible checks of {fn}\ncheck_{fn}({fn})\n", nbgrader={
            "grade": True, "solution": False, "locked": True, "points": points[fn],
            "grade_id": f"test_{fn}"}))
        cells += extras.get(fn, [])
    cells.append(_code("# Train the network (a demo: never run by the grader)\n"
                       "raise RuntimeError('a demo cell ran during grading')\n", tags=["demo"]))
    return {"nbformat": 4, "nbformat_minor": 5, "cells": cells,
            "metadata": {"dlkit": {"assignment": assignment},
                         "kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}}}


def write(nb, path):
    """Write notebook dict ``nb`` to ``path`` (parents created); returns path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path
