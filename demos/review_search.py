"""Data and HTML for the review-search demo page (``book/demo_review_search.md``).

The browser cannot run an embedding model offline, so the page carries the vectors: every
review of the evaluation set and every prepared query, embedded by each model with the
exercise's reference ``embed``, then quantised to int8 (one byte per dimension). The
JavaScript in ``review_search.js`` computes cosine similarities and the top 5 itself.
Cosine ignores a vector's length, so an int8 vector needs no scale factor; quantisation moves
scores by about 0.01 at most (see ``quantisation_error``).

>>> data = demo_data(models=("minilm",))
>>> len(data["reviews"]), len(data["queries"]), data["dim"]
(150, 32, 384)
"""
from __future__ import annotations

import base64
import functools
import json
from pathlib import Path

import numpy as np

from tokemb import assets
from demos import quantise

JS_PATH = Path(__file__).with_name("review_search.js")
MODEL_LABELS = {"minilm": "all-MiniLM-L6-v2", "e5": "multilingual-e5-small"}


def _b64(q: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(q, dtype=np.int8).tobytes()).decode("ascii")


def decode(b64: str, dim: int) -> np.ndarray:
    """The int8 matrix (n, dim) back from the base64 string the page carries."""
    return np.frombuffer(base64.b64decode(b64), dtype=np.int8).reshape(-1, dim)


@functools.cache
def _demo_data(models: tuple[str, ...]) -> dict:
    from solutions import semantic_geometry as sg

    reviews = sg.evaluation_set()
    queries = sg.load_queries()
    data = {
        "dim": 384,
        "k": 5,
        "reviews": [{"id": r.id, "drug": r.drug, "condition": r.condition, "text": r.text} for r in reviews],
        "queries": [{k: q[k] for k in ("id", "language", "condition", "text")} for q in queries],
        "models": [],
        "skipped": {},
    }
    for model in models:
        try:
            corpus = sg.embed([r.text for r in reviews], model)
            query_vectors = sg.embed([q["text"] for q in queries], model, role="query")
        except assets.MissingAssetError as err:
            data["skipped"][model] = str(err)
            continue
        data["models"].append({"name": model, "label": MODEL_LABELS[model],
                               "corpus": _b64(quantise(corpus)), "queries": _b64(quantise(query_vectors))})
    return data


def demo_data(models=("minilm", "e5")) -> dict:
    """Everything the page embeds: reviews, queries and, per model, int8 vectors in base64.

    A model whose package is missing is listed under ``skipped`` with the reason.
    """
    return _demo_data(tuple(models))


def neighbours(data: dict, model: str, kind: str, index: int, k: int = 5) -> list[tuple[int, float]]:
    """Python's answer for the page's search: the reference ``nearest_neighbors`` on the
    int8 vectors the page carries (``kind`` is ``"review"`` or ``"query"``)."""
    from solutions import semantic_geometry as sg

    entry = next(m for m in data["models"] if m["name"] == model)
    corpus = decode(entry["corpus"], data["dim"]).astype(np.float64)
    if kind == "review":
        return sg.nearest_neighbors(corpus[index], corpus, k=k, exclude=index)
    query = decode(entry["queries"], data["dim"]).astype(np.float64)[index]
    return sg.nearest_neighbors(query, corpus, k=k)


def quantisation_error(data: dict, model: str) -> float:
    """The largest change int8 quantisation makes to a review-to-review cosine."""
    from solutions import semantic_geometry as sg

    entry = next(m for m in data["models"] if m["name"] == model)
    exact = sg.embed([r["text"] for r in data["reviews"]], model).astype(np.float64)
    q = decode(entry["corpus"], data["dim"]).astype(np.float64)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return float(np.abs(exact @ exact.T - q @ q.T).max())


def page_html(data: dict, element_id: str = "review-search") -> str:
    """The self-contained HTML (styles, data as inline JSON, the script inline) for the page."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    script = JS_PATH.read_text(encoding="utf-8")
    return f"""
<div id="{element_id}" class="review-search"></div>
<style>
.review-search {{ --rs-fg: var(--pst-color-text-base, #1a1a1a); --rs-muted: var(--pst-color-text-muted, #555);
  --rs-bg: var(--pst-color-background, #fff); --rs-card: var(--pst-color-surface, #f5f5f5);
  --rs-border: var(--pst-color-border, #ccc); --rs-good: #1a7f37; --rs-bad: #b42318; color: var(--rs-fg);
  /* its own background: in dark mode the output area behind it is light, the theme's text is not */
  background: var(--rs-bg); padding: 0.6em 0.8em; border-radius: 8px; }}
html[data-theme="dark"] .review-search {{ --rs-good: #4ac26b; --rs-bad: #ff8182; }}
.review-search label {{ font-weight: 600; display: block; margin: 0.6em 0 0.2em; }}
.review-search select {{ width: 100%; max-width: 100%; padding: 0.3em; color: var(--rs-fg); background: var(--rs-bg);
  border: 1px solid var(--rs-border); border-radius: 4px; font-size: 0.95em; }}
.review-search select:focus {{ outline: 3px solid var(--pst-color-primary, #0072B2); outline-offset: 1px; }}
.review-search .rs-query {{ background: var(--rs-card); border: 1px solid var(--rs-border); border-radius: 6px;
  padding: 0.6em 0.8em; margin: 0.8em 0; }}
.review-search .rs-columns {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 1em; }}
.review-search .rs-model {{ border: 1px solid var(--rs-border); border-radius: 6px; padding: 0.6em 0.8em; }}
.review-search .rs-model h3 {{ font-size: 1.05em; margin: 0 0 0.3em; }}
.review-search ol {{ padding-left: 1.4em; margin: 0.3em 0; }}
.review-search li {{ margin: 0.45em 0; }}
.review-search .rs-meta {{ font-size: 0.85em; color: var(--rs-muted); }}
.review-search .rs-yes {{ color: var(--rs-good); font-weight: 600; }}
.review-search .rs-no {{ color: var(--rs-bad); font-weight: 600; }}
.review-search .rs-text {{ font-size: 0.9em; }}
</style>
<script type="application/json" id="{element_id}-data">{payload}</script>
<script>
{script}
reviewSearchMount(document.getElementById("{element_id}"),
                  JSON.parse(document.getElementById("{element_id}-data").textContent));
</script>
"""


# --------------------------------------------------------------------------- your own text, live
# The page's second demo runs all-MiniLM-L6-v2 itself, in the reader's browser
# (``demos/minilm_browser.js`` on onnxruntime-web). Its files are written next to the
# site's static files when the site is built (``book/_ext/offline_site.py``) and loaded only on
# the first focus of its text boxes, so the page's first paint carries none of them.

MINILM_JS_PATH = Path(__file__).with_name("minilm_browser.js")
WORDPIECE_JS_PATH = Path(__file__).with_name("wordpiece.js")
LIVE_FILES = ("review-vectors.i8.js", "reviews.json.js")


@functools.cache
def live_corpus() -> tuple[list[dict], np.ndarray]:
    """All reviews (``tokemb.assets.drug_reviews()``, corpus order) and their MiniLM vectors
    from ``SentenceTransformer.encode`` (float32, rows of length 1)."""
    from solutions import semantic_geometry as sg

    reviews = assets.drug_reviews()
    rows = [{"drug": r.drug, "condition": r.condition, "text": r.text} for r in reviews]
    return rows, sg.embed([r.text for r in reviews], "minilm")


def write_live_assets(folder) -> dict[str, int]:
    """Write the corpus files the live search loads into ``folder``: every review's MiniLM
    vector as int8 (``review-vectors.i8``) and the reviews themselves (``reviews.json``), each
    as an asset script (``minilm_onnx.asset_script``). Returns file name -> bytes."""
    from tokemb import minilm_onnx

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rows, vectors = live_corpus()
    payloads = {
        "review-vectors.i8": np.ascontiguousarray(quantise(vectors), dtype=np.int8).tobytes(),
        "reviews.json": json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
    }
    written = {}
    for name, data in payloads.items():
        target = folder / f"{name}.js"
        target.write_text(minilm_onnx.asset_script(name, data), encoding="ascii")
        written[target.name] = target.stat().st_size
    return written


def live_html(element_id: str = "review-search-live") -> str:
    """The live search's HTML: its boxes, styles and the engine inline; nothing is loaded until
    a box gets the focus (then ``_static/minilm/``, see :func:`write_live_assets`).

    It calls ``reviewSearchLive`` from ``review_search.js``, which :func:`page_html` puts on
    the page: show it after that demo."""
    engine = "\n".join(path.read_text(encoding="utf-8") for path in (WORDPIECE_JS_PATH, MINILM_JS_PATH))
    return f"""
<div id="{element_id}" class="review-search rs-live"></div>
<style>
.rs-live {{ --rs-fg: var(--pst-color-text-base, #1a1a1a); --rs-muted: var(--pst-color-text-muted, #555);
  --rs-bg: var(--pst-color-background, #fff); --rs-card: var(--pst-color-surface, #f5f5f5);
  --rs-border: var(--pst-color-border, #ccc); color: var(--rs-fg); background: var(--rs-bg);
  padding: 0.6em 0.8em; border-radius: 8px; }}
.rs-live label {{ font-weight: 600; display: block; margin: 0.6em 0 0.2em; }}
.rs-live input {{ width: 100%; max-width: 100%; box-sizing: border-box; padding: 0.35em; color: var(--rs-fg);
  background: var(--rs-bg); border: 1px solid var(--rs-border); border-radius: 4px; font-size: 0.95em; }}
.rs-live input:focus {{ outline: 3px solid var(--pst-color-primary, #0072B2); outline-offset: 1px; }}
.rs-live .rs-status {{ font-size: 0.9em; color: var(--rs-muted); margin: 0.4em 0; }}
.rs-live progress {{ width: 12em; max-width: 100%; vertical-align: middle; }}
.rs-live .rs-note {{ font-size: 0.85em; color: var(--rs-muted); margin: 0.3em 0; }}
.rs-live ol {{ padding-left: 1.4em; margin: 0.3em 0; }}
.rs-live li {{ margin: 0.45em 0; }}
.rs-live .rs-meta {{ font-size: 0.85em; color: var(--rs-muted); }}
.rs-live .rs-text {{ font-size: 0.9em; }}
.rs-live .rs-pair {{ background: var(--rs-card); border: 1px solid var(--rs-border); border-radius: 6px;
  padding: 0.4em 0.8em 0.6em; margin-top: 1em; }}
.rs-live .rs-cosine {{ font-weight: 600; margin-top: 0.4em; }}
</style>
<script>
{engine}
</script>
<script>
reviewSearchLive(document.getElementById("{element_id}"));
</script>
"""
