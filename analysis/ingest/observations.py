"""Observations: one checked value per area, indicator, year and group, from the Data sheet in long or wide format.

The exported-table reader (`exported.py`) builds its observations with the same `row_observations` and checks them
with the same `check_observations`, so a value means the same whichever layout it came in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analysis.core.categories import codes_text
from analysis.core.groups import combined_group
from analysis.core.model import OBSERVATION_COLUMNS, PERCENT, UNCERTAIN_NOTE, is_uncertain
from analysis.core.units import is_non_negative
from analysis.ingest.cells import parse_number, parse_year
from analysis.ingest.context import LAYOUT_LONG, LAYOUT_WIDE, ReadContext, ReadInfo
from analysis.ingest.contract import DATA_SHEET, GROUP_FIELD
from analysis.ingest.excel import RawSheet
from analysis.ingest.names import canonical_group, canonical_sex
from analysis.ingest.problems import error
from analysis.ingest.sheets import Header, Row, cell_at, column_label, data_rows, formula_problem


@dataclass(slots=True)
class Obs:
    """One observation with where its cells are, before the checks that need all rows."""

    area: str
    indicator: str
    year: int
    sex: str
    value: float | None
    source: str
    note: str
    row: int
    column: str
    percent_sign: bool


# RowKeys and ValueCell are made once per row and value of a file: slots, and not frozen (a frozen dataclass's
# __init__ is several times slower), keep a 200 000-row upload as fast as with plain arguments.
@dataclass(slots=True)
class RowKeys:
    """What one data row says about all its values: the row, resolved area and indicator, sex, source and note."""

    row_no: int
    area: str | None  # None: unknown (already reported)
    indicator: str | None  # None: unknown (already reported)
    sex: object  # the sex cell, or the sex the user chose for the whole table
    sex_column: str
    source: str
    note: str = ""
    group: object = None  # the Grupp cell (födelseregion, bakgrund, ålder …), or None without such a column
    group_column: str = "Grupp"


@dataclass(slots=True)
class ValueCell:
    """One value of a row: its cell and column, and its year (the year cell, or the year its column stands for)."""

    value: object
    index: int
    header: object
    year: object
    year_column: str = ""


def unit_problem(unit: str, value: float) -> tuple[str, str] | None:
    """Why a value cannot be in its indicator's unit (a percentage outside 0–100, a negative count), or None."""
    if unit == PERCENT and not 0 <= value <= 100:
        return "Procentvärdet ligger utanför 0–100.", "Ange procent som 0–100, t.ex. 18,9 för 18,9 %."
    if is_non_negative(unit) and value < 0:
        return f"Värdet är negativt men enheten är {unit}.", "Kontrollera tecknet på värdet."
    return None


def category_problem(codes: dict[int, str], value: float) -> tuple[str, str] | None:
    """Why a value is not one of a categorical indicator's codes, or None."""
    if value.is_integer() and int(value) in codes:
        return None
    return "Värdet är ingen av indikatorns kategorier.", f"Ange koden {codes_text(codes)}."


_GROUP_HINT = (
    "Skriv Inrikes födda, Utrikes födda, Svensk bakgrund, Utländsk bakgrund eller en åldersgrupp som 20–64 år "
    "(tomt = Totalt)."
)


def row_group(sheet_name: str, keys: RowKeys, problems: list) -> str | None:
    """The group of a row's values from its Kön and Grupp cells ('Utrikes födda, kvinnor'), or None with the
    problem recorded."""
    sex = canonical_sex(keys.sex)
    if sex is None:
        hint = "Skriv Totalt, Kvinnor eller Män."
        if keys.group is None and canonical_group(keys.sex) is not None:
            hint += " Andra grupper (som utrikes födda eller en åldersgrupp) står i en egen kolumn Grupp."
        problems.append(error(sheet_name, keys.row_no, keys.sex_column, keys.sex, "Okänt kön.", hint))
        return None
    if keys.group is None:
        return sex
    group = canonical_group(keys.group)
    if group is None:
        problems.append(error(sheet_name, keys.row_no, keys.group_column, keys.group, "Okänd grupp.", _GROUP_HINT))
        return None
    both = combined_group(sex, group)
    if both is None:
        problems.append(
            error(
                sheet_name,
                keys.row_no,
                keys.group_column,
                keys.group,
                f"Gruppen säger emot kolumnen {keys.sex_column} ({sex}).",
                "Ange könet på ett ställe, eller samma kön i båda kolumnerna.",
            )
        )
    return both


def observation(ctx: ReadContext, sheet: RawSheet, keys: RowKeys, cell: ValueCell) -> Obs | None:
    """One checked observation from a row's keys and one of its values, or None with the problems recorded."""
    problems = ctx.problems
    ok = keys.area is not None and keys.indicator is not None
    year, why = parse_year(cell.year)
    if year is None:
        problems.append(
            error(
                sheet.name,
                keys.row_no,
                cell.year_column,
                cell.year,
                why or "Årtalet saknas.",
                "Skriv årtalet med fyra siffror, t.ex. 2023 (formatera cellen som Tal).",
            )
        )
        ok = False
    sex = row_group(sheet.name, keys, problems)
    if sex is None:
        ok = False
    value_col = column_label(sheet, cell.index, cell.header)
    formula = formula_problem(sheet, keys.row_no, cell.index, cell.header)
    if formula:
        problems.append(formula)
        return None
    num = parse_number(cell.value)
    if num.error:
        problems.append(error(sheet.name, keys.row_no, value_col, cell.value, num.error, num.hint))
        return None
    if not ok:
        return None
    wrong = unit_problem(ctx.units.get(keys.indicator, ""), num.value) if num.value is not None else None
    codes = ctx.categories.get(keys.indicator)
    if wrong is None and codes is not None and num.value is not None:
        wrong = category_problem(codes, num.value)
    if wrong:
        problems.append(error(sheet.name, keys.row_no, value_col, cell.value, *wrong))
        return None
    note = keys.note
    if num.missing_note:
        note = f"{num.missing_note}. {note}".strip() if note else num.missing_note
    if num.uncertain and not is_uncertain(note):
        note = f"{UNCERTAIN_NOTE}. {note}".strip() if note else UNCERTAIN_NOTE
    return Obs(
        keys.area, keys.indicator, year, sex, num.value, keys.source, note, keys.row_no, value_col, num.percent_sign
    )


def row_observations(ctx: ReadContext, sheet: RawSheet, keys: RowKeys, cells: list[ValueCell]) -> list[Obs]:
    """The checked observations of one row's values (the bad ones reported and left out)."""
    return [o for cell in cells if (o := observation(ctx, sheet, keys, cell)) is not None]


def _repeated_keys(sheet_name: str, obs: list[Obs], ctx: ReadContext) -> None:
    """An error for every observation whose area, indicator, year and sex an earlier row already has."""
    first: dict[tuple, Obs] = {}
    for o in obs:
        key = (o.area, o.indicator, o.year, o.sex)
        if key not in first:
            first[key] = o
            continue
        ctx.problems.append(
            error(
                sheet_name,
                o.row,
                o.column,
                f"{o.area} | {o.indicator} | {o.year} | {o.sex}",
                f"Samma område, indikator, år och kön finns redan på rad {first[key].row}.",
                "Ta bort den ena raden eller rätta område, indikator, år eller kön.",
            )
        )


def _shares_as_percent(sheet_name: str, obs: list[Obs], ctx: ReadContext) -> None:
    """An error for every percentage indicator whose values (without % signs) all lie between 0 and 1."""
    by_indicator: dict[str, list[Obs]] = {}
    for o in obs:
        if ctx.units.get(o.indicator) == PERCENT and o.value is not None and not o.percent_sign:
            by_indicator.setdefault(o.indicator, []).append(o)
    for indicator, items in by_indicator.items():
        values = [o.value for o in items]
        if max(values) <= 1 and max(values) > 0:
            ctx.problems.append(
                error(
                    sheet_name,
                    min(o.row for o in items),
                    items[0].column,
                    f"{len(items)} värden mellan 0 och 1",
                    f"Alla värden för {indicator} ligger mellan 0 och 1. Indikatorn mäts i procent (0–100), "
                    "så värdena ser ut att vara andelar och skulle bli 100 gånger för små.",
                    "Multiplicera med 100 (0,189 blir 18,9). Är värdena verkligen under 1 procent: "
                    "skriv dem med procenttecken, t.ex. 0,8 %.",
                )
            )


def check_observations(sheet_name: str, obs: list[Obs], ctx: ReadContext) -> None:
    """Checks that need all rows: repeated keys, and percentages given as shares 0–1."""
    _repeated_keys(sheet_name, obs, ctx)
    _shares_as_percent(sheet_name, obs, ctx)


def observations_frame(obs: list[Obs]) -> pd.DataFrame:
    """Observations as a frame in the model's columns."""
    return pd.DataFrame(
        [(o.area, o.indicator, o.year, o.sex, o.value, o.source, o.note) for o in obs],
        columns=list(OBSERVATION_COLUMNS),
    )


def _label_or(sheet: RawSheet, header: Header, field_name: str, absent: str) -> str:
    """The column label of a field as the sheet writes it, or a fixed name when the sheet has no such column."""
    if field_name not in header.fields:
        return absent
    j = header.fields[field_name]
    return column_label(sheet, j, header.texts[j])


def _value_cells_of(header: Header, year_col: str) -> Callable[[Row], list[ValueCell]]:
    """How a Data row's values are found: one per year column (wide), or the Värde cell and its År cell (long)."""
    if header.is_wide:
        columns = [(j, header.texts[j], year) for j, year in header.year_columns.items()]

        def wide(row: Row) -> list[ValueCell]:
            """One value per year column."""
            return [ValueCell(cell_at(row.cells, j), j, text, year) for j, text, year in columns]

        return wide
    value_j = header.fields["value"]
    value_header = header.texts[value_j]

    def long(row: Row) -> list[ValueCell]:
        """The Värde cell, for the year in the År cell."""
        return [ValueCell(row.cell("value"), value_j, value_header, row.cell("year"), year_col)]

    return long


def read_template_data(sheet: RawSheet, header: Header, ctx: ReadContext, info: ReadInfo) -> pd.DataFrame:
    """Observations from a Data sheet in long format (År and Värde columns) or wide format (a column per year)."""
    info.layout = LAYOUT_WIDE if header.is_wide else LAYOUT_LONG
    area_col = _label_or(sheet, header, "area", "")
    ind_col = _label_or(sheet, header, "indicator", "")
    sex_col = _label_or(sheet, header, "sex", "Kön")
    group_col = _label_or(sheet, header, GROUP_FIELD, "Grupp")
    has_group = GROUP_FIELD in header.fields
    value_cells = _value_cells_of(header, _label_or(sheet, header, "year", "År"))
    default_source = ctx.options.source or ""
    obs: list[Obs] = []
    n_rows = 0
    for row in data_rows(sheet, DATA_SHEET, header, ctx.problems):
        n_rows += 1
        keys = RowKeys(
            row.number,
            ctx.resolve_area(sheet.name, row.number, area_col, row.cell("area")),
            ctx.resolve_indicator(sheet.name, row.number, ind_col, row.cell("indicator")),
            row.cell("sex"),
            sex_col,
            row.text("source") or default_source,
            row.text("note"),
            row.cell(GROUP_FIELD) if has_group else None,
            group_col,
        )
        obs.extend(row_observations(ctx, sheet, keys, value_cells(row)))
    info.data_rows = n_rows
    check_observations(sheet.name, obs, ctx)
    return observations_frame(obs)
