"""SQLAlchemy models of the troopmap database (see ``storage/__init__.py`` for the schema).

The migrations under ``storage/migrations/versions`` create exactly these tables;
``tests/storage/test_migrations.py`` checks that the two never drift apart.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import (BigInteger, Boolean, CheckConstraint, DateTime, Float, ForeignKey, Index, Integer, String,
                        Text, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql import false

from extract.schema import STATUSES


# The newest migration under storage/migrations/versions: the schema these models describe. A new
# migration changes it (tests/storage/test_storage_migrations.py fails until it does).
SCHEMA_REVISION = "0005"

ACCEPTED, FIXED, REJECTED = "accepted", "fixed", "rejected"
REVIEW_DECISIONS = (ACCEPTED, FIXED, REJECTED)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (UniqueConstraint("content_hash", name="uq_articles_content_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[Optional[str]] = mapped_column(Text)
    source: Mapped[Optional[str]] = mapped_column(Text)
    lang: Mapped[Optional[str]] = mapped_column(String(16))
    published: Mapped[Optional[str]] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    is_example: Mapped[bool] = mapped_column(Boolean, default=False)


class Event(Base):
    """One movement, however many articles report it."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Not a foreign key: deployments already point here, and a cycle of foreign keys
    # would make every insert and delete order-sensitive. Kept right by storage.events.
    representative_id: Mapped[Optional[int]] = mapped_column(Integer, index=True)


class DeploymentRow(Base):
    """One row of the deployment table (extract.schema.Deployment) as stored."""

    __tablename__ = "deployments"
    __table_args__ = (
        CheckConstraint("status IN (%s)" % ", ".join(f"'{s}'" for s in STATUSES), name="ck_deployments_status"),
        # Candidate search when grouping movements into events.
        Index("ix_deployments_match", "force", "destination_country", "event_date"),
        # The review queue: rows under the threshold, least confident first.
        Index("ix_deployments_confidence", "confidence"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[Optional[int]] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)

    origin: Mapped[Optional[str]] = mapped_column(Text)
    origin_country: Mapped[Optional[str]] = mapped_column(String(8))
    origin_lat: Mapped[Optional[float]] = mapped_column(Float)
    origin_lon: Mapped[Optional[float]] = mapped_column(Float)
    destination: Mapped[Optional[str]] = mapped_column(Text)
    destination_country: Mapped[Optional[str]] = mapped_column(String(8))
    destination_lat: Mapped[Optional[float]] = mapped_column(Float)
    destination_lon: Mapped[Optional[float]] = mapped_column(Float)
    headcount: Mapped[Optional[int]] = mapped_column(Integer)
    headcount_shared: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="other")
    force: Mapped[Optional[str]] = mapped_column(String(8))
    evidence: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[Optional[str]] = mapped_column(Text)
    unit: Mapped[Optional[str]] = mapped_column(Text)
    date: Mapped[Optional[str]] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float, default=0.5)
    start: Mapped[Optional[int]] = mapped_column(Integer)
    end: Mapped[Optional[int]] = mapped_column(Integer)
    lang: Mapped[Optional[str]] = mapped_column(String(16))
    headcount_qualifier: Mapped[Optional[str]] = mapped_column(String(16))
    origin_kind: Mapped[Optional[str]] = mapped_column(String(16))
    destination_kind: Mapped[Optional[str]] = mapped_column(String(16))
    origin_text: Mapped[Optional[str]] = mapped_column(Text)
    destination_text: Mapped[Optional[str]] = mapped_column(Text)
    headcount_group: Mapped[Optional[str]] = mapped_column(Text)
    counted: Mapped[bool] = mapped_column(Boolean, default=True)

    extractor_version: Mapped[Optional[str]] = mapped_column(String(64))
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
    human_added: Mapped[bool] = mapped_column(Boolean, default=False)
    # A person deleted the row: hidden everywhere, kept so re-extraction does not bring it back.
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    # Identifies the machine reading a row came from (evidence span and place words), so a
    # re-extraction can tell which of its rows a person has already corrected or deleted.
    machine_key: Mapped[Optional[str]] = mapped_column(String(64))
    # `date`, else the article's published date: what the event date window compares.
    event_date: Mapped[Optional[str]] = mapped_column(String(32))
    # Hash of the eight origin/destination columns (storage.store.route_key): the map's totals
    # group on this one integer, several times faster than on the names and coordinates.
    route_key: Mapped[Optional[int]] = mapped_column(BigInteger)
    # A person's verdict on the Review page: one of REVIEW_DECISIONS, None while unchecked. An
    # accepted or fixed row counts as confirmed by a person: re-extraction keeps it.
    review: Mapped[Optional[str]] = mapped_column(String(16))
    # A person merged or split this row's event: automatic grouping leaves the row where they put it.
    event_pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Troops the row gives per-place totals (a shared figure split evenly between its places;
    # storage.allocation): the map and charts sum it in the database.
    allocated: Mapped[Optional[float]] = mapped_column(Float)


class Edit(Base):
    """One change a person made: one row per changed field."""

    __tablename__ = "edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deployment_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[Optional[str]] = mapped_column(Text)
    new_value: Mapped[Optional[str]] = mapped_column(Text)


class IngestFailure(Base):
    """An article `python -m extract.ingest` could not read, extract or store: one row per source,
    the latest reason; removed when a later run stores it."""

    __tablename__ = "ingest_failures"
    __table_args__ = (UniqueConstraint("source", name="uq_ingest_failures_source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
