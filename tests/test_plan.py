"""The plan sheets: Planer, Åtgärder, Uppföljning, Mål and Områdestexter rows become records, or say what is wrong."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from analysis.ingest.context import ReadContext, ReadOptions
from analysis.ingest.excel import read_workbook
from analysis.ingest.plan import ACTIONS, FOLLOWUPS, PLANS, TARGETS, TEXTS
from analysis.ingest.sheets import SheetReader, read_sheet
from tests.builders import tiny_known, xlsx

STORED_ACTIONS = pd.DataFrame([{"id": "A01", "title": "Fler sommarjobb", "start": "2021-03-01", "status": "Pågår"}])


def read(
    reader: SheetReader, rows: list[list[object]], plans: pd.DataFrame | None = None, actions=STORED_ACTIONS
) -> tuple[list[dict], list[tuple], ReadContext]:
    """A sheet read on 1 May 2024 against the tiny dataset plus action A01 (and stored plans): records, (level, row,
    column, value, message) of each problem, and the context."""
    raw, _ = read_workbook(xlsx({reader.spec.name: rows}), "t.xlsx")
    known = tiny_known().with_table("actions", actions).with_table("plans", plans)
    ctx = ReadContext(known, ReadOptions(today=date(2024, 5, 1)))
    frame = read_sheet(reader, raw.sheets[0], ctx)
    problems = [(p.level, p.row, p.column, p.value, p.message) for p in ctx.problems]
    records = [
        {k: None if not isinstance(v, str) and pd.isna(v) else v for k, v in r.items()}
        for r in frame.to_dict("records")
    ]
    return records, problems, ctx


def plan(name: str, first: int, last: int | None = None, adopted: str = "2020-12-02") -> dict[str, object]:
    """A stored plan version."""
    return {"name": name, "adopted": adopted, "first_year": first, "last_year": last}


STORED_PLANS = pd.DataFrame([plan("Åtgärdsplan 2020", 2021), plan("Åtgärdsplan 2022", 2022, adopted="2022-01-19")])


# --- Planer --------------------------------------------------------------------------------------------------------

PH = ["Plan", "Antagen", "Beslutad av", "Gäller från", "Gäller till", "Kommentar", "Källa"]


def test_a_good_plan_row():
    row = ["Åtgärdsplan 2020", datetime(2020, 12, 2), "Kommunfullmäktige", 2021, "2023", "k", "Dnr KS 2020-123"]
    records, problems, _ = read(PLANS, [PH, row])
    assert problems == []
    assert records == [
        {
            "name": "Åtgärdsplan 2020",
            "adopted": "2020-12-02",
            "decided_by": "Kommunfullmäktige",
            "first_year": 2021,
            "last_year": 2023,
            "comment": "k",
            "source": "Dnr KS 2020-123",
        }
    ]


@pytest.mark.parametrize(
    "row, problems",
    [
        (["Åtgärdsplan 2022", "19/1/2022", None, "2022"], []),  # Swedish date, year as text, no last year
        (["Åtgärdsplan 2022", "2022-01-19", None, 2022, 2022], []),  # one year only
        (
            [None, "2022-01-19", None, 2022],
            [("Fel", 2, "A (Plan)", "", "Planens namn saknas.")],
        ),
        (
            ["Plan A; Plan B", "2022-01-19", None, 2022],
            [("Fel", 2, "A (Plan)", "Plan A; Plan B", "Planens namn innehåller semikolon (;).")],
        ),
        (
            ["P", None, None, None],
            [
                ("Fel", 2, "B (Antagen)", "", "Datumet då planen antogs saknas."),
                ("Fel", 2, "D (Gäller från)", "", "Året saknas."),
            ],
        ),
        (
            ["P", "2022-02-30", None, "tjugo", 1850],
            [
                ("Fel", 2, "B (Antagen)", "2022-02-30", "Datumet finns inte."),
                ("Fel", 2, "D (Gäller från)", "tjugo", "Årtalet är inte ett heltal med fyra siffror."),
                ("Fel", 2, "E (Gäller till)", "1850.0", "Årtalet ligger utanför 1900–2100."),
            ],
        ),
        (
            ["P", "2025-01-01", None, 1999, 2050],  # read on 1 May 2024: adopted in the future, years too far out
            [
                ("Fel", 2, "B (Antagen)", "2025-01-01", "Året ligger utanför 2000–2024."),
                ("Fel", 2, "D (Gäller från)", "1999.0", "Året ligger utanför 2000–2049."),
                ("Fel", 2, "E (Gäller till)", "2050.0", "Året ligger utanför 2000–2049."),
            ],
        ),
        (
            ["P", "2022-01-19", None, 2022, 2021],
            [("Fel", 2, "E (Gäller till)", "2021.0", "Gäller till (2021) ligger före Gäller från (2022).")],
        ),
        (["P", "2022", None, 2022], [("Fel", 2, "B (Antagen)", "2022", "Ett årtal är inget datum.")]),
    ],
)
def test_plan_rows(row, problems):
    records, found, _ = read(PLANS, [PH, row])
    assert found == problems and len(records) == (0 if problems else 1)


def test_a_plan_row_with_errors_still_gives_its_name_to_atgarder():
    _, _, ctx = read(PLANS, [PH, ["Åtgärdsplan 2024", "fel datum", None, 2024]])
    assert ctx.resolve_plan("Åtgärder", 2, "B (Plan)", "åtgärdsplan 2024") == "Åtgärdsplan 2024"


def test_a_stored_plans_name_keeps_its_stored_spelling_and_a_repeat_is_reported():
    rows = [PH, ["ÅTGÄRDSPLAN 2020", "2020-12-02", None, 2021], ["atgardsplan 2020", "2020-12-02", None, 2021]]
    records, problems, _ = read(PLANS, rows, STORED_PLANS)
    assert [r["name"] for r in records] == ["Åtgärdsplan 2020", "Åtgärdsplan 2020"]
    assert problems == [("Fel", 3, "", "atgardsplan 2020", "Planen finns redan på rad 2.")]


def test_columns_the_planer_sheet_lacks_keep_the_stored_plans_values():
    stored = pd.DataFrame([{**plan("Åtgärdsplan 2020", 2021, 2021), "decided_by": "KF", "source": "Dnr 1"}])
    records, problems, _ = read(PLANS, [PH[:4], ["åtgärdsplan 2020", "2020-12-03", "KS", 2021]], stored)
    assert problems == []
    assert (records[0]["name"], records[0]["decided_by"], records[0]["source"]) == ("Åtgärdsplan 2020", "KS", "Dnr 1")
    assert records[0]["last_year"] == 2021  # no Gäller till column: the stored year stays


OVERLAP_HINT = "Två planer får inte gälla samma år."


@pytest.mark.parametrize(
    "rows, stored, problems",
    [
        # (Planer rows as (name, first, last), stored plans, [(row, value, message, hint starts with)])
        ([("P20", 2021, None), ("P22", 2022, None)], None, []),  # a blank last year runs until the next plan
        ([("P20", 2021, 2021), ("P22", 2022, 2025), ("P26", 2026, None)], None, []),
        ([("P22", 2022, None), ("P20", 2021, 2021)], None, []),  # the order on the sheet does not matter
        (
            [("P20", 2021, 2023), ("P22", 2022, None)],
            None,
            [
                (
                    3,
                    "P22",
                    "Planen gäller samma år som P20 (2021–2023): 2022–2023.",
                    f"{OVERLAP_HINT} Sätt Gäller till för P20 till 2021 eller lämna den tom (då gäller planen tills "
                    "P22 börjar gälla).",
                )
            ],
        ),
        (
            [("P22", 2022, None), ("P20", 2021, 2023)],  # reported at the later plan, wherever its row is
            None,
            [(2, "P22", "Planen gäller samma år som P20 (2021–2023): 2022–2023.", OVERLAP_HINT)],
        ),
        (
            [("A", 2022, None), ("B", 2022, 2023)],  # the same first year: both cover 2022
            None,
            [
                (
                    3,
                    "B",
                    "Planen gäller samma år som A (2022–): 2022–2023.",
                    f"{OVERLAP_HINT} Ändra Gäller från för B eller A.",
                )
            ],
        ),
        (
            [("P20", 2021, 2030), ("P22", 2022, 2023), ("P24", 2024, None)],  # one long plan overlaps two
            None,
            [
                (3, "P22", "Planen gäller samma år som P20 (2021–2030): 2022–2023.", OVERLAP_HINT),
                (4, "P24", "Planen gäller samma år som P20 (2021–2030): 2024–2030.", OVERLAP_HINT),
            ],
        ),
        (
            [("P22", 2022, None)],
            [plan("P20", 2021, 2023)],  # a stored plan must be corrected on the same sheet
            [
                (
                    2,
                    "P22",
                    "Planen gäller samma år som P20 (2021–2023, sparad): 2022–2023.",
                    f"{OVERLAP_HINT} Sätt Gäller till för P20 till 2021 eller lämna den tom (då gäller planen tills "
                    "P22 börjar gälla) – ta med planen på bladet Planer.",
                )
            ],
        ),
        ([("P22", 2022, None), ("P20", 2021, 2021)], [plan("P20", 2021, 2023)], []),  # ... as here
        ([("P22", 2022, None)], [plan("P20", 2021)], []),  # the stored plan runs until P22
        (
            [("P26", 2026, None)],
            [plan("P20", 2021, 2023), plan("P22", 2022, 2030)],
            [(2, "P26", "Planen gäller samma år som P22 (2022–2030, sparad): 2026–2030.", OVERLAP_HINT)],
        ),  # two stored plans that overlap each other are not this sheet's problem
    ],
)
def test_two_plans_may_not_cover_the_same_year(rows, stored, problems):
    sheet = [PH[:5], *[[name, "2020-12-02", None, first, last] for name, first, last in rows]]
    _, found, ctx = read(PLANS, sheet, pd.DataFrame(stored) if stored else None)
    assert [(p.row, p.value, p.message) for p in ctx.problems] == [p[:3] for p in problems]
    assert all(p.hint.startswith(want[3]) for p, want in zip(ctx.problems, problems))
    assert all(p.is_error and p.column == "Gäller från" for p in ctx.problems)


# --- Åtgärder ------------------------------------------------------------------------------------------------------

AH = ["Id", "Åtgärd", "Tema", "Ansvarig", "Områden", "Start", "Slut", "Status", "Kommentar", "Indikatorer", "Källa"]


def test_a_good_action_row():
    row = ["A02", "Läxhjälp", "utbildning", "BUN", "Berga; skäggetorp", datetime(2023, 1, 1), "31/12/2024", "pågår"]
    records, problems, _ = read(ACTIONS, [AH, [*row, "k", "Folkmängd", "src"]])
    assert problems == []
    assert records == [
        {
            "id": "A02",
            "title": "Läxhjälp",
            "theme": "utbildning",
            "responsible": "BUN",
            "areas": "Berga;Skäggetorp",  # each area resolved to its name
            "start": "2023-01-01",
            "end": "2024-12-31",
            "status": "Pågår",
            "comment": "k",
            "indicators": "folkmangd",  # the name resolved to the id
            "source": "src",
            "plan": "",  # no Plan column: the action belongs to every plan
        }
    ]


@pytest.mark.parametrize(
    "row, problems",
    [
        (
            ["A02", None, "okänt", None, "Berga; Okänt", "2024-13-01", None, "kanske", None, "folk"],
            [
                ("Fel", 2, "Id/Åtgärd", "", "Åtgärdens id eller beskrivning saknas."),
                ("Fel", 2, "C (Tema)", "okänt", "Okänt tema för åtgärden."),
                ("Fel", 2, "H (Status)", "kanske", "Okänd status."),
                ("Fel", 2, "F (Start)", "2024-13-01", "Datumet finns inte."),
                ("Fel", 2, "Områden", "Okänt", "Okänt område."),
                ("Fel", 2, "Indikatorer", "folk", "Okänd indikator."),
            ],
        ),
        (
            ["A03", "X", None, None, None, "2024-06-01", "2024-01-01"],
            [("Fel", 2, "Slut", "2024-01-01", "Slutdatum ligger före startdatum.")],
        ),
        (["A04", "X", None, None, None, "2023"], [("Fel", 2, "F (Start)", "2023", "Ett årtal är inget datum.")]),
    ],
)
def test_bad_action_rows_are_left_out_with_every_problem(row, problems):
    records, found, _ = read(ACTIONS, [AH, row])
    assert records == [] and found == problems


def test_an_action_row_with_errors_still_gives_its_id_to_uppfoljning():
    _, _, ctx = read(ACTIONS, [AH, ["A05", "Nytt", "okänt"]])
    assert ctx.resolve_action("Uppföljning", 2, "A", "nytt") == "A05"


def test_repeated_action_ids_are_reported():
    rows = [AH, ["A01", "Ny titel"], ["a01", "Annan"]]
    records, problems, _ = read(ACTIONS, rows)
    assert len(records) == 2
    assert problems == [("Fel", 3, "", "a01", "Åtgärdens id finns redan på rad 2.")]


def test_the_sheets_start_years_replace_the_stored_ones_for_uppfoljning():
    rows = [AH, ["A01", "Ny titel", None, None, None, "2019-05-01"], ["A02", "Annan", None, None, None, None]]
    _, problems, ctx = read(ACTIONS, rows)
    assert problems == [] and ctx.action_starts == {"A01": 2019}  # A01 was stored as 2021; A02 has no start


PAH = ["Id", "Plan", "Åtgärd", "Start"]


@pytest.mark.parametrize(
    "rows, plans, problems",
    [
        # (rows under PAH, [(id, plan, title)] read, [(level, row, column, value, message)])
        ([["A02", None, "Läxhjälp"]], [("A02", "", "Läxhjälp")], []),  # blank: every plan
        ([["A02", "åtgärdsplan 2022", "Läxhjälp"]], [("A02", "Åtgärdsplan 2022", "Läxhjälp")], []),
        (
            [["A02", "Åtgärdsplan 2020; ATGARDSPLAN 2022", "Läxhjälp"]],  # one record per plan named
            [("A02", "Åtgärdsplan 2020", "Läxhjälp"), ("A02", "Åtgärdsplan 2022", "Läxhjälp")],
            [],
        ),
        ([["A02", "Åtgärdsplan 2022;åtgärdsplan 2022;", "L"]], [("A02", "Åtgärdsplan 2022", "L")], []),  # once each
        (
            [["A02", "Åtgärdsplan 2020", "Läxhjälp"], ["A02", "Åtgärdsplan 2022", "Läxhjälp i skolan"]],
            [("A02", "Åtgärdsplan 2020", "Läxhjälp"), ("A02", "Åtgärdsplan 2022", "Läxhjälp i skolan")],
            [],  # the same id in two plans: the action changed between the versions
        ),
        (
            [["A02", None, "Läxhjälp"], ["A02", "Åtgärdsplan 2022", "Läxhjälp i skolan"]],
            [("A02", "", "Läxhjälp"), ("A02", "Åtgärdsplan 2022", "Läxhjälp i skolan")],
            [],  # a row for every plan beside one for a plan: that plan's row wins there
        ),
        (
            [["A02", "Åtgärdsplan 2020; Åtgärdsplan 2022", "L"], ["a02", "Åtgärdsplan 2022", "M"]],
            [("A02", "Åtgärdsplan 2020", "L"), ("A02", "Åtgärdsplan 2022", "L"), ("a02", "Åtgärdsplan 2022", "M")],
            [("Fel", 3, "", "a02 | Åtgärdsplan 2022", "Åtgärdens id finns redan på rad 2.")],
        ),
        (
            [["A02", "Åtgärdsplan 2020; Åtgärdsplan 2024", "Läxhjälp"]],
            [],
            [("Fel", 2, "B (Plan)", "Åtgärdsplan 2024", "Okänd plan.")],
        ),
    ],
)
def test_the_plan_column(rows, plans, problems):
    records, found, _ = read(ACTIONS, [PAH, *rows], STORED_PLANS)
    assert [(r["id"], r["plan"], r["title"]) for r in records] == plans
    assert found == problems


def test_an_unknown_plan_lists_the_plans_there_are():
    _, _, ctx = read(ACTIONS, [["Id", "Planversion", "Åtgärd"], ["A02", "Åtgärdsplan 2O22", "L"]], STORED_PLANS)
    assert [(p.column, p.hint) for p in ctx.problems] == [
        (
            "B (Planversion)",
            "Menade du Åtgärdsplan 2022? Planer som finns: Åtgärdsplan 2020, Åtgärdsplan 2022. Skriv ett av namnen, "
            "lägg till planen på bladet Planer eller lämna Plan tomt (= de planer åtgärden redan finns i).",
        )
    ]


def test_columns_the_actions_sheet_lacks_keep_the_values_stored_for_the_same_action_and_plan():
    stored = pd.DataFrame(
        [
            {"id": "A01", "plan": "Åtgärdsplan 2020", "title": "Läxhjälp", "responsible": "BUN"},
            {"id": "A01", "plan": "Åtgärdsplan 2022", "title": "Läxhjälp", "responsible": "UN"},
        ]
    )
    rows = [["Id", "Plan", "Åtgärd"], ["A01", "Åtgärdsplan 2022; Åtgärdsplan 2020", "Läxhjälp i skolan"]]
    records, _, _ = read(ACTIONS, rows, STORED_PLANS, stored)
    assert [(r["plan"], r["title"], r["responsible"]) for r in records] == [
        ("Åtgärdsplan 2022", "Läxhjälp i skolan", "UN"),
        ("Åtgärdsplan 2020", "Läxhjälp i skolan", "BUN"),
    ]


STORED_IN_PLANS = pd.DataFrame(
    [
        {"id": "A01", "plan": "", "title": "Fler sommarjobb"},
        {"id": "B01", "plan": "Åtgärdsplan 2020", "title": "Trygghetsvandringar"},
        {"id": "B01", "plan": "Åtgärdsplan 2022", "title": "Trygghetsvandringar"},
    ]
)


@pytest.mark.parametrize(
    "rows, problems",
    [
        ([["A01", None, "Fler sommarjobb"]], []),  # the stored row itself
        ([["A01", "Åtgärdsplan 2020", "Fler sommarjobb"], ["A01", None, "Fler sommarjobb"]], []),
        (
            [["A01", "Åtgärdsplan 2022", "Fler sommarjobb i Berga"]],
            [("Varning", 2, "Plan", "A01", "Åtgärden A01 finns sparad utan plan (= alla planer).")],
        ),
        ([["B01", None, "Trygghetsvandringar"]], []),  # a blank Plan updates the plans it is stored in
        ([["B01", "Åtgärdsplan 2022", "Trygghetsvandringar med polisen"]], []),  # each plan keeps its own row
        ([["C01", "Åtgärdsplan 2022", "Ny"]], []),
    ],
)
def test_a_warning_for_stored_rows_an_import_leaves_beside_the_sheets_own(rows, problems):
    _, found, _ = read(ACTIONS, [PAH, *rows], STORED_PLANS, STORED_IN_PLANS)
    assert [(*p[:4], p[4].split(". ")[0] + ".") for p in found] == problems


@pytest.mark.parametrize(
    "action, plans",
    [
        ("B01", ["Åtgärdsplan 2020", "Åtgärdsplan 2022"]),  # stored in two plans: updated in both
        ("A01", [""]),  # stored for every plan: stays so
        ("C01", [""]),  # new: every plan
    ],
)
def test_a_blank_plan_means_the_plans_the_action_is_stored_in(action, plans):
    records, found, _ = read(ACTIONS, [PAH, [action, None, "Ny titel"]], STORED_PLANS, STORED_IN_PLANS)
    assert found == [] and [r["plan"] for r in records] == plans and {r["title"] for r in records} == {"Ny titel"}


# --- Uppföljning ---------------------------------------------------------------------------------------------------

FH = ["Åtgärd", "År", "Status", "Kommentar", "Källa"]


@pytest.mark.parametrize(
    "row, record",
    [
        (["a01", 2023, "Genomförd", "k", "s"], ("A01", 2023, "Genomförd", "k", "s", None)),
        (["Fler sommarjobb", "2022", "pågår"], ("A01", 2022, "Pågår", "", "", None)),  # the title names the action
        (["A01", 2020, "Ej påbörjad"], ("A01", 2020, "Ej påbörjad", "", "", None)),  # before the start, not begun
        (["A01", 2023, "riskerar att forsenas"], ("A01", 2023, "Riskerar att försenas", "", "", None)),
    ],
)
def test_good_followup_rows(row, record):
    records, problems, _ = read(FOLLOWUPS, [FH, row])
    assert problems == [] and [tuple(r.values()) for r in records] == [record]


@pytest.mark.parametrize(
    "row, recorded, problems",
    [
        (
            ["A01", 2020, "Pågår"],
            True,
            [
                (
                    "Varning",
                    2,
                    "B (År)",
                    "2020.0",
                    "Uppföljningsåret ligger före åtgärdens startår (2021) men statusen är Pågår.",
                )
            ],
        ),
        (
            ["A09", 2025, None],
            False,
            [
                ("Fel", 2, "A (Åtgärd)", "A09", "Okänd åtgärd."),
                ("Fel", 2, "B (År)", "2025.0", "Uppföljningsåret ligger utanför 2000–2024."),  # 2025 has not begun
                ("Fel", 2, "C (Status)", "", "Statusen saknas."),
            ],
        ),
        (
            ["A01", 1999, "klar"],
            False,
            [
                ("Fel", 2, "B (År)", "1999.0", "Uppföljningsåret ligger utanför 2000–2024."),
                ("Fel", 2, "C (Status)", "klar", "Okänd status."),
            ],
        ),
        (
            [None, None, "Pågår"],
            False,
            [("Fel", 2, "A (Åtgärd)", "", "Åtgärden saknas."), ("Fel", 2, "B (År)", "", "Året saknas.")],
        ),
    ],
)
def test_followup_problems(row, recorded, problems):
    records, found, _ = read(FOLLOWUPS, [FH, row])
    assert bool(records) is recorded and found == problems


def test_followup_columns_are_named_as_the_sheet_writes_them():
    _, problems, _ = read(FOLLOWUPS, [["Action", "Year", "Status"], ["A09", 2023, "Pågår"]])
    assert problems == [("Fel", 2, "A (Action)", "A09", "Okänd åtgärd.")]


PROGRESS_HINT = "Skriv hur stor del av åtgärden som är klar i procent 0–100, t.ex. 45 eller 45 %."


@pytest.mark.parametrize(
    "status, cell, progress, problems",
    [
        ("Pågår", None, None, []),
        ("Pågår", "..", None, []),  # a missing marker: not reported
        ("Pågår", 45, 45.0, []),
        ("Pågår", "45", 45.0, []),
        ("Pågår", "45 %", 45.0, []),
        ("Pågår", "45,5", 45.5, []),
        ("Pågår", "0,5 %", 0.5, []),  # written with a percent sign: meant
        ("Pågår", 0, 0.0, []),
        ("Genomförd", 100, 100.0, []),
        ("Genomförd", None, None, []),  # not reported: nothing to compare
        (
            "Genomförd",
            "45,5 %",
            45.5,
            [("Varning", 2, "D (Andel klar)", "45,5 %", "Statusen är Genomförd men Andel klar är 45,5 %.")],
        ),
        (
            "Pågår",
            0.45,  # an Excel cell formatted as percent holds 45 % as 0,45
            0.45,
            [("Varning", 2, "D (Andel klar)", "0.45", "Andel klar läses som 0,45 % (under 1 %).")],
        ),
        ("Pågår", 145, None, [("Fel", 2, "D (Andel klar)", "145.0", "Andel klar ligger utanför 0–100 %.")]),
        ("Pågår", "-5 %", None, [("Fel", 2, "D (Andel klar)", "-5 %", "Andel klar ligger utanför 0–100 %.")]),
        ("Pågår", "hälften", None, [("Fel", 2, "D (Andel klar)", "hälften", "Värdet är inte ett tal.")]),
    ],
)
def test_andel_klar(status, cell, progress, problems):
    records, found, ctx = read(FOLLOWUPS, [["Åtgärd", "År", "Status", "Andel klar"], ["A01", 2023, status, cell]])
    assert found == problems
    assert [r["progress"] for r in records] == ([] if any(p[0] == "Fel" for p in problems) else [progress])
    assert all(p.hint == PROGRESS_HINT for p in ctx.problems if p.is_error)


def test_andel_klar_is_named_as_the_sheet_writes_it():
    _, problems, _ = read(FOLLOWUPS, [["Action", "Year", "Status", "Progress"], ["A01", 2023, "Pågår", 101]])
    assert problems == [("Fel", 2, "D (Progress)", "101.0", "Andel klar ligger utanför 0–100 %.")]


def test_one_followup_per_action_and_year():
    _, problems, _ = read(FOLLOWUPS, [FH, ["A01", 2023, "Pågår"], ["a01", 2023, "Genomförd"], ["A01", 2022, "Pågår"]])
    assert problems == [("Fel", 3, "", "A01 | 2023", "Samma åtgärd och år finns redan på rad 2.")]


# --- Mål -----------------------------------------------------------------------------------------------------------

TH = ["Område", "Indikator", "Basår", "Målår", "Målvärde", "Källa"]


@pytest.mark.parametrize(
    "row, problems",
    [
        (["Berga", "forvarvsfrekvens", 2020, 2030, "65,5", "Beslut"], []),
        (
            ["Berga", "forvarvsfrekvens", None, 2030, 150],
            [("Fel", 2, "Målvärde", "150.0", "Procentvärdet ligger utanför 0–100.")],
        ),
        (["Berga", "folkmangd", None, 2030, 150], []),  # a count may exceed 100
        (
            ["Okänt", "folkmangd", "tjugo", None, "abc"],
            [
                ("Fel", 2, "Område", "Okänt", "Okänt område."),
                ("Fel", 2, "Basår", "tjugo", "Årtalet är inte ett heltal med fyra siffror."),
                ("Fel", 2, "Målår", "", "Målår saknas."),
                ("Fel", 2, "Målvärde", "abc", "Värdet är inte ett tal."),
            ],
        ),
        (
            ["Berga", "folkmangd"],
            [("Fel", 2, "Målår", "", "Målår saknas."), ("Fel", 2, "Målvärde", "", "Målvärdet saknas.")],
        ),
        # the percentage range is checked only once the indicator is known
        (["Okänt", "forvarvsfrekvens", None, 2030, 150], [("Fel", 2, "Område", "Okänt", "Okänt område.")]),
    ],
)
def test_target_rows(row, problems):
    records, found, _ = read(TARGETS, [TH, row])
    assert found == problems and len(records) == (0 if problems else 1)


def test_a_good_target_and_a_repeated_one():
    rows = [
        TH,
        ["Berga", "forvarvsfrekvens", 2020, 2030, "65,5", "Beslut"],
        ["berga", "Förvärvsfrekvens 20–64 år", None, 2030, 70],
    ]
    records, problems, _ = read(TARGETS, rows)
    assert records[0] == {
        "area": "Berga",
        "indicator": "forvarvsfrekvens",
        "base_year": 2020,
        "target_year": 2030,
        "target_value": 65.5,
        "source": "Beslut",
    }
    assert problems == [
        ("Fel", 3, "", "Berga | forvarvsfrekvens | 2030", "Samma mål (område, indikator, målår) finns redan på rad 2.")
    ]


# --- Områdestexter -------------------------------------------------------------------------------------------------

XH = ["Område", "Rubrik", "Text", "Källa"]


@pytest.mark.parametrize(
    "row, records, problems",
    [
        (["Berga", "Aktörer", "Många föreningar", "s"], [("Berga", "Aktörer", "Många föreningar", "s")], []),
        (["Okänt", "Aktörer", "t"], [], [("Fel", 2, "Område", "Okänt", "Okänt område.")]),
        (["Berga", None, "t"], [], [("Fel", 2, "Rubrik/Text", "", "Rubrik eller text saknas.")]),
        (
            ["Okänt", None, "t"],
            [],
            [
                ("Fel", 2, "Område", "Okänt", "Okänt område."),
                ("Fel", 2, "Rubrik/Text", "", "Rubrik eller text saknas."),
            ],
        ),
    ],
)
def test_text_rows(row, records, problems):
    found_records, found, _ = read(TEXTS, [XH, row])
    assert [tuple(r.values()) for r in found_records] == records and found == problems
