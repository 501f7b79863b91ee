"""Visible checks of Lab 2 (02_mle, maximum likelihood). Each takes the student's function as ``f``.

They test properties and values the lab states: the likelihood of a few flips is the product of their
probabilities, the log-likelihood is exact at p = 0 and p = 1, the MLE maximises the log-likelihood, the
variance of data does not change when the data move. Hints are written once, below, and every one is reached by
a plausible wrong answer (``tests/test_mle_checks.py``).
"""

from __future__ import annotations

import numpy as np

from helpers import data
from helpers.feedback import expect_close, expect_raises, expect_true

FOUR_FLIPS = [1, 0, 1, 1]
TEN_FLIPS = [1, 1, 0, 1, 1, 1, 0, 1, 1, 1]  # the lab's 8 heads in 10

# --- hints: each is shown for one known mistake --------------------------------------------------------------

LIKELIHOOD_ITSELF = "that is the likelihood itself; return its logarithm."
AVERAGED = "add the log-probabilities of the flips; do not average them."
SWAPPED = "p is the probability of heads (1s): heads add log p, tails log(1 - p). Did you swap them?"
ONE_NUMBER = "sum over the flips, not over the values of p: the result has the shape of p."
UNDERFLOWED = ("the product of 2,000 probabilities underflowed to 0 before the log: sum the logs (or use the "
               "counts) instead.")
CLIPPED = "do not clip p: log 0 is -inf, and that is the exact answer where the data are impossible."
ZERO_LOG_ZERO = ("0 * log 0 is nan in numpy (0 * -inf): a term whose count is 0 must add exactly 0; compute it "
                 "only when the count is > 0.")
LOG_ONE_MINUS_P = ("np.log(1 - p) loses digits for tiny p (1 - p rounds in float64); use np.log1p(-p), exact "
                   "there.")

POSTERIOR_MEAN = "(n1 + 1) / (n + 2) is the posterior mean under a flat prior, not the MLE."
DRAFT_GRID = "that is the best point of a grid that does not contain the answer: use n1 / n."
FRACTION_OF_TAILS = "that is the fraction of tails; p is the probability of heads (1s)."
NUMBER_OF_HEADS = "that is n1, the number of heads; divide by the number of flips n."
MOST_COMMON = "that is the most common outcome (the median); p_hat is the fraction of heads."
NOT_EXACT = "close, but not n1 / n exactly: use the closed form, not a search on a grid."
NO_HEADS = "with no heads, log L(p) = n0 log(1 - p) is largest at p = 0: the MLE is 0 here."

ARGMIN = "that is where the log-likelihood is smallest: use argmax, not argmin."
INDEX = "that is the index of the maximum; return the grid value at that index."
MAX_VALUE = "return the grid value where the maximum is, not the maximum itself."
EXP_UNDERFLOW = ("exp(-1000) underflows to 0.0 everywhere and argmax returns grid[0]: take the argmax of the "
                 "log-likelihood itself.")
LAST_TIE = "on ties return the first maximiser, as np.argmax does, not the last."
CONVERT_GRID = ("log_likelihood received the list itself: convert grid with np.asarray(grid, dtype=float) "
                "and pass that array.")

N_MINUS_ONE = "you divided by n - 1; the maximum-likelihood variance divides by n."
SIGMA = "you returned the standard deviation sigma; return the variance sigma**2."
ORDER = "return (mu, var) in that order."
FROM_ZERO = "measure the deviations from the mean mu, not from 0."
TOO_LARGE = "your variance is n / (n - 1) times too large: divide by n."
NOT_SIGMA = "that variance is the square root of the best one: return the variance, not sigma."
MEDIAN = "mu_hat is the mean of the data, not their median."
ONE_OBSERVATION = ("one observation: its deviation from the mean is 0, and so is the MLE variance (dividing by "
                   "n - 1 = 0 gives nan).")
ONE_PASS = "mean(x**2) - mean(x)**2 cancels catastrophically far from 0: average (x - mu)**2 instead."


# --- Exercise A: bernoulli_log_likelihood(p, data) -----------------------------------------------------------


def log_likelihood_sums_the_flips(f) -> None:
    """log L(p) = sum_i [x_i log p + (1 - x_i) log(1 - p)]: for [1, 0, 1, 1], exp(log L(p)) = p^3 (1 - p), one
    value per p; for 2,000 and a million flips it stays finite (no product underflows) and peaks at their p."""
    expect_close("bernoulli_log_likelihood(0.5, [1, 0, 1, 1])", f(0.5, FOUR_FLIPS), np.log(0.5**4), rtol=1e-12,
                 hints=[(0.5**4, LIKELIHOOD_ITSELF), (np.log(0.5), AVERAGED)])
    expect_close("bernoulli_log_likelihood(0.3, [1, 0, 1, 1])", f(0.3, FOUR_FLIPS), np.log(0.3**3 * 0.7),
                 rtol=1e-12, hints=[(np.log(0.7**3 * 0.3), SWAPPED)])
    grid = np.linspace(0.1, 0.9, 9)
    got = f(grid, FOUR_FLIPS)
    call = "bernoulli_log_likelihood(np.linspace(0.1, 0.9, 9), [1, 0, 1, 1])"
    expect_true(np.shape(got) == (9,), call, got, "an array of shape (9,): one log-likelihood per value of p",
                hint=ONE_NUMBER)
    expect_close(f"np.exp({call})", np.exp(np.asarray(got, dtype=float)), grid**3 * (1 - grid), rtol=1e-10)
    flips = data.coin_flips(2_000, 0.8, seed=0)
    got = f(grid, flips)
    expect_true(bool(np.all(np.isfinite(got))), "bernoulli_log_likelihood(np.linspace(0.1, 0.9, 9), 2,000 flips)",
                got, "9 finite log-likelihoods", hints=[(lambda g: np.all(np.isneginf(g)), UNDERFLOWED)])
    million = data.coin_flips(1_000_000, 0.3, seed=1)
    grid = np.linspace(0.05, 0.95, 19)
    got = f(grid, million)
    call = "bernoulli_log_likelihood(np.linspace(0.05, 0.95, 19), a million flips with p = 0.3)"
    expect_true(np.shape(got) == (19,) and bool(np.all(np.isfinite(got))), call, got, "19 finite log-likelihoods")
    expect_close(f"the p at which {call} is largest", grid[np.argmax(got)], 0.3, rtol=1e-9)


def log_likelihood_exact_at_the_boundary(f) -> None:
    """At p = 0 a head is impossible (log L = -inf) and n0 tails are certain (log L = 0); at p = 1 likewise
    with heads and tails swapped. A term whose count is 0 adds exactly 0, never 0 * log 0 = nan."""
    expect_close("bernoulli_log_likelihood(0.0, [1, 0])  (a head is impossible at p = 0)", f(0.0, [1, 0]), -np.inf,
                 hints=[(lambda g: np.all(np.isfinite(g)) and np.all(np.asarray(g) < 0), CLIPPED)])
    expect_close("bernoulli_log_likelihood(0.0, [0, 0, 0])  (no heads: certain at p = 0)", f(0.0, [0, 0, 0]), 0.0,
                 hints=[(lambda g: np.any(np.isnan(g)), ZERO_LOG_ZERO), (lambda g: np.all(np.isneginf(g)), SWAPPED)])
    expect_close("bernoulli_log_likelihood(1.0, [1, 1, 1])  (no tails: certain at p = 1)", f(1.0, [1, 1, 1]), 0.0)
    expect_close("bernoulli_log_likelihood(np.array([0.0, 0.5, 1.0]), [1, 1])",
                 f(np.array([0.0, 0.5, 1.0]), [1, 1]), [-np.inf, 2 * np.log(0.5), 0.0], rtol=1e-12)
    expect_close("bernoulli_log_likelihood(1.0, [1, 0])  (a tail is impossible at p = 1)", f(1.0, [1, 0]), -np.inf)


def log_likelihood_accurate_for_tiny_p(f) -> None:
    """40 tails at p = 1e-12: log L = 40 log(1 - 1e-12) = -4.0000000000002e-11 (np.log1p); np.log(1 - 1e-12)
    is -9.99978e-13, wrong from the fifth digit, because 1 - 1e-12 rounds in float64."""
    expect_close("bernoulli_log_likelihood(1e-12, 40 zeros)", f(1e-12, np.zeros(40, dtype=int)), -40 * 1e-12,
                 rtol=1e-9, hints=[(lambda g: np.isclose(g, 40 * np.log(1 - 1e-12), rtol=1e-9, atol=0.0),
                                    LOG_ONE_MINUS_P)])


def log_likelihood_inputs(f) -> None:
    """data: a list, booleans, an array of any shape (every element a flip), or empty (log 1 = 0); p: a NumPy
    float32 number or an array of any shape (the result has its shape)."""
    expected = f(0.3, FOUR_FLIPS)
    expect_close("bernoulli_log_likelihood(0.3, [[True, False], [True, True]])  (booleans, shape (2, 2))",
                 f(0.3, [[True, False], [True, True]]), expected, rtol=1e-12)
    expect_close("bernoulli_log_likelihood(0.3, np.array([1, 0, 1, 1]))  (an array)",
                 f(0.3, np.array(FOUR_FLIPS)), expected, rtol=1e-12)
    expect_close("bernoulli_log_likelihood(np.float32(0.25), [1, 0, 1, 1])", f(np.float32(0.25), FOUR_FLIPS),
                 f(0.25, FOUR_FLIPS), rtol=1e-6)
    p = np.array([[0.1, 0.2, 0.3], [0.6, 0.7, 0.8]])
    got = f(p, FOUR_FLIPS)
    expect_true(np.shape(got) == (2, 3), "bernoulli_log_likelihood(p of shape (2, 3), [1, 0, 1, 1])", got,
                "an array of shape (2, 3), the shape of p")
    expect_close("bernoulli_log_likelihood(p of shape (2, 3), [1, 0, 1, 1])[1, 2]", np.asarray(got)[1, 2],
                 f(0.8, FOUR_FLIPS), rtol=1e-12)
    expect_close("bernoulli_log_likelihood(0.3, [])  (no data: the empty product is 1, its log 0)", f(0.3, []), 0.0)


def log_likelihood_rejects_invalid_input(f) -> None:
    """An element of data other than 0 or 1 raises ValueError naming data; a p outside [0, 1] names p."""
    expect_raises(f, 0.5, [0, 1, 2], call="bernoulli_log_likelihood(0.5, [0, 1, 2])", names=["data"])
    expect_raises(f, np.array([0.2, 1.5]), [0, 1], call="bernoulli_log_likelihood(np.array([0.2, 1.5]), [0, 1])",
                  names=["p"])


# --- Exercise B: bernoulli_mle(data) -------------------------------------------------------------------------


def mle_maximises_the_likelihood(f) -> None:
    """For 8 heads in 10, log L(p) = 8 log p + 2 log(1 - p) is larger at p_hat than 1e-4 either side; and
    p_hat is n1 / n exactly: 0.8 here, 2/7 for 2 heads in 7."""
    got = f(np.array(TEN_FLIPS))
    call = "bernoulli_mle(np.array([1, 1, 0, 1, 1, 1, 0, 1, 1, 1]))"
    expect_true(np.ndim(got) == 0, call, got, "a single number")
    estimate = float(got)

    def log_l(q):
        with np.errstate(divide="ignore", invalid="ignore"):
            return 8 * np.log(q) + 2 * np.log1p(-q)

    largest = bool(np.all(log_l(estimate) > log_l(np.array([estimate - 1e-4, estimate + 1e-4]))))
    expect_true(largest, call, got, "the p at which 8 log p + 2 log(1 - p) is largest (8 heads in 10)",
                hints=[(9 / 12, POSTERIOR_MEAN), (np.linspace(0.01, 0.99, 100)[80], DRAFT_GRID),
                       (0.2, FRACTION_OF_TAILS), (8, NUMBER_OF_HEADS), (1, MOST_COMMON)])
    expect_close(call, got, 0.8, rtol=1e-12)
    seven = [1, 0, 0, 1, 0, 0, 0]
    expect_close("bernoulli_mle(np.array([1, 0, 0, 1, 0, 0, 0]))  (2 heads in 7)", f(np.array(seven)), 2 / 7,
                 rtol=1e-12, hints=[(lambda g: abs(g - 2 / 7) < 1e-2, NOT_EXACT)])


def mle_at_the_boundary(f) -> None:
    """No heads: p_hat = 0; no tails: p_hat = 1 (the maximum of log L sits at the end of [0, 1])."""
    expect_close("bernoulli_mle(np.array([0, 0, 0]))", f(np.array([0, 0, 0])), 0.0, hints=[(lambda g: True, NO_HEADS)])
    expect_close("bernoulli_mle(np.array([1, 1, 1, 1]))", f(np.array([1, 1, 1, 1])), 1.0)


def mle_inputs(f) -> None:
    """A list, booleans and arrays of any shape: every element is one flip."""
    expected = f(np.array([1, 0, 1, 1, 0]))
    expect_close("bernoulli_mle([1, 0, 1, 1, 0])  (a list)", f([1, 0, 1, 1, 0]), expected, rtol=1e-12)
    expect_close("bernoulli_mle([True, False, True, True, False])  (booleans)", f([True, False, True, True, False]),
                 expected, rtol=1e-12)
    expect_close("bernoulli_mle(np.array([[1, 0], [0, 0]]))  (all elements)", f(np.array([[1, 0], [0, 0]])),
                 f(np.array([1, 0, 0, 0])), rtol=1e-12)


def mle_rejects_invalid_data(f) -> None:
    """No data, or an element other than 0 and 1, raises ValueError naming data."""
    expect_raises(f, [], call="bernoulli_mle([])", names=["data"])
    expect_raises(f, [0, 1, 3], call="bernoulli_mle([0, 1, 3])", names=["data"])


# --- Exercise C: grid_mle(log_likelihood, grid) --------------------------------------------------------------

LINE = np.linspace(0.0, 5.0, 51)


def grid_finds_the_maximiser(f) -> None:
    """The grid value at which the log-likelihood is largest: 2 for -(theta - 2)^2, also when every value is far
    below 0 (where exp underflows)."""
    call = "grid_mle(lambda theta: -(theta - 2)**2, np.linspace(0, 5, 51))"
    got = f(lambda theta: -((theta - 2.0) ** 2), LINE)
    expect_true(np.ndim(got) == 0, call, got, "a single number: a value from the grid")
    expect_close(call, got, 2.0, hints=[(5.0, ARGMIN), (20, INDEX), (0.0, MAX_VALUE)])
    expect_close("grid_mle(lambda theta: -1000 - (theta - 3)**2, np.linspace(0, 5, 51))",
                 f(lambda theta: -1000.0 - (theta - 3.0) ** 2, LINE), 3.0, hints=[(0.0, EXP_UNDERFLOW)])


def grid_ties_and_minus_infinity(f) -> None:
    """Ties: the first maximiser (np.argmax's rule); -inf is a value like any other, and all -inf is a tie."""
    expect_close("grid_mle(lambda t: -abs(abs(t - 2) - 1), np.array([0.0, 1.0, 2.0, 3.0]))  (maxima at 1 and 3)",
                 f(lambda t: -np.abs(np.abs(t - 2.0) - 1.0), np.array([0.0, 1.0, 2.0, 3.0])), 1.0,
                 hints=[(3.0, LAST_TIE)])
    expect_close("grid_mle(lambda t: np.where((t > 0) & (t < 1), -abs(t - 0.5), -np.inf), "
                 "np.array([0.0, 0.25, 0.5, 1.0]))  (-inf at 0 and 1)",
                 f(lambda t: np.where((t > 0) & (t < 1), -np.abs(t - 0.5), -np.inf), np.array([0.0, 0.25, 0.5, 1.0])),
                 0.5)
    expect_close("grid_mle(lambda t: np.full(t.shape, -np.inf), np.array([0.1, 0.2]))  (all -inf)",
                 f(lambda t: np.full(np.shape(t), -np.inf), np.array([0.1, 0.2])), 0.1)


def grid_one_call_arrays_and_lists(f) -> None:
    """log_likelihood is called once, with the whole grid as a NumPy array; the grid may be given as a list of
    floats or of integers."""
    def whole_grid_only(theta):
        if not isinstance(theta, np.ndarray) or theta.shape != (51,):
            raise AssertionError(f"log_likelihood was called with {type(theta).__name__} of shape {np.shape(theta)}:"
                                 " call it once, with the whole grid as an array of shape (51,)")
        return -np.abs(theta - 1.0)

    expect_close("grid_mle(a log-likelihood that accepts only the whole grid, np.linspace(0, 5, 51))",
                 f(whole_grid_only, LINE), 1.0)
    for grid, call, expected in [
        ([0.25], "grid_mle(lambda t: -(t - 7)**2, [0.25])  (a list of one float)", 0.25),
        (list(range(12)), "grid_mle(lambda t: -(t - 7)**2, list(range(12)))  (a list of integers)", 7.0),
    ]:
        try:
            got = f(lambda t: -((t - 7) ** 2), grid)
        except TypeError as error:
            expect_true(False, call, f"TypeError: {error}", repr(expected), hint=CONVERT_GRID)
        expect_true(np.ndim(got) == 0, call, got, "a single number: a value from the grid")
        expect_close(call, got, expected)


def grid_rejects_a_bad_log_likelihood(f) -> None:
    """A log-likelihood that returns nan, or not one value per grid point, raises ValueError naming it."""
    expect_raises(f, lambda theta: np.where(theta > 0, -theta, np.nan), LINE,
                  call="grid_mle(a log-likelihood that is nan at theta = 0, np.linspace(0, 5, 51))",
                  names=["log_likelihood"])
    expect_raises(f, lambda theta: -np.sum(theta**2), LINE,
                  call="grid_mle(lambda theta: -np.sum(theta**2), np.linspace(0, 5, 51))  (one number)",
                  names=["log_likelihood"])


def grid_rejects_a_bad_grid(f) -> None:
    """An empty grid, or one that is not 1-D, raises ValueError naming grid."""
    expect_raises(f, lambda theta: -(theta**2), np.array([]), call="grid_mle(lambda theta: -theta**2, np.array([]))",
                  names=["grid"])
    expect_raises(f, lambda theta: -(theta**2), np.ones((3, 2)),
                  call="grid_mle(lambda theta: -theta**2, np.ones((3, 2)))", names=["grid"])


# --- Exercise D: gaussian_mle(x) -----------------------------------------------------------------------------


def gaussian_mean_and_variance(f) -> None:
    """The tuple (mean, variance dividing by n): for [1, 5], (3, 4), as the lab states."""
    got = f([1.0, 5.0])
    expect_true(isinstance(got, tuple) and len(got) == 2, "gaussian_mle([1.0, 5.0])", got, "a tuple (mu, var)")
    expect_close("gaussian_mle([1.0, 5.0])", got, (3.0, 4.0), rtol=1e-12,
                 hints=[((3.0, 8.0), N_MINUS_ONE), ((3.0, 2.0), SIGMA), ((4.0, 3.0), ORDER), ((3.0, 13.0), FROM_ZERO)])


def gaussian_maximises_the_likelihood(f) -> None:
    """For 50 draws, log L(mu, var) = -(n/2) log(2 pi var) - sum (x - mu)^2 / (2 var) is larger at
    (mu_hat, var_hat) than at its eight neighbours (mu_hat +- 1e-3, var_hat times 1 +- 1e-3)."""
    sample = np.random.default_rng(5).normal(3.0, 2.0, size=50)
    n = sample.size
    got = f(sample)
    call = "gaussian_mle(50 draws from N(3, 2**2))"
    expect_true(np.shape(got) == (2,), call, got, "two numbers (mu, var)")
    mu_hat, var_hat = (float(v) for v in got)

    def log_l(mu, var):
        with np.errstate(divide="ignore", invalid="ignore"):
            return -0.5 * n * np.log(2 * np.pi * var) - np.sum((sample - mu) ** 2) / (2 * var)

    best = log_l(mu_hat, var_hat)
    neighbours = [log_l(mu_hat + d_mu, var_hat * factor) for d_mu in (-1e-3, 0.0, 1e-3)
                  for factor in (0.999, 1.0, 1.001) if (d_mu, factor) != (0.0, 1.0)]
    expect_true(bool(best > max(neighbours)), call, got,
                "the (mu, var) at which the Gaussian log-likelihood of the sample is largest",
                hints=[(lambda g: np.isclose(g[0], np.median(sample)) and not np.isclose(g[0], np.mean(sample)),
                        MEDIAN),
                       (lambda g: np.isclose(g[1] * (n - 1), np.sum((sample - g[0]) ** 2)), TOO_LARGE),
                       (lambda g: np.isclose(g[1] ** 2 * n, np.sum((sample - g[0]) ** 2)), NOT_SIGMA)])


def gaussian_single_observation(f) -> None:
    """One observation: mu_hat is that value and var_hat = 0."""
    expect_close("gaussian_mle([5.0])", f([5.0]), (5.0, 0.0), hints=[(lambda g: np.isnan(g[1]), ONE_OBSERVATION)])


def gaussian_inputs_and_precision(f) -> None:
    """Moving every observation by 1e9 moves mu_hat by 1e9 and leaves var_hat unchanged (two passes keep it
    accurate); integers, float32 and arrays of any shape are accepted, every element one observation."""
    x = np.array([0.5, 1.5, 2.0, 4.0])
    mu, var = (float(v) for v in f(x))
    far = f(1e9 + x)
    expect_close("gaussian_mle(1e9 + np.array([0.5, 1.5, 2.0, 4.0]))  (far from 0)", far, (1e9 + mu, var),
                 rtol=1e-6, hints=[(lambda g: np.isclose(g[0], 1e9 + mu, rtol=1e-9) and abs(g[1] - var) < 1e6
                                   and not np.isclose(g[1], var, rtol=1e-3), ONE_PASS)])
    expect_close("gaussian_mle(np.array([[0.5, 1.5], [2.0, 4.0]]))  (all elements)",
                 f(x.reshape(2, 2)), (mu, var), rtol=1e-12)
    expect_close("gaussian_mle([1, 2, 3, 4])  (integers)", f([1, 2, 3, 4]), f([1.0, 2.0, 3.0, 4.0]), rtol=1e-12)
    single = np.random.default_rng(6).normal(2.0, 3.0, size=30).astype(np.float32)
    expect_close("gaussian_mle(30 float32 values)", f(single), f(single.astype(np.float64)), rtol=1e-5)


def gaussian_rejects_empty_x(f) -> None:
    """No observation, no estimate: ValueError naming x."""
    expect_raises(f, [], call="gaussian_mle([])", names=["x"])
    expect_raises(f, np.zeros((0, 3)), call="gaussian_mle(np.zeros((0, 3)))", names=["x"])
