"""The origin of a decoded row, chosen knowing its destination.

The candidates' model (``extract.features``) scores each figure–place pair alone, and an origin's
score is low for every place (few candidates are origins): with one origin threshold, a row often
got no origin where the text names one, or the best-scored place where another was meant. Once
``extract.decide`` has chosen a figure's destination, this second, small model picks its origin
among the figure's origin candidates (the best ``MAX_OPTIONS`` by their pair score) and a "none of
these" option, seeing the pair scores and how each place stands to the chosen destination: its cue,
its kind, the same country as the destination or as the troops, before the destination in the text,
in the same sentence, and the pair's own features (``extract.features``) after those. The option it
ranks first is the origin.

Trained by ``python -m extract.train`` on the rows decoded from out-of-fold scores of the training
articles, as a ranking (LightGBM lambdarank, one query per row, as Mordecai3 ranks a name's candidate
places): an option is right when the row it makes matches a key row by the scorer's own rules (so
"none" is right for a key with no origin, and for one whose origin is the troops' own country).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np

from extract.candidates import Candidate, Reading
from extract.places import DESTINATION, HOME, LOCATION, NEAR, ORIGIN

MAX_OPTIONS = 8
CUES = (DESTINATION, ORIGIN, LOCATION, HOME, NEAR, None)
KINDS = ("country", "region", "state", "city", "base")
FEATURES = (["none", "score", "rank", "below_best", "destination_score", "origins_over_0.05"]
            + [f"cue_{cue or 'none'}" for cue in CUES] + [f"kind_{kind}" for kind in KINDS]
            + ["destination_country", "force_country", "implied", "destination_sentence", "before_destination",
               "tokens_to_destination_log", "figure_sentence", "no_figure"])


@dataclass
class OriginChoice:
    """One decoded row's origin options ("none of these" last) and their features."""

    destination: Candidate
    value: Optional[int]
    force: Optional[str]
    options: list[Optional[Candidate]]
    rows: list[list[float]]

    def pick(self, booster) -> Optional[Candidate]:
        """The option the ranker puts first (its scores rank a row's options; they are no chances)."""
        scores = booster.predict(np.asarray(self.rows, dtype=float), num_threads=1)
        return self.options[int(np.argmax(scores))]

    def as_row(self, option: Optional[Candidate]) -> dict:
        """The row this option makes, in the scorer's format (for training labels)."""
        def fields(end: str, place) -> dict:
            return {end: place.name if place else None, f"{end}_country": place.country if place else None,
                    f"{end}_lat": place.lat if place else None, f"{end}_lon": place.lon if place else None}
        return {**fields("origin", option.place if option else None), **fields("destination", self.destination.place),
                "headcount": self.value, "force": self.force}


def origin_choice(reading: Reading, figure: int, destination: tuple[Candidate, float],
                  origins: list[tuple[Candidate, float]], force: Optional[str]) -> OriginChoice:
    """The options of the row that sends ``figure`` to ``destination`` (its best destination and
    score), from the figure's origin candidates and their pair scores."""
    chosen, destination_score = destination
    f = reading.figures[figure]
    ranked = sorted(origins, key=lambda cs: -cs[1])
    best = ranked[0][1] if ranked else 0.0
    likely = sum(1 for _c, s in ranked if s >= 0.05)
    rows, options = [], []
    for rank, (c, s) in enumerate(ranked[:MAX_OPTIONS]):
        mention, at = c.mention, chosen.mention
        if mention is not None and at is not None:
            placed = (int(c.sentence == chosen.sentence), int(mention.token_start < at.token_start),
                      math.log1p(abs(mention.token_start - at.token_start)))
        else:
            placed = (0, 0, 9.0)
        rows.append([0, s, rank, best - s, destination_score, likely]
                    + [int((mention.cue if mention else None) == cue) for cue in CUES]
                    + [int(c.place.kind == kind) for kind in KINDS]
                    + [int(c.place.country == chosen.place.country), int(bool(force) and c.place.country == force),
                       int(mention is None), *placed, int(c.sentence == f.sentence), int(f.value is None)])
        options.append(c)
    rows.append([1, 0.0, 0, best, destination_score, likely] + [0] * (len(CUES) + len(KINDS))
                + [0, int(bool(force)), 0, 0, 0, 9.0, 0, int(f.value is None)])
    # Each option also carries its pair's own features (extract.features; "none" has none: NaN,
    # which LightGBM reads as missing): the cue words, the syntax and the clause that made the
    # pair score, seen again knowing the chosen destination.
    width = len(reading.pair_features[0]) if reading.pair_features else 0
    for i, c in enumerate(options):
        rows[i] += reading.pair_feature_row(c) or [float("nan")] * width
    rows[-1] += [float("nan")] * width
    options.append(None)
    return OriginChoice(chosen, f.value, force, options, rows)
