"""Fixtures for the browser tests: one JupyterLab server over a throwaway copy of the course, one Chromium
(Debian's, driven by Playwright) for the whole session, and a fresh browser page per test.

The server runs in its own process group; at the end of the session (also when a check failed or setup broke)
it is stopped, and so is every kernel it started, each by its process id. Screenshots, the server's log and
the measured times go to ``tests/browser/screenshots/`` (git-ignored), the folder to open when a check fails.

Without Chromium or Playwright the tests are skipped with what to install, except under CI (``CI=true``),
where they fail: CI installs both (``.ci/run``).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from course import VENV_BIN, generate_labs, lab_names, make_course, subprocess_env

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE / "screenshots"
# A worker of xdist that runs browser tests has a server and a browser of its own, and writes its own timings and
# server log (with --dist=loadfile, as in make test, one worker runs all of test_jupyterlab.py).
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
SUFFIX = f"-{WORKER}" if WORKER else ""
TIMINGS = ARTIFACTS / f"timings{SUFFIX}.txt"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# As root Chromium needs --no-sandbox; the rest keep it off the network and quiet.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
SERVER_START_TIMEOUT = 180  # seconds; the machine may be busy with other tests (make test runs on both cores)
COURSE_ID = "prob4dl"
_LOADED = time.time()  # when pytest loaded this file: a timings file older than that is from an earlier run

# The JupyterLab user settings of the test server: no "Would you like to get notified about official Jupyter
# news?" toast over the page and no requests to the internet.
LAB_SETTINGS = {"@jupyterlab/apputils-extension/notification.jupyterlab-settings":
                {"fetchNews": "false", "checkForUpdates": False}}


def _missing(what: str) -> None:
    """Skip for want of ``what``, but fail under CI, which is meant to have everything."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} (CI=true: .ci/run must install it)", pytrace=False)
    pytest.skip(what)


# --- processes ----------------------------------------------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (state, ppid, ...), or None if it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _identity(pid: int) -> tuple[int, str] | None:
    """(pid, start time): tells a process from a later one that reuses its id. None if gone or a zombie."""
    fields = _stat(pid)
    if fields is None or fields[0] in "ZX":
        return None
    return pid, fields[19]


def _all_pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def _descendants(root: int) -> set[tuple[int, str]]:
    """Every living process below ``root`` in the process tree."""
    children: dict[int, list[int]] = {}
    for pid in _all_pids():
        fields = _stat(pid)
        if fields is not None:
            children.setdefault(int(fields[1]), []).append(pid)
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            identity = _identity(child)
            if identity is not None and identity not in found:
                found.add(identity)
                todo.append(child)
    return found


def _kernels_of(server: int) -> set[tuple[int, str]]:
    """Kernels the server started, found by the JPY_PARENT_PID jupyter_client sets in their environment; they
    run in sessions of their own, so they are not in the server's process group and outlive it if killed."""
    marker = f"JPY_PARENT_PID={server}".encode()
    found = set()
    for pid in _all_pids():
        with contextlib.suppress(OSError):
            if marker in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                identity = _identity(pid)
                if identity is not None:
                    found.add(identity)
    return found


def _wait_gone(identities: set[tuple[int, str]], timeout: float) -> set[tuple[int, str]]:
    deadline = time.monotonic() + timeout
    alive = {i for i in identities if _identity(i[0]) == i}
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = {i for i in alive if _identity(i[0]) == i}
    return alive


def _signal(identities: set[tuple[int, str]], sig: int) -> None:
    for pid, start in identities:
        if _identity(pid) == (pid, start):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)


def stop_server(process: subprocess.Popen) -> list[str]:
    """Stop the server and every process it started (kernels, nbgrader), by process id: SIGTERM first (the
    server then shuts its kernels down itself), SIGKILL for whatever is left. Returns what had to be killed."""
    notes = []
    if process.poll() is None:
        started = _descendants(process.pid) | _kernels_of(process.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            notes.append(f"server {process.pid} ignored SIGTERM: killed")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    else:
        started = set()
    left = _wait_gone(started | _kernels_of(process.pid), timeout=5)
    if left:
        _signal(left, signal.SIGTERM)
        left = _wait_gone(left, timeout=5)
    if left:
        notes.append(f"killed {sorted(p for p, _ in left)} that outlived the server")
        _signal(left, signal.SIGKILL)
        left = _wait_gone(left, timeout=5)
    if left:
        notes.append(f"could not stop {sorted(p for p, _ in left)}")
    return notes


# --- the server ---------------------------------------------------------------------------------------------


@dataclass
class JupyterLab:
    """The running test server, its course copy, and what the tests measured."""

    url: str
    token: str
    course: Path
    process: subprocess.Popen
    log: Path
    labs: list[str]
    broken_labs: dict[str, str]  # lab -> why its student version could not be generated
    timings: dict[str, dict[str, float]] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)

    def api(self, method: str, path: str, timeout: float = 10):
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback URL
            body = response.read()
        return json.loads(body) if body else None

    def stop_kernels(self) -> None:
        """Shut down every session's kernel through the server (between tests, to spare memory)."""
        with contextlib.suppress(OSError, urllib.error.URLError):
            for session in self.api("GET", "/api/sessions"):
                self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)

    def record(self, lab: str, what: str, seconds: float) -> None:
        self.timings.setdefault(lab, {})[what] = round(seconds, 2)
        write_timings(self.timings)


def write_timings(timings: dict[str, dict[str, float]]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    lines = ["Browser tests: measured times in seconds (tests/browser/conftest.py writes this file)."]
    for group, values in timings.items():
        lines.append(f"{group}:")
        lines += [f"  {what:<50} {seconds:8.2f}" for what, seconds in values.items()]
    TIMINGS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (ARTIFACTS / f"timings{SUFFIX}.json").write_text(json.dumps(timings, indent=1), encoding="utf-8")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _build_course(directory: Path, labs: list[str]) -> tuple[list[str], dict[str, str]]:
    """The course copy with every lab that nbgrader can generate; a lab that cannot is reported by its own
    test instead of stopping the others."""
    make_course(directory, [])
    broken = generate_labs(directory, labs)
    built = [lab for lab in labs if lab not in broken]
    # An exchange of its own, so the instructor can release labs and the assignment list can show them.
    exchange = directory.parent / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    with (directory / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(f"c.Exchange.root = {str(exchange)!r}\nc.CourseDirectory.course_id = {COURSE_ID!r}\n")
    return built, broken


def _jupyter_env(home: Path) -> dict[str, str]:
    """The venv's programs first on PATH, and Jupyter's config, data, runtime, settings and workspace folders
    in the throwaway folder, so nothing the user set up leaks in and nothing the test does leaks out."""
    env = subprocess_env()
    folders = {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_DATA_DIR": "data", "JUPYTER_RUNTIME_DIR": "runtime",
               "JUPYTERLAB_SETTINGS_DIR": "settings", "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
               "IPYTHONDIR": "ipython", "MPLCONFIGDIR": "matplotlib"}
    for variable, name in folders.items():
        (home / name).mkdir(parents=True, exist_ok=True)
        env[variable] = str(home / name)
    for name, settings in LAB_SETTINGS.items():
        path = home / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings), encoding="utf-8")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _wait_until_up(process: subprocess.Popen, url: str, token: str, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {process.returncode} while starting; its log:\n"
                               + log.read_text(encoding="utf-8", errors="replace")[-4000:])
        request = urllib.request.Request(f"{url}/api/status", headers={"Authorization": f"token {token}"})
        with contextlib.suppress(OSError, urllib.error.URLError):
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback URL
                if response.status == 200:
                    return
        time.sleep(0.25)
    raise RuntimeError(f"JupyterLab did not answer within {SERVER_START_TIMEOUT} s; its log:\n"
                       + log.read_text(encoding="utf-8", errors="replace")[-4000:])


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium and Playwright for Python, or a skip (a failure under CI) saying what to install."""
    if importlib.util.find_spec("playwright") is None:
        _missing("Playwright for Python is not installed: pip install 'playwright>=1.50' (make setup does)")
    if not os.access(CHROMIUM, os.X_OK):
        _missing(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    return CHROMIUM


def _labs_to_serve(session: pytest.Session) -> list[str]:
    """The labs the selected browser tests need (``-k 01`` builds Lab 1 only: a lab's test is in a class with
    the lab as its ``lab`` attribute); every lab if a test that is not about one lab (the instructor's pages) is
    selected."""
    tests = [item for item in session.items if Path(item.path).resolve().parent == HERE]
    wanted = {getattr(item.cls, "lab", None) for item in tests}
    if None in wanted:
        return lab_names()
    return [lab for lab in lab_names() if lab in wanted]


@pytest.fixture(scope="session")
def jupyterlab(request, chromium, tmp_path_factory):
    """JupyterLab serving a throwaway copy of the course (labs generated by nbgrader, its own gradebook and
    exchange), on a free loopback port, for the whole session."""
    suite_start = time.perf_counter()
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")  # the same in every worker of one run
    marker = ARTIFACTS / ".run"
    if ARTIFACTS.exists() and not (run and marker.is_file() and marker.read_text(encoding="utf-8") == run):
        for old in [*ARTIFACTS.glob("*.png"), *ARTIFACTS.glob("*.txt"), *ARTIFACTS.glob("*.json"),
                    *ARTIFACTS.glob("*.log")]:  # the last run's files, not another worker's of this run
            old.unlink(missing_ok=True)
    ARTIFACTS.mkdir(exist_ok=True)
    marker.write_text(run, encoding="utf-8")
    home = tmp_path_factory.mktemp("jupyterlab")
    course = home / "course"
    labs, broken = _build_course(course, _labs_to_serve(request.session))
    course_built = time.perf_counter()

    token, port = secrets.token_hex(16), _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(VENV_BIN / "jupyter-lab"), "--no-browser", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={course}",
               f"--IdentityProvider.token={token}",
               # window.jupyterapp: lets a test wait for a command the menu started, and read cell outputs.
               "--LabApp.expose_app_in_browser=True",
               "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = home / "server.log"
    with log.open("w", encoding="utf-8") as log_file:
        # Its own process group (and session): stopped by its id, with nothing else of this run.
        process = subprocess.Popen(command, cwd=course, env=_jupyter_env(home), stdout=log_file,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    server = JupyterLab(url=url, token=token, course=course, process=process, log=log, labs=labs,
                        broken_labs=broken)
    try:
        _wait_until_up(process, url, token, log)
        server.record("session", f"course copy (make_course, {len(labs) + len(broken)} labs)",
                      course_built - suite_start)
        server.record("session", "server start", time.perf_counter() - course_built)
        yield server
    finally:
        notes = stop_server(process)
        shutil.copy(log, ARTIFACTS / f"server{SUFFIX}.log")
        server.record("session", "browser suite total (setup to teardown)", time.perf_counter() - suite_start)
    if notes:
        pytest.fail("stopping JupyterLab: " + "; ".join(notes), pytrace=False)


@pytest.fixture(scope="session")
def chromium_browser(chromium):
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS, timeout=120_000)
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so the page fixture knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def lab_page(request, chromium_browser, jupyterlab):
    """A fresh browser page with JupyterLab loaded (its workspace reset). On a failure a screenshot of the page
    is saved; afterwards every kernel the test started is shut down."""
    context = chromium_browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    try:
        start = time.perf_counter()
        page.goto(f"{jupyterlab.url}/lab?reset&token={jupyterlab.token}", timeout=120_000)
        page.wait_for_function("() => window.jupyterapp !== undefined", timeout=120_000)
        page.evaluate("async () => { await window.jupyterapp.restored; }")
        # Every command a menu item or button starts, with whether it has finished: a test can click "Run All"
        # and wait for exactly that run to end.
        page.evaluate("""() => {
            window.browserTest = {commands: []};
            window.jupyterapp.commands.commandExecuted.connect((_, args) => {
                const entry = {id: args.id, done: false, failed: null};
                window.browserTest.commands.push(entry);
                Promise.resolve(args.result).then(() => { entry.done = true; },
                                                  (e) => { entry.done = true; entry.failed = String(e); });
            });
        }""")
        page.load_time = time.perf_counter() - start
        yield page
    finally:
        failed = any(getattr(request.node, f"report_{when}", None) is not None
                     and getattr(request.node, f"report_{when}").failed for when in ("setup", "call"))
        if failed:
            name = _safe(request.node.nodeid.split("::", 1)[-1])  # a lab's class and test, e.g. TestLab_01_...
            with contextlib.suppress(Exception):
                page.screenshot(path=ARTIFACTS / f"{name}-at-failure.png")
            (ARTIFACTS / f"{name}-console.txt").write_text(
                "\n".join(page.console_errors) + "\n", encoding="utf-8")
        with contextlib.suppress(Exception):
            context.close()
        jupyterlab.stop_kernels()


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name)


def pytest_terminal_summary(terminalreporter):
    """The measured times of this run's browser tests (one file per xdist worker)."""
    files = sorted(p for p in ARTIFACTS.glob("timings*.txt") if p.stat().st_mtime >= _LOADED)
    for path in files:
        terminalreporter.write_sep("-", f"browser test timings ({path.name})")
        terminalreporter.write(path.read_text(encoding="utf-8"))
    if files:
        terminalreporter.write_line(f"screenshots, server log and timings: {ARTIFACTS}")
