"""The chapters of the stage and its MVU items, defined once.

Read by the seam (which modules may be graded), the score report (titles and order), the
project's tests, the benchmarks and the book (the ladder on the home page, the MVU checklist).

A chapter ``name`` is four files: ``book/<name>.md`` (when it has an article),
``exercises/<name>.py``, ``solutions/<name>.py`` and ``autograder/test_<name>.py``.

>>> CHAPTERS[0], TITLES["concepts"]
('tokenization', 'Concept questions')
>>> ARTICLES == CHAPTERS[:4]
True
>>> list(MVU_ITEMS)
['tokenize', 'static-vs-contextual', 'cosine', 'model-choice']
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chapter:
    name: str  # the module name in exercises/, solutions/ and autograder/test_<name>.py
    title: str  # as the score report shows it
    article: bool  # has a page book/<name>.md on the learning ladder


LADDER = (  # in the order of the book: each chapter builds on the ones before it
    Chapter("tokenization", "Tokenization", article=True),
    Chapter("static_embeddings", "Static embeddings", article=True),
    Chapter("contextual_embeddings", "Contextual embeddings", article=True),
    Chapter("semantic_geometry", "Semantic geometry", article=True),
    Chapter("concepts", "Concept questions", article=False),  # reasoning on real outputs, across all four
)
CHAPTERS = tuple(c.name for c in LADDER)
TITLES = {c.name: c.title for c in LADDER}
ARTICLES = tuple(c.name for c in LADDER if c.article)

# What each graded function or class can build on: the graded functions the reference solution
# calls, and those its stub's docstring points to (a learner's BPETokenizer.encode may well use
# merge_pair). When one of these fails its own test, a later failure through it is most likely
# that failure again: the score report says so (autograder/causes.py). tests/test_causes.py
# checks that this covers every call the reference makes.
BUILDS_ON = {
    "train_bpe": ("pretokenize", "count_pairs", "best_pair", "merge_pair"),
    "explain_split": ("pretokenize", "merge_pair"),
    "BPETokenizer": ("pretokenize", "merge_pair"),
    "cosine_similarity_matrix": ("cosine_similarity",),
    "evaluate_analogies": ("read_analogy_questions", "analogy"),
    "train_skipgram": ("skipgram_pairs", "negative_sampling_distribution", "sgns_step"),
    "word_pieces": ("token_vectors",),
    "word_vector": ("token_vectors", "word_pieces"),
    "sense_cosines": ("cosine_similarity_matrix",),
    "sense_separation": ("word_vector", "sense_cosines"),
    "fine_tuning_split": ("evaluation_set",),
    "nearest_neighbors": ("cosine_similarity_matrix",),
    "evaluate_retrieval": ("nearest_neighbors", "precision_at_k", "recall_at_k", "mean_reciprocal_rank"),
    "compare_models": ("load_queries", "evaluation_set", "embed", "evaluate_retrieval"),
}

# The minimum viable understanding: what a learner can do at the end of the stage. Every graded
# test names one of these keys (``@pytest.mark.graded(mvu=...)``); the score report and the MVU
# checklist page list them in this order.
MVU_ITEMS = {
    "tokenize": "Tokenize a sentence with BPE and explain how a word splits into tokens",
    "static-vs-contextual": "Distinguish static from contextual embeddings",
    "cosine": "Use cosine similarity, and explain why not Euclidean distance",
    "model-choice": "Pick an embedding model for a task",
}
