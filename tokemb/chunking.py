"""Cutting documents into chunks an encoder can read whole: the first step of a RAG pipeline.

A sentence encoder reads at most a fixed number of tokens (all-MiniLM-L6-v2: 256 word
pieces, and it was trained on 128); the rest of a longer text is cut off silently. So a
retrieval pipeline embeds *chunks*, not documents. :func:`chunk_text` packs whole sentences
into chunks of at most ``max_tokens`` tokens, as counted by the encoder's own tokenizer, so
that no chunk is cut and no sentence is split unless it alone is too long (then it is split
between words).

>>> count_words = lambda text: len(text.split())   # a stand-in tokenizer: one token per word
>>> chunk_text("One two three. Four five. Six seven eight nine.", count_words, max_tokens=5)
['One two three. Four five.', 'Six seven eight nine.']
>>> chunk_text("a b c d e f g", count_words, max_tokens=3)   # one sentence, too long: cut between words
['a b c', 'd e f', 'g']
"""
from __future__ import annotations

import re
from collections.abc import Callable

# A sentence ends at ., ! or ?, perhaps with one closing quote or bracket, before whitespace.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"')\]])\s+")


def sentences(text: str) -> list[str]:
    """``text`` split after each ., ! or ? that whitespace follows (a plain rule: "Dr. Smith" splits too).

    >>> sentences('It works. Does it?  "Yes!" I said.')
    ['It works.', 'Does it?', '"Yes!"', 'I said.']
    """
    return [s for s in (part.strip() for part in _SENTENCE_END.split(text)) if s]


def chunk_text(text: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """Whole sentences of ``text``, in order, packed greedily into chunks of at most ``max_tokens``.

    ``count_tokens(text)`` is the number of tokens the encoder sees for ``text`` (without its
    special tokens). A sentence longer than ``max_tokens`` on its own is split between words.
    Joining the chunks with spaces gives back the text's words in order. Raises ValueError for
    ``max_tokens`` < 1 or a single word longer than ``max_tokens``.
    """
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
    pieces = []
    for sentence in sentences(text):
        if count_tokens(sentence) <= max_tokens:
            pieces.append(sentence)
            continue
        for word in sentence.split():  # a sentence too long on its own: split it between words
            if count_tokens(word) > max_tokens:
                raise ValueError(f"the word {word[:40]!r} alone is {count_tokens(word)} tokens, over "
                                 f"max_tokens = {max_tokens}")
        pieces.extend(_pack(sentence.split(), count_tokens, max_tokens))
    return _pack(pieces, count_tokens, max_tokens)


def _pack(pieces: list[str], count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    """``pieces`` joined with spaces, in order, greedily into runs of at most ``max_tokens`` tokens."""
    runs: list[str] = []
    for piece in pieces:
        joined = f"{runs[-1]} {piece}" if runs else piece
        if runs and count_tokens(joined) <= max_tokens:
            runs[-1] = joined
        else:
            runs.append(piece)
    return runs
