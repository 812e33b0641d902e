"""Limits that keep every stage linear in the length of its input, and the settings that bound a run.

Each can be changed with the environment variable of the same name prefixed ``TROOPMAP_``
(README, "Limits"). They are read once, when this module is imported.
"""
from __future__ import annotations

import os


def _setting(name: str, default: float) -> float:
    value = os.environ.get(f"TROOPMAP_{name}")
    if value is None or not value.strip():
        return default
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"TROOPMAP_{name}={value!r} is not a number") from None
    if number <= 0:
        raise ValueError(f"TROOPMAP_{name}={value!r} must be greater than 0")
    return number


# No sentence of prose runs this long; a list of 20,000 figures or place names does. Every stage
# that looks at "the rest of the sentence" for each figure or place is bounded by this, so reading
# stays linear however hostile the text: a longer run with no full stop is cut at a comma.
MAX_SENTENCE_TOKENS = 150

# The longest text read as one article, in characters. The longest news articles of the corpus are
# under 40,000 characters; a text over twelve times that is a dump of many articles or not prose at
# all. Reading is linear but not free: 1 MB of place names takes spaCy's entity recognizer alone
# about 40 s on an idle core. Longer texts are refused with a message naming the file and this
# limit (README, "Limits": why refuse rather than read in chunks).
MAX_ARTICLE_CHARS = int(_setting("MAX_ARTICLE_CHARS", 500_000))

# Seconds one article may take in `python -m extract.ingest` before it is recorded as failed.
ARTICLE_SECONDS = _setting("ARTICLE_SECONDS", 120.0)
