"""nbgrader extensions of the kit, configured in the course's nbgrader_config.py.

- cells.py      where hidden tests and solutions sit in a cell's source
- sandboxed.py  a notebook graded out of process, and what each test cell shows
- autograde.py  GradeInSandbox, SaveSandboxGrades: autograde grades in the sandbox
- feedback.py   the feedback page: function names in the summary, wrapped
                lines, maths rendered without internet
"""
__all__ = ["GradeInSandbox", "SaveSandboxGrades", "RenderMathOffline"]


def __getattr__(name):
    """Import the preprocessors on first use: nbgrader takes seconds to import,
    and the CLI imports this package (course.py) for every verb."""
    if name in ("GradeInSandbox", "SaveSandboxGrades"):
        from . import autograde
        return getattr(autograde, name)
    if name == "RenderMathOffline":
        from .feedback import RenderMathOffline
        return RenderMathOffline
    raise AttributeError(name)
