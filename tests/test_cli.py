"""The command line: exit codes 0/1/2, the problem table, the store unchanged after bad files."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.core.model import TABLES, make_dataset
from analysis.store.history import Store
from analysis.store.importer import open_store
from tests.builders import data_sheet, xlsx
from tests.pxweb1_server import TABLE as V1_TABLE
from tests.pxweb1_server import serve_pxweb1
from tests.pxweb_server import free_port, serve_pxweb
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


# --- fetch: official statistics from the local fixture PxWeb server (tests/pxweb_server.py) ------------------------

# Östergötlands län (Kod 05), 30–39 år, April 2026 in SCB's recorded TAB6471 answer, read off by hand.
APRIL_2026 = {"30–39 år": 63931.0, "30–39 år, män": 33201.0, "30–39 år, kvinnor": 30727.0}


def fetch_row(indicator: str, base_url: str, **changes: str) -> dict[str, str]:
    """One row of Hämtningar as a user writes it: folkmängd 30–39 år in Östergötland by sex, the latest four months."""
    row = {
        "indicator": indicator,
        "api": "PxWeb v2",
        "base_url": base_url,
        "table": "TAB6471",
        "selection": "Region=05; Alder=30-39; Kon=*; ContentsCode=000007SF",
        "time_variable": "Tid",
        "time": "senaste 4",
        "area_variable": "Region",
        "sex_variable": "Kon",
        "sex_codes": "TotSa=Totalt; 1=Män; 2=Kvinnor",
        "group_variable": "Alder",
        "group_codes": "30-39=30–39 år",
        "period_rule": "Sista perioden",
        "verified": "Nej",
    }
    return {**row, **changes}


@pytest.fixture(scope="module")
def fetch_base(tmp_path_factory):
    """The default data without its fetch definitions (they name SCB: a test must never call a real API), plus
    Östergötlands län (Kod 05) and folkmangd_lan (antal); made once for the module."""
    folder = tmp_path_factory.mktemp("fetch")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SEGDASH_SNAPSHOT_DIR", str(folder / "snapshots"))
        with open_store(folder / "default.sqlite") as store:
            default = store.current()
        areas = pd.DataFrame([{"name": "Östergötlands län", "type": "Övrigt", "code": "05", "aliases": ""}])
        indicator = {"id": "folkmangd_lan", "name": "Folkmängd i länet", "theme": "befolkning", "unit": "antal"}
        indicators = pd.DataFrame([{**indicator, "direction": "Neutral", "decimals": 0}])
        data = default.with_table("fetches", None)
        data = data.with_table("areas", pd.concat([default.areas, areas], ignore_index=True))
        data = data.with_table("indicators", pd.concat([default.indicators, indicators], ignore_index=True))
        with open_store(folder / "base.sqlite", seed=False) as store:
            store.apply(data, user="test", kind="initial")
    return folder / "base.sqlite"


@pytest.fixture
def pxweb():
    """The fixture PxWeb API on a free local port."""
    with serve_pxweb() as fake:
        yield fake


def fetch_db(base: Path, tmp_path: Path, *rows: dict[str, str]) -> Path:
    """A copy of the base store with these fetch definitions stored (as an upload of Hämtningar would)."""
    path = tmp_path / "fetch.sqlite"
    shutil.copy(base, path)
    if rows:
        with open_store(path, seed=False) as store:
            store.apply(make_dataset(fetches=pd.DataFrame(list(rows))), user="test")
    return path


def stored(db: Path, indicator: str) -> pd.DataFrame:
    """The stored observations of one indicator."""
    with open_store(db, seed=False) as store:
        obs = store.current().observations
    return obs[obs["indicator"] == indicator].reset_index(drop=True)


def n_versions(db: Path) -> int:
    """How many versions the store has."""
    with open_store(db, seed=False) as store:
        return len(store.versions())


def test_fetch_dry_run_prints_the_preview_and_stores_nothing(fetch_base, tmp_path, pxweb, capsys):
    db = fetch_db(fetch_base, tmp_path, fetch_row("folkmangd_lan", pxweb.base_url))
    before = checksum(db)
    assert main(["fetch", "--dry-run", "--db", str(db)]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "- folkmangd_lan ur TAB6471 (PxWeb v2): OK. 3 värden ur tabellen TAB6471 (ett anrop)." in out
    assert f"    {pxweb.base_url}/tables/TAB6471/data?lang=sv&outputFormat=json-stat2" in out
    assert "Förhandsgranskning: 3 nya, 0 ändrade och 0 oförändrade värden." in out
    assert "Nya värden:" in out
    [line] = [x for x in out.splitlines() if x.startswith("Östergötlands län Folkmängd i länet 2026 30–39 år, kv")]
    assert re.search(" – +30\xa0727$", line)  # old → new, formatted as the Data page shows it
    assert "År 2026 är inte komplett i svaret (sista perioden är april)" in out  # the warning, in the problem table
    assert "Provkörning (--dry-run): ingenting sparades." in out
    assert "Hämtar folkmangd_lan ur TAB6471 (PxWeb v2) …" in captured.err
    assert checksum(db) == before


def test_fetch_stores_a_version_naming_table_and_query_and_a_second_fetch_creates_none(
    fetch_base, tmp_path, pxweb, capsys
):
    db = fetch_db(fetch_base, tmp_path, fetch_row("folkmangd_lan", pxweb.base_url))
    versions = n_versions(db)
    assert main(["fetch", "--db", str(db), "--user", "natt"]) == 0
    assert f"Version {versions + 1} skapad: 3 nya, 0 ändrade" in capsys.readouterr().out
    rows = stored(db, "folkmangd_lan")
    assert dict(zip(rows["sex"], rows["value"])) == APRIL_2026
    [source] = set(rows["source"])
    query, _, when = source.partition(" (hämtad ")
    assert query.startswith(f"{pxweb.base_url}/tables/TAB6471/data?")
    assert "valueCodes%5BRegion%5D=05" in query and "valueCodes%5BTid%5D=2026M01,2026M02,2026M03,2026M04" in query
    assert when.endswith(" UTC)")
    with open_store(db, seed=False) as store:
        newest = store.versions().iloc[0]
    assert newest["file_name"].startswith("Hämtning ") and newest["user"] == "natt"
    assert f"folkmangd_lan ur TAB6471 (PxWeb v2): 3 värden. Adress: {query}" in newest["note"]

    before = checksum(db)
    assert main(["fetch", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Förhandsgranskning: 0 nya, 0 ändrade och 3 oförändrade värden." in out
    assert "Inga nya eller ändrade värden – ingen ny version skapades." in out
    assert n_versions(db) == versions + 1
    assert checksum(db) == before


def test_fetch_reads_a_pxweb_v1_district_table_and_stores_it(fetch_base, tmp_path, capsys):
    with serve_pxweb1() as server:
        row = {
            "indicator": "folkmangd",
            "api": "PxWeb v1",
            "base_url": server.base_url,
            "table": V1_TABLE,
            "selection": "Stadsdel=12,44",
            "time": "senaste 2",
            "area_variable": "Stadsdel",
            "sex_variable": "Kon",
            "sex_codes": "1=Män; 2=Kvinnor",
            "verified": "Nej",
        }
        db = fetch_db(fetch_base, tmp_path, row)
        assert main(["fetch", "--dry-run", "--db", str(db)]) == 0
        out = capsys.readouterr().out
        table = f"{server.base_url}/Befolkning/BefStadsdel.px"
        assert f"- folkmangd ur {V1_TABLE} (PxWeb v1): OK. 8 värden ur tabellen {V1_TABLE} (ett anrop)." in out
        assert f"    {table} (POST Stadsdel=12,44; Kon=1,2; ContentsCode=BEF01; Tid=2023,2024)" in out
        assert "Förhandsgranskning: 0 nya, 8 ändrade och 0 oförändrade värden." in out
        versions = n_versions(db)
        assert main(["fetch", "--db", str(db)]) == 0
        assert n_versions(db) == versions + 1
    rows = stored(db, "folkmangd")
    rows = rows[rows["source"].str.startswith(table)]
    # Invented in the fixture: Skäggetorp's women 5 450 in 2021 and 40 more a year.
    assert len(rows) == 8
    assert rows.set_index(["area", "year", "sex"]).loc[("Skäggetorp", 2024, "Kvinnor"), "value"] == 5570.0


CLI_FAILURES = [
    # (case, the bad definition's changes, what the server is told to do, extra arguments, the message)
    ("DNS", {"base_url": "http://statistik.invalid/api/v2"}, None, [], "kunde inte slås upp"),
    ("inget nätverk", {"base_url": "http://127.0.0.1:{port}/api/v2"}, None, [], "nekade anslutningen"),
    ("tidsgräns", {}, lambda s: s.slow(2.0, times=1), ["--timeout", "0.3"], "Inget svar från 127.0.0.1 inom 0.3"),
    ("HTTP 404", {"table": "TAB0000"}, None, [], "(HTTP 404)"),
    ("ändrad tabell", {"selection": "Region=9999; Alder=30-39; Kon=TotSa"}, None, [], "Koden 9999 finns inte"),
    ("tomt svar", {}, lambda s: s.empty(times=1), [], "Urvalet gav inga värden ur tabellen TAB6471"),
    ("ogiltig JSON", {}, lambda s: s.invalid_json(times=1), [], "är inte giltig JSON"),
]


@pytest.mark.parametrize("name, changes, program, extra, message", CLI_FAILURES, ids=[c[0] for c in CLI_FAILURES])
def test_fetch_with_one_failing_definition_stores_the_good_one_and_exits_1(
    fetch_base, tmp_path, pxweb, capsys, name, changes, program, extra, message
):
    changes = {k: v.format(port=free_port()) for k, v in changes.items()}
    total = {"sex_variable": "", "sex_codes": "", "selection": "Region=05; Alder=30-39; Kon=TotSa"}
    bad = {**fetch_row("folkmangd", pxweb.base_url), **total, **changes}
    db = fetch_db(fetch_base, tmp_path, bad, fetch_row("folkmangd_lan", pxweb.base_url))  # the bad one is asked first
    before = stored(db, "folkmangd")
    if program is not None:
        program(pxweb)
    assert main(["fetch", "--db", str(db), *extra]) == 1
    out = capsys.readouterr().out
    assert "- folkmangd ur TAB6471 (PxWeb v2): MISSLYCKADES." in out or "- folkmangd ur TAB0000" in out
    assert message in out
    assert "1 av 2 hämtningar misslyckades; deras värden sparades inte." in out
    pd.testing.assert_frame_equal(stored(db, "folkmangd").astype(object), before.astype(object))
    rows = stored(db, "folkmangd_lan")
    assert dict(zip(rows["sex"], rows["value"])) == APRIL_2026


def test_fetch_exits_2_and_stores_nothing_when_nothing_can_be_fetched(fetch_base, tmp_path, pxweb, capsys):
    db = fetch_db(fetch_base, tmp_path, fetch_row("folkmangd_lan", pxweb.base_url, table="TAB0000"))
    before = checksum(db)
    assert main(["fetch", "--db", str(db)]) == 2
    out = capsys.readouterr().out
    assert "MISSLYCKADES" in out and "Ingenting kunde hämtas; ingenting sparades." in out
    assert checksum(db) == before


def test_fetch_runs_only_the_indicators_asked_for(fetch_base, tmp_path, pxweb, capsys):
    bad = fetch_row("folkmangd", "http://statistik.invalid/api/v2")
    db = fetch_db(fetch_base, tmp_path, bad, fetch_row("folkmangd_lan", pxweb.base_url))
    assert main(["fetch", "--dry-run", "--indicator", "folkmangd_lan", "okand", "--db", str(db)]) == 0
    captured = capsys.readouterr()
    assert "statistik.invalid" not in captured.out
    assert "Ingen hämtning är definierad för indikatorn okand" in captured.err


def test_fetch_without_definitions_exits_2(fetch_base, tmp_path, capsys):
    db = fetch_db(fetch_base, tmp_path)
    assert main(["fetch", "--db", str(db)]) == 2
    assert "Det finns inga hämtningar att köra." in capsys.readouterr().out
