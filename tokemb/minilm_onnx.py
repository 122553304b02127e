"""all-MiniLM-L6-v2 as a small ONNX file, built from the installed weights, for the browser.

The review-search page runs the real model in the reader's browser with ``onnxruntime-web``.
This module makes the file it runs, at build time, from the same weights
``tokemb.assets.minilm()`` loads, and runs it in Python with ``onnxruntime`` so the tests can
compare it with ``SentenceTransformer.encode``:

1. **Export** (:func:`export_fp32`): the BERT encoder inside the sentence-transformers model
   goes through torch's exporter (``torch.onnx.export(..., dynamo=True)``, which writes the
   graph with ``onnxscript`` and ``onnx``). Inputs ``input_ids`` and ``attention_mask``
   (int64, ``[batch, sequence]``, both axes dynamic); output ``last_hidden_state``
   (``[batch, sequence, 384]``). ``token_type_ids`` is left out: a single sentence has type 0
   everywhere, and the model fills that in itself when it gets none. Pooling and
   normalisation stay *outside* the graph (:func:`mean_pool`, and the same few lines of
   JavaScript in ``demos/minilm_browser.js``), as the contextual-embeddings chapter
   writes them; the graph is the plain transformer, and per query its output is only
   ``tokens x 384`` numbers.
2. **Quantise** (:func:`quantise`), with ``onnxruntime.quantization``: every weight stored as
   int8. The three embedding tables (their ``Gather``) by ``quantize_dynamic``; the 36 linear
   layers by ``MatMulNBitsQuantizer`` with ``bits=8`` (symmetric int8 weights, one fp32 scale
   per block of 32 inputs). Activations stay float32. Plain dynamic quantisation of the
   linear layers as well (``quantize_dynamic``: ``MatMulInteger`` on activations rounded to
   uint8 with one scale per tensor, on every call) is smaller by a twentieth and faster, but
   it moved some reviews' embeddings too far: cosine with ``SentenceTransformer.encode`` fell
   to about 0.97 with per-channel weights (about 0.81 per tensor) on the 979 reviews, against
   the 0.99 the page promises; the block-wise int8 weights stay above 0.998
   (``tests/test_minilm_onnx.py`` measures it on every run).
3. **Cache** (:func:`model_file`): the result lives in
   ``tokemb.assets.cache_dir("minilm-onnx", KEY)``, ``KEY`` = the SHA-256 of the weights and
   config, plus a hash of this recipe and of the exporting libraries' versions. A build reuses
   it; the file is never part of the repository.

Tokens are BERT's uncased WordPiece from the model's own ``tokenizer.json``, cut at 256
(``[CLS]`` + 254 pieces + ``[SEP]``), as the sentence-transformers model does
(``max_seq_length`` in its ``sentence_bert_config.json``); in the browser the same tokens
come from ``demos/wordpiece.js``.

>>> vectors = embed(["The pill gave me headaches.", ""])
>>> vectors.shape, vectors.dtype, bool(abs((vectors ** 2).sum(axis=1) - 1).max() < 1e-5)
((2, 384), dtype('float32'), True)

``python -m tokemb.minilm_onnx`` builds (or finds) the file and prints its path, size and how
long the build took.
"""
from __future__ import annotations

import functools
import hashlib
import json
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from tokemb import assets
from tokemb.files import write_atomic

MAX_TOKENS = 256  # [CLS] + 254 word pieces + [SEP]: sentence-transformers' max_seq_length
DIM = 384
OPSET = 18
BLOCK_SIZE = 32  # int8 weights share one fp32 scale per 32 inputs of a linear layer
FILE_NAME = "minilm-int8.onnx"
INPUT_NAMES = ("input_ids", "attention_mask")
OUTPUT_NAME = "last_hidden_state"
#: Everything that decides the bytes of the file besides the weights and library versions.
RECIPE = (f"torch.onnx.export dynamo opset {OPSET}, inputs {INPUT_NAMES}, output {OUTPUT_NAME}; "
          f"quantize_dynamic(Gather, QInt8) + MatMulNBitsQuantizer(bits=8, block_size={BLOCK_SIZE}, symmetric)")
_LIBRARIES = ("torch", "transformers", "onnxscript", "onnx", "onnxruntime")


# --------------------------------------------------------------------------- the cached file

@functools.cache
def weights_fingerprint() -> str:
    """SHA-256 (hex) of the model's ``config.json`` and ``model.safetensors``, as installed."""
    h = hashlib.sha256()
    for name in ("config.json", "model.safetensors"):
        with (assets.minilm_path() / name).open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 22), b""):
                h.update(block)
    return h.hexdigest()


def _library_versions() -> dict[str, str]:
    found = {}
    for name in _LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def cache_key() -> str:
    """The cache folder's name: 16 hex digits of the weights' fingerprint, then 12 of the recipe's."""
    recipe = hashlib.sha256(json.dumps([RECIPE, _library_versions()]).encode()).hexdigest()
    return f"{weights_fingerprint()[:16]}-{recipe[:12]}"


def model_file(rebuild: bool = False) -> Path:
    """The int8 ONNX file, built on the first call (about a minute) and reused after that.

    ``rebuild=True`` builds it again even when the cached file exists.
    """
    folder = assets.cache_dir("minilm-onnx", cache_key())
    path = folder / FILE_NAME
    if path.exists() and not rebuild:
        return path
    for name in _LIBRARIES[1:]:  # torch is imported anyway; the others give a clear message
        assets._require(name, name, "Exporting all-MiniLM-L6-v2 to ONNX")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        fp32 = Path(tmp) / "minilm-fp32.onnx"
        export_fp32(fp32)
        exported = time.perf_counter()
        int8 = Path(tmp) / FILE_NAME
        quantise(fp32, int8)
        done = time.perf_counter()
        info = {"file": FILE_NAME, "bytes": int8.stat().st_size, "fp32_bytes": fp32.stat().st_size,
                "export_seconds": round(exported - start, 2), "quantise_seconds": round(done - exported, 2),
                "weights_sha256": weights_fingerprint(), "recipe": RECIPE, "versions": _library_versions()}
        write_atomic(folder / "build.json", json.dumps(info, indent=2).encode())
        int8.replace(path)  # atomic: a parallel reader sees the old file or the whole new one
    return path


def build_info() -> dict:
    """What the last build of the cached file recorded: sizes in bytes, seconds, versions."""
    model_file()
    return json.loads((assets.cache_dir("minilm-onnx", cache_key()) / "build.json").read_text())


# --------------------------------------------------------------------------- export and quantise

def _encoder():
    """The BERT module inside ``assets.minilm()`` (the same weights object), in eval mode."""
    import torch

    bert = assets.minilm()[0].auto_model.eval()

    class Encoder(torch.nn.Module):
        """input_ids, attention_mask -> last_hidden_state (no pooler, no token types)."""

        def __init__(self):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    return Encoder().eval()


def export_fp32(path: Path) -> Path:
    """Export the encoder with torch's exporter to ``path`` (float32, one self-contained file)."""
    import logging
    import warnings

    import torch

    # torch's exporter logs one line per torchvision operator it cannot register (none is used)
    logging.getLogger("torch.onnx._internal.exporter._registration").setLevel(logging.ERROR)
    # An example batch with padding, so the masked path is the one traced; both axes dynamic.
    ids = torch.tensor([[101, 7592, 2088, 999, 102], [101, 2023, 102, 0, 0]])
    mask = (ids != 0).long()
    batch, sequence = torch.export.Dim("batch"), torch.export.Dim("sequence", max=512)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # exporter chatter (deprecations in its own dependencies)
        program = torch.onnx.export(
            _encoder(), (ids, mask), input_names=list(INPUT_NAMES), output_names=[OUTPUT_NAME],
            dynamic_shapes={"input_ids": {0: batch, 1: sequence}, "attention_mask": {0: batch, 1: sequence}},
            opset_version=OPSET, dynamo=True, external_data=False, verbose=False)
    program.save(str(path), external_data=False)
    return Path(path)


def quantise(src: Path, dst: Path) -> Path:
    """int8 weights: embedding tables by ``quantize_dynamic``, linear layers by 8-bit MatMulNBits."""
    import logging

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.matmul_nbits_quantizer import DefaultWeightOnlyQuantConfig, MatMulNBitsQuantizer

    quiet = [logging.getLogger(name) for name in ("root", "onnxruntime.quantization.matmul_nbits_quantizer")]
    levels = [log.level for log in quiet]
    for log in quiet:
        log.setLevel(logging.ERROR)  # per-node INFO lines and a "consider pre-processing" hint
    try:
        gathers = Path(dst).with_suffix(".gather.onnx")
        quantize_dynamic(str(src), str(gathers), weight_type=QuantType.QInt8, op_types_to_quantize=["Gather"])
        config = DefaultWeightOnlyQuantConfig(block_size=BLOCK_SIZE, is_symmetric=True, bits=8,
                                              op_types_to_quantize=("MatMul",), quant_axes=(("MatMul", 0),))
        quantiser = MatMulNBitsQuantizer(onnx.load(str(gathers)), bits=8, block_size=BLOCK_SIZE, is_symmetric=True,
                                         op_types_to_quantize=("MatMul",), algo_config=config)
        quantiser.process()
        quantiser.model.save_model_to_file(str(dst), use_external_data_format=False)
        gathers.unlink()
    finally:
        for log, level in zip(quiet, levels):
            log.setLevel(level)
    return Path(dst)


# --------------------------------------------------------------------------- run it in Python

@functools.cache
def tokenizer():
    """The model's WordPiece tokenizer, unpadded, truncating to :data:`MAX_TOKENS` (its own copy)."""
    tk = assets._require("tokenizers", "tokenizers", "BERT WordPiece")
    tok = tk.Tokenizer.from_file(str(assets.minilm_path() / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS)
    return tok


def encode(texts) -> list[list[int]]:
    """Token ids with ``[CLS]`` and ``[SEP]``, cut at :data:`MAX_TOKENS`, one list per text."""
    return [e.ids for e in tokenizer().encode_batch(_texts(texts))]


@functools.cache
def session(threads: int | None = None):
    """An ``onnxruntime.InferenceSession`` on the cached int8 file (CPU)."""
    ort = assets._require("onnxruntime", "onnxruntime", "Running MiniLM as ONNX")
    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    return ort.InferenceSession(str(model_file()), options, providers=["CPUExecutionProvider"])


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Average of the token vectors where ``mask`` is 1, then scaled to length 1 (float32).

    >>> h = np.array([[[1.0, 0.0], [0.0, 1.0], [9.0, 9.0]]])   # third token is padding
    >>> [round(float(x), 4) for x in mean_pool(h, np.array([[1, 1, 0]]))[0]]
    [0.7071, 0.7071]
    """
    mask = np.asarray(mask, dtype=np.float32)[..., None]
    summed = (np.asarray(hidden, dtype=np.float32) * mask).sum(axis=1)
    mean = summed / np.maximum(mask.sum(axis=1), 1e-9)
    return (mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def embed(texts, batch_size: int = 32) -> np.ndarray:
    """Sentence vectors from the int8 ONNX model: float32 ``(len(texts), 384)``, rows of length 1.

    Texts are batched by length (less padding), and the rows come back in the input order.
    """
    ids = encode(texts)
    out = np.zeros((len(ids), DIM), dtype=np.float32)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    run = session()
    for start in range(0, len(order), batch_size):
        rows = order[start:start + batch_size]
        width = max(len(ids[i]) for i in rows)
        batch = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros_like(batch)
        for r, i in enumerate(rows):
            batch[r, :len(ids[i])] = ids[i]
            mask[r, :len(ids[i])] = 1
        hidden = run.run([OUTPUT_NAME], {"input_ids": batch, "attention_mask": mask})[0]
        out[rows] = mean_pool(hidden, mask)
    return out


# --------------------------------------------------------------------------- files for the page

VENDORED_RUNTIME = Path(__file__).resolve().parents[1] / "book" / "_vendor" / "onnxruntime-web"
BROWSER_FILES = ("ort.wasm.min.js", "ort-wasm-simd-threaded.mjs.js", "ort-wasm-simd-threaded.wasm.js",
                 "vocab.txt.js", "minilm-int8.onnx.js", "LICENSE-onnxruntime-web.txt")


def asset_script(name: str, data: bytes) -> str:
    """A classic script that stores ``data`` (gzipped, base64) as ``globalThis.tokembAssets[name]``.

    A page opened from disk may load a ``<script src>`` but may not ``fetch`` a file URL;
    ``MiniLMBrowser.loadAsset`` in ``minilm_browser.js`` reads the bytes back.

    >>> asset_script("x.bin", b"hi")[:62]
    '(globalThis.tokembAssets = globalThis.tokembAssets || {})["x.b'
    """
    import base64
    import gzip

    b64 = base64.b64encode(gzip.compress(data, compresslevel=6, mtime=0)).decode("ascii")
    return f'(globalThis.tokembAssets = globalThis.tokembAssets || {{}})[{json.dumps(name)}] = "{b64}";\n'


def write_browser_assets(folder, runtime: Path = VENDORED_RUNTIME) -> dict[str, int]:
    """Write the files ``MiniLMBrowser.loadInPage`` loads into ``folder``; returns name -> bytes.

    ``ort.wasm.min.js`` is copied from the vendored runtime as it is, with its licence as
    ``LICENSE-onnxruntime-web.txt``; its Emscripten loader and ``.wasm``, the vocabulary and
    the int8 model become asset scripts (:func:`asset_script`), cached beside the model and
    keyed by their sources' SHA-256, so a rebuild only copies them.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sources = {
        "ort-wasm-simd-threaded.mjs": runtime / "ort-wasm-simd-threaded.mjs",
        "ort-wasm-simd-threaded.wasm": runtime / "ort-wasm-simd-threaded.wasm",
        "vocab.txt": assets.minilm_path() / "vocab.txt",
        FILE_NAME: model_file(),
    }
    copies = {"ort.wasm.min.js": runtime / "ort.wasm.min.js", "LICENSE-onnxruntime-web.txt": runtime / "LICENSE"}
    missing = [str(p) for p in [*copies.values(), *sources.values()] if not p.exists()]
    if missing:
        raise FileNotFoundError(f"missing {missing}; the runtime is vendored by scripts/vendor_onnxruntime_web.py")
    cache = assets.cache_dir("minilm-onnx", "browser")
    written = {}
    for name, source in sources.items():
        data = source.read_bytes()
        cached = cache / f"{hashlib.sha256(data).hexdigest()[:16]}-{name}.js"
        if not cached.exists():
            write_atomic(cached, asset_script(name, data).encode("ascii"))
        target = folder / f"{name}.js"
        target.write_bytes(cached.read_bytes())
        written[target.name] = target.stat().st_size
    for name, source in copies.items():
        target = folder / name
        target.write_bytes(source.read_bytes())
        written[name] = target.stat().st_size
    return written


def _texts(texts) -> list[str]:
    if isinstance(texts, str):
        raise ValueError("embed needs a list of strings, not one string: wrap it as [text]")
    texts = list(texts)
    bad = [type(t).__name__ for t in texts if not isinstance(t, str)]
    if bad:
        raise ValueError(f"embed needs a list of strings; found {bad[0]}")
    return texts


if __name__ == "__main__":
    started = time.perf_counter()
    file = model_file()
    info = build_info()
    print(f"{file}\n{info['bytes'] / 1e6:.1f} MB int8 (float32 export: {info['fp32_bytes'] / 1e6:.1f} MB); "
          f"built in {info['export_seconds'] + info['quantise_seconds']:.1f} s "
          f"(export {info['export_seconds']:.1f} s, quantise {info['quantise_seconds']:.1f} s); "
          f"this call took {time.perf_counter() - started:.1f} s")
