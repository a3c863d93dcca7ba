"""The data model: the canonical tidy observation table and the tables beside it.

Every page, chart, export and the CLI reads data through a `Dataset`; its frames always
have exactly the columns declared here, in this order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace

import pandas as pd

from analysis.core.missing import is_missing as is_missing  # re-exported: the one test for 'no value'
from analysis.core.units import PERCENT as PERCENT  # the catalogue's vocabulary, re-exported
from analysis.core.units import UNITS as UNITS

SEXES: tuple[str, ...] = ("Totalt", "Kvinnor", "Män")
TOTAL = "Totalt"

THEMES: tuple[str, ...] = (
    "arbete",
    "ekonomi",
    "utbildning",
    "boende",
    "befolkning",
    "demokrati",
    "hälsa",
    "trygghet",
)


# How a gap to the reference can be measured (the rules are in analysis/measures/verdicts.py): a difference in procentenheter
# (shares), a difference in the unit itself (days, points), or percent of the reference's value.
GAP_PP, GAP_UNIT, GAP_PERCENT = "procentenheter", "enhet", "procent"
GAP_MEASURES: tuple[str, ...] = (GAP_PP, GAP_UNIT, GAP_PERCENT)
# How sentences name the sexes of an indicator's population.
SEX_WORDS: tuple[str, ...] = ("kvinnor och män", "flickor och pojkar")

HIGHER = "Högre är bättre"
LOWER = "Lägre är bättre"
NEUTRAL = "Neutral"
DIRECTIONS: tuple[str, ...] = (HIGHER, LOWER, NEUTRAL)

FOCUS = "Fokusområde"
REFERENCE = "Jämförelse"
MUNICIPALITY = "Kommun"
NATION = "Riket"
OTHER = "Övrigt"
AREA_TYPES: tuple[str, ...] = (FOCUS, REFERENCE, MUNICIPALITY, NATION, OTHER)

ACTION_THEMES: tuple[str, ...] = ("trygghet", "gemenskap", "arbete", "utbildning", "fritid")
ACTION_STATUSES: tuple[str, ...] = (
    "Ej påbörjad",
    "Pågår",
    "Riskerar att försenas",
    "Försenad",
    "Genomförd",
    "Avbruten",
    "Vilande",
)
# The plan an action without a Plan cell belongs to: every plan there is (or the one implicit plan when none is named).
ALL_PLANS = ""

TEXT_HEADINGS: tuple[str, ...] = ("Områdesbeskrivning", "Aktörer", "Utmaningar", "Styrkor", "Skyddsfaktorer")

EXAMPLE_SOURCE = "Exempelvärde (fiktivt)"

# `sex` holds the value's group: Totalt, a sex, or a group of another dimension such as 'Utrikes födda' or
# 'Utrikes födda, kvinnor' (analysis/core/groups.py); it keeps its first dimension's name so stores stay as they were.
OBSERVATION_COLUMNS: tuple[str, ...] = ("area", "indicator", "year", "sex", "value", "source", "note")
OBSERVATION_KEY: tuple[str, ...] = ("area", "indicator", "year", "sex")
INDICATOR_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "theme",
    "unit",
    "direction",
    "definition",
    "source",
    "decimals",
    "key_figure",
    "comparability",
    "definite",
    # How the indicator is compared (analysis/measures/verdicts.py): blank means the default for its unit.
    "gap_measure",
    "threshold",
    "sex_words",
    # How many years after the statistics year a figure is normally published (blank: unknown), for freshness flags.
    "lag_years",
    # Known series breaks, 'år: vad som ändrades; …' (analysis/core/breaks.py): charts mark them, verdicts stop there.
    "breaks",
    # The codes of a categorical indicator (unit kategori), 'kod: benämning; …' (analysis/core/categories.py).
    "categories",
)
AREA_COLUMNS: tuple[str, ...] = ("name", "type", "code", "aliases")
# A version of the action plan (Åtgärdsplan 2020, Åtgärdsplan 2022 …): when and by whom it was adopted, which years
# it covers (last_year blank = until the next plan).
PLAN_COLUMNS: tuple[str, ...] = ("name", "adopted", "decided_by", "first_year", "last_year", "comment", "source")
# One row per action and plan version it belongs to ('' = ALL_PLANS): an action can change between plans.
ACTION_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "theme",
    "responsible",
    "areas",
    "start",
    "end",
    "status",
    "comment",
    "indicators",
    "source",
    "plan",
)
# One follow-up (uppföljning) of an action: its status and comment as reported for a year.
# progress: the share of the action done (0–100 %) as reported, used to warn of a coming delay.
FOLLOWUP_COLUMNS: tuple[str, ...] = ("action", "year", "status", "comment", "source", "progress")
TARGET_COLUMNS: tuple[str, ...] = ("area", "indicator", "base_year", "target_year", "target_value", "source")
TEXT_COLUMNS: tuple[str, ...] = ("area", "heading", "text", "source")
# An area's boundary (analysis/ingest/boundaries.py): its GeoJSON geometry in WGS 84 (lon/lat), simplified for the
# screen, with the code and name the feature had in the uploaded file. Loaded from GeoJSON, GeoPackage or Shapefile,
# never from a workbook sheet.
BOUNDARY_COLUMNS: tuple[str, ...] = ("area", "code", "name", "geometry", "source")
# Where an indicator's official figures are fetched from (analysis/ingest/fetch_spec.py): API, table, selection and
# how the answer's variables become area, year, sex and group. Every cell is text as the user wrote it.
FETCH_COLUMNS: tuple[str, ...] = (
    "indicator",
    "api",
    "base_url",
    "table",
    "selection",
    "time_variable",
    "time",
    "area_variable",
    "sex_variable",
    "sex_codes",
    "group_variable",
    "group_codes",
    "factor",
    "period_rule",
    "verified",
    "comment",
)

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "observations": OBSERVATION_COLUMNS,
    "indicators": INDICATOR_COLUMNS,
    "areas": AREA_COLUMNS,
    "plans": PLAN_COLUMNS,
    "actions": ACTION_COLUMNS,
    "action_followups": FOLLOWUP_COLUMNS,
    "targets": TARGET_COLUMNS,
    "area_texts": TEXT_COLUMNS,
    "boundaries": BOUNDARY_COLUMNS,
    "fetches": FETCH_COLUMNS,
}
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "observations": OBSERVATION_KEY,
    "indicators": ("id",),
    "areas": ("name",),
    "plans": ("name",),
    "actions": ("id", "plan"),
    "action_followups": ("action", "year"),
    "targets": ("area", "indicator", "target_year"),
    "area_texts": ("area", "heading"),
    "boundaries": ("area",),
    "fetches": ("indicator", "table"),
}
NUMERIC_COLUMNS: dict[str, frozenset[str]] = {
    "observations": frozenset({"year", "value"}),
    "indicators": frozenset({"decimals", "threshold", "lag_years"}),
    "plans": frozenset({"first_year", "last_year"}),
    "action_followups": frozenset({"year", "progress"}),
    "targets": frozenset({"base_year", "target_year", "target_value"}),
}
INT_COLUMNS = frozenset({"year", "decimals", "base_year", "target_year", "first_year", "last_year", "lag_years"})

# Swedish labels for the columns a user sees (tables on screen, exports).
COLUMN_LABELS: dict[str, str] = {
    "area": "Område",
    "indicator": "Indikator",
    "year": "År",
    "sex": "Grupp",
    "value": "Värde",
    "source": "Källa",
    "note": "Kommentar",
    "id": "Id",
    "name": "Namn",
    "theme": "Tema",
    "unit": "Enhet",
    "direction": "Riktning",
    "definition": "Definition",
    "decimals": "Decimaler",
    "key_figure": "Nyckeltal",
    "comparability": "Jämförbarhet",
    "lag_years": "Publiceringsfördröjning (år)",
    "breaks": "Serieavbrott",
    "categories": "Kategorier",
    "definite": "Bestämd form",
    "gap_measure": "Skillnad mäts i",
    "threshold": "Oförändrat-gräns",
    "sex_words": "Kön i meningar",
    "type": "Typ",
    "code": "Kod",
    "aliases": "Alias",
    "title": "Åtgärd",
    "responsible": "Ansvarig",
    "areas": "Områden",
    "start": "Start",
    "end": "Slut",
    "status": "Status",
    "comment": "Kommentar",
    "indicators": "Indikatorer",
    "base_year": "Basår",
    "target_year": "Målår",
    "target_value": "Målvärde",
    "action": "Åtgärd",
    "heading": "Rubrik",
    "text": "Text",
    "plan": "Plan",
    "adopted": "Antagen",
    "decided_by": "Beslutad av",
    "first_year": "Gäller från",
    "last_year": "Gäller till",
    "progress": "Andel klar (%)",
    "geometry": "Geometri",
    "api": "API",
    "base_url": "Adress",
    "table": "Tabell",
    "selection": "Urval",
    "time_variable": "Tidsvariabel",
    "time": "Tid",
    "area_variable": "Områdesvariabel",
    "sex_variable": "Könsvariabel",
    "sex_codes": "Könskoder",
    "group_variable": "Gruppvariabel",
    "group_codes": "Gruppkoder",
    "factor": "Faktor",
    "period_rule": "Period",
    "verified": "Verifierad",
}


def empty_frame(table: str) -> pd.DataFrame:
    """An empty frame with the declared columns and dtypes of a table."""
    cols = TABLE_COLUMNS[table]
    numeric = NUMERIC_COLUMNS.get(table, frozenset())
    data = {}
    for c in cols:
        if c in INT_COLUMNS:
            data[c] = pd.Series(dtype="Int64")
        elif c in numeric:
            data[c] = pd.Series(dtype="float64")
        elif c == "key_figure":
            data[c] = pd.Series(dtype="bool")
        else:
            data[c] = pd.Series(dtype="str")
    return pd.DataFrame(data)


def conform(table: str, frame: pd.DataFrame | None) -> pd.DataFrame:
    """The frame with exactly the table's columns (missing ones added empty) and canonical dtypes."""
    if frame is None or len(frame) == 0:
        return empty_frame(table)
    out = frame.copy()
    numeric = NUMERIC_COLUMNS.get(table, frozenset())
    for c in TABLE_COLUMNS[table]:
        if c not in out.columns:
            out[c] = False if c == "key_figure" else (pd.NA if c in numeric else "")
    out = out[list(TABLE_COLUMNS[table])]
    for c in TABLE_COLUMNS[table]:
        if c in INT_COLUMNS:
            out[c] = pd.to_numeric(out[c], errors="coerce").round().astype("Int64")
        elif c in numeric:
            out[c] = pd.to_numeric(out[c], errors="coerce").astype("float64")
        elif c == "key_figure":
            out[c] = out[c].fillna(False).astype(bool)
        else:
            out[c] = out[c].astype("object").where(out[c].notna(), "").map(str).astype("str")
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class Dataset:
    """All data the dashboard shows: observations plus the catalogue, areas and plan tables."""

    observations: pd.DataFrame = field(default_factory=lambda: empty_frame("observations"))
    indicators: pd.DataFrame = field(default_factory=lambda: empty_frame("indicators"))
    areas: pd.DataFrame = field(default_factory=lambda: empty_frame("areas"))
    plans: pd.DataFrame = field(default_factory=lambda: empty_frame("plans"))
    actions: pd.DataFrame = field(default_factory=lambda: empty_frame("actions"))
    action_followups: pd.DataFrame = field(default_factory=lambda: empty_frame("action_followups"))
    targets: pd.DataFrame = field(default_factory=lambda: empty_frame("targets"))
    area_texts: pd.DataFrame = field(default_factory=lambda: empty_frame("area_texts"))
    boundaries: pd.DataFrame = field(default_factory=lambda: empty_frame("boundaries"))
    fetches: pd.DataFrame = field(default_factory=lambda: empty_frame("fetches"))

    def table(self, name: str) -> pd.DataFrame:
        """One of the frames by its table name."""
        return getattr(self, name)

    def with_table(self, name: str, frame: pd.DataFrame) -> Dataset:
        """A copy with one table replaced (conformed to its declared columns)."""
        return replace(self, **{name: conform(name, frame)})

    def row_counts(self) -> dict[str, int]:
        """Number of rows per table."""
        return {f.name: len(getattr(self, f.name)) for f in fields(self)}


TABLES: tuple[str, ...] = tuple(f.name for f in fields(Dataset))
# The tables a workbook holds (a sheet each); boundaries come from geodata files (analysis/ingest/boundaries.py).
GEO_TABLES: frozenset[str] = frozenset({"boundaries"})
SHEET_TABLES: tuple[str, ...] = tuple(t for t in TABLES if t not in GEO_TABLES)


def make_dataset(**tables: pd.DataFrame | None) -> Dataset:
    """A Dataset whose given tables are conformed to the declared columns; the others empty."""
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise ValueError(f"unknown tables: {sorted(unknown)}")
    return Dataset(**{name: conform(name, tables.get(name)) for name in TABLES})


# The one rule for "this source is a fictitious example" (values, targets, actions, follow-ups, texts): a word that
# begins with exempel/example, fiktiv/fictitious or påhitta(d/t), anywhere in a source that is not a web address.
# 'Exempelvärde (fiktivt)' and 'Härlett exempelvärde ur …' are examples; 'exempelvis', 'till exempel' and
# 'for example' are ordinary words, and published values have their web address or their publisher as source.
_EXAMPLE_WORD = re.compile(r"(?<!\w)(?<!till )(?<!for )(?:exempel(?!vis)|example|fiktiv|fictitious|påhitta)")
_WEB_ADDRESS = re.compile(r"^(?:https?://|www\.)")


def is_example(source: object) -> bool:
    """True when a source marks a value, target, action or text as a fictitious example (the one rule)."""
    if not isinstance(source, str):
        return False
    text = " ".join(source.split()).casefold()
    return not _WEB_ADDRESS.match(text) and _EXAMPLE_WORD.search(text) is not None


# The one rule for "this value rests on too few persons to judge": a note that says so. Such a value is shown with its
# note but left out of every comparison, change and verdict. The reader writes UNCERTAIN_NOTE for a value in
# parentheses, '(12,3)', the convention for uncertain figures in Swedish statistical tables.
UNCERTAIN_NOTE = "Osäkert värde: bygger på få personer"
_UNCERTAIN_WORD = re.compile(
    r"(?<!\w)(?:osäker|få personer|få individer|få observationer|litet underlag|small number|few persons|uncertain)"
)


def is_uncertain(note: object) -> bool:
    """True when a value's note says it rests on few persons or is too uncertain to compare (the one rule)."""
    return isinstance(note, str) and _UNCERTAIN_WORD.search(" ".join(note.split()).casefold()) is not None


def split_list(cell: object) -> list[str]:
    """The items of a ';'-separated cell (aliases, areas, indicators), trimmed and without blanks."""
    if is_missing(cell):
        return []
    return [p.strip() for p in str(cell).split(";") if p.strip()]


def areas_of_type(areas: pd.DataFrame, area_type: str) -> list[str]:
    """Names of the areas of one type, in table order."""
    return areas.loc[areas["type"] == area_type, "name"].tolist()


def focus_areas(areas: pd.DataFrame) -> list[str]:
    """The focus areas (type Fokusområde), in table order."""
    return areas_of_type(areas, FOCUS)


def reference_area(areas: pd.DataFrame) -> str | None:
    """The default comparison area: the first of type Jämförelse, else the municipality."""
    for kind in (REFERENCE, MUNICIPALITY):
        names = areas_of_type(areas, kind)
        if names:
            return names[0]
    return None
