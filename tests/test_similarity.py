"""The similarity report (grading.similarity) on a generated class of Lab 1: ana and ben share one answer, ben having
renamed its variables and reworded its messages and comment; everyone else, and the two of them everywhere else,
wrote their own code. The copied pair must top the report, well above every honest pair, and nothing the lab
itself provides (signatures, docstrings, stubs left unsolved) may count."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from course import LABS, ROOT

LAB = "01_distributions"
STUB = "    # YOUR CODE HERE\n    raise NotImplementedError()"

# What each student wrote in the body of each answer cell; a missing entry: left unsolved (the stub stays).
ANSWERS = {
    "ana": {
        "gaussian_log_pdf": """
    x = np.asarray(x, dtype=float)
    if np.any(np.asarray(sigma) <= 0):
        raise ValueError("sigma must be positive")
    z = (x - mu) / sigma
    return -0.5 * z * z - np.log(sigma) - 0.5 * np.log(2 * np.pi)""",
        "bernoulli_log_pmf": """
    k = np.asarray(k)
    p = np.asarray(p, dtype=float)
    if np.any((k != 0) & (k != 1)):
        raise ValueError("k must be 0 or 1")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be in [0, 1]")
    with np.errstate(divide="ignore"):
        return np.where(k == 1, np.log(p), np.log1p(-p))""",
        "uniform_cdf": """
    x = np.asarray(x, dtype=float)
    if np.any(np.asarray(a) >= np.asarray(b)):
        raise ValueError("need a < b")
    return np.clip((x - a) / (b - a), 0.0, 1.0)""",
        "softmax": """
    z = np.asarray(logits, dtype=float)
    z = z - z.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)""",
        "sample_categorical": """
    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 1 or probs.size == 0:
        raise ValueError("probs must be a non-empty vector")
    if np.any(probs < 0) or not np.isclose(probs.sum(), 1.0):
        raise ValueError("probs must be non-negative and sum to 1")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError("n must be a non-negative integer")
    cumulative = np.cumsum(probs)
    cumulative[-1] = 1.0  # guard against rounding: every u < 1 finds a class
    uniforms = rng.random(n)
    draws = np.searchsorted(cumulative, uniforms, side="right")
    return draws.astype(np.int64)""",
    },
    "ben": {
        "gaussian_log_pdf": """
    sigma = np.array(sigma, dtype=np.float64)
    if (sigma <= 0).any():
        raise ValueError(f"bad sigma {sigma}")
    var = sigma ** 2
    log_norm = np.log(np.sqrt(2 * np.pi * var))
    return -((np.asarray(x) - mu) ** 2) / (2 * var) - log_norm""",
        "bernoulli_log_pmf": """
    p = np.array(p, dtype=float)
    k = np.array(k)
    bad_k = ~np.isin(k, [0, 1])
    if bad_k.any() or (p < 0).any() or (p > 1).any():
        raise ValueError("need k in {0, 1} and 0 <= p <= 1")
    out = np.empty(np.broadcast(k, p).shape)
    ones = np.broadcast_to(k == 1, out.shape)
    pp = np.broadcast_to(p, out.shape)
    with np.errstate(divide="ignore"):
        out[ones] = np.log(pp[ones])
        out[~ones] = np.log1p(-pp[~ones])
    return out""",
        "uniform_cdf": """
    lo, hi = np.asarray(a, float), np.asarray(b, float)
    if not np.all(hi > lo):
        raise ValueError("b must exceed a")
    t = (np.asarray(x, float) - lo) / (hi - lo)
    return np.minimum(np.maximum(t, 0), 1)""",
        "softmax": """
    from scipy.special import logsumexp
    logits = np.asarray(logits, dtype=float)
    return np.exp(logits - logsumexp(logits, axis=axis, keepdims=True))""",
        # ana's answer with other names, messages and comment
        "sample_categorical": """
    p_vec = np.asarray(probs, dtype=float)
    if p_vec.ndim != 1 or p_vec.size == 0:
        raise ValueError("probabilities should form a non-empty 1-D array")
    if np.any(p_vec < 0) or not np.isclose(p_vec.sum(), 1.0):
        raise ValueError("probabilities must be >= 0 and add up to one")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError("number of samples must be a natural number")
    cdf = np.cumsum(p_vec)
    cdf[-1] = 1.0  # rounding
    u = rng.random(n)
    samples = np.searchsorted(cdf, u, side="right")
    return samples.astype(np.int64)""",
    },
    "cho": {
        "gaussian_log_pdf": """
    from scipy import stats
    if np.min(sigma) <= 0:
        raise ValueError("sigma <= 0")
    return stats.norm.logpdf(x, loc=mu, scale=sigma)""",
        "bernoulli_log_pmf": """
    from scipy.stats import bernoulli
    if not np.all(np.isin(k, (0, 1))):
        raise ValueError("k is not binary")
    if not np.all((0 <= np.asarray(p)) & (np.asarray(p) <= 1)):
        raise ValueError("p outside [0, 1]")
    return bernoulli.logpmf(k, p)""",
        "uniform_cdf": """
    from scipy.stats import uniform
    if np.any(np.subtract(b, a) <= 0):
        raise ValueError("empty interval")
    return uniform.cdf(x, loc=a, scale=np.subtract(b, a))""",
        "softmax": """
    arr = np.array(logits, dtype=np.float64)
    m = np.amax(arr, axis=axis, keepdims=True)
    unnormalised = np.exp(arr - m)
    total = np.sum(unnormalised, axis=axis, keepdims=True)
    return unnormalised / total""",
        "sample_categorical": """
    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 1 or len(probs) == 0 or (probs < 0).any() or abs(probs.sum() - 1) > 1e-9:
        raise ValueError("not a probability vector")
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise ValueError("bad n")
    out = np.empty(n, dtype=int)
    edges = np.cumsum(probs)
    for i, u in enumerate(rng.random(n)):
        k = 0
        while k < len(edges) - 1 and u >= edges[k]:
            k += 1
        out[i] = k
    return out""",
    },
    "dev": {
        "gaussian_log_pdf": """
    s = np.asarray(sigma, float)
    if not (s > 0).all():
        raise ValueError("standard deviation has to be > 0")
    diff = np.subtract(x, mu)
    return -np.log(s) - np.log(2 * np.pi) / 2 - np.square(diff / s) / 2""",
        "bernoulli_log_pmf": """
    kk, pp = np.broadcast_arrays(np.asarray(k), np.asarray(p, dtype=float))
    for value in np.unique(kk):
        if value not in (0, 1):
            raise ValueError(f"k={value} is not an outcome of a Bernoulli")
    if pp.min() < 0 or pp.max() > 1:
        raise ValueError("p is a probability")
    result = np.full(pp.shape, -np.inf)
    np.log(pp, out=result, where=(kk == 1) & (pp > 0))
    np.log1p(-pp, out=result, where=(kk == 0) & (pp < 1))
    return result""",
        "uniform_cdf": """
    width = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    if (width <= 0).any():
        raise ValueError(f"a < b is required, got width {width}")
    x = np.asarray(x, dtype=float)
    below, above = x < a, x > b
    inside = (x - a) / width
    return np.where(below, 0.0, np.where(above, 1.0, inside))""",
        "softmax": """
    x = np.moveaxis(np.asarray(logits, dtype=float), axis, -1)
    shifted = x - np.max(x, axis=-1)[..., None]
    probs = np.exp(shifted)
    probs /= probs.sum(axis=-1)[..., None]
    return np.moveaxis(probs, -1, axis)""",
        "sample_categorical": """
    p = np.array(probs, dtype=float, ndmin=1)
    if p.ndim > 1 or p.size < 1:
        raise ValueError("probs: expected a 1-D array with at least one entry")
    if p.min() < 0 or abs(1 - p.sum()) > 1e-8:
        raise ValueError("probs: entries must be >= 0 and sum to 1")
    if type(n) is bool or not np.issubdtype(type(n), np.integer) or n < 0:
        raise ValueError("n: must be a whole number >= 0")
    u = rng.random(n)[:, None]
    return (u >= np.cumsum(p)[None, :-1]).sum(axis=1)""",
    },
    "eli": {
        "gaussian_log_pdf": """
    LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
    x, mu, sigma = (np.asarray(v, dtype=float) for v in (x, mu, sigma))
    if np.any(sigma <= 0.0):
        raise ValueError("sigma")
    return -(LOG_SQRT_2PI + np.log(sigma)) - ((x - mu) ** 2) / (2.0 * sigma ** 2)""",
        "bernoulli_log_pmf": """
    k = np.asarray(k, dtype=int)
    p = np.asarray(p, dtype=float)
    valid = np.logical_or(k == 0, k == 1).all() and np.logical_and(p >= 0, p <= 1).all()
    if not valid:
        raise ValueError("invalid k or p")
    log_p = np.log(p, where=p > 0, out=np.full_like(p, -np.inf))
    log_q = np.log(1 - p, where=p < 1, out=np.full_like(p, -np.inf))
    return np.where(k == 1, log_p, log_q)""",
        # uniform_cdf left unsolved
        "softmax": """
    from scipy.special import softmax as scipy_softmax
    return scipy_softmax(np.asarray(logits, dtype=float), axis=axis)""",
        "sample_categorical": """
    weights = np.asarray(probs, dtype=float)
    ok = weights.ndim == 1 and weights.size > 0 and np.all(weights >= 0) and np.isclose(weights.sum(), 1)
    if not ok:
        raise ValueError("probs is not a distribution")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError("n must be an int >= 0")
    thresholds = np.cumsum(weights)
    thresholds /= thresholds[-1]
    return np.digitize(rng.random(n), thresholds, right=False)""",
    },
    "fin": {},  # handed in the lab untouched
}


def _submission(release: dict, answers: dict[str, str]) -> dict:
    notebook = json.loads(json.dumps(release))
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if cell["metadata"].get("nbgrader", {}).get("solution") and grade_id in answers:
            source = "".join(cell["source"])
            assert STUB in source, f"{grade_id}: the release's stub changed"
            cell["source"] = source.replace(STUB, answers[grade_id].strip("\n"))
    return notebook


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course root with the released Lab 1 and the generated class in submitted/, plus one notebook that is
    not JSON."""
    root = tmp_path_factory.mktemp("similarity")
    shutil.copytree(LABS / LAB, root / "labs" / LAB)
    (root / "solutions" / LAB).mkdir(parents=True)  # the command line knows the labs by their source folders
    (root / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text(encoding="utf-8"))
    release = json.loads((LABS / LAB / f"{LAB}.ipynb").read_text(encoding="utf-8"))
    for student, answers in ANSWERS.items():
        folder = root / "submitted" / student / LAB
        folder.mkdir(parents=True)
        (folder / f"{LAB}.ipynb").write_text(json.dumps(_submission(release, answers)), encoding="utf-8")
    broken = root / "submitted" / "gus" / LAB
    broken.mkdir(parents=True)
    (broken / f"{LAB}.ipynb").write_text("{not json", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def result(course):
    from grading.similarity import report

    return report(course, LAB)


def test_the_copied_pair_tops_the_report_and_honest_pairs_stay_low(result):
    _, pairs, _ = result
    scores = {(p.first, p.second): p.score for p in pairs}
    top = pairs[0]
    assert (top.first, top.second) == ("ana", "ben"), f"the pairs, most similar first: {scores}"
    honest = max(p.score for p in pairs[1:])
    assert top.score >= 0.3, f"the copied pair is not flagged: {scores}"
    assert top.score >= 1.8 * honest, f"the copied pair does not stand out: {scores}"
    assert set(top.exercises) >= {"sample_categorical"}
    assert top.exercises["sample_categorical"][0] > 0.8, "most of ana's sample_categorical is in ben's"
    assert all(p.score < 0.3 for p in pairs[1:]), f"an honest pair reaches the flag threshold: {scores}"


def test_the_labs_own_code_never_counts(course, result):
    """fin handed in the lab untouched and eli left a stub: the lab's own code makes them similar to no one."""
    from grading.similarity import answer_cells, release_code

    _, pairs, empty = result
    assert all(p.score == 0 for p in pairs if "fin" in (p.first, p.second)), "the untouched lab matched someone"
    assert all("uniform_cdf" not in p.exercises for p in pairs if "eli" in (p.first, p.second))
    release, _ = release_code(course / "labs" / LAB / f"{LAB}.ipynb")
    ana = answer_cells(course / "submitted" / "ana" / LAB / f"{LAB}.ipynb", release)
    assert set(ana) == set(ANSWERS["ana"])
    assert ana["softmax"] == ANSWERS["ana"]["softmax"].strip("\n"), "only the lines ana wrote are compared"
    fin = answer_cells(course / "submitted" / "fin" / LAB / f"{LAB}.ipynb", release)
    assert set(fin.values()) == {""}, "an untouched answer cell holds nothing of the student's"
    assert empty == ["gus"], "a notebook that is not JSON is listed as having no answer code"


def test_the_report_shows_pairs_side_by_side_and_the_distribution(result):
    path, _, _ = result
    page = path.read_text(encoding="utf-8")
    assert path.name == f"{LAB}-similarity.html"
    assert '<img alt="distribution of similarity scores" src="data:image/png;base64,' in page
    first = page.index("<h3>1. ana and ben")
    assert "<mark>" in page[first:], "the shared code is marked"
    assert "p_vec" in page[first:] and "cumulative" in page[first:], "both students' code is shown"
    assert "not evidence" in page and "accuses no one" in page


def test_command_line(course):
    result = subprocess.run([sys.executable, "-m", "grading", "--root", str(course), "similarity", LAB],
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert "ana and ben:" in result.stdout and f"reports/{LAB}-similarity.html" in result.stdout
