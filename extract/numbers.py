"""The numbers stage: which numbers in an article count personnel, and how.

:func:`find_headcounts` reads a parsed spaCy ``Doc`` and returns one
:class:`Headcount` per phrase that counts people: "some 1,700 paratroopers",
"3 000 soldats américains", "un millier de ces soldats", "2 000 autres",
"between 10,000 and 12,000", "a few hundred more soldiers". Years, dates, money,
distances, percentages, unit names ("82nd Airborne", "27e BCA") and equipment
counts are never returned, because a number is kept only when

* the noun it counts is a personnel noun ("troops", "militaires", "service members",
  "membres des forces spéciales"), possibly after adjectives and compounds;
* or it points back at troops already named ("2,000 others", "4 000 d'entre eux",
  "1,000 of these troops", "the 4,000 that had been authorized");
* or it gives a strength ("a 4,000-strong force", "fort de 1 350");
* or it stands bare in a sentence about troops ("bringing the total to 4,700",
  "a contingent of 300", "l'effectif doit atteindre 500").

Casualty figures are personnel numbers too and are returned, but their ``noun`` is
then the casualty word ("killed", "dead", "wounded", "deaths", "morts", "tués",
"blessés", ...; see ``casualty_words`` in the rule files and :func:`is_casualty`),
so the relation stage can tell them apart from movements. Counts of "people" /
"personnes" and of demonyms ("800 Nigérians") are accepted only in a sentence that
talks about troops.

Spoken-out numbers are read by text2num; what it does not know ("un millier",
"a thousand", "une dizaine de milliers", "2.5k", "a few hundred") is read here.
Digit groups are read here too: Babel's ``parse_decimal`` is locale-bound and reads
"3.000" as three in French, while news copy in both languages writes thousands with
a comma, a dot, a space, U+00A0 or U+202F.

The word lists live in ``extract/rules/numbers_LANG.json`` (a language without a
file uses the English one). Matchers are built once per language and vocabulary.
Switches in a rule file turn on what only some languages need: German
(``numbers_de.json``) is read without a tagger or parser, so compounds count by their
head ("Bundeswehrsoldaten", ``personnel_suffixes``), number words are one token
("zweihundertfünfzig"), a participle may sit between number and noun ("1000 in
Deutschland stationierte Soldaten", ``prenominal_attributes``), a number keeps the
full stop that ends its sentence ("Kirgistan 150.", ``attached_full_stop``) and
casualties are found in the clause; Spanish (``numbers_es.json``) has lower-case
demonyms ("380 salvadoreños"), "medio centenar" and Mexican "3 mil 107".
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from text_to_num import text2num

from extract.schema import QUALIFIERS

RULES_DIR = Path(__file__).parent / "rules"

__all__ = ["Headcount", "find_headcounts", "parse_number", "is_casualty"]


@dataclass(frozen=True)
class Headcount:
    """One phrase of an article that counts personnel."""

    start: int                 # character offsets in doc.text of the whole number phrase
    end: int
    token_start: int           # token indices of the number phrase (end exclusive)
    token_end: int
    value: Optional[int]       # None for "a few hundred", "plusieurs centaines", "des milliers"
    qualifier: str             # one of extract.schema.QUALIFIERS
    high: Optional[int]        # upper end of a range, else None
    text: str                  # surface text of the number phrase
    noun: Optional[str]        # the personnel (or casualty) noun it counts, None when bare
    anaphoric: bool            # refers to troops named before ("2 000 autres", "of these troops")
    increment: bool            # added to an earlier figure ("7,000 more", "supplémentaires")


def is_casualty(headcount: Headcount, lang: str) -> bool:
    """True when the figure counts dead or wounded rather than troops on the move."""
    return bool(headcount.noun) and headcount.noun.lower() in _rules(lang).casualty_words


# --------------------------------------------------------------------------- rules

_SPACES = "\u00a0\u202f\u2009\u2007"
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})
_DIGITS = r"\d+(?:[.,]\d+)*"
_GROUPED = re.compile(r"\d{1,3}(?:[ .,]\d{3})+")
_DECIMAL = re.compile(r"\d+(?:[.,]\d+)?")
_FIGURE = r"(?:\d{1,3}(?:[.,]\d{3})+|\d+)"


class _Rules:
    """One language's rule file; word lists are read as lower-case sets once."""

    def __init__(self, lang: str, data: dict):
        self.lang = lang
        self.data = data
        for key, value in data.items():
            if isinstance(value, list):
                setattr(self, key, frozenset(w.lower() for w in value))


@functools.cache
def _rules(lang: str) -> _Rules:
    path = RULES_DIR / f"numbers_{lang}.json"
    if not path.exists():
        path, lang = RULES_DIR / "numbers_en.json", "en"
    data = json.loads(path.read_text(encoding="utf-8"))
    return _Rules(lang, data)


def _phrase_regex(phrase: str) -> str:
    """A prefix phrase as a regex: spaces stretch, a final "de" also matches "d'"."""
    body = re.escape(phrase.lower()).replace(r"\ ", r"\s+").replace("'", r"'\s*")
    if phrase.lower().endswith(" de"):
        body = body[: -len("de")] + r"d(?:e\s+|'\s*)"
    else:
        body += r"\s*"
    return body


_BOUNDARY = r"(?:^|(?<=[\s(«\"'\-—–:;,*]))"


@functools.cache
def _prefix_patterns(lang: str) -> list[tuple[str, str, re.Pattern, re.Pattern]]:
    """(kind, value, regex ending the text before a number, regex starting a phrase)."""
    rules = _rules(lang)
    entries: list[tuple[str, str, str]] = []
    for qualifier, phrases in rules.data["qualifiers"].items():
        entries += [("qualifier", qualifier, p) for p in phrases]
    for kind in ("increment_prefixes", "anaphoric_prefixes", "definite_prefixes", "strength_prefixes"):
        entries += [(kind, "", p) for p in rules.data.get(kind, ())]
    entries.sort(key=lambda e: len(e[2]), reverse=True)
    return [
        (kind, value, re.compile(_BOUNDARY + _phrase_regex(p) + "$", re.IGNORECASE),
         re.compile(_phrase_regex(p) + r"(?=\S)", re.IGNORECASE))
        for kind, value, p in entries
    ]


@functools.cache
def _word_number_regex(lang: str) -> str:
    rules = _rules(lang)
    words = sorted(rules.number_words, key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    if rules.data.get("compound_number_words"):
        # German writes a number as one word: "zweihundertfünfzig", "dreitausendfünfhundert".
        links = "|".join(re.escape(c) for c in sorted(rules.number_connectors) if c.isalpha())
        return rf"^(?:{alternatives})(?:-?(?:{alternatives}{'|' + links if links else ''}))*$"
    return rf"^(?:{alternatives})(?:-(?:{alternatives}))*$"


@functools.cache
def _matcher(lang: str, vocab) -> Matcher:
    """Token patterns for the core of a number phrase (no qualifiers, no noun)."""
    rules = _rules(lang)
    matcher = Matcher(vocab)
    digits = {"TEXT": {"REGEX": rf"^{_DIGITS}$"}}
    head_group = {"TEXT": {"REGEX": r"^\d{1,3}$"}}
    group = {"TEXT": {"REGEX": r"^\d{3}$"}}
    narrow_space = {"IS_SPACE": True, "TEXT": {"REGEX": rf"^[{_SPACES}]$"}}
    # "3 000" is two tokens; with U+00A0 / U+202F a space token sits between them.
    grouped = []
    for first in ({**head_group, "SPACY": True}, head_group):
        sep = [] if "SPACY" in first else [narrow_space]
        grouped.append([first, *sep, group])
        for second in ({**group, "SPACY": True}, group):
            sep2 = [] if "SPACY" in second else [narrow_space]
            grouped.append([first, *sep, second, *sep2, group])
    matcher.add("DIGITS", [[digits], [{"TEXT": {"REGEX": r"^\d+(?:[.,]\d+)?[kK]$"}}], *grouped])
    if rules.data.get("dash_ranges"):
        # The Spanish and German tokenizers keep "300-400" and "1.500–2.000" as one token.
        matcher.add("DASHRANGE", [[{"TEXT": {"REGEX": rf"^{_FIGURE}[-–]{_FIGURE}$"}}]])
    if rules.data.get("attached_strengths"):
        # German writes strengths as one token: "150-köpfige", "300-Mann-Kontingent".
        matcher.add("STRENGTH", [[{"TEXT": {"REGEX": rf"^{_FIGURE}-[^\W\d_]"}}]])
    if rules.data.get("split_thousands"):
        # Mexican copy writes "3 mil 107" and "mil 334" for 3,107 and 1,334.
        thousands = {"LOWER": {"IN": sorted(rules.split_thousands)}}
        matcher.add("SPLIT", [[head_group, thousands, head_group], [thousands, head_group]])
    if rules.data.get("attached_full_stop"):
        # German keeps the full stop on a number ("17. Dezember", "82. Luftlandedivision"): an
        # ordinal, unless the sentence ends there ("Kirgistan 150. Auch ..."); see _ends_sentence.
        stop_group = {"TEXT": {"REGEX": r"^\d{3}\.$"}}
        matcher.add("STOP", [[{"TEXT": {"REGEX": r"^(?:\d{1,3}(?:\.\d{3})+|\d+)\.$"}}],
                             [{**head_group, "SPACY": True}, stop_group],     # "1 320 000."
                             [{**head_group, "SPACY": True}, {**group, "SPACY": True}, stop_group]])
    multipliers = sorted(rules.data["multipliers"])
    matcher.add("DIGITS", [[digits, {"LOWER": {"IN": multipliers}}]])
    word = {"LOWER": {"REGEX": _word_number_regex(lang)}}
    # "five lakh", "three crore": multipliers text2num does not know, after a number word.
    word_multipliers = sorted(m for m in multipliers if len(m) > 1)
    matcher.add("WORDS", [[word, {"LOWER": {"IN": word_multipliers}}]])
    word_or_link = {"LOWER": {"REGEX": _word_number_regex(lang)[:-1] + "|^(?:"
                              + "|".join(re.escape(c) for c in rules.number_connectors) + ")$"}}
    matcher.add("WORDS", [[word, {**word_or_link, "OP": "*"}]])
    quantity = sorted(rules.data["quantity_nouns"])
    articles = sorted(rules.quantity_articles)
    matcher.add("QUANTITY", [[{"LOWER": {"IN": articles}}, {"LOWER": {"IN": quantity}}]])
    plural_quantity = sorted({q + "s" for q in quantity} | {q + "s" for q in ("hundred", "thousand")})
    matcher.add("QUANTITY", [
        [{"LOWER": {"IN": articles}}, {"LOWER": {"IN": quantity}},
         {"LOWER": {"IN": ["de", "d'", "d’", "of"]}}, {"LOWER": {"IN": plural_quantity}}],
        [{"LOWER": {"IN": articles}}, {"LOWER": {"IN": sorted(rules.couple_words) or ["\0"]}},
         {"LOWER": "of", "OP": "?"}, {"LOWER": {"IN": quantity}}],
    ])
    matcher.add("QUANTITY", [[word, {"LOWER": {"IN": plural_quantity}}],
                             [digits, {"LOWER": {"IN": plural_quantity}}]])
    if rules.data.get("half_words"):
        # "medio centenar", "medio millar"
        matcher.add("QUANTITY", [[{"LOWER": {"IN": sorted(rules.half_words)}}, {"LOWER": {"IN": quantity}}]])
    vague = []
    for phrase in rules.vague_numbers:
        vague.append([{"LOWER": w} for w in phrase.split()])
        if " de " in phrase:
            vague.append([{"LOWER": w if w != "de" else "d'"} for w in phrase.split()])
    matcher.add("VAGUE", vague)
    return matcher


# --------------------------------------------------------------------- parse_number

def _normalise(text: str) -> str:
    text = text.translate(_APOSTROPHES).lower()
    for space in _SPACES:
        text = text.replace(space, " ")
    return re.sub(r"\s+", " ", text).strip()


def _read_digits(text: str, multipliers: dict) -> Optional[float]:
    match = re.fullmatch(r"(\d[\d ,.]*?)\s*([a-z]+)?", text)
    if not match:
        return None
    figure, suffix = match.groups()
    factor = 1
    if suffix:
        if suffix not in multipliers:
            return None
        factor = multipliers[suffix]
    if _GROUPED.fullmatch(figure):
        number = float(re.sub(r"[ .,]", "", figure))
    elif _DECIMAL.fullmatch(figure):
        number = float(figure.replace(",", "."))
    else:
        return None
    return number * factor


_TEXT2NUM_LANGS = ("en", "fr", "es", "de")


def _read_words(text: str, lang: str) -> Optional[int]:
    try:
        return int(text2num(text, lang if lang in _TEXT2NUM_LANGS else "en"))
    except ValueError:
        return None


def _parse(text: str, lang: str) -> tuple[Optional[int], bool]:
    """(value, vague) for the core of a number phrase; vague phrases have no value."""
    rules = _rules(lang)
    text = _normalise(text)
    if text in rules.vague_numbers:
        return None, True
    multipliers = rules.data["multipliers"]
    quantities = rules.data["quantity_nouns"]
    words = text.replace("d'", "de ").split()
    if text[:1].isdigit():
        value = _read_digits(text, multipliers)
        if value is None and len(words) == 2 and words[1].rstrip("s") in quantities:
            value = _read_digits(words[0], multipliers)
            value = None if value is None else value * quantities[words[1].rstrip("s")]
        return (int(value), False) if value is not None and value == int(value) else (None, False)
    if len(words) == 2 and words[0] in rules.data.get("half_words", ()) and words[1] in quantities:
        return quantities[words[1]] // 2, False        # "medio centenar"
    # "un millier", "une dizaine de milliers", "a dozen", "a couple of hundred", "deux milliers"
    if len(words) >= 2 and words[1] in quantities and words[0] in rules.quantity_articles:
        value = quantities[words[1]]
        if len(words) == 4 and words[2] in ("de", "of") and words[3].rstrip("s") in quantities:
            value *= quantities[words[3].rstrip("s")]
        elif len(words) > 2:
            return None, False
        return value, False
    if len(words) >= 3 and words[1] in rules.couple_words and words[-1] in quantities:
        return 2 * quantities[words[-1]], False
    if len(words) == 2 and words[1].endswith("s") and words[1][:-1] in quantities:
        count = _read_words(words[0], lang)
        return (count * quantities[words[1][:-1]], False) if count else (None, False)
    if words and words[0] in rules.quantity_articles and len(words) == 2 and words[1] in multipliers:
        return multipliers[words[1]], False     # "a thousand", "a million"
    if len(words) == 2 and len(words[1]) > 1 and words[1] in multipliers:
        count = _read_words(words[0], lang)     # "five lakh"
        return (count * multipliers[words[1]], False) if count else (None, False)
    value = _read_words(text, lang)
    if value is None and lang != "en":
        value = _read_words(text, "en")
    return value, False


def parse_number(text: str, lang: str) -> Optional[int]:
    """The integer a number phrase writes, or None when it names none ("des milliers").

    Leading qualifiers are allowed ("près de 5 000", "about a thousand").

    >>> parse_number("3 000", "fr"), parse_number("2.5k", "en"), parse_number("un millier", "fr")
    (3000, 2500, 1000)
    """
    lang = _rules(lang).lang
    text = _normalise(text)
    stripped = True
    while stripped:
        stripped = False
        for _kind, _value, _ending, starting in _prefix_patterns(lang):
            match = starting.match(text)
            if match:
                text, stripped = text[match.end():], True
                break
    return _parse(text, lang)[0]


# ------------------------------------------------------------------- find_headcounts

_NOMINAL = {"NOUN", "PROPN"}


@dataclass
class _Core:
    """The number itself: "3 000", "un millier", "between 10,000 and 12,000"."""

    start: int          # token indices
    end: int
    value: Optional[int]
    vague: bool
    label: str
    high: Optional[int] = None
    trim: int = 0       # characters of the last token that are not the number ("150." ending a sentence)


@dataclass
class _Noun:
    kind: str = "none"  # personnel | weak | casualty | other | none
    token: Optional[int] = None
    text: Optional[str] = None
    anaphoric: bool = False
    pronoun: bool = False           # "others", "d'entre eux", "of them": no noun is coming
    increment: bool = False
    strength: bool = False
    blocked: bool = False
    comparative: bool = False
    casualty: Optional[str] = None  # a casualty word met before the noun


def _low(token: Token) -> str:
    return token.lower_.translate(_APOSTROPHES)


def _cores(doc: Doc, rules: _Rules) -> list[_Core]:
    from spacy.util import filter_spans

    found = [Span(doc, s, e, label=label) for label, s, e in _matcher(rules.lang, doc.vocab)(doc)]
    cores = []
    for span in filter_spans(found):
        start, end, label = span.start, span.end, span.label_
        if label == "WORDS":
            # Trim connectors and words text2num refuses ("two and" -> "two").
            value = None
            while end > start:
                if _low(doc[end - 1]) in rules.number_connectors:
                    end -= 1
                    continue
                value, _ = _parse(doc[start:end].text, rules.lang)
                if value is not None:
                    break
                end -= 1
            if value is None or doc[start:end].text.lower() in rules.lone_words:
                continue
            cores.append(_Core(start, end, value, False, label))
            continue
        if label == "DASHRANGE":
            low, high = (_parse(part, rules.lang)[0] for part in re.split("[-–]", span.text))
            years = 1800 <= (low or 0) <= 2099 and 1800 <= (high or 0) <= 2099 and high - low < 100
            if low is not None and high is not None and high > low and not years:
                cores.append(_Core(start, end, low, False, "DIGITS", high=high))
            continue
        if label == "STRENGTH":
            figure, word = re.match(rf"({_FIGURE})-([^\W\d_]+)", span.text).groups()
            value = _parse(figure, rules.lang)[0]
            if value is not None and word.lower() in rules.strength_compounds:
                cores.append(_Core(start, end, value, False, "STRENGTH", trim=len(span.text) - len(figure)))
            continue
        if label == "SPLIT":
            left = doc[start].text if end - start == 3 else "1"
            cores.append(_Core(start, end, int(left) * 1000 + int(doc[end - 1].text), False, "DIGITS"))
            continue
        if label == "STOP":
            if not _ends_sentence(doc, end - 1):
                continue
            value, vague = _parse(span.text[:-1], rules.lang)
            if value is not None:
                cores.append(_Core(start, end, value, False, "DIGITS", trim=1))
            continue
        if re.match(r"0\d", span.text):
            continue    # "Telefon 04631", "Flug 0815": a code, never a count
        value, vague = _parse(span.text, rules.lang)
        if value is None and not vague:
            continue
        cores.append(_Core(start, end, value, vague, label))
    return cores


def _ends_sentence(doc: Doc, i: int) -> bool:
    """Whether the full stop kept on number token i ends a sentence: the text ends, a line ends, or
    a capitalised function word starts the next sentence ("150. Auch Belarus ..."). Ordinals are
    followed by a noun or a month ("82. Luftlandedivision", "17. Dezember")."""
    if i + 1 >= len(doc) or "\n" in doc[i].whitespace_ + doc[i + 1].text[:1]:
        return True
    following = doc[i + 1]
    return following.text[:1].isupper() and following.is_stop or following.text[:1] in "\"“”„»"


@functools.cache
def _multiword_phrases(phrases: frozenset[str]) -> tuple[str, ...]:
    return tuple(p for p in phrases if " " in p or "'" in p)


def _multiword(doc: Doc, i: int, phrases: frozenset[str]) -> Optional[int]:
    """End token index of the longest multi-word phrase starting at token i."""
    best = None
    text = "".join(t.text_with_ws for t in doc[i: i + 5]).translate(_APOSTROPHES).lower()
    for phrase in _multiword_phrases(phrases):
        if text.startswith(phrase) and not text[len(phrase): len(phrase) + 1].isalpha():
            end_char = doc[i].idx + len(phrase)
            j = i
            while j < len(doc) and doc[j].idx + len(doc[j]) <= end_char:
                j += 1
            if best is None or j > best:
                best = j
    return best


def _is_personnel(token: Token, rules: _Rules) -> bool:
    low = _low(token)
    return low in rules.personnel_nouns or _personnel_compound(low, rules) or (
        token.pos_ == "NOUN" and token.lemma_.lower() in rules.personnel_nouns and token.lower_.endswith("s")
    )


def _personnel_compound(low: str, rules: _Rules) -> bool:
    """German compounds end in their head: "Bundeswehrsoldaten", "US-Soldaten", "Spezialkräfte"."""
    suffixes = rules.data.get("personnel_suffixes")
    if not suffixes or low in rules.data.get("personnel_suffix_exceptions", ()):
        return False
    return any(low.endswith(s) and len(low) > len(s) + 1 for s in suffixes)


def _qualified_member(doc: Doc, i: int, limit: int, rules: _Rules) -> bool:
    """ "members" count personnel only with a military modifier or complement."""
    if i > 0 and _low(doc[i - 1]) in rules.member_modifiers:
        return True
    # A force's name before the noun: "460 Canadian Armed Forces members".
    j = i - 1
    while j >= max(0, i - 6) and doc[j].is_title:
        if _low(doc[j]) in rules.member_of_words:
            return True
        j -= 1
    end = min(limit, i + 6)
    # A name runs on past the window: "members of the South African National Defence Force".
    while end < min(limit, i + 12) and doc[end - 1].is_title and doc[end].is_title:
        end += 1
    window = [_low(t) for t in doc[i + 1: end]]
    links = rules.partitive_words | {"of", "d'", "de", "des", "du"} | frozenset(rules.data.get("member_links", ()))
    if window and window[0] in links:
        return any(w in rules.member_of_words for w in window[1:])
    return False


# Quotation marks of the four languages' typography, opening and closing (places.py reads them too).
QUOTE_MARKS = frozenset('"“”„»«‹›‚‘’\'')


def _prenominal_head(doc: Doc, j: int, limit: int, rules: _Rules) -> Optional[int]:
    """The personnel noun ending an attribute phrase that starts with the preposition at j:
    "in Deutschland stationierte Soldaten". It must follow a lower-case word (the participle or
    adjective) and come before any punctuation or other figure."""
    for k in range(j + 1, min(limit, j + 12)):
        token = doc[k]
        if token.is_punct or token.text[:1].isdigit():
            return None
        if _is_personnel(token, rules) and not token.text[:1].islower():
            previous = doc[k - 1]
            if previous.is_alpha and previous.text[:1].islower() and not previous.is_stop:
                return k
            return None
    return None


def _singular(token: Token, rules: _Rules) -> bool:
    # The surface form, not the tagger: en_core_web_sm tags "servicemen" as singular.
    low = _low(token)
    endings = tuple(rules.data.get("plural_endings") or ("s", "x", "men"))
    return low not in rules.invariant_nouns and not low.endswith(endings)


def _is_demonym(token: Token, rules: _Rules) -> bool:
    text = token.text
    lowercase = rules.data.get("lowercase_demonyms", False)   # Spanish: "salvadoreños", "hondureños"
    if not (text[:1].isupper() or lowercase and text[:1].isalpha()) or not text.endswith("s"):
        return False
    if token.ent_type_ == "NORP":
        return True
    if text.lower() in rules.data.get("demonym_exceptions", ()):
        return False
    return any(text.lower().endswith(suffix) for suffix in rules.demonym_suffixes)


def _read_noun(doc: Doc, i: int, limit: int, rules: _Rules, core: _Core) -> _Noun:
    """Walk from the token after the number to the noun it counts."""
    noun = _Noun()
    skipped = 0
    last_nominal: Optional[int] = None
    quantity_word = core.label in ("QUANTITY", "VAGUE")
    coarse = _coarse_pos(doc)
    j = i
    while j < limit and skipped <= 6:
        token = doc[j]
        low = _low(token)
        nxt = doc[j + 1] if j + 1 < limit else None
        nlow = _low(nxt) if nxt is not None else ""
        multi = _multiword(doc, j, rules.personnel_nouns)
        if multi is not None:
            return _found(doc, noun, j, multi, "personnel", rules, limit)
        if j == i and low in rules.data.get("measure_words", ()):
            # "200 km", "300 m", "30 t", "500 mdd": units the tagger may not call nouns.
            noun.kind, noun.token = "other", j
            return noun
        if low in rules.member_nouns:
            if _qualified_member(doc, j, limit, rules):
                return _found(doc, noun, j, j + 1, "personnel", rules, limit)
            noun.kind, noun.token = "other", j
            return noun
        if _is_personnel(token, rules):
            if rules.lang == "en" and token.dep_ == "compound" and nxt is not None and nxt.pos_ == "NOUN":
                # "Two Marine infantry battalions": a modifier, not the head.
                last_nominal = j
                skipped += 1
                j += 1
                continue
            if core.value is not None and core.value < 20 and low in rules.large_group_nouns:
                noun.kind, noun.token = "other", j     # "the two forces": two armies
                return noun
            if core.value not in (None, 1) and _singular(token, rules):
                # "45 Commando", "2019 Marine Air-Ground Task Force": a name, not a count.
                noun.kind, noun.token = "other", j
                return noun
            return _found(doc, noun, j, j + 1, "personnel", rules, limit)
        if low in rules.casualty_words and token.pos_ in ("NOUN", "ADJ", "VERB"):
            return _found(doc, noun, j, j + 1, "casualty", rules, limit)
        if low in rules.weak_nouns:
            return _found(doc, noun, j, j + 1, "weak", rules, limit)
        if low in rules.difference_words or (low in rules.increment_words and nlow in rules.comparatives):
            noun.comparative = True
            return noun
        if low in rules.increment_words:
            noun.increment = True
            j += 1
            continue
        if low in ("de", "en") and nlow == "plus" and rules.lang == "fr":
            noun.increment = True
            j += 2
            continue
        if low in rules.anaphoric_words:
            noun.anaphoric = noun.pronoun = True
            j += 1
            continue
        if low in rules.adjective_other:
            j += 1
            continue
        if low in rules.strength_words or (low == "-" and nlow in rules.strength_words):
            # "a 4,000-strong force", "a thousand-strong Stryker squadron": whatever the
            # head noun, the number is a headcount; keep the head as the noun.
            noun.strength, noun.pronoun = True, False
            k = j + (2 if low == "-" else 1)
            while k < limit and doc[k].pos_ in _NOMINAL | {"ADJ"}:
                if doc[k].pos_ in _NOMINAL:
                    noun.token, noun.text = k, doc[k].text
                k += 1
            return noun
        if low == "-" and j == i and nxt is not None and nxt.is_alpha and not (
            doc[j - 1].whitespace_ or token.whitespace_
        ):
            # A compound adjective: "30,000-troop increase" counts troops, "25-bed", "25-km" do not.
            if _is_personnel(nxt, rules) or nlow in rules.personnel_nouns:
                return _found(doc, noun, j + 1, j + 2, "personnel", rules, limit)
            if nlow in rules.strength_compounds:
                # "a 300-man company", "a 1,000-member contingent": a strength.
                noun.strength = True
                k = j + 2
                while k < limit and doc[k].pos_ in _NOMINAL | {"ADJ"}:
                    if doc[k].pos_ in _NOMINAL:
                        noun.token, noun.text = k, doc[k].text
                    k += 1
                return noun
            noun.kind, noun.token = "other", j + 1
            return noun
        if j == i and token.text in QUOTE_MARKS:
            j += 1      # „etwas weniger als 9.000“ russische Soldaten
            continue
        if token.pos_ == "ADP" and j == i + noun.increment and rules.data.get("prenominal_attributes"):
            # German puts a participle phrase between the number and its noun:
            # "1000 in Deutschland stationierte Soldaten", "drei in Bagdad tätige Soldaten".
            head = _prenominal_head(doc, j, limit, rules)
            if head is not None:
                return _found(doc, noun, head, head + 1, "personnel", rules, limit)
        if low in rules.partitive_words and nxt is not None:
            if nlow in rules.pronoun_partitives:
                noun.anaphoric = noun.pronoun = True
                return noun
            if nlow in rules.anaphoric_partitives:
                noun.anaphoric = True
                j += 2
                continue
            if (nlow in rules.partitive_determiners and j + 2 < limit and doc[j + 2].pos_ == "PROPN"
                    and rules.data.get("partitive_unit_names") and not _is_personnel(doc[j + 2], rules)):
                break   # "los 1.200 de la UME": the unit they belong to, not what they are
            if nlow in rules.partitive_determiners or nxt.like_num:
                j += 2 if not nxt.like_num else 1
                continue
            if nxt.pos_ in _NOMINAL | {"ADJ"} and (
                    quantity_word or rules.lang == "fr" or low in rules.data.get("noun_partitives", ())
            ) and j == i + noun.increment:
                j += 1
                continue
            break
        if token.is_space or low == "'s" or (token.like_num and j > i):
            j += 1
            continue
        if low in rules.blocking_modifiers:
            noun.blocked = True
        if low in rules.casualty_words and token.pos_ in ("ADJ", "VERB") and nxt is not None and nxt.pos_ in _NOMINAL | {"ADJ"}:
            noun.casualty = token.text      # "30 wounded soldiers"
            skipped += 1
            j += 1
            continue
        if token.pos_ in ("ADJ", "X") and coarse and not token.text[:1].isupper() \
                and low not in rules.data.get("clause_breaks", ()):
            # Coarse POS (German): a lower-case word may be a verb or an adverb as well as an
            # adjective; it never heads the phrase ("300 sind bereits eingetroffen").
            if nxt is not None and nxt.like_num:
                break   # "Bataillon 212 verlegt 300 Soldaten": a verb, and the next figure's phrase
            skipped += 1
            j += 1
            continue
        if token.pos_ == "ADJ" or (token.pos_ == "PROPN" and not _is_demonym(token, rules)) or low in rules.blocking_modifiers:
            # A modifier that turns out to end the phrase is its head ("1 500 étrangers,").
            last_nominal = j
            skipped += 1
            j += 1
            continue
        if _is_demonym(token, rules) and token.pos_ in _NOMINAL:
            last_nominal = j
            skipped += 1
            j += 1
            continue
        if token.pos_ == "NOUN" and nxt is not None and (
            token.dep_ == "compound" or (rules.lang == "en" and nxt.pos_ in _NOMINAL)
        ) and low not in rules.time_nouns:
            last_nominal = j
            skipped += 1
            j += 1
            continue
        if token.pos_ == "VERB" and token.tag_ in ("VBN", "VBG") and nxt is not None and nxt.pos_ in _NOMINAL | {"ADJ"}:
            skipped += 1
            j += 1
            continue
        if low == "-" and nxt is not None and nxt.pos_ in _NOMINAL | {"ADJ", "VERB"} and skipped:
            j += 1
            continue
        if token.pos_ == "CCONJ" and skipped and nxt is not None and nxt.pos_ in _NOMINAL | {"ADJ"}:
            j += 1
            continue
        if token.pos_ == "CCONJ" and skipped and nxt is not None and nxt.like_num and last_nominal is not None \
                and doc[last_nominal].pos_ == "ADJ":
            # "3,000 British and 2,000 French troops": the noun after the second number is shared.
            j += 1
            while j < limit and (doc[j].like_num or doc[j].is_space):
                j += 1
            continue
        if (token.pos_ in _NOMINAL or coarse and token.text[:1].isupper() and not token.is_sent_start) \
                and low not in rules.time_nouns:
            # (German stop words include nouns: "seit 75 Jahren", "zum Teil")
            noun.kind, noun.token = "other", j
            return noun
        break
    if last_nominal is not None:
        token = doc[last_nominal]
        if _is_demonym(token, rules):
            noun.kind, noun.token, noun.text = "weak", last_nominal, token.text
        else:
            noun.kind, noun.token = "other", last_nominal
    return noun


def _found(doc: Doc, noun: _Noun, start: int, end: int, kind: str, rules: _Rules, limit: int) -> _Noun:
    noun.kind, noun.token, noun.text = kind, start, doc[start:end].text
    noun.pronoun = False
    head = doc[start]
    casualty = noun.casualty or _casualty_word(head, rules) or _casualty_in_clause(doc, start, end, rules)
    if casualty is not None and kind != "casualty":
        noun.kind, noun.text = "casualty" if kind == "weak" else kind, casualty
    # "7 000 militaires américains supplémentaires", "deux cents policiers kényans de plus"
    k = end
    while k < min(limit, end + 4):
        low = _low(doc[k])
        if low in rules.increment_words and (k + 1 >= limit or _low(doc[k + 1]) not in rules.comparatives):
            noun.increment = True
            break
        if rules.lang == "fr" and low == "de" and k + 1 < limit and _low(doc[k + 1]) == "plus" and (
            k + 2 >= limit or not doc[k + 2].like_num
        ):
            noun.increment = True
            break
        if doc[k].pos_ not in ("ADJ", "PROPN"):
            break
        k += 1
    return noun


def _casualty_in_clause(doc: Doc, start: int, end: int, rules: _Rules) -> Optional[str]:
    """Without a parser (German): a casualty verb or adjective in the same clause as the noun,
    "drei deutsche Soldaten tot", "sterben sechs afghanische Soldaten", "ums Leben gekommen"."""
    words = rules.data.get("casualty_clause_words")
    if not words or not _coarse_pos(doc):
        return None
    first = start
    while first > 0 and start - first < 8 and not doc[first - 1].is_punct and not doc[first].is_sent_start:
        first -= 1
    last = end
    while last < len(doc) and last - end < 8 and not doc[last].is_punct and not doc[last].is_sent_start:
        last += 1
    for token in doc[first:last]:
        if token.text[:1].islower() and _low(token) in words:
            return token.text
        if token.text[:1].islower() and token.lemma_.lower() in rules.casualty_lemmas:
            return token.lemma_.lower()     # "fielen" -> "fallen", a casualty word of the rule file
    clause = " " + " ".join(_low(t) for t in doc[first:last]) + " "
    return next((phrase for phrase in words if " " in phrase and f" {phrase} " in clause), None)


def _casualty_word(token: Token, rules: _Rules) -> Optional[str]:
    """The verb that makes these people casualties: "soldiers were killed", "militaires tués"."""
    lemmas = rules.casualty_lemmas
    if token.dep_.startswith(("nsubj", "dobj", "obj")) and token.head.lemma_.lower() in lemmas:
        return token.head.text
    if token.dep_.startswith("nsubj") and token.head.lemma_.lower() == "perdre" and any(
        c.lower_ == "vie" for c in token.head.children
    ):
        return token.head.text
    if token.dep_.startswith("nsubj") and token.head.lemma_.lower() in rules.data.get("casualty_copulas", ()):
        # "quince soldados quedaron heridos", "resultaron muertos"
        for child in token.head.children:
            if child.i > token.head.i and child.lower_ in rules.casualty_words:
                return child.text
    for child in token.children:
        if child.dep_ in ("acl", "amod") and child.lemma_.lower() in lemmas:
            return child.text
    return None


@dataclass
class _Prefix:
    start_char: int                 # where the phrase (with its qualifiers) starts
    outer_char: int                 # where everything consumed starts (with "the", "fort de")
    qualifier: Optional[str] = None
    increment: bool = False
    anaphoric: bool = False
    definite: bool = False
    strength: bool = False
    opener: str = ""                # the word before, lower-case ("between", "from", ...)
    opener_char: int = 0


_QUALIFIER_RANK = {"at least": 3, "at most": 3, "approximate": 2, "exact": 1}


def _read_prefix(text: str, sent_start: int, core_start: int, lang: str) -> _Prefix:
    # The longest prefix phrase is short: look at the last few words only.
    window_start = max(sent_start, core_start - 60)
    before = text[window_start:core_start].translate(_APOSTROPHES)
    sent_start = window_start
    prefix = _Prefix(core_start, core_start)
    for _ in range(5):
        for kind, value, ending, _starting in _prefix_patterns(lang):
            match = ending.search(before)
            if not match:
                continue
            before = before[: match.start()]
            char = sent_start + match.start()
            prefix.outer_char = char
            if kind == "qualifier":
                if prefix.qualifier is None or _QUALIFIER_RANK[value] > _QUALIFIER_RANK[prefix.qualifier]:
                    prefix.qualifier = value
                prefix.start_char = char
            elif kind == "increment_prefixes":
                prefix.increment, prefix.start_char = True, char
            elif kind == "anaphoric_prefixes":
                prefix.anaphoric, prefix.start_char = True, char
            elif kind == "definite_prefixes":
                prefix.definite = True
            else:
                prefix.strength = True
            break
        else:
            break
    stripped = before.rstrip()
    word = re.search(r"[\w'-]+$", stripped)
    if word:
        prefix.opener, prefix.opener_char = word.group().lower(), sent_start + word.start()
    return prefix


def _postposed(text: str, end_char: int, rules: _Rules) -> tuple[Optional[str], int]:
    after = text[end_char: end_char + 20].lower()
    for qualifier, phrases in rules.data["postposed_qualifiers"].items():
        for phrase in phrases:
            glue = "" if phrase[:1] in "-+" else " "
            if after.startswith(glue + phrase) and not after[len(glue + phrase): len(glue + phrase) + 1].isalpha():
                return qualifier, end_char + len(glue + phrase)
    return None, end_char


def _is_date(doc: Doc, core: _Core, rules: _Rules) -> bool:
    def month(i: int) -> bool:
        return 0 <= i < len(doc) and _low(doc[i]).rstrip(".") in rules.months

    def day(i: int) -> bool:
        return 0 <= i < len(doc) and doc[i].text.isdigit() and int(doc[i].text) <= 31

    small = core.value is not None and core.value <= 31
    year = _year_like(doc, core)
    if (small or year) and month(core.start - 1):
        return True
    if small and month(core.end):
        return True
    month_links = rules.data.get("month_links", ())
    if small and core.end + 1 < len(doc) and _low(doc[core.end]) in month_links and month(core.end + 1):
        return True     # "31 de diciembre"
    links = rules.date_links
    if small and core.end + 2 < len(doc) and _low(doc[core.end]) in links and day(core.end + 1) and month(core.end + 2):
        return True
    if small and core.start >= 2 and _low(doc[core.start - 1]) in links and day(core.start - 2) and month(core.start - 3):
        return True
    return False


def _year_like(doc: Doc, core: _Core) -> bool:
    text = doc[core.start].text[: len(doc[core.start].text) - core.trim]
    return (core.end - core.start == 1 and re.fullmatch(r"\d{4}", text) is not None
            and 1800 <= int(text) <= 2099)


class _Context:
    """Which sentences talk about troops; computed once per sentence."""

    def __init__(self, doc: Doc, rules: _Rules):
        self.rules = rules
        self.sents = list(doc.sents)
        self.cache: dict[int, bool] = {}
        words = rules.personnel_nouns | rules.context_nouns
        self.words = frozenset(w for w in words if " " not in w)

    def about_troops(self, index: int, skip: Optional[int] = None) -> bool:
        if index < 0:
            return False
        if skip is None and index in self.cache:
            return self.cache[index]
        sent = self.sents[index]
        found = any(
            t.i != skip and (_low(t) in self.words or (t.pos_ == "NOUN" and t.lemma_.lower() in self.words)
                             or _personnel_compound(_low(t), self.rules))
            for t in sent
        )
        if skip is None:
            self.cache[index] = found
        return found


def find_headcounts(doc: Doc, lang: str) -> list[Headcount]:
    """Every phrase of ``doc`` that counts personnel, in text order."""
    rules = _rules(lang)
    text = doc.text
    context = _Context(doc, rules)
    sent_of = {}
    for index, sent in enumerate(context.sents):
        for i in range(sent.start, sent.end):
            sent_of[i] = index
    cores = _cores(doc, rules)
    headcounts: list[Headcount] = []
    last_kind: dict[int, str] = {}
    tally: dict[int, bool] = {}     # the sentence's last figure was an accepted count of troops
    skip_next = False
    for n, core in enumerate(cores):
        if skip_next:
            skip_next = False
            continue
        sent_index = sent_of[core.start]
        sent = context.sents[sent_index]
        prefix = _read_prefix(text, sent.start_char, doc[core.start].idx, rules.lang)
        # Ranges: "between 10,000 and 12,000", "30,000 to 35,000", "40,000-45,000"
        if n + 1 < len(cores) and cores[n + 1].start == core.end + 1 and core.value is not None:
            link, other = _low(doc[core.end]), cores[n + 1]
            opener_ok = prefix.opener in rules.range_openers or link not in rules.range_links_needing_opener
            change = prefix.opener in rules.change_openers and any(
                t.lemma_.lower() in rules.change_lemmas for t in doc[sent.start: core.start])
            years = _year_like(doc, core) and _year_like(doc, other) and other.value - core.value < 100
            if (link in rules.range_links and opener_ok and not change and not years
                    and other.value is not None and other.value > core.value):
                core = _Core(core.start, other.end, core.value, False, core.label, high=other.value)
                skip_next = True
                if prefix.opener in rules.range_openers and prefix.start_char == doc[core.start].idx:
                    prefix.start_char = prefix.opener_char
        if _is_date(doc, core, rules) or _is_money_or_percent(doc, core, rules):
            continue
        end_char = doc[core.end - 1].idx + len(doc[core.end - 1]) - core.trim
        post_qualifier, end_char = _postposed(text, end_char, rules)
        after = core.end
        while after < sent.end and doc[after].idx < end_char:
            after += 1
        # A number whose token keeps the sentence's full stop ("Kirgistan 150.") counts nothing after it.
        noun = _read_noun(doc, after, sent.end, rules, core) if not core.trim else _Noun(
            strength=core.label == "STRENGTH")
        decision = _accept(doc, core, prefix, noun, rules, context, sent_index, last_kind.get(sent_index),
                           tally.get(_previous_sentence(context.sents, sent_index), False))
        if decision or noun.kind != "none":
            # A rejected bare figure keeps the thread: "19 000 tentatives, contre 16 000,
            # dont 4 000 en juillet" stays about attempts.
            last_kind[sent_index] = noun.kind
            tally[sent_index] = decision and noun.kind in ("personnel", "none")
        if not decision:
            continue
        headcounts.append(_headcount(doc, text, core, prefix, noun, post_qualifier, end_char, rules))
    return headcounts


def _is_money_or_percent(doc: Doc, core: _Core, rules: _Rules) -> bool:
    if core.start > 0 and _low(doc[core.start - 1]) in rules.money_symbols:
        return True
    if doc[core.start].text[:1] in "$€£":
        return True
    if core.start > 0 and _low(doc[core.start - 1]) == "pour" and core.label == "WORDS":
        return True     # "pour cent" read as a number
    after = doc[core.end: core.end + 2].text.lower()
    return any(after == w or after.startswith(w + " ") or after.startswith(w) and not w[-1:].isalpha()
               for w in rules.percent_words)


def _previous_sentence(sents: list[Span], index: int) -> int:
    """The sentence before ``index`` that has words (blank lines are sentences of their own)."""
    index -= 1
    while index >= 0 and all(t.is_space or t.is_punct for t in sents[index]):
        index -= 1
    return index


def _accept(doc, core, prefix, noun, rules, context, sent_index, previous_kind, tally_before=False) -> bool:
    if noun.comparative or noun.blocked:
        return False
    year = _year_like(doc, core)
    before = doc[core.start - 1] if core.start > 0 else None
    if noun.kind == "personnel":
        if year and (before is not None and _low(before) in rules.year_prepositions
                     or _singular(doc[noun.token], rules)):
            return False
        return True
    if noun.kind == "other" or year:
        return False
    if noun.kind in ("casualty", "weak"):
        if previous_kind == "other":
            return False    # "1 500 étrangers, dont 700 Français"
        return context.about_troops(sent_index, skip=noun.token) or (
            noun.kind == "weak" and _is_demonym(doc[noun.token], rules) and context.about_troops(sent_index - 1)
        )
    # No noun: the number stands bare.
    if _large_multiplier(doc, core, rules):
        return False    # "5.160 millones", "2,5 Milliarden": budgets, not headcounts
    if noun.strength or prefix.strength:
        return core.value is not None
    if core.value is not None and core.value < 20:
        return False
    if noun.anaphoric or prefix.anaphoric or prefix.increment:
        # "2 000 autres", "the first 300", "Another 1,350 crossed from Syria": troops already named.
        return context.about_troops(sent_index) or context.about_troops(sent_index - 1) or (
            tally_before and rules.data.get("elliptic_tallies", False))
    if core.value is None or previous_kind == "other":
        return False
    # The token before the phrase: a name or noun there makes the number an identifier
    # ("Battalion 133", "résolution 2127", "Patrol Point 14", "13 h 05").
    first = _token_at(doc, prefix.outer_char)
    if first > 0 and _names_number(doc, first - 1, rules):
        return False
    if context.about_troops(sent_index):
        return True
    if tally_before and rules.data.get("elliptic_tallies"):
        # A tally goes on without its noun: "Baja California recibe 3,010 efectivos. Chihuahua, 2,620."
        return True
    clitic = any(_low(t) in rules.anaphoric_clitics and t.pos_ == "PRON"
                 for t in doc[context.sents[sent_index].start: core.start])
    return (prefix.definite or clitic) and context.about_troops(sent_index - 1)


def _large_multiplier(doc: Doc, core: _Core, rules: _Rules) -> bool:
    multiplier = rules.data["multipliers"].get(_low(doc[core.end - 1]).rstrip("."))
    return core.end - core.start > 1 and multiplier is not None and multiplier >= 1_000_000


_FUNCTION_POS = {"VERB", "AUX", "ADP", "ADV", "PRON", "DET", "CCONJ", "SCONJ", "PART", "PUNCT", "SPACE", "INTJ"}


def _coarse_pos(doc: Doc) -> bool:
    """German is read without a tagger: its POS comes from the spelling (extract/models.py). Sentence
    starts alone make has_annotation("DEP") true, so the tagger's TAG is what tells."""
    return not doc.has_annotation("TAG")


def _names_number(doc: Doc, i: int, rules: _Rules) -> bool:
    """True when token i makes the number after it part of a name or label."""
    previous = doc[i]
    low = _low(previous)
    if previous.like_num:
        return True
    if previous.pos_ in _FUNCTION_POS or low in rules.time_nouns or low in rules.identifier_exceptions:
        return False
    coarse = _coarse_pos(doc)
    if coarse and (previous.is_stop or not previous.text[:1].isupper()):
        return False    # German, POS from the spelling: stop words and lower-case verbs or adverbs
    if (previous.pos_ == "PROPN" or coarse and previous.pos_ == "NOUN") and (
            i == 0 or doc[i - 1].pos_ == "CCONJ" or doc[i - 1].text in ",;:"):
        return False    # a list of contributions: "Russia was sending 3,000 and Belarus 500"
    return True


def _token_at(doc: Doc, char: int) -> int:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.start if span is not None else 0


def _headcount(doc, text, core, prefix, noun, post_qualifier, end_char, rules) -> Headcount:
    if core.high is not None:
        qualifier = "range"
    elif prefix.qualifier in ("at least", "at most") or post_qualifier in ("at least", "at most"):
        qualifier = prefix.qualifier if prefix.qualifier in ("at least", "at most") else post_qualifier
    elif prefix.qualifier == "approximate" or post_qualifier == "approximate" or core.vague:
        qualifier = "approximate"
    elif core.label == "QUANTITY" and any(_low(t) in rules.approximate_quantity_nouns for t in doc[core.start:core.end]):
        qualifier = "approximate"
    else:
        qualifier = "exact"
    assert qualifier in QUALIFIERS
    start = prefix.start_char
    token_start = _token_at(doc, start)
    token_end = token_start
    while token_end < len(doc) and doc[token_end].idx < end_char:
        token_end += 1
    noun_text = noun.text
    if noun_text is None and noun.token is not None and noun.kind != "other":
        noun_text = doc[noun.token].text
    return Headcount(
        start=start,
        end=end_char,
        token_start=token_start,
        token_end=token_end,
        value=core.value,
        qualifier=qualifier,
        high=core.high,
        text=text[start:end_char],
        noun=noun_text,
        anaphoric=noun.anaphoric or prefix.anaphoric,
        increment=noun.increment or prefix.increment,
    )
