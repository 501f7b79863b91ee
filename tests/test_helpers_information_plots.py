"""helpers.information_plots (Lab 5's widget): the bars show the right values, in nats and bits, cut and
labelled ∞ where a divergence is infinite; the widget redraws on every control; no graded answer here."""

from __future__ import annotations

import ast
import inspect

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy import special

from helpers import information_plots

GRADED_NAMES = {"entropy", "cross_entropy_dist", "kl_divergence", "gaussian_kl"}


def expected_values(p: float, q: float) -> dict[str, float]:
    """H(P), H(P, Q), KL(P‖Q), KL(Q‖P) in nats from scipy, for P = (1 - p, p), Q = (1 - q, q)."""
    dist_p, dist_q = np.array([1 - p, p]), np.array([1 - q, q])
    return {"H(P)": special.entr(dist_p).sum(),
            "H(P, Q)": -special.xlogy(dist_p, dist_q).sum(),
            "KL(P‖Q)": special.rel_entr(dist_p, dist_q).sum(),
            "KL(Q‖P)": special.rel_entr(dist_q, dist_p).sum()}


def drawn(ax) -> tuple[dict[str, float], dict[str, str]]:
    """Total bar height at each tick label, and the text written above each bar."""
    labels = [tick.get_text() for tick in ax.get_xticklabels()]
    heights = dict.fromkeys(labels, 0.0)
    for patch in ax.patches:
        position = int(round(patch.get_x() + patch.get_width() / 2))
        heights[labels[position]] += patch.get_height()
    texts = {labels[int(round(t.xy[0]))]: t.get_text() for t in ax.texts}
    return heights, texts


@pytest.fixture
def ax():
    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)


@pytest.mark.parametrize(("p", "q"), [(0.7, 0.4), (0.3, 0.3), (0.05, 0.9), (0.5, 0.5), (0.99, 0.01)])
@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_bars_show_scipy_values(ax, p, q, unit):
    factor = 1.0 if unit == "nats" else 1 / np.log(2)
    returned = information_plots.draw_information_bars(ax, p, q, unit=unit, top=10.0)
    assert returned is ax
    heights, texts = drawn(ax)
    for label, value in expected_values(p, q).items():
        assert heights[label] == pytest.approx(value * factor, abs=1e-12)
        assert texts[label] == f"{value * factor:.3f}"
    assert unit in ax.get_ylabel()
    assert ax.get_title() and ax.get_legend() is not None


def test_infinite_divergence_is_cut_and_labelled(ax):
    information_plots.draw_information_bars(ax, p=0.3, q=0.0, top=3.0)
    heights, texts = drawn(ax)
    assert texts["KL(P‖Q)"] == "∞" and texts["H(P, Q)"] == "∞"
    assert heights["KL(P‖Q)"] == pytest.approx(3.0) and heights["H(P, Q)"] == pytest.approx(3.0)
    assert texts["KL(Q‖P)"] == f"{special.rel_entr([1.0, 0.0], [0.7, 0.3]).sum():.3f}"
    assert np.all(np.isfinite([patch.get_height() for patch in ax.patches]))


def test_zero_probability_under_p_is_not_nan(ax):
    information_plots.draw_information_bars(ax, p=0.0, q=0.5)
    heights, texts = drawn(ax)
    assert texts["H(P)"] == "0.000" and texts["KL(Q‖P)"] == "∞"
    assert texts["KL(P‖Q)"] == f"{np.log(2):.3f}"
    assert not any(np.isnan(list(heights.values())))


@pytest.mark.parametrize(("kwargs", "name"), [({"p": 1.2}, "p"), ({"q": -0.1}, "q"), ({"unit": "bans"}, "unit"),
                                              ({"top": 0.0}, "top")])
def test_invalid_arguments_name_the_parameter(ax, kwargs, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        information_plots.draw_information_bars(ax, **kwargs)


def test_widget_redraws_on_every_control():
    widget = information_plots.information_bars(p=0.7, q=0.4)
    assert set(widget.values) == {"p", "q", "unit"}
    first = widget.figure
    heights, _ = drawn(widget.axes)
    assert heights["KL(P‖Q)"] == pytest.approx(expected_values(0.7, 0.4)["KL(P‖Q)"])
    widget.sliders["q"].value = 0.7
    assert widget.figure is not first
    heights, texts = drawn(widget.axes)
    assert heights["KL(P‖Q)"] == pytest.approx(0.0, abs=1e-15) and texts["KL(P‖Q)"] == "0.000"
    widget.sliders["unit"].value = "bits"
    heights, _ = drawn(widget.axes)
    assert heights["H(P)"] == pytest.approx(expected_values(0.7, 0.7)["H(P)"] / np.log(2))
    assert "bits" in widget.axes.get_ylabel()
    widget.sliders["p"].value = 0.5
    assert widget.values == {"p": 0.5, "q": 0.7, "unit": "bits"}
    plt.close("all")


def test_module_holds_no_graded_answer():
    tree = ast.parse(inspect.getsource(information_plots))
    defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.ClassDef)}
    imported = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom | ast.Import)
                for alias in node.names}
    assigned = {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign) for target in node.targets
                if isinstance(target, ast.Name)}
    assert not GRADED_NAMES & (defined | imported | assigned | set(vars(information_plots)))
    public = [name for name in vars(information_plots) if not name.startswith("_")]
    assert not GRADED_NAMES & set(public)
