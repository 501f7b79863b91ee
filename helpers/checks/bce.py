"""Visible checks of Lab 6 (06_bce). Each takes the student's function as ``f``.

Notation as in the lab: z is a logit, y a label in [0, 1] (hard or soft), p = sigma(z) = 1 / (1 + e^{-z}), the
loss of one element l = -[y log p + (1 - y) log(1 - p)] in nats, and N the number of elements 'mean' averages
over. The checks test properties (sigma(-z) = 1 - sigma(z), the loss is smallest at p = y, the gradient is the
slope of the mean loss) and the public values the lab states (sigma(z) ~ e^z for z << 0, the clamp at -100, the
worked example z = 2); the hidden checks in the notebook compare the same rules with scipy on other values.

Tolerances: every comparison has an absolute part (``ATOL``, 1e-12 for losses) where the expected value can be
tiny, except the two checks whose rule *is* relative precision of a tiny value (sigma(-40) and log1p(-p) at
p = 1e-20), which the lab states. Every hint names one mistake and is shown only when the returned value has that
mistake's signature (``tests/test_bce_checks.py`` runs both answer banks through these checks).
"""

from __future__ import annotations

import numpy as np

from helpers.feedback import call_quietly, expect_close, expect_raises, expect_true, fail

#: Relative and absolute tolerance of the lab's loss comparisons (stated in the exercises).
RTOL = 1e-10
ATOL = 1e-12

# --- hints: each names one mistake ---------------------------------------------------------------------------
SIGMA_OF_MINUS_Z_HINT = "sigma(z) grows with z: you computed 1 / (1 + exp(z)), which is sigma(-z)."
NAN_AT_EXTREMES_HINT = ("nan where the answer is 0 or 1: exp(1000) is inf and inf / inf is nan. Compute with "
                        "exp(-|z|), which lies in (0, 1], instead of silencing the warning.")
ROUNDS_TO_ZERO_HINT = ("sigma(z) came back as 0 for a very negative z: a difference such as 1 - sigma(|z|) or "
                       "1 + tanh(z / 2) cancels to 0 there. For z < 0 compute exp(-|z|) / (1 + exp(-|z|)), "
                       "which keeps every digit.")
INTEGER_RESULT_HINT = ("integer inputs gave an integer result: an array made with np.empty_like(z) keeps z's "
                       "integer dtype and truncates sigma(z) to 0 or 1. Convert with np.asarray(z, dtype=float).")
LOG2_HINT = "use the natural log (nats), np.log, not np.log2."
MINUS_SIGN_HINT = "BCE is the *negative* log-likelihood: the losses must be positive."
MISSING_TERM_HINT = "examples with label 0 cost nothing: did you forget the (1 - y) log(1 - p) term?"
HARD_LABELS_HINT = ("with a soft label, use the general formula; choosing one term by y == 1 treats every "
                    "soft label as 0.")
MEAN_IS_SUM_HINT = "'mean' returned the sum: divide by the number of elements."
MEAN_ALONG_AXIS_HINT = "'mean' averages over all elements and returns one number, not a mean along one axis."
NAN_ZERO_LOG_ZERO_HINT = "0 * log(0) is nan: clamp each log at -100 before multiplying it by y or 1 - y."
UNCLAMPED_INF_HINT = "a certain, wrong prediction returned inf: clamp each log term at -100 (PyTorch's convention)."
CLIP_HINT = ("clipping p caps the loss at -log(eps) (23.03 for eps = 1e-10, 15.9 for float32's eps): clamp "
             "the log at -100 instead.")
CLAMP_THE_LOG_HINT = "clamp the log itself, max(log p, -100), not only where p == 0: p = 1e-50 costs 100 too."
LOG1P_HINT = "np.log(1 - p) rounds 1 - 1e-20 to 1 and returns 0: use np.log1p(-p)."
NAN_LABEL_HINT = ("nan passed the range check: every comparison with nan is False, so (y < 0) | (y > 1) misses it. "
                  "Test np.all((y >= 0) & (y <= 1)), which is False for nan.")
SHAPE_HINT = ("arrays of shapes (3,) and (3, 1) broadcast to (3, 3) without an error: compare the two shapes and "
              "raise ValueError.")
ZY_SIGN_HINT = "check the sign of the z * y term: for z > 0 the label y = 1 must cost less than y = 0."
THROUGH_PROBABILITY_HINT = ("computing sigma(z) first and then clamping or clipping loses the exact value "
                            "(about 1000): work from z with max(z, 0) - z y + log1p(exp(-|z|)).")
OVERFLOW_HINT = "exp(-z) overflows to inf at z = -1000: exponentiate -|z| only."
GRAD_SIGN_HINT = "the gradient is sigma(z) - y, not y - sigma(z)."
SLOPE_IN_P_HINT = "that is the slope with respect to p; the network trains on z: dl/dz = sigma(z) - y."
MSE_GRADIENT_HINT = "that is the gradient of MSE on a sigmoid; BCE's is sigma(z) - y."
GRAD_OF_SUM_HINT = "that is the gradient of the sum: divide by the number of elements N."
N_IS_ROWS_HINT = "N is the number of all elements, z.size, not the number of rows, len(z)."
N_IS_COLUMNS_HINT = "N is the number of all elements, z.size, not the number of columns, z.shape[-1]."
VANISHING_GRADIENT_HINT = ("the gradient vanished where the model is confidently wrong: that is MSE's flaw; "
                           "BCE's gradient sigma(z) - y stays near -1 or 1 there.")


def _as_array(call: str, got, shape: tuple) -> np.ndarray:
    """``got`` as a float array, after checking it has ``shape``."""
    expect_true(np.shape(got) == shape, call, got, f"an array of shape {shape}")
    return np.asarray(got, dtype=float)


def _flags(got) -> np.ndarray:
    return np.asarray(got, dtype=float)


def _must_raise(f, *args, call: str, names: list[str], returned_hint: str, **kwargs) -> None:
    """``f(*args, **kwargs)`` raises ValueError naming ``names``; if it returns a value instead, the hint for the
    mistake that lets this input through (``returned_hint``) is shown."""
    try:
        result = f(*args, **kwargs)
    except Exception:  # noqa: BLE001 - expect_raises below judges the exception (NotImplementedError included)
        expect_raises(f, *args, call=call, names=names, **kwargs)
        return
    fail(call, result, f"a ValueError whose message names {', '.join(map(repr, names))}", returned_hint)


def _check_reductions(f, name: str, y, second, second_name: str) -> None:
    """'none' keeps the shape (2, 3), 'sum' adds the 6 losses, 'mean' (the default) is the sum / 6; any other
    reduction raises ValueError naming reduction."""
    call = f"{name}(y, {second_name}, reduction='none'), shape (2, 3)"
    none = _as_array(call, f(y, second, reduction="none"), (2, 3))
    expect_close(f"{name}(y, {second_name}, reduction='sum')", f(y, second, reduction="sum"), np.sum(none),
                 rtol=1e-12, atol=ATOL)
    expect_close(f"{name}(y, {second_name})  (the default reduction, 'mean'), shape (2, 3)", f(y, second),
                 np.sum(none) / 6, rtol=1e-12, atol=ATOL,
                 hints=[(lambda g: np.shape(g) in ((2,), (3,)), MEAN_ALONG_AXIS_HINT),
                        (np.sum(none), MEAN_IS_SUM_HINT)])
    expect_close(f"{name}(y, {second_name}, reduction='mean')", f(y, second, reduction="mean"), np.sum(none) / 6,
                 rtol=1e-12, atol=ATOL)
    expect_raises(f, y, second, reduction="average", call=f"{name}(y, {second_name}, reduction='average')",
                  names=["reduction"])


def _soft_minimum(call: str, at, below, above, hard_value, missing_value) -> None:
    """The loss of soft labels is smallest where the prediction equals the label."""
    at, below, above = _flags(at), _flags(below), _flags(above)
    expect_true(bool(np.all(at < below) and np.all(at < above)), call, at,
                "the smallest loss where the prediction equals the soft label",
                hints=[(lambda g: np.allclose(g, hard_value, rtol=1e-9), HARD_LABELS_HINT),
                       (lambda g: np.allclose(g, missing_value, rtol=1e-9), MISSING_TERM_HINT)])


# --- Exercise A: sigmoid(z) --------------------------------------------------------------------------------------


def sigmoid_is_a_probability(f) -> None:
    """sigma(0) = 1/2; on z in [-20, 20]: 0 < sigma(z) < 1, increasing, sigma(-z) + sigma(z) = 1; and sigma of
    the log-odds log(p / (1 - p)) is p."""
    expect_close("sigmoid(0.0)", f(0.0), 0.5)
    z = np.linspace(-20.0, 20.0, 81)
    call = "sigmoid(np.linspace(-20, 20, 81))"
    got = _as_array(call, f(z), (81,))
    expect_true(bool(np.all((got > 0) & (got < 1))), call, got, "values strictly between 0 and 1")
    expect_true(bool(np.all(np.diff(got) > 0)), call, got, "values increasing with z",
                hints=[(lambda g: np.all(np.diff(g) < 0), SIGMA_OF_MINUS_Z_HINT)])
    expect_close("sigmoid(-z) + sigmoid(z), z = np.linspace(-20, 20, 81)", _flags(f(-z)) + got, np.ones(81),
                 rtol=1e-12, atol=1e-15)
    p = np.array([0.01, 0.2, 0.5, 0.9, 0.999])
    expect_close("sigmoid(np.log(p / (1 - p))), p = [0.01, 0.2, 0.5, 0.9, 0.999]", f(np.log(p / (1 - p))), p,
                 rtol=1e-12, atol=1e-15, hints=[(1 - p, SIGMA_OF_MINUS_Z_HINT)])


def sigmoid_quiet_at_extremes(f) -> None:
    """sigma(-inf) = 0, sigma(-1000) = 0 (below the smallest float), sigma(0) = 1/2, sigma(1000) = sigma(inf) = 1,
    with no overflow warning, for a list."""
    call = "sigmoid([-np.inf, -1000.0, 0.0, 1000.0, np.inf])  (a list)"
    got = call_quietly(call, f, [-np.inf, -1000.0, 0.0, 1000.0, np.inf])
    expect_close(call, got, [0.0, 0.0, 0.5, 1.0, 1.0], rtol=1e-12, atol=1e-300,
                 hints=[(lambda g: np.any(np.isnan(_flags(g))), NAN_AT_EXTREMES_HINT)])


def sigmoid_tiny_values(f) -> None:
    """For z << 0, sigma(z) = e^z / (1 + e^z) = e^z (1 - e^z + ...): below z = -28 it equals e^z to a relative
    1e-12, so sigma(-40) ~ e^-40 ~ 4.25e-18. Relative precision is the rule here, so the tolerance is relative."""
    z = np.array([-30.0, -40.0, -100.0, -300.0])
    expect_close("sigmoid([-30.0, -40.0, -100.0, -300.0])  (close to exp(z))", f(z), np.exp(z), rtol=1e-12,
                 atol=1e-300, hints=[(lambda g: np.any(_flags(g) == 0.0), ROUNDS_TO_ZERO_HINT)])


def sigmoid_inputs(f) -> None:
    """Numbers, NumPy integers and float32 numbers, lists of integers, float32 arrays (float32 or float64 out)
    and arrays of any shape, whose shape the result keeps."""
    expect_close("sigmoid(np.int64(2))  (a NumPy integer)", f(np.int64(2)), f(2.0), rtol=1e-12, atol=1e-15)
    expect_close("sigmoid(np.float32(1.5))  (a NumPy float32)", f(np.float32(1.5)), f(1.5), rtol=1e-6, atol=1e-7)
    expected = [[f(-2.0), f(-1.0)], [f(0.0), f(3.0)]]
    expect_close("sigmoid([[-2, -1], [0, 3]])  (a list of integers)", f([[-2, -1], [0, 3]]), expected,
                 rtol=1e-12, atol=1e-15,
                 hints=[(lambda g: np.asarray(g).dtype.kind in "biu", INTEGER_RESULT_HINT)])
    cube = np.linspace(-3.0, 3.0, 24).reshape(2, 3, 4)
    got = f(cube)
    expect_true(np.shape(got) == (2, 3, 4), "sigmoid(z), z of shape (2, 3, 4)", got, "an array of shape (2, 3, 4)")
    z32 = np.array([-3.0, -0.5, 0.0, 2.0], dtype=np.float32)
    expect_close("sigmoid(np.array([-3.0, -0.5, 0.0, 2.0], dtype=np.float32))", f(z32),
                 f([-3.0, -0.5, 0.0, 2.0]), rtol=1e-6, atol=1e-7)


# --- Exercise B: binary_cross_entropy(y_true, y_prob, reduction='mean') -----------------------------------------

#: The worked example of the lab: z = 2, p = sigma(2) = 0.880797, with its losses for y = 0 and y = 1.
WORKED_P = 1 / (1 + np.exp(-2.0))
WORKED_LOSS_Y0 = 2.126928
WORKED_LOSS_Y1 = 0.126928


def bce_is_bernoulli_nll(f) -> None:
    """-log p for y = 1 and -log(1 - p) for y = 0, in nats: log 2 at p = 1/2, positive, the same when both classes
    swap (y -> 1 - y, p -> 1 - p); the worked example; numbers, lists, booleans and NumPy integers."""
    expect_close("binary_cross_entropy([1.0], [0.5])", f([1.0], [0.5]), np.log(2.0), rtol=1e-12, atol=ATOL,
                 hints=[(1.0, LOG2_HINT), (-np.log(2.0), MINUS_SIGN_HINT)])
    y = np.array([1.0, 0.0, 1.0, 0.0])
    p = np.array([0.9, 0.2, 0.4, 0.7])
    call = "binary_cross_entropy([1, 0, 1, 0], [0.9, 0.2, 0.4, 0.7], reduction='none')"
    per_example = _as_array(call, f(y, p, reduction="none"), (4,))
    expect_true(bool(np.all(per_example > 0)), call, per_example, "a positive loss for every example",
                hints=[(lambda g: np.all(g < 0), MINUS_SIGN_HINT),
                       (lambda g: np.all(g[[1, 3]] == 0), MISSING_TERM_HINT)])
    expect_true(bool(per_example[3] > per_example[1]), call, per_example,
                "for label 0, a larger loss at p = 0.7 than at p = 0.2")
    expect_close("binary_cross_entropy(1 - y, 1 - p, reduction='none')  (both classes swapped)",
                 f(1 - y, 1 - p, reduction="none"), per_example, rtol=1e-12, atol=ATOL)
    expect_close("binary_cross_entropy(0.0, 0.880797)  (the worked example: z = 2, y = 0)", f(0.0, WORKED_P),
                 WORKED_LOSS_Y0, rtol=1e-6)
    expect_close("binary_cross_entropy(1.0, 0.880797)  (the worked example with y = 1)", f(1.0, WORKED_P),
                 WORKED_LOSS_Y1, rtol=1e-5)
    expect_close("binary_cross_entropy(True, 0.8)  (a boolean label)", f(True, 0.8), f(1.0, 0.8), rtol=1e-12,
                 atol=ATOL)
    expect_close("binary_cross_entropy(np.int64(0), 0.8)  (a NumPy integer)", f(np.int64(0), 0.8), f(0.0, 0.8),
                 rtol=1e-12, atol=ATOL)
    expect_close("binary_cross_entropy(1.0, np.float32(0.8))  (a NumPy float32)", f(1.0, np.float32(0.8)),
                 f(1.0, 0.8), rtol=1e-6, atol=1e-7)


def bce_soft_labels(f) -> None:
    """For a soft label y the loss -[y log p + (1 - y) log(1 - p)] is smallest at p = y (it is then the entropy
    of Bernoulli(y)): compared with p = y - 0.05 and p = y + 0.05."""
    y = np.array([0.1, 0.3, 0.5, 0.8])
    call = "binary_cross_entropy(y, p, reduction='none'), soft y = [0.1, 0.3, 0.5, 0.8], at p = y and p = y ± 0.05"
    _soft_minimum(call, f(y, y, reduction="none"), f(y, y - 0.05, reduction="none"),
                  f(y, y + 0.05, reduction="none"), hard_value=-np.log1p(-y), missing_value=-y * np.log(y))


def bce_reductions(f) -> None:
    """'none', 'sum' and 'mean' over all elements of a (2, 3) batch; another reduction raises."""
    y = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
    p = np.array([[0.9, 0.2, 0.4], [0.7, 0.05, 0.6]])
    _check_reductions(f, "binary_cross_entropy", y, p, "p")


def bce_clamps_at_minus_100(f) -> None:
    """Each log clamped at -100: a certain, wrong prediction costs 100 (p = 0 or p = 1e-50 with y = 1, p = 1 with
    y = 0), a certain, right one 0, in float32 too, without warnings; log1p(-p) keeps the loss of y = 0 at
    p = 1e-20, -log(1 - 1e-20) ~ 1e-20, to relative precision (the rule, so the tolerance is relative)."""
    call = "binary_cross_entropy([1, 0, 1, 0, 1], [0, 1, 1, 0, 1e-50], reduction='none')"
    got = call_quietly(call, f, [1.0, 0.0, 1.0, 0.0, 1.0], [0.0, 1.0, 1.0, 0.0, 1e-50], reduction="none")
    expect_close(call + "  (wrong, wrong, right, right, wrong)", got, [100.0, 100.0, 0.0, 0.0, 100.0],
                 rtol=1e-12, atol=ATOL,
                 hints=[(lambda g: np.any(np.isnan(_flags(g))), NAN_ZERO_LOG_ZERO_HINT),
                        (lambda g: np.any(np.isinf(_flags(g))), UNCLAMPED_INF_HINT),
                        (lambda g: 1.0 < _flags(g)[0] < 99.0, CLIP_HINT),
                        (lambda g: np.isclose(_flags(g)[4], -np.log(1e-50)), CLAMP_THE_LOG_HINT)])
    y32 = np.array([1.0, 0.0], dtype=np.float32)
    call = "binary_cross_entropy(y, p, reduction='none'), y = p = [1, 0] in float32"
    expect_close(call, call_quietly(call, f, y32, y32.copy(), reduction="none"), [0.0, 0.0], atol=1e-6)
    expect_close("binary_cross_entropy([0.0], [1e-20], reduction='none')  (about 1e-20)",
                 f([0.0], [1e-20], reduction="none"), [1e-20], rtol=1e-6, hints=[([0.0], LOG1P_HINT)])


def bce_rejects_invalid(f) -> None:
    """Labels or probabilities outside [0, 1] or nan raise ValueError naming y_true or y_prob; different shapes
    raise ValueError naming both."""
    expect_raises(f, [1.0, 2.0], [0.5, 0.5], call="binary_cross_entropy([1, 2], [0.5, 0.5])", names=["y_true"])
    expect_raises(f, [1.0, -0.5], [0.5, 0.5], call="binary_cross_entropy([1, -0.5], [0.5, 0.5])", names=["y_true"])
    _must_raise(f, [1.0, np.nan], [0.5, 0.5], call="binary_cross_entropy([1, nan], [0.5, 0.5])", names=["y_true"],
                returned_hint=NAN_LABEL_HINT)
    expect_raises(f, [1.0, 0.0], [0.5, 1.5], call="binary_cross_entropy([1, 0], [0.5, 1.5])", names=["y_prob"])
    _must_raise(f, [1.0, 0.0], [np.nan, 0.5], call="binary_cross_entropy([1, 0], [nan, 0.5])", names=["y_prob"],
                returned_hint=NAN_LABEL_HINT)
    _must_raise(f, np.ones(3), np.full((3, 1), 0.5), call="binary_cross_entropy(np.ones(3), np.full((3, 1), 0.5))",
                names=["y_true", "y_prob"], returned_hint=SHAPE_HINT)


# --- Exercise C: binary_cross_entropy_with_logits(y_true, logits, reduction='mean') -----------------------------


def logits_bce_is_bernoulli_nll(f) -> None:
    """The Bernoulli NLL of p = sigma(z): log 2 at z = 0; the worked example (z = 2: 2.126928 for y = 0,
    0.126928 for y = 1, which differ by z); positive, and the same when both classes swap (y -> 1 - y, z -> -z);
    numbers, lists, booleans, NumPy integers and float32."""
    expect_close("binary_cross_entropy_with_logits([1.0], [0.0])", f([1.0], [0.0]), np.log(2.0), rtol=1e-12,
                 atol=ATOL)
    expect_close("binary_cross_entropy_with_logits(0.0, 2.0)  (the worked example)", f(0.0, 2.0), WORKED_LOSS_Y0,
                 rtol=1e-6, hints=[(0.0, MISSING_TERM_HINT)])
    expect_close("binary_cross_entropy_with_logits(1.0, 2.0)  (the worked example with y = 1)", f(1.0, 2.0),
                 WORKED_LOSS_Y1, rtol=1e-5, hints=[(WORKED_LOSS_Y0 + 2.0, ZY_SIGN_HINT)])
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0])
    z = np.array([2.0, -1.0, -0.5, 3.0, 0.0])
    call = "binary_cross_entropy_with_logits([1, 0, 1, 0, 1], [2, -1, -0.5, 3, 0], reduction='none')"
    per_example = _as_array(call, f(y, z, reduction="none"), (5,))
    expect_true(bool(np.all(per_example > 0)), call, per_example, "a positive loss for every example")
    expect_close("binary_cross_entropy_with_logits(1 - y, -z, reduction='none')  (both classes swapped)",
                 f(1 - y, -z, reduction="none"), per_example, rtol=1e-12, atol=ATOL)
    expect_close("binary_cross_entropy_with_logits(np.array([True, False]), [1.5, -0.5], reduction='none')",
                 f(np.array([True, False]), [1.5, -0.5], reduction="none"),
                 f([1.0, 0.0], [1.5, -0.5], reduction="none"), rtol=1e-12, atol=ATOL)
    expect_close("binary_cross_entropy_with_logits(np.int64(1), 0.5)  (a NumPy integer)", f(np.int64(1), 0.5),
                 f(1.0, 0.5), rtol=1e-12, atol=ATOL)
    expect_close("binary_cross_entropy_with_logits(0.0, np.float32(1.5))  (a NumPy float32)",
                 f(0.0, np.float32(1.5)), f(0.0, 1.5), rtol=1e-6, atol=1e-7)
    y32, z32 = np.array([1.0, 0.0, 1.0], dtype=np.float32), np.array([-3.5, 0.25, 7.0], dtype=np.float32)
    expect_close("binary_cross_entropy_with_logits(float32 y, float32 z, reduction='none')",
                 f(y32, z32, reduction="none"), f([1.0, 0.0, 1.0], [-3.5, 0.25, 7.0], reduction="none"),
                 rtol=1e-5, atol=1e-6)


def _capped_like_a_probability(got) -> bool:
    """The two certain, wrong predictions cost the same finite amount below 1000: a clamp (100) or a clip
    (16.1 for 1e-7) applied to sigma(z)."""
    got = _flags(got)
    return bool(np.all(np.isfinite(got)) and 0 < got[0] < 999 and np.isclose(got[0], got[1]))


def logits_bce_exact_at_extremes(f) -> None:
    """Far from 0 the loss is y |z| for z < 0 and (1 - y) z for z > 0: z = -1000 with y = 1 costs 1000, not a
    clamped 100; with no warnings."""
    call = ("binary_cross_entropy_with_logits([1, 0, 1, 0, 0.25, 0.25], [-1000, 1000, 1000, -1000, 1000, -1000], "
            "reduction='none')")
    got = call_quietly(call, f, [1.0, 0.0, 1.0, 0.0, 0.25, 0.25], [-1000.0, 1000.0, 1000.0, -1000.0, 1000.0, -1000.0],
                       reduction="none")
    expect_close(call, got, [1000.0, 1000.0, 0.0, 0.0, 750.0, 250.0], rtol=1e-12, atol=ATOL,
                 hints=[(_capped_like_a_probability, THROUGH_PROBABILITY_HINT),
                        (lambda g: not np.all(np.isfinite(_flags(g))), OVERFLOW_HINT)])


def logits_bce_soft_labels(f) -> None:
    """For a soft label y the loss is smallest where sigma(z) = y, at z = log(y / (1 - y)): compared with z - 0.1
    and z + 0.1."""
    y = np.array([0.1, 0.3, 0.5, 0.8])
    z = np.log(y / (1 - y))
    call = ("binary_cross_entropy_with_logits(y, z, reduction='none'), soft y = [0.1, 0.3, 0.5, 0.8], at "
            "z = log(y / (1 - y)) and z ± 0.1")
    _soft_minimum(call, f(y, z, reduction="none"), f(y, z - 0.1, reduction="none"), f(y, z + 0.1, reduction="none"),
                  hard_value=np.logaddexp(0.0, z), missing_value=y * np.logaddexp(0.0, -z))


def logits_bce_reductions(f) -> None:
    """'none', 'sum' and 'mean' over all elements of a (2, 3) batch; another reduction raises."""
    y = np.array([[1.0, 0.0, 1.0], [0.0, 0.5, 1.0]])
    z = np.array([[2.0, -1.0, -0.5], [3.0, 0.0, 1.5]])
    _check_reductions(f, "binary_cross_entropy_with_logits", y, z, "z")


def logits_bce_rejects_invalid(f) -> None:
    """Labels outside [0, 1] or nan raise ValueError naming y_true; different shapes raise ValueError naming
    y_true and logits."""
    name = "binary_cross_entropy_with_logits"
    expect_raises(f, [1.0, 1.5], [0.5, 0.5], call=f"{name}([1, 1.5], [0.5, 0.5])", names=["y_true"])
    expect_raises(f, [-1.0, 0.0], [0.5, 0.5], call=f"{name}([-1, 0], [0.5, 0.5])", names=["y_true"])
    _must_raise(f, [1.0, np.nan], [0.5, 0.5], call=f"{name}([1, nan], [0.5, 0.5])", names=["y_true"],
                returned_hint=NAN_LABEL_HINT)
    _must_raise(f, np.ones(3), np.zeros((3, 1)), call=f"{name}(np.ones(3), np.zeros((3, 1)))",
                names=["y_true", "logits"], returned_hint=SHAPE_HINT)


# --- Exercise D: bce_grad_logits(y_true, logits) ----------------------------------------------------------------


def _mean_bce_by_definition(y, z):
    """-mean[y log p + (1 - y) log(1 - p)], p = 1 / (1 + exp(-z)): the definition, fine for moderate z."""
    p = 1 / (1 + np.exp(-z))
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def _central_differences(y, z, step=1e-6):
    """The slope of the mean BCE in every logit, by central differences."""
    slopes = np.zeros(z.shape)
    for index in np.ndindex(z.shape):
        bump = np.zeros(z.shape)
        bump[index] = step
        slopes[index] = (_mean_bce_by_definition(y, z + bump) - _mean_bce_by_definition(y, z - bump)) / (2 * step)
    return slopes


def grad_is_slope_of_mean_loss(f) -> None:
    """dL/dz_i for the mean loss L: -1/2 at y = 1, z = 0; on five elements (one soft label) it agrees with
    central differences of the mean BCE."""
    expect_close("bce_grad_logits([1.0], [0.0])", f([1.0], [0.0]), [-0.5], rtol=1e-12, atol=1e-15,
                 hints=[([0.5], GRAD_SIGN_HINT), ([-2.0], SLOPE_IN_P_HINT), ([-0.25], MSE_GRADIENT_HINT)])
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.3])
    z = np.array([2.0, -1.0, -0.5, 3.0, 0.2])
    call = "bce_grad_logits([1, 0, 1, 0, 0.3], [2, -1, -0.5, 3, 0.2])"
    grad = _as_array(call, f(y, z), (5,))
    numeric = _central_differences(y, z)
    expect_close(call + " against central differences of the mean BCE", grad, numeric, rtol=1e-5, atol=1e-9,
                 hints=[(numeric * 5, GRAD_OF_SUM_HINT), (-numeric, GRAD_SIGN_HINT)])


def grad_mean_over_all_elements(f) -> None:
    """For a (2, 3) batch, N = 6: the gradient has shape (2, 3) and agrees with central differences."""
    y = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.2]])
    z = np.array([[0.5, -1.0, 2.0], [1.5, -0.3, 0.0]])
    call = "bce_grad_logits(y, z), shape (2, 3)"
    grad = _as_array(call, f(y, z), (2, 3))
    numeric = _central_differences(y, z)
    expect_close(call + " against central differences of the mean BCE", grad, numeric, rtol=1e-5, atol=1e-9,
                 hints=[(numeric * 6, GRAD_OF_SUM_HINT), (numeric * 3, N_IS_ROWS_HINT),
                        (numeric * 2, N_IS_COLUMNS_HINT)])


def grad_at_extremes(f) -> None:
    """At z = +-1000 the gradient is exactly (sigma(z) - y) / N: -1/4 or 1/4 when confidently wrong, 0 when
    confidently right, with no warnings."""
    call = "bce_grad_logits([1, 0, 1, 0], [-1000, 1000, 1000, -1000])"
    got = call_quietly(call, f, [1.0, 0.0, 1.0, 0.0], [-1000.0, 1000.0, 1000.0, -1000.0])
    expect_close(call, got, [-0.25, 0.25, 0.0, 0.0], rtol=1e-12, atol=1e-15,
                 hints=[(lambda g: np.allclose(_flags(g), 0.0), VANISHING_GRADIENT_HINT)])


def grad_inputs(f) -> None:
    """Numbers (a number's gradient has shape ()), NumPy integers and float32 numbers, lists of integers and
    float32 arrays."""
    got = f(1.0, -2.0)
    expect_true(np.shape(got) == (), "bce_grad_logits(1.0, -2.0)", got, "a single number, shape ()")
    expect_close("bce_grad_logits(1.0, -2.0)", got, _flags(f([1.0], [-2.0]))[0], rtol=1e-12, atol=1e-15)
    expect_close("bce_grad_logits(np.int64(1), np.int64(0))  (NumPy integers)", f(np.int64(1), np.int64(0)),
                 f(1.0, 0.0), rtol=1e-12, atol=1e-15)
    expect_close("bce_grad_logits(np.float32(0.0), np.float32(1.5))  (NumPy float32 numbers)",
                 f(np.float32(0.0), np.float32(1.5)), f(0.0, 1.5), rtol=1e-6, atol=1e-7)
    expect_close("bce_grad_logits([1, 0], [0, 2])  (lists of integers)", f([1, 0], [0, 2]), f([1.0, 0.0], [0.0, 2.0]),
                 rtol=1e-12, atol=1e-15)
    y32, z32 = np.array([1.0, 0.0], dtype=np.float32), np.array([0.5, 2.0], dtype=np.float32)
    expect_close("bce_grad_logits(float32 y, float32 z)", f(y32, z32), f([1.0, 0.0], [0.5, 2.0]), rtol=1e-6,
                 atol=1e-7)


def grad_rejects_invalid(f) -> None:
    """Labels outside [0, 1] or nan raise ValueError naming y_true; different shapes raise ValueError naming
    y_true and logits."""
    expect_raises(f, [1.0, 2.0], [0.0, 0.0], call="bce_grad_logits([1, 2], [0, 0])", names=["y_true"])
    _must_raise(f, [0.5, np.nan], [0.0, 0.0], call="bce_grad_logits([0.5, nan], [0, 0])", names=["y_true"],
                returned_hint=NAN_LABEL_HINT)
    _must_raise(f, np.ones(3), np.zeros((3, 1)), call="bce_grad_logits(np.ones(3), np.zeros((3, 1)))",
                names=["y_true", "logits"], returned_hint=SHAPE_HINT)
