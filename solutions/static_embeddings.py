"""Static embeddings: cosine similarity, word analogies and skip-gram from scratch.

Grade this chapter with:  pytest autograder/test_static_embeddings.py
"""
from __future__ import annotations

import numpy as np


def cosine_similarity(a, b) -> float:
    """Cosine of the angle between two vectors: a·b / (‖a‖ ‖b‖), a float in [-1, 1].

    It ignores length and compares direction only, so scaling a vector changes nothing.

    Example:
        >>> cosine_similarity([1.0, 0.0], [1.0, 1.0])   # 45 degrees apart
        0.7071067811865475
        >>> cosine_similarity([1, 2, 3], [2, 4, 6])     # same direction, twice as long
        1.0

    Raises:
        ValueError: if the vectors differ in shape, are not 1-D, or either has zero length
            (a zero vector has no direction, so its cosine is undefined).
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"cosine_similarity needs two 1-D vectors of equal length, got shapes {a.shape} and {b.shape}")
    norm_a, norm_b = np.linalg.norm(a), np.linalg.norm(b)
    if norm_a == 0 or norm_b == 0:
        raise ValueError("cosine_similarity is undefined for a zero vector (it has no direction)")
    return float(a @ b / (norm_a * norm_b))


def cosine_similarity_matrix(A, B) -> np.ndarray:
    """All pairwise cosines between the rows of ``A`` (n, d) and the rows of ``B`` (m, d).

    Returns an (n, m) float array whose entry [i, j] is cosine_similarity(A[i], B[j]).
    Normalise each row to unit length once, then one matrix product gives every cosine.

    Example:
        >>> cosine_similarity_matrix([[1, 0], [0, 2]], [[3, 0], [1, 1], [0, -1]]).round(3)
        array([[ 1.   ,  0.707,  0.   ],
               [ 0.   ,  0.707, -1.   ]])

    Raises:
        ValueError: if A or B is not 2-D, their widths differ, or any row is all zeros.
    """
    A, B = _unit_rows(A, "A"), _unit_rows(B, "B")
    if A.shape[1] != B.shape[1]:
        raise ValueError(f"A has {A.shape[1]} columns but B has {B.shape[1]}: vectors must have the same dimension")
    return A @ B.T


def _unit_rows(M, name: str) -> np.ndarray:
    """Rows of M scaled to unit length; a clear error for bad shapes and zero rows."""
    M = np.asarray(M, dtype=np.float64)
    if M.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (one vector per row), got shape {M.shape}")
    norms = np.linalg.norm(M, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise ValueError(f"{name} has an all-zero row {int(np.flatnonzero(norms[:, 0] == 0)[0])}: "
                         "its cosine is undefined")
    return M / norms
