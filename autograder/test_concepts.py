"""Grading: concept questions (exercises/concepts.py) and cosine vs Euclidean on real vectors.

    pytest autograder/test_concepts.py

Where a question is about a real output, the expected answer is computed here from the real
tokenizer, model or vectors — never read from solutions/. A wrong answer's line names the
idea and the section to reread; it never prints the answer.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import pytest

from autograder.feedback import fail
from autograder.seam import chapter, target
from tokemb import assets, models

UNANSWERED = "a question in exercises/concepts.py is not answered yet: replace its None with your answer"

# The options of the choice questions whose answer is one of several named things, as
# exercises/concepts.py lists them (tests/test_grading.py checks that they match): the grader
# computes which option is right (the nearest word; the model whose row of the book's model
# table, tokemb.models, fits the task) and checks the letter of that option.
OPTIONS = {
    "NEAREST_TO_KING_MINUS_MAN_PLUS_WOMAN": ("queen", "king", "woman", "princess"),
    "EUCLIDEAN_NEAREST_TO_PARIS": ("france", "amsterdam", "london", "berlin"),
    "MODEL_FOR_MULTILINGUAL_FAQ": ("all-MiniLM-L6-v2", "multilingual-e5-small", "CodeBERT", "CLIP ViT-B/32"),
    "MODEL_FOR_CODE_SEARCH": ("all-MiniLM-L6-v2", "multilingual-e5-small", "jina-embeddings-v2-base-code",
                              "averaged GloVe vectors"),
    "MODEL_FOR_ENGLISH_DUPLICATES": ("all-MiniLM-L6-v2", "CLIP ViT-B/32", "CodeBERT", "jina-embeddings-v2-base-code"),
}


def _answer(name: str):
    """The learner's answer to one question; a clean failure while it is still None."""
    value = getattr(chapter("concepts"), name)
    if value is None:  # one message for every unanswered question: the report shows it once
        raise NotImplementedError(UNANSWERED)
    return value


# ``expected`` may be a function that computes the answer: it is called only once the learner's
# answer is there and well formed, so an unanswered question fails at once instead of after a
# model is loaded to compute what it should be.

def _check_choice(name: str, expected, reread: str):
    got = _answer(name)
    assert isinstance(got, str) and len(got.strip()) == 1 and got.strip().lower() in "abcd", \
        f"{name} must be one choice letter, 'a' to 'd' (got {got!r})"
    expected = expected() if callable(expected) else expected
    assert got.strip().lower() == expected, f"{name}: not this one — reread {reread}"


def _check_number(name: str, expected, reread: str, tol: float = 1e-6):
    got = _answer(name)
    try:
        value = float(got)
    except (TypeError, ValueError):
        fail(f"{name} must be a number (got {got!r})")
    expected = expected() if callable(expected) else expected
    assert abs(value - expected) <= tol, f"{name}: not this number — reread {reread}"


def _which_of_two(first: bool, second: bool) -> str:
    """The letter of the questions whose options are "only the first", "only the second", "both", "neither"."""
    return {(True, False): "a", (False, True): "b", (True, True): "c", (False, False): "d"}[(first, second)]


def _letter(name: str, correct: str) -> str:
    """The letter of option ``correct`` of question ``name`` (a failure of the grader if it is none of them)."""
    assert correct in OPTIONS[name], f"the grader's own check failed: {name}'s answer {correct!r} is not an option"
    return "abcd"[OPTIONS[name].index(correct)]


@functools.cache
def _glove_top(n: int = 50_000):
    glove = assets.glove()
    return glove, glove.vectors[:n], np.linalg.norm(glove.vectors[:n], axis=1)


# --------------------------------------------------------------------------- MVU 1: tokenize

@pytest.mark.graded(points=1, mvu="tokenize", concept="a leading space is part of a GPT-2 token",
                    hint="byte-level BPE learned ' word' (with its space) from running text; "
                         "the same word with no space before it has its own, rarer pieces")
def test_gpt2_tokens_without_leading_space():
    _check_number("GPT2_TOKENS_NO_LEADING_SPACE", lambda: len(assets.tiktoken_encoding("gpt2").encode("unbelievably")),
                  "'A leading space makes a different token' in the tokenization article (book/tokenization.md)")


@pytest.mark.graded(points=1, mvu="tokenize", concept="byte-level BPE is lossless; WordPiece is not",
                    hint="decode the ids of each tokenizer and compare with the input text")
def test_lossless_on_emoji():
    def expected():
        text = "Great match 🎾🔥!"
        gpt2 = assets.tiktoken_encoding("gpt2")
        wordpiece = assets.wordpiece()
        gpt2_ok = gpt2.decode(gpt2.encode(text)) == text
        bert_ok = wordpiece.decode(wordpiece.encode(text, add_special_tokens=False).ids) == text
        return _which_of_two(gpt2_ok, bert_ok)

    _check_choice("LOSSLESS_ON_EMOJI", expected,
                  "'The families side by side' in the tokenization article (book/tokenization.md)")


@pytest.mark.graded(points=1, mvu="tokenize", concept="WordPiece turns a word it cannot spell into one [UNK]",
                    hint="WordPiece works word by word (split at spaces and punctuation first)")
def test_bert_unk_is_a_whole_word():
    _check_number("BERT_TOKENS_FOR_ABC_EMOJI_DEF",
                  lambda: len(assets.wordpiece().encode("abc🙂def", add_special_tokens=False).ids),
                  "the WordPiece part of 'The families side by side' (book/tokenization.md)")


# --------------------------------------------------------------------------- MVU 2: static vs contextual

@functools.cache
def _bank_vectors():
    """'bank' in two sentences: GloVe's vector twice, and MiniLM's last-layer token vector twice."""
    model = assets.minilm()
    sentences = ["I sat on the river bank.", "I opened a bank account."]
    out = model.encode(sentences, output_value="token_embeddings", show_progress_bar=False)
    bank_id = model.tokenizer.convert_tokens_to_ids("bank")
    contextual = []
    for sentence, tokens in zip(sentences, out):
        ids = model.tokenizer(sentence)["input_ids"]
        contextual.append(np.asarray(tokens[ids.index(bank_id)], dtype=np.float64))
    glove = assets.glove()
    return [glove["bank"], glove["bank"]], contextual


@pytest.mark.graded(points=1, mvu="static-vs-contextual",
                    concept="static vs contextual: one vector per word, or per occurrence",
                    hint="a static table is looked up by the word alone; a contextual model reads the sentence")
def test_same_vector_for_bank():
    def expected():
        static, contextual = _bank_vectors()
        static_same = bool(np.array_equal(static[0], static[1]))
        contextual_same = bool(np.allclose(contextual[0], contextual[1], atol=1e-6))
        return _which_of_two(static_same, contextual_same)

    _check_choice("SAME_VECTOR_FOR_BANK", expected,
                  "'Static vs contextual: the same word in different senses' (book/contextual_embeddings.md)")


@pytest.mark.graded(points=1, mvu="static-vs-contextual", concept="a transformer's input embedding is a static table",
                    hint="what does a lookup by token id depend on? Where does the sentence come in?")
def test_input_embedding_row_is_static():
    def expected():
        model = assets.minilm()
        embedding = model[0].auto_model.get_input_embeddings()
        tok = model.tokenizer
        rows = []
        for sentence in ("I sat on the river bank.", "I opened a bank account."):
            ids = tok(sentence, return_tensors="pt")["input_ids"]
            position = ids[0].tolist().index(tok.convert_tokens_to_ids("bank"))
            rows.append(embedding(ids)[0, position].detach().numpy())
        return "a" if np.array_equal(rows[0], rows[1]) else "b"

    _check_choice("INPUT_EMBEDDING_ROW_SAME", expected,
                  "'The model's own embedding matrix' (book/static_embeddings.md)")


@pytest.mark.graded(points=1, mvu="static-vs-contextual", concept="analogy arithmetic with the input words kept",
                    hint="gensim's most_similar silently leaves the three input words out; similar_by_vector does not")
def test_nearest_to_king_minus_man_plus_woman():
    def expected():
        glove = assets.glove()
        target = glove.get_mean_vector(["king", "man", "woman"], weights=[1, -1, 1], pre_normalize=True)
        return _letter("NEAREST_TO_KING_MINUS_MAN_PLUS_WOMAN", glove.similar_by_vector(target, topn=1)[0][0])

    _check_choice("NEAREST_TO_KING_MINUS_MAN_PLUS_WOMAN", expected,
                  "'Analogies: king − man + woman' (book/static_embeddings.md), the column with the inputs kept")


# --------------------------------------------------------------------------- MVU 3: cosine

@pytest.mark.graded(points=1, mvu="cosine", concept="cosine compares direction; Euclidean also compares length",
                    hint="draw the three vectors: which points the same way as q, which is closest to q's tip?")
def test_cosine_vs_euclidean_pick():
    q, a, b = np.array([1.0, 0.0]), np.array([4.0, 1.0]), np.array([0.6, 0.5])
    cos = lambda u, v: u @ v / (np.linalg.norm(u) * np.linalg.norm(v))  # noqa: E731
    by_cos = "A" if cos(q, a) > cos(q, b) else "B"
    by_euc = "A" if np.linalg.norm(q - a) < np.linalg.norm(q - b) else "B"
    expected = {("A", "A"): "a", ("B", "B"): "b", ("A", "B"): "c", ("B", "A"): "d"}[(by_cos, by_euc)]
    _check_choice("COSINE_VS_EUCLIDEAN_PICK", expected,
                  "'Cosine, dot product and Euclidean distance' (book/semantic_geometry.md)")


@pytest.mark.graded(points=1, mvu="cosine", concept="for unit vectors, distance and cosine carry the same information",
                    hint="expand ‖a − b‖² = ‖a‖² + ‖b‖² − 2 a·b for unit vectors")
def test_squared_distance_at_cosine():
    _check_number("SQUARED_DISTANCE_AT_COSINE_08", 2 - 2 * 0.8,
                  "'Cosine, dot product and Euclidean distance' (book/semantic_geometry.md)", tol=1e-6)


@pytest.mark.graded(points=1, mvu="cosine", concept="raw vector length moves Euclidean neighbours",
                    hint="compare the lengths of the candidates: Euclidean favours vectors near the query's own length")
def test_euclidean_nearest_to_paris():
    def expected():
        glove, vectors, _ = _glove_top()
        distances = np.linalg.norm(vectors - glove["paris"], axis=1)
        distances[glove.key_to_index["paris"]] = np.inf
        return _letter("EUCLIDEAN_NEAREST_TO_PARIS", glove.index_to_key[int(distances.argmin())])

    _check_choice("EUCLIDEAN_NEAREST_TO_PARIS", expected,
                  "'Cosine, dot product and Euclidean distance' (book/semantic_geometry.md)")


@pytest.mark.graded(points=2, mvu="cosine", concept="your cosine ranks raw GloVe neighbours by direction, not length",
                    hint="on raw vectors, length decides the Euclidean and the dot-product neighbours; "
                         "cosine must compare directions only")
def test_learner_cosine_differs_from_euclidean_on_raw_glove():
    glove, vectors, norms = _glove_top()
    # "paris": cosine and the dot product pick a long vector, Euclidean a shorter one;
    # "night": cosine, the dot product and Euclidean pick three different words.
    for word in ("paris", "night"):
        i = glove.key_to_index[word]
        query = glove[word]
        candidates = [j for j in range(len(vectors)) if j != i]
        # Independent references, computed here with numpy.
        cosine = (vectors @ query) / (norms * np.linalg.norm(query))
        dot = vectors @ query
        distance = np.linalg.norm(vectors - query, axis=1)
        cosine[i], dot[i], distance[i] = -np.inf, -np.inf, np.inf
        picks = {"cosine": int(cosine.argmax()), "dot": int(dot.argmax()), "euclid": int(distance.argmin())}
        assert picks["cosine"] != picks["euclid"], "the grader's own check failed: cosine and Euclidean agree here"
        learner = chapter("static_embeddings").cosine_similarity_matrix(query[None, :], vectors[candidates])
        got = candidates[int(np.asarray(learner, dtype=np.float64).reshape(-1).argmax())]
        if got == picks["cosine"]:
            continue
        if got == picks["euclid"]:
            what = "the Euclidean pick: your similarity follows distance, so length leaks in"
        elif got == picks["dot"]:
            what = "the bare dot product's pick: without dividing by both lengths, long vectors win"
        else:
            what = "neither cosine's, the dot product's nor Euclidean's pick"
        fail(f"nearest to {word!r} by your cosine_similarity_matrix ({target()}/static_embeddings.py) on raw GloVe "
             f"vectors is "
             f"{glove.index_to_key[got]!r} (length {norms[got]:.2f}) — {what}")


# --------------------------------------------------------------------------- MVU 4: model choice

TABLE = "the model table in 'Choosing an embedding model' (book/contextual_embeddings.md)"


def _fitting_option(name: str, fits, smallest=lambda row: 0) -> str:
    """The letter of the one option of question ``name`` whose table row ``fits`` the task (the
    ``smallest`` of those that do). Averaged GloVe vectors are static word vectors, not in the table."""
    rows = {o: models.by_name(o) for o in OPTIONS[name] if o != "averaged GloVe vectors"}
    fitting = [o for o in rows if fits(rows[o])]
    best = [o for o in fitting if smallest(rows[o]) == min(smallest(rows[f]) for f in fitting)]
    assert len(best) == 1, f"the grader's own check failed: {name} fits {best}"
    return _letter(name, best[0])


@pytest.mark.graded(points=1, mvu="model-choice", concept="task fit: language",
                    hint="which model was trained on many languages?")
def test_model_for_multilingual_faq():
    expected = _fitting_option("MODEL_FOR_MULTILINGUAL_FAQ",
                               lambda row: row.multilingual and row.data == "text" and row.sentence_embedder)
    _check_choice("MODEL_FOR_MULTILINGUAL_FAQ", expected, TABLE)


@pytest.mark.graded(points=1, mvu="model-choice", concept="task fit: domain (code)",
                    hint="which model saw code in training?")
def test_model_for_code_search():
    expected = _fitting_option("MODEL_FOR_CODE_SEARCH", lambda row: row.data == "code" and row.sentence_embedder)
    _check_choice("MODEL_FOR_CODE_SEARCH", expected, TABLE)


@pytest.mark.graded(points=1, mvu="model-choice", concept="task fit: cost and language",
                    hint="English, sentence pairs, small enough for a laptop")
def test_model_for_english_duplicates():
    expected = _fitting_option("MODEL_FOR_ENGLISH_DUPLICATES",  # the smallest English text embedder
                               lambda row: row.data == "text" and not row.multilingual and row.sentence_embedder,
                               smallest=lambda row: row.dimension)
    _check_choice("MODEL_FOR_ENGLISH_DUPLICATES", expected, TABLE)


@pytest.mark.graded(points=1, mvu="model-choice", concept="maximum input length",
                    hint="read model.max_seq_length; [CLS] and [SEP] take two of those positions in every chunk")
def test_min_chunks_for_long_documents():
    def expected():
        max_len = assets.minilm().max_seq_length
        chunks = math.ceil(5000 / (max_len - 2))
        assert chunks == math.ceil(5000 / max_len), "the grader's own check: the two counts should agree"
        return chunks

    _check_number("MIN_CHUNKS_FOR_5000_TOKENS", expected, TABLE + " and the model's maximum input length", tol=0)
