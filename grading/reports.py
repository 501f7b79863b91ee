"""Reports for the instructor: the grades CSV, and per lab a summary page with a figure (share of full marks per
exercise, distribution of total scores), the outcome counts and the pass rate of every named check."""

from __future__ import annotations

import base64
import csv
import html
import io
from collections import Counter
from pathlib import Path

from grading.outcomes import Outcome

CSV_COLUMNS = ("student_id", "lab", "score", "max_score", "outcome", "detail", "seconds")


def write_grades_csv(path: Path, outcomes: list[Outcome]) -> Path:
    """One row per submission: score, maximum, and what happened (graded, timed out, kernel died, ...)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for o in sorted(outcomes, key=lambda o: (o.lab, o.student)):
            writer.writerow([o.student, o.lab, f"{o.score:g}", f"{o.max_score:g}", o.status, o.detail, o.seconds])
    return path


def check_pass_rates(outcomes: list[Outcome]) -> list[tuple[str, str, float, int, int]]:
    """(exercise, check, points, submissions that passed it, submissions graded on it) for every named check,
    from the recorded outcomes, the most failed first."""
    passed: Counter = Counter()
    seen: Counter = Counter()
    points: dict[tuple[str, str], float] = {}
    for outcome in outcomes:
        for exercise, checks in outcome.checks.items():
            for check in checks:
                key = (exercise, str(check.get("name")))
                seen[key] += 1
                passed[key] += bool(check.get("passed"))
                points[key] = float(check.get("points", 0))
    rows = [(exercise, name, points[(exercise, name)], passed[(exercise, name)], seen[(exercise, name)])
            for exercise, name in seen]
    return sorted(rows, key=lambda row: (row[3] / row[4], row[0], row[1]))


def summary_figure(lab: str, outcomes: list[Outcome]) -> bytes:
    """PNG: the share of students earning each exercise's points, and the distribution of total scores."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    exercises = sorted({cell for o in outcomes for cell in o.cells})
    passed = [sum(1 for o in outcomes if o.cells.get(e) and o.cells[e][0] is not None
                  and o.cells[e][0] >= o.cells[e][1]) / len(outcomes) for e in exercises]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    left.barh(exercises, passed, color="#0072B2")
    left.set_xlim(0, 1)
    left.set_xlabel("share of students with full marks")
    left.set_title(f"{lab}: exercises")
    left.invert_yaxis()
    totals = [o.score for o in outcomes]
    maximum = max((o.max_score for o in outcomes), default=1) or 1
    right.hist(totals, bins=min(20, int(maximum) + 1), range=(0, maximum), color="#D55E00", edgecolor="black")
    right.set_xlabel("total score (points)")
    right.set_ylabel("students")
    right.set_title(f"{lab}: distribution of scores (n = {len(outcomes)})")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    return buffer.getvalue()


def write_lab_summary(lab: str, outcomes: list[Outcome], directory: Path) -> Path:
    """reports/<lab>.html: figure, outcome counts and every named check's pass rate, in one file."""
    directory.mkdir(parents=True, exist_ok=True)
    statuses = Counter(o.status for o in outcomes)
    png = base64.b64encode(summary_figure(lab, outcomes)).decode()
    rows = "".join(f"<tr><td>{html.escape(e)}</td><td>{html.escape(c)}</td><td>{p:g}</td>"
                   f"<td>{n}/{m} ({n / m:.0%})</td></tr>" for e, c, p, n, m in check_pass_rates(outcomes))
    status_rows = "".join(f"<tr><td>{html.escape(s)}</td><td>{n}</td></tr>" for s, n in statuses.most_common())
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{lab}: class summary</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto}}td,th{{padding:4px 10px;text-align:left}}
</style></head><body><h1>{lab}: class summary</h1>
<img alt="share of full marks per exercise and distribution of scores" src="data:image/png;base64,{png}">
<h2>Outcomes</h2><table><tr><th>outcome</th><th>submissions</th></tr>{status_rows}</table>
<h2>Named checks, the most failed first</h2>
<table><tr><th>exercise</th><th>check</th><th>points</th><th>passed by</th></tr>{rows}</table>
</body></html>"""
    path = directory / f"{lab}.html"
    path.write_text(page, encoding="utf-8")
    return path
