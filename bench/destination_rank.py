"""How often a figure's best-scored destination is a right place, per language, out of fold.

    python bench/destination_rank.py          # the training articles (about 5 minutes on 2 cores)

Scores every candidate of the training articles with a model that did not see the article (the
5-fold out-of-fold scores ``python -m extract.train`` chooses its thresholds on), then, for each
figure with a destination labelled right (a key row's figure and place), looks at its destination
candidates in score order:

  right place first       the best-scored place is one the scorer accepts for a key row
  wrong place first       another place scores highest, over 0.15
  every place under 0.15  the figure is not seen as a movement at all

and, where a wrong place comes first, whether the right one is in the figure's own sentence. It
reads answer keys: run it on training articles, never on ``bench/blind2`` or ``bench/blind3``.
"""
from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.candidates import DESTINATION, sentence_of  # noqa: E402
from extract.features import BLOCKS  # noqa: E402
from extract.train import (SNIPPET_MARK, TRAIN_DIRS, evidence_snippets, load_articles, out_of_fold,  # noqa: E402
                           read_articles, scorer)

FLOOR = 0.15  # about the destination threshold decoding uses (0.15-0.2)


def main() -> int:
    score_module = scorer()
    articles = load_articles(TRAIN_DIRS)
    readings = read_articles(articles)
    snippets = evidence_snippets(readings, articles)   # in training's folds, as when the model trains
    readings += read_articles(snippets)
    articles += snippets
    oof, all_labels = out_of_fold(readings, articles, tuple(BLOCKS), score_module)
    counts: dict[str, Counter] = defaultdict(Counter)
    for reading, article, scores, labels in zip(readings, articles, oof, all_labels):
        if SNIPPET_MARK in article.id:
            continue
        by_figure = defaultdict(list)
        for candidate, label, value in zip(reading.candidates, labels, scores):
            if candidate.role == DESTINATION:
                by_figure[candidate.figure].append((value, label, candidate))
        for figure, options in by_figure.items():
            if not any(label == 1 for _v, label, _c in options):
                continue
            options.sort(key=lambda option: -option[0])
            best_value, best_label, _best = options[0]
            found = counts[reading.lang]
            if best_label != 0:                      # 1, or None: a place the scorer also accepts
                found["right place first"] += 1
            elif best_value < FLOOR:
                found["every place under 0.15"] += 1
            else:
                found["wrong place first"] += 1
                right = next(c for _v, label, c in options if label == 1)
                here = right.sentence == sentence_of(reading.sentences, reading.figures[figure].anchor)
                found["  the right one in the figure's sentence" if here else "  the right one elsewhere"] += 1
    classes = ["right place first", "wrong place first", "  the right one in the figure's sentence",
               "  the right one elsewhere", "every place under 0.15"]
    langs = sorted(counts)
    print("| figures with a right destination | " + " | ".join(langs) + " |")
    print("|---" * (len(langs) + 1) + "|")
    for name in classes:
        print(f"| {name} | " + " | ".join(str(counts[lang][name]) for lang in langs) + " |")
    totals = {lang: sum(counts[lang][c] for c in ("right place first", "wrong place first", "every place under 0.15"))
              for lang in langs}
    print("| share right first | " + " | ".join(f"{counts[lang]['right place first'] / totals[lang]:.2f}"
                                               for lang in langs) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
