"""One user's long upload against everyone else: page times while a 200 000-row file is checked and previewed.

    python benchmarks/upload_contention.py [--rows 200000] [--loads 8]

Starts the dashboard on a store that knows the M-size areas and indicators (benchmarks/workbooks.py), warms every
page, and times a second browser session moving between pages with the sidebar links on its own (the baseline). Then
one session uploads a long workbook on the Data page, and while its check and preview run, the second session moves
between pages again: each time from the click until the page is ready, as the browser tests see it. Prints both side by side with the target (< 1 s), how long the
upload took, and the server's peak resident memory (VmHWM) before and after. The parse itself runs in a child
process (analysis/ingest/isolated.py), so it is not in the server's memory figure.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from playwright.sync_api import sync_playwright  # noqa: E402
from workbooks import known_store, long_workbook  # noqa: E402

from tests.browser.helpers import (  # noqa: E402
    CHROMIUM_ARGS,
    find_chromium,
    goto_page,
    run_streamlit,
    title_heading,
    wait_for_app,
)

OUT = ROOT / "benchmarks" / "out"
PAGES = ("Översikt", "Nulägesbild", "Utforska indikatorer", "Uppföljning")
TARGET_S = 1.0


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed_switch(page, title: str) -> float:
    """Seconds from a click on a sidebar link (as a user moves between pages) until that page is ready."""
    link = page.get_by_test_id("stSidebarNav").get_by_test_id("stSidebarNavLink").filter(has_text=title)
    start = time.perf_counter()
    link.first.click()
    title_heading(page, title).first.wait_for(timeout=900_000)
    wait_for_app(page, timeout=900_000)
    return time.perf_counter() - start


def workbook(rows: int) -> Path:
    """The long benchmark workbook with `rows` rows (built once, kept in benchmarks/out)."""
    path = OUT / f"lang-{rows}.xlsx"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        print(f"Bygger {path.name} …", flush=True)
        path.write_bytes(long_workbook(rows))
    return path


def summary(times: list[float]) -> str:
    """Median and max of some page times."""
    if not times:
        return "inga mätningar"
    return f"median {statistics.median(times):.2f} s, max {max(times):.2f} s (n={len(times)})"


def main() -> int:
    """Run the measurement and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--loads", type=int, default=16, help="sidbyten för baslinjen")
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        print("Chromium saknas (sudo apt-get install -y chromium).", file=sys.stderr)
        return 2
    upload = workbook(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        known_store(str(work / "store.sqlite"))
        with (
            run_streamlit(ROOT / "app.py", work, extra_env={"SEGDASH_PARSE_TIMEOUT_SECONDS": "900"}) as server,
            sync_playwright() as p,
        ):
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            uploader = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
            other = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
            goto_page(other, server.url, "")
            for title in PAGES + ("Data",):
                timed_switch(other, title)  # warm every page (caches, fork server)
            baseline = [(PAGES[i % len(PAGES)], timed_switch(other, PAGES[i % len(PAGES)])) for i in range(args.loads)]
            before_mb = peak_rss_mb(server.process.pid)

            goto_page(uploader, server.url, "data")
            uploader.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(upload))
            start = time.perf_counter()
            done = uploader.get_by_text("Filen är läst och kontrollerad.")
            during, i = [], 0
            while not done.count() and time.perf_counter() - start < 900:
                during.append((PAGES[i % len(PAGES)], timed_switch(other, PAGES[i % len(PAGES)])))
                i += 1
            wait_for_app(uploader, timeout=900_000)
            upload_s = time.perf_counter() - start
            after_mb = peak_rss_mb(server.process.pid)
            preview = uploader.get_by_text("4. Förhandsgranskning").count() > 0
            browser.close()

    print(
        f"\nUppladdning av {upload.name} ({upload.stat().st_size / 1e6:.1f} MB, {args.rows} rader): kontroll och "
        f"förhandsgranskning klara efter {upload_s:.1f} s (förhandsgranskning visad: {'ja' if preview else 'nej'})."
    )
    print(f"{'Annan session, sidbyte':36}{'utan uppladdning':>50}{'under uppladdningen':>50}")
    for title in (None, *PAGES):
        before = [t for p, t in baseline if title in (None, p)]
        while_busy = [t for p, t in during if title in (None, p)]
        print(f"{title or 'alla sidor':36}{summary(before):>50}{summary(while_busy):>50}")
    worst = max((t for _, t in during), default=float("nan"))
    print(
        f"Mål: varje sida < {TARGET_S:.0f} s under uppladdningen: {'uppfyllt' if worst < TARGET_S else 'INTE uppfyllt'} "
        f"(längst {worst:.2f} s)."
    )
    print(f"Serverns toppminne (VmHWM): {before_mb:.0f} MB före, {after_mb:.0f} MB efter uppladdningen.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
