"""The built site in a real browser: headless Chromium opens every page from disk.

For each page: no console error, no request to another host, every image loads, no serious
or critical accessibility violation (axe-core, vendored from npm in tests/vendor), and a
screenshot in light and in dark mode (kept in artifacts/screenshots/). Internal links and
anchors are checked on the HTML files. Skipped, with the reason, where Chromium is absent.
"""
from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, toc_pages

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = ROOT / "tests" / "vendor" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:", "chrome-error:")


class _Links(HTMLParser):
    """Collects hrefs of <a> and every id= on a page."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def test_internal_links_and_anchors_resolve(site):
    broken = []
    cache: dict[Path, _Links] = {}
    for page in toc_pages():
        path = site / f"{page}.html"
        for href in _parse(path).hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("mailto:", "javascript:")):
                continue  # links to other sites are navigation, not loads; not checked offline
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page}: {href} (no file)")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = cache.setdefault(target, _parse(target)).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page}: {href} (no anchor)")
    assert not broken, "broken internal links:\n" + "\n".join(broken)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (apt-get install chromium); browser checks need it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--allow-file-access-from-files"],
        )
        yield chromium
        chromium.close()


def _open(browser, url: str, dark: bool = False):
    """A fresh page at ``url`` with every console error and remote request recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  color_scheme="dark" if dark else "light")
    page = context.new_page()
    page.problems = []
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(f"console: {msg.text}"))
    page.on("pageerror", lambda err: page.problems.append(f"page error: {err}"))
    page.on("request", lambda req: req.url.startswith(LOCAL_SCHEMES)
            or page.problems.append(f"request to another host: {req.url}"))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)  # let MathJax and the demos' scripts run
    return page


def _axe(page) -> list[str]:
    """Serious and critical accessibility violations axe-core finds in the page as it is now."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                 .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}x, e.g. ${v.nodes[0].target})`);
    }""")


@pytest.mark.parametrize("name", toc_pages())
def test_page_in_chromium(site, browser, name):
    url = (site / f"{name}.html").as_uri()
    page = _open(browser, url)
    broken_images = page.eval_on_selector_all(
        "img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
    result = _axe(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    slug = name.replace("/", "_")
    page.screenshot(path=str(SCREENSHOTS / f"{slug}-light.png"), full_page=False)
    problems = page.problems
    page.context.close()

    dark = _open(browser, url, dark=True)
    dark.evaluate("document.documentElement.dataset.theme = 'dark'; "
                  "document.documentElement.dataset.mode = 'dark'")
    dark.wait_for_timeout(200)
    dark.screenshot(path=str(SCREENSHOTS / f"{slug}-dark.png"), full_page=False)
    result += [f"(dark mode) {v}" for v in _axe(dark)]
    problems += dark.problems
    dark.context.close()

    assert not problems, f"{name}:\n" + "\n".join(problems)
    assert not broken_images, f"{name}: images that did not load: {broken_images}"
    assert not result, f"{name}: accessibility violations:\n" + "\n".join(result)


# --------------------------------------------------------------------------- demos respond to input

def test_analogy_explorer_answers_typed_input(site, browser):
    """Type an analogy into the built page; its top answer is gensim's on the page's vectors."""
    from tokemb.demos import analogy_explorer as ae

    expected = ae.keyed_vectors().most_similar(positive=["paris", "italy"], negative=["france"], topn=1)[0][0]
    page = _open(browser, (site / "book" / "demo_analogy_explorer.html").as_uri())
    for field, word in (("#ae-a", "paris"), ("#ae-b", "france"), ("#ae-c", "italy")):
        page.fill(field, word)
    page.press("#ae-c", "Enter")
    page.wait_for_function("document.querySelector('#ae-msg').textContent.includes('paris')")
    first = page.inner_text("#ae-table tbody tr:first-child td:nth-child(2)")
    problems = page.problems
    page.context.close()
    assert first == expected and not problems, (first, expected, problems)


def test_review_search_shows_neighbours_for_a_chosen_review(site, browser):
    """Choose a review in the built page; each model's column lists its five nearest reviews."""
    page = _open(browser, (site / "book" / "demo_review_search.html").as_uri())
    page.select_option("#review-search select", value="review:3")
    page.wait_for_function("document.querySelector('.rs-query').textContent.includes('review #3')")
    columns = page.query_selector_all(".rs-model")
    hits = [len(col.query_selector_all("ol > li")) for col in columns]
    texts = [col.inner_text() for col in columns]
    problems = page.problems
    page.context.close()
    assert columns and all(n == 5 for n in hits), hits
    assert all("precision@5" in t for t in texts) and not problems, problems
