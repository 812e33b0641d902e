"""Per-language rule data for the relation and place stages (config over code).

Each ``LANG.json`` beside this file maps cue words, trigger lemmas and the like; a
language without a file reads with the English rules (the best-effort pass).
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

RULES_DIR = Path(__file__).parent


@functools.lru_cache(maxsize=None)
def load_rules(lang: str) -> dict:
    path = RULES_DIR / f"{lang}.json"
    if not path.exists():
        path = RULES_DIR / "en.json"
    rules = json.loads(path.read_text(encoding="utf-8"))
    for key, value in rules.items():
        # Word lists become sets for fast membership tests.
        if isinstance(value, list):
            rules[key] = frozenset(value)
    return rules
