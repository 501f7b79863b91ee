"""Lab 6 (06_bce) against independent references: the solution's graded functions against scipy and
scikit-learn on many inputs, and every number the lab prints or states against scipy.

PyTorch is not installed; where the lab follows PyTorch, its formula is stated here and checked against
scipy or a closed form:
- ``F.binary_cross_entropy(p, y)``: l = -(y * max(log p, -100) + (1 - y) * max(log1p(-p), -100))
  (aten/src/ATen/native/Loss.cpp, CPU kernel), then the reduction;
- ``F.binary_cross_entropy_with_logits(z, y)``: l = max(z, 0) - z y + log(1 + exp(-|z|)), which equals
  -(y log sigmoid(z) + (1 - y) log sigmoid(-z)) = scipy's -(y log_expit(z) + (1 - y) log_expit(-z)).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
import sklearn
from course import markdown_text, notebook_path, read_notebook, stdout_of
from scipy import special, stats
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

LAB = "06_bce"
REDUCTIONS = ("none", "mean", "sum")


@pytest.fixture(scope="module")
def markdown():
    return markdown_text(read_notebook(notebook_path(LAB)))


def quietly(func, *args, **kwargs):
    """Call ``func`` with every floating-point warning turned into an error (underflow to 0 is harmless)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            return func(*args, **kwargs)


def reduce(losses, reduction):
    return {"none": losses, "mean": np.mean(losses), "sum": np.sum(losses)}[reduction]


def bce_logits_reference(y, z):
    """-[y log sigma(z) + (1 - y) log sigma(-z)] with scipy's stable log_expit."""
    return -(y * special.log_expit(z) + (1 - y) * special.log_expit(-z))


def unpenalised_logistic_regression():
    """``LogisticRegression(penalty=None)``; scikit-learn 1.8 deprecated ``penalty`` in favour of
    ``C=np.inf``, which is the same model (no regularisation)."""
    major, minor = (int(part) for part in sklearn.__version__.split(".")[:2])
    options = {"C": np.inf} if (major, minor) >= (1, 8) else {"penalty": None}
    return LogisticRegression(**options, tol=1e-12, max_iter=10_000)


def last_number(line: str) -> float:
    """The number after the last colon of a printed line (accepts nan, inf and thousands separators)."""
    return float(line.rsplit(":", 1)[1].strip().replace(",", ""))


# ---------------------------------------------------------------------------------------------- sigmoid


@pytest.mark.parametrize("shape", [(), (7,), (3, 4), (2, 3, 5)])
@pytest.mark.parametrize("scale", [1.0, 10.0, 300.0])
def test_sigmoid_matches_expit(solution, shape, scale):
    z = np.random.default_rng(hash((shape, scale)) % 2**32).normal(0.0, scale, size=shape)
    got = quietly(solution["sigmoid"], z)
    assert np.shape(got) == shape
    np.testing.assert_allclose(got, special.expit(z), rtol=1e-13, atol=1e-300)


def test_sigmoid_extremes_against_long_double(solution):
    """Relative precision everywhere, including the subnormal range that scipy's expit flushes to 0."""
    z = np.concatenate([np.linspace(-745.0, 745.0, 2981), [-1000.0, 1000.0, -1e308, 1e308, -np.inf, np.inf]])
    got = quietly(solution["sigmoid"], z)
    with np.errstate(over="ignore"):
        exact = (1 / (1 + np.exp(-z.astype(np.longdouble)))).astype(float)
    normal = exact > np.finfo(float).tiny
    np.testing.assert_allclose(got[normal], exact[normal], rtol=1e-13)
    np.testing.assert_allclose(got[~normal], exact[~normal], rtol=0, atol=1e-320)
    assert got[-6:].tolist() == [0.0, 1.0, 0.0, 1.0, 0.0, 1.0]


def test_sigmoid_float32_ints_lists(solution):
    z32 = np.linspace(-100, 100, 41, dtype=np.float32)
    np.testing.assert_allclose(quietly(solution["sigmoid"], z32), special.expit(z32.astype(float)), rtol=1e-6)
    np.testing.assert_allclose(solution["sigmoid"](list(range(-5, 6))), special.expit(np.arange(-5.0, 6.0)), rtol=1e-14)


# ----------------------------------------------------------------------------- binary_cross_entropy


@pytest.mark.parametrize("shape", [(1,), (50,), (8, 3), (2, 3, 4)])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_is_the_bernoulli_nll(solution, shape, reduction):
    rng = np.random.default_rng(sum(shape) + len(reduction))
    y = rng.integers(0, 2, size=shape)
    p = rng.uniform(1e-6, 1 - 1e-6, size=shape)
    expected = reduce(-stats.bernoulli.logpmf(y, p), reduction)
    got = solution["binary_cross_entropy"](y, p, reduction=reduction)
    assert np.shape(got) == np.shape(expected)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_bce_default_is_the_mean_over_all_elements(solution):
    rng = np.random.default_rng(11)
    y = rng.integers(0, 2, size=(6, 5))
    p = rng.uniform(0.01, 0.99, size=(6, 5))
    np.testing.assert_allclose(solution["binary_cross_entropy"](y, p), -stats.bernoulli.logpmf(y, p).mean(), rtol=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_bce_matches_sklearn_log_loss(solution, seed):
    rng = np.random.default_rng(100 + seed)
    y = rng.integers(0, 2, size=40)
    y[:2] = [0, 1]  # both classes present, as log_loss needs
    p = rng.uniform(0.001, 0.999, size=40)
    np.testing.assert_allclose(solution["binary_cross_entropy"](y, p), log_loss(y, p), rtol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_soft_labels_are_the_bernoulli_cross_entropy(solution, reduction):
    rng = np.random.default_rng(7)
    y = rng.uniform(0, 1, size=(5, 6))
    p = rng.uniform(1e-8, 1 - 1e-8, size=(5, 6))
    elementwise = -(special.xlogy(y, p) + special.xlog1py(1 - y, -p))
    got = solution["binary_cross_entropy"](y, p, reduction=reduction)
    np.testing.assert_allclose(got, reduce(elementwise, reduction), rtol=1e-12)
    # H(Bern(y), Bern(p)) = H(Bern(y)) + KL(Bern(y) || Bern(p)) (Lab 5), with scipy's entropy
    cross = stats.entropy([y, 1 - y]) + stats.entropy([y, 1 - y], [p, 1 - p])
    np.testing.assert_allclose(solution["binary_cross_entropy"](y, p, reduction="none"), cross, rtol=1e-10)


def test_bce_pytorch_clamp_convention(solution):
    """PyTorch: each of log p and log1p(-p) clamped at -100, computed here in long double."""
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.5, 1.0, 0.0, 1.0, 0.25, 0.0])
    p = np.array([0.0, 1.0, 1.0, 0.0, 0.0, 1e-50, 1e-20, 3e-44, 1.0, 1e-300])
    long_p = p.astype(np.longdouble)
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(long_p), -100)
        log_not_p = np.maximum(np.log1p(-long_p), -100)
    expected = (-(y * log_p + (1 - y) * log_not_p)).astype(float)
    got = quietly(solution["binary_cross_entropy"], y, p, reduction="none")
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)
    np.testing.assert_allclose(got[:5], [100.0, 100.0, 0.0, 0.0, 50.0], rtol=0, atol=0)
    assert got[6] == pytest.approx(1e-20, rel=1e-12)  # log1p keeps the tiny loss of a tiny p


def test_bce_float32_boundary_and_precision(solution):
    """CONTENT.md error 1: in float32, clipping with 1e-10 gives nan for y = [1, 0], p = [1, 0]."""
    y32 = np.array([1.0, 0.0], dtype=np.float32)
    p32 = np.array([1.0, 0.0], dtype=np.float32)
    assert np.float32(1 - 1e-10) == np.float32(1.0)
    assert quietly(solution["binary_cross_entropy"], y32, p32) == 0.0
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, size=30).astype(np.float32)
    p = rng.uniform(0.01, 0.99, size=30).astype(np.float32)
    np.testing.assert_allclose(solution["binary_cross_entropy"](y, p, reduction="none"),
                               -stats.bernoulli.logpmf(y.astype(int), p.astype(float)), rtol=1e-5)


@pytest.mark.parametrize(("args", "kwargs", "names"), [
    (([1.0, 0.0], [0.5, 0.5]), {"reduction": "average"}, ["reduction"]),
    (([1.0, 0.0], [0.5, 0.5]), {"reduction": None}, ["reduction"]),
    (([1.0, 2.0], [0.5, 0.5]), {}, ["y_true"]),
    (([1.0, -0.1], [0.5, 0.5]), {}, ["y_true"]),
    (([1.0, np.nan], [0.5, 0.5]), {}, ["y_true"]),
    (([1.0, 0.0], [0.5, 1.5]), {}, ["y_prob"]),
    (([1.0, 0.0], [np.nan, 0.5]), {}, ["y_prob"]),
    ((np.ones(3), np.full((3, 1), 0.5)), {}, ["y_true", "y_prob"]),
    ((np.ones((3, 1)), np.full(3, 0.5)), {}, ["y_true", "y_prob"]),
    ((np.ones(3), np.full(4, 0.5)), {}, ["y_true", "y_prob"]),
])
def test_bce_rejects_invalid_input(solution, args, kwargs, names):
    with pytest.raises(ValueError) as error:
        solution["binary_cross_entropy"](*args, **kwargs)
    for name in names:
        assert re.search(rf"(?<!\w){name}(?!\w)", str(error.value)), (name, str(error.value))


# ----------------------------------------------------------------- binary_cross_entropy_with_logits


@pytest.mark.parametrize("shape", [(), (1,), (40,), (6, 7), (2, 3, 4)])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("soft", [False, True])
def test_bce_with_logits_matches_log_expit(solution, shape, reduction, soft):
    rng = np.random.default_rng(len(shape) * 10 + len(reduction) + soft)
    y = rng.uniform(0, 1, size=shape) if soft else rng.integers(0, 2, size=shape).astype(float)
    z = rng.normal(0.0, 8.0, size=shape)
    got = quietly(solution["binary_cross_entropy_with_logits"], y, z, reduction=reduction)
    expected = reduce(bce_logits_reference(y, z), reduction)
    assert np.shape(got) == np.shape(expected)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_bce_with_logits_extremes(solution):
    z = np.array([-1e5, -1000.0, -745.0, -40.0, -1e-8, 0.0, 1e-8, 40.0, 745.0, 1000.0, 1e5])
    for y_value in (0.0, 0.25, 0.5, 1.0):
        y = np.full(z.shape, y_value)
        got = quietly(solution["binary_cross_entropy_with_logits"], y, z, reduction="none")
        np.testing.assert_allclose(got, bce_logits_reference(y, z), rtol=1e-12)
    # closed forms: far from 0, the loss is y |z| for z < 0 and (1 - y) z for z > 0
    got = solution["binary_cross_entropy_with_logits"]([1.0, 0.0, 0.25, 0.25], [-1000.0, 1000.0, 1000.0, -1000.0],
                                                  reduction="none")
    assert got.tolist() == [1000.0, 1000.0, 750.0, 250.0]


def test_bce_with_logits_matches_bce_on_probabilities_and_sklearn(solution):
    rng = np.random.default_rng(21)
    y = rng.integers(0, 2, size=60)
    y[:2] = [0, 1]
    z = rng.normal(0.0, 3.0, size=60)
    p = special.expit(z)
    with_logits = solution["binary_cross_entropy_with_logits"](y, z)
    np.testing.assert_allclose(with_logits, solution["binary_cross_entropy"](y, p), rtol=1e-12)
    np.testing.assert_allclose(with_logits, log_loss(y, p), rtol=1e-12)


def test_bce_with_logits_float32(solution):
    rng = np.random.default_rng(5)
    y = rng.uniform(0, 1, size=20).astype(np.float32)
    z = rng.normal(0, 5, size=20).astype(np.float32)
    np.testing.assert_allclose(solution["binary_cross_entropy_with_logits"](y, z, reduction="none"),
                               bce_logits_reference(y.astype(float), z.astype(float)), rtol=1e-5)


@pytest.mark.parametrize(("args", "kwargs", "names"), [
    (([1.0], [0.5]), {"reduction": "MEAN"}, ["reduction"]),
    (([1.0, 1.5], [0.5, 0.5]), {}, ["y_true"]),
    (([1.0, np.nan], [0.5, 0.5]), {}, ["y_true"]),
    ((np.ones(3), np.zeros((3, 1))), {}, ["y_true", "logits"]),
    ((np.ones((4, 1)), np.zeros(4)), {}, ["y_true", "logits"]),
])
def test_bce_with_logits_rejects_invalid_input(solution, args, kwargs, names):
    with pytest.raises(ValueError) as error:
        solution["binary_cross_entropy_with_logits"](*args, **kwargs)
    for name in names:
        assert re.search(rf"(?<!\w){name}(?!\w)", str(error.value)), (name, str(error.value))


# -------------------------------------------------------------------------------------- bce_grad_logits


@pytest.mark.parametrize("shape", [(), (1,), (9,), (4, 5), (2, 3, 2)])
def test_grad_matches_closed_form(solution, shape):
    rng = np.random.default_rng(sum(shape) + 1)
    y = rng.uniform(0, 1, size=shape)
    z = rng.normal(0, 5, size=shape)
    got = quietly(solution["bce_grad_logits"], y, z)
    assert np.shape(got) == shape
    np.testing.assert_allclose(got, (special.expit(z) - y) / max(1, int(np.prod(shape))), rtol=1e-12)


@pytest.mark.parametrize("soft", [False, True])
def test_grad_matches_finite_differences_of_the_mean_loss(solution, soft):
    rng = np.random.default_rng(31 + soft)
    shape = (4, 3)
    y = rng.uniform(0, 1, size=shape) if soft else rng.integers(0, 2, size=shape).astype(float)
    z = rng.normal(0, 3, size=shape)
    loss = solution["binary_cross_entropy_with_logits"]
    step = 1e-5
    numeric = np.zeros(shape)
    for index in np.ndindex(shape):
        bump = np.zeros(shape)
        bump[index] = step
        numeric[index] = (loss(y, z + bump) - loss(y, z - bump)) / (2 * step)
    np.testing.assert_allclose(solution["bce_grad_logits"](y, z), numeric, rtol=1e-6, atol=1e-10)


def test_grad_at_extremes(solution):
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.5])
    z = np.array([-1000.0, 1000.0, 1000.0, -1000.0, 1000.0])
    assert quietly(solution["bce_grad_logits"], y, z).tolist() == [-0.2, 0.2, 0.0, 0.0, 0.1]


@pytest.mark.parametrize(("args", "names"), [
    (([1.0, 2.0], [0.0, 0.0]), ["y_true"]),
    (([0.5, -0.5], [0.0, 0.0]), ["y_true"]),
    ((np.ones(3), np.zeros((3, 1))), ["y_true", "logits"]),
    ((np.ones((2, 1)), np.zeros(2)), ["y_true", "logits"]),
])
def test_grad_rejects_invalid_input(solution, args, names):
    with pytest.raises(ValueError) as error:
        solution["bce_grad_logits"](*args)
    for name in names:
        assert re.search(rf"(?<!\w){name}(?!\w)", str(error.value)), (name, str(error.value))


# --------------------------------------------------------------- the MSE-on-sigmoid claim (CONTENT.md 4)


def test_mse_on_sigmoid_versus_bce_gradient_at_minus_ten():
    """At z = -10, y = 1: with l_MSE = (sigmoid(z) - y)^2 (no 1/2), dl/dz = 2 (p - y) p (1 - p) is about
    -9.1e-5; BCE's p - y is about -0.99995. With a factor 1/2 the MSE value would be -4.5e-5 instead."""
    p = special.expit(-10.0)
    mse = 2 * (p - 1) * p * (1 - p)
    bce = p - 1
    assert round(mse, 6) == pytest.approx(-9.1e-5)
    assert round(bce, 5) == pytest.approx(-0.99995)
    assert round(bce / mse, -3) == 11_000
    # the chain-rule formula is the derivative of (sigmoid(z) - 1)^2, by central differences
    step = 1e-5
    numeric = ((special.expit(-10 + step) - 1) ** 2 - (special.expit(-10 - step) - 1) ** 2) / (2 * step)
    assert numeric == pytest.approx(mse, rel=1e-6)


# ------------------------------------------------------------------ numbers printed by the demo cells


def printed_lines(nb, cell_id):
    return [line for line in stdout_of(nb, cell_id).splitlines() if line.strip()]


def test_no_errors_and_every_exercise_passes(executed):
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    for name in ("sigmoid", "binary_cross_entropy", "binary_cross_entropy_with_logits", "bce_grad_logits"):
        assert "all visible checks passed" in stdout_of(executed, f"test-{name.replace('_', '-')}")


def test_demo_sigmoid_numbers(executed):
    lines = printed_lines(executed, "demo-sigmoid")
    values = [np.array(line.split(":", 1)[1].replace("[", "").replace("]", "").split(), dtype=float)
              for line in lines]
    expected = special.expit([-1000.0, 0.0, 1000.0])
    np.testing.assert_array_equal(values[0], expected)
    np.testing.assert_array_equal(values[1], [0.0, 0.5, np.nan])
    np.testing.assert_array_equal(values[2], expected)


def test_demo_bernoulli_nll_numbers(executed):
    rng = np.random.default_rng(6)
    y = rng.integers(0, 2, size=8)
    p = rng.uniform(0.05, 0.95, size=8)
    nll = -stats.bernoulli.logpmf(y, p)
    got = [last_number(line) for line in printed_lines(executed, "demo-bernoulli-nll")]
    np.testing.assert_allclose(got, [nll.sum(), nll.sum(), nll.sum(), nll.mean()], rtol=0, atol=1e-10)


def test_demo_clamp_numbers(executed):
    lines = printed_lines(executed, "demo-clamp")
    assert lines[0].endswith("True") and np.float32(1 - 1e-10) == np.float32(1.0)
    assert np.isnan(last_number(lines[1]))
    assert last_number(lines[2]) == 0.0
    assert last_number(lines[3]) == 100.0
    assert last_number(lines[4]) == -stats.bernoulli.logpmf(1, 0.0) == np.inf


def test_demo_logits_numbers(executed):
    lines = printed_lines(executed, "demo-logits")
    assert len(lines) == 3
    for line, z in zip(lines, (-20.0, -200.0, -1000.0), strict=True):
        numbers = [float(x) for x in re.findall(r"-?\d+\.\d+", line)]
        exact = -special.log_expit(z)
        through_sigmoid = min(-np.log(special.expit(z)) if special.expit(z) > 0 else np.inf, 100.0)
        assert numbers[0] == z
        assert numbers[1] == pytest.approx(through_sigmoid, abs=5e-5)
        assert numbers[2] == pytest.approx(exact, abs=5e-5)


def test_demo_slow_gradient_numbers(executed):
    lines = printed_lines(executed, "demo-slow-gradient")
    p = special.expit(-10.0)
    mse = 2 * (p - 1) * p * (1 - p)
    bce = p - 1
    sigmoid_printed = float(lines[0].split("=")[1])
    assert sigmoid_printed == pytest.approx(p, rel=1e-6)
    assert float(lines[1].split("=")[-1]) == pytest.approx(mse, rel=1e-4)
    assert float(lines[2].split("=")[-1]) == pytest.approx(bce, abs=1e-6)
    assert last_number(lines[3]) == round(bce / mse)


def test_training_reaches_sklearns_maximum_likelihood(executed):
    """The lab's gradient descent against scikit-learn's unpenalised logistic regression on the same data."""
    nb = read_notebook(notebook_path(LAB))
    (make_data,) = [c for c in nb.cells if c.get("id") == "make-data"]
    data: dict = {"np": np}
    exec(make_data.source, data)  # noqa: S102 - the lab's own seeded data cell
    X, y = data["X"], data["y_train"]
    assert X.shape == (200, 2) and np.bincount(y.astype(int)).tolist() == [100, 100]
    model = unpenalised_logistic_regression().fit(X, y)
    p = model.predict_proba(X)[:, 1]
    assert 0.5 < model.score(X, y) < 1.0  # the classes overlap, so the maximum-likelihood weights are finite

    lines = printed_lines(executed, "demo-training")
    start, final = (float(x) for x in re.findall(r"(\d+\.\d+) (?:at the start|after 300 steps)", lines[0]))
    assert start == pytest.approx(np.log(2), abs=1e-6)
    assert final == pytest.approx(log_loss(y, p), abs=1e-6)
    w0, w1, b = (float(x) for x in re.findall(r"-?\d+\.\d+", lines[1]))
    np.testing.assert_allclose([w0, w1], model.coef_[0], atol=1e-4)
    assert b == pytest.approx(model.intercept_[0], abs=1e-4)
    assert last_number(lines[2]) == pytest.approx(model.score(X, y), abs=1e-3)


def test_gradient_descent_with_the_solution_converges_to_sklearn(solution):
    nb = read_notebook(notebook_path(LAB))
    (make_data,) = [c for c in nb.cells if c.get("id") == "make-data"]
    data: dict = {"np": np}
    exec(make_data.source, data)  # noqa: S102
    X, y = data["X"], data["y_train"]
    w, b = np.zeros(2), 0.0
    for _ in range(300):
        g = solution["bce_grad_logits"](y, X @ w + b)
        w, b = w - X.T @ g, b - g.sum()
    model = unpenalised_logistic_regression().fit(X, y)
    np.testing.assert_allclose(w, model.coef_[0], atol=1e-6)
    assert b == pytest.approx(model.intercept_[0], abs=1e-6)
    assert solution["binary_cross_entropy_with_logits"](y, X @ w + b) == pytest.approx(
        log_loss(y, model.predict_proba(X)[:, 1]), rel=1e-10)


# ----------------------------------------------------------------------------- claims in the markdown


def test_markdown_numbers(markdown):
    p = special.expit(-10.0)
    mse_gradient = 2 * (p - 1) * p * (1 - p)  # of (sigmoid(z) - y)^2 at z = -10, y = 1
    bce_gradient = p - 1
    claims = {
        r"\sigma(-40) \approx 4.25 \times 10^{-18}": f"{special.expit(-40.0):.2e}" == "4.25e-18",
        r"e^{-100} \approx 3.7 \times 10^{-44}": f"{np.exp(-100.0):.1e}" == "3.7e-44",
        r"-\log(10^{-10}) = 23.03": f"{-np.log(1e-10):.2f}" == "23.03",
        "`1 - 1e-10` rounds to exactly `1.0`": bool(np.float32(1 - 1e-10) == np.float32(1.0)),
        "$\\sigma(-1000)$\nis exactly 0": special.expit(-1000.0) == 0.0,
        "true value is\nabout 1000": -special.log_expit(-1000.0) == pytest.approx(1000.0),
        r"\sigma(-10) \approx 4.54 \times 10^{-5}": f"{p:.2e}" == "4.54e-05",
        r"-9.1 \times 10^{-5}": f"{mse_gradient:.1e}" == "-9.1e-05",
        "$-0.99995$": f"{bce_gradient:.5f}" == "-0.99995",
        "roughly 11,000 times": round(bce_gradient / mse_gradient, -3) == 11_000,
        "no factor $\\tfrac12$": True,  # the MSE convention the two numbers above rely on
    }
    for text, holds in claims.items():
        assert text in markdown, text
        assert holds, text


def test_markdown_pytorch_formulas(markdown):
    """The clamp and the stable form are stated as PyTorch computes them."""
    assert r"\max(\log p_i, -100)" in markdown and r"\max(\log(1 - p_i), -100)" in markdown
    assert r"\max(z, 0) - z\, y + \log\!\big(1 + e^{-|z|}\big)" in markdown
    z = np.linspace(-50, 50, 101)
    for y in (0.0, 0.3, 1.0):
        stable = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
        np.testing.assert_allclose(stable, bce_logits_reference(y, z), rtol=1e-12)
