"""The ceiling of the learned decision, and which part of it the model loses.

    python bench/decision_ceiling.py                     # corpus/valid
    python bench/decision_ceiling.py --keys corpus/train

Triple F1 when candidates are scored by their training label (1 right, 0 wrong) instead of the
model, in whole or in part:

- ceiling: every candidate by its label, so only the candidates and the decoding lose rows;
- the committed model, then the model with one decision made perfect: the destinations (which
  figure moved, and where), the origins, which figures moved (the model still picks the place).

It reads answer keys, so never point it at bench/blind2 or bench/blind3. The gap between the ceiling
and 1.0 belongs to the reading stages (a figure or a place not read, or outside the candidate window)
and to the decoding; each partial row says how much a perfect version of that one decision would buy.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.candidates import DESTINATION, ORIGIN, label_candidates  # noqa: E402
from extract.decide import DeciderModel, load_model, score  # noqa: E402
from extract.train import VALID_DIR, evaluate, load_articles, predictions, read_articles, scorer  # noqa: E402


def _label_score(label) -> float:
    return 1.0 if label == 1 else (0.5 if label is None else 0.0)


def with_perfect(reading, scores, labels, roles=(), figures=False) -> np.ndarray:
    """The model's scores with the candidates of ``roles`` scored by their labels; ``figures``: a
    figure with no right destination gets no destination, one with a right destination keeps the
    model's choice of place (raised over every threshold)."""
    out = np.array(scores, dtype=float)
    for i, (c, label) in enumerate(zip(reading.candidates, labels)):
        if c.role in roles:
            out[i] = _label_score(label)
    if figures:
        moved = {c.figure for c, label in zip(reading.candidates, labels) if c.role == DESTINATION and label == 1}
        by_figure: dict[int, list[int]] = {}
        for i, c in enumerate(reading.candidates):
            if c.role == DESTINATION:
                by_figure.setdefault(c.figure, []).append(i)
        for figure, indices in by_figure.items():
            if figure in moved:
                best = max(indices, key=lambda i: out[i])
                out[best] = max(out[best], 0.99)
            else:
                out[indices] = 0.0
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=Path, default=VALID_DIR)
    args = parser.parse_args()
    if "blind" in args.keys.name:
        parser.error("blind sets are scored, never read")
    score_module = scorer()
    articles = load_articles([args.keys])
    readings = read_articles(articles)
    labels = [label_candidates(r, a.key.get("deployments", []), score_module.place_match)
              for r, a in zip(readings, articles)]
    ceiling_decoder = DeciderModel(None, [], (), 0.5, 0.5, ([], []), {}, None, 0.5)
    runs = {"ceiling (every candidate by its label)":
            (ceiling_decoder, [np.array([_label_score(x) if x == 1 else 0.0 for x in ls]) for ls in labels])}
    model = load_model()
    if model is not None:
        scores = [score(r, model) for r in readings]
        runs["committed model"] = (model, scores)
        for name, kwargs in (("model, perfect destinations", {"roles": (DESTINATION,)}),
                             ("model, perfect origins", {"roles": (ORIGIN,)}),
                             ("model, perfect choice of which figures moved", {"figures": True})):
            runs[name] = (model, [with_perfect(r, s, ls, **kwargs) for r, s, ls in zip(readings, scores, labels)])
    for name, (decoder, scored) in runs.items():
        report = evaluate(predictions(readings, scored, decoder), articles, score_module)
        t = report["all"]["triple"]
        per_lang = "  ".join(f"{lang} {levels['triple']['f1']:.3f}" for lang, levels in report.items() if lang != "all")
        print(f"{name:48} triple P/R/F1 {t['p']:.3f}/{t['r']:.3f}/{t['f1']:.3f}   {per_lang}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
