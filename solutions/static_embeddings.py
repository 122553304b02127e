"""Static embeddings: cosine similarity, word analogies and skip-gram from scratch.

A ladder, in this order: cosine between two vectors, then between all rows of two matrices;
word analogies (3CosAdd and 3CosMul, the same answers as gensim's ``most_similar`` and
``most_similar_cosmul``) and their accuracy on the questions-words set (counted as gensim's
``evaluate_word_analogies`` counts it); then skip-gram with negative sampling in numpy:
number the words, make (centre, context) pairs, the unigram^0.75 noise distribution, one
SGD step, a training loop. Left out on purpose: word2vec's sub-sampling of frequent words,
its random window shrinking and hierarchical softmax.

Word vectors (``vectors``) are a gensim ``KeyedVectors`` or a plain ``dict`` {word: vector}.

Grade this chapter with:  pytest autograder/test_static_embeddings.py
"""
from __future__ import annotations

from collections import Counter  # EXERCISE: from collections import Counter  # noqa: F401  (for build_vocabulary)
from collections.abc import Mapping  # SOLUTION
from pathlib import Path  # EXERCISE: from pathlib import Path  # noqa: F401  (a questions file's path)

import numpy as np


def cosine_similarity(a, b) -> float:
    """Cosine of the angle between two vectors: a·b / (‖a‖ ‖b‖), a float in [-1, 1].

    It ignores length and compares direction only, so scaling a vector changes nothing.
    Rounding can push the cosine of two parallel vectors a hair past 1 (a·b / (‖a‖ ‖b‖) is
    1.0000000000000002 for [1, 1, 1] with itself), and ``np.arccos`` of that is nan: clip
    the result to [-1, 1].

    Example:
        >>> cosine_similarity([1.0, 0.0], [1.0, 1.0])   # 45 degrees apart
        0.7071067811865475
        >>> cosine_similarity([1, 2, 3], [2, 4, 6])     # same direction, twice as long
        1.0
        >>> cosine_similarity([1, 1, 1], [1, 1, 1])     # clipped: never past 1
        1.0

    Raises:
        ValueError: if the vectors differ in shape, are not 1-D, or either has zero length
            (a zero vector has no direction, so its cosine is undefined).
    """
    # BEGIN SOLUTION
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"cosine_similarity needs two 1-D vectors of equal length, got shapes {a.shape} and {b.shape}")
    norm_a, norm_b = np.linalg.norm(a), np.linalg.norm(b)
    if norm_a == 0 or norm_b == 0:
        raise ValueError("cosine_similarity is undefined for a zero vector (it has no direction)")
    return float(np.clip(a @ b / (norm_a * norm_b), -1.0, 1.0))
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("cosine_similarity is not implemented yet: divide the dot product by both "
    # EXERCISE:                           "norms")


def cosine_similarity_matrix(A, B) -> np.ndarray:
    """All pairwise cosines between the rows of ``A`` (n, d) and the rows of ``B`` (m, d).

    Returns an (n, m) float array whose entry [i, j] is cosine_similarity(A[i], B[j]).
    Normalise each row to unit length once, then one matrix product gives every cosine;
    clip it to [-1, 1], as :func:`cosine_similarity` does (rounding can pass 1).

    Example:
        >>> cosine_similarity_matrix([[1, 0], [0, 2]], [[3, 0], [1, 1], [0, -1]]).round(3)
        array([[ 1.   ,  0.707,  0.   ],
               [ 0.   ,  0.707, -1.   ]])

    Raises:
        ValueError: if A or B is not 2-D, their widths differ, or any row is all zeros.
    """
    # BEGIN SOLUTION
    A, norms_a = _rows_and_norms(A, "A")
    B, norms_b = _rows_and_norms(B, "B")
    if A.shape[1] != B.shape[1]:
        raise ValueError(f"A has {A.shape[1]} columns but B has {B.shape[1]}: vectors must have the same dimension")
    # Dividing the (n, m) product by the outer product of the norms gives the same numbers as
    # normalising every row first, without writing a normalised copy of a large corpus per query.
    return np.clip((A @ B.T) / np.outer(norms_a, norms_b), -1.0, 1.0)
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("cosine_similarity_matrix is not implemented yet: scale every row to length "
    # EXERCISE:                           "1 once; then one matrix product gives every cosine")


# BEGIN SOLUTION
def _rows_and_norms(M, name: str) -> tuple[np.ndarray, np.ndarray]:
    """M as a float 2-D array and its row lengths; a clear error for bad shapes and zero rows."""
    M = np.asarray(M, dtype=np.float64)
    if M.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (one vector per row), got shape {M.shape}")
    norms = np.sqrt(np.einsum("ij,ij->i", M, M))
    if np.any(norms == 0):
        raise ValueError(f"{name} has an all-zero row {int(np.flatnonzero(norms == 0)[0])}: "
                         "its cosine is undefined")
    return M, norms


# END SOLUTION
# --------------------------------------------------------------------------- word analogies
#
# ``vectors`` below is either a gensim ``KeyedVectors`` (anything with ``index_to_key`` and a
# ``vectors`` matrix, rows in the same order) or a plain ``dict`` {word: vector}, whose
# insertion order plays the part of the vocabulary order.

METHODS = ("3cosadd", "3cosmul")


def analogy(vectors, positive, negative, k=5, method="3cosadd", exclude_inputs=True) -> list:
    """Solve "a is to b as c is to ?" with word vectors: the k best words, best first.

    ``positive`` and ``negative`` are lists of words (a single word may be given as a str).
    For king − man + woman: ``positive=["king", "woman"], negative=["man"]``.
    Every vector is first scaled to unit length (only directions count), then:

    - ``"3cosadd"`` (Mikolov et al., 2013; gensim ``most_similar``): average the unit vectors,
      +1 for each positive word and −1 for each negative one, divide by the number of words,
      and rank every word by its cosine with that average.
    - ``"3cosmul"`` (Levy & Goldberg, 2014; gensim ``most_similar_cosmul``): shift each cosine
      to [0, 1] with (1 + cos) / 2, then score a word w by
      Π_{p in positive} s(w, p) / (Π_{n in negative} s(w, n) + 1e-6).

    Input words are left out of the answer unless ``exclude_inputs=False``; so are words
    whose vector is all zeros (they have no direction). Ties keep the vocabulary order.
    On the same vectors the result equals gensim's ``most_similar`` / ``most_similar_cosmul``
    (``topn=k``), up to float rounding (gensim computes in float32, this in float64).

    ``vectors``: a gensim ``KeyedVectors`` or a ``dict`` {word: 1-D vector}. To search only
    the most frequent words, pass vectors restricted to them.

    Example:
        >>> toy = {"king": [1.0, 1.0], "man": [1.0, 0.0], "woman": [0.0, 1.0],
        ...        "queen": [0.0, 2.0], "apple": [-1.0, 0.2]}
        >>> [(w, round(s, 3)) for w, s in analogy(toy, ["king", "woman"], ["man"], k=2)]
        [('queen', 0.986), ('apple', 0.359)]
        >>> [w for w, _ in analogy(toy, ["king", "woman"], ["man"], k=2, exclude_inputs=False)]
        ['woman', 'queen']

    Raises:
        KeyError: a word is not in the vocabulary (the message names it).
        ValueError: ``method`` is not "3cosadd" or "3cosmul"; no positive word; k < 1;
            an input word has an all-zero vector; with "3cosadd", the inputs cancel out
            (their signed sum is the zero vector, which has no direction to search).

        >>> analogy(toy, ["king"], ["king"])
        Traceback (most recent call last):
        ...
        ValueError: +king −king cancel out: their sum is the zero vector, with no direction for 3CosAdd to search
    """
    # BEGIN SOLUTION
    words, matrix, index = _table(vectors)
    positive, negative = _word_list(positive), _word_list(negative)
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: use one of {METHODS}")
    if not positive:
        raise ValueError("analogy needs at least one positive word")
    if int(k) < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    ids_pos = [_lookup(index, w) for w in positive]
    ids_neg = [_lookup(index, w) for w in negative]
    norms = np.linalg.norm(matrix, axis=1)
    for w, i in zip(positive + negative, ids_pos + ids_neg):
        if norms[i] == 0:
            raise ValueError(f"{w!r} has an all-zero vector: it has no direction, so no cosine")
    signed = " ".join([f"+{w}" for w in positive] + [f"−{w}" for w in negative])
    scores = _analogy_scores(matrix, norms, ids_pos, ids_neg, method, signed)
    banned = set(ids_pos + ids_neg) if exclude_inputs else set()
    return [(words[i], float(scores[i])) for i in _top(scores, int(k), banned)]
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("analogy is not implemented yet: scale every vector to unit length, combine "
    # EXERCISE:                           "the inputs (3CosAdd or 3CosMul), rank all words, drop the inputs")


# BEGIN SOLUTION
def _analogy_scores(matrix, norms, ids_pos, ids_neg, method, signed: str) -> np.ndarray:
    """One score per vocabulary word (−inf for all-zero rows); ``signed`` names the inputs
    (``+king +woman −man``) in the error when 3CosAdd's inputs cancel out."""
    safe = np.where(norms == 0, 1.0, norms)
    unit = lambda i: matrix[i] / norms[i]  # noqa: E731
    if method == "3cosadd":
        mean = (sum(unit(i) for i in ids_pos) - sum((unit(i) for i in ids_neg), np.zeros(matrix.shape[1])))
        mean = mean / (len(ids_pos) + len(ids_neg))
        if np.linalg.norm(mean) < 1e-12:  # e.g. the same word as positive and negative
            raise ValueError(f"{signed} cancel out: their sum is the zero vector, with no direction for 3CosAdd "
                             "to search")
        mean = mean / np.linalg.norm(mean)
        scores = matrix @ mean / safe
    else:
        shifted = lambda i: (1.0 + matrix @ unit(i) / safe) / 2.0  # noqa: E731
        numerator = np.prod([shifted(i) for i in ids_pos], axis=0)
        denominator = np.prod([shifted(i) for i in ids_neg], axis=0) if ids_neg else 1.0
        scores = numerator / (denominator + 1e-6)
    return np.where(norms == 0, -np.inf, scores)


def _top(scores: np.ndarray, k: int, banned: set) -> list[int]:
    """Indices of the k highest finite scores not in ``banned``, best first, ties by index."""
    take = min(len(scores), k + len(banned))
    if take < len(scores):
        cut = np.partition(scores, -take)[-take]
        candidates = np.flatnonzero(scores >= cut)
    else:
        candidates = np.arange(len(scores))
    candidates = candidates[np.lexsort((candidates, -scores[candidates]))]
    return [int(i) for i in candidates if int(i) not in banned and np.isfinite(scores[i])][:k]


def _table(vectors, limit=None):
    """(words, float64 matrix, {word: row}) from a KeyedVectors or a dict of vectors: only its
    first ``limit`` words, if given (the index of a KeyedVectors is then partial)."""
    if hasattr(vectors, "index_to_key") and hasattr(vectors, "vectors"):
        words = list(vectors.index_to_key[:limit])
        matrix = np.asarray(vectors.vectors[:limit], dtype=np.float64)
        index = dict(vectors.key_to_index) if hasattr(vectors, "key_to_index") else \
            {w: i for i, w in enumerate(words)}
    elif isinstance(vectors, Mapping):
        words = list(vectors)
        if not words:
            raise ValueError("the vocabulary is empty")
        shape = np.shape(vectors[words[0]])
        words = words[:limit]
        matrix = np.asarray([np.asarray(vectors[w], dtype=np.float64) for w in words]) if words else \
            np.zeros((0, *shape))
        index = {w: i for i, w in enumerate(words)}
    else:
        raise TypeError("vectors must be a gensim KeyedVectors or a dict {word: vector}, "
                        f"not {type(vectors).__name__}")
    if matrix.ndim != 2:
        raise ValueError(f"every word needs a 1-D vector of the same length (got shape {matrix.shape})")
    return words, matrix, index


def _word_list(words) -> list[str]:
    if words is None:
        return []
    if isinstance(words, str):
        return [words]
    return list(words)


def _lookup(index: dict, word: str) -> int:
    if word not in index:
        raise KeyError(f"{word!r} is not in the vocabulary")
    return index[word]


# END SOLUTION
# --------------------------------------------------------------------------- analogy evaluation

def read_analogy_questions(questions) -> list[tuple[str, str, str, str]]:
    """The (a, b, c, d) questions of a file in the questions-words format: "a is to b as c is to d".

    ``questions`` is a path to such a file, or an iterable of its lines. Lines starting with
    ": " name a section and are skipped, as are lines that are not exactly four words.

    Example:
        >>> read_analogy_questions([": capital-common-countries", "Athens Greece Baghdad Iraq", "bad line"])
        [('Athens', 'Greece', 'Baghdad', 'Iraq')]
    """
    # BEGIN SOLUTION
    if isinstance(questions, (str, Path)):
        lines = Path(questions).read_text(encoding="utf-8").splitlines()
    else:
        lines = list(questions)
    out = []
    for line in lines:
        if line.startswith(":"):
            continue
        parts = line.split()
        if len(parts) == 4:
            out.append(tuple(parts))
    return out
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("read_analogy_questions is not implemented yet: skip ': section' lines, "
    # EXERCISE:                           "keep the lines of exactly four words as tuples")


# BEGIN SOLUTION
#: gensim's ``evaluate_word_analogies`` looks at ``most_similar``'s first 5 answers only.
_GENSIM_TOPN = 5
#: Questions scored by one matrix product in ``evaluate_analogies``: a (256, vocabulary) block
#: of float32 scores, 31 MB against 30,000 words.
_QUESTIONS_PER_PRODUCT = 256


# END SOLUTION
def evaluate_analogies(vectors, questions, restrict_vocab=300_000) -> float:
    """Accuracy on analogy questions "a : b :: c : d", counted exactly as gensim 4.4's
    ``KeyedVectors.evaluate_word_analogies`` (with its defaults) counts it.

    ``questions``: a questions-words file (path) or its lines, or a list of (a, b, c, d)
    tuples. ``vectors``: a gensim ``KeyedVectors`` or a ``dict`` {word: vector}, ordered
    from the most frequent word.

    The rules (the same as gensim's, so the numbers agree):

    - Only the first ``restrict_vocab`` words of the vocabulary take part, as answers and as
      question words. Matching ignores case; where a word has several case variants, the
      first (most frequent) one is used.
    - A question with any of its four words outside that vocabulary is skipped: it counts
      neither as right nor as wrong (gensim's ``dummy4unknown=False``). Its share is the
      coverage, which you should report next to the accuracy.
    - The prediction is 3CosAdd's answer to b − a + c on the restricted vocabulary, scored as
      ``analogy`` scores it (in float32, as gensim computes): of the 5 best words other than a,
      b and c (gensim's ``topn=5``), the first that is not a, b or c in another case (if all 5
      are, the last of them, which is wrong). It is right if it equals d (ignoring case).

    ``restrict_vocab=None`` lets every word of the vocabulary take part.
    Returns correct / answered, or 0.0 if no question could be answered.

    Speed: the grader asks about 2,000 questions (every tenth line of gensim's
    questions-words.txt), against the 30,000 and then the 2,000 most frequent GloVe words,
    and allows 120 s for the whole test, gensim's own count included. Calling ``analogy``
    once per question rebuilds the table of vectors every time and can run past that: scale
    the vectors to unit length once, then score many questions with one matrix product.

    Example:
        >>> toy = {"man": [1.0, 0.0], "woman": [0.0, 1.0], "king": [1.0, 1.0],
        ...        "queen": [0.0, 2.0], "apple": [-1.0, 0.2]}
        >>> evaluate_analogies(toy, ["man woman king queen", "man king woman queen", "man woman king pear"])
        1.0
    """
    # BEGIN SOLUTION
    words, matrix, _ = _table(vectors, limit=None if restrict_vocab is None else int(restrict_vocab))
    n = len(words)
    if not isinstance(questions, (str, Path)):
        questions = list(questions)
    if not isinstance(questions, (str, Path)) and questions and isinstance(questions[0], (tuple, list)):
        quads = [tuple(q) for q in questions]
    else:
        quads = read_analogy_questions(questions)
    ok = {}
    for i in reversed(range(n)):       # the first (most frequent) case variant wins
        ok[words[i].upper()] = i
    norms = np.linalg.norm(matrix, axis=1)
    # float32, as gensim: half the work of float64 for the big matrix product below
    unit = (matrix / np.where(norms == 0, 1.0, norms)[:, None]).astype(np.float32)  # zero rows stay zero
    answerable = []
    for quad in quads:
        a, b, c, d = (w.upper() for w in quad)
        if all(w in ok for w in (a, b, c, d)):
            answerable.append((a, b, c, d))
        # else: out of vocabulary, skipped and not counted
    correct = 0
    for start in range(0, len(answerable), _QUESTIONS_PER_PRODUCT):
        chunk = answerable[start:start + _QUESTIONS_PER_PRODUCT]
        ids = np.array([[ok[b], ok[c], ok[a]] for a, b, c, _ in chunk])
        means = (unit[ids[:, 0]] + unit[ids[:, 1]] - unit[ids[:, 2]]) / 3.0
        length = np.linalg.norm(means, axis=1, keepdims=True)
        scores = (means / np.where(length == 0, 1.0, length)) @ unit.T   # (chunk, n)
        scores[:, norms == 0] = -np.inf
        scores[np.arange(len(chunk))[:, None], ids] = -np.inf            # inputs are never answers
        take = min(_GENSIM_TOPN, n)
        best = np.argpartition(-scores, take - 1, axis=1)[:, :take] if take < n else \
            np.tile(np.arange(n), (len(chunk), 1))
        for j, (a, b, c, expected) in enumerate(chunk):
            if any(norms[i] == 0 for i in ids[j]):
                continue               # an input without direction: counted as wrong
            row = scores[j, best[j]]
            predicted = None
            for i in best[j][np.lexsort((best[j], -row))]:
                if not np.isfinite(scores[j, i]):
                    break
                predicted = words[i].upper()
                if predicted not in (a, b, c):
                    break
            correct += predicted == expected
    return correct / len(answerable) if answerable else 0.0
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("evaluate_analogies is not implemented yet: restrict the vocabulary, skip "
    # EXERCISE:                           "questions with unknown words, predict b - a + c by 3CosAdd, count the hits")


# --------------------------------------------------------------------------- skip-gram from scratch

def build_vocabulary(tokens, min_count=1) -> tuple[np.ndarray, list[str]]:
    """Number the words of a token list: the most frequent word gets id 0.

    Words seen fewer than ``min_count`` times are dropped from the sequence (as word2vec does).
    Ties in frequency keep the order of first appearance.
    Returns (ids, words): an int64 array of ids, and the words in id order.

    Example:
        >>> ids, words = build_vocabulary(["the", "cat", "sat", "on", "the", "mat"])
        >>> ids.tolist(), words
        ([0, 1, 2, 3, 0, 4], ['the', 'cat', 'sat', 'on', 'mat'])
        >>> build_vocabulary(["a", "b", "a"], min_count=2)[0].tolist()
        [0, 0]
    """
    # BEGIN SOLUTION
    counts = Counter(tokens)  # Counter keeps first-appearance order among equal counts
    words = [w for w, c in sorted(counts.items(), key=lambda wc: -wc[1]) if c >= min_count]
    index = {w: i for i, w in enumerate(words)}
    return np.array([index[t] for t in tokens if t in index], dtype=np.int64), words
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("build_vocabulary is not implemented yet: count the tokens, sort by count "
    # EXERCISE:                           "(ties: first appearance), drop rare words, map tokens to ids")


def skipgram_pairs(token_ids, window) -> np.ndarray:
    """Every (centre, context) pair of a token sequence: the context words are those at most
    ``window`` positions away on either side; a word is never its own context position.

    Returns an (n_pairs, 2) int64 array, in order of centre position, then of context
    position. (word2vec also shrinks the window at random; this version keeps it fixed.)

    Example:
        >>> skipgram_pairs([10, 11, 12], window=1).tolist()
        [[10, 11], [11, 10], [11, 12], [12, 11]]
        >>> len(skipgram_pairs([1, 2, 3, 4, 5], window=2))   # 2 + 3 + 4 + 3 + 2
        14

    Raises:
        ValueError: if ``window`` < 1.
    """
    # BEGIN SOLUTION
    if int(window) < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    ids = np.asarray(token_ids, dtype=np.int64).ravel()
    pairs = []
    for offset in range(-int(window), int(window) + 1):
        if offset == 0:
            continue
        centre_pos = np.arange(max(0, -offset), min(len(ids), len(ids) - offset))
        pairs.append(np.stack([centre_pos, centre_pos + offset], axis=1))
    if not pairs or len(ids) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    positions = np.concatenate(pairs)
    positions = positions[np.lexsort((positions[:, 1], positions[:, 0]))]
    return ids[positions]
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("skipgram_pairs is not implemented yet: for each position, pair the centre "
    # EXERCISE:                           "id with every id at most `window` positions away (not itself)")


def negative_sampling_distribution(counts, power=0.75) -> np.ndarray:
    """The noise distribution that negatives are drawn from: P(w) ∝ count(w) ** power.

    With power 0.75 (Mikolov et al., 2013) rare words are drawn more often than their raw
    frequency, frequent ones less often; power 1 is the raw unigram distribution.

    Example:
        >>> negative_sampling_distribution([1, 16]).round(4)    # 1 : 16**0.75 = 1 : 8
        array([0.1111, 0.8889])
        >>> negative_sampling_distribution([1, 16], power=1.0).round(4)
        array([0.0588, 0.9412])

    Raises:
        ValueError: a negative count, or all counts zero.
    """
    # BEGIN SOLUTION
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 1 or np.any(counts < 0) or counts.sum() == 0:
        raise ValueError("counts must be a 1-D array of non-negative numbers, not all zero")
    weights = counts ** power
    weights[counts == 0] = 0.0
    return weights / weights.sum()
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("negative_sampling_distribution is not implemented yet: raise the counts to "
    # EXERCISE:                           "`power` and divide by their sum")


# BEGIN SOLUTION
def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # = 1 / (1 + exp(-x)), without overflow


# END SOLUTION
def sgns_step(W_in, W_out, centres, contexts, negatives, lr) -> float:
    """One SGD step of skip-gram with negative sampling; updates ``W_in`` and ``W_out`` in place.

    For a centre word c with input vector v = W_in[c], its true context o and negatives
    n_1..n_K (rows of W_out: u_o, u_k), the loss of one pair is

        L = −log σ(u_o · v) − Σ_k log σ(−u_k · v)

    The gradients: ∂L/∂u_o = (σ(u_o·v) − 1) v, ∂L/∂u_k = σ(u_k·v) v,
    ∂L/∂v = (σ(u_o·v) − 1) u_o + Σ_k σ(u_k·v) u_k.
    ``centres`` and ``contexts`` are (B,) id arrays, ``negatives`` is (B, K). The step
    subtracts ``lr`` times the gradient of the SUM of the B pair losses (as if the B pairs
    were taken one after the other, all from the same starting point); repeated ids add up.

    Returns the MEAN pair loss, computed before the update.

    Example:
        >>> W_in, W_out = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.zeros((3, 2))
        >>> round(sgns_step(W_in, W_out, [0], [1], [[2]], lr=0.5), 4)   # all dots are 0: 2 log 2
        1.3863
        >>> W_out.tolist()   # u_1 pulled towards v = [1, 0], the negative u_2 pushed away
        [[0.0, 0.0], [0.25, 0.0], [-0.25, 0.0]]
    """
    # BEGIN SOLUTION
    centres = np.asarray(centres, dtype=np.int64).ravel()
    contexts = np.asarray(contexts, dtype=np.int64).ravel()
    negatives = np.asarray(negatives, dtype=np.int64).reshape(len(centres), -1)
    v = W_in[centres]                                   # (B, d)
    u_pos = W_out[contexts]                             # (B, d)
    u_neg = W_out[negatives]                            # (B, K, d)
    s_pos = _sigmoid(np.einsum("bd,bd->b", u_pos, v))   # σ(u_o·v)
    s_neg = _sigmoid(np.einsum("bkd,bd->bk", u_neg, v))  # σ(u_k·v)
    tiny = 1e-12
    loss = -np.log(s_pos + tiny) - np.log(1.0 - s_neg + tiny).sum(axis=1)
    g_pos = s_pos - 1.0                                 # (B,)
    g_neg = s_neg                                       # (B, K)
    grad_v = g_pos[:, None] * u_pos + np.einsum("bk,bkd->bd", g_neg, u_neg)
    grad_u_pos = g_pos[:, None] * v
    grad_u_neg = g_neg[:, :, None] * v[:, None, :]
    np.add.at(W_in, centres, -lr * grad_v)
    np.add.at(W_out, contexts, -lr * grad_u_pos)
    np.add.at(W_out, negatives.ravel(), -lr * grad_u_neg.reshape(-1, W_out.shape[1]))
    return float(loss.mean())
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("sgns_step is not implemented yet: compute the loss and the three gradients "
    # EXERCISE:                           "of the docstring, then move every row against its gradient (repeated ids "
    # EXERCISE:                           "add up)")


def train_skipgram(sentences, vocab_size, dim=50, window=2, negatives=5, epochs=5,
                   lr=0.025, batch_size=64, seed=0) -> tuple[np.ndarray, list[float]]:
    """Train skip-gram with negative sampling; return (word vectors W_in, mean loss per epoch).

    ``sentences``: a list of id sequences (pairs never cross from one to the next).
    Steps: build the pairs of every sentence (``skipgram_pairs``); count each word and make
    the noise distribution (``negative_sampling_distribution``, power 0.75); then each epoch
    shuffle the pairs, and for each batch draw ``negatives`` noise words per pair and call
    ``sgns_step``. W_in starts uniform in ±0.5/dim, W_out at zero (as in word2vec); the
    learning rate falls linearly from ``lr`` towards 0 over training, step by step, but never
    below ``lr * 1e-4``. An epoch's loss is the mean over its pairs of ``sgns_step``'s loss
    (each batch's mean weighted by its number of pairs). Deterministic for a given ``seed``.

    Example:
        >>> W, losses = train_skipgram([[0, 1, 2, 0, 1, 2]] * 20, vocab_size=3, dim=4, epochs=3)
        >>> W.shape, losses[-1] < losses[0]
        ((3, 4), True)
    """
    # BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    pairs = np.concatenate([skipgram_pairs(s, window) for s in sentences] or [np.zeros((0, 2), np.int64)])
    if len(pairs) == 0:
        raise ValueError("no (centre, context) pairs: the sentences are too short")
    counts = np.bincount(np.concatenate([np.asarray(s, dtype=np.int64).ravel() for s in sentences]),
                         minlength=vocab_size)
    if len(counts) > vocab_size:
        raise ValueError(f"a token id is >= vocab_size ({vocab_size})")
    noise = negative_sampling_distribution(counts, power=0.75)
    W_in = (rng.random((vocab_size, dim)) - 0.5) / dim
    W_out = np.zeros((vocab_size, dim))
    n_batches = -(-len(pairs) // batch_size)
    total_steps, step = epochs * n_batches, 0
    losses = []
    for _ in range(epochs):
        order = rng.permutation(len(pairs))
        epoch_loss = 0.0
        for start in range(0, len(pairs), batch_size):
            batch = pairs[order[start:start + batch_size]]
            noise_ids = rng.choice(vocab_size, size=(len(batch), negatives), p=noise)
            rate = lr * max(1e-4, 1.0 - step / total_steps)
            epoch_loss += sgns_step(W_in, W_out, batch[:, 0], batch[:, 1], noise_ids, rate) * len(batch)
            step += 1
        losses.append(epoch_loss / len(pairs))
    return W_in, losses
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("train_skipgram is not implemented yet: pairs, counts, noise distribution; "
    # EXERCISE:                           "each epoch shuffle, draw negatives, call sgns_step per batch")
