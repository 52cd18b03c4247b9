"""A one-function course for testing the nbgrader machinery (assignment id
``initialization``, graded with the kit's real initialization graders)."""
import textwrap
from pathlib import Path

import nbformat

from autograder.grading import max_points

ASSIGNMENT = "initialization"
FUNCTION = "initialize_parameters_he"

CHECKS = '''
def check_initialize_parameters_he(fn):
    """Visible check: a dict with W1 of shape (n1, n0)."""
    params = fn([3, 2, 1])
    assert isinstance(params, dict), f"returned {type(params).__name__}, expected a dict"
    assert params["W1"].shape == (2, 3), f"W1 has shape {params['W1'].shape}, expected (2, 3)"
    print("initialize_parameters_he: all public checks passed")
'''

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

TEST = f'''\
# Public checks for {FUNCTION}; hidden graders run when the notebook is graded.
check_{FUNCTION}({FUNCTION})
### BEGIN HIDDEN TESTS
from autograder.nbgrader_hidden import grade_function
grade_function("{ASSIGNMENT}", "{FUNCTION}", globals())
### END HIDDEN TESTS'''


def nbgrader_meta(grade_id, **kw):
    return {"nbgrader": {"grade_id": grade_id, "schema_version": 3, "locked": False,
                         "solution": False, "grade": False, **kw}}


def tiny_notebook(answer=ANSWER, test=TEST):
    nb = nbformat.v4.new_notebook()
    nb.metadata.update({"kernelspec": {"name": "python3", "display_name": "Python 3",
                                       "language": "python"},
                        "dlkit": {"assignment": ASSIGNMENT}})
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A one-function assignment"),
        nbformat.v4.new_code_cell("# Imports\nimport numpy as np\nfrom tiny_checks import check_initialize_parameters_he",
                                  metadata=nbgrader_meta("imports", locked=True)),
        nbformat.v4.new_code_cell(answer, metadata=nbgrader_meta(FUNCTION, solution=True)),
        nbformat.v4.new_code_cell(test, metadata=nbgrader_meta(
            f"test_{FUNCTION}", grade=True, locked=True, points=max_points(ASSIGNMENT, FUNCTION))),
        nbformat.v4.new_code_cell('# What the kernel was given\nimport os\n'
                                  'print("OPENBLAS_NUM_THREADS =", os.environ.get("OPENBLAS_NUM_THREADS"))'),
    ]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    return nb


def make_tiny_source(root):
    """root/source/initialization/{initialization.ipynb, tiny_checks.py}."""
    folder = Path(root) / "source" / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tiny_checks.py").write_text(textwrap.dedent(CHECKS))
    nbformat.write(tiny_notebook(), str(folder / f"{ASSIGNMENT}.ipynb"))
    return folder
