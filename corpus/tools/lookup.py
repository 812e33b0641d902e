"""Look up a place for an answer key: its kind, ISO country code and coordinates.

A writer's and annotator's tool. It reads the compiled gazetteer files in `data/` directly and
never runs the extractor, so keys do not inherit the extractor's blind spots.

    python corpus/tools/lookup.py "Fort Bragg" Wilna "la Roumanie" Sahel
"""
from __future__ import annotations

import csv
import sys
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"


def fold(text: str) -> str:
    """Lower case, accents dropped, articles kept: the index's own normalisation."""
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("’", "'")


def _names(*fields: str) -> set[str]:
    out: set[str] = set()
    for field in fields:
        for name in (field or "").split("|"):
            if name.strip():
                out.add(fold(name))
    return out


def lookup(query: str, limit: int = 6) -> list[dict]:
    q = fold(query)
    for article in ("la ", "le ", "l'", "les ", "the ", "die ", "der ", "das ", "el ", "los ", "las "):
        if q.startswith(article) and len(q) > len(article) + 2:
            q_bare = q[len(article):]
            break
    else:
        q_bare = q
    keys = {q, q_bare}
    hits: list[dict] = []
    with open(DATA / "countries.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if keys & _names(row["name"], row["name_fr"], row["aliases_en"], row["aliases_fr"], row["iso3"]):
                hits.append(dict(kind="country", name=row["name"], country=row["iso2"],
                                 lat=float(row["lat"]), lon=float(row["lon"])))
    with open(DATA / "installations.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if keys & _names(row["name"], row["aliases"], row["former_names"]):
                hits.append(dict(kind="base", name=row["name"], country=row["country"],
                                 lat=float(row["lat"]), lon=float(row["lon"])))
    with open(DATA / "regions.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if keys & _names(row["name"], row["name_fr"], row["aliases_en"], row["aliases_fr"]):
                hits.append(dict(kind="region", name=row["name"], country=row["country"] or None,
                                 lat=float(row["lat"]), lon=float(row["lon"])))
    with open(DATA / "subdivisions.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if keys & _names(row["name"], row["name_fr"], row["aliases_en"], row["aliases_fr"]):
                hits.append(dict(kind="region", name=row["name"], country=row["country"],
                                 lat=float(row["lat"]), lon=float(row["lon"])))
    for table in ("cities", "cities_small"):
        rows = (DATA / f"{table}.tsv").read_text(encoding="utf-8").splitlines()[1:]
        with open(DATA / f"{table}.index.tsv", encoding="utf-8") as f:
            for line in f:
                name, _, ids = line.rstrip("\n").partition("\t")
                if name in keys:
                    for i in ids.split(","):
                        n, country, _admin, lat, lon, pop = rows[int(i.lstrip("~"))].split("\t")
                        hits.append(dict(kind="city", name=n, country=country, lat=float(lat),
                                         lon=float(lon), population=int(pop)))
    hits.sort(key=lambda h: (h["kind"] != "country", h["kind"] != "base", -h.get("population", 0)))
    return hits[:limit]


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    for query in argv:
        hits = lookup(query)
        print(f"{query}:")
        if not hits:
            print("  (not in the gazetteer: give the real coordinates you know, to 2 decimals)")
        for h in hits:
            pop = f"  pop {h['population']:,}" if "population" in h else ""
            print(f"  {h['kind']:8} {h['name']} ({h['country']})  lat {h['lat']:.3f} lon {h['lon']:.3f}{pop}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
