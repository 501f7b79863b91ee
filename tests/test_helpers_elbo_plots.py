"""helpers.elbo_plots (Lab 8): the linear-Gaussian evidence, posterior and exact ELBO are right (against scipy's
multivariate normal and numerical integration), the quadrature KL is the KL, the grid evidence of the Bernoulli
decoder is the integral, the figure draws what it says, the widget redraws when a slider moves, and nothing in
the module is a graded function."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import integrate, special, stats  # noqa: E402

from helpers import elbo_plots  # noqa: E402
from helpers.widgets import SliderFigure  # noqa: E402

GRADED = {"kl_to_standard_normal", "reparameterize", "bernoulli_decoder_nll", "elbo"}  # Lab 8's exercises
rng = np.random.default_rng(8008)


@pytest.fixture
def ax():
    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)


def random_model(D: int, d: int):
    return (rng.normal(size=D) * 2, rng.normal(size=(D, d)), rng.normal(size=D), float(rng.uniform(0.3, 2.0)))


def test_module_holds_no_graded_function():
    public = {name for name in dir(elbo_plots) if not name.startswith("_")}
    assert not public & GRADED


@pytest.mark.parametrize(("D", "d"), [(3, 1), (2, 2), (5, 3), (1, 4)])
def test_log_evidence_is_scipys_multivariate_normal(D, d):
    x, W, b, s = random_model(D, d)
    expected = stats.multivariate_normal(mean=b, cov=W @ W.T + s**2 * np.eye(D)).logpdf(x)
    assert elbo_plots.linear_gaussian_log_evidence(x, W, b, s) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("D", "d"), [(3, 1), (2, 2), (5, 3)])
def test_posterior_is_bayes_rule(D, d):
    """log N(z; mean, cov) = log p(x | z) + log p(z) - log p(x) at any z, every term from scipy."""
    x, W, b, s = random_model(D, d)
    mean, cov = elbo_plots.linear_gaussian_posterior(x, W, b, s)
    log_evidence = stats.multivariate_normal(mean=b, cov=W @ W.T + s**2 * np.eye(D)).logpdf(x)
    for z in rng.normal(size=(5, d)):
        joint = (stats.multivariate_normal(mean=W @ z + b, cov=s**2 * np.eye(D)).logpdf(x)
                 + stats.multivariate_normal(mean=np.zeros(d), cov=np.eye(d)).logpdf(z))
        assert stats.multivariate_normal(mean=mean, cov=cov).logpdf(z) == pytest.approx(joint - log_evidence, rel=1e-10)


def gaussian_kl(m0, S0, m1, S1):
    """KL(N(m0, S0) || N(m1, S1)), full covariances (the textbook formula, written here for the test)."""
    inverse = np.linalg.inv(S1)
    k = len(m0)
    return 0.5 * (np.trace(inverse @ S0) + (m1 - m0) @ inverse @ (m1 - m0) - k
                  + np.linalg.slogdet(S1)[1] - np.linalg.slogdet(S0)[1])


@pytest.mark.parametrize(("D", "d"), [(3, 1), (4, 2), (6, 3)])
def test_exact_bound_plus_kl_to_the_posterior_is_the_log_evidence(D, d):
    x, W, b, s = random_model(D, d)
    post_mean, post_cov = elbo_plots.linear_gaussian_posterior(x, W, b, s)
    log_evidence = stats.multivariate_normal(mean=b, cov=W @ W.T + s**2 * np.eye(D)).logpdf(x)
    for _ in range(4):
        m, v = rng.normal(size=d), rng.uniform(0.1, 2.0, size=d)
        bound = elbo_plots.linear_gaussian_exact_bound(x, W, b, s, m, v)
        assert bound + gaussian_kl(m, np.diag(v), post_mean, post_cov) == pytest.approx(log_evidence, rel=1e-10)
        assert bound < log_evidence
    if d == 1:  # a diagonal q can be the posterior only when the posterior is diagonal
        tight = elbo_plots.linear_gaussian_exact_bound(x, W, b, s, post_mean, np.diag(post_cov))
        assert tight == pytest.approx(log_evidence, rel=1e-12)


def test_exact_bound_is_the_expectation_by_numerical_integration():
    """ELBO = ∫ q(z) [log p(x | z) + log p(z) − log q(z)] dz, integrated by scipy, one latent dimension."""
    x, W, b, s = random_model(3, 1)
    for m, sd in [(0.3, 0.7), (-1.0, 1.5), (2.0, 0.2)]:
        def integrand(z, m=m, sd=sd):
            log_joint = (stats.multivariate_normal(mean=W[:, 0] * z + b, cov=s**2 * np.eye(3)).logpdf(x)
                         + stats.norm.logpdf(z))
            return stats.norm.pdf(z, m, sd) * (log_joint - stats.norm.logpdf(z, m, sd))

        expected, _ = integrate.quad(integrand, m - 12 * sd, m + 12 * sd, epsabs=1e-12, epsrel=1e-12, limit=200)
        got = elbo_plots.linear_gaussian_exact_bound(x, W, b, s, [m], [sd**2])
        assert got == pytest.approx(expected, rel=1e-9)


def test_exact_bound_broadcasts_over_leading_axes():
    x, W, b, s = random_model(3, 2)
    means, variances = rng.normal(size=(4, 5, 2)), rng.uniform(0.2, 1.0, size=(4, 5, 2))
    curve = elbo_plots.linear_gaussian_exact_bound(x, W, b, s, means, variances)
    assert curve.shape == (4, 5)
    assert curve[2, 3] == pytest.approx(elbo_plots.linear_gaussian_exact_bound(x, W, b, s, means[2, 3],
                                                                               variances[2, 3]), rel=1e-14)
    with pytest.raises(ValueError, match="q_var"):
        elbo_plots.linear_gaussian_exact_bound(x, W, b, s, [0.0, 0.0], [1.0, -1.0])
    with pytest.raises(ValueError, match="noise_std"):
        elbo_plots.linear_gaussian_log_evidence(x, W, b, 0.0)
    with pytest.raises(ValueError, match="W"):
        elbo_plots.linear_gaussian_posterior(x, W[:2], b, s)


@pytest.mark.parametrize(("m", "sd", "target_mean", "target_std"), [(0.0, 1.0, 0.8, 0.5), (1.2, 0.3, -0.5, 2.0),
                                                                   (0.8, 0.5, 0.8, 0.5)])
def test_kl_by_quadrature_is_the_gaussian_kl(m, sd, target_mean, target_std):
    got = elbo_plots.kl_by_quadrature(m, sd, lambda z: stats.norm.logpdf(z, target_mean, target_std))
    expected = np.log(target_std / sd) + (sd**2 + (m - target_mean) ** 2) / (2 * target_std**2) - 0.5
    assert got == pytest.approx(expected, rel=1e-10, abs=1e-12)


def test_lab_model_has_the_posterior_the_lab_states():
    summary = elbo_plots.bound_summary(0.0, 1.0)
    assert summary["posterior_mean"] == pytest.approx(0.8, rel=1e-14)
    assert summary["posterior_std"] == pytest.approx(0.5, rel=1e-14)
    model = elbo_plots.LAB_MODEL
    expected = stats.multivariate_normal(mean=model["b"], cov=model["W"] @ model["W"].T + np.eye(3)).logpdf(model["x"])
    assert summary["log_evidence"] == pytest.approx(expected, rel=1e-13)
    assert summary["elbo"] + summary["kl_to_posterior"] == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match="one latent dimension"):
        elbo_plots.bound_summary(0.0, 1.0, {**model, "W": np.ones((3, 2))})


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bernoulli_grid_evidence_is_the_integral(seed):
    generator = np.random.default_rng(seed)
    w, c = generator.normal(0.0, 2.0, size=10), generator.normal(size=10)
    x = generator.integers(0, 2, size=10).astype(float)

    def joint(z):
        logits = w * z + c
        return np.exp(np.sum(x * special.log_expit(logits) + (1 - x) * special.log_expit(-logits))
                      + stats.norm.logpdf(z))

    evidence, _ = integrate.quad(joint, -10, 10, epsabs=0, epsrel=1e-12, limit=400)
    mean, _ = integrate.quad(lambda z: z * joint(z), -10, 10, epsabs=0, epsrel=1e-12, limit=400)
    second, _ = integrate.quad(lambda z: z**2 * joint(z), -10, 10, epsabs=0, epsrel=1e-12, limit=400)
    model = elbo_plots.one_latent_bernoulli_model(x, w, c)
    assert model["log_evidence"] == pytest.approx(np.log(evidence), rel=1e-9)
    assert model["mean"] == pytest.approx(mean / evidence, rel=1e-8, abs=1e-10)
    assert model["std"] == pytest.approx(np.sqrt(second / evidence - (mean / evidence) ** 2), rel=1e-7)
    step = model["z"][1] - model["z"][0]
    assert np.sum(model["posterior"]) * step == pytest.approx(1.0, abs=1e-6)
    with pytest.raises(ValueError, match="x, w and c"):
        elbo_plots.one_latent_bernoulli_model(x[:3], w, c)


def test_bernoulli_grid_evidence_is_finite_for_a_confident_decoder():
    """Logits of ±200: the log-space sum neither underflows nor overflows."""
    w = np.full(30, 100.0)
    model = elbo_plots.one_latent_bernoulli_model(np.ones(30), w, np.zeros(30))
    assert np.isfinite(model["log_evidence"]) and model["log_evidence"] < 0


def test_draw_elbo_gap(ax):
    assert elbo_plots.draw_elbo_gap(ax, q_mean=0.0, q_std=1.0) is ax
    summary = ax.summary
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[0].startswith("prior") and labels[1].startswith("posterior") and labels[2].startswith("q(z)")
    z, density = ax.get_lines()[1].get_data()
    np.testing.assert_allclose(density, stats.norm.pdf(z, 0.8, 0.5), rtol=1e-12)
    z, density = ax.get_lines()[2].get_data()
    np.testing.assert_allclose(density, stats.norm.pdf(z, 0.0, 1.0), rtol=1e-12)
    curve, top, marker, gap = ax.bound_axis.get_lines()
    means, values = curve.get_data()
    model = elbo_plots.LAB_MODEL
    log_evidence = stats.multivariate_normal(mean=model["b"], cov=model["W"] @ model["W"].T + np.eye(3)).logpdf(
        model["x"])
    kl = np.log(0.5 / 1.0) + (1.0 + (means - 0.8) ** 2) / (2 * 0.25) - 0.5  # KL(N(m, 1) || N(0.8, 0.5²))
    np.testing.assert_allclose(values, log_evidence - kl, rtol=1e-12)
    assert top.get_ydata()[0] == pytest.approx(log_evidence, rel=1e-13)
    assert marker.get_xdata()[0] == 0.0 and marker.get_ydata()[0] == pytest.approx(summary["elbo"], rel=1e-13)
    np.testing.assert_allclose(gap.get_ydata(), [summary["elbo"], log_evidence], rtol=1e-13)
    assert summary["kl_to_posterior"] == pytest.approx(np.log(0.5) + 1.64 / 0.5 - 0.5, rel=1e-10)
    assert "KL(q ‖ p(z | x)) 2.0869" in ax.get_title() and "ELBO -6.6668" in ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel() and ax.bound_axis.get_ylabel()
    assert len(ax.get_legend().get_texts()) == 6
    with pytest.raises(ValueError, match="q_std"):
        elbo_plots.draw_elbo_gap(ax, q_std=0.0)


def test_draw_elbo_gap_at_the_posterior_touches_the_evidence(ax):
    elbo_plots.draw_elbo_gap(ax, q_mean=0.8, q_std=0.5)
    assert ax.summary["kl_to_posterior"] == pytest.approx(0.0, abs=1e-12)
    assert ax.summary["elbo"] == pytest.approx(ax.summary["log_evidence"], rel=1e-14)
    means, values = ax.bound_axis.get_lines()[0].get_data()
    assert means[np.argmax(values)] == pytest.approx(0.8, abs=0.01)
    assert "KL(q ‖ p(z | x)) 0.0000" in ax.get_title()


def test_widget_redraws_when_a_slider_moves():
    widget = elbo_plots.elbo_gap_explorer(q_mean=0.0, q_std=1.0)
    assert isinstance(widget, SliderFigure)
    assert set(widget.sliders) == {"q_mean", "q_std"}
    sliders = widget.sliders
    assert sliders["q_mean"].min <= 0.8 <= sliders["q_mean"].max and sliders["q_std"].min <= 0.5 <= sliders["q_std"].max
    before = widget.axes.bound_axis.get_lines()[0].get_ydata().copy()
    sliders["q_std"].value = 0.5
    after = widget.axes.bound_axis.get_lines()[0].get_ydata()
    assert not np.allclose(before, after)
    sliders["q_mean"].value = 0.8
    assert widget.axes.summary["kl_to_posterior"] == pytest.approx(0.0, abs=1e-10)
    assert widget.axes.bound_axis.get_lines()[2].get_xdata()[0] == pytest.approx(0.8)
