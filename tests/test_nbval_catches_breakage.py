"""The solution notebooks run under nbval (see pyproject.toml: --nbval-lax with an explicit cell timeout). This
checks that such a run fails, and promptly, when a solution is broken: an exception in a cell, or a kernel
that dies (nbval would otherwise wait its default 2000 s)."""

import re
import sys

import nbformat
from course import notebook_path, read_notebook, run


def test_a_broken_solution_fails_the_suite(tmp_path):
    lab = "01_distributions"
    raising = read_notebook(notebook_path(lab))
    raising.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('a broken solution')"))
    nbformat.write(raising, str(tmp_path / "raising.ipynb"))
    dying = read_notebook(notebook_path(lab))
    dying.cells.insert(3, nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    nbformat.write(dying, str(tmp_path / "dying.ipynb"))

    result = run([sys.executable.rsplit("/", 1)[1], "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=",
                  "--nbval-lax", "--nbval-cell-timeout=10", "-p", "no:xdist", "-q", "--color=no", str(tmp_path)],
                 cwd=tmp_path, timeout=300)
    report = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)  # the kernel colours tracebacks
    assert result.returncode == 1, report
    # nbval numbers code cells only: the inserted cell is code cell 1
    assert "FAILED raising.ipynb::Cell 1" in report and "RuntimeError: a broken solution" in report, report
    assert "FAILED dying.ipynb::Cell 1" in report, report
