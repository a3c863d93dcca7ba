"""Turning a read workbook into a Dataset, with every problem reported and nothing half-done.

Three layouts are understood: the template's `Data` sheet in long format, the same in wide
format (one column per year), and a single table exported from SCB, PxWeb or Kolada where the
user names the indicator (and sex) the table holds. The optional sheets `Indikatorer`,
`Områden`, `Planer`, `Åtgärder`, `Uppföljning`, `Mål` and `Områdestexter` are read when present, each
by the one sheet reader (`sheets.read_sheet`) driven by its spec and record builder.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core.model import Dataset, make_dataset
from analysis.ingest.catalogue_sheets import AREAS, INDICATORS
from analysis.ingest.cells import is_blank
from analysis.ingest.context import (
    LAYOUT_EXPORT,
    LAYOUT_LONG,
    LAYOUT_WIDE,
    ReadContext,
    ReadInfo,
    ReadOptions,
)
from analysis.ingest.contract import DATA_SHEET, INSTRUCTIONS_SHEET, LISTS_SHEET, MAX_SHORT_TEXT, sheet_for_name
from analysis.ingest.excel import RawSheet, RawWorkbook
from analysis.ingest.exported import read_exported_table
from analysis.ingest.fetch_spec import FETCHES
from analysis.ingest.names import normalise
from analysis.ingest.observations import read_template_data
from analysis.ingest.plan import ACTIONS, FOLLOWUPS, PLANS, TARGETS, TEXTS
from analysis.ingest.problems import Problem, error, has_errors, warning
from analysis.ingest.sheets import (
    HEADER_SEARCH_ROWS,
    Header,
    SheetReader,
    find_header,
    head_rows,
    read_sheet,
    whole_sheet,
)

__all__ = [
    "LAYOUT_EXPORT",
    "LAYOUT_LONG",
    "LAYOUT_WIDE",
    "ReadInfo",
    "ReadOptions",
    "ReadResult",
    "parse_tables",
    "parse_workbook",
    "with_sources",
]

MAX_PROBLEMS = 500

# The contract sheets in the order they are read: the catalogue before Data (whose rows name its areas and
# indicators), the plan after it (Planer before Åtgärder, whose Plan column names its versions; Uppföljning after
# Åtgärder, whose actions it follows up).
CATALOGUE_READERS: tuple[SheetReader, ...] = (AREAS, INDICATORS)
PLAN_READERS: tuple[SheetReader, ...] = (PLANS, ACTIONS, FOLLOWUPS, TARGETS, TEXTS, FETCHES)
_NOT_DATA = {normalise(INSTRUCTIONS_SHEET), normalise(LISTS_SHEET)}  # the template's own sheets


@dataclass
class ReadResult:
    """The dataset read from a file (None when it has errors), the problems and what was found."""

    dataset: Dataset | None
    problems: list[Problem]
    info: ReadInfo

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import."""
        return self.dataset is not None and not has_errors(self.problems)


def parse_workbook(raw: RawWorkbook, known: Dataset, options: ReadOptions | None = None) -> ReadResult:
    """The dataset a read workbook holds, checked against what is already known, sources filled in."""
    return with_sources(parse_tables(raw, known, options), known.observations, raw.file_name, options)


def with_sources(
    read: ReadResult, stored: pd.DataFrame, file_name: str, options: ReadOptions | None = None
) -> ReadResult:
    """The read result with empty sources filled: an unchanged value keeps its stored source, others get the file."""
    if read.dataset is None or not len(read.dataset.observations):
        return read
    options = options or ReadOptions()
    default = options.source or (f"Uppladdad fil: {file_name}" if file_name else "Uppladdad fil")
    observations = _inherit_sources(read.dataset.observations, stored, default[:MAX_SHORT_TEXT])
    return ReadResult(read.dataset.with_table("observations", observations), read.problems, read.info)


def _sort_sheets(raw: RawWorkbook, ctx: ReadContext) -> tuple[dict[str, RawSheet], list[RawSheet]]:
    """The visible contract sheets by table, and the other visible sheets (hidden and repeated ones reported)."""
    by_table: dict[str, RawSheet] = {}
    others: list[RawSheet] = []
    for sheet in raw.sheets:
        spec = sheet_for_name(sheet.name)
        if not sheet.visible:
            if spec is not None:
                ctx.problems.append(
                    whole_sheet(
                        warning,
                        sheet.name,
                        "Bladet är dolt och läses inte.",
                        "Gör bladet synligt i Excel om det ska importeras.",
                    )
                )
        elif spec is None:
            if normalise(sheet.name) not in _NOT_DATA:
                others.append(sheet)
        elif spec.table in by_table:
            ctx.problems.append(
                whole_sheet(error, sheet.name, f"Det finns två blad för {spec.name}.", "Slå ihop bladen till ett.")
            )
        else:
            by_table[spec.table] = sheet
    return by_table, others


def _read_contract_sheets(
    readers: tuple[SheetReader, ...], by_table: dict[str, RawSheet], ctx: ReadContext, info: ReadInfo
) -> dict[str, pd.DataFrame | None]:
    """The tables of those contract sheets the workbook has, read in the readers' order."""
    tables: dict[str, pd.DataFrame | None] = {}
    for reader in readers:
        sheet = by_table.get(reader.spec.table)
        if sheet is not None:
            tables[reader.spec.table] = read_sheet(reader, sheet, ctx)
            info.sheets.append(sheet.name)
    return tables


def _renamed_data_sheet(
    raw: RawWorkbook, by_table: dict[str, RawSheet], others: list[RawSheet], ctx: ReadContext
) -> tuple[RawSheet, Header] | None:
    """A sheet with the template's Data headers under another name: it counts as Data (with a warning)."""
    for sheet in others:
        probe: list[Problem] = []
        header = find_header(sheet, DATA_SHEET, probe, allow_years=True)
        if header is None or probe:
            continue
        if len(raw.visible_sheets) > 1 or by_table:
            ctx.problems.append(
                whole_sheet(
                    warning,
                    sheet.name,
                    "Bladet heter inte Data men läses som databladet.",
                    "Döp om bladet till Data.",
                )
            )
        return sheet, header
    return None


def _exported_table_sheet(
    raw: RawWorkbook, others: list[RawSheet], ctx: ReadContext, info: ReadInfo
) -> RawSheet | None:
    """The first sheet holding anything, read as an exported table; None (reported) when every sheet is empty."""
    candidates = [
        s
        for s in others
        if any(not is_blank(c) for row in head_rows(s) for c in row) or len(s.rows) > HEADER_SEARCH_ROWS
    ]
    if not candidates:
        ctx.problems.append(
            whole_sheet(
                error,
                raw.visible_sheets[0].name,
                "Arbetsboken innehåller inga data.",
                "Fyll i bladet Data (hämta mallen) och försök igen.",
            )
        )
        return None
    info.sheets.append(candidates[0].name)
    if len(candidates) > 1:
        ctx.problems.append(
            whole_sheet(
                warning,
                candidates[1].name,
                f"Bara det första bladet ({candidates[0].name}) läses som tabell.",
                "Lägg en tabell per fil.",
            )
        )
    return candidates[0]


def _read_observations(
    raw: RawWorkbook, by_table: dict[str, RawSheet], others: list[RawSheet], ctx: ReadContext, info: ReadInfo
) -> tuple[pd.DataFrame | None, tuple[str, int] | None]:
    """The observations (from Data, a sheet like it, or an exported table) and where the Data header row is."""
    data_sheet = by_table.get("observations")
    header = None
    if data_sheet is None and (renamed := _renamed_data_sheet(raw, by_table, others, ctx)) is not None:
        data_sheet, header = renamed
    if data_sheet is not None:
        info.sheets.append(data_sheet.name)
        if header is None:
            header = find_header(data_sheet, DATA_SHEET, ctx.problems, allow_years=True)
        if header is None:
            return None, None
        return read_template_data(data_sheet, header, ctx, info), (data_sheet.name, data_sheet.excel_row(header.index))
    if by_table:
        return None, None
    table = _exported_table_sheet(raw, others, ctx, info)
    return (read_exported_table(table, ctx, info) if table is not None else None), None


def _with_new_areas(areas: pd.DataFrame | None, ctx: ReadContext) -> pd.DataFrame | None:
    """The read areas plus the areas the user let unknown names create (one row per new name)."""
    if not ctx.new_area_rows:
        return areas
    new = pd.DataFrame(ctx.new_area_rows).drop_duplicates("name")
    return pd.concat([areas, new], ignore_index=True) if areas is not None else new


def _nothing_read_problem(raw: RawWorkbook, data_header: tuple[str, int] | None) -> Problem:
    """The error for a file without data rows: at the Data header row when there is one, else for the file."""
    if data_header is not None:
        return error(
            data_header[0],
            data_header[1],
            "",
            "",
            "Bladet har inga datarader under rubrikraden.",
            "Fyll i minst en rad med Område, Indikator, År och Värde.",
        )
    return whole_sheet(
        error,
        raw.visible_sheets[0].name,
        "Filen innehåller inga datarader.",
        "Fyll i minst en rad på bladet Data och försök igen.",
    )


def parse_tables(raw: RawWorkbook, known: Dataset, options: ReadOptions | None = None) -> ReadResult:
    """The dataset a read workbook holds, checked against the known catalogue (areas, indicators, actions).

    Empty sources stay empty (see `with_sources`), so this needs no stored observations: an upload parsed in a
    child process gets only the small catalogue tables.
    """
    ctx = ReadContext(known, options or ReadOptions())
    info = ReadInfo()
    by_table, others = _sort_sheets(raw, ctx)
    tables = _read_contract_sheets(CATALOGUE_READERS, by_table, ctx, info)
    tables["observations"], data_header = _read_observations(raw, by_table, others, ctx, info)
    tables.update(_read_contract_sheets(PLAN_READERS, by_table, ctx, info))
    tables["areas"] = _with_new_areas(tables.get("areas"), ctx)
    if not any(t is not None and len(t) for t in tables.values()) and not has_errors(ctx.problems):
        ctx.problems.append(_nothing_read_problem(raw, data_header))
    problems = _capped(ctx.problems)
    if has_errors(problems):
        return ReadResult(None, problems, info)
    return ReadResult(make_dataset(**{k: v for k, v in tables.items() if v is not None}), problems, info)


def _inherit_sources(obs: pd.DataFrame, stored: pd.DataFrame, default_source: str) -> pd.DataFrame:
    """Fill empty sources: an unchanged value keeps its stored source and note, others get the file."""
    empty = obs["source"].astype(str).str.strip() == ""
    if not empty.any():
        return obs
    key = ["area", "indicator", "year", "sex"]
    merged = obs.merge(stored[key + ["value", "source", "note"]], on=key, how="left", suffixes=("", "_stored"))
    new = pd.to_numeric(merged["value"], errors="coerce").astype("float64")
    old = pd.to_numeric(merged["value_stored"], errors="coerce").astype("float64")
    same = (new - old).abs().le(1e-9 * new.abs().clip(lower=1)) | (
        new.isna() & old.isna() & merged["source_stored"].notna()
    )
    keep = empty.to_numpy() & same.fillna(False).to_numpy()
    out = obs.copy()
    out.loc[keep, "source"] = merged.loc[keep, "source_stored"].to_numpy()
    no_note = out["note"].astype(str).str.strip() == ""
    out.loc[keep & no_note.to_numpy(), "note"] = merged.loc[keep & no_note.to_numpy(), "note_stored"].to_numpy()
    out.loc[empty.to_numpy() & ~keep, "source"] = default_source
    return out


def _capped(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS problems (errors first), then one line saying how many more there are."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    ordered = sorted(problems, key=lambda p: not p.is_error)
    kept, rest = ordered[:MAX_PROBLEMS], ordered[MAX_PROBLEMS:]
    n_err = sum(p.is_error for p in rest)
    summary = whole_sheet(
        error if n_err else warning,
        "",
        f"Ytterligare {len(rest)} problem visas inte ({n_err} fel).",
        "Rätta problemen ovan och försök igen; ofta har de samma orsak.",
    )
    return kept + [summary]
