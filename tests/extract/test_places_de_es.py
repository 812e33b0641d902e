"""German and Spanish places, cue words and forces: what a reader of a German or Spanish article sees."""
from __future__ import annotations

import pytest

from extract import extract_deployments, geo
from reading_helpers import place_roles


@pytest.mark.parametrize("text, lang, surface, name, cue", [
    ("Die Bundeswehr verlegt 500 Soldaten nach Litauen.", "de", "Litauen", "Lithuania", "destination"),
    ("Rund 300 Soldaten wurden aus Rumänien abgezogen.", "de", "Rumänien", "Romania", "origin"),
    ("Das Bundesheer entsendet 150 Soldaten in den Kosovo.", "de", "Kosovo", "Kosovo", "destination"),
    ("Die Soldaten sind in der Slowakei stationiert.", "de", "Slowakei", "Slovakia", "location"),
    ("Die Truppen bleiben in den Vereinigten Staaten.", "de", "Vereinigten Staaten", "United States", "location"),
    ("Die ersten Soldaten sind am Montag in Wilna gelandet.", "de", "Wilna", "Vilnius", "location"),
    ("264 Soldaten landeten am Mittwoch auf dem Fliegerhorst Wunstorf.", "de", "Fliegerhorst Wunstorf",
     "Wunstorf Air Base", "location"),
    ("Rund 5.000 Soldaten werden vom Standort Augustdorf nach Rumänien verlegt.", "de", "Standort Augustdorf",
     "Generalfeldmarschall-Rommel-Kaserne", "origin"),
    ("Rund tausend US-Soldaten haben Niger bis zum September verlassen.", "de", "Niger", "Niger", "origin"),
    ("Die Einheiten setzten sich von Tetovo aus in Richtung Prizren in Bewegung.", "de", "Tetovo", "Tetovo", "origin"),
    ("Die Einheiten setzten sich von Tetovo aus in Richtung Prizren in Bewegung.", "de", "Prizren", "Prizren",
     "destination"),
    ("Die Soldaten, die in Niamey Dienst taten, sind zurück.", "de", "Niamey", "Niamey", "location"),
    # the verb second in a main clause gives a bare place its role
    ("Am Dienstag verließ eine Kolonne mit 300 Soldaten die Stadt Gori in Richtung Südossetien.", "de", "Gori",
     "Gori", "origin"),
    # "Montag Kabul" is no name (it resolved to Montague, Massachusetts)
    ("Die 200 Soldaten erreichten am Montag Kabul.", "de", "Kabul", "Kabul", "destination"),
    ("El Gobierno enviará 500 soldados a Letonia.", "es", "Letonia", "Latvia", "destination"),
    ("Los aviones aterrizaron en la base aérea de Talavera la Real.", "es", "Talavera la Real", "Talavera La Real",
     "location"),
    ("Los militares partieron desde la base de Zaragoza hacia Irak.", "es", "Zaragoza", "Zaragoza", "origin"),
    ("Los militares partieron desde la base de Zaragoza hacia Irak.", "es", "Irak", "Iraq", "destination"),
    ("Unos 800 soldados estadounidenses llegaron a la Base Naval de Rota.", "es", "Base Naval de Rota",
     "Naval Station Rota", "destination"),
])
def test_cue_of_a_german_or_spanish_place(text, lang, surface, name, cue):
    assert place_roles(text, lang)[surface] == (name, cue)


def test_a_part_of_a_country_is_one_place():
    found = place_roles("Das Bataillon soll im Norden des Kosovo eingesetzt werden.", "de")
    assert found["Norden des Kosovo"][0] == "Norden des Kosovo"
    assert geo.resolve("Nordkosovo", lang="de").country == "XK"
    place = geo.resolve("norte de Malí", lang="es")
    assert place.country == "ML" and place.kind == "region"


def test_german_nouns_are_no_towns():
    found = place_roles("Am Sonntag gingen die Soldaten an Bord; im Norden blieb es ruhig.", "de")
    assert not found
    # "Tal" (a valley, not At Tall in Syria), "Corona-Einsatz", the "Nato-" of a unit's name (not Nato in the
    # Philippines): German words that name no place, alone or inside a longer name
    found = place_roles("Die Armee hat 200 Soldaten aus dem Tal abgezogen; sie wechseln zum Corona-Einsatz und "
                        "zum Ständigen Nato-Minenabwehrverband nach Kiel.", "de")
    assert list(found) == ["Kiel"]
    found = place_roles("Die Hubschrauber landeten in der Altstadt von Grimma.", "de")
    assert list(found) == ["Grimma"]
    # common nouns the gazetteer knew as towns (Strand, Norway; Zelten as Zalṭan, Libya; Tor as Slovyansk)
    found = place_roles("Im Lauf des Tages kamen 200 Soldaten an den Strand; die Unterbringung in Zelten und "
                        "die Wache am Tor bleiben, trotz der Kosten.", "de")
    assert not found, found


@pytest.mark.parametrize("text, lang", [
    # A stop word or a lone compass word names no place: the gazetteer knew "Qué" as Hanawa (Japan),
    # "Allí" as Ālanī (Iran), "días" as São Martinho Pequeno, "us" as the
    # United States, "Nord" as a quarter of Thalwil and "the Army" as Boden Army Air Base.
    ("Qué está haciendo el ejército; allí aterrizó el avión y volverá en sesenta días.", "es"),
    ("The review tells us the Army was hollowed out; troops are stationed in the South.", "en"),
    ("Les unités stationnées dans le Nord et un Sud où la Mission reste.", "fr"),
])
def test_common_words_name_no_place(text, lang):
    assert not place_roles(text, lang)


def test_a_country_named_with_a_compass_word_stays_whole():
    # "South" names no place alone, but it is not dropped from the head of "South Korea"
    assert place_roles("North Korea moved 2,000 troops; 200 US troops arrived in South Korea.", "en") == {
        "North Korea": ("North Korea", None), "US": ("United States", None), "South Korea": ("South Korea", "location")}


@pytest.mark.parametrize("text, lang, ship, places", [
    ("Die Fregatte „Sachsen“ ist nach Wilhelmshaven zurückgekehrt. Die „Sachsen“ war ein halbes Jahr "
     "im Mittelmeer.", "de", "Sachsen", ["Wilhelmshaven", "Mittelmeer"]),
    ("Der Einsatzgruppenversorger „Berlin“ lief mit 200 Soldaten aus Wilhelmshaven aus.", "de", "Berlin",
     ["Wilhelmshaven"]),
    ("La fragata Navarra zarpó de Rota hacia Yibuti con 200 marinos.", "es", "Navarra", ["Rota", "Yibuti"]),
])
def test_a_ship_named_after_a_place_is_no_place(text, lang, ship, places):
    found = place_roles(text, lang)
    assert ship not in found and all(place in found for place in places), found
    # the same name with no ship before it is the place
    assert ship in place_roles(f"Die Soldaten kamen nach {ship}." if lang == "de" else f"Los soldados llegaron a {ship}.",
                               lang)


@pytest.mark.parametrize("name, lang, country", [
    ("Vereinigte Staaten", "de", "US"), ("Russlands", "de", "RU"), ("Masar-i-Scharif", "de", "AF"),
    ("EE.UU.", "es", "US"), ("Estados Unidos", "es", "US"), ("Costa de Marfil", "es", "CI"),
    ("Rotes Meer", "de", None), ("océano Índico", "es", None),
])
def test_german_and_spanish_names(name, lang, country):
    place = geo.resolve(name, lang=lang)
    assert place is not None and place.country == country


@pytest.mark.parametrize("word, lang, country", [
    ("deutsche", "de", "DE"), ("spanische", "de", "ES"), ("estadounidenses", "es", "US"),
    ("franceses", "es", "FR"), ("alemanas", "es", "DE"),
])
def test_demonyms(word, lang, country):
    assert geo.demonym(word, lang) == country


def test_spanish_usa_is_a_verb():
    assert "usa" not in place_roles("El ejército usa la base de Rota desde 1953.", "es")


@pytest.mark.parametrize("text, lang, force", [
    ("Die Bundeswehr verlegt 500 Soldaten nach Litauen.", "de", "DE"),
    ("Das Bundesheer entsendet 150 Soldaten in den Kosovo.", "de", "AT"),
    ("Madrid schickt 300 spanische Soldaten in die Slowakei.", "de", "ES"),
    ("Rund 200 US-Soldaten sind in Polen gelandet.", "de", "US"),
    ("Das Kommando Spezialkräfte hat 40 Soldaten nach Jordanien verlegt.", "de", "DE"),
    ("El Ejército de Tierra enviará 500 soldados a Letonia.", "es", "ES"),
    ("La Legión desplegará 300 militares en Malí.", "es", "ES"),
    ("Unos 800 soldados estadounidenses llegaron a Rota.", "es", "US"),
])
def test_force_of_a_german_or_spanish_row(text, lang, force):
    frame = extract_deployments(text, lang=lang)
    assert list(frame["force"]) == [force]
