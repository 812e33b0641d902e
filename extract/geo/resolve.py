"""From the words an article uses for a place to one :class:`Place`.

The order of attempts, each a general rule:

1. the name itself (after dropping articles and prepositions: "la Pologne", "aux États-Unis");
2. a qualifier in the name or right after it in the text ("Fort Bragg, N.C.", "Paris (Texas)",
   "Fort Bragg en Caroline du Nord");
3. lists ("the Baltic states and Poland") become one region with every member;
4. borders ("frontière polono-biélorusse", "the Ukrainian border");
5. installations described by a generic word ("base aérienne d'Istres", "Amari air base",
   "the North Carolina base");
6. parts of a place ("south-eastern Poland", "nord de Mossoul", "est du Ladakh");
7. surroundings and administrative words ("abords de l'Ukraine", "Anbar province");
8. the longest known place inside the words ("Line of Actual Control opposite eastern Ladakh").

Homonyms are ranked by a prior (see data.py) plus evidence from the context: places the
article names near a candidate, its country named in the text, a US city's state named in
the text, and military vocabulary for installations.
"""
from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import replace

from extract.geo.data import ALTERNATE_NAME_PENALTY, Candidate, Place, main_cities, small_towns, tables
from extract.geo.normalize import normalize

LEADING_WORDS = frozenset("the in to from at into near of on la le les l d de du des en au aux a "
                          "vers depuis dans sur pour par "
                          # German and Spanish articles and prepositions: "nach Rumänien", "al Líbano"
                          "der die das dem den im ins nach aus von vom zum zur am bei "
                          "el los las al del hacia desde hasta".split())
# First names that are also place names: "Chad Smith", "Michael Jordan".
FIRST_NAMES = frozenset("chad jordan georgia israel india kenya paris sydney austin victoria florence "
                        "lincoln orlando madison chelsea adelaide charlotte savannah dallas houston "
                        "jackson virginia carolina chester tyler troy denver phoenix regina".split())
# Capitalised words that keep a first-name-looking place a place: "Jordan Valley".
PLACE_HEADS = frozenset("valley river basin delta sea lake province region strait gulf border army armed "
                        "forces air navy defence defense ministry national guard republic kingdom city "
                        "county state states government military king queen prime president crisis "
                        "war peninsula coast mountains desert harbor harbour bay island islands".split())
MILITARY_WORDS = re.compile(
    r"\b(troops?|soldiers?|brigades?|battalions?|division|regiments?|army|military|deploy\w*|marines?|"
    r"airborne|garrison|militaires?|soldats?|r[ée]giments?|bataillons?|arm[ée]e|d[ée]ploi\w*|troupes?|"
    r"brigades?|forces?|soldat\w*|truppe\w*|bundeswehr|streitkr\w+|verleg\w*|soldados?|tropas?|militares|"
    r"despliegue\w*|desplegad\w*|ej[ée]rcito)\b", re.IGNORECASE)
STOP_KEYS = frozenset("base air camp fort province region border frontiere area military airport city state "
                      "north south east west nord sud est ouest centre center central the of and et "
                      "armee army navy forces force national guard republic de la le les du des "
                      "basis stutzpunkt flughafen flugplatz lager kaserne raum gebiet grenze kuste stadt "
                      "base aerea naval militar aeropuerto campamento cuartel zona frontera costa ciudad el los las del".split())

PART_WORDS = {
    "north": "north", "northern": "north", "nord": "north", "septentrional": "north",
    "south": "south", "southern": "south", "sud": "south", "meridional": "south",
    "east": "east", "eastern": "east", "est": "east", "oriental": "east", "orientale": "east",
    "west": "west", "western": "west", "ouest": "west", "occidental": "west", "occidentale": "west",
    "central": "centre", "centre": "centre", "center": "centre",
    "north east": "northeast", "northeast": "northeast", "north eastern": "northeast",
    "northeastern": "northeast", "nord est": "northeast",
    "north west": "northwest", "northwest": "northwest", "north western": "northwest",
    "northwestern": "northwest", "nord ouest": "northwest",
    "south east": "southeast", "southeast": "southeast", "south eastern": "southeast",
    "southeastern": "southeast", "sud est": "southeast",
    "south west": "southwest", "southwest": "southwest", "south western": "southwest",
    "southwestern": "southwest", "sud ouest": "southwest",
    # Spanish ("norte de Malí", "el este de Ucrania") and German ("im östlichen Kongo", "Norden Malis")
    "norte": "north", "noreste": "northeast", "nordeste": "northeast", "noroeste": "northwest",
    "sureste": "southeast", "sudeste": "southeast", "suroeste": "southwest", "sudoeste": "southwest",
    "este": "east", "oeste": "west", "centro": "centre",
    "norden": "north", "suden": "south", "osten": "east", "westen": "west", "nordosten": "northeast",
    "nordwesten": "northwest", "sudosten": "southeast", "sudwesten": "southwest", "zentrum": "centre",
    "nordlichen": "north", "nordliche": "north", "nordlich": "north", "sudlichen": "south", "sudliche": "south",
    "sudlich": "south", "ostlichen": "east", "ostliche": "east", "ostlich": "east", "westlichen": "west",
    "westliche": "west", "westlich": "west", "zentralen": "centre", "zentrale": "centre",
}
# German compounds of a compass word and a place: "Nordkosovo", "Südlibanon", "Ostkongo", "Zentralmali".
GERMAN_PART_PREFIX = re.compile(r"^(nordost|nordwest|sudost|sudwest|nord|sud|ost|west|zentral|mittel)[ -]?([a-z].{3,})$")
GERMAN_PART_PREFIXES = {"nordost": "northeast", "nordwest": "northwest", "sudost": "southeast", "sudwest": "southwest",
                        "nord": "north", "sud": "south", "ost": "east", "west": "west", "zentral": "centre",
                        "mittel": "centre"}
_PART_ALTERNATION = "|".join(sorted(PART_WORDS, key=len, reverse=True))
PART_BEFORE = re.compile(rf"^(?:the |le |la |l |el |im |in |der |den |dem )?({_PART_ALTERNATION})"
                         rf"(?: (?:of|de|du|des|d|l|la|le|the|del|el|los|las|von|vom|der|des))* (.+)$")
PART_AFTER = re.compile(r"^(.+) (oriental|orientale|occidental|occidentale|septentrional|meridional)$")

DESIGNATOR_BEFORE = re.compile(
    r"^(?:the )?(?:base aerienne(?: projetee)?(?: \d+)?|base navale|base militaire|camp militaire|"
    r"base aerea|base naval|base militar|base aeronaval|base logistica|aeropuerto|aerodromo|campamento|cuartel|"
    r"acuartelamiento|flughafen|flugplatz|fliegerhorst|luftwaffenbasis|luftwaffenstutzpunkt|militarflughafen|"
    r"lufttransportstutzpunkt|marinestutzpunkt|militarstutzpunkt|militarbasis|stutzpunkt|feldlager|kaserne|"
    r"truppenubungsplatz|ubungsplatz|marinehafen|hafen|puerto|basis|lager|"
    r"base|camp|garrison|quartier|caserne|garnison|aerodrome|aeroport|airport|ba \d+|bap|"
    r"air base|airfield|naval base|military base)"
    r"(?: (?:de|du|des|d|l|la|le|at|of|in|en|au|del|el|los|las|von|vom|der|die|das|dem|bei))* (.+)$")
DESIGNATOR_AFTER = re.compile(
    r"^(?:the )?(.+?) (?:air base|airbase|air force base|afb|military airfield|airfield|air field|"
    r"airport|military base|army base|naval base|base|garrison|training area|training ground|"
    r"barracks|camp|air station|military camp|range|post|army post|installation|kaserne|fliegerhorst|"
    r"flughafen|flugplatz|lager|truppenubungsplatz|ubungsplatz)$")
VICINITY_BEFORE = re.compile(
    r"^(?:the )?(?:abords|pourtour|environs|alentours|proximite|pres|region|province|oblast|voivodie|"
    r"gouvernorat|district|departement|outskirts|vicinity|area around|area|surroundings|zone|"
    r"around|environs immediats|raum|kanton|gebiet|grenzgebiet|umgebung|umland|landkreis|kreis|bezirk|provinz|kuste|"
    r"zona|provincia|alrededores|inmediaciones|afueras|costa|costas|departamento|municipio|comarca|"
    r"cercanias|regionen)(?: (?:de|du|des|d|l|la|le|of|the|around|del|el|los|las|von|vom|der|um))* (.+)$")
VICINITY_AFTER = re.compile(
    r"^(?:the )?(.+?) (?:area|region|province|oblast|governorate|district|voivodeship|zone|sector|"
    r"border area|vicinity|surroundings|theatre|theater)$")
BORDER_AFTER = re.compile(r"^(?:the )?(.+?) (?:border|borders|frontier|boundary)(?: area| region| zone)?$")
BORDER_WITH = re.compile(r"^(?:the )?(?:border|frontier|boundary|frontiere|frontieres)s? "
                         r"(?:with|between|avec|entre)(?: (?:the|la|le|les|l))? (.+)$")
BORDER_FR = re.compile(r"^(?:la |les )?frontieres? (?:de |du |des |d )?(?:la |le |l )?(.+)$")
# French and English combining forms of nationality adjectives: "polono-", "sino-", "russo-".
COMBINING = {"sino": "CN", "nippo": "JP", "anglo": "GB", "hispano": "ES", "helveto": "CH",
             "austro": "AT", "germano": "DE", "italo": "IT", "indo": "IN", "russo": "RU",
             "greco": "GR", "turco": "TR", "americano": "US", "franco": "FR", "polono": "PL",
             "israelo": "IL", "syro": "SY", "irako": "IQ", "irano": "IR", "serbo": "RS",
             "croato": "HR", "belgo": "BE", "luso": "PT", "ukraino": "UA", "bielorusso": "BY",
             "lituano": "LT", "letto": "LV", "estono": "EE", "sovieto": "RU", "sud coreen": "KR",
             "nord coreen": "KP", "libano": "LB", "jordano": "JO", "egypto": "EG", "soudano": "SD",
             "tchado": "TD", "nigero": "NE", "malo": "ML", "mexicano": "MX", "canado": "CA",
             "armeno": "AM", "azerbaidjano": "AZ", "georgio": "GE", "kosovo": "XK", "moldo": "MD",
             "roumano": "RO", "hungaro": "HU", "bulgaro": "BG", "slovaco": "SK", "tcheco": "CZ"}
QUALIFIER_AFTER = re.compile(r"\s*(?:,|\(|\s(?:en|in|au|aux|dans l'[ÉE]tat de|dans l'État de)\s)\s*"
                             r"([^,.;:()\n]{2,40})")
CAPITALISED_SPAN = re.compile(
    r"[A-ZÀ-ÖØ-Þ][\w’'.\-]*(?:[ \-](?:(?:de|du|des|la|le|of|the|al|el|d'|l'|d’|l’)[ ]?)?[A-ZÀ-ÖØ-Þ][\w’'.\-]*)*")
WORD = re.compile(r"[\w’'\-]+")
NEAR_KM = 500.0


def km(a: Place, b: Place) -> float:
    return distance(a.lat, a.lon, b.lat, b.lon)


def distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


# --------------------------------------------------------------------------- lookups
def candidates_for(key: str, small: bool = True) -> list[Candidate]:
    found = list(tables().index.get(key, ())) + list(main_cities().candidates(key))
    if not found and small:
        found = list(small_towns().candidates(key))
    return found


def key_variants(key: str):
    """The key, then the key without leading articles and prepositions ("aux etats unis")."""
    yield key
    words = key.split()
    while len(words) > 1 and words[0] in LEADING_WORDS:
        words = words[1:]
        yield " ".join(words)


# French transcriptions of Slavic and Arabic names: "Koursk", "Marioupol", "Abou Dhabi", "Tchernihiv".
FRENCH_SPELLINGS = ((r"ou", "u"), (r"tch", "ch"), (r"dj", "j"), (r"ie", "e"))


def french_respellings(key: str):
    seen = {key}
    for pattern, english in FRENCH_SPELLINGS:
        variant = re.sub(pattern, english, key)
        if variant not in seen:
            seen.add(variant)
            yield variant
    combined = key
    for pattern, english in FRENCH_SPELLINGS:
        combined = re.sub(pattern, english, combined)
    if combined not in seen:
        yield combined


# German transcriptions: "Masar-i-Scharif", "Duschanbe", "Dschibuti", "Tschernihiw".
GERMAN_SPELLINGS = ((r"dsch", "j"), (r"tsch", "ch"), (r"sch", "sh"), (r"(?<=[aeiou])s(?=[aeiou])", "z"),
                    (r"w", "v"))


def german_respellings(key: str):
    seen = {key}
    combined = key
    for pattern, english in GERMAN_SPELLINGS:
        combined = re.sub(pattern, english, combined)
        if combined not in seen:
            seen.add(combined)
            yield combined


def lookup(key: str, small: bool = True, lang: str | None = None) -> tuple[str, list[Candidate]]:
    for variant in key_variants(key):
        found = candidates_for(variant, small=False)
        if found:
            return variant, found
    for variant in key_variants(key):
        for respelled in french_respellings(variant):
            found = candidates_for(respelled, small=False)
            if found:
                return respelled, found
    if lang == "de":
        for variant in key_variants(key):
            for respelled in german_respellings(variant):
                found = candidates_for(respelled, small=False)
                if found:
                    return respelled, found
    if small:
        for variant in key_variants(key):
            found = list(small_towns().candidates(variant))
            if found:
                return variant, found
    return key, []


def strip_leading(key: str) -> str:
    words = key.split()
    while len(words) > 1 and words[0] in LEADING_WORDS:
        words = words[1:]
    return " ".join(words)


# --------------------------------------------------------------------------- context
@functools.lru_cache(maxsize=256)
def context_profile(context: str) -> tuple[tuple[str, Place, int], ...]:
    """The places an article names (best reading of each, without context): (key, place, offset)."""
    gazetteer = tables()
    mentions: list[tuple[str, Place, int]] = []
    for span in CAPITALISED_SPAN.finditer(context):
        words = normalize(span.group()).split()
        start = 0
        while start < len(words):
            for end in range(min(len(words), start + 5), start, -1):
                key = " ".join(words[start:end])
                if key in STOP_KEYS or len(key) < 3:
                    continue
                found = list(gazetteer.index.get(key, ())) + [
                    c for c in main_cities().candidates(key) if c.prior >= 6.7]
                if found:
                    best = max(found, key=lambda c: c.prior)
                    mentions.append((key, best.place, span.start()))
                    start = end
                    break
            else:
                start += 1
    for word in WORD.finditer(context):
        for iso2, _lang in gazetteer.demonyms.get(normalize(word.group()), ())[:1]:
            country_place = gazetteer.countries.get(iso2)
            if country_place:
                mentions.append(("demonym:" + iso2, country_place, word.start()))
    return tuple(mentions)


@functools.lru_cache(maxsize=256)
def is_military(context: str) -> bool:
    return len(MILITARY_WORDS.findall(context)) >= 2


LOCAL_CHARS = 250
MAX_CONTEXT_BONUS = 3.0


def evidence(place: Place, mentions: dict[Place, int]) -> tuple[int, int, int, int]:
    """How many mentions lie in the candidate's country (or are it), near it, in its groups."""
    if place.kind == "country":
        inside = sum(n for p, n in mentions.items() if p.country == place.country and p.kind != "country")
        named = mentions.get(place, 0)
        grouped = sum(n for p, n in mentions.items() if place.country in p.members)
        return inside, named, grouped, 0
    same_country = sum(n for p, n in mentions.items() if p.kind == "country" and p.country == place.country)
    near = sum(n for p, n in mentions.items()
               if p.kind != "country" and not p.members and p.name != place.name and p.country
               and abs(p.lat - place.lat) < NEAR_KM / 111 and km(p, place) < NEAR_KM)
    grouped = sum(n for p, n in mentions.items() if p.kind == "country" and p.country in place.members)
    return same_country, near, grouped, 0


def score(candidate: Candidate, mentions, local, military: bool, lang: str | None) -> float:
    """Prior plus context: evidence next to the name counts three times evidence elsewhere."""
    place = candidate.place
    bonus = 0.0
    for weight, group in ((0.5, mentions), (1.5, local)):
        first, second, grouped, _ = evidence(place, group)
        if place.kind == "country":
            bonus += weight * (2 * min(first, 2) + min(second, 1) + min(grouped, 2))
        elif place.kind == "state":
            # A US article names the United States everywhere: only places near a state count.
            bonus += weight * (2 * min(second, 2) + min(grouped, 1))
        else:
            bonus += weight * (min(first, 2) + 1.5 * min(second, 2) + min(grouped, 2))
    # Places around a name break ties; they do not turn a capital of 700,000 into a town of
    # 40,000 that once bore its name (at most three points: a factor 1,000 in population).
    total = candidate.prior + min(bonus, MAX_CONTEXT_BONUS)
    if candidate.admin1 and place.country == "US":
        state = tables().states_by_code.get(candidate.admin1)
        if state and state in mentions:
            total += 3.0
    if place.kind == "base" and military:
        total += 1.5
    if lang and candidate.lang and candidate.lang != lang:
        total -= 0.2
    return total


def occurrences(name: str, context: str) -> list[int]:
    pattern = re.escape(name).replace(r"\ ", r"\s+")
    return [m.start() for m in re.finditer(pattern, context, re.IGNORECASE)][:20]


EXONYM_MARGIN = 0.5  # a factor of about three in population


def forgive_exonyms(candidates: list[Candidate]) -> list[Candidate]:
    """An alternate name is an exonym, not a forgotten old name, when no town bearing it as its
    own name is larger: "Odessa" is Odesa before Odessa, Texas; "Libreville" stays the capital
    of Gabon, not Charleville-Mézières, which was once called so."""
    primary = max((c.prior for c in candidates if c.source == "city" and not c.alternate), default=-1.0)
    # Only a town several times larger ("Odessa": Odesa, a million people, before Odessa, Texas);
    # "Zaragoza" stays the Spanish city of 700,000, not Tijuana, twice as large, once so called.
    return [replace(c, prior=c.prior + ALTERNATE_NAME_PENALTY)
            if c.alternate and c.prior + ALTERNATE_NAME_PENALTY > primary + EXONYM_MARGIN else c for c in candidates]


def choose(candidates: list[Candidate], key: str, context: str | None, lang: str | None,
           name: str | None = None) -> Place | None:
    if not candidates:
        return None
    if len({c.place for c in candidates}) == 1:
        return candidates[0].place
    candidates = forgive_exonyms(candidates)
    mentions, local, military = Counter(), Counter(), False
    if context:
        profile = [(k, p, at) for k, p, at in context_profile(context) if k != key]
        spots = occurrences(name or key, context)
        mentions = Counter(p for _, p, _ in profile)
        local = Counter(p for _, p, at in profile if any(abs(at - spot) < LOCAL_CHARS for spot in spots))
        military = is_military(context)
    ranked = sorted(candidates, key=lambda c: -score(c, mentions, local, military, lang))
    return ranked[0].place


def within(candidate: Candidate, qualifier: Place) -> bool:
    place = candidate.place
    if place == qualifier:
        return False
    if qualifier.kind == "country":
        return place.country == qualifier.country
    if qualifier.members and not qualifier.country:
        return place.country in qualifier.members
    if place.country != qualifier.country:
        return False
    if qualifier.kind == "state" and qualifier.country == "US":
        state = tables().states_by_code.get(candidate.admin1) if candidate.admin1 else None
        if state is not None:
            return state == qualifier
        return km(place, qualifier) < 700
    if qualifier.kind in ("city", "base"):
        return km(place, qualifier) < 100
    return km(place, qualifier) < 1000


def resolve_qualifier(text: str) -> Place | None:
    """A state or country written after a name: 'N.C.', 'Calif.', 'Texas', 'Caroline du Nord'."""
    key = normalize(text)
    if not key:
        return None
    gazetteer = tables()
    words = key.split()
    for end in range(min(len(words), 4), 0, -1):
        sub = strip_leading(" ".join(words[:end]))
        found = list(gazetteer.qualifier_only.get(sub, ())) + [
            c for c in gazetteer.index.get(sub, ()) if c.place.kind in ("state", "country", "region")]
        if found:
            return max(found, key=lambda c: c.prior).place
    return None


def context_qualifier(name: str, context: str) -> Place | None:
    pattern = re.compile(re.escape(name).replace(r"\ ", r"\s+") + QUALIFIER_AFTER.pattern, re.IGNORECASE)
    for match in pattern.finditer(context):
        qualifier = resolve_qualifier(match.group(1))
        if qualifier is not None:
            return qualifier
    return None


def looks_like_person(name: str, context: str) -> bool:
    """Every occurrence of the name in the text is part of a person's name."""
    occurrences = list(re.finditer(rf"\b{re.escape(name)}\b", context))
    if not occurrences:
        return False
    for match in occurrences:
        after = re.match(r"\s+([A-Z][a-z]+)", context[match.end():])
        before = re.search(r"(?:^|[^.!?\n]\s)([A-Z][a-z]+)\s+$", context[:match.start()])
        person = (after and after.group(1).lower() not in PLACE_HEADS) or (
            before and before.group(1).lower() not in PLACE_HEADS and before.group(1).lower() not in PART_WORDS
            and before.group(1) not in ("The", "In", "From", "To", "And", "For", "With", "At", "Of"))
        if not person:
            return False
    return True


# --------------------------------------------------------------------------- rules
def derived(name: str, core: Place, kind: str = "region", point: tuple[float, float] | None = None) -> Place:
    lat, lon = point if point else (core.lat, core.lon)
    return Place(name, core.country, lat, lon, kind, core.members)


def tidy(name: str) -> str:
    words = name.strip().split()
    while len(words) > 1 and normalize(words[0]) in LEADING_WORDS:
        words = words[1:]
    cleaned = " ".join(words)
    cleaned = re.sub(r"^[dl]['’]", "", cleaned)
    return cleaned[:1].upper() + cleaned[1:]


def countries_in(key: str) -> list[str]:
    """ISO codes named in 'polono bielorusse', 'us mexico', 'russia ukraine', 'sino indian'."""
    gazetteer = tables()
    words = [w for w in key.split() if w not in ("and", "et", "the", "la", "le", "l", "les", "between",
                                                  "entre", "with", "avec", "de", "du", "d")]
    codes: list[str] = []
    start = 0
    while start < len(words):
        for end in range(min(len(words), start + 4), start, -1):
            sub = " ".join(words[start:end])
            code = None
            countries = [c for c in gazetteer.index.get(sub, ()) if c.place.kind == "country"]
            if countries:
                code = max(countries, key=lambda c: c.prior).place.country
            elif sub in gazetteer.demonyms:
                code = gazetteer.demonyms[sub][0][0]
            elif sub in COMBINING:
                code = COMBINING[sub]
            if code:
                if code not in codes:
                    codes.append(code)
                start = end
                break
        else:
            return []  # a word that is no country: not a border between countries
    return codes


def border(key: str, context: str | None) -> Place | None:
    match = BORDER_WITH.match(key) or BORDER_AFTER.match(key) or BORDER_FR.match(key)
    if not match:
        return None
    codes = countries_in(match.group(1))
    if not codes:
        return None
    gazetteer = tables()
    if len(codes) == 1 and context:
        own = codes[0]
        neighbours = [p.country for _, p, _ in context_profile(context)
                      if p.kind == "country" and p.country != own
                      and frozenset((own, p.country)) in gazetteer.borders]
        if neighbours:
            other = max(set(neighbours), key=neighbours.count)
            codes = [other, own]
    first = gazetteer.countries.get(codes[0])
    if first is None:
        return None
    if len(codes) == 1:
        return Place(f"{first.name} border", first.country, first.lat, first.lon, "region")
    second = gazetteer.countries.get(codes[1])
    point = gazetteer.borders.get(frozenset(codes[:2]))
    if point is None and second is not None:
        point = ((first.lat + second.lat) / 2, (first.lon + second.lon) / 2)
    names = "–".join(gazetteer.countries[c].name for c in codes[:2] if c in gazetteer.countries)
    return Place(f"{names} border", first.country, point[0], point[1], "region", tuple(codes[:2]))


def installation_in(area: Place, context: str | None, air: bool) -> Place | None:
    """The installation the text names inside a state or country, else the best-known one."""
    def inside(base: Place) -> bool:
        if area.kind == "country":
            return base.country == area.country
        return base.country == area.country and km(base, area) < 500
    if context:
        for _, place, _ in context_profile(context):
            if place.kind == "base" and inside(place):
                return place
    if area.kind == "country":
        bases = [b for b in tables().installations if b.country == area.country]
        if air:
            bases = [b for b in bases if re.search(r"\bair\b|a[ée]rienne|airfield|AB\b", b.name)] or bases
        if bases:
            return bases[0]
    return None


def designated(key: str, name: str, context: str | None, lang: str | None) -> Place | None:
    match = DESIGNATOR_BEFORE.match(key) or DESIGNATOR_AFTER.match(key)
    if not match:
        return None
    core_key = strip_leading(match.group(1))
    if core_key in STOP_KEYS:
        return None
    air = bool(re.search(r"\b(air|aerienne|aerodrome|aeroport|airport|airfield|bap)\b", key))
    variant, found = lookup(core_key)
    if not found:
        inner = longest_known(core_key, context, lang)
        if inner is None:
            return None
        found = [Candidate(inner, 0.0)]
        variant = core_key
    # The generic word says "installation": installations and airfields first.
    boosted = [Candidate(c.place, c.prior + (2.5 if c.place.kind == "base" else 0.0), c.admin1, c.lang, c.source,
                         c.alternate) for c in found]
    best = choose(boosted, variant, context, lang)
    if best is not None and best.kind in ("state", "country", "region"):
        return installation_in(best, context, air) or best
    return best


def part_of(key: str, name: str, context: str | None, lang: str | None) -> Place | None:
    match = PART_BEFORE.match(key)
    compound = GERMAN_PART_PREFIX.match(key) if lang in (None, "de") and " " not in key else None
    if match:
        part, core_key = PART_WORDS[match.group(1)], match.group(2)
    elif compound and lookup(compound.group(2), small=False)[1]:
        part, core_key = GERMAN_PART_PREFIXES[compound.group(1)], compound.group(2)
    else:
        match = PART_AFTER.match(key)
        if not match:
            return None
        core_key, part = match.group(1), PART_WORDS[match.group(2)]
    core = None
    if lang == "de" and core_key.endswith("s") and lookup(core_key[:-1], small=False)[1]:
        core = resolve_key(core_key[:-1], core_key[:-1], context, lang, depth=1)  # "im Norden Malis"
    core = core or resolve_key(strip_leading(core_key), core_key, context, lang, depth=1)
    if core is None:
        return None
    point = None
    if core.kind == "country":
        point = tables().country_parts.get(core.country, {}).get(part)
    return derived(tidy(name), core, "region", point)


def vicinity(key: str, name: str, context: str | None, lang: str | None) -> Place | None:
    match = VICINITY_BEFORE.match(key) or VICINITY_AFTER.match(key)
    if not match:
        return None
    core_key = strip_leading(match.group(1))
    if core_key in STOP_KEYS:
        return None
    # The noun says "region": a subdivision named like its city ("province of Utrecht",
    # "voïvodie de Lublin") is meant, not the city.
    regional = list(tables().region_nouns.get(core_key, ()))
    if regional:
        return choose(regional, core_key, context, lang)
    core = resolve_key(core_key, core_key, context, lang, depth=1)
    if core is None:
        return None
    if core.kind in ("region", "state"):
        return core
    return derived(tidy(name), core, "region")


def combined(key: str, name: str, context: str | None, lang: str | None) -> Place | None:
    parts = re.split(r" (?:and|et) |, ", key)
    if len(parts) < 2:
        return None
    places = [resolve_key(strip_leading(p), p, context, lang, depth=1) for p in parts]
    if any(p is None for p in places):
        return None
    members: list[str] = []
    for place in places:
        for code in (place.members or ((place.country,) if place.country else ())):
            if code not in members:
                members.append(code)
    spread = max(km(a, b) for a in places for b in places)
    lat, lon = (places[0].lat, places[0].lon) if spread > 2000 else (
        sum(p.lat for p in places) / len(places), sum(p.lon for p in places) / len(places))
    country = members[0] if len(members) == 1 else None
    return Place(tidy(name), country, round(lat, 3), round(lon, 3), "region",
                 tuple(members) if len(members) > 1 else ())


def longest_known(key: str, context: str | None, lang: str | None) -> Place | None:
    words = key.split()
    for size in range(len(words) - 1, 0, -1):
        for start in range(0, len(words) - size + 1):
            sub = " ".join(words[start:start + size])
            if sub in STOP_KEYS or sub in LEADING_WORDS or len(sub) < 4:
                continue
            # A short word inside a longer name is a place only under its own name: "part" is
            # one of Perth's alternate names, "Oulianovsk" one of Ulyanovsk's.
            found = [c for c in candidates_for(sub, small=False)
                     if size > 1 or not c.alternate or len(sub) >= 6]
            if found:
                return choose(found, sub, context, lang)
    return None


def resolve_key(key: str, name: str, context: str | None, lang: str | None, depth: int = 0) -> Place | None:
    if not key:
        return None
    variant, found = lookup(key, small=False, lang=lang)
    if found:
        qualifier = context_qualifier(name, context) if context and depth == 0 else None
        if qualifier is not None:
            inside = [c for c in found if within(c, qualifier)]
            if inside:
                found = inside
        return choose(found, variant, context, lang, name)

    # A qualifier inside the name: "Fort Bragg, N.C.", "Paris (Texas)", "X en Caroline du Nord".
    match = re.match(r"^(.+?)\s*(?:,|\()\s*(.+?)\)?$", name) or re.match(
        r"^(.+?)\s+(?:en|in|au|aux)\s+(.+)$", name)
    if match and depth < 2:
        qualifier = resolve_qualifier(match.group(2))
        head_key = normalize(match.group(1))
        head_variant, head_found = lookup(head_key)
        if qualifier is not None:
            inside = [c for c in head_found if within(c, qualifier)]
            if inside:
                return choose(inside, head_variant, context, lang, match.group(1))
        head = resolve_key(head_key, match.group(1), context, lang, depth + 1)
        if head is not None:
            return head
        if qualifier is not None and "," in name:
            return qualifier

    for rule in (combined, lambda k, n, c, l: border(k, c), designated, part_of, vicinity):
        place = rule(key, name, context, lang)
        if place is not None:
            return place

    variant, found = lookup(key, small=True)
    if found:
        return choose(found, variant, context, lang, name)
    return longest_known(strip_leading(key), context, lang) if depth == 0 else None


@functools.lru_cache(maxsize=100_000)
def resolve(name: str, context: str | None = None, lang: str | None = None) -> Place | None:
    name = re.sub(r"\s+", " ", name or "").strip(" \t.,;:")
    if not name:
        return None
    key = normalize(name)
    if context and key in FIRST_NAMES and looks_like_person(name, context):
        return None
    return resolve_key(key, name, context, lang)
