"""Run every benchmark in one process tree and print one table of measured times and ratios.

    python -m benchmarks              # everything (about 15 minutes on 2 cores)
    python -m benchmarks --quick      # chapter benchmarks only, no site build or grading run

Each chapter module ``benchmarks/<chapter>.py`` exposes ``run() -> list[dict]`` with keys
name, seconds, baseline, baseline_seconds, target, met (and ``unit`` when the measurement is
not in seconds: then ``seconds`` and ``baseline_seconds`` hold values in that unit). This
runner adds the whole-project measurements (a clean site build, a cached rebuild, the
learner's full grading run, and on that build ``benchmarks/website.py``: page weights and the
demos' response times in Chromium) and states the machine. The issues' performance targets
are checked against this output, never by timed assertions in tests.
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

ROOT = Path(__file__).resolve().parents[1]


def machine() -> str:
    from tokemb.measurements import cpu_name

    return f"{platform.platform()}, {os.cpu_count()} cores ({cpu_name()}), Python {platform.python_version()}"


def _timed(cmd: list[str], **kw) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - start


def project_rows() -> list[dict]:
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
        {"name": "site build, clean (all pages executed)", "seconds": clean, "baseline": "target 300 s",
         "baseline_seconds": 300.0, "target": "< 300 s", "met": clean < 300},
        {"name": "site rebuild, cached", "seconds": cached, "baseline": "target 30 s",
         "baseline_seconds": 30.0, "target": "< 30 s", "met": cached < 30},
        {"name": "full grading run on solutions/", "seconds": grading, "baseline": "target 60 s",
         "baseline_seconds": 60.0, "target": "< 60 s", "met": grading < 60},
        *site_rows,
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the site build and the grading run")
    args = parser.parse_args()
    print(f"Machine: {machine()}\n")
    rows: list[dict] = []
    for chapter in CHAPTERS:
        if (ROOT / "benchmarks" / f"{chapter}.py").exists():
            print(f"running benchmarks/{chapter}.py ...", flush=True)
            rows += importlib.import_module(f"benchmarks.{chapter}").run()
    if not args.quick:
        print("running the site build and the grading run ...", flush=True)
        rows += project_rows()
        print("running the grading benchmarks (limits, memory margin, a runaway loop) ...", flush=True)
        rows += importlib.import_module("benchmarks.grading").run()
    width = max(len(r["name"]) for r in rows) if rows else 10
    print(f"\n{'benchmark':<{width}}  {'time':>10}  {'baseline':<34} {'ratio':>8}  {'target':<22} met")
    for r in rows:
        ratio = r["seconds"] / r["baseline_seconds"] if r["baseline_seconds"] else float("nan")
        unit = r.get("unit", "s")
        baseline = f"{r['baseline']} ({r['baseline_seconds']:.4f}{unit})"
        value = f"{r['seconds']:.4f}{unit}"
        print(f"{r['name']:<{width}}  {value:>10}  {baseline:<34} "
              f"{ratio:>7.2f}x  {r['target']:<22} {'yes' if r['met'] else 'NO'}")
    return 0 if all(r["met"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
