"""The Storage class: every read and write the app, the pages and the CLI make."""
from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterator, Optional

import pandas as pd
from sqlalchemy import (Column, MetaData, PrimaryKeyConstraint, String, Table, case, create_engine, delete, event, func,
                        inspect, or_, select, text, true)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session

from extract.schema import COLUMNS, Deployment
from storage import allocation, events
from storage.models import (FIXED, REJECTED, REVIEW_DECISIONS, SCHEMA_REVISION, Article, Base, DeploymentRow, Edit,
                            Event, IngestFailure, utcnow)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{REPO_ROOT / 'data' / 'troopmap.db'}"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_SECONDS = 60
# Any fixed number: PostgreSQL writers queue on this advisory lock as SQLite writers do on the file.
PG_WRITE_LOCK = 7_261_340

# Alembic's own version table, as it creates it: the revision a database's schema is at.
VERSION_TABLE = Table("alembic_version", MetaData(),
                      Column("version_num", String(32), nullable=False),
                      PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))

INT_COLUMNS = {"headcount", "start", "end"}
FLOAT_COLUMNS = {"origin_lat", "origin_lon", "destination_lat", "destination_lon", "confidence"}
BOOL_COLUMNS = {"headcount_shared", "counted"}
# Columns stored NOT NULL: a missing value takes the dataclass default.
DEFAULTS = {f.name: f.default for f in fields(Deployment) if f.name in
            {"headcount_shared", "status", "evidence", "confidence", "counted"}}
FLOW_PLACES = ("origin", "origin_country", "origin_lat", "origin_lon",
               "destination", "destination_country", "destination_lat", "destination_lon")


class StorageError(RuntimeError):
    """The database cannot be opened or used; the message says why, for a person to read."""


@dataclass(frozen=True)
class IngestResult:
    article_id: int
    created: bool           # False: the same text was stored already and nothing changed
    n_deployments: int


def normalise_text(article_text: str) -> str:
    """NFC, every run of whitespace one space, no leading or trailing space."""
    return " ".join(unicodedata.normalize("NFC", article_text).split())


def content_hash(article_text: str) -> str:
    return hashlib.sha256(normalise_text(article_text).encode("utf-8")).hexdigest()


def _clean(column: str, value, position: Optional[int] = None):
    """One value of a deployment column as the database stores it."""
    where = f"row {position + 1}: " if position is not None else ""
    if value is not None and pd.api.types.is_scalar(value) and pd.isna(value):
        value = None
    if value is None:
        return DEFAULTS.get(column)
    try:
        if column in INT_COLUMNS:
            if isinstance(value, str):
                value = float(value.replace(",", "").strip())
            if float(value) != int(value):
                raise ValueError
            return int(value)
        if column in FLOAT_COLUMNS:
            return float(value)
        if column in BOOL_COLUMNS:
            if isinstance(value, str):
                return value.strip().lower() in ("true", "1", "yes")
            return bool(value)
    except (TypeError, ValueError, OverflowError):
        raise StorageError(f"{where}{column} {value!r} is not a valid {column} value") from None
    return str(value)


TITLE_LENGTH = 90


def title_from_text(article_text: str, limit: int = TITLE_LENGTH) -> str:
    """A title for an article given none: its first non-empty line, cut at a word near ``limit``."""
    line = next((line.strip() for line in article_text.splitlines() if line.strip()), "")
    line = " ".join(line.split())
    if len(line) <= limit:
        return line or "Untitled article"
    cut = line[:limit].rsplit(" ", 1)[0] if " " in line[:limit] else line[:limit]
    return cut.rstrip(" ,;:.-–—") + "…"


def _display(value) -> Optional[str]:
    return None if value is None else str(value)


def _row_values(row: DeploymentRow) -> dict:
    return {column: getattr(row, column) for column in COLUMNS}


def route_key(values) -> int:
    """63-bit hash of a row's origin and destination (FLOW_PLACES). Migration 0002 fills it
    for older rows with a copy of this function: change both together, in a new migration."""
    places = [values[column] if isinstance(values, dict) else getattr(values, column) for column in FLOW_PLACES]
    digest = hashlib.sha256(json.dumps(places, ensure_ascii=False).encode("utf-8")).hexdigest()
    return int(digest[:15], 16)


def _machine_key(values: dict) -> str:
    span = [values["start"], values["end"], values["evidence"],
            values["origin_text"] or values["origin"], values["destination_text"] or values["destination"]]
    return hashlib.sha256(json.dumps(span, ensure_ascii=False).encode("utf-8")).hexdigest()


class Storage:
    """Articles, their deployment rows, people's edits and events, in one database."""

    def __init__(self, url: Optional[str] = None, *, migrate: bool = True):
        url = url or os.environ.get("TROOPMAP_DB") or DEFAULT_URL
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise StorageError(f"{url!r} is not a database URL (e.g. sqlite:///data/troopmap.db)") from exc
        self.url = parsed.render_as_string(hide_password=True)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_SECONDS} if self.is_sqlite else {})
        except (SQLAlchemyError, ImportError) as exc:
            raise StorageError(f"cannot open the database {self.url}: {exc}") from exc
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        # Connections of this engine start write transactions (BEGIN IMMEDIATE on SQLite).
        self._write_engine = self.engine.execution_options(troopmap_write=True)
        self.created = False   # whether opening it created the schema: a new database
        if migrate:
            self._migrate()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Storage":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- schema -----------------------------------------------------------------------------------

    def _migrate(self) -> None:
        """Bring the schema to SCHEMA_REVISION. Alembic (about 0.2 s to import, every dialect it
        knows) is only loaded when there is something to migrate: a database already at the newest
        revision is checked with one query, and a new, empty one gets the models' tables and its
        version written directly, as Alembic's cookbook does it ("create_all, then stamp head";
        tests/storage/test_storage_migrations.py checks that the two schemas are the same)."""
        try:
            with self._write_engine.begin() as connection:
                self._lock(connection)
                current = _schema_revisions(connection)
                if current == {SCHEMA_REVISION}:
                    return
                if current is None:
                    self.created = True
                    Base.metadata.create_all(connection)
                    VERSION_TABLE.create(connection, checkfirst=True)
                    connection.execute(VERSION_TABLE.insert().values(version_num=SCHEMA_REVISION))
                    return
                self._upgrade(connection)
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot open the database {self.url}: {getattr(exc, 'orig', None) or exc}") from exc

    def _upgrade(self, connection: Connection) -> None:
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
        current = MigrationContext.configure(connection).get_current_heads()
        newer = [revision for revision in current if revision not in known]
        if newer:
            raise StorageError(
                f"the database {self.url} has schema revision {', '.join(newer)}, newer than this "
                f"version of troopmap knows ({', '.join(sorted(known))}): upgrade troopmap to open it")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    def _lock(self, connection: Connection) -> None:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """One transaction: everything inside is stored, or nothing is."""
        try:
            with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
                self._lock(session.connection())
                yield session
        except SQLAlchemyError as exc:
            raise StorageError(f"nothing was stored: {getattr(exc, 'orig', None) or exc}") from exc

    @contextmanager
    def _read_errors(self) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot read the database {self.url}: {getattr(exc, 'orig', None) or exc}") from exc

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        """For reading tables: Core, not the ORM, as plain rows are several times faster."""
        with self._read_errors(), self.engine.connect() as connection:
            yield connection

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with self._read_errors(), Session(self.engine) as session:
            yield session

    # -- articles ---------------------------------------------------------------------------------

    def ingest(self, text: str, *, deployments: Optional[pd.DataFrame], title: Optional[str] = None,
               source: Optional[str] = None, lang: Optional[str] = None, published: Optional[str] = None,
               extractor_version: str, is_example: bool = False) -> IngestResult:
        """Store an article and the machine's rows for it, unless the same text is stored already.
        An article without a title is given its first line as title (pasted text rarely has one)."""
        digest = content_hash(text)
        title = title.strip() if isinstance(title, str) and title.strip() else title_from_text(text)
        with self._writing() as session:
            existing = session.scalar(select(Article.id).where(Article.content_hash == digest))
            if existing is not None:
                return IngestResult(existing, False, self._count_rows(session, existing))
            published = published.isoformat() if hasattr(published, "isoformat") else _display(published)
            if lang is None and deployments is not None and "lang" in deployments and deployments["lang"].notna().any():
                lang = str(deployments["lang"].dropna().iloc[0])   # the language the extractor read it in
            article = Article(content_hash=digest, title=title, source=source, lang=lang, published=published,
                              text=text, is_example=is_example)
            session.add(article)
            session.flush()
            rows = self._machine_rows(session, article, deployments, extractor_version, skip_keys=set())
            return IngestResult(article.id, True, len(rows))

    # -- archive ingest (python -m extract.ingest) -------------------------------------------------

    def record_failure(self, source: str, reason: str) -> None:
        """Remember that ``source`` could not be ingested, and why (the latest reason replaces an older one)."""
        with self._writing() as session:
            session.execute(delete(IngestFailure).where(IngestFailure.source == source))
            session.add(IngestFailure(source=source, reason=reason))

    def clear_failure(self, source: str) -> None:
        with self._writing() as session:
            session.execute(delete(IngestFailure).where(IngestFailure.source == source))

    def has_failure(self, source: str) -> bool:
        with self._connection() as connection:
            return connection.execute(select(IngestFailure.id).where(IngestFailure.source == source)).first() is not None

    def failures(self) -> pd.DataFrame:
        """Articles that could not be ingested: source, reason, at."""
        return self._frame(select(IngestFailure.source, IngestFailure.reason, IngestFailure.at)
                           .order_by(IngestFailure.id))

    def done_sources(self) -> set[str]:
        """Sources already stored or recorded as failed: what ``--resume`` skips."""
        with self._connection() as connection:
            stored = connection.execute(select(Article.source).where(Article.source.is_not(None))).scalars()
            failed = connection.execute(select(IngestFailure.source)).scalars()
            return set(stored) | set(failed)

    def replace_extraction(self, article_id: int, deployments: Optional[pd.DataFrame],
                           extractor_version: str) -> int:
        """Replace the machine's rows of an article; rows a person edited, added, deleted or reviewed stay.

        A new machine row that reads the same evidence as a row a person corrected or deleted is
        dropped, so the correction is not shadowed by a fresh copy of the old mistake.
        Returns the number of machine rows stored."""
        with self._writing() as session:
            article = self._get_article(session, article_id)
            rows = list(session.scalars(select(DeploymentRow).where(DeploymentRow.article_id == article_id)))
            machine = [row for row in rows if not (row.edited or row.human_added or row.deleted or row.review)]
            kept_keys = {row.machine_key for row in rows if row not in machine and row.machine_key}
            events.detach(session, machine)
            for row in machine:
                session.delete(row)
            session.flush()
            return len(self._machine_rows(session, article, deployments, extractor_version, kept_keys))

    def _machine_rows(self, session: Session, article: Article, deployments: Optional[pd.DataFrame],
                      extractor_version: str, skip_keys: set[str]) -> list[DeploymentRow]:
        records = [] if deployments is None else deployments.to_dict("records")
        rows = []
        for position, record in enumerate(records):
            values = {column: _clean(column, record.get(column), position) for column in COLUMNS}
            key = _machine_key(values)
            if key in skip_keys:
                continue
            rows.append(DeploymentRow(article_id=article.id, **values, extractor_version=extractor_version,
                                      machine_key=key, route_key=route_key(values),
                                      event_date=values["date"] or article.published))
        session.add_all(rows)
        session.flush()
        events.assign(session, rows)
        allocation.reallocate(session, [article.id])
        return rows

    def delete_article(self, article_id: int) -> None:
        """Delete an article with its rows and their edit log; events it shared lose one source."""
        with self._writing() as session:
            self._get_article(session, article_id)
            rows = list(session.scalars(select(DeploymentRow).where(DeploymentRow.article_id == article_id)))
            events.detach(session, rows)
            session.execute(delete(Edit).where(Edit.article_id == article_id))
            session.execute(delete(DeploymentRow).where(DeploymentRow.article_id == article_id))
            session.execute(delete(Article).where(Article.id == article_id))

    def find_article(self, text: str) -> Optional[int]:
        with self._reading() as session:
            return session.scalar(select(Article.id).where(Article.content_hash == content_hash(text)))

    def article(self, article_id: int) -> Optional[dict]:
        with self._reading() as session:
            article = session.get(Article, article_id)
            if article is None:
                return None
            values = {column.key: getattr(article, column.key) for column in Article.__table__.columns}
            values["n_deployments"] = self._count_rows(session, article_id)
            return values

    def articles(self) -> pd.DataFrame:
        live = DeploymentRow.deleted.is_(False)
        query = (select(Article.id, Article.title, Article.source, Article.lang, Article.published,
                        Article.added_at, func.count(DeploymentRow.id).label("n_deployments"),
                        Article.is_example, Article.content_hash)
                 .outerjoin(DeploymentRow, (DeploymentRow.article_id == Article.id) & live)
                 .group_by(Article.id).order_by(Article.id))
        return self._frame(query)

    # -- deployments ------------------------------------------------------------------------------

    def deployments(self, article_ids: Optional[list[int]] = None) -> pd.DataFrame:
        return self._frame(self._deployments_query(article_ids))

    @staticmethod
    def _deployments_query(article_ids: Optional[list[int]] = None):
        columns = [getattr(DeploymentRow, column) for column in COLUMNS]
        query = (select(DeploymentRow.id, DeploymentRow.article_id, Article.title.label("article_title"),
                        Article.source.label("article_source"), *columns, DeploymentRow.extractor_version,
                        DeploymentRow.edited, DeploymentRow.human_added, DeploymentRow.event_id,
                        DeploymentRow.review)
                 .join(Article, Article.id == DeploymentRow.article_id)
                 .where(DeploymentRow.deleted.is_(False))
                 .order_by(DeploymentRow.article_id, DeploymentRow.id))
        if article_ids is not None:
            query = query.where(DeploymentRow.article_id.in_(list(article_ids)))
        return query

    def update_deployment(self, deployment_id: int, changes: dict[str, object]) -> None:
        """Apply a person's corrections: one edit-log row per field that really changes."""
        with self._writing() as session:
            self._apply_changes(session, self._get_row(session, deployment_id), changes)

    def _apply_changes(self, session: Session, row: DeploymentRow, changes: dict[str, object],
                       at: Optional[datetime] = None) -> bool:
        """Write ``changes`` to ``row`` with their edit-log rows (stamped ``at``); whether anything changed."""
        unknown = sorted(set(changes) - set(COLUMNS))
        if unknown:
            raise StorageError(f"cannot edit {', '.join(unknown)}: not a deployment column")
        changed = False
        for field, new in changes.items():
            new, old = _clean(field, new), getattr(row, field)
            if new == old:
                continue
            session.add(Edit(deployment_id=row.id, article_id=row.article_id, field=field,
                             old_value=_display(old), new_value=_display(new), at=at or utcnow()))
            setattr(row, field, new)
            changed = True
        if changed:
            row.edited = True
            row.event_date = row.date or session.get(Article, row.article_id).published
            row.route_key = route_key(row)
            if row.event_pinned:
                # A person put the row in its event: it stays there; only the representative may change.
                session.flush()
                events.refresh(session, {row.event_id})
            else:
                events.detach(session, [row])
                events.assign(session, [row])
            allocation.reallocate(session, [row.article_id])
        return changed

    def add_deployment(self, article_id: int, row: dict) -> int:
        """Store a row a person added to an article; returns its id."""
        with self._writing() as session:
            article = self._get_article(session, article_id)
            values = {column: _clean(column, row.get(column)) for column in COLUMNS}
            added = DeploymentRow(article_id=article_id, **values, human_added=True, route_key=route_key(values),
                                  event_date=values["date"] or article.published)
            session.add(added)
            session.flush()
            session.add(Edit(deployment_id=added.id, article_id=article_id, field="added", old_value=None,
                             new_value=json.dumps(values, ensure_ascii=False, default=str)))
            events.assign(session, [added])
            allocation.reallocate(session, [article_id])
            return added.id

    def delete_deployment(self, deployment_id: int) -> None:
        """Hide a row for good; the edit log keeps its values. Re-extraction will not bring it back."""
        with self._writing() as session:
            self._delete_row(session, self._get_row(session, deployment_id))

    @staticmethod
    def _delete_row(session: Session, row: DeploymentRow, at: Optional[datetime] = None) -> None:
        session.add(Edit(deployment_id=row.id, article_id=row.article_id, field="deleted",
                         old_value=json.dumps(_row_values(row), ensure_ascii=False, default=str),
                         new_value=None, at=at or utcnow()))
        events.detach(session, [row])
        row.deleted = row.edited = True
        row.allocated = None
        allocation.reallocate(session, [row.article_id])

    def edits(self, deployment_id: Optional[int] = None) -> pd.DataFrame:
        query = select(Edit.id, Edit.deployment_id, Edit.article_id, Edit.at, Edit.field, Edit.old_value,
                       Edit.new_value).order_by(Edit.id)
        if deployment_id is not None:
            query = query.where(Edit.deployment_id == deployment_id)
        return self._frame(query)

    # -- review -----------------------------------------------------------------------------------

    @staticmethod
    def _under(threshold: float):
        """Rows the machine made with a confidence under ``threshold``: what the review queue holds."""
        return DeploymentRow.human_added.is_(False) & (DeploymentRow.confidence < threshold)

    @staticmethod
    def _unchecked():
        """No verdict yet, and not corrected or deleted by a person elsewhere (that is a check too)."""
        return DeploymentRow.review.is_(None) & DeploymentRow.edited.is_(False) & DeploymentRow.deleted.is_(False)

    def review_progress(self, threshold: float) -> tuple[int, int]:
        """(checked, total) of the queue: every machine row under ``threshold``, rejected ones included."""
        query = (select(func.count(), func.coalesce(func.sum(case((self._unchecked(), 1), else_=0)), 0))
                 .where(self._under(threshold)))
        with self._connection() as connection:
            total, unchecked = connection.execute(query).one()
        return int(total) - int(unchecked), int(total)

    def review_queue(self, threshold: float, limit: int = 100) -> pd.DataFrame:
        """The unchecked rows under ``threshold``, least confident first (then oldest first), with the
        columns of :meth:`deployments` plus the article's text, language and published date."""
        query = (self._deployments_query()
                 .add_columns(Article.text.label("article_text"), Article.lang.label("article_lang"),
                              Article.published.label("article_published"))
                 .where(self._under(threshold), self._unchecked())
                 .order_by(None).order_by(DeploymentRow.confidence, DeploymentRow.id).limit(limit))
        return self._frame(query)

    def review_deployment(self, deployment_id: int, decision: str,
                          changes: Optional[dict[str, object]] = None) -> None:
        """Store a person's verdict on a row, in the edit log (field "review"):
        - accepted: the row is right as it is; it now counts as confirmed by a person;
        - fixed: ``changes`` are applied (one edit-log row per field) and the row is confirmed;
        - rejected: the row is wrong; it is deleted as on Home and never comes back.
        Re-extraction keeps every reviewed row."""
        if decision not in REVIEW_DECISIONS:
            raise StorageError(f"a review decision is one of {', '.join(REVIEW_DECISIONS)}, not {decision!r}")
        with self._writing() as session:
            row = self._get_row(session, deployment_id)
            at = utcnow()  # one stamp for every edit-log row of the decision: undo_review finds them by it
            if decision == FIXED and not self._apply_changes(session, row, dict(changes or {}), at):
                raise StorageError("nothing was changed: give a new value, or accept the row as it is")
            session.add(Edit(deployment_id=row.id, article_id=row.article_id, field="review",
                             old_value=row.review, new_value=decision, at=at))
            row.review = decision
            if decision == REJECTED:
                self._delete_row(session, row, at)
            elif row.event_id is not None:
                session.flush()
                events.refresh(session, {row.event_id})  # a confirmed row may now stand for its event

    def undo_review(self, deployment_id: int) -> str:
        """Take back the last review decision on a row: a fix's fields get their values back, a
        rejected row comes back, and the row is unchecked again. Logged like any edit (field
        "review" back to its old value; "restored" for a rejected row). Refused when the row was
        changed after the decision. Returns the decision undone."""
        with self._writing() as session:
            row = session.get(DeploymentRow, deployment_id)
            if row is None:
                raise StorageError(f"there is no deployment {deployment_id}")
            history = list(session.scalars(select(Edit).where(Edit.deployment_id == row.id).order_by(Edit.id)))
            decisions = [e for e in history if e.field == "review"]
            last = decisions[-1] if decisions else None
            if last is None or last.new_value not in REVIEW_DECISIONS:
                raise StorageError("this row has no review decision to undo")
            part = [e for e in history if e.at == last.at and e is not last]
            if any(e.id > last.id and e.at != last.at for e in history):
                raise StorageError("the row was changed after that decision: correct it on Home instead")
            # Whether a person had changed the row before, outside any review decision or its undo.
            review_times = {e.at for e in decisions}
            edited_before = any(e.at < last.at and e.at not in review_times and e.field not in ("added", "event")
                                for e in history)
            at = utcnow()
            for edit in reversed(part):
                if edit.field == "deleted":
                    row.deleted = False
                    session.add(Edit(deployment_id=row.id, article_id=row.article_id, field="restored",
                                     old_value=None, new_value=edit.old_value, at=at))
                    continue
                session.add(Edit(deployment_id=row.id, article_id=row.article_id, field=edit.field,
                                 old_value=edit.new_value, new_value=edit.old_value, at=at))
                setattr(row, edit.field, _clean(edit.field, edit.old_value))
            session.add(Edit(deployment_id=row.id, article_id=row.article_id, field="review",
                             old_value=last.new_value, new_value=last.old_value, at=at))
            row.review = last.old_value
            row.edited = edited_before
            row.event_date = row.date or session.get(Article, row.article_id).published
            row.route_key = route_key(row)
            session.flush()
            if row.event_pinned and row.event_id is not None:
                events.refresh(session, {row.event_id})
            else:
                events.detach(session, [row])
                events.assign(session, [row])
            allocation.reallocate(session, [row.article_id])
            return last.new_value

    def checked_articles(self) -> list[int]:
        """Articles with at least one row a person has checked: reviewed, edited, added or deleted."""
        row = DeploymentRow
        query = (select(row.article_id).where(row.review.is_not(None) | row.edited | row.human_added)
                 .distinct().order_by(row.article_id))
        with self._connection() as connection:
            return [int(article_id) for (article_id,) in connection.execute(query)]

    # -- events -----------------------------------------------------------------------------------

    def event_sources(self, event_id: int) -> pd.DataFrame:
        """Every live row of one event, one per report, with its article's title, source and
        published date: what the Sources panel puts side by side."""
        query = (self._deployments_query()
                 .add_columns(Article.published.label("article_published"), DeploymentRow.event_pinned)
                 .where(DeploymentRow.event_id == event_id))
        return self._frame(query)

    def event_of(self, deployment_id: int) -> Optional[int]:
        with self._reading() as session:
            return session.scalar(select(DeploymentRow.event_id).where(DeploymentRow.id == deployment_id))

    def nearby_events(self, event_id: int, limit: int = 30) -> pd.DataFrame:
        """Events a person may want to merge ``event_id`` with: those whose representative has the
        same destination country or the same force, the same country and force first, then the
        nearest in date. Columns: event_id, origin, destination, destination_country, force,
        headcount, when (the event's date), n_sources."""
        row = DeploymentRow
        with self._connection() as connection:
            this = connection.execute(select(row.destination_country, row.force, row.event_date)
                                      .join(Event, Event.representative_id == row.id)
                                      .where(Event.id == event_id)).first()
            if this is None:
                return pd.DataFrame(columns=["event_id", "origin", "destination", "destination_country", "force",
                                             "headcount", "when", "n_sources"])
            alike = [condition for condition, known in ((row.destination_country == this.destination_country,
                                                         this.destination_country), (row.force == this.force, this.force))
                     if known is not None]
            query = (select(Event.id.label("event_id"), row.origin, row.destination, row.destination_country,
                            row.force, row.headcount, row.event_date.label("when"))
                     .join(row, row.id == Event.representative_id)
                     .where(Event.id != event_id, or_(*alike) if alike else true())
                     .limit(2000))
            found = pd.DataFrame([tuple(r) for r in connection.execute(query)],
                                 columns=["event_id", "origin", "destination", "destination_country", "force",
                                          "headcount", "when"])
            if found.empty:
                return found.assign(n_sources=pd.Series(dtype="Int64"))
            day = events._parse_date(this.event_date)
            found["_rank"] = -(2 * (found["destination_country"] == this.destination_country).astype(int)
                               + (found["force"] == this.force).astype(int))
            found["_days"] = [abs((parsed - day).days) if day and parsed else 10**6
                              for parsed in map(events._parse_date, found["when"])]
            found = found.sort_values(["_rank", "_days", "event_id"]).head(limit).drop(columns=["_rank", "_days"])
            counts = dict(connection.execute(
                select(row.event_id, func.count()).where(row.event_id.in_([int(e) for e in found["event_id"]]),
                                                         row.deleted.is_(False)).group_by(row.event_id)).all())
        found["n_sources"] = [counts.get(int(e), 0) for e in found["event_id"]]
        return _typed(found.reset_index(drop=True))

    def merge_events(self, event_ids: list[int]) -> int:
        """A person says these events are one movement: their rows join the oldest of them, each
        move in the edit log (field "event"), and stay together whatever automatic grouping would
        say later. Returns the event that remains."""
        event_ids = sorted(set(int(e) for e in event_ids))
        if len(event_ids) < 2:
            raise StorageError("choose at least two events to merge")
        with self._writing() as session:
            rows = list(session.scalars(select(DeploymentRow).where(DeploymentRow.event_id.in_(event_ids),
                                                                    DeploymentRow.deleted.is_(False))))
            found = {row.event_id for row in rows}
            missing = [e for e in event_ids if e not in found]
            if missing:
                raise StorageError(f"there is no event {', '.join(map(str, missing))}")
            target = event_ids[0]
            for row in rows:
                if row.event_id != target:
                    session.add(Edit(deployment_id=row.id, article_id=row.article_id, field="event",
                                     old_value=str(row.event_id), new_value=str(target)))
                    row.event_id = target
                row.event_pinned = True
            session.flush()
            events.refresh(session, set(event_ids))
            return target

    def split_deployment(self, deployment_id: int) -> int:
        """A person says this report is not the same movement as the others of its event: it gets an
        event of its own (logged, field "event"), which automatic grouping then leaves alone.
        Returns the new event."""
        with self._writing() as session:
            row = self._get_row(session, deployment_id)
            others = session.scalar(select(func.count()).where(DeploymentRow.event_id == row.event_id,
                                                               DeploymentRow.deleted.is_(False),
                                                               DeploymentRow.id != row.id))
            if row.event_id is None or not others:
                raise StorageError("this report is the only one of its event: there is nothing to split")
            old = row.event_id
            event = Event()
            session.add(event)
            session.flush()
            session.add(Edit(deployment_id=row.id, article_id=row.article_id, field="event",
                             old_value=str(old), new_value=str(event.id)))
            row.event_id, row.event_pinned = event.id, True
            session.flush()
            events.refresh(session, {old, event.id})
            return event.id


    def events(self, article_ids: Optional[list[int]] = None) -> pd.DataFrame:
        """One row per movement: its representative row plus event_id, n_sources, article_ids,
        sources (titles, else source names) and deployment_ids. With ``article_ids``, the events
        any of those articles reports, still listing all their sources."""
        with self._connection() as connection:
            representative = dict(connection.execute(select(Event.id, Event.representative_id)).all())
            result = connection.execute(self._deployments_query())
            columns = list(result.keys())
            rows = [tuple(row) for row in result]
        id_at, article_at, title_at, source_at, event_at = (
            columns.index(name) for name in ("id", "article_id", "article_title", "article_source", "event_id"))
        members = defaultdict(list)
        for row in rows:
            members[row[event_at]].append(row)
        wanted = set(article_ids) if article_ids is not None else None
        out = []
        for event_id in sorted(key for key in members if key is not None):
            group = members[event_id]
            if wanted is not None and not any(row[article_at] in wanted for row in group):
                continue
            chosen = next((row for row in group if row[id_at] == representative.get(event_id)), group[0])
            labels = {}  # article id -> how to name it, in order of appearance
            for row in group:
                labels.setdefault(row[article_at], row[title_at] or row[source_at] or f"article {row[article_at]}")
            out.append(chosen + (len(labels), list(labels), list(labels.values()), [row[id_at] for row in group]))
        columns += ["n_sources", "article_ids", "sources", "deployment_ids"]
        return _typed(pd.DataFrame(out, columns=columns))

    def flows(self, *, start: Optional[str] = None, end: Optional[str] = None,
              forces: Optional[list[str]] = None, statuses: Optional[list[str]] = None) -> pd.DataFrame:
        """What the map draws: per origin -> destination, the headcount of its events summed over
        counted ones (each event once), and how many events. Dates are ISO strings, inclusive,
        compared with each event's date (the row's date, else its article's published date)."""
        row = DeploymentRow
        # Grouped on route_key, one integer per route; min() just reads the route's (equal) values.
        places = [func.min(getattr(row, column)).label(column) for column in FLOW_PLACES]
        query = (select(*places,
                        func.coalesce(func.sum(case((row.counted, row.headcount))), 0).label("headcount"),
                        func.count().label("n_events"))
                 .select_from(Event).join(row, row.id == Event.representative_id)
                 .where(row.destination.is_not(None))
                 .group_by(row.route_key))
        if start:
            query = query.where(row.event_date >= start)
        if end:
            # Through the whole end day, whether dates carry a time or not.
            end_day = events._parse_date(end)
            query = query.where(row.event_date < (end_day + timedelta(days=1)).isoformat() if end_day
                                else row.event_date <= end)
        if forces:
            query = query.where(row.force.in_(list(forces)))
        if statuses:
            query = query.where(row.status.in_(list(statuses)))
        flows = self._frame(query)
        return flows.sort_values(list(FLOW_PLACES), na_position="first", ignore_index=True)

    # -- helpers ----------------------------------------------------------------------------------

    def _frame(self, query) -> pd.DataFrame:
        with self._connection() as connection:
            result = connection.execute(query)
            # Tuples, not Rows: pandas probing Row attributes costs more than the query.
            return _typed(pd.DataFrame([tuple(row) for row in result], columns=list(result.keys())))

    @staticmethod
    def _count_rows(session: Session, article_id: int) -> int:
        return session.scalar(select(func.count(DeploymentRow.id)).where(
            DeploymentRow.article_id == article_id, DeploymentRow.deleted.is_(False)))

    @staticmethod
    def _get_article(session: Session, article_id: int) -> Article:
        article = session.get(Article, article_id)
        if article is None:
            raise StorageError(f"there is no article {article_id}")
        return article

    @staticmethod
    def _get_row(session: Session, deployment_id: int) -> DeploymentRow:
        row = session.get(DeploymentRow, deployment_id)
        if row is None or row.deleted:
            raise StorageError(f"there is no deployment {deployment_id}")
        return row


def _schema_revisions(connection: Connection) -> set[str] | None:
    """The revisions in the database's version table; None for a database with no tables of
    troopmap's and no revision (a new one, or one taken down to Alembic's base)."""
    tables = set(inspect(connection).get_table_names())
    revisions = ({row[0] for row in connection.execute(select(VERSION_TABLE.c.version_num))}
                 if VERSION_TABLE.name in tables else set())
    if not revisions and not tables & set(Base.metadata.tables):
        return None
    return revisions


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Whole-number columns that may be empty as pandas' nullable Int64, not floats."""
    for column in ("headcount", "start", "end", "event_id", "deployment_id", "n_events"):
        if column in frame.columns:
            frame[column] = frame[column].astype("Int64")
    return frame


def _configure_sqlite(engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Transactions are begun below, not by the sqlite3 module, so writers can ask for a write lock
        # up front: a deferred transaction that reads then writes fails at once instead of waiting.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        write = connection.get_execution_options().get("troopmap_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
