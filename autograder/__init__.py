"""Auto-graded exercises for "Improving Deep Neural Networks".

Layout (a table of contents):
- numerics.py   the one relative-error definition and gradient-check recipe
- plain.py      plain data: the only values that cross from student code
- checks.py     assertion helpers with short, precise failure messages
- student.py    the student's functions as plain callables (backends)
- grading.py    points on tests, the runner, and where scores add up
- reference/    our trusted implementations, one module per assignment
- graders/      hidden graders, one pytest module per assignment,
                tests named test_<graded function>_<what>
- commands/     one module per CLI verb; cli.py parses arguments only
"""
