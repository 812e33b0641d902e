"""Troops each stored row contributes to per-place totals (``deployments.allocated``), kept on write.

The rule is ui.tables.allocate_headcounts's, applied to one article's live rows: a figure shared
by several places with no breakdown ("2,000 to Poland and Germany": one ``headcount_group``, all
``headcount_shared``, one figure, one row counted) is split evenly between them; in any other
group (a headline total next to its breakdown) the counted rows keep their figure and the others
give nothing; a row outside any group gives its figure when counted. Stored so that the map's
and charts' sums over 100,000 movements are one plain GROUP BY (storage/views.py), without
window functions on every query. Storage recomputes an article's allocations whenever one of its
rows is written; migration 0004 filled them for older rows with a frozen copy of this function.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Optional

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import DeploymentRow


def allocations(rows: Iterable[tuple]) -> dict[int, float]:
    """{row id: allocated} for one article's live rows, given as (id, headcount, headcount_group,
    headcount_shared, counted) tuples."""
    rows = list(rows)
    groups: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        if row[2] not in (None, ""):
            groups[row[2]].append(row)
    out = {}
    for row_id, headcount, group, _shared, counted in rows:
        figure = float(headcount) if headcount is not None and counted is not False else 0.0
        members = groups.get(group) if group not in (None, "") else None
        if members and headcount is not None and _evenly_shared(members):
            figure = float(headcount) / len(members)
        out[row_id] = figure
    return out


def _evenly_shared(members: list[tuple]) -> bool:
    figures = {m[1] for m in members if m[1] is not None}
    return (all(bool(m[3]) for m in members) and len(figures) == 1
            and sum(1 for m in members if m[4] is not False) == 1)


def reallocate(session: Session, article_ids: Iterable[Optional[int]]) -> None:
    """Recompute ``allocated`` of every live row of these articles (call after writing their rows)."""
    for article_id in {a for a in article_ids if a is not None}:
        session.flush()
        rows = session.execute(
            select(DeploymentRow.id, DeploymentRow.headcount, DeploymentRow.headcount_group,
                   DeploymentRow.headcount_shared, DeploymentRow.counted)
            .where(DeploymentRow.article_id == article_id, DeploymentRow.deleted.is_(False))).all()
        values = allocations(tuple(row) for row in rows)
        if values:
            session.execute(update(DeploymentRow), [{"id": row_id, "allocated": value}
                                                    for row_id, value in values.items()])
