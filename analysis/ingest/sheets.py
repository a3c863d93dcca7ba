"""Reading a contract sheet: its header row, its data rows and checked cells, and one reader for every sheet kind.

A sheet kind is its `SheetSpec` (columns, text limits, keys rows must not repeat) plus a `SheetReader`: the record
(or records) one data row becomes and what the finished table does to the rest of the read. `read_sheet` does the
rest the same way for every kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pandas as pd

from analysis.core.model import TABLE_COLUMNS, TABLE_KEYS
from analysis.ingest.cells import cell_text, is_blank, year_header
from analysis.ingest.context import ReadContext
from analysis.ingest.contract import SheetSpec, field_for_header
from analysis.ingest.excel import RawSheet, column_letter
from analysis.ingest.names import normalise
from analysis.ingest.problems import Problem, error

HEADER_SEARCH_ROWS = 40
_YEAR_AND_VALUE = frozenset({"year", "value"})  # the two Data columns a wide sheet replaces by one column per year


def whole_sheet(level: Callable[..., Problem], sheet: str, message: str, hint: str) -> Problem:
    """A problem about a whole sheet (no row, column or value); `level` is `error` or `warning`."""
    return level(sheet, None, "", "", message, hint)


def cell_at(row: list[object], index: int | None) -> object:
    """The cell at an index of a row, '' beyond its end."""
    if index is None or index >= len(row):
        return ""
    return row[index]


def column_label(sheet: RawSheet, col_index: int, header: object) -> str:
    """The column as a user finds it: Excel letter and header, e.g. 'D (Värde)'."""
    letter = column_letter(sheet.excel_col(col_index))
    head = cell_text(header)
    return f"{letter} ({head})" if head else letter


def head_rows(sheet: RawSheet) -> list[list[object]]:
    """The first rows of a sheet, where headers and titles are looked for."""
    return sheet.rows.head(HEADER_SEARCH_ROWS)


@dataclass
class Header:
    """A located header row: its index, the field of each column and the header texts."""

    index: int
    fields: dict[str, int]
    texts: list[object]
    year_columns: dict[int, int] = field(default_factory=dict)  # column index -> year

    @property
    def is_wide(self) -> bool:
        """True when years stand as columns instead of in År and Värde columns (Data sheet, brett format)."""
        return bool(self.year_columns) and not (_YEAR_AND_VALUE & self.fields.keys())


def _header_of_row(row: list[object], index: int, spec: SheetSpec, allow_years: bool) -> Header:
    """A row read as a header: the first column of every field, and year columns when the sheet may be wide."""
    fields: dict[str, int] = {}
    years: dict[int, int] = {}
    for j, cell in enumerate(row):
        f = field_for_header(spec, cell)
        if f and f not in fields:
            fields[f] = j
        elif allow_years and (y := year_header(cell)) is not None:
            years[j] = y
    return Header(index, fields, list(row), years)


def _likeliest_header(sheet: RawSheet, spec: SheetSpec, allow_years: bool) -> Header | None:
    """The first head row holding every required field (years may stand for År and Värde), else the best match."""
    required = [c.field for c in spec.columns if c.required]
    best: Header | None = None
    best_score = 0
    for i, row in enumerate(head_rows(sheet)):
        candidate = _header_of_row(row, i, spec, allow_years)
        if all(f in candidate.fields for f in required) or (
            candidate.year_columns and all(f in candidate.fields for f in required if f not in _YEAR_AND_VALUE)
        ):
            return candidate
        score = len(candidate.fields) + (1 if candidate.year_columns else 0)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _repeated_columns(sheet: RawSheet, spec: SheetSpec, header: Header) -> list[Problem]:
    """An error for every column whose field an earlier column of the header row already names."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for j, cell in enumerate(header.texts):
        f = field_for_header(spec, cell)
        if f is None:
            continue
        if f not in seen:
            seen[f] = j
            continue
        problems.append(
            error(
                sheet.name,
                sheet.excel_row(header.index),
                column_label(sheet, j, cell),
                cell,
                f"Kolumnen {spec.column(f).header} finns två gånger "
                f"(även i kolumn {column_letter(sheet.excel_col(seen[f]))}).",
                "Ta bort eller byt namn på den ena kolumnen.",
            )
        )
    return problems


def _missing_columns(sheet: RawSheet, spec: SheetSpec, header: Header, allow_years: bool) -> list[Problem]:
    """An error for every required column the header row lacks (År and Värde not, when years are columns)."""
    problems: list[Problem] = []
    for col in spec.columns:
        if not col.required or col.field in header.fields or (header.is_wide and col.field in _YEAR_AND_VALUE):
            continue
        alternatives = f" (eller {', '.join(col.alternatives[:2])})" if col.alternatives else ""
        extra = " – eller en kolumn per år (brett format)" if col.field in _YEAR_AND_VALUE and allow_years else ""
        problems.append(
            error(
                sheet.name,
                sheet.excel_row(header.index),
                col.header,
                "",
                f"Kolumnen {col.header}{alternatives} saknas{extra}.",
                f"Lägg till kolumnen {col.header} i rubrikraden.",
            )
        )
    return problems


def find_header(sheet: RawSheet, spec: SheetSpec, problems: list[Problem], allow_years: bool = False) -> Header | None:
    """The header row of a contract sheet; a missing row, missing required columns and repeats are reported."""
    header = _likeliest_header(sheet, spec, allow_years)
    if header is None:
        hint = f"Första raden ska ha rubrikerna {', '.join(spec.headers)}."
        problems.append(whole_sheet(error, sheet.name, "Rubrikraden hittades inte.", hint))
        return None
    problems.extend(_repeated_columns(sheet, spec, header))
    missing = _missing_columns(sheet, spec, header, allow_years)
    problems.extend(missing)
    return None if missing else header


def formula_problem(sheet: RawSheet, row_no: int, col_index: int, header: object) -> Problem | None:
    """An error when the cell holds an Excel error value or a formula that Excel never computed."""
    where = (row_no, sheet.excel_col(col_index))
    if where in sheet.error_cells:
        return error(
            sheet.name,
            row_no,
            column_label(sheet, col_index, header),
            sheet.error_cells[where],
            f"Cellen innehåller Excel-felet {sheet.error_cells[where]}.",
            "Rätta formeln i Excel eller skriv in värdet.",
        )
    if where in sheet.formula_cells:
        return error(
            sheet.name,
            row_no,
            column_label(sheet, col_index, header),
            "(formel)",
            "Cellen innehåller en formel utan beräknat värde.",
            "Öppna filen i Excel, låt den räkna om och spara, eller klistra in värdena som värden.",
        )
    return None


def choice(raw: object, allowed: tuple[str, ...], aliases: dict[str, str] | None = None) -> str | None:
    """The allowed value a cell names (ignoring case and diacritics), or None."""
    key = normalise(raw)
    for a in allowed:
        if normalise(a) == key:
            return a
    return (aliases or {}).get(key)


@dataclass(slots=True)
class Row:
    """One non-empty data row of a contract sheet, and the problem list its checks report to."""

    sheet: RawSheet
    spec: SheetSpec
    header: Header
    number: int  # the Excel row number
    cells: list[object]
    problems: list[Problem]

    def cell(self, field_name: str) -> object:
        """The raw cell of a field ('' when the sheet has no such column or the row ends before it)."""
        j = self.header.fields.get(field_name)
        return "" if j is None or j >= len(self.cells) else self.cells[j]  # cell_at, inlined: read for every cell

    def label(self, field_name: str, as_written: bool = False) -> str:
        """The field's column for a problem: letter and the contract's header, or the header as the sheet writes it."""
        j = self.header.fields[field_name]
        return column_label(self.sheet, j, self.header.texts[j] if as_written else self.spec.column(field_name).header)

    def error(self, column: str, value: object, message: str, hint: str) -> None:
        """Report an error on this row."""
        self.problems.append(error(self.sheet.name, self.number, column, value, message, hint))

    def text(self, field_name: str) -> str:
        """A text cell; a formula without value or text longer than the column allows is an error (returned empty)."""
        j = self.header.fields.get(field_name)
        if j is None:
            return ""
        formula = formula_problem(self.sheet, self.number, j, self.header.texts[j])
        if formula:
            self.problems.append(formula)
            return ""
        text = cell_text(cell_at(self.cells, j))
        max_len = self.spec.column(field_name).max_len
        if len(text) > max_len:
            self.error(
                column_label(self.sheet, j, self.header.texts[j]),
                text,
                f"Texten är för lång ({len(text)} tecken, högst {max_len}).",
                "Korta texten.",
            )
            return ""
        return text

    def choice(
        self,
        field_name: str,
        allowed: tuple[str, ...],
        message: str,
        aliases: dict[str, str] | None = None,
        blank: str | None = "",
    ) -> str | None:
        """The allowed value a cell names, `blank` for an empty cell, or None with the error reported."""
        raw = self.cell(field_name)
        value = choice(raw, allowed, aliases) if blank is None or not is_blank(raw) else blank
        if value is None:
            self.error(self.label(field_name), raw, message, f"Välj en av {', '.join(allowed)}.")
        return value


def data_rows(sheet: RawSheet, spec: SheetSpec, header: Header, problems: list[Problem]) -> Iterator[Row]:
    """Every non-empty row below the header, one at a time."""
    for i, cells in enumerate(sheet.rows.iter_from(header.index + 1), start=header.index + 1):
        if not all(is_blank(c) for c in cells):
            yield Row(sheet, spec, header, sheet.excel_row(i), cells, problems)


def check_duplicates(sheet: str, keys: list[tuple], rows: list[int], what: str, problems: list[Problem]) -> None:
    """An error for every key that appears on more than one row of a sheet (the key's blank parts not shown)."""
    first: dict[tuple, int] = {}
    for k, row_no in zip(keys, rows):
        if k in first:
            problems.append(
                error(
                    sheet,
                    row_no,
                    "",
                    # An action without a plan has the key (id, ''): shown as the id alone.
                    " | ".join(str(x) for x in k if str(x) != ""),
                    f"{what} finns redan på rad {first[k]}.",
                    "Ta bort den ena raden eller rätta den.",
                )
            )
        else:
            first[k] = row_no


def fill_absent_columns(table: str, frame: pd.DataFrame, present: set[str], known: pd.DataFrame) -> pd.DataFrame:
    """Columns the sheet did not have keep their stored values for keys that already exist."""
    key = list(TABLE_KEYS[table])
    absent = [c for c in frame.columns if c not in present and c not in key]
    if not absent or frame.empty or known.empty:
        return frame
    merged = frame.merge(known[key + absent], on=key, how="left", suffixes=("", "__known"))
    for c in absent:
        merged[c] = merged[f"{c}__known"].where(merged[f"{c}__known"].notna(), merged[c])
    return merged[frame.columns]


Record = dict[str, object]
# What one data row becomes: a record, several records (an action row naming several plans), or None when the row
# has errors (reported).
RowRecords = Record | list[Record] | None


def records_of(found: RowRecords) -> list[Record]:
    """The records a row's record function gave, as a list (none, one or several)."""
    if found is None:
        return []
    return [found] if isinstance(found, dict) else list(found)


@dataclass(frozen=True)
class ReadSheet:
    """A sheet read into its table: the frame, the Excel row each record came from, and the sheet's name."""

    frame: pd.DataFrame
    rows: list[int]
    sheet: str


@dataclass(frozen=True)
class SheetReader:
    """What differs between sheet kinds: the spec, the record a data row becomes, and what the table then does."""

    spec: SheetSpec
    record: Callable[[Row, ReadContext], RowRecords]
    keeps_stored_columns: bool = True  # columns the sheet lacks keep the stored values of existing keys
    finish: Callable[[ReadSheet, ReadContext], None] | None = None  # e.g. make new areas known to later sheets


def read_sheet(reader: SheetReader, sheet: RawSheet, ctx: ReadContext) -> pd.DataFrame | None:
    """A contract sheet as its model table: header, each row's records, repeated keys and absent columns handled."""
    spec = reader.spec
    header = find_header(sheet, spec, ctx.problems)
    if header is None:
        return None
    records: list[Record] = []
    rows: list[int] = []
    for row in data_rows(sheet, spec, header, ctx.problems):
        for record in records_of(reader.record(row, ctx)):
            records.append(record)
            rows.append(row.number)
    for key in spec.unique:
        check_duplicates(sheet.name, [key.of(r) for r in records], rows, key.label, ctx.problems)
    frame = pd.DataFrame(records, columns=list(TABLE_COLUMNS[spec.table]))
    if reader.keeps_stored_columns:
        frame = fill_absent_columns(spec.table, frame, set(header.fields), ctx.known.table(spec.table))
    if reader.finish is not None:
        reader.finish(ReadSheet(frame, rows, sheet.name), ctx)
    return frame
