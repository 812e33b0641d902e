"""The Alembic migrations create exactly the tables the models describe, and can be undone."""
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from storage import Storage
from storage.models import Base
from storage.store import MIGRATIONS


def test_migrations_and_models_agree(db_url):
    with Storage(db_url) as storage, storage.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


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
