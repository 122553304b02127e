"""all-MiniLM-L6-v2 in JavaScript (demos/minilm_browser.js on demos/wordpiece.js) with the vendored
onnxruntime-web, run under Node (tests/js/wordpiece.mjs, tests/js/minilm_browser.mjs) and compared
with Python: the same token ids as the model's own ``tokenizers`` WordPiece, the same vectors as
Python's onnxruntime on the same int8 file (and so SentenceTransformer's), the same neighbours as
exact search. Also: the vendored runtime is the
npm package's files byte for byte, and the page's asset scripts give back the bytes they hold.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import shutil
import subprocess
import sys
import unicodedata

import numpy as np
import pytest
from node_runner import node, run_node
from support import ROOT

from demos import quantise
from tokemb import assets, minilm_onnx

JS = ROOT / "demos" / "minilm_browser.js"
WORDPIECE_JS = ROOT / "demos" / "wordpiece.js"
VENDOR = ROOT / "book" / "_vendor" / "onnxruntime-web"

#: Many scripts, emoji, accents, control and format characters, long words, > 256 pieces.
TEXTS = [
    "", " ", "\n\t", "?!", "😀", "🥲🫠 new emoji", "I love this medicine 😍🙏 but the nausea 🤢 is awful",
    "Café crème, naïve façade, Ångström, Øresund, İstanbul, ΟΔΟΣ ς, straße, ẞ, ﬁne, Ⅸ",
    "Das Medikament hat meine Migräne deutlich gelindert.", "Этот препарат помог мне уснуть.",
    "这个药让我睡得很好，但是早上头疼。", "この薬を飲んでから頭痛が少なくなりました。",
    "이 약을 먹고 나서 두통이 줄었어요.",
    "هذا الدواء ساعدني على النوم", "यह दवा मेरे सिरदर्द के लिए अच्छी है", "ยานี้ช่วยให้ฉันนอนหลับ", "Το φάρμακο με βοήθησε.",
    "עברית: התרופה עזרה", "ქართული ენა", "Tiếng Việt có dấu: thuốc này rất tốt", "ʻŌlelo Hawaiʻi",
    "CJK extension E: a\U0002B820b a\U0002B920b, compatibility 丽, radicals ⼀, ext G \U00030000",
    "controls:\x00\x01\x7f\u0085\u00ad\u200b\u200d\u2028\u2060\ufeff\ufffd\ue000|end",
    "combining: a\u0301 e\u0308 \u0301alone \u1ab0 \u0897 \U00011d40",
    "punctuation: ‹quotes› «guillemets» „low“ ⸘⸙ ⹃ ‽ ¿¡ 、。 ！？ \u2e43\u2e52",
    "x" * 100, "y" * 101, "antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
    "Side effects: dizziness (2-3 days), $45/month; 10mg → 20mg… #worthit @doctor <b>bold</b> ~ ^ ` |",
    " ".join(["The first week was rough, with headaches and nausea, but it got better."] * 40),
    "word " * 253 + "last",  # exactly at the limit: 254 pieces
    "word " * 254 + "last",  # one over
]


#: Runs the exported model (on a cold cache, the test that first needs it pays the export): slow tier.
whole_model = pytest.mark.slow


def _need_node():
    if not node():
        pytest.skip("node is not installed: the browser JavaScript cannot be checked here")


def _ranges(code_points) -> str:
    """Sorted code points as the JS tables write them: "21-2f,3a-40,7b"."""
    points = sorted(set(code_points))
    runs, start, prev = [], points[0], points[0]
    for cp in points[1:]:
        if cp != prev + 1:
            runs.append((start, prev))
            start = cp
        prev = cp
    runs.append((start, prev))
    return ",".join(f"{a:x}" if a == b else f"{a:x}-{b:x}" for a, b in runs)


@functools.cache
def tokenizers_classes() -> dict[str, str]:
    """The character classes of the installed ``tokenizers`` (the oracle), probed for every code point."""
    from tokenizers import normalizers, pre_tokenizers

    cps = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and c != ord("|")]

    def each(normalizer):  # "|" separates the characters; it is probed on its own below
        out = normalizer.normalize_str("|".join(map(chr, cps))).split("|")
        assert len(out) == len(cps)
        return out

    def bert(**flags):
        options = dict(clean_text=False, handle_chinese_chars=False, strip_accents=False, lowercase=False)
        return normalizers.BertNormalizer(**{**options, **flags})

    cleaned = each(bert(clean_text=True))
    removed = [c for c, o in zip(cps, cleaned) if o == "" and c not in (0, 0xFFFD)]
    cjk = [c for c, o in zip(cps, each(bert(handle_chinese_chars=True))) if o == f" {chr(c)} "]
    stripped = each(bert(strip_accents=True))
    marks = [c for c, o in zip(cps, stripped) if o == ""]
    composed = [c for c, o in zip(cps, stripped) if o == chr(c) != unicodedata.normalize("NFD", chr(c))]
    splitter = pre_tokenizers.BertPreTokenizer()
    punct = [ord("|")] if len(splitter.pre_tokenize_str("a|b")) == 3 else []
    dropped = set(removed)
    probe = [c for c in cps if not chr(c).isspace() and c not in dropped]
    for i in range(0, len(probe), 4096):
        chunk = probe[i:i + 4096]
        pieces = splitter.pre_tokenize_str(" ".join(f"a{chr(c)}b" for c in chunk))
        alone = {start for piece, (start, end) in pieces if end - start == 1 and piece not in "ab"}
        punct += [c for k, c in enumerate(chunk) if 4 * k + 1 in alone]
    return {"removed": _ranges(removed), "nonspacingMarks": _ranges(marks), "punctuation": _ranges(punct),
            "keepComposed": _ranges(composed), "cjk": _ranges(cjk)}


def _expand(spec: str) -> list[int]:
    out = []
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        out += range(int(lo, 16), int(hi or lo, 16) + 1)
    return out


@pytest.mark.slow  # probes all 1.1 million code points through `tokenizers`
def test_character_tables_are_those_of_the_tokenizers_library():
    _need_node()
    js = run_node("wordpiece.mjs", WORDPIECE_JS, None, {"tables": True})
    js["cjk"] = _ranges(_expand(js["cjk"]))
    expected = tokenizers_classes()
    for name, value in expected.items():
        assert js[name] == value, (f"the JS table {name!r} differs from what `tokenizers` does; "
                                   f"set it to:\n{value}")


def _vocab() -> list[str]:
    return (assets.minilm_path() / "vocab.txt").read_text(encoding="utf-8").splitlines()


def test_normalisation_of_every_assigned_code_point():
    """Clean text, CJK spacing, NFD, accent stripping and lowercasing: the normalizer of the
    model's tokenizer.json, for every code point Python's Unicode database knows."""
    _need_node()
    cps = [c for c in range(0x110000) if c != ord("|") and unicodedata.category(chr(c)) not in ("Cn", "Cs")]
    expected = minilm_onnx.tokenizer().normalizer.normalize_str("|".join(map(chr, cps))).split("|")
    bad = run_node("wordpiece.mjs", WORDPIECE_JS, _vocab(), {"normalize": [list(pair) for pair in zip(cps, expected)]})
    assert not bad, f"{len(bad)} code points normalise differently (hex, JS, tokenizers), e.g. {bad[:10]}"


def test_token_ids_match_the_tokenizers_library():
    _need_node()
    texts = TEXTS + [r.text for r in assets.drug_reviews()[:300]]
    js = run_node("wordpiece.mjs", WORDPIECE_JS, _vocab(), {"tokenize": texts, "maxTokens": 256})
    assert js["error"].startswith("TypeError: expected text"), js["error"]
    full = assets.wordpiece()  # the same tokenizer without truncation
    for text, got, want, pieces in zip(texts, js["out"], minilm_onnx.encode(texts), js["encoded"]):
        assert got["ids"] == want, f"ids differ for {text[:70]!r}: JS {got['tokens'][:12]}"
        untruncated = len(full.encode(text).ids)
        assert pieces == full.encode(text, add_special_tokens=False).ids, f"encode() differs for {text[:70]!r}"
        assert got["truncated"] == (untruncated > minilm_onnx.MAX_TOKENS), text[:70]
        assert got["pieces"] == len(want) - 2 and got["unknown"] == want.count(100)
    assert js["out"][TEXTS.index("word " * 253 + "last")]["truncated"] is False
    assert js["out"][TEXTS.index("word " * 254 + "last")]["truncated"] is True


@whole_model
def test_embeddings_and_search_match_python():
    _need_node()
    from solutions import semantic_geometry as sg

    texts = [t for t in TEXTS if len(t) < 3000][:14] + [TEXTS[-3]]  # incl. one past 256 tokens
    queries = [q["text"] for q in sg.load_queries() if q["language"] == "en"]
    reviews = sg.embed([r.text for r in assets.drug_reviews()], "minilm")  # SentenceTransformer, float32
    corpus = quantise(reviews)  # what a page carries: one int8 row per review
    ours = minilm_onnx.embed(texts)
    args = {"ort": str(VENDOR / "ort.wasm.min.js"), "model": str(minilm_onnx.model_file()),
            "vocab": str(assets.minilm_path() / "vocab.txt"), "texts": texts, "queries": queries,
            "corpus": base64.b64encode(corpus.tobytes()).decode(), "dim": corpus.shape[1],
            "rank_vector": ours[7].tolist()}
    js = run_node("minilm_browser.mjs", JS, {"embed": args}, timeout=600)

    vectors = np.array(js["vectors"])
    assert vectors.shape == (len(texts), 384)
    norms = np.linalg.norm(vectors, axis=1)
    assert np.allclose(norms, 1, atol=1e-5), f"JS vectors are not of length 1: {norms.round(4).tolist()}"
    same_model = (vectors * ours).sum(axis=1)
    assert same_model.min() > 0.9999, f"JS and Python onnxruntime differ: cosines {same_model.round(5).tolist()}"
    st = assets.minilm().encode(texts, normalize_embeddings=True)
    to_reference = (vectors * st).sum(axis=1)
    assert to_reference.min() >= 0.99, f"cosine with SentenceTransformer {to_reference.round(4).tolist()}"

    # search: the page's answer against exact search on float32 SentenceTransformer vectors
    exact = np.argsort(-(reviews @ assets.minilm().encode(queries, normalize_embeddings=True).T), axis=0, kind="stable")
    for q, hits in enumerate(js["hits"]):
        shared = len({h["index"] for h in hits} & set(exact[:5, q].tolist()))
        assert shared >= 4, f"query {q}: only {shared} of the top 5 shared with exact search"
        assert all(a["score"] >= b["score"] for a, b in zip(hits, hits[1:]))
    # rank() itself: the same order and cosines as numpy on the same int8 rows
    rows = corpus.astype(np.float64)
    cos = rows @ ours[7] / np.linalg.norm(rows, axis=1)
    assert [h["index"] for h in js["ranked"]] == np.argsort(-cos, kind="stable")[:10].tolist()
    assert np.allclose([h["score"] for h in js["ranked"]], np.sort(cos)[::-1][:10], atol=1e-5)
    assert js["empty"] == [[], []]


@whole_model
def test_asset_scripts_give_back_their_bytes(tmp_path):
    _need_node()
    written = minilm_onnx.write_browser_assets(tmp_path)
    assert sorted(written) == sorted(minilm_onnx.BROWSER_FILES)
    assert (tmp_path / "ort.wasm.min.js").read_bytes() == (VENDOR / "ort.wasm.min.js").read_bytes()
    assert (tmp_path / "LICENSE-onnxruntime-web.txt").read_bytes() == (VENDOR / "LICENSE").read_bytes()
    sources = {"ort-wasm-simd-threaded.mjs.js": VENDOR / "ort-wasm-simd-threaded.mjs",
               "ort-wasm-simd-threaded.wasm.js": VENDOR / "ort-wasm-simd-threaded.wasm",
               "vocab.txt.js": assets.minilm_path() / "vocab.txt", "minilm-int8.onnx.js": minilm_onnx.model_file()}
    got = run_node("minilm_browser.mjs", JS, {"assets": str(tmp_path)})
    assert got == {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in sources.items()}


def test_no_url_to_another_host_in_the_inlined_script():
    """The page inlines these files; the site build warns on any quoted http(s) URL in inline scripts."""
    for path in (WORDPIECE_JS, JS):
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, path.name


@pytest.mark.slow  # fetches and unpacks the npm package
def test_vendored_runtime_is_the_npm_package_byte_for_byte():
    from tokemb.assets import cache_dir

    script = ROOT / "scripts" / "vendor_onnxruntime_web.py"
    if not shutil.which("npm") and not (cache_dir("npm") / "onnxruntime-web-1.30.0.tgz").exists():
        pytest.skip("npm is not installed, and no cached tarball: cannot re-derive the vendored files")
    proc = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    manifest = json.dumps(sorted(p.name for p in VENDOR.iterdir()))
    assert manifest == json.dumps(sorted(["LICENSE", "README.md", "ort-wasm-simd-threaded.mjs",
                                          "ort-wasm-simd-threaded.wasm", "ort.wasm.min.js"]))


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MiniLM from disk</title></head>
<body><input id="q" aria-label="text"><p id="status" role="status"></p>
<script>{wordpiece}
{js}</script>
<script>
window.loaded = null;
document.getElementById("q").addEventListener("focus", () => {{
  window.loaded = window.loaded || MiniLMBrowser.loadInPage("_static/minilm/", {{
    onProgress: (done, total, label) => {{
      document.getElementById("status").textContent = `${{label}} (${{done}}/${{total}})`;
    }} }});
}}, {{ once: true }});
</script></body></html>"""


@pytest.mark.slow
@pytest.mark.browser
def test_loads_from_disk_in_chromium_without_file_access_flags(tmp_path):
    """A reader's browser opening the page from disk: no --allow-file-access-from-files, so no
    fetch or import() of a file URL. Everything must come by <script src>, data: and blob:."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    minilm_onnx.write_browser_assets(tmp_path / "_static" / "minilm")
    (tmp_path / "index.html").write_text(PAGE.format(wordpiece=WORDPIECE_JS.read_text(encoding="utf-8"),
                                                         js=JS.read_text(encoding="utf-8")), encoding="utf-8")
    text = "Since I started the pill I get headaches all the time."
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        problems = []
        page.on("console", lambda m: m.type in ("error", "warning") and problems.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("request", lambda r: r.url.startswith(("file:", "data:", "blob:"))
                or problems.append(f"request: {r.url}"))
        page.goto((tmp_path / "index.html").as_uri(), wait_until="load")
        before = page.evaluate("typeof ort")  # nothing heavy before the first focus
        page.focus("#q")
        vector = page.evaluate("async (t) => Array.from(await (await window.loaded).embed(t))", text)
        status = page.inner_text("#status")
        browser.close()
    assert before == "undefined", "the runtime loaded before the reader focused the box"
    assert not problems, problems
    assert status.startswith("ready"), status
    cos = float(np.array(vector) @ minilm_onnx.embed([text])[0])
    assert len(vector) == 384 and cos > 0.9999, f"Chromium's vector differs from Python's: cosine {cos:.6f}"
