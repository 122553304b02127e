"""Hybrid retrieval: one ranking from several retrievers' scores, by reciprocal rank fusion.

A lexical retriever (BM25) and a dense one (an embedding model) score documents on scales
that cannot be added: BM25's scores are unbounded sums, cosines lie in [-1, 1]. Reciprocal
rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009) uses only each retriever's *ranks*:
a document's fused score is the sum, over retrievers, of 1 / (k + its rank there), rank 1
the best. A document near the top of either list rises; one near the top of both rises
most. k = 60 is the paper's value: it keeps one retriever's first place from outweighing
everything else.

>>> lexical = [[9.0, 5.0, 1.0, 0.0]]   # one query, four documents: BM25's order is 0, 1, 2, 3
>>> dense = [[0.1, 0.8, 0.5, 0.9]]     # the embedding model's order is 3, 1, 2, 0
>>> fused = reciprocal_rank_fusion(lexical, dense)
>>> np.argsort(-fused[0], kind="stable").tolist()   # second in both lists beats first in one, last in the other
[1, 0, 3, 2]
"""
from __future__ import annotations

import numpy as np

K = 60  # Cormack et al.'s constant


def ranks(scores) -> np.ndarray:
    """Rank of every document in every row of ``scores`` (queries, documents): 1 = the highest
    score; equal scores rank by the lower index first, as the book's searches break ties.

    >>> ranks([[0.1, 0.7, 0.7]]).tolist()
    [[3, 1, 2]]
    """
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim != 2:
        raise ValueError(f"scores must be a (queries, documents) matrix, got shape {s.shape}")
    order = np.argsort(-s, axis=1, kind="stable")
    out = np.empty_like(order)
    np.put_along_axis(out, order, np.arange(1, s.shape[1] + 1)[None, :].repeat(s.shape[0], axis=0), axis=1)
    return out


def reciprocal_rank_fusion(*score_matrices, k: int = K) -> np.ndarray:
    """The fused score of every document for every query: sum of 1 / (k + rank) over the
    retrievers' ``score_matrices`` (each (queries, documents), higher is better).

    A document a retriever must never return (the query itself, when every text is a query
    against the others) should carry ``-inf`` there: it then ranks last in that list. Raises
    ValueError for no matrix, matrices of different shapes, or k < 1.
    """
    if not score_matrices:
        raise ValueError("give at least one score matrix")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    shapes = {np.shape(s) for s in score_matrices}
    if len(shapes) != 1:
        raise ValueError(f"every score matrix must have the same (queries, documents) shape, got {sorted(shapes)}")
    return sum(1.0 / (k + ranks(s)) for s in score_matrices)
