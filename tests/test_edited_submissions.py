"""Ordinary edits never break grading: a corpus of Lab 1 submissions with copied, deleted, moved, added and retyped
cells and edited nbgrader metadata, graded by ``python -m grading grade`` in one run. None ends as *grader error*;
each is graded with the instructor's cells restored, recorded as *cells missing or altered* with a reason naming the
cell, and told so in its feedback; a student's cell is never judged as a test cell. Submission folders hold plain
files only: symbolic links, FIFOs and oversized files are neither followed nor copied, and nothing outside the
submission folder reaches the grading or the feedback."""

from __future__ import annotations

import copy
import csv
import html
import json
import os
import re
import subprocess
import sys

import nbformat
import pytest
from course import (
    HIDDEN_MARKERS,
    SOLUTION_MARKERS,
    grade_cells,
    make_course,
    nbgrader_meta,
    notebook_path,
    read_notebook,
    solution_answers,
    subprocess_env,
)
from test_grading import answered, submit

LAB = "01_distributions"
POINTS = 14
CHANGED = "cells missing or altered"


def index_of(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == grade_id)


def edited(solved, edit):
    nb = copy.deepcopy(solved)
    edit(nb)
    return nb


def meta_edit(grade_id: str, change):
    def edit(nb):
        change(nb.cells[index_of(nb, grade_id)].metadata)
    return edit


def corpus(release, solved) -> dict[str, tuple[object, float | tuple[float, float], str]]:
    """student -> (notebook, expected score or range, a word the detail must contain)."""
    def copy_cell(grade_id, where):
        def edit(nb):
            cell = copy.deepcopy(nb.cells[index_of(nb, grade_id)])
            cell.id = f"copy-{grade_id.replace('_', '-')}"
            nb.cells.insert(where(nb), cell)
        return edit

    def move(grade_id, where):
        def edit(nb):
            cell = nb.cells.pop(index_of(nb, grade_id))
            nb.cells.insert(where(nb), cell)
        return edit

    def retype(grade_id, cell_type):
        def edit(nb):
            cell = nb.cells[index_of(nb, grade_id)]
            cell.cell_type = cell_type
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
        return edit

    def delete(grade_id):
        def edit(nb):
            del nb.cells[index_of(nb, grade_id)]
        return edit

    def own_test_cell(nb):
        fake = nbformat.v4.new_code_cell("print('I pass')")
        fake.metadata["nbgrader"] = {"grade": True, "grade_id": "bonus", "locked": True, "points": 100,
                                     "solution": False, "schema_version": 3, "task": False}
        nb.cells.append(fake)

    def fake_copy_before_original(nb):
        position = index_of(nb, "test_softmax")
        fake = copy.deepcopy(nb.cells[position])
        fake.id = "fake-softmax-test"
        fake.source = "print('all checks passed')"
        nb.cells.insert(position, fake)

    def strip_all(nb):
        for cell in nb.cells:
            cell.metadata.pop("nbgrader", None)

    def add_cells(nb):
        nb.cells.insert(3, nbformat.v4.new_code_cell("scratch = 1 + 1"))
        nb.cells.insert(10, nbformat.v4.new_markdown_cell("my notes"))
        nb.cells.append(nbformat.v4.new_code_cell("print(scratch)"))

    after = {"end": lambda nb: len(nb.cells), "start": lambda nb: 0}
    cases = {
        "copied_answer_below": (copy_cell("softmax", lambda nb: index_of(nb, "softmax") + 1), POINTS, "copy"),
        "copied_test_at_end": (copy_cell("test_softmax", after["end"]), POINTS, "copy"),
        "copied_test_at_start": (copy_cell("test_gaussian_log_pdf", after["start"]), POINTS, "copy"),
        "copied_every_test_at_end": (lambda nb: [copy_cell(g, after["end"])(nb) for g in
                                                 [nbgrader_meta(c)["grade_id"] for c in nb.cells
                                                  if nbgrader_meta(c).get("grade")]], POINTS, "copy"),
        "fake_copy_before_original": (fake_copy_before_original, POINTS, "copy"),
        "deleted_answer_cell": (delete("uniform_cdf"), POINTS - 2, "missing"),
        "deleted_test_cell": (delete("test_uniform_cdf"), POINTS, "missing"),
        "moved_answer_to_end": (move("softmax", after["end"]), (POINTS - 3, POINTS - 3), "softmax"),
        "moved_summary_to_start": (lambda nb: nb.cells.insert(0, nb.cells.pop(
            next(i for i, c in enumerate(nb.cells) if c.source.startswith("## Summary")))), POINTS, ""),
        "added_cells": (add_cells, POINTS, ""),
        "test_cell_to_markdown": (retype("test_softmax", "markdown"), POINTS, "markdown"),
        "test_cell_to_raw": (retype("test_bernoulli_log_pmf", "raw"), POINTS, "raw"),
        "answer_cell_to_raw": (retype("uniform_cdf", "raw"), POINTS, "raw"),
        "grade_flag_on_answer": (meta_edit("softmax", lambda m: m["nbgrader"].update(grade=True, points=5)),
                                 POINTS, "edited"),
        "solution_flag_on_test": (meta_edit("test_softmax", lambda m: m["nbgrader"].update(solution=True)),
                                  POINTS, "edited"),
        "unlocked_test": (meta_edit("test_softmax", lambda m: m["nbgrader"].update(locked=False)), POINTS, "edited"),
        "points_raised": (meta_edit("test_softmax", lambda m: m["nbgrader"].update(points=300)), POINTS, "edited"),
        "task_flag": (meta_edit("test_softmax", lambda m: m["nbgrader"].update(task=True)), POINTS, "edited"),
        "schema_and_checksum": (meta_edit("softmax", lambda m: m["nbgrader"].update(schema_version=1,
                                                                                   checksum="0")), POINTS, "edited"),
        "renamed_test_id": (meta_edit("test_softmax", lambda m: m["nbgrader"].update(grade_id="my_test")),
                            POINTS, "my_test"),
        "renamed_answer_id": (meta_edit("softmax", lambda m: m["nbgrader"].update(grade_id="mine")), POINTS, "mine"),
        "test_metadata_deleted": (meta_edit("test_softmax", lambda m: m.pop("nbgrader")), POINTS, "restored"),
        "answer_metadata_deleted": (meta_edit("softmax", lambda m: m.pop("nbgrader")), POINTS, "missing"),
        "metadata_not_a_dict": (meta_edit("test_softmax", lambda m: m.update(nbgrader="graded!")), POINTS,
                                "test_softmax"),
        "metadata_emptied": (meta_edit("test_uniform_cdf", lambda m: m.update(nbgrader={})), POINTS,
                             "test_uniform_cdf"),
        "own_cell_with_grade_flag": (own_test_cell, POINTS, "bonus"),
        "all_metadata_stripped": (strip_all, POINTS, "restored"),
    }
    return {student: (edited(solved, edit), score, word) for student, (edit, score, word) in cases.items()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory, sandbox):
    course = make_course(tmp_path_factory.mktemp("edited") / "course", [LAB], cell_timeout=5)
    release = read_notebook(notebook_path(LAB, course / "labs"))
    solution = solution_answers(LAB)
    solved = answered(release, solution)
    cases = corpus(release, solved)
    for student, (nb, _, _) in cases.items():
        submit(course, LAB, student, nb)

    # folders that are not plain files: links into the course, a FIFO, a file over the size limit
    submit(course, LAB, "linked_folder", solved)
    folder = course / "submitted" / "linked_folder" / LAB
    os.symlink(course / "solutions" / LAB / f"{LAB}.ipynb", folder / "answers.ipynb")
    os.symlink(course / "solutions", folder / "solutions")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    os.mkfifo(folder / "pipe")
    with open(folder / "huge.bin", "wb") as handle:
        handle.truncate(101 * 1024 * 1024)
    (folder / "data.csv").write_text("x\n1\n")
    linked = course / "submitted" / "linked_notebook" / LAB
    linked.mkdir(parents=True)
    os.symlink(course / "solutions" / LAB / f"{LAB}.ipynb", linked / f"{LAB}.ipynb")

    result = subprocess.run([sys.executable, "-m", "grading", "grade", LAB, "--workers", "2", "--cell-timeout", "5"],
                            cwd=course, env=subprocess_env(), capture_output=True, text=True, timeout=900)
    feedback = subprocess.run([sys.executable, "-m", "grading", "feedback", LAB], cwd=course, env=subprocess_env(),
                              capture_output=True, text=True, timeout=600)
    with (course / "grades.csv").open(encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    return course, cases, rows, result, feedback


def test_no_edit_is_a_grader_error_and_each_is_graded_with_the_cells_restored(graded):
    course, cases, rows, result, _ = graded
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    problems = []
    for student, (_, score, _) in cases.items():
        row = rows[student]
        low, high = score if isinstance(score, tuple) else (score, score)
        if row["outcome"] == "grader error" or not low <= float(row["score"]) <= high or float(row["max_score"]) != 14:
            problems.append(f"{student}: {row['outcome']} {row['score']}/{row['max_score']} ({row['detail']})")
    assert not problems, "\n".join(problems)
    assert len(cases) >= 25


def test_each_edit_is_recorded_with_a_reason_naming_the_cell(graded):
    _, cases, rows, _, _ = graded
    vague = []
    for student, (_, _, word) in cases.items():
        if not word:  # adding or moving unlocked cells is no change to the instructor's cells
            if rows[student]["outcome"] != "graded":
                vague.append(f"{student}: {rows[student]['outcome']} ({rows[student]['detail']})")
            continue
        detail = rows[student]["detail"]
        if rows[student]["outcome"] != CHANGED or word not in detail or not re.search(r"cell \d+|test_|answer", detail):
            vague.append(f"{student}: {rows[student]['outcome']} ({detail})")
    assert not vague, "\n".join(vague)


def test_a_students_cell_is_never_judged_as_a_test_cell(graded):
    course, _, rows, _, _ = graded
    instructor = grade_cells(read_notebook(notebook_path(LAB, course / "solutions")))
    for student in ("own_cell_with_grade_flag", "fake_copy_before_original", "renamed_test_id"):
        nb = read_notebook(course / "autograded" / student / LAB / f"{LAB}.ipynb")
        graded_cells = [c for c in nb.cells if nbgrader_meta(c).get("grade")]
        assert sorted(nbgrader_meta(c)["grade_id"] for c in graded_cells) == sorted(
            nbgrader_meta(c)["grade_id"] for c in read_notebook(notebook_path(LAB, course / "labs")).cells
            if nbgrader_meta(c).get("grade")), student
        for cell in graded_cells:  # the instructor's test cell, hidden tests included, and nothing else
            assert cell.source == instructor[nbgrader_meta(cell)["grade_id"]].source, student
    assert float(rows["own_cell_with_grade_flag"]["max_score"]) == POINTS


def test_feedback_tells_the_student_what_was_restored(graded):
    course, _, _, _, feedback = graded
    assert feedback.returncode == 0, feedback.stdout + feedback.stderr
    page = (course / "feedback" / "copied_test_at_end" / LAB / f"{LAB}.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "Note from the grader" in text and "a copy of test_softmax" in text


def test_links_fifos_and_huge_files_are_not_followed_and_nothing_outside_reaches_the_feedback(graded):
    course, _, rows, _, _ = graded
    row = rows["linked_folder"]
    assert row["outcome"] == CHANGED and float(row["score"]) == POINTS, row
    for name in ("answers.ipynb: a symbolic link", "solutions: a symbolic link", "passwd.txt: a symbolic link",
                 "pipe: a FIFO", "huge.bin: over"):
        assert name in row["detail"], (name, row["detail"])
    staged = course / "autograded" / "linked_folder" / LAB
    assert sorted(p.name for p in staged.iterdir()) == ["01_distributions.ipynb", "data.csv"]
    linked = rows["linked_notebook"]
    assert linked["outcome"] == "not a valid notebook" and "symbolic link" in linked["detail"]
    assert float(linked["score"]) == 0
    solution_lines = {line.strip() for c in read_notebook(notebook_path(LAB)).cells for line in c.source.splitlines()
                      if len(line.strip()) > 30}
    for page in (course / "feedback").rglob("*.html"):
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
        for marker in (*SOLUTION_MARKERS, *HIDDEN_MARKERS, "root:x:0:0"):
            assert marker not in text, (page, marker)
    assert not (course / "feedback" / "linked_notebook").exists()
    assert solution_lines  # the instructor's notebook exists; none of its hidden lines is in any page (above)
    outcome = json.loads((course / "outcomes" / LAB / "linked_folder.json").read_text(encoding="utf-8"))
    assert len(outcome["skipped"]) == 5
