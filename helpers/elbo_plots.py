"""The bound, seen exactly: the figures and the slider demo of Lab 8 (the ELBO and the VAE loss).

Two latent-variable models in which log p(x) can be computed without any bound:

- the linear-Gaussian model z ~ N(0, I), x | z ~ N(W z + b, s² I), where everything has a closed form:
  x ~ N(b, W Wᵀ + s² I), the posterior p(z | x) is Gaussian, and for a Gaussian q(z) = N(m, diag v) the ELBO is
  a sum of Gaussian expectations (:func:`linear_gaussian_log_evidence`, :func:`linear_gaussian_posterior`,
  :func:`linear_gaussian_exact_bound`);
- a Bernoulli decoder with one latent dimension, logits = w z + c, whose integral over z is done on a grid
  (:func:`one_latent_bernoulli_model`), as it can be for one dimension and no more than a few.

The gap log p(x) − ELBO is computed separately, as KL(q ‖ p(z | x)) by numerical integration over z
(:func:`kl_by_quadrature`), so that the figure shows the identity log p(x) = ELBO + KL from three separate
computations rather than assuming it. Nothing here is one of the lab's graded functions.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from helpers.plots import COLORS
from helpers.widgets import SliderFigure, control

LOG_2PI = np.log(2 * np.pi)

#: The lab's linear-Gaussian model: one latent dimension, three observed values, noise std s = 1, and the
#: observed x. Its posterior is N(0.8, 0.5²): posterior variance 1 / (1 + ‖w‖²/s²) = 1/4, and mean
#: wᵀ(x − b) / (s² + ‖w‖²) = 3.2 / 4.
LAB_MODEL = {
    "W": np.array([[1.0], [1.0], [-1.0]]),
    "b": np.array([0.0, 0.5, 0.0]),
    "noise_std": 1.0,
    "x": np.array([1.5, 2.1, -0.1]),
}


def _linear_gaussian(x, W, b, noise_std):
    x, W, b = (np.asarray(v, dtype=float) for v in (x, W, b))
    if W.ndim != 2 or b.shape != (W.shape[0],) or x.shape != b.shape:
        raise ValueError(f"W must be (D, d), b and x of shape (D,); got W {W.shape}, b {b.shape}, x {x.shape}")
    if not noise_std > 0:
        raise ValueError(f"noise_std must be positive, got {noise_std}")
    return x, W, b, float(noise_std)


def linear_gaussian_log_evidence(x, W, b, noise_std) -> float:
    """log p(x) = log N(x; b, W Wᵀ + s² I) for z ~ N(0, I), x | z ~ N(W z + b, s² I), s = ``noise_std``: the
    marginal of a Gaussian pushed through a linear map, plus independent noise. Introduced in Lab 8.

    Computed with a Cholesky factor L of C = W Wᵀ + s² I: log p(x) = −D/2 log 2π − Σ log L_ii − ½ ‖L⁻¹(x − b)‖².
    """
    x, W, b, s = _linear_gaussian(x, W, b, noise_std)
    covariance = W @ W.T + s**2 * np.eye(len(b))
    factor = np.linalg.cholesky(covariance)
    white = np.linalg.solve(factor, x - b)
    return float(-0.5 * len(b) * LOG_2PI - np.sum(np.log(np.diag(factor))) - 0.5 * white @ white)


def linear_gaussian_posterior(x, W, b, noise_std) -> tuple[np.ndarray, np.ndarray]:
    """The exact posterior p(z | x) = N(mean, cov) of the linear-Gaussian model (Bayes' rule for Gaussians):
    cov = (I + WᵀW / s²)⁻¹, mean = cov Wᵀ (x − b) / s². Introduced in Lab 8."""
    x, W, b, s = _linear_gaussian(x, W, b, noise_std)
    precision = np.eye(W.shape[1]) + W.T @ W / s**2
    cov = np.linalg.inv(precision)
    return cov @ W.T @ (x - b) / s**2, cov


def linear_gaussian_exact_bound(x, W, b, noise_std, q_mean, q_var):
    """The ELBO of q(z) = N(q_mean, diag q_var) in the linear-Gaussian model, with no sampling: the sum of three
    Gaussian expectations under q. Introduced in Lab 8.

        E_q[log p(x | z)] = −D/2 log(2π s²) − (‖x − b − W m‖² + Σ_j v_j ‖W_:j‖²) / (2 s²)
        E_q[log p(z)]     = −d/2 log 2π − ½ Σ_j (m_j² + v_j)
        H[q]              = ½ Σ_j log(2π e v_j)

    ELBO = E_q[log p(x | z)] + E_q[log p(z)] + H[q]. ``q_mean`` and ``q_var`` have shape (..., d): one ELBO per
    leading index (a curve over many means at once).
    """
    x, W, b, s = _linear_gaussian(x, W, b, noise_std)
    m, v = np.asarray(q_mean, dtype=float), np.asarray(q_var, dtype=float)
    if np.broadcast_shapes(m.shape, v.shape)[-1:] != (W.shape[1],) or not np.all(v > 0):
        raise ValueError(f"q_mean and q_var must end with the latent dimension {W.shape[1]}, and q_var be positive")
    m, v = np.broadcast_arrays(m, v)
    residual = x - b - m @ W.T
    expected_log_likelihood = (-0.5 * len(b) * np.log(2 * np.pi * s**2)
                               - (np.sum(residual**2, axis=-1) + v @ np.sum(W**2, axis=0)) / (2 * s**2))
    expected_log_prior = -0.5 * W.shape[1] * LOG_2PI - 0.5 * np.sum(m**2 + v, axis=-1)
    entropy_of_q = 0.5 * np.sum(np.log(2 * np.pi * np.e * v), axis=-1)
    return expected_log_likelihood + expected_log_prior + entropy_of_q


def kl_by_quadrature(q_mean: float, q_std: float, log_target, *, n_points: int = 4001, width: float = 12.0) -> float:
    """KL(q ‖ p) = ∫ q(z) (log q(z) − log p(z)) dz for a one-dimensional q = N(q_mean, q_std²), by the trapezoid
    rule over q_mean ± ``width`` q_std; ``log_target`` is log p as a function of an array of z. No closed form is
    used: the figure of Lab 8 shows log p(x) − ELBO next to this number. Introduced in Lab 8."""
    if not q_std > 0:
        raise ValueError(f"q_std must be positive, got {q_std}")
    z = np.linspace(q_mean - width * q_std, q_mean + width * q_std, n_points)
    log_q = -0.5 * ((z - q_mean) / q_std) ** 2 - np.log(q_std) - 0.5 * LOG_2PI
    return float(np.trapezoid(np.exp(log_q) * (log_q - log_target(z)), z))


def _gaussian_log_density(z, mean, std):
    return -0.5 * ((z - mean) / std) ** 2 - np.log(std) - 0.5 * LOG_2PI


def bound_summary(q_mean: float, q_std: float, model: dict | None = None) -> dict[str, float]:
    """For the one-latent linear-Gaussian ``model`` (default :data:`LAB_MODEL`) and q = N(q_mean, q_std²): log p(x),
    the exact ELBO, KL(q ‖ p(z | x)) by quadrature, and the posterior's mean and standard deviation. Introduced in
    Lab 8."""
    model = LAB_MODEL if model is None else model
    args = (model["x"], model["W"], model["b"], model["noise_std"])
    if np.shape(model["W"])[1] != 1:
        raise ValueError("bound_summary draws a model with one latent dimension: W must have shape (D, 1)")
    post_mean, post_cov = linear_gaussian_posterior(*args)
    mean, std = float(post_mean[0]), float(np.sqrt(post_cov[0, 0]))
    return {
        "log_evidence": linear_gaussian_log_evidence(*args),
        "elbo": float(linear_gaussian_exact_bound(*args, [q_mean], [q_std**2])),
        "kl_to_posterior": kl_by_quadrature(q_mean, q_std, lambda z: _gaussian_log_density(z, mean, std)),
        "posterior_mean": mean,
        "posterior_std": std,
    }


def draw_elbo_gap(ax, q_mean: float = 0.0, q_std: float = 1.0, *, model: dict | None = None,
                  z_range: tuple[float, float] = (-1.5, 2.5), legend: bool = True):
    """Left axis, over z: the prior p(z) (dotted), the exact posterior p(z | x) (solid) and q(z) = N(m, s²)
    (dashed). Right axis (``ax.bound_axis``), over the mean m of q at the spread s = ``q_std``: the exact ELBO
    (solid), log p(x) (dash-dotted), and at m = ``q_mean`` a marker and the gap between them, which is
    KL(q ‖ p(z | x)). Introduced in Lab 8.

    The ELBO curve touches log p(x) only where q is the posterior (m and s both right); the numbers of the title
    are in ``ax.summary`` (the dict of :func:`bound_summary`). Returns ``ax``.
    """
    if not q_std > 0:
        raise ValueError(f"q_std must be positive, got {q_std}")
    model = LAB_MODEL if model is None else model
    summary = bound_summary(q_mean, q_std, model)
    z = np.linspace(*z_range, 401)
    args = (model["x"], model["W"], model["b"], model["noise_std"])
    curve = linear_gaussian_exact_bound(*args, z[:, None], np.full((z.size, 1), q_std**2))

    ax.plot(z, np.exp(_gaussian_log_density(z, 0.0, 1.0)), color="0.45", linestyle=":", label="prior p(z) = N(0, 1)")
    ax.plot(z, np.exp(_gaussian_log_density(z, summary["posterior_mean"], summary["posterior_std"])),
            color=COLORS[0], linestyle="-",
            label=f"posterior p(z | x) = N({summary['posterior_mean']:.2f}, {summary['posterior_std']:.2f}²)")
    ax.plot(z, np.exp(_gaussian_log_density(z, q_mean, q_std)), color=COLORS[1], linestyle="--",
            label=f"q(z) = N({q_mean:.2f}, {q_std:.2f}²)")
    ax.set_xlim(*z_range)
    ax.set_ylim(0.0, 1.6)
    ax.set_xlabel("latent z, and the mean m of q (same axis)")
    ax.set_ylabel("density over z")

    bound_axis = ax.twinx()
    top = summary["log_evidence"]
    bound_axis.plot(z, curve, color=COLORS[2], linestyle="-", label=f"ELBO of N(m, {q_std:.2f}²) (right axis)")
    bound_axis.axhline(top, color="black", linestyle="-.", linewidth=1.2, label=f"log p(x) = {top:.3f} (right axis)")
    bound_axis.plot([q_mean], [summary["elbo"]], marker="o", color=COLORS[2], linestyle="none", markersize=7)
    bound_axis.plot([q_mean, q_mean], [summary["elbo"], top], color=COLORS[3], linestyle="-", linewidth=3,
                    label="gap = KL(q ‖ p(z | x))")
    bound_axis.set_ylim(top - 6.0, top + 0.5)
    bound_axis.set_ylabel("nats (ELBO and log p(x))")
    bound_axis.grid(False)
    bound_axis.spines["right"].set_visible(True)
    if legend:
        handles = ax.get_legend_handles_labels()[0] + bound_axis.get_legend_handles_labels()[0]
        ax.legend(handles, [h.get_label() for h in handles], loc="upper center", bbox_to_anchor=(0.5, -0.16),
                  ncol=3, fontsize=7)
    ax.set_title(f"log p(x) = {top:.4f} = ELBO {summary['elbo']:.4f} + KL(q ‖ p(z | x)) "
                 f"{summary['kl_to_posterior']:.4f}", fontsize=10)
    ax.bound_axis = bound_axis
    ax.summary = summary
    return ax


def elbo_gap_explorer(q_mean: float = 0.0, q_std: float = 1.0) -> SliderFigure:
    """Sliders for the mean and the standard deviation of q over :func:`draw_elbo_gap`: the ELBO reaches log p(x)
    at the posterior N(0.8, 0.5²) of :data:`LAB_MODEL` and falls below it by KL(q ‖ p(z | x)) everywhere else.
    Introduced in Lab 8."""
    sliders = {
        "q_mean": control(widgets.FloatSlider, "mean m of q", value=q_mean, min=-1.5, max=2.5, step=0.05),
        "q_std": control(widgets.FloatSlider, "std. dev. s of q", value=q_std, min=0.1, max=1.5, step=0.05),
    }
    return SliderFigure(draw_elbo_gap, sliders, width=8.5, height=4.4)


def one_latent_bernoulli_model(x, w, c, *, n_points: int = 4001, limit: float = 10.0) -> dict:
    """A Bernoulli decoder with one latent dimension: z ~ N(0, 1), pixel j of x is Bernoulli(σ(w_j z + c_j)).
    Its evidence p(x) = ∫ p(x | z) p(z) dz is done on a grid of ``n_points`` values of z in [−limit, limit]
    (the trapezoid rule, in log space), as is possible for one latent dimension. Introduced in Lab 8.

    Returns the grid ``z``, ``log_evidence``, the normalised ``posterior`` density on the grid, and the
    posterior's ``mean`` and ``std`` (the moments that a Gaussian q matching it would take).
    """
    x, w, c = (np.asarray(v, dtype=float) for v in (x, w, c))
    if x.ndim != 1 or w.shape != x.shape or c.shape != x.shape:
        raise ValueError(f"x, w and c must be 1-D of one shape, got {x.shape}, {w.shape}, {c.shape}")
    z = np.linspace(-limit, limit, n_points)
    logits = z[:, None] * w + c
    # log sigmoid(t) = -log(1 + e^(-t)) = -logaddexp(0, -t), stable at any t
    log_likelihood = -np.sum(x * np.logaddexp(0.0, -logits) + (1 - x) * np.logaddexp(0.0, logits), axis=-1)
    log_joint = log_likelihood + _gaussian_log_density(z, 0.0, 1.0)
    step = z[1] - z[0]
    weights = np.full(n_points, step)
    weights[[0, -1]] = step / 2
    peak = log_joint.max()  # log of the trapezoid sum, shifted so that nothing underflows
    log_evidence = float(peak + np.log(np.sum(weights * np.exp(log_joint - peak))))
    posterior = np.exp(log_joint - log_evidence)
    mean = float(np.sum(weights * z * posterior))
    std = float(np.sqrt(np.sum(weights * (z - mean) ** 2 * posterior)))
    return {"z": z, "log_evidence": log_evidence, "posterior": posterior, "mean": mean, "std": std}
