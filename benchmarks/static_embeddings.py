"""Static embeddings: the speed targets below, measured side by side in one run.

    python -m benchmarks.static_embeddings

- the analogy explorer answers within 100 ms: the page's JavaScript under Node (3CosAdd and
  3CosMul over its 30,000 words, plus the rank of an expected answer), slowest of a set of
  analogies, beside gensim's ``most_similar`` / ``most_similar_cosmul`` on the same vectors;
- analogy accuracy on questions-words with GloVe (30,000 most frequent words): the exercise's
  batched ``evaluate_analogies`` beside gensim's ``evaluate_word_analogies`` on the same
  questions (every 5th, to keep the run short): target no slower than gensim;
- the article executes in under 60 s (the page run top to bottom, as the build does).
"""
from __future__ import annotations

import sys
import tempfile
import time
import warnings
from pathlib import Path

from benchmarks import Row, page_row, report

ANALOGIES = [(["king", "woman"], ["man"]), (["paris", "italy"], ["france"]), (["walked", "swim"], ["walk"]),
             (["rupee", "japan"], ["india"]), (["bigger", "cold"], ["big"]), (["doctor", "woman"], ["man"])]


def _demo_rows() -> list[Row]:
    from demos import analogy_explorer as ae
    from tests.node_runner import node, run_node

    if not node():
        return []
    js_worst = run_node("analogy_explorer.mjs", ae.JS_PATH, ae.demo_data(), {"time": ANALOGIES})["worst"] / 1000
    kv = ae.keyed_vectors()
    worst = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for round_ in range(2):
            for pos, neg in ANALOGIES:
                for solver in (kv.most_similar, kv.most_similar_cosmul):
                    start = time.perf_counter()
                    solver(positive=pos, negative=neg, topn=10)
                    if round_:
                        worst = max(worst, time.perf_counter() - start)
    return [Row("analogy explorer: one answer in JS (Node), slowest of 12, 30k words", js_worst,
                "gensim most_similar(_cosmul), same vectors", worst, "under 0.1 s", js_worst < 0.1)]


def _evaluation_rows() -> list[Row]:
    from solutions import static_embeddings as se
    from tokemb import assets

    lines = assets.gensim_data("questions-words.txt").read_text(encoding="utf-8").splitlines()
    sample = [line for i, line in enumerate(lines) if line.startswith(":") or i % 5 == 0]
    glove = assets.glove()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "questions.txt"
        path.write_text("\n".join(sample) + "\n", encoding="utf-8")
        start = time.perf_counter()
        ours = se.evaluate_analogies(glove, str(path), restrict_vocab=30_000)
        mine = time.perf_counter() - start
        start = time.perf_counter()
        theirs, _ = glove.evaluate_word_analogies(str(path), restrict_vocab=30_000)
        gensim = time.perf_counter() - start
    assert abs(ours - theirs) < 1e-12, (ours, theirs)
    return [Row(f"evaluate_analogies, GloVe 30k, {len(sample) - 14:,} questions (accuracy {ours:.3f} = gensim)",
                mine, "gensim evaluate_word_analogies", gensim, "no slower than gensim", mine <= gensim)]


def _page_rows() -> list[Row]:
    return [page_row("static_embeddings", 60.0)]


def run() -> list[Row]:
    return _demo_rows() + _evaluation_rows() + _page_rows()


if __name__ == "__main__":
    sys.exit(report(run()))
