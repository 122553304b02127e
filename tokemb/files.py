"""Writing a file so that no reader ever sees half of it.

The book's caches (embeddings, fine-tuned weights, measurements, copied model files) are read
by parallel processes: several pages of one build, a test run next to a build. A file written
in place can be read while it is still being written. :func:`write_atomic` writes the data
under a temporary name in the same folder and then renames it into place, which the
operating system does in one step: a reader sees no file, the old file, or the whole new one.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_atomic(folder / "a.txt", b"first"), (folder / "a.txt").read_bytes()
(True, b'first')
>>> write_atomic(folder / "a.txt", b"second", overwrite=False), (folder / "a.txt").read_bytes()
(False, b'first')
>>> write_atomic(folder / "a.txt", b"third"), (folder / "a.txt").read_bytes()
(True, b'third')
>>> sorted(p.name for p in folder.iterdir())     # no temporary file left behind
['a.txt']
>>> write_atomic(folder / "b.txt", "text")
Traceback (most recent call last):
TypeError: write_atomic writes bytes, got str; encode text first
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path


def write_atomic(path, data: bytes, *, overwrite: bool = True) -> bool:
    """Put ``data`` at ``path`` in one step: a reader never sees part of it.

    The bytes go to a temporary file next to ``path`` (same folder, so the same file
    system), which is then renamed to ``path``. With ``overwrite=False`` a file already at
    ``path`` is kept instead (the first writer wins: it is hard-linked into place, which
    fails if the name exists; on a file system without hard links the last writer wins).
    The temporary file is removed in every case, also when writing fails.

    Returns whether ``data`` is now at ``path`` (False: ``overwrite=False`` and another
    file was there).

    Raises:
        TypeError: if ``data`` is not bytes (encode text first).
        OSError: if the folder does not exist or cannot be written.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"write_atomic writes bytes, got {type(data).__name__}; encode text first")
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "xb") as fh:  # created with the usual permissions (mkstemp's are owner-only)
            fh.write(data)
        if overwrite:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links
            os.replace(tmp, path)
        return True
    finally:
        tmp.unlink(missing_ok=True)
