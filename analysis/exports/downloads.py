"""Downloads of exactly what a page shows: CSV for Swedish Excel and an .xlsx with a title and notes above the table.

`csv_bytes` and `xlsx_bytes` work on any table with Swedish headers, so every page can reuse them; text from the
data never becomes a formula (CSV: a leading ' where needed; xlsx: text cells are always strings). The explorer's
table, its notes and file names are built here too, so the screen table and both files have the same rows.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from analysis.core.categories import CATEGORY, category_label, parse_categories
from analysis.core.formatting import format_value
from analysis.core.model import TOTAL
from analysis.core.safety import neutralise_formula, safe_filename
from analysis.core.units import indicator_decimals
from analysis.core.xlsx_writer import NO, YES, append_row, is_missing, safe_cell
from analysis.measures.followup_sentences import swedish_list
from analysis.viewmodels.explore import ExploreData, file_stem, years_text
from analysis.viewmodels.map_view import MapData, map_table

DOWNLOAD_COLUMNS: tuple[str, ...] = (
    "Indikator",
    "Område",
    "År",
    "Grupp",
    "Värde",
    "Enhet",
    "Källa",
    "Kommentar",
    "Exempelvärde",
)
# Columns that say the same on every row of the explorer's table: the caption says it once on screen.
SCREEN_DROPPED: tuple[str, ...] = ("Indikator", "Enhet")
TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MAX_COLUMN_WIDTH = 60
SHEET_NAME_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def csv_text(value: object) -> str:
    """A text cell for CSV: empty when missing, else the text with any formula start neutralised."""
    return "" if is_missing(value) else neutralise_formula(str(value))


def _safe_label(value: object) -> object:
    """A text value neutralised as in the CSV; anything else unchanged (the same object)."""
    return neutralise_formula(value) if isinstance(value, str) else value


def _safe_axis(labels: pd.Index) -> pd.Index:
    """Column or index labels with formula text neutralised; the same Index when nothing changes."""
    multi = isinstance(labels, pd.MultiIndex)
    safe, changed = [], False
    for label in labels:
        parts = label if multi else (label,)
        new = tuple(_safe_label(v) for v in parts)
        changed = changed or any(a is not b for a, b in zip(new, parts))
        safe.append(new if multi else new[0])
    if not changed:
        return labels
    return (
        pd.MultiIndex.from_tuples(safe, names=labels.names) if multi else pd.Index(safe, name=labels.name, dtype=object)
    )


def formula_safe(table: pd.DataFrame) -> pd.DataFrame:
    """A table to show on a page: text cells, headers and index labels a spreadsheet would run get a leading '.

    Streamlit's table toolbar downloads what is shown as CSV (and copies it as text), so this is the CSV rule
    applied to the screen; numbers, booleans and dates stay as they are, and a table without such text is returned
    unchanged.
    """
    out = table
    for i in range(table.shape[1]):
        series = table.iloc[:, i]
        if series.dtype.kind in "biufcmM":
            continue
        values = series.to_numpy(dtype=object)
        try:  # tables repeat their texts (areas, sources): each distinct value is checked once
            changes = {v: safe for v in set(values) if (safe := _safe_label(v)) is not v}
            safe_values = [changes.get(v, v) for v in values] if changes else None
        except TypeError:  # unhashable cells (lists): each one is checked
            safe_values = [_safe_label(v) for v in values]
            safe_values = safe_values if any(a is not b for a, b in zip(safe_values, values)) else None
        if safe_values is not None:
            out = out.copy() if out is table else out
            out.isetitem(i, pd.Series(safe_values, index=table.index, dtype=object))
    columns, index = _safe_axis(table.columns), _safe_axis(table.index)
    if columns is not table.columns or index is not table.index:
        out = out.set_axis(columns, axis=1).set_axis(index, axis=0)
    return out


def csv_bytes(table: pd.DataFrame) -> bytes:
    """The table as CSV for Swedish Excel: UTF-8 with BOM, ';' between fields, decimal comma, no formulas."""
    out = pd.DataFrame(index=table.index)
    for column in table.columns:
        series = table[column]
        if pd.api.types.is_bool_dtype(series):
            out[column] = np.where(series, YES, NO)
        elif pd.api.types.is_numeric_dtype(series):
            out[column] = series
        else:
            out[column] = [csv_text(v) for v in series]
    out.columns = [neutralise_formula(str(c)) for c in table.columns]
    text = out.to_csv(sep=";", decimal=",", index=False, lineterminator="\r\n", na_rep="")
    return text.encode("utf-8-sig")


def number_format(decimals: int) -> str:
    """An Excel number format with thousands separator and a fixed number of decimals ('#,##0.0')."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def sheet_title(name: str) -> str:
    """A valid sheet name: no []:*?/\\ and at most 31 characters."""
    return (name.translate(SHEET_NAME_CHARS).strip("'") or "Data")[:31]


def column_widths(table: pd.DataFrame) -> list[int]:
    """A readable width per column: the longest of header and (a sample of) the values, capped."""
    widths = []
    for column in table.columns:
        sample = ["" if is_missing(v) else str(v) for v in table[column].head(500)]
        longest = max([len(str(column))] + [len(v) for v in sample])
        widths.append(min(MAX_COLUMN_WIDTH, max(8, longest + 2)))
    return widths


def xlsx_bytes(
    table: pd.DataFrame,
    *,
    title: str,
    lines: Sequence[str] = (),
    sheet: str = "Data",
    decimals: Mapping[str, int] | None = None,
) -> bytes:
    """The table as an .xlsx: a bold title and info lines above a bold header; numbers stay numbers.

    `decimals` gives a number format per column (the indicator's decimals); integer columns such as År get '0'.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(sheet))
    header_row = 1 + len(lines) + 2
    ws.freeze_panes = f"A{header_row + 1}"
    for i, width in enumerate(column_widths(table), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.append([safe_cell(ws, title, font=TITLE_FONT)])
    for line in lines:
        append_row(ws, [line])
    ws.append([])
    header = []
    for column in table.columns:
        cell = safe_cell(ws, str(column), font=HEADER_FONT)
        cell.fill = HEADER_FILL
        header.append(cell)
    ws.append(header)
    formats = [
        number_format(decimals[c])
        if decimals and c in decimals
        else "0"
        if pd.api.types.is_integer_dtype(table[c])
        else None
        for c in table.columns
    ]
    for row in table.itertuples(index=False, name=None):
        append_row(ws, row, formats)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- the explorer's table -----------------------------------------------------------------------------------------


def download_table(data: ExploreData) -> pd.DataFrame:
    """The rows shown in the explorer with Swedish headers: one per area, year and group, example values marked."""
    frame = data.frame
    return pd.DataFrame(
        {
            "Indikator": str(data.meta.get("name", "")),
            "Område": frame["area"].astype(str),
            "År": frame["year"].astype("int64"),
            "Grupp": frame["sex"].astype(str),
            "Värde": pd.to_numeric(frame["value"], errors="coerce").astype("float64"),
            "Enhet": str(data.meta.get("unit", "")),
            "Källa": frame["source"].astype(str),
            "Kommentar": frame["note"].astype(str),
            "Exempelvärde": np.where(frame["example"].astype(bool), YES, NO),
        },
        columns=list(DOWNLOAD_COLUMNS),
    ).reset_index(drop=True)


@lru_cache(maxsize=65_536)
def shown_value(value: float, unit: str, decimals: int) -> str:
    """format_value, cached: tables repeat values, and Swedish formatting (babel) is slow on thousands of rows."""
    return format_value(value, unit, decimals)


def screen_table(data: ExploreData) -> pd.DataFrame:
    """The download table as the page shows it: values in Swedish format with unit, years as text."""
    table = download_table(data).drop(columns=list(SCREEN_DROPPED))
    unit, decimals = data.facts.unit, data.facts.decimals
    categories, _ = parse_categories(data.meta.get("categories"))
    table["År"] = table["År"].astype(str)
    if categories:  # a code is shown with its category's name: '2 – Områden med socioekonomiska utmaningar'
        table["Värde"] = [category_label(categories, v) for v in table["Värde"].to_numpy()]
    else:
        table["Värde"] = [shown_value(v, unit, decimals) for v in table["Värde"].to_numpy()]
    return table


def type_screen_table(data: ExploreData, sex: str) -> pd.DataFrame:
    """The Jämförelse view's areas per områdestyp as the page shows them: count, median, lowest and highest value."""
    table = data.type_tables.get(sex)
    if table is None or not len(table):
        return pd.DataFrame()
    unit, decimals = data.facts.unit, data.facts.decimals
    out = pd.DataFrame({"Områdestyp": table["category"], "Områden": table["n"].astype(int)})
    for column, label in (("median", "Median"), ("low", "Lägst"), ("high", "Högst")):
        out[label] = [shown_value(v, unit, decimals) for v in table[column].to_numpy()]
    return out


def download_lines(data: ExploreData) -> list[str]:
    """The info rows above the Excel table: unit, source, selection, example and missing-value notes."""
    sel, facts = data.selection, data.facts
    lines = [f"Enhet: {facts.unit}", f"Källa: {facts.source or '–'}"]
    if facts.definition:
        lines.append(f"Definition: {facts.definition}")
    groups = swedish_list([g.lower() for g in sel.sexes])
    years = sorted({int(y) for y in data.frame["year"]}) if len(data.frame) else []
    lines.append(f"Urval: {', '.join(sel.areas) or 'inga områden'}; år {years_text(years)}; grupp: {groups}.")
    if facts.n_example_shown:
        lines.append(
            f"Obs! {facts.n_example_shown} av {facts.n_shown} värden är påhittade exempelvärden "
            "(Exempelvärde = Ja) och ska ersättas med riktiga uppgifter."
        )
    if facts.n_missing_shown:
        lines.append(
            f"{facts.n_missing_shown} värden saknas eller är skyddade: cellen Värde är tom och kolumnen "
            "Kommentar säger varför."
        )
    if facts.comparability:
        lines.append(f"Att tänka på: {facts.comparability}")
    return lines


def download_filename(data: ExploreData, extension: str) -> str:
    """A safe file name for the explorer's download: indicator, years and sex."""
    return f"{file_stem(data)}.{extension}"


def explore_csv(data: ExploreData) -> bytes:
    """The explorer's table as CSV."""
    return csv_bytes(download_table(data))


def explore_xlsx(data: ExploreData) -> bytes:
    """The explorer's table as .xlsx with the indicator as title and unit, source and notes above the table."""
    return xlsx_bytes(
        download_table(data),
        title=str(data.meta.get("name", "")),
        lines=download_lines(data),
        decimals={"Värde": data.facts.decimals},
    )


# --- the map --------------------------------------------------------------------------------------------------------


def map_download_table(data: MapData) -> pd.DataFrame:
    """The map's rows for the files: the page's table with the value as a number and its unit beside it."""
    shown = map_table(data)
    categorical = data.meta.get("unit") == CATEGORY
    values = data.frame["value"].astype(float)
    return pd.DataFrame(
        {
            "Område": shown["Område"],
            "Värde": shown["Värde"] if categorical else values.where(values.notna(), None),
            "Enhet": str(data.meta.get("unit", "")),
            **{c: shown[c] for c in shown.columns if c not in ("Område", "Värde")},
        }
    )


def map_lines(data: MapData) -> list[str]:
    """The info rows above the map's Excel table: what is shown, the classes and the example note."""
    sel = data.selection
    lines = [
        f"Indikator: {data.meta.get('name', sel.indicator)}; år {sel.year}; grupp: {sel.group.lower()}.",
        f"Klassindelning: {sel.method.lower()}, {len(data.classes)} klasser. {data.direction_note}",
    ]
    if data.has_examples:
        lines.append(
            "Obs! Rader med Exempelvärde = Ja är påhittade exempelvärden och ska ersättas med riktiga uppgifter."
        )
    if data.missing:
        lines.append(f"Saknar värde: {', '.join(data.missing)}.")
    return lines


def map_file_stem(data: MapData) -> str:
    """A safe file name (without extension) for the map's downloads: karta, indicator, year and group."""
    group = "" if data.selection.group == TOTAL else f" {data.selection.group}"
    name = data.meta.get("name", data.selection.indicator)
    return safe_filename(f"karta {name} {data.selection.year}{group}")


def map_csv(data: MapData) -> bytes:
    """The map's table as CSV."""
    return csv_bytes(map_download_table(data))


def map_xlsx(data: MapData) -> bytes:
    """The map's table as .xlsx with title and the info lines above it."""
    return xlsx_bytes(
        map_download_table(data),
        title=f"Karta: {data.legend_title}",
        lines=map_lines(data),
        decimals={"Värde": indicator_decimals(data.meta)},
    )
