"""The sheet Hämtningar: each row a checked fetch definition, or row-level Swedish errors; stored rows as FetchSpecs."""

from __future__ import annotations

import pytest

from analysis.ingest.fetch_spec import (
    FETCHES,
    FetchSpec,
    fetch_specs,
    parse_codes,
    parse_selection,
    parse_time,
    sex_label,
)
from tests.test_plan import read

HEADER = [
    "Indikator",
    "API",
    "Adress",
    "Tabell",
    "Urval",
    "Tid",
    "Områdesvariabel",
    "Könsvariabel",
    "Könskoder",
    "Faktor",
    "Period",
    "Verifierad",
]
SCB = "https://statistikdatabasen.scb.se/api/v2"
GOOD = [
    "Folkmängd",
    "PxWeb v2",
    SCB,
    "TAB6471",
    "Region=0580; Alder=*; ContentsCode=000007SF",
    "från 2020",
    "Region",
    "Kon",
    "1=Män; 2=Kvinnor; TotSa=Totalt",
    "",
    "Sista perioden",
    "Nej",
]


@pytest.mark.parametrize(
    "text, selection, reason",
    [
        ("Region=0580; Kon=1,2", {"Region": ("0580",), "Kon": ("1", "2")}, ""),
        (" Region = 0580 , 0581 ;", {"Region": ("0580", "0581")}, ""),
        ("", {}, ""),
        ("Region", {}, "”Region” ska skrivas variabel=kod1,kod2"),
        ("Region=", {}, "”Region=” ska skrivas variabel=kod1,kod2"),
        ("Region=1; Region=2", {}, "variabeln Region står två gånger"),
    ],
)
def test_parse_selection(text, selection, reason):
    assert parse_selection(text) == (selection, reason)


@pytest.mark.parametrize(
    "text, expression",
    [("", "*"), ("alla", "*"), ("Från 2015", "from(2015)"), ("senaste 5", "top(5)"), ("senaste 0", ""), ("2015-", "")],
)
def test_parse_time(text, expression):
    assert parse_time(text)[0] == expression
    assert bool(parse_time(text)[1]) == (expression == "")


def test_parse_codes_knows_sexes_in_any_usual_spelling():
    assert parse_codes("1=män; 2=Kvinnor; TotSa=totalt", sex_label) == (
        {"1": "Män", "2": "Kvinnor", "TotSa": "Totalt"},
        "",
    )
    assert parse_codes("3=Okänt", sex_label)[1] == "”3=Okänt” ska skrivas kod=benämning med en känd benämning"


def test_a_good_row_is_kept_as_written_with_the_indicator_resolved():
    records, problems, _ = read(FETCHES, [HEADER, GOOD])
    assert problems == []
    (record,) = records
    assert record["indicator"] == "folkmangd" and record["api"] == "PxWeb v2" and record["time"] == "från 2020"


@pytest.mark.parametrize(
    "column, value, problem",
    [
        ("Indikator", "Finns inte", ("Fel", 2, "Indikator", "Finns inte", "Okänd indikator.")),
        ("API", "SOAP", ("Fel", 2, "API", "SOAP", "Okänt API.")),
        ("Adress", "statistikdatabasen.scb.se", ("Fel", 2, "Adress", "statistikdatabasen.scb.se", None)),
        (
            "Adress",
            "https://x.se/api/v1/sv/Min databas",
            ("Fel", 2, "Adress", "https://x.se/api/v1/sv/Min databas", "Adressen får inte innehålla mellanslag."),
        ),
        ("Urval", "Region", ("Fel", 2, "Urval", "Region", None)),
        ("Tid", "sedan igår", ("Fel", 2, "Tid", "sedan igår", None)),
        ("Könskoder", "", ("Fel", 2, "Könskoder", "", None)),
        ("Faktor", "hundra", ("Fel", 2, "Faktor", "hundra", "Faktorn är inget tal.")),
        ("Period", "december", ("Fel", 2, "Period", "december", "Okänd regel.")),
        ("Verifierad", "kanske", ("Fel", 2, "Verifierad", "kanske", "Skriv Ja eller Nej.")),
    ],
)
def test_a_bad_cell_is_a_row_level_error_and_the_row_is_not_kept(column, value, problem):
    row = list(GOOD)
    row[HEADER.index(column)] = value
    records, problems, _ = read(FETCHES, [HEADER, row])
    assert records == []
    found = [p for p in problems if p[2] == column]
    assert len(found) == 1 and found[0][:4] == problem[:4]
    if problem[4]:
        assert found[0][4].startswith(problem[4]), found[0][4]


def test_stored_rows_become_fetch_specs_with_the_time_in_the_selection():
    records, _, _ = read(FETCHES, [HEADER, GOOD, [*GOOD[:3], "TAB9", *GOOD[4:9], "100", "", "Ja"]])
    import pandas as pd

    specs = fetch_specs(pd.DataFrame(records))
    assert specs[0] == FetchSpec(
        indicator="folkmangd",
        api="PxWeb v2",
        base_url=SCB,
        table="TAB6471",
        # Kon is left out of Urval: it is asked for with the codes Könskoder translates.
        selection={
            "Region": ("0580",),
            "Alder": ("*",),
            "ContentsCode": ("000007SF",),
            "Tid": ("from(2020)",),
            "Kon": ("1", "2", "TotSa"),
        },
        time_variable="Tid",
        area_variable="Region",
        sex_variable="Kon",
        sex_codes={"1": "Män", "2": "Kvinnor", "TotSa": "Totalt"},
        factor=1.0,
        period_rule="Sista perioden",
        verified=False,
    )
    assert specs[1].factor == 100.0 and specs[1].verified and specs[1].period_rule == ""
    assert fetch_specs(pd.DataFrame(records), ["finns_inte"]) == []


def test_a_kolada_row_is_kept_and_its_time_variable_defaults_to_period():
    kolada = ["Folkmängd", "Kolada", "https://api.kolada.se/v2", "N00914", "municipality=0580", "senaste 3"]
    kolada += ["municipality", "gender", "T=Totalt; K=Kvinnor; M=Män", "", "", "Nej"]
    records, problems, _ = read(FETCHES, [HEADER, kolada])
    assert problems == []
    import pandas as pd

    [spec] = fetch_specs(pd.DataFrame(records))
    assert spec.api == "Kolada" and spec.table == "N00914"
    assert spec.time_variable == "period" and spec.area_variable == "municipality"
    assert spec.selection == {"municipality": ("0580",), "period": ("top(3)",), "gender": ("T", "K", "M")}
    assert spec.sex_codes == {"T": "Totalt", "K": "Kvinnor", "M": "Män"}


def test_a_pxweb_v1_row_is_kept_with_its_table_path_and_the_default_time_variable():
    base = "https://statistik.example.se/PXWeb/api/v1/sv/Link%C3%B6pings%20statistikdatabas"
    v1 = ["Folkmängd", "pxweb v1", base, "Befolkning/BefStadsdel.px", "Stadsdel=12,31,44", "alla"]
    v1 += ["Stadsdel", "", "", "", "", "Nej"]
    records, problems, _ = read(FETCHES, [HEADER, v1])
    assert problems == []
    import pandas as pd

    [spec] = fetch_specs(pd.DataFrame(records))
    assert (spec.api, spec.base_url, spec.table) == ("PxWeb v1", base, "Befolkning/BefStadsdel.px")
    assert spec.time_variable == "Tid" and spec.area_variable == "Stadsdel"
    assert spec.selection == {"Stadsdel": ("12", "31", "44"), "Tid": ("*",)}
