"""The example article stored on a first launch, and its rows as the extractor reads them.

A first launch should show the example's map in a few seconds, but reading it means loading
four spaCy pipelines (most of the ~10 s a first launch took). So the extractor's rows for it are
committed next to the article (``data/examples/seed-fr.rows.json``) and stored as they are; the
models load at the first real extraction. ``tests/ui/test_example_rows.py`` checks that the
file is exactly what the extractor gives today; when the extractor changes, rebuild it:

    python -m ui.example            # rewrites data/examples/seed-fr.rows.json

No Streamlit and no spaCy at import: the app reads the file without loading either.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PATH = REPO_ROOT / "data" / "examples" / "seed-fr.txt"
ROWS_PATH = REPO_ROOT / "data" / "examples" / "seed-fr.rows.json"
EXAMPLE_TITLE = "Example — Crise en Ukraine : les États-Unis annoncent le déploiement de 3 000 soldats"
EXAMPLE_PUBLISHED = "2022-02-02"
# The rows were read with the default engine; another engine must read the article itself.
ROWS_ENGINE = "rules"


def example_text() -> str:
    return EXAMPLE_PATH.read_text(encoding="utf-8")


def read_rows_now() -> dict:
    """What the extractor gives for the example today, in the file's form (loads the models)."""
    from extract import extract_deployments
    from extract.language import detect_language
    from extract.pipeline import EXTRACTOR_VERSION

    text = example_text()
    frame = extract_deployments(text, published=EXAMPLE_PUBLISHED, engine=ROWS_ENGINE)
    rows = json.loads(frame.to_json(orient="records", force_ascii=False))
    return {"extractor_version": EXTRACTOR_VERSION, "engine": ROWS_ENGINE, "published": EXAMPLE_PUBLISHED,
            "lang": detect_language(text).lang, "rows": rows}


def committed_rows() -> dict | None:
    """The committed rows, or None when they cannot stand for a reading today: the file is
    missing or unreadable, or the app is set to another engine (TROOPMAP_ENGINE)."""
    if os.environ.get("TROOPMAP_ENGINE", ROWS_ENGINE) != ROWS_ENGINE:
        return None
    try:
        payload = json.loads(ROWS_PATH.read_text(encoding="utf-8"))
        return payload if isinstance(payload.get("rows"), list) else None
    except (OSError, ValueError, AttributeError):
        return None


def rows_frame(payload: dict) -> pd.DataFrame:
    from extract.schema import COLUMNS
    return pd.DataFrame(payload["rows"], columns=list(COLUMNS))


def main() -> None:
    payload = read_rows_now()
    ROWS_PATH.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{ROWS_PATH.relative_to(REPO_ROOT)}: {len(payload['rows'])} rows, extractor {payload['extractor_version']}")


if __name__ == "__main__":
    main()
