"""Small, seeded data generators for the labs' demos.

Every generator takes a ``seed`` and draws from ``np.random.default_rng(seed)``, so that a figure or a
printed number is the same on every run.
"""

from __future__ import annotations

import numpy as np

#: Class names for the categorical examples (Labs 1 and 4).
ANIMALS = ("cat", "dog", "bird", "fish", "horse")


def coin_flips(n: int, p: float, seed: int = 0) -> np.ndarray:
    """``n`` Bernoulli(p) draws as an int array of 0s and 1s (``rng.random(n) < p``). Introduced in Lab 1."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must lie in [0, 1], got {p}")
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    return (np.random.default_rng(seed).random(n) < p).astype(int)
