"""A one-function course for testing the nbgrader machinery (assignment id
``initialization``, graded with the kit's real initialization graders and
visible checks).

Its folder holds the assignment's own helper files (public_tests.py...): the
sandbox runs a submission with the kit's files of the assignment, so a course
of the same id must ship the same ones.
"""
from pathlib import Path

import nbformat

from autograder.grading import max_points
from autograder.nbgrader_ext.cells import grade_cell_source
from autograder.nbgrader_ext.course import copy_folder, repo_root

ASSIGNMENT = "initialization"
FUNCTION = "initialize_parameters_he"

ANSWER = '''\
def initialize_parameters_he(layers_dims):
    """He initialisation.

    layers_dims: [n0, ..., nL]. Returns {"W1": (n1, n0), "b1": (n1, 1), ...}.
    """
    ### BEGIN SOLUTION
    params = {}
    for l in range(1, len(layers_dims)):
        scale = np.sqrt(2 / layers_dims[l - 1])
        params["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * scale
        params["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return params
    ### END SOLUTION'''

TEST = grade_cell_source(FUNCTION)


def nbgrader_meta(grade_id, **kw):
    return {"nbgrader": {"grade_id": grade_id, "schema_version": 3, "locked": False,
                         "solution": False, "grade": False, **kw}}


def tiny_notebook(answer=ANSWER, test=TEST):
    nb = nbformat.v4.new_notebook()
    nb.metadata.update({"kernelspec": {"name": "python3", "display_name": "Python 3",
                                       "language": "python"},
                        "dlkit": {"assignment": ASSIGNMENT}})
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A one-function assignment\n\nHe: $W^{[l]} \\sim "
                                      "\\mathcal{N}(0, 2/n^{[l-1]})$, and `$HOME` is code."),
        nbformat.v4.new_code_cell("# Imports\nimport numpy as np\nfrom public_tests import check_initialize_parameters_he",
                                  metadata=nbgrader_meta("imports", locked=True)),
        nbformat.v4.new_code_cell(answer, metadata=nbgrader_meta(FUNCTION, solution=True)),
        nbformat.v4.new_code_cell(test, metadata=nbgrader_meta(
            f"test_{FUNCTION}", grade=True, locked=True, points=max_points(ASSIGNMENT, FUNCTION))),
    ]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    return nb


def make_tiny_source(root):
    """root/source/initialization/: the notebook and the assignment's helper files."""
    folder = Path(root) / "source" / ASSIGNMENT
    copy_folder(repo_root() / "source" / ASSIGNMENT, folder)
    (folder / f"{ASSIGNMENT}.ipynb").unlink()
    nbformat.write(tiny_notebook(), str(folder / f"{ASSIGNMENT}.ipynb"))
    return folder
