"""Visible checks of Lab 3 (03_gaussian_mse). Each takes the student's function as ``f``.

The lab's three exercises, in its notation (ŷ = y_pred, n elements, σ² = var):

    mse_loss:     squared errors (y_i - ŷ_i)^2; 'mean' -> MSE = SSE / n, 'sum' -> SSE, 'none' -> each one
    gaussian_nll: NLL_i = 1/2 log(2 pi var_i) + (y_i - ŷ_i)^2 / (2 var_i), reduced the same way
    sigma2_mle:   σ̂² = SSE / n, the variance that maximises the Gaussian likelihood of y around ŷ

The checks use public values the lab states (1/2 log 2 pi = 0.9189, an MSE computed by hand on errors 0, 0, 3)
and properties (the order of the arguments, sum = n * mean, a per-element call agrees with a batch call, a list
gives what the same array gives). Single-element arrays keep a check of the formula independent of the
reductions, so that one mistake costs one check. ``HINTS`` holds every hint these checks can give; the hidden
checks of the lab's test cells use the same strings.
"""

from __future__ import annotations

import numpy as np

from helpers.feedback import expect_close, expect_raises, expect_true

HALF_LOG_2PI = 0.5 * np.log(2 * np.pi)
"""½ log(2π) = 0.9189 nats: the NLL of a perfect prediction at σ² = 1 (stated in the lab)."""

HINTS = {
    # mse_loss
    "sse": "that is the sum of squared errors; reduction='mean' divides it by the number of elements.",
    "rmse": "that is the root of the MSE; do not take the square root.",
    "mae": "that is the mean absolute error; square the errors.",
    "half_mse": "that is half the MSE; the 1/2 belongs to the Gaussian NLL, not to the MSE.",
    "sum_is_mean": "reduction='sum' adds the values up; you returned their mean.",
    "mean_is_sum": "reduction='mean' divides the sum by the number of elements; you returned the sum.",
    "none_shape": "reduction='none' returns one value per element: an array of the shape of y_true.",
    "axis": "you averaged along one axis only; 'mean' averages over all elements of the array.",
    "asarray": "convert the inputs first with np.asarray(..., dtype=float): lists and plain numbers have "
               "no elementwise arithmetic or .mean().",
    # gaussian_nll
    "no_constant": "the NLL of a perfect prediction is the constant 1/2 log(2 pi var), not 0: include it.",
    "half_log": "the constant is 1/2 log(2 pi var): the 1/2 in front of the log is missing.",
    "half_square": "the squared error is divided by 2 var = 2 sigma^2: the 2 is missing.",
    "var_squared": "var is already the variance sigma^2: do not square it.",
    "var_sqrt": "var is the variance sigma^2 itself: do not take its square root.",
    "full_false": "you dropped 1/2 log(2 pi) (PyTorch's full=False); the lab's NLL keeps the whole constant "
                  "1/2 log(2 pi var).",
    "per_element": "element i must use its own variance var[i], not one shared number.",
    # sigma2_mle
    "sigma": "that is sigma_hat, the standard deviation; return the variance sigma_hat^2.",
    "np_var": "np.var subtracts the mean of the residuals; the Gaussian is centred on y_pred, so average the "
              "squared residuals as they are.",
    "n_minus_1": "the maximum-likelihood variance divides by n, not n - 1.",
    "sse_not_variance": "that is the sum of squared errors; divide it by n.",
    "half_variance": "the 1/2 belongs to the NLL, not to the variance.",
    "larger_fits": "a larger variance fits better: average the squared residuals (the square of the mean "
                   "residual, or of its size, is too small).",
    "smaller_fits": "a smaller variance fits better: did you divide by n - 1 somewhere or add a term?",
    "one_number": "one variance shared by all elements: return one number, not one per column or row.",
}


def _result(call: str, f, *args, **kwargs):
    """``f(*args, **kwargs)``; an error that a missing ``np.asarray`` causes fails with the asarray hint."""
    try:
        return f(*args, **kwargs)
    except (TypeError, AttributeError) as error:
        expect_true(False, call, f"{type(error).__name__}: {error}", "a result", HINTS["asarray"])


# --- Exercise A: mse_loss(y_true, y_pred, reduction='mean') ------------------------------------------------------


def mse_mean(f) -> None:
    """'mean' is the MSE over all elements: errors 0, 0, 3 give 9 / 3 = 3, in either argument order; on (4, 3)
    arrays with errors 0, 1, 2 in every row it is (0 + 1 + 4) / 3 = 5/3, one number."""
    targets, guesses = np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 6.0])
    hints = [(9.0, HINTS["sse"]), (np.sqrt(3.0), HINTS["rmse"]), (1.0, HINTS["mae"]), (1.5, HINTS["half_mse"])]
    expect_close("mse_loss([1.0, 2.0, 3.0], [1.0, 2.0, 6.0])  (errors 0, 0, 3)", f(targets, guesses), 3.0,
                 hints=hints)
    expect_close("mse_loss([1.0, 2.0, 6.0], [1.0, 2.0, 3.0])  (arguments swapped)", f(guesses, targets), 3.0,
                 hints=hints)
    batch = np.arange(12.0).reshape(4, 3)
    got = f(batch, batch + np.array([0.0, 1.0, 2.0]))
    expect_close("mse_loss(y_true, y_pred), shapes (4, 3), errors 0, 1, 2 in every row", got, 5 / 3,
                 hints=[(lambda g: np.shape(g) in ((3,), (4,)), HINTS["axis"])])


def mse_sum_none(f) -> None:
    """'sum' is the SSE, 9 for errors 0, 0, 3; 'none' the squared errors [0, 0, 9], of the shape of y_true."""
    targets, guesses = np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 6.0])
    mean = f(targets, guesses)
    expect_close("mse_loss([1.0, 2.0, 3.0], [1.0, 2.0, 6.0], reduction='sum')", f(targets, guesses, reduction="sum"),
                 9.0, hints=[(lambda g: np.ndim(mean) == 0 and mean != 9.0 and np.isclose(g, mean),
                              HINTS["sum_is_mean"])])
    expect_close("mse_loss([1.0, 2.0, 3.0], [1.0, 2.0, 6.0], reduction='none')",
                 f(targets, guesses, reduction="none"), [0.0, 0.0, 9.0], atol=1e-12,
                 hints=[(lambda g: np.ndim(g) == 0, HINTS["none_shape"])])
    batch = np.arange(12.0).reshape(4, 3)
    got = f(batch, batch + np.array([0.0, 1.0, 2.0]), reduction="none")
    expect_close("mse_loss(y_true, y_pred, reduction='none'), shapes (4, 3), errors 0, 1, 2 in every row", got,
                 np.tile([0.0, 1.0, 4.0], (4, 1)), atol=1e-12, hints=[(lambda g: np.shape(g) != (4, 3),
                                                                       HINTS["none_shape"])])


def same_as_floats(call: str, f, args: tuple, floats: tuple, *, rtol: float = 1e-12, atol: float = 1e-12,
                   **kwargs) -> None:
    """``f(*args, **kwargs)`` (lists, integers, plain numbers, NumPy scalars, float32) equals
    ``f(*floats, **kwargs)``, the same values as float64 arrays: the function accepts the input and computes
    as it does on floats. Used by the visible and the hidden checks of every exercise."""
    expected = f(*floats, **kwargs)
    expect_close(call, _result(call, f, *args, **kwargs), expected, rtol=rtol, atol=atol)


def mse_inputs(f) -> None:
    """Lists of integers, plain numbers, NumPy scalars and float32 arrays give what float64 arrays of the same
    values give (float32 within its precision)."""
    same_as_floats("mse_loss([1, 2, 3], [1, 2, 6])  (lists of integers)", f, ([1, 2, 3], [1, 2, 6]),
                   (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 6.0])))
    same_as_floats("mse_loss([[1, 2], [3, 4]], [[0, 0], [0, 0]], reduction='none')  (nested lists)", f,
                   ([[1, 2], [3, 4]], [[0, 0], [0, 0]]), (np.array([[1.0, 2.0], [3.0, 4.0]]), np.zeros((2, 2))),
                   reduction="none")
    same_as_floats("mse_loss(2.0, 5.0)  (plain numbers)", f, (2.0, 5.0), (np.array([2.0]), np.array([5.0])))
    same_as_floats("mse_loss(np.float64(2.0), np.int64(5))  (NumPy scalars)", f, (np.float64(2.0), np.int64(5)),
                   (np.array([2.0]), np.array([5.0])))
    values = np.random.default_rng(31).normal(0.0, 2.0, size=(2, 20)).astype(np.float32)
    same_as_floats("mse_loss(y, y_pred), 20 float32 values each", f, (values[0], values[1]),
                   (values[0].astype(float), values[1].astype(float)), rtol=1e-5, atol=1e-6)


def rejects_mismatched_shapes(f, name: str) -> None:
    """(N,) against (N, 1) would broadcast to (N, N), and an array against one number to the array's shape:
    both raise ValueError naming y_true and y_pred, whichever argument is the odd one."""
    expect_raises(f, np.zeros(5), np.zeros((5, 1)), call=f"{name}(np.zeros(5), np.zeros((5, 1)))",
                  names=["y_true", "y_pred"])
    expect_raises(f, np.zeros(2), 0.0, call=f"{name}(np.zeros(2), 0.0)", names=["y_true", "y_pred"])
    expect_raises(f, 1.0, [1.0, 2.0], call=f"{name}(1.0, [1.0, 2.0])", names=["y_true", "y_pred"])


def rejects_bad_reduction(f, name: str) -> None:
    """Only 'mean', 'sum' and 'none' (exactly, lower case) are reductions; anything else, None included, raises
    ValueError naming reduction."""
    for bad in ("average", "MEAN", None):
        expect_raises(f, np.zeros(3), np.ones(3), reduction=bad,
                      call=f"{name}(np.zeros(3), np.ones(3), reduction={bad!r})", names=["reduction"])


# --- Exercise B: gaussian_nll(y_true, y_pred, var=1.0, reduction='mean') -----------------------------------------


def _one(value: float) -> np.ndarray:
    return np.array([value])


def nll_default_var(f) -> None:
    """With the default var = 1, one element: NLL = ½ log(2π) = 0.9189 at a perfect prediction, and the error
    e adds e²/2 (1/2 at e = 1, 9/2 at e = -3)."""
    floor = f(_one(0.0), _one(0.0))
    expect_close("gaussian_nll(np.array([0.0]), np.array([0.0]))  (a perfect prediction, var = 1)", floor,
                 HALF_LOG_2PI, rtol=1e-10, hints=[(0.0, HINTS["no_constant"]),
                                                  (2 * HALF_LOG_2PI, HINTS["half_log"])])
    for y, prediction, expected in [(1.0, 0.0, 0.5), (0.0, 3.0, 4.5)]:
        call = (f"gaussian_nll(np.array([{y}]), np.array([{prediction}])) - gaussian_nll(np.array([0.0]), "
                f"np.array([0.0]))")
        expect_close(call, f(_one(y), _one(prediction)) - floor, expected, rtol=1e-10, atol=1e-12,
                     hints=[(2 * expected, HINTS["half_square"])])


def nll_var_is_variance(f) -> None:
    """var is σ², not σ: with one element, NLL = ½ log(2π var) at a perfect prediction, and an error e adds
    e²/(2 var); for var = 9 and e = 3, and for var = 0.25 and e = 0.5, that is 1/2."""
    for var, error in [(9.0, 3.0), (0.25, 0.5)]:
        floor = f(_one(1.0), _one(1.0), var=var)
        expect_close(f"gaussian_nll(np.array([1.0]), np.array([1.0]), var={var})  (a perfect prediction)", floor,
                     0.5 * np.log(2 * np.pi * var), rtol=1e-10, atol=1e-12,
                     hints=[(0.5 * np.log(2 * np.pi * var**2), HINTS["var_squared"]),
                            (0.5 * np.log(2 * np.pi * np.sqrt(var)), HINTS["var_sqrt"]),
                            (0.5 * np.log(var), HINTS["full_false"]), (0.0, HINTS["no_constant"]),
                            (np.log(2 * np.pi * var), HINTS["half_log"])])
        call = (f"gaussian_nll(np.array([{1 + error}]), np.array([1.0]), var={var}) - "
                f"gaussian_nll(np.array([1.0]), np.array([1.0]), var={var})")
        expect_close(call, f(_one(1.0 + error), _one(1.0), var=var) - floor, error**2 / (2 * var), rtol=1e-10,
                     atol=1e-12, hints=[(error**2 / (2 * var**2), HINTS["var_squared"]),
                                        (error**2 / (2 * np.sqrt(var)), HINTS["var_sqrt"]),
                                        (error**2 / var, HINTS["half_square"])])


def nll_per_element_var(f) -> None:
    """var of the shape of y_true gives element i the variance var[i]: the batch result equals the NLLs of the
    single elements; a constant array of variances gives what the number gives."""
    targets, guesses = np.array([0.5, -1.0, 2.0, 0.0]), np.array([0.0, -1.5, 1.0, 0.5])
    expect_close("gaussian_nll(y, y_pred, var=np.full(4, 2.0), reduction='none')",
                 f(targets, guesses, var=np.full(4, 2.0), reduction="none"),
                 f(targets, guesses, var=2.0, reduction="none"), rtol=1e-12, atol=1e-12)
    variances = np.array([0.5, 1.0, 2.0, 4.0])
    each = [np.ravel(f(targets[i:i + 1], guesses[i:i + 1], var=variances[i], reduction="none"))[0]
            for i in range(4)]
    expect_close("gaussian_nll(y, y_pred, var=np.array([0.5, 1.0, 2.0, 4.0]), reduction='none')  (against each "
                 "element alone)", f(targets, guesses, var=variances, reduction="none"), each, rtol=1e-12,
                 atol=1e-12, hints=[(lambda g: np.shape(g) == (4,), HINTS["per_element"])])
    grid = np.arange(6.0).reshape(2, 3)
    spread = np.array([[0.5, 1.0, 2.0], [4.0, 8.0, 16.0]])
    single = f(grid[1:, 2:], grid[1:, 2:] + 1.0, var=spread[1:, 2:], reduction="none")
    got = f(grid, grid + 1.0, var=spread, reduction="none")
    expect_true(np.shape(got) == (2, 3), "gaussian_nll(y, y + 1, var, reduction='none'), all of shape (2, 3)", got,
                "an array of shape (2, 3)", HINTS["none_shape"])
    expect_close("element [1, 2] of gaussian_nll(y, y + 1, var, reduction='none'), all of shape (2, 3)",
                 np.asarray(got)[1, 2], np.asarray(single)[0, 0], rtol=1e-12, atol=1e-12,
                 hints=[(lambda g: True, HINTS["per_element"])])


def nll_reductions(f) -> None:
    """'none' has the shape of y_true; 'mean' is the mean over all its elements, 'sum' the sum."""
    targets, guesses = np.array([0.5, -1.0, 2.0, 0.0]), np.array([0.0, -1.5, 1.0, 0.5])
    each = f(targets, guesses, var=2.0, reduction="none")
    expect_true(np.shape(each) == (4,), "gaussian_nll(y, y_pred, var=2.0, reduction='none'), 4 samples", each,
                "an array of shape (4,): one NLL per sample", HINTS["none_shape"])
    mean = f(targets, guesses, var=2.0)
    expect_close("gaussian_nll(y, y_pred, var=2.0)  (against the mean of reduction='none')", mean,
                 np.mean(each), rtol=1e-12, atol=1e-12, hints=[(np.sum(each), HINTS["mean_is_sum"])])
    expect_close("gaussian_nll(y, y_pred, var=2.0, reduction='sum')  (against the sum of reduction='none')",
                 f(targets, guesses, var=2.0, reduction="sum"), np.sum(each), rtol=1e-12, atol=1e-12,
                 hints=[(np.mean(each), HINTS["sum_is_mean"])])
    batch = np.arange(6.0).reshape(3, 2)
    each = f(batch, batch * 0.5, reduction="none")
    got = f(batch, batch * 0.5)
    expect_close("gaussian_nll(y, y_pred), shapes (3, 2)  (against the mean of reduction='none')", got,
                 np.mean(each), rtol=1e-12, atol=1e-12, hints=[(lambda g: np.ndim(g) == 1, HINTS["axis"])])


def nll_inputs(f) -> None:
    """Lists of integers, plain numbers, NumPy scalars and float32 arrays give what float64 arrays give."""
    same_as_floats("gaussian_nll([1, 2, 3], [1, 2, 2], var=[1, 2, 3], reduction='none')  (lists of integers)", f,
                   ([1, 2, 3], [1, 2, 2], [1, 2, 3]),
                   (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 2.0]), np.array([1.0, 2.0, 3.0])),
                   reduction="none")
    same_as_floats("gaussian_nll(1.0, 0.0)  (plain numbers)", f, (1.0, 0.0), (np.array([1.0]), np.array([0.0])))
    same_as_floats("gaussian_nll(np.float64(1.0), np.int64(0), np.float32(2.0))  (NumPy scalars)", f,
                   (np.float64(1.0), np.int64(0), np.float32(2.0)), (np.array([1.0]), np.array([0.0]), 2.0),
                   rtol=1e-6, atol=1e-7)
    values = np.random.default_rng(32).normal(0.0, 2.0, size=(2, 20)).astype(np.float32)
    same_as_floats("gaussian_nll(y, y_pred, np.float32(0.5)), 20 float32 values each", f,
                   (values[0], values[1], np.float32(0.5)), (values[0].astype(float), values[1].astype(float), 0.5),
                   rtol=1e-5, atol=1e-6)


def nll_rejects_invalid(f) -> None:
    """var <= 0 (one entry is enough) or var of another shape than () and that of y_true raises ValueError naming
    var; so do mismatched y_true and y_pred (naming both) and an unknown reduction (naming reduction)."""
    targets, guesses = np.array([0.5, -1.0, 2.0, 0.0]), np.array([0.0, -1.5, 1.0, 0.5])
    for var, text in [(0.0, "0.0"), (-1.0, "-1.0"), (np.array([1.0, -1.0, 1.0, 1.0]), "np.array([1, -1, 1, 1])"),
                      (np.ones((4, 1)), "np.ones((4, 1))")]:
        expect_raises(f, targets, guesses, var=var, call=f"gaussian_nll(y, y_pred, var={text}), y of shape (4,)",
                      names=["var"])
    rejects_mismatched_shapes(f, "gaussian_nll")
    rejects_bad_reduction(f, "gaussian_nll")


# --- Exercise C: sigma2_mle(y_true, y_pred) ---------------------------------------------------------------------


def summed_nll(variance, residuals) -> float:
    """NLL_sum(σ²) = (n/2) log(2π σ²) + SSE / (2σ²) of the residuals y - ŷ."""
    residuals = np.asarray(residuals, dtype=float).ravel()
    return residuals.size / 2 * np.log(2 * np.pi * variance) + np.sum(residuals**2) / (2 * variance)


def likelihood_is_maximal(call: str, got, residuals) -> None:
    """``got`` is one positive number at which the summed NLL of ``residuals`` is lower than 5% above or below."""
    number = np.ndim(got) == 0 and np.issubdtype(np.asarray(got).dtype, np.number)
    expect_true(number, call, got, "one number", HINTS["one_number"] if np.ndim(got) else None)
    expect_true(bool(got > 0), call, got, "a positive variance", HINTS["np_var"] if got == 0 else None)
    here = summed_nll(got, residuals)
    expect_true(bool(here < min(summed_nll(got * 1.05, residuals), summed_nll(got / 1.05, residuals))), call,
                got, "a variance at which the summed NLL is lower than at 5% more or 5% less",
                hints=[(lambda v: summed_nll(v * 1.05, residuals) < summed_nll(v, residuals), HINTS["larger_fits"]),
                       (lambda v: summed_nll(v / 1.05, residuals) < summed_nll(v, residuals),
                        HINTS["smaller_fits"])])


def sigma2_maximises_likelihood(f) -> None:
    """Every error 0.5 gives σ̂² = 0.25; on random data with a mean residual of about -0.3, σ̂² minimises the
    summed NLL (n/2) log(2π σ²) + SSE/(2σ²)."""
    targets = np.array([1.0, 2.0, 3.0, 4.0])
    expect_close("sigma2_mle([1.0, 2.0, 3.0, 4.0], [1.5, 2.5, 3.5, 4.5])  (every error 0.5)",
                 f(targets, targets + 0.5), 0.25,
                 hints=[(0.5, HINTS["sigma"]), (0.0, HINTS["np_var"]), (1 / 3, HINTS["n_minus_1"]),
                        (1.0, HINTS["sse_not_variance"]), (0.125, HINTS["half_variance"])])
    rng = np.random.default_rng(5)
    y = rng.normal(0.0, 2.0, size=30)
    prediction = y + rng.normal(0.3, 1.0, size=30)
    likelihood_is_maximal("sigma2_mle(y, y_pred), 30 random samples", f(y, prediction), y - prediction)


def sigma2_inputs(f) -> None:
    """One variance over all elements of (N, D) arrays (the same as on the flattened arrays); lists of integers,
    plain numbers, NumPy scalars and float32 arrays give what float64 arrays give."""
    grid = np.arange(12.0).reshape(4, 3)
    shifted = grid + np.array([0.0, 1.0, 2.0])
    got = f(grid, shifted)
    expect_close("sigma2_mle(y, y_pred), shapes (4, 3)  (against the same values flattened)", got,
                 f(grid.ravel(), shifted.ravel()), rtol=1e-12, atol=1e-12,
                 hints=[(lambda g: np.ndim(g) > 0, HINTS["one_number"])])
    same_as_floats("sigma2_mle([1, 2, 3], [1, 2, 5])  (lists of integers)", f, ([1, 2, 3], [1, 2, 5]),
                   (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 5.0])))
    same_as_floats("sigma2_mle(2.0, 5.0)  (plain numbers)", f, (2.0, 5.0), (np.array([2.0]), np.array([5.0])))
    same_as_floats("sigma2_mle(np.int64(2), np.float64(5.0))  (NumPy scalars)", f, (np.int64(2), np.float64(5.0)),
                   (np.array([2.0]), np.array([5.0])))
    values = np.random.default_rng(33).normal(0.0, 2.0, size=(2, 20)).astype(np.float32)
    same_as_floats("sigma2_mle(y, y_pred), 20 float32 values each", f, (values[0], values[1]),
                   (values[0].astype(float), values[1].astype(float)), rtol=1e-5, atol=1e-6)
