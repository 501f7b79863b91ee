"""Lab 5's checklists run directly, without nbgrader: each test cell of the solution notebook (its visible
checks from helpers.checks.kl_entropy and its hidden part) is executed on every answer of the banks. The
solution and every right answer pass every check; every wrong answer fails a visible check (so that no rule is
probed only by the hidden part); every hint of the checks module is shown to at least one wrong answer."""

from __future__ import annotations

import ast
import contextlib
import inspect
import io
import warnings

import numpy as np
import pytest
from course import HIDDEN_MARKERS, grade_cells, notebook_path, read_notebook, solution_cells, without_markers
from right_answers import bank as right_bank
from wrong_answers import bank as wrong_bank

from helpers.checks import kl_entropy
from helpers.feedback import CheckFailed, grading

LAB = "05_kl_entropy"
SOURCE = read_notebook(notebook_path(LAB))
TEST_CELLS = {grade_id: cell.source for grade_id, cell in grade_cells(SOURCE).items()}
SOLUTION = {grade_id: without_markers(cell.source) for grade_id, cell in solution_cells(SOURCE).items()}
EXERCISES = sorted(SOLUTION)


def run_checklist(exercise: str, answer: str):
    """The Checklist of ``exercise``'s test cell after running it, while grading, on ``answer`` (the source of
    an answer cell)."""
    namespace: dict = {"np": np}
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")  # wrong answers warn; call_quietly records warnings on its own
        exec(compile(answer, f"<answer {exercise}>", "exec"), namespace)  # noqa: S102
        with grading():
            exec(compile(TEST_CELLS[f"test_{exercise}"], f"<test_{exercise}>", "exec"), namespace)  # noqa: S102
    return namespace["checks"]


def failures(checklist) -> dict[str, tuple[BaseException | None, BaseException | None]]:
    """(visible failure, hidden failure) of each check that failed, by name."""
    return {check.name: (check.failure, check.hidden_failure) for check in checklist._checks.values()
            if not check.passed}


def hints_in(tree: ast.AST) -> set[str]:
    """Every hint text written in ``tree``: the second item of a (mistake, hint) pair, the ``hint`` argument of
    ``expect_true`` (keyword or fifth positional) and of ``fail`` (fourth positional)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2:
            text = node.elts[1]
            if isinstance(text, ast.Constant) and isinstance(text.value, str):
                found.add(text.value)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("expect_true", "fail"):
            position = 4 if node.func.id == "expect_true" else 3
            candidates = node.args[position:position + 1] + [kw.value for kw in node.keywords if kw.arg == "hint"]
            found.update(c.value for c in candidates if isinstance(c, ast.Constant) and isinstance(c.value, str))
    return found


MODULE_HINTS = hints_in(ast.parse(inspect.getsource(kl_entropy)))
HIDDEN_HINTS = set().union(*(hints_in(ast.parse(source.partition(HIDDEN_MARKERS[0])[2])) for source in
                             TEST_CELLS.values()))
RIGHT = [(exercise, label, source) for exercise, answers in right_bank(LAB).items()
         for label, source in answers.items()]
WRONG = [(exercise, label, source) for exercise, answers in wrong_bank(LAB).items()
         for label, source in answers.items()]


def test_the_banks_cover_every_exercise():
    assert sorted(right_bank(LAB)) == EXERCISES == sorted(wrong_bank(LAB))
    assert all(len(answers) >= 4 for answers in right_bank(LAB).values())
    assert len(MODULE_HINTS) > 20, "the hint extraction found too few hints"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_solution_passes_every_check(exercise):
    checklist = run_checklist(exercise, SOLUTION[exercise])
    assert not failures(checklist), failures(checklist)
    assert 3 <= len(checklist._checks) <= 5
    points = grade_cells(SOURCE)[f"test_{exercise}"].metadata.nbgrader["points"]
    assert checklist.points == points and checklist.earned == points


@pytest.mark.parametrize(("exercise", "label", "source"), RIGHT, ids=[f"{e}: {label}" for e, label, _ in RIGHT])
def test_right_answer_passes_every_check(exercise, label, source):
    checklist = run_checklist(exercise, source)
    assert not failures(checklist), f"{label}: {failures(checklist)}"


@pytest.mark.parametrize(("exercise", "label", "source"), WRONG, ids=[f"{e}: {label}" for e, label, _ in WRONG])
def test_wrong_answer_fails_a_visible_check(exercise, label, source):
    checklist = run_checklist(exercise, source)
    failed = failures(checklist)
    assert checklist.earned < checklist.points
    assert any(visible is not None for visible, _ in failed.values()), \
        f"{label} fails only hidden checks {sorted(failed)}: a rule that no visible check tries"


def test_every_hint_is_shown_to_some_wrong_answer():
    shown = set()
    for exercise, _, source in WRONG:
        for visible, hidden in failures(run_checklist(exercise, source)).values():
            shown.update(error.hint for error in (visible, hidden) if isinstance(error, CheckFailed) and error.hint)
    missing = sorted((MODULE_HINTS | HIDDEN_HINTS) - shown)
    assert not missing, "hints no wrong answer produces:\n" + "\n".join(missing)
