"""tokemb.fusion: reciprocal rank fusion, checked against its definition written out by hand."""
from __future__ import annotations

import numpy as np
import pytest

from tokemb.fusion import K, ranks, reciprocal_rank_fusion


def _rrf_by_hand(matrices, k):
    """The definition, one document at a time: sum of 1 / (k + rank), rank 1 = best, ties to the lower index."""
    n_queries, n_docs = np.shape(matrices[0])
    out = np.zeros((n_queries, n_docs))
    for scores in matrices:
        for q in range(n_queries):
            order = sorted(range(n_docs), key=lambda d: (-scores[q][d], d))
            for position, d in enumerate(order, start=1):
                out[q, d] += 1 / (k + position)
    return out


def test_matches_the_definition_on_random_scores_with_ties():
    rng = np.random.default_rng(0)
    matrices = [rng.integers(0, 5, size=(7, 30)).astype(float) for _ in range(3)]  # many ties
    for k in (1, K):
        np.testing.assert_allclose(reciprocal_rank_fusion(*matrices, k=k), _rrf_by_hand(matrices, k))


def test_minus_infinity_ranks_last_and_one_matrix_keeps_its_order():
    scores = np.array([[-np.inf, 0.3, 0.9, 0.1]])
    assert ranks(scores).tolist() == [[4, 2, 1, 3]]
    fused = reciprocal_rank_fusion(scores)
    assert np.argsort(-fused[0], kind="stable").tolist() == [2, 1, 3, 0]


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="at least one"):
        reciprocal_rank_fusion()
    with pytest.raises(ValueError, match="same"):
        reciprocal_rank_fusion(np.zeros((2, 3)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="k must be"):
        reciprocal_rank_fusion(np.zeros((1, 2)), k=0)
    with pytest.raises(ValueError, match="matrix"):
        ranks([0.1, 0.2])
