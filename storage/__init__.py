"""Storage of articles, deployment rows, people's corrections and events, shared by the app and the CLI.

    >>> from storage import Storage
    >>> st = Storage()            # TROOPMAP_DB, else sqlite:///<repo>/data/troopmap.db
    >>> st.ingest(text, deployments=frame, title="...", extractor_version="0.3")

Opening a database migrates it to the newest schema (Alembic, ``storage/migrations``); a database
of a newer schema than the code, or a file that is not a database, raises :class:`StorageError`.
SQLite runs in WAL mode with a busy timeout, and writers take the write lock when they begin
(PostgreSQL: an advisory lock), so several processes can ingest into one database at once.
Every write method is one transaction: stored whole, or not at all.

Schema (``storage/models.py``):

articles     id, content_hash (sha256 of the NFC text with whitespace runs collapsed; unique: the
             same article is stored once), title, source, lang, published, text, added_at, is_example
deployments  id, article_id -> articles, event_id -> events, every column of extract.schema.COLUMNS,
             extractor_version, edited (a person changed it), human_added, deleted (a person deleted
             it: hidden, kept so re-extraction does not revive it), machine_key (which machine reading
             it came from), event_date (date, else the article's published date), route_key,
             review (accepted / fixed / rejected on the Review page; NULL: not checked), event_pinned
             (a person merged or split its event: automatic grouping leaves it there)
events       id, representative_id (the deployment whose values stand for the event). The same
             movement reported by several articles is one event (rules in storage/events.py);
             totals sum the representatives' headcounts where counted, so each movement counts once.
             allocated (troops the row gives per-place totals: storage/allocation.py)
edits        id, deployment_id, article_id, at, field, old_value, new_value: one row per changed
             field; field "added" / "deleted" / "restored" hold the whole row as JSON; "review" a
             verdict (all rows of one decision share its ``at``); "event" a move between events.
ingest_failures  id, source (unique), reason, at: what `python -m extract.ingest` could not read,
             extract or store; a later run that stores the source removes its row.
"""
from storage.store import IngestResult, Storage, StorageError, content_hash, normalise_text

__all__ = ["IngestResult", "Storage", "StorageError", "content_hash", "normalise_text"]
