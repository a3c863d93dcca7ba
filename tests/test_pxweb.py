"""The PxWeb API v2 client: pure parts (retry, rate limit, selection, splitting), then over HTTP against the local
fixture server (tests/pxweb_server.py) serving SCB's recorded answers for TAB6471, with failures programmed per test.
"""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

import analysis.ingest.pxweb as pxweb
from analysis.ingest.jsonstat import parse_jsonstat
from analysis.ingest.pxweb import (
    DEFAULT_LIMITS,
    ApiLimits,
    EmptyResultError,
    FetchError,
    FetchTimeoutError,
    HttpClientError,
    InvalidResponseError,
    NetworkError,
    PxWebClient,
    RateLimiter,
    Retry,
    SelectionError,
    ServerError,
    api_limits,
    cell_count,
    data_url,
    encoded_address,
    http_error,
    parse_retry_after,
    post_selection,
    posted_address,
    resolve_selection,
    split_selection,
    table_metadata,
)
from tests.pxweb_server import DERIVED, PROGRAMMED, RECORDED, REFUSED, Rule, free_port, serve_pxweb

REFERENCE = Path("/work/shared/reference/pxweb/v2")
META_URL = "http://test/api/v2/tables/TAB6471/metadata?lang=sv"
META = table_metadata("TAB6471", json.loads((REFERENCE / "TAB6471_metadata.json").read_text("utf-8")), META_URL)
RECORDED_DATA = json.loads((REFERENCE / "TAB6471_data.json").read_text("utf-8"))

COUNTIES = ["01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13"]
COUNTIES += ["14", "17", "18", "19", "20", "21", "22", "23", "24", "25"]
AGES = ["0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89", "90-99", "100+10"]
# The selection SCB's recorded data answer was made for (21 × 11 × 3 × 1 × 4 = 2 772 cells), written with expressions.
RECORDED_SELECTION = {
    "Region": COUNTIES,
    "Alder": AGES,
    "Kon": ["*"],
    "ContentsCode": ["000007SF"],
    "Tid": ["from(2026M01)"],
}


class FakeTime:
    """A clock that moves only when slept on, and the list of sleeps: rate limits and retries without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        """The fake now."""
        return self.now

    def sleep(self, seconds: float) -> None:
        """Note the sleep and move the clock."""
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def server():
    """The fixture PxWeb API on a free local port."""
    with serve_pxweb() as fake:
        yield fake


@pytest.fixture
def fake_time():
    """A fresh fake clock."""
    return FakeTime()


def client_for(server, fake_time, **options) -> PxWebClient:
    """A client of the fixture server that sleeps on the fake clock."""
    return PxWebClient(server.base_url, sleep=fake_time.sleep, clock=fake_time.clock, **options)


# --- Retry-After and Retry -------------------------------------------------------------------------------------------

NOW = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "header, seconds",
    [
        ("2", 2.0),
        (" 120 ", 120.0),
        ("Thu, 01 Jan 2026 12:00:30 GMT", 30.0),
        ("Thu, 01 Jan 2026 11:59:00 GMT", 0.0),  # already passed
        ("", None),
        (None, None),
        ("soon", None),
        ("-5", None),
    ],
)
def test_retry_after_is_read_as_seconds_or_a_date(header, seconds):
    assert parse_retry_after(header, NOW) == seconds


def test_retry_backs_off_exponentially_and_stops_after_max_retries():
    retry = Retry(max_retries=3, backoff=1.0)
    assert [retry.delay(500, n) for n in range(4)] == [1.0, 2.0, 4.0, None]
    assert [Retry(max_retries=2, backoff=0.5).delay(503, n) for n in range(3)] == [0.5, 1.0, None]
    assert Retry(max_retries=10, backoff=1.0, max_delay=60).delay(502, 8) == 60  # 256 s capped


def test_retry_honours_retry_after_and_gives_up_when_asked_to_wait_too_long():
    retry = Retry(max_retries=3, backoff=1.0, max_delay=60)
    assert retry.delay(429, 0, "7") == 7.0
    assert retry.delay(429, 2, "0") == 0.0
    assert retry.delay(429, 0, "3600") is None
    assert retry.delay(429, 3, "1") is None


@pytest.mark.parametrize("status", [400, 401, 404, 501, 505])
def test_retry_never_retries_what_would_fail_again(status):
    assert Retry().delay(status, 0) is None


# --- the rate limiter ------------------------------------------------------------------------------------------------


def test_the_rate_limiter_sleeps_when_the_window_is_full():
    fake = FakeTime()
    limiter = RateLimiter(2, 1.0, clock=fake.clock, sleep=fake.sleep)
    # Two calls at 0, the third waits until 1, the fourth fits beside it, the fifth waits until 2.
    assert [limiter.wait() for _ in range(5)] == [0.0, 0.0, 1.0, 0.0, 1.0]
    assert fake.sleeps == [1.0, 1.0]
    fake.now += 5.0  # a quiet spell: the window is empty again
    assert [limiter.wait() for _ in range(2)] == [0.0, 0.0]


def test_the_rate_limiter_waits_only_for_what_is_left_of_the_window():
    fake = FakeTime()
    limiter = RateLimiter(1, 10.0, clock=fake.clock, sleep=fake.sleep)
    limiter.wait()
    fake.now = 7.5
    assert limiter.wait() == 2.5


def test_the_rate_limiter_ends_even_when_the_clock_does_not_move():
    sleeps: list[float] = []
    limiter = RateLimiter(1, 1.0, clock=lambda: 0.0, sleep=sleeps.append)
    for _ in range(3):
        limiter.wait()
    assert sleeps == [1.0, 1.0]


# --- config limits ---------------------------------------------------------------------------------------------------


def test_the_recorded_config_gives_scbs_limits():
    config = json.loads((REFERENCE / "config.json").read_text("utf-8"))
    assert api_limits(config) == ApiLimits(max_data_cells=150_000, max_calls=3, time_window=1.0)


@pytest.mark.parametrize(
    "config",
    [{}, {"maxDataCells": 0, "maxCallsPerTimeWindow": -1, "timeWindow": "10"}, {"maxDataCells": True}, [], None],
)
def test_missing_or_invalid_limits_fall_back_to_safe_defaults(config):
    assert api_limits(config) == DEFAULT_LIMITS


# --- metadata and selections -----------------------------------------------------------------------------------------


def test_the_recorded_metadata_describes_the_variables():
    assert [(v.id, len(v.codes), v.elimination, v.is_time) for v in META.variables] == [
        ("Region", 312, True, False),
        ("Alder", 134, False, False),
        ("Kon", 3, True, False),
        ("ContentsCode", 1, False, False),
        ("Tid", 16, False, True),
    ]
    assert META.label.startswith("Folkmängden per månad efter region, ålder och kön")
    assert META.variable("tid").id == "Tid"
    assert META.variable("Kommun") is None


def test_malformed_metadata_is_an_invalid_response():
    with pytest.raises(InvalidResponseError, match="Tabellens metadata gick inte att läsa") as info:
        table_metadata("TAB1", {"id": ["Tid"], "size": [2], "dimension": {}}, "http://x/meta")
    assert info.value.url == "http://x/meta"
    assert info.value.message.endswith("Adress: http://x/meta")


def tid(*items) -> list[str]:
    """The months a Tid selection resolves to (Region, Alder and Kon fixed)."""
    return resolve_selection(META, {"Alder": ["TotSA"], "Tid": list(items)})["Tid"]


def test_top_and_bottom_count_from_the_latest_for_time_and_from_the_first_otherwise():
    assert tid("top(3)") == ["2026M02", "2026M03", "2026M04"]
    assert tid("TOP(2,1)") == ["2026M02", "2026M03"]
    assert tid("bottom(2)") == ["2025M01", "2025M02"]
    assert tid("top(99)") == list(META.variable("Tid").codes)
    region = list(META.variable("Region").codes)
    assert resolve_selection(META, {"Region": ["top(2)"], "Alder": ["0"], "Tid": ["2025M01"]})["Region"] == ["00", "01"]
    assert (
        resolve_selection(META, {"Region": ["bottom(1)"], "Alder": ["0"], "Tid": ["2025M01"]})["Region"] == region[-1:]
    )


def test_from_to_and_range():
    assert tid("from(2026M01)") == ["2026M01", "2026M02", "2026M03", "2026M04"]
    assert tid("to(2025M02)") == ["2025M01", "2025M02"]
    assert tid("range(2025M03,2025M01)") == ["2025M01", "2025M02", "2025M03"]


def test_wildcards():
    def region(item: str) -> list[str]:
        """The regions an item resolves to."""
        return resolve_selection(META, {"Region": [item], "Alder": ["0"], "Tid": ["2025M01"]})["Region"]

    assert region("05*") == ["05", "0509", "0512", "0513", "0560", "0561", "0562", "0563", "0580", "0581"] + [
        "0582",
        "0583",
        "0584",
        "0586",
    ]
    assert len(region("*80")) == 21 and region("*80")[3] == "0580"
    assert len(region("05??")) == 13
    assert len(region("*")) == 312
    assert "0580" in region("*58*")


def test_codes_are_matched_ignoring_case_and_kept_in_table_order_without_repeats():
    resolved = resolve_selection(
        META, {"kon": ["totsa", "2"], "Alder": ["totsa"], "Region": ["0580", "05", "05"], "Tid": ["2025M01"]}
    )
    assert resolved == {
        "Region": ["05", "0580"],
        "Alder": ["TotSA"],
        "Kon": ["TotSa", "2"],
        "ContentsCode": ["000007SF"],  # left out, but it has one code only
        "Tid": ["2025M01"],
    }


def test_eliminable_variables_may_be_left_out_but_time_may_not():
    resolved = resolve_selection(META, {"Alder": ["TotSA"], "Tid": ["top(1)"]})
    assert list(resolved) == ["Alder", "ContentsCode", "Tid"]  # Region and Kon eliminated
    with pytest.raises(SelectionError, match=r"Variabeln Tid \(månad\) måste väljas i tabellen TAB6471"):
        resolve_selection(META, {"Alder": ["TotSA"]})


@pytest.mark.parametrize(
    "selection, message",
    [
        ({"Region": ["0599"]}, "Koden 0599 finns inte i variabeln Region i tabellen TAB6471."),
        ({"Tid": ["from(1999M12)"]}, "Koden 1999M12 finns inte i variabeln Tid i tabellen TAB6471."),
        ({"Tid": ["range(2025M01,2030M01)"]}, "Koden 2030M01 finns inte i variabeln Tid"),
        (
            {"Kommun": ["0580"]},
            "Variabeln Kommun finns inte i tabellen TAB6471 (den har Region, Alder, Kon, ContentsCode, Tid).",
        ),
        ({"Tid": ["top(0)"]}, "Uttrycket top(0) går inte att tolka i variabeln Tid i tabellen TAB6471."),
        ({"Tid": ["last(3)"]}, "Uttrycket last(3) går inte att tolka"),
        ({"Region": ["0*5*"]}, "Uttrycket 0*5* går inte att tolka"),
        ({"Region": ["99*"]}, "Uttrycket 99* ger ingen kod i variabeln Region"),
        ({"Region": []}, "Ingen kod vald i variabeln Region"),
    ],
)
def test_what_the_table_lacks_is_named_before_any_data_call(selection, message):
    with pytest.raises(SelectionError) as info:
        resolve_selection(META, {"Alder": ["TotSA"], "Tid": ["top(1)"], **selection})
    assert message in info.value.message
    assert info.value.url == META_URL
    assert info.value.message.endswith(f"Adress: {META_URL}")


# --- splitting and addresses -----------------------------------------------------------------------------------------


def test_a_selection_that_fits_is_one_part():
    selection = {"Region": ["05"], "Tid": ["2025", "2026"]}
    assert cell_count(selection) == 2
    assert split_selection(selection, 2) == [selection]


def test_the_largest_variable_is_cut_into_as_few_parts_as_fit():
    selection = {"Region": ["05", "0580"], "Tid": [str(y) for y in range(2015, 2025)]}  # 2 × 10 = 20 cells
    parts = split_selection(selection, 6)
    # Tid is largest; 6 // 2 regions = 3 years a part: 3 + 3 + 3 + 1 years, 4 parts.
    assert [p["Tid"] for p in parts] == [
        ["2015", "2016", "2017"],
        ["2018", "2019", "2020"],
        ["2021", "2022", "2023"],
        ["2024"],
    ]
    assert all(p["Region"] == ["05", "0580"] for p in parts)


def test_when_one_code_of_the_largest_is_too_many_the_next_largest_is_cut_too():
    recorded = resolve_selection(META, RECORDED_SELECTION)
    assert cell_count(recorded) == 2772
    parts = split_selection(recorded, 100)
    # Region (21) is largest but one county is 11 · 3 · 1 · 4 = 132 cells > 100: one county a part, then its
    # 11 age groups cut 8 + 3 (100 // (3 · 4) = 8): 21 · 2 = 42 parts.
    assert len(parts) == 42
    assert all(cell_count(p) <= 100 for p in parts)
    assert [len(p["Alder"]) for p in parts[:2]] == [8, 3]
    assert sum(cell_count(p) for p in parts) == 2772
    covered = {(r, a, k, t) for p in parts for r in p["Region"] for a in p["Alder"] for k in p["Kon"] for t in p["Tid"]}
    assert len(covered) == 2772


def test_one_cell_a_part_at_worst_and_no_zero_limit():
    assert len(split_selection({"a": ["1", "2"], "b": ["1", "2", "3"]}, 1)) == 6
    with pytest.raises(ValueError):
        split_selection({"a": ["1"]}, 0)


def test_the_data_address_encodes_value_codes():
    url = data_url(
        "https://example.org/api/v2/", "TAB6471", {"Region": ["05", "0580"], "Alder": ["100+10"], "Län": ["x y"]}
    )
    assert url == (
        "https://example.org/api/v2/tables/TAB6471/data?lang=sv&outputFormat=json-stat2"
        "&valueCodes%5BRegion%5D=05,0580&valueCodes%5BAlder%5D=100%2B10&valueCodes%5BL%C3%A4n%5D=x%20y"
    )


# --- messages --------------------------------------------------------------------------------------------------------


def test_http_errors_are_typed_and_worded_in_swedish():
    url = "https://statistikdatabasen.scb.se/api/v2/tables/TAB1/data"
    gone = http_error(url, 404)
    assert isinstance(gone, HttpClientError) and gone.status == 404
    assert gone.message.startswith("Tabellen eller en kod finns inte längre hos statistikdatabasen.scb.se (HTTP 404)")
    assert gone.message.endswith(f"Adress: {url}")
    assert "Tabellen eller en kod finns inte längre" in http_error(url, 400).message
    assert isinstance(http_error(url, 503, 4), ServerError)
    assert "Serverfel hos statistikdatabasen.scb.se (HTTP 503) efter 4 försök" in http_error(url, 503, 4).message
    assert "För många anrop" in http_error(url, 429).message
    assert "nekade åtkomst (HTTP 403)" in http_error(url, 403).message
    assert "avvisade anropet (HTTP 418)" in http_error(url, 418).message


def test_a_base_address_must_be_http():
    with pytest.raises(FetchError, match="inte en http- eller https-adress"):
        PxWebClient("file:///etc/passwd")


# --- over HTTP: SCB's recorded answers -------------------------------------------------------------------------------


def test_the_recorded_selection_gets_the_recorded_answer(server, fake_time):
    client = client_for(server, fake_time)
    frame, urls = client.data("TAB6471", RECORDED_SELECTION)
    [call] = server.calls("data")
    assert call.answer == RECORDED
    assert call.query["outputFormat"] == "json-stat2" and call.query["lang"] == "sv"
    assert call.codes("Kon") == ["TotSa", "1", "2"] and call.codes("Tid") == [
        "2026M01",
        "2026M02",
        "2026M03",
        "2026M04",
    ]
    assert call.codes("Alder")[-1] == "100+10"  # '+' sent as %2B, not as a space
    assert urls == [data_url(server.base_url, "TAB6471", resolve_selection(META, RECORDED_SELECTION))]
    assert len(frame) == 2772
    values = frame.set_index(["Region", "Alder", "Kon", "Tid"])["value"]
    assert values[("05", "30-39", "2", "2026M03")] == 30712  # Östergötlands län, 30-39 år, kvinnor, mars 2026
    assert values[("25", "100+10", "2", "2026M04")] == 54
    assert [c.endpoint for c in server.calls()] == ["config", "metadata", "data"]
    assert server.calls("metadata")[0].answer == RECORDED


def test_a_smaller_selection_is_cut_from_the_recording(server, fake_time):
    client = client_for(server, fake_time)
    frame, _ = client.data("TAB6471", {"Region": ["05"], "Alder": ["30-39"], "Kon": ["2", "1"], "Tid": ["top(2)"]})
    [call] = server.calls("data")
    assert call.answer == DERIVED
    assert call.selection() == {
        "Region": ["05"],
        "Alder": ["30-39"],
        "Kon": ["1", "2"],
        "ContentsCode": ["000007SF"],
        "Tid": ["2026M03", "2026M04"],
    }
    assert frame[["Kon", "Tid", "value"]].values.tolist() == [
        ["1", "2026M03", 33196.0],
        ["1", "2026M04", 33201.0],
        ["2", "2026M03", 30712.0],
        ["2", "2026M04", 30727.0],
    ]
    assert set(frame["Region_label"]) == {"Östergötlands län"}


def test_a_query_too_long_for_a_get_is_posted_and_answered_the_same(server, fake_time, monkeypatch):
    get_frame, [get_url] = client_for(server, fake_time).data("TAB6471", RECORDED_SELECTION)
    monkeypatch.setattr(pxweb, "MAX_GET_URL", len(get_url) - 1)  # as if the codes made the address too long
    post_frame, [address] = client_for(server, fake_time).data("TAB6471", RECORDED_SELECTION)
    get_call, post_call = server.calls("data")
    assert (get_call.method, post_call.method) == ("GET", "POST")
    assert post_call.answer == RECORDED and post_call.selection() == get_call.selection()
    assert address.startswith(
        f"{server.base_url}/tables/TAB6471/data?lang=sv&outputFormat=json-stat2 (POST Region=01,03,04,"
    )
    assert address.endswith("; Kon=TotSa,1,2; ContentsCode=000007SF; Tid=2026M01,2026M02,2026M03,2026M04)")
    pd.testing.assert_frame_equal(post_frame, get_frame)


def test_the_post_body_is_pxwebapi_2s_variables_selection():
    selection = {"Region": ["01", "05"], "Tid": ["2024"]}
    assert post_selection(selection) == {
        "selection": [
            {"variableCode": "Region", "valueCodes": ["01", "05"]},
            {"variableCode": "Tid", "valueCodes": ["2024"]},
        ]
    }
    assert posted_address("http://x/data", selection) == "http://x/data (POST Region=01,05; Tid=2024)"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://statistikdatabasen.scb.se/api/v2/", "https://statistikdatabasen.scb.se/api/v2"),
        (" http://x/api/v1/sv/Linköping ", "http://x/api/v1/sv/Link%C3%B6ping"),
        ("http://x/api/v1/sv/Link%C3%B6ping", "http://x/api/v1/sv/Link%C3%B6ping"),
        ("http://x/a b?c=d&e=1,2", "http://x/a%20b?c=d&e=1,2"),
    ],
)
def test_an_address_is_encoded_as_urllib_can_send_it(url, expected):
    assert encoded_address(url) == expected


def test_an_eliminated_variable_is_left_out_of_the_call_and_the_frame(server, fake_time):
    frame, _ = client_for(server, fake_time).data("TAB6471", {"Region": ["05"], "Alder": ["30-39"], "Tid": ["2026M03"]})
    assert "valueCodes[Kon]" not in server.calls("data")[0].query
    assert "Kon" not in frame.columns
    assert frame["value"].tolist() == [63913.0]  # the recorded total (TotSa)


def test_config_and_metadata_are_read_once_per_client(server, fake_time):
    client = client_for(server, fake_time)
    client.data("TAB6471", {"Region": ["05"], "Alder": ["0-9"], "Tid": ["top(1)"]})
    client.data("TAB6471", {"Region": ["01"], "Alder": ["0-9"], "Tid": ["top(1)"]})
    assert [c.endpoint for c in server.calls()] == ["config", "metadata", "data", "data"]


# --- splitting and rate limiting over HTTP ---------------------------------------------------------------------------


def test_a_small_max_data_cells_splits_the_calls_and_the_parts_add_up(server, fake_time):
    server.config_overrides = {"maxDataCells": 100}
    frame, urls = client_for(server, fake_time).data("TAB6471", RECORDED_SELECTION)
    calls = server.calls("data")
    assert len(calls) == len(urls) == 42  # computed by hand in test_when_one_code_of_the_largest_is_too_many…
    assert all(c.answer == DERIVED for c in calls)
    assert max(cell_count(c.selection()) for c in calls) == 96  # 8 age groups · 3 · 1 · 4
    keys = ["Region", "Alder", "Kon", "Tid"]
    whole = parse_jsonstat(RECORDED_DATA).sort_values(keys).reset_index(drop=True)
    assert frame.sort_values(keys).reset_index(drop=True).equals(whole)
    # SCB's 3 calls a second: config, metadata and 42 data calls are 44 calls, 15 windows, 14 waits of 1 s.
    assert fake_time.sleeps == [1.0] * 14


def test_the_rate_limiter_sleeps_when_calls_exceed_the_window(server, fake_time):
    server.config_overrides = {"maxDataCells": 1000}
    client_for(server, fake_time).data("TAB6471", RECORDED_SELECTION)
    # 1000 // 132 = 7 counties a call: 3 data calls. Config, metadata and the 1st data call fill the window
    # (3 calls / 1 s); the 2nd data call waits 1 s, the 3rd goes beside it.
    assert len(server.calls("data")) == 3
    assert fake_time.sleeps == [1.0]


def test_config_without_limits_uses_the_safe_defaults(server, fake_time):
    server.config_overrides = {"maxDataCells": None, "maxCallsPerTimeWindow": None, "timeWindow": None}
    assert client_for(server, fake_time).config() == DEFAULT_LIMITS
    assert server.calls("config")[0].answer == DERIVED


# --- retries over HTTP -----------------------------------------------------------------------------------------------


def test_429_then_ok_waits_as_retry_after_says(server, fake_time):
    server.too_many_requests(times=1, retry_after="2")
    frame, _ = client_for(server, fake_time).data("TAB6471", RECORDED_SELECTION)
    assert len(frame) == 2772
    assert [(c.status, c.answer) for c in server.calls("data")] == [(429, PROGRAMMED), (200, RECORDED)]
    assert fake_time.sleeps == [2.0]


def test_429_without_retry_after_backs_off(server, fake_time):
    server.config_overrides = {"maxCallsPerTimeWindow": 100}  # only the retries sleep
    server.too_many_requests(times=2, retry_after=None)
    client_for(server, fake_time, backoff=0.25).data("TAB6471", RECORDED_SELECTION)
    assert fake_time.sleeps == [0.25, 0.5]


def test_500_always_stops_after_max_retries(server, fake_time):
    server.server_error()
    with pytest.raises(ServerError) as info:
        client_for(server, fake_time, max_retries=3).data("TAB6471", RECORDED_SELECTION)
    assert len(server.calls("data")) == 4  # the call and 3 retries
    assert fake_time.sleeps == [1.0, 2.0, 4.0]
    assert info.value.status == 500
    assert info.value.message.startswith("Serverfel hos 127.0.0.1 (HTTP 500) efter 4 försök")
    assert info.value.url == data_url(server.base_url, "TAB6471", resolve_selection(META, RECORDED_SELECTION))
    assert info.value.message.endswith(f"Adress: {info.value.url}")


def test_no_retries_means_one_call(server, fake_time):
    server.server_error(status=503)
    with pytest.raises(ServerError, match=r"\(HTTP 503\)\. Försök igen senare"):
        client_for(server, fake_time, max_retries=0).data("TAB6471", RECORDED_SELECTION)
    assert len(server.calls("data")) == 1


def test_a_passing_5xx_is_ridden_out(server, fake_time):
    server.server_error(times=2, status=503)
    frame, _ = client_for(server, fake_time).data("TAB6471", RECORDED_SELECTION)
    assert len(frame) == 2772 and fake_time.sleeps == [1.0, 2.0]


def test_429_always_ends_in_a_too_many_calls_error(server, fake_time):
    server.too_many_requests(times=None, retry_after="1")
    with pytest.raises(HttpClientError, match="För många anrop till 127.0.0.1 \\(HTTP 429\\) efter 4 försök") as info:
        client_for(server, fake_time).data("TAB6471", RECORDED_SELECTION)
    assert info.value.status == 429 and fake_time.sleeps == [1.0, 1.0, 1.0]


def test_a_retry_after_longer_than_we_wait_fails_at_once(server, fake_time):
    server.too_many_requests(times=None, retry_after="3600")
    with pytest.raises(HttpClientError, match="HTTP 429"):
        client_for(server, fake_time).data("TAB6471", RECORDED_SELECTION)
    assert len(server.calls("data")) == 1 and fake_time.sleeps == []


def test_a_400_on_data_means_the_table_changed_and_is_not_retried(server, fake_time):
    server.program(Rule("data", 400, b'{"title": "Non-existent value", "status": 400}'))
    with pytest.raises(HttpClientError, match="Tabellen eller en kod finns inte längre hos 127.0.0.1 \\(HTTP 400\\)"):
        client_for(server, fake_time).data("TAB6471", RECORDED_SELECTION)
    assert len(server.calls("data")) == 1


# --- failures over HTTP ----------------------------------------------------------------------------------------------


def test_an_unknown_table_is_a_404_before_any_data_call(server, fake_time):
    with pytest.raises(HttpClientError) as info:
        client_for(server, fake_time).data("TAB0000", {"Tid": ["top(1)"]})
    assert info.value.status == 404
    assert "Tabellen eller en kod finns inte längre" in info.value.message
    assert "/tables/TAB0000/metadata" in info.value.url and info.value.url in info.value.message
    assert server.calls("data") == []


def test_an_unknown_code_is_named_before_any_data_call(server, fake_time):
    with pytest.raises(SelectionError) as info:
        client_for(server, fake_time).data("TAB6471", {**RECORDED_SELECTION, "Region": ["05", "0599"]})
    assert info.value.message.startswith("Koden 0599 finns inte i variabeln Region i tabellen TAB6471.")
    assert "/tables/TAB6471/metadata" in info.value.url
    assert server.calls("data") == []


def test_a_slow_answer_times_out_and_is_not_retried(server, fake_time):
    server.slow(5.0)
    with pytest.raises(FetchTimeoutError) as info:
        client_for(server, fake_time, timeout=0.3).data("TAB6471", RECORDED_SELECTION)
    assert info.value.message.startswith("Inget svar från 127.0.0.1 inom 0.3 sekunder")
    assert "/tables/TAB6471/data?" in info.value.url
    assert len(server.calls("data")) == 1


def test_an_answer_that_stalls_mid_body_times_out(server, fake_time):
    server.slow(5.0, stall_body=True)
    with pytest.raises(FetchTimeoutError):
        client_for(server, fake_time, timeout=0.3).data("TAB6471", RECORDED_SELECTION)


def test_a_connection_that_breaks_mid_answer_is_a_network_error(server, fake_time):
    server.cut_off()
    with pytest.raises(NetworkError, match="Förbindelsen med 127.0.0.1 kunde inte upprättas eller bröts"):
        client_for(server, fake_time).data("TAB6471", RECORDED_SELECTION)
    assert len(server.calls("data")) == 1


def test_invalid_json_is_an_invalid_response(server, fake_time):
    server.invalid_json()
    with pytest.raises(InvalidResponseError, match="Svaret från 127.0.0.1 är inte giltig JSON") as info:
        client_for(server, fake_time).data("TAB6471", RECORDED_SELECTION)
    assert info.value.message.endswith(f"Adress: {info.value.url}")


def test_json_that_is_not_json_stat_is_an_invalid_response(server, fake_time):
    server.not_jsonstat()
    with pytest.raises(InvalidResponseError, match="Svaret är inte ett giltigt JSON-stat-dataset: id saknas"):
        client_for(server, fake_time).data("TAB6471", RECORDED_SELECTION)


def test_invalid_config_and_metadata_are_invalid_responses(server, fake_time):
    server.invalid_json(endpoint="config")
    with pytest.raises(InvalidResponseError, match="inte giltig JSON"):
        client_for(server, fake_time).config()
    server.not_jsonstat(endpoint="metadata")
    with pytest.raises(InvalidResponseError, match="Tabellens metadata gick inte att läsa"):
        client_for(server, fake_time).metadata("TAB6471")


def test_an_empty_dataset_is_an_empty_result(server, fake_time):
    server.empty()
    with pytest.raises(EmptyResultError, match=r"Urvalet gav inga värden ur tabellen TAB6471 \(svaret var tomt\)"):
        client_for(server, fake_time).data("TAB6471", RECORDED_SELECTION)


def test_a_dataset_of_only_missing_values_is_an_empty_result(server, fake_time):
    dataset = dict(RECORDED_DATA, value=[None] * 2772, status="..")
    server.program(Rule("data", 200, json.dumps(dataset).encode()))
    with pytest.raises(EmptyResultError, match="alla värden saknas"):
        client_for(server, fake_time).data("TAB6471", RECORDED_SELECTION)


def test_a_base_address_without_an_api_has_no_config(server, fake_time):
    client = PxWebClient(server.base_url + "/fel", sleep=fake_time.sleep, clock=fake_time.clock)
    with pytest.raises(HttpClientError, match="Hittade ingen PxWeb API v2 på http://127.0.0.1:\\d+/api/v2/fel"):
        client.config()


def test_an_unresolvable_host_is_a_network_error():
    client = PxWebClient("http://finns-inte.invalid/api/v2", max_retries=0)
    with pytest.raises(NetworkError) as info:
        client.config()
    assert info.value.message.startswith("Värdnamnet finns-inte.invalid kunde inte slås upp")
    assert info.value.url == "http://finns-inte.invalid/api/v2/config"
    assert info.value.message.endswith("Adress: http://finns-inte.invalid/api/v2/config")


def test_a_refused_connection_is_a_network_error():
    url = f"http://127.0.0.1:{free_port()}/api/v2"
    with pytest.raises(NetworkError, match="Servern 127.0.0.1 nekade anslutningen") as info:
        PxWebClient(url, max_retries=0).metadata("TAB6471")
    assert isinstance(info.value, FetchError)
    assert info.value.url == f"{url}/tables/TAB6471/metadata?lang=sv&outputFormat=json-stat2"


# --- the fixture server itself ---------------------------------------------------------------------------------------


def test_the_fixture_refuses_like_the_api_and_says_what_it_cannot_answer(server):
    def status(path: str) -> int:
        """The HTTP status of a GET to the fixture."""
        try:
            with urllib.request.urlopen(server.base_url + path, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as err:
            return err.code

    assert status("/tables/TAB6471/data?valueCodes%5BRegion%5D=0599") == 400  # a code the table lacks
    assert status("/tables/TAB6471/data?valueCodes%5BKommun%5D=0580") == 400  # a variable it lacks
    assert status("/tables/TAB6471/data?valueCodes%5BRegion%5D=0580&valueCodes%5BAlder%5D=0-9") == 501  # not recorded
    assert status("/tables/TAB9999/metadata") == 404
    assert status("/nothing") == 404
    assert [c.answer for c in server.calls()] == [REFUSED] * 5


def test_a_year_in_from_or_to_covers_the_periods_of_a_monthly_table():
    """'från 2026' in the sheet becomes from(2026): in a table of months it means every month of 2026 and after."""
    months = [f"2025M{m:02d}" for m in range(1, 13)] + [f"2026M{m:02d}" for m in range(1, 5)]
    assert list(META.variable("Tid").codes) == months  # the recorded table: 2025M01–2026M04
    assert resolve_selection(META, {"Alder": ["TotSA"], "Tid": ["from(2026)"]})["Tid"] == months[12:]
    assert resolve_selection(META, {"Alder": ["TotSA"], "Tid": ["to(2025)"]})["Tid"] == months[:12]
    with pytest.raises(SelectionError):
        resolve_selection(META, {"Alder": ["TotSA"], "Region": ["from(9999)"], "Tid": ["*"]})  # a code, not a year


def test_an_infinite_limit_in_the_config_falls_back_to_the_default():
    limits = api_limits(json.loads('{"maxDataCells": 1e400, "maxCallsPerTimeWindow": Infinity, "timeWindow": 10}'))
    assert (limits.max_data_cells, limits.max_calls, limits.time_window) == (10_000, 10, 10.0)
