"""Collect (grading.collect) and export (grading.export) on exports shaped as Canvas and Moodle make them, and a round
trip to files checked the way each platform's importer reads them.

The fixtures follow the platforms' own code: Canvas's "Download Submissions" names each file
``<sortable name>[_LATE]_<user id>_<file id>_<file name>`` (lib/content_zipper.rb), and its "Upload feedback files"
takes the first two all-digit ``_`` parts of a name as user id and submitted file id
(Assignment#infer_comment_context_from_filename); its gradebook importer wants Student and ID first, a Section
column ending the student columns, an optional "Points Possible" row and assignments by title or "Title (id)"
(GradebookImporter). Moodle's "Download all submissions" makes folders ``<Full Name>_<participant id>_
assignsubmission_file_/`` (mod/assign/locallib.php; 4.1 drops the last ``_``); its worksheet import needs the
columns Identifier ("Participant <id>"), Grade and "Last modified (grade)" (assignfeedback_offline), and its
feedback zip import reads ``<name>_<participant id>_<plugin type>_<plugin name>`` from a path part
(assignfeedback_file_zip_importer::is_valid_filename_for_import). The ``*_reads`` functions below transcribe those
rules.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from course import ROOT, subprocess_env

LAB = "01_distributions"
DUE = "2025-03-02 17:00:00"
# nbgrader's own gradebook code warns about its session use while the test fills in scores
pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")


def notebook(tag: str) -> bytes:
    """A notebook whose content tells which file of the export it was."""
    return json.dumps({"cells": [{"cell_type": "markdown", "id": "tag", "metadata": {}, "source": tag}],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def make_zip(path: Path, files: list[tuple[str, bytes, tuple]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data, when in files:
            archive.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return path


EXPORTED = (2025, 3, 4, 8, 30, 0)  # when the instructor downloaded the Canvas zip (Canvas stamps every entry so)
CANVAS = [
    ("smithbob_340934_208490284_01_distributions.ipynb", notebook("bob first"), EXPORTED),
    ("smithbob_340934_208490999_01_distributions-1.ipynb", notebook("bob again"), EXPORTED),  # uploaded again
    ("jonesamy_LATE_340935_208491000_01_distributions.ipynb", notebook("amy late"), EXPORTED),
    ("leekim_340936_208491001_notes.pdf", b"%PDF-1.4", EXPORTED),
    ("strangerdan_340999_208491002_01_distributions.ipynb", notebook("dan"), EXPORTED),
    ("leesam_340940_208491003_01_distributions.ipynb", notebook("sam"), EXPORTED),
    ("wusue_340941_208491004_lab1.ipynb", notebook("sue"), EXPORTED),
    ("readme.txt", b"not a submission", EXPORTED),
]
CANVAS_ROSTER = """student_id,name,email,canvas_id
bsmith,"Smith, Bob",bob@example.edu,
ajones,Amy Jones,amy@example.edu,340935
klee,Kim Lee,kim@example.edu,340936
slee1,Sam Lee,sam1@example.edu,
slee2,Sam Lee,sam2@example.edu,
swu,Susan Wu,susan@example.edu,340941
"""
MOODLE = [
    ("Bob Smith_1001_assignsubmission_file_/01_distributions.ipynb", notebook("bob first"), (2025, 3, 1, 10, 0, 0)),
    ("Bob Smith_1001_assignsubmission_file_/01_distributions (1).ipynb", notebook("bob again"),
     (2025, 3, 2, 9, 0, 0)),
    ("Amy Jones_1002_assignsubmission_file/01_distributions.ipynb", notebook("amy late"), (2025, 3, 3, 9, 0, 0)),
    ("Amy Jones_1002_assignsubmission_onlinetext_/onlinetext.html", b"<p>hi</p>", (2025, 3, 3, 9, 0, 0)),
    ("Kim Lee_1003_assignsubmission_file_/data.csv", b"x,y\n", (2025, 3, 1, 8, 0, 0)),
    ("Kim Lee_1003_assignsubmission_file_/scratch.ipynb", notebook("kim scratch"), (2025, 3, 2, 8, 0, 0)),
    ("Kim Lee_1003_assignsubmission_file_/01_distributions.ipynb", notebook("kim"), (2025, 3, 1, 8, 0, 0)),
    ("Dan Stranger_1004_assignsubmission_file_/01_distributions.ipynb", notebook("dan"), (2025, 3, 1, 8, 0, 0)),
    ("Pat Doe_1005_assignsubmission_file_/01_distributions.ipynb", notebook("pat one"), (2025, 3, 1, 8, 0, 0)),
    ("Pat Doe_1006_assignsubmission_file_/01_distributions.ipynb", notebook("pat two"), (2025, 3, 1, 8, 0, 0)),
]
MOODLE_ROSTER = """student_id,name,email
bsmith,Bob Smith,bob@example.edu
ajones,"Jones, Amy",amy@example.edu
klee,Kim Lee,kim@example.edu
pdoe,Pat Doe,pat@example.edu
"""


@pytest.fixture(autouse=True)
def venv_on_path(monkeypatch):
    """nbgrader runs alembic by name when it creates a gradebook (these tests create some in this process)."""
    monkeypatch.setenv("PATH", subprocess_env()["PATH"])


def course_root(tmp_path: Path) -> Path:
    """A course root the command line accepts: the config and the lab's source folder."""
    root = tmp_path / "course"
    (root / "solutions" / LAB).mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    return root


@pytest.fixture
def grading(capsys):
    """``python -m grading --root ROOT ...`` run in this process: (exit status, stdout, stderr)."""
    from grading.cli import main

    def run(root: Path, *args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main(["--root", str(root), *args])
            status = 0
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else 1
            if isinstance(stop.code, str):
                print(stop.code, file=sys.stderr)
        out, err = capsys.readouterr()
        return status, out, err

    return run


def outcomes(root: Path) -> dict[str, tuple[str, str]]:
    with (root / "reports" / f"{LAB}-collect.csv").open(encoding="utf-8") as handle:
        return {row["file"]: (row["outcome"], row["student_id"]) for row in csv.DictReader(handle)}


def tag_of(root: Path, student: str) -> str:
    return json.loads((root / "submitted" / student / LAB / f"{LAB}.ipynb").read_text())["cells"][0]["source"]


def timestamp_of(root: Path, student: str) -> str | None:
    path = root / "submitted" / student / LAB / "timestamp.txt"
    return path.read_text(encoding="utf-8") if path.exists() else None


@pytest.fixture(scope="module")
def blank_gradebook(tmp_path_factory) -> Path:
    """An empty nbgrader gradebook, made once: each test copies it (nbgrader runs alembic to make a new one)."""
    from nbgrader.api import Gradebook

    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    saved = os.environ["PATH"]
    os.environ["PATH"] = subprocess_env()["PATH"]
    try:
        Gradebook(f"sqlite:///{path}").close()
    finally:
        os.environ["PATH"] = saved
    return path


def gradebook_url(path: Path, blank: Path) -> str:
    if not path.exists():
        shutil.copy(blank, path)
    return f"sqlite:///{path}"


def late_seconds(root: Path, student: str, blank: Path) -> float:
    """How late nbgrader's gradebook finds the collected submission, with the lab due at DUE."""
    from nbgrader.api import Gradebook
    from nbgrader.utils import parse_utc

    with Gradebook(gradebook_url(root / "late.db", blank)) as gradebook:
        gradebook.update_or_create_assignment(LAB, duedate=parse_utc(DUE))
        gradebook.update_or_create_student(student)
        stamp = timestamp_of(root, student)
        submission = gradebook.update_or_create_submission(LAB, student,
                                                           timestamp=parse_utc(stamp) if stamp else None)
        return submission.total_seconds_late


# --- collect -------------------------------------------------------------------------------------------------


@pytest.fixture
def canvas(tmp_path, grading):
    root = course_root(tmp_path)
    (tmp_path / "roster.csv").write_text(CANVAS_ROSTER, encoding="utf-8")
    export = make_zip(tmp_path / "canvas.zip", CANVAS)
    status, stdout, stderr = grading(root, "collect", str(export), "--lab", LAB, "--roster",
                                     str(tmp_path / "roster.csv"), "--due", DUE)
    assert status == 0, stderr
    return root, stdout


@pytest.fixture
def moodle(tmp_path, grading):
    root = course_root(tmp_path)
    (tmp_path / "roster.csv").write_text(MOODLE_ROSTER, encoding="utf-8")
    export = make_zip(tmp_path / "moodle.zip", MOODLE)
    status, stdout, stderr = grading(root, "collect", str(export), "--lab", LAB, "--roster",
                                     str(tmp_path / "roster.csv"), "--due", DUE)
    assert status == 0, stderr
    return root, stdout


def test_canvas_export_every_file_ends_in_one_place(canvas):
    root, stdout = canvas
    assert "canvas export: 3 notebook(s) collected" in stdout
    assert outcomes(root) == {
        "smithbob_340934_208490284_01_distributions.ipynb": ("older resubmission", "bsmith"),
        "smithbob_340934_208490999_01_distributions-1.ipynb": ("collected", "bsmith"),
        "jonesamy_LATE_340935_208491000_01_distributions.ipynb": ("collected", "ajones"),
        "leekim_340936_208491001_notes.pdf": ("not a notebook", "klee"),
        "strangerdan_340999_208491002_01_distributions.ipynb": ("no roster match", ""),
        "leesam_340940_208491003_01_distributions.ipynb": ("name clash", ""),
        "wusue_340941_208491004_lab1.ipynb": ("collected", "swu"),
        "readme.txt": ("not in the platform's layout", ""),
    }
    assert sorted(p.name for p in (root / "submitted").iterdir()) == ["ajones", "bsmith", "swu"]
    assert tag_of(root, "bsmith") == "bob again", "the later upload (larger file id) wins"
    assert tag_of(root, "swu") == "sue", "a notebook of another name is the lab's when it is the only one"
    assert "slee1" in stdout and "slee2" in stdout, "the clash names both roster rows"


def test_canvas_lateness_becomes_nbgraders_timestamp(canvas, blank_gradebook):
    root, _ = canvas
    assert timestamp_of(root, "bsmith") is None, "on time: no timestamp, never late"
    assert timestamp_of(root, "ajones") == "2025-03-04 08:30:00", "LATE: the export's time"
    assert late_seconds(root, "ajones", blank_gradebook) > 0
    assert late_seconds(root, "bsmith", blank_gradebook) == 0


def test_moodle_export_every_file_ends_in_one_place(moodle):
    root, stdout = moodle
    assert "moodle export: 3 notebook(s) collected" in stdout
    assert outcomes(root) == {
        "Bob Smith_1001_assignsubmission_file_/01_distributions.ipynb": ("older resubmission", "bsmith"),
        "Bob Smith_1001_assignsubmission_file_/01_distributions (1).ipynb": ("collected", "bsmith"),
        "Amy Jones_1002_assignsubmission_file/01_distributions.ipynb": ("collected", "ajones"),
        "Amy Jones_1002_assignsubmission_onlinetext_/onlinetext.html": ("not a notebook", ""),
        "Kim Lee_1003_assignsubmission_file_/data.csv": ("not a notebook", "klee"),
        "Kim Lee_1003_assignsubmission_file_/scratch.ipynb": ("another notebook of the student", "klee"),
        "Kim Lee_1003_assignsubmission_file_/01_distributions.ipynb": ("collected", "klee"),
        "Dan Stranger_1004_assignsubmission_file_/01_distributions.ipynb": ("no roster match", ""),
        "Pat Doe_1005_assignsubmission_file_/01_distributions.ipynb": ("name clash", "pdoe"),
        "Pat Doe_1006_assignsubmission_file_/01_distributions.ipynb": ("name clash", "pdoe"),
    }
    assert tag_of(root, "bsmith") == "bob again" and tag_of(root, "klee") == "kim"
    assert not (root / "submitted" / "pdoe").exists(), "neither of two people mapping to one student is collected"


def test_moodle_file_times_become_nbgraders_timestamp(moodle, blank_gradebook):
    root, _ = moodle
    assert timestamp_of(root, "ajones") == "2025-03-03 09:00:00"
    assert late_seconds(root, "ajones", blank_gradebook) == 16 * 3600
    assert late_seconds(root, "bsmith", blank_gradebook) == 0


def test_without_roster_platform_ids_are_the_student_ids(tmp_path):
    from grading.collect import collect

    root = course_root(tmp_path)
    canvas = collect(root, make_zip(tmp_path / "c.zip", CANVAS), LAB)
    assert {f.student for f in canvas.collected} == {"340934", "340935", "340940", "340941", "340999"}
    moodle = collect(course_root(tmp_path / "m"), make_zip(tmp_path / "m.zip", MOODLE), LAB)
    assert {f.student for f in moodle.collected} == {"bob_smith", "amy_jones", "kim_lee", "dan_stranger"}
    assert [f.outcome for f in moodle.files if f.path.startswith("Pat Doe")] == ["name clash"] * 2


def test_layout_is_detected_or_refused(tmp_path, grading):
    from grading.collect import detect_platform

    assert detect_platform([name for name, _, _ in CANVAS]) == "canvas"
    assert detect_platform([name for name, _, _ in MOODLE]) == "moodle"
    root = course_root(tmp_path)
    status, _, stderr = grading(root, "collect", str(make_zip(tmp_path / "x.zip", [("a.ipynb", b"{}", EXPORTED)])),
                                "--lab", LAB)
    assert status == 1 and "pass --from" in stderr


# --- export: what each platform's importer reads -----------------------------------------------------------


def canvas_gradebook_reads(text: str) -> tuple[str, float | None, dict[str, str]]:
    """(assignment title, points possible, {Canvas user id: grade}) as GradebookImporter parses the CSV."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert len(header) > 3 and "Student" in header[0] and "ID" in header[1], "Canvas: invalid header row"
    columns = 3
    if re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        columns += 2
    assert "Section" in header[columns - 1], "Canvas: the student columns must end with Section"
    (title,) = header[columns:]
    points, grades = None, {}
    for row in rows[1:]:
        if "Points Possible" in row[0]:
            points = float(row[columns])
            continue
        assert row[1].isdigit(), f"Canvas finds students by their numeric user id: {row}"
        grades[row[1]] = row[columns]
    return title, points, grades


def canvas_feedback_reads(name: str) -> tuple[str, str] | None:
    """(user id, submitted file id) Canvas's feedback-file upload infers from a name, or None."""
    numbers = [part for part in Path(name).name.split("_") if part.isdigit()][:2]
    return tuple(numbers) if len(numbers) == 2 and not Path(name).name.startswith("._") else None


def moodle_worksheet_reads(text: str) -> dict[str, tuple[str, dt.datetime]]:
    """{participant id: (grade, last modified)} as assignfeedback_offline_grade_importer reads the worksheet."""
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    for column in ("Grade", "Identifier", "Last modified (grade)"):
        assert column in header, f"Moodle refuses a worksheet without {column!r}"
    found = {}
    for row in rows[1:]:
        record = dict(zip(header, row, strict=True))
        participant = record["Identifier"][len("Participant "):]
        when = dt.datetime.strptime(record["Last modified (grade)"], "%A, %d %B %Y, %I:%M %p")
        found[participant] = (record["Grade"], when)
    return found


def moodle_feedback_reads(path: str) -> tuple[str, str, str] | None:
    """(participant id, plugin, file name) as Moodle's feedback zip import reads a path, or None."""
    parts = path.split("/")
    while parts:
        info = parts.pop(0).split("_", 4)  # PHP explode('_', $part, 5)
        if len(info) < 4 or not info[1].isdigit():
            continue
        parts.insert(0, info[4] if len(info) == 5 else "")
        return info[1], f"{info[2]}_{info[3]}", "/".join(parts)
    return None


def graded(root: Path, blank: Path, scores: dict[str, float], penalty: dict[str, float] | None = None) -> None:
    """The course's gradebook as grading leaves it for the collected students: two graded cells of 5 points."""
    from nbgrader.api import Gradebook

    with Gradebook(gradebook_url(root / "gradebook.db", blank)) as gradebook:
        gradebook.add_assignment(LAB)
        gradebook.add_notebook(LAB, LAB)
        for cell in ("one", "two"):
            gradebook.add_grade_cell(cell, LAB, LAB, max_score=5, cell_type="code")
        for student, score in scores.items():
            gradebook.add_student(student)
            submission = gradebook.add_submission(LAB, student)
            first, second = submission.notebooks[0].grades
            first.auto_score, second.auto_score = min(score, 5), max(0, score - 5)
            submission.notebooks[0].late_submission_penalty = (penalty or {}).get(student, 0)
        gradebook.db.commit()
    for student in scores:
        feedback = root / "feedback" / student / LAB
        if student != "swu":  # swu's feedback was never generated
            feedback.mkdir(parents=True)
            (feedback / f"{LAB}.html").write_text(f"<p>feedback for {student}</p>", encoding="utf-8")


def test_canvas_round_trip(canvas, grading, blank_gradebook):
    root, _ = canvas
    graded(root, blank_gradebook, {"bsmith": 9.5, "ajones": 7, "swu": 4, "klee": 6}, penalty={"ajones": 2})
    status, stdout, stderr = grading(root, "export", LAB, "--to", "canvas", "--assignment",
                                     "Lab 1: distributions (98765)")
    assert status == 0, stderr
    title, points, grades = canvas_gradebook_reads((root / "reports" / f"{LAB}-canvas-grades.csv").read_text())
    assert title == "Lab 1: distributions (98765)" and points == 10
    assert grades == {"340934": "9.5", "340935": "5", "340941": "4"}, "ajones loses the 2-point late penalty"
    assert "klee: no canvas identity" in stdout, "a student not collected from Canvas is listed"
    assert "swu: no feedback file" in stdout
    with zipfile.ZipFile(root / "reports" / f"{LAB}-canvas-feedback.zip") as archive:
        names = archive.namelist()
        assert {canvas_feedback_reads(n) for n in names} == {("340934", "208490999"), ("340935", "208491000")}, \
            "each feedback file names the student and the very file they submitted"
        assert archive.read(names[0]).startswith(b"<p>feedback for")


def test_moodle_round_trip(moodle, grading, blank_gradebook):
    root, _ = moodle
    graded(root, blank_gradebook, {"bsmith": 10, "ajones": 3})  # klee collected but not graded yet
    status, stdout, stderr = grading(root, "export", LAB, "--to", "moodle", "--points", "100")
    assert status == 0, stderr
    sheet = moodle_worksheet_reads((root / "reports" / f"{LAB}-moodle-grades.csv").read_text())
    assert {k: grade for k, (grade, _) in sheet.items()} == {"1001": "100", "1002": "30", "1003": ""}
    assert all(abs((when - dt.datetime.now()).total_seconds()) < 600 for _, when in sheet.values()), \
        "Last modified (grade) is now, so Moodle does not skip the grades as stale"
    assert "klee: collected but not graded" in stdout
    with zipfile.ZipFile(root / "reports" / f"{LAB}-moodle-feedback.zip") as archive:
        assert sorted(moodle_feedback_reads(n) for n in archive.namelist()) == [
            ("1001", "assignfeedback_file", f"/{LAB}-feedback.html"),
            ("1002", "assignfeedback_file", f"/{LAB}-feedback.html")]


def test_plain_csv_export(canvas, grading, blank_gradebook):
    root, _ = canvas
    graded(root, blank_gradebook, {"bsmith": 9.5, "ajones": 7}, penalty={"ajones": 2})
    status, _, stderr = grading(root, "export", LAB, "--to", "csv")
    assert status == 0, stderr
    with (root / "reports" / f"{LAB}-grades.csv").open(encoding="utf-8") as handle:
        rows = {r["student_id"]: r for r in csv.DictReader(handle)}
    assert {s: (r["score"], r["max_score"], r["late_penalty"]) for s, r in rows.items()} == {
        "ajones": ("5", "10", "2"), "bsmith": ("9.5", "10", "0")}
    with zipfile.ZipFile(root / "reports" / f"{LAB}-feedback.zip") as archive:
        assert sorted(archive.namelist()) == [f"ajones/{LAB}.html", f"bsmith/{LAB}.html"]


def test_export_refuses_another_platform_and_an_ungraded_lab(canvas, grading, blank_gradebook):
    root, _ = canvas
    gradebook_url(root / "gradebook.db", blank_gradebook)  # a gradebook without the lab
    status, _, stderr = grading(root, "export", LAB, "--to", "canvas")
    assert status == 1 and "not in the gradebook" in stderr
    graded(root, blank_gradebook, {"bsmith": 1})
    status, _, stderr = grading(root, "export", LAB, "--to", "moodle")
    assert status == 1 and "collected from canvas" in stderr


def test_command_line_in_a_process(tmp_path):
    """The real command, once: collect and export as an instructor types them."""
    root = course_root(tmp_path)
    export = make_zip(tmp_path / "canvas.zip", CANVAS)
    run = [sys.executable, "-m", "grading", "--root", str(root)]
    result = subprocess.run([*run, "collect", str(export), "--lab", LAB], capture_output=True, text=True,
                            timeout=300, check=False, env=subprocess_env())
    assert result.returncode == 0 and "canvas export: 5 notebook(s) collected" in result.stdout, result.stderr
