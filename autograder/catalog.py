"""What the autograder checks, read from the test files themselves (no test is run).

The MVU checklist page lists, under each MVU item, the graded tests that check it, so the
list can never drift from the tests.

>>> rows = graded_tests()
>>> {row.mvu for row in rows} == {"cosine", "model-choice", "static-vs-contextual", "tokenize"}
True
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class GradedTest:
    file: str  # e.g. "test_tokenization.py"
    name: str  # the test function
    points: int
    mvu: str
    concept: str


def _graded_kwargs(decorator: ast.expr) -> dict | None:
    """The keyword arguments of ``@pytest.mark.graded(...)``, or None for other decorators."""
    if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute) \
            and decorator.func.attr == "graded":
        return {kw.arg: ast.literal_eval(kw.value) for kw in decorator.keywords}
    return None


def graded_tests(folder: Path = HERE) -> list[GradedTest]:
    """Every ``@pytest.mark.graded`` test function in ``folder/test_*.py``, in file order."""
    rows = []
    for path in sorted(folder.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                for decorator in node.decorator_list:
                    kw = _graded_kwargs(decorator)
                    if kw is not None:
                        rows.append(GradedTest(path.name, node.name, kw.get("points", 1),
                                               kw["mvu"], kw.get("concept", node.name)))
    return rows
