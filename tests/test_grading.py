"""The autograder itself: it passes the solutions, fails untouched stubs cleanly, and ends
with a score report a beginner can read in a terminal. (What a broken exercise costs, and the
line each mistake gets: tests/test_containment.py.)"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from support import EARLY_GRADINGS, ROOT, start_gradings

from autograder.chapters import CHAPTERS, TITLES  # the one list of chapters, in ladder order

#: The chapter the quick tier grades through the real grader (its solutions and stubs take
#: about 10 s; in a one-process run tests/conftest.py starts them before the first test, so
#: they run beside the other modules); the full suite grades every chapter with the same checks.
QUICK_CHAPTER = "static_embeddings"


@pytest.fixture(scope="module", params=[pytest.param(tuple(CHAPTERS), id="every-chapter", marks=pytest.mark.slow),
                                        pytest.param((QUICK_CHAPTER,), id=QUICK_CHAPTER)])
def graded(request) -> tuple[str, ...]:
    """The chapters a grading run covers, in ladder order."""
    return request.param


@pytest.fixture(scope="module")
def graded_runs(graded, request, tmp_path_factory) -> dict:
    """The solutions and the untouched stubs, graded side by side (two processes: one per core)."""
    runs = request.config.stash.get(EARLY_GRADINGS, {}).pop(graded, None)
    if runs is None:
        runs = start_gradings(graded, tmp_path_factory.mktemp("grading"))
    return {name: future.result() for name, future in runs.items()}


@pytest.fixture(scope="module")
def solutions_run(graded_runs):
    return graded_runs["solutions"]


@pytest.fixture(scope="module")
def stubs_run(graded_runs):
    return graded_runs["stubs"]


def test_every_chapter_is_graded(graded, solutions_run):
    graded_files = {case.split("::")[0].rsplit(".", 1)[-1] for case in solutions_run.cases}
    assert graded_files == {f"test_{c}" for c in graded}, solutions_run.output[-3000:]


def test_solutions_pass_every_graded_test(solutions_run):
    bad = [c for c in solutions_run.cases if solutions_run.cases[c] in ("failed", "error")]
    skipped = solutions_run.with_outcome("skipped")  # every point is graded on any clone: no skips
    assert not bad and not skipped, f"failed: {bad}\nskipped: {skipped}\n{solutions_run.output[-4000:]}"
    assert solutions_run.returncode == 0
    assert "All graded tests passed." in solutions_run.output


def test_untouched_stubs_fail_cleanly(stubs_run):
    assert stubs_run.cases, stubs_run.output[-3000:]
    assert not stubs_run.with_outcome("error"), stubs_run.output[-3000:]
    assert not stubs_run.with_outcome("passed"), f"tests that pass on empty stubs: {stubs_run.with_outcome('passed')}"
    assert not stubs_run.with_outcome("skipped"), f"skipped: {stubs_run.with_outcome('skipped')}"
    untouched = ("not implemented yet", "not answered yet")  # a stub function; a concept question left None
    vague = [c for c in stubs_run.with_outcome("failed") if not any(w in stubs_run.messages[c] for w in untouched)]
    assert not vague, f"every stub failure should say 'not implemented yet' or 'not answered yet': {vague}"
    fix_lines = stubs_run.fix_lines()
    assert fix_lines and all(any(f"is {w}" in line for w in untouched) for line in fix_lines), "\n".join(fix_lines)
    assert not any("Hint:" in line for line in stubs_run.report().splitlines()), \
        "a stub's own message says what to do; a hint next to it repeats or contradicts it"
    assert "Tracebacks are above" not in stubs_run.report(), "a stub prints no traceback"
    # the concept questions grade cosine_similarity_matrix, which lives in another file: its line says which
    if "Concept questions:" in stubs_run.report():
        concepts = " ".join(stubs_run.report().split("Concept questions:")[1].split())
        assert "cosine_similarity_matrix is not implemented yet" in concepts, concepts
        assert "(in exercises/static_embeddings.py)" in concepts, concepts


def test_score_report_is_last_in_book_order_and_fits_a_terminal(graded, stubs_run):
    out = stubs_run.output
    report = stubs_run.report()
    assert out.index("FAILURES") < out.index("SCORE REPORT"), "short tracebacks come above the report"
    assert re.search(r"\d+ failed.* in [\d.]+s", out[:out.index("SCORE REPORT")]), "pytest's summary line comes first"
    assert "short test summary info" not in out, "the report replaces pytest's duplicate list of failures"
    last = [line for line in out.splitlines() if line.strip()][-1]
    assert "Total:" in last and "points" in last, f"the last line printed should be the total, not {last!r}"
    for heading in ("Points by chapter", "Points by MVU item"):
        assert heading in report
    titles = [TITLES[c] for c in graded]
    positions = [report.index(f"\n{title}: ") for title in titles]
    assert positions == sorted(positions), "chapters in the order of the book"
    summary = report.split("Points by MVU item")[0]
    assert [summary.index(t) for t in titles] == sorted(summary.index(t) for t in titles)
    assert max(len(line) for line in report.splitlines()) <= 80, "lines wrapped for an 80-column terminal"
    for title in titles:  # untouched stubs: each chapter's list fits on one screen
        block = report.split(f"\n{title}: ", 1)[1].split("\n\n", 1)[0]
        assert len(block.splitlines()) <= 30, f"{title}: {len(block.splitlines())} lines\n{block}"


def _question_options(path: Path, name: str) -> list[str]:
    """The options a) to d) of the question ``name`` in a concepts.py file (in the comment above it)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith(f"{name} = "))
    start = end
    while start > 0 and lines[start - 1].startswith("#"):
        start -= 1
    text = " ".join(line.lstrip("#").strip() for line in lines[start:end])
    return [option.strip() for option in re.split(r"\s[a-d]\)\s", f" {text}")[1:]]


def _grader_options() -> dict[str, tuple[str, ...]]:
    """OPTIONS of autograder/test_concepts.py, read from its source (nothing is imported)."""
    tree = ast.parse((ROOT / "autograder" / "test_concepts.py").read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "OPTIONS")
    return ast.literal_eval(node.value)


@pytest.mark.parametrize("folder", ["exercises", "solutions"])
def test_concept_options_are_the_questions(folder):
    """The grader derives the expected letter from its own list of a question's options: that list
    must be the question's, letter for letter."""
    options = _grader_options()
    assert len(options) == 5
    for name, expected in options.items():
        assert _question_options(ROOT / folder / "concepts.py", name) == list(expected), name
