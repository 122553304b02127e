"""The review-search demo: its JavaScript finds the same neighbours as the Python reference,
on the same int8 vectors the page carries, for prepared queries and for reviews."""
from __future__ import annotations


import pytest

from solutions import semantic_geometry as sg
from demos import node, review_search, run_node


RUNNER = """
const rs = require(process.argv[2]);
const data = JSON.parse(require("fs").readFileSync(process.argv[3], "utf8"));
const cases = JSON.parse(require("fs").readFileSync(process.argv[4], "utf8"));
const prepared = rs.prepare(data);
const out = cases.map(([kind, index]) => rs.search(data, prepared, kind, index));
process.stdout.write(JSON.stringify(out));
"""


def _run_js(tmp_path, data, cases):
    if not node():
        pytest.skip("node is not installed: the demo's JavaScript cannot be checked here")
    return run_node(RUNNER, review_search.JS_PATH, data, cases, timeout=120)


def test_js_matches_python_neighbours_and_precision(tmp_path):
    data = review_search.demo_data()
    assert data["models"], f"no model could be embedded: {data['skipped']}"
    cases = [["query", i] for i in range(len(data["queries"]))]
    cases += [["review", i] for i in (0, 1, 7, 42, 77, 99, len(data["reviews"]) - 1)]
    js = _run_js(tmp_path, data, cases)
    assert len(js) == len(cases)
    for (kind, index), per_model in zip(cases, js):
        label = (data["reviews"] if kind == "review" else data["queries"])[index]["condition"]
        for result in per_model:
            expected = review_search.neighbours(data, result["model"], kind, index, k=data["k"])
            got = [(int(i), float(s)) for i, s in result["hits"]]
            for rank, ((gi, gs), (ei, es)) in enumerate(zip(got, expected), start=1):
                assert abs(gs - es) < 1e-9, f"{result['model']} {kind} {index}: score #{rank} {gs} vs {es}"
                assert gi == ei, f"{result['model']} {kind} {index}: neighbour #{rank} is {gi} in JS, {ei} in Python"
            if kind == "review":
                assert index not in [i for i, _ in got], "a review must not be its own neighbour"
            p = sg.precision_at_k([data["reviews"][i]["condition"] for i, _ in expected], label, k=data["k"])
            assert result["precision"] == pytest.approx(p), f"{result['model']} {kind} {index}: precision@5"


def test_quantised_vectors_keep_the_scores(tmp_path):
    data = review_search.demo_data()
    for model in data["models"]:
        assert review_search.quantisation_error(data, model["name"]) < 0.02


def test_page_html_is_self_contained():
    data = review_search.demo_data()
    html = review_search.page_html(data)
    assert "<script src" not in html and "http://" not in html and "https://" not in html
    assert '"label", { for: id + "-select" }' in html  # the script gives its control a label
    assert len(html.encode()) < 600_000, f"the demo page's payload is {len(html.encode())} bytes"
