"""The short path reads on its own and teaches every MVU item.

An article's short path is the page without its ``% deeper`` sections and without the folded
bodies of its dropdowns (tokemb.reading.short_path_text). A ``{ref}`` in that text whose target
lies in a deeper section, of this page or another, sends the reader to what the path told them
to skip. The sources are what the site is built from, so the check runs on them (it needs no
build). The one allowed target is an article's Exercises section: practice after the reading,
which the short-path box names as such.
"""
from __future__ import annotations

import re

import pytest

from autograder.chapters import ARTICLES
from tokemb import reading

PAGES = sorted(path.name for path in reading.BOOK_DIR.glob("*.md"))
OFF_PATH = {label: page for page in PAGES
            for label in reading.deeper_labels((reading.BOOK_DIR / page).read_text(encoding="utf-8"))}
EXERCISES = {label for label in OFF_PATH if label.endswith("-exercises")}  # practice, named so in the box
REF = re.compile(r"\{ref\}`(?:[^`<]*<)?([\w-]+)>?`")


def test_the_articles_have_deeper_sections_to_check():
    assert {page.removesuffix(".md") for page in OFF_PATH.values()} >= set(ARTICLES), OFF_PATH


@pytest.mark.parametrize("article", ARTICLES)
def test_no_reference_on_the_short_path_leads_off_it(article):
    short = reading.short_path_text((reading.BOOK_DIR / f"{article}.md").read_text(encoding="utf-8"))
    leads_off = sorted({f"{label} (in {OFF_PATH[label]})" for label in REF.findall(short)
                        if label in OFF_PATH and label not in EXERCISES})
    assert not leads_off, (f"{article}.md: the short path links into sections marked deeper: {leads_off}; "
                           "put the target on the path, or the reference in a deeper section")


def test_every_mvu_item_is_taught_on_the_short_path():
    """Each MVU item's "Learn it" line sends the reader to sections of the short path: the stage's
    short path is meant to be enough to reach minimum viable understanding."""
    checklist = (reading.BOOK_DIR / "mvu_checklist.md").read_text(encoding="utf-8")
    learn_lines = [line for line in checklist.splitlines() if line.startswith("- **Learn it:**")]
    targets = [label for line in learn_lines for label in REF.findall(line)]
    assert len(learn_lines) == 4 and len(targets) >= 4, learn_lines  # one line per MVU item
    off = sorted(f"{label} (in {OFF_PATH[label]})" for label in targets if label in OFF_PATH)
    assert not off, f"MVU items taught in sections off the short path: {off}"


def test_the_stage_short_path_keeps_its_16_minutes():
    """The stage's source page promises 16 minutes to read; the landing page computes the same sum."""
    minutes = {article: reading.short_path_minutes(f"{article}.md") for article in ARTICLES}
    assert sum(minutes.values()) <= 16, (f"short paths {minutes} add up to {sum(minutes.values())} min: mark a "
                                         "section % deeper or fold a detail into a dropdown")


def test_mvu_checks_are_split_by_where_they_stand():
    """The checklist's "Check yourself" links are answerable from the short path (they stand on it,
    or on a page without one); the checks in deeper sections are listed apart, under "Going deeper"."""
    checklist = (reading.BOOK_DIR / "mvu_checklist.md").read_text(encoding="utf-8")
    lines = {kind: [label for line in checklist.splitlines() if line.startswith(f"- **{kind}:**")
                    for label in REF.findall(line)]
             for kind in ("Check yourself", "Going deeper")}
    assert lines["Check yourself"], "no Check yourself lines found on the MVU checklist"
    off = sorted(label for label in lines["Check yourself"] if label in OFF_PATH)
    on = sorted(label for label in lines["Going deeper"] if label not in OFF_PATH)
    assert not off, f"checks off the short path listed under Check yourself: {off}"
    assert not on, f"checks on the short path listed under Going deeper: {on}"


def test_words_seen_counts_what_a_short_path_reader_passes():
    """The box's second figure (code and outputs included) counts a built page's visible text:
    code and tables count; a deeper section (nested ones too), a dropdown and a hidden code
    cell (both a <details>) do not. The HTML is shaped as myst-nb and sphinx-design write it."""
    body = """
    <section id="a"><h2>Alpha beta<a class="headerlink" href="#a">#</a></h2>
      <p>One two three.</p>
      <div class="cell docutils container"><div class="cell_input"><pre>x = f(y)</pre></div>
        <div class="cell_output"><table><tr><th>word</th><td>7</td></tr></table></div></div>
      <div class="cell tag_hide-input"><details class="hide above-input"><summary>Show code</summary>
        <pre>hidden code here</pre></details><div class="cell_output"><pre>out put</pre></div></div>
      <details class="sd-dropdown"><summary>Answer</summary><p>folded answer text</p></details>
      <section id="b"><h3>Gamma</h3><p class="deeper-mark"><strong>Deeper</strong>: skip</p>
        <p>not on the path</p>
        <section id="c"><h4>Delta</h4><p class="deeper-mark">Deeper</p><p>nor this</p></section>
      </section>
      <p>Four.</p>
    </section>"""
    # Alpha beta / One two three / x f y / word 7 / out put / Four
    assert reading.words_seen(body) == 2 + 3 + 3 + 2 + 2 + 1
