"""Retrieval without a neural encoder: the baselines the book measures MiniLM and e5 against.

- :func:`tfidf_vectors`: TF-IDF rows (scikit-learn), compared by cosine like embeddings.
- :func:`bm25_scores`: BM25 scores (``bm25s``), the usual lexical baseline of search engines.
- :func:`glove_bag`: each text as the sum or mean of its words' GloVe vectors (a static
  embedding without any training on sentences).

A text none of whose words is known gets a zero row; :func:`with_empty_rows` makes such rows
safe to compare. The evaluation that ranks with them is ``_evaluate_retriever`` in
``solutions/semantic_geometry.py`` (it uses the exercise's own metrics).
"""
from __future__ import annotations

import re

import numpy as np

from tokemb import assets

#: The baselines' names, as the pages and ``_evaluate_retriever`` spell them.
BASELINES = ("tfidf", "bm25", "glove")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def with_empty_rows(C: np.ndarray, Q: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """A text with no known word has a zero vector and no direction. Give such rows a private
    extra dimension, so their cosine with every other text is exactly 0 (ties then go to the
    lower index), instead of an error.

    ``C``: (corpus texts, d); ``Q``: (queries, d) or None. Returns both with d + 2 columns.

    >>> C, Q = with_empty_rows(np.array([[1.0, 0.0], [0.0, 0.0]]), np.array([[0.0, 0.0]]))
    >>> C.tolist(), Q.tolist()
    ([[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]], [[0.0, 0.0, 0.0, 1.0]])
    """
    C = np.hstack([C, (np.linalg.norm(C, axis=1) == 0)[:, None], np.zeros((len(C), 1))])
    if Q is not None:
        Q = np.hstack([Q, np.zeros((len(Q), 1)), (np.linalg.norm(Q, axis=1) == 0)[:, None]])
    return C, Q


def glove_bag(texts: list[str], average: bool = True) -> np.ndarray:
    """Sum (or average) the GloVe 6B 50d vectors of each text's lowercase in-vocabulary words:
    float64 (len(texts), 50); a text with no known word is a zero row.

    >>> glove_bag(["Insomnia", "zzqx"]).shape, bool(glove_bag(["zzqx"]).any())
    ((2, 50), False)
    """
    kv = assets.glove()
    out = np.zeros((len(texts), kv.vector_size))
    for i, text in enumerate(texts):
        ids = [kv.key_to_index[w] for w in _WORD.findall(text.lower()) if w in kv.key_to_index]
        if ids:
            out[i] = kv.vectors[ids].mean(0) if average else kv.vectors[ids].sum(0)
    return out


def tfidf_vectors(corpus_texts: list[str], query_texts: list[str] | None = None
                  ) -> tuple[np.ndarray, np.ndarray | None]:
    """TF-IDF rows (scikit-learn, fitted on the corpus: sublinear tf, words in at least 2 texts,
    English stop words removed) for the corpus and the queries, zero rows made safe
    (:func:`with_empty_rows`)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english").fit(corpus_texts)
    Q = vec.transform(query_texts).toarray() if query_texts else None
    return with_empty_rows(vec.transform(corpus_texts).toarray(), Q)


def bm25_scores(corpus_texts: list[str], query_texts: list[str]):
    """BM25 score of every query against every corpus text (``bm25s`` with its defaults, English
    stop words removed): float (queries, corpus), and the index (its k1, b and method).

    >>> scores, index = bm25_scores(["the cat sat", "a dog barked", "cats and dogs"], ["dog", "zebra"])
    >>> scores.shape, float(scores[0, 0]), bool(scores[0, 1] > 0)   # "dog" is only in text 1
    ((2, 3), 0.0, True)
    >>> bool(scores[1].any())                                         # no text has "zebra"
    False
    """
    import bm25s

    index = bm25s.BM25()
    index.index(bm25s.tokenize(list(corpus_texts), stopwords="en", show_progress=False), show_progress=False)
    rows = []
    for tokens in bm25s.tokenize(list(query_texts), stopwords="en", show_progress=False, return_ids=False):
        ids = index.get_tokens_ids(tokens)  # words the corpus never uses cannot score
        rows.append(index.get_scores(ids) if ids else np.zeros(len(corpus_texts)))
    return np.array(rows).reshape(len(rows), len(corpus_texts)), index
