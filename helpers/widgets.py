"""Ready-made ipywidgets demos: sliders above a figure that redraws when a slider moves.

Each demo pairs sliders with a plain ``draw_*`` function from :mod:`helpers.plots`, which is where the
drawing logic (and its tests) live. A demo never calls a graded function, so it runs before any exercise
is solved.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython import get_ipython
from IPython.display import display

from helpers import plots


class SliderFigure(widgets.VBox):
    """Sliders above a figure; every change of a slider redraws it with ``draw(ax, **values)``.

    ``figure`` and ``axes`` hold the latest drawing, so a test can check what a slider changed.
    """

    def __init__(self, draw: Callable, sliders: dict[str, widgets.ValueWidget], *, width=7.0, height=3.6):
        self.draw = draw
        self.sliders = sliders
        self.size = (width, height)
        self.output = widgets.Output()
        self.figure = None
        self.axes = None
        super().__init__([widgets.HBox(list(sliders.values())), self.output])
        for slider in sliders.values():
            slider.observe(self.redraw, names="value")
        self.redraw()

    @property
    def values(self) -> dict:
        """The sliders' current values, by parameter name."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def redraw(self, change=None) -> None:
        """Draw a fresh figure for the current slider values and show it in the output area."""
        figure, axes = plt.subplots(figsize=self.size, layout="constrained")
        self.draw(axes, **self.values)
        plt.close(figure)  # shown below, through the output area only, not again at the end of the cell
        self.figure, self.axes = figure, axes
        if get_ipython() is not None:
            with self.output:
                self.output.clear_output(wait=True)
                display(figure)


def control(kind, description: str, **kwargs):
    """An ipywidgets control (slider, toggle, dropdown) as the course's demos use them: the whole description
    shown, and a slider that redraws when released rather than at every step. Introduced in Lab 1."""
    if "continuous_update" in kind.class_traits():
        kwargs.setdefault("continuous_update", False)
    return kind(description=description, style={"description_width": "initial"}, **kwargs)


def gaussian_sampler(mu: float = 0.0, sigma: float = 1.0, n: int = 100, seed: int = 0) -> SliderFigure:
    """μ, σ and n sliders: a histogram of n draws from N(μ, σ²) against the density. Lab 1."""
    sliders = {
        "mu": control(widgets.FloatSlider, "μ (mean)", value=mu, min=-3.0, max=3.0, step=0.1),
        "sigma": control(widgets.FloatSlider, "σ (std. dev.)", value=sigma, min=0.1, max=3.0, step=0.1),
        "n": control(widgets.IntSlider, "n (draws)", value=n, min=5, max=5000, step=5),
    }
    return SliderFigure(lambda ax, **v: plots.draw_gaussian_sample(ax, seed=seed, **v), sliders)


def bernoulli_sampler(p: float = 0.3, n: int = 50, seed: int = 0) -> SliderFigure:
    """p and n sliders: observed frequencies of n Bernoulli(p) draws against the pmf. Lab 1."""
    sliders = {
        "p": control(widgets.FloatSlider, "p = P(X = 1)", value=p, min=0.0, max=1.0, step=0.01),
        "n": control(widgets.IntSlider, "n (draws)", value=n, min=1, max=2000, step=1),
    }
    return SliderFigure(lambda ax, **v: plots.draw_bernoulli_sample(ax, seed=seed, **v), sliders)
