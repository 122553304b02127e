"""Sphinx extension: a small subset of the theme's icon font, with the full font as fallback.

The theme draws its icons (menu, contents, download, colour mode, search, ...) from Font
Awesome's solid webfont, 156 KB on every page's first visit for a few dozen glyphs. After the
build, this extension finds every icon the site can show: each ``fa-NAME`` class named in a
built HTML or JavaScript file (mapped to its code point through the theme's
``.fa-NAME:before`` rules) and every icon code point a stylesheet puts in ``content`` (or a
``--pst-icon-*`` variable). It subsets the theme's own TrueType file to those glyphs, as WOFF
(fontTools, which matplotlib already installs), and declares it in ``_static/icon-subset.css``
for exactly those code points (``unicode-range``). A glyph outside the subset still comes from
the theme's full font, which the browser then fetches: nothing can turn into an empty box.
"""
from __future__ import annotations

import re
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

CSS_NAME = "icon-subset.css"
FONT_DIR = Path("vendor") / "fontawesome" / "webfonts"
SUBSET_NAME = "fa-solid-900.subset.woff"

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_FA_SELECTOR = re.compile(r"\.fa-([a-z0-9-]+):(?:before|after)")
_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?")
_FA_CLASS = re.compile(r"\bfa-([a-z0-9-]+)")


def _code_points(value: str) -> set[int]:
    """Private-use code points (where icon fonts put their glyphs) in a CSS value, written as
    characters or as escapes."""
    points = {int(m.group(1), 16) for m in _ESCAPE.finditer(value)}
    points |= {ord(ch) for ch in value}
    return {p for p in points if 0xE000 <= p <= 0xF8FF or 0xF0000 <= p <= 0x10FFFD}


def icon_code_points(outdir: Path) -> set[int]:
    """Every icon code point the built site at ``outdir`` can show (see the module docstring)."""
    by_name: dict[str, set[int]] = {}
    loose: set[int] = set()
    for css in (outdir / "_static").rglob("*.css"):
        if css.name == CSS_NAME:
            continue
        for selectors, body in _RULE.findall(css.read_text(encoding="utf-8", errors="replace")):
            names = _FA_SELECTOR.findall(selectors)
            parts = [s for s in selectors.split(",") if s.strip()]
            if names and len(names) == len(parts):
                for name in names:
                    by_name.setdefault(name, set()).update(_code_points(body))
            elif "content" in body or "--pst-icon" in body:
                loose |= _code_points(body)
    used = set()
    for path in [*outdir.rglob("*.html"), *(outdir / "_static").rglob("*.js")]:
        if "_sources" not in path.parts:
            used.update(_FA_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    return loose | {p for name in used for p in by_name.get(name, ())}


def _unicode_range(points: set[int]) -> str:
    return ", ".join(f"U+{p:X}" for p in sorted(points))


def _write_subset(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    full = outdir / "_static" / FONT_DIR / "fa-solid-900.ttf"
    css = outdir / "_static" / CSS_NAME
    points = icon_code_points(outdir) if full.exists() else set()
    if not points:  # nothing to subset: an empty file keeps the pages' link valid
        css.write_text("/* no icon subset: the theme's full icon font is used */\n", encoding="utf-8")
        return
    from fontTools import subset

    font = subset.load_font(str(full), subset.Options())
    options = subset.Options()
    options.flavor = "woff"
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(points))
    subsetter.subset(font)
    subset.save_font(font, str(full.with_name(SUBSET_NAME)), options)
    # Same family, style and weight as the theme's rule, declared later: for these code points
    # the browser takes this face; any other code point falls back to the theme's full font.
    css.write_text(
        "/* The theme's solid icon font cut down to the icons this site uses (book/_ext/icon_font.py). */\n"
        '@font-face { font-family: "Font Awesome 6 Free"; font-style: normal; font-weight: 900; font-display: block;\n'
        f'  src: url("{(FONT_DIR / SUBSET_NAME).as_posix()}") format("woff");\n'
        f"  unicode-range: {_unicode_range(points)}; }}\n",
        encoding="utf-8")
    logger.info(f"icon font: {len(points)} glyphs kept in {SUBSET_NAME}")


def setup(app):
    app.add_css_file(CSS_NAME)
    app.connect("build-finished", _write_subset)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
