"""Checks a submission before nbgrader sees it: is it a notebook at all, and are its graded cells the ones the
student was given? nbgrader itself reports a corrupt file only as a failed run, and fails on many an edit of its
cells; ``prepare`` names the problem for the instructor and restores the lab's cells (``grading.repair``)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import nbformat

from grading.outcomes import CELLS_CHANGED, INVALID
from grading.repair import grading_note, repair


def check_submission(path: Path, release: Path) -> tuple[str | None, str]:
    """(problem, detail) for the submission at ``path`` against the student version ``release``.

    problem is None when the notebook can be graded, INVALID when it cannot be graded at all.
    """
    raw = path.read_bytes()
    if not raw.strip():
        return INVALID, "empty file"
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return INVALID, f"not JSON ({error})"
    if not isinstance(data, dict):
        return INVALID, "JSON that is not a notebook"
    if data.get("nbformat") != 4:
        return INVALID, f"nbformat version {data.get('nbformat')!r}; nbgrader needs version 4"
    if "cells" not in data:
        return INVALID, "JSON without notebook cells"
    try:
        with warnings.catch_warnings():  # a missing cell id is fixed by nbgrader, not the student's problem
            warnings.simplefilter("ignore")
            nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
            nbformat.validate(nb)
    except Exception as error:  # noqa: BLE001 - any schema violation makes it ungradable
        return INVALID, f"does not follow the notebook format ({str(error).splitlines()[0][:200]})"

    return None, ""


def prepare(path: Path, release: Path, skipped: list[str]) -> tuple[str | None, str]:
    """Check the staged submission at ``path`` and, if it is a notebook, restore the lab's cells in it
    (``grading.repair``) and put a note of what was restored at its top. Returns (problem, detail) as
    ``check_submission`` does, with CELLS_CHANGED and the changes, cell by cell, when anything was restored."""
    problem, detail = check_submission(path, release)
    if problem:
        return problem, detail
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    changes = repair(nb, nbformat.read(str(release), as_version=4))
    note = grading_note(changes, skipped)
    if note is not None:
        nb.cells.insert(0, note)
        nbformat.write(nb, str(path))
    if changes:
        return CELLS_CHANGED, "; ".join(changes)
    return None, ""
