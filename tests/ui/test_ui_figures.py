"""The figures, totals, exports and highlighting the pages show, from hand-made tables."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ui.export import to_csv, to_geojson
from ui.figures import all_charts, build_map, sankey, troops_by_country
from ui.filtering import Filters, apply_filters
from ui.highlight import highlight_html
from ui.tables import counted_total, largest_moves, prepare_events

BRAGG = dict(origin="Fort Bragg", origin_country="US", origin_lat=35.14, origin_lon=-79.0)
GERMANY = dict(origin="Germany", origin_country="DE", origin_lat=51.17, origin_lon=10.45)


def seed_like() -> pd.DataFrame:
    """The seed article's three moves: 2,000 shared by Germany and Poland, 1,000 to Romania."""
    rows = [
        {**BRAGG, "destination": "Germany", "destination_country": "DE", "destination_lat": 51.17,
         "destination_lon": 10.45, "headcount": 2000, "headcount_shared": True, "headcount_group": "g1",
         "counted": True},
        {**BRAGG, "destination": "Poland", "destination_country": "PL", "destination_lat": 52.07,
         "destination_lon": 19.48, "headcount": 2000, "headcount_shared": True, "headcount_group": "g1",
         "counted": False},
        {**GERMANY, "destination": "Romania", "destination_country": "RO", "destination_lat": 45.94,
         "destination_lon": 24.97, "headcount": 1000, "headcount_shared": False, "counted": True},
    ]
    frame = pd.DataFrame(rows)
    frame["force"], frame["status"], frame["article_id"], frame["article_title"] = "US", "announced", 1, "Seed"
    frame["published"] = "2022-02-02"
    frame["evidence"] = "2 000 autres seront envoyés de Fort Bragg <b>vers</b> l’Allemagne"
    return frame


def test_a_shared_figure_is_counted_once_and_split_evenly_between_its_places():
    events = prepare_events(seed_like())
    assert counted_total(events) == 3000
    assert list(events["allocated"]) == [1000, 1000, 1000]
    assert troops_by_country(events).to_dict() == {"DE": 1000, "PL": 1000, "RO": 1000}
    moves = largest_moves(events)
    assert list(moves["headcount"]) == [2000, 1000]
    assert moves.iloc[0]["move"] == "Fort Bragg → Germany / Poland"


def test_the_sankey_carries_each_troop_once():
    figure = sankey(prepare_events(seed_like()))
    assert sum(figure.data[0].link.value) == 3000


def test_the_map_draws_arcs_without_any_basemap():
    deck = build_map(seed_like(), countries={"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ISO_A2": "PL", "name": "Poland"},
         "geometry": {"type": "Point", "coordinates": [19.4, 52.0]}}]})
    spec = json.loads(deck.to_json())
    # pydeck's sentinel tells Streamlit to add no Carto style; no URL anywhere in the map.
    assert spec.get("mapStyle") == "__MAP_STYLE__" and "mapProvider" not in spec
    assert "http" not in deck.to_json()
    arcs = next(layer for layer in spec["layers"] if layer["id"] == "arcs")
    assert len(arcs["data"]) == 3 and arcs["widthUnits"] == "pixels"
    poland = next(layer for layer in spec["layers"] if layer["id"] == "countries")["data"]["features"][0]
    assert poland["properties"]["tip_1"] == "Troops received: 1,000"


def test_every_chart_builds_from_an_empty_table_too():
    for frame in (seed_like(), seed_like().iloc[0:0]):
        charts = all_charts(frame)
        assert set(charts) == {"destination", "origin", "force", "sankey", "timeline", "largest"}


def test_filters_select_rows_by_force_status_country_and_date():
    events = prepare_events(seed_like())
    events.loc[2, ["force", "date"]] = ["DE", "2022-03-15"]
    events = prepare_events(events)
    assert len(apply_filters(events, Filters(forces=["DE"]))) == 1
    assert len(apply_filters(events, Filters(countries=["PL"]))) == 1
    assert len(apply_filters(events, Filters(statuses=["arrived"]))) == 0
    march = Filters(date_from=pd.Timestamp("2022-03-01").date(), date_to=pd.Timestamp("2022-03-31").date())
    assert list(apply_filters(events, march)["destination"]) == ["Romania"]


def test_geojson_export_has_one_linestring_per_arc_with_every_field():
    collection = json.loads(to_geojson(prepare_events(seed_like())))
    first = collection["features"][0]
    assert first["geometry"] == {"type": "LineString", "coordinates": [[-79.0, 35.14], [10.45, 51.17]]}
    assert first["properties"]["headcount"] == 2000 and first["properties"]["destination"] == "Germany"
    assert "allocated" not in first["properties"]
    csv = pd.read_csv(pd.io.common.BytesIO(to_csv(seed_like())))
    assert list(csv["headcount"]) == [2000, 2000, 1000]


def stored_events_of_every_kind(url: str) -> pd.DataFrame:
    """The seed's three flows, a movement with no stated origin and one with no place at all,
    stored and read back as the Map page reads them (events with their list fields)."""
    from storage import Storage
    from ui.tables import with_article_dates
    rows = seed_like().drop(columns=["article_id", "article_title", "published"])
    rows["date"] = None
    rows.loc[len(rows)] = {**rows.iloc[2].to_dict(), "origin": None, "origin_country": None, "origin_lat": None,
                           "origin_lon": None, "destination": "Lithuania", "destination_country": "LT",
                           "destination_lat": 55.2, "destination_lon": 23.9, "headcount": 350,
                           "evidence": "350 soldats déployés en Lituanie"}
    rows.loc[len(rows)] = {**rows.iloc[2].to_dict(), "origin": None, "origin_country": None, "origin_lat": None,
                           "origin_lon": None, "destination": "somewhere unnamed", "destination_country": None,
                           "destination_lat": None, "destination_lon": None, "headcount": 75, "date": "2022-02-20",
                           "evidence": "75 experts envoyés sur place"}
    with Storage(url) as store:
        store.ingest("Seed-like article", deployments=rows, title="Seed", published="2022-02-02",
                     extractor_version="test")
        return with_article_dates(store.events(), store.articles())


def test_the_geopackage_holds_every_row_shown_as_flows_destinations_and_unplaced_rows(tmp_path):
    import geopandas as gpd
    import pyogrio

    from ui.export import to_geopackage
    events = stored_events_of_every_kind(f"sqlite:///{tmp_path / 'gis.db'}")
    assert len(events) == 5
    path = tmp_path / "shown.gpkg"
    path.write_bytes(to_geopackage(events))

    layers = dict(pyogrio.list_layers(path))
    assert layers == {"flows": "LineString", "destinations": "Point", "unplaced": None}
    flows = gpd.read_file(path, layer="flows")
    destinations = gpd.read_file(path, layer="destinations")
    unplaced = gpd.read_file(path, layer="unplaced")
    assert flows.crs.to_epsg() == 4326 and destinations.crs.to_epsg() == 4326
    found = pd.concat([flows, destinations, unplaced], ignore_index=True)
    assert sorted(found["id"]) == sorted(events["id"])    # every row, once
    assert {(r.origin, r.destination, r.headcount) for r in flows.itertuples()} == {
        ("Fort Bragg", "Germany", 2000), ("Fort Bragg", "Poland", 2000), ("Germany", "Romania", 1000)}
    romania = flows[flows["destination"] == "Romania"].iloc[0]
    assert list(romania.geometry.coords) == [(10.45, 51.17), (24.97, 45.94)]
    assert list(destinations.geometry.iloc[0].coords) == [(23.9, 55.2)]
    assert unplaced.iloc[0]["destination"] == "somewhere unnamed" and unplaced.iloc[0]["date"] == "2022-02-20"
    # Every stored field is kept, the display-only ones are not.
    stored = set(events.columns) - {"allocated", "when", "origin_label", "destination_label", "route"}
    assert stored <= set(flows.columns) | {"geometry"}
    assert "allocated" not in flows.columns
    assert json.loads(romania["sources"]) == ["Seed"]
    assert bool(romania["headcount_shared"]) is False and flows["headcount_shared"].sum() == 2


def test_the_geojson_export_is_the_same_rows_with_lists_kept_as_arrays(tmp_path):
    import geopandas as gpd

    events = stored_events_of_every_kind(f"sqlite:///{tmp_path / 'gis.db'}")
    collection = json.loads(to_geojson(events))
    kinds = sorted(str((f["geometry"] or {}).get("type")) for f in collection["features"])
    assert kinds == ["LineString", "LineString", "LineString", "None", "Point"]
    assert collection["features"][0]["properties"]["sources"] == ["Seed"]
    path = tmp_path / "shown.geojson"
    path.write_bytes(to_geojson(events))
    assert len(gpd.read_file(path)) == 5


def test_highlighting_escapes_the_article_and_marks_what_was_read():
    text = "Intro <script>alert(1)</script>. 2 000 autres seront envoyés de Fort Bragg vers la Pologne le 2 mars."
    start = text.index("2 000")
    rows = pd.DataFrame([{"start": start, "end": len(text), "evidence": "", "headcount": 2000,
                          "origin_text": "Fort Bragg", "destination_text": "Pologne"}])
    page = highlight_html(text, rows)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert '<mark class="tm-number">2 000</mark>' in page
    assert '<mark class="tm-place">Fort Bragg</mark>' in page and '<mark class="tm-place">Pologne</mark>' in page
    assert '<mark class="tm-move">envoyés</mark>' in page
    assert '<mark class="tm-number">2</mark> mars' not in page   # a date is not a headcount


def test_arcs_run_pale_at_the_origin_to_full_colour_at_the_destination_in_the_category_hue():
    from ui.figures import STATUS_COLOURS, legend, legend_html
    frame = seed_like()
    frame.loc[2, "status"] = "deployed"
    spec = json.loads(build_map(frame, colour_by="status").to_json())
    arcs = next(layer for layer in spec["layers"] if layer["id"] == "arcs")
    assert arcs["getSourceColor"] != arcs["getTargetColor"]
    for row in arcs["data"]:
        origin, destination = row[arcs["getSourceColor"].removeprefix("@@=")], row[arcs["getTargetColor"].removeprefix("@@=")]
        hue = list(STATUS_COLOURS["deployed" if "Romania" in row["tip_title"] else "announced"])
        assert destination[:3] == hue                       # status is still read from the colour
        assert origin[3] < destination[3]                   # fainter at the origin
        assert all(o >= d for o, d in zip(origin[:3], destination[:3]))   # and paler
    key = legend_html(legend(prepare_events(frame), "status"), "status")
    assert "origin" in key and "destination" in key and "announced" in key and "deployed" in key
    assert "linear-gradient" in key


def test_the_land_is_light_with_no_band_round_the_world_and_neighbours_differ():
    import shapely

    from ui.figures import compact_countries
    data = Path(__file__).resolve().parents[2] / "data"
    source = json.loads((data / "countries.geojson").read_text(encoding="utf-8"))
    land = compact_countries(source, borders=pd.read_csv(data / "borders.csv", keep_default_na=False))
    shapes = [shapely.geometry.shape(f["geometry"]) for f in land["features"] if f["geometry"]]
    source_vertices = sum(shapely.get_num_coordinates(shapely.geometry.shape(f["geometry"]))
                          for f in source["features"] if f["geometry"])
    widest = max(part.bounds[2] - part.bounds[0] for shape in shapes for part in getattr(shape, "geoms", [shape]))
    assert widest < 180          # eastern Russia and Fiji no longer span the whole map
    assert sum(shapely.get_num_coordinates(shape) for shape in shapes) < 0.8 * source_vertices
    tone = {f["properties"]["ISO_A2"]: f["properties"]["tone"] for f in land["features"]}
    assert tone["PL"] != tone["DE"] and tone["FR"] != tone["ES"]
