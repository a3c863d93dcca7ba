"""The data export and the template (analysis/exports/workbook.py): any text from the data is written safely."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from analysis.core.model import make_dataset
from analysis.exports.workbook import dataset_to_workbook, template_workbook
from analysis.ingest.contract import LISTS_SHEET
from tests.builders import AREAS, INDICATORS

HYPERLINK = '=HYPERLINK("http://x","y")'


def hostile_dataset():
    """The builders' areas and indicators with 'Berga\\x01' as an area and formula text in a source and a note."""
    areas = pd.DataFrame(AREAS).replace({"name": {"Berga": "Berga\x01"}})
    indicators = pd.DataFrame(INDICATORS).assign(key_figure=[True, False, True])
    observations = pd.DataFrame(
        [
            {
                "area": "Berga\x01",
                "indicator": "forvarvsfrekvens",
                "year": 2023,
                "sex": "Totalt",
                "value": 54.5,
                "source": HYPERLINK,
                "note": "@SUM(A1)",
            },
            {
                "area": "Skäggetorp",
                "indicator": "folkmangd",
                "year": 2023,
                "sex": "Totalt",
                "value": 9100.0,
                "source": "SCB",
                "note": "",
            },
        ]
    )
    return make_dataset(areas=areas, indicators=indicators, observations=observations)


def test_the_export_keeps_formula_text_as_text_and_removes_characters_excel_rejects():
    wb = load_workbook(io.BytesIO(dataset_to_workbook(hostile_dataset())))
    data = wb["Data"]
    assert list(data.iter_rows(min_row=2, values_only=True)) == [
        ("Skäggetorp", "folkmangd", 2023, 9100, "Totalt", "SCB", None),
        ("Berga", "forvarvsfrekvens", 2023, 54.5, "Totalt", HYPERLINK, "@SUM(A1)"),
    ]
    assert [data["C3"].data_type, data["D3"].data_type, data["F3"].data_type] == ["n", "n", "s"]
    assert [r[0] for r in wb["Områden"].iter_rows(min_row=2, values_only=True)][0] == "Berga"
    key_figures = [r[8] for r in wb["Indikatorer"].iter_rows(min_row=2, values_only=True)]
    assert key_figures == ["Ja", "Nej", "Ja"]


def test_the_template_lists_are_text():
    wb = load_workbook(
        io.BytesIO(
            template_workbook(
                hostile_dataset().with_table("areas", pd.DataFrame([*AREAS, {"name": HYPERLINK, "type": "Övrigt"}]))
            )
        )
    )
    lists = wb[LISTS_SHEET]
    areas = [c for (c,) in lists.iter_rows(min_row=2, max_col=1) if c.value is not None]
    assert HYPERLINK in [c.value for c in areas]
    assert {c.data_type for c in areas} == {"s"}
    assert list(wb["Data"].iter_rows(min_row=2, values_only=True)) == []
