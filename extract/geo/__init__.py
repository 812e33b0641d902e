"""Offline gazetteer and geocoder: every place a news article names, resolved without a network.

    >>> from extract.geo import resolve, demonym
    >>> resolve("Varsovie").name
    'Warsaw'
    >>> resolve("Georgia", context="... from Fort Stewart, Georgia ...").kind
    'state'
    >>> demonym("américaines")
    'US'

Data come from data/ (rebuilt by scripts/build_gazetteer.py, sources in data/SOURCES.md)
and load once, on the first call.
"""
from __future__ import annotations

import functools
from pathlib import Path

from extract.geo.data import DATA, tables
from extract.geo.normalize import normalize
from extract.geo.place import Place
from extract.geo.resolve import km
from extract.geo.resolve import resolve as _resolve

__all__ = ["Place", "resolve", "demonym", "operator", "surface_forms", "country", "country_polygons_path",
           "normalize", "km"]

# Suffixes and prefixes around a demonym that keep its country ("German-based", "U.S.-led").
_KEEPING_SUFFIXES = frozenset("based led born backed made trained flagged owned run bound built operated "
                              "registered".split())
_CHANGING_PREFIXES = frozenset("pro anti ex".split())
# Short acronyms a matcher may look for whatever their case: none of them is a word in English or French.
_WELL_KNOWN_ACRONYMS = frozenset("US UK USA UAE DRC RDC ROK VAE".split())
# Languages whose place lists are short of their own region names: they also match the English ones.
_LOCAL_NAME_LANGUAGES = frozenset(("de", "es"))


def operator(place: Place) -> str | None:
    """ISO code of the forces that use an installation (GB for Sennelager in Germany), else None."""
    return tables().operators.get(place)


def resolve(name: str, context: str | None = None, lang: str | None = None) -> Place | None:
    """The place ``name`` designates, read with the article ``context`` when given; None if unknown."""
    if not isinstance(name, str):
        return None
    return _resolve(name, context or None, lang)


@functools.lru_cache(maxsize=10_000)
def demonym(word: str, lang: str | None = None) -> str | None:
    """ISO alpha-2 of the country a nationality word refers to: 'américaine' -> 'US'."""
    words = normalize(word or "").split()
    if not words or words[0] in _CHANGING_PREFIXES:
        return None
    while len(words) > 1 and words[-1] in _KEEPING_SUFFIXES:
        words = words[:-1]
    key = " ".join(words)
    found = tables().demonyms.get(key, [])
    if lang:
        found = sorted(found, key=lambda entry: entry[1] != lang)
    if found:
        return found[0][0]
    countries = [c for c in tables().index.get(key, ()) if c.place.kind == "country"]
    return max(countries, key=lambda c: c.prior).place.country if countries else None


def surface_forms(kinds=("country", "region", "state", "base"), lang: str | None = None) -> list[tuple[str, str]]:
    """Every (surface form, kind) known for those kinds, for a spaCy PhraseMatcher.

    Acronyms of three letters or fewer that are also words ("CAR", "LAC", "EAU") are left
    out; ``resolve`` still knows them. Forms keep their case: country and city names are
    capitalised, so a matcher that ignores case should check that the text is too
    ("turkey", "chad"); French region names are often lower-case ("pays baltes")."""
    seen: set[tuple[str, str]] = set()
    forms = []
    for form, kind, form_lang in tables().surface:
        if kind not in kinds or len(form) < 2:
            continue
        if lang and form_lang and form_lang != lang and not (
                # German and Spanish text names regions and states as the English list does
                # ("Sahel", "Texas", "Niedersachsen" among a subdivision's local names).
                lang in _LOCAL_NAME_LANGUAGES and form_lang == "en" and kind != "country" and form[:1].isupper()):
            continue
        if form.isalpha() and form.isupper() and len(form) <= 3 and form not in _WELL_KNOWN_ACRONYMS:
            continue  # "CAR", "LAC", "EAU" are also "car", "lac", "eau" to a case-blind matcher
        if (form, kind) not in seen:
            seen.add((form, kind))
            forms.append((form, kind))
    return forms


def country(iso2: str) -> Place | None:
    """The country's representative point (inside its land)."""
    return tables().countries.get((iso2 or "").upper())


def country_polygons_path() -> Path:
    """GeoJSON FeatureCollection of the countries, properties ISO_A2 and name."""
    return DATA / "countries.geojson"
