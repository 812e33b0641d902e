"""The place, headcount and date rules that decide whether two reports are one movement."""
from types import SimpleNamespace

import pytest

from extract.schema import Deployment
from storage.events import dates_compatible, headcounts_compatible, places_match, same_movement
from storage_helpers import movement

WARSAW = ("Warsaw", "PL", 52.23, 21.01, "city")
RZESZOW = ("Rzeszow", "PL", 50.04, 22.0, "city")            # about 260 km from Warsaw
RADOM = ("Radom", "PL", 51.40, 21.15, "city")               # about 95 km from Warsaw
POLAND_PLACE = ("Poland", "PL", 52.0, 19.4, "country")
BALTICS = ("the Baltic states", None, 56.9, 24.1, "region")
BALTIC_STATES = ("The Baltic States", None, 40.0, 10.0, "region")  # same name, odd point
EASTERN_EUROPE = ("Eastern Europe", None, 50.0, 30.0, "region")


@pytest.mark.parametrize("a, b, same", [
    (POLAND_PLACE, ("Pologne", "PL", 51.9, 19.1, "country"), True),  # countries: the code decides
    (POLAND_PLACE, WARSAW, True),                                    # a city in that country
    (WARSAW, RADOM, True),                                           # cities within 150 km
    (WARSAW, RZESZOW, False),                                        # cities farther apart
    (WARSAW, ("Warsaw", "US", 41.24, -85.85, "city"), False),        # Warsaw, Indiana
    (BALTICS, ("Riga", "LV", 56.95, 24.1, "city"), True),            # inside the region
    (BALTICS, BALTIC_STATES, True),                                  # a region by its name
    (BALTICS, WARSAW, True),                                         # within 1,000 km of the region
    (EASTERN_EUROPE, ("Madrid", "ES", 40.4, -3.7, "city"), False),
    (None, None, True),
    (None, WARSAW, False),
])
def test_places_match_like_the_evaluation(a, b, same):
    assert places_match(a, b) is same
    assert places_match(b, a) is same


def test_headcounts_within_fifteen_percent_or_unknown_are_compatible():
    assert headcounts_compatible(2000, 2000) and headcounts_compatible(2000, 1750)
    assert not headcounts_compatible(2000, 1600)
    assert headcounts_compatible(None, 3000) and headcounts_compatible(None, None)


def test_dates_within_two_weeks_or_unknown_are_compatible():
    assert dates_compatible("2022-02-02", "2022-02-16") and dates_compatible("2022-02-02T10:00", "2022-02-10")
    assert not dates_compatible("2022-02-02", "2022-02-17")
    assert dates_compatible(None, "2022-02-17") and dates_compatible("February", "2022-02-17")


def _row(article_id, **fields):
    values = Deployment(**movement(**fields)).to_dict()
    return SimpleNamespace(article_id=article_id, event_date=values["date"], **values)


def test_an_unknown_origin_matches_the_forces_home_country_only():
    home = _row(2, from_place=dict(origin="United States", origin_country="US", origin_lat=39.8,
                                   origin_lon=-98.6, origin_kind="country"))
    unknown = _row(1, from_place={})
    abroad = _row(3, from_place=dict(origin="Germany", origin_country="DE", origin_lat=51.2, origin_lon=10.4,
                                     origin_kind="country"))
    assert same_movement(unknown, home) and same_movement(home, unknown)
    assert not same_movement(unknown, abroad)
    assert same_movement(unknown, _row(4, from_place={}))


def test_rows_of_one_article_are_never_one_event_by_themselves():
    assert not same_movement(_row(1), _row(1))
    assert same_movement(_row(1), _row(2))
