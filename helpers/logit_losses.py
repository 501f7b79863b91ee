"""Binary cross-entropy against MSE on a sigmoid, drawn as functions of the logit z. Introduced in Lab 6.

A network trains on its logits, so what matters is how a loss and its gradient behave as functions of z.
This module draws both losses, or both gradients, for one label y, and wraps the drawing in a slider demo.
The curves are computed with ``scipy.special`` for drawing only: nothing here returns a loss, a
probability or a gradient, and the demo never calls a function the student writes, so it runs before any
exercise is solved.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from scipy import special

from helpers.plots import COLORS
from helpers.widgets import SliderFigure, control

#: What :func:`draw_losses_against_logit` can draw.
QUANTITIES = ("loss", "gradient")


def draw_losses_against_logit(ax, y: float = 1.0, z: float = -10.0, quantity: str = "loss",
                              z_range: tuple[float, float] = (-12.0, 12.0)):
    """Draw BCE and MSE on a sigmoid (``quantity="loss"``) or their derivatives with respect to the logit
    (``quantity="gradient"``) against z for the label ``y``, and mark their values at ``z``. Lab 6.

    Per example, with p = sigmoid(z): BCE = -[y log p + (1 - y) log(1 - p)], with dBCE/dz = p - y; MSE on
    the sigmoid = (p - y)^2 (no factor 1/2), with dMSE/dz = 2 (p - y) p (1 - p).
    """
    if not 0.0 <= y <= 1.0:
        raise ValueError(f"y must lie in [0, 1], got {y}")
    if quantity not in QUANTITIES:
        raise ValueError(f"quantity must be one of {QUANTITIES}, got {quantity!r}")
    low, high = z_range
    if not low < high:
        raise ValueError(f"z_range must be increasing, got {z_range}")
    grid = np.linspace(low, high, 481)
    marked = np.array([z], dtype=float)

    def curves(t):
        p = special.expit(t)
        if quantity == "loss":
            # log sigmoid(t) and log(1 - sigmoid(t)) = log sigmoid(-t), finite at any t
            bce = -(y * special.log_expit(t) + (1 - y) * special.log_expit(-t))
            return bce, (p - y) ** 2
        return p - y, 2 * (p - y) * p * (1 - p)

    bce_grid, mse_grid = curves(grid)
    bce_at, mse_at = (value[0] for value in curves(marked))
    if quantity == "loss":
        labels = ("BCE  −[y log σ(z) + (1 − y) log(1 − σ(z))]", "MSE on the sigmoid  (σ(z) − y)²")
        ax.set_ylabel("loss for one example")
        ax.set_title(f"Losses for label y = {y:.2f}; at z = {z:.1f}: BCE {bce_at:.4f}, MSE {mse_at:.4f}")
    else:
        labels = ("dBCE/dz = σ(z) − y", "dMSE/dz = 2(σ(z) − y) σ(z)(1 − σ(z))")
        ax.set_ylabel("gradient dL/dz (per unit of logit)")
        ax.set_title(f"Gradients for label y = {y:.2f}; at z = {z:.1f}: BCE {bce_at:.5g}, MSE {mse_at:.3g}")
    ax.plot(grid, bce_grid, color=COLORS[0], linestyle="-", label=labels[0])
    ax.plot(grid, mse_grid, color=COLORS[1], linestyle="--", label=labels[1])
    ax.plot([z], [bce_at], marker="o", color=COLORS[0], linestyle="none")
    ax.plot([z], [mse_at], marker="s", color=COLORS[1], linestyle="none")
    ax.axvline(z, color="grey", linewidth=0.8, linestyle=":")
    ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_xlim(low, high)
    ax.set_xlabel("logit z (log-odds, nats)")
    ax.legend(loc="best")
    return ax


def loss_against_logit_explorer(y: float = 1.0, z: float = -10.0, quantity: str = "gradient") -> SliderFigure:
    """Sliders for the label y and the logit z and a loss/gradient switch over
    :func:`draw_losses_against_logit`. Lab 6."""
    sliders = {
        "y": control(widgets.FloatSlider, "label y", value=y, min=0.0, max=1.0, step=0.05),
        "z": control(widgets.FloatSlider, "logit z", value=z, min=-12.0, max=12.0, step=0.5),
        "quantity": control(widgets.ToggleButtons, "show", options=list(QUANTITIES), value=quantity),
    }
    return SliderFigure(draw_losses_against_logit, sliders, width=8.0, height=4.0)
