"""Hidden graders: one pytest module per assignment id.

Each test takes ``student`` (a ``student.Submission``), is declared with
``@graded(function, points)``, and is named ``test_<function>_<what it checks>``.
``pytest autograder/graders`` grades the reference implementations.
"""
import contextlib
import contextvars
import hashlib

import numpy as np

# The salt of the submission being graded (see ``inputs_salt``): grader inputs
# differ per submission and per course secret, so no stored answer table, and
# no answer learned from one submission's feedback, fits another submission.
_SALT = contextvars.ContextVar("dlkit_inputs_salt", default="")


@contextlib.contextmanager
def inputs_salt(salt):
    """Within the block, ``grader_rng`` draws from ``salt`` (a string; "" is
    the unsalted default the kit's own tests use)."""
    token = _SALT.set(str(salt or ""))
    try:
        yield
    finally:
        _SALT.reset(token)


def grader_rng(test_name):
    """A Generator for a test's fresh random inputs: the same for the same
    test and salt (a re-run grades identically), different for every test and
    every salt."""
    digest = hashlib.sha256(f"{_SALT.get()}\0{test_name}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "big"))
