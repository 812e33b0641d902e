"""Troop-movement extraction: article text in, deployment table out.

    >>> from extract import extract_deployments
    >>> extract_deployments("2,000 soldiers from Fort Bragg will go to Poland.")

No Streamlit here: this package is a plain library used by the app, the CLI
(``python -m extract``) and the storage layer.
"""
from __future__ import annotations

from extract.schema import COLUMNS, CONTRACT_COLUMNS, Deployment

__all__ = ["COLUMNS", "CONTRACT_COLUMNS", "Deployment", "extract_deployments", "extract_many"]


def extract_deployments(text, lang=None, published=None, engine=None):
    from extract.pipeline import extract_deployments as _run
    return _run(text, lang=lang, published=published, engine=engine)


def extract_many(texts, lang=None, published=None, engine=None):
    from extract.pipeline import extract_many as _run
    return _run(texts, lang=lang, published=published, engine=engine)
