"""The project's own files agree with each other: environment.yml names the packages pyproject.toml
depends on, and ruff passes on helpers, tests and every notebook."""

import re
import tomllib

from course import ROOT, run


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_names_the_same_packages_as_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pip_names = {_name(r) for r in pyproject["project"]["dependencies"]}
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    lines = text.split("\ndependencies:\n", 1)[1].splitlines()
    conda_names = {_name(line.split("- ", 1)[1]) for line in lines
                   if re.match(r"^\s+- [A-Za-z]", line) and not line.strip().startswith("- pip")}
    conda_names -= {"python"}
    assert conda_names == pip_names, (f"only in environment.yml: {conda_names - pip_names}; "
                                      f"only in pyproject.toml: {pip_names - conda_names}")
    assert any(re.match(r"^\s+- -e \.$", line) for line in lines), "environment.yml installs helpers (-e .)"


def test_nbgrader_is_pinned_exactly():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "nbgrader==0.9.6" in pyproject["project"]["dependencies"]


def test_ruff_passes_on_code_and_notebooks():
    folders = ["helpers", "grading", "tests", "benchmarks", "solutions", "labs"]
    result = run(["ruff", "check", "--no-cache", *folders], cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
