"""Run the demos' JavaScript under Node.js: test tooling, not part of the pages.

A runner is a real ES module in ``tests/js/`` (lintable, highlighted). It is called as
``node tests/js/RUNNER.mjs ARG ...`` and prints its answer as JSON. Each argument here is either
a path (a ``pathlib.Path``: a demo's JavaScript, a folder, a model file), passed as it is, or any
other value, written to a temporary JSON file whose path is passed instead.

The tests import it as ``from node_runner import run_node`` (pytest puts ``tests/`` on the
path); the benchmarks, run from the repository root, as ``from tests.node_runner import run_node``.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

RUNNERS = Path(__file__).with_name("js")


def node() -> str | None:
    """The path of Node.js, or None where it is not installed."""
    return shutil.which("node")


def run_node(runner: str, *args, timeout: float = 300):
    """Run ``tests/js/<runner>`` with ``args`` (paths as they are, other values as JSON files)
    and return what it prints, parsed as JSON.

    Raises FileNotFoundError if Node or the runner is missing, RuntimeError with Node's stderr
    if the runner fails.
    """
    executable = node()
    if executable is None:
        raise FileNotFoundError("node is not installed")
    script = RUNNERS / runner
    if not script.is_file():
        raise FileNotFoundError(f"no Node runner {script}")
    with tempfile.TemporaryDirectory() as tmp:
        argv = []
        for i, arg in enumerate(args):
            if isinstance(arg, Path):
                argv.append(str(arg))
            else:
                argv.append(str(Path(tmp) / f"arg{i}.json"))
                Path(argv[-1]).write_text(json.dumps(arg), encoding="utf-8")
        proc = subprocess.run([executable, str(script), *argv], capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"node failed running {runner}:\n{proc.stderr}")
    return json.loads(proc.stdout)
