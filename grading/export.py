"""Grades and feedback of one lab in the form a learning platform imports (``python -m grading export``).

Scores come from the gradebook, as ``nbgrader export`` computes them (the submission's score less its late penalty,
never below 0), optionally rescaled to the platform's points (``points``). Who each student is on the platform comes
from what ``grading.collect`` recorded (``.grading/lms/<lab>.json``). Written to ``out`` (default ``reports/``):

- ``canvas``: ``<lab>-canvas-grades.csv``, a gradebook CSV as Canvas's importer reads it (columns Student, ID, SIS
  User ID, SIS Login ID, Section, then the assignment, a "Points Possible" row; students matched by their Canvas
  user id, the assignment by its title or "Title (id)"), and ``<lab>-canvas-feedback.zip`` for "Upload feedback
  files": each file named with the student's name, user id and the id of the file they submitted, as in Canvas's
  download, which is how Canvas attaches it as a comment to that submission.
- ``moodle``: ``<lab>-moodle-grades.csv``, a grading worksheet (Identifier "Participant <id>", Full name, Grade,
  Maximum Grade, Last modified (grade), Feedback comments) for "Upload grading worksheet", and
  ``<lab>-moodle-feedback.zip`` of folders ``<Full Name>_<id>_assignfeedback_file_/`` for "Upload multiple feedback
  files in a zip".
- ``csv``: ``<lab>-grades.csv`` (student_id, score, max_score, late_penalty, outcome) and ``<lab>-feedback.zip``
  of ``<student>/<lab>.html``.

The feedback files are ``feedback/<student>/<lab>/<lab>.html`` (``make feedback``). Every student of the lab ends
in the grades file or in the returned list of what was left out, with the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook

from grading.collect import read_manifest

PLATFORMS = ("canvas", "moodle", "csv")


@dataclass
class Grade:
    student: str
    score: float | None  # None: no graded submission
    max_score: float
    late_penalty: float = 0.0


@dataclass
class Export:
    """What ``export`` wrote, and every student it left out with the reason."""

    grades: Path
    feedback: Path
    rows: int = 0
    feedback_files: int = 0
    left_out: list[tuple[str, str]] = field(default_factory=list)


def open_gradebook(db_url: str) -> Gradebook:
    """nbgrader's gradebook; it runs ``alembic`` by name to set up a new one, so this venv's bin goes on PATH."""
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return Gradebook(db_url)


def gradebook_grades(db_url: str, lab: str) -> list[Grade]:
    """Every submission of ``lab`` in the gradebook, scored as ``nbgrader export`` scores it."""
    with open_gradebook(db_url) as gradebook:
        assignment = gradebook.find_assignment(lab)
        return [Grade(s.student.id, max(0.0, s.score - (s.late_submission_penalty or 0.0)), assignment.max_score,
                      s.late_submission_penalty or 0.0) for s in gradebook.assignment_submissions(lab)]


def _points(grade: Grade, points: float | None) -> str:
    if grade.score is None:
        return ""
    value = grade.score if points is None or not grade.max_score else grade.score * points / grade.max_score
    return f"{round(value, 2):g}"


DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def moodle_date(when: dt.datetime) -> str:
    """A date as Moodle writes it in a worksheet in English ("Tuesday, 5 March 2024, 2:07 PM"), which it reads back
    (whatever the locale of this machine)."""
    return (f"{DAYS[when.weekday()]}, {when.day} {MONTHS[when.month - 1]} {when.year}, "
            f"{when.hour % 12 or 12}:{when.minute:02d} {'AM' if when.hour < 12 else 'PM'}")


def export(root: Path, lab: str, to: str, grades: list[Grade], *, out: Path | None = None,
           assignment: str | None = None, points: float | None = None) -> Export:
    """Write ``lab``'s grades and feedback for platform ``to`` (one of ``PLATFORMS``)."""
    if to not in PLATFORMS:
        raise ValueError(f"--to must be one of {', '.join(PLATFORMS)}")
    out = out or root / "reports"
    out.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(root, lab)
    if to != "csv" and manifest["platform"] not in ("", to):
        raise ValueError(f"{lab} was collected from {manifest['platform']}, not {to}")
    known = manifest["students"] if to != "csv" else {}
    suffix = f"-{to}" if to != "csv" else ""
    result = Export(out / f"{lab}{suffix}-grades.csv", out / f"{lab}{suffix}-feedback.zip")
    graded = {g.student: g for g in grades}
    maximum = next((g.max_score for g in grades), 0.0)
    for student in sorted(set(known) - set(graded)):
        graded[student] = Grade(student, None, maximum)
    rows = []
    for student, grade in sorted(graded.items()):
        if to != "csv" and student not in known:
            result.left_out.append((student, f"no {to} identity: not collected from a {to} export"))
            continue
        if grade.score is None:
            result.left_out.append((student, "collected but not graded: its grade is left blank"))
        rows.append((grade, known.get(student, {})))
    with result.grades.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if to == "canvas":
            title = assignment or lab
            writer.writerow(("Student", "ID", "SIS User ID", "SIS Login ID", "Section", title))
            writer.writerow(("    Points Possible", "", "", "", "", f"{points if points is not None else maximum:g}"))
            writer.writerows((who["name"], who["key"], "", "", "", _points(g, points)) for g, who in rows)
        elif to == "moodle":
            now = moodle_date(dt.datetime.now())
            writer.writerow(("Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)",
                             "Feedback comments"))
            writer.writerows((f"Participant {who['key']}", who["name"], _points(g, points),
                              f"{points if points is not None else g.max_score:g}", now,
                              "" if g.score is None else f"Autograded: {_points(g, points)} points; see the "
                              "feedback file.") for g, who in rows)
        else:
            writer.writerow(("student_id", "score", "max_score", "late_penalty"))
            writer.writerows((g.student, _points(g, points), f"{points if points is not None else g.max_score:g}",
                              f"{g.late_penalty:g}") for g, _ in rows)
    result.rows = len(rows)
    with zipfile.ZipFile(result.feedback, "w", zipfile.ZIP_DEFLATED) as archive:
        for grade, who in rows:
            source = root / "feedback" / grade.student / lab / f"{lab}.html"
            if not source.is_file():
                if grade.score is not None:
                    result.left_out.append((grade.student, f"no feedback file ({source.relative_to(root)}): "
                                            "run make feedback"))
                continue
            archive.write(source, feedback_name(to, lab, grade.student, who))
            result.feedback_files += 1
    return result


def feedback_name(to: str, lab: str, student: str, who: dict) -> str:
    """The name a feedback file must have in the platform's bulk upload."""
    if to == "canvas":  # Canvas reads the first two all-digit parts: user id, then the id of the submitted file
        return f"{who['prefix']}{lab}-feedback.html"
    if to == "moodle":  # Moodle reads <name>_<participant id>_<plugin type>_<plugin name>_ from the folder
        return f"{who['name']}_{who['key']}_assignfeedback_file_/{lab}-feedback.html"
    return f"{student}/{lab}.html"


def run(root: Path, lab: str, to: str, *, db_url: str, out: Path | None, assignment: str | None,
        points: float | None) -> None:
    """The ``export`` command: write the files and say what was left out."""
    from nbgrader.api import MissingEntry

    try:
        result = export(root, lab, to, gradebook_grades(db_url, lab), out=out, assignment=assignment, points=points)
    except MissingEntry:
        raise SystemExit(f"export: {lab} is not in the gradebook yet: grade it first (make grade LAB={lab})") from None
    except ValueError as error:
        raise SystemExit(f"export: {error}") from None
    for student, why in result.left_out:
        print(f"{student}: {why}")
    print(f"wrote {result.grades} ({result.rows} student(s)) and {result.feedback} "
          f"({result.feedback_files} feedback file(s))")
