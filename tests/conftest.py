"""Fixtures for the project's own tests; the helpers they import live in ``support.py``."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT


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
