"""Feedback for students that never shows hidden tests: nbgrader's generate_feedback with a preprocessor that
first removes the hidden part of every graded cell and reduces tracebacks of graded cells to the error message
(a traceback quotes the lines of the cell that failed, hidden ones included)."""

from __future__ import annotations

import contextlib
import re

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor, Preprocessor
from nbgrader.apps.api import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import GetGrades

HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.DOTALL)
PLACEHOLDER = "# (hidden tests ran here when your lab was graded)\n"


class HideHiddenTests(Preprocessor):
    """Remove hidden tests from the source and the tracebacks of graded cells."""

    enabled = True  # nbconvert skips preprocessors that are not enabled

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = HIDDEN.sub(PLACEHOLDER, cell.source)
            if "### BEGIN HIDDEN TESTS" in cell.source:  # an unterminated block: hide everything after it
                cell.source = cell.source.split("### BEGIN HIDDEN TESTS")[0] + PLACEHOLDER
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename')}: {output.get('evalue')}"]
        return cell, resources


def generate(settings, labs: list[str]) -> None:
    """feedback/<student>/<lab>/<lab>.html for every autograded submission of ``labs``."""
    from grading.run import load_config

    config = load_config(settings)
    config.GenerateFeedback.preprocessors = [HideHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]
    with contextlib.chdir(settings.root):  # nbgrader resolves the course's folders from the working directory
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        for lab in labs:
            result = api.generate_feedback(lab, force=True)
            if not result["success"]:
                raise RuntimeError(f"generate_feedback {lab} failed:\n{result.get('log', '')}")
