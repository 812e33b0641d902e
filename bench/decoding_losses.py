"""Why rows are lost even when every candidate is scored right: the decoding's own losses.

    python bench/decoding_losses.py                          # every third article of corpus/train
    python bench/decoding_losses.py --keys corpus/train --every 1

Every candidate is scored by its training label (1 right, else 0), as in ``bench/decision_ceiling.py``,
and each required key row the decoded rows miss is put in one class: its figure or a place not read
at all, a place read but outside the figure's candidate window, or lost by decoding although its
figure, destination and origin were all candidates. The decoding's losses are then split by what the
key has that one row per figure and place cannot give (two places of one country, a second movement
without a figure to the same place, a list of origins).

It reads answer keys: run it on training articles, never on ``bench/blind2`` or ``bench/blind3``
(and ``corpus/valid`` only to report, never to choose).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.candidates import DESTINATION, ORIGIN, as_scored_place, label_candidates  # noqa: E402
from extract.decide import DeciderModel  # noqa: E402
from extract.train import ROOT, load_articles, predictions, read_articles, scorer  # noqa: E402

EMPTY = {"name": None, "country": None, "lat": None, "lon": None}


def _name(place) -> str:
    return (place or {}).get("name") or ""


def loss_class(key: dict, reading, score_module) -> str:
    """Why a missed key row was lost, with every candidate scored by its label."""
    force, value = key.get("force"), key.get("headcount")
    figures = [i for i, f in enumerate(reading.figures) if f.value == value]

    def matches(place, key_place):
        return score_module.place_match(as_scored_place(place), key_place, force)

    if value is not None and not any(value in (h.value, h.high) for h in reading.doc._.headcounts or []):
        return "figure not read"
    if not any(matches(m.place, key["destination"]) for m in reading.places):
        return "destination not read"
    if not figures:
        return "no movement word for a row without a figure"
    if not any(c.figure in figures and c.role == DESTINATION and matches(c.place, key["destination"])
               for c in reading.candidates):
        return "destination outside the window"
    origin = key.get("origin")
    if origin is not None and not score_module.place_match(EMPTY, origin, force):
        if not any(c.figure in figures and c.role == ORIGIN and matches(c.place, origin) for c in reading.candidates):
            read = any(matches(m.place, origin) for m in reading.places)
            return "origin outside the window" if read else "origin not read"
    return "decoding"


def decoding_case(key: dict, required: list[dict]) -> str:
    """What the key has that decoding one row per figure and place did not give."""
    others = [k for k in required if k is not key and k.get("headcount") == key.get("headcount")]
    same_place = [k for k in others if _name(k["destination"]) == _name(key["destination"])]
    if key.get("headcount") is not None and any(_name(k.get("origin")) != _name(key.get("origin")) for k in same_place):
        return "the same figure from a list of origins"
    if key.get("headcount") is None and any(k.get("force") != key.get("force") for k in same_place):
        return "a second movement without a figure to the same place, another army"
    if key.get("headcount") is None and same_place:
        return "a second movement without a figure to the same place, another origin"
    if any(k["destination"].get("country") == key["destination"].get("country") for k in others
           if _name(k["destination"]) != _name(key["destination"])):
        return "the same figure to two places of one country"
    return "other"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=Path, default=ROOT / "corpus" / "train")
    parser.add_argument("--every", type=int, default=3, help="read every Nth article (default 3)")
    args = parser.parse_args(argv)
    if "blind" in args.keys.name:
        parser.error("blind sets are scored, never read")
    score_module = scorer()
    articles = load_articles([args.keys])[::args.every]
    readings = read_articles(articles)
    ceiling = DeciderModel(None, [], (), 0.5, 0.5, ([], []), {}, None, 0.5)
    classes, cases = Counter(), Counter()
    required_rows = predicted = right = 0
    for reading, article in zip(readings, articles):
        keys = article.key.get("deployments", [])
        labels = label_candidates(reading, keys, score_module.place_match)
        scores = np.array([1.0 if label == 1 else 0.0 for label in labels])
        counts = score_module.score_article(predictions([reading], [scores], ceiling)[0], keys, "triple")
        required = [k for k in keys if k.get("required", True)]
        required_rows += len(required)
        predicted += counts["n_pred"]
        right += counts["tp_pred"]
        for key in counts["missed"]:
            lost = loss_class(key, reading, score_module)
            classes[lost] += 1
            if lost in ("decoding", "origin outside the window", "origin not read"):
                cases[decoding_case(key, required)] += 1
    missed = sum(classes.values())
    print(f"{len(articles)} articles, {required_rows} required rows; with labels as scores "
          f"precision {right / max(predicted, 1):.3f}, recall {1 - missed / max(required_rows, 1):.3f}")
    print("\n| lost because | rows |\n|---|---|")
    for name, count in classes.most_common():
        print(f"| {name} | {count} |")
    print("\n| rows lost by decoding (and origins not candidates): what the key has | rows |\n|---|---|")
    for name, count in cases.most_common():
        print(f"| {name} | {count} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
