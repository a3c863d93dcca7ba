"""The Kolada API v2 client over real HTTP against the local fixture (tests/kolada_server.py: hand-made answers in the
documented shape), and its pure helpers, with values checked by hand against kolada_server.DATA.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.ingest.kolada import (
    KoladaClient,
    chosen_years,
    data_url,
    explicit_years,
    parse_page,
    read_selection,
)
from analysis.ingest.pxweb import (
    EmptyResultError,
    FetchError,
    HttpClientError,
    InvalidResponseError,
    SelectionError,
    ServerError,
)
from tests.kolada_server import KPI, serve_kolada

COLUMNS = [
    "kpi",
    "kpi_label",
    "municipality",
    "municipality_label",
    "gender",
    "gender_label",
    "period",
    "period_label",
    "value",
    "status",
]


@pytest.fixture
def server():
    """The fixture Kolada API on a free local port."""
    with serve_kolada() as fake:
        yield fake


def client(server, **kwargs) -> KoladaClient:
    """A client that never sleeps."""
    return KoladaClient(server.base_url, timeout=2, sleep=lambda seconds: None, **kwargs)


def cells(frame) -> dict[tuple[str, str, str], float]:
    """The frame's values by (municipality, period, gender)."""
    return {(m, p, g): v for m, p, g, v in zip(frame["municipality"], frame["period"], frame["gender"], frame["value"])}


def test_a_data_call_gives_the_pxweb_frame_shape_with_labels_equal_to_codes(server):
    frame, urls = client(server).data(KPI, {"municipality": ("0580",), "period": ("2022",)})
    assert urls == [f"{server.base_url}/data/kpi/N00914/municipality/0580/year/2022"]
    assert list(frame.columns) == COLUMNS
    assert cells(frame) == {("0580", "2022", "K"): 77.5, ("0580", "2022", "M"): 80.4, ("0580", "2022", "T"): 79.0}
    assert list(frame["kpi"]) == ["N00914"] * 3 and list(frame["status"]) == ["", "", ""]
    for dim in ("kpi", "municipality", "gender", "period"):
        assert list(frame[f"{dim}_label"]) == list(frame[dim])
    assert frame["value"].dtype == "float64" and pd.api.types.is_string_dtype(frame["period"])  # as jsonstat.py


def test_every_page_is_followed_and_its_address_recorded(server):
    server.per_page = 2  # 0580 2021, 0580 2022 on the first page; 0581 2022 on the second
    frame, urls = client(server).data(KPI, {"municipality": ("0580", "0581"), "period": ("2021", "2022")})
    base = f"{server.base_url}/data/kpi/N00914/municipality/0580,0581/year/2021,2022"
    assert urls == [base, f"{base}?page=2&per_page=2"]
    assert len(frame) == 9
    assert cells(frame)[("0581", "2022", "T")] == 75.0
    assert cells(frame)[("0580", "2021", "M")] == 79.2


def test_a_null_value_is_nan_and_keeps_its_status(server):
    frame, _ = client(server).data(KPI, {"municipality": ("0580",), "period": ("2023",)})
    women = frame[frame["gender"] == "K"].iloc[0]
    assert math.isnan(women["value"]) and women["status"] == "Data saknas"
    assert cells(frame)[("0580", "2023", "T")] == 79.4


def test_expressions_ask_for_every_year_and_cut_the_answer_here(server):
    frame, urls = client(server).data(KPI, {"municipality": ("0580",), "period": ("top(2)",), "gender": ("T",)})
    assert urls == [f"{server.base_url}/data/kpi/N00914/municipality/0580"]
    assert cells(frame) == {("0580", "2022", "T"): 79.0, ("0580", "2023", "T"): 79.4}
    frame, _ = client(server).data(KPI, {"municipality": ("0580",), "period": ("from(2022)",), "gender": ("*",)})
    assert sorted(set(frame["period"])) == ["2022", "2023"] and len(frame) == 6
    frame, _ = client(server).data(KPI, {"municipality": ("0580",), "period": ("*",)})
    assert sorted(set(frame["period"])) == ["2021", "2022", "2023"]


def test_a_429_is_retried_after_its_retry_after(server):
    slept: list[float] = []
    server.too_many_requests(retry_after="2")
    kolada = KoladaClient(server.base_url, sleep=slept.append)
    frame, urls = kolada.data(KPI, {"municipality": ("0580",), "period": ("2022",)})
    assert slept == [2.0] and len(frame) == 3 and len(urls) == 1
    assert [c.status for c in server.calls()] == [429, 200]


def test_a_server_error_fails_after_the_retries_with_the_address(server):
    server.server_error()
    with pytest.raises(ServerError) as err:
        client(server, max_retries=2).data(KPI, {"municipality": ("0580",), "period": ("2022",)})
    url = f"{server.base_url}/data/kpi/N00914/municipality/0580/year/2022"
    assert err.value.message == f"Serverfel hos 127.0.0.1 (HTTP 500) efter 3 försök. Försök igen senare. Adress: {url}"
    assert len(server.calls()) == 3


def test_invalid_json_and_a_foreign_answer_are_invalid_responses(server):
    server.invalid_json(times=1)
    with pytest.raises(InvalidResponseError, match="^Svaret från 127.0.0.1 är inte giltig JSON"):
        client(server).data(KPI, {"municipality": ("0580",), "period": ("2022",)})
    server.not_kolada(times=1)
    with pytest.raises(InvalidResponseError, match="^Svaret från 127.0.0.1 är inte ett Kolada-svar: values saknas"):
        client(server).data(KPI, {"municipality": ("0580",), "period": ("2022",)})


def test_an_empty_answer_and_an_all_null_one_are_empty_results(server):
    with pytest.raises(EmptyResultError) as err:
        client(server).data("N99999", {"municipality": ("0580",), "period": ("2022",)})
    url = f"{server.base_url}/data/kpi/N99999/municipality/0580/year/2022"
    assert err.value.message == f"Urvalet gav inga värden för nyckeltalet N99999 (svaret var tomt). Adress: {url}"
    with pytest.raises(EmptyResultError, match="alla värden saknas"):
        client(server).data(KPI, {"municipality": ("0580",), "period": ("2023",), "gender": ("K",)})


def test_an_unknown_kpi_path_is_an_http_error_and_a_bad_address_fails_at_once(server):
    with pytest.raises(HttpClientError, match=r"\(HTTP 404\)"):
        KoladaClient(server.base_url + "/x", sleep=lambda s: None).data(KPI, {"municipality": ("0580",)})
    with pytest.raises(FetchError, match="inte en http- eller https-adress"):
        KoladaClient("api.kolada.se/v2")


def test_a_selection_is_checked_before_any_call(server):
    kolada = client(server)
    with pytest.raises(SelectionError, match="saknar municipality"):
        kolada.data(KPI, {"period": ("2022",)})
    with pytest.raises(SelectionError, match="Variabeln Region finns inte i Kolada"):
        kolada.data(KPI, {"Region": ("0580",), "period": ("2022",)})
    with pytest.raises(SelectionError, match="Uttrycket 22 går inte att tolka som år"):
        kolada.data(KPI, {"municipality": ("0580",), "period": ("22",)})
    with pytest.raises(SelectionError, match="Koden F finns inte i variabeln gender"):
        kolada.data(KPI, {"municipality": ("0580",), "gender": ("F",)})
    assert server.calls() == []


def test_the_pure_helpers():
    assert read_selection("N1", {"Municipality": "0580", "year": ("2020", "top(1)"), "gender": ("t",)}, "u") == (
        ["0580"],
        ["2020", "top(1)"],
        ["T"],
    )
    assert read_selection("N1", {"municipality": ("0580",)}, "u") == (["0580"], ["*"], [])
    assert data_url("http://k/v2/", "N1", ["0580", "0581"], ["2021", "2022"]) == (
        "http://k/v2/data/kpi/N1/municipality/0580,0581/year/2021,2022"
    )
    assert data_url("http://k/v2", "N1", ["0580"], None) == "http://k/v2/data/kpi/N1/municipality/0580"
    assert explicit_years(["2022", "2021", "2022"]) == ["2021", "2022"]
    assert explicit_years(["2021", "top(2)"]) is None
    years = ["2019", "2020", "2021", "2022"]
    assert chosen_years(["top(2)"], years) == {"2021", "2022"}
    assert chosen_years(["from(2020)", "2019"], years) == {"2019", "2020", "2021", "2022"}
    assert chosen_years(["*"], years) == set(years)
    rows, following = parse_page(
        {
            "count": 1,
            "values": [
                {
                    "kpi": "N1",
                    "municipality": "0580",
                    "period": "2020",
                    "values": [{"gender": "T", "count": 1, "status": None, "value": 3}],
                }
            ],
            "next_page": None,
        },
        "u",
    )
    assert following is None
    assert rows == [{"kpi": "N1", "municipality": "0580", "gender": "T", "period": "2020", "value": 3.0, "status": ""}]
    with pytest.raises(InvalidResponseError, match="värdet '3' är inget tal"):
        parse_page(
            {
                "values": [
                    {"kpi": "N1", "municipality": "0580", "period": 2020, "values": [{"gender": "T", "value": "3"}]}
                ]
            },
            "u",
        )
