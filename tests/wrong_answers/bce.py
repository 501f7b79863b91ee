"""Plausible wrong answers for Lab 6 (06_bce): the mistakes in CONTENT.md (missing (1 - y) term, naive sigmoid
overflowing, eps too small for float32, wrong reduction) and a few more; together they make every hint of
helpers/checks/bce.py fire (tests/test_bce_checks.py)."""

LAB = "06_bce"

_REDUCE = """
    if reduction == "none":
        return losses
    return np.sum(losses) if reduction == "sum" else np.mean(losses)
"""

_CHECK_REDUCTION = """
    if reduction not in ("mean", "sum", "none"):
        raise ValueError("reduction must be 'mean', 'sum' or 'none'")
"""

_CHECK_PROB = """
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(y_prob, dtype=float)
    if y.shape != p.shape:
        raise ValueError("y_true and y_prob must have the same shape")
    if np.any((y < 0) | (y > 1)) or np.any(np.isnan(y)):
        raise ValueError("y_true must lie in [0, 1]")
    if np.any((p < 0) | (p > 1)) or np.any(np.isnan(p)):
        raise ValueError("y_prob must lie in [0, 1]")
"""

_CHECK_LOGITS = """
    y = np.asarray(y_true, dtype=float)
    z = np.asarray(logits, dtype=float)
    if y.shape != z.shape:
        raise ValueError("y_true and logits must have the same shape")
    if not np.all((y >= 0) & (y <= 1)):
        raise ValueError("y_true must lie in [0, 1]")
"""

_CLAMPED_LOGS = """
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), -100.0)
        log_not_p = np.maximum(np.log1p(-p), -100.0)
"""


def _sigmoid(body: str) -> str:
    return f"def sigmoid(z):\n    z = np.asarray(z, dtype=float)\n{body}\n"


def _bce(body: str, check: str = _CHECK_REDUCTION + _CHECK_PROB, reduce: str = _REDUCE) -> str:
    return f"def binary_cross_entropy(y_true, y_prob, reduction='mean'):{check}{body}{reduce}"


def _logits(body: str, check: str = _CHECK_REDUCTION + _CHECK_LOGITS, reduce: str = _REDUCE) -> str:
    return f"def binary_cross_entropy_with_logits(y_true, logits, reduction='mean'):{check}{body}{reduce}"


def _grad(body: str, check: str = _CHECK_LOGITS) -> str:
    return f"def bce_grad_logits(y_true, logits):{check}{body}\n"


_CHECK_LOGITS_NO_NAN = _CHECK_LOGITS.replace("if not np.all((y >= 0) & (y <= 1))", "if np.any((y < 0) | (y > 1))")

_STABLE = "    losses = np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))\n"

WRONG = {
    "sigmoid": {
        "naive 1 / (1 + exp(-z)): overflow warning at z = -1000": _sigmoid("    return 1 / (1 + np.exp(-z))"),
        "exp(z) / (1 + exp(z)): nan at z = 1000": _sigmoid("    return np.exp(z) / (1 + np.exp(z))"),
        "np.where with two unsafe branches: overflow warning": _sigmoid(
            "    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))"),
        "1 - sigma(|z|) for negative z: 0 instead of tiny values": _sigmoid(
            "    positive = 1 / (1 + np.exp(-np.abs(z)))\n    return np.where(z >= 0, positive, 1 - positive)"),
        "tanh form: loses relative precision for negative z": _sigmoid("    return 0.5 * (1 + np.tanh(z / 2))"),
        "sign error: computes sigma(-z)": _sigmoid(
            "    small = np.exp(-np.abs(z))\n"
            "    return np.where(z >= 0, small / (1 + small), 1 / (1 + small))"),
        "silences the overflow with np.errstate: nan at z = 1000": _sigmoid(
            "    with np.errstate(over='ignore', invalid='ignore'):\n"
            "        return np.exp(z) / (1 + np.exp(z))"),
        "fills np.empty_like(z): integer inputs give integer results": (
            "def sigmoid(z):\n    z = np.asarray(z)\n    out = np.empty_like(z)\n    positive = z >= 0\n"
            "    out[positive] = 1 / (1 + np.exp(-z[positive]))\n"
            "    out[~positive] = np.exp(z[~positive]) / (1 + np.exp(z[~positive]))\n    return out\n"),
    },
    "binary_cross_entropy": {
        "missing the (1 - y) log(1 - p) term": _bce(_CLAMPED_LOGS + "    losses = -(y * log_p)\n"),
        "the draft's clip with 1e-10: nan in float32, 23.03 instead of 100": _bce(
            "    p = np.asarray(y_prob)\n    p = np.clip(p, 1e-10, 1 - 1e-10)\n"
            "    losses = -(y * np.log(p) + (1 - y) * np.log(1 - p))\n"),
        "clip with float32 eps instead of the clamp at -100": _bce(
            "    eps = np.finfo(np.float32).eps\n    p = np.clip(p, eps, 1 - eps)\n"
            "    losses = -(y * np.log(p) + (1 - y) * np.log1p(-p))\n"),
        "no clamp: inf and nan (0 * log 0) at the boundary": _bce(
            "    with np.errstate(divide='ignore', invalid='ignore'):\n"
            "        losses = -(y * np.log(p) + (1 - y) * np.log1p(-p))\n"),
        "'mean' sums": _bce(
            _CLAMPED_LOGS + "    losses = -(y * log_p + (1 - y) * log_not_p)\n",
            reduce="    return losses if reduction == 'none' else np.sum(losses)\n"),
        "'mean' averages along the last axis only": _bce(
            _CLAMPED_LOGS + "    losses = -(y * log_p + (1 - y) * log_not_p)\n",
            reduce="    if reduction == 'none':\n        return losses\n"
                   "    return np.sum(losses) if reduction == 'sum' else np.mean(losses, axis=-1)\n"),
        "no shape check: (N,) against (N, 1) broadcasts": _bce(
            _CLAMPED_LOGS + "    losses = -(y * log_p + (1 - y) * log_not_p)\n",
            check=_CHECK_REDUCTION + _CHECK_PROB.replace("y.shape != p.shape", "y.ndim > 2")),
        "log2 instead of the natural log": _bce(
            "    with np.errstate(divide='ignore'):\n"
            "        log_p = np.maximum(np.log2(p), -100.0)\n"
            "        log_not_p = np.maximum(np.log1p(-p) / np.log(2), -100.0)\n"
            "    losses = -(y * log_p + (1 - y) * log_not_p)\n"),
        "no minus sign: the log-likelihood, not its negative": _bce(
            _CLAMPED_LOGS + "    losses = y * log_p + (1 - y) * log_not_p\n"),
        "hard labels only: picks a term by y == 1": _bce(
            _CLAMPED_LOGS + "    losses = np.where(y == 1, -log_p, -log_not_p)\n"),
        "scipy xlogy / xlog1py without a clamp: inf for a certain, wrong prediction": (
            "from scipy import special\n\n\n" + _bce(
                "    losses = -(special.xlogy(y, p) + special.xlog1py(1 - y, -p))\n")),
        "replaces log 0 by -100 only where p == 0: p = 1e-50 costs 115": _bce(
            "    with np.errstate(divide='ignore'):\n"
            "        log_p = np.where(p == 0, -100.0, np.log(p))\n"
            "        log_not_p = np.where(p == 1, -100.0, np.log1p(-p))\n"
            "    losses = -(y * log_p + (1 - y) * log_not_p)\n"),
        "clamped, but log(1 - p) instead of log1p(-p)": _bce(
            "    with np.errstate(divide='ignore'):\n"
            "        log_p = np.maximum(np.log(p), -100.0)\n        log_not_p = np.maximum(np.log(1 - p), -100.0)\n"
            "    losses = -(y * log_p + (1 - y) * log_not_p)\n"),
        "nan slips through (y < 0) | (y > 1)": _bce(
            _CLAMPED_LOGS + "    losses = -(y * log_p + (1 - y) * log_not_p)\n",
            check=_CHECK_REDUCTION + _CHECK_PROB.replace(" or np.any(np.isnan(y))", "")
                                                .replace(" or np.any(np.isnan(p))", "")),
    },
    "binary_cross_entropy_with_logits": {
        "through the sigmoid: log(1 - sigma(z)) is -inf at z = 1000": _logits(
            "    p = 1 / (1 + np.exp(-np.abs(z)))\n    p = np.where(z >= 0, p, 1 - p)\n"
            "    losses = -(y * np.log(p) + (1 - y) * np.log(1 - p))\n"),
        "sigmoid then clip with 1e-7: 16.1 instead of 1000": _logits(
            "    small = np.exp(-np.abs(z))\n    p = np.where(z >= 0, 1 / (1 + small), small / (1 + small))\n"
            "    p = np.clip(p, 1e-7, 1 - 1e-7)\n    losses = -(y * np.log(p) + (1 - y) * np.log1p(-p))\n"),
        "(1 - y) z + log(1 + exp(-z)) without |z|: overflows at z = -1000": _logits(
            "    losses = (1 - y) * z + np.log1p(np.exp(-z))\n"),
        "missing the (1 - y) term: -y log sigma(z)": _logits(
            "    losses = y * (np.maximum(-z, 0.0) + np.log1p(np.exp(-np.abs(z))))\n"),
        "sign error in the z y term": _logits(
            "    losses = np.maximum(z, 0.0) + z * y + np.log1p(np.exp(-np.abs(z)))\n"),
        "hard labels only: picks a term by y == 1": _logits(
            "    softplus = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))\n"
            "    losses = np.where(y == 1, softplus - z, softplus)\n"),
        "'mean' sums": _logits(_STABLE, reduce="    return losses if reduction == 'none' else np.sum(losses)\n"),
        "silences the overflow of (1 - y) z + log(1 + exp(-z)): inf at z = -1000": _logits(
            "    with np.errstate(over='ignore'):\n        losses = (1 - y) * z + np.log1p(np.exp(-z))\n"),
        "through its own clamped BCE on sigmoid(z): 100 instead of 1000": _logits(
            "    small = np.exp(-np.abs(z))\n    p = np.where(z >= 0, 1 / (1 + small), small / (1 + small))\n"
            + _CLAMPED_LOGS + "    losses = -(y * log_p + (1 - y) * log_not_p)\n"),
        "nan slips through (y < 0) | (y > 1)": _logits(_STABLE, check=_CHECK_REDUCTION + _CHECK_LOGITS_NO_NAN),
        "no shape check: (N,) against (N, 1) broadcasts": _logits(
            _STABLE, check=_CHECK_REDUCTION + _CHECK_LOGITS.replace("y.shape != z.shape", "y.ndim > 2")),
        "'mean' averages along the last axis only": _logits(
            _STABLE, reduce="    if reduction == 'none':\n        return losses\n"
                            "    return np.sum(losses) if reduction == 'sum' else np.mean(losses, axis=-1)\n"),
    },
    "bce_grad_logits": {
        "gradient of the sum: no division by N": _grad(
            "    small = np.exp(-np.abs(z))\n"
            "    return np.where(z >= 0, 1 / (1 + small), small / (1 + small)) - y"),
        "sign error: y - sigma(z)": _grad("    return (y - sigmoid(z)) / z.size"),
        "slope with respect to p, not z": _grad(
            "    p = np.clip(sigmoid(z), 1e-12, 1 - 1e-12)\n    return -(y / p - (1 - y) / (1 - p)) / z.size"),
        "divides by the number of rows, not of elements": _grad("    return (sigmoid(z) - y) / len(z)"),
        "naive sigmoid inside: overflow warning at z = -1000": _grad("    return (1 / (1 + np.exp(-z)) - y) / z.size"),
        "MSE on the sigmoid's gradient": _grad(
            "    p = sigmoid(z)\n    return 2 * (p - y) * p * (1 - p) / z.size"),
        "no shape check": _grad(
            "    return (sigmoid(z) - y) / z.size",
            check=_CHECK_LOGITS.replace("y.shape != z.shape", "y.ndim > 2")),
        "divides by the length of the last axis": _grad("    return (sigmoid(z) - y) / z.shape[-1]"),
        "nan slips through (y < 0) | (y > 1)": _grad(
            "    return (sigmoid(z) - y) / z.size", check=_CHECK_LOGITS_NO_NAN),
    },
}
