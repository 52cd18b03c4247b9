"""pytest fixture: ``student`` is the reference implementation of the
assignment whose grader module is being collected."""
import importlib

import pytest

from autograder.student import local_submission


@pytest.fixture
def student(request):
    assignment = request.module.__name__.rsplit(".", 1)[-1]
    reference = importlib.import_module(f"autograder.reference.{assignment}")
    return local_submission(vars(reference))
