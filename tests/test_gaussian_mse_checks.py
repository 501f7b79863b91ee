"""Lab 3's named checks, beyond what tests/test_checks.py asserts for every lab (the solution, the banks, the unsolved
lab, every stated hint shown to some wrong answer): every hint of ``helpers.checks.gaussian_mse``'s ``HINTS`` is used
by a check, and every wrong answer already fails a visible check."""

from __future__ import annotations

import pytest
from course import check_cells, run_test_cell, stated_hints, visible_failures
from right_answers.gaussian_mse import LAB
from wrong_answers.gaussian_mse import WRONG

from helpers.checks import gaussian_mse as check


def test_every_hint_is_used_by_a_check():
    """Each entry of HINTS is written (``HINTS["key"]``) in the checks module or a test cell, and stated as a hint
    there, so that test_checks.py shows each to some wrong answer."""
    module = open(check.__file__, encoding="utf-8").read()
    cells = "\n".join(cell.source for cell in check_cells(LAB).values())
    unused = [key for key in check.HINTS if f'HINTS["{key}"]' not in module + cells]
    assert not unused, unused
    assert set(check.HINTS.values()) <= stated_hints(LAB)


@pytest.mark.parametrize(("exercise", "label"), [(e, label) for e, answers in WRONG.items() for label in answers])
def test_wrong_answer_fails_a_visible_check(exercise, label):
    """No rule is hidden-only: the student's own run of the test cell already fails every wrong answer."""
    assert visible_failures(run_test_cell(LAB, exercise, WRONG[exercise][label])), "only hidden checks fail"
