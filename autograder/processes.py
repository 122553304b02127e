"""Each chapter graded in a child process of its own: no learner code can take the report down.

``pytest autograder`` collects every graded test in the parent process, then grades each
chapter in a child ``pytest`` started with exactly that chapter's test ids. The child grades
them as one run always did (the time and memory limits of ``autograder/limits.py`` included)
and writes one JSON line per event to a results file: a test starts (with its time limit),
pytest's report of each phase (in pytest's own serialisable form), the test's grade, its end.
The parent hands each event to its own pytest hooks, so its progress line, tracebacks, JUnit
XML and score report read as if the tests had run in the parent.

A child that ends before its tests do -- a crash in native code, ``os._exit``, a kill by the
kernel, or this module's watchdog when a test is stuck inside one call that never returns to
Python, well past its time limit or far past its memory limit -- costs the test that was
running and the chapter's tests after it. The running test's line says what happened and,
where the child could tell (a ``faulthandler`` dump, or the frame that called ``os._exit``),
in which function and on which line; the rest fail as "not graded". Every other chapter is graded in full.
"""
from __future__ import annotations

import faulthandler
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograder import limits, seam, verdicts

RESULTS = "GRADE_CHILD_RESULTS"  # the child's results file ($ set only in a child)
FAULTS = "GRADE_CHILD_FAULTS"  # where the child's faulthandler writes a crash's stack
STOPPED = "GRADE_CHILD_STOPPED"  # functions stopped by a limit in an earlier chapter (JSON)

_THREAD_POOLS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")  # a setting of yours wins
_SIGNALS = {"SIGSEGV": "segmentation fault", "SIGBUS": "bus error", "SIGFPE": "arithmetic error",
            "SIGABRT": "aborted", "SIGILL": "illegal instruction", "SIGKILL": "killed"}


def grace(limit: float) -> float:
    """How long past its limit a test may go before the parent ends its child: the child's own
    limit stops Python code at the limit, so only a call that never returns to Python gets here."""
    return max(10.0, limit / 2)


def memory_grace(cap: int) -> int:
    """How far past its memory limit a test may grow the child before the parent ends it: the
    child's own check stops Python code within a tenth of a second of the limit, so only one
    call that keeps allocating without returning to Python (``list(itertools.count())``) gets here."""
    return min(cap // 2, verdicts.GB)


def graded_frame(frame) -> tuple[str, str] | None:
    """(function, "exercises/x.py, line N") of the innermost graded frame at or above ``frame``."""
    while frame is not None:
        if seam.is_graded_file(frame.f_code.co_filename):
            return frame.f_code.co_name, seam.place(frame.f_code.co_filename, frame.f_lineno)
        frame = frame.f_back
    return None


# --------------------------------------------------------------------------- the child's side

class Channel:
    """The child's end: one JSON line per event, flushed at once (a crash loses nothing sent)."""

    def __init__(self, path: str):
        self._file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the child's life

    def send(self, event: str, **fields) -> None:
        self._file.write(json.dumps({"event": event, **fields}) + "\n")
        self._file.flush()


def prepare_child(channel: Channel) -> None:
    """Make the child's death tell where it happened: faulthandler writes the stack on a crash
    (and on SIGUSR1, which the parent sends before it ends a stuck child), and ``os._exit``
    first says which graded frame called it."""
    faults = open(os.environ[FAULTS], "a", encoding="utf-8")  # noqa: SIM115 - kept open for the crash
    faulthandler.enable(file=faults, all_threads=False)
    if hasattr(signal, "SIGUSR1"):
        faulthandler.register(signal.SIGUSR1, file=faults, all_threads=False)
    real_exit = os._exit

    def _exit(status):
        channel.send("exit", status=status, where=graded_frame(sys._getframe(1)))
        real_exit(status)

    os._exit = _exit


def stopped_before() -> list[dict]:
    """The functions an earlier chapter's child stopped (``{"module", "owner", "attr", "message"}``)."""
    return json.loads(os.environ.get(STOPPED) or "[]")


def describe_owner(blame) -> dict | None:
    """``limits``' blame (module or class, attribute) as JSON the next child can resolve."""
    if blame is None:
        return None
    owner, attr = blame
    module = owner.__name__ if isinstance(owner, type(sys)) else owner.__module__
    return {"module": module, "owner": None if isinstance(owner, type(sys)) else owner.__qualname__, "attr": attr}


def resolve_owner(entry: dict):
    """The (module or class, attribute) that :func:`describe_owner` described, or None."""
    package, _, name = entry["module"].partition(".")
    if package != seam.target() or name not in seam.CHAPTERS:
        return None
    try:  # a module that no longer imports is the import guard's to report, not this
        owner = seam.chapter(name)
        for part in entry["owner"].split(".") if entry["owner"] else []:
            owner = getattr(owner, part, None)
    except Exception:  # noqa: BLE001
        return None
    return None if owner is None else (owner, entry["attr"])


# --------------------------------------------------------------------------- the parent's side

class _Events:
    """New complete lines of the results file, parsed, as the child writes them."""

    def __init__(self, path: Path):
        self._path, self._offset, self._tail = path, 0, b""

    def new(self) -> list[dict]:
        with open(self._path, "rb") as fh:
            fh.seek(self._offset)
            data = fh.read()
        self._offset += len(data)
        lines = (self._tail + data).split(b"\n")
        self._tail = lines.pop()
        return [json.loads(line) for line in lines if line.strip()]


def _fault_frame(text: str) -> tuple[str, str] | None:
    """The innermost graded frame of the last stack faulthandler wrote (it lists the innermost first)."""
    stacks = text.split("(most recent call first):")
    for path, line, name in re.findall(r'File "(.+?)", line (\d+) in (\S+)', stacks[-1] if len(stacks) > 1 else ""):
        if seam.is_graded_file(path):
            return name, seam.place(path, int(line))
    return None


def _at(where) -> str:
    return f"`{where[0]}` ({where[1]})" if where else "the graded code"


class _Child:
    """One chapter's child process, followed from the parent.

    :meth:`poll` reads what the child wrote so far and ends it if a test is stuck; :meth:`replay`
    hands the events read to pytest's hooks (only for the chapter whose turn it is to be shown,
    so the terminal shows the chapters in the order of the book); :meth:`finish` reports the tests
    the child did not finish."""

    def __init__(self, config, items, record, lost, stopped: list[dict], one_thread: bool = False):
        self.config, self.items, self.record, self.lost, self.stopped = config, items, record, lost, stopped
        self.one_thread = one_thread
        self.pending = {item.nodeid: item for item in items}
        self.graded: set[str] = set()  # the tests whose grade the child sent
        self.events: list[dict] = []
        self.replayed = 0
        self.current = None  # (nodeid, when the parent read its start, limit) of the test running now
        self.memory = None  # (the child's resident bytes when the running test's call began, its cap)
        self.running = None  # (item, started) of the test shown as running
        self.exit_event = None
        self.stuck = None  # (where, what, limit) when the watchdog ended the child; what: "time" or "memory"
        self.proc = None
        self.ended = False

    def command(self) -> list[str]:
        option = self.config.option
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:faulthandler",
               "-o", "addopts=", f"--rootdir={self.config.rootpath}", f"--tb={option.tbstyle}",
               # the child loads no third-party plugin (see start()), so an ini option of one
               # (the project's own `timeout`) is unknown there: not the learner's concern
               "-W", "ignore::pytest.PytestConfigWarning"]
        if option.maxfail:
            cmd.append(f"--maxfail={option.maxfail}")
        if option.capture == "no":
            cmd.append("-s")
        return cmd + [item.nodeid for item in self.items]

    def start(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="grading-")
        tmp = self._tmp.name
        self.results, self.faults = Path(tmp, "results.jsonl"), Path(tmp, "faults.txt")
        self.log = Path(tmp, "child.log")
        self.results.touch()
        self._events = _Events(self.results)
        env = {**os.environ, "GRADE": seam.target(), RESULTS: str(self.results), FAULTS: str(self.faults),
               STOPPED: json.dumps(self.stopped),
               # no third-party pytest plugin in the child: it needs none, each costs start-up
               # time (nbmake and anyio: about 1 s), and one that reorders or reruns tests
               # (pytest-randomly, pytest-rerunfailures) would change a score between runs
               "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
        if self.one_thread:  # children side by side: one thread each, or torch's and BLAS's pools fight for the cores
            env = {**{name: "1" for name in _THREAD_POOLS}, **env}
        shown = self.config.option.capture == "no"  # -s: the learner's prints go to the terminal
        self._out = open(self.log, "wb")  # noqa: SIM115 - closed in finish()
        self.proc = subprocess.Popen(self.command(), cwd=self.config.rootpath, env=env, stdin=subprocess.DEVNULL,
                                     stdout=None if shown else self._out,
                                     stderr=None if shown else subprocess.STDOUT)

    def poll(self) -> bool:
        """Read what the child wrote; end it if a test is stuck. True once it has ended and all is read."""
        if self.ended:
            return True
        finished = self.proc.poll() is not None
        for event in self._events.new():
            self.events.append(event)
            kind = event["event"]
            if kind == "start":
                self.current = (event["nodeid"], time.monotonic(), event["limit"])
            elif kind == "call":
                self.memory = (event["rss"], event["memory"])
            elif kind == "finish":
                self.current = self.memory = None
            elif kind == "stopped":
                self.stopped.append(event["function"])  # for the chapters started after this one
            elif kind == "exit":
                self.exit_event = event
        if finished:
            self.ended = True
        elif self.current is not None:
            _, started, limit = self.current
            if limit and time.monotonic() > started + limit + grace(limit):
                self._end_stuck("time", limit)
            elif self.memory is not None:
                baseline, cap = self.memory
                if limits.rss(self.proc.pid) - baseline > cap + memory_grace(cap):
                    self._end_stuck("memory", cap)
        return self.ended

    def _end_stuck(self, what: str, limit: float) -> None:
        """A test far past its time or memory limit inside one call: ask for its stack, then end the child."""
        if hasattr(signal, "SIGUSR1"):
            self.proc.send_signal(signal.SIGUSR1)
            time.sleep(0.5)
        self.stuck = (_fault_frame(self._read(self.faults)), what, limit)
        self.proc.kill()
        self.proc.wait()

    def replay(self) -> None:
        """Hand the events read so far to pytest's hooks, as if the tests ran in this process."""
        for event in self.events[self.replayed:]:
            self.replayed += 1
            item = self.pending.get(event.get("nodeid", ""))
            if item is None:
                continue
            kind = event["event"]
            if kind == "start":
                item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
                self.running = (item, time.monotonic())
            elif kind == "report":
                report = self.config.hook.pytest_report_from_serializable(config=self.config, data=event["report"])
                item.ihook.pytest_runtest_logreport(report=report)
            elif kind == "grade":
                self.record(item, event["grade"])
                self.graded.add(item.nodeid)
            elif kind == "finish":
                if item.nodeid in self.graded:
                    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
                else:  # pytest failed inside its own hooks (an INTERNALERROR in the child's output)
                    seconds = time.monotonic() - self.running[1] if self.running is not None else 0.0
                    self._fail(item, "not graded: the grader failed while reporting this test (an internal "
                                     "error of pytest; please report it with the output above)", "crashed", seconds,
                               started=True)
                del self.pending[item.nodeid]
                self.running = None

    def finish(self) -> None:
        """After the child ended and every event was replayed: report what it did not finish; clean up."""
        try:
            if self.pending:
                self._lost()
        finally:
            self.stop()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc is not None:
            self._out.close()
            self._tmp.cleanup()
            self.proc = None

    @staticmethod
    def _read(path: Path) -> str:
        return path.read_text(errors="replace") if path.exists() else ""

    def _why(self) -> str:
        """What ended the child, in the learner's words."""
        if self.stuck is not None:
            where, what, limit = self.stuck
            if what == "memory":
                return (f"{_at(where)} used more than {verdicts.gigabytes(limit)} of memory (the limit per test) "
                        "inside one call that could not be stopped, so its process was ended — one built-in "
                        "call that keeps building, such as list(itertools.count())?")
            return (f"too slow: {_at(where)} was still inside one call {limit + grace(limit):g} s after the "
                    f"test started (its limit is {limit:g} s) and could not be stopped, so its process was "
                    "ended — one built-in call over a huge range, such as sum(range(...))?")
        if self.exit_event is not None:
            where = self.exit_event.get("where")
            return (f"{_at(where)} ended the program (os._exit({self.exit_event['status']})) — a graded "
                    "function must return its result, never end the process")
        returncode = self.proc.returncode
        if returncode < 0:
            name = signal.Signals(-returncode).name if -returncode in signal.valid_signals() else str(-returncode)
            where = _fault_frame(self._read(self.faults))
            cause = (" — did it use all the machine's memory?" if name == "SIGKILL" else
                     " — a C extension (numpy, ctypes, ...) called with bad input?")
            return f"the process crashed ({_SIGNALS.get(name, name)}) while running {_at(where)}{cause}"
        if self.running is None:
            tail = " ".join(self._read(self.log).strip().splitlines()[-3:])[-300:]
            return f"the grading process of this chapter ended (exit code {returncode}) before its tests ran: {tail}"
        return f"the process ended (exit code {returncode}) while running {_at(None)}"

    def _lost(self) -> None:
        why = self._why()
        running = self.running[0] if self.running is not None else None
        left = [item for item in self.items if item.nodeid in self.pending and item is not running]
        if running is not None:
            more = f"; the {len(left)} test{'s' if len(left) != 1 else ''} after it did not run" if left else ""
            seconds = time.monotonic() - self.running[1]
            self._fail(running, f"{why}{more}", "crashed", seconds, started=True)
        what = "see the line above" if running is not None else "before its first test"
        for item in left:
            self._fail(item, f"not graded: this chapter's grading process ended ({what})", "not run", 0.0)

    def _fail(self, item, why: str, kind: str, seconds: float, started: bool = False) -> None:
        """Report ``item`` as failed with ``why`` (its child never reported it), and grade it so."""
        if not started:
            item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
        report = pytest.TestReport(item.nodeid, item.location, {k: 1 for k in item.keywords}, "failed", why,
                                   "call", duration=seconds)
        item.ihook.pytest_runtest_logreport(report=report)
        self.lost(item, why, kind)
        item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)


def grade_in_children(session, record, lost, at_once: int | None = None) -> None:
    """Grade ``session.items`` chapter by chapter, each chapter in a child process of its own,
    ``at_once`` children at a time (default: as many as the machine has cores, at most 2); the
    terminal shows the chapters in the order of the book.

    ``record(item, grade)`` receives a test's grade (a dict) from its child; ``lost(item, why,
    kind)`` grades a test its child did not finish (reported here as failed with ``why``)."""
    stopped = stopped_before()
    chapters = [list(items) for _, items in itertools.groupby(session.items, key=lambda item: item.path)]
    at_once = min(at_once or max(1, min(2, os.cpu_count() or 1)), len(chapters))
    children = [_Child(session.config, items, record, lost, stopped, one_thread=at_once > 1) for items in chapters]
    shown = 0  # the chapter whose tests the terminal shows now
    try:
        while shown < len(children):
            started = [c for c in children if c.proc is not None or c.ended]
            active = [c for c in started if not c.ended]
            for child in children[len(started):len(started) + at_once - len(active)]:
                child.start()
            for child in children:
                if child.proc is not None:
                    child.poll()
            child = children[shown]
            if child.proc is not None:
                child.replay()
                if child.ended:
                    child.replay()
                    child.finish()
                    shown += 1
                    if session.shouldfail or session.shouldstop:
                        return
                    continue
            time.sleep(0.02)
    finally:
        for child in children:
            child.stop()
