import os
import sys
from pathlib import Path

import pytest

# Let test modules import the shared test utilities (course.py) and the wrong-answer banks.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="module")
def solution(request):
    """The graded functions of the module's lab (``LAB``) as its solution notebook defines them."""
    from course import solution_namespace

    return solution_namespace(request.module.LAB)


@pytest.fixture(scope="module")
def executed(request):
    """The module's lab (``LAB``), solution notebook executed top to bottom in a real kernel."""
    from course import execute, notebook_path

    return execute(notebook_path(request.module.LAB))


@pytest.fixture(scope="session")
def sandbox():
    """Grading runs student code in a bubblewrap sandbox (grading.sandbox): tests that grade need it. Missing, it
    fails the run under CI=true and skips the test elsewhere, saying what to install."""
    from grading.sandbox import sandbox_available

    reason = sandbox_available()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the grading sandbox is required in CI: {reason}")
        pytest.skip(f"no grading sandbox here ({reason}): apt-get install bubblewrap")


@pytest.fixture(scope="session")
def torch():
    """PyTorch, for the tests of what the labs say PyTorch computes: an optional test dependency (the CPU build,
    `pip install torch==2.13.0`, which `.ci/run` installs). Missing, it fails the run under CI=true and skips the
    test elsewhere, saying what to install."""
    try:
        import torch as module
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("PyTorch is required in CI for the tests of the labs' claims about it")
        pytest.skip("PyTorch is not installed: .venv/bin/pip install torch==2.13.0 (the CPU build)")
    return module

