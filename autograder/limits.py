"""Time and memory limits for graded tests, enforced inside the grading process.

While a test runs, an interval timer calls a signal handler in the main thread ten times a
second, between two bytecodes of whatever code runs there. The handler reads the process's
resident memory and, now and then, records the stack. When the test has run for its time
limit, or has grown the process by more than the memory limit, the handler raises
:class:`Stopped` right there: the test fails with one line saying what happened, and grading
goes on. No thread competes with the graded code for the interpreter, no process is
started and nothing is imported again, so the limits cost nothing measurable.

At a time limit the stack samples tell the two cases apart:

- **a loop that never ends**: one frame of the graded code ran through the whole last part
  of the limit and none of its variables changed between samples (a loop that does not move
  on: ``i`` stays 1), or the only change is a list that keeps growing;
- **too slow**: the code was still at work (its variables kept changing, or it was inside
  one long call such as a huge matrix product).

(What the samples are and the line each case gets: ``autograder/verdicts.py``.) The
function to blame (the frame stuck in its loop; for slow code, the graded function the
test called; for memory, where the memory grew) is then replaced, for the rest of the run,
by a stand-in that fails at once with the same line: a runaway helper that twenty tests
call costs one time limit, not twenty.

A call that never returns to Python (a C loop such as ``sum(range(10**12))``) never gives the
handler a chance: the parent process ends that chapter's child well past the limit
(``autograder/processes.py``).
"""
from __future__ import annotations

import os
import signal
import time
from collections import deque
from dataclasses import dataclass, field

from autograder import verdicts


class Stopped(BaseException):
    """Raised by the grader inside graded code that hit a limit (a BaseException, so that an
    ``except Exception`` in the graded code cannot swallow it)."""

    def __init__(self, message: str, kind: str, blame=None):
        super().__init__(message)
        self.message, self.kind, self.blame = message, kind, blame  # kind: loop / slow / memory / again


# --------------------------------------------------------------------------- memory

def rss(pid: int | None = None) -> int:
    """Resident memory in bytes of this process, or of process ``pid`` (0 if it cannot be read)."""
    try:
        with open(f"/proc/{pid or 'self'}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss
    except Exception:  # noqa: BLE001 - no way to measure: the memory limit is off
        return 0


# --------------------------------------------------------------------------- fail fast

def stop_from_now_on(blame, message: str) -> None:
    """Replace the blamed function for the rest of the run: calling it fails at once with ``message``."""
    if blame is None:
        return
    owner, attr = blame
    original = getattr(owner, attr, None)

    def stopped(*args, **kwargs):
        __tracebackhide__ = True
        raise Stopped(message, "again", blame)

    stopped.__name__ = getattr(original, "__name__", attr)
    stopped.__qualname__ = getattr(original, "__qualname__", attr)
    stopped.__doc__ = getattr(original, "__doc__", None)
    stopped.__module__ = getattr(original, "__module__", None)  # it stands for the learner's function
    raw = vars(owner).get(attr) if isinstance(owner, type) else None
    if isinstance(raw, staticmethod):
        stopped = staticmethod(stopped)
    elif isinstance(raw, classmethod):
        stopped = classmethod(stopped)
    setattr(owner, attr, stopped)


# --------------------------------------------------------------------------- the watchdog

@dataclass
class _Test:
    limit: float
    started: float
    rss0: int
    samples: deque = field(default_factory=lambda: deque(maxlen=64))
    next_sample: float = 0.0
    last_tick: float = 0.0
    pending: Stopped | None = None


class Watchdog:
    """Time and memory limits for one test at a time (:meth:`arm` before, :meth:`disarm` after).

    An interval timer (SIGALRM, every ``tick`` seconds while a test runs) calls a handler in the
    main thread between two bytecodes of whatever runs there: it reads the process's memory,
    now and then records the stack, and at a limit raises :class:`Stopped` right there. The
    grading process stays single-threaded, so the limits cost nothing measurable.
    """

    def __init__(self, memory_bytes: int, tick: float = 0.1):
        self.memory_bytes, self.tick = memory_bytes, tick
        self._test: _Test | None = None
        self._ticking = False  # inside _tick: a signal that arrives then is skipped, never nested
        self._previous = None
        self.enabled = hasattr(signal, "setitimer") and hasattr(signal, "SIGALRM")

    def start(self) -> None:
        if not self.enabled:
            return
        self._previous = signal.signal(signal.SIGALRM, self._handler)
        signal.siginterrupt(signal.SIGALRM, False)  # restart system calls the tick interrupts

    def stop(self) -> None:
        self.disarm()
        if self.enabled and self._previous is not None:
            signal.signal(signal.SIGALRM, self._previous)
            self._previous = None

    def arm(self, limit: float) -> int:
        """Start the limits of a test; returns its memory baseline (this process's resident bytes)."""
        now = time.monotonic()
        self._test = _Test(limit, now, rss(), next_sample=now, last_tick=now)
        signal.setitimer(signal.ITIMER_REAL, self.tick, self.tick)
        return self._test.rss0

    def disarm(self) -> None:
        if self.enabled:
            signal.setitimer(signal.ITIMER_REAL, 0)
        self._test = None

    # main thread -------------------------------------------------------------
    def _handler(self, signum, frame):
        if self._ticking:
            return  # the next tick arrived while this one still samples (a slow, loaded machine): skip it
        self._ticking = True
        try:
            self._tick(frame)
        finally:
            self._ticking = False

    def _tick(self, frame):
        test = self._test
        if test is None:
            return
        if test.pending is not None:
            if verdicts.runs_graded_code(frame):  # stopped before, and the graded code caught it: again
                raise Stopped(test.pending.message, test.pending.kind, test.pending.blame)
            return
        now = time.monotonic()
        gap, test.last_tick = now - test.last_tick, now
        if self.memory_bytes and rss() - test.rss0 > self.memory_bytes:
            message, blame = verdicts.memory_verdict(verdicts.take_sample(frame), self.memory_bytes)
            self._stop(test, Stopped(verdicts.later(message, blame), "memory", blame))
        if test.limit and now >= test.next_sample:
            test.samples.append(verdicts.take_sample(frame))
            test.next_sample = now + min(2.0, max(self.tick, test.limit / 25))
        if test.limit and now - test.started >= test.limit:
            test.samples.append(verdicts.take_sample(frame))
            # a long gap since the last tick: the main thread was inside one call all that time
            kind, message, blame = verdicts.loop_verdict(list(test.samples), test.limit,
                                                 one_long_call=gap > max(1.0, 0.2 * test.limit))
            test.samples.clear()
            self._stop(test, Stopped(verdicts.later(message, blame), kind, blame))

    def _stop(self, test: _Test, stop: Stopped) -> None:
        __tracebackhide__ = True
        test.pending = stop
        raise Stopped(stop.message, stop.kind, stop.blame)
