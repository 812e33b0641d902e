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
  if (data.warm && !window.__troopmapWarmed) {
    window.__troopmapWarmed = true;
    const warm = () => {
      const index = document.querySelector('script[type="module"][src*="/static/js/index."]');
      if (index) import(new URL(data.warm, index.src).href).catch(() => {});
    };
    if ("requestIdleCallback" in window) requestIdleCallback(warm, { timeout: 2000 }); else setTimeout(warm, 500);
  }
}
"""
_svg_map_component = st.components.v2.component(
    "troopmap.svg_map", html='<div class="tm-map-holder"></div>', js=_JS)


def _deck_chunk() -> str | None:
    """Streamlit's deck.gl chunk (the Map page's map), named relative to its index script."""
    import pathlib
    found = sorted((pathlib.Path(st.__file__).parent / "static" / "static" / "js").glob("DeckGlJsonChart.*.js"))
    return f"./{found[0].name}" if found else None


_DECK_CHUNK = _deck_chunk()


def svg_map_chart(svg: str, key: str) -> dict | None:
    """Show ``svg``; the event of the arc or dot last clicked (``{"event_id": n}``), or None."""
    result = _svg_map_component(data={"svg": svg, "warm": _DECK_CHUNK}, key=key, width="content",
                                on_picked_change=lambda: None)
    picked = result.get("picked") if hasattr(result, "get") else getattr(result, "picked", None)
    return picked if isinstance(picked, dict) and picked.get("event_id") is not None else None
