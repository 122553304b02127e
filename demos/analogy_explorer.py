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

import base64
import functools
import json
import re
from pathlib import Path

import numpy as np

from tokemb import assets
from demos import quantise

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
        "vectors": base64.b64encode(np.ascontiguousarray(q).tobytes()).decode("ascii"),
        "source": f"GloVe 6B 50d, the {len(words):,} most frequent alphabetic words, int8",
    }


def demo_data(n_words: int = N_WORDS) -> dict:
    """Everything the page embeds: the word list (most frequent first), and the int8 vectors
    as one base64 string (row i is words[i])."""
    return _demo_data(n_words)


def page_html(n_words: int = N_WORDS) -> str:
    """The demo as one HTML fragment: controls, the data (JSON) and the script, all inline."""
    data = json.dumps(demo_data(n_words), separators=(",", ":"))
    script = JS_PATH.read_text(encoding="utf-8")
    return HTML_TEMPLATE.replace("__DATA__", data.replace("</", "<\\/")).replace("__SCRIPT__", script)


HTML_TEMPLATE = """
<div id="ae-root" class="ae">
<style>
.ae { --ae-fg: #1a1a1a; --ae-bg: #ffffff; --ae-muted: #4a4a4a; --ae-line: #9a9a9a;
      --ae-accent: #0072B2; --ae-warm: #A84300; --ae-good: #006B4F;
      color: var(--ae-fg); background: var(--ae-bg); font-size: 0.95rem; padding: 0.8rem; border-radius: 8px; }
/* the widget brings its own colours, so it reads the same whatever the output area's background */
html[data-theme="dark"] .ae { --ae-fg: #e8e8e8; --ae-bg: #14181e; --ae-muted: #b8bec6; --ae-line: #5a626c;
      --ae-accent: #56B4E9; --ae-warm: #F0A060; --ae-good: #3CC8A0; }
.ae label, .ae span, .ae td, .ae th, .ae p { color: inherit; }
.ae fieldset { border: 1px solid var(--ae-line); border-radius: 6px; padding: 0.6rem 0.8rem; margin: 0 0 0.8rem 0; min-width: 0; }
.ae legend { font-weight: 600; font-size: 1.05rem; padding: 0 0.3rem; }
.ae .ae-row { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; margin: 0.3rem 0; }
/* a label stays on the line of its control */
.ae .ae-field { display: inline-flex; align-items: center; gap: 0.35rem; max-width: 100%; }
.ae input[type=text], .ae input[type=number], .ae select { color: var(--ae-fg); background: var(--ae-bg);
      border: 1px solid var(--ae-line); border-radius: 4px; padding: 0.25rem 0.4rem; font-size: 0.95rem; }
.ae input[type=text] { width: 7rem; }
.ae input[type=number] { width: 4rem; }
.ae select { max-width: 100%; min-width: 0; }
.ae .ae-field:has(select) { flex: 1 1 16rem; }
.ae .ae-field select { flex: 1 1 auto; }
.ae button { color: var(--ae-bg); background: var(--ae-accent); border: none; border-radius: 4px;
      padding: 0.3rem 0.9rem; font-size: 0.95rem; cursor: pointer; }
.ae button.ae-ex { background: transparent; color: var(--ae-accent); border: 1px solid var(--ae-accent); padding: 0.15rem 0.5rem; }
.ae button:focus-visible, .ae input:focus-visible, .ae select:focus-visible { outline: 3px solid var(--ae-warm); outline-offset: 1px; }
.ae table { border-collapse: collapse; margin: 0.4rem 0; }
.ae th, .ae td { border-bottom: 1px solid var(--ae-line); padding: 0.15rem 0.7rem; text-align: left; }
.ae td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ae tr.ae-expected td { font-weight: 700; color: var(--ae-good); }
.ae .ae-msg { min-height: 1.4em; margin: 0.3rem 0; }
.ae .ae-error { color: var(--ae-warm); font-weight: 600; }
.ae .ae-muted { color: var(--ae-muted); }
.ae .ae-flex { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.ae .ae-mapbox { flex: 1 1 20rem; max-width: 460px; min-width: 0; }
.ae svg { display: block; width: 100%; height: auto; background: var(--ae-bg); border: 1px solid var(--ae-line); border-radius: 6px; }
.ae svg text { fill: var(--ae-fg); font-size: 15px; }
.ae svg .ae-leader { stroke: var(--ae-muted); stroke-width: 1; }
.ae .ae-key-input { color: var(--ae-warm); } .ae .ae-key-target { color: var(--ae-fg); }
.ae .ae-key-answer { color: var(--ae-accent); } .ae .ae-key-expected { color: var(--ae-good); }
</style>
<form id="ae-form" autocomplete="off" novalidate>
<fieldset><legend>Analogy a : b :: c : ?  (solved as b − a + c)</legend>
<div class="ae-row">
  <span class="ae-field"><label for="ae-a">a</label><input type="text" id="ae-a" value="man" spellcheck="false"><span aria-hidden="true">:</span></span>
  <span class="ae-field"><label for="ae-b">b</label><input type="text" id="ae-b" value="woman" spellcheck="false"><span aria-hidden="true">::</span></span>
  <span class="ae-field"><label for="ae-c">c</label><input type="text" id="ae-c" value="king" spellcheck="false"><span aria-hidden="true">: ?</span></span>
</div>
<div class="ae-row">
  <span class="ae-field"><label for="ae-method">method</label>
  <select id="ae-method"><option value="3cosadd">3CosAdd (gensim most_similar)</option>
  <option value="3cosmul">3CosMul (gensim most_similar_cosmul)</option></select></span>
  <span class="ae-field"><input type="checkbox" id="ae-exclude" checked><label for="ae-exclude">exclude input words</label></span>
  <span class="ae-field"><label for="ae-k">answers (1–50)</label><input type="number" id="ae-k" value="10" min="1" max="50" step="1"></span>
  <span class="ae-field"><label for="ae-expected">expected answer (optional)</label><input type="text" id="ae-expected" value="queen" spellcheck="false"></span>
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
  <div><table id="ae-table" aria-label="top answers with their scores"><thead><tr><th>rank</th><th>word</th><th>score</th></tr></thead><tbody></tbody></table></div>
  <div class="ae-mapbox"><svg id="ae-map" viewBox="0 0 440 380" width="440" height="380" role="img" aria-labelledby="ae-map-title">
    <title id="ae-map-title">2-D map of the inputs, the answers and the target point</title></svg>
    <p id="ae-map-note" class="ae-muted"></p></div>
</div>
<script type="application/json" id="ae-data">__DATA__</script>
<script>
__SCRIPT__
</script>
</div>
"""
