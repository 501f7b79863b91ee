"""helpers.likelihood_plots (Lab 2): the drawing shows the product of probabilities and the sum of logs it
says it shows, the widget redraws when a slider moves, and nothing in the module is a graded function."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import stats  # noqa: E402

from helpers import data, likelihood_plots  # noqa: E402
from helpers.widgets import SliderFigure  # noqa: E402

GRADED = {"bernoulli_log_likelihood", "bernoulli_mle", "gaussian_mle", "grid_mle"}  # Lab 2's exercises (issue 3)


@pytest.fixture
def ax():
    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)


def curves(ax):
    """(p, likelihood) from the left axis and (p, log-likelihood) from the right one."""
    (product_line,) = [line for line in ax.get_lines() if line.get_linestyle() == "-"]
    (log_line,) = ax.right_ax.get_lines()
    return product_line.get_xydata(), log_line.get_xydata()


def test_module_holds_no_graded_function():
    public = {name for name in dir(likelihood_plots) if not name.startswith("_")}
    assert not public & GRADED


def test_grid_is_strictly_inside_the_unit_interval():
    grid = likelihood_plots.P_GRID
    assert grid.ndim == 1 and 0.0 < grid.min() and grid.max() < 1.0 and np.all(np.diff(grid) > 0)


@pytest.mark.parametrize(("n", "p"), [(1, 0.5), (30, 0.2), (500, 0.7)])
def test_small_n_draws_the_likelihood_and_its_log(ax, n, p):
    assert likelihood_plots.draw_likelihood_curves(ax, n=n, p=p, seed=3) is ax
    (grid, product), (grid_log, log_likelihood) = (c.T for c in curves(ax))
    flips = data.coin_flips(n, p, seed=3)
    expected = stats.bernoulli.logpmf(flips[:, None], grid).sum(axis=0)
    np.testing.assert_array_equal(grid, grid_log)
    np.testing.assert_allclose(log_likelihood, expected, rtol=1e-10)
    np.testing.assert_allclose(product, np.exp(expected), rtol=1e-8)
    assert f"n = {n} flips, {flips.sum()} heads" in ax.get_title() and "largest product" in ax.get_title()


def test_large_n_product_underflows_while_the_log_keeps_its_peak(ax):
    likelihood_plots.draw_likelihood_curves(ax, n=2000, p=0.8, seed=0)
    (grid, product), (_, log_likelihood) = (c.T for c in curves(ax))
    assert np.all(product == 0.0)
    assert np.all(np.isfinite(log_likelihood))
    flips = data.coin_flips(2000, 0.8, seed=0)
    assert abs(grid[np.argmax(log_likelihood)] - flips.mean()) <= 0.005
    assert "underflowed to 0.0 everywhere" in ax.get_title()
    low, high = ax.get_ylim()
    assert low < 0.0 < high  # the flat curve at 0.0 stays visible


def test_labels_legend_and_true_p(ax):
    likelihood_plots.draw_likelihood_curves(ax, n=50, p=0.35)
    assert ax.get_xlabel().startswith("p") and ax.get_ylabel() and "nats" in ax.right_ax.get_ylabel()
    assert ax.get_title()
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert len(labels) == 3 and "true p = 0.35" in labels
    styles = {line.get_linestyle() for line in ax.get_lines() + ax.right_ax.get_lines()}
    assert len(styles) == 3  # solid, dashed, dotted: distinguishable in grey-scale


@pytest.mark.parametrize(("n", "p"), [(0, 0.5), (10, 1.5), (10, -0.1)])
def test_invalid_arguments(ax, n, p):
    with pytest.raises(ValueError, match=r"\bn\b" if n < 1 else r"\bp\b"):
        likelihood_plots.draw_likelihood_curves(ax, n=n, p=p)


def test_widget_redraws_when_a_slider_moves():
    widget = likelihood_plots.likelihood_explorer(n=100, p=0.8)
    try:
        assert isinstance(widget, SliderFigure)
        assert set(widget.sliders) == {"n", "p"}
        assert "n = 100 flips" in widget.axes.get_title()
        widget.sliders["n"].value = 2000
        assert "n = 2000 flips" in widget.axes.get_title()
        assert "underflowed" in widget.axes.get_title()
        widget.sliders["p"].value = 0.3
        assert "true p = 0.30" in [t.get_text() for t in widget.axes.get_legend().get_texts()]
    finally:
        plt.close("all")
