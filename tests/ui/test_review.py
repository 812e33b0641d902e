"""The Review page, the Home marker and the Sources panel, run headless with AppTest on a real
database with the real extractor: what a person clicks changes the stored rows, the counts, the
edit log and the events."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from extract import extract_deployments
from extract.pipeline import EXTRACTOR_VERSION
from extract.settings import DEFAULT_REVIEW_THRESHOLD, review_threshold
from storage import Storage

ROOT = Path(__file__).resolve().parents[2]


def run(page: str) -> AppTest:
    app = AppTest.from_file(str(ROOT / page), default_timeout=180).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def progress_text(app: AppTest) -> str:
    return app.get("progress")[0].proto.text


@pytest.fixture
def seed_library(empty_db, seed_text, monkeypatch) -> Storage:
    """The seed article as the extractor reads it, every row under the threshold (0.99)."""
    monkeypatch.setenv("TROOPMAP_REVIEW_THRESHOLD", "0.99")
    store = Storage(empty_db)
    store.ingest(seed_text, deployments=extract_deployments(seed_text, published="2022-02-02"), title="Seed article",
                 published="2022-02-02", extractor_version=EXTRACTOR_VERSION)
    return store


def test_accept_fix_and_reject_change_the_rows_the_counts_and_the_log(seed_library):
    store = seed_library
    total = len(store.deployments())
    app = run("pages/4_Review.py")
    assert progress_text(app) == f"0 of {total} checked"
    first = int(store.review_queue(0.99).iloc[0]["id"])
    first_title = app.subheader[0].value

    app.button(key="review-accept").click().run()
    assert progress_text(app) == f"1 of {total} checked"
    assert app.subheader[0].value != first_title
    assert store.deployments().set_index("id").loc[first, "review"] == "accepted"

    # Fix by hand: a bad value is refused and nothing is stored; a good one is.
    second = int(store.review_queue(0.99).iloc[0]["id"])
    app.text_input(key=f"fix-headcount-{second}").set_value("lots")
    app.button(key=f"FormSubmitter:fix-{second}-Save fix").click().run()
    assert any("not a number" in e.value for e in app.error)
    assert any("Nothing was saved" in w.value and "still in the form" in w.value for w in app.warning)
    assert progress_text(app) == f"1 of {total} checked"
    app.text_input(key=f"fix-headcount-{second}").set_value("1,234")
    app.button(key=f"FormSubmitter:fix-{second}-Save fix").click().run()
    assert progress_text(app) == f"2 of {total} checked"
    fixed = store.deployments().set_index("id").loc[second]
    assert fixed["headcount"] == 1234 and fixed["review"] == "fixed"

    third = int(store.review_queue(0.99).iloc[0]["id"])
    app.button(key="review-reject").click().run()
    assert progress_text(app) == f"3 of {total} checked"
    assert third not in set(store.deployments()["id"])
    log = store.edits()
    assert list(log[log["field"] == "review"]["new_value"]) == ["accepted", "fixed", "rejected"]


def test_one_click_on_a_candidate_the_model_considered_fixes_that_field(seed_library):
    store = seed_library
    app = run("pages/4_Review.py")
    row = store.review_queue(0.99).iloc[0]
    choices = [b for b in app.button if b.key and b.key.startswith(f"use-{int(row['id'])}-destination-")]
    assert choices, "no destination candidate offered"
    label = choices[0].label
    place = label.split(": ", 1)[1].split(" (")[0]
    assert place != row["destination"]
    choices[0].click().run()
    after = store.deployments().set_index("id").loc[int(row["id"])]
    assert after["destination"] == place and after["review"] == "fixed"
    assert progress_text(app).startswith("1 of")


def test_undo_takes_back_the_last_decision(seed_library):
    store = seed_library
    app = run("pages/4_Review.py")
    first = int(store.review_queue(0.99).iloc[0]["id"])
    app.button(key="review-reject").click().run()
    assert progress_text(app).startswith("1 of") and first not in set(store.deployments()["id"])
    app.button(key="review-undo").click().run()
    assert progress_text(app).startswith("0 of")
    assert int(store.review_queue(0.99).iloc[0]["id"]) == first
    assert any("Undone" in s.value for s in app.success)
    assert not [b for b in app.button if b.key == "review-undo"]


def test_another_figure_of_the_sentence_is_one_click_away(seed_library):
    store = seed_library
    app = run("pages/4_Review.py")
    for _ in range(len(store.deployments())):   # skip to a row whose sentence has another figure
        figures = [b for b in app.button if b.key and b.key.startswith("fig-")]
        if figures:
            break
        app.button(key="review-skip").click().run()
    row_id = int(figures[0].key.split("-")[1])
    value = int(figures[0].label.rsplit("(", 1)[1].rstrip(")").replace(",", ""))
    figures[0].click().run()
    row = store.deployments().set_index("id").loc[row_id]
    assert row["headcount"] == value and row["review"] == "fixed"


def test_skip_moves_on_without_deciding_and_the_skipped_rows_can_be_started_again(seed_library):
    store = seed_library
    total = len(store.deployments())
    app = run("pages/4_Review.py")
    title = app.subheader[0].value
    app.button(key="review-skip").click().run()
    assert app.subheader[0].value != title and progress_text(app).startswith("0 of")
    for _ in range(total - 1):
        app.button(key="review-skip").click().run()
    assert any(f"skipped the {total} row(s) left" in i.value for i in app.info)
    app.button(key="review-unskip").click().run()
    assert app.subheader[0].value == title


def test_home_marks_the_rows_to_review_and_their_verdicts(seed_library):
    store = seed_library
    app = run("app.py")
    labels = app.data_editor[0].value.set_index("id")["review"]
    assert set(labels) == {"to review"}
    accepted = int(labels.index[0])
    store.review_deployment(accepted, "accepted")
    app.run()
    labels = app.data_editor[0].value.set_index("id")["review"]
    assert labels.loc[accepted] == "accepted" and (labels == "to review").sum() == len(labels) - 1


def test_a_mistyped_threshold_is_said_on_the_page(seed_library, monkeypatch):
    monkeypatch.setenv("TROOPMAP_REVIEW_THRESHOLD", "0,8")
    app = run("pages/4_Review.py")
    assert any("'0,8' is not a number between 0 and 1" in w.value for w in app.warning)
    assert f"under {DEFAULT_REVIEW_THRESHOLD:.2f}" in app.caption[0].value


def test_the_threshold_is_one_setting_with_an_override(monkeypatch):
    monkeypatch.delenv("TROOPMAP_REVIEW_THRESHOLD", raising=False)
    assert review_threshold() == DEFAULT_REVIEW_THRESHOLD
    monkeypatch.setenv("TROOPMAP_REVIEW_THRESHOLD", "0.4")
    assert review_threshold() == 0.4
    monkeypatch.setenv("TROOPMAP_REVIEW_THRESHOLD", "high")
    with pytest.warns(UserWarning, match="high"):
        assert review_threshold() == DEFAULT_REVIEW_THRESHOLD


WIRE = "Washington will send 2,000 soldiers from Fort Bragg to Poland, the Pentagon said on Wednesday."
DAILY = "About 1,800 American troops from Fort Bragg are being sent to Poland, officials said."


@pytest.fixture
def two_reports(empty_db) -> Storage:
    store = Storage(empty_db)
    for title, text, published in (("Wire", WIRE, "2022-02-02"), ("Daily", DAILY, "2022-02-05")):
        store.ingest(text, deployments=extract_deployments(text, published=published), title=title,
                     published=published, extractor_version=EXTRACTOR_VERSION)
    assert store.deployments()["event_id"].nunique() == 1, store.deployments()
    return store


def test_sources_show_every_report_and_their_disagreement_and_split_and_merge(two_reports):
    store = two_reports
    app = run("pages/3_Articles.py")
    sources = app.dataframe[-1].value
    assert sorted(sources["article"]) == ["Daily", "Wire"]
    assert sorted(sources["headcount"]) == [1800, 2000]
    assert any("Headcounts differ by 200" in w.value and "Wire" in w.value and "Daily" in w.value
               for w in app.warning)
    assert any("Dates differ by 3 day(s)" in w.value for w in app.warning)

    app.button(key="articles-sources-split").click().run()
    assert not app.exception
    assert store.deployments()["event_id"].nunique() == 2
    assert any("split off" in s.value for s in app.success)
    assert len(app.dataframe[-1].value) == 1

    shown_event = store.event_of(int(app.selectbox(key="articles-sources-row").value))
    other = next(int(e) for e in store.deployments()["event_id"] if int(e) != shown_event)
    assert len(app.selectbox(key="articles-sources-merge-with").options) == 1
    app.selectbox(key="articles-sources-merge-with").set_value(other).run()
    app.button(key="articles-sources-merge").click().run()
    assert store.deployments()["event_id"].nunique() == 1
    assert list(store.edits()["field"]) == ["event", "event"]


def test_the_review_page_opens_the_sources_of_its_row(two_reports, monkeypatch):
    monkeypatch.setenv("TROOPMAP_REVIEW_THRESHOLD", "0.99")
    app = run("pages/4_Review.py")
    assert any(set(frame.value.columns) >= {"article", "headcount", "evidence"} and len(frame.value) == 2
               for frame in app.dataframe)


def test_review_labels_read_stored_flags_of_any_kind():
    import numpy as np
    import pandas as pd

    from ui.review import review_labels
    rows = pd.DataFrame({"confidence": [0.2, 0.2, 0.2, 0.9, 0.2],
                         "review": [None, None, None, None, "fixed"],
                         "edited": np.array([False, True, False, False, True]),
                         "human_added": np.array([False, False, True, False, False])})
    assert list(review_labels(rows, 0.7)) == ["to review", "edited", "", "", "fixed"]


def test_home_opens_the_sources_of_the_articles_movements(two_reports):
    app = run("app.py")
    # Collapsed, the Sources section is not built (it is read when opened: a stateful expander).
    assert not any("Headcounts differ by 200" in w.value for w in app.warning)
    app.session_state["home-sources-open"] = True
    app.run()
    assert not app.exception
    assert any("Headcounts differ by 200" in w.value for w in app.warning)
    assert app.selectbox(key="home-sources-row").value is not None
