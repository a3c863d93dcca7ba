"""The command line: exit codes 0/1/2, the problem table, the store unchanged after bad files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.core.model import TABLES
from analysis.store.history import Store
from analysis.store.importer import open_store
from tests.builders import data_sheet, xlsx
from tests.test_validate import CASES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path):
    """A store seeded with the real default data."""
    path = tmp_path / "cli.sqlite"
    open_store(path).close()
    return path


def checksum(db: Path) -> str:
    """The store's checksum."""
    with open_store(db, seed=False) as s:
        return s.checksum()


HOSTILE_FILES = [
    ("csv", b"Omrade;Indikator\nBerga;x\n", "textfil (CSV)"),
    ("trunkerad", data_sheet(["Berga", "folkmangd", 2020, 1, "Totalt"])[:900], "skadad"),
    ("tom", b"", "tom"),
]


@pytest.mark.parametrize("command", ["validate", "import"])
@pytest.mark.parametrize(
    "case",
    CASES + [(n, d, "", None, "", m, "") for n, d, m in HOSTILE_FILES],
    ids=[c[0] for c in CASES] + [h[0] for h in HOSTILE_FILES],
)
def test_each_bad_file_exits_1_with_its_message_and_leaves_the_store(db, tmp_path, capsys, command, case):
    name, data, *_ = case
    message = case[5]
    path = tmp_path / "fil.xlsx"
    path.write_bytes(data)
    before = checksum(db)
    assert main([command, str(path), "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert message in out
    assert "fel" in out
    assert checksum(db) == before


GOOD_LAYOUTS = [
    ("långt", data_sheet(["Berga", "ohalsotal", 2025, "31,5", "Kvinnor"])),
    ("brett", xlsx({"Data": [["Område", "Indikator", "Kön", "2025"], ["Skaggetorp", "Ohälsotal", "Män", 30]]})),
    (
        "engelska",
        xlsx({"Data": [["Area", "Indicator", "Year", "Value", "Sex"], ["Ryd", "ohalsotal", 2025, 20.5, "Women"]]}),
    ),
    (
        "scb-export",
        xlsx(
            {
                "Tabell": [
                    ["Ohälsotal efter region"],
                    [],
                    ["region", 2025],
                    ["0580 Linköping", "22,1"],
                    ["Övriga Linköping", 21],
                    [],
                    ["Källa: Försäkringskassan"],
                ]
            }
        ),
    ),
]


@pytest.mark.parametrize("name, data", GOOD_LAYOUTS, ids=[g[0] for g in GOOD_LAYOUTS])
def test_good_layouts_import(db, tmp_path, capsys, name, data):
    path = tmp_path / "bra.xlsx"
    path.write_bytes(data)
    args = ["--indicator", "ohalsotal"] if name == "scb-export" else []
    assert main(["validate", str(path), "--db", str(db), *args]) == 0
    assert "Filen är giltig" in capsys.readouterr().out
    assert main(["import", str(path), "--db", str(db), "--user", "test", *args]) == 0
    assert "Version 2 skapad" in capsys.readouterr().out
    with open_store(db) as s:
        obs = s.current().observations
        assert (obs["year"] == 2025).sum() >= 1


def test_exported_table_without_indicator_says_how_to_name_it(db, tmp_path, capsys):
    path = tmp_path / "scb.xlsx"
    path.write_bytes(GOOD_LAYOUTS[3][1])
    assert main(["validate", str(path), "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "exporterad tabell" in out and "ohalsotal" in out


def test_versions_rollback_export(db, tmp_path, capsys):
    path = one_value_file(tmp_path)
    assert main(["import", str(path), "--db", str(db), "--user", "anna"]) == 0
    assert main(["versions", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "anna" in out and "ny.xlsx" in out and "standarddata.xlsx" in out
    assert main(["rollback", "1", "--db", str(db), "--user", "bo"]) == 0
    assert "återställning till version 1" in capsys.readouterr().out
    assert main(["rollback", "99", "--db", str(db)]) == 2
    assert "finns inte" in capsys.readouterr().err
    out_file = tmp_path / "export.xlsx"
    assert main(["export", str(out_file), "--db", str(db)]) == 0
    assert out_file.stat().st_size > 10_000


def test_export_then_import_into_a_fresh_store_gives_the_same_data(db, tmp_path):
    export = tmp_path / "export.xlsx"
    assert main(["export", str(export), "--db", str(db)]) == 0
    fresh = tmp_path / "fresh.sqlite"
    with open_store(fresh, seed=False):
        pass
    assert main(["import", str(export), "--db", str(fresh)]) == 0
    with open_store(db, seed=False) as a, open_store(fresh, seed=False) as b:
        for table in TABLES:
            assert a.current().table(table).equals(b.current().table(table)), table
    again = tmp_path / "again.xlsx"
    assert main(["export", str(again), "--db", str(fresh)]) == 0
    import openpyxl

    def rows(p):
        wb = openpyxl.load_workbook(p, read_only=True)
        return {
            ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb if ws.title != "Instruktioner"
        }

    assert rows(export) == rows(again)


@pytest.mark.parametrize("argv", [[], ["bogus"], ["import"], ["rollback", "x"]])
def test_wrong_usage_exits_2(argv, capsys):
    assert main(argv) == 2


def test_missing_file_exits_2(db, capsys):
    assert main(["import", "/nonexistent/fil.xlsx", "--db", str(db)]) == 2


def test_python_dash_m_analysis_runs_as_a_program(db, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"inte en arbetsbok")
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", "validate", str(bad), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert proc.returncode == 1
    assert "inte en arbetsbok" in proc.stdout


def import_two(db: Path, tmp_path: Path) -> None:
    """Import two small files on top of the default data (versions 2 and 3)."""
    for n, value in ((1, 31.5), (2, 32.5)):
        path = tmp_path / f"ny{n}.xlsx"
        path.write_bytes(data_sheet(["Berga", "ohalsotal", 2025, value, "Totalt"]))
        assert main(["import", str(path), "--db", str(db), "--user", "anna"]) == 0


@pytest.mark.parametrize(
    ("args", "pruned"),
    [(["--keep", "1"], [1, 2]), (["--keep", "0"], [1, 2, 3]), (["--before", "2"], [1]), (["--keep", "3"], [])],
)
def test_prune_originals_deletes_old_files_keeps_data_and_shows_it(db, tmp_path, capsys, args, pruned):
    import_two(db, tmp_path)
    with open_store(db, seed=False) as s:
        data_before = {v: s.dataset_at(v).observations for v in (1, 2, 3)}
    capsys.readouterr()
    assert main(["prune-originals", *args, "--db", str(db), "--user", "it-admin"]) == 0
    out = capsys.readouterr().out
    if pruned:
        assert out.startswith(f"Tog bort {len(pruned)} originalfiler (") and "Data och historik finns kvar" in out
        assert f"för version {', '.join(map(str, pruned))}." in out
    else:
        assert out.startswith("Inga originalfiler att ta bort.")
    with open_store(db, seed=False) as s:
        for v, frame in data_before.items():
            assert s.dataset_at(v).observations.equals(frame)
        assert [v for v in (1, 2, 3) if s.original_file(v) is None] == pruned
        versions = s.versions().set_index("version")
        assert [v for v in (1, 2, 3) if versions.loc[v, "file_pruned_by"] == "it-admin"] == pruned
    assert main(["versions", "--db", str(db)]) == 0
    listing = capsys.readouterr().out
    assert "Originalfil" in listing and listing.count("Borttagen") == len(pruned)
    assert listing.count("Sparad") == 3 - len(pruned)


def one_value_file(tmp_path) -> Path:
    """A workbook with one new value (Berga's ohälsotal 2025)."""
    path = tmp_path / "ny.xlsx"
    path.write_bytes(data_sheet(["Berga", "ohalsotal", 2025, 31.5, "Totalt"]))
    return path


@pytest.mark.parametrize("args", [[], ["--keep", "1", "--before", "2"], ["--keep", "x"], ["--keep", "-1"]])
def test_prune_originals_needs_one_rule(db, capsys, args):
    before = checksum(db)
    assert main(["prune-originals", *args, "--db", str(db)]) == 2
    assert checksum(db) == before


def test_an_import_over_the_originals_limit_exits_3_and_says_how_to_free_space(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SEGDASH_MAX_ORIGINALS_MB", "0")
    path = one_value_file(tmp_path)
    before = checksum(db)
    assert main(["import", str(path), "--db", str(db)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Importen stoppades: originalfilerna") and "prune-originals --keep" in err
    assert checksum(db) == before


@pytest.mark.parametrize(
    "error",
    [sqlite3.OperationalError("database or disk is full"), OSError(28, "No space left on device")],
    ids=["sqlite-full", "enospc"],
)
def test_a_full_disk_during_import_exits_3_with_a_swedish_message(db, tmp_path, capsys, monkeypatch, error):
    original = Store._write_table

    def failing(self, table, version):
        original(self, table, version)
        raise error

    monkeypatch.setattr(Store, "_write_table", failing)
    path = one_value_file(tmp_path)
    before = checksum(db)
    assert main(["import", str(path), "--db", str(db)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Databasen kunde inte skrivas: disken på servern är full. Ingenting ändrades")
    assert checksum(db) == before


def test_a_read_only_store_can_be_listed_but_not_changed(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SEGDASH_DB_READ_ONLY", "1")
    path = one_value_file(tmp_path)
    before = checksum(db)
    assert main(["versions", "--db", str(db)]) == 0
    assert "standarddata.xlsx" in capsys.readouterr().out
    assert main(["import", str(path), "--db", str(db)]) == 3
    assert capsys.readouterr().err.startswith("Databasen är skrivskyddad, så det går inte att importera")
    assert main(["prune-originals", "--keep", "0", "--db", str(db)]) == 3
    assert "skrivskyddad" in capsys.readouterr().err
    assert checksum(db) == before


@pytest.fixture
def plan_db(tmp_path):
    """A store holding the hand-worked follow-up in two plan versions."""
    from tests.builders import plan_followup_dataset

    path = tmp_path / "plan.sqlite"
    with Store(path) as store:
        store.apply(plan_followup_dataset(), user="anna")
    return path


@pytest.mark.parametrize("extension", ["docx", "pptx", "html"])
def test_report_bilaga5_writes_each_format(plan_db, tmp_path, capsys, extension):
    out = tmp_path / f"bilaga5.{extension}"
    args = ["report", "bilaga5", "--year", "2022", "--out", str(out), "--db", str(plan_db)]
    assert main([*args, "--no-images"] if extension == "docx" else args) == 0
    assert f"Skrev {out}." in capsys.readouterr().out
    data = out.read_bytes()
    if extension == "html":
        text = data.decode("utf-8")
        assert "Bilaga 5 – Uppföljning av åtgärdsplan mot segregation 2022" in text
        assert "Av planens 3 åtgärder är 1 genomförd, 1 pågår och 1 är försenad." in text
    else:
        assert data[:2] == b"PK"


@pytest.mark.parametrize(
    "extra, message",
    [
        (
            ["--year", "2019", "--out", "x.docx"],
            "Det finns ingen uppföljning för 2019. Uppföljningsår i datan: 2021, 2022.",
        ),
        (["--out", "x.pdf"], "Okänd filtyp ”.pdf”"),
        (["--plan", "Plan 1999", "--out", "x.html"], "Okänd plan ”Plan 1999”. Planer i datan: Plan 2020, Plan 2022."),
    ],
)
def test_report_bilaga5_wrong_usage_exits_2(plan_db, tmp_path, capsys, extra, message):
    extra = [str(tmp_path / a) if a.startswith("x.") else a for a in extra]
    assert main(["report", "bilaga5", *extra, "--db", str(plan_db)]) == 2
    assert message in capsys.readouterr().err
