"""Exports of a deployment table: CSV, and GIS files through geopandas (GeoJSON, GeoPackage).

Every stored field is kept; the columns the app computes for display are not. Geometry, in
EPSG:4326 (longitude, latitude):

- a movement with both ends placed is a LineString origin → destination (a *flow*);
- a movement with only its destination placed is a Point at the destination;
- a movement with no placed destination has no geometry, and is still exported.

GeoJSON holds them in one FeatureCollection (mixed geometries are valid GeoJSON). A GeoPackage
layer should have one geometry type (ArcGIS refuses mixed layers, QGIS splits them), so the
GeoPackage has a ``flows`` layer, a ``destinations`` layer and, when there are such rows, an
``unplaced`` table without geometry: read every layer back and every row is there.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

# Columns the app computes for display only; the export keeps the stored fields.
DISPLAY_ONLY = ("allocated", "when", "origin_label", "destination_label", "route")
CRS = "EPSG:4326"
# Layers of the GeoPackage, by geometry.
FLOWS, DESTINATIONS, UNPLACED = "flows", "destinations", "unplaced"
# Stored NOT NULL with these defaults (storage.store.DEFAULTS); a file format wants one type per column.
BOOLEAN_DEFAULTS = {"headcount_shared": False, "counted": True, "edited": False, "human_added": False,
                    "is_example": False}


def _stored_fields(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in frame.columns if c in DISPLAY_ONLY or c.startswith("tip_")])


def to_csv(frame: pd.DataFrame) -> bytes:
    return _stored_fields(frame).to_csv(index=False).encode("utf-8")


def _is_list(value) -> bool:
    return isinstance(value, (list, tuple, np.ndarray))


def _file_ready(frame: pd.DataFrame, lists_as_text: bool) -> pd.DataFrame:
    """Stored fields in types a GIS file holds: booleans without gaps, dates as ISO text, and
    list fields (an event's article ids, sources, deployment ids) as JSON text when asked."""
    frame = _stored_fields(frame).reset_index(drop=True)
    for column in frame.columns:
        values = frame[column]
        if column in BOOLEAN_DEFAULTS:
            frame[column] = values.astype(object).where(values.notna(), BOOLEAN_DEFAULTS[column]).astype(bool)
        elif pd.api.types.is_datetime64_any_dtype(values):
            frame[column] = values.dt.strftime("%Y-%m-%dT%H:%M:%S%z").where(values.notna(), None)
        elif values.dtype == object and values.map(_is_list).any():
            as_lists = values.map(lambda v: [x.item() if isinstance(x, np.generic) else x for x in v]
                                  if _is_list(v) else v)
            frame[column] = as_lists.map(lambda v: json.dumps(v, ensure_ascii=False, default=str)
                                         if _is_list(v) else v) if lists_as_text else as_lists
        elif values.dtype == object:
            # Timestamps or dates stored in an object column (e.g. an article's added_at).
            frame[column] = values.map(lambda v: v.isoformat() if hasattr(v, "isoformat") else v)
    return frame


def _geometries(frame: pd.DataFrame):
    """One shapely geometry (or None) per row: LineString, Point or nothing, as the module says."""
    import shapely

    coordinates = {name: pd.to_numeric(frame.get(name), errors="coerce").to_numpy(dtype=float)
                   if name in frame else np.full(len(frame), np.nan)
                   for name in ("origin_lon", "origin_lat", "destination_lon", "destination_lat")}
    has_destination = ~np.isnan(coordinates["destination_lon"]) & ~np.isnan(coordinates["destination_lat"])
    has_origin = ~np.isnan(coordinates["origin_lon"]) & ~np.isnan(coordinates["origin_lat"])
    is_flow = has_destination & has_origin
    geometry = np.full(len(frame), None, dtype=object)
    if is_flow.any():
        ends = np.stack([np.column_stack([coordinates["origin_lon"], coordinates["origin_lat"]])[is_flow],
                         np.column_stack([coordinates["destination_lon"], coordinates["destination_lat"]])[is_flow]],
                        axis=1)
        geometry[is_flow] = shapely.linestrings(ends)
    only_destination = has_destination & ~has_origin
    if only_destination.any():
        geometry[only_destination] = shapely.points(coordinates["destination_lon"][only_destination],
                                                    coordinates["destination_lat"][only_destination])
    return geometry


def to_geodataframe(frame: pd.DataFrame, lists_as_text: bool = True):
    """The table as a GeoDataFrame in EPSG:4326, one row per row, every stored field kept."""
    import geopandas as gpd

    fields = _file_ready(frame, lists_as_text)
    return gpd.GeoDataFrame(fields, geometry=_geometries(fields), crs=CRS)


def to_geojson(frame: pd.DataFrame) -> bytes:
    """A GeoJSON FeatureCollection (RFC 7946: WGS 84 longitude, latitude); list fields stay arrays."""
    return to_geodataframe(frame, lists_as_text=False).to_json(drop_id=True, ensure_ascii=False).encode("utf-8")


def to_geopackage(frame: pd.DataFrame) -> bytes:
    """A GeoPackage with the layers named in the module docstring (an empty table gives an empty
    ``flows`` layer, so the file always opens)."""
    import pyogrio

    table = to_geodataframe(frame)
    kinds = table.geometry.geom_type
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "troopmap.gpkg"
        for layer, part in ((FLOWS, table[kinds == "LineString"]), (DESTINATIONS, table[kinds == "Point"])):
            if len(part) or (layer == FLOWS and table.empty):
                part.to_file(path, layer=layer, driver="GPKG", engine="pyogrio")
        unplaced = table[table.geometry.isna()]
        if len(unplaced):
            pyogrio.write_dataframe(pd.DataFrame(unplaced.drop(columns="geometry")), path, layer=UNPLACED,
                                    driver="GPKG")
        return path.read_bytes()
