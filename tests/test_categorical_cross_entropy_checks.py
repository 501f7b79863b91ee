"""Lab 4's checks (helpers/checks/categorical_cross_entropy.py and the hidden parts of the lab's test cells), run in
this process without nbgrader: each test cell of the solution notebook is executed as the grader runs it
(``helpers.feedback.grading``), with the solution's functions and one answer from the banks in place of its
exercise. The solution and every right answer pass every named check; every wrong answer fails at least one; every
hint the checks module defines is shown to at least one wrong answer (and, since right answers pass, never to a
right one). The nbgrader round trip (test_grading.py) grades the same banks for real."""

import ast
import contextlib
import io
import warnings

import numpy as np
import pytest
from course import grade_cells, notebook_path, read_notebook, solution_cells, without_markers
from right_answers.categorical_cross_entropy import LAB, RIGHT
from wrong_answers.categorical_cross_entropy import WRONG

from helpers.checks import categorical_cross_entropy as check
from helpers.feedback import CheckFailed, grading

NOTEBOOK = read_notebook(notebook_path(LAB))
SOLUTION = {grade_id: without_markers(cell.source) for grade_id, cell in solution_cells(NOTEBOOK).items()}
TESTS = {grade_id: cell.source for grade_id, cell in grade_cells(NOTEBOOK).items()}
POINTS = {grade_id: cell.metadata.nbgrader["points"] for grade_id, cell in grade_cells(NOTEBOOK).items()}
HINTS = {name: value for name, value in vars(check).items() if name.startswith("HINT_")}


def run_test_cell(exercise: str, answer: str | None = None, *, graded: bool = True):
    """The Checklist of ``test_<exercise>`` after running it (visible and hidden parts) with the solution's
    functions and ``answer`` (an answer cell's source) in place of the exercise's."""
    namespace = {"np": np}
    for source in SOLUTION.values():
        exec(compile(source, "<solution>", "exec"), namespace)  # noqa: S102
    if answer is not None:
        exec(compile(answer, f"<answer to {exercise}>", "exec"), namespace)  # noqa: S102
    context = grading() if graded else contextlib.nullcontext()
    with context, contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(TESTS[f"test_{exercise}"], f"<test_{exercise}>", "exec"), namespace)  # noqa: S102
    return namespace["checks"]


def failed(checklist) -> list[str]:
    return [c.name for c in checklist._checks.values() if not c.passed]


def hints_shown(checklist) -> set[str]:
    """The hints of every failed expectation, visible or hidden."""
    shown = set()
    for c in checklist._checks.values():
        for error in (c.failure, c.hidden_failure):
            if isinstance(error, CheckFailed) and error.hint:
                shown.add(error.hint)
    return shown


def test_the_banks_cover_every_exercise():
    assert set(RIGHT) == set(WRONG) == set(SOLUTION)
    assert all(len(answers) >= 4 for answers in RIGHT.values())


@pytest.mark.parametrize("exercise", sorted(SOLUTION))
def test_solution_passes_every_check(exercise):
    checklist = run_test_cell(exercise)
    assert not failed(checklist), [(c.name, c.failure, c.hidden_failure) for c in checklist._checks.values()]
    assert checklist.earned == checklist.points == POINTS[f"test_{exercise}"]
    assert 3 <= len(checklist._checks) <= 5
    assert all(c.hidden_parts >= 1 for c in checklist._checks.values()), "every check varies its values when graded"
    run_test_cell(exercise, graded=False)  # in the student's notebook result() raises if a visible check failed


@pytest.mark.parametrize("exercise", sorted(SOLUTION))
def test_unsolved_exercise_reports_not_written(exercise):
    stub = SOLUTION[exercise].split(":", 1)[0] + ":\n    raise NotImplementedError()\n"
    with pytest.raises(NotImplementedError):
        run_test_cell(exercise, stub, graded=False)
    assert run_test_cell(exercise, stub).earned == 0


@pytest.mark.parametrize(("exercise", "label"), [(ex, label) for ex, bank in RIGHT.items() for label in bank])
def test_right_answer_passes_every_check(exercise, label):
    checklist = run_test_cell(exercise, RIGHT[exercise][label])
    problems = [(c.name, str(c.failure or c.hidden_failure)) for c in checklist._checks.values() if not c.passed]
    assert not problems, problems


@pytest.mark.parametrize(("exercise", "label"), [(ex, label) for ex, bank in WRONG.items() for label in bank])
def test_wrong_answer_fails_a_check(exercise, label):
    checklist = run_test_cell(exercise, WRONG[exercise][label])
    assert failed(checklist), f"{label} passes every check of {exercise}"
    assert checklist.earned < checklist.points


def test_every_hint_is_shown_to_some_wrong_answer():
    shown = set()
    for exercise, bank in WRONG.items():
        for answer in bank.values():
            shown |= hints_shown(run_test_cell(exercise, answer))
    never = sorted(name for name, hint in HINTS.items() if hint not in shown)
    assert not never, f"hints no wrong answer reaches: {never}"


def test_hidden_parts_use_the_modules_hints():
    """A hidden expectation's hints are the checks module's (each reached by a wrong answer above), never a string
    of its own."""
    for grade_id, source in TESTS.items():
        hidden = source.partition("### BEGIN HIDDEN TESTS")[2].partition("### END HIDDEN TESTS")[0]
        for node in ast.walk(ast.parse(hidden)):
            if isinstance(node, ast.keyword) and node.arg == "hints":
                pairs = node.value.elts if isinstance(node.value, ast.List) else []
                literals = [ast.unparse(pair.elts[1]) for pair in pairs
                            if isinstance(pair, ast.Tuple) and not ast.unparse(pair.elts[1]).startswith("check.HINT_")]
                assert not literals, f"{grade_id}: hidden hints written in place: {literals}"
