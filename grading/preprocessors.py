"""nbgrader preprocessors adapted for grading a whole class.

GuardedExecute: nbgrader's Execute with the limits a whole class needs, and test cells judged outside the
student's kernel.
- test cells (nbgrader grade cells) are not run in the student's kernel but by the grader itself
  (``grading.trusted``), calling the student's functions in the kernel: the verdict is decided where student
  code never ran (``trusted_checks``, on by default);

- a wall-clock budget for the whole notebook (``notebook_timeout``) on top of nbgrader's per-cell
  ``Execute.timeout``: each cell may run for the smaller of the two;
- a cap on the output a notebook may keep (``max_output_bytes``, images included) and on images per cell
  (``max_images_per_cell``): nbgrader's LimitOutput caps stream lines only;
- a kernel that dies does not fail the whole submission: the cell is marked, the cells after it are marked
  as not run, and the graded cells that had already passed keep their points;
- where a notebook timed out or its kernel died is recorded in ``INCIDENTS`` for the grading run;
- the kernel is killed after the last cell (``shutdown_kernel = "immediate"``), not asked to exit;
- no widget frontend: what a cell shows in an ``ipywidgets.Output`` is the cell's own output (nbclient's
  mimicry of the Output widget sends the kernel requests while the cell runs, which stalled ipykernel 7).

OverwriteCellsSafely: nbgrader's OverwriteCells, whose ``add_missing_cells`` crashes (KeyError) when the cell
before a missing test cell is missing too (an answer cell deleted, or all nbgrader metadata stripped); such
test cells are appended at the end of the notebook instead, after the student's code.

Both are enabled by ``grading.run.load_config``.
"""

from __future__ import annotations

import ast
import asyncio
import json
import time
from pathlib import Path

import nbformat
import numpy
from jupyter_core.utils import ensure_event_loop
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import Execute, OverwriteCells
from traitlets import Bool, Enum, Integer, Unicode

from grading import trusted
from grading.outcomes import KERNEL_DIED, TIMED_OUT
from helpers import feedback

#: Incidents of the notebook being graded in this process: (status, detail). Reset by the worker per task.
INCIDENTS: list[tuple[str, str]] = []
#: The named checks of each test cell judged in this process, by grade_id: [{"name", "points", "passed"}, ...].
CHECKS: dict[str, list[dict]] = {}


def _cell_label(cell, index: int) -> str:
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    first = cell.source.strip().splitlines()[0][:50] if cell.source.strip() else ""
    return f"cell {index} ({grade_id or first})"


def _reap_tasks() -> None:
    """Cancel the asyncio tasks that a cell which raised left behind, and collect their outcomes.

    nbclient leaves its kernel-alive poll running when a cell fails with an exception of its own (a kernel that
    sends garbage: ``KeyError``). Once the kernel client is gone that task fails, and asyncio reports 'Task
    exception was never retrieved' from the task's finalizer, during some later garbage collection. Formatting
    that traceback runs ``ast.parse`` (Python 3.11's error carets); if the collection interrupted the grader's own
    ``ast.parse``, Python 3.11 raises ``SystemError: AST constructor recursion depth mismatch`` there, a grader
    error for whichever notebook the worker grades next (seen under load in the hostile corpus)."""
    loop = ensure_event_loop()
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class GuardedExecute(Execute):
    notebook_timeout = Integer(300, help="Seconds the whole notebook may run.").tag(config=True)
    max_output_bytes = Integer(2_000_000, help="Output a notebook may keep, images included.").tag(config=True)
    max_images_per_cell = Integer(10, help="Images a cell may keep.").tag(config=True)
    trusted_checks = Bool(True, help="Run test cells in the grader, not in the student's kernel.").tag(config=True)
    release_directory = Unicode("labs", help="Where the student versions are: their imports are the test "
                                             "cells' imports when they run in the grader.").tag(config=True)
    shutdown_kernel = Enum(["graceful", "immediate"], default_value="immediate",
                           help="How the kernel is stopped after the last cell: 'immediate' kills it (and, in the "
                                "sandbox, everything it started) instead of waiting about 0.3 s for it to exit; "
                                "nothing it could still do counts.").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # nbgrader's Execute passes kernel_manager_class=AsyncKernelManager as a keyword, which beats the config
        configured = self.config.get("GuardedExecute", {}).get("kernel_manager_class")
        if configured is not None and "kernel_manager_class" not in kwargs:
            self.kernel_manager_class = configured

    def preprocess(self, nb, resources=None, km=None):
        self._started = time.monotonic()
        self._cell_timeout = self.timeout
        self._stopped: str | None = None
        self._output_bytes = 0
        self._truncated = False
        self._namespace = self._trusted_namespace(resources)  # shared by the notebook's test cells
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
        if self.trusted_checks and cell.metadata.get("nbgrader", {}).get("grade"):
            return self._judge_here(cell, resources, index)
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            _reap_tasks()
            self._stop(KERNEL_DIED, cell, index, "the kernel died")
            cell.outputs.append(_error("DeadKernelError", "the kernel died while running this cell"))
            return cell, resources
        except Exception as error:  # noqa: BLE001 - a kernel that ignores interrupts or sends garbage
            _reap_tasks()
            self._stop(KERNEL_DIED, cell, index, f"the kernel stopped responding ({type(error).__name__})")
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

    def on_comm_open_jupyter_widget(self, msg):
        """Not a widget frontend while grading: what a notebook shows in an ``ipywidgets.Output`` (the course's
        slider demos draw their figure there) becomes the cell's own output.

        nbclient otherwise mimics JupyterLab's Output widget and sends the widget's new state to the kernel on the
        shell channel while the cell still runs. With ipykernel 7 that request sometimes leaves the cell's
        execute_reply unsent until another message reaches the kernel: the demo cell then waited out its whole
        cell timeout, in about one notebook in four of Lab 1 (2 of 8 runs of its solution against none of 12
        without the mimicry; measured with ``nbclient`` and this sandbox, 10 s cell timeout)."""
        return None

    def _trusted_namespace(self, resources) -> dict:
        """numpy, and the imports of the student version of this notebook (``from helpers import data``, ...),
        taken from the release, never from the submission."""
        namespace = {"np": numpy, "__name__": "__grading__"}
        info = (resources or {}).get("nbgrader", {})
        release = Path(self.release_directory) / str(info.get("assignment", "")) / f"{info.get('notebook', '')}.ipynb"
        if self.trusted_checks and release.is_file():
            for cell in nbformat.read(str(release), as_version=4).cells:
                if cell.cell_type != "code" or cell.metadata.get("nbgrader", {}).get("solution"):
                    continue
                try:
                    tree = ast.parse(cell.source)
                except SyntaxError:
                    continue
                imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
                if imports:
                    exec(compile(ast.Module(body=imports, type_ignores=[]), str(release), "exec"), namespace)  # noqa: S102
        return namespace

    def _judge_here(self, cell, resources, index):
        """Evaluate a test cell in this process; its calls of the student's functions go to the kernel."""
        timed_out, died = [], []
        define = [True]  # send the dispatcher with the first call of the cell, and again after a failed call

        def call(payload: str) -> str:
            # A checklist goes on to its next check after a failed one: after a time-out or a dead kernel the
            # remaining calls of the cell fail at once instead of waiting again.
            if died:
                raise DeadKernelError("the kernel died")
            if timed_out:
                raise trusted.RemoteTimeout(f"not called: an earlier call ran longer than {timed_out[0]} s")
            # The call with its payload is a user expression, which the kernel evaluates with plain eval: as code,
            # IPython's input transformers would tokenize the payload (2.7 s for an argument of a million numbers,
            # in Lab 2, against 0.2 s this way). The dispatcher's definition is code, sent once per test cell:
            # between two calls of one cell only the student's own function runs, and whatever it does to the
            # dispatcher it could do to its own results.
            remaining = self.notebook_timeout - (time.monotonic() - self._started)
            self.timeout = max(1, int(min(self._cell_timeout, remaining)))
            code = trusted.KERNEL_CALL if define[0] else ""
            define[0] = True  # until this call succeeds
            # silent: no execute_input broadcast (the grader reads none of a call's IOPub messages), no execution
            # count, and none of the notebook's pre/post_run_cell hooks run around the call
            msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False,
                                     user_expressions={"out": f"__grading_call({payload!r})"})
            try:
                reply = self.wait_for_reply(msg_id)
            except DeadKernelError:
                died.append(True)
                raise
            if reply is None:
                timed_out.append(self.timeout)
                raise trusted.RemoteTimeout(f"the call did not return within {self.timeout} s")
            content = reply["content"]
            if content.get("status") != "ok":
                raise trusted.RemoteError(f"the call failed in the notebook: {content.get('ename')}")
            expression = content.get("user_expressions", {}).get("out", {})
            try:
                text = ast.literal_eval(expression["data"]["text/plain"])
            except (KeyError, TypeError, ValueError, SyntaxError):
                raise trusted.RemoteError("the notebook returned no readable result") from None
            define[0] = False
            return text

        try:
            with feedback.grading():
                cell.outputs = trusted.evaluate(cell.source, self._namespace, call, passthrough=(DeadKernelError,))
            if died:  # a checklist caught it as a failed check: the kernel is gone all the same
                raise DeadKernelError("the kernel died")
        except DeadKernelError:
            self._stop(KERNEL_DIED, cell, index, "the kernel died")
            cell.outputs = [_error("DeadKernelError", "the kernel died while the tests called your code")]
        cell.execution_count = None
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        for output in cell.outputs:
            if output.output_type == "execute_result" and isinstance(output.get("metadata", {}).get("checks"), list):
                CHECKS[grade_id] = output["metadata"]["checks"]
        if timed_out:
            INCIDENTS.append((TIMED_OUT, f"at {_cell_label(cell, index)}: a call ran longer than {timed_out[0]} s"))
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
