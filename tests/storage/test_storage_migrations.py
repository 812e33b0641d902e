"""The Alembic migrations create exactly the tables the models describe, and can be undone."""
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from storage import Storage
from storage.models import SCHEMA_REVISION, Base
from storage.store import MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(storage: Storage, revision: str = "head", down: bool = False) -> None:
    """Run the migrations themselves (Storage writes a new database's schema from the models)."""
    config = alembic_config()
    with storage.engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def schema(engine) -> dict:
    """Every table's columns (type, nullable), primary key, indexes, unique constraints and foreign keys."""
    found = inspect(engine)
    return {table: {
        "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table)],
        "primary key": found.get_pk_constraint(table)["constrained_columns"],
        "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in found.get_indexes(table)),
        "unique": sorted((u["name"], tuple(u["column_names"])) for u in found.get_unique_constraints(table)),
        "foreign keys": sorted((tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                               for f in found.get_foreign_keys(table)),
    } for table in sorted(found.get_table_names())}


def test_migrations_and_models_agree(db_url):
    with Storage(db_url, migrate=False) as storage:
        migrate(storage)
        with storage.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            assert context.get_current_heads() == (SCHEMA_REVISION,)


def test_the_newest_migration_is_the_models_revision():
    assert ScriptDirectory.from_config(alembic_config()).get_heads() == [SCHEMA_REVISION]


def test_a_new_database_gets_the_schema_and_revision_the_migrations_give(db_url):
    """A new database is created from the models and stamped (no Alembic import on a first launch):
    the same tables, columns, keys and indexes as the migrations build, and they run on it."""
    with Storage(db_url) as storage:
        with storage.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_heads() == (SCHEMA_REVISION,)
        created = schema(storage.engine)
        migrate(storage, "base", down=True)           # the migrations take it down...
        assert set(inspect(storage.engine).get_table_names()) <= {"alembic_version"}
        migrate(storage)                               # ...and build it again
        assert schema(storage.engine) == created


def test_opening_a_new_or_an_up_to_date_database_does_not_load_alembic(tmp_path):
    url = f"sqlite:///{tmp_path / 'troopmap.db'}"
    probe = ("import sys; from storage import Storage; Storage(sys.argv[1]).close(); "
             "print('alembic' in sys.modules)")
    for _launch in ("first", "second"):
        loaded = subprocess.run([sys.executable, "-c", probe, url], capture_output=True, text=True, check=True,
                                cwd=ROOT).stdout.strip()
        assert loaded == "False"


def test_downgrade_to_nothing_and_back(db_url):
    with Storage(db_url) as storage:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with storage.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert set(inspect(storage.engine).get_table_names()) <= {"alembic_version"}
    with Storage(db_url) as reopened:
        assert {"articles", "deployments", "events", "edits"} <= set(inspect(reopened.engine).get_table_names())
        assert reopened.articles().empty


def test_upgrading_a_library_of_the_first_schema_keeps_its_rows_and_totals(db_url):
    from storage_helpers import GERMANY, frame, movement
    with Storage(db_url) as storage:
        storage.ingest("First.", deployments=frame(movement(headcount=2000), movement(to_place=GERMANY,
                                                                                      headcount=300)),
                       extractor_version="1")
        storage.ingest("Second.", deployments=frame(movement(headcount=2000)), extractor_version="1")
        before = storage.flows()
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with storage.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")  # as an analyst's database from before route_key
    with Storage(db_url) as upgraded:
        assert len(upgraded.deployments()) == 3
        assert upgraded.flows().equals(before)
        assert list(upgraded.flows()["headcount"]) == [300, 2000]
