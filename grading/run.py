"""The grading run: every submission in ``submitted/`` autograded by nbgrader in parallel worker processes.

Each worker imports nbgrader once and grades one submission at a time through ``NbGraderAPI.autograde`` with
``GuardedExecute`` in place of nbgrader's Execute. Figures are not rendered while grading (``MPLBACKEND=agg``):
they earn no points and are the bulk of the time and output. The worker checks the file first
(``grading.inspect``), records the outcome in the ledger after the gradebook is updated, and the main process
shows progress and collects the outcomes. Submissions whose recorded outcome matches their current checksum
are skipped unless ``force``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps.api import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    IgnorePattern,
    LimitOutput,
    OverwriteKernelspec,
    SaveAutoGrades,
)
from traitlets.config import Config, PyFileConfigLoader

from grading import preprocessors
from grading.course import check_kernel_helpers
from grading.inspect import prepare
from grading.outcomes import (
    CELLS_CHANGED,
    GRADED,
    GRADER_ERROR,
    INVALID,
    STATUSES,
    Ledger,
    Outcome,
)
from grading.staging import notebook_digest, stage


@dataclass
class Settings:
    """What a grading run needs to know; picklable, so that spawned workers get it."""

    root: str
    db_url: str
    cell_timeout: int | None = None  # None: nbgrader_config.py's Execute.timeout
    notebook_timeout: int = 300
    max_output_bytes: int = 2_000_000
    sandbox: bool = True  # run each student's kernel in grading.sandbox (bubblewrap)

    @property
    def ledger(self) -> Ledger:
        return Ledger(Path(self.root) / "outcomes")


def load_config(settings: Settings) -> Config:
    """The course's nbgrader_config.py plus what the grading run changes."""
    config = PyFileConfigLoader("nbgrader_config.py", path=settings.root).load_config()
    config.CourseDirectory.root = settings.root
    config.CourseDirectory.db_url = settings.db_url
    config.Autograde.autograde_preprocessors = [preprocessors.GuardedExecute, IgnorePattern, ClearMetadataPreprocessor,
                                                LimitOutput, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
    config.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec,
                                               preprocessors.OverwriteCellsSafely, CheckCellMetadata]
    config.OverwriteCells.add_missing_cells = True
    # ready without a 0.2 s IOPub flush per kernel
    config.KernelManager.client_class = "grading.kernel_client.PromptKernelClient"
    if settings.cell_timeout is not None:
        config.Execute.timeout = settings.cell_timeout
    config.GuardedExecute.notebook_timeout = settings.notebook_timeout
    if settings.sandbox:
        from grading.sandbox import SandboxedKernelManager

        config.GuardedExecute.kernel_manager_class = SandboxedKernelManager
    release = config.CourseDirectory.get("release_directory", "release")
    config.GuardedExecute.release_directory = str(Path(settings.root) / release)
    config.GuardedExecute.max_output_bytes = settings.max_output_bytes
    return config


def default_db_url(root: Path) -> str:
    """The course's gradebook, with a lock timeout so that parallel workers wait for each other's writes."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    url = config.CourseDirectory.get("db_url") or "sqlite:///gradebook.db"
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        url = f"sqlite:///{(root / url[len('sqlite:///'):]).resolve()}"
    if url.startswith("sqlite") and "?" not in url:
        url += "?timeout=120"
    return url


def api_for(settings: Settings) -> NbGraderAPI:
    config = load_config(settings)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


class Refused(Exception):
    """A grading run that must not start (or a task a worker must not grade), with the reason for a person."""


#: Where workers stage submissions for nbgrader (relative to the course root; git-ignored).
STAGING = ".grading/staging"

# --- worker side ----------------------------------------------------------------------------------------------

_WORKER: dict = {}


def kernel_variables(settings: Settings) -> dict[str, str]:
    """Environment variables of the grading process that its kernels need. Without the sandbox the kernel imports
    ``helpers`` from the grader's own copy (first on PYTHONPATH), never from wherever the venv's editable install
    points; the sandbox does the same with a bind (``grading.sandbox``)."""
    import helpers

    variables = {"MPLBACKEND": "agg",  # figures earn no points: not rendered while grading
                 "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    if not settings.sandbox:
        parent = str(Path(helpers.__path__[0]).parent)
        variables["PYTHONPATH"] = os.pathsep.join([parent, *filter(None, [os.environ.get("PYTHONPATH")])])
    return variables


@contextlib.contextmanager
def kernel_environment(settings: Settings):
    """``kernel_variables`` set while the block runs (for a kernel started outside a worker)."""
    saved = {key: os.environ.get(key) for key in kernel_variables(settings)}
    os.environ.update(kernel_variables(settings))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def init_worker(settings: Settings, staging: str | None = None, autograded: str | None = None) -> None:
    """Set up a grading process: its working directory, its kernels' environment, one nbgrader API, the staging
    folder nbgrader reads submissions from (``STAGING/<pid>`` unless given) and the folder it writes autograded
    notebooks to (the course's ``autograded/`` unless given)."""
    os.chdir(settings.root)  # nbgrader resolves the course's folders from the working directory
    os.environ.update(kernel_variables(settings))
    _WORKER["settings"] = settings
    _WORKER["api"] = api_for(settings)
    # nbgrader reads this worker's staged copies (grading.staging), never submitted/ itself
    _WORKER["staging"] = staging or f"{STAGING}/{os.getpid()}"
    _WORKER["api"].coursedir.submitted_directory = _WORKER["staging"]
    if autograded:
        _WORKER["api"].coursedir.autograded_directory = autograded


def staged_folder(student: str, lab: str) -> Path:
    """Where this worker process stages the submission (lab, student) for nbgrader."""
    return Path(_WORKER["settings"].root) / _WORKER["staging"] / student / lab


def autograded_folder(student: str, lab: str) -> Path:
    """Where nbgrader writes the autograded submission (lab, student) in this worker process."""
    return Path(_WORKER["settings"].root) / _WORKER["api"].coursedir.autograded_directory / student / lab


def _scores(settings: Settings, lab: str, student: str) -> tuple[float, float, dict[str, list[float]]]:
    with Gradebook(settings.db_url) as gradebook:
        submission = gradebook.find_submission(lab, student)
        cells = {grade.name: [grade.score, grade.max_score]
                 for notebook in submission.notebooks for grade in notebook.grades}
        return submission.score, submission.max_score, cells


def _record_zero(settings: Settings, lab: str, student: str) -> None:
    """An ungradable submission gets an explicit 0 for every graded cell (as nbgrader does for a missing
    notebook), never a 'needs manual grading' left over from an earlier run."""
    with Gradebook(settings.db_url) as gradebook:
        gradebook.update_or_create_student(student)
        submission = gradebook.update_or_create_submission(lab, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.manual_score = None
                grade.needs_manual_grade = False
        gradebook.db.commit()
    shutil.rmtree(autograded_folder(student, lab), ignore_errors=True)


#: nbgrader's own summary of a failed conversion, which names none of the errors it stands for.
_SUMMARY = "NbGraderException: Please see the"

#: Characters of nbgrader's log kept in a grader error's outcome (its end: the traceback).
LOG_TAIL = 6000


def _error_line(result: dict) -> str:
    """The exception that made nbgrader fail, from its captured log: the last one named there, not nbgrader's
    summary that points to it."""
    text = f"{result.get('log') or ''}\n{result.get('error') or ''}"
    # an exception's line in a traceback: its class, dotted module path and all ("jupyter_client.kernelspec.
    # NoSuchKernel: ..."), a colon and its message
    errors = [line.strip() for line in text.splitlines()
              if re.match(r"^\s*(?:[A-Za-z_]\w*\.)*[A-Z]\w*: \S", line) and _SUMMARY not in line]
    return (errors[-1] if errors else text.strip().splitlines()[-1] if text.strip() else "unknown error")[:300]


def grade_one(lab: str, student: str) -> Outcome:
    """Grade one submission of ``submitted/`` and record its outcome; never raises for anything the student did.

    nbgrader grades a staged copy of the submission folder (``grading.staging``: plain files only);
    ``submitted/`` is never modified."""
    settings: Settings = _WORKER["settings"]
    started = time.monotonic()
    submitted = Path(settings.root) / "submitted" / student / lab
    staged = staged_folder(student, lab)
    outcome = Outcome(lab=lab, student=student, status=GRADED)
    try:
        outcome.sha256 = notebook_digest(submitted / f"{lab}.ipynb")
        outcome.skipped = stage(submitted, staged)
        grade_staged(outcome)
    except Exception as error:  # noqa: BLE001 - a failure of the grader is recorded, never lost
        outcome.status, outcome.detail = GRADER_ERROR, f"{type(error).__name__}: {error}"[:300]
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    outcome.seconds = round(time.monotonic() - started, 2)
    settings.ledger.write(outcome)
    return outcome


def grade_staged(outcome: Outcome) -> None:
    """Grade the submission staged at ``staged_folder`` (``outcome.skipped``: what staging left out) and fill in
    the outcome: status, detail, scores and checks. The lab's cells are restored first (``grading.inspect``);
    a failure of the grader itself raises."""
    settings: Settings = _WORKER["settings"]
    root = Path(settings.root)
    lab, student = outcome.lab, outcome.student
    path = staged_folder(student, lab) / f"{lab}.ipynb"
    if not path.is_file():
        skipped = [item for item in outcome.skipped if item.startswith(f"{lab}.ipynb:")]
        problem, detail = INVALID, skipped[0] if skipped else f"no {lab}.ipynb in the submission"
    else:
        problem, detail = prepare(path, root / "labs" / lab / f"{lab}.ipynb", outcome.skipped)
    if problem == INVALID:
        _record_zero(settings, lab, student)
        outcome.status, outcome.detail = INVALID, detail
    else:
        preprocessors.INCIDENTS.clear()
        preprocessors.CHECKS.clear()
        result = _WORKER["api"].autograde(lab, student, force=True, create=True)
        outcome.checks = dict(preprocessors.CHECKS)
        if not result["success"]:
            outcome.status, outcome.detail = GRADER_ERROR, _error_line(result)
            outcome.log = f"{result.get('log') or ''}\n{result.get('error') or ''}".strip()[-LOG_TAIL:]
        else:
            found = [*preprocessors.INCIDENTS, *([(problem, detail)] if problem else [])]
            if outcome.skipped:
                found.append((CELLS_CHANGED, "not copied: " + "; ".join(outcome.skipped)))
            if found:
                status, _ = min(found, key=lambda item: STATUSES.index(item[0]))
                outcome.status = status
                outcome.detail = "; ".join(text for kind, text in found if kind == status)
                others = [text for kind, text in found if kind != status]
                if others:
                    outcome.detail += " (also: " + "; ".join(others) + ")"
    outcome.score, outcome.max_score, outcome.cells = _scores(settings, lab, student)


# --- main side ------------------------------------------------------------------------------------------------

def discover(root: Path, labs: list[str], shard: tuple[int, int] = (0, 1)) -> list[tuple[str, str]]:
    """(lab, student) for every submission folder ``submitted/<student>/<lab>``; with ``shard=(i, n)`` only the
    students whose position in the sorted list is i modulo n (for several graders sharing a gradebook)."""
    submitted = root / "submitted"
    students = sorted(p.name for p in submitted.iterdir() if p.is_dir()) if submitted.is_dir() else []
    index, count = shard
    students = [s for i, s in enumerate(students) if i % count == index]
    return [(lab, s) for lab in labs for s in students if (submitted / s / lab).is_dir()]


#: Key of the PostgreSQL advisory lock that graders sharing a gradebook take while they set it up ("nbgrader").
SETUP_LOCK_KEY = 0x6E62677261646572


@contextlib.contextmanager
def setup_lock(db_url: str):
    """Held while a grader sets up the gradebook. With PostgreSQL, graders started at once on a brand-new
    database would otherwise both create its tables and register the same lab, and one of them fails ('already
    exists'); with a session-level advisory lock they take turns. sqlite needs none here."""
    if not db_url.startswith("postgresql"):
        yield
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SETUP_LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SETUP_LOCK_KEY})
    finally:
        engine.dispose()


def ensure_assignments(settings: Settings, labs: list[str]) -> None:
    """Register each lab in the gradebook (nbgrader needs it to know the graded cells), generating it into a
    scratch folder so that the committed labs/ are not touched; one grader at a time (``setup_lock``)."""
    with setup_lock(settings.db_url):
        _register_assignments(settings, labs)


def _register_assignments(settings: Settings, labs: list[str]) -> None:
    with Gradebook(settings.db_url) as gradebook:
        missing = []
        for lab in labs:
            try:
                gradebook.find_assignment(lab)
            except MissingEntry:
                missing.append(lab)
    if not missing:
        return
    config = load_config(settings)
    with tempfile.TemporaryDirectory() as scratch:
        config.CourseDirectory.release_directory = os.path.relpath(scratch, settings.root)
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        with contextlib.chdir(settings.root):
            for lab in missing:
                result = api.generate_assignment(lab, force=True)
                if not result["success"]:
                    raise RuntimeError(f"could not register {lab} in the gradebook:\n{result.get('log', '')}")


class Progress:
    """A one-line progress bar with ETA on a terminal; one line per submission otherwise (logs, CI)."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.done, self.stream = total, 0, stream
        self.started = time.monotonic()
        self.tty = stream.isatty()

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        elapsed = time.monotonic() - self.started
        eta = elapsed / self.done * (self.total - self.done)
        width = 30
        bar = "#" * round(width * self.done / self.total) + "-" * (width - round(width * self.done / self.total))
        text = (f"[{bar}] {self.done}/{self.total} {elapsed:5.0f} s elapsed, ETA {eta:4.0f} s | "
                f"{outcome.student}/{outcome.lab}: {outcome.status} {outcome.score:g}/{outcome.max_score:g}")
        if self.tty:
            self.stream.write("\r" + text[:160].ljust(160))
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def grade(settings: Settings, labs: list[str], *, workers: int, force: bool = False,
          shard: tuple[int, int] = (0, 1), progress: bool = True) -> tuple[list[Outcome], int]:
    """Grade every new or changed submission of ``labs`` (all with ``force``); returns (outcomes of this run,
    number skipped as already graded)."""
    root = Path(settings.root)
    tasks = discover(root, labs, shard)
    ledger = settings.ledger
    todo = []
    for lab, student in tasks:
        digest = notebook_digest(root / "submitted" / student / lab / f"{lab}.ipynb")
        if force or not ledger.is_current(lab, student, digest):
            todo.append((lab, student))
    if not todo:
        return [], len(tasks)
    ensure_assignments(settings, sorted({lab for lab, _ in todo}))
    outcomes = []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init_worker,
                             initargs=(settings,)) as pool:
        # every worker starts (and imports nbgrader, 2 s) while the kernel's helpers are checked: the pool spawns
        # a process for each task that finds no idle one
        for _ in range(workers):
            pool.submit(os.getpid)
        refusal = check_kernel_helpers(settings)
        if refusal:
            raise Refused(f"grading refuses to start: {refusal}")
        bar = Progress(len(todo)) if progress else None
        futures = [pool.submit(grade_one, lab, student) for lab, student in todo]
        try:
            for future in as_completed(futures):
                outcome = future.result()
                outcomes.append(outcome)
                if bar:
                    bar.update(outcome)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return outcomes, len(tasks) - len(todo)
