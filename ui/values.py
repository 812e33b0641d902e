"""Values read back from the database or typed into a table may be missing in several ways.

A column read through pandas holds None, NaN, ``pd.NA`` or ``NaT`` where SQL has NULL (and NaN is
truthy, so ``title or source`` picks the NaN); a person may leave a cell as an empty string.
Every page and helper asks these functions instead of testing truthiness.
"""
from __future__ import annotations

import pandas as pd


def missing(value) -> bool:
    """None, NaN, pd.NA, NaT, or a string of only whitespace."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.api.types.is_scalar(value) and pd.isna(value))
    except (TypeError, ValueError):
        return False


def text(value, default: str = "") -> str:
    """The value as display text, ``default`` when it is missing."""
    return default if missing(value) else str(value).strip()


def first_present(*values, default: str = "") -> str:
    """The first value that is not missing, as text: ``first_present(title, source, default="untitled")``."""
    for value in values:
        if not missing(value):
            return str(value).strip()
    return default


def article_label(article, default_prefix: str = "article") -> str:
    """How an article is named in a list: its title, else its source, else 'article N'.
    ``article`` is a dict (Storage.article) or a row of Storage.articles()."""
    get = article.get if isinstance(article, dict) else lambda name: getattr(article, name, None)
    return first_present(get("title"), get("source"), default=f"{default_prefix} {get('id')}")
