"""Data and HTML for the tokenizer-playground demo page (``book/demo_tokenizer_playground.md``).

The page carries its own vocabularies so that it works offline and from disk:

- GPT-2, cl100k_base and o200k_base: tiktoken's rank tables (token bytes in rank order, each
  prefixed by its length), gzipped and base64-encoded; the browser unpacks them with
  ``DecompressionStream("gzip")``;
- BERT's uncased WordPiece vocabulary (30,522 entries, one per line), gzipped the same way;
- the BPE of the Tokenization article: ``train_bpe`` on the Lee corpus with ``N_MERGES`` merges,
  as a list of [left id, right id] (merge k makes id 256 + k).

:func:`page_html` assembles the page with ``demos.render``: the markup here, the styles in
``tokenizer_playground.css``, and the script ``tokenizer_playground.js`` (after ``common.js`` and
the shared BERT WordPiece ``wordpiece.js``), which tokenizes and replays how a word splits;
``tests/test_demo_tokenizer_playground.py`` checks it against tiktoken, the ``tokenizers``
WordPiece, the reference ``BPETokenizer`` and ``explain_split``.

>>> data = demo_data()
>>> len(data["trained_merges"]) == N_MERGES, data["trained_merges"][0]   # ' ' + 't'
(True, [32, 116])
"""
from __future__ import annotations

import base64
import functools
import gzip
import html
import re
from pathlib import Path

from demos import render
from tokemb import assets

JS_PATH = Path(__file__).with_name("tokenizer_playground.js")
N_MERGES = 1000


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
    """(vocab, merges) of the reference ``train_bpe`` on :func:`lee_text` with N_MERGES merges: the
    BPE the Tokenization article trains (``book/tokenization.md`` calls this), which the page replays."""
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
        **{name: _ranks_blob(name) for name in assets.TIKTOKEN_NAMES},
        "bert": _gz64("\n".join(sorted(wp, key=wp.get)).encode("utf-8")),
        "trained_merges": [[id_of[a], id_of[b]] for a, b in merges],
    }



DEFAULT_TEXT = "Tokenization isn't magic: tokenization-aware models see 1234567 as chunks. Grüße, Привет, 東京 🙂"

# The rows, in page order: the tokenizer each shows (data-tok, the name loadTokenizers gives it) and its title.
ROWS = {"gpt2": "GPT-2", "cl100k_base": "cl100k_base (GPT-3.5, GPT-4)", "o200k_base": "o200k_base (GPT-4o)",
        "bert": "BERT WordPiece (uncased)", "trained": "BPE trained on the Lee corpus"}


def _row(name: str, title: str, controls: str = "") -> str:
    return (f'<section class="tp-box" data-tok="{name}"><h3>{title}<span class="tp-count"></span></h3>'
            f'{controls}<div class="tp-tokens"></div></section>')


# "How this word splits": explain_split's steps for one word (a pre-token), folded until opened
EXPLAIN = (
    '<details class="tp-explain"><summary>How this word splits<span class="tp-explain-word"></span></summary>'
    '<label for="tp-word">A word (one pre-token); or click or tap a token in the GPT-2 row</label>'
    '<input id="tp-word" class="tp-word" type="text" spellcheck="false" autocomplete="off" autocapitalize="off">'
    '<p class="tp-explain-note" aria-live="polite"></p>'
    + "".join(f'<div data-explain="{name}"><p class="tp-explain-head">{ROWS[name]}<span class="tp-explain-count">'
              '</span></p><div class="tp-explain-steps"></div></div>' for name in ("gpt2", "trained"))
    + "</details>"
)

SLIDER = ('<label for="tp-slider">Merges learned (replay them one at a time with the arrow keys)</label>'
          f'<input id="tp-slider" class="tp-slider" type="range" min="0" max="{N_MERGES}" step="1" value="{N_MERGES}">'
          '<div class="tp-merge-label"></div>')

BODY = (
    '<label for="tp-input">Type or paste any text</label>'
    f'<textarea id="tp-input" class="tp-input" spellcheck="false">{html.escape(DEFAULT_TEXT, quote=False)}</textarea>'
    '<div class="tp-status" role="status"></div>'
    + _row("gpt2", ROWS["gpt2"]) + EXPLAIN
    + "".join(_row(name, ROWS[name]) for name in ("cl100k_base", "o200k_base", "bert"))
    + _row("trained", f"{ROWS['trained']} ({N_MERGES:,} merges)", SLIDER)
)


def page_html() -> str:
    """The demo as one self-contained HTML fragment (``demos.render``): markup, CSS, data and script inline."""
    return render("tokenizer_playground", demo_data(), BODY, element_id="tp-root", root_class="tp-root",
                  scripts=("wordpiece.js",))
