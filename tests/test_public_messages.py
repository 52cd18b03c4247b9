"""The visible checks' failure messages as `nbgrader validate` shows them.

nbgrader validate prints a failing test cell's traceback with every line
indented and cut at Validator.width - 3 columns ("..." appended).  The last
lines of that traceback are the check's message after "CheckFailed: ": run
through nbgrader's own rule (Validator._indent), no line of it may be cut.
The messages come from every wrong variant of every assignment, so they are
the ones a student with a common bug meets.
"""
import contextlib
import importlib
import importlib.util
import io
import sys
import warnings
from pathlib import Path

import pytest
from nbgrader.validator import Validator

from autograder.variants import define

ROOT = Path(__file__).resolve().parents[1]
IDS = ("initialization", "regularization", "gradient_checking", "optimization", "frameworks")


@contextlib.contextmanager
def _public_tests(assignment):
    """source/<assignment>/public_tests.py, imported with its folder on
    sys.path as a notebook has it (for the length of the block)."""
    folder = ROOT / "source" / assignment
    sys.path.insert(0, str(folder))
    try:
        spec = importlib.util.spec_from_file_location(f"_messages_{assignment}",
                                                      folder / "public_tests.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(folder))


def _failures(assignment):
    """[(variant, message as raised, message of the unwrapped check)] of every
    wrong variant whose visible check fails (CheckFailed, not the variant's own
    error)."""
    reference = importlib.import_module(f"autograder.reference.{assignment}")
    variants = importlib.import_module(f"autograder.variants.{assignment}").VARIANTS
    found = []
    with _public_tests(assignment) as public, warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # the variants' NaNs
        for variant in (v for v in variants if v.expect is not None):
            check = getattr(public, f"check_{variant.function}", None)
            if check is None:
                continue
            messages = []
            for run in (check, check.__wrapped__):
                fn = define(variant, dict(vars(reference)))[variant.function]
                try:
                    with contextlib.redirect_stdout(io.StringIO()):
                        run(fn)
                except Exception as exc:  # noqa: BLE001 - a failed check, or the variant's own error
                    if type(exc).__name__ == "CheckFailed":
                        messages.append(str(exc))
            if len(messages) == 2:
                found.append((variant, *messages))
    return found


@pytest.mark.parametrize("assignment", IDS)
def test_no_line_of_a_failing_check_is_cut_by_nbgrader_validate(assignment):
    validator = Validator()
    failures = _failures(assignment)
    assert len(failures) >= 10, f"only {len(failures)} wrong variants fail a visible check"
    long = 0
    for variant, message, plain in failures:
        shown = f"CheckFailed: {message}"          # the traceback's last line(s)
        whole = validator.indent + shown.replace("\n", "\n" + validator.indent)
        assert validator._indent(shown) == whole, (variant.function, variant.name, shown)
        # wrapped, never shortened: the same words as the unwrapped check's
        assert message.split() == plain.split(), (variant.function, variant.name)
        long += len(f"CheckFailed: {plain}") > validator.width - 3 - len(validator.indent)
    # Most messages need the wrapping: the test sees what it guards.
    assert long >= len(failures) // 4, (long, len(failures))
