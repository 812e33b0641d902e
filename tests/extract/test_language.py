"""Language detection: English and French are recognised even in headlines; other
languages are named so the caller can warn that they were read as English."""
from __future__ import annotations

import pytest

from extract.language import LanguageGuess, detect_language


@pytest.mark.parametrize("text", [
    "Britain to double its troops in Estonia",
    "Pentagon orders 3,000 more troops to Poland",
    "The United States responded on Wednesday by ordering some 2,000 troops from Fort Bragg, "
    "N.C., to Poland and Germany. It also said about 1,000 soldiers of a Stryker squadron would "
    "move from their base in Vilseck, Germany, to Romania.",
    # Mostly English with a French quotation: still English.
    "The French defence ministry said that « la France prendra toute sa part » in the "
    "deployment, and that 500 soldiers would leave for Romania on Monday.",
])
def test_english(text):
    guess = detect_language(text)
    assert (guess.lang, guess.supported) == ("en", True)


@pytest.mark.parametrize("text", [
    "Otan : le Canada va plus que doubler sa présence militaire en Lettonie",
    "Les chasseurs alpins d'Annecy en route pour la Roumanie",
    "Sur les quelque 1\u00a0200 chasseurs que compte le bataillon, seuls 250 partent cette fois. "
    "L'unité était en alerte depuis plusieurs semaines au titre de l'échelon national d'urgence.",
    # French with English unit names.
    "Un millier de soldats de la 101st Airborne Division sont arrivés en Roumanie, a indiqué "
    "le Pentagone, qui parle d'une mission de dissuasion.",
])
def test_french(text):
    guess = detect_language(text)
    assert (guess.lang, guess.supported) == ("fr", True)


@pytest.mark.parametrize("lang, text", [
    ("de", "Die Bundeswehr verlegt weitere 350 Soldaten nach Litauen, teilte das "
           "Verteidigungsministerium am Montag mit. Die Truppen sollen die Nato-Ostflanke stärken."),
    ("es", "España enviará 150 soldados a Rumanía y dos buques a la región del mar Negro, según "
           "anunció el Gobierno el martes. Los militares se unirán a las fuerzas de la OTAN."),
    ("it", "L'Italia invierà altri 1.000 soldati in Romania e in Ungheria nell'ambito della "
           "missione della Nato, ha annunciato il ministro della Difesa."),
    ("pt", "Portugal vai enviar 174 militares para a Roménia no âmbito da missão da NATO, anunciou "
           "o ministro da Defesa. Os soldados partem em março."),
    ("nl", "Nederland stuurt tweehonderd militairen naar Litouwen om de oostflank van de NAVO te "
           "versterken, heeft het ministerie van Defensie dinsdag bekendgemaakt."),
    ("pl", "Stany Zjednoczone wyślą do Polski dodatkowe 1700 żołnierzy, poinformował w środę "
           "Pentagon. Żołnierze trafią do bazy w Rzeszowie."),
    ("ru", "Россия перебросила около 30 тысяч военнослужащих в Белоруссию для участия в "
           "совместных учениях, заявил генеральный секретарь НАТО."),
    ("uk", "Україна отримала нові партії зброї від партнерів, а до кордону було перекинуто "
           "додаткові підрозділи, повідомили у Міністерстві оборони."),
    ("ar", "أعلنت وزارة الدفاع الأمريكية أنها سترسل ثلاثة آلاف جندي إضافي إلى بولندا ورومانيا "
           "لتعزيز الجناح الشرقي لحلف شمال الأطلسي."),
    ("el", "Η Ελλάδα στέλνει στρατιώτες στη Βουλγαρία στο πλαίσιο της αποστολής του ΝΑΤΟ."),
])
def test_other_languages_are_named_and_only_four_are_supported(lang, text):
    guess = detect_language(text)
    assert (guess.lang, guess.supported) == (lang, lang in ("de", "es"))
    assert guess.confidence > 0.5


def test_every_dev_article_is_recognised_with_high_confidence(eval_dir):
    for path in sorted((eval_dir / "dev").glob("*.txt")):
        guess = detect_language(path.read_text(encoding="utf-8"))
        assert guess.lang == path.name[:2], path.name
        assert guess.confidence >= 0.85, (path.name, guess)


def test_a_headline_is_less_certain_than_an_article(eval_dir):
    article = (eval_dir / "dev" / "fr-08.txt").read_text(encoding="utf-8")
    headline = article.split("\n", 1)[0]
    assert detect_language(headline).lang == "fr"
    assert detect_language(headline).confidence < detect_language(article).confidence


@pytest.mark.parametrize("text", ["", "   ", "2,000 3,000 1 500", "—"])
def test_nothing_to_go_on_means_english_with_no_confidence(text):
    assert detect_language(text) == LanguageGuess("en", 0.0, True)


def test_names_only_are_a_weak_english_guess():
    guess = detect_language("Fort Bragg Poland Germany Romania")
    assert guess.lang == "en" and guess.confidence < 0.3
