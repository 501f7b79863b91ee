"""Which submissions of a lab are suspiciously alike (``python -m grading similarity LAB``).

Only what students wrote is compared: the code of the lab's answer cells (nbgrader ``solution`` cells, found by
their grade id) without the lines the released cell already has, and with every fingerprint of the released lab's
code removed as boilerplate, so the function signatures, docstrings and stubs the instructor wrote never count.
Fingerprints are copydetect's (winnowing over Pygments tokens, with names, strings and comments normalised away,
so renaming variables does not hide a copy).

A pair's score is the share of the smaller answer set (in tokens) that also appears in the other, summed over the
exercises; answers shorter than copydetect's noise threshold (``noise`` characters after normalisation, such as a
one-line formula everybody writes alike) give no fingerprint and cannot make a pair similar. The report
``reports/<lab>-similarity.html`` shows the most similar pairs side by side with the shared code marked, and the
distribution of the scores of all pairs. A high score is a reason to look at two notebooks, not a finding.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from copydetect import CodeFingerprint, compare_files
from copydetect.utils import highlight_overlap

# copydetect's defaults are 25 and 30; Python with every name normalised to one letter has many honest 25-character
# coincidences (`V=V.V(V,V=V)` is any np.asarray call), so a match must be longer to count.
NOISE = 40  # copydetect's noise threshold: shortest match (in normalised characters) that counts
GUARANTEE = 50  # copydetect's guarantee threshold: every match this long is found (sets the winnowing window)


def answer_cells(path: Path, release: dict[str, str]) -> dict[str, str]:
    """What the student wrote in each answer cell (by grade id) of a notebook: the cell's code without the lines
    the released cell already has (signature, docstring, stub); {} if the notebook cannot be read."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return {}
    found = {}
    for cell in cells if isinstance(cells, list) else []:
        meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
        if cell.get("cell_type") == "code" and meta.get("grade_id") in release:
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            given = {line.strip() for line in release[meta["grade_id"]].splitlines()}
            found[meta["grade_id"]] = "\n".join(line for line in source.splitlines() if line.strip() not in given)
    return found


def release_code(path: Path) -> tuple[dict[str, str], list[str]]:
    """(the source of each answer cell by grade id, the source of every code cell) of the released lab."""
    cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    answers = {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"]) for c in cells
               if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    return answers, ["".join(c["source"]) for c in cells]


def _fingerprint(code: str, name: str, boilerplate) -> CodeFingerprint:
    window = GUARANTEE - NOISE + 1
    return CodeFingerprint(name, NOISE, window, boilerplate, language="python", fp=io.StringIO(code))


def boilerplate_hashes(sources: list[str]) -> np.ndarray:
    """Every fingerprint of the released lab's code: matches made of these never count."""
    hashes = set()
    for n, source in enumerate(sources):
        hashes |= _fingerprint(source, f"release-{n}.py", None).hashes
    return np.array(sorted(hashes), dtype=np.int64)


@dataclass
class Pair:
    """Two students and how much of their answer code they share, per exercise and in all."""

    first: str
    second: str
    score: float  # shared share of the smaller answer set, 0 to 1
    exercises: dict[str, tuple[float, float, str, str]] = field(default_factory=dict)  # id -> (s1, s2, html1, html2)


def compare(answers: dict[str, dict[str, str]], grade_ids: list[str], boilerplate: np.ndarray) -> list[Pair]:
    """Every pair of students, most similar first."""
    prints = {student: {g: _fingerprint(code, f"{student}-{g}.py", boilerplate) for g, code in cells.items()}
              for student, cells in answers.items()}
    size = {s: sum(p.token_coverage for p in cells.values()) for s, cells in prints.items()}
    pairs = []
    for a, b in itertools.combinations(sorted(prints), 2):
        shared_a = shared_b = 0.0
        pair = Pair(a, b, 0.0)
        for grade_id in grade_ids:
            first, second = prints[a].get(grade_id), prints[b].get(grade_id)
            if first is None or second is None or not first.hashes or not second.hashes:
                continue
            _, (s1, s2), (slices1, slices2) = compare_files(first, second)
            if s1 == 0 and s2 == 0:
                continue
            shared_a += s1 * first.token_coverage
            shared_b += s2 * second.token_coverage
            pair.exercises[grade_id] = (s1, s2, _marked(first.raw_code, slices1), _marked(second.raw_code, slices2))
        smaller = min(size[a], size[b])
        pair.score = min(1.0, max(shared_a, shared_b) / smaller) if smaller else 0.0
        pairs.append(pair)
    return sorted(pairs, key=lambda p: (-p.score, p.first, p.second))


def _marked(code: str, slices) -> str:
    """The code as HTML with the shared parts marked."""
    if len(slices) == 0 or slices.shape[1] == 0:
        return html.escape(code)
    marked, _ = highlight_overlap(code, slices.astype(int), "<mark>", "</mark>", escape_html=True)
    return marked


def figure(pairs: list[Pair], flagged: float) -> bytes:
    """PNG: the distribution of the scores of all pairs, with the flag threshold."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axis = plt.subplots(figsize=(8, 3.5), layout="constrained")
    axis.hist([p.score for p in pairs], bins=np.linspace(0, 1, 41), color="#0072B2", edgecolor="black")
    axis.axvline(flagged, color="#D55E00", linestyle="--", label=f"flagged from {flagged:.0%}")
    axis.set_yscale("log")
    axis.set_xlabel("share of the smaller answer set found in the other")
    axis.set_ylabel("pairs of students")
    axis.set_title(f"similarity of all {len(pairs)} pairs")
    axis.legend()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    return buffer.getvalue()


def report(root: Path, lab: str, *, top: int = 10, flagged: float = 0.3) -> tuple[Path, list[Pair], list[str]]:
    """Compare every submission of ``lab`` and write ``reports/<lab>-similarity.html``; returns the report, the
    pairs (most similar first) and the students whose notebook gave no answer code to compare."""
    release, sources = release_code(root / "labs" / lab / f"{lab}.ipynb")
    submitted = root / "submitted"
    students = sorted(p.name for p in submitted.iterdir() if (p / lab / f"{lab}.ipynb").is_file()) \
        if submitted.is_dir() else []
    answers = {s: answer_cells(submitted / s / lab / f"{lab}.ipynb", release) for s in students}
    empty = [s for s, cells in answers.items() if not cells]
    pairs = compare({s: c for s, c in answers.items() if c}, list(release), boilerplate_hashes(sources))
    path = root / "reports" / f"{lab}-similarity.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_page(lab, pairs, top, flagged, empty), encoding="utf-8")
    return path, pairs, empty


def _page(lab: str, pairs: list[Pair], top: int, flagged: float, empty: list[str]) -> str:
    png = base64.b64encode(figure(pairs, flagged)).decode() if pairs else ""
    sections = []
    for rank, pair in enumerate(pairs[:top], 1):
        if pair.score == 0:
            break
        flag = " <strong>(worth a look)</strong>" if pair.score >= flagged else ""
        rows = "".join(
            f"<tr><th colspan=2>{html.escape(g)}: {s1:.0%} of {html.escape(pair.first)}'s answer, "
            f"{s2:.0%} of {html.escape(pair.second)}'s</th></tr><tr><td><pre>{c1}</pre></td><td><pre>{c2}</pre></td>"
            "</tr>" for g, (s1, s2, c1, c2) in pair.exercises.items())
        sections.append(f"<h3>{rank}. {html.escape(pair.first)} and {html.escape(pair.second)}: "
                        f"{pair.score:.0%}{flag}</h3><table><tr><th>{html.escape(pair.first)}</th>"
                        f"<th>{html.escape(pair.second)}</th></tr>{rows}</table>")
    note = f"<p>No answer code to compare in: {html.escape(', '.join(empty))}.</p>" if empty else ""
    image = f'<img alt="distribution of similarity scores" src="data:image/png;base64,{png}">' if png else ""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{lab}: similar submissions</title>
<style>body{{font-family:sans-serif;max-width:1200px;margin:2em auto}}table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;width:50%}}
pre{{margin:0;white-space:pre-wrap}}mark{{background:#ffd27f}}</style></head><body>
<h1>{lab}: similar submissions</h1>
<p>Only the code students wrote in the answer cells is compared; the lab's own code never counts. A pair's score
is the share of the smaller set of answers also found in the other (names, strings and comments do not matter;
matches shorter than {NOISE} normalised characters are not counted). Short exercises have few ways to be written,
so similar answers happen without copying: a high score is a reason to read both notebooks, not evidence, and
this page accuses no one.</p>
{image}{note}
<h2>The {min(top, len(pairs))} most similar pairs of {len(pairs)}</h2>{''.join(sections) or '<p>No shared code.</p>'}
</body></html>"""


def run(root: Path, lab: str, *, top: int, flagged: float) -> None:
    """The ``similarity`` command: write the report and print the pairs it flags."""
    path, pairs, empty = report(root, lab, top=top, flagged=flagged)
    for pair in pairs[:top]:
        if pair.score >= flagged:
            print(f"{pair.first} and {pair.second}: {pair.score:.0%} of the smaller answer set shared")
    if empty:
        print(f"no answer code to compare in: {', '.join(empty)}")
    flags = sum(p.score >= flagged for p in pairs)
    print(f"compared {len(pairs)} pair(s), {flags} at {flagged:.0%} or more; wrote {path.relative_to(root)} "
          "(a reason to look, not a finding)")
