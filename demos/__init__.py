"""Interactive demo pages: the data each page embeds, and one way to put a demo on a page.

A demo called ``name`` is three sibling files: ``name.py`` (its data and markup, built from the
book's library ``solutions/`` and from ``tokemb``), ``name.js`` (what runs in the reader's
browser) and ``name.css`` (its styles). :func:`render` turns them into one self-contained HTML
fragment: the CSS, the markup in a root element, the data as inline JSON, and one script with
``common.js`` (what the demos share) and the demo's JavaScript inline, then one call that mounts
it. Nothing is loaded from anywhere, so a page works from disk and offline.

The JavaScript side of the convention (``common.js``): a demo's script registers its mount
function under its name, and the call :func:`render` writes starts it with the page's data::

    TokembDemos.register("my_demo", (root, data) => { root.textContent = data.greeting; });
    TokembDemos.start("my_demo", "my-demo");   // root: #my-demo, data: JSON.parse(#my-demo-data)

Two demos can share a page (each fragment inlines ``common.js``; a second copy keeps the first
one's registry, and no demo defines a global besides its registration). Under Node,
``require("demos/name.js")`` returns the demo's functions for the tests (``tests/js/``).

>>> html = render("analogy_explorer", {"note": "a </script> in the data"}, "<p>the controls</p>",
...               element_id="my-demo", root_class="ae")
>>> print(html[html.index("<div"):html.index("</div>") + 6])
<div id="my-demo" class="ae"><p>the controls</p></div>
>>> print(html[html.index('<script type="application/json"'):html.index("</script>") + 9])
<script type="application/json" id="my-demo-data">{"note":"a \\u003c/script> in the data"}</script>
>>> html.count("<script>"), html.rstrip().endswith('TokembDemos.start("analogy_explorer", "my-demo");\\n</script>')
(1, True)
"""
from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
COMMON_JS = HERE / "common.js"
_ELEMENT_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def quantise(vectors) -> np.ndarray:
    """Rows scaled so their largest |entry| is 127, rounded to int8 (direction kept, length dropped).

    >>> quantise([[0.5, -0.25, 0.0]]).tolist()
    [[127, -64, 0]]
    """
    v = np.asarray(vectors, dtype=np.float64)
    peak = np.abs(v).max(axis=1, keepdims=True)
    return np.round(v / np.where(peak == 0, 1, peak) * 127).astype(np.int8)


def int8_base64(rows) -> str:
    """An int8 matrix as the one base64 string a page carries (row after row; ``common.js``'s
    ``int8Rows`` reads it back in the browser, :func:`int8_from_base64` in Python).

    >>> int8_base64(quantise([[0.5, -0.25, 0.0]]))
    'f8AA'
    >>> int8_from_base64("f8AA", dim=3).tolist()
    [[127, -64, 0]]
    """
    return base64.b64encode(np.ascontiguousarray(rows, dtype=np.int8).tobytes()).decode("ascii")


def int8_from_base64(b64: str, dim: int) -> np.ndarray:
    """The int8 matrix (n, dim) back from :func:`int8_base64`'s string."""
    return np.frombuffer(base64.b64decode(b64), dtype=np.int8).reshape(-1, dim)


def _source(file_name: str) -> str:
    path = HERE / file_name
    if not path.is_file():
        raise FileNotFoundError(f"no demo file {file_name} in {HERE}")
    text = path.read_text(encoding="utf-8")
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise ValueError(f"{file_name} contains '</script' or '</style', which would end its inline tag early")
    return text


def inline_json(data) -> str:
    """``data`` as compact JSON that is safe inside a ``<script>`` element (every ``<`` escaped).

    >>> inline_json({"html": "</script><!--"})
    '{"html":"\\\\u003c/script>\\\\u003c!--"}'
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def render(name: str, data, body_html: str, *, element_id: str, root_class: str = "", mount: str | None = None,
           scripts: tuple[str, ...] = ()) -> str:
    """The demo ``name`` as one HTML fragment: ``name.css``, ``body_html`` inside
    ``<div id=element_id class=root_class>``, ``data`` as JSON in ``#{element_id}-data`` (left
    out if None), then one script: ``common.js``, the extra ``scripts`` (sibling files, in order),
    ``name.js``, and ``TokembDemos.start(mount, element_id)`` (``mount`` defaults to ``name``).

    Raises ValueError for an element id that is not a plain HTML id, FileNotFoundError for a
    missing file.
    """
    if not isinstance(element_id, str) or not _ELEMENT_ID.fullmatch(element_id):
        raise ValueError(f"element_id must be a letter then letters, digits, '-' or '_', not {element_id!r}")
    mount = name if mount is None else mount
    css = _source(f"{name}.css")
    code = "\n".join(_source(f) for f in ("common.js", *scripts, f"{name}.js"))
    classes = f' class="{html.escape(root_class)}"' if root_class else ""
    payload = "" if data is None else \
        f'<script type="application/json" id="{element_id}-data">{inline_json(data)}</script>\n'
    return (f"<style>\n{css}</style>\n"
            f'<div id="{element_id}"{classes}>{body_html}</div>\n'
            f"{payload}"
            f"<script>\n{code}\nTokembDemos.start({json.dumps(mount)}, {json.dumps(element_id)});\n</script>\n")
