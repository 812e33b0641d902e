"""What each part of the learned decision buys, and whether more data would help.

    python bench/learning_curve.py [--json bench/learning_curve.json]

Reads the training articles, corpus/valid and bench/blind2 once, then fits the decision
(extract.train.fit_model) several times and scores each fit on corpus/valid and bench/blind2:

- ablation: the rules alone; the model without the rules' verdicts as features; the model with
  them; the model deciding alone (no rules rows kept); each feature block left out in turn;
- learning curve: the full model trained on 10 %, 25 %, 50 % and 100 % of the training articles.

Prints triple F1 per set and language. bench/blind2 is scored, never read: only its totals print.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.features import BLOCKS  # noqa: E402
from extract.train import TRAIN_DIRS, VALID_DIR, fit_model, load_articles, read_articles, report, subset  # noqa: E402

SETS = {"valid": VALID_DIR, "blind2": ROOT / "bench" / "blind2"}


def f1s(scored: dict) -> dict:
    return {lang: levels["triple"]["f1"] for lang, levels in scored.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--quick", action="store_true", help="only rules / without rules / full / curve")
    args = parser.parse_args()
    started = time.perf_counter()
    train_articles = load_articles(TRAIN_DIRS)
    train_readings = read_articles(train_articles)
    sets = {}
    for name, folder in SETS.items():
        articles = load_articles([folder])
        sets[name] = (read_articles(articles), articles)
    results = {}
    configs = [("model, rules as features", tuple(BLOCKS), False, 1.0),
               ("model without the rules' verdicts", tuple(b for b in BLOCKS if b != "rules"), False, 1.0),
               ("hybrid (rules' rows kept unless rejected)", tuple(BLOCKS), True, 1.0)]
    if not args.quick:
        configs += [(f"without {block}", tuple(b for b in BLOCKS if b != block), False, 1.0)
                    for block in BLOCKS if block not in ("rules", "role")]
    configs += [(f"trained on {int(f * 100)} %", tuple(BLOCKS), False, f) for f in (0.1, 0.25, 0.5)]
    first = True
    for label, blocks, hybrid, fraction in configs:
        chosen = subset(train_articles, fraction)
        keep = {a.id for a in chosen}
        readings = [r for r, a in zip(train_readings, train_articles) if a.id in keep]
        model = fit_model(readings, chosen, blocks, hybrid, log=lambda *_: None)
        row = {}
        for name, (set_readings, set_articles) in sets.items():
            scored = report(model, set_readings, set_articles)
            row[name] = f1s(scored["model"])
            row[f"{name} ece"] = scored["ece"]
            if first:
                results.setdefault("rules only", {})[name] = f1s(scored["rules_only"])
        first = False
        row["training articles"] = len(chosen)
        results[label] = row
        print(f"{label:40} valid {row['valid'].get('all', 0):.3f}  blind2 {row['blind2'].get('all', 0):.3f}  "
              f"({len(chosen)} articles)", flush=True)
    print(f"rules only{'':30} valid {results['rules only']['valid'].get('all', 0):.3f}  "
          f"blind2 {results['rules only']['blind2'].get('all', 0):.3f}")
    print(f"{time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
