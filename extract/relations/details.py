"""The smaller columns of a row: unit, date, confidence, and the place columns of one side."""
from __future__ import annotations

import re
from typing import Optional

from spacy.tokens import Span

from extract.places import DESTINATION, PlaceMention


UNIT_PATTERNS = {
    "en": re.compile(
        r"\b(?:\d+(?:st|nd|rd|th)|[IVX]+)\s+(?:[A-Z][\w.-]*\s+){0,4}?"
        r"(?:Division|Brigade(?: Combat Team)?|Regiment|Battalion|Squadron|Corps|Group|Commando|Force|Wing|Fleet)"
        r"(?:\s+(?:Combat Team))?|\b(?:\d+(?:st|nd|rd|th)\s+)?(?:Royal|Marine|Stryker)\s+[A-Z][\w ]{2,40}?"
        r"(?:Regiment|Battalion|Brigade|Commando|Force)\b"
    ),
    "fr": re.compile(
        r"\b\d+(?:e|er|ème)\s+(?:régiment|bataillon|brigade|division|escadron|groupement|compagnie)"
        r"(?:\s+(?:de|d['’]|du|des)\s*[a-zéèêàç'’-]{2,30}(?:\s+(?!de\b|du\b|d['’])[a-zéèêàç-]{3,30}(?=[\s,.;)]))?)?"
        r"|\b\d+(?:e|er)\s+[A-Z]{2,6}[a-z]?\b|\bbrigade\s+[A-Z][a-zé]+\b"
    ),
}


def place_fields(side: str, mention: Optional[PlaceMention], text: Optional[str]) -> dict:
    """The origin_* or destination_* columns of a row for one place (all None without one)."""
    place = mention.place if mention is not None else None
    return {
        side: place.name if place else None,
        f"{side}_country": place.country if place else None,
        f"{side}_lat": place.lat if place else None,
        f"{side}_lon": place.lon if place else None,
        f"{side}_kind": place.kind if place else None,
        f"{side}_text": text,
    }


def unit(text: str, lang: str) -> Optional[str]:
    match = UNIT_PATTERNS.get(lang, UNIT_PATTERNS["en"]).search(text)
    return match.group(0).strip(" ,") if match else None


def unit_of(tokens: Span, origin: Optional[PlaceMention], lang: str) -> Optional[str]:
    """The unit named last before the row's origin ("the 3rd Infantry Division's 3rd Brigade from
    Fort Benning"), else the clause's first."""
    matches = list(UNIT_PATTERNS.get(lang, UNIT_PATTERNS["en"]).finditer(tokens.text))
    if not matches:
        return None
    if origin is not None and origin.start >= tokens.start_char:
        before = [m for m in matches if tokens.start_char + m.start() < origin.start]
        if before:
            return before[-1].group(0).strip(" ,")
    return matches[0].group(0).strip(" ,")


DATE_LOOKBACK_CHARS = 600  # how far back a date said earlier still dates the move ("mercredi 2 février")


def nearest_date(dates, start, end, sent) -> Optional[str]:
    """The date closest to the figure in its sentence, else the last one said shortly before;
    a month alone ("in June" -> 2019-06) only when nothing more precise is there."""
    inside = [d for d in dates if sent.start_char <= d[0] < sent.end_char]
    if inside:
        return min(inside, key=lambda d: (len(d[2]) < 10, abs(d[0] - start)))[2]
    before = [d for d in dates if sent.start_char - DATE_LOOKBACK_CHARS <= d[0] < sent.start_char]
    return before[-1][2] if before else None


def confidence(count, destination, origin, inherited, triggers) -> float:
    score = 0.45
    if destination.cue == DESTINATION:
        score += 0.2
    if count is not None and count.value is not None:
        score += 0.15
        if count.qualifier == "exact":
            score += 0.05
    if origin is not None and not inherited:
        score += 0.1
    if any(t.pos_ == "VERB" for t in triggers):
        score += 0.05
    return round(min(score, 0.95), 2)
