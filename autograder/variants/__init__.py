"""Realistic wrong answers (mutants) and correct answers written differently.

Each ``autograder/variants/<assignment>.py`` defines ``VARIANTS``: a list made with
``wrong(...)`` and ``right(...)``.  A variant's ``source`` defines the graded
function; it is run in a namespace holding the reference module's names (so it
can call the same helpers a student's notebook imports: ``relu``,
``sigmoid``, ``np``...), replacing the reference's version of that function.

They ship in the package because ``diagnose`` names a student's bug by
matching it with a wrong variant.  tests/test_mutants.py grades every variant
with the hidden graders:
- ``wrong``: scored below full marks for its function, and one failing
  message contains ``expect`` (case-insensitive): the message names the problem.
- ``right``: full marks for its function.
"""
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    name: str            # what the variant does, e.g. "He factor uses n[l] not n[l-1]"
    function: str        # the graded function it replaces
    source: str          # Python source defining that function
    expect: str | None   # substring of a failing message; None for a right answer


def wrong(function, name, expect, source):
    return Variant(name, function, textwrap.dedent(source), expect)


def right(function, name, source):
    return Variant(name, function, textwrap.dedent(source), None)
