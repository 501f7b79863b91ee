"""Benchmark: the hostile corpus of tests/hostile.py graded by plain ``nbgrader autograde`` and by the course's
grading command (checks judged in the grader, kernel sandboxed), side by side; then the grading-time cost of the
sandbox on an honest class.

    .venv/bin/python benchmarks/hostile_corpus.py [--cost-students 12] [--repeat 3]

Prints, per hostile kind, the points each grader gave against the points deserved (the memory and fork bombs
deserve no points for the exercise whose cell they are in: a score above that means the bomb ran unchecked), and
what got out of the notebook (files read or written, a loopback connection, processes left running); then the
median time to grade the honest class with and without the sandbox and their ratio. It kills any process the
corpus left behind.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from course import (  # noqa: E402
    make_course,
    notebook_path,
    read_notebook,
    run,
    solution_answers,
    subprocess_env,
)
from hostile import LAB, MARKER, POINTS, LoopbackListener, corpus  # noqa: E402
from nbgrader.api import Gradebook  # noqa: E402
from test_grading import answered, submit  # noqa: E402
from test_hostile import processes_with  # noqa: E402


def build(course: Path, port: int) -> dict:
    release = read_notebook(notebook_path(LAB, course / "labs"))
    solution = solution_answers(LAB)
    submit(course, LAB, "honest", answered(release, solution))
    kinds = corpus(solution, str(course), port)
    for student, (_, exercise, source, _) in kinds.items():
        submit(course, LAB, student, answered(release, {**solution, exercise: source}))
    return kinds


def printed(course: Path, student: str) -> str:
    path = course / "autograded" / student / LAB / f"{LAB}.ipynb"
    if not path.is_file():
        return ""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "".join("".join(o.get("text", "")) for c in nb["cells"] if c["cell_type"] == "code" for o in c["outputs"])


def escaped(course: Path, student: str, received: list[bytes]) -> str:
    text = printed(course, student)
    found = [word for word in ("READ OK", "WRITE OK", "CONNECTED") if word in text]
    if student == "network" and any(MARKER.encode() in r for r in received):
        found.append("reached loopback")
    if student == "left_running" and processes_with("sleep 4242"):
        found.append("process left running")
    if student == "fork_bomb" and processes_with("sleep 4243"):
        found.append(f"{len(processes_with('sleep 4243'))} processes left running")
    return ", ".join(found) or "-"


def grade_corpus(plain: bool, root: Path) -> tuple[dict, dict, list, dict]:
    listener = LoopbackListener()
    course = make_course(root / ("plain" if plain else "grading"), [LAB], cell_timeout=10)
    kinds = build(course, listener.port)
    if plain:
        run(["nbgrader", "autograde", LAB], cwd=course, timeout=3600)
    else:
        subprocess.run([sys.executable, "-m", "grading", "grade", LAB, "--workers", "2"], cwd=course,
                       env=subprocess_env(), capture_output=True, timeout=3600, check=False)
    time.sleep(1)
    received = listener.close()
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student in ["honest", *kinds]:
            try:
                scores[student] = gradebook.find_submission(LAB, student).score
            except Exception:  # noqa: BLE001 - never graded
                scores[student] = None
    escapes = {student: escaped(course, student, received) for student in kinds}
    for pid in processes_with("sleep 424"):
        os.kill(pid, 9)
    return kinds, scores, received, escapes


def grading_time(sandbox: bool, students: int, root: Path) -> float:
    course = make_course(root, [LAB], cell_timeout=10)
    release = read_notebook(notebook_path(LAB, course / "labs"))
    solution = solution_answers(LAB)
    for i in range(students):
        submit(course, LAB, f"student_{i:03d}", answered(release, solution))
    flags = [] if sandbox else ["--no-sandbox"]
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "grading", "grade", LAB, "--workers", "2", "--no-report", *flags],
                   cwd=course, env=subprocess_env(), capture_output=True, timeout=3600, check=True)
    return time.perf_counter() - start


def report_corpus(root: Path) -> None:
    """Grade the corpus with plain nbgrader and with the grading command; print what each gave and let out."""
    kinds, plain, _, plain_escapes = grade_corpus(True, root)
    _, ours, _, our_escapes = grade_corpus(False, root)
    print(f"{'kind':26} {'deserved':>8} {'nbgrader':>8} {'grading':>8}  escaped (nbgrader | grading)")
    undeserved = {"nbgrader": 0, "grading": 0}
    for student, (_, _, _, deserved) in kinds.items():
        for name, scores in (("nbgrader", plain), ("grading", ours)):
            if scores[student] is not None and scores[student] > deserved:
                undeserved[name] += 1
        print(f"{student:26} {deserved:8g} {plain[student]!s:>8} {ours[student]!s:>8}  "
              f"{plain_escapes[student]} | {our_escapes[student]}")
    print(f"honest submission: nbgrader {plain['honest']}, grading {ours['honest']} (of {POINTS})")
    print(f"{len(kinds)} hostile kinds; undeserved points: nbgrader {undeserved['nbgrader']}, "
          f"grading {undeserved['grading']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cost-students", type=int, default=12, help="honest students for the cost (default 12)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each for the cost (default 3)")
    parser.add_argument("--cost-only", action="store_true", help="measure only the sandbox's cost")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        if not args.cost_only:
            report_corpus(root)
        times = {True: [], False: []}
        for i in range(args.repeat):  # alternate, so that a change in the machine's load hits both alike
            for sandbox in (False, True) if i % 2 == 0 else (True, False):
                times[sandbox].append(grading_time(sandbox, args.cost_students, root / f"cost_{sandbox}_{i}"))
        with_box, without = statistics.median(times[True]), statistics.median(times[False])
        print(f"{args.cost_students} honest submissions, median of {args.repeat}: without sandbox {without:.1f} s, "
              f"with sandbox {with_box:.1f} s, ratio {with_box / without:.2f}")


if __name__ == "__main__":
    main()
