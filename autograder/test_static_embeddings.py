"""Grading: static embeddings (cosine, word analogies, analogy accuracy, skip-gram from scratch).

    pytest autograder/test_static_embeddings.py

Every test reaches your code through ``chapter("static_embeddings")`` (exercises/ by default).
The reference for analogies is gensim 4.4 itself (``most_similar``, ``most_similar_cosmul``,
``evaluate_word_analogies``), run on exactly the vectors your code gets: GloVe 6B 50d cut to
its most frequent words (loaded once per run by the cached helpers below). The whole file
runs in about 20 s.
"""
from __future__ import annotations

import functools
import inspect
import math
import sys
import warnings

import numpy as np
import pytest

from autograder.feedback import array_result, describe, fail, numbers, raises, tolerance_for
from autograder.seam import chapter
from tokemb import assets


def _se():
    return chapter("static_embeddings")


# --------------------------------------------------------------------------- shared data

@functools.cache
def _glove_top(n: int):
    """GloVe 6B 50d restricted to its ``n`` most frequent words, as a gensim KeyedVectors."""
    from gensim.models import KeyedVectors

    full = assets.glove()
    kv = KeyedVectors(vector_size=full.vector_size)
    kv.add_vectors(full.index_to_key[:n], full.vectors[:n])
    return kv


def _gensim(kv, positive, negative, k, method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # most_similar_cosmul calls init_sims
        if method == "3cosadd":
            return kv.most_similar(positive=positive, negative=negative, topn=k)
        return kv.most_similar_cosmul(positive=positive, negative=negative, topn=k)


def _first_difference(got, expected, tol=1e-5) -> str | None:
    """The first place two ranked (word, score) lists differ; None if they agree.

    Scores are compared with a relative tolerance (3CosMul scores can be large); two words whose
    reference scores are within 1e-6 may come in either order (float32 vs float64 rounding
    can swap a near-tie)."""
    got = [(str(w), float(s)) for w, s in got]
    if len(got) != len(expected):
        return f"{len(got)} answers instead of {len(expected)}: got {[w for w, _ in got]}"
    for rank, ((w, s), (ew, es)) in enumerate(zip(got, expected), start=1):
        if w != ew:
            tied = [x for x, xs in expected if abs(xs - es) < 1e-6 * max(1.0, abs(es))]
            if w not in tied:
                return f"answer #{rank} is {w!r} ({s:.4f}), expected {ew!r} ({es:.4f})"
        elif abs(s - es) > tol * max(1.0, abs(es)):
            return f"answer #{rank} {w!r}: score {s:.6f}, expected {es:.6f}"
    return None


# A vocabulary small enough to work by hand (3-D, see each test for the arithmetic).
TOY = {
    "a": [1.0, 0.0, 0.0],
    "b": [0.0, 5.0, 0.0],     # long: its length must not matter
    "c": [0.0, 0.0, 1.0],
    "x": [0.0, 3.0, 3.0],     # direction (0, 1, 1)/√2, far away in Euclidean terms
    "y": [-1.0, 0.2, 0.2],
    "v": [0.0, 1.0, 0.1],
    "z": [0.0, 1.0, -1.0],
}


# --------------------------------------------------------------------------- cosine

COSINE_CASES = [
    ([1, 0], [0, 1], 0.0),
    ([1, 0], [1, 1], 1 / math.sqrt(2)),
    ([3, 4], [4, 3], 24 / 25),
    ([1, 0, 0], [-2, 0, 0], -1.0),
    ([1, 1, 0], [1, 0, 1], 0.5),
    ([1, 2, 2], [2, 1, -2], 0.0),
    ([2, 0, 0], [5, 5, 0], 1 / math.sqrt(2)),
    ([1, 1, 1], [1, 1, 1], 1.0),  # a·b / (‖a‖ ‖b‖) rounds to 1.0000000000000002: clipped or not, both pass
]


@pytest.mark.graded(points=2, mvu="cosine", concept="cosine similarity of hand-worked vectors",
                    hint="a·b / (‖a‖ ‖b‖); not the Euclidean distance, not the bare dot product")
def test_cosine_hand_worked():
    for a, b, expected in COSINE_CASES:
        got = _se().cosine_similarity(a, b)
        if not isinstance(got, (float, int, np.floating)) or isinstance(got, bool):
            fail(f"cosine_similarity({a}, {b}) returned {describe(got)}; the docstring asks for a float", hint="")
        tol = tolerance_for(got, 1e-9)
        assert abs(float(got) - expected) <= tol, f"cosine_similarity({a}, {b}): {numbers(got, expected, tol)}"


@pytest.mark.graded(points=1, mvu="cosine", concept="cosine is symmetric and ignores length",
                    hint="scaling a vector by a positive number must not change its cosine")
def test_cosine_symmetric_and_scale_invariant():
    rng = np.random.default_rng(0)
    for _ in range(20):
        a, b = rng.normal(size=7), rng.normal(size=7)
        ab = _se().cosine_similarity(a, b)
        tol = tolerance_for(ab, 1e-9)
        ba = _se().cosine_similarity(b, a)
        assert abs(ba - ab) <= tol, f"cos(a, b) != cos(b, a): {numbers(ba, ab, tol)}"
        scaled = _se().cosine_similarity(3.5 * a, 0.01 * b)
        assert abs(scaled - ab) <= tol, f"cos(3.5a, 0.01b) differs from cos(a, b): {numbers(scaled, ab, tol)}"
        minus = _se().cosine_similarity(-a, b)
        assert abs(minus + ab) <= tol, f"cos(-a, b) should be -cos(a, b): {numbers(minus, -ab, tol)}"
        assert -1 - tol <= ab <= 1 + tol, f"cosine {float(ab)!r} is outside [-1, 1]"


@pytest.mark.graded(points=1, mvu="cosine", concept="cosine of a zero vector or mismatched shapes",
                    hint="raise ValueError: a zero vector has no direction; shapes must match")
def test_cosine_errors():
    for a, b, what in (([0, 0], [1, 2], "a zero vector"), ([1, 2], [0.0, 0.0], "a zero vector"),
                       ([1, 2], [1, 2, 3], "vectors of lengths 2 and 3"),
                       ([[1, 2]], [[1, 2]], "2-D arrays")):
        raises(ValueError, lambda: _se().cosine_similarity(a, b), f"cosine_similarity with {what} ({a}, {b})")


@pytest.mark.graded(points=2, mvu="cosine", concept="all pairwise cosines in one matrix",
                    hint="entry [i, j] is the cosine of row i of A and row j of B; rows scaled to length 1 make it a "
                         "dot product")
def test_cosine_matrix():
    got = array_result(_se().cosine_similarity_matrix([[1, 0], [0, 2]], [[3, 0], [1, 1], [0, -1]]),
                       "cosine_similarity_matrix of 2 rows and 3 rows", (2, 3),
                       why="one row per row of A, one column per row of B")
    expected = np.array([[1.0, 1 / math.sqrt(2), 0.0], [0.0, 1 / math.sqrt(2), -1.0]])
    tol = tolerance_for(got, 1e-9)  # float32 is a fine answer too, within float32's precision
    if not np.allclose(got, expected, rtol=0, atol=tol):
        fail(f"hand-worked matrix: got {got.round(4).tolist()}, expected {expected.round(4).tolist()}")
    rng = np.random.default_rng(1)
    A, B = rng.normal(size=(5, 4)) * rng.uniform(0.1, 9, size=(5, 1)), rng.normal(size=(3, 4))
    M = np.asarray(_se().cosine_similarity_matrix(A, B))
    tol = tolerance_for(M, 1e-9)
    for i in range(5):
        for j in range(3):
            one = A[i] @ B[j] / np.linalg.norm(A[i]) / np.linalg.norm(B[j])
            assert abs(float(M[i, j]) - one) <= tol, \
                f"random 5 x 4 and 3 x 4 matrices, entry [{i}, {j}]: {numbers(M[i, j], one, tol)}"


@pytest.mark.graded(points=1, mvu="cosine", concept="cosine matrix with a zero row or mismatched widths",
                    hint="raise ValueError for a zero row, for widths that differ, and for 1-D input")
def test_cosine_matrix_errors():
    for A, B, what in (([[1, 0], [0, 0]], [[1, 1]], "an all-zero row in A"),
                       ([[1, 0]], [[1, 1], [0, 0]], "an all-zero row in B"),
                       ([[1, 0]], [[1, 1, 1]], "widths 2 and 3"),
                       ([1, 0], [[1, 1]], "a 1-D A")):
        raises(ValueError, lambda: _se().cosine_similarity_matrix(A, B), f"cosine_similarity_matrix with {what}")


# --------------------------------------------------------------------------- analogies

@pytest.mark.graded(points=2, mvu="static-vs-contextual", concept="3CosAdd analogy on hand-worked vectors",
                    hint="unit vectors first; average +b +c -a; rank by cosine (not distance); drop a, b, c")
def test_analogy_3cosadd_hand_worked():
    # b − a + c: unit vectors (0,1,0) − (1,0,0) + (0,0,1), averaged → direction (−1, 1, 1)/√3.
    # x = (0,3,3): 2/√6 = 0.8165;  y = (−1,.2,.2): 1.4/(√3·√1.08) = 0.7778;  v = (0,1,.1): 1.1/(√3·√1.01) = 0.6319
    # (without normalising b first, v would come first; by Euclidean distance, y would).
    got = _se().analogy(TOY, ["b", "c"], ["a"], k=3)
    expected = [("x", 2 / math.sqrt(6)), ("y", 1.4 / math.sqrt(3 * 1.08)), ("v", 1.1 / math.sqrt(3 * 1.01))]
    diff = _first_difference(got, expected, tol=1e-6)
    if diff is not None and [str(w) for w, _ in got] == ["z", "v", "y"][:len(got)]:
        diff += " — that is the worst match first (an ascending sort)"  # cosines: z 0.00 < v 0.63 < y 0.78 < x 0.82
    assert diff is None, f"b − a + c: {diff}"


@pytest.mark.graded(points=1, mvu="static-vs-contextual", concept="analogy leaves out the input words",
                    hint="after ranking, skip every word that was given as positive or negative")
def test_analogy_excludes_inputs():
    for method in ("3cosadd", "3cosmul"):
        got = [w for w, _ in _se().analogy(TOY, ["b", "c"], ["a"], k=4, method=method)]
        inputs = [w for w in got if w in ("a", "b", "c")]
        assert not inputs, f"{method}: input word {inputs[0]!r} is among the answers {got}"
        assert len(got) == 4, f"{method}: asked for k=4 answers, got {len(got)}: {got}"
    kv = _glove_top(50_000)
    got = [w for w, _ in _se().analogy(kv, ["king", "woman"], ["man"], k=5)]
    assert "king" not in got and "woman" not in got, f"king − man + woman returned an input word: {got}"


@pytest.mark.graded(points=1, mvu="static-vs-contextual", concept="analogy accepts a dict and a KeyedVectors alike",
                    hint="a KeyedVectors and a dict {word: vector} hold the same words and vectors: both must give the "
                         "same answers")
def test_analogy_dict_and_keyedvectors_agree():
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=3)
    kv.add_vectors(list(TOY), np.array(list(TOY.values()), dtype=np.float32))
    for method in ("3cosadd", "3cosmul"):
        from_dict = _se().analogy(TOY, ["b", "c"], ["a"], k=4, method=method)
        from_kv = _se().analogy(kv, ["b", "c"], ["a"], k=4, method=method)
        diff = _first_difference(from_kv, [(w, s) for w, s in from_dict])
        assert diff is None, f"{method}: KeyedVectors and dict give different answers: {diff}"
        # (whether those answers are right is what the other analogy tests check)


@pytest.mark.graded(points=1, mvu="static-vs-contextual", concept="analogy errors: unknown word, unknown method",
                    hint="KeyError whose message names the missing word; ValueError for a method name you do not know")
def test_analogy_errors():
    raises(KeyError, lambda: _se().analogy(TOY, ["b", "zebra"], ["a"]),
           "a word that is not in the vocabulary ('zebra')", names="zebra")
    raises(KeyError, lambda: _se().analogy(TOY, ["b"], ["quokka"]),
           "a negative word that is not in the vocabulary ('quokka')", names="quokka")
    raises(ValueError, lambda: _se().analogy(TOY, ["b", "c"], ["a"], method="3cosmax"), "method='3cosmax' (unknown)")


ANALOGIES = [  # (positive, negative): a few that work and a few that do not, on GloVe
    (["king", "woman"], ["man"]),
    (["paris", "germany"], ["france"]),
    (["walking", "swam"], ["walked"]),
    (["good", "worse"], ["bad"]),
    (["japan", "rupee"], ["yen"]),
    (["brother", "daughter"], ["son"]),
    (["doctor", "woman"], ["man"]),
    (["big", "smallest"], ["small"]),
    (["tokyo", "italy"], ["japan"]),
    (["cat", "puppy"], ["dog"]),
    (["london"], []),
    (["apple", "banana", "cherry"], ["computer"]),
]


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
@pytest.mark.graded(points=3, mvu="static-vs-contextual", concept="analogies on GloVe agree with gensim",
                    hint="gensim's formulas: unit vectors; 3CosAdd ranks by cos(w, mean); "
                         "3CosMul uses (1+cos)/2 and divides by (product + 1e-6)")
def test_analogy_matches_gensim_on_glove(method):
    kv = _glove_top(50_000)
    for positive, negative in ANALOGIES:
        got = _se().analogy(kv, positive, negative, k=5, method=method)
        expected = _gensim(kv, positive, negative, 5, method)
        diff = _first_difference(got, expected)
        name = " ".join(positive) + "".join(f" −{w}" for w in negative)
        assert diff is None, f"{method} {name}: {diff} (gensim: {[w for w, _ in expected]})"


# --------------------------------------------------------------------------- analogy accuracy

@pytest.mark.graded(points=1, mvu="static-vs-contextual", concept="reading the questions-words format",
                    hint="skip ': section' lines; keep lines of exactly four words as 4-tuples")
def test_read_analogy_questions(tmp_path):
    lines = [": capital-common-countries", "Athens Greece Baghdad Iraq", "", "only three words",
             ": family", "boy girl brother sister"]
    got = _se().read_analogy_questions(lines)
    expected = [("Athens", "Greece", "Baghdad", "Iraq"), ("boy", "girl", "brother", "sister")]
    assert [tuple(q) for q in got] == expected, f"from lines: got {got}, expected {expected}"
    path = tmp_path / "q.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = _se().read_analogy_questions(str(path))
    assert [tuple(q) for q in got] == expected, f"from a file path: got {got}, expected {expected}"


@pytest.mark.graded(points=1, mvu="static-vs-contextual", concept="analogy accuracy skips out-of-vocabulary questions",
                    hint="a question with an unknown word counts neither as right nor as wrong; case is ignored")
def test_evaluate_analogies_hand_worked():
    toy = {"man": [1.0, 0.0], "woman": [0.0, 1.0], "king": [1.0, 1.0], "queen": [0.0, 2.0],
           "apple": [-1.0, 0.2]}
    questions = ["Man Woman King Queen",    # right (answer queen), case ignored
                 "man woman king apple",    # wrong (answer queen)
                 "man woman king pear"]     # pear unknown: skipped
    got = _se().evaluate_analogies(toy, questions)
    assert got == pytest.approx(0.5), f"accuracy {got}, expected 0.5 (1 right, 1 wrong, 1 skipped for 'pear')"


@functools.cache
def _question_sample() -> tuple[str, ...]:
    """Every 10th question of gensim's questions-words.txt, with its section headers."""
    lines = assets.gensim_data("questions-words.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line for i, line in enumerate(lines) if line.startswith(":") or i % 10 == 0)


@pytest.mark.graded(points=3, mvu="static-vs-contextual",
                    concept="analogy accuracy equals gensim's evaluate_word_analogies",
                    hint="restrict to the first restrict_vocab words, upper-case everything, "
                         "skip questions with unknown words, predict with 3CosAdd", timeout=120)
def test_evaluate_analogies_matches_gensim(tmp_path):
    path = tmp_path / "questions-sample.txt"
    path.write_text("\n".join(_question_sample()) + "\n", encoding="utf-8")
    kv = _glove_top(50_000)
    for restrict in (30_000, 2_000):
        got = _se().evaluate_analogies(kv, str(path), restrict_vocab=restrict)
        expected, sections = kv.evaluate_word_analogies(str(path), restrict_vocab=restrict)
        total = sections[-1]
        answered = len(total["correct"]) + len(total["incorrect"])
        tol = tolerance_for(got, 1e-12)
        assert abs(got - expected) <= tol, \
            (f"restrict_vocab={restrict}: accuracy {got:.4f}, gensim {expected:.4f} "
             f"({len(total['correct'])}/{answered} answered questions right)")


# --------------------------------------------------------------------------- skip-gram pieces

@pytest.mark.graded(points=1, mvu="static-vs-contextual", concept="numbering the vocabulary by frequency",
                    hint="most frequent word = id 0; ties keep first appearance; drop words under min_count")
def test_build_vocabulary():
    ids, words = _se().build_vocabulary("b a c a b a d".split())
    assert list(words) == ["a", "b", "c", "d"], \
        f"words {list(words)}, expected ['a', 'b', 'c', 'd'] (by count, ties by first appearance)"
    assert np.asarray(ids).tolist() == [1, 0, 2, 0, 1, 0, 3], \
        f"ids {np.asarray(ids).tolist()}, expected [1, 0, 2, 0, 1, 0, 3]"
    ids, words = _se().build_vocabulary("b a c a b a d".split(), min_count=2)
    assert list(words) == ["a", "b"] and np.asarray(ids).tolist() == [1, 0, 0, 1, 0], \
        f"min_count=2: got words {list(words)} ids {np.asarray(ids).tolist()}, expected ['a', 'b'] and [1, 0, 0, 1, 0]"


@pytest.mark.graded(points=2, mvu="static-vs-contextual", concept="skip-gram (centre, context) pairs",
                    hint="every position within `window` on each side, never the centre position itself")
def test_skipgram_pairs():
    got = np.asarray(_se().skipgram_pairs([10, 11, 12], window=1)).tolist()
    assert got == [[10, 11], [11, 10], [11, 12], [12, 11]], f"[10, 11, 12] window 1: got {got}"
    got = np.asarray(_se().skipgram_pairs([5, 6, 7, 8], window=2))
    expected = [[5, 6], [5, 7], [6, 5], [6, 7], [6, 8], [7, 5], [7, 6], [7, 8], [8, 6], [8, 7]]
    assert got.shape == (10, 2), f"[5, 6, 7, 8] window 2: {len(got)} pairs, expected 10: {got.tolist()}"
    assert got.tolist() == expected, f"[5, 6, 7, 8] window 2: got {got.tolist()}, expected {expected}"
    # a repeated word is a real context of itself; the centre position is not
    got = np.asarray(_se().skipgram_pairs([3, 3], window=2)).tolist()
    assert got == [[3, 3], [3, 3]], \
        f"[3, 3] window 2: got {got}, expected [[3, 3], [3, 3]] (each 3 sees the other once)"
    n = len(np.asarray(_se().skipgram_pairs(list(range(100)), window=5)))
    assert n == 2 * (5 * 100 - 15), f"100 tokens, window 5: {n} pairs, expected {2 * (500 - 15)}"
    raises(ValueError, lambda: _se().skipgram_pairs([1, 2, 3], window=0), "skipgram_pairs([1, 2, 3], window=0)")


@pytest.mark.graded(points=2, mvu="static-vs-contextual", concept="negative-sampling distribution unigram^0.75",
                    hint="P(w) ∝ count(w) ** 0.75 by default, normalised to sum to 1")
def test_negative_sampling_distribution():
    result = _se().negative_sampling_distribution([1, 16])
    tol = tolerance_for(result, 1e-9)  # float32 probabilities are fine, within float32's precision
    got = np.asarray(result, dtype=float)
    assert got == pytest.approx([1 / 9, 8 / 9], abs=tol), \
        f"counts [1, 16]: got {got.round(4).tolist()}, expected [0.1111, 0.8889] (16**0.75 = 8); " \
        "[0.0588, 0.9412] would be the raw unigram distribution"
    counts = np.array([50, 0, 3, 7, 1000])
    result = _se().negative_sampling_distribution(counts)
    got = np.asarray(result, dtype=float)
    expected = counts ** 0.75 / (counts ** 0.75).sum()
    assert got.sum() == pytest.approx(1.0), f"probabilities sum to {got.sum()}, not 1"
    tol = tolerance_for(result, 1e-12)
    worst = int(np.argmax(np.abs(got - expected)))
    assert np.abs(got - expected).max() <= tol, \
        f"counts {counts.tolist()}: entry {worst}: {numbers(got[worst], expected[worst], tol)}"
    raw = np.asarray(_se().negative_sampling_distribution(counts, power=1.0), dtype=float)
    assert raw == pytest.approx(counts / counts.sum(), abs=tol), "power=1.0 should give the raw unigram distribution"


def _pair_loss(v, u_pos, u_negs):
    sig = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    return -np.log(sig(u_pos @ v)) - sum(np.log(sig(-u @ v)) for u in u_negs)


@pytest.mark.graded(points=3, mvu="static-vs-contextual", concept="one SGD step of skip-gram with negative sampling",
                    hint="loss −log σ(u_o·v) − Σ log σ(−u_k·v); subtract lr × its gradient (summed over the batch)")
def test_sgns_step():
    W_in = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    W_out = np.zeros((3, 2))
    loss = _se().sgns_step(W_in, W_out, [0], [1], [[2]], 0.5)
    assert loss == pytest.approx(2 * math.log(2)), f"loss with all dot products 0 is 2 log 2 = 1.3863, got {loss}"
    assert np.allclose(W_out, [[0, 0], [0.25, 0], [-0.25, 0]]), (
        f"W_out after the step: {W_out.tolist()}, expected [[0, 0], [0.25, 0], [-0.25, 0]] "
        "(context pulled, negative pushed)")
    # a random batch: the update must be −lr × the gradient of the summed loss (checked numerically)
    rng = np.random.default_rng(3)
    W_in, W_out = rng.normal(size=(6, 4)) * 0.5, rng.normal(size=(6, 4)) * 0.5
    centres, contexts, negs = np.array([0, 2, 0]), np.array([1, 3, 4]), np.array([[5, 2], [1, 0], [3, 5]])

    def total(wi, wo):
        return sum(_pair_loss(wi[c], wo[o], [wo[k] for k in ks]) for c, o, ks in zip(centres, contexts, negs))

    mean_loss = total(W_in, W_out) / 3
    grads = []
    for W in (W_in, W_out):
        g = np.zeros_like(W)
        for idx in np.ndindex(W.shape):
            old = W[idx]
            W[idx] = old + 1e-6
            up = total(W_in, W_out)
            W[idx] = old - 1e-6
            down = total(W_in, W_out)
            W[idx] = old
            g[idx] = (up - down) / 2e-6
        grads.append(g)
    before_in, before_out, lr = W_in.copy(), W_out.copy(), 0.01
    got = _se().sgns_step(W_in, W_out, centres, contexts, negs, lr)
    assert got == pytest.approx(mean_loss, rel=1e-6), \
        f"returned loss {got:.6f}, expected the mean pair loss {mean_loss:.6f}"
    uses = {"W_in": centres.tolist(), "W_out": contexts.tolist() + negs.ravel().tolist()}
    repeated = {name: {r for r in rows if rows.count(r) > 1} for name, rows in uses.items()}  # rows 0; 1, 3, 5
    for name, after, before, g in (("W_in", W_in, before_in, grads[0]), ("W_out", W_out, before_out, grads[1])):
        step = after - before
        bad = np.argwhere(~np.isclose(step, -lr * g, atol=1e-7))
        if len(bad):
            row, col = (int(i) for i in bad[0])
            why = (f"; row {row} occurs more than once in this batch: do the updates of repeated ids add up?"
                   if row in repeated[name] else "")
            fail(f"{name}[{row}, {col}] moved by {step[row, col]:.3e}, expected {-lr * g[row, col]:.3e} "
                 f"(−lr × gradient of the summed loss){why}")


@functools.cache
def _planted_corpus():
    """Two groups of nouns, each seen only with its own group of verbs, between filler words."""
    rng = np.random.default_rng(7)
    animals, animal_verbs = ["cat", "dog", "cow", "pig"], ["eats", "sleeps", "barks", "runs"]
    vehicles, vehicle_verbs = ["car", "bus", "van", "truck"], ["drives", "parks", "honks", "stops"]
    filler = ["the", "a", "then", "now"]
    sentences = []
    for _ in range(400):
        nouns, verbs = (animals, animal_verbs) if rng.random() < 0.5 else (vehicles, vehicle_verbs)
        sentences.append([filler[rng.integers(4)], nouns[rng.integers(4)], verbs[rng.integers(4)],
                          filler[rng.integers(4)]])
    words = sorted({w for s in sentences for w in s})
    index = {w: i for i, w in enumerate(words)}
    return tuple(tuple(index[w] for w in s) for s in sentences), words, index, animals, vehicles


@functools.cache
def _trained():
    ids, words, index, animals, vehicles = _planted_corpus()
    W, losses = _se().train_skipgram([list(s) for s in ids], len(words), dim=16, window=2,
                                     negatives=5, epochs=8, lr=0.05, batch_size=64, seed=0)
    return np.asarray(W, dtype=float), [float(x) for x in losses]


@pytest.mark.graded(points=3, mvu="static-vs-contextual", concept="skip-gram learns shared contexts",
                    hint="words seen with the same neighbours should end with similar vectors; check sgns_step's signs")
def test_train_skipgram_planted_structure():
    _, words, index, animals, vehicles = _planted_corpus()
    W, _ = _trained()
    array_result(W, "train_skipgram's W", (len(words), 16), why="one row per word")
    U = W / np.linalg.norm(W, axis=1, keepdims=True)
    cos = lambda a, b: float(U[index[a]] @ U[index[b]])  # noqa: E731
    within = min((cos(a, b), a, b) for g in (animals, vehicles) for a in g for b in g if a < b)
    across = max((cos(a, b), a, b) for a in animals for b in vehicles)
    assert within[0] > across[0], (f"cos({within[1]}, {within[2]}) = {within[0]:.3f} (same contexts) is not above "
                                    f"cos({across[1]}, {across[2]}) = {across[0]:.3f} (never the same contexts)")


@pytest.mark.graded(points=2, mvu="static-vs-contextual",
                    concept="skip-gram loss falls and training is reproducible",
                    hint="return the mean loss per epoch; every random draw comes from one generator seeded with "
                         "`seed`")
def test_train_skipgram_loss_falls_and_is_deterministic():
    ids, words, *_ = _planted_corpus()
    W, losses = _trained()
    assert len(losses) == 8, f"{len(losses)} losses for 8 epochs, expected one mean loss per epoch"
    assert losses[-1] < losses[0] - 0.3, f"loss went from {losses[0]:.3f} to {losses[-1]:.3f}: it should fall clearly"
    start = 6 * math.log(2)  # W_out starts at zero: every dot product is 0
    assert losses[0] < start + 0.05, f"first-epoch loss {losses[0]:.3f} is above (1 + 5) log 2 = {start:.3f}"
    again, _ = _se().train_skipgram([list(s) for s in ids], len(words), dim=16, window=2,
                                    negatives=5, epochs=8, lr=0.05, batch_size=64, seed=0)
    assert np.array_equal(np.asarray(again, dtype=float), W), "two runs with seed=0 gave different vectors"


@pytest.mark.graded(points=1, mvu="static-vs-contextual", concept="negatives drawn from the noise distribution",
                    hint="draw each batch's negatives with rng.choice(vocab_size, size=(batch, negatives), "
                         "p=negative_sampling_distribution(counts))")
def test_train_skipgram_draws_negatives_from_the_noise_distribution(monkeypatch):
    """Word 0 makes about 90% of a corpus of 10 words: counts ** 0.75 draws it as a negative about
    75% of the time, uniform draws 10%, the raw counts 90%. The negatives that train_skipgram hands
    to sgns_step (called once per batch, as its docstring says) tell which was used; with some
    18,000 draws the share is within a point of its expectation, so the band is wide and fixed."""
    real = inspect.unwrap(_se().sgns_step)
    drawn = []

    def recording_sgns_step(*args, **kwargs):  # the learner's own step, run as it is, its negatives noted
        drawn.append(np.asarray(inspect.signature(real).bind(*args, **kwargs).arguments["negatives"]).ravel())
        return real(*args, **kwargs)

    monkeypatch.setattr(sys.modules[real.__module__], "sgns_step", recording_sgns_step)
    rng = np.random.default_rng(11)
    sentences = [[0 if rng.random() < 0.9 else int(rng.integers(1, 10)) for _ in range(30)] for _ in range(30)]
    counts = np.bincount(np.concatenate(sentences), minlength=10)
    expected = float(counts[0] ** 0.75 / (counts ** 0.75).sum())
    _se().train_skipgram(sentences, 10, dim=4, window=2, negatives=5, epochs=1, seed=0)
    if not drawn:
        fail("train_skipgram never called sgns_step: its docstring asks for one call per batch", hint="")
    share, raw = float(np.mean(np.concatenate(drawn) == 0)), float(counts[0] / counts.sum())
    assert abs(share - expected) < 0.05, (
        f"word 0 makes {raw:.0%} of the corpus and was drawn as a negative {share:.1%} of the time, expected "
        f"{expected:.1%} (counts ** 0.75); uniform draws would give 10%, the raw counts {raw:.0%}")
