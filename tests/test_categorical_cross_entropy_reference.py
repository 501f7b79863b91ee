"""Lab 4 (04_categorical_cross_entropy) against independent references: the solution's functions against
scipy and scikit-learn on many inputs (and against PyTorch's stated formula, torch not being a dependency),
the gradient against finite differences, and every number the lab states or prints against scipy."""

import numpy as np
import pytest
from course import (
    markdown_text,
    notebook_path,
    numbers_in,
    read_notebook,
    stdout_of,
)
from scipy import special, stats
from sklearn.metrics import log_loss
from sklearn.preprocessing import OneHotEncoder, label_binarize

LAB = "04_categorical_cross_entropy"
rng = np.random.default_rng(20261104)
REDUCTIONS = ("none", "sum", "mean")


def torch_cross_entropy(logits, target, reduction="mean"):
    """PyTorch's documented ``F.cross_entropy(input=logits, target)`` (no weights, no ignored index, no label
    smoothing), classes on the last axis, computed in extended precision:
    class indices:        l_n = -log( exp(x_{n, y_n}) / sum_c exp(x_{n, c}) ) = logsumexp(x_n) - x_{n, y_n}
    class probabilities:  l_n = -sum_c y_{n, c} log( exp(x_{n, c}) / sum_i exp(x_{n, i}) )
    'mean' averages the l_n over the N examples, 'sum' adds them, 'none' returns them."""
    x = np.asarray(logits, dtype=np.longdouble)
    m = np.max(x, axis=-1, keepdims=True)
    log_q = x - (m + np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True)))
    target = np.asarray(target)
    if target.shape == x.shape:
        t = target.astype(np.longdouble)
        losses = -np.sum(np.where(t > 0, t * log_q, 0), axis=-1)
    else:
        losses = -np.take_along_axis(log_q, target[..., None], axis=-1)[..., 0]
    losses = losses.astype(float)
    return {"none": losses, "sum": losses.sum(), "mean": losses.mean()}[reduction]


# ---------------------------------------------------------------- log_softmax


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_log_softmax_matches_scipy(solution, axis):
    f = solution["log_softmax"]
    for scale in (0.1, 3.0, 300.0):
        z = rng.normal(0, scale, size=(6, 7, 8))
        np.testing.assert_allclose(f(z, axis=axis), special.log_softmax(z, axis=axis), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(special.logsumexp(f(z, axis=axis), axis=axis), 0.0, atol=1e-12)


def test_log_softmax_is_exact_and_quiet_at_extremes(solution):
    f = solution["log_softmax"]
    z = np.array([[1000.0, 0.0], [-1000.0, 1000.0], [-1000.0, -1000.0], [1e300, 0.0], [-1e4, 1e4]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        got = f(z)
    np.testing.assert_allclose(got, special.log_softmax(z, axis=-1), rtol=1e-15)
    np.testing.assert_array_equal(got[:3], [[0.0, -1000.0], [-2000.0, 0.0], [-np.log(2), -np.log(2)]])
    np.testing.assert_allclose(f([3.0, -np.inf, 1.0]), special.log_softmax([3.0, -np.inf, 1.0]), rtol=1e-15)
    z32 = rng.normal(0, 5, size=(10, 4)).astype(np.float32)
    np.testing.assert_allclose(f(z32), special.log_softmax(z32.astype(float), axis=-1), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(f([[1, 2, 3]]), special.log_softmax([[1.0, 2.0, 3.0]], axis=-1), rtol=1e-15)


# ---------------------------------------------------------------- one_hot


def test_one_hot_matches_sklearn(solution):
    f = solution["one_hot"]
    for k in (2, 3, 10):
        labels = rng.integers(0, k, size=40)
        # label_binarize returns a single column for two classes (a trap): OneHotEncoder covers every k
        encoder = OneHotEncoder(categories=[np.arange(k)], sparse_output=False)
        np.testing.assert_array_equal(f(labels, k), encoder.fit_transform(labels[:, None]))
        if k > 2:
            np.testing.assert_array_equal(f(labels, k), label_binarize(labels, classes=np.arange(k)))
    grid = rng.integers(0, 4, size=(2, 3, 5))
    assert f(grid, 4).shape == (2, 3, 5, 4)
    np.testing.assert_array_equal(f(grid, 4).argmax(axis=-1), grid)
    np.testing.assert_array_equal(f(3, 5), [0, 0, 0, 1, 0])
    assert f(np.array([], dtype=int), 3).shape == (0, 3)


@pytest.mark.parametrize(("labels", "num_classes", "name"), [
    ([0, -1], 3, "labels"), ([3], 3, "labels"), ([0.5], 3, "labels"),
    ([0], 0, "num_classes"), ([0], 2.5, "num_classes"), ([0], -2, "num_classes"),
])
def test_one_hot_rejects_invalid_input(solution, labels, num_classes, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        solution["one_hot"](np.asarray(labels), num_classes)


# ---------------------------------------------------------------- cross_entropy


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_with_indices_is_pytorchs_formula(solution, reduction):
    f = solution["cross_entropy"]
    for n, k, scale in ((1, 2, 1.0), (50, 7, 3.0), (200, 10, 30.0), (7, 7, 2.0)):
        z = rng.normal(0, scale, size=(n, k))
        y = rng.integers(0, k, size=n)
        expected = special.logsumexp(z, axis=-1) - z[np.arange(n), y]
        expected = {"none": expected, "sum": expected.sum(), "mean": expected.mean()}[reduction]
        # logsumexp(z) - z_y cancels where the loss is tiny (a confident right answer): absolute 1e-13 there
        np.testing.assert_allclose(f(y, z, reduction=reduction), expected, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(f(y, z, reduction=reduction), torch_cross_entropy(z, y, reduction), rtol=1e-12,
                                   atol=1e-13)


def test_cross_entropy_matches_sklearn_log_loss(solution):
    f = solution["cross_entropy"]
    # moderate logits: log_loss works on probabilities and clips them at the float64 eps
    z = rng.normal(0, 2, size=(300, 6))
    y = rng.integers(0, 6, size=300)
    q = special.softmax(z, axis=-1)
    assert q.min() > 1e-10
    np.testing.assert_allclose(f(y, z), log_loss(y, q, labels=np.arange(6)), rtol=1e-10)
    np.testing.assert_allclose(f(y, z, reduction="sum"), log_loss(y, q, labels=np.arange(6), normalize=False),
                               rtol=1e-10)
    one_hot_rows = np.eye(6)[y]
    np.testing.assert_allclose(f(one_hot_rows, z), log_loss(one_hot_rows, q), rtol=1e-10)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_with_probabilities_is_pytorchs_formula(solution, reduction):
    f = solution["cross_entropy"]
    z = rng.normal(0, 4, size=(40, 5))
    soft = rng.dirichlet(np.ones(5), size=40)
    smoothed = 0.9 * np.eye(5)[rng.integers(0, 5, size=40)] + 0.1 / 5
    for y in (soft, smoothed, np.eye(5)[rng.integers(0, 5, size=40)]):
        expected = -np.sum(y * special.log_softmax(z, axis=-1), axis=-1)
        expected = {"none": expected, "sum": expected.sum(), "mean": expected.mean()}[reduction]
        # tiny losses (a confident right answer) cancel in the subtraction: absolute 1e-13 there
        np.testing.assert_allclose(f(y, z, reduction=reduction), expected, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(f(y, z, reduction=reduction), torch_cross_entropy(z, y, reduction), rtol=1e-12,
                                   atol=1e-13)
    # H(y, q) = H(y) + KL(y || q) row by row: scipy.stats.entropy renormalises and works along axis 0
    q = special.softmax(z, axis=-1)
    rows = stats.entropy(soft.T) + stats.entropy(soft.T, q.T)
    np.testing.assert_allclose(f(soft, z, reduction="none"), rows, rtol=1e-10)


def test_cross_entropy_is_exact_at_huge_logits_off_the_maximum(solution):
    f = solution["cross_entropy"]
    z = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 500.0], [-1000.0, -1000.0, 1000.0], [1e4, 0.0, 0.0]])
    y = np.array([2, 0, 1, 1])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        got = f(y, z, reduction="none")
        soft = f(np.array([[0.0, 0.5, 0.5]]), z[:1], reduction="none")
    np.testing.assert_allclose(got, torch_cross_entropy(z, y, "none"), rtol=1e-15)
    np.testing.assert_array_equal(got[:3], [2000.0, 1000.0, 2000.0])
    np.testing.assert_allclose(soft, [1500.0], rtol=1e-15)
    assert f(1, np.array([1000.0, 0.0])) == 1000.0


def test_cross_entropy_single_example_square_batch_and_zero_weights(solution):
    f = solution["cross_entropy"]
    z = rng.normal(0, 2, size=(4, 4))
    y = np.array([3, 3, 0, 1])
    batch = f(y, z, reduction="none")
    for n in range(4):
        assert f(y[n], z[n]) == pytest.approx(batch[n], rel=1e-14)
        assert f(np.eye(4)[y[n]], z[n]) == pytest.approx(batch[n], rel=1e-14)
    np.testing.assert_allclose(batch, special.logsumexp(z, axis=-1) - z[np.arange(4), y], rtol=1e-12)
    # 0 log 0 = 0: a masked logit (-inf) with zero label weight contributes nothing
    masked = np.array([[3.0, -np.inf, 1.0]])
    expected = -special.log_softmax(masked[0])[0]
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert f(np.array([[1.0, 0.0, 0.0]]), masked) == pytest.approx(expected, rel=1e-14)
        assert f(np.array([0]), masked) == pytest.approx(expected, rel=1e-14)
    assert f(np.array([1]), masked) == np.inf


@pytest.mark.parametrize(("y_true", "logits", "kwargs", "name"), [
    (np.array([0, 1]), np.zeros((2, 3)), {"reduction": "average"}, "reduction"),
    (np.array([0, 1]), np.zeros((2, 3)), {"reduction": None}, "reduction"),
    (np.array([[0], [1]]), np.zeros((2, 3)), {}, "y_true"),
    (np.array([0, 1, 2]), np.zeros((2, 3)), {}, "y_true"),
    (np.array([0, 3]), np.zeros((2, 3)), {}, "y_true"),
    (np.array([0, -1]), np.zeros((2, 3)), {}, "y_true"),
    (np.array([0.0, 1.5]), np.zeros((2, 3)), {}, "y_true"),
    (np.array([[0.5, 0.2, 0.1]]), np.zeros((1, 3)), {}, "y_true"),
    (np.array([[1.5, -0.5, 0.0]]), np.zeros((1, 3)), {}, "y_true"),
])
def test_cross_entropy_rejects_invalid_input(solution, y_true, logits, kwargs, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        solution["cross_entropy"](y_true, logits, **kwargs)
    if name == "y_true":
        with pytest.raises(ValueError, match=r"\by_true\b"):
            solution["cross_entropy_grad"](y_true, logits)


# ---------------------------------------------------------------- cross_entropy_grad


def finite_differences(loss, z, step=1e-6):
    """Central differences (loss(z + h e_i) - loss(z - h e_i)) / 2h for every entry i of z."""
    grad = np.zeros_like(z)
    for index in np.ndindex(*z.shape):
        bump = np.zeros_like(z)
        bump[index] = step
        grad[index] = (loss(z + bump) - loss(z - bump)) / (2 * step)
    return grad


def mean_loss_scipy(y):
    y = np.asarray(y)

    def loss(z):
        log_q = special.log_softmax(z, axis=-1)
        if y.shape == z.shape:
            return -np.sum(y * log_q) / (z.size // z.shape[-1])
        return -np.mean(np.take_along_axis(log_q, y[..., None], axis=-1))

    return loss


@pytest.mark.parametrize(("n", "k"), [(1, 2), (5, 3), (8, 8), (12, 6)])
def test_cross_entropy_grad_matches_finite_differences(solution, n, k):
    grad, loss = solution["cross_entropy_grad"], solution["cross_entropy"]
    z = rng.normal(0, 2, size=(n, k))
    y = rng.integers(0, k, size=n)
    soft = rng.dirichlet(np.ones(k), size=n)
    for labels in (y, soft):
        numeric = finite_differences(mean_loss_scipy(labels), z)
        np.testing.assert_allclose(grad(labels, z), numeric, atol=1e-8)
        np.testing.assert_allclose(grad(labels, z), finite_differences(lambda v, t=labels: loss(t, v), z), atol=1e-8)
        np.testing.assert_allclose(grad(labels, z), (special.softmax(z, axis=-1) - (labels if labels.ndim == 2 else
                                                                                    np.eye(k)[labels])) / n,
                                   rtol=1e-12, atol=1e-17)


def test_cross_entropy_grad_single_example_and_extremes(solution):
    grad = solution["cross_entropy_grad"]
    z = rng.normal(0, 2, size=5)
    np.testing.assert_allclose(grad(2, z), special.softmax(z) - np.eye(5)[2], rtol=1e-12, atol=1e-17)
    np.testing.assert_allclose(grad(2, z), finite_differences(lambda v: special.logsumexp(v) - v[2], z), atol=1e-8)
    huge = np.array([[1000.0, 0.0, -1000.0], [-1000.0, 0.0, 1000.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        got = grad(np.array([2, 0]), huge)
    np.testing.assert_array_equal(got, np.array([[1.0, 0.0, -1.0], [-1.0, 0.0, 1.0]]) / 2)
    bounded = grad(rng.integers(0, 10, size=30), rng.normal(0, 500, size=(30, 10))) * 30
    assert np.all(np.abs(bounded) <= 1.0) and np.allclose(bounded.sum(axis=-1), 0.0, atol=1e-12)


# ---------------------------------------------------------------- what the lab says and prints


def test_numbers_stated_in_the_markdown():
    text = markdown_text(read_notebook(notebook_path(LAB)))
    claims = {
        "23.03": f"{-np.log(1e-10):.2f}",  # what adding eps = 1e-10 reports where the loss is 1000
        "2.303": f"{np.log(10):.3f}",  # equal logits over ten classes
        "6.9": f"{np.log(1000):.1f}",  # equal logits over 1,000 classes (check your understanding)
        r"4.9 \times 10^{-324}": r"4.9 \times 10^{-324}" if f"{np.nextafter(0, 1):.1e}" == "4.9e-324" else "?",
    }
    for stated, reference in claims.items():
        assert stated == reference, f"the lab states {stated}, scipy gives {reference}"
        assert stated in text, f"{stated} is no longer in the lab: update this test"
    # "even a stable softmax returns exactly 0.0" for class 1 at logits [1000, 0]; the exact answer is -1000
    assert special.softmax([1000.0, 0.0])[1] == 0.0 and np.exp(-1000.0) == 0.0
    assert special.log_softmax([1000.0, 0.0])[1] == -1000.0
    assert torch_cross_entropy(np.array([[1000.0, 0.0]]), np.array([1])) == 1000.0
    # "the sum lies between 1 and K" once the maximum is subtracted
    z = rng.normal(0, 50, size=(100, 6))
    sums = np.exp(z - z.max(axis=-1, keepdims=True)).sum(axis=-1)
    assert np.all((sums >= 1.0) & (sums <= 6.0))
    # temperature keeps the argmax; T -> 0 is the argmax, T -> infinity the uniform distribution
    logits = np.array([2.5, 1.2, 0.5, -0.3, -1.0])
    assert all(np.argmax(special.softmax(logits / t)) == 0 for t in (0.01, 0.25, 1.0, 4.0, 100.0))
    np.testing.assert_allclose(special.softmax(logits / 1e-3), np.eye(5)[0], atol=1e-12)
    np.testing.assert_allclose(special.softmax(logits / 1e6), 0.2, atol=1e-6)
    for t in ("`np.exp(1000.0)` is `inf`", "`log_softmax(np.array([1000.0, 0.0]))` is `[0.0, -1000.0]`"):
        assert t in text


def test_numbers_printed_by_the_demos(executed):
    softmax_line, log_line, yours_line = stdout_of(executed, "demo-log-of-softmax").splitlines()
    assert numbers_in(softmax_line) == [1.0, 0.0]
    assert "-inf" in log_line
    assert numbers_in(yours_line) == [0.0, -1000.0]

    smoothed = numbers_in(stdout_of(executed, "demo-one-hot").split("smoothed:")[1])
    np.testing.assert_allclose(smoothed[:15], (0.9 * np.eye(5)[[1, 0, 4]] + 0.02).ravel(), atol=1e-12)
    np.testing.assert_allclose(smoothed[15:], 1.0)

    yours, naive, eps, bits = stdout_of(executed, "demo-mistakes").strip().splitlines()
    assert numbers_in(yours)[0] == pytest.approx(1000.0, abs=5e-5)
    assert numbers_in(naive)[-1] == np.inf
    assert numbers_in(eps)[-1] == pytest.approx(-np.log(1e-10), abs=5e-5)
    assert numbers_in(bits)[-1] == pytest.approx(1000.0 / np.log(2.0), abs=5e-5)

    equal, hard, smooth, wrong = stdout_of(executed, "demo-losses").strip().splitlines()
    k_classes, loss, k_again, log_k = numbers_in(equal)
    assert k_classes == k_again == 10
    assert loss == pytest.approx(np.log(10), abs=5e-5) and log_k == pytest.approx(np.log(10), abs=5e-5)
    confident = np.array([8.0, 0.0, 0.0, 0.0, 0.0])
    smoothed_cat = 0.9 * np.eye(5)[0] + 0.02
    assert numbers_in(hard)[-1] == pytest.approx(special.logsumexp(confident) - 8.0, abs=5e-5)
    assert numbers_in(smooth)[-1] == pytest.approx(-smoothed_cat @ special.log_softmax(confident), abs=5e-5)
    assert numbers_in(wrong)[-1] == pytest.approx(special.logsumexp(confident), abs=5e-5)

    # "at z = [-10, 0, 0], true class 0: q_0 = ..., -1/q_0 = ..., dL/dz_0 = ...": the numbers after each "= "
    parts = stdout_of(executed, "demo-gradient").strip().split("= ")
    assert numbers_in(parts[1])[:3] == [-10.0, 0.0, 0.0]
    q0, minus_inverse, gradient = (numbers_in(part)[0] for part in parts[2:])
    q_ref = special.softmax([-10.0, 0.0, 0.0])[0]
    assert q0 == pytest.approx(q_ref, rel=5e-5)
    assert minus_inverse == pytest.approx(-1 / q_ref, abs=0.05)
    assert gradient == pytest.approx(q_ref - 1, abs=5e-6)

    lines = stdout_of(executed, "demo-temperature").strip().splitlines()
    logits = np.array([2.5, 1.2, 0.5, -0.3, -1.0])
    sampler = np.random.default_rng(0)
    for line, temperature in zip(lines[:3], (0.25, 1.0, 4.0), strict=True):
        printed = numbers_in(line)
        q = special.softmax(logits / temperature)
        frequencies = np.bincount(sampler.choice(5, size=2000, p=q), minlength=5) / 2000
        assert printed[0] == temperature
        np.testing.assert_allclose(printed[1:6], q, atol=5e-5)
        np.testing.assert_allclose(printed[6:11], frequencies, atol=5e-5)
        assert printed[11] == pytest.approx(stats.entropy(q), abs=5e-5)
    entropies = [numbers_in(line)[11] for line in lines[:3]]
    assert entropies == sorted(entropies), "the entropy rises with T, as the lab says"
    assert numbers_in(lines[3])[-1] == pytest.approx(np.log(5), abs=5e-5)


# ---------------------------------------------------------------- the worked example, far-apart logits, temperature


def test_worked_example_by_hand():
    """Part C's worked example: logits (2.0, 1.0, 0.1), true class 0, every number the markdown states."""
    text = markdown_text(read_notebook(notebook_path(LAB)))
    z = np.array([2.0, 1.0, 0.1])
    exps, total = np.exp(z), np.exp(z).sum()
    q = special.softmax(z)
    stated = {
        "e^{2.0} = 7.389": f"{exps[0]:.3f}", "e^{1.0} = 2.718": f"{exps[1]:.3f}", "e^{0.1} = 1.105": f"{exps[2]:.3f}",
        "sum is $11.213": f"{total:.3f}", "= (0.659, 0.242, 0.099)": ", ".join(f"{v:.3f}" for v in q),
        r"-\log 0.659 = 0.417": f"{-np.log(q[0]):.3f}", r"\log 11.213 - 2.0": f"{total:.3f}",
        "= 2.417 - 2.0 = 0.417": f"{np.log(total):.3f} - 2.0 = {special.logsumexp(z) - z[0]:.3f}",
        "2.417 - 0.1 = 2.317": f"{np.log(total):.3f} - 0.1 = {special.logsumexp(z) - z[2]:.3f}",
        "`cross_entropy(0, [2.0, 1.0, 0.1])` is 0.417": f"{special.logsumexp(z) - z[0]:.3f}",
    }
    for claim, value in stated.items():
        assert claim in text, f"{claim!r} is no longer in the lab: update this test"
        assert value in claim, f"the lab states {claim!r}, scipy gives {value}"
    assert f"{-np.log(0.659):.3f}" == "0.417"  # by hand, with the rounded q_0
    assert -special.log_softmax(z)[0] == pytest.approx(special.logsumexp(z) - z[0], rel=1e-15)


def test_worked_example_printed(executed):
    lines = stdout_of(executed, "demo-worked-example").strip().splitlines()
    z = np.array([2.0, 1.0, 0.1])
    np.testing.assert_allclose(numbers_in(lines[0]), np.round(special.softmax(z), 3))
    assert numbers_in(lines[1])[-1] == pytest.approx(0.417, abs=5e-4)
    assert numbers_in(lines[2])[-1] == pytest.approx(special.logsumexp(z) - z[0], abs=5e-5)
    assert numbers_in(lines[3])[-1] == pytest.approx(special.logsumexp(z) - z[2], abs=5e-5)


def test_far_apart_logits_cost_the_gap(solution):
    """'every term but the largest's is below e^-40 = 4e-18, so (for a handful of classes) the log adds less than
    1e-16, too little to change a gap of 1 or more ... for the class with the largest logit it is below 1e-16'."""
    text = markdown_text(read_notebook(notebook_path(LAB)))
    assert r"e^{-40} \approx 4 \times 10^{-18}" in text and f"{np.exp(-40):.0e}" == "4e-18"
    assert "for the class with the largest logit it is below $10^{-16}$" in text
    for k in range(2, 11):
        z = np.concatenate([[0.0], np.full(k - 1, -40.0)])
        assert 0 < special.logsumexp(z) < 1e-16  # the loss of the class with the largest logit
        for gap in (40.0, 123.5, 1000.0):  # every other logit, the true class too, 40 or more below the largest
            shifted = np.concatenate([[gap], np.full(k - 1, gap - 40.0), [0.0]])  # true class: the last, logit 0
            assert special.logsumexp(shifted) - shifted[-1] == gap
    f = solution["cross_entropy"]
    # the values the visible checks use
    far = np.array([[-500.0, 500.0, 0.0, 1.0], [800.0, -800.0, 0.0, 2.0]])
    assert list(special.logsumexp(far, axis=-1)) == [500.0, 800.0]
    np.testing.assert_array_equal(f(np.array([0, 2]), far, reduction="none"), [1000.0, 800.0])
    assert f(np.array([[0.5, 0.5, 0.0, 0.0]]), far[:1], reduction="none")[0] == 500.0
    assert f(1, np.array([1000.0, 0.0])) == 1000.0 and f(0, np.array([1000.0, 0.0])) == 0.0


def test_training_at_temperature_against_autograd(torch, solution, executed):
    """The gradient of cross_entropy(y, z / T) with respect to z is (softmax(z / T) - 1_y) / T, bounded by 1 / T;
    the demo prints it for a confidently wrong example."""
    F = torch.nn.functional
    grad, loss = solution["cross_entropy_grad"], solution["cross_entropy"]
    z = np.array([2.0, 1.0, -1.0])
    lines = stdout_of(executed, "demo-temperature-gradient").strip().splitlines()
    assert len(lines) == 3
    for line, temperature in zip(lines, (0.1, 1.0, 10.0), strict=True):
        logits = torch.tensor(z, dtype=torch.float64, requires_grad=True)
        torch_loss = F.cross_entropy(logits / temperature, torch.tensor(2))
        torch_loss.backward()
        expected = logits.grad.numpy()
        np.testing.assert_allclose(grad(2, z / temperature) / temperature, expected, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose((special.softmax(z / temperature) - np.eye(3)[2]) / temperature, expected,
                                   rtol=1e-12, atol=1e-15)
        assert np.abs(expected).max() <= 1 / temperature
        printed = numbers_in(line)
        assert printed[0] == temperature
        assert printed[1] == pytest.approx(torch_loss.item(), abs=5e-5)
        assert printed[1] == pytest.approx(loss(2, z / temperature), abs=5e-5)
        np.testing.assert_allclose(printed[2:5], expected, atol=5e-5)
        assert printed[5] == pytest.approx(np.abs(expected).max(), abs=5e-5)
        assert printed[-1] == pytest.approx(1 / temperature)  # "(bound 1/T = ...)"
    # "10 at T = 0.1": the confidently wrong example nearly reaches the bound
    assert numbers_in(lines[0])[5] == pytest.approx(10.0, abs=1e-3)
    # autograd at a random batch and temperature: the chain rule holds for the mean too
    zb = rng.normal(0, 3, size=(6, 5))
    yb = rng.integers(0, 5, size=6)
    for temperature in (0.07, 0.5, 4.0):
        logits = torch.tensor(zb, requires_grad=True)
        F.cross_entropy(logits / temperature, torch.tensor(yb)).backward()
        np.testing.assert_allclose(grad(yb, zb / temperature) / temperature, logits.grad.numpy(), rtol=1e-10,
                                   atol=1e-15)
        assert np.abs(logits.grad.numpy()).max() * 6 <= 1 / temperature


# ---------------------------------------------------------------- what the lab says about PyTorch (against PyTorch)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_pytorch_cross_entropy_with_int64_indices(torch, solution, reduction):
    """F.cross_entropy(input=logits, target=int64 indices) == cross_entropy(labels, logits), the lab's snippet."""
    F = torch.nn.functional
    f = solution["cross_entropy"]
    for n, k, scale in ((1, 2, 1.0), (50, 7, 3.0), (7, 7, 2.0), (4, 3, 500.0)):
        logits = rng.normal(0, scale, size=(n, k))
        labels = rng.integers(0, k, size=n)
        ours = f(labels, logits, reduction=reduction)
        theirs = F.cross_entropy(torch.as_tensor(logits), torch.as_tensor(labels, dtype=torch.int64),
                                 reduction=reduction).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-13)
    logits, labels = rng.normal(size=(5, 4)), rng.integers(0, 4, size=5)
    default = F.cross_entropy(torch.as_tensor(logits), torch.as_tensor(labels))  # reduction='mean' by default
    assert default.item() == pytest.approx(f(labels, logits), rel=1e-12)
    assert default.item() == pytest.approx(f(labels, logits, reduction="none").mean(), rel=1e-12)


def test_pytorch_cross_entropy_with_probabilities_and_label_smoothing(torch, solution):
    """Probabilities of the logits' shape (one-hot or soft labels) give -sum_k y_k log softmax(z)_k; label_smoothing=ε
    trains against (1 - ε) 1_y + ε / K."""
    F = torch.nn.functional
    f = solution["cross_entropy"]
    logits = rng.normal(0, 3, size=(30, 5))
    labels = rng.integers(0, 5, size=30)
    for target in (rng.dirichlet(np.ones(5), size=30), np.eye(5)[labels]):
        for reduction in REDUCTIONS:
            theirs = F.cross_entropy(torch.as_tensor(logits), torch.as_tensor(target), reduction=reduction).numpy()
            np.testing.assert_allclose(f(target, logits, reduction=reduction), theirs, rtol=1e-12, atol=1e-13)
    for epsilon in (0.1, 0.3):
        smoothed = (1 - epsilon) * np.eye(5)[labels] + epsilon / 5
        theirs = F.cross_entropy(torch.as_tensor(logits), torch.as_tensor(labels), label_smoothing=epsilon)
        assert theirs.item() == pytest.approx(f(smoothed, logits), rel=1e-12)


def test_pytorch_argument_order_and_index_dtype(torch):
    """The course's order (labels first) raises in PyTorch; int32 indices raise; int64 indices work."""
    F = torch.nn.functional
    logits = torch.tensor([[2.0, 0.5, -1.0], [0.0, 3.0, 1.0]])
    labels = torch.tensor([0, 1])
    assert labels.dtype == torch.int64
    F.cross_entropy(logits, labels)
    with pytest.raises((RuntimeError, NotImplementedError)):
        F.cross_entropy(labels, logits)
    with pytest.raises(RuntimeError, match="Long"):
        F.cross_entropy(logits, labels.to(torch.int32))


def test_pytorch_differences_from_the_course(torch, solution):
    """PyTorch does not check that probabilities sum to 1 (the course raises), and gives nan where a probability 0
    meets a logit -inf (the course counts 0 log 0 = 0)."""
    F = torch.nn.functional
    f = solution["cross_entropy"]
    unnormalised = np.array([[0.5, 0.2, 0.1]])
    theirs = F.cross_entropy(torch.zeros(1, 3, dtype=torch.float64), torch.as_tensor(unnormalised))
    assert np.isfinite(theirs.item()) and theirs.item() == pytest.approx(0.8 * np.log(3.0), rel=1e-12)
    with pytest.raises(ValueError, match=r"\by_true\b"):
        f(unnormalised, np.zeros((1, 3)))
    masked = np.array([[3.0, -np.inf, 1.0]])
    one_hot_row = np.array([[1.0, 0.0, 0.0]])
    assert np.isnan(F.cross_entropy(torch.as_tensor(masked), torch.as_tensor(one_hot_row)).item())
    assert f(one_hot_row, masked) == pytest.approx(-special.log_softmax([3.0, -np.inf, 1.0])[0], rel=1e-14)
    # with an index target PyTorch is finite too
    assert F.cross_entropy(torch.as_tensor(masked), torch.tensor([0])).item() == pytest.approx(f(0, masked[0]))


def test_pytorch_puts_the_classes_on_axis_1(torch, solution):
    F = torch.nn.functional
    f = solution["cross_entropy"]
    logits = rng.normal(0, 2, size=(4, 5, 6))  # (N, K, d)
    labels = rng.integers(0, 5, size=(4, 6))
    theirs = F.cross_entropy(torch.as_tensor(logits), torch.as_tensor(labels), reduction="none").numpy()
    ours = f(labels, np.moveaxis(logits, 1, -1), reduction="none")
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-13)


def test_pytorch_given_probabilities_as_input(torch):
    """Check your understanding 2: F.cross_entropy(softmax(z), y) raises nothing, and its loss cannot fall below
    log(1 + (K - 1)/e), 1.46 nats for K = 10, reached by a perfect, confident prediction."""
    F = torch.nn.functional
    bound = np.log(1 + 9 / np.e)
    assert f"{bound:.2f}" == "1.46"
    z = torch.as_tensor(rng.normal(0, 10, size=(200, 10)))
    labels = torch.as_tensor(rng.integers(0, 10, size=200))
    losses = F.cross_entropy(torch.softmax(z, dim=-1), labels, reduction="none").numpy()
    assert np.all(losses >= bound - 1e-12)
    perfect = torch.zeros(1, 10, dtype=torch.float64)
    perfect[0, 3] = 1.0  # softmax of a confident, right prediction
    assert F.cross_entropy(perfect, torch.tensor([3])).item() == pytest.approx(bound, rel=1e-12)
    assert "1.46 nats for $K = 10$" in markdown_text(read_notebook(notebook_path(LAB)))


def test_gradient_matches_autograd(torch, solution):
    F = torch.nn.functional
    grad = solution["cross_entropy_grad"]
    z = rng.normal(0, 3, size=(8, 5))
    for target in (rng.integers(0, 5, size=8), rng.dirichlet(np.ones(5), size=8)):
        logits = torch.tensor(z, requires_grad=True)
        F.cross_entropy(logits, torch.as_tensor(target)).backward()
        np.testing.assert_allclose(grad(target, z), logits.grad.numpy(), rtol=1e-10, atol=1e-15)


# ---------------------------------------------------------------- check your understanding: the answers' numbers


def test_answers_to_check_your_understanding(solution):
    nb = read_notebook(notebook_path(LAB))
    (cell,) = [c for c in nb.cells if c.get("id") == "cell-understanding"]
    text = cell.source
    assert text.count("<details><summary>Answer</summary>") == 5 and text.count("</details>") == 5
    # 1. log 1000
    assert r"$\log 1000 = 6.908$" in text and f"{np.log(1000):.3f}" == "6.908"
    # 3. labels [2, 0, 1] times log q of shape (3, 3) broadcast along the last axis
    z = rng.normal(size=(3, 3))
    log_q = special.log_softmax(z, axis=-1)
    labels = np.array([2, 0, 1])
    broadcast = -np.sum(labels * log_q, axis=-1)
    np.testing.assert_allclose(broadcast, -(2 * log_q[:, 0] + log_q[:, 2]))
    assert not np.allclose(broadcast, solution["cross_entropy"](labels, z, reduction="none"))
    # 4. label smoothing, eps = 0.1, K = 5: the best loss is the entropy of the smoothed label, at q = y
    smoothed = 0.9 * np.eye(5)[0] + 0.1 / 5
    assert smoothed[0] == pytest.approx(0.92) and smoothed[1] == pytest.approx(0.02)
    entropy = stats.entropy(smoothed)
    assert f"{entropy:.3f}" == "0.390" and "= 0.390$ nats" in text
    assert solution["cross_entropy"](smoothed, np.log(smoothed)) == pytest.approx(entropy, rel=1e-12)
    for _ in range(20):  # no logits do better
        assert solution["cross_entropy"](smoothed, rng.normal(0, 3, size=5)) > entropy
    # 5. at T = 0.01 the gradient bound 1/T is 100; right examples get almost nothing, wrong ones nearly 1/T
    z = np.array([2.0, 1.0, -1.0])
    right = solution["cross_entropy_grad"](0, z / 0.01) / 0.01
    wrong = solution["cross_entropy_grad"](2, z / 0.01) / 0.01
    assert np.abs(right).max() < 1e-30 and np.abs(wrong).max() == pytest.approx(100.0, rel=1e-12)
    assert "$1/T = 100$" in text
