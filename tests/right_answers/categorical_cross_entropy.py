"""Correct answers for Lab 4 (04_categorical_cross_entropy), written the ways a class writes them: each must earn
full marks. The answer cells of cross_entropy and cross_entropy_grad may call log_softmax and one_hot, which the
notebook defines above them (the solution's versions, when only one exercise is replaced)."""

LAB = "04_categorical_cross_entropy"

RIGHT = {
    "log_softmax": {
        "z - logsumexp(z), with logsumexp = m + log sum exp(z - m) written out (PyTorch's formula)": """
def log_softmax(logits, axis=-1):
    z = np.asarray(logits, dtype=float)
    m = np.max(z, axis=axis, keepdims=True)
    logsumexp = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
    return z - logsumexp
""",
        "np.logaddexp.reduce along the axis": """
def log_softmax(logits, axis=-1):
    z = np.asarray(logits, dtype=float)
    return z - np.logaddexp.reduce(z, axis=axis, keepdims=True)
""",
        "dtype-preserving: float32 in, float32 out; integers become float64": """
def log_softmax(logits, axis=-1):
    z = np.asarray(logits)
    if not np.issubdtype(z.dtype, np.floating):
        z = z.astype(np.float64)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
""",
        "moves the axis last, computes, moves it back; no keepdims": """
def log_softmax(logits, axis=-1):
    z = np.moveaxis(np.array(logits, dtype=np.float64), axis, -1)
    m = z.max(axis=-1)
    lse = m + np.log(np.exp(z - m[..., None]).sum(axis=-1))
    return np.moveaxis(z - lse[..., None], -1, axis)
""",
        "TensorFlow's form: log of the normalising sum of the shifted logits, via np.expand_dims": """
def log_softmax(logits, axis=-1):
    x = np.asarray(logits, dtype=float)
    shifted = x - np.expand_dims(np.amax(x, axis=axis), axis)
    return shifted - np.expand_dims(np.log(np.sum(np.exp(shifted), axis=axis)), axis)
""",
    },
    "one_hot": {
        "np.eye indexing; num_classes checked with operator.index": """
import operator


def one_hot(labels, num_classes):
    if isinstance(num_classes, bool):
        raise ValueError("num_classes must be a positive integer")
    try:
        k = operator.index(num_classes)
    except TypeError:
        raise ValueError(f"num_classes must be a positive integer, got {num_classes!r}") from None
    if k < 1:
        raise ValueError(f"num_classes must be a positive integer, got {k}")
    labels = np.asarray(labels)
    if labels.size and labels.dtype.kind not in "iu":
        raise ValueError("labels must be integer class indices")
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        raise ValueError(f"labels must lie in 0..{k - 1}")
    return np.eye(k)[labels]
""",
        "labels validated first, then num_classes; integer output from np.equal.outer": """
import numbers


def one_hot(labels, num_classes):
    y = np.asarray(labels)
    if not np.issubdtype(y.dtype, np.integer) and y.size > 0:
        raise ValueError(f"labels: expected integers, got {y.dtype}")
    if not isinstance(num_classes, numbers.Integral) or num_classes <= 0:
        raise ValueError(f"num_classes: expected a positive integer, got {num_classes}")
    if ((y < 0) | (y >= num_classes)).any():
        raise ValueError(f"labels: every label must be in range(num_classes={num_classes})")
    return np.equal.outer(y, np.arange(num_classes)).astype(int)
""",
        "zeros and np.put_along_axis": """
def one_hot(labels, num_classes):
    if not isinstance(num_classes, (int, np.integer)) or isinstance(num_classes, bool) or num_classes < 1:
        raise ValueError("num_classes must be a positive integer")
    labels = np.asarray(labels)
    if labels.size == 0:
        return np.zeros(labels.shape + (num_classes,))
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError("labels must be integers")
    if np.any(labels < 0) or np.any(labels >= num_classes):
        raise ValueError("labels out of range 0..num_classes-1")
    out = np.zeros(labels.shape + (num_classes,))
    np.put_along_axis(out, labels[..., None].astype(np.intp), 1.0, axis=-1)
    return out
""",
        "accepts integral floats such as 1.0, rejects 0.5 (the text leaves 1.0 open)": """
def one_hot(labels, num_classes):
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive integer, got {num_classes!r}")
    labels = np.asarray(labels)
    if labels.dtype.kind == "f":
        if not np.all(labels == np.floor(labels)):
            raise ValueError("labels must be whole numbers")
        labels = labels.astype(np.int64)
    elif labels.size and labels.dtype.kind not in "iu":
        raise ValueError("labels must be integers")
    if np.any((labels < 0) | (labels >= num_classes)):
        raise ValueError("labels must lie in 0, ..., num_classes - 1")
    return (labels[..., None] == np.arange(num_classes)).astype(np.float64)
""",
        "labels' range checked before num_classes; the message names only labels": """
def one_hot(labels, num_classes):
    labels = np.asarray(labels)
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError("labels must be integers")
    if np.any(labels < 0) or np.any(labels >= num_classes):
        raise ValueError(f"labels must lie in 0, 1, ... below {num_classes}")
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 1:
        raise ValueError(f"num_classes must be a positive integer, got {num_classes!r}")
    return np.eye(num_classes)[labels]
""",
        "boolean comparison cast to float32": """
def one_hot(labels, num_classes):
    if type(num_classes) is bool or not np.issubdtype(type(num_classes), np.integer) or num_classes < 1:
        raise ValueError("num_classes should be an integer >= 1")
    labels = np.asarray(labels)
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError("labels should be integer class indices")
    if labels.size and not (0 <= labels.min() and labels.max() < num_classes):
        raise ValueError("labels should be between 0 and num_classes - 1")
    return (np.arange(num_classes) == labels[..., np.newaxis]).astype(np.float32)
""",
    },
    "cross_entropy": {
        "logsumexp minus the picked logit; probabilities as logsumexp - sum y z": """
def cross_entropy(y_true, logits, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    z = np.asarray(logits, dtype=float)
    y = np.asarray(y_true)
    if z.ndim == 0:
        raise ValueError("logits need a class axis")
    m = z.max(axis=-1, keepdims=True)
    lse = (m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True)))[..., 0]
    if y.shape == z.shape[:-1]:
        if not np.issubdtype(y.dtype, np.integer):
            raise ValueError("y_true indices must be integers")
        if np.any(y < 0) or np.any(y >= z.shape[-1]):
            raise ValueError("y_true indices out of range")
        losses = lse - np.take_along_axis(z, y[..., None], axis=-1)[..., 0]
    elif y.shape == z.shape:
        p = y.astype(float)
        if np.any(p < 0) or np.any(p > 1) or np.any(np.abs(p.sum(axis=-1) - 1) > 1e-6):
            raise ValueError("y_true probabilities must be in [0, 1] and sum to 1")
        losses = lse * p.sum(axis=-1) - np.sum(np.where(p > 0, p * z, 0.0), axis=-1)
    else:
        raise ValueError(f"y_true has shape {y.shape}, logits {z.shape}")
    if reduction == "sum":
        return losses.sum()
    if reduction == "mean":
        return losses.mean()
    return losses
""",
        "indices turned into one-hot rows: one formula for every label form": """
def cross_entropy(y_true, logits, reduction="mean"):
    z = np.asarray(logits, dtype=float)
    y = np.asarray(y_true)
    if z.ndim == 0:
        raise ValueError("logits must have a class axis")
    K = z.shape[-1]
    if y.shape == z.shape[:-1]:
        if not np.issubdtype(y.dtype, np.integer) or np.any((y < 0) | (y >= K)):
            raise ValueError("y_true: class indices must be integers in [0, K)")
        target = one_hot(y, K)
    elif y.shape == z.shape:
        target = y.astype(float)
        if np.any((target < 0) | (target > 1)) or not np.allclose(target.sum(-1), 1, rtol=0, atol=1e-6):
            raise ValueError("y_true: probabilities must lie in [0, 1] and sum to 1")
    else:
        raise ValueError("y_true: shape must be logits.shape[:-1] or logits.shape")
    log_q = log_softmax(z)
    losses = -np.where(target > 0, target * log_q, 0.0).sum(axis=-1)
    reducers = {"none": lambda v: v, "sum": np.sum, "mean": np.mean}
    if reduction not in reducers:
        raise ValueError(f"reduction={reduction!r} is not one of 'none', 'sum', 'mean'")
    return reducers[reduction](losses)
""",
        "scipy.special.log_softmax (allowed in C), validation after the reduction check, N = K by shape": """
from scipy import special


def cross_entropy(y_true, logits, reduction="mean"):
    logits = np.asarray(logits, dtype=np.float64)
    y_true = np.asarray(y_true)
    if logits.ndim == 0:
        raise ValueError("logits must be at least 1-D")
    log_q = special.log_softmax(logits, axis=-1)
    if y_true.shape == logits.shape[:-1]:
        if y_true.dtype.kind not in "iu":
            raise ValueError("y_true must hold integer class indices")
        if ((y_true < 0) | (y_true >= logits.shape[-1])).any():
            raise ValueError("y_true holds a class index out of range")
        losses = -np.take_along_axis(log_q, y_true[..., np.newaxis], axis=-1).squeeze(-1)
    elif y_true.shape == logits.shape:
        probs = y_true.astype(np.float64)
        if (probs < 0).any() or (probs > 1).any() or (np.abs(probs.sum(-1) - 1.0) > 1e-6).any():
            raise ValueError("y_true rows must be probability vectors")
        losses = -(probs * np.where(probs == 0, 0.0, log_q)).sum(-1)
    else:
        raise ValueError(f"cannot match y_true of shape {y_true.shape} with logits of shape {logits.shape}")
    if reduction == "none":
        return losses
    elif reduction == "sum":
        return float(losses.sum())
    elif reduction == "mean":
        return float(losses.sum() / losses.size)
    raise ValueError("reduction must be 'none', 'sum' or 'mean'")
""",
        "PyTorch's form: log_softmax, then gather from the flattened batch (nll_loss)": """
def cross_entropy(y_true, logits, reduction="mean"):
    if reduction not in {"mean", "sum", "none"}:
        raise ValueError("reduction: expected 'mean', 'sum' or 'none'")
    x = np.asarray(logits)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    target = np.asarray(y_true)
    if x.ndim < 1:
        raise ValueError("logits: need at least one class")
    log_q = log_softmax(x)
    if target.shape == x.shape:
        if target.min() < 0 or target.max() > 1 or np.max(np.abs(target.sum(axis=-1) - 1)) > 1e-6:
            raise ValueError("y_true must be probabilities in [0, 1] summing to 1 along the class axis")
        nll = -np.sum(np.where(target != 0, target * log_q, 0), axis=-1)
    elif target.shape == x.shape[:-1]:
        if not np.issubdtype(target.dtype, np.integer):
            raise ValueError("y_true must be integer class indices")
        if target.size and (target.min() < 0 or target.max() >= x.shape[-1]):
            raise ValueError("y_true contains an invalid class index")
        flat_log_q = log_q.reshape(-1, x.shape[-1])
        nll = -flat_log_q[np.arange(flat_log_q.shape[0]), target.reshape(-1)].reshape(target.shape)
    else:
        raise ValueError("y_true: wrong shape for these logits")
    return {"none": nll, "sum": np.sum(nll), "mean": np.mean(nll)}[reduction]
""",
    },
    "cross_entropy_grad": {
        "scipy.special.softmax and np.eye": """
from scipy import special


def cross_entropy_grad(y_true, logits):
    z = np.asarray(logits, dtype=float)
    y = np.asarray(y_true)
    if z.ndim == 0:
        raise ValueError("logits need a class axis")
    k = z.shape[-1]
    if y.shape == z.shape[:-1]:
        if not np.issubdtype(y.dtype, np.integer) or np.any(y < 0) or np.any(y >= k):
            raise ValueError("y_true: invalid class indices")
        target = np.eye(k)[y]
    elif y.shape == z.shape:
        target = y.astype(float)
        if np.any(target < 0) or np.any(target > 1) or np.any(np.abs(target.sum(-1) - 1) > 1e-6):
            raise ValueError("y_true: invalid probabilities")
    else:
        raise ValueError("y_true: wrong shape")
    return (special.softmax(z, axis=-1) - target) / (z.size // k)
""",
        "softmax copy with 1 subtracted at the labels (np.put_along_axis)": """
def cross_entropy_grad(y_true, logits):
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(y_true)
    if z.ndim == 0:
        raise ValueError("logits must have a class axis")
    n_classes = z.shape[-1]
    n_examples = int(np.prod(z.shape[:-1]))
    q = np.exp(log_softmax(z, axis=-1))
    if y.shape == z.shape:
        if y.min() < 0 or y.max() > 1 or not np.allclose(y.sum(axis=-1), 1.0, rtol=0, atol=1e-6):
            raise ValueError("y_true probabilities must lie in [0, 1] and sum to 1")
        return (q - y) / n_examples
    if y.shape != z.shape[:-1]:
        raise ValueError(f"y_true of shape {y.shape} fits neither {z.shape[:-1]} nor {z.shape}")
    if y.dtype.kind not in "iu" or np.any(y < 0) or np.any(y >= n_classes):
        raise ValueError("y_true must be class indices in 0..K-1")
    index = y[..., None].astype(np.intp)
    grad = q.copy()
    np.put_along_axis(grad, index, np.take_along_axis(q, index, axis=-1) - 1, axis=-1)
    return grad / n_examples
""",
        "validation delegated to the student's own cross_entropy, then softmax - one_hot": """
def cross_entropy_grad(y_true, logits):
    z = np.asarray(logits, dtype=float)
    y = np.asarray(y_true)
    cross_entropy(y, z, reduction="none")  # raises ValueError naming y_true for invalid labels
    target = y.astype(float) if y.shape == z.shape else one_hot(y, z.shape[-1])
    n = 1 if z.ndim == 1 else z.size // z.shape[-1]
    return (np.exp(log_softmax(z)) - target) / n
""",
        "TensorFlow's order: probabilities checked first, multiplied by 1 / N, float32 kept": """
def cross_entropy_grad(y_true, logits):
    x = np.asarray(logits)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(float)
    labels = np.asarray(y_true)
    if x.ndim < 1:
        raise ValueError("logits: at least one class axis")
    if labels.shape == x.shape:
        ok = np.all((labels >= 0) & (labels <= 1)) and np.all(np.abs(labels.sum(axis=-1) - 1) <= 1e-6)
        if not ok:
            raise ValueError("y_true: each row must be a probability vector")
        target = labels
    elif labels.shape == x.shape[:-1]:
        if not np.issubdtype(labels.dtype, np.integer):
            raise ValueError("y_true: indices must be integers")
        if np.any(labels < 0) or np.any(labels >= x.shape[-1]):
            raise ValueError("y_true: index outside 0..K-1")
        target = (labels[..., None] == np.arange(x.shape[-1]))
    else:
        raise ValueError("y_true: shape matches neither indices nor probabilities")
    shifted = x - x.max(axis=-1, keepdims=True)
    softmax = np.exp(shifted) / np.exp(shifted).sum(axis=-1, keepdims=True)
    return (softmax - target) * (1.0 / (x.size // x.shape[-1]))
""",
    },
}
