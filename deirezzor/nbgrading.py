"""Two nbgrader preprocessors that instructor/nbgrader_config.py switches on.

* :class:`DropSpecCells` (``nbgrader generate_assignment``): removes the cells tagged
  ``spec`` (an exercise's answer shape, mistakes and accepted answers) from the release.
  The student edition (tools/editions.py) drops them too.
* :class:`StderrIsNotAGrade` (``nbgrader autograde``, after Execute): nbgrader gives a test
  cell 0 if it wrote anything to stderr, so any library warning, or a student's
  ``sys.stderr = sys.stdout``, decided a grade.  The checks are graded by the hidden asserts
  in each check cell; this moves stderr text of graded cells to stdout, so only an error
  (a failed assert) takes the points away.
"""
from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

__all__ = ["DropSpecCells", "StderrIsNotAGrade", "SPEC_TAG"]

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
