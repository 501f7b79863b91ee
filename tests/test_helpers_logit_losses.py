"""helpers.logit_losses (Lab 6): the BCE-versus-MSE drawing draws the right curves with labels, the slider
demo redraws when a slider moves, and the module holds no graded answer."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from course import graded_functions
from scipy import special

from helpers import logit_losses
from helpers.widgets import SliderFigure


@pytest.fixture
def ax():
    figure, axes = plt.subplots()
    yield axes
    plt.close(figure)


def curves(ax):
    """(z, BCE curve, MSE curve) of a drawing: the first two lines."""
    bce_line, mse_line = ax.get_lines()[:2]
    return bce_line.get_xdata(), bce_line.get_ydata(), mse_line.get_ydata()


@pytest.mark.parametrize("y", [0.0, 0.3, 1.0])
def test_loss_curves(ax, y):
    assert logit_losses.draw_losses_against_logit(ax, y=y, z=2.0, quantity="loss") is ax
    z, bce, mse = curves(ax)
    # BCE from the logit as log(1 + e^z) - y z, an independent form; MSE = (sigmoid(z) - y)^2
    np.testing.assert_allclose(bce, np.logaddexp(0.0, z) - y * z, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(mse, (special.expit(z) - y) ** 2, rtol=1e-12)
    assert z.min() == -12.0 and z.max() == 12.0


@pytest.mark.parametrize("y", [0.0, 0.3, 1.0])
def test_gradient_curves_are_the_derivatives_of_the_losses(y):
    figure, (ax_loss, ax_grad) = plt.subplots(1, 2)
    logit_losses.draw_losses_against_logit(ax_loss, y=y, quantity="loss")
    logit_losses.draw_losses_against_logit(ax_grad, y=y, quantity="gradient")
    z, bce, mse = curves(ax_loss)
    _, bce_grad, mse_grad = curves(ax_grad)
    plt.close(figure)
    inner = slice(1, -1)
    np.testing.assert_allclose(np.gradient(bce, z)[inner], bce_grad[inner], atol=2e-3)
    np.testing.assert_allclose(np.gradient(mse, z)[inner], mse_grad[inner], atol=2e-3)


def test_title_shows_the_gradients_at_minus_ten(ax):
    """CONTENT.md error 4: at z = -10, y = 1, MSE on a sigmoid has gradient about -9.1e-5, BCE about -0.99995."""
    logit_losses.draw_losses_against_logit(ax, y=1.0, z=-10.0, quantity="gradient")
    assert "BCE -0.99995" in ax.get_title() and "MSE -9.08e-05" in ax.get_title()
    marked = [line.get_ydata()[0] for line in ax.get_lines()[2:4]]
    p = special.expit(-10.0)
    np.testing.assert_allclose(marked, [p - 1, 2 * (p - 1) * p * (1 - p)], rtol=1e-12)


def test_labels_title_legend_and_greyscale(ax):
    logit_losses.draw_losses_against_logit(ax)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    assert len(ax.get_legend().get_texts()) == 2
    bce_line, mse_line = ax.get_lines()[:2]
    assert bce_line.get_linestyle() != mse_line.get_linestyle()  # distinguishable without colour


@pytest.mark.parametrize("kwargs", [{"y": 1.5}, {"y": -0.1}, {"quantity": "slope"}, {"z_range": (3.0, -3.0)}])
def test_invalid_arguments_raise(ax, kwargs):
    name = next(iter(kwargs))
    with pytest.raises(ValueError, match=name):
        logit_losses.draw_losses_against_logit(ax, **kwargs)


def test_explorer_redraws_when_a_slider_moves():
    demo = logit_losses.loss_against_logit_explorer()
    assert isinstance(demo, SliderFigure)
    assert demo.values == {"y": 1.0, "z": -10.0, "quantity": "gradient"}
    assert demo.axes.get_ylabel().startswith("gradient")
    demo.sliders["quantity"].value = "loss"
    assert demo.axes.get_ylabel().startswith("loss")
    demo.sliders["y"].value = 0.3
    demo.sliders["z"].value = 2.0
    assert "y = 0.30" in demo.axes.get_title() and "z = 2.0" in demo.axes.get_title()
    plt.close("all")


def test_module_holds_no_graded_answer():
    graded = set(graded_functions("06_bce"))
    assert graded == {"sigmoid", "binary_cross_entropy", "binary_cross_entropy_with_logits", "bce_grad_logits"}
    public = {name for name in vars(logit_losses) if not name.startswith("_")}
    assert not public & graded
    own_functions = {name for name in public if callable(getattr(logit_losses, name))
                     and getattr(getattr(logit_losses, name), "__module__", "") == logit_losses.__name__}
    assert own_functions == {"draw_losses_against_logit", "loss_against_logit_explorer"}
