"""Plausible wrong answers for Lab 3 (03_gaussian_mse): the mistakes in CONTENT.md and a few more."""

LAB = "03_gaussian_mse"

_ARRAYS = """
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
"""

_CHECK_SHAPES = """    if y_true.shape != y_pred.shape:
        raise ValueError("y_true and y_pred must have the same shape")
"""

_CHECK_REDUCTION = """    if reduction not in ("mean", "sum", "none"):
        raise ValueError("reduction must be 'mean', 'sum' or 'none'")
"""

_REDUCE = """    if reduction == "none":
        return values
    return values.sum() if reduction == "sum" else values.mean()
"""

_CHECK_VAR = """    var = np.asarray(var, dtype=float)
    if var.shape not in ((), y_true.shape):
        raise ValueError("var must be a number or have the shape of y_true")
    if np.any(var <= 0):
        raise ValueError("var must be positive")
"""


def _mse(body: str, checks: str = _CHECK_SHAPES + _CHECK_REDUCTION, reduce: str = _REDUCE) -> str:
    return f"def mse_loss(y_true, y_pred, reduction='mean'):{_ARRAYS}{checks}{body}\n{reduce}"


def _nll(values: str, checks: str = _CHECK_SHAPES + _CHECK_VAR + _CHECK_REDUCTION, reduce: str = _REDUCE) -> str:
    return (f"def gaussian_nll(y_true, y_pred, var=1.0, reduction='mean'):{_ARRAYS}{checks}"
            f"    values = np.broadcast_to({values}, y_true.shape)\n{reduce}")


def _sigma2(body: str, checks: str = _CHECK_SHAPES) -> str:
    return f"def sigma2_mle(y_true, y_pred):{_ARRAYS}{checks}{body}\n"


_FULL = "0.5 * np.log(2 * np.pi * var) + (y_true - y_pred) ** 2 / (2 * var)"

WRONG = {
    "mse_loss": {
        "'mean' returns the sum (the draft's mixed reductions)": _mse(
            "    values = (y_true - y_pred) ** 2",
            reduce="    return values if reduction == 'none' else values.sum()\n"),
        "root of the MSE": _mse(
            "    values = (y_true - y_pred) ** 2",
            reduce=("    if reduction == 'none':\n        return values\n"
                    "    return np.sqrt(values.sum() if reduction == 'sum' else values.mean())\n")),
        "absolute instead of squared errors": _mse("    values = np.abs(y_true - y_pred)"),
        "half the squared error (the Gaussian's 1/2 kept)": _mse("    values = 0.5 * (y_true - y_pred) ** 2"),
        "no shape check: (N,) against (N, 1) broadcasts to (N, N)": _mse(
            "    values = (y_true - y_pred) ** 2", checks=_CHECK_REDUCTION),
        "mean along axis 0 only": _mse(
            "    values = (y_true - y_pred) ** 2",
            reduce=("    if reduction == 'none':\n        return values\n"
                    "    return values.sum() if reduction == 'sum' else values.mean(axis=0)\n")),
        "invalid reduction silently gives the mean": _mse(
            "    values = (y_true - y_pred) ** 2", checks=_CHECK_SHAPES),
        "'sum' returns the mean": _mse(
            "    values = (y_true - y_pred) ** 2",
            reduce="    return values if reduction == 'none' else values.mean()\n"),
        "'none' returns the mean": _mse(
            "    values = (y_true - y_pred) ** 2",
            reduce="    return values.sum() if reduction == 'sum' else values.mean()\n"),
        "no np.asarray: lists and plain numbers fail": (
            "def mse_loss(y_true, y_pred, reduction='mean'):\n"
            "    if np.shape(y_true) != np.shape(y_pred):\n"
            "        raise ValueError('y_true and y_pred must have the same shape')\n"
            "    if reduction not in ('mean', 'sum', 'none'):\n"
            "        raise ValueError('reduction must be mean, sum or none')\n"
            "    values = (y_true - y_pred) ** 2\n"
            "    if reduction == 'none':\n"
            "        return values\n"
            "    return values.sum() if reduction == 'sum' else values.mean()\n"),
        "compares lengths, not shapes: (N,) against (N, 1) passes": _mse(
            "    values = (y_true - y_pred) ** 2",
            checks=("    if y_true.size != y_pred.size:\n"
                    "        raise ValueError('y_true and y_pred must have the same length')\n" + _CHECK_REDUCTION)),
        "flattens both before comparing the shapes": (
            "def mse_loss(y_true, y_pred, reduction='mean'):\n"
            "    y_true = np.ravel(np.asarray(y_true, dtype=float))\n"
            "    y_pred = np.ravel(np.asarray(y_pred, dtype=float))\n"
            + _CHECK_SHAPES + _CHECK_REDUCTION +
            "    values = (y_true - y_pred) ** 2\n" + _REDUCE),
        "accepts any capitalisation of reduction (reduction.lower())": _mse(
            "    values = (y_true - y_pred) ** 2",
            checks=_CHECK_SHAPES + "    reduction = reduction.lower()\n" + _CHECK_REDUCTION),
    },
    "gaussian_nll": {
        "var treated as sigma (squared again)": _nll(
            "0.5 * np.log(2 * np.pi * var**2) + (y_true - y_pred) ** 2 / (2 * var**2)"),
        "missing the 1/2 on the squared error": _nll(
            "0.5 * np.log(2 * np.pi * var) + (y_true - y_pred) ** 2 / var"),
        "missing the constant 1/2 log(2 pi var): off by 0.9189 at var = 1": _nll(
            "(y_true - y_pred) ** 2 / (2 * var)"),
        "missing the 1/2 on the log term": _nll(
            "np.log(2 * np.pi * var) + (y_true - y_pred) ** 2 / (2 * var)"),
        "no check of var: var <= 0 gives nan or inf": _nll(
            _FULL, checks=_CHECK_SHAPES + "    var = np.asarray(var, dtype=float)\n" + _CHECK_REDUCTION),
        "no shape check: (N,) against (N, 1) broadcasts to (N, N)": (
            "def gaussian_nll(y_true, y_pred, var=1.0, reduction='mean'):\n"
            "    var = np.asarray(var, dtype=float)\n"
            "    if np.any(var <= 0):\n"
            "        raise ValueError('var must be positive')\n"
            "    if reduction not in ('mean', 'sum', 'none'):\n"
            "        raise ValueError('reduction must be mean, sum or none')\n"
            "    squared = (np.asarray(y_true, dtype=float) - np.asarray(y_pred, dtype=float)) ** 2\n"
            "    values = 0.5 * np.log(2 * np.pi * var) + squared / (2 * var)\n"
            "    if reduction == 'none':\n"
            "        return values\n"
            "    return values.sum() if reduction == 'sum' else values.mean()\n"),
        "'mean' returns the sum (the draft's summed NLL)": _nll(
            _FULL, reduce="    return values if reduction == 'none' else values.sum()\n"),
        "var square-rooted: sigma = sqrt(var) used where sigma^2 belongs": _nll(
            "0.5 * np.log(2 * np.pi * np.sqrt(var)) + (y_true - y_pred) ** 2 / (2 * np.sqrt(var))"),
        "PyTorch's full=False: the 1/2 log(2 pi) dropped": _nll(
            "0.5 * (np.log(var) + (y_true - y_pred) ** 2 / var)"),
        "a per-sample var averaged into one number": _nll(
            "0.5 * np.log(2 * np.pi * var.mean()) + (y_true - y_pred) ** 2 / (2 * var.mean())"),
        "no check of the shape of var: (N, 1) broadcasts": _nll(
            _FULL, checks=_CHECK_SHAPES + "    var = np.asarray(var, dtype=float)\n"
            "    if np.any(var <= 0):\n        raise ValueError('var must be positive')\n" + _CHECK_REDUCTION),
        "'none' returns the mean": _nll(
            _FULL, reduce="    return values.sum() if reduction == 'sum' else values.mean()\n"),
        "no np.asarray: lists and plain numbers fail": (
            "import math\n\n\n"
            "def gaussian_nll(y_true, y_pred, var=1.0, reduction='mean'):\n"
            "    if np.shape(y_true) != np.shape(y_pred):\n"
            "        raise ValueError('y_true and y_pred must have the same shape')\n"
            "    if np.shape(var) not in ((), np.shape(y_true)):\n"
            "        raise ValueError('var has the wrong shape')\n"
            "    if np.any(np.less_equal(var, 0)):\n"
            "        raise ValueError('var must be positive')\n"
            "    if reduction not in ('mean', 'sum', 'none'):\n"
            "        raise ValueError('reduction must be mean, sum or none')\n"
            "    values = 0.5 * np.log(2 * math.pi * var) + (y_true - y_pred) ** 2 / (2 * var)\n"
            "    if reduction == 'none':\n"
            "        return values\n"
            "    return values.sum() if reduction == 'sum' else values.mean()\n"),
    },
    "sigma2_mle": {
        "returns sigma, not sigma^2": _sigma2("    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))"),
        "divides by n - 1": _sigma2(
            "    return float(np.sum((y_true - y_pred) ** 2) / (y_true.size - 1))"),
        "np.var of the residuals: centred on the mean residual": _sigma2("    return float(np.var(y_true - y_pred))"),
        "returns the SSE": _sigma2("    return float(np.sum((y_true - y_pred) ** 2))"),
        "half the MSE": _sigma2("    return float(0.5 * np.mean((y_true - y_pred) ** 2))"),
        "no shape check: (N,) against (N, 1) broadcasts to (N, N)": _sigma2(
            "    return float(np.mean((y_true - y_pred) ** 2))", checks=""),
        "squares the mean residual instead of averaging the squares": _sigma2(
            "    return float(np.mean(y_true - y_pred) ** 2)"),
        "bias squared plus the n - 1 sample variance of the residuals": _sigma2(
            "    residuals = y_true - y_pred\n"
            "    return float(np.mean(residuals) ** 2 + np.var(residuals, ddof=1))"),
        "one variance per column (mean along axis 0)": _sigma2("    return np.mean((y_true - y_pred) ** 2, axis=0)"),
    },
}
