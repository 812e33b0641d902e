"""Dates in a sentence: absolute ("Feb. 24", "24 février 2022") and relative ("on Thursday",
"la semaine dernière"), as ISO strings resolved against the article's publication date.

Rules, kept simple on purpose (news reports the past more than the future):

- A date without a year takes the year that puts it closest to ``published``
  ("Dec. 30" in an article of 3 January is last December).
- A bare weekday ("on Thursday", "mercredi") is the most recent such day on or before
  ``published``; "last Thursday"/"jeudi dernier" is the one before that when published
  is itself a Thursday, else the same; "next Thursday"/"jeudi prochain" the first after.
- "last week"/"la semaine dernière" is published minus seven days; "this week" is
  published; "yesterday"/"hier" and "la veille" are the day before.
- A month without a day ("in June 2019", "en juin") gives a reduced-precision ISO date,
  ``YYYY-MM``; "last month"/"le mois dernier" likewise.
- Without ``published`` only dates that carry their year are returned.

Month and weekday names come from Babel's locale data (wide and abbreviated forms, with
and without accents); only the handful of relative words is written here.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

SUPPORTED = ("en", "fr")

# Relative expressions: words -> (unit, offset). Babel's CLDR data has no "yesterday",
# so these few are ours. A unit of "day" offsets by days, "week" by weeks, "month" by
# months (giving YYYY-MM).
_RELATIVE: dict[str, dict[str, tuple[str, int]]] = {
    "en": {
        "the day before yesterday": ("day", -2), "yesterday": ("day", -1), "last night": ("day", -1),
        "today": ("day", 0), "tonight": ("day", 0), "this morning": ("day", 0),
        "this afternoon": ("day", 0), "this evening": ("day", 0), "tomorrow": ("day", 1),
        "last week": ("week", -1), "this week": ("week", 0), "earlier this week": ("week", 0),
        "next week": ("week", 1), "last month": ("month", -1), "this month": ("month", 0),
        "earlier this month": ("month", 0), "next month": ("month", 1),
    },
    "fr": {
        "avant-hier": ("day", -2), "hier": ("day", -1), "la veille": ("day", -1),
        "cette nuit": ("day", 0), "aujourd'hui": ("day", 0),
        "ce matin": ("day", 0), "cet après-midi": ("day", 0), "ce soir": ("day", 0),
        "demain": ("day", 1), "après-demain": ("day", 2),
        "la semaine dernière": ("week", -1), "la semaine passée": ("week", -1),
        "cette semaine": ("week", 0), "la semaine prochaine": ("week", 1),
        "le mois dernier": ("month", -1), "le mois passé": ("month", -1),
        "ce mois-ci": ("month", 0), "le mois prochain": ("month", 1),
    },
}
# Words before or after a weekday that move it: "last Tuesday", "mardi dernier".
_WEEKDAY_PAST = {"en": ("last", "past"), "fr": ("dernier", "passé")}
_WEEKDAY_NEXT = {"en": ("next", "coming", "this coming"), "fr": ("prochain",)}
_ORDINAL = {"en": r"(?:st|nd|rd|th)", "fr": r"(?:er|re|e)"}
_FIRST = {"en": (), "fr": ("premier",)}
_MONTH_ALONE_AFTER = {
    "en": re.compile(r"\b(?:in|since|early|late|mid-|until|by|from|of|last|next|this)\s*$", re.I),
    "fr": re.compile(r"(?:\b(?:en|depuis|début|fin|jusqu'en|dès|courant)\s+|\bmi-)$", re.I),
}


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

    ``lang`` other than 'fr' reads English names. Expressions that need ``published``
    (no year, weekdays, "yesterday") are left out when it is None.
    """
    lang = lang if lang in SUPPORTED else "en"
    anchor = _as_date(published)
    patterns = _patterns(lang)
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for kind in ("numeric", "day_month", "month_day", "month_year", "relative", "weekday"):
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

    months = [get_month_names(width, context, locale=lang)
              for width in ("wide", "abbreviated") for context in ("format", "stand-alone")]
    days = [get_day_names(width, context, locale=lang)
            for width in ("wide", "abbreviated") for context in ("format", "stand-alone")]
    return (_name_table(months, get_month_names("wide", locale=lang)),
            _name_table(days, get_day_names("wide", locale=lang)))


@functools.lru_cache(maxsize=None)
def _wide_names(lang: str) -> frozenset[str]:
    """Full month names: never followed by an abbreviation's full stop ("in May." ends a sentence)."""
    from babel.dates import get_month_names

    names = set()
    for context in ("format", "stand-alone"):
        for name in get_month_names("wide", context, locale=lang).values():
            names.update({name.lower(), _plain(name.lower())})
    return frozenset(names)


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=None)
def _patterns(lang: str) -> dict[str, re.Pattern]:
    months, days = _names(lang)
    # A spelling either already ends in "." (a truncation) or may be followed by one.
    wide = _wide_names(lang)
    truncated = [m for m in months if m.endswith(".")]
    abbreviated = [m for m in months if not m.endswith(".") and m not in wide]
    # Longest first across all three kinds, so "juillet" is not read as "juil" + "let".
    month = (rf"(?P<month>(?:{_alternation(abbreviated)})\.|{_alternation(truncated)}|"
             rf"{_alternation(list(wide) + abbreviated)})")
    weekday = rf"(?P<weekday>{_alternation(d for d in days if not d.endswith('.') and len(d) > 3)})"
    weekday_prefix = rf"(?:(?:{_alternation(d for d in days)})\.?,?\s+)?"
    first = "|".join(_FIRST[lang])
    day = rf"(?P<day>(?:[12]\d|3[01]|0?[1-9])(?:{_ORDINAL[lang]})?{'|' + first if first else ''})"
    year = r"(?P<year>(?:1[89]|20)\d\d)"
    space = r"[\s\u00a0\u202f]+"
    boundary_start, boundary_end = r"(?<![\w.])", r"(?![\w])"
    # Typographic apostrophes are as common as straight ones in French copy.
    relative = _alternation(_RELATIVE[lang]).replace("'", "['\u2019]")
    past, coming = _alternation(_WEEKDAY_PAST[lang]), _alternation(_WEEKDAY_NEXT[lang])
    if lang == "fr":
        weekday_relative = rf"{weekday}(?:{space}(?P<shift>{past}|{coming}))?"
    else:
        weekday_relative = rf"(?:(?P<shift>{past}|{coming}){space})?{weekday}"
    flags = re.IGNORECASE
    return {
        "numeric": re.compile(
            rf"{boundary_start}(?:(?P<iso>(?:1[89]|20)\d\d-[01]\d-[0-3]\d)|"
            rf"(?P<a>\d{{1,2}})(?P<sep>[/.])(?P<b>\d{{1,2}})(?P=sep)(?P<y>(?:1[89]|20)\d\d)){boundary_end}"),
        "day_month": re.compile(
            rf"{boundary_start}{weekday_prefix}{day}{space}(?:of{space})?{month}(?:,?{space}{year})?{boundary_end}", flags),
        "month_day": re.compile(
            rf"{boundary_start}{weekday_prefix}{month}{space}{day}(?:,?{space}{year})?{boundary_end}", flags),
        "month_year": re.compile(rf"{boundary_start}{month}(?:{space}(?:de{space})?{year})?{boundary_end}", flags),
        "relative": re.compile(rf"{boundary_start}(?P<relative>{relative}){boundary_end}", flags),
        "weekday": re.compile(rf"{boundary_start}{weekday_relative}{boundary_end}", flags),
    }


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
    return lang != "en" or match.group(group) is None or match.group(group)[0].isupper()


def _interpret(kind: str, match: re.Match, lang: str, published: dt.date | None) -> str | None:
    months, days = _names(lang)
    if kind == "numeric":
        if match.group("iso"):
            return _valid(*map(int, match.group("iso").split("-")))
        first, second, year = int(match.group("a")), int(match.group("b")), int(match.group("y"))
        # Slashes in English are American (month first); dots are day first everywhere.
        american = lang == "en" and match.group("sep") == "/" and first <= 12
        day, month = (second, first) if american else (first, second)
        return _valid(year, month, day)
    if kind in ("day_month", "month_day", "month_year"):
        if not _capitalised_name(match, "month", lang):
            return None
        month = months.get(_month_key(match.group("month"), months))
        if month is None:
            return None
        year = int(match.group("year")) if match.group("year") else None
        if kind == "month_year":
            if year is None:
                # A month alone is a date only after a word that says so ("in June",
                # "en juin", "mi-mars"); elsewhere "March" may be a verb or a name.
                if not _MONTH_ALONE_AFTER[lang].search(match.string, 0, match.start()):
                    return None
                if published is None:
                    return None
                year = _closest_year(published, month, 1)
            return f"{year:04d}-{month:02d}"
        day_text = match.group("day").lower()
        day = 1 if day_text in _FIRST[lang] else int(re.match(r"\d+", day_text).group())
        if year is None:
            if published is None:
                return None
            year = _closest_year(published, month, day)
        return _valid(year, month, day)
    if published is None:
        return None
    if kind == "relative":
        unit, offset = _RELATIVE[lang][match.group("relative").lower().replace("\u2019", "'")]
        if unit == "day":
            return (published + dt.timedelta(days=offset)).isoformat()
        if unit == "week":
            return (published + dt.timedelta(weeks=offset)).isoformat()
        month_index = published.year * 12 + published.month - 1 + offset
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    if kind == "weekday":
        if not _capitalised_name(match, "weekday", lang):
            return None
        weekday = days.get(match.group("weekday").lower()) or days.get(_plain(match.group("weekday").lower()))
        if weekday is None:
            return None
        shift = (match.group("shift") or "").lower()
        back = (published.weekday() - weekday) % 7
        if shift in _WEEKDAY_NEXT[lang]:
            return (published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7)).isoformat()
        if shift in _WEEKDAY_PAST[lang] and back == 0:
            back = 7
        return (published - dt.timedelta(days=back)).isoformat()
    return None


def _month_key(text: str, months: dict[str, int]) -> str:
    key = text.lower()
    if key in months:
        return key
    key = key.rstrip(".")
    return key if key in months else _plain(key)


def _closest_year(published: dt.date, month: int, day: int) -> int:
    def distance(year: int) -> int:
        day_in_month = min(day, calendar.monthrange(year, month)[1])
        return abs((dt.date(year, month, day_in_month) - published).days)

    return min((published.year - 1, published.year, published.year + 1), key=distance)


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
