"""Charts: troops by destination, origin and force; flows; a timeline; the largest moves."""
from __future__ import annotations

import streamlit as st

from ui import common
from ui.errors import page_errors
from ui.figures import all_charts
from ui.tables import counted_total, largest_moves

with page_errors("The Charts page"):
    shown = common.library_page("Charts", "Charts", "📊", key="charts")
    st.metric("Troops in view (each figure once)", f"{counted_total(shown):,}")
    st.caption(
        "How totals are counted: a movement reported by several articles is one event and counts once. "
        "A figure shared between places with no breakdown (“2,000 to Poland and Germany”) counts once in "
        "every total; in the per-destination and per-origin bars and the flows it is **split evenly** "
        "between its places (1,000 each), so the bars add up to the total above. A headline total that the "
        "article breaks down later is not added to its breakdown.")
    if shown.empty:
        st.warning("No movement matches these filters.")
        st.stop()

    charts = all_charts(shown)
    left, right = st.columns(2)
    left.plotly_chart(charts["destination"], key="chart-destination")
    right.plotly_chart(charts["origin"], key="chart-origin")
    left, right = st.columns(2)
    left.plotly_chart(charts["force"], key="chart-force")
    right.plotly_chart(charts["largest"], key="chart-largest")
    st.plotly_chart(charts["sankey"], key="chart-sankey")
    st.plotly_chart(charts["timeline"], key="chart-timeline")

    st.markdown("#### Largest moves")
    st.dataframe(largest_moves(shown, limit=25), hide_index=True, width="stretch")
    common.download_buttons(shown, "troopmap-charts", key="charts-export")
