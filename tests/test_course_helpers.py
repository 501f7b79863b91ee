"""One ``helpers`` for grader and kernel (grading.course, grading.sandbox): a course graded from another checkout
than the one the venv was built in gives its kernels its own helpers, a grading run whose kernels cannot import
them refuses to start and says why, and the course version tells two checkouts apart only by what decides a
grade."""

from __future__ import annotations

import shutil
import subprocess
import sys

import nbformat
import pytest
from course import (
    ROOT,
    grade_cells,
    make_course,
    notebook_path,
    read_notebook,
    solution_answers,
    subprocess_env,
)
from test_grading import answered, submit

from grading.course import course_version

LAB = "01_distributions"
MARKER = "helpers of the second checkout"


def grade(course, *args):
    return subprocess.run([sys.executable, "-m", "grading", "grade", LAB, "--workers", "1", "--cell-timeout", "20",
                           *args], cwd=course, env=subprocess_env(), capture_output=True, text=True, timeout=600)


def solved(course):
    release = read_notebook(notebook_path(LAB, course / "labs"))
    solution = solution_answers(LAB)
    return answered(release, solution)


@pytest.mark.parametrize("options", [(), ("--no-sandbox",)], ids=["sandbox", "no sandbox"])
def test_a_second_checkout_grades_with_its_own_helpers(tmp_path, sandbox, options):
    """The venv's editable install points at this checkout; a second one (with its own grading and helpers, as a
    worker's clone) is graded with the same venv, and its students' kernels import the second checkout's helpers,
    in the sandbox (a bind) or without it (PYTHONPATH)."""
    clone = make_course(tmp_path / "clone", [LAB], cell_timeout=20)
    for package in ("helpers", "grading"):
        shutil.copytree(ROOT / package, clone / package, ignore=shutil.ignore_patterns("__pycache__"))
    (clone / "helpers" / "_checkout.py").write_text(f"WHERE = {MARKER!r}\n", encoding="utf-8")
    nb = solved(clone)
    nb.cells.append(nbformat.v4.new_code_cell("from helpers._checkout import WHERE\nprint(WHERE)"))
    submit(clone, LAB, "student", nb)

    result = grade(clone, *options)
    assert result.returncode == 0, result.stdout + result.stderr
    graded = read_notebook(clone / "autograded" / "student" / LAB / f"{LAB}.ipynb")
    outputs = [output for cell in graded.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]
    assert MARKER in "".join(output.get("text", "") for output in outputs)
    errors = [f"{o.ename}: {o.evalue}" for o in outputs if o.output_type == "error"]
    assert errors == []
    assert "14/14" in result.stdout.replace(" ", "")


def test_grading_refuses_to_start_when_kernels_cannot_import_the_course_helpers(tmp_path, sandbox):
    """Without the bind of the grader's helpers the sandboxed kernel falls back on the venv's editable install,
    whose folder it cannot see: the run refuses before grading anyone, and says why."""
    course = make_course(tmp_path / "course", [LAB], cell_timeout=20)
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as handle:
        handle.write("\nc.SandboxedKernelManager.packages = []\n")
    submit(course, LAB, "student", solved(course))

    result = grade(course)
    assert result.returncode != 0
    assert "refuses to start" in result.stderr
    assert "cannot import the course's helpers" in result.stderr and "ModuleNotFoundError" in result.stderr
    assert not (course / "outcomes").exists() and not (course / "autograded").exists()


def test_grading_refuses_when_the_course_has_other_helpers_than_the_grader(tmp_path):
    """A course folder with its own helpers, graded by a grader that imports another copy (``--root``)."""
    course = make_course(tmp_path / "course", [LAB], cell_timeout=20)
    shutil.copytree(ROOT / "helpers", course / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    submit(course, LAB, "student", solved(course))
    result = subprocess.run([sys.executable, "-m", "grading", "--root", str(course), "grade", LAB], cwd=tmp_path,
                            env=subprocess_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "has its own helpers, but the grader imports" in result.stderr


def test_course_version_ignores_where_the_gradebook_is_and_sees_every_test(tmp_path):
    first = make_course(tmp_path / "first", [LAB])
    second = make_course(tmp_path / "second", [LAB])
    assert "gradebook" in (first / "nbgrader_config.py").read_text() != (second / "nbgrader_config.py").read_text()
    assert course_version(first) == course_version(second)

    source = notebook_path(LAB, second / "solutions")
    nb = read_notebook(source)
    test_cell = next(iter(grade_cells(nb).values()))
    test_cell.source += "\n# one more hidden line"
    nbformat.write(nb, str(source))
    assert course_version(first) != course_version(second)
    third = make_course(tmp_path / "third", [LAB], cell_timeout=7)
    assert course_version(first) != course_version(third)
