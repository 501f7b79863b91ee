"""Plausible wrong answers for Lab 8 (08_elbo_vae): the mistakes in CONTENT.md (KL sign or the -1 dropped, log_var
taken for sigma or sigma^2, a mean instead of a sum over pixels or latents, eps drawn inside the function) and a
few more. Every ``elbo`` here is self-contained (it calls none of the other exercises), so that it fails for its own
mistake only."""

LAB = "08_elbo_vae"

_KL_ARRAYS = """    mu = np.asarray(mu, dtype=float)
    log_var = np.asarray(log_var, dtype=float)
    if mu.shape != log_var.shape:
        raise ValueError("mu and log_var must have the same shape")
"""


def _kl(body: str, checks: str = _KL_ARRAYS) -> str:
    return f"def kl_to_standard_normal(mu, log_var):\n{checks}{body}\n"


_Z_ARRAYS = """    mu = np.asarray(mu, dtype=float)
    log_var = np.asarray(log_var, dtype=float)
    eps = np.asarray(eps, dtype=float)
    if mu.shape != log_var.shape:
        raise ValueError("mu and log_var must have the same shape")
    if eps.ndim < mu.ndim or eps.shape[eps.ndim - mu.ndim:] != mu.shape:
        raise ValueError("eps must end with the shape of mu")
"""


def _z(body: str, checks: str = _Z_ARRAYS) -> str:
    return f"def reparameterize(mu, log_var, eps):\n{checks}{body}\n"


_NLL_ARRAYS = """    x = np.asarray(x, dtype=float)
    logits = np.asarray(logits, dtype=float)
    if logits.ndim < x.ndim or logits.shape[logits.ndim - x.ndim:] != x.shape:
        raise ValueError("x and logits: logits must end with the shape of x")
    if not np.all((x >= 0) & (x <= 1)):
        raise ValueError("x must lie in [0, 1]")
"""

_STABLE = "np.maximum(logits, 0) - logits * x + np.log1p(np.exp(-np.abs(logits)))"


def _nll(body: str, checks: str = _NLL_ARRAYS) -> str:
    return f"def bernoulli_decoder_nll(x, logits):\n{checks}{body}\n"


_ELBO_ARRAYS = """    x = np.asarray(x, dtype=float)
    mu = np.asarray(mu, dtype=float)
    log_var = np.asarray(log_var, dtype=float)
    eps = np.asarray(eps, dtype=float)
    if eps.shape[1:] != mu.shape:
        raise ValueError("eps must have shape (S, *mu.shape)")
"""

_ELBO_PARTS = """    z = mu + np.exp(0.5 * log_var) * eps
    eta = decoder_logits(z)
    log_likelihood = -np.sum(np.maximum(eta, 0) - eta * x + np.log1p(np.exp(-np.abs(eta))), axis=-1)
    kl = 0.5 * np.sum(np.exp(log_var) + mu**2 - 1 - log_var, axis=-1)
"""


def _elbo(body: str, parts: str = _ELBO_PARTS, checks: str = _ELBO_ARRAYS) -> str:
    return f"def elbo(x, mu, log_var, decoder_logits, eps):\n{checks}{parts}{body}\n"


WRONG = {
    "kl_to_standard_normal": {
        "sign reversed: 1/2 sum(1 + log_var - mu^2 - sigma^2) without the minus": _kl(
            "    return 0.5 * np.sum(1 + log_var - mu**2 - np.exp(log_var), axis=-1)"),
        "the -1 dropped": _kl("    return 0.5 * np.sum(np.exp(log_var) + mu**2 - log_var, axis=-1)"),
        "the 1/2 missing": _kl("    return np.sum(np.exp(log_var) + mu**2 - 1 - log_var, axis=-1)"),
        "log_var taken for sigma": _kl(
            "    return 0.5 * np.sum(log_var**2 + mu**2 - 1 - np.log(log_var**2), axis=-1)"),
        "log_var taken for sigma^2": _kl("    return 0.5 * np.sum(log_var + mu**2 - 1 - np.log(log_var), axis=-1)"),
        "log_var taken for log sigma": _kl(
            "    return 0.5 * np.sum(np.exp(2 * log_var) + mu**2 - 1 - 2 * log_var, axis=-1)"),
        "the reversed KL(N(0, I) || q)": _kl(
            "    return 0.5 * np.sum(log_var + (1 + mu**2) * np.exp(-log_var) - 1, axis=-1)"),
        "mu not squared": _kl("    return 0.5 * np.sum(np.exp(log_var) + mu - 1 - log_var, axis=-1)"),
        "log(exp(log_var)): -inf at log_var = -800": _kl(
            "    variance = np.exp(log_var)\n"
            "    return 0.5 * np.sum(variance + mu**2 - 1 - np.log(variance), axis=-1)"),
        "mean over the latent dimensions": _kl(
            "    return 0.5 * np.mean(np.exp(log_var) + mu**2 - 1 - log_var, axis=-1)"),
        "summed over every axis (one number per batch)": _kl(
            "    return 0.5 * np.sum(np.exp(log_var) + mu**2 - 1 - log_var)"),
        "summed over the first axis": _kl("    return 0.5 * np.sum(np.exp(log_var) + mu**2 - 1 - log_var, axis=0)"),
        "not summed: one KL per dimension": _kl("    return 0.5 * (np.exp(log_var) + mu**2 - 1 - log_var)"),
        "no np.asarray: lists fail": _kl(
            "    return 0.5 * np.sum(np.exp(log_var) + mu**2 - 1 - log_var, axis=-1)",
            checks="    if np.shape(mu) != np.shape(log_var):\n        raise ValueError('mu and log_var differ')\n"),
        "no shape check: (2, 3) against (3,) broadcasts": _kl(
            "    return 0.5 * np.sum(np.exp(log_var) + mu**2 - 1 - log_var, axis=-1)",
            checks="    mu, log_var = np.asarray(mu, dtype=float), np.asarray(log_var, dtype=float)\n"),
    },
    "reparameterize": {
        "sigma = exp(log_var): the variance taken for sigma": _z("    return mu + np.exp(log_var) * eps"),
        "log_var taken for sigma": _z("    return mu + log_var * eps"),
        "log_var taken for sigma^2: sigma = sqrt(log_var)": _z("    return mu + np.sqrt(log_var) * eps"),
        "eps ignored: z = mu + sigma": _z("    return mu + np.exp(0.5 * log_var) + 0 * eps"),
        "mu and sigma swapped: z = mu eps + sigma": _z("    return mu * eps + np.exp(0.5 * log_var)"),
        "eps drawn inside the function (untestable)": _z(
            "    noise = np.random.default_rng().standard_normal(eps.shape)\n"
            "    return mu + np.exp(0.5 * log_var) * noise"),
        "eps must have the shape of mu: no sample axes": _z(
            "    return mu + np.exp(0.5 * log_var) * eps",
            checks=_Z_ARRAYS.replace("eps.ndim < mu.ndim or eps.shape[eps.ndim - mu.ndim:] != mu.shape",
                                     "eps.shape != mu.shape")),
        "no np.asarray: lists fail": _z(
            "    return mu + np.exp(0.5 * log_var) * eps",
            checks="    if np.shape(mu) != np.shape(log_var):\n        raise ValueError('mu and log_var differ')\n"
                   "    if np.shape(eps)[np.ndim(eps) - np.ndim(mu):] != np.shape(mu):\n"
                   "        raise ValueError('eps does not fit')\n"),
        "no check of eps: (d,) against (N, d) broadcasts": _z(
            "    return mu + np.exp(0.5 * log_var) * eps",
            checks=_Z_ARRAYS.split("    if eps.ndim")[0]),
    },
    "bernoulli_decoder_nll": {
        "the (1 - x) term missing": _nll("    return np.sum(x * np.log1p(np.exp(-logits)), axis=-1)"),
        "the log-likelihood, not its negative": _nll(f"    return -np.sum({_STABLE}, axis=-1)"),
        "log base 2": _nll(f"    return np.sum({_STABLE}, axis=-1) / np.log(2)"),
        "logits taken for probabilities": _nll(
            "    return -np.sum(x * np.log(logits) + (1 - x) * np.log(1 - logits), axis=-1)"),
        "naive sigmoid then log: inf at logit -1000": _nll(
            "    p = 1 / (1 + np.exp(-logits))\n"
            "    return -np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=-1)"),
        "probabilities clipped to [1e-7, 1 - 1e-7]": _nll(
            "    from scipy.special import expit\n"
            "    p = np.clip(expit(logits), 1e-7, 1 - 1e-7)\n"
            "    return -np.sum(x * np.log(p) + (1 - x) * np.log(1 - p), axis=-1)"),
        "np.where evaluates both branches: overflow warnings": _nll(
            "    safe = np.where(logits >= 0, (1 - x) * logits + np.log1p(np.exp(-logits)),\n"
            "                    -x * logits + np.log1p(np.exp(logits)))\n"
            "    return np.sum(safe, axis=-1)"),
        "mean over the pixels": _nll(f"    return np.mean({_STABLE}, axis=-1)"),
        "summed over every axis": _nll(f"    return np.sum({_STABLE})"),
        "not summed: one value per pixel": _nll(f"    return {_STABLE}"),
        "x not validated": _nll(
            f"    return np.sum({_STABLE}, axis=-1)",
            checks=_NLL_ARRAYS.split("    if not np.all")[0]),
        "no shape check: (4,) against (4, 1) broadcasts": _nll(
            f"    return np.sum({_STABLE}, axis=-1)",
            checks="    x = np.asarray(x, dtype=float)\n    logits = np.asarray(logits, dtype=float)\n"
                   "    if not np.all((x >= 0) & (x <= 1)):\n        raise ValueError('x must lie in [0, 1]')\n"),
        "no np.asarray: lists fail": _nll(
            f"    return np.sum({_STABLE}, axis=-1)",
            checks="    if np.any(np.less(x, 0)) or np.any(np.greater(x, 1)):\n"
                   "        raise ValueError('x out of range')\n"
                   "    if np.shape(logits)[np.ndim(logits) - np.ndim(x):] != np.shape(x):\n"
                   "        raise ValueError('x and logits do not fit')\n"),
    },
    "elbo": {
        "returns the loss -ELBO": _elbo("    return kl - np.mean(log_likelihood, axis=0)"),
        "KL added instead of subtracted": _elbo("    return np.mean(log_likelihood, axis=0) + kl"),
        "KL term missing": _elbo("    return np.mean(log_likelihood, axis=0)"),
        "mean over the pixels": _elbo(
            "    return np.mean(log_likelihood, axis=0) - kl",
            parts=_ELBO_PARTS.replace("-np.sum(np.maximum", "-np.mean(np.maximum")),
        "decoder called on mu": _elbo(
            "    return np.mean(log_likelihood, axis=0) - kl",
            parts=_ELBO_PARTS.replace("eta = decoder_logits(z)", "eta = decoder_logits(mu + 0 * z)")),
        "decoder called on eps": _elbo(
            "    return np.mean(log_likelihood, axis=0) - kl",
            parts=_ELBO_PARTS.replace("eta = decoder_logits(z)", "eta = decoder_logits(eps)")),
        "sigma = exp(log_var) in z": _elbo(
            "    return np.mean(log_likelihood, axis=0) - kl",
            parts=_ELBO_PARTS.replace("np.exp(0.5 * log_var) * eps", "np.exp(log_var) * eps")),
        "samples summed, not averaged": _elbo("    return np.sum(log_likelihood, axis=0) - kl"),
        "KL subtracted from every sample, then summed": _elbo("    return np.sum(log_likelihood - kl, axis=0)"),
        "only the first sample": _elbo("    return log_likelihood[0] - kl"),
        "mean over the batch too": _elbo("    return np.mean(log_likelihood) - kl.mean()"),
        "no mean over the samples": _elbo("    return log_likelihood - kl"),
        "the KL sampled too: mean of log p(x, z) - log q(z)": _elbo(
            "    log_prior = -0.5 * np.sum(z**2 + np.log(2 * np.pi), axis=-1)\n"
            "    log_q = -0.5 * np.sum(eps**2 + np.log(2 * np.pi) + log_var, axis=-1)\n"
            "    return np.mean(log_likelihood + log_prior - log_q, axis=0)"),
        "eps not checked: eps of mu's shape averages over the batch": _elbo(
            "    return np.mean(log_likelihood, axis=0) - kl",
            checks=_ELBO_ARRAYS.split("    if eps.shape")[0]),
        "no np.asarray: lists fail": _elbo(
            "    return np.mean(log_likelihood, axis=0) - kl",
            checks="    if eps.shape[1:] != np.shape(mu):\n        raise ValueError('eps must be (S, *mu.shape)')\n"),
    },
}
