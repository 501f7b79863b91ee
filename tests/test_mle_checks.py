"""Lab 2 (02_mle)'s named checks, beyond what tests/test_checks.py asserts for every lab (the solution, the banks, the
unsolved lab, every stated hint shown to some wrong answer): the hints are the named constants of
``helpers.checks.mle``, each stated (so each is shown to a wrong answer), and the visible part of a test cell only
names its checks."""

from __future__ import annotations

import ast
import inspect

from course import HIDDEN_MARKERS, check_cells, stated_hints, visible_lines_not_calling_checks
from right_answers.mle import LAB

from helpers.checks import mle as check

HINTS = {name: value for name, value in vars(check).items() if name.isupper() and isinstance(value, str)}


def test_hints_are_the_named_constants():
    """Every hint in the checks module is one of its constants, every constant is given as a hint somewhere (so the
    test of test_checks.py shows each to a wrong answer), and the hidden tests carry none: a hidden check's failure
    is reached only after its visible twin passed."""
    for node in ast.walk(ast.parse(inspect.getsource(check))):
        if isinstance(node, ast.keyword) and node.arg == "hint":
            assert isinstance(node.value, ast.Name) and node.value.id in HINTS, ast.unparse(node)
        if isinstance(node, ast.keyword) and node.arg == "hints":
            for pair in node.value.elts:
                assert isinstance(pair.elts[1], ast.Name) and pair.elts[1].id in HINTS, ast.unparse(pair)
    assert set(HINTS.values()) <= stated_hints(LAB), sorted(set(HINTS.values()) - stated_hints(LAB))
    for cell in check_cells(LAB).values():
        assert "hint" not in cell.source.partition(HIDDEN_MARKERS[0])[2]


def test_visible_checks_live_in_the_checks_module():
    """The visible part of a test cell only names its checks; the expectations are in helpers.checks.mle."""
    assert not visible_lines_not_calling_checks(LAB)
