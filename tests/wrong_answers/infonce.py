"""Plausible wrong answers for Lab 9 (09_infonce): the mistakes in CONTENT.md (the positive left out of the
denominator, a dot product where the cosine is asked, τ multiplied instead of divided, the log of a softmax, labels
not on the diagonal) and the others a class makes. Each is a complete answer cell and uses only numpy and scipy, so
that it loses the points of its own exercise whatever the submission's other answers are."""

LAB = "09_infonce"

_CAST = """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
"""

_LENGTH_CHECK = """
    if a.shape[-1] != b.shape[-1]:
        raise ValueError("a and b must have vectors of the same length")
"""

_ZERO_CHECK = """
    if np.any(np.linalg.norm(a, axis=-1) == 0):
        raise ValueError("a has a zero vector")
    if np.any(np.linalg.norm(b, axis=-1) == 0):
        raise ValueError("b has a zero vector")
"""


def _cosine(body: str, cast: str = _CAST, length: str = _LENGTH_CHECK, zero: str = _ZERO_CHECK) -> str:
    return f"def cosine_similarity(a, b):{cast}{length}{zero}{body}\n"


_NCE_CHECKS = """
    query = np.asarray(query, dtype=float)
    positive = np.asarray(positive, dtype=float)
    negatives = np.asarray(negatives, dtype=float)
    if not temperature > 0:
        raise ValueError("temperature must be positive")
    if query.ndim != 2 or positive.shape != query.shape:
        raise ValueError("query and positive must have one shape (N, D)")
    if negatives.ndim != 3 or negatives.shape[0] != query.shape[0] or negatives.shape[2] != query.shape[1]:
        raise ValueError("negatives must have shape (N, K, D)")
"""

_UNIT = """
    def unit(x):
        return x / np.linalg.norm(x, axis=-1, keepdims=True)
"""

_COSINES = _UNIT + """
    pos = np.sum(unit(query) * unit(positive), axis=-1)                 # (N,)
    neg = np.sum(unit(query)[:, None, :] * unit(negatives), axis=-1)    # (N, K)
"""


def _nce(body: str, checks: str = _NCE_CHECKS, cosines: str = _COSINES) -> str:
    return f"def info_nce(query, positive, negatives, temperature):{checks}{cosines}{body}\n"


_BATCH_CHECKS = """
    z1 = np.asarray(z1, dtype=float)
    z2 = np.asarray(z2, dtype=float)
    if not temperature > 0:
        raise ValueError("temperature must be positive")
    if z1.ndim != 2 or z1.shape != z2.shape:
        raise ValueError("z1 and z2 must have one shape (N, D)")
"""

_BATCH_SIMILARITIES = """
    u1 = z1 / np.linalg.norm(z1, axis=-1, keepdims=True)
    u2 = z2 / np.linalg.norm(z2, axis=-1, keepdims=True)
    s = u1 @ u2.T / temperature
"""


def _batch(body: str, checks: str = _BATCH_CHECKS, similarities: str = _BATCH_SIMILARITIES,
           imports: str = "from scipy.special import logsumexp\n\n") -> str:
    return f"{imports}def info_nce_in_batch(z1, z2, temperature):{checks}{similarities}{body}\n"


_LSE = """
    logits = np.concatenate([pos[:, None], neg], axis=1) / temperature
    m = logits.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(logits - m).sum(axis=1))
"""

WRONG = {
    "cosine_similarity": {
        "the dot product, not divided by the lengths": _cosine("    return np.sum(a * b, axis=-1)"),
        "divided by the squared lengths": _cosine(
            "    return np.sum(a * b, axis=-1) / (np.sum(a * a, axis=-1) * np.sum(b * b, axis=-1))"),
        "returns the cosine distance 1 - cos": _cosine(
            "    return 1 - np.sum(a * b, axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))"),
        "np.linalg.norm without axis: the length of the whole array": _cosine(
            "    return np.sum(a * b, axis=-1) / (np.linalg.norm(a) * np.linalg.norm(b))"),
        "normalises without keepdims: column j divided by the length of row j": _cosine(
            "    return np.sum(a / np.linalg.norm(a, axis=-1) * (b / np.linalg.norm(b, axis=-1)), axis=-1)"),
        "np.dot: pairs the wrong axes of a batch": _cosine(
            "    return np.dot(a, b.T) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))"),
        "keepdims in the sum too: a trailing axis of length 1": _cosine(
            "    return np.sum(a * b, axis=-1, keepdims=True) / (np.linalg.norm(a, axis=-1, keepdims=True)\n"
            "                                                   * np.linalg.norm(b, axis=-1, keepdims=True))"),
        "refuses broadcasting: requires equal shapes": _cosine(
            "    if a.shape != b.shape:\n        raise ValueError('a and b must have the same shape')\n"
            "    return np.sum(a * b, axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))"),
        "no np.asarray: lists have no elementwise product": _cosine(
            "    return np.sum(a * b, axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))",
            cast="\n",
            length="\n    if np.shape(a)[-1] != np.shape(b)[-1]:\n        raise ValueError('a and b differ')\n"),
        "no zero check: 0 / 0 is nan": _cosine(
            "    return np.sum(a * b, axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))",
            zero="\n"),
        "PyTorch's eps clamp: a zero vector gets 0": _cosine(
            "    eps = 1e-8\n"
            "    return np.sum(a * b, axis=-1) / (np.maximum(np.linalg.norm(a, axis=-1), eps)\n"
            "                                     * np.maximum(np.linalg.norm(b, axis=-1), eps))", zero="\n"),
        "no check of the lengths D: (2, 3) against (2, 1) broadcasts": _cosine(
            "    return np.sum(a * b, axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))",
            length="\n"),
        "the zero vector refused without saying which argument": _cosine(
            "    na, nb = np.linalg.norm(a, axis=-1), np.linalg.norm(b, axis=-1)\n"
            "    if np.any(na * nb == 0):\n        raise ValueError('cannot take the cosine of zero vectors')\n"
            "    return np.sum(a * b, axis=-1) / (na * nb)", zero="\n"),
    },
    "info_nce": {
        "the positive left out of the denominator": _nce(
            "    m = neg.max(axis=1, keepdims=True) / temperature\n"
            "    lse = m[:, 0] + np.log(np.exp(neg / temperature - m).sum(axis=1))\n"
            "    return float(np.mean(lse - pos / temperature))"),
        "negatives first, then subtracts column 0 (a negative)": _nce(
            "    logits = np.concatenate([neg, pos[:, None]], axis=1) / temperature\n"
            "    m = logits.max(axis=1, keepdims=True)\n"
            "    lse = m[:, 0] + np.log(np.exp(logits - m).sum(axis=1))\n"
            "    return float(np.mean(lse - logits[:, 0]))"),
        "the softmax over the batch axis": _nce(
            "    logits = np.concatenate([pos[:, None], neg], axis=1) / temperature\n"
            "    m = logits.max(axis=0, keepdims=True)\n"
            "    log_p = logits - m - np.log(np.exp(logits - m).sum(axis=0, keepdims=True))\n"
            "    return float(-np.mean(log_p[:, 0]))"),
        "dot products, not cosines": _nce(
            _LSE + "    return float(np.mean(lse - logits[:, 0]))",
            cosines="\n    pos = np.sum(query * positive, axis=-1)\n"
                    "    neg = np.sum(query[:, None, :] * negatives, axis=-1)\n"),
        "the temperature multiplied instead of divided": _nce(
            "    logits = np.concatenate([pos[:, None], neg], axis=1) * temperature\n"
            "    m = logits.max(axis=1, keepdims=True)\n"
            "    lse = m[:, 0] + np.log(np.exp(logits - m).sum(axis=1))\n"
            "    return float(np.mean(lse - logits[:, 0]))"),
        "exp without the maximum subtracted: overflows at small temperatures": _nce(
            "    e_pos = np.exp(pos / temperature)\n"
            "    e_neg = np.exp(neg / temperature).sum(axis=1)\n"
            "    return float(np.mean(-np.log(e_pos / (e_pos + e_neg))))"),
        "the log of a (stable) softmax": _nce(
            "    logits = np.concatenate([pos[:, None], neg], axis=1) / temperature\n"
            "    p = np.exp(logits - logits.max(axis=1, keepdims=True))\n"
            "    p = p / p.sum(axis=1, keepdims=True)\n"
            "    return float(np.mean(-np.log(p[:, 0])))"),
        "eps added inside the log": _nce(
            "    logits = np.concatenate([pos[:, None], neg], axis=1) / temperature\n"
            "    p = np.exp(logits - logits.max(axis=1, keepdims=True))\n"
            "    p = p / p.sum(axis=1, keepdims=True)\n"
            "    return float(np.mean(-np.log(p[:, 0] + 1e-10)))"),
        "the sum over the N queries, not the mean": _nce(_LSE + "    return float(np.sum(lse - logits[:, 0]))"),
        "one loss per query, not their mean": _nce(_LSE + "    return lse - logits[:, 0]"),
        "query not expanded: broadcasts query j against negatives[n, j]": _nce(
            _LSE + "    return float(np.mean(lse - logits[:, 0]))",
            cosines=_UNIT + "    pos = np.sum(unit(query) * unit(positive), axis=-1)\n"
                            "    neg = np.sum(unit(query) * unit(negatives), axis=-1)\n"),
        "no np.asarray: lists have no .ndim": _nce(
            _LSE + "    return float(np.mean(lse - logits[:, 0]))",
            checks="\n    if not temperature > 0:\n        raise ValueError('temperature must be positive')\n"
                   "    if query.ndim != 2 or positive.shape != query.shape or negatives.ndim != 3 \\\n"
                   "            or negatives.shape[::2] != query.shape:\n"
                   "        raise ValueError('query, positive or negatives has the wrong shape')\n"),
        "no check of the shapes": _nce(
            _LSE + "    return float(np.mean(lse - logits[:, 0]))",
            checks="\n    query, positive, negatives = (np.asarray(x, dtype=float)\n"
                   "                                  for x in (query, positive, negatives))\n"
                   "    if temperature <= 0:\n        raise ValueError('temperature must be positive')\n"),
        "no check of the temperature": _nce(
            _LSE + "    return float(np.mean(lse - logits[:, 0]))",
            checks=_NCE_CHECKS.replace("    if not temperature > 0:\n        raise ValueError"
                                       "(\"temperature must be positive\")\n", "")),
    },
    "info_nce_in_batch": {
        "normalises the columns: the other direction": _batch(
            "    return float(np.mean(logsumexp(s, axis=0) - np.diag(s)))"),
        "CLIP's symmetric average of both directions": _batch(
            "    rows = np.mean(logsumexp(s, axis=1) - np.diag(s))\n"
            "    columns = np.mean(logsumexp(s, axis=0) - np.diag(s))\n"
            "    return float((rows + columns) / 2)"),
        "every row's target is column 0": _batch("    return float(np.mean(logsumexp(s, axis=1) - s[:, 0]))"),
        "the diagonal left out of the denominator": _batch(
            "    off = np.where(np.eye(len(s), dtype=bool), -np.inf, s)\n"
            "    return float(np.mean(logsumexp(off, axis=1) - np.diag(s)))"),
        "dot products, not cosines": _batch(
            "    return float(np.mean(logsumexp(s, axis=1) - np.diag(s)))",
            similarities="\n    s = z1 @ z2.T / temperature\n"),
        "the temperature multiplied instead of divided": _batch(
            "    return float(np.mean(logsumexp(s, axis=1) - np.diag(s)))",
            similarities=_BATCH_SIMILARITIES.replace("/ temperature", "* temperature")),
        "exp without the maximum subtracted": _batch(
            "    e = np.exp(s)\n    return float(np.mean(-np.log(np.diag(e) / e.sum(axis=1))))", imports=""),
        "the log of a (stable) softmax": _batch(
            "    p = np.exp(s - s.max(axis=1, keepdims=True))\n    p = p / p.sum(axis=1, keepdims=True)\n"
            "    return float(np.mean(-np.log(np.diag(p))))", imports=""),
        "eps added inside the log": _batch(
            "    p = np.exp(s - s.max(axis=1, keepdims=True))\n    p = p / p.sum(axis=1, keepdims=True)\n"
            "    return float(np.mean(-np.log(np.diag(p) + 1e-10)))", imports=""),
        "the sum over the rows, not the mean": _batch("    return float(np.sum(logsumexp(s, axis=1) - np.diag(s)))"),
        "one loss per row, not their mean": _batch("    return logsumexp(s, axis=1) - np.diag(s)"),
        "no np.asarray: lists have no .ndim": _batch(
            "    return float(np.mean(logsumexp(s, axis=1) - np.diag(s)))",
            checks="\n    if not temperature > 0:\n        raise ValueError('temperature must be positive')\n"
                   "    if z1.ndim != 2 or z1.shape != z2.shape:\n        raise ValueError('z1 and z2 differ')\n"),
        "no check of the shapes": _batch(
            "    return float(np.mean(logsumexp(s, axis=1) - np.diag(s)))",
            checks="\n    z1, z2 = np.asarray(z1, dtype=float), np.asarray(z2, dtype=float)\n"
                   "    if not temperature > 0:\n        raise ValueError('temperature must be positive')\n"),
    },
}
