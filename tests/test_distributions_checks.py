"""Lab 1's named checks, beyond what tests/test_checks.py asserts for every lab (the solution, the banks, the unsolved
lab, every stated hint shown to some wrong answer): the hints of ``helpers.checks.distributions`` are written where
that test reads them."""

from __future__ import annotations

import ast
import inspect

from course import check_cells, hidden_part, stated_hints
from right_answers.distributions import LAB

from helpers.checks import distributions as check


def test_the_hints_are_written_where_the_tests_read_them():
    """Every ``hints=`` of the checks module and of the hidden tests is a list literal, and the hints found there
    (``course.stated_hints``, each shown to a wrong answer by test_checks.py) are the more than 30 the lab gives."""
    sources = [inspect.getsource(check)] + [hidden_part(cell.source) for cell in check_cells(LAB).values()]
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.keyword) and node.arg == "hints":
                assert isinstance(node.value, ast.List), ast.unparse(node.value)
    assert len(stated_hints(LAB)) > 30
