"""The deployment record: the one definition every stage, the CLI, storage and the UI share.

A row of the deployment table is a :class:`Deployment`. ``COLUMNS`` is the column
order of the DataFrame that :func:`extract.extract_deployments` returns; the first
fourteen are the evaluation contract (``../shared/eval/README.md``), the rest are
ours.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Optional

STATUSES = ("announced", "ordered", "deployed", "arrived", "withdrawn", "alert", "other")
QUALIFIERS = ("exact", "approximate", "at least", "at most", "range")
PLACE_KINDS = ("country", "region", "state", "city", "base")


@dataclass
class Deployment:
    """One movement of troops read from one article."""

    origin: Optional[str] = None            # place name as resolved (e.g. "Fort Bragg")
    origin_country: Optional[str] = None    # ISO 3166-1 alpha-2
    origin_lat: Optional[float] = None
    origin_lon: Optional[float] = None
    destination: Optional[str] = None
    destination_country: Optional[str] = None
    destination_lat: Optional[float] = None
    destination_lon: Optional[float] = None
    headcount: Optional[int] = None         # personnel; None when the text gives no number
    headcount_shared: bool = False          # one figure spread over several places, no breakdown
    status: str = "other"                   # one of STATUSES
    force: Optional[str] = None             # ISO alpha-2 of whose troops they are
    evidence: str = ""                      # the sentence(s) the row was read from
    source: Optional[str] = None            # file name or other label of the article
    unit: Optional[str] = None              # e.g. "82nd Airborne Division"
    date: Optional[str] = None              # ISO date of the movement when the text gives one
    confidence: float = 0.5                 # 0-1, how sure the extractor is of the row
    start: Optional[int] = None             # character offsets of the evidence in the text
    end: Optional[int] = None
    lang: Optional[str] = None              # language the article was read in
    headcount_qualifier: Optional[str] = None  # one of QUALIFIERS, None when no headcount phrase
    origin_kind: Optional[str] = None       # one of PLACE_KINDS
    destination_kind: Optional[str] = None
    origin_text: Optional[str] = None       # the words of the article that named the place
    destination_text: Optional[str] = None
    # Totals: rows that carry one figure between them (a shared headcount, or a headline
    # total that the article breaks down later) have the same headcount_group, and only
    # one row of a group has counted=True. Sum headcount over counted rows, never over all.
    headcount_group: Optional[str] = None
    counted: bool = True

    def to_dict(self) -> dict:
        return asdict(self)


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Deployment))

# The columns the evaluation contract fixes, in the order the CLI prints them.
CONTRACT_COLUMNS: tuple[str, ...] = (
    "source", "origin", "origin_country", "origin_lat", "origin_lon",
    "destination", "destination_country", "destination_lat", "destination_lon",
    "headcount", "headcount_shared", "status", "force", "evidence",
)
