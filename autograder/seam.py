"""The one seam between the autograder and the code it grades.

Tests never import ``exercises`` or ``solutions`` themselves; they ask for a chapter::

    from autograder.seam import chapter
    tok = chapter("tokenization")     # exercises/tokenization.py, or solutions/... with --grade solutions
    tok.train_bpe(...)

A module that cannot be imported (a syntax error, an exception at import time) does not
stop the run: ``chapter`` returns a stand-in whose every attribute raises
:class:`ExerciseImportError` with the original error, so that chapter's tests fail with a
line naming the file. A later chapter that imports the broken one inside a function
(``from .static_embeddings import cosine_similarity_matrix``) gets the same
:class:`ExerciseImportError` from that import, so its lines name the broken file too: an
import guard (:func:`install_import_guard`) wraps the import of every graded module.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import os
import sys
import traceback
from pathlib import Path

from autograder.chapters import CHAPTERS

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ("exercises", "solutions")


class ExerciseImportError(Exception):
    """The learner's module could not be imported; the message says where and why."""


def target() -> str:
    """Which folder is graded: ``exercises`` unless ``--grade solutions`` (or $GRADE) says otherwise."""
    name = os.environ.get("GRADE", "exercises")
    if name not in TARGETS:
        raise ValueError(f"GRADE must be one of {TARGETS}, not {name!r}")
    return name


def graded_folder() -> Path:
    """The folder whose modules are graded (``ROOT/exercises`` or ``ROOT/solutions``)."""
    return ROOT / target()


def is_graded_file(filename: str) -> bool:
    """Whether ``filename`` (a code object's ``co_filename``) is one of the graded modules."""
    folder = str(graded_folder()) + os.sep
    return filename.startswith(folder) or os.path.realpath(filename).startswith(folder)


def relative(filename: str) -> str:
    """``exercises/tokenization.py`` for a graded file's absolute path (as the learner sees it)."""
    try:
        return Path(os.path.realpath(filename)).relative_to(ROOT).as_posix()
    except ValueError:
        return Path(filename).name


def place(filename: str, line: int) -> str:
    """``exercises/tokenization.py, line 83``: a line of the graded code, as every feedback line names it."""
    return f"{relative(filename)}, line {line}"


def graded_call(tb) -> tuple[str, str] | None:
    """(function, place) of the innermost frame of the graded code in traceback ``tb``, or None."""
    frames = [f for f in traceback.extract_tb(tb) if is_graded_file(f.filename)]
    return (frames[-1].name, place(frames[-1].filename, frames[-1].lineno)) if frames else None


def _reason(err: BaseException) -> str:
    """What went wrong at import, in one line, with the file and line of the learner's code."""
    if isinstance(err, SyntaxError):
        return f"{type(err).__name__} on line {err.lineno}: {err.msg}"
    graded = [f for f in traceback.extract_tb(err.__traceback__) if is_graded_file(f.filename)]
    where = graded[-1] if graded else traceback.extract_tb(err.__traceback__)[-1]
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text} (at {Path(where.filename).name}:{where.lineno})"


class _GuardedLoader(importlib.abc.Loader):
    """Runs a graded module; any failure becomes an ExerciseImportError naming the file."""

    def __init__(self, inner, rel: str):
        self._inner, self._rel = inner, rel

    def create_module(self, spec):
        return self._inner.create_module(spec)

    def exec_module(self, module):
        if self._rel in _failed:
            raise ExerciseImportError(_failed[self._rel])
        try:
            self._inner.exec_module(module)
        except Exception as err:  # a syntax error or any exception at import time
            _failed[self._rel] = f"{self._rel} could not be imported: {_reason(err)}"
            raise ExerciseImportError(_failed[self._rel]) from None


class _ImportGuard(importlib.abc.MetaPathFinder):
    """Finds ``exercises.X`` / ``solutions.X`` as usual, but loads them with :class:`_GuardedLoader`."""

    def find_spec(self, fullname, path=None, target_module=None):
        package, _, name = fullname.partition(".")
        if package not in TARGETS or name not in CHAPTERS:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _GuardedLoader(spec.loader, f"{package}/{name}.py")
        return spec


_failed: dict[str, str] = {}  # "exercises/x.py" -> the one-line reason, so a broken file runs once
_GUARD = _ImportGuard()


def install_import_guard() -> None:
    """Put the import guard first on ``sys.meta_path`` (idempotent)."""
    if _GUARD not in sys.meta_path:
        sys.meta_path.insert(0, _GUARD)


class _Unimportable:
    """Stands in for a module that failed to import; any use re-raises the reason."""

    def __init__(self, message: str):
        self._message = message

    def __getattr__(self, attr: str):
        head, _, reason = self._message.partition(" could not be imported: ")
        raise ExerciseImportError(f"{head} could not be imported, so `{attr}` cannot be graded: {reason}")


_loaded: dict[tuple[str, str], object] = {}


def chapter(name: str):
    """The graded module for chapter ``name`` (one of :data:`CHAPTERS`), imported once per run,
    behind autograder.results.CheckedModule: a function that returns None or a generator where
    its signature promises a value fails with its own line, before a test compares values."""
    if name not in CHAPTERS:
        raise ValueError(f"unknown chapter {name!r}; chapters are {CHAPTERS}")
    key = (target(), name)
    if key not in _loaded:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        install_import_guard()
        try:
            _loaded[key] = importlib.import_module(f"{key[0]}.{name}")
        except ExerciseImportError as err:  # costs this chapter (and what imports it), nothing else
            _loaded[key] = _Unimportable(str(err))
    if isinstance(_loaded[key], _Unimportable):
        return _loaded[key]
    if key not in _checked:
        from autograder.results import CheckedModule  # results imports this module

        _checked[key] = CheckedModule(_loaded[key])
    return _checked[key]


_checked: dict[tuple[str, str], object] = {}


def loaded_modules() -> list:
    """The graded modules imported so far (not the stand-ins of broken ones)."""
    return [m for m in _loaded.values() if not isinstance(m, _Unimportable)]
