"""The Map's timeline: the steps a replay goes through, chosen from the span of the dates.

Pure functions, no Streamlit. A step is a day, a week (Monday to Sunday), a month or a year,
whichever keeps a replay of the whole span within MAX_STEPS steps, so a week of reports and
three years of them both play in under a minute.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MAX_STEPS = 60


@dataclass(frozen=True)
class Step:
    label: str
    start: str   # ISO day, inclusive
    end: str     # ISO day, inclusive


def _month_start(day: date, months_later: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + months_later
    return date(index // 12, index % 12 + 1, 1)


def replay_steps(days: list[str], max_steps: int = MAX_STEPS) -> tuple[str, list[Step]]:
    """The steps of a replay of movements dated ``days`` (ISO, sorted): :func:`steps` over their
    span, keeping only the steps in which something happens, so every step changes the map."""
    unit, all_steps = steps(days[0], days[-1], max_steps)
    kept, position = [], 0
    for step in all_steps:
        while position < len(days) and days[position][:10] < step.start:
            position += 1
        if position < len(days) and days[position][:10] <= step.end:
            kept.append(step)
    return unit, kept


def steps(first_day: str, last_day: str, max_steps: int = MAX_STEPS) -> tuple[str, list[Step]]:
    """(unit, steps) covering first_day..last_day: unit is "day", "week", "month" or "year"."""
    first, last = date.fromisoformat(first_day[:10]), date.fromisoformat(last_day[:10])
    span = (last - first).days + 1
    if span <= max_steps:
        return "day", [Step((first + timedelta(days=i)).isoformat(), (first + timedelta(days=i)).isoformat(),
                            (first + timedelta(days=i)).isoformat()) for i in range(span)]
    monday = first - timedelta(days=first.weekday())
    if (last - monday).days // 7 + 1 <= max_steps:
        out = []
        start = monday
        while start <= last:
            end = start + timedelta(days=6)
            out.append(Step(f"week of {start.isoformat()}", max(start, first).isoformat(), min(end, last).isoformat()))
            start += timedelta(days=7)
        return "week", out
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= max_steps:
        out = []
        for i in range(months):
            start = _month_start(first, i)
            end = _month_start(first, i + 1) - timedelta(days=1)
            out.append(Step(start.strftime("%Y-%m"), max(start, first).isoformat(), min(end, last).isoformat()))
        return "month", out
    return "year", [Step(str(year), max(date(year, 1, 1), first).isoformat(), min(date(year, 12, 31), last).isoformat())
                    for year in range(first.year, last.year + 1)]
