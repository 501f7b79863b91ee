"""Plausible wrong answers for Lab 5 (05_kl_entropy): the mistakes in CONTENT.md and a few more."""

LAB = "05_kl_entropy"

_CHECK_P = """
    p = np.asarray(p, dtype=float)
    if np.any((p < 0) | (p > 1)) or not np.allclose(np.sum(p, axis=axis), 1.0, atol=1e-6):
        raise ValueError("p must be a probability vector")
    if base is not None and (base <= 0 or base == 1):
        raise ValueError("bad base")
"""

_CHECK_P_Q = """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if p.shape != q.shape:
        raise ValueError("p and q must have the same shape")
    if np.any((p < 0) | (p > 1)) or not np.allclose(np.sum(p, axis=axis), 1.0, atol=1e-6):
        raise ValueError("p must be a probability vector")
    if np.any((q < 0) | (q > 1)) or not np.allclose(np.sum(q, axis=axis), 1.0, atol=1e-6):
        raise ValueError("q must be a probability vector")
    if base is not None and (base <= 0 or base == 1):
        raise ValueError("bad base")
"""

_CHECK_SIGMAS = """
    mu1, sigma1, mu2, sigma2 = (np.asarray(v, dtype=float) for v in (mu1, sigma1, mu2, sigma2))
    if np.any(sigma1 <= 0):
        raise ValueError("sigma1 must be positive")
    if np.any(sigma2 <= 0):
        raise ValueError("sigma2 must be positive")
"""

_IN_BASE = "\n    return h if base is None else h / np.log(base)"


def _entropy(body: str, check: str = _CHECK_P) -> str:
    return f"def entropy(p, base=None, axis=-1):{check}{body}\n"


def _cross(body: str, check: str = _CHECK_P_Q) -> str:
    return f"def cross_entropy_dist(p, q, base=None, axis=-1):{check}{body}\n"


def _kl(body: str, check: str = _CHECK_P_Q) -> str:
    return f"def kl_divergence(p, q, base=None, axis=-1):{check}{body}\n"


def _gaussian(body: str, check: str = _CHECK_SIGMAS) -> str:
    return f"def gaussian_kl(mu1, sigma1, mu2, sigma2):{check}{body}\n"


_KL_EXACT = ("    outside = p == 0\n    with np.errstate(divide='ignore'):\n"
             "        ratio = np.where(outside, 1.0, p) / np.where(outside, 1.0, q)\n")

WRONG = {
    "entropy": {
        "clips p with eps (the draft): 4.7e-9 for a certain outcome": _entropy(
            "    c = np.clip(p, 1e-10, 1 - 1e-10)\n    h = -np.sum(c * np.log(c), axis=axis)" + _IN_BASE),
        "literal -sum p log p: nan where p = 0": _entropy(
            "    h = -np.sum(p * np.log(p), axis=axis)" + _IN_BASE),
        "log2 always: bits by default": _entropy(
            "    h = -np.sum(p * np.log2(np.where(p > 0, p, 1.0)), axis=axis)\n"
            "    return h if base is None else h * np.log(2) / np.log(base)"),
        "multiplies by log(base) instead of dividing": _entropy(
            "    h = -np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=axis)\n"
            "    return h if base is None else h * np.log(base)"),
        "sums over the whole array, ignoring axis": _entropy(
            "    h = -np.sum(p * np.log(np.where(p > 0, p, 1.0)))" + _IN_BASE),
        "renormalises like scipy.stats.entropy instead of raising": _entropy(
            "    p = np.asarray(p, dtype=float)\n    p = p / np.sum(p, axis=axis, keepdims=True)\n"
            "    h = -np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=axis)" + _IN_BASE, check="\n"),
        "sign error: returns sum p log p": _entropy(
            "    h = np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=axis)" + _IN_BASE),
        "forgets the sum: returns -p log p for each outcome": _entropy(
            "    h = -p * np.log(np.where(p > 0, p, 1.0))" + _IN_BASE),
        "literal -sum p log p with the warnings silenced: nan where p = 0": _entropy(
            "    with np.errstate(all='ignore'):\n        h = -np.sum(p * np.log(p), axis=axis)" + _IN_BASE),
        "validates along axis but sums along the last axis": _entropy(
            "    h = -np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=-1)" + _IN_BASE),
        "base ignored": _entropy(
            "    return -np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=axis)"),
        "sum compared with == 1: rounding errors rejected": _entropy(
            "    h = -np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=axis)" + _IN_BASE, check="""
    p = np.asarray(p, dtype=float)
    if np.any((p < 0) | (p > 1)) or np.any(np.sum(p, axis=axis) != 1):
        raise ValueError("p must be a probability vector")
    if base is not None and (base <= 0 or base == 1):
        raise ValueError("bad base")
"""),
        "NaN passes validation: abs(sum - 1) > 1e-6 is False for nan": _entropy(
            "    with np.errstate(invalid='ignore'):\n"
            "        h = -np.sum(p * np.log(np.where(p > 0, p, 1.0)), axis=axis)" + _IN_BASE, check="""
    p = np.asarray(p, dtype=float)
    if np.any((p < 0) | (p > 1)) or np.any(np.abs(np.sum(p, axis=axis) - 1) > 1e-6):
        raise ValueError("p must be a probability vector")
    if base is not None and (base <= 0 or base == 1):
        raise ValueError("bad base")
"""),
        "np.log(p, where=p > 0, out=np.zeros_like(p)) without converting: fails on integers": _entropy(
            "    h = -np.sum(p * np.log(p, where=p > 0, out=np.zeros_like(p)), axis=axis)" + _IN_BASE, check="""
    p = np.asarray(p)
    if np.any((p < 0) | (p > 1)) or not np.allclose(np.sum(p, axis=axis), 1.0, atol=1e-6):
        raise ValueError("p must be a probability vector")
    if base is not None and (base <= 0 or base == 1):
        raise ValueError("bad base")
"""),
    },
    "cross_entropy_dist": {
        "clips q (the draft): finite where the truth is inf": _cross(
            "    h = -np.sum(p * np.log(np.clip(q, 1e-10, 1 - 1e-10)), axis=axis)" + _IN_BASE),
        "adds eps inside the log": _cross(
            "    h = -np.sum(p * np.log(q + 1e-10), axis=axis)" + _IN_BASE),
        "literal -sum p log q: nan where p = q = 0": _cross(
            "    with np.errstate(divide='ignore'):\n        h = -np.sum(p * np.log(q), axis=axis)" + _IN_BASE),
        "arguments swapped: -sum q log p": _cross(
            "    with np.errstate(divide='ignore'):\n"
            "        h = -np.sum(q * np.log(np.where(q > 0, p, 1.0)), axis=axis)" + _IN_BASE),
        "base ignored": _cross(
            "    with np.errstate(divide='ignore'):\n"
            "        return -np.sum(p * np.log(np.where(p > 0, q, 1.0)), axis=axis)"),
        "no shape check: (3,) against (3, 1) broadcasts": _cross(
            "    p = np.asarray(p, dtype=float)\n    q = np.asarray(q, dtype=float)\n"
            "    for name, d in (('p', p), ('q', q)):\n"
            "        if np.any((d < 0) | (d > 1)) or not np.allclose(np.sum(d, axis=axis), 1.0, atol=1e-6):\n"
            "            raise ValueError(name)\n"
            "    with np.errstate(divide='ignore'):\n"
            "        h = -np.sum(p * np.log(np.where(p > 0, q, 1.0)), axis=axis)" + _IN_BASE, check="\n"),
        "returns the KL divergence instead": _cross(
            "    with np.errstate(divide='ignore'):\n"
            "        h = np.sum(p * np.log(np.where(p > 0, p, 1.0) / np.where(p > 0, q, 1.0)), axis=axis)"
            + _IN_BASE),
        "forgets the sum: returns -p log q for each outcome": _cross(
            "    with np.errstate(divide='ignore'):\n"
            "        h = -p * np.log(np.where(p > 0, q, 1.0))" + _IN_BASE),
        "sign error: returns sum p log q": _cross(
            "    with np.errstate(divide='ignore'):\n"
            "        h = np.sum(p * np.log(np.where(p > 0, q, 1.0)), axis=axis)" + _IN_BASE),
        "log2 always: bits by default": _cross(
            "    with np.errstate(divide='ignore'):\n"
            "        h = -np.sum(p * np.log2(np.where(p > 0, q, 1.0)), axis=axis)\n"
            "    return h if base is None else h * np.log(2) / np.log(base)"),
        "sums over the whole array, ignoring axis": _cross(
            "    with np.errstate(divide='ignore'):\n"
            "        h = -np.sum(p * np.log(np.where(p > 0, q, 1.0)))" + _IN_BASE),
        "validates along axis but sums along the last axis": _cross(
            "    with np.errstate(divide='ignore'):\n"
            "        h = -np.sum(p * np.log(np.where(p > 0, q, 1.0)), axis=-1)" + _IN_BASE),
    },
    "kl_divergence": {
        "arguments swapped: returns KL(q ‖ p)": _kl(
            "    outside = q == 0\n    with np.errstate(divide='ignore'):\n"
            "        ratio = np.where(outside, 1.0, q) / np.where(outside, 1.0, p)\n"
            "    h = np.sum(q * np.log(ratio), axis=axis)" + _IN_BASE),
        "clips p and q (the draft): 10.82 instead of inf": _kl(
            "    pc, qc = np.clip(p, 1e-10, 1 - 1e-10), np.clip(q, 1e-10, 1 - 1e-10)\n"
            "    h = np.sum(pc * np.log(pc / qc), axis=axis)" + _IN_BASE),
        "literal sum p log(p / q): nan where p = 0": _kl(
            "    with np.errstate(divide='ignore', invalid='ignore'):\n"
            "        h = np.sum(p * np.log(p / q), axis=axis)" + _IN_BASE),
        "log2 always: bits by default": _kl(
            _KL_EXACT + "    h = np.sum(p * np.log2(ratio), axis=axis)\n"
            "    return h if base is None else h * np.log(2) / np.log(base)"),
        "q not validated": _kl(
            "    p = np.asarray(p, dtype=float)\n    q = np.asarray(q, dtype=float)\n"
            "    if p.shape != q.shape:\n        raise ValueError('p and q must have the same shape')\n"
            "    if np.any((p < 0) | (p > 1)) or not np.allclose(np.sum(p, axis=axis), 1.0, atol=1e-6):\n"
            "        raise ValueError('p must be a probability vector')\n"
            + _KL_EXACT + "    h = np.sum(p * np.log(ratio), axis=axis)" + _IN_BASE, check="\n"),
        "scipy.stats.entropy: renormalises, no ValueError": _kl(
            "    from scipy import stats\n"
            "    return stats.entropy(p, q, base=base, axis=axis)", check="\n"),
        "sums over the whole array, ignoring axis": _kl(
            _KL_EXACT + "    h = np.sum(p * np.log(ratio))" + _IN_BASE),
        "forgets the sum: returns p log(p / q) for each outcome": _kl(
            _KL_EXACT + "    h = p * np.log(ratio)" + _IN_BASE),
        "sign error: returns sum p log(q / p)": _kl(
            _KL_EXACT + "    h = np.sum(p * np.log(1.0 / ratio), axis=axis)" + _IN_BASE),
        "adds eps to q: log(p / (q + 1e-10)), p = 0 terms skipped": _kl(
            "    h = np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / (q + 1e-10)), 0.0), axis=axis)"
            + _IN_BASE),
        "returns the cross-entropy H(p, q) instead": _kl(
            "    with np.errstate(divide='ignore'):\n"
            "        h = -np.sum(p * np.log(np.where(p > 0, q, 1.0)), axis=axis)" + _IN_BASE),
        "clips q only, to [1e-10, 1 - 1e-10]": _kl(
            "    qc = np.clip(q, 1e-10, 1 - 1e-10)\n"
            "    h = np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / qc), 0.0), axis=axis)" + _IN_BASE),
        "clips p and q with the float64 eps: finite where the truth is inf": _kl(
            "    eps = np.finfo(float).eps\n"
            "    pc, qc = np.clip(p, eps, 1 - eps), np.clip(q, eps, 1 - eps)\n"
            "    h = np.sum(pc * np.log(pc / qc), axis=axis)" + _IN_BASE),
        "np.isclose(q, 0) taken for q = 0: a tiny q gives inf": _kl(
            "    zero = np.isclose(q, 0.0) & (p > 0)\n"
            "    with np.errstate(divide='ignore'):\n"
            "        ratio = np.where(p == 0, 1.0, p) / np.where(p == 0, 1.0, np.where(zero, 0.0, q))\n"
            "    h = np.sum(p * np.log(ratio), axis=axis)" + _IN_BASE),
        "validates along axis but sums along the last axis": _kl(
            _KL_EXACT + "    h = np.sum(p * np.log(ratio), axis=-1)" + _IN_BASE),
        "base ignored": _kl(
            _KL_EXACT + "    return np.sum(p * np.log(ratio), axis=axis)"),
    },
    "gaussian_kl": {
        "sigma used as the variance": _gaussian(
            "    return 0.5 * np.log(sigma2 / sigma1) + (sigma1 + (mu1 - mu2) ** 2) / (2 * sigma2) - 0.5"),
        "arguments swapped: KL(q ‖ p)": _gaussian(
            "    return np.log(sigma1 / sigma2) + (sigma2**2 + (mu1 - mu2) ** 2) / (2 * sigma1**2) - 0.5"),
        "missing the -1/2": _gaussian(
            "    return np.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2)"),
        "log ratio upside down": _gaussian(
            "    return np.log(sigma1 / sigma2) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2) - 0.5"),
        "missing the 2 in the denominator": _gaussian(
            "    return np.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2) ** 2) / sigma2**2 - 0.5"),
        "no ValueError for sigma <= 0": _gaussian(
            "    mu1, sigma1, mu2, sigma2 = (np.asarray(v, dtype=float) for v in (mu1, sigma1, mu2, sigma2))\n"
            "    return np.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2) - 0.5",
            check="\n"),
        "message does not say which sigma": _gaussian(
            "    mu1, sigma1, mu2, sigma2 = (np.asarray(v, dtype=float) for v in (mu1, sigma1, mu2, sigma2))\n"
            "    if np.any(sigma1 <= 0) or np.any(sigma2 <= 0):\n"
            "        raise ValueError('sigma must be positive')\n"
            "    return np.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2) - 0.5",
            check="\n"),
        "math.log: numbers only, fails on arrays": _gaussian(
            "    import math\n"
            "    return math.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2) - 0.5",
            check="""
    if np.any(np.asarray(sigma1) <= 0):
        raise ValueError("sigma1 must be positive")
    if np.any(np.asarray(sigma2) <= 0):
        raise ValueError("sigma2 must be positive")
"""),
        "sigma2 ** -2 on the inputs as given: fails on NumPy integers": _gaussian(
            "    return np.log(sigma2 / sigma1) + 0.5 * (sigma1**2 + (mu1 - mu2) ** 2) * sigma2**-2 - 0.5", check="""
    if np.any(np.asarray(sigma1) <= 0):
        raise ValueError("sigma1 must be positive")
    if np.any(np.asarray(sigma2) <= 0):
        raise ValueError("sigma2 must be positive")
    mu1, sigma1, mu2, sigma2 = (np.asarray(v) if isinstance(v, list) else v for v in (mu1, sigma1, mu2, sigma2))
"""),
        "if sigma1 <= 0 on an array: numpy's ambiguous-truth ValueError names no sigma": _gaussian(
            "    return np.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2) - 0.5", check="""
    mu1, sigma1, mu2, sigma2 = (np.asarray(v, dtype=float) for v in (mu1, sigma1, mu2, sigma2))
    if sigma1 <= 0:
        raise ValueError("sigma1 must be positive")
    if sigma2 <= 0:
        raise ValueError("sigma2 must be positive")
"""),
        "sigma2 not validated": _gaussian(
            "    return np.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2) - 0.5", check="""
    mu1, sigma1, mu2, sigma2 = (np.asarray(v, dtype=float) for v in (mu1, sigma1, mu2, sigma2))
    if np.any(sigma1 <= 0):
        raise ValueError("sigma1 must be positive")
"""),
        "symmetrised: the mean of KL(p ‖ q) and KL(q ‖ p)": _gaussian(
            "    forward = np.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2) - 0.5\n"
            "    reverse = np.log(sigma1 / sigma2) + (sigma2**2 + (mu1 - mu2) ** 2) / (2 * sigma1**2) - 0.5\n"
            "    return 0.5 * (forward + reverse)"),
    },
}
