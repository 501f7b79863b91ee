"""Notebook hygiene: clean notebooks in git, well-formed nbgrader markup, labs/ generated from solutions/ and
current, and nothing of a solution or a hidden test anywhere in labs/."""

import ast
import json

import nbformat
import pytest
from course import (
    HIDDEN_MARKERS,
    LABS,
    ROOT,
    SOLUTION_MARKERS,
    defined_functions,
    grade_cells,
    lab_names,
    make_course,
    nbgrader_meta,
    notebook_path,
    read_notebook,
    solution_cells,
    without_markers,
)

ALL_NOTEBOOKS = sorted(p for tree in ("solutions", "labs") for p in (ROOT / tree).rglob("*.ipynb")
                       if ".ipynb_checkpoints" not in p.parts)


def test_every_lab_has_a_source_and_a_release():
    assert lab_names(), "no labs in solutions/"
    for lab in lab_names():
        assert notebook_path(lab).is_file(), f"solutions/{lab}/{lab}.ipynb is missing"
        assert notebook_path(lab, LABS).is_file(), f"labs/{lab}/{lab}.ipynb is missing: run `make release`"
    assert sorted(p.name for p in LABS.iterdir() if p.is_dir()) == lab_names(), "labs/ has a lab solutions/ lacks"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_is_clean_and_valid(path):
    nb = read_notebook(path)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"cell {i} has outputs: clear them before committing"
            assert cell.execution_count is None, f"cell {i} has an execution count: clear it before committing"
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("lab", lab_names())
def test_nbgrader_markup(lab):
    nb = read_notebook(notebook_path(lab))
    ids = [nbgrader_meta(c)["grade_id"] for c in nb.cells if nbgrader_meta(c)]
    assert len(ids) == len(set(ids)), "grade_ids must be unique"
    answers, tests = solution_cells(nb), grade_cells(nb)
    assert answers, "a lab needs graded exercises"
    assert sorted(f"test_{a}" for a in answers) == sorted(tests), "each answer cell `f` is graded by `test_f`"
    for grade_id, cell in answers.items():
        assert cell.cell_type == "code" and not nbgrader_meta(cell)["grade"]
        lines = [line.strip() for line in cell.source.splitlines()]
        assert lines.count(SOLUTION_MARKERS[0]) == 1 and lines.count(SOLUTION_MARKERS[1]) == 1, grade_id
        assert f"def {grade_id}(" in cell.source, f"answer cell {grade_id} must define {grade_id}()"
    total = 0
    for grade_id, cell in tests.items():
        meta = nbgrader_meta(cell)
        assert meta["locked"] and meta["points"] > 0, grade_id
        assert "raises-exception" not in cell.metadata.get("tags", []), "that tag would hide a broken test"
        assert "Checklist(" in cell.source and cell.source.rstrip().endswith("checks.result()"), \
            f"{grade_id} must be a Checklist of named checks ending with checks.result()"
        visible = cell.source.partition(HIDDEN_MARKERS[0])[0]
        assert "checks.hidden(" not in visible, f"{grade_id}: hidden values belong between the hidden-test markers"
        total += meta["points"]
    for cell in nb.cells:
        assert "raises-exception" not in cell.metadata.get("tags", []), "a raises-exception tag hides breakage"
    headings = [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()
                if line.startswith("## Part")]
    stated = sum(int(h.rsplit("(", 1)[1].split()[0]) for h in headings if h.endswith("points)"))
    assert stated == total, f"the part headings promise {stated} points, the test cells give {total}"


@pytest.mark.parametrize("lab", lab_names())
def test_labs_are_current_with_solutions(lab, tmp_path):
    """labs/ is exactly what `nbgrader generate_assignment` makes of solutions/ now."""
    course = make_course(tmp_path, [lab])
    fresh = json.loads(notebook_path(lab, course / "labs").read_text(encoding="utf-8"))
    committed = json.loads(notebook_path(lab, LABS).read_text(encoding="utf-8"))
    assert committed == fresh, f"labs/{lab} is stale: run `make release` and commit labs/"
    extra = {p.name for p in (LABS / lab).iterdir()} ^ {p.name for p in (course / "labs" / lab).iterdir()}
    assert not extra, f"labs/{lab} and a fresh generation differ in files: {extra}"


@pytest.mark.parametrize("lab", lab_names())
def test_labs_hold_no_solution_or_hidden_test(lab):
    released_nb = read_notebook(notebook_path(lab, LABS))
    released = "\n".join(c.source for c in released_nb.cells)
    released_code = {line.strip() for c in released_nb.cells if c.cell_type == "code" for line in c.source.splitlines()}
    for marker in (*SOLUTION_MARKERS, *HIDDEN_MARKERS):
        assert marker not in released
    source = read_notebook(notebook_path(lab))
    for cell in solution_cells(source).values():
        inside = cell.source.split(SOLUTION_MARKERS[0], 1)[1].split(SOLUTION_MARKERS[1], 1)[0]
        for line in inside.splitlines():
            if len(line.strip()) > 12:
                assert line.strip() not in released_code, f"solution line leaked into labs/: {line.strip()}"
    for cell in grade_cells(source).values():
        visible, _, rest = cell.source.partition(HIDDEN_MARKERS[0])
        hidden = rest.partition(HIDDEN_MARKERS[1])[0]
        for line in hidden.splitlines():
            if len(line.strip()) > 40 and line.strip() not in visible:
                assert line.strip() not in released_code, f"hidden test line leaked into labs/: {line.strip()}"


@pytest.mark.parametrize("lab", lab_names())
def test_test_cells_can_run_in_the_grader(lab):
    """While grading, test cells run in the grader, not in the student's kernel (grading.trusted): a name a test
    cell reads must be its own, numpy, an import of the lab's setup cells, or a function the student writes."""
    from grading.trusted import free_names

    nb = read_notebook(notebook_path(lab))
    imported = {"np"}
    for cell in nb.cells:
        if cell.cell_type == "code" and not nbgrader_meta(cell):
            tree = ast.parse(cell.source)
            imported |= {(a.asname or a.name).split(".")[0] for node in tree.body
                         if isinstance(node, (ast.Import, ast.ImportFrom)) for a in node.names}
    graded = {name for c in solution_cells(nb).values() for name in defined_functions(without_markers(c.source))}
    for grade_id, cell in grade_cells(nb).items():
        unknown = free_names(cell.source) - imported - graded
        assert not unknown, f"{grade_id} reads {sorted(unknown)}, which the grader cannot provide"
