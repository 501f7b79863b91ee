"""Plausible wrong answers for Lab 7 (07_bayes_map): the mistakes in CONTENT.md and a few more, each producing at
least one hint of ``helpers.checks.bayes_map`` (tests/test_bayes_map_checks.py proves it). ``special`` is
``scipy.special``, imported by the lab's setup cell."""

LAB = "07_bayes_map"

_CHECK_A_B = """
    if not a > 0:
        raise ValueError("a must be positive")
    if not b > 0:
        raise ValueError("b must be positive")
"""

_CHECK_FLIPS = """
    flips = np.asarray(flips)
    if not np.all((flips == 0) | (flips == 1)):
        raise ValueError("flips must contain only 0s and 1s")
""" + _CHECK_A_B + """    n1 = np.count_nonzero(flips)
    n0 = flips.size - n1
"""

_CHECK_MAP = """
    flips = np.asarray(flips)
    if flips.size == 0:
        raise ValueError("flips is empty")""" + _CHECK_FLIPS

_CHECK_XY = """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim != 2:
        raise ValueError("X must be 2-D")
    if y.shape != (X.shape[0],):
        raise ValueError("y must have shape (n,)")
    if not noise_sigma > 0:
        raise ValueError("noise_sigma must be positive")
    if not prior_sigma > 0:
        raise ValueError("prior_sigma must be positive")
    d = X.shape[1]
"""

_CHECK_CHAIN = """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError("n must be a non-negative integer")
    if not step > 0:
        raise ValueError("step must be positive")
    x = float(x0)
    log_p = log_density(x)
    if not np.isfinite(log_p):
        raise ValueError("x0 must lie in the support")
"""

_INSIDE = """    p = np.asarray(p, dtype=float)
    inside = (p >= 0) & (p <= 1)
    q = np.where(inside, p, 0.5)
"""


def _beta(body: str, check: str = _CHECK_A_B, inside: str = _INSIDE) -> str:
    return f"def beta_log_pdf(p, a, b):{check}{inside}{body}\n"


def _posterior(body: str, check: str = _CHECK_FLIPS) -> str:
    return f"def beta_bernoulli_posterior(flips, a, b):{check}{body}\n"


def _map(body: str, check: str = _CHECK_MAP) -> str:
    return f"def bernoulli_map(flips, a, b):{check}    alpha, beta = a + n1, b + n0\n{body}\n"


def _ridge(body: str, check: str = _CHECK_XY) -> str:
    return f"def ridge_map(X, y, noise_sigma, prior_sigma):{check}{body}\n"


def _chain(loop: str, check: str = _CHECK_CHAIN, start: str = "[]") -> str:
    return (f"def metropolis(log_density, x0, n, step, rng):{check}    samples = {start}\n"
            f"    for _ in range(n):\n{loop}        samples.append(x)\n    return np.array(samples, dtype=float)\n")


_SOLVE = "    return np.linalg.solve(X.T @ X + lam * np.eye(d), X.T @ y)"
_EXACT = ("    value = special.xlogy(a - 1, q) + special.xlog1py(b - 1, -q) - special.betaln(a, b)\n"
          "    return np.where(inside, value, -np.inf)")
_MOVE = "            x, log_p = proposal, log_p_proposal\n"


def _step(test: str = "np.log(rng.random()) < log_p_proposal - log_p",
          proposal: str = "x + step * rng.standard_normal()", before: str = "") -> str:
    """One step of the loop: propose, evaluate, test (the stated algorithm unless told otherwise)."""
    return (f"        proposal = {proposal}\n        log_p_proposal = log_density(proposal)\n{before}"
            f"        if {test}:\n" + _MOVE)


_LOG_TEST = _step()

WRONG = {
    "beta_log_pdf": {
        "returns the density, not its log": _beta(
            "    return np.where(inside, q ** (a - 1) * (1 - q) ** (b - 1) / special.beta(a, b), 0.0)"),
        "normaliser B(a, b) left out": _beta(
            "    value = special.xlogy(a - 1, q) + special.xlog1py(b - 1, -q)\n"
            "    return np.where(inside, value, -np.inf)"),
        "log B(a, b) added instead of subtracted": _beta(
            "    value = special.xlogy(a - 1, q) + special.xlog1py(b - 1, -q) + special.betaln(a, b)\n"
            "    return np.where(inside, value, -np.inf)"),
        "exponents a and b instead of a - 1 and b - 1": _beta(
            "    value = special.xlogy(a, q) + special.xlog1py(b, -q) - special.betaln(a, b)\n"
            "    return np.where(inside, value, -np.inf)"),
        "a and b swapped": _beta(
            "    value = special.xlogy(b - 1, q) + special.xlog1py(a - 1, -q) - special.betaln(a, b)\n"
            "    return np.where(inside, value, -np.inf)"),
        "the gamma function instead of log-gamma": _beta(
            "    log_b = np.log(special.gamma(a) * special.gamma(b) / special.gamma(a + b))\n"
            "    value = special.xlogy(a - 1, q) + special.xlog1py(b - 1, -q) - log_b\n"
            "    return np.where(inside, value, -np.inf)"),
        "literal (a - 1) log p: 0 * log 0 is nan": _beta(
            "    with np.errstate(divide='ignore', invalid='ignore'):\n"
            "        value = (a - 1) * np.log(q) + (b - 1) * np.log1p(-q) - special.betaln(a, b)\n"
            "    return np.where(inside, value, -np.inf)"),
        "clips p away from 0 and 1": _beta(
            "    q = np.clip(p, 1e-12, 1 - 1e-12)\n"
            "    return special.xlogy(a - 1, q) + special.xlog1py(b - 1, -q) - special.betaln(a, b)"),
        "nan outside [0, 1]": _beta(
            "    return special.xlogy(a - 1, p) + special.xlog1py(b - 1, -p) - special.betaln(a, b)"),
        "np.atleast_1d: a number gives an array": _beta(
            _EXACT, inside="    p = np.atleast_1d(np.asarray(p, dtype=float))\n"
                           "    inside = (p >= 0) & (p <= 1)\n    q = np.where(inside, p, 0.5)\n"),
        "a and b not validated": _beta(_EXACT, check="\n"),
        "error message does not name the parameter": _beta(
            _EXACT, check="\n    if a <= 0 or b <= 0:\n        raise ValueError('parameters must be positive')\n"),
    },
    "beta_bernoulli_posterior": {
        "the prior left out": _posterior("    return float(n1), float(n0)"),
        "heads and tails swapped": _posterior("    return float(a + n0), float(b + n1)"),
        "a - 1 and b - 1: the mode's pseudo-counts": _posterior("    return float(a + n1 - 1), float(b + n0 - 1)"),
        "len(flips) for n: rows, not flips": _posterior(
            "    return float(a + n1), float(b + len(flips) - n1)"),
        "flips not validated": _posterior(
            "    flips = np.asarray(flips)\n    n1 = np.count_nonzero(flips)\n"
            "    return float(a + n1), float(b + flips.size - n1)", check="\n"),
        "a and b not validated": _posterior(
            "    flips = np.asarray(flips)\n    if not np.all((flips == 0) | (flips == 1)):\n"
            "        raise ValueError('flips must be 0 or 1')\n    n1 = np.count_nonzero(flips)\n"
            "    return float(a + n1), float(b + flips.size - n1)", check="\n"),
    },
    "bernoulli_map": {
        "the posterior mean, not the mode": _map("    return alpha / (alpha + beta)"),
        "the MLE: prior left out": _map("    return n1 / (n1 + n0)"),
        "the prior's mode: flips left out": _map("    return (a - 1) / (a + b - 2)"),
        "a and b swapped": _map("    return (b + n1 - 1) / (b + a + n1 + n0 - 2)"),
        "the formula everywhere: no boundary cases": _map("    return (alpha - 1) / (alpha + beta - 2)"),
        "the formula clipped to [0, 1]": _map(
            "    with np.errstate(divide='ignore', invalid='ignore'):\n"
            "        return float(np.clip((alpha - 1) / (alpha + beta - 2), 0.0, 1.0))"),
        "no flips: returns the prior's mode instead of raising": _map(
            "    if alpha <= 1:\n        return 0.0\n    if beta <= 1:\n        return 1.0\n"
            "    return (alpha - 1) / (alpha + beta - 2)", check=_CHECK_FLIPS),
    },
    "ridge_map": {
        "λ = prior_sigma² / noise_sigma²: swapped": _ridge(
            "    lam = prior_sigma**2 / noise_sigma**2\n" + _SOLVE),
        "λ = noise_sigma / prior_sigma: not squared": _ridge(
            "    lam = noise_sigma / prior_sigma\n" + _SOLVE),
        "least squares: the prior left out": _ridge("    return np.linalg.solve(X.T @ X, X.T @ y)"),
        "λ / n: the mean-squared-error form": _ridge(
            "    lam = noise_sigma**2 / prior_sigma**2 / len(y)\n" + _SOLVE),
        "np.linalg.inv instead of a solve": _ridge(
            "    lam = noise_sigma**2 / prior_sigma**2\n"
            "    return np.linalg.inv(X.T @ X + lam * np.eye(d)) @ (X.T @ y)"),
        "y of shape (n, 1) not rejected": _ridge(
            "    X = np.asarray(X, dtype=float)\n    y = np.asarray(y, dtype=float)\n"
            "    if X.ndim != 2:\n        raise ValueError('X must be 2-D')\n"
            "    if not noise_sigma > 0 or not prior_sigma > 0:\n"
            "        raise ValueError('noise_sigma and prior_sigma must be positive')\n"
            "    lam = noise_sigma**2 / prior_sigma**2\n"
            "    return np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)", check="\n"),
    },
    "metropolis": {
        "accepts when u > ratio": _chain(_step("np.log(rng.random()) > log_p_proposal - log_p")),
        "the ratio of densities, not of logs: underflows": _chain(
            "        proposal = x + step * rng.standard_normal()\n"
            "        with np.errstate(invalid='ignore'):\n"
            "            ratio = np.exp(log_density(proposal)) / np.exp(log_density(x))\n"
            "        if rng.random() < ratio:\n            x = proposal\n"),
        "uniform drawn before the proposal": _chain(
            "        u = rng.random()\n" + _step("np.log(u) < log_p_proposal - log_p")),
        "all proposals drawn first": (
            "def metropolis(log_density, x0, n, step, rng):" + _CHECK_CHAIN
            + "    z = rng.standard_normal(n)\n    u = rng.random(n)\n    samples = np.empty(n)\n"
            "    for t in range(n):\n" + _step("np.log(u[t]) < log_p_proposal - log_p", "x + step * z[t]")
            + "        samples[t] = x\n    return samples\n"),
        "step ignored": _chain(_step(proposal="x + rng.standard_normal()")),
        "x0 included: n + 1 states": _chain(_LOG_TEST, start="[x]"),
        "keeps only accepted states": (
            "def metropolis(log_density, x0, n, step, rng):" + _CHECK_CHAIN
            + "    samples = []\n    for _ in range(n):\n" + _LOG_TEST
            + "            samples.append(x)\n    return np.array(samples, dtype=float)\n"),
        "the global np.random, not rng": _chain(_step("np.log(np.random.random()) < log_p_proposal - log_p",
                                                      "x + step * np.random.standard_normal()")),
        "u compared with the log ratio": _chain(_step("rng.random() < log_p_proposal - log_p")),
        "always accepts": _chain(
            "        x = x + step * rng.standard_normal()\n        rng.random()\n"),
        "no uniform drawn for a proposal outside the support": _chain(_step(
            before="        if log_p_proposal == -np.inf:\n            samples.append(x)\n            continue\n")),
        "n, step and x0 not validated": _chain(_LOG_TEST, check="\n    x = float(x0)\n    log_p = log_density(x)\n"),
    },
}
