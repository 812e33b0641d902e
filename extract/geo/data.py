"""The gazetteer's tables, read once from data/ into name indexes.

Every name is indexed under its normal form (:func:`normalize`). An index entry is a
:class:`Candidate`: the place plus what ranks it against homonyms without context (its
``prior``: countries over regions over bases over cities, cities by population).
Cities come in two tiers: towns above the main cut-off load with everything else, smaller
towns only when a name is not found otherwise (see scripts/build_gazetteer.py).
"""
from __future__ import annotations

import csv
import functools
import math
from dataclasses import dataclass, field
from pathlib import Path

from extract.geo.normalize import normalize
from extract.geo.place import Place

DATA = Path(__file__).resolve().parents[2] / "data"

# Priors: a country name is a country before anything else; installations beat towns
# ("Tapa" the NATO camp, not Tapa in Punjab); a city's weight grows with its population.
PRIOR = {"country": 8.0, "region": 7.8, "state": 7.5, "base": 7.5, "airfield": 5.0,
         "civil_airfield": 3.0,
         # An ISO subdivision ("Andalusia", "Limburg") weighs as a city of 100,000: a larger
         # town of that name elsewhere, or places named around it, can still win.
         "subdivision": 7.0}
ALTERNATE_NAME_PENALTY = 2.0


def city_prior(population: int) -> float:
    return 2.0 + 1.0 * math.log10(population + 1)


@dataclass(frozen=True)
class Candidate:
    place: Place
    prior: float
    admin1: str = ""        # US state code for US cities (GeoNames admin1)
    lang: str | None = None  # language of the name matched, None when it is not language-specific
    source: str = ""         # 'country', 'region', 'installation', 'airfield', 'city'
    alternate: bool = False  # matched through one of a city's alternate names


@dataclass
class Tables:
    index: dict[str, list[Candidate]] = field(default_factory=dict)
    countries: dict[str, Place] = field(default_factory=dict)
    country_parts: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)
    borders: dict[frozenset, tuple[float, float]] = field(default_factory=dict)
    demonyms: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # form -> [(iso2, lang)]
    demonym_display: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    states_by_code: dict[str, Place] = field(default_factory=dict)   # 'NC' -> North Carolina
    installations: list[Place] = field(default_factory=list)
    operators: dict[Place, str] = field(default_factory=dict)  # installation -> whose forces use it
    surface: list[tuple[str, str, str | None]] = field(default_factory=list)  # (form, kind, lang)
    qualifier_only: dict[str, list[Candidate]] = field(default_factory=dict)  # 'nc', 'calif'
    # Subdivisions named like a city of their country ("Madrid", "Lublin", "Utrecht"): the
    # city keeps the bare name; these answer only after a region noun ("province of Utrecht").
    region_nouns: dict[str, list[Candidate]] = field(default_factory=dict)


def split(cell: str | None) -> list[str]:
    return [v.strip() for v in (cell or "").split("|") if v.strip()]


def is_abbreviation(form: str) -> bool:
    """'N.C.', 'Calif.', 'NC': state abbreviations only count after a comma ('Fort Bragg, N.C.')."""
    return form.endswith(".") or (len(form) <= 3 and form.isupper() and form.isalpha() and len(form) == 2)


def _add(tables: Tables, form: str, candidate: Candidate, kind_for_surface: str | None = None) -> None:
    key = normalize(form)
    if not key:
        return
    bucket = tables.index.setdefault(key, [])
    if not any(c.place == candidate.place for c in bucket):
        bucket.append(candidate)
    if kind_for_surface:
        tables.surface.append((form, kind_for_surface, candidate.lang))
    # "Victoria (Australia)" is also "Victoria".
    if "(" in form:
        bare = normalize(form.split("(")[0])
        if bare and bare != key:
            bucket = tables.index.setdefault(bare, [])
            if not any(c.place == candidate.place for c in bucket):
                bucket.append(candidate)


def genitives(form: str, lang: str | None) -> list[str]:
    """German genitives of a proper name: "Russlands", "Malis", "des Baltikums" ("Kosovo" ->
    "Kosovos", "Litauens"); names of several words, acronyms and names ending in a sibilant take none."""
    if lang != "de" or not form[-1:].isalpha() or form[-1] in "sxzßSXZ" or not form[:1].isupper() \
            or " " in form or form.isupper():
        return []
    return [form + "s"]


def _read(name: str):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load_countries(tables: Tables) -> None:
    for row in _read("countries.csv"):
        place = Place(row["name"], row["iso2"], float(row["lat"]), float(row["lon"]), "country")
        tables.countries[row["iso2"]] = place
        population = int(row["population"] or 0)
        # Between countries sharing a name ("Congo"), the larger one is meant more often.
        prior = PRIOR["country"] + 0.05 * math.log10(population + 10)
        tables.country_parts[row["iso2"]] = {
            part: (float(lat), float(lon)) for part, point in
            (item.split(":") for item in row["parts"].split()) for lat, lon in [point.split(",")]}
        for lang in ("en", "fr"):
            for form in split(row[f"aliases_{lang}"]) + [row["name" if lang == "en" else "name_fr"]]:
                _add(tables, form, Candidate(place, prior, lang=lang, source="country"), "country")
        # ISO alpha-3 codes ("FIN", "CAN", "PER") are ordinary words too: qualifiers only.
        tables.qualifier_only.setdefault(row["iso3"].lower(), []).append(Candidate(place, prior, source="country"))
    if (DATA / "country_names.csv").exists():
        # German and Spanish names (CLDR and country_variants.csv, see scripts/build_gazetteer.py).
        for row in _read("country_names.csv"):
            place = tables.countries.get(row["iso2"])
            if place is None:
                continue
            prior = next(c.prior for c in tables.index[normalize(place.name)] if c.place == place)
            for form in split(row["names"]):
                for variant in [form] + genitives(form, row["lang"]):
                    _add(tables, variant, Candidate(place, prior, lang=row["lang"], source="country"), "country")
    for row in _read("borders.csv"):
        tables.borders[frozenset((row["a"], row["b"]))] = (float(row["lat"]), float(row["lon"]))


def load_regions(tables: Tables) -> None:
    for row in _read("regions.csv"):
        kind = row["kind"]
        place = Place(row["name"], row["country"] or None, float(row["lat"]), float(row["lon"]), kind,
                      tuple(split(row["members"])))
        for lang, forms in (("en", [row["name"]] + split(row["aliases_en"])),
                            ("fr", [row["name_fr"]] + split(row["aliases_fr"])),
                            ("de", split(row.get("aliases_de"))), ("es", split(row.get("aliases_es")))):
            for form in [variant for form in forms for variant in [form] + genitives(form, lang)]:
                candidate = Candidate(place, PRIOR[kind], lang=lang, source="region")
                if is_abbreviation(form):
                    tables.qualifier_only.setdefault(normalize(form), []).append(candidate)
                else:
                    _add(tables, form, candidate, kind)


# Subdivision names that are also directions or generic words ("Central", "Western", "Capital",
# "Centre", "Nord"): as bare words they name no region.
GENERIC_SUBDIVISION_WORDS = frozenset(
    "north south east west northern southern eastern western central centre center capital nord sud est "
    "ouest upper lower middle coast coastal littoral island islands region province district city "
    "north-east north-west south-east south-west northeast northwest southeast southwest far the of "
    "and de la le du des haut haute bas basse grand greater interior highlands lakes "
    # ordinary words in English or French that name a province somewhere ("Maritime", "Store", "Mary")
    "maritime plateau plateaux savane savanes lagunes lacs collines cascade cascades littoral litoral "
    "estuaire equateur golfe gulf delta pool rivers rivieres unity unite commune store mary meta para "
    "valle isla oriental marche atlantique somali".split())


def load_subdivisions(tables: Tables) -> None:
    """ISO 3166-2 first-level subdivisions (data/subdivisions.csv). One already curated in
    regions.csv keeps its place and gains the other names."""
    path = DATA / "subdivisions.csv"
    if not path.exists():
        return
    cities = main_cities()
    for row in _read("subdivisions.csv"):
        forms = [(lang, form) for lang, cell in (("en", [row["name"]] + split(row["aliases_en"])),
                                                 ("fr", [row["name_fr"]] + split(row["aliases_fr"])))
                 for form in cell]
        keys = {normalize(form) for _, form in forms}
        curated = [c.place for key in keys for c in tables.index.get(key, ())
                   if c.source == "region" and c.place.country == row["country"]]
        place = curated[0] if curated else Place(row["name"], row["country"], float(row["lat"]),
                                                 float(row["lon"]), "region")
        prior = PRIOR["region"] if curated else PRIOR["subdivision"]
        for lang, form in forms:
            key = normalize(form)
            if len(key) < 4 or set(key.split()) <= GENERIC_SUBDIVISION_WORDS:
                continue
            known = tables.index.get(key, ())
            if any(c.source == "country" or (c.source == "region" and c.place != place) for c in known):
                continue  # "México", "Panamá", "Gaza", "Sahel": the country or curated region keeps its name
            candidate = Candidate(place, prior, lang=lang, source="subdivision")
            if any(c.place.country == row["country"] for c in cities.candidates(key)):
                bucket = tables.region_nouns.setdefault(key, [])
                if candidate not in bucket:
                    bucket.append(candidate)
                continue
            # Matchers read text case-blind: only names of five letters or more are offered to them.
            _add(tables, form, candidate, "region" if len(key) >= 5 and form[:1].isupper() else None)


def _load_us_state_codes(tables: Tables) -> None:
    by_name = {c.place.name: c.place for cands in tables.index.values() for c in cands
               if c.place.kind == "state" and c.place.country == "US"}
    with open(DATA / "us_states.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            place = by_name.get(row["name"]) or by_name.get(row["name"] + " State")
            if place:
                tables.states_by_code[row["code"]] = place
                tables.qualifier_only.setdefault(normalize(row["code"]), []).append(
                    Candidate(place, PRIOR["state"], source="region"))


def load_installations(tables: Tables) -> None:
    path = DATA / "installations.csv"
    if not path.exists():
        return
    seen = set()
    for row in _read("installations.csv"):
        try:
            place = Place(row["name"].strip(), (row["country"] or "").strip() or None,
                          float(row["lat"]), float(row["lon"]), "base")
        except (TypeError, ValueError):
            continue  # a row still being written
        if (place.name, place.country) in seen:
            continue
        seen.add((place.name, place.country))
        tables.installations.append(place)
        if (row.get("operator") or "").strip():
            tables.operators[place] = row["operator"].strip()
        for form in [row["name"]] + split(row.get("aliases")) + split(row.get("former_names")):
            _add(tables, form, Candidate(place, PRIOR["base"], source="installation"), "base")


def load_airfields(tables: Tables) -> None:
    for row in _read("airfields.csv"):
        military = row["military"] == "1"
        place = Place(row["name"], row["country"], float(row["lat"]), float(row["lon"]), "base")
        prior = PRIOR["airfield" if military else "civil_airfield"]
        _add_key(tables, row["key"], Candidate(place, prior, source="airfield"))
        if military:
            tables.surface.append((row["name"], "base", None))
        for core in split(row["core_keys"]):
            # The bare core ("Amari") is weaker than the full name; "Amari air base" is as strong.
            _add_key(tables, core, Candidate(place, prior - 1.0, source="airfield"))
            _add_key(tables, core + " air base", Candidate(place, prior, source="airfield"))
            _add_key(tables, core + " airport", Candidate(place, prior, source="airfield"))


def _add_key(tables: Tables, key: str, candidate: Candidate) -> None:
    bucket = tables.index.setdefault(key, [])
    if candidate not in bucket:
        bucket.append(candidate)


def load_demonyms(tables: Tables) -> None:
    for row in _read("demonyms.csv"):
        forms = split(row["forms"])
        tables.demonym_display[(row["iso2"], row["lang"])] = forms
        for form in forms:
            bucket = tables.demonyms.setdefault(normalize(form), [])
            if (row["iso2"], row["lang"]) not in bucket:
                bucket.append((row["iso2"], row["lang"]))


@functools.cache
def tables() -> Tables:
    loaded = Tables()
    load_countries(loaded)
    load_regions(loaded)
    load_subdivisions(loaded)
    _load_us_state_codes(loaded)
    load_installations(loaded)
    load_airfields(loaded)
    load_demonyms(loaded)
    return loaded


class CityTier:
    """One city file and its name index, read with one split a line; a city is parsed into a
    candidate only when a name that designates it is looked up."""

    def __init__(self, stem: str):
        with open(DATA / f"{stem}.tsv", encoding="utf-8") as handle:
            self.lines = handle.read().split("\n")[1:]
        with open(DATA / f"{stem}.index.tsv", encoding="utf-8") as handle:
            self.index: dict[str, str] = dict(line.split("\t", 1) for line in handle.read().splitlines())

    @functools.lru_cache(maxsize=65536)
    def candidates(self, key: str) -> tuple[Candidate, ...]:
        found = []
        for number in self.index.get(key, "").split(","):
            if not number:
                continue
            alternate = number.startswith("~")
            name, country, admin1, lat, lon, population = self.lines[int(number.lstrip("~"))].split("\t")
            prior = city_prior(int(population)) - (ALTERNATE_NAME_PENALTY if alternate else 0.0)
            found.append(Candidate(Place(name, country, float(lat), float(lon), "city"), prior, admin1,
                                   source="city", alternate=alternate))
        return tuple(found)


@functools.cache
def main_cities() -> CityTier:
    return CityTier("cities")


@functools.cache
def small_towns() -> CityTier:
    return CityTier("cities_small")
