"""Shaping stored deployments for display: one pure function per concern, no Streamlit.

Every total shown by the app goes through :func:`allocate_headcounts`, so a figure is
counted once however many rows carry it (see the summing rule in extract/schema.py).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from extract.schema import COLUMNS
from ui.values import missing

NOT_STATED = "(origin not stated)"


NUMBER_COLUMNS = ("origin_lat", "origin_lon", "destination_lat", "destination_lon", "headcount", "confidence",
                  "start", "end", "n_sources")


def ensure_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every deployment column present and every missing value in one form.

    Rows come from the database, the extractor or a person's edits, where "missing" may be None,
    NaN, pandas NA or an empty string: numbers become floats with NaN, an empty or blank text
    becomes None, so the figures below need one test (``pd.isna``) and never KeyError.
    """
    frame = frame.copy()
    for column in (*COLUMNS, "article_id", "article_title", "published", "event_id", "n_sources"):
        if column not in frame.columns:
            frame[column] = None
    for column in NUMBER_COLUMNS:
        frame[column] = pd.to_numeric(frame[column].astype(object).where(frame[column].notna(), None)
                                      .replace("", None), errors="coerce").astype(float)
    for column in frame.columns.difference(NUMBER_COLUMNS):
        values = frame[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            keep = values.map(lambda v: not missing(v) if pd.api.types.is_scalar(v) else True).astype(bool)
            frame[column] = values.astype(object).where(keep, None)
    return frame


def allocate_headcounts(frame: pd.DataFrame) -> pd.Series:
    """Troops each row contributes to per-place totals; the column sums to the counted total.

    A shared figure ("2,000 to Poland and Germany") sits on several rows of one
    ``headcount_group`` with one of them ``counted``. Per-place bars split it evenly between
    the places (1,000 each) rather than giving it all to whichever row happens to be counted.
    Any other group (a headline total next to its breakdown) keeps the counted rows' figures
    and gives the others nothing.
    """
    headcount = pd.to_numeric(frame["headcount"], errors="coerce").fillna(0.0).astype(float)
    counted = frame["counted"].fillna(True).astype(bool)
    allocated = headcount.where(counted, 0.0)

    group = frame["headcount_group"]
    in_group = group.notna() & (group.astype(str) != "")
    if not in_group.any():
        return allocated
    article = frame["article_id"].astype(str) if "article_id" in frame else pd.Series("", index=frame.index)
    key = article + "\x1f" + group.astype(str)
    grouped = pd.DataFrame({
        "key": key[in_group],
        "headcount": headcount[in_group],
        "shared": frame.loc[in_group, "headcount_shared"].fillna(False).astype(bool),
        "counted": counted[in_group],
    })
    by_key = grouped.groupby("key")
    size = by_key["headcount"].transform("size")
    evenly_shared = (
        by_key["shared"].transform("all")
        & (by_key["headcount"].transform("nunique") == 1)
        & (by_key["counted"].transform("sum") == 1)
    )
    split = (grouped["headcount"] / size).where(evenly_shared)
    allocated.loc[split.dropna().index] = split.dropna()
    return allocated


def prepare_events(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns every figure and export uses, computed once per table.

    Adds ``allocated`` (see :func:`allocate_headcounts`), ``when`` (the movement's date, else
    the article's publication date), ``origin_label``/``destination_label`` and ``route``.
    """
    frame = ensure_columns(frame)
    frame["allocated"] = allocate_headcounts(frame) if len(frame) else pd.Series(dtype=float)
    when = pd.to_datetime(frame["date"], errors="coerce", format="mixed")
    published = pd.to_datetime(frame["published"], errors="coerce", format="mixed")
    frame["when"] = when.fillna(published)
    frame["origin_label"] = frame["origin"].where(frame["origin"].notna() & (frame["origin"] != ""), NOT_STATED)
    frame["destination_label"] = frame["destination"].fillna("(no destination)")
    frame["route"] = frame["origin_label"].astype(str) + " → " + frame["destination_label"].astype(str)
    return frame


def with_article_dates(events: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Storage.events() joined with each article's publication date and title, prepared for display."""
    info = articles[["id", "published", "title"]].rename(columns={"id": "article_id", "title": "_title"})
    events = events.drop(columns=["published"], errors="ignore").merge(info, on="article_id", how="left")
    events["article_title"] = events["article_title"].fillna(events.pop("_title"))
    return prepare_events(events)


def counted_total(frame: pd.DataFrame) -> int:
    """Troops in the table, each figure once."""
    if frame.empty:
        return 0
    headcount = pd.to_numeric(frame["headcount"], errors="coerce").fillna(0)
    return int(headcount[frame["counted"].fillna(True).astype(bool)].sum())


def largest_moves(frame: pd.DataFrame, limit: int = 15) -> pd.DataFrame:
    """The biggest distinct movements: a shared figure is one move to all of its places.

    Returns columns move, headcount, force, status, when, source, event_ids (the events it is).
    """
    frame = prepare_events(frame) if "allocated" not in frame else frame
    with_figure = frame[pd.to_numeric(frame["headcount"], errors="coerce").notna()].copy()
    if with_figure.empty:
        return pd.DataFrame(columns=["move", "headcount", "force", "status", "when", "source", "event_ids"])
    group = with_figure["headcount_group"]
    solo = group.isna() | (group.astype(str) == "")
    key = with_figure["article_id"].astype(str) + "\x1f" + group.astype(str)
    # Rows outside any group stand alone; grouped rows become one move listing their places.
    key = key.where(~solo, "row\x1f" + with_figure.index.astype(str))
    with_figure["move_key"] = key

    def join_unique(values: pd.Series) -> str:
        return " / ".join(dict.fromkeys(str(v) for v in values if pd.notna(v)))

    counted_rows = with_figure[with_figure["counted"].fillna(True).astype(bool)]
    moves = with_figure.groupby("move_key", sort=False).agg(
        origins=("origin_label", join_unique),
        destinations=("destination_label", join_unique),
        force=("force", "first"),
        status=("status", "first"),
        when=("when", "first"),
        source=("article_title", "first"),
        event_ids=("event_id", lambda ids: sorted({int(i) for i in ids if pd.notna(i)})),
    )
    moves["headcount"] = counted_rows.groupby("move_key")["headcount"].sum()
    moves = moves.dropna(subset=["headcount"])
    moves["headcount"] = moves["headcount"].astype(int)
    moves["move"] = moves["origins"] + " → " + moves["destinations"]
    moves = moves.sort_values("headcount", ascending=False).head(limit)
    return moves[["move", "headcount", "force", "status", "when", "source", "event_ids"]].reset_index(drop=True)


def json_safe(value):
    """A value json.dumps accepts: NaN/NaT to None, numpy scalars to Python, dates to ISO strings."""
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return [json_safe(v) for v in value.tolist()]
    if value is None:
        return None
    if isinstance(value, (pd.Timestamp,)):
        return None if pd.isna(value) else value.date().isoformat()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, np.generic):
        return value.item()
    return value
