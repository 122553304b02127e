"""The book builds offline from a clean state with warnings as errors, and every page,
downloaded as a notebook, runs top to bottom in a fresh folder (as a reader's copy would)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import toc_pages as _toc_pages

pytestmark = pytest.mark.slow


def test_toc_order_matches_the_stage():
    assert _toc_pages() == [
        "book/index", "book/tokenization", "book/static_embeddings", "book/contextual_embeddings",
        "book/semantic_geometry", "book/demo_tokenizer_playground", "book/demo_analogy_explorer",
        "book/demo_review_search", "book/exercise", "book/mvu_checklist", "book/further_reading",
        "book/see_also",
    ]


def test_every_page_is_built_with_a_notebook_download(site):
    for page in _toc_pages():
        html = (site / f"{page}.html").read_text()
        assert "download-notebook-button" in html, f"{page}: no .ipynb download"
        assert (site / "_sources" / f"{page}.ipynb").exists()
        assert "In progress" not in html, f"{page} is still a placeholder"


def test_site_is_self_contained(site):
    """No page loads anything from another host; maths, search and dark mode are local."""
    remote = re.compile(r"<(?:script|img|iframe)\b[^>]*\bsrc=[\"'](?:https?:)?//|<link\b[^>]*\bhref=[\"'](?:https?:)?//[^\"']*\.css")
    for page in site.rglob("*.html"):
        assert not remote.search(page.read_text(errors="replace")), f"{page.relative_to(site)} loads a remote asset"
    assert (site / "_static" / "mathjax" / "tex-chtml.js").exists()
    assert (site / "search.html").exists() and (site / "searchindex.js").exists()
    assert 'data-theme' in (site / "book" / "index.html").read_text()  # the theme's light/dark switch
    assert "html[data-theme=\"dark\"]" in (site / "_static" / "custom.css").read_text()


def test_downloaded_notebooks_run_top_to_bottom(site, tmp_path):
    """Each page's .ipynb, copied to an empty folder, runs under nbmake."""
    reader = tmp_path / "reader"
    reader.mkdir()
    for page in _toc_pages():
        shutil.copy(site / "_sources" / f"{page}.ipynb", reader / f"{Path(page).name}.ipynb")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbmake", "--nbmake-timeout=600", "-p", "no:cacheprovider",
         "-q", "-o", "addopts=", "--rootdir", str(reader), str(reader)],
        cwd=reader, capture_output=True, text=True, timeout=3600,
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
