"""Lab 6's named checks, beyond what tests/test_checks.py asserts for every lab (the solution, the banks, the unsolved
lab, every stated hint shown to some wrong answer): every check has exactly one hidden part; every wrong answer is
given exactly the hints of the mistakes it makes; every hint of helpers/checks/bce.py is given to some wrong answer and
is one of its *_HINT constants; the loss tolerances have an absolute part."""

from __future__ import annotations

import ast
import inspect

import numpy as np
import pytest
from course import check_cells, failures, run_test_cell, solution_answers
from right_answers.bce import RIGHT
from wrong_answers.bce import LAB, WRONG

from helpers.checks import bce as check
from helpers.feedback import CheckFailed

HINTS = {name: value for name, value in vars(check).items() if name.endswith("_HINT")}
NAME_OF_HINT = {value: name for name, value in HINTS.items()}
#: helpers.feedback's own hints (call_quietly, expect_raises), by the start of their text.
FEEDBACK_HINTS = {
    "an intermediate value overflowed": "feedback: a warning",
    "invalid input must raise": "feedback: no exception",
    "say which parameter is invalid": "feedback: parameter not named",
    "check the parameter yourself": "feedback: another exception",
}

#: The hints each wrong answer must be shown (by the visible or the hidden part of a check), and no others.
EXPECTED_HINTS = {
    ('sigmoid', 'naive 1 / (1 + exp(-z)): overflow warning at z = -1000'):
        {'feedback: a warning'},
    ('sigmoid', 'exp(z) / (1 + exp(z)): nan at z = 1000'):
        {'feedback: a warning'},
    ('sigmoid', 'np.where with two unsafe branches: overflow warning'):
        {'feedback: a warning'},
    ('sigmoid', '1 - sigma(|z|) for negative z: 0 instead of tiny values'):
        {'ROUNDS_TO_ZERO_HINT'},
    ('sigmoid', 'tanh form: loses relative precision for negative z'):
        {'ROUNDS_TO_ZERO_HINT'},
    ('sigmoid', 'sign error: computes sigma(-z)'):
        {'SIGMA_OF_MINUS_Z_HINT'},
    ('sigmoid', 'silences the overflow with np.errstate: nan at z = 1000'):
        {'NAN_AT_EXTREMES_HINT'},
    ('sigmoid', 'fills np.empty_like(z): integer inputs give integer results'):
        {'INTEGER_RESULT_HINT'},
    ('binary_cross_entropy', 'missing the (1 - y) log(1 - p) term'):
        {'MISSING_TERM_HINT'},
    ('binary_cross_entropy', "the draft's clip with 1e-10: nan in float32, 23.03 instead of 100"):
        {'CLIP_HINT'},
    ('binary_cross_entropy', 'clip with float32 eps instead of the clamp at -100'):
        {'CLIP_HINT'},
    ('binary_cross_entropy', 'no clamp: inf and nan (0 * log 0) at the boundary'):
        {'NAN_ZERO_LOG_ZERO_HINT'},
    ('binary_cross_entropy', "'mean' sums"):
        {'MEAN_IS_SUM_HINT'},
    ('binary_cross_entropy', "'mean' averages along the last axis only"):
        {'MEAN_ALONG_AXIS_HINT'},
    ('binary_cross_entropy', 'no shape check: (N,) against (N, 1) broadcasts'):
        {'SHAPE_HINT', 'feedback: no exception'},
    ('binary_cross_entropy', 'log2 instead of the natural log'):
        {'LOG2_HINT'},
    ('binary_cross_entropy', 'no minus sign: the log-likelihood, not its negative'):
        {'MINUS_SIGN_HINT'},
    ('binary_cross_entropy', 'hard labels only: picks a term by y == 1'):
        {'HARD_LABELS_HINT'},
    ('binary_cross_entropy', 'scipy xlogy / xlog1py without a clamp: inf for a certain, wrong prediction'):
        {'UNCLAMPED_INF_HINT'},
    ('binary_cross_entropy', 'replaces log 0 by -100 only where p == 0: p = 1e-50 costs 115'):
        {'CLAMP_THE_LOG_HINT'},
    ('binary_cross_entropy', 'clamped, but log(1 - p) instead of log1p(-p)'):
        {'LOG1P_HINT'},
    ('binary_cross_entropy', 'nan slips through (y < 0) | (y > 1)'):
        {'NAN_LABEL_HINT', 'feedback: no exception'},
    ('binary_cross_entropy_with_logits', 'through the sigmoid: log(1 - sigma(z)) is -inf at z = 1000'):
        {'feedback: a warning'},
    ('binary_cross_entropy_with_logits', 'sigmoid then clip with 1e-7: 16.1 instead of 1000'):
        {'THROUGH_PROBABILITY_HINT'},
    ('binary_cross_entropy_with_logits', '(1 - y) z + log(1 + exp(-z)) without |z|: overflows at z = -1000'):
        {'feedback: a warning'},
    ('binary_cross_entropy_with_logits', 'missing the (1 - y) term: -y log sigma(z)'):
        {'MISSING_TERM_HINT'},
    ('binary_cross_entropy_with_logits', 'sign error in the z y term'):
        {'ZY_SIGN_HINT'},
    ('binary_cross_entropy_with_logits', 'hard labels only: picks a term by y == 1'):
        {'HARD_LABELS_HINT'},
    ('binary_cross_entropy_with_logits', "'mean' sums"):
        {'MEAN_IS_SUM_HINT'},
    ('binary_cross_entropy_with_logits', 'silences the overflow of (1 - y) z + log(1 + exp(-z)): inf at z = -1000'):
        {'OVERFLOW_HINT'},
    ('binary_cross_entropy_with_logits', 'through its own clamped BCE on sigmoid(z): 100 instead of 1000'):
        {'THROUGH_PROBABILITY_HINT'},
    ('binary_cross_entropy_with_logits', 'nan slips through (y < 0) | (y > 1)'):
        {'NAN_LABEL_HINT', 'feedback: no exception'},
    ('binary_cross_entropy_with_logits', 'no shape check: (N,) against (N, 1) broadcasts'):
        {'SHAPE_HINT', 'feedback: no exception'},
    ('binary_cross_entropy_with_logits', "'mean' averages along the last axis only"):
        {'MEAN_ALONG_AXIS_HINT'},
    ('bce_grad_logits', 'gradient of the sum: no division by N'):
        {'GRAD_OF_SUM_HINT'},
    ('bce_grad_logits', 'sign error: y - sigma(z)'):
        {'GRAD_SIGN_HINT'},
    ('bce_grad_logits', 'slope with respect to p, not z'):
        {'SLOPE_IN_P_HINT'},
    ('bce_grad_logits', 'divides by the number of rows, not of elements'):
        {'N_IS_ROWS_HINT'},
    ('bce_grad_logits', 'naive sigmoid inside: overflow warning at z = -1000'):
        {'feedback: a warning'},
    ('bce_grad_logits', "MSE on the sigmoid's gradient"):
        {'MSE_GRADIENT_HINT', 'VANISHING_GRADIENT_HINT'},
    ('bce_grad_logits', 'no shape check'):
        {'SHAPE_HINT', 'feedback: no exception'},
    ('bce_grad_logits', 'divides by the length of the last axis'):
        {'N_IS_COLUMNS_HINT'},
    ('bce_grad_logits', 'nan slips through (y < 0) | (y > 1)'):
        {'NAN_LABEL_HINT', 'feedback: no exception'},
}


def hint_names(checklist) -> set[str]:
    """The names of the hints (of helpers/checks/bce.py, or feedback's own) that the failures of the failed checks
    carry: the visible part's and the hidden part's."""
    shown = set()
    for errors in failures(checklist).values():
        for error in errors:
            hint = getattr(error, "hint", None)
            if isinstance(error, CheckFailed) and hint:
                feedback = [name for start, name in FEEDBACK_HINTS.items() if hint.startswith(start)]
                shown.add(NAME_OF_HINT.get(hint) or (feedback[0] if feedback else f"<unknown hint: {hint}>"))
    return shown


@pytest.mark.parametrize("exercise", sorted(RIGHT))
def test_every_check_has_one_hidden_part(exercise):
    checklist = run_test_cell(LAB, exercise, solution_answers(LAB)[exercise])
    assert all(c.hidden_parts == 1 for c in checklist.results), {c.name: c.hidden_parts for c in checklist.results}


@pytest.mark.parametrize(("exercise", "label"), [(e, label) for e, answers in WRONG.items() for label in answers])
def test_wrong_answers_get_the_right_hints(exercise, label):
    checklist = run_test_cell(LAB, exercise, WRONG[exercise][label])
    assert hint_names(checklist) == EXPECTED_HINTS[exercise, label], {
        name: [str(e) for e in errors] for name, errors in failures(checklist).items()}


def test_every_hint_fires_for_some_wrong_answer():
    fired = set().union(*EXPECTED_HINTS.values())
    assert set(EXPECTED_HINTS) == {(e, label) for e, answers in WRONG.items() for label in answers}
    assert set(HINTS) <= fired, f"hints no wrong answer shows: {sorted(set(HINTS) - fired)}"
    assert fired - set(HINTS) <= set(FEEDBACK_HINTS.values())


def test_hints_are_named_constants():
    """Every hint in the checks module and in the test cells is one of the module's *_HINT constants, so that
    the test above covers them all."""
    sources = {"helpers/checks/bce.py": inspect.getsource(check)}
    sources.update({f"test cell test_{exercise}": cell.source for exercise, cell in check_cells(LAB).items()})
    for where, source in sources.items():
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg == "hints":
                    assert isinstance(keyword.value, ast.List), where
                    for item in keyword.value.elts:
                        hint = item.elts[1]
                        name = hint.attr if isinstance(hint, ast.Attribute) else getattr(hint, "id", None)
                        assert name in HINTS, f"{where}: a hint that is not a *_HINT constant: {ast.unparse(hint)}"
                elif keyword.arg in ("hint", "returned_hint"):
                    assert getattr(keyword.value, "id", None) in HINTS, f"{where}: {ast.unparse(keyword.value)}"
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name == "expect_true":
                assert len(node.args) <= 4, f"{where}: pass expect_true's hint as a named *_HINT constant"


def test_tolerances_have_an_absolute_part_where_values_can_be_tiny():
    """Examiners' finding: PyTorch's arrangement of BCE from logits is exact to 1e-15 absolute, and failed an
    rtol-only comparison. The module's tolerances for losses accept it."""
    z = np.array([12.4, -12.4, 40.0, -40.0])
    y = np.array([1.0, 0.0, 1.0, 0.0])
    pytorch = (1 - y) * z - (np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z))))
    exact = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    assert not np.allclose(pytorch, exact, rtol=check.RTOL, atol=0)
    assert np.allclose(pytorch, exact, rtol=check.RTOL, atol=check.ATOL)
