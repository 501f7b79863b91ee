"""Grading on several machines (grading.distributed), end to end: a real Redis server and a real PostgreSQL server
started on loopback, Celery workers as separate processes, each with its own copy of the course and no sight of
the coordinator's folder (bubblewrap hides it from them), a class of 12 submissions over two labs (right, wrong
and broken ones).

- the grades equal those of local grading, every submission has exactly one outcome and one set of grades, even
  though the coordinator is killed after sending its tasks, started again, and one worker is killed with SIGKILL
  in the middle of the run;
- a worker at another course version refuses its tasks, and forged or malformed tasks are refused with a reason,
  leaving the gradebook untouched;
- check_task and unpack refuse what they must, without any server.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import redis
from course import make_course, notebook_path, read_notebook, solution_answers, subprocess_env
from nbgrader.api import Gradebook, SubmittedAssignment
from services import postgres_server, redis_server
from test_grading import answered, submit
from wrong_answers import bank

from grading import distributed
from grading.outcomes import GRADER_ERROR
from grading.run import Refused, Settings

LABS = ["01_distributions", "04_categorical_cross_entropy"]
CELL_TIMEOUT, NOTEBOOK_TIMEOUT, VISIBILITY = 5, 20, 30
KEY = "k" * 24 + "0123456789abcdef"


@pytest.fixture(scope="module")
def servers(sandbox):
    with redis_server() as broker, postgres_server() as new_database:
        yield broker, new_database


@pytest.fixture(scope="module")
def key_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("key") / "task.key"
    path.write_text(KEY)
    return path


def class_of(course: Path) -> dict[tuple[str, str], str]:
    """Per lab: the solution, the untouched lab, two wrong answers from the bank, an answer that kills the kernel,
    a corrupt file (12 submissions over two labs). Returns what each (lab, student) is."""
    made = {}
    for lab in LABS:
        release = read_notebook(notebook_path(lab, course / "labs"))
        solution = solution_answers(lab)
        submit(course, lab, "right", answered(release, solution))
        submit(course, lab, "untouched", release)
        for k, (exercise, mistakes) in enumerate(list(bank(lab).items())[:2]):
            submit(course, lab, f"wrong_{k + 1}", answered(release, {**solution, exercise: list(mistakes.values())[0]}))
        first = next(iter(solution))
        submit(course, lab, "os_exit", answered(release, {**solution, first: "import os\nos._exit(1)"}))
        submit(course, lab, "corrupt", text='{"cells": [')
        made.update({(lab, s.name): s.name for s in (course / "submitted").iterdir() if (s / lab).is_dir()})
    return made


def command(*args: str, db_url: str) -> list[str]:
    return [sys.executable, "-m", "grading", "--db-url", db_url, *args]


def coordinator(course: Path, broker: str, db_url: str, key: Path, *labs: str, extra=(),
                cell_timeout: int = CELL_TIMEOUT) -> subprocess.Popen:
    return subprocess.Popen(command("grade", *(labs or LABS), "--broker", broker, "--key-file", str(key),
                                    "--cell-timeout", str(cell_timeout), "--notebook-timeout", str(NOTEBOOK_TIMEOUT),
                                    *extra, db_url=db_url),
                            cwd=course, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)


class Worker:
    """``python -m grading worker`` in its own course copy, in a process group of its own, unable to see
    ``hidden`` (the coordinator's course folder): bubblewrap puts an empty tmpfs over it."""

    def __init__(self, course: Path, name: str, broker: str, db_url: str, key: Path, hidden: Path):
        self.course, self.log = course, course.parent / f"{name}.log"
        self.handle = self.log.open("w")
        args = command("worker", "--broker", broker, "--key-file", str(key), "--concurrency", "1",
                       "--visibility-timeout", str(VISIBILITY), "--hostname", f"{name}@test", db_url=db_url)
        self.process = subprocess.Popen(["bwrap", "--dev-bind", "/", "/", "--tmpfs", str(hidden), "--", *args],
                                        cwd=course, env=subprocess_env(), stdout=self.handle,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 180
        while "ready." not in self.text():
            assert self.process.poll() is None, f"the worker exited:\n{self.text()}"
            assert time.monotonic() < deadline, f"the worker did not get ready:\n{self.text()}"
            time.sleep(0.5)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self, sig=signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.handle.close()


def ledger(course: Path):
    return {(o.lab, o.student): o for o in Settings(root=str(course), db_url="").ledger.all()}


def cell_scores(db_url: str) -> dict[tuple[str, str], dict[str, float]]:
    """Score of every graded cell, by (lab, student); asserts one submission per (lab, student)."""
    found = {}
    with Gradebook(db_url) as gradebook:
        submissions = gradebook.db.query(SubmittedAssignment).all()
        keys = [(s.assignment.name, s.student.id) for s in submissions]
        assert len(keys) == len(set(keys)), f"a submission recorded twice: {sorted(keys)}"
        for lab, student in keys:
            notebook = gradebook.find_submission_notebook(lab, lab, student)
            found[lab, student] = {grade.name: grade.score for grade in notebook.grades}
    return found


def result_count(broker: str) -> int:
    return len(redis.Redis.from_url(broker).keys("celery-task-meta-*"))


def test_workers_grade_the_class_as_local_grading_does_through_a_killed_worker_and_a_restart(
        servers, key_file, tmp_path):
    broker, new_database = servers
    db_url = new_database("distributed")
    course = make_course(tmp_path / "coordinator", LABS, cell_timeout=CELL_TIMEOUT)
    made = class_of(course)
    assert len(made) == 12

    local = make_course(tmp_path / "local", LABS, cell_timeout=CELL_TIMEOUT)
    for student in (course / "submitted").iterdir():
        for lab in LABS:
            submit(local, lab, student.name, text=(student / lab / f"{lab}.ipynb").read_text())
    reference = subprocess.run([sys.executable, "-m", "grading", "grade", *LABS, "--workers", "2", "--cell-timeout",
                                str(CELL_TIMEOUT), "--notebook-timeout", str(NOTEBOOK_TIMEOUT)], cwd=local,
                               env=subprocess_env(), capture_output=True, text=True, timeout=900)
    assert reference.returncode == 0, reference.stdout + reference.stderr

    # the coordinator sends every task, with no worker yet, and is killed while it waits
    first = coordinator(course, broker, db_url, key_file)
    deadline = time.monotonic() + 300
    line = ""
    while "task(s) sent" not in line:
        line = first.stdout.readline()
        assert line or first.poll() is None, "the coordinator exited before sending its tasks"
        assert time.monotonic() < deadline
    assert re.match(r"12 task\(s\) sent in [\d.]+ s \([\d.]+ ms per submission\), 0 still queued", line), line
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)

    workers = [Worker(make_course(tmp_path / name, LABS, cell_timeout=CELL_TIMEOUT), name, broker, db_url, key_file,
                      hidden=course) for name in ("w1", "w2")]
    try:
        deadline = time.monotonic() + 300
        while result_count(broker) < 3:  # in the middle of the run: w1 is grading its next task
            assert time.monotonic() < deadline, workers[0].text() + workers[1].text()
            time.sleep(0.2)
        workers[0].kill()
        killed = workers[0].text()
        assert killed.count("] received") > killed.count("] succeeded"), "w1 was killed with no task in hand"

        second = coordinator(course, broker, db_url, key_file)
        output, _ = second.communicate(timeout=600)
    finally:
        for worker in workers:
            worker.kill()
    assert second.returncode == 0, output
    assert re.search(r"^0 task\(s\) sent", output, re.MULTILINE) and "already graded by a worker" in output, output

    mine, theirs = ledger(course), ledger(local)
    assert sorted(mine) == sorted(theirs) == sorted(made), "every submission has exactly one outcome"
    for key, outcome in theirs.items():
        assert (mine[key].status, mine[key].score, mine[key].cells) == (outcome.status, outcome.score,
                                                                        outcome.cells), key
        assert mine[key].sha256 == outcome.sha256 and mine[key].status != GRADER_ERROR
    assert cell_scores(db_url) == cell_scores(f"sqlite:///{local / 'gradebook.db'}")
    for lab, student in mine:
        stored = course / "autograded" / student / lab / f"{lab}.ipynb"
        assert stored.is_file() == (student != "corrupt"), (lab, student)
    for worker in workers:  # a worker records nothing in the course's own folders
        assert not (worker.course / "autograded").exists() and not (worker.course / "outcomes").exists()
    # the live worker keeps no student's files; the killed one left its task's, which its next start removes
    assert not [p for p in (workers[1].course / ".grading").rglob("*") if p.is_file()]
    assert "grades.csv" in output and (course / "reports" / f"{LABS[0]}.html").is_file()
    assert not redis.Redis.from_url(broker).keys(distributed.SENT + "*"), "every sent mark is cleared"
    feedback = subprocess.run(command("feedback", LABS[0], db_url=db_url), cwd=course, env=subprocess_env(),
                              capture_output=True, text=True, timeout=600)
    assert feedback.returncode == 0, feedback.stdout + feedback.stderr
    assert (course / "feedback" / "right" / LABS[0] / f"{LABS[0]}.html").is_file()


def signed(task: dict, key: str = KEY) -> dict:
    task = dict(task)
    task["signature"] = distributed.signature(task, key.encode())
    return task


def test_a_worker_at_another_version_and_forged_tasks_are_refused(servers, key_file, tmp_path):
    broker, new_database = servers
    db_url = new_database("refusals")
    lab = LABS[0]
    course = make_course(tmp_path / "coordinator", [lab], cell_timeout=CELL_TIMEOUT)
    release = read_notebook(notebook_path(lab, course / "labs"))
    submit(course, lab, "alice", release)
    submit(course, lab, "bob", release)
    # a worker whose course differs in one setting that changes grades (the per-cell time limit)
    other = make_course(tmp_path / "other", [lab], cell_timeout=CELL_TIMEOUT + 2)
    leftovers = [other / folder / "999999999" / "alice" / lab for folder in distributed.WORKER_FOLDERS]
    for folder in leftovers:  # as a worker killed in the middle of a task leaves them
        folder.mkdir(parents=True)
        (folder / f"{lab}.ipynb").write_text("{}")
    worker = Worker(other, "old", broker, db_url, key_file, hidden=course)
    assert not any(folder.parents[1].exists() for folder in leftovers), "a worker removes what dead ones left"
    try:
        run = coordinator(course, broker, db_url, key_file, lab)
        output, _ = run.communicate(timeout=600)
        assert run.returncode == 1, output
        for outcome in ledger(course).values():
            assert outcome.status == GRADER_ERROR
            assert "refused by worker" in outcome.detail and "course version" in outcome.detail
            assert "check out the same commit" in outcome.detail

        app = distributed.make_app(broker, VISIBILITY)
        settings = Settings(root=str(course), db_url=db_url, cell_timeout=CELL_TIMEOUT)
        task, _ = distributed.make_task(settings, lab, "alice", "0" * 64, KEY.encode())
        altered = dict(task, archive=base64.b64encode(b"PK\x05\x06" + b"\0" * 18).decode())
        cases = {
            "forged task": signed({k: v for k, v in task.items() if k != "signature"}, key="x" * 40),
            "altered": altered,
            "malformed task: missing": {"lab": lab},
            "malformed task: wrong type": dict(task, notebook_timeout="20"),
            "not an object": ["a", "list"],
        }
        for expected, forged in cases.items():
            answer = app.send_task(distributed.TASK, args=[forged], queue=distributed.QUEUE).get(timeout=120)
            assert set(answer) == {"refused", "worker"}, answer
            reason = answer["refused"]
            assert (expected in reason if expected != "altered" else "forged task" in reason), (expected, reason)
    finally:
        worker.kill()
    with Gradebook(db_url) as gradebook:
        assert gradebook.db.query(SubmittedAssignment).count() == 0, "a refused task wrote to the gradebook"


# --- without servers -----------------------------------------------------------------------------------------------

def zipped(entries: dict[str, bytes], link: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (0o120777 << 16)
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def a_task(content: bytes, **changes) -> dict:
    archive = content
    task = {"lab": LABS[0], "student": "alice", "sha256": "0" * 64, "version": "v" * 64,
            "archive": base64.b64encode(archive).decode(), "archive_sha256": hashlib.sha256(archive).hexdigest(),
            "skipped": [], "cell_timeout": 5, "notebook_timeout": 20, "max_output_bytes": 1000, **changes}
    return signed(task)


@pytest.mark.parametrize(("task", "reason"), [
    (a_task(zipped({"x": b"1"}), student="../../etc"), "unusable student name"),
    (a_task(zipped({"x": b"1"}), lab="99_unknown"), "unknown lab"),
    (a_task(zipped({"x": b"1"}), version="w" * 64), "check out the same commit"),
    (a_task(zipped({"x": b"1"}), notebook_timeout=30), "visibility timeout"),
    (dict(a_task(zipped({"x": b"1"})), archive_sha256="0" * 64), "forged task"),
    (a_task(zipped({"x": b"1"}), archive_sha256="0" * 64), "checksum does not match"),
    (a_task(zipped({"x": b"1"}), archive="not base64!"), "not base64"),
    (dict(a_task(zipped({"x": b"1"})), extra=1), "unknown extra"),
])
def test_check_task_refuses_with_a_reason(task, reason):
    with pytest.raises(Refused, match=reason):
        distributed.check_task(task, KEY.encode(), "v" * 64, {LABS[0]}, VISIBILITY)


def test_check_task_accepts_a_task_signed_with_the_key():
    archive = zipped({"a.ipynb": b"{}"})
    assert distributed.check_task(a_task(archive), KEY.encode(), "v" * 64, {LABS[0]}, VISIBILITY) == archive


@pytest.mark.parametrize(("archive", "reason"), [
    (zipped({"../outside": b"x"}), "not a plain file"),
    (zipped({"/etc/cron.d/x": b"x"}), "not a plain file"),
    (zipped({"ok": b"x"}, link="link"), "not a plain file"),
    (b"not a zip", "not a readable zip"),
])
def test_unpack_refuses_what_is_not_a_plain_file_inside(archive, reason, tmp_path):
    with pytest.raises(Refused, match=reason):
        distributed.unpack(archive, tmp_path / "target")
    assert not (tmp_path / "outside").exists()


def test_a_key_must_be_given_and_long_enough(tmp_path, monkeypatch):
    monkeypatch.delenv("GRADING_KEY_FILE", raising=False)
    with pytest.raises(Refused, match="--key-file"):
        distributed.load_key(None)
    short = tmp_path / "short.key"
    short.write_text("abc")
    with pytest.raises(Refused, match="too short"):
        distributed.load_key(short)
    good = tmp_path / "good.key"
    good.write_text(KEY + "\n")
    monkeypatch.setenv("GRADING_KEY_FILE", str(good))
    assert distributed.load_key(None) == KEY.encode()


def test_task_ids_are_the_same_for_the_same_notebook_and_version():
    one = distributed.task_id("lab", "alice", "a" * 64, "v" * 64)
    assert one == distributed.task_id("lab", "alice", "a" * 64, "v" * 64)
    assert one != distributed.task_id("lab", "alice", "b" * 64, "v" * 64)
    assert one != distributed.task_id("lab", "alice", "a" * 64, "w" * 64)
    assert json.dumps(one)
