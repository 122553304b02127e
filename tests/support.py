"""Helpers for the project's own tests (not learner-facing), imported as ``from support import ...``.

pytest puts ``tests/`` on ``sys.path`` (the folder has no ``__init__.py``), from the repository
root and from inside ``tests/`` alike; ``conftest.py`` keeps only fixtures and hooks.
"""
from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from autograder.chapters import CHAPTERS

ROOT = Path(__file__).resolve().parents[1]
#: Gradings started before the tests that read them (tests/conftest.py), by the chapters graded.
EARLY_GRADINGS = pytest.StashKey[dict]()


@dataclass
class GradingRun:
    """The outcome of one `pytest autograder` run in a subprocess."""

    returncode: int
    output: str
    cases: dict[str, str] = field(default_factory=dict)  # test id -> passed/failed/error/skipped
    messages: dict[str, str] = field(default_factory=dict)  # test id -> failure message

    def with_outcome(self, outcome: str) -> list[str]:
        return [case for case, result in self.cases.items() if result == outcome]

    def report(self) -> str:
        """The score report: everything from its heading on (there must be one)."""
        assert "SCORE REPORT" in self.output, self.output[-3000:]
        return self.output[self.output.rindex("SCORE REPORT"):]

    def fix_lines(self) -> list[str]:
        """The report's ✗ entries, each joined back into one line (the report wraps them)."""
        entries, current = [], None
        for line in self.report().splitlines():
            if line.startswith("  ✗ "):
                current = [line.strip()]
                entries.append(current)
            elif current is not None and line.startswith("    ") and not line.startswith("    Hint:"):
                current.append(line.strip())
            else:
                current = None
        return [" ".join(e) for e in entries]


def run_grading(*args: str, root: Path = ROOT, env: dict | None = None, tmp_path: Path) -> GradingRun:
    """Run the learner's grading command (`pytest autograder ...`) and parse its JUnit XML."""
    report = tmp_path / f"grading-{len(list(tmp_path.glob('grading-*.xml')))}.xml"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *args, "-p", "no:cacheprovider", f"--junitxml={report}"],
        cwd=root, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=1200,
    )
    run = GradingRun(proc.returncode, proc.stdout + proc.stderr)
    if report.exists():
        for case in ET.parse(report).getroot().iter("testcase"):
            name = f"{case.get('classname')}::{case.get('name')}"
            result, message = "passed", ""
            for tag in ("failure", "error", "skipped"):
                node = case.find(tag)
                if node is not None:
                    result = {"failure": "failed", "error": "error", "skipped": "skipped"}[tag]
                    message = node.get("message", "")
            run.cases[name], run.messages[name] = result, message
    return run


def start_gradings(chapters: tuple[str, ...], tmp_path: Path) -> dict[str, Future]:
    """Start grading ``chapters`` of the solutions and of the untouched stubs, side by side (one
    process each, one per core); returns {"solutions": future, "stubs": future} of GradingRun."""
    targets = ["autograder"] if chapters == tuple(CHAPTERS) else [f"autograder/test_{c}.py" for c in chapters]
    (tmp_path / "sol").mkdir(parents=True, exist_ok=True)
    (tmp_path / "stubs").mkdir(parents=True, exist_ok=True)
    pool = ThreadPoolExecutor(2)
    runs = {"solutions": pool.submit(run_grading, *targets, "--grade", "solutions", tmp_path=tmp_path / "sol"),
            "stubs": pool.submit(run_grading, *targets, tmp_path=tmp_path / "stubs")}
    pool.shutdown(wait=False)  # the threads end with their subprocesses
    return runs


def grading_durations(tmp_path: Path) -> dict[str, float]:
    """Seconds per test of the latest :func:`run_grading` in ``tmp_path`` (from its JUnit XML)."""
    latest = max(tmp_path.glob("grading-*.xml"), key=lambda p: int(p.stem.split("-")[1]))
    return {f"{c.get('classname')}::{c.get('name')}": float(c.get("time", 0))
            for c in ET.parse(latest).getroot().iter("testcase")}


def toc_pages() -> list[str]:
    """The pages of the book in table-of-contents order, e.g. "book/index"."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc["parts"]:
        pages += [chapter["file"] for chapter in part["chapters"]]
    return pages
