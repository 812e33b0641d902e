"""Show what each stage read in an article, sentence by sentence (a debugging aid).

    python scripts/explain.py FILE [--lang fr] [--grep WORD]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.documents import read_path  # noqa: E402
from extract.language import detect_language  # noqa: E402
from extract.pipeline import _rows_from_doc, troop_pipeline  # noqa: E402
from extract.relations.words import trigger_status  # noqa: E402
from extract.rules import load_rules  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--lang")
    parser.add_argument("--grep", help="only sentences containing this text")
    args = parser.parse_args()
    text = read_path(args.file).text
    lang = args.lang or detect_language(text).lang
    doc = troop_pipeline(lang)(text)
    rules = load_rules(lang)
    rows = _rows_from_doc(doc, lang, None, 0)
    for sent in doc.sents:
        if args.grep and args.grep not in sent.text:
            continue
        print("\n#", sent.text.strip()[:300])
        for h in doc._.headcounts:
            if sent.start <= h.token_start < sent.end:
                print(f"   count {h.text!r} value={h.value} noun={h.noun} anaphoric={h.anaphoric}")
        for p in doc._.places:
            if sent.start <= p.token_start < sent.end:
                print(f"   place {p.text!r} -> {p.place.name} [{p.place.kind} {p.place.country}] cue={p.cue} ({p.cue_word})")
        trig = [t.text for t in sent if trigger_status(t, rules)]
        if trig:
            print("   triggers", trig)
        for r in rows:
            if sent.start_char <= r.start < sent.end_char:
                print(f"   ROW {r.origin} -> {r.destination} {r.headcount} {r.status} {r.force} shared={r.headcount_shared}")


if __name__ == "__main__":
    main()
