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
