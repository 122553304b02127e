"""The worked examples in the docstrings of the support package, the demos, the grader and the
solutions hold. Every docstring example of the project is run from here, once.

(The exercises hold the same docstrings as the solutions, checked by tests/test_signatures.py;
their examples fail until the learner writes the code, so they are run on the solutions.)
"""
from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import autograder
import demos
import solutions
import tokemb

PACKAGES = (tokemb, demos, autograder, solutions)
# Each package and its modules. Modules that import something heavy at the top (torch, a browser)
# are still cheap to import here: the suite loads those libraries anyway. Test modules are
# pytest's, not doctest's.
MODULES = sorted(
    name for package in PACKAGES
    for name in (package.__name__, *(m for _, m, _ in pkgutil.walk_packages(package.__path__, package.__name__ + ".")))
    if not name.split(".")[-1].startswith(("test_", "conftest"))
)
#: Examples that load or run a whole model: the full suite's (``slow``), with the reason.
SLOW = {
    "tokemb.minilm_onnx": "exports MiniLM to int8 ONNX on a cold cache",
    "demos.review_search": "embeds the page's 150 reviews on a cold cache",
    "solutions.contextual_embeddings": "loads MiniLM: sentence-transformers, torch and transformers (about 8 s)",
}


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


def test_the_slow_examples_exist():
    assert set(SLOW) <= set(MODULES), set(SLOW) - set(MODULES)


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n for n in MODULES])
def test_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} docstring examples are wrong"
    has_examples = ">>> " in Path(module.__file__).read_text(encoding="utf-8")
    assert result.attempted > 0 or not has_examples, f"{name} shows examples, but doctest found none to run"
