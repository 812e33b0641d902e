"""The gazetteer: names as articles write them, in English and French, resolved offline."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extract.geo import Place, country, country_polygons_path, demonym, resolve, surface_forms
from extract.geo.normalize import normalize
from extract.geo.resolve import distance

REPO = Path(__file__).resolve().parents[2]
EVAL = REPO / ".." / "shared" / "eval"

MILITARY_NC = ("Paratroopers of the 82nd Airborne Division left Fort Bragg on Monday, the Army said; "
               "the soldiers will deploy to Poland.")
CALIFORNIA_TOWN = ("The city council of Fort Bragg, a fishing town on the Mendocino coast of California, "
                   "voted to keep its name on Tuesday.")


def where(place: Place | None) -> tuple | None:
    return place and (place.country, place.kind)


# (name, context, lang, expected country, expected kind or None, expected canonical name or None)
AMBIGUOUS = [
    ("Georgia", "Soldiers from Fort Stewart, near Savannah, left for Europe.", "en", "US", "state", "Georgia"),
    ("Georgia", "Exercises near Tbilisi, in the Caucasus, drew NATO troops to Georgia.", "en", "GE", "country", None),
    ("Géorgie", "Les soldats de Fort Stewart, près de Savannah, sont partis.", "fr", "US", "state", None),
    ("Géorgie", "À Tbilissi, capitale de la Géorgie, dans le Caucase.", "fr", "GE", "country", None),
    ("Fort Bragg", MILITARY_NC, "en", "US", "base", "Fort Bragg"),
    ("Fort Bragg", CALIFORNIA_TOWN, "en", "US", "city", "Fort Bragg"),
    ("Fort Bragg, Calif.", None, "en", "US", "city", None),
    ("Fort Bragg, N.C.", None, "en", "US", "base", "Fort Bragg"),
    ("Fort Bragg en Caroline du Nord", None, "fr", "US", "base", "Fort Bragg"),
    ("Paris", "Le président a reçu ses homologues à Paris.", "fr", "FR", "city", None),
    ("Paris", "The mayor of Paris, Texas, said the county fair would go ahead.", "en", "US", "city", None),
    ("Tripoli", "In Libya, rival militias clashed near Tripoli.", "en", "LY", "city", None),
    ("Tripoli", "In northern Lebanon, the port of Tripoli, 80 km from Beirut.", "en", "LB", "city", None),
    ("Jordan", "US troops deployed to Jordan and Syria last year.", "en", "JO", "country", None),
    ("Chad", "French troops left Chad for Niger in January.", "en", "TD", "country", None),
    ("Niger", None, "fr", "NE", "country", None),
    ("Nigeria", None, "en", "NG", "country", None),
    ("Congo", None, "en", "CD", "country", None),
    ("Congo", "Troops arrived in Brazzaville, the capital of Congo.", "en", "CG", "country", None),
    ("Guinea", None, "en", "GN", "country", None),
    ("Guinée", None, "fr", "GN", "country", None),
    ("Korea", None, "en", "KR", "country", None),
    ("Corée du Nord", None, "fr", "KP", "country", None),
    ("Macedonia", None, "en", "MK", "country", None),
    ("Varsovie", None, "fr", "PL", "city", "Warsaw"),
    ("Bucarest", None, "fr", "RO", "city", "Bucharest"),
    ("Pékin", None, "fr", "CN", "city", "Beijing"),
    ("Beijing", None, "en", "CN", "city", "Beijing"),
    ("Kiev", None, "en", "UA", "city", "Kyiv"),
    ("Kyiv", None, "en", "UA", "city", "Kyiv"),
    ("Vilnius", None, "en", "LT", "city", None),
    ("Brest", "Belarusian units massed near Brest and Grodno.", "en", "BY", "city", None),
    ("Brest", "Les frégates ont quitté Brest, en Bretagne.", "fr", "FR", "city", None),
    ("Punjab", "Indian divisions moved from Punjab towards Ladakh.", "en", "IN", "region", None),
    ("Edmonton", "Canadian soldiers left Edmonton for Latvia.", "en", "CA", "city", None),
    ("Holland", None, "en", "NL", "country", None),
    ("Pays-Bas", None, "fr", "NL", "country", None),
    ("Biélorussie", None, "fr", "BY", "country", None),
    ("Bélarus", None, "fr", "BY", "country", None),
    ("Centrafrique", None, "fr", "CF", "country", None),
    ("Ivory Coast", None, "en", "CI", "country", None),
    ("Cote d'Ivoire", None, "fr", "CI", "country", None),
    ("Grande-Bretagne", None, "fr", "GB", "country", None),
    ("Britain", None, "en", "GB", "country", None),
    ("Etats-Unis", None, "fr", "US", "country", None),
    ("Tapa", None, "en", "EE", "base", None),
]


@pytest.mark.parametrize("name,context,lang,iso2,kind,canonical", AMBIGUOUS,
                         ids=[f"{c[0]}|{(c[1] or '')[:20]}" for c in AMBIGUOUS])
def test_ambiguous_names_resolve_from_their_context(name, context, lang, iso2, kind, canonical):
    place = resolve(name, context=context, lang=lang)
    assert place is not None, name
    assert place.country == iso2, place
    assert kind is None or place.kind == kind, place
    assert canonical is None or place.name == canonical, place


def test_there_are_at_least_forty_ambiguous_cases_in_both_languages():
    assert len(AMBIGUOUS) >= 40
    assert {case[2] for case in AMBIGUOUS} == {"en", "fr"}


@pytest.mark.parametrize("name", ["Chad", "Jordan"])
def test_a_first_name_followed_by_a_surname_is_not_a_place(name):
    context = f"{name} Smith, a spokesman for the brigade, said the soldiers were ready."
    assert resolve(name, context=context) is None
    assert resolve(name, context=f"The troops crossed into {name} on Monday.") is not None


@pytest.mark.parametrize("current,former", [("Fort Bragg", "Fort Liberty"), ("Fort Hood", "Fort Cavazos"),
                                            ("Fort Benning", "Fort Moore")])
def test_renamed_installations_are_one_place(current, former):
    assert resolve(current) == resolve(former)
    assert resolve(former).kind == "base"


@pytest.mark.parametrize("name,iso2,kind", [
    ("la Pologne", "PL", "country"), ("d'Allemagne", "DE", "country"), ("l'Allemagne", "DE", "country"),
    ("en Roumanie", "RO", "country"), ("aux États-Unis", "US", "country"), ("the U.S.", "US", "country"),
    ("USA", "US", "country"), ("America", "US", "country"), ("the United States", "US", "country"),
    ("Royaume-Uni", "GB", "country"), ("UK", "GB", "country"), ("North Korea", "KP", "country"),
    ("the Baltic states", None, "region"), ("pays baltes", None, "region"),
    ("Camp Adazi", "LV", "base"), ("Ādaži", "LV", "base"), ("Rukla", "LT", "base"), ("Vilseck", "DE", "base"),
    ("Mihail Kogalniceanu air base", "RO", "base"), ("Base aérienne 104 d'Al Dhafra", "AE", "base"),
    ("Caroline du Nord", "US", "state"), ("Texas", "US", "state"), ("Hawaii", "US", "state"),
    ("Podlachie", "PL", "region"), ("voïvodie de Lublin", "PL", "region"), ("région de Koursk", "RU", "region"),
    ("Kursk region", "RU", "region"), ("Anbar province", "IQ", "region"), ("Helmand", "AF", "region"),
    ("Eastern Province", "SA", "region"), ("Donbas", "UA", "region"), ("Crimée", "UA", "region"),
    ("Xinjiang", "CN", "region"), ("Okinawa", "JP", "region"),
])
def test_surface_forms_with_articles_and_prepositions(name, iso2, kind):
    assert where(resolve(name)) == (iso2, kind)


def test_a_base_described_by_its_state_is_the_installation_the_article_names():
    context = "Soldiers of the 82nd Airborne left Fort Bragg on Monday. The North Carolina base said..."
    assert resolve("the North Carolina base", context=context).name == "Fort Bragg"
    assert resolve("the North Carolina base").name == "North Carolina"


@pytest.mark.parametrize("name,lat,lon", [
    ("south-eastern Poland", 50.0, 22.0), ("southern Afghanistan", 31.6, 65.0),
    ("l'est de l'Ukraine", 48.5, 37.0), ("nord de Mossoul", 36.5, 43.1),
])
def test_parts_of_places_sit_in_that_part(name, lat, lon):
    place = resolve(name)
    assert place.kind == "region"
    assert distance(place.lat, place.lon, lat, lon) < 400, place


def test_borders_are_regions_on_the_border_between_the_countries_named():
    for name in ("frontière polono-biélorusse", "Polish-Belarusian border", "the Poland-Belarus border"):
        place = resolve(name)
        assert place.kind == "region" and set(place.members) == {"PL", "BY"}, (name, place)
        assert distance(place.lat, place.lon, 53.0, 23.8) < 300, (name, place)
    russia_ukraine = resolve("frontière russo-ukrainienne")
    assert set(russia_ukraine.members) == {"RU", "UA"}
    assert distance(russia_ukraine.lat, russia_ukraine.lon, 50.0, 37.0) < 500


def test_multi_country_regions_list_their_members():
    baltics = resolve("États baltes")
    assert baltics.country is None and set(baltics.members) == {"EE", "LV", "LT"}
    both = resolve("the Baltic states and Poland")
    assert set(both.members) == {"EE", "LV", "LT", "PL"} and both.country is None


def test_unknown_and_empty_names_are_none():
    assert resolve("Xyzzyville") is None
    assert resolve("") is None
    assert resolve("the") is None


@pytest.mark.parametrize("word,iso2", [
    ("américain", "US"), ("américaine", "US"), ("américains", "US"), ("américaines", "US"),
    ("allemand", "DE"), ("allemandes", "DE"), ("German", "DE"), ("German-based", "DE"), ("U.S.-led", "US"),
    ("Russian", "RU"), ("russes", "RU"), ("British", "GB"), ("britanniques", "GB"), ("nord-coréens", "KP"),
    ("ivoiriennes", "CI"), ("Chadian", "TD"), ("tchadiens", "TD"), ("française", "FR"), ("Poles", "PL"),
])
def test_demonyms_in_all_their_forms(word, iso2):
    assert demonym(word) == iso2


def test_a_pro_russian_militia_is_not_russian():
    assert demonym("pro-Russian") is None


def test_demonym_table_covers_the_countries_of_military_news():
    import csv
    rows = list(csv.DictReader(open(REPO / "data" / "demonyms.csv", encoding="utf-8")))
    assert len({r["iso2"] for r in rows}) >= 80


def test_surface_forms_feed_a_phrase_matcher_in_each_language():
    english = dict(surface_forms(lang="en"))
    french = dict(surface_forms(lang="fr"))
    assert english["Baltic states"] == "region" and english["Fort Bragg"] == "base"
    assert french["États-Unis"] == "country" and french["Caroline du Nord"] == "state"
    assert "États-Unis" not in english or english["États-Unis"] == "country"
    assert all(kind != "city" for _, kind in surface_forms())
    # acronyms that are everyday words to a case-blind matcher stay out; resolve() knows them
    assert not {"CAR", "LAC", "EAU"} & (set(english) | set(french))
    assert resolve("CAR").country == "CF" and resolve("LAC").kind == "region"


def test_country_points_are_inside_the_country_and_polygons_exist():
    from shapely.geometry import Point, shape
    features = json.loads(country_polygons_path().read_text())["features"]
    shapes = {f["properties"]["ISO_A2"]: shape(f["geometry"]) for f in features}
    for iso2 in ("US", "FR", "NO", "RU", "ID", "BH", "SG", "GR", "HR", "CL", "DE", "PL", "RO"):
        point = country(iso2)
        assert point.kind == "country"
        assert shapes[iso2].buffer(0.05).contains(Point(point.lon, point.lat)), iso2
    assert country_polygons_path().stat().st_size < 3_000_000


def test_accents_and_case_do_not_matter():
    assert normalize("ÉTATS-UNIS") == normalize("etats unis") == normalize("États-Unis")
    assert resolve("ETATS-UNIS") == resolve("États-Unis")


def answer_key_places():
    if not EVAL.is_dir():
        pytest.skip(f"answer keys not found at {EVAL.resolve()}")
    for key_file in sorted(list(EVAL.glob("dev/*.json")) + list(EVAL.glob("seed/*.json"))):
        key = json.loads(key_file.read_text(encoding="utf-8"))
        text_file = key_file.with_suffix(".txt")
        text = text_file.read_text(encoding="utf-8") if text_file.exists() else None
        for row in key["deployments"]:
            for end in ("origin", "destination"):
                if row.get(end):
                    yield key_file.stem, key.get("lang"), text, row[end]


def matches(got: Place | None, expected: dict) -> bool:
    """The scorer's place rule (../shared/eval/README.md)."""
    if got is None:
        return False
    if expected["kind"] == "country":
        return got.country == expected["country"]
    far = distance(got.lat, got.lon, expected["lat"], expected["lon"])
    if expected["kind"] in ("city", "base"):
        return got.country == expected["country"] and far <= 150
    return far <= 1000 or normalize(got.name) == normalize(expected["name"])


@pytest.mark.parametrize("with_context", [True, False], ids=["article-context", "no-context"])
def test_at_least_98_percent_of_answer_key_places_resolve(with_context):
    places = list(answer_key_places())
    misses = [(article, place["name"]) for article, lang, text, place in places
              if not matches(resolve(place["name"], context=text if with_context else None, lang=lang), place)]
    assert len(places) > 100
    assert 1 - len(misses) / len(places) >= 0.98, misses


def test_command_line_prints_one_json_value_per_name_in_order():
    result = subprocess.run(
        [sys.executable, "-m", "extract.geo", "--lang", "fr", "--context", "Les soldats sont à Tbilissi.",
         "Varsovie", "Géorgie", "Nulle-Part-Sur-Terre"],
        capture_output=True, text=True, cwd=REPO, check=True, timeout=60)
    places = json.loads(result.stdout)
    assert [p and p["name"] for p in places] == ["Warsaw", "Georgia", None]
    assert places[1]["country"] == "GE" and places[0]["kind"] == "city"
    assert set(places[0]) == {"name", "country", "lat", "lon", "kind", "members"}


def test_operator_says_whose_forces_use_an_installation():
    from extract import geo
    assert geo.operator(geo.resolve("Sennelager")) == "GB"   # a British garrison in Germany
    assert geo.operator(geo.resolve("Fort Liberty")) == "US"
    assert geo.operator(geo.resolve("Poland")) is None        # countries have no operator


# First-level subdivisions (ISO 3166-2, data/subdivisions.csv): (name, lang, country, code-free name check)
SUBDIVISIONS = [
    ("Île-de-France", "fr", "FR"), ("la région Île-de-France", "fr", "FR"), ("région Île-de-France", "fr", "FR"),
    ("Ile-de-France", "en", "FR"), ("Andalusia", "en", "ES"), ("Andalousie", "fr", "ES"),
    ("Andalucía", None, "ES"), ("Bayern", None, "DE"), ("Bavaria", "en", "DE"), ("Bavière", "fr", "DE"),
    ("Silesia", "en", "PL"), ("Silésie", "fr", "PL"), ("Lombardy", "en", "IT"), ("Lombardie", "fr", "IT"),
    ("Lower Saxony", "en", "DE"), ("Basse-Saxe", "fr", "DE"), ("Nordrhein-Westfalen", None, "DE"),
    ("Catalonia", "en", "ES"), ("Sardaigne", "fr", "IT"), ("Masovia", "en", "PL"), ("Mazovie", "fr", "PL"),
    ("Flanders", "en", "BE"), ("Région wallonne", "fr", "BE"), ("North Brabant", "en", "NL"),
    ("Noord-Holland", None, "NL"), ("Scotland", "en", "GB"), ("Hauts-de-France", "fr", "FR"),
    ("the state of Bavaria", "en", "DE"), ("Comunidad de Madrid", None, "ES"),
    ("Catalogne", "fr", "ES"), ("Wallonie", "fr", "BE"), ("Pays basque", "fr", "ES"), ("Basque Country", "en", "ES"),
]


@pytest.mark.parametrize("name,lang,expected_country", SUBDIVISIONS)
def test_first_level_subdivisions_resolve_to_the_region(name, lang, expected_country):
    assert where(resolve(name, lang=lang)) == (expected_country, "region")


def test_a_subdivision_point_lies_inside_it():
    # Île-de-France surrounds Paris; Andalusia lies between Seville and Granada.
    ile_de_france, andalusia = resolve("Île-de-France", lang="fr"), resolve("Andalusia")
    assert distance(ile_de_france.lat, ile_de_france.lon, 48.86, 2.35) < 60
    assert distance(andalusia.lat, andalusia.lon, 37.3, -4.5) < 120


CITY_BEATS_REGION = [
    ("Lublin", "Des chars sont arrivés à Lublin, dans l'est de la Pologne.", "fr", "PL"),
    ("Madrid", "The ministers met in Madrid on Tuesday.", "en", "ES"),
    ("Utrecht", "The convoy passed through Utrecht.", "en", "NL"),
    ("Hamburg", "Les navires ont quitté Hambourg et Hamburg.", "fr", "DE"),
    ("Opole", "Troops moved to Opole in southern Poland.", "en", "PL"),
]


@pytest.mark.parametrize("name,context,lang,expected_country", CITY_BEATS_REGION)
def test_a_city_keeps_its_name_over_the_subdivision_named_after_it(name, context, lang, expected_country):
    assert where(resolve(name, context=context, lang=lang)) == (expected_country, "city")


@pytest.mark.parametrize("name,city_name,lang,expected_country", [
    ("la voïvodie de Lublin", "Lublin", "fr", "PL"), ("province of Utrecht", "Utrecht", "en", "NL"),
    ("the Madrid region", "Madrid", "en", "ES"), ("voïvodie d'Opole", "Opole", "fr", "PL"),
])
def test_a_region_noun_picks_the_subdivision_over_the_city(name, city_name, lang, expected_country):
    place, city = resolve(name, lang=lang), resolve(city_name, lang=lang)
    assert where(place) == (expected_country, "region")
    assert where(city) == (expected_country, "city")
    assert (place.lat, place.lon) != (city.lat, city.lon)  # the region's own point, not the city's


def test_subdivision_names_are_offered_to_the_place_matcher_but_not_ordinary_words():
    french = {form for form, kind in surface_forms(lang="fr") if kind == "region"}
    english = {form for form, kind in surface_forms(lang="en") if kind == "region"}
    assert {"Île-de-France", "Andalousie", "Silésie", "Lombardie"} <= french
    assert {"Andalusia", "Silesia", "Lombardy", "Lower Saxony"} <= english
    # Italy's Marche and Benin's Atlantique would match "marche" and "atlantique" in any French text.
    assert not {"Marche", "Atlantique", "Maritime", "Plateaux"} & (french | english)
    assert resolve("marche", lang="fr") is None or resolve("marche", lang="fr").country != "IT"


def test_a_subdivision_never_takes_a_country_name():
    # Mexico's State of México and Panama's province of Panamá are not read for the countries.
    assert resolve("México").kind != "region"
    assert where(resolve("Panamá", lang="fr")) == ("PA", "country")
