"""The layers point one way: the support package ``tokemb`` is used by the chapters, the demos,
the grader and the book, and itself imports none of them (not at the top of a module, not inside
a function, not through ``importlib.import_module("...")``)."""
from __future__ import annotations

import ast

from support import ROOT

ABOVE = ("solutions", "exercises", "autograder", "demos")


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module name) of every import in ``tree``: import statements anywhere, and calls
    ``import_module("name")`` / ``__import__("name")`` with a literal name."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def test_the_scan_finds_every_kind_of_import():
    source = ("import solutions.tokenization\nfrom demos import render\n"
              "def f():\n    from autograder import seam\n    importlib.import_module('exercises.x')\n"
              "from . import assets\nimport numpy\n")
    assert sorted(name for _, name in imported_modules(ast.parse(source))) == [
        "autograder", "demos", "exercises.x", "numpy", "solutions.tokenization"]


def test_tokemb_imports_nothing_above_it():
    files = sorted((ROOT / "tokemb").rglob("*.py"))
    assert files, "no tokemb modules found"
    upward = [f"{path.relative_to(ROOT)}:{line} imports {name}"
              for path in files
              for line, name in imported_modules(ast.parse(path.read_text(encoding="utf-8")))
              if name.split(".")[0] in ABOVE]
    assert not upward, "tokemb must not import the packages built on it:\n" + "\n".join(upward)
