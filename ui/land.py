"""The land the maps draw: data/countries.geojson made light for the browser, computed ahead.

:func:`ui.figures.compact_countries` (simplified outlines, rounded coordinates, a tone per country
so that neighbours differ) takes about 0.3 s with shapely's import, a third of the Home page's own
work on a first launch, and its answer only changes with the data or the function. So it is
committed, in three details, and read as it is:

- ``map`` (``data/countries.map.json``, 0.05°, 2 decimals, 0.47 MB): the Map page, where analysts
  zoom in, when its view is fitted close (:func:`map_detail`);
- ``preview`` (``data/countries.preview.json``, 0.2°, 1 decimal, 0.21 MB): Home's small map of one
  article, and the Map page fitted to a world or continent view (zoom under 3.4). In Chromium
  without a GPU, deck.gl parses the map's JSON with a JavaScript parser and cuts every polygon
  into triangles: the Map page's first visit with the example took 1.78 s with this land against
  1.99 s with ``map`` (medians of 9 runs, alternated);
- ``overview`` (``data/countries.overview.json``, 0.5°, 1 decimal, 0.16 MB): Home's map when it
  is fitted to a world or continent view (zoom under 2.08, :func:`preview_detail`), as for the
  example (Fort Bragg to Europe): fewer points for the page to draw, none off by 3 pixels.

``tests/ui/test_land.py`` fails when a file is stale. After changing the data or the function:

    python -m ui.land            # rewrites the three files

No Streamlit and no shapely at import.
"""
from __future__ import annotations

import json
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_PATH = REPO_ROOT / "data" / "countries.geojson"
BORDERS_PATH = REPO_ROOT / "data" / "borders.csv"
# detail -> (file, simplification in degrees, decimals kept)
DETAILS = {
    "map": (REPO_ROOT / "data" / "countries.map.json", 0.05, 2),
    "preview": (REPO_ROOT / "data" / "countries.preview.json", 0.2, 1),
    "overview": (REPO_ROOT / "data" / "countries.overview.json", 0.5, 1),
}
# A map draws the coarsest land it is given whose outlines are off by at most this many pixels at
# its zoom (the world is 512 * 2**zoom pixels wide): 0.5° under zoom 2.08, 0.2° under 3.4.
PIXEL_TOLERANCE = 3.0


def coarsest_detail(zoom: float, details: tuple[str, ...]) -> str:
    """Of ``details`` (coarse to fine), the first whose simplification stays within PIXEL_TOLERANCE
    at ``zoom``; the finest when none does."""
    pixels_per_degree = 512 * 2 ** zoom / 360
    return next((d for d in details if DETAILS[d][1] * pixels_per_degree <= PIXEL_TOLERANCE), details[-1])


def preview_detail(zoom: float) -> str:
    """The land of Home's small map at this zoom: "overview" far out, else "preview"."""
    return coarsest_detail(zoom, ("overview", "preview"))


def map_detail(zoom: float) -> str:
    """The land of the Map page fitted at this zoom: "preview" out to a continent, else "map". Never
    "overview": analysts zoom in from the fitted view, and a 0.5° coast shows at once."""
    return coarsest_detail(zoom, ("preview", "map"))


def compute(detail: str = "map") -> dict:
    """The land as the maps draw it, from the source data (imports shapely)."""
    import pandas as pd

    from ui.figures import compact_countries
    _path, tolerance, digits = DETAILS[detail]
    source = json.loads(SOURCE_PATH.read_text(encoding="utf-8"))
    return compact_countries(source, digits=digits, tolerance=tolerance,
                             borders=pd.read_csv(BORDERS_PATH, keep_default_na=False))


def load(detail: str = "map") -> dict:
    """The committed land; computed from the source when the file is missing or unreadable."""
    try:
        land = json.loads(DETAILS[detail][0].read_text(encoding="utf-8"))
        if isinstance(land.get("features"), list):
            return land
    except (OSError, ValueError, AttributeError):
        pass
    return compute(detail)


def serialise(land: dict) -> str:
    return json.dumps(land, ensure_ascii=False, separators=(",", ":")) + "\n"


def main() -> None:
    for detail, (path, _tolerance, _digits) in DETAILS.items():
        land = compute(detail)
        path.write_text(serialise(land), encoding="utf-8")
        print(f"{path.relative_to(REPO_ROOT)} ({detail}): {len(land['features'])} countries, "
              f"{path.stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
