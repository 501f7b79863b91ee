"""Lab 8 (08_elbo_vae) against independent references: the solution's functions against scipy (numerical
integration, the Gaussian and Bernoulli log-densities, a Kolmogorov-Smirnov test) and PyTorch, every number the lab
states or prints against those libraries, and every statement it makes about PyTorch against PyTorch (the
``torch`` fixture):
- ``torch.distributions.kl_divergence(Normal(mu, std), Normal(0, 1))`` is the per-dimension KL; ``Independent(.., 1)``
  sums the last axis; ``-0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp())`` is the same KL;
- ``Normal(mu, std).rsample()`` is mu + std * eps with gradients 1 and eps; ``.sample()`` carries no gradient;
- ``F.binary_cross_entropy_with_logits(logits, x, reduction='none').sum(-1)`` is the Bernoulli decoder's NLL, exact
  at logits of ±1000, while ``F.binary_cross_entropy`` on ``torch.sigmoid(logits)`` is clamped at 100;
- the training step of Part F is the negative of the lab's ELBO with S = 1; ``reduction='mean'`` weighs the KL by D;
- ``F.gaussian_nll_loss(..., full=True)`` is the Gaussian NLL with its constant; ``full=False`` drops ½ log 2π.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from course import markdown_text, notebook_path, read_notebook, stdout_of
from scipy import integrate, special, stats

from helpers import elbo_plots

LAB = "08_elbo_vae"
rng = np.random.default_rng(20260808)
PRINTED = 5.01e-5  # numbers printed with 4 decimals

PIXEL_WEIGHTS, PIXEL_OFFSETS = np.linspace(-2.5, 2.5, 16), np.zeros(16)


@pytest.fixture(scope="module")
def markdown():
    return markdown_text(read_notebook(notebook_path(LAB)))


def lab_image():
    """The 16-pixel image of the lab, rebuilt from its description: pixel j is 1 with probability
    sigmoid(w_j z + c_j) at z = 1, seed 8."""
    generator = np.random.default_rng(8)
    return (generator.random(16) < special.expit(PIXEL_WEIGHTS * 1.0 + PIXEL_OFFSETS)).astype(float)


def bernoulli_log_likelihood(x, logits):
    """log p(x | z) from scipy's Bernoulli log-pmf with p = sigmoid(logits), summed over the last axis (for
    moderate logits, where p is neither 0 nor 1)."""
    return np.sum(stats.bernoulli.logpmf(x, special.expit(logits)), axis=-1)


def kl_by_integration(mu: float, std: float) -> float:
    """KL(N(mu, std²) || N(0, 1)) = ∫ q log(q / p), integrated by scipy."""
    def integrand(z):
        return stats.norm.pdf(z, mu, std) * (stats.norm.logpdf(z, mu, std) - stats.norm.logpdf(z))

    return integrate.quad(integrand, mu - 14 * std, mu + 14 * std, epsabs=1e-13, epsrel=1e-12, limit=200)[0]


def evidence_by_integration(x):
    """log p(x), the posterior's mean and standard deviation of the 16-pixel decoder, integrated by scipy."""
    def joint(z):
        return np.exp(bernoulli_log_likelihood(x, PIXEL_WEIGHTS * z + PIXEL_OFFSETS) + stats.norm.logpdf(z))

    def moment(k):
        return integrate.quad(lambda z: z**k * joint(z), -10, 10, epsabs=0, epsrel=1e-12, limit=400)[0]

    evidence = moment(0)
    mean = moment(1) / evidence
    return np.log(evidence), mean, np.sqrt(moment(2) / evidence - mean**2)


def bernoulli_elbo_by_integration(x, mu: float, std: float) -> float:
    """E_q[log p(x | z)] − KL(q || p(z)), both by numerical integration, for the 16-pixel decoder."""
    def integrand(z):
        return stats.norm.pdf(z, mu, std) * bernoulli_log_likelihood(x, PIXEL_WEIGHTS * z + PIXEL_OFFSETS)

    expected = integrate.quad(integrand, mu - 12 * std, mu + 12 * std, epsabs=1e-13, epsrel=1e-12, limit=400)[0]
    return expected - kl_by_integration(mu, std)


def printed(nb, cell_id):
    return [line for line in stdout_of(nb, cell_id).splitlines() if line.strip()]


def after(label: str, line: str) -> float:
    """The number printed right after ``label`` in ``line``."""
    match = re.search(re.escape(label) + r"\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)", line)
    assert match, f"{label!r} not in {line!r}"
    return float(match.group(1))


# --- kl_to_standard_normal ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("mu", "log_var"), [(0.0, 0.0), (1.0, 0.0), (0.0, np.log(4.0)), (-2.0, 1.5), (0.3, -4.0)])
def test_kl_one_dimension_is_the_integral(solution, mu, log_var):
    got = solution["kl_to_standard_normal"](np.array([mu]), np.array([log_var]))
    assert got == pytest.approx(kl_by_integration(mu, np.exp(0.5 * log_var)), rel=1e-9, abs=1e-12)


def test_kl_sums_the_last_axis_and_matches_pytorch(solution, torch):
    from torch.distributions import Independent, Normal, kl_divergence

    kl = solution["kl_to_standard_normal"]
    for shape in [(5,), (4, 3), (2, 3, 6)]:
        mu, log_var = rng.normal(0.0, 2.0, size=shape), rng.normal(0.0, 1.5, size=shape)
        mu_t, log_var_t = torch.tensor(mu), torch.tensor(log_var)
        std_t = torch.exp(0.5 * log_var_t)
        per_dimension = kl_divergence(Normal(mu_t, std_t), Normal(torch.zeros_like(mu_t), torch.ones_like(mu_t)))
        assert per_dimension.shape == mu_t.shape  # one KL per dimension: sum it yourself
        np.testing.assert_allclose(kl(mu, log_var), per_dimension.sum(-1).numpy(), rtol=1e-12)
        summed = kl_divergence(Independent(Normal(mu_t, std_t), 1),
                               Independent(Normal(torch.zeros_like(mu_t), torch.ones_like(mu_t)), 1))
        np.testing.assert_allclose(kl(mu, log_var), summed.numpy(), rtol=1e-12)
        examples = -0.5 * torch.sum(1 + log_var_t - mu_t.pow(2) - log_var_t.exp(), dim=-1)
        np.testing.assert_allclose(kl(mu, log_var), examples.numpy(), rtol=1e-12)


def test_kl_at_log_var_minus_800_and_the_limits_of_exp(solution):
    kl = solution["kl_to_standard_normal"]
    with np.errstate(under="ignore"):
        assert np.exp(-800.0) == 0.0 and np.exp(-745.0) > 0.0 and np.exp(-746.0) == 0.0
    with np.errstate(over="ignore"):
        assert np.isfinite(np.exp(709.0)) and np.isinf(np.exp(710.0))
    assert kl([0.5], [-800.0]) == 0.5 * (0.25 - 1.0 + 800.0) == 399.625
    assert kl([0.0], [-800.0]) == 399.5
    with np.errstate(divide="ignore"):  # the mistake of answer 4: log(exp(log_var))
        assert 0.5 * (np.exp(-800.0) + 0.25 - 1 - np.log(np.exp(-800.0))) == np.inf


def test_kl_refuses_shapes_that_would_broadcast(solution):
    for shapes in [((3,), (4,)), ((2, 3), (3,)), ((4, 1), (4, 3))]:
        with pytest.raises(ValueError, match=r"\bmu\b.*\blog_var\b|\blog_var\b.*\bmu\b"):
            solution["kl_to_standard_normal"](np.zeros(shapes[0]), np.zeros(shapes[1]))


# --- reparameterize -----------------------------------------------------------------------------------------------


def test_reparameterized_draws_have_the_distribution_of_q(solution):
    mu, log_var = np.array([1.0, -2.0]), np.log([0.25, 9.0])
    draws = solution["reparameterize"](mu, log_var, np.random.default_rng(5).standard_normal(size=(50_000, 2)))
    assert draws.shape == (50_000, 2)
    for j, (m, s) in enumerate([(1.0, 0.5), (-2.0, 3.0)]):
        assert stats.kstest(draws[:, j], stats.norm(m, s).cdf).pvalue > 0.01


def test_rsample_is_mu_plus_std_eps_with_gradients(solution, torch):
    from torch.distributions import Normal

    mu = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    std = torch.tensor([2.0, 0.5, 1.5], dtype=torch.float64, requires_grad=True)
    torch.manual_seed(0)
    z = Normal(mu, std).rsample()
    eps = ((z - mu) / std).detach()
    z.sum().backward()
    np.testing.assert_allclose(mu.grad.numpy(), 1.0)
    np.testing.assert_allclose(std.grad.numpy(), eps.numpy(), rtol=1e-12)
    ours = solution["reparameterize"](mu.detach().numpy(), 2 * np.log(std.detach().numpy()), eps.numpy())
    np.testing.assert_allclose(ours, z.detach().numpy(), rtol=1e-12)
    assert not Normal(mu, std).sample().requires_grad
    # the example's form: std = exp(0.5 * logvar); mu + eps * std
    log_var = 2 * torch.log(std.detach())
    np.testing.assert_allclose((mu.detach() + eps * torch.exp(0.5 * log_var)).numpy(), ours, rtol=1e-12)


def test_reparameterize_sample_axes(solution):
    f = solution["reparameterize"]
    mu, log_var, eps = rng.normal(size=(4, 2)), rng.normal(size=(4, 2)), rng.normal(size=(3, 5, 4, 2))
    np.testing.assert_allclose(f(mu, log_var, eps), mu + np.sqrt(np.exp(log_var)) * eps, rtol=1e-14)
    for bad in [(2,), (4, 1), (5, 2, 4)]:
        with pytest.raises(ValueError, match=r"\beps\b"):
            f(mu, log_var, np.zeros(bad))


# --- bernoulli_decoder_nll ----------------------------------------------------------------------------------------


def test_decoder_nll_is_the_bernoulli_nll(solution):
    f = solution["bernoulli_decoder_nll"]
    x = rng.integers(0, 2, size=(6, 9)).astype(float)
    logits = rng.normal(0.0, 3.0, size=(2, 6, 9))
    np.testing.assert_allclose(f(x, logits[0]), -bernoulli_log_likelihood(x, logits[0]), rtol=1e-10)
    np.testing.assert_allclose(f(x, logits), -bernoulli_log_likelihood(x, logits), rtol=1e-10)


def test_decoder_nll_is_pytorchs_bce_with_logits_summed(solution, torch):
    F = torch.nn.functional
    f = solution["bernoulli_decoder_nll"]
    x = rng.integers(0, 2, size=(5, 12)).astype(float)
    logits = rng.normal(0.0, 5.0, size=(5, 12))
    logits[0, :4] = [-1000.0, 1000.0, -1000.0, 1000.0]
    x[0, :4] = [1.0, 0.0, 0.0, 1.0]
    x_t, logits_t = torch.tensor(x), torch.tensor(logits)
    per_example = F.binary_cross_entropy_with_logits(logits_t, x_t, reduction="none").sum(-1)
    np.testing.assert_allclose(f(x, logits), per_example.numpy(), rtol=1e-10, atol=1e-12)
    total = F.binary_cross_entropy_with_logits(logits_t, x_t, reduction="sum")
    assert float(total) == pytest.approx(np.sum(f(x, logits)), rel=1e-10)
    assert float(F.binary_cross_entropy_with_logits(torch.tensor([-1000.0]), torch.tensor([1.0]))) == 1000.0
    clamped = F.binary_cross_entropy(torch.sigmoid(torch.tensor([-1000.0], dtype=torch.float64)),
                                     torch.tensor([1.0], dtype=torch.float64))
    assert float(clamped) == 100.0
    assert f([1.0], [-1000.0]) == 1000.0


def test_lab_6_worked_example(solution):
    f = solution["bernoulli_decoder_nll"]
    assert f"{f([0.0], [2.0]):.6f}" == "2.126928" == f"{-stats.bernoulli.logpmf(0, special.expit(2.0)):.6f}"
    assert f"{f([1.0], [2.0]):.6f}" == "0.126928" == f"{-stats.bernoulli.logpmf(1, special.expit(2.0)):.6f}"
    assert f"{f([1.0], [0.0]):.6f}" == "0.693147" == f"{np.log(2):.6f}"


# --- elbo ---------------------------------------------------------------------------------------------------------


def test_elbo_against_pytorch(solution, torch):
    from torch.distributions import Normal, kl_divergence

    F = torch.nn.functional
    weights, offsets = rng.normal(size=(7, 3)), rng.normal(size=7)
    x = rng.integers(0, 2, size=(4, 7)).astype(float)
    mu, log_var, eps = rng.normal(size=(4, 3)), rng.normal(0.0, 0.5, size=(4, 3)), rng.normal(size=(6, 4, 3))

    def decoder(z):
        return z @ weights.T + offsets

    ours = solution["elbo"](x, mu, log_var, decoder, eps)
    mu_t, std_t = torch.tensor(mu), torch.exp(0.5 * torch.tensor(log_var))
    z = mu_t + std_t * torch.tensor(eps)
    logits = z @ torch.tensor(weights).T + torch.tensor(offsets)
    x_t = torch.tensor(x).expand(6, 4, 7)
    reconstruction = -F.binary_cross_entropy_with_logits(logits, x_t, reduction="none").sum(-1).mean(0)
    kl = kl_divergence(Normal(mu_t, std_t), Normal(0.0, 1.0)).sum(-1)
    np.testing.assert_allclose(ours, (reconstruction - kl).numpy(), rtol=1e-10)


def test_training_step_of_part_f_is_the_negative_elbo(solution, torch):
    """The loss (BCE summed + KL summed) / N with S = 1 is minus the mean of the lab's ELBO; with the default
    reduction='mean' and the KL averaged over the batch it is (1/D) (reconstruction + D KL) per example."""
    F = torch.nn.functional
    N, D, d = 8, 784, 20
    weights, offsets = rng.normal(0.0, 0.2, size=(D, d)), rng.normal(size=D)
    x = rng.integers(0, 2, size=(N, D)).astype(float)
    mu, log_var, eps = rng.normal(size=(N, d)), rng.normal(0.0, 0.5, size=(N, d)), rng.normal(size=(N, d))
    mu_t, log_var_t = torch.tensor(mu), torch.tensor(log_var)
    std = torch.exp(0.5 * log_var_t)
    z = mu_t + std * torch.tensor(eps)
    logits = z @ torch.tensor(weights).T + torch.tensor(offsets)
    x_t = torch.tensor(x)
    reconstruction = F.binary_cross_entropy_with_logits(logits, x_t, reduction="sum")
    kl = -0.5 * torch.sum(1 + log_var_t - mu_t.pow(2) - log_var_t.exp())
    loss = (reconstruction + kl) / N
    elbos = solution["elbo"](x, mu, log_var, lambda codes: codes @ weights.T + offsets, eps[None])
    assert float(loss) == pytest.approx(-np.mean(elbos), rel=1e-10)
    kl_each = -0.5 * torch.sum(1 + log_var_t - mu_t.pow(2) - log_var_t.exp(), dim=-1)
    mean_loss = F.binary_cross_entropy_with_logits(logits, x_t) + kl_each.mean()
    rec_each = F.binary_cross_entropy_with_logits(logits, x_t, reduction="none").sum(-1)
    assert float(mean_loss) == pytest.approx(float((rec_each + D * kl_each).mean() / D), rel=1e-10)


def test_gaussian_nll_loss_full_keeps_the_constant(torch):
    F = torch.nn.functional
    mean, target = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    var = rng.uniform(0.2, 2.0, size=(3, 5))
    args = (torch.tensor(mean), torch.tensor(target), torch.tensor(var))
    full = F.gaussian_nll_loss(*args, full=True, reduction="sum")
    assert float(full) == pytest.approx(-np.sum(stats.norm.logpdf(target, mean, np.sqrt(var))), rel=1e-10)
    default = F.gaussian_nll_loss(*args, reduction="sum")
    assert float(full - default) == pytest.approx(15 * 0.5 * np.log(2 * np.pi), rel=1e-10)


def test_the_worked_elbo_examples(solution):
    f = solution["elbo"]
    x = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    coin = lambda z: np.zeros(np.shape(z)[:-1] + (5,))  # noqa: E731
    assert f(x, np.zeros(2), np.zeros(2), coin, np.array([[0.3, -1.2]])) == pytest.approx(5 * np.log(0.5), rel=1e-14)
    assert f"{5 * np.log(0.5):.4f}" == "-3.4657"
    worked = f(np.array([1.0]), np.array([1.0]), np.array([np.log(4.0)]), lambda z: z, np.array([[-0.5]]))
    by_hand = stats.bernoulli.logpmf(1, special.expit(0.0)) - kl_by_integration(1.0, 2.0)
    assert worked == pytest.approx(-2.0, abs=1e-14) and by_hand == pytest.approx(-2.0, abs=1e-9)


# --- the numbers the notebook prints ------------------------------------------------------------------------------


def test_no_errors_and_every_exercise_passes(executed):
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    for name in ("kl_to_standard_normal", "reparameterize", "bernoulli_decoder_nll", "elbo"):
        report = stdout_of(executed, f"test-{name.replace('_', '-')}")
        assert report.startswith(f"{name}: visible checks") and "\N{HEAVY BALLOT X}" not in report, report
        assert report.count("\N{HEAVY CHECK MARK}") >= 4, report


def test_data_and_evidence(executed):
    image = lab_image()
    (line,) = printed(executed, "data")
    assert line == "x = " + str(image.astype(int))
    log_evidence, mean, std = evidence_by_integration(image)
    lines = printed(executed, "demo-evidence")
    assert after("10]:", lines[0]) == pytest.approx(log_evidence, abs=PRINTED)
    assert after("mean", lines[1]) == pytest.approx(mean, abs=PRINTED)
    assert after("standard deviation", lines[1]) == pytest.approx(std, abs=PRINTED)
    assert "4001^20 = 1.1e+72" in lines[2] and f"{4001.0**20:.1e}" == "1.1e+72"


def test_demo_bound_numbers(executed):
    model = elbo_plots.LAB_MODEL
    log_evidence = stats.multivariate_normal(mean=model["b"], cov=model["W"] @ model["W"].T + np.eye(3)).logpdf(
        model["x"])
    lines = printed(executed, "demo-bound")
    assert len(lines) == 4
    for line, (m, s) in zip(lines, [(0.0, 1.0), (0.8, 1.0), (1.5, 0.5), (0.8, 0.5)], strict=True):
        gap = np.log(0.5 / s) + (s**2 + (m - 0.8) ** 2) / (2 * 0.25) - 0.5  # KL(N(m, s²) || N(0.8, 0.5²))
        assert after("ELBO", line) == pytest.approx(log_evidence - gap, abs=PRINTED)
        assert after("p(z | x))", line) == pytest.approx(gap, abs=PRINTED)
        assert after("log p(x) =", line) == pytest.approx(log_evidence, abs=PRINTED)
        assert after("=", line.split("KL", 1)[1]) == pytest.approx(log_evidence, abs=PRINTED)
    assert f"{log_evidence:.4f}" == "-4.5800"


def test_demo_kl_numbers(executed, torch):
    from torch.distributions import Normal, kl_divergence

    lines = printed(executed, "demo-kl")
    rows = [([0.0, 0.0], [1.0, 1.0]), ([-2.0, 0.0], [1.0, 1.0]), ([0.0, 0.0], [4.0, 1.0]), ([1.0, -1.0], [0.25, 0.25])]
    for line, (mu, var) in zip(lines[:4], rows, strict=True):
        expected = kl_divergence(Normal(torch.tensor(mu), torch.tensor(var).sqrt()), Normal(0.0, 1.0)).sum()
        assert after("KL to the prior =", line) == pytest.approx(float(expected), abs=PRINTED)
    assert after("KL =", lines[4]) == 399.5


def test_demo_reparameterize_numbers(executed):
    (line,) = printed(executed, "demo-reparameterize")
    means = [float(v) for v in re.search(r"mean of the draws \[([^\]]+)\]", line).group(1).split()]
    stds = [float(v) for v in re.search(r"standard deviation \[([^\]]+)\]", line).group(1).split()]
    noise = np.random.default_rng(2).standard_normal(size=(100_000, 2))
    draws = np.array([1.0, -2.0]) + np.array([0.5, 3.0]) * noise
    np.testing.assert_allclose(means, draws.mean(axis=0).round(3), atol=1e-9)
    np.testing.assert_allclose(stds, draws.std(axis=0).round(3), atol=1e-9)
    np.testing.assert_allclose(means, [1.0, -2.0], atol=4 * 3.0 / np.sqrt(100_000))
    assert "shape (100000, 2)" in line


def test_demo_decoder_nll_numbers(executed):
    lines = printed(executed, "demo-decoder-nll")
    assert "2.126928" in lines[0] and "0.126928" in lines[0] and "0.693147" in lines[0]
    image = lab_image()
    for line, z in zip(lines[1:], (-1.0, 0.0, 1.0), strict=True):
        expected = -bernoulli_log_likelihood(image, z * PIXEL_WEIGHTS + PIXEL_OFFSETS)
        assert after("-log p(x | z) =", line) == pytest.approx(expected, abs=PRINTED)


def test_demo_gaussian_estimate_numbers(executed):
    """Monte Carlo against numerical integration; the exact ELBO against log p(x) − KL to the posterior; without its
    constant the estimate lies above log p(x)."""
    model = elbo_plots.LAB_MODEL
    W, b, x = model["W"], model["b"], model["x"]
    log_evidence = stats.multivariate_normal(mean=b, cov=W @ W.T + np.eye(3)).logpdf(x)
    constant = -1.5 * np.log(2 * np.pi)
    assert f"{constant:.4f}" == "-2.7568"
    noise = np.random.default_rng(3).standard_normal(size=(100_000, 1))
    lines = printed(executed, "demo-gaussian-estimate")
    for line, (m, s) in zip(lines, [(0.0, 1.0), (0.8, 0.5)], strict=True):
        z = m + s * noise[:, 0]
        log_likelihood = np.sum(stats.norm.logpdf(x, z[:, None] * W[:, 0] + b, 1.0), axis=-1)
        estimate = log_likelihood.mean() - kl_by_integration(m, s)

        def integrand(t, m=m, s=s):
            return stats.norm.pdf(t, m, s) * np.sum(stats.norm.logpdf(x, t * W[:, 0] + b, 1.0))

        expected_log_likelihood = integrate.quad(integrand, m - 12 * s, m + 12 * s, epsabs=1e-13, epsrel=1e-12)[0]
        exact = expected_log_likelihood - kl_by_integration(m, s)
        assert after("Monte Carlo", line) == pytest.approx(estimate, abs=PRINTED)
        assert after("exact", line) == pytest.approx(exact, abs=PRINTED)
        assert abs(estimate - exact) < 4 * np.std(log_likelihood) / np.sqrt(noise.size)
        assert after("without the constant", line) == pytest.approx(estimate - constant, abs=PRINTED)
        assert after("without the constant", line) > log_evidence
        assert after("log p(x) =", line) == pytest.approx(log_evidence, abs=PRINTED)


def test_demo_bernoulli_bound_numbers(executed, markdown):
    image = lab_image()
    log_evidence, mean, std = evidence_by_integration(image)
    noise = np.random.default_rng(4).standard_normal(size=(100_000, 1))
    lines = printed(executed, "demo-bernoulli-bound")
    exact_gaps = []
    for line, (m, s) in zip(lines[:2], [(0.0, 1.0), (mean, std)], strict=True):
        log_likelihood = bernoulli_log_likelihood(image, (m + s * noise) * PIXEL_WEIGHTS + PIXEL_OFFSETS)
        estimate = log_likelihood.mean() - kl_by_integration(m, s)
        exact = bernoulli_elbo_by_integration(image, m, s)
        exact_gaps.append(log_evidence - exact)
        assert after("ELBO ≈", line) == pytest.approx(estimate, abs=PRINTED)
        assert after("gap", line) == pytest.approx(log_evidence - estimate, abs=PRINTED)
        assert abs(estimate - exact) < 4 * np.std(log_likelihood) / np.sqrt(noise.size)
    assert after("log p(x) on the grid:", lines[2]) == pytest.approx(log_evidence, abs=PRINTED)
    # the text: 0.0206 for the matched Gaussian, about 9.6 (9.572) for the prior
    assert f"{exact_gaps[1]:.4f}" == "0.0206" and "0.0206 nats by numerical" in markdown
    assert f"{exact_gaps[0]:.3f}" == "9.572" and "9.572 by numerical integration" in markdown
    assert f"{exact_gaps[0]:.1f}" == "9.6" and "about 9.6 nats" in markdown
    copies = 2000
    singles = (bernoulli_log_likelihood(image, (mean + std * noise[:copies]) * PIXEL_WEIGHTS + PIXEL_OFFSETS)
               - kl_by_integration(mean, std))
    assert after("mean", lines[3]) == pytest.approx(singles.mean(), abs=PRINTED)
    assert after("standard deviation", lines[3]) == pytest.approx(singles.std(), abs=PRINTED)
    share = np.mean(singles > log_evidence)
    assert f"{share:.0%} of them above log p(x)" in lines[3] and share > 0.5


# --- figure and text ----------------------------------------------------------------------------------------------


def test_static_figure_comes_before_the_widget():
    nb = read_notebook(notebook_path(LAB))
    ids = [c.get("id") for c in nb.cells]
    assert ids.index("figure-elbo-gap") < ids.index("widget-elbo-gap")
    (figure,) = [c for c in nb.cells if c.get("id") == "figure-elbo-gap"]
    assert figure.source.count("elbo_plots.draw_elbo_gap(") == 2 and "plt.show()" in figure.source
    assert "q_mean=0.0, q_std=1.0" in figure.source and "q_mean=0.8, q_std=0.5" in figure.source
    (widget,) = [c for c in nb.cells if c.get("id") == "widget-elbo-gap"]
    assert "elbo_plots.elbo_gap_explorer(" in widget.source


def test_markdown_numbers(markdown):
    assert r"\tfrac12(3 - \log 4) = 0.8069" in markdown and f"{0.5 * (3 - np.log(4)):.4f}" == "0.8069"
    assert "falls 2.0869 nats short" in markdown and "2.0869 nats in the" in markdown
    prior_gap = np.log(0.5) + 1.64 / 0.5 - 0.5  # KL(N(0, 1) || N(0.8, 0.5²))
    assert f"{prior_gap:.4f}" == "2.0869"
    assert "$0.64 / 0.5 = 1.28$ nats" in markdown and 0.8**2 / (2 * 0.25) == pytest.approx(1.28, rel=1e-15)
    assert r"$\Sigma = 1/(1 + 3) = 1/4$" in markdown and "1.5 + 1.6 + 0.1 = 3.2" in markdown
    model = elbo_plots.LAB_MODEL
    assert model["W"][:, 0] @ (model["x"] - model["b"]) == pytest.approx(3.2, rel=1e-14)
    assert "$-5\\log 2 = -3.4657$" in markdown and f"{-5 * np.log(2):.4f}" == "-3.4657"
    assert "$2 + \\log(1 + e^{-2}) = 2.126928$" in markdown and f"{2 + np.log1p(np.exp(-2)):.6f}" == "2.126928"
    assert "$\\log 2 = 0.693147$" in markdown
    assert "$10^{20}$ decoder passes" in markdown
    assert "here $-2.7568$ nats" in markdown
    assert "\\beta = 784" in markdown and "β = 784" in markdown and 28 * 28 == 784
    assert "below about\n   $-745$" in markdown or "below about $-745$" in markdown
    assert "above 709" in markdown


def test_the_linear_gaussian_elbo_formula_of_part_a(markdown, solution):
    """ELBO = −D/2 log(2π s²) − (‖x − b − W m‖² + Σ_j v_j ‖W_:j‖²) / (2 s²) − KL(q ‖ N(0, I)), as the text writes
    it, against numerical integration (one latent dimension) and scipy's log p(x) minus the KL to the posterior."""
    assert r"\frac{\|x - b - W m\|^2 + \sum_j v_j \|W_{:j}\|^2}{2 s^2}" in markdown
    x, W, b, s = rng.normal(size=3), rng.normal(size=(3, 1)), rng.normal(size=3), 0.7
    post_var = 1 / (1 + W[:, 0] @ W[:, 0] / s**2)
    post_mean = post_var * W[:, 0] @ (x - b) / s**2
    log_evidence = stats.multivariate_normal(mean=b, cov=W @ W.T + s**2 * np.eye(3)).logpdf(x)
    for m, v in [(0.0, 1.0), (0.4, 0.3), (-1.0, 2.0)]:
        text = (-1.5 * np.log(2 * np.pi * s**2) - (np.sum((x - b - W[:, 0] * m) ** 2) + v * W[:, 0] @ W[:, 0])
                / (2 * s**2) - solution["kl_to_standard_normal"]([m], [np.log(v)]))
        gap = np.log(np.sqrt(post_var / v)) + (v + (m - post_mean) ** 2) / (2 * post_var) - 0.5

        def integrand(z, m=m, v=v):
            return stats.norm.pdf(z, m, np.sqrt(v)) * (np.sum(stats.norm.logpdf(x, W[:, 0] * z + b, s))
                                                       + stats.norm.logpdf(z) - stats.norm.logpdf(z, m, np.sqrt(v)))

        by_integration = integrate.quad(integrand, m - 12 * np.sqrt(v), m + 12 * np.sqrt(v), epsabs=1e-12,
                                        epsrel=1e-12)[0]
        assert text == pytest.approx(by_integration, rel=1e-9)
        assert text + gap == pytest.approx(log_evidence, rel=1e-10)


def test_the_stated_tolerances_are_the_checks(markdown):
    from helpers.checks import elbo_vae as check

    assert (check.RTOL, check.ATOL) == (1e-10, 1e-12)
    assert markdown.count("a relative $10^{-10}$ plus an absolute $10^{-12}$") == 4


def test_posterior_collapse_answer(markdown):
    answers = markdown.split("## Check your understanding", 1)[1]
    assert answers.count("<details><summary>Answer</summary>") == 5
    assert "posterior collapse" in answers
