"""What the Map and Charts pages show, aggregated in the database.

A library of 100,000 movements cannot be read into Python and drawn one arc per movement on
every rerun; these queries send back only what a page draws: flows per route or per country
pair, totals per place or force, a page of the largest movements. Each query starts from the
same selection of events (:func:`shown`): one row per event (its representative deployment) with
its stored ``allocated``, the troops it gives per-place totals (storage/allocation.py: a shared
figure split evenly between its places), so every total is a plain GROUP BY, the same on SQLite
and PostgreSQL.

Dates are the stored ``event_date`` (the movement's date, else its article's publication date),
ISO text, so comparing strings compares days.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

import pandas as pd
from sqlalchemy import and_, case, distinct, exists, func, or_, select

from storage.models import Article, DeploymentRow, Event

UNKNOWN_FORCE = "unknown"
NOT_STATED = "(origin not stated)"
NO_DESTINATION = "(no destination)"
# What an arc of the map sums, per level: a route between two places, or a pair of countries.
FLOW_KEYS = {"place": ("route_key",), "country": ("origin_key", "destination_key")}
PLACE_COLUMNS = ("origin", "origin_country", "origin_lat", "origin_lon",
                 "destination", "destination_country", "destination_lat", "destination_lon")


@dataclass(frozen=True)
class Selection:
    """Which events a page shows. Empty tuples mean everything; dates are ISO days, inclusive.
    ``since``/``until`` are the timeline's window: they never include undated events."""

    date_from: Optional[str] = None
    date_to: Optional[str] = None
    include_undated: bool = True
    forces: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    article_ids: tuple[int, ...] = ()
    since: Optional[str] = None
    until: Optional[str] = None
    # One arc or bar of a figure: (group name, value) pairs, names from GROUPS, or ("event",
    # (ids...)) for a list of events. Narrows the selection to the events that arc or bar sums.
    group: tuple[tuple[str, object], ...] = ()


GROUPS = ("destination", "origin", "force", "status", "route_key", "origin_key", "destination_key",
          "destination_country")


def group_labels(columns) -> dict:
    """What each figure groups events by, as SQL over deployment ``columns``: the flows, bars and
    Sankey group on these, and Selection.group filters on the same expressions, so a click on an
    arc or bar finds exactly the events it sums."""
    return {
        "destination": func.coalesce(columns.destination, NO_DESTINATION),
        "origin": case((and_(columns.origin.is_not(None), columns.origin != ""), columns.origin), else_=NOT_STATED),
        "force": func.coalesce(columns.force, UNKNOWN_FORCE),
        "status": func.coalesce(columns.status, "other"),
        "route_key": columns.route_key,
        # Country pairs: a place without a country (a region) stands for itself.
        "origin_key": func.coalesce(columns.origin_country, columns.origin),
        "destination_key": func.coalesce(columns.destination_country, columns.destination),
        "destination_country": columns.destination_country,
    }


def _day_after(day: str) -> str:
    return (date.fromisoformat(day[:10]) + timedelta(days=1)).isoformat()


def shown(selection: Selection):
    """The selected events as a subquery: each event's representative row (the deployment
    columns), ``event`` (its id) and ``allocated``."""
    reps = DeploymentRow.__table__
    event = Event.__table__
    conditions = [reps.c.deleted.is_(False)]
    if selection.forces:
        conditions.append(func.coalesce(reps.c.force, UNKNOWN_FORCE).in_(selection.forces))
    if selection.statuses:
        conditions.append(reps.c.status.in_(selection.statuses))
    if selection.countries:
        conditions.append(or_(reps.c.origin_country.in_(selection.countries),
                              reps.c.destination_country.in_(selection.countries)))
    if selection.article_ids:
        member = DeploymentRow.__table__.alias("member")
        conditions.append(exists().where(member.c.event_id == event.c.id, member.c.deleted.is_(False),
                                         member.c.article_id.in_(selection.article_ids)))
    if selection.date_from or selection.date_to:
        in_range = []
        if selection.date_from:
            in_range.append(reps.c.event_date >= selection.date_from)
        if selection.date_to:
            in_range.append(reps.c.event_date < _day_after(selection.date_to))
        dated = and_(*in_range)
        conditions.append(or_(dated, reps.c.event_date.is_(None)) if selection.include_undated else dated)
    if selection.since:
        conditions.append(reps.c.event_date >= selection.since)
    if selection.until:
        conditions.append(reps.c.event_date < _day_after(selection.until))
    labels = group_labels(reps.c)
    for name, value in selection.group:
        if name == "event":
            conditions.append(event.c.id.in_([int(v) for v in value]))
        elif name not in labels:
            raise ValueError(f"cannot group events by {name!r}: one of {', '.join(GROUPS)} or 'event'")
        else:
            conditions.append(labels[name].is_(None) if value is None else labels[name] == value)
    # Every column but the stored allocation, which the subquery names as a computed one would.
    columns = [column for column in reps.c if column.name != "allocated"]
    return (select(*columns, event.c.id.label("event"), func.coalesce(reps.c.allocated, 0.0).label("allocated"))
            .select_from(event.join(reps, reps.c.id == event.c.representative_id))
            .where(*conditions).subquery("shown"))


def _frame(storage, query) -> pd.DataFrame:
    return storage._frame(query)


def summary(storage, selection: Selection) -> dict:
    """Events shown, troops (each figure once: counted rows) and the articles reporting them."""
    events = shown(selection)
    member = DeploymentRow.__table__.alias("member")
    counted = func.coalesce(func.sum(case((events.c.counted, events.c.headcount), else_=0)), 0)
    with storage._connection() as connection:
        n_events, troops = connection.execute(select(func.count(), counted).select_from(events)).one()
        n_articles = connection.execute(
            select(func.count(distinct(member.c.article_id)))
            .select_from(events.join(member, member.c.event_id == events.c.event))
            .where(member.c.deleted.is_(False))).scalar()
    return {"events": int(n_events), "troops": int(troops or 0), "articles": int(n_articles or 0)}


def flows(storage, selection: Selection, level: str = "place", colour_by: str = "force",
          limit: Optional[int] = None) -> pd.DataFrame:
    """One row per route and colour value (force or status): the places, ``allocated`` (troops,
    shared figures split), ``headcount`` (counted), ``events``, first and last date. Largest first.

    ``level="place"`` groups on the stored route (origin and destination places);
    ``level="country"`` sums every route between two countries (a place without a country,
    such as a region, stays itself: keys ``origin_key``/``destination_key``); the places shown
    are then those of one of its routes (``place_row``, a deployment id: :func:`flow_group` turns
    it back into the events the arc sums), and coordinates are the caller's to choose."""
    if level not in FLOW_KEYS:
        raise ValueError(f"level must be 'place' or 'country', not {level!r}")
    events = shown(selection)
    labels = group_labels(events.c)
    colour = labels[colour_by]
    keys = [labels[name].label(name) for name in FLOW_KEYS[level]]
    troops = func.sum(events.c.allocated)
    # Grouped on keys only, one row id per group to read its places from afterwards: taking
    # min() of eight place columns in the grouping itself costs twice as much.
    grouped = (select(func.min(events.c.id).label("place_row"), colour.label(colour_by), troops.label("allocated"),
                      func.coalesce(func.sum(case((events.c.counted, events.c.headcount), else_=0)), 0)
                      .label("headcount"),
                      func.count().label("events"), func.min(events.c.event_date).label("first_date"),
                      func.max(events.c.event_date).label("last_date"),
                      *(key for key in keys if key.name != "route_key"))
               .where(events.c.destination.is_not(None))
               .group_by(*keys, colour)
               .order_by(troops.desc(), func.count().desc()))
    if limit:
        grouped = grouped.limit(limit)
    grouped = grouped.subquery("grouped")
    place = DeploymentRow.__table__
    query = (select(*(place.c[name] for name in PLACE_COLUMNS),
                    *grouped.c)
             .join_from(grouped, place, place.c.id == grouped.c.place_row)
             .order_by(grouped.c.allocated.desc(), grouped.c.events.desc()))
    return _frame(storage, query)


def flow_group(storage, level: str, colour_by: str, place_row: int, colour) -> tuple | None:
    """The Selection.group of one arc of :func:`flows`: the route (or pair of countries) of its
    ``place_row`` and its colour value; None when that row is no longer stored."""
    row = DeploymentRow.__table__
    labels = group_labels(row.c)
    with storage._connection() as connection:
        values = connection.execute(select(*(labels[name] for name in FLOW_KEYS[level]))
                                    .where(row.c.id == int(place_row))).first()
    if values is None:
        return None
    return (*zip(FLOW_KEYS[level], tuple(values)), (colour_by, colour))


def count_routes(storage, selection: Selection, level: str = "place") -> int:
    events = shown(selection)
    key = [group_labels(events.c)[name] for name in FLOW_KEYS[level]]
    inner = select(*key).where(events.c.destination.is_not(None)).group_by(*key).subquery()
    with storage._connection() as connection:
        return int(connection.execute(select(func.count()).select_from(inner)).scalar())


def troops_by(storage, selection: Selection, what: str, limit: int = 25) -> pd.Series:
    """Troops (allocated) per destination, origin, force or destination country, largest first."""
    events = shown(selection)
    label = group_labels(events.c)[what]
    total = func.sum(events.c.allocated)
    query = select(label.label("label"), total.label("allocated")).group_by(label).order_by(total.desc())
    if what == "destination_country":
        query = query.where(events.c.destination_country.is_not(None))
    if limit:
        query = query.limit(limit)
    frame = _frame(storage, query)
    return pd.Series(frame["allocated"].astype(float).values, index=frame["label"].values, name="allocated")


def links(storage, selection: Selection, limit: int = 60) -> pd.DataFrame:
    """Origin → destination troops (allocated) by place names, largest first: the Sankey's links."""
    events = shown(selection)
    labels = group_labels(events.c)
    origin, destination = labels["origin"], labels["destination"]
    total = func.sum(events.c.allocated)
    query = (select(origin.label("origin_label"), destination.label("destination_label"), total.label("allocated"))
             .where(events.c.allocated > 0).group_by(origin, destination).order_by(total.desc()).limit(limit))
    return _frame(storage, query)


def by_day(storage, selection: Selection) -> pd.DataFrame:
    """Troops (allocated) and movements per day and force, dated events only: the timeline."""
    events = shown(selection)
    day = func.substr(events.c.event_date, 1, 10)
    force = func.coalesce(events.c.force, UNKNOWN_FORCE)
    query = (select(day.label("day"), force.label("force"), func.sum(events.c.allocated).label("allocated"),
                    func.count().label("events"))
             .where(events.c.event_date.is_not(None)).group_by(day, force).order_by(day))
    frame = _frame(storage, query)
    frame["day"] = pd.to_datetime(frame["day"], errors="coerce")
    return frame.dropna(subset=["day"])


def days(storage, selection: Selection) -> list[str]:
    """The distinct days with at least one selected event, in order (the timeline's steps)."""
    events = shown(selection)
    day = func.substr(events.c.event_date, 1, 10)
    with storage._connection() as connection:
        return [value for (value,) in connection.execute(
            select(day).where(events.c.event_date.is_not(None)).group_by(day).order_by(day)) if value]


def events_table(storage, selection: Selection, limit: Optional[int] = None, undated_only: bool = False,
                 with_sources: bool = True) -> pd.DataFrame:
    """The selected events, largest figure first, with every stored column, ``event_id``,
    ``allocated``, the article's ``published`` and title, and (``with_sources``) ``n_sources``,
    ``article_ids``, ``sources`` and ``deployment_ids`` like Storage.events."""
    events = shown(selection)
    columns = [events.c.id, events.c.article_id, Article.title.label("article_title"),
               Article.source.label("article_source"), Article.published.label("published"),
               *(events.c[name] for name in _deployment_columns()),
               events.c.extractor_version, events.c.edited, events.c.human_added, events.c.review,
               events.c.event.label("event_id"), events.c.allocated]
    query = (select(*columns).join(Article, Article.id == events.c.article_id)
             .order_by(func.coalesce(events.c.headcount, -1).desc(), events.c.event_date, events.c.id))
    if undated_only:
        query = query.where(events.c.event_date.is_(None))
    if limit:
        query = query.limit(limit)
    frame = _frame(storage, query)
    if with_sources:
        frame = _with_sources(storage, frame)
    return frame


def _deployment_columns() -> list[str]:
    from extract.schema import COLUMNS
    return list(COLUMNS)


def _with_sources(storage, frame: pd.DataFrame) -> pd.DataFrame:
    """Each event's reporting articles, as Storage.events lists them."""
    if frame.empty:
        for column in ("n_sources", "article_ids", "sources", "deployment_ids"):
            frame[column] = pd.Series(dtype=object)
        return frame
    member = DeploymentRow.__table__
    ids = [int(value) for value in frame["event_id"].dropna().unique()]
    members = []
    # In chunks: a statement has a limit on bound parameters.
    for start in range(0, len(ids), 20_000):
        query = (select(member.c.event_id, member.c.id, member.c.article_id,
                        func.coalesce(Article.title, Article.source).label("label"))
                 .join(Article, Article.id == member.c.article_id)
                 .where(member.c.deleted.is_(False), member.c.event_id.in_(ids[start:start + 20_000]))
                 .order_by(member.c.event_id, member.c.article_id, member.c.id))
        members.append(_frame(storage, query))
    rows = pd.concat(members, ignore_index=True)
    rows["label"] = rows["label"].where(rows["label"].notna(), "article " + rows["article_id"].astype(str))
    per_article = rows.drop_duplicates(["event_id", "article_id"])
    grouped = pd.DataFrame({
        "article_ids": per_article.groupby("event_id")["article_id"].agg(list),
        "sources": per_article.groupby("event_id")["label"].agg(list),
        "deployment_ids": rows.groupby("event_id")["id"].agg(list),
    })
    grouped["n_sources"] = grouped["article_ids"].map(len)
    return frame.join(grouped, on="event_id")


def filter_options(storage) -> dict:
    """What the sidebar offers: the date span, forces, statuses and countries of stored events."""
    events = shown(Selection())
    with storage._connection() as connection:
        low, high = connection.execute(select(func.min(func.substr(events.c.event_date, 1, 10)),
                                              func.max(func.substr(events.c.event_date, 1, 10)))).one()
        forces = [v for (v,) in connection.execute(
            select(func.coalesce(events.c.force, UNKNOWN_FORCE)).distinct())]
        statuses = [v for (v,) in connection.execute(select(events.c.status).distinct())]
        origin = select(events.c.origin_country.label("code")).where(events.c.origin_country.is_not(None))
        destination = select(events.c.destination_country.label("code")).where(
            events.c.destination_country.is_not(None))
        countries = [v for (v,) in connection.execute(origin.union(destination))]
        n_events = connection.execute(select(func.count()).select_from(events)).scalar()
    return {"first_day": low, "last_day": high, "forces": sorted(forces), "statuses": statuses,
            "countries": countries, "events": int(n_events)}


__all__ = ["FLOW_KEYS", "GROUPS", "Selection", "by_day", "count_routes", "days", "events_table", "filter_options",
           "flow_group", "flows", "group_labels", "links", "shown", "summary", "troops_by"]
