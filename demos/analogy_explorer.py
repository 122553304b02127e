"""Data and HTML for the analogy-explorer demo page (``book/demo_analogy_explorer.md``).

The page carries its own word vectors so that it works offline and from disk: the
``N_WORDS`` most frequent purely alphabetic words of GloVe 6B 50d, each row quantised to
int8 (scaled so its largest |entry| is 127; direction kept, length dropped). Analogy
scores (3CosAdd, 3CosMul) depend on directions only, so no scale factor is needed. The
JavaScript in ``analogy_explorer.js`` solves the analogies itself.

"The same answers as gensim" is checked on exactly these vectors: ``keyed_vectors()``
returns the dequantised int8 rows as a gensim ``KeyedVectors`` (``tests/test_demo_analogy_explorer.py``).

>>> data = demo_data()
>>> data["dim"], len(data["words"]) == N_WORDS, data["words"][:3]
(50, True, ['the', 'of', 'to'])
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np

from demos import int8_base64, quantise, render
from tokemb import assets

JS_PATH = Path(__file__).with_name("analogy_explorer.js")
N_WORDS = 30_000
WORD = re.compile(r"[a-z]+")


@functools.cache
def _vocabulary(n_words: int) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """(words, original float32 rows, int8 rows): the first n_words alphabetic GloVe words."""
    glove = assets.glove()
    rows = [i for i, w in enumerate(glove.index_to_key) if WORD.fullmatch(w)][:n_words]
    words = tuple(glove.index_to_key[i] for i in rows)
    original = glove.vectors[rows]
    return words, original, quantise(original)


def keyed_vectors(n_words: int = N_WORDS, dequantised: bool = True):
    """The page's vocabulary as a gensim KeyedVectors: the int8 rows as float32 (what the page
    computes with), or the original GloVe floats with ``dequantised=False``."""
    from gensim.models import KeyedVectors

    words, original, q = _vocabulary(n_words)
    kv = KeyedVectors(vector_size=q.shape[1])
    kv.add_vectors(list(words), q.astype(np.float32) if dequantised else original)
    return kv


@functools.cache
def _demo_data(n_words: int) -> dict:
    words, _, q = _vocabulary(n_words)
    return {
        "dim": int(q.shape[1]),
        "words": list(words),
        "vectors": int8_base64(q),
        "source": f"GloVe 6B 50d, the {len(words):,} most frequent alphabetic words, int8",
    }


def demo_data(n_words: int = N_WORDS) -> dict:
    """Everything the page embeds: the word list (most frequent first), and the int8 vectors
    as one base64 string (row i is words[i])."""
    return _demo_data(n_words)


def page_html(data: dict | None = None) -> str:
    """The demo as one HTML fragment (``demos.render``): controls, the data (``demo_data()`` unless
    given) and the script, all inline."""
    return render("analogy_explorer", demo_data() if data is None else data, BODY,
                  element_id="ae-root", root_class="ae")


# The controls; analogy_explorer.js fills the table, the map (its size too) and the messages.
BODY = """
<form id="ae-form" autocomplete="off" novalidate>
<fieldset><legend>Analogy a : b :: c : ?  (solved as b − a + c)</legend>
<div class="ae-row">
  <span class="ae-field"><label for="ae-a">a</label><input type="text" id="ae-a" value="man" spellcheck="false">
    <span aria-hidden="true">:</span></span>
  <span class="ae-field"><label for="ae-b">b</label><input type="text" id="ae-b" value="woman" spellcheck="false">
    <span aria-hidden="true">::</span></span>
  <span class="ae-field"><label for="ae-c">c</label><input type="text" id="ae-c" value="king" spellcheck="false">
    <span aria-hidden="true">: ?</span></span>
</div>
<div class="ae-row">
  <span class="ae-field"><label for="ae-method">method</label>
  <select id="ae-method"><option value="3cosadd">3CosAdd</option>
  <option value="3cosmul">3CosMul</option></select></span>
  <span class="ae-field"><input type="checkbox" id="ae-exclude" checked>
    <label for="ae-exclude">exclude input words</label></span>
  <span class="ae-field"><label for="ae-k">answers (1–50)</label>
    <input type="number" id="ae-k" value="10" min="1" max="50" step="1"></span>
  <span class="ae-field"><label for="ae-expected">expected answer (optional)</label>
    <input type="text" id="ae-expected" value="queen" spellcheck="false"></span>
  <button type="submit" id="ae-go">Solve</button>
</div>
<div class="ae-row"><span class="ae-muted">Try:</span>
  <button type="button" class="ae-ex" data-q="man woman king queen">man : woman :: king : ?</button>
  <button type="button" class="ae-ex" data-q="france paris italy rome">france : paris :: italy : ?</button>
  <button type="button" class="ae-ex" data-q="walk walked swim swam">walk : walked :: swim : ?</button>
  <button type="button" class="ae-ex" data-q="india rupee japan yen">india : rupee :: japan : ?</button>
  <button type="button" class="ae-ex" data-q="big bigger cold colder">big : bigger :: cold : ?</button>
</div>
</fieldset>
</form>
<div id="ae-msg" class="ae-msg" role="status" aria-live="polite"></div>
<div class="ae-flex">
  <div><table id="ae-table" aria-label="top answers with their scores">
    <thead><tr><th>rank</th><th>word</th><th>score</th></tr></thead><tbody></tbody></table></div>
  <div class="ae-mapbox"><svg id="ae-map" role="img" aria-labelledby="ae-map-title">
    <title id="ae-map-title">2-D map of the inputs, the answers and the target point</title></svg>
    <p id="ae-map-note" class="ae-muted"></p></div>
</div>
"""
