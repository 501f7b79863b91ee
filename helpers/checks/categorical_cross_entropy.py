"""Visible checks of Lab 4 (04_categorical_cross_entropy). Each takes the student's function as ``f``.

The checks test properties the lab states and public values it prints, never an answer:
- a log-softmax exponentiates to probabilities summing to 1, and log q_j - log q_k = z_j - z_k;
- a one-hot row has a single 1, at the label;
- the losses of one example over every possible label k, L_k = -log q_k, satisfy sum_k exp(-L_k) = 1, and the
  cross-entropy is linear in the label distribution: CE(y, z) = sum_k y_k CE(k, z);
- where one logit exceeds the others by 40 or more, the loss is the gap max_j z_j - z_y to float64 precision;
- a gradient equals central finite differences of the mean loss L(z) = mean_n [logsumexp(z_n) - sum_k y_nk z_nk].

Generic helpers (for this lab; the hidden tests use the first two): ``value_of`` calls a function with
floating-point warnings silenced (its value is checked first, with a hint; ``call_quietly`` then checks the
warnings), ``outcome_of`` returns either what the function returned or the error it raised as text, so that a
check can give a hint about an error, and ``_expect_value_error`` gives a hint when an invalid input returns a
value instead of raising.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import special

from helpers.feedback import call_quietly, expect_close, expect_raises, expect_true, fail, matches

# --- hints (each is reached by a plausible wrong answer: tests/test_categorical_cross_entropy_checks.py) ----------

HINT_PROBABILITIES = "these are probabilities; return their logarithms."
HINT_M_LEFT_OUT = "logsumexp(z) = m + log sum_j exp(z_j - m): did you leave out the m?"
HINT_BASE_2 = "these are log-probabilities in base 2; use the natural log (np.log)."
HINT_NOT_NORMALISED = ("exponentiated, a log-softmax is a softmax and sums to 1: return z_k - logsumexp(z), "
                       "with logsumexp(z) = m + log sum_j exp(z_j - m).")
HINT_WHOLE_BATCH = ("the rows sum to 1 / N together: take max and sum along axis with keepdims=True, "
                    "not over the whole batch.")
HINT_AXIS = "normalise along the axis you are given."
HINT_OVERFLOW = "exp(1000) overflows to inf: subtract the maximum first."
HINT_LOG_OF_SOFTMAX = "that is np.log of a softmax that underflowed to 0; compute z - logsumexp(z) instead."
HINT_EPS = "adding a small eps before the log caps the result at log(eps); the true value is -1000."
HINT_ROW_MAX = ("each row needs its own maximum: with one maximum for the whole batch, exp(z - m) of a row far "
                "below it underflows to 0. Take np.max(z, axis=axis, keepdims=True).")
HINT_ARRAY_LIKE = "convert the input with np.asarray(logits, dtype=float) first: a list has no .max() or .shape."

HINT_ROWS = "one row per label: select rows of np.eye, not columns."
HINT_ONE_BASED = "class indices start at 0: do not subtract 1."
HINT_NUM_CLASSES = "use num_classes, not the largest label + 1."
HINT_KEEP_SHAPE = ("keep the shape of labels: the result has shape labels.shape + (num_classes,), so a scalar "
                   "label gives shape (num_classes,).")
HINT_EMPTY = ("an empty array of labels has no minimum or maximum: check the range with "
              "np.any((labels < 0) | (labels >= num_classes)).")
HINT_NUMPY_INT = ("np.int64(3) is an integer too, but isinstance(np.int64(3), int) is False: accept NumPy "
                  "integers, e.g. isinstance(num_classes, (int, np.integer)).")
HINT_INTEGER_DTYPES = ("uint8 and int32 labels are integers too: test the dtype with "
                       "np.issubdtype(labels.dtype, np.integer).")
HINT_UPPER = "the largest class index is num_classes - 1: raise ValueError when a label is >= num_classes."
HINT_NEGATIVE = ("numpy indexing accepts a negative label and silently picks a class from the end: check that "
                 "labels >= 0 yourself.")
HINT_FLOAT_LABELS = "a label such as 0.5 is not a class index: raise ValueError when labels are not integers."

HINT_INEXACT = ("close, but not exact: an eps added before a log (or a clipped probability) shifts every result a "
                "little; compute the log-probabilities from the logits with log-sum-exp.")
HINT_LOG2 = "use the natural log (nats), not log2."
HINT_RAW_LOGITS = "logits are not probabilities: use log_softmax of the logits, not np.log of them."
HINT_SUM_CLASSES = "sum y_k log q_k over the class axis: one number per example."
HINT_SIGN = "the loss is minus the log-probability of the true class: check the sign."
HINT_SUM_NOT_MEAN = "'mean' is the sum of the N losses divided by N; you summed them."
HINT_MEAN_NK = "'mean' averages the N per-example losses, not the N·K products y_k log q_k."
HINT_PROBS_AS_INDICES = ("y_true of the logits' shape holds class probabilities (one-hot or soft labels): use "
                         "them as y in -sum_k y_k log q_k; do not index with them.")
HINT_ZERO_LOG_ZERO = "0 * (-inf) is nan: where y_k = 0, use 0 instead of y_k * log q_k (np.where)."
HINT_INF_LOSS = "that is -log of a softmax that underflowed to 0: use log_softmax."
HINT_EPS_LOSS = "adding eps before the log caps the loss at -log(eps); the true loss is the gap between logits."
HINT_OVERFLOW_LOSS = "exp of a huge logit overflowed: compute from the logits with log_softmax."
HINT_SQUARE = "y_true of shape (N,) holds class indices, even when N equals K."
HINT_ARRAY_LIKE_LOSS = "convert y_true and logits with np.asarray first: a list has no .shape, .astype or .max()."
HINT_NEGATIVE_LABEL = ("numpy indexing accepts -1 and silently picks the last class: check that the indices "
                       "are >= 0 yourself.")
HINT_PROBS_INVALID = ("check class probabilities yourself: each row in [0, 1], summing to 1 (within 1e-6); "
                      "else raise ValueError naming y_true.")
HINT_UNKNOWN_REDUCTION = "only 'mean', 'sum' and 'none' are valid: raise ValueError naming reduction otherwise."

HINT_LABELS_NOT_SUBTRACTED = "each row of softmax(z) sums to 1: subtract the one-hot labels."
HINT_WRT_PROBS = ("-y / q is the derivative with respect to the probabilities; differentiate with respect to "
                  "the logits.")
HINT_SUM_GRAD = "that is the gradient of the sum: the mean divides by N."
HINT_SIGN_GRAD = "the sign is flipped: the gradient is softmax(z) - y."
HINT_NK_GRAD = "divide by the N examples, not by N·K."
HINT_SINGLE_K = "logits of shape (K,) are a single example: divide by N = 1, not by K."
HINT_OVERFLOW_GRAD = "exp(1000) overflowed: take the softmax as np.exp(log_softmax(z))."


# --- generic helpers ------------------------------------------------------------------------------------------------


def value_of(f, *args, **kwargs):
    """``f(*args, **kwargs)`` with floating-point warnings silenced: the value is judged first (with a hint);
    ``call_quietly`` judges the warnings separately."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            return f(*args, **kwargs)


def outcome_of(f, *args, **kwargs):
    """What ``f`` returned, or the error it raised as the text "TypeName: message" (so that a check can explain
    an error with a hint). NotImplementedError passes through: the exercise is not written yet."""
    try:
        return value_of(f, *args, **kwargs)
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001 - the error is the value judged
        return f"{type(error).__name__}: {error}"


def _nearly(expected):
    """A hint predicate: the value is within 1e-6 of ``expected`` (so it prints the same) but not exact."""
    return lambda got: matches(got, expected, rtol=1e-6, atol=1e-9)


def _raised(kind: str):
    """A hint predicate: the call raised an error of type ``kind`` (see ``outcome_of``)."""
    return lambda got: isinstance(got, str) and got.startswith(f"{kind}:")


def _is_error(got) -> bool:
    return isinstance(got, str)


def _expect_value_error(f, *args, call: str, name: str, hint_if_returned: str, **kwargs) -> None:
    """``f(*args)`` raises ValueError naming ``name``; a value returned instead gets ``hint_if_returned``."""
    got = outcome_of(f, *args, **kwargs)
    if not _is_error(got):
        fail(call, got, f"a ValueError whose message names {name!r}", hint_if_returned)
    expect_raises(f, *args, call=call, names=[name], **kwargs)


# --- Exercise A: log_softmax(logits, axis=-1) -----------------------------------------------------------------------


def log_softmax_one_example(f) -> None:
    """log q_k = z_k - logsumexp(z): numbers <= 0 whose exponentials sum to 1, in the order of the logits, and
    unchanged when a constant is added to every logit."""
    z = np.array([2.0, 1.0, 0.1])
    got = value_of(f, z)
    call = "log_softmax([2.0, 1.0, 0.1])"
    expect_true(np.shape(got) == (3,), call, got, "an array of shape (3,)")
    values = np.asarray(got, dtype=float)
    expect_true(bool(np.all(values <= 0)), call, got, "numbers <= 0: logarithms of probabilities", HINT_M_LEFT_OUT,
                hints=[(lambda g: np.isclose(np.sum(g), 1.0), HINT_PROBABILITIES)])
    expect_close("np.exp(log_softmax([2.0, 1.0, 0.1])).sum()", np.exp(values).sum(), 1.0,
                 hints=[(lambda s: np.isclose(np.exp2(values).sum(), 1.0), HINT_BASE_2),
                        (lambda s: True, HINT_NOT_NORMALISED)])
    expect_close("log_softmax(z)[j] - log_softmax(z)[0]  (differences of log-probabilities)", values - values[0],
                 z - z[0], rtol=1e-9, atol=1e-12)
    expect_close("log_softmax([2.0, 1.0, 0.1] + 100)  (shifted logits)", value_of(f, z + 100.0), values,
                 rtol=1e-9, atol=1e-12)


def log_softmax_along_axis(f) -> None:
    """On a batch each row (or each slice along ``axis``) is normalised on its own, and equals the log-softmax
    of that row alone."""
    batch = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    got = np.asarray(value_of(f, batch), dtype=float)
    expect_close("np.exp(log_softmax([[1, 2, 3], [1, 1, 1]])).sum(axis=-1)", np.exp(got).sum(axis=-1), [1.0, 1.0],
                 hints=[(lambda s: np.isclose(np.sum(s), 1.0), HINT_WHOLE_BATCH),
                        (np.exp(batch.max(axis=-1)), HINT_M_LEFT_OUT)])
    expect_close("log_softmax([[1, 2, 3], [1, 1, 1]])[0]  against log_softmax([1, 2, 3])", got[0],
                 value_of(f, batch[0]), rtol=1e-12, atol=1e-12)
    columns = np.asarray(value_of(f, batch, axis=0), dtype=float)
    expect_close("np.exp(log_softmax([[1, 2, 3], [1, 1, 1]], axis=0)).sum(axis=0)", np.exp(columns).sum(axis=0),
                 [1.0, 1.0, 1.0], hints=[(lambda s: True, HINT_AXIS)])


def log_softmax_stable(f) -> None:
    """Exact at logits of +-1000 with no warning: log_softmax([1000, 0]) = [0, -1000] (the lab states it). In a
    batch whose rows have very different scales, each row gets its own maximum: every row's log-probabilities
    are finite, exponentiate to a sum of 1 (their logsumexp is 0) and differ by the logits' differences."""
    call = "log_softmax([1000.0, 0.0])"
    huge = value_of(f, np.array([1000.0, 0.0]))
    expect_close(call, huge, [0.0, -1000.0],
                 hints=[(lambda g: np.any(np.isnan(g)) or np.all(np.isneginf(g)), HINT_OVERFLOW),
                        (lambda g: np.any(np.isneginf(g)), HINT_LOG_OF_SOFTMAX),
                        (lambda g: -100 < np.asarray(g)[1] < -1, HINT_EPS)])
    call_quietly(call, f, np.array([1000.0, 0.0]))
    mixed = np.array([[500.0, -500.0, 0.0], [0.0, 1.0, 2.0], [-800.0, -801.0, -799.0]])
    call = "log_softmax([[500, -500, 0], [0, 1, 2], [-800, -801, -799]])  (rows of very different scale)"
    got = np.asarray(value_of(f, mixed), dtype=float)
    expect_true(got.shape == (3, 3) and bool(np.all(np.isfinite(got))), call, got,
                "finite log-probabilities of shape (3, 3)", hints=[(lambda g: True, HINT_ROW_MAX)])
    expect_close(f"logsumexp of each row of {call}", special.logsumexp(got, axis=-1), np.zeros(3), atol=1e-12,
                 hints=[(lambda s: True, HINT_NOT_NORMALISED)])
    expect_close(f"{call} minus the logits, less its first column (the same shift across each row)",
                 (got - mixed) - (got - mixed)[:, :1], np.zeros((3, 3)), atol=1e-9)
    call_quietly(call, f, mixed)


def log_softmax_inputs(f) -> None:
    """Lists and integers, float32 (to about 1e-5 of float64; either dtype back), and a logit of -inf: a masked
    class gets log-probability -inf and leaves the others as if it were absent."""
    got = outcome_of(f, [[1, 1, 1], [4, 4, 4]])
    expected = np.full((2, 3), -np.log(3.0))
    expect_close("log_softmax([[1, 1, 1], [4, 4, 4]])  (a list of integers; equal logits: q = 1/3)", got, expected,
                 rtol=1e-12, hints=[(_raised("AttributeError"), HINT_ARRAY_LIKE), (_nearly(expected), HINT_INEXACT)])
    z = np.array([[0.5, -1.5, 3.0, 2.0], [4.0, -2.0, 0.0, 1.0]])
    expect_close("log_softmax(z.astype(np.float32))  against log_softmax(z)", value_of(f, z.astype(np.float32)),
                 value_of(f, z), rtol=1e-5, atol=1e-5)
    masked = value_of(f, np.array([-np.inf, 0.0, 2.0]))
    expected = np.concatenate([[-np.inf], np.asarray(value_of(f, np.array([0.0, 2.0])), dtype=float)])
    expect_close("log_softmax([-inf, 0.0, 2.0])  against [-inf, *log_softmax([0.0, 2.0])]", masked, expected,
                 rtol=1e-12, atol=1e-12)


# --- Exercise B: one_hot(labels, num_classes) -----------------------------------------------------------------------


def _expect_one_hot(call: str, got, labels, num_classes: int, hints=()) -> None:
    """``got`` has shape labels.shape + (num_classes,), holds only 0s and 1s, one 1 per row, at the label."""
    labels = np.asarray(labels)
    shape = labels.shape + (num_classes,)
    expect_true(np.shape(got) == shape, call, got, f"an array of shape {shape}: labels.shape + (num_classes,)",
                hints=hints)
    values = np.asarray(got, dtype=float)
    expect_true(bool(np.all((values == 0) | (values == 1))), call, got, "only 0s and 1s")
    expect_close(f"{call}.sum(axis=-1)", values.sum(axis=-1), np.ones(labels.shape))
    expect_close(f"{call}.argmax(axis=-1)", values.argmax(axis=-1), labels,
                 hints=[(labels - 1 + num_classes * (labels == 0), HINT_ONE_BASED)])


def one_hot_rows(f) -> None:
    """One row per label, a single 1 at the label's index, num_classes columns however large the labels."""
    labels = np.array([2, 0, 1, 1])
    _expect_one_hot("one_hot([2, 0, 1, 1], 3)", outcome_of(f, labels, 3), labels, 3,
                    hints=[(lambda g: np.shape(g) == (3, 4), HINT_ROWS)])
    _expect_one_hot("one_hot([0, 1], 4)", outcome_of(f, np.array([0, 1]), 4), [0, 1], 4,
                    hints=[(lambda g: np.shape(g) == (2, 2), HINT_NUM_CLASSES)])


def one_hot_any_shape(f) -> None:
    """A scalar label gives shape (K,), a grid of labels (..., K), an empty array (0, K)."""
    _expect_one_hot("one_hot(1, 4)", outcome_of(f, 1, 4), 1, 4,
                    hints=[(lambda g: np.shape(g) == (2,), HINT_NUM_CLASSES),
                           (lambda g: np.shape(g) == (1, 4), HINT_KEEP_SHAPE)])
    grid = np.array([[0, 2], [1, 0]])
    _expect_one_hot("one_hot([[0, 2], [1, 0]], 3)", outcome_of(f, grid, 3), grid, 3,
                    hints=[(lambda g: np.shape(g) == (4, 3), HINT_KEEP_SHAPE)])
    empty = np.array([], dtype=int)
    _expect_one_hot("one_hot(np.array([], dtype=int), 3)", outcome_of(f, empty, 3), empty, 3,
                    hints=[(lambda g: _is_error(g) and "zero-size array" in g, HINT_EMPTY)])


def one_hot_integer_types(f) -> None:
    """Lists, NumPy integers (np.int64 for labels and num_classes) and unsigned uint8 labels."""
    _expect_one_hot("one_hot([1, 0, 2], 3)  (a list)", outcome_of(f, [1, 0, 2], 3), [1, 0, 2], 3)
    _expect_one_hot("one_hot(np.array([2, 0]), np.int64(3))", outcome_of(f, np.array([2, 0]), np.int64(3)), [2, 0], 3,
                    hints=[(lambda g: _is_error(g) and "num_classes" in g, HINT_NUMPY_INT)])
    _expect_one_hot("one_hot(np.int64(1), 3)", outcome_of(f, np.int64(1), 3), 1, 3)
    small = np.array([2, 1], dtype=np.uint8)
    _expect_one_hot("one_hot(np.array([2, 1], dtype=np.uint8), 3)", outcome_of(f, small, 3), [2, 1], 3,
                    hints=[(lambda g: _is_error(g) and "labels" in g, HINT_INTEGER_DTYPES)])


def one_hot_rejects_invalid(f) -> None:
    """ValueError naming labels for a label >= num_classes, a negative label or a non-integer label; naming
    num_classes when it is not a positive integer (or labels, where they are out of its range too)."""
    got = outcome_of(f, [0, 3], 3)
    if _raised("IndexError")(got):
        fail("one_hot([0, 3], 3)", got, "a ValueError whose message names 'labels'", HINT_UPPER)
    expect_raises(f, [0, 3], 3, call="one_hot([0, 3], 3)", names=["labels"])
    _expect_value_error(f, [1, -2], 4, call="one_hot([1, -2], 4)", name="labels", hint_if_returned=HINT_NEGATIVE)
    _expect_value_error(f, np.array([0.5, 1.0]), 3, call="one_hot([0.5, 1.0], 3)", name="labels",
                        hint_if_returned=HINT_FLOAT_LABELS)
    # with num_classes = 0 the labels are out of range too: naming either is right
    expect_raises(f, [0, 1], 0, call="one_hot([0, 1], 0)", any_of=["num_classes", "labels"])
    expect_raises(f, [0, 1], 1.5, call="one_hot([0, 1], 1.5)", names=["num_classes"])


# --- Exercise C: cross_entropy(y_true, logits, reduction='mean') ----------------------------------------------------

#: The lab's worked example: one example, logits (2.0, 1.0, 0.1), true class 0.
WORKED_LOGITS = (2.0, 1.0, 0.1)
WORKED_LOSS = float(np.log(np.sum(np.exp(WORKED_LOGITS))) - WORKED_LOGITS[0])  # log(11.213) - 2 = 0.417


def losses_for_every_class(f, z):
    """L[n, k] = cross_entropy(k, z_n, reduction='none') for every example n and class k, in one call."""
    n, k = z.shape
    call = f"cross_entropy(every class, each row of z repeated, reduction='none'), z of shape {z.shape}"
    got = value_of(f, np.tile(np.arange(k), n), np.repeat(z, k, axis=0), reduction="none")
    expect_true(np.shape(got) == (n * k,), call, got, f"an array of shape ({n * k},): one loss per example")
    return np.asarray(got, dtype=float).reshape(n, k)


_LOGITS = np.array([[2.0, 0.5, -1.0], [0.0, 3.0, 1.0], [1.0, 1.0, 4.0], [-2.0, 0.0, 2.0]])
_LABELS = np.array([0, 1, 2, 0])


def cross_entropy_indices(f) -> None:
    """Class indices: example n costs -log softmax(z_n)_{y_n}. Equal logits give q = 1/K, a loss of log K; the
    worked example costs log(e^2 + e^1 + e^0.1) - 2 = 0.417; over every possible label k of one example the
    losses L_k satisfy sum_k exp(-L_k) = 1 and L_k - L_0 = z_0 - z_k; one example (scalar label, logits (K,))
    gives one number."""
    uniform = outcome_of(f, _LABELS, np.zeros((4, 3)), reduction="none")
    expect_close("cross_entropy([0, 1, 2, 0], np.zeros((4, 3)), reduction='none')  (equal logits: q = 1/3)",
                 uniform, np.full(4, np.log(3.0)),
                 hints=[(np.full(4, np.log2(3.0)), HINT_LOG2), (np.full(4, -np.log(3.0)), HINT_SIGN),
                        (lambda g: not np.all(np.isfinite(g)), HINT_RAW_LOGITS),
                        (lambda g: np.shape(g) == (4, 3), HINT_SUM_CLASSES)])
    worked = value_of(f, 0, np.array(WORKED_LOGITS))
    call = "cross_entropy(0, np.array([2.0, 1.0, 0.1]))  (the worked example: one example, true class 0)"
    expect_true(np.ndim(worked) == 0, call, worked, "one number: a single example has one loss")
    expect_close(call, worked, WORKED_LOSS, rtol=1e-9,
                 hints=[(-WORKED_LOSS, HINT_SIGN), (WORKED_LOSS / np.log(2.0), HINT_LOG2),
                        (WORKED_LOSS / 3, HINT_MEAN_NK)])
    every = losses_for_every_class(f, _LOGITS)
    expect_close("sum over k of exp(-cross_entropy(k, z_n))  (the q_k of each example sum to 1)",
                 np.exp(-every).sum(axis=-1), np.ones(4), rtol=1e-9, hints=[(_nearly(np.ones(4)), HINT_INEXACT)])
    gaps = _LOGITS[:, :1] - _LOGITS
    expect_close("cross_entropy(k, z_n) - cross_entropy(0, z_n)  against z_n0 - z_nk", every - every[:, :1], gaps,
                 rtol=1e-9, atol=1e-12, hints=[(_nearly(gaps), HINT_INEXACT)])
    per_example = value_of(f, _LABELS, _LOGITS, reduction="none")
    expect_close("cross_entropy(labels, z, reduction='none'), z of shape (4, 3)", per_example,
                 every[np.arange(4), _LABELS], rtol=1e-12, atol=1e-12)


def cross_entropy_reductions(f) -> None:
    """'none' gives the N losses, 'sum' their sum, 'mean' (the default) their mean over the N examples; any other
    reduction raises ValueError naming reduction."""
    per_example = np.asarray(value_of(f, _LABELS, _LOGITS, reduction="none"), dtype=float)
    expect_close("cross_entropy(labels, z, reduction='sum')", value_of(f, _LABELS, _LOGITS, reduction="sum"),
                 per_example.sum(), rtol=1e-12)
    mean = value_of(f, _LABELS, _LOGITS)
    call = "cross_entropy(labels, z)  (reduction='mean', the default), z of shape (4, 3)"
    expect_true(np.ndim(mean) == 0, call, mean, "one number")
    expect_close(call, mean, per_example.mean(), rtol=1e-12,
                 hints=[(per_example.sum(), HINT_SUM_NOT_MEAN), (per_example.sum() / _LOGITS.size, HINT_MEAN_NK)])
    got = outcome_of(f, _LABELS, _LOGITS, reduction="average")
    if not _is_error(got):
        fail("cross_entropy(labels, z, reduction='average')", got, "a ValueError whose message names 'reduction'",
             HINT_UNKNOWN_REDUCTION)
    expect_raises(f, _LABELS, _LOGITS, reduction="average", call="cross_entropy(labels, z, reduction='average')",
                  names=["reduction"])


def cross_entropy_probabilities(f) -> None:
    """Labels of the logits' shape are class probabilities: one-hot rows give the same losses as the indices, and
    soft labels the mixture CE(y, z) = sum_k y_k CE(k, z). A zero weight on a class whose logit is -inf counts 0
    (0 log 0 = 0): the loss is that of the logits without the masked class."""
    per_example = value_of(f, _LABELS, _LOGITS, reduction="none")
    got = outcome_of(f, np.eye(3)[_LABELS], _LOGITS, reduction="none")
    expect_close("cross_entropy(np.eye(3)[labels], z, reduction='none')  (the same labels as one-hot rows)", got,
                 per_example, rtol=1e-10, atol=1e-12, hints=[(_is_error, HINT_PROBS_AS_INDICES)])
    soft = np.array([[0.7, 0.2, 0.1], [0.0, 0.5, 0.5], [0.25, 0.25, 0.5], [0.1, 0.0, 0.9]])
    every = losses_for_every_class(f, _LOGITS)
    got = outcome_of(f, soft, _LOGITS, reduction="none")
    expect_close("cross_entropy(soft labels, z, reduction='none')  against sum_k y_k cross_entropy(k, z)", got,
                 np.sum(soft * every, axis=-1), rtol=1e-10, atol=1e-12,
                 hints=[(_is_error, HINT_PROBS_AS_INDICES), (lambda g: np.shape(g) == (4, 3), HINT_SUM_CLASSES)])
    got = outcome_of(f, np.array([0.5, 0.5, 0.0]), _LOGITS[0])
    expect_close("cross_entropy([0.5, 0.5, 0.0], z[0])  (one example, a soft label)", got,
                 0.5 * every[0, 0] + 0.5 * every[0, 1], rtol=1e-10, atol=1e-12,
                 hints=[(_is_error, HINT_PROBS_AS_INDICES)])
    masked = value_of(f, np.array([[0.0, 1.0, 0.0]]), np.array([[-np.inf, 2.0, 1.0]]), reduction="none")
    expected = value_of(f, np.array([0]), np.array([[2.0, 1.0]]), reduction="none")
    expect_close("cross_entropy([[0, 1, 0]], [[-inf, 2.0, 1.0]], reduction='none')  against "
                 "cross_entropy([0], [[2.0, 1.0]], reduction='none')", masked, expected, rtol=1e-12,
                 hints=[(lambda g: np.any(np.isnan(g)), HINT_ZERO_LOG_ZERO)])


def cross_entropy_stable(f) -> None:
    """Exact and without warnings at logits far apart, also with the label off the maximum: when one logit exceeds
    the others by 40 or more the loss is the gap max_j z_j - z_y to float64 precision (1000 at logits [1000, 0]
    with true class 1, as the lab states), and a soft label mixes the gaps."""
    hints = [(lambda g: np.any(np.isinf(g)), HINT_INF_LOSS), (lambda g: np.any(np.isnan(g)), HINT_OVERFLOW_LOSS),
             (lambda g: np.all((np.asarray(g) > 1) & (np.asarray(g) < 100)), HINT_EPS_LOSS)]
    call = "cross_entropy(1, [1000.0, 0.0])"
    got = value_of(f, 1, np.array([1000.0, 0.0]))
    expect_close(call, got, 1000.0, rtol=1e-12, hints=[(1000.0 / np.log(2.0), HINT_LOG2), *hints])
    call_quietly(call, f, 1, np.array([1000.0, 0.0]))
    far = np.array([[-500.0, 500.0, 0.0, 1.0], [800.0, -800.0, 0.0, 2.0], [0.0, 1.0, 2.0, 3.0]])
    labels = np.array([0, 2, 1])
    call = "cross_entropy([0, 2, 1], [[-500, 500, 0, 1], [800, -800, 0, 2], [0, 1, 2, 3]], reduction='none')"
    got = value_of(f, labels, far, reduction="none")
    expect_true(np.shape(got) == (3,), call, got, "an array of shape (3,)")
    expect_close(f"{call}[:2]  (the gaps 500 - (-500) and 800 - 0)", np.asarray(got)[:2], [1000.0, 800.0],
                 rtol=1e-12, hints=hints)
    expect_close(f"{call}[2]  against cross_entropy(1, [0, 1, 2, 3])", np.asarray(got)[2],
                 value_of(f, 1, far[2]), rtol=1e-12)
    call_quietly(call, f, labels, far, reduction="none")
    call = "cross_entropy([[0.5, 0.5, 0.0, 0.0]], [[-500, 500, 0, 1]], reduction='none')"
    soft = np.array([[0.5, 0.5, 0.0, 0.0]])
    got = value_of(f, soft, far[:1], reduction="none")
    expect_close(f"{call}  (half of the gap 1000, half of 0)", got, [500.0], rtol=1e-12, hints=hints)
    call_quietly(call, f, soft, far[:1], reduction="none")


def cross_entropy_label_forms(f) -> None:
    """The shape of y_true decides: (N,) holds class indices even when N = K. Lists, NumPy integer labels,
    integer and float32 logits are accepted. Invalid labels raise ValueError naming y_true: a shape that is
    neither (N,) nor (N, K), indices out of range (negative ones too) or not integers, probabilities outside
    [0, 1] or not summing to 1."""
    square = np.array([[0.5, 1.5, -1.0], [2.0, 0.0, 1.0], [-0.5, 0.5, 3.0]])
    labels = np.array([2, 0, 1])
    got = outcome_of(f, labels, square, reduction="none")
    expect_close("cross_entropy([2, 0, 1], z of shape (3, 3), reduction='none')  (N = K) against each row alone",
                 got, [value_of(f, int(y), row, reduction="none") for y, row in zip(labels, square, strict=True)],
                 rtol=1e-12, atol=1e-12, hints=[(_is_error, HINT_SQUARE), (lambda g: np.shape(g) == (3,), HINT_SQUARE)])
    rows = [[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]
    got = outcome_of(f, [2, 0], rows, reduction="none")
    expect_close("cross_entropy([2, 0], [[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]], reduction='none')  (lists)", got,
                 value_of(f, np.array([2, 0]), np.array(rows), reduction="none"), rtol=1e-12,
                 hints=[(_raised("AttributeError"), HINT_ARRAY_LIKE_LOSS)])
    expect_close("cross_entropy(np.int64(1), z[1])  against cross_entropy(1, z[1])",
                 outcome_of(f, np.int64(1), _LOGITS[1]), value_of(f, 1, _LOGITS[1]), rtol=1e-12)
    integers = np.array([[0, 3, 1], [2, 2, 5]])
    expect_close("cross_entropy([1, 2], integer logits [[0, 3, 1], [2, 2, 5]])",
                 outcome_of(f, np.array([1, 2]), integers), value_of(f, np.array([1, 2]), integers.astype(float)),
                 rtol=1e-12)
    expect_close("cross_entropy(labels, z.astype(np.float32))  against cross_entropy(labels, z)",
                 outcome_of(f, _LABELS, _LOGITS.astype(np.float32)), value_of(f, _LABELS, _LOGITS), rtol=1e-5)
    expect_raises(f, _LABELS[:, None], _LOGITS, call="cross_entropy(labels[:, None], z)  (y_true of shape (4, 1))",
                  names=["y_true"])
    expect_raises(f, np.array([1, 3]), np.zeros((2, 3)), call="cross_entropy([1, 3], np.zeros((2, 3)))",
                  names=["y_true"])
    _expect_value_error(f, np.array([2, -1]), np.zeros((2, 3)), call="cross_entropy([2, -1], np.zeros((2, 3)))",
                        name="y_true", hint_if_returned=HINT_NEGATIVE_LABEL)
    expect_raises(f, np.array([1.5, 0.0]), np.zeros((2, 3)), call="cross_entropy([1.5, 0.0], np.zeros((2, 3)))",
                  names=["y_true"])
    _expect_value_error(f, np.array([[0.3, 0.3, 0.3]]), np.zeros((1, 3)),
                        call="cross_entropy([[0.3, 0.3, 0.3]], np.zeros((1, 3)))  (probabilities summing to 0.9)",
                        name="y_true", hint_if_returned=HINT_PROBS_INVALID)
    _expect_value_error(f, np.array([[1.2, -0.2, 0.0]]), np.zeros((1, 3)),
                        call="cross_entropy([[1.2, -0.2, 0.0]], np.zeros((1, 3)))  (probabilities outside [0, 1])",
                        name="y_true", hint_if_returned=HINT_PROBS_INVALID)


# --- Exercise D: cross_entropy_grad(y_true, logits) -----------------------------------------------------------------


def _finite_differences(targets, z, step: float = 1e-6):
    """Central differences (L(z + h e_i) - L(z - h e_i)) / 2h, for every entry i of z, of the mean loss
    L(z) = mean_n [logsumexp(z_n) - sum_k y_nk z_nk] (Part C's loss for labels y that sum to 1), computed here
    with scipy so that a gradient check does not depend on the student's cross_entropy."""
    targets = np.asarray(targets, dtype=float)

    def loss(v):
        return np.mean(special.logsumexp(v, axis=-1) - np.sum(targets * v, axis=-1))

    grad = np.zeros_like(z)
    for index in np.ndindex(*z.shape):  # a loop over the entries is fine in a check
        bump = np.zeros_like(z)
        bump[index] = step
        grad[index] = (loss(z + bump) - loss(z - bump)) / (2 * step)
    return grad


def grad_matches_finite_differences(f) -> None:
    """(softmax(z_n) - 1_{y_n}) / N for class indices: each row sums to 0, and the whole equals finite differences
    of the mean loss."""
    grad = value_of(f, _LABELS, _LOGITS)
    call = "cross_entropy_grad(labels, z), z of shape (4, 3)"
    expect_true(np.shape(grad) == (4, 3), call, grad, "an array of the logits' shape (4, 3)")
    values = np.asarray(grad, dtype=float)
    expect_close(f"{call}.sum(axis=-1)", values.sum(axis=-1), np.zeros(4), atol=1e-12,
                 hints=[(lambda s: np.allclose(s, 1 / 4) or np.allclose(s, 1.0), HINT_LABELS_NOT_SUBTRACTED),
                        (lambda s: np.all(s < -0.25), HINT_WRT_PROBS)])
    numeric = _finite_differences(np.eye(3)[_LABELS], _LOGITS)
    expect_close(f"{call}  against finite differences of the mean loss", values, numeric, atol=1e-8,
                 hints=[(4 * numeric, HINT_SUM_GRAD), (-numeric, HINT_SIGN_GRAD), (numeric / 3, HINT_NK_GRAD)])


def grad_single_example(f) -> None:
    """Logits of shape (K,) with a scalar label, or a soft label of shape (K,), are one example: N = 1, and the
    gradient is softmax(z) - y."""
    z = _LOGITS[1]
    numeric = _finite_differences(np.eye(3)[1], z)
    call = "cross_entropy_grad(1, z[1])  (one example: N = 1)"
    got = value_of(f, 1, z)
    expect_true(np.shape(got) == (3,), call, got, "an array of the logits' shape (3,)")
    expect_close(call + "  against finite differences", got, numeric, atol=1e-8,
                 hints=[(numeric / 3, HINT_SINGLE_K), (-numeric, HINT_SIGN_GRAD)])
    soft = np.array([0.5, 0.5, 0.0])
    numeric = _finite_differences(soft, _LOGITS[0])
    expect_close("cross_entropy_grad([0.5, 0.5, 0.0], z[0])  (one example, a soft label) against finite differences",
                 outcome_of(f, soft, _LOGITS[0]), numeric, atol=1e-8,
                 hints=[(numeric / 3, HINT_SINGLE_K), (_is_error, HINT_PROBS_AS_INDICES)])


def gradients_for_every_class(f, z):
    """G[k] = cross_entropy_grad(np.full(N, k), z): the gradient if every example had class k."""
    return np.stack([np.asarray(value_of(f, np.full(z.shape[0], k), z), dtype=float) for k in range(z.shape[-1])])


def grad_probabilities(f) -> None:
    """Labels of the logits' shape are handled as the indices are, with y in place of the one-hot rows: one-hot
    rows give the gradient of the indices, and since (q_n - y_n) / N = sum_k y_nk (q_n - 1_k) / N for y_n summing
    to 1, a soft label gives the same mixture of the gradients of each class."""
    got = outcome_of(f, np.eye(3)[_LABELS], _LOGITS)
    expect_close("cross_entropy_grad(np.eye(3)[labels], z)  against cross_entropy_grad(labels, z)", got,
                 value_of(f, _LABELS, _LOGITS), rtol=1e-10, atol=1e-15, hints=[(_is_error, HINT_PROBS_AS_INDICES)])
    soft = np.array([[0.7, 0.2, 0.1], [0.0, 0.5, 0.5], [0.25, 0.25, 0.5], [0.1, 0.0, 0.9]])
    every = gradients_for_every_class(f, _LOGITS)  # every[k, n] = (q_n - 1_k) / N
    got = outcome_of(f, soft, _LOGITS)
    expect_close("cross_entropy_grad(soft labels, z)  against sum_k y_k cross_entropy_grad(class k, z)", got,
                 np.einsum("nk,knj->nj", soft, every), rtol=1e-10, atol=1e-15,
                 hints=[(_is_error, HINT_PROBS_AS_INDICES)])


def grad_bounded(f) -> None:
    """Finite, between -1 and 1 and without warnings at huge logits: confidently wrong, one example at [1000, 0]
    with true class 1 has the gradient (1, -1), and one at [-500, 500, 0] with true class 0 has (-1, 1, 0)."""
    hints = [(lambda g: np.any(np.isnan(g)), HINT_OVERFLOW_GRAD), (lambda g: np.any(np.isinf(g)), HINT_WRT_PROBS)]
    call = "cross_entropy_grad([1], [[1000.0, 0.0]])"
    far = value_of(f, np.array([1]), np.array([[1000.0, 0.0]]))
    expect_true(bool(np.all(np.isfinite(far)) and np.all(np.abs(far) <= 1)), call, far,
                "finite entries between -1 and 1", hints=hints)
    expect_close(call, far, [[1.0, -1.0]], atol=1e-12)
    call_quietly(call, f, np.array([1]), np.array([[1000.0, 0.0]]))
    call = "cross_entropy_grad([0], [[-500.0, 500.0, 0.0]])"
    expect_close(call, value_of(f, np.array([0]), np.array([[-500.0, 500.0, 0.0]])), [[-1.0, 1.0, 0.0]], atol=1e-12,
                 hints=hints)
    mixed = np.array([[-500.0, 500.0, 0.0, 1.0], [0.0, 1.0, 2.0, 3.0], [800.0, -800.0, 0.0, 2.0]])
    call = "cross_entropy_grad([0, 1, 2], [[-500, 500, 0, 1], [0, 1, 2, 3], [800, -800, 0, 2]])"
    got = value_of(f, np.array([0, 1, 2]), mixed)
    expect_true(bool(np.all(np.isfinite(got)) and np.all(np.abs(got) <= 1)), call, got,
                "finite entries between -1 and 1", hints=hints)
    call_quietly(call, f, np.array([0, 1, 2]), mixed)


def grad_label_forms(f) -> None:
    """As in cross_entropy: (N,) labels are indices even when N = K (the same gradient as their one-hot rows);
    lists, integer logits and NumPy integer labels are accepted; other shapes and invalid labels raise ValueError
    naming y_true."""
    square = np.array([[0.5, 1.5, -1.0], [2.0, 0.0, 1.0], [-0.5, 0.5, 3.0]])
    labels = np.array([2, 0, 1])
    expect_close("cross_entropy_grad([2, 0, 1], z of shape (3, 3))  (N = K) against the gradient of its one-hot rows",
                 outcome_of(f, labels, square), value_of(f, np.eye(3)[labels], square), rtol=1e-10, atol=1e-15,
                 hints=[(_is_error, HINT_SQUARE)])
    rows = [[0, 1, 2], [2, 1, 0]]
    expect_close("cross_entropy_grad([2, 0], [[0, 1, 2], [2, 1, 0]])  (lists, integer logits)",
                 outcome_of(f, [2, 0], rows), value_of(f, np.array([2, 0]), np.array(rows, dtype=float)), rtol=1e-12,
                 atol=1e-15,
                 hints=[(_raised("AttributeError"), HINT_ARRAY_LIKE_LOSS)])
    expect_close("cross_entropy_grad(np.int64(1), z[1])  against cross_entropy_grad(1, z[1])",
                 outcome_of(f, np.int64(1), _LOGITS[1]), value_of(f, 1, _LOGITS[1]), rtol=1e-12, atol=1e-15)
    expect_raises(f, _LABELS[:, None], _LOGITS,
                  call="cross_entropy_grad(labels[:, None], z)  (y_true of shape (4, 1))", names=["y_true"])
    expect_raises(f, np.array([1, 3]), np.zeros((2, 3)), call="cross_entropy_grad([1, 3], np.zeros((2, 3)))",
                  names=["y_true"])
    expect_raises(f, np.array([[0.5, 0.4, 0.0]]), np.zeros((1, 3)),
                  call="cross_entropy_grad([[0.5, 0.4, 0.0]], np.zeros((1, 3)))  (probabilities summing to 0.9)",
                  names=["y_true"])
