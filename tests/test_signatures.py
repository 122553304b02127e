"""Exercises and solutions expose the same functions, signatures and docstrings, and every
exercise function's docstring has a worked example (tests/test_doctests.py runs them on the
solutions).

exercises/ is made from solutions/ by scripts/make_exercises.py, and tests/test_make_exercises.py
checks that the committed exercises are what it makes. Its markers can still leave a public
function out of an exercise or give a stub another signature, so the two are compared here as
imported modules (which also checks that every exercise imports).
"""
from __future__ import annotations

import importlib
import inspect

import pytest

from autograder.chapters import CHAPTERS  # the one list of chapters, in ladder order


def _public_api(module) -> dict[str, object]:
    """Public functions and classes defined in the module itself, and the methods of those classes."""
    api = {}
    for name, obj in vars(module).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj) or inspect.isclass(obj):
            api[name] = obj
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if inspect.isfunction(member) and (not attr.startswith("_") or attr == "__init__"):
                        api[f"{name}.{attr}"] = member
    return api


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_same_signatures_and_docstrings(chapter):
    exercise = importlib.import_module(f"exercises.{chapter}")
    solution = importlib.import_module(f"solutions.{chapter}")
    assert inspect.getdoc(exercise) == inspect.getdoc(solution), f"{chapter}: module docstrings differ"
    ex_api, sol_api = _public_api(exercise), _public_api(solution)
    assert sorted(ex_api) == sorted(sol_api), f"{chapter}: public names differ"
    for name in ex_api:
        ex, sol = ex_api[name], sol_api[name]
        if not inspect.isclass(ex):
            assert inspect.signature(ex) == inspect.signature(sol), f"{chapter}.{name}: signatures differ"
        assert inspect.getdoc(ex) == inspect.getdoc(sol), f"{chapter}.{name}: docstrings differ"
        assert inspect.getdoc(ex), f"{chapter}.{name} has no docstring"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_exercise_function_has_a_worked_example(chapter):
    solution = importlib.import_module(f"solutions.{chapter}")
    for name, obj in _public_api(solution).items():
        if "." not in name and inspect.isfunction(obj):
            assert ">>>" in (inspect.getdoc(obj) or ""), f"{chapter}.{name}: docstring needs a worked example"
