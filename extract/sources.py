"""Where archive ingest finds its articles: files, folders, .zip / .tar.gz archives and tables.

Every source is turned into a stream of :class:`Item` without holding more than one article in
memory: a file is read when its item is made, an archive member likewise, a JSON Lines / CSV /
Parquet table row by row. An item carries either the raw bytes of a document (read by
``extract.documents`` on a worker, so a hostile PDF costs the worker its time budget, not the
client) or the text of a table row. ``label`` names the item for people and for ``--resume``:
``path``, ``archive.zip:member``, or a row's ``url`` (else ``table.jsonl#12``).
"""
from __future__ import annotations

import csv
import io
import json
import os
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from extract.documents import MAX_BYTES

ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf", ".docx")
TABLE_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")

# Column names a table may use, first match wins (compared without case).
TEXT_COLUMNS = ("text", "body", "content", "article", "article_text", "maintext")
URL_COLUMNS = ("url", "link", "source_url", "source")
TITLE_COLUMNS = ("title", "headline")
PUBLISHED_COLUMNS = ("published", "date", "published_at", "publish_date", "pubdate", "date_publish")
LANG_COLUMNS = ("lang", "language")


@dataclass
class Item:
    label: str
    data: Optional[bytes] = None          # a document's bytes (txt, md, html, pdf, docx) ...
    text: Optional[str] = None            # ... or a table row's text
    title: Optional[str] = None
    published: Optional[str] = None
    lang: Optional[str] = None
    problem: Optional[str] = None         # why the item cannot be read at all (recorded as a failure)


class SourceError(Exception):
    """A source that cannot be opened at all; the message names it."""


def _suffix(name: str) -> str:
    lower = name.lower()
    for suffix in ARCHIVE_SUFFIXES + TABLE_SUFFIXES:
        if lower.endswith(suffix):
            return suffix
    return Path(lower).suffix


def items(sources: list[str]) -> Iterator[Item]:
    """Every article of every source, in a stable order (the same on a rerun)."""
    for source in sources:
        path = Path(source)
        if not path.exists():
            raise SourceError(f"{source}: no such file or folder")
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if _suffix(child.name) in ARTICLE_SUFFIXES + TABLE_SUFFIXES + ARCHIVE_SUFFIXES:
                    yield from _file_items(child)
        else:
            yield from _file_items(path)


def _file_items(path: Path) -> Iterator[Item]:
    suffix = _suffix(path.name)
    label = str(path)
    try:
        if suffix == ".zip":
            yield from _zip_items(path)
        elif suffix in (".tar.gz", ".tgz", ".tar"):
            yield from _tar_items(path)
        elif suffix in (".jsonl", ".ndjson"):
            yield from _jsonl_items(path)
        elif suffix == ".csv":
            yield from _csv_items(path)
        elif suffix == ".parquet":
            yield from _parquet_items(path)
        else:
            yield _document_item(label, path.stat().st_size, path.read_bytes)
    except (OSError, zipfile.BadZipFile, tarfile.TarError, ValueError) as error:
        yield Item(label, problem=f"{label}: cannot be read ({error})")


def _document_item(label: str, size: int, read) -> Item:
    if size > MAX_BYTES:
        return Item(label, problem=f"{label}: the file is {size / 1024 / 1024:.1f} MB, larger than the "
                                   f"{MAX_BYTES // 1024 // 1024} MB limit")
    return Item(label, data=read())


def _zip_items(path: Path) -> Iterator[Item]:
    with zipfile.ZipFile(path) as archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir() or _suffix(info.filename) not in ARTICLE_SUFFIXES:
                continue
            yield _document_item(f"{path}:{info.filename}", info.file_size, lambda: archive.read(info))


def _tar_items(path: Path) -> Iterator[Item]:
    with tarfile.open(path) as archive:
        for member in archive:   # streamed in archive order: a .tar.gz cannot be read out of order
            if not member.isfile() or _suffix(member.name) not in ARTICLE_SUFFIXES:
                continue
            yield _document_item(f"{path}:{member.name}", member.size, lambda: archive.extractfile(member).read())


def _pick(columns, wanted) -> Optional[str]:
    by_lower = {str(c).lower(): c for c in columns}
    return next((by_lower[name] for name in wanted if name in by_lower), None)


def _row_item(path: Path, number: int, row: dict) -> Item:
    label = f"{path}#{number}"
    text_column = _pick(row, TEXT_COLUMNS)
    if text_column is None:
        return Item(label, problem=f"{label}: no text column (one of {', '.join(TEXT_COLUMNS)})")

    def value(names):
        column = _pick(row, names)
        found = row.get(column) if column is not None else None
        return str(found).strip() if found is not None and str(found).strip() and str(found) != "nan" else None

    url = value(URL_COLUMNS)
    text = row[text_column]
    if not isinstance(text, str):
        return Item(url or label, problem=f"{url or label}: the text column is empty or not text")
    return Item(url or label, text=text, title=value(TITLE_COLUMNS), published=value(PUBLISHED_COLUMNS),
                lang=value(LANG_COLUMNS))


def _jsonl_items(path: Path) -> Iterator[Item]:
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as error:
                yield Item(f"{path}#{number}", problem=f"{path}#{number}: not a JSON object ({error})")
                continue
            if not isinstance(row, dict):
                yield Item(f"{path}#{number}", problem=f"{path}#{number}: not a JSON object")
                continue
            yield _row_item(path, number, row)


def _csv_items(path: Path) -> Iterator[Item]:
    csv.field_size_limit(MAX_BYTES)
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):   # line 1 is the header
            yield _row_item(path, number, row)


def _parquet_items(path: Path) -> Iterator[Item]:
    import pyarrow.parquet as pq

    table = pq.ParquetFile(path)
    number = 0
    for batch in table.iter_batches(batch_size=256):
        for row in batch.to_pylist():
            number += 1
            yield _row_item(path, number, row)


def count(sources: list[str]) -> int:
    """How many items ``items`` will yield, without reading the articles (for the progress bar)."""
    total = 0
    for source in sources:
        path = Path(source)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            suffix = _suffix(file.name)
            try:
                if suffix == ".zip":
                    with zipfile.ZipFile(file) as archive:
                        total += sum(1 for i in archive.infolist()
                                     if not i.is_dir() and _suffix(i.filename) in ARTICLE_SUFFIXES)
                elif suffix in (".tar.gz", ".tgz", ".tar"):
                    with tarfile.open(file) as archive:
                        total += sum(1 for m in archive if m.isfile() and _suffix(m.name) in ARTICLE_SUFFIXES)
                elif suffix in (".jsonl", ".ndjson"):
                    with file.open("rb") as lines:
                        total += sum(1 for line in lines if line.strip())
                elif suffix == ".csv":
                    csv.field_size_limit(MAX_BYTES)
                    with file.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
                        total += sum(1 for _ in csv.DictReader(handle))
                elif suffix == ".parquet":
                    import pyarrow.parquet as pq
                    total += pq.ParquetFile(file).metadata.num_rows
                elif suffix in ARTICLE_SUFFIXES or not path.is_dir():
                    total += 1
            except (OSError, zipfile.BadZipFile, tarfile.TarError, ValueError):
                total += 1   # reported as one failure by items()
    return total


def from_zip_bytes(data: bytes, name: str) -> Iterator[Item]:
    """The articles of an uploaded .zip (the app's Home page)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir() or _suffix(info.filename) not in ARTICLE_SUFFIXES:
                continue
            if os.path.basename(info.filename).startswith("._"):   # macOS resource forks
                continue
            yield _document_item(f"{name}:{info.filename}", info.file_size, lambda: archive.read(info))
