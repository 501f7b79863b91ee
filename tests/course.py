"""What the tests know about the course: where the labs are, how to read their nbgrader markup, how to run
nbgrader and a kernel on them, and how to run a lab's test cells directly on an answer (``run_test_cell``, for the
fast ``test_*checks.py`` modules). Imported by the test modules (``from course import ...``)."""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from types import CodeType, ModuleType

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
LABS = ROOT / "labs"
HELPERS = ROOT / "helpers"
VENV_BIN = Path(sys.executable).parent

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def lab_names() -> list[str]:
    """The labs, named like ``01_distributions``: one folder each in solutions/."""
    return sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir() and re.fullmatch(r"\d\d_\w+", p.name))


def notebook_path(lab: str, tree: Path = SOLUTIONS) -> Path:
    return tree / lab / f"{lab}.ipynb"


def read_notebook(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def solution_cells(nb) -> dict[str, nbformat.NotebookNode]:
    """Autograded answer cells, by grade_id."""
    return {nbgrader_meta(c)["grade_id"]: c for c in nb.cells if nbgrader_meta(c).get("solution")}


def grade_cells(nb) -> dict[str, nbformat.NotebookNode]:
    """Autograder test cells, by grade_id."""
    return {nbgrader_meta(c)["grade_id"]: c for c in nb.cells if nbgrader_meta(c).get("grade")}


def without_markers(source: str) -> str:
    """A solution cell's code as a student who solved it would write it: the solution markers removed."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in SOLUTION_MARKERS)


def defined_functions(source: str) -> list[str]:
    return [node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]


def graded_functions(lab: str) -> list[str]:
    """Names of the functions a student writes in ``lab`` (those defined in its answer cells)."""
    nb = read_notebook(notebook_path(lab))
    return [name for cell in solution_cells(nb).values() for name in defined_functions(without_markers(cell.source))]


def solution_namespace(lab: str) -> dict:
    """The lab's graded functions as the solution defines them, ready to call from a test."""
    import numpy as np

    namespace: dict = {"np": np}
    for cell in solution_cells(read_notebook(notebook_path(lab))).values():
        exec(compile(without_markers(cell.source), f"<{lab} solution>", "exec"), namespace)  # noqa: S102
    return namespace


def subprocess_env() -> dict[str, str]:
    """The environment for nbgrader, jupyter and pytest subprocesses: this venv's programs first on PATH
    (nbgrader starts ``alembic`` by name)."""
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("JUPYTER_CONFIG_DIR", None)
    return env


def run(args: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run a program of this venv, capturing its output as text."""
    program = VENV_BIN / args[0]
    return subprocess.run([str(program), *args[1:]], cwd=cwd, env=subprocess_env(), capture_output=True,
                          text=True, timeout=timeout, check=False)


#: Generates the labs named on its command line with nbgrader's API in one process (a `nbgrader generate_assignment`
#: process per lab costs about two seconds of start-up); prints {lab: error} for those that failed, as JSON.
_GENERATE = """
import json, sys
from nbgrader.apps.api import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import PyFileConfigLoader

config = PyFileConfigLoader("nbgrader_config.py", path=".").load_config()
api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
failed = {}
for lab in sys.argv[1:]:
    result = api.generate_assignment(lab, force=True)
    if not result["success"]:
        failed[lab] = (result.get("log") or "") + str(result.get("error") or "")
print(json.dumps(failed))
"""


def generate_labs(directory: Path, labs: list[str]) -> dict[str, str]:
    """Copy the sources of ``labs`` into the course copy ``directory`` and generate their student versions with
    nbgrader (``generate_assignment``); returns {lab: what went wrong} for the labs that could not be generated."""
    if not labs:
        return {}
    for lab in labs:
        shutil.copytree(SOLUTIONS / lab, directory / "solutions" / lab, dirs_exist_ok=True)
    result = subprocess.run([str(VENV_BIN / "python"), "-c", _GENERATE, *labs], cwd=directory, env=subprocess_env(),
                            capture_output=True, text=True, timeout=600, check=False)
    try:
        return json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {lab: f"nbgrader did not run:\n{result.stdout}\n{result.stderr}" for lab in labs}


def make_course(directory: Path, labs: list[str], *, cell_timeout: int = 60) -> Path:
    """A throwaway copy of the course in ``directory`` (config and sources of ``labs``, its own gradebook),
    with the student labs generated by nbgrader's ``generate_assignment``."""
    directory.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "nbgrader_config.py").read_text(encoding="utf-8")
    config += (f"\nc.CourseDirectory.db_url = 'sqlite:///{directory / 'gradebook.db'}'\n"
               f"c.Execute.timeout = {cell_timeout}\n")
    (directory / "nbgrader_config.py").write_text(config, encoding="utf-8")
    failed = generate_labs(directory, labs)
    assert not failed, "generate_assignment failed:\n" + "\n".join(f"{lab}: {log}" for lab, log in failed.items())
    return directory


def execute(path: Path, *, allow_errors: bool = False, timeout: int = 60) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in a real kernel, in its own folder; return it with its outputs."""
    from nbclient import NotebookClient

    nb = read_notebook(path)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return nb


def stdout_of(nb, cell_id: str) -> str:
    """All that a cell printed to stdout."""
    (cell,) = [c for c in nb.cells if c.get("id") == cell_id]
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")


def numbers_in(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf", text)]


def markdown_text(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


# --- A lab's test cells run directly, without nbgrader or a kernel (the fast ``test_*checks.py`` tests) ---------


def visible_lines_not_calling_checks(lab: str) -> list[str]:
    """The indented lines of the visible part of ``lab``'s test cells that are not a call ``check.<name>(<exercise>)``
    of its checks module: none, where a lab keeps every visible expectation in helpers/checks (Labs 2 and 7)."""
    stray = []
    for exercise, cell in check_cells(lab).items():
        visible = cell.source.partition(HIDDEN_MARKERS[0])[0]
        calls = [line.strip() for line in visible.splitlines() if line.startswith("    ")]
        stray += [f"{exercise}: {line}" for line in calls
                  if not (line.startswith("check.") and line.endswith(f"({exercise})"))]
        if not calls:
            stray.append(f"{exercise}: no check is called")
    return stray


def hidden_part(source: str) -> str:
    """The hidden tests of a test cell: the code between the hidden-test markers."""
    return source.partition(HIDDEN_MARKERS[0])[2].partition(HIDDEN_MARKERS[1])[0]


@functools.cache
def check_cells(lab: str) -> dict[str, nbformat.NotebookNode]:
    """The test cells of ``lab``'s solution notebook, by exercise (their grade_id without ``test_``)."""
    cells = grade_cells(read_notebook(notebook_path(lab)))
    return {grade_id.removeprefix("test_"): cell for grade_id, cell in cells.items()}


@functools.cache
def solution_answers(lab: str) -> dict[str, str]:
    """The answer cells as the solution writes them (markers removed), by exercise (their grade_id)."""
    cells = solution_cells(read_notebook(notebook_path(lab)))
    return {grade_id: without_markers(cell.source) for grade_id, cell in cells.items()}


def unsolved_answers(lab: str) -> dict[str, str]:
    """The answer cells of the student lab (labs/``lab``), as released (unsolved), by exercise; empty while
    ``make release`` has not generated it."""
    path = notebook_path(lab, LABS)
    cells = solution_cells(read_notebook(path)) if path.exists() else {}
    return {grade_id: without_markers(cell.source) for grade_id, cell in cells.items()}


@functools.cache
def _kernel_code(lab: str) -> tuple[CodeType, dict[str, CodeType], dict[str, CodeType]]:
    """Compiled once per lab: the notebook's imports (the top-level ``import`` statements of its cells that are
    neither answer nor test cells), each answer cell of the solution and each test cell, by exercise."""
    cells = [cell for cell in read_notebook(notebook_path(lab)).cells if cell.cell_type == "code"
             and not nbgrader_meta(cell).get("solution") and not nbgrader_meta(cell).get("grade")]
    imports = [ast.unparse(node) for cell in cells for node in ast.parse(cell.source).body
               if isinstance(node, (ast.Import, ast.ImportFrom))]
    answers = {exercise: compile(source, f"<{lab} solution {exercise}>", "exec")
               for exercise, source in solution_answers(lab).items()}
    tests = {exercise: compile(cell.source, f"<{lab} test_{exercise}>", "exec")
             for exercise, cell in check_cells(lab).items()}
    return compile("\n".join(imports), f"<{lab} imports>", "exec"), answers, tests


def run_test_cell(lab: str, exercise: str, answer: str, *, graded: bool = True):
    """The ``Checklist`` of the test cell of ``exercise`` (visible and hidden parts) in solutions/``lab``, run on
    ``answer`` (the source of an answer cell) in a namespace like the kernel's: the notebook's imports, the
    solution's other answer cells, then ``answer``. ``graded``: as the grader runs it (``helpers.feedback.grading``:
    ``result()`` returns the points), once per answer (later calls share the checklist: read it, do not change it);
    else as in the student's notebook, where ``result()`` raises if a visible check failed. What the cell prints
    and the warnings the answer emits are dropped (``call_quietly`` records its own)."""
    return _graded_run(lab, exercise, answer) if graded else _run(lab, exercise, answer, graded=False)


@functools.cache
def _graded_run(lab: str, exercise: str, answer: str):
    return _run(lab, exercise, answer, graded=True)


def _run(lab: str, exercise: str, answer: str, *, graded: bool):
    from helpers.feedback import grading

    setup, answers, tests = _kernel_code(lab)
    namespace: dict = {}
    exec(setup, namespace)  # noqa: S102 - the lab's own imports
    for other, code in answers.items():
        if other != exercise:
            exec(code, namespace)  # noqa: S102 - the lab's solution
    mode = grading() if graded else contextlib.nullcontext()
    with mode, contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(answer, f"<{lab} answer {exercise}>", "exec"), namespace)  # noqa: S102 - the course's banks
        exec(tests[exercise], namespace)  # noqa: S102 - the lab's own test cell
    return namespace["checks"]


def failures(checklist) -> dict[str, list[BaseException]]:
    """The failed checks of a ``Checklist``, by name: the failure of the visible part, then that of the hidden
    part (those that happened)."""
    return {check.name: [error for error in (check.failure, check.hidden_failure) if error is not None]
            for check in checklist.results if not check.passed}


def visible_failures(checklist) -> dict[str, BaseException]:
    """The checks whose visible part failed, by name, with that failure: what the student's own run reports."""
    return {check.name: check.failure for check in checklist.results if check.failure is not None}


def hints_shown(checklist) -> set[str]:
    """The hints (``CheckFailed.hint``) that the checklist's report shows: one per failed check, that of its first
    failure (the visible part's, else the hidden part's; the report shows no other)."""
    from helpers.feedback import CheckFailed

    firsts = [errors[0] for errors in failures(checklist).values()]
    return {error.hint for error in firsts if isinstance(error, CheckFailed) and error.hint}


def checks_module(lab: str) -> ModuleType:
    """``helpers.checks.<topic>``, the visible checks of ``lab`` (named ``NN_<topic>``)."""
    return importlib.import_module(f"helpers.checks.{lab.split('_', 1)[1]}")


def hints_in(source: str, module: ModuleType) -> set[str]:
    """Every hint text that ``source`` (the checks module, or a test cell that uses it) writes: the second item of
    each (mistake, hint) pair of a ``hints=`` argument; the other ``*hint*=`` arguments (``hint=``,
    ``returned_hint=``, ...); the fifth positional argument of ``expect_true`` and the fourth of ``fail``. A name is
    the module's constant, else what its scope assigns to it (``=``, ``+=``, ``.append``, ``.extend``; a parameter
    passed on adds nothing). A hint it cannot read fails the test, so that none is missed."""
    tree = ast.parse(source)
    parent = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def scopes(node: ast.AST) -> list[ast.AST]:
        """The scopes that ``node``'s names are looked up in: its function's, the enclosing ones', the module's."""
        found = []
        while node in parent:
            node = parent[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)):
                found.append(node)
        return found

    assigned: dict[tuple[ast.AST, str], list[ast.expr]] = {}
    for node in ast.walk(tree):
        targets, value = [], None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AugAssign):
            targets, value = [node.target], node.value
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args
              and node.func.attr in ("append", "extend")):
            targets, value = [node.func.value], node.args[0]
            if node.func.attr == "append":
                value = ast.List(elts=[value])
                parent[value] = node
        for target in targets:
            if isinstance(target, ast.Name):
                assigned.setdefault((scopes(node)[0], target.id), []).append(value)

    reading: set[tuple[ast.AST, str]] = set()

    def through(name: ast.Name, read) -> list[str]:
        """What ``read`` finds in the values assigned to ``name`` in the nearest scope that assigns it."""
        key = next(((scope, name.id) for scope in scopes(name) if (scope, name.id) in assigned), None)
        if key is None or key in reading:  # a parameter passed on, or ``hints = hints + [...]``
            return []
        reading.add(key)
        try:
            return [hint for value in assigned[key] for hint in read(value)]
        finally:
            reading.discard(key)

    def text(node: ast.expr) -> list[str]:
        if isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, str)):
            return [node.value] if node.value else []
        if isinstance(node, ast.IfExp):
            return text(node.body) + text(node.orelse)
        if isinstance(node, (ast.Name, ast.Attribute)):
            value = getattr(module, node.id if isinstance(node, ast.Name) else node.attr, None)
            if isinstance(value, str):
                return [value]
            if isinstance(node, ast.Name) and value is None:
                return through(node, text)
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            table = getattr(module, getattr(node.value, "id", getattr(node.value, "attr", "")), None)
            if isinstance(table, dict) and isinstance(table.get(node.slice.value), str):
                return [table[node.slice.value]]
        raise AssertionError(f"a hint the test cannot read: {ast.unparse(node)}")

    def pairs(node: ast.expr) -> list[str]:
        if isinstance(node, ast.Tuple) and len(node.elts) == 2 and not isinstance(node.elts[1], (ast.Tuple, ast.List)):
            return text(node.elts[1])
        if isinstance(node, (ast.List, ast.Tuple)):
            return [hint for item in node.elts for hint in pairs(item)]
        if isinstance(node, ast.Starred):
            return pairs(node.value)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return pairs(node.left) + pairs(node.right)
        if isinstance(node, (ast.Name, ast.Attribute)):
            value = getattr(module, node.id if isinstance(node, ast.Name) else node.attr, None)
            if isinstance(value, (list, tuple)):  # a module's list of (mistake, hint) pairs
                return [pair[1] for pair in value if isinstance(pair[1], str)]
            if isinstance(node, ast.Name) and value is None:
                return through(node, pairs)
        raise AssertionError(f"hints the test cannot read: {ast.unparse(node)}")

    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "hints":
                found.update(pairs(keyword.value))
            elif keyword.arg and "hint" in keyword.arg.split("_"):
                found.update(text(keyword.value))
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        position = {"expect_true": 4, "fail": 3}.get(name)
        if position is not None and len(node.args) > position:
            found.update(text(node.args[position]))
    return found


@functools.cache
def stated_hints(lab: str) -> frozenset[str]:
    """The hints ``lab``'s checks can give: those written in its checks module and in its test cells' hidden parts."""
    module = checks_module(lab)
    sources = [Path(module.__file__).read_text(encoding="utf-8")]
    sources += [hidden_part(cell.source) for cell in check_cells(lab).values()]
    return frozenset().union(*(hints_in(source, module) for source in sources))
