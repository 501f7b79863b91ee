"""Visible checks of Lab 8 (08_elbo_vae). Each takes the student's function as ``f``.

The lab's four exercises, in its notation (q(z | x) = N(μ, diag σ²), σ² = exp(log_var), ε ~ N(0, I)):

    kl_to_standard_normal(mu, log_var):  KL(q ‖ N(0, I)) = ½ Σ_j (σ_j² + μ_j² − 1 − log σ_j²), over the last axis
    reparameterize(mu, log_var, eps):    z = μ + σ ⊙ ε, σ = exp(½ log_var); eps may carry leading sample axes
    bernoulli_decoder_nll(x, logits):    −log p(x | z) = Σ_j [max(z_j, 0) − z_j x_j + log(1 + e^(−|z_j|))]
    elbo(x, mu, log_var, decoder_logits, eps):
                                         (1/S) Σ_s log p(x | z_s) − KL(q ‖ p(z)),  z_s = μ + σ ⊙ ε_s

The checks use the public values the lab states (KL = μ²/2 for a shifted mean, ½(3 − log 4) = 0.8069 for σ² = 4,
log 2 and Lab 6's 2.126928 for one pixel, −D log 2 for a decoder that outputs logits 0, the worked ELBO of −2) and
properties (a batch row equals the same example alone, S samples average the single-sample values, a list gives
what an array gives). A single latent dimension or a single pixel keeps a check of a formula independent of the
sums over the last axis, so that one mistake costs one check. ``HINTS`` holds every hint these checks can give;
the hidden checks of the lab's test cells use the same strings.

The decoders passed to ``elbo`` are small functions that use only numpy (while grading they travel to the
student's notebook and run there).
"""

from __future__ import annotations

import numpy as np

from helpers.feedback import call_quietly, expect_close, expect_raises, expect_true

LOG_2 = float(np.log(2.0))
RTOL, ATOL = 1e-10, 1e-12
"""Values are compared to a relative 1e-10 plus an absolute 1e-12 (the lab states it)."""

HINTS = {
    # kl_to_standard_normal
    "kl_sign": "a KL divergence is never negative: the sign of the whole expression is reversed "
               "(−½ Σ (1 + log σ² − μ² − σ²) is the same KL, with its minus sign in front).",
    "kl_minus_one": "the −1 is missing: with it the KL is 0 when q is the prior (μ = 0, σ² = 1).",
    "kl_half": "the ½ in front of the sum is missing.",
    "kl_log_var_is_sigma": "log_var is log σ², not σ: σ² = exp(log_var), and the log term is log_var itself.",
    "kl_log_var_is_variance": "log_var is already the log of the variance: σ² = exp(log_var), log σ² = log_var.",
    "kl_log_var_is_log_sigma": "log_var is log σ², not log σ: do not double it (σ² = exp(log_var), not "
                               "exp(2 log_var)).",
    "kl_reversed": "that is KL(N(0, I) ‖ q), the arguments reversed; the VAE's KL is KL(q ‖ N(0, I)).",
    "kl_mean_square": "the mean enters squared: μ², whatever its sign.",
    "kl_log_of_exp": "use log_var itself for log σ²: exp(log_var) underflows to 0 at log_var = −800, and log 0 "
                     "is −inf, while the KL is finite.",
    "kl_mean_over_latents": "sum over the latent dimensions, do not average them: the KL of independent "
                            "dimensions adds up.",
    "kl_no_sum": "sum over the last axis: one KL for the whole latent vector, not one per dimension.",
    "kl_sum_all": "sum over the last axis only: one KL per example (per row), not one number for the batch.",
    "kl_first_axis": "sum over the last axis (the latent dimensions), not the first.",
    # reparameterize
    "z_sigma_is_variance": "σ = exp(½ log_var): the ½ is missing; exp(log_var) is the variance σ², not σ.",
    "z_log_var_is_sigma": "log_var is log σ², not σ: σ = exp(½ log_var).",
    "z_log_var_is_variance": "log_var is the log of the variance, not the variance: σ = exp(½ log_var), not "
                             "sqrt(log_var).",
    "z_no_eps": "ε is not used: z = μ + σ ε, with the ε you are given.",
    "z_swapped": "σ multiplies ε and μ is added: z = μ + σ ε, not μ ε + σ.",
    "z_random": "the result changes from one call to the next: use the eps you are given, draw no random "
                "numbers inside the function.",
    # bernoulli_decoder_nll
    "nll_missing_zero_term": "a pixel that is 0 costs −log(1 − σ(z)): the (1 − x) term is missing.",
    "nll_sign": "return the negative log-likelihood −log p(x | z), which is ≥ 0, not the log-likelihood.",
    "nll_log2": "use the natural log (nats), not log base 2.",
    "nll_probabilities": "logits are not probabilities: a logit z is any real number and σ(z) is the "
                         "probability of a 1.",
    "nll_unstable": "σ(z) rounds to 0 or 1 at |z| = 1000, so log σ(z) overflows: use the stable form "
                    "max(z, 0) − z x + log1p(exp(−|z|)) of Lab 6.",
    "nll_clamped": "the loss is clamped: the exact NLL of x = 1 at z = −1000 is 1000; compute it from the "
                   "logit, without clipping a probability.",
    "nll_mean_over_pixels": "sum over the pixels, do not average them: log p(x | z) of an image is the sum "
                            "of the log-probabilities of its pixels.",
    "nll_sum_all": "sum over the last axis only: one NLL per example (and per sample), not one number.",
    "nll_no_sum": "sum over the last axis (the pixels): one NLL per example, not one per pixel.",
    # elbo
    "elbo_loss_sign": "that is the VAE loss −ELBO; return the ELBO itself (a log-likelihood bound, "
                      "negative for binary pixels).",
    "elbo_kl_added": "subtract the KL to the prior: ELBO = E_q[log p(x | z)] − KL(q ‖ p(z)).",
    "elbo_no_kl": "the KL term is missing: ELBO = E_q[log p(x | z)] − KL(q ‖ p(z)).",
    "elbo_pixel_mean": "sum log p(x | z) over the pixels (the last axis), do not average it.",
    "elbo_decoder_on_mu": "the decoder must see the sampled z = μ + σ ε, not μ.",
    "elbo_decoder_on_eps": "the decoder must see z = μ + σ ε, not ε itself.",
    "elbo_sigma": "the z passed to the decoder is wrong: z = μ + σ ε with σ = exp(½ log_var).",
    "elbo_samples_summed": "the samples are added up: average them (divide by S).",
    "elbo_first_sample": "only the first sample is used: average over all S samples of eps.",
    "elbo_batch_mean": "one ELBO per example: average over the samples (axis 0 of the decoder's output) only, "
                       "not over the batch.",
    "elbo_sample_axis": "average over the samples, axis 0: the result has one ELBO per example, shape "
                        "mu.shape[:-1].",
}


def _calls(x) -> str:
    return np.array2string(np.asarray(x), separator=", ")


def _result(call: str, f, *args, **kwargs):
    """``f(*args, **kwargs)``; a TypeError or AttributeError (a list has no .shape, no arithmetic) fails the check
    with a hint to convert with np.asarray."""
    try:
        return f(*args, **kwargs)
    except (TypeError, AttributeError) as error:
        expect_true(False, call, f"{type(error).__name__}: {error}", "a result",
                    "convert the inputs first with np.asarray(..., dtype=float): lists have no elementwise "
                    "arithmetic and no .shape.")


def _single(call: str, got):
    """The one number a call on one latent dimension or one pixel returns, whatever it kept of the last axis."""
    expect_true(np.size(got) == 1, call, got, "one number", None)
    return float(np.ravel(np.asarray(got, dtype=float))[0])


def same_as_floats(call: str, f, args: tuple, floats: tuple, *, rtol: float = RTOL, atol: float = ATOL,
                   **kwargs) -> None:
    """``f(*args)`` (lists, integers, booleans, float32) equals ``f(*floats)``, the same values as float64
    arrays. Used by the visible and the hidden checks of every exercise."""
    expect_close(call, _result(call, f, *args, **kwargs), f(*floats, **kwargs), rtol=rtol, atol=atol)


# --- Exercise A: kl_to_standard_normal(mu, log_var) ---------------------------------------------------------------


def kl_one_dimension(f) -> None:
    """One latent dimension: σ² = 4 alone gives ½(4 − 1 − log 4) = 0.8069; KL = 0 at the prior (μ = 0, log σ² = 0);
    a mean μ alone adds μ²/2 (2 at μ = −2); both at once add up."""
    log_4 = float(np.log(4.0))
    call = "kl_to_standard_normal(np.array([0.0]), np.array([np.log(4)]))  (σ² = 4)"
    expected = 0.5 * (3.0 - log_4)
    expect_close(call, _single(call, f(np.array([0.0]), np.array([log_4]))), expected, rtol=RTOL, atol=ATOL,
                 hints=[(-expected, HINTS["kl_sign"]), (0.5 * (4.0 - log_4), HINTS["kl_minus_one"]),
                        (3.0 - log_4, HINTS["kl_half"]),
                        (0.5 * (log_4**2 - 1.0 - np.log(log_4**2)), HINTS["kl_log_var_is_sigma"]),
                        (0.5 * (log_4 - 1.0 - np.log(log_4)), HINTS["kl_log_var_is_variance"]),
                        (0.5 * (16.0 - 1.0 - 2 * log_4), HINTS["kl_log_var_is_log_sigma"]),
                        (0.5 * (0.25 - 1.0 + log_4), HINTS["kl_reversed"])])
    call = "kl_to_standard_normal(np.array([0.0]), np.array([0.0]))  (q is the prior)"
    expect_close(call, _single(call, f(np.array([0.0]), np.array([0.0]))), 0.0, atol=ATOL,
                 hints=[(0.5, HINTS["kl_minus_one"])])
    call = "kl_to_standard_normal(np.array([-2.0]), np.array([0.0]))  (the mean moved by -2)"
    expect_close(call, _single(call, f(np.array([-2.0]), np.array([0.0]))), 2.0, rtol=RTOL, atol=ATOL,
                 hints=[(-2.0, HINTS["kl_sign"]), (4.0, HINTS["kl_half"]), (2.5, HINTS["kl_minus_one"]),
                        (-1.0, HINTS["kl_mean_square"])])
    call = "kl_to_standard_normal(np.array([-2.0]), np.array([np.log(4)]))  (both)"
    expect_close(call, _single(call, f(np.array([-2.0]), np.array([log_4]))), 2.0 + expected, rtol=RTOL, atol=ATOL,
                 hints=[(0.5 * (0.25 + 1.0 - 1.0 + log_4), HINTS["kl_reversed"])])


def log_var_is_used_as_given(call: str, got) -> None:
    """``got``, a KL at a very negative log_var, is one finite number: log σ² = log_var enters as it is, while
    log(exp(log_var)) is log 0 = −inf there. The value itself is the formula's, checked at ordinary log_var."""
    value = _single(call, got)
    expect_true(bool(np.isfinite(value)), call, value, "a finite number (the KL is about ½(μ² − 1 − log_var))",
                hints=[(lambda g: np.isinf(g), HINTS["kl_log_of_exp"])])


def kl_log_var_as_given(f) -> None:
    """log_var enters as log σ² directly: at log_var = −800, σ² = e^(−800) underflows to 0, and the KL,
    ½(μ² − 1 + 800) plus e^(−800), is finite (399.625 for μ = 0.5), where log(exp(log_var)) would make it +inf;
    so at log_var = −1500."""
    for mu, log_var in [(0.5, -800.0), (0.0, -1500.0)]:
        call = f"kl_to_standard_normal(np.array([{mu}]), np.array([{log_var}]))"
        log_var_is_used_as_given(call, f(np.array([mu]), np.array([log_var])))


def kl_sums_last_axis(f) -> None:
    """Three latent dimensions give one number, the sum of the three one-dimensional KLs; a batch of shape (4, 3)
    gives 4 KLs, row i the KL of row i alone; shape (2, 4, 3) gives (2, 4)."""
    mu = np.array([0.5, -1.0, 2.0])
    log_var = np.array([0.0, np.log(0.25), np.log(3.0)])
    each = [_single("kl_to_standard_normal of one dimension", f(mu[j:j + 1], log_var[j:j + 1])) for j in range(3)]
    total = sum(each)
    call = "kl_to_standard_normal(np.array([0.5, -1.0, 2.0]), np.log([1.0, 0.25, 3.0]))  (against each dimension)"
    expect_close(call, f(mu, log_var), total, rtol=RTOL, atol=ATOL,
                 hints=[(total / 3, HINTS["kl_mean_over_latents"]),
                        (lambda g: np.shape(g) == (3,), HINTS["kl_no_sum"])])
    rng = np.random.default_rng(81)
    mu_batch, log_var_batch = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    got = f(mu_batch, log_var_batch)
    rows = [f(mu_batch[i], log_var_batch[i]) for i in range(4)]
    expect_true(np.shape(got) == (4,), "kl_to_standard_normal(mu, log_var), both of shape (4, 3)", got,
                "an array of shape (4,): one KL per row",
                hints=[(lambda g: np.ndim(g) == 0, HINTS["kl_sum_all"]),
                       (lambda g: np.shape(g) == (3,), HINTS["kl_first_axis"])])
    expect_close("kl_to_standard_normal(mu, log_var), shape (4, 3)  (against each row alone)", got, rows,
                 rtol=RTOL, atol=ATOL)
    mu_3d, log_var_3d = rng.normal(size=(2, 4, 3)), rng.normal(size=(2, 4, 3))
    got = f(mu_3d, log_var_3d)
    expect_true(np.shape(got) == (2, 4), "kl_to_standard_normal(mu, log_var), both of shape (2, 4, 3)", got,
                "an array of shape (2, 4)", hints=[(lambda g: np.ndim(g) == 0, HINTS["kl_sum_all"])])
    expect_close("element [1, 2] of kl_to_standard_normal(mu, log_var), shape (2, 4, 3)", np.asarray(got)[1, 2],
                 f(mu_3d[1, 2], log_var_3d[1, 2]), rtol=RTOL, atol=ATOL)


def kl_inputs(f) -> None:
    """Lists (of integers too) and float32 arrays give what float64 arrays of the same values give (float32 within
    its precision)."""
    same_as_floats("kl_to_standard_normal([1, 0, -2], [0, 1, 0])  (lists of integers)", f,
                   ([1, 0, -2], [0, 1, 0]), (np.array([1.0, 0.0, -2.0]), np.array([0.0, 1.0, 0.0])))
    same_as_floats("kl_to_standard_normal([[0.5, 1.5]], [[-1.0, 0.5]])  (nested lists)", f,
                   ([[0.5, 1.5]], [[-1.0, 0.5]]), (np.array([[0.5, 1.5]]), np.array([[-1.0, 0.5]])))
    values = np.random.default_rng(82).normal(size=(2, 5, 3)).astype(np.float32)
    same_as_floats("kl_to_standard_normal(mu, log_var), float32 of shape (5, 3)", f, (values[0], values[1]),
                   (values[0].astype(float), values[1].astype(float)), rtol=1e-5, atol=1e-6)


def kl_rejects_mismatched_shapes(f) -> None:
    """mu and log_var of different shapes, even ones that would broadcast ((2, 3) against (3,), (4, 1) against
    (4, 3)), raise ValueError naming mu and log_var."""
    for shape_mu, shape_log_var in [((3,), (4,)), ((2, 3), (3,)), ((4, 1), (4, 3))]:
        expect_raises(f, np.zeros(shape_mu), np.zeros(shape_log_var),
                      call=f"kl_to_standard_normal(np.zeros({shape_mu}), np.zeros({shape_log_var}))",
                      names=["mu", "log_var"])


# --- Exercise B: reparameterize(mu, log_var, eps) -----------------------------------------------------------------


def z_formula(f) -> None:
    """z = μ + σ ε with σ = exp(½ log_var): μ = 0.5, σ² = 4 (σ = 2) gives 2.5 at ε = 1, −1.5 at ε = −1 and 6.5 at
    ε = 3; σ² = 1/4 (σ = 0.5) and ε = 2 move μ = 1 to 2; ε = 0 gives μ. The same call gives the same z; 20,000
    standard-normal ε give draws with mean ≈ μ and standard deviation ≈ σ."""
    mu, log_var = np.array([0.5]), np.array([np.log(4.0)])
    first = f(mu, log_var, np.array([1.0]))
    expect_close("reparameterize([0.5], [np.log(4)], [1.0]) twice", f(mu, log_var, np.array([1.0])), first,
                 rtol=0, atol=0, hints=[(lambda g: True, HINTS["z_random"])])
    log_4 = float(np.log(4.0))
    expect_close("reparameterize(np.array([0.5]), np.array([np.log(4)]), np.array([1.0]))  (σ = 2)", first, [2.5],
                 rtol=RTOL, atol=ATOL,
                 hints=[([4.5], HINTS["z_sigma_is_variance"]), ([0.5 + log_4], HINTS["z_log_var_is_sigma"]),
                        ([0.5 + np.sqrt(log_4)], HINTS["z_log_var_is_variance"])])
    expect_close("reparameterize(np.array([0.5]), np.array([np.log(4)]), np.array([-1.0]))",
                 f(mu, log_var, np.array([-1.0])), [-1.5], rtol=RTOL, atol=ATOL,
                 hints=[([2.5], HINTS["z_no_eps"]), ([-3.5], HINTS["z_sigma_is_variance"]),
                        ([1.5], HINTS["z_swapped"])])
    expect_close("reparameterize(np.array([0.5]), np.array([np.log(4)]), np.array([3.0]))",
                 f(mu, log_var, np.array([3.0])), [6.5], rtol=RTOL, atol=ATOL,
                 hints=[([3.5], HINTS["z_swapped"]), ([12.5], HINTS["z_sigma_is_variance"])])
    expect_close("reparameterize(np.array([1.0]), np.array([np.log(0.25)]), np.array([2.0]))  (σ = 0.5)",
                 f(np.array([1.0]), np.array([np.log(0.25)]), np.array([2.0])), [2.0], rtol=RTOL, atol=ATOL,
                 hints=[([1.5], HINTS["z_sigma_is_variance"])])
    expect_close("reparameterize(np.array([1.0, -3.0]), np.array([0.7, -0.2]), np.zeros(2))  (ε = 0)",
                 f(np.array([1.0, -3.0]), np.array([0.7, -0.2]), np.zeros(2)), [1.0, -3.0], rtol=RTOL, atol=ATOL)
    mu, log_var = np.tile([1.0, -2.0], (20_000, 1)), np.tile(np.log([0.25, 9.0]), (20_000, 1))
    draws = np.asarray(f(mu, log_var, np.random.default_rng(83).normal(size=(20_000, 2))), dtype=float)
    call = ("reparameterize(mu, log_var, eps), 20000 rows of mu = [1, -2], log_var = log([0.25, 9]) and standard-"
            "normal eps: mean and standard deviation of the draws")
    expect_true(draws.shape == (20_000, 2), call, draws, "an array of shape (20000, 2)")
    expect_close(call, [draws.mean(axis=0), draws.std(axis=0)], [[1.0, -2.0], [0.5, 3.0]], rtol=0.03, atol=0.03)


def z_sample_axes(f) -> None:
    """eps of shape (S, *mu.shape) gives S draws of every example, each with the same μ and σ: the result has
    eps's shape, and slice s equals the call with eps[s]; two leading axes work the same way."""
    rng = np.random.default_rng(84)
    mu, log_var = rng.normal(size=(4, 2)), rng.normal(size=(4, 2))
    eps = rng.normal(size=(5, 4, 2))
    got = f(mu, log_var, eps)
    expect_true(np.shape(got) == (5, 4, 2), "reparameterize(mu, log_var, eps), mu of shape (4, 2), eps (5, 4, 2)",
                got, "an array of shape (5, 4, 2): one z per sample")
    expect_close("sample 3 of reparameterize(mu, log_var, eps), eps of shape (5, 4, 2)", np.asarray(got)[3],
                 f(mu, log_var, eps[3]), rtol=RTOL, atol=ATOL)
    vector_mu, vector_log_var = mu[0], log_var[0]
    got = f(vector_mu, vector_log_var, eps[:, 0])
    expect_true(np.shape(got) == (5, 2), "reparameterize(mu, log_var, eps), mu of shape (2,), eps (5, 2)", got,
                "an array of shape (5, 2)")
    expect_close("sample 4 of reparameterize(mu, log_var, eps), mu of shape (2,), eps (5, 2)", np.asarray(got)[4],
                 f(vector_mu, vector_log_var, eps[4, 0]), rtol=RTOL, atol=ATOL)
    deep = rng.normal(size=(2, 3, 4, 2))
    got = f(mu, log_var, deep)
    expect_true(np.shape(got) == (2, 3, 4, 2), "reparameterize(mu, log_var, eps), mu (4, 2), eps (2, 3, 4, 2)", got,
                "an array of shape (2, 3, 4, 2)")
    expect_close("sample [1, 2] of reparameterize(mu, log_var, eps), eps of shape (2, 3, 4, 2)",
                 np.asarray(got)[1, 2], f(mu, log_var, deep[1, 2]), rtol=RTOL, atol=ATOL)


def z_inputs(f) -> None:
    """Lists (of integers too) and float32 arrays give what float64 arrays give."""
    same_as_floats("reparameterize([1, -1], [0, 2], [2, -1])  (lists of integers)", f, ([1, -1], [0, 2], [2, -1]),
                   (np.array([1.0, -1.0]), np.array([0.0, 2.0]), np.array([2.0, -1.0])))
    same_as_floats("reparameterize([[0.5], [1.5]], [[0.0], [-1.0]], [[1.0], [2.0]])  (nested lists)", f,
                   ([[0.5], [1.5]], [[0.0], [-1.0]], [[1.0], [2.0]]),
                   (np.array([[0.5], [1.5]]), np.array([[0.0], [-1.0]]), np.array([[1.0], [2.0]])))
    values = np.random.default_rng(85).normal(size=(3, 4, 2)).astype(np.float32)
    same_as_floats("reparameterize(mu, log_var, eps), float32 of shape (4, 2)", f, (values[0], values[1], values[2]),
                   tuple(v.astype(float) for v in values), rtol=1e-5, atol=1e-6)


def z_rejects_mismatched_shapes(f) -> None:
    """mu and log_var of different shapes raise ValueError naming mu and log_var; eps whose last axes are not mu's
    shape (e.g. (2,) or (4, 1) against mu of shape (4, 2), which would broadcast) raises ValueError naming eps."""
    expect_raises(f, np.zeros(3), np.zeros(4), np.zeros(3),
                  call="reparameterize(np.zeros(3), np.zeros(4), np.zeros(3))", names=["mu", "log_var"])
    expect_raises(f, np.zeros((4, 2)), np.zeros(2), np.zeros((4, 2)),
                  call="reparameterize(np.zeros((4, 2)), np.zeros(2), np.zeros((4, 2)))", names=["mu", "log_var"])
    for shape in [(2,), (4, 1), (5, 2, 4), (3,)]:
        expect_raises(f, np.zeros((4, 2)), np.zeros((4, 2)), np.zeros(shape),
                      call=f"reparameterize(np.zeros((4, 2)), np.zeros((4, 2)), np.zeros({shape}))", names=["eps"])


# --- Exercise C: bernoulli_decoder_nll(x, logits) -----------------------------------------------------------------


def _one_pixel(f, x: float, z: float, text: str | None = None) -> tuple[str, float]:
    call = f"bernoulli_decoder_nll(np.array([{x}]), np.array([{text or z}]))"
    return call, _single(call, f(np.array([x]), np.array([z])))


def nll_one_pixel(f) -> None:
    """One pixel: −log p(x | z) = −[x log σ(z) + (1 − x) log(1 − σ(z))]: log 2 = 0.693147 at z = 0 for either x, and
    Lab 6's worked example, 2.126928 for x = 0 at z = 2 and 0.126928 for x = 1 at z = 2."""
    call, got = _one_pixel(f, 1.0, 0.0)
    expect_close(call, got, LOG_2, rtol=RTOL, atol=ATOL,
                 hints=[(-LOG_2, HINTS["nll_sign"]), (1.0, HINTS["nll_log2"]),
                        (lambda g: not np.isfinite(g), HINTS["nll_probabilities"])])
    call, got = _one_pixel(f, 0.0, 0.0)
    expect_close(call, got, LOG_2, rtol=RTOL, atol=ATOL, hints=[(0.0, HINTS["nll_missing_zero_term"])])
    worked = 2.0 + np.log1p(np.exp(-2.0))
    call, got = _one_pixel(f, 0.0, 2.0)
    expect_close(call, got, worked, rtol=RTOL, atol=ATOL,
                 hints=[(0.0, HINTS["nll_missing_zero_term"]), (-worked, HINTS["nll_sign"]),
                        (worked / LOG_2, HINTS["nll_log2"]), (lambda g: np.isnan(g), HINTS["nll_probabilities"])])
    call, got = _one_pixel(f, 1.0, 2.0)
    expect_close(call, got, worked - 2.0, rtol=RTOL, atol=ATOL,
                 hints=[(2.0 - worked, HINTS["nll_sign"]), ((worked - 2.0) / LOG_2, HINTS["nll_log2"])])


def grows_linearly(call: str, got, tenth) -> None:
    """``got``, the NLL of an unlikely pixel at an extreme logit η, is 10 times ``tenth``, the NLL of the same pixel
    at η / 10: far out the NLL is |η| (1000 at η = −1000 for x = 1, where log(1 + e^(−|η|)) is below double
    precision), so a stable formula keeps every digit, a clamped one levels off and an unstable one overflows."""
    value, reference = _single(call, got), 10 * _single(call, tenth)
    expect_close(call, value, reference, rtol=RTOL, atol=ATOL,
                 hints=[(lambda g: not np.isfinite(g), HINTS["nll_unstable"]),
                        (lambda g: np.isfinite(reference) and abs(g) < 0.9 * abs(reference), HINTS["nll_clamped"])])


def nll_stable(f) -> None:
    """Exact and without a warning at any logit: x = 1 at η = −1000 costs 1000, 10 times its cost at η = −100, and
    x = 0 at η = 1000 likewise; the likely pixels (x = 1 at η = 1000, x = 0 at η = −1000) cost 0; float32 logits at
    η = −100 cost 10 times what η = −10 costs, to float32 precision."""
    for x, z in [(1.0, -1000.0), (0.0, 1000.0)]:
        call = f"bernoulli_decoder_nll(np.array([{x}]), np.array([{z}]))  (against 10 times the value at {z / 10})"
        grows_linearly(call, f(np.array([x]), np.array([z])), f(np.array([x]), np.array([z / 10])))
    for x, z in [(1.0, 1000.0), (0.0, -1000.0)]:
        call = f"bernoulli_decoder_nll(np.array([{x}]), np.array([{z}]))"
        expect_close(call, _single(call, f(np.array([x]), np.array([z]))), 0.0, atol=ATOL,
                     hints=[(lambda g: not np.isfinite(g), HINTS["nll_unstable"])])
    x32 = np.array([1.0], dtype=np.float32)
    call = "bernoulli_decoder_nll(float32 [1.0], float32 [-100.0])  (against 10 times the value at -10)"
    got = _single(call, f(x32, np.array([-100.0], dtype=np.float32)))
    tenth = _single(call, f(x32, np.array([-10.0], dtype=np.float32)))
    expect_close(call, got, 10 * tenth, rtol=1e-5, hints=[(lambda g: not np.isfinite(g), HINTS["nll_unstable"]),
                                                         (lambda g: g < 90.0, HINTS["nll_clamped"])])
    x, z = np.array([1.0, 0.0, 1.0, 0.0]), np.array([-1000.0, 1000.0, 1000.0, -1000.0])
    call_quietly("bernoulli_decoder_nll(np.array([1.0, 0.0, 1.0, 0.0]), np.array([-1000.0, 1000.0, 1000.0, -1000.0]))",
                 f, x, z)


def nll_sums_last_axis(f) -> None:
    """An image of D pixels gives one number, the sum of its pixels' NLLs; x of shape (3, 4) gives 3 values, row i
    the NLL of row i alone; logits of shape (2, 3, 4) with x of shape (3, 4), one set of logits per sample z, give
    shape (2, 3), slice s the NLL of logits[s]."""
    rng = np.random.default_rng(86)
    x = rng.integers(0, 2, size=(3, 4)).astype(float)
    logits = rng.normal(0.0, 2.0, size=(2, 3, 4))
    pixels = [_single("bernoulli_decoder_nll of one pixel", f(x[0, j:j + 1], logits[0, 0, j:j + 1])) for j in range(4)]
    total = sum(pixels)
    call = f"bernoulli_decoder_nll(np.array({_calls(x[0])}), logits of shape (4,))  (against each pixel)"
    expect_close(call, f(x[0], logits[0, 0]), total, rtol=RTOL, atol=ATOL,
                 hints=[(total / 4, HINTS["nll_mean_over_pixels"]),
                        (lambda g: np.shape(g) == (4,), HINTS["nll_no_sum"])])
    got = f(x, logits[0])
    expect_true(np.shape(got) == (3,), "bernoulli_decoder_nll(x, logits), both of shape (3, 4)", got,
                "an array of shape (3,): one NLL per row",
                hints=[(lambda g: np.ndim(g) == 0, HINTS["nll_sum_all"]),
                       (lambda g: np.shape(g) == (3, 4), HINTS["nll_no_sum"])])
    expect_close("bernoulli_decoder_nll(x, logits), both of shape (3, 4)  (against each row alone)", got,
                 [f(x[i], logits[0, i]) for i in range(3)], rtol=RTOL, atol=ATOL)
    got = f(x, logits)
    expect_true(np.shape(got) == (2, 3), "bernoulli_decoder_nll(x, logits), x of shape (3, 4), logits (2, 3, 4)", got,
                "an array of shape (2, 3): one NLL per sample and example",
                hints=[(lambda g: np.ndim(g) == 0, HINTS["nll_sum_all"])])
    expect_close("sample 1 of bernoulli_decoder_nll(x, logits), logits of shape (2, 3, 4)", np.asarray(got)[1],
                 f(x, logits[1]), rtol=RTOL, atol=ATOL)


def nll_inputs(f) -> None:
    """Lists of integers, booleans and float32 arrays give what float64 arrays give."""
    same_as_floats("bernoulli_decoder_nll([1, 0, 1], [2, -1, 0])  (lists of integers)", f, ([1, 0, 1], [2, -1, 0]),
                   (np.array([1.0, 0.0, 1.0]), np.array([2.0, -1.0, 0.0])))
    same_as_floats("bernoulli_decoder_nll(np.array([True, False]), [0.5, 1.5])  (booleans)", f,
                   (np.array([True, False]), [0.5, 1.5]), (np.array([1.0, 0.0]), np.array([0.5, 1.5])))
    rng = np.random.default_rng(87)
    x32 = rng.integers(0, 2, size=(4, 6)).astype(np.float32)
    z32 = rng.normal(0.0, 3.0, size=(4, 6)).astype(np.float32)
    same_as_floats("bernoulli_decoder_nll(x, logits), float32 of shape (4, 6)", f, (x32, z32),
                   (x32.astype(float), z32.astype(float)), rtol=1e-5, atol=1e-5)


def nll_rejects_invalid(f) -> None:
    """x outside [0, 1] raises ValueError naming x; logits whose last axes are not x's shape (they would broadcast)
    raise ValueError naming x and logits."""
    for x in ([1.0, 2.0], [-1.0, 0.0]):
        expect_raises(f, np.array(x), np.zeros(2), call=f"bernoulli_decoder_nll(np.array({x}), np.zeros(2))",
                      names=["x"])
    for shape_x, shape_logits in [((4,), (4, 1)), ((4,), (3,)), ((2, 5), (5,)), ((3, 2), (3, 1))]:
        expect_raises(f, np.zeros(shape_x), np.zeros(shape_logits),
                      call=f"bernoulli_decoder_nll(np.zeros({shape_x}), np.zeros({shape_logits}))",
                      names=["x", "logits"])


# --- Exercise D: elbo(x, mu, log_var, decoder_logits, eps) ---------------------------------------------------------


def coin_flip_decoder(n_pixels: int):
    """A decoder that ignores z and returns logits 0 for every pixel: p(x | z) = 2^(−D) whatever z, so that the
    ELBO is −D log 2 − KL(q ‖ p(z)) (stated in the lab)."""

    def decoder(z):
        return np.zeros(np.shape(z)[:-1] + (n_pixels,))

    return decoder


def identity_decoder():
    """The decoder whose logits are z itself (D = d): the worked example of the lab."""

    def decoder(z):
        return np.asarray(z, dtype=float)

    return decoder


def linear_decoder(weights, offsets):
    """logits = z Wᵀ + c over any leading axes of z: shape (..., d) to (..., D)."""
    weights, offsets = np.asarray(weights, dtype=float), np.asarray(offsets, dtype=float)

    def decoder(z):
        return np.asarray(z, dtype=float) @ weights.T + offsets

    return decoder


def elbo_one_sample(f) -> None:
    """With logits 0 for every pixel, log p(x | z) = −D log 2 whatever z: the ELBO of D = 5 pixels is −5 log 2 =
    −3.4657 with q the prior, and 0.5 lower with μ = (1, 0) (KL = μ²/2). The worked example: x = [1], μ = [1],
    σ² = 4, ε = [[−0.5]] and logits = z give z = 0, log p(x | z) = −log 2 and KL = ½(4 + 1 − 1 − log 4): ELBO = −2."""
    x = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    flat = -5 * LOG_2
    call = ("elbo(x, mu=[0, 0], log_var=[0, 0], decoder_logits=<logits 0 for 5 pixels>, eps=[[0.3, -1.2]])  "
            "(q is the prior)")
    got = f(x, np.zeros(2), np.zeros(2), coin_flip_decoder(5), np.array([[0.3, -1.2]]))
    expect_close(call, _single(call, got), flat, rtol=RTOL, atol=ATOL,
                 hints=[(-flat, HINTS["elbo_loss_sign"]), (-LOG_2, HINTS["elbo_pixel_mean"])])
    call = "elbo(x, mu=[1, 0], log_var=[0, 0], decoder_logits=<logits 0 for 5 pixels>, eps=[[0.3, -1.2]])"
    got = f(x, np.array([1.0, 0.0]), np.zeros(2), coin_flip_decoder(5), np.array([[0.3, -1.2]]))
    expect_close(call, _single(call, got), flat - 0.5, rtol=RTOL, atol=ATOL,
                 hints=[(flat + 0.5, HINTS["elbo_kl_added"]), (flat, HINTS["elbo_no_kl"]),
                        (0.5 - flat, HINTS["elbo_loss_sign"]), (-LOG_2 - 0.5, HINTS["elbo_pixel_mean"])])
    kl = 0.5 * (4.0 - np.log(4.0))
    call = "elbo(np.array([1.0]), mu=[1.0], log_var=[np.log(4)], decoder_logits=<logits = z>, eps=[[-0.5]])"
    got = f(np.array([1.0]), np.array([1.0]), np.array([np.log(4.0)]), identity_decoder(), np.array([[-0.5]]))

    def log_sigmoid(t):
        return -np.log1p(np.exp(-t))

    expect_close(call, _single(call, got), -2.0, rtol=RTOL, atol=ATOL,
                 hints=[(2.0, HINTS["elbo_loss_sign"]), (-LOG_2 + kl, HINTS["elbo_kl_added"]),
                        (-LOG_2, HINTS["elbo_no_kl"]), (log_sigmoid(1.0) - kl, HINTS["elbo_decoder_on_mu"]),
                        (log_sigmoid(-0.5) - kl, HINTS["elbo_decoder_on_eps"]),
                        (log_sigmoid(-1.0) - kl, HINTS["elbo_sigma"])])


def _linear_case():
    weights = np.array([[1.0, -0.5], [0.3, 2.0], [-1.5, 0.7]])
    offsets = np.array([0.2, -0.4, 0.1])
    x = np.array([1.0, 0.0, 1.0])
    mu, log_var = np.array([0.3, -0.2]), np.log([0.5, 2.0])
    eps = np.array([[0.5, -1.0], [1.5, 0.2], [-0.7, 0.9], [0.1, -2.0]])
    return x, mu, log_var, linear_decoder(weights, offsets), eps


def elbo_averages_samples(f) -> None:
    """S samples: the ELBO with eps of shape (S, d) is the mean of the S single-sample ELBOs (the KL, exact, is the
    same in each); with S = 1 it is that sample's value. A linear decoder, logits = z Wᵀ + c."""
    x, mu, log_var, decoder, eps = _linear_case()
    singles = [_single("elbo with one sample", f(x, mu, log_var, decoder, eps[s:s + 1])) for s in range(4)]
    flat = -3 * LOG_2
    kl = -_single("elbo with logits 0", f(x, mu, log_var, coin_flip_decoder(3), eps[:1])) + flat
    reconstructions = [value + kl for value in singles]
    call = "elbo(x, mu, log_var, <linear decoder>, eps of shape (4, 2))  (against the mean of the 4 single samples)"
    got = f(x, mu, log_var, decoder, eps)
    expect_true(np.size(got) == 1, call, got, "one number", HINTS["elbo_sample_axis"])
    expect_close(call, np.ravel(np.asarray(got, dtype=float))[0], np.mean(singles), rtol=RTOL, atol=ATOL,
                 hints=[(np.sum(singles), HINTS["elbo_samples_summed"]),
                        (np.sum(reconstructions) - kl, HINTS["elbo_samples_summed"]),
                        (singles[0], HINTS["elbo_first_sample"])])


def elbo_per_example(f) -> None:
    """A batch: x of shape (3, 4), mu and log_var (3, 2), eps (5, 3, 2) give 3 ELBOs, row i the ELBO of example i
    alone (x[i], mu[i], log_var[i], eps[:, i]); with S = 1, eps of shape (1, 3, 2), still shape (3,)."""
    rng = np.random.default_rng(88)
    decoder = linear_decoder(rng.normal(size=(4, 2)), rng.normal(size=4))
    x = rng.integers(0, 2, size=(3, 4)).astype(float)
    mu, log_var, eps = rng.normal(size=(3, 2)), rng.normal(0.0, 0.5, size=(3, 2)), rng.normal(size=(5, 3, 2))
    got = f(x, mu, log_var, decoder, eps)
    call = "elbo(x, mu, log_var, <linear decoder>, eps), x of shape (3, 4), mu (3, 2), eps (5, 3, 2)"
    expect_true(np.shape(got) == (3,), call, got, "an array of shape (3,): one ELBO per example",
                hints=[(lambda g: np.ndim(g) == 0, HINTS["elbo_batch_mean"]),
                       (lambda g: np.shape(g) in ((5, 3), (5,)), HINTS["elbo_sample_axis"])])
    rows = [_single("elbo of one example", f(x[i], mu[i], log_var[i], decoder, eps[:, i])) for i in range(3)]
    expect_close(call + "  (against each example alone)", got, rows, rtol=RTOL, atol=ATOL)
    got = f(x, mu, log_var, decoder, eps[:1])
    expect_true(np.shape(got) == (3,), "elbo(x, mu, log_var, <linear decoder>, eps of shape (1, 3, 2))", got,
                "an array of shape (3,)", hints=[(lambda g: np.shape(g) == (1, 3), HINTS["elbo_sample_axis"])])


def elbo_rejects_eps_without_samples(f) -> None:
    """eps must be (S, *mu.shape): eps of mu's own shape, without the sample axis, or with other last axes, raises
    ValueError naming eps."""
    x, mu, log_var, decoder, _ = _linear_case()
    expect_raises(f, x, mu, log_var, decoder, np.zeros(2), call="elbo(x, mu of shape (2,), ..., eps=np.zeros(2))",
                  names=["eps"])
    batch_x, batch_mu = np.tile(x, (3, 1)), np.zeros((3, 2))
    expect_raises(f, batch_x, batch_mu, batch_mu, decoder, np.zeros((3, 2)),
                  call="elbo(x of shape (3, 3), mu of shape (3, 2), ..., eps=np.zeros((3, 2)))", names=["eps"])
    expect_raises(f, x, mu, log_var, decoder, np.zeros((4, 3)),
                  call="elbo(x, mu of shape (2,), ..., eps=np.zeros((4, 3)))", names=["eps"])


def elbo_inputs(f) -> None:
    """x as a list of integers or a boolean array, mu and log_var as lists: the same ELBO as float64 arrays."""
    x, mu, log_var, decoder, eps = _linear_case()
    same_as_floats("elbo([1, 0, 1], [0.3, -0.2], log_var as a list, <linear decoder>, eps as a list)", f,
                   ([1, 0, 1], [0.3, -0.2], log_var.tolist(), decoder, eps.tolist()), (x, mu, log_var, decoder, eps))
    same_as_floats("elbo(np.array([True, False, True]), mu, log_var, <linear decoder>, eps)  (booleans)", f,
                   (np.array([True, False, True]), mu, log_var, decoder, eps), (x, mu, log_var, decoder, eps))
