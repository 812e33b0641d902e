"""Command line: ``python -m extract --format json|csv [--lang fr] [--db URL] FILE...``

Prints one JSON array (or one CSV table) of the deployments of every FILE; ``-`` reads
standard input. A file that cannot be read gets one line on stderr naming it and the
reason, the others are still processed, and the exit status is then 1.
"""
from __future__ import annotations

import argparse
import json
import math
import sys

import pandas as pd

from extract.documents import Document, DocumentError, read_document, read_path
from extract.pipeline import EXTRACTOR_VERSION, extract_many
from extract.schema import COLUMNS, CONTRACT_COLUMNS


def _read(name: str) -> Document:
    if name == "-":
        return read_document(sys.stdin.buffer.read(), "<stdin>")
    return read_path(name)


def _json_value(value):
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy / pandas scalars
        return value.item()
    return value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", metavar="FILE", help="article files (txt, md, html, pdf, docx) or - for stdin")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument("--lang", help="read every file in this language instead of detecting it (en, fr, de, es)")
    parser.add_argument("--published", help="publication date (YYYY-MM-DD) to resolve 'on Tuesday' and 'last week'")
    parser.add_argument("--db", metavar="URL", help="also store articles and rows in this database (SQLAlchemy URL)")
    parser.add_argument("--engine", choices=("model", "rules"),
                        help="who decides the rows: the trained model (default) or the hand-written rules")
    args = parser.parse_args(argv)

    documents: list[tuple[str, Document]] = []
    failed = False
    for name in args.files:
        try:
            documents.append((name, _read(name)))
        except (DocumentError, OSError) as error:
            print(f"{name}: {error}", file=sys.stderr)
            failed = True

    frames = extract_many(
        [doc.text for _n, doc in documents],
        lang=args.lang,
        published=[args.published or doc.published for _n, doc in documents],
        engine=args.engine,
    )
    for (name, _doc), frame in zip(documents, frames):
        frame["source"] = name
        for note in frame.attrs.get("warnings", []):
            print(f"{name}: warning: {note}", file=sys.stderr)

    if args.db:
        from extract.settings import review_threshold
        from storage import Storage, StorageError  # only the CLI's --db needs the storage layer
        try:
            store = Storage(args.db)
            for (name, doc), frame in zip(documents, frames):
                store.ingest(doc.text, deployments=frame, title=doc.title, source=name,
                             lang=frame["lang"].dropna().iloc[0] if frame["lang"].notna().any() else None,
                             published=args.published or doc.published, extractor_version=EXTRACTOR_VERSION)
            threshold = review_threshold()
            checked, queued = store.review_progress(threshold)
            if queued > checked:
                print(f"database: {queued - checked} row(s) under the review threshold {threshold:.2f} wait to be "
                      "checked on the Review page", file=sys.stderr)
        except StorageError as error:
            print(f"database: {error}", file=sys.stderr)
            return 2

    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(COLUMNS))
    columns = list(CONTRACT_COLUMNS) + [c for c in COLUMNS if c not in CONTRACT_COLUMNS]
    table = table.reindex(columns=columns)
    if args.format == "csv":
        table.to_csv(sys.stdout, index=False)
    else:
        records = [{k: _json_value(v) for k, v in row.items()} for row in table.to_dict(orient="records")]
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
