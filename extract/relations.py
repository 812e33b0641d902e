"""Relations stage: from headcounts, places and movement words to deployment rows.

The unit of reading is a *segment*: the stretch of a sentence that belongs to one
headcount. "1,000 of these soldiers will move from Germany to Romania, and 2,000 others
will go from Fort Bragg to Poland and Germany" has two segments, cut at the last clause
break (", and") before the second figure. Within a segment:

- a movement word (a trigger lemma from the rule file) must be present, unless the
  segment names a destination with a strong cue ("to", "vers") or is a verbless headline;
- destinations are places cued "to/into/vers/pour...", or failing that "there"/"le pays"
  pointing back, or places cued "in/en/à/au..." after the movement word; a figure on the
  move with no place of its own continues the previous sentences' destination;
- origins are places cued "from/de/depuis/out of" or named as the troops' home ("X-based",
  "based at", "from its base in"); failing those, the origin the text named for "2,400 of
  them", the force's remembered home base, then the force's own country (marked inferred);
- one figure sent to several destinations gives one row per destination, marked shared;
  "to Senegal and then on to Liberia" gives one row per leg.

`ArticleMemory` carries what earlier sentences established (force, home base, last named
origin and destination). Garrisons, totals and troops already in place, casualties, negated
moves and alerts without a destination give no row. Article-level clean-up removes duplicates
(a headline restating the body) and marks shared figures and headline totals so that sums
count each soldier once.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Optional

from spacy.tokens import Doc, Span

from extract import geo
from extract.numbers import Headcount, is_casualty
from extract.places import DESTINATION, HOME, LOCATION, NEAR, ORIGIN, PlaceMention
from extract.rules import load_rules
from extract.schema import Deployment

UNIT_PATTERNS = {
    "en": re.compile(
        r"\b(?:\d+(?:st|nd|rd|th)|[IVX]+)\s+(?:[A-Z][\w.-]*\s+){0,4}?"
        r"(?:Division|Brigade(?: Combat Team)?|Regiment|Battalion|Squadron|Corps|Group|Commando|Force|Wing|Fleet)"
        r"(?:\s+(?:Combat Team))?|\b(?:\d+(?:st|nd|rd|th)\s+)?(?:Royal|Marine|Stryker)\s+[A-Z][\w ]{2,40}?"
        r"(?:Regiment|Battalion|Brigade|Commando|Force)\b"
    ),
    "fr": re.compile(
        r"\b\d+(?:e|er|ème)\s+(?:régiment|bataillon|brigade|division|escadron|groupement|compagnie)"
        r"(?:\s+(?:de|d['’]|du|des)\s*[a-zéèêàç'’-]{2,30}(?:\s+(?!de\b|du\b|d['’])[a-zéèêàç-]{3,30}(?=[\s,.;)]))?)?"
        r"|\b\d+(?:e|er)\s+[A-Z]{2,6}[a-z]?\b|\bbrigade\s+[A-Z][a-zé]+\b"
    ),
}


@dataclass
class _Segment:
    sent: Span
    start: int                      # token range inside the doc
    end: int
    headcount: Optional[Headcount]


# Verbs of being or having troops somewhere: "were in Niger", "se trouvaient au Mali", "compte 400 policiers en Haïti".
HAVING_VERBS = {"be", "être", "trouver", "have", "avoir", "compter", "compte", "count"}


# Present and past forms that state a force's size ("ne compte que 12 000 hommes"); "comptera" announces one.
COUNTING_FORMS = {"compte", "comptent", "comptait", "comptaient", "counts", "numbers", "numbered", "totals"}


@dataclass
class _Garrison:
    """Troops the text says are somewhere ("1 000 militaires étaient stationnés au Tchad"), for a
    next sentence that moves them ("Ils ont tous regagné la France")."""
    headcount: Headcount
    place: PlaceMention
    force: Optional[str]
    sent: Span
    sentence_index: int
    static: bool = True             # said to be there ('were in'), not only left without a row


@dataclass
class ArticleMemory:
    """What earlier sentences established, for "these troops", "there" and "y"."""
    home_origin: Optional[PlaceMention] = None     # last base or city troops were said to come from
    last_place: Optional[PlaceMention] = None      # last destination or location named
    last_base: Optional[PlaceMention] = None       # the same, if an installation: "sent to the base"
    last_force: Optional[str] = None
    last_force_sentence: int = -10
    sentence_index: int = 0
    last_origins: list = field(default_factory=list)       # the last origins the text named
    last_destinations: list = field(default_factory=list)
    last_destination_sentence: int = -10
    theatre: dict = field(default_factory=dict)    # destination country -> rows so far
    last_status: Optional[str] = None              # of the last row, for its shares ("4 000 d'entre eux")
    garrison: Optional[_Garrison] = None
    countries: list = field(default_factory=list)  # countries named or implied ('tchadien'), in order
    figure_rows: list = field(default_factory=list)  # the last rows with a figure, for "they come from:"
    figure_sentence: int = -10
    forces: dict = field(default_factory=dict)     # force -> weight, for the article's main actor


def find_deployments(
    doc: Doc,
    lang: str,
    headcounts: list[Headcount],
    places: list[PlaceMention],
    dates: Iterable[tuple[int, int, str]] = (),
) -> list[Deployment]:
    rules = load_rules(lang)
    memory = ArticleMemory(forces=_article_forces(doc, rules, lang))
    dates = list(dates)
    rows: list[Deployment] = []
    for index, sent in enumerate(_sentences(doc)):
        memory.sentence_index = index
        sent_places = [p for p in places if sent.start <= p.token_start < sent.end]
        sent_counts = [h for h in headcounts if sent.start <= h.token_start < sent.end]
        triggers = [t for t in sent if _trigger_status(t, rules) is not None]
        if not triggers and index == 0 and sent_counts:
            # A headline often has no verb: "Deux cents policiers kényans de plus à Port-au-Prince".
            triggers = [doc[h.token_start] for h in sent_counts]
        strong = any(p.cue == DESTINATION for p in sent_places)
        carried = [] if sent_counts else _carried_rows(sent, sent_places, triggers, rules, lang, memory, dates)
        if carried:
            # The troops were in place in the sentence before; its row for them was no move.
            rows = [r for r in rows if r.headcount_group != carried[0].headcount_group] + carried
        elif not sent_counts:
            replaced, added = _elaborated_rows(sent, places, rules, lang, memory)
            rows = [r for r in rows if not any(r is old for old in replaced)] + added
        before = len(rows)
        # A sentence with a figure but no place may continue the previous destination.
        if (sent_places or sent_counts) and (triggers or strong and sent_counts):
            for segment in _segments(sent, sent_counts, rules):
                rows.extend(_segment_rows(doc, segment, sent_places, triggers, rules, lang, memory, dates))
        _fill_from_garrison(rows[before:], memory)
        figure_rows = [r for r in rows[before:] if r.headcount is not None]
        if figure_rows:
            memory.figure_rows, memory.figure_sentence = figure_rows, index
        _remember_garrison(sent, sent_counts, sent_places, rules, lang, memory,
                           {r.headcount_group for r in rows[before:]})
        _remember(sent, sent_places, memory, rules, lang, triggers)
        if triggers and _is_movement(triggers, rules) and memory.last_destination_sentence < index:
            # "Le vol s'est posé sur l'aéroport Toussaint-Louverture. En sont descendus 200 policiers":
            # a move without a figure still sets where the story's troops are going.
            arrived = [p for p in sent_places if p.cue in (DESTINATION, LOCATION) and p.place.kind != "region"]
            if arrived:
                memory.last_destinations, memory.last_destination_sentence = arrived[-1:], index
    return _refine_origins(_clean_up(rows), places)


# ---------------------------------------------------------------- segments

def _sentences(doc: Doc) -> list[Span]:
    """The parser's sentences, re-joined where it cut inside one ("les états" | "-majors se trouvent")."""
    merged: list[Span] = []
    for sent in doc.sents:
        first = sent[0]
        previous = doc[sent.start - 1] if sent.start else None
        unfinished = previous is not None and previous.text[-1:] not in ".!?»\"”…:" and not previous.is_space
        continues = first.text[:1] in "-–,;)" or first.text[:1].islower() and not first.is_space or unfinished
        if merged and continues and "\n" not in previous.text:
            merged[-1] = doc[merged[-1].start:sent.end]
        else:
            merged.append(sent)
    return merged


def _segments(sent: Span, counts: list[Headcount], rules: dict) -> list[_Segment]:
    counts = _main_counts(sent, sorted(counts, key=lambda h: h.token_start))
    if not counts:
        return [_Segment(sent, sent.start, sent.end, None)]
    doc = sent.doc
    segments = []
    start = sent.start
    for index, count in enumerate(counts):
        if index + 1 < len(counts):
            nxt = counts[index + 1]
            cut = nxt.token_start
            # "900 hommes, le Niger, le Burkina Faso et le Sénégal environ 500 chacun": the list before
            # a figure given to each belongs to it, so cut at the first break, not the last.
            each = any(t.lower_ in rules["each_words"] for t in doc[nxt.token_end - 1:nxt.token_end + 1])
            order = range(count.token_end, nxt.token_start) if each else \
                range(nxt.token_start - 1, count.token_end - 1, -1)
            for i in order:
                if doc[i].lower_ in rules["clause_breaks"] or doc[i].text in (",", ";"):
                    cut = i
                    break
            else:
                # "reached 2,500 personnel following the arrival this week of some 800 Marines": with no
                # clause break, a movement word between the figures belongs to the second one.
                movers = [i for i in range(count.token_end, nxt.token_start) if _trigger_status(doc[i], rules)]
                if movers:
                    cut = movers[-1]
                    while cut > count.token_end and doc[cut - 1].pos_ == "DET":
                        cut -= 1
            end = cut
        else:
            end = sent.end
        segments.append(_Segment(sent, start, end, count))
        start = end
    return segments


def _main_counts(sent: Span, counts: list[Headcount]) -> list[Headcount]:
    """Drop figures that only break down or qualify the one before them:
    '2 400 des 4 600 militaires' (a share of a total) and '1 500 militaires – un millier à Niamey,
    les autres à Ouallam – ont quitté' (a breakdown between dashes or brackets)."""
    doc = sent.doc
    kept: list[Headcount] = []
    for count in counts:
        if kept:
            prev = kept[-1]
            between = doc[prev.token_end:count.token_start]
            words = [t.lower_ for t in between]
            if words and len(words) <= 3 and words[0] in ("des", "of", "sur", "parmi", "out"):
                continue
            opened = [t for t in doc[prev.token_end:count.token_start] if t.text in ("(", "–", "—", "-")]
            if opened:
                close = {"(": ")"}.get(opened[-1].text, opened[-1].text)
                rest = [t.text for t in doc[count.token_end:sent.end]]
                if close in rest:
                    continue
        kept.append(count)
    return kept


# ---------------------------------------------------------------- one segment

def _segment_rows(doc, segment, sent_places, sent_triggers, rules, lang, memory, dates) -> list[Deployment]:
    tokens = _clause(doc, segment, rules)
    count = segment.headcount
    asides = _asides(tokens)
    mentions = [p for p in sent_places if tokens.start <= p.token_start < tokens.end
                and not any(a <= p.token_start < b for a, b in asides)]
    triggers = [t for t in sent_triggers if tokens.start <= t.i < tokens.end]
    if not triggers and tokens[0].lower_ in ("and", "et", ",", "or", "ou") and sent_triggers:
        # "will send 6,200 from Camp Lejeune, and 800 from Camp Pendleton": the verb is shared.
        triggers = [t for t in sent_triggers if t.i < tokens.start]


    if _is_casualty(tokens, count, rules, lang) or _names_a_known_total(count, doc) or _reaches_a_total(count, doc, rules):
        return []
    contributors = _each_contributor(tokens, count, mentions, rules)
    mentions = [m for m in mentions if m not in contributors]
    strong = [m for m in mentions if m.cue == DESTINATION]
    # "10 000 militaires seraient présents à la frontière : 4 000 d'entre eux épauleront la
    # garde-frontière, tandis que les 6 000 restants formeront une réserve": a share of the figure
    # just placed goes where that figure goes.
    frame = list(memory.last_destinations) if (
        count is not None and not triggers and _refers_back(count, doc) and memory.last_destination_sentence == memory.sentence_index
        and not any(m.cue in (DESTINATION, LOCATION) for m in mentions)) else []
    if not triggers and not strong and not frame:
        return []
    triggers = triggers or sent_triggers
    if _negated(triggers, tokens, rules):
        return []
    status = _status(triggers, tokens, rules, count)
    force = _force(tokens, count, mentions, rules, lang, memory)

    # Places the clause does not name itself ("there", "le pays", the previous sentence's) are
    # only taken for a move, not for a garrison, a total or troops already in place.
    in_place = _is_garrison(triggers, rules) or _says_in_place(tokens, rules)
    destinations = _first_clause(doc, strong, rules) or frame
    if frame:
        in_place, status = False, memory.last_status or status
    if not destinations and not in_place:
        destinations = _anaphoric_destination(tokens, memory, lang, rules, force)
    if not destinations:
        destinations = _plain_destinations(mentions, triggers, count, rules)
        headline = segment.sent.start == 0  # "Deux cents policiers kényans de plus à Port-au-Prince"
        if destinations and not headline and _is_garrison(triggers, rules):
            return []
    homeward = not destinations and not in_place and force and _says_homeward(tokens, rules)
    if homeward:
        destinations = _force_country(force)  # "set off by road for home", "rentrer au pays"
        status = "withdrawn" if status in ("deployed", "arrived") else status
    located = [m for m in mentions if m.cue in (LOCATION, DESTINATION)]
    named_unit = count is None and _unit(tokens.text, lang) is not None and any(
        m.cue in (ORIGIN, HOME) for m in mentions)
    if not destinations and (count is not None or named_unit) and _is_movement(triggers, rules) \
            and not located and not in_place:
        # Only a clause that names no place of its own continues the previous destination; without
        # a figure, only a named unit from a named base does ("the 4th Brigade from Fort Riley is
        # scheduled to leave in February").
        destinations = _context_destination(memory, count, doc, force)
        strong = strong or (destinations if named_unit else [])
    if not destinations:
        return []
    if status == "alert" and not strong:
        return []

    if force:
        destinations = [_own_side(d, force) for d in destinations]
    origins = [m for m in mentions if m.cue in (ORIGIN, HOME) and m not in destinations
               and not _inside_with_phrase(m, tokens, count)]
    unit_on_the_move = count is None and strong and _is_movement(triggers, rules) and _unit(tokens.text, lang)
    if count is None and not unit_on_the_move and not (
            origins and strong and (named_unit or _names_troops(tokens, triggers, rules))):
        # Without a figure, only a fully stated move ("the brigade from Fort Riley ... to Baghdad")
        # is worth a row: vaguer sentences were mostly commentary when measured on the dev set.
        return []
    if status == "withdrawn":
        # "left Gao", "quitté le Niger": a withdrawal's plain location is where troops leave from.
        left = [m for m in mentions if m.cue == LOCATION and m not in destinations and m.place.kind != "region"]
        origins = origins or left
    # "la force Licorne, stationnée en Côte d'Ivoire, acheminée d'Abidjan": the city says more.
    origins = [o for o in origins if o.place.kind != "country" or not any(
        p.place.country == o.place.country and p.place.kind != "country" for p in origins)]
    # A place inside the destination country is where the news was reported from, not an origin.
    origins = [o for o in origins if not any(
        d.place.kind == "country" and o.place.country == d.place.country for d in destinations)]

    if status in ("deployed", "withdrawn") and force and _is_departure(triggers, rules):
        # Leaving a foreign country, or heading home, is a withdrawal ("ont quitté le Mali");
        # leaving home barracks is a deployment ("les cars ont quitté le quartier Tom-Morel").
        abroad = [o for o in origins if o.place.country and o.place.country != force]
        homeward = any(d.place.kind == "country" and d.place.country == force for d in destinations)
        status = "withdrawn" if abroad or homeward else "deployed"
    origins, inferred = _fill_origins(origins, destinations, count, force, memory, tokens, rules)
    if homeward and not any(o.place.country != force for o in origins):
        return []  # going home from an unknown place, or from home: no movement to draw
    if force:
        memory.last_force, memory.last_force_sentence = force, memory.sentence_index
    legs = _legs(doc, origins, destinations)
    if contributors:
        # "le Niger, le Burkina Faso, le Togo et le Sénégal environ 500 chacun": one row per country,
        # each its own force and each with the whole figure.
        legs = [(c, d) for c in contributors for d in destinations if c.place != d.place]
        inferred = set()  # named by the text, so no two of them collapse into one
    if origins and not inferred:
        memory.last_origins = origins  # for "roughly 2,400 of them" later in the same sentence
    memory.last_destinations = destinations
    memory.last_destination_sentence = memory.sentence_index
    memory.last_status = status
    for destination in destinations:
        if destination.place.kind == "country":
            memory.theatre[destination.place] = memory.theatre.get(destination.place, 0) + 1

    shared = count is not None and count.value is not None and (
        len(destinations) > 1 or len(origins) > 1) and not _is_chain(doc, destinations) and not contributors
    sent = segment.sent
    date = _nearest_date(dates, tokens.start_char, tokens.end_char, sent)
    rows = []
    for origin, destination in legs:
        rows.append(Deployment(
            **_place_fields("origin", origin, origin.text if origin is not None and origin not in inferred else None),
            **_place_fields("destination", destination,
                            destination.text if destination.token_start >= tokens.start else None),
            headcount=count.value if count else None,
            headcount_qualifier=count.qualifier if count else None,
            headcount_shared=shared,
            headcount_group=(f"c{count.start}" + (f"-{origin.place.country}" if contributors else "")
                             if count is not None else None),
            status=status,
            force=origin.place.country if contributors else force,
            unit=_unit_of(tokens, origin, lang),
            date=date,
            evidence=sent.text.strip(),
            start=sent.start_char,
            end=sent.end_char,
            lang=lang,
            confidence=_confidence(count, destination, origin, origin in inferred, triggers),
        ))
    return rows


def _governing_verb(count: Headcount, doc: Doc):
    """The verb the troops are the subject or object of: '2 400 des 4 600 militaires ... se trouvaient'."""
    token = doc[count.token_start]
    for _ in range(6):
        if token.pos_ in ("VERB", "AUX") and not count.token_start <= token.i < count.token_end:
            return token
        if token.head.i == token.i:
            return token  # the root, even when the tagger misreads it ("Le Kenya compte" as a noun)
        token = token.head
    return None


def _static_count(count: Headcount, doc: Doc, rules: dict) -> bool:
    """Troops said to be somewhere rather than going there: the verb is one of being or staying,
    and no movement verb hangs from it ('are to deploy', 'doivent partir')."""
    verb = _governing_verb(count, doc)
    if verb is None or not {verb.lemma_.lower(), verb.lower_} & (rules["static_triggers"] | HAVING_VERBS):
        return False
    moving = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp", "acomp", "advcl") and
              _trigger_status(c, rules) not in (None, "alert") and c.lemma_.lower() not in rules["static_triggers"]]
    return not moving and not any(_trigger_status(c, rules) in ("deployed", "arrived", "withdrawn", "ordered")
                                  for c in verb.children if c.dep_ in ("attr", "dobj", "obj"))


def _remember_garrison(sent, counts, places, rules, lang, memory, row_groups) -> None:
    """Remember troops said to be somewhere, with the place, when no row moved them: the next
    sentences may ('Ils ont regagné la France', 'Les militaires seront répartis entre...')."""
    doc = sent.doc
    for count in _main_counts(sent, counts):
        if not _static_count(count, doc, rules) and f"c{count.start}" in row_groups:
            continue
        located = [p for p in places if p.cue in (LOCATION, HOME) and p.place.kind != "region"]
        # The place after the figure first ("étaient stationnés au Tchad"), else the one before it
        # ("réunira en Lituanie quelque 4 800 soldats").
        located = [p for p in located if p.token_start > count.token_start] or located[-1:]
        force = _force(sent, count, places, rules, lang, memory)
        place = located[0] if located else (_anaphoric_destination(doc[count.token_end:sent.end], memory, lang, rules,
                                                                   force) or [None])[0]
        if place is not None:
            memory.garrison = _Garrison(count, place, force, sent, memory.sentence_index,
                                        _static_count(count, doc, rules))


def _fill_from_garrison(rows: list[Deployment], memory: ArticleMemory) -> None:
    """'About 3,200 paratroopers had been waiting in Kuwait. The rest of the brigade began moving
    north from Kuwait to Baghdad': a move with no figure out of the place where the troops just
    counted were takes their figure."""
    garrison = memory.garrison
    if garrison is None or garrison.sentence_index != memory.sentence_index - 1:
        return
    for row in rows:
        if row.headcount is None and row.origin == garrison.place.place.name and row.origin_text is not None:
            row.headcount, row.headcount_qualifier = garrison.headcount.value, garrison.headcount.qualifier
            row.headcount_group = f"c{garrison.headcount.start}"


def _carried_rows(sent, places, triggers, rules, lang, memory, dates) -> list[Deployment]:
    """'Environ 1 000 militaires français étaient stationnés au Tchad. Ils ont tous regagné la France':
    a sentence that only says 'they' moves the troops the sentence before placed somewhere."""
    garrison = memory.garrison
    if garrison is None or garrison.sentence_index != memory.sentence_index - 1 or not _is_movement(triggers, rules):
        return []
    opening = " ".join(t.lower_ for t in sent[:3] if not t.is_space)
    if not any(opening == w or opening.startswith(w + " ") for w in rules["carry_subjects"]):
        return []
    first_move = min(t.i for t in triggers if _trigger_status(t, rules) not in (None, "alert"))
    destinations = _distinct([p for p in places if p.place != garrison.place.place and (
        p.cue == DESTINATION or p.cue == LOCATION and p.token_start > first_move)])
    if not destinations:
        return []
    count, origin, force = garrison.headcount, garrison.place, garrison.force
    homeward = any(d.place.kind == "country" and d.place.country == force for d in destinations)
    status = "withdrawn" if homeward or force and origin.place.country != force else _status(triggers, sent, rules)
    doc = sent.doc
    evidence = doc[garrison.sent.start:sent.end]
    return [Deployment(
        **_place_fields("origin", origin, origin.text),
        **_place_fields("destination", destination, destination.text),
        headcount=count.value, headcount_qualifier=count.qualifier,
        headcount_shared=count.value is not None and len(destinations) > 1,
        headcount_group=f"c{count.start}", status=status, force=force,
        unit=_unit(evidence.text, lang), date=_nearest_date(dates, evidence.start_char, evidence.end_char, evidence),
        evidence=evidence.text.strip(), start=evidence.start_char, end=evidence.end_char, lang=lang,
        confidence=_confidence(count, destination, origin, False, triggers),
    ) for destination in destinations]


def _opens_on_troops(sent, rules) -> bool:
    """Does the sentence open on the troops just counted: 'Ils', 'They', 'The reinforcements'?"""
    opening = " ".join(t.lower_ for t in sent[:3] if not t.is_space and t.text not in "-–•*")
    return any(opening == w or opening.startswith(w + " ") for w in rules["carry_subjects"])


def _bullet_mentions(sent, places) -> list[PlaceMention]:
    """Places on the bulleted lines right after a sentence ending with a colon."""
    text = sent.doc.text
    if not sent.text.rstrip().endswith(":"):
        return []
    found, position = [], sent.end_char
    for line in text[sent.end_char:].split("\n"):
        start, position = position, position + len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        if stripped[0] not in "-–•*":
            break
        found += [p for p in places if start <= p.start < position]
    return found


def _elaborated_rows(sent, places, rules, lang, memory) -> tuple[list[Deployment], list[Deployment]]:
    """A sentence with no figure that tells more about the troops just counted:
    'Les militaires seront répartis entre deux emprises : Rūdninkai ... et Rukla' (where they go) or
    'The reinforcements come from three commands:' and a bulleted list of bases (where from).
    Returns the rows it replaces and the rows it adds, which share the figure."""
    if not _opens_on_troops(sent, rules):
        return [], []
    if memory.sentence_index - memory.figure_sentence <= 3:
        previous = memory.figure_rows[-1]
    elif memory.garrison is not None and memory.sentence_index - memory.garrison.sentence_index <= 3:
        previous = _garrison_row(memory.garrison, rules, lang)
    else:
        return [], []
    words = " " + " ".join(t.lower_ for t in sent) + " "
    doc, end = sent.doc, sent.end
    if sent.text.rstrip().endswith(":"):
        # "répartis entre deux emprises : Rūdninkai, au sud de Vilnius, ..., et Rukla": read on to the full stop.
        while end < len(doc) and doc[end].text not in (".", "!", "?") and "\n" not in doc[end].text:
            end += 1
    own = [p for p in places if sent.start <= p.token_start < end and p.cue != NEAR]
    evidence = f"{previous.evidence} ... {sent.text.strip()}"
    if any(f" {w} " in words for w in rules["split_words"]):
        targets = _distinct([p for p in own if p.place.kind in ("base", "city", "state", "region")
                             and p.place.country == previous.destination_country])
        if len(targets) < 2:
            return [], []
        return [], [replace(previous, **_place_fields("destination", p, p.text), headcount_shared=True,
                            evidence=evidence) for p in targets]
    if any(f" {w} " in words for w in rules["source_phrases"]):
        sources = _distinct([p for p in own + _bullet_mentions(sent, places) if p.cue in (ORIGIN, HOME)])
        if not sources:
            return [], []
        inferred = [r for r in memory.figure_rows if r.origin_text is None]
        base = inferred[-1] if inferred else previous
        inferred = [r for r in inferred if r.headcount_group == base.headcount_group]
        return inferred, [replace(base, **_place_fields("origin", p, p.text), headcount_shared=len(sources) > 1,
                                  evidence=evidence) for p in sources if p.place.name != base.destination]
    return [], []


def _garrison_row(garrison: _Garrison, rules, lang) -> Deployment:
    """The remembered troops as a row: from their force's country to where they were said to be."""
    count = garrison.headcount
    home = _force_country(garrison.force) if garrison.force else []
    return Deployment(
        **_place_fields("origin", home[0] if home else None, None),
        **_place_fields("destination", garrison.place, garrison.place.text),
        headcount=count.value, headcount_qualifier=count.qualifier, headcount_group=f"c{count.start}",
        status=_status([], garrison.sent, rules, count), force=garrison.force, unit=_unit(garrison.sent.text, lang),
        evidence=garrison.sent.text.strip(), start=garrison.sent.start_char, end=garrison.sent.end_char, lang=lang,
        confidence=0.5,
    )


def _place_fields(side: str, mention: Optional[PlaceMention], text: Optional[str]) -> dict:
    """The origin_* or destination_* columns of a row for one place (all None without one)."""
    place = mention.place if mention is not None else None
    return {
        side: place.name if place else None,
        f"{side}_country": place.country if place else None,
        f"{side}_lat": place.lat if place else None,
        f"{side}_lon": place.lon if place else None,
        f"{side}_kind": place.kind if place else None,
        f"{side}_text": text,
    }


def _asides(tokens: Span) -> list[tuple[int, int]]:
    """Token ranges between paired dashes or brackets: '1 500 militaires – un millier à Niamey,
    les autres à Ouallam – ont quitté le pays' lists where they were, not where they went."""
    ranges, opened = [], None
    for token in tokens:
        if token.text in ("–", "—", "(") and opened is None:
            opened = token
        elif opened is not None and token.text == {"(": ")"}.get(opened.text, opened.text):
            ranges.append((opened.i, token.i))
            opened = None
    return ranges


def _clause(doc, segment, rules) -> Span:
    """The part of a segment around its figure, cut at ';': "...arrived in Vilnius; the bases are at Rukla"."""
    start, end = segment.start, segment.end
    anchor = segment.headcount.token_start if segment.headcount else None
    for i in range(segment.start, segment.end):
        if doc[i].text == ";":
            if anchor is None or i < anchor:
                if anchor is not None:
                    start = i + 1
            else:
                end = i
                break
    return doc[start:end]


def _first_clause(doc, mentions: list[PlaceMention], rules) -> list[PlaceMention]:
    """'to Iraq as the first brigade heads for Baghdad': a new verb or subordinator between two
    destinations starts another clause, whose place is not this figure's. Chains stay whole."""
    if len(mentions) < 2 or _is_chain(doc, mentions):
        return mentions
    kept = [mentions[0]]
    for mention in mentions[1:]:
        between = doc[kept[-1].token_end:mention.token_start]
        if any(t.pos_ == "VERB" or _is_subordinator(t, rules) for t in between):
            break
        kept.append(mention)
    return kept


def _is_subordinator(token, rules) -> bool:
    """'while', 'après', 'tandis que', 'alors que' (not the adverb 'alors', 'then')."""
    if token.lower_ not in rules["subordinators"]:
        return False
    if token.lower_ in ("alors", "tandis", "bien"):
        following = token.doc[token.i + 1].lower_ if token.i + 1 < len(token.doc) else ""
        return following in ("que", "qu'", "qu’")
    return True


def _is_casualty(tokens, count, rules, lang) -> bool:
    if count is not None and is_casualty(count, lang):
        return True
    if count is None:
        return any(t.lower_ in rules["casualty_words"] for t in tokens)
    # Near the figure or its verb: not "hours after a drone strike killed Soleimani" at the end.
    verb = _governing_verb(count, tokens.doc)
    anchors = [count.token_start] + ([verb.i] if verb is not None else [])
    return any(t.lower_ in rules["casualty_words"] and min(abs(t.i - a) for a in anchors) <= 8 for t in tokens)


def _context_destination(memory, count=None, doc=None, force=None) -> list[PlaceMention]:
    """'13,500 more will follow: the Marine Corps will send another 6,200 from Camp Lejeune...':
    a figure on the move with no place of its own continues the previous sentence's destination."""
    if memory.sentence_index - memory.last_destination_sentence <= 2:
        return list(memory.last_destinations)
    garrison = memory.garrison
    if garrison is not None and garrison.static and memory.sentence_index - garrison.sentence_index <= 2 and force \
            and garrison.force == force and garrison.place.place.country != force:
        # "Le Kenya compte désormais 400 policiers en Haïti. Nairobi s'est engagé à en fournir un
        # millier": more of the same force's troops go where its troops are.
        return [garrison.place]
    if memory.theatre and count is not None and _refers_back(count, doc):
        # "The Georgia post said approximately 3,800 of its soldiers would go": a share of
        # troops already in the story goes where the story's troops go.
        place = max(memory.theatre, key=memory.theatre.get)
        return [PlaceMention(start=-1, end=-1, token_start=-1, token_end=-1, text="", place=place, cue=None,
                             cue_word=None)]
    return []


def _plain_destinations(mentions, triggers, count, rules) -> list[PlaceMention]:
    """A plain location ("en Roumanie", "in Kuwait") is a destination only after the movement word
    or the figure ("Crise en Ukraine : ... 3 000 soldats en Europe de l'Est"), and of several the
    last list of them wins ("boarded at Pope Army Airfield ... and are now in Kuwait")."""
    headline = bool(triggers) and triggers[0].sent.start == 0
    if not _is_movement(triggers, rules) and not headline:
        return []
    doc = triggers[0].doc
    first = min([t.i for t in triggers] + ([count.token_start] if count else []))
    # "sent to the base in July, after Iran seized a tanker in the Strait of Hormuz": a
    # subordinate clause after the move has its own places.
    stop = next((t.i for t in doc[first:triggers[-1].sent.end] if _is_subordinator(t, rules)
                 and t.i > max(t.i for t in triggers)), None)
    found = [m for m in mentions if m.cue == LOCATION and m.token_start > first
             and (stop is None or m.token_start < stop)]
    if len(found) < 2:
        return found
    runs = [[found[0]]]
    for mention in found[1:]:
        between = doc[runs[-1][-1].token_end:mention.token_start]
        if all(t.is_punct or t.pos_ in ("CCONJ", "DET", "ADP") for t in between):
            runs[-1].append(mention)
        else:
            runs.append([mention])
    return runs[-1]


def _fill_origins(origins, destinations, count, force, memory, tokens, rules):
    """Origins the text leaves out: the last one named, for "2,400 of them" or troops going
    "back"/"home"; then the last home base named for the same force; then the force's own
    country (an arc needs a start).
    Returns the origins and the set of those that were inferred rather than read."""
    if origins:
        return origins, set()
    candidates = []
    doc = tokens.doc
    returning = any(t.lower_ in rules["return_words"] or t.lemma_.lower() in rules["return_words"] for t in tokens) \
        or force is not None and any(d.place.kind == "country" and d.place.country == force for d in destinations)
    if memory.last_origins and any(o.text for o in memory.last_origins) and (
            count is not None and _refers_back(count, doc) or returning):
        # "2,400 of them", or troops flown "back to Armenia" from the place named before.
        candidates = list(memory.last_origins)
    elif memory.home_origin is not None and force and force in (
            memory.home_origin.place.country, geo.operator(memory.home_origin.place)) \
            and all(d.place != memory.home_origin.place and memory.home_origin.place.country not in d.place.members
                    for d in destinations):
        candidates = [memory.home_origin]  # a home base of this force, at home or abroad (Sennelager)
    elif force:
        candidates = _force_country(force)
    # Troops moving inside their own country keep an empty origin rather than a guess.
    candidates = [c for c in candidates if all(d.place.country != c.place.country or c.place.kind != "country"
                                               for d in destinations)]
    return candidates, set(candidates)


def _own_side(mention: PlaceMention, force: str) -> PlaceMention:
    """A force sent to a border it shares ('la frontière avec la Biélorussie' for Polish troops)
    goes to its own side of it."""
    place = mention.place
    if place.kind == "region" and place.country is None and force in place.members and len(place.members) == 2:
        return replace(mention, place=replace(place, country=force))
    return mention


def _force_country(force: str) -> list[PlaceMention]:
    """The force's own country as a place the text did not name (no offsets, no words)."""
    home = geo.country(force)
    if home is None:
        return []
    return [PlaceMention(start=-1, end=-1, token_start=-1, token_end=-1, text="", place=home, cue=None,
                         cue_word=None)]


def _says_homeward(tokens, rules) -> bool:
    text = " " + " ".join(t.lower_ for t in tokens) + " "
    return any(f" {phrase} " in text for phrase in rules["homeward_phrases"])


def _home_bases(places: list[PlaceMention]) -> list[PlaceMention]:
    """Places the article names as somewhere troops are based or leave from: 'from Fort Stewart',
    'who left Edmonton', 'whose home is RM Condor', 'the 1st Brigade at Fort Bragg'."""
    return [m for m in places if m.place.kind in ("base", "city") and (
        m.cue in (ORIGIN, HOME) or m.place.kind == "base" and m.cue == LOCATION)]


def _refine_origins(rows: list[Deployment], places: list[PlaceMention]) -> list[Deployment]:
    """A row whose origin was inferred as the force's own country takes the home base the
    article names for that force elsewhere, before or after the figure: "3,500 soldiers from
    the 82nd Airborne to Kuwait. The reinforcements are the rest of its brigade at Fort Bragg".
    Only a place inside that country is taken, so the row's country never changes."""
    bases = _home_bases(places)
    refined = []
    for row in rows:
        # A headline total ("3 000 soldats en Europe de l'Est") comes from all the origins its
        # parts name, so it keeps the country.
        if row.counted and row.origin_text is None and row.force and row.origin_kind == "country" \
                and row.origin_country == row.force:
            candidates = [m for m in bases if m.place.country == row.force
                          and m.place.name != row.destination and m.place.country != row.destination_country]
            if candidates:
                best = min(candidates, key=lambda m: abs(m.start - (row.start or 0)))
                row = replace(row, origin=best.place.name, origin_lat=best.place.lat,
                              origin_lon=best.place.lon, origin_kind=best.place.kind)
        refined.append(row)
    return refined


def _each_contributor(tokens, count, mentions, rules) -> list[PlaceMention]:
    """The countries of 'le Niger, le Burkina Faso, le Togo et le Sénégal environ 500 chacun'."""
    doc = tokens.doc
    if count is None or not any(t.lower_ in rules["each_words"] for t in doc[count.token_end - 1:count.token_end + 1]):
        return []
    # Cue-less, or carrying the cue of a place listed just before them ("900 troops to Mali, and Niger...").
    listed = [m for m in mentions if m.place.kind == "country" and m.token_end <= count.token_start
              and m.cue in (None, LOCATION, DESTINATION) and (m.cue is None or m.cue_word not in
                                                               {t.lower_ for t in doc[m.token_start - 2:m.token_start]})]
    return listed if len(listed) >= 2 else []


def _reaches_a_total(count: Optional[Headcount], doc: Doc, rules: dict) -> bool:
    """'has reached its planned strength of 2,500', 'should end up well over 1,000 strong',
    'doit atteindre 500': the figure is what a force grows to, not troops on the move."""
    if count is None:
        return False
    # "dont l'armée ne compte qu'environ 12 000 hommes", "the force numbers 4,000": read the words too,
    # the parser often hangs the figure elsewhere.
    if any(t.lower_ in COUNTING_FORMS for t in doc[max(0, count.token_start - 3):count.token_start]):
        return True
    token = doc[count.token_start]
    for _ in range(6):
        head = token.head
        if head.i == token.i:
            return False
        lemma = head.lemma_.lower()
        if (head.pos_ in ("VERB", "AUX") or head.dep_ == "ROOT" and lemma in rules["total_verbs"]) \
                and not count.token_start <= head.i < count.token_end:
            # "l'armée ne compte qu'environ 12 000 hommes" is a size; "le contingent comptera 1 960
            # militaires" announces one.
            counting = lemma in ("count", "compter", "compte") and "Fut" not in head.morph.get("Tense")
            return (lemma in rules["total_verbs"] and (counting or lemma not in ("count", "compter"))) and token.dep_ in (
                "dobj", "obj", "attr", "acomp", "oprd", "xcomp", "npadvmod", "advmod")
        token = head
    return False


def _inside_with_phrase(mention: PlaceMention, tokens: Span, count: Optional[Headcount]) -> bool:
    """'..., with their Leopard 2 tanks following by rail from the Grafenwoehr training area': a
    trailing 'with' phrase tells where the equipment came from, not the troops."""
    doc = tokens.doc
    start = count.token_end if count is not None else tokens.start
    opened = False
    for i in range(max(start, tokens.start), mention.token_start):
        if doc[i].lower_ in ("with", "avec") and i > 0 and doc[i - 1].text == ",":
            opened = True
        elif doc[i].text in (",", ";", "(", ")"):
            opened = False  # "100 Marines, with four Ospreys, flew from Morón": the aside has closed
    return opened


def _names_a_known_total(count: Optional[Headcount], doc: Doc) -> bool:
    """'si ces renforts sont compris dans les 10 000', 'among the 4,000': a figure already given."""
    if count is None or count.token_start < 2:
        return False
    before = [t.lower_ for t in doc[count.token_start - 2:count.token_start]]
    return before[1] in ("les", "the") and before[0] in ("dans", "in", "among", "parmi", "into")


def _refers_back(count: Headcount, doc: Doc) -> bool:
    """'2 000 autres', '1,000 of these troops', '6,400 of the troops', 'un millier de ces soldats'."""
    if count.anaphoric:
        return True
    following = [t.lower_ for t in doc[count.token_end:count.token_end + 2]]
    return bool(following) and following[0] in ("of", "des", "de") and len(following) > 1 and \
        following[1] in ("the", "these", "those", "its", "their", "ces", "ses", "leurs")


def _is_chain(doc, destinations) -> bool:
    """'to Senegal and then on to Liberia', 'vers Douala puis Bangui': one leg after another."""
    if len(destinations) < 2:
        return False
    between = doc[destinations[0].token_end:destinations[-1].token_start]
    return any(t.lower_ in ("then", "puis", "ensuite", "before", "avant") for t in between)


def _legs(doc, origins, destinations):
    destinations = _distinct(destinations)
    origins = _distinct(origins)
    if _is_chain(doc, destinations):
        stops = (origins[:1] or [None]) + destinations
        return [(a, b) for a, b in zip(stops, stops[1:]) if a is None or a.place != b.place]
    return [(o, d) for o in (origins or [None]) for d in destinations if o is None or o.place != d.place]


def _trigger_status(token, rules) -> Optional[str]:
    if token.pos_ not in ("VERB", "NOUN", "AUX", "ADJ", "PROPN"):
        return None
    if token.lower_ in rules["presence_words"]:
        # "10 000 militaires seraient présents à la frontière": being there tomorrow means going there.
        return "announced" if _future_or_conditional(token) else None
    found = rules["triggers"].get(token.lemma_.lower()) or rules["triggers"].get(token.lower_)
    if found or not rules.get("verb_stems"):
        return found
    # The French lemmatizer misses forms ("la France dépêche" -> "dépêche"): try verb stems.
    return _stem_statuses(id(rules), rules).get(_stem_key(token.lower_))


def _future_or_conditional(token) -> bool:
    words = [token] + [child for child in token.children if child.dep_ in ("cop", "aux", "aux:pass")]
    return any("Fut" in w.morph.get("Tense") or "Cnd" in w.morph.get("Mood") or w.lower_ in ("will", "would")
               for w in words)


def _stem_key(word: str) -> str:
    return word[:6]


_STEMS: dict[int, dict] = {}


def _stem_statuses(rules_id: int, rules: dict) -> dict:
    """Six-letter stems of the rule file's -er verbs ('déploy', 'redépl', 'dépêch' -> status)."""
    if rules_id not in _STEMS:
        _STEMS[rules_id] = {_stem_key(verb): status for verb, status in rules["triggers"].items()
                            if verb.endswith("er") and len(verb) >= 8}
    return _STEMS[rules_id]


def _is_movement(triggers, rules) -> bool:
    return any(_trigger_status(t, rules) not in (None, "alert") for t in triggers)


def _negated(triggers, tokens, rules) -> bool:
    for trigger in triggers:
        if any(child.dep_ == "neg" or child.lower_ in rules["negations"] for child in trigger.children):
            return True
    first_words = {t.lower_ for t in tokens[:6]}
    return bool(first_words & {"none", "aucun", "aucune"})


def _status(triggers, tokens, rules, count=None) -> str:
    # An alert word counts only near the troops or the movement word: "put 8,500 troops on alert",
    # not "l'Alliance a relevé le niveau de préparation ... et salué l'envoi de 3 000 soldats".
    anchors = [count.token_start] if count is not None else [t.i for t in triggers]
    near = [t for t in tokens if any(abs(t.i - a) <= 8 for a in anchors)]
    lowers = {t.lower_ for t in near} | {t.lemma_.lower() for t in near}
    if lowers & rules["alert_words"]:
        return "alert"
    statuses = [_trigger_status(t, rules) for t in triggers]
    if any(t.lemma_.lower() in rules["withdraw_words"] for t in triggers) or "withdrawn" in statuses:
        return "withdrawn"
    words = [t.lower_ for t in tokens]
    future = any(
        (t.lower_ in rules["future_words"] or t.lemma_.lower() in rules["future_words"])
        and not (t.lower_ == "set" and t.doc[min(t.i + 1, len(t.doc) - 1)].lower_ != "to")  # not "set off"
        or "Fut" in t.morph.get("Tense")
        for t in tokens
    ) or any(a in ("is", "are") and b == "to" for a, b in zip(words, words[1:]))  # "are to be sent"
    if "ordered" in statuses:
        return "ordered"
    if future:
        return "announced"
    if "arrived" in statuses:
        return "arrived"
    if "announced" in statuses:
        return "announced"
    return "deployed"


def _is_departure(triggers, rules) -> bool:
    return any(t.lemma_.lower() in rules["departure_words"] for t in triggers)


def _is_garrison(triggers, rules) -> bool:
    """Troops in place, not moving: the clause's only verbs are of being there ('stationed in',
    'où se trouvaient déjà 900 militaires', 'massés aux abords'). 'déjà acheminés en Arménie'
    did move: one real movement verb is enough."""
    moving = [t for t in triggers if _trigger_status(t, rules) not in (None, "alert")
              and t.lemma_.lower() not in rules["static_triggers"]]
    return not moving


def _says_in_place(tokens, rules) -> bool:
    """'already rotate through the country', 'added together, the four groups come to 4,000'."""
    text = " " + " ".join(t.lower_ for t in tokens) + " "
    return any(f" {word} " in text for word in rules["in_place_words"])


def _names_troops(tokens, triggers, rules) -> bool:
    """Without a figure, a row needs troops next to the movement word: not 'envoyer le signal'."""
    trigger_ids = {t.i for t in triggers}
    for token in tokens:
        if token.lower_ in rules["personnel_words"] or token.lemma_.lower() in rules["personnel_words"]:
            if any(abs(token.i - i) <= 6 for i in trigger_ids) or token.head.i in trigger_ids:
                return True
    return False


def _anaphoric_destination(tokens, memory, lang, rules, force=None) -> list[PlaceMention]:
    """'stationing a brigade there', 'd'y déployer', 'into the country': the place named just before;
    'sent to the base': the base named just before."""
    words = [t.lower_ for t in tokens]
    # Not past a subordinator: "landed in Niamey ... while U.S. troops were still there".
    stop = next((i for i, w in enumerate(words) if i > 0 and _is_subordinator(tokens[i], rules)), len(words))
    words = words[:stop]
    for markers, place in ((rules["there_words"], memory.last_place), (rules["base_words"], memory.last_base),
                           (rules["country_words"], _country_referent(memory, force))):
        if place is None:
            continue
        for marker in markers:
            parts = marker.split()
            for i in range(len(words) - len(parts) + 1):
                if words[i:i + len(parts)] != parts:
                    continue
                # "there"/"y" alone; "the country"/"le pays" only after "into", "to", "dans"...
                before = words[i - 1] if i else ""
                if len(parts) == 1 or before in rules["destination_preps"] or before in rules["location_preps"]:
                    return [place]
    return []


def _implied_country(token, lang) -> Optional[str]:
    """'le gouvernement tchadien', 'the Malian junta': a country the sentence is about, whoever speaks."""
    if token.is_stop or token.pos_ not in ("ADJ", "NOUN", "PROPN") or len(token.text) < 4 \
            or token.i in _place_tokens(token.doc):
        return None
    return geo.demonym(token.text, lang)


def _country_referent(memory, force) -> Optional[PlaceMention]:
    """'le pays', 'the country': the last country named or implied ('le gouvernement tchadien')
    that is not the troops' own."""
    for code in reversed(memory.countries):
        if code != force and geo.country(code) is not None:
            return PlaceMention(start=-1, end=-1, token_start=-1, token_end=-1, text="", place=geo.country(code),
                                cue=None, cue_word=None)
    return None


def _force(tokens, count, mentions, rules, lang, memory) -> Optional[str]:
    # 1. A demonym next to the troops: "American service members", "soldats belges".
    near = list(tokens)
    if count is not None:
        doc = tokens.doc
        # Inside the troops' phrase first ("3,000 Russian troops"), then just before the number.
        after = doc[count.token_end:min(tokens.end, count.token_end + 5)]
        before = doc[max(tokens.start, count.token_start - 4):count.token_start]
        near = list(after) + list(reversed(before))
    for token in near:
        code = _demonym(token, lang)
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
    # "The eighth rotation of United States Marines": a country's name on the troops themselves.
    doc = tokens.doc
    for mention in mentions:
        after = doc[mention.token_end] if mention.token_end < len(doc) else None
        if mention.place.kind == "country" and after is not None and (
                after.lower_ in rules["personnel_words"] or after.lemma_.lower() in rules["personnel_words"]):
            return mention.place.country
    # 2. A named military or government body: "the Pentagon", "la Bundeswehr".
    named = _named_forces(tokens.text, lang)
    if named:
        return named[0]
    # 3. A country as subject of the movement verb: "Russia has deployed".
    trigger_ids = {t.i for t in tokens if _trigger_status(t, rules)}
    for token in tokens:
        # "25 allied and partner countries pledged 7,000 troops": many forces, none to name.
        if token.lower_ in rules["multinational_words"] and token.dep_.startswith("nsubj") and (
                token.head.i in trigger_ids or token.head.dep_ == "ROOT"):
            return None
    doc = tokens.doc
    for mention in mentions:
        # "Britain's contribution at Tapa is about 800 troops": the owner of the move.
        after = doc[mention.token_end] if mention.token_end < len(doc) else None
        if mention.place.kind == "country" and after is not None and after.lower_ in ("'s", "’s") \
                and after.head.i in trigger_ids | {t.i for t in tokens if t.lower_ in rules["personnel_words"]}:
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
        code = _demonym(token, lang)
        if code:
            return code
    # 5. The forces that use the installation the troops come from (Sennelager -> GB).
    for mention in mentions:
        if mention.cue in (ORIGIN, HOME) and mention.place.kind == "base" and geo.operator(mention.place):
            return geo.operator(mention.place)
    # 6. The force of the sentence just before, then the article's main actor.
    if memory.last_force and memory.sentence_index - memory.last_force_sentence <= 2:
        return memory.last_force
    if memory.forces:
        return max(memory.forces, key=memory.forces.get)
    return memory.last_force


def _demonym(token, lang) -> Optional[str]:
    """'américains', 'British', 'German-based' -> ISO code; never a function word ('est', 'sur'),
    never a place name ('Poland' says where troops go, not whose they are) and never a speaker
    ('le secrétaire d'État américain a affirmé que 8 000 soldats nord-coréens...')."""
    if token.is_stop or token.pos_ not in ("ADJ", "NOUN", "PROPN") or len(token.text) < 3:
        return None
    if token.head.lemma_.lower() in load_rules(lang)["speaker_nouns"]:
        return None
    if token.i in _place_tokens(token.doc) or token.ent_type_ in ("GPE", "LOC", "FAC") and _names_a_land(token, lang):
        # Inside a place name only an adjective of an installation counts: "la base américaine de
        # Fort Bragg" says whose base it is; "the Russian border" or "Poland" says nothing of troops.
        base = any(p.token_start <= token.i < p.token_end and p.place.kind == "base"
                   for p in token.doc._.places or [])
        if token.pos_ != "ADJ" or not base or geo.resolve(token.text, lang=lang) is not None:
            return None
    return geo.demonym(token.text, lang)


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


def _place_tokens(doc: Doc) -> frozenset:
    """Token indices inside place mentions, computed once per document."""
    if "place_tokens" not in doc.user_data:
        doc.user_data["place_tokens"] = frozenset(
            i for p in (doc._.places or []) for i in range(p.token_start, p.token_end))
    return doc.user_data["place_tokens"]


@functools.lru_cache(maxsize=None)
def _force_name_pattern(lang: str) -> tuple[re.Pattern, dict]:
    """One regex for every named body of the rule file ("the Pentagon", "la Bundeswehr")."""
    names = {name: code for name, code in load_rules(lang)["force_names"].items() if code}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])"), names


def _named_forces(text: str, lang: str) -> list[str]:
    pattern, names = _force_name_pattern(lang)
    return [names[m.group(0)] for m in pattern.finditer(text.lower())]


def _article_forces(doc, rules, lang) -> dict:
    """Whose troops the article is mostly about: demonyms and named bodies, weighted."""
    weights: dict[str, float] = {}
    for token in doc:
        code = _demonym(token, lang)
        if code:
            weights[code] = weights.get(code, 0) + 1
    for code in _named_forces(doc.text, lang):
        weights[code] = weights.get(code, 0) + 2
    for mention in doc._.places or []:
        # "la Pologne va masser 10 000 soldats": a country moving troops is an actor.
        head = doc[mention.token_end - 1]
        verbs = [head.head] + [c for c in head.head.children if c.dep_ == "xcomp"]  # "va masser"
        if mention.place.kind == "country" and head.dep_.startswith("nsubj") and any(
                _trigger_status(v, rules) for v in verbs):
            weights[mention.place.country] = weights.get(mention.place.country, 0) + 2
    return weights


def _unit(text: str, lang: str) -> Optional[str]:
    match = UNIT_PATTERNS.get(lang, UNIT_PATTERNS["en"]).search(text)
    return match.group(0).strip(" ,") if match else None


def _unit_of(tokens: Span, origin: Optional[PlaceMention], lang: str) -> Optional[str]:
    """The unit named last before the row's origin ("the 3rd Infantry Division's 3rd Brigade from
    Fort Benning"), else the clause's first."""
    matches = list(UNIT_PATTERNS.get(lang, UNIT_PATTERNS["en"]).finditer(tokens.text))
    if not matches:
        return None
    if origin is not None and origin.start >= tokens.start_char:
        before = [m for m in matches if tokens.start_char + m.start() < origin.start]
        if before:
            return before[-1].group(0).strip(" ,")
    return matches[0].group(0).strip(" ,")


DATE_LOOKBACK_CHARS = 600  # how far back a date said earlier still dates the move ("mercredi 2 février")


def _nearest_date(dates, start, end, sent) -> Optional[str]:
    """The date closest to the figure in its sentence, else the last one said shortly before;
    a month alone ("in June" -> 2019-06) only when nothing more precise is there."""
    inside = [d for d in dates if sent.start_char <= d[0] < sent.end_char]
    if inside:
        return min(inside, key=lambda d: (len(d[2]) < 10, abs(d[0] - start)))[2]
    before = [d for d in dates if sent.start_char - DATE_LOOKBACK_CHARS <= d[0] < sent.start_char]
    return before[-1][2] if before else None


def _confidence(count, destination, origin, inherited, triggers) -> float:
    score = 0.45
    if destination.cue == DESTINATION:
        score += 0.2
    if count is not None and count.value is not None:
        score += 0.15
        if count.qualifier == "exact":
            score += 0.05
    if origin is not None and not inherited:
        score += 0.1
    if any(t.pos_ == "VERB" for t in triggers):
        score += 0.05
    return round(min(score, 0.95), 2)


SAME_TOWN_KM = 25  # "du 126e régiment d'infanterie de Brive-la-Gaillarde": the regiment's quarter and the town


def _distinct(mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Each place once; a barracks and the town it stands in count as one place."""
    kept: list[PlaceMention] = []
    for m in mentions:
        if any(k.place == m.place or _same_town(k.place, m.place) for k in kept):
            continue
        kept.append(m)
    return kept


def _same_town(a, b) -> bool:
    if a.kind not in ("city", "base") or b.kind not in ("city", "base") or a.country != b.country:
        return False
    return geo.km(a, b) <= SAME_TOWN_KM


def _remember(sent, sent_places, memory: ArticleMemory, rules: dict, lang: str, triggers=()) -> None:
    """What this sentence tells the next ones: forces named, origins named, places named."""
    if memory.last_force_sentence < memory.sentence_index:
        named = _named_forces(sent.text, lang)
        named += [code for code in (_demonym(t, lang) for t in sent) if code]
        if len(set(named)) == 1:
            memory.last_force, memory.last_force_sentence = named[0], memory.sentence_index
    named = sorted([(m.token_start, m.place.country) for m in sent_places if m.cue != NEAR and m.place.country]
                   + [(t.i, code) for t, code in ((t, _implied_country(t, lang)) for t in sent) if code])
    memory.countries = (memory.countries + [code for _i, code in named])[-20:]
    named_origins = [m for m in sent_places if m.cue in (ORIGIN, HOME)]
    if named_origins:
        # "will withdraw 11,900 troops from Germany. Roughly 6,400 of the troops are to return..."
        memory.last_origins = named_origins[:1]
    for mention in sent_places:
        if mention.place.kind == "base" and mention.cue != NEAR:
            memory.last_base = mention  # "operate from Prince Sultan Air Base ... sent to the base"
        # "rolled out from the Sennelager training area" is where troops set off; "would operate from
        # Prince Sultan Air Base" is only where they work.
        moving = _is_movement(triggers, rules)
        if mention.cue == HOME or (mention.cue == ORIGIN and mention.place.kind in ("base", "city") and moving):
            memory.home_origin = mention
        elif mention.cue not in (NEAR, ORIGIN) and mention.place.kind in ("country", "city", "base"):
            memory.last_place = mention


# ---------------------------------------------------------------- article clean-up

def _clean_up(rows: list[Deployment]) -> list[Deployment]:
    """Drop repeats (a headline restating the body) and mark totals so sums count once."""
    kept: list[Deployment] = []
    for row in rows:
        duplicate = None
        for other in kept:
            if other.destination == row.destination and other.headcount == row.headcount:
                if other.origin == row.origin or row.origin_text is None or other.origin_text is None:
                    duplicate = other
                    break
        if duplicate is None:
            kept.append(row)
            continue
        # Keep the fuller report of the two: a named origin beats an inferred one, a base or
        # city beats a whole country.
        if _origin_detail(row) > _origin_detail(duplicate):
            kept[kept.index(duplicate)] = row
    _mark_groups(kept)
    return kept


def _origin_detail(row: Deployment) -> int:
    if row.origin is None:
        return 0
    specific = row.origin_kind in ("base", "city", "state")
    return (2 if row.origin_text else 0) + (1 if specific else 0) + 1


def _mark_groups(rows: list[Deployment]) -> None:
    seen_groups: set[str] = set()
    for row in rows:
        if row.headcount is None or row.headcount_group is None:
            row.counted = row.headcount is not None
            continue
        row.counted = row.headcount_group not in seen_groups
        seen_groups.add(row.headcount_group)
    # A figure that equals the sum of other counted figures to the same country, or to places
    # inside the region it names ("3 000 soldats en Europe de l'Est" = 2 000 + 1 000), is their total.
    for row in rows:
        if not row.counted or row.headcount is None:
            continue
        parts = [
            r for r in rows
            if r is not row and r.counted and r.headcount and r.headcount < row.headcount
            and (r.destination_country == row.destination_country or row.destination_kind == "region")
        ]
        if len(parts) >= 2 and sum(r.headcount for r in parts) == row.headcount:
            row.counted = False
            for r in parts:
                r.headcount_group = r.headcount_group or row.headcount_group
