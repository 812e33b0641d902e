"""One normal form for place names, shared by the data build and every lookup.

"États-Unis", "Etats-Unis" and "etats unis" must meet, and so must "U.S." and "US",
"Côte d’Ivoire" and "Cote d'Ivoire", "Łódź" and "Lodz".
"""
from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not split into base letter + accent.
_LETTERS = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae",
                          "œ": "oe", "Œ": "oe", "đ": "d", "Đ": "d", "ı": "i", "ð": "d",
                          "þ": "th", "ß": "ss"})
_ABBREVIATION_DOTS = re.compile(r"(?<=\b\w)\.(?=\w\b|\w\.|\s|$|-)")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: 'U.S.-Mexico' -> 'us mexico'."""
    text = _ABBREVIATION_DOTS.sub("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.casefold()).strip()
