"""The worked examples in the docstrings of the support package and the grader hold.

(The solutions' examples are run by tests/test_signatures.py, next to the exercises they document.)
"""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import autograder
import demos
import tokemb

# Modules that import something heavy at the top (torch, a browser) are still cheap to import
# here: the suite loads those libraries anyway. Test modules are pytest's, not doctest's.
MODULES = sorted(
    name for package in (tokemb, demos, autograder)
    for _, name, _ in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
    if not name.split(".")[-1].startswith(("test_", "conftest"))
)


def test_some_modules_have_examples():
    with_examples = [m for m in MODULES if doctest.DocTestFinder().find(importlib.import_module(m))
                     and any(t.examples for t in doctest.DocTestFinder().find(importlib.import_module(m)))]
    assert len(with_examples) >= 3, f"expected worked examples in tokemb and autograder, found {with_examples}"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} docstring examples are wrong"
