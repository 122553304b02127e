"""Grading plugin: points per test, time and memory limits, and the score report.

Every graded test carries ``@pytest.mark.graded(points=..., mvu=..., concept=..., hint=...)``.
The score report is the last thing a run prints: points per chapter (in the order of the
book) and per MVU item, then for each chapter one line per failure naming the concept,
what differed first, and a hint; pytest's short tracebacks come above it.

    pytest autograder                          # grade exercises/
    pytest autograder/test_tokenization.py     # one chapter
    pytest autograder --grade solutions        # grade the reference solutions

Each chapter is graded in a child process of its own (``autograder/processes.py``): a
crash, ``os._exit`` or a call that never returns costs that chapter's remaining tests, and the
report still comes, with every other chapter in full. This process collects the tests, hands
each chapter to its child, and prints what the children report.

Limits (see ``autograder/limits.py``): each test may run for 60 s (``timeout=`` in the
marker gives some tests more) and grow the process by 3 GB. A loop that never ends, code
that is too slow and a loop that keeps allocating each fail their test with a line saying
which, and later tests that reach the same function fail at once. $GRADE_TIMEOUT (seconds)
and $GRADE_MEMORY_GB override the two defaults (the project's own tests use tiny limits; 0
turns a limit off). Under ``--pdb`` or ``--trace`` the tests run in this process, without limits.
"""
from __future__ import annotations

import gc
import os
import re
import textwrap
import traceback
import types
from dataclasses import asdict, dataclass, field

import pytest

from autograder import causes, limits, processes, results, verdicts
from autograder.chapters import CHAPTERS, MVU_ITEMS, TITLES
from autograder.seam import TARGETS, ExerciseImportError, graded_call, install_import_guard, target

PER_TEST_SECONDS = float(os.environ.get("GRADE_TIMEOUT", 60))
# The reference solutions grow the grading process by well under 1 GB in any one test
# (benchmarks/grading.py measures it); 3 GB leaves room for a less frugal correct answer and
# stops a runaway loop long before a laptop runs out of memory.
MEMORY_GB = float(os.environ.get("GRADE_MEMORY_GB", 3))

# The plugin's state, kept in pytest's stash: one _Result per graded test (by nodeid), how this
# process grades (MODE: "parent" hands each chapter to a child; "child" grades one chapter and
# reports to the parent through CHANNEL; "in-process" under a debugger), the watchdog that
# enforces the limits (None: no limits), and a test's time limit.
GRADES = pytest.StashKey[dict]()
MODE = pytest.StashKey[str]()
CHANNEL = pytest.StashKey[object]()
WATCHDOG = pytest.StashKey[object]()
TIME_LIMIT = pytest.StashKey[float]()


def pytest_addoption(parser):
    parser.addoption("--grade", choices=TARGETS, default=None,
                     help="which folder to grade: exercises (default) or solutions")


@pytest.hookimpl(trylast=True)  # after pytest-timeout has read its settings
def pytest_configure(config):
    choice = config.getoption("--grade")
    if choice:
        os.environ["GRADE"] = choice
    config.addinivalue_line("markers", "graded(points, mvu, concept, hint): a graded test")
    config.stash[GRADES] = {}  # nodeid -> _Result, one per graded test
    install_import_guard()
    debugging = config.getoption("usepdb", False) or config.getoption("trace", False)
    mode = "child" if os.environ.get(processes.RESULTS) else "in-process" if debugging else "parent"
    config.stash[MODE] = mode
    watchdog = limits.Watchdog(int(MEMORY_GB * verdicts.GB))
    wanted = PER_TEST_SECONDS > 0 or MEMORY_GB > 0  # both 0: no limits at all (for measuring)
    config.stash[WATCHDOG] = watchdog if watchdog.enabled and wanted and mode == "child" else None
    if config.stash[WATCHDOG] is not None:
        config.stash[WATCHDOG].start()
    if mode != "in-process" and hasattr(config, "_env_timeout"):
        config._env_timeout = None  # the grader's own limits replace pytest-timeout's
    if mode == "child":
        config.stash[CHANNEL] = processes.Channel(os.environ[processes.RESULTS])
        processes.prepare_child(config.stash[CHANNEL])
        for entry in processes.stopped_before():  # a function an earlier chapter's limit stopped
            limits.stop_from_now_on(processes.resolve_owner(entry), entry["message"])
    reporter = config.pluginmanager.getplugin("terminalreporter")
    explicit_r = any(a.startswith("-r") for a in config.invocation_params.args)
    if reporter is not None and not explicit_r:
        reporter.reportchars = ""  # the score report replaces pytest's short test summary
    if not any(a.startswith("--durations") for a in config.invocation_params.args):
        config.option.durations = None  # the project's addopts list slow tests; a learner needs no such list


def pytest_unconfigure(config):
    if config.stash.get(WATCHDOG, None) is not None:
        config.stash[WATCHDOG].stop()


def pytest_report_header(config):
    what = f"grading {os.environ.get('GRADE', 'exercises')}/"
    if config.stash[MODE] == "in-process":
        return f"{what}: in this process (debugging), no limits"
    time_limit = f"{PER_TEST_SECONDS:g} s (a few tests allow more)" if PER_TEST_SECONDS else "no time limit"
    memory = f"{verdicts.gigabytes(MEMORY_GB * verdicts.GB)} of memory" if MEMORY_GB else "no memory limit"
    return f"{what}: each chapter in a process of its own; limits per test: {time_limit}, {memory}"


@dataclass
class _Result:
    chapter: str
    mvu: str
    points: int
    concept: str
    hint: str
    outcome: str = "passed"  # passed / failed / skipped
    why: str = ""
    kind: str = ""  # for a failure: stub / import / stopped / crashed / not run / other
    uses: list = field(default_factory=list)  # the graded functions and classes it used (results.used)


def _result(item, **fields) -> _Result:
    """A test's grade from its @pytest.mark.graded marker (outcome, why, kind and hint as given)."""
    kw = item.get_closest_marker("graded").kwargs
    return _Result(**{"chapter": _title(item), "mvu": kw["mvu"], "points": kw.get("points", 1),
                      "concept": kw.get("concept", item.name), "hint": kw.get("hint", ""), **fields})


def _chapter(item) -> str:
    """The chapter of a test, ``tokenization`` for ``autograder/test_tokenization.py``."""
    return item.module.__name__.split(".")[-1].removeprefix("test_")


def _chapter_rank(item) -> int:
    name = _chapter(item)
    return CHAPTERS.index(name) if name in CHAPTERS else len(CHAPTERS)


def _title(item) -> str:
    """The chapter's title in the score report (the module's name for a file outside the ladder)."""
    return TITLES.get(_chapter(item), item.module.__name__.split(".")[-1])


def pytest_collection_modifyitems(config, items):
    for item in items:
        marker = item.get_closest_marker("graded")
        if marker is None:
            raise pytest.UsageError(f"{item.nodeid} has no @pytest.mark.graded(...): every "
                                    "autograder test must say what it is worth")
        if marker.kwargs.get("mvu") not in MVU_ITEMS:
            raise pytest.UsageError(f"{item.nodeid}: mvu must be one of {sorted(MVU_ITEMS)}")
        item.stash[TIME_LIMIT] = float(marker.kwargs.get("timeout", PER_TEST_SECONDS))
        if config.stash[WATCHDOG] is None and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(item.stash[TIME_LIMIT]))
    items.sort(key=_chapter_rank)  # run the chapters in the order of the book (stable inside each)


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session):
    """The parent runs no test itself: each chapter goes to a child process (autograder/processes.py)."""
    if session.config.stash[MODE] != "parent":
        return None  # pytest's own loop
    if session.testsfailed and not session.config.option.continue_on_collection_errors:
        raise session.Interrupted(f"{session.testsfailed} error{'s' if session.testsfailed != 1 else ''} "
                                  "during collection")
    if session.config.option.collectonly:
        return True
    grades = session.config.stash[GRADES]

    def record(item, grade: dict) -> None:
        grades[item.nodeid] = _Result(**grade)

    def lost(item, why: str, kind: str) -> None:
        grades[item.nodeid] = _result(item, outcome="failed", why=why, kind=kind, hint="")

    processes.grade_in_children(session, record, lost)
    return True


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """A child tells its parent when a test starts (with its time limit) and ends (with its grade)."""
    channel = item.config.stash.get(CHANNEL, None)
    if channel is not None:
        limit = item.stash[TIME_LIMIT] if item.config.stash[WATCHDOG] is not None else 0
        channel.send("start", nodeid=item.nodeid, limit=limit)
    results.used()  # forget what the tests before this one used
    yield
    grade = item.config.stash[GRADES].get(item.nodeid)
    if grade is not None:
        grade.uses = results.used()
    if channel is not None:
        if grade is not None:
            channel.send("grade", nodeid=item.nodeid, grade=asdict(grade))
        channel.send("finish", nodeid=item.nodeid)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    watchdog = item.config.stash[WATCHDOG]
    if watchdog is not None:
        baseline = watchdog.arm(item.stash[TIME_LIMIT])
        channel = item.config.stash.get(CHANNEL, None)
        if channel is not None and watchdog.memory_bytes:  # the parent's cap for a call that never returns
            channel.send("call", nodeid=item.nodeid, rss=baseline, memory=watchdog.memory_bytes)
    try:
        yield
    finally:
        if watchdog is not None:
            watchdog.disarm()


# --------------------------------------------------------------------------- one line per failure

def _one_line(text) -> str:
    return " ".join(str(text).split())


def _assertion_text(err) -> str:
    """The message of an assertion, without pytest's "assert ..." introspection after it."""
    text = str(err)
    if "\nassert " in text:
        text = text.split("\nassert ")[0]
    elif text.startswith("assert "):
        text = ""
    return _one_line(text)


def _kind(err) -> str:
    if isinstance(err, NotImplementedError):
        return "stub"
    if isinstance(err, ExerciseImportError):
        return "import"
    return "stopped" if isinstance(err, limits.Stopped) else "other"


def _why(excinfo) -> tuple[str, str | None]:
    """(one line saying why a test failed, in the learner's terms; the hint to show, None = the test's)."""
    err = excinfo.value
    if isinstance(err, limits.Stopped):
        return err.message, ""
    if isinstance(err, NotImplementedError):
        text = _one_line(err) or "a function still raises NotImplementedError"
        stub_words = ("not implemented yet", "not answered yet")
        return (text if any(w in text for w in stub_words) else f"not implemented yet: {text}"), ""
    if isinstance(err, ExerciseImportError):
        text = _one_line(err)
        where = graded_call(excinfo.tb)
        if ", so `" not in text and where is not None:  # a later chapter imports the broken module
            head, _, reason = text.partition(" could not be imported: ")
            text = f"{head} could not be imported, so `{where[0]}`, which uses it, cannot be graded: {reason}"
        return text, ""
    where = graded_call(excinfo.tb)
    at = f" in `{where[0]}` ({where[1]})" if where else ""
    if isinstance(err, SystemExit):
        return (f"ended the program with sys.exit({'' if err.code is None else repr(err.code)}){at} — a graded "
                "function must return its result, never end the program"), ""
    if isinstance(err, MemoryError):
        return (f"ran out of memory (MemoryError){at} — does a loop keep appending, or is an array far "
                "bigger than needed?"), ""
    if isinstance(err, AssertionError):
        return _assertion_text(err) or "an assertion failed", getattr(err, "hint", None)
    if isinstance(err, pytest.fail.Exception):
        return _one_line(getattr(err, "msg", err)), None
    text = _one_line(err)
    if isinstance(err, ValueError) and "truth value of an array" in text:
        return (f"a numpy array was used{at or ' by the grader'} where one True/False was needed (numpy: "
                "\"the truth value of an array is ambiguous\"): return the type the docstring asks for"), None
    return f"raised {type(err).__name__}{at}: {text}", None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    if call.excinfo is not None:  # before pytest formats the traceback
        call.excinfo = _with_line_numbers(call.excinfo)
    report = (yield).get_result()
    _grade(item, call, report)
    channel = item.config.stash.get(CHANNEL, None)
    if channel is not None:  # the parent shows it (its progress, tracebacks, JUnit XML)
        data = item.config.hook.pytest_report_to_serializable(config=item.config, report=report)
        channel.send("report", nodeid=item.nodeid, report=data)


def _with_line_numbers(excinfo):
    """``excinfo`` with a line number in every traceback entry. An exception raised from a signal
    handler (the time limit) can leave an entry without one (Python 3.11), and pytest then fails
    while formatting it (INTERNALERROR, tb_lineno None), which ends the whole chapter's run."""
    entries, tb = [], excinfo.tb
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    if all(t.tb_lineno is not None for t in entries):
        return excinfo
    rebuilt = None
    for t in reversed(entries):
        line = t.tb_lineno if t.tb_lineno is not None else t.tb_frame.f_lineno or t.tb_frame.f_code.co_firstlineno
        rebuilt = types.TracebackType(rebuilt, t.tb_frame, t.tb_lasti, line)
    return pytest.ExceptionInfo.from_exception(excinfo.value.with_traceback(rebuilt))


def _grade(item, call, report) -> None:
    """Record the test's grade from the report of one of its phases."""
    grades = item.config.stash[GRADES]
    if report.when == "setup" and report.passed:
        return  # the call phase will decide
    if report.when == "teardown" and (report.passed or item.nodeid in grades):
        if report.failed and grades[item.nodeid].outcome == "passed":
            grades[item.nodeid].outcome, grades[item.nodeid].why = "failed", _why(call.excinfo)[0]
        return
    result = _result(item)
    if report.skipped:
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        result.outcome, result.why = "skipped", _one_line(reason).removeprefix("Skipped: ")
    elif report.failed:
        result.outcome = "failed"
        if call.excinfo is None:
            result.why = "failed"
        else:
            result.why, hint = _why(call.excinfo)
            result.kind = _kind(call.excinfo.value)
            where = graded_call(call.excinfo.tb) if result.kind == "stub" else None
            if where and not where[1].startswith(f"{target()}/{_chapter(item)}.py"):
                result.why += f" (in {where[1].partition(',')[0]})"  # a function of another chapter's file
            if hint is not None:
                result.hint = hint
            _after_failure(item, call.excinfo, report, result.why)
    grades[item.nodeid] = result


def _after_failure(item, excinfo, report, why: str) -> None:
    """Fail fast from now on where code ran away (in later chapters' processes too); free its
    memory; keep its traceback short."""
    err = excinfo.value
    if isinstance(err, limits.Stopped) and err.kind != "again":
        limits.stop_from_now_on(err.blame, err.message)
        channel = item.config.stash.get(CHANNEL, None)
        if channel is not None and err.blame is not None:
            channel.send("stopped", function={**processes.describe_owner(err.blame), "message": err.message})
    if isinstance(err, (limits.Stopped, MemoryError)):
        traceback.clear_frames(excinfo.tb)  # a runaway list must not outlive its test
        gc.collect()
    if isinstance(err, (NotImplementedError, ExerciseImportError, limits.Stopped)):  # the line says it all
        where = graded_call(excinfo.tb) if isinstance(err, NotImplementedError) else None
        report.longrepr = f"{where[1]}: {why}" if where else why


# --------------------------------------------------------------------------- the score report

@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    yield  # pytest prints its tracebacks and the "N failed, M passed" line first
    config = session.config
    reporter = config.pluginmanager.getplugin("terminalreporter")
    grades = config.stash.get(GRADES, {})
    if grades and reporter is not None and config.stash.get(MODE, "") != "child":
        _print_report(reporter, list(grades.values()))


_OWN_FUNCTION = re.compile(r", so `[^`]+` cannot be graded")  # seam._Unimportable names the function


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


def _groups(failed: list[_Result]) -> list[dict]:
    """One entry per cause: a stub, a broken import or a stopped function that many tests
    reach is one entry; so are the failing cases of one parametrized test (its first case shown).
    A chapter's own file that cannot be imported is one entry, not one per function it holds."""
    groups: dict[tuple, dict] = {}
    for r in failed:
        why = _OWN_FUNCTION.sub("", r.why) if r.kind == "import" else r.why
        key = (r.concept, r.hint) if r.kind in ("other", "") else (why, r.hint)
        g = groups.setdefault(key, {"why": why, "hint": r.hint, "kind": r.kind, "concepts": [],
                                    "tests": 0, "points": 0, "whys": set()})
        g["tests"] += 1
        g["points"] += r.points
        g["whys"].add(r.why)
        if r.concept not in g["concepts"]:
            g["concepts"].append(r.concept)
    return list(groups.values())


def _print_report(tr, results):
    width = max(60, min(100, tr._tw.fullwidth)) - 1
    file_of = {title: f"{target()}/{name}.py" for name, title in TITLES.items()}
    causes.name_root_causes(results, file_of.get)
    lines: list[str] = []
    out = lines.append
    order = list(TITLES.values())
    chapters = sorted({r.chapter for r in results}, key=lambda c: order.index(c) if c in order else len(order))
    earned = {c: sum(r.points for r in results if r.chapter == c and r.outcome == "passed") for c in chapters}
    possible = {c: sum(r.points for r in results if r.chapter == c and r.outcome != "skipped") for c in chapters}

    out("Points by chapter (in the order of the book):")
    for c in chapters:
        out(f"  {earned[c]:>3} / {possible[c]:<3} {c}")
    out("Points by MVU item:")
    for key, title in MVU_ITEMS.items():
        mine = [r for r in results if r.mvu == key]
        if mine:
            got = sum(r.points for r in mine if r.outcome == "passed")
            out_of = sum(r.points for r in mine if r.outcome != "skipped")
            lines.extend(_wrap(f"{got:>3} / {out_of:<3} {key} — {title}", width, "  ", " " * 12))
    for c in chapters:
        failed = [r for r in results if r.chapter == c and r.outcome == "failed"]
        skipped = [r for r in results if r.chapter == c and r.outcome == "skipped"]
        if not failed and not skipped:
            continue
        out("")
        out(f"{c}: {earned[c]} / {possible[c]} points" + (" — fix these in order:" if failed else ""))
        for g in _groups(failed):
            pts = f"{g['points']} point{'s' if g['points'] != 1 else ''}"
            tests = f"{g['tests']} tests, " if g["tests"] > 1 else ""
            if g["kind"] == "stub":  # the stub's own message says what to write
                lines.extend(_wrap(f"{g['why']} ({tests}{pts})", width, "  ✗ ", "    "))
            elif len(g["concepts"]) == 1:
                more = len(g["whys"]) - 1
                also = f" (and {more} more case{'s' if more > 1 else ''} like it)" if more else ""
                lines.extend(_wrap(f"{g['concepts'][0]} ({tests}{pts}): {g['why']}{also}", width, "  ✗ ", "    "))
            else:
                names = "; ".join(g["concepts"][:3]) + ("; …" if len(g["concepts"]) > 3 else "")
                lines.extend(_wrap(f"{g['why']} — {tests}{pts}: {names}", width, "  ✗ ", "    "))
            if g["hint"]:
                lines.extend(_wrap(f"Hint: {g['hint']}", width, "    ", "      "))
        for g in _groups(skipped):
            pts = f"{g['points']} point{'s' if g['points'] != 1 else ''}"
            lines.extend(_wrap(f"skipped, {g['tests']} test{'s' if g['tests'] > 1 else ''} ({pts}): {g['why']}",
                               width, "  – ", "    "))
    out("")
    total = sum(earned.values())
    out_of = sum(possible.values())
    if not any(r.outcome == "failed" for r in results):
        out("All graded tests passed.")
    else:  # stubs, broken imports, stopped and crashed code print no traceback: their line says it all
        traced = any(r.outcome == "failed" and r.kind in ("other", "") for r in results)
        lines.extend(_wrap("Start with the first ✗ line: each chapter builds on the ones before it."
                           + (" Tracebacks are above this report." if traced else ""), width, "", ""))
    tr.write_sep("=", f"SCORE REPORT — grading {target()}/", bold=True)
    for line in lines:
        tr.write_line(line)
    tr.write_sep("=", f"Total: {total} / {out_of} points", bold=True)
