"""Does extraction grow linearly with the text? Hostile inputs at two sizes, and the ratio of times.

    python bench/bench_growth.py

One sentence listing N figures ("100 soldiers, 101 soldiers, ...") and a paragraph repeating the same
four place names N times, each read at N and 2N. A ratio near 2 is linear; near 4 is quadratic (both
were quadratic before: a clause's force and a figure's "there" were worked out again for every figure,
and every sentence scanned the whole article's places), and N sentences that each send a figure
somewhere (the row judge's comparisons of each draft with the others were quadratic at first).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract import extract_deployments  # noqa: E402

INPUTS = {
    "figures in one sentence": lambda n: "Troops: " + ", ".join(f"{i} soldiers" for i in range(100, 100 + n))
    + " were sent to Poland.",
    "repeated place names": lambda n: " ".join(["Poland, Germany, Romania and Lithuania."] * n),
    # every figure a draft row: the row judge compares each with the others
    "one movement per sentence": lambda n: " ".join(f"{100 + i} soldiers were sent to Poland." for i in range(n)),
}


def seconds(text: str) -> float:
    started = time.perf_counter()
    extract_deployments(text, lang="en", engine="rules")
    return time.perf_counter() - started


def main() -> None:
    extract_deployments("Warm-up: 300 soldiers were sent to Poland.", lang="en")
    for name, make in INPUTS.items():
        n = 2000
        small, large = seconds(make(n)), seconds(make(2 * n))
        print(f"{name:26} N={n}: {small:6.2f} s   2N: {large:6.2f} s   ratio {large / small:4.1f}")


if __name__ == "__main__":
    main()
