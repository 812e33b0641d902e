"""Set the thousands separators of some French articles as French typography does on the web.

    python corpus/tools/typography.py

Writers typed French figures with a plain space ("3 000"); French web pages set them with a
no-break space (U+00A0) or a narrow no-break space (U+202F), and the extractor must read all three.
This one-off step, run once before the split, rewrote the plain-space separators of 24 French
articles as U+00A0 and of 18 others as U+202F, chosen by a fixed rule (SHA-256 of the article id),
skipping articles of the agreement sample. Keys are unchanged but for their `meta.figures` tags:
evidence is compared with separators normalised (corpus/tools/check_keys.py).
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1]
PLAIN = re.compile(r"\b(\d{1,3}) (?=\d{3}\b)")
COUNTS = {"\u00a0": ("nbsp", 24), "\u202f": ("nnbsp", 18)}


def main() -> int:
    if (CORPUS / "train").exists():
        print("typography was applied once, before the split; it is not to be run again")
        return 1
    sample = {i for ids in json.loads((CORPUS / "agreement" / "sample.json").read_text()).values() for i in ids}
    candidates = []
    for text_path in sorted((CORPUS / "incoming").glob("fr-*.txt")):
        text = text_path.read_text(encoding="utf-8")
        if text_path.stem in sample or "\u00a0" in text or "\u202f" in text or not PLAIN.search(text):
            continue
        candidates.append(text_path)
    candidates.sort(key=lambda p: hashlib.sha256(("typography:" + p.stem).encode()).hexdigest())
    start = 0
    for separator, (tag, count) in COUNTS.items():
        for text_path in candidates[start:start + count]:
            text = text_path.read_text(encoding="utf-8")
            text = PLAIN.sub(lambda m: m.group(1) + separator, text)  # "1 200 000": both in one pass
            text_path.write_text(text, encoding="utf-8")
            key_path = text_path.with_suffix(".json")
            key = json.loads(key_path.read_text(encoding="utf-8"))
            figures = [f for f in key.get("meta", {}).get("figures", []) if f != "space"] + [tag]
            key.setdefault("meta", {})["figures"] = sorted(set(figures))
            key_path.write_text(json.dumps(key, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            print(f"{text_path.stem}: {tag}")
        start += count
    return 0


if __name__ == "__main__":
    sys.exit(main())
