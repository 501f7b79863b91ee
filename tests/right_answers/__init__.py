"""Banks of correct answers written differently, one module per lab: the mirror of ``tests/wrong_answers``.

Each module sets ``LAB`` (the lab's name) and ``RIGHT``: for each answer cell (by grade_id, the name of the
function the student writes), a dict from a label saying how the answer differs from the solution (another
stable formula, scipy where the text allows it, another valid order of validation, other error messages that
still name the parameter, ...) to the complete source of an answer cell. The grading round trip
(``tests/test_grading.py``) submits them through real nbgrader and checks that every one earns full marks.
"""

import importlib
import pkgutil


def bank(lab: str) -> dict[str, dict[str, str]]:
    """The right answers for ``lab`` (an empty bank if none is written yet)."""
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if getattr(module, "LAB", None) == lab:
            return module.RIGHT
    return {}
