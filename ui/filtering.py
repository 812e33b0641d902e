"""Filtering a deployment table by what the sidebar offers; pure pandas."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class Filters:
    """Empty selections mean "everything"."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    forces: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    include_undated: bool = True


def _article_ids_of(frame: pd.DataFrame) -> pd.Series:
    """Every article a row (an event) comes from, as a list per row."""
    if "article_ids" in frame:
        return frame["article_ids"].map(
            lambda ids: list(ids) if isinstance(ids, (list, tuple, np.ndarray)) else [])
    return frame["article_id"].map(lambda i: [] if pd.isna(i) else [int(i)])


def apply_filters(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows of ``frame`` (prepared by ui.tables.prepare_events) that pass ``filters``."""
    keep = pd.Series(True, index=frame.index)
    if filters.forces:
        keep &= frame["force"].fillna("unknown").isin(filters.forces)
    if filters.statuses:
        keep &= frame["status"].isin(filters.statuses)
    if filters.countries:
        keep &= frame["origin_country"].isin(filters.countries) | frame["destination_country"].isin(filters.countries)
    if filters.article_ids:
        wanted = set(filters.article_ids)
        keep &= _article_ids_of(frame).map(lambda ids: bool(wanted.intersection(ids)))
    if filters.date_from or filters.date_to:
        when = frame["when"]
        in_range = pd.Series(True, index=frame.index)
        if filters.date_from:
            in_range &= when >= pd.Timestamp(filters.date_from)
        if filters.date_to:
            in_range &= when <= pd.Timestamp(filters.date_to)
        keep &= in_range.fillna(False) | (when.isna() & filters.include_undated)
    # A NumPy mask: an empty object-typed Series would be read as a list of column names.
    return frame[keep.to_numpy(dtype=bool)]
