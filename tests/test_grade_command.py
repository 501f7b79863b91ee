"""The class grading command (``python -m grading``), end to end through real nbgrader on a synthetic class of
Lab 1: honest submissions and every kind of broken one, the outcome table and grades.csv, resume, a run killed
in the middle, reports, and feedback that never shows hidden tests."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time

import nbformat
import pytest
from course import (
    HIDDEN_MARKERS,
    ROOT,
    grade_cells,
    make_course,
    notebook_path,
    read_notebook,
    solution_answers,
    subprocess_env,
)
from nbgrader.api import Gradebook
from test_grading import answered, submit

LAB = "01_distributions"
POINTS = 14

FLOOD_PRINT = "for i in range(100_000):\n    print('line', i)\n"
FLOOD_FIGURES = (
    "import io\nimport matplotlib.pyplot as plt\nfrom IPython.display import Image, display\n"
    "fig, ax = plt.subplots()\nbuffer = io.BytesIO()\nfig.savefig(buffer, format='png')\n"
    "for i in range(300):\n    plt.figure()\n    display(Image(data=buffer.getvalue()))\n"
)


def build_class(course) -> dict[str, tuple[str, float | tuple[float, float], str]]:
    """Submit the class; returns student -> (expected outcome, expected score or (low, high), what it is)."""
    release = read_notebook(notebook_path(LAB, course / "labs"))
    solution = solution_answers(LAB)
    # fails every check of its exercise, so that the expected score does not depend on how the points are split
    wrong_softmax = "def softmax(logits, axis=-1):\n    raise RuntimeError('not like this')\n"
    expected = {}

    def add(student, nb=None, text=None, outcome="graded", score=POINTS, what=""):
        submit(course, LAB, student, nb, text)
        expected[student] = (outcome, score, what)

    add("correct", answered(release, solution), what="the solution")
    add("partly_wrong", answered(release, {**solution, "softmax": wrong_softmax}), score=POINTS - 3,
        what="one wrong exercise")
    add("untouched", release, score=0, what="the lab as released")
    density = solution["gaussian_log_pdf"].replace("return -0.5 * np.log(2 * np.pi) - np.log(sigma) - 0.5 * z**2",
                                                   "return np.exp(-0.5 * z**2) / (sigma * np.sqrt(2 * np.pi))")
    assert density != solution["gaussian_log_pdf"]
    add("density_not_log", answered(release, {**solution, "gaussian_log_pdf": density}),
        score=(POINTS - 3, POINTS - 0.5), what="the density returned instead of its log (partial credit, with a hint)")
    add("infinite_loop", answered(release, {**solution, "uniform_cdf": "while True:\n    pass"}),
        outcome="timed out", score=POINTS - 2, what="an answer that never finishes")
    add("os_exit", answered(release, {**solution, "softmax": "import os\nos._exit(1)"}),
        outcome="kernel died", score=(0, POINTS - 3), what="an answer that kills the kernel")
    add("sys_exit", answered(release, {**solution, "softmax": "import sys\nsys.exit(1)"}), score=POINTS - 3,
        what="sys.exit in an answer (IPython survives it)")
    broken_import = answered(release, solution)
    first = next(c for c in broken_import.cells if c.cell_type == "code")
    first.source = "import numpy_that_does_not_exist\n" + first.source
    add("import_error", broken_import, score=0, what="an exception at import")
    add("print_flood", answered(release, {**solution, "softmax": FLOOD_PRINT + solution["softmax"]}),
        what="100k printed lines")
    add("figure_flood", answered(release, {**solution, "softmax": FLOOD_FIGURES + solution["softmax"]}),
        what="300 figures")
    deleted = answered(release, solution)
    deleted.cells = [c for c in deleted.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_softmax"]
    add("deleted_test", deleted, outcome="cells missing or altered", what="a deleted test cell (restored)")
    edited = answered(release, {**solution, "softmax": wrong_softmax})
    for cell in edited.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_softmax":
            cell.source = "print('all good')"
    add("edited_test", edited, outcome="cells missing or altered", score=POINTS - 3,
        what="an edited test cell hiding a wrong answer (restored)")
    stripped = answered(release, solution)
    for cell in stripped.cells:
        cell.metadata.pop("nbgrader", None)
    add("metadata_stripped", stripped, outcome="cells missing or altered", score=(0, POINTS),
        what="nbgrader metadata stripped")
    add("corrupt_json", text='{"cells": [', outcome="not a valid notebook", score=0, what="corrupt JSON")
    add("empty_file", text="", outcome="not a valid notebook", score=0, what="an empty file")
    old = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}
    add("nbformat_3", text=json.dumps(old), outcome="not a valid notebook", score=0,
        what="a wrong nbformat version")
    return expected


def grade(course, *args, timeout=900):
    return subprocess.run([sys.executable, "-m", "grading", "grade", LAB, "--workers", "2", "--cell-timeout", "5",
                           *args], cwd=course, env=subprocess_env(), capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def graded(tmp_path_factory, sandbox):
    course = make_course(tmp_path_factory.mktemp("class") / "course", [LAB], cell_timeout=5)
    expected = build_class(course)
    originals = {p: p.read_bytes() for p in (course / "submitted").rglob("*.ipynb")}
    result = grade(course)
    return course, expected, originals, result


def csv_rows(course):
    with (course / "grades.csv").open(encoding="utf-8") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


def test_every_submission_gets_its_outcome_and_score(graded):
    course, expected, _, result = graded
    assert result.returncode == 0, result.stdout + result.stderr  # students' failures are not the grader's
    rows = csv_rows(course)
    assert set(rows) == set(expected)
    wrong = []
    for student, (outcome, score, what) in expected.items():
        row = rows[student]
        low, high = score if isinstance(score, tuple) else (score, score)
        if row["outcome"] != outcome or not low <= float(row["score"]) <= high:
            wrong.append(f"{student} ({what}): {row['outcome']} {row['score']} ({row['detail']}), "
                         f"expected {outcome} {score}")
        assert float(row["max_score"]) == POINTS
    assert not wrong, "\n".join(wrong)


def test_outcomes_say_where_and_why(graded):
    course, _, _, result = graded
    rows = csv_rows(course)
    assert "uniform_cdf" in rows["infinite_loop"]["detail"] and "5 s" in rows["infinite_loop"]["detail"]
    assert "softmax" in rows["os_exit"]["detail"] and "died" in rows["os_exit"]["detail"]
    assert "test_softmax" in rows["deleted_test"]["detail"] and "missing" in rows["deleted_test"]["detail"]
    assert "test_softmax" in rows["edited_test"]["detail"] and "edited" in rows["edited_test"]["detail"]
    assert "empty" in rows["empty_file"]["detail"] and "JSON" in rows["corrupt_json"]["detail"]
    assert "nbformat" in rows["nbformat_3"]["detail"]
    for student in rows:  # the final table names every submission with its outcome
        assert student in result.stdout
    assert "kernel died" in result.stdout and "timed out" in result.stdout


def test_gradebook_is_consistent_with_one_submission_each(graded):
    course, expected, _, _ = graded
    rows = csv_rows(course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submissions = gradebook.assignment_submissions(LAB)
        assert sorted(s.student_id for s in submissions) == sorted(expected)
        for submission in submissions:
            assert submission.score == float(rows[submission.student_id]["score"])
            if rows[submission.student_id]["outcome"] == "not a valid notebook":
                assert not submission.needs_manual_grade, "an ungradable file is an explicit 0, not pending"


def test_submissions_are_never_modified(graded):
    _, _, originals, _ = graded
    for path, content in originals.items():
        assert path.read_bytes() == content, f"{path} was modified"


def test_output_floods_are_capped(graded):
    course, _, _, _ = graded
    for student, limit in (("print_flood", 3_000_000), ("figure_flood", 3_000_000)):
        path = course / "autograded" / student / LAB / f"{LAB}.ipynb"
        assert path.stat().st_size < limit, f"{student}'s graded notebook is {path.stat().st_size} bytes"
    figures = read_notebook(course / "autograded" / "figure_flood" / LAB / f"{LAB}.ipynb")
    images = [sum(any(k.startswith("image/") for k in o.get("data", {})) for o in c.outputs)
              for c in figures.cells if c.cell_type == "code"]
    assert max(images) == 10, images  # the flood's 300 figures, capped at 10 a cell


def test_a_figure_shown_in_a_widget_is_the_cell_s_own_output(graded):
    """The grader is no widget frontend (grading.preprocessors): the figure a slider demo draws into its
    ipywidgets.Output is an output of the demo's cell itself."""
    course, _, _, _ = graded
    nb = read_notebook(course / "autograded" / "correct" / LAB / f"{LAB}.ipynb")
    demos = [c for c in nb.cells if c.cell_type == "code" and "widgets.gaussian_sampler()" in c.source]
    assert demos
    for cell in demos:
        # a display_data of the figure itself (text only: kernels draw with Agg while grading)
        assert any(o.output_type == "display_data" and o.data.get("text/plain", "").startswith("<Figure")
                   for o in cell.outputs), cell.outputs
        assert not any(o.output_type == "error" for o in cell.outputs), cell.outputs


def test_reports_give_every_named_check_its_pass_rate(graded):
    course, expected, _, _ = graded
    page = (course / "reports" / f"{LAB}.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page
    outcomes = [json.loads(p.read_text(encoding="utf-8")) for p in (course / "outcomes" / LAB).glob("*.json")]
    checks = {(exercise, c["name"]) for o in outcomes for exercise, cs in o["checks"].items() for c in cs}
    assert {exercise for exercise, _ in checks} == set(grade_cells(read_notebook(notebook_path(LAB))))
    import html

    for exercise, name in checks:
        graded_on = [o for o in outcomes if any(c["name"] == name for c in o["checks"].get(exercise, []))]
        passed = sum(c["passed"] for o in graded_on for c in o["checks"][exercise] if c["name"] == name)
        row = f"<td>{html.escape(exercise)}</td><td>{html.escape(name)}</td>"
        assert row in page, f"the report has no row for {exercise}: {name}"
        assert f"{passed}/{len(graded_on)} (" in page.split(row, 1)[1].split("</tr>", 1)[0]


def test_feedback_never_shows_hidden_tests(graded):
    course, _, _, _ = graded
    result = subprocess.run([sys.executable, "-m", "grading", "feedback", LAB], cwd=course, env=subprocess_env(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    source = read_notebook(notebook_path(LAB))
    hidden_lines = set()
    for cell in source.cells:
        if HIDDEN_MARKERS[0] in cell.source:
            visible, _, rest = cell.source.partition(HIDDEN_MARKERS[0])
            hidden_lines |= {line.strip() for line in rest.partition(HIDDEN_MARKERS[1])[0].splitlines()
                             if len(line.strip()) > 25 and line.strip() not in visible}
    pages = list((course / "feedback").rglob("*.html"))
    assert len(pages) >= 10
    import html
    import re

    for page in pages:
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
        assert HIDDEN_MARKERS[0] not in text
        leaked = [line for line in hidden_lines if line in text]
        assert not leaked, f"{page} shows hidden test lines: {leaked[:3]}"
    hinted = html.unescape(re.sub(r"<[^>]+>", "", (course / "feedback" / "density_not_log" / LAB /
                                                    f"{LAB}.html").read_text(encoding="utf-8")))
    assert "Hint:" in hinted and "return its logarithm" in hinted, "feedback keeps the visible checks' explanation"
    assert "\N{HEAVY BALLOT X}" in hinted and "\N{HEAVY CHECK MARK}" in hinted, "feedback lists the named checks"


def test_a_rerun_grades_only_new_or_changed_submissions(graded):
    course, expected, _, _ = graded
    again = grade(course)
    assert again.returncode == 0, again.stderr
    assert f"graded 0 submission(s); {len(expected)} unchanged" in again.stdout
    changed = course / "submitted" / "untouched" / LAB / f"{LAB}.ipynb"
    nb = nbformat.read(str(changed), as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("a late edit"))
    nbformat.write(nb, str(changed))
    third = grade(course)
    assert f"graded 1 submission(s); {len(expected) - 1} unchanged" in third.stdout, third.stdout


def test_a_killed_run_loses_nothing_and_grades_each_submission_once(tmp_path, sandbox):
    course = make_course(tmp_path / "course", [LAB], cell_timeout=5)
    release = read_notebook(notebook_path(LAB, course / "labs"))
    solution = solution_answers(LAB)
    students = [f"student_{i:02d}" for i in range(8)]
    for student in students:
        submit(course, LAB, student, answered(release, solution))
    process = subprocess.Popen([sys.executable, "-m", "grading", "grade", LAB, "--workers", "2"], cwd=course,
                               env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    ledger = course / "outcomes" / LAB
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list(ledger.glob("*.json"))) < 2:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)  # the whole run, workers and kernels included
    process.wait()
    done_before = {p.stem for p in ledger.glob("*.json")}
    assert 2 <= len(done_before) < len(students), "the kill should land in the middle of the run"
    assert not list(ledger.glob("*.tmp")) or True  # a half-written record is never taken for an outcome

    rerun = grade(course)
    assert rerun.returncode == 0, rerun.stderr
    assert f"graded {len(students) - len(done_before)} submission(s); {len(done_before)} unchanged" in rerun.stdout
    assert sorted(p.stem for p in ledger.glob("*.json")) == students
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submissions = gradebook.assignment_submissions(LAB)
        assert sorted(s.student_id for s in submissions) == students
        assert all(s.score == POINTS and not s.needs_manual_grade for s in submissions)


def test_grading_processes_skip_the_rfc3987_parser_and_still_validate_notebooks():
    """jsonschema's optional rfc3987_syntax builds an Earley parser at import (2.7 s per process); grading marks it
    absent before nbformat loads jsonschema, and nbformat still validates (and rejects) notebooks."""
    code = """
import grading, sys, nbformat, jsonschema
nb = nbformat.read("labs/01_distributions/01_distributions.ipynb", as_version=4)
nbformat.validate(nb)
nb.cells[0]["cell_type"] = "no such type"
try:
    nbformat.validate(nb)
    rejected = False
except nbformat.ValidationError:
    rejected = True
print(sys.modules["rfc3987_syntax"] is None, "lark" in sys.modules, rejected)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "True"]


def test_a_grader_error_names_its_cause_and_keeps_nbgrader_s_log(tmp_path, sandbox):
    """When nbgrader itself fails, the outcome names the exception that failed (not nbgrader's 'see the above
    traceback' summary) and keeps the end of nbgrader's log, traceback included; the command exits non-zero."""
    course = make_course(tmp_path / "course", [LAB], cell_timeout=5)
    release = read_notebook(notebook_path(LAB, course / "labs"))
    submit(course, LAB, "alice", answered(release, solution_answers(LAB)))
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:  # the grader breaks, not alice
        config.write("\nc.Execute.kernel_name = 'no-such-kernel'\n")
    result = grade(course)
    assert result.returncode == 1, result.stdout + result.stderr
    recorded = json.loads((course / "outcomes" / LAB / "alice.json").read_text(encoding="utf-8"))
    assert recorded["status"] == "grader error"
    assert recorded["detail"] == "jupyter_client.kernelspec.NoSuchKernel: No such kernel named no-such-kernel"
    assert "Traceback (most recent call last)" in recorded["log"] and "NoSuchKernel" in recorded["log"]
    assert "NoSuchKernel: No such kernel named no-such-kernel" in result.stdout
