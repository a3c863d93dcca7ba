"""PxWeb API v1: config, metadata and the three answer formats read by hand-worked cases, and the client over real
HTTP against the hand-made fixture server (tests/pxweb1_server.py: a district table in the documented formats)."""

from __future__ import annotations

import math

import pytest

from analysis.ingest.pxweb import (
    DEFAULT_LIMITS,
    FetchTimeoutError,
    HttpClientError,
    InvalidResponseError,
    SelectionError,
    ServerError,
)
from analysis.ingest.pxweb1 import (
    JSON,
    JSONSTAT1,
    JSONSTAT2,
    PxWeb1Client,
    limits_v1,
    parse_json_v1,
    query_body,
    table_metadata_v1,
    table_url,
)
from tests.pxweb1_server import TABLE, metadata, serve_pxweb1


@pytest.fixture
def server():
    """The fixture PxWeb API v1 on a free local port."""
    with serve_pxweb1() as fake:
        yield fake


def client(url: str, **options) -> PxWeb1Client:
    """A client that fails at once: short timeout, no retries, no sleeping."""
    return PxWeb1Client(url, **{"timeout": 0.5, "max_retries": 0, "sleep": lambda seconds: None, **options})


META = table_metadata_v1(TABLE, metadata(), "http://x/t")


# --- pure parts ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "table", "expected"),
    [
        (
            "http://x/api/v1/sv/ssd/",
            "BE/BE0101/BE0101A/BefolkningNy",
            "http://x/api/v1/sv/ssd/BE/BE0101/BE0101A/BefolkningNy",
        ),
        (
            "http://x/api/v1/sv/Linköping",
            "/Befolkning/Bef Stadsdel.px",
            "http://x/api/v1/sv/Linköping/Befolkning/Bef%20Stadsdel.px",
        ),
        ("http://x/db", "Å/ä?.px", "http://x/db/%C3%85/%C3%A4%3F.px"),
    ],
)
def test_table_url_joins_the_base_and_the_quoted_path(base, table, expected):
    assert table_url(base, table) == expected


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"maxValues": 150000, "maxCalls": 30, "timeWindow": 10, "CORS": True}, (150000, 30, 10.0)),
        ({"maxCells": 500, "maxCalls": 5, "timeWindow": 1}, (500, 5, 1.0)),
        ({}, (DEFAULT_LIMITS.max_data_cells, DEFAULT_LIMITS.max_calls, DEFAULT_LIMITS.time_window)),
        ({"maxValues": -1, "maxCalls": "30", "timeWindow": True}, (10_000, 10, 10.0)),
        ([], (10_000, 10, 10.0)),
    ],
)
def test_the_limits_come_from_the_v1_config_with_safe_defaults(config, expected):
    limits = limits_v1(config)
    assert (limits.max_data_cells, limits.max_calls, limits.time_window) == expected


def test_the_metadata_gives_variables_codes_labels_and_flags():
    assert META.label == "Folkmängd efter stadsdel, kön, tabellinnehåll och år"
    assert [v.id for v in META.variables] == ["Stadsdel", "Kon", "ContentsCode", "Tid"]
    area, sex, contents, time = META.variables
    assert area.codes == ("0580", "12", "31", "44", "51") and area.labels[1] == "Berga" and area.elimination
    assert sex.labels == ("män", "kvinnor") and sex.elimination and not sex.is_time
    assert not contents.elimination and contents.codes == ("BEF01",)
    assert time.is_time and not area.is_time


def test_without_a_time_flag_the_variable_tid_is_time_and_missing_texts_are_the_codes():
    body = {"title": "T", "variables": [{"code": "Region", "values": ["01"]}, {"code": "Tid", "values": ["2024"]}]}
    meta = table_metadata_v1("t", body, "u")
    assert [(v.id, v.is_time, v.labels) for v in meta.variables] == [
        ("Region", False, ("01",)),
        ("Tid", True, ("2024",)),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            [{"dbid": "ssd", "text": "Statistikdatabasen"}],
            "variables saknas (adressen pekar kanske på en mapp, inte en tabell)",
        ),
        ({"title": "T", "variables": []}, "variables saknas (adressen pekar kanske på en mapp, inte en tabell)"),
        ({"variables": [{"text": "x", "values": ["1"]}]}, "en variabel saknar code eller values"),
        ({"variables": [{"code": "x", "values": "1"}]}, "en variabel saknar code eller values"),
        (
            {"variables": [{"code": "x", "values": ["1", "2"], "valueTexts": ["ett"]}]},
            "variabeln x har 2 koder men 1 texter",
        ),
    ],
)
def test_what_is_not_a_tables_metadata_is_an_invalid_answer(body, message):
    with pytest.raises(InvalidResponseError) as err:
        table_metadata_v1("t", body, "http://x/t")
    assert err.value.message == f"Svaret från PxWeb-tabellen kan inte läsas: {message}. Adress: http://x/t"


def test_the_query_body_asks_for_each_variables_codes_as_items():
    body = query_body({"Stadsdel": ["12", "31"], "Tid": ["2024"]}, JSON)
    assert body == {
        "query": [
            {"code": "Stadsdel", "selection": {"filter": "item", "values": ["12", "31"]}},
            {"code": "Tid", "selection": {"filter": "item", "values": ["2024"]}},
        ],
        "response": {"format": "json"},
    }


def test_a_json_answer_becomes_one_cell_per_key_and_contents_column_with_labels_from_the_metadata():
    body = {
        "columns": [
            {"code": "Stadsdel", "text": "stadsdel", "type": "d"},
            {"code": "Tid", "text": "år", "type": "t"},
            {"code": "BEF01", "text": "Folkmängd", "type": "c"},
        ],
        "comments": [],
        "data": [{"key": ["12", "2024"], "values": ["5520"]}, {"key": ["31", "2024"], "values": [".."]}],
    }
    frame = parse_json_v1(body, META, "u")
    assert list(frame.columns) == [
        "Stadsdel",
        "Stadsdel_label",
        "ContentsCode",
        "ContentsCode_label",
        "Tid",
        "Tid_label",
        "value",
        "status",
    ]
    assert frame["Stadsdel_label"].tolist() == ["Berga", "Ryd"]
    assert frame["ContentsCode_label"].tolist() == ["Folkmängd 31 december"] * 2
    assert frame["value"].iloc[0] == 5520.0 and math.isnan(frame["value"].iloc[1])
    assert frame["status"].tolist() == ["", ".."]


def test_a_json_answer_with_decimals_and_null_reads_them():
    body = {
        "columns": [{"code": "Tid", "type": "t"}, {"code": "A", "type": "c"}, {"code": "B", "type": "c"}],
        "data": [{"key": ["2024"], "values": ["12.5", None]}],
    }
    meta = table_metadata_v1(
        "t",
        {"variables": [{"code": "Innehall", "values": ["A", "B"]}, {"code": "Tid", "values": ["2024"], "time": True}]},
        "u",
    )
    frame = parse_json_v1(body, meta, "u")
    assert frame["Innehall"].tolist() == ["A", "B"]
    assert (
        frame["value"].iloc[0] == 12.5 and math.isnan(frame["value"].iloc[1]) and frame["status"].tolist() == ["", ""]
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"data": []}, "columns eller data saknas"),
        ({"columns": [{"type": "d"}], "data": []}, "en kolumn saknar code"),
        ({"columns": [{"code": "Tid", "type": "t"}], "data": []}, "ingen kolumn med värden (typ c)"),
        (
            {"columns": [{"code": "Tid", "type": "t"}, {"code": "Tid", "type": "c"}], "data": []},
            "två kolumner har samma kod",
        ),
        (
            {"columns": [{"code": "Tid", "type": "t"}, {"code": "BEF01", "type": "c"}], "data": {}},
            "data är inte en lista",
        ),
        (
            {
                "columns": [{"code": "Tid", "type": "t"}, {"code": "BEF01", "type": "c"}],
                "data": [{"key": [], "values": ["1"]}],
            },
            "en rad har inte 1 nycklar och 1 värden",
        ),
    ],
)
def test_a_malformed_json_answer_is_an_invalid_answer(body, message):
    with pytest.raises(InvalidResponseError) as err:
        parse_json_v1(body, META, "http://x/t")
    assert err.value.message == f"Svaret från PxWeb-tabellen kan inte läsas: {message}. Adress: http://x/t"


# --- the client over HTTP --------------------------------------------------------------------------------------------

SELECTION = {"Stadsdel": ["12", "31"], "Kon": "*", "Tid": ["from(2023)"]}


@pytest.mark.parametrize("response_format", [JSONSTAT1, JSONSTAT2, JSON])
def test_every_answer_format_gives_the_same_cells(server, response_format):
    frame, [address] = client(server.base_url, response_format=response_format).data(TABLE, SELECTION)
    assert address == (
        f"{server.base_url}/Befolkning/BefStadsdel.px (POST Stadsdel=12,31; Kon=1,2; ContentsCode=BEF01; Tid=2023,2024)"
    )
    [call] = server.calls("data")
    assert call.method == "POST" and call.format == response_format
    assert call.selection == {
        "Stadsdel": ["12", "31"],
        "Kon": ["1", "2"],
        "ContentsCode": ["BEF01"],
        "Tid": ["2023", "2024"],
    }
    cells = frame.set_index(["Stadsdel", "Kon", "Tid"])["value"]
    # Invented in the fixture: Berga's men 5 400 in 2021 and 40 more each year; Ryd's women 4 000 + 40 a year.
    assert cells[("12", "1", "2024")] == 5520.0 and cells[("31", "2", "2023")] == 4080.0
    assert len(frame) == 8 and frame["Stadsdel_label"].iloc[0] == "Berga" and frame["Kon_label"].iloc[0] == "män"


@pytest.mark.parametrize("response_format", [JSONSTAT1, JSONSTAT2, JSON])
def test_a_suppressed_cell_is_missing_with_its_status(server, response_format):
    frame, _ = client(server.base_url, response_format=response_format).data(
        TABLE, {"Stadsdel": ["31"], "Kon": ["2"], "Tid": ["2021", "2022"]}
    )
    assert math.isnan(frame["value"].iloc[0]) and frame["status"].tolist() == ["..", ""]
    assert frame["value"].iloc[1] == 4040.0


def test_a_variable_left_out_is_eliminated_by_the_server(server):
    frame, _ = client(server.base_url).data(TABLE, {"Stadsdel": ["12"], "Tid": ["2024"]})
    assert "Kon" not in frame.columns
    assert frame["value"].tolist() == [5520.0 + 5420.0]  # men and women summed by the server


def test_config_is_read_once_and_its_limits_split_the_query(server):
    server.max_values = 5  # 5 areas × 4 years = 20 cells: along the largest variable, five calls of one area each
    api = client(server.base_url)
    frame, addresses = api.data(TABLE, {"Stadsdel": "*", "Tid": "*"})
    assert len(addresses) == 5 and len(frame) == 20
    assert [c.selection["Stadsdel"] for c in server.calls("data")] == [["0580"], ["12"], ["31"], ["44"], ["51"]]
    assert all(cell.status == 200 for cell in server.calls("data"))
    assert [len(server.calls(e)) for e in ("config", "metadata")] == [1, 1]
    assert (api.config().max_data_cells, api.config().max_calls, api.config().time_window) == (5, 30, 10.0)
    api.data(TABLE, {"Stadsdel": ["12"], "Tid": ["2024"]})
    assert [len(server.calls(e)) for e in ("config", "metadata")] == [1, 1]


def test_429_is_retried_and_then_answered(server):
    server.too_many_requests()
    frame, _ = client(server.base_url, max_retries=2).data(TABLE, {"Stadsdel": ["12"], "Tid": ["2024"]})
    assert [c.status for c in server.calls("data")] == [429, 200] and len(frame) == 1


def test_a_server_error_fails_after_the_retries(server):
    server.server_error()
    with pytest.raises(ServerError) as err:
        client(server.base_url, max_retries=1).data(TABLE, {"Stadsdel": ["12"], "Tid": ["2024"]})
    assert err.value.message.startswith("Serverfel hos 127.0.0.1 (HTTP 500) efter 2 försök. Försök igen senare.")
    assert len(server.calls("data")) == 2


def test_an_address_without_a_pxweb_v1_says_so(server):
    with pytest.raises(HttpClientError) as err:
        client(server.base_url + "/fel").data(TABLE, {"Tid": ["2024"]})
    assert err.value.message.startswith(
        f"Hittade ingen PxWeb API v1 på {server.base_url}/fel: config saknas (HTTP 404)."
    )


def test_a_table_that_is_gone_is_a_client_error(server):
    with pytest.raises(HttpClientError) as err:
        client(server.base_url).data("Befolkning/Borttagen.px", {"Tid": ["2024"]})
    assert (
        err.value.status == 404
        and "Tabellen eller en kod finns inte längre hos 127.0.0.1 (HTTP 404)" in err.value.message
    )


def test_a_code_missing_from_the_metadata_stops_before_any_data_call(server):
    with pytest.raises(SelectionError) as err:
        client(server.base_url).data(TABLE, {"Stadsdel": ["99"], "Tid": ["2024"]})
    assert err.value.message.startswith(
        "Koden 99 finns inte i variabeln Stadsdel i tabellen Befolkning/BefStadsdel.px."
    )
    assert server.calls("data") == []


def test_a_table_changed_after_its_metadata_was_read_fails_with_the_servers_400(server):
    api = client(server.base_url)
    api.data(TABLE, {"Stadsdel": ["44"], "Tid": ["2024"]})
    server.drop_code("Stadsdel", "44")  # the district renamed since the metadata was read
    with pytest.raises(HttpClientError) as err:
        api.data(TABLE, {"Stadsdel": ["44"], "Tid": ["2024"]})
    assert err.value.status == 400
    assert err.value.message.startswith("Tabellen eller en kod finns inte längre hos 127.0.0.1 (HTTP 400)")
    assert server.calls("data")[-1].status == 400


def test_more_cells_than_the_server_allows_is_worded_as_such(server):
    server.server_error(times=1, status=403)  # as a server whose maxValues is lower than its config says
    with pytest.raises(HttpClientError) as err:
        client(server.base_url).data(TABLE, {"Stadsdel": ["12"], "Tid": ["2024"]})
    assert err.value.message == (
        "PxWeb-servern nekade frågan (HTTP 403): den ber om fler celler än servern tillåter. Adress: "
        f"{server.base_url}/Befolkning/BefStadsdel.px (POST Stadsdel=12; ContentsCode=BEF01; Tid=2024)"
    )


@pytest.mark.parametrize("response_format", [JSONSTAT1, JSON])
def test_an_answer_that_is_not_json_is_an_invalid_answer(server, response_format):
    server.invalid_json()
    with pytest.raises(InvalidResponseError) as err:
        client(server.base_url, response_format=response_format).data(TABLE, {"Stadsdel": ["12"], "Tid": ["2024"]})
    assert "är inte giltig JSON" in err.value.message


def test_a_slow_server_times_out(server):
    server.slow(2.0)
    with pytest.raises(FetchTimeoutError) as err:
        client(server.base_url, timeout=0.3).data(TABLE, {"Stadsdel": ["12"], "Tid": ["2024"]})
    assert err.value.message.startswith("Inget svar från 127.0.0.1 inom 0.3 sekunder.")


def test_an_unknown_response_format_is_refused():
    with pytest.raises(ValueError):
        PxWeb1Client("http://x/api/v1/sv/db", response_format="px")


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("http://x/api/v1/sv/Linköping/", "http://x/api/v1/sv/Link%C3%B6ping"),
        ("http://x/api/v1/sv/Link%C3%B6ping", "http://x/api/v1/sv/Link%C3%B6ping"),
        ("http://x:8080/api/v1/sv/ssd", "http://x:8080/api/v1/sv/ssd"),
    ],
)
def test_a_base_address_written_as_it_reads_is_sent_percent_encoded(base, expected):
    assert PxWeb1Client(base).base_url == expected
