"""Visible checks of Lab 1 (01_distributions). Each takes the student's function as ``f``.

They test properties and the public values the lab's text states (never a value only the solution knows), and
the hint of a failure names the known mistake that produces it. The hints used again by the hidden tests are
module constants (``*_HINT``).
"""

from __future__ import annotations

import numpy as np

from helpers.feedback import call_quietly, expect_close, expect_raises, expect_true, result_or_hint

# --- Exercise A: gaussian_log_pdf(x, mu=0.0, sigma=1.0) ----------------------------------------------------------

GAUSSIAN_LISTS_HINT = ("convert x, mu and sigma with np.asarray(..., dtype=float) first: arithmetic on a Python "
                       "list does not work elementwise.")
GAUSSIAN_NUMPY_HINT = ("x, mu and sigma may be arrays: use numpy throughout (np.log, not math.log; "
                       "np.any(sigma <= 0), not `if sigma <= 0`).")
GAUSSIAN_TAILS_HINT = "np.log of an underflowed density is -inf; use the log formula."


def gaussian_is_log_density(f) -> None:
    """exp(f) on a wide grid has area 1, mean mu and standard deviation sigma; f(0) = -log(2 pi)/2.

    The area tells the missing pieces apart: without -log(sigma) it is sigma, without the 1/2 in the exponent
    it is 1/sqrt(2), with the exponent's sign flipped it is huge."""
    expect_close("gaussian_log_pdf(0.0)", f(0.0), -0.5 * np.log(2 * np.pi),
                 hints=[(1 / np.sqrt(2 * np.pi), "that is the density itself; return its logarithm.")])
    grid = np.linspace(-39.0, 41.0, 40001)
    density = np.exp(np.asarray(f(grid, mu=1.0, sigma=2.0), dtype=float))
    expect_close("area under exp(gaussian_log_pdf(x, mu=1.0, sigma=2.0))", np.trapezoid(density, grid), 1.0,
                 rtol=1e-6, hints=[
                     (2.0, "the area is sigma: the normalising term -log(sigma) is missing."),
                     (1 / np.sqrt(2.0), "the exponent is -(x - mu)^2 / (2 sigma^2): the factor 1/2 is missing."),
                     (lambda a: a > 10, "the density grows away from mu: check the sign of the exponent, "
                                        "-(x - mu)^2 / (2 sigma^2).")])
    mean = np.trapezoid(grid * density, grid)
    expect_close("mean of exp(gaussian_log_pdf(x, mu=1.0, sigma=2.0))", mean, 1.0, rtol=1e-6)
    std = np.sqrt(np.trapezoid((grid - mean) ** 2 * density, grid))
    expect_close("standard deviation of exp(gaussian_log_pdf(x, mu=1.0, sigma=2.0))", std, 2.0, rtol=1e-6,
                 hints=[(np.sqrt(2.0), "you treated sigma as the variance; sigma is the standard deviation.")])


def gaussian_finite_in_tails(f) -> None:
    """At x = 40 the density underflows to 0 but its log is -800 - log(2 pi)/2 = -800.92."""
    expect_close("gaussian_log_pdf(40.0)", f(40.0), -800.0 - 0.5 * np.log(2 * np.pi), rtol=1e-12,
                 hints=[(lambda g: np.isinf(g), GAUSSIAN_TAILS_HINT)])


def gaussian_inputs(f) -> None:
    """Numbers, lists, arrays and NumPy scalars are accepted; x, mu and sigma broadcast together. Each result is
    compared with the function's own value on plain floats."""
    expected = [f(0.5, 1.0, 0.1), f(1.5, 1.0, 0.1)]
    call = "gaussian_log_pdf([0.5, 1.5], 1.0, 0.1)  (a list)"
    got = result_or_hint(call, f, [0.5, 1.5], 1.0, 0.1, hint=GAUSSIAN_LISTS_HINT)
    expect_close(call, got, expected, rtol=1e-12, atol=1e-12)
    x = np.linspace(-1.0, 1.0, 5).reshape(1, 5)
    mu = np.array([[0.0], [0.5], [1.0], [-1.0]])
    sigma = np.array([[0.5], [1.0], [2.0], [4.0]])
    call = "gaussian_log_pdf(x, mu, sigma), x of shape (1, 5), mu and sigma (4, 1)"
    got = result_or_hint(call, f, x, mu, sigma, hint=GAUSSIAN_NUMPY_HINT)
    expect_true(np.shape(got) == (4, 5), call, got, "an array of shape (4, 5): x, mu and sigma broadcast together")
    expect_close("row 2 of " + call, np.asarray(got)[2], f(x[0], 1.0, 2.0), rtol=1e-12, atol=1e-12)
    call = "gaussian_log_pdf([0.5, 1.5], [1.0, 1.0], [0.1, 0.1])  (lists)"
    got = result_or_hint(call, f, [0.5, 1.5], [1.0, 1.0], [0.1, 0.1], hint=GAUSSIAN_LISTS_HINT)
    expect_close(call, got, expected, rtol=1e-12, atol=1e-12)
    expect_close("gaussian_log_pdf(np.int64(2), np.int64(1), np.int64(1))  (NumPy integers)",
                 f(np.int64(2), np.int64(1), np.int64(1)), f(2.0, 1.0, 1.0), rtol=1e-12, atol=1e-12)
    expect_close("gaussian_log_pdf(np.float32(0.5), np.float32(0.0), np.float32(1.0))  (float32)",
                 f(np.float32(0.5), np.float32(0.0), np.float32(1.0)), f(0.5, 0.0, 1.0), rtol=1e-6)


def gaussian_rejects_bad_sigma(f) -> None:
    """sigma <= 0 raises ValueError whose message names sigma, also when one entry of an array is bad."""
    expect_raises(f, 0.0, 0.0, 0.0, call="gaussian_log_pdf(0.0, mu=0.0, sigma=0.0)", names=["sigma"])
    expect_raises(f, 0.0, 0.0, -1.0, call="gaussian_log_pdf(0.0, mu=0.0, sigma=-1.0)", names=["sigma"])
    expect_raises(f, np.array([1.0, 2.0]), 0.0, np.array([2.0, 0.0]),
                  call="gaussian_log_pdf(np.array([1.0, 2.0]), 0.0, sigma=np.array([2.0, 0.0]))", names=["sigma"])


# --- Exercise B: bernoulli_log_pmf(k, p) --------------------------------------------------------------------------

BERNOULLI_NAN_HINT = "0 * log(0) is nan in numpy: select the log term by k, do not multiply by k."
BERNOULLI_CLIP_HINT = "clipping p replaces the exact -inf by a finite number."
BERNOULLI_LOG1P_HINT = "np.log(1 - p) rounds 1 - p to 1 when p is tiny; use np.log1p(-p)."
BERNOULLI_LISTS_HINT = ("convert k and p with np.asarray first: on Python lists, [0, 1] == 1 is a single False "
                        "and arithmetic does not work elementwise.")
BERNOULLI_BOOL_HINT = "k may be booleans: True counts as 1 and False as 0 (True == 1 in numpy)."


def bernoulli_is_log_pmf(f) -> None:
    """log P(X = k | p): log(1 - p) for k = 0, log p for k = 1. Both are negative for 0 < p < 1, the two
    probabilities sum to 1, and with p = 0.3 the outcome k = 0 is the likelier; k and p broadcast."""
    call = "bernoulli_log_pmf(np.array([0, 1]), 0.3)"
    got = f(np.array([0, 1]), 0.3)
    expect_true(np.shape(got) == (2,), call, got, "an array of shape (2,)")
    got = np.asarray(got, dtype=float)
    expect_true(bool(np.all(got < 0)), call, got, "negative numbers: logarithms of probabilities below 1",
                hints=[(lambda g: np.isclose(np.sum(g), 1.0), "these are probabilities; return their logarithms."),
                       (lambda g: np.isclose(np.sum(np.exp(-g)), 1.0),
                        "these are negative log-probabilities (the loss); return log P, without the minus sign.")])
    expect_close(f"np.exp({call}).sum()", np.exp(got).sum(), 1.0,
                 hints=[(lambda s: True, "the two outcomes' probabilities must sum to 1: each k uses exactly one "
                                         "term, log p for k = 1 or log(1 - p) for k = 0.")])
    expect_true(bool(got[0] > got[1]), call, got, "log P(X = 0) > log P(X = 1) when p = 0.3",
                "p is the probability of k = 1, so with p = 0.3 the outcome k = 0 is the likelier one.")
    call = "bernoulli_log_pmf(np.array([[0], [1]]), np.array([0.1, 0.5, 0.9]))"
    got = f(np.array([[0], [1]]), np.array([0.1, 0.5, 0.9]))
    expect_true(np.shape(got) == (2, 3), call, got, "an array of shape (2, 3): k and p broadcast together")
    expect_close(f"np.exp({call}).sum(axis=0)", np.exp(np.asarray(got, dtype=float)).sum(axis=0), [1.0, 1.0, 1.0])


def bernoulli_exact_at_boundary(f) -> None:
    """log 1 = 0 for a certain outcome, log 0 = -inf for an impossible one, at p = 0 and p = 1."""
    expect_close("bernoulli_log_pmf([1, 0, 0, 1], [1.0, 1.0, 0.0, 0.0])  (certain, impossible, certain, impossible)",
                 f(np.array([1, 0, 0, 1]), np.array([1.0, 1.0, 0.0, 0.0])), [0.0, -np.inf, 0.0, -np.inf],
                 hints=[(lambda g: np.any(np.isnan(g)), BERNOULLI_NAN_HINT),
                        (lambda g: np.all(np.isfinite(g)), BERNOULLI_CLIP_HINT)])


def bernoulli_accurate_for_tiny_p(f) -> None:
    """log(1 - p) is about -p for tiny p: np.log1p(-1e-18) is -1e-18 where np.log(1 - 1e-18) is 0.0 (the text
    states both)."""
    expect_close("bernoulli_log_pmf(0, 1e-18)", f(0, 1e-18), -1e-18, rtol=1e-6,
                 hints=[(0.0, BERNOULLI_LOG1P_HINT)])


def bernoulli_inputs(f) -> None:
    """Lists, booleans and NumPy scalars give what plain numbers give."""
    call = "bernoulli_log_pmf([0, 1], [0.3, 0.3])  (lists)"
    got = result_or_hint(call, f, [0, 1], [0.3, 0.3], hint=BERNOULLI_LISTS_HINT)
    expect_close(call, got, [f(0, 0.3), f(1, 0.3)], rtol=1e-12, hints=[(lambda g: True, BERNOULLI_LISTS_HINT)])
    call = "bernoulli_log_pmf(np.array([True, False]), 0.25)  (booleans)"
    got = result_or_hint(call, f, np.array([True, False]), 0.25, hint=BERNOULLI_BOOL_HINT)
    expect_close(call, got, [f(1, 0.25), f(0, 0.25)], rtol=1e-12, hints=[(lambda g: True, BERNOULLI_BOOL_HINT)])
    expect_close("bernoulli_log_pmf(np.int64(1), np.float32(0.3))  (NumPy numbers)",
                 f(np.int64(1), np.float32(0.3)), f(1, 0.3), rtol=1e-6)


def bernoulli_rejects_bad_input(f) -> None:
    """k outside {0, 1} raises ValueError naming k; p outside [0, 1] raises ValueError naming p."""
    expect_raises(f, 2, 0.5, call="bernoulli_log_pmf(2, 0.5)", names=["k"])
    expect_raises(f, np.array([0, 1, 2]), 0.5, call="bernoulli_log_pmf(np.array([0, 1, 2]), 0.5)", names=["k"])
    expect_raises(f, 1, 1.5, call="bernoulli_log_pmf(1, 1.5)", names=["p"])
    expect_raises(f, 0, -0.1, call="bernoulli_log_pmf(0, -0.1)", names=["p"])
    expect_raises(f, np.array([0, 1]), np.array([0.5, -0.2]),
                  call="bernoulli_log_pmf(np.array([0, 1]), np.array([0.5, -0.2]))", names=["p"])


# --- Exercise C: uniform_cdf(x, a, b) -----------------------------------------------------------------------------

UNIFORM_INF_HINT = ("0 * inf is nan: choose the branch with np.clip or np.where instead of multiplying by an "
                    "indicator such as (x > b).")
UNIFORM_LISTS_HINT = "convert x, a and b with np.asarray(..., dtype=float) first: a Python list has no arithmetic."
UNIFORM_ARRAYS_HINT = "a and b may be arrays: test them with np.any(a >= b), not with `if a >= b`."


def uniform_is_cdf(f) -> None:
    """F rises from 0 (below a) along the line (x - a) / (b - a) to 1 (above b); F(midpoint) = 1/2."""
    call = "uniform_cdf(np.linspace(-5, 5, 101), a=-1.0, b=3.0)"
    got = f(np.linspace(-5.0, 5.0, 101), -1.0, 3.0)
    expect_true(np.shape(got) == (101,), call, got, "an array of shape (101,)")
    got = np.asarray(got, dtype=float)
    expect_true(bool(np.all((got >= 0) & (got <= 1))), call, got, "values in [0, 1]: they are probabilities",
                "a CDF is 0 below a and 1 above b; clip the straight line.")
    expect_true(bool(np.all(np.diff(got) >= 0)), call, got, "a non-decreasing function of x",
                "above b the CDF stays at 1, it does not drop to 0 like the density: every value of X is <= x.")
    expect_close("uniform_cdf(-1.0, a=-1.0, b=3.0)", f(-1.0, -1.0, 3.0), 0.0, atol=1e-12)
    expect_close("uniform_cdf(1.0, a=-1.0, b=3.0)  (the midpoint)", f(1.0, -1.0, 3.0), 0.5, atol=1e-12,
                 hints=[(2 / 3, "divide by the length b - a, not by b.")])
    expect_close("uniform_cdf(100.0, a=-1.0, b=3.0)", f(100.0, -1.0, 3.0), 1.0, atol=1e-12)


def uniform_at_infinity(f) -> None:
    """F(-inf) = 0 and F(inf) = 1."""
    expect_close("uniform_cdf(np.array([-np.inf, np.inf]), 0.0, 1.0)", f(np.array([-np.inf, np.inf]), 0.0, 1.0),
                 [0.0, 1.0], hints=[(lambda g: np.any(np.isnan(g)), UNIFORM_INF_HINT)])


def uniform_inputs(f) -> None:
    """Lists and NumPy numbers give what plain floats give; x, a and b broadcast together."""
    call = "uniform_cdf([0.0, 0.5, 2.0], 0, 1)  (a list and integers)"
    got = result_or_hint(call, f, [0.0, 0.5, 2.0], 0, 1, hint=UNIFORM_LISTS_HINT)
    expect_close(call, got, [f(0.0, 0.0, 1.0), f(0.5, 0.0, 1.0), f(2.0, 0.0, 1.0)], atol=1e-12)
    expect_close("uniform_cdf(np.int64(1), np.int64(0), np.int64(4))  (NumPy integers)",
                 f(np.int64(1), np.int64(0), np.int64(4)), f(1.0, 0.0, 4.0), atol=1e-12)
    x = np.linspace(-2.0, 6.0, 5).reshape(1, 5)
    a = np.array([[-3.0], [0.0], [2.0]])
    b = np.array([[-1.0], [4.0], [10.0]])
    call = "uniform_cdf(x, a, b), x of shape (1, 5), a and b (3, 1)"
    got = result_or_hint(call, f, x, a, b, hint=UNIFORM_ARRAYS_HINT)
    expect_true(np.shape(got) == (3, 5), call, got, "an array of shape (3, 5): x, a and b broadcast together")
    expect_close("row 1 of " + call, np.asarray(got)[1], f(x[0], 0.0, 4.0), atol=1e-12)
    call = "uniform_cdf(0.5, [0.0, -1.0], [1.0, 3.0])  (lists a and b)"
    got = result_or_hint(call, f, 0.5, [0.0, -1.0], [1.0, 3.0], hint=UNIFORM_LISTS_HINT)
    expect_close(call, got, [f(0.5, 0.0, 1.0), f(0.5, -1.0, 3.0)], atol=1e-12)


def uniform_rejects_bad_interval(f) -> None:
    """a >= b (a == b included) raises ValueError whose message names a or b; for arrays, one bad pair does."""
    expect_raises(f, 0.5, 2.0, 1.0, call="uniform_cdf(0.5, a=2.0, b=1.0)", any_of=["a", "b"])
    expect_raises(f, 0.5, 1.0, 1.0, call="uniform_cdf(0.5, a=1.0, b=1.0)", any_of=["a", "b"])
    expect_raises(f, 0.5, np.array([0.0, 2.0]), np.array([1.0, 1.0]),
                  call="uniform_cdf(0.5, a=np.array([0.0, 2.0]), b=np.array([1.0, 1.0]))", any_of=["a", "b"])


# --- Exercise D: softmax(logits, axis=-1) -------------------------------------------------------------------------

SOFTMAX_ROW_MAX_HINT = ("each row needs its own maximum: subtract np.max(z, axis=axis, keepdims=True), not the "
                        "maximum of the whole batch.")
SOFTMAX_OVERFLOW_HINT = "exp(1000) overflows to inf and inf / inf is nan; subtract the maximum first."
SOFTMAX_UNDERFLOW_HINT = ("every exp(z) underflows to 0 here, so the sum is 0 and 0 / 0 is nan: subtract the "
                          "maximum first, then the largest term is e^0 = 1 and the sum is at least 1.")
SOFTMAX_LISTS_HINT = "convert the logits with np.asarray(logits, dtype=float) first: a list has no .max()."
SOFTMAX_KEEPDIMS_HINT = ("keep the reduced axis (keepdims=True) so that the maximum and the sum of each row "
                         "broadcast against the logits.")


def softmax_is_distribution(f) -> None:
    """softmax(z) is positive, sums to 1, keeps the order of the logits, is unchanged by adding a constant to
    every logit, and gives probability 0 to a logit of -inf."""
    call = "softmax([2.0, 1.0, 0.1])  (a list)"
    got = result_or_hint(call, f, [2.0, 1.0, 0.1], hint=SOFTMAX_LISTS_HINT)
    expect_true(np.shape(got) == (3,), call, got, "an array of shape (3,)")
    got = np.asarray(got, dtype=float)
    expect_true(bool(np.all(got > 0)), call, got, "positive probabilities",
                hints=[(lambda g: np.isclose(np.sum(np.exp(g)), 1.0),
                        "these are log-probabilities (a log-softmax); return their exponentials.")])
    expect_close(f"{call}.sum()", np.sum(got), 1.0, hints=[(lambda s: True, "divide the exponentials by their sum.")])
    expect_true(bool(got[0] > got[1] > got[2]), call, got, "probabilities in the same order as the logits")
    expect_close("softmax(np.array([2.0, 1.0, 0.1]) + 100)  (every logit shifted)",
                 f(np.array([2.0, 1.0, 0.1]) + 100.0), got, rtol=1e-9, atol=1e-15)
    pair = np.asarray(f(np.array([0.0, 1.0])), dtype=float)
    expect_close("softmax(np.array([0.0, -np.inf, 1.0]))  (a masked class)", f(np.array([0.0, -np.inf, 1.0])),
                 [pair[0], 0.0, pair[1]], rtol=1e-12, atol=1e-15)


def softmax_rows(f) -> None:
    """On an (N, K) batch each row sums to 1 and is shifted by its own maximum: rows [1000, 998] and [-3, -1]
    are [2, 0] + 998 and [-2, 0] - 1, so they equal softmax([2, 0]) and softmax([-2, 0])."""
    batch = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    call = "softmax(np.array([[1, 2, 3], [1, 1, 1]]))"
    got = result_or_hint(call, f, batch, hint=SOFTMAX_KEEPDIMS_HINT)
    expect_true(np.shape(got) == (2, 3), call, got, "an array of shape (2, 3)")
    expect_close(f"{call}.sum(axis=-1)", np.sum(got, axis=-1), [1.0, 1.0],
                 hints=[(lambda s: np.isclose(np.sum(s), 1.0),
                         "the rows sum to 1 / N together: take max and sum along axis with keepdims=True, "
                         "not over the whole batch.")])
    mixed = np.array([[1000.0, 998.0], [-3.0, -1.0]])
    expected = [f(np.array([2.0, 0.0])), f(np.array([-2.0, 0.0]))]
    call = "softmax(np.array([[1000.0, 998.0], [-3.0, -1.0]]))  (rows of very different scale)"
    expect_close(call, f(mixed), expected, rtol=1e-12, atol=1e-15,
                 hints=[(lambda g: np.isnan(g[0]).any(), SOFTMAX_OVERFLOW_HINT),
                        (lambda g: np.isnan(g[1]).any() or np.all(g[1] == 0), SOFTMAX_ROW_MAX_HINT)])
    call_quietly(call, f, mixed)


def softmax_any_axis(f) -> None:
    """softmax(z, axis=a) normalises along a: it equals the last-axis softmax of z with axis a moved last."""
    batch = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    expect_close("softmax(np.array([[1, 2, 3], [1, 1, 1]]), axis=0).sum(axis=0)",
                 np.sum(f(batch, axis=0), axis=0), [1.0, 1.0, 1.0],
                 hints=[(lambda s: True, "normalise along the axis you are given.")])
    z = np.arange(24.0).reshape(2, 3, 4) / 4
    call = "softmax(z, axis=1), z of shape (2, 3, 4)"
    got = result_or_hint(call, f, z, axis=1, hint=SOFTMAX_KEEPDIMS_HINT)
    expect_true(np.shape(got) == (2, 3, 4), call, got, "an array of shape (2, 3, 4)")
    expect_close(call, got, np.moveaxis(np.asarray(f(np.moveaxis(z, 1, -1)), dtype=float), -1, 1),
                 rtol=1e-12, atol=1e-15, hints=[(lambda s: True, "normalise along the axis you are given.")])


def softmax_no_overflow(f) -> None:
    """softmax([1000, 0]) is [1, 0] (the text states it) and softmax([1000, 999]) = softmax([1, 0]), with no
    warning."""
    expect_close("softmax(np.array([1000.0, 0.0]))", f(np.array([1000.0, 0.0])), [1.0, 0.0], atol=1e-15,
                 hints=[(lambda g: np.any(np.isnan(g)), SOFTMAX_OVERFLOW_HINT)])
    expect_close("softmax(np.array([1000.0, 999.0]))", f(np.array([1000.0, 999.0])), f(np.array([1.0, 0.0])),
                 rtol=1e-12, atol=1e-15, hints=[(lambda g: np.any(np.isnan(g)), SOFTMAX_OVERFLOW_HINT)])
    call_quietly("softmax(np.array([1000.0, 0.0]))", f, np.array([1000.0, 0.0]))


def softmax_no_zero_over_zero(f) -> None:
    """softmax([-1000, -1001]) = softmax([0, -1]) (adding 1000 to both logits changes nothing), with no warning:
    after subtracting the maximum the denominator is at least e^0 = 1."""
    call = "softmax(np.array([-1000.0, -1001.0]))"
    expect_close(call, f(np.array([-1000.0, -1001.0])), f(np.array([0.0, -1.0])), rtol=1e-12, atol=1e-15,
                 hints=[(lambda g: not np.any(np.asarray(g) > 0), SOFTMAX_UNDERFLOW_HINT)])
    call_quietly(call, f, np.array([-1000.0, -1001.0]))


# --- Exercise E: sample_categorical(probs, n, rng) ----------------------------------------------------------------

CATEGORICAL_NUMPY_INT_HINT = ("n may be a NumPy integer such as np.int64(3): accept it, for example with "
                              "isinstance(n, (int, np.integer)).")
CATEGORICAL_INVERSE_HINT = ("use u = rng.random(n), drawn in one call, in the order it comes: draw i is the class "
                            "k with F(k - 1) <= u[i] < F(k).")


def categorical_indices(f) -> None:
    """An integer array of shape (n,) with values in {0, ..., K - 1}; n may be a NumPy integer, and n = 0 gives an
    empty integer array."""
    probs = np.array([0.2, 0.5, 0.3])
    call = "sample_categorical([0.2, 0.5, 0.3], 1000, np.random.default_rng(0))"
    draws = f(probs, 1000, np.random.default_rng(0))
    expect_true(np.shape(draws) == (1000,), call, draws, "an array of shape (1000,)")
    expect_true(np.issubdtype(np.asarray(draws).dtype, np.integer), call, draws, "an integer array of class indices",
                "convert with .astype(int) only if you built the indices as floats; searchsorted gives integers.")
    expect_true(bool(np.all((draws >= 0) & (draws <= 2))), call, draws, "class indices 0, 1 or 2", hints=[
        (lambda d: np.min(d) >= 1 and np.max(d) == 3,
         "with side='right', searchsorted already returns the class index; do not add 1."),
        (lambda d: np.max(d) >= 3, "an index K means u was above every entry searched: search the CDF "
                                   "np.cumsum(probs), which rises to 1, not probs.")])
    call = "sample_categorical([0.2, 0.5, 0.3], np.int64(7), np.random.default_rng(0))  (a NumPy integer)"
    seven = result_or_hint(call, f, probs, np.int64(7), np.random.default_rng(0), hint=CATEGORICAL_NUMPY_INT_HINT)
    expect_true(np.shape(seven) == (7,), call, seven, "an array of shape (7,)")
    call = "sample_categorical([0.2, 0.5, 0.3], 0, np.random.default_rng(0))"
    none = result_or_hint(call, f, probs, 0, np.random.default_rng(0),
                          hint="n = 0 is valid: it asks for no draws, an empty integer array.")
    expect_true(np.shape(none) == (0,) and np.issubdtype(np.asarray(none).dtype, np.integer), call, none,
                "an empty integer array of shape (0,)")


def _frequencies(draws, classes: int) -> np.ndarray:
    draws = np.asarray(draws)
    return np.array([np.mean(draws == k) for k in range(classes)])


def categorical_frequencies(f) -> None:
    """Class k comes out with frequency close to pi_k (within 0.02 in 20,000 draws); a class of probability 0 never
    comes out."""
    probs = np.array([0.2, 0.5, 0.3])
    call = "sample_categorical([0.2, 0.5, 0.3], 20_000, np.random.default_rng(0))"
    frequencies = _frequencies(f(probs, 20_000, np.random.default_rng(0)), probs.size)
    expect_close(f"class frequencies of {call}", frequencies, probs, atol=0.02, hints=[
        (lambda q: np.allclose(q, 1 / 3, atol=0.02), "the classes come out uniform: use probs."),
        (lambda q: np.isclose(np.max(q), 1.0), "every draw is the same class: draw n uniforms, one per draw, "
                                               "with u = rng.random(n).")])
    zero_class = f([0.5, 0.0, 0.5], 5_000, np.random.default_rng(1))
    expect_true(not np.any(np.asarray(zero_class) == 1), "sample_categorical([0.5, 0.0, 0.5], 5_000, rng)",
                zero_class, "no draw of class 1, whose probability is 0")


def categorical_inverse_cdf(f) -> None:
    """The same seed gives the same draws, and draw i is the class k with F(k - 1) <= u[i] < F(k), where
    u = np.random.default_rng(seed).random(n) and F is the CDF (F(-1) = 0)."""
    probs = np.array([0.1, 0.6, 0.3])
    call = "sample_categorical([0.1, 0.6, 0.3], 50, np.random.default_rng(3))"
    draws = np.asarray(f(probs, 50, np.random.default_rng(3)))
    again = np.asarray(f(probs, 50, np.random.default_rng(3)))
    expect_true(bool(np.array_equal(draws, again)), call + " twice", again, "the same draws for the same seed",
                "draw all randomness from the rng you are given.")
    u = np.random.default_rng(3).random(50)
    cdf = np.cumsum(probs)
    below = np.concatenate([[0.0], cdf[:-1]])
    k = np.clip(draws.astype(int), 0, probs.size - 1)
    inside = (draws >= 0) & (draws < probs.size) & (below[k] <= u) & (u < cdf[k])
    expect_true(draws.shape == (50,) and bool(np.all(inside)), call, draws,
                "draw i in the CDF step of u[i], u = np.random.default_rng(3).random(50)", CATEGORICAL_INVERSE_HINT)


def categorical_rejects_bad_input(f) -> None:
    """probs not a 1-D probability vector raises ValueError naming probs; n not a non-negative integer raises
    ValueError naming n."""
    for bad in ([0.5, 0.6], [1.5, -0.5], [[0.2, 0.8]]):
        expect_raises(f, bad, 10, np.random.default_rng(0), call=f"sample_categorical({bad}, 10, rng)",
                      names=["probs"])
    for bad in (-1, 2.5):
        expect_raises(f, [0.5, 0.5], bad, np.random.default_rng(0), call=f"sample_categorical([0.5, 0.5], {bad}, rng)",
                      names=["n"])
