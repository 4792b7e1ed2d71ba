# nbgrader configuration for the Deir ez-Zor 2016 notebooks (lessons.md, "Grading with nbgrader").
# Copy this file into your course folder (the folder that holds source/). It needs nbgrader and the
# deirezzor package in the grading environment: `make env` installs both.
c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.course_id = "deirezzor-2016"

# The student release. Every code exercise has a scaffold line above its solution region
# (`answer_2_1 = ...  # your answer: ...`), so the stub that replaces the region is only a
# comment: nbgrader's default stub (`raise NotImplementedError()`) would stop Run All at the
# first blank exercise. Discussion cells keep their "*Write your answer here.*" line above the
# region, so their stub is empty.
c.ClearSolutions.code_stub = {"python": "# (write your answer in the line above)"}
c.ClearSolutions.text_stub = ""


# Autograding. The setup cell (grade_id "setup") imports the course package and finds the
# data; if it fails, every later cell would fail too and the student would silently get
# zeros. Stop grading that notebook instead: nbgrader then reports an error for this
# submission and records no grade, and the message says what to install or set.
def _stop_if_setup_failed(cell=None, cell_index=None, execute_reply=None, **_):
    if cell is not None and cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "setup":
        content = (execute_reply or {}).get("content", {})
        raise RuntimeError(
            "the setup cell failed, so this notebook was not graded: "
            f"{content.get('ename', 'error')}: {content.get('evalue', '')} -- install the course "
            "package into the grading environment (make env, or pip install the repository) "
            "or set DEIREZZOR_DATA, then run autograde again")


c.Execute.on_cell_error = _stop_if_setup_failed
c.Execute.timeout = 120

# Feedback: nbconvert's HTML exporter cannot draw plotly's figure format, so without this the
# feedback would show no figure at all. The preprocessor adds each figure as HTML, with
# plotly.js from the plotly package on disk inlined once per page (about 4.6 MB a page).
c.HTMLExporter.preprocessors = ["deirezzor.export.PlotlyFigures"]

# ...and a feedback page asks the network for nothing: nbgrader's feedback template loads
# MathJax from a CDN, which these notebooks do not need (they have no LaTeX math). The
# course package's template folder, put first, loads MathJax only when a page asks for it;
# nbgrader's own folder (feedback, formgrade) follows, as nbgrader would add it itself.
try:
    from deirezzor.export import feedback_template_dirs
except ImportError:     # generate_feedback then stops at the preprocessor above, saying so
    pass
else:
    c.HTMLExporter.extra_template_basedirs = feedback_template_dirs()

# The release never holds an exercise's spec (its mistakes and accepted answers): cells tagged
# `spec` are dropped before anything else. Grading rests on the hidden asserts of each check
# cell (cut from the release, put back by autograde), not on output streams: stderr text of a
# graded cell is moved to stdout before nbgrader scores it (deirezzor/nbgrading.py).
from nbgrader.converters import Autograde, GenerateAssignment, GenerateFeedback  # noqa: E402
from nbgrader.preprocessors import Execute  # noqa: E402

from deirezzor.nbgrading import DropSpecCells, FeedbackWithoutHiddenTests, StderrIsNotAGrade  # noqa: E402

c.GenerateAssignment.preprocessors = [DropSpecCells, *GenerateAssignment.class_traits()["preprocessors"].default()]
_grade = list(Autograde.class_traits()["autograde_preprocessors"].default())
_grade.insert(_grade.index(Execute) + 1, StderrIsNotAGrade)
c.Autograde.autograde_preprocessors = _grade


# Feedback shows the autograded notebook, where autograde has put the hidden tests back and a
# failed one left a traceback quoting its lines (hashes and salt). The hidden-test region is
# cut and each graded cell's error shortened to one line; the scores stay; the page gets the
# ANSI colours (a ✗ line is bold red). The setting replaces nbgrader's list, so its own two
# preprocessors stay, first: the second of them resets the page's CSS.
c.GenerateFeedback.preprocessors = [*GenerateFeedback.class_traits()["preprocessors"].default(),
                                    FeedbackWithoutHiddenTests]
