"""The land the maps draw: data/countries.geojson made light for the browser, computed ahead.

:func:`ui.figures.compact_countries` (simplified outlines, rounded coordinates, a tone per country
so that neighbours differ) takes about 0.3 s with shapely's import, a third of the Home page's own
work on a first launch, and its answer only changes with the data or the function. So it is
committed as ``data/countries.map.json`` and read as it is; ``tests/ui/test_land.py`` fails when
the file is stale. After changing either, rebuild it:

    python -m ui.land            # rewrites data/countries.map.json

No Streamlit and no shapely at import.
"""
from __future__ import annotations

import json
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_PATH = REPO_ROOT / "data" / "countries.geojson"
BORDERS_PATH = REPO_ROOT / "data" / "borders.csv"
LAND_PATH = REPO_ROOT / "data" / "countries.map.json"


def compute() -> dict:
    """The land as the maps draw it, from the source data (imports shapely)."""
    import pandas as pd

    from ui.figures import compact_countries
    source = json.loads(SOURCE_PATH.read_text(encoding="utf-8"))
    return compact_countries(source, borders=pd.read_csv(BORDERS_PATH, keep_default_na=False))


def load() -> dict:
    """The committed land; computed from the source when the file is missing or unreadable."""
    try:
        land = json.loads(LAND_PATH.read_text(encoding="utf-8"))
        if isinstance(land.get("features"), list):
            return land
    except (OSError, ValueError, AttributeError):
        pass
    return compute()


def serialise(land: dict) -> str:
    return json.dumps(land, ensure_ascii=False, separators=(",", ":")) + "\n"


def main() -> None:
    land = compute()
    LAND_PATH.write_text(serialise(land), encoding="utf-8")
    print(f"{LAND_PATH.relative_to(REPO_ROOT)}: {len(land['features'])} countries, "
          f"{LAND_PATH.stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
