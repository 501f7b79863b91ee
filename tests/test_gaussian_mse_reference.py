"""Lab 3 (03_gaussian_mse) against independent references: the solution's functions against scikit-learn
(MSE) and scipy (Gaussian log-density, MLE fit, numerical optimisation) on many inputs, every number the
lab states or prints against those libraries, and every statement it makes about PyTorch against PyTorch."""

import numpy as np
import pytest
from course import (
    markdown_text,
    notebook_path,
    numbers_in,
    read_notebook,
    stdout_of,
)
from scipy import optimize, stats
from sklearn.metrics import mean_squared_error

LAB = "03_gaussian_mse"
REDUCTIONS = ("mean", "sum", "none")
rng = np.random.default_rng(20261123)
PRINTED = 5e-5  # numbers printed with 4 decimals


def lab_data():
    """The lab's data, rebuilt from its description: 40 x ~ U(-3, 3), y = 1.5 x - 0.5 + N(0, 0.8²), seed 0."""
    generator = np.random.default_rng(0)
    x = generator.uniform(-3.0, 3.0, size=40)
    y = 1.5 * x - 0.5 + generator.normal(0.0, 0.8, size=40)
    return x, y


def scipy_nll(y, prediction, var):
    """The elementwise Gaussian NLL from scipy, which takes the standard deviation."""
    return -stats.norm.logpdf(y, prediction, np.sqrt(var))


def reduce(values, reduction):
    return {"mean": np.mean, "sum": np.sum, "none": np.asarray}[reduction](values)


def random_pairs():
    """Targets and predictions of several shapes and scales."""
    for shape, scale in [((1,), 1.0), ((7,), 1.0), ((200,), 30.0), ((13, 4), 0.01), ((3, 5, 2), 1e3)]:
        yield rng.normal(0.0, scale, size=shape), rng.normal(0.0, scale, size=shape)


# --- mse_loss -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_loss_matches_sklearn(solution, reduction):
    f = solution["mse_loss"]
    for y, p in random_pairs():
        flat_y, flat_p = y.reshape(1, -1), p.reshape(1, -1)
        per_element = mean_squared_error(flat_y, flat_p, multioutput="raw_values").reshape(y.shape)
        expected = {"mean": mean_squared_error(flat_y.T, flat_p.T), "sum": y.size * mean_squared_error(
            flat_y.T, flat_p.T), "none": per_element}[reduction]
        got = f(y, p, reduction=reduction)
        assert np.shape(got) == np.shape(expected)
        np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert f([1, 2, 3], [1, 2, 6], reduction) == pytest.approx(reduce([0.0, 0.0, 9.0], reduction), rel=1e-15)


def test_mse_loss_default_and_dtypes(solution):
    f = solution["mse_loss"]
    y, p = rng.normal(size=50), rng.normal(size=50)
    assert f(y, p) == pytest.approx(mean_squared_error(y, p), rel=1e-13)
    y32, p32 = y.astype(np.float32), p.astype(np.float32)
    np.testing.assert_allclose(f(y32, p32), mean_squared_error(y32.astype(float), p32.astype(float)), rtol=1e-6)
    assert f([1e150, -1e150], [0.0, 0.0]) == pytest.approx(1e300, rel=1e-12)
    assert f(np.int64(2), np.int64(5)) == 9.0
    matrix = rng.normal(size=(6, 4))
    # scikit-learn's 'uniform_average' over equal-length columns is the mean over all elements
    assert f(matrix, 0 * matrix) == pytest.approx(mean_squared_error(matrix, 0 * matrix), rel=1e-13)


@pytest.mark.parametrize("func", ["mse_loss", "gaussian_nll", "sigma2_mle"])
@pytest.mark.parametrize("shapes", [((5,), (5, 1)), ((5, 1), (5,)), ((3,), (4,)), ((3,), ()), ((1, 4), (4,))])
def test_shapes_that_would_broadcast_are_refused(solution, func, shapes):
    with pytest.raises(ValueError, match=r"\by_true\b.*\by_pred\b"):
        solution[func](np.zeros(shapes[0]), np.zeros(shapes[1]))


@pytest.mark.parametrize("func", ["mse_loss", "gaussian_nll"])
@pytest.mark.parametrize("bad", ["average", "Mean", None, "batchmean", ""])
def test_invalid_reduction_is_refused(solution, func, bad):
    with pytest.raises(ValueError, match=r"\breduction\b"):
        solution[func](np.zeros(3), np.zeros(3), reduction=bad)


# --- gaussian_nll ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gaussian_nll_matches_scipy(solution, reduction):
    f = solution["gaussian_nll"]
    for y, p in random_pairs():
        for var in (1.0, 0.04, 7.5, rng.lognormal(0.0, 2.0, size=y.shape)):
            expected = reduce(scipy_nll(y, p, var), reduction)
            got = f(y, p, var=var, reduction=reduction)
            assert np.shape(got) == np.shape(expected)
            np.testing.assert_allclose(got, expected, rtol=1e-11)


def test_gaussian_nll_extremes_and_dtypes(solution):
    f = solution["gaussian_nll"]
    y = np.array([0.0, 1e-3, 10.0, -250.0])
    for var in (1e-300, 1e-12, 1e-6, 1e6, 1e200):
        np.testing.assert_allclose(f(y, 0 * y, var, "none"), scipy_nll(y, 0.0, var), rtol=1e-12)
    y32 = rng.normal(size=20).astype(np.float32)
    p32 = rng.normal(size=20).astype(np.float32)
    reference = scipy_nll(y32.astype(float), p32.astype(float), 0.5).mean()
    np.testing.assert_allclose(f(y32, p32, np.float32(0.5)), reference, rtol=1e-6)
    reference = scipy_nll([1, 2, 3], [1, 2, 2], [1, 2, 3])
    np.testing.assert_allclose(f([1, 2, 3], [1, 2, 2], [1, 2, 3], "none"), reference, rtol=1e-13)


def test_gaussian_nll_constant_at_a_perfect_prediction(solution):
    f = solution["gaussian_nll"]
    half_log_2pi = 0.5 * np.log(np.float128(2) * np.pi) if hasattr(np, "float128") else 0.5 * np.log(2 * np.pi)
    assert f(np.ones(5), np.ones(5)) == pytest.approx(float(half_log_2pi), rel=1e-15)
    assert f(np.ones(5), np.ones(5)) == pytest.approx(-stats.norm.logpdf(0.0), rel=1e-15)
    for sigma in (0.1, 0.5, 2.0, 10.0):
        assert f(0.0, 0.0, var=sigma**2) == pytest.approx(-stats.norm.logpdf(0.0, 0.0, sigma), rel=1e-13)


def test_gaussian_nll_is_pytorchs_full_loss(solution, torch):
    """Parts B and E: F.gaussian_nll_loss(input, target, var) takes the variance (a number or one per element),
    the prediction first; with full=True it is the lab's gaussian_nll(target, input, var) in every reduction, and
    by default (full=False) it is that minus 1/2 log(2 pi) per element. It clamps var from below at eps = 1e-6."""
    f = solution["gaussian_nll"]
    F = torch.nn.functional
    target, prediction = rng.normal(size=(8, 3)), rng.normal(size=(8, 3))
    var = rng.uniform(1e-5, 4.0, size=(8, 3))
    t = {name: torch.tensor(a, dtype=torch.float64) for name, a in [("y", target), ("p", prediction), ("v", var)]}
    assert torch.nn.GaussianNLLLoss().full is False and torch.nn.GaussianNLLLoss().reduction == "mean"
    for reduction in REDUCTIONS:
        for variance, tensor in [(var, t["v"]), (2.5, 2.5)]:
            full = F.gaussian_nll_loss(t["p"], t["y"], tensor, full=True, reduction=reduction).numpy()
            default = F.gaussian_nll_loss(t["p"], t["y"], tensor, reduction=reduction).numpy()
            per_element = torch.as_tensor(tensor, dtype=torch.float64).expand(8, 3)
            module = torch.nn.GaussianNLLLoss(reduction=reduction)(t["p"], t["y"], per_element)
            ours = f(target, prediction, variance, reduction)
            np.testing.assert_allclose(full, ours, rtol=1e-12)
            np.testing.assert_allclose(full, reduce(scipy_nll(target, prediction, variance), reduction), rtol=1e-12)
            constant = 0.5 * np.log(2 * np.pi) * {"mean": 1, "sum": target.size, "none": np.ones((8, 3))}[reduction]
            np.testing.assert_allclose(default, ours - constant, rtol=1e-11, atol=1e-12)
            np.testing.assert_allclose(module.numpy(), default, rtol=1e-12)
    # var is a variance, not a standard deviation: scipy's scale is its square root
    one = F.gaussian_nll_loss(torch.tensor([3.0], dtype=torch.float64), torch.tensor([1.0], dtype=torch.float64),
                              torch.tensor([4.0], dtype=torch.float64), full=True)
    assert one.item() == pytest.approx(-stats.norm.logpdf(1.0, 3.0, 2.0), rel=1e-12)
    # the clamp at eps = 1e-6
    tiny = F.gaussian_nll_loss(t["p"][:1, :1], t["y"][:1, :1], torch.full((1, 1), 1e-9, dtype=torch.float64), full=True)
    assert tiny.item() == pytest.approx(scipy_nll(target[0, 0], prediction[0, 0], 1e-6), rel=1e-12)


def test_pytorch_full_changes_the_value_not_the_gradient(torch):
    """Part E: full=False drops a constant, so the gradient with respect to the prediction and to var is the same."""
    y = torch.tensor(rng.normal(size=10))
    grads = []
    for full in (False, True):
        prediction = torch.tensor(rng.normal(size=10) * 0 + 0.3, requires_grad=True)
        var = torch.full((10,), 0.7, dtype=torch.float64, requires_grad=True)
        torch.nn.functional.gaussian_nll_loss(prediction, y, var, full=full).backward()
        grads.append((prediction.grad.numpy(), var.grad.numpy()))
    np.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-14)
    np.testing.assert_allclose(grads[0][1], grads[1][1], rtol=1e-14)


def test_pytorch_mse_loss_order_reductions_and_broadcast_warning(solution, torch):
    """Part A: F.mse_loss(input, target) takes the prediction first, defaults to reduction='mean' over all elements,
    and with input (N, 1) against target (N,) it broadcasts to (N, N) and only warns (a UserWarning saying the
    target size differs from the input size)."""
    import inspect
    import warnings

    F = torch.nn.functional
    f = solution["mse_loss"]
    assert list(inspect.signature(F.mse_loss).parameters)[:2] == ["input", "target"]
    assert inspect.signature(F.mse_loss).parameters["reduction"].default == "mean"
    target, prediction = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    t, p = torch.tensor(target), torch.tensor(prediction)
    assert F.mse_loss(p, t).item() == pytest.approx(f(target, prediction), rel=1e-12)
    assert F.mse_loss(p, t).item() == pytest.approx(f(prediction, target), rel=1e-12)  # symmetric in its arguments
    for reduction in REDUCTIONS:
        np.testing.assert_allclose(F.mse_loss(p, t, reduction=reduction).numpy(), f(target, prediction, reduction),
                                   rtol=1e-12)
    x, y = lab_data()
    column = torch.tensor(1.5 * x - 0.5).reshape(-1, 1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = F.mse_loss(column, torch.tensor(y)).item()
    assert any(issubclass(w.category, UserWarning) and "target size" in str(w.message) for w in caught)
    assert value == pytest.approx(np.mean(np.subtract.outer(y, 1.5 * x - 0.5) ** 2), rel=1e-12)


@pytest.mark.parametrize("bad", [0.0, -1.0, -1e-300, np.nan, [1.0, 0.0, 2.0], [1.0, -3.0, 1.0]])
def test_gaussian_nll_refuses_a_non_positive_var(solution, bad):
    with pytest.raises(ValueError, match=r"\bvar\b"):
        solution["gaussian_nll"](np.zeros(3), np.ones(3), var=bad)


@pytest.mark.parametrize("shape", [(3, 1), (1, 3), (4,), (2,)])
def test_gaussian_nll_refuses_a_var_that_would_broadcast(solution, shape):
    with pytest.raises(ValueError, match=r"\bvar\b"):
        solution["gaussian_nll"](np.zeros(3), np.ones(3), var=np.ones(shape))


def test_the_affine_identity(solution):
    """NLL_sum = (n/2) log(2 pi sigma^2) + SSE / (2 sigma^2), and per sample with the MSE, for random data."""
    nll, mse = solution["gaussian_nll"], solution["mse_loss"]
    for y, p in random_pairs():
        n = y.size
        for sigma in (0.3, 1.0, 4.0):
            reference_sum = scipy_nll(y, p, sigma**2).sum()
            sse = y.size * mean_squared_error(y.reshape(-1, 1), p.reshape(-1, 1))
            assert reference_sum == pytest.approx(n / 2 * np.log(2 * np.pi * sigma**2) + sse / (2 * sigma**2),
                                                  rel=1e-11)
            assert nll(y, p, sigma**2, "sum") == pytest.approx(reference_sum, rel=1e-11)
            assert nll(y, p, sigma**2) == pytest.approx(
                0.5 * np.log(2 * np.pi * sigma**2) + mse(y, p) / (2 * sigma**2), rel=1e-11)


# --- sigma2_mle -----------------------------------------------------------------------------------------


def test_sigma2_mle_matches_scipy_fit_and_a_numerical_maximum(solution):
    f = solution["sigma2_mle"]
    for y, p in random_pairs():
        residuals = (y - p).ravel()
        assert f(y, p) == pytest.approx(stats.norm.fit(residuals, floc=0.0)[1] ** 2, rel=1e-10)
        assert f(y, p) == pytest.approx(mean_squared_error(y.reshape(-1, 1), p.reshape(-1, 1)), rel=1e-12)
        assert np.shape(f(y, p)) == ()
    y, p = rng.normal(size=100), rng.normal(1.0, 1.0, size=100)
    best = optimize.minimize_scalar(lambda v: scipy_nll(y, p, v).sum(), bounds=(1e-3, 20.0), method="bounded",
                                    options={"xatol": 1e-12})
    assert f(y, p) == pytest.approx(best.x, rel=1e-6)


def test_profile_nll_at_the_mle_variance(solution):
    """Part C: NLL_sum(ŷ, σ̂²) = (n/2)(log(2π MSE) + 1)."""
    for y, p in random_pairs():
        v = solution["sigma2_mle"](y, p)
        assert scipy_nll(y, p, v).sum() == pytest.approx(y.size / 2 * (np.log(2 * np.pi * v) + 1), rel=1e-10)


def test_gradients_stated_in_part_d():
    """dL/dw = -mean(r x)/σ², dL/db = -mean(r)/σ², dL/ds = 1 - MSE/σ², with L the mean NLL and s = log σ."""
    x, y = lab_data()

    def loss(theta):
        w, b, s = theta
        return scipy_nll(y, w * x + b, np.exp(2 * s)).mean()

    for theta in ([0.0, 0.0, 0.0], [1.2, -0.3, -0.5], [2.0, 1.0, 0.7]):
        w, b, s = theta
        r, variance = y - (w * x + b), np.exp(2 * s)
        stated = [-np.mean(r * x) / variance, -np.mean(r) / variance, 1 - np.mean(r**2) / variance]
        numerical = optimize.approx_fprime(np.array(theta), loss, 1e-7)
        np.testing.assert_allclose(stated, numerical, rtol=1e-5, atol=1e-6)


# --- what the lab says and prints -----------------------------------------------------------------------


def test_numbers_stated_in_the_markdown():
    text = markdown_text(read_notebook(notebook_path(LAB)))
    claims = {
        "0.9189": f"{-stats.norm.logpdf(0.0):.4f}",  # ½ log(2π), the NLL of a perfect prediction at σ = 1
        "68%": f"{stats.norm.cdf(1) - stats.norm.cdf(-1):.0%}",  # mass within ±σ
        "95%": f"{stats.norm.cdf(2) - stats.norm.cdf(-2):.0%}",  # mass within ±2σ
    }
    for stated, reference in claims.items():
        assert stated == reference, f"the lab states {stated}, scipy gives {reference}"
        assert stated in text, f"{stated} is no longer in the lab: update this test"
    for description in ("Forty inputs", "$[-3, 3]$", "$1.5x - 0.5$", "standard deviation $0.8$"):
        assert description in text, f"the data description changed ({description}): update lab_data()"


def test_data_cell_matches_its_description(executed):
    x, y = lab_data()
    printed = numbers_in(stdout_of(executed, "data"))
    assert printed[0] == 40
    np.testing.assert_allclose(printed[1:], [round(x.min(), 2), round(x.max(), 2), round(y.min(), 2),
                                             round(y.max(), 2)], atol=1e-12)


def test_numbers_printed_by_the_demos(executed):
    x, y = lab_data()
    line = 1.5 * x - 0.5
    n = x.size

    shapes, table, meant = stdout_of(executed, "demo-broadcast").splitlines()
    assert "(40, 40)" in shapes
    assert numbers_in(table)[-1] == pytest.approx(np.mean(np.subtract.outer(y, line) ** 2), abs=PRINTED)
    assert numbers_in(meant)[-1] == pytest.approx(mean_squared_error(y, line), abs=PRINTED)
    assert numbers_in(stdout_of(executed, "demo-mse").splitlines()[0])[-1] == pytest.approx(
        mean_squared_error(y, line), abs=PRINTED)

    lines = stdout_of(executed, "demo-identity").splitlines()
    guess = 1.2 * x
    for row, sigma in zip(lines[:2], (1.0, 0.5), strict=True):
        reference = scipy_nll(y, guess, sigma**2).sum()
        numbers = numbers_in(row)
        assert numbers[0] == sigma
        assert numbers[1] == pytest.approx(reference, abs=PRINTED)
        assert numbers[-1] == pytest.approx(reference, abs=PRINTED)
    gap = scipy_nll(y, guess, 1.0).mean() - mean_squared_error(y, guess) / 2
    assert numbers_in(lines[2])[2] == pytest.approx(gap, abs=PRINTED)
    assert numbers_in(lines[2])[-1] == pytest.approx(-stats.norm.logpdf(0.0), abs=PRINTED)

    rows = stdout_of(executed, "demo-not-proportional").splitlines()
    sse_guess, sse_line = n * mean_squared_error(y, guess), n * mean_squared_error(y, line)
    nll_guess, nll_line = scipy_nll(y, guess, 1.0).sum(), scipy_nll(y, line, 1.0).sum()
    for row, sse, nll in ((rows[0], sse_guess, nll_guess), (rows[1], sse_line, nll_line)):
        assert numbers_in(row)[-3:] == pytest.approx([sse, nll, nll / sse], abs=PRINTED)
    assert numbers_in(rows[2])[::2] == pytest.approx([nll_guess - nll_line, (sse_guess - sse_line) / 2], abs=PRINTED)
    assert nll_guess / sse_guess != pytest.approx(nll_line / sse_line, abs=1e-2)  # not proportional
    assert numbers_in(rows[3]) == pytest.approx([mean_squared_error(y, line), nll_line], abs=PRINTED)
    # NLL_sum = (n/2) log(2π) + n/2 · MSE at σ = 1 (the factor n/(2σ²) of cell 19)
    mse_line = mean_squared_error(y, line)
    assert numbers_in(rows[4]) == pytest.approx([2, 2, 2, n / 2 * np.log(2 * np.pi), n / 2, mse_line, nll_line],
                                                abs=PRINTED)

    first, second = stdout_of(executed, "demo-sigma2").splitlines()
    sigma2_hat = stats.norm.fit(y - line, floc=0.0)[1] ** 2
    assert numbers_in(first) == pytest.approx([sigma2_hat, mean_squared_error(y, line), np.sqrt(sigma2_hat), 0.8],
                                              abs=PRINTED)
    assert numbers_in(second)[-1] == pytest.approx(scipy_nll(y, line, sigma2_hat).mean(), abs=PRINTED)
    assert numbers_in(second)[0] == pytest.approx(scipy_nll(y, line, sigma2_hat).mean(), abs=PRINTED)


def test_the_fit_by_gradient_descent_is_least_squares(executed):
    x, y = lab_data()
    fit = stats.linregress(x, y)
    residual_sigma = stats.norm.fit(y - (fit.slope * x + fit.intercept), floc=0.0)[1]
    gd, ls = stdout_of(executed, "demo-fit").splitlines()
    assert numbers_in(gd) == pytest.approx([fit.slope, fit.intercept, residual_sigma], abs=PRINTED)
    assert numbers_in(ls) == pytest.approx([fit.slope, fit.intercept], abs=PRINTED)
    learned, mle, unbiased, nll = stdout_of(executed, "demo-fit-check").splitlines()
    assert numbers_in(learned)[-1] == pytest.approx(residual_sigma**2, abs=5e-7)
    assert numbers_in(mle)[-1] == pytest.approx(residual_sigma**2, abs=5e-7)
    assert numbers_in(unbiased)[-1] == pytest.approx(residual_sigma**2 * x.size / (x.size - 2), abs=5e-7)
    best = optimize.minimize(lambda t: scipy_nll(y, t[0] * x + t[1], np.exp(2 * t[2])).mean(), [0.0, 0.0, 0.0],
                             method="BFGS", options={"gtol": 1e-10})
    assert numbers_in(nll)[0] == pytest.approx(best.fun, abs=PRINTED)


def test_per_sample_sigma_demo(executed):
    x, _ = lab_data()
    sigma_each = 0.2 + 0.5 * np.abs(x)
    y_uneven = 1.5 * x - 0.5 + sigma_each * np.random.default_rng(1).normal(size=x.size)
    ols = stats.linregress(x, y_uneven)
    wls = optimize.minimize(lambda t: scipy_nll(y_uneven, t[0] * x + t[1], sigma_each**2).sum(), [0.0, 0.0],
                            method="BFGS", options={"gtol": 1e-10}).x
    ols_row, wls_row = stdout_of(executed, "demo-hetero-data").splitlines()
    assert numbers_in(ols_row)[-2:] == pytest.approx([ols.slope, ols.intercept], abs=PRINTED)
    assert numbers_in(wls_row)[-2:] == pytest.approx(list(wls), abs=PRINTED)

    ordinary, weighted = stdout_of(executed, "demo-hetero-nll").splitlines()
    results = {}
    for row, (slope, intercept) in ((ordinary, (ols.slope, ols.intercept)), (weighted, wls)):
        prediction = slope * x + intercept
        nll, mse = scipy_nll(y_uneven, prediction, sigma_each**2).sum(), mean_squared_error(y_uneven, prediction)
        assert numbers_in(row)[-2:] == pytest.approx([nll, mse], abs=PRINTED)
        results[row.split()[0]] = (nll, mse)
    # what the markdown says: the weighted fit has the lower NLL, the ordinary one the lower MSE
    assert results["weighted"][0] < results["ordinary"][0]
    assert results["ordinary"][1] < results["weighted"][1]


def test_the_lab_has_a_widget(executed):
    (cell,) = [c for c in executed.cells if c.get("id") == "widget-mse-nll"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cell.outputs)


# --- what the text says about bias, gradients and shapes ------------------------------------------------------


def test_sse_over_n_is_unbiased_for_given_means_and_n_minus_2_for_a_fitted_line():
    """Part C and question 3: with ŷ the true means, E[SSE] = n σ²; with a line fitted by least squares to the
    same targets, SSE = εᵀ(I − H)ε and E[SSE] = σ² trace(I − H) = (n − 2) σ², so the MLE SSE/n is low by the
    factor (n − 2)/n = 0.95 at n = 40. Exactly (the trace of the lab's hat matrix) and by simulation."""
    x, _ = lab_data()
    n = x.size
    design = np.column_stack([x, np.ones(n)])
    hat = design @ np.linalg.solve(design.T @ design, design.T)
    assert np.trace(np.eye(n) - hat) == pytest.approx(n - 2, rel=1e-12)
    assert f"{(n - 2) / n:.2f}" == "0.95"
    simulation = np.random.default_rng(7)
    noise = simulation.normal(0.0, 0.8, size=(20_000, n))
    targets = 1.5 * x - 0.5 + noise
    sse_true = np.sum(noise**2, axis=1)
    coefficients = np.linalg.lstsq(design, targets.T, rcond=None)[0]
    sse_fit = np.sum((targets - (design @ coefficients).T) ** 2, axis=1)
    assert np.mean(sse_true / n) == pytest.approx(0.64, rel=0.01)
    assert np.mean(sse_fit / (n - 2)) == pytest.approx(0.64, rel=0.01)
    assert np.mean(sse_fit / n) == pytest.approx(0.64 * (n - 2) / n, rel=0.01)


def test_numbers_in_the_answers(solution):
    """The answers to the questions: σ < 1/√(2π) = 0.3989 makes the constant negative; N(0, 0.1²) peaks at 3.99;
    a perfect prediction at σ = 0.1 has NLL −1.3836; σ from 1 to 2 adds log 2 = 0.6931 nats and divides the
    squared-error term by 4; at σ = 1 the summed NLL carries the factor n/(2σ²) = 20 on the MSE for n = 40."""
    text = markdown_text(read_notebook(notebook_path(LAB)))
    threshold = 1 / np.sqrt(2 * np.pi)
    assert -stats.norm.logpdf(0.0, 0.0, threshold) == pytest.approx(0.0, abs=1e-15)
    claims = {
        "0.3989": f"{threshold:.4f}",
        "3.99": f"{stats.norm.pdf(0.0, 0.0, 0.1):.2f}",
        "-1.3836": f"{-stats.norm.logpdf(0.0, 0.0, 0.1):.4f}",
        "0.6931": f"{-stats.norm.logpdf(0.0, 0.0, 2.0) + stats.norm.logpdf(0.0):.4f}",
        "20 for these 40 samples": f"{40 / (2 * 1.0**2):.0f} for these 40 samples",
    }
    for stated, reference in claims.items():
        assert stated == reference, f"the lab states {stated}, the reference gives {reference}"
        assert stated in text, f"{stated} is no longer in the lab: update this test"
    f = solution["gaussian_nll"]
    assert f(0.0, 0.0, var=0.01) == pytest.approx(-1.3836, abs=5e-5)
    y, p = rng.normal(size=30), rng.normal(size=30)
    mse = np.mean((y - p) ** 2)
    assert f(y, p, var=4.0) == pytest.approx(0.5 * np.log(8 * np.pi) + mse / 8, rel=1e-12)
    assert f(y, p, var=1.0, reduction="sum") == pytest.approx(y.size / 2 * np.log(2 * np.pi) + y.size / 2 * mse,
                                                              rel=1e-12)


def test_gradient_and_adam_under_a_larger_sigma(torch):
    """Question 2: σ from 1 to 2 divides the gradient of the mean NLL with respect to the predictions by 4,
    −(y_i − ŷ_i)/(nσ²); Adam, which rescales its steps by the gradient's size, ends where it ends at σ = 1."""
    F = torch.nn.functional
    y = torch.tensor(rng.normal(size=16))
    gradients = {}
    for var in (1.0, 4.0):
        prediction = torch.zeros(16, dtype=torch.float64, requires_grad=True)
        F.gaussian_nll_loss(prediction, y, torch.full((16,), var, dtype=torch.float64), full=True).backward()
        gradients[var] = prediction.grad.numpy()
        np.testing.assert_allclose(gradients[var], -(y.numpy() - 0.0) / (16 * var), rtol=1e-12)
    np.testing.assert_allclose(gradients[4.0], gradients[1.0] / 4, rtol=1e-12)

    x = torch.tensor(rng.uniform(-3, 3, size=(40, 1)))
    target = 1.5 * x[:, 0] - 0.5 + 0.8 * torch.tensor(rng.normal(size=40))
    weights = []
    for var in (1.0, 4.0):
        torch.manual_seed(0)
        model = torch.nn.Linear(1, 1).double()
        optimiser = torch.optim.Adam(model.parameters(), lr=0.05)
        for _ in range(200):
            optimiser.zero_grad()
            F.gaussian_nll_loss(model(x)[:, 0], target, torch.full((40,), var, dtype=torch.float64)).backward()
            optimiser.step()
        weights.append(torch.cat([model.weight.detach().ravel(), model.bias.detach()]).numpy())
    np.testing.assert_allclose(weights[0], weights[1], rtol=1e-5, atol=1e-6)


def test_broadcast_mean_over_all_pairs():
    """Question 5: (1/N²) Σᵢ Σⱼ (yᵢ − ŷⱼ)² = Var(y) + Var(ŷ) + (ȳ − mean ŷ)², smallest when every ŷⱼ = ȳ."""
    y, p = rng.normal(1.0, 2.0, size=64), rng.normal(-0.5, 1.0, size=64)
    table = y - p.reshape(-1, 1)
    assert table.shape == (64, 64) and table.size == 4096
    assert np.mean(table**2) == pytest.approx(np.var(y) + np.var(p) + (y.mean() - p.mean()) ** 2, rel=1e-12)
    best = optimize.minimize(lambda q: np.mean((y - q.reshape(-1, 1)) ** 2), np.zeros(64), method="BFGS").x
    np.testing.assert_allclose(best, y.mean(), atol=1e-4)
