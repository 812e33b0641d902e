"""Grouping the same movement reported by several articles into one event.

Two deployment rows from different articles are the same movement when
- they have the same ``force``;
- their origins match and their destinations match, place by place, by the rules of
  ``../shared/eval/README.md``: countries by country code; cities and bases by country
  code and within 150 km; regions within 1,000 km or by the same name; an unknown
  origin matches an unknown origin or a place in the force's own country;
- their headcounts are compatible: equal, either unknown, or within 15 % of each other;
- their dates (the row's date, else the article's published date) are at most
  ``DATE_WINDOW_DAYS`` apart, or either is unknown.

An event is a group of rows every two of which report the same movement (complete
linkage: a report without a figure cannot bridge 2,000 and 5,000 troops into one event),
so it holds one row per article at most. A new row joins the oldest event it fits
whole, else starts one. Events are assigned on write so that reading the map is one
aggregate query. Rows are linked to their event, never merged or deleted.

A person may overrule the grouping (``Storage.merge_events``, ``Storage.split_deployment``):
the rows they moved are ``event_pinned`` and a later correction of one of them leaves it in
the event the person chose. Such an event may hold rows that the rules above would not group.

Each event has a representative row, the one whose values stand for the event: counted
rows first, so its ``counted`` says whether the event's figure enters totals; then rows
with a headcount; then rows a person edited or added; then the most confident.
"""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable, Optional

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from storage.models import DeploymentRow, Event

DATE_WINDOW_DAYS = 14
HEADCOUNT_TOLERANCE = 0.15
CITY_RADIUS_KM = 150
REGION_RADIUS_KM = 1000


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _place(row, side: str) -> Optional[tuple]:
    name, country = getattr(row, side), getattr(row, f"{side}_country")
    lat, lon, kind = getattr(row, f"{side}_lat"), getattr(row, f"{side}_lon"), getattr(row, f"{side}_kind")
    if name is None and country is None and lat is None:
        return None
    return (name, country, lat, lon, kind)


def places_match(a: Optional[tuple], b: Optional[tuple]) -> bool:
    """Places as (name, country, lat, lon, kind); see the module docstring."""
    if a is None or b is None:
        return a is b
    (name_a, country_a, lat_a, lon_a, kind_a), (name_b, country_b, lat_b, lon_b, kind_b) = a, b
    same_name = bool(name_a and name_b and name_a.casefold() == name_b.casefold())
    have_coords = None not in (lat_a, lon_a, lat_b, lon_b)
    kinds = {kind_a, kind_b}
    if kinds & {"region", "state"}:
        if "state" in kinds and country_a and country_b and country_a != country_b:
            return False
        return same_name or (have_coords and _km(lat_a, lon_a, lat_b, lon_b) <= REGION_RADIUS_KM)
    if "country" in kinds:
        return bool(country_a) and country_a == country_b
    if country_a and country_b and country_a != country_b:
        return False
    if have_coords:
        return _km(lat_a, lon_a, lat_b, lon_b) <= CITY_RADIUS_KM
    return same_name


def _origins_match(a, b) -> bool:
    origin_a, origin_b = _place(a, "origin"), _place(b, "origin")
    if (origin_a is None) != (origin_b is None):
        # "From where?" unsaid in one article: home, if the other names the force's own country.
        known = origin_a or origin_b
        return known[1] is not None and known[1] == a.force
    return places_match(origin_a, origin_b)


def headcounts_compatible(a: Optional[int], b: Optional[int]) -> bool:
    if a is None or b is None:
        return True
    return abs(a - b) <= HEADCOUNT_TOLERANCE * max(abs(a), abs(b))


def _parse_date(value: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def dates_compatible(a: Optional[str], b: Optional[str]) -> bool:
    day_a, day_b = _parse_date(a), _parse_date(b)
    if day_a is None or day_b is None:
        return True
    return abs((day_a - day_b).days) <= DATE_WINDOW_DAYS


def same_movement(a, b) -> bool:
    """Whether two deployment rows (objects with the deployment columns) report one movement."""
    return (a.article_id != b.article_id
            and a.force == b.force
            and headcounts_compatible(a.headcount, b.headcount)
            and dates_compatible(a.event_date, b.event_date)
            and places_match(_place(a, "destination"), _place(b, "destination"))
            and _origins_match(a, b))


def _representative_key(row):
    confirmed = row.edited or row.human_added or row.review in ("accepted", "fixed")
    return (not row.counted, row.headcount is None, not confirmed,
            -(row.confidence or 0.0), row.id)


_MATCH_COLUMNS = [getattr(DeploymentRow, name) for name in (
    "id", "article_id", "event_id", "force", "headcount", "event_date", "counted", "edited", "human_added",
    "review", "confidence", *(f"{side}{part}" for side in ("origin", "destination")
                    for part in ("", "_country", "_lat", "_lon", "_kind")))]


@lru_cache(maxsize=None)
def _candidate_statement(force_known: bool, by_country: bool, dated: bool, has_headcount: bool):
    row = DeploymentRow
    conditions = [row.event_id.is_not(None), row.deleted.is_(False), row.article_id != bindparam("article"),
                  row.force == bindparam("force") if force_known else row.force.is_(None)]
    if by_country:
        conditions.append(or_(row.destination_country == bindparam("country"), row.destination_country.is_(None)))
    if dated:
        conditions.append(or_(row.event_date.is_(None),
                              and_(row.event_date >= bindparam("after"), row.event_date < bindparam("before"))))
    if has_headcount:
        conditions.append(or_(row.headcount.is_(None), row.headcount.between(bindparam("fewest"), bindparam("most"))))
    return select(*_MATCH_COLUMNS).where(*conditions)


def _candidates(session: Session, row: DeploymentRow):
    """Stored rows that could report the same movement as ``row``, narrowed by ix_deployments_match.

    A destination with a country is compared with rows of that country and rows without one
    (regions); a region's may lie anywhere, so then the country is not filtered."""
    by_country = row.destination_country is not None and row.destination_kind not in ("region", "state")
    day = _parse_date(row.event_date)
    params = {"article": row.article_id, "force": row.force, "country": row.destination_country}
    if day is not None:
        window = timedelta(days=DATE_WINDOW_DAYS)
        params.update(after=(day - window).isoformat(), before=(day + window + timedelta(days=1)).isoformat())
    if row.headcount is not None:
        # Loose integer bounds of the 15 % rule; same_movement applies it exactly.
        params.update(fewest=math.floor(row.headcount * (1 - HEADCOUNT_TOLERANCE)),
                      most=math.ceil(row.headcount / (1 - HEADCOUNT_TOLERANCE)))
    statement = _candidate_statement(row.force is not None, by_country, day is not None, row.headcount is not None)
    return session.execute(statement, params)


def _set_representatives(session: Session, event_ids: Iterable[int]) -> None:
    """Choose each event's representative again; events left without rows go."""
    event_ids = set(event_ids)
    if not event_ids:
        return
    members = defaultdict(list)
    query = select(*_MATCH_COLUMNS).where(DeploymentRow.event_id.in_(event_ids), DeploymentRow.deleted.is_(False))
    for row in session.execute(query):
        members[row.event_id].append(row)
    representatives = [{"event": event_id, "representative": min(rows, key=_representative_key).id}
                       for event_id, rows in members.items()]
    events = Event.__table__
    if representatives:
        session.execute(events.update().where(events.c.id == bindparam("event"))
                        .values(representative_id=bindparam("representative")), representatives)
    empty = event_ids - set(members)
    if empty:
        session.execute(events.delete().where(events.c.id.in_(empty)))


def refresh(session: Session, event_ids: Iterable[int]) -> None:
    """After rows moved between events by hand or changed in place: each event's representative is
    chosen again, and events left without rows go."""
    _set_representatives(session, {event_id for event_id in event_ids if event_id is not None})


def assign(session: Session, rows: list[DeploymentRow]) -> None:
    """Put each of ``rows`` (flushed, of one article, in no event) in the oldest event whose every
    row reports the same movement, else in a new event of its own."""
    rows = [row for row in rows if not row.deleted]
    matching = {row.id: defaultdict(int) for row in rows}  # row -> event -> how many of its rows match
    for row in rows:
        for candidate in _candidates(session, row):
            if same_movement(row, candidate):
                matching[row.id][candidate.event_id] += 1
    event_ids = {event_id for counts in matching.values() for event_id in counts}
    sizes = dict(session.execute(
        select(DeploymentRow.event_id, func.count()).where(DeploymentRow.event_id.in_(event_ids),
                                                           DeploymentRow.deleted.is_(False))
        .group_by(DeploymentRow.event_id)).all()) if event_ids else {}
    joined = set()  # an event holds one row per article at most
    lonely = []
    for row in rows:
        whole = sorted(event_id for event_id, count in matching[row.id].items()
                       if count == sizes.get(event_id) and event_id not in joined)
        if whole:
            row.event_id = whole[0]
            joined.add(whole[0])
        else:
            lonely.append(row)
    new_events = [Event() for _ in lonely]
    session.add_all(new_events)
    session.flush()
    for row, event in zip(lonely, new_events):
        row.event_id = event.id
    session.flush()
    _set_representatives(session, {row.event_id for row in rows})


def detach(session: Session, rows: list[DeploymentRow]) -> None:
    """Take ``rows`` out of their events. Every two rows of an event report the same movement,
    so what remains of an event is still one event; an event left without rows goes."""
    event_ids = {row.event_id for row in rows if row.event_id is not None}
    for row in rows:
        row.event_id = None
    session.flush()
    _set_representatives(session, event_ids)
