"""Visible checks of Lab 1 (01_distributions). Each takes the student's function as ``f``."""

from __future__ import annotations

import numpy as np

from helpers.feedback import expect_close, expect_raises, expect_true

# --- Exercise A: gaussian_log_pdf(x, mu=0.0, sigma=1.0) ----------------------------------------------------------


def gaussian_is_log_density(f) -> None:
    """exp(f) on a wide grid has area 1, mean mu and standard deviation sigma; f(0) = -log(2 pi)/2."""
    expect_close("gaussian_log_pdf(0.0)", f(0.0), -0.5 * np.log(2 * np.pi),
                 hints=[(1 / np.sqrt(2 * np.pi), "that is the density itself; return its logarithm.")])
    grid = np.linspace(-39.0, 41.0, 40001)
    log_density = np.asarray(f(grid, mu=1.0, sigma=2.0), dtype=float)
    density = np.exp(log_density)
    expect_close("area under exp(gaussian_log_pdf(x, mu=1.0, sigma=2.0))", np.trapezoid(density, grid), 1.0,
                 rtol=1e-6, hints=[(lambda a: np.isclose(np.trapezoid(log_density, grid), 1.0),
                                    "your function returns the density, not its logarithm.")])
    mean = np.trapezoid(grid * density, grid)
    expect_close("mean of exp(gaussian_log_pdf(x, mu=1.0, sigma=2.0))", mean, 1.0, rtol=1e-6)
    std = np.sqrt(np.trapezoid((grid - mean) ** 2 * density, grid))
    expect_close("standard deviation of exp(gaussian_log_pdf(x, mu=1.0, sigma=2.0))", std, 2.0, rtol=1e-6,
                 hints=[(np.sqrt(2.0), "you treated sigma as the variance; sigma is the standard deviation.")])


def gaussian_finite_in_tails(f) -> None:
    """At x = 40 the density underflows to 0 but its log is -800 - log(2 pi)/2 = -800.92."""
    expect_close("gaussian_log_pdf(40.0)", f(40.0), -800.0 - 0.5 * np.log(2 * np.pi), rtol=1e-12,
                 hints=[(lambda g: np.isinf(g), "np.log of an underflowed density is -inf; use the log formula.")])


def gaussian_inputs(f) -> None:
    """Numbers, lists, NumPy scalars and integers are accepted; arrays broadcast together."""
    expected = [f(0.5, 1.0, 0.1), f(1.5, 1.0, 0.1)]
    expect_close("gaussian_log_pdf([0.5, 1.5], 1.0, 0.1)  (a list)", f([0.5, 1.5], 1.0, 0.1), expected,
                 rtol=1e-12, atol=1e-12, hints=[(lambda g: True, "convert with np.asarray(x, dtype=float) first.")])
    expect_close("gaussian_log_pdf(np.int64(2), np.int64(1), np.int64(1))  (integers)",
                 f(np.int64(2), np.int64(1), np.int64(1)), f(2.0, 1.0, 1.0), rtol=1e-12, atol=1e-12)
    x = np.linspace(-1.0, 1.0, 5).reshape(1, 5)
    sigma = np.array([[0.5], [1.0], [2.0], [4.0]])
    got = f(x, 0.0, sigma)
    expect_true(np.shape(got) == (4, 5), "gaussian_log_pdf(x, 0.0, sigma), x of shape (1, 5), sigma (4, 1)", got,
                "an array of shape (4, 5): x and sigma broadcast together")
    expect_close("row 2 of gaussian_log_pdf(x, 0.0, sigma)", np.asarray(got)[2], f(x[0], 0.0, 2.0),
                 rtol=1e-12, atol=1e-12)


def gaussian_rejects_bad_sigma(f) -> None:
    """sigma <= 0 raises ValueError whose message names sigma."""
    expect_raises(f, 0.0, 0.0, 0.0, call="gaussian_log_pdf(0.0, mu=0.0, sigma=0.0)", names=["sigma"])
    expect_raises(f, 0.0, 0.0, -1.0, call="gaussian_log_pdf(0.0, mu=0.0, sigma=-1.0)", names=["sigma"])
