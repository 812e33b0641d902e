"""Whether a decoded row stands, judged knowing the article's other rows.

The candidates' model (``extract.features``) scores each figure–place pair alone, and decoding
(``extract.decide``) turns the pairs over a threshold into draft rows one figure at a time. Whether
a draft is a movement the article reports often shows only against the others: a figure that is
the parts of another ("560 soldiers ... 480 marines and 80 legionnaires"), the same destination
already reached by a larger, better-scored figure, an article whose best row scores far higher, an
army's size in an article of small moves. This third, small model sees each draft with those
comparisons and gives the chance that the row is right (a triple match by the scorer's own rules);
drafts under the row threshold are dropped, and the chance, calibrated, is the row's confidence.

Trained by ``python -m extract.train`` on the drafts decoded from out-of-fold scores of the
training articles, labelled by whether each matches a key row.
"""
from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from typing import Optional

from extract.candidates import DESTINATION, Candidate, Reading

STATUSES = ("announced", "ordered", "deployed", "arrived", "withdrawn", "alert", "other")
KINDS = ("country", "region", "state", "city", "base")
LANGS = ("en", "fr", "de", "es")
MAX_PARTS = 12   # figures tried as parts of a total: sums of 2 or 3 of the article's first 12
MAX_COMPARED = 256   # distinct figure values tried pairwise as a total's parts
FEATURES = (["score", "destination_rank", "figure_best", "figure_margin", "destinations", "drafts", "draft_rank",
             "draft_rank_share", "article_best", "below_article_best", "drafts_over_half", "figures", "no_figure",
             "value_log", "value_share_of_largest", "value_is_largest", "value_repeated", "value_is_a_sum",
             "value_is_a_part", "headline_figure", "sentence_position", "same_country_drafts", "same_place_drafts",
             "better_same_country", "larger_same_country", "destination_is_force", "destination_is_main_force",
             "has_origin", "origin_listed", "rule_rows", "rule_row_same_destination", "implied", "sentences_to_destination",
             "destination_countries"]
            + [f"status_{s}" for s in STATUSES] + [f"kind_{k}" for k in KINDS] + [f"lang_{lang}" for lang in LANGS])


@dataclass
class Draft:
    """A row before the judge: the figure, its destination and pair score, and what decoding chose."""

    figure: int                        # index into Reading.figures
    destination: Candidate
    score: float                       # the pair score of figure and destination
    destinations: int                  # how many places this figure was sent to
    origin: Optional[Candidate]
    force: Optional[str]
    status: str
    listed_origin: bool = False        # an origin one list names with the one the origin model chose


def draft_features(reading: Reading, scores, drafts: list[Draft]) -> list[list[float]]:
    """One row of ``FEATURES`` per draft. Every comparison with the article's other drafts and
    figures is read from counts and sorted lists made once, so the time grows with the drafts, not
    with their square (a hostile text may have thousands)."""
    figures = reading.figures
    destination_scores: dict[int, list[float]] = {}
    for c, s in zip(reading.candidates, scores):
        if c.role == DESTINATION:
            destination_scores.setdefault(c.figure, []).append(float(s))
    for ranked in destination_scores.values():
        ranked.sort(reverse=True)
    numbered = [(i, f.value) for i, f in enumerate(figures) if f.value]
    values = [v for _i, v in numbered]
    largest = max(values, default=0)
    value_counts = Counter(f.value for f in figures if f.value is not None)
    parts = _parts(values)
    draft_scores = [d.score for d in drafts]
    best = max(draft_scores, default=0.0)
    over_half = sum(1 for s in draft_scores if s >= 0.5)
    rank = {index: r for r, index in enumerate(sorted(range(len(drafts)), key=lambda i: -draft_scores[i]))}
    by_country: dict[Optional[str], tuple[list[float], list[int]]] = {}
    for d in drafts:
        country_scores, country_values = by_country.setdefault(d.destination.place.country, ([], []))
        country_scores.append(d.score)
        country_values.append(figures[d.figure].value or 0)
    for country_scores, country_values in by_country.values():
        country_scores.sort()
        country_values.sort()
    place_counts = Counter(d.destination.place.name for d in drafts)
    countries = len(by_country)
    sentences = max(len(reading.sentences), 1)
    main_force = reading.main_force
    rows = []
    for index, d in enumerate(drafts):
        f = figures[d.figure]
        place = d.destination.place
        ranked = destination_scores.get(d.figure, [d.score])
        country_scores, country_values = by_country[place.country]
        first_others = [v for i, v in numbered[:MAX_PARTS + 1] if i != d.figure][:MAX_PARTS]
        row = [d.score, ranked.index(d.score) if d.score in ranked else len(ranked), ranked[0],
               ranked[0] - (ranked[1] if len(ranked) > 1 else 0.0), d.destinations, len(drafts), rank[index],
               rank[index] / len(drafts), best, best - d.score, over_half,
               len(values), int(f.value is None), math.log10(f.value) if f.value else -1.0,
               f.value / largest if f.value and largest else -1.0, int(bool(f.value) and f.value == largest),
               value_counts[f.value] - 1 if f.value is not None else 0,
               int(bool(f.value) and _is_a_sum(f.value, first_others)),
               int(bool(f.value) and f.value in parts),
               int(reading.has_headline and f.sentence == 0), f.sentence / sentences,
               len(country_scores) - 1, place_counts[place.name] - 1,
               len(country_scores) - bisect_right(country_scores, d.score),
               len(country_values) - bisect_right(country_values, f.value or 0),
               int(bool(d.force) and place.country == d.force), int(bool(main_force) and place.country == main_force),
               int(d.origin is not None), int(d.listed_origin), len(f.rule_rows),
               int(any(r.destination == place.name and r.destination_country == place.country for r in f.rule_rows)),
               int(d.destination.mention is None),
               abs((d.destination.sentence if d.destination.sentence is not None else f.sentence) - f.sentence),
               countries]
        row += [int(d.status == s) for s in STATUSES] + [int(place.kind == k) for k in KINDS]
        row += [int(reading.lang == lang) for lang in LANGS]
        rows.append(row)
    return rows


def _parts(values: list[int]) -> set[int]:
    """The values that, added to another figure's value, give a third figure of the article (the
    parts of a total). Pairs are tried among the article's first ``MAX_COMPARED`` distinct values:
    every real article has fewer, and a hostile one stays linear."""
    distinct = list(dict.fromkeys(values))[:MAX_COMPARED]
    present = set(values)
    return {v for v in distinct if any(o != v and v + o in present for o in distinct)}


def _is_a_sum(value: int, others: list[int]) -> bool:
    """``value`` is the sum of two or three of the other figures (a total and its parts)."""
    return any(sum(parts) == value for size in (2, 3) for parts in combinations(others[:MAX_PARTS], size))
