"""Helpers that keep the grader's one-line messages exact and fair.

- :func:`fail` raises an assertion whose hint replaces the test's own hint (or removes it)
  when a test checks more than one thing: a hint must belong to the mistake it follows.
- :func:`raises` checks that a bad input raises the documented error (the one idiom for
  "expect an exception" in the grader), and says which input did not, and what happened instead.
- :func:`describe` names a value's type the way a learner thinks of it ("a numpy array of
  int64, shape (3,)"), for lines about types instead of numpy's "truth value is ambiguous".
- :func:`numbers` shows two numbers with just enough digits to see where they differ, and
  the tolerance, so a line never reads "got -0.385035, expected -0.385035".
- :func:`tolerance_for` gives float32 results a float32-sized tolerance where the
  docstring does not ask for float64.
- :func:`int_list` turns a list, tuple or numpy array of integers into a list of Python ints,
  or says what it got instead.
- :func:`array_result` checks an array result's kind, shape and dtype, in that order and
  before any value is compared, with one wording for every graded function.
"""
from __future__ import annotations

import math

import numpy as np

from autograder.seam import ExerciseImportError, graded_call


class GradingFailure(AssertionError):
    """An assertion that may bring its own hint (None: the test's hint; "": no hint)."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


def fail(message: str, hint: str | None = None):
    """Fail the test with ``message``; ``hint`` replaces the test's hint ("" shows none)."""
    __tracebackhide__ = True
    raise GradingFailure(message, hint)


def raises(error: type[BaseException], call, what: str, hint: str | None = None, names: str | None = None):
    """Call ``call()`` and fail unless it raises ``error``; return the error raised.

    ``what`` names the bad input, and the line says what happened instead: "{what} should raise
    ValueError, but returned 0.5" or "..., but raised TypeError in `f` (exercises/x.py, line 3):
    ...". ``names``: a text the error's message must contain (the missing word it should name).
    A stub's NotImplementedError and a module that cannot be imported go on to the score report,
    which has its own line for them.

    >>> raises(ValueError, lambda: int("x"), "int('x')")
    ValueError("invalid literal for int() with base 10: 'x'")
    >>> for call in (lambda: int("7"), lambda: int(None), lambda: {}["a"]):
    ...     try:
    ...         raises(ValueError, call, "this input", names="x")
    ...     except AssertionError as err:
    ...         print(err)
    this input should raise ValueError, but returned 7
    this input should raise ValueError, but raised TypeError: int() argument must be a string, ...
    this input should raise ValueError, but raised KeyError: 'a'
    >>> try:
    ...     raises(KeyError, lambda: {}["a"], "a missing key", names="b")
    ... except AssertionError as err:
    ...     print(err)
    a missing key raised KeyError, but its message should name 'b': 'a'
    """
    __tracebackhide__ = True
    try:
        result = call()
    except error as err:
        if names is not None and names not in str(err):
            fail(f"{what} raised {error.__name__}, but its message should name {names!r}: {_text(err)}", hint)
        return err
    except (NotImplementedError, ExerciseImportError, MemoryError):
        raise
    except Exception as err:  # noqa: BLE001 - any other error is the wrong one
        graded = graded_call(err.__traceback__)
        at = f" in `{graded[0]}` ({graded[1]})" if graded else ""
        fail(f"{what} should raise {error.__name__}, but raised {type(err).__name__}{at}: {_text(err)}", hint)
    fail(f"{what} should raise {error.__name__}, but returned {_short(result)}", hint)


def describe(value) -> str:
    """'a list of 3 ints', 'a numpy array of int64, shape (3,)', 'numpy.float32 0.5', 'a tuple'."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"a numpy array of {value.dtype}, shape {value.shape}"
    if isinstance(value, np.generic):
        return f"a numpy {type(value).__name__} ({value!r})"
    if isinstance(value, (list, tuple)):
        kinds = sorted({type(v).__name__ for v in value})
        inner = f" of {'/'.join(kinds)}" if kinds and len(kinds) <= 3 else ""
        return f"a {type(value).__name__} of {len(value)} item{'s' if len(value) != 1 else ''}{inner}"
    module = type(value).__module__
    prefix = "" if module == "builtins" else f"{module.split('.')[0]}."
    return f"a {prefix}{type(value).__name__}"


def array_result(got, call: str, shape: tuple, dtype=None, why: str = "") -> np.ndarray:
    """``got``, the result of ``call``, if it is a numpy array of ``shape`` (None in it: any
    length) and ``dtype``; else the failure that names what differs first: kind, shape, dtype.

    >>> array_result(np.zeros((2, 3), np.float32), "f(x)", (2, None), np.float32).shape
    (2, 3)
    >>> for got, shape in (([1.0, 2.0], (2,)), (np.zeros((3, 2)), (2, None)), (np.zeros(2), (2,))):
    ...     try:
    ...         array_result(got, "f(x)", shape, np.float32, why="one row per row of A")
    ...     except AssertionError as err:
    ...         print(err)
    f(x) must return a numpy array, got a list of 2 items of float
    f(x) returned shape (3, 2), expected (2, any): one row per row of A
    f(x) returned dtype float64, expected float32
    """
    if not isinstance(got, np.ndarray):
        fail(f"{call} must return a numpy array, got {describe(got)}")
    if len(got.shape) != len(shape) or any(n is not None and n != g for g, n in zip(got.shape, shape)):
        wanted = "(" + ", ".join("any" if n is None else str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"
        fail(f"{call} returned shape {got.shape}, expected {wanted}" + (f": {why}" if why else ""))
    if dtype is not None and got.dtype != np.dtype(dtype):
        fail(f"{call} returned dtype {got.dtype}, expected {np.dtype(dtype).name}")
    return got


def tolerance_for(value, float64_tol: float, float32_tol: float = 1e-6) -> float:
    """The tolerance a result deserves: ``float32_tol`` if it was computed in float32."""
    dtype = getattr(value, "dtype", None)
    return float32_tol if dtype is not None and dtype == np.float32 else float64_tol


def numbers(got, expected, tol: float) -> str:
    """'got -0.38503492, expected -0.38503496 (allowed difference 1e-09)', digits enough to differ."""
    g, e = float(got), float(expected)
    digits = 6
    while digits < 17 and f"{g:.{digits}g}" == f"{e:.{digits}g}" and not (math.isnan(g) or math.isnan(e)):
        digits += 1
    kind = f" (numpy {type(got).__name__})" if isinstance(got, np.generic) else ""
    return f"got {g:.{digits}g}{kind}, expected {e:.{digits}g} (allowed difference {tol:g})"


def int_list(value, what: str) -> list[int]:
    """``value`` as a list of Python ints (a numpy array of integers is fine); else a clear failure."""
    __tracebackhide__ = True
    items = value.tolist() if isinstance(value, np.ndarray) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(i, (int, np.integer)) and not isinstance(i, bool)
                                                       for i in items):
        fail(f"{what} should be a list of integers, got {describe(value)}: {_short(value)}")
    return [int(i) for i in items]


def _text(err: BaseException, limit: int = 200) -> str:
    """An error's message on one line, cut to ``limit`` characters."""
    text = " ".join(str(err).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _short(value, limit: int = 60) -> str:
    text = repr(value.tolist() if isinstance(value, np.ndarray) else value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
