"""Map: stored movements as arcs (by place or by country), replayed by date, exported for GIS."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from storage import views
from ui import common, sources
from ui.errors import page_errors
from ui.figures import build_map, fitted_zoom, flows_for_map, legend, picked_flow
from ui.land import map_detail
from ui.tables import prepare_events
from ui.timeline import replay_steps

MAX_ARCS = 1500          # arcs drawn; a busier selection shows its largest routes and says so
TABLE_ROWS = 500         # movements listed under the map; the downloads hold all of them
PLAY_SECONDS = 1.0       # one timeline step per second while playing
MAP_SIZE = (900, 600)    # width and height in pixels the view is fitted to (the width is the page's, roughly)
LEVELS = {"places": "place", "countries": "country"}
WINDOWS = ("up to this step (earlier ones faded)", "this step only")


def toggle_play(last_index: int) -> None:
    state = st.session_state
    state["map-playing"] = not state.get("map-playing", False)
    if state["map-playing"] and state.get("map-step", 0) >= last_index:
        state["map-step"] = 0    # play again from the start


def day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def flow_sources(store, picked: dict, window: views.Selection, level: str, colour_by: str) -> None:
    """The movements of the clicked arc or dot within the filters (and timeline step) it was drawn
    with, and the sources of the one picked."""
    if picked.get("place_row") is not None:
        group = common.view(store, "flow_group", level, colour_by, picked["place_row"], picked.get("category"))
    else:
        group = (("event", (int(picked["event_id"]),)),)
    members = replace(window, group=group) if group is not None else None
    total = common.view(store, "summary", members)["events"] if members else 0
    table = (common.view(store, "events_table", members, limit=sources.MEMBERS_SHOWN) if members
             else pd.DataFrame(columns=["event_id"]))
    sources.picked_sources(store, f"{picked.get('tip_title', 'this arc')} ({colour_by} {picked.get('category')})",
                           table, total, key="map-sources")


def draw(store, selection: views.Selection, timeline: list, colour_by: str, level: str, window: str,
         show_installations: bool, forces: list[str]) -> None:
    """Metrics, map, legend and table of the selection at the timeline's step (all of it when the
    timeline is off). A fragment: while playing it reruns alone, one step per PLAY_SECONDS."""
    state = st.session_state
    shown, earlier = selection, None
    if timeline:
        last = len(timeline) - 1
        if state.get("map-playing"):
            if state.get("map-step", 0) < last:
                state["map-step"] = state.get("map-step", 0) + 1
            else:
                state["map-playing"] = False
                st.rerun()      # the whole page, so the fragment stops running on a timer
        index = st.select_slider("Timeline step", options=list(range(len(timeline))), key="map-step",
                                 format_func=lambda i: timeline[i].label, disabled=state.get("map-playing", False))
        step = timeline[index]
        shown = replace(selection, since=step.start, until=step.end)
        if window == WINDOWS[0] and index > 0:
            earlier = replace(selection, since=timeline[0].start, until=day_before(step.start))
        st.caption(f"**{step.label}**: movements dated {step.start}" + ("" if step.start == step.end
                                                                       else f" to {step.end}")
                   + (f"; earlier ones (from {timeline[0].start}) faded" if earlier else ""))

    everything = replace(shown, since=timeline[0].start) if earlier else shown
    totals = common.view(store, "summary", everything)
    left, middle, right = st.columns(3)
    left.metric("Movements shown", f"{totals['events']:,}",
                help="Events: a movement reported by several articles counts once")
    middle.metric("Troops (each figure once)", f"{totals['troops']:,}")
    right.metric("Articles", f"{totals['articles']:,}")

    names, points = common.country_names(), common.country_points()
    arcs = flows_for_map(common.view(store, "flows", shown, level=level, colour_by=colour_by, limit=MAX_ARCS),
                         level, colour_by, points, names)
    if earlier is not None:
        faded = flows_for_map(common.view(store, "flows", earlier, level=level, colour_by=colour_by,
                                          limit=MAX_ARCS), level, colour_by, points, names).assign(faded=True)
        arcs = pd.concat([faded, arcs.assign(faded=False)], ignore_index=True)
    routes = common.view(store, "count_routes", everything, level=level)
    # While replaying, the camera fits the whole selection, so it stays still from step to step.
    fit = flows_for_map(common.view(store, "flows", selection, level=level, colour_by=colour_by, limit=MAX_ARCS),
                        level, colour_by, points, names) if timeline else None
    # Fitted to a world or continent view, the map draws a lighter land (ui/land.py): its first draw
    # in a browser without a GPU is about 0.2 s sooner.
    zoom = fitted_zoom(fit if fit is not None and not fit.empty else arcs, MAP_SIZE[0], MAP_SIZE[1])
    deck = build_map(arcs, common.countries(map_detail(zoom)), common.installations() if show_installations else None,
                     colour_by=colour_by, width=MAP_SIZE[0], height=MAP_SIZE[1], fit=fit, forces=forces)
    clicked = st.pydeck_chart(deck, height=MAP_SIZE[1], key="map-deck", on_select="rerun",
                              selection_mode="single-object")
    common.show_legend(legend(arcs, colour_by, forces), colour_by)
    drawn = (arcs["faded"].eq(False).sum() if "faded" in arcs else len(arcs)) if len(arcs) else 0
    notes = ["Arc width: troops (a figure shared between places is split evenly); one arc per "
             + ("route and " if level == "place" else "pair of countries and ") + colour_by + "."]
    if routes > MAX_ARCS:
        notes.append(f"**{min(drawn, MAX_ARCS):,} largest of {routes:,} routes drawn**: switch to countries or "
                     "filter to see the rest.")
    notes.append("Countries are shaded by troops received; movements without a stated origin are dots at their "
                 "destination. Hover for details, **click an arc or dot for its movements and their sources**. "
                 "No map tiles: the land is drawn from data/countries.geojson.")
    st.caption(" ".join(notes))
    picked = picked_flow(clicked)
    if picked is not None:
        flow_sources(store, picked, earlier if picked.get("faded") and earlier is not None else shown, level, colour_by)

    if timeline:
        undated = common.view(store, "events_table", replace(selection, since=None, until=None),
                              limit=TABLE_ROWS, undated_only=True)
        if len(undated):
            with st.expander(f"{len(undated):,}{'+' if len(undated) == TABLE_ROWS else ''} movement(s) with no date "
                             "are not on the timeline"):
                common.events_table(prepare_events(undated))

    st.markdown("#### Movements shown")
    table = common.view(store, "events_table", everything, limit=TABLE_ROWS)
    if totals["events"] > TABLE_ROWS:
        st.caption(f"The {TABLE_ROWS:,} largest of {totals['events']:,} movements; the downloads hold all of them.")
    common.events_table(prepare_events(table))
    common.download_buttons(lambda: views.events_table(store, everything), "troopmap-map", key="map-export")


with page_errors("The Map page"):
    store, selection, options = common.library_page("Map of deployments", "Map", "🗺️", key="map")
    colour_by = st.sidebar.radio("Colour arcs by", ["force", "status"], key="map-colour")
    # Off at first: their dots are a third layer type, whose shaders a browser without a GPU compiles
    # in software on the first visit (0.2 s of its 1.9 s), and 704 grey dots crowd a world view.
    show_installations = st.sidebar.checkbox("Show military installations", value=False, key="map-installations",
                                             help="704 known bases and airfields (data/installations.csv)")

    level_col, replay_col, play_col, window_col = st.columns([2, 1.3, 1, 2.5], vertical_alignment="center")
    level = LEVELS[level_col.radio("Flows between", list(LEVELS), horizontal=True, key="map-level",
                                   help="Countries: every route between two countries summed into one arc, "
                                        "for busy maps")]
    replay = replay_col.toggle("Replay by date", key="map-replay",
                               help="A slider over the movements' dates, with a play button")
    timeline: list = []
    window = WINDOWS[0]
    if replay:
        days = common.view(store, "days", selection)
        if len(days) >= 2:
            _unit, timeline = replay_steps(days)
        if len(timeline) >= 2:
            playing = st.session_state.get("map-playing", False)
            play_col.button("⏸ Pause" if playing else "▶ Play", key="map-play", on_click=toggle_play,
                            args=(len(timeline) - 1,), width="stretch")
            window = window_col.radio("Show", WINDOWS, key="map-window", label_visibility="collapsed")
            if st.session_state.get("map-step", 0) > len(timeline) - 1:
                st.session_state["map-step"] = len(timeline) - 1
        else:
            timeline = []
            replay_col.caption("All dated movements shown are on one day: nothing to replay.")
            st.session_state["map-playing"] = False
    else:
        st.session_state["map-playing"] = False

    playing = bool(timeline) and st.session_state.get("map-playing", False)
    st.fragment(run_every=PLAY_SECONDS if playing else None)(draw)(
        store, selection, timeline, colour_by, level, window, show_installations, options["forces"])
