"""The review queue: the rows the extractor is least sure of, one at a time, each with its evidence
in the article, what else the extractor considered, and accept / fix / reject.

The threshold is ``extract.settings.review_threshold()`` (TROOPMAP_REVIEW_THRESHOLD), the one Home
uses to mark rows "to review". Decisions go through ``Storage.review_deployment`` (edit log, kept by
re-extraction). What else the extractor considered (``extract.alternatives``) is read once per
article and extractor version (``st.cache_data``), not on every rerun.
"""
from __future__ import annotations

import html
import warnings

import pandas as pd
import streamlit as st

from extract.alternatives import FigureOption, PlaceOption, RowAlternatives, article_options, row_alternatives
from extract.schema import STATUSES
from extract.settings import REVIEW_THRESHOLD_ENV, review_threshold
from storage import Storage, StorageError
from ui import common, sources
from ui.editing import plan_changes
from ui.highlight import highlight_html
from ui.values import first_present, missing, text

TO_REVIEW = "to review"
CONTEXT_CHARS = 600          # article text shown either side of the evidence
FIX_FIELDS = ("origin", "destination", "headcount", "force", "status", "date")


# ---- pure helpers ---------------------------------------------------------------------------------

def flag(value) -> bool:
    """A stored boolean as read back (Python or NumPy bool, or missing)."""
    return not missing(value) and bool(value)


def review_labels(rows: pd.DataFrame, threshold: float) -> pd.Series:
    """Per row: the person's verdict ("accepted", "fixed"), "edited" when corrected on Home, "to review"
    when the machine made it under ``threshold`` and nobody has checked it, else ""."""
    if rows.empty:
        return pd.Series([], dtype=object, index=rows.index)

    def label(row) -> str:
        if not missing(row.get("review")):
            return str(row["review"])
        if flag(row.get("human_added")):
            return ""
        if flag(row.get("edited")):
            return "edited"
        confidence = row.get("confidence")
        return TO_REVIEW if not missing(confidence) and float(confidence) < threshold else ""
    return rows.apply(label, axis=1).astype(object)


def excerpt(article_text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> tuple[int, str, bool, bool]:
    """The evidence with ``context`` characters around it, cut at whitespace: (offset, text, cut
    before, cut after)."""
    low, high = max(0, start - context), min(len(article_text), end + context)
    if low > 0:
        space = article_text.find(" ", low, start)
        low = space + 1 if space >= 0 else low
    if high < len(article_text):
        space = article_text.rfind(" ", end, high)
        high = space if space >= 0 else high
    return low, article_text[low:high], low > 0, high < len(article_text)


def row_summary(row: dict) -> str:
    figure = "no figure" if missing(row.get("headcount")) else f"{int(row['headcount']):,} troops"
    route = f"{first_present(row.get('origin'), default='(origin not stated)')} → " \
            f"{first_present(row.get('destination'), default='(no destination)')}"
    extras = [text(row.get("force")), text(row.get("status")), text(row.get("date"))]
    return " · ".join([figure, route, *[e for e in extras if e]])


def fix_plan(row: dict, typed: dict, resolve):
    """Check a person's fix of one row with the Home editor's rules (places looked up in the
    gazetteer, bad values refused): ``typed`` holds only the fields they changed."""
    base = pd.DataFrame([{**{f: row.get(f) for f in FIX_FIELDS}, "id": int(row["id"])}])
    return plan_changes(base, {"edited_rows": {0: typed}}, resolve)


def _comparable(field: str, value) -> str:
    if missing(value):
        return ""
    if field == "headcount":
        try:
            return str(int(float(str(value).replace(",", "").strip())))
        except ValueError:
            pass
    return str(value).strip()


def changed_fields(row: dict, typed: dict) -> dict:
    """The fields of ``typed`` whose value differs from the row's (2000 typed for 2,000 is no change)."""
    return {field: value for field, value in typed.items()
            if _comparable(field, value) != _comparable(field, row.get(field))}


@st.cache_data(show_spinner="Reading what else the extractor considered…", max_entries=64)
def options_for_article(article_text: str, lang: str | None, published: str | None,
                        version: str) -> list[FigureOption]:
    """The article's figures and candidate places, read once per text and extractor version."""
    return article_options(article_text, lang=lang if lang in ("en", "fr", "de", "es") else None,
                           published=published)


# ---- the page -------------------------------------------------------------------------------------

def _decide(store: Storage, row_id: int, decision: str, changes: dict | None = None, note: str = "") -> None:
    try:
        store.review_deployment(row_id, decision, changes)
    except StorageError as error:
        st.error(f"Not saved: {error}")
        return
    st.session_state["review_message"] = f"{decision.capitalize()}{note}: row {row_id}. Recorded in the edit log."
    st.session_state["review_last"] = row_id
    st.rerun()


def _undo_button(store: Storage) -> None:
    """Take back the last decision of this session (a reject by a stray key is one key away from undone)."""
    row_id = st.session_state.get("review_last")
    if row_id is None:
        return
    if st.button("Undo", key="review-undo", shortcut="U", icon="↩️",
                 help=f"Take back the decision on row {row_id}: it returns to the queue unchanged (key U)"):
        try:
            decision = store.undo_review(row_id)
        except StorageError as error:
            st.error(f"Cannot undo: {error}")
            st.session_state["review_last"] = None
            return
        st.session_state["review_last"] = None
        st.session_state["review_message"] = f"Undone: row {row_id} is no longer {decision}; it is back in the queue."
        skipped = st.session_state.get("review_skipped", [])
        if row_id in skipped:
            skipped.remove(row_id)
        st.rerun()


def _place_choice(store: Storage, row: dict, option: PlaceOption, number: int) -> None:
    current = text(row.get(option.role)) == option.name
    score = "—" if option.score is None else f"{option.score:.2f}"
    words = f" “{option.words}”" if option.words else " (implied)"
    label = f"{option.name} ({option.country or 'region'}){words} · score {score}"
    if current:
        st.markdown(f"✔ **{html.escape(label)}** — the row's {option.role}")
        return
    shortcut = str(number) if option.role == "destination" and number <= 9 else None
    if st.button(f"Use as {option.role}: {label}", key=f"use-{row['id']}-{option.role}-{number}", shortcut=shortcut,
                 help=f"Set the row's {option.role} to {option.name} and mark it fixed"):
        _decide(store, int(row["id"]), "fixed", option.fields, f" ({option.role} → {option.name})")


def _alternatives(store: Storage, row: dict, found: RowAlternatives) -> None:
    st.markdown("##### What the extractor also considered")
    if found.figure is None:
        st.caption("The figure of this row could not be found in the article again, so there is nothing to compare.")
        return
    st.caption(f"For “{found.figure.text}”: every place named near it, in each role, with the learned "
               "decision's score (1 = sure). One click sets the field; keys 1–9 choose a destination.")
    for role, options in (("destination", found.destinations), ("origin", found.origins)):
        st.markdown(f"**{role.capitalize()}**")
        if not options:
            st.caption(f"no other {role} candidate")
        for number, option in enumerate(options[:6], start=1):
            _place_choice(store, row, option, number)
    if found.figures:
        st.markdown("**Other figures in the sentence**")
        for figure in found.figures:
            if st.button(f"Use {figure.text} ({figure.value:,})", key=f"fig-{row['id']}-{figure.start}",
                         help="Set the row's headcount to this figure and mark it fixed"):
                _decide(store, int(row["id"]), "fixed", {"headcount": figure.value}, f" (headcount → {figure.value:,})")


def _fix_form(store: Storage, row: dict) -> None:
    with st.form(f"fix-{row['id']}", border=True):
        st.markdown("##### Fix by hand")
        left, right = st.columns(2)
        typed = {
            "origin": left.text_input("Origin", value=text(row.get("origin")), key=f"fix-origin-{row['id']}"),
            "destination": right.text_input("Destination", value=text(row.get("destination")),
                                            key=f"fix-destination-{row['id']}"),
            "headcount": left.text_input("Headcount", value="" if missing(row.get("headcount"))
                                         else str(int(row["headcount"])), key=f"fix-headcount-{row['id']}"),
            "force": right.text_input("Force (whose troops)", value=text(row.get("force")),
                                      key=f"fix-force-{row['id']}"),
            "status": left.selectbox("Status", STATUSES, index=STATUSES.index(row["status"])
                                     if row.get("status") in STATUSES else len(STATUSES) - 1,
                                     key=f"fix-status-{row['id']}"),
            "date": right.text_input("Date (YYYY-MM-DD)", value=text(row.get("date")), key=f"fix-date-{row['id']}"),
        }
        if st.form_submit_button("Save fix", type="primary"):
            changes = changed_fields(row, typed)
            if not changes:
                st.warning("Nothing was changed: edit a field, or accept the row as it is.")
                return
            plan = fix_plan(row, changes, lambda name: common.resolve_place(name, row.get("article_text"),
                                                                             row.get("article_lang")))
            if not common.show_plan(plan, "form"):
                return
            _decide(store, int(row["id"]), "fixed", plan.updates[0][1] if plan.updates else {},
                    " (" + ", ".join(sorted(changes)) + ")")


def page() -> None:
    store = common.storage()
    common.ensure_example()
    st.title("Review")
    with warnings.catch_warnings(record=True) as problems:
        warnings.simplefilter("always")
        threshold = review_threshold()
    for problem in problems:   # a mistyped TROOPMAP_REVIEW_THRESHOLD is said, not silently replaced
        st.warning(str(problem.message))
    st.caption(f"The rows the extractor is least sure of (confidence under {threshold:.2f}; set "
               f"{REVIEW_THRESHOLD_ENV} to change it), least confident first. Accept what is right, fix "
               "what is nearly right, reject what is wrong: every decision goes to the edit log, re-reading "
               "an article keeps it, and `python -m extract.corrections` exports it for training.")
    checked, total = store.review_progress(threshold)
    if total == 0:
        st.info("No deployments stored under the threshold: nothing to review. Add articles on the Home page.")
        return
    st.progress(checked / total, text=f"{checked} of {total} checked")
    message = st.session_state.pop("review_message", None)
    if message:
        st.success(message)
    _undo_button(store)
    sources.show_message()

    skipped = st.session_state.setdefault("review_skipped", [])
    queue = store.review_queue(threshold, limit=len(skipped) + 1)
    waiting = queue[~queue["id"].isin(skipped)]
    if waiting.empty:
        if skipped:
            st.info(f"You skipped the {len(skipped)} row(s) left.")
            if st.button("Start again from the least confident", key="review-unskip"):
                st.session_state["review_skipped"] = []
                st.rerun()
        else:
            st.success(f"All {total} rows under the threshold are checked.")
        return
    row = waiting.iloc[0].to_dict()
    row_id = int(row["id"])

    st.subheader(row_summary(row))
    st.caption(f"confidence {float(row['confidence']):.2f} · from “{first_present(row.get('article_title'), row.get('article_source'), default='article ' + str(row['article_id']))}”"
               f" · row {row_id}")
    accept, reject, skip, _ = st.columns([1, 1, 1, 3])
    if accept.button("Accept", key="review-accept", type="primary", shortcut="A",
                     help="The row is right as it is (key A)"):
        _decide(store, row_id, "accepted")
    if reject.button("Reject", key="review-reject", shortcut="X",
                     help="The row is wrong: delete it; re-reading the article will not bring it back (key X)"):
        _decide(store, row_id, "rejected")
    if skip.button("Skip", key="review-skip", shortcut="S", help="Decide later (key S)"):
        skipped.append(row_id)
        st.rerun()

    article_col, choice_col = st.columns([3, 2])
    with article_col:
        article_text = row["article_text"]
        start, end = row.get("start"), row.get("end")
        if missing(start) or missing(end):
            st.markdown(highlight_html(article_text, pd.DataFrame([row])), unsafe_allow_html=True)
        else:
            offset, shown, before, after = excerpt(article_text, int(start), int(end))
            lead = "… " if before else ""
            moved = {**row, "start": int(start) - offset + len(lead), "end": int(end) - offset + len(lead)}
            st.markdown(highlight_html(lead + shown + (" …" if after else ""), pd.DataFrame([moved])),
                        unsafe_allow_html=True)
            with st.expander("Whole article"):
                st.markdown(highlight_html(article_text, pd.DataFrame([row])), unsafe_allow_html=True)
    _fix_form(store, row)

    event_id = row.get("event_id")
    if not missing(event_id):
        with st.expander("Sources: every article that reports this movement"):
            sources.sources_panel(store, int(event_id), key="review-sources")

    # Last: reading an article the first time (and loading the models, once per server) takes
    # seconds; everything above is already on screen and usable meanwhile.
    with choice_col:
        options = options_for_article(article_text, text(row.get("article_lang")) or None,
                                      text(row.get("article_published")) or None, common.extractor_version())
        _alternatives(store, row, row_alternatives(options, row))
