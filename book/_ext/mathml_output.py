"""Sphinx extension: maths as MathML, made when the site is built (``html_math_renderer: mathml``).

Every browser in use draws MathML itself (Chromium since 109, Firefox, Safari), so a page needs
no maths script: MathJax's loader and fonts alone were 1.25 MB of each article's first visit.
LaTeX is converted by ``latex2mathml`` (pure Python). Two adjustments for MathML Core, the part
of MathML that Chromium implements:

- ``mathvariant="bold"`` is ignored there, so bold letters and digits are written as the
  Unicode mathematical bold characters (U+1D400...), as MathML Core recommends;
- ``\\\\`` line breaks outside an environment become one ``<math>`` per line (Chromium ignores
  ``<mspace linebreak>``); with ``&`` they are aligned in a ``split`` table, as MathJax does.

A formula that cannot be converted is a build warning (so ``-W`` fails) and is shown as code.
"""
from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)


def _bold_map() -> dict[str, str]:
    table = {}
    for i in range(26):
        table[chr(ord("A") + i)] = chr(0x1D400 + i)
        table[chr(ord("a") + i)] = chr(0x1D41A + i)
    for i in range(10):
        table[chr(ord("0") + i)] = chr(0x1D7CE + i)
    for i, ch in enumerate("ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡϴΣΤΥΦΧΨΩ"):
        table[ch] = chr(0x1D6A8 + i)
    for i, ch in enumerate("αβγδεζηθικλμνξοπρςστυφχψω"):
        table[ch] = chr(0x1D6C2 + i)
    return table


BOLD = _bold_map()
_VARIANT = re.compile(r'<(mi|mn)\s+mathvariant="bold">([^<]*)</\1>')


def _bold_as_unicode(match: re.Match) -> str:
    tag, text = match.group(1), html.unescape(match.group(2))
    if not all(ch in BOLD for ch in text):
        return match.group(0)  # Firefox still honours the attribute
    return f"<{tag}>{html.escape(''.join(BOLD[ch] for ch in text))}</{tag}>"


def to_mathml(latex: str, display: bool) -> str:
    """One LaTeX formula as MathML Core (one ``<math>`` element, or one per line of a display).

    >>> to_mathml(r"\\mathbf x", display=False)
    '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mrow><mi>𝐱</mi></mrow></math>'
    """
    from latex2mathml.converter import convert

    tex = latex.strip()
    if display and "\\\\" in tex and "\\begin" not in tex:
        if "&" in tex:
            tex = "\\begin{split}" + tex + "\\end{split}"
        else:
            return "".join(to_mathml(line, display) for line in tex.split("\\\\") if line.strip())
    out = convert(tex, display="block" if display else "inline")
    return _VARIANT.sub(_bold_as_unicode, out)


def _convert(self, node, latex: str, display: bool) -> str:
    try:
        return to_mathml(latex, display)
    except Exception as err:  # latex2mathml raises its own exception types
        logger.warning(f"this formula could not be turned into MathML ({err}): {latex!r}",
                       location=node, type="mathml", subtype="convert")
        return f'<code class="math-error">{self.encode(latex)}</code>'


def visit_math(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_convert(self, node, node.astext(), display=False))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node):
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node.get("number"):
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append(_convert(self, node, node.astext(), display=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
