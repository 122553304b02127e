"""The tokenizer playground: its JavaScript, run under Node on exactly the data the page embeds,
gives the same ids as the Python tokenizers — tiktoken (gpt2, cl100k_base, o200k_base), the
``tokenizers`` BERT WordPiece, and the reference BPETokenizer for the article's trained BPE at
several points of the merge slider — on texts with emoji, other scripts, digits and odd spacing.
Also: the rewritten (possessive-free) regexes split exactly like tiktoken's; the "How this word
splits" panel's steps are the reference ``explain_split``'s; the page is self-contained. The
JavaScript runs under Node (tests/js/tokenizer_playground.mjs)."""
from __future__ import annotations

import functools
import re

import pytest
import regex
from node_runner import node, run_node

from demos import tokenizer_playground as tp
from solutions import tokenization as tk
from tokemb import assets

TEXTS = [
    "",
    "a",
    "Hello world! It's 2024, isn't it? I'LL see y'all.",
    "tokenization tokenization-aware",
    "naïve café — Grüße, 東京 こんにちは, Привет мир, مرحبا, नमस्ते, Ελληνικά, 한국어",
    "🙂👍🏽🎉 👨‍👩‍👧 emoji + ZWJ",
    "  leading spaces,\ttabs\t\tand\n\nnewlines \n  \r\n end  ",
    "1234567 3.14159 2024+1999=4023 $1,000,000.00 0x1F",
    "def f(x):\n    return x**2  # comment\n",
    "ǅemo ÀÉÎ ﬁ ß ſ K Å İstanbul ΣΊΣΥΦΟΣ",
    "<|endoftext|> <b>tags</b> a/b/c ... --- !!!",
    "\u00a0non-breaking\u2003em space\u200bzero width\ufeffbom",
    # the page's WordPiece remembers chunks between spaces and newlines: marks and CJK at their edges
    "e\u0301 \u0301x\n\u0301y \u00a0z 東京 東\n京\r\nA\u030a",
    # long pieces (a pasted number, a word without spaces, a run of emoji) take the heap path
    "31415926535" * 60 + " " + "abcdefghij" * 40 + " " + "🙂" * 100 + " " + "x" * 200,
]
TRAINED_STEPS = [0, 1, 10, 137, 500, tp.N_MERGES]

@functools.cache
def _js_results() -> dict:
    if not node():
        pytest.skip("node is not installed: the demo's JavaScript cannot be checked here")
    return run_node("tokenizer_playground.mjs", tp.JS_PATH, tp.demo_data(),
                    {"texts": TEXTS, "steps": TRAINED_STEPS, "show": _show_ids(), "invisible": INVISIBLE})


@pytest.mark.parametrize("name", assets.TIKTOKEN_NAMES)
def test_js_regex_splits_like_tiktoken(name):
    """JavaScript has no possessive quantifiers or (?i:...); the rewritten patterns must agree."""
    pattern = regex.compile(assets.tiktoken_encoding(name)._pat_str)
    for text, got in zip(TEXTS, _js_results()["pre"][name]):
        assert got == pattern.findall(text), f"{name} pre-tokens differ on {text!r}"


@pytest.mark.parametrize("name", assets.TIKTOKEN_NAMES)
def test_js_ids_equal_tiktoken(name):
    enc = assets.tiktoken_encoding(name)
    for text, got in zip(TEXTS, _js_results()["ids"][name]):
        assert got == enc.encode_ordinary(text), f"{name} ids differ on {text!r}"


def test_js_wordpiece_equals_tokenizers():
    bert = assets.wordpiece()
    for text, got in zip(TEXTS, _js_results()["ids"]["bert"]):
        assert got == bert.encode(text, add_special_tokens=False).ids, f"BERT ids differ on {text!r}"


@pytest.mark.parametrize("k", TRAINED_STEPS)
def test_js_trained_bpe_equals_reference(k):
    vocab, merges = tp.trained_bpe()
    tok = tk.BPETokenizer(vocab, merges[:k])
    for text, got in zip(TEXTS, _js_results()["trained"][str(k)]):
        assert got == tok.encode(text), f"trained BPE with {k} merges differs on {text!r}"


# ------------------------------------------------------------------ "How this word splits"
# Pre-tokens (explain_split takes one): hand-picked cases, then every distinct pre-token of TEXTS
# and of two Lee corpus articles. A pair repeated in a word (banana, 1111, !!!!) tells "every
# occurrence" from "the first"; multi-byte characters make byte-level partial-character pieces.
EXPLAIN_WORDS = [
    "tokenization", " tokenization", "-", "aware", " government", "government", " Australian",
    "banana", " Mississippi", "aaaaaaa", " 11111111", "1234567", " 2024", "!!!!!!", "...", "'s", "'ll",
    " naïve", " café", "Grüße", " Ångström", "東京", " こんにちは", "한국어", " Привет", "مرحبا", " नमस",
    "🙂", "🙂🙂🙂", " 👍🏽", "👨\u200d👩\u200d👧", "🏳️\u200d🌈", "\u200b", "   ", "\t\t", "\n\n", " a",
]
EXPLAIN_STEPS = [0, 10, 137, tp.N_MERGES]  # the trained BPE with its first k merges (the slider)


# The quick tier checks the hand-picked words; the full suite every pre-token as well (explain_split
# ranks GPT-2's 50,000 merges for each word: about 10 s for all of them).
WORD_SETS = [pytest.param("every-pre-token", marks=pytest.mark.slow), "hand-picked"]


@functools.cache
def _explain_words(word_set: str = "every-pre-token") -> list[str]:
    words = dict.fromkeys(EXPLAIN_WORDS)
    if word_set == "every-pre-token":
        for text in [*TEXTS, *assets.lee_corpus()[:2]]:
            words.update(dict.fromkeys(tk.pretokenize(text)))
    return list(words)


@functools.cache
def _js_explained(word_set: str) -> dict:
    if not node():
        pytest.skip("node is not installed: the demo's JavaScript cannot be checked here")
    return run_node("tokenizer_playground.mjs", tp.JS_PATH, tp.demo_data(),
                    {"explain": _explain_words(word_set), "steps": EXPLAIN_STEPS})


def _made_by(steps, rank) -> list:
    """The rank of the merge between each step and the next: the pair at the first place they differ."""
    ranks = [None]
    for before, after in zip(steps, steps[1:]):
        i = next(i for i, (a, b) in enumerate(zip(before, after)) if a != b)
        ranks.append(rank[before[i], before[i + 1]])
    return ranks


def _check_explained(js, vocab, merges, what, word_set):
    words = _explain_words(word_set)
    assert len(js) == len(words) >= (300 if word_set == "every-pre-token" else len(EXPLAIN_WORDS)), \
        f"{len(js)} words explained"
    rank = {}
    for r, pair in enumerate(merges):
        rank.setdefault(pair, r)
    for word, got in zip(words, js):
        assert tk.pretokenize(word) == [word], f"{word!r} is not one pre-token: the test's word list is wrong"
        expected = tk.explain_split(word, vocab, merges)
        steps = [tuple(bytes.fromhex(h) for h in pieces) for _, pieces in got]
        assert steps == expected, f"{what}: the steps for {word!r} differ: JS {steps}, explain_split {expected}"
        assert [r for r, _ in got] == _made_by(expected, rank), f"{what}: the ranks named for {word!r} differ"


@pytest.mark.parametrize("word_set", WORD_SETS)
def test_js_explain_split_equals_reference_on_gpt2(word_set):
    """GPT-2's steps, with GPT-2's own merges (the page has only tiktoken's ranks), and the last
    step is tiktoken's tokens for the word."""
    vocab, merges = assets.gpt2_vocab_and_merges()
    js = _js_explained(word_set)["gpt2"]
    _check_explained(js, vocab, merges, "GPT-2", word_set)
    enc = assets.tiktoken_encoding("gpt2")
    for word, got in zip(_explain_words(word_set), js):
        tokens = [enc.decode_single_token_bytes(i) for i in enc.encode_ordinary(word)]
        assert [bytes.fromhex(h) for h in got[-1][1]] == tokens, f"the last step for {word!r} is not tiktoken's tokens"


@pytest.mark.parametrize("word_set", WORD_SETS)
@pytest.mark.parametrize("k", EXPLAIN_STEPS)
def test_js_explain_split_equals_reference_on_trained_bpe(k, word_set):
    vocab, merges = tp.trained_bpe()
    js = _js_explained(word_set)["trained"][str(k)]
    _check_explained(js, vocab, merges[:k], f"trained BPE with {k} merges", word_set)
    if k == tp.N_MERGES:
        tok = tk.BPETokenizer(vocab, merges)
        for word, got in zip(_explain_words(word_set), js):
            assert [bytes.fromhex(h) for h in got[-1][1]] == [vocab[i] for i in tok.encode(word)], word


def test_explained_word_is_one_pre_token():
    """The panel explains one pre-token: empty text asks for a word, several words explain the
    first and say so, a word too long to replay says so; never an error."""
    long = "7" * (tp.explain_max_bytes() + 1)
    cases = ["", " tokenization", "tokenization-aware", "Hello world", long, "ok " + long]
    chosen = run_node("tokenizer_playground.mjs", tp.JS_PATH, tp.demo_data(), {"explain": cases, "steps": []})["chosen"]
    assert chosen[0]["word"] is None and "Type a word" in chosen[0]["note"]
    assert chosen[1] == {"word": " tokenization", "note": ""}
    assert chosen[2]["word"] == "tokenization" and "3 pre-tokens" in chosen[2]["note"] and "first" in chosen[2]["note"]
    assert chosen[3]["word"] == "Hello" and "2 pre-tokens" in chosen[3]["note"]
    assert chosen[4]["word"] is None and f"{len(long)} bytes" in chosen[4]["note"]
    assert chosen[5]["word"] == "ok" and "2 pre-tokens" in chosen[5]["note"]


INVISIBLE = ["\u200d", "\ufe0f", "a b\n", "\u2066", "<&>"]


def test_invisible_characters_are_named():
    """A token that draws nothing (the ZWJ of an emoji family is o200k_base token 2524) is shown
    by name, never as an empty box; spaces and newlines by symbols; markup is escaped."""
    o200k = assets.tiktoken_encoding("o200k_base")
    zwj_ids = [i for i in o200k.encode_ordinary("👨\u200d👩\u200d👧")
               if o200k.decode_single_token_bytes(i) == "\u200d".encode()]
    assert zwj_ids, "o200k_base no longer has a token that is the ZWJ alone: pick another invisible token"
    shown = _js_results()["shown"]
    assert [re.sub(r"<[^>]+>", "", s) for s in shown] == ["ZWJ", "VS16", "a␣b↵", "U+2066", "&lt;&amp;&gt;"]
    assert all('class="tp-inv"' in s for s in shown[:2] + shown[3:4])


def _show_ids() -> list[int]:
    return assets.tiktoken_encoding("gpt2").encode_ordinary(" world🙂")


def test_labels_and_token_text():
    """A whole-character token shows as text; a token holding part of a character as \\xNN escapes."""
    out = _js_results()
    assert out["label"] == 'merge #0: " " + "t" → " t"'
    gpt2 = assets.tiktoken_encoding("gpt2")
    expected = []
    for i in _show_ids():
        b = gpt2.decode_single_token_bytes(i)
        try:
            expected.append(b.decode("utf-8"))
        except UnicodeDecodeError:
            expected.append("".join(chr(x) if x < 128 else f"\\x{x:02X}" for x in b))
    assert out["text"] == expected and out["text"][0] == " world"


def test_page_is_self_contained():
    html = tp.page_html()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "the page must not load anything remote"
    assert "fetch(" not in html
    for label_for in ("tp-input", "tp-slider", "tp-word"):
        assert f'for="{label_for}"' in html and f'id="{label_for}"' in html
    assert len(html.encode()) < 3_000_000, f"page is {len(html.encode()) / 1e6:.2f} MB"
