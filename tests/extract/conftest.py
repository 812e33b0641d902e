"""Fixtures of the extraction tests: the real spaCy pipelines, loaded once per test session."""
from __future__ import annotations

import pytest

from extract.models import load_pipeline


class Pipelines(dict):
    """The pipeline of a language, loaded the first time a test asks for it (``nlp["de"]``)."""

    def __missing__(self, lang: str):
        self[lang] = load_pipeline(lang)
        return self[lang]


@pytest.fixture(scope="session")
def nlp() -> Pipelines:
    return Pipelines()
