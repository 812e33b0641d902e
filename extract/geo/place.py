"""The one record the gazetteer returns."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    name: str            # canonical English name ("Fort Bragg", "Poland", "Eastern Europe")
    country: str | None  # ISO 3166-1 alpha-2; None for multi-country regions
    lat: float
    lon: float
    kind: str            # 'country' | 'region' | 'state' | 'city' | 'base'
    members: tuple[str, ...] = ()  # ISO codes of member countries for multi-country regions
