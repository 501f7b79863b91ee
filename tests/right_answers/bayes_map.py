"""Correct answers for Lab 7 (07_bayes_map) written the ways a class writes them: other stable formulas, scipy
where the text allows it, math.lgamma for the scalar a and b, another order of validation, other error messages
that still name the parameter, other ways to count and to solve, other calls that draw the same random numbers.
Each must earn full marks (tests/test_grading.py, tests/test_bayes_map_checks.py). ``special`` is
``scipy.special``, imported by the lab's setup cell."""

LAB = "07_bayes_map"

RIGHT = {
    "beta_log_pdf": {
        "gammaln and explicit boundary cases with np.where": '''
def beta_log_pdf(p, a, b):
    if a <= 0:
        raise ValueError(f"a = {a} is not positive")
    if b <= 0:
        raise ValueError(f"b = {b} is not positive")
    p = np.asarray(p, dtype=float)
    log_norm = special.gammaln(a) + special.gammaln(b) - special.gammaln(a + b)
    with np.errstate(divide="ignore", invalid="ignore"):
        head = np.where(p == 0, 0.0 if a == 1 else (np.inf if a < 1 else -np.inf), (a - 1) * np.log(p))
        tail = np.where(p == 1, 0.0 if b == 1 else (np.inf if b < 1 else -np.inf), (b - 1) * np.log1p(-p))
        value = head + tail - log_norm
    return np.where((p < 0) | (p > 1), -np.inf, value)
''',
        "math.lgamma for the scalar parameters, b validated first": '''
import math


def beta_log_pdf(p, a, b):
    if not b > 0:
        raise ValueError("b must be > 0")
    if not a > 0:
        raise ValueError("a must be > 0")
    p = np.asarray(p, dtype=float)
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    out = np.full(p.shape, -np.inf)
    inside = (p >= 0) & (p <= 1)
    q = p[inside]
    out[inside] = special.xlogy(a - 1, q) + special.xlog1py(b - 1, -q) - log_beta
    return out if out.ndim else out[()]
''',
        "torch's formula: xlogy(b - 1, 1 - p), betaln": '''
def beta_log_pdf(p, a, b):
    for name, value in (("a", a), ("b", b)):
        if value <= 0:
            raise ValueError(f"parameter {name} must be positive, got {value}")
    p = np.asarray(p, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        log_pdf = special.xlogy(a - 1.0, p) + special.xlogy(b - 1.0, 1.0 - p) - special.betaln(a, b)
    return np.where((0.0 <= p) & (p <= 1.0), log_pdf, -np.inf)
''',
        "np.select over the cases, log-space throughout": '''
def beta_log_pdf(p, a, b):
    if a <= 0 or b <= 0:
        raise ValueError("a and b must both be positive" if a <= 0 and b <= 0 else
                         ("a must be positive" if a <= 0 else "b must be positive"))
    x = np.asarray(p, dtype=float)
    safe = np.clip(x, 0.25, 0.75)
    interior = (a - 1) * np.log(np.where((x > 0) & (x < 1), x, safe)) \\
        + (b - 1) * np.log1p(-np.where((x > 0) & (x < 1), x, safe)) - special.betaln(a, b)
    at_zero = -special.betaln(a, b) + (b - 1) * 0.0 + (np.inf if a < 1 else (-np.inf if a > 1 else 0.0))
    at_one = -special.betaln(a, b) + (np.inf if b < 1 else (-np.inf if b > 1 else 0.0))
    return np.select([(x < 0) | (x > 1), x == 0, x == 1], [-np.inf, at_zero, at_one], interior)
''',
        "scipy.special.xlogy with a masked copy, ValueError naming both": '''
def beta_log_pdf(p, a, b):
    bad = [name for name, value in (("a", a), ("b", b)) if not value > 0]
    if bad:
        raise ValueError(f"Beta parameters must be positive: {', '.join(bad)}")
    p = np.array(p, dtype=float, copy=True)
    outside = (p < 0) | (p > 1)
    p[outside] = 0.5
    result = np.asarray(special.xlogy(a - 1, p) + special.xlog1py(b - 1, -p) - special.betaln(a, b))
    result[outside] = -np.inf
    return result
''',
    },
    "beta_bernoulli_posterior": {
        "np.sum and the size": '''
def beta_bernoulli_posterior(flips, a, b):
    flips = np.asarray(flips)
    if np.any((flips != 0) & (flips != 1)):
        raise ValueError("each of flips must be 0 or 1")
    if a <= 0 or b <= 0:
        raise ValueError("a must be positive" if a <= 0 else "b must be positive")
    heads = float(np.sum(flips))
    return a + heads, b + (flips.size - heads)
''',
        "np.bincount, a list as the pair": '''
def beta_bernoulli_posterior(flips, a, b):
    if not a > 0:
        raise ValueError("prior parameter a must be > 0")
    if not b > 0:
        raise ValueError("prior parameter b must be > 0")
    flips = np.asarray(flips).ravel()
    if not np.isin(flips, (0, 1)).all():
        raise ValueError("flips: only 0 and 1 allowed")
    tails, heads = np.bincount(flips.astype(int), minlength=2)
    return [a + heads, b + tails]
''',
        "the mean times the size, as an array": '''
def beta_bernoulli_posterior(flips, a, b):
    x = np.asarray(flips, dtype=float)
    if x.size and not set(np.unique(x)) <= {0.0, 1.0}:
        raise ValueError(f"flips must be binary, got {np.unique(x)}")
    for name, value in (("a", a), ("b", b)):
        if value <= 0:
            raise ValueError(f"{name} <= 0")
    n = x.size
    n1 = x.mean() * n if n else 0.0
    return np.array([a + n1, b + n - n1])
''',
        "count_nonzero on booleans, a tuple of numpy floats": '''
def beta_bernoulli_posterior(flips, a, b):
    flips = np.asarray(flips)
    ones, zeros = flips == 1, flips == 0
    if not np.all(ones | zeros):
        raise ValueError("flips must contain only 0s and 1s")
    if min(a, b) <= 0:
        raise ValueError(f"a and b must be positive: a = {a}, b = {b}")
    return np.float64(a) + np.count_nonzero(ones), np.float64(b) + np.count_nonzero(zeros)
''',
    },
    "bernoulli_map": {
        "reuses beta_bernoulli_posterior": '''
def bernoulli_map(flips, a, b):
    if np.size(flips) == 0:
        raise ValueError("flips must hold at least one flip")
    alpha, beta = beta_bernoulli_posterior(flips, a, b)
    if alpha <= 1:
        return 0.0
    if beta <= 1:
        return 1.0
    return (alpha - 1) / (alpha + beta - 2)
''',
        "interior test first, then which parameter is larger": '''
def bernoulli_map(flips, a, b):
    flips = np.asarray(flips, dtype=float)
    if not a > 0:
        raise ValueError("a must be positive")
    if not b > 0:
        raise ValueError("b must be positive")
    if flips.size == 0 or not np.all((flips == 0) | (flips == 1)):
        raise ValueError("flips must be a non-empty array of 0s and 1s")
    n1 = flips.sum()
    alpha, beta = a + n1, b + flips.size - n1
    if alpha > 1 and beta > 1:
        return float((alpha - 1) / (alpha + beta - 2))
    return float(alpha > beta)  # one of them exceeds 1, the other does not
''',
        "pseudo-counts: a weighted average of the MLE and the prior's mode, boundaries first": '''
def bernoulli_map(flips, a, b):
    flips = np.asarray(flips)
    if flips.size == 0:
        raise ValueError("no flips: flips is empty")
    if np.any((flips != 0) & (flips != 1)):
        raise ValueError("flips must be 0/1")
    if a <= 0 or b <= 0:
        raise ValueError("a must be > 0" if a <= 0 else "b must be > 0")
    n = flips.size
    n1 = np.count_nonzero(flips)
    if a + n1 <= 1:
        return 0.0
    if b + n - n1 <= 1:
        return 1.0
    return np.float64(n1 + a - 1) / (n + a + b - 2)
''',
        "np.where over the cases": '''
def bernoulli_map(flips, a, b):
    x = np.asarray(flips)
    for name, value in (("a", a), ("b", b)):
        if not value > 0:
            raise ValueError(f"{name} must be positive (got {value})")
    if x.size == 0:
        raise ValueError("flips is empty")
    if not np.all(np.isin(x, [0, 1])):
        raise ValueError("flips has values other than 0 and 1")
    alpha = a + np.count_nonzero(x == 1)
    beta = b + np.count_nonzero(x == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        interior = (alpha - 1) / (alpha + beta - 2)
    return float(np.where(alpha <= 1, 0.0, np.where(beta <= 1, 1.0, interior)))
''',
    },
    "ridge_map": {
        "scipy.linalg.cho_solve: XᵀX + λI is positive definite": '''
from scipy import linalg


def ridge_map(X, y, noise_sigma, prior_sigma):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must have shape (n, d), got {X.shape}")
    if y.ndim != 1 or len(y) != len(X):
        raise ValueError(f"y must have shape ({len(X)},), got {y.shape}")
    if noise_sigma <= 0:
        raise ValueError("noise_sigma must be positive")
    if prior_sigma <= 0:
        raise ValueError("prior_sigma must be positive")
    lam = (noise_sigma / prior_sigma) ** 2
    A = X.T @ X + lam * np.eye(X.shape[1])
    return linalg.cho_solve(linalg.cho_factor(A), X.T @ y)
''',
        "lstsq on the augmented system [X; √λ I] w ≈ [y; 0]": '''
def ridge_map(X, y, noise_sigma, prior_sigma):
    if not noise_sigma > 0:
        raise ValueError("noise_sigma must be > 0")
    if not prior_sigma > 0:
        raise ValueError("prior_sigma must be > 0")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2:
        raise ValueError("X must be a matrix")
    if y.shape != (X.shape[0],):
        raise ValueError("y must be a vector with one entry per row of X")
    d = X.shape[1]
    root = noise_sigma / prior_sigma
    augmented = np.vstack([X, root * np.eye(d)])
    return np.linalg.lstsq(augmented, np.concatenate([y, np.zeros(d)]), rcond=None)[0]
''',
        "np.linalg.solve with einsum and np.identity, y validated first": '''
def ridge_map(X, y, noise_sigma, prior_sigma):
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    if y.ndim != 1:
        raise ValueError("y must be 1-D")
    if X.ndim != 2:
        raise ValueError("X must be 2-D")
    if X.shape[0] != y.shape[0]:
        raise ValueError("X and y disagree: y needs one value per row of X")
    if min(noise_sigma, prior_sigma) <= 0:
        raise ValueError("noise_sigma must be positive" if noise_sigma <= 0 else "prior_sigma must be positive")
    gram = np.einsum("ni,nj->ij", X, X)
    return np.linalg.solve(gram + noise_sigma**2 / prior_sigma**2 * np.identity(X.shape[1]), X.T.dot(y))
''',
        "scipy.linalg.solve(assume_a='pos')": '''
import scipy.linalg


def ridge_map(X, y, noise_sigma, prior_sigma):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    problems = []
    if X.ndim != 2:
        problems.append("X must be 2-D")
    elif y.shape != (len(X),):
        problems.append("y must have shape (n,)")
    if not noise_sigma > 0:
        problems.append("noise_sigma must be positive")
    if not prior_sigma > 0:
        problems.append("prior_sigma must be positive")
    if problems:
        raise ValueError("; ".join(problems))
    lam = noise_sigma**2 / prior_sigma**2
    return scipy.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y, assume_a="pos")
''',
        "the SVD of X: w = V diag(s / (s² + λ)) Uᵀ y": '''
def ridge_map(X, y, noise_sigma, prior_sigma):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2:
        raise ValueError("X: expected 2 dimensions")
    if y.shape != X.shape[:1]:
        raise ValueError("y: expected shape (n,)")
    if noise_sigma <= 0 or prior_sigma <= 0:
        raise ValueError("noise_sigma must be positive" if noise_sigma <= 0 else "prior_sigma must be positive")
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    lam = noise_sigma**2 / prior_sigma**2
    return Vt.T @ (s / (s**2 + lam) * (U.T @ y))
''',
    },
    "metropolis": {
        "u < exp(min(0, Δ)), states in a preallocated array": '''
def metropolis(log_density, x0, n, step, rng):
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise ValueError("n must be a non-negative integer")
    if not step > 0:
        raise ValueError("step must be positive")
    x = x0
    current = log_density(x)
    if current == -np.inf:
        raise ValueError("log_density(x0) is -inf: x0 is outside the support")
    chain = np.zeros(n)
    for t in range(n):
        proposal = x + step * rng.standard_normal()
        candidate = log_density(proposal)
        u = rng.random()
        if u < np.exp(min(0.0, candidate - current)):
            x, current = proposal, candidate
        chain[t] = x
    return chain
''',
        "rng.normal(x, step) and rng.uniform(), a list": '''
def metropolis(log_density, x0, n, step, rng):
    if step <= 0:
        raise ValueError(f"step must be > 0, got {step}")
    if int(n) != n or n < 0:
        raise ValueError(f"n must be a whole number >= 0, got {n}")
    if not np.isfinite(log_density(x0)):
        raise ValueError(f"x0 = {x0} has zero density")
    samples = []
    x = float(x0)
    for _ in range(int(n)):
        proposal = rng.normal(x, step)
        if np.log(rng.uniform()) < log_density(proposal) - log_density(x):
            x = proposal
        samples.append(x)
    return np.asarray(samples)
''',
        "accept when Δ >= 0, else with probability exp(Δ)": '''
def metropolis(log_density, x0, n, step, rng):
    if isinstance(n, bool) or not float(n).is_integer() or n < 0:
        raise ValueError("n must be a non-negative integer")
    if step <= 0:
        raise ValueError("the proposal scale step must be positive")
    log_p = log_density(x0)
    if log_p == -np.inf:
        raise ValueError("x0 lies outside the support of the target")
    x = float(x0)
    out = np.empty(int(n), dtype=np.float64)
    for i in range(int(n)):
        z = rng.standard_normal()
        u = rng.random()
        proposal = x + z * step
        log_q = log_density(proposal)
        delta = log_q - log_p
        if delta >= 0 or u < np.exp(delta):
            x, log_p = proposal, log_q
        out[i] = x
    return out
''',
        "a while loop, x0 checked first": '''
def metropolis(log_density, x0, n, step, rng):
    start = float(log_density(x0))
    if not np.isfinite(start):
        raise ValueError("x0: its log-density is not finite")
    if not (isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 0):
        raise ValueError("n must be a non-negative integer")
    if not step > 0:
        raise ValueError("step must be positive")
    states = np.empty(n)
    x, log_x = float(x0), start
    t = 0
    while t < n:
        y = x + step * rng.standard_normal()
        log_y = log_density(y)
        if np.log(rng.random()) < log_y - log_x:
            x, log_x = y, log_y
        states[t] = x
        t += 1
    return states
''',
    },
}
