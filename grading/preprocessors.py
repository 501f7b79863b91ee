"""nbgrader preprocessors adapted for grading a whole class.

GuardedExecute: nbgrader's Execute with the limits a whole class needs.

- a wall-clock budget for the whole notebook (``notebook_timeout``) on top of nbgrader's per-cell
  ``Execute.timeout``: each cell may run for the smaller of the two;
- a cap on the output a notebook may keep (``max_output_bytes``, images included) and on images per cell
  (``max_images_per_cell``): nbgrader's LimitOutput caps stream lines only;
- a kernel that dies does not fail the whole submission: the cell is marked, the cells after it are marked
  as not run, and the graded cells that had already passed keep their points;
- where a notebook timed out or its kernel died is recorded in ``INCIDENTS`` for the grading run.

OverwriteCellsSafely: nbgrader's OverwriteCells, whose ``add_missing_cells`` crashes (KeyError) when the cell
before a missing test cell is missing too (an answer cell deleted, or all nbgrader metadata stripped); such
test cells are appended at the end of the notebook instead, after the student's code.

Both are enabled by ``grading.run.load_config``.
"""

from __future__ import annotations

import json
import time

from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import Execute, OverwriteCells
from traitlets import Integer

from grading.outcomes import KERNEL_DIED, TIMED_OUT

#: Incidents of the notebook being graded in this process: (status, detail). Reset by the worker per task.
INCIDENTS: list[tuple[str, str]] = []


def _cell_label(cell, index: int) -> str:
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    first = cell.source.strip().splitlines()[0][:50] if cell.source.strip() else ""
    return f"cell {index} ({grade_id or first})"


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class GuardedExecute(Execute):
    notebook_timeout = Integer(300, help="Seconds the whole notebook may run.").tag(config=True)
    max_output_bytes = Integer(2_000_000, help="Output a notebook may keep, images included.").tag(config=True)
    max_images_per_cell = Integer(10, help="Images a cell may keep.").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._started = time.monotonic()
        self._cell_timeout = self.timeout
        self._stopped: str | None = None
        self._output_bytes = 0
        self._truncated = False
        try:
            return super().preprocess(nb, resources, km=km)
        finally:
            self.timeout = self._cell_timeout

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if self._stopped:
            cell.outputs = [_error("NotRun", f"not run: {self._stopped}")]
            return cell, resources
        remaining = self.notebook_timeout - (time.monotonic() - self._started)
        if remaining < 1:
            self._stop(TIMED_OUT, cell, index, f"the notebook's {self.notebook_timeout} s budget ran out")
            cell.outputs = [_error("NotRun", f"not run: {self._stopped}")]
            return cell, resources
        self.timeout = int(min(self._cell_timeout, remaining))
        self._images_in_cell = 0
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stop(KERNEL_DIED, cell, index, "the kernel died")
            cell.outputs.append(_error("DeadKernelError", "the kernel died while running this cell"))
            return cell, resources
        except Exception as error:  # noqa: BLE001 - e.g. a kernel that ignores the interrupt after a timeout
            self._stop(TIMED_OUT, cell, index, f"the kernel stopped responding ({type(error).__name__})")
            cell.outputs.append(_error("KernelUnresponsive", f"the kernel stopped responding: {error}"))
            return cell, resources
        if any(o.output_type == "error" and o.ename == "CellTimeoutError" for o in cell.outputs):
            budget = self.timeout < self._cell_timeout
            reason = f"the notebook's {self.notebook_timeout} s budget ran out" if budget \
                else f"it ran longer than {self._cell_timeout} s"
            INCIDENTS.append((TIMED_OUT, f"at {_cell_label(cell, index)}: {reason}"))
            if budget:
                self._stopped = f"the notebook's {self.notebook_timeout} s budget ran out"
        return cell, resources

    def _stop(self, status: str, cell, index: int, reason: str) -> None:
        self._stopped = f"{reason} at {_cell_label(cell, index)}"
        INCIDENTS.append((status, f"at {_cell_label(cell, index)}: {reason}"))

    def output(self, outs, msg, display_id, cell_index):
        """Keep an output only while the notebook is under its output caps; errors are always kept."""
        if msg["msg_type"] in ("stream", "display_data", "execute_result", "update_display_data"):
            size = len(json.dumps(msg["content"]))
            images = sum(key.startswith("image/") for key in msg["content"].get("data", {}))
            if images and self._images_in_cell >= self.max_images_per_cell:
                return None
            if self._output_bytes + size > self.max_output_bytes:
                if not self._truncated:
                    self._truncated = True
                    outs.append(NotebookNode(output_type="stream", name="stderr",
                                             text=f"[output truncated: over {self.max_output_bytes} bytes]\n"))
                return None
            self._output_bytes += size
            self._images_in_cell += images
        return super().output(outs, msg, display_id, cell_index)


class OverwriteCellsSafely(OverwriteCells):
    def add_missing_grade_cells(self, nb, resources):
        source = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        order = [cell.name for cell in source.source_cells]
        present = {cell.metadata.nbgrader["grade_id"] for cell in nb.cells
                   if utils.is_grade(cell) or utils.is_solution(cell)}
        missing = sorted((cell for cell in source.grade_cells if cell.name not in present),
                         key=lambda cell: order.index(cell.name))
        known = set(present)
        for cell in missing:  # nbgrader inserts each after the cell that precedes it in the source
            position = order.index(cell.name)
            if position > 0 and order[position - 1] not in known:
                break
            known.add(cell.name)
        else:
            return super().add_missing_grade_cells(nb, resources)
        solution_ids = {cell.name for cell in source.solution_cells}
        by_name = {cell.name: cell for cell in source.source_cells}
        for cell in missing:
            self.log.warning("Missing grade cell %s: appended at the end of the notebook", cell.name)
            nb.cells.append(self.missing_cell_transform(by_name[cell.name], cell.max_score,
                                                        is_solution=cell.name in solution_ids))
        return nb, resources
