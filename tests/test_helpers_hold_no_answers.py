"""helpers/ never holds the answer to a graded exercise: no module defines, imports or re-exports a name that
a lab asks the student to write."""

import ast
import importlib
import pkgutil

import pytest
from course import HELPERS, graded_functions, lab_names

import helpers

GRADED = sorted({name for lab in lab_names() for name in graded_functions(lab)})


def test_the_labs_have_graded_functions():
    assert "softmax" in GRADED and "gaussian_log_pdf" in GRADED


@pytest.mark.parametrize("path", sorted(HELPERS.rglob("*.py")), ids=lambda p: p.name)
def test_no_graded_name_is_defined_or_imported(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update((alias.asname or alias.name).split(".")[-1] for alias in node.names)
        elif isinstance(node, ast.Assign):
            found.update(t.id for t in node.targets if isinstance(t, ast.Name))
    assert not found & set(GRADED), f"{path.name} defines or imports graded names {found & set(GRADED)}"


def test_no_graded_name_is_reachable_at_runtime():
    for info in pkgutil.iter_modules(helpers.__path__):
        module = importlib.import_module(f"helpers.{info.name}")
        leaked = set(GRADED) & set(dir(module))
        assert not leaked, f"helpers.{info.name} exposes {leaked}"
