"""python -m extract.corrections: what a person checked becomes corpus files that the learned
decision trains on. The correction is made on the Review page (AppTest, real extractor, real
database); the model is fitted for real (extract.train.fit_model) on a small slice of corpus/train."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from extract import extract_deployments
from extract.corrections import main as corrections_main
from extract.pipeline import EXTRACTOR_VERSION
from storage import Storage

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "corpus" / "tools"))
from check_keys import check_key  # noqa: E402

# Rules read "approximately 3,500 Soldiers ... from Fort Carson" as going to Poland; the brigade
# arrived in Zagan (corpus/train/en-w1-045), a base 150 km and more from Poland's centre.
ARTICLE = ROOT / "corpus" / "train" / "en-w1-045.txt"
SLICE = 12  # English training articles besides the corrected one: about 20 s of fitting


@pytest.fixture
def empty_db(tmp_path, monkeypatch) -> str:
    """A new, empty library that the app's pages open too (TROOPMAP_DB)."""
    url = f"sqlite:///{tmp_path / 'troopmap.db'}"
    monkeypatch.setenv("TROOPMAP_DB", url)
    Storage(url).close()
    return url


def ingest(url: str, path: Path, published: str) -> int:
    """Store the article as the hand-written rules read it: they send Fort Carson's 3,500 to
    "Poland", the mistake a person then corrects (the committed model already reads Zagan)."""
    text = path.read_text(encoding="utf-8")
    with Storage(url) as store:
        return store.ingest(text, deployments=extract_deployments(text, published=published, engine="rules"),
                            title=path.stem,
                            published=published, lang="en", extractor_version=EXTRACTOR_VERSION).article_id


def fix_on_the_review_page(row_id: int, field: str, value: str) -> None:
    app = AppTest.from_file(str(ROOT / "pages" / "4_Review.py"), default_timeout=180).run()
    for _ in range(20):   # the row may not be the first of the queue: skip to it
        if app.get("text_input") and any(t.key == f"fix-{field}-{row_id}" for t in app.text_input):
            break
        app.button(key="review-skip").click().run()
    app.text_input(key=f"fix-{field}-{row_id}").set_value(value)
    app.button(key=f"FormSubmitter:fix-{row_id}-Save fix").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]


def test_a_correction_made_in_the_app_is_exported_and_a_model_trained_with_it_gets_the_article_right(
        empty_db, tmp_path, monkeypatch, eval_dir):
    from extract.decide import decode
    from extract.features import featurize
    from extract.train import fit_model, load_articles, read_articles, scorer

    monkeypatch.setenv("TROOPMAP_REVIEW_THRESHOLD", "0.99")
    ingest(empty_db, ARTICLE, "2024-01-20")
    store = Storage(empty_db)
    wrong = store.deployments().query("headcount == 3500")
    assert list(wrong["destination"]) == ["Poland"]
    row_id = int(wrong.iloc[0]["id"])
    fix_on_the_review_page(row_id, "destination", "Zagan")

    out = tmp_path / "corrections"
    assert corrections_main(["--db", empty_db, "--out", str(out)]) == 0
    keys = sorted(out.glob("*.json"))
    assert len(keys) == 1 and keys[0].with_suffix(".txt").read_text(encoding="utf-8") == ARTICLE.read_text(encoding="utf-8")
    assert check_key(keys[0]) == []
    key = json.loads(keys[0].read_text(encoding="utf-8"))
    corrected = [r for r in key["deployments"] if r["headcount"] == 3500]
    assert len(corrected) == 1 and corrected[0]["required"] is True
    assert corrected[0]["destination"]["country"] == "PL" and "agań" in corrected[0]["destination"]["name"]

    slice_ = [a for a in load_articles([ROOT / "corpus" / "train"]) if a.lang == "en" and a.id != ARTICLE.stem][:SLICE]
    articles = slice_ + load_articles([out])
    readings = read_articles(articles)
    model = fit_model(readings, articles, log=lambda *_: None)
    reading = readings[-1]
    rows = [r.to_dict() for r in decode(reading, model.predict(featurize(reading, model.blocks)[0]), model)]
    score = scorer()
    assert not any(score.row_match(r.to_dict(), corrected[0], "triple") for r in reading.rule_rows)  # before
    assert any(score.row_match(r, corrected[0], "triple") for r in rows), rows                        # after


PLACES = {
    "Estonia": dict(destination_country="EE", destination_lat=58.6, destination_lon=25.0, destination_kind="country"),
    "Romania": dict(destination_country="RO", destination_lat=45.9, destination_lon=24.9, destination_kind="country"),
    "Germany": dict(destination_country="DE", destination_lat=51.2, destination_lon=10.4, destination_kind="country"),
    "Latvia": dict(destination_country="LV", destination_lat=56.9, destination_lon=24.6, destination_kind="country"),
}
CHECKED = ("Britain will send 800 soldiers to Estonia. France sends 300 troops to Romania. "
           "Officials said 50 advisers went to Germany.")


def stored_rows(*specs) -> pd.DataFrame:
    from extract.schema import COLUMNS, Deployment
    rows = []
    for destination, headcount, force, evidence in specs:
        start = CHECKED.find(evidence)
        rows.append(Deployment(destination=destination, **PLACES[destination], headcount=headcount, force=force,
                               status="announced", evidence=evidence, start=start, end=start + len(evidence),
                               confidence=0.5).to_dict())
    return pd.DataFrame(rows, columns=list(COLUMNS))


def test_the_key_holds_what_people_confirmed_as_required_unchecked_rows_as_optional_and_not_what_they_rejected(
        empty_db, tmp_path):
    store = Storage(empty_db)
    article = store.ingest(CHECKED, extractor_version="1", published="2023-03-01", lang="en", deployments=stored_rows(
        ("Estonia", 800, "GB", "Britain will send 800 soldiers to Estonia."),
        ("Romania", 300, "FR", "France sends 300 troops to Romania."),
        ("Germany", 50, None, "Officials said 50 advisers went to Germany."))).article_id
    untouched = store.ingest("Nobody looked at this one. 20 soldiers went to Latvia.", extractor_version="1",
                             deployments=None).article_id
    rows = store.deployments([article]).set_index("destination")["id"].astype(int)
    store.review_deployment(int(rows["Estonia"]), "accepted")
    store.review_deployment(int(rows["Germany"]), "rejected")
    store.add_deployment(article, {"destination": "Latvia", **PLACES["Latvia"], "headcount": 100, "force": "GB",
                                   "evidence": "added by hand"})

    out = tmp_path / "out"
    assert corrections_main(["--db", empty_db, "--out", str(out)]) == 0
    keys = sorted(out.glob("*.json"))
    assert len(keys) == 1, "only the article a person checked"
    assert check_key(keys[0]) == []
    key = json.loads(keys[0].read_text(encoding="utf-8"))
    assert (key["lang"], key["published"]) == ("en", "2023-03-01")
    required = {r["destination"]["name"]: r["required"] for r in key["deployments"]}
    assert required == {"Estonia": True, "Latvia": True, "Romania": False}
    assert store.article(untouched) is not None

    assert corrections_main(["--db", empty_db, "--out", str(tmp_path / "strict"), "--checked-only"]) == 0
    assert not list((tmp_path / "strict").glob("*.json"))
    store.review_deployment(int(rows["Romania"]), "fixed", {"headcount": 350})
    assert corrections_main(["--db", empty_db, "--out", str(tmp_path / "strict"), "--checked-only"]) == 0
    key = json.loads(next((tmp_path / "strict").glob("*.json")).read_text(encoding="utf-8"))
    assert {r["destination"]["name"]: (r["headcount"], r["required"]) for r in key["deployments"]} == {
        "Estonia": (800, True), "Latvia": (100, True), "Romania": (350, True)}


def test_a_database_that_cannot_be_opened_is_one_line_on_stderr(tmp_path, capsys):
    assert corrections_main(["--db", "nonsense://", "--out", str(tmp_path)]) == 1
    assert "corrections:" in capsys.readouterr().err
