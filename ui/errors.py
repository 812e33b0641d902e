"""No page shows a Python traceback to a user.

Each page runs its body inside :func:`page_errors`. An unexpected exception becomes a short
message — what failed, that nothing stored or typed was lost, and an error id — while the full
traceback goes to the server log under the same id, where whoever runs the server can find it.
``client.showErrorDetails = "none"`` in ``.streamlit/config.toml`` is the second line of defence
for anything raised outside a page body.

Streamlit's own control flow (``st.stop``, ``st.rerun``) raises BaseException subclasses, which
pass through untouched.
"""
from __future__ import annotations

import logging
import time
import uuid
from contextlib import contextmanager
from typing import Iterator

import streamlit as st

log = logging.getLogger("troopmap")


def new_error_id() -> str:
    return uuid.uuid4().hex[:8]


@contextmanager
def page_errors(what: str) -> Iterator[None]:
    """Run a page body; on an unexpected error show a short message naming ``what`` failed.
    How long the body took goes to the server log at debug level (``--logger.level debug``):
    where to look first when a page feels slow."""
    began = time.perf_counter()
    try:
        yield
        log.debug("%s built in %.0f ms", what, (time.perf_counter() - began) * 1000)
    except Exception as error:  # noqa: BLE001 - the boundary of a page: everything is reported
        error_id = new_error_id()
        log.error("error %s while showing %s", error_id, what, exc_info=error)
        st.error(
            f"**{what} could not be shown completely** (error id `{error_id}`). Nothing was lost: "
            "the articles, rows and corrections already saved are in the database, and text you "
            "typed is still in its box. Reload the page to try again; if it happens again, give the "
            "error id to whoever runs this server — the details are in its log.",
            icon="🛑",
        )
