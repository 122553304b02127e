"""Grading: tokenization (GPT-2's pre-tokenizer, byte-level BPE training, how a word splits,
encode, encode_iterable and decode, and GPT-2's file format).

    pytest autograder/test_tokenization.py

Every test reaches your code through ``chapter("tokenization")`` (exercises/ by default).
References, all independent of the reference solution:
- hand-worked cases, each derived in its test's docstring;
- tiktoken's ``gpt2`` encoding for ids on real texts (your ``BPETokenizer`` built from GPT-2's
  own vocabulary and merges, read by ``tokemb.assets.gpt2_vocab_and_merges``);
- for training, a deliberately slow trainer (``autograder/bpe_reference.py``) (recount every pair before every
  merge, the documented tie rule) on the first 3,000 characters of the Lee corpus, and the
  merges Stanford CS336's reference trainer produced on its ``corpus.en`` (vocab_size 500,
  ``<|endoftext|>``), vendored with its MIT licence in ``autograder/fixtures/bpe-reference/``;
- for how a word splits, the grader's own walk through the merges (lowest rank first, every
  occurrence at once, as GPT-2's encoder does) and tiktoken's tokens of the word;
- for files saved in GPT-2's format, Hugging Face ``tokenizers`` reading them (checked first to
  give tiktoken's ids on GPT-2's own files).
The whole file runs in about 5 s on the reference solution.
"""
from __future__ import annotations

import functools
import itertools
import random
import string
from pathlib import Path

import pytest

from autograder.bpe_reference import apply_merge, count_after, reference_merges
from autograder.feedback import describe, fail, raises
from autograder.seam import chapter
from tokemb import assets

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bpe-reference"  # CS336's, MIT (see its README.md)
EOT = "<|endoftext|>"
MIXED = "naïve café — Grüße, 東京 こんにちは, Привет мир, مرحبا, नमस्ते 🙂👍🏽🎉 x²"


def _tok():
    return chapter("tokenization")


# --------------------------------------------------------------------------- shared data

@functools.cache
def _lee_slice(n_chars: int = 3000) -> str:
    """The first ``n_chars`` characters of the Lee corpus (Australian news), articles joined by newlines."""
    return "\n".join(assets.lee_corpus())[:n_chars]


def _fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _gpt2_tokenizer():
    """Your BPETokenizer, built from GPT-2's real vocabulary (50,257 ids) and 50,000 merges."""
    vocab, merges = assets.gpt2_vocab_and_merges()
    return _tok().BPETokenizer(vocab, merges, special_tokens=[EOT])


TIE_HINT = "among equal counts the pair that compares greatest (as a tuple of bytes) wins"


def _first_merge_difference(got, expected, text, specials) -> tuple[str | None, str | None]:
    """('merge #i differs: expected P (count n), got Q (count m) ...', the hint for that cause),
    or (None, None) when the merges agree. Equal counts mean the tie rule chose differently
    (hint: the tie rule); a lower count means the pairs were counted differently (None: the
    test's own hint)."""
    got = [tuple(p) for p in got]
    for i, (g, e) in enumerate(zip(got, expected)):
        if g != e:
            ce = count_after(text, specials, expected[:i], e)
            cg = count_after(text, specials, expected[:i], g)
            before = f"the {i} merges before it agree" if i else "it is the first merge"
            head = f"merge #{i} differs: expected {e!r} (count {ce}), got {g!r} (count {cg})"
            if cg == ce:
                return f"{head}: equal counts, so the tie rule decides ({before})", TIE_HINT
            if cg == 0:
                return f"{head} — it never occurs inside one pre-token ({before})", None
            return f"{head} ({before})", None
    if len(got) != len(expected):
        return f"{len(got)} merges instead of {len(expected)} (the first {min(len(got), len(expected))} agree)", None
    return None, None


# --------------------------------------------------------------------------- pre-tokenizer

@pytest.mark.graded(points=2, mvu="tokenize", concept="GPT-2 pre-tokenizer on hand-worked texts",
                    hint="GPT2_PATTERN already describes every kind of pre-token; it needs the regex package (\\p{L}, "
                         "\\p{N})")
def test_pretokenize_hand_worked():
    r"""GPT-2's regex keeps a word's leading space with the word (" world"), cuts at a hyphen
    (punctuation is its own pre-token), splits contractions ("'s"), keeps digits apart from
    letters, and a run of whitespace before a word gives up its last character: "  b" -> " ", " b"
    (the space joins the word), and "\n\nc" -> "\n", "\n", "c" (a newline cannot join a word, so
    it stands alone: ``\s+(?!\S)`` stops one short, then ``\s+`` takes the last one)."""
    tok = _tok()
    cases = {
        "Hello world, it's 2024!": ["Hello", " world", ",", " it", "'s", " 2024", "!"],
        "tokenization-aware": ["tokenization", "-", "aware"],
        "a  b\n\nc ": ["a", " ", " b", "\n", "\n", "c", " "],
        "abc123def": ["abc", "123", "def"],
        "": [],
    }
    for text, expected in cases.items():
        got = tok.pretokenize(text)
        assert got == expected, f"pretokenize({text!r}) gave {got}, expected {expected}"


@pytest.mark.graded(points=2, mvu="tokenize", concept="special tokens come out whole",
                    hint="special tokens are found before the regex runs, the longest first, and kept whole")
def test_pretokenize_special_tokens():
    """``<|endoftext|>`` would be split by the regex into "<|", "endoftext", "|>"; as a special
    token it must come out as one piece. With overlapping specials the longer one wins."""
    tok = _tok()
    got = tok.pretokenize(f"Hi there{EOT} Bye", special_tokens=[EOT])
    assert got == ["Hi", " there", EOT, " Bye"], f"special token split or lost: {got}"
    got = tok.pretokenize("a<|x|><|x|><|x|>b", special_tokens=["<|x|>", "<|x|><|x|>"])
    assert got == ["a", "<|x|><|x|>", "<|x|>", "b"], f"overlapping specials: longest should win, got {got}"
    text = _lee_slice(500) + EOT + "more"
    assert "".join(tok.pretokenize(text, special_tokens=[EOT])) == text, "pre-tokens do not join back to the text"


# --------------------------------------------------------------------------- the ladder

@pytest.mark.graded(points=1, mvu="tokenize", concept="count adjacent pairs, weighted by word count",
                    hint="a word seen n times contributes n to each of its adjacent pairs")
def test_count_pairs_hand_worked():
    """"hug" x10, "pug" x5, "hugs" x5: (h,u) 10+5 = 15, (u,g) 10+5+5 = 20, (p,u) 5, (g,s) 5.
    A word with a repeated pair counts it twice: "aaa" x2 -> (a,a) 2*2 = 4."""
    got = _tok().count_pairs({(b"h", b"u", b"g"): 10, (b"p", b"u", b"g"): 5, (b"h", b"u", b"g", b"s"): 5})
    expected = {(b"h", b"u"): 15, (b"u", b"g"): 20, (b"p", b"u"): 5, (b"g", b"s"): 5}
    assert dict(got) == expected, f"count_pairs gave {dict(got)}, expected {expected}"
    got = _tok().count_pairs({(b"a", b"a", b"a"): 2})
    assert dict(got) == {(b"a", b"a"): 4}, f"'aaa' x2 should count (a, a) 4 times, got {dict(got)}"


@pytest.mark.graded(points=1, mvu="tokenize", concept="merge one pair inside a word",
                    hint="left to right, non-overlapping: in 'aaa' merging (a, a) gives (aa, a)")
def test_merge_pair_hand_worked():
    """Merging (u, g) in h-u-g-s gives h-ug-s; in a-a-a-a merging (a, a) gives aa-aa (left to
    right, no overlap); a pair that is absent leaves the word unchanged."""
    mp = _tok().merge_pair
    cases = [((b"h", b"u", b"g", b"s"), (b"u", b"g"), (b"h", b"ug", b"s")),
             ((b"a", b"a", b"a"), (b"a", b"a"), (b"aa", b"a")),
             ((b"a", b"a", b"a", b"a"), (b"a", b"a"), (b"aa", b"aa")),
             ((b"x", b"y"), (b"y", b"x"), (b"x", b"y")),
             ((b"x",), (b"x", b"x"), (b"x",))]
    for word, pair, expected in cases:
        got = tuple(mp(word, pair))
        assert got == expected, f"merge_pair({word}, {pair}) gave {got}, expected {expected}"


@pytest.mark.graded(points=2, mvu="tokenize", concept="tie rule: greatest pair among equal counts",
                    hint="among equal counts the pair that compares greatest (as a tuple of bytes) wins")
def test_best_pair_tie_rule():
    """Counts 5 for (b,c) and (c,d): the greater pair (c,d) wins. (es,t) > (e,t) > (e,s) because
    b"es" > b"e" (a longer string with the same start is greater)."""
    bp = _tok().best_pair
    cases = [({(b"a", b"b"): 3, (b"c", b"d"): 5, (b"b", b"c"): 5}, (b"c", b"d")),
             ({(b"e", b"s"): 4, (b"es", b"t"): 4, (b"e", b"t"): 4}, (b"es", b"t")),
             ({(b" ", b"t"): 9, (b"t", b"h"): 9, (b"Z", b"z"): 8}, (b"t", b"h")),
             ({(b"a", b"b"): 7, (b"z", b"z"): 6}, (b"a", b"b"))]
    for counts, expected in cases:
        got = tuple(bp(counts))
        assert got == expected, f"best_pair({counts}) gave {got}, expected {expected}"


# --------------------------------------------------------------------------- training

@pytest.mark.graded(points=3, mvu="tokenize", concept="train_bpe on a hand-worked text",
                    hint="count pairs inside pre-tokens only; most frequent first, ties to the greatest pair")
def test_train_bpe_hand_worked():
    """"low low low lower lowest": pre-tokens low, " low" x2, " lower", " lowest".
    Pairs: (l,o) 5, (o,w) 5, (" ",l) 4, (w,e) 2, (e,r) (e,s) (s,t) 1 each. Tie at 5: (o,w) > (l,o)
    because b"o" > b"l", so merge 0 is (o,w); then (l,ow) 5; then (" ",low) 4; then (" low",e) 2.
    Now (" lowe",r), (" lowe",s) and (s,t) tie at 1, and (s,t) is the greatest (b"s" > b" "),
    so merge 4 is (s,t).

    "a b a b a b": pre-tokens a, " b" x3, " a" x2. Inside pre-tokens only (" ",b) 3 and
    (" ",a) 2, so the first merge is (" ", b). A trainer that counts across pre-token
    boundaries also sees (a," ") 3 and (b," ") 2, and picks (a, " ") by the tie rule."""
    train = _tok().train_bpe
    vocab, merges = train("low low low lower lowest", 256 + 5)
    expected = [(b"o", b"w"), (b"l", b"ow"), (b" ", b"low"), (b" low", b"e"), (b"s", b"t")]
    got = [tuple(m) for m in merges]
    problem, hint = _first_merge_difference(got, expected, "low low low lower lowest", ())
    if problem is not None:
        fail(problem, hint)
    _, merges = train("a b a b a b", 257)
    assert [tuple(m) for m in merges] == [(b" ", b"b")], \
        f"first merge on 'a b a b a b' is {merges[:1]}, expected [(b' ', b'b')]: do merges cross pre-tokens?"


@pytest.mark.graded(points=2, mvu="tokenize", concept="vocab layout: 256 bytes, specials, merges",
                    hint="the 256 single bytes first, then the special tokens, then one entry per merge, in order")
def test_train_bpe_vocab_layout():
    """vocab has exactly vocab_size entries: ids 0..255 are the single bytes, 256 and 257 the two
    special tokens in the order given, and id 258 + k is the concatenation of merge k."""
    vocab, merges = _tok().train_bpe(_lee_slice(1500), 256 + 2 + 20, special_tokens=[EOT, "<pad>"])
    assert len(vocab) == 278, f"vocab has {len(vocab)} entries, expected 278 (256 bytes + 2 specials + 20 merges)"
    assert len(merges) == 20, f"{len(merges)} merges, expected 20"
    for i in range(256):
        assert vocab[i] == bytes([i]), f"vocab[{i}] is {vocab[i]!r}, expected {bytes([i])!r}"
    assert (vocab[256], vocab[257]) == (EOT.encode(), b"<pad>"), \
        f"special tokens should be ids 256, 257; got {vocab[256]!r}, {vocab[257]!r}"
    for k, (a, b) in enumerate(merges):
        assert vocab[258 + k] == a + b, f"vocab[{258 + k}] is {vocab[258 + k]!r}, expected merge #{k}: {a + b!r}"


@pytest.mark.graded(points=4, mvu="tokenize", concept="merges equal an independent reference (Lee corpus)",
                    hint="recount pairs after each merge (or update them); ties: the greatest pair wins")
def test_train_bpe_matches_reference_on_lee():
    """40 merges on the first 3,000 characters of the Lee corpus equal those of the slow reference
    trainer above (it recounts every pair before every merge)."""
    text = _lee_slice()
    expected = [pair for pair, _ in reference_merges(text, 40)]
    _, merges = _tok().train_bpe(text, 256 + 40)
    problem, hint = _first_merge_difference([tuple(m) for m in merges], expected, text, ())
    if problem is not None:
        fail(problem, hint)


def _fixture_merges() -> list[tuple[bytes, bytes]]:
    """CS336's 243 merges on corpus.en, written with GPT-2's bytes-to-unicode mapping, as bytes."""
    decode = {c: b for b, c in assets.gpt2_bytes_to_unicode().items()}
    lines = (FIXTURES / "train-bpe-reference-merges.txt").read_text(encoding="utf-8").splitlines()
    return [tuple(bytes(decode[ch] for ch in part) for part in line.split(" ")) for line in lines if line]


@pytest.mark.graded(points=3, mvu="tokenize", concept="merges equal a published reference (corpus.en)",
                    hint="vocab_size 500 with <|endoftext|>: 243 merges; specials are cut out before counting")
def test_train_bpe_matches_fixture():
    """243 merges on corpus.en (vocab_size 500, special token <|endoftext|>) equal the fixture's
    train-bpe-reference-merges.txt, whose tokens are written with GPT-2's bytes-to-unicode mapping."""
    text = _fixture_text("corpus.en")
    expected = _fixture_merges()
    vocab, merges = _tok().train_bpe(text, 500, special_tokens=[EOT])
    problem, hint = _first_merge_difference([tuple(m) for m in merges], expected, text, (EOT,))
    if problem is not None:
        fail(problem, hint)
    assert len(vocab) == 500, f"vocab has {len(vocab)} entries, expected 500"


@pytest.mark.graded(points=2, mvu="tokenize", concept="special tokens are never merged",
                    hint="cut the text at special tokens and do not count them")
def test_train_bpe_special_tokens_never_merged():
    """Repeated many times, <|endoftext|> would give the most frequent pairs (<, |), (|, >), ...
    A special token must be cut out before counting: no merge may contain a byte of "<|" or "|>"."""
    text = (f"the cat sat.{EOT}" * 50) + _lee_slice(1000)
    _, merges = _tok().train_bpe(text, 256 + 1 + 30, special_tokens=[EOT])
    bad = [m for m in merges if any(x in (m[0] + m[1]) for x in (b"<", b"|", b">"))]
    assert not bad, f"merge {bad[0]!r} is made from the special token's bytes"
    expected = [pair for pair, _ in reference_merges(text, 30, (EOT,))]
    problem, hint = _first_merge_difference([tuple(m) for m in merges], expected, text, (EOT,))
    if problem is not None:  # no special token in the merges, but the counting differs: say where
        fail(f"no merge uses the special token, but {problem}",
             hint or "the text on each side of a special token is trained on as usual, never joined across it")


@pytest.mark.graded(points=1, mvu="tokenize", concept="train_bpe rejects bad input",
                    hint="the vocabulary cannot be smaller than the bytes plus the special tokens; text must be a str")
def test_train_bpe_bad_input():
    train = _tok().train_bpe
    raises(ValueError, lambda: train("hello", 255), "train_bpe('hello', 255) (fewer than the 256 bytes)")
    raises(ValueError, lambda: train("hello", 256, special_tokens=[EOT]),
           "train_bpe('hello', 256, special_tokens=['<|endoftext|>']) (no room for the special token)")
    raises(TypeError, lambda: train(b"hello", 300), "train_bpe(b'hello', 300) (bytes, not a str)")


# --------------------------------------------------------------------------- how a word splits

def _bytes_vocab(*tokens: bytes) -> dict:
    """The 256 single bytes (ids 0-255), then ``tokens`` from id 256 on."""
    return {i: bytes([i]) for i in range(256)} | {256 + k: t for k, t in enumerate(tokens)}


def _steps(got, what: str) -> list[tuple]:
    """The steps as a list of tuples of bytes (lists are accepted too), or a failure naming what came back."""
    __tracebackhide__ = True
    if not isinstance(got, (list, tuple)) or not all(
            isinstance(step, (list, tuple)) and all(isinstance(p, bytes) for p in step) for step in got):
        fail(f"{what} returned {describe(got)}; explain_split returns a list of steps, each a tuple of bytes",
             hint="")
    return [tuple(step) for step in got]


def _first_only(word: tuple, pair: tuple) -> tuple:
    """``word`` with only the first occurrence of ``pair`` merged (a plausible mistake)."""
    for i in range(len(word) - 1):
        if (word[i], word[i + 1]) == pair:
            return word[:i] + (word[i] + word[i + 1],) + word[i + 2:]
    return word


def _step_problem(word: str, steps: list[tuple], rank: dict) -> tuple[str | None, str | None]:
    """(what is wrong with ``steps`` first, the hint for that mistake), or (None, None).

    The grader's own walk, independent of yours: start from the bytes; at each step the
    adjacent pair with the lowest rank is merged at every place it occurs; stop when no
    adjacent pair is a merge."""
    first = tuple(bytes([b]) for b in word.encode("utf-8"))
    if not steps or steps[0] != first:
        return (f"{word!r}: the first step is {steps[0] if steps else 'missing'}, expected the word's "
                f"{len(first)} UTF-8 bytes {first}"), "the first step is the word's UTF-8 bytes, one piece per byte"
    for i in range(1, len(steps) + 1):
        before = steps[i - 1]
        present = [p for p in zip(before, before[1:]) if p in rank]
        if not present:
            if i < len(steps):
                return f"{word!r}: no merge applies to step {i - 1} {before}, yet step {i} follows", None
            return None, None
        pair = min(present, key=rank.__getitem__)
        expected = apply_merge(before, *pair)
        if i == len(steps):
            return (f"{word!r}: the steps stop at {before}, but the merge {pair} (rank {rank[pair]}) "
                    "still applies"), "go on until no adjacent pair is one of the merges"
        if steps[i] != expected:
            head = (f"{word!r}: step {i} should merge {pair} (rank {rank[pair]}, the lowest-rank pair in "
                    f"step {i - 1}) at every place, giving {expected}; got {steps[i]}")
            if steps[i] == _first_only(before, pair):
                return head, "merge every occurrence of the pair in one step, as merge_pair does"
            return head, None
    return None, None


@pytest.mark.graded(points=2, mvu="tokenize", concept="explain_split on a hand-worked word",
                    hint="at each step merge the adjacent pair that comes first in merges (lowest rank), "
                         "not the leftmost")
def test_explain_split_hand_worked():
    """Merges, in the order learned: (l,o), (lo,w), (" ",low), (e,r). In " lower" the pair (e,r)
    is there from the start, but it is merged last because it was learned last:
    " ",l,o,w,e,r -> (l,o) -> " ",lo,w,e,r -> (lo,w) -> " ",low,e,r -> (" ",low), rank 2, beats
    (e,r), rank 3 -> " low",e,r -> (e,r) -> " low",er. No merge joins " low" and "er": 5 steps.
    Merging left to right instead would join (e,r) before (" ",low)."""
    vocab = _bytes_vocab(b"lo", b"low", b" low", b"er")
    merges = [(b"l", b"o"), (b"lo", b"w"), (b" ", b"low"), (b"e", b"r")]
    got = _steps(_tok().explain_split(" lower", vocab, merges), "explain_split(' lower', ...)")
    expected = [(b" ", b"l", b"o", b"w", b"e", b"r"), (b" ", b"lo", b"w", b"e", b"r"), (b" ", b"low", b"e", b"r"),
                (b" low", b"e", b"r"), (b" low", b"er")]
    assert got == expected, f"explain_split(' lower', ...) gave {got}, expected {expected}"
    got = _steps(_tok().explain_split("xyz", vocab, merges), "explain_split('xyz', ...)")
    assert got == [(b"x", b"y", b"z")], f"no merge applies to 'xyz': expected one step [(b'x', b'y', b'z')], got {got}"


@pytest.mark.graded(points=1, mvu="tokenize", concept="explain_split looks for the lowest rank after every merge",
                    hint="after each merge look again for the lowest-rank pair present: a merge can make a pair whose "
                         "merge comes earlier in the list")
def test_explain_split_lowest_rank_first():
    """Merges [(ab,c), (a,b)]: in "abc" only (a,b) applies at first, which makes (ab,c), whose
    rank 0 is lower: a -> ab,c -> abc, three steps. Going through the merges once in list order
    checks (ab,c) before it exists and stops at ab,c."""
    vocab = _bytes_vocab(b"ab", b"abc")
    got = _steps(_tok().explain_split("abc", vocab, [(b"ab", b"c"), (b"a", b"b")]), "explain_split('abc', ...)")
    expected = [(b"a", b"b", b"c"), (b"ab", b"c"), (b"abc",)]
    if got == expected[:2]:
        fail("explain_split('abc', ...) stopped at (b'ab', b'c'), but the merge (b'ab', b'c') (rank 0) applies "
             "there: were the merges applied once each, in list order?")
    assert got == expected, f"explain_split('abc', ...) gave {got}, expected {expected}"


@pytest.mark.graded(points=1, mvu="tokenize", concept="explain_split merges every occurrence in one step",
                    hint="merge every occurrence of the pair in one step, as merge_pair does")
def test_explain_split_every_occurrence():
    """Merges [(a,n), (an,a), (b,an)]: in "banana" (a,n) occurs twice and both merge in one step:
    b,an,an,a; then (an,a) -> b,an,ana; then (b,an) -> ban,ana. In "aaaa" with [(a,a)] the pair
    merges left to right without overlap: aa,aa (and "aaa" gives aa,a)."""
    tok = _tok()
    vocab = _bytes_vocab(b"an", b"ana", b"ban")
    got = _steps(tok.explain_split("banana", vocab, [(b"a", b"n"), (b"an", b"a"), (b"b", b"an")]),
                 "explain_split('banana', ...)")
    expected = [tuple(bytes([c]) for c in b"banana"), (b"b", b"an", b"an", b"a"), (b"b", b"an", b"ana"),
                (b"ban", b"ana")]
    assert got == expected, f"explain_split('banana', ...) gave {got}, expected {expected}"
    vocab = _bytes_vocab(b"aa")
    for word, last in (("aaaa", (b"aa", b"aa")), ("aaa", (b"aa", b"a"))):
        got = _steps(tok.explain_split(word, vocab, [(b"a", b"a")]), f"explain_split({word!r}, ...)")
        expected = [tuple(b"a" for _ in word), last]
        assert got == expected, f"explain_split({word!r}, vocab, [(b'a', b'a')]) gave {got}, expected {expected}"


@pytest.mark.graded(points=1, mvu="tokenize", concept="explain_split starts from the UTF-8 bytes",
                    hint="the first step is word.encode('utf-8'), one piece per byte, not one piece per character")
def test_explain_split_starts_from_bytes():
    """"é" is the two bytes C3 A9: with the merge (C3, A9) it takes two steps, C3,A9 then é.
    "東" is three bytes with no merge between them: one step of three pieces."""
    vocab = _bytes_vocab("é".encode())
    got = _steps(_tok().explain_split("é", vocab, [(b"\xc3", b"\xa9")]), "explain_split('é', ...)")
    expected = [(b"\xc3", b"\xa9"), (b"\xc3\xa9",)]
    assert got == expected, f"explain_split('é', ...) gave {got}, expected {expected}"
    got = _steps(_tok().explain_split("東", vocab, [(b"\xc3", b"\xa9")]), "explain_split('東', ...)")
    expected = [(b"\xe6", b"\x9d", b"\xb1")]
    assert got == expected, f"explain_split('東', ...) gave {got}, expected {expected}"


SPLIT_WORDS = ["tokenization", " tokenization", " Mississippi", "banana", " naïve", "Grüße", "東京", " 🙂", "\n\n"]


@pytest.mark.graded(points=3, mvu="tokenize", concept="explain_split with GPT-2's files ends in tiktoken's tokens",
                    hint="start from the bytes; at each step merge the lowest-rank pair present, at every place; "
                         "stop when no adjacent pair is a merge")
def test_explain_split_gpt2_matches_tiktoken():
    """With GPT-2's vocabulary and 50,000 merges, for words with and without a leading space and
    with non-ASCII characters: the first step is the UTF-8 bytes; each next step is the step
    before with its lowest-rank pair merged at every place (the grader walks the merges itself);
    the last step's pieces are tiktoken ``gpt2``'s tokens of the word."""
    vocab, merges = assets.gpt2_vocab_and_merges()
    rank = {pair: r for r, pair in reversed(list(enumerate(merges)))}
    enc = assets.tiktoken_encoding("gpt2")
    for word in SPLIT_WORDS:
        steps = _steps(_tok().explain_split(word, vocab, merges), f"explain_split({word!r}, *GPT-2's files)")
        problem, hint = _step_problem(word, steps, rank)
        if problem is not None:
            fail(problem, hint)
        tokens = tuple(enc.decode_single_token_bytes(i) for i in enc.encode_ordinary(word))
        assert steps[-1] == tokens, f"{word!r}: the last step is {steps[-1]}, tiktoken's gpt2 tokens are {tokens}"


@pytest.mark.graded(points=1, mvu="tokenize", concept="explain_split rejects bad input",
                    hint="a word is one non-empty pre-token given as a str; vocab is a dict id -> bytes; every piece "
                         "a merge makes must be in vocab")
def test_explain_split_bad_input():
    split = _tok().explain_split
    vocab, merges = _bytes_vocab(b"hi"), [(b"h", b"i")]
    raises(ValueError, lambda: split("", vocab, merges), "explain_split('', ...) (an empty word)")
    raises(TypeError, lambda: split(b"hi", vocab, merges), "explain_split(b'hi', ...) (bytes, not a str)")
    raises(TypeError, lambda: split(None, vocab, merges), "explain_split(None, ...)")
    raises(ValueError, lambda: split("hi there", vocab, merges),
           "explain_split('hi there', ...) (two pre-tokens, 'hi' and ' there': BPE splits each alone)")
    raises(TypeError, lambda: split("hi", list(vocab.values()), merges),
           "explain_split('hi', a list of tokens, ...) (vocab is a dict id -> bytes)")
    raises(ValueError, lambda: split("hi", _bytes_vocab(), merges),
           "explain_split('hi', the 256 bytes only, [(b'h', b'i')]) (the merge makes b'hi', which is not in vocab)")


# --------------------------------------------------------------------------- encode / decode

@pytest.mark.graded(points=2, mvu="tokenize", concept="encode applies merges by rank",
                    hint="in each pre-token repeatedly merge the adjacent pair that was learned first")
def test_encode_hand_worked():
    """Merges [(b,c), (a,b)]: in "abc" the pair (b,c) has rank 0 and (a,b) rank 1, so (b,c)
    merges first and "abc" becomes a + bc = [97, 256]; a left-to-right greedy encoder would
    give ab + c. " abc abc" is two pre-tokens: [32, 97, 256] twice (no merge crosses the space)."""
    vocab = {i: bytes([i]) for i in range(256)} | {256: b"bc", 257: b"ab"}
    tok = _tok().BPETokenizer(vocab, [(b"b", b"c"), (b"a", b"b")])
    got = _ids(tok.encode("abc"), "encode('abc')")
    assert got == [97, 256], f"encode('abc') gave {got}, expected [97, 256]"
    got = _ids(tok.encode("ab"), "encode('ab')")
    assert got == [257], f"encode('ab') gave {got}, expected [257]"
    got = _ids(tok.encode(" abc abc"), "encode(' abc abc')")
    assert got == [32, 97, 256, 32, 97, 256], f"encode(' abc abc') gave {got}, expected [32, 97, 256] twice"


def _ids(ids, what: str) -> list[int]:
    """The ids as a list of Python ints, or a failure that names the type that came back."""
    __tracebackhide__ = True
    if not isinstance(ids, list) or not all(type(i) is int for i in ids):
        fail(f"{what} returned {describe(ids)}; encode returns a list of Python ints (the docstring's list[int])",
             hint="")
    return ids


def _near(text: str, ids_before, enc) -> str:
    """The text around the position where token number len(ids_before) starts."""
    start = len(enc.decode_bytes(ids_before).decode("utf-8", errors="replace"))
    return f"{text[max(0, start - 25):start]!r} | {text[start:start + 25]!r}"


def _real_texts():
    lee = assets.lee_corpus()
    return {"lee-article-0": lee[0], "lee-article-57": lee[57], "lee-article-299": lee[299],
            "lee-first-20k-chars": "\n\n".join(lee)[:20000], "mixed-scripts-emoji": MIXED,
            "spaces-and-digits": "  x = 12345.678   y\t\t=\n\n\n 3*(4+5)  ", "contractions": "I'll've it's we'RE"}


@pytest.mark.graded(points=4, mvu="tokenize", concept="GPT-2 ids equal tiktoken's on real texts",
                    hint="pre-tokenize with GPT2_PATTERN, then merge the pair with the earliest merge until none "
                         "applies")
@pytest.mark.parametrize("name", ["lee-article-0", "lee-article-57", "lee-article-299", "lee-first-20k-chars",
                                  "mixed-scripts-emoji", "spaces-and-digits", "contractions"])
def test_encode_matches_tiktoken_gpt2(name):
    text = _real_texts()[name]
    enc = assets.tiktoken_encoding("gpt2")
    expected = enc.encode_ordinary(text)
    got = _ids(_gpt2_tokenizer().encode(text), f"encode of {name}")
    _compare_ids(got, expected, text, enc, name)


ENCODE_HINT = "pre-tokenize with GPT2_PATTERN, then merge the pair with the earliest merge until none applies"


def _compare_ids(got, expected, text, enc, name, hint: str | None = ENCODE_HINT):
    """The first differing id, what both ids stand for, and the text where it happens (``hint``:
    the hint for a difference; None keeps the test's own)."""
    __tracebackhide__ = True
    i = _first_id_difference(got, expected)
    if i is not None:
        g, e = got[i], expected[i]
        g_bytes = enc.decode_single_token_bytes(g) if 0 <= g < enc.n_vocab else "not an id"
        fail(f"{name}: token #{i} is id {g} ({g_bytes!r}), tiktoken gives {e} "
             f"({enc.decode_single_token_bytes(e)!r}); the text there: {_near(text, expected[:i], enc)}",
             hint=hint)
    assert len(got) == len(expected), f"{name}: {len(got)} ids, tiktoken gives {len(expected)}"


def _first_id_difference(got: list[int], expected: list[int]) -> int | None:
    """Where two lists of ids first differ (None: they agree as far as the shorter one goes)."""
    return next((i for i, (g, e) in enumerate(zip(got, expected)) if g != e), None)


@pytest.mark.graded(points=1, mvu="tokenize", concept="GPT-2 ids equal tiktoken's on fixture texts",
                    hint="the same encoder must work on any text, including German and a speech")
@pytest.mark.parametrize("fixture", ["address.txt", "german.txt", "tinystories_sample.txt"])
def test_encode_matches_tiktoken_on_fixtures(fixture):
    text = _fixture_text(fixture)
    enc = assets.tiktoken_encoding("gpt2")
    expected = enc.encode(text, allowed_special={EOT})
    got = _ids(_gpt2_tokenizer().encode(text), f"encode of {fixture}")
    _compare_ids(got, expected, text, enc, fixture)


@pytest.mark.graded(points=2, mvu="tokenize", concept="decode(encode(text)) == text",
                    hint="decode joins the ids' bytes and reads them as UTF-8")
@pytest.mark.parametrize("text", ["", "a", "🙂", MIXED, "__lee__"], ids=["empty", "one-char", "emoji", "mixed", "lee"])
def test_roundtrip(text):
    """Byte-level BPE has no unknown token: any text survives the round trip, with GPT-2's
    vocabulary and with a small vocabulary trained on 3,000 characters of news."""
    text = assets.lee_corpus()[3] if text == "__lee__" else text
    tok = _tok()
    vocab, merges = tok.train_bpe(_lee_slice(), 256 + 40)
    for name, t in (("gpt2", _gpt2_tokenizer()), ("trained", tok.BPETokenizer(vocab, merges))):
        ids = _ids(t.encode(text), f"{name}: encode({text[:20]!r})")
        back = t.decode(ids)
        assert back == text, f"{name}: round trip changed the text: {text[:40]!r} -> {back[:40]!r}"


@pytest.mark.graded(points=2, mvu="tokenize", concept="special tokens are never split",
                    hint="cut the text at special tokens before pre-tokenizing; each becomes its own id")
def test_encode_special_tokens():
    """With <|endoftext|> declared special, GPT-2 gives it id 50256 whole; tiktoken agrees."""
    text = f"The end.{EOT}Once upon a time{EOT}{EOT} there"
    expected = assets.tiktoken_encoding("gpt2").encode(text, allowed_special={EOT})
    got = _ids(_gpt2_tokenizer().encode(text), "encode of a text with <|endoftext|>")
    assert got.count(50256) == 3, f"<|endoftext|> should be id 50256 three times, found {got.count(50256)}: {got}"
    assert got == expected, f"ids {got} differ from tiktoken's {expected}"
    tok = _tok()
    vocab, merges = tok.train_bpe(_lee_slice(1000) + EOT + _lee_slice(1000), 256 + 1 + 10, special_tokens=[EOT])
    t = tok.BPETokenizer(vocab, merges, special_tokens=[EOT])
    ids = _ids(t.encode(f"a{EOT}b"), "encode('a<|endoftext|>b')")
    assert ids == [97, 256, 98], f"encode('a<|endoftext|>b') gave {ids}, expected [97, 256, 98]"


@pytest.mark.graded(points=1, mvu="tokenize", concept="invalid UTF-8 is replaced, not raised",
                    hint="bytes that are not valid UTF-8 become the replacement character U+FFFD instead of an error")
def test_decode_invalid_utf8():
    """"€" is the three bytes E2 82 AC; the first two alone are not UTF-8 and decode to one
    replacement character U+FFFD. A lone continuation byte 0x80 also becomes U+FFFD."""
    t = _tok().BPETokenizer({i: bytes([i]) for i in range(256)}, [])
    assert t.decode([0xE2, 0x82]) == "\ufffd", f"decode([0xE2, 0x82]) gave {t.decode([0xE2, 0x82])!r}"
    assert t.decode([104, 0x80, 105]) == "h\ufffdi", f"decode([104, 0x80, 105]) gave {t.decode([104, 0x80, 105])!r}"
    assert t.decode([]) == "", "decode([]) should be ''"


@pytest.mark.graded(points=1, mvu="tokenize", concept="encode and decode reject bad input",
                    hint="a text that is not a str is a TypeError; an id outside the vocabulary is a ValueError")
def test_tokenizer_bad_input():
    t = _gpt2_tokenizer()
    raises(TypeError, lambda: t.encode(b"bytes are not text"), "encode(b'bytes are not text')")
    raises(TypeError, lambda: t.encode(None), "encode(None)")
    raises(ValueError, lambda: t.decode([50257]), "decode([50257]) (GPT-2's ids end at 50256)")
    raises(ValueError, lambda: t.decode([-1]), "decode([-1])")


# --------------------------------------------------------------------------- encode_iterable

def _chunks(text: str, size: int) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)]


ITERABLE_CASES = {  # name -> the items given to encode_iterable (joined, they are the text encoded)
    "lines of 'a\\n\\n\\nb'": lambda: ["a\n", "\n", "\n", "b"],
    "lines of three articles with blank lines between":
        lambda: "\n\n\n".join(assets.lee_corpus()[:3]).splitlines(keepends=True),
    "lines of tinystories_sample.txt (with <|endoftext|>)":
        lambda: _fixture_text("tinystories_sample.txt").splitlines(keepends=True),
    "lines of spaces and digits": lambda: "  x = 12345.678   y\t\t=\n\n\n 3*(4+5)  \n  \n".splitlines(keepends=True),
    "'x a\\n\\nb c' then '\\n'": lambda: ["x a\n\nb c", "\n"],  # "\n", "\n" inside one item; never "\n\n"
    "contractions, 3 characters at a time": lambda: _chunks("I'll've it's we'RE you'll they'd", 3),
    "mixed scripts, one character at a time": lambda: list(MIXED + EOT + "the end\n\n" + EOT),
}


@pytest.mark.graded(points=1, mvu="tokenize", concept="encode_iterable gives the ids of the joined text",
                    hint="hold back the last two pre-tokens of the buffer (and the start of a special token) for the "
                         "next line; encode each pre-token you yield on its own")
@pytest.mark.parametrize("case", list(ITERABLE_CASES))
def test_encode_iterable_matches_encode(case):
    """The items, joined, encoded by tiktoken ``gpt2`` (special tokens allowed), are the expected
    ids; your GPT-2 ``BPETokenizer.encode_iterable`` must yield exactly those. Encoding each item
    alone gives other ids wherever a pre-token runs across two items ("\\n" + "\\n" is one token,
    "\\n\\n"; "'l" + "l" makes "'ll")."""
    items = ITERABLE_CASES[case]()
    text = "".join(items)
    enc = assets.tiktoken_encoding("gpt2")
    expected = enc.encode(text, allowed_special={EOT})
    tok = _gpt2_tokenizer()
    result = tok.encode_iterable(iter(items))
    if isinstance(result, (list, tuple)):
        fail(f"encode_iterable returned {describe(result)}; it must be a generator that yields ids as it reads "
             "(use yield)", hint="")
    got = _ids(list(result), f"encode_iterable on {case}")
    if got != expected and got == [i for item in items for i in tok.encode(item)]:
        fail(f"{case}: these are the ids of each item encoded alone, not of the joined text "
             f"({len(got)} ids, tiktoken gives {len(expected)})",
             hint="a pre-token can run across two lines: keep the last two pre-tokens for the next line")
    _compare_ids(got, expected, text, enc, f"encode_iterable on {case}", hint=None)


class _ReadTooFar(Exception):
    """The endless source of lines below was read further ahead than a lazy encoder needs."""


class _EndlessLines:
    """An endless iterator of lines that counts how many were read and refuses to give more than ``limit``."""

    def __init__(self, limit: int):
        self.read, self.limit = 0, limit

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.read >= self.limit:
            raise _ReadTooFar(f"read {self.read} lines")
        self.read += 1
        return f"Line {self.read} of a stream that never ends.\n"


@pytest.mark.graded(points=1, mvu="tokenize", concept="encode_iterable is lazy",
                    hint="a generator: for line in lines: ... yield; never join or list all the lines first")
def test_encode_iterable_is_lazy():
    """A byte-level tokenizer with no merges: each id is one byte, so the ids of the first 10
    lines are their bytes. Reading an endless source, encode_iterable must yield those ids after
    reading only a line or two more (it holds back the last pre-tokens), never the whole source."""
    tok = _tok().BPETokenizer(_bytes_vocab(), [])
    source = _EndlessLines(limit=200)
    first_lines = "".join(f"Line {n} of a stream that never ends.\n" for n in range(1, 11))
    try:
        result = tok.encode_iterable(source)
        got = list(itertools.islice(result, len(first_lines.encode())))
    except _ReadTooFar:
        fail(f"encode_iterable read {source.limit} lines of an endless source without yielding the ids of the "
             "first ten: it must yield while it reads, not after reading everything")
    if iter(result) is not result:
        fail(f"encode_iterable returned {describe(result)}, which is not an iterator: make it a generator (yield)")
    assert got == list(first_lines.encode()), "the first ids of the endless source are not the bytes of its first lines"
    assert source.read <= 13, (f"to yield the ids of the first 10 lines encode_iterable read {source.read} lines; "
                               "it should read only a line or two ahead")


# --------------------------------------------------------------------------- save / from_files (provided)

def _trained_tokenizer(n_merges: int = 60):
    tok = _tok()
    vocab, merges = tok.train_bpe(_lee_slice(), 256 + 1 + n_merges, special_tokens=[EOT])
    return tok.BPETokenizer(vocab, merges, special_tokens=[EOT])


SAVE_TEXTS = {"lee-article-3": "__lee__", "mixed-scripts-emoji": MIXED, "blank-lines": "a\n\n\nb",
              "spaces-and-digits": "  x = 12345.678   y\t\t=\n\n\n 3*(4+5)  ", "contractions": "I'll've it's we'RE",
              "special-token": f"The end.{EOT}Once upon a time{EOT}"}


def _save_text(name: str) -> str:
    return assets.lee_corpus()[3] if SAVE_TEXTS[name] == "__lee__" else SAVE_TEXTS[name]


def _save(tokenizer, folder):
    """``tokenizer.save(folder)``, or a failure saying what the provided save() needs from __init__."""
    __tracebackhide__ = True
    try:
        return tokenizer.save(folder)
    except AttributeError as err:
        fail(f"the provided save() cannot read your tokenizer: {err}",
             hint="keep vocab, merges and special_tokens as attributes in __init__: save() reads self.vocab and "
                  "self.merges")


@pytest.mark.graded(points=1, mvu="tokenize", concept="save and from_files give back the same tokenizer",
                    hint="the provided save() writes self.vocab and self.merges: keep them in __init__ as given")
def test_save_and_from_files_round_trip(tmp_path):
    """A tokenizer trained on news, saved and read back with from_files, gives the same ids; the
    GPT-2 tokenizer saved writes GPT-2's own encoder.json and vocab.bpe byte for byte, and
    from_files on GPT-2's own files gives tiktoken's ids."""
    tok = _tok()
    trained = _trained_tokenizer()
    paths = _save(trained, tmp_path / "trained")
    again = tok.BPETokenizer.from_files(tmp_path / "trained" / "vocab.json", tmp_path / "trained" / "merges.txt",
                                        special_tokens=[EOT])
    for name in SAVE_TEXTS:
        text = _save_text(name)
        before, after = trained.encode(text), again.encode(text)
        assert before == after, f"{name}: ids change after save and from_files: {before[:12]} -> {after[:12]}"
    assert [p.name for p in paths] == ["vocab.json", "merges.txt"], f"save returned {paths}"
    gpt2_files = assets.gpt2_bpe_files()
    saved = _save(_gpt2_tokenizer(), tmp_path / "gpt2")
    for mine, theirs in zip(saved, gpt2_files):
        assert mine.read_bytes() == theirs.read_bytes(), \
            f"save of GPT-2's tokenizer: {mine.name} differs from GPT-2's {theirs.name} (does __init__ keep " \
            "self.vocab and self.merges as given?)"
    text = _save_text("lee-article-3") + EOT + MIXED
    got = _ids(tok.BPETokenizer.from_files(*gpt2_files, special_tokens=[EOT]).encode(text), "from_files(GPT-2)")
    enc = assets.tiktoken_encoding("gpt2")
    _compare_ids(got, enc.encode(text, allowed_special={EOT}), text, enc, "from_files(GPT-2's files)")


def _hf_tokenizer(vocab_path, merges_path, special_tokens=()):
    """Hugging Face ``tokenizers``: a BPE model read from the two files, GPT-2's byte-level pre-tokenizer, decoder."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    hf = Tokenizer(models.BPE.from_file(str(vocab_path), str(merges_path)))
    hf.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    hf.decoder = decoders.ByteLevel()
    hf.add_special_tokens(list(special_tokens))
    return hf


@functools.cache
def _hf_reproduces_tiktoken() -> bool:
    """The grader's own check that the reference is sound: loaded this way, GPT-2's files give tiktoken's ids."""
    hf = _hf_tokenizer(*assets.gpt2_bpe_files(), special_tokens=[EOT])
    enc = assets.tiktoken_encoding("gpt2")
    return all(hf.encode(_save_text(n)).ids == enc.encode(_save_text(n), allowed_special={EOT}) for n in SAVE_TEXTS)


@pytest.mark.graded(points=2, mvu="tokenize", concept="Hugging Face tokenizers reads your files and agrees",
                    hint="encode must merge, in each pre-token, the pair with the lowest rank until none applies")
def test_saved_files_give_hf_tokenizers_ids(tmp_path):
    """Your tokenizer trained on news, saved in GPT-2's format, loaded by Hugging Face ``tokenizers``
    (``models.BPE.from_file`` with the ``ByteLevel`` pre-tokenizer, the way GPT-2 is loaded): its
    ids are the reference for your ``encode`` on varied texts. (Loaded the same way, GPT-2's own
    files give exactly tiktoken's ids; the grader checks that first.)"""
    assert _hf_reproduces_tiktoken(), "grader check failed: tokenizers no longer reproduces tiktoken on GPT-2's files"
    trained = _trained_tokenizer()
    hf = _hf_tokenizer(*_save(trained, tmp_path), special_tokens=[EOT])
    vocab = trained.vocab
    for name in SAVE_TEXTS:
        text = _save_text(name)
        expected = hf.encode(text).ids
        got = _ids(trained.encode(text), f"encode of {name}")
        i = _first_id_difference(got, expected)
        if i is not None:
            fail(f"{name}: token #{i} is id {got[i]} ({vocab.get(got[i])!r}), Hugging Face tokenizers gives "
                 f"{expected[i]} ({vocab.get(expected[i])!r}) with the same vocabulary and merges")
        assert len(got) == len(expected), f"{name}: {len(got)} ids, Hugging Face tokenizers gives {len(expected)}"


# --------------------------------------------------------------------------- speed, as the docstrings state it
# Last in the chapter: a function stopped by its time limit fails every later test that reaches it,
# and the tests above have graded what it computes.

@pytest.mark.graded(points=2, mvu="tokenize", concept="train_bpe counts over distinct pre-tokens (speed)",
                    hint="count pairs over the table of distinct pre-tokens and their counts, not every occurrence")
def test_train_bpe_is_fast_on_a_repeated_text():
    """corpus.en twenty times over, the copies joined by <|endoftext|> (2.7 million characters).
    Every pair count is twenty times one copy's, so the merges are the published reference's.
    Counting over the distinct pre-tokens costs about what one copy costs (the reference: under a
    second); counting over every occurrence twenty times that (measured: 19 s for one copy)."""
    text = EOT.join([_fixture_text("corpus.en")] * 20)
    _, merges = _tok().train_bpe(text, 500, special_tokens=[EOT])
    problem, hint = _first_merge_difference([tuple(m) for m in merges], _fixture_merges(), text, (EOT,))
    if problem is not None:
        fail(problem, hint)


def _made_up_words(n: int, seed: int = 2024) -> list[str]:
    """``n`` different lowercase words of 5 to 10 letters, the same on every run."""
    rng = random.Random(seed)
    words: dict[str, None] = {}
    while len(words) < n:
        words["".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 10)))] = None
    return list(words)


@pytest.mark.graded(points=2, mvu="tokenize", concept="encode looks up each pair's rank (speed)",
                    hint="make a dict from pair to rank once; in a pre-token, merge the pair of lowest rank")
def test_encode_is_fast_on_many_different_words():
    """40,000 different made-up words: every pre-token is new, so no cache helps. Looking up the
    rank of each adjacent pair encodes them in about a second (the reference: under one); going
    through GPT-2's 50,000 merges for each pre-token takes milliseconds per word, minutes in all."""
    text = " ".join(_made_up_words(40_000))
    enc = assets.tiktoken_encoding("gpt2")
    got = _ids(_gpt2_tokenizer().encode(text), "encode of 40,000 made-up words")
    _compare_ids(got, enc.encode_ordinary(text), text, enc, "40,000 made-up words")
