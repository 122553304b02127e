"""The names the loop around a line uses: what a "loop that never ends" line should show.

When a loop does not move on, the variable that should have changed is one the loop itself
uses (``pieces`` in ``merge_pair(pieces, pair)`` whose result is thrown away), rather than
an argument of the function the loop never touches. ``autograder.limits`` shows these first.
"""
from __future__ import annotations

import ast
import functools
import linecache
import textwrap


def loop_names(filename: str, first_line: int, line: int) -> list[str]:
    """The variable names of the innermost loop (for or while) around ``line``, in the order
    they first appear in it; [] when no loop is found (or the source cannot be read).

    ``first_line`` is the line of the function's ``def`` (``code.co_firstlineno``).

    >>> import tempfile, os
    >>> src = ("def f(word, merges):\\n    steps = []\\n    pieces = list(word)\\n"
    ...        "    while True:\\n        merge(pieces, merges)\\n        steps.append(pieces)\\n")
    >>> with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
    ...     _ = fh.write(src)
    >>> loop_names(fh.name, 1, 6)
    ['merge', 'pieces', 'merges', 'steps']
    >>> loop_names(fh.name, 1, 2)
    []
    >>> os.unlink(fh.name)
    """
    tree = _function_tree(filename, first_line)
    if tree is None:
        return []
    offset = first_line - 1
    loops = [node for node in ast.walk(tree) if isinstance(node, (ast.For, ast.While))
             and node.lineno + offset <= line <= (node.end_lineno or node.lineno) + offset]
    if not loops:
        return []
    innermost = max(loops, key=lambda node: node.lineno)
    names = sorted((n for n in ast.walk(innermost) if isinstance(n, ast.Name)), key=lambda n: (n.lineno, n.col_offset))
    return list(dict.fromkeys(n.id for n in names))


@functools.lru_cache(maxsize=64)
def _function_tree(filename: str, first_line: int):
    """The syntax tree of the function whose first line (a decorator or the ``def``) is ``first_line``."""
    lines = linecache.getlines(filename)[first_line - 1:]
    head = 0
    while head < len(lines) and lines[head].lstrip().startswith("@"):
        head += 1
    if head >= len(lines):
        return None
    indent = len(lines[head]) - len(lines[head].lstrip())
    body = []
    for ln in lines[head + 1:]:  # the function is every line after the def indented deeper (or blank)
        if ln.strip() and len(ln) - len(ln.lstrip()) <= indent:
            break
        body.append(ln)
    try:
        return ast.parse(textwrap.dedent("".join(lines[:head + 1] + body)))
    except SyntaxError:
        return None
