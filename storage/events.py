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

Events are connected groups of that relation (single linkage), assigned on write so
that reading the map is one indexed aggregate query. Rows are linked to their event,
never merged or deleted. Each event has a representative row: the counted row a person
edited, else the most confident counted row, else the most confident row, so the
representative's ``counted`` says whether the event's headcount enters totals.
"""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta
from typing import Iterable, Optional

from sqlalchemy import and_, delete, or_, select, true, update
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


def _representative_key(row: DeploymentRow):
    return (not row.counted, not (row.edited or row.human_added), -(row.confidence or 0.0), row.id)


def _candidates(session: Session, rows: list[DeploymentRow]) -> list[DeploymentRow]:
    """Stored rows that could match any of ``rows``: narrowed by the ix_deployments_match index."""
    conditions = []
    for row in rows:
        force = DeploymentRow.force == row.force if row.force is not None else DeploymentRow.force.is_(None)
        if row.destination_kind in ("region", "state") or row.destination_country is None:
            place = true()  # a region can lie in any country: compare distances in Python
        else:
            place = or_(DeploymentRow.destination_country == row.destination_country,
                        DeploymentRow.destination_kind.in_(("region", "state")),
                        DeploymentRow.destination_country.is_(None))
        day = _parse_date(row.event_date)
        if day is None:
            when = true()
        else:
            window = timedelta(days=DATE_WINDOW_DAYS)
            when = or_(DeploymentRow.event_date.is_(None),
                       and_(DeploymentRow.event_date >= (day - window).isoformat(),
                            DeploymentRow.event_date < (day + window + timedelta(days=1)).isoformat()))
        conditions.append(and_(force, place, when))
    if not conditions:
        return []
    new_ids = [row.id for row in rows]
    query = select(DeploymentRow).where(
        DeploymentRow.event_id.is_not(None), DeploymentRow.deleted.is_(False),
        DeploymentRow.id.not_in(new_ids), or_(*conditions))
    return list(session.scalars(query))


def _set_representatives(session: Session, event_ids: Iterable[int]) -> None:
    event_ids = set(event_ids)
    if not event_ids:
        return
    members = defaultdict(list)
    query = select(DeploymentRow).where(DeploymentRow.event_id.in_(event_ids), DeploymentRow.deleted.is_(False))
    for row in session.scalars(query):
        members[row.event_id].append(row)
    for event_id in event_ids:
        if members[event_id]:
            representative = min(members[event_id], key=_representative_key)
            session.execute(update(Event).where(Event.id == event_id)
                            .values(representative_id=representative.id))
        else:
            session.execute(delete(Event).where(Event.id == event_id))


def assign(session: Session, rows: list[DeploymentRow]) -> None:
    """Give each of ``rows`` (flushed, not yet in an event) its event, merging events it bridges."""
    rows = [row for row in rows if not row.deleted]
    by_force = defaultdict(list)
    for candidate in _candidates(session, rows):
        by_force[candidate.force].append(candidate)
    touched = set()
    for row in rows:
        event_ids = sorted({c.event_id for c in by_force[row.force] if same_movement(row, c)})
        if not event_ids:
            event = Event()
            session.add(event)
            session.flush()
            event_ids = [event.id]
        target, merged = event_ids[0], event_ids[1:]
        if merged:
            for member in session.scalars(select(DeploymentRow).where(DeploymentRow.event_id.in_(merged))):
                member.event_id = target
            session.flush()
            touched.update(merged)
        row.event_id = target
        by_force[row.force].append(row)
        touched.add(target)
    session.flush()
    _set_representatives(session, touched)


def detach(session: Session, rows: list[DeploymentRow]) -> None:
    """Take ``rows`` out of their events; what remains of an event may fall apart into several."""
    leaving = {row.id for row in rows}
    event_ids = {row.event_id for row in rows if row.event_id is not None}
    for row in rows:
        row.event_id = None
    touched = set(event_ids)
    for event_id in event_ids:
        remaining = [m for m in session.scalars(select(DeploymentRow).where(
            DeploymentRow.event_id == event_id, DeploymentRow.deleted.is_(False))) if m.id not in leaving]
        groups = _connected_groups(remaining)
        for group in groups[1:]:
            event = Event()
            session.add(event)
            session.flush()
            touched.add(event.id)
            for member in group:
                member.event_id = event.id
    session.flush()
    _set_representatives(session, touched)


def _connected_groups(rows: list[DeploymentRow]) -> list[list[DeploymentRow]]:
    groups: list[list[DeploymentRow]] = []
    for row in rows:
        linked = [g for g in groups if any(same_movement(row, other) for other in g)]
        merged = [row] + [member for g in linked for member in g]
        groups = [g for g in groups if not any(g is l for l in linked)] + [merged]
    return groups
