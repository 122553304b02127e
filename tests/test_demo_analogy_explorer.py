"""The analogy-explorer demo: its JavaScript gives the same answers as gensim on exactly the
int8 vectors the page carries (dequantised to float32), for both methods; ranks, the
"keep input words" switch, unknown words, the 2-D projection, the map's labels and the page's
weight. The JavaScript runs under Node (tests/js/analogy_explorer.mjs)."""
from __future__ import annotations

import base64
import json
import warnings

import numpy as np
import pytest
from node_runner import node, run_node

from demos import analogy_explorer as ae
from solutions import static_embeddings as se

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


def _run_js(request, data=None):
    if not node():
        pytest.skip("node is not installed: the demo's JavaScript cannot be checked here")
    return run_node("analogy_explorer.mjs", ae.JS_PATH, data, request)


def _agree(got, expected, what):
    """Same words in the same order (a near-tie may swap), same scores to 1e-5 (relative)."""
    assert len(got) == len(expected), f"{what}: {len(got)} answers, gensim {len(expected)}"
    for rank, ((w, s), (ew, es)) in enumerate(zip(got, expected), start=1):
        if w != ew:
            tied = [x for x, xs in expected if abs(xs - es) <= 1e-6 * max(1.0, abs(es))]
            assert w in tied, f"{what}: answer #{rank} is {w!r} in JS, {ew!r} in gensim"
        assert abs(s - es) <= 1e-5 * max(1.0, abs(es)), f"{what}: {w!r} scores {s} in JS, {es} in gensim"


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
def test_js_matches_gensim_on_the_page_vectors(method):
    kv = ae.keyed_vectors()  # exactly the page's int8 rows, as float32
    cases = [dict(positive=p, negative=n, k=10, method=method, exclude=True, expected=e) for p, n, e in ANALOGIES]
    js = _run_js({"solve": cases}, ae.demo_data())
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
                assert out["rank"] == better + 1, \
                    f"{what}: rank of {expected!r} is {out['rank']} in JS, {better + 1} in gensim"


def test_keep_inputs_unknown_words_and_methods():
    kv = ae.keyed_vectors()
    cases = [dict(positive=["king", "woman"], negative=["man"], k=5, method=m, exclude=False, expected="king")
             for m in ("3cosadd", "3cosmul")]
    cases += [dict(positive=["king", "zzzqx"], negative=["man"], k=5, method="3cosadd", exclude=True, expected=None),
              dict(positive=["king"], negative=["man"], k=5, method="3cosmax", exclude=True, expected=None)]
    keep_add, keep_mul, unknown, bad_method = _run_js({"solve": cases}, ae.demo_data())
    for method, out in (("3cosadd", keep_add), ("3cosmul", keep_mul)):
        reference = se.analogy(kv, ["king", "woman"], ["man"], k=5, method=method, exclude_inputs=False)
        _agree([(w, float(s)) for w, s in out["answers"]], reference, f"{method}, inputs kept")
        assert out["rank"] == [w for w, _ in reference].index("king") + 1
    assert "zzzqx" in unknown.get("error", ""), f"an unknown word should be named in the error: {unknown}"
    assert "3cosmax" in bad_method.get("error", ""), f"an unknown method should be an error: {bad_method}"


def test_projection_is_pca():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 50)) * np.linspace(3, 0.1, 50)
    got = np.array(_run_js({"project2d": X.tolist()}))
    centred = X - X.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    expected = centred @ vt[:2].T
    for c in range(2):  # a component's sign is arbitrary
        sign = np.sign(got[:, c] @ expected[:, c])
        assert np.allclose(sign * got[:, c], expected[:, c], atol=1e-6), f"component {c + 1} differs from numpy's PCA"


def test_map_labels_do_not_overlap_and_stay_inside():
    """placeLabels on crowded points (as the map's answers often are): every label box inside the
    map, no two boxes overlapping, none covering another point's marker."""
    width, height, mx, my = 440, 380, 70, 40  # the map's size and the margins its points keep (MAP in the JS)
    rng = np.random.default_rng(1)
    # as many points as the map shows (target, 3 inputs, 10 answers, expected), in two tight
    # clusters and at the edges of the area the points are scaled to
    crowd = [*(rng.normal(size=(6, 2)) * 12 + [300, 120]).tolist(),
             *(rng.normal(size=(5, 2)) * 12 + [150, 260]).tolist()]
    edge = [[mx, my], [width - mx, height - my], [mx, height - my], [width - mx, my]]
    points = [{"label": f"{i + 1}. {'word' * (1 + i % 3)}", "x": float(x), "y": float(y)}
              for i, (x, y) in enumerate([*crowd, *edge])]
    out = _run_js({"placeLabels": points, "charWidth": 7.5, "lineHeight": 15})
    assert out["map"] == {"width": width, "height": height, "marginX": mx, "marginY": my}, \
        f"the map's geometry changed in the JS ({out['map']}): update this test's crowd and edges"
    boxes = out["boxes"]
    for i, b in enumerate(boxes):
        inside = b["x0"] >= 0 and b["y0"] >= 0 and b["x1"] <= width and b["y1"] <= height
        assert inside, f"label {i} leaves the map: {b}"
        for j, c in enumerate(boxes[:i]):
            overlap = min(b["x1"], c["x1"]) > max(b["x0"], c["x0"]) and min(b["y1"], c["y1"]) > max(b["y0"], c["y0"])
            assert not overlap, f"labels {j} and {i} overlap: {c} {b}"
        for j, p in enumerate(points):
            if j != i:
                assert not (b["x0"] < p["x"] < b["x1"] and b["y0"] < p["y"] < b["y1"]), f"label {i} covers point {j}"


def test_page_weight_and_vocabulary():
    html = ae.page_html()
    mb = len(html.encode()) / 1e6
    assert mb < 4.5, f"the demo fragment is {mb:.2f} MB; the page must stay under 5 MB"
    data = ae.demo_data()
    assert len(data["words"]) == ae.N_WORDS and len(set(data["words"])) == ae.N_WORDS
    q = np.frombuffer(base64.b64decode(data["vectors"]), dtype=np.int8).reshape(-1, data["dim"])
    assert q.shape == (ae.N_WORDS, 50)
    assert (np.abs(q).max(axis=1) == 127).all(), "every row is scaled so its largest |entry| is 127"
    start = html.index('<script type="application/json" id="ae-root-data">')
    inline = html[html.index(">", start) + 1:html.index("</script>", start)]
    assert json.loads(inline) == data, "the page's inline JSON does not give back the data"
