"""What a person does in the Home page's deployment editor, checked and saved through the real
Storage and geocoded by the real offline gazetteer."""
from __future__ import annotations

import pandas as pd
import pytest

from extract.geo import resolve
from storage import Storage
from ui.editing import EDITABLE, apply_plan, plan_changes


@pytest.fixture
def article(empty_db):
    store = Storage(empty_db)
    frame = pd.DataFrame([
        {"origin": "Fort Bragg", "origin_country": "US", "origin_lat": 35.139, "origin_lon": -79.006,
         "destination": "Poland", "destination_country": "PL", "destination_lat": 52.07, "destination_lon": 19.48,
         "headcount": 2000, "status": "announced", "force": "US", "evidence": "2,000 to Poland"},
        {"origin": "Germany", "origin_country": "DE", "origin_lat": 51.17, "origin_lon": 10.45,
         "destination": "Romania", "destination_country": "RO", "destination_lat": 45.94, "destination_lon": 24.97,
         "headcount": 1000, "status": "announced", "force": "US", "evidence": "1,000 to Romania"},
    ])
    result = store.ingest("Some article text about troops.", deployments=frame, title="t", extractor_version="test")
    rows = store.deployments([result.article_id])
    return store, result.article_id, rows[["id", *EDITABLE]].reset_index(drop=True)


def by_destination(store) -> dict:
    return {r.destination: r for r in store.deployments().itertuples()}


def test_a_fixed_headcount_and_a_renamed_place_are_saved_geocoded_and_logged(article):
    store, article_id, shown = article
    plan = plan_changes(shown, {"edited_rows": {0: {"headcount": 2500, "destination": "Varsovie"}}}, resolve)
    assert not plan.problems
    assert any("Warsaw" in note for note in plan.notes)   # the person sees how the name was read
    apply_plan(store, article_id, plan)
    row = by_destination(store)["Warsaw"]
    assert row.headcount == 2500 and row.destination_country == "PL" and row.edited
    assert abs(row.destination_lat - 52.23) < 0.1 and abs(row.destination_lon - 21.01) < 0.1
    logged = store.edits(int(row.id))
    assert {"headcount", "destination", "destination_lat"} <= set(logged["field"])
    assert "2000" in set(logged.query("field == 'headcount'")["old_value"])


@pytest.mark.parametrize("changes, message", [
    ({"headcount": -5}, "whole number"),
    ({"headcount": "lots"}, "not a number"),
    ({"destination": "Xyzzyville"}, "not in the offline gazetteer"),
    ({"date": "next Tuesday"}, "not a date"),
    ({"force": "Narnia"}, "not a country"),
    ({"origin_lat": 123, "origin_lon": 10}, "outside"),
])
def test_an_invalid_value_is_reported_and_nothing_is_saved(article, changes, message):
    store, article_id, shown = article
    before = store.deployments()
    editor_state = {"edited_rows": {0: changes, 1: {"headcount": 999}}}
    plan = plan_changes(shown, editor_state, resolve)
    assert any(message in problem for problem in plan.problems), plan.problems
    assert any(problem.startswith("Row 1") for problem in plan.problems)   # says which row
    with pytest.raises(ValueError):
        apply_plan(store, article_id, plan)
    # The valid edit of row 2 waits too: a batch is saved whole or not at all.
    pd.testing.assert_frame_equal(store.deployments(), before)
    assert store.edits().empty


def test_an_unknown_place_is_accepted_with_typed_coordinates(article):
    store, article_id, shown = article
    plan = plan_changes(shown, {"edited_rows": {1: {
        "destination": "Camp Nowhere", "destination_lat": 44.5, "destination_lon": 26.1}}}, resolve)
    assert not plan.problems
    apply_plan(store, article_id, plan)
    row = by_destination(store)["Camp Nowhere"]
    assert (row.destination_lat, row.destination_lon) == (44.5, 26.1)


def test_rows_are_added_and_deleted_with_an_edit_record(article):
    store, article_id, shown = article
    state = {
        "deleted_rows": [1],
        "added_rows": [{"origin": "Royaume-Uni", "destination": "Estonia", "headcount": 800, "force": "GB",
                        "status": "deployed", "date": "2022-03-01"}, {}],
    }
    plan = plan_changes(shown, state, resolve)
    assert not plan.problems
    apply_plan(store, article_id, plan)
    rows = by_destination(store)
    assert "Romania" not in rows
    added = rows["Estonia"]
    assert added.human_added and added.origin == "United Kingdom" and added.origin_country == "GB"
    assert added.headcount == 800 and added.date == "2022-03-01"
    assert {"added", "deleted"} <= set(store.edits()["field"])


def test_a_new_row_without_a_destination_is_refused(article):
    _store, _article_id, shown = article
    plan = plan_changes(shown, {"added_rows": [{"origin": "Germany", "headcount": 100}]}, resolve)
    assert any("needs a destination" in problem for problem in plan.problems)
