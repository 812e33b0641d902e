"""The sources archive ingest reads (extract/sources.py): every kind yields its articles with their
names, recognised columns and problems, and `count` agrees with what is yielded."""
from __future__ import annotations

import csv
import io
import json
import tarfile
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from extract.sources import SourceError, count, items

TEXT = "The Pentagon said 300 soldiers will be sent from Germany to Poland."


def test_folders_archives_and_tables_yield_every_article_by_name(tmp_path):
    folder = tmp_path / "feed"
    (folder / "deep" / "er").mkdir(parents=True)
    (folder / "deep" / "er" / "a.txt").write_text(TEXT)
    (folder / "b.html").write_text(f"<html><body><p>{TEXT}</p></body></html>")
    (folder / "ignored.png").write_bytes(b"\x89PNG")
    with zipfile.ZipFile(folder / "week.zip", "w") as zipped:
        zipped.writestr("x/1.txt", TEXT)
        zipped.writestr("x/readme.bin", b"skip")
    with tarfile.open(folder / "month.tar.gz", "w:gz") as tarred:
        data = TEXT.encode()
        info = tarfile.TarInfo("y/2.md")
        info.size = len(data)
        tarred.addfile(info, io.BytesIO(data))
    (folder / "rows.jsonl").write_text(
        json.dumps({"URL": "https://example.org/1", "Headline": "H1", "date": "2024-05-01", "body": TEXT}) + "\n"
        + "\n" + "{broken\n" + json.dumps({"title": "no text"}) + "\n")
    with (folder / "rows.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["content", "language"])
        writer.writerow([TEXT + "\nsecond line, with a comma", "en"])
    pq.write_table(pa.table({"text": [TEXT, None], "published": ["2024-06-01", None]}), folder / "rows.parquet")

    found = list(items([str(folder)]))
    assert count([str(folder)]) == len(found) == 10
    by_label = {item.label.replace(str(folder) + "/", ""): item for item in found}
    assert by_label["deep/er/a.txt"].data == TEXT.encode()
    assert by_label["week.zip:x/1.txt"].data == TEXT.encode()
    assert by_label["month.tar.gz:y/2.md"].data == TEXT.encode()
    row = by_label["https://example.org/1"]
    assert (row.text, row.title, row.published) == (TEXT, "H1", "2024-05-01")
    assert "not a JSON object" in by_label["rows.jsonl#3"].problem
    assert "no text column" in by_label["rows.jsonl#4"].problem
    assert by_label["rows.csv#2"].text.endswith("with a comma") and by_label["rows.csv#2"].lang == "en"
    assert by_label["rows.parquet#1"].published == "2024-06-01"
    assert "empty or not text" in by_label["rows.parquet#2"].problem
    # The same order on every run: --resume relies on the names, the tests on the order.
    assert [item.label for item in items([str(folder)])] == [item.label for item in found]


def test_a_broken_archive_is_one_failure_and_a_missing_source_stops_at_once(tmp_path):
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 truncated")
    [item] = items([str(tmp_path / "bad.zip")])
    assert "bad.zip: cannot be read" in item.problem
    with pytest.raises(SourceError, match="nope"):
        list(items([str(tmp_path / "nope")]))
