"""Which language an article is written in: English, French, German and Spanish are read with
rules and pipelines of their own; the others are only named so the caller can warn that the
text was read as English.

Two cheap signals, no model: the Unicode script of the letters (Cyrillic, Arabic, Greek,
Han...) and, inside a script, the share of words that are stop words of each language,
using the stop-word lists spaCy ships with every language (no pipeline needed). A
handful of letters only one language of a script uses (Ukrainian "ї", Polish "ł", ...)
break near ties.
"""
from __future__ import annotations

import functools
import importlib
import importlib.util
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

SUPPORTED = ("en", "fr", "de", "es")
# Languages read from the tokenizer up, with no trained pipeline (no parser, no entities): see
# extract/models.py. Defined here, where no spaCy is imported, so the app can say so cheaply.
TOKENIZER_ONLY = ("de",)

# Languages told apart by stop words, per script. English and French are first so a tie
# goes to a language we can read.
_BY_SCRIPT = {
    "latin": ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "ro", "sv", "da", "cs", "tr"),
    "cyrillic": ("ru", "uk"),
    "arabic": ("ar", "fa"),
}
# Scripts used by one language only (as far as news is concerned).
_SCRIPT_LANGUAGE = {"greek": "el", "hebrew": "he", "devanagari": "hi", "hangul": "ko",
                    "kana": "ja", "han": "zh", "thai": "th", "armenian": "hy", "georgian": "ka"}
_SCRIPTS = {
    "latin": r"A-Za-z\u00c0-\u024f",
    "cyrillic": r"\u0400-\u04ff",
    "arabic": r"\u0600-\u06ff\u0750-\u077f",
    "greek": r"\u0370-\u03ff",
    "hebrew": r"\u0590-\u05ff",
    "devanagari": r"\u0900-\u097f",
    "hangul": r"\uac00-\ud7af\u1100-\u11ff",
    "kana": r"\u3040-\u30ff",
    "han": r"\u4e00-\u9fff",
    "thai": r"\u0e00-\u0e7f",
    "armenian": r"\u0530-\u058f",
    "georgian": r"\u10a0-\u10ff",
}
# One pass over the text: each match is a run of letters of one script.
_SCRIPT_RUNS = re.compile("|".join(f"(?P<{name}>[{chars}]+)" for name, chars in _SCRIPTS.items()))
# Letters one language of its script uses and its neighbours do not: each occurrence
# counts like a stop word for that language.
_MARKER_LETTERS = {
    "fr": "çœèêëîïûùÿ", "de": "äöüß", "es": "ñ¿¡", "pt": "ãõ", "pl": "łąęśźżćń",
    "ro": "ăâșțşţ", "cs": "řůěčš", "tr": "ğış", "sv": "å", "da": "æø",
    "uk": "іїєґ", "ru": "ыэъё", "fa": "پچژگ",
}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_SAMPLE_CHARS = 20_000   # an article's first pages say as much as the whole of it


@dataclass(frozen=True)
class LanguageGuess:
    lang: str            # ISO 639-1 code, 'en' when nothing can be said
    confidence: float    # 0-1
    supported: bool      # True for the languages the extractor reads (SUPPORTED)


def detect_language(text: str) -> LanguageGuess:
    """The language of ``text``; ``supported`` is False for a language read as English best effort."""
    sample = text[:_SAMPLE_CHARS]
    script, script_share = _dominant_script(sample)
    if script is None:
        return LanguageGuess("en", 0.0, True)
    if script in _SCRIPT_LANGUAGE:
        return _guess(_SCRIPT_LANGUAGE[script], script_share)
    candidates = _BY_SCRIPT[script]
    words = Counter(word.lower().replace("’", "'") for word in _WORD.findall(sample))
    scores = dict.fromkeys(candidates, 0.0)
    stop_words = _stop_words()
    for word, count in words.items():
        for lang in stop_words.get(word, ()):
            if lang in scores:
                scores[lang] += count
        # French and Italian elide: "l'armée", "dell'esercito" count by their article.
        if "'" in word:
            for lang in stop_words.get(word.split("'")[0] + "'", ()):
                if lang in scores:
                    scores[lang] += count
    lowered = sample.lower()
    for lang in candidates:
        letters = _MARKER_LETTERS.get(lang)
        if letters:
            scores[lang] += 0.5 * sum(lowered.count(letter) for letter in letters)
    ranked = sorted(candidates, key=lambda lang: -scores[lang])   # stable: ties keep order
    best, runner_up = ranked[0], ranked[1]
    if scores[best] == 0:
        # No stop word at all: a list of names or numbers. Say English, without conviction.
        return LanguageGuess(candidates[0] if script == "latin" else best, 0.1, candidates[0] in SUPPORTED)
    # Sharp when the runner-up is far behind; related languages (fr/it/es) share a third
    # of their stop words, so a runner-up at 40 % is normal for a clear text.
    sharpness = 1 - (scores[runner_up] / scores[best]) ** 2
    # Few words prove little: a dozen stop words are enough for near certainty.
    evidence = 1 - math.exp(-scores[best] / 4)
    confidence = (0.5 + 0.5 * sharpness) * evidence
    if script != "latin":
        # The script alone already narrows a Cyrillic or Arabic text to two languages.
        confidence = 0.6 + 0.4 * confidence
    return _guess(best, script_share * confidence)


def _guess(lang: str, confidence: float) -> LanguageGuess:
    return LanguageGuess(lang, round(max(0.0, min(1.0, confidence)), 3), lang in SUPPORTED)


def _dominant_script(sample: str) -> tuple[str | None, float]:
    counts = dict.fromkeys(_SCRIPTS, 0)
    for run in _SCRIPT_RUNS.finditer(sample):
        counts[run.lastgroup] += run.end() - run.start()
    # Japanese mixes kana with Han characters: any kana means Japanese.
    if counts["kana"] and counts["kana"] + counts["han"] >= max(counts.values()):
        counts["kana"] += counts.pop("han")
    total = sum(counts.values())
    if not total:
        return None, 0.0
    script = max(counts, key=counts.get)
    return script, counts[script] / total


@functools.lru_cache(maxsize=1)
def _stop_words() -> dict[str, tuple[str, ...]]:
    """Word -> the languages whose spaCy stop-word list holds it."""
    languages: dict[str, list[str]] = {}
    for lang in sorted({lang for group in _BY_SCRIPT.values() for lang in group}):
        for word in _load_stop_words(lang):
            languages.setdefault(word.lower().replace("’", "'"), []).append(lang)
    return {word: tuple(langs) for word, langs in languages.items()}


def _load_stop_words(lang: str) -> set[str]:
    """spaCy's list for ``lang``, read from its file: importing ``spacy.lang.xx`` would
    import all of spaCy (seconds) when detection alone needs a few sets of words."""
    spacy_dir = Path(importlib.util.find_spec("spacy").origin).parent
    path = spacy_dir / "lang" / lang / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"_troopmap_stop_words_{lang}", path)
    if not path.is_file() or spec is None or spec.loader is None:
        return set(importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return set(module.STOP_WORDS)
