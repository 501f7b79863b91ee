"""Correct answers for Lab 1 (01_distributions) written the ways a class writes them: each must earn full marks."""

LAB = "01_distributions"

RIGHT = {
    "gaussian_log_pdf": {
        "log-variance form, -1/2 (log(2 pi sigma^2) + z^2)": """
def gaussian_log_pdf(x, mu=0.0, sigma=1.0):
    x, mu, sigma = (np.asarray(v, dtype=float) for v in (x, mu, sigma))
    if np.any(sigma <= 0):
        raise ValueError("sigma must be > 0")
    return -0.5 * (np.log(2 * np.pi * sigma**2) + ((x - mu) / sigma) ** 2)
""",
        "as torch.distributions.Normal.log_prob writes it": """
def gaussian_log_pdf(x, mu=0.0, sigma=1.0):
    x = np.asarray(x, dtype=float)
    mu = np.asarray(mu, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    if (sigma <= 0).any():
        raise ValueError(f"invalid sigma: {sigma} (a standard deviation is positive)")
    var = sigma**2
    log_scale = np.log(sigma)
    return -((x - mu) ** 2) / (2 * var) - log_scale - np.log(np.sqrt(2 * np.pi))
""",
        "keeps float32 in float32, other inputs in float64": """
def gaussian_log_pdf(x, mu=0.0, sigma=1.0):
    x, mu, sigma = np.asarray(x), np.asarray(mu), np.asarray(sigma)
    dtype = np.result_type(x, mu, sigma, np.float32)
    x, mu, sigma = x.astype(dtype), mu.astype(dtype), sigma.astype(dtype)
    if np.min(sigma) <= 0:
        raise ValueError("sigma <= 0")
    z = (x - mu) / sigma
    return dtype.type(-0.5 * np.log(2 * np.pi)) - np.log(sigma) - z * z / 2
""",
        "np.square and np.subtract, validation first, plain operators": """
import math

def gaussian_log_pdf(x, mu=0.0, sigma=1.0):
    if not np.all(np.greater(sigma, 0)):
        raise ValueError("Parameter sigma must be strictly positive.")
    log_norm = 0.5 * math.log(2 * math.pi)
    return -log_norm - np.log(sigma) - np.square(np.subtract(x, mu)) / (2 * np.square(sigma))
""",
        "broadcast_arrays first, then one expression": """
def gaussian_log_pdf(x, mu=0.0, sigma=1.0):
    x, mu, sigma = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (x, mu, sigma)))
    if (sigma <= 0).any():
        raise ValueError("sigma (the standard deviation) must be positive")
    return -np.log(sigma * np.sqrt(2 * np.pi)) - 0.5 * ((x - mu) / sigma) ** 2
""",
    },
    "bernoulli_log_pmf": {
        "scipy.stats.bernoulli.logpmf after validation": """
from scipy import stats

def bernoulli_log_pmf(k, p):
    k = np.asarray(k)
    p = np.asarray(p, dtype=float)
    if not np.isin(k, [0, 1]).all():
        raise ValueError("k must be 0 or 1")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p is a probability and must lie in [0, 1]")
    return stats.bernoulli.logpmf(k, p)
""",
        "xlogy and xlog1py: 0 log 0 = 0": """
from scipy import special

def bernoulli_log_pmf(k, p):
    k = np.asarray(k, dtype=float)
    p = np.asarray(p, dtype=float)
    if np.any((p < 0) | (p > 1)):
        raise ValueError(f"p out of range: {p}")
    if np.any((k != 0) & (k != 1)):
        raise ValueError(f"k must be in {{0, 1}}, got {k}")
    return special.xlogy(k, p) + special.xlog1py(1 - k, -p)
""",
        "masks into a broadcast output array": """
def bernoulli_log_pmf(k, p):
    k, p = np.broadcast_arrays(np.asarray(k), np.asarray(p, dtype=float))
    if not np.all((k == 0) | (k == 1)):
        raise ValueError("k: only 0 and 1 are outcomes of a Bernoulli variable")
    if not np.all((0 <= p) & (p <= 1)):
        raise ValueError("p: not a probability")
    out = np.empty(p.shape)
    one = k == 1
    with np.errstate(divide="ignore"):
        out[one] = np.log(p[one])
        out[~one] = np.log1p(-p[~one])
    return out
""",
        "keeps float32, np.where of log and log1p": """
def bernoulli_log_pmf(k, p):
    k = np.asarray(k)
    p = np.asarray(p)
    if p.dtype.kind != "f":
        p = p.astype(float)
    if np.any(np.logical_and(k != 0, k != 1)):
        raise ValueError("invalid k")
    if np.any(np.logical_or(p < 0, p > 1)):
        raise ValueError("invalid p")
    with np.errstate(divide="ignore"):
        return np.where(k == 1, np.log(p), np.log1p(-p))
""",
        "the safe-where idiom: log of a masked copy, then np.where": """
def bernoulli_log_pmf(k, p):
    p = np.asarray(p, dtype=np.float64)
    k = np.asarray(k)
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise ValueError("p must be between 0 and 1")
    if not np.isin(k, (0, 1)).all():
        raise ValueError("k must be 0 or 1")
    with np.errstate(divide="ignore"):
        log_p = np.log(np.where(k == 1, p, 1.0))
        log_q = np.log1p(-np.where(k == 0, p, 0.0))
    return np.where(k == 1, log_p, log_q)
""",
    },
    "uniform_cdf": {
        "nested np.where": """
def uniform_cdf(x, a, b):
    x = np.asarray(x, dtype=float)
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if np.any(a >= b):
        raise ValueError("need a < b")
    return np.where(x < a, 0.0, np.where(x > b, 1.0, (x - a) / (b - a)))
""",
        "scipy.stats.uniform.cdf after validation; message names only b": """
from scipy import stats

def uniform_cdf(x, a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if not (b > a).all():
        raise ValueError("the upper bound b must exceed the lower bound")
    return stats.uniform.cdf(x, loc=a, scale=b - a)
""",
        "np.minimum and np.maximum, x / (b - a) - a / (b - a)": """
def uniform_cdf(x, a, b):
    x, a, b = (np.asarray(v, dtype=float) for v in (x, a, b))
    if (a >= b).any():
        raise ValueError(f"a must be smaller than b (a={a}, b={b})")
    width = b - a
    return np.minimum(1.0, np.maximum(0.0, x / width - a / width))
""",
        "np.select over the three cases": """
def uniform_cdf(x, a, b):
    x = np.asarray(x, dtype=float)
    if np.any(np.greater_equal(a, b)):
        raise ValueError("Uniform(a, b) needs a < b")
    x, a, b = np.broadcast_arrays(x, np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    with np.errstate(invalid="ignore"):
        inside = (x - a) / (b - a)
    return np.select([x < a, x > b], [0.0, 1.0], default=inside)
""",
        "keeps float32, np.clip": """
def uniform_cdf(x, a, b):
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(float)
    a = np.asarray(a, dtype=x.dtype)
    b = np.asarray(b, dtype=x.dtype)
    if np.any(b <= a):
        raise ValueError("b <= a")
    return np.clip((x - a) / (b - a), 0, 1)
""",
    },
    "softmax": {
        "scipy.special.softmax": """
from scipy import special

def softmax(logits, axis=-1):
    return special.softmax(np.asarray(logits, dtype=float), axis=axis)
""",
        "exp(z - logsumexp(z))": """
from scipy.special import logsumexp

def softmax(logits, axis=-1):
    z = np.asarray(logits, dtype=float)
    return np.exp(z - logsumexp(z, axis=axis, keepdims=True))
""",
        "moves axis last, computes, moves it back": """
def softmax(logits, axis=-1):
    z = np.moveaxis(np.asarray(logits, dtype=float), axis, -1)
    e = np.exp(z - z.max(axis=-1)[..., None])
    return np.moveaxis(e / e.sum(axis=-1)[..., None], -1, axis)
""",
        "keeps float32; methods instead of functions": """
def softmax(logits, axis=-1):
    z = np.asarray(logits)
    if z.dtype.kind != "f":
        z = z.astype(np.float64)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)
""",
        "expand_dims instead of keepdims": """
def softmax(logits, axis=-1):
    z = np.array(logits, dtype=np.float64)
    z -= np.expand_dims(np.amax(z, axis=axis), axis)
    np.exp(z, out=z)
    z /= np.expand_dims(np.sum(z, axis=axis), axis)
    return z
""",
    },
    "sample_categorical": {
        "Generator.choice, which inverts the CDF of the same uniforms": """
import operator

def sample_categorical(probs, n, rng):
    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 1 or (probs < 0).any() or not np.isclose(probs.sum(), 1.0, rtol=0, atol=1e-8):
        raise ValueError("probs must be a 1-D vector of probabilities")
    try:
        n = operator.index(n)
    except TypeError:
        raise ValueError("n must be an integer") from None
    if n < 0:
        raise ValueError("n must be non-negative")
    return rng.choice(probs.size, size=n, p=probs)
""",
        "counts the CDF steps below u; n checked first, int(n) != n": """
def sample_categorical(probs, n, rng):
    if isinstance(n, (bool, float)) or int(n) != n or n < 0:
        raise ValueError(f"n should be a non-negative integer, not {n!r}")
    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 1:
        raise ValueError("probs must be one-dimensional")
    if np.any(probs < 0):
        raise ValueError("probs has a negative entry")
    if abs(np.sum(probs) - 1) > 1e-8:
        raise ValueError("probs does not sum to 1")
    cdf = np.cumsum(probs)
    u = rng.random(n)
    return (u[:, None] >= cdf[:-1]).sum(axis=1)
""",
        "np.digitize on the CDF": """
def sample_categorical(probs, n, rng):
    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 1 or np.any(probs < 0) or not abs(probs.sum() - 1) <= 1e-8:
        raise ValueError(f"invalid probs: {probs}")
    if not np.issubdtype(type(n), np.integer) or n < 0:
        raise ValueError(f"invalid n: {n}")
    u = rng.random(n)
    return np.digitize(u, np.cumsum(probs))
""",
        "argmax of u < F(k), the first class whose CDF exceeds u": """
def sample_categorical(probs, n, rng):
    p = np.array(probs, dtype=float)
    if p.ndim != 1 or p.min() < 0 or abs(p.sum() - 1.0) > 1e-8:
        raise ValueError("probs: expected a 1-D probability vector")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise ValueError("n: expected a non-negative integer")
    cdf = np.cumsum(p)
    cdf[-1] = 1.0
    u = rng.random(n)
    return np.argmax(u[:, None] < cdf[None, :], axis=1)
""",
        "searchsorted side='left': differs only where u equals F(k) exactly": """
def sample_categorical(probs, n, rng):
    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 1 or not np.all(probs >= 0) or abs(probs.sum() - 1.0) > 1e-8:
        raise ValueError("probs must be non-negative, 1-D and sum to 1")
    if not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError("n must be a non-negative integer")
    return np.searchsorted(np.cumsum(probs), rng.random(n)).astype(np.int64)
""",
    },
}
