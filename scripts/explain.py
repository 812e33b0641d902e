"""Show what each stage read in an article, sentence by sentence, and why each row won.

    python scripts/explain.py FILE [--lang fr] [--grep WORD] [--engine rules|model]

Per sentence: the figures, the places with their cue, the movement words, and the rows. With the
learned model, each row is followed by the candidates it beat: the other places its figure was
paired with, in the same role, with their scores (the threshold is printed at the top); and each
sentence by the draft rows the row judge dropped, with its chance that they were right.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extract.documents import read_path  # noqa: E402
from extract.language import detect_language  # noqa: E402
from extract.decide import decode, load_model, score  # noqa: E402
from extract.pipeline import default_engine, read_doc, troop_pipeline  # noqa: E402
from extract.relations.words import trigger_status  # noqa: E402
from extract.rules import load_rules  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--lang")
    parser.add_argument("--grep", help="only sentences containing this text")
    parser.add_argument("--engine", choices=("rules", "model"))
    args = parser.parse_args()
    text = read_path(args.file).text
    lang = args.lang or detect_language(text).lang
    doc = troop_pipeline(lang)(text)
    rules = load_rules(lang)
    reading = read_doc(doc, lang, None)
    engine = args.engine or default_engine()
    model = load_model() if engine == "model" else None
    scores = score(reading, model) if model else None
    drafts: list = []
    rows = decode(reading, scores, model, drafts_out=drafts) if model else reading.rule_rows
    dropped = _dropped_drafts(model, drafts)
    if model:
        print(f"engine: model (destination threshold {model.destination_threshold}, origin threshold "
              f"{model.origin_threshold}, rows the row judge gives under {model.row_threshold} dropped, "
              f"rules rows kept above {model.keep_threshold})")
    else:
        print("engine: rules")
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
            if r.start is not None and sent.start_char <= r.start < sent.end_char:
                print(f"   ROW {r.origin} -> {r.destination} {r.headcount} {r.status} {r.force} "
                      f"shared={r.headcount_shared} confidence={r.confidence}")
                if scores is not None:
                    _show_rivals(reading, scores, r)
        for draft, chance in dropped:
            figure = reading.figures[draft.figure]
            if reading.sentences[figure.sentence].start == sent.start:
                print(f"   dropped by the row judge (chance {chance:.2f}): {figure.value} -> "
                      f"{draft.destination.place.name} (pair score {draft.score:.2f})")


def _dropped_drafts(model, drafts) -> list:
    """The draft rows the row judge (extract.rows) dropped, with its chance that they were right."""
    if not model or not drafts or drafts[0][2] is None:
        return []
    found, _features, chances = drafts[0]
    return [(d, float(p)) for d, p in zip(found, chances) if p < model.row_threshold]


def _show_rivals(reading, scores, row) -> None:
    """The candidates of the row's figure, best first: the row's own place and those it beat."""
    for role in ("destination", "origin"):
        ranked = sorted(((float(s), c) for c, s in zip(reading.candidates, scores)
                         if c.role == role and reading.figures[c.figure].value == row.headcount
                         and reading.sentences[reading.figures[c.figure].sentence].start_char <= row.start
                         < reading.sentences[reading.figures[c.figure].sentence].end_char),
                        key=lambda sc: -sc[0])
        seen = set()
        for s, c in ranked[:6]:
            if (c.place.name, c.place.country) in seen:
                continue
            seen.add((c.place.name, c.place.country))
            chosen = getattr(row, role) == c.place.name
            words = f"{c.mention.text!r} cue={c.mention.cue}" if c.mention else "(implied)"
            print(f"      {role:11} {'*' if chosen else ' '} {s:.2f} {c.place.name} [{c.place.country}] {words}")


if __name__ == "__main__":
    main()
