"""The numbers stage on the real spaCy models: which figures count personnel, and how."""
from __future__ import annotations

import json

import pytest

from extract.numbers import is_casualty, parse_number
from extract.schema import QUALIFIERS
from reading_helpers import headcounts, only

NBSP, NNBSP = "\u00a0", "\u202f"


# ---------------------------------------------------------------- parse_number

@pytest.mark.parametrize("text, lang, value", [
    ("3,000", "en", 3000),
    ("3000", "en", 3000),
    ("3 000", "fr", 3000),
    (f"3{NBSP}000", "fr", 3000),
    (f"3{NNBSP}000", "fr", 3000),
    ("3.000", "fr", 3000),
    ("30.000", "fr", 30000),
    ("1,2 million", "fr", 1200000),
    ("1.5 million", "en", 1500000),
    ("2.5k", "en", 2500),
    ("three thousand", "en", 3000),
    ("twenty-five hundred", "en", 2500),
    ("a thousand", "en", 1000),
    ("a dozen", "en", 12),
    ("trois mille", "fr", 3000),
    ("deux mille cinq cents", "fr", 2500),
    ("un millier", "fr", 1000),
    ("un demi-millier", "fr", 500),
    ("une dizaine", "fr", 10),
    ("une centaine", "fr", 100),
    ("une dizaine de milliers", "fr", 10000),
    ("quelque 300", "fr", 300),
    ("près de 5 000", "fr", 5000),
    ("about a thousand", "en", 1000),
    ("five lakh", "en", 500000),
    ("1.5 lakh", "en", 150000),
    ("a few hundred", "en", None),
    ("plusieurs centaines", "fr", None),
    ("des milliers", "fr", None),
])
def test_parse_number_reads_digits_words_and_quantity_nouns(text, lang, value):
    assert parse_number(text, lang) == value


# ------------------------------------------------------- numbers with a personnel noun

@pytest.mark.parametrize("lang, text, value, noun", [
    ("en", "The Pentagon will send 3,000 troops to Poland.", 3000, "troops"),
    ("en", "The Pentagon will send 3000 soldiers to Poland.", 3000, "soldiers"),
    ("en", "Another 7,000 American service members will deploy to Germany.", 7000, "service members"),
    ("en", "About 1,000 U.S. Army troops moved to Romania.", 1000, "troops"),
    ("en", "Some 1.5k active-duty troops will go to the border.", 1500, "troops"),
    ("en", "Three thousand paratroopers left Fort Bragg.", 3000, "paratroopers"),
    ("en", "About a thousand Saudi soldiers crossed the causeway.", 1000, "soldiers"),
    ("en", "Twenty-five hundred Marines landed in Darwin.", 2500, "Marines"),
    ("en", "About 2,500 National Guard members are assigned to the border.", 2500, "members"),
    ("en", "The Kremlin said 10,000 servicemen had returned to base.", 10000, "servicemen"),
    ("en", "Nearly 1,000 Norwegian and Dutch soldiers arrived in Lithuania.", 1000, "soldiers"),
    ("en", "Pretoria deployed 1,200 members of the South African National Defence Force to Beira.", 1200, "members"),
    ("en", "Ottawa is sending 350 additional Canadian Armed Forces members to Riga.", 350, "members"),
    ("en", "Delhi moved nearly three lakh soldiers to the frontier.", 300000, "soldiers"),
    ("en", "About 40 aviators landed at Whitehorse.", 40, "aviators"),
    ("fr", "Les États-Unis envoient 3 000 soldats américains en Pologne.", 3000, "soldats"),
    ("fr", f"Les États-Unis envoient 3{NBSP}000 soldats en Pologne.", 3000, "soldats"),
    ("fr", f"Les États-Unis envoient 3{NNBSP}000 militaires en Pologne.", 3000, "militaires"),
    ("fr", "La Russie masse 30.000 soldats en Biélorussie.", 30000, "soldats"),
    ("fr", "Washington envoie trois mille soldats en Roumanie.", 3000, "soldats"),
    ("fr", "Paris a déployé deux mille cinq cents hommes au Sahel.", 2500, "hommes"),
    ("fr", "Un millier de militaires restent stationnés au Tchad.", 1000, "militaires"),
    ("fr", "Une force de 1 600 hommes est arrivée à Bangui.", 1600, "hommes"),
    ("fr", "Environ 800 membres des Forces armées canadiennes servent en Lettonie.", 800, "membres"),
    ("fr", "Une centaine d'artilleurs sont arrivés à Qayyarah.", 100, "artilleurs"),
    ("fr", "Ottawa envoie 120 membres de l'Aviation royale canadienne en Roumanie.", 120, "membres"),
    ("fr", "Les 60 Marines chargés de l'ambassade ont quitté Tunis.", 60, "Marines"),
])
def test_a_number_that_counts_personnel_is_found_with_its_noun(nlp, lang, text, value, noun):
    found = only(nlp, lang, text)
    assert (found.value, found.noun) == (value, noun)
    doc = nlp[lang](text)
    # Offsets point at the phrase in the text, tokens at the same phrase.
    assert text[found.start:found.end] == found.text
    assert doc[found.token_start:found.token_end].text == found.text


@pytest.mark.parametrize("lang, text, value, qualifier, phrase", [
    ("en", "Some 1,700 paratroopers were ordered to Poland.", 1700, "approximate", "Some 1,700"),
    ("en", "Nearly 5,000 soldiers left Fort Bragg.", 5000, "approximate", "Nearly 5,000"),
    ("en", "Around 850 soldiers are going to Estonia.", 850, "approximate", "Around 850"),
    ("en", "More than 3,000 troops are in Romania.", 3000, "at least", "More than 3,000"),
    ("en", "At least 200 sailors joined the ship.", 200, "at least", "At least 200"),
    ("en", "Canada will keep as many as 2,200 troops in Latvia.", 2200, "at most", "as many as 2,200"),
    ("en", "Up to 800 soldiers could be sent to Latvia.", 800, "at most", "Up to 800"),
    ("en", "Fewer than 100 Marines remain in Baghdad.", 100, "at most", "Fewer than 100"),
    ("en", "The Pentagon sent 1,500 Marines to Helmand.", 1500, "exact", "1,500"),
    ("fr", "Près de 5 000 soldats sont arrivés en Lituanie.", 5000, "approximate", "Près de 5 000"),
    ("fr", "Quelque 300 légionnaires ont dressé leur camp à Ouallam.", 300, "approximate", "Quelque 300"),
    ("fr", "Environ 1 500 militaires étaient déployés au Niger.", 1500, "approximate", "Environ 1 500"),
    ("fr", "Plus de 3 000 militaires sont arrivés en Roumanie.", 3000, "at least", "Plus de 3 000"),
    ("fr", "Au moins 200 marins ont rejoint la frégate.", 200, "at least", "Au moins 200"),
    ("fr", "Le Canada portera jusqu'à 2 200 militaires en Lettonie.", 2200, "at most", "jusqu'à 2 200"),
    ("fr", "La Misca compte un peu moins de 3 000 hommes.", 3000, "approximate", "un peu moins de 3 000"),
    ("fr", "Moins de 100 soldats restent à Gao.", 100, "at most", "Moins de 100"),
    ("fr", "Un millier de soldats ont fait mouvement vers la Roumanie.", 1000, "approximate", "Un millier"),
    ("fr", "La France envoie 250 militaires en Roumanie.", 250, "exact", "250"),
])
def test_each_qualifier_is_read_from_the_words_around_the_number(nlp, lang, text, value, qualifier, phrase):
    found = only(nlp, lang, text)
    assert (found.value, found.qualifier, found.text) == (value, qualifier, phrase)
    assert found.qualifier in QUALIFIERS


@pytest.mark.parametrize("lang, text, value, high", [
    ("en", "Between 10,000 and 12,000 soldiers crossed into Russia.", 10000, 12000),
    ("en", "China has 30,000 to 35,000 troops in the sector.", 30000, 35000),
    ("en", "India has 40,000-45,000 troops in Ladakh.", 40000, 45000),
    ("fr", "Pyongyang aurait envoyé entre 10 000 et 12 000 soldats en Russie.", 10000, 12000),
])
def test_a_range_gives_its_low_end_and_keeps_the_high_end(nlp, lang, text, value, high):
    found = only(nlp, lang, text)
    assert (found.value, found.high, found.qualifier) == (value, high, "range")


def test_a_change_from_one_figure_to_another_is_not_a_range(nlp):
    found = headcounts(nlp, "en", "The number of soldiers in the zone was brought down from 8,350 to 4,500.")
    assert [(h.value, h.high) for h in found] == [(8350, None), (4500, None)]
    found = headcounts(nlp, "fr", "L'effectif est passé de 900 à 1 100 hommes.")
    assert [(h.value, h.high) for h in found] == [(900, None), (1100, None)]


def test_de_x_a_y_without_a_verb_of_change_is_a_range(nlp):
    found = only(nlp, "fr", "La Pologne enverra de 3 000 à 4 000 soldats à la frontière.")
    assert (found.value, found.high, found.qualifier) == (3000, 4000, "range")


@pytest.mark.parametrize("text, qualifier, phrase", [
    ("About 3,000-plus troops crossed the border.", "at least", "About 3,000-plus"),
    ("Some 2,000-odd Marines landed.", "approximate", "Some 2,000-odd"),
    ("The thousand or so new troops will arrive in spring.", "approximate", "thousand or so"),
])
def test_a_qualifier_after_the_number_is_read_too(nlp, text, qualifier, phrase):
    found = only(nlp, "en", text)
    assert (found.qualifier, found.text) == (qualifier, phrase)


@pytest.mark.parametrize("lang, text, noun", [
    ("en", "A few hundred soldiers followed in April.", "soldiers"),
    ("en", "Several thousand troops remain in Kuwait.", "troops"),
    ("fr", "Plusieurs centaines de soldats sont arrivés à Niamey.", "soldats"),
    ("fr", "Des milliers de militaires ont quitté le Mali.", "militaires"),
])
def test_a_vague_amount_has_no_value_but_keeps_the_qualifier(nlp, lang, text, noun):
    found = only(nlp, lang, text)
    assert (found.value, found.qualifier, found.noun) == (None, "approximate", noun)


# ------------------------------------------------------------- anaphora and increments

@pytest.mark.parametrize("lang, text, value", [
    ("en", "The Pentagon ordered 1,000 troops to Romania, and 2,000 others to Poland.", 2000),
    ("en", "Three brigades of troops were sent. About 1,000 of these troops went to Poland.", 1000),
    ("en", "Some 4,700 soldiers were sent to Europe, roughly 2,400 of them to Romania.", 2400),
    ("en", "The brigade sent 2,000 soldiers; the other 1,000 stayed home.", 1000),
    ("fr", "Les renforts partiront bientôt. Un millier de ces soldats seront redéployés en Roumanie.", 1000),
    ("fr", "Un millier de soldats iront en Roumanie, et 2 000 autres seront envoyés en Pologne.", 2000),
    ("fr", "Environ 10 000 militaires seront présents : 4 000 d'entre eux épauleront la garde-frontière.", 4000),
])
def test_a_number_pointing_back_at_troops_is_marked_anaphoric(nlp, lang, text, value):
    found = [h for h in headcounts(nlp, lang, text) if h.anaphoric]
    assert [h.value for h in found] == [value]


def test_a_number_with_its_own_noun_is_not_anaphoric(nlp):
    assert not only(nlp, "en", "The Pentagon will send 3,000 troops to Poland.").anaphoric
    assert not only(nlp, "fr", "Les États-Unis envoient 3 000 soldats en Pologne.").anaphoric


@pytest.mark.parametrize("lang, text, value", [
    ("en", "Biden orders 7,000 more U.S. troops to Germany.", 7000),
    ("en", "Biden directed that another 7,000 American service members deploy to Germany.", 7000),
    ("en", "About 1,000 additional U.S. troops are to be sent to Poland.", 1000),
    ("en", "A further 1,000 British personnel are being held at readiness.", 1000),
    ("fr", "Joe Biden envoie 7 000 soldats supplémentaires en Allemagne.", 7000),
    ("fr", "Biden a ordonné le déploiement de 7 000 militaires américains supplémentaires en Allemagne.", 7000),
    ("fr", "Deux cents policiers kényans de plus sont arrivés à Port-au-Prince.", 200),
])
def test_a_number_added_to_an_earlier_figure_is_marked_increment(nlp, lang, text, value):
    found = only(nlp, lang, text)
    assert (found.value, found.increment) == (value, True)


def test_a_plain_number_is_not_an_increment(nlp):
    assert not only(nlp, "en", "The Pentagon sent 1,500 Marines to Helmand.").increment
    assert not only(nlp, "fr", "La France envoie 250 militaires en Roumanie.").increment


# ------------------------------------------------------------ bare numbers and strength

@pytest.mark.parametrize("lang, text, value", [
    ("en", "When Friday's contingent lands, the deployment will bring the total to 4,700.", 4700),
    ("en", "A contingent of 300 arrived in Estonia.", 300),
    ("en", "A headquarters element of roughly 300 from the XVIII Airborne Corps has arrived.", 300),
    ("fr", "Un contingent de 300 est arrivé en Estonie.", 300),
    ("fr", "Le contingent, fort de 1 350, est arrivé à Bangui.", 1350),
    ("fr", "L'effectif doit atteindre 500 d'ici à la fin de l'année.", 500),
])
def test_a_bare_number_in_a_sentence_about_troops_is_a_headcount(nlp, lang, text, value):
    found = only(nlp, lang, text)
    assert (found.value, found.noun) == (value, None)


@pytest.mark.parametrize("lang, text", [
    ("en", "City officials expected roughly 60,000 in town around the game."),
    ("en", "Officials expect crossings could top 10,000 a day."),
    ("en", "The 27 European Union members agreed on new sanctions."),
    ("en", "The 40 members of the Electoral Commission of South Africa met."),
    ("fr", "Chaque club a reçu 15 000 billets pour la finale."),
    ("fr", "La Gambie compte moins de deux millions d'habitants."),
])
def test_a_bare_number_outside_a_troop_context_is_not_a_headcount(nlp, lang, text):
    assert headcounts(nlp, lang, text) == []


@pytest.mark.parametrize("lang, text, value, noun", [
    ("en", "A 4,000-strong force arrived in Lithuania.", 4000, "force"),
    ("en", "A thousand-strong Stryker squadron has moved to Romania.", 1000, "squadron"),
    ("en", "The battlegroup should end up well over 1,000 strong.", 1000, None),
    ("en", "The Defense Department named the first forces in the 30,000-troop increase.", 30000, "troop"),
    ("en", "A 300-man company arrived in Vilnius.", 300, "company"),
])
def test_a_strength_counts_personnel_whatever_the_noun(nlp, lang, text, value, noun):
    found = only(nlp, lang, text)
    assert (found.value, found.noun) == (value, noun)


# ----------------------------------------------------------------------- exclusions

@pytest.mark.parametrize("lang, text", [
    # years
    ("en", "NATO leaders agreed on them at their July 2016 summit, and in 2022 and since 2014 nothing changed."),
    ("fr", "En 2022, depuis 2013 et jusqu'en 2026, rien n'a changé pour les soldats."),
    # money
    ("en", "Warsaw offered about $2 billion and 30 million dollars for the troops' base."),
    ("fr", "Ottawa consacrera 2,6 milliards de dollars et 600 millions d'euros aux soldats."),
    # distances and sizes
    ("en", "The troops drove 1,600 km and then 60 miles to the border."),
    ("fr", "Les soldats ont parcouru 450 kilomètres puis 3000 mètres."),
    # percentages
    ("en", "Poland spends more than 4 percent and 2% of GDP on its troops."),
    ("fr", "Les gangs contrôlent 80 % de la capitale malgré les soldats."),
    # dates and times
    ("en", "WASHINGTON, Feb. 24 - The troops leave on June 19 at 17:40, on the 24th."),
    ("fr", "Le 2 février, à 15 heures, les soldats sont partis ; le 1er août, ils sont rentrés."),
    # ordinals and unit names
    ("en", "The 82nd Airborne and the 3rd Infantry Division, Task Force 1-41 and 45 Commando moved troops."),
    ("fr", "Le 2e REI, le 27e BCA et la base aérienne 104 ont accueilli des soldats."),
    ("fr", "Le Panzerbataillon 203, un bataillon de chars, rejoindra la brigade."),
    # equipment
    ("en", "Russia fired 160 missiles, 30 rockets and 12 howitzers; the troops have 40 tanks, 20 jets, 14 aircraft and 4 Bradleys."),
    ("fr", "Les soldats disposent de 15 chars, 90 véhicules blindés, 20 avions, 12 drones et 3 hélicoptères."),
])
def test_years_money_distances_percentages_dates_units_and_equipment_are_never_headcounts(nlp, lang, text):
    assert headcounts(nlp, lang, text) == []


def test_two_numbers_can_share_one_noun(nlp):
    found = headcounts(nlp, "en", "Britain will send 3,000 British and 2,000 French troops to Estonia.")
    assert [(h.value, h.noun) for h in found] == [(3000, "troops"), (2000, "troops")]


def test_the_personnel_figure_is_kept_among_equipment_figures(nlp):
    text = "Le contingent comptera 1 960 militaires, 90 véhicules blindés et 380 autres véhicules."
    assert [h.value for h in headcounts(nlp, "fr", text)] == [1960]
    text = "The battalion brings 550 soldiers, 40 CV90 infantry fighting vehicles and a 25-bed hospital."
    assert [h.value for h in headcounts(nlp, "en", text)] == [550]


def test_civilians_and_a_figure_listed_after_civilians_are_not_headcounts(nlp):
    text = "Germany will station about 4,800 soldiers plus some 200 civilian staff."
    assert [h.value for h in headcounts(nlp, "en", text)] == [4800]
    text = "Les soldats gardent le camp où quelque 1 500 étrangers, dont environ 700 Français, ont trouvé refuge."
    assert headcounts(nlp, "fr", text) == []


# ----------------------------------------------------------------------- casualties

@pytest.mark.parametrize("lang, text, value, noun", [
    ("en", "Twenty Indian soldiers were killed in the clash.", 20, "killed"),
    ("en", "The patrol came under fire and 30 troops were wounded.", 30, "wounded"),
    ("en", "The hospital received 40 wounded soldiers.", 40, "wounded"),
    ("fr", "Deux militaires du 8e RPIMa ont été tués à Bangui.", 2, "tués"),
    ("fr", "Cinquante-neuf militaires français ont perdu la vie au Sahel.", 59, "perdu"),
])
def test_casualties_are_returned_with_the_casualty_word_as_noun(nlp, lang, text, value, noun):
    found = only(nlp, lang, text)
    assert (found.value, found.noun) == (value, noun)
    assert is_casualty(found, lang)


def test_a_moving_force_is_not_a_casualty(nlp):
    assert not is_casualty(only(nlp, "en", "The Pentagon will send 3,000 troops to Poland."), "en")


# -------------------------------------------------------------------- real articles

def test_seed_article_headcounts(nlp, eval_dir):
    text = (eval_dir / "seed" / "seed-fr.txt").read_text(encoding="utf-8")
    found = headcounts(nlp, "fr", text)
    by_value = {h.value: h for h in found}
    assert by_value[3000].noun == "soldats"
    assert by_value[8500].noun == "soldats"
    assert by_value[1000].anaphoric and by_value[1000].noun == "soldats"
    assert by_value[2000].anaphoric and by_value[2000].noun is None
    assert set(by_value) <= {3000, 8500, 1000, 2000}


def test_dev_set_headcounts_are_found(nlp, eval_dir):
    """Nearly every headcount the answer keys use is returned for its article."""
    wanted = found = 0
    for key_path in sorted((eval_dir / "dev").glob("*.json")):
        key = json.loads(key_path.read_text(encoding="utf-8"))
        values = {row["headcount"] for row in key["deployments"] if row["headcount"] is not None}
        if not values:
            continue
        text = key_path.with_suffix(".txt").read_text(encoding="utf-8")
        counts = headcounts(nlp, key["lang"], text)
        returned = {h.value for h in counts} | {h.high for h in counts}
        wanted += len(values)
        found += len(values & returned)
    assert found / wanted >= 0.95


@pytest.mark.parametrize("lang, text", [
    ("en", "The first 300 soldiers were flown to Libya on Dec. 24. Another 1,350 crossed from Syria into Turkey "
           "on Jan. 5."),
    ("fr", "Les 300 premiers combattants ont été acheminés en Libye. 1 350 autres ont franchi la frontière turque."),
])
def test_a_bare_figure_adding_to_troops_just_named_is_a_headcount(nlp, lang, text):
    assert 1350 in [h.value for h in headcounts(nlp, lang, text)]
