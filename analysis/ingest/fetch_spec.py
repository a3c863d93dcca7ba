"""Where an indicator's official figures come from: the sheet Hämtningar, one row per fetch definition.

A definition names the API and table, the selection of each variable, the time span, which variables are the area,
the sex and a group (with their codes translated), a factor (0–1 shares to percent) and, for monthly or quarterly
tables, the rule that makes a year. Definitions are data: they are uploaded and versioned like the rest of the
workbook, and `fetch_specs` turns the stored table into FetchSpec objects for the fetcher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from analysis.core.groups import MEN, WOMEN
from analysis.core.model import TOTAL
from analysis.ingest.cells import parse_number
from analysis.ingest.context import ReadContext
from analysis.ingest.contract import FETCH_SHEET
from analysis.ingest.names import canonical_group, normalise
from analysis.ingest.sheets import Row, SheetReader, choice

PXWEB2 = "PxWeb v2"
PXWEB1 = "PxWeb v1"
KOLADA = "Kolada"
APIS: tuple[str, ...] = (PXWEB2, PXWEB1, KOLADA)
# The variables of a Kolada answer (analysis/ingest/kolada.py): the defaults of a Kolada definition.
KOLADA_TIME, KOLADA_AREA = "period", "municipality"
# How monthly or quarterly values make the year's value: the last period (december, the fourth quarter) or the mean.
LAST_PERIOD = "Sista perioden"
MEAN = "Medelvärde"
PERIOD_RULES: tuple[str, ...] = (LAST_PERIOD, MEAN)
ALL_TIME = "*"
_FROM = re.compile(r"^(?:från|from)\s+(\d{4})$", re.IGNORECASE)
_LATEST = re.compile(r"^(?:senaste|latest|top)\s+(\d{1,3})$", re.IGNORECASE)
YES = frozenset({"ja", "yes", "true", "1", "x"})
NO = frozenset({"", "nej", "no", "false", "0"})


@dataclass(frozen=True)
class FetchSpec:
    """One fetch definition, parsed: what to ask the API and how its answer becomes observations."""

    indicator: str
    api: str
    base_url: str
    table: str
    selection: dict[str, tuple[str, ...]]  # variable -> codes or expressions ('*', 'top(5)', 'from(2015)')
    time_variable: str
    area_variable: str
    sex_variable: str = ""
    sex_codes: dict[str, str] = field(default_factory=dict)  # code -> Totalt, Kvinnor or Män
    group_variable: str = ""
    group_codes: dict[str, str] = field(default_factory=dict)  # code -> group ('Utrikes födda')
    factor: float = 1.0
    period_rule: str = ""
    verified: bool = False
    comment: str = ""

    @property
    def label(self) -> str:
        """'folkmangd ur TAB6471 (PxWeb v2)': how messages name the definition."""
        return f"{self.indicator} ur {self.table} ({self.api})"


def parse_selection(text: object) -> tuple[dict[str, tuple[str, ...]], str]:
    """'Region=0580; ContentsCode=BE0101N1' -> {variable: codes}, and '' or a Swedish reason it cannot be read."""
    out: dict[str, tuple[str, ...]] = {}
    for part in str(text or "").split(";"):
        if not part.strip():
            continue
        name, sep, codes = part.partition("=")
        values = tuple(c.strip() for c in codes.split(",") if c.strip())
        if not sep or not name.strip() or not values:
            return {}, f"”{part.strip()}” ska skrivas variabel=kod1,kod2"
        if name.strip() in out:
            return {}, f"variabeln {name.strip()} står två gånger"
        out[name.strip()] = values
    return out, ""


def parse_time(text: object) -> tuple[str, str]:
    """The time selection of a Tid cell: alla -> '*', 'från 2015' -> 'from(2015)', 'senaste 5' -> 'top(5)'; and
    '' or a Swedish reason."""
    raw = " ".join(str(text or "").split())
    if normalise(raw) in ("", "alla", "all"):
        return ALL_TIME, ""
    if m := _FROM.match(raw):
        return f"from({m.group(1)})", ""
    if (m := _LATEST.match(raw)) and int(m.group(1)) > 0:
        return f"top({int(m.group(1))})", ""
    return "", "skriv alla, från ÅÅÅÅ eller senaste N"


def parse_codes(text: object, canonical) -> tuple[dict[str, str], str]:
    """'1=Män; 2=Kvinnor; TotSa=Totalt' -> {code: canonical label}, and '' or a Swedish reason."""
    out: dict[str, str] = {}
    for part in str(text or "").split(";"):
        if not part.strip():
            continue
        code, sep, label = part.partition("=")
        found = canonical(label.strip()) if sep and label.strip() else None
        if not code.strip() or found is None:
            return {}, f"”{part.strip()}” ska skrivas kod=benämning med en känd benämning"
        out[code.strip()] = found
    return out, ""


def sex_label(raw: str) -> str | None:
    """Totalt, Kvinnor or Män for a sex label in any usual spelling, else None."""
    key = normalise(raw)
    for label, words in (
        (TOTAL, ("totalt", "total", "bada konen", "samtliga")),
        (WOMEN, ("kvinnor", "kvinna", "k")),
        (MEN, ("man", "men", "m")),
    ):
        if key in words:
            return label
    return None


def group_label(raw: str) -> str | None:
    """The canonical group of a label (Utrikes födda, 20–64 år …), None when unknown or the total."""
    found = canonical_group(raw)
    return found if found not in (None, TOTAL) else None


def fetch_record(row: Row, ctx: ReadContext) -> dict[str, object] | None:
    """One row of Hämtningar as a checked definition (every cell kept as the text a user wrote)."""
    sheet = row.sheet.name
    indicator = ctx.resolve_indicator(sheet, row.number, "Indikator", row.cell("indicator"))
    ok = indicator is not None
    api = choice(row.text("api"), APIS)
    if api is None:
        row.error("API", row.text("api"), "Okänt API.", f"Skriv {', '.join(APIS[:-1])} eller {APIS[-1]}.")
        ok = False
    if not re.match(r"^https?://\S+$", row.text("base_url")):
        spaced = re.match(r"^https?://", row.text("base_url")) is not None
        row.error(
            "Adress",
            row.text("base_url"),
            "Adressen får inte innehålla mellanslag." if spaced else "Adressen ska börja med http:// eller https://.",
            "Skriv mellanslag som %20." if spaced else "Till exempel https://statistikdatabasen.scb.se/api/v2.",
        )
        ok = False
    checks = (
        ("Urval", "selection", parse_selection),
        ("Tid", "time", parse_time),
        ("Könskoder", "sex_codes", lambda t: parse_codes(t, sex_label)),
        ("Gruppkoder", "group_codes", lambda t: parse_codes(t, group_label)),
    )
    for column, name, parse in checks:
        _, reason = parse(row.text(name))
        if reason:
            row.error(column, row.text(name), f"Kan inte läsas: {reason}.", "Se instruktionen på bladet.")
            ok = False
    for variable, codes in (("sex_variable", "sex_codes"), ("group_variable", "group_codes")):
        if row.text(variable) and not row.text(codes):
            row.error(
                "Könskoder" if codes == "sex_codes" else "Gruppkoder",
                "",
                "Variabeln är angiven men inte vad dess koder betyder.",
                "Skriv till exempel 1=Män; 2=Kvinnor; TotSa=Totalt.",
            )
            ok = False
    factor = row.text("factor")
    if factor and parse_number(factor).value is None:
        row.error("Faktor", factor, "Faktorn är inget tal.", "Skriv till exempel 100 för andelar 0–1 som procent.")
        ok = False
    if row.text("period_rule") and choice(row.text("period_rule"), PERIOD_RULES) is None:
        row.error(
            "Period", row.text("period_rule"), "Okänd regel.", f"Skriv {PERIOD_RULES[0]} eller {PERIOD_RULES[1]}."
        )
        ok = False
    if normalise(row.text("verified")) not in YES | NO:
        row.error("Verifierad", row.text("verified"), "Skriv Ja eller Nej.", "Ja när en hämtning provats mot API:t.")
        ok = False
    if not ok:
        return None
    record = {f: row.text(f) for f in ("base_url", "table", "selection", "time", "time_variable", "area_variable")}
    record.update({f: row.text(f) for f in ("sex_variable", "sex_codes", "group_variable", "group_codes")})
    record.update({f: row.text(f) for f in ("factor", "period_rule", "verified", "comment")})
    return {**record, "indicator": indicator, "api": api}


FETCHES = SheetReader(FETCH_SHEET, fetch_record, keeps_stored_columns=False)


def fetch_spec(row: dict) -> FetchSpec:
    """A stored definition (checked when it was read) as a FetchSpec."""
    selection, _ = parse_selection(row.get("selection"))
    kolada = str(row.get("api")) == KOLADA
    time_variable = str(row.get("time_variable") or (KOLADA_TIME if kolada else "Tid")).strip()
    time, _ = parse_time(row.get("time"))
    selection.setdefault(time_variable, (time or ALL_TIME,))
    factor = parse_number(row.get("factor")).value if str(row.get("factor") or "").strip() else 1.0
    sex_variable, group_variable = (
        str(row.get("sex_variable") or "").strip(),
        str(row.get("group_variable") or "").strip(),
    )
    sex_codes = parse_codes(row.get("sex_codes"), sex_label)[0]
    group_codes = parse_codes(row.get("group_codes"), group_label)[0]
    # A sex or group variable the Urval leaves out is asked for with the codes the definition translates.
    for variable, codes in ((sex_variable, sex_codes), (group_variable, group_codes)):
        if variable and codes and variable not in selection:
            selection[variable] = tuple(codes)
    return FetchSpec(
        indicator=str(row["indicator"]),
        api=str(row["api"]),
        base_url=str(row["base_url"]).rstrip("/"),
        table=str(row["table"]).strip(),
        selection=selection,
        time_variable=time_variable,
        area_variable=str(row.get("area_variable") or (KOLADA_AREA if kolada else "Region")).strip(),
        sex_variable=sex_variable,
        sex_codes=sex_codes,
        group_variable=group_variable,
        group_codes=group_codes,
        factor=float(factor if factor is not None else 1.0),
        period_rule=choice(str(row.get("period_rule") or ""), PERIOD_RULES) or "",
        verified=normalise(row.get("verified")) in YES,
        comment=str(row.get("comment") or ""),
    )


def fetch_specs(fetches: pd.DataFrame, indicators: list[str] | None = None) -> list[FetchSpec]:
    """The stored definitions as FetchSpecs, all or those of the given indicators, in table order."""
    rows = fetches.to_dict("records")
    wanted = set(indicators or [])
    return [fetch_spec(r) for r in rows if not wanted or str(r["indicator"]) in wanted]


def fetch_table(specs: list[FetchSpec]) -> pd.DataFrame:
    """The definitions as the Data page lists them: indicator, API, table, selection, rules and whether verified."""
    return pd.DataFrame(
        {
            "Indikator": [s.indicator for s in specs],
            "API": [s.api for s in specs],
            "Tabell": [s.table for s in specs],
            "Urval": ["; ".join(f"{k}={','.join(v)}" for k, v in s.selection.items()) for s in specs],
            "Period": [s.period_rule or "–" for s in specs],
            "Verifierad": ["Ja" if s.verified else "Nej" for s in specs],
            "Adress": [s.base_url for s in specs],
        }
    )
