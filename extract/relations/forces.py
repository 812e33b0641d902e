"""Whose troops: the force (ISO country code) of a figure, and the countries a text implies.

Read from a demonym next to the troops ("soldats belges"), a country on the troops ("United
States Marines"), a named body ("the Pentagon"), a country moving them ("Russia has deployed"),
the operator of their base, then what the sentences before established.
"""
from __future__ import annotations

import functools
import re
from typing import Optional

from spacy.tokens import Doc

from extract import geo
from extract.models import TOKENIZER_ONLY
from extract.places import HOME, ORIGIN, PlaceMention, unnamed
from extract.rules import load_rules
from extract.relations.words import trigger_status


def force_country(force: str) -> list[PlaceMention]:
    """The force's own country as a place the text did not name (no offsets, no words)."""
    home = geo.country(force)
    if home is None:
        return []
    return [unnamed(home)]


def implied_country(token, lang) -> Optional[str]:
    """'le gouvernement tchadien', 'the Malian junta': a country the sentence is about, whoever speaks."""
    if token.is_stop or token.pos_ not in ("ADJ", "NOUN", "PROPN") or len(token.text) < 4 \
            or token.i in _place_tokens(token.doc):
        return None
    return geo.demonym(token.text, lang)


def country_referent(memory, force) -> Optional[PlaceMention]:
    """'le pays', 'the country': the last country named or implied ('le gouvernement tchadien')
    that is not the troops' own."""
    for code in reversed(memory.countries):
        if code != force and geo.country(code) is not None:
            return unnamed(geo.country(code))
    return None


def find_force(tokens, count, mentions, rules, lang, memory) -> Optional[str]:
    # 1. A demonym next to the troops: "American service members", "soldats belges".
    if count is not None:
        doc = tokens.doc
        # Inside the troops' phrase first ("3,000 Russian troops"), then just before the number.
        after = doc[count.token_end:min(tokens.end, count.token_end + 5)]
        before = doc[max(tokens.start, count.token_start - 4):count.token_start]
        near = list(after) + list(reversed(before))
    else:
        near = list(tokens)
    for token in near:
        code = troop_demonym(token, lang)
        if code is None and _two_word_demonym_start(token):
            code = geo.demonym(f"{token.text} {token.doc[token.i + 1].text}", lang)  # "South African"
        if code:
            return code
        # "Armenia's hundred-strong unit": a country owning the troops.
        if token.lower_ in ("'s", "’s") and count is not None and token.i < count.token_start:
            for mention in mentions:
                if mention.token_end == token.i and mention.place.kind == "country":
                    return mention.place.country
    if count is not None and count.noun:
        # "7,000 more U.S. troops", "3,000 Fort Bragg paratroopers": a place name inside the phrase.
        doc = tokens.doc
        for token in doc[count.token_end:min(len(doc), count.token_end + 4)]:
            if token.lower_ == count.noun.lower():
                break
            for mention in mentions:
                if mention.token_start <= token.i < mention.token_end and mention.place.country:
                    return mention.place.country
    found = _sentence_force(tokens, mentions, rules, lang)
    if found is not _UNDECIDED:
        return found
    # 6. The force of the sentence just before, then the article's main actor.
    if memory.last_force and memory.sentence_index - memory.last_force_sentence <= 2:
        return memory.last_force
    if memory.forces:
        return max(memory.forces, key=memory.forces.get)
    return memory.last_force


_UNDECIDED = object()


def _sentence_force(tokens, mentions, rules, lang):
    """Whose troops a clause speaks of, from the clause alone (steps 2–5 of :func:`find_force`):
    the same for every figure of the clause, so it is worked out once per clause and mentions
    (a sentence listing 20,000 figures must not be read 20,000 times). ``_UNDECIDED`` when the
    clause does not say; None when it says the troops are many forces'."""
    cache = tokens.doc.user_data.setdefault("troop_sentence_force", {})
    key = (tokens.start, tokens.end, lang, tuple(m.token_start for m in mentions))
    if key not in cache:
        cache[key] = _read_sentence_force(tokens, mentions, rules, lang)
    return cache[key]


def _read_sentence_force(tokens, mentions, rules, lang):
    # "The eighth rotation of United States Marines": a country's name on the troops themselves.
    doc = tokens.doc
    for mention in mentions:
        after = doc[mention.token_end] if mention.token_end < len(doc) else None
        if mention.place.kind == "country" and after is not None and (
                after.lower_ in rules["personnel_words"] or after.lemma_.lower() in rules["personnel_words"]):
            return mention.place.country
    # 2. A named military or government body: "the Pentagon", "la Bundeswehr".
    named = named_forces(tokens.text, lang)
    if named:
        return named[0]
    # 3. A country as subject of the movement verb: "Russia has deployed".
    trigger_ids = {t.i for t in tokens if trigger_status(t, rules)}
    if tokens.doc.lang_ in TOKENIZER_ONLY and trigger_ids:
        subject = _sentence_initial_country(tokens.doc, mentions)
        if subject:
            return subject  # "Simbabwe, Angola und Namibia haben Soldaten ... geschickt"
    for token in tokens:
        # "25 allied and partner countries pledged 7,000 troops": many forces, none to name.
        if token.lower_ in rules["multinational_words"] and token.dep_.startswith("nsubj") and (
                token.head.i in trigger_ids or token.head.dep_ == "ROOT"):
            return None
    owners = trigger_ids | {t.i for t in tokens if t.lower_ in rules["personnel_words"]}
    for mention in mentions:
        # "Britain's contribution at Tapa is about 800 troops": the owner of the move.
        after = doc[mention.token_end] if mention.token_end < len(doc) else None
        if mention.place.kind == "country" and after is not None and after.lower_ in ("'s", "’s") \
                and after.head.i in owners:
            return mention.place.country
    for mention in mentions:
        head = tokens.doc[mention.token_end - 1]
        governs = head.head.i in trigger_ids or head.head.dep_ == "ROOT"
        if mention.place.kind in ("country", "city") and head.dep_.startswith("nsubj") and governs:
            return mention.place.country  # "Russia has deployed", "Paris prévoit d'y déployer"
        if head.dep_.startswith("nsubj") and governs and head.lower_ in rules["multinational_words"]:
            return None
    # 4. Any demonym of the clause ("la grande base américaine de Fort Bragg").
    for token in tokens:
        code = troop_demonym(token, lang)
        if code:
            return code
    # 5. The forces that use the installation the troops come from (Sennelager -> GB).
    for mention in mentions:
        if mention.cue in (ORIGIN, HOME) and mention.place.kind == "base" and geo.operator(mention.place):
            if lang in _ADJECTIVE_NOUN_LANGUAGES and geo.operator(mention.place) == mention.place.country:
                continue  # "desde Cincu", "aus Camp Taji": a host's own base says nothing of foreign troops
            return geo.operator(mention.place)
    return _UNDECIDED


def _sentence_initial_country(doc, mentions) -> Optional[str]:
    """German, read without a parse: a country named first in its sentence, with no preposition,
    is the subject ("Armenien, das den Vorsitz hat, schickt 100 Soldaten")."""
    for mention in mentions:
        if mention.cue is not None or mention.place.kind != "country" or mention.token_start < 0:
            continue
        start = doc[mention.token_start].sent.start
        before = doc[start:mention.token_start]
        inside = {i for m in mentions for i in range(m.token_start, m.token_end)}
        if all(t.is_punct or t.lower_ in ("und", "sowie", "auch", "oder") or t.i in inside for t in before):
            return mention.place.country
    return None


def troop_demonym(token, lang) -> Optional[str]:
    """'américains', 'British', 'German-based' -> ISO code; never a function word ('est', 'sur'),
    never a place name ('Poland' says where troops go, not whose they are) and never a speaker
    ('le secrétaire d'État américain a affirmé que 8 000 soldats nord-coréens...')."""
    if token.is_stop or token.pos_ not in ("ADJ", "NOUN", "PROPN") or len(token.text) < 3:
        return None
    if token.head.lemma_.lower() in load_rules(lang)["speaker_nouns"]:
        return None
    if lang in _ADJECTIVE_NOUN_LANGUAGES and _describes_a_place_or_speaker(token, lang):
        return None
    if lang == "de" and "-" in token.text:
        # German compounds: "US-Soldaten", "Nato-Truppen", "Bundeswehr-Soldaten".
        first, _, rest = token.text.partition("-")
        rules = load_rules(lang)
        if rest.lower() in rules["personnel_words"] or rest.lower() in ("armee", "militär", "streitkräfte", "luftwaffe"):
            return named_forces(first, lang)[0] if named_forces(first, lang) else geo.demonym(first, lang) or (
                geo.country(first.upper()).country if len(first) == 2 and first.isupper() and geo.country(first) else None)
    if token.i in _place_tokens(token.doc) or token.ent_type_ in ("GPE", "LOC", "FAC") and _names_a_land(token, lang):
        # Inside a place name only an adjective of an installation counts: "la base américaine de
        # Fort Bragg" says whose base it is; "the Russian border" or "Poland" says nothing of troops.
        base = token.i in _place_tokens(token.doc, kind="base")
        if token.pos_ != "ADJ" or not base or geo.resolve(token.text, lang=lang) is not None:
            return None
    return geo.demonym(token.text, lang)


# Languages where the rule files say which nouns a nationality adjective may describe other than troops.
_ADJECTIVE_NOUN_LANGUAGES = ("de", "es")


def _describes_a_place_or_speaker(token, lang) -> bool:
    """'in der georgischen Hauptstadt Tiflis', 'la capital georgiana', 'das litauische Verteidigungsministerium':
    a nationality adjective on a place or a speaker says nothing about whose troops move. German has no
    parse: the noun is the next word after other adjectives; Spanish has one."""
    rules = load_rules(lang)
    nouns = rules["place_heads"] | rules["region_nouns"] | rules["speaker_nouns"] | rules.get("name_lead_words", frozenset())
    if lang in TOKENIZER_ONLY:
        doc = token.doc
        i = token.i + 1
        while i < len(doc) and doc[i].pos_ == "ADJ" and doc[i].is_lower:
            i += 1
        noun = doc[i] if i < len(doc) else None
    else:
        noun = token.head if token.head.i != token.i else None
    if noun is None or noun.lower_ in rules["personnel_words"] or noun.lemma_.lower() in rules["personnel_words"]:
        return False  # "militares españoles": the troops themselves
    return noun.lower_ in nouns or noun.lemma_.lower() in nouns


def _names_a_land(token, lang) -> bool:
    """'Japan' (left over from 'Okinawa, Japan') names a land; 'Kyrgyz' tagged GPE names a people."""
    place = geo.resolve(token.text, lang=lang)
    return place is not None and place.kind in ("country", "region", "state")


def _two_word_demonym_start(token) -> bool:
    """'South African', 'North Korean': two capitalised words outside any place name."""
    doc = token.doc
    if token.i + 1 >= len(doc):
        return False
    following = doc[token.i + 1]
    places = _place_tokens(doc)
    return (token.is_title and following.is_title and following.pos_ in ("ADJ", "PROPN")
            and token.i not in places and following.i not in places)


def _place_tokens(doc: Doc, kind: Optional[str] = None) -> frozenset:
    """Token indices inside place mentions (of one kind, e.g. "base"), computed once per document."""
    key = f"place_tokens:{kind}"
    if key not in doc.user_data:
        doc.user_data[key] = frozenset(
            i for p in (doc._.places or []) if kind is None or p.place.kind == kind
            for i in range(p.token_start, p.token_end))
    return doc.user_data[key]


@functools.lru_cache(maxsize=None)
def _force_name_pattern(lang: str) -> tuple[re.Pattern, dict]:
    """One regex for every named body of the rule file ("the Pentagon", "la Bundeswehr")."""
    names = {name: code for name, code in load_rules(lang)["force_names"].items() if code}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])"), names


def named_forces(text: str, lang: str) -> list[str]:
    pattern, names = _force_name_pattern(lang)
    return [names[m.group(0)] for m in pattern.finditer(text.lower())]


def article_forces(doc, rules, lang) -> dict:
    """Whose troops the article is mostly about: demonyms and named bodies, weighted."""
    weights: dict[str, float] = {}
    for token in doc:
        code = troop_demonym(token, lang)
        if code:
            weights[code] = weights.get(code, 0) + 1
    for code in named_forces(doc.text, lang):
        weights[code] = weights.get(code, 0) + 2
    if doc.lang_ in TOKENIZER_ONLY or not doc.has_annotation("DEP"):
        return weights  # German is read without a parse: no subject to find
    for mention in doc._.places or []:
        # "la Pologne va masser 10 000 soldats": a country moving troops is an actor.
        head = doc[mention.token_end - 1]
        verbs = [head.head] + [c for c in head.head.children if c.dep_ == "xcomp"]  # "va masser"
        if mention.place.kind == "country" and head.dep_.startswith("nsubj") and any(
                trigger_status(v, rules) for v in verbs):
            weights[mention.place.country] = weights.get(mention.place.country, 0) + 2
    return weights
