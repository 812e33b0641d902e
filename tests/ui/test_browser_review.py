"""The analyst's loop in a real browser (Debian's Chromium through Playwright, the app served by
``streamlit run app.py``): open a movement's sources, then review three rows (accept with its key,
fix with one click on a place the model also considered, reject) and see the counts, the Home table
and the exported CSV change. No request may leave the machine."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest

from extract import extract_deployments
from extract.pipeline import EXTRACTOR_VERSION
from storage import Storage
from test_browser import ARTIFACTS, CHROMIUM, launch_chromium, record_outside, server, wait_idle  # noqa: F401  (server: a fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing: apt-get install chromium"),
]

DAILY = "About 1,800 American troops from Fort Bragg are being sent to Poland, officials said."


@pytest.fixture
def every_row_queued(monkeypatch) -> None:
    """Every row under the review threshold; requested before ``server``, so the server inherits it."""
    monkeypatch.setenv("TROOPMAP_REVIEW_THRESHOLD", "0.99")


@pytest.fixture
def library(every_row_queued, server, seed_text):  # noqa: F811 (server: the fixture imported above)
    """The seed article and a second report of its Fort Bragg -> Poland movement, read by the extractor.
    The seed article is stored last, so Home opens it: its four rows cannot all be reviewed away by
    the three decisions below, whatever confidences put them first in the queue (the daily report's
    one row can be the rejected one)."""
    store = Storage(server["url"])
    for title, text, published in (("Daily report", DAILY, "2022-02-05"), ("Seed article", seed_text, "2022-02-02")):
        store.ingest(text, deployments=extract_deployments(text, published=published), title=title,
                     published=published, extractor_version=EXTRACTOR_VERSION)
    return {**server, "store": store}


def progress(page) -> tuple[int, int]:
    label = page.locator("[data-testid='stProgress']").inner_text()
    checked, total = re.search(r"(\d+) of (\d+) checked", label).groups()
    return int(checked), int(total)


def wait_progress(page, checked: int) -> None:
    page.get_by_text(re.compile(rf"^{checked} of \d+ checked$")).wait_for(timeout=60_000)
    wait_idle(page)


def choose(page, label: str, option: str) -> None:
    page.locator("[data-testid='stSelectbox']", has_text=label).click()
    page.get_by_role("option", name=option).click()
    wait_idle(page)


def test_open_sources_then_accept_fix_and_reject_and_see_counts_table_and_export_change(library):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    store, base = library["store"], library["base"]
    total = len(store.deployments())
    outside = []

    record = record_outside(outside)

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
            page.on("request", record)

            # Sources: the Daily report's movement, side by side with the seed article's.
            page.goto(f"{base}/Articles")
            wait_idle(page)
            choose(page, "Open an article", "#1 · Daily report")
            warning = page.get_by_text("Headcounts differ by 200")
            warning.wait_for()
            assert "2,000 (Seed article)" in warning.inner_text() and "1,800 (Daily report)" in warning.inner_text()
            # Side by side: one line per report, each with its own figure and evidence sentence.
            page.locator("[data-testid='stDataFrame']").last.scroll_into_view_if_needed()
            # The grids keep an accessible table in the DOM; the sources' one starts each line with the article.
            script = """() => Array.from(document.querySelectorAll('[data-testid=stDataFrame] table[role=grid] tbody tr'))
                .map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.innerText))
                .filter(cells => cells[0] === 'Daily report' || cells[0] === 'Seed article')"""
            page.wait_for_function(f"() => ({script})().length >= 2")
            lines = page.evaluate(script)
            assert sorted(line[0] for line in lines) == ["Daily report", "Seed article"], lines
            assert any(DAILY.rstrip(".") in " ".join(line) for line in lines), lines
            page.screenshot(path=str(ARTIFACTS / "sources.png"), full_page=True)

            page.goto(f"{base}/Review")
            wait_idle(page, timeout_ms=180_000)
            assert progress(page) == (0, total)
            page.get_by_text("What the extractor also considered").wait_for(timeout=120_000)
            page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)

            # Accept with its key.
            first = int(store.review_queue(0.99).iloc[0]["id"])
            page.get_by_role("heading", name="Review", exact=True).click()   # focus the page, not a box
            page.keyboard.press("a")
            wait_progress(page, 1)
            # Fix with one click on a destination the model also weighed.
            second = store.review_queue(0.99).iloc[0]
            use = page.get_by_role("button", name=re.compile(r"^Use as destination: ")).first
            place = re.match(r"Use as destination: (.+?) \(", use.inner_text()).group(1)
            use.click()
            wait_progress(page, 2)
            # Reject.
            third = int(store.review_queue(0.99).iloc[0]["id"])
            page.get_by_role("button", name="Reject").click()
            wait_progress(page, 3)
            assert progress(page) == (3, total)

            rows = store.deployments().set_index("id")
            assert rows.loc[first, "review"] == "accepted"
            assert rows.loc[int(second["id"]), "review"] == "fixed"
            assert rows.loc[int(second["id"]), "destination"] == place != second["destination"]
            assert third not in rows.index

            # Home marks the verdicts in its table (which rows of the open article were checked
            # depends on the model's confidences: any verdict or "to review" label will do).
            page.locator("[data-testid='stSidebarNavLink']").first.click()
            wait_idle(page)
            # The grid draws what is in view: each poll brings the (possibly redrawn) table into view.
            page.wait_for_function("""() => {
                const grid = document.querySelector('[data-testid=stDataFrame]');
                if (grid) grid.scrollIntoView();
                return Array.from(document.querySelectorAll('[data-testid=stDataFrame] table[role=grid] tbody td'))
                    .some(td => ['to review', 'accepted', 'fixed'].includes(td.innerText));
            }""")

            # The export of the Map page follows: the fix is in it, the rejected row is not.
            page.goto(f"{base}/Map")
            wait_idle(page)
            with page.expect_download() as download:
                page.get_by_role("button", name="Download CSV").click()
            exported = pd.read_csv(io.BytesIO(Path(download.value.path()).read_bytes()))
            assert "fixed" in set(exported["review"].dropna()) or int(second["id"]) not in set(exported["id"])
            assert third not in set(exported["id"])
            assert place in set(exported["destination"])
        finally:
            browser.close()
    assert outside == [], f"requests left localhost: {outside}"
