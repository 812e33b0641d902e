"""Review decisions and hand-made event groupings, on SQLite and PostgreSQL: what a person decided
is logged, survives re-extraction, and changes the queue, the events and the totals."""
import pytest

from storage import StorageError
from storage_helpers import FAYETTEVILLE, GERMANY, ROMANIA, frame, movement

ARTICLE = "The Pentagon said 2,000 soldiers from Fort Bragg will deploy to Poland, 50 to Germany, 300 to Romania."
THRESHOLD = 0.75

POLAND_ROW = movement(headcount=2000, confidence=0.9, evidence="2,000 soldiers ... to Poland", start=0, end=10)
GERMANY_ROW = movement(to_place=GERMANY, headcount=50, confidence=0.5, evidence="50 to Germany", start=11, end=20)
ROMANIA_ROW = movement(to_place=ROMANIA, headcount=300, confidence=0.6, evidence="300 to Romania", start=21, end=30)


def library(storage):
    article_id = storage.ingest(ARTICLE, deployments=frame(POLAND_ROW, GERMANY_ROW, ROMANIA_ROW),
                                extractor_version="1").article_id
    ids = storage.deployments().set_index("destination")["id"].astype(int).to_dict()
    return article_id, ids


def test_the_queue_holds_machine_rows_under_the_threshold_least_confident_first(storage):
    article_id, ids = library(storage)
    storage.add_deployment(article_id, movement(to_place=ROMANIA, headcount=10, confidence=0.1))  # a person's
    queue = storage.review_queue(THRESHOLD)
    assert list(queue["destination"]) == ["Germany", "Romania"]
    assert queue.iloc[0]["article_text"] == ARTICLE
    assert storage.review_progress(THRESHOLD) == (0, 2)
    assert storage.review_progress(0.95) == (0, 3)


def test_accept_fix_and_reject_are_logged_counted_and_kept_by_reextraction(storage):
    article_id, ids = library(storage)
    storage.review_deployment(ids["Germany"], "accepted")
    assert storage.review_progress(THRESHOLD) == (1, 2)
    storage.review_deployment(ids["Romania"], "fixed", {"headcount": 3000})
    assert storage.review_progress(THRESHOLD) == (2, 2) and storage.review_queue(THRESHOLD).empty

    log = storage.edits()
    assert list(log["field"]) == ["review", "headcount", "review"]
    assert list(log["new_value"]) == ["accepted", "3000", "fixed"]

    # Re-extraction brings the same mistakes again: the person's verdicts stand, nothing doubles.
    storage.replace_extraction(article_id, frame(POLAND_ROW, GERMANY_ROW, ROMANIA_ROW), "2")
    rows = storage.deployments().set_index("destination")
    assert sorted(rows["headcount"]) == [50, 2000, 3000]
    assert rows.loc["Germany", "review"] == "accepted" and rows.loc["Romania", "review"] == "fixed"
    assert rows.loc["Poland", "extractor_version"] == "2"
    assert storage.review_progress(THRESHOLD) == (2, 2)


def test_a_rejected_row_is_gone_for_good_and_still_counts_as_checked(storage):
    article_id, ids = library(storage)
    storage.review_deployment(ids["Germany"], "rejected")
    assert "Germany" not in set(storage.deployments()["destination"])
    assert storage.review_progress(THRESHOLD) == (1, 2)
    assert list(storage.edits()["field"]) == ["review", "deleted"]
    storage.replace_extraction(article_id, frame(POLAND_ROW, GERMANY_ROW, ROMANIA_ROW), "2")
    assert sorted(storage.deployments()["destination"]) == ["Poland", "Romania"]
    assert storage.flows()["headcount"].sum() == 2300


def test_a_fix_that_changes_nothing_or_a_bad_value_stores_nothing(storage):
    _article_id, ids = library(storage)
    with pytest.raises(StorageError, match="nothing was changed"):
        storage.review_deployment(ids["Germany"], "fixed", {"headcount": 50})
    with pytest.raises(StorageError, match="headcount"):
        storage.review_deployment(ids["Germany"], "fixed", {"headcount": "many"})
    with pytest.raises(StorageError, match="one of"):
        storage.review_deployment(ids["Germany"], "maybe")
    assert storage.edits().empty and storage.review_progress(THRESHOLD) == (0, 2)


def test_an_edit_on_home_counts_as_checked(storage):
    _article_id, ids = library(storage)
    storage.update_deployment(ids["Germany"], {"headcount": 60})
    storage.delete_deployment(ids["Romania"])
    assert storage.review_progress(THRESHOLD) == (2, 2)


def two_reports(storage):
    storage.ingest("Wire.", deployments=frame(movement(headcount=2000, date="2022-02-02")), extractor_version="1",
                   title="Wire")
    storage.ingest("Daily.", deployments=frame(movement(from_place=FAYETTEVILLE, headcount=1900, date="2022-02-03")),
                   extractor_version="1", title="Daily")
    return storage.deployments()


def test_split_and_merge_are_logged_and_change_the_totals(storage):
    rows = two_reports(storage)
    assert rows["event_id"].nunique() == 1 and storage.flows()["headcount"].sum() == 2000
    event_id = int(rows.iloc[0]["event_id"])
    assert sorted(storage.event_sources(event_id)["headcount"]) == [1900, 2000]

    second = int(rows.iloc[1]["id"])
    new_event = storage.split_deployment(second)
    assert storage.event_of(second) == new_event != event_id
    assert len(storage.events()) == 2 and storage.flows()["headcount"].sum() == 3900
    # The split holds when the person corrects that report later: automatic grouping leaves it alone.
    storage.update_deployment(second, {"headcount": 2000})
    assert len(storage.events()) == 2
    with pytest.raises(StorageError, match="only one"):
        storage.split_deployment(second)

    kept = storage.merge_events([new_event, event_id])
    assert kept == min(new_event, event_id)
    assert len(storage.events()) == 1 and storage.flows()["headcount"].sum() == 2000
    log = storage.edits()
    moves = log[log["field"] == "event"]
    assert [(m.old_value, m.new_value) for m in moves.itertuples()] == [
        (str(event_id), str(new_event)), (str(new_event), str(event_id))]


def test_merging_reports_the_rules_would_keep_apart(storage):
    storage.ingest("Wire.", deployments=frame(movement(headcount=2000, date="2022-02-02")), extractor_version="1")
    storage.ingest("Daily.", deployments=frame(movement(headcount=5000, date="2022-02-03")), extractor_version="1")
    events = storage.events()
    assert len(events) == 2
    storage.merge_events(list(events["event_id"].astype(int)))
    assert len(storage.events()) == 1
    # Counted once: the representative's figure.
    assert storage.flows()["headcount"].sum() in (2000, 5000)
    with pytest.raises(StorageError, match="at least two"):
        storage.merge_events([int(storage.events().iloc[0]["event_id"])])
    with pytest.raises(StorageError, match="no event"):
        storage.merge_events([int(storage.events().iloc[0]["event_id"]), 999])


def test_an_accepted_report_stands_for_its_event(storage):
    storage.ingest("Wire.", deployments=frame(movement(headcount=2000, confidence=0.9)), extractor_version="1")
    storage.ingest("Daily.", deployments=frame(movement(headcount=2100, confidence=0.3)), extractor_version="1")
    assert storage.events().iloc[0]["headcount"] == 2000
    daily = int(storage.deployments().set_index("headcount").loc[2100, "id"])
    storage.review_deployment(daily, "accepted")
    assert storage.events().iloc[0]["headcount"] == 2100


def test_nearby_events_offer_the_same_destination_and_force_first_nearest_in_date(storage):
    def report(text, **fields):
        storage.ingest(text, deployments=frame(movement(**fields)), extractor_version="1")
    report("A.", headcount=2000, date="2022-02-02")
    report("B.", headcount=9000, date="2022-02-20")                 # Poland, US, 18 days later
    report("C.", headcount=9000, date="2022-02-05", force="GB")      # Poland, British
    report("D.", headcount=9000, date="2022-02-03", to_place=ROMANIA)  # US, elsewhere
    report("E.", headcount=9000, date="2022-02-03", to_place=ROMANIA, force="FR")  # nothing alike
    by_text = dict(zip(storage.articles()["id"], "ABCDE"))
    event_of = {by_text[r.article_id]: int(r.event_id) for r in storage.deployments().itertuples()}
    nearby = storage.nearby_events(event_of["A"])
    assert list(nearby["event_id"]) == [event_of["B"], event_of["C"], event_of["D"]]
    assert list(nearby["n_sources"]) == [1, 1, 1]
    assert storage.nearby_events(999).empty


def test_undo_gives_a_fix_its_values_back_a_rejected_row_its_place_and_the_queue_its_row(storage):
    _article_id, ids = library(storage)
    before = storage.deployments().set_index("id")
    flows_before = storage.flows()
    storage.review_deployment(ids["Romania"], "fixed", {"headcount": 3000, "destination": "Germany",
                                                        "destination_country": "DE"})
    storage.review_deployment(ids["Germany"], "rejected")
    storage.review_deployment(ids["Poland"], "accepted")
    assert storage.review_progress(THRESHOLD) == (2, 2)

    assert storage.undo_review(ids["Romania"]) == "fixed"
    assert storage.undo_review(ids["Germany"]) == "rejected"
    assert storage.undo_review(ids["Poland"]) == "accepted"
    after = storage.deployments().set_index("id")
    columns = ["destination", "destination_country", "headcount", "review", "edited"]
    assert after[columns].equals(before[columns])
    assert storage.review_progress(THRESHOLD) == (0, 2)
    assert storage.flows().equals(flows_before)
    log = storage.edits()
    assert list(log["field"])[-7:] == ["destination_country", "destination", "headcount", "review",
                                       "restored", "review", "review"]
    with pytest.raises(StorageError, match="no review decision"):
        storage.undo_review(ids["Poland"])


def test_undo_is_refused_once_the_row_was_changed_after_the_decision(storage):
    _article_id, ids = library(storage)
    storage.review_deployment(ids["Romania"], "accepted")
    storage.update_deployment(ids["Romania"], {"headcount": 301})
    with pytest.raises(StorageError, match="changed after"):
        storage.undo_review(ids["Romania"])


def test_undo_keeps_a_row_edited_on_home_before_the_review_checked(storage):
    _article_id, ids = library(storage)
    storage.update_deployment(ids["Romania"], {"headcount": 301})
    storage.review_deployment(ids["Romania"], "fixed", {"headcount": 302})
    storage.undo_review(ids["Romania"])
    row = storage.deployments().set_index("id").loc[ids["Romania"]]
    assert row["headcount"] == 301 and bool(row["edited"]) and row["review"] is None
    assert storage.checked_articles() == [_article_id]
