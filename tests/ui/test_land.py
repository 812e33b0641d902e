"""The land the maps draw is committed (data/countries.map.json and .preview.json, ui/land.py) so that a first launch
neither imports shapely nor simplifies 236 countries; it must be what the source data gives today."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui import land

ROOT = Path(__file__).resolve().parents[2]
FIRST_LAUNCH = """
import sys
from streamlit.testing.v1 import AppTest
app = AppTest.from_file("app.py", default_timeout=60).run()
assert not app.exception, [e.value for e in app.exception]
assert app.get("deck_gl_json_chart"), "no map on the first launch"
print(sorted(name for name in ("shapely", "alembic") if name in sys.modules))
"""


@pytest.mark.parametrize("detail", list(land.DETAILS))
def test_the_committed_land_is_what_the_source_data_gives_today(detail):
    path = land.DETAILS[detail][0]
    assert path.read_text(encoding="utf-8") == land.serialise(land.compute(detail)), \
        "data/countries.geojson, data/borders.csv or ui.figures.compact_countries changed: run `python -m ui.land`"


def test_the_preview_land_is_lighter_and_covers_the_same_countries():
    fine, preview = land.load("map"), land.load("preview")
    assert [f["properties"]["ISO_A2"] for f in preview["features"]] == [f["properties"]["ISO_A2"]
                                                                         for f in fine["features"]]
    assert len(land.serialise(preview)) < 0.6 * len(land.serialise(fine))


def test_a_missing_land_file_is_computed_instead(tmp_path, monkeypatch):
    monkeypatch.setitem(land.DETAILS, "map", (tmp_path / "missing.json", *land.DETAILS["map"][1:]))
    assert land.load("map") == land.compute("map")


def test_a_first_launch_draws_the_example_map_without_shapely_or_alembic(fresh_db):
    """What the first launch must not pay for: the land's simplification and the migrations'
    library (a new database is written from the models)."""
    launch = subprocess.run([sys.executable, "-c", FIRST_LAUNCH], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "TROOPMAP_DB": fresh_db}, timeout=120)
    assert launch.returncode == 0, launch.stderr
    assert launch.stdout.strip().splitlines()[-1] == "[]"
