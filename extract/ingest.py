"""Archive ingest on Dask: ``python -m extract.ingest SOURCE... --db URL [--workers N | --scheduler ADDRESS]``.

SOURCE is a file, a folder (recursive), a .zip / .tar.gz archive or a JSON Lines / CSV / Parquet
table with a text column (``extract.sources`` names the recognised columns). Batches of articles
go to Dask workers; each worker keeps one reader process (``extract.reader_process``) that loads
the models once, reads its batch through ``nlp.pipe`` and is stopped when an article runs past its
time budget. Each article is stored with its rows in one transaction, identified by the hash of
its text, so a run killed at any moment and run again (``--resume`` also skips what is done
without reading it again) stores nothing twice. SQLite has one writer, this client; with
PostgreSQL the workers store their own articles, concurrently.

Nothing here imports Streamlit; the app reuses :func:`ingest_items` for an uploaded .zip.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import sys
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from extract.limits import ARTICLE_SECONDS
from extract.sources import Item, SourceError, count, items as source_items

BATCH_SIZE = 8            # articles per Dask task: enough for nlp.pipe to batch, small enough to balance
IN_FLIGHT_PER_WORKER = 3  # tasks queued per worker: keeps workers busy while holding few articles in memory


@dataclass
class Options:
    db_url: str
    lang: Optional[str] = None
    published: Optional[str] = None
    engine: Optional[str] = None
    budget: float = ARTICLE_SECONDS
    store_on_workers: bool = False     # PostgreSQL: many writers; SQLite: the client writes


@dataclass
class Report:
    """One article's fate, as the client counts it (no text or rows: those are stored already)."""
    label: str
    status: str                        # "stored", "already there" or "failed"
    reason: Optional[str] = None
    rows: int = 0
    article_id: Optional[int] = None


@dataclass
class Summary:
    stored: int = 0
    already_there: int = 0
    failed: int = 0
    skipped: int = 0                   # --resume: done by an earlier run, not read again
    failures: list[Report] = field(default_factory=list)

    def add(self, report: Report) -> None:
        if report.status == "stored":
            self.stored += 1
        elif report.status == "already there":
            self.already_there += 1
        else:
            self.failed += 1
            self.failures.append(report)

    def __str__(self) -> str:
        text = f"stored {self.stored}, already there {self.already_there}, failed {self.failed}"
        return text + (f", skipped (done before) {self.skipped}" if self.skipped else "")


# -- on the workers ---------------------------------------------------------------------------------

_worker_state: dict = {}   # per worker process: its reader process and, with PostgreSQL, its Storage


def _reader():
    from extract.reader_process import ReaderProcess
    if "reader" not in _worker_state:
        import atexit
        _worker_state["reader"] = ReaderProcess()
        atexit.register(_worker_state["reader"].stop)   # a closing worker takes its reader with it
    return _worker_state["reader"]


def _storage(url: str):
    from storage import Storage
    if _worker_state.get("storage_url") != url:
        _worker_state["storage"] = Storage(url, migrate=False)   # the client migrated it
        _worker_state["storage_url"] = url
    return _worker_state["storage"]


def read_batch_task(items: list[Item], options: Options) -> list:
    """A Dask task: read and extract a batch; with ``store_on_workers`` also store it and return Reports."""
    from extract.reader_process import read_within_budget
    outcomes = read_within_budget(_reader(), items, options.lang, options.published, options.engine, options.budget)
    if not options.store_on_workers:
        return outcomes
    storage = _storage(options.db_url)
    return [store_outcome(storage, outcome, options) for outcome in outcomes]


# -- storing ---------------------------------------------------------------------------------------

def store_outcome(storage, outcome, options: Options, earlier_failures: Optional[set] = None) -> Report:
    """Store one article and its rows in one transaction (or record why it failed)."""
    from extract.pipeline import EXTRACTOR_VERSION
    from storage import StorageError

    if outcome.reason is None:
        try:
            result = storage.ingest(outcome.text, deployments=outcome.frame, title=outcome.title,
                                    source=outcome.label, lang=outcome.lang, published=outcome.published,
                                    extractor_version=EXTRACTOR_VERSION)
        except StorageError as error:
            outcome.reason = f"{outcome.label}: {error}"
        else:
            # An earlier run's failure of this source is resolved now (a read first: most never failed).
            failed_before = (storage.has_failure(outcome.label) if earlier_failures is None
                             else outcome.label in earlier_failures)
            if failed_before:
                storage.clear_failure(outcome.label)
            return Report(outcome.label, "stored" if result.created else "already there",
                          rows=result.n_deployments, article_id=result.article_id)
    try:
        storage.record_failure(outcome.label, outcome.reason)
    except StorageError:
        pass   # still listed in the failures file
    return Report(outcome.label, "failed", outcome.reason)


# -- the client ------------------------------------------------------------------------------------

def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def ingest_items(items: Iterable[Item], client, storage, options: Options, *,
                 on_report: Callable[[Report], None] = lambda report: None,
                 batch_size: int = BATCH_SIZE) -> Summary:
    """Send ``items`` through the Dask ``client`` in batches and store the results in ``storage``.
    At most a few batches per worker are in flight, so memory does not grow with the archive."""
    from distributed import as_completed

    summary = Summary()
    earlier_failures = set(storage.failures()["source"])
    pending = as_completed()

    def capacity() -> int:
        # Asked again as batches go: workers may join a scheduler while the run goes on.
        return max(1, len(client.nthreads())) * IN_FLIGHT_PER_WORKER

    def settle(future, batch: list[Item]) -> None:
        try:
            results = future.result()
        except Exception as error:  # noqa: BLE001 - e.g. KilledWorker: the batch failed, the run goes on
            results = [store_outcome(storage, _failed(item, f"{item.label}: its worker failed ({error!r})"), options)
                       for item in batch]
        for result in results:
            report = result if isinstance(result, Report) else store_outcome(storage, result, options, earlier_failures)
            summary.add(report)
            on_report(report)

    batch_of = {}
    limit = capacity()
    for number, batch in enumerate(_batches(items, batch_size)):
        if number % 50 == 49:
            limit = capacity()
        while pending.count() >= limit:
            done = next(pending)
            settle(done, batch_of.pop(done.key))
        future = client.submit(read_batch_task, batch, options, pure=False)
        batch_of[future.key] = batch
        pending.add(future)
    for done in pending:
        settle(done, batch_of.pop(done.key))
    return summary


def ingest_in_process(items: Iterable[Item], storage, options: Options, *,
                      on_report: Callable[[Report], None] = lambda report: None,
                      batch_size: int = BATCH_SIZE) -> Summary:
    """The same reading and storing as :func:`ingest_items`, in this process, with no cluster and no
    time budget: for the app, whose process has the models loaded already, and a few hundred articles."""
    from extract.reader_process import read_batch

    summary = Summary()
    earlier_failures = set(storage.failures()["source"])
    for batch in _batches(items, batch_size):
        for outcome in read_batch(batch, options.lang, options.published, options.engine):
            report = store_outcome(storage, outcome, options, earlier_failures)
            summary.add(report)
            on_report(report)
    return summary


def _failed(item: Item, reason: str):
    from extract.reader_process import Outcome
    return Outcome(item.label, reason=reason)


def _skip_done(items: Iterable[Item], done: set[str], skipped: list[str], on_skip: Callable[[], None]) -> Iterator[Item]:
    for item in items:
        if item.label in done:
            skipped.append(item.label)
            on_skip()
            continue
        yield item


def _client(args):
    from distributed import Client, LocalCluster

    if args.scheduler:
        return Client(args.scheduler), None
    dashboard = ":0" if importlib.util.find_spec("bokeh") else None
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                           dashboard_address=dashboard, host="127.0.0.1")
    return Client(cluster), cluster


def write_failures(path: Path, failures: list[tuple[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["source", "reason"])
        writer.writerows(failures)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", metavar="SOURCE",
                        help="files, folders, .zip/.tar.gz archives, .jsonl/.csv/.parquet tables")
    parser.add_argument("--db", metavar="URL", default=os.environ.get("TROOPMAP_DB"),
                        help="SQLAlchemy URL of the database (default: TROOPMAP_DB, else data/troopmap.db)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                       help="worker processes of the local Dask cluster (default: one per core)")
    where.add_argument("--scheduler", metavar="ADDRESS", help="an existing Dask scheduler, e.g. tcp://10.0.0.5:8786")
    parser.add_argument("--lang", help="read every article in this language instead of detecting it")
    parser.add_argument("--published", help="publication date (YYYY-MM-DD) for articles that carry none")
    parser.add_argument("--engine", choices=("model", "rules"))
    parser.add_argument("--resume", action="store_true",
                        help="skip articles an earlier run stored or recorded as failed, without reading them")
    parser.add_argument("--article-seconds", type=float, default=ARTICLE_SECONDS,
                        help=f"time budget of one article (default {ARTICLE_SECONDS:g}, TROOPMAP_ARTICLE_SECONDS)")
    parser.add_argument("--failures", metavar="FILE", default="ingest-failures.tsv",
                        help="where to list the articles that failed, with reasons (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=argparse.SUPPRESS)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar (logs, CI)")
    args = parser.parse_args(argv)

    from tqdm import tqdm

    from storage import Storage, StorageError
    try:
        storage = Storage(args.db)
    except StorageError as error:
        print(f"database: {error}", file=sys.stderr)
        return 2
    options = Options(db_url=args.db or storage.engine.url.render_as_string(hide_password=False),
                      lang=args.lang, published=args.published, engine=args.engine,
                      budget=args.article_seconds, store_on_workers=not storage.is_sqlite)
    try:
        total = count(args.sources)
        items = source_items(args.sources)
        done = storage.done_sources() if args.resume else set()
        client, cluster = _client(args)
    except SourceError as error:
        print(error, file=sys.stderr)
        return 2
    dashboard = client.dashboard_link if importlib.util.find_spec("bokeh") else None
    print(f"Dask: {client.scheduler.address}, {len(client.scheduler_info()['workers'])} workers; dashboard: "
          + (dashboard or "unavailable (install bokeh for one; troopmap does not ship it)"), file=sys.stderr)
    started = time.monotonic()
    with tqdm(total=total, unit=" articles", disable=args.no_progress, file=sys.stderr, smoothing=0.1) as bar:
        skipped: list[str] = []
        items = _skip_done(items, done, skipped, on_skip=lambda: bar.update(1))
        try:
            run = ingest_items(items, client, storage, options,
                               on_report=lambda report: bar.update(1), batch_size=args.batch_size)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    run.skipped = len(skipped)
    recorded = storage.failures()
    earlier = dict(zip(recorded["source"], recorded["reason"]))
    # The file lists every failure of these sources: this run's, and those --resume skipped.
    failures = [(r.label, r.reason) for r in run.failures] + [
        (label, earlier[label]) for label in skipped if label in earlier]
    write_failures(Path(args.failures), failures)
    elapsed = time.monotonic() - started
    print(f"{run} in {elapsed:.0f} s; failures listed in {args.failures}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    # Through the module's own name: tasks defined in __main__ would be shipped to the workers by
    # value, each with a fresh _worker_state, so every batch would start a new reader and reload
    # the models.
    from extract.ingest import main as run
    sys.exit(run())
