"""Load test: N browser sessions at once through every page for a while, against one server or several.

    python benchmarks/load_test.py [--sessions 10] [--seconds 120] [--mode klick|ladda] [--url http://127.0.0.1:8501]
    python benchmarks/load_test.py --instances 2 [--store postgresql://…]   # sessions split over 2 servers

Without --url it starts its own server (app.py on a free port, default data in a throwaway store) and
visits every page once before the clock starts; with --instances N it starts N servers on one store (a shared
SQLite file, or the PostgreSQL database given with --store) and sends session k to server k mod N, as a proxy with
sticky sessions would. The servers' CPU time per page load is printed, so runs with 1 and 2 instances compare; the way a running server has been used before (those
cold times are printed too). Each session (its own browser context in one headless Debian Chromium)
opens the dashboard and then goes through the pages of ui.PAGES in turn, timing each until the page is
ready the way the browser tests see it (its title shown, connected, script not running, no skeletons).

--mode klick (default) moves between pages with the sidebar links, as a user does; --mode ladda loads
every page as a new URL (a new Streamlit session and a fresh JavaScript app each time: the worst case).

Prints page loads, errors, the median and 95th percentile per page, and how the machine's CPU time was
split between the server and the test's own browser (both share this machine's cores, so on a small
machine the test's browser is part of what is measured). Exit code 1 if any page showed an error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
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
NO_SKELETON = "document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0"
TIMEOUT_MS = 120_000
CLICK, LOAD = "klick", "ladda"


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by one live process, from /proc (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(root: int) -> float:
    """CPU time of a process and all its live descendants (the server and its chart browser)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += cpu_seconds(pid)
        todo.extend(children.get(pid, []))
    return total


def machine_busy_seconds() -> float:
    """CPU time the whole machine has been busy (all cores, everything but idle and iowait), from /proc/stat."""
    fields = [int(f) for f in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def page_title(path: str) -> str:
    """The title of the page served at a URL path ('' is the start page)."""
    return next(spec.title for i, spec in enumerate(ui.PAGES) if ("" if i == 0 else spec.url_path) == path)


async def wait_until_ready(page, title: str) -> None:
    """Wait until the page shows its title and its script has finished with nothing left loading."""
    heading = page.get_by_test_id("stMain").locator("h1").filter(has_text=re.compile(re.escape(title)))
    await heading.first.wait_for(timeout=TIMEOUT_MS)
    await page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    await page.wait_for_function(NO_SKELETON, timeout=TIMEOUT_MS)
    await page.wait_for_selector(READY, timeout=TIMEOUT_MS)


async def open_page(page, base: str, path: str, mode: str, first: bool) -> None:
    """Go to one page: by URL on the first visit and in load mode, else with the sidebar link."""
    title = page_title(path)
    if first or mode == LOAD:
        await page.goto(f"{base}/{path}", wait_until="domcontentloaded")
    else:
        link = page.get_by_test_id("stSidebarNav").get_by_test_id("stSidebarNavLink").filter(has_text=title)
        await link.first.click(timeout=TIMEOUT_MS)
    await wait_until_ready(page, title)


async def session(
    browser, base: str, deadline: float, mode: str, times: list[tuple[str, float]], errors: list[str], n: int
) -> None:
    """One user: go through every page until the deadline, timing each page until it is ready."""
    context = await browser.new_context(locale="sv-SE", viewport={"width": 1600, "height": 900})
    page = await context.new_page()
    page.on("pageerror", lambda e: errors.append(f"session {n}: JavaScript: {e}"))
    paths = ["" if i == 0 else p.url_path for i, p in enumerate(ui.PAGES)]
    i, first = n, True  # sessions start on different pages
    while time.monotonic() < deadline:
        path = paths[i % len(paths)]
        i += 1
        t0 = time.perf_counter()
        try:
            await open_page(page, base, path, mode, first)
        except Exception as exc:  # a timeout is a failed page load, counted and reported
            errors.append(f"session {n} /{path}: {type(exc).__name__}")
            first = True  # start again from a fresh load
            continue
        times.append((path, time.perf_counter() - t0))
        first = False
        if await page.locator('[data-testid="stException"]').count():
            errors.append(f"session {n} /{path}: undantag på sidan")
    await context.close()


async def run(
    bases: list[str], sessions: int, seconds: float, chromium: str, mode: str, server_pids: list[int]
) -> tuple[list[tuple[str, float]], list[str], dict[str, float]]:
    """A warm-up visit to every page of every server, then all sessions at once: page-ready times, errors, CPU used."""
    times: list[tuple[str, float]] = []
    errors: list[str] = []
    warm: list[tuple[str, float]] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        for base in bases if server_pids else []:  # our own fresh servers: fill their caches once, as users would
            context = await browser.new_context(locale="sv-SE", viewport={"width": 1600, "height": 900})
            page = await context.new_page()
            for k, spec in enumerate(ui.PAGES):
                path = "" if k == 0 else spec.url_path
                t0 = time.perf_counter()
                await open_page(page, base, path, LOAD, True)
                if base == bases[0]:
                    warm.append((path, time.perf_counter() - t0))
            await context.close()
        busy0 = machine_busy_seconds()
        server0 = sum(tree_cpu_seconds(pid) for pid in server_pids)
        wall0 = time.perf_counter()
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            *(session(browser, bases[n % len(bases)], deadline, mode, times, errors, n) for n in range(sessions))
        )
        cpu = {
            "wall": time.perf_counter() - wall0,
            "busy": machine_busy_seconds() - busy0,
            "server": (sum(tree_cpu_seconds(pid) for pid in server_pids) - server0) if server_pids else float("nan"),
        }
        await browser.close()
    cpu["warm"] = warm  # type: ignore[assignment]
    return times, errors, cpu


def percentile_95(values: list[float]) -> float:
    """The 95th percentile (nearest rank) of some values."""
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def main() -> int:
    """Run the load test and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--mode", choices=[CLICK, LOAD], default=CLICK)
    parser.add_argument("--url", default="")
    parser.add_argument("--instances", type=int, default=1, help="så många servrar på en databas (utan --url)")
    parser.add_argument("--store", default="", help="en postgresql://-adress som servrarna delar (utan --url)")
    args = parser.parse_args()
    chromium = find_chromium()
    if not chromium:
        print("Chromium saknas: installera med 'sudo apt-get install -y chromium'.")
        return 2
    with ExitStack() as stack:
        bases, server_pids = [args.url.rstrip("/")] if args.url else [], []
        if not bases:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            shared = args.store or str(work / "delad.sqlite")
            for k in range(max(1, args.instances)):
                env = {"SEGDASH_DB": shared, "SEGDASH_SNAPSHOT_DIR": str(work / f"i{k}" / "snapshots")}
                server = stack.enter_context(run_streamlit(ROOT / "app.py", work / f"i{k}", extra_env=env))
                bases.append(server.url)
                server_pids.append(server.process.pid)
        per_page, errors, cpu = asyncio.run(run(bases, args.sessions, args.seconds, chromium, args.mode, server_pids))
    how = "sidopanelens länkar" if args.mode == CLICK else "varje sida laddad som ny adress"
    where = bases[0] if len(bases) == 1 else f"{len(bases)} servrar på en databas"
    print(f"{args.sessions} sessioner i {args.seconds:.0f} s mot {where} ({how}), {os.cpu_count()} kärnor")
    for path, t in cpu["warm"]:  # type: ignore[union-attr]
        print(f"  kall start (en session, före testet): {page_title(path):<22} {t:6.2f} s")
    times = [t for _, t in per_page]
    print(f"Sidladdningar: {len(times)}, fel: {len(errors)}")
    if times:
        print(
            f"Tid tills sidan är klar: median {statistics.median(times):.2f} s, "
            f"95:e percentilen {percentile_95(times):.2f} s, max {max(times):.2f} s"
        )
        for k, spec in enumerate(ui.PAGES):
            page_times = [t for p, t in per_page if p == ("" if k == 0 else spec.url_path)]
            if page_times:
                print(
                    f"  {spec.title:<22} {len(page_times):>4} gånger, median {statistics.median(page_times):6.2f} s, "
                    f"95:e percentilen {percentile_95(page_times):6.2f} s"
                )
    if server_pids:
        client = cpu["busy"] - cpu["server"]
        print(
            f"CPU-tid under testet ({cpu['wall']:.0f} s × {os.cpu_count()} kärnor = "
            f"{cpu['wall'] * (os.cpu_count() or 1):.0f} s): servrarna {cpu['server']:.0f} s, "
            f"testets webbläsare och övrigt {client:.0f} s"
        )
        if times:
            print(f"Servrarnas CPU-tid per sidladdning: {cpu['server'] / len(times):.2f} s")
    for e in errors[:20]:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
