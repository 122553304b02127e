"""What the book's pages share: their preamble, their tables and their glued numbers.

- :func:`quiet` keeps library chatter out of a page's output (call it first).
- :func:`table` is every table a page shows: HTML, so it renders alike in Jupyter and on the
  site, with each cell shown as text (escaped); :func:`code` and :func:`strong` make a cell of
  inline code or of bold text.
- :func:`glue_value` glues a number for the prose (``{glue:text}`name```).

>>> t = table(["word", "cosine"], [["<cat>", strong(0.5)], ["A & B", code("Ġthe", "'m")]])
>>> print(t.data.replace("</tr>", "</tr>\\n"))  # doctest: +NORMALIZE_WHITESPACE
<table class="table"><thead><tr><th>word</th><th>cosine</th></tr>
</thead><tbody><tr><td>&lt;cat&gt;</td><td><strong>0.5</strong></td></tr>
<tr><td>A &amp; B</td><td><code class="docutils literal notranslate"><span class="pre">Ġthe</span></code>,
<code class="docutils literal notranslate"><span class="pre">&#x27;m</span></code></td></tr>
</tbody></table>
"""
from __future__ import annotations

import html
import warnings

import numpy as np
from IPython.display import HTML


def quiet() -> None:
    """Silence what would otherwise land in a page's output, or in the build's log as a warning.

    - tqdm's "IProgress not found" warning: importing transformers imports ``tqdm.auto``,
      which warns in a notebook without ipywidgets;
    - the Hugging Face progress bars ("Loading weights"), whichever model a page loads first
      (``tokemb.assets.minilm()`` turns them off too, but only once it is called).
    """
    warnings.filterwarnings("ignore", message="IProgress not found")
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # a page without transformers has no such bars
        return
    hf_logging.disable_progress_bar()


def table(header, rows) -> HTML:
    """A table to ``display`` (or ``glue``): a header and rows of cells.

    Every cell is shown as ``str(cell)``, escaped: text, never markup (no Markdown, no raw
    LaTeX, ``<word>`` stays visible). A cell that is already HTML, such as :func:`code` and
    :func:`strong` make, is inserted as it is.
    """
    def cell(value) -> str:
        return value.data if isinstance(value, HTML) else html.escape(str(value))

    head = "".join(f"<th>{cell(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in row) + "</tr>" for row in rows)
    return HTML(f'<table class="table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def code(*texts: str) -> HTML:
    """Inline code for a :func:`table` cell, one piece per text, comma-separated: tokens shown
    exactly as stored, styled as the site styles ```code``` in prose."""
    return HTML(", ".join(f'<code class="docutils literal notranslate"><span class="pre">{html.escape(str(t))}'
                          "</span></code>" for t in texts))


def strong(text) -> HTML:
    """Bold text for a :func:`table` cell (a result the prose singles out)."""
    return HTML(f"<strong>{html.escape(str(text))}</strong>")


def glue_value(name: str, value) -> None:
    """Glue a number for the prose, not shown where it is computed; a NumPy scalar becomes a
    plain Python number first (so ``{glue:text}`name:.1f``` formats it)."""
    from myst_nb import glue

    glue(name, value.item() if isinstance(value, np.generic) else value, display=False)


def glue_reading(page: str) -> None:
    """Glue what an article's short-path box shows, computed from the page's own source:
    ``short_minutes`` and ``full_minutes`` (numbers) and ``deeper_list`` (Markdown: the titles
    of the sections marked ``% deeper``, for ``{glue:md}`deeper_list```)."""
    from IPython.display import Markdown
    from myst_nb import glue

    from tokemb.reading import BOOK_DIR, deeper_headings, reading_minutes, short_path_minutes

    glue_value("short_minutes", short_path_minutes(page))
    glue_value("full_minutes", reading_minutes(page))
    titles = deeper_headings((BOOK_DIR / page).read_text(encoding="utf-8"))
    glue("deeper_list", Markdown("; ".join(titles)), display=False)
