"""Turning a read workbook into a Dataset, with every problem reported and nothing half-done.

Three layouts are understood: the template's `Data` sheet in long format, the same in wide
format (one column per year), and a single table exported from SCB, PxWeb or Kolada where the
user names the indicator (and sex) the table holds. The optional sheets `Indikatorer`,
`Områden`, `Åtgärder`, `Uppföljning`, `Mål` and `Områdestexter` are read when present.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analysis.core.model import (
    ACTION_STATUSES,
    ACTION_THEMES,
    AREA_TYPES,
    DIRECTIONS,
    GAP_MEASURES,
    GAP_PP,
    HIGHER,
    LOWER,
    NEUTRAL,
    OTHER,
    PERCENT,
    SEX_WORDS,
    TABLE_KEYS,
    THEMES,
    TOTAL,
    UNITS,
    Dataset,
    make_dataset,
    split_list,
)
from analysis.core.units import default_decimals, is_non_negative
from analysis.ingest.cells import (
    cell_text,
    is_blank,
    parse_bool,
    parse_date,
    parse_number,
    parse_year,
    year_header,
)
from analysis.ingest.contract import (
    ACTION_SHEET,
    AREA_SHEET,
    DATA_SHEET,
    FOLLOWUP_SHEET,
    INDICATOR_SHEET,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    TARGET_SHEET,
    TEXT_SHEET,
    SheetSpec,
    field_for_header,
    sheet_for_name,
)
from analysis.ingest.excel import RawSheet, RawWorkbook, column_letter
from analysis.ingest.names import AliasTable, canonical_sex, is_sex_label, normalise, split_code
from analysis.ingest.problems import Problem, error, has_errors, warning

HEADER_SEARCH_ROWS = 40
MAX_PROBLEMS = 500
MAX_SHORT_TEXT = 1_000
MAX_LONG_TEXT = 20_000

LAYOUT_LONG = "mall, långt format"
LAYOUT_WIDE = "mall, brett format"
LAYOUT_EXPORT = "exporterad tabell"

_UNIT_ALIASES = {
    "%": PERCENT,
    "andel": PERCENT,
    "st": "antal",
    "kr": "kronor",
    "sek": "kronor",
    "per 1000 invanare": "per 1 000 invånare",
    "per 1000 inv": "per 1 000 invånare",
    "per 1 000 inv": "per 1 000 invånare",
    "poang": "poäng",
    "dagar per person": "dagar",
}
_DIRECTION_ALIASES = {
    "hogre": HIGHER,
    "hogre ar battre": HIGHER,
    "higher": HIGHER,
    "higher is better": HIGHER,
    "lagre": LOWER,
    "lagre ar battre": LOWER,
    "lower": LOWER,
    "lower is better": LOWER,
    "neutral": NEUTRAL,
    "beskrivande": NEUTRAL,
    "ingen": NEUTRAL,
}
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


@dataclass
class ReadOptions:
    """Choices the user makes for an upload."""

    indicator: str | None = None  # the indicator an exported single table holds
    sex: str | None = None  # the sex an exported single table holds (default Totalt)
    new_areas: bool = False  # unknown areas become new areas of type Övrigt instead of errors
    source: str | None = None  # source for values without one
    today: date | None = None  # the date follow-up years are checked against (default: today)


@dataclass
class ReadInfo:
    """What the reader recognised in the workbook."""

    layout: str = ""
    sheets: list[str] = field(default_factory=list)
    needs_indicator: bool = False
    suggested_indicators: list[str] = field(default_factory=list)
    title: str = ""
    data_rows: int = 0


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


def _column_label(sheet: RawSheet, col_index: int, header: object) -> str:
    """The column as a user finds it: Excel letter and header, e.g. 'D (Värde)'."""
    letter = column_letter(sheet.excel_col(col_index))
    head = cell_text(header)
    return f"{letter} ({head})" if head else letter


def _cell(row: list[object], index: int | None) -> object:
    """The cell at an index of a row, '' beyond its end."""
    if index is None or index >= len(row):
        return ""
    return row[index]


@dataclass
class _Header:
    """A located header row: its index, the field of each column and the header texts."""

    index: int
    fields: dict[str, int]
    texts: list[object]
    year_columns: dict[int, int] = field(default_factory=dict)  # column index -> year


def _find_header(
    sheet: RawSheet, spec: SheetSpec, problems: list[Problem], allow_years: bool = False
) -> _Header | None:
    """The header row of a contract sheet; missing required columns and duplicates are reported."""
    required = [c.field for c in spec.columns if c.required]
    best: _Header | None = None
    best_score = 0
    for i, row in enumerate(_head(sheet)):
        fields: dict[str, int] = {}
        years: dict[int, int] = {}
        for j, cell in enumerate(row):
            f = field_for_header(spec, cell)
            if f and f not in fields:
                fields[f] = j
            elif allow_years and (y := year_header(cell)) is not None:
                years[j] = y
        score = len(fields) + (1 if years else 0)
        if score > best_score:
            best, best_score = _Header(i, fields, list(row), years), score
        if all(f in fields for f in required) or (
            allow_years and years and all(f in fields for f in required if f not in {"year", "value"})
        ):
            best = _Header(i, fields, list(row), years)
            break
    if best is None:
        problems.append(
            error(
                sheet.name,
                None,
                "",
                "",
                "Rubrikraden hittades inte.",
                f"Första raden ska ha rubrikerna {', '.join(spec.headers)}.",
            )
        )
        return None
    seen: dict[str, int] = {}
    for j, cell in enumerate(best.texts):
        f = field_for_header(spec, cell)
        if f is None:
            continue
        if f in seen:
            problems.append(
                error(
                    sheet.name,
                    sheet.excel_row(best.index),
                    _column_label(sheet, j, cell),
                    cell,
                    f"Kolumnen {spec.column(f).header} finns två gånger "
                    f"(även i kolumn {column_letter(sheet.excel_col(seen[f]))}).",
                    "Ta bort eller byt namn på den ena kolumnen.",
                )
            )
        else:
            seen[f] = j
    wide = allow_years and best.year_columns and not ({"year", "value"} & best.fields.keys())
    missing = [f for f in required if f not in best.fields and not (wide and f in {"year", "value"})]
    for f in missing:
        col = spec.column(f)
        alternatives = f" (eller {', '.join(col.alternatives[:2])})" if col.alternatives else ""
        extra = " – eller en kolumn per år (brett format)" if f in {"year", "value"} and allow_years else ""
        problems.append(
            error(
                sheet.name,
                sheet.excel_row(best.index),
                col.header,
                "",
                f"Kolumnen {col.header}{alternatives} saknas{extra}.",
                f"Lägg till kolumnen {col.header} i rubrikraden.",
            )
        )
    if missing:
        return None
    return best


def _head(sheet: RawSheet) -> list[list[object]]:
    """The first rows of a sheet, where headers and titles are looked for."""
    return sheet.rows.head(HEADER_SEARCH_ROWS)


def _data_rows(sheet: RawSheet, header: _Header) -> Iterator[tuple[int, list[object]]]:
    """(Excel row number, cells) of every non-empty row below the header, one at a time."""
    for i, row in enumerate(sheet.rows.iter_from(header.index + 1), start=header.index + 1):
        if not all(is_blank(c) for c in row):
            yield sheet.excel_row(i), row


def _text_field(
    sheet: RawSheet,
    header: _Header,
    row_no: int,
    row: list[object],
    f: str,
    problems: list[Problem],
    max_len: int = MAX_SHORT_TEXT,
) -> str:
    """A text cell of a data row; over-long text is an error (reported, returned empty)."""
    j = header.fields.get(f)
    if j is None:
        return ""
    formula = _formula_problem(sheet, row_no, j, header.texts[j])
    if formula:
        problems.append(formula)
        return ""
    text = cell_text(_cell(row, j))
    if len(text) > max_len:
        problems.append(
            error(
                sheet.name,
                row_no,
                _column_label(sheet, j, header.texts[j]),
                text,
                f"Texten är för lång ({len(text)} tecken, högst {max_len}).",
                "Korta texten.",
            )
        )
        return ""
    return text


def _formula_problem(sheet: RawSheet, row_no: int, col_index: int, header: object) -> Problem | None:
    """An error when the cell holds an Excel error value or a formula that Excel never computed."""
    where = (row_no, sheet.excel_col(col_index))
    if where in sheet.error_cells:
        return error(
            sheet.name,
            row_no,
            _column_label(sheet, col_index, header),
            sheet.error_cells[where],
            f"Cellen innehåller Excel-felet {sheet.error_cells[where]}.",
            "Rätta formeln i Excel eller skriv in värdet.",
        )
    if where in sheet.formula_cells:
        return error(
            sheet.name,
            row_no,
            _column_label(sheet, col_index, header),
            "(formel)",
            "Cellen innehåller en formel utan beräknat värde.",
            "Öppna filen i Excel, låt den räkna om och spara, eller klistra in värdena som värden.",
        )
    return None


def _choice(raw: object, allowed: tuple[str, ...], aliases: dict[str, str] | None = None) -> str | None:
    """The allowed value a cell names (ignoring case and diacritics), or None."""
    key = normalise(raw)
    for a in allowed:
        if normalise(a) == key:
            return a
    return (aliases or {}).get(key)


def _closest_hint(candidates: list[str], what: str) -> str:
    """A hint naming the closest known values."""
    if candidates:
        return f"Menade du {' eller '.join(candidates)}?"
    return f"Kontrollera stavningen eller lägg till {what}."


def _cached_lookup(cache: dict[str, str | None], table: AliasTable, text: str) -> str | None:
    """An alias-table lookup remembered per raw text (files repeat the same names on every row)."""
    if text not in cache:
        cache[text] = table.lookup(text)
    return cache[text]


class _Context:
    """The state one workbook read builds up: known plus newly defined areas and indicators."""

    def __init__(self, known: Dataset, options: ReadOptions):
        self.known = known
        self.options = options
        self.problems: list[Problem] = []
        self.areas = known.areas.copy()
        self.indicators = known.indicators.copy()
        self.new_area_rows: list[dict] = []
        self.workbook_actions: pd.DataFrame | None = None
        # Action ids a follow-up may name: the stored ones plus those the workbook's Åtgärder sheet defines.
        self.actions: dict[str, str] = {}
        for row in known.actions.itertuples(index=False):
            self.define_action(str(row.id), str(row.title))
        self._area_cache: dict[str, str | None] = {}
        self._indicator_cache: dict[str, str | None] = {}
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the alias tables after areas or indicators were added."""
        self.area_table = AliasTable.for_areas(self.areas)
        self.indicator_table = AliasTable.for_indicators(self.indicators)
        self.units = dict(zip(self.indicators["id"], self.indicators["unit"]))
        self._area_cache = {}
        self._indicator_cache = {}

    def define_action(self, action_id: str, title: str = "") -> None:
        """Make an action id (and its title, when not already taken) usable on the Uppföljning sheet."""
        if not action_id:
            return
        self.actions[normalise(action_id)] = action_id
        if title and normalise(title) not in self.actions:
            self.actions[normalise(title)] = action_id

    def resolve_action(self, sheet: RawSheet, row_no: int, col: str, raw: object) -> str | None:
        """The action id a cell names (id or title), reporting unknown ones with the closest ids."""
        text = cell_text(raw)
        if not text:
            self.problems.append(
                error(sheet.name, row_no, col, "", "Åtgärden saknas.", "Fyll i åtgärdens id, t.ex. A01.")
            )
            return None
        found = self.actions.get(normalise(text))
        if found:
            return found
        key = normalise(text)
        scored = sorted(
            ((difflib.SequenceMatcher(None, key, normalise(i)).ratio(), i) for i in set(self.actions.values())),
            key=lambda hit: (-hit[0], hit[1]),
        )
        hint = _closest_hint([i for ratio, i in scored if ratio >= 0.5][:3], "åtgärden på bladet Åtgärder")
        self.problems.append(error(sheet.name, row_no, col, text, "Okänd åtgärd.", hint))
        return None

    def resolve_area(self, sheet: RawSheet, row_no: int, col: str, raw: object) -> str | None:
        """The canonical area for a cell, reporting unknown names with the closest known ones."""
        text = cell_text(raw)
        if not text:
            self.problems.append(error(sheet.name, row_no, col, "", "Området saknas.", "Fyll i områdets namn."))
            return None
        found = _cached_lookup(self._area_cache, self.area_table, text)
        if found:
            return found
        if self.options.new_areas:
            code, name = split_code(text)
            name = name or text
            if len(name) > 200:
                self.problems.append(
                    error(sheet.name, row_no, col, text, "Områdesnamnet är för långt.", "Korta namnet.")
                )
                return None
            self.new_area_rows.append({"name": name, "type": OTHER, "code": code, "aliases": ""})
            self.areas = pd.concat([self.areas, pd.DataFrame([self.new_area_rows[-1]])], ignore_index=True)
            self.refresh()
            self.problems.append(
                warning(
                    sheet.name,
                    row_no,
                    col,
                    text,
                    f"Nytt område läggs till med typen {OTHER}.",
                    "Ändra typen på bladet Områden om det behövs.",
                )
            )
            return name
        self.problems.append(
            error(
                sheet.name,
                row_no,
                col,
                text,
                "Okänt område.",
                _closest_hint(self.area_table.closest(text), "området på bladet Områden"),
            )
        )
        return None

    def resolve_indicator(self, sheet: RawSheet, row_no: int, col: str, raw: object) -> str | None:
        """The indicator id for a cell (id or name), reporting unknown ones with the closest."""
        text = cell_text(raw)
        if not text:
            self.problems.append(
                error(sheet.name, row_no, col, "", "Indikatorn saknas.", "Fyll i indikatorns id eller namn.")
            )
            return None
        found = _cached_lookup(self._indicator_cache, self.indicator_table, text)
        if found:
            return found
        self.problems.append(
            error(
                sheet.name,
                row_no,
                col,
                text,
                "Okänd indikator.",
                _closest_hint(self.indicator_table.closest(text), "indikatorn på bladet Indikatorer"),
            )
        )
        return None


def _fill_absent_columns(table: str, frame: pd.DataFrame, present: set[str], known: pd.DataFrame) -> pd.DataFrame:
    """Columns the sheet did not have keep their stored values for keys that already exist."""
    key = list(TABLE_KEYS[table])
    absent = [c for c in frame.columns if c not in present and c not in key]
    if not absent or frame.empty or known.empty:
        return frame
    merged = frame.merge(known[key + absent], on=key, how="left", suffixes=("", "__known"))
    for c in absent:
        merged[c] = merged[f"{c}__known"].where(merged[f"{c}__known"].notna(), merged[c])
    return merged[frame.columns]


def _check_duplicates(sheet: RawSheet, keys: list[tuple], rows: list[int], what: str, problems: list[Problem]) -> None:
    """An error for every key that appears on more than one row of a sheet."""
    first: dict[tuple, int] = {}
    for k, row_no in zip(keys, rows):
        if k in first:
            problems.append(
                error(
                    sheet.name,
                    row_no,
                    "",
                    " | ".join(str(x) for x in k),
                    f"{what} finns redan på rad {first[k]}.",
                    "Ta bort den ena raden eller rätta den.",
                )
            )
        else:
            first[k] = row_no


# --- Områden -------------------------------------------------------------------------------


def _read_areas(sheet: RawSheet, ctx: _Context) -> pd.DataFrame | None:
    """The Områden sheet as an areas frame; new areas become known for the other sheets."""
    header = _find_header(sheet, AREA_SHEET, ctx.problems)
    if header is None:
        return None
    records, rows = [], []
    for row_no, row in _data_rows(sheet, header):
        name = _text_field(sheet, header, row_no, row, "name", ctx.problems, 200)
        if not name:
            ctx.problems.append(error(sheet.name, row_no, "Område", "", "Områdets namn saknas.", "Fyll i namnet."))
            continue
        raw_type = _cell(row, header.fields["type"])
        kind = _choice(raw_type, AREA_TYPES)
        if kind is None:
            ctx.problems.append(
                error(
                    sheet.name,
                    row_no,
                    _column_label(sheet, header.fields["type"], "Typ"),
                    raw_type,
                    "Okänd områdestyp.",
                    f"Välj en av {', '.join(AREA_TYPES)}.",
                )
            )
            continue
        records.append(
            {
                "name": name,
                "type": kind,
                "code": _text_field(sheet, header, row_no, row, "code", ctx.problems, 50),
                "aliases": ";".join(split_list(_text_field(sheet, header, row_no, row, "aliases", ctx.problems))),
            }
        )
        rows.append(row_no)
    _check_duplicates(sheet, [(normalise(r["name"]),) for r in records], rows, "Området", ctx.problems)
    frame = pd.DataFrame(records, columns=["name", "type", "code", "aliases"])
    frame = _fill_absent_columns("areas", frame, set(header.fields), ctx.known.areas)
    # Every name, code and alias must point at one area only.
    owner: dict[str, str] = {}
    for r, row_no in zip(frame.itertuples(index=False), rows):
        for alias in [r.name, r.code, *split_list(r.aliases)]:
            key = normalise(alias)
            if not key:
                continue
            if key in owner and owner[key] != r.name:
                ctx.problems.append(
                    error(
                        sheet.name,
                        row_no,
                        "Alias",
                        alias,
                        f"Namnet eller aliaset används redan för området {owner[key]}.",
                        "Ett alias får bara höra till ett område.",
                    )
                )
            owner[key] = r.name
    merged = pd.concat([ctx.areas[~ctx.areas["name"].isin(frame["name"])], frame], ignore_index=True)
    ctx.areas = merged
    ctx.refresh()
    return frame


# --- Indikatorer ---------------------------------------------------------------------------


def _read_comparison_rule(
    sheet: RawSheet, header: _Header, row_no: int, row: list, rec: dict[str, object], ctx: _Context
) -> bool:
    """The catalogue's comparison columns of one row (gap measure, unchanged threshold, sex words); False on errors."""
    ok = True
    measure = (
        _choice(_cell(row, header.fields["gap_measure"]), GAP_MEASURES, None) if "gap_measure" in header.fields else ""
    )
    raw = _cell(row, header.fields["gap_measure"]) if "gap_measure" in header.fields else None
    if measure is None and not is_blank(raw):
        ctx.problems.append(
            error(
                sheet.name,
                row_no,
                _column_label(sheet, header.fields["gap_measure"], "Skillnad mäts i"),
                raw,
                "Okänt sätt att mäta skillnaden.",
                f"Välj en av {', '.join(GAP_MEASURES)} eller lämna tomt.",
            )
        )
        ok = False
    elif measure == GAP_PP and rec.get("unit") not in (None, PERCENT):
        ctx.problems.append(
            error(
                sheet.name,
                row_no,
                _column_label(sheet, header.fields["gap_measure"], "Skillnad mäts i"),
                raw,
                "Procentenheter går bara för indikatorer i procent.",
                "Välj enhet eller procent, eller lämna tomt.",
            )
        )
        ok = False
    rec["gap_measure"] = measure or ""
    if "threshold" in header.fields and not is_blank(raw := _cell(row, header.fields["threshold"])):
        num = parse_number(raw)
        if num.value is None or not num.value > 0:
            ctx.problems.append(
                error(
                    sheet.name,
                    row_no,
                    _column_label(sheet, header.fields["threshold"], "Oförändrat-gräns"),
                    raw,
                    "Gränsen för oförändrat ska vara ett tal större än 0.",
                    "Skriv t.ex. 1 (procentenheter för procent, annars procent av nivån).",
                )
            )
            ok = False
        else:
            rec["threshold"] = float(num.value)
    raw = _cell(row, header.fields["sex_words"]) if "sex_words" in header.fields else None
    words = _choice(raw, SEX_WORDS, None) if not is_blank(raw) else ""
    if words is None:
        ctx.problems.append(
            error(
                sheet.name,
                row_no,
                _column_label(sheet, header.fields["sex_words"], "Kön i meningar"),
                raw,
                "Okänt värde för kön i meningar.",
                f"Välj en av {', '.join(SEX_WORDS)}.",
            )
        )
        ok = False
    rec["sex_words"] = words or ""
    return ok


def _read_indicators(sheet: RawSheet, ctx: _Context) -> pd.DataFrame | None:
    """The Indikatorer sheet as a catalogue frame; new indicators become usable on Data."""
    header = _find_header(sheet, INDICATOR_SHEET, ctx.problems)
    if header is None:
        return None
    records, rows = [], []
    for row_no, row in _data_rows(sheet, header):
        rec: dict[str, object] = {}
        ok = True
        rec["id"] = _text_field(sheet, header, row_no, row, "id", ctx.problems, 80)
        rec["name"] = _text_field(sheet, header, row_no, row, "name", ctx.problems, 200)
        for f, label in (("id", "Id"), ("name", "Namn")):
            if not rec[f]:
                ctx.problems.append(
                    error(sheet.name, row_no, label, "", f"{label} saknas.", f"Fyll i {label.lower()}.")
                )
                ok = False
        for f, allowed, aliases, label in (
            ("theme", THEMES, None, "Tema"),
            ("unit", UNITS, _UNIT_ALIASES, "Enhet"),
            ("direction", DIRECTIONS, _DIRECTION_ALIASES, "Riktning"),
        ):
            raw = _cell(row, header.fields[f])
            value = _choice(raw, allowed, aliases)
            if value is None:
                ctx.problems.append(
                    error(
                        sheet.name,
                        row_no,
                        _column_label(sheet, header.fields[f], label),
                        raw,
                        f"Okänt värde för {label.lower()}.",
                        f"Välj en av {', '.join(allowed)}.",
                    )
                )
                ok = False
            rec[f] = value
        rec["definition"] = _text_field(sheet, header, row_no, row, "definition", ctx.problems, MAX_LONG_TEXT)
        rec["source"] = _text_field(sheet, header, row_no, row, "source", ctx.problems)
        rec["comparability"] = _text_field(sheet, header, row_no, row, "comparability", ctx.problems, MAX_LONG_TEXT)
        rec["definite"] = _text_field(sheet, header, row_no, row, "definite", ctx.problems, 200)
        if "decimals" in header.fields and not is_blank(raw := _cell(row, header.fields["decimals"])):
            num = parse_number(raw)
            if num.value is None or not num.value.is_integer() or not 0 <= num.value <= 4:
                ctx.problems.append(
                    error(
                        sheet.name,
                        row_no,
                        _column_label(sheet, header.fields["decimals"], "Decimaler"),
                        raw,
                        "Decimaler ska vara ett heltal 0–4.",
                        "Skriv 0, 1, 2, 3 eller 4.",
                    )
                )
                ok = False
            else:
                rec["decimals"] = int(num.value)
        if "decimals" not in rec:
            rec["decimals"] = default_decimals(str(rec.get("unit", "")))
        ok = _read_comparison_rule(sheet, header, row_no, row, rec, ctx) and ok
        flag = parse_bool(_cell(row, header.fields.get("key_figure"))) if "key_figure" in header.fields else False
        if flag is None:
            ctx.problems.append(
                error(
                    sheet.name,
                    row_no,
                    "Nyckeltal",
                    _cell(row, header.fields["key_figure"]),
                    "Nyckeltal ska vara Ja eller Nej.",
                    "Skriv Ja eller Nej.",
                )
            )
            ok = False
        rec["key_figure"] = bool(flag)
        if ok:
            records.append(rec)
            rows.append(row_no)
    _check_duplicates(sheet, [(normalise(r["id"]),) for r in records], rows, "Indikatorns id", ctx.problems)
    _check_duplicates(sheet, [(normalise(r["name"]),) for r in records], rows, "Indikatorns namn", ctx.problems)
    frame = pd.DataFrame(records, columns=[c for c in ctx.known.indicators.columns])
    present = set(header.fields) | {"id"}
    if "decimals" not in header.fields:
        present.discard("decimals")
    frame = _fill_absent_columns("indicators", frame, present, ctx.known.indicators)
    ctx.indicators = pd.concat([ctx.indicators[~ctx.indicators["id"].isin(frame["id"])], frame], ignore_index=True)
    ctx.refresh()
    return frame


# --- Observations --------------------------------------------------------------------------


@dataclass
class _Obs:
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


def _observation(
    ctx: _Context,
    sheet: RawSheet,
    row_no: int,
    area: str | None,
    indicator: str | None,
    year_cell: object,
    year_col: str,
    value_cell: object,
    value_index: int,
    value_header: object,
    sex_cell: object,
    sex_col: str,
    source: str,
    note: str,
    year: int | None = None,
) -> _Obs | None:
    """One checked observation from its cells, or None with the problems recorded."""
    problems = ctx.problems
    ok = area is not None and indicator is not None
    if year is None:
        year, why = parse_year(year_cell)
        if year is None:
            problems.append(
                error(
                    sheet.name,
                    row_no,
                    year_col,
                    year_cell,
                    why or "Årtalet saknas.",
                    "Skriv årtalet med fyra siffror, t.ex. 2023 (formatera cellen som Tal).",
                )
            )
            ok = False
    sex = canonical_sex(sex_cell)
    if sex is None:
        problems.append(error(sheet.name, row_no, sex_col, sex_cell, "Okänt kön.", "Skriv Totalt, Kvinnor eller Män."))
        ok = False
    value_col = _column_label(sheet, value_index, value_header)
    formula = _formula_problem(sheet, row_no, value_index, value_header)
    if formula:
        problems.append(formula)
        return None
    num = parse_number(value_cell)
    if num.error:
        problems.append(error(sheet.name, row_no, value_col, value_cell, num.error, num.hint))
        return None
    if not ok:
        return None
    unit = ctx.units.get(indicator, "")
    v = num.value
    if v is not None:
        if unit == PERCENT and not 0 <= v <= 100:
            problems.append(
                error(
                    sheet.name,
                    row_no,
                    value_col,
                    value_cell,
                    "Procentvärdet ligger utanför 0–100.",
                    "Ange procent som 0–100, t.ex. 18,9 för 18,9 %.",
                )
            )
            return None
        if is_non_negative(unit) and v < 0:
            problems.append(
                error(
                    sheet.name,
                    row_no,
                    value_col,
                    value_cell,
                    f"Värdet är negativt men enheten är {unit}.",
                    "Kontrollera tecknet på värdet.",
                )
            )
            return None
    if num.missing_note:
        note = f"{num.missing_note}. {note}".strip() if note else num.missing_note
    return _Obs(area, indicator, year, sex, v, source, note, row_no, value_col, num.percent_sign)


def _check_observations(sheet_name: str, obs: list[_Obs], ctx: _Context) -> None:
    """Checks that need all rows: duplicate keys, and percentages given as shares 0–1."""
    first: dict[tuple, _Obs] = {}
    for o in obs:
        key = (o.area, o.indicator, o.year, o.sex)
        if key in first:
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
        else:
            first[key] = o
    by_indicator: dict[str, list[_Obs]] = {}
    for o in obs:
        if ctx.units.get(o.indicator) == PERCENT and o.value is not None and not o.percent_sign:
            by_indicator.setdefault(o.indicator, []).append(o)
    for indicator, items in by_indicator.items():
        values = [o.value for o in items]
        if max(values) <= 1 and max(values) > 0:
            first_row = min(o.row for o in items)
            ctx.problems.append(
                error(
                    sheet_name,
                    first_row,
                    items[0].column,
                    f"{len(items)} värden mellan 0 och 1",
                    f"Alla värden för {indicator} ligger mellan 0 och 1. Indikatorn mäts i procent (0–100), "
                    "så värdena ser ut att vara andelar och skulle bli 100 gånger för små.",
                    "Multiplicera med 100 (0,189 blir 18,9). Är värdena verkligen under 1 procent: "
                    "skriv dem med procenttecken, t.ex. 0,8 %.",
                )
            )


def _to_frame(obs: list[_Obs]) -> pd.DataFrame:
    """Observations as a frame in the model's columns."""
    return pd.DataFrame(
        [(o.area, o.indicator, o.year, o.sex, o.value, o.source, o.note) for o in obs],
        columns=["area", "indicator", "year", "sex", "value", "source", "note"],
    )


def _read_template_data(sheet: RawSheet, ctx: _Context, info: ReadInfo, header: _Header) -> pd.DataFrame | None:
    """Observations from a Data sheet in long or wide format."""
    f = header.fields
    wide = not ({"year", "value"} <= f.keys())
    info.layout = LAYOUT_WIDE if wide else LAYOUT_LONG
    obs: list[_Obs] = []
    default_source = ctx.options.source or ""
    area_col = _column_label(sheet, f["area"], header.texts[f["area"]])
    ind_col = _column_label(sheet, f["indicator"], header.texts[f["indicator"]])
    sex_col = _column_label(sheet, f["sex"], header.texts[f["sex"]]) if "sex" in f else "Kön"
    year_col = _column_label(sheet, f["year"], header.texts[f["year"]]) if "year" in f else "År"
    n_rows = 0
    for row_no, row in _data_rows(sheet, header):
        n_rows += 1
        area = ctx.resolve_area(sheet, row_no, area_col, _cell(row, f["area"]))
        indicator = ctx.resolve_indicator(sheet, row_no, ind_col, _cell(row, f["indicator"]))
        sex_cell = _cell(row, f.get("sex"))
        source = _text_field(sheet, header, row_no, row, "source", ctx.problems) or default_source
        note = _text_field(sheet, header, row_no, row, "note", ctx.problems)
        if wide:
            for j, year in header.year_columns.items():
                o = _observation(
                    ctx,
                    sheet,
                    row_no,
                    area,
                    indicator,
                    year,
                    "",
                    _cell(row, j),
                    j,
                    header.texts[j],
                    sex_cell,
                    sex_col,
                    source,
                    note,
                    year=year,
                )
                if o:
                    obs.append(o)
        else:
            o = _observation(
                ctx,
                sheet,
                row_no,
                area,
                indicator,
                _cell(row, f["year"]),
                year_col,
                _cell(row, f["value"]),
                f["value"],
                header.texts[f["value"]],
                sex_cell,
                sex_col,
                source,
                note,
            )
            if o:
                obs.append(o)
    info.data_rows = n_rows
    _check_observations(sheet.name, obs, ctx)
    return _to_frame(obs)


def _is_code_prefixed(text: str) -> bool:
    """True when a label starts with a region code, as SCB and PxWeb write them."""
    return bool(split_code(text)[0])


def _read_exported_table(sheet: RawSheet, ctx: _Context, info: ReadInfo) -> pd.DataFrame | None:
    """Observations from a single table exported as is from SCB, PxWeb or Kolada."""
    info.layout = LAYOUT_EXPORT
    problems = ctx.problems
    # Locate the header: the first row with year columns, or with År and Värde headers.
    header_index, years, year_j, value_j = None, {}, None, None
    for i, row in enumerate(_head(sheet)):
        found = {j: y for j, c in enumerate(row) if j > 0 and (y := year_header(c)) is not None}
        keys = {normalise(c): j for j, c in enumerate(row) if isinstance(c, str)}
        if found:
            header_index, years = i, found
            break
        yj = next((keys[k] for k in ("ar", "year", "tid", "period") if k in keys), None)
        vj = next((keys[k] for k in ("varde", "value", "antal", "andel", "procent") if k in keys), None)
        if yj is not None and vj is not None:
            header_index, year_j, value_j = i, yj, vj
            break
    title_lines = [cell_text(c) for row in _head(sheet)[: header_index or 0] for c in row if cell_text(c)]
    info.title = " ".join(title_lines)[:300]
    if header_index is None:
        problems.append(
            error(
                sheet.name,
                None,
                "",
                "",
                "Ingen rubrikrad med årtal hittades i tabellen.",
                "Tabellen behöver en rad med årtal som kolumnrubriker (2019, 2020, …) eller kolumnerna År och Värde. "
                "Eller använd mallen med bladet Data.",
            )
        )
        return None
    if not ctx.options.indicator:
        info.needs_indicator = True
        guess = ctx.indicator_table.mentioned_in(info.title or sheet.name, n=3)
        info.suggested_indicators = guess
        problems.append(
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
    indicator = ctx.indicator_table.lookup(ctx.options.indicator)
    if indicator is None:
        problems.append(
            error(
                sheet.name,
                None,
                "",
                ctx.options.indicator,
                "Den angivna indikatorn finns inte.",
                _closest_hint(ctx.indicator_table.closest(ctx.options.indicator), "indikatorn i katalogen"),
            )
        )
        return None
    fixed_sex = canonical_sex(ctx.options.sex) if ctx.options.sex else TOTAL
    if fixed_sex is None:
        problems.append(error(sheet.name, None, "", ctx.options.sex, "Okänt kön.", "Ange Totalt, Kvinnor eller Män."))
        return None

    header_row = _head(sheet)[header_index]
    body = [
        (sheet.excel_row(i), row)
        for i, row in enumerate(sheet.rows.iter_from(header_index + 1), start=header_index + 1)
    ]
    value_columns = list(years) if years else [value_j]
    first_value_col = min(value_columns)
    label_cols = [
        j
        for j in range(len(header_row))
        if j not in value_columns and j != year_j and (j < first_value_col or not years)
    ]
    # Roles of label columns from their header, else from their contents.
    area_j, sex_j = None, None
    for j in label_cols:
        key = normalise(_cell(header_row, j))
        if key in _SEX_HEADERS and sex_j is None:
            sex_j = j
        elif key in _AREA_HEADERS and area_j is None:
            area_j = j
    for j in label_cols:
        if j in (area_j, sex_j):
            continue
        cells = [cell_text(_cell(r, j)) for _, r in body[:500] if cell_text(_cell(r, j))]
        if not cells:
            continue
        sex_share = sum(is_sex_label(c) for c in cells) / len(cells)
        area_share = sum(ctx.area_table.lookup(c) is not None or _is_code_prefixed(c) for c in cells) / len(cells)
        if sex_j is None and sex_share >= 0.8:
            sex_j = j
        elif area_j is None and area_share >= 0.5:
            area_j = j
    if area_j is None:
        text_cols = [
            j
            for j in label_cols
            if j != sex_j and any(isinstance(_cell(r, j), str) and cell_text(_cell(r, j)) for _, r in body[:50])
        ]
        area_j = text_cols[0] if text_cols else None
    if area_j is None:
        problems.append(
            error(
                sheet.name,
                sheet.excel_row(header_index),
                "",
                "",
                "Kolumnen med områden hittades inte.",
                "Tabellen behöver en kolumn med områdesnamn till vänster om årskolumnerna.",
            )
        )
        return None

    source = ctx.options.source or ""
    obs: list[_Obs] = []
    current_area: object = ""
    data_seen = False
    notes: list[str] = []
    for row_no, row in body:
        if all(is_blank(c) for c in row):
            continue
        values = [_cell(row, j) for j in value_columns]
        if all(is_blank(v) for v in values):
            if data_seen:
                # Notes below the table: keep a stated source, stop reading data.
                text = " ".join(cell_text(c) for c in row if cell_text(c))
                notes.append(text)
                continue
            if not is_blank(_cell(row, area_j)):
                current_area = _cell(row, area_j)
            continue
        if notes:
            problems.append(
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
        if not is_blank(_cell(row, area_j)):
            current_area = _cell(row, area_j)
        area_col = _column_label(sheet, area_j, _cell(header_row, area_j))
        area = ctx.resolve_area(sheet, row_no, area_col, current_area)
        sex_cell = _cell(row, sex_j) if sex_j is not None else fixed_sex
        sex_col = _column_label(sheet, sex_j, _cell(header_row, sex_j)) if sex_j is not None else "Kön"
        if years:
            for j, year in years.items():
                o = _observation(
                    ctx,
                    sheet,
                    row_no,
                    area,
                    indicator,
                    year,
                    "",
                    _cell(row, j),
                    j,
                    _cell(header_row, j),
                    sex_cell,
                    sex_col,
                    source,
                    "",
                    year=year,
                )
                if o:
                    obs.append(o)
        else:
            o = _observation(
                ctx,
                sheet,
                row_no,
                area,
                indicator,
                _cell(row, year_j),
                _column_label(sheet, year_j, _cell(header_row, year_j)),
                _cell(row, value_j),
                value_j,
                _cell(header_row, value_j),
                sex_cell,
                sex_col,
                source,
                "",
            )
            if o:
                obs.append(o)
    stated = next((n.split(":", 1)[1].strip() for n in notes if normalise(n).startswith("kalla") and ":" in n), "")
    for o in obs:
        if not o.source:
            o.source = stated[:MAX_SHORT_TEXT] or f"Import av {info.title or 'tabell'}"[:MAX_SHORT_TEXT]
    info.data_rows = len({o.row for o in obs})
    if not obs and not has_errors(problems):
        problems.append(
            error(sheet.name, None, "", "", "Tabellen har inga datarader.", "Kontrollera att filen innehåller värden.")
        )
    _check_observations(sheet.name, obs, ctx)
    return _to_frame(obs)


# --- Åtgärder, Mål, Områdestexter -----------------------------------------------------------


def _read_actions(sheet: RawSheet, ctx: _Context) -> pd.DataFrame | None:
    """The Åtgärder sheet as an actions frame."""
    header = _find_header(sheet, ACTION_SHEET, ctx.problems)
    if header is None:
        return None
    f = header.fields
    records, rows = [], []
    for row_no, row in _data_rows(sheet, header):
        rec = {
            name: _text_field(
                sheet,
                header,
                row_no,
                row,
                name,
                ctx.problems,
                MAX_LONG_TEXT if name in ("title", "comment") else MAX_SHORT_TEXT,
            )
            for name in ("id", "title", "responsible", "comment", "source")
        }
        ok = bool(rec["id"] and rec["title"])
        ctx.define_action(rec["id"], rec["title"])
        if not ok:
            ctx.problems.append(
                error(
                    sheet.name,
                    row_no,
                    "Id/Åtgärd",
                    "",
                    "Åtgärdens id eller beskrivning saknas.",
                    "Fyll i både Id och Åtgärd.",
                )
            )
        theme_raw = _cell(row, f.get("theme"))
        theme = _choice(theme_raw, ACTION_THEMES) if not is_blank(theme_raw) else ""
        if theme is None:
            ctx.problems.append(
                error(
                    sheet.name,
                    row_no,
                    _column_label(sheet, f["theme"], "Tema"),
                    theme_raw,
                    "Okänt tema för åtgärden.",
                    f"Välj en av {', '.join(ACTION_THEMES)}.",
                )
            )
            ok = False
        status_raw = _cell(row, f.get("status"))
        status = _choice(status_raw, ACTION_STATUSES) if not is_blank(status_raw) else ""
        if status is None:
            ctx.problems.append(
                error(
                    sheet.name,
                    row_no,
                    _column_label(sheet, f["status"], "Status"),
                    status_raw,
                    "Okänd status.",
                    f"Välj en av {', '.join(ACTION_STATUSES)}.",
                )
            )
            ok = False
        dates = {}
        for name, label in (("start", "Start"), ("end", "Slut")):
            raw = _cell(row, f.get(name))
            iso, why = parse_date(raw)
            if why:
                ctx.problems.append(
                    error(
                        sheet.name,
                        row_no,
                        _column_label(sheet, f[name], label),
                        raw,
                        why,
                        "Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2024-06-30.",
                    )
                )
                ok = False
            dates[name] = iso
        if dates["start"] and dates["end"] and dates["end"] < dates["start"]:
            ctx.problems.append(
                error(sheet.name, row_no, "Slut", dates["end"], "Slutdatum ligger före startdatum.", "Rätta datumen.")
            )
            ok = False
        areas = []
        for raw in split_list(_cell(row, f.get("areas"))):
            a = ctx.resolve_area(sheet, row_no, "Områden", raw)
            ok = ok and a is not None
            areas.append(a or "")
        indicators = []
        for raw in split_list(_cell(row, f.get("indicators"))):
            i = ctx.resolve_indicator(sheet, row_no, "Indikatorer", raw)
            ok = ok and i is not None
            indicators.append(i or "")
        rec.update(theme=theme, status=status, areas=";".join(areas), indicators=";".join(indicators), **dates)
        if ok:
            records.append(rec)
            rows.append(row_no)
    _check_duplicates(sheet, [(normalise(r["id"]),) for r in records], rows, "Åtgärdens id", ctx.problems)
    frame = pd.DataFrame(records, columns=list(ctx.known.actions.columns))
    return _fill_absent_columns("actions", frame, set(f), ctx.known.actions)


FIRST_FOLLOWUP_YEAR = 2000


def _read_followups(sheet: RawSheet, ctx: _Context) -> pd.DataFrame | None:
    """The Uppföljning sheet as an action-followups frame (one row per action and year)."""
    header = _find_header(sheet, FOLLOWUP_SHEET, ctx.problems)
    if header is None:
        return None
    f = header.fields
    this_year = (ctx.options.today or date.today()).year
    starts = _action_start_years(ctx)
    records, rows = [], []
    for row_no, row in _data_rows(sheet, header):
        action = ctx.resolve_action(
            sheet, row_no, _column_label(sheet, f["action"], header.texts[f["action"]]), _cell(row, f["action"])
        )
        ok = action is not None
        year_col = _column_label(sheet, f["year"], header.texts[f["year"]])
        raw_year = _cell(row, f["year"])
        year, why = parse_year(raw_year)
        if year is None:
            ctx.problems.append(
                error(
                    sheet.name,
                    row_no,
                    year_col,
                    raw_year,
                    why or "Året saknas.",
                    "Skriv uppföljningsåret med fyra siffror, t.ex. 2023.",
                )
            )
            ok = False
        elif not FIRST_FOLLOWUP_YEAR <= year <= this_year:
            ctx.problems.append(
                error(
                    sheet.name,
                    row_no,
                    year_col,
                    raw_year,
                    f"Uppföljningsåret ligger utanför {FIRST_FOLLOWUP_YEAR}–{this_year}.",
                    "En uppföljning gäller ett år som har börjat. Rätta årtalet.",
                )
            )
            ok = False
        status_col = _column_label(sheet, f["status"], header.texts[f["status"]])
        status_raw = _cell(row, f["status"])
        status = _choice(status_raw, ACTION_STATUSES)
        if status is None:
            ctx.problems.append(
                error(
                    sheet.name,
                    row_no,
                    status_col,
                    status_raw,
                    "Statusen saknas." if is_blank(status_raw) else "Okänd status.",
                    f"Välj en av {', '.join(ACTION_STATUSES)}.",
                )
            )
            ok = False
        comment = _text_field(sheet, header, row_no, row, "comment", ctx.problems, MAX_LONG_TEXT)
        source = _text_field(sheet, header, row_no, row, "source", ctx.problems)
        if not ok:
            continue
        start = starts.get(action)
        if start is not None and year < start and status != ACTION_STATUSES[0]:
            ctx.problems.append(
                warning(
                    sheet.name,
                    row_no,
                    year_col,
                    raw_year,
                    f"Uppföljningsåret ligger före åtgärdens startår ({start}) men statusen är {status}.",
                    "Kontrollera årtalet, startdatumet eller statusen.",
                )
            )
        records.append({"action": action, "year": year, "status": status, "comment": comment, "source": source})
        rows.append(row_no)
    _check_duplicates(sheet, [(r["action"], r["year"]) for r in records], rows, "Samma åtgärd och år", ctx.problems)
    frame = pd.DataFrame(records, columns=list(ctx.known.action_followups.columns))
    return _fill_absent_columns("action_followups", frame, set(f), ctx.known.action_followups)


def _action_start_years(ctx: _Context) -> dict[str, int]:
    """The start year of every action known or defined in the workbook (read so far), by id."""
    frames = [ctx.known.actions[["id", "start"]]]
    if ctx.workbook_actions is not None:
        frames.append(ctx.workbook_actions[["id", "start"]])
    starts: dict[str, int] = {}
    for frame in frames:
        for action_id, start in zip(frame["id"].astype(str), frame["start"].astype(str)):
            if len(start) >= 4 and start[:4].isdigit():
                starts[action_id] = int(start[:4])
    return starts


def _read_targets(sheet: RawSheet, ctx: _Context) -> pd.DataFrame | None:
    """The Mål sheet as a targets frame."""
    header = _find_header(sheet, TARGET_SHEET, ctx.problems)
    if header is None:
        return None
    f = header.fields
    records, rows = [], []
    for row_no, row in _data_rows(sheet, header):
        area = ctx.resolve_area(sheet, row_no, "Område", _cell(row, f["area"]))
        indicator = ctx.resolve_indicator(sheet, row_no, "Indikator", _cell(row, f["indicator"]))
        ok = area is not None and indicator is not None
        years = {}
        for name, label in (("base_year", "Basår"), ("target_year", "Målår")):
            raw = _cell(row, f.get(name))
            year, why = parse_year(raw)
            if why or (year is None and name == "target_year"):
                ctx.problems.append(
                    error(sheet.name, row_no, label, raw, why or "Målår saknas.", "Skriv årtalet, t.ex. 2030.")
                )
                ok = False
            years[name] = year
        num = parse_number(_cell(row, f["target_value"]))
        if num.error or num.value is None:
            ctx.problems.append(
                error(
                    sheet.name,
                    row_no,
                    "Målvärde",
                    _cell(row, f["target_value"]),
                    num.error or "Målvärdet saknas.",
                    num.hint or "Skriv målvärdet som ett tal.",
                )
            )
            ok = False
        elif ok and ctx.units.get(indicator) == PERCENT and not 0 <= num.value <= 100:
            ctx.problems.append(
                error(
                    sheet.name,
                    row_no,
                    "Målvärde",
                    _cell(row, f["target_value"]),
                    "Procentvärdet ligger utanför 0–100.",
                    "Ange procent som 0–100.",
                )
            )
            ok = False
        if ok:
            records.append(
                {
                    "area": area,
                    "indicator": indicator,
                    **years,
                    "target_value": num.value,
                    "source": _text_field(sheet, header, row_no, row, "source", ctx.problems),
                }
            )
            rows.append(row_no)
    _check_duplicates(
        sheet,
        [(r["area"], r["indicator"], r["target_year"]) for r in records],
        rows,
        "Samma mål (område, indikator, målår)",
        ctx.problems,
    )
    return pd.DataFrame(records, columns=list(ctx.known.targets.columns))


def _read_texts(sheet: RawSheet, ctx: _Context) -> pd.DataFrame | None:
    """The Områdestexter sheet as an area-texts frame."""
    header = _find_header(sheet, TEXT_SHEET, ctx.problems)
    if header is None:
        return None
    f = header.fields
    records, rows = [], []
    for row_no, row in _data_rows(sheet, header):
        area = ctx.resolve_area(sheet, row_no, "Område", _cell(row, f["area"]))
        heading = _text_field(sheet, header, row_no, row, "heading", ctx.problems, 200)
        text = _text_field(sheet, header, row_no, row, "text", ctx.problems, MAX_LONG_TEXT)
        if not heading or not text:
            ctx.problems.append(
                error(sheet.name, row_no, "Rubrik/Text", "", "Rubrik eller text saknas.", "Fyll i båda.")
            )
            continue
        if area is not None:
            records.append(
                {
                    "area": area,
                    "heading": heading,
                    "text": text,
                    "source": _text_field(sheet, header, row_no, row, "source", ctx.problems),
                }
            )
            rows.append(row_no)
    _check_duplicates(
        sheet, [(r["area"], normalise(r["heading"])) for r in records], rows, "Samma område och rubrik", ctx.problems
    )
    return pd.DataFrame(records, columns=list(ctx.known.area_texts.columns))


# --- The workbook --------------------------------------------------------------------------

_READERS = {
    "areas": _read_areas,
    "indicators": _read_indicators,
    "actions": _read_actions,
    "action_followups": _read_followups,
    "targets": _read_targets,
    "area_texts": _read_texts,
}


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


def parse_tables(raw: RawWorkbook, known: Dataset, options: ReadOptions | None = None) -> ReadResult:
    """The dataset a read workbook holds, checked against the known catalogue (areas, indicators, actions).

    Empty sources stay empty (see `with_sources`), so this needs no stored observations: an upload parsed in a
    child process gets only the small catalogue tables.
    """
    options = options or ReadOptions()
    ctx = _Context(known, options)
    info = ReadInfo()
    by_table: dict[str, RawSheet] = {}
    others: list[RawSheet] = []
    for sheet in raw.sheets:
        spec = sheet_for_name(sheet.name)
        if not sheet.visible:
            if spec is not None:
                ctx.problems.append(
                    warning(
                        sheet.name,
                        None,
                        "",
                        "",
                        "Bladet är dolt och läses inte.",
                        "Gör bladet synligt i Excel om det ska importeras.",
                    )
                )
            continue
        if spec is None:
            if normalise(sheet.name) not in {normalise(INSTRUCTIONS_SHEET), normalise(LISTS_SHEET)}:
                others.append(sheet)
            continue
        if spec.table in by_table:
            ctx.problems.append(
                error(sheet.name, None, "", "", f"Det finns två blad för {spec.name}.", "Slå ihop bladen till ett.")
            )
            continue
        by_table[spec.table] = sheet

    tables: dict[str, pd.DataFrame | None] = {}
    for table in ("areas", "indicators"):
        if table in by_table:
            tables[table] = _READERS[table](by_table[table], ctx)
            info.sheets.append(by_table[table].name)

    data_sheet = by_table.get("observations")
    header = None
    if data_sheet is None:
        # A sheet with the template's headers under another name still counts as Data.
        for sheet in others:
            probe: list[Problem] = []
            candidate = _find_header(sheet, DATA_SHEET, probe, allow_years=True)
            if candidate is not None and not probe:
                data_sheet, header = sheet, candidate
                if len(raw.visible_sheets) > 1 or by_table:
                    ctx.problems.append(
                        warning(
                            sheet.name,
                            None,
                            "",
                            "",
                            "Bladet heter inte Data men läses som databladet.",
                            "Döp om bladet till Data.",
                        )
                    )
                break
    if data_sheet is not None:
        info.sheets.append(data_sheet.name)
        if header is None:
            header = _find_header(data_sheet, DATA_SHEET, ctx.problems, allow_years=True)
        tables["observations"] = _read_template_data(data_sheet, ctx, info, header) if header else None
    elif not by_table:
        candidates = [
            s
            for s in others
            if any(not is_blank(c) for row in _head(s) for c in row) or len(s.rows) > HEADER_SEARCH_ROWS
        ]
        if not candidates:
            ctx.problems.append(
                error(
                    raw.visible_sheets[0].name,
                    None,
                    "",
                    "",
                    "Arbetsboken innehåller inga data.",
                    "Fyll i bladet Data (hämta mallen) och försök igen.",
                )
            )
        else:
            info.sheets.append(candidates[0].name)
            if len(candidates) > 1:
                ctx.problems.append(
                    warning(
                        candidates[1].name,
                        None,
                        "",
                        "",
                        f"Bara det första bladet ({candidates[0].name}) läses som tabell.",
                        "Lägg en tabell per fil.",
                    )
                )
            tables["observations"] = _read_exported_table(candidates[0], ctx, info)

    for table in ("actions", "action_followups", "targets", "area_texts"):
        if table in by_table:
            tables[table] = _READERS[table](by_table[table], ctx)
            info.sheets.append(by_table[table].name)
            if table == "actions":
                ctx.workbook_actions = tables[table]

    if ctx.new_area_rows:
        new = pd.DataFrame(ctx.new_area_rows).drop_duplicates("name")
        tables["areas"] = (
            pd.concat([tables.get("areas"), new], ignore_index=True) if tables.get("areas") is not None else new
        )

    if not any(t is not None and len(t) for t in tables.values()) and not has_errors(ctx.problems):
        if data_sheet is not None and header is not None:
            ctx.problems.append(
                error(
                    data_sheet.name,
                    data_sheet.excel_row(header.index),
                    "",
                    "",
                    "Bladet har inga datarader under rubrikraden.",
                    "Fyll i minst en rad med Område, Indikator, År och Värde.",
                )
            )
        else:
            ctx.problems.append(
                error(
                    raw.visible_sheets[0].name,
                    None,
                    "",
                    "",
                    "Filen innehåller inga datarader.",
                    "Fyll i minst en rad på bladet Data och försök igen.",
                )
            )
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
    summary = (error if n_err else warning)(
        "",
        None,
        "",
        "",
        f"Ytterligare {len(rest)} problem visas inte ({n_err} fel).",
        "Rätta problemen ovan och försök igen; ofta har de samma orsak.",
    )
    return kept + [summary]
