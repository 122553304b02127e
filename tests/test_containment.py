"""Containment: a deliberately broken copy of the project is graded in a subprocess, as a
learner's `pytest autograder` would grade it. A broken module, a runaway loop, runaway memory,
a crash or an exit costs only what it must; every mistake of the learner review gets a line
naming its cause; and the score report still comes, last, with the right total."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, grading_durations, run_grading

#: A containment run grades a deliberately broken copy of the project (several seconds each): slow tier.
containment = pytest.mark.slow


def _copy_project(tmp_path: Path, exercises_from: str) -> Path:
    """A throwaway copy of the grading setup whose exercises/ is a copy of ``exercises_from``/."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("autograder", "solutions", "tokemb"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / exercises_from, root / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def _edit(path: Path, old: str, new: str) -> None:
    source = path.read_text()
    assert source.count(old) == 1, f"{path.name} no longer contains the code this test edits: {old!r}"
    path.write_text(source.replace(old, new))


def _insert_after_docstring(path: Path, signature: str, code: str) -> None:
    """Insert ``code`` (indented lines) as the first statements of the function ``signature``."""
    head, tail = path.read_text().split(signature, 1)
    doc_end = tail.index('"""', tail.index('"""') + 3) + 3
    path.write_text(head + signature + tail[:doc_end] + code + tail[doc_end:])


@containment
def test_a_broken_module_costs_only_its_chapter(tmp_path):
    root = _copy_project(tmp_path, exercises_from="solutions")
    (root / "exercises" / "tokenization.py").write_text("def pretokenize(text:\n    pass\n")
    run = run_grading("autograder/test_tokenization.py", "autograder/test_static_embeddings.py",
                      root=root, tmp_path=tmp_path)
    tok = [c for c in run.cases if "test_tokenization" in c]
    static = [c for c in run.cases if "test_static_embeddings" in c]
    assert tok and static, run.output[-3000:]
    failed = [c for c in tok if run.cases[c] == "failed"]
    assert failed and all(run.cases[c] == "failed" for c in tok), run.output[-3000:]
    assert all("exercises/tokenization.py could not be imported" in run.messages[c]
               and "SyntaxError" in run.messages[c] for c in failed)
    assert all(run.cases[c] in ("passed", "skipped") for c in static), run.output[-3000:]
    lines = run.fix_lines()  # one line for the one cause, with what it cost; no traceback is promised
    assert len(lines) == 1 and lines[0].startswith("✗ exercises/tokenization.py could not be imported: SyntaxError"), \
        "\n".join(lines)
    assert f"— {len(tok)} tests, " in lines[0] and "Tracebacks are above" not in run.report(), run.report()


@containment
def test_an_import_error_names_the_broken_file_in_every_chapter_that_uses_it(tmp_path):
    """semantic_geometry and contextual_embeddings import static_embeddings inside some
    functions: their tests of those functions fail with a line naming the broken file; their
    other tests still pass."""
    root = _copy_project(tmp_path, exercises_from="solutions")
    path = root / "exercises" / "static_embeddings.py"
    path.write_text(path.read_text() + "\nraise RuntimeError('boom at import')\n")
    users = ["autograder/test_contextual_embeddings.py::test_sense_cosines_hand_worked",
             "autograder/test_semantic_geometry.py::test_neighbors_hand_worked",
             "autograder/test_semantic_geometry.py::test_neighbors_ties_lower_index_first"]
    others = ["autograder/test_contextual_embeddings.py::test_mean_pool_hand_worked",
              "autograder/test_semantic_geometry.py::test_precision_at_k"]
    run = run_grading(*users, *others, "autograder/test_static_embeddings.py", root=root, tmp_path=tmp_path)
    static = [c for c in run.cases if "test_static_embeddings" in c]
    assert static and all(run.cases[c] == "failed" for c in static), run.output[-3000:]
    for case in [c for c in run.cases if "test_static_embeddings" not in c]:
        name = case.split("::")[-1]
        if any(u.endswith(name) for u in users):
            assert run.cases[case] == "failed", run.output[-3000:]
            assert run.messages[case].startswith("exercises/static_embeddings.py could not be imported"), \
                run.messages[case]
            assert "RuntimeError: boom at import" in run.messages[case]
        else:
            assert run.cases[case] == "passed", f"{case}: {run.messages[case]}"
    lines = run.fix_lines()
    assert any(re.search(r"so `(nearest_neighbors|sense_cosines)`, which uses it, cannot be graded", line)
               for line in lines), "\n".join(lines)


@containment
def test_a_loop_that_never_ends_costs_one_time_limit(tmp_path):
    """merge_pair that never moves on (a typical slip): many tests reach it, only the first
    waits for the time limit; the others fail at once with the same line."""
    root = _copy_project(tmp_path, exercises_from="solutions")
    _edit(root / "exercises" / "tokenization.py",
          "        else:\n            out.append(word[i])\n            i += 1\n",
          "        else:\n            pass\n")
    limit = 6  # seconds: a test's own setup before it reaches merge_pair can take 2.5 s on a busy machine
    run = run_grading("autograder/test_tokenization.py", root=root, env={"GRADE_TIMEOUT": str(limit)},
                      tmp_path=tmp_path)
    stopped = [c for c, m in run.messages.items() if "runs a loop that never ends" in m]
    assert len(stopped) >= 8, run.output[-3000:]
    assert len({run.messages[c] for c in stopped}) == 1, "the tests after the first repeat its line"
    assert "`merge_pair`" in run.messages[stopped[0]] and "`i` = " in run.messages[stopped[0]]
    seconds = grading_durations(tmp_path)
    waited = [c for c in stopped if seconds[c] >= limit - 0.5]
    assert len(waited) == 1, f"only the first test that reaches it waits for the limit: {waited}"
    assert all(seconds[c] < limit / 2 for c in stopped if c not in waited), \
        {c: seconds[c] for c in stopped if c not in waited and seconds[c] >= limit / 2}
    assert any(r == "passed" for r in run.cases.values()), "grading goes on"
    assert "Total:" in run.output.splitlines()[-1]


@containment
def test_an_allocating_loop_is_stopped_by_the_memory_limit(tmp_path):
    """merge_pair that appends without moving on grows without end: the memory limit stops it
    long before the machine runs out, with a line that says so, and grading goes on."""
    root = _copy_project(tmp_path, exercises_from="solutions")
    _edit(root / "exercises" / "tokenization.py",
          "        else:\n            out.append(word[i])\n            i += 1\n",
          "        else:\n            out.append(word[i])\n")
    run = run_grading("autograder/test_tokenization.py", root=root,
                      env={"GRADE_MEMORY_GB": "0.25", "GRADE_TIMEOUT": "300"}, tmp_path=tmp_path)
    stopped = [c for c, m in run.messages.items() if "used more than 256 MB of memory" in m]
    assert len(stopped) >= 8, run.output[-3000:]
    assert all("does a loop keep appending?" in run.messages[c] and "`out` holds" in run.messages[c]
               for c in stopped), run.messages[stopped[0]]
    assert any(r == "passed" for r in run.cases.values()), "grading goes on"
    assert "Total:" in run.output.splitlines()[-1]


@containment
def test_slow_code_and_an_endless_loop_get_different_lines(tmp_path):
    root = _copy_project(tmp_path, exercises_from="solutions")
    path = root / "exercises" / "static_embeddings.py"
    _insert_after_docstring(path, "def cosine_similarity(a, b) -> float:", "\n    while True:\n        pass")
    _insert_after_docstring(path, "def cosine_similarity_matrix(A, B) -> np.ndarray:",
                            "\n    total = 0\n    for step in range(10 ** 12):\n        total += step")
    run = run_grading("autograder/test_static_embeddings.py", "-k", "cosine or read_analogy or skipgram",
                      root=root, env={"GRADE_TIMEOUT": "2"}, tmp_path=tmp_path)
    loop = {c: m for c, m in run.messages.items() if "cosine_similarity`" in m}
    slow = {c: m for c, m in run.messages.items() if "cosine_similarity_matrix`" in m}
    assert loop and slow, run.output[-3000:]
    assert all("runs a loop that never ends" in m for m in loop.values()), loop
    assert all(m.startswith("too slow") and "never ends" not in m for m in slow.values()), slow
    assert any(r == "passed" for r in run.cases.values()), "grading goes on after a timeout"


def _collected(root: Path, *files: str) -> list[str]:
    """The test ids pytest collects from ``files`` (no test runs)."""
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *files],
                          cwd=root, capture_output=True, text=True, timeout=300)
    return [line for line in proc.stdout.splitlines() if "::" in line]


def _check_report_is_last_and_adds_up(run, root: Path, *files: str) -> None:
    """The report came, last; every collected test has an outcome; the chapters' points add up to the total."""
    assert "SCORE REPORT" in run.output and "Total:" in run.output.splitlines()[-1], run.output[-3000:]
    ids = {f"{path.removesuffix('.py').replace('/', '.')}::{name}"  # as the JUnit XML names them
           for path, _, name in (i.partition("::") for i in _collected(root, *files))}
    assert ids and ids == set(run.cases), sorted(ids ^ set(run.cases))[:5]
    chapters = re.findall(r"^\s+(\d+) / (\d+)\s+\S", run.report().split("Points by MVU item")[0], re.M)
    total = re.search(r"Total: (\d+) / (\d+) points", run.output.splitlines()[-1])
    assert [sum(int(c[0]) for c in chapters), sum(int(c[1]) for c in chapters)] == [int(total[1]), int(total[2])]


@containment
def test_os_exit_costs_the_rest_of_its_chapter_and_sys_exit_one_test(tmp_path):
    """os._exit in merge_pair ends tokenization's grading process: the running test's line names
    the call, the function and its line; the chapter's later tests are not graded. sys.exit in
    read_analogy_questions costs that one test of static embeddings, graded in full beside it."""
    root = _copy_project(tmp_path, exercises_from="solutions")
    _insert_after_docstring(root / "exercises" / "tokenization.py",
                            "def merge_pair(word: tuple, pair: tuple) -> tuple:", "\n    import os\n    os._exit(3)")
    _insert_after_docstring(root / "exercises" / "static_embeddings.py",
                            "def read_analogy_questions(questions) -> list[tuple[str, str, str, str]]:",
                            "\n    import sys\n    sys.exit(2)")
    files = ("autograder/test_tokenization.py", "autograder/test_static_embeddings.py")
    run = run_grading(*files, root=root, tmp_path=tmp_path)
    _check_report_is_last_and_adds_up(run, root, *files)
    ended = [c for c, m in run.messages.items() if "ended the program (os._exit(3))" in m]
    assert len(ended) == 1, run.output[-3000:]
    assert "`merge_pair` (exercises/tokenization.py, line " in run.messages[ended[0]], run.messages[ended[0]]
    tok = [c for c in run.cases if "test_tokenization" in c]
    after = tok[tok.index(ended[0]) + 1:]
    assert after and all(run.messages[c].startswith("not graded: this chapter's grading process ended")
                         for c in after), {c: run.messages[c] for c in after}
    assert all(run.cases[c] == "passed" for c in tok[:tok.index(ended[0])])
    static = {c: r for c, r in run.cases.items() if "test_static_embeddings" in c}
    exited = [c for c in static if static[c] == "failed"]
    assert any(c.endswith("::test_read_analogy_questions") for c in exited), run.output[-3000:]
    exits = [line for line in run.fix_lines() if "sys.exit(2)" in line]
    assert exits and all("in `read_analogy_questions` (exercises/static_embeddings.py, line " in line
                         for line in exits), "\n".join(run.fix_lines())
    assert len(exited) < len(static) / 2, "only the tests that reach read_analogy_questions fail"


@containment
def test_a_crash_and_a_call_that_never_returns_cost_only_their_chapters(tmp_path):
    """A segmentation fault in static embeddings' cosine_similarity (ctypes reading address 0) and
    a built-in call that never returns to Python in tokenization's pretokenize (sum over a huge
    range: the limit's signal handler never runs): each chapter's line says which, and where."""
    root = _copy_project(tmp_path, exercises_from="solutions")
    _insert_after_docstring(root / "exercises" / "static_embeddings.py", "def cosine_similarity(a, b) -> float:",
                            "\n    import ctypes\n    ctypes.string_at(0)")
    _insert_after_docstring(root / "exercises" / "tokenization.py",
                            "def pretokenize(text: str, special_tokens=()) -> list[str]:",
                            "\n    sum(range(10 ** 13))")
    files = ("autograder/test_tokenization.py", "autograder/test_static_embeddings.py")
    run = run_grading(*files, root=root, env={"GRADE_TIMEOUT": "2"}, tmp_path=tmp_path)
    _check_report_is_last_and_adds_up(run, root, *files)
    crashed = [m for m in run.messages.values() if "crashed (segmentation fault)" in m]
    assert len(crashed) == 1 and "`cosine_similarity` (exercises/static_embeddings.py, line " in crashed[0], \
        run.output[-3000:]
    stuck = [c for c, m in run.messages.items() if "inside one call" in m]
    assert len(stuck) == 1 and "`pretokenize` (exercises/tokenization.py, line " in run.messages[stuck[0]], \
        run.output[-3000:]
    assert grading_durations(tmp_path)[stuck[0]] < 30, "the stuck process is ended soon after its limit and grace"


@containment
def test_a_call_that_keeps_allocating_is_ended_by_the_memory_cap(tmp_path):
    """list(itertools.count()) in pretokenize grows memory inside one built-in call, where the
    child's own check never runs: the parent ends the process soon after the cap (not at the time
    limit, and long before the machine runs out), and the line says so and where."""
    root = _copy_project(tmp_path, exercises_from="solutions")
    _insert_after_docstring(root / "exercises" / "tokenization.py",
                            "def pretokenize(text: str, special_tokens=()) -> list[str]:",
                            "\n    import itertools\n    list(itertools.count())")
    files = ("autograder/test_tokenization.py",)
    run = run_grading(*files, root=root, env={"GRADE_MEMORY_GB": "0.25", "GRADE_TIMEOUT": "300"},
                      tmp_path=tmp_path)
    _check_report_is_last_and_adds_up(run, root, *files)
    ended = [c for c, m in run.messages.items() if "used more than 256 MB of memory" in m]
    assert len(ended) == 1, run.output[-3000:]
    assert "`pretokenize` (exercises/tokenization.py, line " in run.messages[ended[0]], run.messages[ended[0]]
    assert "inside one call that could not be stopped" in run.messages[ended[0]]
    assert grading_durations(tmp_path)[ended[0]] < 30, "ended at the memory cap, not at the 300-s time limit"


@containment
def test_a_result_of_the_wrong_kind_gets_its_own_line(tmp_path):
    """A function that prints its answer instead of returning it, one that returns a generator
    where a list is due and one that returns an array where one number is due each get a line
    that names the mistake (autograder/results.py), not a comparison that reads "got nan"; the
    tests that do not reach them pass."""
    root = _copy_project(tmp_path, exercises_from="solutions")
    _edit(root / "exercises" / "static_embeddings.py",
          "    return weights / weights.sum()", "    print(weights / weights.sum())")
    _edit(root / "exercises" / "static_embeddings.py",
          "    return float(np.clip(a @ b / (norm_a * norm_b), -1.0, 1.0))",
          "    return np.array([a @ b / (norm_a * norm_b)])")
    _edit(root / "exercises" / "tokenization.py", "    return _split(text, _special_splitter(special_tokens))",
          "    return (piece for piece in _split(text, _special_splitter(special_tokens)))")
    static = "autograder/test_static_embeddings.py::"
    tok = "autograder/test_tokenization.py::"
    run = run_grading(f"{static}test_negative_sampling_distribution", f"{static}test_cosine_hand_worked",
                      f"{static}test_read_analogy_questions", f"{tok}test_pretokenize_hand_worked",
                      root=root, tmp_path=tmp_path)
    by_name = {case.split("::")[-1]: case for case in run.cases}
    printed = by_name["test_negative_sampling_distribution"]
    generator = by_name["test_pretokenize_hand_worked"]
    assert run.cases[printed] == run.cases[generator] == "failed", run.output[-3000:]
    assert re.search(r"`negative_sampling_distribution` \(exercises/static_embeddings\.py, line \d+\) returned None: "
                    r"did it print its answer instead of returning it\?", run.messages[printed]), run.messages[printed]
    assert re.search(r"`pretokenize` \(exercises/tokenization\.py, line \d+\) returned a generator where a list is "
                    r"due", run.messages[generator]), run.messages[generator]
    assert re.search(r"`cosine_similarity` \(exercises/static_embeddings\.py, line \d+\) returned a numpy array "
                     r"of shape \(1,\) where one number \(a float\) is due",
                     run.messages[by_name["test_cosine_hand_worked"]]), run.messages[by_name["test_cosine_hand_worked"]]
    assert run.cases[by_name["test_read_analogy_questions"]] == "passed", run.output[-3000:]
    report = run.report()
    assert any("returned None: did it print its answer" in line for line in run.fix_lines()), report
    assert "got nan" not in report and "faulty __repr__" not in run.output, report


@containment
def test_uniform_negatives_lose_the_noise_distribution_test(tmp_path):
    """The learner review's case: train_skipgram drawing its negatives uniformly (rng.choice without
    p=) passed both of its tests; the noise-distribution test now names what was drawn."""
    root = _copy_project(tmp_path, exercises_from="solutions")
    _edit(root / "exercises" / "static_embeddings.py",
          "noise_ids = rng.choice(vocab_size, size=(len(batch), negatives), p=noise)",
          "noise_ids = rng.choice(vocab_size, size=(len(batch), negatives))")
    run = run_grading("autograder/test_static_embeddings.py", root=root, tmp_path=tmp_path)
    by_name = {case.split("::")[-1]: case for case in run.cases}
    failed = sorted(name for name, case in by_name.items() if run.cases[case] == "failed")
    assert failed == ["test_train_skipgram_draws_negatives_from_the_noise_distribution"], run.output[-3000:]
    assert re.search(r"drawn as a negative \d+\.\d% of the time, expected \d+\.\d% \(counts \*\* 0\.75\); uniform "
                     r"draws would give 10%", run.messages[by_name[failed[0]]]), run.messages[by_name[failed[0]]]


@containment
def test_a_broken_building_block_is_named_in_the_lines_that_inherit_it(tmp_path):
    """The learner review's case: an off-by-one in merge_pair also fails train_bpe, whose own line
    and hint would send the learner to correct code. Its line now names merge_pair and drops the
    hint; merge_pair's own line keeps its hint; a test that uses neither is untouched."""
    root = _copy_project(tmp_path, exercises_from="solutions")
    _edit(root / "exercises" / "tokenization.py",
          "if i < n - 1 and word[i] == first", "if i < n - 2 and word[i] == first")
    tok = "autograder/test_tokenization.py::"
    run = run_grading(f"{tok}test_merge_pair_hand_worked", f"{tok}test_train_bpe_hand_worked",
                      f"{tok}test_pretokenize_hand_worked", root=root, tmp_path=tmp_path)
    lines = run.fix_lines()
    assert len(lines) == 2, "\n".join(lines)
    own, inherited = lines
    assert own.startswith("✗ merge one pair inside a word") and "fix that first" not in own, own
    assert inherited.startswith("✗ train_bpe on a hand-worked text") and inherited.endswith(
        "— but `merge_pair`, which this can build on, fails its own test: fix that first"), inherited
    report = run.report()
    assert report.count("Hint:") == 1 and "Hint: left to right, non-overlapping" in report, report


@containment
def test_an_unclipped_cosine_is_not_penalised_for_rounding(tmp_path):
    """The solutions clip cosines to [-1, 1] (rounding gives 1.0000000000000002 for [1, 1, 1] with
    itself); a learner who leaves the clip out is off only by rounding and loses no point."""
    root = _copy_project(tmp_path, exercises_from="solutions")
    path = root / "exercises" / "static_embeddings.py"
    _edit(path, "return float(np.clip(a @ b / (norm_a * norm_b), -1.0, 1.0))",
          "return float(a @ b / (norm_a * norm_b))")
    _edit(path, "return np.clip((A @ B.T) / np.outer(norms_a, norms_b), -1.0, 1.0)",
          "return (A @ B.T) / np.outer(norms_a, norms_b)")
    run = run_grading("autograder/test_static_embeddings.py", "-k", "cosine", root=root, tmp_path=tmp_path)
    assert len(run.cases) >= 4 and set(run.cases.values()) == {"passed"}, run.output[-3000:]


# The quick tier's containment case (two tests of one chapter graded: about 3 s).
def test_a_mutable_default_argument_is_named(tmp_path):
    """The learner review's case: read_analogy_questions(questions, found=[]) keeps every earlier
    call's questions; its line used to show the duplicates under a parsing hint."""
    root = _copy_project(tmp_path, exercises_from="solutions")
    path = root / "exercises" / "static_embeddings.py"
    _edit(path, "def read_analogy_questions(questions) ->", "def read_analogy_questions(questions, found=[]) ->")
    _edit(path, "        lines = list(questions)\n    out = []\n", "        lines = list(questions)\n    out = found\n")
    static = "autograder/test_static_embeddings.py::"
    run = run_grading(f"{static}test_read_analogy_questions", f"{static}test_cosine_hand_worked",
                      root=root, tmp_path=tmp_path)
    by_name = {case.split("::")[-1]: case for case in run.cases}
    read = by_name["test_read_analogy_questions"]
    assert run.cases[read] == "failed" and run.cases[by_name["test_cosine_hand_worked"]] == "passed", \
        run.output[-3000:]
    assert re.search(r"`read_analogy_questions` \(exercises/static_embeddings\.py, line \d+\) changed its default "
                     r"argument `found`, so what one call puts there is still there at the next", run.messages[read]), \
        run.messages[read]
    assert "Hint:" not in run.report(), run.report()


_SLOW_BPE = '''
_given = train_bpe  # the learner writes the body under the stub's docstring


def train_bpe(text, vocab_size, special_tokens=()):  # counts every occurrence (learner review M5)
    specials = list(special_tokens)
    seqs = [tuple(bytes([b]) for b in p.encode("utf-8")) for p in pretokenize(text, specials) if p not in specials]
    vocab = {i: bytes([i]) for i in range(256)} | {256 + i: s.encode("utf-8") for i, s in enumerate(specials)}
    merges = []
    while len(vocab) < vocab_size:
        counts = {}
        for s in seqs:
            for pair in zip(s, s[1:]):
                counts[pair] = counts.get(pair, 0) + 1
        if not counts:
            break
        pair = max(counts, key=lambda p: (counts[p], p))
        merges.append(pair)
        vocab[len(vocab)] = pair[0] + pair[1]
        seqs = [merge_pair(s, pair) for s in seqs]
    return vocab, merges


train_bpe.__doc__ = _given.__doc__


def _every_merge(self, piece):  # goes through the whole list of merges for every pre-token (M4)
    symbols = tuple(bytes([b]) for b in piece.encode("utf-8"))
    pairs = set(zip(symbols, symbols[1:]))
    for pair in self.merges:
        if len(symbols) < 2:
            break
        if pair in pairs:
            symbols = merge_pair(symbols, pair)
            pairs = set(zip(symbols, symbols[1:]))
    return [self._id_of[s] for s in symbols]


BPETokenizer._encode_piece = _every_merge
'''


@containment
def test_what_a_docstring_says_about_speed_is_graded(tmp_path):
    """The learner review's M4 and M5 got full marks: an encode that goes through all of GPT-2's
    merges for every pre-token, and a train_bpe that counts every occurrence. The speed tests
    (here with an 8-s limit instead of 60 s; the reference needs about a second for each, these minutes) stop
    both, and the line quotes the docstring's advice."""
    root = _copy_project(tmp_path, exercises_from="solutions")
    path = root / "exercises" / "tokenization.py"
    path.write_text(path.read_text() + _SLOW_BPE)
    tok = "autograder/test_tokenization.py::"
    run = run_grading(f"{tok}test_train_bpe_hand_worked", f"{tok}test_train_bpe_is_fast_on_a_repeated_text",
                      f"{tok}test_encode_is_fast_on_many_different_words", f"{tok}test_encode_hand_worked",
                      root=root, env={"GRADE_TIMEOUT": "8"}, tmp_path=tmp_path)
    by_name = {case.split("::")[-1]: case for case in run.cases}
    assert run.cases[by_name["test_train_bpe_hand_worked"]] == "passed", run.output[-3000:]  # correct, only slow
    lines = run.fix_lines()
    assert len(lines) == 2, "\n".join(lines)
    train, encode = lines
    assert "too slow: `train_bpe`" in train and "Count pairs over the table of distinct pre-tokens" in train, train
    assert "too slow: `BPETokenizer.encode`" in encode and "Look up the rank of each adjacent pair" in encode, encode


#: The rest of the learner review's mistakes (M1, M4, M5, M9, M10 and M11 have tests above):
#: (the review's id, the file, the code as the solution has it, the mistake, the tests graded
#: (-k), the words every line of the mistake must hold, how many lines; $GRADE_TIMEOUT).
#: One control test that does not reach the mistaken function must still pass in each run.
MISTAKES = [
    ("M2-best-pair-tie-goes-to-the-smallest", "tokenization.py",
     "    return max(pair for pair, count in pair_counts.items() if count == top)",
     "    return min(pair for pair, count in pair_counts.items() if count == top)",
     "best_pair or train_bpe_hand_worked or pretokenize_hand_worked", None,
     [("tie rule: greatest pair among equal counts", "best_pair("),
      ("train_bpe on a hand-worked text", "`best_pair`, which this can build on, fails its own test")]),
    ("M3-train-bpe-one-merge-too-many", "tokenization.py",
     "    while len(vocab) < vocab_size and pair_counts:", "    while len(vocab) <= vocab_size and pair_counts:",
     "train_bpe_hand_worked or train_bpe_vocab_layout or pretokenize_hand_worked", None,
     [("train_bpe on a hand-worked text", "merges instead of"), ("vocab has 279 entries, expected 278",)]),
    ("M6-a-merge-result-thrown-away", "tokenization.py",
     "        symbols = merge_pair(symbols, pair)\n        steps.append(symbols)",
     "        merge_pair(symbols, pair)\n        steps.append(symbols)",
     "explain_split_hand_worked or explain_split_lowest_rank_first or pretokenize_hand_worked", "4",
     [("`explain_split` (exercises/tokenization.py, line", "runs a loop that never ends", "`symbols` = ",
       "`steps` keeps growing", "does a loop keep appending?")]),
    ("M7-cosine-matrix-scales-only-A", "static_embeddings.py",
     "    return np.clip((A @ B.T) / np.outer(norms_a, norms_b), -1.0, 1.0)", "    return (A @ B.T) / norms_a[:, None]",
     "cosine_matrix or read_analogy_questions", None,
     [("all pairwise cosines in one matrix", "got [[", "expected [[")]),
    ("M8-analogy-keeps-the-input-words", "static_embeddings.py",
     "    banned = set(ids_pos + ids_neg) if exclude_inputs else set()", "    banned = set()",
     "analogy_excludes_inputs or analogy_3cosadd_hand_worked or cosine_similarity", None,
     [("analogy leaves out the input words", "input word", "is among the answers")]),
    ("M12-mean-pool-ignores-the-mask", "contextual_embeddings.py",
     "    pooled = (E * M[:, :, None]).sum(axis=1) / counts[:, None]", "    pooled = E.mean(axis=1)",
     "mean_pool_hand_worked or sense_cosines_hand_worked", None,
     [("mean pooling by hand", "includes the padded position: the attention mask was ignored")]),
    ("M13-neighbours-by-euclidean-distance", "semantic_geometry.py",
     "    scores = cosine_similarity_matrix(query[None, :], corpus)[0]",
     "    scores = -np.linalg.norm(corpus - query, axis=1)",
     "neighbors_hand_worked or precision_at_k", None,
     [("nearest neighbours by cosine", "that is the ranking by Euclidean distance")]),
    ("M14-neighbours-ignore-exclude", "semantic_geometry.py",
     "    for i in excluded:\n        if 0 <= i < len(candidates):\n            candidates[i] = -np.inf\n", "",
     "neighbors_exclude or precision_at_k", None,
     [("nearest neighbours: exclude", "that is the ranking by the query not excluded")]),
    # not in the review: a result of the right kind and shape but not the documented dtype
    ("mean-pool-left-in-float64", "contextual_embeddings.py", "    pooled = pooled.astype(np.float32)\n", "",
     "mean_pool_hand_worked or sense_cosines_hand_worked", None,
     [("mean pooling by hand", "mean_pool of a (2, 3, 2) batch returned dtype float64, expected float32")]),
]


@containment
@pytest.mark.parametrize("mistake", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_each_mistake_of_the_learner_review_gets_a_line_naming_its_cause(tmp_path, mistake):
    _, name, old, new, selection, timeout, expected = mistake
    root = _copy_project(tmp_path, exercises_from="solutions")
    _edit(root / "exercises" / name, old, new)
    chapter = "autograder/test_" + name
    run = run_grading(chapter, "-k", selection, root=root, tmp_path=tmp_path,
                      env={"GRADE_TIMEOUT": timeout} if timeout else None)
    lines = run.fix_lines()
    assert len(lines) == len(expected), "\n".join(lines) or run.output[-3000:]
    for line, words in zip(lines, expected):
        assert all(w in line for w in words), f"{line}\nshould hold: {words}"
    assert any(result == "passed" for result in run.cases.values()), "a test that does not reach it passes"
    assert "Total:" in run.output.splitlines()[-1], run.output[-3000:]
