"""The outcome of grading one submission, and the ledger that keeps one outcome per submission on disk.

The ledger is one JSON file per (lab, student) under ``outcomes/`` in the course root, written atomically after the
gradebook has been updated: a run that is interrupted leaves either the previous outcome or none, and the next
run grades every submission whose file is missing or whose recorded checksum differs from the submission's.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

GRADED = "graded"
TIMED_OUT = "timed out"
KERNEL_DIED = "kernel died"
INVALID = "not a valid notebook"
CELLS_CHANGED = "cells missing or altered"
GRADER_ERROR = "grader error"  # the grader itself failed: the only outcome that makes the command exit non-zero

#: Outcomes a submission can end with, most severe first.
STATUSES = (GRADER_ERROR, INVALID, KERNEL_DIED, TIMED_OUT, CELLS_CHANGED, GRADED)


@dataclass
class Outcome:
    lab: str
    student: str
    status: str
    detail: str = ""
    score: float = 0.0
    max_score: float = 0.0
    sha256: str = ""
    seconds: float = 0.0
    cells: dict[str, list[float]] = field(default_factory=dict)  # grade_id -> [score, max_score]
    checks: dict[str, list[dict]] = field(default_factory=dict)  # grade_id -> [{"name", "points", "passed"}]
    skipped: list[str] = field(default_factory=list)  # files of the submission folder not copied, and why
    log: str = ""  # for a grader error: the end of nbgrader's log, with the traceback of what failed

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True)


class Ledger:
    """One recorded outcome per (lab, student), in ``root/<lab>/<student>.json``."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, lab: str, student: str) -> Path:
        return self.root / lab / f"{student}.json"

    def read(self, lab: str, student: str) -> Outcome | None:
        try:
            return Outcome(**json.loads(self.path(lab, student).read_text(encoding="utf-8")))
        except (FileNotFoundError, json.JSONDecodeError, TypeError):
            return None

    def write(self, outcome: Outcome) -> None:
        """Replace the recorded outcome atomically (write a temporary file, then rename it over)."""
        target = self.path(outcome.lab, outcome.student)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(outcome.to_json(), encoding="utf-8")
        os.replace(temporary, target)

    def is_current(self, lab: str, student: str, sha256: str) -> bool:
        recorded = self.read(lab, student)
        return recorded is not None and recorded.sha256 == sha256 and recorded.status != GRADER_ERROR

    def all(self) -> list[Outcome]:
        found = []
        for path in sorted(self.root.glob("*/*.json")):
            outcome = self.read(path.parent.name, path.stem)
            if outcome is not None:
                found.append(outcome)
        return found
