"""The land the maps draw is committed (data/countries.map.json and .preview.json, ui/land.py) so that a first launch
neither imports shapely nor simplifies 236 countries; it must be what the source data gives today."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ui import land

ROOT = Path(__file__).resolve().parents[2]
FIRST_LAUNCH = """
import json, sys
from streamlit.testing.v1 import AppTest
app = AppTest.from_file("app.py", default_timeout=60).run()
assert not app.exception, [e.value for e in app.exception]
assert json.loads(app.get("bidi_component")[0].proto.json)["svg"].startswith('<svg class="tm-map"'), "no map"
print(sorted(name for name in ("shapely", "alembic") if name in sys.modules))
"""


@pytest.mark.parametrize("detail", list(land.DETAILS))
def test_the_committed_land_is_what_the_source_data_gives_today(detail):
    path = land.DETAILS[detail][0]
    assert path.read_text(encoding="utf-8") == land.serialise(land.compute(detail)), \
        "data/countries.geojson, data/borders.csv or ui.figures.compact_countries changed: run `python -m ui.land`"


def test_the_preview_land_is_lighter_and_covers_the_same_countries():
    fine, preview, overview = land.load("map"), land.load("preview"), land.load("overview")
    codes = [f["properties"]["ISO_A2"] for f in fine["features"]]
    assert [f["properties"]["ISO_A2"] for f in preview["features"]] == codes
    assert [f["properties"]["ISO_A2"] for f in overview["features"]] == codes
    assert all(f["geometry"]["coordinates"] for f in overview["features"])    # no country simplified away
    assert len(land.serialise(overview)) < 0.8 * len(land.serialise(preview)) < 0.6 * len(land.serialise(fine))


def test_home_draws_the_coarse_land_only_for_a_map_fitted_far_out():
    from ui.figures import fitted_zoom

    def zoom(origin, destination):
        return fitted_zoom(pd.DataFrame([{"origin_lat": origin[0], "origin_lon": origin[1], "destination_lat":
                                          destination[0], "destination_lon": destination[1], "allocated": 100}]), 340, 380)
    fort_bragg, poland, lithuania = (35.1, -79.0), (52.2, 21.0), (54.7, 25.3)
    assert land.preview_detail(zoom(fort_bragg, poland)) == "overview"      # the example: ocean-wide
    assert land.preview_detail(zoom(poland, lithuania)) == "preview"        # a short move: outlines show


def test_the_map_page_draws_its_finest_land_unless_fitted_far_out(fresh_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    def land_decimals(app) -> int:
        """The most decimals of the land's coordinates the page sent (preview 1, map 2)."""
        spec = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
        countries = next(layer for layer in spec["layers"] if layer["id"] == "countries")["data"]
        return max(len(number.split(".")[1]) for number in re.findall(r"-?\d+\.\d+", json.dumps(countries["features"])))

    monkeypatch.setenv("TROOPMAP_DB", fresh_db)
    AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()          # stores the example
    app = AppTest.from_file(str(ROOT / "pages" / "1_Map.py"), default_timeout=60).run()
    assert land_decimals(app) == 1         # Fort Bragg to Europe: fitted to an ocean-wide view
    app.multiselect(key="map-country").set_value(["RO"]).run()
    assert land_decimals(app) == 2         # Germany → Romania alone: a region, where analysts zoom in


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
