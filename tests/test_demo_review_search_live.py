"""The live review search in the built page, opened from disk in headless Chromium WITHOUT
--allow-file-access-from-files (the site's other browser tests use that flag, which would hide
a file URL the page may not import or fetch): the model loads on the first focus, then
``window.reviewSearch`` embeds and searches as the issue's contract says, agrees with Python's
exact search on float32 MiniLM vectors, and nothing but file:, data: and blob: is requested.
(Load and query times are measured by ``python -m benchmarks``, not asserted here.)"""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from demos import review_search
from solutions import semantic_geometry as sg

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LOCAL = ("file:", "data:", "blob:", "about:")
BOX = "#review-search-live-q"


@pytest.fixture(scope="module")
def live_page(site):
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (apt-get install chromium); browser checks need it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.problems, page.requested = [], []
        page.on("request", lambda req: page.requested.append(req.url))
        page.on("console", lambda msg: msg.type == "error" and page.problems.append(f"console: {msg.text}"))
        page.on("pageerror", lambda err: page.problems.append(f"page error: {err}"))
        page.goto((site / "book" / "demo_review_search.html").as_uri(), wait_until="load")
        page.before_focus = [u for u in page.requested if "/_static/minilm/" in u]
        page.focus(BOX)
        page.wait_for_function("document.getElementById('review-search-live').dataset.ready"
                               " || document.getElementById('review-search-live').dataset.failed", timeout=180_000)
        yield page
        browser.close()


def test_model_loads_on_focus_from_disk(live_page):
    status = live_page.inner_text("#review-search-live .rs-status")
    assert not live_page.before_focus, f"loaded before the first focus: {live_page.before_focus}"
    assert live_page.evaluate("document.getElementById('review-search-live').dataset.ready") == "true", status


def test_embed_gives_a_unit_vector_of_384(live_page):
    embed = "async () => Array.from(await reviewSearch.embed('The pill gave me headaches.'))"
    vector = np.array(live_page.evaluate(embed))
    assert vector.shape == (384,)
    assert abs(np.linalg.norm(vector) - 1) < 1e-4
    exact = sg.embed(["The pill gave me headaches."], "minilm")[0]
    assert float(vector @ exact) > 0.99, "the browser's vector differs from SentenceTransformer.encode"


def test_top5_agrees_with_exact_search_on_english_queries(live_page):
    _, corpus = review_search.live_corpus()
    queries = [q["text"] for q in sg.load_queries() if q["language"] == "en"]
    exact = sg.embed(queries, "minilm").astype(np.float64) @ corpus.astype(np.float64).T
    shared = []
    for text, scores in zip(queries, exact):
        hits = live_page.evaluate("async (t) => reviewSearch.search(t, 5)", text)
        assert len(hits) == 5 and all(0 <= h["index"] < len(corpus) for h in hits)
        python = set(np.argsort(-scores, kind="stable")[:5].tolist())
        shared.append(len(python & {h["index"] for h in hits}))
    assert min(shared) >= 4, f"neighbours shared with Python's exact search, per English query: {shared}"


def test_empty_long_and_other_scripts(live_page):
    page = live_page
    assert page.evaluate("async () => reviewSearch.search('', 5)") == []
    assert page.evaluate("async () => reviewSearch.search('   \\n ', 5)") == []
    assert len(page.evaluate("async () => reviewSearch.search('😀 日本語 Привет', 5)")) == 5
    page.fill(BOX, "The first week was rough, with headaches and nausea. " * 40)
    page.wait_for_function("document.querySelector('#review-search-live .rs-note').textContent.includes('truncated')",
                           timeout=30_000)
    assert "254" in page.inner_text("#review-search-live .rs-note")
    page.fill(BOX, "my skin cleared up after two months")
    page.wait_for_function("document.querySelectorAll('#review-search-live .rs-hits li').length === 5"
                           " && document.querySelector('#review-search-live .rs-found').textContent.startsWith('5 ')"
                           " && !document.querySelector('#review-search-live .rs-note').textContent", timeout=30_000)
    page.fill("#review-search-live-a", "I could not sleep at all")
    page.fill("#review-search-live-b", "insomnia every night")
    page.wait_for_function("document.querySelector('#review-search-live .rs-cosine').textContent.startsWith('cosine')",
                           timeout=30_000)


def test_no_request_leaves_the_page(live_page):
    remote = [u for u in live_page.requested if not u.startswith(LOCAL)]
    assert not remote, f"requests to another host: {remote}"
    assert not live_page.problems, live_page.problems
