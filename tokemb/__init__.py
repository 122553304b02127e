"""Support code shared by the Tokens & Embeddings book, exercises, solutions and autograder.

- ``tokemb.assets``: every model and data set, loaded offline from installed packages.
- ``tokemb.plotting``: one figure style that reads well in light and dark mode.

Importing this package switches the Hugging Face libraries to offline mode *before* they are
imported, so nothing here (or in code that imports it first) can reach a model hub.
"""
import os as _os

for _switch in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    _os.environ.setdefault(_switch, "1")
_os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
# The Rust tokenizers warn (and can deadlock) when a process forks after using threads.
_os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

__all__ = ["assets", "plotting"]
