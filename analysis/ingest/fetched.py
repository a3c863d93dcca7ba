"""One answer of a statistics API as observations: codes to areas, sexes and groups, periods to years, and then the
same checks an uploaded Data sheet gets.

The answer is a tidy frame (analysis/ingest/jsonstat.py: one column per dimension code, `<dim>_label`, `value`,
`status`) and the definition that asked for it (analysis/ingest/fetch_spec.py) says which dimension is which. Each
cell becomes one template row (area, indicator, year, sex, group, value, source, note) that goes through
`observations.observation` and `check_observations` exactly as a row of the Data sheet does: the unit's value range,
a known indicator, categories, repeated keys, shares written as percent. Problems name the definition (as the
sheet), the cell's codes (as the column, e.g. 'Region=05, Kon=2, Tid=2026M03') and the address of the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import cast

import pandas as pd

from analysis.core.missing import is_missing
from analysis.core.model import TOTAL, conform, make_dataset
from analysis.ingest.cells import MISSING_MARKERS
from analysis.ingest.context import ReadContext, ReadOptions
from analysis.ingest.excel import RawSheet, SheetRows
from analysis.ingest.fetch_spec import LAST_PERIOD, MEAN, PERIOD_RULES, FetchSpec
from analysis.ingest.jsonstat import LABEL_SUFFIX, MONTH, QUARTER, STATUS, VALUE, YEAR, TimeCode, parse_time_code
from analysis.ingest.names import AliasTable
from analysis.ingest.observations import (
    Obs,
    RowKeys,
    ValueCell,
    check_observations,
    observation,
    observations_frame,
)
from analysis.ingest.problems import ERROR, WARNING, Problem, shorten

# PxWeb's markers for a cell without a figure ('..' suppressed or too uncertain, '.' not applicable): the value is
# missing even when the answer carries a number beside them. The notes are the upload's (cells.MISSING_MARKERS).
SUPPRESSED_STATUSES: frozenset[str] = frozenset({"..", "."})
NULL_NOTE = "Uppgift saknas i svaret från källan"
# A fetched value's source: the address that answered and when (see analysis/store/fetcher.py for why it stays).
SOURCE = "{url} (hämtad {retrieved})"
_RETRIEVED = re.compile(r"\(hämtad (\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC)\)$")
STATUS_NOTE = "Status i källan: {status}"
MONTHS: tuple[str, ...] = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
PERIODS_PER_YEAR: dict[str, int] = {MONTH: 12, QUARTER: 4}
LISTED_CODES = 10  # codes a warning lists before '… och N till'
VALUE_HEADER = "Värde"


@dataclass(frozen=True)
class _Roles:
    """The answer's dimension for each role (area, time, sex, group; '' when the definition has none)."""

    area: str
    time: str
    sex: str
    group: str


@dataclass
class _Cell:
    """One cell on its way to an observation: its area, sex and group, year, value as read, note and codes."""

    area: str
    sex: str
    group: str | None
    year: int
    raw: object  # a number, a missing marker ('..') or None, as observation() reads a cell
    note: str
    codes: str  # 'Region=05, Kon=2, Tid=2026M03': where the cell is, for problems


def retrieved_at(source: str) -> str | None:
    """The retrieval time a fetched value's source ends with (SOURCE), None for any other source."""
    match = _RETRIEVED.search(source)
    return match.group(1) if match else None


def _problem(level: str, spec: FetchSpec, column: str, value: str, message: str, hint: str = "") -> Problem:
    """A problem of one definition (its label as the sheet), the value kept whole so an address is never cut."""
    return Problem(level, spec.label, None, column, value, message, hint)


def _listed(codes: list[str]) -> str:
    """The first codes joined with commas, and how many more there are."""
    shown = ", ".join(codes[:LISTED_CODES])
    rest = len(codes) - LISTED_CODES
    return f"{shown} … och {rest} till" if rest > 0 else shown


def _dimensions(frame: pd.DataFrame) -> list[str]:
    """The answer's dimensions: every column with a `<dim>_label` column beside it, in the answer's order."""
    return [c for c in frame.columns if f"{c}{LABEL_SUFFIX}" in frame.columns]


def _find(name: str, dims: list[str]) -> str | None:
    """The dimension a definition names (exact, else ignoring case, as PxWeb matches), or None."""
    if name in dims:
        return name
    return next((d for d in dims if d.casefold() == name.casefold()), None)


def _roles(spec: FetchSpec, dims: list[str], url: str, problems: list[Problem]) -> _Roles | None:
    """Which dimension is the area, time, sex and group; None (with an error per missing one) when one is absent."""
    found: dict[str, str] = {}
    complete = True
    for role, name, column in (
        ("area", spec.area_variable, "Områdesvariabel"),
        ("time", spec.time_variable, "Tidsvariabel"),
        ("sex", spec.sex_variable, "Könsvariabel"),
        ("group", spec.group_variable, "Gruppvariabel"),
    ):
        if not name:
            found[role] = ""
            continue
        dim = _find(name, dims)
        if dim is None:
            problems.append(
                _problem(
                    ERROR,
                    spec,
                    column,
                    url,
                    f"Variabeln {name} finns inte i svaret från tabellen {spec.table} (svaret har {', '.join(dims)}).",
                    f"Rätta kolumnen {column} på bladet Hämtningar.",
                )
            )
            complete = False
        found[role] = dim or ""
    return _Roles(**found) if complete else None


def _single_valued(frame: pd.DataFrame, spec: FetchSpec, roles: _Roles, url: str, problems: list[Problem]) -> None:
    """An error for every other dimension with more than one code: the answer has several values per cell then."""
    used = {roles.area, roles.time, roles.sex, roles.group}
    for dim in _dimensions(frame):
        codes = list(dict.fromkeys(frame[dim].astype(str)))
        if dim in used or len(codes) <= 1:
            continue
        problems.append(
            _problem(
                ERROR,
                spec,
                dim,
                f"{_listed(codes)} ({url})",
                f"Svaret har flera värden per område och år för variabeln {dim} ({len(codes)} koder), och "
                "definitionen säger inte vad de betyder.",
                f"Välj en kod för {dim} i kolumnen Urval (t.ex. {dim}={codes[0]}), eller ange {dim} som "
                "Gruppvariabel med Gruppkoder.",
            )
        )


def area_matcher(areas: pd.DataFrame) -> Callable[[str, str], str | None]:
    """How a region code (and its label) finds its area: the Kod column first, then codes, names and aliases."""
    by_code = {str(c).strip(): str(n) for c, n in zip(areas["code"], areas["name"]) if str(c).strip()}
    table = AliasTable.for_areas(areas)

    def match(code: str, label: str) -> str | None:
        """The area of one region code, or None."""
        return by_code.get(code.strip()) or table.lookup(code) or table.lookup(label)

    return match


def _mapped(
    frame: pd.DataFrame, dim: str, mapping: dict[str, str | None], spec: FetchSpec, url: str, what: str, hint: str
) -> tuple[pd.Series, Problem | None]:
    """Which rows' codes the mapping knows (True), and one warning listing the codes it does not, if any."""
    codes = frame[dim].astype(str)
    known = codes.map(lambda c: mapping.get(c) is not None)
    labels = frame[dim + LABEL_SUFFIX].astype(str)
    named = (c if lab in ("", c) else f"{c} {lab}" for c, lab, ok in zip(codes, labels, known) if not ok)
    unknown = list(dict.fromkeys(named))
    if not unknown:
        return known, None
    message = f"{len(unknown)} {what} i svaret från tabellen {spec.table} läses inte."
    return known, _problem(WARNING, spec, dim, f"{_listed(unknown)} ({url})", message, hint)


def _raw_value(value: object, status: object, factor: float) -> tuple[object, str]:
    """A cell's value as observation() reads it (number, missing marker or None) and a note for it."""
    flag = "" if is_missing(status) else str(status).strip()
    if flag in MISSING_MARKERS and (is_missing(value) or flag in SUPPRESSED_STATUSES):
        return flag, ""
    if is_missing(value):
        return None, f"{NULL_NOTE} (status {flag})" if flag else NULL_NOTE
    number = float(cast(float, value))
    if factor != 1:
        # 0.189 × 100 is 18.900000000000002 in floating point: twelve significant digits keep what was published.
        number = float(f"{number * factor:.12g}")
    return number, STATUS_NOTE.format(status=flag) if flag else ""


def _period_name(kind: str, period: int) -> str:
    """'april' for month 4, 'kvartal 2' for quarter 2."""
    return MONTHS[period - 1] if kind == MONTH else f"kvartal {period}"


def _time_codes(frame: pd.DataFrame, roles: _Roles, spec: FetchSpec, url: str, problems: list[Problem]) -> pd.DataFrame:
    """The rows with their time codes read as year, kind and period (none when a code or the period rule fails).

    An error for unreadable codes or for months and quarters without a rule; a warning per incomplete year.
    """
    codes = frame[roles.time].astype(str)
    parsed = {c: parse_time_code(c) for c in dict.fromkeys(codes)}
    bad = [c for c, t in parsed.items() if t is None]
    if bad:
        problems.append(
            _problem(
                ERROR,
                spec,
                roles.time,
                f"{_listed(bad)} ({url})",
                f"Tidskoderna i variabeln {roles.time} går inte att läsa som år, månad eller kvartal.",
                "Tidsvariabeln ska ha koder som 2024, 2024M01 eller 2024K1; kontrollera kolumnen Tidsvariabel.",
            )
        )
        return frame.iloc[0:0]
    read: dict[str, TimeCode] = {c: t for c, t in parsed.items() if t is not None}
    periodic = [c for c, t in read.items() if t.kind != YEAR]
    if periodic and spec.period_rule not in PERIOD_RULES:
        kind = "månadsvärden" if any(read[c].kind == MONTH for c in periodic) else "kvartalsvärden"
        span = periodic[0] if len(periodic) == 1 else f"{periodic[0]}–{periodic[-1]}"
        problems.append(
            _problem(
                ERROR,
                spec,
                "Period",
                f"{span} ({url})",
                f"Tabellen {spec.table} har {kind} ({span}), men definitionen {spec.label} säger inte hur de blir "
                "ett årsvärde.",
                f"Skriv {LAST_PERIOD} (t.ex. folkmängden vid årets slut) eller {MEAN} (t.ex. ett årsmedeltal) i "
                "kolumnen Period på bladet Hämtningar.",
            )
        )
        return frame.iloc[0:0]
    out = frame.assign(
        _year=codes.map(lambda c: read[c].year),
        _kind=codes.map(lambda c: read[c].kind),
        _period=codes.map(lambda c: read[c].period or 0),
    )
    skipped: list[tuple[int, str]] = []
    for (year, kind), periods in out[out["_kind"] != YEAR].groupby(["_year", "_kind"])["_period"]:
        present = sorted(set(periods))
        whole = PERIODS_PER_YEAR[str(kind)]
        if len(present) == whole:
            continue
        shown = [c for c in periodic if read[c].year == year and read[c].kind == kind]
        first, last = _period_name(str(kind), present[0]), _period_name(str(kind), present[-1])
        unit = "månader" if kind == MONTH else "kvartal"
        if spec.period_rule == LAST_PERIOD:
            # A stock at the year's end (folkmängd 31 december) is not the stock in April: each value says so.
            skipped.append((int(year), str(kind)))
            message = (
                f"År {year} är inte komplett i svaret (sista perioden är {last}): årets värde är värdet för {last}, "
                f"inte för årets sista {'månad' if kind == MONTH else 'kvartal'}, och varje värde har en kommentar "
                "som säger det."
            )
        else:
            message = (
                f"År {year} är inte komplett i svaret: medelvärdet bygger på {len(present)} av {whole} {unit} "
                f"({first}–{last})."
                if len(present) > 1
                else f"År {year} är inte komplett i svaret: medelvärdet bygger bara på {first}."
            )
        problems.append(
            _problem(
                WARNING,
                spec,
                roles.time,
                f"{_listed(shown)} ({url})",
                message,
                "Värdet ändras när resten av året publiceras och hämtas igen.",
            )
        )
    if skipped:
        partial = [(int(y), str(k)) in skipped for y, k in zip(out["_year"], out["_kind"])]
        last_code = out[partial].groupby("_year")[roles.time].max()
        notes = [
            f"Året är inte komplett: värdet gäller {last_code[y]}" if p else "" for p, y in zip(partial, out["_year"])
        ]
        out = out.assign(_note=[" ".join(t for t in (str(n or ""), x) if t) for n, x in zip(out["_note"], notes)])
    return out


def _cells(frame: pd.DataFrame, spec: FetchSpec, roles: _Roles) -> list[_Cell]:
    """One cell per area, sex, group and year: years as they are, periods by the definition's rule."""
    # By codes, not by what they mean: two codes of one meaning stay two cells, and the upload's check of repeated
    # keys reports them instead of a mean or a last period silently made of both.
    keys = [dim for dim in (roles.area, roles.sex, roles.group) if dim] + ["_year", "_kind"]
    cells: list[_Cell] = []
    for _, rows in frame.groupby(keys, sort=False, dropna=False):
        first = rows.iloc[0]
        where = [f"{roles.area}={first[roles.area]}"]
        where += [f"{dim}={first[dim]}" for dim in (roles.sex, roles.group) if dim]
        if first["_kind"] == YEAR or spec.period_rule == LAST_PERIOD:
            row = rows.loc[rows["_period"].idxmax()] if first["_kind"] != YEAR else first
            raw, note = row["_raw"], row["_note"]
            when = str(row[roles.time])
        else:  # the mean of the periods present; missing when any of them is
            lacking = rows[rows["_raw"].map(lambda r: not isinstance(r, float))]
            if len(lacking):
                raw, note = lacking["_raw"].iloc[0], lacking["_note"].iloc[0]
            else:
                raw = float(f"{rows['_raw'].astype(float).mean():.12g}")
                note = "; ".join(n for n in dict.fromkeys(rows["_note"]) if n)
            codes = list(rows[roles.time].astype(str))
            when = codes[0] if len(codes) == 1 else f"{codes[0]}–{codes[-1]}"
        group = None if first["_group"] == "" else str(first["_group"])
        cells.append(
            _Cell(
                str(first["_area"]),
                str(first["_sex"]),
                group,
                int(first["_year"]),
                raw,
                str(note),
                ", ".join([*where, f"{roles.time}={when}"]),
            )
        )
    return cells


_EARLIER_ROW = re.compile(r"på rad (\d+)")


def _cell_codes(cells: list[_Cell], number: int) -> str:
    """The codes of the cell with a row number, or the number itself when there is no such cell."""
    return cells[number - 1].codes if 1 <= number <= len(cells) else str(number)


def _checked(
    cells: list[_Cell], spec: FetchSpec, roles: _Roles, ctx: ReadContext, source: str, url: str
) -> pd.DataFrame:
    """The cells through the upload's checks (observation, check_observations); problems moved to the cell's codes."""
    before = len(ctx.problems)
    indicator = ctx.resolve_indicator(spec.label, None, "Indikator", spec.indicator)
    if indicator is None:
        return conform("observations", None)
    sheet = RawSheet(spec.label, cast(SheetRows, []))
    obs: list[Obs] = []
    for number, cell in enumerate(cells, start=1):
        keys = RowKeys(
            number,
            cell.area,
            indicator,
            cell.sex,
            roles.sex or "Kön",
            source,
            cell.note,
            cell.group,
            roles.group or "Grupp",
        )
        found = observation(ctx, sheet, keys, ValueCell(cell.raw, 0, VALUE_HEADER, cell.year, roles.time))
        if found is not None:
            obs.append(found)
    check_observations(spec.label, obs, ctx)
    for i in range(before, len(ctx.problems)):
        p = ctx.problems[i]
        if p.row is not None and 1 <= p.row <= len(cells):
            shown = f"{shorten(p.value)} ({url})" if p.value else url
            # The upload's messages point at an earlier row ('finns redan på rad 3'): here that row is a cell.
            message = _EARLIER_ROW.sub(lambda m: f"i cellen {_cell_codes(cells, int(m.group(1)))}", p.message)
            ctx.problems[i] = replace(p, row=None, column=cells[p.row - 1].codes, value=shown, message=message)
        elif p.row is None and not p.value.endswith(f"({url})"):
            ctx.problems[i] = replace(p, value=f"{p.value} ({url})" if p.value else url)
    return conform("observations", observations_frame(obs))


def fetched_observations(
    frame: pd.DataFrame,
    spec: FetchSpec,
    areas: pd.DataFrame,
    url: str,
    retrieved: str,
    *,
    indicators: pd.DataFrame,
) -> tuple[pd.DataFrame, list[Problem]]:
    """The observations in one API answer, checked as an uploaded Data sheet is, and the problems found.

    `url` names the answer (the data call's address, or the table's data address when the query was split) and
    becomes the source with `retrieved` (SOURCE). An error means the observations are not to be stored.
    """
    problems: list[Problem] = []
    empty = conform("observations", None)
    dims = _dimensions(frame)
    if not len(frame) or VALUE not in frame.columns:
        problems.append(_problem(ERROR, spec, "", url, f"Svaret från tabellen {spec.table} har inga värden."))
        return empty, problems
    roles = _roles(spec, dims, url, problems)
    if roles is None:
        return empty, problems
    _single_valued(frame, spec, roles, url, problems)
    if problems:
        return empty, problems
    match = area_matcher(areas)
    area_of = {
        c: match(c, lab)
        for c, lab in dict.fromkeys(zip(frame[roles.area].astype(str), frame[roles.area + LABEL_SUFFIX]))
    }
    keep, warned = _mapped(
        frame,
        roles.area,
        area_of,
        spec,
        url,
        "regionkoder utan område",
        "Regioner som inte är områden läses bort. Ska någon av dem med: skriv koden i kolumnen Kod på bladet Områden.",
    )
    if not keep.any():
        codes = _listed(list(dict.fromkeys(frame[roles.area].astype(str))))
        problems.append(
            _problem(
                ERROR,
                spec,
                roles.area,
                f"{codes} ({url})",
                f"Ingen av regionkoderna i svaret hör till ett område, så tabellen {spec.table} ger inga värden.",
                "Skriv regionkoden (t.ex. 0580 för Linköping) i kolumnen Kod på bladet Områden, eller välj andra "
                "regioner i kolumnen Urval.",
            )
        )
        return empty, problems
    problems += [warned] if warned else []
    frame = frame[keep.to_numpy()]
    frame = frame.assign(_area=frame[roles.area].astype(str).map(area_of))
    for role, codes_of, column in (("sex", spec.sex_codes, "Könskoder"), ("group", spec.group_codes, "Gruppkoder")):
        dim = getattr(roles, role)
        if not dim:
            frame = frame.assign(**{f"_{role}": TOTAL if role == "sex" else ""})
            continue
        mapping = {c: codes_of.get(c) for c in dict.fromkeys(frame[dim].astype(str))}
        hint = f"Ska de med: skriv vad koderna betyder i kolumnen {column} på bladet Hämtningar."
        known, warned = _mapped(frame, dim, mapping, spec, url, f"koder för {dim} utan betydelse", hint)
        problems += [warned] if warned else []
        frame = frame[known.to_numpy()]
        frame = frame.assign(**{f"_{role}": frame[dim].astype(str).map(mapping)})
    if not len(frame):
        problems.append(
            _problem(
                ERROR,
                spec,
                "",
                url,
                f"Inga värden ur tabellen {spec.table} återstår när koderna utan betydelse lästs bort.",
                "Skriv vad koderna betyder i kolumnerna Könskoder och Gruppkoder på bladet Hämtningar.",
            )
        )
        return empty, problems
    raws = [_raw_value(v, s, spec.factor) for v, s in zip(frame[VALUE], frame.get(STATUS, [""] * len(frame)))]
    # Object dtype: None and the markers must not become NaN beside the numbers.
    frame = frame.assign(
        _raw=pd.Series([r for r, _ in raws], index=frame.index, dtype=object),
        _note=pd.Series([n for _, n in raws], index=frame.index, dtype=object),
    )
    frame = _time_codes(frame, roles, spec, url, problems)
    if any(p.level == ERROR for p in problems):
        return empty, problems
    cells = _cells(frame, spec, roles)
    ctx = ReadContext(make_dataset(areas=areas, indicators=indicators), ReadOptions())
    observations = _checked(cells, spec, roles, ctx, SOURCE.format(url=url, retrieved=retrieved), url)
    return observations, problems + ctx.problems
