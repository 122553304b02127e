"""tokemb.chunking on the corpus the book chunks: every review, MiniLM's own tokenizer."""
from __future__ import annotations

import pytest

from tokemb import assets
from tokemb.chunking import chunk_text, sentences


@pytest.fixture(scope="module")
def count_pieces():
    tokenizer = assets.wordpiece()  # unpadded: the file alone would pad every text to 128 pieces
    return lambda text: len(tokenizer.encode(text, add_special_tokens=False).ids)


def _longest(n: int):
    return sorted(assets.drug_reviews(), key=lambda r: len(r.text), reverse=True)[:n]


# The quick tier chunks the 60 longest reviews (the ones with the most sentences to pack and to
# split); the full suite every review.
@pytest.mark.parametrize("reviews", [pytest.param(assets.drug_reviews, id="every-review", marks=pytest.mark.slow),
                                     pytest.param(lambda: _longest(60), id="longest-60")])
@pytest.mark.parametrize("max_tokens", [32, 128])
def test_every_review_chunks_within_the_limit_keeping_every_word_in_order(count_pieces, max_tokens, reviews):
    split_sentences = 0
    for review in reviews():
        chunks = chunk_text(review.text, count_pieces, max_tokens)
        assert all(count_pieces(c) <= max_tokens for c in chunks), review.text[:80]
        assert " ".join(chunks).split() == review.text.split(), review.text[:80]
        whole = [s for s in sentences(review.text) if count_pieces(s) <= max_tokens]
        # a sentence that fits is never cut: it is inside one chunk
        assert all(any(s in c for c in chunks) for s in whole), review.text[:80]
        # greedy packing: no two neighbouring chunks would fit in one
        assert all(count_pieces(f"{a} {b}") > max_tokens for a, b in zip(chunks, chunks[1:])), review.text[:80]
        split_sentences += len(sentences(review.text)) - len(whole)
    if max_tokens == 32:
        assert split_sentences > 0, "the corpus has sentences over 32 word pieces: the word split is exercised"


def test_sentences_end_at_terminal_punctuation_and_keep_closing_quotes():
    assert sentences('It helped!! Then it stopped. "Never again." (Really.) ok') == [
        "It helped!!", "Then it stopped.", '"Never again."', "(Really.)", "ok"]
    assert sentences("  ") == [] and chunk_text("", len, 5) == []


def test_bad_limits_are_clear_errors():
    with pytest.raises(ValueError, match="at least 1"):
        chunk_text("a b", lambda t: len(t.split()), 0)
    with pytest.raises(ValueError, match="alone is 12 tokens"):
        chunk_text("tiny enormousword", len, 5)
