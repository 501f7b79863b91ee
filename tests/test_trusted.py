"""Test cells judged by the grader (grading.trusted, through GuardedExecute) against a real kernel: arguments
and results cross between the grader and the student's kernel exactly, however large, and what the student's
code does to its own namespace does not reach the verdict."""

from __future__ import annotations

import time

import numpy as np
from nbformat.v4 import new_code_cell, new_notebook

from grading.preprocessors import GuardedExecute

STUDENT = """\
import numpy as np

def total(values):
    return int(np.sum(values))

def doubled(values):
    return np.asarray(values) * 2.0

def strict(x):
    if x < 0:
        raise ValueError("x must be >= 0")
    return x

np.isclose = lambda *a, **k: True  # a student's trick: it must not change the verdict
"""


def graded(source: str, grade_id: str):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "points": 1, "solution": False,
                                 "locked": True, "schema_version": 3}
    return cell


def judge(tmp_path, *tests: str) -> list[list[dict]]:
    """Run the student's cell in a kernel and each test as a graded cell; the outputs of each test cell."""
    nb = new_notebook(cells=[new_code_cell(STUDENT), *(graded(t, f"test_{i}") for i, t in enumerate(tests))])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    executor = GuardedExecute(timeout=60, release_directory=str(tmp_path))
    executor.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    return [cell.outputs for cell in nb.cells[1:]]


def errors(outputs: list[dict]) -> list[str]:
    return [f"{o['ename']}: {o['evalue']}" for o in outputs if o["output_type"] == "error"]


def test_large_arguments_and_results_cross_exactly(tmp_path):
    million = (np.random.default_rng(1).random(1_000_000) < 0.3).astype(np.int64)
    values = np.random.default_rng(2).normal(size=200_000)
    outputs = judge(tmp_path, f"""
million = (np.random.default_rng(1).random(1_000_000) < 0.3).astype(np.int64)
assert total(million) == {int(million.sum())}, total(million)
values = np.random.default_rng(2).normal(size=200_000)
back = doubled(values)
assert back.dtype == np.float64 and back.shape == (200_000,)
assert np.array_equal(back, values * 2.0)
assert float(back.sum()) == {float((values * 2.0).sum())!r}
""")
    assert errors(outputs[0]) == []


def test_the_students_exception_and_tricks_reach_the_test_as_they_should(tmp_path):
    outputs = judge(tmp_path,
                    "try:\n    strict(-1)\nexcept ValueError as e:\n    print('raised', e)\n",
                    "assert np.isclose(strict(2), 3), 'strict(2) is not 3'\n")
    assert outputs[0] == [{"output_type": "stream", "name": "stdout", "text": "raised x must be >= 0\n"}]
    assert errors(outputs[1]) == ["AssertionError: strict(2) is not 3"]


def test_a_checklist_judged_in_the_grader_gives_partial_credit_and_a_timeout_fails_the_rest_at_once(tmp_path):
    checklist = """
from helpers.feedback import Checklist, expect_close
checks = Checklist("strict")
with checks("keeps non-negative numbers", points=1):
    expect_close("strict(2)", strict(2), 2)
with checks("rejects negative numbers", points=0.5):
    expect_close("strict(-1)", strict(-1), -1)
with checks("keeps zero", points=1):
    expect_close("strict(0)", strict(0), 0)
checks.result()
"""
    slow = "import time\ndef strict(x):\n    time.sleep(30)\n    return x\n"
    nb = new_notebook(cells=[new_code_cell(STUDENT), graded(checklist, "test_a"), new_code_cell(slow),
                             graded(checklist, "test_b")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    started = time.monotonic()
    GuardedExecute(timeout=3, release_directory=str(tmp_path)).preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    first, late = nb.cells[1].outputs, nb.cells[3].outputs
    result = [o for o in first if o["output_type"] == "execute_result"]
    assert errors(first) == [] and result[0]["data"]["text/plain"] == "2.0"
    assert [c["passed"] for c in result[0]["metadata"]["checks"]] == [True, False, True]
    assert "the code raised ValueError: x must be >= 0" in first[0]["text"]
    # the first call of the slow function times out; the next checks fail at once instead of waiting again
    result = [o for o in late if o["output_type"] == "execute_result"]
    assert result[0]["data"]["text/plain"] == "0.0" and "not called: an earlier call ran longer" in late[0]["text"]
    assert time.monotonic() - started < 25
