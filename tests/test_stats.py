"""tokemb.stats against SciPy's own exact permutation test and t interval, on varied small samples."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as scipy_stats

from tokemb import stats


@pytest.mark.parametrize("seed", range(6))
def test_sign_flip_p_and_t_interval_agree_with_scipy(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 12))
    d = np.round(rng.normal(0.1 * seed, 0.3, size=n), 1)  # rounded: ties and zeros, as P@5 differences have
    exact = scipy_stats.permutation_test((d,), np.mean, permutation_type="samples", n_resamples=np.inf,
                                         alternative="two-sided").pvalue
    assert stats.sign_flip_p(d) == pytest.approx(exact, abs=1e-12), d
    ci = scipy_stats.ttest_1samp(d, 0).confidence_interval(0.95)
    assert stats.t_interval(d) == pytest.approx((ci.low, ci.high), abs=1e-12)


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="non-empty"):
        stats.sign_flip_p([])
    with pytest.raises(ValueError, match="at most n = 20"):
        stats.sign_flip_p(np.ones(21))
    with pytest.raises(ValueError, match="at least two"):
        stats.t_interval([0.5])
