"""Validation: each bad input gives its Swedish message at the right place; good layouts read."""

from __future__ import annotations

import io
import math
from datetime import date

import pandas as pd
import pytest
import xlwt

from analysis.ingest.excel import read_workbook
from analysis.ingest.problems import has_errors
from analysis.ingest.validate import LAYOUT_EXPORT, LAYOUT_LONG, LAYOUT_WIDE, ReadOptions, parse_workbook
from tests.builders import data_sheet, rezip, sheet_xml, tiny_known, xlsx

H = ["Område", "Indikator", "År", "Värde", "Kön"]


def read(data: bytes, **options):
    """Read and parse bytes against the tiny known dataset."""
    raw, problems = read_workbook(data, "test.xlsx")
    if raw is None:
        return None, problems, None
    result = parse_workbook(raw, tiny_known(), ReadOptions(**options))
    return result.dataset, result.problems, result.info


def errors(problems):
    """Only the blocking problems."""
    return [p for p in problems if p.is_error]


def formula_without_value() -> bytes:
    """A Data sheet whose value cell is a formula Excel never computed."""
    return data_sheet(["Berga", "forvarvsfrekvens", 2020, "=B1*2", "Totalt"])


CASES = [
    # (id, workbook bytes, sheet, row, column starts with, message fragment, hint fragment)
    (
        "saknad kolumn",
        xlsx({"Data": [["Område", "Indikator", "År"], ["Berga", "folkmangd", 2020]]}),
        "Data",
        1,
        "Värde",
        "Kolumnen Värde",
        "Lägg till kolumnen Värde",
    ),
    ("inga datarader", data_sheet(), "Data", 1, "", "inga datarader", "minst en rad"),
    (
        "dubblett",
        data_sheet(["Berga", "folkmangd", 2020, 6000, "Totalt"], ["berga", "Folkmängd", 2020, 6100, ""]),
        "Data",
        3,
        "D",
        "finns redan på rad 2",
        "Ta bort den ena",
    ),
    (
        "ej tal",
        data_sheet(["Berga", "folkmangd", 2020, "sex tusen", "Totalt"]),
        "Data",
        2,
        "D (Värde)",
        "inte ett tal",
        "siffror",
    ),
    (
        "år utanför",
        data_sheet(["Berga", "folkmangd", 1850, 6000, "Totalt"]),
        "Data",
        2,
        "C (År)",
        "utanför 1900–2100",
        "fyra siffror",
    ),
    (
        "år som datum",
        xlsx({"Data": [H, ["Berga", "folkmangd", pd.Timestamp("2020-01-01").to_pydatetime(), 6000, "Totalt"]]}),
        "Data",
        2,
        "C (År)",
        "datum där ett årtal",
        "formatera cellen som Tal",
    ),
    (
        "procent över 100",
        data_sheet(["Berga", "forvarvsfrekvens", 2020, 123.4, "Totalt"]),
        "Data",
        2,
        "D (Värde)",
        "utanför 0–100",
        "0–100",
    ),
    (
        "andel 0-1",
        data_sheet(
            ["Berga", "forvarvsfrekvens", 2020, 0.612, "Totalt"],
            ["Skäggetorp", "forvarvsfrekvens", 2020, 0.523, "Totalt"],
        ),
        "Data",
        2,
        "D (Värde)",
        "mellan 0 och 1",
        "Multiplicera med 100",
    ),
    (
        "negativt antal",
        data_sheet(["Berga", "folkmangd", 2020, -5, "Totalt"]),
        "Data",
        2,
        "D (Värde)",
        "negativt",
        "tecknet",
    ),
    (
        "okänt kön",
        data_sheet(["Berga", "folkmangd", 2020, 6000, "Båda"]),
        "Data",
        2,
        "E (Kön)",
        "Okänt kön",
        "Kvinnor eller Män",
    ),
    (
        "okänt område",
        data_sheet(["Skägetorp", "folkmangd", 2020, 6000, "Totalt"]),
        "Data",
        2,
        "A (Område)",
        "Okänt område",
        "Menade du Skäggetorp",
    ),
    (
        "okänd indikator",
        data_sheet(["Berga", "förvärvsfrekvens 20-64", 2020, 61, "Totalt"]),
        "Data",
        2,
        "B (Indikator)",
        "Okänd indikator",
        "forvarvsfrekvens",
    ),
    ("formel utan värde", formula_without_value(), "Data", 2, "D (Värde)", "formel utan beräknat värde", "räkna om"),
    (
        "nan som text",
        data_sheet(["Berga", "folkmangd", 2020, "NaN", "Totalt"]),
        "Data",
        2,
        "D (Värde)",
        "NaN eller oändligt",
        "tal",
    ),
    (
        "oändligt",
        data_sheet(["Berga", "folkmangd", 2020, "inf", "Totalt"]),
        "Data",
        2,
        "D (Värde)",
        "NaN eller oändligt",
        "tal",
    ),
    (
        "excel-fel",
        data_sheet(["Berga", "folkmangd", 2020, "#DIV/0!", "Totalt"]),
        "Data",
        2,
        "D (Värde)",
        "Excel-felet",
        "Rätta formeln",
    ),
    (
        "dubbla rubriker",
        xlsx({"Data": [["Område", "Indikator", "År", "Värde", "Värde"], ["Berga", "folkmangd", 2020, 1, 2]]}),
        "Data",
        1,
        "E (Värde)",
        "finns två gånger",
        "byt namn",
    ),
    (
        "lång text",
        data_sheet(["Berga", "folkmangd", 2020, 6000, "Totalt", "x" * 100_000], header=H + ["Kommentar"]),
        "Data",
        2,
        "F (Kommentar)",
        "för lång",
        "Korta",
    ),
    (
        "okänd typ i Områden",
        xlsx({"Områden": [["Område", "Typ"], ["Ryd", "Stadsdel"]]}),
        "Områden",
        2,
        "B (Typ)",
        "Okänd områdestyp",
        "Fokusområde",
    ),
    (
        "okänt tema i Indikatorer",
        xlsx(
            {"Indikatorer": [["Id", "Namn", "Tema", "Enhet", "Riktning"], ["x1", "X", "kultur", "procent", "Neutral"]]}
        ),
        "Indikatorer",
        2,
        "C (Tema)",
        "Okänt värde för tema",
        "arbete",
    ),
    (
        "okänt skillnadsmått",
        xlsx(
            {
                "Indikatorer": [
                    [
                        "Id",
                        "Namn",
                        "Tema",
                        "Enhet",
                        "Riktning",
                        "Skillnad mäts i",
                        "Oförändrat-gräns",
                        "Kön i meningar",
                    ],
                    ["x1", "X", "arbete", "dagar", "Lägre", "kvot", "", ""],
                ]
            }
        ),
        "Indikatorer",
        2,
        "F (Skillnad mäts i)",
        "Okänt sätt att mäta skillnaden",
        "procentenheter, enhet, procent",
    ),
    (
        "procentenheter för dagar",
        xlsx(
            {
                "Indikatorer": [
                    [
                        "Id",
                        "Namn",
                        "Tema",
                        "Enhet",
                        "Riktning",
                        "Skillnad mäts i",
                        "Oförändrat-gräns",
                        "Kön i meningar",
                    ],
                    ["x1", "X", "arbete", "dagar", "Lägre", "procentenheter", "", ""],
                ]
            }
        ),
        "Indikatorer",
        2,
        "F (Skillnad mäts i)",
        "bara för indikatorer i procent",
        "enhet eller procent",
    ),
    (
        "gräns noll",
        xlsx(
            {
                "Indikatorer": [
                    [
                        "Id",
                        "Namn",
                        "Tema",
                        "Enhet",
                        "Riktning",
                        "Skillnad mäts i",
                        "Oförändrat-gräns",
                        "Kön i meningar",
                    ],
                    ["x1", "X", "arbete", "procent", "Lägre", "", 0, ""],
                ]
            }
        ),
        "Indikatorer",
        2,
        "G (Oförändrat-gräns)",
        "större än 0",
        "Skriv t.ex. 1",
    ),
    (
        "okända könsord",
        xlsx(
            {
                "Indikatorer": [
                    [
                        "Id",
                        "Namn",
                        "Tema",
                        "Enhet",
                        "Riktning",
                        "Skillnad mäts i",
                        "Oförändrat-gräns",
                        "Kön i meningar",
                    ],
                    ["x1", "X", "utbildning", "procent", "Högre", "", "", "elever"],
                ]
            }
        ),
        "Indikatorer",
        2,
        "H (Kön i meningar)",
        "Okänt värde för kön i meningar",
        "flickor och pojkar",
    ),
    (
        "slut före start",
        xlsx({"Åtgärder": [["Id", "Åtgärd", "Start", "Slut"], ["A1", "Läxhjälp", "2024-05-01", "2023-01-01"]]}),
        "Åtgärder",
        2,
        "Slut",
        "före startdatum",
        "Rätta",
    ),
    (
        "okänd status",
        xlsx({"Åtgärder": [["Id", "Åtgärd", "Status"], ["A1", "Läxhjälp", "Klar"]]}),
        "Åtgärder",
        2,
        "C (Status)",
        "Okänd status",
        "Genomförd",
    ),
    (
        "okänd åtgärd i Uppföljning",
        xlsx(
            {
                "Åtgärder": [["Id", "Åtgärd"], ["X1", "Läxhjälp"], ["X2", "Belysning"]],
                "Uppföljning": [["Åtgärd", "År", "Status"], ["X3", 2022, "Pågår"]],
            }
        ),
        "Uppföljning",
        2,
        "A (Åtgärd)",
        "Okänd åtgärd",
        "Menade du X1 eller X2?",
    ),
    (
        "okänd status i Uppföljning",
        xlsx(
            {
                "Åtgärder": [["Id", "Åtgärd"], ["A01", "Läxhjälp"]],
                "Uppföljning": [["Åtgärd", "År", "Status"], ["A01", 2022, "Klar"]],
            }
        ),
        "Uppföljning",
        2,
        "C (Status)",
        "Okänd status",
        "Genomförd",
    ),
    (
        "saknad status i Uppföljning",
        xlsx(
            {
                "Åtgärder": [["Id", "Åtgärd"], ["A01", "Läxhjälp"]],
                "Uppföljning": [["Åtgärd", "År", "Status"], ["A01", 2022, None, "x"]],
            }
        ),
        "Uppföljning",
        2,
        "C (Status)",
        "Statusen saknas",
        "Pågår",
    ),
    (
        "uppföljningsår i framtiden",
        xlsx(
            {
                "Åtgärder": [["Id", "Åtgärd"], ["A01", "Läxhjälp"]],
                "Uppföljning": [["Åtgärd", "År", "Status"], ["A01", 2099, "Pågår"]],
            }
        ),
        "Uppföljning",
        2,
        "B (År)",
        "Uppföljningsåret ligger utanför 2000–",
        "har börjat",
    ),
    (
        "uppföljningsår före 1900",
        xlsx(
            {
                "Åtgärder": [["Id", "Åtgärd"], ["A01", "Läxhjälp"]],
                "Uppföljning": [["Åtgärd", "År", "Status"], ["A01", 1850, "Pågår"]],
            }
        ),
        "Uppföljning",
        2,
        "B (År)",
        "utanför 1900–2100",
        "fyra siffror",
    ),
    (
        "uppföljning utan status-kolumn",
        xlsx({"Åtgärder": [["Id", "Åtgärd"], ["A01", "Läxhjälp"]], "Uppföljning": [["Åtgärd", "År"], ["A01", 2022]]}),
        "Uppföljning",
        1,
        "Status",
        "Kolumnen Status",
        "Lägg till kolumnen Status",
    ),
    (
        "plan utan antagningsdatum",
        xlsx({"Planer": [["Plan", "Antagen", "Gäller från"], ["Åtgärdsplan 2022", "19 januari", 2022]]}),
        "Planer",
        2,
        "B (Antagen)",
        "Datumet kan inte läsas",
        "ÅÅÅÅ-MM-DD",
    ),
    (
        "planer som gäller samma år",
        xlsx(
            {
                "Planer": [
                    ["Plan", "Antagen", "Gäller från", "Gäller till"],
                    ["Åtgärdsplan 2020", "2020-12-02", 2021, 2023],
                    ["Åtgärdsplan 2022", "2022-01-19", 2022, None],
                ]
            }
        ),
        "Planer",
        3,
        "Gäller från",
        "Planen gäller samma år som Åtgärdsplan 2020 (2021–2023): 2022–2023",
        "Sätt Gäller till för Åtgärdsplan 2020 till 2021",
    ),
    (
        "okänd plan i Åtgärder",
        xlsx(
            {
                "Planer": [["Plan", "Antagen", "Gäller från"], ["Åtgärdsplan 2022", "2022-01-19", 2022]],
                "Åtgärder": [["Id", "Plan", "Åtgärd"], ["A01", "Åtgärdsplan 2019; Åtgärdsplan 2022", "Läxhjälp"]],
            }
        ),
        "Åtgärder",
        2,
        "B (Plan)",
        "Okänd plan",
        "Planer som finns: Åtgärdsplan 2022.",
    ),
    (
        "samma åtgärd två gånger i en plan",
        xlsx(
            {
                "Planer": [["Plan", "Antagen", "Gäller från"], ["Åtgärdsplan 2022", "2022-01-19", 2022]],
                "Åtgärder": [
                    ["Id", "Plan", "Åtgärd"],
                    ["A01", "Åtgärdsplan 2022", "Läxhjälp"],
                    ["A01", "åtgärdsplan 2022", "Läxhjälp i skolan"],
                ],
            }
        ),
        "Åtgärder",
        3,
        "",
        "Åtgärdens id finns redan på rad 2",
        "Ta bort den ena",
    ),
    (
        "andel klar över 100",
        xlsx(
            {
                "Åtgärder": [["Id", "Åtgärd"], ["A01", "Läxhjälp"]],
                "Uppföljning": [["Åtgärd", "År", "Status", "Andel klar"], ["A01", 2022, "Pågår", "120 %"]],
            }
        ),
        "Uppföljning",
        2,
        "D (Andel klar)",
        "Andel klar ligger utanför 0–100 %",
        "i procent 0–100",
    ),
    (
        "samma åtgärd och år",
        xlsx(
            {
                "Åtgärder": [["Id", "Åtgärd"], ["A01", "Läxhjälp"]],
                "Uppföljning": [["Åtgärd", "År", "Status"], ["A01", 2022, "Pågår"], ["a01", "2022", "Försenad"]],
            }
        ),
        "Uppföljning",
        3,
        "",
        "Samma åtgärd och år finns redan på rad 2",
        "Ta bort den ena",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_swedish_message_at_the_right_place(case):
    _, data, sheet, row, column, message, hint = case
    dataset, problems, _ = read(data)
    assert dataset is None
    errs = errors(problems)
    match = [p for p in errs if message in p.message]
    assert match, [p.as_text() for p in errs]
    p = match[0]
    assert p.sheet == sheet
    assert p.row == row
    assert p.column.startswith(column)
    assert hint in p.hint
    assert len(p.value) <= 80


def test_long_values_are_cut_in_messages():
    _, problems, _ = read(data_sheet(["Berga" * 100, "folkmangd", 2020, 1, "Totalt"]))
    p = next(p for p in problems if "Okänt område" in p.message)
    assert p.value.endswith("…") and len(p.value) == 80


def test_long_format_reads_swedish_numbers_aliases_and_diacritics():
    data = data_sheet(
        ["  skaggetorp ", "Förvärvsfrekvens 20–64 år", "2020", "52,3", "kvinnor"],
        ["Linköpings kommun", "folkmangd", 2021.0, "164\u00a0616", ""],
        ["0580 Linköping", "folkmangd", 2022, "1 234 567,0", "Män"],
        ["Rest of Linköping", "ohalsotal", 2019, "..", "Totalt"],
        ["Berga", "ohalsotal", 2019, "x", "T"],
    )
    dataset, problems, info = read(data)
    assert not has_errors(problems), [p.as_text() for p in problems]
    assert info.layout == LAYOUT_LONG
    obs = dataset.observations.set_index(["area", "indicator", "year", "sex"])
    assert obs.loc[("Skäggetorp", "forvarvsfrekvens", 2020, "Kvinnor"), "value"] == 52.3
    assert obs.loc[("Linköping", "folkmangd", 2021, "Totalt"), "value"] == 164616
    assert obs.loc[("Linköping", "folkmangd", 2022, "Män"), "value"] == 1234567
    assert math.isnan(obs.loc[("Övriga Linköping", "ohalsotal", 2019, "Totalt"), "value"])
    assert "Sekretess" in obs.loc[("Berga", "ohalsotal", 2019, "Totalt"), "note"]


def test_wide_format_with_year_headers_as_numbers_and_text():
    data = xlsx(
        {
            "Data": [
                ["Område", "Indikator", "Kön", 2019, "2020", "2021.0"],
                ["Berga", "ohalsotal", "Kvinnor", 30.1, "29,5", ""],
                ["Berga", "ohalsotal", "Män", 20, 19.5, 19],
            ]
        }
    )
    dataset, problems, info = read(data)
    assert not has_errors(problems)
    assert info.layout == LAYOUT_WIDE
    obs = dataset.observations
    assert len(obs) == 6
    women = obs[obs["sex"] == "Kvinnor"].set_index("year")["value"]
    assert women[2019] == 30.1 and women[2020] == 29.5 and math.isnan(women[2021])


def test_english_headers_and_sex_labels():
    data = xlsx(
        {
            "Values": [
                ["Area", "Indicator", "Year", "Value", "Sex", "Source", "Comment"],
                ["Berga", "ohalsotal", 2020, 25, "Women", "FK", "ok"],
                ["Berga", "ohalsotal", 2020, 15, "Men", "FK", ""],
            ]
        }
    )
    dataset, problems, _ = read(data)
    assert not has_errors(problems)
    assert sorted(dataset.observations["sex"]) == ["Kvinnor", "Män"]
    assert set(dataset.observations["source"]) == {"FK"}


def test_percent_sign_allows_values_below_one_percent():
    dataset, problems, _ = read(data_sheet(["Berga", "forvarvsfrekvens", 2020, "0,8 %", "Totalt"]))
    assert not has_errors(problems)
    assert dataset.observations["value"].tolist() == [0.8]


def test_exported_scb_table_with_title_codes_merged_areas_and_notes():
    rows = [
        ["Folkmängd efter region, kön och år"],
        [],
        ["region", "kön", 2022, 2023],
        ["0580 Linköping", "män", 84000, "84 499"],
        ["", "kvinnor", 81000, 81028],
        ["0580R005 Skäggetorp", "män", "..", 5100],
        ["", "kvinnor", 5000, "x"],
        [],
        ["Källa: SCB, befolkningsstatistik"],
        ["Fotnot: .. = uppgift saknas"],
    ]
    dataset, problems, info = read(xlsx({"Tabell 1": rows}), indicator="Folkmängd")
    assert not has_errors(problems), [p.as_text() for p in problems]
    assert info.layout == LAYOUT_EXPORT
    obs = dataset.observations.set_index(["area", "year", "sex"])
    assert obs.loc[("Linköping", 2023, "Män"), "value"] == 84499
    assert obs.loc[("Skäggetorp", 2023, "Män"), "value"] == 5100
    assert math.isnan(obs.loc[("Skäggetorp", 2022, "Män"), "value"])
    assert set(dataset.observations["source"]) == {"SCB, befolkningsstatistik"}
    assert set(dataset.observations["indicator"]) == {"folkmangd"}


def test_exported_table_without_indicator_asks_for_it_and_suggests_from_title():
    rows = [["Folkmängd i stadsdelar"], ["område", 2023], ["Berga", 6400]]
    dataset, problems, info = read(xlsx({"Blad1": rows}))
    assert dataset is None
    assert info.needs_indicator
    assert info.suggested_indicators[0] == "folkmangd"
    assert "Ange indikatorn" in errors(problems)[0].hint


def test_exported_long_kolada_table_with_fixed_sex():
    rows = [["Kommun", "År", "Värde"], ["Linköping", 2022, 17.5], ["Linköping", 2023, 17.9]]
    dataset, problems, _ = read(xlsx({"Kolada": rows}), indicator="ohalsotal", sex="Kvinnor")
    assert not has_errors(problems)
    assert dataset.observations["sex"].unique().tolist() == ["Kvinnor"]
    assert dataset.observations["value"].tolist() == [17.5, 17.9]


def test_the_catalogue_declares_how_an_indicator_is_compared():
    data = xlsx(
        {
            "Indikatorer": [
                ["Id", "Namn", "Tema", "Enhet", "Riktning", "Skillnad mäts i", "Oförändrat-gräns", "Kön i meningar"],
                ["m9", "Meritvärde", "utbildning", "poäng", "Högre", "enhet", "2,5", "flickor och pojkar"],
                ["x2", "Andel", "arbete", "procent", "Högre", "", "", ""],
            ]
        }
    )
    dataset, problems, _ = read(data)
    assert errors(problems) == []
    cat = dataset.indicators.set_index("id")
    assert cat.loc["m9", ["gap_measure", "threshold", "sex_words"]].tolist() == ["enhet", 2.5, "flickor och pojkar"]
    assert (
        cat.loc["x2", "gap_measure"] == "" and pd.isna(cat.loc["x2", "threshold"]) and cat.loc["x2", "sex_words"] == ""
    )


def test_indicators_and_areas_defined_in_the_same_workbook_can_be_used():
    data = xlsx(
        {
            "Indikatorer": [
                ["Id", "Namn", "Tema", "Enhet", "Riktning"],
                ["trygghet1", "Otrygghet", "trygghet", "procent", "Lägre"],
            ],
            "Områden": [["Område", "Typ", "Alias"], ["Ryd", "Fokusområde", "Ryds stadsdel;Ryd centrum"]],
            "Data": [H, ["Ryds stadsdel", "Otrygghet", 2023, 31.5, "Totalt"]],
        }
    )
    dataset, problems, _ = read(data)
    assert not has_errors(problems), [p.as_text() for p in problems]
    assert dataset.observations.iloc[0][["area", "indicator", "value"]].tolist() == ["Ryd", "trygghet1", 31.5]
    assert dataset.indicators.iloc[0]["direction"] == "Lägre är bättre"
    assert dataset.indicators.iloc[0]["decimals"] == 1


def test_unknown_areas_can_be_added_as_new_areas():
    dataset, problems, _ = read(data_sheet(["Lambohov", "folkmangd", 2023, 9000, "Totalt"]), new_areas=True)
    assert not has_errors(problems)
    assert dataset.areas[["name", "type"]].values.tolist() == [["Lambohov", "Övrigt"]]
    assert any("Nytt område" in p.message for p in problems)


def test_hidden_template_sheet_is_not_read_and_says_so():
    data = xlsx({"Data": [H, ["Berga", "folkmangd", 2020, 1, ""]], "Mål": [["Område"]]}, hidden=("Mål",))
    _, problems, _ = read(data)
    assert any(p.sheet == "Mål" and "dolt" in p.message for p in problems)


def test_xls_and_ods_are_read():
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Data")
    for r, row in enumerate([H, ["Berga", "folkmangd", 2020, 6000, "Totalt"]]):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    dataset, problems, _ = read(buf.getvalue())
    assert not has_errors(problems) and dataset.observations["value"].tolist() == [6000]

    buf = io.BytesIO()
    pd.DataFrame([["Berga", "folkmangd", 2021, 6100, "Totalt"]], columns=H).to_excel(
        buf, engine="odf", sheet_name="Data", index=False
    )
    dataset, problems, _ = read(buf.getvalue())
    assert not has_errors(problems) and dataset.observations["value"].tolist() == [6100]


def test_xlsm_with_macro_part_is_read_without_running_anything():
    data = rezip(data_sheet(["Berga", "folkmangd", 2020, 6000, "Totalt"]), add={"xl/vbaProject.bin": b"\x00" * 64})
    dataset, problems, _ = read(data)
    assert not has_errors(problems) and len(dataset.observations) == 1


def test_formula_with_cached_value_is_accepted():
    data = data_sheet(["Berga", "folkmangd", 2020, 1, "Totalt"])
    xml = sheet_xml(data).replace(b'<c r="D2" t="n"><v>1</v></c>', b'<c r="D2"><f>1*1</f><v>1</v></c>')
    assert b"<f>1*1</f>" in xml
    dataset, problems, _ = read(rezip(data, {"xl/worksheets/sheet1.xml": xml}))
    assert not has_errors(problems) and dataset.observations["value"].tolist() == [1]


def test_missing_optional_columns_keep_stored_values_for_existing_indicators():
    data = xlsx(
        {
            "Indikatorer": [
                ["Id", "Namn", "Tema", "Enhet", "Riktning"],
                ["ohalsotal", "Ohälsotal 20–64 år", "hälsa", "dagar", "Lägre är bättre"],
            ]
        }
    )
    dataset, problems, _ = read(data)
    assert not has_errors(problems)
    row = dataset.indicators.iloc[0]
    assert row["name"] == "Ohälsotal 20–64 år"
    assert row["definition"] == "Dagar per person 20–64 år"
    assert row["source"] == "Försäkringskassan"


# --- Uppföljning (follow-ups of the actions) -------------------------------------------------------


def known_with_actions():
    """The tiny known dataset plus two stored actions."""
    actions = pd.DataFrame(
        [
            {
                "id": "A01",
                "title": "Läxhjälp på biblioteket",
                "start": "2021-01-01",
                "end": "2026-12-31",
                "status": "Pågår",
            },
            {"id": "A02", "title": "Bättre belysning", "start": "2023-05-01", "status": "Pågår"},
        ]
    )
    return tiny_known().with_table("actions", actions)


def read_against(data: bytes, known, **options):
    """Read and parse bytes against a given known dataset."""
    raw, problems = read_workbook(data, "test.xlsx")
    result = parse_workbook(raw, known, ReadOptions(**options))
    return result.dataset, result.problems


def test_followups_may_name_stored_actions_by_id_or_title():
    data = xlsx(
        {
            "Uppföljning": [
                ["Åtgärd", "År", "Status", "Kommentar"],
                ["a01", 2021, "pågår", "Startade i januari."],
                ["Läxhjälp på biblioteket", "2022", "Försenad", "=Volontärer saknas"],
                ["A02", 2023.0, "Genomförd", ""],
            ]
        },
        formulas=False,
    )
    dataset, problems = read_against(data, known_with_actions())
    assert not has_errors(problems), [p.as_text() for p in problems]
    rows = dataset.action_followups
    assert rows[["action", "year", "status"]].values.tolist() == [
        ["A01", 2021, "Pågår"],
        ["A01", 2022, "Försenad"],
        ["A02", 2023, "Genomförd"],
    ]
    assert rows["comment"].tolist() == ["Startade i januari.", "=Volontärer saknas", ""]
    assert str(rows["year"].dtype) == "Int64"


def test_followups_may_name_actions_defined_in_the_same_workbook_with_english_headers():
    data = xlsx(
        {
            "Actions": [
                ["Id", "Title", "Start", "End", "Status"],
                ["N1", "Ny mötesplats", "2024-01-01", "2025-12-31", "Pågår"],
            ],
            "Follow-up": [
                ["Action", "Year", "Status", "Comment", "Source"],
                ["N1", 2024, "Pågår", "Startad", "Rapport 2024"],
                ["A01", 2024, "Pågår", "", ""],
            ],
        }
    )
    dataset, problems = read_against(data, known_with_actions())
    assert not has_errors(problems), [p.as_text() for p in problems]
    assert dataset.action_followups[["action", "source"]].values.tolist() == [["N1", "Rapport 2024"], ["A01", ""]]
    assert dataset.actions["id"].tolist() == ["N1"]


def test_followup_year_may_be_this_year_but_not_the_next():
    def sheet(year):
        return xlsx({"Uppföljning": [["Åtgärd", "År", "Status"], ["A01", year, "Pågår"]]})

    _, problems = read_against(sheet(2025), known_with_actions(), today=date(2025, 3, 1))
    assert not has_errors(problems)
    _, problems = read_against(sheet(2026), known_with_actions(), today=date(2025, 3, 1))
    assert [p.message for p in errors(problems)] == ["Uppföljningsåret ligger utanför 2000–2025."]


def test_followup_before_the_actions_start_is_a_warning():
    data = xlsx({"Uppföljning": [["Åtgärd", "År", "Status"], ["A02", 2021, "Pågår"], ["A02", 2022, "Ej påbörjad"]]})
    dataset, problems = read_against(data, known_with_actions())
    assert not has_errors(problems) and len(dataset.action_followups) == 2
    warnings = [p for p in problems if not p.is_error]
    assert [(p.sheet, p.row) for p in warnings] == [("Uppföljning", 2)]
    assert "före åtgärdens startår (2023)" in warnings[0].message


def test_unknown_action_without_any_actions_asks_to_add_it():
    dataset, problems, _ = read(xlsx({"Uppföljning": [["Åtgärd", "År", "Status"], ["A01", 2022, "Pågår"]]}))
    assert dataset is None
    p = errors(problems)[0]
    assert p.message == "Okänd åtgärd." and "lägg till åtgärden på bladet Åtgärder" in p.hint


def test_old_workbooks_without_the_followup_sheet_stay_valid():
    dataset, problems, _ = read(data_sheet(["Berga", "folkmangd", 2020, 6000, "Totalt"]))
    assert not has_errors(problems)
    assert dataset.action_followups.empty and dataset.plans.empty
    assert list(dataset.action_followups.columns) == ["action", "year", "status", "comment", "source", "progress"]


def test_followup_columns_missing_from_the_sheet_keep_their_stored_values():
    known = known_with_actions().with_table(
        "action_followups",
        pd.DataFrame(
            [{"action": "A01", "year": 2022, "status": "Pågår", "comment": "Sparad kommentar", "source": "Rapport"}]
        ),
    )
    data = xlsx({"Uppföljning": [["Åtgärd", "År", "Status"], ["A01", 2022, "Försenad"], ["A01", 2023, "Pågår"]]})
    dataset, problems = read_against(data, known)
    assert not has_errors(problems)
    assert dataset.action_followups[["status", "comment", "source"]].values.tolist() == [
        ["Försenad", "Sparad kommentar", "Rapport"],
        ["Pågår", "", ""],
    ]


def test_template_round_trip_keeps_followups():
    from openpyxl import load_workbook

    from analysis.exports.workbook import dataset_to_workbook, template_workbook

    known = known_with_actions().with_table(
        "action_followups",
        pd.DataFrame(
            [{"action": "A01", "year": 2022, "status": "Pågår", "comment": "=inte en formel", "source": "Rapport"}]
        ),
    )
    dataset, problems = read_against(dataset_to_workbook(known), tiny_known())
    assert not has_errors(problems), [p.as_text() for p in problems]
    assert dataset.action_followups[["action", "year", "comment"]].values.tolist() == [["A01", 2022, "=inte en formel"]]
    template = load_workbook(io.BytesIO(template_workbook(known)))
    ws = template["Uppföljning"]
    assert [c.value for c in ws[1]] == ["Åtgärd", "År", "Status", "Andel klar", "Kommentar", "Källa"]
    assert ws.max_row == 1
    assert [dv.sqref for dv in ws.data_validations.dataValidation][0] is not None


# --- Planer and the Plan column of Åtgärder -------------------------------------------------------------------------

PLAN_WORKBOOK = {
    "Planer": [
        ["Plan", "Antagen", "Beslutad av", "Gäller från", "Gäller till", "Källa"],
        ["Åtgärdsplan 2020", "2020-12-02", "Kommunfullmäktige", 2021, None, "Dnr 1"],
        ["Åtgärdsplan 2022", "2022-01-19", "Kommunstyrelsen", 2022, None, "Dnr 2"],
    ],
    "Åtgärder": [
        ["Id", "Plan", "Åtgärd", "Ansvarig", "Start", "Slut", "Status"],
        ["A01", "Åtgärdsplan 2020; åtgärdsplan 2022", "Läxhjälp", "BUN", "2021-01-01", "2024-12-31", "Pågår"],
        ["A02", "Åtgärdsplan 2020", "Belysning", "TFN", "2021-01-01", "2022-06-30", "Pågår"],
        ["A02", "Åtgärdsplan 2022", "Belysning", "SBN", "2021-01-01", "2023-06-30", "Riskerar att försenas"],
        ["A03", None, "Trygghetsvandringar", "KS", "2021-05-01", None, "Pågår"],
    ],
    "Uppföljning": [
        ["Åtgärd", "År", "Status", "Andel klar", "Kommentar"],
        ["A02", 2022, "Riskerar att försenas", "40 %", "Leveransen är sen."],
        ["A01", 2023, "Pågår", "55,5", ""],
        ["A03", 2023, "Pågår", None, ""],
    ],
}


def test_a_workbook_with_plans_gives_one_action_row_per_plan_version():
    dataset, problems = read_against(xlsx(PLAN_WORKBOOK), tiny_known(), today=date(2024, 5, 1))
    assert not has_errors(problems), [p.as_text() for p in problems]
    assert problems == []
    assert dataset.plans[["name", "adopted", "decided_by", "first_year", "last_year"]].values.tolist() == [
        ["Åtgärdsplan 2020", "2020-12-02", "Kommunfullmäktige", 2021, pd.NA],
        ["Åtgärdsplan 2022", "2022-01-19", "Kommunstyrelsen", 2022, pd.NA],
    ]
    assert dataset.actions[["id", "plan", "responsible", "end"]].values.tolist() == [
        ["A01", "Åtgärdsplan 2020", "BUN", "2024-12-31"],
        ["A01", "Åtgärdsplan 2022", "BUN", "2024-12-31"],
        ["A02", "Åtgärdsplan 2020", "TFN", "2022-06-30"],
        ["A02", "Åtgärdsplan 2022", "SBN", "2023-06-30"],
        ["A03", "", "KS", ""],  # no plan: every plan
    ]
    followups = dataset.action_followups
    assert followups["progress"].tolist()[:2] == [40.0, 55.5] and math.isnan(followups["progress"].iloc[2])
    assert followups["status"].tolist()[0] == "Riskerar att försenas"


def test_the_plan_column_may_name_plans_already_stored():
    stored = tiny_known().with_table(
        "plans", pd.DataFrame([{"name": "Åtgärdsplan 2020", "adopted": "2020-12-02", "first_year": 2021}])
    )
    data = xlsx({"Åtgärder": [["Id", "Planer", "Åtgärd"], ["A09", "ÅTGÄRDSPLAN 2020", "Ny mötesplats"]]})
    dataset, problems = read_against(data, stored)
    assert not has_errors(problems), [p.as_text() for p in problems]
    assert dataset.actions[["id", "plan"]].values.tolist() == [["A09", "Åtgärdsplan 2020"]]
    assert dataset.plans.empty  # the file has no Planer sheet: the stored plans are left as they are


def test_a_plan_column_without_any_plans_asks_for_the_planer_sheet():
    data = xlsx({"Åtgärder": [["Id", "Plan", "Åtgärd"], ["A09", "Åtgärdsplan 2020", "Ny mötesplats"]]})
    dataset, problems = read_against(data, tiny_known())
    assert dataset is None
    assert [(p.column, p.message, p.hint) for p in errors(problems)] == [
        (
            "B (Plan)",
            "Okänd plan.",
            "Lägg till planen på bladet Planer, eller lämna Plan tomt (= de planer åtgärden redan finns i).",
        )
    ]


def test_a_workbook_without_plans_leaves_every_action_in_every_plan():
    data = xlsx({"Åtgärder": [["Id", "Åtgärd"], ["A01", "Läxhjälp"], ["A02", "Belysning"]]})
    dataset, problems = read_against(data, tiny_known())
    assert not has_errors(problems)
    assert dataset.actions["plan"].tolist() == ["", ""] and dataset.plans.empty
