"""Alembic environment: Storage passes its open connection in ``config.attributes``.

To write a new revision by hand or with autogenerate, from the repository root:
    alembic -c storage/alembic.ini revision --autogenerate -m "what changes"
(the database compared against is TROOPMAP_DB, else data/troopmap.db).
"""
from alembic import context

from storage.models import Base

config = context.config


def run_migrations(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=True)  # SQLite cannot ALTER most things: copy-and-move tables
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    from storage import Storage  # opening it upgrades to head; autogenerate then compares

    with Storage(migrate=False).engine.begin() as connection:
        run_migrations(connection)
