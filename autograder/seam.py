"""The one seam between the autograder and the code it grades.

Tests never import ``exercises`` or ``solutions`` themselves; they ask for a chapter::

    from autograder.seam import chapter
    tok = chapter("tokenization")     # exercises/tokenization.py, or solutions/... with --grade solutions
    tok.train_bpe(...)

A module that cannot be imported (a syntax error, an exception at import time) does not
stop the run: ``chapter`` returns a stand-in whose every attribute raises
:class:`ExerciseImportError` with the original error, so only that chapter's tests fail.
"""
from __future__ import annotations

import importlib
import os
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ("exercises", "solutions")
CHAPTERS = ("tokenization", "static_embeddings", "contextual_embeddings", "semantic_geometry")


class ExerciseImportError(Exception):
    """The learner's module could not be imported; the message says where and why."""


def target() -> str:
    """Which folder is graded: ``exercises`` unless ``--grade solutions`` (or $GRADE) says otherwise."""
    name = os.environ.get("GRADE", "exercises")
    if name not in TARGETS:
        raise ValueError(f"GRADE must be one of {TARGETS}, not {name!r}")
    return name


class _Unimportable:
    """Stands in for a module that failed to import; any use re-raises the reason."""

    def __init__(self, path: str, reason: str):
        self._path, self._reason = path, reason

    def __getattr__(self, attr: str):
        raise ExerciseImportError(f"{self._path} could not be imported, so `{attr}` cannot be graded: "
                                  f"{self._reason}")


_loaded: dict[tuple[str, str], object] = {}


def chapter(name: str):
    """The graded module for chapter ``name`` (one of :data:`CHAPTERS`), imported once per run."""
    if name not in CHAPTERS:
        raise ValueError(f"unknown chapter {name!r}; chapters are {CHAPTERS}")
    key = (target(), name)
    if key not in _loaded:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        rel = f"{key[0]}/{name}.py"
        try:
            _loaded[key] = importlib.import_module(f"{key[0]}.{name}")
        except SyntaxError as err:
            _loaded[key] = _Unimportable(rel, f"SyntaxError on line {err.lineno}: {err.msg}")
        except Exception as err:  # any import-time failure costs this chapter only
            where = traceback.extract_tb(err.__traceback__)[-1]
            _loaded[key] = _Unimportable(
                rel, f"{type(err).__name__}: {err} (at {Path(where.filename).name}:{where.lineno})")
    return _loaded[key]
