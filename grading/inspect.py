"""Checks a submission before nbgrader sees it: is it a notebook at all, and are its graded cells the ones the
student was given? nbgrader itself reports a corrupt file only as a failed run, and restores altered test cells
silently; these checks name the problem for the instructor."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import nbformat

from grading.outcomes import CELLS_CHANGED, INVALID


def grade_ids(nb) -> dict[str, dict]:
    """Cells that carry nbgrader markup, by grade_id: {"source": ..., "grade": bool, "solution": bool}."""
    found = {}
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade_id"):
            source = cell.get("source", "")
            found[meta["grade_id"]] = {"source": "".join(source) if isinstance(source, list) else source,
                                       "grade": bool(meta.get("grade")), "solution": bool(meta.get("solution"))}
    return found


def check_submission(path: Path, release: Path) -> tuple[str | None, str]:
    """(problem, detail) for the submission at ``path`` against the student version ``release``.

    problem is None when the notebook is valid and its graded cells are intact, INVALID when it cannot be
    graded at all, CELLS_CHANGED when graded cells are missing or test cells altered (nbgrader restores them
    and grades the notebook; the instructor should know).
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

    expected = grade_ids(nbformat.read(str(release), as_version=4))
    submitted = grade_ids(nb)
    missing = [gid for gid in expected if gid not in submitted]
    altered = [gid for gid, cell in expected.items()
               if gid in submitted and cell["grade"] and submitted[gid]["source"] != cell["source"]]
    if missing or altered:
        parts = []
        if missing:
            parts.append(f"missing: {', '.join(missing)}")
        if altered:
            parts.append(f"test cells altered: {', '.join(altered)}")
        return CELLS_CHANGED, "; ".join(parts) + " (nbgrader restored the originals and graded them)"
    return None, ""
