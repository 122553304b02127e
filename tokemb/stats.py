"""Small-sample statistics for paired comparisons on the pages.

Two retrievers scored on the same few queries give one difference per query. With eight
queries a percentile bootstrap gives intervals that are too narrow; these two tests fit the
design and the size:

- :func:`sign_flip_p`: the exact paired permutation test. If the two retrievers were
  interchangeable, each difference would be as likely positive as negative; the p-value is the
  share of all 2**n ways of flipping the signs whose mean is at least as far from 0 as the
  one observed.
- :func:`t_interval`: the t interval of the mean difference (Student, n - 1 degrees of freedom).

With many queries (the 150 review queries of the exercise), :func:`bootstrap_interval` gives
a percentile bootstrap interval of a mean, or of a mean paired difference.

>>> d = [0.2, -0.2, -0.2, 0.0, -0.4, -0.6, 0.0, -0.2]
>>> round(sign_flip_p(d), 3)
0.156
>>> low, high = t_interval(d)
>>> round(low, 2), round(high, 2)
(-0.38, 0.03)
"""
from __future__ import annotations

import itertools

import numpy as np

MAX_EXACT = 20  # 2**20 sign patterns: exact enumeration stays well under a second


def sign_flip_p(differences) -> float:
    """Two-sided p-value of the exact sign-flip test that the mean paired difference is 0.

    ``differences``: one number per item (query), at most :data:`MAX_EXACT` of them. Zeros count
    as items but cannot change sign. Raises ValueError for an empty list or more than
    :data:`MAX_EXACT` items (use a t interval or a bootstrap there).

    >>> sign_flip_p([1, 1, 1, 1, 1])   # 2 of the 32 patterns (all +, all -) are as extreme
    0.0625
    """
    d = np.asarray(differences, dtype=np.float64)
    if d.ndim != 1 or len(d) == 0:
        raise ValueError(f"need a non-empty list of differences, got shape {d.shape}")
    if len(d) > MAX_EXACT:
        raise ValueError(f"{len(d)} differences: the exact test enumerates 2**n patterns, at most n = {MAX_EXACT}")
    signs = np.array(list(itertools.product((1.0, -1.0), repeat=len(d))))
    means = np.abs(signs @ d) / len(d)
    observed = abs(d.mean())
    return float(np.mean(means >= observed - 1e-12))  # ties count as extreme (1e-12: float sums)


def t_interval(differences, confidence: float = 0.95) -> tuple[float, float]:
    """The t interval (``confidence``, n - 1 degrees of freedom) of the mean of ``differences``.

    >>> t_interval([1.0, 1.0, 1.0])   # no spread: the interval is the mean itself
    (1.0, 1.0)
    """
    from scipy import stats

    d = np.asarray(differences, dtype=np.float64)
    if len(d) < 2:
        raise ValueError("a t interval needs at least two differences")
    half = stats.t.ppf(0.5 + confidence / 2, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    return float(d.mean() - half), float(d.mean() + half)


def bootstrap_interval(values, confidence: float = 0.95, n_resamples: int = 10_000,
                       seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval for the mean of ``values`` (one number per query): draw the
    queries with replacement ``n_resamples`` times, take each draw's mean, and keep the middle
    ``confidence`` of those means. For a paired comparison, pass the per-query differences.
    The same ``seed`` gives the same interval.

    >>> bootstrap_interval([0.0, 1.0] * 50)      # a mean of 0.5 from 100 coin flips
    (0.4, 0.6)
    """
    values = np.asarray(values, dtype=np.float64)
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), size=(n_resamples, len(values)))].mean(axis=1)
    low, high = np.quantile(means, [(1 - confidence) / 2, (1 + confidence) / 2])
    return float(low), float(high)
