"""The follow-up report as Excel: Sammanfattning, Åtgärder and Indikatorer, with the same numbers as the page.

Every sheet starts with a title, the date, the data version and the selection, and says so when example
values are included. Numbers are written as numbers with number formats that Swedish Excel shows as
`12,3 %` and `1 234`; text is never turned into a formula.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analysis.core.missing import is_missing
from analysis.core.model import EXAMPLE_SOURCE, GAP_PERCENT, GAP_PP, PERCENT, split_list
from analysis.core.xlsx_writer import cell_value, put
from analysis.measures.action_status import parse_day
from analysis.measures.presentation import gap_verdict_label, value_verdict_label
from analysis.measures.targets import ATTAINMENT_ORDER, ATTAINMENT_RULES, PATH_HEADER
from analysis.measures.verdicts import THRESHOLD_TEXT, rule_for
from analysis.viewmodels.followup import (
    BY_TITLES,
    CHANGE_ORDER,
    SUMMARY_LABELS,
    FollowUp,
    change_counts,
)

TITLE = "Uppföljning av åtgärdsplan mot segregation"
SHEET_NAMES: tuple[str, ...] = ("Sammanfattning", "Åtgärder", "Indikatorer")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
EXAMPLE_NOTE = (
    f"Exempelvärden: urvalet innehåller påhittade exempel (källa {EXAMPLE_SOURCE}) som ska ersättas med riktiga "
    "uppgifter. Kolumnen Exempel visar vilka rader det gäller."
)
DATE_FORMAT = "yyyy-mm-dd"
COUNT_FORMAT = "#,##0"
_SUFFIX = {PERCENT: ' "%"', "kronor": ' "kr"', "dagar": ' "dagar"', "poäng": ' "poäng"'}


def value_format(unit: str, decimals: int) -> str:
    """The Excel number format of a value in a unit: '#,##0.0 "%"' shows as 12,3 % in Swedish Excel."""
    digits = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return digits + _SUFFIX.get(unit, "")


def gap_format(meta: Mapping) -> str:
    """The Excel number format of a gap with sign, in the indicator's gap measure: 'pe', the unit, or '%'."""
    rule = rule_for(meta)
    places = rule.gap_decimals
    digits = "#,##0" + ("." + "0" * places if places > 0 else "")
    word = {GAP_PP: ' "pe"', GAP_PERCENT: ' "%"'}.get(rule.gap_measure, _SUFFIX.get(rule.unit, ""))
    return f"+{digits}{word};-{digits}{word};{digits}{word}"


def _header_block(
    ws: Worksheet, fu: FollowUp, subtitle: str, data_version: int | None, created: date, examples: bool
) -> int:
    """Title, date, data version, selection and the example note; returns the next free row."""
    put(ws, 1, 1, f"{TITLE} – {subtitle}").font = Font(bold=True, size=14)
    put(ws, 2, 1, "Datum")
    put(ws, 2, 2, created, DATE_FORMAT).alignment = Alignment(horizontal="left")
    put(ws, 3, 1, "Dataversion")
    put(ws, 3, 2, data_version).alignment = Alignment(horizontal="left")
    put(ws, 4, 1, "Urval")
    put(ws, 4, 2, fu.filters.describe())
    row = 5
    if examples:
        put(ws, row, 1, EXAMPLE_NOTE).font = Font(bold=True, color="9C4A00")
        row += 1
    return row + 1


def _table(
    ws: Worksheet,
    row: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    formats: Sequence[str | None] | None = None,
    title: str | None = None,
) -> int:
    """A table with a styled header row (and an optional bold title above it); returns the next free row."""
    if title:
        put(ws, row, 1, title).font = Font(bold=True, size=12)
        row += 1
    for j, h in enumerate(headers, start=1):
        c = put(ws, row, j, h)
        c.font, c.fill = HEADER_FONT, HEADER_FILL
    for values in rows:
        row += 1
        for j, v in enumerate(values, start=1):
            fmt = formats[j - 1] if formats else None
            if fmt is None and isinstance(cell_value(v), int):
                fmt = COUNT_FORMAT
            put(ws, row, j, v, fmt)
    return row + 2


def _widths(ws: Worksheet, widths: dict[int, float]) -> None:
    """Set column widths by column number."""
    for j, w in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = w


def _counts_rows(table: pd.DataFrame) -> list[list[object]]:
    """A status_by table as rows: category, one count per status, total."""
    return [[str(idx), *[int(v) for v in row]] for idx, row in zip(table.index, table.to_numpy())]


def _summary_sheet(ws: Worksheet, fu: FollowUp, data_version: int | None, created: date) -> None:
    """The Sammanfattning sheet: the page's counts, changes, gap summary and target attainment."""
    row = _header_block(ws, fu, "Sammanfattning", data_version, created, fu.action_examples or fu.outcome_examples)
    for label, value in (
        ("Jämförelseområde", fu.reference),
        ("Basår", fu.baseline),
        ("Jämförelse av status", f"{fu.current_label} jämfört med {fu.previous_label or '–'}"),
        ("Antal åtgärder i urvalet", len(fu.register)),
        ("Antal åtgärder totalt", fu.total_actions),
    ):
        put(ws, row, 1, label)
        put(ws, row, 2, value, COUNT_FORMAT if isinstance(value, int) and label.startswith("Antal") else None)
        row += 1
    for note in (*fu.notes, THRESHOLD_TEXT):
        put(ws, row, 1, note).font = Font(italic=True)
        row += 1
    row += 1
    counts = fu.status_counts
    rows = [[s, int(n)] for s, n in zip(counts["status"], counts["count"])] + [["Totalt", int(counts["count"].sum())]]
    row = _table(ws, row, ["Status", "Antal"], rows, title="Åtgärder per status")
    for by, table, title in (
        ("theme", fu.by_theme, "Åtgärder per tema och status"),
        ("responsible", fu.by_department, "Åtgärder per ansvarig och status"),
        ("areas", fu.by_area, "Åtgärder per område och status (en åtgärd räknas i varje område den gäller)"),
    ):
        row = _table(ws, row, [BY_TITLES[by], *table.columns], _counts_rows(table), title=title)
    changes = change_counts(fu.changes)
    title = (
        f"Förändringar: {fu.current_label} jämfört med {fu.previous_label}"
        if fu.previous_label
        else "Förändringar: ingen tidigare uppföljning att jämföra med"
    )
    row = _table(ws, row, ["Förändring", "Antal"], [[k, changes[k]] for k in CHANGE_ORDER], title=title)
    summary = fu.summary
    row = _table(
        ws,
        row,
        [SUMMARY_LABELS[c] for c in summary.columns],
        summary.to_numpy().tolist(),
        title=f"Utfall per område och tema: skillnaden mot {fu.reference} sedan {fu.baseline}",
    )
    att = fu.attainment
    rows = [[a, *[int(v) for v in r]] for a, r in zip(att.index, att.to_numpy())]
    _table(
        ws,
        row,
        ["Område", *[c.capitalize() for c in ATTAINMENT_ORDER], "Totalt"],
        rows,
        title="Måluppfyllelse per område",
    )
    _widths(ws, {1: 38, 2: 22, **{j: 14 for j in range(3, 10)}})


ACTION_HEADERS: tuple[str, ...] = (
    "Id",
    "Åtgärd",
    "Tema",
    "Ansvarig",
    "Områden",
    "Start",
    "Slut",
    "Status",
    "Angiven status",
    "Härledd status",
    "Kommentar",
    "Indikatorer",
)


def _actions_sheet(ws: Worksheet, fu: FollowUp, data_version: int | None, created: date) -> None:
    """The Åtgärder sheet: the filtered register with the status at each follow-up."""
    row = _header_block(ws, fu, "Åtgärder", data_version, created, fu.action_examples)
    put(ws, row, 1, fu.notes[0]).font = Font(italic=True)
    row += 2
    years = list(fu.history.columns)
    headers = [*ACTION_HEADERS, *[f"Uppföljning {y}" for y in years], "Exempel"]
    rows = []
    for r in fu.register.to_dict("records"):
        history = [fu.history.at[r["id"], y] if r["id"] in fu.history.index else "" for y in years]
        rows.append(
            [
                r["id"],
                r["title"],
                r["theme"],
                r["responsible"],
                ", ".join(split_list(r["areas"])),
                parse_day(r["start"]) or r["start"],
                parse_day(r["end"]) or r["end"],
                r["status"],
                r["stored_status"],
                "Ja" if r["derived"] else "Nej",
                r["comment"],
                r["indicator_names"],
                *history,
                "Ja" if r["is_example"] or r["followups_example"] else "Nej",
            ]
        )
    formats = [None] * 5 + [DATE_FORMAT, DATE_FORMAT] + [None] * (len(headers) - 7)
    header_row = row
    _table(ws, row, headers, rows, formats)
    ws.freeze_panes = ws.cell(header_row + 1, 3)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{header_row + len(rows)}"
    _widths(
        ws,
        {
            1: 8,
            2: 50,
            3: 12,
            4: 36,
            5: 24,
            6: 12,
            7: 12,
            8: 12,
            9: 14,
            10: 14,
            11: 60,
            12: 50,
            **{13 + i: 16 for i in range(len(years) + 1)},
        },
    )


INDICATOR_HEADERS: tuple[str, ...] = (
    "Område",
    "Tema",
    "Indikator",
    "Enhet",
    "Riktning",
    "Basår",
    "Värde basår",
    "Jämförelseområdet basår",
    "År",
    "Senaste värde",
    "Jämförelseområdet senaste",
    "Skillnad basår",
    "Skillnad senaste",
    "Skillnad i",
    "Skillnaden",
    "Värdet",
    "Trend per år",
    "Målvärde",
    "Målår",
    "Målets basår",
    "Värde målets basår",
    PATH_HEADER,
    "Måluppfyllelse",
    "Exempel",
)


def _indicators_sheet(ws: Worksheet, fu: FollowUp, data_version: int | None, created: date) -> None:
    """The Indikatorer sheet: per focus area and indicator the values, gaps, verdicts and target attainment."""
    row = _header_block(ws, fu, "Indikatorer", data_version, created, fu.outcome_examples)
    put(ws, row, 1, f"Jämfört med {fu.reference}, basår {fu.baseline}. {THRESHOLD_TEXT}").font = Font(italic=True)
    for rule in ATTAINMENT_RULES:
        row += 1
        put(ws, row, 1, rule).font = Font(italic=True)
    row += 2
    header_row = row
    for j, h in enumerate(INDICATOR_HEADERS, start=1):
        c = put(ws, row, j, h)
        c.font, c.fill = HEADER_FONT, HEADER_FILL
    for r in fu.outcomes.to_dict("records"):
        row += 1
        unit = str(r["unit"])
        decimals = 0 if is_missing(r["decimals"]) else int(r["decimals"])
        vf, gf = value_format(unit, decimals), gap_format(r)
        values = [
            (r["area"], None),
            (r["theme"], None),
            (r["name"], None),
            (unit, None),
            (r["direction"], None),
            (r["baseline_year"], "0"),
            (r["baseline_value"], vf),
            (r["baseline_reference_value"], vf),
            (r["year"], "0"),
            (r["value"], vf),
            (r["reference_value"], vf),
            (r["baseline_gap"], gf),
            (r["gap"], gf),
            (rule_for(r).gap_unit, None),
            (gap_verdict_label(r["gap_verdict"]), None),
            (value_verdict_label(r), None),
            (r["trend"], value_format("", decimals + 1)),
            (r["target_value"], vf),
            (r["target_year"], "0"),
            (r["target_base_year"], "0"),
            (r["target_base_value"], vf),
            (r["path_value"], vf),
            (r["attainment_text"] or "", None),
            ("Ja" if r["is_example"] or r["trend_example"] else "Nej", None),  # the sheet shows the trend too
        ]
        for j, (v, fmt) in enumerate(values, start=1):
            put(ws, row, j, v if v != "" else None, fmt)
    ws.freeze_panes = ws.cell(header_row + 1, 4)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(INDICATOR_HEADERS))}{row}"
    _widths(ws, {1: 14, 2: 12, 3: 44, 4: 10, 5: 16, **{j: 14 for j in range(6, len(INDICATOR_HEADERS) + 1)}})


def followup_report(fu: FollowUp, data_version: int | None = None, created: date | None = None) -> bytes:
    """The follow-up report (.xlsx) with the sheets Sammanfattning, Åtgärder and Indikatorer."""
    created = created or fu.today
    wb = Workbook()
    summary = wb.active
    summary.title = SHEET_NAMES[0]
    _summary_sheet(summary, fu, data_version, created)
    _actions_sheet(wb.create_sheet(SHEET_NAMES[1]), fu, data_version, created)
    _indicators_sheet(wb.create_sheet(SHEET_NAMES[2]), fu, data_version, created)
    wb.properties.title = TITLE
    wb.properties.language = "sv-SE"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_file_name(fu: FollowUp) -> str:
    """The report's file name, e.g. uppfoljning-atgardsplan-2026-11-26.xlsx."""
    return f"uppfoljning-atgardsplan-{fu.today.isoformat()}.xlsx"
