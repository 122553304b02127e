"""Interactive demo pages: the data each page embeds and the JavaScript that runs it in the browser.

Helpers the demos share: int8 quantisation of the vectors a page carries, and running a demo's
JavaScript under Node (the tests and benchmarks compare it with Python that way).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np


def quantise(vectors) -> np.ndarray:
    """Rows scaled so their largest |entry| is 127, rounded to int8 (direction kept, length dropped).

    >>> quantise([[0.5, -0.25, 0.0]]).tolist()
    [[127, -64, 0]]
    """
    v = np.asarray(vectors, dtype=np.float64)
    peak = np.abs(v).max(axis=1, keepdims=True)
    return np.round(v / np.where(peak == 0, 1, peak) * 127).astype(np.int8)


def node() -> str | None:
    """The path of Node.js, or None where it is not installed."""
    return shutil.which("node")


def run_node(runner: str, js_path: Path, *payloads, extra_args=(), timeout: float = 300):
    """Run ``runner`` (JavaScript source) under Node as ``node runner.js JS_PATH p1.json p2.json ...
    extra_args``, each payload written as a JSON file, and return what it prints, parsed as JSON.

    Raises RuntimeError with Node's stderr if it fails, FileNotFoundError if Node is absent.
    """
    executable = node()
    if executable is None:
        raise FileNotFoundError("node is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "runner.js").write_text(runner)
        files = []
        for i, payload in enumerate(payloads):
            files.append(tmp / f"payload{i}.json")
            files[-1].write_text(json.dumps(payload))
        proc = subprocess.run([executable, str(tmp / "runner.js"), str(js_path), *map(str, files), *extra_args],
                              capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"node failed on {Path(js_path).name}:\n{proc.stderr}")
    return json.loads(proc.stdout)
