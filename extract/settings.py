"""Settings the extractor and the app share, each defined once, each with an environment override.

``review_threshold()``: a row whose ``confidence`` is under it goes to the review queue (the Review
page) and is marked "to review" on Home. 0.7 by default, measured with ``python
bench/review_threshold.py`` on 30 % of ``corpus/train`` (158 articles; share of rows that are right,
triple match, by confidence):

    learned decision (--engine model):  < 0.5: 0.26 (47 rows)   0.5-0.7: 0.64 (108)   >= 0.7: 0.86 (7)
    rules (the default engine):         < 0.6: 0.14 (14 rows)   0.6-0.7: 0.60 (47)    >= 0.7: 0.46 (84)

(the model was trained on these articles, so its column flatters it).

Under 0.7 a row is wrong at least a third of the time with either engine; the learned decision's
calibrated confidence is right 6 times in 7 over it. The rules' confidence ranks rows poorly (its
0.9-1.0 rows are right 2 times in 13), so with the rules the queue (about 40 % of the rows) is
where to start, not a guarantee about the rest. ``TROOPMAP_REVIEW_THRESHOLD=0.6`` sets another value.
"""
from __future__ import annotations

import os
import warnings

DEFAULT_REVIEW_THRESHOLD = 0.7
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
