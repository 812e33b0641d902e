"""extract.alternatives: for a stored row, the places and figures the extractor also considered,
scored by the committed model, from one reading of the article."""
from __future__ import annotations

import pickle

from extract import extract_deployments
from extract.alternatives import article_options, row_alternatives


def test_a_rows_alternatives_are_the_places_and_figures_around_it(seed_text):
    options = article_options(seed_text, published="2022-02-02")
    rows = extract_deployments(seed_text, published="2022-02-02").to_dict("records")
    to_poland = next(r for r in rows if r["destination"] == "Poland")
    found = row_alternatives(options, to_poland)

    assert found.figure.value == 2000 and found.figure.text == "2 000"
    destinations = [p.name for p in found.destinations]
    # The figure goes to Germany and Poland; Romania, said just before, was weighed and scored lower.
    assert {"Germany", "Poland", "Romania"} <= set(destinations)
    assert all(p.score is not None for p in found.destinations)
    scores = {p.name: p.score for p in found.destinations}
    assert min(scores["Poland"], scores["Germany"]) > scores["Romania"]
    assert destinations == sorted(destinations, key=lambda name: -scores[name])
    assert found.origins[0].name == "Fort Bragg" and "Fort Bragg" in found.origins[0].words
    assert [f.value for f in found.figures] == [1000]           # "Un millier", the other figure of the sentence
    # Choosing an alternative sets every column of that side of the row.
    romania = next(p for p in found.destinations if p.name == "Romania")
    assert romania.fields["destination_country"] == "RO" and romania.fields["destination_kind"] == "country"

    # Plain data: the app caches it per article.
    assert pickle.loads(pickle.dumps(options)) == options


def test_a_row_typed_by_hand_has_no_alternatives(seed_text):
    options = article_options(seed_text, published="2022-02-02")
    found = row_alternatives(options, {"headcount": 500, "start": None, "end": None})
    assert found.figure is None and not found.destinations and not found.figures
