"""Storage against a real SQLite file and a real PostgreSQL server: what an analyst's library keeps."""
import pytest

from storage import Storage, StorageError
from storage_helpers import FAYETTEVILLE, FORT_HOOD, GERMANY, ROMANIA, frame, movement

ARTICLE = "The Pentagon said 2,000 soldiers from Fort Bragg will deploy to Poland.\n\nMore follows."


def ingest(storage, text=ARTICLE, rows=(), **kwargs):
    kwargs.setdefault("extractor_version", "1")
    return storage.ingest(text, deployments=frame(*rows), **kwargs)


def test_the_same_article_ingested_twice_is_stored_once(storage):
    first = ingest(storage, rows=[movement(headcount=2000, evidence="2,000 soldiers")], title="Wire")
    # Same words, other line breaks and spacing, decomposed accents: the same article.
    again = ingest(storage, text="  " + ARTICLE.replace("\n\n", " ").replace(" ", "\t ", 3) + "\n",
                   rows=[movement(headcount=9999)], title="Copy")
    assert first.created and not again.created
    assert again.article_id == first.article_id and again.n_deployments == 1
    assert len(storage.articles()) == 1
    assert list(storage.deployments()["headcount"]) == [2000]
    assert storage.find_article(ARTICLE.upper()) is None
    assert storage.find_article(" ".join(ARTICLE.split())) == first.article_id

    accented = ingest(storage, text="Les troupes arrivent à Bucarest.")
    decomposed = ingest(storage, text="Les troupes arrivent a\u0300 Bucarest.")
    assert decomposed.article_id == accented.article_id and not decomposed.created


def test_article_fields_are_kept(storage):
    result = ingest(storage, title="Troops to Poland", source="en-01.txt", lang="en", published="2022-02-02",
                    is_example=True)
    article = storage.article(result.article_id)
    assert article["text"] == ARTICLE
    assert (article["title"], article["source"], article["lang"], article["published"]) == \
        ("Troops to Poland", "en-01.txt", "en", "2022-02-02")
    assert article["is_example"] is True and article["added_at"] is not None
    listed = storage.articles().iloc[0]
    assert listed["title"] == "Troops to Poland" and listed["n_deployments"] == 0
    assert storage.article(result.article_id + 1) is None


def test_an_article_stored_without_its_language_takes_the_one_its_rows_were_read_in(storage):
    # Home warns "unknown language" for an article with none; the rows say which one was read.
    result = ingest(storage, rows=[{**movement(headcount=2000), "lang": "fr"}])
    assert storage.article(result.article_id)["lang"] == "fr"
    assert storage.article(ingest(storage, text="Sans ligne.").article_id)["lang"] is None


def test_reextraction_replaces_machine_rows_and_keeps_a_persons(storage):
    poland = movement(headcount=2000, evidence="2,000 soldiers to Poland", start=0, end=24)
    germany = movement(to_place=GERMANY, headcount=1000, evidence="1,000 to Germany", start=30, end=46)
    article_id = ingest(storage, rows=[poland, germany]).article_id
    rows = storage.deployments().set_index("destination")
    storage.update_deployment(int(rows.loc["Poland", "id"]), {"headcount": 3000})
    added = storage.add_deployment(article_id, movement(from_place=FORT_HOOD, to_place=ROMANIA, headcount=400))

    stored = storage.replace_extraction(
        article_id, frame(poland, {**germany, "headcount": 1100}, movement(to_place=ROMANIA, headcount=500,
                                                                            evidence="500 to Romania")), "2")

    assert stored == 2  # the new Poland reading is the same evidence a person already corrected
    rows = storage.deployments()
    assert sorted(rows["headcount"]) == [400, 500, 1100, 3000]
    by_count = rows.set_index("headcount")
    assert by_count.loc[3000, "edited"] and by_count.loc[3000, "extractor_version"] == "1"
    assert by_count.loc[1100, "extractor_version"] == "2" and not by_count.loc[1100, "edited"]
    assert by_count.loc[400, "human_added"] and by_count.loc[400, "id"] == added
    assert storage.articles().iloc[0]["n_deployments"] == 4


def test_a_deleted_row_stays_deleted_after_reextraction(storage):
    wrong = movement(to_place=GERMANY, headcount=50, evidence="50 officers visited Germany")
    article_id = ingest(storage, rows=[movement(headcount=2000, evidence="2,000"), wrong]).article_id
    wrong_id = int(storage.deployments().set_index("destination").loc["Germany", "id"])
    storage.delete_deployment(wrong_id)
    assert list(storage.deployments()["destination"]) == ["Poland"]

    storage.replace_extraction(article_id, frame(movement(headcount=2000, evidence="2,000"), wrong), "2")
    assert list(storage.deployments()["destination"]) == ["Poland"]
    log = storage.edits(wrong_id)
    assert list(log["field"]) == ["deleted"] and "Germany" in log.iloc[0]["old_value"]
    with pytest.raises(StorageError, match="no deployment"):
        storage.update_deployment(wrong_id, {"headcount": 1})


def test_every_edit_is_logged_with_field_old_and_new_value(storage):
    article_id = ingest(storage, rows=[movement(headcount=2000, status="announced")]).article_id
    row_id = int(storage.deployments().iloc[0]["id"])

    storage.update_deployment(row_id, {"headcount": 2500, "status": "deployed", "force": "US"})

    log = storage.edits(row_id)
    assert [(e.field, e.old_value, e.new_value) for e in log.itertuples()] == \
        [("headcount", "2000", "2500"), ("status", "announced", "deployed")]
    assert (log["article_id"] == article_id).all() and log["at"].notna().all()
    row = storage.deployments().iloc[0]
    assert row["headcount"] == 2500 and row["status"] == "deployed" and row["edited"]
    with pytest.raises(StorageError, match="not a deployment column"):
        storage.update_deployment(row_id, {"article_id": 7})
    with pytest.raises(StorageError):
        storage.update_deployment(row_id, {"status": "marching"})
    assert storage.deployments().iloc[0]["status"] == "deployed"


def test_an_added_row_is_marked_and_logged(storage):
    article_id = ingest(storage).article_id
    row_id = storage.add_deployment(article_id, movement(to_place=ROMANIA, headcount=300))
    row = storage.deployments().iloc[0]
    assert row["id"] == row_id and row["human_added"] and row["extractor_version"] is None
    assert list(storage.edits()["field"]) == ["added"] and "Romania" in storage.edits().iloc[0]["new_value"]


def test_deleting_an_article_removes_its_rows_and_their_edits_only(storage):
    first = ingest(storage, rows=[movement(headcount=2000, date="2022-02-02")]).article_id
    second = ingest(storage, text="Other outlet: 2,000 US troops for Poland.",
                    rows=[movement(from_place=FAYETTEVILLE, headcount=2000, date="2022-02-03")]).article_id
    storage.update_deployment(int(storage.deployments([first]).iloc[0]["id"]), {"unit": "82nd Airborne"})

    storage.delete_article(first)

    assert list(storage.articles()["id"]) == [second]
    assert list(storage.deployments()["article_id"]) == [second]
    assert storage.edits().empty
    events = storage.events()
    assert len(events) == 1 and events.iloc[0]["article_ids"] == [second]
    with pytest.raises(StorageError, match="no article"):
        storage.delete_article(first)


def test_one_movement_from_two_articles_is_one_event_counted_once(storage):
    first = ingest(storage, title="Wire", rows=[movement(headcount=2000, date="2022-02-02")]).article_id
    # Another outlet: the town next to the base, a rounder figure, a day later.
    second = ingest(storage, text="US sends about 1,900 troops from Fayetteville to Poland.", title="Daily",
                    rows=[movement(from_place=FAYETTEVILLE, headcount=1900, date="2022-02-03")]).article_id

    rows = storage.deployments()
    assert len(rows) == 2 and rows["event_id"].nunique() == 1
    events = storage.events()
    assert len(events) == 1
    event = events.iloc[0]
    assert event["n_sources"] == 2 and event["article_ids"] == [first, second]
    assert event["sources"] == ["Wire", "Daily"]
    flows = storage.flows()
    assert flows["headcount"].sum() == 2000 and flows["n_events"].sum() == 1
    assert len(storage.events([second])) == 1 and storage.events([second]).iloc[0]["n_sources"] == 2


@pytest.mark.parametrize("other, same_event", [
    (dict(headcount=2100), True),                        # within 15 %
    (dict(headcount=None), True),                        # the other outlet gives no figure
    (dict(headcount=5000), False),                       # a different, larger movement
    (dict(headcount=2000, date="2022-03-20"), False),    # weeks later: another rotation
    (dict(headcount=2000, force="GB"), False),           # someone else's troops
    (dict(headcount=2000, **GERMANY), False),            # somewhere else
    (dict(headcount=2000, **FORT_HOOD), False),          # from another base, 1,800 km away
])
def test_headcounts_dates_force_and_places_decide_whether_reports_merge(storage, other, same_event):
    ingest(storage, rows=[movement(headcount=2000, date="2022-02-02")])
    ingest(storage, text="Second report.", rows=[movement(**{"date": "2022-02-04", **other})])
    assert (len(storage.events()) == 1) is same_event
    expected_total = 2000 if same_event else 2000 + (other.get("headcount") or 0)
    assert storage.flows()["headcount"].sum() == expected_total


@pytest.mark.parametrize("order", [(2000, None, 5000), (2000, 5000, None)])
def test_a_report_without_a_figure_does_not_bridge_two_different_movements(storage, order):
    for number, headcount in enumerate(order):
        ingest(storage, text=f"Report {number}.", rows=[movement(headcount=headcount, date="2022-02-02")])
    events = storage.events()
    assert sorted(events["n_sources"]) == [1, 2]
    assert storage.flows()["headcount"].sum() == 7000


def test_the_figure_of_an_event_comes_from_a_report_that_gives_one(storage):
    ingest(storage, rows=[movement(headcount=2000, confidence=0.4)])
    ingest(storage, text="Second report.", rows=[movement(headcount=None, confidence=0.9)])
    assert len(storage.events()) == 1 and storage.events().iloc[0]["headcount"] == 2000
    assert storage.flows()["headcount"].sum() == 2000


def test_an_edit_that_makes_reports_incompatible_splits_their_event(storage):
    ingest(storage, rows=[movement(headcount=2000)])
    ingest(storage, text="Second report.", rows=[movement(headcount=2000)])
    second_row = int(storage.deployments().iloc[1]["id"])
    assert len(storage.events()) == 1

    storage.update_deployment(second_row, {"headcount": 9000})
    assert len(storage.events()) == 2 and storage.flows()["headcount"].sum() == 11000
    storage.update_deployment(second_row, {"headcount": 2000})
    assert len(storage.events()) == 1 and storage.flows()["headcount"].sum() == 2000


def test_uncounted_rows_do_not_add_to_totals(storage):
    # One figure over two destinations: the extractor counts it once.
    ingest(storage, rows=[movement(headcount=2000, headcount_shared=True, headcount_group="g1", counted=True),
                          movement(to_place=GERMANY, headcount=2000, headcount_shared=True,
                                   headcount_group="g1", counted=False)])
    assert storage.flows()["headcount"].sum() == 2000
    assert sorted(storage.events()["counted"]) == [False, True]


def test_flows_filter_by_date_force_and_status(storage):
    ingest(storage, rows=[movement(headcount=2000, date="2022-02-02", status="announced")])
    ingest(storage, text="B", rows=[movement(to_place=ROMANIA, headcount=500, date="2022-03-01",
                                             status="arrived")])
    ingest(storage, text="C", published="2022-03-05",
           rows=[movement(to_place=GERMANY, headcount=300, force="GB")])
    total = lambda **filters: storage.flows(**filters)["headcount"].sum()
    assert total() == 2800
    assert total(start="2022-03-01") == 800
    assert total(start="2022-02-01", end="2022-03-01") == 2500
    assert total(forces=["US"]) == 2500
    assert total(statuses=["arrived"]) == 500


def test_a_failure_part_way_leaves_nothing_of_the_article(storage):
    rows = [movement(headcount=2000), movement(to_place=GERMANY, headcount=1000),
            movement(to_place=ROMANIA, headcount=500, status="marching")]
    with pytest.raises(StorageError, match="nothing was stored"):
        ingest(storage, rows=rows)
    with pytest.raises(StorageError, match="row 3: headcount"):
        ingest(storage, rows=rows[:2] + [movement(headcount="many")])
    assert storage.articles().empty and storage.deployments().empty and storage.events().empty

    assert ingest(storage, rows=rows[:2]).created
    assert len(storage.deployments()) == 2


def test_a_database_of_a_newer_schema_is_refused(db_url):
    Storage(db_url).close()
    from sqlalchemy import create_engine, text
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    with pytest.raises(StorageError, match="9999_from_the_future, newer than this version"):
        Storage(db_url)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StorageError, match="cannot open the database.*not a database"):
        Storage(f"sqlite:///{path}")
    assert path.read_text().startswith("these are my notes")


def test_a_server_that_cannot_be_reached_or_a_bad_url_gives_a_clear_message():
    with pytest.raises(StorageError, match="cannot open the database postgresql"):
        Storage("postgresql+psycopg://troopmap@127.0.0.1:9/library?connect_timeout=3")
    with pytest.raises(StorageError, match="not a database URL"):
        Storage("my library.db")


def test_troopmap_db_chooses_the_database_and_sqlite_runs_in_wal_mode(tmp_path, monkeypatch):
    path = tmp_path / "library" / "mine.db"
    monkeypatch.setenv("TROOPMAP_DB", f"sqlite:///{path}")
    with Storage() as storage:
        ingest(storage)
        with storage.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert path.exists()
    with Storage(f"sqlite:///{path}") as again:
        assert len(again.articles()) == 1
