"""Features of a candidate (figure, place, role): the one module training and serving both call.

Features come in named blocks so that an ablation drops a block by name
(``python -m extract.train --without syntax``). Every block is a function of the candidate and
the article's :class:`~extract.candidates.Reading`, returning ``{name: number}``; a block a
language cannot fill (``syntax`` for German, which has no parser) returns its defaults, so one
model decides for all languages.

position  where the place sits from the figure: sentences apart, tokens apart, before or after,
          headline
between   what lies between them: other places, other figures, clause breaks, movement words
cue       the word before the place (from the places stage): from / to / in / based at / near
place     the place itself: kind, how often the article names it, implied rather than named
figure    the figure: qualifier, "another", "of these", casualty noun, size, others in its sentence
syntax    the dependency parse: path length between figure and place, the place's relation, the
          verb that governs both and whether it moves troops
rules     what the hand-written rules made of this figure: a row, this place in this role
rivals    this place against the figure's other places: nearest, nearest with its cue, how many
role      destination or origin (one model scores both)
home      whether the place is the troops' own country (their force, or the article's main force):
          troops rarely deploy to their own country, and usually come from it
clause    who goes where in the sentence without a parser: verbs between figure and place, the
          movement word nearest the figure, whether the place follows it and is its nearest place
discourse the place in the whole article: how other mentions of it are cued (sent to it, come from
          it), whether the headline sends troops there, whether it is the destination last named
          before the figure or next named after it: most key rows take their destination from
          another sentence than the figure's (the headline, the sentence before)
movement  whether the figure itself moved, seen from its own sentence whatever the place: the
          movement word nearest it (its status, how far, verbs and clause breaks between), the
          figure's head in the parse, how many places and cued places its sentence names,
          movement words in the sentences around it, and which of the rule files' word lists have a
          word near it ("already", "stationed", "will", "not", "back"). The blocks above describe
          the figure only when the place shares its sentence, and most right places do not
thread    the place's own sentence, for a place outside the figure's: the movement word nearest
          the place there, whether the place follows it, how far, across a comma, a withdrawal
around    the rules' word lists near the place itself, in its sentence: "stationed in", "already
          in", "back to", "pull out of", "will go to"
"""
from __future__ import annotations

import functools
import math
from bisect import bisect_left
from itertools import chain
from typing import Callable

from spacy.tokens import Token

from extract.candidates import DESTINATION, Candidate, Reading, sentence_of
from extract.numbers import is_casualty
from extract.places import DESTINATION as CUE_DESTINATION
from extract.places import HOME, LOCATION, NEAR, ORIGIN
from extract.relations.forces import troop_demonym
from extract.rules import load_rules
from extract.schema import QUALIFIERS

CUES = (CUE_DESTINATION, ORIGIN, LOCATION, HOME, NEAR, None)
KINDS = ("country", "region", "state", "city", "base")
STATUSES = ("announced", "ordered", "deployed", "arrived", "withdrawn", "alert", "other")
DEPS = ("obl", "nmod", "pobj", "obj", "dobj", "conj", "appos", "compound", "nsubj", "nsubj:pass", "ROOT", "flat",
        "amod", "acl", "advcl", "npadvmod", "dep", "nummod")
CLAUSE_BREAKS = {";", ":", "—", "–", "(", ")"}
# Word lists of extract/rules/{lang}.json the movement block looks for near a figure.
NEAR_WORD_LISTS = ("in_place_words", "static_triggers", "negations", "future_words", "keeping_verbs",
                   "return_words", "alert_words", "withdraw_words", "total_verbs", "counting_forms", "now_words",
                   "presence_words", "departure_words", "split_words", "each_words", "source_phrases")
WORDS_WINDOW = 8
# Those looked for near a place (PLACE_WINDOW tokens either side, in its sentence).
AROUND_WORD_LISTS = ("in_place_words", "static_triggers", "negations", "future_words", "return_words",
                     "withdraw_words", "departure_words", "alert_words", "presence_words")
PLACE_WINDOW = 5
AND_WORDS = {"and", "et", "und", "y", "e", "while", "tandis", "alors", "whereas", "während", "mientras"}


@functools.lru_cache(maxsize=None)
def _word_lists(lang: str) -> dict[str, tuple[frozenset, tuple]]:
    """Each word list the ``movement`` and ``around`` blocks look for: (its single words, its phrases)."""
    rules = load_rules(lang)
    return {name: (frozenset(w for w in rules.get(name, ()) if " " not in w),
                   tuple(w for w in rules.get(name, ()) if " " in w))
            for name in NEAR_WORD_LISTS + AROUND_WORD_LISTS}


class Context:
    """Per-article values the blocks share, computed once per Reading."""

    def __init__(self, reading: Reading):
        self.reading = reading
        self.rules = load_rules(reading.lang)
        self.is_trigger = reading.statuses()
        self.has_headline = reading.has_headline
        self.moving_tokens = [i for i, s in enumerate(self.is_trigger) if s not in (None, "alert")]
        self.main_force = reading.main_force
        self._sentence_forces: dict[int, str | None] = {}
        self.place_counts: dict[tuple, int] = {}
        for p in reading.places:
            key = (p.place.name, p.place.country)
            self.place_counts[key] = self.place_counts.get(key, 0) + 1
        self.place_tokens = sorted(p.token_start for p in reading.places)
        self.figure_tokens = sorted(f.anchor for f in reading.figures if f.headcount)
        self.max_value = max((f.value or 0 for f in reading.figures), default=0)
        self._ranks: dict[int, dict] = {}
        self._recent: dict[int, tuple[list, list]] = {}
        self._sentence_triggers: dict[int, int] = {}
        self.place_sentences = [sentence_of(reading.sentences, p.token_start) for p in reading.places] \
            if reading.sentences else []
        self.place_cues: dict[tuple, set] = {}
        self.headline_places: dict[tuple, set] = {}   # place -> the cues of its headline mentions
        self.place_sentence_sets: dict[tuple, set] = {}
        for p, s in zip(reading.places, self.place_sentences):
            key = (p.place.name, p.place.country)
            self.place_cues.setdefault(key, set()).add(p.cue)
            self.place_sentence_sets.setdefault(key, set()).add(s)
            if s == 0 and self.has_headline:
                self.headline_places.setdefault(key, set()).add(p.cue)
        self.country_counts: dict = {}
        for p in reading.places:
            self.country_counts[p.place.country] = self.country_counts.get(p.place.country, 0) + 1
        self._places_by_sentence: dict[int, list] | None = None
        self.word_lists = _word_lists(reading.lang)
        self._lowers: list[str] | None = None
        self._lemmas: list[str] = []
        self.figures_with_rules_rows: dict[int, int] = {}
        for f in reading.figures:
            if f.rule_rows and f.headcount is not None:
                self.figures_with_rules_rows[f.sentence] = self.figures_with_rules_rows.get(f.sentence, 0) + 1

    def sentence_force(self, index: int) -> str | None:
        """The first troop demonym of a sentence ("British paratroopers"): whose troops it counts."""
        if index not in self._sentence_forces:
            codes = (troop_demonym(t, self.reading.lang) for t in self.reading.sentences[index])
            self._sentence_forces[index] = next((code for code in codes if code), None)
        return self._sentence_forces[index]

    def sentence_triggers(self, index: int) -> int:
        """How many words of a sentence move troops (counted once per sentence, not per candidate)."""
        if index not in self._sentence_triggers:
            sent = self.reading.sentences[index]
            self._sentence_triggers[index] = sum(1 for i in range(sent.start, sent.end)
                                                 if self.is_trigger[i] not in (None, "alert"))
        return self._sentence_triggers[index]

    def places_in_sentence(self, sentence: int) -> list:
        """The place mentions of one sentence (indexed once per article)."""
        if self._places_by_sentence is None:
            self._places_by_sentence = {}
            for p, s in zip(self.reading.places, self.place_sentences):
                self._places_by_sentence.setdefault(s, []).append(p)
        return self._places_by_sentence.get(sentence, [])

    def nearest_moving(self, sentence: int, token: int) -> int | None:
        """The movement word of a sentence nearest a token (None: the sentence has none)."""
        sent = self.reading.sentences[sentence]
        # The sorted movement words of this sentence, found by bisection: asked once per figure and
        # per place, a scan of the article's movement words would grow with their product.
        inside = self.moving_tokens[bisect_left(self.moving_tokens, sent.start):bisect_left(self.moving_tokens, sent.end)]
        return min(inside, key=lambda i: abs(i - token)) if inside else None

    def recent_destinations(self, figure_index: int) -> tuple[list, list]:
        """The places named with a destination cue before the figure (latest first), and after it
        within the window (nearest first), each place once."""
        if figure_index not in self._recent:
            figure = self.reading.figures[figure_index]
            before, after = [], []
            for p, s in zip(self.reading.places, self.place_sentences):
                if p.cue != CUE_DESTINATION:
                    continue
                key = (p.place.name, p.place.country)
                if p.token_start < figure.anchor:
                    before.insert(0, key)
                elif s <= figure.sentence + 2:
                    after.append(key)
            self._recent[figure_index] = (list(dict.fromkeys(before)), list(dict.fromkeys(after)))
        return self._recent[figure_index]

    def words_around(self, start: int, end: int, sentence: int, window: int, lists: tuple[str, ...]) -> dict:
        """Which of these word lists of extract/rules/{lang}.json have a word (its form or lemma) or
        a phrase within ``window`` tokens of tokens start..end, in their sentence."""
        if self._lowers is None:   # the article's words, read from the tokens once
            self._lowers = [t.lower_ for t in self.reading.doc]
            self._lemmas = [t.lemma_.lower() for t in self.reading.doc]
        sent = self.reading.sentences[sentence]
        low, high = max(sent.start, start - window), min(sent.end, end + window)
        words = set(self._lowers[low:high])
        words.update(self._lemmas[low:high])
        text = None
        out = {}
        for name in lists:
            singles, phrases = self.word_lists[name]
            found = not words.isdisjoint(singles)
            if not found and phrases:
                text = text or " " + " ".join(self._lowers[low:high]) + " "
                found = any(f" {phrase} " in text for phrase in phrases)
            out[name] = int(found)
        return out

    def words_near(self, figure) -> dict:
        """Which of the rules' word lists have a word within WORDS_WINDOW tokens of a figure, in its
        sentence: "already", "stationed", "not", "will", "keep" tell a figure that stays or might
        move from one that moved."""
        found = self.words_around(figure.anchor, figure.token_end, figure.sentence, WORDS_WINDOW, NEAR_WORD_LISTS)
        return {f"near_{name}": value for name, value in found.items()}

    def ranks(self, figure_index: int) -> dict:
        """(role, mention token) -> (rank by distance, rank by distance among places with the same
        cue, places with the same cue, places in the figure's sentence) for one figure."""
        if figure_index not in self._ranks:
            figure = self.reading.figures[figure_index]
            named = [c for c in self.reading.candidates if c.figure == figure_index and c.mention is not None]
            table = {}
            for role_name in {c.role for c in named}:
                mine = [c for c in named if c.role == role_name]
                by_distance = sorted(mine, key=lambda c: abs(c.mention.token_start - figure.anchor))
                in_sentence = sum(1 for c in mine if c.sentence == figure.sentence)
                # Each cue's places in order of distance, grouped once (a list per candidate grew with
                # the square of a figure's places); equal candidates share their first rank.
                by_cue: dict = {}
                first_rank: dict = {}
                for c in by_distance:
                    cued = by_cue.setdefault(c.mention.cue, [])
                    first_rank.setdefault((c.place, c.mention, c.sentence), len(cued))
                    cued.append(c)
                for rank, c in enumerate(by_distance):
                    cued = by_cue[c.mention.cue]
                    table[(role_name, c.mention.token_start)] = (
                        min(rank, 9), min(first_rank[(c.place, c.mention, c.sentence)], 9), len(cued) - 1,
                        in_sentence)
            self._ranks[figure_index] = table
        return self._ranks[figure_index]


def _count_between(sorted_tokens: list[int], a: int, b: int) -> int:
    low, high = min(a, b), max(a, b)
    return sum(1 for t in sorted_tokens if low < t < high)


def position(c: Candidate, reading: Reading, ctx: Context) -> dict:
    figure = reading.figures[c.figure]
    f_tok = figure.anchor
    if c.mention is None:
        return {"sentences_apart": 0, "implied": 1, "tokens_apart_log": 0.0, "place_before": 0,
                "same_sentence": 0, "place_in_headline": 0,
                "figure_in_headline": int(figure.sentence == 0 and ctx.has_headline)}
    apart = c.sentence - figure.sentence
    tokens = c.mention.token_start - f_tok
    return {
        "sentences_apart": max(-3, min(3, apart)),
        "implied": 0,
        "tokens_apart_log": math.copysign(math.log1p(abs(tokens)), tokens),
        "place_before": int(tokens < 0),
        "same_sentence": int(apart == 0),
        "place_in_headline": int(c.sentence == 0 and ctx.has_headline),
        "figure_in_headline": int(figure.sentence == 0 and ctx.has_headline),
    }


def between(c: Candidate, reading: Reading, ctx: Context) -> dict:
    names = ("places_between", "figures_between", "breaks_between", "and_between", "trigger_between",
             "moving_trigger_between", "withdraw_trigger_between", "sentence_triggers")
    figure = reading.figures[c.figure]
    sentence_triggers = ctx.sentence_triggers(figure.sentence)
    if c.mention is None or c.sentence != figure.sentence:
        return dict(zip(names, (0, 0, 0, 0, 0, 0, 0, sentence_triggers)))
    a, b = figure.anchor, c.mention.token_start
    low, high = (figure.token_end, b) if a < b else (c.mention.token_end, a)
    span = reading.doc[low:high] if low < high else []
    statuses = [ctx.is_trigger[t.i] for t in span]
    return {
        "places_between": _count_between(ctx.place_tokens, a, b),
        "figures_between": _count_between(ctx.figure_tokens, a, b),
        "breaks_between": sum(1 for t in span if t.text in CLAUSE_BREAKS),
        "and_between": sum(1 for t in span if t.lower_ in AND_WORDS or t.text == ","),
        "trigger_between": int(any(s is not None for s in statuses)),
        "moving_trigger_between": int(any(s not in (None, "alert") for s in statuses)),
        "withdraw_trigger_between": int("withdrawn" in statuses),
        "sentence_triggers": sentence_triggers,
    }


def cue(c: Candidate, reading: Reading, ctx: Context) -> dict:
    found = c.mention.cue if c.mention else None
    out = {f"cue_{name or 'none'}": int(found == name) for name in CUES}
    word = (c.mention.cue_word or "").lower() if c.mention else ""
    out["cue_word_to"] = int(word in ctx.rules.get("destination_preps", ()))
    out["cue_word_from"] = int(word in ctx.rules.get("origin_preps", ()))
    return out


def place(c: Candidate, reading: Reading, ctx: Context) -> dict:
    out = {f"kind_{kind}": int(c.place.kind == kind) for kind in KINDS}
    mentions = ctx.place_counts.get((c.place.name, c.place.country), 0)
    out["mentions_log"] = math.log1p(mentions)
    out["most_mentioned"] = int(mentions > 0 and mentions == max(ctx.place_counts.values(), default=0))
    out["multinational"] = int(c.place.country is None)
    return out


def figure(c: Candidate, reading: Reading, ctx: Context) -> dict:
    f = reading.figures[c.figure]
    h = f.headcount
    out = {f"qualifier_{q.replace(' ', '_')}": int(h is not None and h.qualifier == q) for q in QUALIFIERS}
    sent = reading.sentences[f.sentence]
    out.update({
        "no_figure": int(h is None),
        "anaphoric": int(h is not None and h.anaphoric),
        "increment": int(h is not None and h.increment),
        "has_noun": int(h is not None and bool(h.noun)),
        "casualty": int(h is not None and is_casualty(h, reading.lang)),
        "value_log10": math.log10(max(1, f.value or 1)),
        "largest_in_article": int((f.value or 0) == ctx.max_value),
        "figures_in_sentence": sum(1 for t in ctx.figure_tokens if sent.start <= t < sent.end),
        "figure_sentence_index_log": math.log1p(f.sentence),
    })
    return out


def _path_length(a: Token, b: Token) -> tuple[int, Token | None]:
    """Edges between two tokens of one tree, and their lowest common ancestor."""
    ancestors_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(ancestors_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in index:
            return index[t.i] + n, t
    return 30, None


def syntax(c: Candidate, reading: Reading, ctx: Context) -> dict:
    names = ["parsed", "tree_distance", "lca_is_trigger", "lca_moves", "place_head_is_trigger",
             "figure_head_is_trigger", "same_head"]
    out = dict.fromkeys(names, 0)
    out.update({f"place_dep_{d}": 0 for d in DEPS})
    f = reading.figures[c.figure]
    if not reading.parsed or c.mention is None or c.sentence != f.sentence:
        out["tree_distance"] = 30
        return out
    doc = reading.doc
    place_root = doc[c.mention.token_start:c.mention.token_end].root
    figure_token = doc[f.anchor:f.token_end].root
    distance, lca = _path_length(figure_token, place_root)
    out.update({
        "parsed": 1,
        "tree_distance": min(distance, 30),
        "lca_is_trigger": int(lca is not None and ctx.is_trigger[lca.i] is not None),
        "lca_moves": int(lca is not None and ctx.is_trigger[lca.i] not in (None, "alert")),
        "place_head_is_trigger": int(ctx.is_trigger[place_root.head.i] is not None),
        "figure_head_is_trigger": int(ctx.is_trigger[figure_token.head.i] is not None
                                      or ctx.is_trigger[figure_token.head.head.i] is not None),
        "same_head": int(place_root.head.i in (figure_token.head.i, figure_token.head.head.i)),
    })
    if place_root.dep_ in DEPS:
        out[f"place_dep_{place_root.dep_}"] = 1
    return out


def rules(c: Candidate, reading: Reading, ctx: Context) -> dict:
    f = reading.figures[c.figure]
    rows = f.rule_rows
    same = [r for r in rows if getattr(r, f"{c.role}_country") == c.place.country and getattr(r, c.role)]
    exact = [r for r in same if getattr(r, c.role) == c.place.name]
    status = rows[0].status if rows else None
    out = {
        "rules_row_for_figure": int(bool(rows)),
        "rules_rows_for_figure": min(len(rows), 5),
        "rules_same_country": int(bool(same)),
        "rules_same_place": int(bool(exact)),
        "rules_confidence": max((r.confidence for r in exact or same), default=0.0),
        "rules_shared": int(any(r.headcount_shared for r in rows)),
    }
    out.update({f"rules_status_{s}": int(status == s) for s in STATUSES})
    return out


def rivals(c: Candidate, reading: Reading, ctx: Context) -> dict:
    """How this place compares with the figure's other places of the same role: the nearest,
    the nearest with this cue, how many share the sentence."""
    ranks = ctx.ranks(c.figure)
    key = (c.role, c.mention.token_start if c.mention else None)
    nearest, nearest_cued, same_cue, in_sentence = ranks.get(key, (9, 9, 0, 0))
    return {"nearest_rank": nearest, "nearest_with_cue_rank": nearest_cued, "same_cue_rivals": same_cue,
            "rivals_in_sentence": in_sentence,
            "figure_rows_in_sentence": ctx.figures_with_rules_rows.get(reading.figures[c.figure].sentence, 0)}


def role(c: Candidate, reading: Reading, ctx: Context) -> dict:
    return {"role_destination": int(c.role == DESTINATION)}


def home(c: Candidate, reading: Reading, ctx: Context) -> dict:
    f = reading.figures[c.figure]
    force = (f.rule_rows[0].force if f.rule_rows else None) or ctx.sentence_force(f.sentence)
    return {"place_is_force": int(bool(force) and c.place.country == force),
            "place_is_main_force": int(bool(ctx.main_force) and c.place.country == ctx.main_force),
            "force_known": int(bool(force))}


def clause(c: Candidate, reading: Reading, ctx: Context) -> dict:
    f = reading.figures[c.figure]
    if c.mention is None or c.sentence != f.sentence:
        return dict(zip(_BLOCK_KEYS["clause"], (0, 0, 4.0, 0, 4.0, 0)))
    a, b = f.anchor, c.mention.token_start
    low, high = (f.token_end, b) if a < b else (c.mention.token_end, a)
    verbs = sum(1 for t in reading.doc[low:high] if t.pos_ in ("VERB", "AUX")) if low < high else 0
    of_figure = ctx.nearest_moving(f.sentence, a)
    if of_figure is None:
        return dict(zip(_BLOCK_KEYS["clause"], (min(verbs, 5), 0, 4.0, 0, 4.0, 0)))
    return {"verbs_between": min(verbs, 5), "place_after_movement": int(b > of_figure),
            "movement_to_place_log": math.log1p(abs(b - of_figure)),
            "same_movement": int(ctx.nearest_moving(f.sentence, b) == of_figure),
            "figure_to_movement_log": math.log1p(abs(a - of_figure)), "figure_before_movement": int(a < of_figure)}


def discourse(c: Candidate, reading: Reading, ctx: Context) -> dict:
    key = (c.place.name, c.place.country)
    cues = ctx.place_cues.get(key, set())
    before, after = ctx.recent_destinations(c.figure)
    return {
        "destination_cue_anywhere": int(CUE_DESTINATION in cues),
        "origin_cue_anywhere": int(ORIGIN in cues or HOME in cues),
        "location_cue_anywhere": int(LOCATION in cues),
        "in_headline": int(key in ctx.headline_places),
        "headline_destination": int(CUE_DESTINATION in ctx.headline_places.get(key, ())),
        "last_destination_rank": min(before.index(key), 9) if key in before else 9,
        "next_destination_rank": min(after.index(key), 9) if key in after else 9,
        "in_figure_sentence": int(reading.figures[c.figure].sentence in ctx.place_sentence_sets.get(key, ())),
        "country_share": ctx.country_counts.get(c.place.country, 0) / max(1, len(reading.places)),
    }


_CLAUSE_ENDS = CLAUSE_BREAKS | {","}


def _span_between(reading: Reading, a: int, b: int):
    low, high = (a + 1, b) if a < b else (b + 1, a)
    return reading.doc[low:high] if low < high else []


def movement(c: Candidate, reading: Reading, ctx: Context) -> dict:
    f = reading.figures[c.figure]
    sent_index = f.sentence
    near = ctx.nearest_moving(sent_index, f.anchor)
    status = ctx.is_trigger[near] if near is not None else None
    out = {f"nearest_status_{s}": int(status == s) for s in STATUSES}
    sent = reading.sentences[sent_index]
    out["alert_in_sentence"] = int(any(ctx.is_trigger[i] == "alert" for i in range(sent.start, sent.end)))
    if near is None or near == f.anchor:
        out.update({"to_movement_log": 0.0 if near == f.anchor else 4.0, "before_movement": 0,
                    "verbs_to_movement": 0 if near == f.anchor else 5, "breaks_to_movement": 0})
    else:
        span = _span_between(reading, f.anchor if near > f.anchor else f.token_end - 1, near)
        out.update({"to_movement_log": math.log1p(abs(near - f.anchor)), "before_movement": int(f.anchor < near),
                    "verbs_to_movement": min(5, sum(1 for t in span if t.pos_ in ("VERB", "AUX"))),
                    "breaks_to_movement": min(3, sum(1 for t in span if t.text in _CLAUSE_ENDS))})
    head_trigger = head_moves = 0
    if reading.parsed and f.headcount is not None:
        token = reading.doc[f.anchor:f.token_end].root
        heads = [token.head, token.head.head]
        head_trigger = int(any(ctx.is_trigger[h.i] is not None for h in heads))
        head_moves = int(any(ctx.is_trigger[h.i] not in (None, "alert") for h in heads))
    here = ctx.places_in_sentence(sent_index)
    out.update({
        "head_is_trigger": head_trigger, "head_moves": head_moves,
        "places_in_sentence": min(5, len(here)),
        "destinations_in_sentence": min(3, sum(1 for p in here if p.cue == CUE_DESTINATION)),
        "origins_in_sentence": min(3, sum(1 for p in here if p.cue in (ORIGIN, HOME))),
        "triggers_sentence_before": min(3, ctx.sentence_triggers(sent_index - 1)) if sent_index > 0 else 0,
        "triggers_sentence_after": min(3, ctx.sentence_triggers(sent_index + 1))
        if sent_index + 1 < len(reading.sentences) else 0,
        "triggers_in_headline": min(3, ctx.sentence_triggers(0)) if ctx.has_headline else 0,
    })
    out.update(ctx.words_near(f))
    return out


def thread(c: Candidate, reading: Reading, ctx: Context) -> dict:
    names = _BLOCK_KEYS["thread"]
    if c.mention is None or c.sentence == reading.figures[c.figure].sentence:
        return dict(zip(names, (0, 0, 4.0, 0, 0, 0)))
    start = c.mention.token_start
    near = ctx.nearest_moving(c.sentence, start)
    if near is None:
        return dict(zip(names, (1, 0, 4.0, 0, 0, 0)))
    status = ctx.is_trigger[near]
    span = _span_between(reading, near, start)
    return {"outside": 1, "movement_there": 1, "movement_to_it_log": math.log1p(abs(start - near)),
            "after_movement": int(start > near), "withdrawn_there": int(status == "withdrawn"),
            "break_to_it": int(any(t.text in _CLAUSE_ENDS for t in span))}


def around(c: Candidate, reading: Reading, ctx: Context) -> dict:
    if c.mention is None:
        return {f"place_{name}": 0 for name in AROUND_WORD_LISTS}
    found = ctx.words_around(c.mention.token_start, c.mention.token_end, c.sentence, PLACE_WINDOW,
                             AROUND_WORD_LISTS)
    return {f"place_{name}": found[name] for name in AROUND_WORD_LISTS}


BLOCKS: dict[str, Callable[[Candidate, Reading, Context], dict]] = {
    "position": position, "between": between, "cue": cue, "place": place, "figure": figure,
    "syntax": syntax, "rules": rules, "rivals": rivals, "role": role, "home": home, "clause": clause,
    "discourse": discourse, "movement": movement, "thread": thread, "around": around,
}


def _outside_sentence(c: Candidate, reading: Reading):
    """Key of the blocks that read only the figure's sentence: a candidate outside it gets the
    block's defaults (the figure's, for ``between``); one inside is computed (None: no sharing)."""
    return c.figure if c.mention is None or c.sentence != reading.figures[c.figure].sentence else None


# What each block's values depend on: candidates with the same key get the same values, computed
# once per article (an article has hundreds of candidates, most of them sharing their figure, their
# place or their defaults). A block not listed here is computed for every candidate.
SHARED_BY: dict[str, Callable[[Candidate, Reading], object]] = {
    "figure": lambda c, reading: c.figure,
    "rules": lambda c, reading: (c.figure, c.role, c.place.name, c.place.country),
    "place": lambda c, reading: (c.place.name, c.place.country, c.place.kind),
    "cue": lambda c, reading: (c.mention.cue, c.mention.cue_word) if c.mention else None,
    "role": lambda c, reading: c.role,
    "discourse": lambda c, reading: (c.figure, c.place.name, c.place.country),
    "movement": lambda c, reading: c.figure,
    "around": lambda c, reading: c.mention.token_start if c.mention else None,
    "thread": lambda c, reading: None if c.mention is None or c.sentence == reading.figures[c.figure].sentence
    else c.mention.token_start,
    "between": _outside_sentence,
    "syntax": _outside_sentence,
    "clause": _outside_sentence,
}


def featurize(reading: Reading, blocks: tuple[str, ...] = tuple(BLOCKS)) -> tuple[list[list[float]], list[str]]:
    """One row of numbers per candidate of the reading, and the feature names (fixed order)."""
    ctx = Context(reading)
    # Each block's values are read in the order of its names in _BLOCK_KEYS (a block that returned
    # a name not listed there fails tests/extract/test_learned.py, not silently).
    candidates = reading.candidates
    columns = []          # per block, each candidate's values
    for name in blocks:
        block, keys, shared_by = BLOCKS[name], _BLOCK_KEYS[name], SHARED_BY.get(name)
        if shared_by is None:
            columns.append([[float(v) for v in map(block(c, reading, ctx).__getitem__, keys)] for c in candidates])
            continue
        shared: dict = {}
        values_of = []
        for c in candidates:
            key = shared_by(c, reading)
            values = shared.get(key) if key is not None else None
            if values is None:
                values = [float(v) for v in map(block(c, reading, ctx).__getitem__, keys)]
                if key is not None:
                    shared[key] = values
            values_of.append(values)
        columns.append(values_of)
    rows = [list(chain.from_iterable(parts)) for parts in zip(*columns)] if columns else [[] for _ in candidates]
    reading.pair_features, reading.pair_blocks = rows, tuple(blocks)
    return rows, feature_names(blocks)


def feature_names(blocks: tuple[str, ...] = tuple(BLOCKS)) -> list[str]:
    """The names ``featurize`` gives, without an article (for an article with no candidate)."""
    return [f"{name}.{k}" for name in blocks for k in _BLOCK_KEYS[name]]


_BLOCK_KEYS = {
    "position": ["sentences_apart", "implied", "tokens_apart_log", "place_before", "same_sentence",
                 "place_in_headline", "figure_in_headline"],
    "between": ["places_between", "figures_between", "breaks_between", "and_between", "trigger_between",
                "moving_trigger_between", "withdraw_trigger_between", "sentence_triggers"],
    "cue": [f"cue_{n or 'none'}" for n in CUES] + ["cue_word_to", "cue_word_from"],
    "place": [f"kind_{k}" for k in KINDS] + ["mentions_log", "most_mentioned", "multinational"],
    "figure": [f"qualifier_{q.replace(' ', '_')}" for q in QUALIFIERS] + [
        "no_figure", "anaphoric", "increment", "has_noun", "casualty", "value_log10", "largest_in_article",
        "figures_in_sentence", "figure_sentence_index_log"],
    "syntax": ["parsed", "tree_distance", "lca_is_trigger", "lca_moves", "place_head_is_trigger",
               "figure_head_is_trigger", "same_head"] + [f"place_dep_{d}" for d in DEPS],
    "rules": ["rules_row_for_figure", "rules_rows_for_figure", "rules_same_country", "rules_same_place",
              "rules_confidence", "rules_shared"] + [f"rules_status_{s}" for s in STATUSES],
    "rivals": ["nearest_rank", "nearest_with_cue_rank", "same_cue_rivals", "rivals_in_sentence",
               "figure_rows_in_sentence"],
    "role": ["role_destination"],
    "home": ["place_is_force", "place_is_main_force", "force_known"],
    "clause": ["verbs_between", "place_after_movement", "movement_to_place_log", "same_movement",
               "figure_to_movement_log", "figure_before_movement"],
    "discourse": ["destination_cue_anywhere", "origin_cue_anywhere", "location_cue_anywhere", "in_headline",
                  "headline_destination", "last_destination_rank", "next_destination_rank", "in_figure_sentence",
                  "country_share"],
    "movement": [f"nearest_status_{s}" for s in STATUSES] + [
        "alert_in_sentence", "to_movement_log", "before_movement", "verbs_to_movement", "breaks_to_movement",
        "head_is_trigger", "head_moves", "places_in_sentence", "destinations_in_sentence", "origins_in_sentence",
        "triggers_sentence_before", "triggers_sentence_after", "triggers_in_headline"] + [
        f"near_{name}" for name in NEAR_WORD_LISTS],
    "thread": ["outside", "movement_there", "movement_to_it_log", "after_movement", "withdrawn_there",
               "break_to_it"],
    "around": [f"place_{name}" for name in AROUND_WORD_LISTS],
}
