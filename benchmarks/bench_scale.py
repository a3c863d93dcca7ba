"""Benchmark at city and national scale, our numbers side by side with a baseline, in one run.

    python benchmarks/bench_scale.py                 # everything (sizes S, M, L; L takes a while to build)
    python benchmarks/bench_scale.py --sizes S,M     # skip the national scale
    python benchmarks/bench_scale.py --only reading  # one part: reading, store, pages or exports
    python benchmarks/bench_scale.py --store postgresql://user@host/db --sizes M,L
                                                     # SQLite and PostgreSQL side by side: pages and imports

Synthetic data are seeded (benchmarks/synthetic.py); stores and workbooks are built once and kept in
benchmarks/out/ (git-ignored). Every measurement runs in a fresh Python process so that peak memory
(ru_maxrss) and cold start are real. Targets (issue 9) are printed next to each number. Timings
depend on the machine and its load; they are never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PY = sys.executable

TARGETS = {
    "read_ratio": 10.0,  # our reader at least 10× faster than pandas/openpyxl
    "import_ratio": 3.0,  # the whole import at least 3× faster than the baseline's read alone
    ("M", "warm"): 0.5,
    ("M", "cold"): 3.0,
    ("L", "warm"): 1.5,
    ("L", "cold"): 15.0,
    "L_memory_mb": 2048,
    "export_s": 3.0,
}


def run_child(code: str, env: dict[str, str] | None = None, timeout: int = 3600) -> dict:
    """Run Python code in a fresh process; it prints one JSON line, returned with the peak RSS in MB added."""
    script = textwrap.dedent(code)
    wrapper = (
        "import json, resource, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
        + script
        + "\nresult['peak_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print('RESULT ' + json.dumps(result))\n"
    )
    proc = subprocess.run(
        [PY, "-c", wrapper],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"child failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")


def verdict(ok: bool) -> str:
    """'uppfyllt' or 'EJ uppfyllt'."""
    return "uppfyllt" if ok else "EJ uppfyllt"


# --- Reading --------------------------------------------------------------------------------


def build_workbooks() -> tuple[Path, Path, Path]:
    """The 200 000-row long workbook, the 30 000-row wide one, and the store they import into (built once)."""
    OUT.mkdir(parents=True, exist_ok=True)
    long_path, wide_path, store = OUT / "long_200k.xlsx", OUT / "wide_30k.xlsx", OUT / "import_base.sqlite"
    if not (long_path.exists() and wide_path.exists() and store.exists()):
        print("Skapar arbetsböckerna (en gång) …", flush=True)
        run_child(f"""
            from workbooks import long_workbook, wide_workbook, known_store
            open({str(long_path)!r}, 'wb').write(long_workbook(200_000))
            open({str(wide_path)!r}, 'wb').write(wide_workbook(30_000))
            known_store({str(store)!r})
            result = {{}}
        """)
    return long_path, wide_path, store


def bench_reading() -> None:
    """Our reader versus pandas/openpyxl on both workbooks, and the whole import of the long one."""
    long_path, wide_path, store = build_workbooks()
    print("\n## Läsning av arbetsböcker (egen process per mätning; toppminne = ru_maxrss)")
    print(f"{'Arbetsbok':<18}{'Metod':<40}{'Tid (s)':>9}{'Toppminne (MB)':>16}{'× baslinjen':>13}")
    base_long = None
    for path in (long_path, wide_path):
        base = run_child(f"""
            import time, pandas as pd
            t = time.perf_counter(); frame = pd.read_excel({str(path)!r}, engine='openpyxl'); s = time.perf_counter() - t
            result = {{'s': s, 'rows': len(frame)}}
        """)
        ours = run_child(f"""
            import time
            from analysis.ingest.excel import read_workbook
            data = open({str(path)!r}, 'rb').read()
            t = time.perf_counter()
            raw, problems = read_workbook(data, 'bench.xlsx')
            assert raw is not None and not problems, problems
            # The rows are read on demand: go through every cell, as validation does, so the time is fair.
            cells = sum(len(row) for sheet in raw.sheets for row in sheet.rows)
            s = time.perf_counter() - t
            result = {{'s': s, 'cells': cells}}
        """)
        if path == long_path:
            base_long = base
        ratio = base["s"] / ours["s"]
        print(
            f"{path.name:<18}{'Baslinje: pandas.read_excel(openpyxl)':<40}{base['s']:>9.2f}{base['peak_mb']:>16.0f}{1:>13.1f}"
        )
        print(
            f"{path.name:<18}{'Vår läsare (kontroller + calamine, alla celler)':<40}{ours['s']:>9.2f}{ours['peak_mb']:>16.0f}"
            f"{ratio:>13.1f}  mål ≥ {TARGETS['read_ratio']:.0f}×: {verdict(ratio >= TARGETS['read_ratio'])}; "
            f"lägre minne: {verdict(ours['peak_mb'] < base['peak_mb'])}"
        )
    work = OUT / "import_run.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    shutil.rmtree(OUT / "import_run.sqlite.snapshots", ignore_errors=True)
    shutil.copy(store, work)
    if (OUT / "import_base.sqlite.snapshots").exists():
        shutil.copytree(OUT / "import_base.sqlite.snapshots", OUT / "import_run.sqlite.snapshots")
    # As on the data page: read and check, preview the change, then store what was previewed.
    whole = run_child(f"""
        import time
        from analysis.store.importer import import_read, preview_upload
        from analysis.store.history import Store
        data = open({str(long_path)!r}, 'rb').read()
        store = Store({str(work)!r})
        t = time.perf_counter()
        read, diff = preview_upload(store, data, 'long_200k.xlsx')
        t_preview = time.perf_counter() - t
        outcome = import_read(store, read, data, 'long_200k.xlsx', 'bench')
        s = time.perf_counter() - t
        assert outcome.version is not None, [p.as_text() for p in outcome.problems[:3]]
        result = {{'s': s, 'preview_s': t_preview}}
    """)
    ratio = base_long["s"] / whole["s"]
    print(
        f"{'long_200k.xlsx':<18}{'Hela importen: läs, kontrollera, jämför, spara':<48}{whole['s']:>9.2f}"
        f"{whole['peak_mb']:>16.0f}{ratio:>13.1f}  mål ≥ {TARGETS['import_ratio']:.0f}×: "
        f"{verdict(ratio >= TARGETS['import_ratio'])}  (förhandsgranskning {whole['preview_s']:.1f} s)"
    )


# --- Stores and pages -----------------------------------------------------------------------


def build_store(size: str) -> Path:
    """The store of a size (built once from the synthetic dataset)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"store_{size}.sqlite"
    if not path.exists():
        print(f"Bygger databasen för {size} (en gång) …", flush=True)
        tmp = OUT / f"store_{size}.building.sqlite"
        for p in OUT.glob(f"store_{size}.building.sqlite*"):
            shutil.rmtree(p) if p.is_dir() else p.unlink()
        info = run_child(f"""
            import time
            from synthetic import SIZES, synthetic_dataset
            from analysis.store.history import Store
            t = time.perf_counter(); ds = synthetic_dataset(SIZES[{size!r}])
            with Store({str(tmp)!r}) as s:
                s.apply(ds, user='bench', kind='initial')
            result = {{'values': len(ds.observations), 's': time.perf_counter() - t}}
        """)
        for p in OUT.glob(f"store_{size}.building.sqlite*"):
            p.rename(OUT / p.name.replace(".building", ""))
        print(f"  {info['values']:,} värden på {info['s']:.0f} s".replace(",", " "))
    return path


def bench_store(sizes: list[str]) -> None:
    """Reading the whole store: the baseline (row by row from SQLite, no cache) and ours (snapshot)."""
    print("\n## Läsning av databasen (hela datamängden)")
    print(
        f"{'Storlek':<9}{'Värden':>11}{'Baslinje: SQLite rad för rad (s)':>35}{'Vår: ögonblicksbild (s)':>26}"
        f"{'Toppminne (MB)':>16}"
    )
    for size in sizes:
        path = build_store(size)
        r = run_child(f"""
            import time
            from analysis.store.history import Store, observations_from_rows
            s = Store({str(path)!r})
            t = time.perf_counter()
            rows = s._conn.execute("SELECT area, indicator, year, sex, value, source, note FROM observations_hist "
                                   "WHERE valid_to IS NULL").fetchall()
            base = observations_from_rows(rows); t_base = time.perf_counter() - t
            del rows, base
            s.current()  # makes sure the snapshot exists
            t = time.perf_counter(); ds = s.current(); t_ours = time.perf_counter() - t
            result = {{'values': len(ds.observations), 'base': t_base, 'ours': t_ours}}
        """)
        print(f"{size:<9}{r['values']:>11,}{r['base']:>35.2f}{r['ours']:>26.2f}{r['peak_mb']:>16.0f}".replace(",", " "))


def page_run_code(script: str) -> str:
    """Child code that runs one page in AppTest: cold (first run of a fresh process), then warm (median of five)."""
    return f"""
        import time
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file({str(ROOT / "app.py")!r}, default_timeout=600)
        at.switch_page({script!r})
        t = time.perf_counter(); at.run(); cold = time.perf_counter() - t
        assert not at.exception, [e.message for e in at.exception]
        warm = []
        for _ in range(5):  # the median of five warm runs: one run of 30 ms varies by a third on a busy machine
            t = time.perf_counter(); at.run(); warm.append(time.perf_counter() - t)
        result = {{'cold': cold, 'warm': sorted(warm)[2]}}
    """


def bench_pages(sizes: list[str]) -> None:
    """Every page's script run cold (fresh process, store loaded) and warm (second run), per size."""
    sys.path.insert(0, str(ROOT))
    import ui

    print("\n## Sidor (AppTest; kall = första körningen i en ny process inklusive inläsning, varm = andra)")
    print(f"{'Sida':<24}{'Storlek':<9}{'Kall (s)':>10}{'Varm (s)':>10}{'Toppminne (MB)':>16}  Mål")
    peaks: dict[str, float] = {}
    for size in sizes:
        path = build_store(size)
        for spec in ui.PAGES:
            r = run_child(page_run_code(spec.script), env={"SEGDASH_DB": str(path)})
            peaks[size] = max(peaks.get(size, 0.0), r["peak_mb"])
            goal = ""
            if (size, "warm") in TARGETS:
                ok = r["warm"] <= TARGETS[(size, "warm")] and r["cold"] <= TARGETS[(size, "cold")]
                goal = f"varm ≤ {TARGETS[(size, 'warm')]} s, kall ≤ {TARGETS[(size, 'cold')]} s: {verdict(ok)}"
            print(
                f"{spec.title:<24}{size:<9}{r['cold']:>10.2f}{r['warm']:>10.2f}{r['peak_mb']:>16.0f}  {goal}",
                flush=True,
            )
    if "L" in peaks:
        print(
            f"Högsta toppminne vid L: {peaks['L']:.0f} MB (mål ≤ {TARGETS['L_memory_mb']} MB: "
            f"{verdict(peaks['L'] <= TARGETS['L_memory_mb'])})"
        )


def bench_exports() -> None:
    """PowerPoint and Word (with chart images when Chromium exists) for one area at M."""
    path = build_store("M")
    print("\n## Exporter för ett område (Skäggetorp) vid M, från Nulägesbild (nulägesbilden redan beräknad)")
    r = run_child(f"""
        import time
        from datetime import date
        from analysis.render import images
        from analysis.exports.docx_export import attachment_docx
        from analysis.core.model import THEMES
        from analysis.viewmodels.nulage import status_picture
        from analysis.exports.pptx_export import presentation_pptx
        from analysis.viewmodels.slides import attachment, deck
        from analysis.store.history import Store
        ds = Store({str(path)!r}).current()
        if images.warm_up():  # the page starts the chart browser when it opens; give it the same head start
            time.sleep(10)
        today, area, ref = date.today(), 'Skäggetorp', 'Övriga Linköping'
        sp = status_picture(ds, area, ref, 2020)  # the Nulägesbild page has it cached when the button is clicked
        t = time.perf_counter()
        pptx = presentation_pptx(deck(ds, [area], THEMES, ref, 2020, today, pictures={{area: sp}}))
        t_pptx = time.perf_counter() - t
        t = time.perf_counter()
        docx = attachment_docx(attachment(ds, area, ref, 2020, today, picture=sp))
        t_docx = time.perf_counter() - t
        result = {{'pptx': t_pptx, 'docx': t_docx, 'pptx_mb': len(pptx) / 1e6, 'docx_mb': len(docx) / 1e6,
                  'images': images.chromium_path() is not None}}
    """)
    for label, key in (("PowerPoint", "pptx"), ("Word", "docx")):
        extra = " (med diagrambilder)" if key == "docx" and r["images"] else ""
        print(
            f"{label:<12}{r[key]:>8.2f} s  {r[key + '_mb']:.1f} MB{extra}  mål ≤ {TARGETS['export_s']} s: "
            f"{verdict(r[key] <= TARGETS['export_s'])}"
        )


# --- SQLite and PostgreSQL side by side ----------------------------------------------------


def postgres_copy(url: str, name: str, source: Path) -> str:
    """A database `name` on the server of `url` holding `source` (moved with migrate once; kept between runs)."""
    import psycopg

    from analysis.store.migrate import migrate_store

    base, _, _ = url.rpartition("/")
    target = f"{base}/{name}"
    with psycopg.connect(url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            with psycopg.connect(target) as conn:
                ready = conn.execute("SELECT to_regclass('versions') IS NOT NULL").fetchone()[0]
                done = ready and conn.execute("SELECT count(*) FROM versions").fetchone()[0] > 0
            if done:
                return target
            admin.execute(f'DROP DATABASE "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    t = time.perf_counter()
    migrate_store(source, target)
    print(f"  {source.name} flyttad till PostgreSQL ({name}) på {time.perf_counter() - t:.0f} s", flush=True)
    return target


def fresh_postgres(url: str, name: str, template: str) -> str:
    """A database `name` on the server of `url`, made anew as a copy of the database at `template`."""
    import psycopg

    base, _, _ = url.rpartition("/")
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.rpartition("/")[2]}"')
    return f"{base}/{name}"


UPDATE_ROWS = 100_000  # the import measured at M and L: this many stored values, each changed
IMPORT_RUNS = 3


def bench_backends(url: str, sizes: list[str]) -> None:
    """Pages (cold/warm) and an import at each size, on SQLite and on PostgreSQL, side by side."""
    sys.path.insert(0, str(ROOT))
    import ui

    print("\n## SQLite och PostgreSQL sida vid sida (mål: varma sidor ≤ 1,5× SQLite, import ≤ 2× SQLite)")
    print(
        f"{'Sida / mätning':<28}{'Storlek':<9}{'SQLite kall/varm (s)':>22}{'PostgreSQL kall/varm (s)':>26}{'Varm ×':>8}"
    )
    for size in sizes:
        path = build_store(size)
        pg = postgres_copy(url, f"segdash_bench_{size.lower()}", path)
        snapshots = OUT / f"snapshots_pg_{size}"  # this instance's cache, kept between runs like SQLite's
        worst = 0.0
        for spec in ui.PAGES:
            code = page_run_code(spec.script)
            lite = run_child(code, env={"SEGDASH_DB": str(path)})
            post = run_child(code, env={"SEGDASH_DB": pg, "SEGDASH_SNAPSHOT_DIR": str(snapshots)})
            ratio = post["warm"] / lite["warm"] if lite["warm"] else float("nan")
            worst = max(worst, ratio)
            print(
                f"{spec.title:<28}{size:<9}{lite['cold']:>11.2f}/{lite['warm']:<10.3f}"
                f"{post['cold']:>13.2f}/{post['warm']:<12.3f}{ratio:>8.2f}",
                flush=True,
            )
        print(f"{'Sämsta varma kvot':<37}{worst:>57.2f}  mål ≤ 1,5: {verdict(worst <= 1.5)}")
        # An import that changes UPDATE_ROWS stored values, into a fresh copy of each store; the median of three.
        code = """
            import time
            from analysis.store.history import Store
            store = Store(TARGET)
            current = store.current()
            changed = current.observations.head(ROWS).astype({c: object for c in ('area', 'indicator', 'sex',
                                                               'source', 'note')})
            changed['value'] = changed['value'] + 1.0
            incoming = type(current)(observations=changed)
            t = time.perf_counter()
            outcome = store.apply(incoming, user='bench')
            s = time.perf_counter() - t
            assert outcome.version is not None and outcome.diff.n_changed == len(changed), outcome.message
            result = {'s': s, 'changed': outcome.diff.n_changed}
        """.replace("ROWS", str(UPDATE_ROWS))
        runs: dict[str, list[float]] = {"lite": [], "post": []}
        for _ in range(IMPORT_RUNS):
            work = OUT / f"update_run_{size}.sqlite"
            for p in OUT.glob(f"update_run_{size}.sqlite*"):
                shutil.rmtree(p) if p.is_dir() else p.unlink()
            shutil.copy(path, work)
            target_pg = fresh_postgres(url, f"segdash_bench_{size.lower()}_import", template=pg)
            cache = OUT / f"snapshots_pg_{size}_import"
            shutil.rmtree(cache, ignore_errors=True)
            lite = run_child(code.replace("TARGET", repr(str(work))))
            post = run_child(code.replace("TARGET", repr(target_pg)), env={"SEGDASH_SNAPSHOT_DIR": str(cache)})
            runs["lite"].append(lite["s"])
            runs["post"].append(post["s"])
        lite_s, post_s = sorted(runs["lite"])[IMPORT_RUNS // 2], sorted(runs["post"])[IMPORT_RUNS // 2]
        ratio = post_s / lite_s
        label = f"Import, {lite['changed']:,} ändrade".replace(",", " ")
        print(
            f"{label:<28}{size:<9}{lite_s:>22.2f}{post_s:>26.2f}{ratio:>8.2f}  mål ≤ 2: {verdict(ratio <= 2)}  "
            f"(median av {IMPORT_RUNS}; SQLite {', '.join(f'{x:.2f}' for x in runs['lite'])}; PostgreSQL "
            f"{', '.join(f'{x:.2f}' for x in runs['post'])})",
            flush=True,
        )
        bench_catch_up(target_pg, size, cache)


def bench_catch_up(url: str, size: str, importer_cache: Path) -> None:
    """What another PostgreSQL instance pays to read the new version: from its earlier snapshot, or from scratch."""
    from analysis.store.backends import target_key

    earlier = importer_cache / target_key(url) / "observations-v1.parquet"
    for label, keep in (("från sin förra ögonblicksbild", True), ("ny instans, alla rader", False)):
        cache = OUT / f"snapshots_pg_{size}_other"
        shutil.rmtree(cache, ignore_errors=True)
        if keep:
            (cache / target_key(url)).mkdir(parents=True)
            shutil.copy(earlier, cache / target_key(url) / earlier.name)
        r = run_child(
            f"""
            import time
            from analysis.store.history import Store
            store = Store({url!r})
            t = time.perf_counter(); n = len(store.current().observations); s = time.perf_counter() - t
            result = {{'s': s, 'n': n}}
        """,
            env={"SEGDASH_SNAPSHOT_DIR": str(cache)},
        )
        print(f"{'Annan instans läser v2, ' + label:<62}{size:<5}{r['s']:>26.2f}", flush=True)


def main() -> int:
    """Run the chosen parts."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--only", choices=["reading", "store", "pages", "exports"])
    parser.add_argument("--store", help="en postgresql://-adress: mät sidor och import på SQLite och PostgreSQL")
    args = parser.parse_args()
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    t0 = time.perf_counter()
    print(f"Maskin: {os.cpu_count()} kärnor. Python {sys.version.split()[0]}.")
    if args.store:
        bench_backends(args.store, [s for s in sizes if s != "S"] or ["M"])
        print(f"\nKlart på {time.perf_counter() - t0:.0f} s.")
        return 0
    parts = [args.only] if args.only else ["reading", "store", "pages", "exports"]
    if "reading" in parts:
        bench_reading()
    if "store" in parts:
        bench_store([s for s in sizes if s != "S"])
    if "pages" in parts:
        bench_pages(sizes)
    if "exports" in parts:
        bench_exports()
    print(f"\nKlart på {time.perf_counter() - t0:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
