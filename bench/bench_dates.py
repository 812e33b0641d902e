"""Dates in four languages: extract.dates against dateparser on labelled expressions.

    python bench/bench_dates.py [--show] [--limit N] [--no-dateparser]

``bench/dates_cases.json`` holds date expressions taken from sentences of the development
articles (../shared/eval/dev, en and fr) and of the training corpus (corpus/incoming, de and es),
each with its sentence, the article's publication date and the date a reader says it means:

- ``unit`` "day": a calendar day ("am Mittwoch", "el pasado 13 de mayo", "yesterday");
  the answer must be that ISO date;
- ``unit`` "month": a month ("im März", "a finales de octubre", "fin juin"); the answer must
  fall in that month (``YYYY-MM`` or any day of it);
- ``unit`` "week": a week ("vergangene Woche", "la semana pasada"), labelled as published
  plus or minus seven days; the answer must fall in the same Monday-to-Sunday week;
- ``expected`` null: a sentence with no date in it (durations, "march" the noun): any
  date found there is a false alarm.

``round`` 1 cases were labelled first and the German and Spanish rules of extract.dates were
written and checked against them; round 2 cases were labelled afterwards from other articles
and measure the rules on expressions they were not tuned on (printed on their own line).

Each expression is read three ways, with the publication date as the base:

- ``extract.dates``: ``find_dates(sentence, lang, published)``, the span that overlaps the
  expression;
- ``dp.parse``: ``dateparser.parse(expression)`` on the expression alone;
- ``dp.search``: ``dateparser.search.search_dates(sentence)``, the piece that overlaps it;

dateparser with ``languages=[lang]``, ``RELATIVE_BASE`` = published and
``PREFER_DATES_FROM="past"``. Printed: accuracy per language and reading, false alarms on
the no-date sentences, the cold start (import and first call) and the time per article over
the articles of each language (all of them for extract.dates, ``--limit`` for dateparser,
whose search is slow). ``--show`` lists every wrong answer.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASES = ROOT / "bench" / "dates_cases.json"
LANGS = ("en", "fr", "de", "es")
ARTICLE_DIRS = (ROOT.parent / "shared" / "eval" / "dev", ROOT / "corpus" / "train", ROOT / "corpus" / "incoming")


def correct(predicted: str | None, case: dict) -> bool:
    if predicted is None:
        return False
    expected, unit = case["expected"], case["unit"]
    if unit == "month":
        return predicted[:7] == expected
    if len(predicted) != 10:
        return False
    if unit == "day":
        return predicted == expected
    want = dt.date.fromisoformat(expected)
    got = dt.date.fromisoformat(predicted)
    return want.isocalendar()[:2] == got.isocalendar()[:2]


def overlapping(spans: list[tuple[int, int, str]], start: int, end: int) -> str | None:
    """The answer of the span that overlaps [start, end) most, or None."""
    best, best_overlap = None, 0
    for s, e, iso in spans:
        overlap = min(e, end) - max(s, start)
        if overlap > best_overlap:
            best, best_overlap = iso, overlap
    return best


# --- the readers ------------------------------------------------------------------------

def read_extract(case: dict) -> tuple[str | None, int]:
    from extract.dates import find_dates

    spans = find_dates(case["sentence"], case["lang"], case["published"])
    if case["expression"] is None:
        return None, len(spans)
    start = case["start"]
    return overlapping(spans, start, start + len(case["expression"])), len(spans)


def _settings(published: str) -> dict:
    return {"RELATIVE_BASE": dt.datetime.fromisoformat(published), "PREFER_DATES_FROM": "past",
            "RETURN_AS_TIMEZONE_AWARE": False}


def read_dp_parse(case: dict) -> tuple[str | None, int]:
    import dateparser

    if case["expression"] is None:
        return None, 0
    found = dateparser.parse(case["expression"], languages=[case["lang"]], settings=_settings(case["published"]))
    return (found.date().isoformat() if found else None), int(found is not None)


def _search_spans(text: str, lang: str, published: str) -> list[tuple[int, int, str]]:
    from dateparser.search import search_dates

    found = search_dates(text, languages=[lang], settings=_settings(published)) or []
    spans, cursor = [], 0
    for piece, when in found:
        at = text.find(piece, cursor)
        if at < 0:
            at = text.find(piece)
        if at < 0:
            continue
        spans.append((at, at + len(piece), when.date().isoformat()))
        cursor = at + len(piece)
    return spans


def read_dp_search(case: dict) -> tuple[str | None, int]:
    spans = _search_spans(case["sentence"], case["lang"], case["published"])
    if case["expression"] is None:
        return None, len(spans)
    start = case["start"]
    return overlapping(spans, start, start + len(case["expression"])), len(spans)


READERS = {"extract.dates": read_extract, "dp.parse": read_dp_parse, "dp.search": read_dp_search}


# --- timing -----------------------------------------------------------------------------

def articles(lang: str) -> list[tuple[str, str]]:
    """(text, published) of every article of ``lang`` with a key, each id once."""
    seen, out = set(), []
    for folder in ARTICLE_DIRS:
        for key_path in sorted(folder.glob(f"{lang}-*.json")):
            if key_path.stem in seen or not key_path.with_suffix(".txt").exists():
                continue
            try:
                key = json.loads(key_path.read_text(encoding="utf-8"))
                text = key_path.with_suffix(".txt").read_text(encoding="utf-8")
            except (OSError, ValueError):
                continue   # an article being rewritten while we read
            seen.add(key_path.stem)
            out.append((text, key["published"]))
    return out


def cold_start() -> dict[str, float]:
    """Seconds to import each reader and make its first call."""
    out = {}
    t = time.perf_counter()
    from extract.dates import find_dates
    find_dates("am Mittwoch, 3. Februar 2022", "de", "2022-02-10")
    out["extract.dates"] = time.perf_counter() - t
    try:
        t = time.perf_counter()
        from dateparser.search import search_dates
        search_dates("am Mittwoch, 3. Februar 2022", languages=["de"], settings=_settings("2022-02-10"))
        out["dateparser"] = time.perf_counter() - t
    except ImportError:
        pass
    return out


def per_article_ms(lang: str, limit: int, with_dateparser: bool) -> dict[str, tuple[float, int]]:
    from extract.dates import find_dates

    docs = articles(lang)
    out = {}
    if not docs:
        return out
    times = []
    for text, published in docs:
        t = time.perf_counter()
        find_dates(text, lang, published)
        times.append(time.perf_counter() - t)
    out["extract.dates"] = (statistics.mean(times) * 1000, len(docs))
    if with_dateparser:
        times = []
        for text, published in docs[:limit]:
            t = time.perf_counter()
            _search_spans(text, lang, published)
            times.append(time.perf_counter() - t)
        out["dp.search"] = (statistics.mean(times) * 1000, len(times))
    return out


# --- main -------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", default=str(CASES))
    parser.add_argument("--show", action="store_true", help="list every wrong answer")
    parser.add_argument("--limit", type=int, default=10, help="articles per language timed with dateparser")
    parser.add_argument("--no-dateparser", action="store_true", help="measure extract.dates only")
    args = parser.parse_args(argv)

    cases = json.loads(Path(args.cases).read_text(encoding="utf-8"))
    cold = cold_start()
    with_dp = "dateparser" in cold and not args.no_dateparser
    readers = {name: fn for name, fn in READERS.items() if with_dp or name == "extract.dates"}
    if not with_dp and not args.no_dateparser:
        print("dateparser is not installed: extract.dates only (pip install dateparser to compare)")

    right = defaultdict(int)       # (reader, lang, round) -> correct answers
    total = defaultdict(int)       # (lang, round) -> labelled expressions
    alarms = defaultdict(int)      # (reader, lang) -> no-date sentences with a date found
    negatives = defaultdict(int)   # lang -> no-date sentences
    wrong = defaultdict(list)
    for case in cases:
        lang, rnd = case["lang"], case.get("round", 1)
        if case["expected"] is None:
            negatives[lang] += 1
        else:
            total[lang, rnd] += 1
        for name, read in readers.items():
            answer, found = read(case)
            if case["expected"] is None:
                if name != "dp.parse" and found:
                    alarms[name, lang] += 1
                    wrong[name].append((case, "a date in a sentence without one"))
            elif correct(answer, case):
                right[name, lang, rnd] += 1
            else:
                wrong[name].append((case, answer))

    rounds = sorted({case.get("round", 1) for case in cases})
    langs = [lang for lang in LANGS if negatives[lang] or any(total[lang, r] for r in rounds)]

    def count(table, *key_rounds):
        *key, wanted = key_rounds
        return sum(table[(*key, r)] for r in rounds if wanted is None or r == wanted)

    print(f"{len(cases)} cases: " + ", ".join(
        f"{lang} {count(total, lang, None)} + {negatives[lang]} without a date" for lang in langs))
    for wanted in [None] + (rounds if len(rounds) > 1 else []):
        print()
        title = "accuracy" if wanted is None else f"round {wanted} only"
        print(f"{title:<16}" + "".join(f"{lang:>16}" for lang in langs) + f"{'all':>16}")
        for name in readers:
            cells = []
            for lang in langs:
                n_right, n_total = count(right, name, lang, wanted), count(total, lang, wanted)
                cells.append(f"{n_right / n_total:.2f} ({n_right}/{n_total})" if n_total else "-")
            n_right = sum(count(right, name, lang, wanted) for lang in langs)
            n_total = sum(count(total, lang, wanted) for lang in langs)
            cells.append(f"{n_right / n_total:.2f} ({n_right}/{n_total})")
            print(f"{name:<16}" + "".join(f"{c:>16}" for c in cells))
    print()
    print(f"{'false alarms':<16}" + "".join(f"{lang:>16}" for lang in langs))
    for name in readers:
        if name == "dp.parse":
            continue
        print(f"{name:<16}" + "".join(f"{f'{alarms[name, lang]}/{negatives[lang]}':>16}" for lang in langs))
    print()
    print("cold start      " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in cold.items()))
    print(f"{'per article':<16}" + "".join(f"{lang:>22}" for lang in langs))
    timing = {lang: per_article_ms(lang, args.limit, with_dp) for lang in langs}
    for name in ("extract.dates", "dp.search") if with_dp else ("extract.dates",):
        cells = [f"{timing[lang][name][0]:.1f} ms (n={timing[lang][name][1]})" if name in timing[lang] else "-"
                 for lang in langs]
        print(f"{name:<16}" + "".join(f"{c:>22}" for c in cells))

    if args.show:
        for name, misses in wrong.items():
            print(f"\n--- {name}: {len(misses)} wrong")
            for case, answer in misses:
                print(f"{case['lang']} {case['source']} r{case.get('round', 1)} pub {case['published']} "
                      f"{case['expression']!r} -> {answer} (want {case['expected']} {case['unit'] or ''})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
