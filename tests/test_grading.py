"""The grading round trip through real nbgrader: generate the lab, submit notebooks, autograde them with the
course's grading command (nbgrader's autograde underneath), read the gradebook. For every lab: the solution
earns full marks, the untouched lab earns nothing, every correct answer in the lab's bank of differently written
right answers earns full marks, and every plausible wrong answer in its bank of wrong answers loses points:
exactly the points of the named checks it fails. One grading run per lab grades all of them. Broken and hostile
submissions are in test_grade_command.py, edited ones in test_edited_submissions.py."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest
from course import (
    grade_cells,
    lab_names,
    make_course,
    notebook_path,
    read_notebook,
    solution_answers,
    solution_cells,
    subprocess_env,
)
from nbgrader.api import Gradebook
from right_answers import bank as right_bank
from wrong_answers import bank

CELL_TIMEOUT = 5  # seconds a cell may run while grading here; every solution cell takes well under 1 s


def submit(course, lab: str, student: str, nb=None, text: str | None = None) -> None:
    """Put a submission where nbgrader collects it: submitted/<student>/<lab>/<lab>.ipynb."""
    folder = course / "submitted" / student / lab
    folder.mkdir(parents=True)
    path = folder / f"{lab}.ipynb"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    else:
        nbformat.write(nb, str(path))


def answered(release, answers: dict[str, str]):
    """The student lab with the answer cells named in ``answers`` (grade_id -> source) filled in."""
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    for grade_id, cell in solution_cells(nb).items():
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def scores(course, lab: str, student: str) -> dict[str, tuple[float, float]]:
    """(score, max score) of every graded cell of the student's notebook, by grade_id."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(lab, lab, student)
        return {grade.name: (grade.score, grade.max_score) for grade in notebook.grades}


def bank_submissions(answers: dict[str, dict[str, str]], prefix: str) -> dict[str, dict[str, tuple[str, str]]]:
    """Submissions <prefix>_1, <prefix>_2, ...: the k-th answer of every exercise's bank at once (label, source),
    each exercise graded by its own test cell, so one autograde run checks the whole bank."""
    depth = max((len(v) for v in answers.values()), default=0)
    return {f"{prefix}_{k + 1}": {ex: list(v.items())[k] for ex, v in answers.items() if k < len(v)}
            for k in range(depth)}


def wrong_submissions(lab: str) -> dict[str, dict[str, tuple[str, str]]]:
    return bank_submissions(bank(lab), "wrong")


def round_trip(lab: str, tmp_path) -> None:
    course = make_course(tmp_path / "course", [lab], cell_timeout=CELL_TIMEOUT)
    release = read_notebook(notebook_path(lab, course / "labs"))
    source = read_notebook(notebook_path(lab))
    solution = solution_answers(lab)
    assert bank(lab), f"{lab} has no bank of wrong answers in tests/wrong_answers"
    assert set(bank(lab)) == set(solution), "every exercise needs plausible wrong answers, and only exercises"
    assert set(right_bank(lab)) == set(solution), f"every exercise of {lab} needs right answers in tests/right_answers"
    short = [ex for ex, answers in right_bank(lab).items() if len(answers) < 4]
    assert not short, f"exercises with fewer than four right answers: {short}"

    submit(course, lab, "solution", answered(release, solution))
    submit(course, lab, "untouched", release)
    wrong = wrong_submissions(lab)
    right = bank_submissions(right_bank(lab), "right")
    for student, answers in {**wrong, **right}.items():
        submit(course, lab, student, answered(release, {**solution, **{ex: src for ex, (_, src) in answers.items()}}))
    result = subprocess.run([sys.executable, "-m", "grading", "grade", lab, "--workers", "2",
                             "--cell-timeout", str(CELL_TIMEOUT)], cwd=course, env=subprocess_env(),
                            capture_output=True, text=True, timeout=900)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log

    points = {tid: cell.metadata.nbgrader["points"] for tid, cell in grade_cells(source).items()}
    got = scores(course, lab, "solution")
    assert got == {tid: (p, p) for tid, p in points.items()}, f"the solution lost points:\n{log[-3000:]}"
    assert sum(s for s, _ in scores(course, lab, "untouched").values()) == 0
    outcomes = {student: json.loads((course / "outcomes" / lab / f"{student}.json").read_text(encoding="utf-8"))
                for student in ["solution", "untouched", *wrong, *right]}
    for student, outcome in outcomes.items():
        assert outcome["status"] == "graded", f"{student}: {outcome['status']} ({outcome['detail']})"
    for test_id in points:
        checks = outcomes["solution"]["checks"].get(test_id)
        assert checks and all(c["passed"] for c in checks), f"{test_id}: the solution's named checks {checks}"
        assert sum(c["points"] for c in checks) == points[test_id], f"{test_id}: checks and points disagree"

    lost = []
    for student, answers in right.items():
        got = scores(course, lab, student)
        for exercise, (label, _) in answers.items():
            score, max_score = got[f"test_{exercise}"]
            if score < max_score:
                failed = [c["name"] for c in outcomes[student]["checks"].get(f"test_{exercise}", []) if not c["passed"]]
                lost.append(f"{exercise}: {label} ({score:g}/{max_score:g}; failed {failed})")
    assert not lost, "right answers that lost points:\n" + "\n".join(lost)

    kept = []
    for student, mistakes in wrong.items():
        got = scores(course, lab, student)
        for exercise, (label, _) in mistakes.items():
            score, max_score = got[f"test_{exercise}"]
            checks = outcomes[student]["checks"].get(f"test_{exercise}", [])
            failed = sum(c["points"] for c in checks if not c["passed"])
            if score >= max_score:
                kept.append(f"{exercise}: {label}")
            elif checks:  # a cell that failed outside its checks (a crash) records none and scores 0
                assert score == pytest.approx(max_score - failed), f"{exercise}: {label}: {score} but {checks}"
    assert not kept, "wrong answers that kept full marks:\n" + "\n".join(kept)


def _round_trip_test(lab: str) -> type:
    """The round trip of ``lab`` as a test class of its own: ``--dist=loadscope`` (pyproject.toml) sends each class
    to whichever worker is free, so the labs' round trips (most of a minute of real nbgrader each) share both cores
    instead of queueing on one, as a module's tests do."""
    def test_round_trip(self, tmp_path, sandbox):
        round_trip(lab, tmp_path)

    return type(f"TestRoundTrip_{lab}", (), {"test_round_trip": test_round_trip, "__doc__": f"Round trip of {lab}."})


for _lab in lab_names():
    globals()[f"TestRoundTrip_{_lab}"] = _round_trip_test(_lab)
