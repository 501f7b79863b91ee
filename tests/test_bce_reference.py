"""Lab 6 (06_bce) against independent references: the solution's graded functions against scipy and
scikit-learn on many inputs, every number the lab prints or states against scipy, and every statement it makes
about PyTorch against PyTorch (the ``torch`` fixture):
- ``F.binary_cross_entropy(input=p, target=y)``: l = -(y max(log p, -100) + (1 - y) max(log1p(-p), -100)),
  arguments (input, target), default reduction 'mean', floating tensors of one dtype;
- ``F.binary_cross_entropy_with_logits(input=z, target=y)``: (1 - y) z - logsigmoid(z), which agrees with
  TensorFlow's documented max(z, 0) - z y + log(1 + exp(-|z|)) to rounding, is exact at extreme logits, accepts
  soft labels, and loses the relative precision of tiny losses (0 at y = 0, z = -40).
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
        report = stdout_of(executed, f"test-{name.replace('_', '-')}")
        assert report.startswith(f"{name}: visible checks") and "\N{HEAVY BALLOT X}" not in report, report
        assert report.count("\N{HEAVY CHECK MARK}") >= 3, report


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
    assert len(lines) == 4
    assert last_number(lines[3]) == pytest.approx(np.logaddexp(0.0, 2.0), abs=5e-7)  # the worked example
    for line, z in zip(lines[:3], (-20.0, -200.0, -1000.0), strict=True):
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


def test_markdown_formulas(markdown):
    """The clamp as PyTorch computes it, TensorFlow's stable form and PyTorch's arrangement are stated, and the
    two arrangements are the Bernoulli NLL of sigma(z)."""
    assert r"\max(\log p_i, -100)" in markdown and r"\max(\log(1 - p_i), -100)" in markdown
    assert r"\max(z, 0) - z\, y + \log\!\big(1 + e^{-|z|}\big)" in markdown
    assert "This is the formula TensorFlow documents for `tf.nn.sigmoid_cross_entropy_with_logits`" in markdown
    assert r"\ell = (1 - y)\, z - \log \sigma(z), \qquad \log\sigma(z) = \min(z, 0) - \log\!\big(1 + e^{-|z|}\big)" \
        in markdown
    assert "This is the formula of PyTorch" not in markdown  # the examiners' finding: it is TensorFlow's
    z = np.linspace(-50, 50, 101)
    for y in (0.0, 0.3, 1.0):
        stable = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
        np.testing.assert_allclose(stable, bce_logits_reference(y, z), rtol=1e-12)
        pytorch = (1 - y) * z - (np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z))))
        np.testing.assert_allclose(pytorch, bce_logits_reference(y, z), rtol=1e-10, atol=1e-14)


# ------------------------------------------------------------------------------- the worked example (Part B)


def test_worked_example_numbers(markdown):
    """z = 2, y = 0: e^-2, sigma(2), 1 - sigma(2), the loss and the loss for y = 1, as printed in the text;
    Part C repeats it from the logit."""
    p = special.expit(2.0)
    claims = {
        "0.135335": np.exp(-2.0),
        "0.880797": p,
        "0.119203": 1 - p,
        "2.126928": -np.log1p(-p),
        "0.126928": -np.log(p),
    }
    for text, value in claims.items():
        assert text in markdown, text
        assert f"{value:.6f}" == text, (text, value)
    assert r"= -\log 0.119203 = 2.126928 \text{ nats}" in markdown
    assert "differ by exactly $z = 2$" in markdown
    assert -np.log1p(-p) - (-np.log(p)) == pytest.approx(2.0, abs=1e-14)  # log(p / (1 - p)) = z
    assert r"\ell = 2 - 0 + \log(1 + e^{-2}) = 2 + 0.126928 = 2.126928" in markdown
    assert f"{np.log1p(np.exp(-2.0)):.6f}" == "0.126928" and f"{2 + np.log1p(np.exp(-2.0)):.6f}" == "2.126928"
    assert "88% probability" in markdown and round(100 * p) == 88


def test_demo_worked_example_numbers(executed):
    lines = printed_lines(executed, "demo-worked-example")
    p = special.expit(2.0)
    got = [float(line.rsplit("=", 1)[1]) for line in lines]
    np.testing.assert_allclose(got, [p, -np.log1p(-p), -np.log(p)], rtol=0, atol=5e-7)
    assert [f"{value:.6f}" for value in got] == ["0.880797", "2.126928", "0.126928"]


# ------------------------------------------------------------ figure, tolerances and answers in the text


def test_static_figure_comes_before_the_widget():
    nb = read_notebook(notebook_path(LAB))
    ids = [c.get("id") for c in nb.cells]
    (figure,) = [c for c in nb.cells if c.get("id") == "figure-losses"]
    assert ids.index("figure-losses") < ids.index("widget-losses")
    assert figure.source.count("logit_losses.draw_losses_against_logit(") == 2  # the widget's drawing function
    assert 'quantity="loss"' in figure.source and 'quantity="gradient"' in figure.source
    assert "plt.show()" in figure.source and "explorer" not in figure.source


def test_figure_text_matches_the_curves(markdown):
    """'MSE on the sigmoid levels off at 1' and 'BCE's gradient approaches -1' for y = 1 as z falls."""
    assert "MSE on the sigmoid levels off at 1" in markdown and "gradient approaches $-1$" in markdown
    z = -40.0
    p = special.expit(z)
    assert (p - 1) ** 2 == pytest.approx(1.0, abs=1e-15) and p - 1 == pytest.approx(-1.0, abs=1e-15)
    assert -special.log_expit(z) == pytest.approx(40.0)  # BCE keeps rising


def test_stated_tolerances_are_the_checks():
    from helpers.checks import bce as check

    assert (check.RTOL, check.ATOL) == (1e-10, 1e-12)
    nb = read_notebook(notebook_path(LAB))
    text = markdown_text(nb)
    assert text.count("a relative $10^{-10}$ plus an absolute $10^{-12}$") == 2  # Exercises B and C
    assert "a relative $10^{-10}$ plus an absolute $10^{-14}$" in text  # Exercise D
    tests = "\n".join(c.source for c in nb.cells if c.get("id") == "test-bce-grad-logits")
    assert tests.count("rtol=1e-10, atol=1e-14") >= 4


def test_answers_to_check_your_understanding(markdown):
    answers = markdown.split("<details><summary>Answer</summary>", 1)[1].split("</details>", 1)[0]
    assert r"-\log 0.1 =" in answers and r"\log 10 \approx 2.303" in answers
    assert f"{-np.log(0.1):.3f}" == "2.303"
    z_best = np.log(0.3 / 0.7)
    assert r"z = \log(0.3 / 0.7) \approx -0.847" in answers and f"{z_best:.3f}" == "-0.847"
    entropy = -(0.3 * np.log(0.3) + 0.7 * np.log(0.7))
    assert r"\approx 0.611" in answers and f"{entropy:.3f}" == "0.611"
    assert bce_logits_reference(0.3, z_best) == pytest.approx(entropy, rel=1e-12)
    assert bce_logits_reference(0.3, z_best) < min(bce_logits_reference(0.3, z_best + d) for d in (-1e-3, 1e-3))
    with np.errstate(invalid="ignore"):  # the nan of IEEE arithmetic that answer 2 describes
        assert np.isnan(0.0 * np.float64(-np.inf))
    assert 0.0 * max(-np.inf, -100.0) == 0.0


def test_separable_data_makes_the_weights_grow_without_bound():
    """Answer 4: on separable data the loss keeps falling towards 0 and ||w|| keeps growing under gradient
    descent on the mean BCE (no finite minimiser)."""
    rng = np.random.default_rng(4)
    X = np.vstack([rng.normal([-2.0, 0.0], 0.5, size=(50, 2)), rng.normal([2.0, 0.0], 0.5, size=(50, 2))])
    y = np.repeat([0.0, 1.0], 50)
    assert np.all((X[:, 0] > 0) == (y == 1))  # separated by x1 = 0
    w, norms, losses = np.zeros(2), [], []
    for step in range(1, 20_001):
        z = X @ w
        w -= X.T @ ((special.expit(z) - y) / len(y))
        if step in (100, 1_000, 10_000, 20_000):
            norms.append(np.linalg.norm(w))
            losses.append(bce_logits_reference(y, X @ w).mean())
    assert all(a < b for a, b in zip(norms, norms[1:], strict=False))
    assert all(a > b > 0 for a, b in zip(losses, losses[1:], strict=False))


# ---------------------------------------------------------------------------- what the lab says of PyTorch


def as_tensor(torch, values):
    return torch.tensor(np.asarray(values, dtype=float), dtype=torch.float64)


def test_pytorch_bce_clamps_each_log_at_minus_100(solution, torch):
    """F.binary_cross_entropy clamps log p and log(1 - p) at -100 (so every p < e^-100 costs 100), computes
    log(1 - p) with log1p (the loss of y = 0 at p = 1e-20 is 1e-20), and equals the lab's BCE."""
    F = torch.nn.functional
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.5, 1.0, 0.0, 1.0, 1.0, 0.25, 0.3])
    p = np.array([0.0, 1.0, 1.0, 0.0, 0.0, 1e-50, 1e-20, 1e-44, 1e-43, 1.0, 0.7])
    torch_losses = F.binary_cross_entropy(input=as_tensor(torch, p), target=as_tensor(torch, y),
                                          reduction="none").numpy()
    np.testing.assert_allclose(torch_losses[:6], [100.0, 100.0, 0.0, 0.0, 50.0, 100.0], rtol=0, atol=0)
    assert torch_losses[6] == pytest.approx(1e-20, rel=1e-12)  # log1p: not 0
    assert torch_losses[7] == 100.0 and torch_losses[8] < 100.0  # the threshold e^-100 = 3.7e-44
    assert np.exp(-100.0) == pytest.approx(3.7e-44, rel=0.01)
    np.testing.assert_allclose(quietly(solution["binary_cross_entropy"], y, p, reduction="none"), torch_losses,
                               rtol=1e-12, atol=1e-15)


def test_pytorch_argument_order_and_default_reduction(solution, torch):
    """PyTorch's functional losses take (input, target): the prediction first, the reverse of this lab; the
    default reduction is 'mean'; the tensors must be floating point of one dtype."""
    import inspect

    F = torch.nn.functional
    for function in (F.binary_cross_entropy, F.binary_cross_entropy_with_logits):
        parameters = list(inspect.signature(function).parameters.values())
        assert [q.name for q in parameters[:2]] == ["input", "target"]
        assert inspect.signature(function).parameters["reduction"].default == "mean"
    rng = np.random.default_rng(61)
    y = rng.integers(0, 2, size=12).astype(float)
    p = rng.uniform(0.05, 0.95, size=12)
    positional = F.binary_cross_entropy(as_tensor(torch, p), as_tensor(torch, y)).item()
    assert positional == pytest.approx(solution["binary_cross_entropy"](y, p), rel=1e-12)
    assert positional != pytest.approx(F.binary_cross_entropy(as_tensor(torch, y), as_tensor(torch, p)).item())
    with pytest.raises(RuntimeError):
        F.binary_cross_entropy(torch.tensor(p, dtype=torch.float32), as_tensor(torch, y))
    with pytest.raises(RuntimeError):
        F.binary_cross_entropy(as_tensor(torch, p), torch.tensor(y.astype(np.int64)))


def test_pytorch_bce_with_logits_is_one_minus_y_z_minus_logsigmoid(solution, torch):
    """What PyTorch computes: (1 - y) z - logsigmoid(z), logsigmoid(z) = min(z, 0) - log1p(exp(-|z|)); in
    float64 it agrees with TensorFlow's form (the lab's solution) to rounding, eps * max(|z|, 1)."""
    F = torch.nn.functional
    rng = np.random.default_rng(62)
    z = np.concatenate([np.linspace(-60.0, 60.0, 4001), rng.normal(0.0, 300.0, size=2000)])
    for y in (np.zeros_like(z), np.ones_like(z), rng.uniform(0.0, 1.0, size=z.shape)):
        zt, yt = as_tensor(torch, z), as_tensor(torch, y)
        torch_losses = F.binary_cross_entropy_with_logits(zt, yt, reduction="none")
        arranged = ((1 - yt) * zt - F.logsigmoid(zt)).numpy()
        np.testing.assert_array_equal(torch_losses.numpy(), arranged)
        logsigmoid = np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z)))
        np.testing.assert_allclose(F.logsigmoid(zt).numpy(), logsigmoid, rtol=1e-15, atol=1e-300)
        tensorflow_form = quietly(solution["binary_cross_entropy_with_logits"], y, z, reduction="none")
        gap = np.abs(torch_losses.numpy() - tensorflow_form)
        assert np.all(gap <= 4 * np.finfo(float).eps * np.maximum(np.abs(z), 1.0))
        # the lab's tolerance (relative 1e-10 plus absolute 1e-12) accepts PyTorch's values
        np.testing.assert_allclose(torch_losses.numpy(), tensorflow_form, rtol=1e-10, atol=1e-12)


def test_pytorch_extremes_and_tiny_losses(solution, torch):
    """Exactly 1000 at y = 1, z = -1000 (and 1000, 0, 0, 750, 250 for the others); soft labels accepted; for
    y = 0, z = -40 PyTorch returns 0 where the loss is 4.25e-18 (the lab's form keeps it); PyTorch's tiny losses
    are right to 4e-15 absolute, not to 10 significant digits (the examiners' case: z = 12.4 and y = 0 at -12.4)."""
    F = torch.nn.functional
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.25, 0.25])
    z = np.array([-1000.0, 1000.0, 1000.0, -1000.0, 1000.0, -1000.0])
    got = F.binary_cross_entropy_with_logits(as_tensor(torch, z), as_tensor(torch, y), reduction="none").numpy()
    assert got.tolist() == [1000.0, 1000.0, 0.0, 0.0, 750.0, 250.0]
    assert solution["binary_cross_entropy_with_logits"](y, z, reduction="none").tolist() == got.tolist()
    tiny = F.binary_cross_entropy_with_logits(as_tensor(torch, [-40.0, 40.0]), as_tensor(torch, [0.0, 1.0]),
                                              reduction="none").numpy()
    exact = -special.log_expit(40.0)
    assert f"{exact:.2e}" == "4.25e-18"
    assert tiny[0] == 0.0 and tiny[1] == pytest.approx(exact, rel=1e-14)
    assert solution["binary_cross_entropy_with_logits"](0.0, -40.0) == pytest.approx(exact, rel=1e-14)
    grid = np.linspace(-60.0, 60.0, 240_001)
    for label in (0.0, 1.0):
        labels = np.full_like(grid, label)
        torch_losses = F.binary_cross_entropy_with_logits(as_tensor(torch, grid), as_tensor(torch, labels),
                                                          reduction="none").numpy()
        reference = bce_logits_reference(labels, grid)
        small = reference < 1e-3
        assert np.abs(torch_losses - reference)[small].max() < 4e-15
    examiners = F.binary_cross_entropy_with_logits(as_tensor(torch, [-12.4]), as_tensor(torch, [0.0]),
                                                   reduction="none").numpy()
    reference = bce_logits_reference(np.array([0.0]), np.array([-12.4]))
    assert f"{reference[0]:.0e}" == "4e-06"
    assert not np.allclose(examiners, reference, rtol=1e-10, atol=0)
    assert np.allclose(examiners, reference, rtol=1e-10, atol=1e-12)
