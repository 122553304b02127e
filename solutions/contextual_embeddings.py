"""Contextual embeddings: token vectors from a BERT-style encoder, word vectors, sentence vectors.

A ladder, in this order, all with all-MiniLM-L6-v2 (``tokemb.assets.minilm()``, a
SentenceTransformer whose module ``[0]`` is the Transformer with ``.auto_model`` and
``.tokenizer``):

1. ``token_vectors(text)``: the model's last-layer vector for every WordPiece token,
   [CLS] and [SEP] included (the same tokens the model's own mean pooling averages).
2. ``word_pieces(text, word)``: which of those tokens make up the first occurrence of a word.
3. ``word_vector(text, word)``: one vector for a word, the mean of its pieces' vectors.
4. ``mean_pool(token_embeddings, attention_mask)``: a sentence vector per row of a padded
   batch, the same numbers as the model's pooling layer (``SentenceTransformer.encode``
   before its final Normalize module).
5. ``sense_cosines(vectors, senses)`` and ``sense_separation(groups, word)``: how much more
   alike a word's vectors are within one sense ("bank" of a river) than across senses
   ("bank" of a river vs a bank that lends money). A static embedding scores exactly 0.

Left out on purpose: batching many texts through the model at once (one text per call keeps
the code short; ``sentence_transformers`` does the batching for real work), the hidden
states of the intermediate layers, and texts longer than the model's 256-token limit
(they are truncated, as the model itself does).

Grade this chapter with:  pytest autograder/test_contextual_embeddings.py
"""
from __future__ import annotations

import re  # EXERCISE: import re  # noqa: F401  (word_pieces: find the word as a whole word)

import numpy as np

from tokemb import assets


def _model():
    """all-MiniLM-L6-v2, loaded once per process (``tokemb.assets.minilm`` is cached)."""
    return assets.minilm()


# BEGIN SOLUTION
def _encode(text: str):
    """(tokens, last-layer vectors (n, 384) float32, character offsets [(start, end), ...])."""
    import torch

    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    model = _model()
    transformer = model[0]
    tokenizer = transformer.tokenizer
    batch = tokenizer(text, return_tensors="pt", return_offsets_mapping=True,
                      truncation=True, max_length=model.get_max_seq_length())
    offsets = [tuple(int(x) for x in pair) for pair in batch.pop("offset_mapping")[0]]
    with torch.inference_mode():
        hidden = transformer.auto_model(**batch).last_hidden_state[0]
    tokens = tokenizer.convert_ids_to_tokens(batch["input_ids"][0].tolist())
    return tokens, hidden.numpy().astype(np.float32), offsets


# END SOLUTION
def token_vectors(text: str) -> tuple[list[str], np.ndarray]:
    """The last-layer vector of every WordPiece token of ``text`` in all-MiniLM-L6-v2.

    Returns ``(tokens, vectors)``: ``tokens`` is the list of WordPiece strings, starting with
    ``"[CLS]"`` and ending with ``"[SEP]"`` (both included, because the model's mean pooling
    averages them too); ``vectors`` is a float32 array of shape (len(tokens), 384), row i the
    output of the transformer's last layer for token i (the "token embeddings" before
    pooling, not the input embedding layer). The tokenizer is uncased, so tokens are
    lowercase. Texts longer than 256 tokens are cut there, as the model does.

    Example:
        >>> tokens, X = token_vectors("The river bank flooded.")
        >>> tokens
        ['[CLS]', 'the', 'river', 'bank', 'flooded', '.', '[SEP]']
        >>> X.shape, X.dtype
        ((7, 384), dtype('float32'))

    Raises:
        TypeError: ``text`` is not a str.
    """
    # BEGIN SOLUTION
    tokens, vectors, _ = _encode(text)
    return tokens, vectors
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("token_vectors is not implemented yet: run the tokenizer and the "
    # EXERCISE:                           "transformer on the text; return the tokens and the last layer's vectors as "
    # EXERCISE:                           "float32")


def word_pieces(text: str, word: str) -> list[int]:
    """Row indices (into ``token_vectors(text)``) of the pieces of the first occurrence of ``word``.

    An occurrence is ``word`` as a whole word (not inside a longer word: "bank" is not in
    "embankment"), matched case-insensitively because the model is uncased. Use the
    tokenizer's character offsets: a token belongs to the word when its character span
    overlaps the span of the match. [CLS] and [SEP] never belong to a word.

    Example:
        >>> token_vectors("Tokenization splits words.")[0]
        ['[CLS]', 'token', '##ization', 'splits', 'words', '.', '[SEP]']
        >>> word_pieces("Tokenization splits words.", "tokenization")
        [1, 2]
        >>> word_pieces("A token, then tokenization.", "tokenization")   # not the lone "token"
        [5, 6]

    Raises:
        ValueError: ``word`` is empty, or does not occur in ``text`` as a whole word (the
            message names it), or occurs only past the model's 256-token limit.
    """
    # BEGIN SOLUTION
    _, _, offsets = _encode(text)
    return _piece_rows(text, word, offsets)
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("word_pieces is not implemented yet: find the word's first whole-word match "
    # EXERCISE:                           "and keep the tokens whose offsets overlap it")


# BEGIN SOLUTION
def _piece_rows(text: str, word: str, offsets) -> list[int]:
    """The rows of ``word_pieces``, given the tokens' character offsets (one model run saved)."""
    word = word.strip() if isinstance(word, str) else word
    if not isinstance(word, str) or not word:
        raise ValueError(f"word must be a non-empty string, got {word!r}")
    match = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text, flags=re.IGNORECASE)
    if match is None:
        raise ValueError(f"the word {word!r} does not occur in the text {text[:60]!r}")
    start, end = match.span()
    rows = [i for i, (s, e) in enumerate(offsets) if e > s and s < end and e > start]
    if not rows:
        raise ValueError(f"the word {word!r} occurs only after the model's "
                         f"{_model().get_max_seq_length()}-token limit, where the text is cut")
    return rows


# END SOLUTION
def word_vector(text: str, word: str) -> np.ndarray:
    """One contextual vector for ``word`` in ``text``: the mean of its pieces' last-layer vectors.

    A word the vocabulary lacks is split into several WordPieces ("tokenization" ->
    token, ##ization); each piece gets its own vector and the word's vector is their plain
    mean (every piece of the word counts, not only the first). Only the first occurrence of
    the word is used (see ``word_pieces``). Returns a float32 array of shape (384,).

    Example:
        >>> v = word_vector("Tokenization splits words.", "tokenization")
        >>> tokens, X = token_vectors("Tokenization splits words.")
        >>> v.shape, bool(np.allclose(v, X[1:3].mean(axis=0), atol=1e-6))
        ((384,), True)

    Raises:
        ValueError: ``word`` does not occur in ``text`` (the message names it).
    """
    # BEGIN SOLUTION
    _, vectors, offsets = _encode(text)
    rows = _piece_rows(text, word, offsets)
    return vectors[rows].mean(axis=0).astype(np.float32)
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("word_vector is not implemented yet: average the rows of "
    # EXERCISE:                           "token_vectors(text) that word_pieces(text, word) names")


# BEGIN SOLUTION
def _as_numpy(x, name: str) -> np.ndarray:
    """A numpy float64 copy of a numpy array, a list or a torch tensor (on any device)."""
    if hasattr(x, "detach"):  # a torch tensor
        x = x.detach().cpu().numpy()
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be numeric: {err}") from None


# END SOLUTION
def mean_pool(token_embeddings, attention_mask) -> np.ndarray:
    """Sentence vectors by mean pooling: the average of each row's real (unmasked) tokens.

    ``token_embeddings``: shape (batch, seq_len, dim), the transformer's last-layer outputs
    for a padded batch; ``attention_mask``: shape (batch, seq_len), 1 for a real token and
    0 for padding. numpy arrays, nested lists or torch tensors are accepted. Returns a numpy
    float32 array of shape (batch, dim) whose row b is
    sum_t mask[b, t] * E[b, t] / sum_t mask[b, t]: padding must not leak in.
    A single sentence may also be given unbatched, (seq_len, dim) with a (seq_len,) mask;
    the result is then (dim,).

    With all-MiniLM-L6-v2 this is exactly the model's Pooling module (mean mode, [CLS] and
    [SEP] included). ``SentenceTransformer.encode`` then also L2-normalises, because this
    model's pipeline ends with a Normalize module: divide each row by its norm to get encode's
    output.

    Example:
        >>> E = np.array([[[1.0, 2.0], [3.0, 4.0], [100.0, 100.0]]])  # 1 sentence, 3 positions
        >>> mean_pool(E, [[1, 1, 0]])            # the third position is padding
        array([[2., 3.]], dtype=float32)
        >>> mean_pool(E[0], [1, 1, 1])           # unbatched, no padding
        array([34.666668, 35.333332], dtype=float32)

    Raises:
        ValueError: the shapes do not fit together, or a row has no real token at all.
    """
    # BEGIN SOLUTION
    E = _as_numpy(token_embeddings, "token_embeddings")
    M = _as_numpy(attention_mask, "attention_mask")
    single = E.ndim == 2
    if single:
        E, M = E[None], M[None]
    if E.ndim != 3:
        raise ValueError(f"token_embeddings must be (batch, seq_len, dim) or (seq_len, dim), got shape {E.shape}")
    if M.shape != E.shape[:2]:
        raise ValueError(f"attention_mask has shape {M.shape[1:] if single else M.shape}, "
                         f"expected {E.shape[1:2] if single else E.shape[:2]} to match token_embeddings")
    counts = M.sum(axis=1)
    if np.any(counts <= 0):
        raise ValueError(f"row {int(np.flatnonzero(counts <= 0)[0])} of attention_mask has no real token: "
                         "its mean is undefined")
    pooled = (E * M[:, :, None]).sum(axis=1) / counts[:, None]
    pooled = pooled.astype(np.float32)
    return pooled[0] if single else pooled
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("mean_pool is not implemented yet: sum the token vectors where "
    # EXERCISE:                           "attention_mask is 1 and divide by the number of real tokens")


def sense_cosines(vectors, senses) -> tuple[float, float]:
    """Mean cosine of pairs in the same sense, and of pairs in different senses.

    ``vectors``: shape (n, d), one vector per occurrence of a word; ``senses``: n labels
    (any hashable), the sense of each occurrence. Every unordered pair i < j counts once
    (a vector is never paired with itself): the first number is the mean cosine over all
    pairs with the same label, pooled across senses; the second, over all pairs with
    different labels. Cosines come from ``cosine_similarity_matrix`` of the
    static-embeddings chapter.

    Example:
        >>> V = [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
        >>> within, cross = sense_cosines(V, ["a", "a", "b", "b"])
        >>> round(within, 4), round(cross, 4)    # within: (1 + 0.7071) / 2; cross: (0 + 0 + 0.7071 + 0.7071) / 4
        (0.8536, 0.3536)

    Raises:
        ValueError: the numbers of vectors and labels differ, there are fewer than two
            senses, or no sense has two occurrences (no within-sense pair).
    """
    # BEGIN SOLUTION
    from .static_embeddings import cosine_similarity_matrix

    V = np.asarray(vectors, dtype=np.float64)
    senses = list(senses)
    if V.ndim != 2 or len(V) != len(senses):
        raise ValueError(f"need one label per vector: {len(senses)} labels for vectors of shape {V.shape}")
    if len(set(senses)) < 2:
        raise ValueError(f"need at least two senses to compare across, got {sorted(set(map(str, senses)))}")
    number = {s: i for i, s in enumerate(dict.fromkeys(senses))}  # sense -> 0, 1, 2, ...
    labels = np.array([number[s] for s in senses])
    same = labels[:, None] == labels[None, :]
    upper = np.triu(np.ones(same.shape, dtype=bool), k=1)  # each pair i < j once, no self-pairs
    if not np.any(same & upper):
        raise ValueError("no sense has two occurrences, so there is no within-sense pair")
    C = cosine_similarity_matrix(V, V)
    return float(C[same & upper].mean()), float(C[~same & upper].mean())
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("sense_cosines is not implemented yet: take the cosine matrix and average "
    # EXERCISE:                           "the i < j pairs with the same label, then those with different labels")


def sense_separation(groups, word: str, vector_fn=None) -> float:
    """Within-sense minus cross-sense mean cosine of ``word``'s vectors in sentences grouped by sense.

    ``groups``: a dict {sense: [sentence, ...]}, each sentence containing ``word``.
    ``vector_fn(text, word)`` gives the word's vector in one sentence; it defaults to
    ``word_vector`` (contextual, all-MiniLM-L6-v2). The result is ``within - cross`` from
    ``sense_cosines``: above 0 when the vectors tell the senses apart. A static embedding,
    whose ``vector_fn`` ignores the sentence, gives the same vector every time, so every
    cosine is equal and the separation is exactly 0.

    Example:
        >>> groups = {"river": ["We sat on the bank of the river.", "The boat drifted to the muddy bank."],
        ...           "money": ["I opened an account at the bank.", "The bank approved my loan."]}
        >>> static = {"bank": np.array([0.3, -1.2, 0.5])}            # one vector, whatever the sentence
        >>> sense_separation(groups, "bank", vector_fn=lambda text, word: static[word])
        0.0
        >>> sense_separation(groups, "bank") > 0                       # contextual vectors
        True

    Raises:
        ValueError: fewer than two senses, no sense with two sentences, or a sentence
            without the word (from ``word_vector``, naming it).
    """
    # BEGIN SOLUTION
    vector_fn = word_vector if vector_fn is None else vector_fn
    if not isinstance(groups, dict) or len(groups) < 2:
        raise ValueError("groups must be a dict {sense: [sentences]} with at least two senses")
    vectors, senses = [], []
    for sense, sentences in groups.items():
        if isinstance(sentences, str):
            raise ValueError(f"groups[{sense!r}] must be a list of sentences, not one string")
        for sentence in sentences:
            vectors.append(np.asarray(vector_fn(sentence, word), dtype=np.float64))
            senses.append(sense)
    within, cross = sense_cosines(np.stack(vectors), senses)
    return within - cross
    # END SOLUTION
    # EXERCISE: raise NotImplementedError("sense_separation is not implemented yet: get vector_fn(sentence, word) for "
    # EXERCISE:                           "every sentence, then within - cross from sense_cosines")
