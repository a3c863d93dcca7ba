"""Downloads: CSV for Swedish Excel, .xlsx with title and notes, and the explorer's table in both and on screen."""

from __future__ import annotations

import io
import math

import openpyxl
import pandas as pd
import pytest

from analysis.core.model import EXAMPLE_SOURCE
from analysis.exports.downloads import (
    csv_bytes,
    download_filename,
    download_lines,
    download_table,
    explore_csv,
    explore_xlsx,
    formula_safe,
    number_format,
    screen_table,
    sheet_title,
    type_screen_table,
    xlsx_bytes,
)
from analysis.viewmodels.explore import BOTH, ExploreSelection, explore_data
from tests.test_explore import DEFAULT_AREAS, SECRET, TYPE_ONE, tiny, typed_dataset

TABLE = pd.DataFrame(
    {
        "Område": ["Berga", '=HYPERLINK("http://x")', "Ryd"],
        "År": pd.array([2023, 2023, 2024], dtype="Int64"),
        "Värde": [1234.5, math.nan, 0.25],
        "Exempel": [True, False, True],
        "Kommentar": ["", "-Sekretess", "+46 13"],
    }
)


def read_xlsx(data: bytes):
    """The first sheet of an .xlsx (formulas as written, not computed)."""
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


# --- CSV --------------------------------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_semicolons_and_decimal_comma():
    data = csv_bytes(TABLE)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").split("\r\n") == [
        "Område;År;Värde;Exempel;Kommentar",
        "Berga;2023;1234,5;Ja;",
        '"\'=HYPERLINK(""http://x"")";2023;;Nej;\'-Sekretess',
        "Ryd;2024;0,25;Ja;'+46 13",
        "",
    ]


def test_csv_reads_back_in_pandas_as_swedish_excel_would():
    back = pd.read_csv(
        io.BytesIO(csv_bytes(TABLE)), sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False, na_values=[""]
    )
    assert back["Värde"].tolist()[0] == 1234.5 and math.isnan(back["Värde"].tolist()[1])
    assert back["Område"].tolist()[1] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-5", "-5"),
        ("Skäggetorp", "Skäggetorp"),
        ("\u00a0=1+1", "'\u00a0=1+1"),
    ],
)
def test_csv_neutralises_formulas_in_text_and_headers(text, written):
    data = csv_bytes(pd.DataFrame({text: [text]})).decode("utf-8-sig")
    assert data == f"{written}\r\n{written}\r\n"


def test_formula_safe_neutralises_text_cells_headers_and_index_labels_only():
    table = pd.DataFrame(
        {
            "Område": ["Berga", ' =HYPERLINK("http://x")'],
            "=1+1": ["+1,7\u00a0pe ▼", "@x"],
            "Värde": [-5.0, 2.0],
            "År": [2023, 2024],
        },
        index=pd.Index(["Förvärvsfrekvens", "-sum"], name="Indikator"),
    )
    shown = formula_safe(table)
    assert shown.to_dict("split") == {
        "index": ["Förvärvsfrekvens", "'-sum"],
        "columns": ["Område", "'=1+1", "Värde", "År"],
        "data": [["Berga", "+1,7\u00a0pe ▼", -5.0, 2023], ['\' =HYPERLINK("http://x")', "'@x", 2.0, 2024]],
    }
    assert shown.index.name == "Indikator" and shown["Värde"].dtype == "float64" and shown["År"].dtype == "int64"
    assert table.loc["-sum", "=1+1"] == "@x"  # the caller's table is untouched


def test_formula_safe_returns_a_table_without_formula_text_as_it_is():
    table = pd.DataFrame(
        {"Område": ["Berga", "Ryd"], "Skillnad": ["-3,4\u00a0poäng", "+11\u00a0% ▼"]},
        index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)]),
    )
    assert formula_safe(table) is table
    multi = pd.DataFrame({"x": [1]}, index=pd.MultiIndex.from_tuples([("=a", 1)], names=["k", "n"]))
    assert formula_safe(multi).index.tolist() == [("'=a", 1)] and formula_safe(multi).index.names == ["k", "n"]


# --- xlsx -------------------------------------------------------------------------------------------------------


def test_xlsx_has_title_and_lines_above_a_bold_header():
    ws = read_xlsx(xlsx_bytes(TABLE, title="Förvärvsfrekvens", lines=["Enhet: procent", "Källa: SCB"]))
    assert [ws.cell(r, 1).value for r in range(1, 6)] == [
        "Förvärvsfrekvens",
        "Enhet: procent",
        "Källa: SCB",
        None,
        "Område",
    ]
    assert ws["A1"].font.bold
    assert [c.value for c in ws[5]] == ["Område", "År", "Värde", "Exempel", "Kommentar"]
    assert all(c.font.bold for c in ws[5])
    assert ws.freeze_panes == "A6"
    assert ws.title == "Data"


def test_xlsx_numbers_stay_numbers_with_the_given_decimals_and_text_is_never_a_formula():
    ws = read_xlsx(xlsx_bytes(TABLE, title="T", decimals={"Värde": 1}))
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert rows == [
        ("Berga", 2023, 1234.5, "Ja", None),
        ('=HYPERLINK("http://x")', 2023, None, "Nej", "-Sekretess"),
        ("Ryd", 2024, 0.25, "Ja", "+46 13"),
    ]
    assert ws["A5"].data_type == "s"  # a string, not a formula
    assert ws["C4"].number_format == "#,##0.0"
    assert ws["B4"].number_format == "0"


def test_xlsx_removes_characters_excel_rejects_and_makes_the_sheet_name_valid():
    table = pd.DataFrame({"Text": ["a\x00b\x1fc"]})
    ws = read_xlsx(xlsx_bytes(table, title="T", sheet="Data: [ny]/2024 och en mycket lång rest"))
    assert ws["A4"].value == "abc"
    assert ws.title == "Data_ _ny__2024 och en mycket l"


def test_xlsx_with_a_control_character_and_a_formula_in_the_data():
    table = pd.DataFrame({"Område": ["Berga\x01", '=HYPERLINK("http://x","y")'], "Värde": [12.5, 3.0]})
    ws = read_xlsx(xlsx_bytes(table, title="T", lines=["Källa: Berga\x01"]))
    assert ws["A2"].value == "Källa: Berga"
    assert list(ws.iter_rows(min_row=5, values_only=True)) == [("Berga", 12.5), ('=HYPERLINK("http://x","y")', 3.0)]
    assert [ws["A6"].data_type, ws["B6"].data_type] == ["s", "n"]


@pytest.mark.parametrize(("decimals", "fmt"), [(0, "#,##0"), (1, "#,##0.0"), (3, "#,##0.000")])
def test_number_format(decimals, fmt):
    assert number_format(decimals) == fmt


def test_sheet_title_default():
    assert sheet_title("") == "Data"


# --- the explorer's table ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data():
    """Berga and the reference 2021–2023, women and men: one example value, suppressed and absent values."""
    chosen = ExploreSelection(
        theme="",
        indicator="forvarv",
        areas=("Berga", "Övriga Linköping"),
        years=(2021, 2023),
        sex=BOTH,
        reference="Övriga Linköping",
        bar_year=2023,
    )
    return explore_data(tiny(), chosen)


def test_download_table_has_swedish_columns_and_one_row_per_area_year_and_sex(data):
    table = download_table(data)
    assert list(table.columns) == [
        "Indikator",
        "Område",
        "År",
        "Grupp",
        "Värde",
        "Enhet",
        "Källa",
        "Kommentar",
        "Exempelvärde",
    ]
    assert len(table) == 12
    berga = table[(table["Område"] == "Berga") & (table["År"] == 2023)]
    assert berga[["Grupp", "Värde", "Källa", "Exempelvärde"]].values.tolist() == [
        ["Kvinnor", 54.0, EXAMPLE_SOURCE, "Ja"],
        ["Män", 50.0, "SCB", "Nej"],
    ]
    missing = table[(table["Område"] == "Berga") & (table["År"] == 2021)]
    assert missing["Värde"].isna().all() and set(missing["Kommentar"]) == {"Uppgift saknas"}
    assert set(table["Indikator"]) == {"Förvärvsfrekvens"} and set(table["Enhet"]) == {"procent"}


def test_the_screen_table_has_the_same_rows_with_swedish_numbers(data):
    screen, table = screen_table(data), download_table(data)
    assert list(screen.columns) == ["Område", "År", "Grupp", "Värde", "Källa", "Kommentar", "Exempelvärde"]
    assert (
        screen[["Område", "År", "Grupp"]].values.tolist()
        == table[["Område", "År", "Grupp"]].astype(str).values.tolist()
    )
    # Berga: women 2021–2023, then men 2021–2023; only 2023 has values.
    assert screen["Värde"].tolist()[:6] == ["–", "–", "54,0\u00a0%", "–", "–", "50,0\u00a0%"]


def test_the_csv_holds_the_table(data):
    back = pd.read_csv(
        io.BytesIO(explore_csv(data)), sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False, na_values=[""]
    )
    table = download_table(data)
    assert (
        back[["Område", "År", "Grupp", "Exempelvärde"]].values.tolist()
        == table[["Område", "År", "Grupp", "Exempelvärde"]].values.tolist()
    )
    assert back["Värde"].fillna(-1).tolist() == table["Värde"].fillna(-1).tolist()


def test_the_xlsx_holds_title_notes_and_the_table(data):
    ws = read_xlsx(explore_xlsx(data))
    lines = [ws.cell(r, 1).value for r in range(1, 9)]
    assert lines[0] == "Förvärvsfrekvens"
    assert lines[1:4] == ["Enhet: procent", "Källa: SCB", "Definition: Andel förvärvsarbetande"]
    assert lines[4] == "Urval: Berga, Övriga Linköping; år 2021–2023; grupp: kvinnor och män."
    assert lines[5] == (
        "Obs! 1 av 4 värden är påhittade exempelvärden (Exempelvärde = Ja) och ska ersättas med riktiga uppgifter."
    )
    assert lines[6].startswith("8 värden saknas eller är skyddade")
    assert lines[7] == "Att tänka på: Registerbaserat mått för november."
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Indikator")
    rows = list(ws.iter_rows(min_row=header + 1, values_only=True))
    assert len(rows) == 12
    assert rows[2] == ("Förvärvsfrekvens", "Berga", 2023, "Kvinnor", 54.0, "procent", EXAMPLE_SOURCE, None, "Ja")
    assert ws.cell(header + 3, 5).number_format == "#,##0.0"


def test_download_lines_without_examples_or_missing_values():
    chosen = ExploreSelection(
        theme="",
        indicator="ohalsa",
        areas=("Berga",),
        years=(2023, 2023),
        sex="Totalt",
        reference="Övriga Linköping",
        bar_year=2023,
    )
    lines = download_lines(explore_data(tiny(), chosen))
    assert lines == ["Enhet: dagar", "Källa: Försäkringskassan", "Urval: Berga; år 2023; grupp: totalt."]


def test_suppressed_values_keep_their_note(data):
    chosen = ExploreSelection(
        theme="",
        indicator="forvarv",
        areas=DEFAULT_AREAS,
        years=(2022, 2022),
        sex="Totalt",
        reference="Övriga Linköping",
        bar_year=2022,
    )
    table = download_table(explore_data(tiny(), chosen))
    assert table.loc[table["Område"] == "Berga", "Kommentar"].tolist() == [SECRET]


def test_file_names_are_safe(data):
    assert download_filename(data, "csv") == "Forvarvsfrekvens 2021-2023 Kvinnor och man.csv"
    assert download_filename(data, "xlsx").endswith(".xlsx")


def test_a_download_of_groups_names_each_rows_group_and_the_groups_chosen():
    extra = pd.DataFrame(
        [
            ("Berga", "forvarv", 2023, "Utrikes födda", 41.0, "SCB", ""),
            ("Berga", "forvarv", 2023, "Inrikes födda", 63.5, "SCB", ""),
        ],
        columns=["area", "indicator", "year", "sex", "value", "source", "note"],
    )
    base = tiny()
    dataset = base.with_table("observations", pd.concat([base.observations, extra], ignore_index=True))
    chosen = ExploreSelection(
        theme="",
        indicator="forvarv",
        areas=("Berga",),
        years=(2023, 2023),
        sex="Totalt",
        reference="Övriga Linköping",
        bar_year=2023,
        group="Inrikes och utrikes födda",
    )
    data = explore_data(dataset, chosen)
    table = download_table(data)
    assert table[["Område", "Grupp", "Värde"]].values.tolist() == [
        ["Berga", "Inrikes födda", 63.5],
        ["Berga", "Utrikes födda", 41.0],
    ]
    assert "Urval: Berga; år 2023; grupp: inrikes födda och utrikes födda." in download_lines(data)
    assert download_filename(data, "csv") == "Forvarvsfrekvens 2023-2023 Totalt Inrikes och utrikes fodda.csv"


def test_the_screen_table_names_each_category():
    from tests.test_categories import TYPES

    base = tiny()
    indicators = pd.concat(
        [base.indicators, pd.DataFrame([{"id": "typ", "name": "Områdestyp", "unit": "kategori", "categories": TYPES}])]
    )
    extra = pd.DataFrame(
        [("Berga", "typ", 2022, "Totalt", 3.0, "SCB", ""), ("Berga", "typ", 2023, "Totalt", 2.0, "SCB", "")],
        columns=["area", "indicator", "year", "sex", "value", "source", "note"],
    )
    dataset = base.with_table("indicators", indicators).with_table(
        "observations", pd.concat([base.observations, extra], ignore_index=True)
    )
    chosen = ExploreSelection("", "typ", ("Berga",), (2022, 2023), "Totalt", "Övriga Linköping", 2023)
    data = explore_data(dataset, chosen)
    assert screen_table(data)["Värde"].tolist() == [
        "3 – Socioekonomiskt blandade områden",
        "2 – Områden med socioekonomiska utmaningar",
    ]
    assert download_table(data)["Värde"].tolist() == [3.0, 2.0]  # the files keep the codes, the unit says kategori
    assert not data.comparable


def test_the_type_table_shows_count_median_lowest_and_highest_in_the_indicators_unit():
    data = explore_data(
        typed_dataset(), ExploreSelection("", "forvarv", DEFAULT_AREAS, (2018, 2023), "Totalt", "", 2021)
    )
    assert type_screen_table(data, "Totalt").values.tolist() == [
        [TYPE_ONE, 2, "45,0\u00a0%", "40,0\u00a0%", "50,0\u00a0%"],
    ]
    assert type_screen_table(data, "Kvinnor").empty
    assert type_screen_table(
        explore_data(tiny(), ExploreSelection("", "forvarv", DEFAULT_AREAS, (2018, 2023), "Totalt", "", 2023)), "Totalt"
    ).empty
