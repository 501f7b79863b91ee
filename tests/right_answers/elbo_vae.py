"""Correct answers to Lab 8 (08_elbo_vae) written the ways a class writes them: each must earn full marks.

The ``elbo`` answers that call ``kl_to_standard_normal``, ``reparameterize`` or ``bernoulli_decoder_nll`` use the
student's own functions, as the exercise asks; in the grading round trip those are the right answers of the same
submission, and in ``tests/test_elbo_vae_checks.py`` the solution's."""

LAB = "08_elbo_vae"

RIGHT = {
    "kl_to_standard_normal": {
        "PyTorch's form -1/2 sum(1 + log_var - mu^2 - exp(log_var)), another message": '''
def kl_to_standard_normal(mu, log_var):
    mu = np.asarray(mu, dtype=np.float64)
    log_var = np.asarray(log_var, dtype=np.float64)
    if mu.shape != log_var.shape:
        raise ValueError(f"shape mismatch: mu {mu.shape} vs log_var {log_var.shape}")
    return -0.5 * np.sum(1 + log_var - mu**2 - np.exp(log_var), axis=-1)
''',
        "dtype-preserving (float32 stays float32), .sum(-1) and mu * mu": '''
def kl_to_standard_normal(mu, log_var):
    mu, log_var = np.asarray(mu), np.asarray(log_var)
    if np.shape(mu) != np.shape(log_var):
        raise ValueError("mu and log_var need identical shapes")
    variance = np.exp(log_var)
    return 0.5 * (variance + mu * mu - 1 - log_var).sum(-1)
''',
        "np.expm1 for sigma^2 - 1 (accurate near log_var = 0)": '''
def kl_to_standard_normal(mu, log_var):
    mu = np.asarray(mu, dtype=float)
    log_var = np.asarray(log_var, dtype=float)
    if mu.shape != log_var.shape:
        raise ValueError("mu, log_var: the shapes differ (" + str(mu.shape) + ", " + str(log_var.shape) + ")")
    per_dimension = 0.5 * (np.expm1(log_var) - log_var + np.square(mu))
    return per_dimension.sum(axis=-1)
''',
        "Lab 5's Gaussian KL log(s_p / s_q) + (s_q^2 + (m_q - m_p)^2) / (2 s_p^2) - 1/2 with p = N(0, 1)": '''
def kl_to_standard_normal(mu, log_var):
    mu = np.array(mu, dtype=float)
    log_var = np.array(log_var, dtype=float)
    if mu.ndim != log_var.ndim or mu.shape != log_var.shape:
        raise ValueError(f"log_var must have the shape of mu: {log_var.shape} != {mu.shape}")
    log_ratio = -0.5 * log_var  # log(sigma_p / sigma_q) with sigma_p = 1
    return np.add.reduce(log_ratio + (np.exp(log_var) + (mu - 0.0) ** 2) / 2.0 - 0.5, axis=mu.ndim - 1)
''',
        "np.einsum over the last axis, shapes checked with np.shape first": '''
def kl_to_standard_normal(mu, log_var):
    if np.shape(mu) != np.shape(log_var):
        raise ValueError(f"mu has shape {np.shape(mu)} and log_var has shape {np.shape(log_var)}")
    mu = np.asarray(mu, dtype=float)
    log_var = np.asarray(log_var, dtype=float)
    terms = np.exp(log_var) + mu**2 - 1.0 - log_var
    return 0.5 * np.einsum("...j->...", terms)
''',
    },
    "reparameterize": {
        "np.sqrt(np.exp(log_var)), eps validated first": '''
def reparameterize(mu, log_var, eps):
    mu = np.asarray(mu, dtype=float)
    log_var = np.asarray(log_var, dtype=float)
    eps = np.asarray(eps, dtype=float)
    if eps.ndim < mu.ndim or eps.shape[eps.ndim - mu.ndim:] != mu.shape:
        raise ValueError(f"eps of shape {eps.shape} does not end with the shape of mu {mu.shape}")
    if log_var.shape != mu.shape:
        raise ValueError(f"mu and log_var differ in shape: {mu.shape}, {log_var.shape}")
    return mu + np.sqrt(np.exp(log_var)) * eps
''',
        "PyTorch's example: std = exp(0.5 * logvar); eps * std + mu, dtype-preserving": '''
def reparameterize(mu, log_var, eps):
    mu, log_var, eps = np.asarray(mu), np.asarray(log_var), np.asarray(eps)
    if mu.shape != log_var.shape:
        raise ValueError("mu and log_var must have the same shape")
    if tuple(eps.shape[-mu.ndim:]) != mu.shape or eps.ndim < mu.ndim:
        raise ValueError("the trailing axes of eps must be mu's shape")
    std = np.exp(0.5 * log_var)
    return eps * std + mu
''',
        "np.add and np.multiply, sigma = exp(log_var / 2), shapes compared from the end": '''
def reparameterize(mu, log_var, eps):
    mu = np.asarray(mu, dtype=float)
    log_var = np.asarray(log_var, dtype=float)
    eps = np.asarray(eps, dtype=float)
    if np.shape(mu) != np.shape(log_var):
        raise ValueError(f"mu {mu.shape} and log_var {log_var.shape}: shapes must match")
    trailing = eps.shape[len(eps.shape) - len(mu.shape):] if len(eps.shape) >= len(mu.shape) else None
    if trailing != mu.shape:
        raise ValueError(f"eps: expected shape (..., {', '.join(map(str, mu.shape))}), got {eps.shape}")
    return np.add(mu, np.multiply(np.exp(log_var / 2), eps))
''',
        "np.broadcast_to the sample shape, explicit leading axes": '''
def reparameterize(mu, log_var, eps):
    mu = np.asarray(mu, dtype=float)
    log_var = np.asarray(log_var, dtype=float)
    eps = np.asarray(eps, dtype=float)
    if mu.shape != log_var.shape:
        raise ValueError("log_var must have the same shape as mu")
    leading = eps.ndim - mu.ndim
    if leading < 0 or eps.shape[leading:] != mu.shape:
        raise ValueError(f"eps must have shape (S, ...) + {mu.shape}, got {eps.shape}")
    sigma = np.broadcast_to(np.exp(0.5 * log_var), eps.shape)
    return np.broadcast_to(mu, eps.shape) + sigma * eps
''',
    },
    "bernoulli_decoder_nll": {
        "scipy.special.log_expit: -(x log sigmoid(eta) + (1 - x) log sigmoid(-eta))": '''
from scipy.special import log_expit


def bernoulli_decoder_nll(x, logits):
    x = np.asarray(x, dtype=float)
    logits = np.asarray(logits, dtype=float)
    if logits.ndim < x.ndim or logits.shape[logits.ndim - x.ndim:] != x.shape:
        raise ValueError(f"x {x.shape} and logits {logits.shape} do not match")
    if np.any((x < 0) | (x > 1)):
        raise ValueError("x must be 0 or 1")
    return -np.sum(x * log_expit(logits) + (1 - x) * log_expit(-logits), axis=-1)
''',
        "PyTorch's arrangement (1 - x) eta - logsigmoid(eta), x checked first": '''
def bernoulli_decoder_nll(x, logits):
    x = np.asarray(x, dtype=float)
    eta = np.asarray(logits, dtype=float)
    if not ((x >= 0) & (x <= 1)).all():
        raise ValueError(f"x holds values outside [0, 1]: {x[(x < 0) | (x > 1)]}")
    if eta.shape[max(eta.ndim - x.ndim, 0):] != x.shape or eta.ndim < x.ndim:
        raise ValueError(f"logits shape {eta.shape} must end with x shape {x.shape}")
    log_sigmoid = np.minimum(eta, 0) - np.log1p(np.exp(-np.abs(eta)))
    return ((1 - x) * eta - log_sigmoid).sum(axis=-1)
''',
        "np.logaddexp softplus, dtype-preserving": '''
def bernoulli_decoder_nll(x, logits):
    x, logits = np.asarray(x), np.asarray(logits)
    if logits.shape[logits.ndim - x.ndim:] != x.shape or logits.ndim < x.ndim:
        raise ValueError("logits must have the shape of x, with optional leading axes")
    if np.any(x < 0) or np.any(x > 1):
        raise ValueError("x: every pixel must be 0 or 1")
    return np.sum(np.logaddexp(0, logits) - logits * x, axis=-1)
''',
        "np.where on the sign of eta, both branches finite": '''
def bernoulli_decoder_nll(x, logits):
    x = np.array(x, dtype=np.float64)
    logits = np.array(logits, dtype=np.float64)
    if x.min(initial=0.0) < 0 or x.max(initial=1.0) > 1:
        raise ValueError("x: pixel values must lie in [0, 1]")
    if logits.ndim < x.ndim or tuple(logits.shape[-x.ndim:]) != x.shape:
        raise ValueError(f"x has shape {x.shape} but logits has shape {logits.shape}")
    linear = np.where(logits >= 0, (1 - x) * logits, -x * logits)
    return np.sum(linear + np.log1p(np.exp(-np.abs(logits))), axis=-1)
''',
    },
    "elbo": {
        "calls the student's three functions, np.mean over axis 0": '''
def elbo(x, mu, log_var, decoder_logits, eps):
    mu = np.asarray(mu, dtype=float)
    eps = np.asarray(eps, dtype=float)
    if eps.ndim != mu.ndim + 1 or eps.shape[1:] != mu.shape:
        raise ValueError(f"eps must have shape (S, {mu.shape}), got {eps.shape}")
    z = reparameterize(mu, log_var, eps)
    reconstruction = -bernoulli_decoder_nll(x, decoder_logits(z))
    return reconstruction.mean(axis=0) - kl_to_standard_normal(mu, log_var)
''',
        "everything inline with scipy's log_expit, validation of eps first": '''
from scipy.special import log_expit


def elbo(x, mu, log_var, decoder_logits, eps):
    eps = np.asarray(eps, dtype=float)
    mu = np.asarray(mu, dtype=float)
    log_var = np.asarray(log_var, dtype=float)
    x = np.asarray(x, dtype=float)
    if eps.shape[1:] != mu.shape or eps.ndim == mu.ndim:
        raise ValueError("eps: the first axis must index the samples, the rest must be mu's shape")
    z = mu + np.exp(0.5 * log_var) * eps
    logits = decoder_logits(z)
    log_px = np.sum(x * log_expit(logits) + (1 - x) * log_expit(-logits), axis=-1)
    kl = 0.5 * np.sum(np.exp(log_var) + mu**2 - 1 - log_var, axis=-1)
    return log_px.mean(axis=0) - kl
''',
        "sum over samples divided by S, the stable BCE written out": '''
def elbo(x, mu, log_var, decoder_logits, eps):
    x = np.asarray(x, dtype=float)
    mu = np.asarray(mu, dtype=float)
    log_var = np.asarray(log_var, dtype=float)
    eps = np.asarray(eps, dtype=float)
    if eps.ndim == 0 or tuple(eps.shape[1:]) != mu.shape:
        raise ValueError(f"eps has shape {eps.shape}; it needs (S,) + {mu.shape}")
    n_samples = eps.shape[0]
    eta = decoder_logits(mu + np.sqrt(np.exp(log_var)) * eps)
    bce = np.maximum(eta, 0) - eta * x + np.log1p(np.exp(-np.abs(eta)))
    log_likelihood = -bce.sum(axis=-1).sum(axis=0) / n_samples
    kl = -0.5 * (1 + log_var - mu**2 - np.exp(log_var)).sum(axis=-1)
    return log_likelihood - kl
''',
        "np.average over the samples, the student's KL and decoder NLL, own z": '''
def elbo(x, mu, log_var, decoder_logits, eps):
    mu, log_var = np.asarray(mu, dtype=float), np.asarray(log_var, dtype=float)
    eps = np.asarray(eps, dtype=float)
    if eps.shape[1:] != mu.shape or eps.ndim < 1 + mu.ndim:
        raise ValueError("wrong shape for eps: expected (S, *mu.shape)")
    std = np.exp(log_var / 2)
    samples = mu[np.newaxis] + std[np.newaxis] * eps
    log_likelihoods = -bernoulli_decoder_nll(x, decoder_logits(samples))
    return np.average(log_likelihoods, axis=0) - kl_to_standard_normal(mu, log_var)
''',
    },
}
