"""The land the maps draw: data/countries.geojson made light for the browser, computed ahead.

:func:`ui.figures.compact_countries` (simplified outlines, rounded coordinates, a tone per country
so that neighbours differ) takes about 0.3 s with shapely's import, a third of the Home page's own
work on a first launch, and its answer only changes with the data or the function. So it is
committed, in three details, and read as it is:

- ``map`` (``data/countries.map.json``, 0.05°, 2 decimals, 0.47 MB): the Map page, where analysts
  zoom in;
- ``preview`` (``data/countries.preview.json``, 0.2°, 1 decimal, 0.21 MB): Home's small map of one
  article. In Chromium without a GPU, half the vertices took about 0.4 s off the browser's work
  before the example's map shows on a first launch (deck.gl cuts every polygon into triangles);
- ``overview`` (``data/countries.overview.json``, 0.5°, 1 decimal, 0.16 MB): the same map when it
  is fitted to a world or continent view (zoom under 2, :func:`preview_detail`), as for the example
  (Fort Bragg to Europe): a third fewer vertices again, launch → the example's map 4.03–4.44 s →
  3.67–3.82 s (``bench/bench_browser.py``, alternated), with no difference to see at that zoom.

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
# Home's small map shows the coarsest land when it is fitted to a world or continent view: under
# zoom 2 a degree is at most 5.7 pixels wide, so a 0.5° outline is off by 3 pixels at most.
OVERVIEW_MAX_ZOOM = 2.0


def preview_detail(zoom: float) -> str:
    """The land detail for Home's small map at this zoom: "overview" far out, else "preview"."""
    return "overview" if zoom < OVERVIEW_MAX_ZOOM else "preview"


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
