"""The review-search demo: its JavaScript finds the same neighbours as the Python reference,
on the same int8 vectors the page carries, for prepared queries and for reviews; both demos of
the page label every control they build. The JavaScript runs under Node (tests/js/review_search.mjs)."""
from __future__ import annotations

import json
import re

import pytest
from node_runner import node, run_node

from demos import review_search
from solutions import semantic_geometry as sg

#: The page's data (150 reviews, both models: about 30 s to embed on a cold cache) is the full
#: suite's; the quick tier checks the same code on a few reviews embedded by MiniLM alone.
FEW_REVIEWS = 20


@pytest.fixture(scope="module", params=[pytest.param("page", marks=pytest.mark.slow), "few-reviews"])
def data(request) -> dict:
    if request.param == "page":
        return review_search.demo_data()
    return review_search.demo_data(models=("minilm",), reviews=FEW_REVIEWS)


def _run_js(data, request):
    if not node():
        pytest.skip("node is not installed: the demo's JavaScript cannot be checked here")
    return run_node("review_search.mjs", review_search.JS_PATH, data, request, timeout=120)


def test_js_matches_python_neighbours_and_precision(data):
    assert data["models"], f"no model could be embedded: {data['skipped']}"
    cases = [["query", i] for i in range(len(data["queries"]))]
    cases += [["review", i] for i in (0, 1, 7, 42, 77, 99) if i < len(data["reviews"])]
    cases += [["review", len(data["reviews"]) - 1]]
    js = _run_js(data, {"search": cases})
    assert len(js) == len(cases)
    for (kind, index), per_model in zip(cases, js):
        label = (data["reviews"] if kind == "review" else data["queries"])[index]["condition"]
        assert [r["model"] for r in per_model] == [m["name"] for m in data["models"]]
        for result in per_model:
            what = f"{result['model']} {kind} {index}"
            expected = review_search.neighbours(data, result["model"], kind, index)
            got = [(int(i), float(s)) for i, s in result["hits"]]
            assert len(got) == len(expected) == data["k"], f"{what}: {len(got)} hits in JS, {len(expected)} in Python"
            for rank, ((gi, gs), (ei, es)) in enumerate(zip(got, expected), start=1):
                assert abs(gs - es) < 1e-9, f"{what}: score #{rank} {gs} vs {es}"
                assert gi == ei, f"{what}: neighbour #{rank} is {gi} in JS, {ei} in Python"
            if kind == "review":
                assert index not in [i for i, _ in got], "a review must not be its own neighbour"
            p = sg.precision_at_k([data["reviews"][i]["condition"] for i, _ in expected], label, k=data["k"])
            assert result["precision"] == pytest.approx(p), f"{what}: precision@{data['k']}"


def test_quantised_vectors_keep_the_scores(data):
    for model in data["models"]:
        assert review_search.quantisation_error(data, model["name"]) < 0.02


def test_unknown_model_or_kind_is_a_clear_error():
    data = review_search.demo_data(models=("minilm",), reviews=FEW_REVIEWS)
    with pytest.raises(ValueError, match="no vectors of 'e5'"):
        review_search.neighbours(data, "e5", "query", 0)
    with pytest.raises(ValueError, match="kind must be 'review' or 'query'"):
        review_search.neighbours(data, "minilm", "document", 0)


@pytest.mark.parametrize("mount", ["review_search", "review_search_live"])
def test_every_control_has_a_label(mount, data):
    """Each demo's mount, run on a minimal DOM: every select and input it builds is named by a
    <label for=its id> with text (the browser tests' axe check covers the built page as a whole)."""
    element_id = mount.replace("_", "-")
    got = _run_js(data if mount == "review_search" else {"k": review_search.K}, {"mount": mount, "id": element_id})
    assert got["controls"], f"{mount} built no form control"
    for control in got["controls"]:
        own_id = control["id"] and control["id"].startswith(element_id)
        assert own_id, f"{mount}: a control without an id of its own: {control}"
        assert control["label"] and control["label"].strip(), f"{mount}: {control['tag']}#{control['id']} has no label"
    if mount == "review_search":  # the first query is shown at once, with every model's hits
        assert f"precision@{review_search.K} = " in got["text"]


def test_page_html_is_self_contained(data):
    html = review_search.page_html(data)
    for page in (html, review_search.live_html()):
        assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)\s*=", page), "the fragment loads a file"
        assert "http://" not in page and "https://" not in page
    start = html.index('<script type="application/json" id="review-search-data">')
    assert json.loads(html[html.index(">", start) + 1:html.index("</script>", start)]) == data
    assert len(html.encode()) < 600_000, f"the demo page's payload is {len(html.encode())} bytes"
