"""Figures from a deployment table: the pydeck map and the plotly charts.

Pure functions of DataFrames, with no Streamlit import, so the pages, the benchmark and
the tests build exactly the same figures. Every total uses ``allocated`` from
:mod:`ui.tables`, so a figure shared by several rows, or an event reported by several
articles (the table holds one row per event), is counted once.

The map needs no network: no basemap tiles or style are requested (see :func:`build_map`),
and the land is the country polygons shipped in ``data/``.
"""
from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pydeck as pdk

from extract.schema import STATUSES
from pydeck.bindings.json_tools import default_serialize

if TYPE_CHECKING:
    import plotly.graph_objects as go

from ui.tables import NOT_STATED, largest_moves, prepare_events

PALETTE = [
    (57, 105, 172), (231, 63, 116), (17, 165, 121), (242, 183, 1), (127, 60, 141),
    (230, 131, 16), (0, 134, 149), (128, 186, 90), (207, 28, 144), (249, 123, 114),
]
OTHER_COLOUR = (150, 150, 150)
STATUS_COLOURS = {
    "announced": (57, 105, 172), "ordered": (127, 60, 141), "deployed": (230, 131, 16),
    "arrived": (17, 165, 121), "withdrawn": (150, 150, 150), "alert": (242, 183, 1),
    "other": (120, 120, 120),
}
COLOUR_BY = ("force", "status")
# The largest moves are found among this many largest events (a shared figure's places included).
LARGEST_POOL = 300
# More markers than this on the timeline and it shows weeks rather than days.
TIMELINE_POINTS = 2000
# The origin end of an arc: its colour mixed a quarter of the way from white, mostly transparent.
ORIGIN_STRENGTH = 0.25
ORIGIN_ALPHA = 90
# Land with no troops received: four close greys, so neighbouring countries stay apart with no border line.
LAND_TONES = [(226, 226, 220), (214, 216, 208), (234, 231, 222), (220, 223, 226)]
LAND_TOLERANCE = 0.05   # degrees (about 5 km): simplification of the country outlines
TIP_FIELDS = ("tip_title", "tip_1", "tip_2", "tip_3", "tip_4")
# Streamlit escapes every substituted value, so evidence text cannot inject markup.
TOOLTIP = {
    "html": "<b>{tip_title}</b><br/>{tip_1}<br/>{tip_2}<br/>{tip_3}<br/><i>{tip_4}</i>",
    "style": {"maxWidth": "420px", "whiteSpace": "normal", "fontSize": "12px"},
}


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: pydeck indents by two spaces, which makes the
    country polygons about six times larger on the wire. Streamlit calls ``to_json``."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def compact_countries(countries: dict, digits: int = 2, borders: pd.DataFrame | None = None,
                      tolerance: float = LAND_TOLERANCE) -> dict:
    """The country polygons made light for the browser: simplified to ``tolerance`` degrees and
    rounded to ``digits`` (a world map needs no more), each with a ``tone`` so that neighbours differ.

    Why: deck.gl in a browser without a GPU (software WebGL, as in the tests and many remote
    desktops) spent about 7 s drawing the full outlines; the map has no country strokes, and
    neighbouring countries are told apart by their tone instead (``borders``: pairs of ISO codes
    that share a border, data/borders.csv)."""
    import shapely

    def rounded(coords):
        if coords and isinstance(coords[0], (int, float)):
            return [round(coords[0], digits), round(coords[1], digits)]
        return [rounded(c) for c in coords]

    def simplified(geometry: dict | None) -> dict | None:
        if not geometry:
            return None
        shape = _unwrapped(shapely.geometry.shape(geometry)).simplify(tolerance, preserve_topology=True)
        mapping = shapely.geometry.mapping(shape)
        return {"type": mapping["type"], "coordinates": rounded(mapping["coordinates"])}

    features = countries.get("features", [])
    tones = land_tones([(f.get("properties") or {}).get("ISO_A2") for f in features], borders)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {**(f.get("properties") or {}),
                                           "tone": tones.get((f.get("properties") or {}).get("ISO_A2"), 0)},
         "geometry": simplified(f.get("geometry"))}
        for f in features]}


def _unwrapped(shape):
    """The shape with every part that crosses the antimeridian (eastern Russia, Fiji: longitudes
    jumping from 179.9 to -178.7) continued past 180°, instead of drawn as a band round the world."""
    import shapely

    def unwrap(part):
        low, _, high, _ = part.bounds
        if high - low <= 180:
            return part
        return shapely.transform(part, lambda xy: np.column_stack([np.where(xy[:, 0] < 0, xy[:, 0] + 360, xy[:, 0]),
                                                                    xy[:, 1]]))
    if shape.geom_type == "MultiPolygon":
        return shapely.MultiPolygon([unwrap(part) for part in shape.geoms])
    return unwrap(shape) if shape.geom_type == "Polygon" else shape


def land_tones(codes: list, borders: pd.DataFrame | None) -> dict[str, int]:
    """A tone (index into LAND_TONES) per country such that countries sharing a border differ
    where the few tones allow: greedy colouring, most-bordered countries first."""
    neighbours: dict[str, set[str]] = {code: set() for code in codes if code}
    if borders is not None:
        for a, b in zip(borders["a"], borders["b"]):
            if a in neighbours and b in neighbours:
                neighbours[a].add(b)
                neighbours[b].add(a)
    tones: dict[str, int] = {}
    for code in sorted(neighbours, key=lambda c: (-len(neighbours[c]), c)):
        taken = {tones[n] for n in neighbours[code] if n in tones}
        tones[code] = next((t for t in range(len(LAND_TONES)) if t not in taken), 0)
    return tones


def direction_colours(colour: tuple[int, int, int]) -> tuple[list[int], list[int]]:
    """(origin end, destination end) of an arc of this category colour.

    Hue says force or status, so direction is carried by lightness and opacity instead: an arc
    starts pale and faint at its origin and ends in full colour at its destination. Two hues
    per arc (a source colour and a target colour) would have left no hue for the category.
    """
    pale = [int(255 - ORIGIN_STRENGTH * (255 - channel)) for channel in colour]
    return pale + [ORIGIN_ALPHA], list(colour) + [235]


def category_colours(frame: pd.DataFrame, colour_by: str,
                     forces: list[str] | None = None) -> dict[str, tuple[int, int, int]]:
    """Colour for each value of ``colour_by``: fixed per status; per force, in sorted order of
    ``forces`` (every force of the library, so a force keeps its colour from one timeline step or
    filter to the next), else of the forces in ``frame``."""
    if colour_by == "status":
        return dict(STATUS_COLOURS)
    values = sorted({str(v) for v in (forces if forces is not None else frame[colour_by].dropna())})
    return {value: PALETTE[i % len(PALETTE)] for i, value in enumerate(values)}


def _fmt_headcount(value) -> str:
    if pd.isna(value):
        return "no figure given"
    return f"{int(value):,} troops"


def _arc_tooltips(frame: pd.DataFrame) -> pd.DataFrame:
    headcount = frame["headcount"].map(_fmt_headcount)
    shared = np.where(frame["headcount_shared"].fillna(False).astype(bool), " (one figure shared between places)", "")
    force = frame["force"].fillna("?").astype(str)
    unit = frame["unit"].fillna("").astype(str)
    when = frame["when"].map(lambda t: "" if pd.isna(t) else t.date().isoformat())
    sources = frame["sources"] if "sources" in frame else frame["article_title"]
    source = sources.map(lambda s: "; ".join(map(str, s)) if isinstance(s, (list, tuple, np.ndarray)) else ("" if pd.isna(s) else str(s)))
    evidence = frame["evidence"].fillna("").astype(str).str.slice(0, 300)
    return pd.DataFrame({
        "tip_title": frame["route"].astype(str),
        "tip_1": headcount + shared + " · force " + force + np.where(unit != "", " · " + unit, ""),
        "tip_2": frame["status"].fillna("other").astype(str) + np.where(when != "", " · " + when, ""),
        "tip_3": "Source: " + source,
        "tip_4": evidence,
    }, index=frame.index)


def _tooltips(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows' own tooltip fields when they carry them (aggregated flows), else an event's."""
    return frame[list(TIP_FIELDS)] if "tip_title" in frame else _arc_tooltips(frame)


def _pick_fields(frame: pd.DataFrame, colour_by: str) -> pd.DataFrame:
    """What a click on an arc or dot sends back (st.pydeck_chart's selection): the row that names
    an aggregated flow's route (``place_row``, storage.views.flows) or the event it draws, its
    colour value and whether it is an earlier step of the timeline. See :func:`picked_flow`."""
    fields = pd.DataFrame({"category": frame[colour_by].astype(object).where(frame[colour_by].notna(), None),
                           "faded": _faded_flags(frame)}, index=frame.index)
    for name in ("place_row", "event_id"):
        if name in frame:
            fields[name] = [None if pd.isna(value) else int(value) for value in frame[name]]
    return fields


MAP_LAYERS_PICKED = ("arcs", "destinations")


def picked_flow(selection) -> dict | None:
    """The arc or dot a person clicked on the map (``st.pydeck_chart(..., on_select="rerun")``'s
    value), as the fields of :func:`_pick_fields` plus its tooltip title; None if none is."""
    objects = ((selection or {}).get("selection") or {}).get("objects") or {}
    for layer in MAP_LAYERS_PICKED:
        for picked in objects.get(layer) or []:
            if picked.get("place_row") is not None or picked.get("event_id") is not None:
                return picked
    return None


def _faded_flags(frame: pd.DataFrame) -> list[bool]:
    return frame["faded"].fillna(False).astype(bool).tolist() if "faded" in frame else [False] * len(frame)


def _faded(colour: list[int], faded: bool) -> list[int]:
    """Movements of earlier steps of the timeline: the same hue, a third as opaque."""
    return colour[:3] + [max(20, colour[3] // 3)] if faded else colour


def flow_tooltips(flows: pd.DataFrame, colour_by: str) -> pd.DataFrame:
    """Tooltip fields of aggregated flows (storage.views.flows): troops, movements, dates."""
    troops = flows["allocated"].fillna(0).round().astype(int).map("{:,} troops".format)
    movements = flows["events"].astype(int).map(lambda n: f"{n:,} movement" + ("" if n == 1 else "s"))
    first, last = flows["first_date"].fillna("").astype(str), flows["last_date"].fillna("").astype(str)
    dates = np.where(first == last, first, first + " – " + last)
    return pd.DataFrame({
        "tip_title": flows["origin_label"].astype(str) + " → " + flows["destination_label"].astype(str),
        "tip_1": troops + " · " + movements,
        "tip_2": f"{colour_by} " + flows[colour_by].fillna("?").astype(str),
        "tip_3": np.where(dates != "", "dates " + dates, "undated"),
        "tip_4": np.where(flows.get("faded", pd.Series(False, index=flows.index)).fillna(False).astype(bool),
                          "earlier in the timeline", ""),
    }, index=flows.index)


def flows_for_map(flows: pd.DataFrame, level: str, colour_by: str, country_points: pd.DataFrame | None = None,
                  country_names: dict | None = None) -> pd.DataFrame:
    """storage.views.flows made ready for :func:`build_map`: labels, tooltips and, for country
    pairs, each country's representative point and name (a place with no country keeps its own)."""
    frame = flows.copy()
    if level == "country" and country_points is not None and len(frame):
        points = country_points.set_index("iso2")
        names = country_names or {}
        for end in ("origin", "destination"):
            code = frame[f"{end}_key"].where(frame[f"{end}_country"].notna())
            frame[f"{end}_lat"] = code.map(points["lat"]).fillna(frame[f"{end}_lat"])
            frame[f"{end}_lon"] = code.map(points["lon"]).fillna(frame[f"{end}_lon"])
            frame[end] = code.map(lambda c: names.get(c, c) if isinstance(c, str) else None).fillna(frame[end])
    frame["origin_label"] = frame["origin"].where(frame["origin"].notna() & (frame["origin"] != ""), NOT_STATED)
    frame["destination_label"] = frame["destination"].fillna("(no destination)")
    return frame.join(flow_tooltips(frame, colour_by)) if len(frame) else frame.assign(**{f: "" for f in TIP_FIELDS})


def troops_by_country(events: pd.DataFrame) -> pd.Series:
    """Troops received per destination country code (shared figures split evenly)."""
    frame = events if "allocated" in events else prepare_events(events)
    return frame.dropna(subset=["destination_country"]).groupby("destination_country")["allocated"].sum()


def shade_countries(countries: dict, received: pd.Series) -> dict:
    """The country polygons with a fill colour and tooltip fields per country.

    Features are copied shallowly (geometry shared) so the cached GeoJSON is never mutated.
    """
    peak = float(received.max()) if len(received) and received.max() > 0 else 0.0
    features = []
    for feature in countries.get("features", []):
        props = feature.get("properties") or {}
        code = props.get("ISO_A2")
        troops = float(received.get(code, 0.0)) if code else 0.0
        if troops > 0 and peak > 0:
            # Square root so a 1,000-troop country is still visible next to a 50,000 one.
            strength = 0.25 + 0.75 * math.sqrt(troops / peak)
            fill = [int(255 - strength * (255 - 200)), int(255 - strength * (255 - 60)), int(255 - strength * (255 - 40)), 200]
        else:
            fill = list(LAND_TONES[props.get("tone", 0) % len(LAND_TONES)]) + [255]
        name = props.get("name") or props.get("NAME") or code or ""
        features.append({
            "type": "Feature",
            "geometry": feature.get("geometry"),
            "properties": {
                "fill": fill,
                "tip_title": name,
                "tip_1": f"Troops received: {int(round(troops)):,}" if troops else "No troops received in this view",
                "tip_2": "", "tip_3": "", "tip_4": "",
            },
        })
    return {"type": "FeatureCollection", "features": features}


def view_fit(frame: pd.DataFrame, width_px: int, height_px: int) -> tuple[float, float, float]:
    """(longitude, latitude, zoom) of a view that fits every arc end into a map of the given size in
    pixels (Web Mercator, zoom as deck.gl counts it: the world is 512 * 2**zoom pixels wide)."""
    lats = pd.concat([frame["origin_lat"], frame["destination_lat"]]).astype(float).dropna()
    lons = pd.concat([frame["origin_lon"], frame["destination_lon"]]).astype(float).dropna()
    if lats.empty:
        return 10.0, 35.0, 0.8
    # Mercator stretches latitudes, ~1.4x at 50°.
    lon_span = max(float(lons.max() - lons.min()), 2.0)
    lat_span = max(float(lats.max() - lats.min()), 1.0) * 1.4
    zoom = min(math.log2(width_px * 360 / (512 * lon_span)), math.log2(height_px * 360 / (512 * lat_span))) - 0.3
    return (float((lons.max() + lons.min()) / 2), float((lats.max() + lats.min()) / 2), float(np.clip(zoom, 0.3, 6)))


def _view_state(frame: pd.DataFrame, width_px: int, height_px: int) -> pdk.ViewState:
    longitude, latitude, zoom = view_fit(frame, width_px, height_px)
    return pdk.ViewState(latitude=latitude, longitude=longitude, zoom=zoom)


def fitted_zoom(events: pd.DataFrame, width: int, height: int) -> float:
    """The zoom :func:`build_map` gives a map of ``events`` of this size in pixels."""
    frame = events if "allocated" in events else prepare_events(events)
    return view_fit(frame, width, height)[2]


def build_map(
    events: pd.DataFrame,
    countries: dict | None = None,
    installations: pd.DataFrame | None = None,
    colour_by: str = "force",
    height: int = 560,
    width: int = 900,
    fit: pd.DataFrame | None = None,
    forces: list[str] | None = None,
) -> pdk.Deck:
    """The deployment map: arcs origin → destination, countries shaded by troops received,
    installations as points. ``events`` is one row per event (as Storage.events returns);
    ``width``/``height`` are the expected size in pixels, used to fit the view to ``events``, or
    to ``fit`` when given (a replay keeps one view for all its steps); ``forces``: see
    :func:`category_colours`."""
    frame = events if "allocated" in events else prepare_events(events)
    layers = []
    if countries:
        layers.append(pdk.Layer(
            "GeoJsonLayer", id="countries", data=shade_countries(countries, troops_by_country(frame)),
            stroked=False, filled=True, get_fill_color="properties.fill", pickable=True, auto_highlight=True,
        ))
    if installations is not None and not installations.empty:
        points = installations[["name", "operator", "country", "lat", "lon"]].dropna(subset=["lat", "lon"]).copy()
        points["tip_title"] = points["name"].astype(str)
        points["tip_1"] = "Installation · host " + points["country"].fillna("?").astype(str) + " · operator " + points["operator"].fillna("?").astype(str)
        for field in ("tip_2", "tip_3", "tip_4"):
            points[field] = ""
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="installations", data=points[["lat", "lon", *TIP_FIELDS]],
            get_position=["lon", "lat"], get_radius=3000, radius_min_pixels=2, radius_max_pixels=5,
            get_fill_color=[70, 70, 70, 160], pickable=True,
        ))

    colours = category_colours(frame, colour_by, forces)
    has_ends = frame[["origin_lat", "origin_lon", "destination_lat", "destination_lon"]].notna().all(axis=1)
    arcs = frame[has_ends]
    if not arcs.empty:
        # Widths are scaled to the largest arc of ``fit`` when given, so a replay's arcs keep their widths.
        scale = fit if fit is not None and not fit.empty and "allocated" in fit else arcs
        peak = max(float(scale["allocated"].max()), 1.0)
        data = pd.DataFrame({
            "source": arcs[["origin_lon", "origin_lat"]].astype(float).values.tolist(),
            "target": arcs[["destination_lon", "destination_lat"]].astype(float).values.tolist(),
            "width": 2 + 14 * np.sqrt(arcs["allocated"].astype(float).clip(lower=0) / peak),
            "source_colour": [_faded(direction_colours(colours.get(str(v), OTHER_COLOUR))[0], f)
                              for v, f in zip(arcs[colour_by], _faded_flags(arcs))],
            "colour": [_faded(direction_colours(colours.get(str(v), OTHER_COLOUR))[1], f)
                       for v, f in zip(arcs[colour_by], _faded_flags(arcs))],
        }, index=arcs.index).join(_tooltips(arcs)).join(_pick_fields(arcs, colour_by))
        layers.append(pdk.Layer(
            "ArcLayer", id="arcs", data=data, get_source_position="source", get_target_position="target",
            get_width="width", get_source_color="source_colour", get_target_color="colour",
            width_units='"pixels"', pickable=True, auto_highlight=True, great_circle=False,
        ))
    # Movements with no stated origin still show where the troops went.
    ends_only = frame[~has_ends & frame[["destination_lat", "destination_lon"]].notna().all(axis=1)]
    if not ends_only.empty:
        data = pd.DataFrame({
            "position": ends_only[["destination_lon", "destination_lat"]].astype(float).values.tolist(),
            "colour": [_faded(list(colours.get(str(v), OTHER_COLOUR)) + [200], f)
                       for v, f in zip(ends_only[colour_by], _faded_flags(ends_only))],
        }, index=ends_only.index).join(_tooltips(ends_only)).join(_pick_fields(ends_only, colour_by))
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="destinations", data=data, get_position="position", get_radius=40000,
            radius_min_pixels=4, radius_max_pixels=12, get_fill_color="colour", stroked=True,
            get_line_color=[255, 255, 255], line_width_min_pixels=1, pickable=True,
        ))
    # map_provider=None with pydeck's default map_style leaves the "__MAP_STYLE__" sentinel in
    # the JSON, which tells Streamlit not to add its Carto basemap; map_style=None would not.
    return CompactDeck(layers=layers, initial_view_state=_view_state(frame if fit is None or fit.empty else fit, width, height), map_provider=None,
                       tooltip=TOOLTIP, height=height)


def legend(frame: pd.DataFrame, colour_by: str, forces: list[str] | None = None) -> list[tuple[str, str]]:
    """(label, css colour) pairs for the values present in the table."""
    colours = category_colours(frame, colour_by, forces)
    present = [str(v) for v in dict.fromkeys(frame[colour_by].dropna())]
    order = STATUSES if colour_by == "status" else sorted(present)
    return [(value, "rgb(%d,%d,%d)" % colours.get(value, OTHER_COLOUR)) for value in order if value in present]


def legend_html(entries: list[tuple[str, str]], colour_by: str) -> str:
    """The map's key: what the hue means (force or status) and which way an arc runs, each
    swatch drawn as the arc is, pale at the origin and full colour at the destination."""
    def swatch(css: str) -> str:
        red, green, blue = (int(part) for part in css[css.index("(") + 1:-1].split(","))
        start = "rgba(%d,%d,%d,%.2f)" % (*direction_colours((red, green, blue))[0][:3], ORIGIN_ALPHA / 255)
        return (f'<span style="display:inline-block;width:34px;height:9px;border-radius:2px;margin-right:.3rem;'
                f'vertical-align:middle;background:linear-gradient(to right,{start},{css})"></span>')
    items = "".join(f'<span style="margin-right:.9rem;white-space:nowrap">{swatch(css)}{html.escape(label)}</span>'
                    for label, css in entries)
    grey = "rgb(%d,%d,%d)" % OTHER_COLOUR
    direction = (f'<span style="margin-right:.9rem;white-space:nowrap"><b>Direction</b>: origin '
                 f'{swatch(grey)}destination (pale → full colour)</span>')
    return (f'<div class="tm-legend" style="font-size:.85rem;line-height:1.8">{direction}'
            f'<b>Colour = {html.escape(colour_by)}</b>: {items}</div>')


# ---- charts ---------------------------------------------------------------------------

def _empty(title: str, message: str = "No troop figures in this view") -> go.Figure:
    import plotly.graph_objects as go  # plotly is imported by the charts only: Home draws none
    fig = go.Figure()
    fig.update_layout(title=title, height=260, xaxis_visible=False, yaxis_visible=False,
                      annotations=[dict(text=message, showarrow=False,
                                        xref="paper", yref="paper", x=0.5, y=0.5)])
    return fig


def _bar(totals: pd.Series, title: str, axis: str) -> go.Figure:
    import plotly.graph_objects as go
    data = totals[totals > 0].sort_values(ascending=True).tail(25)
    if data.empty:
        return _empty(title)
    # graph_objects rather than plotly.express: the same bars, built several times faster.
    # customdata: the bar's label as stored (storage.views.group_labels), sent back by a click.
    fig = go.Figure(go.Bar(x=data.values, y=data.index.astype(str), orientation="h", customdata=list(data.index),
                           text=[f"{v:,.0f}" for v in data.values], hovertemplate=f"{axis}: %{{y}}<br>troops: %{{x:,.0f}}<extra></extra>"))
    fig.update_layout(title=title, height=max(260, 28 * len(data) + 110), margin=dict(l=10, r=10, t=50, b=10),
                      xaxis_title="troops", yaxis_title=axis)
    return fig


def troops_by_destination(events: pd.DataFrame) -> go.Figure:
    frame = events if "allocated" in events else prepare_events(events)
    return _bar(frame.groupby("destination_label")["allocated"].sum(), "Troops by destination", "destination")


def troops_by_origin(events: pd.DataFrame) -> go.Figure:
    frame = events if "allocated" in events else prepare_events(events)
    return _bar(frame.groupby("origin_label")["allocated"].sum(), "Troops by origin", "origin")


def troops_by_force(events: pd.DataFrame) -> go.Figure:
    frame = events if "allocated" in events else prepare_events(events)
    return _bar(frame.groupby(frame["force"].fillna("unknown"))["allocated"].sum(), "Troops by force", "force")


def sankey(events: pd.DataFrame) -> go.Figure:
    """Origin → destination flows of an events table (see :func:`sankey_figure`)."""
    frame = events if "allocated" in events else prepare_events(events)
    links = frame[frame["allocated"] > 0].groupby(["origin_label", "destination_label"])["allocated"].sum().reset_index()
    return sankey_figure(links.sort_values("allocated", ascending=False).head(60))


def sankey_figure(links: pd.DataFrame) -> go.Figure:
    """Origin → destination flows (columns origin_label, destination_label, allocated). Origins and
    destinations are separate nodes so a country that both sends and receives (Germany → Romania)
    never makes a loop."""
    import plotly.graph_objects as go
    origins = list(dict.fromkeys(links["origin_label"]))
    destinations = list(dict.fromkeys(links["destination_label"]))
    index_of_origin = {name: i for i, name in enumerate(origins)}
    index_of_destination = {name: len(origins) + i for i, name in enumerate(destinations)}
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node=dict(label=origins + destinations, pad=12, thickness=14,
                  color=["rgba(57,105,172,0.8)"] * len(origins) + ["rgba(17,165,121,0.8)"] * len(destinations)),
        link=dict(source=links["origin_label"].map(index_of_origin).tolist(),
                  target=links["destination_label"].map(index_of_destination).tolist(),
                  value=links["allocated"].tolist()),
    ))
    fig.update_layout(title="Origin → destination", height=max(320, 22 * max(len(origins), len(destinations)) + 120),
                      margin=dict(l=10, r=10, t=50, b=10))
    return fig


def timeline(events: pd.DataFrame) -> go.Figure:
    """Troops per day and force of an events table (see :func:`timeline_figure`)."""
    frame = events if "allocated" in events else prepare_events(events)
    dated = frame.dropna(subset=["when"])
    per_day = (dated.assign(day=dated["when"].dt.normalize(), force=dated["force"].fillna("unknown"))
               .groupby(["day", "force"]).agg(allocated=("allocated", "sum"), events=("allocated", "size"))
               .reset_index())
    return timeline_figure(per_day)


def timeline_figure(per_day: pd.DataFrame) -> go.Figure:
    """One marker per day and force (columns day, force, allocated, events), sized by troops:
    a day with many movements is one marker, so a library of any size stays one small figure."""
    import plotly.graph_objects as go
    if per_day.empty:
        return _empty("Movements by date", "No dated movement in this view: neither the text nor the article "
                                           "gives a date")
    data = per_day.copy()
    title = "Movements by date"
    if len(data) > TIMELINE_POINTS:
        # Thousands of markers read as noise and take long to draw: one per week and force instead.
        data["day"] = data["day"] - pd.to_timedelta(data["day"].dt.weekday, unit="D")
        data = data.groupby(["day", "force"], as_index=False)[["allocated", "events"]].sum()
        data["last_day"] = data["day"] + pd.Timedelta(days=6)
        title = "Movements by week"
    else:
        data["last_day"] = data["day"]
    data["size"] = data["allocated"].clip(lower=0).add(1).pow(0.5)
    # One trace per force, markers sized by area as plotly.express does (largest 28 px), built with
    # graph_objects: several times faster for thousands of markers.
    size_ref = 2.0 * float(data["size"].max()) / 28 ** 2
    fig = go.Figure()
    for force, part in data.groupby("force", sort=True):
        fig.add_trace(go.Scatter(
            x=part["day"], y=part["allocated"], mode="markers", name=str(force),
            # Sent back by a click: the movements, the force and the days the marker stands for.
            customdata=list(zip(part["events"].astype(int), [str(force)] * len(part),
                                part["day"].dt.strftime("%Y-%m-%d"), part["last_day"].dt.strftime("%Y-%m-%d"))),
            marker=dict(size=part["size"], sizemode="area", sizeref=size_ref, sizemin=2),
            hovertemplate=f"force {force}<br>%{{x|%Y-%m-%d}}<br>%{{y:,.0f}} troops<br>%{{customdata[0]}} movement(s)"
                          "<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="date", yaxis_title="troops (counted once)", legend_title="force")
    # Pad the axis so a single day reads as a date, not as milliseconds around it.
    low, high = data["day"].min(), data["day"].max()
    pad = max((high - low) * 0.05, pd.Timedelta(days=10))
    fig.update_xaxes(range=[low - pad, high + pad])
    fig.update_layout(height=360, margin=dict(l=10, r=10, t=50, b=10))
    return fig


def largest_moves_figure(events: pd.DataFrame, limit: int = 15) -> tuple[go.Figure, pd.DataFrame]:
    import plotly.graph_objects as go
    moves = largest_moves(events, limit)
    if moves.empty:
        return _empty("Largest moves"), moves
    data = moves.iloc[::-1].assign(force=lambda frame: frame["force"].fillna("unknown"))
    fig = go.Figure()
    for force, part in data.groupby("force", sort=True):
        fig.add_trace(go.Bar(x=part["headcount"], y=part["move"], orientation="h", name=str(force),
                             text=[f"{v:,}" for v in part["headcount"]],
                             # Sent back by a click: the events of the move (a shared figure's places).
                             customdata=[",".join(map(str, ids)) for ids in part["event_ids"]],
                             hovertemplate="%{y}<br>%{x:,} troops<extra>" + str(force) + "</extra>"))
    fig.update_layout(title="Largest moves", xaxis_title="troops", legend_title="force", barmode="relative",
                      yaxis=dict(categoryorder="array", categoryarray=list(dict.fromkeys(data["move"]))),
                      height=max(260, 30 * len(data) + 110), margin=dict(l=10, r=10, t=50, b=10))
    return fig, moves


def all_charts(events: pd.DataFrame) -> dict[str, go.Figure]:
    """Every figure of the Charts page, from one prepared table."""
    frame = prepare_events(events)
    return {
        "destination": troops_by_destination(frame),
        "origin": troops_by_origin(frame),
        "force": troops_by_force(frame),
        "sankey": sankey(frame),
        "timeline": timeline(frame),
        "largest": largest_moves_figure(frame)[0],
    }


@dataclass(frozen=True)
class ChartPick:
    """What one clicked bar or marker of the Charts page sums, as a narrowing of the page's
    storage.views.Selection: ``group`` (Selection.group) and, for a timeline marker, its days."""

    title: str
    group: tuple
    since: str | None = None
    until: str | None = None


BAR_CHARTS = {"destination": "destination", "origin": "origin", "force": "force"}


def chart_pick(chart: str, point: dict) -> ChartPick | None:
    """The movements behind one point of ``st.plotly_chart(..., on_select="rerun")``'s selection
    on the chart named ``chart`` (a key of :func:`library_charts`); None when it stands for none."""
    data = point.get("customdata")
    if data is None or data == "":
        return None
    if chart in BAR_CHARTS:
        return ChartPick(f"{BAR_CHARTS[chart]} {data}", ((BAR_CHARTS[chart], data),))
    if chart == "largest":
        ids = tuple(int(i) for i in str(data).split(",") if i.strip())
        return ChartPick(f"move {point.get('y', '')}", (("event", ids),)) if ids else None
    if chart == "timeline" and isinstance(data, (list, tuple)) and len(data) == 4:
        _events, force, first, last = data
        days = first if first == last else f"{first} – {last}"
        return ChartPick(f"force {force}, {days}", (("force", force),), since=first, until=last)
    return None


def flow_pick(origin: str, destination: str) -> ChartPick:
    """The movements behind one flow of the Sankey (labels as ``storage.views.links`` gives them).
    Streamlit does not pass a click on a Sankey link back to Python (checked in Chromium with
    Streamlit 1.67: plotly fires its click, the selection stays empty), so the Charts page lists
    the diagram's flows to pick from instead."""
    return ChartPick(f"{origin} → {destination}", (("origin", origin), ("destination", destination)))


def library_charts(view) -> dict[str, go.Figure]:
    """Every figure of the Charts page from database aggregates. ``view(name, **kwargs)`` answers
    with ``storage.views.<name>`` for the page's selection (ui.common caches it)."""
    largest = prepare_events(view("events_table", limit=LARGEST_POOL, with_sources=False))
    return {
        "destination": _bar(view("troops_by", what="destination"), "Troops by destination", "destination"),
        "origin": _bar(view("troops_by", what="origin"), "Troops by origin", "origin"),
        "force": _bar(view("troops_by", what="force"), "Troops by force", "force"),
        "sankey": sankey_figure(view("links")),
        "timeline": timeline_figure(view("by_day")),
        "largest": largest_moves_figure(largest)[0],
    }
