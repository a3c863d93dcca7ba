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


# A follow-up in two plan versions, small enough to work every number out by hand: Berga against Övriga
# Linköping on one indicator, four actions, follow-ups 2021 and 2022.
FOLLOWUP_PLANS = [
    {
        "name": "Plan 2020",
        "adopted": "2020-12-02",
        "decided_by": "kommundirektören",
        "first_year": 2021,
        "last_year": 2021,
        "source": "Tjänsteskrivelse 2022-01-19",
    },
    {
        "name": "Plan 2022",
        "adopted": "2022-01-19",
        "decided_by": "kommundirektören",
        "first_year": 2022,
        "last_year": None,
        "source": "Tjänsteskrivelse 2022-01-19",
    },
]
_ACTION = {"theme": "arbete", "responsible": "AVF", "areas": "Berga", "indicators": "arb", "source": "Plan"}
FOLLOWUP_ACTIONS = [
    {
        **_ACTION,
        "id": "A1",
        "title": "Jobbtorg",
        "start": "2021-01-01",
        "end": "2022-06-30",
        "status": "Genomförd",
        "plan": "Plan 2020",
    },
    {
        **_ACTION,
        "id": "A1",
        "title": "Jobbtorg",
        "start": "2021-01-01",
        "end": "2022-12-31",
        "status": "Genomförd",
        "plan": "Plan 2022",
    },
    {
        **_ACTION,
        "id": "A2",
        "title": "Läxhjälp <b>&",
        "theme": "utbildning",
        "start": "2021-03-01",
        "end": "2021-12-31",
        "status": "Avbruten",
        "plan": "Plan 2020",
    },
    {
        **_ACTION,
        "id": "A3",
        "title": "Mentorer",
        "start": "2022-01-01",
        "end": "2030-12-31",
        "status": "Pågår",
        "plan": "Plan 2022",
    },
    {
        **_ACTION,
        "id": "A4",
        "title": "Park",
        "theme": "fritid",
        "start": "2022-02-01",
        "end": "2022-10-31",
        "status": "Pågår",
        "plan": "Plan 2022",
    },
]
FOLLOWUP_ENTRIES = [
    ("A1", 2021, "Pågår", 40.0),
    ("A2", 2021, "Avbruten", 10.0),
    ("A1", 2022, "Genomförd", 100.0),
    ("A3", 2022, "Pågår", 10.0),
    ("A4", 2022, "Pågår", 50.0),
]
FOLLOWUP_VALUES = [
    ("Berga", 2020, 50.0),
    ("Berga", 2021, 52.0),
    ("Berga", 2022, 56.0),
    ("Övriga Linköping", 2020, 80.0),
    ("Övriga Linköping", 2021, 80.0),
    ("Övriga Linköping", 2022, 80.5),
]


def plan_followup_dataset(source: str = "SCB") -> Dataset:
    """Two plan versions (A2 dropped, A1 changed, A3 and A4 new), follow-ups 2021–2022, one indicator and a target."""
    return make_dataset(
        areas=pd.DataFrame(
            [{"name": "Berga", "type": "Fokusområde"}, {"name": "Övriga Linköping", "type": "Jämförelse"}]
        ),
        indicators=pd.DataFrame(
            [
                {
                    "id": "arb",
                    "name": "Förvärvsfrekvens",
                    "theme": "arbete",
                    "unit": "procent",
                    "direction": "Högre är bättre",
                    "decimals": 1,
                    "definition": "Andel 20–64 år som förvärvsarbetar.",
                    "source": "SCB",
                }
            ]
        ),
        observations=pd.DataFrame(
            [
                {"area": a, "indicator": "arb", "year": y, "sex": "Totalt", "value": v, "source": source}
                for a, y, v in FOLLOWUP_VALUES
            ]
        ),
        targets=pd.DataFrame(
            [{"area": "Berga", "indicator": "arb", "base_year": 2020, "target_year": 2025, "target_value": 60.0}]
        ),
        plans=pd.DataFrame(FOLLOWUP_PLANS),
        actions=pd.DataFrame(FOLLOWUP_ACTIONS),
        action_followups=pd.DataFrame(
            [
                {"action": a, "year": y, "status": s, "comment": f"{a} {y}", "source": "Plan", "progress": p}
                for a, y, s, p in FOLLOWUP_ENTRIES
            ]
        ),
    )
