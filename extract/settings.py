"""Settings the extractor and the app share, each defined once, each with an environment override.

``review_threshold()``: a row whose ``confidence`` is under it goes to the review queue (the Review
page) and is marked "to review" on Home. 0.5 by default: with the learned decision (the default
engine) ``confidence`` is a calibrated probability, and under 0.5 a row is more often wrong than
right. Measured with ``python bench/review_threshold.py --keys corpus/valid --fraction 1`` (304
articles the model never saw; share of rows that are right, triple match, by confidence):

    0.3-0.4: 0.38 (56 rows)   0.4-0.5: 0.53 (129)   0.5-0.6: 0.54 (100)   0.6-0.8: 0.69 (124)
    0.8-0.9: 1.00 (8)

Under 0.5 (89 right of 185 rows) a row is right about one time in two; over it (148 of 232), nearly
two times in three. With the rules
(``--engine rules``) ``confidence`` is not calibrated and ranks rows poorly (on 158 training
articles their 0.9-1.0 rows were right 2 times in 13). ``TROOPMAP_REVIEW_THRESHOLD=0.6`` sets
another value.
"""
from __future__ import annotations

import os
import warnings

DEFAULT_REVIEW_THRESHOLD = 0.5
REVIEW_THRESHOLD_ENV = "TROOPMAP_REVIEW_THRESHOLD"


def review_threshold() -> float:
    """The threshold in force: TROOPMAP_REVIEW_THRESHOLD when it is a number in [0, 1], else the default
    (with a warning naming the bad value, so a typo is not silently ignored)."""
    raw = os.environ.get(REVIEW_THRESHOLD_ENV)
    if raw is None or not raw.strip():
        return DEFAULT_REVIEW_THRESHOLD
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        warnings.warn(f"{REVIEW_THRESHOLD_ENV}={raw!r} is not a number between 0 and 1; "
                      f"using {DEFAULT_REVIEW_THRESHOLD}", stacklevel=2)
        return DEFAULT_REVIEW_THRESHOLD
    return value
