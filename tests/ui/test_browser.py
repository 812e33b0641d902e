"""End to end in a real browser: Debian's Chromium, driven by Playwright, against
``streamlit run app.py`` on a free port with a temporary database.

Uploads the seed article, reads the three required rows from the deployment table, sees the
map, corrects a headcount in the table, opens the Map and Charts pages, downloads the CSV and
checks it (with the correction), and asserts that no
request ever left localhost (no tiles, no CDN, no telemetry). Screenshots of every page go
to tests/artifacts/. With TROOPMAP_UPDATE_SCREENSHOT=1 the Home one is also copied to
docs/screenshot-home.png for the README (not by default: a test run leaves tracked files alone).
"""
from __future__ import annotations

import io
import os
import shutil
import socket
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

from storage import Storage
from ui.server import free_port, start, stop, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
REQUIRED = {("Fort Bragg", "Germany", 2000), ("Fort Bragg", "Poland", 2000), ("Germany", "Romania", 1000)}
IDLE = "[data-test-script-state='notRunning']"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
# Debian's Chromium, headless, with every background call home it would make turned off.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def record_outside(outside: list[str]):
    """A request listener that notes every request leaving the machine (the pages must make none)."""
    def record(request) -> None:
        if request.url.startswith(("http", "ws")) and urlparse(request.url).hostname not in LOCAL_HOSTS:
            outside.append(request.url)
    return record

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is missing: apt-get install chromium"),
]


@contextmanager
def serving(tmp_path: Path, url: str):
    """``streamlit run app.py`` on a free port with TROOPMAP_DB=url, until the block ends."""
    port = free_port()
    log = open(tmp_path / "streamlit.log", "wb")
    process = start(url, port, log)
    base = f"http://127.0.0.1:{port}"
    info = {"base": base, "url": url, "port": port, "log": tmp_path / "streamlit.log"}
    try:
        wait_until_healthy(base, process)
    except (RuntimeError, TimeoutError):
        process.kill()
        log.close()
        pytest.fail("streamlit did not start:\n" + (tmp_path / "streamlit.log").read_text(errors="replace"))
    try:
        yield info
    finally:
        stop(process)
        log.close()


@pytest.fixture
def server(tmp_path):
    """A Streamlit server of the app on a free port, on a new empty database."""
    url = f"sqlite:///{tmp_path / 'troopmap.db'}"
    Storage(url).close()  # exists and is empty: the test uploads the article itself
    with serving(tmp_path, url) as info:
        yield info


@pytest.fixture
def first_launch(tmp_path):
    """A Streamlit server of the app on a database that does not exist yet: the app stores the
    example article, as on a user's first launch."""
    with serving(tmp_path, f"sqlite:///{tmp_path / 'troopmap.db'}") as info:
        yield info


def wait_idle(page, timeout_ms: int = 120_000) -> None:
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    assert page.locator("[data-testid='stException']").count() == 0, \
        page.locator("[data-testid='stException']").all_inner_texts()
    assert page.get_by_text("could not be shown").count() == 0, page.locator("[data-testid='stAlert']").all_inner_texts()


def listening_addresses(port: int) -> set[str]:
    """The local addresses a TCP socket listens on for ``port``, read from /proc/net/tcp{,6}."""
    found = set()
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(path).exists():
            continue
        for line in Path(path).read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if fields[3] == "0A" and int(port_hex, 16) == port:   # 0A: LISTEN
                raw = bytes.fromhex(address)
                if len(raw) == 4:
                    found.add(socket.inet_ntop(socket.AF_INET, raw[::-1]))
                else:   # four little-endian 32-bit words
                    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
                    found.add(socket.inet_ntop(socket.AF_INET6, words))
    return found


def editor_rows(page) -> list[tuple]:
    """(origin, destination, headcount) of each row of the first grid, in order, read from the
    accessible table that the canvas-drawn grid keeps in the DOM."""
    cells = page.evaluate("""() => Array.from(document.querySelectorAll(
        '[data-testid=stDataFrame] table[role=grid]')[0].querySelectorAll('tbody tr'))
        .map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.innerText))""")
    # Columns: id, review, origin, destination, headcount, ...
    return [(row[2] or None, row[3], int(float(row[4])) if row[4] else None)
            for row in cells if len(row) >= 5 and row[3]]


def type_into_cell(page, row: int, column: int, value: str) -> None:
    """Select the row's first cell by a click on the grid's canvas, move right with the arrow key, edit."""
    canvas = page.locator("[data-testid='stDataFrame'] [data-testid='data-grid-canvas']").first
    box = canvas.bounding_box()
    header, row_height = 35, 35
    page.mouse.click(box["x"] + 60, box["y"] + header + row_height * (row + 0.5))   # the row's id cell
    page.wait_for_timeout(300)   # the grid takes keyboard focus on the click
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")   # opens the cell's editor in the grid's overlay portal
    editor = page.locator("#portal input, #portal textarea").first
    editor.wait_for()
    editor.fill(value)
    editor.press("Enter")


def open_page(page, name: str) -> None:
    page.locator("[data-testid='stSidebarNavLink']", has_text=name).click()
    page.wait_for_url(f"**/{name}")
    page.get_by_role("heading", name={"Map": "Map of deployments", "Charts": "Charts", "Articles": "Articles"}[name],
                     exact=True).wait_for()
    wait_idle(page)


def arc_tooltip(page, route: str) -> str:
    """The tooltip of the arc of Home's map that draws ``route``."""
    arc = page.locator("svg.tm-map g.arc", has=page.locator("title", has_text=route))
    arc.first.wait_for(state="attached")
    return arc.first.locator("title").text_content()


def test_upload_review_map_charts_and_export_offline(server, seed_text, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    article = tmp_path / "seed-fr.txt"
    article.write_text(seed_text, encoding="utf-8")
    outside = []

    record = record_outside(outside)

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1500}, accept_downloads=True)
            page.on("request", record)
            page.goto(server["base"])
            wait_idle(page)
            page.get_by_text("The library is empty").wait_for()

            page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(article))
            page.get_by_text("Stored: ").wait_for(state="attached", timeout=120_000)   # in the collapsed status
            page.wait_for_function("() => document.querySelectorAll('table[role=grid] tbody tr').length >= 3",
                                   timeout=60_000)
            wait_idle(page)
            assert REQUIRED <= set(editor_rows(page))
            home_map = page.locator("svg.tm-map").first       # Home's SVG map (in its component's shadow root)
            home_map.wait_for()
            assert home_map.bounding_box()["width"] > 200
            assert "1,000 troops" in arc_tooltip(page, "Germany → Romania")
            # The article is shown with what was read marked: places and headcounts.
            page.locator(".tm-article mark.tm-place", has_text="Pologne").first.wait_for()
            page.locator(".tm-article mark.tm-number", has_text="2 000").first.wait_for()
            page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)

            # Correct a headcount in place: saved through Storage with an edit-log record.
            romania = editor_rows(page).index(("Germany", "Romania", 1000))
            type_into_cell(page, romania, 4, "1500")   # the headcount: 4 cells right of the id
            save = page.get_by_role("button", name="Save changes")
            expect(save).to_be_enabled(timeout=20_000)
            save.click()
            page.get_by_text("Recorded in the edit log").wait_for()
            wait_idle(page)
            # The grid is drawn anew with the stored rows; wait until its table is back.
            page.wait_for_function("""() => Array.from(document.querySelectorAll(
                '[data-testid=stDataFrame] table[role=grid] tbody td')).some(td => td.innerText === '1500')""")
            assert ("Germany", "Romania", 1500) in editor_rows(page)
            assert "1,500 troops" in arc_tooltip(page, "Germany → Romania")      # the map follows the fix
            edits = Storage(server["url"]).edits()
            assert [(e.field, e.old_value, e.new_value) for e in edits.itertuples()] == [("headcount", "1000", "1500")]

            open_page(page, "Map")
            page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for()
            page.wait_for_timeout(1000)   # let deck.gl draw before the picture
            page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)
            with page.expect_download() as download:
                page.get_by_role("button", name="Download CSV").click()
            exported = pd.read_csv(io.BytesIO(Path(download.value.path()).read_bytes()))
            assert {("Fort Bragg", "Germany", 2000), ("Fort Bragg", "Poland", 2000), ("Germany", "Romania", 1500)} <= {
                (r.origin if isinstance(r.origin, str) else None, r.destination,
                 None if pd.isna(r.headcount) else int(r.headcount)) for r in exported.itertuples()}

            open_page(page, "Charts")
            page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 6")
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "charts.png"), full_page=True)

            open_page(page, "Articles")
            page.get_by_role("button", name="Re-run extraction").wait_for()
            page.screenshot(path=str(ARTIFACTS / "articles.png"), full_page=True)
        finally:
            browser.close()

    assert outside == [], f"requests left localhost: {outside}"
    if os.environ.get("TROOPMAP_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(ARTIFACTS / "home.png", ROOT / "docs" / "screenshot-home.png")


def test_the_server_listens_on_the_loopback_address_only_by_default(server):
    """`streamlit run app.py` with no options must not open the library to the whole network."""
    addresses = listening_addresses(server["port"])
    assert addresses, "no listening socket found for the server's port"
    assert addresses <= {"127.0.0.1", "::1"}, addresses


def test_pasting_without_a_title_and_an_article_with_no_movement_break_no_page(server):
    """What a new user does first: paste an article and leave the title empty; then paste one that
    reports no movement. Every page must still show, with no traceback anywhere."""
    from playwright.sync_api import sync_playwright

    untitled = ("Pentagon sends 3,000 more troops to Poland\n\n"
                "The Pentagon said on Wednesday that 3,000 soldiers from Fort Hood will deploy to Poland next week.")
    negative = ("Le budget des armées atteindra 413 milliards d'euros entre 2024 et 2030, a indiqué le ministre. "
                "L'armée de Terre compte 77 000 militaires et recevra 120 nouveaux blindés.")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1500})
            page.goto(server["base"])
            wait_idle(page)
            page.get_by_role("tab", name="Paste text").click()
            for text, title in ((untitled, None), (negative, "Budget des armées")):
                page.get_by_label("Article text").fill(text)
                page.get_by_label("Title (optional)").fill(title or "")
                page.get_by_role("button", name="Extract deployments").click()
                page.get_by_text("Stored: ").wait_for(state="attached", timeout=120_000)
                wait_idle(page)
            # The article with no movement is the one shown: it says so and keeps the editor.
            page.get_by_text("No troop movement found").wait_for()
            assert page.locator("[data-testid='stDataFrame']").count() >= 1
            page.screenshot(path=str(ARTIFACTS / "home-negative.png"), full_page=True)
            for name in ("Map", "Charts", "Articles"):
                open_page(page, name)
                page.screenshot(path=str(ARTIFACTS / f"{name.lower()}-after-paste.png"), full_page=True)
            page.locator("[data-testid='stSidebarNavLink']").first.click()
            wait_idle(page)
            # The untitled article was named by its first line.
            titles = list(Storage(server["url"]).articles()["title"])
            assert "Pentagon sends 3,000 more troops to Poland" in titles
        finally:
            browser.close()


def store_dated_library(url: str) -> None:
    """The example's rows (2022-02-02), a British movement on 2022-02-10, one from Fort Hood on
    2022-02-20 and a movement with no date at all."""
    from ui import example
    committed = example.committed_rows()
    store = Storage(url)
    store.ingest(example.example_text(), deployments=example.rows_frame(committed), title="Seed",
                 published=example.EXAMPLE_PUBLISHED, extractor_version=committed["extractor_version"])
    place = {"United Kingdom": ("GB", 52.4, -1.5), "Estonia": ("EE", 58.7, 25.5), "Fort Hood": ("US", 31.13, -97.78),
             "Poland": ("PL", 52.0, 19.4), "Lithuania": ("LT", 55.2, 23.9)}

    def row(origin, destination, headcount, force, day):
        values = {"destination": destination, "destination_country": place[destination][0],
                  "destination_lat": place[destination][1], "destination_lon": place[destination][2],
                  "headcount": headcount, "force": force, "status": "deployed", "date": day,
                  "evidence": f"{headcount} to {destination}"}
        if origin:
            values.update(origin=origin, origin_country=place[origin][0], origin_lat=place[origin][1],
                          origin_lon=place[origin][2])
        return values
    for title, rows, published in (
            ("British report", [row("United Kingdom", "Estonia", 800, "GB", "2022-02-10")], "2022-02-10"),
            ("Fort Hood report", [row("Fort Hood", "Poland", 700, "US", "2022-02-20")], "2022-02-21"),
            ("Undated report", [row(None, "Lithuania", 150, "DE", None)], None)):
        store.ingest(title, deployments=pd.DataFrame(rows), title=title, published=published, extractor_version="t")
    store.close()


def test_the_map_replays_movements_by_date_and_sums_flows_per_country_offline(server):
    from playwright.sync_api import sync_playwright

    store_dated_library(server["url"])
    outside = []

    record = record_outside(outside)

    def shown() -> int:
        return int(page.locator("[data-testid='stMetricValue']").first.inner_text().replace(",", ""))

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1500})
            page.on("request", record)
            page.goto(f"{server['base']}/Map")
            page.get_by_role("heading", name="Map of deployments", exact=True).wait_for()
            wait_idle(page)
            everything = shown()
            assert everything == 7

            # Places ↔ countries: the same movements, one arc per pair of countries.
            page.locator("[data-testid='stRadio'] label", has_text="countries").click()
            page.get_by_text("one arc per pair of countries").wait_for()
            wait_idle(page)
            assert shown() == everything
            page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for()

            # The timeline: back to its first step, then Play; the movements shown grow step by step.
            page.get_by_text("Replay by date").click()
            thumb = page.get_by_role("slider").first
            thumb.wait_for()
            wait_idle(page)
            thumb.focus()
            page.keyboard.press("Home")
            page.get_by_text("movements dated 2022-02-02").wait_for()
            wait_idle(page)
            seen = [shown()]
            page.get_by_role("button", name="▶ Play").click()
            page.get_by_role("button", name="⏸ Pause").wait_for()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if seen[-1] != shown():
                    seen.append(shown())
                if page.get_by_role("button", name="▶ Play").count():   # played to the end
                    break
                page.wait_for_timeout(150)
            if seen[-1] != shown():
                seen.append(shown())
            assert seen == [4, 5, 6], seen              # 2022-02-02, then 2022-02-10, then 2022-02-20
            page.get_by_text("movement(s) with no date are not on the timeline").wait_for()
            page.screenshot(path=str(ARTIFACTS / "map-replay.png"), full_page=True)
        finally:
            browser.close()
    assert outside == [], f"requests left localhost: {outside}"
