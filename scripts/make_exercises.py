"""Write ``exercises/`` from ``solutions/``: the learner's stubs are made from the reference code.

Each ``solutions/X.py`` is the one source of ``exercises/X.py``: docstrings, signatures,
provided code (loaders, constants, file formats) and section comments are copied line for
line; the lines marked as the solution's are left out, and the lines marked as the
exercise's (the stubs) are put in. Every other line is copied unchanged, byte for byte.

Markers (comments in ``solutions/*.py``)::

    def count_pairs(word_counts: dict) -> dict:
        \"\"\"...the docstring, shared by both...\"\"\"
        # BEGIN SOLUTION
        pairs = defaultdict(int)
        ...
        return dict(pairs)
        # END SOLUTION
        # EXERCISE: raise NotImplementedError("count_pairs is not implemented yet: for each word, add its count "
        # EXERCISE:                           "to every adjacent (left, right) pair")

- ``# BEGIN SOLUTION`` ... ``# END SOLUTION``, each on a line of its own, at the same
  indentation, between statements: the lines from BEGIN to END are the solution's only. Use
  it for the body of a function the learner writes, a private helper only the solution
  uses, the imports only solution code needs.
- ``# EXERCISE: <code>`` on a line of its own: the exercise has ``<code>`` on this line, at the
  indentation of the ``#`` (the text after ``# EXERCISE: `` is kept as written, so a statement
  can go on over several such lines, aligned); in the solution it is only a comment. The stub
  of a function, as above.
- ``<statement>  # SOLUTION`` at the end of a one-line statement: that line is the solution's
  only (``import re  # SOLUTION``).
- ``<statement>  # EXERCISE: <code>`` at the end of a one-line statement: the exercise has
  ``<code>`` instead of that line, at its indentation. An answer left blank, an import given
  to the learner with what it is for::

      GPT2_TOKENS_NO_LEADING_SPACE = 4  # EXERCISE: GPT2_TOKENS_NO_LEADING_SPACE = None
      import hashlib  # EXERCISE: import hashlib  # noqa: F401  (embed: the cache key)

A function that loses solution lines must raise, in the exercise,
``NotImplementedError("<name> is not implemented yet: <what to do>")`` (``<name>`` as
``BPETokenizer.encode`` for a method): the autograder reports untouched stubs by that sentence.
Every output must compile, and no function may be left with a docstring and nothing else.
A marker that is malformed or misplaced is an error naming ``solutions/X.py:LINE``.

Usage::

    python scripts/make_exercises.py            # write exercises/ (never over a learner's work)
    python scripts/make_exercises.py --check    # write nothing; exit 1 with a diff if exercises/ is stale
    python scripts/make_exercises.py --force    # also replace edited exercise files, after a backup

Without ``--check`` a file is written only if it does not exist, already holds the output, is
byte for byte what this script last wrote there (it keeps a SHA-256 of each file it writes in
the git folder, ``.git/make_exercises.json``), or is unchanged since the last git commit and
that commit's version is what this script makes from that commit's ``solutions/X.py``. So a
learner's work, committed or not, is never replaced. Otherwise nothing at all is written and
the script exits 2 naming each such file; ``--force`` first copies it to
``X.py.<date>-<time>.bak`` next to it. Exit status: 0 done (or up to date), 1 ``--check`` found
differences, 2 an error (a bad marker, a file it refuses to replace).
"""
from __future__ import annotations

import argparse
import ast
import difflib
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tokenize
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE, TARGET = "solutions", "exercises"

BEGIN, END, SOLUTION, EXERCISE = "# BEGIN SOLUTION", "# END SOLUTION", "# SOLUTION", "# EXERCISE:"
REPLACE = "# EXERCISE: (after a statement)"
# Anything that looks like a marker but is not exactly one of the four is an error, not a comment.
_LOOKS_LIKE_MARKER = re.compile(r"#\s*(BEGIN\b|END\b|SOLUTION\b|EXERCISE\b)")
STUB_SENTENCE = "is not implemented yet"
RECORD = "make_exercises.json"  # in the git folder: SHA-256 of each file this script wrote


class MarkerError(Exception):
    """A malformed or misplaced marker, or an output that is not a valid exercise; says file:line."""


@dataclass
class _Comment:
    text: str
    col: int
    standalone: bool  # nothing but whitespace before it on its line
    between_statements: bool  # not inside brackets or a statement spread over lines
    ends_one_line_statement: bool  # trailing a statement that starts and ends on this line
    opens_block: bool  # that statement is a block header (def/if/...: followed by an indented block)


@dataclass
class _Generated:
    text: str
    origin: list[int] = field(default_factory=list)  # output line (0-based) -> solution line (1-based)
    removed: set[int] = field(default_factory=set)  # solution lines (1-based) left out of the exercise


def _lines(text: str) -> list[str]:
    """Lines with their own endings (\\n, \\r\\n or \\r), as tokenize numbers them."""
    return io.StringIO(text, newline="").readlines()


def _comments(text: str, where: str) -> dict[int, _Comment]:
    """The comments of a Python source, by line, with where each one sits."""
    found: dict[int, _Comment] = {}
    depth = 0  # open brackets
    start = None  # line where the current logical line began (None: between statements)
    pending: _Comment | None = None  # a trailing comment waiting to learn what its statement is
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text, newline="").readline))
    except (tokenize.TokenError, SyntaxError) as err:
        line = err.args[1][0] if len(err.args) > 1 and isinstance(err.args[1], tuple) else getattr(err, "lineno", "?")
        raise MarkerError(f"{where}:{line}: cannot be read as Python: {err.args[0]}") from None
    for i, tok in enumerate(tokens):
        kind, string, (row, col) = tok.type, tok.string, tok.start
        if kind == tokenize.COMMENT:
            standalone = not tok.line[:col].strip()
            found[row] = _Comment(string, col, standalone, depth == 0 and start is None, False, False)
            if not standalone and depth == 0 and start == row:
                pending = found[row]
            continue
        if kind in (tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING):
            continue
        if kind == tokenize.NEWLINE:
            if pending is not None and row == start:
                pending.ends_one_line_statement = True
                j = i + 1
                while j < len(tokens) and tokens[j].type in (tokenize.NL, tokenize.COMMENT):
                    j += 1
                pending.opens_block = j < len(tokens) and tokens[j].type == tokenize.INDENT
            start, pending = None, None
            continue
        if kind == tokenize.ENDMARKER:
            break
        if start is None:
            start = row
        if kind == tokenize.OP and string in "([{":
            depth += 1
        elif kind == tokenize.OP and string in ")]}":
            depth -= 1
    return found


def _marker(comment: _Comment, where: str) -> str | None:
    """Which marker a comment is (BEGIN, END, SOLUTION, EXERCISE; REPLACE for a trailing EXERCISE),
    None for a plain comment."""
    text = comment.text.rstrip()
    if text in (BEGIN, END):
        kind = text
    elif text == SOLUTION:
        kind = SOLUTION
    elif text == EXERCISE or text.startswith(EXERCISE + " "):
        kind = EXERCISE
    elif _LOOKS_LIKE_MARKER.match(text):
        raise MarkerError(f"{where}: {text!r} looks like a marker but is none: the markers are {BEGIN!r}, "
                          f"{END!r}, {SOLUTION!r} (after a statement) and {EXERCISE!r} followed by code")
    else:
        return None
    if kind == SOLUTION and comment.standalone:
        raise MarkerError(f"{where}: {SOLUTION!r} on a line of its own marks nothing: put it after the "
                          f"statement it marks, or use {BEGIN!r} ... {END!r} for several lines")
    if kind in (SOLUTION, EXERCISE) and not comment.standalone:
        name = text.split(":")[0]
        if not comment.ends_one_line_statement:
            raise MarkerError(f"{where}: {name!r} must end a statement that fits on its line (this one goes "
                              f"on over several lines): use {BEGIN!r} ... {END!r} around it")
        if comment.opens_block:
            raise MarkerError(f"{where}: {name!r} after a block header would leave its block behind: "
                              f"use {BEGIN!r} ... {END!r} around the whole block")
        if kind == EXERCISE and not text[len(EXERCISE):].strip():
            raise MarkerError(f"{where}: {EXERCISE!r} after a statement needs the code that replaces it "
                              f"(to leave the line out, end it with {SOLUTION!r})")
        return kind if kind == SOLUTION else REPLACE
    if not comment.standalone:
        raise MarkerError(f"{where}: {text.split(':')[0]!r} must be on a line of its own")
    if not comment.between_statements:
        raise MarkerError(f"{where}: {text.split(':')[0]!r} inside brackets or a statement spread over lines: "
                          "markers go between statements")
    return kind


def generate(text: str, source: str = "solutions/X.py", target: str = "exercises/X.py") -> str:
    """The exercise made from the solution ``text`` (``source`` and ``target`` name them in errors).

    >>> print(generate("def f():\\n    '''Doc.'''\\n    # BEGIN SOLUTION\\n    return 1\\n    # END SOLUTION\\n"
    ...                "    # EXERCISE: raise NotImplementedError('f is not implemented yet: return 1')\\n"), end="")
    def f():
        '''Doc.'''
        raise NotImplementedError('f is not implemented yet: return 1')
    """
    result = _generate(text, source)
    _check_output(text, result, source, target)
    return result.text


def _generate(text: str, source: str) -> _Generated:
    lines = _lines(text)
    comments = _comments(text, source)
    result, out = _Generated(""), []
    block: tuple[int, int] | None = None  # (line, indentation) of an open BEGIN
    for row, line in enumerate(lines, start=1):
        where = f"{source}:{row}"
        comment = comments.get(row)
        kind = _marker(comment, where) if comment is not None else None
        if block is not None:
            result.removed.add(row)
            if kind == END:
                if comment.col != block[1]:
                    raise MarkerError(f"{where}: {END!r} is indented {comment.col} spaces, its {BEGIN!r} "
                                      f"({source}:{block[0]}) {block[1]}: a block ends where it began")
                block = None
            elif kind is not None:
                name = comment.text.split(":")[0]
                raise MarkerError(f"{where}: {name!r} inside the {BEGIN!r} block of line {block[0]} "
                                  f"(blocks do not nest; {EXERCISE!r} lines go after its {END!r})")
            continue
        if kind == BEGIN:
            block = (row, comment.col)
            result.removed.add(row)
        elif kind == END:
            raise MarkerError(f"{where}: {END!r} without a {BEGIN!r} before it")
        elif kind == SOLUTION:
            result.removed.add(row)
        elif kind in (EXERCISE, REPLACE):
            code = comment.text.rstrip()[len(EXERCISE) + 1:]
            ending = line[len(line.rstrip("\r\n")):]
            indent = line[:comment.col] if kind == EXERCISE else line[:len(line) - len(line.lstrip())]
            out.append(((indent + code).rstrip() + ending, row))
            result.removed.add(row)
        else:
            out.append((line, row))
    if block is not None:
        raise MarkerError(f"{source}:{block[0]}: {BEGIN!r} without an {END!r} after it")
    result.text = "".join(line for line, _ in out)
    result.origin = [row for _, row in out]
    return result


def _functions(tree: ast.AST, prefix: str = "") -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every function and method of a module by qualified name (``BPETokenizer.encode``)."""
    found = {}
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = prefix + node.name
            if not isinstance(node, ast.ClassDef):
                found[name] = node
            found.update(_functions(node, name + "."))
        elif not isinstance(node, (ast.expr, ast.Lambda)):
            found.update(_functions(node, prefix))  # functions defined under if/try
    return found


def _stub_message(function) -> str | None:
    """The message of the function's ``raise NotImplementedError("...")`` (among its own statements)."""
    for node in ast.walk(function):
        if (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                and isinstance(node.exc.func, ast.Name) and node.exc.func.id == "NotImplementedError"
                and node.exc.args and isinstance(node.exc.args[0], ast.Constant)
                and isinstance(node.exc.args[0].value, str)):
            return node.exc.args[0].value
    return None


def _check_output(text: str, result: _Generated, source: str, target: str) -> None:
    """The exercise compiles, and every function that lost solution lines is a stub that says so."""
    try:
        exercise = ast.parse(result.text, filename=target)
        compile(exercise, target, "exec")
    except SyntaxError as err:
        origin = result.origin[err.lineno - 1] if err.lineno and err.lineno <= len(result.origin) else None
        at = f" (made from {source}:{origin})" if origin else ""
        raise MarkerError(f"{target}:{err.lineno}{at}: the exercise would not compile: {err.msg}") from None
    solution_functions = _functions(ast.parse(text))
    for name, node in _functions(exercise).items():
        body = node.body[1:] if (node.body and isinstance(node.body[0], ast.Expr)
                                 and isinstance(node.body[0].value, ast.Constant)) else node.body
        origin = result.origin[node.lineno - 1]
        if not body:
            raise MarkerError(f"{source}:{origin}: the exercise's {name} would have a docstring and nothing else: "
                              f"add its stub, `{EXERCISE} raise NotImplementedError(\"{name} {STUB_SENTENCE}: ...\")`")
        sol = solution_functions.get(name)
        if sol is None or not any(sol.lineno <= row <= sol.end_lineno for row in result.removed):
            continue
        message = _stub_message(node)
        if message is None or not message.startswith(f"{name} {STUB_SENTENCE}"):
            raise MarkerError(f"{source}:{origin}: {name} loses solution lines, so its exercise must raise "
                              f"NotImplementedError(\"{name} {STUB_SENTENCE}: <what to do>\"); "
                              + (f"it raises {message!r}" if message else f"add it as an {EXERCISE!r} line"))


# --------------------------------------------------------------------------- the folder

def build(root: Path) -> dict[str, str]:
    """``{"X.py": exercise text}`` for every ``solutions/X.py`` under ``root``."""
    sources = sorted((root / SOURCE).glob("*.py"))
    if not sources:
        raise MarkerError(f"no {SOURCE}/*.py under {root}")
    return {p.name: generate(_read(p), f"{SOURCE}/{p.name}", f"{TARGET}/{p.name}") for p in sources}


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise MarkerError(f"{path}: not UTF-8 ({err})") from None


_HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@")
_DEFINITION = re.compile(r"^\s*(?:async\s+def|def|class)\s+\w+")


def _diff(old: str, new: str, name: str) -> str:
    """A unified diff whose hunk headers name the function or class of the hunk's first change
    (as ``git diff`` does)."""
    old_lines = _lines(old)
    out = list(difflib.unified_diff(old_lines, _lines(new), f"{TARGET}/{name} (committed)",
                                    f"{TARGET}/{name} (generated)"))
    for i, line in enumerate(out):
        match = _HUNK.match(line)
        if match:
            context = next((j for j, later in enumerate(out[i + 1:]) if later[:1] in "-+"), 0)
            first_change = int(match.group(1)) - 1 + context  # 0-based, in the committed file
            where = next((s.strip() for s in reversed(old_lines[:first_change]) if _DEFINITION.match(s)), "")
            out[i] = line.rstrip("\r\n") + (f" {where}" if where else "") + "\n"
        elif not line.endswith(("\n", "\r")):
            out[i] = line + "\n\\ No newline at end of file\n"
    return "".join(out)


def check(root: Path) -> int:
    """Print how ``exercises/`` differs from what :func:`build` makes; 1 if it does, 0 if not."""
    generated = build(root)
    present = {p.name for p in (root / TARGET).glob("*.py")}
    stale = False
    for name, text in generated.items():
        path = root / TARGET / name
        if name not in present:
            print(f"{TARGET}/{name} is missing (made from {SOURCE}/{name})")
            sys.stdout.write(_diff("", text, name))
            stale = True
        elif _read(path) != text:
            sys.stdout.write(_diff(_read(path), text, name))
            stale = True
    for name in sorted(present - set(generated)):
        print(f"{TARGET}/{name} has no {SOURCE}/{name} to be made from")
        stale = True
    if stale:
        print(f"{TARGET}/ differs from what {SOURCE}/ makes: run `python scripts/make_exercises.py`", file=sys.stderr)
    return 1 if stale else 0


def _git_show(root: Path, path: str) -> bytes | None:
    """The file as in the last commit (``path`` relative to ``root``), or None (no git, not committed)."""
    if shutil.which("git") is None:
        return None
    try:
        proc = subprocess.run(["git", "-C", str(root), "show", f"HEAD:./{path}"], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def _record_path(root: Path) -> Path | None:
    """Where the SHA-256s of the files this script wrote are kept (in the git folder), or None."""
    if shutil.which("git") is None:
        return None
    try:
        proc = subprocess.run(["git", "-C", str(root), "rev-parse", "--git-path", RECORD],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return root / proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else None


def _written(root: Path) -> dict[str, str]:
    """``{"exercises/X.py": SHA-256 of what this script last wrote there}`` ({} if unknown)."""
    path = _record_path(root)
    try:
        record = json.loads(path.read_text(encoding="utf-8")) if path is not None and path.exists() else {}
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _why_not_replace(root: Path, name: str, current: bytes) -> str | None:
    """None if replacing ``exercises/<name>`` loses nobody's work; else why it might."""
    if _written(root).get(f"{TARGET}/{name}") == _sha256(current):
        return None  # exactly what this script wrote last time: nobody has touched it since
    if shutil.which("git") is None:
        return "it differs from the output and git is not installed, so nothing tells whether it holds your work"
    committed = _git_show(root, f"{TARGET}/{name}")
    if committed is None:
        return ("it differs from the output and is not in the last git commit (or this is not a git "
                "repository), so it may hold your work")
    if committed != current:
        return f"it has changes since the last commit (`git diff {TARGET}/{name}` shows them)"
    committed_solution = _git_show(root, f"{SOURCE}/{name}")
    try:
        made = None if committed_solution is None else generate(committed_solution.decode("utf-8"))
    except (MarkerError, UnicodeDecodeError):
        made = None
    if made is None or made.encode("utf-8") != committed:
        return (f"it is as last committed, but that is not what this script makes from the committed "
                f"{SOURCE}/{name}, so it may hold your work")
    return None


def _backup(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup, n = path.with_name(f"{path.name}.{stamp}.bak"), 1
    while backup.exists():
        backup, n = path.with_name(f"{path.name}.{stamp}-{n}.bak"), n + 1
    shutil.copy2(path, backup)
    return backup


def write(root: Path, force: bool = False) -> int:
    """Write ``exercises/`` (see the module docstring for when a file is replaced); the exit status."""
    generated = build(root)
    plan, refused = [], []
    for name, text in generated.items():
        path = root / TARGET / name
        if not path.exists():
            plan.append((path, text, False))
            continue
        current = path.read_bytes()
        if current == text.encode("utf-8"):
            continue
        why = _why_not_replace(root, name, current)
        if why is None or force:
            plan.append((path, text, why is not None))
        else:
            refused.append(f"{TARGET}/{name}: not replaced: {why}")
    if refused:
        for line in refused:
            print(line, file=sys.stderr)
        print(f"Nothing was written. To replace {'it' if len(refused) == 1 else 'them'} anyway, run again with "
              "--force: each is first copied to a .bak file next to it.", file=sys.stderr)
        return 2
    (root / TARGET).mkdir(exist_ok=True)
    for path, text, keep in plan:
        if keep:
            print(f"{TARGET}/{path.name}: your version is kept in {TARGET}/{_backup(path).name}")
        path.write_bytes(text.encode("utf-8"))
        print(f"{TARGET}/{path.name}: written")
    record = _record_path(root)
    if record is not None:
        written = {**_written(root), **{f"{TARGET}/{n}": _sha256(t.encode("utf-8")) for n, t in generated.items()}}
        try:
            record.write_text(json.dumps(written, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        except OSError:
            pass  # only a convenience for the next run: without it, that run asks git instead
    for name in sorted({p.name for p in (root / TARGET).glob("*.py")} - set(generated)):
        print(f"{TARGET}/{name}: left alone (there is no {SOURCE}/{name})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 with a diff if exercises/ is stale")
    parser.add_argument("--force", action="store_true",
                        help="also replace exercise files that may hold work, after copying each to a .bak file")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder (default: this repository)")
    args = parser.parse_args(argv)
    if args.check and args.force:
        parser.error("--check writes nothing, so --force means nothing with it")
    try:
        return check(args.root) if args.check else write(args.root, force=args.force)
    except MarkerError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
