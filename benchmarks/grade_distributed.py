"""Benchmark: one honest class graded three ways side by side in one run, on identical course copies: plain serial
``nbgrader autograde``, local ``python -m grading grade`` (default workers), and ``grade --broker`` through a
Redis server with two Celery workers on this machine (one process each, each in its own course copy), PostgreSQL
as their gradebook; then the coordinator's own cost per submission, measured with no worker running.

    .venv/bin/python benchmarks/grade_distributed.py                    # 12 students x 2 labs = 24 submissions
    .venv/bin/python benchmarks/grade_distributed.py --students 30 --labs 01_distributions 06_bce

The class is ``grade_class.make_class(honest=True)``: the solution, wrong answers from the bank and the untouched
lab. Redis and PostgreSQL are started on loopback as the tests start them (``tests/services.py``) and stopped at
the end. Prints the wall-clock times and ratios to plain nbgrader, checks that every submission has the same score in
every graded cell through Redis as locally, and as plain nbgrader's but where a failed checklist earns partial
credit (``grade_class.agreement``; exits 1 if not), and then measures the coordinator alone:

- *enqueue*: ``grade --broker`` with its recorded outcomes removed and no worker running, stopped once every task
  is sent (staging, zipping, signing and sending each submission);
- *store*: the workers started again until every result is in Redis, stopped, then ``grade --broker`` once more:
  it finds every result done and only stores them (the outcome, the autograded folder);

and from their sum how many workers, at 2 s per submission each, one coordinator keeps busy.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from course import lab_names, make_course  # noqa: E402
from grade_class import agreement, cell_scores, make_class, timed  # noqa: E402
from nbgrader.api import Gradebook, MissingEntry  # noqa: E402
from services import postgres_server, redis_server  # noqa: E402
from test_distributed import KEY, Worker, coordinator, result_count  # noqa: E402

CELL_TIMEOUT = 10  # seconds per cell, in all three graders

SENT = re.compile(r"^(\d+) task\(s\) sent in [\d.]+ s \(([\d.]+) ms per submission\)", re.MULTILINE)
STORED = re.compile(r"coordinator: [\d.]+ ms per submission to enqueue, ([\d.]+) ms to store")


def db_scores(db_url: str, lab: str, student: str) -> dict[str, float] | None:
    with Gradebook(db_url) as gradebook:
        try:
            notebook = gradebook.find_submission_notebook(lab, lab, student)
        except MissingEntry:
            return None
        return {grade.name: (grade.score, grade.max_score) for grade in notebook.grades}


def run_coordinator(course, broker, db_url, key, labs, *extra, until: str | None = None) -> str:
    """The coordinator's output; with ``until``, it is killed as soon as a line holds that text."""
    process = coordinator(course, broker, db_url, key, *labs, extra=extra, cell_timeout=CELL_TIMEOUT)
    lines = []
    for line in process.stdout:
        lines.append(line)
        if until and until in line:
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait()
    return "".join(lines)


def workers(courses, broker, db_url, key) -> list[Worker]:
    return [Worker(courses[name], name, broker, db_url, key, hidden=courses["coordinator"]) for name in ("w1", "w2")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=12, help="students in the class (default 12)")
    parser.add_argument("--labs", nargs="+", default=["01_distributions", "04_categorical_cross_entropy"])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    unknown = sorted(set(args.labs) - set(lab_names()))
    if unknown:
        parser.error(f"unknown lab(s) {', '.join(unknown)}")
    labs = args.labs
    base = Path(tempfile.mkdtemp(prefix="grade-distributed-"))
    try:
        print(f"making course copies in {base} ...", flush=True)
        courses = {name: make_course(base / name, labs, cell_timeout=CELL_TIMEOUT)
                   for name in ("nbgrader", "local", "coordinator", "w1", "w2")}
        made = make_class(courses["coordinator"], labs, args.students, args.seed, honest=True)
        for name in ("nbgrader", "local"):
            shutil.copytree(courses["coordinator"] / "submitted", courses[name] / "submitted")
        key = base / "task.key"
        key.write_text(KEY)
        log = base / "benchmark.log"
        n = len(made)
        print(f"{n} honest submissions over {len(labs)} labs; timing plain nbgrader, local grading, two workers",
              flush=True)

        plain = sum(timed(["nbgrader", "autograde", lab], courses["nbgrader"], log)[0] for lab in labs)
        local, status = timed(["python", "-m", "grading", "grade", *labs, "--cell-timeout", str(CELL_TIMEOUT)],
                              courses["local"], log)
        with redis_server() as broker, postgres_server() as new_database:
            db_url = new_database("benchmark")
            running = workers(courses, broker, db_url, key)  # started, and ready, before the clock starts
            started = time.perf_counter()
            output = run_coordinator(courses["coordinator"], broker, db_url, key, labs)
            remote = time.perf_counter() - started
            with log.open("a", encoding="utf-8") as handle:
                handle.write(output)
            for worker in running:
                worker.kill(signal.SIGTERM)
            differences, partial = [], 0
            for (lab, student), what in sorted(made.items()):
                theirs = cell_scores(courses["nbgrader"], lab, student)
                local_scores = cell_scores(courses["local"], lab, student)
                remote_scores = db_scores(db_url, lab, student)
                agree, cells = agreement(theirs, local_scores)
                partial += cells
                if not agree or remote_scores != local_scores:
                    differences.append(f"{student} {lab} ({what}): nbgrader {theirs}, local {local_scores}, "
                                       f"through Redis {remote_scores}")

            print("the coordinator alone: enqueue with no worker, then store with no worker ...", flush=True)
            shutil.rmtree(courses["coordinator"] / "outcomes")  # every submission new again, with the same task ids
            sent = run_coordinator(courses["coordinator"], broker, db_url, key, labs, until="task(s) sent")
            running = workers(courses, broker, db_url, key)
            while result_count(broker) < n:
                time.sleep(0.2)
            for worker in running:
                worker.kill(signal.SIGTERM)
            stored = run_coordinator(courses["coordinator"], broker, db_url, key, labs)
        match_sent, match_stored = SENT.search(sent), STORED.search(stored)
        assert match_sent and int(match_sent.group(1)) == n, sent
        assert match_stored and SENT.search(stored) and SENT.search(stored).group(1) == "0", stored
        enqueue_ms, store_ms = float(match_sent.group(2)), float(match_stored.group(1))
        print()
        print(f"{'':36}{'wall clock':>12}{'per submission':>16}{'ratio':>8}")
        print(f"{'nbgrader autograde (serial)':36}{plain:>10.1f} s{plain / n:>14.2f} s")
        print(f"{'grade, local (default workers)':36}{local:>10.1f} s{local / n:>14.2f} s{plain / local:>7.2f}x")
        print(f"{'grade --broker, 2 workers':36}{remote:>10.1f} s{remote / n:>14.2f} s{plain / remote:>7.2f}x")
        print(f"ratio = nbgrader / grading; {n} honest submissions, cell timeout {CELL_TIMEOUT} s")
        print(f"the coordinator alone, per submission: {enqueue_ms:.1f} ms to enqueue, {store_ms:.1f} ms to store; "
              f"one coordinator keeps about {2000 / (enqueue_ms + store_ms):.0f} workers busy at 2 s per submission")
        if differences:
            print(f"submissions with different scores: {len(differences)} of {n}")
            for line in differences:
                print("  " + line)
        else:
            print(f"all {n} submissions: identical per-cell scores through Redis and locally, and the same as plain "
                  f"nbgrader's but for {partial} cell(s) of a failed checklist (0 by nbgrader, partial credit by ours)")
        if status:
            print(f"local grading exited with {status}: see {log}")
        return 1 if differences or status else 0
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
