"""Dates in sentences, English and French, resolved against an article's publication date."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from extract.dates import find_dates, resolve_date


@pytest.mark.parametrize("text, published, expected", [
    # Absolute dates, with and without the year.
    ("Russia launched its invasion on February 24, 2022.", None, "2022-02-24"),
    ("Troops began arriving Feb. 24, officials said.", "2022-03-02", "2022-02-24"),
    ("The exercise runs from Feb. 10 to 20.", "2022-02-03", "2022-02-10"),
    ("The order came on 3 February 2022.", None, "2022-02-03"),
    ("Sept. 23 was the last rotation.", "2014-11-13", "2014-09-23"),
    ("It builds on their June 12 agreement in the White House.", "2019-09-24", "2019-06-12"),
    ("the 24th of February", "2022-03-01", "2022-02-24"),
    ("Filed 2/24/2022 by the wire desk.", None, "2022-02-24"),
    ("Filed 24.02.2022 by the wire desk.", None, "2022-02-24"),
    ("Filed 2022-02-24 by the wire desk.", None, "2022-02-24"),
    # A date late in the year, read early in the next one, is last year's.
    ("The first planes left on Dec. 31.", "2020-01-03", "2019-12-31"),
    # Weekday with a date: the date decides.
    ("Thursday, 25 July 2019, Darwin", None, "2019-07-25"),
    # Relative expressions.
    ("Stoltenberg said on Thursday that 30,000 troops were in Belarus.", "2022-02-03", "2022-02-03"),
    ("The United States responded on Wednesday by ordering troops.", "2022-02-03", "2022-02-02"),
    ("On Monday, Presidents Duda and Trump signed a declaration.", "2019-09-24", "2019-09-23"),
    ("Officials said last Tuesday that the brigade would move.", "2009-12-08", "2009-12-01"),
    ("The battalion will deploy next Monday.", "2022-01-03", "2022-01-10"),
    ("The first convoy left yesterday.", "2022-02-17", "2022-02-16"),
    ("Paratroopers landed last night.", "2022-02-17", "2022-02-16"),
    ("The ministry confirmed the move today.", "2024-07-08", "2024-07-08"),
    ("More soldiers arrived last week.", "2022-03-02", "2022-02-23"),
    ("The last battalion arrives this week.", "2019-07-25", "2019-07-25"),
    ("They were ordered to Poland earlier this month.", "2022-02-17", "2022-02"),
    ("In June, Trump said the soldiers would be shifted.", "2019-09-24", "2019-06"),
    ("The unit has served there since November 2011.", None, "2011-11"),
    # A month alone is as near as its middle: January, read in July, is this January.
    ("Estonia, Latvia and Lithuania agreed in January to build bunkers.", "2024-07-08", "2024-01"),
    # After "since" a date lies before publication, even when next year's would be nearer.
    ("The border has stayed closed since 24 February.", "2022-11-11", "2022-02-24"),
    ("The 82nd Airborne flew out over the weekend.", "2022-02-14", "2022-02-12"),
    ("The 150 servicemen Bishkek sent a week ago handed the plant back.", "2022-01-14", "2022-01-07"),
])
def test_english(text, published, expected):
    assert resolve_date(text, "en", published) == expected


@pytest.mark.parametrize("text, published, expected", [
    ("L'invasion a commencé le 24 février 2022.", None, "2022-02-24"),
    ("Les cars sont partis lundi 28 février, sous le regard des familles.", "2022-02-28", "2022-02-28"),
    ("Le détachement partira mercredi 2 février.", "2022-01-31", "2022-02-02"),
    ("Les premiers éléments arriveront le 1er mars.", "2022-02-25", "2022-03-01"),
    ("Le premier mars, la relève sera achevée.", "2022-02-25", "2022-03-01"),
    ("Ils seront déployés à partir du 1er avril.", "2025-05-22", "2025-04-01"),
    ("Macron avait acté ce retrait le 17 février.", "2022-08-16", "2022-02-17"),
    ("Les soldats sont arrivés le 12 décembre.", "2017-01-12", "2016-12-12"),
    ("Depuis juil. 2022, le bataillon est en Roumanie.", None, "2022-07"),
    ("Le convoi a franchi la frontière mercredi.", "2022-03-02", "2022-03-02"),
    ("a affirmé jeudi le secrétaire général de l'Otan", "2022-02-03", "2022-02-03"),
    ("l'envoi, annoncé la veille par Washington, de trois mille soldats", "2022-02-03", "2022-02-02"),
    ("Le ministre l'a annoncé hier soir.", "2023-08-10", "2023-08-09"),
    ("Les renforts arrivent aujourd'hui.", "2025-05-22", "2025-05-22"),
    ("Les renforts arrivent aujourd’hui.", "2025-05-22", "2025-05-22"),
    ("Des chars sont partis la semaine dernière.", "2022-03-02", "2022-02-23"),
    ("Le bataillon est arrivé jeudi dernier.", "2022-03-03", "2022-02-24"),
    ("Il partira lundi prochain.", "2022-03-03", "2022-03-07"),
    ("Un millier de soldats arrivent cette semaine.", "2023-08-10", "2023-08-10"),
    ("Les effectifs seront réduits en janvier 2013.", None, "2013-01"),
    ("Dépêche du 24/02/2022.", None, "2022-02-24"),
    ("Les renforts arriveront mi-mars.", "2022-02-25", "2022-03"),
    ("Depuis le début de juillet, 300 légionnaires campent à Ouallam.", "2022-08-16", "2022-07"),
    ("Le sous-groupement restera sur place jusqu'à la fin du mois d'août.", "2019-04-23", "2019-08"),
    ("Les premiers mouvements remontent au début du mois.", "2022-02-25", "2022-02"),
    ("Environ 19 000 tentatives depuis le 1er janvier.", "2023-08-10", "2023-01-01"),
    ("Les blindés ont quitté Gao le week-end dernier.", "2022-08-16", "2022-08-13"),
])
def test_french(text, published, expected):
    assert resolve_date(text, "fr", published) == expected


@pytest.mark.parametrize("text, lang, published", [
    ("2,000 soldiers from Fort Bragg will go to Poland.", "en", "2022-02-02"),
    ("Troops may march through the city.", "en", "2022-02-02"),         # "may", "march" are verbs
    ("President Biden put the total at about 150,000.", "en", "2022-02-17"),
    ("quelque 2 400 des 4 600 militaires français", "fr", "2022-08-16"),
    ("le 27e bataillon de chasseurs alpins", "fr", "2022-02-28"),
    # Relative dates need the publication date; without it, nothing.
    ("The first convoy left yesterday, on Thursday.", "en", None),
    ("Les cars sont partis lundi 28 février.", "fr", None),
])
def test_no_date(text, lang, published):
    assert resolve_date(text, lang, published) is None


def test_find_dates_gives_spans_in_text_order():
    text = "On Wednesday the Pentagon ordered 2,000 troops to Poland; they arrived Feb. 8."
    spans = find_dates(text, "en", "2022-02-10")
    assert [(text[start:end], iso) for start, end, iso in spans] == [
        ("Wednesday", "2022-02-09"), ("Feb. 8", "2022-02-08")]


def test_a_count_after_a_weekday_is_not_its_day():
    text = "At NATO headquarters on Friday, 25 allied and partner countries pledged 7,000 troops."
    assert [(text[s:e], iso) for s, e, iso in find_dates(text, "en", "2009-12-08")] == [("Friday", "2009-12-04")]


def test_weekday_before_a_date_is_part_of_one_match():
    text = "Le Canada l'a annoncé lundi 10 juillet à Riga."
    assert [(text[s:e], iso) for s, e, iso in find_dates(text, "fr", "2023-07-10")] == [
        ("lundi 10 juillet", "2023-07-10")]


def test_sentence_final_month_does_not_take_the_full_stop():
    text = "The troops are due to leave in May. They will stay a year."
    assert [text[s:e] for s, e, _ in find_dates(text, "en", "2013-01-11")] == ["May"]


def test_published_may_be_a_date_or_a_datetime():
    assert resolve_date("on Thursday", "en", dt.date(2022, 2, 3)) == "2022-02-03"
    assert resolve_date("on Thursday", "en", dt.datetime(2022, 2, 3, 18, 42)) == "2022-02-03"
    assert resolve_date("on Thursday", "en", "2022-02-03T18:42:00+00:00") == "2022-02-03"


def test_other_languages_read_english_names():
    assert resolve_date("on Feb. 24", "it", "2022-03-01") == "2022-02-24"
    assert resolve_date("on Feb. 24", None, "2022-03-01") == "2022-02-24"


def test_dev_articles_never_give_a_wild_date(eval_dir):
    """Every date found in the dev set is a real calendar date near the article's own,
    unless the text itself wrote the year."""
    for path in sorted((eval_dir / "dev").glob("*.txt")):
        key = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        text = path.read_text(encoding="utf-8")
        published = dt.date.fromisoformat(key["published"])
        spans = find_dates(text, key["lang"], key["published"])
        assert spans, path.name
        for start, end, iso in spans:
            found = dt.date.fromisoformat(iso if len(iso) == 10 else iso + "-01")
            if not re.search(r"\b(1[89]|20)\d\d\b", text[start:end]):
                assert abs((found - published).days) <= 366, (path.name, text[start:end], iso)
