"""What one submission's feedback says, whatever it is rendered as.

``content(record)`` turns a grading record (see ``report.py``) into a
``Feedback``: the title (student id and assignment, never a path), the total,
and per graded function its points, one line per test in words, the failure
message (the inputs it happened on are in it), the diagnosed bug if one, and
cell errors.  ``report.feedback_text`` and ``feedback_html.render`` both
render it, so the two say the same things.  Text here is not escaped: each
renderer escapes for its format.
"""
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from .bounded import MAX_NAME_CHARS, bounded
from .diagnose import sentence

STATUS_WORDS = {
    "passed": "passed",
    "failed": "failed",
    "error": "your code raised an error",
    "timeout": "took too long",
}

# Absolute paths (the instructor's machine, the sandbox's) in messages become
# their last component: a student needs the file name, not our layout.
_ABSOLUTE_PATH = re.compile(r"(?<![\w.~:/])(?:/[\w.@+-]+){2,}/?")


@dataclass
class Line:
    what: str          # what the test checks, in words
    status: str        # passed / failed / error / timeout
    score: float
    max_score: float
    message: str       # empty when passed

    @property
    def passed(self):
        return self.status == "passed"

    @property
    def status_words(self):
        return STATUS_WORDS.get(self.status, self.status)


@dataclass
class Function:
    name: str
    score: float
    max_score: float
    lines: list = field(default_factory=list)
    bug: str = ""          # the diagnosed mistake's name, if one

    @property
    def passed(self):
        return self.score == self.max_score

    @property
    def diagnosis(self):
        """What the student reads about the diagnosed mistake ("" if none)."""
        return sentence(self.bug) if self.bug else ""


@dataclass
class Feedback:
    student: str
    assignment: str
    score: float
    max_score: float
    error: str = ""                                     # why it could not be graded
    functions: list = field(default_factory=list)
    cell_errors: list = field(default_factory=list)     # [(cell index, message)]

    @property
    def graded_functions(self):
        """The functions whose tests ran: none when the notebook could not be
        graded (every test would only repeat why)."""
        return [] if self.error else self.functions

    @property
    def title(self):
        return f"{self.assignment}: feedback for {self.student}"


def without_paths(text):
    """``text`` with absolute paths cut to their last component."""
    return _ABSOLUTE_PATH.sub(lambda m: PurePath(m.group(0)).name or "/", str(text))


def clean(text):
    """Student-controlled or machine text as shown: bounded, no absolute paths."""
    return without_paths(bounded(text)).strip()


def student_of(record):
    """The student's id: the record's ``student`` field, else the folder of an
    nbgrader-style path (<student>/<assignment>/<file>.ipynb), else the file's stem."""
    if record.get("student"):
        return bounded(str(record["student"]), MAX_NAME_CHARS)
    path = PurePath(str(record.get("submission") or "submission"))
    assignment = record.get("assignment")
    if assignment and path.parent.name == assignment and len(path.parts) >= 3:
        return bounded(path.parent.parent.name, MAX_NAME_CHARS)
    return bounded(path.stem or "submission", MAX_NAME_CHARS)


def test_words(test):
    """'test_compute_cost_with_regularization_l2_term' -> 'l2 term'."""
    what = str(test["name"]).removeprefix(f"test_{test['function']}_").removeprefix("test_")
    return what.replace("_", " ")


def content(record):
    """The Feedback of a record (missing optional fields are fine)."""
    fb = Feedback(student_of(record), str(record.get("assignment") or "unknown assignment"),
                  float(record.get("score") or 0.0), float(record.get("max_score") or 0.0),
                  error=clean(record["error"]) if record.get("error") else "")
    functions = {}
    for t in record.get("tests") or []:
        fn = functions.get(t["function"])
        if fn is None:
            fn = functions[t["function"]] = Function(t["function"], 0.0, 0.0)
            fb.functions.append(fn)
        fn.score += t["score"]
        fn.max_score += t["max_score"]
        message = "" if t["status"] == "passed" else clean(t.get("message") or "")
        if fb.error and message.removeprefix("not graded: ") == fb.error:
            message = ""                  # said once, at the top
        fn.lines.append(Line(test_words(t), t["status"], t["score"], t["max_score"], message))
        if t.get("diagnosis") and not fn.bug:
            fn.bug = clean(t["diagnosis"])
    fb.cell_errors = [(e.get("cell"), clean(e.get("message", "")))
                      for e in record.get("cell_errors") or []]
    return fb
