"""Home: add articles (upload or paste), check what was read, correct the table, see it on a map."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from extract.documents import MAX_BYTES, DocumentError, read_document
from extract.schema import STATUSES
from extract.settings import review_threshold
from ui import common, sources
from ui.archive import ingest_zip
from ui.errors import page_errors
from ui.editing import EDITABLE, apply_plan, plan_changes
from ui.figures import legend
from ui.filtering import Filters, apply_filters
from ui.highlight import highlight_html
from ui.map_component import svg_map_chart
from ui.review import review_labels
from ui.values import article_label, first_present, text

HOME_MAP_SIZE = (340, 380)    # width and height in pixels: the view is fitted to them, and the land chosen by it

st.set_page_config(page_title="troopmap", page_icon="🗺️", layout="wide")


def remember(article_id: int) -> None:
    state = st.session_state
    if article_id not in state.session_articles:
        state.session_articles.append(article_id)
    state.current_article = article_id


def process(store, documents: list[dict]) -> None:
    """Extract and store each document, showing progress; one failure does not stop the others."""
    if not documents:
        return
    with st.status(f"Reading {len(documents)} article(s)…", expanded=True) as status:
        bar = st.progress(0.0)
        for number, doc in enumerate(documents, start=1):
            label = first_present(doc["title"], doc["source"], default="pasted text")
            bar.progress((number - 1) / len(documents), text=f"Extracting {label}")
            try:
                article_id, created, notes = common.ingest(
                    store, doc["text"], title=doc["title"], source=doc["source"], published=doc["published"])
            except Exception as error:  # the message names the article; the next one still runs
                st.error(f"{label}: could not be processed ({error})")
                continue
            for note in notes:
                st.warning(f"{label}: {note}")
            count = store.article(article_id)["n_deployments"]
            st.write(f"{'Stored' if created else 'Already in the library'}: **{label}** — {count} movement(s)")
            remember(article_id)
        bar.progress(1.0, text="Done")
        status.update(label=f"Read {len(documents)} article(s)", state="complete", expanded=False)



with page_errors("The Home page"):
    store = common.storage()
    common.ensure_example()
    state = st.session_state
    state.setdefault("processed_uploads", set())
    state.setdefault("current_article", None)
    state.setdefault("session_articles", [])
    state.setdefault("editor_version", 0)

    st.title("troopmap")
    st.caption("Troop movements read from news articles in English, French, German and Spanish. "
               "Everything runs on this machine.")


    # ---- input ---------------------------------------------------------------------------------
    upload_tab, paste_tab = st.tabs(["Upload articles", "Paste text"])
    with upload_tab:
        # Before the uploader: files are read as soon as they arrive.
        upload_date = st.date_input("Published (optional; for files that do not give their date)", value=None,
                                    key="upload_date", max_value=dt.date.today())
        uploads = st.file_uploader(
            "News articles (txt, md, html, pdf, docx, or a .zip of them)",
            type=["txt", "md", "html", "htm", "pdf", "docx", "zip"], accept_multiple_files=True, key="uploads",
            help=f"Up to {MAX_BYTES // (1024 * 1024)} MB per file. Several files at once are fine; "
                 "for thousands of articles use python -m extract.ingest.")
        to_read = []
        for upload in uploads or []:
            if upload.file_id in state.processed_uploads:
                continue
            state.processed_uploads.add(upload.file_id)
            data = upload.getvalue()
            if len(data) > MAX_BYTES:
                st.error(f"{upload.name}: {len(data) / 1e6:.1f} MB is over the {MAX_BYTES // (1024 * 1024)} MB "
                         "limit; not read. Split it or save only the article text.")
                continue
            if upload.name.lower().endswith(".zip"):
                ingest_zip(store, data, upload.name, upload_date.isoformat() if upload_date else None, remember)
                continue
            try:
                document = read_document(data, upload.name)
            except DocumentError as error:
                st.error(f"{upload.name}: cannot be read — {error}")
                continue
            if not document.text.strip():
                st.error(f"{upload.name}: no text found in this file")
                continue
            to_read.append({"text": document.text, "title": document.title or upload.name,
                            "source": upload.name,
                            "published": document.published or (upload_date.isoformat() if upload_date else None)})
        process(store, to_read)

    with paste_tab:
        with st.form("paste", clear_on_submit=False):
            pasted = st.text_area("Article text", height=200, key="pasted_text")
            left, right = st.columns([3, 1])
            pasted_title = left.text_input("Title (optional)", key="pasted_title")
            pasted_date = right.date_input("Published (optional)", value=None, key="pasted_date",
                                           max_value=dt.date.today())
            submitted = st.form_submit_button("Extract deployments", type="primary")
        if submitted:
            if not pasted.strip():
                st.error("Paste the text of an article first.")
            else:
                process(store, [{"text": pasted, "title": pasted_title.strip() or None, "source": "pasted text",
                          "published": pasted_date.isoformat() if pasted_date else None}])

    # ---- the article under review ---------------------------------------------------------------
    library = store.articles()
    if library.empty:
        st.info("The library is empty: upload or paste an article to begin.")
        st.stop()

    known = set(int(i) for i in library["id"])
    candidates = [i for i in state.session_articles if i in known] or [int(library["id"].iloc[-1])]
    if state.current_article not in known:
        state.current_article = candidates[-1]
    titles = {int(r.id): article_label(r) + (" (example)" if r.is_example is True else "")
              for r in library.itertuples()}
    if len(candidates) > 1:
        article_id = st.selectbox("Article", candidates, index=candidates.index(state.current_article)
                                  if state.current_article in candidates else len(candidates) - 1,
                                  format_func=lambda i: titles[i], key="home_article")
    else:
        article_id = candidates[0]
    article = store.article(article_id)

    if article.get("is_example"):
        note, button = st.columns([5, 1])
        note.info("**Example article.** This is the seed article shipped with troopmap "
                  "(data/examples/seed-fr.txt), stored so the map is not empty on first launch. "
                  "Remove it whenever you like; it will not come back.")
        if button.button("Remove example", key="remove_example"):
            store.delete_article(article_id)
            state.session_articles = [i for i in state.session_articles if i != article_id]
            state.current_article = None
            st.rerun()

    st.subheader(article_label(article, "Article"))
    meta = [f"language: {text(article.get('lang'), '?')}", f"published: {text(article.get('published'), 'unknown')}",
            f"source: {text(article.get('source'), '?')}"]
    st.caption(" · ".join(meta))
    common.language_notice(article.get("lang"))

    rows = store.deployments([article_id])
    events = apply_filters(common.load_events(store, [article_id]), Filters(article_ids=[article_id]))
    if rows.empty:
        st.info("**No troop movement found** in this article. If it does report one, add it by hand in the "
                "table below (+), then **Save changes**.")

    text_col, map_col = st.columns([3, 2])
    # The map's column is filled first (the page looks the same): its element reaches the browser
    # before the highlighted article. The map is an SVG (ui/svg_map.py), not deck.gl as on the Map
    # page: nothing to load or compile before a first launch shows it.
    with map_col:
        colour_by = st.radio("Colour arcs by", ["force", "status"], horizontal=True, key="home_colour")
        width, height = HOME_MAP_SIZE
        clicked = svg_map_chart(common.home_map(store, article_id, events, colour_by, width, height),
                                key=f"home-map-{article_id}")   # a click belongs to its article
        common.show_legend(legend(events, colour_by), colour_by)
    with text_col:
        st.markdown(highlight_html(article["text"], rows), unsafe_allow_html=True)
    # A click on an arc (or Enter on it) opens the sources of its movement, below.
    picked_event = int(clicked["event_id"]) if clicked else None

    # ---- the editable table ----------------------------------------------------------------------
    st.markdown("#### Deployments")
    st.caption("Fix a headcount or a place, delete a row (select it, then the bin), or add one (+), "
               "then **Save changes**. Places typed by name are looked up in the offline gazetteer. "
               "Every change is kept in the edit log.")
    shown = rows[["id", *EDITABLE, "confidence", "edited", "human_added"]].reset_index(drop=True)
    # Rows under the review threshold that nobody has checked yet: the Review page walks through them.
    shown.insert(1, "review", review_labels(rows.reset_index(drop=True), review_threshold()))
    to_check = int((shown["review"] == "to review").sum())
    if to_check:
        st.page_link("pages/4_Review.py", icon="✅",
                     label=f"{to_check} row(s) of this article to review: open the Review page")
    editor_key = f"editor-{article_id}-{state.editor_version}"
    st.data_editor(
        shown, key=editor_key, num_rows="dynamic", hide_index=True, width="stretch",
        disabled=["id", "review", "confidence", "edited", "human_added"],
        # The verdict next to the id, in sight: after "confidence" it sat past the right edge of the grid.
        column_order=["id", "review", "origin", "destination", "headcount", "headcount_shared", "force", "unit", "status",
                      "date", "confidence", "edited", "evidence", "origin_lat", "origin_lon", "destination_lat",
                      "destination_lon"],
        column_config={
            "id": st.column_config.NumberColumn("id", width="small"),
            "review": st.column_config.TextColumn(
                "review", width="small", help=f"“to review”: confidence under {review_threshold():.2f} and not "
                "checked yet (Review page); else the verdict a person gave"),
            "headcount": st.column_config.NumberColumn("headcount", min_value=0, step=1, format="%d"),
            "headcount_shared": st.column_config.CheckboxColumn("shared", help="One figure spread over several places"),
            "status": st.column_config.SelectboxColumn("status", options=list(STATUSES)),
            "force": st.column_config.TextColumn("force", help="Whose troops: a two-letter country code (US, FR)"),
            "date": st.column_config.TextColumn("date", help="YYYY-MM-DD"),
            "confidence": st.column_config.ProgressColumn("confidence", min_value=0.0, max_value=1.0, format="%.2f"),
            "evidence": st.column_config.TextColumn("evidence", width="large"),
        },
    )
    changes = state.get(editor_key, {})
    pending = any(changes.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))
    save_col, export_col = st.columns([1, 2])
    if save_col.button("Save changes", type="primary", disabled=not pending, key="save_edits"):
        plan = plan_changes(shown, changes, lambda name: common.resolve_place(name, article["text"], article.get("lang")))
        if common.show_plan(plan, "table"):
            apply_plan(store, article_id, plan)
            state.editor_version += 1
            state.saved_message = (f"Saved: {len(plan.updates)} edited, {len(plan.additions)} added, "
                                   f"{len(plan.deletions)} deleted." + "".join(f" {note}." for note in plan.notes))
            st.rerun()
    saved = state.pop("saved_message", None)
    if saved:
        st.success(saved + " Recorded in the edit log.")
    with export_col:
        common.download_buttons(rows, f"troopmap-article-{article_id}", key="home-export")

    # The two sections below are read and sent only while they are open (a stateful expander: opening
    # one reruns the page). Collapsed, as on a first launch, their tables, lists and buttons used to be
    # built and drawn all the same (two more grids, lists and buttons: about 0.2 s of the browser's CPU
    # and 0.05 s of the server's before the example's map showed).
    # A click on an arc opens "Sources" (``expanded`` changes, and with it the expander's identity).
    sources_box = st.expander("Sources: every article that reports one of these movements (or click an arc of the map)",
                              expanded=picked_event is not None, key="home-sources-open", on_change="rerun")
    if sources_box.open:
        with sources_box:
            sources.row_sources(store, rows, key="home-sources", event_id=picked_event)

    log_box = st.expander("Edit log of this article", key="home-edit-log-open", on_change="rerun")
    if log_box.open:
        with log_box:
            log = store.edits()
            st.dataframe(log[log["article_id"] == article_id], hide_index=True, width="stretch")
