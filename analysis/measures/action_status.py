"""The status an action is shown with: Försenad and Riskerar att försenas derived from its dates and progress.

A follow-up system (Stratsys and the like) does not trust a status that nobody has updated: an action whose end
date has passed and that is not closed is late, whatever the data says, and an action that is clearly behind its
schedule shortly before its end date is at risk. Both rules are here once, with their Swedish wording; `today` (or
the follow-up's 31 December) is always a parameter so tests pin dates around it.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from analysis.core.model import ACTION_STATUSES, is_missing

NOT_STARTED, ONGOING, AT_RISK, DELAYED, DONE, CANCELLED, PAUSED = ACTION_STATUSES
# The status of an action that a follow-up has no entry for.
NO_STATUS = "Status saknas"
# Statuses an end date in the past does not turn into Försenad.
CLOSED_STATUSES = frozenset({DONE, CANCELLED, PAUSED})
# Percentage points an action's reported progress may lag its time-proportional schedule before it is at risk.
RISK_MARGIN = 10.0

_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR_ONLY = re.compile(r"^(\d{4})$")


def parse_day(value: object) -> date | None:
    """A date from a date or ISO text ('2025-06-30'; '2025-06' = the month's last day, '2025' = 31 Dec), else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    try:
        if m := _ISO_DAY.match(text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _ISO_MONTH.match(text):
            year, month = int(m.group(1)), int(m.group(2))
            return date(year, month, calendar.monthrange(year, month)[1])
        if m := _YEAR_ONLY.match(text):
            return date(int(m.group(1)), 12, 31)
    except ValueError:
        return None
    return None


def months_after(day: date, months: int) -> date:
    """The same day `months` calendar months later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expected_progress(start: object, end: object, on: date) -> float | None:
    """The share of an action's period (0–100 %) that has passed on a day; None without both dates."""
    begin, finish = parse_day(start), parse_day(end)
    if begin is None or finish is None or finish <= begin:
        return None
    share = (on - begin).days / (finish - begin).days
    return 100.0 * min(1.0, max(0.0, share))


def is_at_risk(
    status: str,
    start: object,
    end: object,
    on: date,
    progress: object = None,
    reported_on: date | None = None,
    risk_months: int = 6,
) -> bool:
    """True when an open action whose end date is within `risk_months` of `on` will not make it (RISK_RULE)."""
    finish = parse_day(end)
    if status not in (NOT_STARTED, ONGOING) or finish is None or not on <= finish <= months_after(on, risk_months):
        return False
    if status == NOT_STARTED:
        begin = parse_day(start)
        return begin is not None and begin <= on
    if is_missing(progress) or reported_on is None:
        return False
    expected = expected_progress(start, end, reported_on)
    return expected is not None and float(progress) < expected - RISK_MARGIN


def effective_status(
    status: str,
    end: object,
    today: date | None = None,
    *,
    start: object = None,
    progress: object = None,
    reported_on: date | None = None,
    risk_months: int = 6,
) -> tuple[str, bool]:
    """The status to show and whether it was derived: Försenad once the end date has passed, unless closed;
    Riskerar att försenas by RISK_RULE."""
    today = today or date.today()
    day = parse_day(end)
    if status in CLOSED_STATUSES or status == DELAYED or day is None:
        return status, False
    if day < today:
        return DELAYED, True
    if status != AT_RISK and is_at_risk(status, start, end, today, progress, reported_on, risk_months):
        return AT_RISK, True
    return status, False


RISK_EXAMPLE = (
    "Exempel: en åtgärd 2026-01-01–2026-12-31 som 2 juli (halva perioden) rapporterar 39 % klar riskerar att "
    "försenas, med 40 % gör den det inte."
)
YEAR_RULE = (
    "En uppföljning av ett år visar statusen som rapporterades det året (den senaste rapporten till och med året), "
    "bedömd 31 december det året. En åtgärd i planen som inte har rapporterats än visas som Ej påbörjad (härledd) om "
    "den börjar senare, annars som Status saknas."
)


def risk_rule(risk_months: int = 6) -> str:
    """The rule for Riskerar att försenas in Swedish, with the configured number of months."""
    return (
        f"Status Riskerar att försenas räknas fram: en åtgärd som är Ej påbörjad eller Pågår och vars slutdatum "
        f"infaller inom {risk_months:d} månader visas som Riskerar att försenas om den ännu inte har påbörjats fast "
        f"startdatumet har passerat, eller om den senast rapporterade andelen klar ligger mer än "
        f"{RISK_MARGIN:.0f} procentenheter efter tidsplanen (den andel av åtgärdens period som hade gått när "
        "andelen rapporterades: 31 december uppföljningsåret, eller i dag för innevarande år). Utan rapporterad "
        "andel klar bedöms en pågående åtgärd inte."
    )


DELAY_RULE = (
    "Status Försenad räknas fram: en åtgärd vars slutdatum har passerat och som inte är Genomförd, Avbruten eller "
    "Vilande visas som Försenad, som i ett uppföljningssystem. Kolumnen Angiven status visar vad som står i datan."
)
