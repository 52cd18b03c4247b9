"""nbgrader extensions of the kit, configured in the course's nbgrader_config.py.

- cells.py     where hidden tests and solutions sit in a cell's source
- execute.py   GradeHiddenTests: autograde runs a test cell's hidden graders
               even when the visible check before them fails
- feedback.py  ScrubHiddenTests: feedback shows scores and messages, not the
               hidden tests' source
"""
from .execute import GradeHiddenTests
from .feedback import ScrubHiddenTests

__all__ = ["GradeHiddenTests", "ScrubHiddenTests"]
