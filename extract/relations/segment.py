"""One segment: the stretch of a sentence that belongs to one figure, and the rows it gives.

"1,000 of these soldiers will move from Germany to Romania, and 2,000 others will go from
Fort Bragg to Poland and Germany" has two segments, cut at the last clause break before the
second figure. Within a segment a movement word must be present (or a destination with a strong
cue); destinations are places cued "to/vers", else "there/le pays/the base" pointing back, else
plain locations after the movement word, else the destination of the sentences just before;
origins are places cued "from/de" or named as the troops' home, else what the article
established (see `_fill_origins`). One figure sent to several places gives one row per place,
marked shared.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from spacy.tokens import Doc, Span

from extract import geo
from extract.limits import MAX_SENTENCE_TOKENS
from extract.numbers import Headcount
from extract.places import DESTINATION, HOME, LOCATION, ORIGIN, PlaceMention, unnamed
from extract.schema import Deployment
from extract.relations.details import confidence, nearest_date, place_fields, unit, unit_of
from extract.relations.forces import country_referent, find_force, force_country
from extract.relations.words import (
    is_departure, is_garrison, is_movement, is_subordinator, movement_status,
    names_a_known_total, names_troops, negated, reaches_a_total, reads_as_casualty, refers_back,
    says_homeward, says_in_place, trigger_status,
)


@dataclass
class _Segment:
    sent: Span
    start: int                      # token range inside the doc
    end: int
    headcount: Optional[Headcount]


def article_sentences(doc: Doc) -> list[Span]:
    """The parser's sentences, re-joined where it cut inside one ("les états" | "-majors se trouvent")."""
    merged: list[Span] = []
    for sent in doc.sents:
        first = sent[0]
        previous = doc[sent.start - 1] if sent.start else None
        unfinished = previous is not None and previous.text[-1:] not in ".!?»\"”…:" and not previous.is_space
        continues = first.text[:1] in "-–,;)" or first.text[:1].islower() and not first.is_space or unfinished
        # Never past MAX_SENTENCE_TOKENS: troop_sentences cut that run on purpose (extract/limits.py).
        fits = merged and len(merged[-1]) + len(sent) <= MAX_SENTENCE_TOKENS
        if merged and continues and "\n" not in previous.text and fits:
            merged[-1] = doc[merged[-1].start:sent.end]
        else:
            merged.append(sent)
    return merged


def split_segments(sent: Span, counts: list[Headcount], rules: dict) -> list[_Segment]:
    counts = main_counts(sent, sorted(counts, key=lambda h: h.token_start))
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
                movers = [i for i in range(count.token_end, nxt.token_start) if trigger_status(doc[i], rules)]
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


def main_counts(sent: Span, counts: list[Headcount]) -> list[Headcount]:
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


def segment_rows(doc, segment, sent_places, sent_triggers, rules, lang, memory, dates) -> list[Deployment]:
    tokens = _clause(doc, segment, rules)
    count = segment.headcount
    asides = _asides(tokens)
    mentions = [p for p in sent_places if tokens.start <= p.token_start < tokens.end
                and not any(a <= p.token_start < b for a, b in asides)]
    triggers = [t for t in sent_triggers if tokens.start <= t.i < tokens.end]
    shares_verb = not triggers and tokens[0].lower_ in ("and", "et", ",", "or", "ou") and bool(sent_triggers)
    if shares_verb:
        # "will send 6,200 from Camp Lejeune, and 800 from Camp Pendleton": the verb is shared.
        triggers = [t for t in sent_triggers if t.i < tokens.start]
    if reads_as_casualty(tokens, count, rules, lang) or names_a_known_total(count, doc) or reaches_a_total(count, doc, rules):
        return []
    contributors = _each_contributor(tokens, count, mentions, rules)
    mentions = [m for m in mentions if m not in contributors]
    strong = [m for m in mentions if m.cue == DESTINATION]
    # "10 000 militaires seraient présents à la frontière : 4 000 d'entre eux épauleront la
    # garde-frontière, tandis que les 6 000 restants formeront une réserve": a share of the figure
    # just placed goes where that figure goes.
    frame = list(memory.last_destinations) if (
        count is not None and not triggers and refers_back(count, doc) and memory.last_destination_sentence == memory.sentence_index
        and not any(m.cue in (DESTINATION, LOCATION) for m in mentions)) else []
    if not triggers and not strong and not frame:
        return []
    triggers = triggers or sent_triggers
    if negated(triggers, tokens, rules):
        return []
    status = movement_status(triggers, tokens, rules, count)
    if shares_verb and memory.last_destination_sentence == memory.sentence_index and memory.last_status:
        status = memory.last_status  # and its tense: "seront engagés en Bretagne et 4 000 dans le reste"
    force = find_force(tokens, count, mentions, rules, lang, memory)

    # Places the clause does not name itself ("there", "le pays", the previous sentence's) are
    # only taken for a move, not for a garrison, a total or troops already in place.
    in_place = is_garrison(triggers, rules) or says_in_place(tokens, rules) or _kept_there(count, doc, rules)
    destinations = _first_clause(doc, strong, rules) or frame
    if frame:
        in_place, status = False, memory.last_status or status
    if not destinations and not in_place:
        destinations = anaphoric_destination(tokens, memory, lang, rules, force)
    if not destinations:
        destinations = _plain_destinations(mentions, triggers, count, rules)
        headline = segment.sent.start == 0  # "Deux cents policiers kényans de plus à Port-au-Prince"
        if destinations and not headline and (is_garrison(triggers, rules) or _kept_there(count, doc, rules)):
            return []
    homeward = not destinations and not in_place and force and says_homeward(tokens, rules)
    if homeward:
        destinations = force_country(force)  # "set off by road for home", "rentrer au pays"
        status = "withdrawn" if status in ("deployed", "arrived") else status
    located = [m for m in mentions if m.cue in (LOCATION, DESTINATION)]
    named_unit = count is None and unit(tokens.text, lang) is not None and any(
        m.cue in (ORIGIN, HOME) for m in mentions)
    if not destinations and (count is not None or named_unit) and is_movement(triggers, rules) \
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
    unit_on_the_move = count is None and strong and is_movement(triggers, rules) and unit(tokens.text, lang)
    if count is None and not unit_on_the_move and not (
            origins and strong and (named_unit or names_troops(tokens, triggers, rules))):
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

    if status in ("deployed", "withdrawn") and force and is_departure(triggers, rules):
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
    if status == "announced" and force in memory.ordered_forces:
        status = "ordered"
    memory.last_status = status
    for destination in destinations:
        if destination.place.kind == "country":
            memory.theatre[destination.place] = memory.theatre.get(destination.place, 0) + 1

    shared = count is not None and count.value is not None and (
        len(destinations) > 1 or len(origins) > 1) and not _is_chain(doc, destinations) and not contributors
    sent = segment.sent
    date = nearest_date(dates, tokens.start_char, tokens.end_char, sent)
    rows = []
    for origin, destination in legs:
        rows.append(Deployment(
            **place_fields("origin", origin, origin.text if origin is not None and origin not in inferred else None),
            **place_fields("destination", destination,
                            destination.text if destination.token_start >= tokens.start else None),
            headcount=count.value if count else None,
            headcount_qualifier=count.qualifier if count else None,
            headcount_shared=shared,
            headcount_group=(f"c{count.start}" + (f"-{origin.place.country}" if contributors else "")
                             if count is not None else None),
            status=status,
            force=origin.place.country if contributors else force,
            unit=unit_of(tokens, origin, lang),
            date=date,
            evidence=sent.text.strip(),
            start=sent.start_char,
            end=sent.end_char,
            lang=lang,
            confidence=confidence(count, destination, origin, origin in inferred, triggers),
        ))
    return rows


def _kept_there(count: Optional[Headcount], doc: Doc, rules: dict) -> bool:
    """'Washington has some 3,500 troops in Iraq', 'France keeps about 300 soldiers in the country',
    'les 600 militaires que comptaient les forces françaises en Côte d'Ivoire': a force's troops
    where it keeps them, not a move."""
    if count is None:
        return False
    token = doc[count.token_start]
    for _ in range(4):
        if token.head.i == token.i:
            break
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return token.lemma_.lower() in rules["keeping_verbs"]
    return False


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
        if any(t.pos_ == "VERB" or is_subordinator(t, rules) for t in between):
            break
        kept.append(mention)
    return kept


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
    if memory.theatre and count is not None and refers_back(count, doc):
        # "The Georgia post said approximately 3,800 of its soldiers would go": a share of
        # troops already in the story goes where the story's troops go.
        place = max(memory.theatre, key=memory.theatre.get)
        return [unnamed(place)]
    return []


def _plain_destinations(mentions, triggers, count, rules) -> list[PlaceMention]:
    """A plain location ("en Roumanie", "in Kuwait") is a destination only after the movement word
    or the figure ("Crise en Ukraine : ... 3 000 soldats en Europe de l'Est"), and of several the
    last list of them wins ("boarded at Pope Army Airfield ... and are now in Kuwait")."""
    headline = bool(triggers) and triggers[0].sent.start == 0
    if not is_movement(triggers, rules) and not headline:
        return []
    doc = triggers[0].doc
    first = min([t.i for t in triggers] + ([count.token_start] if count else []))
    # "sent to the base in July, after Iran seized a tanker in the Strait of Hormuz": a
    # subordinate clause after the move has its own places.
    stop = next((t.i for t in doc[first:triggers[-1].sent.end] if is_subordinator(t, rules)
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
            count is not None and refers_back(count, doc) or returning):
        # "2,400 of them", or troops flown "back to Armenia" from the place named before.
        candidates = list(memory.last_origins)
    elif memory.home_origin is not None and force and force in (
            memory.home_origin.place.country, geo.operator(memory.home_origin.place)) \
            and all(d.place != memory.home_origin.place and memory.home_origin.place.country not in d.place.members
                    for d in destinations):
        candidates = [memory.home_origin]  # a home base of this force, at home or abroad (Sennelager)
    elif force:
        candidates = force_country(force)
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


def _is_chain(doc, destinations) -> bool:
    """'to Senegal and then on to Liberia', 'vers Douala puis Bangui': one leg after another."""
    if len(destinations) < 2:
        return False
    between = doc[destinations[0].token_end:destinations[-1].token_start]
    return any(t.lower_ in ("then", "puis", "ensuite", "before", "avant") for t in between)


def _legs(doc, origins, destinations):
    destinations = distinct(destinations)
    origins = distinct(origins)
    if _is_chain(doc, destinations):
        stops = (origins[:1] or [None]) + destinations
        return [(a, b) for a, b in zip(stops, stops[1:]) if a is None or a.place != b.place]
    return [(o, d) for o in (origins or [None]) for d in destinations if o is None or o.place != d.place]


ANAPHORA_WINDOW = 60  # tokens


def anaphoric_destination(tokens, memory, lang, rules, force=None) -> list[PlaceMention]:
    """'stationing a brigade there', 'd'y déployer', 'into the country': the place named just before;
    'sent to the base': the base named just before. Only the first ANAPHORA_WINDOW tokens are read:
    a "there" further on is not this figure's, and a sentence of 20,000 figures stays linear."""
    tokens = tokens[:ANAPHORA_WINDOW]
    words = [t.lower_ for t in tokens]
    # Not past a subordinator: "landed in Niamey ... while U.S. troops were still there".
    stop = next((i for i, w in enumerate(words) if i > 0 and is_subordinator(tokens[i], rules)), len(words))
    words = words[:stop]
    for markers, place in ((rules["there_words"], memory.last_place), (rules["base_words"], memory.last_base),
                           (rules["country_words"], country_referent(memory, force))):
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


SAME_TOWN_KM = 25  # "du 126e régiment d'infanterie de Brive-la-Gaillarde": the regiment's quarter and the town


def distinct(mentions: list[PlaceMention]) -> list[PlaceMention]:
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
