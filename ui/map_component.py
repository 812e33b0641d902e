"""Home's SVG map (:mod:`ui.svg_map`) as a Streamlit component that reports which arc or dot was clicked.

``st.html`` would show the picture but cannot say what was clicked; a click on an arc opens the
sources of its movement, as on the Map page. Streamlit's inline components (``st.components.v2``)
run a few lines of JavaScript in the page itself: no file to serve, no iframe, nothing fetched.

The SVG is set as HTML, so everything in it that comes from an article (places, evidence, titles)
is escaped by :func:`ui.svg_map.svg_map`.
"""
from __future__ import annotations

import streamlit as st

# The picked event is kept as the component's state (not a one-off trigger), as a deck.gl chart
# keeps its selection: the sources it opened stay open while the page reruns for other widgets.
_JS = """
export default function ({ parentElement, data, setStateValue }) {
  const holder = parentElement.querySelector(".tm-map-holder");
  if (holder.shownSvg !== data.svg) {   // a rerun that changed nothing redraws nothing
    holder.innerHTML = data.svg;
    holder.shownSvg = data.svg;
  }
  const pick = (event) => {
    const picked = event.target.closest("[data-event]");
    if (picked) setStateValue("picked", { event_id: Number(picked.dataset.event) });
  };
  holder.onclick = pick;
  holder.onkeydown = (event) => { if (event.key === "Enter" || event.key === " ") pick(event); };
  // Once the page is idle, the code of the Map page's map (deck.gl), which Streamlit loads only
  // when a page first shows one.
  if (data.warm && data.warm.length && !window.__troopmapWarmed) {
    window.__troopmapWarmed = true;
    const index = document.querySelector('script[type="module"][src*="/static/js/index."]');
    const later = (work) => ("requestIdleCallback" in window)
      ? requestIdleCallback(work, { timeout: 2000 }) : setTimeout(work, 500);
    const next = (i) => {
      if (!index || i >= data.warm.length) return;
      later(() => import(new URL(data.warm[i], index.src).href).catch(() => {}).then(() => next(i + 1)));
    };
    next(0);
  }
}
"""
_svg_map_component = st.components.v2.component(
    "troopmap.svg_map", html='<div class="tm-map-holder"></div>', js=_JS)


# Streamlit's chunk of the Map page's map (its name carries a hash of the release; a chunk not found
# is not warmed, and nothing else changes). Not plotly's for Charts as well: a visit to Map right
# after Home then waited for it (Map 2.45-2.72 s against 1.52-1.66 s, Charts 0.9 s against 1.8 s).
WARMED_CHUNKS = ("DeckGlJsonChart",)


def _warm_chunks() -> list[str]:
    """The chunks to load once Home is idle, named relative to Streamlit's index script."""
    import pathlib
    folder = pathlib.Path(st.__file__).parent / "static" / "static" / "js"
    found = (sorted(folder.glob(f"{name}.*.js")) for name in WARMED_CHUNKS)
    return [f"./{paths[0].name}" for paths in found if paths]


_WARM = _warm_chunks()


def svg_map_chart(svg: str, key: str) -> dict | None:
    """Show ``svg``; the event of the arc or dot last clicked (``{"event_id": n}``), or None."""
    result = _svg_map_component(data={"svg": svg, "warm": _WARM}, key=key, width="content",
                                on_picked_change=lambda: None)
    picked = result.get("picked") if hasattr(result, "get") else getattr(result, "picked", None)
    return picked if isinstance(picked, dict) and picked.get("event_id") is not None else None
