"""Correct answers to Lab 6 (06_bce) written the ways a class writes them: other stable formulas, PyTorch's and
TensorFlow's arrangements of BCE from logits, scipy.special where the text allows it, dtype-preserving versions,
other orders of validation and other error messages that still name the parameter. Each must earn full marks."""

LAB = "06_bce"

_DTYPE_PRESERVING = """
    z = np.asarray(z)
    if z.dtype.kind in "biu":
        z = z.astype(float)
"""

_CHECKS = """
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {{reduction!r}}")
    y = np.asarray(y_true, dtype=float)
    {second} = np.asarray({second_arg}, dtype=float)
    if y.shape != {second}.shape:
        raise ValueError(f"y_true {{y.shape}} and {second_arg} {{{second}.shape}} differ in shape")
    if not np.all((y >= 0) & (y <= 1)):
        raise ValueError("every y_true must be in [0, 1]")
"""

_REDUCE = """
    if reduction == "sum":
        return losses.sum()
    if reduction == "mean":
        return losses.mean()
    return losses
"""

_LOGITS_CHECKS = _CHECKS.format(second="z", second_arg="logits")
_PROB_CHECKS = _CHECKS.format(second="p", second_arg="y_prob")

RIGHT = {
    "sigmoid": {
        "exp(min(z, 0)) / (1 + exp(-|z|)), one expression, no np.asarray": (
            "def sigmoid(z):\n"
            "    return np.exp(np.minimum(z, 0)) / (1 + np.exp(-np.abs(z)))\n"),
        "boolean masks filling a float array": (
            "def sigmoid(z):\n"
            "    z = np.asarray(z, dtype=float)\n"
            "    out = np.empty_like(z)\n"
            "    positive = z >= 0\n"
            "    out[positive] = 1 / (1 + np.exp(-z[positive]))\n"
            "    e = np.exp(z[~positive])\n"
            "    out[~positive] = e / (1 + e)\n"
            "    return out\n"),
        "exp(-softplus(-z)) with np.logaddexp": (
            "def sigmoid(z):\n"
            "    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))\n"),
        "dtype-preserving: float32 in, float32 out": (
            "def sigmoid(z):" + _DTYPE_PRESERVING +
            "    small = np.exp(-np.abs(z))\n"
            "    return np.where(z >= 0, 1 / (1 + small), small / (1 + small))\n"),
        "np.where on exp(-|z|) with the two forms written out": (
            "def sigmoid(z):\n"
            "    z = np.array(z, dtype=np.float64)\n"
            "    e = np.exp(-np.abs(z))\n"
            "    numerator = np.where(z < 0, e, 1.0)\n"
            "    return numerator / (1.0 + e)\n"),
    },
    "binary_cross_entropy": {
        "PyTorch's kernel: (y - 1) max(log1p(-p), -100) - y max(log p, -100), shape checked first": (
            "def binary_cross_entropy(y_true, y_prob, reduction='mean'):\n"
            "    y, p = np.asarray(y_true, dtype=float), np.asarray(y_prob, dtype=float)\n"
            "    if np.shape(y) != np.shape(p):\n"
            "        raise ValueError('y_true and y_prob must have the same shape')\n"
            "    if np.any(np.isnan(y)) or np.any(y < 0) or np.any(y > 1):\n"
            "        raise ValueError('y_true: labels must be in [0, 1]')\n"
            "    if np.any(np.isnan(p)) or np.any(p < 0) or np.any(p > 1):\n"
            "        raise ValueError('y_prob: probabilities must be in [0, 1]')\n"
            "    with np.errstate(divide='ignore'):\n"
            "        losses = (y - 1) * np.maximum(np.log1p(-p), -100) - y * np.maximum(np.log(p), -100)\n"
            "    if reduction == 'none':\n"
            "        return losses\n"
            "    if reduction == 'sum':\n"
            "        return np.sum(losses)\n"
            "    if reduction == 'mean':\n"
            "        return np.mean(losses)\n"
            "    raise ValueError(f'reduction {reduction!r} is not one of mean, sum, none')\n"),
        "scipy xlogy and xlog1py, each term capped at 100 y and 100 (1 - y)": (
            "from scipy import special\n\n\n"
            "def binary_cross_entropy(y_true, y_prob, reduction='mean'):" + _PROB_CHECKS +
            "    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():\n"
            "        raise ValueError('y_prob outside [0, 1]')\n"
            "    positive = np.minimum(-special.xlogy(y, p), 100 * y)\n"
            "    negative = np.minimum(-special.xlog1py(1 - y, -p), 100 * (1 - y))\n"
            "    losses = positive + negative\n" + _REDUCE),
        "logs computed only where they are finite (np.log with where=)": (
            "def binary_cross_entropy(y_true, y_prob, reduction='mean'):\n"
            "    if reduction not in {'mean', 'sum', 'none'}:\n"
            "        raise ValueError('reduction must be mean, sum or none')\n"
            "    y = np.asarray(y_true, dtype=float)\n"
            "    p = np.asarray(y_prob, dtype=float)\n"
            "    if not (np.all(y >= 0) and np.all(y <= 1)):\n"
            "        raise ValueError('y_true must lie in [0, 1]')\n"
            "    if not (np.all(p >= 0) and np.all(p <= 1)):\n"
            "        raise ValueError('y_prob must lie in [0, 1]')\n"
            "    if y.shape != p.shape:\n"
            "        raise ValueError(f'shape mismatch: y_true {y.shape}, y_prob {p.shape}')\n"
            "    log_p = np.log(p, out=np.full(p.shape, -np.inf), where=p > 0)\n"
            "    log_q = np.log1p(-p, out=np.full(p.shape, -np.inf), where=p < 1)\n"
            "    losses = -(y * np.clip(log_p, -100, None) + (1 - y) * np.clip(log_q, -100, None))\n" + _REDUCE),
        "dtype-preserving: float32 stays float32": (
            "def binary_cross_entropy(y_true, y_prob, reduction='mean'):\n"
            "    if reduction not in ('mean', 'sum', 'none'):\n"
            "        raise ValueError('bad reduction')\n"
            "    y, p = np.asarray(y_true), np.asarray(y_prob)\n"
            "    if p.dtype.kind != 'f':\n"
            "        p = p.astype(float)\n"
            "    if y.shape != p.shape:\n"
            "        raise ValueError('y_true and y_prob: shapes differ')\n"
            "    if not np.all((y >= 0) & (y <= 1)):\n"
            "        raise ValueError('y_true out of range')\n"
            "    if not np.all((p >= 0) & (p <= 1)):\n"
            "        raise ValueError('y_prob out of range')\n"
            "    with np.errstate(divide='ignore'):\n"
            "        losses = -(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log1p(-p), -100))\n"
            + _REDUCE),
        "a dict of reductions, validation after the shapes": (
            "def binary_cross_entropy(y_true, y_prob, reduction='mean'):\n"
            "    y = np.array(y_true, dtype=np.float64)\n"
            "    p = np.array(y_prob, dtype=np.float64)\n"
            "    if y.shape != p.shape:\n"
            "        raise ValueError(f'y_true has shape {y.shape}, y_prob has shape {p.shape}')\n"
            "    for name, values in (('y_true', y), ('y_prob', p)):\n"
            "        if not ((values >= 0) & (values <= 1)).all():\n"
            "            raise ValueError(f'{name} must be between 0 and 1')\n"
            "    with np.errstate(divide='ignore'):\n"
            "        log_p = np.maximum(np.log(p), -100.0)\n"
            "        log_not_p = np.maximum(np.log1p(-p), -100.0)\n"
            "    losses = -y * log_p - (1 - y) * log_not_p\n"
            "    reducers = {'none': lambda a: a, 'sum': np.sum, 'mean': np.mean}\n"
            "    if reduction not in reducers:\n"
            "        raise ValueError(f'invalid reduction: {reduction}')\n"
            "    return reducers[reduction](losses)\n"),
    },
    "binary_cross_entropy_with_logits": {
        "PyTorch's arrangement: (1 - y) z - log sigmoid(z)": (
            "def binary_cross_entropy_with_logits(y_true, logits, reduction='mean'):" + _LOGITS_CHECKS +
            "    log_sigmoid = np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z)))\n"
            "    losses = (1 - y) * z - log_sigmoid\n" + _REDUCE),
        "scipy.special.log_expit on both classes": (
            "from scipy.special import log_expit\n\n\n"
            "def binary_cross_entropy_with_logits(y_true, logits, reduction='mean'):" + _LOGITS_CHECKS +
            "    losses = -(y * log_expit(z) + (1 - y) * log_expit(-z))\n" + _REDUCE),
        "log(1 + e^z) - y z with np.logaddexp": (
            "def binary_cross_entropy_with_logits(y_true, logits, reduction='mean'):\n"
            "    y = np.asarray(y_true, dtype=float)\n"
            "    z = np.asarray(logits, dtype=float)\n"
            "    if y.shape != z.shape:\n"
            "        raise ValueError('y_true and logits must have the same shape')\n"
            "    if np.isnan(y).any() or y.min(initial=0) < 0 or y.max(initial=0) > 1:\n"
            "        raise ValueError('y_true must be in [0, 1]')\n"
            "    losses = np.logaddexp(0.0, z) - y * z\n"
            "    if reduction == 'none':\n"
            "        return losses\n"
            "    elif reduction == 'sum':\n"
            "        return float(np.sum(losses))\n"
            "    elif reduction == 'mean':\n"
            "        return float(np.mean(losses))\n"
            "    raise ValueError(\"reduction must be 'mean', 'sum' or 'none'\")\n"),
        "y softplus(-z) + (1 - y) softplus(z)": (
            "def softplus(t):\n"
            "    return np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))\n\n\n"
            "def binary_cross_entropy_with_logits(y_true, logits, reduction='mean'):" + _LOGITS_CHECKS +
            "    losses = y * softplus(-z) + (1 - y) * softplus(z)\n" + _REDUCE),
        "dtype-preserving TensorFlow form, validation in another order": (
            "def binary_cross_entropy_with_logits(y_true, logits, reduction='mean'):\n"
            "    y, z = np.asarray(y_true), np.asarray(logits)\n"
            "    if not np.all((y >= 0) & (y <= 1)):\n"
            "        raise ValueError('labels (y_true) must lie in [0, 1]')\n"
            "    if y.shape != z.shape:\n"
            "        raise ValueError('y_true and logits have different shapes')\n"
            "    if reduction not in ('mean', 'sum', 'none'):\n"
            "        raise ValueError('reduction?')\n"
            "    if z.dtype.kind != 'f':\n"
            "        z = z.astype(float)\n"
            "    losses = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))\n" + _REDUCE),
        "log(1 + exp(-|z|)) without log1p: within the stated absolute tolerance": (
            "def binary_cross_entropy_with_logits(y_true, logits, reduction='mean'):" + _LOGITS_CHECKS +
            "    losses = np.maximum(z, 0) - z * y + np.log(1 + np.exp(-np.abs(z)))\n" + _REDUCE),
    },
    "bce_grad_logits": {
        "(1 - y) - sigma(-z), from the derivation, over np.size": (
            "def bce_grad_logits(y_true, logits):\n"
            "    y = np.asarray(y_true, dtype=float)\n"
            "    z = np.asarray(logits, dtype=float)\n"
            "    if y.shape != z.shape:\n"
            "        raise ValueError(f'y_true {y.shape} vs logits {z.shape}')\n"
            "    if np.isnan(y).any() or (y < 0).any() or (y > 1).any():\n"
            "        raise ValueError('y_true must lie in [0, 1]')\n"
            "    return ((1 - y) - sigmoid(-z)) / np.size(z)\n"),
        "scipy.special.expit, N from np.prod(shape)": (
            "from scipy import special\n\n\n"
            "def bce_grad_logits(y_true, logits):\n"
            "    y = np.asarray(y_true, dtype=float)\n"
            "    z = np.asarray(logits, dtype=float)\n"
            "    if not np.all((0 <= y) & (y <= 1)):\n"
            "        raise ValueError('y_true: values outside [0, 1]')\n"
            "    if y.shape != z.shape:\n"
            "        raise ValueError('y_true and logits must have equal shapes')\n"
            "    return (special.expit(z) - y) / np.prod(z.shape)\n"),
        "sigma from the tanh identity: fine in absolute terms for a gradient": (
            "def bce_grad_logits(y_true, logits):\n"
            "    y = np.asarray(y_true, dtype=float)\n"
            "    z = np.asarray(logits, dtype=float)\n"
            "    if y.shape != z.shape:\n"
            "        raise ValueError('shapes of y_true and logits differ')\n"
            "    if not np.all((y >= 0) & (y <= 1)):\n"
            "        raise ValueError('y_true must lie in [0, 1]')\n"
            "    return (0.5 * (1 + np.tanh(z / 2)) - y) / z.size\n"),
        "dtype-preserving, own stable sigma inline": (
            "def bce_grad_logits(y_true, logits):\n"
            "    y, z = np.asarray(y_true), np.asarray(logits)\n"
            "    if z.dtype.kind != 'f':\n"
            "        z = z.astype(float)\n"
            "    if y.shape != z.shape:\n"
            "        raise ValueError('y_true and logits: shapes differ')\n"
            "    if not np.all((y >= 0) & (y <= 1)):\n"
            "        raise ValueError('y_true not in [0, 1]')\n"
            "    e = np.exp(-np.abs(z))\n"
            "    p = np.where(z >= 0, 1 / (1 + e), e / (1 + e))\n"
            "    return (p - y) / z.size\n"),
        "exp(-softplus(-z)) - y, divided by the element count": (
            "def bce_grad_logits(y_true, logits):\n"
            "    y = np.array(y_true, dtype=np.float64)\n"
            "    z = np.array(logits, dtype=np.float64)\n"
            "    if y.shape != z.shape:\n"
            "        raise ValueError('y_true and logits must have the same shape')\n"
            "    if not ((y >= 0) & (y <= 1)).all():\n"
            "        raise ValueError('y_true must be a probability')\n"
            "    count = z.size\n"
            "    return (np.exp(-np.logaddexp(0.0, -z)) - y) / count\n"),
    },
}
