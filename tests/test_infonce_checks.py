"""Lab 9's checks (helpers/checks/infonce.py and the hidden parts of the lab's test cells), run in this process
without nbgrader: each test cell of the solution notebook is executed as the grader runs it
(``helpers.feedback.grading``), with the solution's functions and one answer from the banks in place of its
exercise. The solution and every right answer pass every named check; every wrong answer fails at least one; every
hint the checks module defines is shown to at least one wrong answer (and, since right answers pass, never to a
right one); a hint is always one of the module's constants, so that this list is complete."""

import ast
import contextlib
import io
import warnings

import numpy as np
import pytest
from course import (
    HIDDEN_MARKERS,
    grade_cells,
    notebook_path,
    read_notebook,
    solution_answers,
)
from right_answers.infonce import LAB, RIGHT
from wrong_answers.infonce import WRONG

from helpers.checks import infonce as check
from helpers.feedback import CheckFailed, grading

NOTEBOOK = read_notebook(notebook_path(LAB))
SOLUTION = solution_answers(LAB)
TESTS = {grade_id: cell.source for grade_id, cell in grade_cells(NOTEBOOK).items()}
POINTS = {grade_id: cell.metadata.nbgrader["points"] for grade_id, cell in grade_cells(NOTEBOOK).items()}
HINTS = {name: value for name, value in vars(check).items() if name.endswith("_HINT")}
GENERIC = "invalid input must raise, not return a value."  # helpers.feedback's own, reused by expect_refused


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


def cases(bank: dict[str, dict[str, str]]) -> list:
    return [pytest.param(exercise, source, id=f"{exercise}-{label}")
            for exercise, answers in bank.items() for label, source in answers.items()]


def test_the_banks_cover_every_exercise():
    assert set(RIGHT) == set(WRONG) == set(SOLUTION) == {"cosine_similarity", "info_nce", "info_nce_in_batch"}
    assert all(len(answers) >= 4 for answers in RIGHT.values())
    assert sum(POINTS.values()) == 14


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


@pytest.mark.parametrize(("exercise", "source"), cases(RIGHT))
def test_right_answer_passes_every_check(exercise, source):
    checklist = run_test_cell(exercise, source)
    problems = {c.name: str(c.failure or c.hidden_failure) for c in checklist._checks.values() if not c.passed}
    assert not problems, problems


@pytest.mark.parametrize(("exercise", "source"), cases(WRONG))
def test_wrong_answer_fails_a_check(exercise, source):
    checklist = run_test_cell(exercise, source)
    assert failed(checklist), "this wrong answer passes every check"
    assert checklist.earned < checklist.points


def test_every_hint_is_given_to_some_wrong_answer():
    given = set()
    for exercise, answers in WRONG.items():
        for source in answers.values():
            given |= hints_shown(run_test_cell(exercise, source))
    never = sorted(name for name, text in HINTS.items() if text not in given)
    assert not never, f"hints no wrong answer gets: {never}"


def _hint_arguments(tree: ast.AST) -> list[ast.expr]:
    """The expressions passed as a hint: each second element of ``hints=[(mistake, hint), ...]``, ``hint=``, the
    fifth argument of expect_true and the fourth of fail."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for keyword in node.keywords:
            if keyword.arg == "hints" and isinstance(keyword.value, ast.List):
                found += [pair.elts[1] for pair in keyword.value.elts]
            elif keyword.arg == "hint":
                found.append(keyword.value)
        if name == "expect_true" and len(node.args) >= 5:
            found.append(node.args[4])
        if name == "fail" and len(node.args) >= 4:
            found.append(node.args[3])
    return found


def test_every_hint_is_a_constant_of_the_checks_module():
    """No hint is written inline, so the module's *_HINT constants are every hint the checks can give."""
    trees = [ast.parse(open(check.__file__, encoding="utf-8").read())]
    trees += [ast.parse(source.partition(HIDDEN_MARKERS[0])[2].partition(HIDDEN_MARKERS[1])[0])
              for source in TESTS.values()]
    allowed_names = set(HINTS) | {"hint"}  # ``hint`` is a parameter passed on (expect_refused, _result)
    for tree in trees:
        for node in _hint_arguments(tree):
            if isinstance(node, ast.Constant):
                assert node.value in (None, GENERIC), f"an inline hint: {node.value!r}"
            elif isinstance(node, ast.Attribute):
                assert node.attr in HINTS, ast.unparse(node)
            else:
                assert isinstance(node, ast.Name) and node.id in allowed_names, ast.unparse(node)


def test_shrink_cosines_divides_every_cosine():
    rng = np.random.default_rng(0)
    left, right = rng.normal(size=(3, 5)), rng.normal(size=(4, 5))
    new_left, new_right = check.shrink_cosines(left, right, 2.5)
    cosine = check.unit(left) @ check.unit(right).T
    np.testing.assert_allclose(np.linalg.norm(new_left, axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(new_right, axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(new_left @ new_right.T, cosine / 2.5, rtol=1e-12, atol=1e-15)
    batched_left, batched_right = check.shrink_cosines(left[None, :1], right[None], 4.0)
    np.testing.assert_allclose((batched_left[0] @ batched_right[0].T)[0], cosine[0] / 4.0, rtol=1e-12, atol=1e-15)


def test_the_public_values_of_the_checks():
    """The values the visible checks compare with are those the lab states."""
    assert check.WORKED_LOSS == pytest.approx(0.6041, abs=5e-5)
    assert check.IN_BATCH_WORKED_LOSS == pytest.approx(0.8133, abs=5e-5)
    np.testing.assert_allclose(check.unit(check.WORKED_POSITIVE) @ check.WORKED_QUERY[0], [0.5], rtol=1e-15)
    np.testing.assert_allclose(check.WORKED_NEGATIVES[0] @ check.WORKED_QUERY[0], [0.0, -1.0])
    np.testing.assert_allclose(check.HALF_COSINES_POSITIVE @ check.WORKED_QUERY[0], [0.25], rtol=1e-15)
    np.testing.assert_allclose(check.HALF_COSINES_NEGATIVES[0] @ check.WORKED_QUERY[0], [0.0, -0.5], atol=1e-15)
    np.testing.assert_allclose(np.linalg.norm(check.HALF_COSINES_NEGATIVES, axis=-1), 1.0, rtol=1e-15)
    half = check.IN_BATCH_Z1 @ check.HALF_IN_BATCH_Z2.T
    np.testing.assert_allclose(half, (check.IN_BATCH_Z1 @ check.IN_BATCH_Z2.T) / 2, atol=1e-15)
    assert check.opposite_pair_loss(0.01, 3) == pytest.approx(200 + np.log(3), rel=1e-15)
    assert check.opposite_pairs_loss(0.001) == 2000.0
