"""Lab 5's named checks, beyond what tests/test_checks.py asserts for every lab (the solution, the banks, the unsolved
lab, every stated hint shown to some wrong answer): the hints written in ``helpers.checks.kl_entropy`` are found, and
every wrong answer fails a visible check (so that no rule is probed only by the hidden part)."""

from __future__ import annotations

import inspect

import pytest
from course import hints_in, run_test_cell, visible_failures
from right_answers.kl_entropy import LAB
from wrong_answers.kl_entropy import WRONG

from helpers.checks import kl_entropy


def test_the_modules_hints_are_found():
    """The module writes its hints in place (no constants): ``course.hints_in`` must find them all, more than 20."""
    assert len(hints_in(inspect.getsource(kl_entropy), kl_entropy)) > 20, "the hint extraction found too few hints"


@pytest.mark.parametrize(("exercise", "label"), [(e, label) for e, answers in WRONG.items() for label in answers])
def test_wrong_answer_fails_a_visible_check(exercise, label):
    """A wrong answer that fails only hidden checks breaks a rule that no visible check tries."""
    failed = visible_failures(run_test_cell(LAB, exercise, WRONG[exercise][label]))
    assert failed, f"{label} fails only hidden checks: a rule that no visible check tries"
