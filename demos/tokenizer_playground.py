"""Data and HTML for the tokenizer-playground demo page (``book/demo_tokenizer_playground.md``).

The page carries its own vocabularies so that it works offline and from disk:

- GPT-2, cl100k_base and o200k_base: tiktoken's rank tables (token bytes in rank order, each
  prefixed by its length), gzipped and base64-encoded; the browser unpacks them with
  ``DecompressionStream("gzip")``;
- BERT's uncased WordPiece vocabulary (30,522 entries, one per line), gzipped the same way;
- the BPE of the Tokenization article: ``train_bpe`` on the Lee corpus with ``N_MERGES`` merges,
  as a list of [left id, right id] (merge k makes id 256 + k).

The JavaScript in ``tokenizer_playground.js`` tokenizes; ``tests/test_demo_tokenizer_playground.py``
checks it against tiktoken, the ``tokenizers`` WordPiece and the reference ``BPETokenizer``.

>>> data = demo_data()
>>> len(data["trained_merges"]) == N_MERGES, data["trained_merges"][0]   # ' ' + 't'
(True, [32, 116])
"""
from __future__ import annotations

import base64
import functools
import gzip
import json
import re
from pathlib import Path

from tokemb import assets

JS_PATH = Path(__file__).with_name("tokenizer_playground.js")
N_MERGES = 1000
TIKTOKEN_NAMES = ("gpt2", "cl100k_base", "o200k_base")


def _js_constant(name: str) -> int:
    return int(re.search(rf"^const {name} = (\d+);", JS_PATH.read_text(encoding="utf-8"), re.M).group(1))


def rows_shown() -> int:
    """How many tokens a row draws before its "Show all" button (``SHOWN`` in the script)."""
    return _js_constant("SHOWN")


def explain_max_bytes() -> int:
    """The longest word (in UTF-8 bytes) whose steps "How this word splits" shows (``EXPLAIN_MAX_BYTES``)."""
    return _js_constant("EXPLAIN_MAX_BYTES")


def _gz64(raw: bytes) -> str:
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


@functools.cache
def lee_text() -> str:
    """The article's training corpus: the 300 Lee corpus articles, one per line."""
    return "\n".join(assets.lee_corpus())


@functools.cache
def trained_bpe() -> tuple[dict, list]:
    """(vocab, merges) of the reference ``train_bpe`` on :func:`lee_text` with N_MERGES merges."""
    from solutions import tokenization as tk

    return tk.train_bpe(lee_text(), 256 + N_MERGES)


def _ranks_blob(name: str) -> str:
    ranks = assets.tiktoken_encoding(name)._mergeable_ranks  # bytes -> rank (= id), ranks 0..n-1
    ordered = sorted(ranks, key=ranks.get)
    assert [ranks[t] for t in ordered] == list(range(len(ordered))) and max(map(len, ordered)) < 256
    return _gz64(b"".join(bytes([len(t)]) + t for t in ordered))


@functools.cache
def demo_data() -> dict:
    """Everything the page embeds (see the module docstring)."""
    vocab, merges = trained_bpe()
    id_of = {token: i for i, token in vocab.items()}
    wp = assets.wordpiece().get_vocab()
    return {
        **{name: _ranks_blob(name) for name in TIKTOKEN_NAMES},
        "bert": _gz64("\n".join(sorted(wp, key=wp.get)).encode("utf-8")),
        "trained_merges": [[id_of[a], id_of[b]] for a, b in merges],
    }


CSS = """
.tp-root { --tp-fg: #1f2328; --tp-bg: #ffffff; --tp-muted: #57606a; --tp-border: #8c959f;
  --tp-c0: #cfe3f5; --tp-c1: #fbe3b8; --tp-c2: #c9ecd9; --tp-c3: #f7d2c4; --tp-c4: #ecd3e6; --tp-c5: #d9ecf7;
  color: var(--tp-fg); background: var(--tp-bg); padding: 0.8rem; border-radius: 6px; border: 1px solid var(--tp-border); }
html[data-theme="dark"] .tp-root { --tp-fg: #e6edf3; --tp-bg: #161b22; --tp-muted: #9da7b3; --tp-border: #57606a;
  --tp-c0: #1d3b57; --tp-c1: #4d3a12; --tp-c2: #173f2c; --tp-c3: #4f2a1c; --tp-c4: #45263f; --tp-c5: #1b3d4d; }
.tp-root label { font-weight: 600; display: block; margin: 0.3rem 0; }
.tp-input { width: 100%; min-height: 5rem; font: inherit; color: var(--tp-fg); background: var(--tp-bg);
  border: 1px solid var(--tp-border); border-radius: 4px; padding: 0.4rem; box-sizing: border-box; }
.tp-slider { width: 100%; }
/* a row far below the screen is not laid out until it is scrolled to (long texts stay fast) */
.tp-box { margin-top: 0.8rem; content-visibility: auto; contain-intrinsic-size: auto 6rem; }
.tp-box h3 { font-size: 1rem; margin: 0 0 0.2rem 0; }
.tp-count { color: var(--tp-muted); font-weight: normal; margin-left: 0.5rem; }
.tp-tokens { line-height: 2.1; overflow-wrap: anywhere; }
.tp-tok { font-family: monospace; padding: 0.15rem 0.2rem; margin: 0 1px; border-radius: 3px; color: var(--tp-fg);
  white-space: pre; background: var(--tp-c0); }
.tp-tok:nth-child(6n+2) { background: var(--tp-c1); } .tp-tok:nth-child(6n+3) { background: var(--tp-c2); }
.tp-tok:nth-child(6n+4) { background: var(--tp-c3); } .tp-tok:nth-child(6n+5) { background: var(--tp-c4); }
.tp-tok:nth-child(6n) { background: var(--tp-c5); }
.tp-tok sub { color: var(--tp-muted); font-size: 0.65em; margin-left: 0.15rem; }
/* the ids are small text on coloured boxes: in dark mode they need more contrast than --tp-muted */
html[data-theme="dark"] .tp-tok sub { color: #d0d7de; }
/* an invisible character, named (ZWJ, VS16, ...) */
.tp-inv { font-size: 0.7em; border: 1px dashed currentColor; border-radius: 2px; padding: 0 0.15em; margin: 0 0.05em; }
.tp-more { margin-top: 0.3rem; font: inherit; font-size: 0.9rem; color: var(--tp-fg); background: var(--tp-bg);
  border: 1px solid var(--tp-border); border-radius: 4px; padding: 0.2rem 0.6rem; cursor: pointer; }
.tp-merge-label { font-family: monospace; color: var(--tp-muted); overflow-wrap: anywhere; }
.tp-explain { margin-top: 0.8rem; border: 1px solid var(--tp-border); border-radius: 4px; padding: 0.3rem 0.6rem; }
.tp-explain summary { font-weight: 600; cursor: pointer; padding: 0.2rem 0; }
.tp-explain-word { font-family: monospace; font-weight: normal; overflow-wrap: anywhere; }
.tp-word { font: inherit; font-family: monospace; color: var(--tp-fg); background: var(--tp-bg); width: 100%;
  max-width: 24rem; box-sizing: border-box; border: 1px solid var(--tp-border); border-radius: 4px; padding: 0.3rem; }
.tp-explain-note { color: var(--tp-muted); margin: 0.3rem 0; overflow-wrap: anywhere; }
.tp-explain-note:empty { display: none; }
.tp-explain-head { font-weight: 600; margin: 0.6rem 0 0.2rem 0; }
.tp-steps { margin: 0; padding-left: 2rem; }
.tp-steps li { margin: 0.15rem 0; }
.tp-step-label { color: var(--tp-muted); font-size: 0.85rem; margin-right: 0.5rem; }
.tp-step-label .tp-tok { background: transparent; border: 1px solid var(--tp-border); }
.tp-pieces { line-height: 2.1; overflow-wrap: anywhere; }
@media (max-width: 40rem) { .tp-step-label { display: block; } }
/* the pieces the step's merge made */
.tp-tok.tp-new { outline: 2px solid var(--tp-fg); outline-offset: -1px; }
/* tokens of the GPT-2 row can be clicked to explain their word */
[data-tok="gpt2"] .tp-tok { cursor: pointer; }
"""

DEFAULT_TEXT = "Tokenization isn't magic: tokenization-aware models see 1234567 as chunks. Grüße, Привет, 東京 🙂"


# "How this word splits": explain_split's steps for one word (a pre-token), folded until opened
EXPLAIN_HTML = (
    '<details class="tp-explain"><summary>How this word splits<span class="tp-explain-word"></span></summary>'
    '<label for="tp-word">A word (one pre-token); or click or tap a token in the GPT-2 row</label>'
    '<input id="tp-word" class="tp-word" type="text" spellcheck="false" autocomplete="off" autocapitalize="off">'
    '<p class="tp-explain-note" aria-live="polite"></p>'
    + "".join(f'<div data-explain="{name}"><p class="tp-explain-head"></p><div class="tp-explain-steps"></div></div>'
              for name in ("gpt2", "trained"))
    + "</details>"
)


def page_html() -> str:
    """The demo as one self-contained HTML fragment: markup, CSS, data (JSON) and script inline."""
    boxes = "".join(
        f'<section class="tp-box" data-tok="{name}"><h3>{label}<span class="tp-count"></span></h3>'
        f'<div class="tp-tokens"></div></section>' + (EXPLAIN_HTML if name == "gpt2" else "")
        for name, label in [("gpt2", "GPT-2"), ("cl100k_base", "cl100k_base (GPT-3.5, GPT-4)"),
                            ("o200k_base", "o200k_base (GPT-4o)"), ("bert", "BERT WordPiece (uncased)")])
    trained = ('<section class="tp-box" data-tok="trained">'
               f'<h3>BPE trained on the Lee corpus ({N_MERGES:,} merges)<span class="tp-count"></span></h3>'
               '<label for="tp-slider">Merges learned (replay them one at a time with the arrow keys)</label>'
               f'<input id="tp-slider" class="tp-slider" type="range" min="0" max="{N_MERGES}" step="1" value="{N_MERGES}">'
               '<div class="tp-merge-label"></div><div class="tp-tokens"></div></section>')
    script = JS_PATH.read_text(encoding="utf-8")
    data = json.dumps(demo_data(), separators=(",", ":"))
    return (
        f"<style>{CSS}</style>"
        '<div class="tp-root" id="tp-root">'
        '<label for="tp-input">Type or paste any text</label>'
        f'<textarea id="tp-input" class="tp-input" spellcheck="false">{DEFAULT_TEXT}</textarea>'
        '<div class="tp-status" role="status"></div>'
        f"{boxes}{trained}</div>"
        f'<script type="application/json" id="tp-data">{data}</script>'
        f"<script>{script}\n"
        'mount(document.getElementById("tp-root"), JSON.parse(document.getElementById("tp-data").textContent))'
        '.catch((err) => { document.querySelector("#tp-root .tp-status").textContent = "The demo could not start: " + err; });'
        "</script>"
    )
