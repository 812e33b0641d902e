"""Places stage: which places a sentence names and the role its wording gives them."""
from __future__ import annotations

import pytest

from reading_helpers import place_roles


@pytest.mark.parametrize("text, lang, surface, name, cue", [
    ("2,000 soldiers will go from Fort Bragg to Poland.", "en", "Fort Bragg", "Fort Bragg", "origin"),
    ("2,000 soldiers will go from Fort Bragg to Poland.", "en", "Poland", "Poland", "destination"),
    ("Un millier de soldats seront redéployés d’Allemagne vers la Roumanie.", "fr", "Allemagne", "Germany", "origin"),
    ("Un millier de soldats seront redéployés d’Allemagne vers la Roumanie.", "fr", "Roumanie", "Romania", "destination"),
    ("Les soldats sont arrivés en Roumanie lundi.", "fr", "Roumanie", "Romania", "location"),
    ("A Stryker squadron moved from its base in Vilseck to Romania.", "en", "Vilseck", "Rose Barracks", "home"),
    ("3,000 more Fort Bragg paratroopers were ordered to Poland.", "en", "Fort Bragg", "Fort Bragg", "home"),
    ("100 soldiers from 1 Canadian Mechanized Brigade Group, who left Edmonton on Friday, arrived.", "en",
     "Edmonton", "Edmonton", "origin"),
    ("The commandos, whose home is RM Condor in Arbroath, were redirected.", "en", "RM Condor", "RM Condor", "home"),
    ("Four Il-76s have taken off from Almaty airport.", "en", "Almaty", "Almaty", "origin"),
    ("Un bataillon aujourd’hui casernée à Oberviechtach partira pour la Lituanie.", "fr", "Oberviechtach",
     "Grenzland-Kaserne", "home"),
    # "du" is "de le": "en direction du Niger" goes there, it does not come from there
    ("Les 300 soldats ont quitté Gao en direction du Niger.", "fr", "Niger", "Niger", "destination"),
    ("Le convoi a pris la route des Pays-Bas.", "fr", "Pays-Bas", "Netherlands", "destination"),
    # a quoted name takes its role from the word before the quotation mark
    ("Les renforts seront envoyés vers le « flanc oriental » de l’OTAN.", "fr", "flanc oriental",
     "NATO's eastern flank", "destination"),
])
def test_cue_of_a_place(text, lang, surface, name, cue):
    assert place_roles(text, lang)[surface] == (name, cue)


def test_a_landmark_is_neither_origin_nor_destination():
    name, cue = place_roles("Les alliés se regrouperont sur la base, près de Constanța.", "fr")["Constanța"]
    assert name.startswith("Constan") and cue == "near"


def test_genitive_of_a_non_movement_noun_is_not_an_origin():
    found = place_roles("Selon les estimations de Séoul et de Washington, Pyongyang a envoyé 10 000 soldats en Russie.", "fr")
    assert found["Séoul"][1] is None and found["Washington"][1] is None
    assert found["Russie"] == ("Russia", "location")


def test_a_list_of_destinations_shares_its_preposition():
    found = place_roles("Ils seront envoyés vers l’Allemagne et la Pologne.", "fr")
    assert found["Pologne"] == ("Poland", "destination")


def test_state_after_a_base_qualifies_it_rather_than_naming_a_second_place():
    found = place_roles("The brigade left Fort Stewart, Georgia, for Germany.", "en")
    names = [name for name, _cue in found.values()]
    assert names == ["Fort Stewart", "Germany"]


def test_possessive_country_is_a_modifier_not_a_destination():
    found = place_roles("Paratroopers were sent toward Russia's doorstep.", "en")
    assert found["Russia"][1] is None


def test_a_peoples_name_is_not_the_town_that_shares_it():
    assert "Kazakh" not in place_roles("They handed the plant back to Kazakh guards this morning.", "en")


def test_a_list_after_a_region_noun_keeps_the_first_cue():
    places = place_roles("Deux mille militaires seront envoyés dans les voïvodies de Podlachie et de Lublin.", "fr")
    assert places["Lublin"][1] == "location"
    assert place_roles("Ils seront redéployés d'Allemagne et de Pologne.", "fr")["Pologne"][1] == "origin"


def test_troops_brought_closer_to_a_place_go_there():
    places = place_roles("2 000 autres ont été rapprochés du flanc oriental de l'Otan.", "fr")
    assert places["flanc oriental de l'Otan"][1] == "destination"


def test_where_troops_are_found_is_their_home_and_a_list_shares_it():
    places = place_roles("Un millier de soldats des 12e et 17e brigades, dont les états-majors se trouvent à Szczecin "
                     "et à Międzyrzecz, ont pris la route de la Podlachie.", "fr")
    assert places["Szczecin"][1] == "home" and places["Międzyrzecz"][1] == "home"


def test_a_country_after_a_town_with_a_compass_word_only_qualifies_it():
    places = place_roles("Britain is sending about 150 soldiers to serve with the battlegroup at Orzysz in north-eastern "
                     "Poland.", "en")
    assert "Poland" not in places and "Orzysz" in places


def test_an_institution_is_not_the_town_that_shares_its_name():
    assert "Congress" not in place_roles("The announcement drew criticism from both parties in Congress.", "en")
    assert "U.N." not in place_roles("Moscow notified the U.N. sanctions committee in 2018.", "en")  # not Un, India


@pytest.mark.parametrize("text, lang, ship, places", [
    ("The frigate HMS Montrose sailed from Portsmouth to Bahrain with 180 sailors.", "en", "HMS Montrose",
     ["Portsmouth", "Bahrain"]),
    ("USS Nashville left Norfolk for the Mediterranean.", "en", "Nashville", ["Norfolk"]),
    ("La frégate Alsace a quitté Toulon pour la mer Rouge avec 200 marins.", "fr", "Alsace", ["Toulon", "mer Rouge"]),
])
def test_a_ship_named_after_a_place_is_no_place(text, lang, ship, places):
    found = place_roles(text, lang)
    assert not any(ship in name for name in found) and all(place in found for place in places), found


@pytest.mark.parametrize("text, lang, places", [
    # The base noun's own preposition gives the town its role, over a number or an adjective.
    ("The US moved 300 troops from Air Base 101 in Niamey to Base 201 in Agadez.", "en",
     {"Niamey": ("Niamey", "home"), "Agadez": ("Agadez", "destination")}),
    ("Les États-Unis ont transféré 300 soldats de la base aérienne 101 à Niamey vers la base 201 d'Agadez.", "fr",
     {"Niamey": ("Niamey", "home")}),
    ("Estados Unidos trasladó 300 soldados desde la base aérea 101 en Niamey hasta la base 201 en Agadez.", "es",
     {"Niamey": ("Niamey", "home"), "Agadez": ("Agadez", "destination")}),
    ("Die US-Streitkräfte verlegen 300 Soldaten vom Luftwaffenstützpunkt 101 in Niamey zum Stützpunkt 201 in "
     "Agadez.", "de", {"Niamey": ("Niamey", "home"), "Agadez": ("Agadez", "destination")}),
])
def test_a_town_after_a_numbered_base_takes_the_base_nouns_role(text, lang, places):
    found = place_roles(text, lang)
    assert {surface: found.get(surface) for surface in places} == places, found


def test_the_noun_of_a_place_alone_is_no_town():
    # The gazetteer knows "Base" as La Bassée, "Camp" as an Alaskan airfield, "Gare" as a quarter of Paris.
    found = place_roles("The US moved 300 troops to Base 201 in Agadez.", "en")
    assert set(found) == {"US", "Agadez"}, found
    assert not place_roles("They left the Camp for the Airport on Monday.", "en")
    assert not place_roles("Des milliers de supporters avaient investi le parvis de la gare Lille-Flandres.", "fr")
    assert set(place_roles("Troops moved from Port Sudan to Camp Bondsteel.", "en")) == {"Port Sudan", "Camp Bondsteel"}
