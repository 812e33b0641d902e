"""Places stage: find the places a sentence names and the role the wording gives them.

A mention comes from the gazetteer (countries, regions, states and installations, matched
by a spaCy ``PhraseMatcher``) or from the model's entities (cities and anything else),
and is resolved with :func:`extract.geo.resolve`. Its *cue* is read from the words
before it: "from Fort Bragg" is an origin, "vers la Roumanie" a destination,
"in Kuwait" a plain location, "near Brest" a landmark that is neither.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Optional

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from extract import geo
from extract.models import TOKENIZER_ONLY
from extract.numbers import QUOTE_MARKS
from extract.rules import load_rules

# Roles a mention can take; "home" is where troops are based, which reads as an origin.
ORIGIN, DESTINATION, LOCATION, HOME, NEAR = "origin", "destination", "location", "home", "near"

ENTITY_LABELS = {"GPE", "LOC", "FAC"}
NOT_PLACES = {"DATE", "TIME", "NORP", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL"}  # 'on Thursday' 
DISTANCE_UNITS = {"km", "kilometres", "kilometers", "kilomètres", "miles", "mi", "metres", "mètres"}

# Words that continue a list of places: "to Poland and Germany", "en Pologne, en Allemagne et en Roumanie".
LIST_WORDS = {"and", "or", "et", "ou", "as", "well", "then", "puis", "en", "au", "aux", "à", "to", "in", "the",
              "de", "d'", "d’", "du", "of"}
# Words of "in north-eastern Poland", "dans le nord-est de la Pologne": the place is still a qualifier.
COMPASS_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                 "north-eastern", "north-western", "south-eastern", "south-western", "northeastern", "northwestern",
                 "southeastern", "southwestern", "-", "the", "nord", "sud", "est", "ouest", "centre", "nord-est",
                 "nord-ouest", "sud-est", "sud-ouest", "le", "la", "l'", "l’", "de", "du", "d'", "d’"}
MAX_CUE_DISTANCE = 7  # tokens between a preposition and the place name it governs


@dataclass(frozen=True)
class PlaceMention:
    start: int              # character offsets in doc.text
    end: int
    token_start: int
    token_end: int
    text: str
    place: geo.Place
    cue: Optional[str]      # ORIGIN, DESTINATION, LOCATION, HOME, NEAR or None
    cue_word: Optional[str]


def unnamed(place: geo.Place) -> PlaceMention:
    """A place the text implies but does not name (the force's own country, "le pays"): no offsets,
    no words, no cue."""
    return PlaceMention(start=-1, end=-1, token_start=-1, token_end=-1, text="", place=place, cue=None, cue_word=None)


@functools.lru_cache(maxsize=None)
def _phrase_matcher(nlp: Language, lang: str) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    forms = {form for form, _kind in geo.surface_forms(lang=lang) if len(form) > 2 or form.isupper()}
    matcher.add("PLACE", list(nlp.tokenizer.pipe(sorted(forms))))
    return matcher


def _strip_article(span: Span, rules: dict) -> Span:
    """'the Baltic states' -> 'Baltic states', "l'Allemagne" stays one name after the article token."""
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in rules["articles"]:
        start += 1
    return span.doc[start:span.end]


def _candidate_spans(doc: Doc, nlp: Language, lang: str, rules: dict) -> list[Span]:
    spans = [doc[s:e] for _m, s, e in _phrase_matcher(nlp, lang)(doc)]
    if rules.get("part_spans"):
        # German and Spanish match the English list of regions too: a lone lower-case word there is a
        # common noun ("misiones aliadas", "centro"), not the province of that name.
        spans = [span for span in spans if not (len(span) == 1 and span[0].is_lower)]
    spans += [_strip_article(ent, rules) for ent in doc.ents if ent.label_ in ENTITY_LABELS]
    spans += _names_after_prepositions(doc, rules)
    if lang == "de":
        spans += _unknown_capitalised_words(doc, rules)
    spans = [_with_state_abbreviation(_without_leading_common_words(span, rules)) for span in spans]
    if rules.get("part_spans"):
        spans = [_with_compass_part(span, rules) for span in spans]
    # Longest first, gazetteer matches before entities of the same length; no overlaps.
    spans.sort(key=lambda s: (-(s.end - s.start), s.start))
    taken: set[int] = set()
    kept = []
    for span in spans:
        if any(i in taken for i in range(span.start, span.end)):
            continue
        taken.update(range(span.start, span.end))
        kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def _without_leading_common_words(span: Span, rules: dict) -> Span:
    """"am Montag Kabul": a word that names no place opens no name (here "Montag Kabul" resolved to
    Montague, Massachusetts)."""
    start = span.start
    while span.end - start > 1 and span.doc[start].is_title and _common_word_not_opener(span.doc[start].lower_, rules):
        start += 1
    return span.doc[start:span.end]


def _common_word_not_opener(word: str, rules: dict) -> bool:
    """A word that names no place and opens no name: "Base Naval de Rota", "Norte de Malí" are names."""
    return word in rules.get("not_place_words", ()) and not (
        word in rules["place_heads"] or word in rules["region_nouns"] or word in rules["compass_words"])


def _with_compass_part(span: Span, rules: dict) -> Span:
    """German and Spanish name a part of a country before it: "im Norden des Kosovo", "el norte de
    Malí". The part and the country are one place (the gazetteer reads "norte de Malí")."""
    doc = span.doc
    i = span.start - 1
    while i >= 0 and (doc[i].lower_ in rules["articles"] or doc[i].lower_ in rules["part_links"]):
        i -= 1
    if 0 <= i < span.start - 1 and doc[i].lower_ in rules["compass_words"] and not doc[i + 1].is_sent_start:
        return doc[i:span.end]
    return span


GERMAN_TOWN_LINKS = (("am",), ("an", "der"), ("im",), ("in", "der"), ("ob", "der"), ("an", "den"))


def _with_german_town_suffix(doc: Doc, start: int, end: int) -> int:
    """'Landsberg am Lech', 'Frankfurt am Main', 'Neumarkt in der Oberpfalz': one town's name, where
    'Landsberg' alone is another town's old name."""
    for link in GERMAN_TOWN_LINKS:
        after = end + len(link)
        if after < len(doc) and tuple(t.lower_ for t in doc[end:after]) == link and doc[after].text[:1].isupper():
            longer = geo.resolve(doc[start:after + 1].text, lang="de")
            if longer is not None and longer.kind == "city" \
                    and geo.normalize(longer.name).startswith(geo.normalize(doc[start].text)):
                return after + 1
    return end


def _without_german_noun_tail(doc: Doc, start: int, end: int) -> int:
    """German capitalises nouns: in "in Niamey Dienst tun" the name ends before "Dienst", a word of the
    dictionary that names no place, when what comes before it is a place already."""
    while end - start > 1 and _known_german_word(doc[end - 1].text) \
            and geo.resolve(doc[end - 1].text, lang="de") is None \
            and geo.resolve(doc[start:end - 1].text, lang="de") is not None:
        end -= 1
    return end


@functools.lru_cache(maxsize=100_000)
def _known_german_word(word: str) -> bool:
    import simplemma  # the German lemmatiser's dictionary (extract/models.py)
    return simplemma.is_known(word, lang="de")


def _unknown_capitalised_words(doc: Doc, rules: dict) -> list[Span]:
    """German has no entity model here and capitalises every noun: a capitalised word its dictionary
    does not know ("Niamey", "Rukla", "Augustdorf") is a name the gazetteer may know."""
    spans = []
    i = 0
    while i < len(doc):
        token = doc[i]
        last_part = token.text.rsplit("-", 1)[-1]
        if _is_name_word(token, rules) and len(token.text) >= 3 and not token.like_num \
                and not _known_german_word(token.text) and token.lower_ not in rules.get("not_place_words", ()) \
                and token.lemma_ == token.text \
                and not ("-" in token.text and last_part[:1].isupper() and _known_german_word(last_part)):
            # not an inflected noun ("Stränden") nor a compound of one ("Corona-Einsatz")
            end = i + 1
            while end < len(doc) and end - i < 4 and not doc[end].is_sent_start and (
                    _is_name_word(doc[end], rules) and not doc[end].is_punct or (
                        doc[end].text == "-" and end + 1 < len(doc) and _is_name_word(doc[end + 1], rules))):
                end += 1
            while end > i + 1 and not _is_name_word(doc[end - 1], rules):
                end -= 1
            end = _with_german_town_suffix(doc, i, _without_german_noun_tail(doc, i, end))
            spans.append(doc[i:end])
            i = end
        else:
            i += 1
    return spans


STATE_ABBREVIATION = re.compile(r"^(?:[A-Z]\.){2,3}$|^[A-Z][a-z]{1,4}\.$")  # "N.C.", "Ga.", "Calif."


def _with_state_abbreviation(span: Span) -> Span:
    """'Fort Benning, Ga.' is one name: the gazetteer reads the abbreviation as a qualifier,
    where alone 'Kan.' or 'Ga.' could match a town on another continent."""
    doc = span.doc
    if span.end + 1 < len(doc) and doc[span.end].text == "," and STATE_ABBREVIATION.match(doc[span.end + 1].text) \
            and doc[span.end + 1].text not in ("U.S.", "U.K.", "U.N.", "E.U."):  # "to Kuwait, U.S. officials said"
        return doc[span.start:span.end + 2]
    return span


def _names_after_prepositions(doc: Doc, rules: dict) -> list[Span]:
    """Capitalised names right after 'in', 'to', 'from', 'vers', 'à'...: the model sometimes tags
    'Darwin' or 'Vilnius' as a person or misses it; the gazetteer then decides."""
    # Not after a bare "de"/"of": "les mercenaires de Wagner" names a group, not a town.
    cue_words = (rules["origin_preps"] - rules["ambiguous_origin_preps"]) | rules["destination_preps"] \
        | rules["location_preps"] | rules.get("name_preps", frozenset())
    verbs = rules["origin_verbs"] | rules["destination_verbs"]  # "who left Edmonton", "reached Baghdad"
    spans = []
    for token in doc[:-1]:
        if token.lower_ not in cue_words and not (token.pos_ == "VERB" and token.lemma_.lower() in verbs):
            continue
        start = token.i + 1
        while start < len(doc) and (doc[start].lower_ in rules["articles"] or (
                rules.get("skip_adjectives_before_names") and doc[start].pos_ == "ADJ" and doc[start].is_lower)):
            start += 1  # "im tansanischen Chato": German adjectives are lower-case
        lead_words = rules.get("name_lead_words", ())
        while start + 1 < len(doc) and doc[start].lower_ in lead_words and doc[start + 1].is_title:
            start += 1  # "in Richtung Prizren", "in der Hauptstadt Bamako": the name is what follows
        end = start
        while end < len(doc) and end - start < 4 and (_is_name_word(doc[end], rules) or doc[end].text in ("-", "'", "’")) \
                and not doc[end].is_sent_start:
            end += 1
        if rules.get("skip_adjectives_before_names") and end > start:
            end = _with_german_town_suffix(doc, start, _without_german_noun_tail(doc, start, end))
        if end > start and _is_name_word(doc[end - 1], rules) and doc[start].ent_type_ not in NOT_PLACES:
            spans.append(doc[start:end])
    return spans


def _is_name_word(token, rules: dict) -> bool:
    """A word of a name: title case, or in German any capitalised word ("Masar-i-Scharif")."""
    if token.is_title:
        return True
    capitalised = token.text[:1].isupper() and any(ch.isalpha() for ch in token.text)
    return capitalised and bool(rules.get("skip_adjectives_before_names")
                                or rules.get("hyphenated_names") and "-" in token.text)  # "Mazar-i-Sharif"


def _extend_to_installation(span: Span, rules: dict) -> Span:
    """'the North Carolina base': a state name followed by 'base' names an installation."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].lower_ in rules["installation_nouns"]:
        return doc[span.start:span.end + 1]
    return span


def _cue(span: Span, rules: dict) -> tuple[Optional[str], Optional[str]]:
    """The role the words before a place give it, walking left over articles and place nouns."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.lower_ in ("-based", "based") or span[-1].lower_.endswith("-based"):
        return HOME, "based"
    i = span.start - 1
    steps = 0
    while i >= 0 and steps < MAX_CUE_DISTANCE:
        tok = doc[i]
        if doc[i + 1].is_sent_start or "\n" in tok.text:
            break  # the words before a sentence's first place belong to another sentence
        if tok.is_space:
            i -= 1  # a run of spaces ("vers   l'Allemagne") is no word
            continue
        low = tok.lower_
        two = f"{doc[i - 1].lower_} {low}" if i > 0 else low
        if two in rules["origin_preps"] or two in rules["destination_preps"] or two in rules["near_preps"] \
                or two in rules.get("dative_plural_preps", ()):
            low = two
            i -= 1
        if low in rules["near_preps"]:
            return NEAR, low
        if low in rules.get("dative_plural_preps", ()):
            # German "in den Irak" goes there, "in den USA" is there: the plural is a dative.
            plural = span[-1].lower_.endswith(tuple(rules["plural_place_endings"]))
            return (LOCATION, low) if plural else (DESTINATION, low)
        if low in rules["destination_preps"]:
            return DESTINATION, low
        if low in rules["origin_preps"] and not (tok.pos_ == "DET" and low == "des"):
            before = doc[i - 1] if i > 0 else None
            if before is not None and (before.lemma_.lower() in rules.get("approach_verbs", ())
                                       or before.lower_ in rules.get("approach_verbs", ())):
                return DESTINATION, f"{before.lower_} {low}"  # "rapprochés du flanc oriental"
            if low in rules["ambiguous_origin_preps"] and before is not None and before.lower_ in ("et", "ou") \
                    and i > 1 and doc[i - 2].pos_ == "PROPN":
                return None, None  # "les voïvodies de Podlachie et de Lublin": the list's first cue decides
            if before is not None and before.lemma_.lower() in rules["region_nouns"]:
                # "les voïvodies de Podlachie", "la base de Fort Bragg": the noun's own cue decides.
                i -= 1
                steps += 1
                continue
            if before is not None and before.lower_ in rules["compass_words"] and i > 2 \
                    and doc[i - 2].lower_ in rules["articles"] and doc[i - 3].lower_ not in ("à", "a"):
                i -= 2  # "dans l'est de la RDC" is part of it, not "à l'est de" it: read on to "dans"
                steps += 2
                continue
            particle = before is not None and before.dep_ in ("prt", "compound:prt")  # "taken off from"
            if before is not None and not particle and (
                    before.lower_ in rules["near_preps"] or before.lower_ in DISTANCE_UNITS):
                return NEAR, f"{before.lower_} {low}"  # "au sud de Mossoul", "60 miles from the border"
            if before is not None and (before.lower_ in rules["home_words"] or before.lemma_.lower() in rules["home_words"]):
                return HOME, f"{before.lower_} {low}"
            return ORIGIN, low
        if low in rules["location_preps"]:
            before = doc[i - 1] if i > 0 else None
            if before is not None and before.lower_ in ("et", "ou", "and", "or") and i > 1 and doc[i - 2].pos_ == "PROPN":
                return None, None  # "se trouvent à Szczecin et à Międzyrzecz": the list's first cue decides
            installation = _installation_before(doc, i, rules)
            if installation is not None:
                # "deployed to the Lithuanian base at Rukla", "from Air Base 101 in Niamey", "zum
                # Stützpunkt 201 in Agadez": the base noun's own preposition decides.
                outer, _word = _cue(doc[installation:installation + 1], rules)
                if outer in (DESTINATION, ORIGIN):
                    return (outer, _word) if outer == DESTINATION else (HOME, _word)
            if before is not None and (before.lower_ in rules["home_words"] or before.lemma_.lower() in rules["home_words"]):
                return HOME, f"{before.lower_} {low}"
            if _inside_from_phrase(doc, i, rules):
                return HOME, f"from ... {low}"  # "from the 82nd Airborne at Fort Bragg", "from a task force in Kuwait"
            return LOCATION, low
        if low in rules["list_introducers"]:
            # "in other NATO countries, including Italy and Belgium": the list's preposition.
            for j in range(i - 1, max(-1, i - 8), -1):
                word = doc[j].lower_
                if word in rules["destination_preps"]:
                    return DESTINATION, word
                if word in rules["location_preps"]:
                    return LOCATION, word
                if doc[j].pos_ in ("VERB", "AUX") or doc[j + 1].is_sent_start:
                    break
            return None, None
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "amod" and low not in rules["place_heads"]:
            lemma = tok.lemma_.lower()
            if lemma in ("be", "être") and i > 0 and doc[i - 1].lemma_.lower() in rules["home_words"]:
                return HOME, f"{doc[i - 1].lower_} {low}"  # "whose home is RM Condor", "leur base est Gao"
            if lemma in rules["origin_verbs"]:
                return ORIGIN, lemma
            if lemma in rules["destination_verbs"]:
                return DESTINATION, lemma
            if lemma in rules["home_words"]:
                return HOME, lemma
            return None, None
        if low in ("'s", "’s") and i > 0:
            i -= 2  # "from the kingdom's Eastern Province": skip the owner
            steps += 2
            continue
        skippable = (
            tok.pos_ in ("DET", "ADJ", "NUM", "PROPN") or low in rules["place_heads"] or tok.dep_ == "amod"
            or tok.lemma_.lower() in rules["region_nouns"]
            or tok.is_punct and low in ("'", "’", "-")
            or tok.text in QUOTE_MARKS  # "envoyer des renforts au « flanc oriental »": the word before the quote
        )
        if not skippable:
            return None, None
        i -= 1
        steps += 1
    return None, None


def _installation_before(doc: Doc, prep_index: int, rules: dict) -> Optional[int]:
    """The base noun a place's "in"/"at" hangs from, over a number or an adjective between them:
    "base at", "Air Base 101 in", "base aérienne 101 à", "Luftwaffenstützpunkt 101 in"."""
    # German names a base with a compound ("Luftwaffenstützpunkt"), and reads without a tagger.
    compounds = doc.lang_ in TOKENIZER_ONLY
    for j in range(prep_index - 1, max(-1, prep_index - 4), -1):
        token = doc[j]
        forms = (token.lower_, token.lemma_.lower())
        if token.pos_ in ("NOUN", "PROPN") and (
                any(form in rules["installation_nouns"] or form in rules["home_words"] for form in forms)
                or compounds and any(token.lower_.endswith(noun) for noun in rules["installation_nouns"])):
            return j
        if not (token.like_num or token.pos_ in ("ADJ", "PROPN") or token.dep_ == "amod"):
            return None
    return None


def _cue_from_verb_after(span: Span, rules: dict) -> tuple[Optional[str], Optional[str]]:
    """German puts the verb last: "haben Niger im September verlassen", "hatten Kabul erreicht",
    "von Tetovo aus": the words after a bare place name give its role."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].lower_ in rules.get("origin_postpositions", ()) and span.start > 0 \
            and doc[span.start - 1].lower_ in rules["origin_preps"]:
        return ORIGIN, f"{doc[span.start - 1].lower_} ... {doc[span.end].lower_}"  # "vom Standort X aus"
    for token in doc[span.end:min(len(doc), span.end + 8)]:
        if token.is_sent_start or token.text in (",", ";", ":") or token.lower_ in rules["clause_breaks"]:
            break
        role = _verb_role(token, rules)
        if role is not None:
            return role, token.lower_
    return None, None


def _verb_role(token, rules: dict) -> Optional[str]:
    """ORIGIN for a verb of leaving ("verließ"), DESTINATION for one of reaching ("erreichten")."""
    forms = (token.lemma_.lower(), token.lower_)
    if any(form in rules["origin_verbs"] for form in forms):
        return ORIGIN
    if any(form in rules["destination_verbs"] for form in forms):
        return DESTINATION
    return None


def _cue_from_verb_before(span: Span, rules: dict) -> tuple[Optional[str], Optional[str]]:
    """German main clauses put the verb second: "verließ eine Kolonne die Stadt Gori", "erreichten am
    Montag Kabul": a bare place's role comes from that verb, when no word after it gave one."""
    doc = span.doc
    for token in reversed(doc[max(0, span.start - 8):span.start]):
        if token.text in (",", ";", ":") or token.lower_ in rules["clause_breaks"]:
            break
        role = _verb_role(token, rules)
        if role is not None:
            return role, token.lower_
        if token.is_sent_start:
            break
    return None, None


def _attached_to_movement(span: Span, rules: dict) -> bool:
    """Does 'de X' hang from a movement word, the troops or their number? 'redéployés d'Allemagne'
    and 'envoyés de la base de Fort Bragg' do; 'les estimations de Séoul, de Washington' do not."""
    if span.doc.lang_ in TOKENIZER_ONLY or not span.doc.has_annotation("DEP"):
        # German, read without a parse: "vom Standort Augustdorf" counts in a sentence that moves troops.
        sentence = span.sent if span.doc.has_annotation("SENT_START") else span.doc
        return any(_is_movement_word(t, rules) for t in sentence)
    token = span.root
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head  # "de Washington et de Kiev": Kiev hangs from Washington
    head = token.head
    for _ in range(2):
        # "de leur garnison de Vilseck": the garrison's own head decides; so does the verb of
        # "décollé mardi matin de l'aérodrome", which the parser may hang from "matin".
        if (head.lemma_.lower() in rules["region_nouns"] or head.lower_ in rules["time_nouns"]) \
                and head.head.i != head.i:
            head = head.head
    if _is_movement_word(head, rules) or head.like_num:
        return True
    if head.lower_ in rules["personnel_words"] or head.lemma_.lower() in rules["personnel_words"]:
        return True
    # A light verb with a movement noun: "ont fait mouvement d'Allemagne".
    return any(child.dep_ in ("obj", "dobj") and _is_movement_word(child, rules) for child in head.children)


def _is_movement_word(token, rules: dict) -> bool:
    """A verb or noun of movement; announcing ('annoncé depuis Abou Dhabi') is not one."""
    status = rules["triggers"].get(token.lemma_.lower()) or rules["triggers"].get(token.lower_)
    return status is not None and status != "announced"


def _inside_from_phrase(doc: Doc, prep_index: int, rules: dict) -> bool:
    """Is this 'at'/'in' part of a 'from <unit>' phrase, with no verb in between?"""
    for token in reversed(doc[max(0, prep_index - 8):prep_index]):
        if token.pos_ in ("VERB", "AUX") or token.text in (";", ":"):
            return False
        if token.lower_ in rules["origin_preps"] and token.lower_ not in rules["ambiguous_origin_preps"]:
            return True
    return False


def _absorb_qualifiers(mentions: list[PlaceMention], doc: Doc) -> list[PlaceMention]:
    """'Fort Stewart, Georgia' and 'Vilseck, Germany' are one place: drop the qualifier."""
    kept: list[PlaceMention] = []
    for mention in mentions:
        if kept:
            prev = kept[-1]
            between = doc[prev.token_end:mention.token_start]
            words = [t.lower_ for t in between]
            located_in = (  # "Spangdahlem Air Base in Germany", "Orzysz in north-eastern Poland"
                1 <= len(words) <= 7 and words[0] in ("in", "en", "au", "aux", "dans")
                and all(w in COMPASS_WORDS for w in words[1:])
                and prev.place.kind in ("city", "base") and mention.place.kind in ("state", "country")
                and prev.place.country == mention.place.country
            )
            qualifies = located_in or (
                prev.place.kind in ("city", "base", "state", "region")
                and mention.place.kind in ("state", "country", "region")
                and words and words[0] in (",", "(")
                and len(words) <= 3
                and all(w in (",", "(", "en", "in", "au", "dans", "the", "la", "le") for w in words)
                and (prev.place.country == mention.place.country or mention.place.country is None
                     or mention.place.kind == "state")
                and prev.place != mention.place
            )
            if qualifies:
                continue
        kept.append(mention)
    return kept


def find_places(doc: Doc, nlp: Language, lang: str) -> list[PlaceMention]:
    """Every place the document names, in order, resolved and with its cue."""
    rules = load_rules(lang)
    text = doc.text  # built from the tokens on every access: read it once
    mentions = []
    spans = [_extend_to_installation(span, rules) for span in _candidate_spans(doc, nlp, lang, rules)]
    after_ship = [_after_ship_word(span, rules) for span in spans]
    ships = {span.text for span, named in zip(spans, after_ship) if named}
    for span, named_as_ship in zip(spans, after_ship):
        if named_as_ship or span.text in ships and _quoted(span):
            continue  # "die Fregatte „Sachsen“", then "die „Sachsen“": a ship, not the Land it is named after
        if span[0].is_title and span.start > 0 and _looks_like_person(span, rules):
            continue
        if rules.get("part_spans") and len(span) > 1 and span[0].lower_ in rules["person_titles"]:
            continue  # "Nationalrat Robert Laimer": a title opens the name of a person
        if span[0].lower_ in rules.get("unit_name_starts", ()):
            continue  # "Infantería de Marina", "Kommando Spezialkräfte": a unit, not the town in its name
        if span.text in rules["institution_names"]:
            continue  # "criticism from both parties in Congress": a body, not the town of Congress, Arizona
        if len(span) == 1 and (span[0].lower_ in rules["installation_nouns"] or span[0].lower_ in rules["compass_words"]
                               or span[0].is_stop and not span[0].is_upper):
            # "to Base 201 in Agadez" (not La Bassée); "the North" (not North Salt Lake); a stop word:
            # "Qué" (not Hanawa, Japan), "Allí", "Dort" (not Dordrecht); "US" stays the United States
            continue
        if len(span) == 1 and (span[0].lower_ in rules.get("not_place_words", ())
                               or span[0].lower_.split("-")[0] in rules.get("not_place_words", ())):
            continue  # German capitalises every noun: "am Sonntag", "an Bord", "im Norden" name no town
        place = geo.resolve(span.text, context=text, lang=lang)
        if place is None or place.kind == "city" and geo.demonym(span.text, lang):
            continue  # "Kazakh guards": a people's name is not the town that shares it
        if len(span) > 1 or "-" in span.text:
            if geo.normalize(place.name) in rules.get("not_place_words", ()) \
                    and geo.normalize(place.name) != geo.normalize(span.text):
                continue  # "Corona-Einsatz", "Nato-Minenabwehrverband": found through a word that names no place
        cue, cue_word = _cue(span, rules)
        if cue == ORIGIN and cue_word in rules["ambiguous_origin_preps"] and not _attached_to_movement(span, rules):
            cue, cue_word = None, None  # "les estimations de Séoul": not where troops come from
        if cue is None and rules.get("verb_final"):
            # German: the verb at the clause's end decides, else the verb in second place
            cue, cue_word = _cue_from_verb_after(span, rules)
            if cue is None:
                cue, cue_word = _cue_from_verb_before(span, rules)
        if span.end < len(doc) and doc[span.end].lower_ in ("'s", "’s", "'", "’"):
            cue, cue_word = None, None  # "Russia's doorstep", "Romania's coast": a modifier, not the place
        elif rules.get("names_modify_nouns") and _modifies_noun(span, rules):
            # "Fort Bragg paratroopers" says where troops are from; "U.S. officials" says nothing.
            troops = _modified_noun(span).lower_ in rules["personnel_words"]
            cue, cue_word = (HOME, "modifier") if troops and place.kind != "country" else (None, None)
        mentions.append(PlaceMention(
            start=span.start_char, end=span.end_char, token_start=span.start, token_end=span.end,
            text=span.text, place=place, cue=cue, cue_word=cue_word,
        ))
    return _share_cues(_absorb_qualifiers(mentions, doc), doc, rules)


def _after_ship_word(span: Span, rules: dict) -> bool:
    """Does a ship noun open the name ("Fregatte „Hessen“", "HMS Illustrious", "la frégate Alsace")?"""
    ship_words = rules.get("ship_words", ())
    if span[0].lower_ in ship_words:
        return True
    i = span.start - 1
    while i >= 0 and span.doc[i].text in QUOTE_MARKS:
        i -= 1
    return i >= 0 and span.doc[i].lower_ in ship_words


def _quoted(span: Span) -> bool:
    doc = span.doc
    return span.start > 0 and doc[span.start - 1].text in QUOTE_MARKS \
        and span.end < len(doc) and doc[span.end].text in QUOTE_MARKS


def _modified_noun(span: Span):
    doc = span.doc
    i = span.end
    while i < len(doc) and doc[i].pos_ == "ADJ":
        i += 1
    return doc[i] if i < len(doc) else doc[-1]


def _modifies_noun(span: Span, rules: dict) -> bool:
    """Is the place name used as an adjective: 'U.S. officials', 'Fort Bragg paratroopers'?"""
    if span.end >= len(span.doc):
        return False
    noun = _modified_noun(span)
    if span.root.head.i != noun.i or span.root.dep_ not in ("compound", "amod", "nmod", "nn"):
        return False  # "to Poland next week": Poland is not part of a noun phrase about 'week'
    return (noun.pos_ in ("NOUN",) and noun.lower_ not in rules["place_heads"]
            and noun.lower_ not in rules["installation_nouns"] and not noun.is_punct)


def listed_together(first: PlaceMention, then: PlaceMention, doc: Doc, rules: dict) -> bool:
    """Two mentions one list joins, ``first`` before ``then``: "Poland and Germany", "vers
    l'Allemagne et la Pologne", "nach Polen und in die Slowakei" (at most four linking words, one
    sentence)."""
    if first.token_end > then.token_start or first.token_start < 0:
        return False
    between = doc[first.token_end:then.token_start]
    if not len(between) or len(between) > 4 or any(t.is_sent_start for t in doc[first.token_end:then.token_start + 1]):
        return False
    return all(t.is_punct or t.pos_ in ("CCONJ", "DET") or t.lower_ in LIST_WORDS
               or t.lower_ in rules.get("list_words", ()) for t in between)


def _share_cues(mentions: list[PlaceMention], doc: Doc, rules: dict) -> list[PlaceMention]:
    """'vers l'Allemagne et la Pologne', 'to Poland, Germany and Romania': a list shares its cue."""
    shared = []
    for mention in mentions:
        if shared and mention.cue is None:
            prev = shared[-1]
            modifier = rules.get("names_modify_nouns") and _modifies_noun(
                doc[mention.token_start:mention.token_end], rules)
            # A landmark's cue is its own: "Rūdninkai, au sud de Vilnius, et Rukla" is not south of Vilnius.
            if prev.cue not in (None, NEAR) and listed_together(prev, mention, doc, rules) and not modifier:
                mention = replace(mention, cue=prev.cue, cue_word=prev.cue_word)
        shared.append(mention)
    return shared


def _looks_like_person(span: Span, rules: dict) -> bool:
    """'President Joe Biden', 'M. Poutine': a title before a capitalised name means a person."""
    before = span.doc[span.start - 1]
    return before.lower_.rstrip(".") in rules["person_titles"] or before.ent_type_ == "PERSON" and before.ent_iob_ != "O"
