"""How well the numbers stage finds the headcounts the answer keys use.

    python bench/numbers_recall.py [--show] [EVAL_DIR]

For every article of ../shared/eval/dev (and the seed article) it runs
extract.numbers.find_headcounts and prints:

* recall: key headcounts (the non-null "headcount" of the key rows, required and
  optional) whose value some returned Headcount carries (value or range high);
* unmatched: returned Headcounts whose value is in no key row of that article, a
  rough false-positive signal (many are real personnel figures the keys do not use:
  garrison sizes, casualties, breakdowns). --show lists them with their text.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.models import load_pipeline  # noqa: E402
from extract.numbers import find_headcounts  # noqa: E402


def articles(eval_dir: Path):
    for key_path in sorted((eval_dir / "dev").glob("*.json")) + [eval_dir / "seed" / "seed-fr.json"]:
        key = json.loads(key_path.read_text(encoding="utf-8"))
        text = key_path.with_suffix(".txt").read_text(encoding="utf-8")
        lang = key.get("lang") or key_path.stem[:2]
        yield key_path.stem, lang, text, key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("eval_dir", nargs="?", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--show", action="store_true", help="list misses and unmatched figures")
    args = parser.parse_args()
    totals = {lang: {"keys": 0, "found": 0, "required": 0, "required_found": 0, "returned": 0,
                     "unmatched": 0, "vague": 0} for lang in ("en", "fr")}
    seconds = 0.0
    for name, lang, text, key in articles(Path(args.eval_dir)):
        doc = load_pipeline(lang)(text)
        started = time.perf_counter()
        counts = find_headcounts(doc, lang)
        seconds += time.perf_counter() - started
        values = {c.value for c in counts} | {c.high for c in counts if c.high}
        key_values = {row["headcount"] for row in key["deployments"] if row.get("headcount") is not None}
        required = {row["headcount"] for row in key["deployments"]
                    if row.get("headcount") is not None and row.get("required", True)}
        total = totals[lang]
        total["keys"] += len(key_values)
        total["found"] += len(key_values & values)
        total["required"] += len(required)
        total["required_found"] += len(required & values)
        total["returned"] += len(counts)
        unmatched = [c for c in counts if c.value is not None and c.value not in key_values
                     and (c.high is None or c.high not in key_values)]
        total["unmatched"] += len(unmatched)
        total["vague"] += sum(c.value is None for c in counts)
        if args.show:
            missed = sorted(key_values - values)
            if missed:
                print(f"{name}: MISSED {missed}")
            for c in unmatched:
                print(f"{name}:   unmatched {c.value!r:>8} {c.qualifier:<11} noun={c.noun!r} "
                      f"text={c.text!r} ctx={text[max(0, c.start - 30):c.end + 30]!r}")
    print(f"{'lang':<5}{'key values':>11}{'found':>7}{'recall':>8}{'req. recall':>12}"
          f"{'returned':>9}{'unmatched':>10}{'vague':>6}")
    for lang, t in totals.items():
        print(f"{lang:<5}{t['keys']:>11}{t['found']:>7}{t['found'] / max(t['keys'], 1):>8.3f}"
              f"{t['required_found'] / max(t['required'], 1):>12.3f}{t['returned']:>9}{t['unmatched']:>10}{t['vague']:>6}")
    keys = sum(t["keys"] for t in totals.values())
    found = sum(t["found"] for t in totals.values())
    print(f"all  {keys:>11}{found:>7}{found / keys:>8.3f}   unmatched "
          f"{sum(t['unmatched'] for t in totals.values())} of {sum(t['returned'] for t in totals.values())} returned;"
          f" find_headcounts {seconds * 1000:.0f} ms over all articles")


if __name__ == "__main__":
    main()
