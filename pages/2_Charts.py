"""Charts: troops by destination, origin and force; flows; a timeline; the largest moves."""
from __future__ import annotations

import streamlit as st

from storage import views
from ui import common
from ui.errors import page_errors
from ui.figures import library_charts
from ui.tables import largest_moves, prepare_events

with page_errors("The Charts page"):
    store, selection, _options = common.library_page("Charts", "Charts", "📊", key="charts")
    totals = common.view(store, "summary", selection)
    st.metric("Troops in view (each figure once)", f"{totals['troops']:,}")
    st.caption(
        "How totals are counted: a movement reported by several articles is one event and counts once. "
        "A figure shared between places with no breakdown (“2,000 to Poland and Germany”) counts once in "
        "every total; in the per-destination and per-origin bars and the flows it is **split evenly** "
        "between its places (1,000 each), so the bars add up to the total above. A headline total that the "
        "article breaks down later is not added to its breakdown.")
    if not totals["events"]:
        st.warning("No movement matches these filters.")
        st.stop()

    charts = library_charts(lambda name, **kwargs: common.view(store, name, selection, **kwargs))
    left, right = st.columns(2)
    left.plotly_chart(charts["destination"], key="chart-destination")
    right.plotly_chart(charts["origin"], key="chart-origin")
    left, right = st.columns(2)
    left.plotly_chart(charts["force"], key="chart-force")
    right.plotly_chart(charts["largest"], key="chart-largest")
    st.plotly_chart(charts["sankey"], key="chart-sankey")
    st.plotly_chart(charts["timeline"], key="chart-timeline")

    st.markdown("#### Largest moves")
    pool = prepare_events(common.view(store, "events_table", selection, limit=300, with_sources=False))
    st.dataframe(largest_moves(pool, limit=25), hide_index=True, width="stretch")
    common.download_buttons(lambda: views.events_table(store, selection), "troopmap-charts", key="charts-export")
