"""The example article's rows are committed (data/examples/seed-fr.rows.json) so a first launch
stores them without loading spaCy; they must be exactly what the extractor reads today."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from storage import Storage
from ui import example

ROOT = Path(__file__).resolve().parents[2]
FIRST_LAUNCH = """
import sys
from streamlit.testing.v1 import AppTest
app = AppTest.from_file("app.py", default_timeout=60).run()
assert not app.exception, [e.value for e in app.exception]
print(sorted(name for name in ("spacy", "extract.pipeline") if name in sys.modules))
"""


def test_the_committed_example_rows_are_what_the_extractor_reads_today():
    committed = json.loads(example.ROWS_PATH.read_text(encoding="utf-8"))
    assert committed == example.read_rows_now(), \
        "the extractor's reading of the example changed: run `python -m ui.example` and commit the file"


def test_a_first_launch_stores_the_committed_rows_without_loading_a_model(fresh_db):
    launch = subprocess.run([sys.executable, "-c", FIRST_LAUNCH], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "TROOPMAP_DB": fresh_db}, timeout=120)
    assert launch.returncode == 0, launch.stderr
    assert launch.stdout.strip().splitlines()[-1] == "[]"   # neither spaCy nor the pipeline was imported
    stored = Storage(fresh_db).deployments()
    committed = example.committed_rows()
    assert sorted((r["origin"], r["destination"], r["headcount"]) for r in committed["rows"]) == \
        sorted(zip(stored["origin"], stored["destination"], stored["headcount"]))
    assert set(stored["extractor_version"]) == {committed["extractor_version"]}
