"""What else the extractor considered for a row: the other places its figure could go to or come
from, and the other figures of its sentence, with the learned decision's score for each.

    >>> options = article_options(text, published="2022-02-02")   # one reading of the article
    >>> alternatives = row_alternatives(options, row)              # for one stored row, no re-reading

The candidates are those of ``extract.candidates`` (every figure paired with every place of its
sentence, the two before and after, and the lead, in both roles); they are scored by the committed
model (``extract.decide``) whichever engine made the row, so a row of the rules shows the places
the model would have weighed too. Without a model file the options come unscored. The result is
plain data (no spaCy objects), so the app can cache it per article.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # spaCy is imported only when an article is read, so the Review page starts fast
    from extract.candidates import Reading

DESTINATION, ORIGIN = "destination", "origin"   # the roles of extract.candidates


@dataclass(frozen=True)
class PlaceOption:
    """A place a figure was paired with, in one role."""

    role: str                   # "destination" or "origin"
    name: str
    country: Optional[str]
    lat: float
    lon: float
    kind: str
    words: Optional[str]        # the article's words naming it; None when the rules implied it
    score: Optional[float]      # the learned decision's score (0-1), None without a model

    @property
    def fields(self) -> dict:
        """The row's columns for this place in its role, as a correction would set them."""
        return {self.role: self.name, f"{self.role}_country": self.country, f"{self.role}_lat": self.lat,
                f"{self.role}_lon": self.lon, f"{self.role}_kind": self.kind, f"{self.role}_text": self.words}


@dataclass(frozen=True)
class FigureOption:
    """A personnel figure of the article (or a movement word without one) and its candidate places."""

    value: Optional[int]
    text: str                   # the figure's words ("2 000", "un millier"); the movement word when no figure
    start: int                  # character offsets of those words in the article
    sentence_start: int
    sentence_end: int
    places: tuple[PlaceOption, ...]   # best score first, one per place and role


@dataclass(frozen=True)
class RowAlternatives:
    figure: Optional[FigureOption]        # the figure the row was read from, when it can be found
    destinations: tuple[PlaceOption, ...]
    origins: tuple[PlaceOption, ...]
    figures: tuple[FigureOption, ...]     # the other figures of the row's sentence


def article_options(text: str, lang: Optional[str] = None, published=None) -> list[FigureOption]:
    """Every figure of the article with its scored candidate places (reads the article once)."""
    from extract.pipeline import CHUNK_CHARS, _chunks, read_doc, reading_language, troop_pipeline

    reading_lang, _warning = reading_language(text, lang)
    nlp = troop_pipeline(reading_lang)
    chunks = _chunks(text) if len(text) > CHUNK_CHARS else [(0, text)]
    options: list[FigureOption] = []
    for (offset, _chunk), doc in zip(chunks, nlp.pipe(chunk for _offset, chunk in chunks)):
        reading = read_doc(doc, reading_lang, published)
        options.extend(_figure_options(reading, _scores(reading), offset))
    return options


def _scores(reading: "Reading") -> list[Optional[float]]:
    from extract.decide import load_model, score

    model = load_model()
    if model is None or not reading.candidates:
        return [None] * len(reading.candidates)
    try:
        return [float(s) for s in score(reading, model)]
    except ValueError:  # the committed model was trained on other features: show the places unscored
        return [None] * len(reading.candidates)


def _figure_options(reading: "Reading", scores: list[Optional[float]], offset: int) -> list[FigureOption]:
    by_figure: dict[int, dict[tuple, PlaceOption]] = {}
    for candidate, s in zip(reading.candidates, scores):
        place = candidate.place
        option = PlaceOption(candidate.role, place.name, place.country, place.lat, place.lon, place.kind,
                             candidate.mention.text if candidate.mention else None, None if s is None else round(s, 3))
        best = by_figure.setdefault(candidate.figure, {})
        key = (candidate.role, place.name, place.country)
        if key not in best or (option.score or 0.0) > (best[key].score or 0.0):
            best[key] = option
    out = []
    for number, figure in enumerate(reading.figures):
        sentence = reading.sentences[figure.sentence]
        if figure.headcount is not None:
            words, start = figure.headcount.text, figure.headcount.start
        else:
            token = reading.doc[figure.anchor]
            words, start = token.text, token.idx
        places = sorted(by_figure.get(number, {}).values(), key=lambda p: (p.score is None, -(p.score or 0.0)))
        out.append(FigureOption(figure.value, words, start + offset, sentence.start_char + offset,
                                sentence.end_char + offset, tuple(places)))
    return out


def row_alternatives(options: list[FigureOption], row: dict) -> RowAlternatives:
    """The options of one stored row (a dict with headcount, start and end): its figure is the one
    with its headcount inside its evidence, else the first figure of its evidence."""
    start, end = row.get("start"), row.get("end")
    if start is None or end is None or start != start:   # NaN: a row a person added
        return RowAlternatives(None, (), (), ())
    start, end = int(start), int(end)
    inside = [f for f in options if start <= f.start < max(end, f.sentence_end) and f.sentence_start < end]
    same_sentence = [f for f in options if f.sentence_start <= start < f.sentence_end]
    pool = inside or same_sentence
    headcount = row.get("headcount")
    headcount = None if headcount is None or headcount != headcount else int(headcount)
    figure = next((f for f in pool if f.value == headcount), None) if pool else None
    if figure is None:
        # The figure may sit in a sentence before the evidence ("2,400 of them ... there").
        figure = next((f for f in options if f.value is not None and f.value == headcount), None) if headcount else None
    if figure is None and pool:
        figure = pool[0]
    places = figure.places if figure else ()
    others = tuple(f for f in dict.fromkeys(pool) if f is not figure and f.value is not None)
    return RowAlternatives(figure, tuple(p for p in places if p.role == DESTINATION),
                           tuple(p for p in places if p.role == ORIGIN), others)
