"""The benchmarks' shared rows, timer and table (benchmarks/__init__.py), and the row construction
of the benchmarks that need a built site or minutes of grading (website.py, grading.py,
__main__.py), run on stand-in measurements. The measurements themselves are not run here."""
from __future__ import annotations

import importlib

import pytest
from support import ROOT


@pytest.fixture
def bench(monkeypatch):
    """The benchmarks package: run from the repository root, not installed."""
    monkeypatch.syspath_prepend(str(ROOT))
    return importlib.import_module("benchmarks")


def test_row_ratio_and_report(bench, capsys):
    rows = [bench.Row("fast thing", 0.5, "slow thing", 2.0, "at most 1x", True),
            bench.Row("weight", 3.0, "target 1.5 MB", 1.5, "under 1.5 MB", False, unit="MB"),
            bench.Row("no baseline", 1.0, "missing", 0.0, "measured, no target", True)]
    assert rows[0].ratio == 0.25 and rows[1].ratio == 2.0
    assert rows[2].ratio != rows[2].ratio  # NaN: nothing to compare with
    assert bench.report(rows) == 1  # one target missed
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "" and lines[1].split() == ["benchmark", "time", "baseline", "ratio", "target", "met"]
    assert lines[2].split() == ["fast", "thing", "0.5000s", "slow", "thing", "(2.0000s)", "0.25x", "at", "most",
                                "1x", "yes"]
    assert lines[3].split() == ["weight", "3.0000MB", "target", "1.5", "MB", "(1.5000MB)", "2.00x", "under", "1.5",
                                "MB", "NO"]
    assert lines[4].split()[-2:] == ["target", "yes"] and "nanx" in lines[4]
    assert bench.report(rows[:1]) == 0


def test_best_of_keeps_the_fastest_call_and_the_result(bench, monkeypatch):
    clock = iter([0.0, 5.0, 10.0, 12.0, 20.0, 23.0])  # calls taking 5, 2 and 3 seconds
    monkeypatch.setattr(bench.time, "perf_counter", lambda: next(clock))
    calls = []
    assert bench.best_of(lambda: calls.append(1) or len(calls), 3) == (2.0, 3)
    with pytest.raises(ValueError, match="repeats=0"):
        bench.best_of(lambda: None, 0)


def test_website_rows(bench, monkeypatch):
    website = importlib.import_module("benchmarks.website")
    monkeypatch.setattr(website, "page_weight", lambda browser, url: (2.0, 7))
    monkeypatch.setattr(website, "_playground_times", lambda browser, url, text: {"paste": 250, "key": 20, "step": 400})
    monkeypatch.setattr(website, "_analogy_times", lambda browser, url: [10.0, 30.0, 20.0])
    weights = {r.name: r for r in website._weight_rows(None, "http://x")}
    article = weights["book/tokenization.html, first visit (7 files)"]
    assert (article.baseline, article.baseline_value, article.target, article.met, article.unit) == (
        "target 1.5 MB", 1.5, "under 1.5 MB", False, "MB")
    assert weights["book/demo_review_search.html, first visit (7 files)"].met  # demos may weigh up to 5 MB
    demo = website._demo_rows(None, "http://x")
    assert [(r.value, r.baseline, r.target, r.met) for r in demo] == [
        (0.25, "target 300 ms", "< 300 ms", True), (0.02, "target 300 ms", "< 300 ms", True),
        (0.4, "target 300 ms", "< 300 ms", False), (0.02, "target 300 ms", "< 300 ms", True)]
    assert demo[3].name == "analogy explorer in Chromium: an example clicked, to the next frame, median of 3"


def test_grading_and_project_rows(bench, monkeypatch):
    grading = importlib.import_module("benchmarks.grading")
    # with the limits, without, all in one process (--pdb); twice
    times = iter([50.0, 40.0, 30.0, 48.0, 41.0, 33.0])
    calls = []
    monkeypatch.setattr(grading, "_timed", lambda cmd, env=None, cwd=None: calls.append((cmd, env)) or next(times))
    monkeypatch.setattr(grading, "_peak_growth", lambda: (0.5, "autograder/test_x.py::test_big"))
    monkeypatch.setattr(grading, "_runaway_run", lambda: 200.0)
    limits, children, memory, runaway = grading.run()
    assert (limits.value, limits.baseline_value, limits.met) == (48.0, 40.0, False)  # 1.2x > 1.05x
    assert (children.value, children.baseline_value, children.met) == (40.0, 30.0, True)  # under 60 s
    assert ["--pdb" in cmd for cmd, _ in calls] == [False, False, True] * 2
    assert [env for _, env in calls][1::3] == [{"GRADE_TIMEOUT": "0", "GRADE_MEMORY_GB": "0"}] * 2
    assert (memory.name, memory.value, memory.unit, memory.met) == (
        "largest memory growth in one test (test_big)", 0.5, " GB", True)
    assert (runaway.target, runaway.met) == ("< 180 s", False)

    main = importlib.import_module("benchmarks.__main__")
    monkeypatch.setattr(main, "_timed", lambda cmd, **kw: 20.0)
    monkeypatch.setattr(importlib.import_module("benchmarks.website"), "run", lambda site: [])
    rows = main.project_rows()
    assert [(r.name, r.target, r.met) for r in rows] == [
        ("site build, clean (all pages executed)", "< 300 s", True), ("site rebuild, cached", "< 30 s", True),
        ("full grading run on solutions/", "< 60 s", True)]


def test_the_peak_plugin_is_valid_python():
    """benchmarks/grading.py writes its memory plugin from a string; an escape slip once made it a
    syntax error that only the (minutes-long) benchmark run showed."""
    grading = importlib.import_module("benchmarks.grading")
    compile(grading.PEAK_PLUGIN, "peak_plugin.py", "exec")
