"""Lab 7 (07_bayes_map)'s named checks, beyond what tests/test_checks.py asserts for every lab (the solution, the
banks, the unsolved lab, every stated hint shown to some wrong answer): the hints are the HINT_ constants of
``helpers.checks.bayes_map``, each stated; the visible part of a test cell only names its checks; the Metropolis
checks' targets travel to the student's kernel by value; and the "solve, not an inverse" check separates a solve
from an inverse on both of its designs."""

from __future__ import annotations

import ast
import inspect
import pickle
import subprocess
import sys

import cloudpickle
import numpy as np
import pytest
from course import HIDDEN_MARKERS, check_cells, solution_answers, stated_hints, visible_lines_not_calling_checks
from right_answers.bayes_map import LAB, RIGHT
from wrong_answers.bayes_map import WRONG

from helpers.checks import bayes_map as check

HINTS = {name: value for name, value in vars(check).items() if name.startswith("HINT_")}


def test_hints_are_the_named_constants():
    """Every hint the checks module gives (hint=..., expect_true's fifth argument, the (mistake, hint) pairs of a
    hints list) is a HINT_ constant or None, every constant is stated (so test_checks.py shows each to a wrong
    answer), and the hidden tests carry none."""
    for node in ast.walk(ast.parse(inspect.getsource(check))):
        given = []
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            given += [keyword.value for keyword in node.keywords if keyword.arg == "hint"]
            if name == "expect_true" and len(node.args) >= 5:
                given.append(node.args[4])
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2:  # (mistake, hint) of a hints list
            assert not (isinstance(node.elts[1], ast.Constant) and isinstance(node.elts[1].value, str)), \
                ast.unparse(node)
        for hint in given:
            for option in ([hint.body, hint.orelse] if isinstance(hint, ast.IfExp) else [hint]):
                assert (isinstance(option, ast.Name) and option.id in HINTS) or (
                    isinstance(option, ast.Constant) and option.value is None), ast.unparse(node)
    assert len(HINTS) >= 30
    assert set(HINTS.values()) <= stated_hints(LAB), sorted(set(HINTS.values()) - stated_hints(LAB))
    for cell in check_cells(LAB).values():
        assert "hint" not in cell.source.partition(HIDDEN_MARKERS[0])[2]


def test_visible_checks_live_in_the_checks_module():
    """The visible part of a test cell only names its checks; the expectations are in helpers.checks.bayes_map."""
    assert not visible_lines_not_calling_checks(LAB)


class Courier:
    """Stands for the student's metropolis as the grader sends it its arguments: cloudpickle out, plain pickle in
    (the kernel's side), then the solution runs on what arrived."""

    def __init__(self, function):
        self.function = function
        self.sent = []

    def __call__(self, *args):
        arrived = pickle.loads(cloudpickle.dumps(args))  # noqa: S301 - our own payload
        self.sent.append(cloudpickle.dumps(args[0]))
        return self.function(*arrived)


def test_metropolis_targets_travel_by_value(tmp_path):
    """The targets the checks hand to metropolis are self-contained (numpy only): the chain run on what arrives
    passes every check, and what cloudpickle sends loads and runs in a Python that cannot import helpers."""
    namespace = {"np": np}
    exec(solution_answers(LAB)["metropolis"], namespace)  # noqa: S102 - the lab's solution
    courier = Courier(namespace["metropolis"])
    for run in (check.chain_draw_order, check.chain_accept_rule, check.chain_stays_in_support,
                check.chain_rejects_bad_input):
        run(courier)
    payloads = tmp_path / "targets.pickle"
    payloads.write_bytes(pickle.dumps(courier.sent))
    program = f"""
import pickle, sys
class NoHelpers:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "helpers":
            raise ImportError("helpers is not importable here")
sys.meta_path.insert(0, NoHelpers())
for payload in pickle.loads(open({str(payloads)!r}, "rb").read()):
    target = pickle.loads(payload)
    print(float(target(0.5)), float(target(2.0)))
"""
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(courier.sent) >= 4


@pytest.mark.parametrize(("seed", "n", "d"), [(2, 60, 8), (4, 80, 6)])
def test_the_solve_check_separates_solve_from_inverse(seed, n, d):
    """On the visible design (seed 2) and the hidden one (seed 4): every right answer and the solution pass, the
    inverse fails with the inverse's hint, the wrong lambdas fail without it."""
    from helpers.feedback import CheckFailed

    def verdict(source):
        namespace = {"np": np}
        exec(source, namespace)  # noqa: S102 - the banks' answers
        try:
            check.ridge_solves_accurately(namespace["ridge_map"], seed=seed, n=n, d=d)
        except CheckFailed as failure:
            return failure.hint
        return "passed"

    for source in [solution_answers(LAB)["ridge_map"], *RIGHT["ridge_map"].values()]:
        assert verdict(source) == "passed"
    assert verdict(WRONG["ridge_map"]["np.linalg.inv instead of a solve"]) == check.HINT_INVERSE
    for label in ("λ = prior_sigma² / noise_sigma²: swapped", "least squares: the prior left out"):
        assert verdict(WRONG["ridge_map"][label]) in ("passed", None)

