"""Every optional field of an article and of a row may be missing — None, NaN, pandas NA or an
empty string — and no page or helper of the dashboard may fail on it.

A missing title read back from the database as NaN once broke Home, Map and Charts on every visit
(NaN is truthy, so ``title or source`` picked it); an article with no rows broke Home. These tests
build articles and rows with each optional field missing in each way, and render every page with
AppTest and every helper of ``ui/`` directly.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text as sql
from streamlit.testing.v1 import AppTest

from storage import Storage
from ui import export
from ui.figures import all_charts, build_map, legend
from ui.filtering import Filters, apply_filters
from ui.highlight import highlight_html
from ui.tables import counted_total, largest_moves, prepare_events
from ui.values import article_label, missing

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["app.py", "pages/1_Map.py", "pages/2_Charts.py", "pages/3_Articles.py"]
ARTICLE = ("Two thousand soldiers from Fort Bragg will deploy to Poland, the Pentagon said. "
           "Another 1,000 will move from Germany to Romania.")

MISSING = {"None": None, "NaN": math.nan, "pandas NA": pd.NA, "empty string": ""}
# Every field of a row a person or the extractor may leave empty.
OPTIONAL_ROW_FIELDS = ["origin", "origin_country", "origin_lat", "origin_lon", "destination_country",
                       "destination_lat", "destination_lon", "headcount", "headcount_shared", "status",
                       "force", "unit", "date", "evidence", "confidence", "headcount_group", "counted",
                       "origin_kind", "destination_kind", "start", "end"]
OPTIONAL_ARTICLE_FIELDS = ["title", "source", "lang", "published"]
# The database refuses an empty status (a CHECK constraint), so it is only ever NULL there.
TEXT_FIELDS = {"origin", "origin_country", "destination_country", "force", "unit", "date", "evidence",
               "headcount_group", "origin_kind", "destination_kind"}

COMPLETE_ROW = {
    "origin": "Fort Bragg", "origin_country": "US", "origin_lat": 35.14, "origin_lon": -79.01,
    "destination": "Poland", "destination_country": "PL", "destination_lat": 52.0, "destination_lon": 19.4,
    "headcount": 2000, "headcount_shared": False, "status": "announced", "force": "US", "unit": "82nd Airborne",
    "date": "2022-02-02", "evidence": "Two thousand soldiers from Fort Bragg will deploy to Poland",
    "confidence": 0.9, "headcount_group": "g1", "counted": True, "origin_kind": "base",
    "destination_kind": "country", "start": 0, "end": 58,
}


def _event_frame(field: str, value) -> pd.DataFrame:
    """Two events as Storage.events() gives them, the first with ``field`` missing."""
    rows = []
    for number, destination in enumerate(["Poland", "Romania"], start=1):
        row = dict(COMPLETE_ROW, id=number, destination=destination, article_id=1, event_id=number,
                   article_title="A title", article_source="pasted text", published="2022-02-02",
                   n_sources=1, article_ids=[1], sources=["A title"], deployment_ids=[number])
        rows.append(row)
    rows[0][field] = value
    return pd.DataFrame(rows)


@pytest.mark.parametrize("kind", list(MISSING))
@pytest.mark.parametrize("field", OPTIONAL_ROW_FIELDS + ["article_title", "published", "article_ids"])
def test_every_ui_helper_takes_a_row_with_a_field_missing(field, kind):
    events = prepare_events(_event_frame(field, MISSING[kind]))
    assert len(events) == 2
    for colour_by in ("force", "status"):
        build_map(events, {"type": "FeatureCollection", "features": []}, None, colour_by=colour_by)
        assert legend(events, colour_by) is not None
    charts = all_charts(events)
    assert set(charts) >= {"destination", "origin", "force", "sankey", "timeline", "largest"}
    assert counted_total(events) >= 1000
    largest_moves(events)
    assert len(apply_filters(events, Filters(article_ids=[1]))) >= 1
    assert "Romania" in export.to_csv(events).decode("utf-8")
    assert b"Romania" in export.to_geojson(events)
    html = highlight_html(ARTICLE, events)
    assert "Pentagon" in html


@pytest.mark.parametrize("kind", list(MISSING))
def test_article_names_fall_back_when_title_and_source_are_missing(kind):
    value = MISSING[kind]
    assert article_label({"id": 7, "title": value, "source": value}) == "article 7"
    assert article_label({"id": 7, "title": value, "source": "wire.txt"}) == "wire.txt"
    assert missing(value)
    assert not missing("0") and not missing(0)


def test_an_empty_table_reaches_every_helper():
    events = prepare_events(_event_frame("origin", None).iloc[0:0])
    assert apply_filters(events, Filters(article_ids=[1])).columns.tolist() == events.columns.tolist()
    build_map(events, {"type": "FeatureCollection", "features": []}, None, colour_by="force")
    assert legend(events, "force") == []
    all_charts(events)
    assert counted_total(events) == 0


@pytest.fixture
def gappy_library(empty_db, request) -> str:
    """Articles with every optional field missing (as NULL or as an empty string), each with rows
    that leave one optional field empty, plus an article with no rows at all."""
    stored_as = request.param
    store = Storage(empty_db)
    base = store.ingest(ARTICLE, deployments=None, title="Complete article", source="wire.txt", lang="en",
                        published="2022-02-02", extractor_version="test").article_id
    for field in OPTIONAL_ROW_FIELDS:
        value = None if stored_as is None else ("" if field in TEXT_FIELDS else None)
        row = dict(COMPLETE_ROW, **{field: value})
        if field in ("counted", "headcount_shared"):
            row[field] = None
        store.add_deployment(base, row)
    bare = store.ingest(ARTICLE + " (second copy)", deployments=None, extractor_version="test").article_id
    store.add_deployment(bare, dict(COMPLETE_ROW))
    store.ingest("Die Bundeswehr hat 2023 rund 5.000 Rekruten eingestellt; der Etat liegt bei 52 Milliarden Euro.",
                 deployments=None, title="Etat", extractor_version="test")
    with store.engine.begin() as connection:
        for field in OPTIONAL_ARTICLE_FIELDS:
            connection.execute(sql(f"UPDATE articles SET {field} = :value WHERE id = :id"),
                               {"value": stored_as, "id": bare})
    return empty_db


@pytest.mark.parametrize("gappy_library", [None, ""], ids=["NULL", "empty string"], indirect=True)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_articles_and_rows_with_fields_missing(gappy_library, page):
    app = AppTest.from_file(str(ROOT / page), default_timeout=180).run()
    assert not app.exception, [e.value for e in app.exception]
    assert not any("could not be shown" in e.value for e in app.error), [e.value for e in app.error]
    if page == "app.py":
        # Open each stored article on Home: the untitled one and the one with no rows too.
        store = Storage(gappy_library)
        for article_id in store.articles()["id"]:
            app.session_state["session_articles"] = [int(i) for i in store.articles()["id"]]
            app.session_state["current_article"] = int(article_id)
            app.run()
            assert not app.exception, [e.value for e in app.exception]
            assert not any("could not be shown" in e.value for e in app.error)


def paste(text: str) -> AppTest:
    """Home, with ``text`` pasted (no title) and extracted."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    app.text_area(key="pasted_text").set_value(text)
    next(b for b in app.button if b.label == "Extract deployments").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_an_article_with_no_rows_says_so_and_keeps_the_editor(empty_db):
    app = paste("Die Bundeswehr hat 2023 rund 5.000 Rekruten eingestellt; der Etat liegt bei 52 Milliarden Euro.")
    assert any("No troop movement found" in i.value for i in app.info)
    assert len(app.data_editor) == 1 and app.data_editor[0].value.empty
    assert any("without a grammatical parser" in i.value and "German" in i.value for i in app.info)


def test_a_language_without_rules_of_its_own_gets_the_best_effort_warning(empty_db):
    app = paste("L'Italia invierà 4.800 soldati in Lituania, ha comunicato il ministero della Difesa italiano.")
    assert any("Best-effort reading" in w.value and "Italian" in w.value for w in app.warning)


def test_pasted_text_without_a_title_is_named_by_its_first_line(empty_db):
    app = paste("Pentagon sends 3,000 more troops to Poland as tensions rise with Russia over Ukraine and the Baltic\n\n"
                "The Pentagon said 3,000 soldiers from Fort Hood will deploy to Poland next week.")
    title = Storage(empty_db).articles().iloc[0]["title"]
    assert title.startswith("Pentagon sends 3,000 more troops to Poland") and title.endswith("…")
    assert len(title) <= 91
    assert any(title in h.value for h in app.subheader)
    for page in PAGES[1:]:
        page_app = AppTest.from_file(str(ROOT / page), default_timeout=180).run()
        assert not page_app.exception, [e.value for e in page_app.exception]
        assert not page_app.error, [e.value for e in page_app.error]


def test_an_unexpected_error_becomes_a_short_message_with_an_id_and_the_traceback_goes_to_the_log(caplog):
    def page():
        from ui.errors import page_errors
        import streamlit as st
        with page_errors("The Test page"):
            st.write("before the failure")
            {}["no such key"]

    app = AppTest.from_function(page).run()
    assert not app.exception
    [message] = [e.value for e in app.error]
    assert "The Test page could not be shown" in message and "Nothing was lost" in message
    error_id = message.split("error id `")[1].split("`")[0]
    assert len(error_id) == 8
    assert "Traceback" not in message and "KeyError" not in message
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info and logged[0].exc_info[0] is KeyError


def test_the_app_config_hides_tracebacks_and_listens_on_loopback():
    import tomllib
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["address"] == "127.0.0.1"
