"""Fuzzing the reading and the extraction (issue 13): random bytes, random Unicode and mutated
copies of real articles never make an exception escape, and no call runs past its budget.

`extract.documents.read_document` may refuse an input, but only with a DocumentError (one line
naming the file); `extract_deployments` takes any string and returns a frame. Hypothesis's
deadline is the budget: an example that runs longer fails the test.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from extract import extract_deployments
from extract.documents import DocumentError, read_document
from extract.schema import COLUMNS

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = sorted((ROOT.parent / "shared" / "eval" / "dev").glob("*.txt")) or sorted(
    (ROOT / "corpus" / "train").glob("*.txt"))[:40]
SAMPLES = [path.read_bytes() for path in ARTICLES]

READ_BUDGET = timedelta(seconds=5)
EXTRACT_BUDGET = timedelta(seconds=20)   # a whole article through spaCy on a loaded 2-core machine
FUZZ = settings(max_examples=25, deadline=READ_BUDGET, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
NAMES = st.sampled_from(["a.txt", "a.md", "a.html", "a.pdf", "a.docx", "a", "a.csv"])


@st.composite
def mutated_articles(draw) -> bytes:
    """A real article with bytes flipped, cut, duplicated, or foreign bytes spliced in."""
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(0, len(data) - 1)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "truncate"]))
        if action == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at:at + draw(st.integers(1, 200))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=50))
        elif action == "repeat":
            data[at:at] = data[at:at + draw(st.integers(1, 300))] * draw(st.integers(2, 40))
        else:
            del data[at:]
    return bytes(data)


INPUTS = st.one_of(st.binary(max_size=3000), st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
                   mutated_articles())


def _read_or_refuse(data: bytes, name: str):
    try:
        return read_document(data, name)
    except DocumentError as error:
        message = str(error)
        assert message.startswith(name) and "\n" not in message
        return None


@FUZZ
@given(data=INPUTS, name=NAMES)
def test_reading_any_bytes_returns_a_document_or_a_one_line_refusal(data, name):
    document = _read_or_refuse(data, name)
    if document is not None:
        assert document.text.strip()
        assert "\x00" not in document.text


@settings(FUZZ, max_examples=15, deadline=EXTRACT_BUDGET)
@given(text=st.one_of(st.text(max_size=1500), mutated_articles().map(lambda b: b.decode("utf-8", "replace"))))
def test_extracting_any_text_returns_a_frame(text):
    frame = extract_deployments(text, engine="rules")
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == list(COLUMNS)
    assert frame["evidence"].map(lambda evidence: evidence in text or not evidence).all()


def test_the_mutations_start_from_real_articles():
    if not SAMPLES:
        pytest.skip("no articles to mutate")
    assert len(SAMPLES) >= 10
