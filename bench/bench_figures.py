"""How long the Map and Charts pages take to build with 100,000 stored movements.

    python bench/bench_figures.py [--rows 100000] [--db sqlite:////tmp/big.db] [--before]

Synthetic deployments use real coordinates from the gazetteer in data/ (installations as
origins, countries' representative points as origins and destinations), about a tenth of them
carrying one figure shared between two places. They are stored with the real Storage (about
4 minutes for 100,000 rows; ``--db`` reuses a database this script filled before), then each
page is built as it is in the app: its queries (storage/views.py, aggregated in the database)
and its figures serialised as Streamlit sends them (Deck JSON, plotly JSON). Target: each page
under 1 s. ``--before`` also times the former way (every event read into pandas, one arc per
event), once.
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
from storage import Storage, views  # noqa: E402
from storage.views import Selection  # noqa: E402
from ui.figures import all_charts, build_map, compact_countries, flows_for_map, library_charts  # noqa: E402
from ui.filtering import Filters, apply_filters  # noqa: E402
from ui.tables import prepare_events, with_article_dates  # noqa: E402

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


def map_page(store: Storage, selection: Selection, countries: dict, installations: pd.DataFrame,
             points: pd.DataFrame, level: str = "place") -> int:
    """What pages/1_Map.py asks and draws for ``selection`` (the timeline off)."""
    views.summary(store, selection)
    arcs = flows_for_map(views.flows(store, selection, level=level, colour_by="force", limit=1500), level, "force",
                         points, {})
    views.count_routes(store, selection, level=level)
    table = prepare_events(views.events_table(store, selection, limit=500))
    deck = build_map(arcs, countries, installations, colour_by="force")
    return len(deck.to_json()) + len(table)


def charts_page(store: Storage, selection: Selection) -> int:
    """What pages/2_Charts.py asks and draws."""
    views.summary(store, selection)
    charts = library_charts(lambda name, **kwargs: getattr(views, name)(store, selection, **kwargs))
    return sum(len(figure.to_json()) for figure in charts.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", help="a database this script filled before (default: a new one in a temporary folder)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", action="store_true", help="also time the former pandas way, once")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        if args.db:
            store = Storage(args.db)
        else:
            began = time.perf_counter()
            store = store_synthetic(f"sqlite:///{tmp}/bench.db", args.rows)
            print(f"stored {args.rows:,} deployments: {time.perf_counter() - began:.0f} s (setup, not timed)")
        print(f"{views.summary(store, Selection())['events']:,} events stored")
        countries = compact_countries(json.loads((DATA / "countries.geojson").read_text(encoding="utf-8")),
                                      borders=pd.read_csv(DATA / "borders.csv", keep_default_na=False))
        installations = pd.read_csv(DATA / "installations.csv")
        points = pd.read_csv(DATA / "countries.csv", keep_default_na=False, na_values=[""],
                             usecols=["iso2", "lat", "lon"]).dropna()

        timed("sidebar: filter options", lambda: views.filter_options(store), args.repeat)
        results = {}
        for label, selection in [("everything", Selection()),
                                 ("force US + GB, deployed/arrived", Selection(forces=("US", "GB"),
                                                                               statuses=("deployed", "arrived"))),
                                 ("one month (a timeline step)", Selection(since="2023-01-01", until="2023-01-31"))]:
            _, results[f"Map, {label}"] = timed(
                f"Map page, {label}", lambda: map_page(store, selection, countries, installations, points), args.repeat)
            _, results[f"Map by country, {label}"] = timed(
                f"Map page by country, {label}",
                lambda: map_page(store, selection, countries, installations, points, "country"), args.repeat)
            _, results[f"Charts, {label}"] = timed(f"Charts page, {label}", lambda: charts_page(store, selection),
                                                   args.repeat)
        worst = max(results.values())
        print(f"slowest page build: {worst:.2f} s (target < 1 s: {'met' if worst < 1 else 'NOT met'})")

        if args.before:
            events, _ = timed("before: load every event (Storage.events + join)",
                              lambda: with_article_dates(store.events(), store.articles()), 1)
            shown = apply_filters(events, Filters())
            timed("before: Map, one arc per event + to_json",
                  lambda: len(build_map(shown, countries, installations, colour_by="force").to_json()), 1)
            timed("before: Charts, 6 figures from every event + to_json",
                  lambda: sum(len(f.to_json()) for f in all_charts(shown).values()), 1)
        store.close()


if __name__ == "__main__":
    main()
