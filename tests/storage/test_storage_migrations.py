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
