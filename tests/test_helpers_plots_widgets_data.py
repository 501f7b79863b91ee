"""helpers.plots, helpers.widgets and helpers.data: the drawing functions behind the labs' figures and widgets
draw what they say, widgets redraw when a slider moves, and data generators are seeded."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy import stats  # noqa: E402

from helpers import data, plots, widgets  # noqa: E402


@pytest.fixture
def ax():
    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)


def test_importing_helpers_changes_no_global_state():
    before = dict(matplotlib.rcParams)
    import importlib

    import helpers.plots

    importlib.reload(helpers.plots)
    assert dict(matplotlib.rcParams) == before


def test_course_style_is_applied_only_when_asked():
    with matplotlib.rc_context():
        plots.use_course_style()
        assert matplotlib.rcParams["axes.grid"] is True
        assert len(matplotlib.rcParams["axes.prop_cycle"].by_key()["linestyle"]) == len(plots.COLORS)


def test_gaussian_family_draws_the_densities(ax):
    plots.draw_gaussian_family(ax, [(0.0, 0.1), (1.0, 2.0)])
    (thin, wide) = ax.get_lines()
    x, y = thin.get_data()
    np.testing.assert_allclose(y, stats.norm.pdf(x, 0.0, 0.1), rtol=1e-12, atol=1e-300)  # subnormals
    np.testing.assert_allclose(wide.get_ydata(), stats.norm.pdf(wide.get_xdata(), 1.0, 2.0), rtol=1e-12)
    assert max(y) == pytest.approx(3.989, abs=1e-3)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() and ax.get_legend()


def test_gaussian_sample_histogram_has_area_one_against_the_density(ax):
    plots.draw_gaussian_sample(ax, mu=1.0, sigma=0.5, n=400, seed=3)
    area = sum(p.get_height() * p.get_width() for p in ax.patches)
    assert area == pytest.approx(1.0)
    (curve,) = ax.get_lines()
    np.testing.assert_allclose(curve.get_ydata(), stats.norm.pdf(curve.get_xdata(), 1.0, 0.5), rtol=1e-12)
    sample = np.random.default_rng(3).normal(1.0, 0.5, size=400)
    assert f"{sample.mean():.3f}" in ax.get_title() and f"{sample.std():.3f}" in ax.get_title()
    with pytest.raises(ValueError, match="sigma"):
        plots.draw_gaussian_sample(ax, sigma=0.0)
    with pytest.raises(ValueError, match=r"\bn\b"):
        plots.draw_gaussian_sample(ax, n=0)


def test_bernoulli_sample_bars(ax):
    plots.draw_bernoulli_sample(ax, p=0.3, n=1000, seed=2)
    heights = [p.get_height() for p in ax.patches]
    draws = np.random.default_rng(2).random(1000) < 0.3
    assert heights[:2] == pytest.approx([0.7, 0.3])
    assert heights[2:] == pytest.approx([1 - draws.mean(), draws.mean()])
    with pytest.raises(ValueError, match=r"\bp\b"):
        plots.draw_bernoulli_sample(ax, p=1.5)


def test_draw_bars_annotates_each_value(ax):
    plots.draw_bars(ax, ["a", "b"], [0.25, -1.5], ylabel="value", title="t")
    assert [t.get_text() for t in ax.texts] == ["0.250", "-1.500"]
    assert ax.get_ylabel() == "value"


@pytest.mark.parametrize("make, slider, value", [
    (widgets.gaussian_sampler, "sigma", 2.5),
    (widgets.gaussian_sampler, "n", 1000),
    (widgets.bernoulli_sampler, "p", 0.9),
])
def test_moving_a_slider_redraws_the_figure(make, slider, value):
    demo = make()
    before = demo.figure
    title_before = demo.axes.get_title()
    demo.sliders[slider].value = value
    assert demo.figure is not before
    assert demo.axes.get_title() != title_before
    assert demo.values[slider] == value
    assert all(s.continuous_update is False for s in demo.sliders.values())


def test_coin_flips_are_seeded_bernoulli_draws():
    flips = data.coin_flips(10_000, 0.3, seed=1)
    assert flips.dtype.kind == "i" and set(np.unique(flips)) <= {0, 1}
    np.testing.assert_array_equal(flips, data.coin_flips(10_000, 0.3, seed=1))
    assert abs(flips.mean() - 0.3) < 4 * np.sqrt(0.21 / 10_000)
    with pytest.raises(ValueError, match=r"\bp\b"):
        data.coin_flips(5, -0.1)
    with pytest.raises(ValueError, match=r"\bn\b"):
        data.coin_flips(-1, 0.5)
