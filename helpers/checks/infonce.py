"""Visible checks of Lab 9 (09_infonce). Each takes the student's function as ``f``.

The lab's three exercises, in its notation (s a cosine similarity, τ the temperature):

    cosine_similarity(a, b):  cos(a, b) = a·b / (‖a‖ ‖b‖) along the last axis; the leading axes broadcast
    info_nce(query, positive, negatives, temperature):
        logits z_{n,0} = cos(query_n, positive_n) / τ and z_{n,k} = cos(query_n, negatives_{n,k}) / τ;
        L = (1/N) Σ_n [logsumexp_i z_{n,i} - z_{n,0}]
    info_nce_in_batch(z1, z2, temperature):
        logits S_ij = cos(z1_i, z2_j) / τ, the target of row i is column i; L = (1/N) Σ_i [logsumexp_j S_ij - S_ii]

The checks use public values the lab states (cos = 1/√2 at 45°, the worked examples 0.6041 and 0.8133, log(K + 1)
when every candidate is as similar as the positive, log(1 + (N - 1) e^(-1/τ)) for matched orthonormal pairs,
2/τ + log(1 + e^(-2/τ)) for pairs pointing in opposite directions) and properties that compare the function with
itself: lengths do not matter, a batch is the mean of its queries, lists give what arrays give, and dividing by a
temperature τ is the same as dividing every cosine by τ (``shrink_cosines`` builds unit vectors whose cosines are
those of the given ones divided by a factor). Comparing the function with itself keeps the checks independent, so
that one mistake costs one check. Every hint is a module constant ``*_HINT``; the hidden checks of the lab's test
cells use the same ones.
"""

from __future__ import annotations

import numpy as np

from helpers.feedback import call_quietly, expect_close, expect_raises, expect_true, fail, result_or_hint

# --- hints of every exercise ---------------------------------------------------------------------------------------

LISTS_HINT = ("convert the inputs with np.asarray(..., dtype=float) first: a Python list has no elementwise "
              "arithmetic and no .shape.")
SIMILARITY_DOT_HINT = ("scaling a vector changed the loss: use cosine similarities, the dot products divided by "
                       "the lengths of both vectors (or normalise every vector to length 1 first).")
TAU_MULTIPLIED_HINT = "divide the similarities by the temperature; you multiplied them by it."
OVERFLOW_HINT = ("np.exp of a logit like 1000 overflows to inf, and inf / inf is nan: subtract each row's largest "
                 "logit before exponentiating (log-sum-exp).")
LOG_OF_SOFTMAX_HINT = ("the positive's probability underflowed to 0 and its log is -inf: compute the loss as "
                       "logsumexp(logits) - (the positive's logit), never as the log of a softmax.")
EPS_HINT = ("adding eps inside the log caps the loss near -log(eps) (23.03 for 1e-10) where the true loss is 2000: "
            "use log-sum-exp instead.")
SUM_HINT = "the loss is the mean over the N queries (rows), not their sum."
ONE_NUMBER_HINT = "return one number: the mean over the N queries (rows), not one loss per query."

# --- Exercise A: cosine_similarity(a, b) ---------------------------------------------------------------------------

COS_DOT_HINT = "that is the dot product a·b: divide it by the lengths ‖a‖ ‖b‖ (or normalise a and b first)."
COS_SQUARED_HINT = ("divide by the lengths ‖a‖ ‖b‖, not by their squares a·a and b·b: take the square root "
                    "(np.linalg.norm does).")
COS_DISTANCE_HINT = "that is the cosine distance 1 - cos(a, b) (scipy's 'cosine'); return the similarity itself."
COS_WHOLE_NORM_HINT = ("np.linalg.norm(a) without axis is the length of the whole array: take each vector's "
                       "length with axis=-1.")
COS_KEEPDIMS_HINT = ("divide each vector by its own length: keep the reduced axis (keepdims=True) so that the "
                     "lengths broadcast against the vectors, one length per row.")
COS_LAST_AXIS_HINT = ("multiply elementwise and sum along the last axis, np.sum(a * b, axis=-1): a @ b and np.dot "
                      "pair the wrong axes of a batch.")
COS_BROADCAST_HINT = ("the leading axes broadcast as in numpy: (3, 1, 2) against (1, 4, 2) is allowed and gives "
                      "the (3, 4) table. Compare only the lengths of the last axes, and take each vector's length "
                      "with axis=-1 and keepdims=True.")
COS_TRAILING_HINT = ("the result kept the last axis with length 1 (keepdims=True in the sum): it has the leading "
                     "shape only, a number for two vectors.")
COS_ZERO_NAN_HINT = ("0 / 0 is nan: test for a zero vector (length 0) before dividing, and raise ValueError "
                     "naming a or b.")
COS_ZERO_EPS_HINT = ("a zero vector has no direction: raise ValueError (PyTorch clamps the length with eps and "
                     "returns 0; this lab refuses instead).")
COS_LENGTH_HINT = ("a and b must hold vectors of the same length D: compare their last axes before numpy "
                   "broadcasts a length-1 axis, and raise ValueError naming a or b.")

# --- Exercise B: info_nce(query, positive, negatives, temperature) -------------------------------------------------

NCE_DENOMINATOR_HINT = ("a loss below 0: the positive's own term belongs in the denominator too, a sum over all "
                        "1 + K candidates.")
NCE_POSITIVE_FIRST_HINT = ("that is -log of the first negative's probability: the loss is -log of the positive's "
                           "probability, logsumexp minus the positive's logit.")
NCE_AXIS_HINT = ("a loss of 0: normalise over each query's 1 + K candidates (the last axis of the (N, 1 + K) "
                 "logits), not over the batch.")
NCE_BATCH_HINT = ("a batch must give the mean of its queries' own losses: compare query n only with positive n "
                  "and negatives[n] (query[:, None, :] against negatives of shape (N, K, D)).")

# --- Exercise C: info_nce_in_batch(z1, z2, temperature) ------------------------------------------------------------

BATCH_COLUMNS_HINT = ("you normalised the columns: that is the other direction, info_nce_in_batch(z2, z1). The "
                      "rows are the queries z1[i]: take logsumexp along axis=1.")
BATCH_SYMMETRIC_HINT = ("that is CLIP's symmetric loss, the average of both directions; this function computes "
                        "one direction, rows z1 against columns z2.")
BATCH_DIAGONAL_HINT = "the target of row i is column i (labels np.arange(N)), not column 0."
BATCH_DENOMINATOR_HINT = ("the diagonal S_ii is the positive and belongs in the denominator too: logsumexp over "
                          "the whole row.")

WORKED_LOSS = float(np.log(np.exp(0.5) + 1.0 + np.exp(-1.0)) - 0.5)
"""The worked example of Part B: cosines (0.5, 0, -1) at τ = 1 give 0.6041 (stated in the lab)."""

IN_BATCH_WORKED_LOSS = float(np.log1p(np.e) - 0.5)
"""The worked example of Part C: (log(1 + e^-1) + log(1 + e)) / 2 = log(1 + e) - 1/2 = 0.8133 (stated in the lab)."""


def as_loss(got):
    """The value a check compares: a number, or the mean of a 1-D result (one loss per query), whose shape only the
    check of the inputs and batches judges, so that returning the losses unreduced costs one check."""
    if np.ndim(got) == 1:
        return float(np.mean(np.asarray(got, dtype=float)))
    return got


def as_number(got):
    """A result of one element as a number (its shape is judged by the check of shapes only)."""
    if np.size(got) == 1 and np.ndim(got) > 0:
        return np.ravel(got)[0]
    return got


def expect_refused(f, *args, call: str, names=(), any_of=(), hints=()) -> None:
    """``expect_raises``, except that a call that returns fails with the hint of ``hints`` (pairs of a predicate on
    the returned value and a hint) that matches, when one does."""
    try:
        returned = f(*args)
    except NotImplementedError:
        raise
    except Exception:  # noqa: BLE001 - expect_raises judges the exception below
        expect_raises(f, *args, call=call, names=names, any_of=any_of)
        return
    wanted = "a ValueError whose message names " + (", ".join(map(repr, names)) if names else
                                                   "one of " + ", ".join(map(repr, any_of)))
    for matches, hint in hints:
        try:
            matched = bool(matches(returned))
        except Exception:  # noqa: BLE001 - a predicate that cannot judge this value does not match
            matched = False
        if matched:
            fail(call, returned, wanted, hint)
    fail(call, returned, wanted, "invalid input must raise, not return a value.")


def unit(vectors) -> np.ndarray:
    """The vectors scaled to length 1 along the last axis."""
    vectors = np.asarray(vectors, dtype=float)
    return vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)


def shrink_cosines(left, right, factor: float):
    """Unit vectors whose cosines are those of ``left`` and ``right`` divided by ``factor`` >= 1: each vector,
    scaled to length 1, becomes [v / √factor, √(1 - 1/factor) e] with its own extra unit direction e (``left`` of
    shape (..., M, D) and ``right`` of shape (..., P, D) get the M + P extra directions), so that every cosine
    between a left and a right vector is the old one divided by ``factor``. Returns (left', right')."""
    left, right = unit(left), unit(right)
    rows, columns = left.shape[-2], right.shape[-2]
    spare = np.sqrt(1.0 - 1.0 / factor)
    extra = np.eye(rows + columns) * spare
    left_extra = np.broadcast_to(extra[:rows], left.shape[:-1] + (rows + columns,))
    right_extra = np.broadcast_to(extra[rows:], right.shape[:-1] + (rows + columns,))
    scale = 1.0 / np.sqrt(factor)
    return (np.concatenate([left * scale, left_extra], axis=-1), np.concatenate([right * scale, right_extra], axis=-1))


# --- Exercise A: cosine_similarity(a, b) ---------------------------------------------------------------------------


def _dot(a, b) -> float:
    return float(np.dot(a, b))


def cosine_is_angle(f) -> None:
    """cos(a, b) = a·b / (‖a‖ ‖b‖): 1/√2 for [1, 0] and [1, 1] (45°, stated in the lab), 0 for perpendicular
    vectors, -1 for opposite ones, 24/25 for [3, 4] and [4, 3]; the same for a and b scaled by positive numbers."""
    cases = [([1.0, 0.0], [1.0, 1.0], 1 / np.sqrt(2), "45 degrees"),
             ([3.0, 4.0], [4.0, 3.0], 24 / 25, "3-4-5 triangles"),
             ([2.0, 0.0], [0.0, 3.0], 0.0, "perpendicular"),
             ([1.0, 2.0, 3.0], [-2.0, -4.0, -6.0], -1.0, "opposite")]
    for a, b, expected, what in cases:
        a, b = np.array(a), np.array(b)
        call = f"cosine_similarity(np.array({a.tolist()}), np.array({b.tolist()}))  ({what})"
        expect_close(call, as_number(f(a, b)), expected, rtol=1e-12, atol=1e-12, hints=[
            (_dot(a, b), COS_DOT_HINT),
            (_dot(a, b) / (_dot(a, a) * _dot(b, b)), COS_SQUARED_HINT),
            (1.0 - expected, COS_DISTANCE_HINT)])
    a, b = np.array([1.0, 2.0, 2.0]), np.array([0.0, 3.0, 4.0])
    expect_close("cosine_similarity(3 * a, 0.5 * b) against cosine_similarity(a, b), a = [1, 2, 2], b = [0, 3, 4]",
                 as_number(f(3.0 * a, 0.5 * b)), as_number(f(a, b)), rtol=1e-12, atol=1e-12,
                 hints=[(lambda g: True, COS_DOT_HINT)])


def cosine_along_last_axis(f) -> None:
    """Along the last axis, the leading axes broadcasting: rows of (3, 3) arrays give (3,) (square, so that a wrong
    axis shows in the values), (3, 1, 2) against (1, 4, 2) gives the (3, 4) table, (2,) against (5, 2) gives (5,);
    every entry is the function's own value on the two vectors alone."""
    a = np.array([[3.0, 4.0, 0.0], [1.0, 0.0, 0.0], [0.0, 2.0, 2.0]])
    b = np.array([[4.0, 3.0, 0.0], [1.0, 1.0, 1.0], [0.0, -1.0, 3.0]])
    expected = [as_number(f(a[i], b[i])) for i in range(3)]
    whole = np.sum(a * b, axis=-1) / (np.linalg.norm(a) * np.linalg.norm(b))
    not_kept = np.sum(a / np.linalg.norm(a, axis=-1) * (b / np.linalg.norm(b, axis=-1)), axis=-1)
    call = "cosine_similarity(a, b), a and b of shape (3, 3): one cosine per row"
    expect_close(call, f(a, b), expected, rtol=1e-12, atol=1e-12, hints=[
        (lambda g: np.shape(g) == (3, 3), COS_LAST_AXIS_HINT),
        (lambda g: np.shape(g) == (3, 1), COS_TRAILING_HINT),
        (whole, COS_WHOLE_NORM_HINT), (not_kept, COS_KEEPDIMS_HINT)])
    left = np.array([[[1.0, 0.0]], [[0.0, 2.0]], [[-3.0, 3.0]]])
    right = np.array([[[1.0, 1.0], [0.0, -1.0], [-2.0, 0.5], [5.0, 0.0]]])
    expected = [[as_number(f(left[i, 0], right[0, j])) for j in range(4)] for i in range(3)]
    call = "cosine_similarity(a, b), a of shape (3, 1, 2), b of shape (1, 4, 2): every a[i] against every b[j]"
    got = result_or_hint(call, f, left, right, hint=COS_BROADCAST_HINT)
    expect_close(call, got, expected, rtol=1e-12, atol=1e-12,
                 hints=[(lambda g: np.shape(g) == (3, 4, 1), COS_TRAILING_HINT)])
    single = np.array([2.0, -1.0])
    many = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-2.0, 1.0], [0.5, 0.5]])
    call = "cosine_similarity(a, b), a of shape (2,), b of shape (5, 2)"
    got = result_or_hint(call, f, single, many, hint=COS_BROADCAST_HINT)
    expect_close(call, got, [as_number(f(single, row)) for row in many], rtol=1e-12, atol=1e-12,
                 hints=[(lambda g: np.shape(g) == (5, 1), COS_TRAILING_HINT)])


def same_as_floats(call: str, f, args: tuple, floats: tuple, *, rtol: float = 1e-12, atol: float = 1e-12) -> None:
    """``f(*args)`` (lists, integers, NumPy numbers, float32) equals ``f(*floats)``, the same values as float64
    arrays; an error on the allowed input fails with the hint to convert with np.asarray. Used by the visible and
    the hidden checks of every exercise."""
    expected = f(*floats)
    got = result_or_hint(call, f, *args, hint=LISTS_HINT)
    expect_close(call, got, expected, rtol=rtol, atol=atol)


def cosine_inputs(f) -> None:
    """Lists (of integers too), integer arrays and float32 arrays give what float64 arrays of the same values give
    (float32 within its precision). Single vectors and square batches only, so that a mistake of the axes costs the
    check of the axes alone."""
    same_as_floats("cosine_similarity([1, 2], [3, 4])  (lists of integers)", f, ([1, 2], [3, 4]),
                   (np.array([1.0, 2.0]), np.array([3.0, 4.0])))
    same_as_floats("cosine_similarity([[1.0, 0.0], [0.5, 2.0]], [[2.0, 2.0], [1.0, -1.0]])  (nested lists)", f,
                   ([[1.0, 0.0], [0.5, 2.0]], [[2.0, 2.0], [1.0, -1.0]]),
                   (np.array([[1.0, 0.0], [0.5, 2.0]]), np.array([[2.0, 2.0], [1.0, -1.0]])))
    same_as_floats("cosine_similarity(np.array([[1, 2, 3]]), np.array([[3, 2, 1]]))  (integer arrays)", f,
                   (np.array([[1, 2, 3]]), np.array([[3, 2, 1]])),
                   (np.array([[1.0, 2.0, 3.0]]), np.array([[3.0, 2.0, 1.0]])))
    values = np.random.default_rng(91).normal(size=(2, 6)).astype(np.float32)
    same_as_floats("cosine_similarity(a, b), float32 vectors of length 6", f, (values[0], values[1]),
                   (values[0].astype(float), values[1].astype(float)), rtol=1e-5, atol=1e-6)


ZERO_HINTS = [(lambda g: np.any(np.isnan(np.asarray(g, dtype=float))), COS_ZERO_NAN_HINT),
              (lambda g: np.any(np.asarray(g, dtype=float) == 0), COS_ZERO_EPS_HINT)]
"""What a function that does not refuse a zero vector returns: nan (0 / 0) or 0 (a length clamped with eps)."""


def cosine_rejects_zero_vector(f) -> None:
    """A zero vector in a raises ValueError naming a, one in b names b; one zero row in a batch is enough."""
    expect_refused(f, np.zeros(3), np.array([1.0, 2.0, 3.0]),
                   call="cosine_similarity(np.zeros(3), np.array([1.0, 2.0, 3.0]))", names=["a"], hints=ZERO_HINTS)
    expect_refused(f, np.array([1.0, 2.0]), np.zeros(2), call="cosine_similarity(np.array([1.0, 2.0]), np.zeros(2))",
                   names=["b"], hints=ZERO_HINTS)
    rows = np.array([[1.0, 1.0], [0.0, 0.0], [2.0, -1.0]])
    expect_refused(f, np.ones((3, 2)), rows,
                   call="cosine_similarity(np.ones((3, 2)), np.array([[1.0, 1.0], [0.0, 0.0], [2.0, -1.0]]))",
                   names=["b"], hints=ZERO_HINTS)


def cosine_rejects_mismatched_lengths(f) -> None:
    """Vectors of different lengths D raise ValueError naming a or b: (2, 3) against (2, 1), which numpy would
    broadcast silently, and (3,) against (2,)."""
    expect_refused(f, np.ones((2, 3)), np.ones((2, 1)), call="cosine_similarity(np.ones((2, 3)), np.ones((2, 1)))",
                   any_of=["a", "b"], hints=[(lambda g: True, COS_LENGTH_HINT)])
    expect_refused(f, np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0]),
                   call="cosine_similarity(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0]))", any_of=["a", "b"],
                   hints=[(lambda g: True, COS_LENGTH_HINT)])


# --- Exercise B: info_nce(query, positive, negatives, temperature) -------------------------------------------------

WORKED_QUERY = np.array([[1.0, 0.0]])
WORKED_POSITIVE = np.array([[0.5, np.sqrt(3.0) / 2]])
WORKED_NEGATIVES = np.array([[[0.0, 1.0], [-1.0, 0.0]]])
"""Part B's worked example: q = (1, 0), the positive at 60° (cosine 0.5), negatives at 90° and 180° (0 and -1)."""

WORKED_CALL = "info_nce(q, k_plus, negatives, {tau})  (the worked example: cosines 0.5, 0, -1)"


def info_nce_is_nll_of_positive(f) -> None:
    """At τ = 1 with unit vectors: the worked example gives 0.6041; one negative as similar as the positive gives
    log 2; four negatives all as similar as the positive give log 5."""
    expect_close(WORKED_CALL.format(tau="temperature=1.0"), as_loss(f(WORKED_QUERY, WORKED_POSITIVE,
                                                                     WORKED_NEGATIVES, 1.0)),
                 WORKED_LOSS, rtol=1e-9, atol=1e-9, hints=[
                     (lambda g: g < 0, NCE_DENOMINATOR_HINT),
                     (float(np.log(np.exp(0.5) + 1.0 + np.exp(-1.0))), NCE_POSITIVE_FIRST_HINT),
                     (0.0, NCE_AXIS_HINT)])
    query, positive = np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])
    expect_close("info_nce([[1, 0]], [[0, 1]], negatives=[[[0, 1]]], temperature=1.0)  (K = 1, equally similar)",
                 as_loss(f(query, positive, np.array([[[0.0, 1.0]]]), 1.0)), np.log(2.0), rtol=1e-9, atol=1e-9,
                 hints=[(lambda g: g < 0, NCE_DENOMINATOR_HINT), (0.0, NCE_AXIS_HINT)])
    expect_close("info_nce([[1, 0]], [[0, 1]], negatives: 4 copies of [0, 1], temperature=1.0)  (all equally similar)",
                 as_loss(f(query, positive, np.tile([0.0, 1.0], (1, 4, 1)), 1.0)), np.log(5.0), rtol=1e-9,
                 atol=1e-9, hints=[(lambda g: g < 0, NCE_DENOMINATOR_HINT), (0.0, NCE_AXIS_HINT)])


HALF_COSINES_POSITIVE = np.array([[0.25, np.sqrt(1 - 0.25**2)]])
HALF_COSINES_NEGATIVES = np.array([[[0.0, 1.0], [-0.5, np.sqrt(0.75)]]])
"""Unit vectors whose cosines with q = (1, 0) are half the worked example's: 0.25 for the positive, 0 and -0.5."""


def info_nce_cosine_over_temperature(f) -> None:
    """Lengths do not matter (the worked example with every vector scaled gives what it gives unscaled), and τ
    divides the cosines: the worked example at τ = 2 gives what the same query gives at τ = 1 with candidates whose
    cosines are halved (0.25, 0, -0.5)."""
    scaled = f(3.0 * WORKED_QUERY, 0.5 * WORKED_POSITIVE, WORKED_NEGATIVES * np.array([2.0, 0.1])[None, :, None], 1.0)
    expect_close("info_nce(3 q, 0.5 k_plus, negatives scaled by 2 and 0.1, 1.0) against the unscaled worked example",
                 as_loss(scaled), as_loss(f(WORKED_QUERY, WORKED_POSITIVE, WORKED_NEGATIVES, 1.0)), rtol=1e-9,
                 atol=1e-9, hints=[(lambda g: True, SIMILARITY_DOT_HINT)])

    def halved(tau):
        return as_loss(f(WORKED_QUERY, HALF_COSINES_POSITIVE, HALF_COSINES_NEGATIVES, tau))

    expect_close(WORKED_CALL.format(tau="temperature=2.0") + " against cosines 0.25, 0, -0.5 at temperature=1.0",
                 as_loss(f(WORKED_QUERY, WORKED_POSITIVE, WORKED_NEGATIVES, 2.0)), halved(1.0), rtol=1e-9,
                 atol=1e-9, hints=[(lambda g: np.isclose(as_loss(f(WORKED_QUERY, WORKED_POSITIVE, WORKED_NEGATIVES,
                                                                      0.5)), halved(1.0), rtol=1e-9),
                                     TAU_MULTIPLIED_HINT)])


def opposite_pair_loss(tau: float, negatives: int) -> float:
    """The loss of a query whose positive points the opposite way (cosine -1) and whose K negatives point its way
    (+1): 2/τ + log(K + e^(-2/τ)) (stated in the lab)."""
    return 2.0 / tau + np.log(negatives + np.exp(-2.0 / tau))


def finite_and_quiet(call: str, f, *args) -> None:
    """``f(*args)`` is a finite loss, computed without any warning (an overflow gives nan: inf / inf)."""
    value = as_loss(f(*args))
    expect_true(bool(np.all(np.isfinite(value))), call, value, "a finite loss",
                hints=[(lambda g: np.any(np.isnan(g)), OVERFLOW_HINT), (lambda g: np.any(np.isinf(g)),
                                                                       LOG_OF_SOFTMAX_HINT)])
    call_quietly(call, f, *args)


def grows_as_two_over_tau(call: str, f, args: tuple, taus: tuple[float, float], expected_ratio: float) -> None:
    """``f(*args, τ)`` at the two temperatures is finite and quiet, and their ratio is ``expected_ratio``: the 2/τ of
    the positive's logit minus a negative's, which only log-sum-exp keeps at small τ. A ratio of two of the
    function's own values, so that the check judges the arithmetic at small τ and not the formula (the other checks
    judge that)."""
    values = []
    for tau in taus:
        finite_and_quiet(call.format(tau=tau), f, *args, tau)
        values.append(float(as_loss(f(*args, tau))))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = values[1] / values[0]
    expect_close(f"{call.format(tau=taus[1])} / {call.format(tau=taus[0])}", ratio, expected_ratio, rtol=1e-10,
                 hints=[(lambda r: 20 < values[1] < 30, EPS_HINT)])


def info_nce_exact_at_small_temperature(f) -> None:
    """At τ = 0.01 and 0.001 with cosines of ±1 (logits of ±100 and ±1000): a positive at +1 with three negatives at
    -1 gives a finite loss (log(1 + 3 e^(-2/τ)) = 0 to double precision), without warnings; a positive at -1 with one
    negative at +1 costs 2/τ + log(1 + e^(-2/τ)), 200 and 2000: ten times as much at τ = 0.001 as at τ = 0.01."""
    query = np.array([[1.0, 0.0]])
    for tau in (0.01, 0.001):
        finite_and_quiet(f"info_nce([[1, 0]], [[1, 0]], negatives: 3 copies of [-1, 0], temperature={tau})", f,
                         query, query, np.tile([-1.0, 0.0], (1, 3, 1)), tau)
    grows_as_two_over_tau("info_nce([[1, 0]], [[-1, 0]], [[[1, 0]]], temperature={tau})", f,
                          (query, -query, query[:, None, :]), (0.01, 0.001),
                          opposite_pair_loss(0.001, 1) / opposite_pair_loss(0.01, 1))


def _batch_example(seed: int, size: int, negatives: int, dimension: int):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(size, dimension)), rng.normal(size=(size, dimension)),
            rng.normal(size=(size, negatives, dimension)))


def mean_of_rows(f, query, positive, negatives, tau) -> float:
    """The mean of the function's own losses of each query alone."""
    return float(np.mean([as_loss(f(query[n:n + 1], positive[n:n + 1], negatives[n:n + 1], tau))
                          for n in range(len(query))]))


def info_nce_batch(f, seeds=(1, 2)) -> None:
    """A batch of N queries gives one number, the mean of its queries' own losses (N = K = 3, so that pairing query
    j with negatives of row n would not raise, and N = 2, K = 4); lists, float32 arrays and NumPy or integer
    temperatures give what float64 arrays and floats give."""
    for seed, (size, negatives, dimension) in zip(seeds, [(3, 3, 4), (2, 4, 3)], strict=True):
        query, positive, negative = _batch_example(seed, size, negatives, dimension)
        each = mean_of_rows(f, query, positive, negative, 0.5)
        call = f"info_nce(query, positive, negatives, 0.5), N = {size}, K = {negatives}, D = {dimension}"
        got = f(query, positive, negative, 0.5)
        expect_true(np.ndim(got) == 0, call, got, "one number", ONE_NUMBER_HINT)
        expect_close(call + "  (against the mean of each query alone)", got, each, rtol=1e-10, atol=1e-12,
                     hints=[(each * size, SUM_HINT), (lambda g: True, NCE_BATCH_HINT)])
    query, positive, negative = _batch_example(3, 2, 2, 2)
    same_as_floats("info_nce(lists of shapes (2, 2), (2, 2), (2, 2, 2), 0.5)  (lists)", f,
                   (query.tolist(), positive.tolist(), negative.tolist(), 0.5), (query, positive, negative, 0.5))
    same_as_floats("info_nce(float32 arrays, 0.5)", f,
                   (query.astype(np.float32), positive.astype(np.float32), negative.astype(np.float32), 0.5),
                   (query.astype(np.float32).astype(float), positive.astype(np.float32).astype(float),
                    negative.astype(np.float32).astype(float), 0.5), rtol=1e-5, atol=1e-6)
    same_as_floats("info_nce(query, positive, negatives, np.float64(0.5))", f,
                   (query, positive, negative, np.float64(0.5)), (query, positive, negative, 0.5))
    same_as_floats("info_nce(query, positive, negatives, 1)  (an integer temperature)", f,
                   (query, positive, negative, 1), (query, positive, negative, 1.0))
    same_as_floats("info_nce(query, positive, negatives, np.int64(2))", f, (query, positive, negative, np.int64(2)),
                   (query, positive, negative, 2.0))


NCE_ARRAYS = ["query", "positive", "negatives"]


def info_nce_rejects_invalid(f) -> None:
    """temperature <= 0 raises ValueError naming temperature; query and positive not 2-D of one shape, or negatives
    not (N, K, D) with the N and D of query, raise ValueError naming query, positive or negatives."""
    query, positive, negatives = np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 4, 3))
    for tau in (0.0, -0.5):
        expect_refused(f, query, positive, negatives, tau,
                       call=f"info_nce(query, positive, negatives, temperature={tau}), shapes (2, 3), (2, 3), "
                            "(2, 4, 3)", names=["temperature"])
    for shapes in [((2, 3), (2, 4), (2, 4, 3)), ((2, 3), (3, 3), (2, 4, 3)), ((2, 3), (2, 3), (4, 3)),
                   ((2, 3), (2, 3), (3, 4, 3)), ((2, 3), (2, 3), (2, 4, 2)), ((3,), (3,), (4, 3))]:
        expect_refused(f, *(np.ones(shape) for shape in shapes), 0.5,
                       call=f"info_nce(np.ones({shapes[0]}), np.ones({shapes[1]}), np.ones({shapes[2]}), 0.5)",
                       any_of=NCE_ARRAYS)


# --- Exercise C: info_nce_in_batch(z1, z2, temperature) ------------------------------------------------------------

IN_BATCH_Z1 = np.array([[1.0, 0.0], [1.0, 0.0]])
IN_BATCH_Z2 = np.array([[1.0, 0.0], [0.0, 1.0]])
"""Part C's worked example: both z1 point along (1, 0); z2 = (1, 0) and (0, 1). S = [[1, 0], [1, 0]] at τ = 1."""


def in_batch_targets_the_diagonal(f) -> None:
    """At τ = 1 with unit vectors: the worked example gives log(1 + e) - 1/2 = 0.8133; three matched orthonormal
    pairs give log(1 + 2/e); collapsed embeddings (every vector the same) give log N; N = 1 gives 0. Tolerances of
    1e-9: the formula is judged here, not the precision lost to an eps (the check at small temperatures judges
    that)."""
    expect_close("info_nce_in_batch(z1=[[1, 0], [1, 0]], z2=[[1, 0], [0, 1]], temperature=1.0)  (the worked example)",
                 as_loss(f(IN_BATCH_Z1, IN_BATCH_Z2, 1.0)), IN_BATCH_WORKED_LOSS, rtol=1e-9, atol=1e-9, hints=[
                     (np.log(2.0), BATCH_COLUMNS_HINT),
                     ((IN_BATCH_WORKED_LOSS + np.log(2.0)) / 2, BATCH_SYMMETRIC_HINT),
                     (np.log1p(np.exp(-1.0)), BATCH_DIAGONAL_HINT), (0.0, BATCH_DENOMINATOR_HINT),
                     (2 * IN_BATCH_WORKED_LOSS, SUM_HINT)])
    eye = np.eye(3)
    expect_close("info_nce_in_batch(np.eye(3), np.eye(3), 1.0)  (matched orthonormal pairs)", as_loss(f(eye, eye, 1.0)),
                 np.log1p(2 / np.e), rtol=1e-9, atol=1e-9, hints=[
                     (lambda g: g <= 0, BATCH_DENOMINATOR_HINT), (3 * np.log1p(2 / np.e), SUM_HINT)])
    same = np.tile([0.6, 0.8], (4, 1))
    expect_close("info_nce_in_batch(four copies of [0.6, 0.8], the same four, 1.0)  (collapsed)",
                 as_loss(f(same, same, 1.0)), np.log(4.0), rtol=1e-9, atol=1e-9,
                 hints=[(lambda g: g <= np.log(3.0) + 1e-9, BATCH_DENOMINATOR_HINT), (4 * np.log(4.0), SUM_HINT)])
    expect_close("info_nce_in_batch([[1.0, 2.0]], [[3.0, -1.0]], 0.1)  (N = 1: the positive is the only candidate)",
                 as_loss(f(np.array([[1.0, 2.0]]), np.array([[3.0, -1.0]]), 0.1)), 0.0, atol=1e-9,
                 hints=[(lambda g: np.isinf(g), BATCH_DENOMINATOR_HINT)])


HALF_IN_BATCH_Z2 = np.array([[0.5, np.sqrt(0.75)], [0.0, 1.0]])
"""Unit vectors whose cosines with the worked example's z1 are half its S: S' = [[0.5, 0], [0.5, 0]]."""


def in_batch_cosine_over_temperature(f) -> None:
    """Lengths do not matter (rows of z1 and z2 scaled by different positive numbers give what they give unscaled),
    and τ divides the cosines: the worked example at τ = 2 gives what z2 = [[0.5, √0.75], [0, 1]], with half the
    cosines, gives at τ = 1."""
    z1, z2 = unit(np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0], [2.0, 0.0, 1.0]])), unit(np.array(
        [[1.0, 1.0, 0.5], [0.0, 2.0, -1.0], [1.0, -1.0, 1.0]]))
    scaled = f(z1 * np.array([[2.0], [0.3], [5.0]]), z2 * np.array([[0.1], [4.0], [1.5]]), 1.0)
    expect_close("info_nce_in_batch(z1 and z2 of shape (3, 3), rows scaled by (2, 0.3, 5) and (0.1, 4, 1.5), 1.0) "
                 "against the unit rows", as_loss(scaled), as_loss(f(z1, z2, 1.0)), rtol=1e-9, atol=1e-9,
                 hints=[(lambda g: True, SIMILARITY_DOT_HINT)])
    halved = as_loss(f(IN_BATCH_Z1, HALF_IN_BATCH_Z2, 1.0))
    expect_close("info_nce_in_batch(worked example, temperature=2.0) against z2 = [[0.5, √0.75], [0, 1]] at 1.0",
                 as_loss(f(IN_BATCH_Z1, IN_BATCH_Z2, 2.0)), halved, rtol=1e-9, atol=1e-9,
                 hints=[(lambda g: np.isclose(as_loss(f(IN_BATCH_Z1, IN_BATCH_Z2, 0.5)), halved, rtol=1e-9),
                         TAU_MULTIPLIED_HINT)])


def opposite_pairs_loss(tau: float) -> float:
    """The in-batch loss of z1 = [(1, 0), (-1, 0)] against z2 = -z1, S = [[-1, 1], [1, -1]] / τ: every row has its
    positive at -1/τ and one negative at +1/τ, 2/τ + log(1 + e^(-2/τ)) (stated in the lab)."""
    return 2.0 / tau + np.log1p(np.exp(-2.0 / tau))


def in_batch_exact_at_small_temperature(f) -> None:
    """At τ = 0.01 and 0.001 with cosines of ±1: z2 = z1 = [(1, 0), (-1, 0)] gives a finite loss (log(1 + e^(-2/τ))
    = 0 to double precision), without warnings; z2 = -z1 costs 2/τ + log(1 + e^(-2/τ)), 200 and 2000: ten times as
    much at τ = 0.001 as at τ = 0.01."""
    z1 = np.array([[1.0, 0.0], [-1.0, 0.0]])
    for tau in (0.01, 0.001):
        finite_and_quiet(f"info_nce_in_batch([[1, 0], [-1, 0]], the same, temperature={tau})  (matched pairs)", f,
                         z1, z1, tau)
    grows_as_two_over_tau("info_nce_in_batch([[1, 0], [-1, 0]], [[-1, 0], [1, 0]], temperature={tau})", f,
                          (z1, -z1), (0.01, 0.001), opposite_pairs_loss(0.001) / opposite_pairs_loss(0.01))


def in_batch_inputs(f) -> None:
    """One number; lists, float32 arrays and NumPy or integer temperatures give what float64 arrays and floats
    give."""
    rng = np.random.default_rng(4)
    z1, z2 = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    got = f(z1, z2, 0.5)
    expect_true(np.ndim(got) == 0, "info_nce_in_batch(z1, z2, 0.5), shapes (5, 3)", got, "one number",
                ONE_NUMBER_HINT)
    same_as_floats("info_nce_in_batch(z1.tolist(), z2.tolist(), 0.5)  (lists)", f, (z1.tolist(), z2.tolist(), 0.5),
                   (z1, z2, 0.5))
    same_as_floats("info_nce_in_batch(float32 arrays of shape (5, 3), 0.5)", f,
                   (z1.astype(np.float32), z2.astype(np.float32), 0.5),
                   (z1.astype(np.float32).astype(float), z2.astype(np.float32).astype(float), 0.5), rtol=1e-5,
                   atol=1e-6)
    same_as_floats("info_nce_in_batch(z1, z2, np.float64(0.5))", f, (z1, z2, np.float64(0.5)), (z1, z2, 0.5))
    same_as_floats("info_nce_in_batch(z1, z2, 1)  (an integer temperature)", f, (z1, z2, 1), (z1, z2, 1.0))
    same_as_floats("info_nce_in_batch(z1, z2, np.int64(2))", f, (z1, z2, np.int64(2)), (z1, z2, 2.0))


def in_batch_rejects_invalid(f) -> None:
    """temperature <= 0 raises ValueError naming temperature; z1 and z2 not 2-D arrays of one shape (N, D) raise
    ValueError naming z1 or z2."""
    for tau in (0.0, -1.0):
        expect_refused(f, np.ones((3, 2)), np.ones((3, 2)), tau,
                       call=f"info_nce_in_batch(np.ones((3, 2)), np.ones((3, 2)), temperature={tau})",
                       names=["temperature"])
    for left, right in [((3, 2), (3, 3)), ((3, 2), (2, 2)), ((2,), (2,)), ((2, 2), (1, 2, 2))]:
        expect_refused(f, np.ones(left), np.ones(right), 0.5,
                       call=f"info_nce_in_batch(np.ones({left}), np.ones({right}), 0.5)", any_of=["z1", "z2"])
