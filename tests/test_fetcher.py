"""Fetching into the store over real HTTP from the local fixture server (tests/pxweb_server.py: SCB's recorded answers
for TAB6471, failures programmed per test): one version per fetch, none for an identical one, and every failure of
one definition leaving the store unchanged for it while a good definition in the same run is stored.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from analysis.core.model import make_dataset
from analysis.ingest.fetch_spec import KOLADA, LAST_PERIOD, PXWEB1, PXWEB2, FetchSpec
from analysis.ingest.kolada import KoladaClient
from analysis.ingest.pxweb import ApiClient, PxWebClient
from analysis.ingest.pxweb1 import PxWeb1Client
from analysis.store.fetcher import (
    definitions_table,
    fetch_all,
    fetch_note,
    keep_stored_sources,
    latest_retrieval,
    preview_fetch,
    retrieval_time,
    source_url,
    store_fetch,
    table_data_url,
)
from analysis.store.importer import open_store
from tests.kolada_server import serve_kolada
from tests.pxweb1_server import TABLE as V1_TABLE
from tests.pxweb1_server import serve_pxweb1
from tests.pxweb_server import free_port, serve_pxweb

NOW = datetime(2026, 12, 1, 18, 3, tzinfo=UTC)
LATER = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
# Östergötlands län, 30–39 år, April 2026 (the last month of the recording): read off TAB6471_data.json by hand.
APRIL = {"30–39 år": 63931.0, "30–39 år, män": 33201.0, "30–39 år, kvinnor": 30727.0}


def failing_fast(client: type[ApiClient]) -> Callable[[str], ApiClient]:
    """A factory of clients that fail at once: short timeout, no retries, no sleeping."""
    return lambda url: client(url, timeout=0.5, max_retries=0, sleep=lambda seconds: None)


fast, fast_kolada, fast1 = (failing_fast(c) for c in (PxWebClient, KoladaClient, PxWeb1Client))


def good_spec(base_url: str) -> FetchSpec:
    """Folkmängd per sex, 30–39 år, Östergötland (05), the latest four months, the last month as the year's value."""
    return FetchSpec(
        indicator="folkmangd_lan",
        api=PXWEB2,
        base_url=base_url,
        table="TAB6471",
        selection={
            "Region": ("05",),
            "Alder": ("30-39",),
            "Kon": ("*",),
            "ContentsCode": ("000007SF",),
            "Tid": ("top(4)",),
        },
        time_variable="Tid",
        area_variable="Region",
        sex_variable="Kon",
        sex_codes={"TotSa": "Totalt", "1": "Män", "2": "Kvinnor"},
        group_variable="Alder",
        group_codes={"30-39": "30–39 år"},
        period_rule=LAST_PERIOD,
    )


def other_spec(base_url: str) -> FetchSpec:
    """The default catalogue's folkmangd for Östergötland, total of 30–39 år (a second definition on the same table)."""
    return FetchSpec(
        indicator="folkmangd",
        api=PXWEB2,
        base_url=base_url,
        table="TAB6471",
        selection={"Region": ("05",), "Alder": ("30-39",), "Kon": ("TotSa",), "Tid": ("top(4)",)},
        time_variable="Tid",
        area_variable="Region",
        period_rule=LAST_PERIOD,
    )


@pytest.fixture
def server():
    """The fixture PxWeb API on a free local port."""
    with serve_pxweb() as fake:
        yield fake


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The default data plus an area with Kod 05 and an indicator counted in antal, made once per module."""
    folder = tmp_path_factory.mktemp("fetcher")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SEGDASH_SNAPSHOT_DIR", str(folder / "snapshots"))
        with open_store(folder / "seeded.sqlite") as s:
            areas = pd.DataFrame([{"name": "Östergötlands län", "type": "Övrigt", "code": "05", "aliases": ""}])
            indicator = {"id": "folkmangd_lan", "name": "Folkmängd i länet", "theme": "befolkning", "unit": "antal"}
            indicators = pd.DataFrame([{**indicator, "direction": "Neutral", "decimals": 0}])
            s.apply(make_dataset(areas=areas, indicators=indicators), user="test")
    return folder / "seeded.sqlite"


@pytest.fixture
def store(seeded, tmp_path):
    """A copy of the seeded store for one test."""
    shutil.copy(seeded, tmp_path / "store.sqlite")
    with open_store(tmp_path / "store.sqlite", seed=False) as s:
        yield s


def fetched(store, indicator: str) -> dict[str, float]:
    """The stored values of an indicator for Östergötlands län 2026, by group."""
    obs = store.current().observations
    rows = obs[(obs["indicator"] == indicator) & (obs["area"] == "Östergötlands län")]
    return dict(zip(rows["sex"], rows["value"]))


def test_a_fetch_is_previewed_then_stored_as_one_version_whose_source_names_the_table_and_query(server, store):
    spec = good_spec(server.base_url)
    progress: list[str] = []
    run = fetch_all(store, [spec], client_factory=fast, now=NOW, progress=progress.append)
    assert progress == ["Hämtar folkmangd_lan ur TAB6471 (PxWeb v2) …"]
    [outcome] = run.outcomes
    assert outcome.ok and outcome.rows == 3
    assert outcome.message == "3 värden ur tabellen TAB6471 (ett anrop)."
    [url] = outcome.urls
    assert url.startswith(f"{server.base_url}/tables/TAB6471/data?lang=sv&outputFormat=json-stat2")
    assert "valueCodes%5BRegion%5D=05" in url and "valueCodes%5BTid%5D=2026M01,2026M02,2026M03,2026M04" in url

    versions = len(store.versions())
    diff = preview_fetch(store, run)
    assert (diff.n_new, diff.n_changed, diff.n_unchanged) == (3, 0, 0)
    assert len(store.versions()) == versions  # the preview wrote nothing

    result = store_fetch(store, run, "test")
    assert result is not None and result.version == versions + 1
    assert fetched(store, "folkmangd_lan") == APRIL
    obs = store.current().observations
    assert set(obs[obs["indicator"] == "folkmangd_lan"]["source"]) == {f"{url} (hämtad 2026-12-01 18:03 UTC)"}
    newest = store.versions().iloc[0]
    assert newest["file_name"] == "Hämtning 2026-12-01 18:03 UTC"
    assert newest["note"] == (
        f"Hämtat 2026-12-01 18:03 UTC.\nfolkmangd_lan ur TAB6471 (PxWeb v2): 3 värden. Adress: {url}"
    )


def test_a_second_identical_fetch_creates_no_version_and_keeps_the_first_retrieval_time(server, store):
    spec = good_spec(server.base_url)
    first = store_fetch(store, fetch_all(store, [spec], client_factory=fast, now=NOW), "test")
    assert first is not None and first.version is not None
    versions = len(store.versions())
    run = fetch_all(store, [spec], client_factory=fast, now=LATER)
    assert (preview_fetch(store, run).n_changed, preview_fetch(store, run).n_unchanged) == (0, 3)
    again = store_fetch(store, run, "test")
    assert again is not None and again.version is None
    assert again.message.startswith("Inga nya eller ändrade värden")
    assert len(store.versions()) == versions
    obs = store.current().observations
    assert all(s.endswith("(hämtad 2026-12-01 18:03 UTC)") for s in obs[obs["indicator"] == "folkmangd_lan"]["source"])


def test_a_split_query_names_the_table_in_the_source_and_every_query_in_the_note(server, store):
    server.config_overrides["maxDataCells"] = 2  # 12 cells: per month, then the sexes as 2 + 1: eight calls
    run = fetch_all(store, [good_spec(server.base_url)], client_factory=fast, now=NOW)
    [outcome] = run.outcomes
    assert outcome.ok and len(outcome.urls) == 8
    assert outcome.message == "3 värden ur tabellen TAB6471 (8 anrop)."
    assert set(run.dataset.observations["source"]) == {
        f"{server.base_url}/tables/TAB6471/data (hämtad 2026-12-01 18:03 UTC)"
    }
    assert values_of(run) == APRIL
    assert all(u in fetch_note(run) for u in outcome.urls)


def values_of(run) -> dict[str, float]:
    """The run's values by group."""
    obs = run.dataset.observations
    return dict(zip(obs["sex"], obs["value"]))


FAILURES = [
    # (case, how the bad definition fails, the start of its Swedish message)
    ("inget nätverk", lambda s: {"base_url": f"http://127.0.0.1:{free_port()}/api/v2"}, "Servern 127.0.0.1 nekade"),
    (
        "DNS",
        lambda s: {"base_url": "http://statistik.invalid/api/v2"},
        "Värdnamnet statistik.invalid kunde inte slås upp",
    ),
    ("tidsgräns", lambda s: s.slow(2.0, times=1) or {}, "Inget svar från 127.0.0.1 inom 0.5 sekunder"),
    ("HTTP 404", lambda s: {"table": "TAB0000"}, "Tabellen eller en kod finns inte längre hos 127.0.0.1 (HTTP 404)"),
    ("HTTP 500", lambda s: s.server_error(times=1) or {}, "Serverfel hos 127.0.0.1 (HTTP 500)"),
    (
        "ändrad tabell",
        lambda s: {"selection": {"Region": ("9999",), "Alder": ("30-39",), "Tid": ("top(4)",)}},
        "Koden 9999 finns inte i variabeln Region i tabellen TAB6471",
    ),
    ("tomt svar", lambda s: s.empty(times=1) or {}, "Urvalet gav inga värden ur tabellen TAB6471 (svaret var tomt)"),
    ("ogiltig JSON", lambda s: s.invalid_json(times=1) or {}, "Svaret från 127.0.0.1 är inte giltig JSON"),
    ("inte JSON-stat", lambda s: s.not_jsonstat(times=1) or {}, "Svaret är inte ett giltigt JSON-stat-dataset"),
    (
        "ingen periodregel",
        lambda s: {"period_rule": ""},
        "Svaret gav fel och sparas inte: Tabellen TAB6471 har månadsv",
    ),
]


@pytest.mark.parametrize("name, breaks, message", FAILURES, ids=[f[0] for f in FAILURES])
def test_a_failing_definition_leaves_the_store_unchanged_for_it_while_the_good_one_is_stored(
    server, store, name, breaks, message
):
    before = store.current().observations
    before_other = before[before["indicator"] == "folkmangd"].reset_index(drop=True)
    bad = replace(other_spec(server.base_url), **breaks(server))  # asked first: a programmed failure hits it
    run = fetch_all(store, [bad, good_spec(server.base_url)], client_factory=fast, now=NOW)
    failed, good = run.outcomes
    assert not failed.ok and failed.rows == 0
    assert failed.message.startswith(message)
    assert good.ok and [o.spec.indicator for o in run.succeeded] == ["folkmangd_lan"]
    assert set(run.dataset.observations["indicator"]) == {"folkmangd_lan"}
    versions = len(store.versions())
    result = store_fetch(store, run, "test")
    assert result is not None and result.version == versions + 1
    after = store.current().observations
    after_other = after[after["indicator"] == "folkmangd"].reset_index(drop=True)
    pd.testing.assert_frame_equal(after_other.astype(object), before_other.astype(object))
    assert fetched(store, "folkmangd") == {}
    assert fetched(store, "folkmangd_lan") == APRIL
    assert f"{bad.label}: misslyckades, ingenting sparat. Adress: {failed.urls[0]}" in store.versions().iloc[0]["note"]


def test_the_bad_definition_alone_would_have_been_stored(server, store):
    # The control for the failures above: unbroken, the other definition gives Östergötland's total in April.
    run = fetch_all(store, [other_spec(server.base_url)], client_factory=fast, now=NOW)
    assert values_of(run) == {"Totalt": 63931.0}


def test_when_every_definition_fails_nothing_is_stored(server, store):
    before = store.checksum()
    run = fetch_all(store, [replace(good_spec(server.base_url), table="TAB0000")], client_factory=fast, now=NOW)
    assert run.succeeded == [] and len(run.failed) == 1
    assert run.dataset.observations.empty
    assert store_fetch(store, run, "test") is None
    assert store.checksum() == before


def test_two_definitions_giving_the_same_values_block_the_store(server, store):
    before = store.checksum()
    spec = good_spec(server.base_url)
    twin = replace(spec, table="tab6471")  # PxWeb matches table ids ignoring case: the same values twice
    run = fetch_all(store, [spec, twin], client_factory=fast, now=NOW)
    assert [o.ok for o in run.outcomes] == [True, True]
    assert run.blocked
    [conflict] = run.conflicts
    assert conflict.message.startswith(
        "Hämtningarna folkmangd_lan ur TAB6471 (PxWeb v2) och folkmangd_lan ur tab6471 (PxWeb v2) ger värden för "
        "samma område, indikator, år och grupp (3 st.)."
    )
    assert conflict in run.problems
    assert store_fetch(store, run, "test") is None
    assert store.checksum() == before


# --- PxWeb API v1 (tests/pxweb1_server.py: a hand-made district table) ------------------------------------------


def district_spec(base_url: str) -> FetchSpec:
    """Folkmängd for Berga (12), Ryd (31) and Skäggetorp (44), every year, the sexes left to the server to sum."""
    return FetchSpec(
        indicator="folkmangd",
        api=PXWEB1,
        base_url=base_url,
        table=V1_TABLE,
        selection={"Stadsdel": ("12", "31", "44"), "Tid": ("*",)},
        time_variable="Tid",
        area_variable="Stadsdel",
    )


@pytest.fixture
def server1():
    """The fixture PxWeb API v1 on a free local port."""
    with serve_pxweb1() as fake:
        yield fake


def folkmangd(store) -> pd.DataFrame:
    """The stored folkmangd (total of both sexes) of the three focus areas, by area and year."""
    obs = store.current().observations
    rows = obs[(obs["indicator"] == "folkmangd") & obs["area"].isin(["Berga", "Ryd", "Skäggetorp"])]
    rows = rows[rows["sex"] == "Totalt"]
    return rows.assign(area=rows["area"].astype(str)).set_index(["area", "year"]).sort_index()


def test_a_pxweb_v1_table_is_fetched_previewed_and_stored_with_its_query_in_the_source(server1, store):
    spec = district_spec(server1.base_url)
    run = fetch_all(store, [spec], pxweb1_factory=fast1, now=NOW)
    [outcome] = run.outcomes
    assert outcome.ok and outcome.message == "12 värden ur tabellen Befolkning/BefStadsdel.px (ett anrop)."
    [address] = outcome.urls
    assert address == (
        f"{server1.base_url}/Befolkning/BefStadsdel.px (POST Stadsdel=12,31,44; ContentsCode=BEF01; "
        "Tid=2021,2022,2023,2024)"
    )
    [call] = server1.calls("data")
    assert call.method == "POST" and call.format == "json-stat"
    fetched_rows = run.dataset.observations.assign(area=lambda f: f["area"].astype(str)).set_index(["area", "year"])
    # Ryd's women are suppressed in 2021, so the server's sum is '..': missing, with the upload's note for '..'.
    assert np.isnan(fetched_rows.loc[("Ryd", 2021), "value"])
    assert fetched_rows.loc[("Ryd", 2021), "note"] == "Uppgift saknas eller är för osäker (..)"
    diff = preview_fetch(store, run)
    # The default (fictitious) values differ from the fixture's; the missing one never overwrites a stored value.
    assert (diff.n_new, diff.n_changed, diff.n_unchanged) == (0, 11, 0)
    assert len(diff.tables["observations"].ignored_missing) == 1
    ryd_2021 = folkmangd(store).loc[("Ryd", 2021)]
    versions = len(store.versions())
    result = store_fetch(store, run, "natt")
    assert result is not None and result.version == versions + 1
    stored = folkmangd(store)
    # Invented in the fixture: Berga 5 400 men + 5 300 women in 2021, each 40 more a year; the server sums the sexes.
    assert stored.loc[("Berga", 2024), "value"] == 5520.0 + 5420.0
    assert stored.loc[("Skäggetorp", 2021), "value"] == 5600.0 + 5450.0
    pd.testing.assert_series_equal(stored.loc[("Ryd", 2021)], ryd_2021)
    assert set(stored.loc[stored["source"].str.contains("BefStadsdel"), "source"]) == {
        f"{address} (hämtad 2026-12-01 18:03 UTC)"
    }
    assert len(stored.loc[stored["source"].str.contains("BefStadsdel")]) == 11


def test_a_second_identical_pxweb_v1_fetch_creates_no_version(server1, store):
    spec = district_spec(server1.base_url)
    assert store_fetch(store, fetch_all(store, [spec], pxweb1_factory=fast1, now=NOW), "test") is not None
    versions, before = len(store.versions()), store.checksum()
    again = store_fetch(store, fetch_all(store, [spec], pxweb1_factory=fast1, now=LATER), "test")
    assert again is not None and again.version is None
    assert len(store.versions()) == versions and store.checksum() == before


@pytest.mark.parametrize(
    "breaks, message",
    [
        (lambda s: s.server_error(times=1), "Serverfel hos 127.0.0.1 (HTTP 500)"),
        (lambda s: s.drop_code("Stadsdel", "31"), "Koden 31 finns inte i variabeln Stadsdel"),
        (lambda s: s.invalid_json(times=1), "Svaret från 127.0.0.1 är inte giltig JSON"),
    ],
    ids=["HTTP 500", "ändrad tabell", "ogiltig JSON"],
)
def test_a_failing_pxweb_v1_definition_stores_nothing_of_its_own_while_a_v2_one_is_stored(
    server, server1, store, breaks, message
):
    before = folkmangd(store)
    breaks(server1)
    run = fetch_all(
        store,
        [district_spec(server1.base_url), good_spec(server.base_url)],
        client_factory=fast,
        pxweb1_factory=fast1,
        now=NOW,
    )
    failed, good = run.outcomes
    assert not failed.ok and failed.message.startswith(message)
    assert good.ok
    store_fetch(store, run, "test")
    pd.testing.assert_frame_equal(folkmangd(store).astype(object), before.astype(object))
    assert fetched(store, "folkmangd_lan") == APRIL


def test_one_client_per_address_reads_config_and_metadata_once(server, store):
    spec = good_spec(server.base_url)
    fetch_all(store, [spec, replace(spec, indicator="folkmangd")], client_factory=fast, now=NOW)
    assert [len(server.calls(e)) for e in ("config", "metadata", "data")] == [1, 1, 2]


TABLE = "http://x/api/v2/tables/TAB1/data"
STORED = pd.DataFrame(
    {
        "area": ["A", "A", "A", "A"],
        "indicator": ["i", "i", "i", "i"],
        "year": [2024, 2025, 2026, 2023],
        "sex": ["Totalt"] * 4,
        "value": [10.0, 20.0, np.nan, 5.0],
        "source": [f"{TABLE}?q=1 (hämtad 2026-01-01 00:00 UTC)", "Uppladdad fil: x.xlsx", f"{TABLE} (hämtad X)", "s"],
        "note": ["", "", "", ""],
    }
)


def test_an_unchanged_value_from_the_same_table_keeps_its_stored_source():
    new = STORED.iloc[:3].assign(source="NY", value=[10.0 + 1e-12, 20.0, np.nan])
    new = pd.concat([new, STORED.iloc[[3]].assign(value=6.0, source="NY")], ignore_index=True)
    new = pd.concat([new, new.iloc[[0]].assign(year=2030)], ignore_index=True)  # not stored: new
    out = keep_stored_sources(new, [TABLE] * len(new), STORED)
    assert list(out["source"]) == [
        STORED["source"][0],  # the same value (within the store's tolerance) from the same table
        "NY",  # the same value, but the stored one came from an upload
        STORED["source"][2],  # missing before and now, from the same table
        "NY",  # a changed value
        "NY",  # a new value
    ]


def test_retrieval_time_is_utc_and_a_long_query_is_named_by_its_table():
    assert retrieval_time(datetime(2026, 12, 1, 19, 3, tzinfo=UTC)) == "2026-12-01 19:03 UTC"
    assert retrieval_time(datetime(2026, 12, 1, 19, 3)) == "2026-12-01 19:03 UTC"  # naive: taken as UTC
    spec = good_spec("http://x/api/v2/")
    assert table_data_url(spec) == "http://x/api/v2/tables/TAB6471/data"
    assert source_url(spec, ["http://x/q"], "t") == "http://x/q"
    assert source_url(spec, ["http://x/q", "http://x/r"], "t") == table_data_url(spec)
    assert source_url(spec, ["http://x/" + "q" * 1000], "t") == table_data_url(spec)


def kolada_spec(base_url: str) -> FetchSpec:
    """Kolada's N00914 as förvärvsfrekvens for Linköping (0580), 2021–2022, total, women and men."""
    return FetchSpec(
        indicator="forvarvsfrekvens",
        api=KOLADA,
        base_url=base_url,
        table="N00914",
        selection={"municipality": ("0580",), "period": ("2021", "2022"), "gender": ("T", "K", "M")},
        time_variable="period",
        area_variable="municipality",
        sex_variable="gender",
        sex_codes={"T": "Totalt", "K": "Kvinnor", "M": "Män"},
    )


def test_a_kolada_definition_is_stored_and_an_identical_second_fetch_stores_nothing(store):
    with serve_kolada() as kolada:
        spec = kolada_spec(kolada.base_url)
        run = fetch_all(store, [spec], client_factory=fast, kolada_factory=fast_kolada, now=NOW)
        [outcome] = run.outcomes
        url = f"{kolada.base_url}/data/kpi/N00914/municipality/0580/year/2021,2022"
        assert outcome.ok and outcome.urls == [url]
        assert outcome.message == "6 värden ur nyckeltalet N00914 (ett anrop)."
        versions = len(store.versions())
        result = store_fetch(store, run, "test")
        assert result is not None and result.version == versions + 1
        obs = store.current().observations
        rows = obs[
            (obs["indicator"] == "forvarvsfrekvens")
            & (obs["area"] == "Linköping")
            & obs["year"].isin([2021, 2022])
            & obs["sex"].isin(["Totalt", "Kvinnor", "Män"])  # the default data also has Inrikes/Utrikes födda
        ]
        # kolada_server.DATA: Linköping 2021 T 78.1, K 76.9, M 79.2; 2022 T 79.0, K 77.5, M 80.4.
        assert dict(zip(zip(rows["year"], rows["sex"]), rows["value"])) == {
            (2021, "Totalt"): 78.1,
            (2021, "Kvinnor"): 76.9,
            (2021, "Män"): 79.2,
            (2022, "Totalt"): 79.0,
            (2022, "Kvinnor"): 77.5,
            (2022, "Män"): 80.4,
        }
        assert set(rows["source"]) == {f"{url} (hämtad 2026-12-01 18:03 UTC)"}
        assert table_data_url(spec) == f"{kolada.base_url}/data/kpi/N00914"

        again = store_fetch(store, fetch_all(store, [spec], kolada_factory=fast_kolada, now=LATER), "test")
        assert again is not None and again.version is None
        assert len(store.versions()) == versions + 1
        assert [c.path for c in kolada.calls()] == ["/data/kpi/N00914/municipality/0580/year/2021,2022"] * 2


class BrokenClient:
    """A client whose answer breaks in a way no FetchError covers (an overflow in a config, say)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def data(self, table_id, selection):
        """Fail as no client should."""
        raise OverflowError("cannot convert float infinity to integer")


def test_a_client_that_breaks_fails_its_definition_and_not_the_run(server, store):
    run = fetch_all(
        store,
        [other_spec("http://x/api/v2"), good_spec(server.base_url)],
        client_factory=lambda url: BrokenClient(url) if url == "http://x/api/v2" else fast(url),
        now=NOW,
    )
    broken, good = run.outcomes
    assert not broken.ok and broken.message == (
        "Svaret kunde inte läsas (OverflowError: cannot convert float infinity to integer). Adress: http://x/api/v2"
    )
    assert good.ok and good.rows == 3


def test_the_definitions_say_when_each_last_brought_new_values(server, store):
    spec = good_spec(server.base_url)
    assert latest_retrieval(spec, store.current().observations) == "–"
    store_fetch(store, fetch_all(store, [spec], client_factory=fast, now=NOW), "test")
    store_fetch(store, fetch_all(store, [spec], client_factory=fast, now=LATER), "test")  # identical: keeps NOW
    table = definitions_table([spec, other_spec(server.base_url)], store.current().observations)
    assert table["Senast nya värden"].tolist() == ["2026-12-01 18:03 UTC", "–"]
    assert list(table.columns) == [
        "Indikator",
        "API",
        "Tabell",
        "Senast nya värden",
        "Verifierad",
        "Period",
        "Urval",
        "Adress",
    ]
