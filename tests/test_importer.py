"""The import path: seeding, preview, import as a version, the store unchanged after bad files."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.model import TABLES, make_dataset
from analysis.exports.workbook import dataset_to_workbook, template_workbook
from analysis.store.importer import import_upload, open_store, preview_upload, read_upload
from tests.builders import AREAS, INDICATORS, data_sheet, tiny_known, xlsx
from tests.test_validate import CASES

SEED_OBS = [
    {
        "area": "Berga",
        "indicator": "folkmangd",
        "year": 2020,
        "sex": "Totalt",
        "value": 6000,
        "source": "Exempelvärde (fiktivt)",
    },
    {
        "area": "Skäggetorp",
        "indicator": "folkmangd",
        "year": 2020,
        "sex": "Totalt",
        "value": 10000,
        "source": "Exempelvärde (fiktivt)",
    },
    {"area": "Berga", "indicator": "forvarvsfrekvens", "year": 2020, "sex": "Kvinnor", "value": 55.5, "source": "SCB"},
]


@pytest.fixture
def seed_workbook(tmp_path, monkeypatch):
    """A tiny default workbook that new stores are seeded from."""
    seed = make_dataset(
        areas=pd.DataFrame(AREAS), indicators=pd.DataFrame(INDICATORS), observations=pd.DataFrame(SEED_OBS)
    )
    path = tmp_path / "standard.xlsx"
    path.write_bytes(dataset_to_workbook(seed))
    monkeypatch.setenv("SEGDASH_DEFAULT_DATA", str(path))
    return path


@pytest.fixture
def store(store_target, seed_workbook):
    """A store seeded from the tiny default workbook (SQLite, then PostgreSQL)."""
    with open_store(store_target) as s:
        yield s


def test_first_use_seeds_the_default_data_as_version_1(store):
    versions = store.versions()
    assert versions["version"].tolist() == [1]
    assert versions.iloc[0]["kind"] == "initial"
    assert versions.iloc[0]["n_new"] == 3 + 4 + 3  # observations + areas + indicators
    assert len(store.current().observations) == 3


def test_reopening_does_not_seed_again(store_target, seed_workbook):
    with open_store(store_target):
        pass
    with open_store(store_target) as s:
        assert s.current_version() == 1


def test_preview_and_import_of_a_good_file(store):
    data = data_sheet(
        ["Berga", "folkmangd", 2020, 6100, "Totalt"],
        ["Berga", "folkmangd", 2021, 6200, "Totalt"],
        ["Skäggetorp", "folkmangd", 2020, 10000, "Totalt"],
    )
    read, diff = preview_upload(store, data, "ny.xlsx")
    assert read.ok
    assert (diff.n_new, diff.n_changed, diff.n_unchanged) == (1, 1, 1)
    assert store.current_version() == 1  # preview writes nothing
    outcome = import_upload(store, data, "ny.xlsx", "anna@linkoping.se")
    assert outcome.version == 2
    assert "1 nya, 1 ändrade" in outcome.result.message
    obs = store.current().observations.set_index(["area", "indicator", "year"])["value"]
    assert obs[("Berga", "folkmangd", 2020)] == 6100 and obs[("Berga", "folkmangd", 2021)] == 6200
    assert obs[("Berga", "forvarvsfrekvens", 2020)] == 55.5  # not in the file: untouched
    assert store.original_file(2) == ("ny.xlsx", data)
    assert store.versions().iloc[0]["user"] == "anna@linkoping.se"


def test_identical_file_twice_adds_no_version(store):
    data = data_sheet(["Berga", "folkmangd", 2022, 6300, "Totalt"])
    assert import_upload(store, data, "a.xlsx", "u").version == 2
    again = import_upload(store, data, "a.xlsx", "u")
    assert again.version is None and "ingen ny version" in again.result.message and "version 2" in again.result.message
    assert store.current_version() == 2


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_store_is_unchanged_after_every_failed_import(store, case):
    before = store.checksum()
    outcome = import_upload(store, case[1], "dålig.xlsx", "u")
    assert outcome.version is None and not outcome.ok
    assert store.checksum() == before


@pytest.mark.parametrize("data", [b"", b"not a workbook", b"PK\x03\x04broken"], ids=["tom", "text", "trasig zip"])
def test_store_is_unchanged_after_unreadable_files(store, data):
    before = store.checksum()
    assert import_upload(store, data, "x.xlsx", "u").version is None
    assert store.checksum() == before


def test_export_import_export_round_trip(store, tmp_path):
    import_upload(
        store,
        xlsx(
            {
                "Åtgärder": [
                    ["Id", "Åtgärd", "Tema", "Områden", "Start", "Slut", "Status", "Indikatorer", "Källa"],
                    [
                        "A01",
                        "Läxhjälp",
                        "utbildning",
                        "Berga;Skäggetorp",
                        "2021-01-01",
                        "2023-06-30",
                        "Pågår",
                        "forvarvsfrekvens",
                        "Exempelvärde (fiktivt)",
                    ],
                ],
                "Mål": [
                    ["Område", "Indikator", "Basår", "Målår", "Målvärde"],
                    ["Berga", "forvarvsfrekvens", 2020, 2030, 65],
                ],
                "Områdestexter": [
                    ["Område", "Rubrik", "Text"],
                    ["Berga", "Styrkor", "=Många föreningar\noch en stark skola."],
                ],
                "Data": [
                    ["Område", "Indikator", "År", "Värde", "Kommentar"],
                    ["Berga", "ohalsotal", 2020, "..", "@ notering"],
                ],
            },
            formulas=False,
        ),
        "extra.xlsx",
        "u",
    )
    assert store.current_version() == 2
    first = dataset_to_workbook(store.current())
    with open_store(tmp_path / "fresh.sqlite", seed=False) as fresh:
        outcome = import_upload(fresh, first, "export.xlsx", "u")
        assert outcome.ok, [p.as_text() for p in outcome.problems]
        for table in TABLES:
            a = (
                store.current()
                .table(table)
                .sort_values(list(store.current().table(table).columns[:2]))
                .reset_index(drop=True)
            )
            b = fresh.current().table(table).sort_values(list(a.columns[:2])).reset_index(drop=True)
            pd.testing.assert_frame_equal(a, b, check_dtype=False, obj=table)
        second = dataset_to_workbook(fresh.current())
    assert read_upload(second, "x.xlsx", tiny_known()).ok
    assert store.current().area_texts.iloc[0]["text"].startswith("=Många")


def test_template_has_dropdowns_and_reads_back_empty(store):
    data = template_workbook(store.current())
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[:3] == ["Instruktioner", "Data", "Indikatorer"]
    assert wb["Listor"].sheet_state == "hidden"
    formulas = {dv.formula1 for dv in wb["Data"].data_validations.dataValidation}
    assert any("Listor!$A$2" in f for f in formulas)  # Område
    assert [c.value for c in wb["Data"][1]] == [
        "Område",
        "Indikator",
        "År",
        "Värde",
        "Kön",
        "Grupp",
        "Källa",
        "Kommentar",
    ]
    read = read_upload(data, "mall.xlsx", store.current())
    assert read.ok  # catalogue and areas only, all unchanged


PLANS_UPLOAD = {
    "Planer": [
        ["Plan", "Antagen", "Beslutad av", "Gäller från", "Gäller till"],
        ["Åtgärdsplan 2020", "2020-12-02", "Kommunfullmäktige", 2021, None],
        ["Åtgärdsplan 2022", "2022-01-19", "Kommunstyrelsen", 2022, None],
    ],
    "Åtgärder": [
        ["Id", "Plan", "Åtgärd", "Ansvarig", "Slut"],
        ["A01", "Åtgärdsplan 2020; Åtgärdsplan 2022", "Läxhjälp", "BUN", "2024-12-31"],
        ["A02", "Åtgärdsplan 2020", "Belysning", "TFN", "2022-06-30"],
        ["A02", "Åtgärdsplan 2022", "Belysning", "SBN", "2023-06-30"],
    ],
    "Uppföljning": [["Åtgärd", "År", "Status", "Andel klar"], ["A02", 2022, "Riskerar att försenas", "40 %"]],
}


def test_planer_and_atgarder_land_as_one_version_with_history_and_rollback(store):
    data = xlsx(PLANS_UPLOAD)
    read, diff = preview_upload(store, data, "planer.xlsx")
    assert read.ok, [p.as_text() for p in read.problems]
    assert [diff.count(t, "new") for t in ("plans", "actions", "action_followups")] == [2, 4, 1]
    outcome = import_upload(store, data, "planer.xlsx", "anna")
    assert outcome.version == 2 and store.versions().iloc[0]["n_new"] == 7
    current = store.current()
    assert current.plans["name"].tolist() == ["Åtgärdsplan 2020", "Åtgärdsplan 2022"]
    assert current.actions[["id", "plan", "responsible"]].values.tolist() == [
        ["A01", "Åtgärdsplan 2020", "BUN"],
        ["A01", "Åtgärdsplan 2022", "BUN"],
        ["A02", "Åtgärdsplan 2020", "TFN"],
        ["A02", "Åtgärdsplan 2022", "SBN"],
    ]
    assert current.action_followups["progress"].tolist() == [40.0]
    # A later upload names a stored plan without its Planer sheet, and changes one plan's version of an action.
    later = xlsx(
        {
            "Åtgärder": [
                ["Id", "Plan", "Åtgärd", "Ansvarig", "Slut"],
                ["A02", "ÅTGÄRDSPLAN 2022", "Belysning", "SBN", "2024-06-30"],
            ]
        }
    )
    outcome = import_upload(store, later, "senare.xlsx", "bo")
    assert outcome.ok and outcome.version == 3 and outcome.result.diff.count("actions", "changed") == 1
    assert store.current().actions["end"].tolist() == ["2024-12-31", "2024-12-31", "2022-06-30", "2024-06-30"]
    store.rollback(1, user="anna")
    assert store.current().plans.empty and store.current().actions.empty
    assert store.dataset_at(3).actions["end"].tolist()[-1] == "2024-06-30"  # nothing was lost


def test_the_template_lists_the_plans_and_reads_back_unchanged(store):
    import_upload(store, xlsx(PLANS_UPLOAD), "planer.xlsx", "anna")
    import io

    import openpyxl

    data = template_workbook(store.current())
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert [r[0] for r in wb["Planer"].iter_rows(min_row=2, values_only=True)] == [
        "Åtgärdsplan 2020",
        "Åtgärdsplan 2022",
    ]
    assert wb["Åtgärder"].max_row == 1
    read, diff = preview_upload(store, data, "mall.xlsx")
    assert read.ok and diff.is_empty
