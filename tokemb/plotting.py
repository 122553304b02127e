"""One figure style for the whole book, readable in light and dark mode and on a phone.

Figures are drawn dark-on-white; the book's stylesheet sets them on a white card in dark
mode, so the same figure reads well in both. Colours are the Okabe–Ito palette, which stays
distinguishable for the common kinds of colour blindness.

In a notebook, ``use_book_style()`` also makes every figure an SVG (vector: sharp at any
zoom, on a phone too) with its text kept as text. A dense layer (a scatter of thousands of
points) is drawn as an image inside the SVG, so a figure stays small; see :func:`figure_svg`.

>>> from tokemb.plotting import use_book_style, PALETTE
>>> use_book_style()
>>> PALETTE[0]
'#0072B2'
"""
from __future__ import annotations

import io
import re

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

# A collection with more points than this is rasterised inside the SVG (see figure_svg).
DENSE_POINTS = 1500
RASTER_DPI = 200
# The smallest text of a figure is drawn at least this large (in points) at the SVG's natural size.
LEGIBLE_POINTS = 11.0


def use_book_style() -> None:
    """Set matplotlib's defaults for the book: crisp, large enough text, white background;
    in IPython, figures are shown as SVG (:func:`figure_svg`)."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({
        "figure.dpi": 110,
        "savefig.dpi": 110,
        "figure.figsize": (7.0, 4.2),
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
        "savefig.bbox": "tight",
        "svg.fonttype": "none",          # text stays text: small files, crisp and searchable
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.labelsize": 11,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=PALETTE),
        "image.cmap": "viridis",
        # an image (a heatmap) goes into the SVG at its own resolution and the browser scales it,
        # cell edges kept sharp: far smaller than resampling it at RASTER_DPI
        "image.interpolation": "none",
        "legend.frameon": False,
        # a log axis reads 0.01 ... 100000, not 10⁻² ... 10⁵: an exponent is drawn at 70% of the
        # label's size, which a phone's scaled-down figure took under 7 px
        "axes.formatter.min_exponent": 6,
    })
    _show_figures_as_svg()


def figure_svg(fig) -> str:
    r"""The figure as SVG text. A collection with more than ``DENSE_POINTS`` points (a big
    scatter) is rasterised at ``RASTER_DPI`` inside the SVG, as images always are; axes, ticks
    and text stay vector. A figure whose smallest text is under ``LEGIBLE_POINTS`` (8-point
    tick labels, say) gets a larger natural size in proportion, so that the page shows it
    larger: the site never shrinks a figure below 62% of its natural size (on a phone it
    scrolls sideways instead), which keeps every label at 9 px or more.

    >>> import matplotlib; matplotlib.use("agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.scatter(range(2000), range(2000))
    >>> svg = figure_svg(fig)
    >>> svg.startswith("<?xml") and "<image" in svg and "<text" in svg
    True
    >>> _ = ax.set_xticks([0, 1000], ["a", "b"], fontsize=8)   # 8-point labels: 11/8 larger
    >>> svg = figure_svg(fig)
    >>> natural = float(re.search(r'<svg[^>]*width="([\d.]+)pt"', svg).group(1))
    >>> drawn = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
    >>> abs(natural / drawn - 11 / 8) < 0.001
    True
    >>> plt.close(fig)
    """
    for ax in fig.axes:
        for collection in ax.collections:
            if len(collection.get_offsets()) > DENSE_POINTS:
                collection.set_rasterized(True)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", dpi=RASTER_DPI, bbox_inches="tight")
    svg = buffer.getvalue()
    smallest = min((text.get_fontsize() for text in fig.findobj(_is_shown_text)), default=LEGIBLE_POINTS)
    if smallest < LEGIBLE_POINTS:
        grow = LEGIBLE_POINTS / smallest
        size = lambda m: f'{m.group(1)}="{float(m.group(2)) * grow:.2f}pt"'  # noqa: E731
        svg = re.sub(r"<svg\b[^>]*>", lambda tag: re.sub(r'\b(width|height)="([\d.]+)pt"', size, tag.group(0)),
                     svg, count=1)
    return svg


def _is_shown_text(artist) -> bool:
    from matplotlib.text import Text

    return isinstance(artist, Text) and artist.get_visible() and bool(artist.get_text().strip())


def _show_figures_as_svg() -> None:
    """In IPython (a notebook, the book's build): display matplotlib figures as SVG only."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    plt.close(plt.figure())  # loads the inline backend, which registers its own (PNG) formats first

    formatters = shell.display_formatter.formatters
    for mime in ("image/png", "image/jpeg", "application/pdf", "image/svg+xml"):
        formatters[mime].pop(Figure, None)
    formatters["image/svg+xml"].for_type(Figure, figure_svg)


def annotate_points(ax, xy, labels, fontsize: int = 9) -> None:
    """Write a label beside each 2-D point, nudged so it does not sit on the marker."""
    for (x, y), label in zip(xy, labels):
        ax.annotate(str(label), (x, y), xytext=(3, 3), textcoords="offset points", fontsize=fontsize)


def draw_merge_rows(ax, rows) -> None:
    """Draw how BPE splits one word, one row per step, top to bottom: each piece a box as wide
    as its text, so a merge shows as two boxes joining. ``rows`` is ``[(row label, [piece, ...]),
    ...]`` with each piece as it should be read (``␣`` for a space); the x range is the widest row.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> draw_merge_rows(ax, [("bytes", ["l", "o", "w"]), ("merge 1", ["lo", "w"])])
    >>> len(ax.patches), [t.get_text() for t in ax.get_yticklabels()]
    (5, ['bytes', 'merge 1'])
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    for row, (_, pieces) in enumerate(rows):
        x = 0
        for j, piece in enumerate(pieces):
            ax.add_patch(plt.Rectangle((x, -row - 0.4), len(piece), 0.8, facecolor=PALETTE[j % 6], alpha=0.35,
                                       edgecolor="black", linewidth=0.8))
            ax.text(x + len(piece) / 2, -row, piece, ha="center", va="center", fontsize=10, family="monospace")
            x += len(piece)
    ax.set_yticks([-r for r in range(len(rows))], [label for label, _ in rows])
    ax.set_xlim(0, max(sum(len(p) for p in pieces) for _, pieces in rows))
    ax.set_ylim(-len(rows) + 0.4, 0.6)
    ax.set_xticks([])
    ax.grid(False)
