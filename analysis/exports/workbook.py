"""Writing workbooks in the contract's format: the template, the data export, the default data.

Export then import gives back the same data: every table is written to its sheet with the
Swedish headers the reader accepts, observations in long format.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from analysis.core.groups import sex_and_rest
from analysis.core.model import (
    ACTION_STATUSES,
    ACTION_THEMES,
    AREA_TYPES,
    DIRECTIONS,
    EXAMPLE_SOURCE,
    SEXES,
    TEXT_HEADINGS,
    THEMES,
    UNITS,
    Dataset,
)
from analysis.core.xlsx_writer import append_row, is_missing, put
from analysis.ingest.contract import (
    DATA_SHEET,
    FETCH_SHEET,
    GROUP_FIELD,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    SHEETS,
    SheetSpec,
)

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")

INSTRUCTIONS: list[str] = [
    "Mall för data till uppföljningen av Åtgärdsplan mot segregation (Linköpings kommun)",
    "",
    "Så fyller du i mallen",
    "1. Bladet Data: en rad per värde med kolumnerna Område, Indikator, År och Värde. Kön, Källa och Kommentar är frivilliga.",
    "   Kön är Totalt, Kvinnor eller Män; tom cell betyder Totalt. Engelska rubriker (Area, Indicator, Year, Value, Sex, Source, Comment) går också bra.",
    "2. Brett format går också: Område | Indikator | [Kön] | 2019 | 2020 | ... med ett år per kolumn.",
    "3. Område och Indikator väljs ur listorna (cellerna har rullgardinsmenyer). Indikator kan anges med id eller namn.",
    "4. Tal skrivs med decimalkomma eller decimalpunkt: 18,9 eller 18.9. Tusental får ha mellanslag: 251 234.",
    "   Procent anges som 0–100 (18,9 betyder 18,9 %), inte som andel 0–1.",
    "5. Saknade eller sekretessbelagda värden: lämna tomt eller skriv .. eller x.",
    "6. Nya indikatorer definieras på bladet Indikatorer och nya områden på bladet Områden; de kan sedan användas på bladet Data.",
    "7. Bladen Planer, Åtgärder, Uppföljning, Mål och Områdestexter är frivilliga. Lämna ett blad tomt (bara rubrikraden) om det inte används.",
    "8. Bladet Uppföljning har en rad per åtgärd och uppföljningsår: Åtgärd (id), År, Status, Andel klar och Kommentar. Åtgärden ska finnas",
    "   på bladet Åtgärder i samma fil eller redan vara importerad. Status Försenad räknas också fram av instrumentpanelen när",
    "   slutdatum har passerat och åtgärden inte är Genomförd, Avbruten eller Vilande.",
    "   Andel klar är hur stor del av åtgärden som var genomförd vid uppföljningen, i procent 0–100 (45, 45 % eller 45,5; tomt = inte rapporterat).",
    "9. Bladet Planer har en rad per version av åtgärdsplanen: Plan (namn), Antagen (ÅÅÅÅ-MM-DD), Beslutad av, Gäller från och Gäller till",
    "   (årtal; tomt Gäller till = tills nästa plan börjar gälla). Två planer får inte gälla samma år.",
    "10. Kolumnen Plan på bladet Åtgärder säger vilka planversioner åtgärden hör till, åtskilda med semikolon (;). Tom cell = de planer åtgärden redan finns i (en ny åtgärd: alla planer).",
    "   Har en åtgärd ändrats mellan två versioner (till exempel ansvarig eller slutdatum) skrivs en rad per åtgärd och version.",
    "",
    "Vad händer vid import",
    "- Filen kontrolleras först. Vid fel importeras ingenting, och du får en lista med blad, rad, kolumn och vad som ska rättas.",
    "- Värden som finns i filen läggs till eller uppdateras. Värden som inte finns i filen lämnas orörda: ingenting raderas.",
    "- Varje import blir en ny version som går att rulla tillbaka.",
    "",
    "Tillåtna värden",
    f"- Kön: {', '.join(SEXES)}",
    f"- Tema (indikatorer): {', '.join(THEMES)}",
    f"- Enhet: {', '.join(UNITS)}",
    f"- Riktning: {', '.join(DIRECTIONS)}",
    f"- Områdestyp: {', '.join(AREA_TYPES)}",
    f"- Tema (åtgärder): {', '.join(ACTION_THEMES)}",
    f"- Status (åtgärder och uppföljning): {', '.join(ACTION_STATUSES)}",
    f"- Rubrik (områdestexter): {', '.join(TEXT_HEADINGS)}",
    "",
    f"Värden med källan '{EXAMPLE_SOURCE}' är påhittade exempel och ska ersättas med riktiga uppgifter.",
]


def _cell_value(field: str, value: object) -> object:
    """A model value as it is written (safely, by xlsx_writer): the key-figure flag as a boolean, so Ja/Nej."""
    return bool(value) if field == "key_figure" and not is_missing(value) else value


def _write_sheet(wb: Workbook, spec: SheetSpec, frame: pd.DataFrame) -> None:
    """One contract sheet: styled header row, then the frame's rows in contract column order."""
    ws = wb.create_sheet(spec.name)
    ws.append(spec.headers)
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    fields = [c.field for c in spec.columns]
    for row in frame[fields].itertuples(index=False, name=None):
        append_row(ws, [_cell_value(f, v) for f, v in zip(fields, row)])
    for i, col in enumerate(spec.columns, start=1):
        width = max(len(col.header) + 2, 12)
        if col.field in {"definition", "text", "title", "comment", "source", "comparability", "note"}:
            width = 50
        elif col.field == "plan" or (spec.table == "plans" and col.field in {"name", "decided_by"}):
            width = 30  # plan names such as "Åtgärdsplan 2020; Åtgärdsplan 2022"
        ws.column_dimensions[get_column_letter(i)].width = width
        ws.cell(1, i).comment = None
    ws.freeze_panes = "A2"


def _write_lists(wb: Workbook, dataset: Dataset) -> dict[str, str]:
    """A hidden sheet with the drop-down lists; returns list name -> range reference."""
    ws = wb.create_sheet(LISTS_SHEET)
    lists = {
        "Område": dataset.areas["name"].tolist(),
        "Indikator": dataset.indicators["id"].tolist(),
        "Kön": list(SEXES),
        "Tema": list(THEMES),
        "Enhet": list(UNITS),
        "Riktning": list(DIRECTIONS),
        "Typ": list(AREA_TYPES),
        "Åtgärdstema": list(ACTION_THEMES),
        "Status": list(ACTION_STATUSES),
        "Åtgärd": list(dict.fromkeys(dataset.actions["id"])),  # an action has a row per plan version: listed once
        "Plan": dataset.plans["name"].tolist(),
        "Rubrik": list(TEXT_HEADINGS),
    }
    refs: dict[str, str] = {}
    for j, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(j)
        ws.cell(1, j, name)
        for i, v in enumerate(values, start=2):
            put(ws, i, j, str(v))
        last = max(len(values) + 1, 2)
        refs[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${last}"
    ws.sheet_state = "hidden"
    return refs


def _add_dropdown(ws, column_index: int, ref: str, rows: int = 5000) -> None:
    """A list validation on a column from row 2 down, pointing at a range on the lists sheet."""
    dv = DataValidation(type="list", formula1=f"={ref}", allow_blank=True, showErrorMessage=False)
    letter = get_column_letter(column_index)
    dv.add(f"{letter}2:{letter}{rows}")
    ws.add_data_validation(dv)


_DROPDOWNS: dict[str, dict[str, str]] = {
    "observations": {"area": "Område", "indicator": "Indikator", "sex": "Kön"},
    "indicators": {"theme": "Tema", "unit": "Enhet", "direction": "Riktning"},
    "areas": {"type": "Typ"},
    "actions": {"plan": "Plan", "theme": "Åtgärdstema", "status": "Status"},
    "action_followups": {"action": "Åtgärd", "status": "Status"},
    "targets": {"area": "Område", "indicator": "Indikator"},
    "area_texts": {"area": "Område", "heading": "Rubrik"},
}


# The tables the empty template is filled with: what the user's rows refer to (the plans, so a user sees which plan
# versions there are and adds the next one below them).
_TEMPLATE_TABLES = frozenset({"indicators", "areas", "plans"})


def dataset_to_workbook(dataset: Dataset, *, with_data: bool = True, title: str | None = None) -> bytes:
    """The dataset as an .xlsx in the contract format, with instructions and drop-down lists.

    With `with_data=False` only the catalogue, areas, plans and lists are filled: the empty template.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = INSTRUCTIONS_SHEET
    lines = list(INSTRUCTIONS)
    if title:
        lines = [title, ""] + lines
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 130
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=False)

    for spec in SHEETS:
        frame = dataset.table(spec.table)
        if not with_data and spec.table not in _TEMPLATE_TABLES:
            frame = frame.iloc[0:0]
        if spec is DATA_SHEET:
            frame = frame.sort_values(["indicator", "area", "sex", "year"], kind="stable")
            # One column per part of a value's group, as a user fills them in: Kön, and Grupp for the rest.
            split = [sex_and_rest(str(label)) for label in frame["sex"]]
            frame = frame.assign(sex=[s for s, _ in split], **{GROUP_FIELD: [g for _, g in split]})
        _write_sheet(wb, spec, frame)

    refs = _write_lists(wb, dataset)
    for spec in SHEETS:
        ws = wb[spec.name]
        fields = [c.field for c in spec.columns]
        for field, list_name in _DROPDOWNS.get(spec.table, {}).items():
            _add_dropdown(ws, fields.index(field) + 1, refs[list_name])

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def definitions_workbook(rows: pd.DataFrame) -> bytes:
    """A workbook with only the sheet Hämtningar holding these fetch definitions (model field names as columns):
    what the page that drafts a definition checks and imports, the same way as an uploaded file."""
    wb = Workbook()
    wb.remove(wb.active)
    frame = rows.reindex(columns=[c.field for c in FETCH_SHEET.columns]).astype(object).fillna("")
    _write_sheet(wb, FETCH_SHEET, frame)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_workbook(dataset: Dataset) -> bytes:
    """The empty template: instructions, headers, the current catalogue, areas and plans, drop-downs."""
    return dataset_to_workbook(dataset, with_data=False)


def guide_document() -> bytes:
    """A short Word guide to the template and the import, from the same text as the instructions sheet."""
    from docx import Document

    doc = Document()
    doc.add_heading("Guide: uppdatera data i uppföljningen av Åtgärdsplan mot segregation", level=1)
    doc.add_paragraph(
        "1. Hämta mallen på sidan Data. 2. Fyll i bladet Data (och vid behov de andra bladen). "
        "3. Ladda upp filen på sidan Data, läs kontrollen och förhandsgranskningen. 4. Importera."
    )
    for line in INSTRUCTIONS[2:]:
        if not line:
            continue
        if not line.startswith(("-", " ")) and not line[:2].rstrip(".").isdigit():
            doc.add_heading(line, level=2)
        else:
            doc.add_paragraph(line.strip().lstrip("- "), style="List Bullet" if line.startswith("-") else None)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
