"""Turning what a person did in the deployment editor into Storage calls, with no Streamlit.

``st.data_editor`` reports edits as ``{"edited_rows": {position: {column: value}},
"added_rows": [{column: value}], "deleted_rows": [position]}``. :func:`plan_changes`
checks every value first; only when nothing is wrong does :func:`apply_plan` write, so a
bad value never half-saves a batch and everything typed stays in the editor to be fixed.
A place typed by name is geocoded again with the offline gazetteer.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Callable, Optional

import pandas as pd

from extract.schema import STATUSES

# What the editor lets a person change; the rest (offsets, confidence, ids) is read-only.
EDITABLE = (
    "origin", "destination", "headcount", "headcount_shared", "force", "unit", "status", "date",
    "evidence", "origin_lat", "origin_lon", "destination_lat", "destination_lon",
)
PLACE_FIELDS = ("origin", "destination")


@dataclass
class Plan:
    updates: list[tuple[int, dict]] = field(default_factory=list)
    additions: list[dict] = field(default_factory=list)
    deletions: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # blocking: nothing is saved
    notes: list[str] = field(default_factory=list)      # what was understood, e.g. a place resolved

    @property
    def empty(self) -> bool:
        return not (self.updates or self.additions or self.deletions)


def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _headcount(value, where: str, problems: list[str]):
    if _blank(value):
        return None
    try:
        number = float(str(value).replace(",", "").replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        problems.append(f"{where}: headcount “{value}” is not a number")
        return None
    if number < 0 or number != int(number):
        problems.append(f"{where}: headcount “{value}” must be a whole number of troops, 0 or more")
        return None
    return int(number)


def _date(value, where: str, problems: list[str]):
    if _blank(value):
        return None
    if isinstance(value, (dt.date, pd.Timestamp)):
        return pd.Timestamp(value).date().isoformat()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        problems.append(f"{where}: date “{text}” is not a date like 2022-02-02")
        return None


def _coordinate(value, axis: str, where: str, problems: list[str]):
    if _blank(value):
        return None
    limit = 90 if axis == "lat" else 180
    try:
        number = float(value)
    except (TypeError, ValueError):
        problems.append(f"{where}: {axis} “{value}” is not a number")
        return None
    if not -limit <= number <= limit:
        problems.append(f"{where}: {axis} {number} is outside ±{limit}")
        return None
    return number


def _force(value, where: str, problems: list[str], resolve: Callable):
    if _blank(value):
        return None
    text = str(value).strip()
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    place = resolve(text)
    if place is not None and getattr(place, "kind", None) == "country" and getattr(place, "country", None):
        return place.country
    problems.append(f"{where}: force “{text}” is not a country (use a two-letter code such as US, FR, DE)")
    return None


def _place(side: str, changes: dict, row: dict, where: str, plan: Plan, resolve: Callable) -> dict:
    """The stored fields of one end of a movement after a person's change to it."""
    name_changed = side in changes
    lat_key, lon_key = f"{side}_lat", f"{side}_lon"
    lat = _coordinate(changes[lat_key], "lat", where, plan.problems) if lat_key in changes else None
    lon = _coordinate(changes[lon_key], "lon", where, plan.problems) if lon_key in changes else None
    typed_coordinates = lat is not None and lon is not None
    out: dict = {}
    if name_changed:
        name = changes[side]
        if _blank(name):
            return {side: None, f"{side}_country": None, lat_key: None, lon_key: None,
                    f"{side}_kind": None, f"{side}_text": None}
        name = str(name).strip()
        place = resolve(name)
        if place is not None:
            out = {side: place.name, f"{side}_country": place.country, lat_key: place.lat, lon_key: place.lon,
                   f"{side}_kind": place.kind, f"{side}_text": name}
            if place.name != name:
                plan.notes.append(f"{where}: {side} “{name}” read as {place.name} ({place.country or 'region'})")
        elif typed_coordinates:
            out = {side: name, f"{side}_country": None, f"{side}_kind": None, f"{side}_text": name}
        else:
            plan.problems.append(
                f"{where}: {side} “{name}” is not in the offline gazetteer; check the spelling, "
                f"or type its {side}_lat and {side}_lon too")
            return {}
    if typed_coordinates:
        out[lat_key], out[lon_key] = lat, lon
    elif (lat_key in changes and lon_key in changes and _blank(changes[lat_key])
          and _blank(changes[lon_key]) and not name_changed):
        out[lat_key] = out[lon_key] = None
    elif (lat_key in changes) != (lon_key in changes) or (lat is None) != (lon is None):
        if lat_key in changes or lon_key in changes:
            plan.problems.append(f"{where}: give both {side}_lat and {side}_lon, or clear both")
    return out


def _row_changes(changes: dict, row: dict, where: str, plan: Plan, resolve: Callable) -> dict:
    out: dict = {}
    for side in PLACE_FIELDS:
        out.update(_place(side, changes, row, where, plan, resolve))
    for column, value in changes.items():
        if column in PLACE_FIELDS or column.endswith(("_lat", "_lon")) or column not in EDITABLE:
            continue
        if column == "headcount":
            out[column] = _headcount(value, where, plan.problems)
        elif column == "date":
            out[column] = _date(value, where, plan.problems)
        elif column == "force":
            out[column] = _force(value, where, plan.problems, resolve)
        elif column == "status":
            if value not in STATUSES:
                plan.problems.append(f"{where}: status “{value}” is not one of {', '.join(STATUSES)}")
            else:
                out[column] = value
        elif column == "headcount_shared":
            out[column] = bool(value) if not _blank(value) else False
        else:
            out[column] = None if _blank(value) else str(value)
    return out


def plan_changes(base: pd.DataFrame, editor_state: dict, resolve: Callable[[str], Optional[object]]) -> Plan:
    """Check every change the editor reports against ``base`` (the rows it was given, in
    order, with an ``id`` column). ``resolve(name)`` returns a place or None."""
    plan = Plan()
    records = base.to_dict(orient="records")
    for position in editor_state.get("deleted_rows", []):
        plan.deletions.append(int(records[int(position)]["id"]))
    for position, changes in editor_state.get("edited_rows", {}).items():
        row = records[int(position)]
        if int(position) in editor_state.get("deleted_rows", []):
            continue
        where = f"Row {int(position) + 1} ({row.get('origin') or '?'} → {row.get('destination') or '?'})"
        values = _row_changes(changes, row, where, plan, resolve)
        if values:
            plan.updates.append((int(row["id"]), values))
    for number, added in enumerate(editor_state.get("added_rows", []), start=1):
        if all(_blank(v) for v in added.values()):
            continue  # an empty line the editor adds when a person clicks "+" and stops there
        where = f"New row {number}"
        values = _row_changes(added, {}, where, plan, resolve)
        if not values.get("destination") and "destination_lat" not in values:
            if not any(where in p for p in plan.problems):
                plan.problems.append(f"{where}: a movement needs a destination")
        values.setdefault("status", "other")
        values["evidence"] = values.get("evidence") or "added by hand"
        plan.additions.append(values)
    return plan


def apply_plan(storage, article_id: int, plan: Plan) -> None:
    """Write a checked plan: each call records its edit in Storage's edit log."""
    if plan.problems:
        raise ValueError("refusing to save a plan with problems")
    for deployment_id in plan.deletions:
        storage.delete_deployment(deployment_id)
    for deployment_id, changes in plan.updates:
        storage.update_deployment(deployment_id, changes)
    for row in plan.additions:
        storage.add_deployment(article_id, row)
