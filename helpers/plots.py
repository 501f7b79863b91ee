"""Plot styling and the drawing functions behind the labs' figures and widgets.

Every ``draw_*`` function draws on a Matplotlib ``Axes`` it is given and returns it, so that a widget can
redraw and a test can inspect what was drawn. Densities are computed here with plain numpy for drawing
only; the graded functions are the student's to write.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler

#: Colours and line styles that stay distinguishable in grey-scale print.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1)), (0, (3, 1, 1, 1)))

COURSE_STYLE = {
    "figure.figsize": (7.0, 3.6),
    "figure.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "axes.prop_cycle": cycler(color=COLORS) + cycler(linestyle=LINESTYLES),
}


def use_course_style() -> None:
    """Apply the course's Matplotlib style (explicitly: importing this module changes nothing).

    Introduced in Lab 1.
    """
    mpl.rcParams.update(COURSE_STYLE)


def new_axes(ncols: int = 1, *, width: float = 7.0, height: float = 3.6):
    """A figure with ``ncols`` side-by-side axes; returns ``(fig, axes)`` (a single Axes when ncols=1)."""
    fig, axes = plt.subplots(1, ncols, figsize=(width, height), layout="constrained")
    return fig, axes


def _normal_density(x: np.ndarray, mu: float, sigma: float) -> np.ndarray:
    """N(x | mu, sigma^2) = exp(-(x - mu)^2 / (2 sigma^2)) / (sigma sqrt(2 pi)), for drawing only."""
    return np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))


def draw_gaussian_family(ax, params: Sequence[tuple[float, float]], x: np.ndarray | None = None):
    """Draw the densities N(mu, sigma^2) for each (mu, sigma) in ``params``. Introduced in Lab 1.

    A density is not a probability: with sigma = 0.1 its peak is 1 / (0.1 sqrt(2 pi)) = 3.99 > 1.
    """
    x = np.linspace(-4, 4, 801) if x is None else np.asarray(x, dtype=float)
    for mu, sigma in params:
        ax.plot(x, _normal_density(x, mu, sigma), label=f"μ = {mu:g}, σ = {sigma:g}")
    ax.set_xlabel("x")
    ax.set_ylabel("density p(x)  (per unit of x)")
    ax.set_title("Gaussian densities N(μ, σ²)")
    ax.legend()
    return ax


def draw_gaussian_sample(ax, mu: float = 0.0, sigma: float = 1.0, n: int = 200, seed: int = 0):
    """Histogram of ``n`` draws from N(mu, sigma^2) (area 1) against the density. Introduced in Lab 1.

    The draws come from ``np.random.default_rng(seed)``, so a figure is reproducible.
    """
    if sigma <= 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    sample = np.random.default_rng(seed).normal(mu, sigma, size=n)
    x = np.linspace(mu - 4 * sigma, mu + 4 * sigma, 401)
    ax.hist(sample, bins=max(5, int(np.sqrt(n))), density=True, color=COLORS[0], alpha=0.45,
            label=f"histogram of {n} draws")
    ax.plot(x, _normal_density(x, mu, sigma), color=COLORS[1], linestyle="--", label="density N(μ, σ²)")
    ax.set_xlim(x[0], x[-1])
    ax.set_xlabel("x")
    ax.set_ylabel("density (per unit of x)")
    ax.set_title(f"n = {n}: sample mean {sample.mean():.3f} (μ = {mu:g}), "
                 f"std of the draws (÷ n) {sample.std():.3f} (σ = {sigma:g})")
    ax.legend(loc="upper right")
    return ax


def draw_bernoulli_sample(ax, p: float = 0.3, n: int = 50, seed: int = 0):
    """Observed frequencies of 0 and 1 in ``n`` Bernoulli(p) draws against the pmf (1 - p, p).

    Introduced in Lab 1. Draws are ``rng.random(n) < p`` with ``rng = np.random.default_rng(seed)``.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must lie in [0, 1], got {p}")
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    draws = np.random.default_rng(seed).random(n) < p
    frequencies = np.array([np.mean(~draws), np.mean(draws)])
    outcomes = np.array([0, 1])
    ax.bar(outcomes - 0.18, [1 - p, p], width=0.36, color=COLORS[0], label="pmf P(X = k)")
    ax.bar(outcomes + 0.18, frequencies, width=0.36, color=COLORS[1], hatch="//", alpha=0.8,
           label=f"frequency in {n} draws")
    ax.set_xticks(outcomes, ["k = 0", "k = 1"])
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("outcome k")
    ax.set_ylabel("probability")
    ax.set_title(f"Bernoulli(p = {p:.2f})")
    ax.legend(loc="upper center")
    return ax


def draw_bars(ax, labels: Sequence[str], values, *, ylabel: str, title: str, annotate: str = "{:.3f}"):
    """Bar chart of ``values`` over ``labels`` with each value written above its bar. Introduced in Lab 1."""
    values = np.asarray(values, dtype=float)
    bars = ax.bar(list(labels), values, color=COLORS[0])
    for bar, value in zip(bars, values, strict=True):
        ax.annotate(annotate.format(value), (bar.get_x() + bar.get_width() / 2, value),
                    ha="center", va="bottom" if value >= 0 else "top")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(axis="x", visible=False)
    return ax
