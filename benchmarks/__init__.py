"""Benchmarks, measured side by side in one run: `python -m benchmarks`.

What every benchmark module shares: its result rows (:class:`Row`), the timer (:func:`best_of`),
the article timing (:func:`page_row`) and the one table printer (:func:`report`).

>>> rows = [Row("sort 1,000 numbers", 0.002, "sorted() in C", 0.001, "at most 4x the baseline", True),
...         Row("page weight", 0.75, "target 1.5 MB", 1.5, "under 1.5 MB", True, unit="MB")]
>>> rows[0].ratio, rows[1].ratio
(2.0, 0.5)
>>> report(rows)
<BLANKLINE>
benchmark                 time  baseline                              ratio  target                 met
sort 1,000 numbers     0.0020s  sorted() in C (0.0010s)               2.00x  at most 4x the baseline yes
page weight           0.7500MB  target 1.5 MB (1.5000MB)              0.50x  under 1.5 MB           yes
0
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")


@dataclass(frozen=True)
class Row:
    """One measurement beside its baseline, and whether it meets its target.

    ``value`` and ``baseline_value`` are in ``unit`` (seconds unless said otherwise); a target
    that is a fixed limit has the limit as its baseline."""

    name: str
    value: float
    baseline: str
    baseline_value: float
    target: str
    met: bool
    unit: str = "s"

    @property
    def ratio(self) -> float:
        """``value / baseline_value`` (NaN without a baseline value)."""
        return self.value / self.baseline_value if self.baseline_value else float("nan")


def best_of(fn: Callable[[], T], repeats: int) -> tuple[float, T]:
    """The shortest of ``repeats`` timed calls of ``fn()`` in seconds, and the last call's result.

    >>> seconds, result = best_of(lambda: sum(range(1000)), 3)
    >>> result, 0 < seconds < 1
    (499500, True)
    """
    if repeats < 1:
        raise ValueError(f"best_of needs at least one repeat, got repeats={repeats}")
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def page_row(page: str, limit_seconds: float) -> Row:
    """Execute ``book/<page>.md`` top to bottom in a fresh kernel (as the build does) and time it."""
    import jupytext
    import nbclient

    nb = jupytext.read(ROOT / "book" / f"{page}.md")
    start = time.perf_counter()
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "book")}}).execute()
    seconds = time.perf_counter() - start
    return Row(f"{page}.md executed top to bottom (kernel start included)", seconds, "target", limit_seconds,
               f"under {limit_seconds:.0f} s", seconds < limit_seconds)


def report(rows: Sequence[Row]) -> int:
    """Print ``rows`` as one table; returns the exit status: 0 when every target is met, else 1."""
    width = max((len(r.name) for r in rows), default=10)
    print(f"\n{'benchmark':<{width}}  {'time':>10}  {'baseline':<34} {'ratio':>8}  {'target':<22} met")
    for r in rows:
        baseline = f"{r.baseline} ({r.baseline_value:.4f}{r.unit})"
        value = f"{r.value:.4f}{r.unit}"
        print(f"{r.name:<{width}}  {value:>10}  {baseline:<34} "
              f"{r.ratio:>7.2f}x  {r.target:<22} {'yes' if r.met else 'NO'}")
    return 0 if all(r.met for r in rows) else 1
