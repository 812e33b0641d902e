"""Sources of a movement: every article that reports one event, side by side, with where they
disagree; and the hand merge/split of events. Pure shaping first, then the Streamlit panel."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from storage import Storage, StorageError
from ui.values import first_present, missing, text

SIDE_BY_SIDE = ["article", "published", "headcount", "date", "origin", "destination", "force", "status",
                "evidence"]


def _when(row) -> str:
    """The movement's date as the report gives it, else its article's publication date."""
    return first_present(row.get("date"), row.get("article_published"), default="")[:10]


def side_by_side(reports: pd.DataFrame) -> pd.DataFrame:
    """One line per report (Storage.event_sources): the article and its own figure, date and evidence."""
    records = reports.to_dict("records")
    return pd.DataFrame([{
        "id": int(r["id"]),
        "article": first_present(r.get("article_title"), r.get("article_source"), default=f"article {r['article_id']}"),
        "published": text(r.get("article_published"))[:10] or None,
        "headcount": None if missing(r.get("headcount")) else int(r["headcount"]),
        "date": _when(r) or None,
        "origin": text(r.get("origin")) or None,
        "destination": text(r.get("destination")) or None,
        "force": text(r.get("force")) or None,
        "status": text(r.get("status")) or None,
        "evidence": text(r.get("evidence")),
    } for r in records], columns=["id", *SIDE_BY_SIDE])


def disagreements(lines: pd.DataFrame) -> list[str]:
    """Where the reports of one event differ, one sentence per field, naming who says what."""
    found = []

    def who_says(column: str, fmt=str) -> str:
        said: dict[str, list[str]] = {}
        for line in lines.itertuples():
            value = getattr(line, column)
            if not missing(value):
                said.setdefault(fmt(value), []).append(line.article)
        return "; ".join(f"{value} ({', '.join(articles)})" for value, articles in said.items())

    counts = sorted({int(v) for v in lines["headcount"].dropna()})
    if len(counts) > 1:
        spread = (counts[-1] - counts[0]) / counts[-1] if counts[-1] else 0
        found.append(f"Headcounts differ by {counts[-1] - counts[0]:,} ({spread:.0%}): "
                     + who_says("headcount", lambda v: f"{int(v):,}"))
    days = sorted({d for d in lines["date"].dropna()})
    if len(days) > 1:
        first, last = pd.Timestamp(days[0]), pd.Timestamp(days[-1])
        found.append(f"Dates differ by {(last - first).days} day(s): " + who_says("date"))
    for column, label in (("origin", "Origins"), ("destination", "Destinations"), ("status", "Statuses")):
        if lines[column].dropna().nunique() > 1:
            found.append(f"{label} differ: " + who_says(column))
    return found


def _mark_differences(lines: pd.DataFrame):
    """A Styler that colours the cells of the columns where the reports differ."""
    differing = [c for c in ("headcount", "date", "origin", "destination", "status")
                 if lines[c].dropna().nunique() > 1]
    return lines.style.map(lambda _v: "background-color: rgba(231, 63, 116, .25)", subset=differing) \
        .format({"headcount": lambda v: "" if missing(v) else f"{int(v):,}"})


EVIDENCE_OPEN = 3   # up to this many reports, their sentences are shown without a click


def evidence_html(lines: pd.DataFrame) -> str:
    """Each report's evidence sentence in full, under its article, figure and date (escaped)."""
    def one(line) -> str:
        said = " · ".join(part for part in (
            "" if missing(line.headcount) else f"{int(line.headcount):,}", text(line.date),
            f"{text(line.origin, '?')} → {text(line.destination, '?')}") if part)
        return (f'<div class="tm-report"><b>{html.escape(str(line.article))}</b> · {html.escape(said)}'
                f'<blockquote class="tm-report-evidence" style="margin:.2rem 0 .6rem;padding-left:.7rem;'
                f'border-left:3px solid rgba(231,63,116,.5)">{html.escape(text(line.evidence, "(no sentence)"))}'
                '</blockquote></div>')
    return "".join(one(line) for line in lines.itertuples())


def event_label(event) -> str:
    """How an event is named in a list: route, figure, date, number of sources."""
    get = event.get if isinstance(event, dict) else lambda name: getattr(event, name, None)
    figure = "" if missing(get("headcount")) else f" · {int(get('headcount')):,}"
    day = "" if missing(get("when")) else f" · {str(get('when'))[:10]}"
    route = f"{first_present(get('origin'), default='?')} → {first_present(get('destination'), default='?')}"
    return f"#{int(get('event_id'))} · {route}{figure}{day} · {int(get('n_sources'))} source(s)"


def sources_panel(store: Storage, event_id: int, key: str) -> None:
    """The reports of one event side by side, their disagreements, and merge/split by hand."""
    reports = store.event_sources(event_id)
    if reports.empty:
        st.info("This movement has no stored report any more.")
        return
    lines = side_by_side(reports)
    n = len(lines)
    st.markdown(f"**Movement #{event_id}: {n} report(s)** from {lines['article'].nunique()} article(s)")
    problems = disagreements(lines)
    for problem in problems:
        st.warning(problem, icon="⚖️")
    if n > 1 and not problems:
        st.caption("The reports agree on figure, date, places and status.")
    st.dataframe(_mark_differences(lines.drop(columns=["id"])), hide_index=True, width="stretch",
                 column_config={"evidence": st.column_config.TextColumn("evidence sentence", width="large")})
    # A grid cell cuts a sentence short: the sentences are also given in full, one per report.
    with st.expander(f"Evidence sentences in full ({n})", expanded=n <= EVIDENCE_OPEN):
        st.markdown(evidence_html(lines), unsafe_allow_html=True)

    split_col, merge_col = st.columns(2)
    with split_col:
        if n > 1:
            labels = {int(r.id): f"{r.article}: {'' if missing(r.headcount) else f'{int(r.headcount):,} · '}"
                                 f"{r.origin or '?'} → {r.destination or '?'}" for r in lines.itertuples()}
            chosen = st.selectbox("Not the same movement? Split a report off", list(labels), format_func=labels.get,
                                  key=f"{key}-split-row")
            if st.button("Split off", key=f"{key}-split"):
                _run(lambda: store.split_deployment(chosen), "Report split off into movement #{}.")
    with merge_col:
        candidates = store.nearby_events(event_id)
        if not candidates.empty:
            options = {int(e.event_id): event_label(e._asdict()) for e in candidates.itertuples()}
            other = st.selectbox("The same movement as another? Merge with", list(options),
                                 format_func=options.get, key=f"{key}-merge-with", index=None,
                                 placeholder="Choose a movement")
            if st.button("Merge", key=f"{key}-merge", disabled=other is None):
                _run(lambda: store.merge_events([event_id, other]), "Merged into movement #{}.")
    st.caption("Splits and merges are kept in the edit log (field “event”) and hold when articles are "
               "re-read or rows corrected.")


def row_sources(store: Storage, rows: pd.DataFrame, key: str, event_id: int | None = None) -> None:
    """Pick one of ``rows`` (Storage.deployments of an article) and show the sources of its movement.
    ``event_id`` (an arc clicked on the map) picks that movement's row once; the list stays free."""
    show_message()
    in_event = rows[rows["event_id"].notna()]
    if in_event.empty:
        st.caption("No movement of this article to follow.")
        return
    if event_id != st.session_state.get(f"{key}-clicked"):
        st.session_state[f"{key}-clicked"] = event_id
        of_event = in_event.loc[in_event["event_id"].astype(int) == event_id, "id"] if event_id is not None else []
        if len(of_event):
            st.session_state[f"{key}-row"] = int(of_event.iloc[0])
    labels = {int(r.id): f"{'' if missing(r.headcount) else f'{int(r.headcount):,} · '}"
                         f"{text(r.origin, '?')} → {text(r.destination, '?')}" for r in in_event.itertuples()}
    chosen = st.selectbox("Every article that reports this movement, side by side", list(labels),
                          format_func=labels.get, key=f"{key}-row")
    sources_panel(store, int(in_event.set_index("id").loc[chosen, "event_id"]), key=key)


MEMBERS_SHOWN = 12   # events listed under a clicked arc or bar; the largest ones


def member_label(event: dict) -> str:
    """One event of an arc or bar, as listed: figure, route, date, status, sources."""
    figure = "no figure" if missing(event.get("headcount")) else f"{int(event['headcount']):,} troops"
    route = f"{text(event.get('origin'), '?')} → {text(event.get('destination'), '?')}"
    day = first_present(event.get("date"), event.get("published"), default="")[:10] or "undated"
    sources = event.get("n_sources")
    count = "" if missing(sources) else f" · {int(sources)} source{'' if int(sources) == 1 else 's'}"
    return f"{figure} · {route} · {day} · {text(event.get('status'), 'status?')}{count}"


def picked_sources(store: Storage, what: str, members: pd.DataFrame, total: int, key: str) -> None:
    """Under a map or chart: the events one clicked arc or bar sums (``members``, largest first,
    at most MEMBERS_SHOWN of ``total``), one of them picked (the largest by default), and that
    event's sources side by side (:func:`sources_panel`)."""
    show_message()
    st.markdown(f"#### Sources of {what}")
    if members.empty:
        st.info("No stored movement is behind this any more (the filters or the library changed): "
                "click it again.")
        return
    records = {int(r["event_id"]): r for r in members.to_dict("records")}
    more = f"; the {len(records)} largest are listed" if total > len(records) else ""
    st.caption(f"{total:,} movement{'' if total == 1 else 's'} in it{more}. Pick one to see every article that "
               "reports it.")
    chosen = st.radio("Movements, largest first", list(records), key=f"{key}-event-{what}",
                      format_func=lambda event_id: member_label(records[event_id]))
    sources_panel(store, int(chosen), key=key)


def _run(action, message: str) -> None:
    try:
        result = action()
    except StorageError as error:
        st.error(str(error))
        return
    st.session_state["sources_message"] = message.format(result)
    st.rerun()


def show_message() -> None:
    """The confirmation of the last merge or split, shown once after the rerun it caused."""
    message = st.session_state.pop("sources_message", None)
    if message:
        st.success(message + " Recorded in the edit log.")
