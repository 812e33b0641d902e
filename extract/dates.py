"""Dates in a sentence: absolute ("Feb. 24", "24 février 2022", "am 3. Februar 2022", "el 3
de febrero") and relative ("on Thursday", "la semaine dernière", "vergangene Woche", "el pasado
martes"), as ISO strings resolved against the article's publication date, in English, French,
German and Spanish (any other language reads the English words).

Rules, kept simple on purpose (news reports the past more than the future):

- A date without a year takes the year that puts it closest to ``published``
  ("Dec. 30" in an article of 3 January is last December); a month alone counts from its
  middle; a date a few words after "since"/"depuis"/"seit"/"desde" lies before ``published``.
- A bare weekday ("on Thursday", "mercredi", "am Mittwoch", "el martes") is the most recent
  such day on or before ``published``; "last Thursday"/"jeudi dernier"/"am vergangenen
  Donnerstag"/"el pasado jueves" is the one before that when published is itself a Thursday,
  else the same; "next Thursday"/"jeudi prochain"/"kommenden Donnerstag"/"el próximo jueves"
  the first after; "am Dienstag vergangener Woche" the Tuesday of the week before.
- "last week"/"la semaine dernière"/"vergangene Woche"/"la semana pasada" is published minus
  seven days; "this week" is published; "yesterday"/"hier"/"gestern"/"ayer" the day before;
  "the weekend"/"am Wochenende"/"el fin de semana" the Saturday of the nearer weekend.
- A month without a day ("in June 2019", "en juin", "Ende März", "a finales de octubre")
  gives a reduced-precision ISO date, ``YYYY-MM``; "last month"/"le mois dernier" likewise.
- Without ``published`` only dates that carry their year are returned.

Month and weekday names come from Babel's locale data (wide and abbreviated forms, with
and without accents); the relative words, the words that move a weekday or make a month a
date, and each language's spelling conventions are in ``extract/rules/dates_LANG.json``.
The benchmark ``bench/bench_dates.py`` compares this module with ``dateparser``.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SUPPORTED = ("en", "fr", "de", "es")
RULES_DIR = Path(__file__).parent / "rules"

# The order in which expressions are looked for: a span taken by one kind is not read again
# ("Freitag, 27. August 2021" is one date, not a weekday and a date; "am Dienstag vergangener
# Woche" one day, not a weekday and a week).
_KINDS = ("numeric", "day_month", "month_day", "month_year", "weekday_day", "weekday", "relative")


@functools.lru_cache(maxsize=None)
def _rules(lang: str) -> dict:
    """``extract/rules/dates_LANG.json``: the relative expressions ("yesterday", "vergangene
    Woche", "la semana pasada"), the words that move a weekday, the cues of a month without a
    day and the spelling conventions of the language (see the ``_doc`` of dates_en.json)."""
    rules = json.loads((RULES_DIR / f"dates_{lang}.json").read_text(encoding="utf-8"))
    rules["relative"] = {_words(k): (unit, int(n)) for k, (unit, n) in rules["relative"].items()}
    for key in ("weekday_before", "weekday_after", "year_words", "extra_months", "extra_weekdays"):
        rules[key] = {_words(k): v for k, v in rules[key].items()}
    return rules


def _words(text: str) -> str:
    """Lower case, one space between words, straight apostrophes: the key of a rule phrase."""
    return " ".join(text.lower().replace("\u2019", "'").split())


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    iso: str


def resolve_date(text: str, lang: str, published: dt.date | str | None) -> str | None:
    """The ISO date the first date expression of ``text`` stands for, or None."""
    matches = find_dates(text, lang, published)
    return matches[0][2] if matches else None


def find_dates(text: str, lang: str, published: dt.date | str | None) -> list[tuple[int, int, str]]:
    """Every date expression in ``text`` as (start, end, ISO), in text order.

    ``lang`` is one of en, fr, de, es; any other reads English names. Expressions that
    need ``published`` (no year, weekdays, "yesterday") are left out when it is None.
    """
    lang = lang if lang in SUPPORTED else "en"
    anchor = _as_date(published)
    patterns = _patterns(lang)
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for kind in _KINDS:
        if kind not in patterns:
            continue
        for match in patterns[kind].finditer(text):
            if not free(match.start(), match.end()):
                continue
            iso = _interpret(kind, match, lang, anchor)
            if iso:
                found.append(DateMatch(match.start(), match.end(), iso))
                taken.append((match.start(), match.end()))
    return [(m.start, m.end, m.iso) for m in sorted(found, key=lambda m: m.start)]


# --- patterns ---------------------------------------------------------------------------

def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


def _name_table(names_by_number: list[dict[int, str]], wide: dict[int, str]) -> dict[str, int]:
    """Spelling (lower case, with and without accents, with or without a final '.') -> number."""
    table: dict[str, int] = {}
    for names in names_by_number:
        for number, name in names.items():
            for form in (name.lower().rstrip("."), _plain(name.lower().rstrip("."))):
                table[form] = number
    # Unambiguous truncations of the wide names, written with a full stop in the text:
    # "Sept.", "Thurs.", "janv." even when the locale's abbreviation is another length.
    prefixes: dict[str, set[int]] = {}
    for number, name in wide.items():
        for form in {name.lower(), _plain(name.lower())}:
            for length in range(3, len(form)):
                prefixes.setdefault(form[:length] + ".", set()).add(number)
    for prefix, numbers in prefixes.items():
        if len(numbers) == 1 and prefix.rstrip(".") not in table:
            table[prefix] = numbers.pop()
    return table


@functools.lru_cache(maxsize=None)
def _names(lang: str) -> tuple[dict[str, int], dict[str, int]]:
    from babel.dates import get_day_names, get_month_names

    rules = _rules(lang)
    months = [get_month_names(width, context, locale=lang)
              for width in ("wide", "abbreviated") for context in ("format", "stand-alone")]
    days = [get_day_names(width, context, locale=lang)
            for width in ("wide", "abbreviated") for context in ("format", "stand-alone")]
    month_table = _name_table(months, get_month_names("wide", locale=lang))
    day_table = _name_table(days, get_day_names("wide", locale=lang))
    # Spellings CLDR's main locale lacks ("Jänner", "Sonnabend", "setiembre").
    for table, extra in ((month_table, rules["extra_months"]), (day_table, rules["extra_weekdays"])):
        for name, number in extra.items():
            table[name] = table[_plain(name)] = number
    return month_table, day_table


@functools.lru_cache(maxsize=None)
def _wide_names(lang: str) -> frozenset[str]:
    """Full month names: never followed by an abbreviation's full stop ("in May." ends a sentence)."""
    from babel.dates import get_month_names

    names = set()
    for context in ("format", "stand-alone"):
        for name in get_month_names("wide", context, locale=lang).values():
            names.update({name.lower(), _plain(name.lower())})
    for name in _rules(lang)["extra_months"]:
        names.update({name, _plain(name)})
    return frozenset(names)


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=None)
def _patterns(lang: str) -> dict[str, re.Pattern]:
    rules = _rules(lang)
    months, days = _names(lang)
    # A spelling either already ends in "." (a truncation) or may be followed by one; where
    # short forms are words of their own (Spanish "mar", the sea) only "mar." is a month.
    wide = _wide_names(lang)
    truncated = [m for m in months if m.endswith(".")]
    abbreviated = [m for m in months if not m.endswith(".") and m not in wide]
    bare = list(wide) + ([] if rules["abbreviations_need_full_stop"] else abbreviated)
    # Longest first across all three kinds, so "juillet" is not read as "juil" + "let".
    month = (rf"(?P<month>(?:{_alternation(abbreviated)})\.|{_alternation(truncated)}|"
             rf"{_alternation(bare)})")
    # German writes the time of day into the weekday: "Freitagabend", "Mittwochmorgen".
    suffixes = _alternation(rules["weekday_suffixes"])
    weekday = (rf"(?P<weekday>{_alternation(d for d in days if not d.endswith('.') and len(d) > 3)})"
               + (rf"(?:{suffixes})?" if suffixes else ""))
    weekday_prefix = rf"(?:(?:{_alternation(d for d in days)})\.?,?\s+)?"
    first = "|".join(rules["first"])
    day = rf"(?P<day>(?:[12]\d|3[01]|0?[1-9])(?:{rules['ordinal']})?{'|' + first if first else ''})"
    year = r"(?P<year>(?:1[89]|20)\d\d)"
    space = r"[\s\u00a0\u202f]+"
    boundary_start, boundary_end = r"(?<![\w.])", r"(?![\w])"

    def words(phrases) -> str:
        # Typographic apostrophes are as common as straight ones; any run of spaces between words.
        return _alternation(phrases).replace("'", "['\u2019]").replace(r"\ ", " ").replace(" ", space)

    def optional(pattern: str) -> str:
        return f"(?:{pattern})?" if pattern else ""

    # After a month: its year ("2022", Spanish "de 2022"), or words for one ("vergangenen Jahres").
    joiners = words(rules["month_year_joiners"])
    year_tail = rf",?{space}{optional(rf'(?:{joiners}){space}') if joiners else ''}{year}"
    if rules["year_words"]:
        year_tail += rf"|{space}(?P<yearword>{words(rules['year_words'])})"
    day_joiners = words(rules["day_month_joiners"])
    of = optional(rf"(?:{day_joiners}){space}") if day_joiners else ""
    before, after = words(rules["weekday_before"]), words(rules["weekday_after"])
    weekday_relative = (optional(rf"(?P<before>{before}){space}") if before else "") + weekday + (
        optional(rf"{space}(?P<after>{after})") if after else "")
    cues = [rf"\b(?:{words(rules['month_cues'])})\s+"] if rules["month_cues"] else []
    cues += [rf"\b(?:{words(rules['month_prefixes'])})"] if rules["month_prefixes"] else []
    flags = re.IGNORECASE
    patterns = {
        "numeric": re.compile(
            rf"{boundary_start}(?:(?P<iso>(?:1[89]|20)\d\d-[01]\d-[0-3]\d)|"
            rf"(?P<a>\d{{1,2}})(?P<sep>[/.])(?P<b>\d{{1,2}})(?P=sep)(?P<y>(?:1[89]|20)\d\d)){boundary_end}"),
        "day_month": re.compile(
            rf"{boundary_start}{weekday_prefix}{day}{space}{of}{month}(?:{year_tail})?{boundary_end}", flags),
        "month_year": re.compile(rf"{boundary_start}{month}(?:{year_tail})?{boundary_end}", flags),
        # A weekday and the day of the month alone: "el domingo 17", "Sonntag, 17." (not "15.00
        # Uhr"); where a bare number after a weekday is more often a count ("on Friday, 25 allied
        # countries") the day must carry its ordinal.
        "weekday_day": re.compile(
            rf"{boundary_start}{weekday},?{space}(?P<day>(?:[12]\d|3[01]|0?[1-9])(?:{rules['ordinal']}))"
            rf"(?![\w.:,]\d|\w)" if rules["weekday_day_needs_ordinal"] else
            rf"{boundary_start}{weekday}{space}(?P<day>[12]\d|3[01]|0?[1-9])(?![\w.:,]\d|\w)", flags),
        "weekday": re.compile(rf"{boundary_start}{weekday_relative}{boundary_end}", flags),
        "relative": re.compile(rf"{boundary_start}(?P<relative>{words(rules['relative'])}){boundary_end}", flags),
        # What may stand before a month without a day for it to be a date ("in June", "Ende März").
        "month_cue": re.compile(rf"(?:{'|'.join(cues)})$", flags),
        # A date a few words after "since" / "seit" / "depuis" / "desde" lies before publication.
        "past_cue": re.compile(rf"\b(?:{words(rules['past_cues'])})(?:\s+\S+){{0,3}}\s+$", flags),
    }
    if rules["month_before_day"]:
        patterns["month_day"] = re.compile(
            rf"{boundary_start}{weekday_prefix}{month}{space}{day}(?:,?{space}{year})?{boundary_end}", flags)
    return patterns


# --- interpretation ---------------------------------------------------------------------

def _as_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _capitalised_name(match: re.Match, group: str, lang: str) -> bool:
    """English writes month and day names with a capital: "may" and "march" are verbs."""
    return (not _rules(lang)["capitalised_names"] or match.group(group) is None
            or match.group(group)[0].isupper())


def _interpret(kind: str, match: re.Match, lang: str, published: dt.date | None) -> str | None:
    rules = _rules(lang)
    months, days = _names(lang)
    if kind == "numeric":
        if match.group("iso"):
            return _valid(*map(int, match.group("iso").split("-")))
        first, second, year = int(match.group("a")), int(match.group("b")), int(match.group("y"))
        # Slashes in English are American (month first); dots are day first everywhere.
        american = rules["numeric_month_first"] and match.group("sep") == "/" and first <= 12
        day, month = (second, first) if american else (first, second)
        return _valid(year, month, day)
    if kind in ("day_month", "month_day", "month_year"):
        if not _capitalised_name(match, "month", lang):
            return None
        month = months.get(_month_key(match.group("month"), months))
        if month is None:
            return None
        year = int(match.group("year")) if match.group("year") else None
        yearword = match.groupdict().get("yearword")
        if yearword:
            # "im Mai vergangenen Jahres", "en marzo del año pasado".
            if published is None:
                return None
            year = published.year + int(rules["year_words"][_words(yearword)])
        if kind == "month_year":
            if year is None:
                # A month alone is a date only after a word that says so ("in June",
                # "en juin", "Ende März", "a finales de octubre"); elsewhere "March" may
                # be a verb or a name.
                if not _patterns(lang)["month_cue"].search(match.string, 0, match.start()):
                    return None
                if published is None:
                    return None
                # A month is as near as its middle: "in January" of 8 July is this January.
                year = _closest_year(published, month, 15, _after_past_cue(match, lang))
            return f"{year:04d}-{month:02d}"
        day_text = match.group("day").lower()
        day = 1 if day_text in rules["first"] else int(re.match(r"\d+", day_text).group())
        if year is None:
            if published is None:
                return None
            year = _closest_year(published, month, day, _after_past_cue(match, lang))
        return _valid(year, month, day)
    if published is None:
        return None
    if kind == "relative":
        unit, offset = rules["relative"][_words(match.group("relative"))]
        if unit == "day":
            return (published + dt.timedelta(days=offset)).isoformat()
        if unit == "week":
            return (published + dt.timedelta(weeks=offset)).isoformat()
        if unit == "weekend":
            return _weekend(published, offset).isoformat()
        # "au début du mois d'octobre", "a mediados del mes de marzo": the month named is the date.
        joiner = re.match(r"[\s\u00a0]*(?:d['\u2019]|(?:de|del|des|of)[\s\u00a0]+)", match.string[match.end():])
        if joiner and _patterns(lang)["month_year"].match(match.string, match.end() + joiner.end()):
            return None
        month_index = published.year * 12 + published.month - 1 + offset
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    if kind in ("weekday", "weekday_day"):
        if not _capitalised_name(match, "weekday", lang):
            return None
        weekday = days.get(match.group("weekday").lower()) or days.get(_plain(match.group("weekday").lower()))
        if weekday is None:
            return None
        if kind == "weekday_day":
            return _weekday_day(published, weekday, int(re.match(r"\d+", match.group("day")).group()))
        groups = match.groupdict()
        shift = (rules["weekday_before"].get(_words(groups.get("before") or ""))
                 or rules["weekday_after"].get(_words(groups.get("after") or "")))
        back = (published.weekday() - weekday) % 7
        if shift == "next":
            return (published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7)).isoformat()
        if shift in ("previous_week", "next_week"):
            # "am Dienstag vergangener Woche": that weekday of the week before published's.
            monday = published - dt.timedelta(days=published.weekday())
            return (monday + dt.timedelta(days=weekday + (7 if shift == "next_week" else -7))).isoformat()
        if shift == "past" and back == 0:
            back = 7
        return (published - dt.timedelta(days=back)).isoformat()
    return None


def _weekend(published: dt.date, offset: int) -> dt.date:
    """The Saturday of a weekend: the one before published (-1), the first after it (1), or
    (0: "am Wochenende", "el fin de semana") the nearer of the two, the past one on a tie;
    published on a weekend is that weekend unless the words point away from it."""
    weekday = published.weekday()
    before = published - dt.timedelta(days=(weekday - 5) % 7 + (7 if weekday >= 5 and offset < 0 else 0))
    after = published + dt.timedelta(days=(5 - weekday) % 7 or 7)
    if offset < 0:
        return before
    if offset > 0:
        return after
    if weekday >= 5:
        return published - dt.timedelta(days=weekday - 5)
    # Sunday of the weekend before is weekday + 1 days back, Saturday after is 5 - weekday ahead.
    return before if weekday + 1 <= 5 - weekday else after


def _weekday_day(published: dt.date, weekday: int, day: int) -> str | None:
    """The date nearest ``published`` (within six weeks) that is this day of a month and falls
    on this weekday ("el domingo 17"), or None when the two disagree."""
    found = []
    for shift in (-1, 0, 1):
        index = published.year * 12 + published.month - 1 + shift
        candidate = _valid(index // 12, index % 12 + 1, day)
        if candidate and dt.date.fromisoformat(candidate).weekday() == weekday:
            found.append(dt.date.fromisoformat(candidate))
    found = [d for d in found if abs((d - published).days) <= 42]
    return min(found, key=lambda d: abs((d - published).days)).isoformat() if found else None


def _month_key(text: str, months: dict[str, int]) -> str:
    key = text.lower()
    if key in months:
        return key
    key = key.rstrip(".")
    return key if key in months else _plain(key)


def _after_past_cue(match: re.Match, lang: str) -> bool:
    return bool(_patterns(lang)["past_cue"].search(match.string, max(0, match.start() - 80), match.start()))


def _closest_year(published: dt.date, month: int, day: int, past: bool = False) -> int:
    """The year that puts month/day nearest ``published``; not after it when ``past``."""
    def date_in(year: int) -> dt.date:
        return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))

    years = [y for y in (published.year - 1, published.year, published.year + 1)
             if not past or date_in(y) <= published]
    return min(years or [published.year - 1], key=lambda y: abs((date_in(y) - published).days))


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
