"""A fresh database per test: a SQLite file under tmp_path, and a new PostgreSQL database
on the server .ci/run starts (TROOPMAP_TEST_PG_URL), dropped after the test."""
import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage import Storage

PG_URL = os.environ.get("TROOPMAP_TEST_PG_URL")
needs_pg = pytest.mark.skipif(not PG_URL, reason="TROOPMAP_TEST_PG_URL not set: no PostgreSQL server")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres, needs_pg])]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'troopmap.db'}"
        return
    name = f"troopmap_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def storage(db_url):
    with Storage(db_url) as opened:
        yield opened
