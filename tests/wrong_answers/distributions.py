"""Plausible wrong answers for Lab 1 (01_distributions): the mistakes in CONTENT.md and a few more."""

LAB = "01_distributions"

_CHECK_SIGMA = """
    sigma = np.asarray(sigma, dtype=float)
    if np.any(sigma <= 0):
        raise ValueError("sigma must be positive")
"""

_CHECK_K_P = """
    k = np.asarray(k)
    p = np.asarray(p, dtype=float)
    if not np.all((k == 0) | (k == 1)):
        raise ValueError("k must be 0 or 1")
    if not np.all((p >= 0) & (p <= 1)):
        raise ValueError("p must lie in [0, 1]")
"""

_CHECK_A_B = """
    if np.any(np.asarray(a) >= np.asarray(b)):
        raise ValueError("need a < b")
"""

_CHECK_PROBS = """
    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 1 or np.any(probs < 0) or abs(probs.sum() - 1) > 1e-8:
        raise ValueError("probs must be a 1-D probability vector")
    if not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError("n must be a non-negative integer")
"""


def _gaussian(body: str, check: str = _CHECK_SIGMA) -> str:
    return f"def gaussian_log_pdf(x, mu=0.0, sigma=1.0):{check}    x = np.asarray(x, dtype=float)\n{body}\n"


def _bernoulli(body: str, check: str = _CHECK_K_P) -> str:
    return f"def bernoulli_log_pmf(k, p):{check}{body}\n"


def _uniform(body: str, check: str = _CHECK_A_B) -> str:
    return f"def uniform_cdf(x, a, b):{check}    x = np.asarray(x, dtype=float)\n{body}\n"


def _softmax(body: str) -> str:
    return f"def softmax(logits, axis=-1):\n    z = np.asarray(logits, dtype=float)\n{body}\n"


def _sampler(body: str, check: str = _CHECK_PROBS) -> str:
    return f"def sample_categorical(probs, n, rng):{check}{body}\n"


WRONG = {
    "gaussian_log_pdf": {
        "log of the density: -inf in the tails": _gaussian(
            "    return np.log(np.exp(-(x - mu) ** 2 / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.pi)))"),
        "sigma used as the variance": _gaussian(
            "    return -0.5 * np.log(2 * np.pi * sigma) - (x - mu) ** 2 / (2 * sigma)"),
        "returns the density, not its log": _gaussian(
            "    return np.exp(-(x - mu) ** 2 / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.pi))"),
        "missing the -log(sigma) term": _gaussian(
            "    return -0.5 * np.log(2 * np.pi) - (x - mu) ** 2 / (2 * sigma**2)"),
        "missing the 1/2 in the exponent": _gaussian(
            "    return -0.5 * np.log(2 * np.pi) - np.log(sigma) - (x - mu) ** 2 / sigma**2"),
        "no ValueError for sigma <= 0": _gaussian(
            "    return -0.5 * np.log(2 * np.pi) - np.log(sigma) - (x - mu) ** 2 / (2 * sigma**2)", check="\n"),
        "sign error in the exponent": _gaussian(
            "    return -0.5 * np.log(2 * np.pi) - np.log(sigma) + (x - mu) ** 2 / (2 * sigma**2)"),
        "no np.asarray: a list x raises TypeError": (
            "def gaussian_log_pdf(x, mu=0.0, sigma=1.0):\n"
            "    if np.any(np.asarray(sigma) <= 0):\n        raise ValueError('sigma must be positive')\n"
            "    return -0.5 * np.log(2 * np.pi) - np.log(sigma) - (x - mu) ** 2 / (2 * sigma**2)\n"),
        "math.log: array sigma raises TypeError": (
            "import math\n\ndef gaussian_log_pdf(x, mu=0.0, sigma=1.0):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    if np.any(np.asarray(sigma) <= 0):\n        raise ValueError('sigma must be positive')\n"
            "    return -0.5 * math.log(2 * math.pi) - math.log(sigma) - (x - mu) ** 2 / (2 * sigma**2)\n"),
        "x converted, a list sigma not": (
            "def gaussian_log_pdf(x, mu=0.0, sigma=1.0):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    if np.any(np.asarray(sigma) <= 0):\n        raise ValueError('sigma must be positive')\n"
            "    return -0.5 * np.log(2 * np.pi) - np.log(sigma) - (x - mu) ** 2 / (2 * sigma**2)\n"),
    },
    "bernoulli_log_pmf": {
        "clips p with eps (the draft)": _bernoulli(
            "    p = np.clip(p, 1e-10, 1 - 1e-10)\n    return k * np.log(p) + (1 - k) * np.log(1 - p)"),
        "literal formula: 0 * log 0 is nan": _bernoulli(
            "    return k * np.log(p) + (1 - k) * np.log(1 - p)"),
        "returns the pmf": _bernoulli("    return p**k * (1 - p) ** (1 - k)"),
        "p and 1 - p swapped": _bernoulli(
            "    with np.errstate(divide='ignore'):\n        return np.where(k == 1, np.log1p(-p), np.log(p))"),
        "log(1 - p) instead of log1p(-p)": _bernoulli(
            "    with np.errstate(divide='ignore'):\n        return np.where(k == 1, np.log(p), np.log(1 - p))"),
        "k not validated": _bernoulli(
            "    p = np.asarray(p, dtype=float)\n    if np.any((p < 0) | (p > 1)):\n        raise ValueError('p')\n"
            "    with np.errstate(divide='ignore'):\n        return np.where(k == 1, np.log(p), np.log1p(-p))",
            check="\n"),
        "p not validated": _bernoulli(
            "    k = np.asarray(k)\n    if np.any((k != 0) & (k != 1)):\n        raise ValueError('k')\n"
            "    with np.errstate(divide='ignore', invalid='ignore'):\n"
            "        return np.where(k == 1, np.log(p), np.log1p(-np.asarray(p, dtype=float)))", check="\n"),
        "returns -log P, the loss": _bernoulli(
            "    with np.errstate(divide='ignore'):\n        return -np.where(k == 1, np.log(p), np.log1p(-p))"),
        "the (1 - k) factor dropped": _bernoulli("    return k * np.log(p) + np.log1p(-p)"),
        "no np.asarray: lists rejected as invalid k": _bernoulli(
            "    if np.any((k != 0) & (k != 1)):\n        raise ValueError('k must be 0 or 1')\n"
            "    if np.any((p < 0) | (p > 1)):\n        raise ValueError('p must lie in [0, 1]')\n"
            "    with np.errstate(divide='ignore'):\n        return np.where(k == 1, np.log(p), np.log1p(-p))",
            check="\n"),
        "rejects boolean k (integer dtype required)": _bernoulli(
            "    if k.dtype == bool:\n        raise ValueError('k must be the integer 0 or 1')\n"
            "    with np.errstate(divide='ignore'):\n        return np.where(k == 1, np.log(p), np.log1p(-p))"),
    },
    "uniform_cdf": {
        "no clipping outside [a, b]": _uniform("    return (x - a) / (b - a)"),
        "divides by b instead of b - a": _uniform("    return np.clip((x - a) / b, 0.0, 1.0)"),
        "the draft's '1 for a > b': never 1 above b": _uniform(
            "    return np.where(x < a, 0.0, np.where(a > b, 1.0, (x - a) / (b - a)))"),
        "a >= b not rejected": _uniform("    return np.clip((x - a) / (b - a), 0.0, 1.0)", check="\n"),
        "a == b accepted": _uniform(
            "    return np.clip((x - a) / (b - a), 0.0, 1.0)",
            check="\n    if np.any(np.asarray(a) > np.asarray(b)):\n        raise ValueError('need a < b')\n"),
        "multiplies by indicators: 0 * inf is nan": _uniform(
            "    return ((x >= a) & (x <= b)) * (x - a) / (b - a) + (x > b)"),
        "0 outside [a, b], like the density": _uniform(
            "    return np.where((x >= a) & (x <= b), (x - a) / (b - a), 0.0)"),
        "no np.asarray: a list x raises TypeError": (
            "def uniform_cdf(x, a, b):" + _CHECK_A_B + "    return np.clip((x - a) / (b - a), 0.0, 1.0)\n"),
        "Python `if a >= b`: arrays a and b raise": _uniform(
            "    return np.clip((x - a) / (b - a), 0.0, 1.0)",
            check="\n    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)\n"
                  "    if a >= b:\n        raise ValueError('need a < b')\n"),
    },
    "softmax": {
        "max and sum over the whole batch (the draft)": _softmax(
            "    e = np.exp(z - np.max(z))\n    return e / e.sum()"),
        "no max subtraction: overflows at large logits": _softmax(
            "    e = np.exp(z)\n    return e / np.sum(e, axis=axis, keepdims=True)"),
        "one global max, per-row sums": _softmax(
            "    e = np.exp(z - np.max(z))\n    return e / np.sum(e, axis=axis, keepdims=True)"),
        "ignores axis": _softmax(
            "    e = np.exp(z - np.max(z, axis=-1, keepdims=True))\n    return e / np.sum(e, axis=-1, keepdims=True)"),
        "not normalised": _softmax("    return np.exp(z - np.max(z, axis=axis, keepdims=True))"),
        "log-softmax instead of softmax": _softmax(
            "    s = z - np.max(z, axis=axis, keepdims=True)\n"
            "    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))"),
        "no keepdims: a batch does not broadcast": _softmax(
            "    e = np.exp(z - np.max(z, axis=axis))\n    return e / np.sum(e, axis=axis)"),
        "no np.asarray: a list has no .max()": (
            "def softmax(logits, axis=-1):\n"
            "    e = np.exp(logits - logits.max(axis=axis, keepdims=True))\n"
            "    return e / e.sum(axis=axis, keepdims=True)\n"),
    },
    "sample_categorical": {
        "searchsorted on probs instead of the CDF": _sampler(
            "    return np.searchsorted(probs, rng.random(n), side='right')"),
        "off by one class": _sampler(
            "    return np.searchsorted(np.cumsum(probs), rng.random(n), side='right') + 1"),
        "returns floats": _sampler(
            "    return np.searchsorted(np.cumsum(probs), rng.random(n), side='right').astype(float)"),
        "ignores probs: uniform classes": _sampler("    return rng.integers(0, probs.size, size=n)"),
        "probs not validated": _sampler(
            "    probs = np.asarray(probs, dtype=float)\n"
            "    return np.searchsorted(np.cumsum(probs), rng.random(n), side='right')", check="\n"),
        "n not validated": _sampler(
            "    probs = np.asarray(probs, dtype=float)\n"
            "    if np.any(probs < 0) or abs(probs.sum() - 1) > 1e-8 or probs.ndim != 1:\n"
            "        raise ValueError('probs')\n"
            "    return np.searchsorted(np.cumsum(probs), rng.random(n), side='right')", check="\n"),
        "isinstance(n, int) rejects np.int64": _sampler(
            "    return np.searchsorted(np.cumsum(probs), rng.random(n), side='right')",
            check=_CHECK_PROBS.replace("(int, np.integer)", "int")),
        "n = 0 rejected": _sampler(
            "    return np.searchsorted(np.cumsum(probs), rng.random(n), side='right')",
            check=_CHECK_PROBS.replace("n < 0", "n <= 0")),
        "one uniform for all n draws": _sampler(
            "    return np.full(n, np.searchsorted(np.cumsum(probs), rng.random(), side='right'))"),
        "the global np.random instead of rng": _sampler(
            "    return np.searchsorted(np.cumsum(probs), np.random.random(n), side='right')"),
        "uniforms sorted first": _sampler(
            "    return np.searchsorted(np.cumsum(probs), np.sort(rng.random(n)), side='right')"),
    },
}
