"""A deliberately slow, obviously correct byte-level BPE trainer: the grader's reference.

It recounts every pair before every merge, with GPT-2's pre-tokenizer (written out here, so
it shares no code with the solution) and the documented tie rule: among equal counts the
lexicographically greatest pair wins. ``autograder/test_tokenization.py`` compares your
merges with it, and ``benchmarks/tokenization.py`` times it as the naive baseline.

>>> [pair for pair, _ in reference_merges("low low low lower lowest", 3)]
[(b'o', b'w'), (b'l', b'ow'), (b' ', b'low')]
"""
from __future__ import annotations

import re
from collections import Counter

import regex

# GPT-2's pre-tokenizer.
PATTERN = regex.compile(r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")


def words_of(text: str, specials=()) -> Counter:
    """Pre-token counts (as tuples of one-byte symbols); special tokens cut out and not counted."""
    chunks = re.split("|".join(re.escape(s) for s in specials), text) if specials else [text]
    counts = Counter(p for chunk in chunks for p in PATTERN.findall(chunk))
    return Counter({tuple(bytes([b]) for b in w.encode("utf-8")): c for w, c in counts.items()})


def apply_merge(word: tuple, a: bytes, b: bytes) -> tuple:
    out, i = [], 0
    while i < len(word):
        if i + 1 < len(word) and word[i] == a and word[i + 1] == b:
            out.append(a + b)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return tuple(out)


def pair_counts(words: Counter) -> Counter:
    counts = Counter()
    for word, c in words.items():
        for pair in zip(word, word[1:]):
            counts[pair] += c
    return counts


def reference_merges(text: str, n_merges: int, specials=()) -> list[tuple[tuple[bytes, bytes], int]]:
    """The slow, obviously-correct trainer: recount every pair before each merge.

    Returns [(pair, count), ...]. Ties go to the lexicographically greatest pair."""
    words, merges = words_of(text, specials), []
    for _ in range(n_merges):
        counts = pair_counts(words)
        if not counts:
            break
        pair, count = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        merges.append((pair, count))
        words = Counter({apply_merge(w, *pair): c for w, c in words.items()})
    return merges


def count_after(text: str, specials, earlier: list, pair) -> int:
    """How often ``pair`` occurs after the merges ``earlier`` were applied (for the message)."""
    words = words_of(text, specials)
    for a, b in earlier:
        words = Counter({apply_merge(w, a, b): c for w, c in words.items()})
    return pair_counts(words).get(tuple(pair), 0)
