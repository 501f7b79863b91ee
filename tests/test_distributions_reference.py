"""Lab 1 (01_distributions) against independent references: the solution's functions against scipy on many
inputs, and every number the lab states or prints against scipy."""

import numpy as np
import pytest
from course import (
    markdown_text,
    notebook_path,
    numbers_in,
    read_notebook,
    stdout_of,
)
from scipy import special, stats

LAB = "01_distributions"
rng = np.random.default_rng(20261122)


def test_gaussian_log_pdf_matches_scipy(solution):
    f = solution["gaussian_log_pdf"]
    x = rng.normal(0, 30, size=(50, 20))
    mu = rng.normal(0, 5, size=(1, 20))
    sigma = rng.lognormal(0, 2, size=(50, 1))
    np.testing.assert_allclose(f(x, mu, sigma), stats.norm.logpdf(x, mu, sigma), rtol=1e-12)
    tails = np.array([-1e6, -40.0, 40.0, 1e6])
    np.testing.assert_allclose(f(tails), stats.norm.logpdf(tails), rtol=1e-13)
    np.testing.assert_allclose(f(np.float32(0.5), 0.0, 1.0), stats.norm.logpdf(0.5), rtol=1e-7)
    for bad in (0.0, -1.0, [1.0, 0.0]):
        with pytest.raises(ValueError, match="sigma"):
            f(0.0, 0.0, bad)


def test_bernoulli_log_pmf_matches_scipy(solution):
    f = solution["bernoulli_log_pmf"]
    k = rng.integers(0, 2, size=(200, 1))
    p = np.concatenate([[0.0, 1.0, 1e-300, 1 - 1e-16, 1e-20], rng.random(95)])
    np.testing.assert_allclose(f(k, p), stats.bernoulli.logpmf(k, p), rtol=1e-13)
    assert f(1, 1.0) == 0.0 and f(0, 0.0) == 0.0
    assert f(0, 1.0) == -np.inf and f(1, 0.0) == -np.inf
    with pytest.raises(ValueError, match=r"\bk\b"):
        f(np.array([0, 2]), 0.5)
    with pytest.raises(ValueError, match=r"\bp\b"):
        f(1, np.array([0.5, -0.01]))


def test_uniform_cdf_matches_scipy(solution):
    f = solution["uniform_cdf"]
    a = rng.normal(0, 3, size=(30, 1))
    b = a + rng.lognormal(0, 1, size=(30, 1))
    x = np.concatenate([[-np.inf, np.inf], rng.normal(0, 5, size=48)])
    np.testing.assert_allclose(f(x, a, b), stats.uniform.cdf(x, loc=a, scale=b - a), rtol=1e-13, atol=1e-15)
    for a_bad, b_bad in ((1.0, 1.0), (2.0, 1.0)):
        with pytest.raises(ValueError, match=r"\ba\b.*\bb\b"):
            f(0.0, a_bad, b_bad)


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_matches_scipy(solution, axis):
    f = solution["softmax"]
    z = rng.normal(0, 300, size=(6, 7, 8))
    np.testing.assert_allclose(f(z, axis=axis), special.softmax(z, axis=axis), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(f(z, axis=axis).sum(axis=axis), 1.0, rtol=1e-13)


def test_sample_categorical_is_inverse_cdf_and_has_the_right_law(solution):
    f = solution["sample_categorical"]
    probs = np.array([0.05, 0.0, 0.4, 0.25, 0.3])
    draws = f(probs, 200_000, np.random.default_rng(1))
    counts = np.bincount(draws, minlength=probs.size)
    assert counts[1] == 0
    chi2 = stats.chisquare(counts[probs > 0], 200_000 * probs[probs > 0])
    assert chi2.pvalue > 1e-3
    u = np.random.default_rng(2).random(1000)
    np.testing.assert_array_equal(f(probs, 1000, np.random.default_rng(2)),
                                  np.searchsorted(np.cumsum(probs), u, side="right"))
    # numpy's own Generator.choice inverts the CDF of the same uniforms: an independent implementation
    np.testing.assert_array_equal(f(probs, 1000, np.random.default_rng(3)),
                                  np.random.default_rng(3).choice(probs.size, size=1000, p=probs))


def test_numbers_stated_in_the_markdown():
    text = markdown_text(read_notebook(notebook_path(LAB)))
    claims = {
        "3.99": f"{stats.norm.pdf(0.0, 0.0, 0.1):.2f}",  # peak of N(0, 0.1^2)
        "-800.92": f"{stats.norm.logpdf(40.0):.2f}",  # log-density at x = 40
        "-23.03": f"{np.log(1e-10):.2f}",  # what clipping at 1e-10 reports instead of -inf
        "0.21": f"{stats.bernoulli.var(0.3):.2f}",  # Bernoulli(0.3) variance
        r"4.9 \times 10^{-324}": r"4.9 \times 10^{-324}" if f"{np.nextafter(0, 1):.1e}" == "4.9e-324" else "?",
    }
    for stated, reference in claims.items():
        assert stated == reference, f"the lab states {stated}, scipy gives {reference}"
        assert stated in text, f"{stated} is no longer in the lab: update this test"
    assert 0.1**1000 == 0.0 and "`0.1 ** 1000 == 0.0`" in text
    assert np.exp(-800.0) == 0.0 and stats.norm.pdf(40.0) == 0.0


def test_numbers_printed_by_the_demos(executed):
    direct, logged = stdout_of(executed, "demo-tail").splitlines()
    assert numbers_in(direct)[-1] == 0.0  # the density computed directly underflows
    assert numbers_in(logged)[-1] == pytest.approx(stats.norm.logpdf(40.0), abs=5e-5)

    moments = stdout_of(executed, "demo-coin-moments").splitlines()
    analytic = numbers_in(moments[-1])
    assert analytic[0] == pytest.approx(stats.bernoulli.mean(0.3), abs=5e-5)
    assert analytic[-1] == pytest.approx(stats.bernoulli.var(0.3), abs=5e-5)
    n_big = 100_000
    big = numbers_in(moments[2])
    assert big[0] == n_big and big[1] == pytest.approx(0.3, abs=4 * np.sqrt(0.21 / n_big))

    printed = numbers_in(stdout_of(executed, "demo-logits"))
    expected = special.softmax([2.5, 1.2, 0.5, -0.3, -1.0])
    assert printed[:5] == pytest.approx(np.round(expected, 4), abs=1e-12)
    assert printed[5] == pytest.approx(1.0, abs=1e-6)

    overflow = stdout_of(executed, "demo-overflow")
    assert "[nan  0.]" in overflow and "[1. 0.]" in overflow

    u = np.random.default_rng(7).random(6)
    classes = np.searchsorted(np.cumsum([0.1, 0.45, 0.15, 0.3]), u, side="right")
    assert numbers_in(stdout_of(executed, "demo-inverse-cdf"))[-6:] == list(classes)


def test_numbers_stated_for_the_stable_softmax_the_log1p_and_the_answers():
    text = markdown_text(read_notebook(notebook_path(LAB)))
    # Part D: every exp(z) underflows at [-1000, -1001], so the literal formula divides 0 by 0
    z = np.array([-1000.0, -1001.0])
    assert np.all(np.exp(z) == 0.0)
    with np.errstate(invalid="ignore"):
        assert np.all(np.isnan(np.exp(z) / np.exp(z).sum()))
    shifted = special.softmax(z)
    np.testing.assert_allclose(shifted, special.softmax([0.0, -1.0]), rtol=1e-15)
    claims = {
        "[0.731, 0.269]": shifted,  # softmax([-1000, -1001]) = softmax([0, -1]) = softmax([1, 0])
        "[0.881, 0.119]": special.softmax([2.0, 0.0]),  # answer 2: doubling the logits sharpens
    }
    for stated, reference in claims.items():
        assert stated == f"[{reference[0]:.3f}, {reference[1]:.3f}]", f"the lab states {stated}, scipy {reference}"
        assert stated in text
    np.testing.assert_allclose(special.softmax([1.0, 0.0]), shifted, rtol=1e-15)
    # answer 1: the interval [-0.005, 0.005] under N(0, 0.1^2), about density x width = 3.99 x 0.01
    strip = stats.norm.cdf(0.005, 0, 0.1) - stats.norm.cdf(-0.005, 0, 0.1)
    assert f"{strip:.3f}" == "0.040" and r"\approx 0.040" in text
    # Part B: np.log(1 - p) loses a tiny p, np.log1p keeps it
    assert np.log(1 - 1e-18) == 0.0 and np.log1p(-1e-18) == -1e-18
    assert "`np.log(1 - 1e-18)` returns `0.0`" in text and "`np.log1p(-1e-18)` returns `-1e-18`" in text


def test_what_the_lab_says_pytorch_computes(torch):
    """Part B: torch's Bernoulli clamps p to [eps, 1 - eps] (float32's eps), scipy's is exact."""
    text = markdown_text(read_notebook(notebook_path(LAB)))
    certain_one = torch.distributions.Bernoulli(probs=torch.tensor(1.0))
    impossible = certain_one.log_prob(torch.tensor(0.0)).item()
    certain = certain_one.log_prob(torch.tensor(1.0)).item()
    eps = torch.finfo(torch.float32).eps
    assert f"{eps:.2e}" == "1.19e-07" and r"\epsilon = 1.19 \times 10^{-7}" in text
    assert f"{impossible:.2f}" == "-15.94" and impossible == pytest.approx(np.log(eps), rel=1e-6)
    assert r"returns $-15.94$" in text and r"\log \epsilon = -15.94" in text
    assert certain == pytest.approx(-eps, rel=1e-3) and certain != 0.0
    assert r"is $-1.19 \times 10^{-7}$ rather than 0" in text
    assert stats.bernoulli.logpmf(0, 1.0) == -np.inf and stats.bernoulli.logpmf(1, 1.0) == 0.0
