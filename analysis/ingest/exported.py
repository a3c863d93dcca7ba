"""A single table exported as is from SCB, PxWeb or Kolada: the user names the indicator (and sex) it holds.

Such a table has a title above it, a header row with years as columns (or År and Värde columns), label columns to
the left (area, perhaps sex) and footnotes below it. `read_exported_table` finds each part in named steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.core.model import TOTAL
from analysis.ingest.cells import cell_text, is_blank, year_header
from analysis.ingest.context import LAYOUT_EXPORT, ReadContext, ReadInfo, closest_hint
from analysis.ingest.contract import MAX_SHORT_TEXT
from analysis.ingest.excel import RawSheet
from analysis.ingest.names import canonical_group, canonical_sex, is_sex_label, normalise, split_code
from analysis.ingest.observations import (
    Obs,
    RowKeys,
    ValueCell,
    check_observations,
    observations_frame,
    row_observations,
)
from analysis.ingest.problems import error, has_errors, warning
from analysis.ingest.sheets import cell_at, column_label, head_rows, whole_sheet

# Header texts that name a column's role (normalised): the year and value columns of a long table, label columns.
_YEAR_HEADERS = ("ar", "year", "tid", "period")
_VALUE_HEADERS = ("varde", "value", "antal", "andel", "procent")
_AREA_HEADERS = {
    "omrade",
    "area",
    "region",
    "stadsdel",
    "kommun",
    "basomrade",
    "regso",
    "deso",
    "distrikt",
    "lan",
    "geografi",
    "plats",
    "namn",
}
_SEX_HEADERS = {"kon", "sex", "gender"}
_GROUP_HEADERS = {
    "grupp",
    "group",
    "fodelseregion",
    "bakgrund",
    "utlandsk/svensk bakgrund",
    "alder",
    "aldersgrupp",
    "region of birth",
    "age",
}
_ROLE_SAMPLE_ROWS = 500  # rows whose contents decide which label column holds areas or sexes
_TEXT_SAMPLE_ROWS = 50  # rows looked at for the fallback area column (the first one holding text)


@dataclass
class _TableHeader:
    """The table's header row: its index and cells, and the year columns or the År and Värde columns."""

    index: int
    cells: list[object]
    years: dict[int, int] = field(default_factory=dict)  # column index -> year (wide table)
    year_j: int | None = None  # the År column (long table)
    value_j: int | None = None  # the Värde column (long table)

    @property
    def value_columns(self) -> list[int]:
        """The columns holding values."""
        return list(self.years) if self.years else [self.value_j]

    def label_columns(self) -> list[int]:
        """The columns that may hold labels: left of the year columns, or any but År and Värde in a long table."""
        first_value = min(self.value_columns)
        return [
            j
            for j in range(len(self.cells))
            if j not in self.value_columns and j != self.year_j and (j < first_value or not self.years)
        ]

    def value_cells(self, sheet: RawSheet, row: list[object]) -> list[ValueCell]:
        """The values of one body row with their columns and years."""
        if self.years:
            return [ValueCell(cell_at(row, j), j, cell_at(self.cells, j), year) for j, year in self.years.items()]
        year_label = column_label(sheet, self.year_j, cell_at(self.cells, self.year_j))
        value_header = cell_at(self.cells, self.value_j)
        return [
            ValueCell(cell_at(row, self.value_j), self.value_j, value_header, cell_at(row, self.year_j), year_label)
        ]


def _locate_header(sheet: RawSheet) -> _TableHeader | None:
    """The first head row with year columns (past the first column), or with År and Värde headers; else None."""
    for i, row in enumerate(head_rows(sheet)):
        years = {j: y for j, c in enumerate(row) if j > 0 and (y := year_header(c)) is not None}
        if years:
            return _TableHeader(i, list(row), years=years)
        keys = {normalise(c): j for j, c in enumerate(row) if isinstance(c, str)}
        year_j = next((keys[k] for k in _YEAR_HEADERS if k in keys), None)
        value_j = next((keys[k] for k in _VALUE_HEADERS if k in keys), None)
        if year_j is not None and value_j is not None:
            return _TableHeader(i, list(row), year_j=year_j, value_j=value_j)
    return None


def _title(sheet: RawSheet, header: _TableHeader | None) -> str:
    """The text above the header row (the table's title as the producer wrote it), at most 300 characters."""
    above = head_rows(sheet)[: header.index] if header else []
    return " ".join(cell_text(c) for row in above for c in row if cell_text(c))[:300]


def _chosen_indicator_and_sex(sheet: RawSheet, ctx: ReadContext, info: ReadInfo) -> tuple[str, str] | None:
    """The indicator and sex the user said the table holds, or None with the problem (and suggestions) recorded."""
    options = ctx.options
    if not options.indicator:
        info.needs_indicator = True
        guess = ctx.indicator_table.mentioned_in(info.title or sheet.name, n=3)
        info.suggested_indicators = guess
        ctx.problems.append(
            error(
                sheet.name,
                None,
                "",
                info.title,
                "Filen ser ut som en exporterad tabell (till exempel från SCB, PxWeb eller Kolada) "
                "och det framgår inte vilken indikator den innehåller.",
                "Ange indikatorn (och kön om tabellen gäller kvinnor eller män)"
                + (f"; närmast i namn: {', '.join(guess)}." if guess else "."),
            )
        )
        return None
    indicator = ctx.indicator_table.lookup(options.indicator)
    if indicator is None:
        hint = closest_hint(ctx.indicator_table.closest(options.indicator), "indikatorn i katalogen")
        ctx.problems.append(error(sheet.name, None, "", options.indicator, "Den angivna indikatorn finns inte.", hint))
        return None
    sex = canonical_sex(options.sex) if options.sex else TOTAL
    if sex is None:
        ctx.problems.append(error(sheet.name, None, "", options.sex, "Okänt kön.", "Ange Totalt, Kvinnor eller Män."))
        return None
    return indicator, sex


def _looks_like_area(text: str, ctx: ReadContext) -> bool:
    """True when a label is a known area or starts with a region code, as SCB and PxWeb write them."""
    return ctx.area_table.lookup(text) is not None or bool(split_code(text)[0])


def _is_group_label(text: str) -> bool:
    """True when a label names a group other than a sex or the total (utrikes födda, 20–64 år)."""
    group = canonical_group(text)
    return group is not None and group != TOTAL and canonical_sex(text) is None


@dataclass(frozen=True)
class _Roles:
    """Which label columns hold the areas, the sexes and the other groups (None: no such column)."""

    area_j: int | None
    sex_j: int | None
    group_j: int | None = None


def _column_roles(header: _TableHeader, body: list[tuple[int, list[object]]], ctx: ReadContext) -> _Roles:
    """The area, sex and group columns among the label columns: by their header, else by what they hold."""
    label_cols = header.label_columns()
    area_j, sex_j, group_j = None, None, None
    for j in label_cols:
        key = normalise(cell_at(header.cells, j))
        if key in _SEX_HEADERS and sex_j is None:
            sex_j = j
        elif key in _GROUP_HEADERS and group_j is None:
            group_j = j
        elif key in _AREA_HEADERS and area_j is None:
            area_j = j
    for j in label_cols:
        if j in (area_j, sex_j, group_j):
            continue
        cells = [t for _, r in body[:_ROLE_SAMPLE_ROWS] if (t := cell_text(cell_at(r, j)))]
        if not cells:
            continue
        if sex_j is None and sum(is_sex_label(c) for c in cells) / len(cells) >= 0.8:
            sex_j = j
        elif group_j is None and sum(_is_group_label(c) for c in cells) / len(cells) >= 0.8:
            group_j = j
        elif area_j is None and sum(_looks_like_area(c, ctx) for c in cells) / len(cells) >= 0.5:
            area_j = j
    if area_j is None:
        text_cols = [
            j
            for j in label_cols
            if j not in (sex_j, group_j)
            and any(isinstance(cell_at(r, j), str) and cell_text(cell_at(r, j)) for _, r in body[:_TEXT_SAMPLE_ROWS])
        ]
        area_j = text_cols[0] if text_cols else None
    return _Roles(area_j, sex_j, group_j)


@dataclass(frozen=True)
class _Layout:
    """Where the table's parts are, and the indicator and sex the user said it holds."""

    header: _TableHeader
    area_j: int
    sex_j: int | None
    group_j: int | None
    indicator: str
    sex: str

    def row_keys(
        self, sheet: RawSheet, row_no: int, row: list[object], area: str | None, source: str, group: object
    ) -> RowKeys:
        """What one body row says about all its values (the sex from its column, else the user's choice; the group
        as `_read_body` carried it)."""
        group_col = "Grupp"
        if self.group_j is not None:
            group_col = column_label(sheet, self.group_j, cell_at(self.header.cells, self.group_j))
        if self.sex_j is None:
            return RowKeys(row_no, area, self.indicator, self.sex, "Kön", source, "", group, group_col)
        sex_col = column_label(sheet, self.sex_j, cell_at(self.header.cells, self.sex_j))
        return RowKeys(row_no, area, self.indicator, cell_at(row, self.sex_j), sex_col, source, "", group, group_col)


def _read_body(
    sheet: RawSheet, layout: _Layout, body: list[tuple[int, list[object]]], ctx: ReadContext
) -> tuple[list[Obs], list[str]]:
    """The observations of the rows below the header, and the footnotes below them.

    A row with a label but no values names the area of the rows under it (PxWeb writes an area once); once
    values have been seen, such rows are footnotes, and anything after the footnotes is not read.
    """
    header, area_j = layout.header, layout.area_j
    area_col = column_label(sheet, area_j, cell_at(header.cells, area_j))
    source = ctx.options.source or ""
    obs: list[Obs] = []
    notes: list[str] = []
    current_area: object = ""
    current_group: object = None if layout.group_j is None else ""
    data_seen = False
    for row_no, row in body:
        if all(is_blank(c) for c in row):
            continue
        if all(is_blank(cell_at(row, j)) for j in header.value_columns):
            if data_seen:
                notes.append(" ".join(cell_text(c) for c in row if cell_text(c)))
            elif not is_blank(cell_at(row, area_j)):
                current_area = cell_at(row, area_j)
            continue
        if notes:
            ctx.problems.append(
                warning(
                    sheet.name,
                    row_no,
                    "",
                    notes[-1],
                    "Rader efter tabellens fotnoter läses inte.",
                    "Lägg bara en tabell per fil.",
                )
            )
            break
        data_seen = True
        new_area = not is_blank(cell_at(row, area_j))
        if new_area:
            current_area = cell_at(row, area_j)
        if layout.group_j is not None:
            # PxWeb writes a label once for the rows under it: a blank group continues the one above, unless the
            # row starts a new area (then it is the area's total).
            cell = cell_at(row, layout.group_j)
            current_group = cell if not is_blank(cell) or new_area else current_group
        area = ctx.resolve_area(sheet.name, row_no, area_col, current_area)
        keys = layout.row_keys(sheet, row_no, row, area, source, current_group)
        obs.extend(row_observations(ctx, sheet, keys, header.value_cells(sheet, row)))
    return obs, notes


def _stated_source(notes: list[str]) -> str:
    """The source a footnote states ('Källa: SCB'), or ''."""
    return next((n.split(":", 1)[1].strip() for n in notes if normalise(n).startswith("kalla") and ":" in n), "")


def _no_area_column(sheet: RawSheet, header: _TableHeader, ctx: ReadContext) -> None:
    """Report a table without a column of area names."""
    ctx.problems.append(
        error(
            sheet.name,
            sheet.excel_row(header.index),
            "",
            "",
            "Kolumnen med områden hittades inte.",
            "Tabellen behöver en kolumn med områdesnamn till vänster om årskolumnerna.",
        )
    )


def _no_header(sheet: RawSheet, ctx: ReadContext) -> None:
    """Report a table without a header row of years (or År and Värde)."""
    ctx.problems.append(
        whole_sheet(
            error,
            sheet.name,
            "Ingen rubrikrad med årtal hittades i tabellen.",
            "Tabellen behöver en rad med årtal som kolumnrubriker (2019, 2020, …) eller kolumnerna År och Värde. "
            "Eller använd mallen med bladet Data.",
        )
    )


def read_exported_table(sheet: RawSheet, ctx: ReadContext, info: ReadInfo) -> pd.DataFrame | None:
    """Observations from a single table exported as is from SCB, PxWeb or Kolada, or None when it cannot be read."""
    info.layout = LAYOUT_EXPORT
    header = _locate_header(sheet)
    info.title = _title(sheet, header)
    if header is None:
        _no_header(sheet, ctx)
        return None
    chosen = _chosen_indicator_and_sex(sheet, ctx, info)
    if chosen is None:
        return None
    body = [
        (sheet.excel_row(i), row)
        for i, row in enumerate(sheet.rows.iter_from(header.index + 1), start=header.index + 1)
    ]
    roles = _column_roles(header, body, ctx)
    if roles.area_j is None:
        _no_area_column(sheet, header, ctx)
        return None
    obs, notes = _read_body(sheet, _Layout(header, roles.area_j, roles.sex_j, roles.group_j, *chosen), body, ctx)
    fallback = (_stated_source(notes)[:MAX_SHORT_TEXT] or f"Import av {info.title or 'tabell'}")[:MAX_SHORT_TEXT]
    for o in obs:
        o.source = o.source or fallback
    info.data_rows = len({o.row for o in obs})
    if not obs and not has_errors(ctx.problems):
        ctx.problems.append(
            whole_sheet(error, sheet.name, "Tabellen har inga datarader.", "Kontrollera att filen innehåller värden.")
        )
    check_observations(sheet.name, obs, ctx)
    return observations_frame(obs)
