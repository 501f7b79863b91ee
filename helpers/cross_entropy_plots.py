"""The figure and the slider demo of Lab 4 (a categorical likelihood gives the cross-entropy loss).

``draw_softmax_loss_gradient`` draws on a Matplotlib ``Axes`` it is given and returns it. Probabilities,
the loss and its gradient are computed here with ``scipy.special``, for drawing only, on the logits the
figure shows; the graded functions of Lab 4 are the student's to write, and nothing here is one of them
(this module defines none of their names and imports none of them by name).
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np
from scipy import special

from helpers.data import ANIMALS
from helpers.plots import COLORS
from helpers.widgets import SliderFigure, control


def draw_softmax_loss_gradient(ax, logits: Sequence[float], label: int, temperature: float = 1.0, *,
                               class_names: Sequence[str] | None = None):
    """Bars of the probabilities q = softmax(z / T) and of the gradient of the loss with respect to the
    logits, with the loss -log q_y in the title. Introduced in Lab 4.

    For one example with true class y the loss is L(z) = logsumexp(z / T) - z_y / T, and
    dL/dz_k = (q_k - [k = y]) / T: bounded by 1 / T, negative only for the true class, summing to 0.
    """
    z = np.asarray(logits, dtype=float)
    if z.ndim != 1 or z.size < 2:
        raise ValueError(f"logits must be a 1-D array of at least 2 class scores, got shape {z.shape}")
    if not (isinstance(label, (int, np.integer)) and 0 <= label < z.size):
        raise ValueError(f"label must be a class index in 0, ..., {z.size - 1}, got {label!r}")
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    names = list(class_names) if class_names is not None else [f"class {k}" for k in range(z.size)]
    if len(names) != z.size:
        raise ValueError(f"class_names must name {z.size} classes, got {len(names)}")

    log_probabilities = special.log_softmax(z / temperature)  # 1-D, so axis=None is the class axis
    probabilities = np.exp(log_probabilities)
    target = (np.arange(z.size) == label).astype(float)
    gradient = (probabilities - target) / temperature
    loss = -log_probabilities[label]

    positions = np.arange(z.size)
    width = 0.38
    bars = ax.bar(positions - width / 2, probabilities, width=width, color=COLORS[0],
                  label="probability q_k = softmax(z / T)_k")
    ax.bar(positions + width / 2, gradient, width=width, color="white", edgecolor=COLORS[1], hatch="//",
           label="gradient ∂L/∂z_k = (q_k − y_k) / T")
    for bar, value in zip(bars, probabilities, strict=True):
        ax.annotate(f"{value:.2f}", (bar.get_x() + bar.get_width() / 2, value), ha="center", va="bottom",
                    fontsize=9)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(positions, [f"{name}\n(true class)" if k == label else name for k, name in enumerate(names)])
    ax.set_ylim(min(-1.1, gradient.min() - 0.1), max(1.15, gradient.max() + 0.15))
    ax.set_xlabel("class k")
    ax.set_ylabel("probability / gradient (per unit of logit)")
    ax.set_title(f"T = {temperature:.2f}: loss −log q_y = {loss:.3f} nats")
    ax.legend(loc="upper right", fontsize=8)
    ax.grid(axis="x", visible=False)
    return ax


def logit_temperature_explorer(logits: Sequence[float] = (2.0, 1.0, -1.0), label: int = 1,
                               temperature: float = 1.0) -> SliderFigure:
    """Sliders for three logits (cat, dog, bird), the true class and the temperature T, above the
    probabilities, the loss and its gradient with respect to the logits. Introduced in Lab 4."""
    names = ANIMALS[:3]
    sliders = {
        f"z_{k}": control(widgets.FloatSlider, f"logit z ({name})", value=float(value), min=-10.0, max=10.0,
                          step=0.5)
        for k, (name, value) in enumerate(zip(names, logits, strict=True))
    }
    sliders["label"] = widgets.Dropdown(description="true class y", options=[(name, k) for k, name in enumerate(names)],
                                        value=label, style={"description_width": "initial"})
    sliders["temperature"] = control(widgets.FloatLogSlider, "temperature T", value=temperature, base=10,
                                     min=-1.0, max=1.0, step=0.05)

    def draw(ax, z_0, z_1, z_2, label, temperature):
        return draw_softmax_loss_gradient(ax, [z_0, z_1, z_2], label, temperature, class_names=names)

    return SliderFigure(draw, sliders, width=7.5, height=3.8)
