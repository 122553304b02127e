"""Grading: contextual embeddings (token vectors, word vectors, mean pooling, senses of a word).

    pytest autograder/test_contextual_embeddings.py

Every test reaches your code through ``chapter("contextual_embeddings")`` (exercises/ by
default). The references are computed here independently of your code: the tokenizer and
the transformer of all-MiniLM-L6-v2 called directly (with word ids, not character offsets,
to find a word's pieces), the model's own Pooling module, and ``SentenceTransformer.encode``.
The model is loaded once per run (``tokemb.assets.minilm`` is cached). About 15 s in all.
"""
from __future__ import annotations

import functools

import numpy as np
import pytest

from autograder.feedback import array_result, describe, fail, numbers, raises, tolerance_for
from autograder.seam import chapter
from tokemb import assets


def _ce():
    return chapter("contextual_embeddings")


# --------------------------------------------------------------------------- references

@functools.cache
def _reference(text: str):
    """Independent reference for one text: tokens, word ids, every layer's hidden states.

    Returns (tokens, word_ids, layers) where layers[0] is the embedding layer's output and
    layers[-1] the last layer's, each (n_tokens, 384) float32.
    """
    import torch

    model = assets.minilm()
    tok, bert = model[0].tokenizer, model[0].auto_model
    enc = tok(text, return_tensors="pt", truncation=True, max_length=model.get_max_seq_length())
    with torch.inference_mode():
        out = bert(**enc, output_hidden_states=True)
    tokens = tok.convert_ids_to_tokens(enc["input_ids"][0].tolist())
    layers = [h[0].numpy().astype(np.float32) for h in out.hidden_states]
    return tokens, enc.word_ids(0), layers


def _word_rows(text: str, nth_word: int) -> list[int]:
    """Rows of the pieces of the tokenizer's word number ``nth_word`` (by word ids)."""
    _, word_ids, _ = _reference(text)
    return [i for i, w in enumerate(word_ids) if w == nth_word]


def _batch(sentences):
    """A padded batch through the transformer: (token embeddings, attention mask) as torch tensors."""
    import torch

    model = assets.minilm()
    enc = model[0].tokenizer(sentences, return_tensors="pt", padding=True, truncation=True,
                             max_length=model.get_max_seq_length())
    with torch.inference_mode():
        hidden = model[0].auto_model(**enc).last_hidden_state
    return hidden, enc["attention_mask"]


def _pooling_layer(hidden, mask) -> np.ndarray:
    """The model's own Pooling module (module [1]) on a padded batch: encode before Normalize."""
    import torch

    model = assets.minilm()
    with torch.inference_mode():
        out = model[1]({"token_embeddings": hidden, "attention_mask": mask})
    return out["sentence_embedding"].numpy()


def _unit(M) -> np.ndarray:
    M = np.asarray(M, dtype=np.float64)
    return M / np.linalg.norm(M, axis=-1, keepdims=True)


BANK = {
    "river": ["We had a picnic on the grassy bank of the river.",
              "The fisherman sat on the bank and watched the water.",
              "After the storm the river burst its bank and flooded the fields.",
              "Ducks nested in the reeds along the muddy bank."],
    "finance": ["I deposited my paycheck at the bank this morning.",
                "The bank raised its interest rates on loans.",
                "She called the bank to report a stolen credit card.",
                "The central bank printed more money to fight the recession."],
}

# Sentences of very different lengths, so that a batch has lots of padding.
POOL_SENTENCES = [
    "Hi.",
    "Contextual embeddings give every token a vector that depends on the words around it.",
    "Banks.",
    "The quick brown fox jumps over the lazy dog while the farmer, who had been watching "
    "from the porch since early morning, finally decides it is time to fix the fence.",
    "Tokenization-aware models split rare words into pieces.",
]


# --------------------------------------------------------------------------- token vectors

@pytest.mark.graded(points=2, mvu="static-vs-contextual", concept="token vectors: tokens, shape and dtype",
                    hint="return (tokens, array of shape (len(tokens), 384), float32), [CLS] and [SEP] included")
def test_token_vectors_shape_and_tokens():
    for text in ["The river bank flooded.", "Tokenization splits words into pieces!", "a"]:
        tokens, X = _ce().token_vectors(text)
        expected, _, _ = _reference(text)
        assert isinstance(tokens, list) and all(isinstance(t, str) for t in tokens), \
            f"token_vectors({text!r}) must return the tokens as a list of str, got {type(tokens).__name__}"
        assert tokens == expected, f"token_vectors({text!r}) tokens differ: expected {expected}, got {tokens}"
        array_result(X, f"token_vectors({text!r})", (len(expected), 384), np.float32, why="one row per token")


@pytest.mark.graded(points=3, mvu="static-vs-contextual", concept="token vectors come from the last layer",
                    hint="token vectors are the transformer's last layer, not its input embedding layer")
def test_token_vectors_are_the_last_layer():
    for text in ["The river bank flooded.", "I paid the money into my bank account."]:
        _, X = _ce().token_vectors(text)
        _, _, layers = _reference(text)
        X = np.asarray(X, dtype=np.float32)
        if X.shape != layers[-1].shape:
            fail(f"token_vectors({text!r}) has shape {X.shape}, expected {layers[-1].shape}")
        diff = float(np.abs(X - layers[-1]).max())
        if diff > 1e-4:
            closest = int(np.argmin([np.abs(X - h).max() for h in layers]))
            where = ("the embedding layer (layer 0)" if closest == 0 else f"layer {closest}")
            fail(f"token_vectors({text!r}) differs from the last layer by up to {diff:.4f}; "
                 f"it is closest to {where} of {len(layers) - 1}")


# --------------------------------------------------------------------------- word vectors

@pytest.mark.graded(points=2, mvu="static-vs-contextual", concept="the pieces of a word",
                    hint="match the whole word case-insensitively, then keep every token whose offsets overlap it")
def test_word_pieces():
    cases = [
        # (text, word, index of the word among the tokenizer's words)
        ("Tokenization splits words.", "tokenization", 0),
        ("A token, then tokenization.", "tokenization", 4),   # not the lone "token"
        ("The BANK was closed; the bank opened later.", "bank", 1),  # case-insensitive, first one
        ("Embeddings (dense vectors) help.", "embeddings", 0),
        ("The embankment held, and so did the bank.", "bank", 8),  # not inside "embankment"
    ]
    for text, word, nth in cases:
        got = list(_ce().word_pieces(text, word))  # yours first: a stub fails before the model loads
        expected = _word_rows(text, nth)
        tokens, _, _ = _reference(text)
        assert got == expected, (f"word_pieces({text!r}, {word!r}) = {got} "
                                 f"({[tokens[i] for i in got if 0 <= i < len(tokens)]}), "
                                 f"expected {expected} ({[tokens[i] for i in expected]})")


@pytest.mark.graded(points=3, mvu="static-vs-contextual", concept="a word split into several pieces gets one vector",
                    hint="average the last-layer vectors of ALL the word's pieces (token + ##ization), not the first")
def test_word_vector_of_a_multi_piece_word():
    cases = [
        ("Tokenization splits words.", "tokenization", 0),
        ("We compared their embeddings carefully.", "embeddings", 3),
        ("A token, then tokenization.", "tokenization", 4),
    ]
    for text, word, nth in cases:
        got = array_result(_ce().word_vector(text, word), f"word_vector({text!r}, {word!r})", (384,), np.float32)
        tokens, _, layers = _reference(text)
        rows = _word_rows(text, nth)
        assert len(rows) >= 2, f"test set-up: {word!r} should be several pieces, got {[tokens[i] for i in rows]}"
        expected = layers[-1][rows].mean(axis=0)
        diff = float(np.abs(got - expected).max())
        if diff > 1e-5:
            first = float(np.abs(got - layers[-1][rows[0]]).max())
            pieces = [tokens[i] for i in rows]
            if first < 1e-5:
                fail(f"word_vector({text!r}, {word!r}) is the vector of its first piece only "
                     f"({pieces[0]!r}); expected the mean of all its pieces {pieces}")
            fail(f"word_vector({text!r}, {word!r}) differs from the mean of its pieces {pieces} by up to {diff:.5f}")


@pytest.mark.graded(points=1, mvu="static-vs-contextual", concept="the first occurrence of a word",
                    hint="use the first whole-word match in the text")
def test_word_vector_uses_the_first_occurrence():
    text = "The bank of the river was steep, so we walked to the bank in town."
    got = np.asarray(_ce().word_vector(text, "bank"), dtype=np.float32)
    tokens, _, layers = _reference(text)
    first, second = [i for i, t in enumerate(tokens) if t == "bank"]
    if np.abs(got - layers[-1][second]).max() < 1e-5:
        fail("word_vector(text, 'bank') is the second 'bank' of the text, expected the first")
    diff = float(np.abs(got - layers[-1][first]).max())
    assert diff < 1e-5, f"word_vector(text, 'bank') differs from the first 'bank' token's vector by up to {diff:.5f}"


@pytest.mark.graded(points=1, mvu="static-vs-contextual", concept="a missing word is an error that names it",
                    hint="raise ValueError mentioning the word when it is not in the text as a whole word")
def test_word_vector_absent_word():
    for text, word in [("The river flooded.", "bank"), ("The embankment held.", "bank"),
                       ("Tokenization splits words.", "zyzzyva")]:
        raises(ValueError, lambda: _ce().word_vector(text, word),
               f"word_vector({text!r}, {word!r}) ({word!r} is not a word of the text)", names=word)


# --------------------------------------------------------------------------- mean pooling

@pytest.mark.graded(points=1, mvu="static-vs-contextual", concept="mean pooling by hand",
                    hint="the mean over the real tokens only (mask 1), as a numpy float32 array")
def test_mean_pool_hand_worked():
    E = np.array([[[1.0, 2.0], [3.0, 4.0], [100.0, -100.0]],
                  [[2.0, 0.0], [0.0, 2.0], [4.0, 4.0]]])
    mask = np.array([[1, 1, 0], [1, 1, 1]])
    got = array_result(_ce().mean_pool(E, mask), "mean_pool of a (2, 3, 2) batch", (2, 2), np.float32)
    expected = np.array([[2.0, 3.0], [2.0, 2.0]])
    if np.allclose(got[0], [104 / 3, -94 / 3]):
        fail("mean_pool row 0 includes the padded position: the attention mask was ignored")
    assert np.allclose(got, expected, atol=1e-6), f"mean_pool = {got.tolist()}, expected {expected.tolist()}"
    single = _ce().mean_pool(E[0], mask[0])
    assert np.asarray(single).shape == (2,) and np.allclose(single, [2.0, 3.0], atol=1e-6), (
        f"mean_pool of one unbatched sentence (3, 2) with mask (3,) = {np.asarray(single).tolist()}, "
        "expected [2.0, 3.0]")
    raises(ValueError, lambda: _ce().mean_pool(E, np.array([[1, 1, 0], [0, 0, 0]])),
           "mean_pool with a mask row of only 0s (a sentence with no real token)")


@pytest.mark.graded(points=4, mvu="static-vs-contextual", concept="mean pooling reproduces SentenceTransformer.encode",
                    hint="weight by the attention mask so padding never counts; encode adds an L2 normalisation")
def test_mean_pool_matches_sentence_transformers():
    _ce().mean_pool(np.ones((1, 2, 3), dtype=np.float32), np.ones((1, 2)))  # a stub fails here, before MiniLM loads
    hidden, mask = _batch(POOL_SENTENCES)
    assert int((mask == 0).sum()) > 50, "test set-up: the batch should contain plenty of padding"
    pooled_ref = _pooling_layer(hidden, mask)            # the model's Pooling module
    model = assets.minilm()
    encoded = model.encode(POOL_SENTENCES, convert_to_numpy=True, show_progress_bar=False)
    assert any(type(m).__name__ == "Normalize" for m in model), "test set-up: expected a Normalize module"

    for kind, args in (("torch tensors", (hidden, mask)), ("numpy arrays", (hidden.numpy(), mask.numpy()))):
        got = array_result(_ce().mean_pool(*args), f"mean_pool of a batch of {len(POOL_SENTENCES)} as {kind}",
                           (len(POOL_SENTENCES), 384))
        diff = np.abs(got.astype(np.float64) - pooled_ref).max(axis=1)
        if diff.max() > 1e-5:
            b = int(np.argmax(diff))
            no_mask = hidden.numpy().mean(axis=1)
            cls = hidden.numpy()[:, 0]
            if np.abs(got - no_mask).max() < 1e-5:
                fail(f"mean_pool ({kind}) averages the padding too: sentence {b} differs by {diff[b]:.4f}; "
                     "weight the tokens by the attention mask")
            if np.abs(got - cls).max() < 1e-5:
                fail(f"mean_pool ({kind}) returns the [CLS] vector; this model's sentence vector is the mean of "
                     "all tokens")
            fail(f"mean_pool ({kind}) differs from the model's pooling layer by {diff[b]:.6f} "
                 f"at sentence {b} ({POOL_SENTENCES[b][:30]!r})")
        # encode() = Pooling + Normalize: normalising your mean gives encode's output
        enc_diff = float(np.abs(_unit(got) - encoded).max())
        assert enc_diff < 1e-5, \
            f"mean_pool ({kind}), L2-normalised, differs from SentenceTransformer.encode by {enc_diff:.6f}"


# --------------------------------------------------------------------------- senses

@pytest.mark.graded(points=2, mvu="static-vs-contextual", concept="within-sense vs cross-sense cosine by hand",
                    hint="average the cosines of pairs i < j: same label for within, different for cross; never pair a "
                         "vector with itself")
def test_sense_cosines_hand_worked():
    V = np.array([[1.0, 0.0], [2.0, 0.0], [1.0, 1.0], [0.0, 3.0], [0.0, 1.0]])
    senses = ["x", "x", "x", "y", "y"]
    # within: (x0,x1)=1, (x0,x2)=(x1,x2)=1/√2, (y3,y4)=1 -> (2 + 2/√2)/4
    # cross:  x0,x1 vs y = 0 (4 pairs), x2 vs y = 1/√2 (2 pairs) -> (2/√2)/6
    within, cross = _ce().sense_cosines(V, senses)
    expected = ((2 + 2 / np.sqrt(2)) / 4, (2 / np.sqrt(2)) / 6)
    U = _unit(V)
    same = np.array([[a == b for b in senses] for a in senses])
    C = U @ U.T
    with_self = (C[same].mean(), C[same & np.triu(np.ones_like(same), k=0)].mean())  # diagonal's 1s counted in
    per_sense = ((1 + 2 / np.sqrt(2)) / 3 + 1) / 2           # mean of the two senses' means
    if min(abs(within - w) for w in with_self) < 1e-9:
        fail(f"within-sense cosine {within:.4f} counts each vector paired with itself (cosine 1); "
             f"expected {expected[0]:.4f}")
    if abs(within - per_sense) < 1e-9:
        fail(f"within-sense cosine {within:.4f} averages the per-sense means; expected the mean over "
             f"all same-sense pairs, {expected[0]:.4f}")
    tol = tolerance_for(within, 1e-9)  # float32 is fine, within float32's precision
    assert abs(within - expected[0]) <= tol, f"within-sense cosine: {numbers(within, expected[0], tol)}"
    assert abs(cross - expected[1]) <= tol, f"cross-sense cosine: {numbers(cross, expected[1], tol)}"
    raises(ValueError, lambda: _ce().sense_cosines(V, ["x", "x", "x", "x", "x"]),
           "sense_cosines with a single sense (nothing to compare across)")


@pytest.mark.graded(points=3, mvu="static-vs-contextual", concept="contextual vectors separate the senses of 'bank'",
                    hint="within-sense cosine minus cross-sense cosine of word_vector(sentence, 'bank')")
def test_bank_senses_separate_with_contextual_vectors():
    got = _ce().sense_separation(BANK, "bank")
    # Independent reference: the last-layer vector of the one "bank" token of each sentence.
    vectors, senses = [], []
    for sense, sentences in BANK.items():
        for s in sentences:
            tokens, _, layers = _reference(s)
            vectors.append(layers[-1][tokens.index("bank")])
            senses.append(sense)
    U = _unit(vectors)
    C = U @ U.T
    same = np.array([[a == b for b in senses] for a in senses])
    upper = np.triu(np.ones_like(same), k=1)
    expected = C[same & upper].mean() - C[~same & upper].mean()
    assert isinstance(got, (float, np.floating)), f"sense_separation must return a float, got {describe(got)}"
    assert got > 0.03, f"within-sense cosine is only {got:.4f} above cross-sense for 'bank': the senses should separate"
    assert got == pytest.approx(expected, abs=1e-4), \
        f"sense_separation(BANK, 'bank') = {got:.5f}, expected {expected:.5f}"


@pytest.mark.graded(points=2, mvu="static-vs-contextual", concept="a static embedding cannot separate senses",
                    hint="with vector_fn returning the same GloVe vector for every sentence, every cosine is equal")
def test_static_vectors_do_not_separate_senses():
    glove = assets.glove()
    seen = []

    def static(text, word):
        seen.append(text)
        return glove[word.lower()]

    got = _ce().sense_separation(BANK, "bank", vector_fn=static)
    n = sum(len(v) for v in BANK.values())
    assert sorted(seen) == sorted(s for v in BANK.values() for s in v), \
        f"sense_separation should call vector_fn once per sentence ({n} sentences), it called it {len(seen)} times"
    assert abs(got) < 1e-9, f"with one static GloVe vector for 'bank', the separation must be 0, got {got:.6f}"
