"""The grader's map of what each graded function can build on (autograder/chapters.BUILDS_ON)
covers the reference: every graded function or class that a reference function calls (itself or
through its private helpers) is declared, and every declared name is one the learner writes."""
from __future__ import annotations

import ast

import pytest

from autograder.chapters import ARTICLES, BUILDS_ON
from autograder.seam import ROOT


def _definitions(folder: str, chapter: str) -> dict[str, ast.AST]:
    tree = ast.parse((ROOT / folder / f"{chapter}.py").read_text(encoding="utf-8"))
    return {node.name: node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


PUBLIC = {name for chapter in ARTICLES for name in _definitions("exercises", chapter) if not name.startswith("_")}


def _calls(defs: dict[str, ast.AST], name: str) -> set[str]:
    """The public graded names that ``name``'s code mentions, following its private helpers."""
    found, seen, stack = set(), set(), [defs[name]]
    while stack:
        for node in ast.walk(stack.pop()):
            ref = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
            if ref in PUBLIC and ref != name:
                found.add(ref)
            elif ref in defs and ref.startswith("_") and ref not in seen:
                seen.add(ref)
                stack.append(defs[ref])
    return found


def test_every_declared_name_is_a_graded_function_or_class():
    declared = set(BUILDS_ON) | {block for blocks in BUILDS_ON.values() for block in blocks}
    assert declared <= PUBLIC, sorted(declared - PUBLIC)


@pytest.mark.parametrize("chapter", ARTICLES)
def test_what_the_reference_calls_is_declared(chapter):
    defs = _definitions("solutions", chapter)
    missing = {name: sorted(_calls(defs, name) - set(BUILDS_ON.get(name, ())))
               for name in defs if not name.startswith("_")}
    missing = {name: calls for name, calls in missing.items() if calls}
    assert not missing, f"add to BUILDS_ON in autograder/chapters.py: {missing}"
