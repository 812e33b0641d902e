"""Charts: troops by destination, origin and force; flows; a timeline; the largest moves."""
from __future__ import annotations

from dataclasses import replace
from functools import partial

import streamlit as st

from storage import views
from ui import common, sources
from ui.errors import page_errors
from ui.figures import chart_pick, flow_pick, library_charts
from ui.tables import largest_moves, prepare_events

CLICKED = "charts-clicked"   # the chart clicked last: its selection is the one whose sources are shown
FLOW = "chart-sankey-flow"   # the Sankey flow picked from the list under it


def remember_click(name: str) -> None:
    st.session_state[CLICKED] = name
    if name != "sankey":
        st.session_state[FLOW] = None   # the list shows no flow while a bar's sources are open


def chart(column, charts: dict, name: str) -> None:
    """A chart whose bars (or markers) can be clicked: one point at a time, dragging still zooms."""
    column.plotly_chart(charts[name], key=f"chart-{name}", on_select=partial(remember_click, name),
                        selection_mode="points")


def flow_picker(links) -> None:
    """The Sankey's flows as a list to pick from: Streamlit does not report a click on a Sankey link."""
    flows = {(o, d): allocated for o, d, allocated in links[["origin_label", "destination_label", "allocated"]]
             .itertuples(index=False)}
    st.selectbox("Sources of a flow", list(flows), index=None, key=FLOW,
                 format_func=lambda flow: f"{flow[0]} → {flow[1]} · {round(flows[flow]):,} troops",
                 placeholder="Pick a flow of the diagram for its movements and sources",
                 on_change=remember_click, args=("sankey",))


def picked_sources(store, selection: views.Selection, charts: set[str]) -> None:
    """The movements behind the bar, marker or flow picked last, within the sidebar's filters, if
    that was one of ``charts``."""
    name = st.session_state.get(CLICKED)
    if name not in charts:
        return
    if name == "sankey":
        flow = st.session_state.get(FLOW)
        pick = flow_pick(*flow) if flow else None
    else:
        points = (st.session_state.get(f"chart-{name}") or {}).get("selection", {}).get("points", [])
        pick = chart_pick(name, points[0]) if points else None
    if pick is None:
        return
    members = replace(selection, group=pick.group, since=pick.since or selection.since,
                      until=pick.until or selection.until)
    total = common.view(store, "summary", members)["events"]
    table = common.view(store, "events_table", members, limit=sources.MEMBERS_SHOWN)
    sources.picked_sources(store, pick.title, table, total, key="charts-sources")


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
    chart(left, charts, "destination")
    chart(right, charts, "origin")
    left, right = st.columns(2)
    chart(left, charts, "force")
    chart(right, charts, "largest")
    st.caption("Click a bar (or a marker of the timeline below) for the movements it sums and every article that "
               "reports them.")
    # Under the bars, so what a click opens is in sight; the timeline's markers open it here too.
    picked_sources(store, selection, {"destination", "origin", "force", "largest", "timeline"})
    st.plotly_chart(charts["sankey"], key="chart-sankey")
    flow_picker(common.view(store, "links", selection))
    picked_sources(store, selection, {"sankey"})
    chart(st, charts, "timeline")

    st.markdown("#### Largest moves")
    pool = prepare_events(common.view(store, "events_table", selection, limit=300, with_sources=False))
    st.dataframe(largest_moves(pool, limit=25).drop(columns=["event_ids"]), hide_index=True, width="stretch")
    common.download_buttons(lambda: views.events_table(store, selection), "troopmap-charts", key="charts-export")
