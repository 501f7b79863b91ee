"""Lab 3's checks (helpers.checks.gaussian_mse and the hidden parts of the lab's test cells), run directly on the
answers in the banks, without nbgrader: the solution and every right answer pass every check; every wrong answer
fails at least one; every hint of the checks module is given to some wrong answer, and none to a right one.

Each test cell of the solution notebook (its visible checks and its hidden ones) is executed as the grader does
(``helpers.feedback.grading()``), with the answer's function in its namespace."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest
from course import grade_cells, notebook_path, read_notebook, solution_cells, without_markers
from right_answers.gaussian_mse import RIGHT
from wrong_answers.gaussian_mse import WRONG

from helpers import feedback
from helpers.checks import gaussian_mse as check

LAB = "03_gaussian_mse"
SOURCE = read_notebook(notebook_path(LAB))
TEST_CELLS = {grade_id: cell.source for grade_id, cell in grade_cells(SOURCE).items()}
SOLUTION = {grade_id: without_markers(cell.source) for grade_id, cell in solution_cells(SOURCE).items()}
POINTS = {grade_id: cell.metadata.nbgrader["points"] for grade_id, cell in grade_cells(SOURCE).items()}


def grade(exercise: str, answer: str) -> tuple[float, str, feedback.Checklist]:
    """Points earned by ``answer`` (the source of an answer cell) in the test cell of ``exercise``, the report
    printed, and the checklist."""
    namespace: dict = {"np": np}
    exec(compile(answer, f"<answer {exercise}>", "exec"), namespace)  # noqa: S102
    output = io.StringIO()
    with feedback.grading(), contextlib.redirect_stdout(output):
        exec(compile(TEST_CELLS[f"test_{exercise}"], f"<test_{exercise}>", "exec"), namespace)  # noqa: S102
    checklist = namespace["checks"]
    return checklist.earned, output.getvalue(), checklist


def cases(bank: dict) -> list:
    return [pytest.param(exercise, label, source, id=f"{exercise}: {label}")
            for exercise, answers in bank.items() for label, source in answers.items()]


def test_banks_cover_every_exercise():
    assert set(RIGHT) == set(SOLUTION) == set(WRONG)
    assert all(len(answers) >= 4 for answers in RIGHT.values())


@pytest.mark.parametrize("exercise", sorted(SOLUTION))
def test_solution_passes_every_check(exercise):
    earned, report, checklist = grade(exercise, SOLUTION[exercise])
    assert earned == POINTS[f"test_{exercise}"] == checklist.points, report
    assert all(c.hidden_parts for c in checklist._checks.values()), "every check has hidden values"


@pytest.mark.parametrize("exercise", sorted(SOLUTION))
def test_unsolved_earns_nothing(exercise):
    name = exercise
    earned, report, _ = grade(exercise, f"def {name}(*args, **kwargs):\n    raise NotImplementedError()\n")
    assert earned == 0, report


@pytest.mark.parametrize(("exercise", "label", "source"), cases(RIGHT))
def test_right_answer_earns_full_marks(exercise, label, source):
    earned, report, checklist = grade(exercise, source)
    assert earned == checklist.points, report
    assert "Hint" not in report, report


QUIET = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # wrong answers divide by zero, take log(0), ...


@QUIET
@pytest.mark.parametrize(("exercise", "label", "source"), cases(WRONG))
def test_wrong_answer_loses_points(exercise, label, source):
    earned, report, checklist = grade(exercise, source)
    assert earned < checklist.points, report


@QUIET
def test_every_hint_is_given_to_some_wrong_answer():
    reports = "\n".join(grade(exercise, source)[1] for exercise, answers in WRONG.items()
                        for source in answers.values())
    silent = {key: hint for key, hint in check.HINTS.items() if hint not in reports}
    assert not silent, f"hints no wrong answer receives: {silent}"


def test_every_hint_is_used_by_a_check():
    module = open(check.__file__, encoding="utf-8").read()
    cells = "\n".join(TEST_CELLS.values())
    unused = [key for key in check.HINTS if f'HINTS["{key}"]' not in module + cells]
    assert not unused, unused


@QUIET
@pytest.mark.parametrize(("exercise", "label", "source"), cases(WRONG))
def test_wrong_answer_fails_a_visible_check(exercise, label, source):
    """No rule is hidden-only: the student's own run of the check cell already fails every wrong answer."""
    visible = TEST_CELLS[f"test_{exercise}"]
    start, end = visible.index("### BEGIN HIDDEN TESTS"), visible.index("### END HIDDEN TESTS")
    namespace: dict = {"np": np}
    exec(compile(source, f"<answer {exercise}>", "exec"), namespace)  # noqa: S102
    with feedback.grading(), contextlib.redirect_stdout(io.StringIO()):
        exec(compile(visible[:start] + visible[end:], f"<visible test_{exercise}>", "exec"), namespace)  # noqa: S102
    checklist = namespace["checks"]
    assert checklist.earned < checklist.points, checklist.report()
