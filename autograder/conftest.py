"""Grading plugin: points per test, a per-test time limit, and the score report.

Every graded test carries ``@pytest.mark.graded(points=..., mvu=..., concept=..., hint=...)``.
At the end of a run the learner sees, before any traceback, points per chapter and per MVU
item and one line per failure naming the concept, what differed first, and a hint.

    pytest autograder                          # grade exercises/
    pytest autograder/test_tokenization.py     # one chapter
    pytest autograder --grade solutions        # grade the reference solutions
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass

import pytest

from autograder.seam import TARGETS, ExerciseImportError

# A runaway loop in one exercise must not stop the rest of the grading. $GRADE_TIMEOUT
# overrides it (the project's own tests use a short limit to check the mechanism).
PER_TEST_SECONDS = float(os.environ.get("GRADE_TIMEOUT", 60))

MVU_ITEMS = {
    "tokenize": "Tokenize a sentence with BPE and explain how a word splits into tokens",
    "static-vs-contextual": "Distinguish static from contextual embeddings",
    "cosine": "Use cosine similarity, and explain why not Euclidean distance",
    "model-choice": "Pick an embedding model for a task",
}
CHAPTER_TITLES = {
    "test_tokenization": "Tokenization",
    "test_static_embeddings": "Static embeddings",
    "test_contextual_embeddings": "Contextual embeddings",
    "test_semantic_geometry": "Semantic geometry",
}


def pytest_addoption(parser):
    parser.addoption("--grade", choices=TARGETS, default=None,
                     help="which folder to grade: exercises (default) or solutions")


def pytest_configure(config):
    choice = config.getoption("--grade")
    if choice:
        os.environ["GRADE"] = choice
    config.addinivalue_line("markers", "graded(points, mvu, concept, hint): a graded test")
    config._grades = {}  # nodeid -> _Result, one per graded test


@dataclass
class _Result:
    chapter: str
    mvu: str
    points: int
    concept: str
    hint: str
    outcome: str = "passed"  # passed / failed / skipped
    why: str = ""


def pytest_collection_modifyitems(config, items):
    for item in items:
        marker = item.get_closest_marker("graded")
        if marker is None:
            raise pytest.UsageError(f"{item.nodeid} has no @pytest.mark.graded(...): every "
                                    "autograder test must say what it is worth")
        if marker.kwargs.get("mvu") not in MVU_ITEMS:
            raise pytest.UsageError(f"{item.nodeid}: mvu must be one of {sorted(MVU_ITEMS)}")
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(marker.kwargs.get("timeout", PER_TEST_SECONDS)))


def _first_line(text: str) -> str:
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def _why(excinfo) -> str:
    """One line saying why a test failed, in the learner's terms."""
    err = excinfo.value
    if isinstance(err, NotImplementedError):
        text = _first_line(err) or "a function still raises NotImplementedError"
        return text if "not implemented yet" in text else f"not implemented yet: {text}"
    if isinstance(err, ExerciseImportError):
        return _first_line(err)
    text = _first_line(err)
    if text.startswith("Timeout"):
        return f"stopped after the time limit ({text}); does a loop never end?"
    if isinstance(err, AssertionError):
        return text or "an assertion failed"
    return f"raised {type(err).__name__}: {text}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    marker = item.get_closest_marker("graded")
    grades = item.config._grades
    if report.when == "setup" and report.passed:
        return  # the call phase will decide
    if report.when == "teardown" and (report.passed or item.nodeid in grades):
        if report.failed and grades[item.nodeid].outcome == "passed":
            grades[item.nodeid].outcome, grades[item.nodeid].why = "failed", _why(call.excinfo)
        return
    kw = marker.kwargs
    module = item.module.__name__.split(".")[-1]
    result = _Result(CHAPTER_TITLES.get(module, module), kw["mvu"], kw.get("points", 1),
                     kw.get("concept", item.name), kw.get("hint", ""))
    if report.skipped:
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        result.outcome, result.why = "skipped", _first_line(reason).removeprefix("Skipped: ")
    elif report.failed:
        result.outcome, result.why = "failed", _why(call.excinfo) if call.excinfo else "failed"
    grades[item.nodeid] = result


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter, exitstatus, config):
    # Printed before pytest's own FAILURES section, so the learner reads this first.
    if config._grades:
        _print_report(terminalreporter, list(config._grades.values()))
    yield


def _print_report(tr, results):
    from autograder.seam import target

    write = tr.write_line
    tr.section(f"SCORE REPORT — grading {target()}/", sep="=", bold=True)
    for title, key in (("By chapter", "chapter"), ("By MVU item", "mvu")):
        earned, possible = defaultdict(int), defaultdict(int)
        for r in results:
            group = getattr(r, key)
            possible[group] += r.points if r.outcome != "skipped" else 0
            earned[group] += r.points if r.outcome == "passed" else 0
        write(f"{title}:")
        for group in (MVU_ITEMS if key == "mvu" else sorted(possible)):
            if group in possible:
                label = f"{group} — {MVU_ITEMS[group]}" if key == "mvu" else group
                write(f"  {earned[group]:>3} / {possible[group]:<3} {label}")
    total = sum(r.points for r in results if r.outcome == "passed")
    out_of = sum(r.points for r in results if r.outcome != "skipped")
    write(f"Total: {total} / {out_of} points")
    failed = [r for r in results if r.outcome == "failed"]
    if failed:
        write("")
        write("What to fix first (one line each; tracebacks follow below):")
        for r in failed:
            hint = f"  Hint: {r.hint}" if r.hint else ""
            write(f"  ✗ [{r.chapter}] {r.concept}: {r.why}{hint}")
    skipped = [r for r in results if r.outcome == "skipped"]
    for r in skipped:
        write(f"  – skipped [{r.chapter}] {r.concept}: {r.why}")
    if not failed:
        write("All graded tests passed.")
