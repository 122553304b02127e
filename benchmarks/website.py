"""The built site in Chromium: page weight and the demos' response times.

    python -m benchmarks.website            # builds the site first (clean, every page executed)
    TOKEMB_SITE=_build/html python -m benchmarks.website      # or measures an existing build

- Page weight: every page's first visit with an empty cache, served over http from this
  machine (python's http.server, no compression), at 1280 px, until the network is idle:
  the decoded size of everything the page loaded (the HTML, styles, scripts, fonts, images).
  Target for the articles (and the landing page): under 1.5 MB. The demo pages carry their
  data inline and keep the limit their tests set, 5 MB.
- The tokenizer playground with 10,000 characters of news text (the Lee corpus): paste it
  (nothing typed before, so every pre-token is new), type one more character, and move the
  merge slider one step; each time from the input event until the next frame has been drawn.
  Target: under 300 ms. Median of 5 runs, each in a fresh page.
- The analogy explorer: click an example, until the answers and the map are drawn. Target:
  under 300 ms. Median of 5 clicks.
- The review search's own-text box (MiniLM in the page, onnxruntime-web): the first query
  including the model's load (focus, type a sentence, until five results are drawn; target
  under 20 s), a warm query's latency (``reviewSearch.search`` on the English prepared queries,
  median; target under 300 ms), and top-5 agreement with Python's exact search on float32
  MiniLM vectors (neighbours shared, median over those queries; target at least 4 of 5).

Needs Chromium (Debian's package) and a built site; without Chromium it returns no rows.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from benchmarks import ROOT, Row, report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTICLES = ["book/index", "book/tokenization", "book/static_embeddings", "book/contextual_embeddings",
            "book/semantic_geometry"]
DEMOS = ["book/demo_tokenizer_playground", "book/demo_analogy_explorer", "book/demo_review_search"]
OTHERS = ["book/exercise", "book/mvu_checklist", "book/further_reading", "book/see_also"]
WEIGHT_TARGET_MB = {**{p: 1.5 for p in ARTICLES + OTHERS}, **{p: 5.0 for p in DEMOS}}
RESPONSE_TARGET_S = 0.3


@contextmanager
def served(folder: Path):
    """The folder over http on a free port of 127.0.0.1; yields the base URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


LOADED_BYTES = """() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return [nav.decodedBodySize, ...performance.getEntriesByType('resource').map((e) => e.decodedBodySize)];
}"""


def page_weight(browser, url: str) -> tuple[float, int]:
    """(decoded megabytes, number of files) of a first visit to ``url`` with an empty cache."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)
    sizes = page.evaluate(LOADED_BYTES)
    context.close()
    return sum(sizes) / 1e6, len(sizes)


# The time from an input event to the next drawn frame: requestAnimationFrame runs before the
# frame is drawn; a task queued from it runs after the drawing.
NEXT_FRAME = "await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));"


def _playground_times(browser, url: str, text: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_function("document.querySelector('#tp-root') && document.querySelector('#tp-root').dataset.rendered")
    page.wait_for_timeout(500)
    times = page.evaluate("""async (text) => {
        const input = document.getElementById('tp-input'), slider = document.getElementById('tp-slider');
        const timed = async (change) => {
            const t0 = performance.now(); change(); __NEXT_FRAME__ return performance.now() - t0;
        };
        const paste = await timed(() => { input.value = text; input.dispatchEvent(new Event('input')); });
        const key = await timed(() => { input.value += 'e'; input.dispatchEvent(new Event('input')); });
        const step = await timed(() => {
            slider.value = String(Number(slider.value) - 1); slider.dispatchEvent(new Event('input'));
        });
        return { paste, key, step };
    }""".replace("__NEXT_FRAME__", NEXT_FRAME), text)
    context.close()
    return times


def _analogy_times(browser, url: str) -> list[float]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_function("document.querySelector('#ae-table tbody tr')")
    times = page.evaluate("""async () => {
        const out = [];
        for (const button of [...document.querySelectorAll('.ae-ex')]) {
            const t0 = performance.now(); button.click(); __NEXT_FRAME__ out.push(performance.now() - t0);
        }
        return out;
    }""".replace("__NEXT_FRAME__", NEXT_FRAME))
    context.close()
    return times


LIVE_FIRST_TARGET_S = 20.0
LIVE_SHARED_TARGET = 4


def _live_search_rows(browser, base: str) -> list[Row]:
    import numpy as np

    from demos import review_search
    from solutions import semantic_geometry as sg

    _, corpus = review_search.live_corpus()
    queries = [q["text"] for q in sg.load_queries() if q["language"] == "en"]
    exact = sg.embed(queries, "minilm").astype(np.float64) @ corpus.astype(np.float64).T
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/book/demo_review_search.html", wait_until="load")
    first = page.evaluate("""async () => {
        const box = document.getElementById('review-search-live-q');
        const t0 = performance.now();
        box.focus(); box.value = 'the pill gave me headaches'; box.dispatchEvent(new Event('input'));
        while (document.querySelectorAll('#review-search-live .rs-hits li').length < 5) {
            if (document.getElementById('review-search-live').dataset.failed) return -1;
            await new Promise((r) => setTimeout(r, 20));
        }
        __NEXT_FRAME__ return performance.now() - t0;
    }""".replace("__NEXT_FRAME__", NEXT_FRAME)) / 1000
    runs = page.evaluate("""async (queries) => {
        const out = [];
        for (const q of queries) { const t0 = performance.now(); const hits = await reviewSearch.search(q, 5);
                                   out.push([performance.now() - t0, hits.map((h) => h.index)]); }
        return out;
    }""", queries)
    context.close()
    warm = statistics.median(ms for ms, _ in runs) / 1000
    shared = [len(set(np.argsort(-s, kind="stable")[:5].tolist()) & set(idx)) for s, (_, idx) in zip(exact, runs)]
    typical = statistics.median(shared)
    n = len(queries)
    return [
        Row("review search, own text in Chromium: first query including the model's load", first,
            f"target {LIVE_FIRST_TARGET_S:.0f} s", LIVE_FIRST_TARGET_S, f"< {LIVE_FIRST_TARGET_S:.0f} s",
            0 < first < LIVE_FIRST_TARGET_S),
        _response_row(f"review search, own text in Chromium: warm query, median of {n} English prepared queries",
                      warm),
        Row(f"review search, own text: top-5 shared with Python's exact fp32 search, median of {n} "
            f"(min {min(shared)})", float(typical), f"target {LIVE_SHARED_TARGET} of 5", float(LIVE_SHARED_TARGET),
            f">= {LIVE_SHARED_TARGET} of 5", typical >= LIVE_SHARED_TARGET, unit=" of 5"),
    ]


def _response_row(name: str, seconds: float) -> Row:
    """A response time against the demos' common target (RESPONSE_TARGET_S)."""
    ms = f"{RESPONSE_TARGET_S * 1000:.0f} ms"
    return Row(name, seconds, f"target {ms}", RESPONSE_TARGET_S, f"< {ms}", seconds < RESPONSE_TARGET_S)


def _weight_rows(browser, base: str) -> list[Row]:
    rows = []
    for page in ARTICLES + DEMOS + OTHERS:
        mb, files = page_weight(browser, f"{base}/{page}.html")
        target = WEIGHT_TARGET_MB[page]
        rows.append(Row(f"{page}.html, first visit ({files} files)", mb, f"target {target} MB", target,
                        f"under {target} MB", mb < target, unit="MB"))
    return rows


def _demo_rows(browser, base: str) -> list[Row]:
    from tokemb import assets

    text = "\n\n".join(assets.lee_corpus()[40:])[:10_000]
    runs = [_playground_times(browser, f"{base}/book/demo_tokenizer_playground.html", text) for _ in range(5)]
    rows = []
    for key, what in (("paste", "paste 10,000 characters (all pre-tokens new)"),
                      ("key", "type one character after 10,000"),
                      ("step", "one merge-slider step with 10,000 characters")):
        seconds = statistics.median(r[key] for r in runs) / 1000
        rows.append(_response_row(f"tokenizer playground in Chromium: {what}, to the next frame, median of 5",
                                  seconds))
    clicks = _analogy_times(browser, f"{base}/book/demo_analogy_explorer.html")
    rows.append(_response_row(f"analogy explorer in Chromium: an example clicked, to the next frame, "
                              f"median of {len(clicks)}", statistics.median(clicks) / 1000))
    return rows


def build_site(out: Path) -> Path:
    """A clean build (every page executed) into ``out``; returns its HTML folder."""
    jb = str(Path(sys.executable).with_name("jupyter-book"))
    subprocess.run([jb, "build", str(ROOT), "--all", "--path-output", str(out)], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out / "_build" / "html"


def run(site: Path | None = None) -> list[Row]:
    """Rows for ``python -m benchmarks``; ``site`` is a built HTML folder ($TOKEMB_SITE, or a
    clean build made here when neither is given)."""
    if not CHROMIUM:
        print("benchmarks/website.py: Chromium is not installed (apt-get install chromium); skipped")
        return []
    from playwright.sync_api import sync_playwright

    tmp = None
    if site is None and os.environ.get("TOKEMB_SITE"):
        site = Path(os.environ["TOKEMB_SITE"])
    if site is None:
        tmp = Path(tempfile.mkdtemp(prefix="bench-site-"))
        site = build_site(tmp)
    try:
        with served(site) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            try:
                return _weight_rows(browser, base) + _demo_rows(browser, base) + _live_search_rows(browser, base)
            finally:
                browser.close()
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(report(run()))
