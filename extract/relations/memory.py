"""What earlier sentences of an article established, for the sentences that follow.

`ArticleMemory` holds the last force, home base, origins and destinations named, the countries
named or implied (for "le pays"), and troops last said to be somewhere (`Garrison`), which a
next sentence may move ("Ils ont regagné la France").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Span

from extract.numbers import Headcount
from extract.places import HOME, NEAR, ORIGIN, PlaceMention
from extract.relations.forces import implied_country, named_forces, troop_demonym
from extract.relations.words import is_movement, negated, trigger_status


@dataclass
class Garrison:
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
    garrison: Optional[Garrison] = None
    ordered_forces: set = field(default_factory=set)  # forces whose move the text says was ordered
    countries: list = field(default_factory=list)  # countries named or implied ('tchadien'), in order
    figure_rows: list = field(default_factory=list)  # the last rows with a figure, for "they come from:"
    figure_sentence: int = -10
    forces: dict = field(default_factory=dict)     # force -> weight, for the article's main actor


def remember(sent, sent_places, memory: ArticleMemory, rules: dict, lang: str, triggers=()) -> None:
    """What this sentence tells the next ones: forces named, origins named, places named."""
    if memory.last_force_sentence < memory.sentence_index:
        named = named_forces(sent.text, lang)
        named += [code for code in (troop_demonym(t, lang) for t in sent) if code]
        if len(set(named)) == 1:
            memory.last_force, memory.last_force_sentence = named[0], memory.sentence_index
    ordering = [t for t in triggers if trigger_status(t, rules) == "ordered"]
    if ordering and not negated(ordering, sent, rules) and memory.last_force:
        # "Defense Secretary Lloyd Austin signed the order the same day": this force's later plans
        # are orders, not announcements ("3,800 of its soldiers would go").
        memory.ordered_forces.add(memory.last_force)
    named = sorted([(m.token_start, m.place.country) for m in sent_places if m.cue != NEAR and m.place.country]
                   + [(t.i, code) for t, code in ((t, implied_country(t, lang)) for t in sent) if code])
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
        moving = is_movement(triggers, rules)
        if mention.cue == HOME or (mention.cue == ORIGIN and mention.place.kind in ("base", "city") and moving):
            memory.home_origin = mention
        elif mention.cue not in (NEAR, ORIGIN) and mention.place.kind in ("country", "city", "base"):
            memory.last_place = mention
