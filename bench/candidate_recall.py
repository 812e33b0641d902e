"""The upper bound any decision stage can reach: how many key rows the reading stages make possible.

    python bench/candidate_recall.py --keys corpus/valid [--texts DIR] [--show]

For each required row of each key in DIR, the article is read by the reading stages only
(language, numbers, places and the gazetteer: what ``nlp.pipe`` of the troop pipeline leaves on
the Doc), and the row counts as *reachable* when

- its figure is among the personnel figures found (a null key figure is always reachable),
- its destination matches a place found anywhere in the article, and
- its origin matches a place found, or is null (or the force's own country), which a row may leave
  empty;

places matched by the scorer's own rules (``place_match`` imported from ../shared/eval/score.py).
Printed per language, with figure / destination / origin shares to show which stage loses rows,
ending with one line ``candidate recall: de 0.93 en 0.97 ...`` (languages present only).
``--show`` lists the rows that are not reachable and why (never use it on a blind set).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.pipeline import reading_language, troop_pipeline  # noqa: E402


def load_scorer():
    path = ROOT.parent / "shared" / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("troopmap_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reachable(key_row: dict, figures: set[int], places: list[dict], scorer) -> tuple[bool, bool, bool]:
    """(figure found, destination found, origin found or not needed) for one key row."""
    force = key_row.get("force")
    figure = key_row.get("headcount") is None or int(key_row["headcount"]) in figures
    destination = any(scorer.place_match(p, key_row["destination"], force) for p in places)
    empty = {"name": None, "country": None, "lat": None, "lon": None}
    origin = scorer.place_match(empty, key_row.get("origin"), force) or any(
        scorer.place_match(p, key_row.get("origin"), force) for p in places)
    return figure, destination, origin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keys", required=True, help="folder of ID.json answer keys")
    parser.add_argument("--texts", help="folder of ID.txt articles (default: --keys)")
    parser.add_argument("--show", action="store_true", help="list the unreachable rows")
    args = parser.parse_args(argv)
    scorer = load_scorer()
    keys_dir = Path(args.keys)
    texts_dir = Path(args.texts) if args.texts else keys_dir
    cases = []
    for key_path in sorted(keys_dir.glob("*.json")):
        key = json.loads(key_path.read_text(encoding="utf-8"))
        text = (texts_dir / f"{key_path.stem}.txt").read_text(encoding="utf-8")
        cases.append((key_path.stem, key, text))
    by_reading = defaultdict(list)
    for case in cases:
        by_reading[reading_language(case[2], None)[0]].append(case)

    totals = defaultdict(lambda: [0, 0, 0, 0, 0])  # rows, reachable, figure, destination, origin
    for reading, group in sorted(by_reading.items()):
        nlp = troop_pipeline(reading)
        for (case_id, key, _text), doc in zip(group, nlp.pipe(text for _i, _k, text in group)):
            lang = key.get("lang") or case_id[:2]
            figures = set()
            for h in doc._.headcounts or []:
                figures.update(v for v in (h.value, h.high) if v is not None)
            places = [{"name": m.place.name, "country": m.place.country, "lat": m.place.lat, "lon": m.place.lon}
                      for m in doc._.places or []]
            for row in key.get("deployments", []):
                if not row.get("required", True):
                    continue
                figure, destination, origin = reachable(row, figures, places, scorer)
                t = totals[lang]
                t[0] += 1
                t[1] += figure and destination and origin
                t[2] += figure
                t[3] += destination
                t[4] += origin
                if args.show and not (figure and destination and origin):
                    lost = [name for name, ok in (("figure", figure), ("destination", destination),
                                                  ("origin", origin)) if not ok]
                    origin_name = (row.get("origin") or {}).get("name")
                    print(f"{case_id}: {row.get('headcount')} {origin_name} -> {row['destination']['name']}: "
                          f"no {', '.join(lost)}")
    print(f"{'lang':5} {'rows':>5} {'reachable':>9} {'figure':>7} {'dest':>6} {'origin':>7}")
    for lang, (rows, ok, figure, destination, origin) in sorted(totals.items()):
        print(f"{lang:5} {rows:5d} {ok / rows:9.2f} {figure / rows:7.2f} {destination / rows:6.2f} {origin / rows:7.2f}")
    print("candidate recall: " + " ".join(f"{lang} {t[1] / t[0]:.2f}" for lang, t in sorted(totals.items()) if t[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
