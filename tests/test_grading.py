"""The autograder itself: it passes the solutions, fails untouched stubs cleanly, survives
broken modules and runaway loops, and reports scores before tracebacks."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SHARED_FIXTURES, run_grading

CHAPTERS = ["tokenization", "static_embeddings", "contextual_embeddings", "semantic_geometry"]


def _allowed_skip(message: str) -> bool:
    """The only skip allowed: an optional check whose external fixture is absent."""
    return not SHARED_FIXTURES.exists() and "shared/fixtures" in message


@pytest.fixture(scope="module")
def solutions_run(tmp_path_factory):
    return run_grading("autograder", "--grade", "solutions", tmp_path=tmp_path_factory.mktemp("sol"))


@pytest.fixture(scope="module")
def stubs_run(tmp_path_factory):
    return run_grading("autograder", tmp_path=tmp_path_factory.mktemp("stubs"))


def test_every_chapter_is_graded(solutions_run):
    graded_files = {case.split("::")[0].rsplit(".", 1)[-1] for case in solutions_run.cases}
    assert graded_files == {f"test_{c}" for c in CHAPTERS}, solutions_run.output[-3000:]


def test_solutions_pass_every_graded_test(solutions_run):
    bad = [c for c in solutions_run.cases if solutions_run.cases[c] in ("failed", "error")]
    skipped = [c for c in solutions_run.with_outcome("skipped") if not _allowed_skip(solutions_run.messages[c])]
    assert not bad and not skipped, f"failed: {bad}\nskipped: {skipped}\n{solutions_run.output[-4000:]}"
    assert solutions_run.returncode == 0
    assert "All graded tests passed." in solutions_run.output


def test_untouched_stubs_fail_cleanly(stubs_run):
    assert stubs_run.cases, stubs_run.output[-3000:]
    assert not stubs_run.with_outcome("error"), stubs_run.output[-3000:]
    assert not stubs_run.with_outcome("passed"), f"tests that pass on empty stubs: {stubs_run.with_outcome('passed')}"
    for case in stubs_run.with_outcome("skipped"):
        assert _allowed_skip(stubs_run.messages[case]), f"{case} skipped: {stubs_run.messages[case]}"
    report = stubs_run.output.split("SCORE REPORT", 1)[1]
    fix_lines = [line for line in report.splitlines() if line.strip().startswith("✗")]
    assert len(fix_lines) == len(stubs_run.with_outcome("failed"))
    vague = [line for line in fix_lines if "not implemented yet" not in line]
    assert not vague, "every stub failure should say 'not implemented yet':\n" + "\n".join(vague)


def test_score_report_comes_before_tracebacks(stubs_run):
    out = stubs_run.output
    assert "SCORE REPORT" in out and "FAILURES" in out
    assert out.index("SCORE REPORT") < out.index("FAILURES")
    for heading in ("By chapter:", "By MVU item:", "Total:"):
        assert heading in out


def _copy_project(tmp_path: Path, exercises_from: str) -> Path:
    """A throwaway copy of the grading setup whose exercises/ is a copy of ``exercises_from``/."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("autograder", "solutions", "tokemb"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / exercises_from, root / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def test_a_broken_module_costs_only_its_chapter(tmp_path):
    root = _copy_project(tmp_path, exercises_from="solutions")
    (root / "exercises" / "tokenization.py").write_text("def pretokenize(text:\n    pass\n")
    run = run_grading("autograder/test_tokenization.py", "autograder/test_static_embeddings.py",
                      root=root, tmp_path=tmp_path)
    tok = [c for c in run.cases if "test_tokenization" in c]
    static = [c for c in run.cases if "test_static_embeddings" in c]
    assert tok and static, run.output[-3000:]
    # (in this copy ../shared is absent, so the optional fixture checks skip before importing)
    failed = [c for c in tok if run.cases[c] == "failed"]
    assert failed and all(run.cases[c] == "failed" or "fixtures" in run.messages[c] for c in tok), run.output[-3000:]
    assert all("could not be imported" in run.messages[c] and "SyntaxError" in run.messages[c] for c in failed)
    assert all(run.cases[c] in ("passed", "skipped") for c in static), run.output[-3000:]


def test_an_import_time_exception_costs_only_its_chapter(tmp_path):
    root = _copy_project(tmp_path, exercises_from="solutions")
    path = root / "exercises" / "static_embeddings.py"
    path.write_text(path.read_text() + "\nraise RuntimeError('boom at import')\n")
    run = run_grading("autograder/test_static_embeddings.py", root=root, tmp_path=tmp_path)
    assert run.cases and all(r == "failed" for r in run.cases.values()), run.output[-3000:]
    assert all("RuntimeError: boom at import" in m for m in run.messages.values())


def test_a_runaway_loop_is_stopped_and_grading_goes_on(tmp_path):
    root = _copy_project(tmp_path, exercises_from="solutions")
    path = root / "exercises" / "static_embeddings.py"
    source = path.read_text()
    marker = "def cosine_similarity(a, b) -> float:"
    assert marker in source
    # Insert an endless loop as the first statement after the docstring.
    head, tail = source.split(marker, 1)
    doc_end = tail.index('"""', tail.index('"""') + 3) + 3
    path.write_text(head + marker + tail[:doc_end] + "\n    while True:\n        pass" + tail[doc_end:])
    run = run_grading("autograder/test_static_embeddings.py", root=root,
                      env={"GRADE_TIMEOUT": "3"}, tmp_path=tmp_path)
    looped = [c for c, m in run.messages.items() if "Timeout" in m or "time limit" in m]
    assert looped, run.output[-3000:]
    assert any(r == "passed" for r in run.cases.values()), "grading should go on after a timeout"
    assert "does a loop never end?" in run.output
