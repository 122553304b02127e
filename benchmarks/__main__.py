"""Run every benchmark in one process tree and print one table of measured times and ratios.

    python -m benchmarks              # everything (about 15 minutes on 2 cores)
    python -m benchmarks --quick      # chapter benchmarks only, no site build or grading run

Each chapter module ``benchmarks/<chapter>.py`` exposes ``run() -> list[Row]`` (``benchmarks.Row``:
name, value, baseline, baseline_value, target, met, and the unit when it is not seconds). This
runner adds the whole-project measurements (a clean site build, a cached rebuild, the
learner's full grading run, and on that build ``benchmarks/website.py``: page weights and the
demos' response times in Chromium) and states the machine. The performance targets (each
module's docstring states its own) are checked against this output, never by timed assertions
in tests.
"""
from __future__ import annotations

import argparse
import importlib
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.chapters import CHAPTERS
from benchmarks import ROOT, Row, report


def machine() -> str:
    from tokemb.measurements import cpu_name

    return f"{platform.platform()}, {os.cpu_count()} cores ({cpu_name()}), Python {platform.python_version()}"


def _timed(cmd: list[str], **kw) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - start


def project_rows() -> list[Row]:
    """A clean site build, a cached rebuild, the site measured in Chromium (benchmarks/website.py),
    and the full grading run on solutions/."""
    from benchmarks import website

    jb = str(Path(sys.executable).with_name("jupyter-book"))
    out = Path(tempfile.mkdtemp(prefix="bench-site-"))
    try:
        build = [jb, "build", str(ROOT), "--path-output", str(out)]
        clean = _timed(build)
        cached = _timed(build)
        print("measuring the built site in Chromium ...", flush=True)
        site_rows = website.run(out / "_build" / "html")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    grading = _timed([sys.executable, "-m", "pytest", "autograder", "--grade", "solutions", "-q",
                      "-p", "no:cacheprovider"])
    return [
        Row("site build, clean (all pages executed)", clean, "target 300 s", 300.0, "< 300 s", clean < 300),
        Row("site rebuild, cached", cached, "target 30 s", 30.0, "< 30 s", cached < 30),
        Row("full grading run on solutions/", grading, "target 60 s", 60.0, "< 60 s", grading < 60),
        *site_rows,
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the site build and the grading run")
    args = parser.parse_args()
    print(f"Machine: {machine()}\n")
    rows: list[Row] = []
    for chapter in CHAPTERS:
        if (ROOT / "benchmarks" / f"{chapter}.py").exists():
            print(f"running benchmarks/{chapter}.py ...", flush=True)
            rows += importlib.import_module(f"benchmarks.{chapter}").run()
    if not args.quick:
        print("running the site build and the grading run ...", flush=True)
        rows += project_rows()
        print("running the grading benchmarks (limits, memory margin, a runaway loop) ...", flush=True)
        rows += importlib.import_module("benchmarks.grading").run()
    return report(rows)


if __name__ == "__main__":
    sys.exit(main())
