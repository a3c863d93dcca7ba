"""Helpers for the browser tests: start a Streamlit server, wait for the app, check a page for errors.

Waiting follows Streamlit's own e2e suite (``e2e_playwright/conftest.py``: ``wait_for_app_run``): the root element
``[data-testid="stApp"]`` publishes its state in ``data-test-connection-state`` (``CONNECTED`` once the websocket
is up) and ``data-test-script-state`` (``initial`` -> ``running`` -> ``notRunning`` on every run), and an element
that has not rendered yet is a ``[data-testid="stSkeleton"]``. Everything waits with Playwright's auto-retrying
``expect(...)``; there are no fixed sleeps.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from re import Pattern

from playwright.sync_api import Locator, Page, expect

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"

#: How long a page may take to connect and finish its script (the first run opens and seeds the store).
APP_TIMEOUT_MS = 60_000
#: How long the server may take to answer its health check.
SERVER_START_TIMEOUT_S = 60.0

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MISSING_CHROMIUM = "Chromium saknas: installera med 'sudo apt-get install -y chromium' för att köra webbläsartesterna."


def find_chromium() -> str | None:
    """Debian's Chromium (never a browser downloaded by Playwright), or None when it is not installed."""
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


def browser_required() -> bool:
    """True when a missing browser must fail the tests instead of skipping them (CI sets SEGDASH_REQUIRE_BROWSER=1)."""
    return os.environ.get("SEGDASH_REQUIRE_BROWSER", "").strip() == "1"


# --- the Streamlit server ------------------------------------------------------------------------------------------


@dataclass
class StreamlitServer:
    """A running ``streamlit run`` subprocess."""

    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self, tail: int = 6000) -> str:
        """The end of the server's output (stdout and stderr), for failure messages."""
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return ""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (OSError, urllib.error.URLError):
        return False


@contextmanager
def run_streamlit(
    script: Path | str,
    work_dir: Path,
    extra_env: dict[str, str] | None = None,
    port: int | None = None,
    address: str = "127.0.0.1",
) -> Iterator[StreamlitServer]:
    """Run ``streamlit run <script>`` on a free port with a fresh store in ``work_dir``; stop it afterwards.

    SEGDASH_DB points at a new file in ``work_dir``, so the default data is seeded into a throwaway store and the
    developer's data/store.sqlite is never touched. ``address`` is where it listens (the tests reach it on
    127.0.0.1 either way). Output goes to ``work_dir/streamlit.log`` (a file, not a pipe, so
    a chatty server can never block on a full pipe).
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SEGDASH_DB": str(work_dir / "store.sqlite"), **(extra_env or {})}
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", address,
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    log_path = work_dir / "streamlit.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = StreamlitServer(url=url, process=process, log_path=log_path)
    try:
        _wait_until_healthy(server)
        yield server
    finally:
        _stop(process)


def _wait_until_healthy(server: StreamlitServer) -> None:
    """Poll /_stcore/health until it answers "ok"; fail with the server's output if it dies or the deadline passes."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while not _healthy(server.url):
        try:
            # The poll interval doubles as a check that the server is still alive.
            code = server.process.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            code = None
        if code is not None or time.monotonic() > deadline:
            reason = (
                f"avslutades med kod {code}" if code is not None else f"svarade inte på {SERVER_START_TIMEOUT_S:.0f} s"
            )
            output = server.log()
            print(f"Streamlit-serverns utdata:\n{output}", file=sys.stderr)
            raise RuntimeError(f"Streamlit-servern på {server.url} startade inte ({reason}). Utdata:\n{output}")


def _stop(process: subprocess.Popen) -> None:
    """Terminate the server, and kill it if it does not stop."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# --- uncaught JavaScript errors ------------------------------------------------------------------------------------

_PAGE_ERRORS: weakref.WeakKeyDictionary[Page, list[str]] = weakref.WeakKeyDictionary()


def track_page_errors(page: Page) -> list[str]:
    """Start collecting the page's uncaught JavaScript errors (``pageerror``); assert_no_errors fails on them."""
    if page not in _PAGE_ERRORS:
        errors: list[str] = []
        _PAGE_ERRORS[page] = errors
        page.on("pageerror", lambda error: errors.append(f"{error.name}: {error.message}"))
    return _PAGE_ERRORS[page]


def page_errors(page: Page) -> list[str]:
    """The uncaught JavaScript errors collected so far (empty when the page is not tracked)."""
    return _PAGE_ERRORS.get(page, [])


# --- waiting and navigation ----------------------------------------------------------------------------------------


def wait_for_app(page: Page, timeout: float = APP_TIMEOUT_MS) -> None:
    """Wait until the app is connected, its script has finished and every element has rendered."""
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=timeout)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)
    # Both at once (the connection could drop while we waited for the script).
    expect(
        page.locator(
            '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
        )
    ).to_be_attached(timeout=timeout)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)


def goto_page(page: Page, base_url: str, url_path: str, query: str = "") -> None:
    """Open ``/<url_path>[?query]`` in a fresh document and wait until the app has run.

    A fresh document starts in script state ``initial``, so ``notRunning`` can only mean that this page's run ended.
    """
    url = f"{base_url.rstrip('/')}/{url_path.strip('/')}"
    if query:
        url += "?" + query.lstrip("?")
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)


def page_url_path(spec) -> str:
    """The URL path that opens a ``ui.PAGES`` entry.

    ``st.navigation`` serves the default page (the first in ``ui.PAGES``) at ``/`` and ignores its ``url_path``:
    ``/oversikt`` shows Streamlit's "Page not found" dialog and then the start page.
    """
    import ui

    return "" if spec == ui.PAGES[0] else spec.url_path


def title_heading(page: Page, title: str) -> Locator:
    """The page's ``st.title`` heading: an ``h1`` in the main area containing the title."""
    return page.get_by_test_id("stMain").locator("h1").filter(has_text=title)


# --- error checks --------------------------------------------------------------------------------------------------

TextPattern = str | Pattern[str]


def _matches(text: str, patterns: Sequence[TextPattern]) -> bool:
    return any((p.search(text) if isinstance(p, re.Pattern) else p in text) for p in patterns)


def assert_no_errors(page: Page, expected_errors: Sequence[TextPattern] = ()) -> None:
    """Fail when the (settled) page shows an error.

    Checked: exceptions (``stException``, also when ``client.showErrorDetails`` hides the details), the "Page not
    found" dialog Streamlit shows for an unknown URL, error alerts (``st.error``: ``stAlertContentError``) whose text
    matches none of ``expected_errors`` (substrings or compiled regexes), and uncaught JavaScript errors collected by
    :func:`track_page_errors`. Call it after :func:`wait_for_app`; it checks the page as it is, without waiting.
    """
    __tracebackhide__ = True
    problems: list[str] = []

    for text in page.get_by_test_id("stException").all_inner_texts():
        problems.append(f"Undantag på sidan: {text.strip()[:500]}")

    not_found = page.get_by_test_id("stDialog").filter(has_text="Page not found")
    if not_found.count() or page.get_by_text("Page not found").count():
        problems.append("Streamlit visar 'Page not found' (okänd sida).")

    # st.error and st.exception both render stAlertContentError; exceptions are reported above.
    for alert in page.get_by_test_id("stAlertContentError").all():
        if alert.locator("xpath=ancestor::*[@data-testid='stException']").count():
            continue
        text = alert.inner_text().strip()
        if not _matches(text, expected_errors):
            problems.append(f"Felruta på sidan: {text[:500]}")

    for error in page_errors(page):
        problems.append(f"JavaScript-fel i webbläsaren: {error[:500]}")

    assert not problems, f"{page.url}:\n  " + "\n  ".join(problems)


# --- screenshots and downloads -------------------------------------------------------------------------------------


def full_page_screenshot(page: Page, path: Path) -> None:
    """A screenshot of the whole page at the current viewport width.

    Streamlit scrolls inside the app container, not the document, so Playwright's ``full_page`` only sees one screen.
    The viewport is made as tall as the content for the shot and restored afterwards.
    """
    size = page.viewport_size or {"width": 1920, "height": 1080}
    height = page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]');
            const inner = document.querySelector('[data-testid="stMainBlockContainer"]');
            const parts = [document.documentElement.scrollHeight];
            if (main) parts.push(main.scrollHeight);
            if (inner) parts.push(inner.getBoundingClientRect().bottom + 80);
            return Math.ceil(Math.max(...parts));
        }"""
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    if height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(int(height), 16_000)})
        try:
            wait_for_app(page)
            page.screenshot(path=str(path), full_page=True, animations="disabled")
        finally:
            page.set_viewport_size(size)
    else:
        page.screenshot(path=str(path), full_page=True, animations="disabled")


def download(page: Page, trigger_locator: Locator, timeout: float = 30_000) -> tuple[str, bytes]:
    """Click ``trigger_locator`` (e.g. a ``st.download_button``) and return the file's suggested name and content.

    The browser context needs ``accept_downloads=True`` (the ``page`` fixture sets it).
    """
    with page.expect_download(timeout=timeout) as info:
        trigger_locator.click()
    file = info.value
    failure = file.failure()
    assert failure is None, f"Nedladdningen av {file.suggested_filename!r} misslyckades: {failure}"
    return file.suggested_filename, Path(file.path()).read_bytes()
