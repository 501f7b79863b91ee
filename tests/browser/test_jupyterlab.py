"""What students and instructors see in JupyterLab, checked in a real browser (Debian's Chromium driven by
Playwright) against a real JupyterLab server with the nbgrader extension (fixtures in conftest.py).

For every lab: the student lab is opened and run with Run All (and, where it stops at an error, "Run Selected
Cell and All Below" from the next cell, as a student would carry on); the only errors may come from cells that
depend on an exercise not yet solved (the rule of test_labs_execute.py); every widget renders, its Output shows a
figure, and moving each slider with the keyboard redraws the figure; nbgrader's Validate button reports a
failure. The solution notebook runs with no error and Validate reports success. The instructor opens the
formgrader, releases every lab, and the assignment list shows them.

Screenshots of each notebook after Run All, of each Validate dialog and of the instructor pages (and of the
page at a failure) are saved in tests/browser/screenshots/, with the measured times in timings.txt there.
"""

from __future__ import annotations

import contextlib
import math
import time
from pathlib import Path

import pytest
from course import graded_functions, lab_names
from test_labs_execute import names_in

ARTIFACTS = Path(__file__).resolve().parent / "screenshots"
WIDGET = "application/vnd.jupyter.widget-view+json"
KERNEL_TIMEOUT = 180_000  # ms: from opening a notebook to its kernel being idle (the machine may be busy)
RUN_TIMEOUT = 600_000  # ms: for one Run All (a lab's cells take seconds; kept generous for a loaded machine)
RENDER_TIMEOUT = 60_000  # ms: for widgets to render, and for a figure to be redrawn after a slider moved
VALIDATE_TIMEOUT = 300_000  # ms: nbgrader validate runs the whole notebook in a new kernel
MAX_FRAMES = 40  # screenshots per notebook, one per screenful
MAX_RERUNS = 3  # times a run the kernel aborted is started again (see Notebook.run_all)


def unsolved_exercise_errors(sources: list[str], graded: set[str]):
    """The rule of tests/test_labs_execute.py for an unsolved lab: a cell may fail only if it depends on an
    exercise (uses a graded function, or a value a cell that depends on one would have made), and then only
    with NotImplementedError, or a NameError for such a value. Returns ``allowed(cell, error)``."""
    tainted, rules = set(graded), {}
    for index, source in enumerate(sources):
        used, bound = names_in(source)
        depends = bool(used & tainted) and not (bound & graded)  # an answer cell defines, it does not depend
        if depends:
            tainted |= bound
        rules[index] = (depends, set(tainted))

    def allowed(cell, error) -> bool:
        depends, names = rules.get(cell["index"], (False, set()))
        return depends and (error["ename"] == "NotImplementedError" or (
            error["ename"] == "NameError" and any(f"'{name}'" in error["evalue"] for name in names)))

    return allowed


@contextlib.contextmanager
def step(problems: list[str], page, name: str):
    """Run one part of a test; if it breaks, note why (with a screenshot) and let the test carry on with
    the next part, so one report tells everything that is wrong."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - Playwright timeouts and failed checks alike
        message = str(error).strip().splitlines()
        problems.append(f"{name}: {type(error).__name__}: {' | '.join(message[:12])}")
        with contextlib.suppress(Exception):
            page.screenshot(path=ARTIFACTS / f"{name.replace(' ', '-')}-broke.png")


def open_menu(page, menu: str, item: str) -> None:
    """Click ``menu`` in JupyterLab's menu bar, then ``item`` in it, as a person would."""
    page.locator(f"#jp-menu-panel .lm-MenuBar-itemLabel:text-is('{menu}')").click()
    page.locator(f".lm-Menu .lm-Menu-itemLabel:text-is('{item}')").click()


class Notebook:
    """A notebook opened in the page's JupyterLab, seen through the page (and read through ``window.jupyterapp``
    where the page shows no more than a picture: outputs' error names, commands still running)."""

    def __init__(self, page, path: str):
        self.page = page
        self.path = path
        start = time.perf_counter()
        # What a double click in the file browser does.
        self.id = page.evaluate("""async (path) => {
            const panel = await window.jupyterapp.commands.execute('docmanager:open', {path});
            window.browserTest.panels = {...(window.browserTest.panels || {}), [path]: panel};
            return panel.id;
        }""", path)
        self.wait_idle(KERNEL_TIMEOUT)
        self.open_to_idle = time.perf_counter() - start

    def js(self, body: str, arg=None):
        """Evaluate ``body`` with ``panel`` (this notebook's panel) and ``arg`` in scope."""
        return self.page.evaluate(f"([path, arg]) => {{ const panel = window.browserTest.panels[path]; {body} }}",
                                  [self.path, arg])

    def wait_idle(self, timeout: float) -> None:
        self.page.wait_for_function("""(path) => {
            const panel = window.browserTest.panels[path];
            return panel.context.isReady && panel.sessionContext.session?.kernel?.status === 'idle';
        }""", arg=self.path, timeout=timeout)

    def cells(self) -> list[dict]:
        return self.js("""return panel.content.widgets.map((cell, index) => {
            const code = cell.model.type === 'code';
            const outputs = code ? cell.model.outputs.toJSON() : [];
            return {index, type: cell.model.type, source: cell.model.sharedModel.getSource(),
                    count: code ? cell.model.executionCount : null,
                    errors: outputs.filter(o => o.output_type === 'error')
                                   .map(o => ({ename: o.ename, evalue: o.evalue}))};
        });""")

    def run_from_menu(self, item: str, command: str, active_cell: int | None = None) -> None:
        """Click Run > ``item`` with this notebook in front and wait until the run it started has ended."""
        self.js("window.jupyterapp.shell.activateById(panel.id);"
                "if (arg !== null) { panel.content.activeCellIndex = arg; }", active_cell)
        before = self.page.evaluate("() => window.browserTest.commands.length")
        open_menu(self.page, "Run", item)
        self.page.wait_for_function("""([before, command]) => {
            const runs = window.browserTest.commands.slice(before).filter(c => c.id === command);
            return runs.length > 0 && runs.every(c => c.done);
        }""", arg=[before, command], timeout=RUN_TIMEOUT)
        failed = self.page.evaluate("""([before, command]) => window.browserTest.commands.slice(before)
            .filter(c => c.id === command && c.failed).map(c => c.failed)""", [before, command])
        assert not failed, f"Run > {item} failed: {failed}"
        self.wait_idle(KERNEL_TIMEOUT)

    def run_all(self, allowed) -> tuple[list[str], float, int]:
        """Run > Run All Cells. JupyterLab stops a run at the first error; after an error ``allowed(cell,
        error)`` accepts, the run goes on from the next cell with Run > Run Selected Cell and All Below; after
        any other error too (it is reported), so that one report lists every error. Returns the errors not
        allowed and cells that never ran, the time it all took, and how many aborted runs were started again."""
        start = time.perf_counter()
        self.run_from_menu("Run All Cells", "notebook:run-all-cells")
        unexpected, first, reruns = [], 0, 0
        while True:
            cells = self.cells()
            stopped = next((c for c in cells[first:] if c["type"] == "code" and c["errors"]), None)
            if stopped is None:
                # No error, yet cells that did not run: the kernel aborted them. After an error ipykernel
                # aborts the requests that reach it before it has finished aborting (ipykernel 7: a message
                # it queues behind them), and a run started right after the error can be caught by it. Run
                # again from there, as a student would.
                pending = [c["index"] for c in cells[first:] if c["type"] == "code" and c["source"].strip()
                           and c["count"] is None]
                if not pending or reruns == MAX_RERUNS:
                    break
                reruns += 1
                first = pending[0]
                time.sleep(0.5)
                self.run_from_menu("Run Selected Cell and All Below", "notebook:run-all-below", active_cell=first)
                continue
            error = stopped["errors"][0]
            if not allowed(stopped, error):
                unexpected.append(f"cell {stopped['index']} ({stopped['source'].strip().splitlines()[0][:60]!r}): "
                                  f"{error['ename']}: {error['evalue'][:200]}")
            first = stopped["index"] + 1
            if not any(c["type"] == "code" for c in cells[first:]):
                break
            self.run_from_menu("Run Selected Cell and All Below", "notebook:run-all-below", active_cell=first)
        seconds = time.perf_counter() - start
        never_ran = [c["index"] for c in self.cells() if c["type"] == "code" and c["source"].strip()
                     and c["count"] is None]
        if never_ran:
            unexpected.append(f"cells that never ran: {never_ran}")
        return unexpected, seconds, reruns

    def widgets(self) -> list[dict]:
        """Every widget view in the cells' outputs (each tagged data-browser-test="widget-<cell>-<n>"), with
        how many widget outputs the kernel sent for its cell."""
        return self.js(f"""const result = [];
        panel.content.widgets.forEach((cell, index) => {{
            if (cell.model.type !== 'code') return;
            const expected = cell.model.outputs.toJSON().filter(o => o.data && o.data['{WIDGET}']).length;
            if (!expected) return;
            const views = Array.from(cell.outputArea.node.querySelectorAll(
                ':scope > .jp-OutputArea-child > .jp-OutputArea-output > .jupyter-widgets'));
            views.forEach((view, n) => view.setAttribute('data-browser-test', `widget-${{index}}-${{n}}`));
            result.push({{index, expected, text: cell.outputArea.node.innerText.slice(0, 300),
                views: views.map((view, n) => ({{
                    id: `widget-${{index}}-${{n}}`,
                    outputs: view.querySelectorAll('.widget-output').length,
                    figures: Array.from(view.querySelectorAll('.widget-output')).filter(
                        o => o.querySelector('img[src^="data:image/"]')).length,
                    sliders: view.querySelectorAll('.noUi-handle').length}}))}});
        }});
        return result;""")

    def check_widgets(self) -> tuple[list[dict], list[str]]:
        """Wait until every widget has rendered and every Output widget shows a figure; report those that
        did not."""
        deadline = time.monotonic() + RENDER_TIMEOUT / 1000
        while True:
            found = self.widgets()
            missing = [w for w in found if len(w["views"]) < w["expected"]
                       or any(v["figures"] < v["outputs"] for v in w["views"])]
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(0.25)
        problems = [f"cell {w['index']}: {len(w['views'])} of {w['expected']} widgets rendered, "
                    f"Output widgets showing a figure: {[(v['figures'], v['outputs']) for v in w['views']]}; "
                    f"the cell's output reads {w['text']!r}" for w in missing]
        return found, problems

    def figure_of(self, view_id: str) -> str:
        return self.page.locator(f"[data-browser-test='{view_id}']").evaluate(
            "view => Array.from(view.querySelectorAll('.widget-output img')).map(i => i.src).join('|')")

    def move_sliders(self, widgets: list[dict]) -> tuple[list[str], int]:
        """Press an arrow key on every slider handle of every widget that shows a figure; the figure must be
        redrawn (its image's src changes). Returns the problems and the number of sliders moved."""
        problems, moved = [], 0
        for widget in widgets:
            for view in widget["views"]:
                if not view["figures"]:
                    continue
                for n in range(view["sliders"]):
                    handle = self.page.locator(f"[data-browser-test='{view['id']}'] .noUi-handle").nth(n)
                    label = handle.locator("xpath=ancestor::*[contains(@class, 'widget-slider')][1]").inner_text()
                    before_value = handle.get_attribute("aria-valuenow")
                    at_max = before_value == handle.get_attribute("aria-valuemax")
                    before = self.figure_of(view["id"])
                    handle.press("ArrowLeft" if at_max else "ArrowRight")
                    try:
                        self.page.wait_for_function(
                            """([view, before]) => {
                                const now = Array.from(view.querySelectorAll('.widget-output img'))
                                    .map(i => i.src).join('|');
                                return now && now !== before;
                            }""", arg=[self.page.locator(f"[data-browser-test='{view['id']}']").element_handle(),
                                       before], timeout=RENDER_TIMEOUT)
                        moved += 1
                    except Exception:  # noqa: BLE001 - reported below with what the slider shows
                        problems.append(f"cell {widget['index']}: slider {' '.join(label.split())!r} moved from "
                                        f"{before_value} to {handle.get_attribute('aria-valuenow')}, but its "
                                        f"figure was not redrawn within {RENDER_TIMEOUT // 1000} s")
        return problems, moved

    def screenshots(self, prefix: str) -> None:
        """The notebook from top to bottom, one PNG per screenful: ``<prefix>-01.png``, ..."""
        height, view = self.js("""const scroller = panel.content.node.querySelector('.jp-WindowedPanel-outer')
                                                   || panel.content.node;
                                  return [scroller.scrollHeight, scroller.clientHeight];""")
        frames = min(MAX_FRAMES, max(1, math.ceil(height / max(view, 1))))
        for frame in range(frames):
            self.js("""const scroller = panel.content.node.querySelector('.jp-WindowedPanel-outer')
                                        || panel.content.node;
                       scroller.scrollTop = arg;
                       return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));""",
                    frame * view)
            self.page.screenshot(path=ARTIFACTS / f"{prefix}-{frame + 1:02d}.png")

    def validate(self, screenshot: Path) -> tuple[str, str, float]:
        """Click nbgrader's Validate button (it saves the notebook, then runs nbgrader validate) and read the
        dialog it opens: (title, text, seconds)."""
        self.js("window.jupyterapp.shell.activateById(panel.id);")
        start = time.perf_counter()
        self.page.locator(f"#{self.id} .validate-button").click()
        dialog = self.page.locator(".jp-Dialog")
        dialog.wait_for(timeout=VALIDATE_TIMEOUT)
        seconds = time.perf_counter() - start
        title = dialog.locator(".jp-Dialog-header").inner_text()
        text = dialog.locator(".jp-Dialog-body").inner_text()
        self.page.screenshot(path=screenshot)
        dialog.locator("button.jp-mod-accept").click()
        dialog.wait_for(state="detached")
        return title, text, seconds


def lab_in_jupyterlab(lab, jupyterlab, lab_page):
    """The student lab runs (only unsolved exercises fail), its widgets render and respond to their sliders,
    and Validate fails it; the solution runs without error and Validate passes it."""
    if lab in jupyterlab.broken_labs:
        pytest.fail(f"nbgrader could not generate the student lab:\n{jupyterlab.broken_labs[lab]}", pytrace=False)
    page, problems = lab_page, []
    graded = set(graded_functions(lab))
    jupyterlab.record(lab, "JupyterLab page load", page.load_time)

    with step(problems, page, f"{lab}-student"):
        student = Notebook(page, f"labs/{lab}/{lab}.ipynb")
        jupyterlab.record(lab, "student lab: open to kernel idle", student.open_to_idle)
        sources = [c["source"] if c["type"] == "code" else "" for c in student.cells()]
        errors, seconds, reruns = student.run_all(allowed=unsolved_exercise_errors(sources, graded))
        jupyterlab.record(lab, "student lab: Run All", seconds)
        jupyterlab.record(lab, "student lab: aborted runs started again (count)", reruns)
        problems += [f"student lab, {e}" for e in errors]
        start = time.perf_counter()
        widgets, broken = student.check_widgets()
        problems += [f"student lab, {b}" for b in broken]
        jupyterlab.record(lab, "student lab: widgets rendered", time.perf_counter() - start)
        start = time.perf_counter()
        student.screenshots(f"{lab}-student")
        jupyterlab.record(lab, "student lab: screenshots", time.perf_counter() - start)
        if not any(v["figures"] for w in widgets for v in w["views"]):
            problems.append("student lab: no widget showing a figure (every lab has at least one slider demo, "
                            "and it must render before any exercise is solved)")
        start = time.perf_counter()
        broken, moved = student.move_sliders(widgets)
        problems += [f"student lab, {b}" for b in broken]
        jupyterlab.record(lab, f"student lab: {moved} sliders moved, figures redrawn", time.perf_counter() - start)
        title, text, seconds = student.validate(ARTIFACTS / f"{lab}-student-validate.png")
        jupyterlab.record(lab, "student lab: Validate", seconds)
        if "The following cell failed" not in text:
            problems.append(f"student lab: Validate should report the failing checks; it said {title!r}: "
                            f"{text[:500]!r}")

    with step(problems, page, f"{lab}-solution"):
        solution = Notebook(page, f"solutions/{lab}/{lab}.ipynb")
        jupyterlab.record(lab, "solution: open to kernel idle", solution.open_to_idle)
        errors, seconds, reruns = solution.run_all(allowed=lambda cell, error: False)
        jupyterlab.record(lab, "solution: Run All", seconds)
        jupyterlab.record(lab, "solution: aborted runs started again (count)", reruns)
        problems += [f"solution, {e}" for e in errors]
        problems += [f"solution, {b}" for b in solution.check_widgets()[1]]
        solution.screenshots(f"{lab}-solution")
        title, text, seconds = solution.validate(ARTIFACTS / f"{lab}-solution-validate.png")
        jupyterlab.record(lab, "solution: Validate", seconds)
        if "Success! Your notebook passes all the tests." not in text:
            problems.append(f"solution: Validate should pass; it said {title!r}: {text[:500]!r}")

    assert not problems, "\n".join(problems) + f"\nscreenshots: {ARTIFACTS}"


def _lab_test(lab: str) -> type:
    """The browser test of ``lab`` as a test class of its own, with the lab as its ``lab`` attribute:
    ``--dist=loadscope`` sends each class to whichever worker is free (each worker has its own JupyterLab), so the
    labs share both cores instead of queueing on one, as a module's tests do."""
    def test_lab_in_jupyterlab(self, jupyterlab, lab_page):
        lab_in_jupyterlab(lab, jupyterlab, lab_page)

    test_lab_in_jupyterlab.__doc__ = lab_in_jupyterlab.__doc__
    return type(f"TestLab_{lab}", (), {"lab": lab, "test_lab_in_jupyterlab": test_lab_in_jupyterlab})


for _lab in lab_names():
    globals()[f"TestLab_{_lab}"] = _lab_test(_lab)


def test_instructor_formgrader_and_assignment_list(jupyterlab, lab_page):
    """The instructor opens the formgrader from the Nbgrader menu, sees every lab and releases it; the
    assignment list (Nbgrader > Assignment List) then shows every lab as released in the course."""
    page, start = lab_page, time.perf_counter()
    labs = jupyterlab.labs
    assert labs, "no lab could be generated"
    open_menu(page, "Nbgrader", "Formgrader")
    formgrader = page.frame_locator("iframe[src*='formgrader']")
    formgrader.locator("text=Manage Assignments").first.wait_for()
    for lab in labs:
        row = formgrader.locator(f"tr:has(td.name a:text-is('{lab}'))")
        row.wait_for()
        row.locator("td.release a").click()
        # The formgrader answers in a dialog: "Success" with nbgrader's log, or an error.
        dialog = formgrader.locator(".modal.in")
        dialog.wait_for(timeout=VALIDATE_TIMEOUT)
        message = dialog.inner_text()
        if lab == labs[0]:
            page.screenshot(path=ARTIFACTS / "instructor-formgrader-release.png")
        assert f"Successfully released '{lab}'" in message, f"releasing {lab}: {message[:1000]!r}"
        dialog.locator("button:text-is('OK')").click()
        dialog.wait_for(state="hidden")
        row.locator("td.status:has-text('released')").wait_for()
    page.screenshot(path=ARTIFACTS / "instructor-formgrader.png")

    open_menu(page, "Nbgrader", "Assignment List")
    assignments = page.locator("#nbgrader-assignment-list")
    released = assignments.locator("#released_assignments_list")
    for lab in labs:
        released.locator(f"text={lab}").first.wait_for()
    page.screenshot(path=ARTIFACTS / "instructor-assignment-list.png")
    text = assignments.inner_text()
    assert "prob4dl" in text, f"the assignment list names no course: {text[:500]!r}"
    errors = [e.strip() for e in assignments.locator(".alert-danger").all_inner_texts() if e.strip()]
    assert not errors, f"the assignment list shows errors: {errors}"
    jupyterlab.record("instructor", "formgrader: release every lab, then assignment list",
                      time.perf_counter() - start)
