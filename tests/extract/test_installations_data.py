"""Checks on data/installations.csv, the curated table of military installations the geocoder loads.

A bad row here silently sends troops to the wrong place on the map, so every row is checked for a
valid country code, coordinates inside its host country, a cited source, and surface forms that
resolve to exactly one installation.
"""
import csv
import json
import math
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

REPO = Path(__file__).resolve().parents[2]
TABLE = REPO / "data" / "installations.csv"
EVAL_DIR = REPO.parent / "shared" / "eval"
COLUMNS = ["name", "aliases", "former_names", "operator", "country", "lat", "lon", "source"]

# Kosovo has no ISO 3166-1 code; XK is the user-assigned code the EU and news data use for it.
EXTRA_CODES = {"XK"}

# Rough (min_lat, min_lon, max_lat, max_lon) boxes, a little generous, one or more per host country.
# They catch swapped or mistyped coordinates, not a base placed a few km off.
BOXES = {
    "AE": [(22.6, 51.5, 26.1, 56.4)],
    "AF": [(29.4, 60.5, 38.5, 74.9)],
    "AL": [(39.6, 19.2, 42.7, 21.1)],
    "AM": [(38.8, 43.4, 41.3, 46.7)],
    "AU": [(-43.7, 112.9, -10.0, 153.7)],
    "BE": [(49.5, 2.5, 51.5, 6.4)],
    "BF": [(9.4, -5.6, 15.1, 2.5)],
    "BG": [(41.2, 22.4, 44.2, 28.6)],
    "BH": [(25.5, 50.3, 26.4, 50.9)],
    "BN": [(4.0, 114.0, 5.1, 115.4)],
    "BY": [(51.2, 23.1, 56.2, 32.8)],
    "CA": [(41.6, -141.1, 83.2, -52.6)],
    "CF": [(2.2, 14.4, 11.1, 27.5)],
    "CI": [(4.3, -8.6, 10.8, -2.4)],
    # Mainland and Hainan, plus the Paracel and Spratly features China occupies and garrisons.
    "CN": [(18.1, 73.4, 53.6, 135.1), (7.5, 110.5, 17.2, 117.0)],
    "CU": [(19.8, -85.0, 23.3, -74.1)],
    "CY": [(34.5, 32.2, 35.7, 34.6)],
    "CZ": [(48.5, 12.0, 51.1, 18.9)],
    "DE": [(47.2, 5.8, 55.1, 15.1)],
    "DJ": [(10.9, 41.7, 12.8, 43.5)],
    "DK": [(54.5, 8.0, 57.8, 15.2)],
    "EE": [(57.5, 21.8, 59.7, 28.2)],
    "ES": [(27.6, -18.2, 43.8, 4.4)],
    "FI": [(59.8, 20.5, 70.1, 31.6)],
    "FK": [(-52.5, -61.4, -51.0, -57.7)],
    "FR": [(41.3, -5.2, 51.1, 9.6)],
    "GA": [(-4.0, 8.6, 2.4, 14.6)],
    "GB": [(49.8, -8.7, 60.9, 1.8)],
    "GE": [(41.0, 40.0, 43.6, 46.7)],
    "GF": [(2.1, -54.6, 5.8, -51.6)],
    "GI": [(36.1, -5.4, 36.2, -5.3)],
    "GL": [(59.7, -73.3, 83.7, -11.3)],
    "GR": [(34.8, 19.3, 41.8, 29.7)],
    "GU": [(13.2, 144.6, 13.7, 145.0)],
    "HN": [(12.9, -89.4, 16.6, -83.1)],
    "HU": [(45.7, 16.1, 48.6, 22.9)],
    "IL": [(29.4, 34.2, 33.4, 35.9)],
    "IN": [(6.7, 68.1, 35.7, 97.4)],
    "IO": [(-7.5, 71.2, -5.2, 72.5)],
    "IQ": [(29.0, 38.8, 37.4, 48.6)],
    "IR": [(25.0, 44.0, 39.8, 63.4)],
    "IS": [(63.3, -24.6, 66.6, -13.4)],
    "IT": [(35.4, 6.6, 47.1, 18.6)],
    "JO": [(29.1, 34.9, 33.4, 39.3)],
    "JP": [(24.0, 122.9, 45.6, 145.9)],
    "KE": [(-4.7, 33.9, 5.1, 41.9)],
    "KG": [(39.1, 69.2, 43.3, 80.3)],
    "KH": [(10.0, 102.3, 14.7, 107.7)],
    "KR": [(33.1, 124.6, 38.7, 131.9)],
    "KW": [(28.5, 46.5, 30.1, 48.5)],
    "KZ": [(40.5, 46.4, 55.5, 87.4)],
    "LR": [(4.3, -11.5, 8.6, -7.4)],
    "LT": [(53.9, 20.9, 56.5, 26.9)],
    "LV": [(55.7, 20.9, 58.1, 28.3)],
    "LY": [(19.5, 9.3, 33.2, 25.2)],
    "MD": [(45.4, 26.6, 48.5, 30.2)],
    "MH": [(4.5, 160.8, 14.7, 172.2)],
    "ML": [(10.1, -12.3, 25.0, 4.3)],
    "MQ": [(14.3, -61.3, 14.9, -60.8)],
    "NC": [(-22.7, 163.5, -19.5, 168.2)],
    "NE": [(11.7, 0.1, 23.6, 16.0)],
    "NL": [(50.7, 3.3, 53.6, 7.3)],
    "NO": [(57.9, 4.5, 71.2, 31.2)],
    "NZ": [(-47.3, 166.4, -34.3, 178.6)],
    "OM": [(16.6, 51.9, 26.5, 59.9)],
    "PF": [(-27.7, -154.8, -7.8, -134.4)],
    "PG": [(-11.7, 140.8, -0.8, 160.0)],
    "PH": [(4.6, 116.9, 21.1, 126.6)],
    "PK": [(23.6, 60.8, 37.1, 77.8)],
    "PL": [(49.0, 14.1, 54.9, 24.2)],
    "PR": [(17.8, -67.3, 18.6, -65.2)],
    "PT": [(32.6, -31.3, 42.2, -6.2)],
    "QA": [(24.4, 50.7, 26.2, 51.7)],
    "RE": [(-21.4, 55.2, -20.8, 55.9)],
    "RO": [(43.6, 20.2, 48.3, 29.8)],
    # Kaliningrad to the Bering Strait; Chukotka crosses the antimeridian.
    "RU": [(41.1, 19.6, 82.0, 180.0), (64.0, -180.0, 72.0, -168.9)],
    "SA": [(16.3, 34.5, 32.2, 55.7)],
    "SE": [(55.3, 11.1, 69.1, 24.2)],
    "SG": [(1.2, 103.6, 1.5, 104.1)],
    "SH": [(-40.4, -14.5, -7.8, -5.6)],
    "SK": [(47.7, 16.8, 49.6, 22.6)],
    "SN": [(12.3, -17.6, 16.7, -11.3)],
    "SO": [(-1.7, 40.9, 12.0, 51.5)],
    "SY": [(32.3, 35.7, 37.4, 42.4)],
    "TD": [(7.4, 13.4, 23.5, 24.0)],
    "TH": [(5.6, 97.3, 20.5, 105.7)],
    "TJ": [(36.6, 67.3, 41.1, 75.2)],
    "TR": [(35.8, 25.6, 42.2, 44.9)],
    "TW": [(21.8, 119.3, 25.4, 122.1)],
    # Crimea included: installations there are listed under the internationally recognised host.
    "UA": [(44.3, 22.1, 52.4, 40.3)],
    "US": [(24.4, -125.0, 49.5, -66.9), (51.0, -180.0, 71.5, -129.0), (18.9, -160.3, 22.3, -154.8)],
    "UZ": [(37.1, 55.9, 45.6, 73.2)],
    "VN": [(8.4, 102.1, 23.4, 109.5)],
    "XK": [(41.8, 20.0, 43.3, 21.8)],
}


# Letters that NFKD does not split into base letter + accent.
_LETTERS = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe",
                          "Œ": "oe", "đ": "d", "Đ": "d", "ı": "i", "ð": "d", "þ": "th", "ß": "ss"})


def surface_key(text):
    """Letters and digits only, unaccented and case-folded.

    Coarser than the form any matcher compares ("Ādaži" = "Adazi", "Fort A.P. Hill" = "Fort AP Hill",
    "M'Poko" = "MPoko"), so forms that stay distinct here stay distinct in the geocoder.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "", stripped.casefold())


def split_forms(field):
    return [form.strip() for form in field.split("|") if form.strip()]


def surface_forms(row):
    return [row["name"], *split_forms(row["aliases"]), *split_forms(row["former_names"])]


def inside_host(country, lat, lon):
    return any(s <= lat <= n and w <= lon <= e for s, w, n, e in BOXES[country])


def distance_km(lat1, lon1, lat2, lon2):
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def rows():
    with TABLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.fixture(scope="module")
def index(rows):
    by_form = defaultdict(set)
    for row in rows:
        for form in surface_forms(row):
            by_form[surface_key(form)].add(row["name"])
    return by_form


def resolve(index, form):
    names = index.get(surface_key(form), set())
    assert len(names) == 1, f"{form!r} resolves to {sorted(names) or 'nothing'}"
    return next(iter(names))


def test_table_is_large_enough_to_be_useful(rows):
    assert len(rows) >= 300


def test_names_are_unique(rows):
    seen = defaultdict(int)
    for row in rows:
        seen[surface_key(row["name"])] += 1
    assert [name for name, count in seen.items() if count > 1] == []


def test_every_field_that_must_be_filled_is_filled(rows):
    for row in rows:
        for column in ("name", "operator", "country", "lat", "lon", "source"):
            assert row[column].strip(), f"{row['name']!r}: empty {column}"
        assert row["source"].startswith(("Wikipedia: ", "GeoNames")), row


@pytest.mark.parametrize("column", ["country", "operator"])
def test_country_codes_are_iso_alpha2(rows, column):
    bad = [
        (row["name"], row[column])
        for row in rows
        if row[column] not in EXTRA_CODES and pycountry.countries.get(alpha_2=row[column]) is None
    ]
    assert bad == []


def test_coordinates_fall_inside_the_host_country(rows):
    outside = []
    for row in rows:
        lat, lon = float(row["lat"]), float(row["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, row["name"]
        boxes = BOXES.get(row["country"])
        assert boxes, f"add a bounding box for {row['country']} ({row['name']})"
        if not inside_host(row["country"], lat, lon):
            outside.append((row["name"], row["country"], lat, lon))
    assert outside == []


def test_box_check_catches_the_usual_slips():
    assert inside_host("US", 35.139, -79.006)          # Fort Bragg as written
    assert not inside_host("US", -79.006, 35.139)      # latitude and longitude swapped
    assert not inside_host("DE", 49.437, -7.6)         # Ramstein with the sign of the longitude lost
    assert not inside_host("FR", 24.25, 54.55)         # Al Dhafra filed under its operator, not its host


def test_no_surface_form_names_two_installations(index):
    clashes = {form: sorted(names) for form, names in index.items() if len(names) > 1}
    assert clashes == {}


def test_no_form_is_listed_twice_within_a_row(rows):
    # Accent and dash variants are listed on purpose, for matchers that compare text exactly.
    for row in rows:
        keys = [form.casefold() for form in surface_forms(row)]
        assert len(keys) == len(set(keys)), row["name"]


def test_renamed_army_posts_resolve_under_either_name(index):
    # Nine posts were renamed in 2023 and given their old names back in 2025; news uses both.
    pairs = [
        ("Fort Bragg", "Fort Liberty"),
        ("Fort Hood", "Fort Cavazos"),
        ("Fort Benning", "Fort Moore"),
        ("Fort Lee", "Fort Gregg-Adams"),
        ("Fort Polk", "Fort Johnson"),
        ("Fort Gordon", "Fort Eisenhower"),
        ("Fort Rucker", "Fort Novosel"),
        ("Fort A.P. Hill", "Fort Walker"),
        ("Fort Pickett", "Fort Barfoot"),
    ]
    for current, other in pairs:
        assert resolve(index, current) == resolve(index, other)


def test_french_and_accentless_forms_reach_the_same_base(index):
    assert resolve(index, "camp de Tapa") == resolve(index, "Tapa")
    assert resolve(index, "Ādaži") == resolve(index, "Camp Valdemar, Adazi")
    assert resolve(index, "Mihail Kogălniceanu") == resolve(index, "MK air base")
    assert resolve(index, "Base aérienne 104 d'Al Dhafra") == resolve(index, "Al Dhafra Air Base")


def key_places_of_kind_base():
    places = []
    for path in sorted(EVAL_DIR.glob("*/*.json")):
        try:
            key = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if not isinstance(key, dict):
            continue
        for deployment in key.get("deployments", []):
            for end in ("origin", "destination"):
                place = deployment.get(end)
                if place and place.get("kind") == "base":
                    places.append(place)
    return places


def test_bases_named_in_hand_made_answer_keys_are_covered(rows, index):
    """Bases written the way news writes them resolve to a row within the scorer's 150 km."""
    places = key_places_of_kind_base()
    if not places:
        pytest.skip(f"no answer keys under {EVAL_DIR}")
    by_name = {row["name"]: row for row in rows}
    misses = []
    for place in places:
        names = index.get(surface_key(place["name"]), set())
        if len(names) != 1:
            misses.append((place["name"], "not found"))
            continue
        row = by_name[next(iter(names))]
        far = distance_km(float(row["lat"]), float(row["lon"]), place["lat"], place["lon"])
        if row["country"] != place["country"] or far > 150:
            misses.append((place["name"], row["name"], row["country"], round(far)))
    assert misses == []
