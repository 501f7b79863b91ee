"""Correct answers to Lab 5 (05_kl_entropy) written the ways a class writes them: other exact formulas
(log2 then converted, masked logs, nansum, einsum), scipy.special where the text allows it, dtype-preserving
versions, another order of validation and other error messages that still name the parameter. Each must earn
full marks."""

LAB = "05_kl_entropy"

RIGHT = {
    "entropy": {
        "log with where= and out=, float32 kept, base validated first, other messages": '''
def entropy(p, base=None, axis=-1):
    if base is not None and (base <= 0 or base == 1):
        raise ValueError(f"invalid base {base!r}: use a positive number other than 1")
    p = np.asarray(p)
    if not np.issubdtype(p.dtype, np.floating):
        p = p.astype(float)
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise ValueError("every entry of p must be a probability in [0, 1]")
    if np.any(np.abs(p.sum(axis=axis) - 1) > 1e-6):
        raise ValueError("p does not sum to 1")
    log_p = np.log(p, where=p > 0, out=np.zeros_like(p))
    h = -(p * log_p).sum(axis=axis)
    if base is not None:
        h = h / np.log(base)
    return h
''',
        "in bits first (log2), then converted to the base asked for": '''
def entropy(p, base=None, axis=-1):
    p = np.asarray(p, dtype=np.float64)
    in_range = (p >= 0) & (p <= 1)
    if not in_range.all():
        raise ValueError("p: entries must lie in [0, 1] (NaN is not a probability)")
    if not np.allclose(p.sum(axis=axis), 1.0, atol=1e-6, rtol=0):
        raise ValueError("p: the probabilities must add up to 1")
    if base is not None:
        if not base > 0 or base == 1:
            raise ValueError("base must be > 0 and != 1")
    bits = -np.sum(p * np.log2(np.where(p > 0, p, 1.0)), axis=axis)
    return bits * np.log(2) if base is None else bits * np.log(2) / np.log(base)
''',
        "np.nansum over p log p with the invalid 0 * (-inf) silenced": '''
def entropy(p, base=None, axis=-1):
    p = np.asarray(p, dtype=float)
    if np.any(np.isnan(p)) or np.any(p < 0) or np.any(p > 1):
        raise ValueError("p has entries outside [0, 1]")
    if not np.all(np.isclose(np.sum(p, axis=axis), 1.0, rtol=0.0, atol=1e-6)):
        raise ValueError("p must sum to one along the axis")
    if base is not None and not (float(base) > 0 and float(base) != 1.0):
        raise ValueError("base should be positive and not 1")
    with np.errstate(divide="ignore", invalid="ignore"):
        nats = -np.nansum(p * np.log(p), axis=axis)
    return nats if base is None else nats / np.log(base)
''',
        "axis moved to the end, einsum over the outcomes": '''
def entropy(p, base=None, axis=-1):
    p = np.moveaxis(np.asarray(p, dtype=float), axis, -1)
    if not ((p >= 0) & (p <= 1)).all():
        raise ValueError(f"p must contain probabilities, got {p}")
    total = p.sum(axis=-1)
    if (np.abs(total - 1.0) > 1e-6).any():
        raise ValueError(f"p must be normalised, its sums are {total}")
    if base is not None and (base <= 0 or base == 1):
        raise ValueError(f"base={base} is not a valid logarithm base")
    safe = np.where(p > 0, p, 1.0)
    h = -np.einsum("...k,...k->...", p, np.log(safe))
    return h / np.log(base) if base is not None else h
''',
        "numpy masked array: the log of 0 is masked, then filled with 0": '''
def entropy(p, base=None, axis=-1):
    p = np.asarray(p, dtype=float)
    if not np.all((p >= 0) & (p <= 1)) or not np.all(np.abs(np.sum(p, axis=axis) - 1) <= 1e-6):
        raise ValueError("p is not a probability distribution")
    if base is not None and (base <= 0 or base == 1):
        raise ValueError("base must be positive and different from 1")
    log_p = np.ma.log(p).filled(0.0)
    h = -np.sum(p * log_p, axis=axis)
    if base is None:
        return h
    return h / np.log(base)
''',
    },
    "cross_entropy_dist": {
        "scipy.special.xlogy (0 log 0 = 0, log 0 = -inf)": '''
from scipy import special


def cross_entropy_dist(p, q, base=None, axis=-1):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    if p.shape != q.shape:
        raise ValueError(f"p and q differ in shape: {p.shape} vs {q.shape}")
    for name, d in (("p", p), ("q", q)):
        if not np.all((d >= 0) & (d <= 1)) or not np.allclose(d.sum(axis=axis), 1, rtol=0, atol=1e-6):
            raise ValueError(f"{name} is not a distribution along axis {axis}")
    if base is not None and (base <= 0 or base == 1):
        raise ValueError("bad base")
    h = -special.xlogy(p, q).sum(axis=axis)
    return h if base is None else h / np.log(base)
''',
        "H(p) + KL(p ‖ q) with scipy.special.entr and rel_entr": '''
from scipy.special import entr, rel_entr


def cross_entropy_dist(p, q, base=None, axis=-1):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if np.shape(p) != np.shape(q):
        raise ValueError("p and q must be the same shape")
    if np.isnan(p).any() or p.min() < 0 or p.max() > 1 or np.any(np.abs(p.sum(axis) - 1) > 1e-6):
        raise ValueError("invalid p")
    if np.isnan(q).any() or q.min() < 0 or q.max() > 1 or np.any(np.abs(q.sum(axis) - 1) > 1e-6):
        raise ValueError("invalid q")
    if base is not None and (base <= 0 or base == 1):
        raise ValueError("invalid base")
    h = entr(p).sum(axis=axis) + rel_entr(p, q).sum(axis=axis)
    return h / np.log(base) if base else h
''',
        "values validated before shapes, np.where masking of -p log q": '''
def cross_entropy_dist(p, q, base=None, axis=-1):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if base is not None and (base <= 0 or base == 1):
        raise ValueError("the base of the logarithm must be positive and not 1")
    for label, dist in (("p", p), ("q", q)):
        if np.any(~((dist >= 0) & (dist <= 1))):
            raise ValueError(f"{label} holds a value that is not a probability")
        if np.any(~np.isclose(np.sum(dist, axis=axis), 1.0, rtol=0.0, atol=1e-6)):
            raise ValueError(f"{label} does not sum to 1")
    if p.shape != q.shape:
        raise ValueError(f"shape mismatch between p {p.shape} and q {q.shape}")
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log(q), 0.0)
    total = terms.sum(axis=axis)
    if base is not None:
        total = total / np.log(base)
    return total
''',
        "dtype-preserving, log taken with where= and out=": '''
def cross_entropy_dist(p, q, base=None, axis=-1):
    p, q = np.asarray(p), np.asarray(q)
    if p.shape != q.shape:
        raise ValueError("p and q: shapes must match")
    dtype = np.result_type(p.dtype, q.dtype, np.float32)
    p, q = p.astype(dtype), q.astype(dtype)
    if not np.all((p >= 0) & (p <= 1)) or np.any(np.abs(p.sum(axis=axis) - 1) > 1e-6):
        raise ValueError("p must be a probability vector")
    if not np.all((q >= 0) & (q <= 1)) or np.any(np.abs(q.sum(axis=axis) - 1) > 1e-6):
        raise ValueError("q must be a probability vector")
    if base is not None and (base <= 0 or base == 1):
        raise ValueError("base must be a positive number other than 1")
    log_q = np.full_like(q, -np.inf)
    np.log(q, where=q > 0, out=log_q)
    log_q = np.where(p > 0, log_q, 0.0)
    h = -np.sum(p * log_q, axis=axis)
    return h if base is None else h / np.log(base)
''',
    },
    "kl_divergence": {
        "scipy.special.rel_entr, summed": '''
from scipy import special


def kl_divergence(p, q, base=None, axis=-1):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same shape, not {p.shape} and {q.shape}")
    for name, d in (("p", p), ("q", q)):
        if not np.all((d >= 0) & (d <= 1)):
            raise ValueError(f"{name} must lie in [0, 1]")
        if not np.allclose(d.sum(axis=axis), 1.0, rtol=0.0, atol=1e-6):
            raise ValueError(f"{name} must sum to 1")
    if base is not None and (base <= 0 or base == 1):
        raise ValueError("base is invalid")
    kl = special.rel_entr(p, q).sum(axis=axis)
    return kl if base is None else kl / np.log(base)
''',
        "cross-entropy minus entropy, both with scipy.special.xlogy": '''
from scipy.special import xlogy


def kl_divergence(p, q, base=None, axis=-1):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if p.shape != q.shape:
        raise ValueError("shapes of p and q differ")
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any() or (abs(p.sum(axis=axis) - 1) > 1e-6).any():
        raise ValueError("p is not a distribution")
    if np.isnan(q).any() or (q < 0).any() or (q > 1).any() or (abs(q.sum(axis=axis) - 1) > 1e-6).any():
        raise ValueError("q is not a distribution")
    if base is not None and (base <= 0 or base == 1):
        raise ValueError("base: must be positive, not 1")
    kl = xlogy(p, p).sum(axis=axis) - xlogy(p, q).sum(axis=axis)
    if base is not None:
        kl = kl / np.log(base)
    return kl
''',
        "log p - log q where p > 0, base validated first": '''
def kl_divergence(p, q, base=None, axis=-1):
    if base is not None and (base <= 0 or base == 1):
        raise ValueError(f"base = {base} cannot be a logarithm base")
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    if p.shape != q.shape:
        raise ValueError(f"p.shape = {p.shape} but q.shape = {q.shape}")
    for name, d in [("p", p), ("q", q)]:
        ok = np.all((d >= 0) & (d <= 1)) and np.all(np.isclose(d.sum(axis=axis), 1, rtol=0, atol=1e-6))
        if not ok:
            raise ValueError(f"{name} is not a probability distribution along axis {axis}")
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(p) - np.log(q)), 0.0)
    kl = np.sum(terms, axis=axis)
    return kl if base is None else kl / np.log(base)
''',
        "scipy.special.kl_div (p log(p / q) - p + q), which sums to KL for normalised rows": '''
from scipy import special


def kl_divergence(p, q, base=None, axis=-1):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    if p.shape != q.shape:
        raise ValueError("p and q must match in shape")
    if not ((p >= 0) & (p <= 1)).all() or not np.allclose(p.sum(axis=axis), 1, rtol=0, atol=1e-6):
        raise ValueError("p must be a probability distribution")
    if not ((q >= 0) & (q <= 1)).all() or not np.allclose(q.sum(axis=axis), 1, rtol=0, atol=1e-6):
        raise ValueError("q must be a probability distribution")
    if base is not None and not (base > 0 and base != 1):
        raise ValueError("base must be positive and not 1")
    kl = special.kl_div(p, q).sum(axis=axis)
    return kl if base is None else kl / np.log(base)
''',
        "dtype-preserving (float32 stays float32), ratio with where=": '''
def kl_divergence(p, q, base=None, axis=-1):
    p, q = np.asarray(p), np.asarray(q)
    if p.shape != q.shape:
        raise ValueError(f"p {p.shape} and q {q.shape} must have one shape")
    dtype = np.result_type(p.dtype, q.dtype, np.float32)
    p, q = p.astype(dtype), q.astype(dtype)
    for name, d in (("p", p), ("q", q)):
        if np.any(np.isnan(d)) or np.any(d < 0) or np.any(d > 1):
            raise ValueError(f"{name} has entries outside [0, 1]")
        if np.any(np.abs(np.sum(d, axis=axis) - 1) > 1e-6):
            raise ValueError(f"{name} must sum to 1 along axis {axis}")
    if base is not None and (base <= 0 or base == 1):
        raise ValueError("base must be positive and not equal to 1")
    ratio = np.ones_like(p)
    with np.errstate(divide="ignore"):
        np.divide(p, q, where=p > 0, out=ratio)
    kl = np.sum(p * np.log(ratio), axis=axis)
    return kl if base is None else kl / np.log(base)
''',
    },
    "gaussian_kl": {
        "in variances: 0.5 (log(v2 / v1) + (v1 + d^2) / v2 - 1)": '''
def gaussian_kl(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = (np.asarray(a, dtype=float) for a in (mu1, sigma1, mu2, sigma2))
    if np.any(sigma1 <= 0):
        raise ValueError("sigma1 must be > 0")
    if np.any(sigma2 <= 0):
        raise ValueError("sigma2 must be > 0")
    v1, v2 = sigma1**2, sigma2**2
    return 0.5 * (np.log(v2 / v1) + (v1 + (mu1 - mu2) ** 2) / v2 - 1.0)
''',
        "as torch.distributions computes KL(Normal ‖ Normal): var_ratio and t1": '''
def gaussian_kl(mu1, sigma1, mu2, sigma2):
    mu1 = np.asarray(mu1, dtype=float)
    sigma1 = np.asarray(sigma1, dtype=float)
    mu2 = np.asarray(mu2, dtype=float)
    sigma2 = np.asarray(sigma2, dtype=float)
    if (sigma1 <= 0).any():
        raise ValueError(f"sigma1 = {sigma1} is not a positive standard deviation")
    if (sigma2 <= 0).any():
        raise ValueError(f"sigma2 = {sigma2} is not a positive standard deviation")
    var_ratio = (sigma1 / sigma2) ** 2
    t1 = ((mu1 - mu2) / sigma2) ** 2
    return 0.5 * (var_ratio + t1 - 1 - np.log(var_ratio))
''',
        "from log-variances, sigma2 validated before sigma1": '''
def gaussian_kl(mu1, sigma1, mu2, sigma2):
    sigma1, sigma2 = np.asarray(sigma1, dtype=float), np.asarray(sigma2, dtype=float)
    if not np.all(sigma2 > 0):
        raise ValueError("sigma2: standard deviations must be positive")
    if not np.all(sigma1 > 0):
        raise ValueError("sigma1: standard deviations must be positive")
    mu1, mu2 = np.asarray(mu1, dtype=float), np.asarray(mu2, dtype=float)
    log_var1, log_var2 = 2 * np.log(sigma1), 2 * np.log(sigma2)
    return 0.5 * (log_var2 - log_var1 + np.exp(log_var1 - log_var2) + (mu1 - mu2) ** 2 * np.exp(-log_var2) - 1)
''',
        "log(sigma2) - log(sigma1), np.square, one message naming the failing sigma": '''
def gaussian_kl(mu1, sigma1, mu2, sigma2):
    args = {"mu1": mu1, "sigma1": sigma1, "mu2": mu2, "sigma2": sigma2}
    args = {k: np.asarray(v, dtype=float) for k, v in args.items()}
    for name in ("sigma1", "sigma2"):
        if np.any(args[name] <= 0):
            raise ValueError(f"{name} must be strictly positive (it is a standard deviation)")
    m1, s1, m2, s2 = args["mu1"], args["sigma1"], args["mu2"], args["sigma2"]
    return np.log(s2) - np.log(s1) + (np.square(s1) + np.square(m1 - m2)) / (2 * np.square(s2)) - 0.5
''',
        "both sigmas checked at once, the message naming every invalid one": '''
def gaussian_kl(mu1, sigma1, mu2, sigma2):
    mu1, sigma1, mu2, sigma2 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (mu1, sigma1, mu2, sigma2)))
    bad = [name for name, s in (("sigma1", sigma1), ("sigma2", sigma2)) if np.any(s <= 0)]
    if bad:
        raise ValueError(f"non-positive standard deviation: {', '.join(bad)}")
    ratio = sigma1 / sigma2
    kl = -np.log(ratio) + 0.5 * ratio**2 + 0.5 * ((mu1 - mu2) / sigma2) ** 2 - 0.5
    return kl if kl.ndim else kl[()]
''',
    },
}
