"""deployments.route_key: one integer per origin -> destination, for the map's totals.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
import hashlib
import json
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PLACES = ("origin", "origin_country", "origin_lat", "origin_lon",
          "destination", "destination_country", "destination_lat", "destination_lon")


def route_key(places: list) -> int:
    # A frozen copy of storage.store.route_key as it was when this revision was written.
    digest = hashlib.sha256(json.dumps(places, ensure_ascii=False).encode("utf-8")).hexdigest()
    return int(digest[:15], 16)


def upgrade() -> None:
    op.add_column("deployments", sa.Column("route_key", sa.BigInteger()))
    deployments = sa.table("deployments", sa.column("id", sa.Integer()), sa.column("route_key", sa.BigInteger()),
                           *(sa.column(name) for name in PLACES))
    connection = op.get_bind()
    rows = connection.execute(sa.select(deployments.c.id, *(deployments.c[name] for name in PLACES))).all()
    if rows:
        connection.execute(deployments.update().where(deployments.c.id == sa.bindparam("row_id"))
                           .values(route_key=sa.bindparam("key")),
                           [{"row_id": row[0], "key": route_key(list(row[1:]))} for row in rows])


def downgrade() -> None:
    with op.batch_alter_table("deployments") as batch:
        batch.drop_column("route_key")
