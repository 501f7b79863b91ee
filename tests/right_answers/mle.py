"""Correct answers to Lab 2 (02_mle) written the ways a class writes them: each must earn full marks."""

LAB = "02_mle"

RIGHT = {
    "bernoulli_log_likelihood": {
        "scipy.special.xlogy and xlog1py (0 * log 0 = 0 built in)": '''from scipy import special


def bernoulli_log_likelihood(p, data):
    p = np.asarray(p, dtype=float)
    data = np.asarray(data)
    if not np.all((data == 0) | (data == 1)):
        raise ValueError("every element of data must be 0 or 1")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be a probability")
    n1 = np.count_nonzero(data)
    return special.xlogy(n1, p) + special.xlog1py(data.size - n1, -p)
''',
        "np.where on the counts, p validated first, other messages": '''def bernoulli_log_likelihood(p, data):
    p = np.asarray(p, dtype=float)
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError(f"invalid p = {p}: a probability lies in [0, 1]")
    data = np.asarray(data)
    if data.size and not np.isin(data, [0, 1]).all():
        raise ValueError("data: only 0s and 1s (tails and heads) are allowed")
    n1 = int(np.sum(data == 1))
    n0 = int(np.sum(data == 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        heads = np.where(n1 > 0, n1 * np.log(p), 0.0)
        tails = np.where(n0 > 0, n0 * np.log1p(-p), 0.0)
    return heads + tails
''',
        "per-flip log-probabilities summed (broadcasting, no loop)": '''def bernoulli_log_likelihood(p, data):
    p = np.asarray(p, dtype=float)
    flips = np.asarray(data).ravel()
    if not np.all((flips == 0) | (flips == 1)):
        raise ValueError("data must hold only 0s and 1s")
    if not np.all((0 <= p) & (p <= 1)):
        raise ValueError("p outside [0, 1]")
    heads = flips.astype(bool).reshape(-1, *([1] * p.ndim))
    with np.errstate(divide="ignore"):
        per_flip = np.where(heads, np.log(p), np.log1p(-p))
    return per_flip.sum(axis=0)
''',
        "p not converted (plain numpy functions), counts of == 1 and == 0": '''def bernoulli_log_likelihood(p, data):
    data = np.asarray(data)
    if ((data != 0) & (data != 1)).any():
        raise ValueError("data contains a value other than 0 and 1")
    if np.any(np.less(p, 0)) or np.any(np.greater(p, 1)):
        raise ValueError("p is not in [0, 1]")
    n1 = np.count_nonzero(data == 1)
    n0 = np.count_nonzero(data == 0)
    result = np.zeros(np.shape(p))
    with np.errstate(divide="ignore"):
        if n1:
            result = result + n1 * np.log(p)
        if n0:
            result = result + n0 * np.log1p(np.negative(p))
    return result
''',
        "dtype-preserving: a float32 p is computed in float32": '''def bernoulli_log_likelihood(p, data):
    p = np.asarray(p)
    if not np.issubdtype(p.dtype, np.floating):
        p = p.astype(np.float64)
    data = np.asarray(data)
    if not np.all(np.isin(data, (0, 1))):
        raise ValueError("data should be 0/1 flips")
    if not ((p >= 0) & (p <= 1)).all():
        raise ValueError("p must satisfy 0 <= p <= 1")
    n1 = np.count_nonzero(data)
    n0 = data.size - n1
    zero = np.zeros_like(p)
    with np.errstate(divide="ignore"):
        heads = n1 * np.log(p) if n1 > 0 else zero
        tails = n0 * np.log1p(-p) if n0 > 0 else zero
    return heads + tails
''',
    },
    "bernoulli_mle": {
        "np.mean of the flips": '''def bernoulli_mle(data):
    data = np.asarray(data)
    if data.size == 0:
        raise ValueError("no data: the MLE needs at least one flip")
    if not np.all((data == 0) | (data == 1)):
        raise ValueError("data must be 0s and 1s")
    return float(np.mean(data))
''',
        "sum / len, the values validated before the size": '''def bernoulli_mle(data):
    flips = np.asarray(data).ravel()
    if not np.isin(flips, (0, 1)).all():
        raise ValueError(f"data must contain only 0 and 1, got {np.unique(flips)}")
    if len(flips) == 0:
        raise ValueError("empty data")
    return flips.sum() / len(flips)
''',
        "counts of == 1 and == 0, n = n1 + n0": '''def bernoulli_mle(data):
    data = np.asarray(data)
    n1 = np.count_nonzero(data == 1)
    n0 = np.count_nonzero(data == 0)
    if n1 + n0 != data.size:
        raise ValueError("data: every flip is 0 or 1")
    if data.size == 0:
        raise ValueError("data is empty")
    return n1 / (n1 + n0)
''',
        "statistics.fmean of the flips as floats": '''import statistics


def bernoulli_mle(data):
    flips = np.asarray(data, dtype=float).ravel()
    if flips.size == 0:
        raise ValueError("data has no flips")
    if not np.isin(flips, [0.0, 1.0]).all():
        raise ValueError("data must be 0/1")
    return statistics.fmean(flips)
''',
        "booleans: the mean of data.astype(bool)": '''def bernoulli_mle(data):
    data = np.asarray(data)
    if np.size(data) < 1:
        raise ValueError("bernoulli_mle needs data: got none")
    if np.any((data != 0) & (data != 1)):
        raise ValueError("data may only hold 0 (tails) and 1 (heads)")
    return data.astype(bool).mean()
''',
    },
    "grid_mle": {
        "first index of values == values.max(), nan checked first": '''def grid_mle(log_likelihood, grid):
    grid = np.array(grid, dtype=float)
    if grid.ndim != 1:
        raise ValueError(f"grid must be 1-D, got {grid.ndim} dimensions")
    if len(grid) == 0:
        raise ValueError("grid is empty")
    values = np.asarray(log_likelihood(grid), dtype=float)
    if np.isnan(values).any():
        raise ValueError("log_likelihood gave nan")
    if values.shape != grid.shape:
        raise ValueError("log_likelihood must give one value per point")
    best = np.flatnonzero(values == values.max())[0]
    return float(grid[best])
''',
        "calls log_likelihood first, then validates the grid": '''def grid_mle(log_likelihood, grid):
    theta = np.asarray(grid, dtype=float)
    values = np.asarray(log_likelihood(theta))
    if theta.ndim != 1 or theta.size == 0:
        raise ValueError("grid: a non-empty 1-D array of candidates is needed")
    if values.shape != theta.shape or np.isnan(values).any():
        raise ValueError("log_likelihood(grid) must give one number (not nan) per grid point")
    return theta[values.argmax()].item()
''',
        "integer grids kept as integers (np.asarray without dtype)": '''def grid_mle(log_likelihood, grid):
    grid = np.asarray(grid)
    if grid.ndim != 1 or not grid.size:
        raise ValueError("grid must be non-empty and 1-D")
    values = np.asarray(log_likelihood(grid), dtype=float)
    if values.shape != grid.shape:
        raise ValueError(f"log_likelihood returned shape {values.shape} for a grid of shape {grid.shape}")
    if np.any(values != values):
        raise ValueError("log_likelihood returned nan")
    return float(grid[int(np.argmax(values))])
''',
        "a stable sort of -values: the first of the largest": '''def grid_mle(log_likelihood, grid):
    grid = np.asarray(grid, dtype=np.float64)
    if grid.shape != (grid.size,) or grid.size < 1:
        raise ValueError("grid should be a 1-D array with at least one value")
    values = np.asarray(log_likelihood(grid), dtype=np.float64)
    if values.shape != grid.shape:
        raise ValueError("log_likelihood: wrong number of values")
    if np.isnan(values).any():
        raise ValueError("nan from log_likelihood")
    order = np.argsort(-values, kind="stable")
    return float(grid[order[0]])
''',
    },
    "gaussian_mle": {
        "np.var (ddof=0 divides by n)": '''def gaussian_mle(x):
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        raise ValueError("x must hold at least one observation")
    return float(np.mean(x)), float(np.var(x))
''',
        "statistics.fmean and statistics.pvariance (exact)": '''import statistics


def gaussian_mle(x):
    values = np.asarray(x, dtype=float).ravel().tolist()
    if len(values) == 0:
        raise ValueError("x is empty")
    return statistics.fmean(values), statistics.pvariance(values)
''',
        "shifted by the first value, as a streaming algorithm does": '''def gaussian_mle(x):
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    if len(x) == 0:
        raise ValueError("empty x: nothing to estimate from")
    shift = x[0]
    d = x - shift
    mean_d = d.sum() / len(x)
    var = ((d - mean_d) ** 2).sum() / len(x)
    return float(shift + mean_d), float(var)
''',
        "dtype-preserving: float32 in, float32 out": '''def gaussian_mle(x):
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    if x.size == 0:
        raise ValueError(f"x has no elements (shape {x.shape})")
    mu = x.mean()
    var = ((x - mu) ** 2).mean()
    return mu, var
''',
        "PyTorch's torch.var(x, correction=0), written with sums": '''def gaussian_mle(x):
    x = np.asarray(x, dtype=float)
    n = x.size
    if n == 0:
        raise ValueError("gaussian_mle(x): x is empty")
    mu = x.sum() / n
    var = np.square(x - mu).sum() / n
    return float(mu), float(var)
''',
    },
}
