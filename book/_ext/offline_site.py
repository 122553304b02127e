"""Sphinx extension: keep the built site offline, and offer every page as a notebook.

1. Each MyST notebook page gets a "Download .ipynb" entry in the page's download menu: the
   notebook myst-nb executed at build time (outputs included) is copied next to the page's
   source. sphinx-book-theme only does this when a launch service is configured; we have none.
   Beside it, ``<name>.ipynb.js`` holds the same text as a script: a page opened from disk
   cannot fetch a file, but it can load a script, and ``_static/site.js`` saves that text.
2. sphinx-thebe injects a script naming a CDN URL into every page even when thebe is off;
   it is removed, with thebe's own files, since nothing here can launch a kernel.
3. Long inline code (a test name, a dotted path) gets line-break opportunities (``<wbr>``) after
   ``_ . / , ( = :``, so it wraps at those points on a narrow screen instead of running off
   the page or being cut mid-word; copying it still gives the exact text. The "Show code cell
   source" toggle of a folded cell loses myst-nb's aria-label "Toggle hidden content", so its
   accessible name is the text it shows (WCAG 2.5.3; axe: label-content-name-mismatch).
4. After the build, ``_static/minilm/`` gets what the review-search page's live search loads
   on the first focus of its boxes: onnxruntime-web and the int8 MiniLM
   (``tokemb.minilm_onnx.write_browser_assets``, cached) and every review with its vector
   (``demos.review_search.write_live_assets``). They are not in ``html_static_path``:
   the model is a build product, never committed.
5. The site's root ``index.html`` sends the browser to the landing page, as sphinx-external-toc's
   would, but as a page of its own: a title, ``lang``, and a link for a browser that does not
   follow the refresh (the toc extension writes only a bare ``<meta>`` tag, and only when no
   ``index.html`` is there).
6. After the build, every HTML and CSS file is scanned for anything the browser would load
   from another host (scripts, styles, images, fonts, frames). Each one is a warning, so a
   build with ``-W`` fails instead of publishing a page that breaks offline.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import sys
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

# Attributes through which a browser fetches something on page load.
_LOADED = re.compile(
    r"<(script|img|iframe|source|audio|video|embed)\b[^>]*?\bsrc\s*=\s*[\"'](https?:)?//[^\"']+"
    r"|<link\b[^>]*?\bhref\s*=\s*[\"'](https?:)?//[^\"']+[^>]*>"
    r"|url\(\s*[\"']?(https?:)?//[^)]+\)",
    re.IGNORECASE,
)
_INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
_URL_IN_CODE = re.compile(r"[\"'`]https?://(?!www\.w3\.org/)[^\"'`]+[\"'`]")


def _offer_notebook(app, pagename, templatename, context, doctree):
    """Copy the executed notebook beside the page's source and tell the theme about it."""
    if not context.get("sourcename", "").endswith((".md", ".md.txt")):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.exists():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    text = json.dumps(executed.read_text(encoding="utf-8"), ensure_ascii=True)
    Path(f"{target}.js").write_text(
        f"(window.tokembNotebooks = window.tokembNotebooks || {{}})[{json.dumps(target.name)}] = {text};\n",
        encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"


def _drop_thebe(app, pagename, templatename, context, doctree):
    """Remove sphinx-thebe's scripts and styles from the page."""
    def keep(asset) -> bool:
        name = str(getattr(asset, "filename", asset) or "")
        body = str(getattr(asset, "attributes", {}).get("body", ""))
        return "thebe" not in name.lower() and "THEBE_JS_URL" not in body

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if keep(asset)]


_LITERAL = re.compile(r'(<code class="[^"]*\bliteral\b[^"]*">)(.*?)(</code>)', re.DOTALL)
_PRE_SPAN = re.compile(r'(<span class="pre">)([^<]{12,})(</span>)')
_BREAK_AFTER = re.compile(r"([_./,(=:])(?=[^\s<])")


def _soft_breaks(html: str) -> str:
    """``<wbr>`` after ``_ . / , ( = :`` in the long words of inline code literals.

    >>> _soft_breaks('<code class="docutils literal"><span class="pre">tokemb.assets.cache_dir</span></code>')
    '<code class="docutils literal"><span class="pre">tokemb.<wbr>assets.<wbr>cache_<wbr>dir</span></code>'
    """
    def code(match):
        inner = _PRE_SPAN.sub(lambda m: m.group(1) + _BREAK_AFTER.sub(r"\1<wbr>", m.group(2)) + m.group(3),
                              match.group(2))
        return match.group(1) + inner + match.group(3)

    return _LITERAL.sub(code, html)


def _tidy_body(app, pagename, templatename, context, doctree):
    if "body" in context:
        body = _soft_breaks(context["body"])
        context["body"] = body.replace('<summary aria-label="Toggle hidden content">', "<summary>")


def _report_remote_assets(app, exception):
    """Warn about every asset a built page would fetch from another host."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for path in sorted([*out.rglob("*.html"), *out.rglob("*.css")]):
        if "_sources" in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found = [m.group(0)[:120] for m in _LOADED.finditer(text)]
        if path.suffix == ".html":
            for body in _INLINE_SCRIPT.findall(text):
                found += [m.group(0)[:120] for m in _URL_IN_CODE.finditer(body)]
        for item in found:
            logger.warning(f"{path.relative_to(out)} loads from another host: {item}",
                           type="offline", subtype="remote-asset")


_REDIRECT = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="Refresh" content="0; url={url}">
</head>
<body>
<p>This book starts at <a href="{url}">{title}</a>.</p>
</body>
</html>
"""


def _write_root_redirect(app, exception):
    """The root ``index.html``: a small page that forwards to the landing page."""
    if exception is not None or app.builder.name != "html" or app.config.root_doc == "index":
        return
    url = f"{app.config.root_doc}.html"
    title = html.escape(app.config.html_title or app.config.project)
    (Path(app.outdir) / "index.html").write_text(
        _REDIRECT.format(lang=app.config.language or "en", title=title, url=html.escape(url)), encoding="utf-8")


def _write_minilm_assets(app, exception):
    """The live review search's files, in ``_static/minilm/`` of the built site."""
    if exception is not None or app.builder.format != "html":
        return
    repo = str(Path(__file__).resolve().parents[2])  # demos, tokemb and solutions, from this checkout
    if repo not in sys.path:
        sys.path.insert(0, repo)
    from demos import review_search
    from tokemb import minilm_onnx

    folder = Path(app.outdir) / "_static" / "minilm"
    written = {**minilm_onnx.write_browser_assets(folder), **review_search.write_live_assets(folder)}
    logger.info(f"live review search: {len(written)} files, {sum(written.values()) / 1e6:.1f} MB in {folder}")


def setup(app):
    app.connect("html-page-context", _offer_notebook, priority=400)  # before the theme's buttons (501)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("html-page-context", _tidy_body)
    app.connect("build-finished", _write_root_redirect, priority=400)  # before sphinx-external-toc's (500)
    app.connect("build-finished", _write_minilm_assets)
    app.connect("build-finished", _report_remote_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
