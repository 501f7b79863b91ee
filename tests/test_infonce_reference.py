"""Lab 9 (09_infonce) against independent references: the solution's functions against scipy and scikit-learn on
many inputs, every statement the lab makes about PyTorch against PyTorch (the ``torch`` fixture), the gradients it
states against PyTorch's autograd, and every number the lab states or prints against scipy."""

import numpy as np
import pytest
from course import markdown_text, notebook_path, numbers_in, read_notebook, stdout_of
from scipy import special, stats
from scipy.spatial import distance
from sklearn.metrics.pairwise import cosine_similarity as sklearn_cosine

LAB = "09_infonce"
rng = np.random.default_rng(20261209)
PRINTED = 5e-5  # numbers printed with 4 decimals


def reference_cosines(a, b):
    """cos(a_i, b_j) for rows a_i, b_j, from scipy's cosine distance."""
    return 1 - distance.cdist(np.atleast_2d(a), np.atleast_2d(b), "cosine")


def reference_info_nce(query, positive, negatives, tau):
    """The mean over the queries of logsumexp(z_n) - z_{n,0}, the cosines from scipy."""
    losses = []
    for q, p, n in zip(query, positive, negatives, strict=True):
        z = reference_cosines(q, np.vstack([p, n]))[0] / tau
        losses.append(special.logsumexp(z) - z[0])
    return float(np.mean(losses))


def reference_in_batch(z1, z2, tau):
    s = reference_cosines(z1, z2) / tau
    return float(np.mean(special.logsumexp(s, axis=1) - np.diag(s)))


def as_tensor(torch, values):
    return torch.tensor(np.asarray(values, dtype=float), dtype=torch.float64)


# ---------------------------------------------------------------- cosine_similarity


def test_cosine_similarity_matches_scipy_and_sklearn(solution):
    f = solution["cosine_similarity"]
    for n, m, d, scale in ((1, 1, 2, 1.0), (7, 5, 3, 1e-3), (20, 30, 64, 1e3)):
        a, b = rng.normal(0, scale, size=(n, d)), rng.normal(0, scale, size=(m, d))
        table = f(a[:, None, :], b[None, :, :])
        assert table.shape == (n, m)
        np.testing.assert_allclose(table, reference_cosines(a, b), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(table, sklearn_cosine(a, b), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(f(a[0], b), sklearn_cosine(a[:1], b)[0], rtol=1e-10, atol=1e-12)
    rows_a, rows_b = rng.normal(size=(2, 4, 3, 6))
    np.testing.assert_allclose(f(rows_a, rows_b), np.diag(reference_cosines(rows_a.reshape(12, 6),
                                                                           rows_b.reshape(12, 6))).reshape(4, 3),
                               rtol=1e-10, atol=1e-12)
    assert np.ndim(f([1.0, 0.0], [1.0, 1.0])) == 0
    assert f([1, 0], [1, 1]) == pytest.approx(1 / np.sqrt(2), rel=1e-15)  # the 45° of Part A: 0.7071
    a32 = rng.normal(size=(5, 4)).astype(np.float32)
    np.testing.assert_allclose(f(a32, a32[::-1]), np.diag(reference_cosines(a32, a32[::-1])), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(("a", "b", "name"), [
    (np.zeros(3), np.ones(3), "a"), (np.ones(3), np.zeros(3), "b"),
    (np.array([[1.0, 1.0], [0.0, 0.0]]), np.ones(2), "a"), (np.ones((2, 3)), np.ones((2, 1)), "a"),
    (np.ones(3), np.ones(2), "b"),
])
def test_cosine_similarity_refuses_zero_vectors_and_mismatched_lengths(solution, a, b, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        solution["cosine_similarity"](a, b)


def test_pytorch_cosine_similarity_clamps_with_eps_and_broadcasts(solution, torch):
    """Part A: F.cosine_similarity(x1, x2, dim=1, eps=1e-8) divides by max(‖x1‖, eps) max(‖x2‖, eps): 0 for a zero
    vector, 0.1 for (1e-9, 0) against (1, 0) where the cosine is 1; its default dim is 1; it broadcasts, so that
    (N, 1, D) against (1, M, D) with dim=-1 gives the (N, M) table; elsewhere it agrees with this lab's function."""
    F = torch.nn.functional
    f = solution["cosine_similarity"]
    assert F.cosine_similarity(as_tensor(torch, [0.0, 0.0]), as_tensor(torch, [1.0, 2.0]), dim=0).item() == 0.0
    tiny = F.cosine_similarity(as_tensor(torch, [1e-9, 0.0]), as_tensor(torch, [1.0, 0.0]), dim=0).item()
    assert tiny == pytest.approx(0.1, rel=1e-12)
    assert f([1e-9, 0.0], [1.0, 0.0]) == pytest.approx(1.0, rel=1e-15)  # Question 6: the true cosine
    with pytest.raises(ValueError):
        f([0.0, 0.0], [1.0, 2.0])
    text = F.cosine_similarity.__doc__  # a builtin: its signature is in the docstring
    assert "dim=1, eps=1e-8" in text and "broadcastable" in text
    a, b = rng.normal(size=(6, 5)), rng.normal(size=(4, 5))
    table = F.cosine_similarity(as_tensor(torch, a)[:, None, :], as_tensor(torch, b)[None, :, :], dim=-1)
    assert tuple(table.shape) == (6, 4)
    np.testing.assert_allclose(table.numpy(), f(a[:, None, :], b[None, :, :]), rtol=1e-12, atol=1e-14)
    rows = F.cosine_similarity(as_tensor(torch, a), as_tensor(torch, a[::-1].copy()))  # the default dim=1
    np.testing.assert_allclose(rows.numpy(), f(a, a[::-1]), rtol=1e-12, atol=1e-14)
    batch = rng.normal(size=(3, 4, 5))
    default = F.cosine_similarity(as_tensor(torch, batch), as_tensor(torch, batch[::-1].copy()))  # dim=1: not D
    assert tuple(default.shape) == (3, 5)
    np.testing.assert_allclose(F.cosine_similarity(as_tensor(torch, batch), as_tensor(torch, batch[::-1].copy()),
                                                   dim=-1).numpy(), f(batch, batch[::-1]), rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------- info_nce


def test_info_nce_matches_scipy(solution):
    f = solution["info_nce"]
    for n, k, d, tau in ((1, 1, 2, 1.0), (5, 7, 3, 0.5), (16, 31, 32, 0.07), (3, 2, 4, 5.0)):
        query, positive = rng.normal(size=(2, n, d))
        negatives = rng.normal(size=(n, k, d))
        assert f(query, positive, negatives, tau) == pytest.approx(reference_info_nce(query, positive, negatives,
                                                                                      tau), rel=1e-10, abs=1e-12)
        scaled = f(3 * query, 0.1 * positive, 20 * negatives, tau)
        assert scaled == pytest.approx(f(query, positive, negatives, tau), rel=1e-10, abs=1e-12)
    q32 = rng.normal(size=(4, 3)).astype(np.float32)
    n32 = rng.normal(size=(4, 6, 3)).astype(np.float32)
    assert f(q32, q32[::-1], n32, 0.2) == pytest.approx(reference_info_nce(q32, q32[::-1], n32, 0.2), rel=1e-5)


def test_info_nce_is_pytorchs_cross_entropy_with_the_positive_as_class_0(solution, torch):
    """Part B: InfoNCE is F.cross_entropy of the logits (s_0, s_1, ..., s_K) / τ with target 0."""
    F = torch.nn.functional
    f = solution["info_nce"]
    for n, k, tau in ((1, 2, 1.0), (8, 15, 0.1), (4, 3, 0.01)):
        query, positive = rng.normal(size=(2, n, 6))
        negatives = rng.normal(size=(n, k, 6))
        q, p, negs = as_tensor(torch, query), as_tensor(torch, positive), as_tensor(torch, negatives)
        logits = torch.cat([F.cosine_similarity(q, p, dim=-1)[:, None], F.cosine_similarity(q[:, None, :], negs,
                                                                                             dim=-1)], dim=1) / tau
        expected = F.cross_entropy(logits, torch.zeros(n, dtype=torch.int64)).item()
        assert f(query, positive, negatives, tau) == pytest.approx(expected, rel=1e-10, abs=1e-12)


def test_info_nce_is_exact_at_small_temperatures(solution):
    """Part B: a positive at -1 and K negatives at +1 cost 2/τ + log(K + e^(-2/τ)): 200 + log K and 2000 + log K;
    the reverse costs log(1 + K e^(-2/τ)), 0 to double precision; no warning."""
    f = solution["info_nce"]
    query = np.array([[1.0, 0.0]])
    for tau, k in ((0.01, 1), (0.01, 3), (0.001, 3), (0.001, 50)):
        toward = np.tile([1.0, 0.0], (1, k, 1))
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            far = f(query, -query, toward, tau)
            near = f(query, query, -toward, tau)
        assert far == pytest.approx(2 / tau + np.log(k), rel=1e-15)
        assert near == pytest.approx(np.log1p(k * np.exp(-2 / tau)), abs=1e-15)  # 0 to double precision


def test_temperature_gradient_is_p_minus_onehot_over_tau(torch):
    """Part B: ∂L/∂s_i = (p_i - [i = 0]) / τ, bounded by 1/τ; Part E: ∂L/∂E_0 = 1 - p_0, ∂L/∂E_i = -p_i."""
    for tau in (1.0, 0.1, 0.01):
        s = torch.tensor(rng.uniform(-1, 1, size=9), dtype=torch.float64, requires_grad=True)
        loss = torch.logsumexp(s / tau, dim=0) - s[0] / tau
        loss.backward()
        p = special.softmax(s.detach().numpy() / tau)
        np.testing.assert_allclose(s.grad.numpy(), (p - np.eye(9)[0]) / tau, rtol=1e-10, atol=1e-12)
        assert np.abs(s.grad.numpy()).max() <= 1 / tau
        energies = (-s.detach() / tau).clone().requires_grad_(True)
        energy_loss = energies[0] + torch.logsumexp(-energies, dim=0)
        assert energy_loss.item() == pytest.approx(loss.item(), rel=1e-12)
        energy_loss.backward()
        np.testing.assert_allclose(energies.grad.numpy(), np.concatenate([[1 - p[0]], -p[1:]]), rtol=1e-10,
                                   atol=1e-12)


# ---------------------------------------------------------------- info_nce_in_batch


def test_in_batch_is_pytorchs_cross_entropy_against_arange(solution, torch):
    """Part C's PyTorch lines: logits = F.cosine_similarity(z1[:, None, :], z2[None, :, :], dim=-1) / tau and
    F.cross_entropy(logits, torch.arange(N)), whose labels are int64."""
    F = torch.nn.functional
    f = solution["info_nce_in_batch"]
    assert torch.arange(5).dtype == torch.int64
    for n, d, tau in ((1, 3, 0.5), (2, 2, 1.0), (8, 16, 0.1), (64, 32, 0.07), (5, 4, 0.01)):
        z1, z2 = rng.normal(size=(2, n, d))
        t1, t2 = as_tensor(torch, z1), as_tensor(torch, z2)
        logits = F.cosine_similarity(t1[:, None, :], t2[None, :, :], dim=-1) / tau
        expected = F.cross_entropy(logits, torch.arange(n)).item()
        assert f(z1, z2, tau) == pytest.approx(expected, rel=1e-10, abs=1e-12)
        assert f(z1, z2, tau) == pytest.approx(reference_in_batch(z1, z2, tau), rel=1e-10, abs=1e-12)
        # the columns are the other direction, and CLIP's loss the average of both
        columns = F.cross_entropy(logits.T, torch.arange(n)).item()
        assert f(z2, z1, tau) == pytest.approx(columns, rel=1e-10, abs=1e-12)
        clip = (F.cross_entropy(logits, torch.arange(n)) + F.cross_entropy(logits.T, torch.arange(n))).item() / 2
        assert (f(z1, z2, tau) + f(z2, z1, tau)) / 2 == pytest.approx(clip, rel=1e-10, abs=1e-12)


def test_in_batch_is_info_nce_with_the_other_pairs_as_negatives(solution):
    for n, d, tau in ((2, 3, 1.0), (6, 5, 0.2)):
        z1, z2 = rng.normal(size=(2, n, d))
        others = ~np.eye(n, dtype=bool)
        negatives = np.broadcast_to(z2, (n, n, d))[others].reshape(n, n - 1, d)
        assert solution["info_nce_in_batch"](z1, z2, tau) == pytest.approx(
            solution["info_nce"](z1, z2, negatives, tau), rel=1e-12)


def test_in_batch_values_stated_in_part_c(solution):
    f = solution["info_nce_in_batch"]
    for n, tau in ((3, 1.0), (5, 0.5), (10, 0.1)):
        eye = np.eye(n)
        assert f(eye, eye, tau) == pytest.approx(np.log1p((n - 1) * np.exp(-1 / tau)), rel=1e-12)
        same = np.tile(rng.normal(size=4), (n, 1))
        assert f(same, 2 * same, tau) == pytest.approx(np.log(n), rel=1e-12)
    assert f([[1.0, 2.0]], [[-3.0, 0.5]], 0.01) == 0.0
    z1 = np.array([[1.0, 0.0], [-1.0, 0.0]])
    for tau in (0.01, 0.001):
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            assert f(z1, -z1, tau) == pytest.approx(2 / tau + np.log1p(np.exp(-2 / tau)), rel=1e-15)
    assert f(z1, -z1, 0.01) == pytest.approx(200.0, rel=1e-15) and f(z1, -z1, 0.001) == pytest.approx(2000.0)
    worked = f(np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([[1.0, 0.0], [0.0, 1.0]]), 1.0)
    other = f(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 0.0], [1.0, 0.0]]), 1.0)
    assert [round(v, 4) for v in (np.log1p(np.exp(-1)), np.log1p(np.e), worked, other, (worked + other) / 2)] == \
        [0.3133, 1.3133, 0.8133, 0.6931, 0.7532]


# ---------------------------------------------------------------- the lab's text and printouts


def test_numbers_stated_in_the_markdown(solution):
    """Each phrase is in the text, and the number it shows is the true value to the digits shown."""
    text = markdown_text(read_notebook(notebook_path(LAB)))
    e = np.exp
    worked = np.array([0.5, 0.0, -1.0])
    mutual_information = np.log(2 * np.pi) - stats.vonmises(10.0).entropy()
    stated = [  # (phrase, the number it shows, its digits after the point, the true value)
        ("1/\\sqrt{2} = 0.7071", 0.7071, 4, 1 / np.sqrt(2)),
        ("$1.6487$", 1.6487, 4, e(0.5)), ("$0.3679$", 0.3679, 4, e(-1.0)),
        ("sum to $3.0166$", 3.0166, 4, e(0.5) + 1 + e(-1.0)),
        ("3.0166 = 0.54655", 0.54655, 5, special.softmax(worked)[0]),
        ("0.54655 = 0.6041$ nats", 0.6041, 4, special.logsumexp(worked) - 0.5),
        ("$\\log 3.0166 - 0.5 = 1.1041", 1.1041, 4, special.logsumexp(worked)),
        ("$L = 0.3490$", 0.3490, 4, special.logsumexp(2 * worked) - 1.0),
        ("$L = 0.0067$", 0.0067, 4, special.logsumexp(10 * worked) - 5.0),
        ("$4.915$ nats at $\\tau = 1$", 4.915, 3, np.log1p(1000 * e(-2.0))),
        ("$2.06 \\times 10^{-6}$ at $\\tau = 0.1$", 2.06e-6, 8, np.log1p(1000 * e(-20.0))),
        ("\\log(1 + e^{-1}) = 0.3133$", 0.3133, 4, np.log1p(e(-1.0))),
        ("\\log(1 + e) = 1.3133$", 1.3133, 4, np.log1p(np.e)),
        ("$L = 0.8133$", 0.8133, 4, np.log1p(np.e) - 0.5),
        ("L(z^{(2)}, z^{(1)}) = 0.6931$", 0.6931, 4, np.log(2)),
        ("average is $0.7532$", 0.7532, 4, (np.log1p(np.e) - 0.5 + np.log(2)) / 2),
        ("$\\log 32{,}768 = 10.4$", 10.4, 1, np.log(32768)),
        ("$1.5430$ nats at $\\kappa = 10$", 1.5430, 4, mutual_information),
        ("$\\log 2 = 0.69$", 0.69, 2, np.log(2)), ("share $1.54$", 1.54, 2, mutual_information),
    ]
    for phrase, shown, digits, value in stated:
        assert phrase in text, phrase
        assert value == pytest.approx(shown, abs=0.5 * 10**-digits), phrase
    assert solution["info_nce"](np.array([[1.0, 0.0]]), np.array([[0.5, np.sqrt(3) / 2]]),
                                np.array([[[0.0, 1.0], [-1.0, 0.0]]]), 1.0) == pytest.approx(0.6041, abs=5e-5)


def test_numbers_in_the_answers():
    """The answers of "Check your understanding"."""
    text = markdown_text(read_notebook(notebook_path(LAB))).split("## Check your understanding")[1]
    claims = {"$\\log 256 = 5.545$": np.log(256), "$\\log(1 + 1000 e^{-2}) = 4.915$": np.log1p(1000 * np.exp(-2)),
              "= 0.0073$": np.e / (np.e + 1000 / np.e), "$\\log 4096 = 8.318$": np.log(4096),
              "$\\log 8192 = 9.011$": np.log(8192), "$\\log 2 = 0.693$": np.log(2),
              "$10^{-9} / (10^{-8} \\cdot 1) = 0.1$": 1e-9 / 1e-8}
    for phrase, value in claims.items():
        assert phrase in text, phrase
        number = numbers_in(phrase)[-1]
        decimals = len(str(number).split(".")[1])
        assert value == pytest.approx(number, abs=0.5 * 10**-decimals), phrase
    assert "2.06 \\times 10^{-6}" in text and np.log1p(1000 * np.exp(-20)) == pytest.approx(2.06e-6, rel=5e-3)


def test_the_similarity_table(executed):
    printed = numbers_in(stdout_of(executed, "demo-similarity-table"))
    embeddings = np.array([[0.9, 0.1, 0.0], [2.0, 0.5, 0.1], [0.6, 0.8, 0.0], [0.0, 0.2, 1.0]])
    np.testing.assert_allclose(printed[:16], sklearn_cosine(embeddings).ravel(), atol=PRINTED)
    np.testing.assert_allclose(printed[16:], (embeddings @ embeddings.T).ravel(), atol=PRINTED)


def test_the_loss_floor_demo(executed):
    lines = stdout_of(executed, "demo-loss-floor").strip().splitlines()
    for line, tau in zip(lines, (1.0, 0.5, 0.2, 0.1, 0.07), strict=False):
        numbers = numbers_in(line.split(":", 1)[1])
        floor = np.log1p(1000 * np.exp(-2 / tau))  # the positive at +1, 1000 negatives at -1
        assert numbers[0] == pytest.approx(floor, rel=1e-3) and numbers[-1] == pytest.approx(floor, rel=1e-3)
    assert numbers_in(lines[-1].replace("info_nce", ""))[::2] == pytest.approx([np.log(1001)] * 2, abs=PRINTED)


def test_the_in_batch_demo(executed, torch):
    F = torch.nn.functional
    rows, explicit, columns, clip, collapsed = (numbers_in(line) for line in
                                                stdout_of(executed, "demo-in-batch").strip().splitlines())
    generator = np.random.default_rng(0)
    images = generator.normal(size=(8, 16))
    captions = images + 1.5 * generator.normal(size=(8, 16))
    logits = F.cosine_similarity(as_tensor(torch, images)[:, None, :], as_tensor(torch, captions)[None, :, :],
                                 dim=-1) / 0.1
    labels = torch.arange(8)
    row_loss, column_loss = F.cross_entropy(logits, labels).item(), F.cross_entropy(logits.T, labels).item()
    assert rows[-1] == pytest.approx(row_loss, abs=PRINTED) and explicit[-1] == pytest.approx(row_loss, abs=PRINTED)
    assert columns[-1] == pytest.approx(column_loss, abs=PRINTED)
    assert clip[-1] == pytest.approx((row_loss + column_loss) / 2, abs=PRINTED)
    assert collapsed[-2:] == pytest.approx([np.log(8)] * 2, abs=PRINTED)


def test_the_mutual_information_demo(executed):
    """The printed I against scipy's von Mises entropy, and the estimates against a computation from the
    documented draws (θ uniform, then the von Mises noise, seed 0) with scipy's logsumexp."""
    first, *rows = stdout_of(executed, "demo-mutual-information").strip().splitlines()
    information = np.log(2 * np.pi) - stats.vonmises(10.0).entropy()
    assert numbers_in(first)[-1] == pytest.approx(information, abs=PRINTED)
    generator = np.random.default_rng(0)
    theta = generator.uniform(-np.pi, np.pi, size=4096)
    phi = theta + generator.vonmises(0.0, 10.0, size=4096)
    z1, z2 = np.column_stack([np.cos(theta), np.sin(theta)]), np.column_stack([np.cos(phi), np.sin(phi)])
    assert len(rows) == 5
    for row, batch in zip(rows, (2, 8, 32, 128, 512), strict=True):
        size, log_n, estimate = numbers_in(row.replace("log N − L", ""))
        losses = [reference_in_batch(z1[i:i + batch], z2[i:i + batch], 0.1) for i in range(0, 4096, batch)]
        assert size == batch and log_n == pytest.approx(np.log(batch), abs=PRINTED)
        assert estimate == pytest.approx(np.log(batch) - np.mean(losses), abs=PRINTED)
        assert estimate < min(log_n, information)  # below the ceiling and below I, as the text says
    assert numbers_in(rows[-1])[-1] == pytest.approx(information, abs=0.03)
    # the answer to question 3: from N = 128 to N = 512 the estimate rose by 0.015 nats
    assert numbers_in(rows[-1])[-1] - numbers_in(rows[-2])[-1] == pytest.approx(0.015, abs=5e-4)


def test_the_energy_demo(executed):
    energies, probabilities, energy_loss, info_nce_line = (
        numbers_in(line.rsplit(":" if ":" in line else "=", 1)[1])
        for line in stdout_of(executed, "demo-energy").strip().splitlines())
    s = np.array([0.5, 0.0, -1.0])
    assert energies == pytest.approx(list(-s), abs=1e-12)
    assert probabilities == pytest.approx(list(special.softmax(s)), abs=PRINTED)
    assert energy_loss == pytest.approx([special.logsumexp(s) - s[0]], abs=PRINTED) == info_nce_line


def test_the_lab_has_its_figures_and_widgets(executed):
    widget = "application/vnd.jupyter.widget-view+json"
    cells = {c.get("id"): c for c in executed.cells}
    for static, live in (("static-temperature", "widget-temperature"),
                         ("static-mutual-information", "widget-mutual-information")):
        assert any("image/png" in o.get("data", {}) for o in cells[static].outputs), static
        assert any(widget in o.get("data", {}) for o in cells[live].outputs), live
        order = [c.get("id") for c in executed.cells]
        assert order.index(static) < order.index(live)
