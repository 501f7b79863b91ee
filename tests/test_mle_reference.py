"""Lab 2 (02_mle) against independent references: the solution's functions against scipy (Bernoulli and
Gaussian log-probabilities, fits, numerical optimisation), scikit-learn (class priors, StandardScaler) and
exact arithmetic (``statistics``, float128) on many inputs, and every number the lab states or prints."""

import re
import statistics
import time

import numpy as np
import pytest
from course import (
    grade_cells,
    markdown_text,
    notebook_path,
    read_notebook,
    stdout_of,
)
from scipy import optimize, special, stats
from sklearn.dummy import DummyClassifier
from sklearn.preprocessing import StandardScaler

from helpers import data, likelihood_plots

LAB = "02_mle"
rng = np.random.default_rng(20260202)
TEN_FLIPS = np.array([1, 1, 0, 1, 1, 1, 0, 1, 1, 1])  # the lab's 8 heads in 10
DRAFT_GRID = np.linspace(0.01, 0.99, 100)


def scipy_log_likelihood(p, flips):
    """Sum over the flips of scipy's Bernoulli log-pmf, for each p (any shape)."""
    flips = np.asarray(flips).reshape(-1, *([1] * np.ndim(p)))
    return stats.bernoulli.logpmf(flips, p).sum(axis=0)


def binomial_log_likelihood(p, n1, n):
    """log L(p) for one particular sequence: the binomial log-pmf minus log C(n, n1)."""
    log_choose = special.gammaln(n + 1) - special.gammaln(n1 + 1) - special.gammaln(n - n1 + 1)
    return stats.binom.logpmf(n1, n, p) - log_choose


def random_flips():
    for size, p in [(1, 0.5), (9, 0.2), (200, 0.5), (1_000, 0.03), (3_000, 0.97)]:
        yield (rng.random(size) < p).astype(int)


# --- bernoulli_log_likelihood ---------------------------------------------------------------------------


def test_log_likelihood_matches_scipy_on_grids(solution):
    f = solution["bernoulli_log_likelihood"]
    for flips in random_flips():
        for p in (rng.uniform(0.001, 0.999, size=37), rng.uniform(0.0, 1.0, size=(4, 6)), 0.37,
                  np.array([0.0, 1e-300, 1e-12, 0.5, 1 - 1e-12, 1.0])):
            got = f(p, flips)
            expected = scipy_log_likelihood(p, flips)
            assert np.shape(got) == np.shape(p)
            np.testing.assert_allclose(got, expected, rtol=1e-11)
            np.testing.assert_allclose(got, binomial_log_likelihood(p, flips.sum(), flips.size), rtol=1e-9)


def test_log_likelihood_against_float128(solution):
    f = solution["bernoulli_log_likelihood"]
    p = rng.uniform(1e-9, 1 - 1e-9, size=500)
    n1, n0 = 12_345, 67_890
    flips = np.r_[np.ones(n1, dtype=int), np.zeros(n0, dtype=int)]
    wide = np.asarray(p, dtype=np.longdouble)
    expected = n1 * np.log(wide) + n0 * np.log1p(-wide)
    np.testing.assert_allclose(f(p, flips), expected.astype(float), rtol=1e-12)


def test_log_likelihood_exact_at_the_boundary(solution):
    f = solution["bernoulli_log_likelihood"]
    p = np.array([0.0, 1e-12, 0.5, 1.0])
    for flips in (np.zeros(5, dtype=int), np.ones(5, dtype=bool), np.array([[1, 0], [0, 0]]), []):
        got = f(p, flips)
        assert not np.any(np.isnan(got))
        np.testing.assert_array_equal(np.isneginf(got), np.isneginf(scipy_log_likelihood(p, flips)))
        np.testing.assert_allclose(got, scipy_log_likelihood(p, flips), rtol=1e-12)
    assert f(0.0, [0, 0]) == 0.0 and f(1.0, [1, 1]) == 0.0
    assert f(0.0, [1]) == -np.inf and f(1.0, [0]) == -np.inf
    # log1p: 40 tails at p = 1e-12 cost 4e-11 nats, not the 3.99991e-11 of log(1 - p)
    assert f(1e-12, np.zeros(40)) == pytest.approx(-40 * 1e-12, rel=1e-12)


def test_log_likelihood_is_fast_for_a_million_flips(solution):
    f = solution["bernoulli_log_likelihood"]
    million = data.coin_flips(1_000_000, 0.3, seed=1)
    grid = np.linspace(0.0, 1.0, 1001)
    start = time.perf_counter()
    got = f(grid, million)
    assert time.perf_counter() - start < 0.5
    n1 = million.sum()
    np.testing.assert_allclose(got, special.xlogy(n1, grid) + special.xlog1py(million.size - n1, -grid), rtol=1e-12)


@pytest.mark.parametrize(("p", "flips", "name"), [
    (0.5, [0, 1, 2], "data"), (0.5, [0.5], "data"), (0.5, [-1, 1], "data"), (0.5, [np.nan], "data"),
    (1.5, [0, 1], "p"), (-0.1, [0, 1], "p"), (np.array([0.2, 1.01]), [1], "p"),
])
def test_log_likelihood_rejects_invalid_input(solution, p, flips, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        solution["bernoulli_log_likelihood"](p, flips)


# --- bernoulli_mle --------------------------------------------------------------------------------------


def test_bernoulli_mle_maximises_scipy_likelihood(solution):
    f = solution["bernoulli_mle"]
    for flips in random_flips():
        best = optimize.minimize_scalar(lambda q, s=flips: -stats.bernoulli.logpmf(s, q).sum(), bounds=(0.0, 1.0),
                                        method="bounded", options={"xatol": 1e-12})
        assert f(flips) == pytest.approx(best.x, abs=1e-6)
        assert f(flips) == pytest.approx(flips.mean(), rel=1e-15)


def test_bernoulli_mle_matches_sklearn_class_prior(solution):
    f = solution["bernoulli_mle"]
    for flips in list(random_flips())[1:]:
        prior = DummyClassifier(strategy="prior").fit(np.zeros((flips.size, 1)), flips).class_prior_
        assert f(flips) == pytest.approx(prior[-1], rel=1e-14)


def test_bernoulli_mle_edges(solution):
    f = solution["bernoulli_mle"]
    assert f([0, 0, 0]) == 0.0 and f([True]) == 1.0
    assert f(np.array([[1, 0], [0, 0]])) == 0.25
    assert np.ndim(f(TEN_FLIPS)) == 0 and f(TEN_FLIPS) == 0.8
    for bad in ([], [0, 2], [0.5], np.zeros((0, 2))):
        with pytest.raises(ValueError, match=r"\bdata\b"):
            f(bad)


# --- grid_mle -------------------------------------------------------------------------------------------


def test_grid_mle_matches_argmax_and_scipy_optimum(solution):
    f = solution["grid_mle"]
    for flips in random_flips():
        n1, n = flips.sum(), flips.size
        grid = np.linspace(0.0, 1.0, 2001)
        got = f(lambda q, k=n1, m=n: binomial_log_likelihood(q, k, m), grid)
        assert got == grid[np.argmax(scipy_log_likelihood(grid, flips))]
        assert abs(got - n1 / n) <= 0.5 * (grid[1] - grid[0]) + 1e-15
    peaks = rng.uniform(-3, 3, size=5)
    for c in peaks:
        grid = np.sort(rng.uniform(-5, 5, size=300))
        assert f(lambda t, c=c: stats.norm.logpdf(t, c, 0.01), grid) == grid[np.argmin(np.abs(grid - c))]


def test_grid_mle_conventions(solution):
    f = solution["grid_mle"]
    calls = []

    def counting(theta):
        calls.append(np.shape(theta))
        return -(theta**2)

    assert f(counting, np.linspace(-1, 1, 21)) == 0.0 and calls == [(21,)]
    assert f(lambda t: np.array([-1.0, 0.0, 0.0]), [1.0, 2.0, 3.0]) == 2.0  # first maximiser on ties
    assert f(lambda t: -1e4 - (t - 0.5) ** 2, np.linspace(0, 1, 11)) == 0.5  # exp would underflow
    assert f(lambda t: np.array([-np.inf, -np.inf]), [0.1, 0.2]) == 0.1
    for bad_f, grid, name in [
        (lambda t: np.where(t > 0, -t, np.nan), np.linspace(0, 1, 5), "log_likelihood"),
        (lambda t: -np.sum(t**2), np.linspace(0, 1, 5), "log_likelihood"),
        (lambda t: -(t**2), [], "grid"),
        (lambda t: -(t**2), np.ones((2, 2)), "grid"),
    ]:
        with pytest.raises(ValueError, match=rf"\b{name}\b"):
            f(bad_f, grid)


# --- gaussian_mle ---------------------------------------------------------------------------------------


def random_samples():
    for loc, scale, size in [(0.0, 1.0, 1), (0.0, 1.0, 2), (5.0, 0.1, 17), (-300.0, 40.0, 1000), (1e8, 1.0, 500)]:
        yield rng.normal(loc, scale, size=size)


def test_gaussian_mle_matches_scipy_fit_and_sklearn(solution):
    f = solution["gaussian_mle"]
    for x in random_samples():
        mu, var = f(x)
        assert isinstance(mu, float) and isinstance(var, float)
        loc, scale = stats.norm.fit(x)
        assert mu == pytest.approx(loc, rel=1e-12) and var == pytest.approx(scale**2, rel=1e-8, abs=1e-300)
        scaler = StandardScaler().fit(x.reshape(-1, 1))
        assert (mu, var) == pytest.approx((scaler.mean_[0], scaler.var_[0]), rel=1e-8)
        assert (mu, var) == pytest.approx((statistics.fmean(x), statistics.pvariance(x.tolist())), rel=1e-8)


def test_gaussian_mle_maximises_the_likelihood(solution):
    f = solution["gaussian_mle"]
    x = rng.normal(2.0, 3.0, size=25)

    def negative_log_likelihood(theta):
        return -stats.norm.logpdf(x, theta[0], np.sqrt(theta[1])).sum()

    best = optimize.minimize(negative_log_likelihood, x0=[0.0, 1.0], method="Nelder-Mead",
                             options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 10_000})
    np.testing.assert_allclose(f(x), best.x, rtol=1e-6)
    n = x.size
    # the unbiased s² is exactly n / (n - 1) times the MLE, and has a lower likelihood
    assert statistics.variance(x.tolist()) / f(x)[1] == pytest.approx(n / (n - 1), rel=1e-12)
    assert negative_log_likelihood(f(x)) < negative_log_likelihood((f(x)[0], statistics.variance(x.tolist())))


def test_gaussian_mle_edges(solution):
    f = solution["gaussian_mle"]
    x = rng.normal(size=(4, 6))
    assert f(x) == pytest.approx((statistics.fmean(x.ravel()), statistics.pvariance(x.ravel().tolist())), rel=1e-12)
    assert f([1, 2, 3, 4]) == (2.5, 1.25)
    assert f([5.0]) == (5.0, 0.0)
    x32 = rng.normal(size=100).astype(np.float32)
    assert f(x32) == pytest.approx((statistics.fmean(x32.tolist()), statistics.pvariance(x32.tolist())), rel=1e-6)
    for bad in ([], np.zeros((0, 3))):
        with pytest.raises(ValueError, match=r"\bx\b"):
            f(bad)


# --- the lab's structure --------------------------------------------------------------------------------


def test_points_add_up():
    nb = read_notebook(notebook_path(LAB))
    points = {gid: cell.metadata.nbgrader["points"] for gid, cell in grade_cells(nb).items()}
    text = markdown_text(nb)
    assert f"**Total: {sum(points.values())} points.**" in text
    for part, exercise in [("A", "bernoulli_log_likelihood"), ("B", "bernoulli_mle"), ("C", "grid_mle"),
                           ("D", "gaussian_mle")]:
        assert f"## Part {part} " in text and f"### Exercise {part} ({points['test_' + exercise]} points)" in text


# --- every number the lab prints ------------------------------------------------------------------------


NUMBER = r"\s*([-+]?(?:\d[\d,]*\.?\d*(?:[eE][-+]?\d+)?|inf))"


def after(executed, cell_id: str, label: str, occurrence: int = 0) -> float:
    """The number a demo cell printed right after ``label`` (its ``occurrence``-th appearance)."""
    text = stdout_of(executed, cell_id)
    found = re.findall(re.escape(label) + NUMBER, text)
    assert len(found) > occurrence, f"{label!r} not followed by a number in:\n{text}"
    return float(found[occurrence].replace(",", ""))


def test_demo_underflow(executed):
    flips = data.coin_flips(2_000, 0.8, seed=0)
    cell = "demo-underflow"
    assert after(executed, cell, "") == 2000 and after(executed, cell, "flips,") == flips.sum()
    assert after(executed, cell, "largest product of probabilities on the grid:") == 0.0
    assert after(executed, cell, "picks p =") == DRAFT_GRID[0] == 0.01
    flip_number = int(after(executed, cell, "from flip number"))
    # the log of the running product, from scipy, passes below the log of the smallest float64 there
    cumulative = np.cumsum(stats.bernoulli.logpmf(flips, 0.8))
    floor = np.log(np.finfo(float).smallest_subnormal)
    assert cumulative[flip_number - 1] < floor < cumulative[flip_number - 2] + 1.0
    assert np.prod(np.where(flips == 1, 0.8, 0.2)[:flip_number - 1]) > 0.0


def test_demo_log_fixes(executed):
    flips = data.coin_flips(2_000, 0.8, seed=0)
    reference = scipy_log_likelihood(DRAFT_GRID, flips)
    cell = "demo-log-fixes"
    assert after(executed, cell, "largest log-likelihood on the grid:") == pytest.approx(reference.max(), abs=0.005)
    assert after(executed, cell, "picks p =") == pytest.approx(DRAFT_GRID[np.argmax(reference)], abs=5e-5)


def test_demo_posterior(executed):
    cell = "demo-posterior"
    area = after(executed, cell, "area under L(p):")
    assert area == pytest.approx(special.beta(9, 3), abs=5e-6) and special.beta(9, 3) == pytest.approx(1 / 495)
    assert after(executed, cell, "posterior mode", 0) == pytest.approx((9 - 1) / (9 + 3 - 2), abs=5e-4)
    assert after(executed, cell, "mean", 0) == pytest.approx(stats.beta(9, 3).mean(), abs=5e-4)
    assert after(executed, cell, "posterior mode", 1) == pytest.approx((10 - 1) / (10 + 4 - 2), abs=5e-4)
    assert after(executed, cell, "mean", 1) == pytest.approx(stats.beta(10, 4).mean(), abs=5e-4)


def test_demo_consistency(executed):
    cell = "demo-consistency"
    for i, n in enumerate((10, 100, 10_000, 1_000_000)):
        flips = data.coin_flips(n, 0.3, seed=2)
        prior = DummyClassifier(strategy="prior").fit(np.zeros((n, 1)), flips).class_prior_[1]
        assert after(executed, cell, "n =", i) == n
        assert after(executed, cell, "p_hat =", i) == pytest.approx(prior, abs=5e-5)
    assert after(executed, cell, "three tails: p_hat =") == 0.0
    assert after(executed, cell, "log-likelihood of one head then:") == -np.inf
    assert stats.bernoulli.logpmf(1, 0.0) == -np.inf


def test_demo_grid(executed):
    cell = "demo-grid"
    assert "0.8 in the draft grid: False" in stdout_of(executed, cell) and not np.any(DRAFT_GRID == 0.8)
    draft = after(executed, cell, "grid_mle, draft grid:")
    assert draft == DRAFT_GRID[np.argmax(scipy_log_likelihood(DRAFT_GRID, TEN_FLIPS))]
    assert draft == pytest.approx(0.8019, abs=5e-5)
    assert after(executed, cell, "grid_mle, linspace(0, 1, 101):") == 0.8 and 0.8 in np.linspace(0.0, 1.0, 101)
    assert after(executed, cell, "closed form n1 / n:") == 0.8
    flips = data.coin_flips(2_000, 0.8, seed=0)
    assert after(executed, cell, "2,000 flips, draft grid:") == DRAFT_GRID[
        np.argmax(scipy_log_likelihood(DRAFT_GRID, flips))]
    assert after(executed, cell, "closed form:") == flips.mean()


def test_demo_gaussian_fit(executed):
    heights = np.random.default_rng(4).normal(170.0, 8.0, size=10)
    loc, scale = stats.norm.fit(heights)
    s2 = statistics.variance(heights.tolist())
    cell = "demo-gaussian-fit"
    assert after(executed, cell, "mu_hat =") == pytest.approx(loc, abs=5e-4)
    assert after(executed, cell, "var_hat =") == pytest.approx(scale**2, abs=5e-4)
    assert after(executed, cell, "n - 1 estimate =") == pytest.approx(s2, abs=5e-4)
    assert after(executed, cell, "/ var_hat =") == pytest.approx(10 / 9, abs=5e-5)
    assert after(executed, cell, "log-likelihood at var_hat:") == pytest.approx(
        stats.norm.logpdf(heights, loc, scale).sum(), abs=5e-5)
    assert after(executed, cell, "at the n - 1 estimate:") == pytest.approx(
        stats.norm.logpdf(heights, loc, np.sqrt(s2)).sum(), abs=5e-5)
    best = optimize.minimize_scalar(lambda v: -stats.norm.logpdf(heights, loc, np.sqrt(v)).sum(), bounds=(20, 200),
                                    method="bounded", options={"xatol": 1e-9})
    assert after(executed, cell, "grid_mle over var:") == pytest.approx(best.x, abs=0.01)


def test_demo_bias(executed):
    samples = np.random.default_rng(4).normal(0.0, 1.0, size=(4_000, 5))
    mle = StandardScaler().fit(samples.T).var_  # one biased variance per data set
    cell = "demo-bias"
    average = after(executed, cell, "average MLE variance:")
    assert average == pytest.approx(mle.mean(), abs=5e-4)
    assert abs(average - 4 / 5) < 0.03  # (n - 1)/n = 0.8, up to sampling noise
    assert "(true variance 1, (n - 1)/n = 0.8)" in stdout_of(executed, cell)
    assert after(executed, cell, "average after times n / (n - 1):") == pytest.approx(mle.mean() * 5 / 4, abs=5e-4)


# --- every claim the markdown makes ---------------------------------------------------------------------


def test_markdown_claims():
    text = markdown_text(read_notebook(notebook_path(LAB)))
    assert "`0.1 ** 1000 == 0.0`" in text and 0.1**1000 == 0.0
    assert "4.9 \\times 10^{-324}" in text and np.finfo(float).smallest_subnormal == pytest.approx(4.9e-324, rel=0.01)
    assert "1/495 \\approx 0.00202" in text
    assert special.beta(9, 3) == pytest.approx(1 / 495, rel=1e-12) and round(1 / 495, 5) == 0.00202
    assert stats.beta(9, 3).mean() == pytest.approx(0.75) and stats.beta(10, 4).mean() != pytest.approx(0.75)
    assert "$0.98 / 99 \\approx 0.0099$" in text and round(0.98 / 99, 4) == 0.0099
    assert "returns 0.8019" in text
    assert "exactly $10/9 = 1.1111$" in text
    assert "a factor close to 1" in text
    assert "`np.argmax` returns the position of the first `nan`" in text
    assert np.argmax([1.0, np.nan, 2.0, np.nan]) == 1
    # libraries: np.var divides by n by default, statistics.variance by n - 1, statistics.pvariance by n
    x = [1.0, 2.0, 4.0, 7.0]
    assert np.var(x) == statistics.pvariance(x) == pytest.approx(np.sum((np.array(x) - 3.5) ** 2) / 4)
    assert statistics.variance(x) == pytest.approx(np.sum((np.array(x) - 3.5) ** 2) / 3)
    # "the likelihood of p = 0.8 is 0.0067" (check-your-understanding question 1): 8 heads in 10
    assert "is 0.0067" in text
    assert np.exp(stats.bernoulli.logpmf(TEN_FLIPS, 0.8).sum()) == pytest.approx(0.0067, abs=5e-5)
    # Bernoulli derivation: the derivative n1/p - n0/(1 - p) vanishes at n1 / n (scipy's numerical derivative)
    n1, n0 = 8, 2
    slope = optimize.approx_fprime([0.8], lambda q: stats.binom.logpmf(n1, n1 + n0, q[0]), 1e-8)[0]
    assert slope == pytest.approx(0.0, abs=1e-5)


def test_widget_claim_underflow_between_1400_and_1500_flips():
    """'at p = 0.8 the product underflows to 0.0 everywhere somewhere between 1,400 and 1,500 flips, where the
    peak log-likelihood, about -0.5 nats per flip, falls below about -745' (the widget's flips: seed 0)."""
    text = markdown_text(read_notebook(notebook_path(LAB)))
    assert "between 1,400 and 1,500 flips" in text and "about $-745$" in text
    grid = likelihood_plots.P_GRID

    def largest_product(n):
        flips = data.coin_flips(n, 0.8, seed=0)
        return np.prod(np.where(flips[:, None] == 1, grid, 1 - grid), axis=0).max()

    first_zero = next(n for n in range(1_300, 1_700) if largest_product(n) == 0.0)
    assert 1_400 <= first_zero <= 1_500
    peak = scipy_log_likelihood(grid, data.coin_flips(first_zero, 0.8, seed=0)).max()
    assert -746.0 < peak < -744.0
    assert stats.bernoulli.entropy(0.8) == pytest.approx(0.5, abs=0.001)  # nats per flip at the peak


# --- the claims added for the examiners' review ---------------------------------------------------------------


def test_demo_binomial(executed):
    """'this exact sequence' against '8 heads in any order': the C(10, 8) = 45 factor, and the same argmax."""
    cell = "demo-binomial"
    sequence = np.exp(stats.bernoulli.logpmf(TEN_FLIPS, 0.8).sum())
    assert after(executed, cell, "at p = 0.8: this sequence") == pytest.approx(sequence, abs=5e-6)
    assert after(executed, cell, "8 heads in any order") == pytest.approx(stats.binom.pmf(8, 10, 0.8), abs=5e-6)
    assert after(executed, cell, "C(10, 8) =") == special.comb(10, 8, exact=True) == 45
    assert after(executed, cell, "argmax over p: this sequence") == after(executed, cell, "any order", 1) == 0.8
    p = np.linspace(0.0, 1.0, 1001)
    assert p[np.argmax(stats.binom.pmf(8, 10, p))] == pytest.approx(0.8)


def test_binomial_text():
    text = markdown_text(read_notebook(notebook_path(LAB)))
    assert "$0.8^8 \\cdot 0.2^2 \\approx 0.0067$" in text and "$\\binom{10}{8} = 45$ times that, about 0.302" in text
    assert 0.8**8 * 0.2**2 == pytest.approx(0.0067, abs=5e-5)
    assert stats.binom.pmf(8, 10, 0.8) == pytest.approx(0.302, abs=5e-4)
    assert stats.binom.pmf(8, 10, 0.8) / (0.8**8 * 0.2**2) == pytest.approx(45)


def test_demo_timing(executed):
    """The counted log-likelihood against a loop over the flips: same values, and the loop much slower (a loose
    bound: the ratio printed varies with the machine and its load)."""
    cell = "demo-timing"
    assert "same values: True" in stdout_of(executed, cell)
    assert after(executed, cell, "the loop takes") > 10


def test_log1p_claims():
    """'np.log(1 - 1e-12) is -9.99978e-13, wrong from the fifth digit, where np.log1p(-1e-12) gives
    -1.0000000000005e-12', against 50-digit decimal arithmetic on the float64 value of 1e-12."""
    from decimal import Decimal, localcontext

    text = markdown_text(read_notebook(notebook_path(LAB)))
    assert "$-9.99978 \\times 10^{-13}$" in text and "$-1.0000000000005 \\times 10^{-12}$" in text
    with localcontext() as context:
        context.prec = 50
        exact = float((1 - Decimal(1e-12)).ln())
    assert np.log1p(-1e-12) == pytest.approx(exact, rel=1e-15) and f"{np.log1p(-1e-12):.13e}" == "-1.0000000000005e-12"
    assert f"{np.log(1 - 1e-12):.5e}" == "-9.99978e-13"
    assert abs(np.log(1 - 1e-12) / exact - 1) > 1e-5  # wrong from the fifth digit
    # the visible check: 40 tails at p = 1e-12
    assert 40 * np.log1p(-1e-12) == pytest.approx(-4e-11, rel=1e-9, abs=0.0)
    assert 40 * np.log(1 - 1e-12) != pytest.approx(-4e-11, rel=1e-9, abs=0.0)


def test_beta_claims():
    """The Beta(a, b) density, mean a / (a + b) and mode (a - 1)/(a + b - 2), against scipy; the lab's numbers."""
    text = markdown_text(read_notebook(notebook_path(LAB)))
    p = np.linspace(0.0, 1.0, 100_001)
    for a, b in [(9, 3), (10, 4), (2, 2), (1.5, 7.0)]:
        density = p ** (a - 1) * (1 - p) ** (b - 1) / special.beta(a, b)
        np.testing.assert_allclose(density, stats.beta.pdf(p, a, b), rtol=1e-9, atol=1e-12)
        assert stats.beta.mean(a, b) == pytest.approx(a / (a + b))
        assert p[np.argmax(stats.beta.pdf(p, a, b))] == pytest.approx((a - 1) / (a + b - 2), abs=1e-5)
    np.testing.assert_allclose(stats.beta.pdf(p, 2, 2), 6 * p * (1 - p), atol=1e-12)
    np.testing.assert_allclose(stats.beta.pdf(p, 1, 1), 1.0)
    assert "$8/10 = 0.8$" in text and "$9/12 = 0.75$" in text and "$10/14 \\approx 0.714$" in text
    assert stats.beta.mean(9, 3) == 9 / 12 and round(stats.beta.mean(10, 4), 3) == 0.714
    # Beta(2, 2) prior times p^8 (1 - p)^2 is proportional to p^9 (1 - p)^3: Beta(10, 4)
    posterior = stats.beta.pdf(p, 2, 2) * p**8 * (1 - p) ** 2
    np.testing.assert_allclose(posterior / np.trapezoid(posterior, p), stats.beta.pdf(p, 10, 4), atol=1e-6)
    # the Beta distribution is defined before the lab first names it
    first_use = text.index("Beta$(")
    assert text.index("**The Beta distribution.**") < first_use


def test_sample_variance_means_s_squared():
    """'Sample variance' is s^2 (n - 1) in this lab, as in the whole course: every sentence that says it names s^2
    or says that the MLE variance is not it."""
    text = markdown_text(read_notebook(notebook_path(LAB)))
    sentences = re.split(r"(?<=[.;:])\s+", text)
    saying = [s for s in sentences if "sample variance" in s]
    assert saying
    for sentence in saying:
        assert "s^2" in sentence or "not the sample variance" in sentence, sentence


def test_pytorch_variance_claims(torch):
    """'torch.var (correction=1) divides by n - 1'; 'PyTorch's batch normalisation normalises with the biased
    variance (divides by n) and keeps the unbiased one in its running average'."""
    text = markdown_text(read_notebook(notebook_path(LAB)))
    assert "`torch.var` (`correction=1`)" in text
    assert "normalises with the biased variance (divides by $n$) and keeps the unbiased\none in its running" in text
    x = rng.normal(3.0, 2.0, size=(64, 1))
    tensor = torch.tensor(x)
    assert torch.var(tensor).item() == pytest.approx(statistics.variance(x.ravel().tolist()), rel=1e-12)
    assert torch.var(tensor, correction=0).item() == pytest.approx(statistics.pvariance(x.ravel().tolist()),
                                                                   rel=1e-12)
    norm = torch.nn.BatchNorm1d(1, momentum=1.0, affine=False, eps=1e-12, dtype=torch.float64)
    out = norm.train()(tensor).detach().numpy()
    np.testing.assert_allclose(out, (x - x.mean()) / np.sqrt(np.var(x) + 1e-12), rtol=1e-10)  # divides by n
    assert not np.allclose(out, (x - x.mean()) / np.sqrt(np.var(x, ddof=1)), rtol=1e-4)
    assert norm.running_var.item() == pytest.approx(np.var(x, ddof=1), rel=1e-12)  # n - 1 in the running average


def test_check_your_understanding_answers():
    """Every question has a collapsed answer; the numbers the answers state hold."""
    nb = read_notebook(notebook_path(LAB))
    (cell,) = [c for c in nb.cells if c.cell_type == "markdown" and "## Check your understanding" in c.source]
    questions = cell.source.partition("## Check your understanding")[2].partition("## Further reading")[0]
    assert len(re.findall(r"^\d\. ", questions, flags=re.M)) == questions.count("<details><summary>Answer</summary>") \
        == questions.count("</details>") == 5
    # Q3: linspace(0, 1, 11) returns 0.3 for p_hat = 0.26 (26 heads in 100); a spacing of 0.001 keeps the error
    # below 0.001 for any data, since the concave log-likelihood is maximised on the grid next to p_hat
    grid = np.linspace(0.0, 1.0, 11)
    assert grid[np.argmax(scipy_log_likelihood(grid, np.r_[np.ones(26), np.zeros(74)]))] == pytest.approx(0.3)
    fine = np.linspace(0.0, 1.0, 1001)
    for n in (7, 100, 333, 5_000):
        for n1 in rng.integers(0, n + 1, size=20):
            values = special.xlogy(n1, fine) + special.xlog1py(n - n1, -fine)
            assert abs(fine[np.argmax(values)] - n1 / n) < 0.001
    # Q4: for two observations s^2 / sigma_hat^2 = 2, sigma_hat^2 = d^2 / 4, s^2 = d^2 / 2
    x = rng.normal(size=2)
    d = x[0] - x[1]
    assert statistics.pvariance(x.tolist()) == pytest.approx(d**2 / 4)
    assert statistics.variance(x.tolist()) == pytest.approx(d**2 / 2)


def test_a_static_figure_before_the_widget():
    """A static export shows the widget's picture: the cell before the widget draws it with the same helper."""
    nb = read_notebook(notebook_path(LAB))
    index = next(i for i, c in enumerate(nb.cells) if "likelihood_explorer(" in c.source)
    before = nb.cells[index - 1]
    assert before.cell_type == "code" and "likelihood_plots.draw_likelihood_curves(" in before.source
