"""The article: read sentence by sentence, then rows that span sentences, then clean-up.

Besides the rows of each segment, a sentence with no figure of its own may move troops a
sentence before placed somewhere ("... stationnés au Tchad. Ils ont regagné la France"), split
them between places ("Les militaires seront répartis entre Rukla et Rūdninkai") or list where
they come from ("The reinforcements come from three commands:" and bullets). At the end an
origin inferred as the force's country takes the home base named elsewhere in the article,
repeats are dropped and totals are marked so that sums count each soldier once.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Optional

from spacy.tokens import Doc

from extract.numbers import Headcount
from extract.places import DESTINATION, HOME, LOCATION, NEAR, ORIGIN, PlaceMention
from extract.rules import load_rules
from extract.schema import Deployment
from extract.relations.details import confidence, nearest_date, place_fields, unit
from extract.relations.forces import article_forces, find_force, force_country
from extract.relations.memory import ArticleMemory, Garrison, remember
from extract.relations.segment import (
    anaphoric_destination, article_sentences, distinct, main_counts, segment_rows,
    split_segments,
)
from extract.relations.words import is_movement, movement_status, opens_on_troops, static_count, trigger_status


def find_deployments(
    doc: Doc,
    lang: str,
    headcounts: list[Headcount],
    places: list[PlaceMention],
    dates: Iterable[tuple[int, int, str]] = (),
    forces: Optional[dict] = None,
) -> list[Deployment]:
    """The deployment rows of one parsed article, from the headcounts and places the earlier
    stages found and the dates as (start char, end char, ISO date). ``forces``: the article's
    :func:`article_forces`, when the caller already has them."""
    rules = load_rules(lang)
    memory = ArticleMemory(forces=article_forces(doc, rules, lang) if forces is None else forces)
    dates = list(dates)
    rows: list[Deployment] = []
    sentences = article_sentences(doc)
    # Each sentence's places and figures, grouped in one pass (not one scan of the article per sentence).
    places_in, counts_in = _by_sentence(sentences, places), _by_sentence(sentences, headcounts)
    for index, sent in enumerate(sentences):
        memory.sentence_index = index
        sent_places, sent_counts = places_in[index], counts_in[index]
        triggers = [t for t in sent if trigger_status(t, rules) is not None]
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
            for segment in split_segments(sent, sent_counts, rules):
                rows.extend(segment_rows(doc, segment, sent_places, triggers, rules, lang, memory, dates))
        _fill_from_garrison(rows[before:], memory)
        figure_rows = [r for r in rows[before:] if r.headcount is not None]
        if figure_rows:
            memory.figure_rows, memory.figure_sentence = figure_rows, index
        _remember_garrison(sent, sent_counts, sent_places, rules, lang, memory,
                           {r.headcount_group for r in rows[before:]})
        remember(sent, sent_places, memory, rules, lang, triggers)
        if triggers and is_movement(triggers, rules) and memory.last_destination_sentence < index:
            # "Le vol s'est posé sur l'aéroport Toussaint-Louverture. En sont descendus 200 policiers":
            # a move without a figure still sets where the story's troops are going.
            arrived = [p for p in sent_places if p.cue in (DESTINATION, LOCATION) and p.place.kind != "region"]
            if arrived:
                memory.last_destinations, memory.last_destination_sentence = arrived[-1:], index
    return _refine_origins(_clean_up(rows), places)


def _by_sentence(sentences, items) -> list[list]:
    """Items with a ``token_start`` (places, figures), listed under the sentence that holds them."""
    from bisect import bisect_right

    starts = [sent.start for sent in sentences]
    grouped: list[list] = [[] for _ in sentences]
    for item in items:
        index = bisect_right(starts, item.token_start) - 1
        if index >= 0 and item.token_start < sentences[index].end:
            grouped[index].append(item)
    return grouped


def _remember_garrison(sent, counts, places, rules, lang, memory, row_groups) -> None:
    """Remember troops said to be somewhere, with the place, when no row moved them: the next
    sentences may ('Ils ont regagné la France', 'Les militaires seront répartis entre...')."""
    doc = sent.doc
    for count in main_counts(sent, counts):
        if not static_count(count, doc, rules) and f"c{count.start}" in row_groups:
            continue
        located = [p for p in places if p.cue in (LOCATION, HOME) and p.place.kind != "region"]
        # The place after the figure first ("étaient stationnés au Tchad"), else the one before it
        # ("réunira en Lituanie quelque 4 800 soldats").
        located = [p for p in located if p.token_start > count.token_start] or located[-1:]
        force = find_force(sent, count, places, rules, lang, memory)
        place = located[0] if located else (anaphoric_destination(doc[count.token_end:sent.end], memory, lang, rules,
                                                                   force) or [None])[0]
        if place is not None:
            memory.garrison = Garrison(count, place, force, sent, memory.sentence_index,
                                        static_count(count, doc, rules))


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
    if garrison is None or garrison.sentence_index != memory.sentence_index - 1 or not is_movement(triggers, rules):
        return []
    opening = " ".join(t.lower_ for t in sent[:3] if not t.is_space)
    if not any(opening == w or opening.startswith(w + " ") for w in rules["carry_subjects"]):
        return []
    first_move = min(t.i for t in triggers if trigger_status(t, rules) not in (None, "alert"))
    destinations = distinct([p for p in places if p.place != garrison.place.place and (
        p.cue == DESTINATION or p.cue == LOCATION and p.token_start > first_move)])
    if not destinations:
        return []
    count, origin, force = garrison.headcount, garrison.place, garrison.force
    homeward = any(d.place.kind == "country" and d.place.country == force for d in destinations)
    status = "withdrawn" if homeward or force and origin.place.country != force else movement_status(triggers, sent, rules)
    doc = sent.doc
    evidence = doc[garrison.sent.start:sent.end]
    return [Deployment(
        **place_fields("origin", origin, origin.text),
        **place_fields("destination", destination, destination.text),
        headcount=count.value, headcount_qualifier=count.qualifier,
        headcount_shared=count.value is not None and len(destinations) > 1,
        headcount_group=f"c{count.start}", status=status, force=force,
        unit=unit(evidence.text, lang), date=nearest_date(dates, evidence.start_char, evidence.end_char, evidence),
        evidence=evidence.text.strip(), start=evidence.start_char, end=evidence.end_char, lang=lang,
        confidence=confidence(count, destination, origin, False, triggers),
    ) for destination in destinations]


def _bullet_mentions(sent, places) -> list[PlaceMention]:
    """Places on the bulleted lines right after a sentence ending with a colon."""
    if not sent.text.rstrip().endswith(":"):
        return []
    text = sent.doc.text   # rebuilt from the tokens on every access: only for a sentence that needs it
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
    if not opens_on_troops(sent, rules):
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
        targets = distinct([p for p in own if p.place.kind in ("base", "city", "state", "region")
                             and p.place.country == previous.destination_country])
        if len(targets) < 2:
            return [], []
        return [], [replace(previous, **place_fields("destination", p, p.text), headcount_shared=True,
                            evidence=evidence) for p in targets]
    if any(f" {w} " in words for w in rules["source_phrases"]):
        sources = distinct([p for p in own + _bullet_mentions(sent, places) if p.cue in (ORIGIN, HOME)])
        if not sources:
            return [], []
        inferred = [r for r in memory.figure_rows if r.origin_text is None]
        base = inferred[-1] if inferred else previous
        inferred = [r for r in inferred if r.headcount_group == base.headcount_group]
        return inferred, [replace(base, **place_fields("origin", p, p.text), headcount_shared=len(sources) > 1,
                                  evidence=evidence) for p in sources if p.place.name != base.destination]
    return [], []


def _garrison_row(garrison: Garrison, rules, lang) -> Deployment:
    """The remembered troops as a row: from their force's country to where they were said to be."""
    count = garrison.headcount
    home = force_country(garrison.force) if garrison.force else []
    return Deployment(
        **place_fields("origin", home[0] if home else None, None),
        **place_fields("destination", garrison.place, garrison.place.text),
        headcount=count.value, headcount_qualifier=count.qualifier, headcount_group=f"c{count.start}",
        status=movement_status([], garrison.sent, rules, count), force=garrison.force, unit=unit(garrison.sent.text, lang),
        evidence=garrison.sent.text.strip(), start=garrison.sent.start_char, end=garrison.sent.end_char, lang=lang,
        confidence=0.5,
    )


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
