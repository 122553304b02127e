"""The Python code passes ruff with the project's configuration (``[tool.ruff]`` in pyproject.toml):
pycodestyle, pyflakes (no unused or undefined names), sorted imports, bugbear, pyupgrade."""
from __future__ import annotations

import subprocess
import sys

from support import ROOT


def test_ruff_passes():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
