"""Reading a submitted notebook into the code the grader runs (autograder/notebook.py)."""
import json

import pytest

from autograder.notebook import (NotebookError, assignment_of, code_to_run, parse_notebook,
                                 read_notebook, strip_magics)

KNOWN = ["initialization", "regularization"]


def nb(*cells, metadata=None):
    return {"cells": list(cells), "metadata": metadata or {}, "nbformat": 4,
            "nbformat_minor": 5}


def code(source, **metadata):
    return {"cell_type": "code", "metadata": metadata, "source": source, "outputs": []}


def raw(data):
    return json.dumps(data).encode()


@pytest.mark.parametrize("data,says", [
    (b"\xff\xfe{}", "not UTF-8"),
    (b'{"cells": [', "not valid JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    (b"[]", "no list of cells"),
    (b'{"cells": {}}', "no list of cells"),
    (b'{"worksheets": []}', "no list of cells"),
    (b'{"cells": []}', "has no cells"),
])
def test_unreadable_notebooks_say_why(data, says):
    with pytest.raises(NotebookError, match=says):
        parse_notebook(data)


def test_size_limit(tmp_path):
    path = tmp_path / "big.ipynb"
    path.write_bytes(raw(nb(code("x = 1"))) + b" " * 3000)
    with pytest.raises(NotebookError, match=r"the grader reads at most"):
        read_notebook(path, max_bytes=2000)
    assert read_notebook(path, max_bytes=10_000).cells[0]["source"] == "x = 1"


def test_code_to_run_keeps_answers_and_setup_in_order():
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "# title"},
        code(["import numpy as np\n", "x = 1\n"]),
        code("def f():\n    return 1\n",
             nbgrader={"grade": False, "solution": True, "grade_id": "f"}),
        code("check_f(f)\n", nbgrader={"grade": True, "solution": False, "points": 2}),
        code("train()\n", tags=["demo"]),
        code("written = 'answer'\n", nbgrader={"grade": True, "solution": True}),
        code("   \n"),
        {"cell_type": "raw", "metadata": {}, "source": "raw text"},
    ]
    run = code_to_run(parse_notebook(raw(nb(*cells))))
    assert [c.index for c in run] == [1, 2, 5]
    assert run[0].source == "import numpy as np\nx = 1\n"


def test_line_magics_and_shell_lines_become_pass():
    source = "%matplotlib inline\nx = 1\nif x:\n    !pip install numpy\n    %time y = 2\n"
    stripped = strip_magics(source)
    assert stripped == "pass\nx = 1\nif x:\n    pass\n    pass\n"
    compile(stripped, "<cell>", "exec")
    assert len(stripped.splitlines()) == len(source.splitlines())     # line numbers kept


def test_cell_magics():
    assert strip_magics("%%time\nx = 1\n") == "pass\nx = 1\n"
    assert strip_magics("%%capture out\nprint(1)\n") == "pass\nprint(1)\n"
    assert strip_magics("%%bash\nrm -rf /\n") is None
    assert strip_magics("%%html\n<b>hi</b>\n") is None
    notebook = parse_notebook(raw(nb(code("%%bash\nls\n"), code("%%time\nz = 3\n"))))
    assert [c.source for c in code_to_run(notebook)] == ["pass\nz = 3\n"]


def test_assignment_from_metadata_wins():
    notebook = parse_notebook(raw(nb(code("x"), metadata={"dlkit": {"assignment": "regularization"}})))
    assert assignment_of("subs/initialization/initialization.ipynb", notebook, KNOWN) == "regularization"


def test_assignment_from_file_name_then_folder():
    notebook = parse_notebook(raw(nb(code("x"))))
    assert assignment_of("alice/regularization.ipynb", notebook, KNOWN) == "regularization"
    assert assignment_of("initialization/alice/work.ipynb", notebook, KNOWN) == "initialization"
    assert assignment_of("initialization/regularization.ipynb", None, KNOWN) == "regularization"


def test_unknown_assignment_says_which_are_known():
    notebook = parse_notebook(raw(nb(code("x"), metadata={"dlkit": {"assignment": "bogus"}})))
    with pytest.raises(NotebookError, match=r"'bogus'.*initialization, regularization"):
        assignment_of("initialization.ipynb", notebook, KNOWN)
    with pytest.raises(NotebookError, match="cannot tell which assignment"):
        assignment_of("alice/work.ipynb", parse_notebook(raw(nb(code("x")))), KNOWN)
