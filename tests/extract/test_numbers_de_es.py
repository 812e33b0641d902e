"""The numbers stage in German and Spanish, on the real pipelines (extract/models.py): German is read
without a tagger or parser, Spanish with es_core_news_sm. Rule words: extract/rules/numbers_de.json,
numbers_es.json."""
from __future__ import annotations

import pytest

from extract.numbers import is_casualty, parse_number
from reading_helpers import headcounts, only, values

NBSP, NNBSP = "\u00a0", "\u202f"


# ---------------------------------------------------------------- parse_number

@pytest.mark.parametrize("text, lang, value", [
    ("5.000", "de", 5000),
    ("1 200", "de", 1200),
    (f"1{NBSP}200", "de", 1200),
    (f"3{NNBSP}000", "de", 3000),
    ("dreitausend", "de", 3000),
    ("zweihundertfünfzig", "de", 250),
    ("tausend", "de", 1000),
    ("rund 4.800", "de", 4800),
    ("etwa 300", "de", 300),
    ("2,5 Millionen", "de", 2500000),
    ("Tausende", "de", None),
    ("22 400", "es", 22400),
    ("3,010", "es", 3010),
    ("10.500", "es", 10500),
    ("mil", "es", 1000),
    ("dos mil quinientos", "es", 2500),
    ("ciento cincuenta", "es", 150),
    ("6 mil", "es", 6000),
    ("un millar", "es", 1000),
    ("un centenar", "es", 100),
    ("medio centenar", "es", 50),
    ("unos 370", "es", 370),
    ("cientos", "es", None),
    ("miles", "es", None),
])
def test_parse_number_reads_german_and_spanish_figures(text, lang, value):
    assert parse_number(text, lang) == value


# ------------------------------------------------------------- German

@pytest.mark.parametrize("text, value, noun, qualifier", [
    ("Die Bundeswehr verlegt rund 5.000 Soldaten nach Litauen.", 5000, "Soldaten", "approximate"),
    ("Die Nato verlegt 1 200 Soldaten nach Polen.", 1200, "Soldaten", "exact"),
    (f"Die Nato verlegt 1{NBSP}200 Soldaten nach Polen.", 1200, "Soldaten", "exact"),
    (f"Österreich schickt 3{NNBSP}000 Soldatinnen und Soldaten in den Kosovo.", 3000,
     "Soldatinnen und Soldaten", "exact"),
    ("Dreitausend Fallschirmjäger landeten in Rumänien.", 3000, "Fallschirmjäger", "exact"),
    ("Zweihundertfünfzig Gebirgsjäger wurden nach Bosnien verlegt.", 250, "Gebirgsjäger", "exact"),
    ("Rund tausend Kämpfer der Wagner-Gruppe kamen nach Mali.", 1000, "Kämpfer", "approximate"),
    ("Etwa 380 Blauhelme kehren von den Golanhöhen heim.", 380, "Blauhelme", "approximate"),
    ("Knapp 900 Einsatzkräfte halfen in Passau.", 900, "Einsatzkräfte", "approximate"),
    ("Mehr als 600 Soldaten erreichten den Deich.", 600, "Soldaten", "at least"),
    ("Der Bundestag erlaubt bis zu 700 Bundeswehrangehörige im Irak.", 700, "Bundeswehrangehörige", "at most"),
    ("In Deutschland sind etwa 35.000 US-Soldaten stationiert.", 35000, "US-Soldaten", "approximate"),
    ("Nach Rukla kamen 450 Nato-Soldaten.", 450, "Nato-Soldaten", "exact"),
    ("Insgesamt 140 Bundeswehrsoldaten flogen nach Phnom Penh.", 140, "Bundeswehrsoldaten", "exact"),
    ("Nigeria schickt ein Kontingent von etwa 150 Mann nach Darfur.", 150, "Mann", "approximate"),
    ("Im Kosovo arbeiten 2.900 Angehörige der Streitkräfte.", 2900, "Angehörige", "exact"),
])
def test_german_figures_with_personnel_nouns(nlp, text, value, noun, qualifier):
    found = only(nlp, "de", text)
    assert (found.value, found.noun, found.qualifier) == (value, noun, qualifier)


def test_german_range_and_further_troops(nlp):
    found = only(nlp, "de", "Zwischen 300 und 400 US-Soldaten sollen nach Rumänien verlegt werden.")
    assert (found.value, found.high, found.qualifier) == (300, 400, "range")
    found = headcounts(nlp, "de", "Die Bundeswehr hat 200 Soldaten geschickt. Weitere 200 folgen am Freitag.")
    assert [h.value for h in found] == [200, 200]
    assert found[1].increment and found[1].text == "Weitere 200"


def test_german_participle_between_number_and_noun(nlp):
    # "1000 in Deutschland stationierte Soldaten": the figure counts the soldiers after the attribute.
    found = only(nlp, "de", "Die USA schicken rund 1000 in Deutschland stationierte Soldaten nach Rumänien.")
    assert (found.value, found.noun) == (1000, "Soldaten")
    found = only(nlp, "de", "Drei im Hauptquartier in Bagdad tätige Soldaten wurden nach Kuwait verlegt.")
    assert (found.value, found.noun) == (3, "Soldaten")


def test_german_number_ending_a_sentence_and_ordinals(nlp):
    # The German tokenizer keeps the full stop on "150."; ordinals ("82.", "17.") are no figures.
    text = ("Armenien schickt etwa 100 Soldaten, Kirgistan 150. Auch Belarus beteiligt sich. "
            "Die 82. Luftlandedivision landete am 17. Dezember mit 1700 Fallschirmjägern.")
    assert values(nlp, "de", text) == [100, 150, 1700]


def test_german_bare_figures_in_a_list_about_troops(nlp):
    text = ("Die Truppe schickte 200 Soldaten nach Leverkusen, rund 100 in den Landkreis Ahrweiler "
            "und 40 mit zwölf Booten nach Trier.")
    assert values(nlp, "de", text) == [200, 100, 40]


@pytest.mark.parametrize("text", [
    "Im Jahr 2022 beschloss der Bundestag das Mandat.",
    "Das Mandat kostet 300 Millionen Euro.",
    "Die Kolonne fuhr 200 Kilometer bis zur Grenze.",
    "Die Bundeswehr liefert 40 Panzer und 12 Haubitzen.",
    "Die Soldaten landeten um 14 Uhr, nach 39 Jahren endet der Einsatz.",
    "Die Bundeswehr sucht 1.500 Fachkräfte und 300 Arbeitskräfte.",
    "Die Soldaten erreichen Sie unter Telefon 04631 666.",
    "Die Soldaten marschierten 300 m weit und trugen 25 kg Gepäck.",
])
def test_german_years_money_distances_equipment_are_not_headcounts(nlp, text):
    assert headcounts(nlp, "de", text) == []


def test_german_casualties_are_marked(nlp):
    found = headcounts(nlp, "de", "Bei dem Anschlag gab es 20 Tote und 35 Verletzte unter den Soldaten.")
    assert [(h.value, is_casualty(h, "de")) for h in found] == [(20, True), (35, True)]
    found = only(nlp, "de", "Seit 2002 sind in Afghanistan 59 Bundeswehrsoldaten ums Leben gekommen.")
    assert found.value == 59 and is_casualty(found, "de")
    found = only(nlp, "de", "Die Bundeswehr verlegt 59 Bundeswehrsoldaten nach Mali.")
    assert not is_casualty(found, "de")


# ------------------------------------------------------------- Spanish

@pytest.mark.parametrize("text, value, noun, qualifier", [
    ("España enviará unos 5.000 soldados a Letonia.", 5000, "soldados", "approximate"),
    ("La OTAN desplegará 1 200 militares en Rumanía.", 1200, "militares", "exact"),
    (f"Llegaron 22{NBSP}400 efectivos a Valencia.", 22400, "efectivos", "exact"),
    ("Baja California recibe 3,010 efectivos.", 3010, "efectivos", "exact"),
    ("Mil legionarios llegaron a Mali.", 1000, "legionarios", "exact"),
    ("Dos mil quinientos cascos azules llegaron al Líbano.", 2500, "cascos azules", "exact"),
    ("Un millar de infantes de marina desembarcó en Haití.", 1000, "infantes de marina", "approximate"),
    ("Con ellos salió el medio centenar de militares que protegía la puerta.", 50, "militares", "approximate"),
    ("Alrededor de 300 guardias civiles fueron enviados a Ceuta.", 300, "guardias civiles", "approximate"),
    ("Cerca de 400 tropas cruzaron la frontera.", 400, "tropas", "approximate"),
    ("Más de 80 militares han llegado a Lielvārde.", 80, "militares", "at least"),
    ("El Gobierno autorizó hasta 1.300 soldados para Haití.", 1300, "soldados", "at most"),
    ("La Guardia Nacional envía 6 mil elementos a la frontera.", 6000, "elementos", "exact"),
    ("Honduras anunció que sus unos 370 soldados volverían a casa.", 370, "soldados", "approximate"),
    ("Sudáfrica autorizó el empleo de 1.495 miembros de las fuerzas armadas.", 1495, "miembros", "exact"),
])
def test_spanish_figures_with_personnel_nouns(nlp, text, value, noun, qualifier):
    found = only(nlp, "es", text)
    assert (found.value, found.noun, found.qualifier) == (value, noun, qualifier)


def test_spanish_range_and_other_troops(nlp):
    found = only(nlp, "es", "Entre 3.500 y 4.000 paracaidistas saldrán de Fort Bragg hacia Kuwait.")
    assert (found.value, found.high, found.qualifier) == (3500, 4000, "range")
    found = headcounts(nlp, "es", "España envió 200 militares a Irak. Otros 500 llegarán la semana próxima.")
    assert [h.value for h in found] == [200, 500]
    assert found[1].increment


def test_spanish_vague_figures_have_no_value(nlp):
    found = only(nlp, "es", "Cientos de soldados llegaron a la frontera.")
    assert found.value is None and found.qualifier == "approximate"


def test_spanish_demonyms_and_mexican_thousands(nlp):
    text = ("Unos 380 salvadoreños y un centenar largo de nicaragüenses llegaron a Irak con las tropas "
            "de la coalición.")
    found = headcounts(nlp, "es", text)
    assert [(h.value, h.qualifier) for h in found] == [(380, "approximate"), (100, "at least")]
    assert values(nlp, "es", "En total, 3 mil 107 militares se dirigieron a la sierra.") == [3107]
    assert values(nlp, "es", "El Ejército salió por carretera con mil 334 efectivos.") == [1334]


def test_spanish_tally_without_a_noun(nlp):
    text = "Baja California recibe 3,010 efectivos. Chihuahua, 2,620. Sonora, 1,987."
    assert values(nlp, "es", text) == [3010, 2620, 1987]


@pytest.mark.parametrize("text", [
    "En 2022 el Gobierno aprobó la misión.",
    "El despliegue costó 300 millones de euros.",
    "El capítulo de personal asciende a 5.160 millones.",
    "Los soldados recorrieron 200 kilómetros con 40 tanques.",
    "La misión expira el 31 de diciembre y los soldados esperan 72 horas.",
    "La frontera recibe a 500 ciudadanos desplazados.",
    "Las tropas llegaron a 200 km de la frontera.",
    "El Ejército gastó 300 mdd en las tropas.",
])
def test_spanish_years_money_distances_equipment_are_not_headcounts(nlp, text):
    assert headcounts(nlp, "es", text) == []


def test_spanish_casualties_are_marked(nlp):
    found = headcounts(nlp, "es", "El ataque dejó 20 muertos y 35 heridos entre los soldados; hubo 12 bajas.")
    assert [(h.value, is_casualty(h, "es")) for h in found] == [(20, True), (35, True), (12, True)]
    found = only(nlp, "es", "Quince soldados quedaron heridos en el ataque.")
    assert found.value == 15 and is_casualty(found, "es")
    found = only(nlp, "es", "España envía 150 soldados a Letonia.")
    assert not is_casualty(found, "es")


def test_one_token_ranges_and_strengths(nlp):
    found = only(nlp, "es", "Llegaron 300-400 soldados a Kabul.")
    assert (found.value, found.high, found.qualifier) == (300, 400, "range")
    found = only(nlp, "de", "Nach Bosnien kamen 1.500–2.000 Soldaten.")
    assert (found.value, found.high) == (1500, 2000)
    assert values(nlp, "de", "Die Bundeswehr entsendet eine 150-köpfige Einheit nach Mali.") == [150]
    assert values(nlp, "de", "Ein 300-Mann-Kontingent der Bundeswehr zieht nach Gao.") == [300]
    assert headcounts(nlp, "es", "La guerra civil duró de 2002-2015 en el país.") == []


def test_german_unit_numbers_and_quoted_figures(nlp):
    # "Panzergrenadierbataillon 212" names a unit; the verb after it does not lead to the next figure's noun.
    assert values(nlp, "de", "Das Panzergrenadierbataillon 212 verlegt 300 Soldaten nach Litauen.") == [300]
    found = only(nlp, "de", 'Minsk nennt als Zielgröße „etwas weniger als 9.000" russische Soldaten.')
    assert (found.value, found.noun) == (9000, "Soldaten")
