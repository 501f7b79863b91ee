"""Correct answers for Lab 9 (09_infonce) written the ways a class writes them: each must earn full marks. Some
call the lab's own cosine_similarity or scipy, as the text allows; the others stand alone."""

LAB = "09_infonce"

RIGHT = {
    "cosine_similarity": {
        "einsum for the dot products, lengths checked first": """
def cosine_similarity(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"a and b have vectors of lengths {a.shape[-1]} and {b.shape[-1]}")
    na = np.linalg.norm(a, axis=-1)
    nb = np.linalg.norm(b, axis=-1)
    if (na == 0).any():
        raise ValueError("a contains a zero vector")
    if (nb == 0).any():
        raise ValueError("b contains a zero vector")
    return np.einsum("...d,...d->...", a, b) / (na * nb)
""",
        "unit vectors first (keepdims), then the sum of products": """
def cosine_similarity(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape[-1:] != b.shape[-1:]:
        raise ValueError("a and b must share the last dimension")
    length_a = np.sqrt(np.sum(a**2, axis=-1, keepdims=True))
    length_b = np.sqrt(np.sum(b**2, axis=-1, keepdims=True))
    if np.any(length_a == 0):
        raise ValueError("zero vector in a")
    if np.any(length_b == 0):
        raise ValueError("zero vector in b")
    return np.sum((a / length_a) * (b / length_b), axis=-1)
""",
        "matmul of (..., 1, D) by (..., D, 1), float32 kept in float32": """
def cosine_similarity(a, b):
    a, b = np.asarray(a), np.asarray(b)
    dtype = np.result_type(a, b, np.float32)
    a, b = a.astype(dtype), b.astype(dtype)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"last axes differ: a has {a.shape[-1]} components, b has {b.shape[-1]}")
    norms_a, norms_b = np.linalg.norm(a, axis=-1), np.linalg.norm(b, axis=-1)
    if np.min(norms_a, initial=np.inf) == 0:
        raise ValueError("a: a zero vector has no direction")
    if np.min(norms_b, initial=np.inf) == 0:
        raise ValueError("b: a zero vector has no direction")
    dots = (a[..., None, :] @ b[..., :, None])[..., 0, 0]
    return dots / (norms_a * norms_b)
""",
        "PyTorch's formula with the eps clamp replaced by errors; zero vectors checked before the lengths": """
def cosine_similarity(a, b):
    a = np.array(a, dtype=float)
    b = np.array(b, dtype=float)
    norm_a = np.sqrt((a * a).sum(axis=-1))
    norm_b = np.sqrt((b * b).sum(axis=-1))
    if not norm_a.all():
        raise ValueError("cosine_similarity: argument a has a vector of length 0")
    if not norm_b.all():
        raise ValueError("cosine_similarity: argument b has a vector of length 0")
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"cosine_similarity: a is {a.shape} and b is {b.shape}; the last axes must match")
    return (a * b).sum(axis=-1) / (norm_a * norm_b)
""",
        "clipped to [-1, 1] against rounding; broadcast_arrays after the length check": """
def cosine_similarity(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if np.shape(a)[-1] != np.shape(b)[-1]:
        raise ValueError("Vectors in a and b must have equal length D.")
    a, b = np.broadcast_arrays(a, b)
    na, nb = np.linalg.norm(a, axis=-1), np.linalg.norm(b, axis=-1)
    for name, lengths in (("a", na), ("b", nb)):
        if np.any(lengths == 0.0):
            raise ValueError(f"{name} has a zero vector; its cosine similarity is undefined")
    return np.clip(np.sum(a * b, axis=-1) / (na * nb), -1.0, 1.0)
""",
    },
    "info_nce": {
        "scipy.special.logsumexp over the 1 + K logits, einsum for the negatives": """
from scipy.special import logsumexp

def info_nce(query, positive, negatives, temperature):
    q = np.asarray(query, dtype=float)
    p = np.asarray(positive, dtype=float)
    n = np.asarray(negatives, dtype=float)
    if temperature <= 0:
        raise ValueError("temperature must be > 0")
    if q.ndim != 2 or p.shape != q.shape:
        raise ValueError("query and positive must both be (N, D)")
    if n.ndim != 3 or n.shape[0] != q.shape[0] or n.shape[2] != q.shape[1]:
        raise ValueError("negatives must be (N, K, D)")
    q = q / np.linalg.norm(q, axis=-1, keepdims=True)
    p = p / np.linalg.norm(p, axis=-1, keepdims=True)
    n = n / np.linalg.norm(n, axis=-1, keepdims=True)
    pos = np.einsum("nd,nd->n", q, p)
    neg = np.einsum("nd,nkd->nk", q, n)
    logits = np.concatenate([pos[:, None], neg], axis=1) / temperature
    return float(np.mean(logsumexp(logits, axis=1) - logits[:, 0]))
""",
        "calls the lab's cosine_similarity; log-sum-exp by hand": """
def info_nce(query, positive, negatives, temperature):
    query, positive, negatives = (np.asarray(x, dtype=float) for x in (query, positive, negatives))
    if query.ndim != 2 or query.shape != positive.shape:
        raise ValueError(f"positive must have the shape of query, {query.shape}; got {positive.shape}")
    if negatives.ndim != 3 or negatives.shape[::2] != query.shape:
        raise ValueError(f"negatives must be of shape (N, K, D) for query {query.shape}; got {negatives.shape}")
    if not temperature > 0:
        raise ValueError(f"invalid temperature {temperature}")
    s_pos = cosine_similarity(query, positive)
    s_neg = cosine_similarity(query[:, None, :], negatives)
    z = np.column_stack([s_pos, s_neg]) / temperature
    top = np.max(z, axis=-1, keepdims=True)
    loss = np.squeeze(top, -1) + np.log(np.exp(z - top).sum(axis=-1)) - z[:, 0]
    return loss.mean()
""",
        "scipy.special.log_softmax, column 0, as F.cross_entropy(logits, zeros) computes it": """
from scipy import special

def info_nce(query, positive, negatives, temperature):
    query = np.asarray(query, dtype=np.float64)
    positive = np.asarray(positive, dtype=np.float64)
    negatives = np.asarray(negatives, dtype=np.float64)
    if not np.isscalar(temperature) or temperature <= 0:
        raise ValueError("the temperature must be a positive number")
    if not (query.ndim == positive.ndim == 2 and query.shape == positive.shape):
        raise ValueError("query and positive: expected matching (N, D) arrays")
    if negatives.ndim != 3 or negatives.shape[0] != len(query) or negatives.shape[-1] != query.shape[-1]:
        raise ValueError("negatives: expected an (N, K, D) array")
    candidates = np.concatenate([positive[:, None, :], negatives], axis=1)
    candidates = candidates / np.linalg.norm(candidates, axis=-1, keepdims=True)
    unit_query = query / np.linalg.norm(query, axis=-1, keepdims=True)
    logits = np.matmul(candidates, unit_query[:, :, None])[:, :, 0] / temperature
    labels = np.zeros(len(query), dtype=np.int64)
    log_p = special.log_softmax(logits, axis=-1)
    return -log_p[np.arange(len(query)), labels].mean()
""",
        "np.logaddexp.reduce, validation of the shapes first, float32 kept": """
def info_nce(query, positive, negatives, temperature):
    query, positive, negatives = np.asarray(query), np.asarray(positive), np.asarray(negatives)
    dtype = np.result_type(query, positive, negatives, np.float32)
    if query.shape != positive.shape or query.ndim != 2:
        raise ValueError("query and positive must be (N, D) arrays of the same shape")
    if negatives.ndim != 3 or negatives.shape[0] != query.shape[0] or negatives.shape[2] != query.shape[1]:
        raise ValueError("negatives must be an (N, K, D) array")
    if temperature <= 0:
        raise ValueError("temperature <= 0")
    q = (query / np.linalg.norm(query, axis=1, keepdims=True)).astype(dtype)
    pos = np.sum(q * positive / np.linalg.norm(positive, axis=1, keepdims=True), axis=1)
    neg = np.sum(q[:, None, :] * negatives / np.linalg.norm(negatives, axis=2, keepdims=True), axis=2)
    logits = np.hstack([pos[:, None], neg]) / dtype.type(temperature)
    return np.mean(np.logaddexp.reduce(logits, axis=1) - logits[:, 0])
""",
        "softplus form: log(1 + sum_k exp(z_k - z_0)) with the largest term factored out": """
def info_nce(query, positive, negatives, temperature):
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, not {temperature}")
    query = np.array(query, dtype=float)
    positive = np.array(positive, dtype=float)
    negatives = np.array(negatives, dtype=float)
    N, D = query.shape if query.ndim == 2 else (None, None)
    if N is None or positive.shape != (N, D):
        raise ValueError("query and positive must be (N, D)")
    if negatives.ndim != 3 or negatives.shape[0] != N or negatives.shape[2] != D:
        raise ValueError("negatives must be (N, K, D)")
    unit = lambda x: x / np.linalg.norm(x, axis=-1, keepdims=True)  # noqa: E731
    z0 = np.sum(unit(query) * unit(positive), axis=-1) / temperature
    zk = np.sum(unit(query)[:, None] * unit(negatives), axis=-1) / temperature
    gaps = np.concatenate([np.zeros((N, 1)), zk - z0[:, None]], axis=1)  # z_i - z_0, 0 for the positive
    top = gaps.max(axis=1)
    return float(np.mean(top + np.log(np.exp(gaps - top[:, None]).sum(axis=1))))
""",
    },
    "info_nce_in_batch": {
        "unit rows, S = u1 @ u2.T / tau, scipy logsumexp minus the diagonal": """
from scipy.special import logsumexp

def info_nce_in_batch(z1, z2, temperature):
    z1 = np.asarray(z1, dtype=float)
    z2 = np.asarray(z2, dtype=float)
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    if z1.ndim != 2 or z1.shape != z2.shape:
        raise ValueError("z1 and z2 must both be (N, D)")
    u1 = z1 / np.linalg.norm(z1, axis=1, keepdims=True)
    u2 = z2 / np.linalg.norm(z2, axis=1, keepdims=True)
    S = u1 @ u2.T / temperature
    return float(np.mean(logsumexp(S, axis=1) - np.diag(S)))
""",
        "log_softmax and the trace": """
from scipy import special

def info_nce_in_batch(z1, z2, temperature):
    z1, z2 = np.asarray(z1, dtype=np.float64), np.asarray(z2, dtype=np.float64)
    if z1.shape != z2.shape or z1.ndim != 2:
        raise ValueError(f"z1 {z1.shape} and z2 {z2.shape} must be (N, D) arrays of the same shape")
    if not temperature > 0:
        raise ValueError(f"temperature={temperature} is not positive")
    n1 = np.linalg.norm(z1, axis=-1)[:, None]
    n2 = np.linalg.norm(z2, axis=-1)[None, :]
    logits = (z1 @ z2.T) / (n1 * n2) / temperature
    return -np.trace(special.log_softmax(logits, axis=1)) / len(z1)
""",
        "as F.cross_entropy(logits, arange(N)) computes it, with the lab's cosine_similarity": """
def info_nce_in_batch(z1, z2, temperature):
    z1 = np.asarray(z1, dtype=float)
    z2 = np.asarray(z2, dtype=float)
    if not (z1.ndim == 2 and z1.shape == z2.shape):
        raise ValueError("z1 and z2 must have the same (N, D) shape")
    if temperature <= 0:
        raise ValueError("temperature must be > 0")
    logits = cosine_similarity(z1[:, None, :], z2[None, :, :]) / temperature
    labels = np.arange(len(z1))
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.take_along_axis(log_probs, labels[:, None], axis=1).mean()
""",
        "float32 kept, np.logaddexp.reduce over each row": """
def info_nce_in_batch(z1, z2, temperature):
    z1, z2 = np.asarray(z1), np.asarray(z2)
    if np.ndim(z1) != 2 or np.shape(z1) != np.shape(z2):
        raise ValueError("z1, z2: expected two (N, D) arrays of the same shape")
    if temperature <= 0:
        raise ValueError("temperature: must be positive")
    dtype = np.result_type(z1, z2, np.float32)
    u1 = (z1 / np.linalg.norm(z1, axis=1, keepdims=True)).astype(dtype)
    u2 = (z2 / np.linalg.norm(z2, axis=1, keepdims=True)).astype(dtype)
    s = np.einsum("id,jd->ij", u1, u2) / dtype.type(temperature)
    n = s.shape[0]
    return np.mean(np.logaddexp.reduce(s, axis=1) - s[np.arange(n), np.arange(n)])
""",
        "the mean of the lab's info_nce with every other z2 as a negative": """
def info_nce_in_batch(z1, z2, temperature):
    z1 = np.asarray(z1, dtype=float)
    z2 = np.asarray(z2, dtype=float)
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    if z1.ndim != 2 or z1.shape != z2.shape:
        raise ValueError("z1 and z2 must be (N, D) arrays of one shape")
    n, d = z1.shape
    if n == 1:
        return 0.0  # the positive is the only candidate
    others = ~np.eye(n, dtype=bool)
    negatives = np.broadcast_to(z2, (n, n, d))[others].reshape(n, n - 1, d)
    return info_nce(z1, z2, negatives, temperature)
""",
    },
}
