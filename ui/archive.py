"""Home's upload of a .zip of articles: the archive-ingest path of ``extract.ingest``, in the app.

Each article of the archive is read, extracted and stored in its own transaction exactly as
``python -m extract.ingest`` does (same sources, reading, storing and failure records), in the
app's own process where the models are loaded already; a progress bar follows the articles and
the ones that failed are listed with their reasons.
"""
from __future__ import annotations

import zipfile
from typing import Callable, Optional

import pandas as pd
import streamlit as st

from extract.ingest import Options, Report, Summary, ingest_in_process
from extract.sources import from_zip_bytes


def ingest_zip(store, data: bytes, name: str, published: Optional[str],
               remember: Callable[[int], None]) -> Optional[Summary]:
    """Read every article of the uploaded archive ``name`` into ``store``; None when it is no zip."""
    try:
        items = list(from_zip_bytes(data, name))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        st.error(f"{name}: is not a readable .zip archive ({error}); nothing was read from it.")
        return None
    if not items:
        st.warning(f"{name}: the archive holds no article files (txt, md, html, pdf, docx).")
        return None
    with st.status(f"Reading {len(items)} article(s) from {name}…", expanded=True) as status:
        bar = st.progress(0.0, text=f"0 of {len(items)}")
        done = []

        def on_report(report: Report) -> None:
            done.append(report)
            bar.progress(len(done) / len(items), text=f"{len(done)} of {len(items)}: {report.label}")
            if report.article_id is not None:
                remember(report.article_id)

        summary = ingest_in_process(items, store, Options(db_url=store.url, published=published),
                                    on_report=on_report)
        status.update(label=f"{name}: {summary}", state="error" if summary.failed else "complete",
                      expanded=bool(summary.failed))
    if summary.failed:
        st.error(f"{name}: {summary.failed} article(s) could not be read; the others were stored.")
        st.dataframe(pd.DataFrame([(f.label, f.reason) for f in summary.failures], columns=["article", "reason"]),
                     hide_index=True, width="stretch")
    return summary
