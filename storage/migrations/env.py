"""Alembic environment: Storage passes its open connection in ``config.attributes``.

To write a new revision, from the repository root, against TROOPMAP_DB (else data/troopmap.db):
    alembic -c storage/alembic.ini upgrade head
    alembic -c storage/alembic.ini revision --autogenerate -m "what changes"
then read and correct the generated file under storage/migrations/versions.
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
    from storage import Storage

    with Storage(migrate=False).engine.begin() as connection:
        run_migrations(connection)
