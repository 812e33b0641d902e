"""The learned decision: score every candidate with the trained model, then decode rows.

Decoding, per figure (see ``extract.candidates``):

1. destinations: the figure's best destination candidate, if it scores at least the destination
   threshold; none: the figure did not move (or the text does not say where), no row. Further
   places only when they score at least the (higher) shared threshold, or when one list names them
   with a destination kept ("to Poland and Germany"): one row per place, the figure shared. One
   place per country: "Vitebsk" and "Belarus" for one figure are one destination, and the better
   scored stands for it.
2. origin: chosen knowing the destination by a second, small model (``extract.origins``) among
   the figure's origin candidates that are not its destinations and "none" (the scorer reads a
   missing origin as "the force's own country"); a model without it takes the best origin
   candidate scoring at least the origin threshold.
3. a figure value already decoded to the same destination (the headline repeating the body) is
   not a second row.
4. the drafts of steps 1–3 are judged together by a third, small model (``extract.rows``) that
   sees each against the article's others; drafts it gives under the row threshold are dropped.

A movement mentioned without a figure ("a battalion was sent to Estonia") is decoded the same
way, with no headcount. ``confidence`` is the calibrated probability that the row is right: the
row judge's chance read through a logistic map fitted at training time on out-of-fold rows of
whole articles.
"""
from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

import numpy as np

from extract.candidates import DESTINATION, ORIGIN, Candidate, Reading
from extract.features import featurize
from extract.origins import OriginChoice, origin_choice
from extract.places import listed_together
from extract.rows import Draft, draft_features
from extract.relations.details import nearest_date, unit
from extract.relations.forces import troop_demonym
from extract.relations.words import movement_status
from extract.rules import load_rules
from extract.schema import Deployment

MODEL_PATH = Path(__file__).parent / "model" / "decider.json"
# A second origin one list names with the chosen one needs this share of the chosen one's pair score.
LISTED_ORIGIN_SHARE = 0.5


@dataclass
class DeciderModel:
    # lightgbm.Booster objects trained alike but for their random seed; their scores are averaged
    # (one seed's valid score varies by +-0.03 from another's: the average is steadier)
    boosters: list
    features: list[str]
    blocks: tuple[str, ...]
    destination_threshold: float
    origin_threshold: float
    calibration: tuple[list[float], list[float]]   # calibration table: scores -> probabilities
    meta: dict
    # Rows of the rules stay unless the model scores their destination below this; None: the model
    # alone decides. Chosen at training time, like the thresholds.
    keep_threshold: Optional[float] = None
    # A figure's second and further destinations need this score; None: the destination threshold.
    shared_threshold: Optional[float] = None
    # Picks each row's origin knowing its destination (extract.origins); None: the origin threshold.
    origin_booster: Optional[object] = None
    # Judges each draft row knowing the article's others (extract.rows); None: every draft stands.
    row_booster: Optional[object] = None
    row_threshold: float = 0.0

    def predict(self, rows: list[list[float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        matrix = np.asarray(rows, dtype=float)
        threads = predict_threads()
        return np.mean([booster.predict(matrix, num_threads=threads) for booster in self.boosters], axis=0)

    def calibrated(self, scores: np.ndarray) -> np.ndarray:
        xs, ys = self.calibration
        return np.interp(scores, xs, ys) if xs else scores

    def to_json(self) -> str:
        return json.dumps({
            "meta": self.meta, "features": self.features, "blocks": list(self.blocks),
            "destination_threshold": self.destination_threshold, "origin_threshold": self.origin_threshold,
            "calibration": [list(self.calibration[0]), list(self.calibration[1])],
            "keep_threshold": self.keep_threshold, "shared_threshold": self.shared_threshold,
            "boosters": [booster.model_to_string() for booster in self.boosters],
            "origin_booster": self.origin_booster.model_to_string() if self.origin_booster is not None else None,
            "row_booster": self.row_booster.model_to_string() if self.row_booster is not None else None,
            "row_threshold": self.row_threshold,
        }, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "DeciderModel":
        import lightgbm

        data = json.loads(text)
        return cls([lightgbm.Booster(model_str=text) for text in data["boosters"]], data["features"], tuple(data["blocks"]),
                   data["destination_threshold"], data["origin_threshold"],
                   (data["calibration"][0], data["calibration"][1]), data["meta"], data.get("keep_threshold"),
                   data.get("shared_threshold"),
                   lightgbm.Booster(model_str=data["origin_booster"]) if data.get("origin_booster") else None,
                   lightgbm.Booster(model_str=data["row_booster"]) if data.get("row_booster") else None,
                   data.get("row_threshold", 0.0))


@functools.lru_cache(maxsize=1)
def predict_threads() -> int:
    """Threads for scoring one article's candidates: two (measured on this 2-core machine: 300
    candidates score in 2.4 ms with two threads, 3.3 ms with one; the last release found LightGBM's
    default pool slower than one), or OMP_NUM_THREADS where it is set: a Dask worker of the ingest sets it to 1,
    as its cluster runs one process per core."""
    configured = os.environ.get("OMP_NUM_THREADS", "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else min(2, os.cpu_count() or 1)


@functools.lru_cache(maxsize=4)
def load_model(path: Optional[str] = None) -> Optional[DeciderModel]:
    """The committed model (loaded once per process), or None when there is none."""
    file = Path(path) if path else MODEL_PATH
    if not file.exists():
        return None
    return DeciderModel.from_json(file.read_text(encoding="utf-8"))


def score(reading: Reading, model: DeciderModel) -> np.ndarray:
    rows, names = featurize(reading, model.blocks)
    if rows and names != model.features:
        raise ValueError("the features of this code differ from the model's: retrain (python -m extract.train)")
    return model.predict(rows)


def decode(reading: Reading, scores: np.ndarray, model: DeciderModel,
           choices: Optional[list[OriginChoice]] = None, drafts_out: Optional[list] = None) -> list[Deployment]:
    """Rows from the candidates' scores. ``choices``: a list that receives each row's origin options;
    ``drafts_out``: a list that receives the drafts, their features and the row judge's chances
    (None without a judge): training the judge and ``scripts/explain.py`` read them."""
    rules = load_rules(reading.lang)
    main_force = reading.main_force
    if (model.origin_booster is not None or choices is not None) and reading.pair_blocks != tuple(model.blocks):
        featurize(reading, model.blocks)   # the origin options carry their pairs' features
    by_figure: dict[int, list[tuple[Candidate, float]]] = {}
    for c, s in zip(reading.candidates, scores):
        by_figure.setdefault(c.figure, []).append((c, float(s)))
    rows: list[Deployment] = []
    decoded: set[tuple] = set()
    with_figure: set[tuple] = set()
    if model.keep_threshold is not None:
        rows = _kept_rule_rows(reading, scores, model)
        for row in rows:
            decoded.add((row.headcount, row.destination, row.destination_country))
            if row.headcount is not None:
                with_figure.add((row.destination, row.destination_country))
    # Figures first, then movements without one: "the troops were sent to Vilnius" after "500
    # soldiers to Vilnius" is the same move, not a second one.
    order = sorted(by_figure.items(), key=lambda item: (reading.figures[item[0]].value is None, item[0]))
    drafts: list[Draft] = []
    for number, scored in order:
        figure = reading.figures[number]
        destinations = _best_per_place([(c, s) for c, s in scored if c.role == DESTINATION
                                        and s >= model.destination_threshold])
        if figure.value is None and destinations:
            # A movement word whose best place a figure or another movement word already reached is
            # that same move ("envoyer des renforts" is two movement words): it does not fall back
            # to its next place (out of fold 0.381 -> 0.382, corpus/valid 0.438 -> 0.433).
            best = max(destinations, key=lambda cs: cs[1])[0].place
            if (None, best.name, best.country) in decoded or (best.name, best.country) in with_figure:
                continue
        destinations = [(c, s) for c, s in destinations
                        if (figure.value, c.place.name, c.place.country) not in decoded
                        and not (figure.value is None and (c.place.name, c.place.country) in with_figure)]
        destinations = _one_per_country(destinations)
        if model.shared_threshold is not None:
            destinations = _shared(reading, destinations, model.shared_threshold, rules)
        if not destinations:
            continue
        places = {(c.place.name, c.place.country) for c, _s in destinations}
        sent = reading.sentences[figure.sentence]
        template = figure.rule_rows[0] if figure.rule_rows else None
        status = template.status if template else _status(reading, figure, rules)
        force = (template.force if template and template.force else None) or _sentence_force(sent, reading.lang) \
            or main_force
        origins = [(c, s) for c, s in scored if c.role == ORIGIN and (c.place.name, c.place.country) not in places]
        origin = _origin(reading, number, destinations[0], origins, force, model, choices)
        listed = _listed_origins(reading, origin, origins, rules) if origin is not None else []
        for c, s in destinations:
            decoded.add((figure.value, c.place.name, c.place.country))
            if figure.value is not None:
                with_figure.add((c.place.name, c.place.country))
            drafts.append(Draft(number, c, s, len(destinations), origin, force, status))
            # "aus Estland, Lettland, Litauen und Polen": one row per origin, the figure shared
            # (the annotation guide: one figure from several origins gives several rows).
            for other in listed:
                drafts.append(Draft(number, c, s, len(destinations), other, force, status, listed_origin=True))
    judged = model.row_booster is not None and bool(drafts)
    features = draft_features(reading, scores, drafts) if judged or drafts_out is not None else []
    chances = model.row_booster.predict(np.asarray(features, dtype=float), num_threads=1) if judged else None
    if drafts_out is not None:
        drafts_out.append((drafts, features, chances))
    if judged:
        kept = [(d, p) for d, p in zip(drafts, chances) if p >= model.row_threshold]
    else:
        kept = [(d, d.score) for d in drafts]
    return rows + _deployments(reading, kept, model)


def _deployments(reading: Reading, kept: list[tuple[Draft, float]], model: DeciderModel) -> list[Deployment]:
    """The rows of the drafts that stand, with their calibrated confidence; a figure that still goes
    to several places is shared among them and counted once."""
    sharing: dict[int, int] = {}
    for d, _p in kept:
        sharing[d.figure] = sharing.get(d.figure, 0) + 1
    rows, counted = [], set()
    confidence = model.calibrated(np.array([p for _d, p in kept])) if kept else []
    for (d, _p), p in zip(kept, confidence):
        figure, c, origin = reading.figures[d.figure], d.destination, d.origin
        sent = reading.sentences[figure.sentence]
        template = figure.rule_rows[0] if figure.rule_rows else None
        anchor_char = reading.doc[figure.anchor].idx
        shared = sharing[d.figure] > 1
        rows.append(Deployment(
            origin=origin.place.name if origin else None,
            origin_country=origin.place.country if origin else None,
            origin_lat=origin.place.lat if origin else None,
            origin_lon=origin.place.lon if origin else None,
            origin_kind=origin.place.kind if origin else None,
            origin_text=_named_as(reading, origin) if origin else None,
            destination=c.place.name, destination_country=c.place.country,
            destination_lat=c.place.lat, destination_lon=c.place.lon, destination_kind=c.place.kind,
            destination_text=_named_as(reading, c),
            headcount=figure.value, headcount_shared=shared and figure.value is not None,
            headcount_qualifier=figure.headcount.qualifier if figure.headcount else None,
            status=d.status, force=d.force, evidence=sent.text.strip(), start=sent.start_char, end=sent.end_char,
            unit=template.unit if template else unit(sent.text, reading.lang),
            date=template.date if template else nearest_date(reading.dates, anchor_char, anchor_char, sent),
            confidence=round(float(p), 3), lang=reading.lang,
            headcount_group=f"m{d.figure}" if shared else None,
            counted=d.figure not in counted,
        ))
        counted.add(d.figure)
    return rows


def _shared(reading: Reading, destinations: list[tuple[Candidate, float]], threshold: float,
            rules: dict) -> list[tuple[Candidate, float]]:
    """The best destination, and the others that score the shared threshold or that one list
    names with a destination kept ("2,000 soldiers to Poland and Germany": a list is how a text
    sends one figure to several places; elsewhere a second place is more often another move's)."""
    kept = destinations[:1]
    for c, s in destinations[1:]:
        listed = c.mention is not None and any(
            k.mention is not None and (listed_together(k.mention, c.mention, reading.doc, rules)
                                       or listed_together(c.mention, k.mention, reading.doc, rules))
            for k, _s in kept)
        if s >= threshold or listed:
            kept.append((c, s))
    return kept


def _origin(reading: Reading, number: int, destination: tuple[Candidate, float], origins: list[tuple[Candidate, float]],
            force: Optional[str], model: DeciderModel, choices: Optional[list[OriginChoice]]) -> Optional[Candidate]:
    """The origin model's pick among the figure's origins and "none" (``extract.origins``); without
    one, the best origin scoring the origin threshold."""
    if model.origin_booster is not None or choices is not None:
        choice = origin_choice(reading, number, destination, origins, force)
        if choices is not None:
            choices.append(choice)
        if model.origin_booster is not None:
            return choice.pick(model.origin_booster)
    above = [(c, s) for c, s in origins if s >= model.origin_threshold]
    return max(above, key=lambda cs: cs[1])[0] if above else None


def _kept_rule_rows(reading: Reading, scores: np.ndarray, model: DeciderModel) -> list[Deployment]:
    """The rules' rows whose destination the model does not reject, with the model's confidence."""
    best: dict[int, float] = {}
    for c, s in zip(reading.candidates, scores):
        if c.role != DESTINATION:
            continue
        for row in reading.figures[c.figure].rule_rows:
            if row.destination == c.place.name and row.destination_country == c.place.country:
                best[id(row)] = max(best.get(id(row), 0.0), float(s))
    kept = []
    for row in reading.rule_rows:
        s = best.get(id(row))
        if s is None or s >= model.keep_threshold:
            # A rules row the model has no candidate for keeps the rules' own confidence as its score.
            raw = row.confidence if s is None else s
            kept.append(replace(row, confidence=round(float(model.calibrated(np.array([raw]))[0]), 3)))
    return kept


def _best_per_place(scored: list[tuple[Candidate, float]]) -> list[tuple[Candidate, float]]:
    best: dict[tuple, tuple[Candidate, float]] = {}
    for c, s in scored:
        key = (c.place.name, c.place.country)
        if key not in best or s > best[key][1]:
            best[key] = (c, s)
    return sorted(best.values(), key=lambda cs: -cs[1])


def _named_as(reading: Reading, c: Candidate) -> Optional[str]:
    """The words that name the candidate's place: its own mention, else the article's first mention
    of the same place (a place the rules implied may still be named elsewhere: "nach Litauen")."""
    if c.mention is not None:
        return c.mention.text
    return next((m.text for m in reading.places
                 if m.place.name == c.place.name and m.place.country == c.place.country), None)


def _sentence_force(sent, lang: str) -> Optional[str]:
    """Whose troops a sentence counts, from its first troop demonym ("500 spanische Soldaten")."""
    return next((code for code in (troop_demonym(t, lang) for t in sent) if code), None)


def _one_per_country(scored: list[tuple[Candidate, float]]) -> list[tuple[Candidate, float]]:
    """The best scored place of each country (places of no country, "the Baltic states", each stand)."""
    seen: set[str] = set()
    out = []
    for c, s in scored:
        if c.place.country and c.place.country in seen:
            continue
        seen.add(c.place.country)
        out.append((c, s))
    return out


def _listed_origins(reading: Reading, origin: Candidate, origins: list[tuple[Candidate, float]],
                    rules: dict) -> list[Candidate]:
    """The other origins one list names with the chosen one ("aus Estland, Lettland, Litauen und
    Polen"), each scoring at least ``LISTED_ORIGIN_SHARE`` of the chosen one's pair score. The list
    is walked from the chosen mention to its neighbours in the text, so the time grows with the
    candidates, not with their square."""
    if origin.mention is None:
        return []
    named = sorted(((c, s) for c, s in origins if c.mention is not None), key=lambda cs: cs[0].mention.token_start)
    at = next((i for i, (c, _s) in enumerate(named) if c is origin), None)
    if at is None:
        return []
    floor = LISTED_ORIGIN_SHARE * named[at][1]
    seen = {(origin.place.name, origin.place.country)}
    out = []
    for step in (-1, 1):
        i = at
        while 0 <= i + step < len(named):
            first, then = (named[i + step][0], named[i][0]) if step < 0 else (named[i][0], named[i + step][0])
            if not listed_together(first.mention, then.mention, reading.doc, rules):
                break
            i += step
            c, s = named[i]
            if s >= floor and (c.place.name, c.place.country) not in seen:
                seen.add((c.place.name, c.place.country))
                out.append(c)
    return out


def _status(reading: Reading, figure, rules) -> str:
    sent = reading.sentences[figure.sentence]
    statuses = reading.statuses()
    triggers = [t for t in sent if statuses[t.i] is not None]
    return movement_status(triggers, sent, rules, figure.headcount) if triggers else "deployed"



def decide(reading: Reading, model: DeciderModel) -> list[Deployment]:
    return decode(reading, score(reading, model), model)
