"""How long reading a document, detecting its language and finding its dates take.

    python bench/bench_reading.py [--repeat N]

Prints, for every file of ../shared/eval/formats, the first read in this process (which
includes importing trafilatura, pypdf or python-docx) and the median of N warm reads;
then language detection and date finding per dev article, warm.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(ROOT))

from extract.dates import find_dates  # noqa: E402
from extract.documents import read_path  # noqa: E402
from extract.language import detect_language  # noqa: E402


def _ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    print(f"{'file':<20} {'format':<6} {'bytes':>8} {'first ms':>9} {'warm ms':>8} {'chars':>6}")
    for entry in json.loads((EVAL / "formats" / "manifest.json").read_text(encoding="utf-8")):
        path = EVAL / "formats" / entry["file"]
        first = _ms(lambda: read_path(path), 1)
        warm = _ms(lambda: read_path(path), args.repeat)
        document = read_path(path)
        print(f"{entry['file']:<20} {document.format:<6} {path.stat().st_size:>8} "
              f"{first:>9.1f} {warm:>8.1f} {len(document.text):>6}")

    articles = [(path.read_text(encoding="utf-8"), json.loads(path.with_suffix(".json").read_text()))
                for path in sorted((EVAL / "dev").glob("*.txt"))]
    first = _ms(lambda: detect_language(articles[0][0]), 1)
    detect = statistics.mean(_ms(lambda: detect_language(text), args.repeat) for text, _ in articles)
    dates = statistics.mean(_ms(lambda: find_dates(text, key["lang"], key["published"]), args.repeat)
                            for text, key in articles)
    mean_chars = statistics.mean(len(text) for text, _ in articles)
    print(f"\n{len(articles)} dev articles, {mean_chars:.0f} characters on average")
    print(f"detect_language: first call {first:.1f} ms, then {detect:.2f} ms per article")
    print(f"find_dates:      {dates:.2f} ms per article")


if __name__ == "__main__":
    main()
