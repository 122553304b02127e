"""The demo framework (demos/__init__.py, demos/common.js): render's page fragment, and what the
demos share in JavaScript, run under Node (tests/js/common.mjs) and compared with Python's own
base64, gzip and HTML decoding."""
from __future__ import annotations

import base64
import gzip
import html
import json
import re

import numpy as np
import pytest
from node_runner import node, run_node

import demos


def _run_js(request):
    if not node():
        pytest.skip("node is not installed: the demos' JavaScript cannot be checked here")
    return run_node("common.mjs", demos.COMMON_JS, request)


def test_base64_and_int8_decoding():
    raw = bytes(range(256)) + b"\x00\xff\x80\x7f"
    texts = [base64.b64encode(raw).decode(), "", base64.b64encode(b"\x01").decode()]
    got = _run_js({"base64": texts})
    assert got["bytes"] == [list(base64.b64decode(t)) for t in texts]
    assert got["int8"] == [np.frombuffer(base64.b64decode(t), dtype=np.int8).tolist() for t in texts]


def test_int8_rows_and_a_length_that_is_not_rows():
    q = demos.quantise(np.random.default_rng(0).normal(size=(4, 6)))
    b64 = base64.b64encode(q.tobytes()).decode()
    assert _run_js({"int8Rows": [b64, 6]}) == q.tolist()
    assert "not rows of 5" in _run_js({"int8Rows": [b64, 5]})["error"]


def test_gunzip():
    text = "Grüße, 東京 🙂 " * 50
    assert _run_js({"gunzip": base64.b64encode(gzip.compress(text.encode())).decode()}) == text


def test_escape_html():
    texts = ["<b>\"it's\" & more</b>", "plain", "", "&amp;"]
    escaped = _run_js({"escape": texts})
    for text, out in zip(texts, escaped):
        assert html.unescape(out) == text
        assert not set(out) & set("<>\"'"), out
        assert "&" not in re.sub(r"&(amp|lt|gt|quot|#39);", "", out), out


def test_encode_cached_encodes_each_piece_once():
    pieces = ["ab", "c", "ab", "ab", "c", "d"]
    got = _run_js({"encodeCached": {"pieces": pieces, "limit": None}})
    assert got["ids"] == [ord(ch) for p in pieces for ch in p]
    assert got["calls"] == 3 and got["size"] == 3
    bounded = _run_js({"encodeCached": {"pieces": pieces, "limit": 2}})
    assert bounded["ids"] == got["ids"] and bounded["size"] <= 2


@pytest.mark.parametrize("kind, message", [("throws", "no vocabulary"), ("rejects", "cannot unpack"),
                                           ("unknown", "no demo named test_unknown")])
def test_a_demo_that_cannot_start_says_why(kind, message):
    got = _run_js({"start": [kind, {"x": 1}]})
    assert got["failed"] == "true"
    assert got["text"].startswith(f"The demo could not start: {message}"), got["text"]


def test_start_passes_the_page_data():
    data = {"words": ["</script>", "ü"], "n": [1, 2.5]}
    got = _run_js({"start": ["ok", data]})
    assert got == {"text": "mounted", "failed": None, "got": data, "controls": []}
    assert _run_js({"start": ["ok", None]})["got"] is None


def test_render_fragment():
    page = demos.render("analogy_explorer", {"a": "<!-- </script>"}, "<p>x</p>", element_id="d-1", root_class="ae")
    start = page.index('<script type="application/json" id="d-1-data">')
    inline = page[page.index(">", start) + 1:page.index("</script>", start)]
    assert "<" not in inline and json.loads(inline) == {"a": "<!-- </script>"}
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert demos.COMMON_JS.read_text(encoding="utf-8") in page
    assert page.index("TokembDemos.register(") < page.index('TokembDemos.start("analogy_explorer", "d-1")')
    assert "<script type=\"application/json\"" not in demos.render("analogy_explorer", None, "", element_id="d")


@pytest.mark.parametrize("element_id", ["", "1a", 'x" onload="alert(1)', None])
def test_render_rejects_a_bad_element_id(element_id):
    with pytest.raises(ValueError, match="element_id must be"):
        demos.render("analogy_explorer", None, "", element_id=element_id)


def test_render_names_a_missing_file():
    with pytest.raises(FileNotFoundError, match="no demo file nonexistent.css"):
        demos.render("nonexistent", None, "", element_id="x")
