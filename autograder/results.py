"""The kind of result a graded function returns, checked before any test compares its values.

A function whose signature promises a value (``-> float``, ``-> list[int]``) and returns None
most likely printed its answer; one that returns a generator where a list is due was written
with ``yield`` or a generator expression. A test that compared such a result would report
"got nan" or a comparison that cannot be shown; this module fails the call at once instead,
with a line that names the mistake and the function, for every graded function alike.

The promise is read from the function's own return annotation, which the exercise stubs carry
(``def cosine_similarity(a, b) -> float``); a function without one is not checked.

The module also notes which graded functions and classes a test used (:func:`used`), so that
the score report can tell a failure of its own from one inherited (autograder/causes.py).

>>> wrong_kind(None, "float")
'returned None: did it print its answer instead of returning it?'
>>> wrong_kind((n for n in [1, 2]), "list[int]")
'returned a generator where a list is due: build the list (or wrap it in list(...))'
>>> wrong_kind([1, 2], "list[int]") is None, wrong_kind(None, "dict | None") is None
(True, True)

A result whose kind is not the promised one at all (a list where a numpy array is due, an
array or a list where one number is due) is named too; its shape and dtype, which the
signature does not carry, are checked by the tests that know them.

>>> import numpy as np
>>> wrong_kind([[1.0, 0.0]], "np.ndarray")
'returned a list where a numpy array is due: build the array (np.asarray(...), with the dtype the docstring gives)'
>>> wrong_kind(np.array([0.5]), "float")
'returned a numpy array of shape (1,) where one number (a float) is due: take the number out of the array'
>>> wrong_kind(np.float32(0.5), "float") is None, wrong_kind(np.array(0.5), "float") is None
(True, True)

A call that changes one of the function's mutable default arguments (``def f(x, found=[])``
then ``found.append(...)``) fails too: what it added is still there at the next call.

>>> def read(lines, found=[]):
...     found.extend(lines)
...     return found
>>> changed_defaults(mutable_defaults(read), lambda: read(["a"]))
(['a'], ['found'])
"""
from __future__ import annotations

import collections.abc
import copy
import functools
import inspect
import numbers

from autograder.seam import is_graded_file, place

#: A container annotation: what a line calls it, and what builds one from an iterator.
_CONTAINERS = {"list": ("list", "list"), "tuple": ("tuple", "tuple"), "dict": ("dict", "dict"),
               "np.ndarray": ("numpy array", "np.array"), "numpy.ndarray": ("numpy array", "np.array"),
               "ndarray": ("numpy array", "np.array")}


def _text(annotation) -> str:
    """An annotation as written: a string under ``from __future__ import annotations``, else its name."""
    if isinstance(annotation, str):
        return annotation
    return getattr(annotation, "__name__", None) or str(annotation)


def wrong_kind(value, annotation) -> str | None:
    """What is wrong with ``value`` as the result ``annotation`` promises, or None if nothing is."""
    promised = _text(annotation).replace(" ", "")
    if promised in ("", "None") or "None" in promised.split("|") or promised.startswith("Optional"):
        return None  # None is a promised result
    if value is None:
        return "returned None: did it print its answer instead of returning it?"
    head = promised.split("[", 1)[0]
    if head in _CONTAINERS and isinstance(value, collections.abc.Iterator):
        noun, build = _CONTAINERS[head]
        kind = "a generator" if inspect.isgenerator(value) else f"an iterator ({type(value).__name__})"
        return f"returned {kind} where a {noun} is due: build the {noun} (or wrap it in {build}(...))"
    if _CONTAINERS.get(head, ("",))[0] == "numpy array" and isinstance(value, (list, tuple)):
        return (f"returned a {type(value).__name__} where a numpy array is due: build the array "
                "(np.asarray(...), with the dtype the docstring gives)")
    if promised == "float" and not isinstance(value, numbers.Real) and getattr(value, "shape", None) != ():
        shape = getattr(value, "shape", None)
        what = f"a numpy array of shape {shape}" if shape is not None else f"a {type(value).__name__}"
        return f"returned {what} where one number (a float) is due: take the number out of the " + (
            "array" if shape is not None else type(value).__name__)
    return None


_used: list[str] = []  # graded functions and classes read through a CheckedModule since used() was called


def used() -> list[str]:
    """The graded functions and classes that tests used since the last call (in first-use order)."""
    names = list(_used)
    _used.clear()
    return names


_MUTABLE = (list, dict, set, bytearray)


def mutable_defaults(function) -> dict:
    """``function``'s default arguments that a call could change in place, by parameter name."""
    return {name: p.default for name, p in inspect.signature(function).parameters.items()
            if isinstance(p.default, _MUTABLE)}


def changed_defaults(defaults: dict, call):
    """Run ``call()``; return (its result, the names of the ``defaults`` it changed)."""
    before = {name: copy.copy(value) for name, value in defaults.items()}
    result = call()
    return result, [name for name, value in defaults.items() if value != before[name]]


@functools.cache  # one wrapper per function: its signature is read once, not at every call
def _checked(function):
    """``function``, failing any call whose result is of the wrong kind (see :func:`wrong_kind`) or that
    changed one of its mutable defaults (see :func:`changed_defaults`); ``function`` itself when it
    has no return annotation (nothing to check it against)."""
    signature = inspect.signature(function)
    promised, defaults = signature.return_annotation, mutable_defaults(function)
    if promised is inspect.Signature.empty:
        return function

    @functools.wraps(function)
    def call(*args, **kwargs):
        __tracebackhide__ = True
        result, changed = changed_defaults(defaults, lambda: function(*args, **kwargs))
        problem = wrong_kind(result, promised)
        if changed:
            problem = (f"changed its default argument `{changed[0]}`, so what one call puts there is still there "
                       f"at the next: use `{changed[0]}=None` and make a new one inside the function")
        if problem:
            from autograder.feedback import fail  # feedback imports seam, which imports this lazily

            code = function.__code__
            fail(f"`{function.__name__}` ({place(code.co_filename, code.co_firstlineno)}) {problem}", hint="")
        return result

    return call


class CheckedModule:
    """A graded module whose functions with a return annotation check their results' kind.

    Attributes are read from the module on every access (a function the time limit replaced is
    seen at once); setting one sets it on the module. Classes and other values pass unchanged.
    """

    def __init__(self, module):
        object.__setattr__(self, "_module", module)

    def __getattr__(self, name: str):
        value = getattr(self._module, name)
        if getattr(value, "__module__", None) == self._module.__name__ and callable(value) and name not in _used:
            _used.append(name)  # a function or class of the graded file
        if inspect.isfunction(value) and is_graded_file(value.__code__.co_filename):
            return _checked(value)
        return value

    def __setattr__(self, name: str, value) -> None:
        setattr(self._module, name, value)

    def __repr__(self) -> str:
        return f"<checked {self._module!r}>"
