"""The extraction pipeline: spaCy model + our registered components + the relation stage.

Our stages run as spaCy pipeline components (``troop_sentences`` before the parser,
``troop_headcounts`` and ``troop_places`` after NER) so that a batch of articles goes
through ``nlp.pipe`` in one pass; the relation stage then reads each finished Doc.
"""
from __future__ import annotations

import functools
import os
import re
import warnings
from datetime import date
from typing import Iterable, Optional, Sequence, Union

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from extract import dates as dates_stage
from extract.candidates import Reading, read_candidates
from extract.language import detect_language
from extract.limits import MAX_ARTICLE_CHARS, MAX_SENTENCE_TOKENS
from extract.models import READABLE, TOKENIZER_ONLY, has_parser, load_pipeline
from extract.numbers import find_headcounts
from extract.places import find_places
from extract.relations import find_deployments
from extract.relations.forces import article_forces
from extract.relations.words import trigger_status
from extract.rules import load_rules
from extract.schema import COLUMNS, Deployment

EXTRACTOR_VERSION = "0.2.0"
CHUNK_CHARS = 100_000  # longer texts are read in paragraph-aligned chunks to bound parser memory
SUPPORTED = READABLE  # languages with a pipeline of their own; others are read as English

for _name in ("headcounts", "places"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


_SENTENCE_ENDS = frozenset(".!?…")
_CLAUSE_BREAKS = frozenset(",;:")


@Language.component("troop_sentences")
def troop_sentences(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and bullet points have no full stop.

    A run of more than MAX_SENTENCE_TOKENS tokens with no full stop or line break is cut at its
    next comma or semicolon (or, failing one, at twice the limit)."""
    since_end = 0                 # tokens since the last full stop, line break or cut
    previous = None
    for token in doc:
        if previous is not None:
            if "\n" in previous.text:
                token.is_sent_start = True
                since_end = 0
            elif previous.text in _SENTENCE_ENDS:
                since_end = 0
            elif since_end >= 2 * MAX_SENTENCE_TOKENS or (
                    since_end >= MAX_SENTENCE_TOKENS and previous.text in _CLAUSE_BREAKS):
                token.is_sent_start = True
                since_end = 0
        since_end += 1
        previous = token
    return doc


@Language.factory("troop_headcounts", default_config={"lang": "en"})
def make_headcounts(nlp: Language, name: str, lang: str):
    def component(doc: Doc) -> Doc:
        doc._.headcounts = find_headcounts(doc, lang)
        return doc
    return component


@Language.factory("troop_places", default_config={"lang": "en"})
def make_places(nlp: Language, name: str, lang: str):
    def component(doc: Doc) -> Doc:
        doc._.places = find_places(doc, nlp, lang)
        return doc
    return component


@functools.lru_cache(maxsize=None)
def troop_pipeline(lang: str) -> Language:
    """The language's spaCy model with our components added (loaded once per process)."""
    nlp = load_pipeline(lang)
    rules_lang = lang if lang in SUPPORTED else "en"
    if "troop_sentences" not in nlp.pipe_names:
        # Before the parser, which respects sentence starts; German, with no parser, before the
        # component that hangs each sentence's tokens on a flat tree (extract/models.py).
        placement = {"before": "parser"} if has_parser(nlp) else {"before": "troop_lemmas"}
        nlp.add_pipe("troop_sentences", **placement)
        nlp.add_pipe("troop_headcounts", config={"lang": rules_lang})
        nlp.add_pipe("troop_places", config={"lang": rules_lang})
    return nlp


def reading_language(text: str, lang: Optional[str]) -> tuple[str, Optional[str]]:
    """The language to read in, and a warning when it is not one we support."""
    if lang:
        code = lang.lower()[:2]
    else:
        code = detect_language(text).lang
    if code in SUPPORTED:
        return code, None
    return "en", (f"text detected as {code!r}: not one of {', '.join(SUPPORTED)}; read with the English rules "
                  "(best effort)")


# A line break inside a sentence: after a word that does not end one, before a lower-case word, and
# not a blank line (a paragraph). Hard-wrapped text (e-mail, plain-text wires, terminals) has one at
# every 70 characters, and each would end a sentence.
_WRAPPED_LINE = re.compile(r"(?<=[^\s.!?…:;»\"”])[ \t]*\n[ \t]*(?=[^\W\d_A-ZÀ-ÖØ-ÞĀ-Ž])")


def reading_text(text: str) -> str:
    """The text the pipelines read: hard-wrapped lines joined, each line break (and the spaces round
    it) turned into as many spaces, so every character offset still points into the original."""
    return _WRAPPED_LINE.sub(lambda m: " " * len(m.group()), text)


def _chunks(text: str) -> list[tuple[int, str]]:
    if len(text) <= CHUNK_CHARS:
        return [(0, text)]
    chunks, start = [], 0
    while start < len(text):
        end = min(len(text), start + CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n\n", start, end)
            end = cut + 2 if cut > start else end
        chunks.append((start, text[start:end]))
        start = end
    return chunks


ENGINES = ("model", "rules")


# Who decides the rows unless the caller says: the learned decision, which scores above the
# hand-written rules on every set nobody tuned on (README, "The learned decision"); the rules stay
# reachable (engine="rules", TROOPMAP_ENGINE=rules, python -m extract --engine rules) and are the
# fallback when no model file is there.
DEFAULT_ENGINE = "model"


def default_engine() -> str:
    from extract.decide import load_model
    wanted = os.environ.get("TROOPMAP_ENGINE", DEFAULT_ENGINE)
    return "model" if wanted == "model" and load_model() is not None else "rules"


def read_doc(doc: Doc, lang: str, published) -> Reading:
    """What the reading stages and the rules made of one parsed article, with the model's candidates."""
    found_dates = dates_stage.find_dates(doc.text, lang, published)
    rules = load_rules(lang)
    forces = article_forces(doc, rules, lang)   # read once: the rules, the features and the decoding use it
    rule_rows = find_deployments(doc, lang, doc._.headcounts or [], doc._.places or [], found_dates, forces)
    statuses = [trigger_status(t, rules) for t in doc]
    moving = [i for i, status in enumerate(statuses) if status not in (None, "alert")]
    reading = read_candidates(doc, lang, doc._.headcounts or [], doc._.places or [], rule_rows,
                              parsed=lang not in TOKENIZER_ONLY, movement_tokens=moving)
    reading.dates = found_dates
    reading.trigger_statuses = statuses
    reading.forces = forces
    return reading


def _rows_from_doc(doc: Doc, lang: str, published, offset: int, engine: str) -> list[Deployment]:
    reading = read_doc(doc, lang, published)
    if engine == "model":
        from extract.decide import decide, load_model
        rows = decide(reading, load_model())
    else:
        rows = reading.rule_rows
    for row in rows:
        if row.start is not None:
            row.start += offset
            row.end += offset
    return rows


def to_frame(rows: Sequence[Deployment]) -> pd.DataFrame:
    """Rows as the documented DataFrame (columns: extract.schema.COLUMNS, in that order)."""
    frame = pd.DataFrame([r.to_dict() for r in rows], columns=list(COLUMNS))
    frame["headcount"] = frame["headcount"].astype("Int64")
    for column in ("start", "end"):
        frame[column] = frame[column].astype("Int64")
    return frame


def extract_many(
    texts: Iterable[str],
    lang: Optional[str] = None,
    published: Union[None, str, date, Sequence] = None,
    batch_size: int = 16,
    engine: Optional[str] = None,
) -> list[pd.DataFrame]:
    """One DataFrame per text, in order. Texts are grouped by language and go through ``nlp.pipe``.
    ``engine``: "rules" (the default, :data:`DEFAULT_ENGINE`) or "model" (the learned decision)."""
    engine = engine or default_engine()
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}")
    texts = list(texts)
    for index, text in enumerate(texts):
        if text and len(text) > MAX_ARTICLE_CHARS:
            raise ValueError(f"text {index + 1} is {len(text):,} characters, longer than the limit of "
                             f"{MAX_ARTICLE_CHARS:,} for one article (TROOPMAP_MAX_ARTICLE_CHARS)")
    published_list = list(published) if isinstance(published, (list, tuple)) else [published] * len(texts)
    rows: list[list[Deployment]] = [[] for _ in texts]
    notes: list[list[str]] = [[] for _ in texts]
    jobs: dict[str, list[tuple[int, int, str]]] = {}
    for index, text in enumerate(texts):
        if not text or not text.strip():
            continue
        reading, warning = reading_language(text, lang)
        if warning:
            notes[index].append(warning)
        for offset, chunk in _chunks(reading_text(text)):
            jobs.setdefault(reading, []).append((index, offset, chunk))
    for reading, items in jobs.items():
        nlp = troop_pipeline(reading)
        docs = nlp.pipe((chunk for _i, _o, chunk in items), batch_size=batch_size)
        for (index, offset, _chunk), doc in zip(items, docs):
            rows[index].extend(_rows_from_doc(doc, reading, published_list[index], offset, engine))
    frames = []
    for index, found in enumerate(rows):
        frame = to_frame(found)
        frame.attrs["warnings"] = notes[index]
        for note in notes[index]:
            warnings.warn(note, stacklevel=2)
        frames.append(frame)
    return frames


def extract_deployments(text: str, lang: Optional[str] = None, published=None,
                        engine: Optional[str] = None) -> pd.DataFrame:
    """The deployment table of one article (see extract.schema for the columns)."""
    return extract_many([text], lang=lang, published=published, engine=engine)[0]
