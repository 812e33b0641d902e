"""The ceiling of the learned decision: triple F1 when every candidate is scored by its training
label (1 right, 0 wrong), so only the candidates and the decoding can lose rows.

    python bench/decision_ceiling.py                     # corpus/valid
    python bench/decision_ceiling.py --keys corpus/train

It reads answer keys, so never point it at bench/blind2 or bench/blind3. A gap between this ceiling
and the model's score is the model's; the gap between the ceiling and 1.0 belongs to the reading
stages (a figure or a place not read, or outside the candidate window) and to the decoding.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.candidates import label_candidates  # noqa: E402
from extract.decide import DeciderModel  # noqa: E402
from extract.train import VALID_DIR, evaluate, load_articles, predictions, read_articles, scorer  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=Path, default=VALID_DIR)
    args = parser.parse_args()
    if "blind" in args.keys.name:
        parser.error("blind sets are scored, never read")
    score_module = scorer()
    articles = load_articles([args.keys])
    readings = read_articles(articles)
    perfect = [np.array([1.0 if label else 0.0 for label in
                         label_candidates(r, a.key.get("deployments", []), score_module.place_match)])
               for r, a in zip(readings, articles)]
    decoder = DeciderModel(None, [], (), 0.5, 0.5, ([], []), {}, None, 0.5)
    report = evaluate(predictions(readings, perfect, decoder), articles, score_module)
    for lang, levels in report.items():
        t = levels["triple"]
        print(f"{lang:4} ceiling triple P/R/F1 {t['p']:.3f}/{t['r']:.3f}/{t['f1']:.3f}  ({t['n_req']} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
