"""The analogy-explorer demo: its JavaScript gives the same answers as gensim on exactly the
int8 vectors the page carries (dequantised to float32), for both methods; ranks, the
"keep input words" switch, unknown words, the 2-D projection and the page's weight."""
from __future__ import annotations

import json
import shutil
import subprocess
import warnings

import numpy as np
import pytest

from solutions import static_embeddings as se
from demos import analogy_explorer as ae
from demos import node, run_node

NODE = shutil.which("node") or "/usr/bin/node"

RUNNER = """
const ae = require(process.argv[2]);
const fs = require("fs");
const model = ae.loadModel(JSON.parse(fs.readFileSync(process.argv[3], "utf8")));
const cases = JSON.parse(fs.readFileSync(process.argv[4], "utf8"));
const out = cases.map((c) => {
  try {
    const t0 = process.hrtime.bigint();
    const r = ae.solve(model, c.positive, c.negative, { k: c.k, method: c.method, exclude: c.exclude });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return { answers: r.answers, ms, rank: c.expected ? ae.rankOf(model, r, c.expected) : null };
  } catch (err) {
    return { error: err.message };
  }
});
process.stdout.write(JSON.stringify(out));
"""

ANALOGIES = [  # (positive, negative, expected answer)
    (["king", "woman"], ["man"], "queen"),
    (["paris", "italy"], ["france"], "rome"),
    (["walked", "swim"], ["walk"], "swam"),
    (["rupee", "japan"], ["india"], "yen"),
    (["bigger", "cold"], ["big"], "colder"),
    (["brother", "daughter"], ["son"], "sister"),
    (["doctor", "woman"], ["man"], "nurse"),
    (["good", "worse"], ["bad"], "better"),
    (["london"], [], None),
    (["water", "ice"], ["cold"], None),
]


def _run_js(tmp_path, cases):
    if not node():
        pytest.skip("node is not installed: the demo's JavaScript cannot be checked here")
    return run_node(RUNNER, ae.JS_PATH, ae.demo_data(), cases)


def _agree(got, expected, what):
    """Same words in the same order (a near-tie may swap), same scores to 1e-5 (relative)."""
    assert len(got) == len(expected), f"{what}: {len(got)} answers, gensim {len(expected)}"
    for rank, ((w, s), (ew, es)) in enumerate(zip(got, expected), start=1):
        if w != ew:
            tied = [x for x, xs in expected if abs(xs - es) <= 1e-6 * max(1.0, abs(es))]
            assert w in tied, f"{what}: answer #{rank} is {w!r} in JS, {ew!r} in gensim"
        assert abs(s - es) <= 1e-5 * max(1.0, abs(es)), f"{what}: {w!r} scores {s} in JS, {es} in gensim"


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
def test_js_matches_gensim_on_the_page_vectors(tmp_path, method):
    kv = ae.keyed_vectors()  # exactly the page's int8 rows, as float32
    cases = [dict(positive=p, negative=n, k=10, method=method, exclude=True, expected=e) for p, n, e in ANALOGIES]
    js = _run_js(tmp_path, cases)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for (positive, negative, expected), out in zip(ANALOGIES, js):
            what = f"{method} {' + '.join(positive)}{''.join(' − ' + w for w in negative)}"
            assert "error" not in out, f"{what}: {out.get('error')}"
            solver = kv.most_similar if method == "3cosadd" else kv.most_similar_cosmul
            reference = solver(positive=positive, negative=negative, topn=10)
            _agree([(w, float(s)) for w, s in out["answers"]], reference, what)
            if expected:  # the rank the page shows: 1 + the number of candidates scoring higher
                every = solver(positive=positive, negative=negative, topn=None)
                idx = {kv.get_index(w) for w in positive + negative}
                better = sum(1 for i, s in enumerate(every) if i not in idx and s > every[kv.get_index(expected)])
                assert out["rank"] == better + 1, f"{what}: rank of {expected!r} is {out['rank']} in JS, {better + 1} in gensim"


def test_keep_inputs_unknown_words_and_methods(tmp_path):
    kv = ae.keyed_vectors()
    cases = [dict(positive=["king", "woman"], negative=["man"], k=5, method=m, exclude=False, expected="king")
             for m in ("3cosadd", "3cosmul")]
    cases += [dict(positive=["king", "zzzqx"], negative=["man"], k=5, method="3cosadd", exclude=True, expected=None),
              dict(positive=["king"], negative=["man"], k=5, method="3cosmax", exclude=True, expected=None)]
    keep_add, keep_mul, unknown, bad_method = _run_js(tmp_path, cases)
    for method, out in (("3cosadd", keep_add), ("3cosmul", keep_mul)):
        reference = se.analogy(kv, ["king", "woman"], ["man"], k=5, method=method, exclude_inputs=False)
        _agree([(w, float(s)) for w, s in out["answers"]], reference, f"{method}, inputs kept")
        assert out["rank"] == [w for w, _ in reference].index("king") + 1
    assert "zzzqx" in unknown.get("error", ""), f"an unknown word should be named in the error: {unknown}"
    assert "3cosmax" in bad_method.get("error", ""), f"an unknown method should be an error: {bad_method}"


def test_projection_is_pca(tmp_path):
    if not shutil.which(NODE):
        pytest.skip("node is not installed")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 50)) * np.linspace(3, 0.1, 50)
    script = (f"const ae = require({json.dumps(str(ae.JS_PATH))});"
              f"process.stdout.write(JSON.stringify(ae.project2d({json.dumps(X.tolist())})));")
    proc = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    got = np.array(json.loads(proc.stdout))
    centred = X - X.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    expected = centred @ vt[:2].T
    for c in range(2):  # a component's sign is arbitrary
        sign = np.sign(got[:, c] @ expected[:, c])
        assert np.allclose(sign * got[:, c], expected[:, c], atol=1e-6), f"component {c + 1} differs from numpy's PCA"


def test_map_labels_do_not_overlap_and_stay_inside():
    """placeLabels on crowded points (as the map's answers often are): every label box inside the
    440 x 380 map, no two boxes overlapping, none covering another point's marker."""
    if not node():
        pytest.skip("node is not installed")
    rng = np.random.default_rng(1)
    # as many points as the map shows (target, 3 inputs, 10 answers, expected), in two tight
    # clusters and at the edges of the area the points are scaled to (70..370 x 40..340)
    crowd = [*(rng.normal(size=(6, 2)) * 12 + [300, 120]).tolist(), *(rng.normal(size=(5, 2)) * 12 + [150, 260]).tolist()]
    edge = [[70, 40], [370, 340], [70, 340], [370, 40]]
    points = [{"label": f"{i + 1}. {'word' * (1 + i % 3)}", "x": float(x), "y": float(y)}
              for i, (x, y) in enumerate([*crowd, *edge])]
    script = (f"const ae = require({json.dumps(str(ae.JS_PATH))});"
              f"const pts = {json.dumps(points)};"
              "const out = ae.placeLabels(pts, (s) => [7.5 * s.length, 15]);"
              "process.stdout.write(JSON.stringify(out.map((p) => p.box)));")
    proc = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    boxes = json.loads(proc.stdout)
    for i, b in enumerate(boxes):
        assert b["x0"] >= 0 and b["y0"] >= 0 and b["x1"] <= 440 and b["y1"] <= 380, f"label {i} leaves the map: {b}"
        for j, c in enumerate(boxes[:i]):
            overlap = min(b["x1"], c["x1"]) > max(b["x0"], c["x0"]) and min(b["y1"], c["y1"]) > max(b["y0"], c["y0"])
            assert not overlap, f"labels {j} and {i} overlap: {c} {b}"
        for j, p in enumerate(points):
            if j != i:
                assert not (b["x0"] < p["x"] < b["x1"] and b["y0"] < p["y"] < b["y1"]), f"label {i} covers point {j}"


def test_page_weight_and_vocabulary():
    html = ae.page_html()
    assert len(html.encode()) < 4.5e6, f"the demo fragment is {len(html.encode()) / 1e6:.2f} MB; the page must stay under 5 MB"
    data = ae.demo_data()
    assert len(data["words"]) == ae.N_WORDS and len(set(data["words"])) == ae.N_WORDS
    q = np.frombuffer(__import__("base64").b64decode(data["vectors"]), dtype=np.int8).reshape(-1, data["dim"])
    assert q.shape == (ae.N_WORDS, 50)
    assert (np.abs(q).max(axis=1) == 127).all(), "every row is scaled so its largest |entry| is 127"
    assert "</script" not in json.dumps(data), "the inline JSON must not close its script tag"
