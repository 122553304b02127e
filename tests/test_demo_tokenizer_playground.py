"""The tokenizer playground: its JavaScript, run under Node on exactly the data the page embeds,
gives the same ids as the Python tokenizers — tiktoken (gpt2, cl100k_base, o200k_base), the
``tokenizers`` BERT WordPiece, and the reference BPETokenizer for the article's trained BPE at
several points of the merge slider — on texts with emoji, other scripts, digits and odd spacing.
Also: the rewritten (possessive-free) regexes split exactly like tiktoken's, and the page is
self-contained."""
from __future__ import annotations

import functools
import re

import pytest
import regex

from solutions import tokenization as tk
from tokemb import assets
from demos import node, run_node
from demos import tokenizer_playground as tp


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
    # long pieces (a pasted number, a word without spaces, a run of emoji) take the heap path
    "31415926535" * 60 + " " + "abcdefghij" * 40 + " " + "🙂" * 100 + " " + "x" * 200,
]
TRAINED_STEPS = [0, 1, 10, 137, 500, tp.N_MERGES]

RUNNER = """
const tp = require(process.argv[2]);
const fs = require("fs");
(async () => {
  const data = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
  const cases = JSON.parse(fs.readFileSync(process.argv[4], "utf8"));
  const toks = await tp.loadTokenizers(data);
  const out = { pre: {}, ids: {}, trained: {}, ms: 0 };
  for (const name of ["gpt2", "cl100k_base", "o200k_base"]) {
    out.pre[name] = cases.texts.map((t) => tp.pretokenize(tp.PATTERNS[name], t));
  }
  const t0 = process.hrtime.bigint();
  for (const name of ["gpt2", "cl100k_base", "o200k_base", "bert"]) out.ids[name] = cases.texts.map((t) => toks[name].encode(t));
  out.ms = Number(process.hrtime.bigint() - t0) / 1e6;
  for (const k of cases.steps) {
    toks.trained.setMerges(k);
    out.trained[k] = cases.texts.map((t) => toks.trained.encode(t));
  }
  out.label = tp.mergeLabel(toks.trained, 1);
  out.shown = cases.invisible.map((s) => tp.displayHtml(s));
  out.text = cases.show.map((id) => tp.tokenText(toks.gpt2, id));
  process.stdout.write(JSON.stringify(out));
})().catch((err) => { console.error(err); process.exit(1); });
"""


@functools.cache
def _js_results() -> dict:
    if not node():
        pytest.skip("node is not installed: the demo's JavaScript cannot be checked here")
    return run_node(RUNNER, tp.JS_PATH, tp.demo_data(),
                    {"texts": TEXTS, "steps": TRAINED_STEPS, "show": _show_ids(), "invisible": INVISIBLE})


@pytest.mark.parametrize("name", ["gpt2", "cl100k_base", "o200k_base"])
def test_js_regex_splits_like_tiktoken(name):
    """JavaScript has no possessive quantifiers or (?i:...); the rewritten patterns must agree."""
    pattern = regex.compile(assets.tiktoken_encoding(name)._pat_str)
    for text, got in zip(TEXTS, _js_results()["pre"][name]):
        assert got == pattern.findall(text), f"{name} pre-tokens differ on {text!r}"


@pytest.mark.parametrize("name", ["gpt2", "cl100k_base", "o200k_base"])
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


def test_trained_bpe_is_the_articles():
    """The page replays the same 1,000 merges the article trains (same corpus, same call)."""
    vocab, merges = tk.train_bpe("\n".join(assets.lee_corpus()), 256 + tp.N_MERGES)
    assert merges == tp.trained_bpe()[1]


INVISIBLE = ["\u200d", "\ufe0f", "a b\n", "\u2066", "<&>"]


def test_invisible_characters_are_named():
    """A token that draws nothing (the ZWJ of an emoji family is o200k_base token 2524) is shown
    by name, never as an empty box; spaces and newlines by symbols; markup is escaped."""
    o200k = assets.tiktoken_encoding("o200k_base")
    zwj_ids = [i for i in o200k.encode_ordinary("👨\u200d👩\u200d👧") if o200k.decode_single_token_bytes(i) == "\u200d".encode()]
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
    for label_for in ("tp-input", "tp-slider"):
        assert f'for="{label_for}"' in html and f'id="{label_for}"' in html
    assert len(html.encode()) < 3_000_000, f"page is {len(html.encode()) / 1e6:.2f} MB"
