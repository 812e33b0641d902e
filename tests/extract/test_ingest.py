"""python -m extract.ingest on a real Dask cluster (issue 13): no mocks, real processes on loopback.

Small articles keep these quick; each worker still loads the real English pipeline once.
"""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage import Storage

ROOT = Path(__file__).resolve().parents[2]
ENV = dict(os.environ, PYTHONPATH=str(ROOT), TROOPMAP_ARTICLE_SECONDS="60")
PG_URL = os.environ.get("TROOPMAP_TEST_PG_URL")
PLACES = ["Poland", "Romania", "Lithuania", "Estonia", "Latvia", "Slovakia", "Hungary", "Bulgaria"]


def article(n: int) -> str:
    """A short article with exactly one movement; n makes every text (and its hash) different."""
    return (f"Troops for {PLACES[n % len(PLACES)]}\n\n"
            f"The Pentagon said {100 + n} soldiers will be sent from Germany to {PLACES[n % len(PLACES)]}.\n")


def write_folder(folder: Path, n: int) -> Path:
    for i in range(n):
        sub = folder / f"part{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"a{i:03}.txt").write_text(article(i), encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    return folder


def ingest(*args, cwd: Path, wait: bool = True):
    command = [sys.executable, "-m", "extract.ingest", *map(str, args), "--no-progress"]
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    if not wait:
        return process
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return err


def counts(url: str) -> tuple[int, int, int]:
    """Articles, live deployment rows, and the most rows any one article has."""
    with Storage(url) as storage:
        articles, rows = storage.articles(), storage.deployments()
    most = int(rows.groupby("article_id").size().max()) if len(rows) else 0
    return len(articles), len(rows), most


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def dask_cluster(tmp_path):
    """A scheduler and two workers, each its own process from the dask CLI, on 127.0.0.1."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    started = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                 "--port", str(port), "--no-dashboard"], cwd=tmp_path, env=ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    try:
        for _ in range(2):
            started.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "1", "--nthreads", "1",
                 "--host", "127.0.0.1", "--no-dashboard"], cwd=tmp_path, env=ENV,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        from distributed import Client
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        yield address, started[1:]
    finally:
        for process in reversed(started):
            stop(process)


def test_a_scheduler_and_two_workers_ingest_a_folder_and_a_dead_worker_loses_nothing(tmp_path, dask_cluster):
    address, workers = dask_cluster
    folder = write_folder(tmp_path / "news", 24)
    url = f"sqlite:///{tmp_path / 'library.db'}"
    failures = tmp_path / "failures.tsv"
    run = ingest(folder, "--db", url, "--scheduler", address, "--failures", failures, "--batch-size", "2",
                 "--lang", "en", cwd=tmp_path, wait=False)
    # Kill one worker with SIGKILL once the run is under way: the scheduler gives its batches to the other.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not (tmp_path / "library.db").exists() or counts(url)[0] < 2):
        time.sleep(0.5)
    os.killpg(workers[0].pid, signal.SIGKILL)
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert counts(url) == (24, 24, 1)
    assert "failed 1" in err
    listed = failures.read_text(encoding="utf-8").splitlines()
    assert listed[0] == "source\treason" and len(listed) == 2 and "broken.pdf" in listed[1]
    with Storage(url) as storage:
        assert list(storage.failures()["source"]) == [str(folder / "broken.pdf")]


def test_a_run_killed_halfway_and_resumed_stores_each_article_once(tmp_path):
    folder = write_folder(tmp_path / "news", 60)
    url = f"sqlite:///{tmp_path / 'library.db'}"
    run = ingest(folder, "--db", url, "--workers", "2", "--batch-size", "2", "--lang", "en", cwd=tmp_path, wait=False)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and (not (tmp_path / "library.db").exists() or counts(url)[0] < 6):
        time.sleep(0.3)
    os.killpg(run.pid, signal.SIGKILL)     # the client and its local cluster, all at once
    run.wait()
    halfway = counts(url)[0]
    assert 6 <= halfway < 60, "the run was not stopped halfway"
    err = ingest(folder, "--db", url, "--workers", "2", "--lang", "en", "--resume", cwd=tmp_path)
    assert counts(url) == (60, 60, 1)
    summary = re.search(r"stored (\d+), already there (\d+), failed (\d+), skipped \(done before\) (\d+)", err)
    stored, already, failed, skipped = map(int, summary.groups())
    # Only what the killed run had not finished is read again; the broken PDF fails once either way.
    assert stored == 60 - halfway and already == 0 and stored + failed + skipped == 61
    assert "broken.pdf" in (tmp_path / "ingest-failures.tsv").read_text(encoding="utf-8")


@pytest.mark.skipif(not PG_URL, reason="TROOPMAP_TEST_PG_URL not set: no PostgreSQL server")
def test_workers_store_concurrently_into_postgresql(tmp_path):
    name = f"troopmap_ingest_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        archive = tmp_path / "news.zip"
        with zipfile.ZipFile(archive, "w") as zipped:
            for i in range(8):
                zipped.writestr(f"wire/{i:03}.txt", article(i))
        table = tmp_path / "feed.jsonl"
        table.write_text("\n".join(json.dumps({"url": f"https://example.org/{i}", "title": f"T{i}", "text": article(i)})
                                   for i in range(4, 12)) + "\n{not json\n", encoding="utf-8")
        err = ingest(archive, table, "--db", url, "--workers", "2", "--batch-size", "2", "--lang", "en", cwd=tmp_path)
        # 8 + 8 articles, 4 of them the same text twice: 12 stored, 4 already there, the broken line failed.
        assert "stored 12, already there 4, failed 1" in err
        assert counts(url) == (12, 12, 1)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_an_article_past_its_time_budget_fails_alone_and_its_batch_is_read():
    from extract.reader_process import ReaderProcess, read_within_budget
    from extract.sources import Item

    slow = "Troops: " + ", ".join(f"{i} soldiers" for i in range(100, 20_100)) + " were sent to Poland."
    batch = [Item("quick-1", text=article(1)), Item("slow", text=slow), Item("quick-2", text=article(2))]
    reader = ReaderProcess()
    try:
        started = time.monotonic()
        outcomes = read_within_budget(reader, batch, "en", None, "rules", budget=5)
        elapsed = time.monotonic() - started
    finally:
        reader.stop()
    assert [o.label for o in outcomes] == ["quick-1", "slow", "quick-2"]
    assert "longer than the 5 s budget" in outcomes[1].reason
    for quick in (outcomes[0], outcomes[2]):
        assert quick.reason is None and list(quick.frame["destination"]) == [PLACES[int(quick.label[-1])]]
    assert elapsed < 120
