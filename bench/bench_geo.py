"""Gazetteer speed: cold load in a fresh process, then look-ups per second. Not a test.

    python bench/bench_geo.py [--rounds 20000]

Targets (issue 3): cold load under 1.5 s, at least 10,000 look-ups per second.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COLD_TARGET_S = 1.5
LOOKUP_TARGET_PER_S = 10_000

COLD = """
import json, resource, time
started = time.perf_counter()
from extract.geo import resolve
resolve("Poland")
cold = time.perf_counter() - started
rss_main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
resolve("Rūdninkų Giria Nowhere")          # unknown: also loads the small-town tier
small = time.perf_counter() - started
rss_all = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"cold": cold, "small": small, "rss_main": rss_main, "rss_all": rss_all}))
"""

NAMES = ["Poland", "la Pologne", "Varsovie", "Fort Bragg", "Fort Liberty", "Georgia", "Géorgie",
         "the Baltic states", "États-Unis", "aux États-Unis", "the U.S.", "Bucarest", "Rukla", "Tapa",
         "Camp Adazi", "Vilseck", "Mihail Kogalniceanu air base", "south-eastern Poland",
         "frontière polono-biélorusse", "Kursk region", "région de Koursk", "Donbas", "Middle East",
         "Niamey", "Gao", "Vilnius", "Riga", "Brest", "Paris", "Tripoli", "Edmonton", "Sahel",
         "Base aérienne 104 d'Al Dhafra", "Helmand province", "Xinjiang", "Caroline du Nord",
         "nord de Mossoul", "the North Carolina base", "Kyiv", "Kiev"]


def cold_load() -> dict:
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", COLD], cwd=REPO, capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout))
    return min(runs, key=lambda r: r["cold"])


def lookups_per_second(rounds: int, context: str | None, cached: bool) -> float:
    from extract.geo import resolve
    from extract.geo.resolve import resolve as inner
    for name in NAMES:                       # warm: tables loaded, context read once
        resolve(name, context=context)
    started = time.perf_counter()
    for i in range(rounds):
        if not cached:
            inner.cache_clear()              # every look-up does the full work again
        resolve(NAMES[i % len(NAMES)], context=context)
    return rounds / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20_000)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))

    cold = cold_load()
    flag = lambda ok: "ok" if ok else "MISSED"  # noqa: E731
    print(f"cold load (import + first resolve, fresh process): {cold['cold']:.2f} s "
          f"(target < {COLD_TARGET_S} s) {flag(cold['cold'] < COLD_TARGET_S)}")
    print(f"small-town tier loaded on first unknown name: +{cold['small']:.2f} s")
    print(f"peak memory: {cold['rss_main']:.0f} MB after cold load, {cold['rss_all']:.0f} MB with small towns")

    article = (REPO.parent / "shared" / "eval" / "dev" / "en-04.txt")
    context = article.read_text(encoding="utf-8") if article.exists() else " ".join(NAMES)
    for label, ctx, cached in (("mixed names, no context, cached", None, True),
                               ("mixed names, article context, cached", context, True),
                               ("mixed names, no context, uncached", None, False),
                               ("mixed names, article context, uncached", context, False)):
        rate = lookups_per_second(args.rounds if cached else args.rounds // 10, ctx, cached)
        print(f"{label:42s} {rate:>10,.0f} look-ups/s (target >= {LOOKUP_TARGET_PER_S:,}) "
              f"{flag(rate >= LOOKUP_TARGET_PER_S) if cached else '(cache off: worst case)'}")


if __name__ == "__main__":
    main()
