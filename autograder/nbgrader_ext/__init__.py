"""nbgrader extensions of the kit, configured in the course's nbgrader_config.py.

- cells.py     where hidden tests and solutions sit in a cell's source
- execute.py   GradeHiddenTests: autograde runs a test cell's hidden graders
               even when the visible check before them fails
- feedback.py  ScrubHiddenTests: feedback shows scores and messages, not the
               hidden tests' source
"""
__all__ = ["GradeHiddenTests", "ScrubHiddenTests"]


def __getattr__(name):
    """Import the preprocessors on first use: nbgrader takes seconds to import,
    and the CLI imports this package (course.py) for every verb."""
    if name == "GradeHiddenTests":
        from .execute import GradeHiddenTests
        return GradeHiddenTests
    if name == "ScrubHiddenTests":
        from .feedback import ScrubHiddenTests
        return ScrubHiddenTests
    raise AttributeError(name)
