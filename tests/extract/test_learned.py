"""The learned decision (extract/candidates.py, features.py, decide.py, train.py).

- Parity, the contract between training and serving: the features an article gets while training
  are the features it gets when a user extracts it, whether read alone or in a batch.
- Training learns: a model trained on a slice of the corpus beats the rules alone on articles of
  the corpus it did not see (both scored by the scorer's own rules).
- The committed model reproduces the validation score recorded when it was trained.
- Each row is a draft the row judge (extract/rows.py) keeps, its confidence the judge's calibrated chance.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from extract import extract_deployments
from extract.decide import MODEL_PATH, decode, load_model, score
from extract.features import BLOCKS, feature_names, featurize
from extract.pipeline import read_doc, troop_pipeline
from extract.train import (Article, evaluate, load_articles, predictions, read_articles, scorer, train)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
needs_model = pytest.mark.skipif(not MODEL_PATH.exists(), reason="no committed model")


def _seed_reading(seed_text):
    """The seed article read as the app reads one article."""
    return read_doc(troop_pipeline("fr")(seed_text), "fr", "2022-02-02")


def test_features_are_the_same_in_training_and_in_serving(seed_text):
    article = Article("seed", "fr", seed_text, {"published": "2022-02-02", "deployments": []})
    other = Article("other", "fr", "Paris envoie 300 soldats en Estonie, a annoncé le ministère.",
                    {"published": "2022-02-02", "deployments": []})
    trained = read_articles([other, article])[1]      # a batch, as python -m extract.train reads
    served = _seed_reading(seed_text)   # one article, as the app reads
    rows_trained, names_trained = featurize(trained)
    rows_served, names_served = featurize(served)
    assert names_trained == names_served == feature_names()
    assert len(rows_served) == len(served.candidates) > 0
    assert np.allclose(np.asarray(rows_trained), np.asarray(rows_served))


def test_every_block_gives_exactly_its_named_features(seed_text):
    """featurize reads each block's values by the names in feature_names: a value a block computes
    under another name would be dropped without this check."""
    from extract.features import _BLOCK_KEYS, Context

    reading = _seed_reading(seed_text)
    ctx = Context(reading)
    for candidate in reading.candidates:
        for name, block in BLOCKS.items():
            assert list(block(candidate, reading, ctx)) == _BLOCK_KEYS[name], name


def test_every_block_can_be_left_out():
    for block in BLOCKS:
        kept = tuple(b for b in BLOCKS if b != block)
        assert not any(name.startswith(f"{block}.") for name in feature_names(kept))


@needs_model
def test_the_model_decides_the_seed_article(seed_text):
    rows = extract_deployments(seed_text, published="2022-02-02", engine="model")
    triples = {(r.origin, r.destination, r.headcount) for r in rows.itertuples()}
    assert {("Fort Bragg", "Germany", 2000), ("Fort Bragg", "Poland", 2000), ("Germany", "Romania", 1000)} <= triples
    assert rows["confidence"].between(0, 1).all()


@needs_model
@pytest.mark.parametrize("lang, text, places", [
    ("en", "The Pentagon will send 2,000 soldiers to Poland, Germany and Romania.", {"Poland", "Germany", "Romania"}),
    ("fr", "Le Pentagone enverra 2 000 soldats de Fort Bragg en Pologne et en Allemagne.", {"Poland", "Germany"}),
    ("de", "Die Bundeswehr schickt 600 Soldaten nach Litauen und nach Polen.", {"Lithuania", "Poland"}),
    ("es", "España enviará 500 soldados a Letonia y Eslovaquia.", {"Latvia", "Slovakia"}),
])
def test_one_figure_sent_to_a_list_of_places_is_shared_by_all_of_them(lang, text, places):
    # A second destination needs the (higher) shared threshold unless one list names it with the
    # first: the list is how a text sends one figure to several places.
    rows = extract_deployments(text, lang=lang, engine="model")
    assert set(rows.destination) == places
    assert rows.headcount_shared.all() and rows.counted.sum() == 1


@needs_model
@pytest.mark.parametrize("lang, text, origins", [
    ("en", "The Pentagon will move 1,200 troops from Fort Bragg and Fort Hood to Poland.", {"Fort Bragg", "Fort Hood"}),
    ("fr", "Quelque 400 soldats venus du Mali et du Niger sont arrivés au Tchad.", {"Mali", "Niger"}),
    ("de", "Das Bundesheer verlegt etwa 100 Soldaten aus Lienz und aus Güssing nach Bosnien.", {"Lienz", "Güssing"}),
    ("es", "Unos 600 soldados procedentes de Letonia y Lituania llegaron a Polonia.", {"Latvia", "Lithuania"}),
])
def test_one_figure_from_a_list_of_origins_gives_a_row_per_origin(lang, text, origins):
    # The annotation guide: one figure from several origins is one row per origin, the figure
    # shared. The origin model picks one; the others of its list follow it.
    rows = extract_deployments(text, lang=lang, engine="model")
    assert set(rows.origin) == origins and rows.destination.nunique() == 1
    assert rows.headcount_shared.all() and rows.counted.sum() == 1


@needs_model
def test_each_row_s_origin_is_picked_among_its_figure_s_origins_and_none(seed_text):
    from extract.origins import FEATURES, MAX_OPTIONS

    model = load_model()
    # its own features, then the pair's (extract.features)
    width = len(FEATURES) + len(model.features)
    assert model.origin_booster is not None and model.origin_booster.num_feature() == width
    reading = _seed_reading(seed_text)
    choices: list = []
    rows = decode(reading, score(reading, model), model, choices)
    # one choice per figure decoded; the row judge may then drop every draft of a figure
    assert len(choices) >= len({row.headcount_group or id(row) for row in rows}) > 0
    for choice in choices:
        assert choice.options[-1] is None and 1 <= len(choice.options) <= MAX_OPTIONS + 1
        assert all(len(features) == width for features in choice.rows)
        assert all(option.role == "origin" for option in choice.options[:-1])
    origins = {(row.origin, row.destination) for row in rows}
    assert {("Fort Bragg", "Poland"), ("Fort Bragg", "Germany"), ("Germany", "Romania")} <= origins


@needs_model
def test_each_row_is_a_draft_the_row_judge_keeps_with_its_chance_as_confidence(seed_text):
    from extract.rows import FEATURES

    model = load_model()
    assert model.row_booster is not None and model.row_booster.num_feature() == len(FEATURES)
    reading = _seed_reading(seed_text)
    drafts: list = []
    rows = decode(reading, score(reading, model), model, drafts_out=drafts)
    found, features, _chances = drafts[0]
    assert len(found) == len(features) and all(len(row) == len(FEATURES) for row in features)
    chances = model.row_booster.predict(np.asarray(features, dtype=float))
    kept = [(d, p) for d, p in zip(found, chances) if p >= model.row_threshold]
    assert [(r.headcount, r.destination) for r in rows] == [(reading.figures[d.figure].value, d.destination.place.name)
                                                            for d, _p in kept]
    assert [r.confidence for r in rows] == [round(float(c), 3) for c in model.calibrated(np.array([p for _d, p in kept]))]
    # a figure sent to two places is shared by the two rows it still has, and counted once
    groups = [r.headcount_group for r in rows if r.headcount_group]
    assert all(groups.count(g) > 1 for g in groups)
    assert sum(r.counted for r in rows if r.headcount == 2000) == 1


@needs_model
def test_scores_explain_each_row(seed_text):
    model = load_model()
    reading = _seed_reading(seed_text)
    scores = score(reading, model)
    assert len(scores) == len(reading.candidates)
    rows = decode(reading, scores, model)
    assert rows and all(0.0 <= r.confidence <= 1.0 for r in rows)


def _slice(folder: Path, lang: str, count: int, offset: int = 0) -> list[Path]:
    keys = sorted(folder.glob(f"{lang}-*.json"))
    return keys[offset:offset + count]


@pytest.mark.skipif(not (CORPUS / "train").exists(), reason="no corpus")
def test_training_on_a_slice_beats_the_rules_on_unseen_articles(tmp_path):
    """Small enough to run in CI (well under two minutes): 30 articles of each language to train on,
    15 others of each to check on."""
    train_dir, check_dir = tmp_path / "train", tmp_path / "check"
    for target, count, offset in ((train_dir, 30, 0), (check_dir, 15, 30)):
        target.mkdir()
        for lang in ("en", "fr", "de", "es"):
            for key in _slice(CORPUS / "train", lang, count, offset):
                (target / key.name).write_bytes(key.read_bytes())
                (target / key.with_suffix(".txt").name).write_bytes(key.with_suffix(".txt").read_bytes())
    result = train([train_dir], check_dir, save=False, log=lambda *_: None)
    learned = result["valid"]["all"]["triple"]["f1"]
    rules_only = result["valid_rules_only"]["all"]["triple"]["f1"]
    assert learned > rules_only, (learned, rules_only)


@needs_model
@pytest.mark.skipif(not (CORPUS / "valid").exists(), reason="no corpus")
def test_the_committed_model_reproduces_its_recorded_validation_score():
    model = load_model()
    valid = load_articles([CORPUS / "valid"])
    readings = read_articles(valid)
    preds = predictions(readings, [score(r, model) for r in readings], model)
    report = evaluate(preds, valid, scorer())
    assert report["all"]["triple"]["f1"] == pytest.approx(model.meta["valid_triple_f1"], abs=0.005)
    recorded = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["meta"]
    assert recorded["trained_on"] >= 500


def test_calibration_error_and_its_chance_level():
    """ECE is the gap between confidence and the share right; on a few hundred rows even a perfectly
    calibrated model shows some by chance, which the training report prints beside it."""
    from extract.train import _ece, ece_by_chance

    assert _ece(np.full(10, 0.8), np.array([1] * 4 + [0] * 6, dtype=float), 10) == pytest.approx(0.4)
    assert _ece(np.ones(5), np.ones(5), 10) == 0.0
    rows = [[{"destination": "Poland", "confidence": 0.5}] * 162]
    median, high = ece_by_chance(rows, draws=200)
    assert 0.01 < median <= high < 0.2


def _block(reading, name: str, figure_value: int, place_name: str) -> dict:
    """One block's values for the candidate sending the figure of this value to this place."""
    from extract.candidates import DESTINATION
    from extract.features import Context
    ctx = Context(reading)
    candidate = next(c for c in reading.candidates if reading.figures[c.figure].value == figure_value
                     and c.role == DESTINATION and c.place.name == place_name)
    return BLOCKS[name](candidate, reading, ctx)


@pytest.mark.parametrize("lang, text, moved, stays, place", [
    ("en", "Britain sends troops to Estonia\nThe ministry said 300 soldiers would leave on Monday. "
           "Another 200 soldiers are already stationed in the country.", 300, 200, "Estonia"),
    ("de", "Deutschland schickt Soldaten nach Litauen\nDas Ministerium teilte mit, 300 Soldaten sollen am "
           "Montag verlegt werden. Bereits 200 Soldaten sind dort stationiert.", 300, 200, "Lithuania"),
])
def test_features_see_whether_a_figure_moved_when_its_place_is_in_another_sentence(lang, text, moved, stays, place):
    """Most right destinations are named outside the figure's sentence (here: the headline). The
    ``movement`` block still describes the figure's own sentence, and ``thread`` the place's."""
    reading = read_doc(troop_pipeline(lang)(text), lang, "2024-01-01")
    went, stayed = (_block(reading, "movement", value, place) for value in (moved, stays))
    assert went["near_future_words"] == 1 and went["to_movement_log"] < 4.0
    assert stayed["near_in_place_words"] == 1 and stayed["near_static_triggers"] == 1
    assert went["triggers_in_headline"] >= 1
    headline = _block(reading, "thread", moved, place)
    assert headline["outside"] == 1 and headline["movement_there"] == 1 and headline["after_movement"] == 1


@pytest.mark.parametrize("lang, text, value, stationed, sent", [
    ("en", "Britain keeps 900 soldiers stationed in Estonia and is sending 300 more to Poland.", 300, "Estonia", "Poland"),
    ("de", "Deutschland hat 900 Soldaten in Litauen stationiert und schickt 300 weitere nach Polen.", 300,
     "Lithuania", "Poland"),
])
def test_the_around_block_reads_the_rule_words_next_to_the_place(lang, text, value, stationed, sent):
    """"stationed in Estonia" is where troops are, not where these go: the word lists of the rule
    files, read around the place itself, tell the two places of one sentence apart."""
    reading = read_doc(troop_pipeline(lang)(text), lang, "2024-01-01")
    assert _block(reading, "around", value, stationed)["place_static_triggers"] == 1
    assert _block(reading, "around", value, sent)["place_static_triggers"] == 0
