"""Relations stage: statuses, forces, anaphora and the shapes of sentences that make rows."""
from __future__ import annotations

import pandas as pd
import pytest

from extract import extract_deployments


@pytest.fixture(autouse=True)
def _rules_engine(monkeypatch):
    """These tests pin what the hand-written rules (engine="rules", still reachable and still the
    model's features) make of each construction; the learned decision is tested in test_learned.py."""
    monkeypatch.setenv("TROOPMAP_ENGINE", "rules")


def _rows(text: str, lang: str) -> list[tuple]:
    frame = extract_deployments(text, lang=lang)
    return [(r.origin_country, r.destination_country,
             None if pd.isna(r.headcount) else int(r.headcount), r.status, r.force) for r in frame.itertuples()]


@pytest.mark.parametrize("text, lang, status", [
    ("The Pentagon will send 2,000 soldiers to Poland next week.", "en", "announced"),
    ("Austin ordered 3,000 soldiers to Poland on Friday.", "en", "ordered"),
    ("About 1,700 American paratroopers have arrived in Poland.", "en", "arrived"),
    ("Some 300 French soldiers withdrew from Mali to Niger.", "en", "withdrawn"),
    ("Russia has deployed 30,000 troops to Belarus.", "en", "deployed"),
    ("2 000 soldats américains seront envoyés en Pologne.", "fr", "announced"),
    ("Quelque 300 militaires français ont quitté le Mali pour le Niger.", "fr", "withdrawn"),
])
def test_status_follows_the_verb_and_its_tense(text, lang, status):
    rows = _rows(text, lang)
    assert rows and {r[3] for r in rows} == {status}


def test_force_from_subject_country_and_origin_defaults_to_its_home():
    assert _rows("Russia has deployed 30,000 troops to Belarus.", "en") == [("RU", "BY", 30000, "deployed", "RU")]


def test_force_from_a_possessive_owner():
    rows = _rows("Three aircraft carried Armenia's 100-strong unit back to Armenia from Kazakhstan.", "en")
    assert rows and rows[0][4] == "AM"


def test_a_share_of_a_total_is_not_a_second_movement():
    rows = _rows("Quelque 2 400 des 4 600 militaires français ont été redéployés au Niger.", "fr")
    assert [r[2] for r in rows] == [2400]


def test_chained_legs_are_separate_rows_with_the_same_figure():
    rows = _rows("About 100 Marines flew from Moron air base in Spain to Senegal and then on to Liberia.", "en")
    legs = {(r[0], r[1]) for r in rows}
    assert legs == {("ES", "SN"), ("SN", "LR")}


def test_elliptical_second_figure_shares_the_verb_and_destination():
    text = ("The Marine Corps will send 6,200 Marines from Camp Lejeune to Afghanistan, "
            "and 800 from Camp Pendleton.")
    rows = _rows(text, "en")
    assert {(r[1], r[2]) for r in rows} == {("AF", 6200), ("AF", 800)}


def test_there_points_back_to_the_place_just_named():
    text = "Lithuania is the clearest case. Germany has committed to stationing 4,800 soldiers there."
    assert ("DE", "LT", 4800) in {r[:3] for r in _rows(text, "en")}


def test_headline_restating_the_body_is_one_row():
    text = ("3,000 more paratroopers ordered to Poland\n\n"
            "Austin on Friday ordered about 3,000 soldiers from Fort Bragg to Poland.")
    frame = extract_deployments(text, lang="en")
    assert len(frame) == 1 and frame.iloc[0].origin == "Fort Bragg"


def test_plural_contributors_name_no_single_force():
    rows = _rows("At NATO headquarters, 25 allied countries pledged roughly 7,000 extra troops for Afghanistan.", "en")
    assert rows and rows[0][4] is None


def test_troops_only_stationed_somewhere_are_a_garrison():
    assert _rows("About 2,500 U.S. troops are stationed in Iraq.", "en") == []


def test_named_units_from_named_bases_follow_the_previous_destination():
    text = ("An advance party of the brigade reached Baghdad on Wednesday from Kuwait. "
            "The 1st Infantry Division's 4th Brigade from Fort Riley, Kan., is scheduled to leave in February, "
            "and the 3rd Infantry Division's 2nd Brigade from Fort Stewart, Ga., in May.")
    frame = extract_deployments(text, lang="en")
    legs = {(r.origin, r.destination_country, r.unit) for r in frame.itertuples() if r.origin_kind == "base"}
    assert legs == {("Fort Riley", "IQ", "4th Brigade"), ("Fort Stewart", "IQ", "2nd Brigade")}


def test_a_list_after_including_takes_the_preposition_before_it():
    rows = _rows("The other 5,600 troops will be repositioned in other NATO countries, including Italy and Belgium.",
                 "en")
    assert {r[1] for r in rows} == {"IT", "BE"}


@pytest.mark.parametrize("text, lang, origin", [
    # The home base comes one sentence after the figure.
    ("The Pentagon is sending 3,500 more soldiers from the 82nd Airborne Division to Kuwait. "
     "They make up the rest of the division's 1st Brigade at Fort Bragg, N.C.", "en", "Fort Bragg"),
    ("Most of the 350 Royal Marines from 45 Commando were ordered to Poland. "
     "The commandos, whose home is RM Condor in Arbroath, had been due to go to Norway.", "en", "RM Condor"),
    ("Quelque 200 policiers kényans sont arrivés à Port-au-Prince. "
     "Partis lundi soir de Nairobi, ils forment le deuxième contingent envoyé par le Kenya.", "fr", "Nairobi"),
])
def test_an_inferred_origin_takes_the_home_base_named_elsewhere(text, lang, origin):
    frame = extract_deployments(text, lang=lang)
    assert list(frame.origin) == [origin]
    assert frame.origin_text.isna().all()  # still marked as not read from the figure's own clause


def test_a_home_base_in_another_country_does_not_replace_the_force_country():
    frame = extract_deployments(
        "The Pentagon is sending 3,500 more soldiers to Kuwait. "
        "Members of the 173rd Airborne Brigade, based in Vicenza, Italy, were put on alert.", lang="en")
    assert list(frame.origin_country) == ["US"] and list(frame.origin_kind) == ["country"]


def test_troops_heading_to_their_own_country_leave_from_the_last_place_named():
    rows = _rows("Four Il-76s have taken off from Almaty airport. The fourth has the Tajik contingent of "
                 "about 200 on its way to Tajikistan.", "en")
    assert [(r[0], r[1], r[2]) for r in rows] == [("KZ", "TJ", 200)]


def test_a_city_origin_beats_the_country_it_is_in():
    frame = extract_deployments("Des éléments de la force Licorne, stationnée en Côte d'Ivoire, ont été "
                                "acheminés d'Abidjan vers Bamako.", lang="fr")
    assert list(frame.origin) == ["Abidjan"] and not frame.headcount_shared.any()


@pytest.mark.parametrize("text, lang, expected", [
    ("The 150 Kyrgyz servicemen left Almaty this morning and set off by road for home.", "en", [("KZ", "KG", 150, "withdrawn", "KG")]),
    ("Les 300 soldats belges ont quitté Gao mardi pour rentrer au pays.", "fr", [("ML", "BE", 300, "withdrawn", "BE")]),
])
def test_going_home_is_a_withdrawal_to_the_forces_own_country(text, lang, expected):
    assert _rows(text, lang) == expected


def test_shares_of_a_figure_go_where_the_figure_goes_on_their_own_side_of_a_border():
    frame = extract_deployments(
        "La Pologne va masser 10 000 soldats. Le ministre a indiqué qu'environ 10 000 militaires seraient "
        "présents à la frontière avec la Biélorussie : 4 000 d'entre eux épauleront directement la "
        "garde-frontière, tandis que les 6 000 restants formeront une réserve.", lang="fr")
    border = frame[frame.destination == "Polish-Belarusian border"]
    assert sorted(border.headcount) == [4000, 6000, 10000]
    assert set(border.destination_country) == {"PL"} and set(border.force) == {"PL"}
    # The total is its two shares: it is not counted again.
    assert border[border.counted].headcount.sum() == 10000


def test_present_today_is_no_movement():
    assert _rows("Point de situation. Environ 10 000 militaires sont présents à la frontière avec la Biélorussie.",
                 "fr") == []


def test_a_figure_named_as_part_of_a_known_total_is_not_a_new_move():
    assert _rows("Le ministère n'a pas précisé si ces renforts sont compris dans les 10\u202f000 militaires "
                 "envoyés en Pologne.", "fr") == []


def test_a_share_of_the_storys_troops_goes_where_the_story_goes():
    rows = _rows("The Pentagon will send 7,000 more troops to Germany. Defense Secretary Lloyd Austin signed the "
                 "order the same day. The largest unit is the 1st Armored Brigade Combat Team from Fort Stewart, "
                 "Georgia. Its commanders met on Thursday. The Georgia post said approximately 3,800 of its "
                 "soldiers would go.", "en")
    assert ("US", "DE", 3800, "ordered", "US") in rows  # the order was signed


@pytest.mark.parametrize("text, lang, destination", [
    ("NATO troops patrol Kosovo. Romania said on Tuesday it would add about 100 soldiers to the force.", "en", "XK"),
    ("Les casques bleus patrouillent au Liban. La Pologne enverra 100 soldats supplémentaires dans la force.", "fr",
     "LB"),
])
def test_joining_the_force_goes_where_the_force_is(text, lang, destination):
    assert [(r[1], r[2]) for r in _rows(text, lang)] == [(destination, 100)]


def test_a_force_that_now_counts_troops_is_a_total_not_a_move():
    rows = _rows("Romania will add 100 soldiers to the force in Kosovo. KFOR now counts more than 4,500 troops "
                 "from 27 countries, and London has committed to keeping its contribution going.", "en")
    assert [r[2] for r in rows] == [100]


def test_sent_to_the_base_is_the_base_named_before():
    rows = _rows("The fighter squadrons would operate from Prince Sultan Air Base, south-east of Riyadh. "
                 "Some 500 U.S. troops were sent to the base in July.", "en")
    assert rows == [("US", "SA", 500, "deployed", "US")]


def test_a_departure_from_a_neighbouring_country_is_an_origin():
    rows = _rows("The withdrawal follows a smaller departure from neighbouring Chad, where about 75 U.S. Army "
                 "special forces soldiers left for Germany in May.", "en")
    assert [(r[0], r[1], r[2]) for r in rows] == [("TD", "DE", 75)]


@pytest.mark.parametrize("text, lang", [
    ("La Misma doit compter 3 300 soldats au Mali. Le Nigeria a annoncé l'envoi de 900 hommes au Mali, "
     "le Niger, le Burkina Faso, le Togo et le Sénégal environ 500 chacun.", "fr"),
    ("The force in Mali will have 3,300 soldiers. Nigeria announced it would send 900 troops to Mali, and "
     "Niger, Burkina Faso, Togo and Senegal about 500 each.", "en"),
])
def test_a_figure_given_to_each_country_of_a_list_is_one_row_per_country(text, lang):
    rows = _rows(text, lang)
    each = sorted((r[0], r[1], r[2], r[4]) for r in rows if r[2] == 500)
    assert each == [("BF", "ML", 500, "BF"), ("NE", "ML", 500, "NE"), ("SN", "ML", 500, "SN"), ("TG", "ML", 500, "TG")]
    frame = extract_deployments(text, lang=lang)
    assert frame[frame.headcount == 500].counted.all()  # each country's figure counts in the totals


@pytest.mark.parametrize("text, lang, expected", [
    ("Le gouvernement tchadien a réclamé le départ des forces françaises. Environ 1 000 militaires français "
     "étaient alors stationnés au Tchad. Ils ont tous regagné la France en moins de deux mois.", "fr",
     {("TD", "FR", 1000, "withdrawn", "FR")}),
    ("Quelque 2 400 des 4 600 militaires français engagés au Sahel se trouvaient au Mali. Ils ont quitté le pays "
     "en six mois : la plupart ont regagné la France, d'autres ont été redéployés au Niger voisin.", "fr",
     {("ML", "FR", 2400, "withdrawn", "FR"), ("ML", "NE", 2400, "withdrawn", "FR")}),
    ("About 1,000 American military personnel were in Niger in March. Most of them have since returned to the "
     "United States; others were repositioned at bases in Germany.", "en",
     {("NE", "US", 1000, "withdrawn", "US"), ("NE", "DE", 1000, "withdrawn", "US")}),
])
def test_troops_placed_in_one_sentence_move_in_the_next(text, lang, expected):
    assert set(_rows(text, lang)) == expected


def test_troops_in_place_with_no_move_after_give_no_row():
    assert _rows("The base was quiet. About 5,200 U.S. troops are in Iraq. Oil prices jumped on the news.", "en") == []


def test_troops_split_between_places_named_after_a_colon_go_to_each():
    rows = _rows("La Bundeswehr réunira à terme en Lituanie quelque 4 800 soldats. Deux sites pour une brigade. "
                 "Les militaires seront répartis entre deux emprises : Rūdninkai, au sud de Vilnius, et Rukla, "
                 "près de Kaunas.", "fr")
    assert {(r[0], r[2]) for r in rows} == {("DE", 4800)}
    frame = extract_deployments("La Bundeswehr réunira à terme en Lituanie quelque 4 800 soldats. Les militaires seront "
                                "répartis entre deux emprises : Rūdninkai, au sud de Vilnius, et Rukla, près de Kaunas.",
                                lang="fr")
    assert {"Rukla", "Rūdninkai training area"} <= set(frame.destination)
    assert frame[frame.counted].headcount.sum() == 4800


def test_a_bulleted_list_of_home_bases_gives_the_figure_its_origins():
    text = ("The eighth rotation reached full strength following the arrival of some 800 additional "
            "Marines at RAAF Base Darwin.\n\nThe reinforcements come from three commands:\n\n"
            "- an infantry battalion from Marine Corps Base Hawaii at Kaneohe Bay;\n"
            "- a detachment of Combat Logistics Battalion 1 from Camp Pendleton, California.\n")
    frame = extract_deployments(text, lang="en")
    assert set(frame.origin) == {"Marine Corps Base Hawaii", "Camp Pendleton"}
    assert set(frame.headcount) == {800} and frame.headcount_shared.all()


def test_a_killing_named_far_from_the_figure_does_not_make_it_a_casualty():
    rows = _rows("The Pentagon is sending roughly 3,500 more soldiers from the 82nd Airborne Division to Kuwait, "
                 "U.S. officials said on Friday, hours after an American drone strike at Baghdad airport killed "
                 "Iranian Major General Qassem Soleimani.", "en")
    assert [(r[1], r[2]) for r in rows] == [("KW", 3500)]


@pytest.mark.parametrize("text, lang", [
    ("The eighth rotation of United States Marines to northern Australia has reached its planned strength of "
     "2,500 personnel.", "en"),
    ("Canada is deploying about 450 personnel to Latvia. Albania, Italy and Spain are supplying the other "
     "elements, and the Latvian battlegroup should end up well over 1,000 strong.", "en"),
    ("Canada is deploying about 450 personnel to Latvia. With Spanish and Italian companies, the battlegroup is "
     "expected to reach around 1,200.", "en"),
])
def test_the_size_a_force_grows_to_is_not_a_movement(text, lang):
    assert all(r[2] not in (2500, 1000, 1200) for r in _rows(text, lang))


def test_where_the_equipment_came_from_is_not_the_troops_origin():
    rows = _rows("Some 450 Bundeswehr soldiers from Panzergrenadierbataillon 122 in Oberviechtach, Bavaria, deployed "
                 "to the Lithuanian base at Rukla, with their Leopard 2 tanks following by rail from the Grafenwoehr "
                 "training area.", "en")
    assert [(r[0], r[1], r[2]) for r in rows] == [("DE", "LT", 450)]
    frame = extract_deployments("In October about 100 Marines, with four MV-22 Ospreys, flew from Moron air base in "
                                "Spain to Dakar.", lang="en")
    assert list(frame.origin_country) == ["ES"]


def test_the_country_points_back_to_the_last_country_that_is_not_the_troops_own():
    text = ("Le 28 novembre, le gouvernement tchadien avait dénoncé l'accord qui le liait à Paris, réclamant le "
            "départ des forces françaises. Environ 1 000 militaires français étaient alors stationnés dans le pays, "
            "répartis entre N'Djamena, Abéché et Faya-Largeau. Ils ont tous regagné la France en moins de deux mois.")
    assert _rows(text, "fr") == [("TD", "FR", 1000, "withdrawn", "FR")]


def test_a_move_out_of_the_place_where_troops_were_counted_takes_their_figure():
    rows = _rows("The 82nd Airborne Division's 2nd Brigade, about 3,200 paratroopers from Fort Bragg, had been waiting "
                 "in Kuwait since the start of the month. An advance party reached Baghdad on Wednesday night, and the "
                 "rest of the brigade began moving north from Kuwait on Thursday.", "en")
    assert ("KW", "IQ", 3200) in [(r[0], r[1], r[2]) for r in rows]


def test_more_troops_of_a_force_go_where_its_troops_are():
    rows = _rows("Le Kenya compte désormais quelque 400 policiers en Haïti. Les policiers kényans ont fort à faire. "
                 "Nairobi s'est engagé à fournir un millier de policiers.", "fr")
    assert ("HT", 1000, "KE") in [(r[1], r[2], r[4]) for r in rows]


def test_an_armys_size_is_not_a_movement():
    assert _rows("Le petit émirat, dont l'armée ne compte qu'environ 12\u202f000 hommes, abrite la base d'Al-Udeid, "
                 "la plus importante installation militaire américaine au Moyen-Orient.", "fr") == []


def test_a_base_inside_the_destination_region_is_not_the_origin_of_troops_sent_there():
    rows = _rows("The fighter squadrons would operate from Prince Sultan Air Base, which American aircraft left in "
                 "2003 and returned to this summer. About 14,000 additional U.S. troops have been sent to the Middle "
                 "East since May.", "en")
    assert [(r[0], r[2]) for r in rows] == [("US", 14000)]


def test_a_regiments_barracks_and_its_town_are_one_origin():
    frame = extract_deployments(
        "Environ 500 militaires français seront déployés en Roumanie. Aux chasseurs s'ajouteront un escadron du "
        "4e régiment de chasseurs, venu de Gap, et une compagnie du 126e régiment d'infanterie de Brive-la-Gaillarde.",
        lang="fr")
    figureless = frame[frame.headcount.isna()]
    assert len(figureless) == 2 and set(figureless.destination_country) == {"RO"}


def test_plans_of_a_force_whose_move_was_ordered_are_orders():
    rows = _rows("The Pentagon will send 7,000 more troops to Germany. Defense Secretary Lloyd Austin signed the "
                 "order the same day. Roughly 3,800 soldiers from Fort Stewart will go to Germany next month.", "en")
    assert ("DE", 3800, "ordered") in [(r[1], r[2], r[3]) for r in rows]
    unordered = _rows("The Pentagon will send 7,000 more troops to Germany. No deployment order had been issued by "
                      "Friday. Roughly 3,800 soldiers from Fort Stewart will go to Germany next month.", "en")
    assert ("DE", 3800, "announced") in [(r[1], r[2], r[3]) for r in unordered]


def test_troops_now_at_a_place_have_arrived_but_a_total_there_now_is_no_move():
    rows = _rows("Russia has flown tanks and howitzers to Hmeimim air base near Latakia. Some 500 Russian personnel, "
                 "most of them naval infantry, are now at the base.", "en")
    assert ("SY", 500, "arrived") in [(r[1], r[2], r[3]) for r in rows]
    assert _rows("The surge began in January. About 132,000 U.S. troops are in Iraq now.", "en") == []


def test_an_elliptical_second_figure_shares_the_verbs_tense_and_the_rest_of_a_country_is_a_place():
    rows = _rows("L'état-major a précisé que 6 000 de ces militaires seront engagés en Bretagne et quelque "
                 "4\u202f000 dans le reste de la France.", "fr")
    assert [(r[1], r[2], r[3]) for r in rows] == [("FR", 6000, "announced"), ("FR", 4000, "announced")]


@pytest.mark.parametrize("text, lang", [
    ("Rwanda sent troops to the Central African Republic. France, which keeps about 300 soldiers in the country, "
     "sent two Mirage 2000 fighter jets from Chad on a show-of-force flight.", "en"),
])
def test_troops_a_force_keeps_somewhere_are_no_move(text, lang):
    assert all(r[2] != 300 for r in _rows(text, lang))
