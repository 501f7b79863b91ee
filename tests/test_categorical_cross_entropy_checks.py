"""Lab 4's named checks, beyond what tests/test_checks.py asserts for every lab (the solution, in grading and in the
student's run; the banks; the unsolved lab; every stated hint shown to some wrong answer): every ``HINT_`` constant of
``helpers.checks.categorical_cross_entropy`` is stated as a hint, and the hidden tests use only those constants."""

import ast

from course import check_cells, hidden_part, stated_hints
from right_answers.categorical_cross_entropy import LAB

from helpers.checks import categorical_cross_entropy as check

HINTS = {name: value for name, value in vars(check).items() if name.startswith("HINT_")}


def test_every_hint_constant_is_stated():
    """Each HINT_ constant is given as a hint by a check, so that test_checks.py shows it to some wrong answer."""
    never = sorted(name for name, hint in HINTS.items() if hint not in stated_hints(LAB))
    assert not never, f"hints no check gives: {never}"


def test_hidden_parts_use_the_modules_hints():
    """A hidden expectation's hints are the checks module's (each reached by a wrong answer), never a string of its
    own."""
    for exercise, cell in check_cells(LAB).items():
        for node in ast.walk(ast.parse(hidden_part(cell.source))):
            if isinstance(node, ast.keyword) and node.arg == "hints":
                pairs = node.value.elts if isinstance(node.value, ast.List) else []
                literals = [ast.unparse(pair.elts[1]) for pair in pairs
                            if isinstance(pair, ast.Tuple) and not ast.unparse(pair.elts[1]).startswith("check.HINT_")]
                assert not literals, f"test_{exercise}: hidden hints written in place: {literals}"
