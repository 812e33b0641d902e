"""Articles: the library, one article with its rows, re-extraction, deletion."""
from __future__ import annotations

import streamlit as st

from ui import common, sources
from ui.errors import page_errors
from ui.highlight import highlight_html
from ui.values import article_label, text

st.set_page_config(page_title="troopmap · Articles", page_icon="📰", layout="wide")
with page_errors("The Articles page"):
    store = common.storage()
    common.ensure_example()
    state = st.session_state

    st.title("Articles")
    library = store.articles()
    if library.empty:
        st.info("The library is empty: add an article on the Home page.")
        st.stop()

    listing = library[["id", "title", "source", "lang", "published", "added_at", "n_deployments", "is_example"]]
    st.dataframe(listing, hide_index=True, width="stretch", column_config={
        "n_deployments": st.column_config.NumberColumn("movements"),
        "is_example": st.column_config.CheckboxColumn("example"),
        "added_at": st.column_config.DatetimeColumn("added", format="YYYY-MM-DD HH:mm"),
    })

    titles = {int(r.id): f"#{r.id} · {article_label(r)}" for r in library.itertuples()}
    article_id = st.selectbox("Open an article", list(titles), format_func=titles.get, key="articles-open")
    article = store.article(article_id)
    rows = store.deployments([article_id])
    st.subheader(article_label(article, "Article"))
    st.caption(f"language: {text(article.get('lang'), '?')} · published: {text(article.get('published'), 'unknown')} · "
               f"source: {text(article.get('source'), '?')} · {len(rows)} movement(s)")
    common.language_notice(article.get("lang"))

    rerun_col, delete_col, _ = st.columns([1, 1, 3])
    if rerun_col.button("Re-run extraction", key="articles-rerun",
                        help="Read the text again with the current extractor; rows a person edited or added are kept"):
        with st.spinner("Extracting…"):
            common.warm_models()
            frame, notes = common.extract_table(article["text"], article.get("published"))
            count = store.replace_extraction(article_id, frame, common.extractor_version())
        for note in notes:
            st.warning(note)
        st.success(f"Re-extracted: {count} machine row(s); edited and hand-added rows kept.")
        rows = store.deployments([article_id])

    if delete_col.button("Delete article…", key="articles-delete"):
        state.confirm_delete = article_id
    if state.get("confirm_delete") == article_id:
        st.warning(f"Delete **{titles[article_id]}**, its {len(rows)} movement(s) and their edit history? "
                   "This cannot be undone.")
        yes, no, _ = st.columns([1, 1, 3])
        if yes.button("Yes, delete", type="primary", key="articles-delete-confirm"):
            store.delete_article(article_id)
            state.confirm_delete = None
            st.toast("Article deleted")
            st.rerun()
        if no.button("Cancel", key="articles-delete-cancel"):
            state.confirm_delete = None
            st.rerun()

    st.markdown(highlight_html(article["text"], rows), unsafe_allow_html=True)
    st.markdown("#### Movements read from this article")
    st.dataframe(rows.drop(columns=["article_title", "article_source"], errors="ignore"), hide_index=True,
                 width="stretch")
    common.download_buttons(rows, f"troopmap-article-{article_id}", key="articles-export")

    # ---- sources of one movement ------------------------------------------------------------------
    st.markdown("#### Sources of a movement")
    sources.row_sources(store, rows, key="articles-sources")
