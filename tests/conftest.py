"""Fixtures and hooks for the project's own tests; the helpers they import live in ``support.py``."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from support import EARLY_GRADINGS, ROOT, start_gradings

#: Worker processes for the whole suite (pytest-xdist). CI and most contributors have 2
#: cores, and the suite is mostly one busy process at a time: two workers fill both.
WORKERS = 2
#: The modules whose tests need the built site. They run in one worker, one after another,
#: so the site is built once; being the largest group, they start first.
SITE_MODULES = ("tests/test_browser.py", "tests/test_demo_review_search_live.py", "tests/test_site.py")
SITE_UNIT = "the built site"
#: The units that take longest after the site (measured: every-chapter grading 3-4 min, the
#: containment runs about 3, ONNX on all reviews 1.5-2), handed out first: the longest first,
#: the short modules last, so neither worker is left with a long unit when the other is done.
LONGEST_FIRST = (SITE_UNIT, "tests/test_grading.py", "tests/test_containment.py", "tests/test_minilm_onnx.py",
                 "tests/test_minilm_browser.py", "tests/test_doctests.py", "tests/test_demo_tokenizer_playground.py")
SPLIT_BY_MODULE = pytest.StashKey[bool]()


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """The whole suite (``pytest``, CI's command) runs in WORKERS processes. Measured on one
    2-core machine in one session: 9 min 29 s warm (14 min 26 s in one process); from an
    empty cache 17 min 16 s (23 min 24 s in one process). With LONGEST_FIRST (a later
    session, 321 tests, warm): 9 min 19 s, against 10 min 44 s without it that session.

    A run that picks tests with ``-m`` or ``-k`` (the quick tier is ``-m "not slow"``) stays in
    one process: it has no site build to overlap, and its modules share the models one
    process has loaded. ``-n N`` on the command line sets the number of workers (the modules
    are still handed out as below; ``-n 0`` runs everything in one process), and ``--dist``
    hands out tests its own way. A learner's ``pytest autograder`` never loads this file (it
    grades in child processes of its own).
    """
    option = config.option
    if hasattr(config, "workerinput") or not config.pluginmanager.hasplugin("xdist") or option.dist != "no":
        return
    if option.numprocesses is None:
        if option.markexpr or option.keyword or option.usepdb or option.collectonly or (os.cpu_count() or 1) < 2:
            return
        option.numprocesses = WORKERS
    elif option.numprocesses == 0:
        return
    option.dist = "loadscope"
    config.stash[SPLIT_BY_MODULE] = True
    # One math thread per process, inherited by the workers and all they start (the site
    # build's kernels, grading children): two processes that each spin two threads on two
    # cores waste much of both.
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Hand out whole modules, and SITE_MODULES as one unit; the units in LONGEST_FIRST first
    (xdist's own order is by number of tests, which says little about time)."""
    if not config.stash.get(SPLIT_BY_MODULE, False):
        return None
    missing = [unit for unit in LONGEST_FIRST[1:] if not (ROOT / unit).is_file()]
    if missing:
        raise pytest.UsageError(f"LONGEST_FIRST in tests/conftest.py names modules that do not exist: {missing}")
    from collections import OrderedDict

    from xdist.scheduler import LoadScopeScheduling

    class ByModule(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::")[0]
            return SITE_UNIT if module in SITE_MODULES else module

        def _assign_work_unit(self, node) -> None:
            if not getattr(self, "_ordered", False):  # once, before the first unit is handed out
                self._ordered = True
                rank = {unit: i for i, unit in enumerate(LONGEST_FIRST)}
                units = sorted(self.workqueue, key=lambda unit: rank.get(unit, len(rank)))  # stable
                self.workqueue = OrderedDict((unit, self.workqueue[unit]) for unit in units)
            super()._assign_work_unit(node)

    return ByModule(config, log)


def pytest_collection_modifyitems(items):
    """A test that needs the built site lives in one of SITE_MODULES, or a second worker
    would build the site again (4 minutes)."""
    strays = [item.nodeid for item in items if "site" in getattr(item, "fixturenames", ())
              and item.nodeid.split("::")[0] not in SITE_MODULES]
    if strays:
        raise pytest.UsageError(f"{strays[0]} needs the built site: move it into one of "
                                f"{', '.join(SITE_MODULES)} (tests/conftest.py)")


_EARLY_FOLDER = pytest.StashKey[tempfile.TemporaryDirectory]()


def pytest_collection_finish(session):
    """In a one-process run (the quick tier), start the quick gradings of tests/test_grading.py
    now: two processes that run beside the other modules' tests (the main process keeps one
    core busy) instead of after them, about 10 s less. The workers of a parallel run already
    fill both cores: there each grading starts when its test needs it."""
    config = session.config
    if hasattr(config, "workerinput") or config.stash.get(SPLIT_BY_MODULE, False) or config.option.collectonly:
        return
    wanted = {item.callspec.params["graded"] for item in session.items
              if "graded" in getattr(getattr(item, "callspec", None), "params", {})
              and item.get_closest_marker("slow") is None}
    if wanted:
        folder = config.stash[_EARLY_FOLDER] = tempfile.TemporaryDirectory(prefix="early-grading-")
        config.stash[EARLY_GRADINGS] = {chapters: start_gradings(chapters, Path(folder.name, str(i)))
                                        for i, chapters in enumerate(sorted(wanted))}


def pytest_sessionfinish(session):
    """Wait for early gradings no test read (a run stopped by -x or Ctrl-C), then remove their files."""
    for runs in session.config.stash.get(EARLY_GRADINGS, {}).values():
        for future in runs.values():
            future.exception()  # waits; the run's own timeout bounds it
    if _EARLY_FOLDER in session.config.stash:
        session.config.stash[_EARLY_FOLDER].cleanup()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """A clean build (every page executed) into a fresh folder; returns the HTML folder.

    $TOKEMB_SITE points at an existing build instead (for quick local reruns)."""
    if os.environ.get("TOKEMB_SITE"):
        return Path(os.environ["TOKEMB_SITE"])
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--all", "-W", "-n", "--keep-going",
         "--path-output", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=1800,
    )
    log = proc.stdout + proc.stderr
    (out / "build.log").write_text(log)
    assert proc.returncode == 0, "site build failed:\n" + log[-6000:]
    return out / "_build" / "html"
