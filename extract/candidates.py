"""Candidates of the learned decision: which place could be the destination, or the origin, of
which personnel figure.

The reading stages found the figures (``extract.numbers``) and the places (``extract.places``);
the rules (``extract.relations``) made their own rows. Every figure is paired with every place
named in its sentence, the sentences just before and after it, and the headline, in both roles,
plus the places the rules implied for it without naming them (the force's own country for
"home", the previous destination for "there"). The model scores each pair; ``extract.decide``
turns the scores into rows. A figure none of whose pairs scores high gives no row: that is the
"none of these" answer, decided per figure.

Training labels come from the answer keys by the scorer's own matching rules
(:func:`label_candidates`), so training and scoring agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Optional

from spacy.tokens import Doc, Span

from extract import geo
from extract.geo.normalize import normalize
from extract.geo.resolve import distance
from extract.numbers import Headcount
from extract.places import PlaceMention
from extract.relations.forces import article_forces
from extract.relations.segment import article_sentences
from extract.relations.words import trigger_status
from extract.rules import load_rules
from extract.schema import Deployment

DESTINATION, ORIGIN = "destination", "origin"
ROLES = (DESTINATION, ORIGIN)
WINDOW = 2  # sentences before and after the figure's own
LEAD = 2    # the headline and the first sentence are in every figure's window
FIGURELESS_GAP = 8  # a movement word this many tokens from any figure is a movement without one


@dataclass
class Figure:
    """A personnel figure of the article, or a movement word with no figure near it ("a battalion
    was sent to Estonia"), and where it sits."""

    headcount: Optional[Headcount]      # None: a movement mentioned without a figure
    sentence: int                       # index into Reading.sentences
    anchor: int                         # token index: the figure's first token, or the movement word
    rule_rows: list[Deployment] = field(default_factory=list)  # rows the rules made with this figure

    @property
    def value(self) -> Optional[int]:
        return self.headcount.value if self.headcount else None

    @property
    def token_end(self) -> int:
        return self.headcount.token_end if self.headcount else self.anchor + 1


@dataclass
class Candidate:
    figure: int                         # index into Reading.figures
    role: str                           # DESTINATION or ORIGIN
    place: geo.Place
    mention: Optional[PlaceMention]     # None: a place the rules implied, not named
    sentence: Optional[int]             # the mention's sentence (None when implied)


@dataclass
class Reading:
    """What the reading stages and the rules left for one article, with the candidates."""

    doc: Doc
    lang: str
    sentences: list[Span]
    figures: list[Figure]
    places: list[PlaceMention]
    rule_rows: list[Deployment]
    candidates: list[Candidate]
    parsed: bool                        # the pipeline has a dependency parser
    dates: list = field(default_factory=list)   # the dates stage's (start, end, ISO date) of the text
    # trigger_status of every token (None: not a movement word), read once for candidates and features
    trigger_statuses: list = field(default_factory=list)
    # whose troops the article is about (extract.relations.forces.article_forces), read once
    forces: Optional[dict] = None
    # the candidates' feature rows (extract.features.featurize) and the blocks they hold, kept for
    # the origin model and for training (read once per reading)
    pair_features: Optional[list] = field(default=None, repr=False, compare=False)
    pair_blocks: tuple = ()
    _index: Optional[dict] = field(default=None, repr=False, compare=False)

    def pair_feature_row(self, candidate: "Candidate") -> Optional[list]:
        """The feature row of one of this reading's candidates (None before featurize ran)."""
        if self.pair_features is None:
            return None
        if self._index is None:
            self._index = {id(c): i for i, c in enumerate(self.candidates)}
        i = self._index.get(id(candidate))
        return None if i is None else self.pair_features[i]

    @property
    def main_force(self) -> Optional[str]:
        """The country whose troops the article is mostly about: the heaviest of ``forces`` (read
        here if the reading stages did not)."""
        if self.forces is None:
            self.forces = article_forces(self.doc, load_rules(self.lang), self.lang)
        return max(self.forces, key=self.forces.get) if self.forces else None

    def statuses(self) -> list:
        """Each token's movement status (None: it moves no troops), read once per article."""
        if len(self.trigger_statuses) != len(self.doc):
            rules = load_rules(self.lang)
            self.trigger_statuses = [trigger_status(t, rules) for t in self.doc]
        return self.trigger_statuses

    @property
    def has_headline(self) -> bool:
        """The first sentence is a headline: a line of its own with more text after it. A pasted
        paragraph, or a one-sentence text, has none."""
        if len(self.sentences) < 2:
            return False
        # The tokens up to the second sentence (doc.text would rebuild the whole article's text).
        lead = self.doc[self.sentences[0].start:self.sentences[1].start].text_with_ws
        return lead.rstrip(" \t").endswith("\n")


def sentence_of(sentences: list[Span], token: int) -> int:
    """Index of the sentence holding token index ``token`` (binary search over sentence starts)."""
    low, high = 0, len(sentences) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if sentences[middle].start <= token:
            low = middle
        else:
            high = middle - 1
    return low


def _same_place(a: geo.Place, b: geo.Place) -> bool:
    return a.name == b.name and a.country == b.country


def read_candidates(doc: Doc, lang: str, headcounts: list[Headcount], places: list[PlaceMention],
                    rule_rows: list[Deployment], parsed: bool, movement_tokens: list[int] = ()) -> Reading:
    """``movement_tokens``: token indices of words that move troops (the rules' triggers)."""
    sentences = article_sentences(doc)
    if not sentences:
        return Reading(doc, lang, [], [], places, rule_rows, [], parsed)
    place_sentence = [sentence_of(sentences, p.token_start) for p in places]
    figures: list[Figure] = []
    seen_tokens: set[int] = set()
    for h in sorted(headcounts, key=lambda h: h.token_start):
        if h.value is None or h.token_start in seen_tokens:
            continue
        seen_tokens.add(h.token_start)
        index = sentence_of(sentences, h.token_start)
        sent = sentences[index]
        own = [r for r in rule_rows if r.headcount == h.value and r.start is not None
               and r.start <= doc[h.token_start].idx < max(r.end or 0, sent.end_char)]
        figures.append(Figure(h, index, h.token_start, own or [r for r in rule_rows if r.headcount == h.value]))
    figure_tokens = sorted(seen_tokens)
    for token in movement_tokens:
        if any(abs(token - t) <= FIGURELESS_GAP for t in figure_tokens):
            continue
        index = sentence_of(sentences, token)
        sent = sentences[index]
        own = [r for r in rule_rows if r.headcount is None and r.start is not None
               and r.start <= sent.start_char < (r.end or 0) + 1]
        figures.append(Figure(None, index, token, own))
    candidates: list[Candidate] = []
    for number, figure in enumerate(figures):
        window = set(range(figure.sentence - WINDOW, figure.sentence + WINDOW + 1)) | set(range(LEAD))
        named = [(p, s) for p, s in zip(places, place_sentence) if s in window]
        for role in ROLES:
            for mention, s in named:
                candidates.append(Candidate(number, role, mention.place, mention, s))
            # Places the rules gave this figure that no mention in the window names.
            for row in figure.rule_rows:
                place = _row_place(row, role)
                if place is not None and not any(_same_place(place, m.place) for m, _s in named):
                    candidates.append(Candidate(number, role, place, None, None))
    return Reading(doc, lang, sentences, figures, places, rule_rows, _unique(candidates), parsed)


def _row_place(row: Deployment, role: str) -> Optional[geo.Place]:
    name = getattr(row, role)
    lat, lon = getattr(row, f"{role}_lat"), getattr(row, f"{role}_lon")
    if not name or lat is None or lon is None:
        return None
    return geo.Place(name=name, country=getattr(row, f"{role}_country"), lat=lat, lon=lon,
                     kind=getattr(row, f"{role}_kind") or "country")


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per figure, role and mention (an implied place once per figure and role)."""
    seen, out = set(), []
    for c in candidates:
        key = (c.figure, c.role, c.mention.token_start if c.mention else (c.place.name, c.place.country))
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


# ---- labels from an answer key ---------------------------------------------------------------

def as_scored_place(place: geo.Place) -> dict:
    return {"name": place.name, "country": place.country, "lat": place.lat, "lon": place.lon}


def evidence_sentences(reading: Reading, evidence: Optional[str]) -> Optional[set[int]]:
    """The sentences a key row's evidence was copied from (its pieces joined by "..." each looked up
    in the text, spaces forgiven), or None when it cannot be found."""
    pieces = [p.strip() for p in re.split(r"\.\.\.|…", evidence or "") if len(p.strip()) >= 8]
    spans = []
    for piece in pieces:
        found = re.search(r"\s+".join(re.escape(word) for word in piece.split()), reading.doc.text)
        if found:
            spans.append((found.start(), found.end()))
    if not spans:
        return None
    start, end = min(s for s, _e in spans), max(e for _s, e in spans)
    return {i for i, sent in enumerate(reading.sentences) if sent.start_char < end and sent.end_char > start}


def _closeness(place: geo.Place, key_place: dict) -> float:
    """How far a candidate place is from the key's place: -1 for the same name, else kilometres."""
    if normalize(place.name or "") == normalize(key_place.get("name") or ""):
        return -1.0
    if key_place.get("lat") is None or key_place.get("lon") is None:
        return 0.0
    return distance(place.lat, place.lon, key_place["lat"], key_place["lon"])


def label_candidates(reading: Reading, key_rows: list[dict],
                     place_match: Callable[[dict, Optional[dict], Optional[str]], bool]) -> list[Optional[int]]:
    """Training labels: 1 for the candidates that say what a required key row says, 0 for those no
    key row supports, None (left out of training) for those in between.

    A candidate matches a key row when the figure's headcount is the row's and the scorer's own
    ``place_match`` accepts its place in that role. The scorer is lenient (any place of Poland
    matches the key "Poland"; a region matches anything within 1,000 km), and an article repeats its
    figures and places, so of the matching candidates only the best are labelled 1:
    - the figure read in the sentences of the row's evidence (any matching figure if none is there);
    - per figure, the place closest to the key's (the same name first), every mention of it.
    The other matching candidates, and those matching an optional row, are None: they are not wrong
    (the scorer would accept them), only not what the annotator chose."""
    labels: list[Optional[int]] = [0] * len(reading.candidates)
    evidence = [evidence_sentences(reading, row.get("evidence")) for row in key_rows]
    matching: dict[tuple[int, str], list[tuple[int, bool]]] = {}
    for i, c in enumerate(reading.candidates):
        figure = reading.figures[c.figure]
        for k, row in enumerate(key_rows):
            key_place = row.get(c.role)
            if row.get("headcount") != figure.value or key_place is None:
                continue
            if not place_match(as_scored_place(c.place), key_place, row.get("force")):
                continue
            labels[i] = None
            if row.get("required", True):
                matching.setdefault((k, c.role), []).append((i, evidence[k] is None or figure.sentence in evidence[k]))
    for (k, role), found in matching.items():
        chosen = [i for i, in_evidence in found if in_evidence] or [i for i, _ in found]
        by_figure: dict[int, list[int]] = {}
        for i in chosen:
            by_figure.setdefault(reading.candidates[i].figure, []).append(i)
        for indices in by_figure.values():
            closeness = {i: _closeness(reading.candidates[i].place, key_rows[k][role]) for i in indices}
            nearest = min(closeness.values())
            for i in indices:
                if closeness[i] <= nearest + 1.0:
                    labels[i] = 1
    return labels
