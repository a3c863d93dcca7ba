"""The plan sheets, Åtgärder, Uppföljning, Mål and Områdestexter: what each row must hold to become a record."""

from __future__ import annotations

from collections.abc import Callable

from analysis.core.model import ACTION_STATUSES, ACTION_THEMES, PERCENT, split_list
from analysis.ingest.cells import is_blank, parse_date, parse_number, parse_year
from analysis.ingest.context import ReadContext
from analysis.ingest.contract import ACTION_SHEET, FOLLOWUP_SHEET, TARGET_SHEET, TEXT_SHEET
from analysis.ingest.problems import warning
from analysis.ingest.sheets import ReadSheet, Row, SheetReader, choice

FIRST_FOLLOWUP_YEAR = 2000

# --- Åtgärder ------------------------------------------------------------------------------------------------------


def _action_dates(row: Row) -> dict[str, str] | None:
    """The Start and Slut dates as ISO text ('' when blank), or None when one is unreadable or they are reversed."""
    dates: dict[str, str] = {}
    ok = True
    for name in ("start", "end"):
        raw = row.cell(name)
        iso, why = parse_date(raw)
        if why:
            row.error(row.label(name), raw, why, "Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2024-06-30.")
            ok = False
        dates[name] = iso
    if dates["start"] and dates["end"] and dates["end"] < dates["start"]:
        row.error("Slut", dates["end"], "Slutdatum ligger före startdatum.", "Rätta datumen.")
        ok = False
    return dates if ok else None


def _resolved_list(
    row: Row, field_name: str, column: str, resolve: Callable[[str, int, str, object], str | None]
) -> str | None:
    """A ';'-separated cell of areas or indicators with each item resolved, or None when one is unknown."""
    resolved = [resolve(row.sheet.name, row.number, column, raw) for raw in split_list(row.cell(field_name))]
    return None if None in resolved else ";".join(resolved)


def action_record(row: Row, ctx: ReadContext) -> dict[str, object] | None:
    """One row of Åtgärder as an action; its id becomes usable on Uppföljning even when the row has errors."""
    rec: dict[str, object] = {f: row.text(f) for f in ("id", "title", "responsible", "comment", "source")}
    ok = bool(rec["id"] and rec["title"])
    ctx.define_action(str(rec["id"]), str(rec["title"]))
    if not ok:
        row.error("Id/Åtgärd", "", "Åtgärdens id eller beskrivning saknas.", "Fyll i både Id och Åtgärd.")
    theme = row.choice("theme", ACTION_THEMES, "Okänt tema för åtgärden.")
    status = row.choice("status", ACTION_STATUSES, "Okänd status.")
    dates = _action_dates(row)
    areas = _resolved_list(row, "areas", "Områden", ctx.resolve_area)
    indicators = _resolved_list(row, "indicators", "Indikatorer", ctx.resolve_indicator)
    checked = (theme, status, dates, areas, indicators)
    if not ok or any(v is None for v in checked):
        return None
    return {**rec, "theme": theme, "status": status, "areas": areas, "indicators": indicators, **dates}


def _define_actions(read: ReadSheet, ctx: ReadContext) -> None:
    """Make the start years of the sheet's actions known to the Uppföljning sheet read after it."""
    ctx.note_action_starts(read.frame)


ACTIONS = SheetReader(ACTION_SHEET, action_record, finish=_define_actions)


# --- Uppföljning ---------------------------------------------------------------------------------------------------


def _followup_year(row: Row, this_year: int) -> int | None:
    """The follow-up year: a year that has begun, from FIRST_FOLLOWUP_YEAR on; None with the error reported."""
    raw = row.cell("year")
    year, why = parse_year(raw)
    if year is None:
        row.error(
            row.label("year", as_written=True),
            raw,
            why or "Året saknas.",
            "Skriv uppföljningsåret med fyra siffror, t.ex. 2023.",
        )
        return None
    if not FIRST_FOLLOWUP_YEAR <= year <= this_year:
        row.error(
            row.label("year", as_written=True),
            raw,
            f"Uppföljningsåret ligger utanför {FIRST_FOLLOWUP_YEAR}–{this_year}.",
            "En uppföljning gäller ett år som har börjat. Rätta årtalet.",
        )
        return None
    return year


def followup_record(row: Row, ctx: ReadContext) -> dict[str, object] | None:
    """One row of Uppföljning as an action's status in a year; a year before the action's start is a warning."""
    action = ctx.resolve_action(row.sheet.name, row.number, row.label("action", as_written=True), row.cell("action"))
    year = _followup_year(row, ctx.this_year)
    raw_status = row.cell("status")
    status = choice(raw_status, ACTION_STATUSES)
    if status is None:
        row.error(
            row.label("status", as_written=True),
            raw_status,
            "Statusen saknas." if is_blank(raw_status) else "Okänd status.",
            f"Välj en av {', '.join(ACTION_STATUSES)}.",
        )
    comment, source = row.text("comment"), row.text("source")
    if action is None or year is None or status is None:
        return None
    start = ctx.action_starts.get(action)
    if start is not None and year < start and status != ACTION_STATUSES[0]:
        row.problems.append(
            warning(
                row.sheet.name,
                row.number,
                row.label("year", as_written=True),
                row.cell("year"),
                f"Uppföljningsåret ligger före åtgärdens startår ({start}) men statusen är {status}.",
                "Kontrollera årtalet, startdatumet eller statusen.",
            )
        )
    return {"action": action, "year": year, "status": status, "comment": comment, "source": source}


FOLLOWUPS = SheetReader(FOLLOWUP_SHEET, followup_record)


# --- Mål -----------------------------------------------------------------------------------------------------------


def _target_years(row: Row) -> dict[str, int | None] | None:
    """Basår (optional) and Målår (required) as years, or None with the errors reported."""
    years: dict[str, int | None] = {}
    ok = True
    for name in ("base_year", "target_year"):
        raw = row.cell(name)
        year, why = parse_year(raw)
        if why or (year is None and name == "target_year"):
            header = TARGET_SHEET.column(name).header
            row.error(header, raw, why or "Målår saknas.", "Skriv årtalet, t.ex. 2030.")
            ok = False
        years[name] = year
    return years if ok else None


def _target_value(row: Row, unit: str | None) -> float | None:
    """The Målvärde cell as a number (0–100 for a percentage), or None with the error reported."""
    raw = row.cell("target_value")
    num = parse_number(raw)
    if num.error or num.value is None:
        row.error("Målvärde", raw, num.error or "Målvärdet saknas.", num.hint or "Skriv målvärdet som ett tal.")
        return None
    if unit == PERCENT and not 0 <= num.value <= 100:
        row.error("Målvärde", raw, "Procentvärdet ligger utanför 0–100.", "Ange procent som 0–100.")
        return None
    return num.value


def target_record(row: Row, ctx: ReadContext) -> dict[str, object] | None:
    """One row of Mål as a target: a known area and indicator, a target year and a value."""
    area = ctx.resolve_area(row.sheet.name, row.number, "Område", row.cell("area"))
    indicator = ctx.resolve_indicator(row.sheet.name, row.number, "Indikator", row.cell("indicator"))
    years = _target_years(row)
    if area is None or indicator is None or years is None:
        # The value is still checked (and reported), but its percentage range only for a known indicator.
        _target_value(row, None)
        return None
    value = _target_value(row, ctx.units.get(indicator))
    if value is None:
        return None
    return {"area": area, "indicator": indicator, **years, "target_value": value, "source": row.text("source")}


TARGETS = SheetReader(TARGET_SHEET, target_record, keeps_stored_columns=False)


# --- Områdestexter -------------------------------------------------------------------------------------------------


def text_record(row: Row, ctx: ReadContext) -> dict[str, object] | None:
    """One row of Områdestexter as a text: a known area, a heading and the text."""
    area = ctx.resolve_area(row.sheet.name, row.number, "Område", row.cell("area"))
    heading, text = row.text("heading"), row.text("text")
    if not heading or not text:
        row.error("Rubrik/Text", "", "Rubrik eller text saknas.", "Fyll i båda.")
        return None
    if area is None:
        return None
    return {"area": area, "heading": heading, "text": text, "source": row.text("source")}


TEXTS = SheetReader(TEXT_SHEET, text_record, keeps_stored_columns=False)
