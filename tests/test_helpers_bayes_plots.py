"""helpers.bayes_plots (Lab 7): the grid posterior is Bayes' rule (it equals the conjugate Beta posterior of scipy),
its summaries are the MAP, the posterior mean and the MLE, the drawing shows what it says it shows, the widget
redraws when a slider moves, and nothing in the module is a graded function."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import integrate, stats  # noqa: E402

from helpers import bayes_plots, data  # noqa: E402
from helpers.widgets import SliderFigure  # noqa: E402

GRADED = {"beta_log_pdf", "beta_bernoulli_posterior", "bernoulli_map", "ridge_map", "metropolis"}  # Lab 7's exercises
GRID = bayes_plots.P_GRID
STEP = GRID[1] - GRID[0]


@pytest.fixture
def ax():
    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)


def line(ax, label: str):
    """The one line whose legend label is ``label`` or starts with it and a space ("MLE 0.300")."""
    (found,) = [ln for ln in ax.get_lines() if ln.get_label() == label
                or (label != "posterior" and ln.get_label().startswith(label + " "))]
    return found


def test_module_holds_no_graded_function():
    public = {name for name in dir(bayes_plots) if not name.startswith("_")}
    assert not public & GRADED


def test_grid_is_strictly_inside_the_unit_interval():
    assert GRID.ndim == 1 and 0.0 < GRID.min() and GRID.max() < 1.0 and np.allclose(np.diff(GRID), STEP)


@pytest.mark.parametrize(("a", "b", "n", "p"), [(1.0, 1.0, 10, 0.5), (5.0, 5.0, 50, 0.3), (2.0, 8.0, 2000, 0.7),
                                                (0.5, 0.5, 3, 0.2), (30.0, 3.0, 0, 0.5)])
def test_grid_posterior_is_the_conjugate_beta(a, b, n, p):
    flips = data.coin_flips(n, p, seed=4)
    n1 = int(flips.sum())
    curves = bayes_plots.grid_posterior(a, b, flips)
    posterior = stats.beta(a + n1, b + n - n1)
    mass = posterior.cdf(GRID[-1]) - posterior.cdf(GRID[0])  # the grid leaves out [0, 0.0005) and (0.9995, 1]
    if mass > 1 - 1e-6:
        exact = posterior.pdf(GRID)
        np.testing.assert_allclose(curves["posterior"], exact, rtol=1e-4, atol=1e-6 * exact.max())
        assert curves["mean"] == pytest.approx(posterior.mean(), abs=1e-5)
    assert integrate.trapezoid(curves["posterior"], GRID) == pytest.approx(1.0)
    alpha, beta = a + n1, b + n - n1
    if alpha > 1 and beta > 1:
        assert curves["map"] == pytest.approx((alpha - 1) / (alpha + beta - 2), abs=STEP / 2 + 1e-12)
    prior = stats.beta(a, b)
    if prior.cdf(GRID[-1]) - prior.cdf(GRID[0]) > 1 - 1e-6:
        np.testing.assert_allclose(curves["prior"], prior.pdf(GRID), rtol=1e-4, atol=1e-6 * prior.pdf(GRID).max())
    assert curves["mle"] == (n1 / n if n else None)
    if n:
        likelihood = stats.binom.pmf(n1, n, GRID)
        np.testing.assert_allclose(curves["likelihood"], likelihood / integrate.trapezoid(likelihood, GRID), rtol=1e-6,
                                   atol=1e-9)


def test_grid_posterior_survives_many_flips():
    """A product of 100,000 likelihood factors underflows; the grid works in log space and keeps its peak."""
    flips = data.coin_flips(100_000, 0.3, seed=1)
    curves = bayes_plots.grid_posterior(2.0, 2.0, flips)
    assert np.all(np.isfinite(curves["posterior"])) and curves["posterior"].max() > 100
    assert curves["map"] == pytest.approx(flips.mean(), abs=STEP)


def test_the_drawing_shows_prior_likelihood_posterior_and_estimates(ax):
    assert bayes_plots.draw_posterior_update(ax, a=5.0, b=5.0, n=50, p=0.3, seed=0) is ax
    flips = data.coin_flips(50, 0.3, seed=0)
    curves = ax.estimates
    np.testing.assert_array_equal(line(ax, "posterior").get_ydata(), curves["posterior"])
    np.testing.assert_array_equal(line(ax, "prior").get_ydata(), curves["prior"])
    np.testing.assert_array_equal(line(ax, "likelihood,").get_ydata(), curves["likelihood"])
    assert line(ax, "MLE").get_xdata()[0] == pytest.approx(flips.mean())
    assert line(ax, "MAP").get_xdata()[0] == curves["map"]
    assert line(ax, "posterior mean").get_xdata()[0] == curves["mean"]
    assert ax.get_title() == f"50 flips, {flips.sum()} heads"
    assert ax.get_xlabel().startswith("p") and "per unit" in ax.get_ylabel()
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels[0] == "prior Beta(5, 5)" and f"MLE {flips.mean():.3f}" in labels and len(labels) == 6
    styles = {(ln.get_color(), str(ln.get_linestyle())) for ln in ax.get_lines()}
    assert len(styles) == 6  # every line its own colour and dash pattern: readable in grey-scale
    assert ax.get_ylim()[1] >= 1.05 * curves["posterior"].max()


def test_no_flips_draws_the_prior_alone(ax):
    bayes_plots.draw_posterior_update(ax, a=2.0, b=3.0, n=0, legend=False)
    assert ax.get_legend() is None and "no flips" in ax.get_title()
    assert not [ln for ln in ax.get_lines() if ln.get_label().startswith(("MLE", "likelihood"))]
    np.testing.assert_allclose(line(ax, "posterior").get_ydata(), line(ax, "prior").get_ydata())


@pytest.mark.parametrize(("a", "b", "n", "p", "name"), [(0.0, 1.0, 10, 0.5, "a"), (1.0, -1.0, 10, 0.5, "b"),
                                                        (1.0, 1.0, -1, 0.5, "n"), (1.0, 1.0, 10, 1.5, "p")])
def test_invalid_arguments(ax, a, b, n, p, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        bayes_plots.draw_posterior_update(ax, a=a, b=b, n=n, p=p)


def test_widget_redraws_when_a_slider_moves():
    widget = bayes_plots.posterior_explorer(a=5.0, b=5.0, n=50, p=0.3)
    try:
        assert isinstance(widget, SliderFigure)
        assert set(widget.sliders) == {"a", "b", "n", "p"}
        rows = widget.children[0].children  # the prior's sliders above the data's
        assert [list(row.children) for row in rows] == [[widget.sliders["a"], widget.sliders["b"]],
                                                        [widget.sliders["n"], widget.sliders["p"]]]
        assert widget.children[1] is widget.output
        assert widget.axes.get_title().startswith("50 flips")
        widget.sliders["n"].value = 2000
        assert widget.axes.get_title().startswith("2000 flips")
        first = widget.axes.estimates
        assert abs(first["map"] - first["mle"]) < 0.005 and abs(first["mean"] - first["mle"]) < 0.005
        widget.sliders["a"].value = 40.0
        assert "prior Beta(40, 5)" in [t.get_text() for t in widget.axes.get_legend().get_texts()]
        widget.sliders["n"].value = 0
        assert "no flips" in widget.axes.get_title()
    finally:
        plt.close("all")
