"""nbgrader configuration: the directory holding this file is an nbgrader course.

Run nbgrader from here (with the venv's bin/ on PATH, nbgrader runs `alembic`):

    nbgrader generate_assignment initialization --force
    nbgrader autograde initialization        # submitted/<student>/initialization/*.ipynb
    nbgrader generate_feedback initialization

The gradebook and the exchange live inside this directory (both gitignored),
never in the user's home.  The same file works in a copy of the course (the
build and the tests copy it into temporary courses): every path is taken
relative to where the file is.
"""
import os
import sys

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, GetGrades,
                                    IgnorePattern, LimitOutput)

# nbgrader logs an error in a config file and goes on with its defaults, which
# would execute students' notebooks in a kernel of this machine, unsandboxed,
# and grade with test cells that hold no hidden tests.  Stop instead.
try:
    from autograder.nbgrader_ext import GradeInSandbox, RenderMathOffline, SaveSandboxGrades
    from autograder.nbgrader_ext.feedback import (TEMPLATE_DIRS, TEMPLATE_FILE, TEMPLATE_NAME,
                                                  FeedbackStyle)
except Exception as exc:  # noqa: BLE001 - any failure means the kit's pipeline is missing
    sys.stderr.write(f"nbgrader_config.py: the kit's nbgrader extension cannot be loaded "
                     f"({type(exc).__name__}: {exc}).  Refusing to run nbgrader with its default "
                     "pipeline (it would run students' notebooks unsandboxed and without the "
                     "hidden graders).  Install the kit in this environment: pip install -e .\n")
    raise SystemExit(2) from None

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file

HERE = os.path.dirname(os.path.abspath(__file__))

# Kernels inherit this process's environment (jupyter_client copies os.environ
# when it launches one).  Multi-threaded BLAS on the 2 shared cores made cells
# time out at random; one thread is also faster for the kit's small matrices.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "dlkit-course2"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")
c.Exchange.root = os.path.join(HERE, ".nbgrader_exchange")

# The release stub fails loudly instead of returning None.
c.ClearSolutions.code_stub = {
    "python": '# YOUR CODE HERE\nraise NotImplementedError("Replace this line with your code")',
}

# Autograde grades out of process, as `python -m autograder grade` does: the
# submission runs in the kit's sandbox, never in a kernel of this process, and
# each test cell's score is what the hidden graders gave it there (partial
# credit), whatever its visible checks said.  Stock pipeline otherwise
# (nbgrader.converters.autograde.Autograde), with Execute and SaveAutoGrades
# replaced (autograder/nbgrader_ext/autograde.py).
c.Autograde.autograde_preprocessors = [
    GradeInSandbox, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
    SaveSandboxGrades, AssignLatePenalties, CheckCellMetadata,
]
# c.GradeInSandbox.isolation = "auto"   # or "namespace" to require it, as the CLI's --isolation

# Feedback: the kit's page (function names in the summary, long lines wrapped,
# maths as MathML so it shows without internet).
c.GenerateFeedback.preprocessors = [GetGrades, RenderMathOffline, CSSHTMLHeaderPreprocessor, FeedbackStyle]
c.HTMLExporter.template_name = TEMPLATE_NAME
c.HTMLExporter.template_file = TEMPLATE_FILE
c.HTMLExporter.extra_template_basedirs = TEMPLATE_DIRS
