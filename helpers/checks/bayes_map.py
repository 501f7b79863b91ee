"""Visible checks of Lab 7 (07_bayes_map). Each takes the student's function as ``f``.

The hints are the module's ``HINT_*`` constants, so that a test can prove that each one is shown to some
plausible wrong answer (``tests/test_bayes_map_checks.py``). The checks test properties and the public values
the lab states; the hidden checks of the notebook compare with scipy on other values.

The Metropolis checks send small self-contained target functions (numpy only) to the student's function; while
grading they travel to the student's kernel by value (cloudpickle), so they must not refer to this module.
"""

from __future__ import annotations

import numpy as np

from helpers.feedback import expect_close, expect_raises, expect_true, matches

HINT_DENSITY_NOT_LOG = "your function returns the density, not its logarithm."
HINT_NORMALISER_MISSING = "the area is B(a, b), not 1: subtract log B(a, b), the log of the normaliser."
HINT_NORMALISER_ADDED = "the area is B(a, b)² : you added log B(a, b); subtract it."
HINT_EXPONENTS = "the exponents are a - 1 and b - 1, not a and b."
HINT_A_B_SWAPPED = "the mean is b / (a + b): p carries the exponent a - 1 and 1 - p the exponent b - 1."
HINT_ZERO_TIMES_LOG_ZERO = ("0 * log 0 is nan in numpy: where an exponent a - 1 or b - 1 is 0 its term must be exactly "
                            "0 (scipy.special.xlogy(a - 1, p) and xlog1py(b - 1, -p) do this).")
HINT_CLIPPED = "clipping p replaces the exact -inf, +inf or log b at p = 0 and p = 1 by ordinary numbers."
HINT_OUTSIDE = "outside [0, 1] the density is 0: return -inf there (np.log of a negative number is nan)."
HINT_GAMMA_OVERFLOW = ("Γ(a) overflows float64 for a above 171 (inf / inf is nan): use log-gamma "
                       "(scipy.special.gammaln or betaln), never Γ or B themselves.")
HINT_NUMBER_FOR_NUMBER = ("the result has the shape of p, so a number p gives a number (a 0-d array): "
                          "np.atleast_1d changes the shape.")

HINT_PRIOR_MISSING = "add the prior's a and b to the counts: with no flips the posterior is the prior Beta(a, b)."
HINT_MINUS_ONE = "the posterior parameters are a + n₁ and b + n₀, with no - 1 (the - 1 belongs to the mode)."
HINT_HEADS_TAILS_SWAPPED = "a counts the heads (ones), b the tails (zeros): one head adds 1 to a."
HINT_EVERY_ELEMENT = "every element of flips is one flip: n₀ = flips.size - n₁, not len(flips) - n₁."

HINT_POSTERIOR_MEAN = ("that is the posterior mean (a + n₁) / (a + b + n); the mode subtracts 1 from each parameter: "
                       "(a + n₁ - 1) / (a + b + n - 2).")
HINT_MLE = "that is the MLE n₁ / n: the prior is missing."
HINT_PRIOR_MODE = "that is the prior's mode (a - 1) / (a + b - 2): the flips are missing."
HINT_MAP_SWAPPED = "a goes with the heads n₁ and b with the tails n₀; you swapped them."
HINT_OUTSIDE_UNIT = ("the formula (a + n₁ - 1) / (a + b + n - 2) leaves [0, 1] here: the posterior has no interior "
                     "mode; it is highest at p = 0 when a + n₁ <= 1, at p = 1 when b + n₀ <= 1.")
HINT_CLIPPED_MODE = ("clipping the formula to [0, 1] puts the MAP at the wrong end here: decide by which posterior "
                     "parameter is at most 1.")

HINT_LAMBDA_SWAPPED = "λ = noise_sigma² / prior_sigma², not prior_sigma² / noise_sigma²."
HINT_LAMBDA_UNSQUARED = "square both: λ = noise_sigma² / prior_sigma² (sigmas are standard deviations)."
HINT_LEAST_SQUARES = "that is least squares: the Gaussian prior adds λ I to XᵀX."
HINT_LAMBDA_OVER_N = ("your λ is divided by n (the form for the mean squared error); on the sum of squares, which "
                      "this exercise uses, λ = noise_sigma² / prior_sigma².")
HINT_WIDE_PRIOR = "a wide prior (large prior_sigma) must give a small λ = noise_sigma² / prior_sigma²."
HINT_INVERSE = ("the weights nearly solve the system but leave a residual far above rounding: multiplying by an "
                "inverse amplifies rounding errors; use np.linalg.solve(A, Xᵀy) instead.")

HINT_INCLUDES_X0 = "return the n states after the n steps, without x0 itself."
HINT_SAME_SEED = "draw every random number from the rng you are given: rng.standard_normal(), then rng.random()."
HINT_ORDER = "draw the standard normal (the proposal) first, then the uniform (the test), at every step."
HINT_ALL_AT_ONCE = "draw one standard normal and then one uniform per step, in turn, not all the proposals first."
HINT_STEP_IGNORED = "the proposal is x + step * z: multiply the standard normal by step."
HINT_NEVER_MOVES_FLAT = ("with log_density 0 everywhere every proposal must be accepted (log u < 0 always holds): "
                         "is your test the wrong way round?")
HINT_TOO_FEW = "a rejected proposal repeats the current state: the chain has one state per step, n in all."
HINT_UNDERFLOW = ("exp(log_density) underflows to 0.0 here (e^-1000), so p(x') / p(x) is 0 / 0: compare log u "
                  "with log_density(x') - log_density(x).")
HINT_REVERSED = "accept when u < p(x') / p(x), not when u > p(x') / p(x)."
HINT_U_AGAINST_LOG = "compare log u with the log ratio (or u with the ratio itself), not u with the log ratio."
HINT_ALWAYS_ACCEPT = "a proposal is accepted with probability min(1, p(x') / p(x)), not always."
HINT_LEAVES_SUPPORT = "a proposal whose log-density is -inf (outside the support) must always be rejected."
HINT_SKIPPED_U = ("draw u at every step, also for a proposal that is certain to be rejected: the order of draws is "
                  "fixed, one standard normal then one uniform per step.")


def _beta_function(a: float, b: float) -> float:
    """B(a, b) = Γ(a) Γ(b) / Γ(a + b), for the small integers these checks use."""
    from math import gamma

    return gamma(a) * gamma(b) / gamma(a + b)


# --- Exercise A: beta_log_pdf(p, a, b) -----------------------------------------------------------------------------


def beta_is_log_density(f) -> None:
    """exp(f(p, 2, 5)) over [0, 1] has area 1 and mean a / (a + b) = 2/7; Beta(1, 1) is uniform: f(0.5, 1, 1) = 0."""
    grid = np.linspace(0.0, 1.0, 20001)
    a, b = 2.0, 5.0
    log_density = np.asarray(f(grid, a, b), dtype=float)
    expect_true(log_density.shape == grid.shape, "beta_log_pdf(np.linspace(0, 1, 20001), 2, 5)", log_density,
                "an array of shape (20001,): one log-density per p")
    density = np.exp(log_density)
    area = np.trapezoid(density, grid)
    normaliser = _beta_function(a, b)
    expect_close("area under exp(beta_log_pdf(p, 2, 5)) for p in [0, 1]", area, 1.0, rtol=1e-6, hints=[
        (lambda _: np.isclose(np.trapezoid(log_density, grid), 1.0, rtol=1e-6), HINT_DENSITY_NOT_LOG),
        (normaliser, HINT_NORMALISER_MISSING),
        (normaliser**2, HINT_NORMALISER_ADDED),
        (_beta_function(a + 1, b + 1) / normaliser, HINT_EXPONENTS),
    ])
    mean = np.trapezoid(grid * density, grid)
    expect_close("mean of exp(beta_log_pdf(p, 2, 5))", mean, a / (a + b), rtol=1e-6,
                 hints=[(b / (a + b), HINT_A_B_SWAPPED)])
    expect_close("beta_log_pdf([0.5], 1, 1)  (Beta(1, 1) is the uniform density)", f(np.array([0.5]), 1.0, 1.0),
                 [0.0], atol=1e-12)


def beta_exact_at_boundary(f) -> None:
    """At p = 0 the density is 0 (a > 1), b (a = 1) or unbounded (a < 1); at p = 1 likewise with b and a; it is
    0 outside [0, 1]. So log-densities -inf, log b, +inf, ... exactly."""
    boundary = [0.0, 1.0]
    cases = [((1.0, 3.0), [np.log(3.0), -np.inf]), ((0.5, 2.0), [np.inf, -np.inf]),
             ((2.0, 1.0), [-np.inf, np.log(2.0)])]
    for (a, b), expected in cases:
        expect_close(f"beta_log_pdf([0.0, 1.0], {a:g}, {b:g})", f(boundary, a, b), expected, rtol=1e-12, hints=[
            (np.exp(expected), HINT_DENSITY_NOT_LOG),
            (lambda g: np.any(np.isnan(g)), HINT_ZERO_TIMES_LOG_ZERO),
            (lambda g: np.all(np.isfinite(g)), HINT_CLIPPED),
        ])
    expect_close("beta_log_pdf([-0.5, 1.5], 2, 2)  (outside [0, 1])", f([-0.5, 1.5], 2.0, 2.0), [-np.inf, -np.inf],
                 hints=[(lambda g: True, HINT_OUTSIDE)])


def beta_stable_for_large_parameters(f) -> None:
    """Beta(300, 700), the posterior after about 1,000 flips: Γ(300) overflows float64, the log-density does not;
    exp(f) still has area 1 and mean 0.3."""
    got = f(0.3, 300, 700)
    expect_true(bool(np.all(np.isfinite(got))), "beta_log_pdf(0.3, 300, 700)", got, "a finite log-density",
                HINT_GAMMA_OVERFLOW)
    grid = np.linspace(0.0, 1.0, 20001)
    density = np.exp(np.asarray(f(grid, 300, 700), dtype=float))
    expect_close("area under exp(beta_log_pdf(p, 300, 700))", np.trapezoid(density, grid), 1.0, rtol=1e-6,
                 hints=[(lambda g: not np.isfinite(g), HINT_GAMMA_OVERFLOW)])
    expect_close("mean of exp(beta_log_pdf(p, 300, 700))", np.trapezoid(grid * density, grid), 0.3, rtol=1e-6)


def beta_inputs(f) -> None:
    """A number gives a number; lists, arrays of any shape (an empty one too), integer or float32 p; NumPy numbers
    for a and b."""
    single = f(0.5, 2.0, 3.0)
    expect_true(np.ndim(single) == 0, "beta_log_pdf(0.5, 2, 3)", single, "a single number", HINT_NUMBER_FOR_NUMBER)
    expected = [f(0.25, 2.0, 3.0), f(0.5, 2.0, 3.0)]
    expect_close("beta_log_pdf([0.25, 0.5], 2, 3)  (a list)", f([0.25, 0.5], 2.0, 3.0), expected, rtol=1e-12,
                 atol=1e-12)
    square = f(np.full((2, 3), 0.5), 2.0, 3.0)
    expect_true(np.shape(square) == (2, 3), "beta_log_pdf(np.full((2, 3), 0.5), 2, 3)", square,
                "an array of shape (2, 3), the shape of p")
    expect_close("beta_log_pdf(np.array([0, 1, 2]), np.int64(1), np.int64(3))  (integers)",
                 f(np.array([0, 1, 2]), np.int64(1), np.int64(3)), f([0.0, 1.0, 2.0], 1.0, 3.0), rtol=1e-12)
    expect_close("beta_log_pdf(0.5, np.int64(3), np.int64(2))", f(0.5, np.int64(3), np.int64(2)), f(0.5, 3.0, 2.0),
                 rtol=1e-12)
    expect_close("beta_log_pdf(np.float64(0.5), np.float64(3.0), 2)", f(np.float64(0.5), np.float64(3.0), 2),
                 f(0.5, 3.0, 2.0), rtol=1e-12)
    expect_close("beta_log_pdf(np.array([0.25, 0.5], dtype=np.float32), 2, 3)  (float32)",
                 f(np.array([0.25, 0.5], dtype=np.float32), 2.0, 3.0), expected, rtol=1e-6)
    empty = f(np.array([]), 2.0, 3.0)
    expect_true(np.shape(empty) == (0,), "beta_log_pdf(np.array([]), 2, 3)", empty, "an empty array of shape (0,)")


def beta_rejects_bad_parameters(f) -> None:
    """a <= 0 raises ValueError naming a, b <= 0 naming b; with both invalid, naming either is right."""
    expect_raises(f, 0.5, 0.0, 1.0, call="beta_log_pdf(0.5, a=0, b=1)", names=["a"])
    expect_raises(f, 0.5, 2.0, -1.0, call="beta_log_pdf(0.5, a=2, b=-1)", names=["b"])
    expect_raises(f, 0.5, -1.0, -1.0, call="beta_log_pdf(0.5, a=-1, b=-1)", any_of=["a", "b"])


# --- Exercise B: beta_bernoulli_posterior(flips, a, b) -------------------------------------------------------------


def posterior_counts(f) -> None:
    """(a + n1, b + n0): no flips leave the prior; one head adds 1 to a; updating flip by flip gives the posterior
    of all the flips at once."""
    prior = f(np.array([], dtype=int), 2.0, 3.0)
    expect_true(np.shape(prior) == (2,), "beta_bernoulli_posterior([], 2, 3)", prior, "a pair (a_post, b_post)")
    expect_close("beta_bernoulli_posterior([], 2, 3)  (no flips)", prior, (2.0, 3.0),
                 hints=[((0.0, 0.0), HINT_PRIOR_MISSING), ((1.0, 2.0), HINT_MINUS_ONE)])
    expect_close("beta_bernoulli_posterior([1], 2, 3)  (one head)", f([1], 2.0, 3.0), (3.0, 3.0),
                 hints=[((2.0, 4.0), HINT_HEADS_TAILS_SWAPPED)])
    flips = [1, 0, 1, 1, 0, 1, 1, 1]
    at_once = f(flips, 0.5, 0.5)
    state = (0.5, 0.5)
    for flip in flips:
        state = f([flip], *state)
    expect_close("beta_bernoulli_posterior applied flip by flip to [1, 0, 1, 1, 0, 1, 1, 1], from Beta(0.5, 0.5)",
                 state, at_once, rtol=1e-12)


def posterior_inputs(f) -> None:
    """Booleans, lists, arrays of any shape (every element is one flip), NumPy integers for a and b."""
    expect_close("beta_bernoulli_posterior(np.array([True, False, True]), 1, 1)  (booleans)",
                 f(np.array([True, False, True]), 1.0, 1.0), f([1, 0, 1], 1.0, 1.0), rtol=1e-12)
    grid = np.array([[1, 0, 0], [1, 1, 0]])
    expect_close("beta_bernoulli_posterior([[1, 0, 0], [1, 1, 0]], 1, 1)  (six flips)", f(grid, 1.0, 1.0),
                 f([1, 0, 0, 1, 1, 0], 1.0, 1.0), rtol=1e-12,
                 hints=[(lambda g: np.isclose(g[1], 1.0 + len(grid) - 3), HINT_EVERY_ELEMENT)])
    expect_close("beta_bernoulli_posterior([1, 1], np.int64(2), np.int64(2))", f([1, 1], np.int64(2), np.int64(2)),
                 f([1, 1], 2.0, 2.0), rtol=1e-12)


def posterior_rejects_bad_input(f) -> None:
    """A flip that is not 0 or 1 raises ValueError naming flips; a <= 0 naming a; b <= 0 naming b."""
    expect_raises(f, [0, 2], 1.0, 1.0, call="beta_bernoulli_posterior([0, 2], 1, 1)", names=["flips"])
    expect_raises(f, [0.5], 1.0, 1.0, call="beta_bernoulli_posterior([0.5], 1, 1)", names=["flips"])
    expect_raises(f, [1], 0.0, 1.0, call="beta_bernoulli_posterior([1], a=0, b=1)", names=["a"])
    expect_raises(f, [1], 1.0, -1.0, call="beta_bernoulli_posterior([1], a=1, b=-1)", names=["b"])


# --- Exercise C: bernoulli_map(flips, a, b) ------------------------------------------------------------------------


def map_is_posterior_mode(f) -> None:
    """9 heads and 3 tails under Beta(3, 5): the posterior Beta(12, 8) is highest where the derivative of its log,
    (12 - 1) / p - (8 - 1) / (1 - p), is 0."""
    flips = np.array([1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1])
    a, b, n1, n0 = 3.0, 5.0, 9, 3
    call = "bernoulli_map([1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1], 3, 5)"
    got = f(flips, a, b)
    expect_true(np.ndim(got) == 0, call, got, "a single number")
    mode = float(got)
    alpha, beta = a + n1, b + n0
    slope = (alpha - 1) / mode - (beta - 1) / (1 - mode) if 0 < mode < 1 else np.inf
    expect_true(abs(slope) < 1e-9, call, got,
                "the p in (0, 1) where d/dp log posterior = (a + n₁ - 1)/p - (b + n₀ - 1)/(1 - p) is 0", hints=[
                    (alpha / (alpha + beta), HINT_POSTERIOR_MEAN),
                    (n1 / (n1 + n0), HINT_MLE),
                    ((a - 1) / (a + b - 2), HINT_PRIOR_MODE),
                    ((b + n1 - 1) / (a + b + n1 + n0 - 2), HINT_MAP_SWAPPED),
                ])


def map_uniform_prior_is_mle(f) -> None:
    """Under the uniform prior Beta(1, 1) the MAP is the MLE n1 / n. Under Beta(10, 10) the MAP lies between the
    MLE and the prior's mode 0.5, and moves towards the MLE as the flips grow in number."""
    flips = [True, True, False, True, False]
    expect_close("bernoulli_map([True, True, False, True, False], 1, 1)", f(flips, 1.0, 1.0), 0.6, rtol=1e-12,
                 hints=[(4 / 7, HINT_POSTERIOR_MEAN)])
    expect_close("bernoulli_map([True, True, False, True, False], np.int64(1), np.int64(1))",
                 f(flips, np.int64(1), np.int64(1)), 0.6, rtol=1e-12)
    gaps = []
    for repeat in (1, 10, 100):
        many = np.tile([1, 0, 0, 1, 0, 0, 0, 1, 0, 0], repeat)  # 30% heads
        got = float(f(many, 10.0, 10.0))
        call = f"bernoulli_map({many.size} flips, 30% heads, a=10, b=10)"
        expect_true(0.3 < got < 0.5, call, got, "a value between the MLE 0.3 and the prior's mode 0.5")
        gaps.append(got - 0.3)
    expect_true(gaps[0] > gaps[1] > gaps[2] and gaps[2] < 0.005, "bernoulli_map - MLE for 10, 100, 1000 flips",
                np.array(gaps), "a gap that shrinks towards 0 as the number of flips grows")


def map_boundary(f) -> None:
    """No interior mode: the MAP is 0 when a + n1 <= 1 (the posterior density decreases), 1 when b + n0 <= 1."""
    for flips, a, b, expected, clipped in [([0, 0, 0], 0.5, 0.5, 0.0, 0.0), ([1, 1], 0.5, 0.5, 1.0, 1.0),
                                           ([0], 0.5, 0.2, 0.0, 1.0), ([1], 0.2, 0.5, 1.0, 0.0)]:
        hints = [(lambda g: np.isnan(g) or g < 0 or g > 1, HINT_OUTSIDE_UNIT)]
        if clipped != expected:
            hints.append((clipped, HINT_CLIPPED_MODE))
        expect_close(f"bernoulli_map({flips}, {a:g}, {b:g})", f(flips, a, b), expected, atol=1e-12, hints=hints)


def map_rejects_bad_input(f) -> None:
    """No flips, or a flip that is not 0 or 1, raise ValueError naming flips; a <= 0 naming a; b <= 0 naming b."""
    expect_raises(f, [], 2.0, 2.0, call="bernoulli_map([], 2, 2)  (no data)", names=["flips"])
    expect_raises(f, [0, 3], 2.0, 2.0, call="bernoulli_map([0, 3], 2, 2)", names=["flips"])
    expect_raises(f, [1], 0.0, 2.0, call="bernoulli_map([1], a=0, b=2)", names=["a"])
    expect_raises(f, [1], 2.0, 0.0, call="bernoulli_map([1], a=2, b=0)", names=["b"])


# --- Exercise D: ridge_map(X, y, noise_sigma, prior_sigma) ---------------------------------------------------------


def _regression(seed: int, n: int, d: int, noise: float):
    """(X, y): X of shape (n, d) standard normal, y = X w + noise, for some random w."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    return X, X @ rng.normal(size=d) + noise * rng.normal(size=n)


def _ridge_with(X, y, lam):
    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)


def ridge_gradient_is_zero(f) -> None:
    """At the MAP the gradient of the log posterior, Xᵀ(y - X w) / σ² - w / τ², is 0 (σ = 2, τ = 0.5)."""
    X, y = _regression(7, 30, 4, 2.0)
    sigma, tau = 2.0, 0.5
    call = "ridge_map(X, y, noise_sigma=2.0, prior_sigma=0.5), X of shape (30, 4)"
    w = f(X, y, sigma, tau)
    expect_true(np.shape(w) == (4,), call, w, "an array of shape (4,): one weight per column of X")
    w = np.asarray(w, dtype=float)
    gradient = X.T @ (y - X @ w) / sigma**2 - w / tau**2
    expect_true(bool(np.all(np.abs(gradient) < 1e-9)), call, w,
                "weights where the gradient of the log posterior, Xᵀ(y - Xw)/σ² - w/τ², is 0", hints=[
                    (_ridge_with(X, y, tau**2 / sigma**2), HINT_LAMBDA_SWAPPED),
                    (_ridge_with(X, y, sigma / tau), HINT_LAMBDA_UNSQUARED),
                    (_ridge_with(X, y, 0.0), HINT_LEAST_SQUARES),
                    (_ridge_with(X, y, sigma**2 / tau**2 / len(y)), HINT_LAMBDA_OVER_N),
                ])


def ridge_prior_width(f) -> None:
    """A wide prior (prior_sigma = 1e6) gives least squares; a narrow one (1e-6) shrinks w to 0; the weights shrink
    as prior_sigma decreases."""
    X, y = _regression(8, 40, 3, 0.3)
    least_squares = np.linalg.lstsq(X, y, rcond=None)[0]
    expect_close("ridge_map(X, y, 1.0, prior_sigma=1e6)", f(X, y, 1.0, 1e6), least_squares, rtol=1e-6, atol=1e-9,
                 hints=[(lambda g: np.all(np.abs(g) < 1e-6), HINT_WIDE_PRIOR)])
    expect_close("ridge_map(X, y, 1.0, prior_sigma=1e-6)", f(X, y, 1.0, 1e-6), np.zeros(3), atol=1e-8)
    norms = np.array([np.linalg.norm(f(X, y, 1.0, tau)) for tau in (10.0, 1.0, 0.1)])
    expect_true(bool(norms[0] > norms[1] > norms[2]), "|ridge_map(X, y, 1.0, prior_sigma)| for prior_sigma 10, 1, 0.1",
                norms, "norms that shrink with prior_sigma")


def ridge_solves_accurately(f, seed=2, n=60, d=8) -> None:
    """On an ill-conditioned X (singular values 10 down to 1e-6, so cond(XᵀX + λI) is about 1e14 with λ = 1e-12,
    prior_sigma = 1e6) a solve leaves a relative residual |(XᵀX + λI) w - Xᵀy| / (|XᵀX + λI| |w| + |Xᵀy|) at
    rounding level, below 1e-14; multiplying by an inverse leaves one hundreds of times larger."""
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.normal(size=(n, d)))
    V, _ = np.linalg.qr(rng.normal(size=(d, d)))
    X = 10.0 * (U * np.logspace(0.0, -7.0, d)) @ V.T
    y = rng.normal(size=n)
    call = f"ridge_map(X, y, 1.0, 1e6), X of shape ({n}, {d}) with cond(XᵀX) about 1e14"
    w = np.asarray(f(X, y, 1.0, 1e6), dtype=float)
    expect_true(w.shape == (d,), call, w, f"an array of shape ({d},)")

    def residual(lam):  # relative residual of the system (XᵀX + lam I) w = Xᵀy
        A, rhs = X.T @ X + lam * np.eye(d), X.T @ y
        return np.linalg.norm(A @ w - rhs) / (np.linalg.norm(A) * np.linalg.norm(w) + np.linalg.norm(rhs))

    wrong_lambda = any(residual(lam) < 1e-14 for lam in (0.0, 1e12, 1e-6, 1e-12 / n))  # what the MAP check names
    expect_true(residual(1e-12) < 1e-14, call, f"weights with relative residual {residual(1e-12):.2g}",
                "a relative residual below 1e-14",
                HINT_INVERSE if residual(1e-12) < 1e-6 and not wrong_lambda else None)


def ridge_inputs(f) -> None:
    """Lists, float32; more features than samples (d > n); no data (n = 0) gives the prior's mode w = 0; NumPy
    numbers for the sigmas."""
    X = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    y = [1.0, 2.0, 3.0]
    expect_close("ridge_map(X, y, 1.0, 1.0) with X and y lists", f(X, y, 1.0, 1.0),
                 f(np.array(X), np.array(y), 1.0, 1.0), rtol=1e-12)
    wide, target = _regression(9, 3, 6, 0.1)
    w = np.asarray(f(wide, target, 0.5, 1.0), dtype=float)
    call = "ridge_map(X, y, 0.5, 1.0), X of shape (3, 6): more weights than data"
    expect_true(w.shape == (6,), call, w, "an array of shape (6,)")
    gradient = wide.T @ (target - wide @ w) / 0.25 - w
    expect_true(bool(np.all(np.abs(gradient) < 1e-9)), call, w, "the MAP: a zero gradient of the log posterior")
    expect_close("ridge_map(np.zeros((0, 3)), np.zeros(0), 1.0, 1.0)  (no data)",
                 f(np.zeros((0, 3)), np.zeros(0), 1.0, 1.0), np.zeros(3), atol=1e-12)
    expect_close("ridge_map(X, y, np.float64(2.0), np.int64(1))", f(X, y, np.float64(2.0), np.int64(1)),
                 f(X, y, 2.0, 1.0), rtol=1e-12)
    expect_close("ridge_map(X, y, 1.0, 1.0) with X and y float32 arrays",
                 f(np.array(X, dtype=np.float32), np.array(y, dtype=np.float32), 1.0, 1.0), f(X, y, 1.0, 1.0),
                 rtol=1e-5)


def ridge_rejects_bad_input(f) -> None:
    """X not 2-D raises ValueError naming X; y not of shape (n,) naming y; sigmas <= 0 naming them."""
    X, y = _regression(10, 5, 2, 0.1)
    expect_raises(f, X, y[:, None], 1.0, 1.0, call="ridge_map(X, y of shape (5, 1), 1.0, 1.0)", names=["y"])
    expect_raises(f, X, y[:4], 1.0, 1.0, call="ridge_map(X of shape (5, 2), y of shape (4,), 1.0, 1.0)", names=["y"])
    expect_raises(f, y, y, 1.0, 1.0, call="ridge_map(X of shape (5,), y, 1.0, 1.0)", names=["X"])
    expect_raises(f, X, y, 0.0, 1.0, call="ridge_map(X, y, noise_sigma=0, prior_sigma=1)", names=["noise_sigma"])
    expect_raises(f, X, y, 1.0, -1.0, call="ridge_map(X, y, noise_sigma=1, prior_sigma=-1)", names=["prior_sigma"])


# --- Exercise E: metropolis(log_density, x0, n, step, rng) ---------------------------------------------------------


def _draws(seed: int, n: int, order: str = "normal first"):
    """The n standard normals z and n uniforms u that n steps draw from np.random.default_rng(seed), in the stated
    order (z then u at each step), or in another order a mistake uses."""
    rng = np.random.default_rng(seed)
    if order == "all at once":
        return rng.standard_normal(n), rng.random(n)
    z, u = np.empty(n), np.empty(n)
    for t in range(n):
        if order == "normal first":
            z[t], u[t] = rng.standard_normal(), rng.random()
        else:
            u[t], z[t] = rng.random(), rng.standard_normal()
    return z, u


def _first_difference(got, expected) -> int | None:
    """The first index where two chains differ (beyond rounding), or None."""
    differ = ~np.isclose(got, expected, rtol=1e-12, atol=1e-12)
    return int(np.argmax(differ)) if differ.any() else None


def chain_draw_order(f, x0=0.25, n=40, step=0.5, seed=3) -> None:
    """Flat target (log_density 0: every proposal is accepted): the chain is x0 + step * (z_1 + ... + z_t), z_t the
    standard normal drawn first at step t, before that step's uniform; the same seed gives the same chain."""

    def flat(x):
        return 0.0

    call = f"metropolis(lambda x: 0.0, x0={x0}, n={n}, step={step}, rng=np.random.default_rng({seed}))"
    got = f(flat, x0, n, step, np.random.default_rng(seed))
    expect_true(np.shape(got) == (n,), call, got, f"an array of shape ({n},): the state after each step",
                hints=[(lambda g: np.shape(g) == (n + 1,), HINT_INCLUDES_X0)])
    again = f(flat, x0, n, step, np.random.default_rng(seed))
    expect_true(matches(got, again, rtol=0.0), call + " twice", again, "the same chain for the same seed",
                HINT_SAME_SEED)
    z, _ = _draws(seed, n)
    expect_close(call, got, x0 + step * np.cumsum(z), rtol=1e-12, atol=1e-12, hints=[
        (lambda g: np.allclose(g, x0), HINT_NEVER_MOVES_FLAT),
        (x0 + step * np.cumsum(_draws(seed, n, "uniform first")[0]), HINT_ORDER),
        (x0 + step * np.cumsum(_draws(seed, n, "all at once")[0]), HINT_ALL_AT_ONCE),
        (x0 + np.cumsum(z), HINT_STEP_IGNORED),
    ])
    more = f(flat, np.float64(x0), np.int64(3), step, np.random.default_rng(seed))
    expect_close(f"metropolis(lambda x: 0.0, np.float64({x0}), np.int64(3), {step}, rng)", more, got[:3], rtol=1e-12)
    none = f(flat, x0, 0, step, np.random.default_rng(seed))
    expect_true(np.shape(none) == (0,), f"metropolis(lambda x: 0.0, {x0}, n=0, {step}, rng)", none,
                "an empty array of shape (0,)")


def chain_accept_rule(f, x0=0.5, n=1000, step=1.5, seed=11) -> None:
    """Unnormalised standard normal target, log_density(x) = -1000 - x²/2 (its density e^-1000 ... underflows to 0).
    At each step the chain moves to x' = x + step z exactly when log u < log_density(x') - log_density(x)."""

    def target(x):
        return -1000.0 - 0.5 * x * x

    call = f"metropolis(lambda x: -1000 - x**2 / 2, x0={x0}, n={n}, step={step}, rng=np.random.default_rng({seed}))"
    got = f(target, x0, n, step, np.random.default_rng(seed))
    expect_true(np.shape(got) == (n,), call, got, f"an array of shape ({n},): the state after each step",
                hints=[(lambda g: np.ndim(g) == 1 and len(g) < n, HINT_TOO_FEW)])
    got = np.asarray(got, dtype=float)
    z, u = _draws(seed, n)
    before = np.concatenate([[x0], got[:-1]])
    proposal = before + step * z
    log_ratio = target(proposal) - target(before)
    accept = np.log(u) < log_ratio
    expected = np.where(accept, proposal, before)
    t = _first_difference(got, expected)
    if t is None:
        return
    moved = ~np.isclose(got, before, rtol=1e-12, atol=1e-12)
    verdict = "accepted" if accept[t] else "rejected"
    expect_true(False, call, f"state {float(got[t])!r} after step {t + 1}",
                f"state {float(expected[t])!r}: from x = {before[t]:.6g} the proposal x' = {proposal[t]:.6g} has "
                f"log u = {np.log(u[t]):.4g} and log ratio = {log_ratio[t]:.4g}, so it is {verdict}",
                hints=[(lambda _: not moved.any(), HINT_UNDERFLOW),
                       (lambda _: moved.all(), HINT_ALWAYS_ACCEPT),
                       (lambda _: np.array_equal(moved, np.log(u) > log_ratio), HINT_REVERSED),
                       (lambda _: np.array_equal(moved, u < log_ratio), HINT_U_AGAINST_LOG)])


def chain_stays_in_support(f, x0=0.5, n=1000, step=0.8, seed=5) -> None:
    """Uniform target on (0, 1): log_density 0 inside, -inf outside. A proposal outside is always rejected and a
    uniform is still drawn at that step, so the chain moves to x + step z exactly when that lies inside."""

    def uniform(x):
        return 0.0 if 0.0 < x < 1.0 else -np.inf

    call = f"metropolis(uniform on (0, 1), x0={x0}, n={n}, step={step}, rng=np.random.default_rng({seed}))"
    got = f(uniform, x0, n, step, np.random.default_rng(seed))
    expect_true(np.shape(got) == (n,), call, got, f"an array of shape ({n},)",
                hints=[(lambda g: np.ndim(g) == 1 and len(g) < n, HINT_TOO_FEW)])
    got = np.asarray(got, dtype=float)
    expect_true(bool(np.all((got > 0) & (got < 1))), call, got, "every state inside (0, 1), the support",
                HINT_LEAVES_SUPPORT)
    z, _ = _draws(seed, n)
    before = np.concatenate([[x0], got[:-1]])
    proposal = before + step * z
    expected = np.where((proposal > 0) & (proposal < 1), proposal, before)
    skipped = np.random.default_rng(seed)  # the chain of a mistake: no uniform drawn for a rejected proposal
    x, skipping = x0, np.empty(n)
    for i in range(n):
        candidate = x + step * skipped.standard_normal()
        if 0 < candidate < 1:
            skipped.random()
            x = candidate
        skipping[i] = x
    expect_close(call, got, expected, rtol=1e-12, atol=1e-12, hints=[(skipping, HINT_SKIPPED_U)])


def chain_rejects_bad_input(f) -> None:
    """n not a non-negative integer raises ValueError naming n; step <= 0 naming step; an x0 outside the support
    (log_density(x0) = -inf) naming x0."""

    def flat(x):
        return 0.0

    def uniform(x):
        return 0.0 if 0.0 < x < 1.0 else -np.inf

    rng = np.random.default_rng(0)
    expect_raises(f, flat, 0.0, -1, 0.5, rng, call="metropolis(flat, 0.0, n=-1, step=0.5, rng)", names=["n"])
    expect_raises(f, flat, 0.0, 2.5, 0.5, rng, call="metropolis(flat, 0.0, n=2.5, step=0.5, rng)", names=["n"])
    expect_raises(f, flat, 0.0, 10, 0.0, rng, call="metropolis(flat, 0.0, n=10, step=0.0, rng)", names=["step"])
    expect_raises(f, uniform, 1.5, 10, 0.5, rng, call="metropolis(uniform on (0, 1), x0=1.5, n=10, step=0.5, rng)",
                  names=["x0"])
