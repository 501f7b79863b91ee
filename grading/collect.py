"""Collect a learning platform's export of one assignment into nbgrader's ``submitted/<student>/<lab>/<lab>.ipynb``.

Two layouts are read, told apart by their file names (or named with ``platform``):

- **Canvas** ("Download Submissions"): a flat zip of ``<sortablename>[_LATE]_<user id>_<file id>_<file name>``, the
  sortable name lower-cased with everything but letters and digits removed, ``anon_<id>`` in place of name and user
  id when grading is anonymous; a file uploaded again may carry ``-1`` before its extension. Canvas includes only
  the files of each student's current attempt; the larger file id is the later upload.
- **Moodle** ("Download all submissions"): a zip of folders ``<Full Name>_<participant id>_assignsubmission_file_``
  (Moodle 4.1 and later drop the final ``_``), or the same prefix on flat file names. The participant id is Moodle's
  per-assignment number, the one its grading worksheet shows as "Participant <id>". A file's time in the zip is the
  one Moodle stored with the file.

Names or platform ids become student ids through a roster (``read_roster``); without one, the student id is the
Canvas user id, or the Moodle full name in lower case with ``_`` for spaces. The latest notebook of each student
wins. Lateness becomes nbgrader's ``timestamp.txt`` (the file nbgrader's own ``zip_collect`` writes), which
nbgrader compares with the lab's due date to apply its late-submission penalty: Moodle's file time as it is; for a
Canvas file marked LATE (Canvas gives no time), the time of the export, or one second after ``due`` if that is later.

Every file of the export ends in exactly one place: collected, or listed with the reason it was not (``REASONS``).
The parsing of file names uses nbgrader's ``zip_collect`` collector plugin (``FileNameCollectorPlugin``); the choice
among resubmissions follows its rule (the latest wins) but records every file it passes over. What the platform
calls each collected student is kept in ``.grading/lms/<lab>.json`` for ``grading.export``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from nbgrader.plugins import FileNameCollectorPlugin

COLLECTED = "collected"
NO_MATCH = "no roster match"
NOT_NOTEBOOK = "not a notebook"
OLDER = "older resubmission"
CLASH = "name clash"
OTHER_NOTEBOOK = "another notebook of the student"
UNKNOWN = "not in the platform's layout"
#: Why a file of the export was not collected.
REASONS = (NO_MATCH, NOT_NOTEBOOK, OLDER, CLASH, OTHER_NOTEBOOK, UNKNOWN)

MANIFEST = ".grading/lms"  # per lab, what the platform calls each collected student (read by grading.export)
STUDENT_ID = re.compile(r"^[\w@+-][\w.@+-]*$")  # a student id must be a plain folder name
RESUBMITTED = re.compile(r"(?:-\d+| \(\d+\))$")  # Canvas's "-1", a browser's " (1)"


class CanvasCollector(FileNameCollectorPlugin):
    """Canvas's file names, as nbgrader's zip_collect collector plugin."""

    named_regexp = (r"^(?P<prefix>(?:(?P<name>\w*?)_)??(?:(?P<late>LATE)_)?"
                    r"(?P<user_id>anon_[A-Za-z0-9]+|\d+)_(?P<file_id>\d+)_)(?P<filename>[^/]+)$")

    def collect(self, submitted_file: str) -> dict | None:
        return self._match(submitted_file)


class MoodleCollector(FileNameCollectorPlugin):
    """Moodle's folder (or flat file) names, as nbgrader's zip_collect collector plugin."""

    named_regexp = (r"^(?P<prefix>(?P<name>[^/]+?)_(?P<participant>\d+)_assignsubmission_(?P<plugin>[a-z]+?))"
                    r"(?:_?/|_)(?P<filename>.+)$")

    def collect(self, submitted_file: str) -> dict | None:
        return self._match(submitted_file)


COLLECTORS = {"canvas": CanvasCollector, "moodle": MoodleCollector}


@dataclass
class Person:
    """One row of the roster: the course's student id and what the platforms call the student."""

    student_id: str
    name: str = ""
    email: str = ""
    canvas_id: str = ""
    participant: str = ""


#: Roster columns, by the headers that name them (case-insensitive): ours, Canvas's gradebook export, Moodle's.
ROSTER_COLUMNS = {"student_id": ("student_id", "student id", "sis user id", "id number", "idnumber"),
                  "name": ("name", "full name", "student"),
                  "email": ("email", "email address"),
                  "canvas_id": ("canvas_id", "canvas user id", "id"),
                  "participant": ("participant", "identifier")}


def read_roster(path: Path) -> list[Person]:
    """The roster CSV: a ``student_id`` column and any of ``name``, ``email``, ``canvas_id``, ``participant``
    (Canvas's own gradebook export, with "SIS User ID" as the student id, reads as a roster too)."""
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        raise ValueError(f"{path}: empty roster")
    header = [h.strip().lower() for h in rows[0]]
    where = {key: next((header.index(a) for a in aliases if a in header), None)
             for key, aliases in ROSTER_COLUMNS.items()}
    if where["student_id"] is None:
        raise ValueError(f"{path}: no student id column (one of: {', '.join(ROSTER_COLUMNS['student_id'])})")
    people = []
    for row in rows[1:]:
        values = {key: (row[i].strip() if i is not None and i < len(row) else "") for key, i in where.items()}
        if values["student_id"] and "points possible" not in values["name"].lower():
            values["participant"] = re.sub(r"\D", "", values["participant"])
            people.append(Person(**values))
    return people


def _name_keys(name: str, canvas: bool) -> set[str]:
    """Ways a name can appear on the platform, as written and as "Last, First", normalised the way the platform
    writes names into file names (Canvas: lower case, letters and digits only; Moodle: as written)."""
    if "," in name:
        last, first = name.split(",", 1)
        forms = {f"{first} {last}", f"{last} {first}"}
    else:
        words = name.split()
        forms = {name, " ".join(words[-1:] + words[:-1])}
    if canvas:
        return {re.sub(r"[\W_]", "", form.lower()) for form in forms}
    return {" ".join(form.split()).casefold() for form in forms}


@dataclass
class Identity:
    """Who a file of the export belongs to, as the platform says it."""

    platform: str
    key: str  # the platform's id: Canvas user id, Moodle participant id
    name: str  # as it appears in the file name
    prefix: str = ""  # the file name's platform part, reused for feedback files
    file_id: str = ""  # Canvas: the collected file's id


def _resolve(identity: Identity, roster: list[Person] | None) -> tuple[str | None, str]:
    """(student id, why not) for a platform identity."""
    canvas = identity.platform == "canvas"
    if roster is None:
        student = identity.key if canvas else re.sub(r"\s+", "_", identity.name.strip().casefold())
        return (student, "") if STUDENT_ID.match(student) else (None, f"{student!r} is not a usable student id")
    field_name = "canvas_id" if canvas else "participant"
    found = [p for p in roster if getattr(p, field_name) and getattr(p, field_name) == identity.key]
    if not found:
        wanted = _name_keys(identity.name, canvas) if identity.name else set()
        found = [p for p in roster if p.name and _name_keys(p.name, canvas) & wanted]
    ids = sorted({p.student_id for p in found})
    if not ids:
        return None, f"{identity.name or identity.key!r} ({identity.platform} id {identity.key}) is not in the roster"
    if len(ids) > 1:
        return None, f"{CLASH}: {identity.name!r} matches roster rows {', '.join(ids)}"
    if not STUDENT_ID.match(ids[0]):
        return None, f"roster student id {ids[0]!r} is not a usable folder name"
    return ids[0], ""


@dataclass
class FileResult:
    """What became of one file of the export."""

    path: str
    outcome: str  # COLLECTED or one of REASONS
    student: str = ""
    detail: str = ""


@dataclass
class Collection:
    """The result of one collect: a line per file of the export, and the platform identity of each student."""

    lab: str
    platform: str
    files: list[FileResult] = field(default_factory=list)
    identities: dict[str, dict] = field(default_factory=dict)

    @property
    def collected(self) -> list[FileResult]:
        return [f for f in self.files if f.outcome == COLLECTED]


def detect_platform(names: list[str]) -> str:
    """'moodle' or 'canvas', from the export's file names."""
    if any(MoodleCollector().collect(n) for n in names):
        return "moodle"
    if any(CanvasCollector().collect(n) for n in names if "/" not in n):
        return "canvas"
    raise ValueError("cannot tell whether this is a Canvas or a Moodle export from its file names; pass --from")


def _timestamp(info: zipfile.ZipInfo) -> dt.datetime:
    return dt.datetime(*info.date_time)


@dataclass
class _Candidate:
    info: zipfile.ZipInfo
    identity: Identity
    filename: str
    late: bool

    def order(self, platform: str) -> tuple:
        """Later uploads sort last: Canvas file ids grow with time; Moodle keeps each file's time."""
        stem = PurePosixPath(self.filename).stem
        again = re.search(r"(\d+)\)?$", stem) if RESUBMITTED.search(stem) else None
        if platform == "canvas":
            return (int(self.identity.file_id), self.info.filename)
        return (_timestamp(self.info), int(again.group(1)) if again else 0, self.info.filename)


def collect(root: Path, export: Path, lab: str, *, roster: Path | None = None, platform: str | None = None,
            due: dt.datetime | None = None) -> Collection:
    """Read ``export`` (a Canvas or Moodle zip) into ``root/submitted/<student>/<lab>/<lab>.ipynb``."""
    people = read_roster(roster) if roster else None
    with zipfile.ZipFile(export) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        platform = platform or detect_platform([i.filename for i in infos])
        collector = COLLECTORS[platform]()
        result = Collection(lab=lab, platform=platform)
        candidates: dict[str, list[_Candidate]] = {}
        owners: dict[str, set[str]] = {}
        for info in infos:
            match = collector.collect(info.filename)
            if not match or (platform == "moodle" and match["plugin"] != "file"):
                why = "" if not match else f"Moodle's {match['plugin']} submission, not a file"
                result.files.append(FileResult(info.filename, UNKNOWN if not match else NOT_NOTEBOOK, detail=why))
                continue
            identity = Identity(platform, match.get("user_id") or match["participant"], match.get("name") or "",
                                match["prefix"], match.get("file_id") or "")
            student, why = _resolve(identity, people)
            if student is None:
                outcome = CLASH if why.startswith(CLASH) else NO_MATCH
                result.files.append(FileResult(info.filename, outcome, detail=why))
                continue
            if not match["filename"].lower().endswith(".ipynb"):
                result.files.append(FileResult(info.filename, NOT_NOTEBOOK, student))
                continue
            candidates.setdefault(student, []).append(_Candidate(info, identity, match["filename"],
                                                                 bool(match.get("late"))))
            owners.setdefault(student, set()).add(identity.key)
        for student, found in sorted(candidates.items()):
            if len(owners[student]) > 1:
                keys = ", ".join(sorted(owners[student]))
                result.files += [FileResult(c.info.filename, CLASH, student,
                                            f"{platform} users {keys} all map to student {student}") for c in found]
                continue
            result.files += _choose(archive, root, lab, student, found, platform, due, result)
    _write_manifest(root, result)
    return result


def _choose(archive: zipfile.ZipFile, root: Path, lab: str, student: str, found: list[_Candidate], platform: str,
            due: dt.datetime | None, result: Collection) -> list[FileResult]:
    """Collect the student's latest notebook (one named like the lab if there is one); list the others."""
    named = [c for c in found if RESUBMITTED.sub("", PurePosixPath(c.filename).stem) == lab]
    pool = named or found
    winner = max(pool, key=lambda c: c.order(platform))
    target = root / "submitted" / student / lab
    target.mkdir(parents=True, exist_ok=True)
    (target / f"{lab}.ipynb").write_bytes(archive.read(winner.info))
    stamp, note = _submission_time(winner, platform, due)
    if stamp is None:
        (target / "timestamp.txt").unlink(missing_ok=True)
    else:
        (target / "timestamp.txt").write_text(stamp.isoformat(" "), encoding="utf-8")
    identity = asdict(winner.identity)
    identity["late"] = winner.late
    result.identities[student] = identity
    detail = "; ".join(filter(None, [f"as {lab}.ipynb" if winner.filename != f"{lab}.ipynb" else "", note]))
    files = [FileResult(winner.info.filename, COLLECTED, student, detail)]
    for other in found:
        if other is winner:
            continue
        if other in pool:
            files.append(FileResult(other.info.filename, OLDER, student, f"{winner.info.filename} is later"))
        else:
            files.append(FileResult(other.info.filename, OTHER_NOTEBOOK, student,
                                    f"{winner.info.filename} is the lab's notebook"))
    return files


def _submission_time(winner: _Candidate, platform: str, due: dt.datetime | None) -> tuple[dt.datetime | None, str]:
    """The time to record as nbgrader's timestamp, and a note saying where it came from."""
    if platform == "moodle":
        return _timestamp(winner.info), ""
    if not winner.late:
        return None, ""
    stamp = _timestamp(winner.info)
    if due is not None and stamp <= due:
        stamp = due + dt.timedelta(seconds=1)
    return stamp, "late (Canvas gives no time: timestamp is the export's, or just after the due date)"


def _write_manifest(root: Path, result: Collection) -> None:
    """``.grading/lms/<lab>.json``: the platform and, per student, what the platform calls them (merged with an
    earlier collect of the same lab, so that several exports of one lab add up)."""
    path = root / MANIFEST / f"{result.lab}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        known = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        known = {}
    students = known.get("students", {}) if known.get("platform") == result.platform else {}
    students.update(result.identities)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"platform": result.platform, "students": students}, indent=1), encoding="utf-8")
    os.replace(temporary, path)


def read_manifest(root: Path, lab: str) -> dict:
    """What ``collect`` recorded for ``lab``: {"platform": ..., "students": {student: identity}} (empty if none)."""
    try:
        return json.loads((root / MANIFEST / f"{lab}.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"platform": "", "students": {}}


def write_listing(path: Path, result: Collection) -> Path:
    """CSV of every file of the export: where it went, or why it was not collected."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("file", "outcome", "student_id", "detail"))
        for item in result.files:
            writer.writerow((item.path, item.outcome, item.student, item.detail))
    return path


def recorded_due_date(db_url: str, lab: str) -> dt.datetime | None:
    """The lab's due date in the gradebook, if it has one (a missing sqlite gradebook is not created)."""
    if db_url.startswith("sqlite:///"):
        if not Path(db_url[len("sqlite:///"):].split("?")[0]).is_file():
            return None
    from nbgrader.api import MissingEntry

    from grading.export import open_gradebook

    with open_gradebook(db_url) as gradebook:
        try:
            return gradebook.find_assignment(lab).duedate
        except MissingEntry:
            return None


def run(root: Path, lab: str, export: Path, *, roster: Path | None, platform: str | None, due: str | None,
        db_url: str) -> None:
    """The ``collect`` command: collect, print what became of every file, write ``reports/<lab>-collect.csv``."""
    from nbgrader.utils import parse_utc

    deadline = parse_utc(due).replace(tzinfo=None) if due else recorded_due_date(db_url, lab)
    try:
        result = collect(root, export, lab, roster=roster, platform=platform, due=deadline)
    except (ValueError, zipfile.BadZipFile, FileNotFoundError) as error:
        raise SystemExit(f"collect: {error}") from None
    listing = write_listing(root / "reports" / f"{lab}-collect.csv", result)
    width = max((len(f.path) for f in result.files), default=4)
    for item in sorted(result.files, key=lambda f: (f.outcome != COLLECTED, f.outcome, f.path)):
        detail = f" ({item.detail})" if item.detail else ""
        print(f"{item.path:<{width}}  {item.outcome}{' -> ' + item.student if item.student else ''}{detail}")
    left = len(result.files) - len(result.collected)
    print(f"{result.platform} export: {len(result.collected)} notebook(s) collected into submitted/, {left} file(s) "
          f"not collected (reasons above and in {listing.relative_to(root)})")
