"""What every page shares: cached resources, the example article, the filters sidebar, exports.

Caching keeps reruns cheap: the database handle and the language models are
``st.cache_resource`` (one per server process), data files and extraction results are
``st.cache_data`` (an extraction is keyed by the article text, date and extractor version,
so the same text is never read twice); the country polygons are a shared read-only resource.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from extract.schema import STATUSES
from storage import Storage, StorageError
from ui import export
from ui.tables import prepare_events, with_article_dates
from ui.values import article_label, missing

REPO_ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str | None:
    return os.environ.get("TROOPMAP_DB") or None


@dataclass
class Opened:
    storage: Storage
    fresh: bool  # the database did not exist before this process opened it


@st.cache_resource(show_spinner="Opening the database…")
def _open(url: str | None) -> Opened:
    storage = Storage(url)
    # A database whose articles were all removed is not new, so a removed example stays removed.
    return Opened(storage, storage.created)


def storage() -> Storage:
    """The app's database (TROOPMAP_DB, else data/troopmap.db); stops the page with a clear
    message when it cannot be opened."""
    try:
        return _open(database_url()).storage
    except StorageError as error:
        st.error(f"The database cannot be opened: {error}")
        st.stop()


@st.cache_resource(show_spinner="Loading the language models (first time only)…")
def warm_models() -> bool:
    """Load the pipelines once per server, before the first extraction."""
    from extract.pipeline import troop_pipeline
    for lang in ("en", "fr", "de", "es"):
        troop_pipeline(lang)
    return True


def extract_table(text: str, published: str | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The extractor's rows for ``text`` and its warnings (e.g. an unsupported language), read
    once per text, date and extractor version."""
    return _extract_table(text, published, extractor_version())


@st.cache_data(show_spinner=False, max_entries=512)
def _extract_table(text: str, published: str | None, version: str) -> tuple[pd.DataFrame, list[str]]:
    import warnings

    from extract import extract_deployments
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = extract_deployments(text, published=published)
    return frame, list(frame.attrs.get("warnings", []))


def extractor_version() -> str:
    from extract.pipeline import EXTRACTOR_VERSION
    return EXTRACTOR_VERSION


@st.cache_resource(show_spinner=False)
def countries(detail: str = "map") -> dict:
    """The country polygons as the maps draw them (ui/land.py: computed ahead, committed; "map" for
    the Map page, "preview" or, zoomed far out, "overview" for Home's small map), read once per server and shared read-only, not
    copied, on every rerun."""
    from ui import land
    return land.load(detail)


def home_map(store: Storage, article_id: int, events: pd.DataFrame, colour_by: str, width: int, height: int) -> str:
    """Home's SVG map of one article's ``events`` (ui/svg_map.py), drawn again only when something
    stored or the colouring changed (0.06 s: the land's outlines projected), not on every rerun."""
    return _home_map(database_url(), article_id, repr(revision(store)), colour_by, width, height, events)


@st.cache_data(show_spinner=False, max_entries=32)
def _home_map(url: str | None, article_id: int, revision_key: str, colour_by: str, width: int, height: int,
              _events: pd.DataFrame) -> str:
    from ui.figures import fitted_zoom
    from ui.land import preview_detail
    from ui.svg_map import svg_map
    land = countries(preview_detail(fitted_zoom(_events, width, height)))
    return svg_map(_events, land, colour_by, width, height)


@st.cache_data(show_spinner=False)
def country_names() -> dict[str, str]:
    return {f["properties"].get("ISO_A2"): f["properties"].get("name") for f in countries()["features"]}


@st.cache_data(show_spinner=False)
def country_points() -> pd.DataFrame:
    """Each country's representative point (iso2, lat, lon): where its arcs start and end on the
    countries map."""
    return pd.read_csv(REPO_ROOT / "data" / "countries.csv", keep_default_na=False, na_values=[""],
                       usecols=["iso2", "lat", "lon"]).dropna()


@st.cache_data(show_spinner=False)
def installations() -> pd.DataFrame:
    return pd.read_csv(REPO_ROOT / "data" / "installations.csv")


def resolve_place(name: str, context: str | None = None, lang: str | None = None):
    from extract import geo
    return geo.resolve(name, context=context, lang=lang)


def show_plan(plan, holder: str) -> bool:
    """A fix's notes and problems (ui.editing plans), shown before anything is saved; True when it
    can be saved. ``holder``: where the typed values still are ("table", "form")."""
    for note in plan.notes:
        st.info(note)
    for problem in plan.problems:
        st.error(problem)
    if plan.problems:
        st.warning(f"Nothing was saved: fix the values above (they are still in the {holder}) and save again.")
    return not plan.problems


def ingest(store: Storage, text: str, *, title: str | None, source: str | None, published: str | None,
           is_example: bool = False) -> tuple[int, bool, list[str]]:
    """Store one article with its extracted rows: (article id, newly stored, warnings).
    An article already in the library is not extracted again."""
    existing = store.find_article(text)
    if existing is not None:
        return existing, False, []
    warm_models()
    frame, notes = extract_table(text, published)
    from extract.language import detect_language
    result = store.ingest(text, deployments=frame, title=title, source=source, lang=detect_language(text).lang,
                          published=published, extractor_version=extractor_version(), is_example=is_example)
    return result.article_id, result.created, notes


@st.cache_resource(show_spinner="Storing the example article…")
def _seed_example(url: str | None) -> int | None:
    from ui import example
    store = _open(url).storage
    if not _open(url).fresh or not store.articles().empty:
        return None
    text, source = example.example_text(), "data/examples/seed-fr.txt"
    committed = example.committed_rows()
    if committed is None:   # no usable file: read it (loads the models)
        article_id, _created, _notes = ingest(store, text, title=example.EXAMPLE_TITLE, source=source,
                                              published=example.EXAMPLE_PUBLISHED, is_example=True)
        return article_id
    # The extractor's own rows, committed (ui/example.py): no model is loaded for the example.
    result = store.ingest(text, deployments=example.rows_frame(committed), title=example.EXAMPLE_TITLE,
                          source=source, lang=committed["lang"], published=example.EXAMPLE_PUBLISHED,
                          extractor_version=committed["extractor_version"], is_example=True)
    return result.article_id


def ensure_example() -> None:
    """On the first launch with a new, empty database, store the seed article as an example
    (once: after the user removes it, it stays removed)."""
    _seed_example(database_url())


def revision(store: Storage) -> tuple:
    """Changes whenever anything stored changes: row counts and highest ids of the tables
    (an edit, addition or deletion always writes an edit-log row; ingest and re-extraction
    write deployments). One cheap query, so reruns can reuse the events already read."""
    from sqlalchemy import text
    query = text("SELECT (SELECT count(*) FROM articles), (SELECT max(id) FROM articles), "
                 "(SELECT count(*) FROM deployments), (SELECT max(id) FROM deployments), "
                 "(SELECT count(*) FROM edits), (SELECT max(id) FROM edits)")
    with store.engine.connect() as connection:
        return tuple(connection.execute(query).one())


@st.cache_data(show_spinner="Reading the stored deployments…", max_entries=32)
def _events(url: str | None, article_ids: tuple[int, ...] | None, revision_key: str) -> pd.DataFrame:
    store = _open(url).storage
    if article_ids is None:
        return with_article_dates(store.events(), store.articles())
    # Only these articles' events, selected in the database: a large library is not read row by row.
    from storage import views
    return prepare_events(views.events_table(store, views.Selection(article_ids=article_ids)))


def load_events(store: Storage, article_ids: list[int] | None = None) -> pd.DataFrame:
    """One row per event with the display columns of ui.tables.prepare_events; read again
    from the database only when something stored has changed."""
    ids = tuple(sorted(article_ids)) if article_ids is not None else None
    return _events(database_url(), ids, repr(revision(store)))


@st.cache_data(show_spinner=False, max_entries=64)
def _filter_options(url: str | None, revision_key: str) -> dict:
    from storage import views
    return views.filter_options(_open(url).storage)


def filter_options(store: Storage) -> dict:
    """Dates, forces, statuses and countries of the stored events, read again only after a change."""
    return _filter_options(database_url(), repr(revision(store)))


def sidebar_filters(options: dict, store: Storage, key: str):
    """The filters of the Map and Charts pages, in the sidebar, as a storage.views.Selection."""
    from storage.views import Selection
    side = st.sidebar
    side.header("Filters")
    chosen: dict = {}
    if options["first_day"]:
        low, high = (dt.date.fromisoformat(options[name]) for name in ("first_day", "last_day"))
        if low < high:
            picked = side.date_input("Date range", value=(low, high), min_value=low, max_value=high,
                                     key=f"{key}-dates")
            if isinstance(picked, (tuple, list)) and len(picked) == 2:
                if picked[0] > low:
                    chosen["date_from"] = picked[0].isoformat()
                if picked[1] < high:
                    chosen["date_to"] = picked[1].isoformat()
        chosen["include_undated"] = side.checkbox("Include undated movements", value=True, key=f"{key}-undated")
        if not chosen["include_undated"] and "date_from" not in chosen:
            chosen["date_from"] = low.isoformat()   # the undated ones are left out even with the full range
    chosen["forces"] = tuple(side.multiselect("Force (whose troops)", options["forces"], key=f"{key}-force"))
    statuses = [s for s in STATUSES if s in set(options["statuses"])]
    chosen["statuses"] = tuple(side.multiselect("Status", statuses, key=f"{key}-status"))
    names = country_names()
    present = sorted(options["countries"], key=lambda code: names.get(code, code))
    chosen["countries"] = tuple(side.multiselect("Country (origin or destination)", present, key=f"{key}-country",
                                                 format_func=lambda code: f"{names.get(code, code)} ({code})"))
    library = store.articles()
    titles = {int(row.id): article_label(row) for row in library.itertuples()}
    chosen["article_ids"] = tuple(side.multiselect("Article", list(titles), format_func=lambda i: titles[i],
                                                   key=f"{key}-article"))
    return Selection(**chosen)


def library_page(title: str, page_title: str, icon: str, key: str):
    """The start the Map and Charts pages share: (storage, the sidebar's selection, filter options).
    Nothing is read row by row: the pages ask storage.views for aggregates of the selection.
    Stops the page with a hint when nothing is stored yet."""
    st.set_page_config(page_title=f"troopmap · {page_title}", page_icon=icon, layout="wide")
    store = storage()
    ensure_example()
    st.title(title)
    options = filter_options(store)
    if not options["events"]:
        st.info("No deployments stored yet: add an article on the Home page.")
        st.stop()
    return store, sidebar_filters(options, store, key=key), options


@st.cache_data(show_spinner=False, max_entries=256)
def _view(url: str | None, revision_key: str, name: str, args: tuple, kwargs: tuple):
    from storage import views
    return getattr(views, name)(_open(url).storage, *args, **dict(kwargs))


def view(store: Storage, name: str, *args, **kwargs):
    """``storage.views.<name>(store, *args, **kwargs)``, cached until something stored changes:
    a rerun that asks the same question (a widget elsewhere on the page moved) reads nothing."""
    return _view(database_url(), repr(revision(store)), name, args, tuple(sorted(kwargs.items())))


def download_buttons(rows, stem: str, key: str) -> None:
    """CSV, GeoJSON and GeoPackage of exactly the rows shown (``rows``: a table, or a function
    that reads it). The files are written when a button is clicked, not on every rerun: a
    GeoPackage of 100,000 flows takes seconds."""
    def frame() -> pd.DataFrame:
        return rows() if callable(rows) else rows

    csv, geojson, geopackage = st.columns(3)
    csv.download_button("Download CSV", lambda: export.to_csv(frame()), file_name=f"{stem}.csv", mime="text/csv",
                        key=f"{key}-csv", width="stretch", on_click="ignore")
    geojson.download_button("Download GeoJSON", lambda: export.to_geojson(frame()), file_name=f"{stem}.geojson",
                            mime="application/geo+json", key=f"{key}-geojson", width="stretch", on_click="ignore",
                            help="Flows as LineStrings, destination-only movements as Points, EPSG:4326")
    geopackage.download_button(
        "Download GeoPackage", lambda: export.to_geopackage(frame()), file_name=f"{stem}.gpkg",
        mime="application/geopackage+sqlite3", key=f"{key}-gpkg", width="stretch", on_click="ignore",
        help="For QGIS or ArcGIS: layers 'flows' (LineStrings), 'destinations' (Points) and 'unplaced' "
             "(rows without coordinates), every field kept, EPSG:4326")


TABLE_COLUMNS = ["origin", "destination", "headcount", "headcount_shared", "force", "unit", "status",
                 "when", "n_sources", "article_title", "evidence"]


def events_table(frame: pd.DataFrame) -> None:
    """The events shown, read-only."""
    shown = frame[[c for c in TABLE_COLUMNS if c in frame]].copy()
    shown["when"] = shown["when"].dt.date
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        "headcount_shared": st.column_config.CheckboxColumn("shared"),
        "n_sources": st.column_config.NumberColumn("sources"),
        "article_title": "article", "when": "date",
    })


def show_legend(entries: list[tuple[str, str]], colour_by: str) -> None:
    """The map's key: colours of force or status, and the origin → destination gradient."""
    from ui.figures import legend_html
    st.markdown(legend_html(entries, colour_by), unsafe_allow_html=True)


def language_name(code) -> str:
    from babel import Locale
    if missing(code):
        return "an unknown language"
    return Locale("en").languages.get(str(code), str(code))


def language_notice(lang) -> None:
    """Say how an article's language is read: on a best-effort basis (a language without rules of
    its own), or without a grammatical parser (German); nothing for the others."""
    from extract.language import SUPPORTED, TOKENIZER_ONLY
    if not missing(lang) and str(lang) in TOKENIZER_ONLY:
        st.info(f"**{language_name(lang)} is read without a grammatical parser** (none is available offline "
                "for it), so movements told in long or unusual sentences may be missed. Check the table below "
                "and add what is missing by hand.", icon="ℹ️")
        return
    if not missing(lang) and str(lang) in SUPPORTED:
        return
    read = ", ".join(language_name(code) for code in SUPPORTED[:-1]) + f" and {language_name(SUPPORTED[-1])}"
    st.warning(f"**Best-effort reading.** This article is in {language_name(lang)}: troopmap reads {read}; "
               "other languages are read with the English rules on a best-effort basis, so movements may be "
               "missed. Check the table below and add what is missing by hand.", icon="⚠️")
