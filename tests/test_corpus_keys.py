"""Every answer key of the corpus and of bench/blind3 is well formed (corpus/tools/check_keys.py):
valid JSON of the key format, each evidence copied from its article, ISO codes that exist,
coordinates inside the named country, headcounts positive integers or null. And the corpus is
what corpus/README.md says it is: its size per language, its split, no paragraph shared."""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "corpus" / "tools"))
from check_keys import check_key  # noqa: E402
from split import side  # noqa: E402
from stats import load, shared_paragraphs  # noqa: E402

FOLDERS = [ROOT / "corpus" / "train", ROOT / "corpus" / "valid", ROOT / "bench" / "blind3"]
KEYS = [path for folder in FOLDERS for path in sorted(folder.glob("*.json"))]


@pytest.mark.parametrize("key_path", KEYS, ids=[p.stem for p in KEYS])
def test_key_is_well_formed(key_path):
    assert check_key(key_path) == []


def test_the_checker_catches_what_it_must(tmp_path):
    (tmp_path / "x.txt").write_text("Spain sent 500 troops to Slovakia.", encoding="utf-8")
    place = {"name": "Slovakia", "country": "SK", "lat": 48.7, "lon": 19.5, "kind": "country"}
    row = {"origin": None, "destination": place, "headcount": 500, "shared": False, "status": "deployed",
           "force": "ES", "required": True, "evidence": "Spain sent 500 troops to Slovakia"}
    key = {"id": "x", "lang": "en", "published": "2022-03-01", "deployments": [row]}
    (tmp_path / "x.json").write_text(json.dumps(key), encoding="utf-8")
    assert check_key(tmp_path / "x.json") == []
    bad_rows = [
        dict(row, evidence="Spain sent 600 troops"),                          # not in the article
        dict(row, destination=dict(place, lat=19.5, lon=48.7)),               # lat/lon swapped
        dict(row, destination=dict(place, country="XX")),                     # no such code
        dict(row, headcount=-5),
        dict(row, headcount=500.5),
        dict(row, status="moving"),
        dict(row, destination=None),
    ]
    for bad in bad_rows:
        (tmp_path / "x.json").write_text(json.dumps(dict(key, deployments=[bad])), encoding="utf-8")
        assert check_key(tmp_path / "x.json"), bad


def test_corpus_size_split_and_originality():
    cases = load([ROOT / "corpus" / "train", ROOT / "corpus" / "valid"])
    langs = Counter(key["lang"] for _path, key, _text in cases)
    assert langs["en"] >= 380 and langs["fr"] >= 370 and langs["de"] >= 270 and langs["es"] >= 310, langs
    for path, _key, _text in cases:
        assert path.parent.name == side(path.stem), f"{path.stem} is on the wrong side of the split"
    negatives = sum(1 for _p, key, _t in cases if not key["deployments"])
    assert negatives >= 0.15 * len(cases)
    assert shared_paragraphs(cases) == []
    blind = load([ROOT / "bench" / "blind3"])
    blind_langs = Counter(key["lang"] for _path, key, _text in blind)
    assert blind_langs["en"] >= 25 and blind_langs["fr"] >= 25 and blind_langs["de"] >= 15 and blind_langs["es"] >= 15
    # The blind set and the corpus share no paragraph either.
    assert shared_paragraphs(cases + blind) == []


def test_no_event_is_told_twice_by_a_listed_pair():
    """An article removed as the same event as a blind article (topics/removed.tsv) or as another
    corpus article (topics/repeated.tsv) is not in the corpus, and the article it repeated is."""
    corpus = {path.stem for folder in FOLDERS[:2] for path in folder.glob("*.json")}
    topics = ROOT / "corpus" / "topics"
    removed = [line.split("\t") for line in (topics / "removed.tsv").read_text(encoding="utf-8").splitlines()]
    repeated = [line.split("\t") for line in (topics / "repeated.tsv").read_text(encoding="utf-8").splitlines()]
    assert repeated and not corpus & {fields[0] for fields in removed + repeated}
    for gone, note in repeated:
        kept = note.split("same event as ")[1].split(",")[0]
        assert kept in corpus, (gone, kept)
