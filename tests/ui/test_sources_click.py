"""A click on a map arc or a chart bar opens the movements it sums and their sources (AppTest,
the real pages on a temporary SQLite database).

AppTest has no pydeck or plotly widgets of its own, so a click is sent the way the browser sends
it: the chart's widget state (its element id and the JSON selection), from the very objects the
page drew. tests/ui/test_browser_sources.py clicks the same in Chromium."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from storage import Storage
from ui import example

ROOT = Path(__file__).resolve().parents[2]
DAILY_EVIDENCE = "About 1,800 American troops from Fort Bragg are being sent to Poland, officials said."
FORT_HOOD_EVIDENCE = "700 soldiers of Fort Hood deploy to Poland."


def place(name, country, lat, lon, end):
    return {end: name, f"{end}_country": country, f"{end}_lat": lat, f"{end}_lon": lon}


@pytest.fixture
def library(empty_db) -> Storage:
    """The example's rows (Fort Bragg → Poland and Germany, 2,000 shared; Germany → Romania), a second
    report of Fort Bragg → Poland (1,800, another article: one event, two sources) and Fort Hood →
    Poland (700, deployed): two US routes into Poland."""
    store = Storage(empty_db)
    committed = example.committed_rows()
    store.ingest(example.example_text(), deployments=example.rows_frame(committed), title="Seed article",
                 published=example.EXAMPLE_PUBLISHED, extractor_version=committed["extractor_version"])
    for title, row, published in (
            ("Daily report", {**place("Fort Bragg", "US", 35.139, -79.006, "origin"), "headcount": 1800,
                              **place("Poland", "PL", 51.909, 20.461, "destination"), "force": "US",
                              "status": "announced", "date": "2022-02-05", "evidence": DAILY_EVIDENCE}, "2022-02-05"),
            ("Fort Hood report", {**place("Fort Hood", "US", 31.13, -97.78, "origin"), "headcount": 700,
                                  **place("Poland", "PL", 51.909, 20.461, "destination"), "force": "US",
                                  "status": "deployed", "date": "2022-02-20", "evidence": FORT_HOOD_EVIDENCE},
             "2022-02-21")):
        store.ingest(title, deployments=pd.DataFrame([row]), title=title, published=published,
                     extractor_version="test")
    return store


def run(page: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / page), default_timeout=120).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def send(app: AppTest, element, value: dict) -> AppTest:
    """Rerun as after a click in the browser: every widget's state plus ``element``'s selection."""
    states = app._tree.get_widget_states()
    kept = [state for state in states.widgets if state.id != element.proto.id]
    del states.widgets[:]
    states.widgets.extend(kept)
    states.widgets.append(WidgetState(id=element.proto.id, string_value=json.dumps(value)))
    app._run(states)
    assert not app.exception, [e.value for e in app.exception]
    return app


def deck_layers(app: AppTest) -> dict[str, list[dict]]:
    spec = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    return {layer["id"]: layer["data"] for layer in spec["layers"] if isinstance(layer.get("data"), list)}


def click_arc(app: AppTest, title: str) -> AppTest:
    """A click on the arc whose tooltip says ``title``: deck.gl sends back the arc's own data row."""
    arcs = deck_layers(app)["arcs"]
    index = next(i for i, arc in enumerate(arcs) if arc["tip_title"] == title)
    return send(app, app.get("deck_gl_json_chart")[0],
                {"selection": {"indices": {"arcs": [index]}, "objects": {"arcs": [arcs[index]]}}})


def click_home_arc(app: AppTest, title: str) -> AppTest:
    """A click on the arc of Home's SVG map whose tooltip starts with ``title``: its component sends
    back the event the arc carries (ui/map_component.py), as the page does."""
    element = app.get("bidi_component")[0]
    root = ET.fromstring(json.loads(element.proto.json)["svg"])
    event = next(g.get("data-event") for g in root.iter("{http://www.w3.org/2000/svg}g")
                 if g.get("class") == "arc" and g.find("{http://www.w3.org/2000/svg}title").text.startswith(title))
    states = app._tree.get_widget_states()
    kept = [state for state in states.widgets if state.id != element.proto.id]
    del states.widgets[:]
    states.widgets.extend(kept)
    states.widgets.append(WidgetState(id=element.proto.id, json_value=json.dumps({"picked": {"event_id": int(event)}})))
    app._run(states)
    assert not app.exception, [e.value for e in app.exception]
    return app


def plotly_figure(app: AppTest, key: str):
    return next(chart for chart in app.get("plotly_chart") if chart.proto.id.endswith(key))


def click_point(app: AppTest, key: str, wanted) -> AppTest:
    """A click on the first point of the chart ``key`` for which ``wanted(y, customdata)`` holds:
    plotly sends back the point with its customdata, as a browser does."""
    chart = plotly_figure(app, key)
    figure = json.loads(chart.proto.spec)
    for curve, trace in enumerate(figure["data"]):
        ys = trace.get("y") if isinstance(trace.get("y"), list) else [None] * len(trace["customdata"])
        for index, (y, data) in enumerate(zip(ys, trace["customdata"])):
            if wanted(y, data):
                point = {"y": y, "customdata": data, "curve_number": curve, "point_number": index,
                         "point_index": index}
                return send(app, chart, {"selection": {"points": [point], "point_indices": [index], "box": [],
                                                       "lasso": []}})
    raise AssertionError(f"no such point in {key}: {[trace.get('customdata') for trace in figure['data']]}")


def click_bar(app: AppTest, key: str, label: str) -> AppTest:
    return click_point(app, key, lambda y, _data: y == label)


def listed(app: AppTest) -> list[str]:
    """The movements listed under the clicked arc or bar, as the radio names them."""
    return list(next(r for r in app.radio if r.label == "Movements, largest first").options)


def sources_table(app: AppTest) -> pd.DataFrame:
    """The Sources panel's reports side by side (one per article: its own figure, date, evidence)."""
    return next(frame.value for frame in app.dataframe
                if {"article", "evidence"} <= set(getattr(frame.value, "columns", [])))


def test_a_click_on_an_arc_shows_its_movement_and_every_article_that_reports_it(library):
    app = run("pages/1_Map.py")
    assert not [h for h in app.markdown if "Sources of" in h.value]       # nothing before a click
    click_arc(app, "Fort Bragg → Poland")
    assert any("Sources of Fort Bragg → Poland (force US)" in h.value for h in app.markdown)
    assert listed(app) == ["1,800 troops · Fort Bragg → Poland · 2022-02-05 · announced · 2 sources"]
    reports = sources_table(app)
    assert set(reports["article"]) == {"Seed article", "Daily report"}
    assert DAILY_EVIDENCE in set(reports["evidence"])
    assert any("Headcounts differ by 200" in w.value for w in app.warning)   # the disagreement, shown


def test_a_country_pair_lists_its_movements_largest_first_and_keeps_the_filters(library):
    app = run("pages/1_Map.py")
    app.radio(key="map-level").set_value("countries").run()
    click_arc(app, "United States → Poland")
    assert listed(app) == ["1,800 troops · Fort Bragg → Poland · 2022-02-05 · announced · 2 sources",
                           "700 troops · Fort Hood → Poland · 2022-02-20 · deployed · 1 source"]
    radio = next(r for r in app.radio if r.label == "Movements, largest first")
    radio.set_value(radio.options[1])
    click_arc(app, "United States → Poland")
    assert list(sources_table(app)["article"]) == ["Fort Hood report"]
    assert FORT_HOOD_EVIDENCE in list(sources_table(app)["evidence"])

    # The sidebar's filters still hold: only deployed movements, so only Fort Hood's.
    app.multiselect(key="map-status").set_value(["deployed"])
    click_arc(app, "United States → Poland")
    assert listed(app) == ["700 troops · Fort Hood → Poland · 2022-02-20 · deployed · 1 source"]


def test_a_click_on_a_bar_shows_the_movements_it_sums_and_their_sources(library):
    app = run("pages/2_Charts.py")
    click_bar(app, "chart-destination", "Poland")
    assert any("Sources of destination Poland" in h.value for h in app.markdown)
    assert listed(app) == ["1,800 troops · Fort Bragg → Poland · 2022-02-05 · announced · 2 sources",
                           "700 troops · Fort Hood → Poland · 2022-02-20 · deployed · 1 source"]
    assert DAILY_EVIDENCE in set(sources_table(app)["evidence"])

    # A bar of the largest moves: the example's shared 2,000 is one move to Germany and Poland, two
    # movements (once the daily report, now the Poland movement's representative, is gone).
    library.delete_article(library.find_article("Daily report"))   # stored with its title as text
    app = run("pages/2_Charts.py")
    click_bar(app, "chart-largest", "Fort Bragg → Germany / Poland")
    assert sorted(listed(app)) == ["2,000 troops · Fort Bragg → Germany · 2022-02-02 · announced · 1 source",
                                   "2,000 troops · Fort Bragg → Poland · 2022-02-02 · announced · 1 source"]


def test_a_click_on_a_timeline_marker_shows_that_day_s_movements(library):
    app = run("pages/2_Charts.py")
    click_point(app, "chart-timeline", lambda _y, data: data[1:] == ["US", "2022-02-20", "2022-02-20"])
    assert any("Sources of force US, 2022-02-20" in h.value for h in app.markdown)
    assert listed(app) == ["700 troops · Fort Hood → Poland · 2022-02-20 · deployed · 1 source"]


def test_a_click_on_an_arc_of_the_home_map_opens_the_sources_of_its_movement(fresh_db):
    app = run("app.py")                                    # the first launch: the example article
    expander = next(e for e in app.expander if e.label.startswith("Sources"))
    assert not expander.proto.expanded
    click_home_arc(app, "Germany → Romania")
    expander = next(e for e in app.expander if e.label.startswith("Sources"))
    assert expander.proto.expanded
    assert app.selectbox(key="home-sources-row").value is not None
    chosen = Storage(fresh_db).deployments().set_index("id").loc[app.selectbox(key="home-sources-row").value]
    assert (chosen["origin"], chosen["destination"]) == ("Germany", "Romania")
    assert list(sources_table(app)["destination"]) == ["Romania"]
    # The list stays free: another row can still be picked while the arc is selected.
    app.selectbox(key="home-sources-row").set_value(
        int(Storage(fresh_db).deployments().query("destination == 'Poland'")["id"].iloc[0]))
    click_home_arc(app, "Germany → Romania")
    assert list(sources_table(app)["destination"]) == ["Poland"]


def test_a_faded_arc_of_the_replay_lists_the_earlier_movements_it_stands_for(library):
    app = run("pages/1_Map.py")
    app.toggle(key="map-replay").set_value(True).run()
    step = app.select_slider(key="map-step")
    step.set_value(len(step.options) - 1).run()          # 2022-02-20: Fort Hood's; the rest earlier, faded
    faded = [arc["tip_title"] for arc in deck_layers(app)["arcs"] if arc["faded"]]
    assert "Fort Bragg → Poland" in faded
    click_arc(app, "Fort Bragg → Poland")
    assert listed(app) == ["1,800 troops · Fort Bragg → Poland · 2022-02-05 · announced · 2 sources"]
    click_arc(app, "Fort Hood → Poland")
    assert listed(app) == ["700 troops · Fort Hood → Poland · 2022-02-20 · deployed · 1 source"]


def test_a_flow_of_the_sankey_picked_from_its_list_shows_its_movements_and_sources(library):
    # Streamlit does not report a click on a Sankey link, so its flows are listed under it.
    app = run("pages/2_Charts.py")
    flows = app.selectbox(key="chart-sankey-flow")
    assert flows.value is None and not [h for h in app.markdown if "Sources of" in h.value]
    # The diagram's flows, largest first (the 2,000 shared by Poland and Germany split 1,000 each;
    # the Poland event's representative is the daily report's 1,800).
    assert flows.options == ["Fort Bragg → Poland · 1,800 troops", "Fort Bragg → Germany · 1,000 troops",
                             "Germany → Romania · 1,000 troops", "Fort Hood → Poland · 700 troops"]
    flows.set_value(("Fort Bragg", "Poland")).run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("Sources of Fort Bragg → Poland" in h.value for h in app.markdown)
    assert listed(app) == ["1,800 troops · Fort Bragg → Poland · 2022-02-05 · announced · 2 sources"]
    assert DAILY_EVIDENCE in set(sources_table(app)["evidence"])

    # A bar clicked afterwards takes over: its sources show, the flow's do not.
    click_bar(app, "chart-destination", "Romania")
    assert any("Sources of destination Romania" in h.value for h in app.markdown)
    assert not any("Sources of Fort Bragg → Poland" in h.value for h in app.markdown)
    assert app.selectbox(key="chart-sankey-flow").value is None


def test_a_click_on_the_home_map_stays_with_its_article(fresh_db):
    """The arc clicked on the example's map does not open the Sources of the next article read."""
    app = run("app.py")
    click_home_arc(app, "Germany → Romania")
    assert next(e for e in app.expander if e.label.startswith("Sources")).proto.expanded
    app.text_area(key="pasted_text").set_value("The Pentagon said 3,000 soldiers from Fort Hood will deploy to Poland.")
    next(b for b in app.button if b.label == "Extract deployments").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "Fort Hood" in json.loads(app.get("bidi_component")[0].proto.json)["svg"]      # the new article's map
    assert not next(e for e in app.expander if e.label.startswith("Sources")).proto.expanded
