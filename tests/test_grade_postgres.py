"""The grading command against a real PostgreSQL gradebook: a PostgreSQL server started for this module on
loopback (Debian's postgresql package), a small class graded by two grading processes at once, sharded by
student, into a brand-new database, and the same grades as the default sqlite gradebook.

Without the PostgreSQL server programs the test is skipped (``apt-get install postgresql``), except under CI
(``CI=true``), where it fails: CI installs them. As root, the server runs as the ``postgres`` system user,
since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from course import (
    VENV_BIN,
    make_course,
    notebook_path,
    read_notebook,
    run,
    solution_answers,
    subprocess_env,
)
from nbgrader.api import Gradebook, SubmittedAssignment
from services import postgres_server
from test_grading import answered, submit
from wrong_answers import bank

from grading.run import Settings

LAB = "01_distributions"
CELL_TIMEOUT = 5  # seconds a cell may run while grading; every solution cell takes well under 1 s


@pytest.fixture(scope="module")
def postgres():
    """A throwaway PostgreSQL server (``services.postgres_server``): a function that creates a database, by URL."""
    with postgres_server() as new_database:
        yield new_database


def class_of(course: Path) -> list[str]:
    """A small class in ``course``: the solution, the untouched lab, three students with wrong answers from the
    bank (a different mistake in a different exercise each), and a corrupt file. Returns the student ids."""
    release = read_notebook(notebook_path(LAB, course / "labs"))
    solution = solution_answers(LAB)
    submit(course, LAB, "solution", answered(release, solution))
    submit(course, LAB, "untouched", release)
    for k, (exercise, mistakes) in enumerate(list(bank(LAB).items())[:3]):
        wrong = list(mistakes.values())[k % len(mistakes)]
        submit(course, LAB, f"wrong_{k + 1}", answered(release, {**solution, exercise: wrong}))
    submit(course, LAB, "broken_json", text='{"cells": [')
    return sorted(p.name for p in (course / "submitted").iterdir())


def gradebook_scores(db_url: str, students: list[str]) -> dict[str, dict[str, tuple[float, float]]]:
    """(score, max score) of every graded cell, by student and grade_id; asserts the gradebook is consistent:
    one assignment, one submission per student, nothing waiting for manual grading."""
    found = {}
    with Gradebook(db_url) as gradebook:
        assert [a.name for a in gradebook.assignments] == [LAB]
        assert sorted(s.id for s in gradebook.students) == students
        submissions = gradebook.db.query(SubmittedAssignment).all()
        assert sorted(s.student.id for s in submissions) == students, "every student needs exactly one submission"
        for student in students:
            submission = gradebook.find_submission(LAB, student)
            grades = [grade for notebook in submission.notebooks for grade in notebook.grades]
            manual = [grade.name for grade in grades if grade.needs_manual_grade]
            assert not manual, f"{student}: cells left for manual grading in {db_url}: {manual}"
            found[student] = {grade.name: (grade.score, grade.max_score) for grade in grades}
    return found


def grade_command(*args: str, db_url: str | None = None) -> list[str]:
    gradebook = ["--db-url", db_url] if db_url else []
    return ["python", "-m", "grading", *gradebook, "grade", LAB, "--workers", "1", "--cell-timeout", str(CELL_TIMEOUT),
            *args]


def test_two_sharded_graders_on_postgres_match_sqlite(postgres, tmp_path, sandbox):
    reference = make_course(tmp_path / "sqlite", [LAB], cell_timeout=CELL_TIMEOUT)
    shared = make_course(tmp_path / "postgres", [LAB], cell_timeout=CELL_TIMEOUT)
    students = class_of(reference)
    assert class_of(shared) == students

    result = run(grade_command(), cwd=reference, timeout=600)
    assert result.returncode == 0, f"grading with sqlite failed:\n{result.stdout}\n{result.stderr}"
    expected = gradebook_scores(f"sqlite:///{reference / 'gradebook.db'}", students)

    # Two graders at once into a database with no tables yet: both create the schema and register the lab.
    db_url = postgres("gradebook")
    graders = []
    for shard in ("0/2", "1/2"):
        command = grade_command("--shard", shard, "--no-report", db_url=db_url)
        graders.append(subprocess.Popen([str(VENV_BIN / "python"), *command[1:]], cwd=shared, env=subprocess_env(),
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    logs = []
    try:
        for grader in graders:
            logs.append(grader.communicate(timeout=600)[0])
    finally:
        for grader in graders:
            if grader.poll() is None:
                grader.kill()
                grader.wait()
    for shard, (grader, log) in enumerate(zip(graders, logs, strict=True)):
        assert grader.returncode == 0, f"grader of shard {shard}/2 failed:\n{log}"
    assert sum(int(log.split("graded ")[-1].split()[0]) for log in logs) == len(students), "\n".join(logs)

    got = gradebook_scores(db_url, students)
    assert got == expected, "PostgreSQL and sqlite gradebooks differ"
    assert sum(s for s, _ in got["solution"].values()) == sum(m for _, m in got["solution"].values()) > 0
    assert sum(s for s, _ in got["untouched"].values()) == 0
    for student in students:
        if student.startswith("wrong_"):
            assert any(s < m for s, m in got[student].values()), f"{student} kept full marks"

    outcomes = Settings(root=str(shared), db_url=db_url).ledger.all()
    assert sorted(o.student for o in outcomes) == students, "every submission needs exactly one recorded outcome"
    assert {o.student: o.cells for o in outcomes} == {s: {k: list(v) for k, v in cells.items()}
                                                        for s, cells in got.items()}


SET_UP_AT = """
import sys, time
from grading.run import Settings, ensure_assignments
start = float(sys.argv[3])
while time.time() < start:
    pass
ensure_assignments(Settings(root=sys.argv[1], db_url=sys.argv[2]), [sys.argv[4]])
"""


def test_graders_started_at_once_set_up_a_new_database_in_turn(postgres, tmp_path, sandbox):
    """Three graders that set up the same brand-new database at the same instant (a busy-wait on the clock lines
    them up) all succeed: without grading.run.setup_lock, most runs of this test fail with 'already exists' (the
    tables, the course, the lab)."""
    course = make_course(tmp_path / "course", [LAB], cell_timeout=CELL_TIMEOUT)
    for round_ in range(3):
        db_url = postgres(f"setup_{round_}")
        start = time.time() + 5  # every interpreter is up by then
        setters = [subprocess.Popen([str(VENV_BIN / "python"), "-c", SET_UP_AT, str(course), db_url, str(start), LAB],
                                    cwd=course, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True) for _ in range(3)]
        logs = [setter.communicate(timeout=300)[0] for setter in setters]
        for setter, log in zip(setters, logs, strict=True):
            assert setter.returncode == 0, f"round {round_}: setting up the gradebook failed:\n{log[-3000:]}"
        with Gradebook(db_url) as gradebook:
            assert [a.name for a in gradebook.assignments] == [LAB]
            assert gradebook.find_assignment(LAB).max_score > 0
