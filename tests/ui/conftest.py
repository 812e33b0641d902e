"""Fixtures of the dashboard tests: a temporary SQLite database per test, pointed to by TROOPMAP_DB."""
from __future__ import annotations

from pathlib import Path

import pytest

from storage import Storage

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_db(tmp_path, monkeypatch) -> str:
    """The URL of a database that does not exist yet: the app's first launch."""
    url = f"sqlite:///{tmp_path / 'troopmap.db'}"
    monkeypatch.setenv("TROOPMAP_DB", url)
    return url


@pytest.fixture
def empty_db(fresh_db) -> str:
    """The URL of an existing database with no articles (not a first launch: no example)."""
    Storage(fresh_db).close()
    return fresh_db
