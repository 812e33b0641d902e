"""Storage benchmark: ingest 1,000 articles' rows, then time the map's aggregate query.

    python bench/bench_storage.py                      # 1,000 articles x 100 rows = 100,000 deployments
    python bench/bench_storage.py --articles 200 --rows 20 --db sqlite:////tmp/b.db

Every row goes through Storage.ingest (one transaction per article, events assigned on
write), so the aggregate is timed over what a real library would hold. Target: the
aggregate (Storage.flows) under 300 ms on SQLite over 100,000 deployments.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extract.schema import COLUMNS, STATUSES  # noqa: E402
from storage import Storage  # noqa: E402

FORCES = ["US", "GB", "FR", "DE", "PL", "RU", "UA", "IT", "ES", "NL", "CA", "TR", "BY", "RO", "LT"]


def places(rng: random.Random, count: int, kind_weights: dict[str, float]) -> list[dict]:
    kinds = list(kind_weights)
    pool = []
    for number in range(count):
        kind = rng.choices(kinds, weights=list(kind_weights.values()))[0]
        pool.append(dict(name=f"Place {number}", country=None if kind == "region" else rng.choice(FORCES),
                         lat=rng.uniform(35, 60), lon=rng.uniform(-10, 40), kind=kind))
    return pool


def article_rows(rng: random.Random, origins: list[dict], destinations: list[dict], count: int) -> pd.DataFrame:
    rows = []
    for number in range(count):
        origin, destination = rng.choice(origins + [None]), rng.choice(destinations)
        day = pd.Timestamp("2022-01-01") + pd.Timedelta(days=rng.randrange(3 * 365))
        row = dict.fromkeys(COLUMNS)
        if origin:
            row.update(origin=origin["name"], origin_country=origin["country"], origin_lat=origin["lat"],
                       origin_lon=origin["lon"], origin_kind=origin["kind"])
        row.update(destination=destination["name"], destination_country=destination["country"],
                   destination_lat=destination["lat"], destination_lon=destination["lon"],
                   destination_kind=destination["kind"], force=rng.choice(FORCES),
                   headcount=int(10 ** rng.uniform(1.7, 4.3)) if rng.random() < 0.8 else None,
                   headcount_shared=False, counted=rng.random() < 0.9, status=rng.choice(STATUSES),
                   evidence=f"sentence {number}", confidence=rng.random(), start=number * 100,
                   end=number * 100 + 80, date=day.date().isoformat() if rng.random() < 0.7 else None)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def timed(action, repeat: int = 5) -> tuple[float, object]:
    """Median wall time in ms over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=100, help="deployment rows per article")
    parser.add_argument("--db", help="database URL (default: a new SQLite file in a temporary folder)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = options.db or f"sqlite:///{Path(folder) / 'bench.db'}"
        rng = random.Random(1)
        origins = places(rng, 60, {"base": 0.4, "city": 0.3, "country": 0.3})
        destinations = places(rng, 80, {"country": 0.5, "city": 0.3, "base": 0.1, "region": 0.1})
        frames = [article_rows(rng, origins, destinations, options.rows) for _ in range(options.articles)]

        with Storage(url) as storage:
            began = time.perf_counter()
            for number, frame in enumerate(frames):
                storage.ingest(f"Benchmark article {number}.", deployments=frame, extractor_version="bench",
                               published="2023-06-01")
            ingest_seconds = time.perf_counter() - began
            n_rows = options.articles * options.rows
            n_events = storage.flows()["n_events"].sum()
            print(f"database: {storage.url}")
            print(f"ingest: {options.articles} articles, {n_rows} deployments in {ingest_seconds:.1f} s "
                  f"({ingest_seconds / options.articles * 1000:.1f} ms per article, "
                  f"{n_rows / ingest_seconds:.0f} rows/s); {n_events} events")

            print("aggregate query for the map (Storage.flows), median of 5:")
            for label, filters in [
                ("all", {}),
                ("date range 2023", dict(start="2023-01-01", end="2023-12-31")),
                ("force US", dict(forces=["US"])),
                ("status deployed/arrived", dict(statuses=["deployed", "arrived"])),
                ("all three filters", dict(start="2023-01-01", end="2023-12-31", forces=["US", "GB"],
                                           statuses=["deployed", "arrived"])),
            ]:
                ms, flows = timed(lambda: storage.flows(**filters))
                verdict = "ok" if ms < 300 else "OVER 300 ms"
                print(f"  {label:26s} {ms:7.1f} ms  {len(flows):5d} pairs  "
                      f"{int(flows['headcount'].sum()):>10,d} troops  {verdict}")
            ms, _ = timed(storage.deployments, repeat=3)
            print(f"deployments() full table: {ms:.0f} ms")
            ms, events = timed(storage.events, repeat=3)
            print(f"events() full table with sources: {ms:.0f} ms ({len(events)} events)")


if __name__ == "__main__":
    main()
