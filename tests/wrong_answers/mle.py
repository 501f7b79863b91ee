"""Plausible wrong answers for Lab 2 (02_mle): the mistakes in CONTENT.md and a few more."""

LAB = "02_mle"

_CHECK_P_DATA = """
    p = np.asarray(p, dtype=float)
    data = np.asarray(data)
    if not np.all((data == 0) | (data == 1)):
        raise ValueError("data must contain only 0s and 1s")
    if not np.all((p >= 0) & (p <= 1)):
        raise ValueError("p must lie in [0, 1]")
    n1 = np.count_nonzero(data)
    n0 = data.size - n1
"""

_CHECK_DATA = """
    data = np.asarray(data)
    if data.size == 0:
        raise ValueError("data is empty")
    if not np.all((data == 0) | (data == 1)):
        raise ValueError("data must contain only 0s and 1s")
"""

_CHECK_GRID = """
    grid = np.asarray(grid, dtype=float)
    if grid.ndim != 1 or grid.size == 0:
        raise ValueError("grid must be a non-empty 1-D array")
"""

_CHECK_SHAPE = """    if values.shape != grid.shape:
        raise ValueError("log_likelihood must return one value per grid point")
"""

_CHECK_VALUES = "\n" + _CHECK_SHAPE + """    if np.any(np.isnan(values)):
        raise ValueError("log_likelihood returned nan")
"""

_CHECK_X = """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x is empty")
"""

_EXACT = """    with np.errstate(divide="ignore"):
        heads = n1 * np.log(p) if n1 > 0 else np.zeros_like(p)
        tails = n0 * np.log1p(-p) if n0 > 0 else np.zeros_like(p)
"""


def _log_likelihood(body: str, check: str = _CHECK_P_DATA) -> str:
    return f"def bernoulli_log_likelihood(p, data):{check}{body}\n"


def _mle(body: str, check: str = _CHECK_DATA) -> str:
    return f"def bernoulli_mle(data):{check}{body}\n"


def _grid(body: str, check: str = _CHECK_GRID) -> str:
    return f"def grid_mle(log_likelihood, grid):{check}{body}\n"


def _grid_values(ending: str, check_values: str = _CHECK_VALUES) -> str:
    return _grid(f"    values = np.asarray(log_likelihood(grid), dtype=float){check_values}{ending}")


def _gaussian(body: str, check: str = _CHECK_X) -> str:
    return f"def gaussian_mle(x):{check}{body}\n"


WRONG = {
    "bernoulli_log_likelihood": {
        "product of probabilities, then the log (underflows)": _log_likelihood(
            "    with np.errstate(divide='ignore'):\n        return np.log(p**n1 * (1 - p) ** n0)"),
        "literal formula: 0 * log 0 is nan at the boundary": _log_likelihood(
            "    with np.errstate(divide='ignore', invalid='ignore'):\n"
            "        return n1 * np.log(p) + n0 * np.log1p(-p)"),
        "clips p (the draft): finite where the truth is -inf": _log_likelihood(
            "    p = np.clip(p, 1e-10, 1 - 1e-10)\n    return n1 * np.log(p) + n0 * np.log1p(-p)"),
        "log(1 - p) instead of log1p(-p)": _log_likelihood(
            _EXACT.replace("np.log1p(-p)", "np.log(1 - p)") + "    return heads + tails"),
        "averages the log-probabilities instead of summing": _log_likelihood(
            _EXACT + "    return (heads + tails) / max(data.size, 1)"),
        "p and 1 - p swapped": _log_likelihood(
            "    with np.errstate(divide='ignore'):\n"
            "        heads = n1 * np.log1p(-p) if n1 > 0 else np.zeros_like(p)\n"
            "        tails = n0 * np.log(p) if n0 > 0 else np.zeros_like(p)\n"
            "    return heads + tails"),
        "data not validated": _log_likelihood(
            _EXACT + "    return heads + tails",
            check=_CHECK_P_DATA.replace("    if not np.all((data == 0) | (data == 1)):\n"
                                        "        raise ValueError(\"data must contain only 0s and 1s\")\n", "")
            .replace("n1 = np.count_nonzero(data)", "n1 = data.sum()")),
        "returns the likelihood, not its log": _log_likelihood(_EXACT + "    return np.exp(heads + tails)"),
        "sums over the values of p as well: one number": _log_likelihood(_EXACT + "    return np.sum(heads + tails)"),
    },
    "bernoulli_mle": {
        "posterior mean under a flat prior, (n1 + 1) / (n + 2)": _mle(
            "    return (np.count_nonzero(data) + 1) / (data.size + 2)"),
        "grid search on the draft's grid linspace(0.01, 0.99, 100)": _mle(
            "    grid = np.linspace(0.01, 0.99, 100)\n    n1 = np.count_nonzero(data)\n"
            "    return grid[np.argmax(n1 * np.log(grid) + (data.size - n1) * np.log1p(-grid))]"),
        "fraction of tails": _mle("    return 1 - np.count_nonzero(data) / data.size"),
        "number of heads, not divided by n": _mle("    return float(np.count_nonzero(data))"),
        "empty data not rejected": _mle(
            "    with np.errstate(invalid='ignore'):\n        return np.mean(data)",
            check=_CHECK_DATA.replace("    if data.size == 0:\n        raise ValueError(\"data is empty\")\n", "")),
        "data not validated": _mle(
            "    return np.mean(data)",
            check="\n    data = np.asarray(data)\n    if data.size == 0:\n        raise ValueError('data is empty')\n"),
        "median: the most common outcome, not p": _mle("    return float(np.median(data))"),
        "grid search on a fine grid: close to n1 / n, not exact": _mle(
            "    grid = np.linspace(0.0, 1.0, 1001)\n    n1 = np.count_nonzero(data)\n"
            "    with np.errstate(divide='ignore', invalid='ignore'):\n"
            "        values = n1 * np.log(grid) + (data.size - n1) * np.log1p(-grid)\n"
            "    return float(grid[np.argmax(values)])"),
    },
    "grid_mle": {
        "argmin (sign error)": _grid_values("    return float(grid[np.argmin(values)])"),
        "returns the index": _grid_values("    return int(np.argmax(values))"),
        "returns the largest log-likelihood, not where it is": _grid_values("    return float(np.max(values))"),
        "argmax of exp(log-likelihood): underflows to grid[0]": _grid_values(
            "    return float(grid[np.argmax(np.exp(values))])"),
        "nan not rejected: np.argmax picks the nan": _grid_values(
            "    return float(grid[np.argmax(values)])",
            check_values=_CHECK_VALUES.replace("    if np.any(np.isnan(values)):\n"
                                               "        raise ValueError(\"log_likelihood returned nan\")\n", "")),
        "one call per grid point": _grid(
            "    values = np.array([float(log_likelihood(g)) for g in grid])\n"
            "    if np.any(np.isnan(values)):\n        raise ValueError('log_likelihood returned nan')\n"
            "    return float(grid[np.argmax(values)])"),
        "result shape not checked": _grid_values(
            "    return float(grid[np.argmax(values)])",
            check_values=_CHECK_VALUES.replace(_CHECK_SHAPE, "")),
        "last maximiser on ties": _grid_values("    return float(grid[grid.size - 1 - np.argmax(values[::-1])])"),
        "-inf rejected like nan": _grid_values(
            "    return float(grid[np.argmax(values)])",
            check_values=_CHECK_VALUES.replace("np.any(np.isnan(values))", "not np.all(np.isfinite(values))")),
        "grid not converted: a list reaches log_likelihood": _grid(
            "    values = np.asarray(log_likelihood(grid), dtype=float)" + _CHECK_VALUES.replace("grid.shape",
                                                                                               "np.shape(grid)")
            + "    return float(np.asarray(grid)[np.argmax(values)])",
            check="\n    if np.ndim(grid) != 1 or np.size(grid) == 0:\n"
                  "        raise ValueError('grid must be a non-empty 1-D array')\n"),
    },
    "gaussian_mle": {
        "divides by n - 1 (the unbiased variance)": _gaussian(
            "    mu = x.mean()\n    return float(mu), float(np.sum((x - mu) ** 2) / (x.size - 1))"),
        "returns sigma instead of the variance": _gaussian(
            "    mu = x.mean()\n    return float(mu), float(np.sqrt(np.mean((x - mu) ** 2)))"),
        "mean(x**2) - mean(x)**2: cancels far from 0": _gaussian(
            "    mu = x.mean()\n    return float(mu), float(np.mean(x**2) - mu**2)"),
        "returns (var, mu)": _gaussian("    mu = x.mean()\n    return float(np.mean((x - mu) ** 2)), float(mu)"),
        "deviations from 0, not from the mean": _gaussian("    return float(x.mean()), float(np.mean(x**2))"),
        "median for mu": _gaussian("    mu = np.median(x)\n    return float(mu), float(np.mean((x - mu) ** 2))"),
        "empty x not rejected": _gaussian(
            "    mu = np.mean(x)\n    return float(mu), float(np.mean((x - mu) ** 2))",
            check="\n    x = np.asarray(x, dtype=float)\n"),
    },
}
