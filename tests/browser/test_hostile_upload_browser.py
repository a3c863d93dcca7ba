"""Hostile uploads through a real server: each is refused with a message, and the server keeps serving others.

The files are the ones that took a server down before uploads were parsed in a child process under hard limits
(tests/hostile.py). After each upload a second browser context (another user) loads a page; at the end the
server's peak resident memory (VmHWM) is printed for the record.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.helpers import ROOT, assert_no_errors, goto_page, run_streamlit, title_heading, wait_for_app
from tests.hostile import hostile_inputs

SERVER_KILLERS = (
    "enorm-dimension",
    "cell-attribut-i-annan-ordning",
    "cell-enkla-citattecken",
    "cell-med-namnrymdsprefix",
    "bladdel-utanfor-worksheets",
    "ods-upprepade-celler",
    "ods-varde-utan-typ",
    "trettio-blad-under-gransen",
    "xls-tio-stora-blad",
    "celler-utan-adress",
    "celler-utan-adress-sista-raden",
)
SUFFIX = {"ods-upprepade-celler": ".ods", "ods-varde-utan-typ": ".ods", "xls-tio-stora-blad": ".xls"}


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("VmHWM saknas")


def test_files_that_took_the_server_down_are_refused_and_others_keep_working(browser, tmp_path):
    files = {h.name: h for h in hostile_inputs() if h.name in SERVER_KILLERS}
    assert sorted(files) == sorted(SERVER_KILLERS)
    with run_streamlit(ROOT / "app.py", tmp_path / "server") as server:
        uploader = browser.new_context(locale="sv-SE", viewport={"width": 1600, "height": 1000})
        other = browser.new_context(locale="sv-SE", viewport={"width": 1600, "height": 1000})
        try:
            page, second = uploader.new_page(), other.new_page()
            goto_page(page, server.url, "data")
            start_mb = peak_rss_mb(server.process.pid)
            for name in SERVER_KILLERS:
                hostile = files[name]
                path = tmp_path / f"{name}{SUFFIX.get(name, '.xlsx')}"
                path.write_bytes(hostile.data)
                goto_page(page, server.url, "data")  # a fresh document: no result of the previous upload on it
                page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
                expect(page.get_by_text(re.compile(r"\d+ fel och"))).to_be_visible(timeout=240_000)
                wait_for_app(page)
                expect(page.get_by_text(hostile.message).first).to_be_attached()
                expect(page.get_by_role("button", name="Importera som ny version")).to_have_count(0)
                assert_no_errors(page, expected_errors=[re.compile("fel och")])
                assert server.process.poll() is None, f"servern dog av {name}:\n{server.log()}"
                goto_page(second, server.url, "nulagesbild")
                expect(title_heading(second, "Nulägesbild")).to_be_visible()
                assert_no_errors(second)
            peak_mb = peak_rss_mb(server.process.pid)
            print(
                f"\nServerns toppminne (VmHWM): {start_mb:.0f} MB före uppladdningarna, {peak_mb:.0f} MB efter "
                f"{len(SERVER_KILLERS)} fientliga filer."
            )
        finally:
            uploader.close()
            other.close()
