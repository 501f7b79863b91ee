"""Lab 8's named checks, beyond what tests/test_checks.py asserts for every lab (the solution, the banks, the unsolved
lab, every stated hint shown to some wrong answer): every hint of ``helpers.checks.elbo_vae``'s ``HINTS`` is used by a
check; every wrong answer already fails a visible check; one mistake costs one check, except for the few wrong answers
listed here, whose one mistake breaks two rules; and the decoders the checks pass to ``elbo`` need nothing but numpy
(while grading they travel to the student's kernel by cloudpickle)."""

from __future__ import annotations

import pickle
import subprocess
import sys

import cloudpickle
import numpy as np
import pytest
from course import check_cells, failures, nbgrader_meta, run_test_cell, stated_hints, visible_failures
from right_answers.elbo_vae import LAB, RIGHT
from wrong_answers.elbo_vae import WRONG

from helpers.checks import elbo_vae as check

#: Wrong answers that fail more than one check, and why that is one mistake breaking two stated rules.
SEVERAL_CHECKS = {
    # log(log_var) is nan at log_var = -800: not "log_var used as log σ² itself"
    ("kl_to_standard_normal", "log_var taken for sigma^2"),
    # exp(-log_var) overflows at log_var = -800: the reversed KL of a tiny σ is +inf
    ("kl_to_standard_normal", "the reversed KL(N(0, I) || q)"),
    # random output matches no value of any check
    ("reparameterize", "eps drawn inside the function (untestable)"),
    # x log1p(exp(-eta)) is the unstable arrangement too: inf at eta = -1000
    ("bernoulli_decoder_nll", "the (1 - x) term missing"),
    # log(-1000) is nan: logits outside [0, 1] break it everywhere
    ("bernoulli_decoder_nll", "logits taken for probabilities"),
    # the result keeps the sample axis: neither one number for S samples nor one per example
    ("elbo", "no mean over the samples"),
}


def wrong_answers() -> list:
    return [pytest.param(exercise, label, id=f"{exercise}: {label}") for exercise, answers in WRONG.items()
            for label in answers]


def test_banks_and_points():
    assert set(RIGHT) == set(WRONG) == set(check_cells(LAB)) == {"kl_to_standard_normal", "reparameterize",
                                                                 "bernoulli_decoder_nll", "elbo"}
    points = {exercise: nbgrader_meta(cell)["points"] for exercise, cell in check_cells(LAB).items()}
    assert points == {"kl_to_standard_normal": 3, "reparameterize": 3, "bernoulli_decoder_nll": 3, "elbo": 5}


def test_every_hint_is_used_by_a_check():
    """Each entry of HINTS is written (``HINTS["key"]``) in the checks module or a test cell, and stated as a hint
    there, so that test_checks.py shows each to some wrong answer."""
    module = open(check.__file__, encoding="utf-8").read()
    cells = "\n".join(cell.source for cell in check_cells(LAB).values())
    unused = [key for key in check.HINTS if f'HINTS["{key}"]' not in module + cells]
    assert not unused, unused
    assert set(check.HINTS.values()) <= stated_hints(LAB)


@pytest.mark.parametrize(("exercise", "label"), wrong_answers())
def test_wrong_answer_fails_a_visible_check(exercise, label):
    """No rule is hidden-only: the student's own run of the test cell already fails every wrong answer."""
    assert visible_failures(run_test_cell(LAB, exercise, WRONG[exercise][label])), "only hidden checks fail"


@pytest.mark.parametrize(("exercise", "label"), wrong_answers())
def test_one_mistake_costs_one_check(exercise, label):
    failed = failures(run_test_cell(LAB, exercise, WRONG[exercise][label]))
    if (exercise, label) in SEVERAL_CHECKS:
        assert len(failed) > 1, "now fails one check only: remove it from SEVERAL_CHECKS"
    else:
        assert len(failed) == 1, sorted(failed)


def test_decoders_of_the_checks_travel_by_value_and_need_only_numpy():
    """Unpickled in a fresh Python that cannot import ``helpers`` (as a student's kernel might not), each decoder
    still computes its logits."""
    decoders = [(check.coin_flip_decoder(4), np.zeros((5, 2, 3))), (check.identity_decoder(), np.ones((2, 1))),
                (check.linear_decoder(np.ones((3, 2)), np.zeros(3)), np.ones((5, 2, 2)))]
    for decoder, z in decoders:
        assert set(decoder.__code__.co_names) <= {"np", "zeros", "shape", "asarray", "float", "T"}
        payload = cloudpickle.dumps((decoder, z))
        script = ("import pickle, sys\nsys.modules['helpers'] = None  # importing helpers now fails\n"
                  "decoder, z = pickle.loads(sys.stdin.buffer.read())\n"
                  "sys.stdout.buffer.write(pickle.dumps(decoder(z)))")
        result = subprocess.run([sys.executable, "-c", script], input=payload, capture_output=True, check=True)
        np.testing.assert_array_equal(pickle.loads(result.stdout), decoder(z))
