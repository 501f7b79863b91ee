"""Bayes' rule on a grid: the drawing and the widget of Lab 7 (Bayes and MAP).

For n flips of a coin, the prior Beta(a, b), the likelihood and the posterior are computed on a grid of p values
strictly inside (0, 1), in log space, and the posterior is normalised by dividing by the evidence, summed over
the grid (the trapezoid rule). Nothing here uses the closed forms the lab asks for (the Beta log-density with its
normaliser and boundary cases, the conjugate update, the MAP formula): the grid is Bayes' rule done by brute
force, which the student's functions are then checked against.
"""

from __future__ import annotations

import ipywidgets
import numpy as np

from helpers import data, plots
from helpers.widgets import SliderFigure, control

#: Values of p at which the curves are drawn: steps of 0.0005, strictly inside (0, 1).
P_GRID = np.linspace(0.0005, 0.9995, 1999)


def grid_posterior(a: float, b: float, flips) -> dict[str, np.ndarray | float | None]:
    """Prior, likelihood and posterior of the flips on ``P_GRID``, each scaled to area 1 over the grid, and the
    posterior's summaries: its peak on the grid ("map"), its mean, and the MLE n1 / n (None with no flips).
    Introduced in Lab 7.

    log posterior = n1 log p + n0 log(1 - p) + (a - 1) log p + (b - 1) log(1 - p) + constant; every curve is
    exponentiated after subtracting its maximum, so that nothing underflows for thousands of flips.
    """
    if not (a > 0 and b > 0):
        raise ValueError(f"a and b must be positive, got a = {a}, b = {b}")
    flips = np.asarray(flips)
    n1 = int(np.count_nonzero(flips))
    n0 = flips.size - n1
    log_p, log_q = np.log(P_GRID), np.log1p(-P_GRID)

    def scaled(log_curve):  # exp(log_curve), scaled to area 1 over the grid
        curve = np.exp(log_curve - log_curve.max())
        return curve / np.trapezoid(curve, P_GRID)

    prior = scaled((a - 1) * log_p + (b - 1) * log_q)
    likelihood = scaled(n1 * log_p + n0 * log_q)
    posterior = scaled((n1 + a - 1) * log_p + (n0 + b - 1) * log_q)
    return {
        "prior": prior, "likelihood": likelihood, "posterior": posterior,
        "map": float(P_GRID[np.argmax(posterior)]),
        "mean": float(np.trapezoid(P_GRID * posterior, P_GRID)),
        "mle": n1 / flips.size if flips.size else None,
    }


def draw_posterior_update(ax, a: float = 5.0, b: float = 5.0, n: int = 50, p: float = 0.3, seed: int = 0,
                          legend: bool = True):
    """Draw the prior Beta(a, b) (dotted), the likelihood of ``n`` flips scaled to area 1 (dashed) and the
    posterior (solid) on a grid, with vertical lines at the MLE, the posterior's peak (MAP) and its mean.
    Introduced in Lab 7.

    The flips are ``data.coin_flips(n, p, seed)``. The values are in ``ax.estimates`` (the dict of
    :func:`grid_posterior`); the function returns ``ax``.
    """
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    flips = data.coin_flips(n, p, seed=seed)  # checks p
    curves = grid_posterior(a, b, flips)
    ax.plot(P_GRID, curves["prior"], color=plots.COLORS[2], linestyle=":", label=f"prior Beta({a:g}, {b:g})")
    if n:
        ax.plot(P_GRID, curves["likelihood"], color=plots.COLORS[1], linestyle="--",
                label="likelihood, scaled to area 1")
    ax.plot(P_GRID, curves["posterior"], color=plots.COLORS[0], linestyle="-", label="posterior")
    if n:
        ax.axvline(curves["mle"], color="black", linestyle="--", linewidth=1.0, label=f"MLE {curves['mle']:.3f}")
    ax.axvline(curves["map"], color="black", linestyle="-", linewidth=1.0, label=f"MAP {curves['map']:.3f}")
    ax.axvline(curves["mean"], color="black", linestyle=":", linewidth=1.5,
               label=f"posterior mean {curves['mean']:.3f}")
    top = max(curves["posterior"].max(), curves["likelihood"].max() if n else 0.0, min(curves["prior"].max(), 10.0))
    ax.set_ylim(0.0, 1.1 * top)
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel("p (probability of heads)")
    ax.set_ylabel("density (per unit of p)")
    heads = int(flips.sum())
    ax.set_title(f"{n} flips, {heads} heads" if n else "no flips yet: the posterior is the prior")
    if legend:
        ax.legend(loc="upper right", fontsize=8)
    ax.estimates = curves
    return ax


def posterior_explorer(a: float = 5.0, b: float = 5.0, n: int = 50, p: float = 0.35, seed: int = 0) -> SliderFigure:
    """a, b, n and p sliders: prior, likelihood and posterior of n flips, with the MLE, MAP and posterior mean.
    Lab 7.

    Push n up and the three estimates meet; push a and b up together and the prior needs more flips to be
    overruled. (p starts at 0.35: in JupyterLab an arrow key does not move this slider away from 0.30, a rounding
    quirk of its noUiSlider; the browser tests press arrow keys.)
    """
    sliders = {
        "a": control(ipywidgets.FloatSlider, "a (prior)", value=a, min=0.5, max=50.0, step=0.5),
        "b": control(ipywidgets.FloatSlider, "b (prior)", value=b, min=0.5, max=50.0, step=0.5),
        "n": control(ipywidgets.IntSlider, "n (flips)", value=n, min=0, max=2000, step=1),
        "p": control(ipywidgets.FloatSlider, "p (true P(heads))", value=p, min=0.05, max=0.95, step=0.01),
    }
    widget = SliderFigure(lambda ax, **v: draw_posterior_update(ax, seed=seed, **v), sliders, width=8.0, height=4.0)
    # two rows of sliders, the prior's and the data's: four in one row leave the last one too narrow to use
    rows = [ipywidgets.HBox([sliders["a"], sliders["b"]]), ipywidgets.HBox([sliders["n"], sliders["p"]])]
    widget.children = (ipywidgets.VBox(rows), widget.output)
    return widget
