"""One figure style for the whole book, readable in light and dark mode.

Figures are drawn dark-on-white; the book's stylesheet sets them on a white card in dark
mode, so the same PNG reads well in both. Colours are the Okabe–Ito palette, which stays
distinguishable for the common kinds of colour blindness.

>>> from tokemb.plotting import use_book_style, PALETTE
>>> use_book_style()
>>> PALETTE[0]
'#0072B2'
"""
from __future__ import annotations

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def use_book_style() -> None:
    """Set matplotlib's defaults for the book: crisp, large enough text, white background."""
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
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.labelsize": 11,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=PALETTE),
        "image.cmap": "viridis",
        "legend.frameon": False,
    })


def annotate_points(ax, xy, labels, fontsize: int = 9) -> None:
    """Write a label beside each 2-D point, nudged so it does not sit on the marker."""
    for (x, y), label in zip(xy, labels):
        ax.annotate(str(label), (x, y), xytext=(3, 3), textcoords="offset points", fontsize=fontsize)
