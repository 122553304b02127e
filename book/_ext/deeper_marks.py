"""Sphinx extension: a section off an article's short path says so where the reader is.

In the sources such a section has the MyST comment ``% deeper`` above its heading (or above
the heading's label); ``tokemb.reading`` reads it to compute the short path's minutes. A
comment never reaches the page, so before each page is parsed this adds, under every marked
heading, a visible line: "Deeper: off the short path; skip it on a first read". It is a raw
HTML paragraph, so the page's downloadable notebook shows it too.

The short-path box gives its minutes from the page's prose (``tokemb.reading``, before the
page runs); it also gives them counting the code and outputs a reader passes on the way,
which exist only once the page has run: as each page is written, the empty
``tokemb.reading.MINUTES_SEEN`` element in its box gets that number, counted from the page's
HTML (``tokemb.reading.words_seen``).
"""
from __future__ import annotations

from tokemb.reading import MINUTES_SEEN, mark_deeper_sections, minutes_to_read, words_seen

MARK = ('<p class="deeper-mark"><strong>Deeper</strong>: off the short path; '
        "skip it on a first read.</p>")


def _mark(app, docname, source):
    if docname.startswith("book/"):
        source[0] = mark_deeper_sections(source[0], MARK)


def _fill_minutes_seen(app, pagename, templatename, context, doctree):
    body = context.get("body", "")
    if MINUTES_SEEN in body:
        minutes = minutes_to_read(words_seen(body))
        context["body"] = body.replace(MINUTES_SEEN, MINUTES_SEEN.replace("></", f">{minutes}</"))


def setup(app):
    app.connect("source-read", _mark)
    app.connect("html-page-context", _fill_minutes_seen)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
