"""An API answer as observations: codes to areas, sexes and groups, months to years by the definition's rule, missing
markers, the factor, and the upload's own checks with problems that name the cell's codes and the address.

The answers are SCB's recorded JSON-stat 2 data response for TAB6471 (/work/shared/reference/pxweb/v2/, population per
month by county, ten-year age group and sex, 2026M01–2026M04), parsed by analysis/ingest/jsonstat.py and cut to the
cells a case needs; the expected values are read off the recording by hand (e.g. Östergötlands län, code 05, women
30–39 in 2026M03: 30 712). Derived, not recorded: the status markers set on single cells, and the small hand-made
answers with yearly and quarterly codes (`answer`).
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analysis.ingest.fetch_spec import LAST_PERIOD, MEAN, PXWEB2, FetchSpec
from analysis.ingest.fetched import NULL_NOTE, fetched_observations, retrieved_at
from analysis.ingest.jsonstat import parse_jsonstat
from analysis.ingest.problems import ERROR, WARNING

REFERENCE = Path("/work/shared/reference/pxweb/v2")
RECORDED = parse_jsonstat(json.loads((REFERENCE / "TAB6471_data.json").read_text("utf-8")))
URL = "https://statistikdatabasen.scb.se/api/v2/tables/TAB6471/data?lang=sv&valueCodes[Region]=05"
WHEN = "2026-12-01 18:03 UTC"
SOURCE = f"{URL} (hämtad {WHEN})"

AREAS = pd.DataFrame(
    [
        {"name": "Östergötlands län", "type": "Övrigt", "code": "05", "aliases": ""},
        {"name": "Uppsala län", "type": "Övrigt", "code": "", "aliases": "03"},  # the code as an alias
        {"name": "Huvudstaden", "type": "Övrigt", "code": "", "aliases": "Stockholms län"},  # SCB's label as an alias
        {"name": "Linköping", "type": "Kommun", "code": "0580", "aliases": ""},
    ]
)
INDICATORS = pd.DataFrame(
    [
        {"id": "folkmangd_lan", "name": "Folkmängd i länet", "unit": "antal", "decimals": 0},
        {"id": "andel_lan", "name": "Andel i länet", "unit": "procent", "decimals": 1},
    ]
)
SEX_CODES = {"TotSa": "Totalt", "1": "Män", "2": "Kvinnor"}
AGES = {"30-39": "30–39 år", "100+10": "100+ år"}
SPEC = FetchSpec(
    indicator="folkmangd_lan",
    api=PXWEB2,
    base_url="https://statistikdatabasen.scb.se/api/v2",
    table="TAB6471",
    selection={},
    time_variable="Tid",
    area_variable="Region",
    sex_variable="Kon",
    sex_codes=SEX_CODES,
    group_variable="Alder",
    group_codes=AGES,
    period_rule=LAST_PERIOD,
)


def cut(frame: pd.DataFrame = RECORDED, **codes: list[str]) -> pd.DataFrame:
    """The answer cut to the given codes per dimension (as a narrower query would answer)."""
    keep = pd.Series(True, index=frame.index)
    for dim, wanted in codes.items():
        keep &= frame[dim].isin(wanted)
    return frame[keep].reset_index(drop=True)


def convert(frame: pd.DataFrame, **changes: object):
    """fetched_observations of a frame under SPEC with some fields changed."""
    return fetched_observations(frame, replace(SPEC, **changes), AREAS, URL, WHEN, indicators=INDICATORS)


def values(obs: pd.DataFrame) -> dict[tuple[str, int, str], float]:
    """The observations as {(area, year, group): value}."""
    return {(r.area, int(r.year), r.sex): float(r.value) for r in obs.itertuples(index=False)}


def errors(problems) -> list:
    """The errors among the problems."""
    return [p for p in problems if p.level == ERROR]


def answer(rows: list[tuple[str, str, float | None, str]]) -> pd.DataFrame:
    """A hand-made answer in the parsed layout: (Region, Tid, value, status) per cell, Kon TotSa throughout."""
    return pd.DataFrame(
        {
            "Region": [r[0] for r in rows],
            "Region_label": ["Östergötlands län" if r[0] == "05" else r[0] for r in rows],
            "Kon": ["TotSa"] * len(rows),
            "Kon_label": ["totalt"] * len(rows),
            "Tid": [r[1] for r in rows],
            "Tid_label": [r[1] for r in rows],
            "value": [math.nan if r[2] is None else r[2] for r in rows],
            "status": [r[3] for r in rows],
        }
    )


ONE_AGE = {"Region": ["05", "03", "01"], "Alder": ["30-39"]}
CASES = [
    # (case, cut of the recording, definition changes, expected {(area, year, group): value})
    (
        "en månad: Östergötland kvinnor 30–39 2026M03",
        {"Region": ["05"], "Alder": ["30-39"], "Kon": ["2"], "Tid": ["2026M03"]},
        {},
        {("Östergötlands län", 2026, "30–39 år, kvinnor"): 30712},
    ),
    (
        "sista perioden: april för varje kön",
        {"Region": ["05"], "Alder": ["30-39"]},
        {},
        {
            ("Östergötlands län", 2026, "30–39 år"): 63931,
            ("Östergötlands län", 2026, "30–39 år, män"): 33201,
            ("Östergötlands län", 2026, "30–39 år, kvinnor"): 30727,
        },
    ),
    (
        "medelvärde: (30699 + 30719 + 30712 + 30727) / 4",
        {"Region": ["05"], "Alder": ["30-39"]},
        {"period_rule": MEAN},
        {
            ("Östergötlands län", 2026, "30–39 år"): 63919.5,  # 255678 / 4
            ("Östergötlands län", 2026, "30–39 år, män"): 33203.25,  # 132813 / 4
            ("Östergötlands län", 2026, "30–39 år, kvinnor"): 30714.25,  # 122857 / 4
        },
    ),
    (
        "koder via Kod, alias och SCB:s namn",
        {**ONE_AGE, "Kon": ["TotSa"], "Tid": ["2026M04"]},
        {},
        {
            ("Östergötlands län", 2026, "30–39 år"): 63931,
            ("Uppsala län", 2026, "30–39 år"): 59344,
            ("Huvudstaden", 2026, "30–39 år"): 390767,
        },
    ),
    (
        "100+ år, medelvärde: (146 + 139 + 134 + 129) / 4",
        {"Region": ["03"], "Alder": ["100+10"], "Kon": ["2"]},
        {"period_rule": MEAN},
        {("Uppsala län", 2026, "100+ år, kvinnor"): 137.0},
    ),
    (
        "faktor 0,001: 30 712 blir 30,712",
        {"Region": ["05"], "Alder": ["30-39"], "Kon": ["2"], "Tid": ["2026M03"]},
        {"factor": 0.001},
        {("Östergötlands län", 2026, "30–39 år, kvinnor"): 30.712},
    ),
    (
        "utan könsvariabel: Totalt (Kon har en kod)",
        {"Region": ["01"], "Alder": ["30-39"], "Kon": ["1"], "Tid": ["2026M03"]},
        {"sex_variable": "", "sex_codes": {}},
        {("Huvudstaden", 2026, "30–39 år"): 196615},
    ),
    (
        "utan köns- och gruppvariabel: Totalt",
        {"Region": ["05"], "Alder": ["100+10"], "Kon": ["TotSa"]},
        {"sex_variable": "", "group_variable": "", "period_rule": MEAN},
        {("Östergötlands län", 2026, "Totalt"): 206.5},  # (220 + 207 + 200 + 199) / 4
    ),
    (
        "variabelnamn utan hänsyn till skiftläge",
        {"Region": ["05"], "Alder": ["30-39"], "Kon": ["2"], "Tid": ["2026M03"]},
        {"area_variable": "region", "time_variable": "TID", "sex_variable": "kon", "group_variable": "alder"},
        {("Östergötlands län", 2026, "30–39 år, kvinnor"): 30712},
    ),
]


@pytest.mark.parametrize("name, codes, changes, expected", CASES, ids=[c[0] for c in CASES])
def test_the_recorded_answer_becomes_these_observations(name, codes, changes, expected):
    obs, problems = convert(cut(**codes), **changes)
    assert errors(problems) == []
    assert values(obs) == expected
    assert set(obs["indicator"]) == {"folkmangd_lan"}
    assert set(obs["source"]) == {SOURCE}
    # January–April only: with Sista perioden each value says which month it is (a mean says it in a warning).
    partial = obs["note"].str.match(r"^Året är inte komplett: värdet gäller 2026M0[1-4]$")
    assert (partial | (obs["note"] == "")).all()
    assert partial.all() == (changes.get("period_rule", LAST_PERIOD) == LAST_PERIOD)


def test_regions_that_are_no_area_are_skipped_and_listed_once():
    obs, problems = convert(cut(Alder=["30-39"], Kon=["TotSa"], Tid=["2026M04"]))
    assert sorted(obs["area"]) == ["Huvudstaden", "Uppsala län", "Östergötlands län"]
    [warning] = [p for p in problems if p.column == "Region"]
    assert warning.level == WARNING
    assert warning.message == "18 regionkoder utan område i svaret från tabellen TAB6471 läses inte."
    assert warning.value.startswith("04 Södermanlands län, 06 Jönköpings län, ")
    assert "… och 8 till" in warning.value and warning.value.endswith(f"({URL})")
    assert "Kod på bladet Områden" in warning.hint


def test_no_region_that_is_an_area_is_an_error():
    obs, problems = fetched_observations(
        cut(Region=["01"], Alder=["30-39"]), SPEC, AREAS.iloc[[3]], URL, WHEN, indicators=INDICATORS
    )
    assert obs.empty
    [error] = errors(problems)
    assert error.message.startswith("Ingen av regionkoderna i svaret hör till ett område")
    assert error.value == f"01 ({URL})"


def test_sex_codes_without_a_meaning_are_skipped_with_a_warning():
    obs, problems = convert(cut(Region=["05"], Alder=["30-39"], Tid=["2026M03"]), sex_codes={"2": "Kvinnor"})
    assert values(obs) == {("Östergötlands län", 2026, "30–39 år, kvinnor"): 30712}
    [warning] = [p for p in problems if p.column == "Kon"]
    assert warning.level == WARNING
    assert warning.value == f"TotSa totalt, samtliga män och kvinnor, 1 män ({URL})"
    assert "Könskoder" in warning.hint


def test_group_codes_without_a_meaning_are_skipped_with_a_warning():
    obs, problems = convert(cut(Region=["05"], Kon=["2"], Tid=["2026M03"]), group_codes={"30-39": "30–39 år"})
    assert values(obs) == {("Östergötlands län", 2026, "30–39 år, kvinnor"): 30712}
    [warning] = [p for p in problems if p.column == "Alder"]
    assert warning.message.startswith("10 koder för Alder utan betydelse")
    assert "Gruppkoder" in warning.hint


def test_monthly_values_without_a_period_rule_are_an_error_naming_the_definition():
    obs, problems = convert(cut(Region=["05"], Alder=["30-39"]), period_rule="")
    assert obs.empty
    [error] = errors(problems)
    assert error.column == "Period"
    assert "månadsvärden (2026M01–2026M04)" in error.message
    assert "folkmangd_lan ur TAB6471 (PxWeb v2)" in error.message
    assert "Sista perioden" in error.hint and "Medelvärde" in error.hint and "kolumnen Period" in error.hint


@pytest.mark.parametrize(
    "rule, message",
    [
        (
            LAST_PERIOD,
            "År 2026 är inte komplett i svaret (sista perioden är april): årets värde är värdet för april, inte för "
            "årets sista månad, och varje värde har en kommentar som säger det.",
        ),
        (MEAN, "År 2026 är inte komplett i svaret: medelvärdet bygger på 4 av 12 månader (januari–april)."),
    ],
)
def test_an_incomplete_year_is_said_once_in_a_warning(rule, message):
    _, problems = convert(cut(Region=["05"], Alder=["30-39"]), period_rule=rule)
    [warning] = [p for p in problems if p.column == "Tid"]
    assert (warning.level, warning.message) == (WARNING, message)
    assert warning.value == f"2026M01, 2026M02, 2026M03, 2026M04 ({URL})"


def test_another_variable_with_several_codes_is_an_error():
    obs, problems = convert(cut(Region=["05"], Tid=["2026M03"]), group_variable="", group_codes={})
    assert obs.empty
    [error] = errors(problems)
    assert error.column == "Alder"
    assert error.message.startswith("Svaret har flera värden per område och år för variabeln Alder (11 koder)")


def test_a_variable_the_answer_lacks_is_an_error():
    obs, problems = convert(cut(Region=["05"], Alder=["30-39"]), area_variable="Kommun")
    assert obs.empty
    [error] = errors(problems)
    assert error.column == "Områdesvariabel"
    assert "Variabeln Kommun finns inte i svaret" in error.message


def test_an_unknown_indicator_is_an_error():
    obs, problems = convert(cut(Region=["05"], Alder=["30-39"]), indicator="finns_inte")
    assert obs.empty
    [error] = errors(problems)
    assert error.message == "Okänd indikator."


def test_an_empty_answer_is_an_error():
    obs, problems = convert(RECORDED.iloc[0:0])
    assert obs.empty
    assert errors(problems)[0].message == "Svaret från tabellen TAB6471 har inga värden."


MARKED = [
    # (case, (value, status) of Östergötland women 30–39 per month M01–M04, rule, expected value, note)
    ("'..' med null", [(30699, ""), (30719, ""), (30712, ""), (None, "..")], LAST_PERIOD, None, "(..)"),
    ("'.' med ett tal", [(30699, ""), (30719, ""), (30712, ""), (5, ".")], LAST_PERIOD, None, "Uppgift saknas (.)"),
    ("null utan status", [(30699, ""), (30719, ""), (30712, ""), (None, "")], LAST_PERIOD, None, NULL_NOTE),
    (
        "annan status behåller värdet",
        [(1, ""), (2, ""), (3, ""), (30727, "p")],
        LAST_PERIOD,
        30727,
        "Status i källan: p",
    ),
    ("'..' tidigare i året påverkar inte sista", [(None, ".."), (1, ""), (2, ""), (30727, "")], LAST_PERIOD, 30727, ""),
    (
        "medelvärde med en saknad månad saknas",
        [(30699, ""), (None, ".."), (30712, ""), (30727, "")],
        MEAN,
        None,
        "(..)",
    ),
]


@pytest.mark.parametrize("name, cells, rule, expected, note", MARKED, ids=[m[0] for m in MARKED])
def test_missing_markers_become_missing_values_with_a_note(name, cells, rule, expected, note):
    frame = cut(Region=["05"], Alder=["30-39"], Kon=["2"]).copy()
    frame["value"] = [math.nan if v is None else float(v) for v, _ in cells]
    frame["status"] = [s for _, s in cells]
    obs, problems = convert(frame, period_rule=rule)
    assert errors(problems) == []
    [row] = obs.itertuples(index=False)
    assert (row.area, row.year, row.sex) == ("Östergötlands län", 2026, "30–39 år, kvinnor")
    assert math.isnan(row.value) if expected is None else row.value == expected
    assert note in row.note if note else row.note in ("", "Året är inte komplett: värdet gäller 2026M04")


def test_years_stay_years_and_a_whole_year_of_quarters_gives_no_warning():
    frame = answer([("05", "2024", 100.0, ""), ("05", "2025", 110.0, "")])
    obs, problems = convert(frame, sex_variable="", group_variable="", period_rule="")
    assert problems == []
    assert values(obs) == {("Östergötlands län", 2024, "Totalt"): 100.0, ("Östergötlands län", 2025, "Totalt"): 110.0}
    quarters = answer([("05", f"2024K{q}", 10.0 * q, "") for q in (1, 2, 3, 4)])
    obs, problems = convert(quarters, sex_variable="", group_variable="", period_rule=MEAN)
    assert problems == []
    assert values(obs) == {("Östergötlands län", 2024, "Totalt"): 25.0}  # (10 + 20 + 30 + 40) / 4


def test_an_unreadable_time_code_is_an_error():
    obs, problems = convert(answer([("05", "2024M13", 1.0, "")]), sex_variable="", group_variable="")
    assert obs.empty
    [error] = errors(problems)
    assert error.column == "Tid" and error.value == f"2024M13 ({URL})"


CELL = {"Region": ["05"], "Alder": ["30-39"], "Kon": ["2"], "Tid": ["2026M03"]}
WHERE = "Region=05, Kon=2, Alder=30-39, Tid=2026M03"
CHECKED = [
    # (case, definition changes, the upload's message for the cell)
    ("negativt antal", {"factor": -1.0}, "Värdet är negativt men enheten är antal.", "-30712.0"),
    ("procent över 100", {"indicator": "andel_lan", "factor": 0.01}, "Procentvärdet ligger utanför 0–100.", "307.12"),
]


@pytest.mark.parametrize("name, changes, message, shown", CHECKED, ids=[c[0] for c in CHECKED])
def test_values_get_the_uploads_checks_and_problems_name_the_cell_and_the_address(name, changes, message, shown):
    obs, problems = convert(cut(**CELL), **changes)
    assert obs.empty
    [error] = errors(problems)
    assert error.message == message
    assert error.sheet == replace(SPEC, **changes).label  # 'folkmangd_lan ur TAB6471 (PxWeb v2)'
    assert error.row is None
    assert error.column == WHERE
    assert error.value == f"{shown} ({URL})"


def test_shares_for_a_percent_indicator_are_caught_as_in_an_upload():
    obs, problems = convert(cut(**{**CELL, "Kon": ["1", "2"]}), indicator="andel_lan", factor=0.00001)
    [error] = errors(problems)
    assert "ligger mellan 0 och 1" in error.message  # 0.30712 and 0.33196: shares, not percent
    assert error.column.startswith("Region=05, Kon=")


def test_two_codes_for_one_group_repeat_a_key_as_in_an_upload():
    obs, problems = convert(
        cut(Region=["05"], Alder=["30-39", "100+10"], Kon=["2"], Tid=["2026M03"]),
        group_codes={"30-39": "30–39 år", "100+10": "30–39 år"},
    )
    [error] = errors(problems)
    assert error.message == (
        "Samma område, indikator, år och kön finns redan i cellen Region=05, Kon=2, Alder=30-39, Tid=2026M03."
    )
    assert error.column == "Region=05, Kon=2, Alder=100+10, Tid=2026M03"


@pytest.mark.parametrize(
    "source, when",
    [
        ("http://x/tables/T/data?q=1 (hämtad 2026-12-01 18:03 UTC)", "2026-12-01 18:03 UTC"),
        ("Uppladdad fil: x.xlsx", None),
        ("http://x (hämtad 2026-12-01 18:03 UTC) och mer", None),
    ],
)
def test_the_retrieval_time_is_read_from_a_fetched_source(source, when):
    assert retrieved_at(source) == when
