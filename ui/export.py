"""Exports of a deployment table: CSV, and GeoJSON with one LineString per arc."""
from __future__ import annotations

import json

import pandas as pd

from ui.tables import json_safe

# Columns the app computes for display only; the export keeps the stored fields.
DISPLAY_ONLY = ("allocated", "when", "origin_label", "destination_label", "route")


def _stored_fields(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in frame.columns if c in DISPLAY_ONLY or c.startswith("tip_")])


def to_csv(frame: pd.DataFrame) -> bytes:
    return _stored_fields(frame).to_csv(index=False).encode("utf-8")


def to_geojson(frame: pd.DataFrame) -> bytes:
    """A FeatureCollection: a LineString origin → destination when both ends are known,
    a Point at the destination when only it is, no geometry otherwise; every field a property."""
    frame = _stored_fields(frame)
    features = []
    for record in frame.to_dict(orient="records"):
        props = {key: json_safe(value) for key, value in record.items()}
        origin = (props.get("origin_lon"), props.get("origin_lat"))
        destination = (props.get("destination_lon"), props.get("destination_lat"))
        if None not in origin and None not in destination:
            geometry = {"type": "LineString", "coordinates": [list(map(float, origin)), list(map(float, destination))]}
        elif None not in destination:
            geometry = {"type": "Point", "coordinates": list(map(float, destination))}
        else:
            geometry = None
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")
