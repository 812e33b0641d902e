"""Map: every stored movement as an arc, countries shaded by troops received, installations."""
from __future__ import annotations

import streamlit as st

from ui import common
from ui.errors import page_errors
from ui.figures import build_map, legend
from ui.tables import counted_total

with page_errors("The Map page"):
    shown = common.library_page("Map of deployments", "Map", "🗺️", key="map")
    colour_by = st.sidebar.radio("Colour arcs by", ["force", "status"], key="map-colour")
    show_installations = st.sidebar.checkbox("Show military installations", value=True, key="map-installations")

    left, middle, right = st.columns(3)
    left.metric("Movements shown", f"{len(shown):,}", help="Events: a movement reported by several articles counts once")
    middle.metric("Troops (each figure once)", f"{counted_total(shown):,}")
    right.metric("Articles", f"{len({a for ids in shown['article_ids'] for a in ids}):,}")

    deck = build_map(shown, common.countries(), common.installations() if show_installations else None,
                     colour_by=colour_by, height=600)
    st.pydeck_chart(deck, height=600)
    common.show_legend(legend(shown, colour_by), colour_by)
    st.caption("Arcs run from pale at the origin to full colour at the destination; the hue is the force or status. "
               "Arc width: troops (a figure shared between places is split evenly). Countries are shaded by "
               "troops received. Movements without a stated origin are dots at their destination. "
               "Hover for details. No map tiles: the land is drawn from data/countries.geojson.")

    st.markdown("#### Movements shown")
    common.events_table(shown)
    common.download_buttons(shown, "troopmap-map", key="map-export")
