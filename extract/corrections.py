"""Export what analysts checked as corpus files, so the learned decision can learn from them.

    python -m extract.corrections --db sqlite:///data/troopmap.db --out corrections/
    python -m extract.train --train corpus/train ../shared/eval/dev bench/heldout bench/blind corrections/

Writes, per article a person has checked (a verdict on the Review page, or a row edited, added or
deleted on Home), ``ID.txt`` (the article) and ``ID.json`` (its key, in the format of
``../shared/eval/README.md``, like ``corpus/train``). ID is ``review-`` and the start of the
article's content hash, so exporting again overwrites the same files. In the key:

- rows a person accepted, fixed, edited or added are ``required``: the truth;
- rows nobody checked yet are kept with ``required: false``: the machine's guess, which training
  neither rewards nor penalises (``extract.candidates.label_candidates`` leaves them out);
- rows a person rejected or deleted are left out, so their pairing becomes a negative example.

``--checked-only`` exports only articles with no unchecked row left. A row the key format cannot
hold (no destination, a place without coordinates) is skipped and named on stderr.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pandas as pd

from extract.schema import STATUSES

KEY_KINDS = ("country", "region", "city", "base")
CONFIRMED = ("accepted", "fixed")


@dataclass
class ExportReport:
    articles: list[str] = field(default_factory=list)     # ids written
    confirmed_rows: int = 0
    unchecked_rows: int = 0
    skipped: list[str] = field(default_factory=list)      # why a row or article was left out


def _value(value):
    if value is None:
        return None
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):
        return value


def _key_place(row: dict, side: str) -> Optional[dict]:
    name, lat, lon = _value(row.get(side)), _value(row.get(f"{side}_lat")), _value(row.get(f"{side}_lon"))
    if name is None and lat is None:
        return None
    if lat is None or lon is None:
        raise ValueError(f"its {side} {name!r} has no coordinates")
    country = _value(row.get(f"{side}_country"))
    kind = _value(row.get(f"{side}_kind"))
    # The key has no "state": a state is a region inside its country.
    kind = "region" if kind == "state" or (kind not in KEY_KINDS and country is None) else kind
    kind = kind if kind in KEY_KINDS else "city"
    return {"name": str(name or f"{lat:.3f}, {lon:.3f}"), "country": country, "lat": round(float(lat), 4),
            "lon": round(float(lon), 4), "kind": kind}


def _evidence(row: dict, text: str) -> str:
    """The row's evidence when the article holds it, else the words at its offsets, else the first line
    (a row typed by hand has "added by hand"; the key wants words of the article)."""
    evidence = _value(row.get("evidence"))
    if evidence and " ".join(str(evidence).split()) in " ".join(text.split()):
        return str(evidence)
    start, end = _value(row.get("start")), _value(row.get("end"))
    if start is not None and end is not None and 0 <= int(start) < int(end) <= len(text):
        return text[int(start):int(end)].strip()
    return next((line.strip() for line in text.splitlines() if line.strip()), text[:200])


def key_row(row: dict, text: str, required: bool) -> dict:
    """One stored row as a row of an answer key (raises ValueError when the key cannot hold it)."""
    destination = _key_place(row, "destination")
    if destination is None:
        raise ValueError("it has no destination")
    headcount = _value(row.get("headcount"))
    status = _value(row.get("status"))
    status = status if status in STATUSES else "other"
    return {
        "origin": _key_place(row, "origin"),
        "destination": destination,
        "headcount": int(headcount) if headcount else None,
        "shared": bool(_value(row.get("headcount_shared")) or False),
        "status": status,
        "force": _value(row.get("force")),
        # An alert is never a required row of the key format.
        "required": bool(required and status != "alert"),
        "evidence": _evidence(row, text),
    }


def export(storage, out: Path, checked_only: bool = False) -> ExportReport:
    """Write every checked article of ``storage`` (a storage.Storage) to ``out``; see the module doc."""
    from extract.language import detect_language

    out.mkdir(parents=True, exist_ok=True)
    report = ExportReport()
    checked = set(storage.checked_articles())
    articles = storage.articles()
    for article_row in articles[articles["id"].isin(checked)].itertuples():
        article = storage.article(int(article_row.id))
        text = article["text"]
        rows = storage.deployments([int(article_row.id)]).to_dict("records")
        confirmed = [r for r in rows if r.get("review") in CONFIRMED or bool(_value(r.get("edited")))
                     or bool(_value(r.get("human_added")))]
        confirmed_ids = {r["id"] for r in confirmed}
        unchecked = [r for r in rows if r["id"] not in confirmed_ids]
        name = f"review-{article['content_hash'][:12]}"
        if checked_only and unchecked:
            report.skipped.append(f"{name}: {len(unchecked)} row(s) not checked yet (--checked-only)")
            continue
        key_rows = []
        for required, group in ((True, confirmed), (False, unchecked)):
            for row in group:
                try:
                    key_rows.append(key_row(row, text, required))
                except ValueError as why:
                    report.skipped.append(f"{name}: row {row['id']} left out: {why}")
                    continue
                if required:
                    report.confirmed_rows += 1
                else:
                    report.unchecked_rows += 1
        lang = _value(article.get("lang"))
        lang = lang if lang in ("en", "fr", "de", "es") else detect_language(text).lang
        published = _value(article.get("published"))
        published = str(published)[:10] if published else pd.Timestamp(article["added_at"]).date().isoformat()
        key = {"id": name, "lang": lang, "published": published, "title": article.get("title"),
               "source": "troopmap review", "deployments": key_rows}
        (out / f"{name}.txt").write_text(text, encoding="utf-8")
        (out / f"{name}.json").write_text(json.dumps(key, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        report.articles.append(name)
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.corrections", description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="SQLAlchemy URL of the library (default: TROOPMAP_DB, else data/troopmap.db)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write ID.txt and ID.json into")
    parser.add_argument("--checked-only", action="store_true",
                        help="only articles whose every row a person has checked")
    args = parser.parse_args(argv)
    from storage import Storage, StorageError
    try:
        with Storage(args.db) as storage:
            report = export(storage, args.out, checked_only=args.checked_only)
    except (StorageError, OSError) as error:
        print(f"python -m extract.corrections: {error}", file=sys.stderr)
        return 1
    for why in report.skipped:
        print(f"skipped {why}", file=sys.stderr)
    print(f"{len(report.articles)} article(s) written to {args.out}: {report.confirmed_rows} row(s) checked by a "
          f"person (required), {report.unchecked_rows} not checked yet (optional)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
