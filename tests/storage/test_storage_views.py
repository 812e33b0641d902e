"""The Map and Charts aggregates computed in the database (storage/views.py) give the numbers
the pandas functions of ui/ give from every event, on SQLite and on PostgreSQL."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from bench.bench_figures import synthetic_deployments
from storage import views
from storage.views import Selection
from ui.filtering import Filters, apply_filters
from ui.tables import counted_total, with_article_dates

from storage_helpers import FORT_BRAGG, GERMANY, POLAND, frame, movement


@pytest.fixture
def library(storage):
    """300 synthetic rows (a tenth sharing a figure between two places) in 6 articles, the same
    movement reported by two articles (one event, two sources), and an undated movement."""
    for number, rows in enumerate(synthetic_deployments(300, 6, seed=3)):
        storage.ingest(f"synthetic {number}", deployments=rows, title=f"Article {number}",
                       published=rows["date"].iloc[0], extractor_version="test")
    report = frame(movement(FORT_BRAGG, POLAND, headcount=2000, headcount_shared=True, headcount_group="g",
                            date="2022-02-02"),
                   movement(FORT_BRAGG, GERMANY, headcount=2000, headcount_shared=True, headcount_group="g",
                            counted=False, date="2022-02-02"))
    storage.ingest("first report", deployments=report, title="First report", published="2022-02-02",
                   extractor_version="test")
    storage.ingest("second report", deployments=report.iloc[:1], title="Second report", published="2022-02-03",
                   extractor_version="test")
    storage.ingest("undated", deployments=frame(movement(FORT_BRAGG, GERMANY, headcount=120, force="CA")),
                   title="Undated", published=None, extractor_version="test")
    return storage


def pandas_events(storage) -> pd.DataFrame:
    return with_article_dates(storage.events(), storage.articles())


SELECTIONS = [
    (Selection(), Filters()),
    (Selection(forces=("US", "GB")), Filters(forces=["US", "GB"])),
    (Selection(statuses=("deployed", "arrived"), countries=("PL", "DE", "FR")),
     Filters(statuses=["deployed", "arrived"], countries=["PL", "DE", "FR"])),
    (Selection(date_from="2022-06-01", date_to="2023-06-30"),
     Filters(date_from=dt.date(2022, 6, 1), date_to=dt.date(2023, 6, 30))),
    (Selection(date_from="2022-06-01", date_to="2023-06-30", include_undated=False),
     Filters(date_from=dt.date(2022, 6, 1), date_to=dt.date(2023, 6, 30), include_undated=False)),
]


@pytest.mark.parametrize("selection, filters", SELECTIONS)
def test_the_database_aggregates_equal_the_pandas_ones(library, selection, filters):
    everything = pandas_events(library)
    expected = apply_filters(everything, filters)
    assert len(expected) > 0

    totals = views.summary(library, selection)
    assert totals["events"] == len(expected)
    assert totals["troops"] == counted_total(expected)
    assert totals["articles"] == len({a for ids in expected["article_ids"] for a in ids})

    for what, label in (("destination", "destination_label"), ("origin", "origin_label")):
        database = views.troops_by(library, selection, what, limit=None)
        in_pandas = expected.groupby(label)["allocated"].sum()
        pd.testing.assert_series_equal(database.sort_index(), in_pandas.sort_index(), check_names=False,
                                       check_index_type=False)
    flows = views.flows(library, selection, level="place", colour_by="force")
    assert flows["allocated"].sum() == pytest.approx(expected.loc[expected["destination"].notna(), "allocated"].sum())
    assert flows["events"].sum() == expected["destination"].notna().sum()
    table = views.events_table(library, selection)
    assert sorted(table["event_id"]) == sorted(expected["event_id"])


def test_a_shared_figure_is_split_and_an_event_of_two_articles_counts_once(library):
    table = views.events_table(library, Selection(article_ids=(library.find_article("second report"),)))
    assert len(table) == 1
    poland = table.iloc[0]
    assert poland["destination"] == "Poland" and poland["n_sources"] == 2
    assert poland["sources"] == ["First report", "Second report"]
    assert poland["allocated"] == 1000          # 2,000 shared evenly with Germany
    by_country = views.flows(library, Selection(article_ids=(library.find_article("first report"),)),
                             level="country", colour_by="force")
    assert set(zip(by_country["origin_key"], by_country["destination_key"], by_country["allocated"])) == {
        ("US", "PL", 1000.0), ("US", "DE", 1000.0)}


def test_country_flows_sum_every_route_between_two_countries(library):
    places = views.flows(library, Selection(), level="place", colour_by="status")
    countries = views.flows(library, Selection(), level="country", colour_by="status")
    assert len(countries) < len(places)
    assert countries["allocated"].sum() == pytest.approx(places["allocated"].sum())
    key = places["origin_country"].fillna(places["origin"]).fillna("?") + ">" + places["destination_country"].fillna(
        places["destination"]) + ">" + places["status"]
    expected = places.groupby(key)["allocated"].sum().sort_index()
    got = countries.set_index(countries["origin_key"].fillna("?") + ">" + countries["destination_key"] + ">"
                              + countries["status"])["allocated"].sort_index()
    pd.testing.assert_series_equal(got, expected, check_names=False, check_index_type=False)
    assert views.count_routes(library, Selection(), "country") == countries[["origin_key", "destination_key"]] \
        .drop_duplicates().shape[0]


@pytest.mark.parametrize("level", ["place", "country"])
@pytest.mark.parametrize("colour_by", ["force", "status"])
def test_an_arc_leads_back_to_exactly_the_events_it_sums(library, level, colour_by):
    """A click on an arc asks for its events through Selection.group: every arc of the map
    gives back as many events and as many troops as it draws, also under a filter."""
    selection = Selection(date_from="2022-01-01", date_to="2023-12-31", forces=("US", "GB", "FR"))
    arcs = views.flows(library, selection, level=level, colour_by=colour_by)
    assert len(arcs) > 5
    for arc in arcs.itertuples():
        group = views.flow_group(library, level, colour_by, arc.place_row, getattr(arc, colour_by))
        members = views.events_table(library, replace(selection, group=group), with_sources=False)
        assert len(members) == arc.events
        assert members["allocated"].sum() == pytest.approx(arc.allocated)
        assert members["force"].isin(["US", "GB", "FR"]).all()


@pytest.mark.parametrize("what", ["destination", "origin", "force"])
def test_a_bar_leads_back_to_exactly_the_events_it_sums(library, what):
    bars = views.troops_by(library, Selection(), what, limit=None)
    for label, troops in bars.items():
        members = views.events_table(library, Selection(group=((what, label),)), with_sources=False)
        assert members["allocated"].sum() == pytest.approx(troops), label
    # The events of one movement bar (largest moves) by their ids.
    some = views.events_table(library, Selection(), limit=3, with_sources=False)
    chosen = views.events_table(library, Selection(group=(("event", tuple(some["event_id"])),)), with_sources=False)
    assert sorted(chosen["event_id"]) == sorted(some["event_id"])


def test_an_arc_whose_row_is_gone_leads_nowhere(library):
    assert views.flow_group(library, "place", "force", 10**9, "US") is None
    with pytest.raises(ValueError):
        views.summary(library, Selection(group=(("headcount", 1),)))


def test_the_timeline_window_and_the_undated_movements(library):
    days = views.days(library, Selection())
    assert days == sorted(days) and "2022-02-02" in days
    one_day = views.summary(library, Selection(since="2022-02-02", until="2022-02-02"))
    everything = pandas_events(library)
    on_that_day = everything[everything["when"].dt.date == dt.date(2022, 2, 2)]
    assert one_day["events"] == len(on_that_day) > 0
    undated = views.events_table(library, Selection(), undated_only=True)
    assert list(undated["force"]) == ["CA"] and undated.iloc[0]["headcount"] == 120
    assert views.summary(library, Selection(since=days[0], until=days[-1]))["events"] == len(everything) - 1


def test_stored_allocations_follow_every_edit_addition_and_deletion(storage):
    shared = frame(movement(FORT_BRAGG, POLAND, headcount=2000, headcount_shared=True, headcount_group="g",
                            date="2022-02-02"),
                   movement(FORT_BRAGG, GERMANY, headcount=2000, headcount_shared=True, headcount_group="g",
                            counted=False, date="2022-02-02"))
    article = storage.ingest("shared", deployments=shared, title="Shared", published="2022-02-02",
                             extractor_version="test").article_id

    def per_destination() -> dict:
        database = views.troops_by(storage, Selection(), "destination", limit=None).to_dict()
        in_pandas = pandas_events(storage).groupby("destination_label")["allocated"].sum().to_dict()
        assert database == in_pandas
        return database

    assert per_destination() == {"Poland": 1000, "Germany": 1000}
    rows = storage.deployments().set_index("destination")["id"]
    storage.add_deployment(article, movement(FORT_BRAGG, GERMANY, headcount=2000, headcount_shared=True,
                                             headcount_group="g", counted=False))
    assert per_destination() == {"Poland": 1000 * 2 / 3, "Germany": 1000 * 2 / 3 * 2}
    storage.delete_deployment(int(storage.deployments().query("human_added")["id"].iloc[0]))
    assert per_destination() == {"Poland": 1000, "Germany": 1000}
    storage.update_deployment(int(rows["Germany"]), {"headcount": 500})   # no longer one figure split
    assert per_destination() == {"Poland": 2000, "Germany": 0}
    storage.delete_deployment(int(rows["Germany"]))
    assert per_destination() == {"Poland": 2000}
