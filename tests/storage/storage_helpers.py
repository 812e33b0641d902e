"""Deployment rows for the storage tests, shaped like the extractor's output."""
import pandas as pd

from extract.schema import COLUMNS, Deployment

FORT_BRAGG = dict(origin="Fort Bragg", origin_country="US", origin_lat=35.14, origin_lon=-79.01, origin_kind="base")
FAYETTEVILLE = dict(origin="Fayetteville", origin_country="US", origin_lat=35.05, origin_lon=-78.88,
                    origin_kind="city")
FORT_HOOD = dict(origin="Fort Hood", origin_country="US", origin_lat=31.13, origin_lon=-97.78, origin_kind="base")
POLAND = dict(destination="Poland", destination_country="PL", destination_lat=52.0, destination_lon=19.4,
              destination_kind="country")
GERMANY = dict(destination="Germany", destination_country="DE", destination_lat=51.2, destination_lon=10.4,
               destination_kind="country")
ROMANIA = dict(destination="Romania", destination_country="RO", destination_lat=45.9, destination_lon=24.9,
               destination_kind="country")


def frame(*rows: dict) -> pd.DataFrame:
    """A deployment table as the extractor returns it."""
    return pd.DataFrame([Deployment(**row).to_dict() for row in rows], columns=list(COLUMNS))


def movement(from_place=FORT_BRAGG, to_place=POLAND, **fields) -> dict:
    return {**from_place, **to_place, "force": "US", "status": "announced", **fields}
