"""The command line contract of ../shared/eval/README.md: python -m extract --format json|csv FILE..."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = {"source", "origin", "origin_country", "origin_lat", "origin_lon", "destination",
            "destination_country", "destination_lat", "destination_lon", "headcount", "headcount_shared",
            "status", "force", "evidence"}


def _run(*args, stdin=None, env=None):
    return subprocess.run([sys.executable, "-m", "extract", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=300, env=env)


def test_json_rows_carry_the_contract_fields_and_the_source_as_given(tmp_path):
    article = tmp_path / "note.txt"
    article.write_text("1,000 soldiers were sent from Germany to Romania on Tuesday.", encoding="utf-8")
    done = _run("--format", "json", str(article))
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) == 1
    assert CONTRACT <= set(rows[0])
    assert rows[0]["source"] == str(article)
    assert (rows[0]["origin_country"], rows[0]["destination_country"], rows[0]["headcount"]) == ("DE", "RO", 1000)


def test_unreadable_file_is_named_on_stderr_and_others_still_processed(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("2 000 soldats seront envoyés d'Allemagne vers la Pologne.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    done = _run("--format", "json", str(empty), str(good))
    assert done.returncode == 1
    lines = [l for l in done.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "empty.txt" in lines[0]
    rows = json.loads(done.stdout)
    assert {r["source"] for r in rows} == {str(good)}


def test_stdin_and_csv_with_forced_language():
    done = _run("--format", "csv", "--lang", "fr", "-", stdin="Un millier de soldats ont été redéployés d'Allemagne vers la Roumanie.")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["source"], r["destination_country"], r["headcount"]) for r in rows] == [("-", "RO", "1000")]


def test_storing_says_how_many_rows_wait_for_review(tmp_path):
    import os

    article = tmp_path / "note.txt"
    article.write_text("1,000 soldiers were sent from Germany to Romania on Tuesday.", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'library.db'}"
    done = _run("--db", url, str(article), env={**os.environ, "TROOPMAP_REVIEW_THRESHOLD": "0.99"})
    assert done.returncode == 0, done.stderr
    assert "1 row(s) under the review threshold 0.99 wait to be checked on the Review page" in done.stderr
