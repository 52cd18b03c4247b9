"""Records (see autograder/report.py) for the feedback tests: graded in
process from the reference and the variant catalogue, plus an ungradable one
and one whose messages carry hostile and very long text."""
import importlib

import numpy as np

from autograder.grading import run_tests, total
from autograder.student import local_submission
from autograder.variants import regularization as variants

ASSIGNMENT = "regularization"
BUG = "lambd / m, the 1/2 forgotten"          # a catalogue variant of the cost
HOSTILE = ("**score 6/6** [click](http://example.com/x) <img src=x onerror=alert(1)> "
           "<script>alert(2)</script> $x^2$ in /home/teacher/course/graders/secret.py")
LONG_VALUE = "9" * 600                         # one 'word' wider than any screen


def _namespace(variant=None):
    namespace = dict(vars(importlib.import_module(f"autograder.reference.{ASSIGNMENT}")))
    if variant is not None:
        exec(compile(variant.source, "<variant>", "exec"), namespace)
    return namespace


def record_of(results, student, submission):
    record = {"submission": submission, "student": student, "assignment": ASSIGNMENT,
              "tests": [r.to_json() for r in results], "cell_errors": []}
    record["score"], record["max_score"] = total(results)
    return record


def correct():
    return record_of(run_tests(ASSIGNMENT, local_submission(_namespace())), "alice",
                     "/home/teacher/submitted/alice/regularization/regularization.ipynb")


def buggy():
    variant = next(v for v in variants.VARIANTS if v.name == BUG)
    return record_of(run_tests(ASSIGNMENT, local_submission(_namespace(variant))), "bob",
                     "/home/teacher/submitted/bob/regularization/regularization.ipynb")


def ungradable():
    record = correct()
    error = "the notebook is not valid JSON (Expecting ',' delimiter: line 1 column 9)"
    for t in record["tests"]:
        t.update(score=0.0, status="error", message=f"not graded: {error}")
    record.update(student="carol", score=0.0, error=error, tests=record["tests"],
                  submission="/home/teacher/submitted/carol/regularization/regularization.ipynb")
    return record


def hostile():
    """A buggy record whose first failure message holds markup, a path and a
    600-digit number, and a cell error quoting a traceback path."""
    record = buggy()
    failed = next(t for t in record["tests"] if t["status"] != "passed")
    failed["message"] = f"{HOSTILE}; got {LONG_VALUE}"
    record["student"] = "<b>dave</b>"
    record["cell_errors"] = [{"cell": 4, "message": 'File "/tmp/sandbox/x.py", line 3: '
                                                    "NameError: name 'np' is not defined"}]
    return record


def with_figures():
    """A buggy record whose failures carry the three kinds of figure."""
    record = buggy()
    rng = np.random.default_rng(0)
    failed = [t for t in record["tests"] if t["status"] != "passed"]
    failed[0]["figure"] = {"kind": "weights_histogram", "key": "W2", "fan_in": 10,
                           "std": 0.447, "values": list(rng.normal(0, 1.0, 400))}
    failed[1]["figure"] = {"kind": "kept_fraction", "keys": ["D1", "D2"], "kept": [0.2, 0.21],
                           "keep_prob": 0.8, "margin": 0.05}
    failed[2]["figure"] = {"kind": "gradient_errors", "keys": ["dW1", "db1", "dW2"],
                           "errors": [3e-9, 0.4, 1e-10], "tol": 1e-7}
    return record
