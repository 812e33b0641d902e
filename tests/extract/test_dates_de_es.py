"""Dates in German and Spanish sentences, resolved against an article's publication date.

Sentences are in the style of the training corpus (dpa, APA, Bundeswehr releases; EFE, Spanish
ministry releases and Latin American papers)."""
from __future__ import annotations

import pytest

from extract.dates import find_dates, resolve_date


@pytest.mark.parametrize("text, published, expected", [
    # Absolute dates: the ordinal's full stop, datelines, numeric dates, Austrian month names.
    ("Die Bundesministerin hatte die Verstärkung am 7. Februar angekündigt.", "2022-02-14", "2022-02-07"),
    ("Berlin, 14. Februar 2022. Die ersten Soldatinnen und Soldaten sind eingetroffen.", None, "2022-02-14"),
    ("Freitag, 27. August 2021 – alle Zeiten MESZ, neueste Einträge oben", None, "2021-08-27"),
    ("Bern, 19.09.2022 – Die armasuisse hat die Verträge unterzeichnet.", None, "2022-09-19"),
    ("Im Jänner 2020 wurde das Kontingent verstärkt.", None, "2020-01"),
    ("Die Sicherheitslage hat sich seit dem 24. Februar grundlegend verändert.", "2022-09-19", "2022-02-24"),
    ("Die Milizsoldaten sollen ab 18. Mai die Grundwehrdiener ablösen.", "2020-05-04", "2020-05-18"),
    # Weekdays, with the time of day written into them, and the words that move them.
    ("Die ersten Soldaten sind am Montag in Wilna gelandet.", "2024-04-08", "2024-04-08"),
    ("Der Bundestag hatte am Freitag der Beteiligung zugestimmt.", "1999-06-13", "1999-06-11"),
    ("Die Soldaten landeten am Mittwochabend auf dem Fliegerhorst Wunstorf.", "2021-06-30", "2021-06-30"),
    ("Um halb neun am Freitagmorgen rollten die ersten Kleinbusse auf den Parkplatz.", "2020-06-20", "2020-06-19"),
    ("Die Truppen trafen am Sonnabend in Rukla ein.", "2022-02-14", "2022-02-12"),
    ("Museveni hatte die Soldaten am vergangenen Donnerstag verabschiedet.", "2007-03-06", "2007-03-01"),
    ("Die Minister waren am Dienstag vergangener Woche in Harare zusammengekommen.", "1998-08-24", "1998-08-18"),
    ("Für kommenden Samstag ist eine Begrüßungszeremonie geplant.", "2017-01-09", "2017-01-14"),
    # Relative words.
    ("Die Evakuierungsoperation ist seit gestern Abend abgeschlossen.", "2023-04-26", "2023-04-25"),
    ("Die Rückverlegung nach Deutschland hat heute begonnen.", "2023-04-26", "2023-04-26"),
    ("Westliche Dienste rechneten vergangene Woche mit einem Angriff.", "2008-06-06", "2008-05-30"),
    ("Dort brachen in der vergangenen Woche die Deiche.", "1997-07-31", "1997-07-24"),
    ("Die ersten Soldaten könnten schon kommende Woche in Wien landen.", "2013-06-06", "2013-06-13"),
    ("Die letzten Rückkehrer landen am Wochenende in Zürich.", "2023-10-12", "2023-10-14"),
    # A month without a day, after a word that makes it a date.
    ("Bereits Ende Januar hatte Austin rund 8500 Soldaten in Bereitschaft versetzt.", "2022-02-02", "2022-01"),
    ("Die Vereinbarung wurde im Dezember in Wilna unterzeichnet.", "2024-04-08", "2023-12"),
    ("Zurück in Kiel werden die Boote Anfang März erwartet.", "2009-11-02", "2010-03"),
    ("Kabila war im Mai vergangenen Jahres an die Macht gekommen.", "1998-08-24", "1997-05"),
])
def test_german(text, published, expected):
    assert resolve_date(text, "de", published) == expected


@pytest.mark.parametrize("text, published, expected", [
    # Absolute dates with "de", datelines and headers.
    ("España asumirá el 1 de julio de 2024 el mando del grupo de combate.", None, "2024-07-01"),
    ("Madrid, 12 de febrero de 2022", None, "2022-02-12"),
    ("Martes, 22 de marzo de 2011", None, "2011-03-22"),
    ("La resolución fue aprobada el 3 de febrero.", "2022-03-01", "2022-02-03"),
    ("Señora ministra, el pasado 13 de mayo se arrió en Kabul la bandera española.", "2021-05-26", "2021-05-13"),
    ("Los desplazados se cuentan desde el 16 de enero.", "2025-03-05", "2025-01-16"),
    ("Los primeros llegaron el 1.º de abril de 2013.", None, "2013-04-01"),
    # Weekdays: "este" is this week's, "pasado" before or after moves it back.
    ("Los 560 militares desembarcaron este viernes en la playa, al sur de Tiro.", "2006-09-15", "2006-09-15"),
    ("Seis soldados murieron ahogados este domingo en el río Ilave.", "2023-03-06", "2023-03-05"),
    ("El martes aterrizaron en Gulu los primeros 31 soldados.", "2017-04-20", "2017-04-18"),
    ("El estado de excepción, decretado el pasado jueves, permite movilizar a las Fuerzas Armadas.",
     "2019-10-08", "2019-10-03"),
    ("El contingente partió el martes pasado hacia Letonia.", "2023-06-23", "2023-06-20"),
    ("El relevo llegará el próximo lunes a Bamako.", "2023-06-23", "2023-06-26"),
    # Relative words.
    ("El Consejo de Ministros aprobó ayer el envío a Irak de unos 1.300 militares.", "2003-07-12", "2003-07-11"),
    ("La Secretaría de la Defensa Nacional informó anoche que ha desplegado 8 mil elementos.",
     "2023-10-26", "2023-10-25"),
    ("España tiene hoy alrededor de 3.500 militares desplegados.", "2025-01-15", "2025-01-15"),
    ("La ministra Carme Chacón ha anunciado esta mañana la retirada.", "2009-03-19", "2009-03-19"),
    ("Un equipo de 24 militares llegó la semana pasada a Beirut.", "2006-09-07", "2006-08-31"),
    ("Y la próxima semana saldrán los cerca de 2.000 desplegados en Lubumbashi.", "2002-09-13", "2002-09-20"),
    ("Partió el fin de semana el último grupo de la Fuerza de Tarea.", "2023-09-04", "2023-09-02"),
    # A month without a day.
    ("A finales de octubre una brigada de la Legión relevará a esta primera fuerza.", "2006-09-15", "2006-10"),
    ("Desde mediados de marzo se encuentran desplegados 608 militares.", "2024-05-08", "2024-03"),
    ("Los militares franceses están desplegados desde el pasado septiembre.", "2003-01-18", "2002-09"),
    ("La operación comenzó en mayo del año pasado.", "2022-03-01", "2021-05"),
    ("Chile desplegó a sus militares en su frontera norte en febrero.", "2023-04-26", "2023-02"),
])
def test_spanish(text, published, expected):
    assert resolve_date(text, "es", published) == expected


@pytest.mark.parametrize("text, lang", [
    ("Die Rückholung soll zwei bis vier Wochen dauern.", "de"),
    ("Sie sollen zunächst sechs Monate bleiben.", "de"),
    ("Der Brigade wird das Panzerbataillon 203 aus Augustdorf unterstellt.", "de"),
    ("Es la parte mexicana del acuerdo para congelar un mes los aranceles del 25 %.", "es"),
    ("Las fragatas navegan por el mar Rojo con 200 marinos a bordo.", "es"),   # "mar" is the sea
    ("Los soldados patrullan de la mañana a la noche.", "es"),
])
def test_no_date(text, lang):
    assert find_dates(text, lang, "2023-05-10") == []


def test_relative_dates_need_the_publication_date():
    assert resolve_date("Die ersten Soldaten sind am Montag gelandet.", "de", None) is None
    assert resolve_date("Los militares llegaron ayer a Bamako.", "es", None) is None


def test_a_figure_after_a_month_is_not_its_day():
    """'im Mai 5.000 Soldaten' is May, and 5,000 soldiers, not the fifth of May."""
    text = "Die Bundeswehr hat im Mai 5.000 Soldaten nach Litauen verlegt."
    assert [(text[s:e], iso) for s, e, iso in find_dates(text, "de", "2024-07-01")] == [("Mai", "2024-05")]


def test_spanish_weekday_with_the_day_of_the_month():
    text = "Entre este lunes y el domingo 17, unos 600 militares volarán a Letonia."
    assert [(text[s:e], iso) for s, e, iso in find_dates(text, "es", "2023-12-11")] == [
        ("lunes", "2023-12-11"), ("domingo 17", "2023-12-17")]


def test_german_live_blog_headers_are_dates():
    text = "Samstag, 17. August 2002\n...\nFreitag, 16. August\n22.40 Uhr: Krankenhäuser werden geräumt."
    assert [iso for _s, _e, iso in find_dates(text, "de", "2002-08-17")] == ["2002-08-17", "2002-08-16"]
