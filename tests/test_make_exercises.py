"""scripts/make_exercises.py: exercises/ is what solutions/ makes, and making it never loses a learner's work."""
from __future__ import annotations

import doctest
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

SCRIPT = ROOT / "scripts" / "make_exercises.py"
_spec = importlib.util.spec_from_file_location("make_exercises", SCRIPT)
make_exercises = sys.modules["make_exercises"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_exercises)

STUB = 'raise NotImplementedError("count_pairs is not implemented yet: for each word, add its count to every "'
LEARNER_BODY = "    return {'learner': 'my own count_pairs'}\n"


def run(*args: str, root: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """The script as a contributor runs it (on ``root``, a copy of the project, if given)."""
    where = ["--root", str(root)] if root is not None else []
    return subprocess.run([sys.executable, str(SCRIPT), *args, *where], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, env=env)


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of solutions/*.py and exercises/*.py (not a git repository)."""
    root = tmp_path / "project"
    for folder in ("solutions", "exercises"):
        (root / folder).mkdir(parents=True)
        for path in (ROOT / folder).glob("*.py"):
            shutil.copyfile(path, root / folder / path.name)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name} no longer contains the text this test edits: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _learner_edits(path: Path) -> bytes:
    """Fill in count_pairs as a learner would; the file's new bytes."""
    text = path.read_text(encoding="utf-8")
    start = text.index(STUB)
    end = text.index("\n\n", start)
    path.write_text(text[:start] + LEARNER_BODY.strip() + text[end:], encoding="utf-8")
    return path.read_bytes()


# --------------------------------------------------------------------------- --check

def test_committed_exercises_are_what_the_solutions_make():
    result = run("--check")
    assert result.returncode == 0, f"exercises/ is stale: run `python scripts/make_exercises.py`\n{result.stdout}"
    assert result.stdout == "" and result.stderr == ""


def test_check_catches_a_changed_provided_function(project):
    _edit(project / "solutions" / "semantic_geometry.py",
          "if n >= max(min_reviews, per_condition)}", "if n >= min(min_reviews, per_condition)}")
    result = run("--check", root=project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "--- exercises/semantic_geometry.py (committed)\n+++ exercises/semantic_geometry.py (generated)\n" \
        in result.stdout
    hunks = [line for line in result.stdout.splitlines() if line.startswith("@@")]
    assert len(hunks) == 1 and hunks[0].endswith("def evaluation_set(reviews=None, per_condition: int = 15, "
                                                 "min_reviews: int = 20) -> list:"), hunks
    assert "\n-    keep = {c for c, n in counts.items() if n >= max(min_reviews, per_condition)}\n" in result.stdout
    assert "\n+    keep = {c for c, n in counts.items() if n >= min(min_reviews, per_condition)}\n" in result.stdout
    assert "tokenization.py" not in result.stdout, "only the changed file is reported"
    assert (project / "exercises" / "semantic_geometry.py").read_bytes() == \
        (ROOT / "exercises" / "semantic_geometry.py").read_bytes(), "--check writes nothing"


def test_check_catches_a_changed_docstring(project):
    _edit(project / "solutions" / "tokenization.py",
          '"""Count adjacent symbol pairs over pre-tokens', '"""Count the adjacent symbol pairs over pre-tokens')
    result = run("--check", root=project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert '\n-    """Count adjacent symbol pairs over pre-tokens' in result.stdout
    assert '\n+    """Count the adjacent symbol pairs over pre-tokens' in result.stdout
    assert any(line.startswith("@@") and line.endswith("def count_pairs(word_counts: dict) -> dict:")
               for line in result.stdout.splitlines()), result.stdout


def test_check_catches_an_edited_missing_or_extra_exercise(project):
    _edit(project / "exercises" / "static_embeddings.py", 'METHODS = ("3cosadd", "3cosmul")', 'METHODS = ("3cosadd",)')
    (project / "exercises" / "contextual_embeddings.py").unlink()
    (project / "exercises" / "notes.py").write_text("x = 1\n")
    result = run("--check", root=project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert '\n-METHODS = ("3cosadd",)\n+METHODS = ("3cosadd", "3cosmul")\n' in result.stdout
    assert "exercises/contextual_embeddings.py is missing" in result.stdout
    assert "+++ exercises/contextual_embeddings.py (generated)" in result.stdout
    assert "exercises/notes.py has no solutions/notes.py" in result.stdout


# --------------------------------------------------------------------------- writing

def test_a_learners_work_is_never_replaced_without_force(project):
    """No git here, so nothing vouches for an edited file: refused, and nothing else written either."""
    target = project / "exercises" / "tokenization.py"
    mine = _learner_edits(target)
    (project / "exercises" / "static_embeddings.py").unlink()  # would be written, if anything were
    result = run(root=project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "exercises/tokenization.py: not replaced" in result.stderr and "--force" in result.stderr
    assert target.read_bytes() == mine, "the learner's file is untouched"
    assert not (project / "exercises" / "static_embeddings.py").exists(), "all or nothing"
    assert not list((project / "exercises").glob("*.bak"))

    result = run("--force", root=project)
    assert result.returncode == 0, result.stdout + result.stderr
    backups = list((project / "exercises").glob("tokenization.py.*.bak"))
    assert len(backups) == 1 and backups[0].read_bytes() == mine, "the backup holds the learner's code"
    assert f"kept in exercises/{backups[0].name}" in result.stdout
    assert LEARNER_BODY.strip() not in target.read_text(encoding="utf-8")
    assert run("--check", root=project).returncode == 0


def test_without_git_an_edited_file_is_refused(project):
    mine = _learner_edits(project / "exercises" / "tokenization.py")
    no_git = project.parent / "empty-bin"
    no_git.mkdir()
    result = run(root=project, env={**os.environ, "PATH": str(no_git)})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "git is not installed" in result.stderr
    assert (project / "exercises" / "tokenization.py").read_bytes() == mine


def _git(root: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True, env=env, timeout=60)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_with_git_only_generated_files_are_replaced(project):
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "start")
    target = project / "exercises" / "tokenization.py"

    # A contributor changes a docstring: the committed, generated exercise is replaced, twice in a row.
    _edit(project / "solutions" / "tokenization.py", "Count adjacent symbol pairs", "Count the adjacent symbol pairs")
    assert run(root=project).returncode == 0
    assert "Count the adjacent symbol pairs" in target.read_text(encoding="utf-8")
    _edit(project / "solutions" / "tokenization.py", "Count the adjacent symbol pairs",
          "Count all adjacent symbol pairs")
    result = run(root=project)
    assert result.returncode == 0, result.stderr
    assert "Count all adjacent symbol pairs" in target.read_text(encoding="utf-8")
    assert run(root=project).stdout == "", "nothing to write a second time"

    # A learner fills in a stub and commits it: committed or not, their work is theirs.
    mine = _learner_edits(target)
    _git(project, "commit", "-q", "-am", "my work")
    _edit(project / "solutions" / "tokenization.py", "Count all adjacent symbol pairs", "Count adjacent symbol pairs")
    result = run(root=project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "exercises/tokenization.py: not replaced: it is as last committed, but that is not what" in result.stderr
    assert target.read_bytes() == mine


# --------------------------------------------------------------------------- markers

def test_markers_make_the_exercise():
    solution = (
        "import re  # SOLUTION\n"
        "import os  # EXERCISE: import os  # noqa: F401  (for you)\n"
        "ANSWER = 'b'  # EXERCISE: ANSWER = None\n"
        "\r\n"
        "def f(x):\r\n"
        "    '''Doc.'''\r\n"
        "    # BEGIN SOLUTION\r\n"
        "    return re.escape(x)\r\n"
        "    # END SOLUTION\r\n"
        "    # EXERCISE: raise NotImplementedError(\"f is not implemented yet: \"\r\n"
        "    # EXERCISE:                           \"escape it\")\r\n"
        "# BEGIN SOLUTION\n"
        "\n"
        "\n"
        "def _helper():\n"
        "    pass\n"
        "# END SOLUTION\n"
    )
    assert make_exercises.generate(solution) == (
        "import os  # noqa: F401  (for you)\n"
        "ANSWER = None\n"
        "\r\n"
        "def f(x):\r\n"
        "    '''Doc.'''\r\n"
        "    raise NotImplementedError(\"f is not implemented yet: \"\r\n"
        "                              \"escape it\")\r\n"
    )


def test_the_generators_own_examples_hold():
    result = doctest.testmod(make_exercises)
    assert result.attempted > 0 and result.failed == 0


_STUB = "    # EXERCISE: raise NotImplementedError('f is not implemented yet: do it')\n"
MALFORMED = {
    "begin without end": ("def f():\n    '''Doc.'''\n    # BEGIN SOLUTION\n    return 1\n", 3, "without an"),
    "end without begin": ("x = 1\n# END SOLUTION\n", 2, "without a"),
    "nested blocks": ("# BEGIN SOLUTION\nx = 1\n# BEGIN SOLUTION\ny = 2\n# END SOLUTION\n# END SOLUTION\n", 3,
                      "blocks do not nest"),
    "end at another indentation": ("def f():\n    '''Doc.'''\n    # BEGIN SOLUTION\n    return 1\n# END SOLUTION\n"
                                   + _STUB, 5, "a block ends where it began"),
    "SOLUTION on its own line": ("# SOLUTION\nx = 1\n", 1, "marks nothing"),
    "SOLUTION on a block header": ("if True:  # SOLUTION\n    x = 1\n", 1, "would leave its block behind"),
    "SOLUTION inside a statement": ("x = [\n    1,  # SOLUTION\n]\n", 2, "fits on its line"),
    "BEGIN after code": ("x = 1  # BEGIN SOLUTION\n", 1, "on a line of its own"),
    "BEGIN inside brackets": ("x = [\n    # BEGIN SOLUTION\n    1,\n    # END SOLUTION\n]\n", 2, "between statements"),
    "a misspelt marker": ("#BEGIN SOLUTION\nx = 1\n", 1, "looks like a marker"),
    "EXERCISE without a colon": ("x = 1\n# EXERCISE x = None\n", 2, "looks like a marker"),
    "a stub forgotten": ("def f():\n    '''Doc.'''\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION\n", 1,
                         "a docstring and nothing else"),
    "a stub without the sentence": ("def f():\n    '''Doc.'''\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION\n"
                                    "    # EXERCISE: raise NotImplementedError('todo')\n", 1, "not implemented yet"),
    "an exercise that does not compile": ("x = 1  # EXERCISE: x = (\n", 1, "would not compile"),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_marker_is_an_error_naming_file_and_line(case):
    source, line, words = MALFORMED[case]
    with pytest.raises(make_exercises.MarkerError) as err:
        make_exercises.generate(source, "solutions/bad.py", "exercises/bad.py")
    where = "exercises/bad.py" if case == "an exercise that does not compile" else "solutions/bad.py"
    assert str(err.value).startswith(f"{where}:{line}"), str(err.value)
    assert words in str(err.value)


def test_a_malformed_marker_stops_the_script(project):
    _edit(project / "solutions" / "tokenization.py", "    # END SOLUTION\n    # EXERCISE: raise NotImplementedError("
          '"count_pairs', '    # EXERCISE: raise NotImplementedError("count_pairs')
    before = {p.name: p.read_bytes() for p in (project / "exercises").glob("*.py")}
    for args in (["--check"], []):
        result = run(*args, root=project)
        assert result.returncode == 2, result.stdout + result.stderr
        assert result.stderr.startswith("error: solutions/tokenization.py:") and "blocks do not nest" in result.stderr
    assert {p.name: p.read_bytes() for p in (project / "exercises").glob("*.py")} == before
