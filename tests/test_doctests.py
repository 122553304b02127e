"""The worked examples in the docstrings of the support package and the grader hold.

(The solutions' examples are run by tests/test_signatures.py, next to the exercises they document.)
"""
from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import autograder
import demos
import tokemb

PACKAGES = (tokemb, demos, autograder)
# Each package and its modules. Modules that import something heavy at the top (torch, a browser)
# are still cheap to import here: the suite loads those libraries anyway. Test modules are
# pytest's, not doctest's.
MODULES = sorted(
    name for package in PACKAGES
    for name in (package.__name__, *(m for _, m, _ in pkgutil.walk_packages(package.__path__, package.__name__ + ".")))
    if not name.split(".")[-1].startswith(("test_", "conftest"))
)


def test_every_module_with_an_example_is_run():
    """A file of these packages whose source shows a worked example (``>>>``) is one this suite runs."""
    with_examples = []
    for package in PACKAGES:
        folder = Path(package.__file__).parent
        for path in sorted(folder.rglob("*.py")):
            if ">>> " in path.read_text(encoding="utf-8"):
                parts = path.relative_to(folder.parent).with_suffix("").parts
                with_examples.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    assert len(with_examples) >= 10, with_examples
    never_run = sorted(set(with_examples) - set(MODULES))
    assert not never_run, f"examples that never run: {never_run}"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} docstring examples are wrong"
