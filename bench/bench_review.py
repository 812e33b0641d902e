"""The Review page over a large library: the queue's queries and the whole page, built again.

    python bench/bench_review.py                   # 1,000 articles x 100 rows = 100,000 deployments
    python bench/bench_review.py --articles 100 --rows 20

Rows are made as in bench/bench_storage.py (confidence uniform in 0-1, so about 70 % of them are
under the default threshold). Times, median of 5: Storage.review_progress, Storage.review_queue,
Storage.nearby_events (the Sources panel's merge list), and the Review page built by AppTest after
its first run (the first run reads the article and loads the models once per server; a rerun and
the page after a decision are what an analyst waits for). Target: the page under 1 s.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_storage import article_rows, places, timed  # noqa: E402
from extract.settings import review_threshold  # noqa: E402
from storage import Storage  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=100)
    options = parser.parse_args()
    threshold = review_threshold()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        os.environ["TROOPMAP_DB"] = url
        rng = random.Random(1)
        origins = places(rng, 60, {"base": 0.4, "city": 0.3, "country": 0.3})
        destinations = places(rng, 80, {"country": 0.5, "city": 0.3, "base": 0.1, "region": 0.1})
        with Storage(url) as storage:
            for number in range(options.articles):
                frame = article_rows(rng, origins, destinations, options.rows)
                text = " ".join(f"sentence {n} {'x' * 70}." for n in range(options.rows))
                storage.ingest(f"Benchmark article {number}. {text}", deployments=frame, extractor_version="bench",
                               published="2023-06-01")
            print(f"{options.articles * options.rows:,} deployments stored; threshold {threshold}")
            ms, (checked, total) = timed(lambda: storage.review_progress(threshold))
            print(f"review_progress: {ms:7.1f} ms  ({checked} of {total} checked)")
            ms, queue = timed(lambda: storage.review_queue(threshold, limit=1))
            print(f"review_queue:    {ms:7.1f} ms")
            event_id = int(queue.iloc[0]["event_id"])
            ms, nearby = timed(lambda: storage.nearby_events(event_id))
            print(f"nearby_events:   {ms:7.1f} ms  ({len(nearby)} offered)")

            from streamlit.testing.v1 import AppTest
            app = AppTest.from_file(str(ROOT / "pages" / "4_Review.py"), default_timeout=600)
            began = time.perf_counter()
            app.run()
            print(f"Review page, first run (reads the article, loads models): {time.perf_counter() - began:.2f} s")
            assert not app.exception, [e.value for e in app.exception]
            reruns = []
            for _ in range(5):
                began = time.perf_counter()
                app.run()
                reruns.append(time.perf_counter() - began)
            print(f"Review page, rerun: median {statistics.median(reruns):.2f} s")
            decisions = []
            for _ in range(5):
                began = time.perf_counter()
                app.button(key="review-accept").click().run()
                decisions.append(time.perf_counter() - began)
            print(f"Review page after an accept (the next row, another article): median "
                  f"{statistics.median(decisions):.2f} s")


if __name__ == "__main__":
    main()
