"""French text made printable with the house font: typographic apostrophe, no-break spaces, missing glyphs.

DejaVu Sans (see style.py) draws every character French needs; a name from elsewhere (Vietnamese, Polish...)
may hold letters it lacks: they print as the nearest letter it has, never as an empty box.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from xml.sax.saxutils import escape as _xml_escape

from reportlab.pdfbase import pdfmetrics

# The font has no narrow or thin no-break spaces nor non-breaking hyphens: replace them by what it has.
_SUBSTITUTES = str.maketrans({"\u202f": "\u00a0", "\u2009": " ", "\u2011": "-", "\u2010": "-", "\t": " ",
                              "'": "\u2019"})  # the typographic apostrophe, as French print has it
# French typography: a no-break space inside « » and before : ; ! ?, so that none starts a line.
_FRENCH_SPACES = (("« ", "«\u00a0"), (" »", "\u00a0»"), (" :", "\u00a0:"), (" ;", "\u00a0;"), (" !", "\u00a0!"),
                  (" ?", "\u00a0?"))


def clean(text: str | None) -> str:
    """Text as French print has it, in glyphs the font has: ’ for ', no-break spaces, None as ''."""
    text = (text or "").translate(_SUBSTITUTES)
    if not text.isascii():
        text = _drawable(text)
    for plain, bound in _FRENCH_SPACES:
        if plain in text:
            text = text.replace(plain, bound)
    return text


# Letters outside the font that have no decomposition: the nearest letter it has.
_NEAREST = str.maketrans({"Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "Ħ": "H", "ħ": "h", "Ŧ": "T", "ŧ": "t",
                          "ı": "i", "Ŋ": "N", "ŋ": "n", "ẞ": "SS"})


@cache
def _font_characters() -> frozenset[int]:
    from poledesk.reports.style import FONT, register_fonts

    register_fonts()
    font = pdfmetrics.getFont(FONT)
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]  # TTFont.face: not in the stubs


def _drawable(text: str) -> str:
    """Characters the font lacks (Vietnamese, Polish... in a name) replaced by the nearest it has, never a box.

    'ễ' keeps what the font can show ('ê'), 'ạ' becomes 'a', 'Đ' 'D'; anything else becomes '?'.
    """
    known = _font_characters()
    if all(ord(c) in known for c in text):
        return text
    out = []
    for char in text.translate(_NEAREST):
        if ord(char) in known:
            out.append(char)
            continue
        base, *marks = list(unicodedata.normalize("NFD", char))
        composed = [unicodedata.normalize("NFC", base + mark) for mark in marks]
        out.append(next((c for c in composed if len(c) == 1 and ord(c) in known),
                        base if ord(base) in known else "?"))
    return "".join(out)


def escape(text: str | None) -> str:
    """Plain text made safe for a Paragraph's markup; line breaks kept as <br/>."""
    return "<br/>".join(_xml_escape(clean(line)) for line in (text or "").splitlines()) if text else ""


def clean_markup(text: str) -> str:
    """clean() applied to the text of ReportLab markup, leaving its tags (and their quotes) alone."""
    return "".join(part if part.startswith("<") else clean(part) for part in _TAG.split(text))


_TAG = re.compile(r"(<[^>]*>)")
