"""Benchmarks, measured side by side in one run: `python -m benchmarks`."""
from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def page_row(page: str, limit_seconds: float) -> dict:
    """Execute ``book/<page>.md`` top to bottom in a fresh kernel (as the build does) and time it."""
    import jupytext
    import nbclient

    nb = jupytext.read(ROOT / "book" / f"{page}.md")
    start = time.perf_counter()
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "book")}}).execute()
    seconds = time.perf_counter() - start
    return {"name": f"{page}.md executed top to bottom (kernel start included)", "seconds": seconds,
            "baseline": "target", "baseline_seconds": limit_seconds,
            "target": f"under {limit_seconds:.0f} s", "met": seconds < limit_seconds}
