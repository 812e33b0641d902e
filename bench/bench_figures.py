"""How long the Map and Charts pages take to build their figures for 5,000 stored deployments.

    python bench/bench_figures.py [--rows 5000] [--repeat 3]

Synthetic deployments use real coordinates from the gazetteer in data/ (installations as
origins, countries' representative points as origins and destinations), about a tenth of them
carrying one figure shared between two places. They are stored in a temporary SQLite file
with the real Storage, read back as events, and then every figure of the two pages is built
and serialised as Streamlit would send it (Deck JSON, plotly JSON). Target: figures < 2 s.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extract.schema import COLUMNS, STATUSES  # noqa: E402
from storage import Storage  # noqa: E402
from ui.figures import all_charts, build_map, compact_countries  # noqa: E402
from ui.filtering import Filters, apply_filters  # noqa: E402
from ui.tables import with_article_dates  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "data"
FORCES = ["US", "GB", "FR", "DE", "PL", "RU", "CN", "TR", "IT", "CA"]


def synthetic_deployments(n_rows: int, n_articles: int, seed: int = 7) -> list[pd.DataFrame]:
    """``n_rows`` plausible rows spread over ``n_articles`` articles, with real coordinates."""
    rng = np.random.default_rng(seed)
    bases = pd.read_csv(DATA / "installations.csv").dropna(subset=["lat", "lon"])
    countries = pd.read_csv(DATA / "countries.csv", keep_default_na=False, na_values=[""]).dropna(subset=["lat", "lon"])
    places = pd.concat([
        pd.DataFrame({"name": bases["name"], "country": bases["country"], "lat": bases["lat"], "lon": bases["lon"], "kind": "base"}),
        pd.DataFrame({"name": countries["name"], "country": countries["iso2"], "lat": countries["lat"], "lon": countries["lon"], "kind": "country"}),
    ], ignore_index=True)
    country_places = places[places["kind"] == "country"].reset_index(drop=True)
    rows = []
    start = pd.Timestamp("2022-01-01")
    while len(rows) < n_rows:
        origin = places.iloc[int(rng.integers(len(places)))]
        shared = rng.random() < 0.1
        destinations = [country_places.iloc[int(rng.integers(len(country_places)))] for _ in range(2 if shared else 1)]
        headcount = int(rng.choice([100, 250, 500, 800, 1000, 1500, 2000, 3000, 5000, 10000]))
        no_origin = rng.random() < 0.05
        date = (start + pd.Timedelta(days=int(rng.integers(0, 1000)))).date().isoformat()
        group = f"g{len(rows)}" if shared else None
        force = FORCES[int(rng.integers(len(FORCES)))]
        for position, destination in enumerate(destinations):
            rows.append({
                "origin": None if no_origin else origin["name"],
                "origin_country": None if no_origin else origin["country"],
                "origin_lat": None if no_origin else float(origin["lat"]),
                "origin_lon": None if no_origin else float(origin["lon"]),
                "origin_kind": None if no_origin else origin["kind"],
                "destination": destination["name"], "destination_country": destination["country"],
                "destination_lat": float(destination["lat"]), "destination_lon": float(destination["lon"]),
                "destination_kind": "country", "headcount": headcount, "headcount_shared": shared,
                "headcount_group": group, "counted": position == 0,
                "status": STATUSES[int(rng.integers(len(STATUSES)))], "force": force,
                "unit": f"{int(rng.integers(1, 120))}th Brigade", "date": date, "confidence": 0.8,
                "evidence": f"{headcount:,} troops of {force} to {destination['name']}.", "lang": "en",
            })
    frame = pd.DataFrame(rows[:n_rows], columns=list(COLUMNS))
    bounds = np.linspace(0, len(frame), n_articles + 1).astype(int)
    return [frame.iloc[a:b].reset_index(drop=True) for a, b in zip(bounds[:-1], bounds[1:])]


def store_synthetic(url: str, n_rows: int, n_articles: int | None = None) -> Storage:
    """A database at ``url`` holding ``n_rows`` synthetic deployments (one article per 100 rows)."""
    store = Storage(url)
    n_articles = n_articles or max(1, n_rows // 100)
    for number, frame in enumerate(synthetic_deployments(n_rows, n_articles)):
        store.ingest(f"synthetic article {number}", deployments=frame, title=f"Article {number}",
                     published=frame["date"].iloc[0], extractor_version="bench")
    return store


def timed(label: str, func, repeat: int):
    best, result = float("inf"), None
    for _ in range(repeat):
        began = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - began)
    print(f"{label:<52} {best * 1000:8.0f} ms")
    return result, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--articles", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        store = Storage(f"sqlite:///{tmp}/bench.db")
        began = time.perf_counter()
        for number, frame in enumerate(synthetic_deployments(args.rows, args.articles)):
            store.ingest(f"synthetic article {number}", deployments=frame, title=f"Article {number}",
                         published=frame["date"].iloc[0], extractor_version="bench")
        print(f"stored {args.rows:,} deployments in {args.articles} articles: {time.perf_counter() - began:.1f} s (setup, not timed)")

        events, load_time = timed("load events from storage (Storage.events + join)",
                                  lambda: with_article_dates(store.events(), store.articles()), args.repeat)
        print(f"  {len(events):,} events")
        countries = compact_countries(json.loads((DATA / "countries.geojson").read_text(encoding="utf-8")))
        installations = pd.read_csv(DATA / "installations.csv")

        shown = apply_filters(events, Filters())
        _, map_time = timed("Map page: build Deck + to_json",
                            lambda: len(build_map(shown, countries, installations, colour_by="force").to_json()),
                            args.repeat)
        _, charts_time = timed("Charts page: 6 plotly figures + to_json",
                               lambda: sum(len(f.to_json()) for f in all_charts(shown).values()), args.repeat)
        filtered = Filters(forces=["US", "GB"], statuses=["deployed", "arrived"])
        timed("filters (force + status)", lambda: apply_filters(events, filtered), args.repeat)
        store.close()
    figures = map_time + charts_time
    print(f"figures total (Map + Charts): {figures:.2f} s  (target < 2 s: {'met' if figures < 2 else 'NOT met'})")
    print(f"with loading from the database: {figures + load_time:.2f} s")


if __name__ == "__main__":
    main()
