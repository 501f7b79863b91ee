"""The figure and widget of Lab 5 (entropy, cross-entropy and KL divergence).

``draw_information_bars`` draws, for two distributions P and Q over two outcomes, the entropy H(P), the
cross-entropy H(P, Q) stacked as H(P) + KL(P‖Q), and both KL divergences, so that a student sees the
identity and the asymmetry move with the sliders of ``information_bars``. The values are computed here
with ``scipy.special`` for drawing only: no function of this module returns one of them, and the graded
functions are the student's to write.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from scipy import special

from helpers.plots import COLORS
from helpers.widgets import SliderFigure, control

#: Multiply a value in nats by this factor to express it in the unit (log_b x = ln x / ln b).
UNIT_FACTORS = {"nats": 1.0, "bits": 1.0 / np.log(2.0)}

#: Labels of the four bars, left to right.
BAR_LABELS = ("H(P)", "H(P, Q)", "KL(P‖Q)", "KL(Q‖P)")


def _two_outcomes(probability: float, name: str) -> np.ndarray:
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"{name} is the probability of outcome 1 and must lie in [0, 1], got {probability}")
    return np.array([1.0 - probability, probability])


def _value_text(value: float) -> str:
    return "∞" if np.isinf(value) else f"{value:.3f}"


def draw_information_bars(ax, p: float = 0.7, q: float = 0.4, unit: str = "nats", top: float = 3.0):
    """Bars of H(P), H(P, Q) = H(P) + KL(P‖Q), KL(P‖Q) and KL(Q‖P) for P = (1 - p, p) and
    Q = (1 - q, q), in ``unit`` ('nats' or 'bits'). Introduced in Lab 5.

    The axis shows values up to ``top`` nats (converted to ``unit``); a taller or infinite bar is cut at
    the top and its value written above it (∞ where Q gives probability 0 to an outcome P can produce).
    """
    if unit not in UNIT_FACTORS:
        raise ValueError(f"unit must be one of {sorted(UNIT_FACTORS)}, got {unit!r}")
    if not top > 0:
        raise ValueError(f"top must be positive, got {top}")
    dist_p, dist_q = _two_outcomes(p, "p"), _two_outcomes(q, "q")
    factor = UNIT_FACTORS[unit]
    entropy_p = float(np.sum(special.entr(dist_p))) * factor
    kl_pq = float(np.sum(special.rel_entr(dist_p, dist_q))) * factor
    kl_qp = float(np.sum(special.rel_entr(dist_q, dist_p))) * factor
    cross = entropy_p + kl_pq
    ceiling = top * factor

    def cut(value: float, bottom: float = 0.0) -> float:
        return max(0.0, min(value, ceiling - bottom))

    positions = np.arange(len(BAR_LABELS))
    width = 0.6
    ax.bar(positions[:2], [cut(entropy_p)] * 2, width=width, color=COLORS[0], label="entropy H(P)")
    ax.bar(positions[1:3], [cut(kl_pq, cut(entropy_p)), cut(kl_pq)], bottom=[cut(entropy_p), 0.0],
           width=width, color=COLORS[1], hatch="//", edgecolor="black", label="KL(P‖Q)")
    ax.bar(positions[3], cut(kl_qp), width=width, color=COLORS[2], hatch="..", edgecolor="black",
           label="KL(Q‖P)")
    for position, value in zip(positions, (entropy_p, cross, kl_pq, kl_qp), strict=True):
        ax.annotate(_value_text(value), (position, min(value, ceiling)), ha="center", va="bottom",
                    xytext=(0, 2), textcoords="offset points")
    ax.set_xticks(positions, BAR_LABELS)
    ax.set_ylim(0, ceiling * 1.15)
    ax.set_ylabel(f"information ({unit})")
    ax.set_title(f"P = ({dist_p[0]:.2f}, {dist_p[1]:.2f}),  Q = ({dist_q[0]:.2f}, {dist_q[1]:.2f}):  "
                 "H(P, Q) = H(P) + KL(P‖Q)")
    ax.legend(loc="upper left")
    ax.grid(axis="x", visible=False)
    return ax


def information_bars(p: float = 0.7, q: float = 0.4, unit: str = "nats") -> SliderFigure:
    """Sliders for P(X = 1) under P and under Q, and a nats/bits switch, above the bars of
    :func:`draw_information_bars`. Introduced in Lab 5."""
    controls = {
        "p": control(widgets.FloatSlider, "P(X = 1) under P", value=p, min=0.0, max=1.0, step=0.01),
        "q": control(widgets.FloatSlider, "P(X = 1) under Q", value=q, min=0.0, max=1.0, step=0.01),
        "unit": control(widgets.ToggleButtons, "unit", value=unit, options=tuple(UNIT_FACTORS)),
    }
    return SliderFigure(draw_information_bars, controls, width=8.0, height=3.8)
