"""The article as HTML with what the extractor read marked: evidence, places, headcounts,
movement words. Built from the evidence offsets (``start``/``end``) of each row; every
piece of article text is HTML-escaped, only our own <mark> tags are markup."""
from __future__ import annotations

import html
import re

import pandas as pd

from ui.values import text as text_of

# Kinds in increasing priority: a place inside an evidence span wins over the span.
EVIDENCE, MOVE, NUMBER, PLACE = 1, 2, 3, 4
CSS_CLASS = {EVIDENCE: "tm-evidence", MOVE: "tm-move", NUMBER: "tm-number", PLACE: "tm-place"}
STYLE = """
<style>
.tm-article {white-space: pre-wrap; line-height: 1.55; font-size: 0.95rem; max-height: 460px;
  overflow-y: auto; padding: 0.6rem 0.8rem; border: 1px solid rgba(128,128,128,.3); border-radius: 6px;}
.tm-article mark {padding: 0 1px; border-radius: 3px; color: inherit;}
mark.tm-evidence {background: rgba(255, 221, 87, .28);}
mark.tm-move {background: rgba(127, 60, 141, .28); font-style: italic;}
mark.tm-number {background: rgba(231, 63, 116, .35); font-weight: 600;}
mark.tm-place {background: rgba(57, 105, 172, .32); font-weight: 600;}
.tm-legend mark {padding: 0 4px; border-radius: 3px; margin-right: .6rem;}
</style>
"""
LEGEND = (
    '<div class="tm-legend"><mark class="tm-place">place</mark><mark class="tm-number">headcount</mark>'
    '<mark class="tm-move">movement</mark><mark class="tm-evidence">evidence sentence</mark></div>'
)

# Movement verbs and nouns by stem, both languages; only looked for inside evidence spans.
MOVE_WORDS = re.compile(
    r"\b(?:deploy\w*|redeploy\w*|send\w*|sent|dispatch\w*|mov\w*|withdr\w*|pull\w* out|arriv\w*|"
    r"station\w*|reinforc\w*|transfer\w*|rotat\w*|head\w* to|ship\w*|order\w*|"
    r"d[ée]ploi\w*|d[ée]ploy\w*|red[ée]ploy\w*|envoy\w*|envoi\w*|envers|achemin\w*|retir\w*|retrait\w*|"
    r"arriv[ée]\w*|stationn\w*|renfort\w*|transf[ée]r\w*|dépêch\w*|mobilis\w*|rapatri\w*)\b",
    re.IGNORECASE,
)
# Digits with thousands separators (comma, dot, space, no-break and narrow spaces), or number words.
DIGITS = re.compile(r"\b\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+\b|\b\d+\b")
NUMBER_WORDS = re.compile(
    r"\b(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|a|several|a few|some)\s+)?"
    r"(?:hundred|thousand)s?\b|"
    r"\b(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|plusieurs)?\s?(?:millier|milliers|mille|centaines?)\b",
    re.IGNORECASE,
)


def _mark(labels: list[int], start: int, end: int, kind: int) -> None:
    for i in range(max(start, 0), min(end, len(labels))):
        if labels[i] < kind:
            labels[i] = kind


def _find_in(text: str, needle: str, start: int, end: int) -> tuple[int, int] | None:
    if not needle:
        return None
    at = text.find(needle, start, end)
    if at < 0:
        at = text.lower().find(needle.lower(), start, end)
    return (at, at + len(needle)) if at >= 0 else None


def evidence_spans(text: str, rows: pd.DataFrame) -> list[tuple[int, int]]:
    """Where each row's evidence sits: its offsets when they fit, else where the evidence text is."""
    spans = []
    for row in rows.itertuples(index=False):
        start, end = getattr(row, "start", None), getattr(row, "end", None)
        if pd.notna(start) and pd.notna(end) and 0 <= int(start) < int(end) <= len(text):
            spans.append((int(start), int(end)))
            continue
        found = _find_in(text, text_of(getattr(row, "evidence", None)), 0, len(text))
        if found:
            spans.append(found)
    return spans


def highlight_html(text: str, rows: pd.DataFrame) -> str:
    """``text`` as escaped HTML in a scrolling box, with the rows' evidence marked up."""
    labels = [0] * len(text)
    spans = evidence_spans(text, rows)
    headcounts = {int(h) for h in pd.to_numeric(rows["headcount"], errors="coerce").dropna()} if "headcount" in rows else set()
    for start, end in spans:
        _mark(labels, start, end, EVIDENCE)
        for match in MOVE_WORDS.finditer(text, start, end):
            _mark(labels, match.start(), match.end(), MOVE)
        # Digits only when they are a row's headcount: dates and other numbers stay plain.
        for match in DIGITS.finditer(text, start, end):
            if int(re.sub(r"\D", "", match.group())) in headcounts:
                _mark(labels, match.start(), match.end(), NUMBER)
        for match in NUMBER_WORDS.finditer(text, start, end):
            _mark(labels, match.start(), match.end(), NUMBER)
    for row, (start, end) in zip(rows.itertuples(index=False), _spans_by_row(text, rows)):
        if start is None:
            continue
        for column in ("origin_text", "destination_text"):
            needle = text_of(getattr(row, column, None))
            # A place may be named just outside the sentence the row was read from.
            place = _find_in(text, needle, start, end) or _find_in(text, needle, max(0, start - 200), min(len(text), end + 200))
            if place:
                _mark(labels, *place, PLACE)

    pieces, i = [], 0
    while i < len(text):
        kind, j = labels[i], i
        while j < len(text) and labels[j] == kind:
            j += 1
        chunk = html.escape(text[i:j])
        pieces.append(f'<mark class="{CSS_CLASS[kind]}">{chunk}</mark>' if kind else chunk)
        i = j
    return STYLE + LEGEND + '<div class="tm-article">' + "".join(pieces) + "</div>"


def _spans_by_row(text: str, rows: pd.DataFrame) -> list[tuple[int | None, int | None]]:
    """The evidence span of each row in order ((None, None) when it cannot be placed)."""
    result = []
    for _, row in rows.iterrows():
        located = evidence_spans(text, row.to_frame().T)
        if located:
            result.append(located[0])
        else:
            result.append((None, None))
    return result
