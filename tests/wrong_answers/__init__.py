"""Banks of plausible wrong answers, one module per lab.

Each module sets ``LAB`` (the lab's name) and ``WRONG``: for each answer cell (by grade_id, the name of the
function the student writes), a dict from a label saying what the mistake is to the complete source of an
answer cell that makes it. The grading round trip (``tests/test_grading.py``) submits them through real
nbgrader and checks that every one loses that exercise's points.
"""

import importlib
import pkgutil


def bank(lab: str) -> dict[str, dict[str, str]]:
    """The wrong answers for ``lab`` (an empty bank if none is written yet)."""
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if getattr(module, "LAB", None) == lab:
            return module.WRONG
    return {}
