"""What a test stopped at a limit is told: stack samples, and the verdict they give.

The watchdog of ``autograder/limits.py`` records a :class:`Sample` of the stack now and then
while a test runs. At a time limit, :func:`loop_verdict` reads the samples: one frame of the
graded code that stayed in one loop with none of its variables changing (or only a list
growing) is **a loop that never ends**; code whose variables kept changing, or that sat in
one long library call, is **too slow** (with the advice of the function's "Speed:"
docstring paragraph when it has one). At the memory limit, :func:`memory_verdict` names
where the memory grew. Each verdict also names the function to blame: the one
``limits.stop_from_now_on`` makes fail at once for the rest of the run.
"""
from __future__ import annotations

import time
import types
from dataclasses import dataclass

from autograder import seam
from autograder.loops import loop_names

GB = 1024 ** 3


def gigabytes(n_bytes: float) -> str:
    return f"{n_bytes / GB:.1f} GB" if n_bytes >= 0.95 * GB else f"{n_bytes / 1024 ** 2:.0f} MB"


# --------------------------------------------------------------------------- stack samples

_SCALARS = (type(None), bool, int, float, complex)


def _fingerprint(value):
    """A cheap, comparable summary of a variable's value (for 'did anything change?')."""
    try:
        if isinstance(value, _SCALARS):
            return ("v", value)
        if isinstance(value, (str, bytes)):
            return ("v", value) if len(value) <= 200 else ("s", len(value), hash(value))
        if isinstance(value, tuple) and len(value) <= 16 and all(isinstance(v, _SCALARS + (str, bytes)) for v in value):
            return ("v", value)
        module = type(value).__module__
        if module == "numpy" and hasattr(value, "shape"):
            import numpy as np

            if value.ndim == 0 or value.size <= 64:
                return ("a", value.shape, str(value.dtype), np.asarray(value).tobytes())
            picks = np.linspace(0, value.size - 1, 64).astype(np.int64)
            return ("a", value.shape, str(value.dtype), id(value), np.take(value, picks).tobytes())
        if isinstance(value, (list, tuple, dict, set, frozenset)) and len(value) <= 5000:
            items = tuple(value.items()) if isinstance(value, dict) else tuple(value)
            return ("h", type(value).__name__, hash(items if not isinstance(value, (set, frozenset))
                                                    else frozenset(items)))
        if hasattr(value, "__len__") and not isinstance(value, type):
            return ("n", id(value), len(value))
    except Exception:  # noqa: BLE001 - an odd object: its identity will do
        pass
    return ("o", id(value))


def _show(value) -> str:
    """A short display of a variable for the learner (``1``, ``(b'a', b'b')``, ``a list of 40 items``)."""
    if isinstance(value, (str, bytes)):
        value = value[:41]  # never the repr of a whole corpus: it outlasted a tick and ticks nested
    if isinstance(value, _SCALARS + (str, bytes)) or (isinstance(value, tuple) and len(value) <= 4):
        text = repr(value)
        return text if len(text) <= 40 else text[:37] + "..."
    size = _size(value)
    return f"a {type(value).__name__} of {size:,} items" if size is not None else f"a {type(value).__name__}"


def _size(value) -> int | None:
    if isinstance(value, (str, bytes, type)) or not hasattr(value, "__len__"):
        return None
    try:
        return len(value)
    except Exception:  # noqa: BLE001
        return None


def _telling(shown: dict, values: dict, skip=(), loop=()) -> list[str]:
    """Up to three variables to show: those the stuck loop uses first (in the order it uses
    them), numbers first among them (a loop counter says the most), then the others.

    >>> _telling({"word": "'hug'", "i": "1", "out": "[]"}, {"i": 1}, loop=["out", "i"])
    ['`i` = 1', '`out` = []', "`word` = 'hug'"]
    """
    position = {name: n for n, name in enumerate(loop)}
    order = sorted((k for k in shown if k not in skip),
                   key=lambda k: (k not in position, not isinstance(values.get(k), (int, float)),
                                  position.get(k, 0), k.startswith("_")))
    return [f"`{k}` = {shown[k]}" for k in order[:3]]


@dataclass
class Sample:
    when: float
    frames: list  # every frame of the main thread, outermost first
    states: dict  # id(frame) -> {name: fingerprint}, graded frames only
    shown: dict   # id(frame) -> {name: short display}, graded frames only
    kinds: dict   # id(frame) -> {name: a plain value for numbers, else None}
    sizes: dict   # id(frame) -> {name: len} for containers


def _graded(frame) -> bool:
    return seam.is_graded_file(frame.f_code.co_filename)


def take_sample(frame) -> Sample | None:
    """The stack that ``frame`` is the top of, with the variables of every graded frame."""
    frames = []
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    frames.reverse()
    states, shown, kinds, sizes = {}, {}, {}, {}
    for f in frames:
        if _graded(f):
            try:
                local = {k: v for k, v in f.f_locals.items() if not k.startswith("__")}
            except Exception:  # noqa: BLE001
                local = {}
            states[id(f)] = {k: _fingerprint(v) for k, v in local.items()}
            shown[id(f)] = {k: _show(v) for k, v in local.items()
                            if not (callable(v) or isinstance(v, types.ModuleType))}
            kinds[id(f)] = {k: (v if isinstance(v, (int, float)) else None) for k, v in local.items()}
            sizes[id(f)] = {k: n for k, n in ((k, _size(v)) for k, v in local.items()) if n is not None}
    return Sample(time.monotonic(), frames, states, shown, kinds, sizes) if frames else None


def _settled(state: dict) -> dict:
    """A frame's state for 'did it move on?': a small container counts by its contents, a large
    one by its identity, not by its length (a list that only keeps growing while nothing else
    changes is a loop that never ends)."""
    return {k: (v[:2] if v[0] == "n" else v) for k, v in state.items()}


def runs_graded_code(frame) -> bool:
    while frame is not None:
        if _graded(frame):
            return True
        frame = frame.f_back
    return False


def _where(frame) -> str:
    return seam.place(frame.f_code.co_filename, frame.f_lineno)


def _name(frame) -> str:
    return getattr(frame.f_code, "co_qualname", frame.f_code.co_name)


# --------------------------------------------------------------------------- verdicts

def _owner(frame):
    """(object, attribute) through which the graded code reaches ``frame``'s function, or None."""
    code = frame.f_code
    for module in seam.loaded_modules():
        for name, obj in list(vars(module).items()):
            if getattr(obj, "__code__", None) is code:
                return module, name
            if isinstance(obj, type) and obj.__module__ == module.__name__:
                for attr, member in list(vars(obj).items()):
                    fn = getattr(member, "__func__", member)
                    if getattr(fn, "__code__", None) is code:
                        return obj, attr
    return None


def _blame(frames):
    """The innermost of ``frames`` (graded frames, innermost first) that can be replaced."""
    for frame in frames:
        found = _owner(frame)
        if found is not None:
            return found
    return None


def loop_verdict(samples: list[Sample], limit: float, one_long_call: bool = False):
    """('loop', message, blame) or ('slow', message, blame) from the samples of the last stretch.

    ``one_long_call``: the main thread ran no Python code for a while before the limit (it
    was inside one long call, such as a huge matrix product), so this is not a loop."""
    last = samples[-1] if samples else None
    graded_now = [f for f in (last.frames if last else []) if _graded(f)]
    if not graded_now:
        return ("slow", f"stopped after {limit:g} s, the limit for this test, while the grader's own "
                        "computation was running (is the machine very busy?)", None)
    outer = graded_now[0]
    slow = (f"too slow: `{_name(outer)}` ({seam.relative(outer.f_code.co_filename)}) was still working "
            f"after {limit:g} s, the limit for this test")
    doc = getattr(_resolve(_owner(outer)), "__doc__", "") or ""
    slow += (f" — its docstring's advice (\"Speed\"): {_speed_advice(doc)}" if "Speed:" in doc else
             " — does a loop do far more work than needed?")
    window = [s for s in samples if s.when >= last.when - 0.4 * limit]
    if len(window) < 3:
        return ("slow", slow, _owner(outer))
    common = [f for f in window[0].frames if all(any(f is g for g in s.frames) for s in window)]
    anchor = common[-1] if common else None
    if anchor is None or not _graded(anchor):
        return ("slow", slow, _owner(outer))   # inside one library call for the whole stretch
    states = [_settled(s.states.get(id(anchor), {})) for s in window]
    if any(st != states[0] for st in states):
        return ("slow", slow, _owner(outer))
    if one_long_call:
        return ("slow", slow, _owner(outer))
    first, final = window[0].sizes.get(id(anchor), {}), window[-1].sizes.get(id(anchor), {})
    growing = [k for k in final if k in first and final[k] > first[k]]
    stuck = ", ".join(_telling(window[-1].shown.get(id(anchor), {}), window[-1].kinds.get(id(anchor), {}),
                               skip=growing, loop=loop_names(anchor.f_code.co_filename,
                                                             anchor.f_code.co_firstlineno, anchor.f_lineno)))
    grows = ", ".join(f"`{k}` keeps growing ({final[k]:,} items)" for k in growing[:2])
    message = (f"`{_name(anchor)}` ({_where(anchor)}) runs a loop that never ends: for the last "
               f"{window[-1].when - window[0].when:.0f} s of the {limit:g}-s limit its variables stayed "
               f"the same{' (' + stuck + ')' if stuck else ''}" + (f" while {grows}" if grows else "") +
               (" — does a loop keep appending?" if grows else " — does each pass of the loop move on?"))
    inner = [f for f in reversed(last.frames) if _graded(f)]
    return ("loop", message, _blame(inner[inner.index(anchor):] if anchor in inner else inner))


def _speed_advice(doc: str) -> str:
    """The last sentence of a docstring's "Speed:" paragraph: what to do (the stubs end it so).

    >>> _speed_advice("Sum.\\n\\n    Speed: big inputs, 60 s. Use one\\n    matrix product.\\n\\n    Example:")
    'Use one matrix product.'
    """
    paragraph = " ".join(doc.split("Speed:", 1)[1].split("\n\n", 1)[0].split())
    return paragraph.rstrip(".").rsplit(". ", 1)[-1] + "."


def memory_verdict(sample: Sample | None, cap: int):
    inner = [f for f in reversed(sample.frames) if _graded(f)] if sample else []
    what = f"used more than {gigabytes(cap)} of memory (the limit per test)"
    if not inner:
        return (f"{what} while the grader's own code was running", None)
    frame = inner[0]
    sizes = sample.sizes.get(id(frame), {})
    growing = ""
    if sizes:
        name = max(sizes, key=sizes.get)
        growing = f"; `{name}` holds {sizes[name]:,} items" if sizes[name] >= 1000 else ""
    return (f"`{_name(frame)}` ({_where(frame)}) {what}{growing} — does a loop keep appending?",
            _blame(inner))


def later(message: str, blame) -> str:
    return message if blame is None else f"{message} (later tests that reach `{blame[1]}` stop at once)"


def _resolve(found):
    if found is None:
        return None
    owner, attr = found
    return getattr(owner, attr, None)


