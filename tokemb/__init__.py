"""Support code shared by the Tokens & Embeddings book, exercises, solutions and autograder.

It stands alone: nothing here imports the chapters (``solutions``, ``exercises``), the
``autograder`` or the ``demos``, which are built on top of it.

- ``tokemb.assets``: every model and data set, loaded offline from installed packages.
- ``tokemb.models``: the table of embedding models the book ships and compares.
- ``tokemb.plotting``: one figure style that reads well in light and dark mode.
- ``tokemb.pages``: what the book's pages share (their preamble, tables and glued numbers).
- ``tokemb.reading``: reading-time estimates of the pages.
- ``tokemb.measurements``: measured costs the pages quote, measured once per machine.
- ``tokemb.minilm_onnx``: all-MiniLM-L6-v2 as a small ONNX file for the browser.
- ``tokemb.files``: writing a file so that no reader sees half of it.
- ``tokemb.stats``: tests for paired comparisons on a few queries (exact sign flips, t intervals).

Importing this package switches the Hugging Face libraries to offline mode *before* they are
imported, so nothing here (or in code that imports it first) can reach a model hub.
"""
import os as _os

for _switch in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    _os.environ.setdefault(_switch, "1")
_os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
# The Rust tokenizers warn (and can deadlock) when a process forks after using threads.
_os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

__all__ = ["assets", "files", "measurements", "minilm_onnx", "models", "pages", "plotting", "reading", "stats"]
