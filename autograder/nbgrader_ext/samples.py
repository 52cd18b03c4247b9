"""Sample submissions for the demo: one correct, and a few with one typical bug.

The bugs are the kit's own catalogue of realistic wrong answers,
``autograder/variants/<id>.py`` (each a whole function); the build splices a bug's
body into the answer cell under the notebook's own signature and docstring,
so a sample reads like a real submission.
"""
import ast
import builtins
import importlib
import re
import sys
import textwrap
from pathlib import Path

from .cells import BEGIN_SOLUTION, END_SOLUTION, without_solution_delimiters

MAX_BUGS = 3   # bug samples per assignment, each in a different function


def catalogue(root, assignment):
    """The wrong variants of autograder/variants/<assignment>.py (empty if none).
    ``root`` is unused: the catalogue ships in the package."""
    try:
        module = importlib.import_module(f"autograder.variants.{assignment}")
    except ModuleNotFoundError:
        return []
    return [v for v in module.VARIANTS if v.expect is not None]


def _function(source, name):
    tree = ast.parse(source)
    return next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)


def _body(fn):
    """A function's statements, its docstring left out."""
    first = fn.body[0]
    docstring = isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant) \
        and isinstance(first.value.value, str)
    return fn.body[1:] if docstring and len(fn.body) > 1 else fn.body


def defined_names(code_sources, folder):
    """Names a notebook defines or imports (star imports of helper files in ``folder``)."""
    names = set(dir(builtins))
    for source in code_sources:
        try:
            tree = ast.parse(re.sub(r"(?m)^\s*[%!].*$", "", source))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    if alias.name == "*" and (Path(folder) / f"{node.module}.py").is_file():
                        names |= defined_names([(Path(folder) / f"{node.module}.py").read_text()], folder)
                    else:
                        names.add((alias.asname or alias.name).split(".")[0])
    return names


def splice(answer_cell, bug_source, function, known):
    """The answer cell with its solution replaced by the bug's body, or None when
    that is not possible cleanly (other parameters, names the notebook lacks,
    a solution region that is not the function's whole body)."""
    mine, bug = _function(without_solution_delimiters(answer_cell), function), _function(bug_source, function)
    if mine is None or bug is None:
        return None
    if [a.arg for a in mine.args.args] != [a.arg for a in bug.args.args]:
        return None
    local = {a.arg for a in bug.args.args} | {n.id for n in ast.walk(bug)
                                              if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    used = {n.id for n in ast.walk(bug) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    if not used <= known | local:
        return None
    lines = answer_cell.split("\n")
    begin = next(i for i, line in enumerate(lines) if BEGIN_SOLUTION in line)
    end = next(i for i, line in enumerate(lines) if END_SOLUTION in line)
    indent = re.match(r"\s*", lines[begin]).group(0)
    body_indent = " " * _body(mine)[0].col_offset
    if indent != body_indent:
        return None
    statements = _body(bug)
    bug_lines = bug_source.split("\n")[statements[0].lineno - 1:statements[-1].end_lineno]
    body = textwrap.indent(textwrap.dedent("\n".join(bug_lines)), indent)
    return "\n".join(lines[:begin] + [body] + lines[end + 1:])


def bug_samples(kit_root, assignment, answer_cells, code_sources, folder):
    """[(function, variant name, expect, spliced cell source)], at most MAX_BUGS,
    one per function, in notebook order.

    kit_root: unused (the catalogue is autograder/variants).
    answer_cells: {function: source answer cell}.  code_sources: the
    notebook's code cells; folder: where its helper files are.
    """
    known = defined_names(code_sources, folder)
    variants = catalogue(kit_root, assignment)
    chosen = []
    for function, cell in answer_cells.items():
        for variant in variants:
            if variant.function != function:
                continue
            source = splice(cell, variant.source, function, known)
            if source is not None:
                chosen.append((function, variant.name, variant.expect, source))
                break
        if len(chosen) == MAX_BUGS:
            break
    return chosen
