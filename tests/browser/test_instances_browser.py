"""Two app instances on one store: a version imported through one is what the other shows on its next rerun.

Each page run reads the store's current version with one query (ui.data_key) and keys every cached view by it, so
an instance never serves an older version once a newer one is committed. The test runs twice: both instances on one
SQLite file on this machine, and both on one PostgreSQL database, each with its own snapshot cache folder, as
instances on separate machines would have.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import ROOT, assert_no_errors, goto_page, run_streamlit, wait_for_app
from tests.browser.test_data_browser import GOOD, upload
from tests.conftest import BACKENDS


@pytest.fixture(params=BACKENDS)
def two_instances(request, tmp_path):
    """Two Streamlit servers (each its own process, port and snapshot cache) on one store: a file, then PostgreSQL."""
    db = str(tmp_path / "delad.sqlite") if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    env = {name: {"SEGDASH_DB": db, "SEGDASH_SNAPSHOT_DIR": str(tmp_path / name / "snapshots")} for name in "ab"}
    with run_streamlit(ROOT / "app.py", tmp_path / "a", extra_env=env["a"]) as first:
        with run_streamlit(ROOT / "app.py", tmp_path / "b", extra_env=env["b"]) as second:
            yield first, second


def sidebar_version(page) -> str:
    """The data version the sidebar shows ('Dataversion 2')."""
    return page.get_by_test_id("stSidebar").get_by_text(re.compile(r"^Dataversion \d+$")).inner_text()


def test_an_import_through_one_instance_shows_on_the_other(page, context, two_instances, tmp_path):
    first, second = two_instances
    goto_page(page, first.url, "data")  # seeds the shared store with the default data: version 1
    other = context.new_page()
    goto_page(other, second.url, "utforska", "indikator=Ohälsotal&omraden=Berga")
    assert sidebar_version(other) == "Dataversion 1"

    path = tmp_path / "ny.xlsx"
    path.write_bytes(GOOD)  # ohälsotal 2025 for Berga (31,5) and Ryd
    upload(page, path)
    expect(page.get_by_text(re.compile("Inga problem hittades"))).to_be_visible()
    name = page.get_by_label("Ditt namn (sparas i historiken)")
    name.fill("Anna")
    name.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Importera som ny version").click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile("Version 2 skapad"))).to_be_visible()

    # The other instance's next run (here: choosing the table view) shows version 2 and the new value.
    other.get_by_role("tab", name="Tabell").click()
    wait_for_app(other)
    expect(other.get_by_test_id("stSidebar").get_by_text("Dataversion 2")).to_be_visible()
    goto_page(other, second.url, "utforska", "indikator=Ohälsotal&omraden=Berga&vy=Tabell")
    assert sidebar_version(other) == "Dataversion 2"
    expect(other.get_by_text("31,5").first).to_be_attached()
    assert_no_errors(other)
