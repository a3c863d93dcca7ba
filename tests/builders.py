"""Tiny datasets and workbooks built in code for the tests."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd

from analysis.core.model import Dataset, make_dataset

AREAS = [
    {"name": "Berga", "type": "Fokusområde", "code": "", "aliases": ""},
    {"name": "Skäggetorp", "type": "Fokusområde", "code": "", "aliases": "Skäggetorp stadsdel"},
    {"name": "Övriga Linköping", "type": "Jämförelse", "code": "", "aliases": "Rest of Linköping"},
    {"name": "Linköping", "type": "Kommun", "code": "0580", "aliases": "Linköpings kommun"},
]
INDICATORS = [
    {
        "id": "forvarvsfrekvens",
        "name": "Förvärvsfrekvens 20–64 år",
        "theme": "arbete",
        "unit": "procent",
        "direction": "Högre är bättre",
        "definition": "Andel förvärvsarbetande",
        "source": "SCB",
        "decimals": 1,
    },
    {
        "id": "folkmangd",
        "name": "Folkmängd",
        "theme": "befolkning",
        "unit": "antal",
        "direction": "Neutral",
        "definition": "Antal invånare 31 december",
        "source": "SCB",
        "decimals": 0,
    },
    {
        "id": "ohalsotal",
        "name": "Ohälsotal",
        "theme": "hälsa",
        "unit": "dagar",
        "direction": "Lägre är bättre",
        "definition": "Dagar per person 20–64 år",
        "source": "Försäkringskassan",
        "decimals": 1,
    },
]


def tiny_known() -> Dataset:
    """A store's worth of metadata: four areas and three indicators, no observations."""
    return make_dataset(areas=pd.DataFrame(AREAS), indicators=pd.DataFrame(INDICATORS))


def xlsx(sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = (), formulas: bool = True) -> bytes:
    """An .xlsx with the given sheets and rows (strings starting with '=' become formulas unless formulas=False)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
            if not formulas:
                for cell in ws[ws.max_row]:
                    if cell.data_type == "f":
                        cell.data_type = "s"
        if name in hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def data_sheet(*rows: list[object], header: list[object] | None = None) -> bytes:
    """An .xlsx with one Data sheet in long format."""
    head = header or ["Område", "Indikator", "År", "Värde", "Kön"]
    return xlsx({"Data": [head, *rows]})


def rezip(
    data: bytes,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A copy of a zip-based workbook with parts replaced or added."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def sheet_xml(data: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The XML of one part of a zip-based workbook."""
    return zipfile.ZipFile(io.BytesIO(data)).read(part)


def read_table(ws, heading: str) -> pd.DataFrame:
    """A table of a report sheet, found by its title (header on the next row) or by its first header cell.

    The table ends at the first blank row. Used to check a downloaded follow-up report.
    """
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] == heading)
    if (
        rows[start + 1]
        and any(v is not None for v in rows[start + 1][1:])
        and not any(v is not None for v in rows[start][1:])
    ):
        start += 1  # a title row: the header follows
    headers = [h for h in rows[start] if h is not None]
    body = []
    for r in rows[start + 1 :]:
        if r is None or all(v is None for v in r):
            break
        body.append(list(r[: len(headers)]))
    return pd.DataFrame(body, columns=headers)
