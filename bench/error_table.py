"""Where the rows are lost: each missed key row and each spurious row of a set, put in one class.

    python bench/error_table.py [--keys corpus/valid] [--engine rules|model]

Classes, for a required key row no predicted row matches (triple):
  figure not read         the numbers stage found no figure with the key's headcount
  place not read          the places stage found no place matching the key's destination (or origin)
  wrong place chosen      a row with the key's figure was made, to another destination or from another origin
  wrong figure            a row to the key's destination and origin was made, with another figure
  not seen as a movement  figure and places were read, but no row has either the figure or the route
and for each predicted row that matches no key row: spurious row.

Run it on corpus/valid only, never on a blind set (it prints what was missed).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.decide import decode, load_model, score  # noqa: E402
from extract.train import VALID_DIR, load_articles, read_articles, scorer  # noqa: E402

CLASSES = ("figure not read", "place not read", "wrong place chosen", "wrong figure", "not seen as a movement",
           "spurious row")


def classify(reading, preds, key_rows, sm) -> Counter:
    counts: Counter = Counter()
    figures = {f.value for f in reading.figures if f.value is not None}
    places = [{"name": m.place.name, "country": m.place.country, "lat": m.place.lat, "lon": m.place.lon}
              for m in reading.places]
    empty = {"name": None, "country": None, "lat": None, "lon": None}
    result = sm.score_article(preds, key_rows, "triple")
    for key in result["missed"]:
        force = key.get("force")
        dest_read = any(sm.place_match(p, key["destination"], force) for p in places)
        origin_read = sm.place_match(empty, key.get("origin"), force) or any(
            sm.place_match(p, key.get("origin"), force) for p in places)
        if key.get("headcount") is not None and key["headcount"] not in figures:
            counts["figure not read"] += 1
        elif not (dest_read and origin_read):
            counts["place not read"] += 1
        elif any(sm._headcount(p.get("headcount")) == sm._headcount(key.get("headcount")) for p in preds):
            counts["wrong place chosen"] += 1
        elif any(sm.row_match(p, key, "pair") for p in preds):
            counts["wrong figure"] += 1
        else:
            counts["not seen as a movement"] += 1
    counts["spurious row"] += len(result["false_alarms"])
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=Path, default=VALID_DIR)
    parser.add_argument("--engine", choices=("rules", "model"), default="rules")
    args = parser.parse_args()
    if "blind" in str(args.keys):
        raise SystemExit("not on a blind set")
    sm = scorer()
    articles = load_articles([args.keys])
    readings = read_articles(articles)
    model = load_model() if args.engine == "model" else None
    by_lang: dict[str, Counter] = {}
    for reading, article in zip(readings, articles):
        rows = decode(reading, score(reading, model), model) if model else reading.rule_rows
        preds = [r.to_dict() for r in rows]
        counts = classify(reading, preds, article.key.get("deployments", []), sm)
        for lang in (article.lang, "all"):
            by_lang.setdefault(lang, Counter()).update(counts)
    langs = sorted(by_lang)
    print(f"| class | {' | '.join(langs)} |")
    print("|---|" + "---|" * len(langs))
    for name in CLASSES:
        print(f"| {name} | " + " | ".join(str(by_lang[lang][name]) for lang in langs) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
