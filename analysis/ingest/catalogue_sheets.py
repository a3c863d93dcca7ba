"""The catalogue sheets, Områden and Indikatorer: what each row must hold, and how they extend the known catalogue."""

from __future__ import annotations

from analysis.core.breaks import parse_breaks
from analysis.core.categories import CATEGORY, parse_categories
from analysis.core.model import (
    AREA_TYPES,
    DIRECTIONS,
    GAP_MEASURES,
    GAP_PP,
    HIGHER,
    LOWER,
    NEUTRAL,
    PERCENT,
    SEX_WORDS,
    THEMES,
    UNITS,
    split_list,
)
from analysis.core.units import default_decimals
from analysis.ingest.cells import is_blank, parse_bool, parse_number
from analysis.ingest.context import ReadContext
from analysis.ingest.contract import AREA_SHEET, INDICATOR_SHEET
from analysis.ingest.names import normalise
from analysis.ingest.problems import error
from analysis.ingest.sheets import ReadSheet, Row, SheetReader, choice

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


# --- Områden -------------------------------------------------------------------------------------------------------


def area_record(row: Row, ctx: ReadContext) -> dict[str, object] | None:
    """One row of Områden as an area: a name and a known area type are required."""
    name = row.text("name")
    if not name:
        row.error("Område", "", "Områdets namn saknas.", "Fyll i namnet.")
        return None
    kind = row.choice("type", AREA_TYPES, "Okänd områdestyp.", blank=None)
    if kind is None:
        return None
    return {"name": name, "type": kind, "code": row.text("code"), "aliases": ";".join(split_list(row.text("aliases")))}


def _claim_names(read: ReadSheet, ctx: ReadContext) -> None:
    """Report every name, code or alias that the sheet gives to two areas (each must point at one area only)."""
    owner: dict[str, str] = {}
    for r, row_no in zip(read.frame.itertuples(index=False), read.rows):
        for alias in [r.name, r.code, *split_list(r.aliases)]:
            key = normalise(alias)
            if not key:
                continue
            if key in owner and owner[key] != r.name:
                ctx.problems.append(
                    error(
                        read.sheet,
                        row_no,
                        "Alias",
                        alias,
                        f"Namnet eller aliaset används redan för området {owner[key]}.",
                        "Ett alias får bara höra till ett område.",
                    )
                )
            owner[key] = r.name


def _define_areas(read: ReadSheet, ctx: ReadContext) -> None:
    """Check the names the areas claim, then make the areas known to the sheets read after Områden."""
    _claim_names(read, ctx)
    ctx.define_areas(read.frame)


AREAS = SheetReader(AREA_SHEET, area_record, finish=_define_areas)


# --- Indikatorer ---------------------------------------------------------------------------------------------------


def _decimals(row: Row, unit: object) -> int | None:
    """The Decimaler cell as 0–4 (blank: the unit's default), or None with the error reported."""
    raw = row.cell("decimals")
    if is_blank(raw):
        return default_decimals(str(unit or ""))
    num = parse_number(raw)
    if num.value is None or not num.value.is_integer() or not 0 <= num.value <= 4:
        row.error(row.label("decimals"), raw, "Decimaler ska vara ett heltal 0–4.", "Skriv 0, 1, 2, 3 eller 4.")
        return None
    return int(num.value)


def _gap_measure(row: Row, unit: object) -> str | None:
    """How gaps of the indicator are measured ('' when blank), or None with the error reported."""
    raw = row.cell("gap_measure")
    if is_blank(raw):
        return ""
    measure = choice(raw, GAP_MEASURES)
    if measure is None:
        row.error(
            row.label("gap_measure"),
            raw,
            "Okänt sätt att mäta skillnaden.",
            f"Välj en av {', '.join(GAP_MEASURES)} eller lämna tomt.",
        )
    elif measure == GAP_PP and unit not in (None, PERCENT):
        row.error(
            row.label("gap_measure"),
            raw,
            "Procentenheter går bara för indikatorer i procent.",
            "Välj enhet eller procent, eller lämna tomt.",
        )
        return None
    return measure


def _threshold(row: Row) -> tuple[bool, float | None]:
    """The unchanged threshold (None when blank) and whether the cell is valid; a bad one is reported."""
    raw = row.cell("threshold")
    if is_blank(raw):
        return True, None
    num = parse_number(raw)
    if num.value is None or not num.value > 0:
        row.error(
            row.label("threshold"),
            raw,
            "Gränsen för oförändrat ska vara ett tal större än 0.",
            "Skriv t.ex. 1 (procentenheter för procent, annars procent av nivån).",
        )
        return False, None
    return True, float(num.value)


MAX_LAG_YEARS = 10


def _lag_years(row: Row) -> tuple[bool, int | None]:
    """The publication lag in whole years 0–10 (None when blank) and whether the cell is valid; a bad one is reported."""
    raw = row.cell("lag_years")
    if is_blank(raw):
        return True, None
    num = parse_number(raw)
    if num.value is None or not num.value.is_integer() or not 0 <= num.value <= MAX_LAG_YEARS:
        row.error(
            row.label("lag_years"),
            raw,
            f"Publiceringsfördröjningen ska vara ett helt antal år, 0–{MAX_LAG_YEARS}.",
            "Skriv t.ex. 1 om värdet för ett år normalt publiceras året efter, eller lämna tomt.",
        )
        return False, None
    return True, int(num.value)


def _breaks(row: Row) -> tuple[bool, str]:
    """The Serieavbrott cell as written (blank: none) and whether it reads as 'år: vad som ändrades; …'."""
    text = row.text("breaks")
    _, problem = parse_breaks(text)
    if problem:
        row.error(
            row.label("breaks"),
            text,
            problem,
            "Skriv året då det nya sättet att mäta börjar, kolon och vad som ändrades, t.ex. 2019: RAMS ersattes av "
            "BAS. Skilj flera avbrott med semikolon.",
        )
        return False, ""
    return True, text


def _categories(row: Row, unit: object) -> tuple[bool, str]:
    """The Kategorier cell as written: required for the unit kategori, read as 'kod: benämning; …', blank otherwise."""
    text = row.text("categories")
    categories, problem = parse_categories(text)
    hint = "Skriv koderna och deras benämningar, t.ex. 1: Områden med stora socioekonomiska utmaningar; 2: …"
    if unit == CATEGORY and not problem and not categories:
        problem = "Enheten kategori behöver sina kategorier."
    elif unit != CATEGORY and categories:
        problem, hint = "Kategorier anges bara för enheten kategori.", "Ändra enheten till kategori eller töm cellen."
    if problem:
        row.error(row.label("categories"), text, problem, hint)
        return False, ""
    return True, text


def _key_figure(row: Row) -> bool | None:
    """The Nyckeltal cell as a boolean (blank: no), or None with the error reported."""
    flag = parse_bool(row.cell("key_figure"))
    if flag is None:
        row.error("Nyckeltal", row.cell("key_figure"), "Nyckeltal ska vara Ja eller Nej.", "Skriv Ja eller Nej.")
    return flag


def indicator_record(row: Row, ctx: ReadContext) -> dict[str, object] | None:
    """One row of Indikatorer as a catalogue entry; every bad cell of the row is reported, not only the first."""
    rec: dict[str, object] = {"id": row.text("id"), "name": row.text("name")}
    ok = True
    for f in ("id", "name"):
        if not rec[f]:
            label = INDICATOR_SHEET.column(f).header
            row.error(label, "", f"{label} saknas.", f"Fyll i {label.lower()}.")
            ok = False
    for f, allowed, aliases in (
        ("theme", THEMES, None),
        ("unit", UNITS, _UNIT_ALIASES),
        ("direction", DIRECTIONS, _DIRECTION_ALIASES),
    ):
        message = f"Okänt värde för {INDICATOR_SHEET.column(f).header.lower()}."
        rec[f] = row.choice(f, allowed, message, aliases, blank=None)
        ok = ok and rec[f] is not None
    for f in ("definition", "source", "comparability", "definite"):
        rec[f] = row.text(f)
    decimals = _decimals(row, rec["unit"])
    gap_measure = _gap_measure(row, rec["unit"])
    threshold_ok, threshold = _threshold(row)
    lag_ok, lag_years = _lag_years(row)
    breaks_ok, rec["breaks"] = _breaks(row)
    categories_ok, rec["categories"] = _categories(row, rec["unit"])
    sex_words = row.choice("sex_words", SEX_WORDS, "Okänt värde för kön i meningar.")
    key_figure = _key_figure(row)
    rec.update(decimals=decimals, gap_measure=gap_measure or "", sex_words=sex_words or "", key_figure=bool(key_figure))
    if threshold is not None:
        rec["threshold"] = threshold
    if lag_years is not None:
        rec["lag_years"] = lag_years
    valid = (decimals, gap_measure, sex_words, key_figure)
    checks = (ok, threshold_ok, lag_ok, breaks_ok, categories_ok)
    return rec if all(checks) and all(v is not None for v in valid) else None


def _define_indicators(read: ReadSheet, ctx: ReadContext) -> None:
    """Make the sheet's indicators usable on the sheets read after Indikatorer."""
    ctx.define_indicators(read.frame)


INDICATORS = SheetReader(INDICATOR_SHEET, indicator_record, finish=_define_indicators)
