"""Restores the instructor's cells of a submission before nbgrader sees it, so that an ordinary edit never makes
grading fail.

A student may copy any cell (JupyterLab copies its metadata, so the copy carries the same nbgrader ``grade_id``),
delete, move, add or retype cells, and edit or delete the nbgrader metadata of any cell. nbgrader fails on most of
these (a duplicated ``grade_id``, an unknown one, a ``grade`` flag on an answer cell). ``repair`` decides which
cell of the submission stands for each nbgrader cell of the release, gives it the release's metadata and cell
type, and removes the nbgrader metadata from every other cell, so that a student's cell is never judged as a test
cell, whatever its metadata says. Test cells still missing are put back by nbgrader (``OverwriteCellsSafely``) and
their edited sources restored (``OverwriteCells``).

Which cell stands for an nbgrader cell: the candidates are the cells that carry its ``grade_id``, and the cells
without nbgrader metadata whose source is exactly that of one of the release's test cells (its metadata was
deleted). Of these, the longest run that follows the release's order is kept (copies moved elsewhere fall out),
preferring cells whose metadata is intact and, among equals, the earlier cell.
"""

from __future__ import annotations

import copy

from nbformat import NotebookNode


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _grade_id(cell) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    if isinstance(meta, dict) and isinstance(meta.get("grade_id"), str) and meta["grade_id"]:
        return meta["grade_id"]
    return None


def _label(index: int, cell) -> str:
    first = _source(cell).strip().splitlines()[0][:40] if _source(cell).strip() else "empty"
    return f"cell {index} ({first!r})"


def _aligned(candidates: list[tuple[int, int, bool]]) -> set[int]:
    """Positions in ``candidates`` [(cell index, release position, metadata intact)] of the best chain whose release
    positions strictly increase: longest first, then most cells with intact metadata, then earliest cells."""
    best: list[tuple[int, int, int]] = []  # per candidate: (length, intact, -sum of cell indices) of its best chain
    back: list[int] = []
    for j, (cell_j, position_j, intact_j) in enumerate(candidates):
        score, parent = (1, int(intact_j), -cell_j), -1
        for i in range(j):
            if candidates[i][1] < position_j:
                length, intact, earliness = best[i]
                option = (length + 1, intact + int(intact_j), earliness - cell_j)
                if option > score:
                    score, parent = option, i
        best.append(score)
        back.append(parent)
    if not best:
        return set()
    j = max(range(len(best)), key=lambda k: best[k])
    chain = set()
    while j != -1:
        chain.add(j)
        j = back[j]
    return chain


def _set_type(cell, cell_type: str) -> None:
    cell["cell_type"] = cell_type
    if cell_type == "code":
        cell.setdefault("outputs", [])
        cell.setdefault("execution_count", None)
    else:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)


def repair(nb: NotebookNode, release: NotebookNode) -> list[str]:
    """Make the nbgrader cells of ``nb`` (a submission) those of ``release`` (the student lab), in place; return
    what was changed, one sentence each, naming the cell."""
    expected = [(i, c) for i, c in enumerate(release.cells) if _grade_id(c)]
    position = {_grade_id(c): k for k, (_, c) in enumerate(expected)}
    by_id = {_grade_id(c): c for _, c in expected}
    test_sources = {_source(c): _grade_id(c) for _, c in expected
                    if c.metadata["nbgrader"].get("grade") and c.cell_type == "code"}
    changes: list[str] = []

    candidates = []  # (cell index, grade_id, intact)
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader")
        grade_id = _grade_id(cell)
        if meta is not None and grade_id is None:
            del cell["metadata"]["nbgrader"]
            if meta:
                changes.append(f"{_label(index, cell)}: nbgrader metadata without a valid id removed")
        elif grade_id is not None and grade_id not in position:
            del cell["metadata"]["nbgrader"]
            changes.append(f"{_label(index, cell)}: nbgrader id {grade_id[:60]!r} is not one of the lab's; its "
                           "metadata was removed")
            grade_id = None
        if grade_id is not None:
            candidates.append((index, grade_id, True))
        elif _source(cell) in test_sources:  # a test cell whose nbgrader metadata was deleted or spoilt
            candidates.append((index, test_sources[_source(cell)], False))

    chain = _aligned([(index, position[grade_id], intact) for index, grade_id, intact in candidates])
    kept = {}
    for k, (index, grade_id, intact) in enumerate(candidates):
        cell = nb.cells[index]
        if k not in chain:
            if intact:
                del cell["metadata"]["nbgrader"]
                changes.append(f"{_label(index, cell)}: a copy of {grade_id} (or out of the lab's order); its "
                               "nbgrader metadata was removed and it runs as your own code")
            continue
        kept[grade_id] = index
        original = by_id[grade_id]
        if not intact:
            changes.append(f"{_label(index, cell)}: the nbgrader metadata of {grade_id} was missing and is restored")
        elif {k: v for k, v in cell.metadata["nbgrader"].items() if k != "checksum"} != \
                {k: v for k, v in original.metadata["nbgrader"].items() if k != "checksum"}:
            changes.append(f"{_label(index, cell)}: the nbgrader metadata of {grade_id} was edited and is restored")
        cell["metadata"]["nbgrader"] = copy.deepcopy(original.metadata["nbgrader"])
        for key in ("editable", "deletable"):
            if key in original.metadata:
                cell["metadata"][key] = original.metadata[key]
        if cell.get("cell_type") != original.cell_type:
            changes.append(f"{_label(index, cell)}: {grade_id} was turned into a {cell.get('cell_type')} cell and "
                           f"is a {original.cell_type} cell again")
            _set_type(cell, original.cell_type)
        if original.metadata["nbgrader"].get("grade") and _source(cell) != _source(original):
            changes.append(f"{_label(index, cell)}: the test cell {grade_id} was edited; the original was graded")

    for grade_id, original in by_id.items():
        if grade_id not in kept:
            what = "test cell" if original.metadata["nbgrader"].get("grade") else "answer cell"
            restored = "; the original was put back and graded" if what == "test cell" else ""
            changes.append(f"{grade_id}: the {what} is missing{restored}")
    return changes


def grading_note(changes: list[str], skipped: list[str]) -> NotebookNode | None:
    """A markdown cell for the top of the graded notebook (and so of the feedback): what grading restored."""
    if not changes and not skipped:
        return None
    lines = ["**Note from the grader.** Your notebook was graded with the lab's own cells restored:", ""]
    lines += [f"- {change}" for change in changes]
    lines += [f"- {item}" for item in skipped]
    return NotebookNode(cell_type="markdown", metadata={}, source="\n".join(lines), id="grading-note")
