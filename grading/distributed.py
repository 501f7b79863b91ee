"""Grading on several machines: one Celery task per submission through Redis, grades in a shared PostgreSQL gradebook.

    python -m grading worker --broker redis://:PASSWORD@HOST:6379/0 --db-url postgresql://... [--concurrency N]
    python -m grading grade  --broker redis://:PASSWORD@HOST:6379/0 --db-url postgresql://... [LAB ...]

The coordinator (``grade --broker``) finds the new or changed submissions as local grading does, stages each one
(``grading.staging``: plain files only), zips it, and sends it as a task: the lab, the student, the notebook's
checksum, the course's version (``grading.course.course_version``), the grading limits, the zip and its checksum,
all signed with HMAC-SHA256 under the course's key (a secret file every machine has, never in git). A worker
(``worker``) checks the task (``check_task``: complete, signed with the key, made for its own course version,
a notebook budget shorter than the broker's visibility timeout, a zip of plain files whose checksum matches),
unpacks it into its own staging folder, grades it with the same sandbox, limits and trusted checks as local
grading (``grading.run.grade_staged``), writes the grade to the shared gradebook and returns the outcome and the
autograded notebook folder. The coordinator stores them where local grading does (``outcomes/``,
``autograded/``); reports and feedback then work as after local grading. A worker shares no folder with the
coordinator.

Nothing lost, nothing twice: tasks are acknowledged late (after the result is stored) and a task whose worker
died is delivered again, to a live worker, once the broker's visibility timeout has passed (Redis keeps unacked
tasks aside; every worker looks for expired ones every few seconds). A task's id is made of (lab, student,
notebook checksum, course version): a task delivered again overwrites the same result, and the gradebook keeps
one submission per (lab, student), so a submission ends with one outcome and one set of grades. A worker that
finds its task's result already stored returns it without grading again. The coordinator marks each task it
sends in Redis until it has stored its result; stopped and started again, it takes the results already done,
waits for the tasks still marked, and sends only what is missing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import re
import shutil
import socket
import stat
import tempfile
import time
import zipfile
from dataclasses import asdict
from pathlib import Path

from grading.outcomes import GRADED, GRADER_ERROR, Outcome
from grading.run import STAGING, Refused

QUEUE = "grading"
TASK = "grading.grade"
#: Seconds a task may stay unacknowledged before the broker gives it to another worker; longer than the notebook
#: budget (300 s by default) plus staging, kernel start and gradebook writes.
VISIBILITY_TIMEOUT = 900
#: A course key shorter than this is refused (``python -c "import secrets; print(secrets.token_hex(32))"``).
MIN_KEY_BYTES = 32
#: The largest zipped submission a task may carry, and the most it may unpack to (as grading.staging allows).
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
#: What a task holds, with the type of each field; ``signature`` is HMAC-SHA256 over all the others.
FIELDS = {"lab": str, "student": str, "sha256": str, "version": str, "archive": str, "archive_sha256": str,
          "skipped": list, "cell_timeout": (int, type(None)), "notebook_timeout": int, "max_output_bytes": int,
          "signature": str}
#: Student and lab names a task may carry: they become folder names on the worker.
SAFE_NAME = re.compile(r"^[A-Za-z0-9_@+][A-Za-z0-9._@+-]{0,127}$")
#: The prefix of the Redis keys with which the coordinator marks the tasks it sent and has not collected.
SENT = "grading:sent:"


# --- the key and the signature -----------------------------------------------------------------------------------

def load_key(path: Path | None) -> bytes:
    """The course's task key from ``path`` (``--key-file``, or the file named by $GRADING_KEY_FILE)."""
    path = path or (Path(os.environ["GRADING_KEY_FILE"]) if os.environ.get("GRADING_KEY_FILE") else None)
    if path is None:
        raise Refused("grading through a broker needs the course's task key: pass --key-file FILE (or set "
                      "GRADING_KEY_FILE), the same secret file on every machine; make one with python -c "
                      "\"import secrets; print(secrets.token_hex(32))\" > FILE")
    try:
        key = Path(path).read_bytes().strip()
    except OSError as error:
        raise Refused(f"cannot read the task key {path}: {error.strerror or error}") from None
    if len(key) < MIN_KEY_BYTES:
        raise Refused(f"the task key {path} is too short ({len(key)} bytes; at least {MIN_KEY_BYTES})")
    return key


def signature(task: dict, key: bytes) -> str:
    """HMAC-SHA256 under ``key`` of every field of ``task`` but the signature, as canonical JSON."""
    body = json.dumps({k: v for k, v in task.items() if k != "signature"}, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def task_id(lab: str, student: str, sha256: str, version: str, generation: str = "") -> str:
    """The id of the task grading this notebook at this course version: the same for a task sent again."""
    return f"{lab}/{student}/{sha256[:20]}/{version[:12]}{'/' + generation if generation else ''}"


# --- the coordinator's side ---------------------------------------------------------------------------------------

def pack(folder: Path) -> bytes:
    """A zip of the plain files under ``folder`` (paths relative to it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def make_task(settings, lab: str, student: str, version: str, key: bytes) -> tuple[dict, str]:
    """The signed task for ``submitted/<student>/<lab>``, staged as local grading stages it; and its notebook's
    checksum."""
    from grading.staging import notebook_digest, stage

    submitted = Path(settings.root) / "submitted" / student / lab
    with tempfile.TemporaryDirectory(prefix="grading-task-") as scratch:
        staged = Path(scratch) / lab
        skipped = stage(submitted, staged)
        archive = pack(staged)
    sha = notebook_digest(submitted / f"{lab}.ipynb")
    task = {"lab": lab, "student": student, "sha256": sha, "version": version,
            "archive": base64.b64encode(archive).decode(), "archive_sha256": hashlib.sha256(archive).hexdigest(),
            "skipped": skipped, "cell_timeout": settings.cell_timeout, "notebook_timeout": settings.notebook_timeout,
            "max_output_bytes": settings.max_output_bytes}
    task["signature"] = signature(task, key)
    return task, sha


def make_app(broker: str, visibility_timeout: int = VISIBILITY_TIMEOUT):
    """The Celery app of coordinator and workers: JSON only, late acknowledgement, one task at a time per process."""
    from celery import Celery

    app = Celery("grading", broker=broker, backend=broker, set_as_current=False)
    transport = {"visibility_timeout": visibility_timeout,
                 # look for the tasks of a dead worker every few seconds, not every 100 (kombu's 10 x 10)
                 "unacked_restore_interval": max(1, min(10, visibility_timeout // 4)), "unacked_restore_throttle": 1}
    app.conf.update(task_serializer="json", result_serializer="json", accept_content=["json"],
                    result_accept_content=["json"], task_acks_late=True, task_reject_on_worker_lost=True,
                    worker_prefetch_multiplier=1, task_default_queue=QUEUE, broker_transport_options=transport,
                    result_backend_transport_options=transport, result_expires=7 * 24 * 3600,
                    broker_connection_retry_on_startup=True)
    app.task(name=TASK, bind=True)(_grade_task)
    return app


def _store(settings, lab: str, student: str, sha: str, value) -> Outcome:
    """Store a worker's result as local grading would: the outcome in the ledger, the autograded folder."""
    root = Path(settings.root)
    if isinstance(value, dict) and "outcome" in value:
        outcome = Outcome(**value["outcome"])
        target = root / "autograded" / student / lab
        shutil.rmtree(target, ignore_errors=True)
        if value.get("autograded"):
            unpack(base64.b64decode(value["autograded"]), target)
    elif isinstance(value, dict) and "refused" in value:
        outcome = Outcome(lab=lab, student=student, status=GRADER_ERROR, sha256=sha,
                          detail=f"refused by worker {value.get('worker', '?')}: {value['refused']}"[:500])
    else:  # the task raised in the worker: a failure of the grader
        outcome = Outcome(lab=lab, student=student, status=GRADER_ERROR, sha256=sha,
                          detail=f"the worker failed: {type(value).__name__}: {value}"[:500])
    settings.ledger.write(outcome)
    return outcome


def grade(settings, labs: list[str], *, broker: str, key: bytes, force: bool = False,
          shard: tuple[int, int] = (0, 1), progress: bool = True, log=None) -> tuple[list[Outcome], int, dict]:
    """Grade every new or changed submission of ``labs`` (all with ``force``) on the workers listening on
    ``broker``; returns (outcomes of this run, number skipped as already graded, figures of the run)."""
    import redis
    from celery.result import ResultSet

    from grading.course import course_version
    from grading.run import Progress, discover, ensure_assignments
    from grading.staging import notebook_digest

    log = log or (lambda text: print(text, flush=True))
    root = Path(settings.root)
    todo = []
    found = discover(root, labs, shard)
    for lab, student in found:
        sha = notebook_digest(root / "submitted" / student / lab / f"{lab}.ipynb")
        if force or not settings.ledger.is_current(lab, student, sha):
            todo.append((lab, student))
    if not todo:
        return [], len(found), {}
    ensure_assignments(settings, sorted({lab for lab, _ in todo}))
    version = course_version(root)
    app = make_app(broker)
    marks = redis.Redis.from_url(broker)
    generation = f"force-{time.time_ns()}" if force else ""
    pending: dict[str, tuple[str, str, str]] = {}
    figures = {"done": 0, "waiting": 0, "sent": 0, "enqueue_seconds": 0.0, "store_seconds": 0.0}
    for lab, student in todo:
        started = time.perf_counter()
        sha = notebook_digest(root / "submitted" / student / lab / f"{lab}.ipynb")
        tid = task_id(lab, student, sha, version, generation)
        pending[tid] = (lab, student, sha)
        if app.AsyncResult(tid).state == "SUCCESS":
            figures["done"] += 1
        elif marks.exists(SENT + tid):
            figures["waiting"] += 1
        else:
            task, sha = make_task(settings, lab, student, version, key)
            pending[tid] = (lab, student, sha)
            app.send_task(TASK, args=[task], task_id=tid, queue=QUEUE)
            marks.set(SENT + tid, "1")
            figures["sent"] += 1
        figures["enqueue_seconds"] += time.perf_counter() - started
    sending = figures["enqueue_seconds"]
    log(f"{figures['sent']} task(s) sent in {sending:.2f} s ({1000 * sending / len(pending):.1f} ms per submission), "
        f"{figures['waiting']} still queued from an earlier run, {figures['done']} already graded by a worker; "
        f"course version {version[:12]}")
    bar = Progress(len(pending)) if progress else None
    outcomes = []

    def collect(tid, value):
        started = time.perf_counter()
        lab, student, sha = pending[tid]
        outcome = _store(settings, lab, student, sha, value)
        app.AsyncResult(tid).forget()
        marks.delete(SENT + tid)
        outcomes.append(outcome)
        figures["store_seconds"] += time.perf_counter() - started
        if bar:
            bar.update(outcome)

    results = ResultSet([app.AsyncResult(tid) for tid in pending], app=app)
    results.join_native(callback=collect, propagate=False, timeout=None)
    marks.close()
    count = len(pending)
    log(f"coordinator: {1000 * figures['enqueue_seconds'] / count:.1f} ms per submission to enqueue, "
        f"{1000 * figures['store_seconds'] / count:.1f} ms to store its result")
    return outcomes, len(found) - len(todo), figures


# --- the worker's side --------------------------------------------------------------------------------------------

_STATE: dict = {}


def unpack(archive: bytes, target: Path) -> None:
    """Unpack a task's zip into ``target``: plain files under it only, at most MAX_ARCHIVE_BYTES; Refused if not."""
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
            entries = bundle.infolist()
            if sum(entry.file_size for entry in entries) > MAX_ARCHIVE_BYTES:
                raise Refused(f"the submission unpacks to more than {MAX_ARCHIVE_BYTES // 2**20} MiB")
            for entry in entries:
                name = Path(entry.filename)
                kind = stat.S_IFMT(entry.external_attr >> 16)
                if name.is_absolute() or ".." in name.parts or (kind and kind not in (stat.S_IFREG, stat.S_IFDIR)):
                    raise Refused(f"the submission's zip holds {entry.filename!r}, which is not a plain file in it")
            target.mkdir(parents=True, exist_ok=True)
            bundle.extractall(target)
    except zipfile.BadZipFile as error:
        raise Refused(f"the submission is not a readable zip ({error})") from None


def check_task(task, key: bytes, version: str, labs: set[str], visibility_timeout: int) -> bytes:
    """The zipped submission of a task the worker may grade; Refused, with the reason, for any other."""
    if not isinstance(task, dict):
        raise Refused(f"malformed task: {type(task).__name__}, not an object")
    missing = [name for name in FIELDS if name not in task]
    wrong = [name for name, kind in FIELDS.items() if name in task and not isinstance(task[name], kind)]
    if missing or wrong or set(task) - set(FIELDS):
        raise Refused("malformed task: " + "; ".join(filter(None, [
            missing and f"missing {', '.join(missing)}", wrong and f"wrong type of {', '.join(wrong)}",
            set(task) - set(FIELDS) and f"unknown {', '.join(sorted(set(task) - set(FIELDS)))}"])))
    if not hmac.compare_digest(task["signature"], signature(task, key)):
        raise Refused("forged task: its signature does not match the course's key (or the task was altered)")
    if task["version"] != version:
        raise Refused(f"the task is for course version {task['version'][:12]}, this worker's course is at "
                      f"{version[:12]}: check out the same commit on every machine")
    if task["lab"] not in labs or not SAFE_NAME.match(task["student"]):
        raise Refused(f"malformed task: unknown lab {task['lab']!r} or unusable student name {task['student']!r}")
    if task["notebook_timeout"] >= visibility_timeout:
        raise Refused(f"the notebook budget ({task['notebook_timeout']} s) is not shorter than the broker's "
                      f"visibility timeout ({visibility_timeout} s): a task would be given to a second worker")
    try:
        archive = base64.b64decode(task["archive"], validate=True)
    except ValueError:
        raise Refused("malformed task: the submission is not base64") from None
    if len(archive) > MAX_ARCHIVE_BYTES or hashlib.sha256(archive).hexdigest() != task["archive_sha256"]:
        raise Refused("the submission's checksum does not match the task's")
    return archive


def run_task(task) -> dict:
    """Grade one task in this worker process: {"outcome", "autograded", "worker"}, or {"refused", "worker"}."""
    from grading import run

    worker = _STATE["name"]
    try:
        archive = check_task(task, _STATE["key"], _STATE["version"], _STATE["labs"], _STATE["visibility_timeout"])
    except Refused as refusal:
        return {"refused": str(refusal), "worker": worker}
    settings = _STATE["settings"]
    wanted = (task["cell_timeout"], task["notebook_timeout"], task["max_output_bytes"])
    if (settings.cell_timeout, settings.notebook_timeout, settings.max_output_bytes) != wanted:
        settings.cell_timeout, settings.notebook_timeout, settings.max_output_bytes = wanted
        run.init_worker(settings, _STATE["staging"], _STATE["autograded"])  # the coordinator's limits
    lab, student = task["lab"], task["student"]
    started = time.monotonic()
    staged = run.staged_folder(student, lab)
    autograded = run.autograded_folder(student, lab)
    outcome = Outcome(lab=lab, student=student, status=GRADED, sha256=task["sha256"], skipped=list(task["skipped"]))
    packed = b""
    try:
        shutil.rmtree(staged, ignore_errors=True)
        unpack(archive, staged)
        run.grade_staged(outcome)
        if autograded.is_dir():
            packed = pack(autograded)
    except Refused as refusal:
        return {"refused": str(refusal), "worker": worker}
    except Exception as error:  # noqa: BLE001 - a failure of the grader is reported, never lost
        outcome.status, outcome.detail = GRADER_ERROR, f"{type(error).__name__}: {error}"[:300]
    finally:
        shutil.rmtree(staged, ignore_errors=True)
        shutil.rmtree(autograded, ignore_errors=True)  # the worker keeps no student's files
    outcome.seconds = round(time.monotonic() - started, 2)
    return {"outcome": asdict(outcome), "autograded": base64.b64encode(packed).decode(), "worker": worker}


def _grade_task(self, task):
    stored = self.AsyncResult(self.request.id)
    if stored.state == "SUCCESS":  # delivered again after it was graded (its worker died before the ack)
        return stored.result
    return run_task(task)


#: Where each worker process of a checkout stages its tasks and nbgrader writes their autograded notebooks, by pid
#: (relative to the course root): never the course's own ``autograded/``, which the coordinator may share.
WORKER_FOLDERS = (STAGING, ".grading/autograded")


def _init_process(**_) -> None:
    from grading import run

    _STATE["staging"], _STATE["autograded"] = (f"{folder}/{os.getpid()}" for folder in WORKER_FOLDERS)
    _STATE["name"] = f"{socket.gethostname()}:{os.getpid()}"
    run.init_worker(_STATE["settings"], _STATE["staging"], _STATE["autograded"])


def remove_leftovers(root: Path) -> list[Path]:
    """Remove what worker processes that are no longer running left in ``WORKER_FOLDERS`` (a worker killed in
    the middle of a task leaves its student's files); returns the folders removed."""
    removed = []
    for parent in WORKER_FOLDERS:
        for folder in sorted((root / parent).glob("*")):
            if folder.name.isdigit() and not Path(f"/proc/{folder.name}").exists():
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def work(settings, *, broker: str, key: bytes, concurrency: int, visibility_timeout: int = VISIBILITY_TIMEOUT,
         hostname: str | None = None, loglevel: str = "INFO") -> None:
    """Run a Celery worker grading tasks from ``broker`` with ``concurrency`` processes, until stopped."""
    from celery.signals import worker_process_init

    from grading.course import check_kernel_helpers, course_version

    if visibility_timeout < 10:
        raise Refused(f"--visibility-timeout must be at least 10 s, not {visibility_timeout}; it must be longer "
                      "than the notebook budget of the tasks (300 s by default), which are refused otherwise")
    refusal = check_kernel_helpers(settings)
    if refusal:
        raise Refused(f"the worker refuses to start: {refusal}")
    root = Path(settings.root)
    for folder in remove_leftovers(root):
        print(f"removed {folder.relative_to(root)}, left by a worker process that is gone", flush=True)
    _STATE.update(settings=settings, key=key, version=course_version(root), visibility_timeout=visibility_timeout,
                  labs={p.name for p in (root / "solutions").iterdir() if p.is_dir()})
    print(f"grading worker for course version {_STATE['version'][:12]} at {root}", flush=True)
    app = make_app(broker, visibility_timeout)
    worker_process_init.connect(_init_process, weak=False)
    name = hostname or f"grading-{os.getpid()}@{socket.gethostname()}"
    app.worker_main(["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}", "-Q", QUEUE, "-n", name,
                     "--without-gossip", "--without-mingle", "--pool=prefork"])
