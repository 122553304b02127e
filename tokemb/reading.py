"""Reading-time estimates for the book's pages, computed from their prose.

>>> words_of_prose("Hello *world*.\\n```{code-cell} ipython3\\nx = 1\\n```\\nTwo more.")
4

A section whose heading line follows a MyST comment ``% deeper`` is off the short path: it
and its subsections (down to the next heading of the same or a higher level) do not count
towards ``short_path_minutes``.

>>> words_of_prose(drop_deeper_sections("## Core\\nKeep these words.\\n% deeper\\n## Extra\\nSkip.\\n## Next\\nKept."))
6

The body of a ``{dropdown}`` is folded: a reader opens it on a second reading, so it counts
for the full read and not for the short path (its title, on the fence line, is not prose).

>>> words_of_prose(short_path_text("Read this.\\n:::{dropdown} Why?\\nNot this.\\n:::\\nAnd this."))
4
"""
from __future__ import annotations

import functools
import math
import re
from pathlib import Path

WORDS_PER_MINUTE = 200
BOOK_DIR = Path(__file__).resolve().parents[1] / "book"
_FENCE = re.compile(r"^(`{3,}|:{3,})")
_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")  # inline HTML in the prose: its tags are not read


def _lines_with_kind(lines):
    """Each line with what it is: "code" (in a code cell or block, fences included), "fence" (a
    directive's opening or closing line), "prose" (text, headings, and the bodies of directives
    such as notes), or "folded" (prose inside a dropdown, at any depth)."""
    code_fence, directives = None, []  # directives: open ```{note}-style fences, with "folds?"
    for line in lines:
        stripped = line.strip()
        if code_fence is not None:  # inside code: skip until the same fence closes
            code_fence = None if stripped == code_fence else code_fence
            yield line, "code"
            continue
        match = _FENCE.match(stripped)
        if match:
            marker = match.group(1)
            if directives and stripped == directives[-1][0]:
                directives.pop()  # a directive (note, admonition...) closes
            elif stripped.startswith(marker + "{") and "code-cell" not in stripped:
                directives.append((marker, stripped.startswith(marker + "{dropdown}")))  # body is prose
            else:
                code_fence = marker  # a code cell or a plain code block
                yield line, "code"
                continue
            yield line, "fence"
            continue
        yield line, "folded" if any(folds for _, folds in directives) else "prose"


_ROLE = re.compile(r"\{([\w:]+)\}`([^`]*)`")


@functools.cache
def _titles() -> dict[str, str]:
    """What a bare {ref} or {doc} shows: each label's heading and each page's title, book-wide."""
    titles = {}
    for path in BOOK_DIR.glob("*.md"):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for line, after in zip(lines, lines[1:]):
            label = _LABEL.match(line)
            if label and _HEADING.match(after):
                titles[label.group(1)] = after.lstrip("#").strip()
        titles[path.stem] = next((line[2:] for line in lines if line.startswith("# ")), path.stem)
    return titles


def _as_read(match: re.Match) -> str:
    """A MyST role as the words a reader sees: a glued value is one word, a link its text."""
    role, content = match.groups()
    if role.startswith("glue"):
        return "0"
    if role in ("ref", "doc"):
        text, _, target = content.partition("<")
        return text if target else _titles().get(content.lstrip("/"), content.replace("-", " "))
    return content


def words_of_prose(markdown: str) -> int:
    """Words a reader reads outside code cells, code blocks, front matter and directive options.
    A role counts as what it shows: a glued value as one word (a glued Markdown list, such as a
    short-path box's list of deeper sections, too), a cross-reference as its link text.

    >>> words_of_prose("{glue:text}`n_docs:,` articles; see {ref}`the units <units>`.")
    5
    >>> words_of_prose('about <span class="minutes-seen"></span> min, if <b>a</b> < b')
    6
    """
    lines = markdown.splitlines()
    if lines and lines[0].strip() == "---":  # skip YAML front matter
        lines = lines[lines.index("---", 1) + 1:] if "---" in lines[1:] else []
    words = 0
    for line, kind in _lines_with_kind(lines):
        if kind in ("prose", "folded") and not line.strip().startswith(":"):  # ":tags: [...]" options are not prose
            line = line.replace(MINUTES_SEEN, "0")  # filled in with a number, as a glued value is
            words += len(_WORD.findall(_TAG.sub(" ", _ROLE.sub(_as_read, line))))
    return words


DEEPER_MARK = "% deeper"
_HEADING = re.compile(r"^(#{1,6})\s")
_LABEL = re.compile(r"^\(([\w-]+)\)=$")


def _walk(markdown: str):
    """Each line of the page as (line, its heading match or None, off the short path?, the first
    heading of a deeper section?, a heading marked ``% deeper``?). The mark may stand right above
    the heading or above the heading's ``(label)=`` line; ``#`` lines inside code (a Python
    comment) are not headings. A marked heading inside a deeper section is marked but not first."""
    skip_level, marked = None, False
    for line, kind in _lines_with_kind(markdown.splitlines()):
        stripped = line.strip()
        heading = _HEADING.match(line) if kind in ("prose", "folded") else None
        starts = marked_heading = False
        if heading:
            level = len(heading.group(1))
            if skip_level is not None and level <= skip_level:
                skip_level = None  # a heading at the same or a higher level ends the section
            if marked and skip_level is None:
                skip_level, starts = level, True
            marked_heading, marked = marked, False
        elif stripped == DEEPER_MARK:
            marked = True
        elif marked and not _LABEL.match(stripped):
            marked = False  # only a label may stand between the mark and its heading
        yield line, heading, skip_level is not None or marked, starts, marked_heading


def drop_deeper_sections(markdown: str) -> str:
    """The page without the sections marked ``% deeper`` (the short path).

    >>> page = "% deeper\\n(lbl)=\\n## A\\n```{code-cell}\\n# not a heading\\n```\\nskip\\n## B\\nkeep"
    >>> drop_deeper_sections(page)
    '## B\\nkeep'
    """
    return "\n".join(line for line, _, off, _, _ in _walk(markdown) if not off)


def short_path_text(markdown: str) -> str:
    """What a short-path reader reads: the page without its ``% deeper`` sections and without
    the bodies of its dropdowns (the dropdown's fences stay, so its title shows where it was).

    >>> short_path_text("## A\\n::::{dropdown} Answer\\nFolded.\\n::::\\nkeep")
    '## A\\n::::{dropdown} Answer\\n::::\\nkeep'
    """
    kept = drop_deeper_sections(markdown).splitlines()
    return "\n".join(line for line, kind in _lines_with_kind(kept) if kind != "folded")


#: Where a built page shows the minutes of its short path with code and outputs: the article
#: writes this empty element in its short-path box, the build (book/_ext/deeper_marks.py) fills it.
MINUTES_SEEN = '<span class="minutes-seen"></span>'


def words_seen(body_html: str) -> int:
    """Words a short-path reader passes on a built page (the HTML of its body): prose, tables,
    visible code and outputs, but not the sections marked deeper (their ``deeper-mark`` line,
    book/_ext/deeper_marks.py), nor what is folded: dropdowns and hidden code cells (each a
    ``<details>``). Words are counted as :func:`words_of_prose` counts them.

    >>> words_seen('<section><p>Two words.</p><pre>x = 1</pre><details><p>folded</p></details>'
    ...            '<section><p class="deeper-mark">Deeper</p><p>not read</p></section></section>')
    4
    """
    from bs4 import BeautifulSoup  # a dependency of the book's theme (pydata-sphinx-theme)

    soup = BeautifulSoup(body_html, "html.parser")
    off_path = [mark.find_parent("section") or mark for mark in soup.select("p.deeper-mark")]
    for element in off_path + soup.select("details, script, style, a.headerlink"):
        element.extract()  # (extract, not decompose: a nested one may be in the list too)
    return len(_WORD.findall(soup.get_text(" ")))


def deeper_headings(markdown: str) -> list[str]:
    """The titles of the sections marked ``% deeper``, in page order, for a page's short-path box.
    A marked section inside another marked one is not listed again (it is skipped with it).

    >>> deeper_headings("## A\\n% deeper\\n(x)=\\n## B\\n% deeper\\n### B1\\n## C\\n% deeper\\n### C1")
    ['B', 'C1']
    """
    return [line[heading.end():].strip() for line, heading, _, starts, _ in _walk(markdown) if starts]


def deeper_labels(markdown: str) -> set[str]:
    """The ``(label)=`` targets that lie off the short path (in, or on, a section marked ``% deeper``).

    >>> sorted(deeper_labels("(a)=\\n## A\\n% deeper\\n(b)=\\n## B\\n(c)=\\n### B1\\n(d)=\\n## D"))
    ['b', 'c']
    """
    lines = list(_walk(markdown))
    off_labels = set()
    for i, (line, _, off, _, _) in enumerate(lines):
        label = _LABEL.match(line.strip())
        if not label:
            continue
        after = next((entry for entry in lines[i + 1:] if entry[0].strip()), None)
        if after is not None and after[1] is not None:  # a label names the heading below it
            off = after[2]
        if off:
            off_labels.add(label.group(1))
    return off_labels


def mark_deeper_sections(markdown: str, mark: str) -> str:
    """The page with ``mark`` (a line of Markdown) under every heading marked ``% deeper``, so a
    reader sees what the comment only tells this module (book/_ext/deeper_marks.py uses it).

    >>> mark_deeper_sections("% deeper\\n(lbl)=\\n## A\\ntext\\n## B", "*Deeper*")
    '% deeper\\n(lbl)=\\n## A\\n\\n*Deeper*\\n\\ntext\\n## B'
    """
    out = []
    for line, _, _, _, marked_heading in _walk(markdown):
        out += [line, "", mark, ""] if marked_heading else [line]
    return "\n".join(out) + ("\n" if markdown.endswith("\n") else "")


def _page_text(page: str | Path) -> str:
    path = Path(page) if Path(page).is_absolute() else BOOK_DIR / page
    return path.read_text(encoding="utf-8")


def minutes_to_read(words: int) -> int:
    """Whole minutes to read ``words`` at WORDS_PER_MINUTE, rounded up, at least 1.

    >>> minutes_to_read(0), minutes_to_read(200), minutes_to_read(201)
    (1, 1, 2)
    """
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def short_path_minutes(page: str | Path) -> int:
    """Whole minutes to read a page's short path (``short_path_text``; at least 1)."""
    return minutes_to_read(words_of_prose(short_path_text(_page_text(page))))


def reading_minutes(page: str | Path) -> int:
    """Whole minutes to read a page's prose at WORDS_PER_MINUTE (at least 1).

    ``page`` is a path, or a file name in the book's folder (so a downloaded notebook can
    call ``reading_minutes("tokenization.md")`` from any folder).
    """
    return minutes_to_read(words_of_prose(_page_text(page)))
