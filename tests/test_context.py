"""The read context: names resolved to known areas, indicators and actions, unknown ones reported with a hint."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.ingest.context import ReadContext, ReadOptions, closest_hint, closest_names
from tests.builders import tiny_known

ACTIONS = pd.DataFrame(
    [
        {"id": "A01", "title": "Fler sommarjobb", "start": "2021-03-01"},
        {"id": "A02", "title": "Läxhjälp", "start": ""},
        {"id": "B10", "title": "Trygghetsvandringar", "start": "20xx"},
    ]
)

PLANS = pd.DataFrame(
    [
        {"name": "Åtgärdsplan 2020", "adopted": "2020-12-02", "first_year": 2021},
        {"name": "Åtgärdsplan 2022", "adopted": "2022-01-19", "first_year": 2022},
    ]
)


def context(**options) -> ReadContext:
    """A context over the tiny known dataset plus three stored actions and two stored plans."""
    known = tiny_known().with_table("actions", ACTIONS).with_table("plans", PLANS)
    return ReadContext(known, ReadOptions(**options))


def found(ctx: ReadContext, method: str, raw: object) -> tuple[object, list[tuple[str, str]]]:
    """What a resolve method returns for a cell, and the (message, hint) of each problem it reported."""
    result = getattr(ctx, method)("Blad", 2, "A", raw)
    return result, [(p.message, p.hint) for p in ctx.problems]


NOT_AN_AREA = ("Okänt område.", "Kontrollera stavningen eller lägg till området på bladet Områden.")
KNOWN_PLANS = (
    "Planer som finns: Åtgärdsplan 2020, Åtgärdsplan 2022. Skriv ett av namnen, lägg till planen på bladet Planer "
    "eller lämna Plan tomt (= de planer åtgärden redan finns i)."
)
NOT_AN_INDICATOR = ("Okänd indikator.", "Kontrollera stavningen eller lägg till indikatorn på bladet Indikatorer.")


@pytest.mark.parametrize(
    "method, raw, result, problems",
    [
        ("resolve_area", "Berga", "Berga", []),
        ("resolve_area", "  berga ", "Berga", []),
        ("resolve_area", "0580", "Linköping", []),  # the code
        ("resolve_area", "0580 Linköping", "Linköping", []),  # SCB's code before the name
        ("resolve_area", "Linköpings kommun", "Linköping", []),  # an alias
        ("resolve_area", "Rest of Linköping", "Övriga Linköping", []),
        ("resolve_area", "Skägge", None, [("Okänt område.", "Menade du Skäggetorp?")]),
        ("resolve_area", "Bergaa", None, [("Okänt område.", "Menade du Berga?")]),
        ("resolve_area", "Okänd plats", None, [NOT_AN_AREA]),
        ("resolve_area", "", None, [("Området saknas.", "Fyll i områdets namn.")]),
        ("resolve_area", None, None, [("Området saknas.", "Fyll i områdets namn.")]),
        ("resolve_indicator", "Folkmängd", "folkmangd", []),
        ("resolve_indicator", "FOLKMANGD", "folkmangd", []),
        ("resolve_indicator", "folkmängden", None, [("Okänd indikator.", "Menade du folkmangd?")]),
        ("resolve_indicator", "xyz", None, [NOT_AN_INDICATOR]),
        ("resolve_indicator", "", None, [("Indikatorn saknas.", "Fyll i indikatorns id eller namn.")]),
        ("resolve_action", "a01", "A01", []),
        ("resolve_action", "Fler sommarjobb", "A01", []),  # the title names the action too
        ("resolve_action", "laxhjalp", "A02", []),
        ("resolve_action", "A1", None, [("Okänd åtgärd.", "Menade du A01?")]),  # a1~a01 0.8, a1~a02 0.4
        ("resolve_action", "B1", None, [("Okänd åtgärd.", "Menade du B10?")]),
        (
            "resolve_action",
            "zzz",
            None,
            [("Okänd åtgärd.", "Kontrollera stavningen eller lägg till åtgärden på bladet Åtgärder.")],
        ),
        ("resolve_action", "", None, [("Åtgärden saknas.", "Fyll i åtgärdens id, t.ex. A01.")]),
        ("resolve_plan", "Åtgärdsplan 2022", "Åtgärdsplan 2022", []),
        ("resolve_plan", "  ATGARDSPLAN   2020 ", "Åtgärdsplan 2020", []),  # case, spaces and diacritics
        # a letter O for the zero: one character from 2022, two from 2020
        ("resolve_plan", "Åtgärdsplan 2O22", None, [("Okänd plan.", f"Menade du Åtgärdsplan 2022? {KNOWN_PLANS}")]),
        ("resolve_plan", "Handlingsplan", None, [("Okänd plan.", KNOWN_PLANS)]),
    ],
)
def test_resolve(method, raw, result, problems):
    assert found(context(), method, raw) == (result, problems)


def test_a_problem_says_where_and_what():
    ctx = context()
    ctx.resolve_area("Data", 7, "A (Område)", "Bergaa")
    p = ctx.problems[0]
    assert (p.sheet, p.row, p.column, p.value, p.is_error) == ("Data", 7, "A (Område)", "Bergaa", True)


@pytest.mark.parametrize(
    "raw, name, code",
    [
        ("0580R005 Nytt område", "Nytt område", "0580R005"),
        ("Nytt område", "Nytt område", ""),
    ],
)
def test_unknown_area_becomes_a_new_area_when_asked(raw, name, code):
    ctx = context(new_areas=True)
    assert ctx.resolve_area("Data", 2, "A", raw) == name
    assert ctx.new_area_rows == [{"name": name, "type": "Övrigt", "code": code, "aliases": ""}]
    assert [(p.level, p.message) for p in ctx.problems] == [("Varning", "Nytt område läggs till med typen Övrigt.")]
    assert ctx.resolve_area("Data", 3, "A", name) == name  # known from now on: no second row, no second warning
    assert len(ctx.new_area_rows) == 1 and len(ctx.problems) == 1


def test_a_new_area_name_longer_than_the_areas_sheet_allows_is_refused():
    ctx = context(new_areas=True)
    assert ctx.resolve_area("Data", 2, "A", "x" * 201) is None
    assert [p.message for p in ctx.problems] == ["Områdesnamnet är för långt."]
    assert ctx.resolve_area("Data", 2, "A", "x" * 200) == "x" * 200


def test_action_start_years_are_the_readable_ones_and_the_workbook_overrides_them():
    ctx = context()
    assert ctx.action_starts == {"A01": 2021}  # '' and '20xx' have no year
    ctx.note_action_starts(pd.DataFrame([{"id": "A01", "start": "2019-01-01"}, {"id": "A02", "start": "2022-08-15"}]))
    assert ctx.action_starts == {"A01": 2019, "A02": 2022}


def test_an_actions_start_is_its_earliest_over_its_plans_and_a_row_replaces_its_own_plan_only():
    ctx = context()
    ctx.note_action_starts(
        pd.DataFrame(
            [
                {"id": "A01", "plan": "Åtgärdsplan 2022", "start": "2022-03-01"},  # beside the stored 2021 (no plan)
                {"id": "A02", "plan": "Åtgärdsplan 2020", "start": "2021-06-01"},
                {"id": "A02", "plan": "Åtgärdsplan 2022", "start": "2020-01-01"},
            ]
        )
    )
    assert ctx.action_starts == {"A01": 2021, "A02": 2020}
    ctx.note_action_starts(pd.DataFrame([{"id": "A01", "plan": "", "start": "2023-01-01"}]))  # replaces the stored row
    assert ctx.action_starts["A01"] == 2022


def test_plans_without_a_planer_sheet_or_store_leave_only_the_blank_plan():
    ctx = ReadContext(tiny_known(), ReadOptions())
    assert ctx.resolve_plan("Åtgärder", 2, "B (Plan)", "Åtgärdsplan 2022") is None
    assert [p.hint for p in ctx.problems] == [
        "Lägg till planen på bladet Planer, eller lämna Plan tomt (= de planer åtgärden redan finns i)."
    ]
    ctx.define_plan("Åtgärdsplan 2022")
    ctx.define_plan("ÅTGÄRDSPLAN 2022")  # the first spelling stays
    assert ctx.resolve_plan("Åtgärder", 3, "B (Plan)", "atgardsplan 2022") == "Åtgärdsplan 2022"
    assert ctx.known_plan("Åtgärdsplan 2020") is None


def test_a_title_never_takes_over_an_existing_id():
    ctx = context()
    ctx.define_action("C01", "a02")  # a title that is another action's id
    assert ctx.actions["a02"] == "A02" and ctx.actions["c01"] == "C01"
    ctx.define_action("", "Utan id")
    assert "utan id" not in ctx.actions


def test_defined_areas_and_indicators_replace_stored_rows_by_key():
    ctx = context()
    ctx.define_areas(pd.DataFrame([{"name": "Berga", "type": "Övrigt", "code": "", "aliases": "B-området"}]))
    assert ctx.areas.set_index("name").loc["Berga", "type"] == "Övrigt"
    assert len(ctx.areas) == 4
    assert ctx.resolve_area("Data", 2, "A", "B-området") == "Berga"
    new = pd.DataFrame([{"id": "ny", "name": "Ny indikator", "unit": "procent"}])
    ctx.define_indicators(new)
    assert ctx.resolve_indicator("Data", 2, "B", "Ny indikator") == "ny" and ctx.units["ny"] == "procent"


@pytest.mark.parametrize("today, year", [(date(2024, 5, 1), 2024), (date(2001, 1, 1), 2001)])
def test_this_year_follows_the_chosen_date(today, year):
    assert context(today=today).this_year == year


@pytest.mark.parametrize(
    "candidates, what, hint",
    [
        (["Berga"], "området", "Menade du Berga?"),
        (["A01", "A02"], "åtgärden", "Menade du A01 eller A02?"),
        ([], "indikatorn i katalogen", "Kontrollera stavningen eller lägg till indikatorn i katalogen."),
    ],
)
def test_closest_hint(candidates, what, hint):
    assert closest_hint(candidates, what) == hint


@pytest.mark.parametrize(
    "raw, names, n, closest",
    [
        ("a1", ["A01", "A02", "B10"], 3, ["A01"]),  # a1~a01 0.8, a1~a02 0.4 (below 0.5)
        ("Atgardsplan 2021", ["Åtgärdsplan 2022", "Åtgärdsplan 2020"], 3, ["Åtgärdsplan 2020", "Åtgärdsplan 2022"]),
        ("Atgardsplan 2021", ["Åtgärdsplan 2022", "Åtgärdsplan 2020"], 1, ["Åtgärdsplan 2020"]),  # a tie: by name
        ("zzz", ["Åtgärdsplan 2020"], 3, []),
        ("x", [], 3, []),
    ],
)
def test_closest_names(raw, names, n, closest):
    assert closest_names(raw, names, n) == closest
