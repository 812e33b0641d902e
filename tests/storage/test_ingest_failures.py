"""What archive ingest remembers between runs: failures with reasons, and the sources --resume skips."""
from __future__ import annotations

from extract.pipeline import EXTRACTOR_VERSION


def test_a_failure_is_kept_once_with_its_latest_reason_until_the_source_is_stored(storage):
    storage.record_failure("feed.zip:a.txt", "feed.zip:a.txt: the file is empty")
    storage.record_failure("feed.zip:a.txt", "feed.zip:a.txt: took longer than the 120 s budget")
    storage.record_failure("feed.zip:b.pdf", "feed.zip:b.pdf: the PDF is encrypted")
    reasons = dict(zip(storage.failures()["source"], storage.failures()["reason"]))
    assert len(reasons) == 2 and "budget" in reasons["feed.zip:a.txt"] and "encrypted" in reasons["feed.zip:b.pdf"]
    assert storage.has_failure("feed.zip:a.txt") and not storage.has_failure("feed.zip:c.txt")

    storage.ingest("800 soldiers were sent to Poland.", deployments=None, source="feed.zip:c.txt",
                   extractor_version=EXTRACTOR_VERSION)
    assert storage.done_sources() == {"feed.zip:a.txt", "feed.zip:b.pdf", "feed.zip:c.txt"}
    storage.clear_failure("feed.zip:a.txt")
    assert list(storage.failures()["source"]) == ["feed.zip:b.pdf"]
