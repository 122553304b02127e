"""Data and HTML for the review-search demo page (``book/demo_review_search.md``).

The browser cannot run an embedding model offline, so the page carries the vectors: every
review of the evaluation set and every prepared query, embedded by each model with the
exercise's reference ``embed``, then quantised to int8 (one byte per dimension). The
JavaScript in ``review_search.js`` computes cosine similarities and the top 5 itself.
Cosine ignores a vector's length, so an int8 vector needs no scale factor; quantisation moves
scores by about 0.01 at most (see ``quantisation_error``).

Both demos of the page (this search, and :func:`live_html`'s search of your own text) are
assembled by ``demos.render`` from ``review_search.js`` and ``review_search.css``.

>>> data = demo_data(models=("minilm",))
>>> len(data["reviews"]), len(data["queries"]), data["k"], data["models"][0]["dim"]
(150, 32, 5, 384)
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np

from demos import int8_base64, int8_from_base64, quantise, render
from tokemb import assets, models

JS_PATH = Path(__file__).with_name("review_search.js")
MODEL_LABELS = {m.key: m.name for m in models.SHIPPED}  # the one model table (tokemb/models.py)
K = 5  # how many reviews a search lists, in both demos (and so precision@K)


@functools.cache
def _demo_data(models: tuple[str, ...], reviews: int | None) -> dict:
    from solutions import semantic_geometry as sg

    reviews = sg.evaluation_set()[:reviews]
    queries = sg.load_queries()
    data = {
        "k": K,
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
        data["models"].append({"name": model, "label": MODEL_LABELS[model], "dim": int(corpus.shape[1]),
                               "corpus": int8_base64(quantise(corpus)),
                               "queries": int8_base64(quantise(query_vectors))})
    return data


def demo_data(models=("minilm", "e5"), reviews: int | None = None) -> dict:
    """Everything the page embeds: reviews, queries and, per model, int8 vectors in base64.

    ``reviews``: the first so many reviews of the evaluation set (all of them, as on the page, by
    default; the quick tests take a few). A model whose package is missing is listed under
    ``skipped`` with the reason.
    """
    return _demo_data(tuple(models), reviews)


def _vectors(data: dict, model: str, which: str) -> np.ndarray:
    """The page's int8 vectors of ``model`` (``which``: "corpus" or "queries") as float64 rows."""
    entry = next((m for m in data["models"] if m["name"] == model), None)
    if entry is None:
        raise ValueError(f"the page carries no vectors of {model!r}: it has {[m['name'] for m in data['models']]}")
    return int8_from_base64(entry[which], entry["dim"]).astype(np.float64)


def neighbours(data: dict, model: str, kind: str, index: int) -> list[tuple[int, float]]:
    """Python's answer for the page's search: the reference ``nearest_neighbors`` (k = the
    page's ``k``) on the int8 vectors the page carries (``kind`` is ``"review"`` or ``"query"``)."""
    from solutions import semantic_geometry as sg

    corpus = _vectors(data, model, "corpus")
    if kind == "review":
        return sg.nearest_neighbors(corpus[index], corpus, k=data["k"], exclude=index)
    if kind != "query":
        raise ValueError(f"kind must be 'review' or 'query', not {kind!r}")
    return sg.nearest_neighbors(_vectors(data, model, "queries")[index], corpus, k=data["k"])


def quantisation_error(data: dict, model: str) -> float:
    """The largest change int8 quantisation makes to a review-to-review cosine."""
    from solutions import semantic_geometry as sg

    exact = sg.embed([r["text"] for r in data["reviews"]], model).astype(np.float64)
    q = _vectors(data, model, "corpus")
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return float(np.abs(exact @ exact.T - q @ q.T).max())


def page_html(data: dict | None = None, element_id: str = "review-search") -> str:
    """The search as one self-contained HTML fragment (``demos.render``): styles, the data
    (``demo_data()`` unless given) as inline JSON, the script inline; the script builds the controls."""
    return render("review_search", demo_data() if data is None else data, "", element_id=element_id,
                  root_class="review-search")


# --------------------------------------------------------------------------- your own text, live
# The page's second demo runs all-MiniLM-L6-v2 itself, in the reader's browser
# (``demos/minilm_browser.js`` on onnxruntime-web). Its files are written next to the
# site's static files when the site is built (``book/_ext/offline_site.py``) and loaded only on
# the first focus of its text boxes, so the page's first paint carries none of them.

MINILM_JS_PATH = Path(__file__).with_name("minilm_browser.js")
WORDPIECE_JS_PATH = Path(__file__).with_name("wordpiece.js")


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
    """The live search as one HTML fragment (``demos.render``): its script builds the boxes, and
    inlines the engine (``wordpiece.js``, ``minilm_browser.js``); nothing is loaded until a box
    gets the focus (then ``_static/minilm/``, see :func:`write_live_assets`)."""
    return render("review_search", {"k": K}, "", element_id=element_id, root_class="review-search rs-live",
                  mount="review_search_live", scripts=(WORDPIECE_JS_PATH.name, MINILM_JS_PATH.name))
