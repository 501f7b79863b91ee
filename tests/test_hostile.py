"""Grading that student code can neither fool nor harm: a corpus of hostile Lab 1 submissions (tests/hostile.py)
graded by the course's grading command. Tricks that fake a check earn nothing (the checks run in the grader,
not in the student's kernel); code that reads secrets, writes outside its scratch folder, opens a connection,
hoards memory, forks or leaves a process behind is contained by the sandbox; the honest submission graded in
the same run is untouched and fully graded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from course import make_course, notebook_path, read_notebook, solution_answers, subprocess_env
from hostile import LAB, MARKER, POINTS, WRONG_SOFTMAX, LoopbackListener, corpus
from nbgrader.api import Gradebook
from test_grading import answered, submit

TRICKS = ["patch_np_isclose", "patch_math", "patch_builtins", "patch_helpers", "patch_check_class",
          "override_showtraceback", "custom_exception_handler", "post_run_hook", "lying_array", "forged_transport"]


def processes_with(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory, sandbox):
    # 30 s a cell: the fork bomb's 500 forks take 2 s on an idle machine but 9-10 s with four kernels on two
    # cores (make test's load); with 10 s the cell timed out before the process cap stopped it, at random
    course = make_course(tmp_path_factory.mktemp("hostile") / "course", [LAB], cell_timeout=30)
    listener = LoopbackListener()
    release = read_notebook(notebook_path(LAB, course / "labs"))
    solution = solution_answers(LAB)
    submit(course, LAB, "honest", answered(release, solution))
    submit(course, LAB, "wrong_alone", answered(release, {**solution, "softmax": WRONG_SOFTMAX}))
    kinds = corpus(solution, str(course), listener.port)
    for student, (_, exercise, source, _) in kinds.items():
        submit(course, LAB, student, answered(release, {**solution, exercise: source}))
    honest = course / "submitted" / "honest" / LAB / f"{LAB}.ipynb"
    before = honest.read_bytes()
    result = subprocess.run([sys.executable, "-m", "grading", "grade", LAB, "--workers", "2"], cwd=course,
                            env=subprocess_env(), capture_output=True, text=True, timeout=1200)
    received = listener.close()
    yield course, kinds, result, received, before
    for pid in processes_with("sleep 424"):  # never leave the machine worse than found, whatever happened
        os.kill(pid, 9)


def outcome(course, student):
    return json.loads((course / "outcomes" / LAB / f"{student}.json").read_text(encoding="utf-8"))


def printed(course, student) -> str:
    nb = read_notebook(course / "autograded" / student / LAB / f"{LAB}.ipynb")
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def test_the_run_succeeds_and_the_honest_submission_is_untouched(graded):
    course, _, result, _, before = graded
    assert result.returncode == 0, result.stdout + result.stderr
    assert (course / "submitted" / "honest" / LAB / f"{LAB}.ipynb").read_bytes() == before
    assert outcome(course, "honest")["score"] == POINTS


def test_the_wrong_answer_the_tricks_wrap_earns_nothing_alone(graded):
    course, _, _, _, _ = graded
    assert outcome(course, "wrong_alone")["cells"]["test_softmax"][0] == 0


@pytest.mark.parametrize("student", TRICKS)
def test_tricks_earn_nothing(graded, student):
    course, kinds, _, _, _ = graded
    description, _, _, deserved = kinds[student]
    recorded = outcome(course, student)
    assert recorded["score"] <= deserved, f"{description}: {recorded['score']} points, deserved {deserved}"
    assert recorded["cells"]["test_softmax"][0] == 0
    # a trick that breaks the student's own kernel (forged_transport breaks its messages) is recorded as such
    assert recorded["status"] in ("graded", "kernel died"), recorded


def test_secrets_cannot_be_read(graded):
    course, _, _, _, _ = graded
    text = printed(course, "read_secrets")
    assert "READ OK" not in text and text.count("READ DENIED") == 4, text
    assert outcome(course, "read_secrets")["score"] == POINTS


def test_nothing_outside_the_sandbox_is_written(graded):
    course, _, _, _, before = graded
    assert "WRITE OK" not in printed(course, "write_gradebook") + printed(course, "write_other_submission")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        tables = [row[0] for row in gradebook.db.connection().exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='table'")]
        assert "hostile" not in tables
        assert gradebook.find_submission(LAB, "honest").score == POINTS
    assert (course / "submitted" / "honest" / LAB / f"{LAB}.ipynb").read_bytes() == before


def test_no_network(graded):
    course, _, _, received, _ = graded
    assert not any(MARKER.encode() in r for r in received), "a submission reached the grader's loopback"
    assert "NO NETWORK" in printed(course, "network")


def test_memory_and_processes_are_capped_and_nothing_is_left_running(graded):
    course, kinds, _, _, _ = graded
    for student in ("memory_bomb", "fork_bomb", "left_running"):
        recorded = outcome(course, student)
        assert recorded["score"] <= kinds[student][3], f"{student}: {recorded}"
    assert outcome(course, "memory_bomb")["cells"]["test_softmax"][0] == 0, "6 GiB must not fit in the sandbox"
    forked = [int(n) for line in printed(course, "fork_bomb").splitlines() if line.startswith("forked")
              for n in line.split()[1:2]]
    assert forked and forked[0] < 1000, "the process cap must stop the fork bomb"
    assert not processes_with("sleep 4242") and not processes_with("sleep 4243"), "processes outlived the grading"


#: Grades one submission in this process as a worker would, then lets its event loop run on (where a task left
#: behind would fail, nbclient's kernel-alive poll polls every second) and collects garbage; prints the outcome, the
#: tasks still pending after grading and what asyncio reported as never retrieved.
ONE_WORKER = """
import asyncio, gc, json, sys
from grading import run
from jupyter_core.utils import ensure_event_loop
settings = run.Settings(root=sys.argv[1], db_url=run.default_db_url(run.Path(sys.argv[1])))
run.ensure_assignments(settings, [sys.argv[2]])
run.init_worker(settings)
outcome = run.grade_one(sys.argv[2], sys.argv[3])
loop = ensure_event_loop()
pending = [repr(task) for task in asyncio.all_tasks(loop) if not task.done()]
reported = []
loop.set_exception_handler(lambda loop, context: reported.append(context["message"]))
loop.run_until_complete(asyncio.sleep(2.5))
gc.collect()
print(json.dumps({"status": outcome.status, "pending": pending, "reported": reported}))
"""


def test_a_kernel_that_sends_garbage_leaves_no_task_behind_in_the_worker(tmp_path, sandbox):
    """A cell whose kernel sends unreadable messages (forged_transport) ends nbclient's cell with a KeyError and
    left its kernel-alive poll running; that task later failed in the worker, and asyncio's report of it, made
    during a garbage collection, broke the grader's own ast.parse for the next notebook (a grader error,
    'AST constructor recursion depth mismatch', in Python 3.11). The worker cancels and collects such tasks."""
    course = make_course(tmp_path / "course", [LAB], cell_timeout=10)
    release = read_notebook(notebook_path(LAB, course / "labs"))
    solution = solution_answers(LAB)
    _, exercise, source, _ = corpus(solution, str(course), 1)["forged_transport"]
    submit(course, LAB, "forged_transport", answered(release, {**solution, exercise: source}))
    result = subprocess.run([sys.executable, "-c", ONE_WORKER, str(course), LAB, "forged_transport"], cwd=course,
                            env=subprocess_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["status"] == "kernel died", found
    assert found["pending"] == [] and found["reported"] == [], found
