"""What a user waits for, measured in Debian's Chromium: launch to the seed map, then the first
visit of every page.

    python bench/bench_browser.py [--runs 3] [--db-rows 0]

Each run starts ``streamlit run app.py`` on a new, empty database (the first launch: the example
article is stored) and a new browser, and times

- **launch → seed map**: from starting the server process until the Home page shows the example's
  map (Home's SVG map is in the page, the script is idle and the next frame is on screen).
  Chromium is already running, as a user's browser is when `streamlit run` opens a tab in it;
  ``--cold-browser`` starts it with the server instead, so its own start-up on the same two
  cores counts too (the worst case);
- **first visit of Map / Charts / Articles**: a click in the sidebar until the page's own content
  is there (on Map, deck.gl has drawn its layers into the canvas and that frame is on screen) and
  the script is idle;
- **Home again**: back to Home after the others.

With ``--db-rows N`` the database also holds N synthetic movements (bench/bench_figures.py) before
the launch, to see the pages with a large library. Targets: launch → seed map < 4 s, every first
visit < 2 s. The machine's load counts: run it on an idle machine and read the median.

Beside each wall-clock time it prints the CPU seconds the Streamlit server spent on that step
(from /proc, Linux only): the part of the wait that is the app's own Python, which other jobs on
a shared machine hardly change, so before/after comparisons hold under load.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ui.server import free_port, start, stop, wait_until_healthy  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
IDLE = "[data-test-script-state='notRunning']"
# The deck.gl canvas exists before deck.gl has drawn into it (its WebGL device is set up
# asynchronously), and the script may be idle by then: a map is only "there" once deck.gl has drawn
# its layers. Counted in the page: WebGL draw calls into a canvas of a deck.gl chart.
COUNT_DECK_DRAWS = """
window.__deckDraws = 0;
for (const Context of [window.WebGL2RenderingContext, window.WebGLRenderingContext]) {
  if (!Context) continue;
  for (const name of ["drawArrays", "drawElements", "drawArraysInstanced", "drawElementsInstanced",
                      "drawRangeElements", "drawBuffers"]) {
    const draw = Context.prototype[name];
    if (typeof draw !== "function" || name === "drawBuffers") continue;
    Context.prototype[name] = function (...args) {
      if (this.canvas && this.canvas.closest && this.canvas.closest("[data-testid='stDeckGlJsonChart']")) {
        window.__deckDraws += 1;
      }
      return draw.apply(this, args);
    };
  }
}
"""
# What shows that a page is there: its heading and its main figure.
PAGES = {
    "Map": ("Map of deployments", "[data-testid='stDeckGlJsonChart'] canvas"),
    "Charts": ("Charts", ".js-plotly-plot"),
    "Articles": ("Articles", "[data-testid='stDataFrame']"),
}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far; NaN where /proc is not there."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def deck_draws(page) -> int:
    return page.evaluate("window.__deckDraws")


def wait_map_drawn(page, draws_before: int, layers: int = 2) -> None:
    """Until deck.gl has drawn ``layers`` layers since ``draws_before`` draw calls, and that frame
    has reached the screen (two animation frames later: without a GPU, Chromium reads the WebGL
    canvas back when it composites, which waits for the drawing to finish)."""
    page.wait_for_function(f"() => window.__deckDraws >= {draws_before + layers}", timeout=120_000)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def wait_home_map(page) -> None:
    """Until Home's SVG map (ui/svg_map.py, in its component's shadow root, which Playwright's
    selectors enter) is in the page, the script is idle, and the frame after is on screen."""
    page.locator("svg.tm-map").first.wait_for(timeout=120_000)
    page.wait_for_selector(IDLE, timeout=120_000)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def one_run(browser_type, folder: Path, db_rows: int, cold_browser: bool = False
            ) -> tuple[dict[str, float], dict[str, float]]:
    """(wall-clock seconds, server CPU seconds) of each step. ``cold_browser``: Chromium starts
    with the server, on the same cores, and its start-up counts in "launch → seed map"."""
    url = f"sqlite:///{folder / 'troopmap.db'}"
    if db_rows:
        from bench.bench_figures import store_synthetic
        store_synthetic(url, db_rows)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(folder / "streamlit.log", "wb")
    times, cpu = {}, {}
    browser = process = None

    def open_browser():
        opened = browser_type.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        opened_page = opened.new_page(viewport={"width": 1400, "height": 1100})
        opened_page.add_init_script(COUNT_DECK_DRAWS)
        return opened, opened_page

    try:
        if not cold_browser:
            # A user's browser is already running when they type `streamlit run app.py` (which opens
            # a tab in it): start it first, so its own start-up is not counted as the app's.
            browser, page = open_browser()
        began = time.perf_counter()
        process = start(url, port, log)
        if cold_browser:
            browser, page = open_browser()
        wait_until_healthy(base, process)
        page.goto(base)
        wait_home_map(page)
        times["launch → seed map"] = time.perf_counter() - began
        cpu["launch → seed map"] = used = cpu_seconds(process.pid)
        for name, (heading, content) in PAGES.items():
            draws = deck_draws(page)
            began = time.perf_counter()
            page.locator("[data-testid='stSidebarNavLink']", has_text=name).click()
            page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=120_000)
            page.locator(content).first.wait_for(timeout=120_000)
            page.wait_for_selector(IDLE, timeout=120_000)
            if name == "Map":
                wait_map_drawn(page, draws)
            times[f"first visit: {name}"] = time.perf_counter() - began
            cpu[f"first visit: {name}"], used = cpu_seconds(process.pid) - used, cpu_seconds(process.pid)
        began = time.perf_counter()
        page.locator("[data-testid='stSidebarNavLink']", has_text="Home").click()
        wait_home_map(page)
        times["Home again"] = time.perf_counter() - began
        cpu["Home again"] = cpu_seconds(process.pid) - used
    finally:
        if browser is not None:
            browser.close()
        if process is not None:
            stop(process)
        log.close()
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db-rows", type=int, default=0, help="synthetic movements stored before the launch")
    parser.add_argument("--cold-browser", action="store_true",
                        help="start Chromium with the server (its start-up counts in the launch), "
                             "not before it as a user's open browser")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results: dict[str, list[float]] = {}
    server_cpu: dict[str, list[float]] = {}
    loads = [os.getloadavg()[0]]
    with sync_playwright() as playwright:
        for run in range(options.runs):
            with tempfile.TemporaryDirectory() as folder:
                times, cpu = one_run(playwright.chromium, Path(folder), options.db_rows, options.cold_browser)
            for label, seconds in times.items():
                results.setdefault(label, []).append(seconds)
                server_cpu.setdefault(label, []).append(cpu[label])
            loads.append(os.getloadavg()[0])
            print(f"run {run + 1}: " + ", ".join(f"{label} {values[-1]:.2f} s" for label, values in results.items()),
                  flush=True)
    targets = {"launch → seed map": 4.0}
    print(f"\nmedian of {options.runs} runs{f' with {options.db_rows:,} stored movements' if options.db_rows else ''}"
          f" (load average {min(loads):.1f}–{max(loads):.1f}):")
    for label, values in results.items():
        target = targets.get(label, 2.0)
        verdict = "ok" if statistics.median(values) < target else f"OVER {target:g} s"
        print(f"  {label:<24} {statistics.median(values):6.2f} s   (target < {target:g} s: {verdict})"
              f"   server CPU {statistics.median(server_cpu[label]):.2f} s")


if __name__ == "__main__":
    main()
