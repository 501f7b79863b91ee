"""helpers.cross_entropy_plots (Lab 4): the drawing shows the right probabilities, loss and gradient at any
logits and temperature, the widget redraws when a slider moves, and nothing in the module is a graded answer."""

import warnings

import matplotlib
import numpy as np
import pytest
from scipy import special

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from helpers import cross_entropy_plots  # noqa: E402

GRADED_IN_LAB_4 = {"log_softmax", "one_hot", "cross_entropy", "cross_entropy_grad"}


@pytest.fixture
def ax():
    figure, axes = plt.subplots()
    yield axes
    plt.close(figure)


def drawn_bars(ax):
    """(probability bars, gradient bars): the two bar containers, in the order they were drawn."""
    probabilities, gradient = ax.containers
    return np.array([b.get_height() for b in probabilities]), np.array([b.get_height() for b in gradient])


@pytest.mark.parametrize(("logits", "label", "temperature"), [
    ([2.0, 1.0, -1.0], 1, 1.0),
    ([0.0, 0.0, 0.0, 0.0], 3, 0.5),
    ([1000.0, 0.0, -1000.0], 2, 1.0),
    ([3.0, -2.0], 0, 10.0),
])
def test_bars_and_title_match_scipy(ax, logits, label, temperature):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # huge logits must draw without an overflow warning
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            assert cross_entropy_plots.draw_softmax_loss_gradient(ax, logits, label, temperature) is ax
    z = np.asarray(logits) / temperature
    probabilities, gradient = drawn_bars(ax)
    np.testing.assert_allclose(probabilities, special.softmax(z), rtol=1e-12, atol=1e-300)
    expected_gradient = (special.softmax(z) - np.eye(len(logits))[label]) / temperature
    np.testing.assert_allclose(gradient, expected_gradient, rtol=1e-12, atol=1e-15)
    assert abs(gradient.sum()) < 1e-12 and np.all(np.abs(gradient) <= 1 / temperature + 1e-12)
    loss = special.logsumexp(z) - z[label]
    assert f"{loss:.3f} nats" in ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel() and len(ax.get_legend().get_texts()) == 2


def test_true_class_is_marked_and_names_are_used(ax):
    cross_entropy_plots.draw_softmax_loss_gradient(ax, [1.0, 2.0, 3.0], 2, class_names=["cat", "dog", "bird"])
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[:2] == ["cat", "dog"] and labels[2].startswith("bird") and "true class" in labels[2]


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"logits": [1.0], "label": 0}, "logits"),
    ({"logits": [[1.0, 2.0]], "label": 0}, "logits"),
    ({"logits": [1.0, 2.0], "label": 2}, "label"),
    ({"logits": [1.0, 2.0], "label": -1}, "label"),
    ({"logits": [1.0, 2.0], "label": 0, "temperature": 0.0}, "temperature"),
    ({"logits": [1.0, 2.0], "label": 0, "class_names": ["a"]}, "class_names"),
])
def test_invalid_input_raises(ax, kwargs, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        cross_entropy_plots.draw_softmax_loss_gradient(ax, **kwargs)


def test_widget_redraws_when_a_slider_moves():
    widget = cross_entropy_plots.logit_temperature_explorer()
    assert set(widget.values) == {"z_0", "z_1", "z_2", "label", "temperature"}
    assert widget.values["temperature"] == pytest.approx(1.0)
    first = widget.figure
    widget.sliders["z_2"].value = 9.0
    widget.sliders["label"].value = 0
    widget.sliders["temperature"].value = 0.5
    assert widget.figure is not first
    z = np.array([2.0, 1.0, 9.0]) / widget.values["temperature"]
    probabilities, gradient = drawn_bars(widget.axes)
    np.testing.assert_allclose(probabilities, special.softmax(z), rtol=1e-12)
    assert gradient[0] < 0 and gradient[1:].min() >= 0
    assert f"{special.logsumexp(z) - z[0]:.3f} nats" in widget.axes.get_title()


def test_module_holds_no_graded_answer():
    public = {name for name in vars(cross_entropy_plots) if not name.startswith("_")}
    assert not public & GRADED_IN_LAB_4, f"helpers must not define or re-export {public & GRADED_IN_LAB_4}"
