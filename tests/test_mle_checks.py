"""Lab 2 (02_mle): the test cells' checks (the visible ones of ``helpers.checks.mle`` and the hidden expectations
in the solution notebook) run directly on the banks of answers, without nbgrader or a kernel. The solution and
every right answer pass every check and are shown no hint; every wrong answer fails a check; every hint of the
checks module is shown to at least one wrong answer. Fast: the whole module runs in seconds."""

from __future__ import annotations

import ast
import contextlib
import functools
import inspect
import io
import warnings

import numpy as np
import pytest
from course import HIDDEN_MARKERS, grade_cells, notebook_path, read_notebook, solution_cells, without_markers
from right_answers.mle import LAB, RIGHT
from wrong_answers.mle import WRONG

from helpers import data
from helpers.checks import mle as check
from helpers.feedback import grading

SOURCE = read_notebook(notebook_path(LAB))
TEST_CELLS = {grade_id.removeprefix("test_"): cell for grade_id, cell in grade_cells(SOURCE).items()}
SOLUTION = {grade_id: without_markers(cell.source) for grade_id, cell in solution_cells(SOURCE).items()}
HINTS = {name: value for name, value in vars(check).items() if name.isupper() and isinstance(value, str)}


@functools.cache
def judge(exercise: str, answer: str) -> list[dict]:
    """Run the exercise's whole test cell (visible and hidden checks) on ``answer`` as the grader would score
    it; return each check with its points, whether it passed and the hint the student is shown (or None)."""
    namespace = {"np": np, "data": data}
    exec(compile(answer, f"<{exercise} answer>", "exec"), namespace)  # noqa: S102 - the course's own answer banks
    with grading(), contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # wrong answers divide by zero; the checks judge values, not warnings
        exec(compile(TEST_CELLS[exercise].source, f"<test_{exercise}>", "exec"), namespace)  # noqa: S102
    outcome = []
    for item in namespace["checks"]._checks.values():
        shown = item.failure if item.failure is not None else item.hidden_failure
        outcome.append({"name": item.name, "points": item.points, "passed": item.passed,
                        "hint": getattr(shown, "hint", None), "failure": repr(shown)})
    return outcome


def test_banks_cover_the_exercises():
    assert set(RIGHT) == set(WRONG) == set(SOLUTION) == set(TEST_CELLS)
    assert all(len(answers) >= 4 for answers in RIGHT.values())


@pytest.mark.parametrize("exercise", sorted(SOLUTION))
def test_the_solution_passes_every_check(exercise):
    outcome = judge(exercise, SOLUTION[exercise])
    assert all(c["passed"] for c in outcome), [c for c in outcome if not c["passed"]]
    assert sum(c["points"] for c in outcome) == TEST_CELLS[exercise].metadata.nbgrader["points"]
    assert 3 <= len(outcome) <= 5


@pytest.mark.parametrize(("exercise", "label"), [(e, label) for e, answers in RIGHT.items() for label in answers])
def test_right_answers_pass_every_check(exercise, label):
    outcome = judge(exercise, RIGHT[exercise][label])
    failed = [c for c in outcome if not c["passed"]]
    assert not failed, failed


@pytest.mark.parametrize(("exercise", "label"), [(e, label) for e, answers in WRONG.items() for label in answers])
def test_wrong_answers_fail_a_check(exercise, label):
    outcome = judge(exercise, WRONG[exercise][label])
    assert any(not c["passed"] for c in outcome), f"{label} passed every check of {exercise}"


def test_every_hint_is_shown_to_a_wrong_answer():
    shown = {c["hint"] for exercise, answers in WRONG.items() for source in answers.values()
             for c in judge(exercise, source)}
    never = [name for name, hint in HINTS.items() if hint not in shown]
    assert not never, f"hints no wrong answer is shown: {never}"


def test_hints_are_the_named_constants():
    """Every hint in the checks module is one of its constants (so the test above sees them all), and the
    hidden tests carry none: a hidden check's failure is reached only after its visible twin passed."""
    tree = ast.parse(inspect.getsource(check))
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "hint":
            assert isinstance(node.value, ast.Name) and node.value.id in HINTS, ast.unparse(node)
        if isinstance(node, ast.keyword) and node.arg == "hints":
            for pair in node.value.elts:
                assert isinstance(pair.elts[1], ast.Name) and pair.elts[1].id in HINTS, ast.unparse(pair)
    for cell in TEST_CELLS.values():
        hidden = cell.source.partition(HIDDEN_MARKERS[0])[2]
        assert "hint" not in hidden


def test_visible_checks_live_in_the_checks_module():
    """The visible part of a test cell only names its checks; the expectations are in helpers.checks.mle."""
    for exercise, cell in TEST_CELLS.items():
        visible = cell.source.partition(HIDDEN_MARKERS[0])[0]
        calls = [line.strip() for line in visible.splitlines() if line.startswith("    ")]
        assert calls and all(line.startswith("check.") and line.endswith(f"({exercise})") for line in calls), calls
