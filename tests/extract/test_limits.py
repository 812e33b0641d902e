"""Hostile inputs that used to run for minutes (issue 13): every stage stays linear in the text.

The issue's hostile inputs: one line of 20,000 figures is read within 30 s (it took over two
minutes before the sentence cap of extract/limits.py); 1 MB of repeated place names is over the
size limit and refused at once, by name; a text over the limit is refused, by name.
"""
from __future__ import annotations

import time

import pytest

from extract import extract_deployments
from extract.documents import DocumentError, read_document, read_path
from extract.limits import MAX_ARTICLE_CHARS

BUDGET_SECONDS = 30


def _timed(text: str):
    started = time.perf_counter()
    frame = extract_deployments(text, lang="en", engine="rules")
    return frame, time.perf_counter() - started


def test_a_line_of_twenty_thousand_figures_is_read_within_the_budget():
    text = "Troops: " + ", ".join(f"{i} soldiers" for i in range(100, 20_100)) + " were sent to Poland."
    assert "\n" not in text
    frame, seconds = _timed(text)
    assert seconds < BUDGET_SECONDS, f"20,000 figures took {seconds:.1f} s"
    assert "Poland" in set(frame["destination"].dropna())


def test_a_megabyte_of_repeated_place_names_is_refused_at_once_by_name(tmp_path):
    # Linear, but spaCy's entity recognizer alone needs ~40 s for 1 MB that is all place names:
    # such a text is over the size limit and refused in a moment, naming the file and the limit.
    phrase = "Poland, Germany, Romania and Lithuania, "    # one paragraph, no full stop anywhere
    path = tmp_path / "places.txt"
    path.write_text("NATO sent 300 soldiers to Estonia. " + phrase * (1_000_000 // len(phrase)), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(DocumentError, match=f"places.txt: .* longer than the limit of {MAX_ARTICLE_CHARS:,}"):
        read_path(path)
    assert time.perf_counter() - started < BUDGET_SECONDS


def test_a_paragraph_of_repeated_place_names_under_the_limit_is_read():
    phrase = "Poland, Germany, Romania and Lithuania, "
    text = "NATO sent 300 soldiers to Estonia. " + phrase * (20_000 // len(phrase))
    frame, seconds = _timed(text)
    assert seconds < BUDGET_SECONDS
    assert ("Estonia", 300) in set(zip(frame["destination"], frame["headcount"]))


def test_a_text_over_the_size_limit_is_refused_naming_the_file_and_the_limit():
    data = b"Soldiers were sent to Poland. " * (MAX_ARTICLE_CHARS // 30 + 10)
    started = time.perf_counter()
    with pytest.raises(DocumentError) as error:
        read_document(data, "dump.txt")
    assert time.perf_counter() - started < 10
    assert "dump.txt" in str(error.value) and f"{MAX_ARTICLE_CHARS:,}" in str(error.value)
    with pytest.raises(ValueError, match="TROOPMAP_MAX_ARTICLE_CHARS"):
        extract_deployments(data.decode(), lang="en")


def test_nul_bytes_and_stray_control_characters_are_cleaned_and_read():
    data = "2,000 soldiers\x00 will be sent\x07 from Fort Bragg\x1b to Poland.\x00".encode()
    document = read_document(data, "broken-export.txt")
    assert document.text == "2,000 soldiers will be sent from Fort Bragg to Poland."
    frame = extract_deployments(document.text, lang="en")
    assert list(frame["destination"]) == ["Poland"]
