"""The libraries every page needs, loaded once per server process before the first page runs,
with Python's garbage collector paused, then set aside from its future collections.

Why: importing pandas, SQLAlchemy and pydeck creates a few hundred thousand objects that live as
long as the server. While they are being created the collector keeps walking all of them (three
full collections on the first Home page, about 0.2 s of its ~0.8 s), and every later full
collection walks them again. Pausing it during these imports and then freezing what exists
(``gc.freeze``: moved to a permanent generation, never scanned again) took the Home page's first
run from 0.81 s to 0.62 s (bench notes in README, "Speed"). Only what exists at this moment is
frozen, and only once per process (a module runs once), so later garbage is collected as usual.

app.py imports this module first.
"""
from __future__ import annotations

import gc

gc.disable()
try:
    import pandas  # noqa: F401
    import pydeck  # noqa: F401
    import sqlalchemy  # noqa: F401

    import storage  # noqa: F401
    from ui import common, figures  # noqa: F401
finally:
    gc.enable()
gc.freeze()
