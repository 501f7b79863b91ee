"""Correct answers to Lab 3 (03_gaussian_mse) written the ways a class writes them: each must earn full marks."""

LAB = "03_gaussian_mse"

RIGHT = {
    "mse_loss": {
        "np.square and np.subtract, reduction validated first, other messages": '''
def mse_loss(y_true, y_pred, reduction="mean"):
    if reduction not in {"mean", "sum", "none"}:
        raise ValueError(f"unknown reduction {reduction!r}; use 'mean', 'sum' or 'none'")
    y_true, y_pred = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    if np.shape(y_true) != np.shape(y_pred):
        raise ValueError(f"shape mismatch: y_true {y_true.shape} vs y_pred {y_pred.shape}")
    squared = np.square(np.subtract(y_true, y_pred))
    if reduction == "sum":
        return np.sum(squared)
    if reduction == "mean":
        return np.mean(squared)
    return squared
''',
        "dtype-preserving (float32 stays float32), 'mean' as sum / size": '''
def mse_loss(y_true, y_pred, reduction="mean"):
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError("y_true and y_pred must have identical shapes")
    diff = y_true - y_pred
    squared = diff * diff
    if reduction == "none":
        return squared
    elif reduction == "sum":
        return squared.sum()
    elif reduction == "mean":
        return squared.sum() / squared.size
    else:
        raise ValueError("reduction must be one of 'mean', 'sum', 'none'")
''',
        "np.vdot on the flattened errors, Python floats returned": '''
def mse_loss(y_true, y_pred, reduction="mean"):
    a = np.asarray(y_true, dtype=float)
    b = np.asarray(y_pred, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"y_true has shape {a.shape} but y_pred has shape {b.shape}")
    if reduction == "none":
        return (a - b) ** 2
    d = (a - b).ravel()
    sse = float(np.vdot(d, d))
    if reduction == "sum":
        return sse
    if reduction == "mean":
        return sse / d.size
    raise ValueError(f"invalid value for reduction: {reduction}")
''',
        "a table of reductions, as a library dispatches them": '''
REDUCTIONS = {"mean": np.mean, "sum": np.sum, "none": lambda values: values}


def mse_loss(y_true, y_pred, reduction="mean"):
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError("y_true and y_pred: shapes differ, " + str(y_true.shape) + " != " + str(y_pred.shape))
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError("reduction: expected 'mean', 'sum' or 'none'")
    return REDUCTIONS[reduction]((y_true - y_pred) ** 2)
''',
        "np.average and a match statement": '''
def mse_loss(y_true, y_pred, reduction="mean"):
    y_true = np.array(y_true, dtype=float, copy=True)
    y_pred = np.array(y_pred, dtype=float, copy=True)
    if y_true.ndim != y_pred.ndim or y_true.shape != y_pred.shape:
        raise ValueError("y_true, y_pred: same shape required")
    errors = (y_pred - y_true) ** 2
    match reduction:
        case "mean":
            return np.average(errors)
        case "sum":
            return errors.sum()
        case "none":
            return errors
        case _:
            raise ValueError(f"reduction={reduction!r} is not supported")
''',
    },
    "gaussian_nll": {
        "log sigma and a standardised error, as Lab 1's log-density": '''
def gaussian_nll(y_true, y_pred, var=1.0, reduction="mean"):
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    var = np.asarray(var, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError("y_true and y_pred must have the same shape")
    if var.ndim and var.shape != y_true.shape:
        raise ValueError("var must be a scalar or match the shape of y_true")
    if np.any(var <= 0):
        raise ValueError("var must be > 0")
    if reduction not in ("mean", "sum", "none"):
        raise ValueError("bad reduction")
    sigma = np.sqrt(var)
    z = (y_true - y_pred) / sigma
    nll = 0.5 * np.log(2 * np.pi) + np.log(sigma) + 0.5 * z**2
    nll = nll * np.ones(y_true.shape)
    return {"none": nll, "sum": np.sum(nll), "mean": np.mean(nll)}[reduction]
''',
        "PyTorch's formula with full=True: (log var + d^2 / var) / 2 + log(2 pi) / 2": '''
import math


def gaussian_nll(y_true, y_pred, var=1.0, reduction="mean"):
    target = np.asarray(y_true, dtype=float)
    mean = np.asarray(y_pred, dtype=float)
    var = np.asarray(var, dtype=float)
    if target.shape != mean.shape:
        raise ValueError(f"y_true {target.shape} and y_pred {mean.shape} differ in shape")
    if var.shape != () and var.shape != target.shape:
        raise ValueError(f"var of shape {var.shape} does not fit y_true {target.shape}")
    if (var <= 0).any():
        raise ValueError("every var must be strictly positive")
    loss = 0.5 * (np.log(var) + (mean - target) ** 2 / var) + 0.5 * math.log(2 * math.pi)
    loss = np.broadcast_to(loss, target.shape)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return np.array(loss)
    raise ValueError(f"unsupported reduction: {reduction!r}")
''',
        "validation order reduction, var, shapes; np.full_like for a number var": '''
def gaussian_nll(y_true, y_pred, var=1.0, reduction="mean"):
    if reduction not in ["mean", "sum", "none"]:
        raise ValueError(f"reduction should be 'mean', 'sum' or 'none', not {reduction!r}")
    var = np.array(var, dtype=float)
    if not np.all(var > 0):
        raise ValueError(f"var (the variance) has to be positive: {var}")
    y_true, y_pred = np.array(y_true, dtype=float), np.array(y_pred, dtype=float)
    if y_pred.shape != y_true.shape:
        raise ValueError(f"y_pred {y_pred.shape} must match y_true {y_true.shape}")
    if var.shape == ():
        var = np.full_like(y_true, var)
    elif var.shape != y_true.shape:
        raise ValueError(f"var has shape {var.shape}, y_true {y_true.shape}")
    squared = np.square(y_true - y_pred)
    per_element = 0.5 * np.log(2 * np.pi * var) + squared / (2 * var)
    if reduction == "none":
        return per_element
    return per_element.sum() if reduction == "sum" else per_element.mean()
''',
        "dtype-preserving (float32 stays float32), mean as sum / size": '''
def gaussian_nll(y_true, y_pred, var=1.0, reduction="mean"):
    y_true, y_pred, var = np.asarray(y_true), np.asarray(y_pred), np.asarray(var)
    if y_true.shape != y_pred.shape:
        raise ValueError("y_true/y_pred shapes do not match")
    if var.shape not in [(), y_true.shape]:
        raise ValueError("var: wrong shape")
    if np.any(var <= 0):
        raise ValueError("var: not positive")
    log_term = np.log(2 * np.pi * var) / 2
    values = log_term + (y_true - y_pred) ** 2 / (2 * var)
    values = values + np.zeros(y_true.shape, dtype=values.dtype)
    if reduction == "none":
        return values
    if reduction == "sum":
        return np.sum(values)
    if reduction == "mean":
        return np.sum(values) / values.size
    raise ValueError("reduction: use mean, sum or none")
''',
        "the log of the Gaussian density written out, split into constant and squares": '''
def gaussian_nll(y_true, y_pred, var=1.0, reduction="mean"):
    y = np.asarray(y_true, dtype=float)
    mu = np.asarray(y_pred, dtype=float)
    v = np.asarray(var, dtype=float)
    if y.shape != mu.shape:
        raise ValueError("y_true and y_pred must have equal shapes")
    if not (v.shape == () or v.shape == y.shape):
        raise ValueError("var must be a number or an array shaped like y_true")
    if np.min(v) <= 0:
        raise ValueError("var must be positive")
    v = np.broadcast_to(v, y.shape)
    constant = 0.5 * (np.log(2.0) + np.log(np.pi) + np.log(v))
    quadratic = (y - mu) * (y - mu) / v / 2.0
    if reduction == "none":
        return constant + quadratic
    if reduction == "sum":
        return np.sum(constant) + np.sum(quadratic)
    if reduction == "mean":
        return (np.sum(constant) + np.sum(quadratic)) / y.size
    raise ValueError("unknown reduction")
''',
    },
    "sigma2_mle": {
        "np.mean of np.square of the residuals": '''
def sigma2_mle(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if np.shape(y_true) != np.shape(y_pred):
        raise ValueError("y_true and y_pred differ in shape")
    return np.mean(np.square(y_true - y_pred))
''',
        "bias squared plus the biased variance (the same number)": '''
def sigma2_mle(y_true, y_pred):
    residuals = np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float) \\
        if np.shape(y_true) == np.shape(y_pred) else None
    if residuals is None:
        raise ValueError(f"y_true {np.shape(y_true)} and y_pred {np.shape(y_pred)} must have the same shape")
    return float(np.mean(residuals) ** 2 + np.var(residuals))
''',
        "np.vdot of the flattened residuals over their number": '''
def sigma2_mle(y_true, y_pred):
    a = np.asarray(y_true, dtype=float)
    b = np.asarray(y_pred, dtype=float)
    if a.shape != b.shape:
        raise ValueError("shapes of y_true and y_pred must agree")
    r = (a - b).ravel()
    return np.vdot(r, r) / r.size
''',
        "dtype-preserving (float32 stays float32)": '''
def sigma2_mle(y_true, y_pred):
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError("y_true and y_pred: different shapes " + repr((y_true.shape, y_pred.shape)))
    residuals = y_true - y_pred
    return (residuals**2).mean()
''',
        "scipy's maximum-likelihood fit with the mean fixed at 0": '''
from scipy import stats


def sigma2_mle(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError("y_true and y_pred must have the same shape")
    residuals = np.ravel(y_true - y_pred)
    if not np.any(residuals):
        return 0.0
    return stats.norm.fit(residuals, floc=0.0)[1] ** 2
''',
    },
}
