"""helpers.contrastive_plots (Lab 9): the softmax over the candidates and the mutual-information bound are drawn
with the right numbers (against scipy, computed independently here), the widgets redraw when a slider moves,
invalid input raises, and nothing in the module is a graded answer."""

import warnings

import matplotlib
import numpy as np
import pytest
from scipy import special, stats

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from helpers import contrastive_plots  # noqa: E402

GRADED_IN_LAB_9 = {"cosine_similarity", "info_nce", "info_nce_in_batch"}


@pytest.fixture
def ax():
    figure, axes = plt.subplots()
    yield axes
    plt.close(figure)


def drawn_bars(ax):
    """(the positive's bar height, the negatives' bar heights), in the order they were drawn."""
    positive, negatives = ax.containers
    return positive[0].get_height(), np.array([bar.get_height() for bar in negatives])


@pytest.mark.parametrize(("positive", "negatives", "temperature"), [
    (0.8, [0.7, 0.2, -0.3], 1.0),
    (0.5, [0.0, -1.0], 1.0),
    (-1.0, [1.0, 1.0, 1.0], 0.001),
    (1.0, [-1.0] * 5, 0.01),
    (0.3, [0.3], 7.0),
])
def test_bars_and_title_match_scipy(ax, positive, negatives, temperature):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # tiny temperatures must draw without an overflow warning
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            assert contrastive_plots.draw_candidate_softmax(ax, positive, negatives, temperature) is ax
    logits = np.array([positive, *negatives]) / temperature
    drawn_positive, drawn_negatives = drawn_bars(ax)
    np.testing.assert_allclose([drawn_positive, *drawn_negatives], special.softmax(logits), rtol=1e-12, atol=1e-300)
    loss = special.logsumexp(logits) - logits[0]
    assert f"{loss:.3f} nats" in ax.get_title()
    assert f"log(K + 1) = {np.log(len(negatives) + 1):.3f}" in ax.get_title()
    (uniform,) = [line for line in ax.get_lines() if "uniform" in line.get_label()]
    assert uniform.get_ydata()[0] == pytest.approx(1 / (len(negatives) + 1))
    assert ax.get_xlabel() and ax.get_ylabel() and len(ax.get_legend().get_texts()) == 3


def test_the_worked_example_of_part_b(ax):
    """Cosines (0.5, 0, -1) at τ = 1: the positive's probability 0.54655 and the loss 0.6041 the lab states."""
    contrastive_plots.draw_candidate_softmax(ax, 0.5, [0.0, -1.0], 1.0)
    assert drawn_bars(ax)[0] == pytest.approx(0.54655, abs=5e-6)
    assert "0.604 nats" in ax.get_title()


@pytest.mark.parametrize(("args", "name"), [
    ((1.5, [0.0], 1.0), "positive_similarity"),
    ((0.5, [0.0, -1.2], 1.0), "negatives"),
    ((0.5, [], 1.0), "negatives"),
    ((0.5, [[0.1, 0.2]], 1.0), "negatives"),
    ((0.5, [0.1], 0.0), "temperature"),
    ((0.5, [0.1], -1.0), "temperature"),
])
def test_invalid_candidates_raise(ax, args, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        contrastive_plots.draw_candidate_softmax(ax, *args)


def test_negative_similarities_are_nested_sorted_cosines():
    every = contrastive_plots.negative_similarities(contrastive_plots.MAX_NEGATIVES)
    assert np.all(np.diff(every) <= 0) and np.all((every >= -0.4) & (every <= 0.8))
    draws = np.random.default_rng(0).uniform(-0.4, 0.8, size=contrastive_plots.MAX_NEGATIVES)
    np.testing.assert_array_equal(contrastive_plots.negative_similarities(8), np.sort(draws[:8])[::-1])
    # the eight of the lab's figure: from -0.38 to 0.70, as its text says
    assert contrastive_plots.negative_similarities(8)[[0, -1]] == pytest.approx([0.70, -0.38], abs=5e-3)
    for bad in (0, contrastive_plots.MAX_NEGATIVES + 1, 2.0):
        with pytest.raises(ValueError, match=r"\bcount\b"):
            contrastive_plots.negative_similarities(bad)


def test_temperature_explorer_redraws_when_a_slider_moves():
    widget = contrastive_plots.temperature_explorer()
    assert widget.values == pytest.approx({"temperature": 1.0, "positive_similarity": 0.8, "negatives": 8})
    first = widget.figure
    widget.sliders["temperature"].value = 0.1
    widget.sliders["negatives"].value = 12
    widget.sliders["positive_similarity"].value = -0.5
    assert widget.figure is not first
    logits = np.array([-0.5, *contrastive_plots.negative_similarities(12)]) / widget.values["temperature"]
    drawn_positive, drawn_negatives = drawn_bars(widget.axes)
    assert drawn_negatives.size == 12
    np.testing.assert_allclose([drawn_positive, *drawn_negatives], special.softmax(logits), rtol=1e-12)
    assert f"{special.logsumexp(logits) - logits[0]:.3f} nats" in widget.axes.get_title()


@pytest.mark.parametrize("kappa", [0.5, 1.0, 10.0, 100.0, 300.0])
def test_mutual_information_matches_the_von_mises_entropy(kappa):
    """I = h(φ) - h(φ | θ) = log(2π) - h(von Mises(κ)), scipy's differential entropy."""
    expected = np.log(2 * np.pi) - stats.vonmises(kappa).entropy()
    assert contrastive_plots.von_mises_mutual_information(kappa) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_mutual_information_by_monte_carlo():
    """E[log p(φ | θ) / p(φ)] over draws of the pairs, with scipy's von Mises density."""
    z1, z2 = contrastive_plots.von_mises_pairs(200_000, 10.0, seed=3)
    theta, phi = np.arctan2(z1[:, 1], z1[:, 0]), np.arctan2(z2[:, 1], z2[:, 0])
    log_ratio = stats.vonmises.logpdf(phi - theta, 10.0) + np.log(2 * np.pi)
    assert np.mean(log_ratio) == pytest.approx(contrastive_plots.von_mises_mutual_information(10.0), abs=0.01)


def test_von_mises_pairs():
    z1, z2 = contrastive_plots.von_mises_pairs(5000, 10.0, seed=0)
    assert z1.shape == z2.shape == (5000, 2)
    np.testing.assert_allclose(np.linalg.norm(z1, axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(z2, axis=1), 1.0, rtol=1e-12)
    rng = np.random.default_rng(0)  # the documented draws: θ first, then the noise
    theta = rng.uniform(-np.pi, np.pi, size=5000)
    phi = theta + rng.vonmises(0.0, 10.0, size=5000)
    np.testing.assert_allclose(z1, np.column_stack([np.cos(theta), np.sin(theta)]), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(z2, np.column_stack([np.cos(phi), np.sin(phi)]), rtol=1e-12, atol=1e-15)
    # the noise is von Mises(κ): E[cos(φ - θ)] = I1(κ) / I0(κ)
    assert np.mean(np.sum(z1 * z2, axis=1)) == pytest.approx(special.i1e(10.0) / special.i0e(10.0), abs=0.005)
    for bad in ({"n": 0, "kappa": 1.0}, {"n": 3, "kappa": 0.0}):
        with pytest.raises(ValueError, match=rf"\b{next(k for k, v in bad.items() if not v)}\b"):
            contrastive_plots.von_mises_pairs(**bad)


def reference_estimates(kappa, temperature, pairs=4096, seed=0):
    """log N - L for each batch size, with scipy's logsumexp, on the documented pairs."""
    z1, z2 = contrastive_plots.von_mises_pairs(pairs, kappa, seed)
    estimates = []
    for size in contrastive_plots.BATCH_SIZES:
        losses = []
        for start in range(0, pairs - size + 1, size):
            logits = z1[start:start + size] @ z2[start:start + size].T / temperature
            losses.append(np.mean(special.logsumexp(logits, axis=1) - np.diag(logits)))
        estimates.append(np.log(size) - np.mean(losses))
    return np.array(estimates)


@pytest.mark.parametrize(("kappa", "temperature"), [(10.0, None), (10.0, 1.0), (100.0, 0.01), (1.0, 0.3)])
def test_mutual_information_figure(ax, kappa, temperature):
    assert contrastive_plots.draw_mutual_information_bound(ax, kappa, temperature) is ax
    tau = 1 / kappa if temperature is None else temperature
    ceiling, estimate = [line for line in ax.get_lines() if line.get_linestyle() != ":"]
    sizes = np.array(contrastive_plots.BATCH_SIZES)
    np.testing.assert_array_equal(ceiling.get_xdata(), sizes)
    np.testing.assert_allclose(ceiling.get_ydata(), np.log(sizes), rtol=1e-15)
    np.testing.assert_allclose(estimate.get_ydata(), reference_estimates(kappa, tau), rtol=1e-10, atol=1e-12)
    assert np.all(estimate.get_ydata() < np.log(sizes))  # below the ceiling, always
    information = contrastive_plots.von_mises_mutual_information(kappa)
    (true_line,) = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
    assert true_line.get_ydata()[0] == pytest.approx(information)
    assert f"{information:.3f} nats" in " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def test_the_best_critic_gives_the_tightest_bound():
    """At N = 512 the estimate with τ = 1/κ is within sampling noise (0.03 nats) of I and above those of τ 3 times
    smaller or larger: every τ gives a lower bound, the best critic the tightest."""
    best = reference_estimates(10.0, 0.1)[-1]
    assert best == pytest.approx(contrastive_plots.von_mises_mutual_information(10.0), abs=0.03)
    assert best > reference_estimates(10.0, 0.3)[-1] and best > reference_estimates(10.0, 0.1 / 3)[-1]


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"kappa": 10.0, "temperature": 0.0}, "temperature"),
    ({"kappa": 0.0}, "kappa"),
    ({"kappa": 10.0, "pairs": 100}, "pairs"),
])
def test_invalid_bound_arguments_raise(ax, kwargs, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        contrastive_plots.draw_mutual_information_bound(ax, **kwargs)


def test_mutual_information_explorer_redraws_when_a_slider_moves():
    widget = contrastive_plots.mutual_information_explorer()
    assert widget.values == pytest.approx({"kappa": 10.0, "temperature": 0.1})
    first = widget.figure
    widget.sliders["kappa"].value = 100.0
    widget.sliders["temperature"].value = 0.01
    assert widget.figure is not first
    (_, estimate) = [line for line in widget.axes.get_lines() if line.get_linestyle() != ":"]
    np.testing.assert_allclose(estimate.get_ydata(), reference_estimates(100.0, 0.01), rtol=1e-10, atol=1e-12)


def test_module_holds_no_graded_answer():
    public = {name for name in vars(contrastive_plots) if not name.startswith("_")}
    assert not public & GRADED_IN_LAB_9, f"helpers must not define or re-export {public & GRADED_IN_LAB_9}"
