"""Lab 7 (07_bayes_map) against independent references: the solution's graded functions against scipy (the Beta
log-density, numerical Bayes' rule, numerical optimisation of the posterior) and scikit-learn (Ridge, Lasso) on many
inputs; every number the lab states or prints, recomputed with scipy, scikit-learn or an independent Metropolis
chain; and its one statement about PyTorch against PyTorch (the ``torch`` fixture):
- ``torch.optim.SGD(params, lr, weight_decay=wd)`` adds ``wd * w`` to the gradient, so with ``nn.MSELoss()`` (a mean
  over the n samples) full-batch training converges to the ridge MAP with λ = n · wd / 2, τ² = 2σ² / (n · wd).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from course import grade_cells, markdown_text, notebook_path, read_notebook, stdout_of
from scipy import integrate, optimize, special, stats
from sklearn.linear_model import Lasso, Ridge

from helpers import data

LAB = "07_bayes_map"
rng = np.random.default_rng(20260707)
TEN_FLIPS = np.array([1, 1, 0, 1, 1, 1, 0, 1, 1, 1])  # Lab 2's 8 heads in 10


@pytest.fixture(scope="module")
def lab(solution):
    """The solution's functions, with ``special`` (scipy.special), which the lab's setup cell imports."""
    solution.setdefault("special", special)
    return solution


@pytest.fixture(scope="module")
def markdown():
    return markdown_text(read_notebook(notebook_path(LAB)))


def reference_chain(log_density, x0, n, step, seed):
    """Random-walk Metropolis as the lab states it, written independently: per step one standard normal for the
    proposal, then one uniform; move when u < exp(log_density(x') - log_density(x))."""
    generator = np.random.default_rng(seed)
    x, states = float(x0), []
    for _ in range(n):
        proposal = x + step * generator.standard_normal()
        ratio = np.exp(min(0.0, log_density(proposal) - log_density(x)))
        if generator.random() < ratio:
            x = proposal
        states.append(x)
    return np.array(states)


def beta_target(a, b):
    """log of the Beta(a, b) density from scipy, -inf outside the support."""
    return lambda x: float(stats.beta.logpdf(x, a, b))


# --- beta_log_pdf ---------------------------------------------------------------------------------------------------


def test_beta_log_pdf_matches_scipy(lab):
    f = lab["beta_log_pdf"]
    for a, b in [(1.0, 1.0), (0.5, 0.5), (2.0, 5.0), (0.3, 7.0), (1.0, 3.0), (40.0, 2.0), (300.0, 700.0)]:
        p = np.concatenate([rng.uniform(0, 1, 200), [0.0, 1e-300, 1e-12, 0.5, 1 - 1e-12, 1.0, -0.5, 1.5, -1e-9]])
        np.testing.assert_allclose(f(p, a, b), stats.beta.logpdf(p, a, b), rtol=1e-11, atol=1e-11)
    p = rng.uniform(0, 1, size=(3, 4, 5))
    assert f(p, 2.5, 3.5).shape == (3, 4, 5) and np.ndim(f(0.3, 2, 2)) == 0 and f([], 2, 2).shape == (0,)


def test_beta_log_pdf_for_huge_parameters(lab):
    """Against scipy and against the log-density from exact log-gamma values (math.lgamma)."""
    import math

    f = lab["beta_log_pdf"]
    for a, b in [(171.7, 400.0), (1e3, 3e3), (2.5e4, 7.5e4), (1e6, 1e6)]:
        p = np.array([a / (a + b), 0.01, 0.5, 0.99])
        log_b = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
        exact = (a - 1) * np.log(p) + (b - 1) * np.log1p(-p) - log_b
        np.testing.assert_allclose(f(p, a, b), exact, rtol=1e-9, atol=1e-6)
        np.testing.assert_allclose(f(p, a, b), stats.beta.logpdf(p, a, b), rtol=1e-9, atol=1e-6)
        assert np.isfinite(f(p, a, b)).all()


def test_beta_log_pdf_boundary_values_stated_in_the_lab(lab):
    f = lab["beta_log_pdf"]
    assert f(0.0, 1.0, 3.0) == pytest.approx(np.log(3.0)) and np.exp(f(0.0, 1, 3)) == pytest.approx(3.0)
    assert f(0.0, 2.0, 3.0) == -np.inf and f(1.0, 3.0, 2.0) == -np.inf
    assert f(0.0, 0.5, 0.5) == np.inf and f(1.0, 0.5, 0.5) == np.inf
    assert f(-0.1, 2, 2) == -np.inf and f(1.1, 2, 2) == -np.inf
    assert integrate.quad(lambda q: np.exp(stats.beta.logpdf(q, 0.5, 0.5)), 0, 1)[0] == pytest.approx(1.0)
    for name, a, b in [("a", 0.0, 1.0), ("b", 1.0, -1.0)]:
        with pytest.raises(ValueError, match=rf"\b{name}\b"):
            f(0.5, a, b)


# --- beta_bernoulli_posterior ---------------------------------------------------------------------------------------


def test_posterior_is_bayes_rule_by_quadrature(lab):
    """The posterior parameters agree with likelihood x prior normalised by numerical integration, and the evidence
    with B(a + n1, b + n0) / B(a, b)."""
    f = lab["beta_bernoulli_posterior"]
    for n, p, a, b in [(10, 0.8, 2.0, 2.0), (40, 0.3, 0.5, 0.5), (7, 0.5, 5.0, 1.0)]:
        flips = data.coin_flips(n, p, seed=n)
        a_post, b_post = f(flips, a, b)

        def joint(q, flips=flips, a=a, b=b):
            return np.exp(stats.bernoulli.logpmf(flips, q).sum() + stats.beta.logpdf(q, a, b))

        evidence = integrate.quad(joint, 0, 1, epsabs=0, epsrel=1e-12)[0]
        for q in (0.1, 0.37, 0.5, 0.81):
            assert joint(q) / evidence == pytest.approx(stats.beta.pdf(q, a_post, b_post), rel=1e-8)
        assert evidence == pytest.approx(np.exp(special.betaln(a_post, b_post) - special.betaln(a, b)), rel=1e-8)


def test_posterior_counts_and_sequential_updates(lab):
    f = lab["beta_bernoulli_posterior"]
    flips = rng.random(500) < 0.4
    assert f(flips, 1.5, 2.5) == pytest.approx((1.5 + flips.sum(), 2.5 + (~flips).sum()))
    state = (1.5, 2.5)
    for chunk in np.array_split(flips, 7):
        state = f(chunk, *state)
    assert state == pytest.approx(f(flips, 1.5, 2.5), rel=1e-15)
    assert f([], 3.0, 4.0) == (3.0, 4.0)


# --- bernoulli_map ---------------------------------------------------------------------------------------------------


def test_map_maximises_the_scipy_posterior(lab):
    f = lab["bernoulli_map"]
    for n, p, a, b in [(10, 0.8, 2.0, 2.0), (100, 0.3, 5.0, 5.0), (3, 0.5, 1.5, 8.0), (1000, 0.9, 0.7, 0.7)]:
        flips = data.coin_flips(n, p, seed=n + 1)
        a_post, b_post = a + flips.sum(), b + n - flips.sum()
        best = optimize.minimize_scalar(lambda q, s=(a_post, b_post): -stats.beta.logpdf(q, *s), bounds=(0, 1),
                                        method="bounded", options={"xatol": 1e-12})
        assert f(flips, a, b) == pytest.approx(best.x, abs=1e-6)


def test_map_at_the_boundary_maximises_the_scipy_posterior_on_a_grid(lab):
    f = lab["bernoulli_map"]
    grid = np.linspace(0, 1, 100_001)
    for flips, a, b in [([0, 0, 0], 0.5, 0.5), ([1, 1], 0.5, 0.5), ([0], 0.5, 0.2), ([1], 0.2, 0.5), ([1], 0.5, 0.5),
                        ([0, 0], 1.0, 0.5), ([1, 1, 1], 1.0, 1.0)]:
        n1 = sum(flips)
        density = stats.beta.logpdf(grid, a + n1, b + len(flips) - n1)
        assert f(flips, a, b) == grid[np.argmax(density)]


def test_map_with_a_flat_prior_is_the_mle_and_a_weighted_average_otherwise(lab):
    f = lab["bernoulli_map"]
    for n in (1, 5, 50, 5000):
        flips = data.coin_flips(n, 0.35, seed=n)
        assert f(flips, 1.0, 1.0) == pytest.approx(flips.mean(), rel=1e-12)
        a, b = 4.0, 7.0
        weight = n / (n + a + b - 2)
        assert f(flips, a, b) == pytest.approx(weight * flips.mean() + (1 - weight) * (a - 1) / (a + b - 2), rel=1e-12)
    with pytest.raises(ValueError, match=r"\bflips\b"):
        f([], 2.0, 2.0)


def test_posterior_mean_minimises_expected_squared_error():
    posterior = stats.beta(10, 4)
    best = optimize.minimize_scalar(lambda c: integrate.quad(lambda q: (q - c) ** 2 * posterior.pdf(q), 0, 1)[0],
                                    bounds=(0, 1), method="bounded", options={"xatol": 1e-10})
    assert best.x == pytest.approx(posterior.mean(), abs=1e-7) and posterior.mean() == pytest.approx(10 / 14)


def test_map_of_the_logit_is_the_posterior_mean():
    """The density of eta = logit(p) is Beta(p(eta)) * p (1 - p); its peak, mapped back, is alpha / (alpha + beta)."""
    for alpha, beta in [(10.0, 4.0), (2.5, 7.0), (30.0, 30.0)]:
        best = optimize.minimize_scalar(
            lambda eta, s=(alpha, beta): -(stats.beta.logpdf(special.expit(eta), *s) + special.log_expit(eta)
                                           + special.log_expit(-eta)), bracket=(-3, 3), tol=1e-12)
        assert special.expit(best.x) == pytest.approx(alpha / (alpha + beta), abs=1e-7)
        assert stats.beta(alpha, beta).mean() == pytest.approx(alpha / (alpha + beta))


# --- ridge_map -------------------------------------------------------------------------------------------------------


def test_ridge_map_is_sklearn_ridge_on_the_sum_of_squares(lab):
    f = lab["ridge_map"]
    for n, d, sigma, tau in [(30, 4, 2.0, 0.5), (200, 10, 0.3, 1.5), (5, 12, 1.0, 1.0), (1, 3, 0.1, 10.0)]:
        X = rng.normal(size=(n, d))
        y = X @ rng.normal(size=d) + sigma * rng.normal(size=n)
        lam = sigma**2 / tau**2
        ridge = Ridge(alpha=lam, fit_intercept=False, solver="svd").fit(X, y)
        np.testing.assert_allclose(f(X, y, sigma, tau), ridge.coef_, rtol=1e-8, atol=1e-12)


def test_ridge_on_the_mean_squared_error_needs_lambda_over_n(lab):
    """Minimising (1/n)|y - Xw|² + (λ/n)|w|² numerically gives the MAP; (1/n)|y - Xw|² + λ|w|² does not."""
    f = lab["ridge_map"]
    X = rng.normal(size=(40, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + rng.normal(size=40)
    lam = 4.0

    def mean_form(penalty):
        result = optimize.minimize(lambda w: np.mean((y - X @ w) ** 2) + penalty * w @ w, np.zeros(3), method="BFGS",
                                   options={"gtol": 1e-12})
        return result.x

    np.testing.assert_allclose(mean_form(lam / 40), f(X, y, 2.0, 1.0), atol=1e-6)
    assert not np.allclose(mean_form(lam), f(X, y, 2.0, 1.0), atol=1e-3)


def test_ridge_map_is_the_mode_of_the_gaussian_posterior(lab):
    """The log posterior, scipy's Gaussian log-likelihood plus log-prior, is largest at the MAP."""
    f = lab["ridge_map"]
    X = rng.normal(size=(25, 3))
    y = X @ rng.normal(size=3) + 0.7 * rng.normal(size=25)

    def negative_log_posterior(w):
        return -(stats.norm.logpdf(y, X @ w, 0.7).sum() + stats.norm.logpdf(w, 0.0, 0.4).sum())

    best = optimize.minimize(negative_log_posterior, np.zeros(3), method="BFGS", options={"gtol": 1e-10})
    np.testing.assert_allclose(f(X, y, 0.7, 0.4), best.x, atol=1e-6)


def test_a_solve_beats_an_inverse_by_hundreds_on_the_labs_designs():
    """The designs of the check "a solve, not an inverse": the residual of np.linalg.inv is at least 100 times
    np.linalg.solve's, and solve's is at rounding level."""
    for seed, n, d in [(2, 60, 8), (4, 80, 6)]:
        generator = np.random.default_rng(seed)
        U, _ = np.linalg.qr(generator.normal(size=(n, d)))
        V, _ = np.linalg.qr(generator.normal(size=(d, d)))
        X = 10.0 * (U * np.logspace(0.0, -7.0, d)) @ V.T
        y = generator.normal(size=n)
        A, rhs = X.T @ X + 1e-12 * np.eye(d), X.T @ y
        assert 1e13 < np.linalg.cond(A) < 1e15

        def residual(w, A=A, rhs=rhs):
            return np.linalg.norm(A @ w - rhs) / (np.linalg.norm(A) * np.linalg.norm(w) + np.linalg.norm(rhs))

        solved, inverted = residual(np.linalg.solve(A, rhs)), residual(np.linalg.inv(A) @ rhs)
        assert solved < 1e-15 and inverted > 100 * solved and inverted > 1e-14


def test_laplace_prior_is_the_lasso_with_lambda1_two_sigma_squared_over_s():
    """The MAP under a Laplace(0, s) prior (scipy's log-densities, minimised numerically) is sklearn's Lasso with
    alpha = λ1 / (2n), λ1 = 2σ²/s; on an orthonormal design it is the soft threshold of z = Qᵀy at λ1/2."""
    X = rng.normal(size=(60, 3))
    y = X @ np.array([1.5, 0.0, -0.7]) + 0.5 * rng.normal(size=60)
    sigma, s = 0.5, 0.05
    lam1 = 2 * sigma**2 / s

    def negative_log_posterior(w):
        return -(stats.norm.logpdf(y, X @ w, sigma).sum() + stats.laplace.logpdf(w, 0.0, s).sum())

    lasso = Lasso(alpha=lam1 / (2 * len(y)), fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y)
    best = optimize.minimize(negative_log_posterior, lasso.coef_ + 0.01, method="Powell",
                             options={"xtol": 1e-10, "ftol": 1e-14, "maxiter": 100_000})
    np.testing.assert_allclose(best.x, lasso.coef_, atol=1e-5)
    Q, _ = np.linalg.qr(rng.normal(size=(50, 4)))
    y_q = Q @ np.array([2.0, -1.2, 0.3, -0.1]) + 0.1 * rng.normal(size=50)
    z = Q.T @ y_q
    lasso_q = Lasso(alpha=1.0 / (2 * 50), fit_intercept=False, tol=1e-14, max_iter=100_000).fit(Q, y_q)
    np.testing.assert_allclose(lasso_q.coef_, np.sign(z) * np.maximum(np.abs(z) - 0.5, 0), atol=1e-8)


def test_pytorch_weight_decay_is_a_gaussian_prior(lab, torch):
    """SGD's weight_decay adds wd * w to the gradient; with MSELoss (mean) full-batch SGD converges to
    ridge_map with λ = n wd / 2, i.e. prior_sigma = sqrt(2 σ² / (n wd)) for noise_sigma = σ."""
    n, d, wd, lr = 50, 3, 0.02, 0.1
    X = rng.normal(size=(n, d))
    y = X @ np.array([1.0, -0.5, 2.0]) + rng.normal(size=n)
    Xt, yt = torch.tensor(X), torch.tensor(y)
    w = torch.zeros(d, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr, weight_decay=wd)
    loss_fn = torch.nn.MSELoss()
    before = w.detach().clone() + 0.3
    with torch.no_grad():
        w.copy_(before)
    loss_fn(Xt @ w, yt).backward()
    gradient = w.grad.detach().clone()
    optimizer.step()
    np.testing.assert_allclose(w.detach().numpy(), (before - lr * (gradient + wd * before)).numpy(), rtol=1e-14)
    for _ in range(5000):
        optimizer.zero_grad()
        loss_fn(Xt @ w, yt).backward()
        optimizer.step()
    sigma = 1.3
    tau = np.sqrt(2 * sigma**2 / (n * wd))
    np.testing.assert_allclose(w.detach().numpy(), lab["ridge_map"](X, y, sigma, tau), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(w.detach().numpy(), Ridge(alpha=n * wd / 2, fit_intercept=False).fit(X, y).coef_,
                               rtol=1e-9)


# --- metropolis ------------------------------------------------------------------------------------------------------


def test_metropolis_is_the_stated_chain(lab):
    f = lab["metropolis"]
    targets = [(beta_target(9, 3), 0.5, 3000, 0.3, 1), (lambda x: -1000 - x * x / 2, 0.0, 2000, 1.7, 2),
               (lambda x: float(stats.norm.logpdf(x, 3.0, 0.5)), -4.0, 1000, 0.4, 3)]
    for target, x0, n, step, seed in targets:
        np.testing.assert_allclose(f(target, x0, n, step, np.random.default_rng(seed)),
                                   reference_chain(target, x0, n, step, seed), rtol=1e-12, atol=1e-12)


def test_metropolis_samples_the_target(lab):
    """After burn-in and thinning to nearly independent states, a Kolmogorov-Smirnov test does not reject Beta(10, 4);
    and the chain never leaves (0, 1)."""
    chain = lab["metropolis"](beta_target(10, 4), 0.5, 60_000, 0.25, np.random.default_rng(11))
    assert np.all((chain > 0) & (chain < 1))
    thinned = chain[2_000::20]
    assert stats.kstest(thinned, stats.beta(10, 4).cdf).pvalue > 0.01
    assert thinned.mean() == pytest.approx(10 / 14, abs=0.01)


def test_metropolis_rejects_invalid_arguments(lab):
    f = lab["metropolis"]
    for (x0, n, step), name in [((0.5, -1, 0.1), "n"), ((0.5, 1.5, 0.1), "n"), ((0.5, 10, 0.0), "step"),
                                ((2.0, 10, 0.1), "x0")]:
        with pytest.raises(ValueError, match=rf"\b{name}\b"):
            f(beta_target(2, 2), x0, n, step, np.random.default_rng(0))


# --- the lab's structure and the numbers it states --------------------------------------------------------------------


def test_points_add_up(markdown):
    nb = read_notebook(notebook_path(LAB))
    points = {gid: cell.metadata.nbgrader["points"] for gid, cell in grade_cells(nb).items()}
    assert sum(points.values()) == 14 and "**Total: 14 points.**" in markdown
    for part, exercise in [("A", "beta_log_pdf"), ("B", "beta_bernoulli_posterior"), ("C", "bernoulli_map"),
                           ("D", "ridge_map"), ("E", "metropolis")]:
        assert f"### Exercise {part} ({points['test_' + exercise]:g} points): `{exercise}`" in markdown
        assert re.search(rf"## Part {part} — .* \({points['test_' + exercise]:g} points\)", markdown)


def test_numbers_stated_in_the_markdown(markdown):
    assert special.gamma(171.6) < np.inf and special.gamma(171.7) == np.inf and "about 171.6" in markdown
    assert f"{np.finfo(float).max:.1e}" == "1.8e+308" and r"1.8 \times 10^{308}" in markdown
    assert round(special.gammaln(300) / np.log(10)) == 612 and r"\Gamma(300) \approx 10^{612}" in markdown
    assert f"{special.betaln(300, 700):.2f}" == "-612.62" and "B(300, 700) = -612.62" in markdown
    assert f"{stats.beta.pdf(0.5, 5, 5):.2f}" == "2.46" and "Beta(5, 5) peaks at 2.46" in markdown
    assert stats.beta.pdf(0.0, 1, 3) == pytest.approx(3.0) and "Beta(1, 3) is 3 at $p = 0$" in markdown
    assert np.exp(-1000.0) == 0.0 and "$e^{-1000}$ underflows to 0" in markdown
    # Lab 2's ten flips under Beta(2, 2): the posterior Beta(10, 4), MAP 0.75, logit-MAP = mean 10/14
    assert stats.beta(2 + 8, 2 + 2).mean() == pytest.approx(10 / 14) and "the posterior Beta(10, 4)" in markdown
    # the gaps of MAP and mean to the MLE: (a + b - 2) / (n + a + b - 2) and (a + b) / (n + a + b) of the distance
    a, b, n1, n = 5.0, 5.0, 31, 100
    mle, mode, mean = n1 / n, (a - 1) / (a + b - 2), a / (a + b)
    assert (n1 + a - 1) / (n + a + b - 2) - mle == pytest.approx((a + b - 2) / (n + a + b - 2) * (mode - mle))
    assert (n1 + a) / (n + a + b) - mle == pytest.approx((a + b) / (n + a + b) * (mean - mle))
    assert "weight $n/(n + a + b - 2)$" in markdown and "the fraction $(a + b - 2)/(n + a + b - 2)$" in markdown
    assert "prior's mean $a/(a+b)$ by $(a + b)/(n + a + b)$" in markdown


def test_check_your_understanding_answers(markdown):
    # 2: Beta(1, 1) and 3 heads: posterior Beta(4, 1), density 4 p^3, MAP 1, mean 0.8
    assert stats.beta.pdf(0.5, 4, 1) == pytest.approx(4 * 0.5**3) and stats.beta(4, 1).mean() == pytest.approx(0.8)
    assert "The posterior mean is $4/5 = 0.8$" in markdown
    # 3: n = 1000, wd = 1e-4: λ = 0.05, τ² = 20 σ², τ = 4.47 σ
    lam = 1000 * 1e-4 / 2
    assert lam == pytest.approx(0.05) and 1 / lam == pytest.approx(20.0) and f"{np.sqrt(1 / lam):.2f}" == "4.47"
    assert r"\tau^2 = \sigma^2/0.05 = 20\,\sigma^2" in markdown and r"\tau \approx 4.47\,\sigma" in markdown
    # 4: comparisons with nan are false
    assert not (np.log(0.5) < np.nan) and (not np.log(0.5) >= np.nan)
    # 5: Beta(10, 4): MAP 0.75, logit-MAP 10/14 = 0.714
    assert (10 - 1) / (10 + 4 - 2) == 0.75 and f"{10 / 14:.3f}" == "0.714" and "10/14 \\approx 0.714" in markdown


# --- every number the demos print ----------------------------------------------------------------------------------


NUMBER = r"\s*([-+]?(?:\d[\d,]*\.?\d*(?:[eE][-+]?\d+)?|inf|nan))"


def after(executed, cell_id: str, label: str, occurrence: int = 0) -> float:
    """The number a demo cell printed right after ``label`` (its ``occurrence``-th appearance)."""
    text = stdout_of(executed, cell_id)
    found = re.findall(re.escape(label) + NUMBER, text)
    assert len(found) > occurrence, f"{label!r} not followed by a number in:\n{text}"
    return float(found[occurrence].replace(",", ""))


def test_demo_log_gamma(executed):
    cell = "demo-log-gamma"
    assert after(executed, cell, "Beta(5, 5) density at 0.5:") == pytest.approx(stats.beta.pdf(0.5, 5, 5), abs=5e-5)
    assert re.search(r"\[\s*inf\s+0\.6366\d*\s+inf\]", stdout_of(executed, cell))
    assert stats.beta.pdf(0.5, 0.5, 0.5) == pytest.approx(0.63661977, abs=1e-8)
    assert after(executed, cell, "Beta(1, 3) density at 0:") == pytest.approx(stats.beta.pdf(0, 1, 3), abs=5e-5)
    assert after(executed, cell, "Gamma(300) from special.gamma:") == np.inf
    assert after(executed, cell, "log Gamma(300) from special.gammaln:") == pytest.approx(
        sum(np.log(np.arange(1, 300))), abs=0.005)
    assert after(executed, cell, "log B(300, 700) from special.betaln:") == pytest.approx(
        299 * np.log(0.3) + 699 * np.log(0.7) - stats.beta.logpdf(0.3, 300, 700), abs=0.005)
    assert after(executed, cell, "beta_log_pdf(0.3, 300, 700):") == pytest.approx(stats.beta.logpdf(0.3, 300, 700),
                                                                                  abs=5e-5)


def test_demo_conjugacy(executed):
    cell = "demo-conjugacy"
    assert "posterior: Beta(10, 4)" in stdout_of(executed, cell)
    grid = np.linspace(0.0, 1.0, 2001)
    joint = stats.binom.pmf(8, 10, grid) / special.comb(10, 8) * stats.beta.pdf(grid, 2, 2)
    evidence = integrate.trapezoid(joint, grid)
    gap = np.max(np.abs(joint / evidence - stats.beta.pdf(grid, 10, 4)))
    assert after(executed, cell, "Beta density:") < 1e-9 and gap < 1e-9  # both at rounding level
    exact = np.exp(special.betaln(10, 4) - special.betaln(2, 2))
    assert after(executed, cell, "evidence on the grid:") == pytest.approx(exact, abs=5e-7)
    assert after(executed, cell, "B(a + n1, b + n0) / B(a, b):") == pytest.approx(exact, abs=5e-7)
    assert exact == pytest.approx(integrate.quad(lambda q: q**8 * (1 - q) ** 2 * stats.beta.pdf(q, 2, 2), 0, 1)[0])


def test_demo_estimates(executed):
    cell = "demo-estimates"
    for i, n in enumerate((10, 100, 1_000, 10_000)):
        flips = data.coin_flips(n, 0.3, seed=0)
        posterior = stats.beta(5 + flips.sum(), 5 + n - flips.sum())
        mode = optimize.minimize_scalar(lambda q, d=posterior: -d.logpdf(q), bounds=(0, 1), method="bounded",
                                        options={"xatol": 1e-12}).x
        assert after(executed, cell, "n =", i) == n
        assert after(executed, cell, "MLE", i) == pytest.approx(flips.mean(), abs=5e-5)
        assert after(executed, cell, "MAP", i) == pytest.approx(mode, abs=5e-5)
        assert after(executed, cell, "posterior mean", i) == pytest.approx(posterior.mean(), abs=5e-5)
    assert after(executed, cell, "MLE", 0) != after(executed, cell, "MAP", 0)


def test_demo_reparameterisation(executed):
    cell = "demo-reparameterisation"
    assert after(executed, cell, "MAP of p:") == pytest.approx(0.75, abs=5e-5)
    assert after(executed, cell, "mapped back to p:") == pytest.approx(10 / 14, abs=5e-5)
    assert after(executed, cell, "posterior mean of p:") == pytest.approx(stats.beta(10, 4).mean(), abs=5e-5)


def test_demo_shrinkage_and_l1(executed):
    generator = np.random.default_rng(7)
    X = generator.normal(size=(20, 8))
    y = X @ generator.normal(size=8) + generator.normal(size=20)
    least_squares = np.linalg.lstsq(X, y, rcond=None)[0]
    wide = Ridge(alpha=1e-6, fit_intercept=False, solver="svd").fit(X, y).coef_
    narrow = Ridge(alpha=1e6, fit_intercept=False, solver="svd").fit(X, y).coef_
    cell = "demo-shrinkage"
    assert after(executed, cell, "at τ = 1000:") == pytest.approx(np.max(np.abs(wide - least_squares)), rel=0.06)
    assert after(executed, cell, "at τ = 0.001:") == pytest.approx(np.max(np.abs(narrow)), rel=0.06)
    generator = np.random.default_rng(8)
    Q, _ = np.linalg.qr(generator.normal(size=(50, 4)))
    y_q = Q @ np.array([2.0, -1.2, 0.3, -0.1]) + 0.1 * generator.normal(size=50)
    text = stdout_of(executed, "demo-l1-l2").splitlines()
    printed = [np.array([float(v) for v in line.split("[")[1].split("]")[0].split()]) for line in text]
    np.testing.assert_allclose(printed[0], Q.T @ y_q, atol=5e-5)
    np.testing.assert_allclose(printed[1], Ridge(alpha=1.0, fit_intercept=False).fit(Q, y_q).coef_, atol=5e-5)
    lasso = Lasso(alpha=1.0 / (2 * 50), fit_intercept=False, tol=1e-14, max_iter=100_000).fit(Q, y_q)
    np.testing.assert_allclose(printed[2], lasso.coef_, atol=5e-5)
    assert np.sum(lasso.coef_ == 0) == 2 and not re.search(r"-0\.(?!\d)", text[2])  # no negative zero printed


def log_unnormalised_posterior(q):
    """Lab 2's ten flips under Beta(2, 2): scipy's Bernoulli log-pmf summed plus scipy's Beta log-density."""
    return float(stats.bernoulli.logpmf(TEN_FLIPS, q).sum() + stats.beta.logpdf(q, 2, 2)) if 0 < q < 1 else -np.inf


def test_demo_metropolis(executed):
    chain = reference_chain(log_unnormalised_posterior, 0.5, 10_000, 0.2, 0)
    kept = chain[1_000:]
    posterior = stats.beta(10, 4)
    cell = "demo-metropolis"
    assert after(executed, cell, "acceptance rate:") == pytest.approx(np.mean(np.diff(chain) != 0), abs=5e-4)
    assert after(executed, cell, "chain mean") == pytest.approx(kept.mean(), abs=5e-5)
    assert after(executed, cell, "chain std") == pytest.approx(kept.std(), abs=5e-5)
    assert after(executed, cell, "Beta(10, 4) mean") == pytest.approx(posterior.mean(), abs=5e-5)
    assert after(executed, cell, "Beta(10, 4) std") == pytest.approx(posterior.std(), abs=5e-5)
    assert abs(kept.mean() - posterior.mean()) < 0.01 and abs(kept.std() - posterior.std()) < 0.01


def test_demo_step_size(executed):
    cell = "demo-step-size"
    lines = stdout_of(executed, cell).splitlines()
    assert len(lines) == 3
    rates = []
    for line, step in zip(lines, (0.01, 0.2, 3.0), strict=True):
        trace = reference_chain(log_unnormalised_posterior, 0.5, 1_000, step, 1)
        rate = np.mean(np.diff(trace) != 0)
        assert float(re.search(r"acceptance rate\s*([\d.]+)", line).group(1)) == pytest.approx(rate, abs=5e-4)
        lag_1 = stats.pearsonr(trace[:-1], trace[1:]).statistic
        assert float(re.search(r"autocorrelation\s*([\d.]+)", line).group(1)) == pytest.approx(lag_1, abs=5e-4)
        rates.append((rate, lag_1))
    (small_rate, small_lag), (_, middle_lag), (large_rate, large_lag) = rates
    assert small_rate > 0.9 and large_rate < 0.1 and small_lag > middle_lag and large_lag > middle_lag
