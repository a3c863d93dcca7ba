"""The plan sheets, Planer, Åtgärder, Uppföljning, Mål and Områdestexter: what each row must hold to become a record."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analysis.core.model import ACTION_STATUSES, ACTION_THEMES, ALL_PLANS, PERCENT, is_missing, split_list
from analysis.ingest.cells import is_blank, parse_date, parse_number, parse_year
from analysis.ingest.context import ReadContext
from analysis.ingest.contract import ACTION_SHEET, FOLLOWUP_SHEET, PLAN_SHEET, TARGET_SHEET, TEXT_SHEET
from analysis.ingest.problems import error, warning
from analysis.ingest.sheets import ReadSheet, Record, Row, SheetReader, choice

FIRST_FOLLOWUP_YEAR = 2000
# The years a plan may be adopted in and cover: from the first follow-up year to this many years ahead (a plan
# covering 2202 is a typo for 2022, not a plan).
FIRST_PLAN_YEAR = FIRST_FOLLOWUP_YEAR
PLAN_YEARS_AHEAD = 25
DONE = ACTION_STATUSES[4]  # Genomförd: a follow-up with this status should report the action as wholly done

# --- Planer --------------------------------------------------------------------------------------------------------


def _plan_name(row: Row, ctx: ReadContext) -> str | None:
    """The plan's name (a stored plan's own spelling when the name means it), or None with the error reported."""
    name = row.text("name")
    if not name:
        row.error(row.label("name"), "", "Planens namn saknas.", "Fyll i planens namn, t.ex. Åtgärdsplan 2022.")
        return None
    if ";" in name:
        # The Plan column of Åtgärder separates plans with ';', so such a name could never be named there.
        row.error(row.label("name"), name, "Planens namn innehåller semikolon (;).", "Ta bort semikolonet ur namnet.")
        return None
    return ctx.known_plan(name) or name


def _plan_year(row: Row, field_name: str, ctx: ReadContext, required: bool) -> tuple[bool, int | None]:
    """A Gäller från/till year (None when blank and allowed) and whether the cell is valid; errors reported."""
    raw = row.cell(field_name)
    year, why = parse_year(raw)
    last = ctx.this_year + PLAN_YEARS_AHEAD
    if year is None and (why or required):
        row.error(row.label(field_name), raw, why or "Året saknas.", "Skriv årtalet med fyra siffror, t.ex. 2022.")
        return False, None
    if year is not None and not FIRST_PLAN_YEAR <= year <= last:
        row.error(
            row.label(field_name),
            raw,
            f"Året ligger utanför {FIRST_PLAN_YEAR}–{last}.",
            "Kontrollera årtalet, t.ex. 2022.",
        )
        return False, None
    return True, year


def _adopted(row: Row, ctx: ReadContext) -> str | None:
    """The adoption date as ISO text, or None with the error reported (it is required)."""
    raw = row.cell("adopted")
    iso, why = parse_date(raw)
    hint = "Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2022-01-19."
    if not iso:
        row.error(row.label("adopted"), raw, why or "Datumet då planen antogs saknas.", hint)
        return None
    if not FIRST_PLAN_YEAR <= int(iso[:4]) <= ctx.this_year:
        row.error(row.label("adopted"), raw, f"Året ligger utanför {FIRST_PLAN_YEAR}–{ctx.this_year}.", hint)
        return None
    return iso


def plan_record(row: Row, ctx: ReadContext) -> Record | None:
    """One row of Planer as a plan version; its name becomes usable on Åtgärder even when the row has errors."""
    name = _plan_name(row, ctx)
    if name:
        ctx.define_plan(name)
    adopted = _adopted(row, ctx)
    first_ok, first = _plan_year(row, "first_year", ctx, required=True)
    last_ok, last = _plan_year(row, "last_year", ctx, required=False)
    texts = {f: row.text(f) for f in ("decided_by", "comment", "source")}
    if first is not None and last is not None and last < first:
        row.error(
            row.label("last_year"),
            row.cell("last_year"),
            f"Gäller till ({last}) ligger före Gäller från ({first}).",
            "Rätta årtalen eller lämna Gäller till tomt (= tills nästa plan börjar gälla).",
        )
        last_ok = False
    if name is None or adopted is None or not (first_ok and last_ok):
        return None
    return {"name": name, "adopted": adopted, "first_year": first, "last_year": last, **texts}


@dataclass(frozen=True)
class _Span:
    """The years one plan covers, where it was read (Excel row, None for a stored plan) and its last year as given."""

    name: str
    first: int
    last: int | None  # None: open-ended
    row: int | None
    given_last: int | None


def _spans(plans: pd.DataFrame, rows: dict[str, int]) -> list[_Span]:
    """The years each plan covers, in order of its first year; a blank Gäller till runs until the year before the
    next plan that starts later."""
    given = [
        (str(r.name), int(r.first_year), None if is_missing(r.last_year) else int(r.last_year))
        for r in plans.itertuples(index=False)
        if not is_missing(r.first_year)
    ]
    firsts = sorted({first for _, first, _ in given})
    spans = []
    for name, first, last in given:
        after = bisect.bisect_right(firsts, first)
        effective = last if last is not None else (firsts[after] - 1 if after < len(firsts) else None)
        spans.append(_Span(name, first, effective, rows.get(name), last))
    return sorted(spans, key=lambda s: (s.first, s.row or 0, s.name))


def _reaches_further(span: _Span, than: _Span | None) -> bool:
    """True when a span ends later than another (open-ended ends last), or there is no other."""
    return than is None or (than.last is not None and (span.last is None or span.last > than.last))


def _years(span: _Span) -> str:
    """A plan's years as written in a message: '2021–2023', '2022' or '2022–' (open-ended)."""
    if span.last == span.first:
        return str(span.first)
    return f"{span.first}–{span.last if span.given_last is not None else ''}"


def _overlap_problem(earlier: _Span, later: _Span) -> tuple[int | None, str, str, str] | None:
    """Where and how two plans that cover a common year are reported: (row, value, message, hint), or None."""
    ends = [s.last for s in (earlier, later) if s.last is not None]
    first, last = max(earlier.first, later.first), min(ends) if ends else None
    if last is not None and first > last:
        return None
    common = str(first) if first == last else f"{first}–{last if last is not None else ''}"
    here, other = (later, earlier) if later.row is not None else (earlier, later)
    stored = "" if other.row is not None else ", sparad"
    message = f"Planen gäller samma år som {other.name} ({_years(other)}{stored}): {common}."
    if earlier.first == later.first:
        hint = f"Två planer får inte gälla samma år. Ändra Gäller från för {here.name} eller {other.name}."
    else:
        hint = (
            f"Två planer får inte gälla samma år. Sätt Gäller till för {earlier.name} till {later.first - 1} eller "
            f"lämna den tom (då gäller planen tills {later.name} börjar gälla)"
            + (" – ta med planen på bladet Planer." if earlier.row is None else ".")
        )
    return here.row, here.name, message, hint


def _report_overlaps(read: ReadSheet, ctx: ReadContext) -> None:
    """An error for every plan on the sheet that covers a year another plan covers (each plan reported once).

    The sheet's plans are checked together with the stored ones they do not redefine: a stored plan whose years a
    new plan overlaps must be corrected on the same sheet. One sweep in order of the first year compares each plan
    with the one before it that reaches furthest (of all, and of the sheet's): every overlap that involves a plan on
    the sheet gives an error, and a sheet of many plans is checked in n log n, not n².
    """
    stored = ctx.known.plans
    plans = pd.concat([stored[~stored["name"].isin(read.frame["name"])], read.frame], ignore_index=True)
    column = PLAN_SHEET.column("first_year").header
    furthest: _Span | None = None  # of all plans so far
    furthest_on_sheet: _Span | None = None
    for span in _spans(plans, {str(name): row for name, row in zip(read.frame["name"], read.rows)}):
        # A stored plan is compared with the sheet's plans only: two stored plans were checked when imported.
        earlier = furthest if span.row is not None else furthest_on_sheet
        # A name on two rows of the sheet is reported as a repeat, not as an overlap with itself.
        found = _overlap_problem(earlier, span) if earlier is not None and earlier.name != span.name else None
        if found is not None:
            row_no, value, message, hint = found
            ctx.problems.append(error(read.sheet, row_no, column, value, message, hint))
        if _reaches_further(span, furthest):
            furthest = span
        if span.row is not None and _reaches_further(span, furthest_on_sheet):
            furthest_on_sheet = span


PLANS = SheetReader(PLAN_SHEET, plan_record, finish=_report_overlaps)


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


def _plans(row: Row, ctx: ReadContext) -> list[str] | None:
    """The plans a Plan cell names, each once, or None when one is unknown (reported).

    A blank cell (or no Plan column) updates the action in the plans it is stored in, so a file without plans keeps
    working after plans were introduced; a new action then belongs to every plan ([ALL_PLANS]).
    """
    names = split_list(row.text("plan"))
    if not names:
        return ctx.stored_action_plans.get(row.text("id"), [ALL_PLANS])
    column = row.label("plan", as_written=True)
    resolved = [ctx.resolve_plan(row.sheet.name, row.number, column, name) for name in names]
    return None if None in resolved else list(dict.fromkeys(resolved))


def action_record(row: Row, ctx: ReadContext) -> list[Record] | None:
    """One row of Åtgärder as an action, once per plan it names; its id becomes usable on Uppföljning even when the
    row has errors."""
    rec: dict[str, object] = {f: row.text(f) for f in ("id", "title", "responsible", "comment", "source")}
    ok = bool(rec["id"] and rec["title"])
    ctx.define_action(str(rec["id"]), str(rec["title"]))
    if not ok:
        row.error("Id/Åtgärd", "", "Åtgärdens id eller beskrivning saknas.", "Fyll i både Id och Åtgärd.")
    plans = _plans(row, ctx)
    theme = row.choice("theme", ACTION_THEMES, "Okänt tema för åtgärden.")
    status = row.choice("status", ACTION_STATUSES, "Okänd status.")
    dates = _action_dates(row)
    areas = _resolved_list(row, "areas", "Områden", ctx.resolve_area)
    indicators = _resolved_list(row, "indicators", "Indikatorer", ctx.resolve_indicator)
    checked = (plans, theme, status, dates, areas, indicators)
    if not ok or any(v is None for v in checked):
        return None
    action = {**rec, "theme": theme, "status": status, "areas": areas, "indicators": indicators, **dates}
    return [{**action, "plan": plan} for plan in plans]


def _left_beside(read: ReadSheet, ctx: ReadContext) -> None:
    """A warning for an action the sheet gives rows for other plans than a stored row of it that stays.

    An import never removes rows, so a stored row without a plan (= every plan) keeps applying to the plans the
    sheet gives no row of their own, and a stored row for one plan keeps winning over the sheet's row for all plans.
    """
    stored = ctx.known.actions
    if stored.empty or read.frame.empty:
        return
    on_sheet: dict[str, set[str]] = {}
    first_row: dict[str, int] = {}
    for action_id, plan, row_no in zip(read.frame["id"], read.frame["plan"], read.rows):
        on_sheet.setdefault(action_id, set()).add(plan)
        first_row.setdefault(action_id, row_no)
    kept: dict[str, list[str]] = {}
    for action_id, plan in zip(stored["id"], stored["plan"]):
        if action_id in on_sheet and plan not in on_sheet[action_id]:
            kept.setdefault(action_id, []).append(plan)
    for action_id, plans in kept.items():
        named = [p for p in plans if p != ALL_PLANS]
        if ALL_PLANS in plans:
            message = (
                f"Åtgärden {action_id} finns sparad utan plan (= alla planer). En import tar inte bort den raden: den "
                "gäller fortfarande de planer som inte har en egen rad för åtgärden."
            )
            hint = "Ge åtgärden en egen rad för varje plan den hör till, så används den sparade raden inte för dem."
        elif on_sheet[action_id] == {ALL_PLANS}:
            message = (
                f"Åtgärden {action_id} har sparade rader för {', '.join(named)}. För de planerna gäller de sparade "
                "raderna, inte den här raden för alla planer."
            )
            hint = "Ta med en rad per plan (kolumnen Plan) om åtgärden ska ändras i de planerna."
        else:
            continue  # rows for other named plans: each plan keeps its own version of the action
        ctx.problems.append(warning(read.sheet, first_row[action_id], "Plan", action_id, message, hint))


def _define_actions(read: ReadSheet, ctx: ReadContext) -> None:
    """Warn of stored rows the sheet leaves beside its own, and make the sheet's start years known to Uppföljning."""
    _left_beside(read, ctx)
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


def _percent(value: float) -> str:
    """A share done as a message writes it: '45 %', '0,45 %'."""
    return f"{value:g}".replace(".", ",") + " %"


def _progress(row: Row) -> tuple[bool, float | None]:
    """Andel klar as percent 0–100 (None when blank) and whether the cell is valid; a bad one is reported."""
    raw = row.cell("progress")
    num = parse_number(raw)
    if num.is_missing:
        return True, None
    hint = "Skriv hur stor del av åtgärden som är klar i procent 0–100, t.ex. 45 eller 45 %."
    if num.error or num.value is None:
        row.error(row.label("progress", as_written=True), raw, num.error, hint)
        return False, None
    if not 0 <= num.value <= 100:
        row.error(row.label("progress", as_written=True), raw, "Andel klar ligger utanför 0–100 %.", hint)
        return False, None
    if 0 < num.value < 1 and not num.percent_sign:
        # A cell formatted as percent in Excel holds 45 % as 0,45: most likely that, not 0,45 % done.
        row.problems.append(
            warning(
                row.sheet.name,
                row.number,
                row.label("progress", as_written=True),
                raw,
                f"Andel klar läses som {_percent(num.value)} (under 1 %).",
                "Är cellen formaterad som procent i Excel blir 45 % talet 0,45: skriv 45 i en cell formaterad som tal.",
            )
        )
    return True, num.value


def followup_record(row: Row, ctx: ReadContext) -> Record | None:
    """One row of Uppföljning as an action's status in a year; a year before the action's start, or Genomförd with
    Andel klar under 100 %, is a warning."""
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
    progress_ok, progress = _progress(row)
    comment, source = row.text("comment"), row.text("source")
    if action is None or year is None or status is None or not progress_ok:
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
    if status == DONE and progress is not None and progress < 100:
        row.problems.append(
            warning(
                row.sheet.name,
                row.number,
                row.label("progress", as_written=True),
                row.cell("progress"),
                f"Statusen är {DONE} men Andel klar är {_percent(progress)}.",
                f"Skriv 100 i Andel klar, eller välj en annan status än {DONE}.",
            )
        )
    record: Record = {"action": action, "year": year, "status": status, "comment": comment, "source": source}
    if progress is not None:
        record["progress"] = progress
    return record


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
