"""The two views of JupyterLab the Makefile opens, started with ``make`` itself and checked in real Chromium.

``make lab`` is the student's: nbgrader's Validate works, and nothing of the instructor's is there (no Create
Assignment panel, no Formgrader, no Course List) nor any pop-up (news, update check) over the page. ``make
instructor`` opens the course root with the Formgrader. Both serve a throwaway copy of Lab 1 (``LABS_DIR`` and
``COURSE_DIR``), on a free loopback port with a token (``JUPYTER_ARGS``); Jupyter's data, runtime and JupyterLab
settings folders are throwaway too, and the student's session gets no settings from the test (its configuration is
the repository's jupyter/student/). Screenshots land in tests/browser/screenshots/ (``view-*.png``).
"""

from __future__ import annotations

import contextlib
import secrets
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ARTIFACTS, _free_port, _wait_until_up, stop_server
from course import ROOT, make_course, subprocess_env
from test_jupyterlab import VALIDATE_TIMEOUT, open_menu

LAB = "01_distributions"
INSTRUCTOR_PLUGINS = ("@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:formgrader",
                      "@jupyter/nbgrader:course-list")
NEWS_PLUGIN = "@jupyterlab/apputils-extension:announcements"
# Without the instructor's plugins nbgrader's menu would show only the Assignment List and empty entries.
MENU_PLUGIN = "@jupyter/nbgrader:menu"
QUIET = 5  # seconds to watch a loaded page for a pop-up (the news question comes within a second or two)


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return make_course(tmp_path_factory.mktemp("views") / "course", [LAB])


@contextlib.contextmanager
def make_target(target: str, course: Path, home: Path):
    """``make <target>`` serving ``course``; yields (url, token). Stopped, with its kernels, by process id."""
    env = subprocess_env()
    for variable in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):  # when the suite itself runs under make
        env.pop(variable, None)
    for variable, name in {"JUPYTER_DATA_DIR": "data", "JUPYTER_RUNTIME_DIR": "runtime", "IPYTHONDIR": "ipython",
                           "JUPYTERLAB_SETTINGS_DIR": "settings", "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
                           "MPLCONFIGDIR": "matplotlib"}.items():
        (home / name).mkdir(parents=True, exist_ok=True)
        env[variable] = str(home / name)
    if target == "instructor":  # the student's target sets its own config folder; the instructor's is empty
        (home / "config").mkdir(exist_ok=True)
        env["JUPYTER_CONFIG_DIR"] = str(home / "config")
    token, port = secrets.token_hex(16), _free_port()
    args = (f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port_retries=0 --IdentityProvider.token={token} "
            "--LabApp.expose_app_in_browser=True")
    command = ["make", "--no-print-directory", "-C", str(ROOT), "-o", ".venv/.installed", target, f"PORT={port}",
               f"LABS_DIR={course / 'labs'}", f"COURSE_DIR={course}", f"JUPYTER_ARGS={args}"]
    log = home / "server.log"
    with log.open("w", encoding="utf-8") as log_file:
        process = subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, url, token, log)
        yield url, token
    finally:
        notes = stop_server(process)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"view-{target}-server.log").write_text(log.read_text(encoding="utf-8", errors="replace"))
    assert not notes, "stopping make " + target + ": " + "; ".join(notes)


@contextlib.contextmanager
def lab(chromium_browser, url: str, token: str, name: str):
    """A fresh page with JupyterLab loaded; the requests it made are in ``page.requested``."""
    context = chromium_browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    try:
        page.goto(f"{url}/lab?reset&token={token}", timeout=120_000)
        page.wait_for_function("() => window.jupyterapp !== undefined", timeout=120_000)
        page.evaluate("async () => { await window.jupyterapp.restored; }")
        yield page
    except Exception:
        with contextlib.suppress(Exception):
            page.screenshot(path=ARTIFACTS / f"view-{name}-at-failure.png")
        raise
    finally:
        context.close()


def plugins(page) -> set[str]:
    return set(page.evaluate("() => window.jupyterapp.listPlugins()"))


def menu_items(page, menu: str) -> list[str]:
    """The labels of a menu of JupyterLab's menu bar (empty if there is no such menu)."""
    bar = page.locator(f"#jp-menu-panel .lm-MenuBar-itemLabel:text-is('{menu}')")
    if not bar.count():
        return []
    bar.click()
    labels = page.locator(".lm-Menu .lm-Menu-itemLabel").all_inner_texts()
    page.keyboard.press("Escape")
    return [label.strip() for label in labels]


def test_student_view(chromium_browser, course, tmp_path):
    with make_target("lab", course, tmp_path) as (url, token), lab(chromium_browser, url, token, "student") as page:
        loaded = plugins(page)
        assert not loaded & {*INSTRUCTOR_PLUGINS, NEWS_PLUGIN, MENU_PLUGIN}, f"in the student's view: {loaded}"
        assert "@jupyter/nbgrader:validate-assignment" in loaded
        time.sleep(QUIET)
        page.screenshot(path=ARTIFACTS / "view-student.png")
        toasts = page.locator(".Toastify__toast").all_inner_texts()
        assert not toasts, f"a pop-up over the student's page: {toasts}"
        assert not page.locator("#nbgrader-create_assignemnt").count(), "the Create Assignment panel is there"
        assert not page.locator(".jp-SideBar [title*='Create Assignment']").count()
        items = menu_items(page, "Nbgrader")
        assert not {"Formgrader", "Course List", "Create Assignment"} & set(items), f"Nbgrader menu: {items}"
        assert all(items), f"the Nbgrader menu has an empty entry: {items}"
        asked = [u for u in page.requested if "/lab/api/news" in u or "/lab/api/update" in u]
        assert not asked, f"the student's JupyterLab asked for news or updates: {asked}"
        formgrader = page.request.get(f"{url}/formgrader?token={token}")
        assert formgrader.status == 404, "the formgrader is served in the student's view"

        panel = page.evaluate("""async (path) => {
            const panel = await window.jupyterapp.commands.execute('docmanager:open', {path});
            await panel.context.ready; await panel.sessionContext.ready;
            return panel.id; }""", f"{LAB}/{LAB}.ipynb")
        page.locator(f"#{panel} .validate-button").click()
        dialog = page.locator(".jp-Dialog")
        dialog.wait_for(timeout=VALIDATE_TIMEOUT)
        text = dialog.locator(".jp-Dialog-body").inner_text()
        page.screenshot(path=ARTIFACTS / "view-student-validate.png")
        assert "The following cell failed" in text, f"Validate on the untouched lab said: {text[:500]!r}"


def test_instructor_view(chromium_browser, course, tmp_path):
    with make_target("instructor", course, tmp_path) as (url, token), \
            lab(chromium_browser, url, token, "instructor") as page:
        assert set(INSTRUCTOR_PLUGINS) <= plugins(page)
        files = page.evaluate("async () => (await window.jupyterapp.serviceManager.contents.get('')).content"
                              ".map(item => item.name)")
        assert {"nbgrader_config.py", "solutions", "labs"} <= set(files), f"not the course root: {files}"
        open_menu(page, "Nbgrader", "Formgrader")
        formgrader = page.frame_locator("iframe[src*='formgrader']")
        formgrader.locator("text=Manage Assignments").first.wait_for()
        formgrader.locator(f"td.name a:text-is('{LAB}')").wait_for()
        page.screenshot(path=ARTIFACTS / "view-instructor-formgrader.png")
