"""Command line: ``python -m grading grade|feedback|report [LAB ...]``, run from the course root.

    grade     autograde every new or changed submission in submitted/ (all with --force), in parallel,
              then write grades.csv and reports/<lab>.html; exits 1 only if the grader itself failed
    feedback  feedback/<student>/<lab>/<lab>.html without hidden tests
    report    grades.csv and reports/ again from the recorded outcomes
    collect   a Canvas or Moodle export (zip) into submitted/<student>/<lab>/<lab>.ipynb (grading.collect)
    export    a lab's grades and feedback in Canvas's, Moodle's or a plain CSV import format (grading.export)
    similarity  reports/<lab>-similarity.html: pairs of submissions whose answer code is alike (grading.similarity)
    worker    grade the tasks that `grade --broker` sends, on this machine (grading.distributed)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from grading.outcomes import GRADER_ERROR


def _labs(root: Path, names: list[str]) -> list[str]:
    available = sorted(p.name for p in (root / "solutions").iterdir() if p.is_dir() and p.name[:2].isdigit())
    unknown = [n for n in names if n not in available]
    if unknown:
        raise SystemExit(f"unknown lab(s): {', '.join(unknown)}; the labs are: {', '.join(available)}")
    return names or available


def _shard(text: str) -> tuple[int, int]:
    try:
        index, count = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError("shard must look like 0/2") from None
    if not 0 <= index < count:
        raise argparse.ArgumentTypeError("shard i/n needs 0 <= i < n")
    return index, count


def _require_shared_gradebook(db_url: str, who: str) -> None:
    if db_url.startswith("sqlite"):
        raise SystemExit(f"{who} needs the gradebook every machine shares: pass --db-url postgresql://USER@HOST/DB")


def _require_sandbox() -> None:
    from grading.sandbox import sandbox_available

    reason = sandbox_available()
    if reason:
        raise SystemExit(f"grading runs student code in a sandbox, which is unavailable here: {reason}.\n"
                         "Install it (apt-get install bubblewrap) or pass --no-sandbox to grade without it.")


def print_table(outcomes, stream=sys.stdout) -> None:
    if not outcomes:
        return
    width = max(len(o.student) for o in outcomes)
    stream.write(f"{'student':<{width}}  {'lab':<28} {'score':>9}  outcome\n")
    for o in sorted(outcomes, key=lambda o: (o.lab, o.student)):
        detail = f" ({o.detail})" if o.detail else ""
        stream.write(f"{o.student:<{width}}  {o.lab:<28} {o.score:>4g}/{o.max_score:<4g}  {o.status}{detail}\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m grading", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="course root (holds nbgrader_config.py)")
    parser.add_argument("--db-url", help="gradebook URL (default: the course's, e.g. sqlite:///gradebook.db)")
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser("grade", help="autograde submissions")
    grade.add_argument("labs", nargs="*")
    grade.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    grade.add_argument("--force", action="store_true", help="grade again even if unchanged")
    grade.add_argument("--shard", type=_shard, default=(0, 1), help="grade only students i mod n (i/n)")
    grade.add_argument("--cell-timeout", type=int, help="seconds per cell (default: nbgrader_config.py)")
    grade.add_argument("--notebook-timeout", type=int, default=300, help="seconds per notebook (default 300)")
    grade.add_argument("--no-report", action="store_true", help="skip grades.csv and reports/")
    grade.add_argument("--no-sandbox", action="store_true",
                       help="run student code without the bubblewrap sandbox (trusted submissions only)")
    grade.add_argument("--broker", help="grade on the workers of this Celery broker (redis://:PASSWORD@HOST:PORT/0)")
    grade.add_argument("--key-file", type=Path, help="the course's task key, with --broker (or $GRADING_KEY_FILE)")
    worker = commands.add_parser("worker", help="grade the tasks of `grade --broker` on this machine")
    worker.add_argument("--broker", required=True, help="the Celery broker (redis://:PASSWORD@HOST:PORT/0)")
    worker.add_argument("--key-file", type=Path, help="the course's task key (or $GRADING_KEY_FILE)")
    worker.add_argument("--concurrency", type=int, default=os.cpu_count() or 1, help="submissions at once")
    worker.add_argument("--visibility-timeout", type=int, default=900,
                        help="seconds before a dead worker's task goes to another (default 900)")
    worker.add_argument("--hostname", help="the worker's name in Celery (default grading-PID@HOST)")
    worker.add_argument("--no-sandbox", action="store_true", help="run student code without the sandbox")
    feedback = commands.add_parser("feedback", help="feedback HTML without hidden tests")
    feedback.add_argument("labs", nargs="*")
    report = commands.add_parser("report", help="grades.csv and reports/ from the recorded outcomes")
    report.add_argument("labs", nargs="*")
    collect = commands.add_parser("collect", help="a Canvas or Moodle export into submitted/")
    collect.add_argument("export", type=Path, help="the platform's zip of submissions")
    collect.add_argument("--lab", dest="labs", action="append", required=True, help="the lab it holds")
    collect.add_argument("--roster", type=Path, help="CSV: student_id and name, email, canvas_id or participant")
    collect.add_argument("--from", dest="platform", choices=("canvas", "moodle"), help="default: from its layout")
    collect.add_argument("--due", help="due date (e.g. '2025-03-01 17:00:00 UTC'; default: the gradebook's)")
    export = commands.add_parser("export", help="grades and feedback in a platform's import format")
    export.add_argument("labs", nargs=1, metavar="LAB")
    export.add_argument("--to", required=True, choices=("canvas", "moodle", "csv"))
    export.add_argument("--out", type=Path, help="folder for the files (default: reports/)")
    export.add_argument("--assignment", help="Canvas column title, 'Title' or 'Title (assignment id)'")
    export.add_argument("--points", type=float, help="rescale scores to this many points (the platform's)")
    similarity = commands.add_parser("similarity", help="reports/<lab>-similarity.html")
    similarity.add_argument("labs", nargs=1, metavar="LAB")
    similarity.add_argument("--top", type=int, default=10, help="pairs shown side by side (default 10)")
    similarity.add_argument("--flag", type=float, default=0.3, help="score from which a pair is flagged")
    args = parser.parse_args(argv)

    from grading import reports
    from grading.run import Refused, Settings, default_db_url
    from grading.run import grade as run_grade

    root = args.root.resolve()
    if not (root / "nbgrader_config.py").is_file():
        raise SystemExit(f"{root} has no nbgrader_config.py: run from the course root or pass --root")
    labs = _labs(root, getattr(args, "labs", []))
    settings = Settings(root=str(root), db_url=args.db_url or default_db_url(root))
    if args.command == "grade":
        if args.workers < 1:
            raise SystemExit("--workers must be at least 1")
        settings.cell_timeout = args.cell_timeout
        settings.sandbox = not args.no_sandbox
        if args.broker:
            _require_shared_gradebook(settings.db_url, "grading through a broker")
        if settings.sandbox and not args.broker:
            _require_sandbox()
        settings.notebook_timeout = args.notebook_timeout
        try:
            if args.broker:
                from grading import distributed

                outcomes, skipped, _ = distributed.grade(settings, labs, broker=args.broker, force=args.force,
                                                         key=distributed.load_key(args.key_file), shard=args.shard)
            else:
                outcomes, skipped = run_grade(settings, labs, workers=args.workers, force=args.force,
                                              shard=args.shard)
        except Refused as refusal:
            raise SystemExit(str(refusal)) from None
        print_table(outcomes)
        print(f"graded {len(outcomes)} submission(s); {skipped} unchanged since their last grading (--force regrades)")
    if args.command == "worker":
        from grading import distributed

        settings.sandbox = not args.no_sandbox
        _require_shared_gradebook(settings.db_url, "a worker")
        if settings.sandbox:
            _require_sandbox()
        try:
            distributed.work(settings, broker=args.broker, key=distributed.load_key(args.key_file),
                             concurrency=args.concurrency, visibility_timeout=args.visibility_timeout,
                             hostname=args.hostname)
        except Refused as refusal:
            raise SystemExit(str(refusal)) from None
    if args.command in ("grade", "report") and not getattr(args, "no_report", False):
        recorded = [o for o in settings.ledger.all() if o.lab in labs]
        csv_path = reports.write_grades_csv(root / "grades.csv", recorded)
        for lab in labs:
            mine = [o for o in recorded if o.lab == lab]
            if mine:
                reports.write_lab_summary(lab, mine, root / "reports")
        print(f"wrote {csv_path.relative_to(root)} and reports/<lab>.html")
    if args.command == "feedback":
        from grading.feedback import generate

        generate(settings, labs)
        print("wrote feedback/<student>/<lab>/<lab>.html")
    if args.command == "collect":
        from grading.collect import run

        run(root, labs[0], args.export, roster=args.roster, platform=args.platform, due=args.due,
            db_url=settings.db_url)
    if args.command == "export":
        from grading.export import run

        run(root, labs[0], args.to, db_url=settings.db_url, out=args.out, assignment=args.assignment,
            points=args.points)
    if args.command == "similarity":
        from grading.similarity import run

        run(root, labs[0], top=args.top, flagged=args.flag)
    if args.command == "grade" and any(o.status == GRADER_ERROR for o in outcomes):
        sys.exit(1)
