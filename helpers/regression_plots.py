"""Figures and the slider demo of Lab 3 (a Gaussian likelihood gives the mean squared error).

Each ``draw_*`` function draws on a Matplotlib ``Axes`` it is given and returns it. Squared errors and
Gaussian negative log-likelihoods are computed here with plain numpy, for drawing only, on the data the
figure shows; the graded functions of Lab 3 are the student's to write, and nothing here is one of them.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from helpers.plots import COLORS
from helpers.widgets import SliderFigure, control

LOG_2PI_HALF = 0.5 * np.log(2 * np.pi)
"""½ log(2π) = 0.9189 nats: the Gaussian NLL's constant at σ = 1."""


def _as_arrays(x, y, prediction, sigma):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    prediction = np.asarray(prediction, dtype=float)
    sigma = np.broadcast_to(np.asarray(sigma, dtype=float), x.shape)
    if x.ndim != 1 or y.shape != x.shape or prediction.shape != x.shape:
        raise ValueError(f"x, y and prediction must be 1-D of one shape, got {x.shape}, {y.shape}, "
                         f"{prediction.shape}")
    if not np.all(sigma > 0):
        raise ValueError("sigma must be positive")
    return x, y, prediction, sigma


def draw_gaussian_targets(ax, x, y, prediction, sigma, *, n_densities: int = 3,
                          title: str = "The targets are Gaussian around the prediction",
                          prediction_label: str = "prediction ŷ(x)"):
    """Targets ``y`` against ``x`` with the prediction ŷ(x), the bands ŷ ± σ and ŷ ± 2σ, and the density
    N(ŷ, σ²) drawn sideways at ``n_densities`` values of x (its shape: every peak has the same height).
    Introduced in Lab 3.

    The model says y_i ~ N(ŷ_i, σ_i²): the prediction is fixed and the target scatters around it.
    ``sigma`` is a standard deviation, one number or one per sample (then the bands follow it).
    """
    x, y, prediction, sigma = _as_arrays(x, y, prediction, sigma)
    order = np.argsort(x)
    xs, ps, ss = x[order], prediction[order], sigma[order]
    ax.fill_between(xs, ps - 2 * ss, ps + 2 * ss, color="0.88", label="ŷ ± 2σ (95% of targets)")
    ax.fill_between(xs, ps - ss, ps + ss, color="0.72", label="ŷ ± σ (68% of targets)")
    ax.plot(xs, ps, color=COLORS[0], linestyle="-", label=prediction_label)
    ax.scatter(x, y, s=16, color="black", marker="o", zorder=3, label="targets y")
    if n_densities:
        width = 0.12 * (xs[-1] - xs[0])
        for k, position in enumerate(np.linspace(xs[0], xs[-1], n_densities + 2)[1:-1]):
            i = int(np.argmin(np.abs(xs - position)))
            grid = np.linspace(ps[i] - 3 * ss[i], ps[i] + 3 * ss[i], 121)
            bump = np.exp(-0.5 * ((grid - ps[i]) / ss[i]) ** 2)  # the density's shape; every peak drawn equal
            ax.plot(xs[i] + width * bump, grid, color=COLORS[1], linestyle="--", linewidth=1.5,
                    label="shape of N(ŷ, σ²) at that x" if k == 0 else None)
            ax.plot([xs[i], xs[i]], [grid[0], grid[-1]], color=COLORS[1], linestyle=":", linewidth=0.8)
    ax.set_xlabel("input x")
    ax.set_ylabel("target y (units of y)")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=8)
    return ax


def draw_mse_nll_curves(ax, x, y, prediction, *, sigma: float = 1.0, offset: float = 0.0,
                        offsets=None, nll_limits=(-1.0, 8.0)):
    """The MSE (left axis) and the mean Gaussian NLL at a fixed σ (right axis) of the shifted predictions
    ŷ + c, as functions of the shift c, with a marker at c = ``offset``. Introduced in Lab 3.

    mean NLL(c) = ½ log(2πσ²) + MSE(c) / (2σ²): an increasing affine function of the MSE, so both curves
    have their minimum at the same c, whatever σ. Returns ``ax``; the NLL axis is ``ax.nll_axis``.
    """
    if sigma <= 0:
        raise ValueError(f"sigma must be positive, got {sigma}")
    x, y, prediction, _ = _as_arrays(x, y, prediction, 1.0)
    shifts = np.linspace(-2.0, 2.0, 201) if offsets is None else np.asarray(offsets, dtype=float)
    residuals = y[None, :] - prediction[None, :] - shifts[:, None]
    squared = np.mean(residuals**2, axis=1)
    constant = 0.5 * np.log(2 * np.pi * sigma**2)
    nll = constant + squared / (2 * sigma**2)
    here = np.mean((y - prediction - offset) ** 2)
    nll_here = constant + here / (2 * sigma**2)
    best = shifts[np.argmin(squared)]

    ax.plot(shifts, squared, color=COLORS[0], linestyle="-", label="MSE (left axis)")
    ax.plot([offset], [here], marker="o", color=COLORS[0], linestyle="none", markersize=7)
    ax.axvline(best, color="0.4", linestyle=":", linewidth=1.2, label=f"minimum of both, c = {best:.2f}")
    ax.set_ylim(0, 1.05 * squared.max())
    ax.set_xlabel("shift c added to every prediction (units of y)")
    ax.set_ylabel("MSE (squared units of y)")

    nll_axis = ax.twinx()
    nll_axis.plot(shifts, nll, color=COLORS[1], linestyle="--", label="mean NLL (right axis)")
    nll_axis.plot([offset], [nll_here], marker="s", color=COLORS[1], linestyle="none", markersize=7)
    nll_axis.axhline(constant, color=COLORS[1], linestyle="-.", linewidth=1.0,
                     label=f"½ log(2πσ²) = {constant:.3f}")
    nll_axis.set_ylim(*nll_limits)
    nll_axis.set_ylabel("mean NLL (nats per sample)")
    nll_axis.grid(False)
    nll_axis.spines["right"].set_visible(True)

    handles = ax.get_legend_handles_labels()[0] + nll_axis.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="upper center", fontsize=8)
    ax.set_title(f"σ = {sigma:.2f}, c = {offset:+.2f}: MSE = {here:.3f}, mean NLL = {nll_here:.3f} nats")
    ax.nll_axis = nll_axis
    return ax


def mse_nll_explorer(x, y, prediction, sigma: float = 1.0, offset: float = 0.0) -> SliderFigure:
    """σ and shift sliders over :func:`draw_mse_nll_curves`: moving σ rescales and lifts the NLL curve but
    never moves its minimum away from the MSE's. Introduced in Lab 3."""
    sliders = {
        "sigma": control(widgets.FloatSlider, "σ (noise std. dev.)", value=sigma, min=0.3, max=3.0, step=0.05),
        "offset": control(widgets.FloatSlider, "shift c of ŷ", value=offset, min=-2.0, max=2.0, step=0.05),
    }
    return SliderFigure(lambda ax, **v: draw_mse_nll_curves(ax, x, y, prediction, **v), sliders, width=8.0,
                        height=4.0)
