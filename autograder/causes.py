"""The real cause of a failure: a building block that fails its own test.

After an off-by-one in ``merge_pair``, the tests of ``train_bpe`` and of ``BPETokenizer`` fail
too, and their own lines (and hints) would send the learner to code that is right. Each graded
test notes which graded functions and classes it used (autograder/results.py); a test that used
exactly one is that one's *own* test. When a failed test used something that can build on a
function whose own test failed (``BUILDS_ON`` in autograder/chapters.py, followed through), its
line says so and its hint, which assumed the building blocks work, is dropped.

>>> from types import SimpleNamespace as R
>>> merge = R(chapter="Tokenization", uses=["merge_pair"], outcome="failed", kind="other", why="x", hint="h")
>>> train = R(chapter="Tokenization", uses=["train_bpe"], outcome="failed", kind="other", why="merges differ",
...           hint="count pairs inside pre-tokens")
>>> name_root_causes([merge, train], lambda chapter: "exercises/tokenization.py")
>>> train.why, train.hint
('merges differ — but `merge_pair`, which this can build on, fails its own test: fix that first', '')
>>> merge.why
'x'
"""
from __future__ import annotations

from autograder.chapters import BUILDS_ON


def building_blocks(names) -> list[str]:
    """What ``names`` can build on, directly or through one another, nearest first.

    >>> building_blocks(["evaluate_retrieval"])[:3]
    ['nearest_neighbors', 'precision_at_k', 'recall_at_k']
    >>> "cosine_similarity" in building_blocks(["evaluate_retrieval"])
    True
    """
    found, queue = [], list(names)
    while queue:
        for block in BUILDS_ON.get(queue.pop(0), ()):
            if block not in found and block not in names:
                found.append(block)
                queue.append(block)
    return found


def name_root_causes(results, file_of) -> None:
    """Add the failing building blocks to each failed result's line (``why``), in place.

    ``results``: grades with ``chapter``, ``uses``, ``outcome``, ``kind``, ``why`` and ``hint``;
    ``file_of(chapter)``: the graded file of a chapter's title, named when a block lives in
    another chapter than the line that blames it.
    """
    own = {}  # a function or class -> the chapter of its own failed test
    for r in results:
        if r.outcome == "failed" and len(r.uses) == 1:
            own.setdefault(r.uses[0], r.chapter)
    for r in results:
        if r.outcome != "failed" or r.kind not in ("other", "", "stopped"):
            continue  # a stub, a broken import or a crash has its own line (a loop may be merge_pair's)
        failing = [b for b in building_blocks(r.uses) if b in own]
        if not failing:
            continue
        shown = [f"`{b}`" + (f" ({file_of(own[b])})" if own[b] != r.chapter else "") for b in failing[:3]]
        names = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
        one = len(failing) == 1
        r.why += (f" — but {names}, which this can build on, {'fails its own test' if one else 'fail their own tests'}"
                  f": fix {'that' if one else 'those'} first")
        r.hint = ""
