"""The figures and slider demos of Lab 9 (InfoNCE: a contrastive loss is a cross-entropy over examples).

``draw_candidate_softmax`` draws the softmax over one query's 1 + K candidates at a temperature (a Boltzmann
distribution with energy -s/τ); ``draw_mutual_information_bound`` draws the in-batch estimate log N - L of the
mutual information of two noisy angles against the batch size N. Both draw on a Matplotlib ``Axes`` they are
given and return it. Losses are computed here with ``scipy.special`` for drawing only, on similarities the
figure shows; the graded functions of Lab 9 are the student's to write, and nothing here is one of them (this
module defines none of their names and imports none of them by name).
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np
from scipy import special

from helpers.plots import COLORS
from helpers.widgets import SliderFigure, control

MAX_NEGATIVES = 32
"""The most negatives the temperature explorer shows."""


def negative_similarities(count: int, seed: int = 0) -> np.ndarray:
    """``count`` cosine similarities of negatives to a query, from the most similar down: the first ``count`` of
    ``MAX_NEGATIVES`` draws from Uniform(-0.4, 0.8) with ``np.random.default_rng(seed)``, sorted in decreasing
    order. The most similar come close to the positive (0.8 in the explorer): hard negatives. Introduced in Lab 9."""
    if not (isinstance(count, (int, np.integer)) and 1 <= count <= MAX_NEGATIVES):
        raise ValueError(f"count must be an integer from 1 to {MAX_NEGATIVES}, got {count!r}")
    draws = np.random.default_rng(seed).uniform(-0.4, 0.8, size=MAX_NEGATIVES)
    return np.sort(draws[:count])[::-1]


def draw_candidate_softmax(ax, positive_similarity: float, negatives: Sequence[float], temperature: float):
    """Bars of the probabilities p_i = softmax(s / τ)_i of one query's candidates, the positive (i = 0, hatched)
    first, then the K negatives, with the uniform 1 / (K + 1) as a line and the loss -log p_0 and the ceiling
    log(K + 1) in the title. Introduced in Lab 9.

    p_i = exp(-E_i) / Z is a Boltzmann distribution with energy E_i = -s_i / τ; the loss is
    L = logsumexp(s / τ) - s_0 / τ = E_0 + log Z, and p_i is also ∂L/∂(s_i / τ) for every negative.
    """
    s_negative = np.asarray(negatives, dtype=float)
    if s_negative.ndim != 1 or s_negative.size < 1:
        raise ValueError(f"negatives must be a 1-D array of at least one similarity, got shape {s_negative.shape}")
    if not -1.0 <= positive_similarity <= 1.0:
        raise ValueError(f"positive_similarity is a cosine and must lie in [-1, 1], got {positive_similarity}")
    if np.any(np.abs(s_negative) > 1.0):
        raise ValueError(f"negatives are cosines and must lie in [-1, 1], got {s_negative}")
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")

    logits = np.concatenate([[positive_similarity], s_negative]) / temperature
    log_probabilities = special.log_softmax(logits)  # 1-D: axis=None is the candidates' axis
    probabilities = np.exp(log_probabilities)
    loss = -log_probabilities[0]
    count = s_negative.size

    positions = np.arange(count + 1)
    ax.bar(positions[:1], probabilities[:1], color="white", edgecolor=COLORS[1], hatch="//", linewidth=1.5,
           label=f"positive, s₀ = {positive_similarity:.2f}")
    ax.bar(positions[1:], probabilities[1:], color=COLORS[0],
           label=f"{count} negatives, s from {s_negative.min():.2f} to {s_negative.max():.2f}")
    ax.axhline(1 / (count + 1), color="black", linestyle=":", linewidth=1.2, label="uniform 1/(K + 1)  (τ → ∞)")
    ticks = positions if count <= 16 else positions[::4]
    ax.set_xticks(ticks, ["+" if i == 0 else str(i) for i in ticks])
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("candidate i  (+ the positive, then the negatives, most similar first)")
    ax.set_ylabel("probability p_i = softmax(s/τ)_i")
    ax.set_title(f"τ = {temperature:.3g}: loss −log p₀ = {loss:.3f} nats, log(K + 1) = {np.log(count + 1):.3f}",
                 fontsize=11)
    ax.legend(loc="upper right", fontsize=8)
    ax.grid(axis="x", visible=False)
    return ax


def temperature_explorer(positive_similarity: float = 0.8, temperature: float = 1.0, negatives: int = 8,
                         seed: int = 0) -> SliderFigure:
    """Sliders for the temperature τ, the positive's similarity s₀ and the number K of negatives (those of
    ``negative_similarities(K, seed)``), above the softmax over the 1 + K candidates. Introduced in Lab 9."""
    sliders = {
        "temperature": control(widgets.FloatLogSlider, "temperature τ", value=temperature, base=10, min=-2.0,
                               max=1.0, step=0.05),
        "positive_similarity": control(widgets.FloatSlider, "similarity of the positive s₀",
                                       value=positive_similarity, min=-1.0, max=1.0, step=0.05),
        "negatives": control(widgets.IntSlider, "negatives K", value=negatives, min=1, max=MAX_NEGATIVES, step=1),
    }

    def draw(ax, temperature, positive_similarity, negatives):
        return draw_candidate_softmax(ax, positive_similarity, negative_similarities(negatives, seed), temperature)

    return SliderFigure(draw, sliders, width=8.0, height=3.8)


def von_mises_mutual_information(kappa: float) -> float:
    """I(θ; φ) in nats for θ ~ Uniform(-π, π) and φ = θ + ε, ε ~ von Mises(0, κ): with the density ratio
    p(φ | θ) / p(φ) = exp(κ cos(φ - θ)) / I₀(κ),

        I = κ I₁(κ) / I₀(κ) - log I₀(κ)

    (I₀, I₁ the modified Bessel functions of the first kind; computed with the scaled ``i0e``, ``i1e``, so that
    a large κ does not overflow). Introduced in Lab 9."""
    if not kappa > 0:
        raise ValueError(f"kappa must be positive, got {kappa}")
    return float(kappa * special.i1e(kappa) / special.i0e(kappa) - (np.log(special.i0e(kappa)) + kappa))


def von_mises_pairs(n: int, kappa: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` pairs of unit vectors in the plane, z1 = (cos θ, sin θ) and z2 = (cos φ, sin φ), with θ uniform on
    [-π, π) and φ = θ + ε, ε ~ von Mises(0, κ); from ``np.random.default_rng(seed)``, θ drawn first. cos(z1, z2)
    = cos(φ - θ), so κ cos(z1, z2), a similarity at temperature τ = 1/κ, is the best critic (the log density
    ratio up to a constant). Returns (z1, z2), each of shape (n, 2). Introduced in Lab 9."""
    if not (isinstance(n, (int, np.integer)) and n >= 1):
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if not kappa > 0:
        raise ValueError(f"kappa must be positive, got {kappa}")
    rng = np.random.default_rng(seed)
    theta = rng.uniform(-np.pi, np.pi, size=n)
    phi = theta + rng.vonmises(0.0, kappa, size=n)
    return np.stack([np.cos(theta), np.sin(theta)], axis=-1), np.stack([np.cos(phi), np.sin(phi)], axis=-1)


def _in_batch_bound(z1: np.ndarray, z2: np.ndarray, batch_size: int, temperature: float) -> float:
    """log N - L averaged over the consecutive batches of N = ``batch_size`` pairs (a remainder is dropped), L the
    in-batch loss of rows z1 against columns z2 with logits cos / τ (the vectors are unit vectors)."""
    batches = len(z1) // batch_size
    left = z1[:batches * batch_size].reshape(batches, batch_size, -1)
    right = z2[:batches * batch_size].reshape(batches, batch_size, -1)
    # the dot products as a sum of outer products over the D = 2 components: faster than a batched matmul with
    # an inner dimension of 2
    logits = sum(left[:, :, None, d] * right[:, None, :, d] for d in range(left.shape[-1])) / temperature
    largest = logits.max(axis=-1, keepdims=True)  # log-sum-exp by hand: scipy's is several times slower here
    log_sum = largest[..., 0] + np.log(np.exp(logits - largest).sum(axis=-1))
    losses = log_sum - np.diagonal(logits, axis1=1, axis2=2)
    return float(np.log(batch_size) - losses.mean())


BATCH_SIZES = tuple(2**k for k in range(1, 10))
"""The batch sizes of the mutual-information figure: 2, 4, ..., 512."""


def draw_mutual_information_bound(ax, kappa: float = 10.0, temperature: float | None = None, *, pairs: int = 4096,
                                  seed: int = 0):
    """The estimate log N - L of I(θ; φ) from the in-batch loss with logits cos(z1_i, z2_j) / τ, for batch sizes
    N = 2, 4, ..., 512 (the same ``von_mises_pairs(pairs, kappa, seed)`` split into batches of N), against the
    ceiling log N and the true I. τ defaults to 1/κ, the best critic. Introduced in Lab 9.

    For every critic the estimate is below I in expectation (and below log N always): it reaches I only with
    the best critic and once log N is well above I."""
    if not kappa > 0:
        raise ValueError(f"kappa must be positive, got {kappa}")
    if temperature is None:
        temperature = 1.0 / kappa
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    if not (isinstance(pairs, (int, np.integer)) and pairs >= BATCH_SIZES[-1]):
        raise ValueError(f"pairs must be an integer of at least {BATCH_SIZES[-1]}, got {pairs!r}")
    information = von_mises_mutual_information(kappa)
    z1, z2 = von_mises_pairs(pairs, kappa, seed)
    sizes = np.array(BATCH_SIZES)
    estimates = np.array([_in_batch_bound(z1, z2, size, temperature) for size in BATCH_SIZES])

    ax.plot(sizes, np.log(sizes), color="black", linestyle="--", label="ceiling log N")
    ax.axhline(information, color=COLORS[2], linestyle=":", label=f"I(X; Y) = {information:.3f} nats")
    ax.plot(sizes, estimates, color=COLORS[0], marker="o", linestyle="-",
            label=f"estimate log N − L, τ = {temperature:.3g}")
    ax.set_xscale("log", base=2)
    ax.set_xticks(sizes, [str(size) for size in sizes])
    ax.set_ylim(min(0.0, estimates.min() - 0.1), max(np.log(sizes[-1]), information) + 0.3)
    ax.set_xlabel("batch size N  (1 positive and N − 1 negatives per row)")
    ax.set_ylabel("nats")
    ax.set_title(f"κ = {kappa:.3g}: best critic τ = 1/κ = {1 / kappa:.3g}; at N = {sizes[-1]} the estimate is "
                 f"{estimates[-1]:.3f}", fontsize=11)
    ax.legend(loc="upper left", fontsize=8)
    return ax


def mutual_information_explorer(kappa: float = 10.0, temperature: float = 0.1) -> SliderFigure:
    """Sliders for the concentration κ of the noise between the two angles and the critic's temperature τ,
    above the estimate log N - L against the batch size. Introduced in Lab 9."""
    sliders = {
        "kappa": control(widgets.FloatLogSlider, "concentration κ", value=kappa, base=10, min=0.0, max=2.5,
                         step=0.1),
        "temperature": control(widgets.FloatLogSlider, "temperature τ", value=temperature, base=10, min=-2.5,
                               max=0.5, step=0.1),
    }
    return SliderFigure(lambda ax, kappa, temperature: draw_mutual_information_bound(ax, kappa, temperature),
                        sliders, width=8.0, height=4.0)
