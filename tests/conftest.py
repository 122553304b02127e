"""Shared helpers for the project's own tests (not learner-facing)."""
from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class GradingRun:
    """The outcome of one `pytest autograder` run in a subprocess."""

    returncode: int
    output: str
    cases: dict[str, str] = field(default_factory=dict)  # test id -> passed/failed/error/skipped
    messages: dict[str, str] = field(default_factory=dict)  # test id -> failure message

    def with_outcome(self, outcome: str) -> list[str]:
        return [case for case, result in self.cases.items() if result == outcome]


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


def toc_pages() -> list[str]:
    """The pages of the book in table-of-contents order, e.g. "book/index"."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc["parts"]:
        pages += [chapter["file"] for chapter in part["chapters"]]
    return pages


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
