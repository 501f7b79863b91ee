"""Visible checks of Lab 5 (05_kl_entropy). Each takes the student's function as ``f``.

The lab's symbols: p is the true distribution, q the model's, both along ``axis``;

    H(p)     = -sum_k p_k log p_k                (0 log 0 = 0)
    H(p, q)  = -sum_k p_k log q_k                (0 where p_k = 0, +inf where q_k = 0 < p_k)
    KL(p‖q)  =  sum_k p_k log(p_k / q_k) = H(p, q) - H(p)
    KL(N(mu1, sigma1^2) ‖ N(mu2, sigma2^2)) = log(sigma2 / sigma1) + (sigma1^2 + (mu1 - mu2)^2) / (2 sigma2^2) - 1/2

in nats, or divided by log(base). The checks use public values the lab states (log K for a uniform
distribution, -log q_y for a one-hot p, the draft's KL(P‖Q) = 0.0851 and KL(Q‖P) = 0.0920, a numerical
integral of p log(p / q)) and properties. Each check tests one rule: the axis, base and zero-outcome checks
compare the student's function with its own values (a batch with its rows, base b with base e, a zero outcome
with the distribution without it), so that one mistake costs the points of one check.
"""

from __future__ import annotations

import numpy as np

from helpers.feedback import call_quietly, expect_close, expect_raises, expect_true, fail

#: The draft's distributions, printed by the lab: KL(P‖Q) = 0.0851 and KL(Q‖P) = 0.0920 nats.
P = np.array([0.7, 0.2, 0.1])
Q = np.array([0.5, 0.3, 0.2])

#: Sums to 0.9999999999999998 in float64: a rounding error, not an invalid distribution.
SEVENTHS = np.full(7, 1 / 7)


def _accepts(call: str, f, *args, **kwargs):
    """``f(*args, **kwargs)`` for a valid input whose sum is 1 only up to rounding: a ValueError fails the check
    with a hint about the tolerance (a helper of this module, not of ``helpers.feedback``)."""
    try:
        return f(*args, **kwargs)
    except ValueError as error:
        fail(call, f"ValueError({str(error)!r})", "a value: the sum is 1 within 1e-6",
             "a sum within 1e-6 of 1 is a rounding error: compare it with 1 within a tolerance "
             "(np.isclose, or abs(total - 1) <= 1e-6), not with ==.")


# --- Exercise A: entropy(p, base=None, axis=-1) ------------------------------------------------------------------


def entropy_in_nats(f) -> None:
    """H(uniform over K) = log K nats; H(1/2, 1/4, 1/4) = (3/2) log 2; lists and float32 arrays."""
    got = f([0.25, 0.25, 0.25, 0.25])
    expect_true(np.shape(got) == (), "entropy([0.25, 0.25, 0.25, 0.25])", got, "a single number (shape ())",
                "sum the terms -p_k log p_k: one entropy for one distribution.")
    expect_close("entropy([0.25, 0.25, 0.25, 0.25])  (uniform over 4: log 4 nats)", got, np.log(4), rtol=1e-9,
                 hints=[(2.0, "that is log2(4) = 2 bits: the default is the natural log (nats)."),
                        (-np.log(4), "the sign: H(p) = -sum p log p is never negative.")])
    expect_close("entropy([0.5, 0.25, 0.25])  ((3/2) log 2 nats)", f([0.5, 0.25, 0.25]), 1.5 * np.log(2),
                 rtol=1e-9)
    expect_close("entropy(np.full(5, 0.2, dtype=np.float32))  (float32: log 5 nats)",
                 f(np.full(5, 0.2, dtype=np.float32)), np.log(5), rtol=1e-6)


def entropy_zero_log_zero(f) -> None:
    """0 log 0 = 0: a certain outcome has entropy exactly 0, with no nan and no warning (integers too); an
    impossible outcome adds nothing: H(1/2, 0, 1/2) = H(1/2, 1/2)."""
    got = call_quietly("entropy([1.0, 0.0, 0.0])", f, [1.0, 0.0, 0.0])
    expect_close("entropy([1.0, 0.0, 0.0])  (a certain outcome)", got, 0.0,
                 hints=[(lambda g: np.isnan(g), "0 * log(0) is nan in numpy: take the log only where p > 0."),
                        (lambda g: 0 < g < 1e-6, "a tiny positive entropy: clipping p is not 0 * log 0 = 0.")])
    got = call_quietly("entropy(np.array([0, 0, 1]))", f, np.array([0, 0, 1]))
    expect_close("entropy(np.array([0, 0, 1]))  (integers)", got, 0.0)
    got = call_quietly("entropy([0.5, 0.0, 0.5])", f, [0.5, 0.0, 0.5])
    expect_close("entropy([0.5, 0.0, 0.5])  against entropy([0.5, 0.5])", got, f([0.5, 0.5]), rtol=1e-12,
                 atol=1e-15)


def entropy_along_axis(f) -> None:
    """A batch of shape (N, K) gives the N entropies of its rows; with axis=0 the columns are the distributions."""
    batch = np.array([[0.5, 0.5], [0.9, 0.1], [0.25, 0.75]])
    got = f(batch)
    expect_true(np.shape(got) == (3,), "entropy(batch of shape (3, 2))", got, "one entropy per row: shape (3,)",
                "sum along axis, not over the whole array.")
    rows = [f(row) for row in batch]
    expect_close("entropy(batch of shape (3, 2))  against entropy(row) for each row", got, rows, rtol=1e-12,
                 atol=1e-15)
    expect_close("entropy(batch.T, axis=0)  (shape (2, 3): the columns are the distributions)",
                 f(batch.T, axis=0), rows, rtol=1e-12, atol=1e-15,
                 hints=[(lambda g: np.shape(g) != (3,), "reduce along axis, the argument you are given.")])


def _in_base(f, name: str, *dists) -> None:
    """f(*dists, base=b) = f(*dists, base=np.e) / ln b for b = 4 (a NumPy integer), 2 and 0.5."""
    args = ", ".join(f"[{', '.join(f'{v:g}' for v in d)}]" for d in dists)
    nats = f(*dists, base=np.e)
    expect_close(f"{name}({args}, base=np.int64(4))  against {name}(..., base=np.e) / ln 4",
                 f(*dists, base=np.int64(4)), nats / np.log(4), rtol=1e-12, atol=1e-15,
                 hints=[(lambda g: np.isclose(g, nats) and not np.isclose(nats, 0.0),
                         "base is ignored: divide the result in nats by log(base)."),
                        (lambda g: np.isclose(g, nats * np.log(4)) and not np.isclose(nats, 0.0),
                         "multiply by 1 / log(base), not by log(base).")])
    expect_close(f"{name}({args}, base=2)  (in bits)", f(*dists, base=2), nats / np.log(2), rtol=1e-12, atol=1e-15)
    expect_close(f"{name}({args}, base=0.5)  (a base below 1 is allowed)", f(*dists, base=0.5), nats / np.log(0.5),
                 rtol=1e-12, atol=1e-15)


def entropy_in_base(f) -> None:
    """log_b x = ln x / ln b: entropy(p, base=b) = entropy(p, base=np.e) / ln b; base may be a NumPy integer or
    lie below 1."""
    _in_base(f, "entropy", [0.5, 0.25, 0.25])


def entropy_rejects_invalid(f) -> None:
    """ValueError naming p for an entry outside [0, 1] or NaN, or a sum along axis off 1 by more than 1e-6;
    naming base for base <= 0 or base = 1. A sum off by rounding only is accepted."""
    expect_raises(f, [0.5, 0.6], call="entropy([0.5, 0.6])  (sums to 1.1)", names=["p"])
    expect_raises(f, [0.5, 0.499], call="entropy([0.5, 0.499])  (sums to 0.999)", names=["p"])
    expect_raises(f, [1.5, -0.5], call="entropy([1.5, -0.5])  (sums to 1, entries outside [0, 1])", names=["p"])
    expect_raises(f, [np.nan, 1.0], call="entropy([nan, 1.0])", names=["p"])
    expect_raises(f, np.array([[0.6, 0.4], [0.3, 0.7]]), axis=0,
                  call="entropy([[0.6, 0.4], [0.3, 0.7]], axis=0)  (rows sum to 1, columns do not)", names=["p"])
    expect_raises(f, [0.5, 0.5], base=1, call="entropy([0.5, 0.5], base=1)", names=["base"])
    expect_raises(f, [0.5, 0.5], base=0, call="entropy([0.5, 0.5], base=0)", names=["base"])
    call = "entropy(np.full(7, 1 / 7))  (sums to 0.9999999999999998)"
    got = _accepts(call, f, SEVENTHS)
    expect_true(bool(np.all(np.isfinite(got))), call, got, "a finite number")


# --- Exercise B: cross_entropy_dist(p, q, base=None, axis=-1) ----------------------------------------------------


def cross_entropy_in_nats(f) -> None:
    """One-hot p: H(p, q) = -log q_y; H(p, p) = H(p) (log 2 for a fair coin); H(P, Q) > H(P, P) (Gibbs);
    integer and float32 arrays."""
    call = "cross_entropy_dist([0, 1, 0], [0.2, 0.5, 0.3])  (one-hot p: -log q_y)"
    got = f([0.0, 1.0, 0.0], [0.2, 0.5, 0.3])
    expect_true(np.shape(got) == (), call, got, "a single number (shape ())",
                "sum the terms -p_k log q_k: one value for one pair of distributions.")
    expect_close(call, got, -np.log(0.5), rtol=1e-9,
                 hints=[(lambda g: np.isinf(g), "p and q are swapped: -sum p_k log q_k is weighted by p."),
                        (np.log(0.5), "the sign: cross-entropy is -sum p log q."),
                        (1.0, "that is in bits: the default is the natural log.")])
    expect_close("cross_entropy_dist([0.5, 0.5], [0.5, 0.5])  (H(p, p) = H(p) = log 2)",
                 f([0.5, 0.5], [0.5, 0.5]), np.log(2), rtol=1e-9,
                 hints=[(0.0, "that is KL(p ‖ q); the cross-entropy is H(p) + KL(p ‖ q) = -sum p log q.")])
    cross, same = f(P, Q), f(P, P)
    expect_true(bool(cross > same), "cross_entropy_dist(P, Q) and cross_entropy_dist(P, P)", [cross, same],
                "H(P, Q) > H(P, P) = H(P): a wrong model costs more surprise")
    expect_close("cross_entropy_dist(np.array([0, 1, 0]), np.array([0.2, 0.5, 0.3], dtype=np.float32))",
                 f(np.array([0, 1, 0]), np.array([0.2, 0.5, 0.3], dtype=np.float32)), -np.log(0.5), rtol=1e-6)


def cross_entropy_boundaries(f) -> None:
    """q_k = 0 < p_k costs +inf, not nan or a large finite number; p_k = 0 contributes 0 even where q_k = 0."""
    expect_close("cross_entropy_dist([0.5, 0.5], [1.0, 0.0])  (q misses an outcome of p)",
                 f([0.5, 0.5], [1.0, 0.0]), np.inf,
                 hints=[(lambda g: np.isfinite(g), "finite: clipping q or adding eps hides the exact +inf.")])
    expect_close("cross_entropy_dist([1.0, 0.0], [1.0, 0.0])", f([1.0, 0.0], [1.0, 0.0]), 0.0, atol=1e-9,
                 hints=[(lambda g: np.isnan(g), "0 * log(0) is nan: a term with p_k = 0 is 0, even if q_k = 0.")])
    expect_close("cross_entropy_dist([0.0, 0.5, 0.5], [0.0, 0.25, 0.75])  against cross_entropy_dist([0.5, 0.5], "
                 "[0.25, 0.75])", f([0.0, 0.5, 0.5], [0.0, 0.25, 0.75]), f([0.5, 0.5], [0.25, 0.75]), rtol=1e-12,
                 atol=1e-15)


def cross_entropy_axis_and_base(f) -> None:
    """A batch gives the values of its rows; axis=0 reduces columns; base b divides the result in nats by ln b."""
    got = f(np.eye(3), np.full((3, 3), 1 / 3))
    expect_close("cross_entropy_dist(np.eye(3), np.full((3, 3), 1 / 3))  against each row", got,
                 [f(row, np.full(3, 1 / 3)) for row in np.eye(3)], rtol=1e-12, atol=1e-15,
                 hints=[(lambda g: np.shape(g) == (), "sum along axis, one value per row.")])
    p_rows = np.array([[0.5, 0.5], [0.9, 0.1], [0.2, 0.8]])
    q_rows = np.array([[0.25, 0.75], [0.5, 0.5], [0.6, 0.4]])
    rows = [f(p_row, q_row) for p_row, q_row in zip(p_rows, q_rows, strict=True)]
    expect_close("cross_entropy_dist(p.T, q.T, axis=0), shapes (2, 3)  (the columns are the distributions)",
                 f(p_rows.T, q_rows.T, axis=0), rows, rtol=1e-12, atol=1e-15,
                 hints=[(lambda g: np.shape(g) != (3,), "reduce along axis, the argument you are given.")])
    _in_base(f, "cross_entropy_dist", [0.7, 0.2, 0.1], [0.5, 0.3, 0.2])


def rejects_mismatched_shapes(f, name: str) -> None:
    """p and q of different shapes raise ValueError naming both, even where each is a valid distribution and
    numpy would broadcast them."""
    expect_raises(f, [0.2, 0.3, 0.5], [[0.2, 0.3, 0.5]], call=f"{name}(p of shape (3,), q of shape (1, 3))",
                  names=["p", "q"])
    expect_raises(f, np.full((2, 2), 0.5), [0.5, 0.5], call=f"{name}(p of shape (2, 2), q of shape (2,))",
                  names=["p", "q"])


def rejects_invalid_distributions(f, name: str) -> None:
    """p or q with an entry outside [0, 1] or NaN, or a sum off 1 by more than 1e-6, raises ValueError naming it;
    a bad base names base. A sum off by rounding only is accepted."""
    expect_raises(f, [0.5, 0.5], [0.5, 0.6], call=f"{name}([0.5, 0.5], [0.5, 0.6])  (q sums to 1.1)", names=["q"])
    expect_raises(f, [0.4, 0.5], [0.5, 0.5], call=f"{name}([0.4, 0.5], [0.5, 0.5])  (p sums to 0.9)", names=["p"])
    expect_raises(f, [1.5, -0.5], [0.5, 0.5], call=f"{name}([1.5, -0.5], [0.5, 0.5])", names=["p"])
    expect_raises(f, [0.5, 0.5], [np.nan, 1.0], call=f"{name}([0.5, 0.5], [nan, 1.0])", names=["q"])
    expect_raises(f, [0.5, 0.5], [0.5, 0.5], base=1, call=f"{name}([0.5, 0.5], [0.5, 0.5], base=1)", names=["base"])
    call = f"{name}(np.full(7, 1 / 7), np.full(7, 1 / 7))  (both sum to 0.9999999999999998)"
    got = _accepts(call, f, SEVENTHS, SEVENTHS)
    expect_true(bool(np.all(np.isfinite(got))), call, got, "a finite number")


# --- Exercise C: kl_divergence(p, q, base=None, axis=-1) ---------------------------------------------------------


def kl_in_nats(f) -> None:
    """The lab's values KL(P‖Q) = 0.0851 and KL(Q‖P) = 0.0920 nats."""
    forward = f(P, Q)
    expect_true(np.shape(forward) == (), "kl_divergence(P, Q)", forward, "a single number (shape ())",
                "sum the terms p_k log(p_k / q_k): one value for one pair of distributions.")
    expect_close("kl_divergence(P, Q)  with P = [0.7, 0.2, 0.1], Q = [0.5, 0.3, 0.2]  (the lab's 0.0851)",
                 forward, 0.0851, rtol=0.0, atol=5e-5,
                 hints=[(lambda g: abs(g - 0.0920) < 5e-5, "you computed KL(q ‖ p): the first argument p "
                         "weights the sum."),
                        (lambda g: abs(g + 0.0851) < 5e-5, "the sign: KL = sum p log(p / q), never negative."),
                        (lambda g: abs(g - 0.0851 / np.log(2)) < 1e-4, "that is in bits: the default is the "
                         "natural log.")])
    expect_close("kl_divergence(Q, P)  (the lab's 0.0920)", f(Q, P), 0.0920, rtol=0.0, atol=5e-5)


def kl_zero_for_equal(f) -> None:
    """KL(p‖p) = 0.0 exactly, zeros in p included: log(p_k / p_k) = log 1 = 0."""
    tiny = (lambda g: 0 < abs(g) < 1e-6, "a tiny nonzero value: adding eps or clipping moves log(p_k / q_k) "
            "away from log 1 = 0.")
    got = f(P, P)
    expect_true(bool(np.all(np.asarray(got) == 0.0)), "kl_divergence(P, P)  with P = [0.7, 0.2, 0.1]", got,
                "exactly 0.0: KL(p ‖ p) = 0",
                "compute sum p_k log(p_k / q_k), which is exactly log 1 = 0 in every term when q = p.",
                hints=[tiny])
    got = f([1.0, 0.0], [1.0, 0.0])
    expect_true(bool(np.all(np.asarray(got) == 0.0)), "kl_divergence([1.0, 0.0], [1.0, 0.0])", got,
                "exactly 0.0: KL(p ‖ p) = 0",
                hints=[(lambda g: np.isnan(g), "0 * log(0 / 0) is nan: a term with p_k = 0 is 0."), tiny])
    batch = np.array([[0.5, 0.5, 0.0], [0.1, 0.3, 0.6]])
    got = f(batch, batch)
    expect_true(bool(np.all(np.asarray(got) == 0.0)), "kl_divergence(batch, batch), batch of shape (2, 3)", got,
                "exactly 0.0 for every row")


def kl_boundaries(f) -> None:
    """q_k = 0 < p_k gives +inf; p_k = 0 contributes 0 whatever q_k is (one-hot p: KL = -log q_y); a tiny positive
    q_k gives a large finite value (no clipping, no eps)."""
    expect_close("kl_divergence([0.5, 0.5], [1.0, 0.0])  (q misses an outcome of p)",
                 f([0.5, 0.5], [1.0, 0.0]), np.inf,
                 hints=[(lambda g: np.isclose(g, 10.82, atol=0.01), "10.82 is the draft's clipped answer: "
                         "q_k = 0 < p_k must give inf, not a large finite number."),
                        (lambda g: np.isfinite(g), "a finite value: clipping or eps hides the exact +inf.")])
    expect_close("kl_divergence([1, 0, 0], [0.5, 0.25, 0.25])  (one-hot p: -log q_0 = log 2)",
                 f([1.0, 0.0, 0.0], [0.5, 0.25, 0.25]), np.log(2), rtol=1e-9,
                 hints=[(lambda g: np.isnan(g), "0 * log(0 / q) is nan in numpy: a term with p_k = 0 is 0.")])
    expect_close("kl_divergence([0.5, 0.5, 0.0], [0.25, 0.25, 0.5])  (log 2)",
                 f([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]), np.log(2), rtol=1e-9)
    tiny = [1.0 - 1e-14, 1e-14]
    expect_close("kl_divergence([0.5, 0.5], [1 - 1e-14, 1e-14])  (0.5 log(0.5 / (1 - 1e-14)) + 0.5 log(0.5e14))",
                 f([0.5, 0.5], tiny), 0.5 * np.log(0.5 / tiny[0]) + 0.5 * np.log(0.5 / tiny[1]), rtol=1e-9,
                 hints=[(lambda g: np.isinf(g), "a tiny but positive q_k gives a large finite KL, not inf: "
                         "test q == 0, not np.isclose(q, 0).")])


def kl_axis_and_base(f) -> None:
    """A batch gives the values of its rows; axis=0 reduces columns; base b divides the result in nats by ln b."""
    forward, reverse, same = f(P, Q), f(Q, P), f(P, P)
    batch = f(np.array([P, Q, P]), np.array([Q, P, P]))
    expect_close("kl_divergence([P, Q, P], [Q, P, P])  (a batch of shape (3, 3)) against each row", batch,
                 [forward, reverse, same], rtol=1e-12, atol=1e-15,
                 hints=[(lambda g: np.shape(g) == (), "sum along axis, one value per row.")])
    expect_close("kl_divergence([P, Q].T, [Q, P].T, axis=0)  (the columns are the distributions)",
                 f(np.array([P, Q]).T, np.array([Q, P]).T, axis=0), [forward, reverse], rtol=1e-12, atol=1e-15,
                 hints=[(lambda g: np.shape(g) != (2,), "reduce along axis, the argument you are given.")])
    _in_base(f, "kl_divergence", [0.7, 0.2, 0.1], [0.5, 0.3, 0.2])


# --- Exercise D: gaussian_kl(mu1, sigma1, mu2, sigma2) -----------------------------------------------------------


def _log_normal(x, mu, sigma):
    """log N(x | mu, sigma^2), for the numerical integrals below."""
    return -0.5 * np.log(2 * np.pi) - np.log(sigma) - 0.5 * ((x - mu) / sigma) ** 2


def integrated_kl(mu1: float, sigma1: float, mu2: float, sigma2: float) -> float:
    """KL(p ‖ q) = ∫ p(x) log(p(x) / q(x)) dx by the trapezoid rule on a fine grid of ±30 sigma1 around mu1."""
    x = np.linspace(mu1 - 30 * sigma1, mu1 + 30 * sigma1, 60001)
    log_p, log_q = _log_normal(x, mu1, sigma1), _log_normal(x, mu2, sigma2)
    return float(np.trapezoid(np.exp(log_p) * (log_p - log_q), x))


def gaussian_kl_matches_integral(f) -> None:
    """The closed form equals p log(p / q) integrated numerically, for p = N(1, 0.5^2), q = N(0, 1) and another
    pair; sigma1, sigma2 are standard deviations."""
    integral, reverse = integrated_kl(1.0, 0.5, 0.0, 1.0), integrated_kl(0.0, 1.0, 1.0, 0.5)
    got = f(1.0, 0.5, 0.0, 1.0)
    expect_true(np.shape(got) == (), "gaussian_kl(1.0, 0.5, 0.0, 1.0)", got, "a single number (shape ())")
    expect_close("gaussian_kl(1.0, 0.5, 0.0, 1.0)  against numerical integration of p log(p / q)", got, integral,
                 rtol=1e-6,
                 hints=[(reverse, "you computed KL(q ‖ p): the expectation is under the first Gaussian, "
                         "N(mu1, sigma1^2)."),
                        (lambda g: np.isclose(g, 0.5 * np.log(2) + 0.75 - 0.5), "sigma1 and sigma2 are standard "
                         "deviations; square them for the variances."),
                        (integral + 0.5, "the constant is -1/2."),
                        (lambda g: np.isclose(g, np.log(2) + 1.25 - 0.5), "the denominator is 2 sigma2^2."),
                        (lambda g: np.isclose(g, integral - 2 * np.log(2)), "the log term is "
                         "log(sigma2 / sigma1), not log(sigma1 / sigma2).")])
    expect_close("gaussian_kl(-1.0, 2.0, 0.5, 1.5)  against numerical integration", f(-1.0, 2.0, 0.5, 1.5),
                 integrated_kl(-1.0, 2.0, 0.5, 1.5), rtol=1e-6)


def gaussian_kl_zero_when_equal(f) -> None:
    """KL(p ‖ p) = log 1 + sigma^2 / (2 sigma^2) - 1/2 = 0, within 1e-15 (rounding)."""
    expect_close("gaussian_kl(0.0, 1.0, 0.0, 1.0)", f(0.0, 1.0, 0.0, 1.0), 0.0, atol=1e-15,
                 hints=[(0.5, "identical Gaussians must give 0: the constant is -1/2.")])
    expect_close("gaussian_kl(3.0, 0.2, 3.0, 0.2)", f(3.0, 0.2, 3.0, 0.2), 0.0, atol=1e-15)
    got = f(np.array([0.0, -1.0]), np.array([0.3, 2.5]), np.array([0.0, -1.0]), np.array([0.3, 2.5]))
    expect_close("gaussian_kl(mu, sigma, mu, sigma), arrays of 2", got, [0.0, 0.0], atol=1e-15)


def gaussian_kl_inputs(f) -> None:
    """Numbers, lists, NumPy integers and arrays that broadcast together (a batch of encodings), each against the
    function's own value on numbers."""
    shifted = f(np.array([0.0, 1.0, 2.0]), 1.0, 0.0, 1.0)
    expect_true(np.shape(shifted) == (3,), "gaussian_kl(np.array([0, 1, 2]), 1.0, 0.0, 1.0)", shifted,
                "three values: one for each mu1")
    expect_close("gaussian_kl(np.array([0, 1, 2]), 1.0, 0.0, 1.0)  against three calls with numbers", shifted,
                 [f(0.0, 1.0, 0.0, 1.0), f(1.0, 1.0, 0.0, 1.0), f(2.0, 1.0, 0.0, 1.0)], rtol=1e-12, atol=1e-15)
    expect_close("gaussian_kl([0.0, 1.0], [1.0, 0.5], 0.0, 1.0)  (lists)", f([0.0, 1.0], [1.0, 0.5], 0.0, 1.0),
                 [f(0.0, 1.0, 0.0, 1.0), f(1.0, 0.5, 0.0, 1.0)], rtol=1e-12, atol=1e-15)
    expect_close("gaussian_kl(np.int64(1), np.int64(2), np.int64(0), np.int64(1))  (integers)",
                 f(np.int64(1), np.int64(2), np.int64(0), np.int64(1)), f(1.0, 2.0, 0.0, 1.0), rtol=1e-12)
    mu1, sigma1 = np.array([[0.0], [1.0], [-1.0], [0.5]]), np.array([[1.0], [0.5], [2.0], [1.5]])
    mu2, sigma2 = np.linspace(-1.0, 1.0, 5).reshape(1, 5), np.linspace(0.5, 2.5, 5).reshape(1, 5)
    got = f(mu1, sigma1, mu2, sigma2)
    expect_true(np.shape(got) == (4, 5), "gaussian_kl(mu1, sigma1, mu2, sigma2), shapes (4, 1), (4, 1), (1, 5), (1, 5)",
                got, "an array of shape (4, 5): the four arguments broadcast together")
    expect_close("row 2 of gaussian_kl(mu1, sigma1, mu2, sigma2)", np.asarray(got)[2],
                 f(-1.0, 2.0, mu2[0], sigma2[0]), rtol=1e-12, atol=1e-15)


def gaussian_kl_rejects_bad_sigma(f) -> None:
    """sigma1 <= 0 raises ValueError naming sigma1, sigma2 <= 0 naming sigma2 (any entry of an array); with both
    invalid, naming either is right."""
    expect_raises(f, 0.0, 0.0, 0.0, 1.0, call="gaussian_kl(0.0, sigma1=0.0, 0.0, 1.0)", names=["sigma1"])
    expect_raises(f, 0.0, 1.0, 0.0, -1.0, call="gaussian_kl(0.0, 1.0, 0.0, sigma2=-1.0)", names=["sigma2"])
    expect_raises(f, 0.0, np.array([1.0, 0.0]), 0.0, 1.0, call="gaussian_kl(0.0, sigma1=[1.0, 0.0], 0.0, 1.0)",
                  names=["sigma1"])
    expect_raises(f, 0.0, 1.0, 0.0, np.array([0.5, -2.0]), call="gaussian_kl(0.0, 1.0, 0.0, sigma2=[0.5, -2.0])",
                  names=["sigma2"])
    expect_raises(f, 0.0, -2.0, 0.0, 0.0, call="gaussian_kl(0.0, sigma1=-2.0, 0.0, sigma2=0.0)  (both invalid)",
                  any_of=["sigma1", "sigma2"])
