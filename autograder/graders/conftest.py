"""pytest for the hidden graders: every assignment's grader module is collected
(``pytest autograder/graders``), and its ``student`` fixture is the reference
implementation.  The modules come from the registry (``assignments.ids()``),
so a new assignment needs no entry in pyproject.toml."""
from pathlib import Path

import pytest

from autograder import assignments
from autograder.student import local_submission

HERE = Path(__file__).resolve().parent


def pytest_collect_file(file_path, parent):
    """Collect graders/<id>.py of every assignment id (their names are not test_*.py)."""
    if Path(file_path).resolve().parent == HERE and file_path.stem in assignments.ids() \
            and not parent.session.isinitpath(file_path) and file_path.suffix == ".py":
        return pytest.Module.from_parent(parent, path=file_path)
    return None


@pytest.fixture
def student(request):
    assignment = request.module.__name__.rsplit(".", 1)[-1]
    return local_submission(vars(assignments.get(assignment).reference))
