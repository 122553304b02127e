"""Measured costs that several pages quote, measured once per machine and reused.

How long it takes to embed a review is a property of the model *and* the machine, so the
book never types it: a page calls :func:`embedding_cost`, which times each model on a fixed
sample of the shipped reviews the first time and caches the result on disk under
``tokemb.assets.cache_dir("measurements")``, keyed by the model and the machine. Every later
call on the same machine, from any page of the same build, returns the same numbers.

Usage (the first call on a machine times the models, which takes a minute or so)::

    cost = embedding_cost()                  # {"cpu_count": ..., "seconds_per_review": {...}, ...}
    cost["seconds_per_review"]["minilm"]     # seconds to embed one review with all-MiniLM-L6-v2

Deliberately left out: timing anything but the embedding step (search over a thousand
vectors is a matrix product, measured where a page needs it).
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from tokemb import assets, models
from tokemb.files import write_atomic

#: How many reviews are timed: every ``len(reviews) // SAMPLE_SIZE``-th shipped review.
SAMPLE_SIZE = 32
#: Each model embeds the sample this many times after a warm-up; the fastest run counts
#: (other processes on the machine can only slow a run down, never speed it up).
REPEATS = 2
#: Model name -> the package that ships it (its version is part of the cache key).
PACKAGES = {m.key: m.pip for m in models.SHIPPED}


def review_sample(n: int = SAMPLE_SIZE) -> list[str]:
    """The fixed sample of review texts that is timed: ``n`` reviews spread over the corpus.

    >>> len(review_sample(8)), review_sample(8)[0] == review_sample(8)[0]
    (8, True)
    """
    texts = [r.text for r in assets.drug_reviews()]
    if not 1 <= n <= len(texts):
        raise ValueError(f"the sample size must be between 1 and {len(texts)}, got {n}")
    step = len(texts) // n
    return texts[::step][:n]


def cpu_name() -> str:
    """The CPU model, e.g. "AMD EPYC": from /proc/cpuinfo on Linux, else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def machine_id() -> dict:
    """What identifies this machine for timing purposes: host, CPU and core count."""
    return {"host": platform.node(), "cpu": cpu_name(), "cpu_count": os.cpu_count(), "system": platform.system()}


def _package_version(model: str) -> str:
    try:
        return version(PACKAGES[model])
    except PackageNotFoundError:
        return "?"


def _embed_function(model: str):
    """The call the exercise's ``embed`` makes for ``model`` (documents, i.e. passages)."""
    if model == "minilm":
        st = assets.minilm()
        return lambda texts: st.encode(texts, batch_size=32, normalize_embeddings=True,
                                       convert_to_numpy=True, show_progress_bar=False)
    if model == "e5":
        return assets.e5().passage
    raise ValueError(f"unknown model {model!r}; choose one of {sorted(PACKAGES)}")


def _cache_path(model: str, sample_size: int) -> Path:
    key = json.dumps([model, _package_version(model), sample_size, REPEATS, machine_id()], sort_keys=True)
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return assets.cache_dir("measurements") / f"embedding-seconds-{model}-{digest}.json"


def _publish_once(path: Path, record: dict) -> dict:
    """Write ``record`` to ``path`` unless another process got there first; return what is there.

    The first measurement published wins, and every reader sees it whole
    (:func:`tokemb.files.write_atomic` with ``overwrite=False``).
    """
    write_atomic(path, json.dumps(record, indent=1).encode("utf-8"), overwrite=False)
    return json.loads(path.read_text(encoding="utf-8"))


def seconds_per_review(model: str, sample_size: int = SAMPLE_SIZE) -> float:
    """Seconds to embed one review with ``model`` (``"minilm"`` or ``"e5"``) on this machine.

    Measured on :func:`review_sample` (in batches, the way the exercise's ``embed`` runs the
    model), the fastest of :data:`REPEATS` runs after a warm-up, divided by the sample size;
    cached per model and machine, so it is measured once.

    Raises:
        ValueError: for an unknown model name.
        tokemb.assets.MissingAssetError: if the model's package is not installed.
    """
    if model not in PACKAGES:
        raise ValueError(f"unknown model {model!r}; choose one of {sorted(PACKAGES)}")
    path = _cache_path(model, sample_size)
    if path.exists():
        return float(json.loads(path.read_text(encoding="utf-8"))["seconds_per_review"])
    texts = review_sample(sample_size)
    embed = _embed_function(model)
    embed(texts[:2])  # warm-up: loads weights, allocates buffers
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        embed(texts)
        best = min(best, time.perf_counter() - start)
    record = {"model": model, "package_version": _package_version(model), "sample_size": sample_size,
              "repeats": REPEATS, "seconds_per_review": best / sample_size, **machine_id()}
    return float(_publish_once(path, record)["seconds_per_review"])


def embedding_cost(models=("minilm", "e5"), sample_size: int = SAMPLE_SIZE) -> dict:
    """The measured cost of embedding, for the pages to glue.

    Returns ``{"cpu_count": os.cpu_count(), "sample_size": n, "seconds_per_review":
    {model: seconds}, "skipped": {model: why}}``; a model whose package is missing is
    listed under ``skipped`` instead of failing.
    """
    out = {"cpu_count": os.cpu_count(), "sample_size": sample_size, "seconds_per_review": {}, "skipped": {}}
    for model in models:
        try:
            out["seconds_per_review"][model] = seconds_per_review(model, sample_size)
        except assets.MissingAssetError as err:
            out["skipped"][model] = str(err)
    return out
