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
    raise NotImplementedError("cosine_similarity is not implemented yet: divide the dot product by both norms")


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
    raise NotImplementedError("cosine_similarity_matrix is not implemented yet: normalise rows, then A @ B.T")
