"""Lab 1's named checks run directly, without nbgrader (fast): each test cell of the solution notebook, hidden part
included, is executed against the solution, every right answer (all checks pass) and every wrong answer (some
check fails); every hint that ``helpers.checks.distributions`` and the hidden tests can give is given to at least
one wrong answer."""

from __future__ import annotations

import ast
import contextlib
import io
import warnings

import numpy as np
import pytest
from course import HIDDEN_MARKERS, grade_cells, nbgrader_meta, notebook_path, read_notebook, solution_cells
from course import without_markers as unmarked
from right_answers.distributions import LAB, RIGHT
from wrong_answers.distributions import WRONG

from helpers.checks import distributions as check_module
from helpers.feedback import grading

NOTEBOOK = read_notebook(notebook_path(LAB))
SOLUTION = {grade_id: unmarked(cell.source) for grade_id, cell in solution_cells(NOTEBOOK).items()}
TEST_CELLS = {grade_id.removeprefix("test_"): cell for grade_id, cell in grade_cells(NOTEBOOK).items()}
CHECK_SOURCE = check_module.__file__


def run_checks(exercise: str, answer: str):
    """The exercise's test cell (hidden part included) run while grading against ``answer``: its Checklist."""
    namespace: dict = {"np": np}
    exec(compile(answer, f"<answer {exercise}>", "exec"), namespace)  # noqa: S102 - the banks' answers
    source = TEST_CELLS[exercise].source
    with grading(), contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(source, f"<test_{exercise}>", "exec"), namespace)  # noqa: S102 - the lab's own test cell
    return namespace["checks"]


def failures(checklist) -> dict[str, BaseException]:
    found = {}
    for check in checklist._checks.values():
        error = check.failure or check.hidden_failure
        if error is not None:
            found[check.name] = error
    return found


def cases(bank: dict[str, dict[str, str]]) -> list:
    return [pytest.param(exercise, source, id=f"{exercise}-{label}")
            for exercise, answers in bank.items() for label, source in answers.items()]


def test_banks_cover_every_exercise():
    assert set(RIGHT) == set(WRONG) == set(SOLUTION) == set(TEST_CELLS)
    assert all(len(answers) >= 4 for answers in RIGHT.values())


@pytest.mark.parametrize("exercise", sorted(SOLUTION))
def test_solution_passes_every_check(exercise):
    checklist = run_checks(exercise, SOLUTION[exercise])
    assert not failures(checklist), failures(checklist)
    assert checklist.points == nbgrader_meta(TEST_CELLS[exercise])["points"]
    assert all(check.hidden_parts for check in checklist._checks.values()), "every check has hidden values"
    assert 3 <= len(checklist._checks) <= 5


@pytest.mark.parametrize(("exercise", "source"), cases(RIGHT))
def test_right_answer_passes_every_check(exercise, source):
    checklist = run_checks(exercise, source)
    assert not failures(checklist), {name: str(error) for name, error in failures(checklist).items()}


@pytest.mark.parametrize(("exercise", "source"), cases(WRONG))
def test_wrong_answer_fails_a_check(exercise, source):
    checklist = run_checks(exercise, source)
    assert failures(checklist), "this wrong answer passes every check"
    assert checklist.earned < checklist.points


def _hint_nodes(tree: ast.AST) -> list[ast.expr]:
    """The expressions passed as a hint: ``hints=[(mistake, hint), ...]``, ``hint=...``, the fifth argument of
    expect_true and the fourth of fail."""
    nodes = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for keyword in node.keywords:
            if keyword.arg == "hints":
                assert isinstance(keyword.value, ast.List), ast.unparse(node)
                nodes += [pair.elts[1] for pair in keyword.value.elts]
            elif keyword.arg == "hint":
                nodes.append(keyword.value)
        if name == "expect_true" and len(node.args) >= 5:
            nodes.append(node.args[4])
        if name == "fail" and len(node.args) >= 4:
            nodes.append(node.args[3])
    return nodes


def _text(node: ast.expr) -> str | None:
    """A hint's text: a string literal or a constant of the checks module (None: a parameter passed on)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Attribute):
        return getattr(check_module, node.attr)
    if isinstance(node, ast.Name):
        return getattr(check_module, node.id, None)
    raise AssertionError(f"a hint the test cannot read: {ast.unparse(node)}")


def stated_hints() -> set[str]:
    trees = [ast.parse(open(CHECK_SOURCE, encoding="utf-8").read())]
    trees += [ast.parse(cell.source.partition(HIDDEN_MARKERS[0])[2].partition(HIDDEN_MARKERS[1])[0])
              for cell in TEST_CELLS.values()]
    hints = {_text(node) for tree in trees for node in _hint_nodes(tree)}
    hints.discard(None)
    return hints


def test_every_hint_is_given_to_some_wrong_answer():
    given = set()
    for exercise, answers in WRONG.items():
        for source in answers.values():
            given |= {getattr(error, "hint", None) for error in failures(run_checks(exercise, source)).values()}
    stated = stated_hints()
    assert len(stated) > 30
    never = sorted(stated - given)
    assert not never, "hints no wrong answer gets:\n" + "\n".join(never)
