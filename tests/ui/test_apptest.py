"""Every page of the dashboard run headless with streamlit's AppTest, on a temporary SQLite
database (TROOPMAP_DB), with the real extractor and the real storage."""
from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from extract import extract_deployments
from extract.documents import MAX_BYTES
from extract.pipeline import EXTRACTOR_VERSION
from storage import Storage
ROOT = Path(__file__).resolve().parents[2]

PAGES = ["app.py", "pages/1_Map.py", "pages/2_Charts.py", "pages/3_Articles.py", "pages/4_Review.py"]
REQUIRED = {("Fort Bragg", "Germany", 2000), ("Fort Bragg", "Poland", 2000), ("Germany", "Romania", 1000)}


def run(page: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / page), default_timeout=180).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def triples(frame) -> set[tuple]:
    return {(r.origin, r.destination, None if pd.isna(r.headcount) else int(r.headcount))
            for r in frame.itertuples()}


@pytest.fixture
def library(empty_db, seed_text) -> dict:
    """The seed article read by the real extractor, plus one British movement a person added."""
    store = Storage(empty_db)
    result = store.ingest(seed_text, deployments=extract_deployments(seed_text, published="2022-02-02"),
                          title="Seed article", published="2022-02-02", extractor_version=EXTRACTOR_VERSION)
    store.add_deployment(result.article_id, {
        "origin": "United Kingdom", "origin_country": "GB", "origin_lat": 52.4, "origin_lon": -1.5,
        "destination": "Estonia", "destination_country": "EE", "destination_lat": 58.7, "destination_lon": 25.5,
        "headcount": 500, "force": "GB", "status": "deployed", "date": "2022-02-10", "evidence": "added by hand"})
    return {"url": empty_db, "article_id": result.article_id, "store": store}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_library(empty_db, page):
    app = run(page)
    assert any("empty" in i.value or "No deployments" in i.value for i in app.info)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_stored_deployments(library, page):
    run(page)


def test_first_launch_shows_the_seed_article_as_a_removable_example(fresh_db):
    app = run("app.py")
    assert any("Example article" in i.value for i in app.info)
    store = Storage(fresh_db)
    articles = store.articles()
    assert list(articles["is_example"]) == [True]
    assert REQUIRED <= triples(store.deployments())
    editor = app.data_editor[0].value
    assert REQUIRED <= triples(editor)

    app.button(key="remove_example").click().run()
    assert store.articles().empty
    assert any("library is empty" in i.value for i in app.info)
    # A restart (caches cleared) must not bring the removed example back.
    st.cache_resource.clear()
    run("app.py")
    assert store.articles().empty


def test_upload_reads_good_files_and_reports_bad_and_oversized_ones(empty_db, seed_text):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    app.file_uploader(key="uploads").set_value([
        ("seed-fr.txt", seed_text.encode("utf-8"), "text/plain"),
        ("broken.pdf", b"%PDF-1.4 this is not a PDF at all", "application/pdf"),
        ("huge.txt", b"a" * (MAX_BYTES + 1), "text/plain"),
    ]).run()
    assert not app.exception, [e.value for e in app.exception]
    errors = " ".join(e.value for e in app.error)
    assert "broken.pdf" in errors and "huge.txt" in errors and "limit" in errors
    store = Storage(empty_db)
    assert list(store.articles()["source"]) == ["seed-fr.txt"]
    assert REQUIRED <= triples(app.data_editor[0].value)
    assert REQUIRED <= triples(store.deployments())
    # A rerun does not read the same upload again.
    app.run()
    assert len(store.articles()) == 1 and not app.error


def test_a_zip_of_articles_is_read_with_a_progress_bar_and_a_failure_list(empty_db, seed_text):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("wire/seed-fr.txt", seed_text)
        zipped.writestr("wire/short.txt", "The Pentagon said 800 soldiers will be sent from Germany to Lithuania.")
        zipped.writestr("wire/broken.pdf", b"%PDF-1.4 this is not a PDF at all")
        zipped.writestr("wire/notes.bin", b"not an article file: skipped")
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    app.file_uploader(key="uploads").set_value([("week.zip", archive.getvalue(), "application/zip")]).run()
    assert not app.exception, [e.value for e in app.exception]
    store = Storage(empty_db)
    assert sorted(store.articles()["source"]) == ["week.zip:wire/seed-fr.txt", "week.zip:wire/short.txt"]
    assert REQUIRED <= triples(store.deployments())
    assert ("Germany", "Lithuania", 800) in triples(store.deployments())
    assert any("1 article(s) could not be read" in e.value for e in app.error)
    failures = app.dataframe[0].value
    assert list(failures["article"]) == ["week.zip:wire/broken.pdf"] and "PDF" in failures["reason"][0]
    assert list(store.failures()["source"]) == ["week.zip:wire/broken.pdf"]
    # A rerun does not read the same archive again.
    app.run()
    assert len(store.articles()) == 2


def test_pasted_text_is_extracted_with_its_title_and_date(empty_db):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    app.text_area(key="pasted_text").set_value(
        "The Pentagon said 3,000 soldiers from Fort Hood will deploy to Poland next week.")
    app.text_input(key="pasted_title").set_value("Pasted wire report")
    app.date_input(key="pasted_date").set_value(dt.date(2023, 5, 4))
    next(b for b in app.button if b.label == "Extract deployments").click().run()
    assert not app.exception, [e.value for e in app.exception]
    article = Storage(empty_db).articles().iloc[0]
    assert article["title"] == "Pasted wire report" and str(article["published"]).startswith("2023-05-04")
    editor = app.data_editor[0].value
    assert ("Poland", 3000) in {(r.destination, r.headcount) for r in editor.itertuples()}


def test_pasting_nothing_says_so(empty_db):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    next(b for b in app.button if b.label == "Extract deployments").click().run()
    assert any("Paste the text" in e.value for e in app.error)


def test_map_filters_change_the_arcs_and_totals(library):
    app = run("pages/1_Map.py")
    everything = app.dataframe[0].value
    assert {"GB", "US"} <= set(everything["force"])
    assert len(app.get("deck_gl_json_chart")) == 1

    app.sidebar.multiselect(key="map-force").set_value(["GB"]).run()
    only_british = app.dataframe[0].value
    assert len(only_british) == 1 < len(everything)
    assert only_british.iloc[0]["destination"] == "Estonia"
    assert app.metric[1].value == "500"

    app.sidebar.multiselect(key="map-force").set_value([]).run()
    app.sidebar.multiselect(key="map-country").set_value(["RO"]).run()
    assert set(app.dataframe[0].value["destination"]) == {"Romania"}


def test_military_installations_are_drawn_when_asked(library):
    app = run("pages/1_Map.py")
    assert "installations" not in layer_ids(app)
    app.sidebar.checkbox(key="map-installations").check().run()
    assert "installations" in layer_ids(app)
    bases = next(layer for layer in json.loads(app.get("deck_gl_json_chart")[0].proto.json)["layers"]
                 if layer["id"] == "installations")["data"]
    assert "Fort Bragg" in {base["tip_title"] for base in bases}


def layer_ids(app: AppTest) -> list[str]:
    return [layer["id"] for layer in json.loads(app.get("deck_gl_json_chart")[0].proto.json)["layers"]]


def test_charts_count_a_shared_figure_once_and_follow_the_filters(library):
    app = run("pages/2_Charts.py")
    assert len(app.get("plotly_chart")) == 6
    store = library["store"]
    us_rows = store.deployments()
    us_rows = us_rows[(us_rows["force"] == "US") & us_rows["counted"]]
    expected_us = int(us_rows["headcount"].fillna(0).sum())
    total = int(app.metric[0].value.replace(",", ""))
    assert total == expected_us + 500

    app.sidebar.multiselect(key="charts-force").set_value(["GB"]).run()
    assert app.metric[0].value == "500"


def test_articles_page_reruns_extraction_keeping_edits_and_deletes_after_confirmation(library):
    store, article_id = library["store"], library["article_id"]
    romania = store.deployments().query("destination == 'Romania'").iloc[0]
    store.update_deployment(int(romania["id"]), {"headcount": 1200})

    app = run("pages/3_Articles.py")
    assert app.dataframe[0].value.iloc[0]["n_deployments"] == len(store.deployments())
    app.button(key="articles-rerun").click().run()
    assert not app.exception
    rows = store.deployments()
    assert 1200 in set(rows.query("destination == 'Romania'")["headcount"])   # the person's fix survives
    assert "Estonia" in set(rows["destination"])                              # so does the added row

    app.button(key="articles-delete").click().run()
    assert any("cannot be undone" in w.value for w in app.warning)
    assert store.article(article_id) is not None                               # not before confirming
    app.button(key="articles-delete-confirm").click().run()
    assert store.article(article_id) is None
    assert any("empty" in i.value for i in app.info)


def arcs_of(app: AppTest) -> list[dict]:
    """The arcs layer's rows of the page's deck.gl map."""
    spec = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    return next((layer["data"] for layer in spec["layers"] if layer["id"] == "arcs"), [])


@pytest.fixture
def dated_library(library) -> dict:
    """The library plus a second article: Fort Hood → Poland (a second US route into Poland) on
    2022-02-20, and a movement with neither a date nor a publication date."""
    store = library["store"]
    rows = pd.DataFrame([
        {"origin": "Fort Hood", "origin_country": "US", "origin_lat": 31.13, "origin_lon": -97.78,
         "destination": "Poland", "destination_country": "PL", "destination_lat": 52.0, "destination_lon": 19.4,
         "headcount": 700, "force": "US", "status": "deployed", "date": "2022-02-20", "evidence": "700 to Poland"}])
    store.ingest("Fort Hood report", deployments=rows, title="Fort Hood report", published="2022-02-21",
                 extractor_version="test")
    undated = pd.DataFrame([{"destination": "Lithuania", "destination_country": "LT", "destination_lat": 55.2,
                             "destination_lon": 23.9, "headcount": 150, "force": "DE", "status": "deployed",
                             "evidence": "150 to Lithuania"}])
    store.ingest("Undated report", deployments=undated, title="Undated report", published=None,
                 extractor_version="test")
    return library


def test_the_map_sums_flows_per_country_pair_when_asked(dated_library):
    app = run("pages/1_Map.py")
    by_place = arcs_of(app)
    assert {"Fort Bragg → Poland", "Fort Hood → Poland"} <= {arc["tip_title"] for arc in by_place}
    app.radio(key="map-level").set_value("countries").run()
    assert not app.exception
    by_country = arcs_of(app)
    assert len(by_country) == len(by_place) - 1
    poland = [arc for arc in by_country if arc["tip_title"] == "United States → Poland"]
    assert len(poland) == 1 and poland[0]["tip_1"].startswith("1,700 troops · 2 movements")  # 1,000 (shared) + 700
    assert any("pair of countries" in caption.value for caption in app.caption)


def test_the_timeline_steps_through_the_dates_and_lists_the_undated(dated_library):
    app = run("pages/1_Map.py")
    assert not app.get("select_slider")
    everything = int(app.metric[0].value)
    app.toggle(key="map-replay").set_value(True).run()
    assert not app.exception
    step = app.select_slider(key="map-step")
    assert step.options == ["2022-02-02", "2022-02-10", "2022-02-20"]   # the days with movements
    step.set_value(0).run()
    first_day = int(app.metric[0].value)
    assert 0 < first_day < everything
    app.select_slider(key="map-step").set_value(len(step.options) - 1).run()
    last_day = int(app.metric[0].value)
    assert first_day < last_day == everything - 1          # all but the undated movement
    app.radio(key="map-window").set_value("this step only").run()
    assert int(app.metric[0].value) == 1                  # only Fort Hood → Poland, on 2022-02-20
    assert len(arcs_of(app)) == 1
    app.radio(key="map-window").set_value("up to this step (earlier ones faded)").run()
    assert len(arcs_of(app)) > 1 and int(app.metric[0].value) == last_day
    undated = next(e for e in app.expander if "no date" in e.label)
    assert "1 movement" in undated.label
    assert list(undated.dataframe[0].value["destination"]) == ["Lithuania"]
    # Play starts from the beginning when at the end, and the button becomes Pause.
    app.button(key="map-play").click().run()
    assert app.session_state["map-playing"] is True
    assert app.button(key="map-play").label == "⏸ Pause"


def test_the_map_offers_csv_geojson_and_geopackage_of_what_is_shown(dated_library):
    app = run("pages/1_Map.py")
    labels = [button.label for button in app.get("download_button")]
    assert labels == ["Download CSV", "Download GeoJSON", "Download GeoPackage"]
