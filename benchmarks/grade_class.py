"""Benchmark: a generated class graded by ``python -m grading grade`` and by plain serial ``nbgrader autograde``,
on two identical course copies, in one run.

    .venv/bin/python benchmarks/grade_class.py                        # 60 students x every lab in solutions/
    .venv/bin/python benchmarks/grade_class.py --students 6 --labs 01_distributions     # a quick check

Each lab gets, per student: about 50% the solution, 25% one or two wrong answers from the bank in
tests/wrong_answers, 10% the untouched lab, 15% broken (an infinite loop, ``os._exit``, an exception at import,
corrupt JSON, in turn); with ``--honest``, no broken ones (the other three in the same proportions: the grading
speed on honest submissions, without the time-outs of infinite loops). Both copies are made with
``tests/course.make_course`` and grade with the same per-cell timeout (``--cell-timeout``, default 10 s). The
grading command runs with ``--workers`` (default 2; several counts, e.g. ``--workers 2 3``, grade the same copy once
per count, with ``--force`` after the first) and writes its reports as usual; nbgrader runs
``nbgrader autograde LAB`` for one lab after the other, from the course root, with this venv's programs first on
PATH. Prints the wall-clock times and their ratios, and checks after each grading run that every honest submission
(solution, wrong, untouched) has the same score in every graded cell of both gradebooks, but for partial credit
(``agreement``); exits 1 if any differs or the grading command failed. Run it on an idle machine: the times are what
it is about. ``--keep DIR`` keeps both course copies in DIR to look at.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from course import (  # noqa: E402
    lab_names,
    make_course,
    notebook_path,
    read_notebook,
    run,
    solution_answers,
)
from nbgrader.api import Gradebook, MissingEntry  # noqa: E402
from test_grading import answered, submit  # noqa: E402
from wrong_answers import bank  # noqa: E402

from grading.run import Settings  # noqa: E402

SHARES = (("solution", 0.50), ("wrong", 0.25), ("untouched", 0.10), ("broken", 0.15))
BROKEN = ("infinite loop", "os._exit", "exception at import", "corrupt JSON")
BROKEN_ANSWERS = {"infinite loop": "while True:\n    pass", "os._exit": "import os\nos._exit(1)"}
HONEST = ("solution", "wrong", "untouched")


def kinds_for(students: int, rng: random.Random, honest: bool = False) -> list[str]:
    """One kind of submission per student, in the shares of SHARES (the solution takes what rounding leaves);
    with ``honest``, the honest kinds only, in the same proportions to each other."""
    shares = [(kind, share) for kind, share in SHARES if not honest or kind in HONEST]
    total = sum(share for _, share in shares)
    counts = {kind: round(students * share / total) for kind, share in shares if kind != "solution"}
    counts["solution"] = max(0, students - sum(counts.values()))
    kinds = [kind for kind, _ in shares for _ in range(counts[kind])][:students]
    rng.shuffle(kinds)
    return kinds


def make_class(course: Path, labs: list[str], students: int, seed: int,
               honest: bool = False) -> dict[tuple[str, str], str]:
    """Submissions for every student and lab in ``course/submitted``; returns what each one is, by (lab, student),
    e.g. 'solution', 'wrong: softmax (...)', 'broken: os._exit'. With ``honest``, no broken ones."""
    rng = random.Random(seed)
    names = [f"student_{i:03d}" for i in range(1, students + 1)]
    made = {}
    for lab in labs:
        release = read_notebook(notebook_path(lab, course / "labs"))
        solution = solution_answers(lab)
        wrong_bank = bank(lab)
        broken_turn = 0
        for student, kind in zip(names, kinds_for(students, rng, honest), strict=True):
            if kind == "wrong" and not wrong_bank:
                kind = "solution"
            if kind == "solution":
                submit(course, lab, student, answered(release, solution))
                made[lab, student] = "solution"
            elif kind == "untouched":
                submit(course, lab, student, release)
                made[lab, student] = "untouched"
            elif kind == "wrong":
                exercises = rng.sample(sorted(wrong_bank), k=min(len(wrong_bank), rng.choice((1, 2))))
                mistakes = {ex: rng.choice(sorted(wrong_bank[ex])) for ex in exercises}
                submit(course, lab, student,
                       answered(release, {**solution, **{ex: wrong_bank[ex][label] for ex, label in mistakes.items()}}))
                made[lab, student] = "wrong: " + "; ".join(f"{ex} ({label})" for ex, label in mistakes.items())
            else:
                how = BROKEN[broken_turn % len(BROKEN)]
                broken_turn += 1
                first_answer = next(iter(solution))
                if how in BROKEN_ANSWERS:
                    submit(course, lab, student, answered(release, {**solution, first_answer: BROKEN_ANSWERS[how]}))
                elif how == "exception at import":
                    nb = answered(release, solution)
                    first_code = next(c for c in nb.cells if c.cell_type == "code")
                    first_code.source = "import numpy_that_does_not_exist\n" + first_code.source
                    submit(course, lab, student, nb)
                else:
                    submit(course, lab, student, text='{"cells": [')
                made[lab, student] = f"broken: {how}"
    return made


def cell_scores(course: Path, lab: str, student: str) -> dict[str, tuple[float, float]] | None:
    """(score, points) of every graded cell of the submission in the course's gradebook; None if it was never
    recorded."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        try:
            notebook = gradebook.find_submission_notebook(lab, lab, student)
        except MissingEntry:
            return None
        return {grade.name: (grade.score, grade.max_score) for grade in notebook.grades}


def agreement(theirs: dict | None, mine: dict | None) -> tuple[bool, int]:
    """(whether nbgrader's and the grading command's ``cell_scores`` of a submission agree, in how many cells by
    partial credit). They agree when every graded cell has the same score, but where a checklist had a failed
    check: nbgrader gives the cell 0 (the checklist raises in the kernel), the grading command the points of the
    checks that passed (``helpers.feedback.grading``), which must be fewer than the cell's points."""
    if theirs is None or mine is None or theirs.keys() != mine.keys():
        return theirs == mine, 0
    partial = 0
    for name, (score, points) in theirs.items():
        if mine[name] == (score, points):
            continue
        if score == 0 and mine[name][1] == points and 0 < mine[name][0] < points:
            partial += 1
            continue
        return False, partial
    return True, partial


def timed(args: list[str], cwd: Path, log: Path) -> tuple[float, int]:
    """Run a program of this venv from ``cwd``; returns (wall-clock seconds, exit status), its output in ``log``."""
    started = time.perf_counter()
    result = run(args, cwd=cwd, timeout=24 * 3600)
    elapsed = time.perf_counter() - started
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"$ {' '.join(args)}  # exit {result.returncode}, {elapsed:.1f} s\n")
        handle.write(f"{result.stdout}\n{result.stderr}\n")
    return elapsed, result.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=60, help="students in the class (default 60)")
    parser.add_argument("--labs", nargs="+", default=None, help="labs to grade (default: all in solutions/)")
    parser.add_argument("--workers", type=int, nargs="+", default=[2],
                        help="workers of the grading command; several counts grade once each (default 2)")
    parser.add_argument("--cell-timeout", type=int, default=10, help="seconds per cell, both graders (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated class (default 0)")
    parser.add_argument("--honest", action="store_true",
                        help="honest submissions only (solution, wrong, untouched): what the speed is measured on")
    parser.add_argument("--keep", type=Path, help="make the course copies in this folder and keep them")
    args = parser.parse_args()
    labs = args.labs or lab_names()
    unknown = sorted(set(labs) - set(lab_names()))
    if unknown:
        parser.error(f"unknown lab(s) {', '.join(unknown)}; the labs are {', '.join(lab_names())}")
    if args.students < 1:
        parser.error("--students must be at least 1")

    base = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="grade-class-"))
    if args.keep and base.exists() and any(base.iterdir()):
        parser.error(f"{base} is not empty")
    try:
        print(f"making two course copies in {base} with {args.students} students x {len(labs)} lab(s) ...", flush=True)
        ours = make_course(base / "grading", labs, cell_timeout=args.cell_timeout)
        plain = make_course(base / "nbgrader", labs, cell_timeout=args.cell_timeout)
        made = make_class(ours, labs, args.students, args.seed, honest=args.honest)
        shutil.copytree(ours / "submitted", plain / "submitted")
        kinds = Counter(what.split(":")[0] for what in made.values())
        print(f"{len(made)} submissions: " + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())), flush=True)

        log = base / "grading.log" if args.keep else Path(tempfile.gettempdir()) / "grade_class.log"
        log.unlink(missing_ok=True)
        print(f"plain nbgrader autograde, serial, one lab after the other (output in {log}) ...", flush=True)
        plain_seconds = 0.0
        for lab in labs:
            seconds, _ = timed(["nbgrader", "autograde", lab], plain, log)  # exits 1 when a submission failed
            plain_seconds += seconds
        runs, differences, broken, status, partial = [], [], Counter(), 0, 0
        for position, workers in enumerate(args.workers):
            print(f"python -m grading grade --workers {workers} ...", flush=True)
            force = ["--force"] if position else []
            seconds, code = timed(["python", "-m", "grading", "grade", *labs, "--workers", str(workers),
                                   "--cell-timeout", str(args.cell_timeout), *force], ours, log)
            runs.append((workers, seconds))
            status = status or code
            for (lab, student), what in sorted(made.items()):
                theirs, mine = cell_scores(plain, lab, student), cell_scores(ours, lab, student)
                if what.split(":")[0] in HONEST:
                    agree, cells = agreement(theirs, mine)
                    partial += cells if position == 0 else 0
                    if not agree:
                        differences.append(f"{workers} workers: {student} {lab} ({what}): nbgrader {theirs}, "
                                           f"grading {mine}")
                elif position == 0:
                    broken[what, "same" if theirs == mine else "different"] += 1

        n = len(made)
        print()
        print(f"{'':32}{'wall clock':>12}{'per submission':>16}{'ratio':>8}")
        print(f"{'nbgrader autograde (serial)':32}{plain_seconds:>10.1f} s{plain_seconds / n:>14.2f} s")
        for workers, seconds in runs:
            print(f"{f'grading, {workers} workers':32}{seconds:>10.1f} s{seconds / n:>14.2f} s"
                  f"{plain_seconds / seconds:>7.2f}x")
        print(f"ratio = nbgrader / grading; {n} submissions, cell timeout {args.cell_timeout} s")
        outcomes = Counter(o.status for o in Settings(root=str(ours), db_url="").ledger.all() if o.lab in labs)
        print("outcomes recorded by the grading command (last run): "
              + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
        for (what, same), count in sorted(broken.items()):
            print(f"  {what}: {count} submission(s), per-cell scores {same} in both gradebooks")
        honest = sum(what.split(":")[0] in HONEST for what in made.values())
        if differences:
            print(f"honest submissions with different scores: {len(differences)} (of {honest} per run)")
            for line in differences:
                print("  " + line)
        else:
            print(f"honest submissions: all {honest} have the same per-cell scores in both gradebooks, after every "
                  f"grading run, but {partial} cell(s) of a failed checklist: 0 by nbgrader, partial credit by "
                  f"grading")
        if status != 0:
            print(f"the grading command exited with {status}: see {log}")
        return 1 if differences or status != 0 else 0
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
