"""Grading: what the time and memory limits cost, and what a runaway loop costs.

    python -m benchmarks.grading

- the full grading run on solutions/ with the grader's limits (a timer-driven watchdog in
  each chapter's grading process) beside the same run with the limits off ($GRADE_TIMEOUT=0,
  $GRADE_MEMORY_GB=0), alternated so that a busy machine slows both alike: target at most
  5 % slower;
- the same run, limits off, with each chapter in a child process of its own (what ``pytest
  autograder`` does) beside one process for every chapter (what ``--pdb`` does), alternated:
  target under 60 s, the learner's whole wait;
- the largest growth of the grading process's memory in any one test on solutions/ (the
  memory limit's margin): target under a third of the 3 GB limit;
- a whole grading run with one runaway loop (merge_pair that never moves on, reached by many
  tests), with the default limits: target under 3 minutes.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import ROOT, Row, report

GRADE = [sys.executable, "-m", "pytest", "autograder", "--grade", "solutions", "-q", "-p", "no:cacheprovider"]

# A plugin that records, for every test, how much its process grew. $PYTEST_PLUGINS loads it in
# the grading run and in each chapter's child process (the children run the tests); each process
# appends its rows as one JSON line.
PEAK_PLUGIN = '''
import json, os, threading, time
import pytest
from autograder.limits import rss
state = {"start": 0, "peak": 0, "rows": []}
def _watch():
    while True:
        state["peak"] = max(state["peak"], rss())
        time.sleep(0.01)
threading.Thread(target=_watch, daemon=True).start()
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    state["start"] = state["peak"] = rss()
    yield
    state["rows"].append((item.nodeid, state["peak"] - state["start"]))
def pytest_unconfigure(config):
    with open(os.environ["PEAK_OUT"], "a") as fh:
        fh.write(json.dumps(state["rows"]) + "\\n")
'''


def _timed(cmd, env=None, cwd=ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def _peak_growth() -> tuple[float, str]:
    import json

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "peak_plugin.py").write_text(PEAK_PLUGIN)
        out = Path(tmp) / "peaks.json"
        env = {"PYTHONPATH": f"{tmp}{os.pathsep}{os.environ.get('PYTHONPATH', '')}", "PEAK_OUT": str(out),
               "PYTEST_PLUGINS": "peak_plugin"}
        _timed(GRADE, env=env)
        rows = [row for line in out.read_text().splitlines() for row in json.loads(line)]
    nodeid, grown = max(rows, key=lambda r: r[1])
    return grown / 1024 ** 3, nodeid


def _runaway_run() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        for name in ("autograder", "solutions", "tokemb"):
            shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(ROOT / "solutions", root / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
        path = root / "exercises" / "tokenization.py"
        path.write_text(path.read_text().replace("        else:\n            out.append(word[i])\n            i += 1\n",
                                                 "        else:\n            pass\n"))
        return _timed([sys.executable, "-m", "pytest", "autograder", "-q", "-p", "no:cacheprovider"], cwd=root)


def run() -> list[Row]:
    on, off, one_process = [], [], []
    for _ in range(2):
        on.append(_timed(GRADE))
        off.append(_timed(GRADE, env={"GRADE_TIMEOUT": "0", "GRADE_MEMORY_GB": "0"}))
        one_process.append(_timed(GRADE + ["--pdb"]))  # no test fails on solutions/: pdb never opens
    with_limits, without, in_process = min(on), min(off), min(one_process)
    grown, where = _peak_growth()
    runaway = _runaway_run()
    return [
        Row("grading solutions/, with the limits", with_limits, "limits off", without, "<= 1.05x limits off",
            with_limits <= 1.05 * without),
        Row("grading solutions/, a child process per chapter (limits off)", without, "all in one process",
            in_process, "< 60 s", without < 60),
        Row(f"largest memory growth in one test ({where.split('::')[-1]})", grown, "the memory limit", 3.0,
            "< 1 GB", grown < 1.0, unit=" GB"),
        Row("grading run with one runaway loop (merge_pair)", runaway, "target 180 s", 180.0, "< 180 s",
            runaway < 180),
    ]


if __name__ == "__main__":
    sys.exit(report(run()))
