"""Home's small map of one article, drawn as SVG: arrows from origin to destination over the land.

The Map page draws with deck.gl (WebGL), which analysts pan and zoom. Home's map shows the few
movements of one article at a fixed view, and on a first launch it is what a new user waits for:
in Chromium without a GPU, deck.gl's 3 MB of code and its shader programs compiled in software
were most of the wait for the example's map (README, "Speed"). An SVG is drawn by the page
itself, with nothing to load.

The same view as the Map page would fit (:func:`ui.figures.view_fit`, Web Mercator), the same
colours (hue for force or status; pale and faint at the origin, full colour at the destination,
an arrow head at the destination), the same tooltips (an SVG ``<title>``), and each arc and dot
carries the event it draws, for a click to open its sources (:mod:`ui.map_component`).

Pure functions, no Streamlit import.
"""
from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd

from ui.figures import (OTHER_COLOUR, _faded, _faded_flags, _tooltips, category_colours, direction_colours,
                        shade_countries, troops_by_country, view_fit)
from ui.tables import prepare_events

TILE = 512          # pixels of the whole world at zoom 0, as deck.gl counts them
ARC_RISE = 0.2      # an arc's bend: its middle rises this share of its length, to the left of its way
LAND_MARGIN = 40    # pixels around the view in which land is still drawn (its edge is clipped)


def _mercator(lon, lat, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator pixels at ``scale`` pixels per world width; y grows southwards."""
    lon = np.asarray(lon, dtype=float)
    lat = np.clip(np.asarray(lat, dtype=float), -85.05, 85.05)
    x = (lon + 180.0) / 360.0 * scale
    y = (1.0 - np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) / np.pi) / 2.0 * scale
    return x, y


def _rgba(colour: list[int]) -> str:
    alpha = colour[3] / 255 if len(colour) > 3 else 1.0
    return "rgba(%d,%d,%d,%.2f)" % (colour[0], colour[1], colour[2], alpha)


def _title(fields) -> str:
    lines = [str(value) for value in fields if isinstance(value, str) and value]
    return f"<title>{html.escape(chr(10).join(lines))}</title>"


def _rings(geometry: dict | None) -> list[list]:
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _land(countries: dict, received: pd.Series, project, box: tuple[float, float, float, float]) -> list[str]:
    """One path per country with a ring in view; rings wholly outside the view are left out."""
    left, top, right, bottom = box
    paths = []
    for feature in shade_countries(countries, received)["features"]:
        parts = []
        for ring in _rings(feature["geometry"]):
            x, y = project([p[0] for p in ring], [p[1] for p in ring])
            if x.max() < left or x.min() > right or y.max() < top or y.min() > bottom:
                continue
            points = " ".join(f"{a:.1f} {b:.1f}" for a, b in zip(x, y))
            parts.append(f"M{points}Z")
        if parts:
            props = feature["properties"]
            paths.append(f'<path class="land" d="{"".join(parts)}" fill="{_rgba(props["fill"])}">'
                         f'{_title([props["tip_title"], props["tip_1"]])}</path>')
    return paths


def _picked(row) -> str:
    """The event an arc or dot draws, for a click or the Enter key (read by ui.map_component)."""
    event = getattr(row, "event_id", None)
    if event is None or pd.isna(event):
        return ""
    return f' data-event="{int(event)}" tabindex="0" role="button"'


LABEL_FONT = 11                  # pixels
LABEL_CHAR = 0.58 * LABEL_FONT   # the mean width of a character of the sans-serif font, about
# Where a label may sit around its point (dx, dy of the text's anchor, and which end it anchors):
# above right first, then above left, below right, below left.
LABEL_SPOTS = ((7, -5, "start"), (-7, -5, "end"), (7, 13, "start"), (-7, 13, "end"))


def _labels(points: dict[str, tuple[float, float]], width: int, height: int) -> list[str]:
    """A name beside each arc end, in the first spot around it that overlaps no label placed
    before and stays in the map; a name with no such spot is left to its tooltip."""
    placed: list[tuple[float, float, float, float]] = []
    texts = []
    for name, (x, y) in points.items():
        size = len(name) * LABEL_CHAR
        for dx, dy, anchor in LABEL_SPOTS:
            left = x + dx - (size if anchor == "end" else 0)
            box = (left, y + dy - LABEL_FONT, left + size, y + dy + 2)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height
            if inside and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                placed.append(box)
                texts.append(f'<text class="place" x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}">'
                             f'{html.escape(name)}</text>')
                break
    return texts


def svg_map(events: pd.DataFrame, countries: dict | None, colour_by: str = "force",
            width: int = 340, height: int = 380, forces: list[str] | None = None) -> str:
    """The SVG of ``events`` (one row per event, as Storage.events returns) fitted to a map of
    ``width`` x ``height`` pixels: land shaded by troops received, an arc per movement with both
    ends, a dot per movement with only a destination."""
    frame = events if "allocated" in events else prepare_events(events)
    longitude, latitude, zoom = view_fit(frame, width, height)
    scale = TILE * 2 ** zoom
    centre_x, centre_y = _mercator(longitude, latitude, scale)
    left, top = float(centre_x) - width / 2, float(centre_y) - height / 2

    def project(lon, lat):
        x, y = _mercator(lon, lat, scale)
        return x - left, y - top

    box = (-LAND_MARGIN, -LAND_MARGIN, width + LAND_MARGIN, height + LAND_MARGIN)
    parts = _land(countries, troops_by_country(frame), project, box) if countries else []
    defs = []
    colours = category_colours(frame, colour_by, forces)
    has_ends = frame[["origin_lat", "origin_lon", "destination_lat", "destination_lon"]].notna().all(axis=1)
    tips = _tooltips(frame) if len(frame) else None
    faded = dict(zip(frame.index, _faded_flags(frame)))
    arcs = frame[has_ends]
    peak = max(float(arcs["allocated"].max()), 1.0) if len(arcs) else 1.0
    labels: dict[str, tuple[float, float]] = {}
    for number, row in enumerate(arcs.itertuples()):
        (x1,), (y1,) = project([row.origin_lon], [row.origin_lat])
        (x2,), (y2,) = project([row.destination_lon], [row.destination_lat])
        colour = colours.get(str(getattr(row, colour_by)), OTHER_COLOUR)
        start, end = (_faded(c, faded[row.Index]) for c in direction_colours(colour))
        # The bend: the middle of the arc pushed to the left of its way, as a quadratic curve.
        dx, dy = x2 - x1, y2 - y1
        bend_x, bend_y = (x1 + x2) / 2 + dy * ARC_RISE, (y1 + y2) / 2 - dx * ARC_RISE
        troops = float(row.allocated) if pd.notna(row.allocated) else 0.0
        arc_width = 2 + 8 * math.sqrt(max(troops, 0.0) / peak)
        defs.append(f'<linearGradient id="tm-arc-{number}" gradientUnits="userSpaceOnUse" x1="{x1:.1f}" y1="{y1:.1f}" '
                    f'x2="{x2:.1f}" y2="{y2:.1f}"><stop offset="0" stop-color="{_rgba(start)}"/>'
                    f'<stop offset="1" stop-color="{_rgba(end)}"/></linearGradient>')
        head, (back_x, back_y) = _arrow_head(bend_x, bend_y, x2, y2, arc_width)
        # The line stops where the arrow head begins, so its end does not show past the head's tip.
        parts.append(f'<g class="arc"{_picked(row)}>{_title(tips.loc[row.Index])}'
                     f'<path d="M{x1:.1f} {y1:.1f}Q{bend_x:.1f} {bend_y:.1f} {back_x:.1f} {back_y:.1f}" fill="none" '
                     f'stroke="url(#tm-arc-{number})" stroke-width="{arc_width:.1f}"/>'
                     f'<path d="{head}" fill="{_rgba(end)}"/></g>')
        labels.setdefault(str(row.origin_label), (x1, y1))
        labels.setdefault(str(row.destination_label), (x2, y2))
    ends_only = frame[~has_ends & frame[["destination_lat", "destination_lon"]].notna().all(axis=1)]
    for row in ends_only.itertuples():
        (x, y), = zip(*project([row.destination_lon], [row.destination_lat]))
        colour = _faded(list(colours.get(str(getattr(row, colour_by)), OTHER_COLOUR)) + [220], faded[row.Index])
        parts.append(f'<g class="dot"{_picked(row)}>{_title(tips.loc[row.Index])}'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{_rgba(colour)}" stroke="white" '
                     f'stroke-width="1.5"/></g>')
        labels.setdefault(str(row.destination_label), (x, y))
    parts.extend(_labels(labels, width, height))
    return (f'<svg class="tm-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" style="max-width:100%;height:auto" role="group" '
            f'aria-label="Map of the article\'s movements">'
            f'<style>.tm-map .land{{stroke:white;stroke-width:.6}}'
            f'.tm-map .arc,.tm-map .dot{{cursor:pointer;outline:none}}'
            f'.tm-map .arc:hover path,.tm-map .dot:hover circle,.tm-map .arc:focus path,.tm-map .dot:focus circle'
            f'{{filter:brightness(.8)}}'
            f'.tm-map .place{{font:{LABEL_FONT}px sans-serif;fill:#333;paint-order:stroke;stroke:white;'
            f'stroke-width:3px;'
            f'pointer-events:none}}</style>'
            f'<rect width="{width}" height="{height}" fill="#f4f7fa"/><defs>{"".join(defs)}</defs>'
            f'{"".join(parts)}</svg>')


def _arrow_head(from_x: float, from_y: float, x: float, y: float, arc_width: float
                ) -> tuple[str, tuple[float, float]]:
    """A triangle with its tip at (x, y), pointing along the curve's last tangent (from its control
    point), and the middle of its back, where the arc's line stops."""
    angle = math.atan2(y - from_y, x - from_x)
    length, half = 6 + arc_width, 3 + arc_width * 0.6
    back_x, back_y = x - length * math.cos(angle), y - length * math.sin(angle)
    side_x, side_y = -math.sin(angle) * half, math.cos(angle) * half
    return (f"M{x:.1f} {y:.1f}L{back_x + side_x:.1f} {back_y + side_y:.1f}"
            f"L{back_x - side_x:.1f} {back_y - side_y:.1f}Z"), (back_x, back_y)
