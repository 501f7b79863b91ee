"""Likelihood against log-likelihood: the drawing and the widget of Lab 2 (maximum likelihood).

The likelihood of n coin flips, computed the naive way as a product of n probabilities, underflows to 0.0
once n reaches about 1,500 (for p near 0.8); the log-likelihood, a sum of n logs, keeps its peak. The curves
here are computed for drawing only, flip by flip on a grid strictly inside (0, 1); the graded functions of
Lab 2 (the exact log-likelihood, the maximum-likelihood estimates, grid search) are the student's to write.
"""

from __future__ import annotations

import ipywidgets
import numpy as np

from helpers import data, plots
from helpers.widgets import SliderFigure, control

#: Values of p at which the curves are drawn: steps of 0.005, strictly inside (0, 1).
P_GRID = np.linspace(0.005, 0.995, 199)


def draw_likelihood_curves(ax, n: int = 100, p: float = 0.7, seed: int = 0):
    """Draw, for ``n`` Bernoulli(p) flips, the likelihood as a product of n probabilities (left axis) and
    the log-likelihood as a sum of n logs (right axis, in nats) against p. Introduced in Lab 2.

    The flips are ``data.coin_flips(n, p, seed)``. The title says whether the product underflowed to 0.0
    on the whole grid. The right axis is ``ax.right_ax``; the function returns ``ax``.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    flips = data.coin_flips(n, p, seed=seed)  # checks p
    per_flip = np.where(flips[:, None] == 1, P_GRID, 1.0 - P_GRID)  # (n, grid): P(flip | p)
    product = np.prod(per_flip, axis=0)
    sum_of_logs = np.sum(np.log(per_flip), axis=0)

    (line_product,) = ax.plot(P_GRID, product, color=plots.COLORS[0], linestyle="-",
                              label="likelihood: product of n probabilities")
    right = ax.twinx()
    right.grid(False)
    right.spines["right"].set_visible(True)
    (line_log,) = right.plot(P_GRID, sum_of_logs, color=plots.COLORS[1], linestyle="--",
                             label="log-likelihood: sum of n logs")
    line_true = ax.axvline(p, color="grey", linestyle=":", linewidth=1.5, label=f"true p = {p:.2f}")
    largest = product.max()
    top = 1.1 * largest if largest > 0 else 1.0
    ax.set_ylim(-0.03 * top, top)  # a little room below 0, so that a curve flat at 0.0 stays visible
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel("p (probability of heads)")
    ax.set_ylabel("likelihood L(p)")
    right.set_ylabel("log-likelihood log L(p)  (nats)")
    heads = int(flips.sum())
    verdict = (f"largest product {largest:.3g}" if largest > 0
               else "the product underflowed to 0.0 everywhere")
    ax.set_title(f"n = {n} flips, {heads} heads: {verdict}")
    ax.legend(handles=[line_product, line_log, line_true], loc="upper left", fontsize=9)
    ax.right_ax = right
    return ax


def likelihood_explorer(n: int = 100, p: float = 0.7, seed: int = 0) -> SliderFigure:
    """n and p sliders: likelihood (a product) and log-likelihood (a sum) of n flips against p. Lab 2.

    Push n past about 1,500 to watch the product underflow while the log-likelihood keeps its peak.
    """
    sliders = {
        "n": control(ipywidgets.IntSlider, "n (flips)", value=n, min=1, max=3000, step=1),
        "p": control(ipywidgets.FloatSlider, "p (true P(heads))", value=p, min=0.05, max=0.95, step=0.01),
    }
    return SliderFigure(lambda ax, **v: draw_likelihood_curves(ax, seed=seed, **v), sliders, width=8.0, height=4.0)
