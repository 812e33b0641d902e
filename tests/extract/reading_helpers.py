"""What the reading tests ask of a text: its headcounts (all, the one, their values), its places."""
from __future__ import annotations

from extract.numbers import Headcount, find_headcounts
from extract.pipeline import troop_pipeline


def headcounts(nlp, lang: str, text: str) -> list[Headcount]:
    return find_headcounts(nlp[lang](text), lang)


def only(nlp, lang: str, text: str) -> Headcount:
    found = headcounts(nlp, lang, text)
    assert len(found) == 1, found
    return found[0]


def values(nlp, lang: str, text: str) -> list[int]:
    return [h.value for h in headcounts(nlp, lang, text)]


def place_roles(text: str, lang: str) -> dict[str, tuple[str, str | None]]:
    """Each place the text names -> (the place it resolves to, the role its wording gives it)."""
    doc = troop_pipeline(lang)(text)
    return {m.text: (m.place.name, m.cue) for m in doc._.places}
