"""nbgrader's autograde, graded out of process: ``GradeInSandbox`` and ``SaveSandboxGrades``.

In the course's autograde pipeline (nbgrader_config.py) these replace
nbgrader's ``Execute`` and ``SaveAutoGrades``:

- ``GradeInSandbox`` grades the sanitized submission in the kit's sandbox, as
  the CLI does (``sandboxed.grade_notebook``), with the inputs salt of the
  submitted file (``secret.inputs_salt``).  No kernel runs the student's code
  in the grader's process or user: a test cell's output becomes one line per
  hidden test and what the visible checks said (hint included); the scores go
  to ``resources["dlkit"]["scores"]`` ({grade_id: points}).
- ``SaveSandboxGrades`` is nbgrader's SaveAutoGrades, but a code test cell's
  score is the one ``GradeInSandbox`` put in resources (never read from the
  notebook, whose outputs a student could shape).  A test cell the kit has no
  graders for gets no automatic score (nbgrader marks it for manual grading):
  refused, never guessed.
"""
import atexit
from pathlib import Path

import nbformat
from nbgrader import utils
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor, SaveAutoGrades
from traitlets import Unicode

from .. import secret
from ..assignments import ids as known_assignments
from ..sandbox import Limits, Workspace
from .sandboxed import cell_report, function_of, grade_notebook, not_graded_report, grade_cells

_workspaces = {}    # Limits -> Workspace, shared by the submissions of one nbgrader run


def workspace_for(limits):
    """One sandbox workspace per nbgrader process (its warm zygote saves every
    later submission the interpreter's start-up), removed when the process exits."""
    if limits not in _workspaces:
        _workspaces[limits] = Workspace(limits)
    return _workspaces[limits]


@atexit.register
def _close_workspaces():
    for workspace in _workspaces.values():
        workspace.close()
    _workspaces.clear()


class GradeInSandbox(NbGraderPreprocessor):
    """Grade the notebook in the sandbox; set each test cell's output (see module docstring)."""

    isolation = Unicode("auto", help="the sandbox's isolation: auto, namespace or process "
                        "(as `python -m autograder grade --isolation`)").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        assignment = self.kit_assignment(info)
        scores = resources.setdefault("dlkit", {}).setdefault("scores", {})
        if assignment is None:
            for index, _, _ in grade_cells(nb):
                nb.cells[index].outputs = [_stdout(not_graded_report(
                    f"the kit has no graders for {info['notebook']!r}"))]
            return nb, resources
        salt = self.inputs_salt(info, nb)
        limits = Limits(isolation=self.isolation)
        graded = grade_notebook(nb, assignment, salt, workspace_for(limits), limits,
                                path=f"{info['notebook']}.ipynb")
        earned = graded.scores()
        for index, grade_id, _ in grade_cells(nb):
            cell, function = nb.cells[index], function_of(grade_id)
            if function not in earned:
                cell.outputs = [_stdout(not_graded_report(f"the kit has no hidden tests for {grade_id}"))]
                continue
            scores[grade_id] = self.cell_points(cell, *earned[function])
            results = [r for r in graded.results if r.function == function]
            cell.outputs = [_stdout(cell_report(function, results, graded.visible.get(grade_id)))]
        for index, message in graded.cell_errors.items():
            if index < len(nb.cells) and nb.cells[index].cell_type == "code":
                nb.cells[index].outputs.append(_stdout(f"When graded, {message}.\n"))
        # What reproduces this grade (with the kit's version): the salt, not the secret.
        nb.metadata["dlkit_graded"] = {"assignment": assignment, "inputs_salt": salt,
                                       "protections": graded.protections}
        self.log.info("%s/%s graded in the sandbox: %s", info["student"], info["notebook"],
                      {f: f"{s:g}/{m:g}" for f, (s, m) in earned.items()})
        return nb, resources

    def inputs_salt(self, info, nb):
        """The CLI's salt of the submitted file: course secret + the file's bytes."""
        coursedir = CourseDirectory(parent=self)
        submitted = Path(coursedir.format_path(coursedir.submitted_directory, info["student"],
                                               info["assignment"])) / f"{info['notebook']}.ipynb"
        try:
            raw = submitted.read_bytes()
        except OSError as exc:
            self.log.warning("%s unreadable (%s): salting with the sanitized notebook", submitted, exc)
            raw = nbformat.writes(nb).encode()
        return secret.inputs_salt(secret.course_secret(coursedir.root), raw)

    def cell_points(self, cell, score, most):
        """The graders' score in the cell's points (they are equal by convention)."""
        points = float(cell.metadata["nbgrader"].get("points", most))
        if points != most:
            self.log.warning("%s is worth %g points but its graders %g: scaled",
                             cell.metadata["nbgrader"]["grade_id"], points, most)
        return score * points / most if most else 0.0

    @staticmethod
    def kit_assignment(info):
        """The kit's assignment id for an nbgrader notebook: the notebook's name,
        else the nbgrader assignment's (never the notebook's own metadata,
        which the student wrote); None if neither has graders."""
        known = known_assignments()
        for name in (info["notebook"], info["assignment"]):
            if name in known:
                return name
        return None


class SaveSandboxGrades(SaveAutoGrades):
    """SaveAutoGrades with test-cell scores from ``resources["dlkit"]["scores"]``."""

    def preprocess(self, nb, resources):
        self._scores = resources.get("dlkit", {}).get("scores", {})
        return super().preprocess(nb, resources)

    def _add_score(self, cell, resources):
        if cell.cell_type != "code" or utils.is_solution(cell):
            return super()._add_score(cell, resources)
        grade = self.gradebook.find_grade(cell.metadata["nbgrader"]["grade_id"], self.notebook_id,
                                          self.assignment_id, self.student_id)
        grade.auto_score = self._scores.get(cell.metadata["nbgrader"]["grade_id"])
        grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
        self.gradebook.db.commit()


def _stdout(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text)
