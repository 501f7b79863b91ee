"""Plausible wrong answers for Lab 4 (04_categorical_cross_entropy): the mistakes in CONTENT.md and a few more.

The answer cells of cross_entropy and cross_entropy_grad may call log_softmax and one_hot, which the
notebook defines above them (the solution's versions, when only one exercise is replaced).
"""

LAB = "04_categorical_cross_entropy"


def _log_softmax(body: str) -> str:
    return f"def log_softmax(logits, axis=-1):\n    z = np.asarray(logits, dtype=float)\n{body}\n"


_CHECK_NUM_CLASSES = """
    if not isinstance(num_classes, (int, np.integer)) or num_classes < 1:
        raise ValueError("num_classes must be a positive integer")
"""

_CHECK_LABELS = """
    labels = np.asarray(labels)
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError("labels must be integers")
    if np.any((labels < 0) | (labels >= num_classes)):
        raise ValueError("labels out of range")
"""


def _one_hot(body: str, check: str = _CHECK_NUM_CLASSES + _CHECK_LABELS) -> str:
    return f"def one_hot(labels, num_classes):{check}{body}\n"


# Parses y_true as the solution does, leaving the per-example log-likelihood term to the mistake.
_PARSE = """
    if reduction not in ("mean", "sum", "none"):
        raise ValueError("reduction must be 'mean', 'sum' or 'none'")
    z = np.asarray(logits, dtype=float)
    y = np.asarray(y_true)
    K = z.shape[-1]
    if y.shape == z.shape:
        y = y.astype(float)
        if np.any((y < 0) | (y > 1)) or not np.allclose(y.sum(axis=-1), 1.0, atol=1e-6):
            raise ValueError("y_true: invalid probabilities")
        probs = True
    elif y.shape == z.shape[:-1]:
        if not np.issubdtype(y.dtype, np.integer) or np.any((y < 0) | (y >= K)):
            raise ValueError("y_true: invalid class indices")
        probs = False
    else:
        raise ValueError("y_true has the wrong shape")
    target = y if probs else one_hot(y, K)
"""

_REDUCE = """
    if reduction == "none":
        return losses
    return float(np.sum(losses)) if reduction == "sum" else float(np.mean(losses))
"""


def _cross_entropy(body: str, parse: str = _PARSE, reduce: str = _REDUCE) -> str:
    return f"def cross_entropy(y_true, logits, reduction='mean'):{parse}{body}{reduce}"


_STABLE_LOG_Q = "    log_q = log_softmax(z, axis=-1)\n"
_NAIVE_Q = "    e = np.exp(z - z.max(axis=-1, keepdims=True))\n    q = e / e.sum(axis=-1, keepdims=True)\n"

_PARSE_GRAD = """
    z = np.asarray(logits, dtype=float)
    y = np.asarray(y_true)
    K = z.shape[-1]
    if y.shape == z.shape[:-1]:
        if not np.issubdtype(y.dtype, np.integer) or np.any((y < 0) | (y >= K)):
            raise ValueError("y_true: invalid class indices")
        target = one_hot(y, K)
    elif y.shape == z.shape:
        target = y.astype(float)
        if np.any((target < 0) | (target > 1)) or not np.allclose(target.sum(axis=-1), 1.0, atol=1e-6):
            raise ValueError("y_true: invalid probabilities")
    else:
        raise ValueError("y_true has the wrong shape")
    N = z.size // K
    q = np.exp(log_softmax(z, axis=-1))
"""


def _grad(body: str, parse: str = _PARSE_GRAD) -> str:
    return f"def cross_entropy_grad(y_true, logits):{parse}{body}\n"


WRONG = {
    "log_softmax": {
        "log of a stable softmax: -inf at huge logits": _log_softmax(
            "    e = np.exp(z - np.max(z, axis=axis, keepdims=True))\n"
            "    return np.log(e / np.sum(e, axis=axis, keepdims=True))"),
        "log of softmax + eps: -23.03 where the truth is -1000": _log_softmax(
            "    e = np.exp(z - np.max(z, axis=axis, keepdims=True))\n"
            "    return np.log(e / np.sum(e, axis=axis, keepdims=True) + 1e-10)"),
        "no max subtracted: exp overflows": _log_softmax(
            "    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))"),
        "max subtracted but not added back": _log_softmax(
            "    return z - np.log(np.sum(np.exp(z - np.max(z, axis=axis, keepdims=True)), axis=axis, keepdims=True))"),
        "one max for the whole batch": _log_softmax(
            "    s = z - np.max(z)\n    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))"),
        "ignores axis": _log_softmax(
            "    s = z - np.max(z, axis=-1, keepdims=True)\n"
            "    return s - np.log(np.sum(np.exp(s), axis=-1, keepdims=True))"),
        "log base 2": _log_softmax(
            "    s = z - np.max(z, axis=axis, keepdims=True)\n"
            "    return (s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))) / np.log(2)"),
        "returns the softmax, not its log": _log_softmax(
            "    e = np.exp(z - np.max(z, axis=axis, keepdims=True))\n"
            "    return e / np.sum(e, axis=axis, keepdims=True)"),
        "only the maximum subtracted: the log of the sum left out": _log_softmax(
            "    return z - np.max(z, axis=axis, keepdims=True)"),
        "max and sum over the whole array (the draft's softmax)": _log_softmax(
            "    s = z - np.max(z)\n    return s - np.log(np.sum(np.exp(s)))"),
        "no np.asarray: a list has no .max()": (
            "def log_softmax(logits, axis=-1):\n"
            "    s = logits - logits.max(axis=axis, keepdims=True)\n"
            "    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))\n"),
    },
    "one_hot": {
        "np.eye indexing, labels unchecked: -1 wraps to the last class": _one_hot(
            "    return np.eye(num_classes)[labels]", check=_CHECK_NUM_CLASSES),
        "columns instead of rows": _one_hot("    return np.eye(num_classes)[:, labels]"),
        "1-based labels": _one_hot("    return np.eye(num_classes)[labels - 1]"),
        "number of classes taken from the labels": _one_hot(
            "    return np.eye(labels.max() + 1)[labels]"),
        "flattens the labels: a scalar label gives shape (1, K)": _one_hot(
            "    flat = labels.reshape(-1)\n    out = np.zeros((flat.size, num_classes))\n"
            "    out[np.arange(flat.size), flat] = 1.0\n    return out"),
        "num_classes unchecked": _one_hot("    return np.eye(num_classes)[labels]", check=_CHECK_LABELS),
        "upper bound checked with > instead of >=": _one_hot(
            "    labels = np.asarray(labels)\n"
            "    if np.any((labels < 0) | (labels > num_classes)):\n        raise ValueError('labels out of range')\n"
            "    return np.eye(num_classes)[labels]", check=_CHECK_NUM_CLASSES),
        "only the upper bound checked: a negative label picks a class from the end": _one_hot(
            "    labels = np.asarray(labels)\n"
            "    if np.any(labels >= num_classes):\n        raise ValueError('labels out of range')\n"
            "    return np.eye(num_classes)[labels]", check=_CHECK_NUM_CLASSES),
        "isinstance(num_classes, int): np.int64 rejected": _one_hot(
            "    return np.eye(num_classes)[labels]",
            check="\n    if not isinstance(num_classes, int) or num_classes < 1:\n"
                  "        raise ValueError('num_classes must be a positive integer')\n" + _CHECK_LABELS),
        "range checked with labels.min() and labels.max(): fails on an empty array": _one_hot(
            "    return np.eye(num_classes)[labels]",
            check=_CHECK_NUM_CLASSES + "\n    labels = np.asarray(labels)\n"
                  "    if labels.min() < 0 or labels.max() >= num_classes:\n"
                  "        raise ValueError('labels out of range')\n"),
        "dtype compared with np.int64: uint8 labels rejected": _one_hot(
            "    return np.eye(num_classes)[labels]",
            check=_CHECK_NUM_CLASSES + "\n    labels = np.asarray(labels)\n"
                  "    if labels.size and labels.dtype != np.int64:\n"
                  "        raise ValueError('labels must be integers')\n"
                  "    if np.any((labels < 0) | (labels >= num_classes)):\n"
                  "        raise ValueError('labels out of range')\n"),
        "float labels accepted: the comparison with arange never fails": _one_hot(
            "    return (labels[..., None] == np.arange(num_classes)).astype(float)",
            check=_CHECK_NUM_CLASSES + "\n    labels = np.asarray(labels)\n"
                  "    if np.any((labels < 0) | (labels >= num_classes)):\n"
                  "        raise ValueError('labels out of range')\n"),
    },
    "cross_entropy": {
        "log of a stable softmax: inf at huge logits": _cross_entropy(
            _NAIVE_Q + "    losses = -np.sum(target * np.log(q), axis=-1)"),
        "log of softmax + eps: 23.03 where the truth is 1000": _cross_entropy(
            _NAIVE_Q + "    losses = -np.sum(target * np.log(q + 1e-10), axis=-1)"),
        "log base 2": _cross_entropy(
            _STABLE_LOG_Q + "    losses = -np.sum(target * np.where(target > 0, log_q, 0.0), axis=-1) / np.log(2)"),
        "sum instead of mean": _cross_entropy(
            _STABLE_LOG_Q + "    losses = -np.sum(target * np.where(target > 0, log_q, 0.0), axis=-1)",
            reduce="\n    if reduction == 'none':\n        return losses\n    return float(np.sum(losses))\n"),
        "log of the raw logits": _cross_entropy(
            "    with np.errstate(all='ignore'):\n"
            "        losses = -np.sum(target * np.log(z), axis=-1)"),
        "one-hot rows used as indices": (
            "def cross_entropy(y_true, logits, reduction='mean'):\n"
            "    if reduction not in ('mean', 'sum', 'none'):\n        raise ValueError('reduction')\n"
            "    z = np.asarray(logits, dtype=float)\n    y = np.asarray(y_true)\n"
            "    if y.shape != z.shape[:-1] and y.shape != z.shape:\n        raise ValueError('y_true shape')\n"
            "    log_q = log_softmax(z, axis=-1)\n"
            "    losses = -np.take_along_axis(log_q, y[..., None], axis=-1)[..., 0]" + _REDUCE),
        "mean over the N*K products instead of the N examples": _cross_entropy(
            _STABLE_LOG_Q + "    products = -target * np.where(target > 0, log_q, 0.0)\n"
            "    losses = products.sum(axis=-1)",
            reduce="\n    if reduction == 'none':\n        return losses\n"
                   "    return float(np.sum(losses)) if reduction == 'sum' else float(np.mean(products))\n"),
        "sign flipped: log q_y instead of -log q_y": _cross_entropy(
            _STABLE_LOG_Q + "    losses = np.sum(target * np.where(target > 0, log_q, 0.0), axis=-1)"),
        "no sum over the classes: 'none' returns (N, K)": _cross_entropy(
            _STABLE_LOG_Q + "    losses = -target * np.where(target > 0, log_q, 0.0)"),
        "naive softmax without the maximum: exp overflows": _cross_entropy(
            "    e = np.exp(z)\n    q = e / e.sum(axis=-1, keepdims=True)\n"
            "    losses = -np.sum(target * np.log(q), axis=-1)"),
        "0 log 0 computed literally: nan at a masked logit": _cross_entropy(
            _STABLE_LOG_Q + "    losses = -np.sum(target * log_q, axis=-1)"),
        "unknown reduction treated as 'mean'": _cross_entropy(
            _STABLE_LOG_Q + "    losses = -np.sum(target * np.where(target > 0, log_q, 0.0), axis=-1)",
            parse=_PARSE.replace("    if reduction not in (\"mean\", \"sum\", \"none\"):\n"
                                 "        raise ValueError(\"reduction must be 'mean', 'sum' or 'none'\")\n", "")),
        "labels of length K taken as probabilities: (N,) indices misread when N = K": _cross_entropy(
            _STABLE_LOG_Q + "    losses = -np.sum(target * np.where(target > 0, log_q, 0.0), axis=-1)",
            parse=_PARSE.replace("    if y.shape == z.shape:", "    if y.shape[-1:] == (K,):")),
        "logits.astype without np.asarray: a list of logits fails": _cross_entropy(
            _STABLE_LOG_Q + "    losses = -np.sum(target * np.where(target > 0, log_q, 0.0), axis=-1)",
            parse=_PARSE.replace("    z = np.asarray(logits, dtype=float)\n", "    z = logits.astype(float)\n")),
        "negative indices unchecked: -1 picks the last class": _cross_entropy(
            _STABLE_LOG_Q + "    losses = -np.sum(target * np.where(target > 0, log_q, 0.0), axis=-1)",
            parse=_PARSE.replace("np.any((y < 0) | (y >= K))", "np.any(y >= K)").replace(
                "    target = y if probs else one_hot(y, K)\n",
                "    target = y if probs else np.eye(K)[y]\n")),
        "probabilities not validated": _cross_entropy(
            _STABLE_LOG_Q + "    losses = -np.sum(target * np.where(target > 0, log_q, 0.0), axis=-1)",
            parse=_PARSE.replace(
                "        if np.any((y < 0) | (y > 1)) or not np.allclose(y.sum(axis=-1), 1.0, atol=1e-6):\n"
                "            raise ValueError(\"y_true: invalid probabilities\")\n", "")),
    },
    "cross_entropy_grad": {
        "gradient of the sum: no 1/N": _grad("    return q - target"),
        "sign flipped": _grad("    return (target - q) / N"),
        "softmax only: labels not subtracted": _grad("    return q / N"),
        "derivative with respect to the probabilities, -y/q": _grad(
            "    with np.errstate(divide='ignore'):\n        return -target / q / N"),
        "divides by N*K": _grad("    return (q - target) / z.size"),
        "naive softmax: exp overflows": _grad(
            "    e = np.exp(z)\n    return (e / e.sum(axis=-1, keepdims=True) - target) / N"),
        "labels always treated as indices": (
            "def cross_entropy_grad(y_true, logits):\n"
            "    z = np.asarray(logits, dtype=float)\n    y = np.asarray(y_true)\n"
            "    if y.shape != z.shape[:-1]:\n        raise ValueError('y_true must have shape logits.shape[:-1]')\n"
            "    return (np.exp(log_softmax(z, axis=-1)) - one_hot(y, z.shape[-1])) / (z.size // z.shape[-1])\n"),
        "N = len(logits): one example of shape (K,) divided by K": _grad("    return (q - target) / len(z)"),
        "labels of length K taken as probabilities: (N,) indices misread when N = K": _grad(
            "    return (q - target) / N",
            parse=_PARSE_GRAD.replace("    if y.shape == z.shape[:-1]:", "    if y.shape[-1:] == (K,):\n"
                                      "        target = y.astype(float)\n"
                                      "        if np.any((target < 0) | (target > 1)):\n"
                                      "            raise ValueError('y_true: invalid probabilities')\n"
                                      "    elif y.shape == z.shape[:-1]:")),
    },
}
