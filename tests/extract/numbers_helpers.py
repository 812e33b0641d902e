"""What the numbers tests ask of an article: its headcounts, the one headcount, their values."""
from __future__ import annotations

from extract.numbers import Headcount, find_headcounts


def headcounts(nlp, lang: str, text: str) -> list[Headcount]:
    return find_headcounts(nlp[lang](text), lang)


def only(nlp, lang: str, text: str) -> Headcount:
    found = headcounts(nlp, lang, text)
    assert len(found) == 1, found
    return found[0]


def values(nlp, lang: str, text: str) -> list[int]:
    return [h.value for h in headcounts(nlp, lang, text)]
