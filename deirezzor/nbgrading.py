"""Three nbgrader preprocessors that instructor/nbgrader_config.py switches on.

* :class:`DropSpecCells` (``nbgrader generate_assignment``): removes the cells tagged
  ``spec`` (an exercise's answer shape, mistakes and accepted answers) from the release.
  The student edition (tools/editions.py) drops them too.
* :class:`StderrIsNotAGrade` (``nbgrader autograde``, after Execute): nbgrader gives a test
  cell 0 if it wrote anything to stderr, so any library warning, or a student's
  ``sys.stderr = sys.stdout``, decided a grade.  The checks are graded by the hidden asserts
  in each check cell; this moves stderr text of graded cells to stdout, so only an error
  (a failed assert) takes the points away.
* :class:`FeedbackWithoutHiddenTests` (``nbgrader generate_feedback``): a feedback page
  shows the autograded notebook, whose check cells hold their hidden tests again (autograde
  puts back the source cell, markers and all) and whose failed checks hold IPython's
  traceback -- which quotes the hidden test's lines, the accepted answers' hashes and the
  salt among them.  This cuts the hidden-test region from every cell (nbgrader's own
  ClearHiddenTests) and shortens the error of each graded cell to its last line
  (``AssertionError: Exercise 3.1: the answer is not one of the accepted answers``).
  The scores are the gradebook's, so the page still shows each cell's score.  It also
  puts nbconvert's ANSI colour classes on the page, so a ✗ line is bold red there too.
"""
from __future__ import annotations

from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from nbgrader.preprocessors import ClearHiddenTests
from traitlets import Bool

__all__ = ["DropSpecCells", "StderrIsNotAGrade", "FeedbackWithoutHiddenTests", "SPEC_TAG"]

SPEC_TAG = "spec"


# nbconvert's Preprocessor is switched off unless ``enabled``: listed in a converter's
# preprocessors, a plain subclass would be called and do nothing, silently.
class DropSpecCells(Preprocessor):
    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        nb.cells = [c for c in nb.cells if SPEC_TAG not in c.get("metadata", {}).get("tags", [])]
        return nb, resources


class StderrIsNotAGrade(Preprocessor):
    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    out["name"] = "stdout"
        return cell, resources


def _graded_test(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _ansi_css() -> str:
    """The ANSI colour classes of nbconvert's classic template (nbgrader's feedback page
    builds its own header, which has none: a ✗ line's bold red would show as plain text)."""
    import re
    from nbconvert.exporters.templateexporter import TemplateExporter
    for folder in TemplateExporter().template_paths:
        css = Path(folder) / "classic" / "static" / "style.css"
        if css.is_file():
            rules = re.findall(r"^\.ansi-[\w-]+\s*\{[^}]*\}", css.read_text(encoding="utf-8"), re.M)
            if rules:
                return "\n".join(rules)
    # nbconvert's own values for the two classes check() uses (deirezzor/checks.py)
    return ".ansi-red-intense-fg { color: #B22B31; }\n.ansi-bold { font-weight: bold; }"


class FeedbackWithoutHiddenTests(ClearHiddenTests):
    """nbgrader's ClearHiddenTests, an error of a graded cell without its traceback, and the
    ANSI colours on the page.  Listed after CSSHTMLHeaderPreprocessor, which resets the CSS."""

    def preprocess(self, nb, resources):
        nb, resources = super().preprocess(nb, resources)
        resources.setdefault("inlining", {}).setdefault("css", []).append(_ansi_css())
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        cell, resources = super().preprocess_cell(cell, resources, index)
        if _graded_test(cell):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    # IPython's colours for the name, as in the traceback it replaces
                    out["traceback"] = [f"\x1b[0;31m{out.get('ename', 'Error')}\x1b[0m: {out.get('evalue', '')}"]
        return cell, resources
