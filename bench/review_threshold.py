"""How right the rows are at each confidence: the evidence for the review threshold.

    python bench/review_threshold.py [--keys corpus/train] [--engine rules|model] [--limit 200]

For every predicted row (with a destination) of the articles under --keys, whether it matches a
key row (triple: origin, destination and headcount, by ../shared/eval/score.py's rules), grouped by
the row's confidence. The review queue (extract/settings.py) holds the rows under the threshold: the
buckets where a row is more often wrong than right. Run on corpus/train (or the dev set), never on a
blind set.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.decide import decode, load_model, score  # noqa: E402
from extract.train import load_articles, read_articles, scorer, subset  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=Path, default=ROOT / "corpus" / "train")
    parser.add_argument("--engine", choices=("rules", "model"), default="model")
    parser.add_argument("--fraction", type=float, default=0.25, help="share of the articles (fixed by id)")
    args = parser.parse_args()
    sm = scorer()
    articles = subset(load_articles([args.keys]), args.fraction)
    readings = read_articles(articles)
    model = load_model() if args.engine == "model" else None
    buckets: dict[float, list[int]] = defaultdict(lambda: [0, 0])  # confidence -> [right, rows]
    for reading, article in zip(readings, articles):
        rows = decode(reading, score(reading, model), model) if model else reading.rule_rows
        keys = article.key.get("deployments", [])
        for row in rows:
            pred = row.to_dict()
            if not pred.get("destination"):
                continue
            right = any(sm.row_match(pred, key, "triple") for key in keys)
            bucket = round(float(row.confidence) // 0.1 * 0.1, 1)
            buckets[bucket][0] += int(right)
            buckets[bucket][1] += 1
    print(f"{len(articles)} articles of {args.keys}, engine {args.engine}")
    print("confidence   rows   right   share right   cumulative rows under")
    under = 0
    for bucket in sorted(buckets):
        right, rows = buckets[bucket]
        under += rows
        print(f"{bucket:.1f}–{bucket + 0.1:.1f}   {rows:5d}   {right:5d}   {right / rows:10.2f}   {under:6d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
