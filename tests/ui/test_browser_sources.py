"""Sources from a map arc and a chart bar, in a real browser (Debian's Chromium through Playwright,
``streamlit run app.py`` on a new database, so the example article is stored at launch): a click
on the Germany → Romania arc of Home's map, then of the Map page, then on the Romania bar of
Charts, shows the example article's evidence sentence for that movement. No request may leave the
machine.

Home's map is an SVG, whose arcs are elements. The Map page's deck.gl draws to a canvas, so its arc
is found from the view state the page was sent (read from the app's websocket messages) with the
same Web Mercator arithmetic deck.gl uses, and checked by its tooltip before the click."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from test_browser import (ARTIFACTS, CHROMIUM, first_launch, launch_chromium, open_page,  # noqa: F401
                          record_outside, wait_idle)
from ui import example

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing: apt-get install chromium"),
]

GERMANY, ROMANIA = (9.651, 51.02), (25.14, 45.727)   # (lon, lat) of the example's rows
VIEW_STATE = re.compile(rb'"initialViewState":(\{[^{}]*\})')
EVIDENCE = ".tm-report-evidence"


def example_evidence(destination: str) -> str:
    rows = example.committed_rows()["rows"]
    return next(row["evidence"] for row in rows if row["destination"] == destination)


def mercator(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    world = 512 * 2 ** zoom
    return ((lon + 180) / 360 * world,
            (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2 * world)


def arc_point(view: dict, box: dict, source, target, ratio: float) -> tuple[float, float]:
    """Where, on the page, the point ``ratio`` of the way along an ArcLayer arc is drawn, the map
    seen from straight above (pitch 0): its ground point pushed away from the map's centre by its
    height. An arc rises sqrt(r(1-r)) times its length; deck.gl's camera is 1.5 map heights up."""
    zoom = view["zoom"]
    centre_x, centre_y = mercator(view["longitude"], view["latitude"], zoom)
    source_x, source_y = mercator(*source, zoom)
    target_x, target_y = mercator(*target, zoom)
    ground_x = source_x + (target_x - source_x) * ratio - centre_x
    ground_y = source_y + (target_y - source_y) * ratio - centre_y
    height = math.sqrt(ratio * (1 - ratio)) * math.hypot(target_x - source_x, target_y - source_y)
    camera = 1.5 * box["height"]
    scale = camera / (camera - height)
    return box["x"] + box["width"] / 2 + ground_x * scale, box["y"] + box["height"] / 2 + ground_y * scale


def test_a_click_on_an_arc_or_a_bar_shows_the_sources_of_its_movement(first_launch):  # noqa: F811 (the fixture)
    from playwright.sync_api import sync_playwright

    evidence = example_evidence("Romania")
    outside: list[str] = []
    received: list[bytes] = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1500})
            page.on("request", record_outside(outside))
            page.on("websocket", lambda socket: socket.on(
                "framereceived", lambda payload: received.append(payload if isinstance(payload, bytes)
                                                                 else payload.encode())))
            page.goto(first_launch["base"])
            page.locator("svg.tm-map").first.wait_for(timeout=120_000)
            wait_idle(page)
            # Once Home is idle, the code of the Map page's map loads in the background
            # (ui/map_component.py), from this server: a Streamlit release that renamed its chunk
            # would silently lose this.
            page.wait_for_function("""() => performance.getEntriesByType("resource").some(
                entry => entry.name.includes("/static/js/DeckGlJsonChart."))""", timeout=30_000)

            # Home's SVG map: the arc itself is an element, clicked like any other.
            assert page.locator(EVIDENCE).count() == 0
            page.locator("svg.tm-map g.arc", has=page.locator("title", has_text="Germany → Romania")).click()
            page.get_by_text("Sources: every article that reports one of these movements").wait_for()
            wait_idle(page)
            page.locator(EVIDENCE).first.wait_for(timeout=30_000)
            assert page.locator(EVIDENCE).all_inner_texts() == [evidence]
            page.screenshot(path=str(ARTIFACTS / "home-sources.png"), full_page=True)

            received.clear()
            open_page(page, "Map")
            canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
            canvas.wait_for()
            page.wait_for_timeout(1000)   # deck.gl draws after the script is done
            views = [json.loads(found) for frame in received for found in VIEW_STATE.findall(frame)]
            assert views, "the map's view state was not among the messages the page received"
            assert page.locator(EVIDENCE).count() == 0
            x, y = arc_point(views[-1], canvas.bounding_box(), GERMANY, ROMANIA, 0.5)
            page.mouse.move(x, y)
            page.locator(".deck-tooltip", has_text="Germany → Romania").wait_for(timeout=10_000)
            page.mouse.click(x, y)
            page.get_by_role("heading", name="Sources of Germany → Romania (force US)").wait_for(timeout=30_000)
            wait_idle(page)
            page.get_by_text("1,000 troops · Germany → Romania · 2022-02-02 · announced · 1 source").wait_for()
            assert page.locator(EVIDENCE).all_inner_texts() == [evidence]
            page.screenshot(path=str(ARTIFACTS / "map-sources.png"), full_page=True)

            open_page(page, "Charts")
            page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 6")
            assert page.locator(EVIDENCE).count() == 0
            bars = page.locator(".st-key-chart-destination .trace.bars .point path")
            for index in range(bars.count()):      # the bar whose hover label says Romania
                bars.nth(index).hover(force=True)
                if page.locator(".st-key-chart-destination .hoverlayer", has_text="Romania").count():
                    bars.nth(index).click(force=True)
                    break
            else:
                pytest.fail("no bar of Troops by destination is Romania")
            page.get_by_role("heading", name="Sources of destination Romania").wait_for(timeout=30_000)
            wait_idle(page)
            assert page.locator(EVIDENCE).all_inner_texts() == [evidence]
            page.screenshot(path=str(ARTIFACTS / "charts-sources.png"), full_page=True)
        finally:
            browser.close()
    assert outside == [], f"requests left localhost: {outside}"
