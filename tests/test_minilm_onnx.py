"""The int8 ONNX export of all-MiniLM-L6-v2 (tokemb.minilm_onnx) agrees with the real model.

Reference: ``SentenceTransformer.encode`` on the installed weights (for the 979 reviews through
the exercise's ``embed``, which is that call plus an on-disk cache the site build shares).
The ONNX side runs in Python's onnxruntime with the model's own WordPiece, cut at 256 tokens.
"""
from __future__ import annotations

import subprocess

import numpy as np
import pytest
from support import ROOT

from tokemb import assets, minilm_onnx

#: Text the reviews do not cover: other scripts, emoji, accents, almost nothing, very long.
VARIED = [
    "",
    " ",
    "?!",
    "😀",
    "I love this medicine 😍🙏 but the nausea 🤢 is awful",
    "Café crème, naïve façade, Ångström, Øresund, İstanbul",
    "Das Medikament hat meine Migräne deutlich gelindert.",
    "Этот препарат помог мне уснуть, но утром болит голова.",
    "这个药让我睡得很好，但是早上头疼。",
    "この薬を飲んでから頭痛が少なくなりました。",
    "이 약을 먹고 나서 두통이 줄었어요.",
    "هذا الدواء ساعدني على النوم",
    "यह दवा मेरे सिरदर्द के लिए अच्छी है",
    "Το φάρμακο με βοήθησε πολύ.",
    "ยานี้ช่วยให้ฉันนอนหลับ",
    "antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis " + "x" * 120,
    "tabs\tand\nnewlines\r\nand\u00a0no-break\u200bzero-width\u0007bell",
    "Side effects: dizziness (2-3 days), $45/month; 10mg → 20mg… #worthit @doctor",
    " ".join(["The first week was rough, with headaches and nausea, but it got better."] * 40),  # > 256 tokens
]


#: Runs the exported model (on a cold cache, the test that first needs it pays the export): slow tier.
whole_model = pytest.mark.slow


def _st(texts):
    return assets.minilm().encode(list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False)


@whole_model
def test_reviews_agree_with_sentence_transformers(record_property):
    from solutions import semantic_geometry as sg

    texts = [r.text for r in assets.drug_reviews()]
    reference = sg.embed(texts, "minilm")  # SentenceTransformer.encode, normalised (cached on disk)
    ours = minilm_onnx.embed(texts)
    cos = (ours * reference).sum(axis=1)
    worst = int(np.argmin(cos))
    summary = (f"cosine(int8 ONNX, SentenceTransformer) on all {len(texts)} reviews: "
               f"min {cos.min():.4f} (review {worst}), median {np.median(cos):.4f}")
    record_property("review_cosine_min", float(cos.min()))
    record_property("review_cosine_median", float(np.median(cos)))
    print(summary)
    assert cos.min() >= 0.99, summary
    assert np.median(cos) >= 0.998, summary


@whole_model
@pytest.mark.parametrize("text", VARIED, ids=[f"varied{i}" for i in range(len(VARIED))])
def test_varied_text_agrees_with_sentence_transformers(text):
    cos = float(minilm_onnx.embed([text])[0] @ _st([text])[0])
    assert cos >= 0.99, f"cosine {cos:.4f} for {text[:60]!r}"


def test_token_ids_and_truncation_match_sentence_transformers():
    st = assets.minilm()
    assert st.max_seq_length == minilm_onnx.MAX_TOKENS
    ids = minilm_onnx.encode(VARIED)
    expected = st.preprocess(VARIED)["input_ids"]
    for text, got, want in zip(VARIED, ids, expected):
        want = [int(i) for i in want if i != 0]  # st pads the batch with [PAD] = 0
        assert got == want, f"token ids differ for {text[:60]!r}"
    assert len(ids[-1]) == minilm_onnx.MAX_TOKENS and ids[-1][-1] == 102  # cut, and still ends in [SEP]
    assert len(assets.wordpiece().encode(VARIED[-1]).ids) > 2 * minilm_onnx.MAX_TOKENS  # shared one untouched


@whole_model
def test_padding_is_masked_out():
    short, long = "Great for my migraines.", VARIED[-1]
    alone = minilm_onnx.embed([short])[0]
    batched = minilm_onnx.embed([short, long], batch_size=2)[0]  # padded to the long text's length
    assert float(alone @ batched) > 0.99999, "a padded batch changed the short text's vector"
    # ...and the check can fail: averaging over the padding too lands far away
    ids = minilm_onnx.encode([short, long])
    batch = np.zeros((2, len(ids[1])), dtype=np.int64)
    mask = np.zeros_like(batch)
    for r, row in enumerate(ids):
        batch[r, :len(row)], mask[r, :len(row)] = row, 1
    hidden = minilm_onnx.session().run(None, {"input_ids": batch, "attention_mask": mask})[0]
    unmasked = minilm_onnx.mean_pool(hidden, np.ones_like(mask))[0]
    assert float(alone @ unmasked) < 0.99


@whole_model
def test_model_file_is_int8_cached_and_keyed_by_the_weights():
    import onnx

    path = minilm_onnx.model_file()
    assert path == minilm_onnx.model_file() and path.stat().st_mtime == minilm_onnx.model_file().stat().st_mtime
    assert path.parent.name.startswith(minilm_onnx.weights_fingerprint()[:16])
    info = minilm_onnx.build_info()
    assert info["bytes"] == path.stat().st_size and info["bytes"] < 0.3 * info["fp32_bytes"], info
    model = onnx.load(str(path))
    inputs = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in model.graph.input}
    assert list(inputs) == list(minilm_onnx.INPUT_NAMES)
    assert all(isinstance(d, str) for dims in inputs.values() for d in dims), f"axes must be dynamic: {inputs}"
    assert [o.name for o in model.graph.output] == [minilm_onnx.OUTPUT_NAME]
    ops = [n.op_type for n in model.graph.node]
    assert "MatMulNBits" in ops and "DequantizeLinear" in ops
    big_float = [t.name for t in model.graph.initializer if t.data_type == onnx.TensorProto.FLOAT
                 and np.prod(t.dims) > 100_000]
    assert not big_float, f"weights left in float32: {big_float}"


def test_the_model_file_is_not_committed():
    try:
        tracked = subprocess.run(["git", "ls-files", "*.onnx", "**/*.onnx"], cwd=ROOT, capture_output=True,
                                 text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    assert not tracked, f"ONNX files are build products, never committed: {tracked}"
