"""Shared fixtures: paths to the evaluation material that sits beside the repository."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    if not EVAL.is_dir():
        pytest.skip(f"evaluation material not found at {EVAL}")
    return EVAL


@pytest.fixture(scope="session")
def seed_text() -> str:
    # The app ships its own copy of the seed article as the first-launch example.
    return (ROOT / "data" / "examples" / "seed-fr.txt").read_text(encoding="utf-8")
