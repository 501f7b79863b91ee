"""helpers.regression_plots (Lab 3): the draw functions draw what they say, the widget redraws when a slider
moves, and nothing in the module is a graded function of the lab."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import stats  # noqa: E402

from helpers import regression_plots  # noqa: E402
from helpers.widgets import SliderFigure  # noqa: E402

GRADED = {"mse_loss", "gaussian_nll", "sigma2_mle"}  # Lab 3's exercises (issue 3)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    x = rng.uniform(-3.0, 3.0, size=40)
    line = 1.5 * x - 0.5
    return x, line + rng.normal(0.0, 0.8, size=40), line


@pytest.fixture
def ax():
    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)


def test_module_holds_no_graded_function():
    public = {name for name in dir(regression_plots) if not name.startswith("_")}
    assert not public & GRADED


def test_constant_is_the_nll_of_a_perfect_prediction():
    assert regression_plots.LOG_2PI_HALF == pytest.approx(-stats.norm.logpdf(0.0), rel=1e-15)


def test_draw_gaussian_targets(ax, data):
    x, y, line = data
    assert regression_plots.draw_gaussian_targets(ax, x, y, line, 0.8) is ax
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert any("± σ" in label for label in labels) and any("2σ" in label for label in labels)
    assert "targets y" in labels
    # the scatter shows exactly the targets
    (points,) = ax.collections[-1:]
    np.testing.assert_array_equal(points.get_offsets(), np.column_stack([x, y]))
    # three sideways densities, each with a guide line
    dashed = [line_ for line_ in ax.get_lines() if line_.get_linestyle() == "--"]
    assert len(dashed) == 3


def test_draw_gaussian_targets_per_sample_sigma(ax, data):
    x, y, line = data
    sigma = 0.2 + 0.5 * np.abs(x)
    regression_plots.draw_gaussian_targets(ax, x, y, line, sigma, n_densities=0)
    inner_band = ax.collections[1].get_paths()[0].vertices
    heights = inner_band[:, 1].max() - inner_band[:, 1].min()
    assert heights > 2 * sigma.min()
    with pytest.raises(ValueError, match="sigma"):
        regression_plots.draw_gaussian_targets(ax, x, y, line, -1.0)
    with pytest.raises(ValueError, match="prediction"):
        regression_plots.draw_gaussian_targets(ax, x, y, line.reshape(-1, 1), 1.0)


@pytest.mark.parametrize("sigma", [0.3, 0.8, 2.5])
def test_mse_nll_curves_are_right_and_share_their_minimum(ax, data, sigma):
    x, y, line = data
    assert regression_plots.draw_mse_nll_curves(ax, x, y, line, sigma=sigma, offset=0.5) is ax
    mse_curve, nll_curve = ax.get_lines()[0], ax.nll_axis.get_lines()[0]
    shifts = mse_curve.get_xdata()
    mse = np.array([np.mean((y - line - c) ** 2) for c in shifts])
    nll = np.array([-np.mean(stats.norm.logpdf(y, line + c, sigma)) for c in shifts])
    np.testing.assert_allclose(mse_curve.get_ydata(), mse, rtol=1e-12)
    np.testing.assert_allclose(nll_curve.get_ydata(), nll, rtol=1e-12)
    assert np.argmin(mse_curve.get_ydata()) == np.argmin(nll_curve.get_ydata())
    assert ax.get_ylabel() and ax.nll_axis.get_ylabel() and ax.get_xlabel() and "σ" in ax.get_title()
    assert len(ax.get_legend().get_texts()) == 4
    with pytest.raises(ValueError, match="sigma"):
        regression_plots.draw_mse_nll_curves(ax, x, y, line, sigma=0.0)


def test_widget_redraws_when_a_slider_moves(data):
    x, y, line = data
    widget = regression_plots.mse_nll_explorer(x, y, line, sigma=0.8)
    assert isinstance(widget, SliderFigure)
    assert set(widget.sliders) == {"sigma", "offset"}
    before = widget.axes.nll_axis.get_lines()[0].get_ydata().copy()
    widget.sliders["sigma"].value = 1.5
    after = widget.axes.nll_axis.get_lines()[0].get_ydata()
    assert not np.allclose(before, after)
    assert "σ = 1.50" in widget.axes.get_title()
    widget.sliders["offset"].value = -1.0
    marker = widget.axes.get_lines()[1]
    assert marker.get_xdata()[0] == -1.0
    assert marker.get_ydata()[0] == pytest.approx(np.mean((y - line + 1.0) ** 2), rel=1e-12)
