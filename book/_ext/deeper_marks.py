"""Sphinx extension: a section off an article's short path says so where the reader is.

In the sources such a section has the MyST comment ``% deeper`` above its heading (or above
the heading's label); ``tokemb.reading`` reads it to compute the short path's minutes. A
comment never reaches the page, so before each page is parsed this adds, under every marked
heading, a visible line: "Deeper: off the short path; skip it on a first read". It is a raw
HTML paragraph, so the page's downloadable notebook shows it too.
"""
from __future__ import annotations

from tokemb.reading import mark_deeper_sections

MARK = ('<p class="deeper-mark"><strong>Deeper</strong>: off the short path; '
        "skip it on a first read.</p>")


def _mark(app, docname, source):
    if docname.startswith("book/"):
        source[0] = mark_deeper_sections(source[0], MARK)


def setup(app):
    app.connect("source-read", _mark)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
