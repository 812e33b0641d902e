"""Extraction throughput against plain ``nlp.pipe`` of the same models on the same texts.

    python bench/bench_extract.py [--repeat 3]

Prints words/second for both, their ratio (target >= 0.7) and the warm time of one
~800-word article (target < 0.3 s, issue #12). Texts: the development articles in ../shared/eval/dev.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract import extract_deployments, extract_many  # noqa: E402
from extract.models import model_name  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "dev"


def _texts() -> dict[str, list[str]]:
    by_lang: dict[str, list[str]] = {"en": [], "fr": []}
    for path in sorted(DEV.glob("*.txt")):
        by_lang[path.name[:2]].append(path.read_text(encoding="utf-8"))
    return by_lang


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    by_lang = _texts()
    words = sum(len(t.split()) for texts in by_lang.values() for t in texts)

    plain = {lang: spacy.load(model_name(lang)) for lang in by_lang}
    extract_many(["warm-up: 2,000 soldiers were sent from Fort Bragg to Poland."], lang="en")
    extract_many(["Échauffement : 2 000 soldats envoyés de Fort Bragg vers la Pologne."], lang="fr")

    def run_plain():
        for lang, texts in by_lang.items():
            list(plain[lang].pipe(texts))

    def run_ours():
        for lang, texts in by_lang.items():
            extract_many(texts, lang=lang)

    t_plain = _best(run_plain, args.repeat)
    t_ours = _best(run_ours, args.repeat)
    ratio = t_plain / t_ours
    print(f"articles: {sum(map(len, by_lang.values()))}, words: {words}")
    print(f"plain nlp.pipe : {words / t_plain:8.0f} words/s ({t_plain:.2f} s)")
    print(f"extract_many   : {words / t_ours:8.0f} words/s ({t_ours:.2f} s)")
    print(f"ratio          : {ratio:.2f} (target >= 0.7) {'OK' if ratio >= 0.7 else 'BELOW TARGET'}")

    article = " ".join((DEV / "en-11.txt").read_text(encoding="utf-8").split()[:800])
    singles = []
    for _ in range(5):
        start = time.perf_counter()
        extract_deployments(article, lang="en")
        singles.append(time.perf_counter() - start)
    warm = statistics.median(singles)
    print(f"one 800-word article, warm: {warm * 1000:.0f} ms (target < 300 ms) {'OK' if warm < 0.3 else 'SLOW'}")


if __name__ == "__main__":
    main()
