"""No typed measurement in page prose: every measured number on a page comes from a cell.

A "typed measurement" is a number written into a page's prose with a unit or a count noun
after it ("about 71 s", "8,000 pieces", "12.3% of the words", "on 2 cores"), or a spelled-out
duration ("half a minute"). Numbers in code cells, inline code, glue roles (`{glue:text}`),
math, links and citations are not prose and are ignored. What remains and is still a fact,
not a measurement (a definition from a cited paper, a worked toy example, a constant of the
method), is listed in ALLOWED with the reason it may stay typed. An entry nothing matches is
an error too, so the list cannot rot.

>>> [m.group(0) for m in typed_measurements("It took 71 s on 2 cores; see `x = 3 s`.")]
['71 s', '2 cores']
>>> [m.group(0) for m in typed_measurements("{glue:text}`n_reviews` reviews, about half a minute")]
['half a minute']
>>> [m.group(0) for m in typed_measurements("GloVe 6B, 12.3% of the words, 8,000 pieces")]
['12.3%', '8,000 pieces']
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"

UNITS = (
    r"%|×|ms|s|sec|seconds?|min|minutes?|hours?|h|[kKMG]B|MiB|GiB|bytes?|cores?|tokens?|words?|"
    r"pieces?|reviews?|questions?|pairs?|sentences?|documents?|articles?|dimensions?|dims?|"
    r"parameters?|entries|rows?|columns?|vectors?|merges?|queries|quer(?:y|ies)|neighbou?rs?|"
    r"times|characters?|chars?|languages?|layers?|heads?|ids?|types|conditions?|labels?|"
    r"steps?|epochs?|iterations?|points?|pt|million|billion|thousand"
)
_NUMBER = r"(?<![\w.\-])\d[\d,]*(?:\.\d+)?(?:\s*[–-]\s*\d[\d,]*(?:\.\d+)?)?"
_MEASUREMENT = re.compile(
    rf"{_NUMBER}\s*(?:{UNITS})(?![\w])"
    r"|\b(?:half|a (?:fifth|third|quarter|tenth)|several|a few) (?:of )?(?:a |an )?"
    r"(?:second|minute|hour)s?\b",
)

# Text that is not prose, removed before the search (order matters: fences first).
_NOT_PROSE = [
    re.compile(r"^---\n.*?\n---\n", re.S),                      # front matter
    re.compile(r"^(`{3,}|~{3,})\s*\{(?:code-cell|glue:[a-z]+)\}.*?^\1\s*$", re.S | re.M),
    re.compile(r"^(`{3,}|~{3,})[^\n{]*\n.*?^\1\s*$", re.S | re.M),  # plain code blocks
    re.compile(r"^:[\w-]+:.*$", re.M),                          # directive options (:tags: ...)
    re.compile(r"\$\$.*?\$\$", re.S),                           # display math
    re.compile(r"(?<!\\)\$[^$\n]+\$"),                          # inline math
    re.compile(r"\{[\w:-]+\}`[^`]*`"),                          # roles: {glue:text}`x`, {ref}`y`
    re.compile(r"`[^`\n]*`"),                                   # inline code
    re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+"),   # link targets and URLs
    re.compile(r"<[^>\n]+>"),                                   # raw HTML tags
    re.compile(r"^%.*$", re.M),                                 # MyST comments
]

# (page, exact text the number appears in, why it may stay typed)
ALLOWED: list[tuple[str, str, str]] = [
    ("index.md", "200 words per minute", "the reading speed the reading times are computed at (tokemb.reading)"),
    ("contextual_embeddings.md", "15% of the WordPiece",
     "BERT's masking rate, a training setting (Devlin et al. 2019)"),
    ("contextual_embeddings.md", "Of the chosen 15%, 80% become , 10% a random token and 10% stay unchanged",
     "BERT's 80/10/10 rule, a training setting (Devlin et al. 2019)"),
    ("contextual_embeddings.md", "12 layers of width 768", "BERT-base's size as published (Devlin et al. 2019)"),
    ("contextual_embeddings.md", "among 10,000 sentences takes seconds instead of the ~65 hours",
     "Reimers & Gurevych's (2019) own figure for cross-encoding, cited"),
    ("contextual_embeddings.md", "150 million question–answer", "training-set size from the jina code model's card"),
    ("contextual_embeddings.md", "400 million (image, caption)", "CLIP's training-set size (Radford et al. 2021)"),
    ("static_embeddings.md", "trained on 6 billion tokens of Wikipedia",
     "GloVe 6B's corpus size (Pennington et al. 2014)"),
    ("static_embeddings.md", "within 10 words on either side", "GloVe's context window (Pennington et al. 2014, §4.2)"),
    ("exercise.md", "in about 100 languages", "multilingual-e5-small's coverage as its model card states it"),
    ("exercise.md", "inputs longer than 256 word pieces", "MiniLM's maximum input as its model card states it"),
    ("semantic_geometry.md", "would appear about 5 times",
     "with k = 5 the mean k-occurrence is exactly k (a definition)"),
    ("semantic_geometry.md", "in about 100 languages", "multilingual-e5-small's coverage as its model card states it"),
    ("demo_analogy_explorer.md", "true rank in 50 dimensions", "the width of GloVe 6B 50d, the model's name"),
    ("demo_tokenizer_playground.md", "from raw bytes to 1,000 merges",
     "the size the demo's BPE is trained to, a setting"),
    ("demo_tokenizer_playground.md", "the slider at 0, 10 and 100 merges",
     "the slider positions the page's test checks, settings"),
]


def prose_of(markdown: str) -> str:
    """The page's prose: everything a reader reads that no cell computed."""
    for pattern in _NOT_PROSE:
        markdown = pattern.sub(" ", markdown)
    return markdown


def typed_measurements(markdown: str):
    """Every number-with-unit (or spelled-out duration) in the page's prose."""
    return list(_MEASUREMENT.finditer(prose_of(markdown)))


def _context(text: str, match: re.Match) -> str:
    return " ".join(text[max(0, match.start() - 40): match.end() + 20].split())


PAGES = sorted(p.name for p in BOOK.glob("*.md"))


def _flat_prose(page: str) -> str:
    return " ".join(prose_of((BOOK / page).read_text(encoding="utf-8")).split())


@pytest.mark.parametrize("page", PAGES)
def test_no_typed_measurement_in_prose(page):
    flat = _flat_prose(page)
    # Spans of the page's prose that ALLOWED covers: a match inside one is a stated fact.
    spans = [(m.start(), m.end()) for p, text, _ in ALLOWED if p == page
             for m in re.finditer(re.escape(text), flat)]
    offending = [f"{m.group(0)!r} in '…{_context(flat, m)}…'" for m in _MEASUREMENT.finditer(flat)
                 if not any(a <= m.start() and m.end() <= b for a, b in spans)]
    assert not offending, (
        f"{page}: typed numbers in prose — glue them from a cell, or add them to ALLOWED in "
        f"tests/test_typed_numbers.py with the reason they are not measurements:\n  " + "\n  ".join(offending)
    )


def test_every_allowed_entry_still_matches():
    stale = []
    for page, text, _ in ALLOWED:
        if text not in _flat_prose(page):
            stale.append(f"{page}: {text!r}")
    assert not stale, "ALLOWED entries that no longer appear in the page's prose:\n  " + "\n  ".join(stale)
