"""Hostile inputs that used to run for minutes (issue 13): every stage stays linear in the text.

The two timed cases are the issue's own: one line of 20,000 figures and 1 MB of repeated place
names each finish within 30 s on the 2-core CI machine (they took over two minutes before the
sentence cap of extract/limits.py). A text over the size limit is refused at once, by name.
"""
from __future__ import annotations

import time

import pytest

from extract import extract_deployments
from extract.documents import DocumentError, read_document
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


def test_a_megabyte_of_repeated_place_names_is_read_within_the_budget():
    phrase = "Poland, Germany, Romania and Lithuania, "    # one paragraph, no full stop anywhere
    text = "NATO sent 300 soldiers to Estonia. " + phrase * (1_000_000 // len(phrase))
    assert len(text) >= 1_000_000
    frame, seconds = _timed(text)
    assert seconds < BUDGET_SECONDS, f"1 MB of place names took {seconds:.1f} s"
    assert 300 in set(frame["headcount"].dropna())      # the real sentence is still read


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
