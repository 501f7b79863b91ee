"""Lab 5 (05_kl_entropy) against independent references: the solution's functions against scipy and
scikit-learn on many inputs, and every number the lab prints or states against scipy."""

from __future__ import annotations

import re

import numpy as np
import pytest
from course import execute, markdown_text, notebook_path, numbers_in, stdout_of
from scipy import integrate, special, stats
from sklearn.metrics import log_loss

LAB = "05_kl_entropy"
P = np.array([0.7, 0.2, 0.1])  # the draft's P and Q
Q = np.array([0.5, 0.3, 0.2])


@pytest.fixture(scope="module")
def nb():
    return execute(notebook_path(LAB))


def dirichlet(seed: int, k: int, size, alpha: float = 1.0, zeros: bool = False) -> np.ndarray:
    """Random probability vectors along the last axis; with ``zeros``, about a quarter of the entries are
    exactly 0 (every vector keeps at least one positive entry)."""
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.full(k, alpha), size=size)
    if zeros:
        mask = rng.random(p.shape) < 0.25
        mask[..., 0] = False
        p = np.where(mask, 0.0, p)
        p /= p.sum(axis=-1, keepdims=True)
    return p


def quad_kl(m1: float, s1: float, m2: float, s2: float) -> float:
    """KL(N(m1, s1^2) ‖ N(m2, s2^2)) by adaptive quadrature of p log(p / q), with scipy's log-densities."""

    def integrand(x):
        return stats.norm.pdf(x, m1, s1) * (stats.norm.logpdf(x, m1, s1) - stats.norm.logpdf(x, m2, s2))

    value, _ = integrate.quad(integrand, m1 - 40 * s1, m1 + 40 * s1, points=[m1], epsabs=1e-14,
                              epsrel=1e-12, limit=400)
    return value


# --- entropy ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("zeros", [False, True])
def test_entropy_matches_scipy_on_batches(solution, seed, zeros):
    p = dirichlet(seed, k=3 + seed, size=(4, 5), alpha=0.5, zeros=zeros)
    expected = special.entr(p).sum(axis=-1)
    np.testing.assert_allclose(solution["entropy"](p), expected, rtol=1e-12, atol=0)
    np.testing.assert_allclose(solution["entropy"](p), stats.entropy(p, axis=-1), rtol=1e-12)
    # every axis of a 3-D batch
    for axis in range(3):
        moved = np.moveaxis(p, -1, axis)
        np.testing.assert_allclose(solution["entropy"](moved, axis=axis), stats.entropy(moved, axis=axis), rtol=1e-12)


@pytest.mark.parametrize("base", [2, 10, np.e, 0.5, 3.7])
def test_entropy_bases_match_scipy(solution, base):
    p = dirichlet(11, k=6, size=8, zeros=True)
    np.testing.assert_allclose(solution["entropy"](p, base=base), stats.entropy(p, base=base, axis=-1), rtol=1e-12)


def test_entropy_extremes(solution):
    entropy = solution["entropy"]
    assert entropy([1.0, 0.0, 0.0]) == 0.0 and not np.signbit(entropy([1.0, 0.0, 0.0]))
    np.testing.assert_allclose(entropy(np.full(10_000, 1e-4)), np.log(10_000), rtol=1e-12)
    np.testing.assert_allclose(entropy([1e-300, 1 - 1e-300]), special.entr([1e-300, 1.0]).sum(), rtol=1e-12)
    np.testing.assert_allclose(entropy(np.array([5e-324, 1.0])), special.entr(np.array([5e-324, 1.0])).sum())
    p32 = dirichlet(3, k=5, size=7).astype(np.float32)
    np.testing.assert_allclose(entropy(p32), stats.entropy(p32.astype(np.float64), axis=-1), rtol=1e-6)
    assert np.shape(entropy([0.5, 0.5])) == ()
    assert np.shape(entropy(np.full((2, 3, 4), 0.25))) == (2, 3)


@pytest.mark.parametrize(("args", "kwargs", "name"), [
    (([0.5, 0.6],), {}, "p"),
    (([1.5, -0.5],), {}, "p"),
    (([0.5, np.nan],), {}, "p"),
    (([[0.5, 0.5], [0.2, 0.8]],), {"axis": 0}, "p"),
    (([0.5, 0.5],), {"base": 1}, "base"),
    (([0.5, 0.5],), {"base": 0}, "base"),
    (([0.5, 0.5],), {"base": -2}, "base"),
])
def test_entropy_rejects_invalid_input(solution, args, kwargs, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        solution["entropy"](*args, **kwargs)


# --- cross-entropy ------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("zeros", [False, True])
def test_cross_entropy_matches_scipy(solution, seed, zeros):
    p = dirichlet(seed, k=4, size=(3, 6), zeros=zeros)
    q = dirichlet(100 + seed, k=4, size=(3, 6), zeros=zeros)
    expected = -special.xlogy(p, q).sum(axis=-1)
    got = solution["cross_entropy_dist"](p, q)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    # H(p, q) = H(p) + KL(p ‖ q), each side from scipy
    np.testing.assert_allclose(got, special.entr(p).sum(-1) + special.rel_entr(p, q).sum(-1), rtol=1e-10)
    for axis in range(3):
        np.testing.assert_allclose(solution["cross_entropy_dist"](np.moveaxis(p, -1, axis), np.moveaxis(q, -1, axis),
                                                            axis=axis), expected, rtol=1e-12)
    np.testing.assert_allclose(solution["cross_entropy_dist"](p, q, base=2), expected / np.log(2), rtol=1e-12)


def test_cross_entropy_of_one_hot_labels_is_sklearn_log_loss(solution):
    rng = np.random.default_rng(7)
    labels = rng.integers(0, 5, size=200)
    q = dirichlet(8, k=5, size=200)
    one_hot = np.eye(5)[labels]
    per_example = solution["cross_entropy_dist"](one_hot, q)
    np.testing.assert_allclose(per_example, -np.log(q[np.arange(200), labels]), rtol=1e-12)
    np.testing.assert_allclose(per_example.mean(), log_loss(labels, q, labels=range(5)), rtol=1e-10)


def test_cross_entropy_boundary_cases(solution):
    ce = solution["cross_entropy_dist"]
    assert ce([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert ce([1.0, 0.0], [1.0, 0.0]) == 0.0
    rows = np.array([[0.5, 0.5, 0.0], [0.0, 1.0, 0.0], [0.2, 0.3, 0.5]])
    cols = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.0, 0.5, 0.5]])
    np.testing.assert_allclose(ce(rows, cols), -special.xlogy(rows, cols).sum(-1))
    p32, q32 = dirichlet(1, 4, 5).astype(np.float32), dirichlet(2, 4, 5).astype(np.float32)
    np.testing.assert_allclose(ce(p32, q32), -special.xlogy(p32.astype(float), q32.astype(float)).sum(-1),
                               rtol=1e-6)


@pytest.mark.parametrize("fn", ["cross_entropy_dist", "kl_divergence"])
@pytest.mark.parametrize(("p", "q", "names"), [
    (np.full(3, 1 / 3), np.full((3, 1), 1 / 3), ["p", "q"]),
    (np.full((2, 3), 1 / 3), np.full(3, 1 / 3), ["p", "q"]),
    ([0.5, 0.5], [0.5, 0.6], ["q"]),
    ([0.5, 0.5], [1.2, -0.2], ["q"]),
    ([0.5, 0.4], [0.5, 0.5], ["p"]),
    ([np.nan, 1.0], [0.5, 0.5], ["p"]),
])
def test_two_distribution_functions_reject_invalid_input(solution, fn, p, q, names):
    with pytest.raises(ValueError) as error:
        solution[fn](p, q)
    for name in names:
        assert re.search(rf"\b{name}\b", str(error.value)), str(error.value)


# --- KL divergence ------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("zeros", [False, True])
def test_kl_matches_scipy(solution, seed, zeros):
    kl = solution["kl_divergence"]
    p = dirichlet(seed, k=5, size=(4, 3), alpha=0.7, zeros=zeros)
    q = dirichlet(50 + seed, k=5, size=(4, 3), alpha=0.7, zeros=zeros)
    expected = special.rel_entr(p, q).sum(axis=-1)
    np.testing.assert_allclose(kl(p, q), expected, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(kl(q, p), special.rel_entr(q, p).sum(axis=-1), rtol=1e-10, atol=1e-15)
    for axis in range(3):
        pm, qm = np.moveaxis(p, -1, axis), np.moveaxis(q, -1, axis)
        np.testing.assert_allclose(kl(pm, qm, axis=axis), stats.entropy(pm, qm, axis=axis), rtol=1e-10, atol=1e-15)
    for base in (2, 10):
        np.testing.assert_allclose(kl(p, q, base=base), stats.entropy(p, q, base=base, axis=-1), rtol=1e-10,
                                   atol=1e-15)


def test_kl_batchmean_equals_pytorch_formula(solution):
    # PyTorch: F.kl_div(input=log q, target=p, reduction="batchmean") = sum(p * (log p - input)) / N, i.e.
    # the mean over rows of KL(p ‖ q). scipy.special.kl_div(p, q) = p log(p / q) - p + q sums to the same
    # for normalised rows.
    p, q = dirichlet(21, 6, 32), dirichlet(22, 6, 32)
    batchmean = np.sum(p * (np.log(p) - np.log(q))) / p.shape[0]
    np.testing.assert_allclose(solution["kl_divergence"](p, q).mean(), batchmean, rtol=1e-10)
    np.testing.assert_allclose(solution["kl_divergence"](p, q), special.kl_div(p, q).sum(-1), rtol=1e-9)


def test_kl_exact_values(solution):
    kl = solution["kl_divergence"]
    p = dirichlet(5, 7, 20, zeros=True)
    assert np.all(kl(p, p) == 0.0)
    assert kl(P, P) == 0.0
    assert kl([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert kl([1.0, 0.0], [1.0, 0.0]) == 0.0
    np.testing.assert_allclose(kl([1.0, 0.0], [0.5, 0.5]), np.log(2), rtol=1e-15)
    np.testing.assert_allclose(kl([1.0, 0.0], [0.5, 0.5], base=2), 1.0, rtol=1e-15)
    tiny_q = [1 - 1e-12, 1e-12]
    np.testing.assert_allclose(kl([0.5, 0.5], tiny_q), special.rel_entr([0.5, 0.5], tiny_q).sum(), rtol=1e-12)
    assert np.all(kl(dirichlet(6, 4, 50), dirichlet(7, 4, 50)) > 0)


# --- Gaussian KL --------------------------------------------------------------------------------------

GAUSSIAN_PAIRS = [(0.0, 1.0, 0.0, 2.0), (0.0, 2.0, 0.0, 1.0), (-1.5, 0.3, 2.0, 1.7), (2.0, 3.0, -1.0, 0.5),
                  (0.5, 0.8, 0.0, 1.0), (1.0, 0.5, 0.0, 1.0), (10.0, 0.01, -3.0, 5.0), (0.0, 4.0, 0.1, 0.2)]


@pytest.mark.parametrize("params", GAUSSIAN_PAIRS)
def test_gaussian_kl_matches_quadrature(solution, params):
    np.testing.assert_allclose(solution["gaussian_kl"](*params), quad_kl(*params), rtol=1e-9)


def test_gaussian_kl_matches_discretised_kl_and_float128(solution):
    # the continuous KL as the limit of KL between the distributions discretised on a fine grid
    x = np.linspace(-20, 20, 400_001)
    for m1, s1, m2, s2 in GAUSSIAN_PAIRS[:5]:
        # in log space, so that no density underflows in the tails
        log_p = stats.norm.logpdf(x, m1, s1) - special.logsumexp(stats.norm.logpdf(x, m1, s1))
        log_q = stats.norm.logpdf(x, m2, s2) - special.logsumexp(stats.norm.logpdf(x, m2, s2))
        discrete = np.sum(np.exp(log_p) * (log_p - log_q))
        np.testing.assert_allclose(solution["gaussian_kl"](m1, s1, m2, s2), discrete, rtol=1e-6)
    rng = np.random.default_rng(9)
    m1, m2 = rng.normal(size=(2, 50))
    s1, s2 = rng.uniform(0.05, 5, size=(2, 50))
    ld = [np.asarray(v, dtype=np.longdouble) for v in (m1, s1, m2, s2)]
    reference = np.log(ld[3] / ld[1]) + (ld[1] ** 2 + (ld[0] - ld[2]) ** 2) / (2 * ld[3] ** 2) - 0.5
    np.testing.assert_allclose(solution["gaussian_kl"](m1, s1, m2, s2), reference.astype(float), rtol=1e-12)


def test_gaussian_kl_broadcasts_and_vae_term(solution):
    rng = np.random.default_rng(10)
    mu1, s1 = rng.normal(size=(3, 1)), rng.uniform(0.2, 2, size=(3, 1))
    mu2, s2 = rng.normal(size=(1, 4)), rng.uniform(0.2, 2, size=(1, 4))
    got = solution["gaussian_kl"](mu1, s1, mu2, s2)
    assert got.shape == (3, 4)
    expected = np.vectorize(quad_kl)(mu1, s1, mu2, s2)
    np.testing.assert_allclose(got, expected, rtol=1e-9)
    mu, sigma = rng.normal(size=10), rng.uniform(0.1, 3, size=10)
    np.testing.assert_allclose(solution["gaussian_kl"](mu, sigma, 0.0, 1.0),
                               0.5 * (mu**2 + sigma**2 - 1) - np.log(sigma), rtol=1e-12)
    assert solution["gaussian_kl"](1.3, 0.7, 1.3, 0.7) == 0.0


@pytest.mark.parametrize(("args", "name"), [
    ((0.0, 0.0, 0.0, 1.0), "sigma1"), ((0.0, -1.0, 0.0, 1.0), "sigma1"), ((0.0, 1.0, 0.0, 0.0), "sigma2"),
    ((0.0, 1.0, 0.0, np.array([1.0, -2.0])), "sigma2"),
])
def test_gaussian_kl_rejects_non_positive_sigma(solution, args, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        solution["gaussian_kl"](*args)


# --- every number the lab prints or states ------------------------------------------------------------


def test_printed_coin_entropies(nb):
    numbers = numbers_in(stdout_of(nb, "demo-coin-entropy"))
    # fair coin: nats, bit; uniform over 8: (the 8), nats, bits
    assert numbers[0] == pytest.approx(stats.entropy([0.5, 0.5]), abs=5e-5)
    assert numbers[1] == pytest.approx(stats.entropy([0.5, 0.5], base=2), abs=5e-5)
    assert numbers[2] == 8
    assert numbers[3] == pytest.approx(stats.entropy(np.full(8, 1 / 8)), abs=5e-5)
    assert numbers[4] == pytest.approx(stats.entropy(np.full(8, 1 / 8), base=2), abs=5e-5)


def test_printed_identity(nb):
    entropy_p, kl_pq, total, cross = numbers_in(stdout_of(nb, "demo-identity"))
    assert entropy_p == pytest.approx(stats.entropy(P), abs=5e-7)
    assert kl_pq == pytest.approx(stats.entropy(P, Q), abs=5e-7)
    assert cross == pytest.approx(-special.xlogy(P, Q).sum(), abs=5e-7)
    assert total == pytest.approx(cross, abs=1e-6)


def test_printed_asymmetry_and_units(nb):
    forward, reverse = numbers_in(stdout_of(nb, "demo-asymmetry"))
    assert forward == pytest.approx(stats.entropy(P, Q), abs=5e-5)
    assert reverse == pytest.approx(stats.entropy(Q, P), abs=5e-5)
    nats, bits, ratio, _one, _two = numbers_in(stdout_of(nb, "demo-units"))
    assert nats == pytest.approx(stats.entropy(P, Q), abs=5e-5)
    assert bits == pytest.approx(stats.entropy(P, Q, base=2), abs=5e-5)
    assert ratio == pytest.approx(1 / np.log(2), abs=5e-5)


def test_printed_support_mismatch(nb):
    exact, clipped, reverse = numbers_in(stdout_of(nb, "demo-support"))
    assert exact == np.inf == special.rel_entr([0.5, 0.5], [1.0, 0.0]).sum()
    p_clip = np.clip([0.5, 0.5], 1e-10, 1 - 1e-10)
    q_clip = np.clip([1.0, 0.0], 1e-10, 1 - 1e-10)
    assert clipped == pytest.approx(special.rel_entr(p_clip, q_clip).sum(), abs=5e-3)
    assert reverse == pytest.approx(special.rel_entr([1.0, 0.0], [0.5, 0.5]).sum(), abs=5e-5)


def test_printed_gaussian_kl(nb):
    first, second = stdout_of(nb, "demo-gaussian-kl").strip().splitlines()
    # "KL(N(0.5, 0.8²) ‖ N(0, 1)): closed form X, numerical Y", then the reverse direction
    assert first.startswith("KL(N(0.5, 0.8²) ‖ N(0, 1))") and second.startswith("KL(N(0, 1) ‖ N(0.5, 0.8²))")
    forward, forward_numeric = numbers_in(first)[-2:]
    reverse, reverse_numeric = numbers_in(second)[-2:]
    for value in (forward, forward_numeric):
        assert value == pytest.approx(quad_kl(0.5, 0.8, 0.0, 1.0), abs=5e-7)
    for value in (reverse, reverse_numeric):
        assert value == pytest.approx(quad_kl(0.0, 1.0, 0.5, 0.8), abs=5e-7)


def mixture_fits():
    """The lab's grid search, redone with scipy: (mu, sigma, KL) of the best forward and reverse fits."""
    x = np.linspace(-10.0, 10.0, 501)
    p = 0.6 * stats.norm.pdf(x, -2.0, 0.6) + 0.4 * stats.norm.pdf(x, 2.0, 0.6)
    p /= p.sum()
    mus, sigmas = np.linspace(-3.0, 3.0, 61), np.linspace(0.4, 3.0, 53)
    q = stats.norm.pdf(x, mus[:, None, None], sigmas[None, :, None])
    q /= q.sum(axis=-1, keepdims=True)
    forward = special.rel_entr(p, q).sum(-1)
    reverse = special.rel_entr(q, p).sum(-1)
    fits = []
    for kl in (forward, reverse):
        i, j = np.unravel_index(np.argmin(kl), kl.shape)
        fits.append((mus[i], sigmas[j], kl[i, j]))
    return fits, mus, reverse.min(axis=1)


def test_printed_forward_and_reverse_fits(nb):
    numbers = numbers_in(stdout_of(nb, "demo-forward-reverse"))
    # each line: "... KL(p ‖ q) is smallest at mu = M, sigma = S: K nats"
    printed = [numbers[-6:-3], numbers[-3:]]
    (forward, reverse), mus, reverse_by_mu = mixture_fits()
    for got, (mu, sigma, value) in zip(printed, (forward, reverse), strict=True):
        assert got[0] == pytest.approx(mu, abs=5e-3)
        assert got[1] == pytest.approx(sigma, abs=5e-3)
        assert got[2] == pytest.approx(value, abs=5e-5)
    # forward KL = moment matching: mean -0.4, std sqrt(0.36 + 4 - 0.16) = 2.049 (grid step 0.05)
    assert forward[0] == pytest.approx(0.6 * -2 + 0.4 * 2, abs=1e-9)
    assert forward[1] == pytest.approx(np.sqrt(0.6**2 + 4 - 0.4**2), abs=0.025)
    # reverse KL: one peak, about -log 0.6; the other peak a local minimum near -log 0.4
    assert reverse[0] == pytest.approx(-2.0) and reverse[1] == pytest.approx(0.6)
    assert reverse[2] == pytest.approx(-np.log(0.6), abs=2e-3)
    local = np.argmin(np.where(mus > 1, reverse_by_mu, np.inf))
    assert mus[local] == pytest.approx(2.0)
    assert reverse_by_mu[local] == pytest.approx(-np.log(0.4), abs=2e-3)


def test_markdown_claims(nb):
    text = markdown_text(nb)
    # the draft's asymmetry, stated in the markdown, to 4 decimals
    assert "0.0851" in text and "0.0920" in text
    assert f"{stats.entropy(P, Q):.4f}" == "0.0851" and f"{stats.entropy(Q, P):.4f}" == "0.0920"
    # the draft's clipped entropy and KL
    clipped = np.clip([1.0, 0.0, 0.0], 1e-10, 1 - 1e-10)
    assert "4.7 \\times 10^{-9}" in text
    assert f"{-np.sum(clipped * np.log(clipped)):.1e}" == "4.7e-09"
    assert "10.82" in text
    # log 2, 1/ln 2, -log 1e-10, -log 0.6 and -log 0.4, moment matching
    assert "0.6931" in text and f"{np.log(2):.4f}" == "0.6931"
    assert "1.4427" in text and f"{1 / np.log(2):.4f}" == "1.4427"
    assert "23.03" in text and f"{-np.log(1e-10):.2f}" == "23.03"
    assert "-\\log 0.6 = 0.511" in text and f"{-np.log(0.6):.3f}" == "0.511"
    assert "-\\log 0.4 = 0.916" in text and f"{-np.log(0.4):.3f}" == "0.916"
    assert "\\sqrt{0.6^2 + 4 - 0.4^2} = 2.05" in text and f"{np.sqrt(0.36 + 4 - 0.16):.2f}" == "2.05"
    assert "**Total: 14 points.**" in text


def test_points_add_up():
    from course import grade_cells, read_notebook

    points = {gid: c.metadata.nbgrader["points"] for gid, c in grade_cells(read_notebook(notebook_path(LAB))).items()}
    assert points == {"test_entropy": 3, "test_cross_entropy_dist": 3, "test_kl_divergence": 4,
                      "test_gaussian_kl": 4}


# --- what the text says about PyTorch, differential entropy and the answers to its questions ----------------------


def test_pytorch_kl_div_is_batchmean_kl_with_log_q_first(solution, torch):
    """Question 3: F.kl_div(input=log q, target=p, reduction='batchmean') is the mean over the rows of KL(p ‖ q);
    'sum' is their sum; the default 'mean' divides by N·K and warns; target zeros give 0 (xlogy)."""
    import warnings

    functional = torch.nn.functional
    p, q = dirichlet(31, 5, 16, zeros=True), dirichlet(32, 5, 16)
    kl = solution["kl_divergence"](p, q)
    log_q, target = torch.log(torch.tensor(q)), torch.tensor(p)
    assert functional.kl_div(log_q, target, reduction="batchmean").item() == pytest.approx(kl.mean(), rel=1e-12)
    assert functional.kl_div(log_q, target, reduction="sum").item() == pytest.approx(kl.sum(), rel=1e-12)
    np.testing.assert_allclose(functional.kl_div(log_q, target, reduction="none").sum(-1).numpy(), kl, rtol=1e-12)
    with pytest.warns(UserWarning, match="batchmean"):
        mean = functional.kl_div(log_q, target, reduction="mean").item()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        default = functional.kl_div(log_q, target).item()
    assert mean == default == pytest.approx(kl.sum() / p.size, rel=1e-12)
    assert mean != pytest.approx(kl.mean())
    # with the arguments the other way round it is KL(q ‖ p): the first argument of kl_divergence is target
    p_positive = dirichlet(33, 5, 16)
    swapped = functional.kl_div(torch.log(torch.tensor(p_positive)), torch.tensor(q), reduction="batchmean").item()
    assert swapped == pytest.approx(solution["kl_divergence"](q, p_positive).mean(), rel=1e-12)
    assert swapped != pytest.approx(solution["kl_divergence"](p_positive, q).mean(), rel=1e-3)


def test_pytorch_losses_take_input_then_target(torch):
    """Question 3's answer: PyTorch's functional losses take (input, target), the reverse of (y_true, prediction)."""
    import inspect

    functional = torch.nn.functional
    for loss in (functional.kl_div, functional.cross_entropy, functional.binary_cross_entropy, functional.mse_loss):
        assert list(inspect.signature(loss).parameters)[:2] == ["input", "target"], loss.__name__


def test_the_text_states_what_pytorch_needs(nb):
    text = markdown_text(nb)
    assert "reduction='batchmean'" in text and "`input` $= \\log q$" in text and "`target` $= p$" in text
    assert "reduction='mean'" in text and "N \\cdot K" in text


def test_differential_entropy_claims():
    """The forward-KL bullet: a Gaussian has differential entropy ½ log(2πeσ²), negative below σ = 0.242."""
    for sigma in (0.1, 0.5, 2.0):
        assert stats.norm(0.0, sigma).entropy() == pytest.approx(0.5 * np.log(2 * np.pi * np.e * sigma**2))
    threshold = 1 / np.sqrt(2 * np.pi * np.e)
    assert f"{threshold:.3f}" == "0.242"
    assert stats.norm(0.0, 0.24).entropy() < 0 < stats.norm(0.0, 0.25).entropy()
    assert stats.norm(0.0, threshold).entropy() == pytest.approx(0.0, abs=1e-15)


def test_answers_to_the_questions(solution, nb):
    text = markdown_text(nb)
    assert text.count("<details><summary>Answer</summary>") == 5 and text.count("</details>") == 5
    # 1: the smallest cross-entropy against the smoothed target is its entropy, 0.394 nats, at q = p
    smoothed = np.array([0.9, 0.05, 0.05])
    assert "0.394" in text and f"{stats.entropy(smoothed):.3f}" == "0.394"
    assert solution["cross_entropy_dist"](smoothed, smoothed) == pytest.approx(stats.entropy(smoothed))
    others = dirichlet(40, 3, 200)
    assert np.all(solution["cross_entropy_dist"](np.broadcast_to(smoothed, others.shape), others)
                  > stats.entropy(smoothed))
    # 2: KL((1, 0) ‖ (0.5, 0.5)) = log 2, the other way +inf
    assert special.rel_entr([1.0, 0.0], [0.5, 0.5]).sum() == pytest.approx(np.log(2))
    assert special.rel_entr([0.5, 0.5], [1.0, 0.0]).sum() == np.inf
    # 4: the prior itself has KL 0
    assert solution["gaussian_kl"](0.0, 1.0, 0.0, 1.0) == 0.0 == quad_kl(0.0, 1.0, 0.0, 1.0)
    # 5: maximum likelihood = moment matching, mu = -0.4 and sigma = 2.05 (the forward fit, tested above)
    assert "$\\mu = -0.4$ and $\\sigma = 2.05$" in text


def test_exercise_text_claims(solution, nb):
    text = markdown_text(nb)
    # the draft's clipping range, and what it gives
    assert "Clipping $p$\nto $[10^{-10}, 1 - 10^{-10}]$" in text
    clipped = np.clip([1.0, 0.0, 0.0], 1e-10, 1 - 1e-10)
    assert f"{-np.sum(clipped * np.log(clipped)):.1e}" == "4.7e-09"
    # a rounding error passes, a sum of 0.999 does not, NaN is rejected
    assert "`np.full(7, 1 / 7)` sums to\n  0.9999999999999998" in text
    assert repr(np.full(7, 1 / 7).sum()) == "np.float64(0.9999999999999998)"
    assert solution["entropy"](np.full(7, 1 / 7)) == pytest.approx(np.log(7))
    for bad in ([0.5, 0.499], [np.nan, 1.0]):
        with pytest.raises(ValueError, match=r"\bp\b"):
            solution["entropy"](bad)
    assert not (np.nan >= 0) and not (np.nan <= 1)
    # one way of naming KL: in words at most once, never "from ... to ..."
    assert text.count("KL divergence of") <= 1 and not re.search(r"divergence\s+from", text)


def test_static_figure_before_the_widget(nb):
    ids = [cell.get("id") for cell in nb.cells]
    figure = nb.cells[ids.index("figure-information")]
    assert ids.index("figure-information") < ids.index("widget-information")
    assert "draw_information_bars" in figure.source
    assert any(output.get("data", {}).get("image/png") for output in figure.outputs)
