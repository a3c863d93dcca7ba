"""Load test: N browser sessions at once through every page for a while, against one server.

    python benchmarks/load_test.py [--sessions 10] [--seconds 120] [--url http://127.0.0.1:8501]

Without --url it starts its own server (app.py on a free port, default data in a throwaway store).
Each session (its own browser context in one headless Debian Chromium) opens the pages of ui.PAGES
in turn and waits until the page is ready the way the browser tests do (connected, script not
running, no skeletons). Prints the number of page loads, errors, and the median and 95th percentile
time until a page is ready. Exit code 1 if any page showed an error.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.async_api import async_playwright  # noqa: E402

import ui  # noqa: E402
from tests.browser.helpers import CHROMIUM_ARGS, find_chromium, run_streamlit  # noqa: E402

READY = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'


async def session(browser, base: str, deadline: float, times: list[float], errors: list[str], n: int) -> None:
    """One user: cycle through every page until the deadline, timing each page until it is ready."""
    context = await browser.new_context(locale="sv-SE", viewport={"width": 1600, "height": 900})
    page = await context.new_page()
    page.on("pageerror", lambda e: errors.append(f"session {n}: JavaScript: {e}"))
    paths = ["" if i == 0 else p.url_path for i, p in enumerate(ui.PAGES)]
    i = n  # sessions start on different pages
    while time.monotonic() < deadline:
        path = paths[i % len(paths)]
        i += 1
        t0 = time.perf_counter()
        try:
            await page.goto(f"{base}/{path}", wait_until="domcontentloaded")
            await page.wait_for_selector(READY, timeout=120_000)
            await page.wait_for_function("document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
                                         timeout=120_000)
            await page.wait_for_selector(READY, timeout=120_000)
        except Exception as exc:  # a timeout is a failed page load, counted and reported
            errors.append(f"session {n} /{path}: {type(exc).__name__}")
            continue
        times.append(time.perf_counter() - t0)
        if await page.locator('[data-testid="stException"]').count():
            errors.append(f"session {n} /{path}: undantag på sidan")
    await context.close()


async def run(base: str, sessions: int, seconds: float, chromium: str) -> tuple[list[float], list[str]]:
    """All sessions at once; the page-ready times and the errors."""
    times: list[float] = []
    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(session(browser, base, deadline, times, errors, n) for n in range(sessions)))
        await browser.close()
    return times, errors


def main() -> int:
    """Run the load test and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    chromium = find_chromium()
    if not chromium:
        print("Chromium saknas: installera med 'sudo apt-get install -y chromium'.")
        return 2
    with ExitStack() as stack:
        base = args.url.rstrip("/")
        if not base:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            base = stack.enter_context(run_streamlit(ROOT / "app.py", work)).url
        times, errors = asyncio.run(run(base, args.sessions, args.seconds, chromium))
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)] if times else float("nan")
    print(f"{args.sessions} sessioner i {args.seconds:.0f} s mot {base}")
    print(f"Sidladdningar: {len(times)}, fel: {len(errors)}")
    if times:
        print(f"Tid tills sidan är klar: median {statistics.median(times):.2f} s, 95:e percentilen {p95:.2f} s, "
              f"max {times[-1]:.2f} s")
    for e in errors[:20]:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
