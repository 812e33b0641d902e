"""Home's SVG map (ui/svg_map.py): what a user reads off it, checked in the SVG itself."""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from test_ui_figures import BRAGG, seed_like
from ui import land
from ui.figures import fitted_zoom
from ui.svg_map import _mercator, svg_map
from ui.tables import prepare_events

SVG = "{http://www.w3.org/2000/svg}"
SIZE = (340, 380)


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def titled(root: ET.Element, kind: str) -> dict[str, ET.Element]:
    """The arcs or dots (``kind``) by the first line of their tooltip: "Fort Bragg → Poland"."""
    return {g.find(f"{SVG}title").text.splitlines()[0]: g for g in root.iter(f"{SVG}g") if g.get("class") == kind}


def numbers(path: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]


@pytest.fixture(scope="module")
def example_map() -> tuple[pd.DataFrame, ET.Element]:
    events = prepare_events(seed_like().assign(event_id=[11, 12, 13]))
    zoom = fitted_zoom(events, *SIZE)
    return events, parsed(svg_map(events, land.load(land.preview_detail(zoom)), "force", *SIZE))


def test_each_movement_is_an_arrow_that_ends_at_its_destination(example_map):
    events, root = example_map
    arcs = titled(root, "arc")
    assert set(arcs) == {"Fort Bragg → Germany", "Fort Bragg → Poland", "Germany → Romania"}
    romania = arcs["Germany → Romania"]
    line, head = romania.findall(f"{SVG}path")
    start_x, start_y = numbers(line.get("d"))[:2]
    tip_x, tip_y = numbers(head.get("d"))[:2]
    # The head's tip is east and south of the line's start: Romania lies south-east of Germany.
    assert tip_x > start_x and tip_y > start_y
    # ... and exactly where Romania is on this map: its place relative to Germany's, in pixels.
    zoom = fitted_zoom(events, *SIZE)
    (germany_x, romania_x), (germany_y, romania_y) = _mercator([10.45, 24.97], [51.17, 45.94], 512 * 2 ** zoom)
    assert math.isclose(tip_x - start_x, romania_x - germany_x, abs_tol=0.2)
    assert math.isclose(tip_y - start_y, romania_y - germany_y, abs_tol=0.2)


def test_an_arc_runs_from_pale_at_its_origin_to_full_colour_at_its_destination(example_map):
    _events, root = example_map
    line = titled(root, "arc")["Fort Bragg → Poland"].find(f"{SVG}path")
    gradient = next(g for g in root.iter(f"{SVG}linearGradient") if f"url(#{g.get('id')})" == line.get("stroke"))
    origin, destination = (stop.get("stop-color") for stop in gradient.iter(f"{SVG}stop"))
    alpha = [float(colour.rsplit(",", 1)[1].rstrip(")")) for colour in (origin, destination)]
    assert alpha[0] < 0.5 < alpha[1]


def test_a_shared_figure_is_drawn_once_per_place_with_its_share_and_tooltip(example_map):
    _events, root = example_map
    arcs = titled(root, "arc")
    widths = {name: float(g.find(f"{SVG}path").get("stroke-width")) for name, g in arcs.items()}
    # 2,000 shared by Germany and Poland: each carries 1,000, as Germany → Romania does.
    assert len(set(widths.values())) == 1
    tooltip = arcs["Fort Bragg → Poland"].find(f"{SVG}title").text
    assert "2,000 troops (one figure shared between places)" in tooltip and "force US" in tooltip
    # A click (or Enter) on an arc opens its movement's sources: it carries its event.
    assert {g.get("data-event") for g in arcs.values()} == {"11", "12", "13"}
    assert all(g.get("tabindex") == "0" for g in arcs.values())


def test_places_are_named_and_the_land_is_the_view_s_own(example_map):
    _events, root = example_map
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert set(labels) == {"Fort Bragg", "Germany", "Poland", "Romania"}
    countries = {p.find(f"{SVG}title").text.splitlines()[0] for p in root.iter(f"{SVG}path")
                 if p.get("class") == "land"}
    assert {"Germany", "Poland", "Romania", "United States"} <= countries
    assert "Australia" not in countries and "New Zealand" not in countries    # far outside the view
    shaded = {name for name, p in ((p.find(f"{SVG}title").text, p) for p in root.iter(f"{SVG}path")
                                   if p.get("class") == "land") if "Troops received: 1,000" in name}
    assert {s.splitlines()[0] for s in shaded} == {"Germany", "Poland", "Romania"}


def test_a_movement_with_no_origin_is_a_dot_at_its_destination():
    row = {**BRAGG, "origin": None, "origin_country": None, "origin_lat": None, "origin_lon": None,
           "destination": "Lithuania", "destination_country": "LT", "destination_lat": 55.2, "destination_lon": 23.9,
           "headcount": 500, "force": "DE", "status": "deployed", "article_id": 1, "article_title": "t",
           "published": "2024-01-01", "evidence": "500 soldiers deploy to Lithuania.", "event_id": 7}
    root = parsed(svg_map(prepare_events(pd.DataFrame([row])), None, "status", *SIZE))
    assert titled(root, "arc") == {}
    dot = titled(root, "dot")["(origin not stated) → Lithuania"]
    assert dot.get("data-event") == "7"
    circle = dot.find(f"{SVG}circle")
    # Alone on the map, the destination is its centre.
    assert math.isclose(float(circle.get("cx")), SIZE[0] / 2, abs_tol=1)
    assert math.isclose(float(circle.get("cy")), SIZE[1] / 2, abs_tol=1)


def test_text_from_an_article_is_shown_as_text_never_as_markup():
    frame = seed_like()
    frame["evidence"] = '<img src=x onerror="alert(1)"> 2 000 soldats & <b>plus</b>'
    frame.loc[0, "destination"] = "<script>alert(1)</script>"
    svg = svg_map(prepare_events(frame), None, "force", *SIZE)
    assert "<script>" not in svg and "<img" not in svg and "<b>" not in svg
    root = parsed(svg)          # well-formed: every value escaped
    tooltips = "".join(t.text for t in root.iter(f"{SVG}title"))
    assert '<img src=x onerror="alert(1)"> 2 000 soldats & <b>plus</b>' in tooltips
    assert "<script>alert(1)</script>" in [t.text for t in root.iter(f"{SVG}text")]


def test_an_article_with_no_movement_draws_the_land_alone():
    empty = prepare_events(seed_like().iloc[0:0])
    root = parsed(svg_map(empty, land.load("overview"), "force", *SIZE))
    assert titled(root, "arc") == {} and titled(root, "dot") == {}
    assert sum(1 for p in root.iter(f"{SVG}path") if p.get("class") == "land") > 50
