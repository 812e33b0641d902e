"""Check answer keys against the format of ../shared/eval/README.md and the annotation guide.

    python corpus/tools/check_keys.py corpus/train corpus/valid bench/blind3

Prints one line per problem ("ID: what is wrong") and exits 1 when there is any. The test suite
runs the same checks (tests/test_corpus_keys.py), so a writer sees a failure before CI does.
"""
from __future__ import annotations

import csv
import json
import sys
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"
KINDS = {"country", "region", "city", "base"}
STATUSES = {"announced", "ordered", "deployed", "arrived", "withdrawn", "alert", "other"}
LANGS = {"en", "fr", "de", "es"}
# Simplified shapes and coastal bases: a point this far outside its country's outline is still fine.
TOLERANCE_DEG = 0.6


@lru_cache(maxsize=1)
def countries() -> dict[str, tuple[float, float, float, float]]:
    """ISO alpha-2 code -> bounding box (south, west, north, east)."""
    out = {}
    with open(DATA / "countries.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            box = [float(x) for x in row["bbox"].split()]
            lat, lon = float(row["lat"]), float(row["lon"])
            out[row["iso2"]] = tuple(box) if len(box) == 4 else (lat - 1, lon - 1, lat + 1, lon + 1)
    # Codes ISO 3166-1 assigns that a key may use though the gazetteer has no shape for them.
    out.setdefault("XK", (41.85, 20.0, 43.27, 21.8))
    return out


@lru_cache(maxsize=1)
def shapes() -> dict:
    from shapely.geometry import shape

    features = json.loads((DATA / "countries.geojson").read_text(encoding="utf-8"))["features"]
    return {f["properties"]["ISO_A2"]: shape(f["geometry"]) for f in features}


def inside(code: str, lat: float, lon: float) -> bool:
    """Whether a point lies in (or just off) the country: catches swapped coordinates and wrong codes."""
    from shapely.geometry import Point

    geometry = shapes().get(code)
    if geometry is not None and geometry.distance(Point(lon, lat)) <= TOLERANCE_DEG:
        return True
    # Disputed areas a simplified outline draws otherwise (Crimea), islands and small states whose
    # outline or box is too coarse: the gazetteer's box, widened, or near its centre.
    s, w, n, e = countries()[code]
    if s - 1 <= lat <= n + 1 and w - 1 <= lon <= e + 1:
        return True
    small = geometry is None or geometry.area < 5
    clat, clon = (s + n) / 2, (w + e) / 2
    return small and abs(lat - clat) <= 8 and abs(lon - clon) <= 8


def check_place(where: str, place, problems: list[str]) -> None:
    if place is None:
        return
    if not isinstance(place, dict):
        problems.append(f"{where}: not an object or null")
        return
    for field in ("name", "country", "lat", "lon", "kind"):
        if field not in place:
            problems.append(f"{where}: no '{field}'")
            return
    if not isinstance(place["name"], str) or not place["name"].strip():
        problems.append(f"{where}: empty name")
    if place["kind"] not in KINDS:
        problems.append(f"{where}: kind {place['kind']!r} is not one of {sorted(KINDS)}")
    lat, lon = place["lat"], place["lon"]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon)):
        problems.append(f"{where}: lat/lon must be numbers")
        return
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        problems.append(f"{where}: lat/lon out of range")
        return
    code = place["country"]
    if code is None:
        if place["kind"] != "region":
            problems.append(f"{where}: only a region spanning countries may have country null")
        return
    if code not in countries():
        problems.append(f"{where}: {code!r} is not an ISO 3166-1 alpha-2 code")
    elif place["kind"] != "region" and not inside(code, lat, lon):
        problems.append(f"{where}: {place['name']} at {lat},{lon} is not inside {code}")


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace(" ", " ").replace(" ", " ").split())


def evidence_in(evidence: str, text: str) -> bool:
    """The evidence is copied from the article; '...' (or '…') marks words left out between parts."""
    text = _norm(text)
    start = 0
    for part in evidence.replace("…", "...").split("..."):
        part = _norm(part)
        if not part:
            continue
        found = text.find(part, start)
        if found < 0:
            return False
        start = found + len(part)
    return True


def check_key(key_path: Path) -> list[str]:
    problems: list[str] = []
    case = key_path.stem
    text_path = key_path.with_suffix(".txt")
    if not text_path.exists():
        return [f"{case}: no article {text_path.name}"]
    try:
        text = text_path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return [f"{case}: article is not UTF-8"]
    try:
        key = json.loads(key_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        return [f"{case}: not valid JSON ({err})"]
    if key.get("id") != case:
        problems.append(f"{case}: id {key.get('id')!r} is not the file name")
    if key.get("lang") not in LANGS:
        problems.append(f"{case}: lang {key.get('lang')!r} is not one of {sorted(LANGS)}")
    published = key.get("published")
    if not (isinstance(published, str) and len(published) == 10 and published[4] == "-" and published[7] == "-"):
        problems.append(f"{case}: published {published!r} is not YYYY-MM-DD")
    rows = key.get("deployments")
    if not isinstance(rows, list):
        return problems + [f"{case}: 'deployments' is not a list"]
    for i, row in enumerate(rows):
        where = f"{case} row {i}"
        for field in ("origin", "destination", "headcount", "shared", "status", "force", "required", "evidence"):
            if field not in row:
                problems.append(f"{where}: no '{field}'")
        if row.get("destination") is None:
            problems.append(f"{where}: no destination (the guide: no destination, no row)")
        check_place(f"{where} origin", row.get("origin"), problems)
        check_place(f"{where} destination", row.get("destination"), problems)
        n = row.get("headcount")
        if n is not None and not (isinstance(n, int) and not isinstance(n, bool) and n > 0):
            problems.append(f"{where}: headcount {n!r} is not a positive integer or null")
        if not isinstance(row.get("shared"), bool):
            problems.append(f"{where}: shared must be true or false")
        if not isinstance(row.get("required"), bool):
            problems.append(f"{where}: required must be true or false")
        if row.get("status") not in STATUSES:
            problems.append(f"{where}: status {row.get('status')!r} is not one of {sorted(STATUSES)}")
        if row.get("status") == "alert" and row.get("required"):
            problems.append(f"{where}: alert rows are optional only")
        force = row.get("force")
        if force is not None and force not in countries():
            problems.append(f"{where}: force {force!r} is not an ISO 3166-1 alpha-2 code")
        evidence = row.get("evidence")
        if not isinstance(evidence, str) or not evidence.strip():
            problems.append(f"{where}: empty evidence")
        elif not evidence_in(evidence, text):
            problems.append(f"{where}: evidence is not a substring of the article: {evidence[:60]!r}")
    return problems


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [Path("corpus/train"), Path("corpus/valid")]
    problems: list[str] = []
    count = 0
    for folder in folders:
        paths = [folder] if folder.is_file() else sorted(folder.rglob("*.json"))
        for key_path in paths:
            count += 1
            problems += check_key(key_path)
    for p in problems:
        print(p)
    print(f"{count} keys checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
